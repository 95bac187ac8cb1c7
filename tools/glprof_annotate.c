/* glprof_annotate.c -- re-renders a saved glprof JSON profile without
   re-running the program: the text report with other choices (--top,
   --sort, --sections), annotated source (--function, --top-functions), and
   flame graphs from the exact call paths (--flamegraph, --folded).

   Exit status: 0 done, 1 unreadable or invalid profile, missing data for
   the flame graph asked for, or an output file that cannot be written;
   2 bad usage (including --function naming no function of the profile).
   The work is in gp_annotate.c and gp_flame.c. */

#include "gp_annotate.h"
#include "gp_flame.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gp_config.h"

static void usage(FILE* f)
{
   fprintf(f,
"usage: glprof_annotate [OPTIONS] PROFILE\n"
"Re-renders a glprof JSON profile: the text report, annotated source, and\n"
"flame graphs.  PROFILE is a file written by --glprof-out-file ('-' reads\n"
"standard input).\n"
"\n"
"Report:\n"
"  --sections=LIST        sections to print: %s\n"
"                         (default: all the profile has)\n"
"  --top=N                rows per table (default 10; 0 = all)\n"
"  --sort=self|incl|calls one function table sorted by this (default: two\n"
"                         tables, by self and by inclusive instructions)\n"
"Annotated source:\n"
"  --function=NAME        annotate function NAME (repeatable)\n"
"  --top-functions=N      annotate the N functions with the most self instructions\n"
"  --context=N            source lines shown around each costed line (default 8)\n"
"  --source-dir=DIR       look for source files under DIR too (repeatable)\n"
"  --path-map=FROM=TO     read files under FROM from TO instead (repeatable)\n"
"Flame graph:\n"
"  --flamegraph=FILE.svg  write a self-contained SVG flame graph ('-': stdout)\n"
"  --folded=FILE          write folded stacks (flamegraph.pl, speedscope, inferno)\n"
"  --metric=M             instructions (call paths, default), alloc_bytes (heap\n"
"                         allocation stacks) or leaked_bytes (lost blocks' stacks)\n"
"  --title=TEXT           the flame graph's title\n"
"  --width=PIXELS         the flame graph's width (default 1200)\n"
"\n"
"With only --flamegraph, --folded, --function or --top-functions, the report\n"
"is left out; add --sections=all to have both.\n"
"  -h, --help             this help\n"
"  --version              glprof_annotate's version\n", gpa_section_names());
}

static int bad_usage(const char* fmt, const char* arg)
{
   fprintf(stderr, "glprof_annotate: ");
   fprintf(stderr, fmt, gph_clean(arg));
   fprintf(stderr, "\nTry 'glprof_annotate --help' for more information.\n");
   return 2;
}

static const char* opt_value(int argc, char** argv, int* i, const char* name)
{
   size_t n = strlen(name);
   if (strncmp(argv[*i], name, n) != 0) return NULL;
   if (argv[*i][n] == '=') return argv[*i] + n + 1;
   if (argv[*i][n] == 0 && *i + 1 < argc) return argv[++*i];
   return NULL;
}

static int parse_count(const char* v, u64 max, u64* out)
{
   char* end;
   unsigned long long x;
   if (*v < '0' || *v > '9') return -1;
   errno = 0;
   x = strtoull(v, &end, 10);
   if (*end || errno || x > max) return -1;
   *out = x;
   return 0;
}

/* Opens an output file ("-" is stdout); NULL after a message. */
static FILE* open_out(const char* path)
{
   FILE* f;
   if (strcmp(path, "-") == 0) return stdout;
   f = fopen(path, "w");
   if (!f)
      fprintf(stderr, "glprof_annotate: cannot write %s: %s\n", gph_clean(path), strerror(errno));
   return f;
}

static int close_out(FILE* f, const char* path)
{
   int bad = ferror(f);
   if (f == stdout) bad |= fflush(f) != 0;
   else bad |= fclose(f) != 0;
   if (bad) {
      fprintf(stderr, "glprof_annotate: cannot write %s: %s\n", gph_clean(path),
              strerror(errno ? errno : EIO));
      return -1;
   }
   return 0;
}

