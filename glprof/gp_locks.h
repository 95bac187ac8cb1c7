/* gp_locks.h -- the tool side of the pthread lock wrappers (gp_preload.c):
   lock owners, acquisitions, contention, hold times, per lock site. */

#ifndef GP_LOCKS_H
#define GP_LOCKS_H

#include "gp_io.h"

void gp_locks_init(void);
/* One of the preload's lock requests (arg[0] in the internal range). */
UWord gp_locks_request(ThreadId tid, const UWord* arg);
void gp_locks_zero(void);
void gp_locks_atfork_child(ThreadId me);

/* Analysis: fills io->lock_sites and the lock totals; marks frames. */
void gp_locks_analyse(GpIoProfile* io);

#endif
