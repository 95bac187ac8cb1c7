/* gp_proc.h -- the client process as a whole: its command line, how it
   ended (exit status or fatal signal), and fork (a child starts a profile
   of its own). */

#ifndef GP_PROC_H
#define GP_PROC_H

#include "gp_tool.h"

typedef struct {
   Bool  exited;          /* an exit/exit_group syscall was seen */
   Int   status;          /* its status */
   Int   signal;          /* fatal signal sent to itself (abort, raise), 0 */
   Addr  last_ip;         /* where the last thread was when it ended */
   Bool  forked_child;    /* this process is a fork child */
} GpProcEnd;

extern GpProcEnd gp_proc_end;

void         gp_proc_init(void);
const HChar* gp_proc_command(void);      /* program and arguments, quoted */
void         gp_proc_pre_syscall(ThreadId tid, UInt sysno, UWord* args);
/* Called at tool fini, before anything is written. */
void         gp_proc_at_exit(void);

#endif
