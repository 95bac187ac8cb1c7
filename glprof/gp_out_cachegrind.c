/* gp_out_cachegrind.c -- self instructions per function and source line in
   Cachegrind's format (--cachegrind-out-file), so that cg_annotate
   annotates source with glprof's counts, and cg_annotate --diff (3.21+),
   cg_diff and cg_merge compare or merge glprof runs with the tools their
   users already have.  docs/formats.md says why this subset is written.

   Cachegrind's format is stricter than Callgrind's and has no calls:
   "desc:" lines, then "cmd:", then "events:" (cg_annotate reads them in
   that order); then fl=/fn= and "<line> <Ir>" lines, no name compression,
   no ob=, fi= or calls=; and "summary:" last, equal to the exact sum of the
   cost lines (cg_annotate >= 3.21 refuses the file otherwise). */

#include "gp_out_common.h"

void gp_write_cachegrind(GpOut* o, const GpProfile* p)
{
   GpOutCtx c;
   XArray* pos = VG_(newXA)(VG_(malloc), GP_CC("out.cgi"), VG_(free),
                            sizeof(GpOutPos));
   ULong sum = 0;
   UInt i;
   gp_outctx_init(&c, p);

   gp_out_printf(o, "desc: %s-%s: self instructions per function and "
                 "source line (no calls, no cache simulation)\n",
                 GP_TOOL_NAME, GP_TOOL_VERSION);
   gp_out_printf(o, "cmd: %s\n", gp_out_path(&c, p->command));
   gp_out_puts(o, "events: Ir\n");

   for (i = 0; i < p->n_fns; i++) {
      const GpFn* f = p->fns[i];
      const HChar* cur = NULL;
      Word k;
      VG_(dropTailXA)(pos, VG_(sizeXA)(pos));
      gp_out_fn_positions(&c, f, pos);
      for (k = 0; k < VG_(sizeXA)(pos); k++) {
         const GpOutPos* ps = VG_(indexXA)(pos, k);
         if (ps->file != cur) {
            /* every file change restates the function (cg_annotate keys
               costs by file and function, and fl= forgets the function) */
            gp_out_printf(o, "fl=%s\nfn=%s\n", ps->file, gp_out_name(&c, f));
            cur = ps->file;
         }
         gp_out_printf(o, "%u %llu\n", ps->line, ps->ir);
         sum += ps->ir;
      }
   }
   gp_out_printf(o, "summary: %llu\n", sum);

   VG_(deleteXA)(pos);
   gp_outctx_free(&c);
}
