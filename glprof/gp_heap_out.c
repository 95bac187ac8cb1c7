/* gp_heap_out.c -- the heap profile's sections: "heap" (and "leaks") in
   the JSON profile, MEMORY PROFILE (and LEAKS) in the text report. */

#include "gp_output.h"
#include "gp_options.h"

void gp_heap_json(GpJson* j, const GpProfile* p)
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


void gp_heap_report(const GpProfile* p)
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

