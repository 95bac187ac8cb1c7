/* gp_main.c -- glprof's entry points: registers the tool with the core,
   wires each concern's hooks, and runs the end of the run in the one
   direction data flows: instrument -> collect -> analyse -> write.
   See docs/architecture.md for the map of files. */

#include "gp_tool.h"
#include "gp_options.h"
#include "gp_instrument.h"
#include "gp_code.h"
#include "gp_fn.h"
#include "gp_edge.h"
#include "gp_cct.h"
#include "gp_callstack.h"
#include "gp_plt.h"
#include "gp_lockobs.h"
#include "gp_fastcall.h"
#include "gp_predict.h"
#include "gp_threads.h"
#include "gp_heap.h"
#include "gp_proc.h"
#include "gp_profile.h"
#include "gp_output.h"
#include "gp_control.h"
#include "gp_frames.h"
#include "gp_io.h"
#include "gp_preload.h"

ULong gp_icount;

/* ---- syscalls: one hook pair, dispatched to the concerns ---------------- */

static void pre_syscall(ThreadId tid, UInt sysno, UWord* args, UInt nArgs)
{
   /* first: the concerns read the clock; and before the core's own
      wrapper, which for sigreturn restores the guest state saved when
      the signal came, the counter's word with it (pre_deliver_signal) */
   gp_icount_sync(tid);
   gp_proc_pre_syscall(tid, sysno, args);
   gp_frames_pre_syscall(sysno, args);
   /* always: clock reads and thread sites are kept with --io=no too */
   gp_io_pre_syscall(tid, sysno, args, nArgs);
}

static void post_syscall(ThreadId tid, UInt sysno, UWord* args, UInt nArgs,
                         SysRes res)
{
   gp_io_post_syscall(tid, sysno, args, nArgs, res);
   gp_frames_post_syscall(sysno);
}

/* ---- client requests: gp_control.c dispatches them ------------------------ */

static Bool client_request(ThreadId tid, UWord* arg, UWord* ret)
{
   gp_icount_sync(tid);
   return gp_control_client_request(tid, arg, ret);
}

/* ---- fork ---------------------------------------------------------------- */

static void atfork_child(ThreadId tid)
{
   /* The child is a process of its own: its profile starts now. */
   gp_proc_end.forked_child = True;
   gp_code_zero_all();
   gp_threads_atfork_child(tid);
   gp_io_atfork_child();
   gp_cct_stats.recursion_folds = gp_cct_stats.cap_folds = 0;
}

/* ---- signals: the call stack and the lock observer ---------------------- */

static void pre_deliver_signal(ThreadId tid, Int sigNo, Bool alt_stack)
{
   /* before the core saves the guest state in the signal frame: the word
      it restores at sigreturn is then zero (pre_syscall) */
   gp_icount_sync(tid);
   gp_cs_pre_signal(tid, sigNo, alt_stack);
   gp_lockobs_pre_signal(tid, alt_stack);
}

static void post_deliver_signal(ThreadId tid, Int sigNo)
{
   gp_cs_post_signal(tid, sigNo);
   gp_lockobs_post_signal(tid);
}

/* ---- life cycle ---------------------------------------------------------- */

static void gp_post_clo_init(void)
{
   gp_options_check();
   gp_preload_init();
   gp_fn_init();
   gp_edge_init();
   gp_cct_init();
   gp_cs_init();
   gp_code_init();
   gp_plt_init();
   gp_frames_init();
   gp_heap_init();
   gp_io_init();
   gp_proc_init();
   gp_control_init();
   gp_threads_init();
   VG_(atfork)(NULL, NULL, atfork_child);
   VG_(track_pre_deliver_signal)(pre_deliver_signal);
   VG_(track_post_deliver_signal)(post_deliver_signal);
}

/* --stats=yes, and the gdbserver's "v.info stats". */
static void print_stats(void)
{
   gp_fastcall_print_stats();
   gp_predict_print_stats();
   gp_plt_print_stats();
   if (gp_clo.cpu) gp_cs_print_stats();
   gp_lockobs_print_stats();
   gp_frames_print_stats();
}

static void gp_fini(Int exitcode)
{
   GpProfile* p;
   /* a fatal signal ends the run with the last instructions unfolded */
   if (gp_cur_thread) gp_icount_sync(gp_cur_thread->tid);
   gp_proc_at_exit();
   gp_threads_fini();
   p = gp_analyse(True, NULL);
   gp_output_profile(p);
   gp_profile_free(p);
   /* The core leaves --stats=yes output of the tool to the tool's fini
      (needs_print_stats is for the gdbserver's "v.info stats"). */
   if (VG_(clo_stats)) print_stats();
}

static void gp_discard(Addr orig_addr, VexGuestExtents vge)
{
   gp_code_discard(orig_addr, vge);
}

static void gp_pre_clo_init(void)
{
   VG_(details_name)            (GP_TOOL_NAME);
   VG_(details_version)         (GP_TOOL_VERSION);
   VG_(details_description)     ("instruction, heap, leak and I/O profiler");
   VG_(details_copyright_author)("Copyright (C) 2026, the glprof developers.");
   VG_(details_bug_reports_to)  (VG_BUGS_TO);
   VG_(details_avg_translation_sizeB)(400);

   VG_(basic_tool_funcs)(gp_post_clo_init, gp_instrument, gp_fini);

   /* Every call must end its superblock and every instruction must be
      counted once: no chasing into callees, no unrolled copies.  (With
      chasing, VEX also speculatively appends guarded blocks whose IMarks
      would be counted although they may not run.) */
   VG_(clo_vex_control).guest_chase = False;
   VG_(clo_vex_control).iropt_unroll_thresh = 0;

   /* Guest registers exact at superblock ends, SP also at every memory
      access (the core needs it there to grow stacks), as Callgrind,
      Cachegrind and Massif have them: VEX then need not store IP and the
      frame pointer around each load and store (4% of a call-dense run).
      Nothing of glprof reads registers between those points except
      helpers that declare what they read (gp_fastcall.c, gp_lockobs.c),
      for which VEX stores them.  What it costs the client: at a fault,
      its handler (and the core's "Process terminating" stack) sees an IP
      and FP up to a superblock old, and a handler that repairs the fault
      and returns re-runs the instructions in between (docs/options.md,
      "Speed").  The user's --vex-iropt-register-updates and
      --px-file-backed, parsed after this, still win. */
   VG_(clo_vex_control).iropt_register_updates_default
      = VG_(clo_px_file_backed) = VexRegUpdSpAtMemAccess;

   /* Stacks show inlined calls, as Memcheck's and DHAT's do (the core only
      defaults this on for them); --read-inline-info=no still wins. */
   gp_frames_pre_clo_init();

   gp_options_init_defaults();
   VG_(needs_command_line_options)(gp_options_process,
                                   gp_options_print_usage,
                                   gp_options_print_debug_usage);
   VG_(needs_superblock_discards)(gp_discard);
   VG_(needs_syscall_wrapper)(pre_syscall, post_syscall);
   /* client request dispatch (gp_control.c will own this) */
   VG_(needs_client_requests)(client_request);
   /* libc's and libstdc++'s freeres at exit: with --heap=yes only
      (gp_preload.c) */
   VG_(needs_print_stats)(print_stats);
   gp_heap_register();
}

VG_DETERMINE_INTERFACE_VERSION(gp_pre_clo_init)
