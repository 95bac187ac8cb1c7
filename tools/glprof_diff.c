/* glprof_diff.c -- compares two glprof JSON profiles (or two sets of
   repeated runs) and gates CI on the result.

     glprof_diff [--limit METRIC=PCT%|METRIC=ABS]... [--format=text|markdown|json]
                 OLD[,OLD2...] NEW[,NEW2...]

   Exit status: 0 within limits, 3 regression, 1 unreadable or invalid
   input (or repeated runs that disagree), 2 bad usage.  The comparison
   itself is in gp_diff.c; this file reads the command line and the
   profiles. */

#include "gp_diff.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gp_config.h"

static void usage(FILE* f)
{
   fprintf(f,
"usage: glprof_diff [OPTIONS] OLD NEW\n"
"Compares two glprof JSON profiles: instructions and speedup, heap, leaks,\n"
"I/O, and per-function self and inclusive instructions.\n"
"\n"
"OLD and NEW are profiles (--glprof-out-file); a comma-separated list\n"
"(OLD1,OLD2) gives repeated runs of one side, which must agree.\n"
"\n"
"  --limit METRIC=PCT%%    fail (exit 3) when METRIC rises more than PCT percent\n"
"  --limit METRIC=ABS     fail when METRIC rises by more than ABS (1000, 64KB, 2MiB)\n"
"                         METRIC: %s,\n"
"                         fn:NAME (self instructions of function NAME),\n"
"                         fnincl:NAME (its inclusive instructions)\n"
"  --no-default-limits    drop the default limits instructions=2%% and leaked_bytes=0\n"
"  --format=text|markdown|json   output format (default text)\n"
"  --top=N                rows per function table (default 10; 0 = all;\n"
"                         --format=json lists all unless --top is given)\n"
"  -h, --help             this help\n"
"  --version              glprof_diff's version\n"
"\n"
"Exit status: 0 within limits, 3 regression, 1 unreadable or invalid input\n"
"(or repeated runs that disagree), 2 bad usage.\n", gpd_metric_names());
}

static int bad_usage(const char* fmt, const char* arg)
{
   fprintf(stderr, "glprof_diff: ");
   fprintf(stderr, fmt, gph_clean(arg));
   fprintf(stderr, "\nTry 'glprof_diff --help' for more information.\n");
   return GPD_USAGE;
}

/* "--name=value" or "--name value": returns the value or NULL. */
static const char* opt_value(int argc, char** argv, int* i, const char* name)
{
   size_t n = strlen(name);
   if (strncmp(argv[*i], name, n) != 0) return NULL;
   if (argv[*i][n] == '=') return argv[*i] + n + 1;
   if (argv[*i][n] == 0 && *i + 1 < argc) return argv[++*i];
   return NULL;
}

typedef struct {
   const char* arg;
   GprProfile* runs;
   size_t n;
} Side;

/* Splits "a.json,b.json" and reads each profile.  Returns 0, GPD_USAGE
   or GPD_INVALID (after printing the messages). */
static int read_side(Side* s)
{
   char* list = gph_xstrdup(s->arg);
   char* save = NULL;
   char* tok;
   size_t cap = 1, i;
   int rc = 0;
   for (i = 0; list[i]; i++)
      if (list[i] == ',') cap++;
   s->runs = gph_xcalloc(cap, sizeof(*s->runs));
   s->n = 0;
   if (list[0] == 0 || list[0] == ',' || list[strlen(list) - 1] == ',' || strstr(list, ",,")) {
      free(list);
      return bad_usage("'%s': an empty file name in the list of runs", s->arg);
   }
   for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
      char err[1024];
      GprProfile* p = &s->runs[s->n];
      if (gpr_load_file(tok, p, err, sizeof(err)) < 0) {
         fprintf(stderr, "glprof_diff: %s\n", err);
         rc = GPD_INVALID;
         continue;
      }
      /* messages name the file as given; keep the name beyond 'list' */
      p->path = gph_xstrdup(tok);
      s->n++;
   }
   free(list);
   return rc;
}

static void free_side(Side* s)
{
   size_t i;
   for (i = 0; i < s->n; i++) {
      free((char*)s->runs[i].path);
      gpr_free(&s->runs[i]);
   }
   free(s->runs);
}

