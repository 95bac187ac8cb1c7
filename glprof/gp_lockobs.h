/* gp_lockobs.h -- how the lock profile sees the pthread lock functions:
   by watching the C library's own functions run, not by wrapping them.

   At the first instruction of pthread_mutex_lock & co. (recognised by
   name in libc.so* / libpthread.so.0 when their entry is translated) a
   helper reads the call's arguments; when the thread's SP rises above the
   SP of that entry (the function returned, to a return point, which
   already begins with the call stack's inline test, whose helper then
   runs anyway) the result is read.
   Both feed gp_locks.c.  A wrapper would have to call the real function
   through a no-redirect jump, which leaves the translated code and goes
   round the scheduler: on a program that locks and unlocks a mutex half a
   million times (sqlite3) that was an eighth of glprof's time.

   The arguments and the result are read from the guest registers of the
   platform's C calling convention (amd64, x86, arm64, arm, ppc, s390x,
   mips); elsewhere no lock function is observed. */

#ifndef GP_LOCKOBS_H
#define GP_LOCKOBS_H

#include "gp_tool.h"
#include "gp_fn.h"

/* The innermost pending lock call's SP at its entry, ~0 when none (the
   running thread's): generated code at return points tests SP against
   it. */
extern Addr gp_lockobs_sp;

/* Is the lock profile observing (--locks=yes on a platform it knows)? */
Bool gp_lockobs_on(void);

/* Instrumentation of a function's entry superblock: if fn is one of the
   observed lock functions, adds the entry helper (with the arguments and
   SP) to sb.  'layout' gives the guest state offsets. */
void gp_lockobs_instrument_entry(IRSB* sb, GpFn* fn,
                                 const VexGuestLayout* layout, IRType wty);

/* The lock calls whose entry SP the thread's SP (at a return point) has
   risen above returned: their results are read and booked.  With the
   call stack on, its return helper calls this (a lock call's return pops
   the lock function's frame, so that helper runs there anyway); with
   --cpu=no, return points get their own inline test
   (gp_lockobs_instrument_return). */
VG_REGPARM(1) void gp_lockobs_returned(Addr sp);
void gp_lockobs_instrument_return(IRSB* sb, const VexGuestLayout* layout,
                                  IRType wty);

/* Signals: a handler's lock calls are its own; the calls it interrupted
   are not completed while it runs (it may run on a stack above theirs,
   sigaltstack), nor by its return.  Called after the call stack's hooks,
   which make tid the running thread. */
void gp_lockobs_pre_signal(ThreadId tid, Bool alt_stack);
void gp_lockobs_post_signal(ThreadId tid);

/* Threads: the running thread changed; a thread id is (re)used. */
void gp_lockobs_switch(ThreadId tid);
void gp_lockobs_thread_start(ThreadId tid);

void gp_lockobs_init(void);
/* --stats=yes: lock calls observed (entries and returns). */
void gp_lockobs_print_stats(void);

#endif