int main(int argc, char** argv)
{
   GpaOptions o;
   GpfOptions fo;
   const char* profile = NULL;
   const char* svg_path = NULL;
   const char* folded_path = NULL;
   int sections_given = 0, only_files = 0, i, rc = 0;
   GprProfile p;
   char err[1024];
   u64 x;

   gph_progname = "glprof_annotate";
   memset(&o, 0, sizeof(o));
   memset(&fo, 0, sizeof(fo));
   o.sections = GPA_ALL;
   o.top = 10;
   o.context = 8;
   o.read_sources = 1;
   o.functions = gph_xcalloc((size_t)argc + 1, sizeof(*o.functions));
   o.source_dirs = gph_xcalloc((size_t)argc + 1, sizeof(*o.source_dirs));
   o.maps = gph_xcalloc((size_t)argc + 1, sizeof(*o.maps));
   fo.metric = GPF_INSTRUCTIONS;
   fo.width = 1200;
   fo.min_width = 10; /* 0.1 pixel, as flamegraph.pl */

#define FAIL_USAGE(fmt, arg) do { rc = bad_usage(fmt, arg); goto out; } while (0)
   for (i = 1; i < argc; i++) {
      const char* a = argv[i];
      const char* v;
      if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
         if (profile) FAIL_USAGE("unexpected argument '%s' (give one profile)", a);
         profile = a;
      } else if (strcmp(a, "--") == 0) {
         only_files = 1;
      } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
         usage(stdout);
         goto out;
      } else if (strcmp(a, "--version") == 0) {
         printf("glprof_annotate (glprof) %s\n", PACKAGE_VERSION);
         goto out;
      } else if ((v = opt_value(argc, argv, &i, "--sections"))) {
         int s = gpa_parse_sections(v);
         if (s < 0)
            FAIL_USAGE("--sections: '%s' names an unknown section (sections: cpu, heap, "
                       "leaks, io, threads, findings, all, none)", v);
         o.sections = (unsigned)s;
         sections_given = 1;
      } else if ((v = opt_value(argc, argv, &i, "--top-functions"))) {
         if (parse_count(v, 100000, &x) < 0)
            FAIL_USAGE("--top-functions: '%s' is not a number of functions", v);
         o.top_functions = (size_t)x;
      } else if ((v = opt_value(argc, argv, &i, "--top"))) {
         if (parse_count(v, 1000000000, &x) < 0)
            FAIL_USAGE("--top: '%s' is not a number of rows (0 = all)", v);
         o.top = (size_t)x;
      } else if ((v = opt_value(argc, argv, &i, "--sort"))) {
         if (strcmp(v, "self") == 0) o.sort = GPA_SORT_SELF;
         else if (strcmp(v, "incl") == 0 || strcmp(v, "inclusive") == 0) o.sort = GPA_SORT_INCL;
         else if (strcmp(v, "calls") == 0) o.sort = GPA_SORT_CALLS;
         else FAIL_USAGE("--sort: '%s' is not one of self, incl, calls", v);
      } else if ((v = opt_value(argc, argv, &i, "--function"))) {
         if (!*v) FAIL_USAGE("--function needs a function name%s", "");
         o.functions[o.n_functions++] = v;
      } else if ((v = opt_value(argc, argv, &i, "--context"))) {
         if (parse_count(v, 10000, &x) < 0)
            FAIL_USAGE("--context: '%s' is not a number of lines (0..10000)", v);
         o.context = (size_t)x;
      } else if ((v = opt_value(argc, argv, &i, "--source-dir"))) {
         if (!*v) FAIL_USAGE("--source-dir needs a directory%s", "");
         o.source_dirs[o.n_source_dirs++] = v;
      } else if ((v = opt_value(argc, argv, &i, "--path-map"))) {
         const char* eq = strchr(v, '=');
         if (!eq || eq == v)
            FAIL_USAGE("--path-map: '%s' is not FROM=TO (e.g. /build/src=/home/me/src)", v);
         o.maps[o.n_maps].from = gph_xprintf("%.*s", (int)(eq - v), v);
         o.maps[o.n_maps].to = eq + 1;
         o.n_maps++;
      } else if ((v = opt_value(argc, argv, &i, "--flamegraph"))) {
         if (!*v) FAIL_USAGE("--flamegraph needs a file name%s", "");
         svg_path = v;
      } else if ((v = opt_value(argc, argv, &i, "--folded"))) {
         if (!*v) FAIL_USAGE("--folded needs a file name%s", "");
         folded_path = v;
      } else if ((v = opt_value(argc, argv, &i, "--metric"))) {
         fo.metric = gpf_metric_from_name(v);
         if (fo.metric < 0)
            FAIL_USAGE("--metric: '%s' is not one of instructions, alloc_bytes, leaked_bytes", v);
      } else if ((v = opt_value(argc, argv, &i, "--title"))) {
         fo.title = v;
      } else if ((v = opt_value(argc, argv, &i, "--width"))) {
         if (parse_count(v, 100000, &x) < 0 || x < 200)
            FAIL_USAGE("--width: '%s' is not a width in pixels (200..100000)", v);
         fo.width = (unsigned)x;
      } else {
         FAIL_USAGE("unknown option '%s'", a);
      }
   }
   if (!profile) FAIL_USAGE("give a profile to read%s", "");
   if (svg_path && folded_path && strcmp(svg_path, "-") == 0 && strcmp(folded_path, "-") == 0)
      FAIL_USAGE("--flamegraph and --folded cannot both write to standard output%s", "");

   if (gpr_load_file(profile, &p, err, sizeof(err)) < 0) {
      fprintf(stderr, "glprof_annotate: %s\n", err);
      rc = 1;
      goto out;
   }
   /* the report is printed unless only other outputs were asked for */
   if (!sections_given && (svg_path || folded_path || o.n_functions || o.top_functions))
      o.sections = 0;
   if (o.sections) gpa_report(&p, &o, stdout);
   if (o.n_functions || o.top_functions) {
      if (gpa_annotate(&p, &o, stdout, err, sizeof(err)) < 0) {
         fprintf(stderr, "glprof_annotate: %s\n", err);
         rc = 2;
      }
   }
   if (rc == 0 && (svg_path || folded_path)) {
      FILE* svg = svg_path ? open_out(svg_path) : NULL;
      FILE* folded = folded_path ? open_out(folded_path) : NULL;
      if ((svg_path && !svg) || (folded_path && !folded)) {
         rc = 1;
      } else if (gpf_write(&p, &fo, svg, folded, err, sizeof(err)) < 0) {
         fprintf(stderr, "glprof_annotate: %s\n", err);
         rc = 1;
      }
      if (svg && close_out(svg, svg_path) < 0) rc = 1;
      if (folded && close_out(folded, folded_path) < 0) rc = 1;
   }
   if (fflush(stdout) != 0 || ferror(stdout)) {
      fprintf(stderr, "glprof_annotate: cannot write the report: %s\n", strerror(errno));
      rc = 1;
   }
   gpr_free(&p);
out:
   for (i = 0; i < (int)o.n_maps; i++) free((char*)o.maps[i].from);
   free(o.maps);
   free(o.functions);
   free(o.source_dirs);
   return rc;
#undef FAIL_USAGE
}
