/* gp_output.c -- writes a profile's files and the text report (see
   gp_output.h).  A file that cannot be written gets a clear message naming
   it and the reason; the text report is always printed. */

#include "gp_output.h"
#include "gp_options.h"

const HChar* gp_output_written_json;

typedef void (*Writer)(GpOut*, const GpProfile*);

/* Non-zero while writing a dump: files get ".<n>" after their name. */
static UInt dump_seq;

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
   if (dump_seq) {
      HChar* numbered = VG_(malloc)(GP_CC("out.name"), VG_(strlen)(name) + 16);
      VG_(sprintf)(numbered, "%s.%u", name, dump_seq);
      VG_(free)(name);
      name = numbered;
   }
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

/* ---- the exchange formats (docs/formats.md) ------------------------------- */

/* File name patterns; NULL = not written. */
static const HChar* callgrind_file;
static const HChar* cachegrind_file;
static const HChar* folded_file;
static const HChar* dhat_file;

GpWrittenFile gp_output_written[GP_OUTPUT_MAX_WRITTEN];
UInt          gp_output_n_written;

static void write_format(const HChar* kind, const HChar* option,
                         const HChar* pattern, Writer w, const GpProfile* p)
{
   const HChar* name = NULL;
   if (!pattern) return;
   if (write_file(option, pattern, w, p, &name)
       && name && gp_output_n_written < GP_OUTPUT_MAX_WRITTEN) {
      gp_output_written[gp_output_n_written].kind = kind;
      gp_output_written[gp_output_n_written].name = name;
      gp_output_n_written++;
   }
}

void gp_output_profile(const GpProfile* p)
{
   const HChar* json_name = NULL;
   write_file("--glprof-out-file", gp_clo.out_file, gp_write_json, p,
              &json_name);
   gp_output_written_json = json_name;
   gp_output_n_written = 0;
   write_format("Callgrind:", "--callgrind-out-file", callgrind_file,
                gp_write_callgrind, p);
   write_format("Cachegrind:", "--cachegrind-out-file", cachegrind_file,
                gp_write_cachegrind, p);
   write_format("Folded:", "--folded-out-file", folded_file,
                gp_write_folded, p);
   if (folded_file && p->heap) {
      /* the heap's folded stacks beside it, under fixed suffixes */
      SizeT n = VG_(strlen)(folded_file) + 16;
      HChar* alloc = VG_(malloc)(GP_CC("out.name"), n);
      HChar* leak = VG_(malloc)(GP_CC("out.name"), n);
      VG_(snprintf)(alloc, n, "%s.alloc-bytes", folded_file);
      VG_(snprintf)(leak, n, "%s.leaked-bytes", folded_file);
      write_format("Folded alloc:", "--folded-out-file", alloc,
                   gp_write_folded_alloc, p);
      if (gp_folded_has_leaks(p))
         write_format("Folded leak:", "--folded-out-file", leak,
                      gp_write_folded_leak, p);
      VG_(free)(alloc);
      VG_(free)(leak);
   }
   if (p->heap)
      write_format("DHAT:", "--dhat-out-file", dhat_file, gp_write_dhat, p);
   if (p->final) gp_report_text(p);
}

void gp_output_dump(const GpProfile* p, UInt seq)
{
   dump_seq = seq;
   gp_output_profile(p);
   dump_seq = 0;
}

/* ---- options for extra output formats -------------------------------------- */

Bool gp_output_option(const HChar* arg)
{
   if      (gp_opt_file(arg, "--callgrind-out-file", &callgrind_file)) {}
   else if (gp_opt_file(arg, "--cachegrind-out-file", &cachegrind_file)) {}
   else if (gp_opt_file(arg, "--folded-out-file", &folded_file)) {}
   else if (gp_opt_file(arg, "--dhat-out-file", &dhat_file)) {}
   else return False;
   return True;
}

/* After all options: the CPU formats need the CPU profile, DHAT's the
   heap profile. */
void gp_output_check(void)
{
   static const struct { const HChar* name; const HChar** var; } cpu_files[] = {
      { "--callgrind-out-file", &callgrind_file },
      { "--cachegrind-out-file", &cachegrind_file },
      { "--folded-out-file", &folded_file } };
   UInt i;
   for (i = 0; i < sizeof(cpu_files) / sizeof(cpu_files[0]); i++) {
      if (*cpu_files[i].var && !gp_clo.cpu) {
         /* Past option parsing, VG_(fmsg_bad_option) no longer exits. */
         VG_(fmsg)("Bad option: %s\n", cpu_files[i].name);
         VG_(fmsg)("'%s' writes the CPU profile: it needs --cpu=yes\n",
                   cpu_files[i].name);
         VG_(exit)(1);
      }
   }
   if (dhat_file && !gp_clo.heap) {
      VG_(fmsg)("Bad option: --dhat-out-file\n");
      VG_(fmsg)("'--dhat-out-file' writes the heap profile: it needs --heap=yes\n");
      VG_(exit)(1);
   }
}

void gp_output_usage(void)
{
   VG_(printf)(
"    other formats (docs/formats.md; none by default):\n"
"    --callgrind-out-file=<file>   CPU profile for callgrind_annotate,\n"
"                                  KCachegrind, gprof2dot, speedscope\n"
"    --cachegrind-out-file=<file>  self instructions per line for cg_annotate\n"
"                                  (and its --diff), cg_diff, cg_merge\n"
"    --folded-out-file=<file>      exact call paths as folded stacks for\n"
"                                  flamegraph.pl, speedscope, inferno; with\n"
"                                  --heap=yes also <file>.alloc-bytes and\n"
"                                  <file>.leaked-bytes\n"
"    --dhat-out-file=<file>        heap profile for DHAT's viewer dh_view.html\n"
   );
}
