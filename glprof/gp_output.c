/* gp_output.c -- writes a profile's files and the text report (see
   gp_output.h).  A file that cannot be written gets a clear message naming
   it and the reason; the text report is always printed. */

#include "gp_output.h"
#include "gp_options.h"

const HChar* gp_output_written_json;

typedef void (*Writer)(GpOut*, const GpProfile*);

/* Expands %p etc. now (not at start-up: a forked child must not reuse its
   parent's name) and writes with w.  Returns True on success. */
static Bool write_file(const HChar* option, const HChar* pattern, Writer w,
                       const GpProfile* p, const HChar** written_name)
{
   HChar* name;
   GpOut o;
   Int err = 0;
   *written_name = NULL;
   if (!pattern || !pattern[0]) return True;
   name = VG_(expand_file_name)(option, pattern);
   if (!gp_out_open(&o, name, &err)) {
      VG_(umsg)("glprof: cannot write %s '%s': %s\n", option, name,
                gp_strerror(err));
      VG_(free)(name);
      return False;
   }
   w(&o, p);
   err = gp_out_close(&o);
   if (err) {
      VG_(umsg)("glprof: error writing %s '%s': %s (the file is incomplete)\n",
                option, name, gp_strerror(err));
      VG_(free)(name);
      return False;
   }
   *written_name = name;   /* kept for the report header */
   return True;
}

void gp_output_profile(const GpProfile* p)
{
   const HChar* json_name = NULL;
   write_file("--glprof-out-file", gp_clo.out_file, gp_write_json, p,
              &json_name);
   gp_output_written_json = json_name;
   if (p->final) gp_report_text(p);
}

/* ---- options for extra output formats -------------------------------------- */

Bool gp_output_option(const HChar* arg)
{
   return False;
}

void gp_output_usage(void)
{
}
