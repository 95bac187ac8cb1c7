/* gp_frames.h -- source locations of code addresses (allocation points,
   call sites, I/O and lock sites) and stacks of them.  A stack is resolved
   once, when it is first seen (debug info may be gone by exit, after a
   dlclose), with inlined frames expanded as Valgrind's own stack traces
   show them; stacks are interned, so equal stacks are one pointer.  The JSON
   "frames" table lists the frames used by any written stack, in a
   deterministic order. */

#ifndef GP_FRAMES_H
#define GP_FRAMES_H

#include "gp_tool.h"
#include "gp_fn.h"

typedef struct GpFrameLoc {
   struct GpFrameLoc* hash_next;
   const HChar* name;        /* function (inlined function for inlined frames) */
   const HChar* file;        /* full path, or NULL */
   UInt         line;
   GpObj*       obj;
   GpFn*        fn;          /* the code's function (non-inlined frames), or NULL */
   Int          out_id;      /* index in the JSON "frames" table, -1 if unused */
} GpFrameLoc;

typedef struct GpStack {
   struct GpStack* hash_next;
   UInt          n;          /* frames, innermost first */
   GpFrameLoc*   f[0];
} GpStack;

/* Inline information (see gp_frames.c): switched on before the command
   line is read; objects of the runtime are loaded without it in runs
   without the heap profile (called around every system call). */
void        gp_frames_pre_clo_init(void);
void        gp_frames_init(void);
void        gp_frames_pre_syscall(UInt sysno, const UWord* args);
void        gp_frames_post_syscall(UInt sysno);
/* --stats=yes: the objects loaded without inline information. */
void        gp_frames_print_stats(void);

/* The stack for n code addresses (ips[0] the current IP, the others call
   sites), interned.  Inlined frames are expanded. */
GpStack*    gp_stack_from_ips(const Addr* ips, UInt n);

/* The stack of thread tid now, at most VG_(clo_backtrace_size) frames:
   from glprof's shadow stack when call tracking is on (no unwinding),
   else by Valgrind's unwinder. */
GpStack*    gp_stack_here(ThreadId tid);

/* One location (the first, innermost frame if ip is inlined). */
GpFrameLoc* gp_frame_at(Addr ip);

/* A location from its parts (name and file are interned here), for
   callers that pick another inline level than gp_frame_at (I/O and lock
   sites: the line in the function the code was inlined into). */
GpFrameLoc* gp_frame_loc(const HChar* name, const HChar* file, UInt line,
                         GpObj* obj, GpFn* fn);

/* Output: mark every frame a written stack uses, then number them
   (sorted by name, file, line, object) and write "frames". */
void        gp_frames_reset_marks(void);
void        gp_frames_mark(const GpStack* s);
void        gp_frames_number(void);
/* After gp_frames_number: the marked frames in output order. */
extern GpFrameLoc** gp_frames_sorted;
extern UInt         gp_frames_n_sorted;

#endif
