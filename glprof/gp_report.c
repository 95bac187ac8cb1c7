/* gp_report.c -- the text report printed on Valgrind's log at exit: a header
   (command, how it ended, totals, what was collected) and one section per
   concern, in the order of the seed guide.  Fits 100 columns with the
   "==pid==" prefix; numbers have thousands separators, every function has
   its file:line. */

#include "gp_output.h"
#include "gp_options.h"
#include "gp_proc.h"


/* "name (file:line)" shortened to fit 'room' columns. */
const HChar* gp_fn_label(const GpFn* f, Int room)
{
   static HChar buf[4][512];
   static Int next;
   HChar* b = buf[next++ & 3];
   const HChar* file = f->file ? VG_(strrchr)(f->file, '/') : NULL;
   Int n;
   file = file ? file + 1 : f->file;
   if (file && f->line)
      n = VG_(snprintf)(b, sizeof(buf[0]), "%s (%s:%u)", f->name, file, f->line);
   else if (file)
      n = VG_(snprintf)(b, sizeof(buf[0]), "%s (%s)", f->name, file);
   else
      n = VG_(snprintf)(b, sizeof(buf[0]), "%s [%s]", f->name,
                        gp_obj_basename(f->obj));
   if (room > 4 && n > room && room < (Int)sizeof(buf[0])) {
      b[room - 3] = '.';
      b[room - 2] = '.';
      b[room - 1] = '.';
      b[room] = 0;
   }
   return b;
}

static void header(const GpProfile* p)
{
   VG_(umsg)("\n");
   VG_(umsg)("======================== glprof report ========================\n");
   VG_(umsg)("Command:      %s\n", p->command);
   if (gp_proc_end.exited)
      VG_(umsg)("Exit:         status %d\n", gp_proc_end.status);
   else if (gp_proc_end.signal)
      VG_(umsg)("Exit:         killed by signal %d (%s)\n", gp_proc_end.signal,
                gp_signame(gp_proc_end.signal));
   else
      VG_(umsg)("Exit:         killed by a fatal signal (see above)\n");
   VG_(umsg)("Instructions: %s in %s thread%s\n", gp_fmt_num(p->total_ir),
             gp_fmt_num(p->n_threads), p->n_threads == 1 ? "" : "s");
   VG_(umsg)("Collected:    cpu=%s lines=%s heap=%s io=%s\n",
             gp_clo.cpu ? "yes" : "no", gp_clo.lines ? "yes" : "no",
             gp_clo.heap ? "yes" : "no", gp_clo.io ? "yes" : "no");
   if (gp_output_written_json)
      VG_(umsg)("Profile:      %s\n", gp_output_written_json);
   {
      UInt i;
      for (i = 0; i < gp_output_n_written; i++)
         VG_(umsg)("%-13s %s\n", gp_output_written[i].kind,
                   gp_output_written[i].name);
   }
}

void gp_report_text(const GpProfile* p)
{
   if (VG_(clo_verbosity) == 0) {
      /* -q: only what to act on */
      gp_findings_report(p);
      return;
   }
   header(p);
   /* Sections in the seed guide's order, each from its concern's file. */
   if (gp_clo.cpu) gp_cpu_report(p);
   if (gp_clo.heap) gp_heap_report(p);
   gp_io_report(p);     /* I/O with --io=yes; threads, locks, determinism */
   gp_control_report(p);
   gp_findings_report(p);
   VG_(umsg)("\n");
}
