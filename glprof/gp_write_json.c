/* gp_write_json.c -- writes a GpProfile as glprof's JSON profile (format
   version GP_JSON_VERSION, documented field by field in
   docs/json-format.md).  Tables come in the profile's deterministic order;
   functions are referred to by their index in "functions". */

#include "gp_output.h"
#include "gp_json.h"
#include "gp_options.h"
#include "gp_proc.h"

static void write_run(GpJson* j, const GpProfile* p)
{
   gp_json_u64(j, "glprof", GP_JSON_VERSION);
   gp_json_str(j, "tool_version", GP_TOOL_VERSION);
   gp_json_str(j, "valgrind_version", GP_VG_VERSION);
   gp_json_str(j, "command", p->command);
   gp_json_i64(j, "pid", p->pid);
   gp_json_i64(j, "ppid", p->ppid);
   gp_json_str(j, "label", p->label);
   gp_json_bool(j, "final", p->final);
   gp_json_obj(j, "exit");
   if (!p->final) {
      gp_json_str(j, "state", "running");
   } else if (gp_proc_end.exited) {
      gp_json_str(j, "state", "exited");
      gp_json_i64(j, "status", gp_proc_end.status);
   } else {
      gp_json_str(j, "state", "signal");
      if (gp_proc_end.signal) {
         gp_json_i64(j, "signal", gp_proc_end.signal);
         gp_json_str(j, "signal_name", VG_(signame)(gp_proc_end.signal));
      } else {
         gp_json_null(j, "signal");
      }
   }
   gp_json_end_obj(j);
   gp_json_obj(j, "options");
   gp_json_bool(j, "cpu", gp_clo.cpu);
   gp_json_bool(j, "heap", gp_clo.heap);
   gp_json_bool(j, "io", gp_clo.io);
   gp_json_bool(j, "lines", gp_clo.lines);
   gp_json_u64(j, "fold_recursion", gp_clo.fold_recursion);
   gp_json_u64(j, "max_call_paths", gp_clo.max_call_paths);
   gp_json_end_obj(j);
}

static void write_totals(GpJson* j, const GpProfile* p)
{
   gp_json_obj(j, "totals");
   gp_json_u64(j, "instructions", p->total_ir);
   gp_json_u64(j, "calls", p->total_calls);
   gp_json_u64(j, "functions", p->n_fns);
   gp_json_u64(j, "threads", p->n_threads);
   gp_json_u64(j, "call_paths", p->n_paths);
   gp_json_u64(j, "max_stack_depth", p->max_stack_depth);
   gp_json_u64(j, "recursion_folds", gp_cct_stats.recursion_folds);
   gp_json_u64(j, "path_cap_folds", gp_cct_stats.cap_folds);
   gp_json_end_obj(j);
}

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
      gp_json_u64(j, "started_at", t->born);
      if (t->alive) gp_json_null(j, "ended_at");
      else gp_json_u64(j, "ended_at", t->died);
      gp_json_u64(j, "max_stack_depth", t->max_depth);
      gp_json_end_obj(j);
   }
   gp_json_end_arr(j);
}

static void write_heap(GpJson* j, const GpProfile* p)
{
   gp_json_obj(j, "heap");
   gp_json_u64(j, "total_allocs", gp_heap.total_allocs);
   gp_json_u64(j, "total_frees", gp_heap.total_frees);
   gp_json_u64(j, "total_bytes", gp_heap.total_bytes);
   gp_json_u64(j, "peak_bytes", gp_heap.peak_bytes);
   gp_json_u64(j, "peak_blocks", gp_heap.peak_blocks);
   gp_json_u64(j, "live_bytes", gp_heap.live_bytes);
   gp_json_u64(j, "live_blocks", gp_heap.live_blocks);
   gp_json_u64(j, "invalid_frees", gp_heap.invalid_frees);
   gp_json_end_obj(j);
}

void gp_write_json(GpOut* o, const GpProfile* p)
{
   GpJson j;
   gp_json_init(&j, o, 2);
   gp_json_obj(&j, NULL);
   write_run(&j, p);
   write_totals(&j, p);
   write_threads(&j, p);
   if (gp_clo.cpu) {
      write_functions(&j, p);
      write_calls(&j, p);
      write_paths(&j, p);
   }
   if (gp_clo.heap) write_heap(&j, p);
   gp_json_end_obj(&j);
}
