/* gp_threads.h -- one record per guest thread ever created (Valgrind reuses
   thread ids; glprof does not): its clock, its shadow call stack and
   calling-context tree while it runs, and its figures after it ends. */

#ifndef GP_THREADS_H
#define GP_THREADS_H

#include "gp_tool.h"
#include "gp_fn.h"
#include "gp_cct.h"
#include "gp_util.h"

typedef struct GpEdge GpEdge;

/* One shadow-stack frame. */
typedef struct {
   Addr     sp;          /* SP at entry (after the return address was
                            pushed); the frame is popped once SP > sp */
   GpFn*    fn;          /* NULL while pending (callee not yet known) */
   GpNode*  node;        /* calling context (NULL while pending) */
   GpLink*  link;        /* the call-path link entered (NULL for roots and
                            signal handlers): counts the call edge */
   ULong    entry;       /* thread clock at entry */
   Addr     ret_addr;    /* return address, 0 if none (tail call, root);
                            for signal frames: index of its GpSigCtx */
   UInt     flags;       /* GP_FR_* */
} GpFrame;

#define GP_FR_CALL      0x01  /* pushed by a call instruction */
#define GP_FR_TAIL      0x02  /* pushed by a jump to a function entry */
#define GP_FR_PLT       0x04  /* call went to a PLT stub */
#define GP_FR_SIGNAL    0x08  /* a signal handler's frame */
#define GP_FR_OUTERMOST 0x10  /* fn was not active below: owns fn->incl */
#define GP_FR_ROOT      0x20  /* bottom of the thread's stack */
#define GP_FR_DEPTHMAP  0x40  /* fn's activation counted in the thread's map */
#define GP_FR_TOGGLE    0x80  /* a --toggle-collect function's frame */

/* Where a signal handler runs, to know when it has been left (by return
   or by longjmp out of it). */
typedef struct {
   Addr lo, hi;              /* handler's stack region [lo, hi) */
   UWord just_called;        /* gp_just_called when the signal arrived (it
                                may land between a call and its callee's
                                first instruction); restored on return */
   UWord plt_ahead;          /* gp_plt_ahead then (same reason) */
} GpSigCtx;

typedef struct GpThread {
   ThreadId tid;             /* Valgrind's id (reused after exit) */
   UInt     index;           /* creation order: 0 = main thread */
   Int      os_tid;          /* kernel thread id */
   Int      parent_index;    /* creating thread's index, -1 for main */
   GpFn*    created_by;      /* function that called pthread_create */
   ULong    born;            /* global instruction count at creation */
   ULong    died;            /* ... at exit (0 while alive) */
   Bool     alive;           /* record still collecting (not retired) */
   Bool     exited;          /* the thread ended (it may still run exit-time
                                code such as libc's freeres) */

   /* Clock: instructions executed by this thread while collecting. */
   ULong    accum;           /* up to the last switch away or stop */
   ULong    c_start;         /* gp_icount when it last started running */
   Bool     collecting;      /* its clock advances (see gp_control.c) */
   UInt     toggles;         /* --toggle-collect functions on its stack */
   ULong    last;            /* clock at the last frame transition */
   UWord    just_called;     /* gp_just_called while another thread runs:
                                a call whose callee has not started yet
                                belongs to the thread that made it */
   UWord    plt_ahead;       /* gp_plt_ahead likewise (gp_plt.h) */

   /* Shadow call stack. */
   GpFrame* frames;
   UInt     depth;
   UInt     cap;
   UInt     max_depth;
   GpWordMap fn_depth;       /* GpFn* -> activations on this stack, for
                                functions another thread owns the count of */
   GpSigCtx* sig;            /* signal contexts, indexed by frame */
   UInt     n_sig, cap_sig;

   GpTree*  tree;            /* calling contexts while alive */

   /* Stack bounds, recorded while alive (the leak check runs when the
      thread may be gone). */
   Addr     stack_max;
   Addr     exit_stack_lo;   /* lowest live stack address when the thread
                                ended (gp_leak_exit_stack_lo): the leak
                                check scans its stack from there up */
} GpThread;

/* The thread whose code is running (or ran last). */
extern GpThread* gp_cur_thread;

void      gp_threads_init(void);
/* Makes tid's record current (cheap when it already is). */
void      gp_thread_switch(ThreadId tid);
GpThread* gp_thread_of(ThreadId tid);       /* live record for tid */

/* Instructions t has executed so far while collecting: its banked count,
   plus what ran since it last started running if it is the running thread
   and collecting.  A stopped clock freezes: frames and timestamps stay
   valid, costs outside collection are simply not there. */
static inline ULong gp_thread_now(const GpThread* t)
{
   return (t == gp_cur_thread && t->collecting)
          ? t->accum + (gp_icount - t->c_start) : t->accum;
}

/* Starts or stops t's clock (collection on/off for this thread). */
void gp_thread_set_collecting(GpThread* t, Bool on);

/* Finished and live threads in creation order. */
UInt      gp_thread_count(void);
UInt      gp_threads_alive(void);
GpThread* gp_thread_by_index(UInt i);

/* Ends every live thread's accounting (at exit or before a dump): pops
   their stacks into the trees and merges them into the global tree.
   'finish' = really at exit (threads are retired); otherwise the stacks
   are kept and only figures are folded in (see gp_callstack.c). */
void      gp_threads_fini(void);

/* Fork child: only the forking thread lives on; everyone's figures start
   again from zero. */
void      gp_threads_atfork_child(ThreadId tid);

/* Zero all figures (client request / monitor). */
void      gp_threads_zero(void);

#endif