int main(int argc, char** argv)
{
   GpdOptions o;
   GpdLimit* limits = NULL;
   size_t n_limits = 0;
   int no_defaults = 0, top_given = 0, i, rc;
   const char* files[2] = { NULL, NULL };
   int n_files = 0, only_files = 0;
   Side old_side, new_side;
   char* msg;

   gph_progname = "glprof_diff";
   memset(&o, 0, sizeof(o));
   o.format = GPD_TEXT;
   o.top = 10;
   for (i = 1; i < argc; i++) {
      const char* a = argv[i];
      const char* v;
      if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
         if (n_files == 2) return bad_usage("unexpected argument '%s' (give OLD and NEW)", a);
         files[n_files++] = a;
      } else if (strcmp(a, "--") == 0) {
         only_files = 1;
      } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
         usage(stdout);
         return 0;
      } else if (strcmp(a, "--version") == 0) {
         printf("glprof_diff (glprof) %s\n", PACKAGE_VERSION);
         return 0;
      } else if ((v = opt_value(argc, argv, &i, "--limit"))) {
         char err[1024];
         limits = gph_xrealloc(limits, n_limits + 1, sizeof(*limits));
         if (gpd_parse_limit(v, &limits[n_limits], err, sizeof(err)) < 0) {
            fprintf(stderr, "glprof_diff: %s\n", err);
            gpd_free_limits(limits, n_limits);
            free(limits);
            return GPD_USAGE;
         }
         n_limits++;
      } else if (strcmp(a, "--no-default-limits") == 0) {
         no_defaults = 1;
      } else if ((v = opt_value(argc, argv, &i, "--format"))) {
         if (strcmp(v, "text") == 0) o.format = GPD_TEXT;
         else if (strcmp(v, "markdown") == 0 || strcmp(v, "md") == 0) o.format = GPD_MARKDOWN;
         else if (strcmp(v, "json") == 0) o.format = GPD_JSON;
         else return bad_usage("--format: '%s' is not one of text, markdown, json", v);
      } else if ((v = opt_value(argc, argv, &i, "--top"))) {
         char* end;
         unsigned long long t;
         errno = 0;
         t = strtoull(v, &end, 10);
         if (*v < '0' || *v > '9' || *end || errno || t > 1000000000ULL)
            return bad_usage("--top: '%s' is not a number of rows (0 = all)", v);
         o.top = (size_t)t;
         top_given = 1;
      } else {
         return bad_usage("unknown option '%s'", a);
      }
   }
   if (n_files != 2) {
      fprintf(stderr, "glprof_diff: give two profiles, OLD and NEW\n");
      fprintf(stderr, "Try 'glprof_diff --help' for more information.\n");
      gpd_free_limits(limits, n_limits);
      free(limits);
      return GPD_USAGE;
   }
   {
      /* standard input can be read once */
      int dashes = 0, k;
      for (k = 0; k < 2; k++) {
         const char* t = files[k];
         while (t) {
            size_t len = strcspn(t, ",");
            if (len == 1 && t[0] == '-') dashes++;
            t = t[len] ? t + len + 1 : NULL;
         }
      }
      if (dashes > 1) {
         gpd_free_limits(limits, n_limits);
         free(limits);
         return bad_usage("'-' (standard input) can be given only once%s", "");
      }
   }
   if (o.format == GPD_JSON && !top_given) o.top = 0;
   if (!no_defaults) gpd_add_default_limits(&limits, &n_limits);
   o.limits = limits;
   o.n_limits = n_limits;
   o.old_name = files[0];
   o.new_name = files[1];

   memset(&old_side, 0, sizeof(old_side));
   memset(&new_side, 0, sizeof(new_side));
   old_side.arg = files[0];
   new_side.arg = files[1];
   rc = read_side(&old_side);
   if (rc != GPD_USAGE) {
      int rc2 = read_side(&new_side);
      if (rc2 > rc || rc2 == GPD_USAGE) rc = rc2;
   }
   if (rc == 0) {
      Side* sides[2] = { &old_side, &new_side };
      int s;
      for (s = 0; s < 2 && rc == 0; s++) {
         if (gpd_check_agreement(sides[s]->runs, sides[s]->n, &msg)) {
            fprintf(stderr, "glprof_diff: workload is not deterministic: the %s runs (%s) "
                    "differ:\n%s", s ? "NEW" : "OLD", gph_clean(sides[s]->arg), msg);
            free(msg);
            rc = GPD_INVALID;
         }
      }
   }
   if (rc == 0) {
      o.old_runs = old_side.n;
      o.new_runs = new_side.n;
      rc = gpd_compare(&old_side.runs[0], &new_side.runs[0], &o, stdout);
      if (fflush(stdout) != 0 || ferror(stdout)) {
         fprintf(stderr, "glprof_diff: cannot write the report: %s\n", strerror(errno));
         rc = GPD_INVALID;
      }
   }
   free_side(&old_side);
   free_side(&new_side);
   gpd_free_limits(limits, n_limits);
   free(limits);
   return rc;
}
