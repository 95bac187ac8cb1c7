/* gp_report.c -- the text report printed on Valgrind's log at exit: a header
   (command, how it ended, totals, what was collected) and one section per
   concern, in the order of the seed guide.  Fits 100 columns with the
   "==pid==" prefix; numbers have thousands separators, every function has
   its file:line. */

#include "gp_output.h"
#include "gp_options.h"
#include "gp_proc.h"

#define WIDTH 88       /* usable columns after Valgrind's "==pid== " */

/* "name (file:line)" shortened to fit 'room' columns. */
static const HChar* fn_label(const GpFn* f, Int room)
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
                VG_(signame)(gp_proc_end.signal));
   else
      VG_(umsg)("Exit:         killed by a fatal signal (see above)\n");
   VG_(umsg)("Instructions: %s in %s thread%s\n", gp_fmt_num(p->total_ir),
             gp_fmt_num(p->n_threads), p->n_threads == 1 ? "" : "s");
   VG_(umsg)("Collected:    cpu=%s lines=%s heap=%s io=%s\n",
             gp_clo.cpu ? "yes" : "no", gp_clo.lines ? "yes" : "no",
             gp_clo.heap ? "yes" : "no", gp_clo.io ? "yes" : "no");
   if (gp_output_written_json)
      VG_(umsg)("Profile:      %s\n", gp_output_written_json);
}

static void fn_table(const GpProfile* p, GpFn** fns, Bool by_incl)
{
   UInt i, n = p->n_fns < gp_clo.top ? p->n_fns : gp_clo.top;
   VG_(umsg)("  Top functions by %s instructions:\n",
             by_incl ? "inclusive" : "self");
   VG_(umsg)("   %15s %7s %15s %7s %11s  %s\n", "self", "", "inclusive", "",
             "calls", "function");
   for (i = 0; i < n; i++) {
      const GpFn* f = fns[i];
      if ((by_incl ? f->incl : f->self) == 0) break;
      VG_(umsg)("   %15s %7s %15s %7s %11s  %s\n",
                gp_fmt_num(f->self), gp_fmt_pct(f->self, p->total_ir),
                gp_fmt_num(f->incl), gp_fmt_pct(f->incl, p->total_ir),
                gp_fmt_num(f->calls), fn_label(f, WIDTH - 62));
   }
}

static void cpu_section(const GpProfile* p)
{
   VG_(umsg)("\n");
   VG_(umsg)("CPU PROFILE:\n");
   VG_(umsg)("  Total Instructions: %s\n", gp_fmt_num(p->total_ir));
   VG_(umsg)("  Total Calls: %s   Functions: %s   Call paths: %s   "
             "Max stack depth: %s\n",
             gp_fmt_num(p->total_calls), gp_fmt_num(p->n_fns),
             gp_fmt_num(p->n_paths), gp_fmt_num(p->max_stack_depth));
   if (gp_cct_stats.recursion_folds || gp_cct_stats.cap_folds)
      VG_(umsg)("  Call paths folded: %s recursive (--fold-recursion=%u), "
                "%s at the cap (--max-call-paths=%u)\n",
                gp_fmt_num(gp_cct_stats.recursion_folds), gp_clo.fold_recursion,
                gp_fmt_num(gp_cct_stats.cap_folds), gp_clo.max_call_paths);
   VG_(umsg)("\n");
   fn_table(p, p->fns, False);
   VG_(umsg)("\n");
   fn_table(p, p->fns_by_incl, True);
   if (p->n_threads > 1) {
      UInt i;
      VG_(umsg)("\n");
      VG_(umsg)("  Instructions per thread:\n");
      for (i = 0; i < p->n_threads && i < gp_clo.top; i++) {
         const GpThread* t = p->threads[i];
         VG_(umsg)("   #%-4u %15s %7s%s%s\n", t->index + 1,
                   gp_fmt_num(t->accum), gp_fmt_pct(t->accum, p->total_ir),
                   t->created_by ? "  created by " : "",
                   t->created_by ? fn_label(t->created_by, WIDTH - 40) : "");
      }
      if (p->n_threads > gp_clo.top)
         VG_(umsg)("   ... %u more threads\n", p->n_threads - gp_clo.top);
   }
}

static void heap_section(const GpProfile* p)
{
   VG_(umsg)("\n");
   VG_(umsg)("MEMORY PROFILE:\n");
   VG_(umsg)("  Total: %s allocs, %s frees, %s bytes allocated\n",
             gp_fmt_num(gp_heap.total_allocs), gp_fmt_num(gp_heap.total_frees),
             gp_fmt_num(gp_heap.total_bytes));
   VG_(umsg)("  Peak Memory: %s in %s blocks\n", gp_fmt_bytes(gp_heap.peak_bytes),
             gp_fmt_num(gp_heap.peak_blocks));
   VG_(umsg)("  At exit: %s in %s blocks\n", gp_fmt_bytes(gp_heap.live_bytes),
             gp_fmt_num(gp_heap.live_blocks));
}

void gp_report_text(const GpProfile* p)
{
   if (VG_(clo_verbosity) == 0) return;
   header(p);
   if (gp_clo.cpu) cpu_section(p);
   if (gp_clo.heap) heap_section(p);
   VG_(umsg)("\n");
}
