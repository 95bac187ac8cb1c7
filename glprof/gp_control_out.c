/* gp_control_out.c -- the control concern's sections: "iterations" and
   "regions" in the JSON profile, ITERATIONS AND REGIONS in the text report
   (the seed guide's per-iteration view and its @profile decorators). */

#include "gp_output.h"
#include "gp_control.h"
#include "gp_options.h"

static void stat_json(GpJson* j, const HChar* key, const GpStat* s)
{
   gp_json_obj(j, key);
   gp_json_u64(j, "total", s->total);
   gp_json_u64(j, "mean", s->mean);
   gp_json_u64(j, "min", s->min);
   gp_json_u64(j, "max", s->max);
   gp_json_u64(j, "stddev", s->stddev);
   gp_json_end_obj(j);
}

void gp_control_json(GpJson* j, const GpProfile* p)
{
   const GpControlProfile* c = p->control;
   UInt i;
   if (!c) return;
   gp_json_obj(j, "iterations");
   gp_json_u64(j, "marks", c->marks);
   gp_json_u64(j, "warmup", c->warmup);
   gp_json_u64(j, "counted", c->counted);
   if (c->counted) {
      stat_json(j, "instructions", &c->instructions);
      stat_json(j, "calls", &c->calls);
      stat_json(j, "allocs", &c->allocs);
      stat_json(j, "alloc_bytes", &c->alloc_bytes);
      stat_json(j, "io_ops", &c->io_ops);
      stat_json(j, "io_bytes", &c->io_bytes);
      gp_json_obj(j, "live_bytes_growth");
      gp_json_i64(j, "mean", c->live_growth.mean_signed);
      gp_json_u64(j, "min_abs", c->live_growth.min);
      gp_json_u64(j, "max_abs", c->live_growth.max);
      gp_json_u64(j, "stddev", c->live_growth.stddev);
      gp_json_end_obj(j);
   }
   gp_json_end_obj(j);
   gp_json_arr(j, "regions");
   for (i = 0; i < c->n_regions; i++) {
      const GpRegion* r = c->regions[i];
      gp_json_obj(j, NULL);
      gp_json_str(j, "name", r->name);
      gp_json_str(j, "parent", r->parent);
      gp_json_u64(j, "entries", r->entries);
      gp_json_u64(j, "instructions", r->sum.instructions);
      gp_json_u64(j, "calls", r->sum.calls);
      gp_json_u64(j, "allocs", r->sum.allocs);
      gp_json_u64(j, "alloc_bytes", r->sum.alloc_bytes);
      gp_json_i64(j, "live_bytes_growth", (Long)r->sum.live_bytes);
      gp_json_u64(j, "peak_bytes", r->peak_live);
      gp_json_u64(j, "io_ops", r->sum.io_ops);
      gp_json_u64(j, "io_bytes", r->sum.io_bytes);
      gp_json_end_obj(j);
   }
   gp_json_end_arr(j);
}

static void stat_line(const HChar* what, const GpStat* s)
{
   VG_(umsg)("    %-14s %15s per iteration (min %s, max %s, stddev %s)\n", what,
             gp_fmt_num(s->mean), gp_fmt_num(s->min), gp_fmt_num(s->max),
             gp_fmt_num(s->stddev));
}

void gp_control_report(const GpProfile* p)
{
   const GpControlProfile* c = p->control;
   UInt i;
   if (!c || (c->marks == 0 && c->n_regions == 0)) return;
   VG_(umsg)("\n");
   VG_(umsg)("ITERATIONS AND REGIONS:\n");
   if (c->marks) {
      VG_(umsg)("  Iterations: %s marked, %u warm-up left out (--iteration-warmup)\n",
                gp_fmt_num(c->marks), c->warmup);
      if (c->counted) {
         stat_line("Instructions:", &c->instructions);
         stat_line("Calls:", &c->calls);
         stat_line("Allocations:", &c->allocs);
         stat_line("Bytes alloc.:", &c->alloc_bytes);
         if (c->io_ops.total) stat_line("I/O ops:", &c->io_ops);
         VG_(umsg)("    %-14s %15s%lld B per iteration on average\n", "Live heap:",
                   c->live_growth.mean_signed >= 0 ? "+" : "",
                   c->live_growth.mean_signed);
      }
   }
   if (c->n_regions) {
      VG_(umsg)("  Regions (GLPROF_REGION_BEGIN/END):\n");
      VG_(umsg)("   %-24s %8s %15s %7s %11s %13s %11s\n", "region", "entries",
                "instructions", "", "allocs", "peak heap", "I/O bytes");
      for (i = 0; i < c->n_regions && i < gp_clo.top; i++) {
         const GpRegion* r = c->regions[i];
         VG_(umsg)("   %-24s %8s %15s %7s %11s %13s %11s\n", r->name,
                   gp_fmt_num(r->entries), gp_fmt_num(r->sum.instructions),
                   gp_fmt_pct(r->sum.instructions, p->total_ir),
                   gp_fmt_num(r->sum.allocs), gp_fmt_bytes(r->peak_live),
                   gp_fmt_num(r->sum.io_bytes));
      }
   }
}
