/* gp_callstack.h -- the shadow call stack: turns the control transfers the
   instrumented code reports (calls, superblock entries whose guard fired,
   signal delivery) into frames, and frames into self, inclusive and call
   figures per function, per call path and per call edge. */

#ifndef GP_CALLSTACK_H
#define GP_CALLSTACK_H

#include "gp_tool.h"
#include "gp_fn.h"
#include "gp_threads.h"

/* State read by generated code at every superblock start (the current
   thread's top frame).  A helper runs only when SP has risen above the top
   frame (a return or unwind) or, at a function's entry, when it is not
   the function the last call pushed (gp_just_called). */
extern Addr  gp_top_sp;
/* Stands for the callee of a call not yet known (PLT stub before lazy
   binding, a callee never translated); never equal to a real function. */
extern GpFn  gp_pending_fn;
/* Set by a call to the function its new frame names (the callee, or
   gp_pending_fn), cleared by the function entry it reaches.  An entry
   that finds another value needs the helper: with 0 it was reached by a
   jump (a tail call, or a loop back to the function's first instruction
   -- Callgrind counts both as calls); with another function, it is not
   the function the frame names.  One load and one compare per entry. */
extern UWord gp_just_called;

/* One per call instruction (by its return address), made when the code
   is translated and kept for the run (retranslated code finds its own
   again): what generated code passes to the call helpers.  The path
   links last taken from it are cached here, two of them (two-way), so a
   call site finds its callee's call path with one or two compares -- a
   dispatcher such as an interpreter's loop calls dozens of functions from
   one path node, and a cache shared by all sites or kept in the node
   would miss there; and a function called from two places in turn (two
   call paths of the caller) would miss every time with one way.  The
   cached links point into a per-thread tree: a node of another thread's
   tree never equals the caller's node, and the cache is dropped whenever
   trees are freed or zeroed (gp_cs_forget_paths).  The calling code's
   function, which only the rare general path needs, is kept apart
   (gp_callstack.c), so what every call reads stays in one cache line. */
typedef struct GpCallSite {
   Addr           ret_addr;   /* the call's return address */
   GpNode*        parent;     /* cache: the caller's path node ... */
   GpLink*        link;       /* ... and the link last taken from it */
   GpNode*        parent2;    /* the second way: the entry the last miss */
   GpLink*        link2;      /* moved out of the first */
   /* Indirect calls: the target last called from here and its function,
      valid while the entry cache's generation is ind_gen. */
   Addr           ind_target;
   GpFn*          ind_fn;
   UWord          ind_gen;
} __attribute__((aligned(64))) GpCallSite;   /* one cache line each */

GpCallSite* gp_cs_site(Addr ret_addr, GpFn* caller);

struct GpPlt;

/* Helpers called from generated code (gp_instrument.c).  Each is given
   the guest state (gs, last) and first folds the instruction counter's
   word (gp_tool.h). */
/* Generated code evaluates the arguments of a guarded call whether it is
   made or not, so these take as few as they can. */
/* A function's entry that the last call did not push (gp_just_called). */
VG_REGPARM(3) void gp_cs_sb_entry(GpFn* fn, Addr sp, void* gs);
/* A return point (SP rose above the top frame's) inside a known
   function, the commonest case ... */
VG_REGPARM(2) void gp_cs_sb_return(Addr sp, void* gs);
/* ... and one in code without a symbol, which names a pending frame
   (fn; NULL in a PLT stub). */
VG_REGPARM(3) void gp_cs_sb_return_to(GpFn* fn, Addr sp, void* gs);
/* Calls; n: instructions of the calling superblock that generated code
   left for the helper to add to gp_icount. */
VG_REGPARM(3) void gp_cs_call(GpFn* callee, Addr sp, GpCallSite* cs, UWord n,
                              void* gs);
/* gp_cs_call's callee for a call to a PLT stub whose target is not known:
   a pending frame, which the callee's entry names. */
extern GpFn* const gp_cs_callee_plt;
/* direct: the calling superblock jumps past the stub to where its slot
   leads (gp_plt_bound), so no stub superblock will count the stub. */
VG_REGPARM(3) void gp_cs_call_plt(struct GpPlt* stub, Addr sp, GpCallSite* cs,
                                  UWord n, UWord direct, void* gs);
VG_REGPARM(3) void gp_cs_call_indirect(Addr target, Addr sp, GpCallSite* cs,
                                       UWord n, void* gs);

/* An entry address seen at translation time, so an indirect call to it
   knows its callee without a second helper call. */
void  gp_cs_note_entry(Addr a, GpFn* fn);
void  gp_cs_forget_entry(Addr a);
GpFn* gp_cs_entry_fn(Addr a);

/* Thread life (gp_threads.c) */
void gp_cs_thread_start(GpThread* t);
void gp_cs_thread_finish(GpThread* t);   /* pops every frame */
/* Folds the figures of a live thread's open frames into its tree without
   popping them (for dumps while it runs). */
void gp_cs_publish(GpThread* t);

/* Calls counted so far (while collecting), all threads. */
extern ULong gp_cs_calls_total;

/* Books the open frames' durations so far (for a dump of a running
   process) and restarts them at now: nothing is counted twice. */
void gp_cs_bank_open_frames(GpThread* t);

/* Call-path nodes are about to be freed or renumbered: drop cached
   pointers to them. */
void gp_cs_forget_paths(void);

/* After a fork, only t's frames exist: count function activations again
   from its stack alone. */
void gp_cs_recount_depths(GpThread* t);

/* Signals (core events) */
void gp_cs_pre_signal(ThreadId tid, Int sigNo, Bool alt_stack);
void gp_cs_post_signal(ThreadId tid, Int sigNo);

/* The shadow stack as call-site addresses, innermost first: ips[0] = ip,
   then each frame's call site.  Used for allocation stacks (no unwinding).
   Returns the number of entries written. */
UInt gp_cs_stack_ips(GpThread* t, Addr ip, Addr* ips, UInt max);

void gp_cs_init(void);

/* --stats=yes: how often the helpers leave their fast paths. */
void gp_cs_print_stats(void);

#endif
