/* gp_cpu_out.c -- the CPU profile's sections: "functions", "calls",
   "paths" and "threads" in the JSON profile, and CPU PROFILE in the text
   report. */

#include "gp_output.h"
#include "gp_options.h"
#include "gp_io.h"

static void write_functions(GpJson* j, const GpProfile* p)
{
   UInt i, li = 0;
   gp_json_arr(j, "functions");
   for (i = 0; i < p->n_fns; i++) {
      const GpFn* f = p->fns[i];
      gp_json_obj(j, NULL);
      gp_json_u64(j, "id", i);
      gp_json_str(j, "name", f->name);
      gp_json_str(j, "file", f->file);
      gp_json_u64(j, "line", f->line);
      gp_json_str(j, "object", f->obj->name);
      gp_json_u64(j, "self_ir", f->self);
      gp_json_u64(j, "incl_ir", f->incl);
      gp_json_u64(j, "calls", f->calls);
      if (p->n_lines) {
         /* lines are sorted by function id, so this function's are next */
         gp_json_arr(j, "lines");
         while (li < p->n_lines && p->lines[li]->fn->out_id < i) li++;
         while (li < p->n_lines && p->lines[li]->fn->out_id == i) {
            const GpLine* l = p->lines[li++];
            gp_json_arr(j, NULL);
            gp_json_str(j, NULL, l->file);
            gp_json_u64(j, NULL, l->line);
            gp_json_u64(j, NULL, l->ir);
            gp_json_end_arr(j);
         }
         gp_json_end_arr(j);
      }
      gp_json_end_obj(j);
   }
   gp_json_end_arr(j);
}

static void write_calls(GpJson* j, const GpProfile* p)
{
   UInt i;
   gp_json_arr(j, "calls");
   for (i = 0; i < p->n_edges; i++) {
      const GpEdge* e = p->edges[i];
      gp_json_obj(j, NULL);
      gp_json_u64(j, "caller", e->caller->out_id);
      gp_json_u64(j, "callee", e->callee->out_id);
      gp_json_u64(j, "calls", e->calls);
      gp_json_u64(j, "incl_ir", e->incl);
      gp_json_end_obj(j);
   }
   gp_json_end_arr(j);
}

static void write_paths(GpJson* j, const GpProfile* p)
{
   UInt i;
   gp_json_obj(j, "paths");
   gp_json_arr(j, "columns");
   gp_json_str(j, NULL, "parent");
   gp_json_str(j, NULL, "fn");
   gp_json_str(j, NULL, "calls");
   gp_json_str(j, NULL, "self_ir");
   gp_json_str(j, NULL, "incl_ir");
   gp_json_end_arr(j);
   gp_json_arr(j, "nodes");
   for (i = 0; i < p->n_paths; i++) {
      const GpPath* n = &p->paths[i];
      gp_json_arr(j, NULL);
      gp_json_i64(j, NULL, n->parent);
      gp_json_u64(j, NULL, n->fn->out_id);
      gp_json_u64(j, NULL, n->calls);
      gp_json_u64(j, NULL, n->self);
      gp_json_u64(j, NULL, n->incl);
      gp_json_end_arr(j);
   }
   gp_json_end_arr(j);
   gp_json_end_obj(j);
}

static void write_threads(GpJson* j, const GpProfile* p)
{
   UInt i;
   gp_json_arr(j, "threads");
   for (i = 0; i < p->n_threads; i++) {
      const GpThread* t = p->threads[i];
      gp_json_obj(j, NULL);
      gp_json_u64(j, "index", t->index + 1);
      gp_json_u64(j, "tid", t->tid);
      gp_json_i64(j, "os_tid", t->os_tid);
      gp_json_u64(j, "instructions", t->accum);
      if (t->parent_index >= 0) gp_json_u64(j, "parent", t->parent_index + 1);
      else gp_json_null(j, "parent");
      if (t->created_by && t->created_by->reported)
         gp_json_u64(j, "created_by", t->created_by->out_id);
      else
         gp_json_null(j, "created_by");
      /* the program's line that created it (gp_io.c; frame index) */
      if (p->io && i < p->io->n_threads && p->io->threads[i].created_at
          && p->io->threads[i].created_at->out_id >= 0)
         gp_json_u64(j, "created_at", p->io->threads[i].created_at->out_id);
      else
         gp_json_null(j, "created_at");
      gp_json_u64(j, "started_at", t->born);
      if (t->exited || !t->alive) gp_json_u64(j, "ended_at", t->died);
      else gp_json_null(j, "ended_at");
      gp_json_u64(j, "max_stack_depth", t->max_depth);
      gp_json_end_obj(j);
   }
   gp_json_end_arr(j);
}

void gp_cpu_json(GpJson* j, const GpProfile* p)
{
   write_threads(j, p);
   if (!gp_clo.cpu) return;
   write_functions(j, p);
   write_calls(j, p);
   write_paths(j, p);
}

/* ---- text report ---------------------------------------------------- */

/* One function per two lines, as in the seed guide's report: the name with
   its file:line (and object when it is not the program) in full, then the
   figures. */
static void fn_table(const GpProfile* p, GpFn** fns, Bool by_incl)
{
   UInt i, n = p->n_fns < gp_clo.top ? p->n_fns : gp_clo.top;
   VG_(umsg)("  Top functions by %s instructions:\n", by_incl ? "inclusive" : "self");
   for (i = 0; i < n; i++) {
      const GpFn* f = fns[i];
      if ((by_incl ? f->incl : f->self) == 0) break;
      VG_(umsg)("  %3u. %s\n", i + 1, gp_fn_label(f, GP_REPORT_WIDTH - 7));
      VG_(umsg)("       self %s (%s)   inclusive %s (%s)   calls %s\n",
                gp_fmt_num(f->self), gp_fmt_pct(f->self, p->total_ir),
                gp_fmt_num(f->incl), gp_fmt_pct(f->incl, p->total_ir),
                gp_fmt_num(f->calls));
   }
}

void gp_cpu_report(const GpProfile* p)
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
   /* Instructions per thread are in THREADS AND LOCKS (gp_io_out.c),
      with each thread's creation site and lifetime. */
}

