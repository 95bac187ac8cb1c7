/* gp_write_json.c -- writes a GpProfile as glprof's JSON profile (format
   version GP_JSON_VERSION, documented field by field in
   docs/json-format.md): the run's description and totals here, then each
   concern's sections from its gp_*_out.c.  Tables come in the profile's
   deterministic order; functions are referred to by their index in
   "functions". */

#include "gp_output.h"
#include "gp_json.h"
#include "gp_options.h"
#include "gp_proc.h"
#include "gp_frames.h"
#include "gp_io.h"

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
         gp_json_str(j, "signal_name", gp_signame(gp_proc_end.signal));
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
   gp_json_bool(j, "locks", gp_io_clo.locks);
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

/* Source locations used by the stacks of heap sites, leak records, I/O and
   lock sites. */
static void write_frames(GpJson* j)
{
   UInt i;
   gp_json_arr(j, "frames");
   for (i = 0; i < gp_frames_n_sorted; i++) {
      const GpFrameLoc* l = gp_frames_sorted[i];
      gp_json_obj(j, NULL);
      if (l->fn && l->fn->reported) gp_json_u64(j, "fn", l->fn->out_id);
      else gp_json_null(j, "fn");
      gp_json_str(j, "name", l->name);
      gp_json_str(j, "file", l->file);
      gp_json_u64(j, "line", l->line);
      gp_json_str(j, "object", l->obj ? l->obj->name : "???");
      gp_json_end_obj(j);
   }
   gp_json_end_arr(j);
}

void gp_write_json(GpOut* o, const GpProfile* p)
{
   GpJson j;
   gp_json_init(&j, o, 2);
   gp_json_obj(&j, NULL);
   write_run(&j, p);
   write_totals(&j, p);
   /* Each concern writes its own sections (gp_*_out.c). */
   gp_cpu_json(&j, p);
   write_frames(&j);
   if (gp_clo.heap) gp_heap_json(&j, p);
   gp_io_json(&j, p);   /* "io" with --io=yes; "locks", "determinism" */
   gp_control_json(&j, p);
   gp_findings_json(&j, p);
   gp_json_end_obj(&j);
}
