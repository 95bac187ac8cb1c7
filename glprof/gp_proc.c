/* gp_proc.c -- process-level facts (see gp_proc.h).  Valgrind gives a tool
   no exit status at fini, so it is taken from the exit syscalls; a process
   that makes none died of a signal. */

#include "gp_proc.h"
#include "gp_threads.h"
#include "gp_callstack.h"
#include "gp_code.h"
#include "gp_util.h"

GpProcEnd gp_proc_end;
static const HChar* command;

/* Quotes an argument the way a shell would need it, only when needed. */
static void add_arg(XArray* xa, const HChar* a)
{
   Bool plain = a[0] != 0;
   const HChar* p;
   for (p = a; *p; p++)
      if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
            || (*p >= '0' && *p <= '9') || VG_(strchr)("-_./=:,+%@", *p)))
         plain = False;
   if (VG_(sizeXA)(xa) > 0) VG_(addBytesToXA)(xa, " ", 1);
   if (plain) { VG_(addBytesToXA)(xa, a, VG_(strlen)(a)); return; }
   VG_(addBytesToXA)(xa, "'", 1);
   for (p = a; *p; p++) {
      if (*p == '\'') VG_(addBytesToXA)(xa, "'\\''", 4);
      else VG_(addBytesToXA)(xa, p, 1);
   }
   VG_(addBytesToXA)(xa, "'", 1);
}

void gp_proc_init(void)
{
   XArray* xa = VG_(newXA)(VG_(malloc), GP_CC("proc.cmd"), VG_(free), 1);
   Word i;
   HChar z = 0;
   add_arg(xa, VG_(args_the_exename) ? VG_(args_the_exename) : "???");
   for (i = 0; i < VG_(sizeXA)(VG_(args_for_client)); i++)
      add_arg(xa, *(HChar**)VG_(indexXA)(VG_(args_for_client), i));
   VG_(addBytesToXA)(xa, &z, 1);
   command = gp_intern((const HChar*)VG_(indexXA)(xa, 0));
   VG_(deleteXA)(xa);
}

const HChar* gp_proc_command(void) { return command; }

void gp_proc_pre_syscall(ThreadId tid, UInt sysno, UWord* args)
{
   switch (sysno) {
   case __NR_exit_group:
      gp_proc_end.exited = True;
      gp_proc_end.status = (Int)(args[0] & 0xFF);
      break;
   case __NR_exit:
      /* Only the last thread's exit ends the process with its status. */
      if (gp_threads_alive() <= 1) {
         gp_proc_end.status = (Int)(args[0] & 0xFF);
         gp_proc_end.exited = True;
      }
      break;
   case __NR_kill:
      if ((Int)args[0] == VG_(getpid)() || (Int)args[0] == 0)
         gp_proc_end.signal = (Int)args[1];
      break;
   case __NR_tgkill:
      if ((Int)args[0] == VG_(getpid)())
         gp_proc_end.signal = (Int)args[2];
      break;
#if defined(__NR_tkill)
   case __NR_tkill:
      gp_proc_end.signal = (Int)args[1];
      break;
#endif
   default:
      break;
   }
}

void gp_proc_at_exit(void)
{
   ThreadId tid = VG_(get_running_tid)();
   if (tid != VG_INVALID_THREADID) gp_proc_end.last_ip = VG_(get_IP)(tid);
}
