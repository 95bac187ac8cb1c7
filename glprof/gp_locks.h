/* gp_locks.h -- the lock profile: lock owners, acquisitions, contention,
   hold times, per lock site, from the events the observer of the pthread
   lock functions reports (gp_lockobs.c). */

#ifndef GP_LOCKS_H
#define GP_LOCKS_H

#include "gp_io.h"

/* What happened to a lock.  Arguments in the event's arg[] as listed. */
typedef enum {
   /* (lock, kind): a lock was initialised (pthread_*_init succeeded) */
   GP_LEV_INIT = 1,
   /* (lock): a lock was destroyed */
   GP_LEV_DESTROY,
   /* (lock, kind, mode) -> 1 if the lock is held by another thread:
      about to acquire (blocking or timed call, at its entry); the outcome
      is then reported with ACQUIRE_DONE.  0: booked as acquired already. */
   GP_LEV_ACQUIRE,
   /* (lock, kind, mode, result, contended): outcome of an acquire that
      was contended, or of one booked early that failed */
   GP_LEV_ACQUIRE_DONE,
   /* (lock, kind, mode, result): a try-lock call returned result */
   GP_LEV_TRY,
   /* (lock, kind): released (the unlock call succeeded) */
   GP_LEV_RELEASE,
   /* (cond, mutex): about to wait on a condition variable */
   GP_LEV_COND_WAIT,
   /* (cond, mutex, result): the wait returned, mutex held again */
   GP_LEV_COND_WOKEN
} GpLockEvent;

/* Acquire modes of the events (kinds are GpLockKind, gp_io.h). */
#define GP_MODE_WRITE 0   /* exclusive: mutex, spin, rwlock write */
#define GP_MODE_READ  1   /* shared: rwlock read */

void gp_locks_init(void);
/* One event: arg[0] the GpLockEvent, arg[1..5] its arguments.  at_entry:
   the thread stands at the first instruction of the lock function (its
   caller's frame names the site), else just after its return. */
UWord gp_locks_event(ThreadId tid, const UWord* arg, Bool at_entry);
void gp_locks_zero(void);
void gp_locks_atfork_child(ThreadId me);

/* Analysis: fills io->lock_sites and the lock totals; marks frames. */
void gp_locks_analyse(GpIoProfile* io);

#endif
