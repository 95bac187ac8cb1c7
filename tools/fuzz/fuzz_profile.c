/* fuzz_profile.c -- the fuzz target for glprof's host programs: one input
   is one JSON profile.  It goes through the reader (gp_profile_read.c) and,
   when accepted, through everything that consumes a profile:
   glprof_diff's comparison in its three formats, both ways against a fixed
   valid profile and against itself, the agreement check of repeated runs,
   glprof_annotate's report, source annotation and the three flame graphs.

   Besides the sanitizers, it checks properties that must hold for any
   input: a rejected profile comes with a one-line printable message naming
   the file; a profile agrees with itself and compares with itself with no
   regression; glprof_diff's JSON output is valid JSON.

   Built with libFuzzer by `make fuzz`, and with tools/fuzz/replay_main.c as
   a plain program by `make check-sanitize` to replay tests/fuzz/corpus. */

#define _GNU_SOURCE
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gp_annotate.h"
#include "gp_diff.h"
#include "gp_flame.h"
#include "gp_profile_read.h"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

/* A small valid profile with every section, to compare inputs against. */
static const char seed_json[] =
   "{\"glprof\":1,\"tool_version\":\"0.1.0\",\"valgrind_version\":\"3.19.0\","
   "\"command\":\"./seed\",\"pid\":1,\"ppid\":0,\"label\":null,\"final\":true,"
   "\"exit\":{\"state\":\"exited\",\"status\":0},"
   "\"options\":{\"cpu\":true,\"heap\":true,\"io\":true,\"lines\":true,"
   "\"fold_recursion\":8,\"max_call_paths\":4000000},"
   "\"totals\":{\"instructions\":1000,\"calls\":3,\"functions\":3,\"threads\":1,"
   "\"call_paths\":3,\"max_stack_depth\":3,\"recursion_folds\":0,\"path_cap_folds\":0},"
   "\"threads\":[{\"index\":1,\"tid\":1,\"os_tid\":1,\"instructions\":1000,\"parent\":null,"
   "\"created_by\":null,\"started_at\":0,\"ended_at\":1000,\"max_stack_depth\":3}],"
   "\"functions\":["
   "{\"id\":0,\"name\":\"work\",\"file\":\"/src/seed.c\",\"line\":10,\"object\":\"/bin/seed\","
   "\"self_ir\":800,\"incl_ir\":800,\"calls\":2,\"lines\":[[\"/src/seed.c\",11,600],[\"/src/seed.c\",12,200]]},"
   "{\"id\":1,\"name\":\"main\",\"file\":\"/src/seed.c\",\"line\":20,\"object\":\"/bin/seed\","
   "\"self_ir\":150,\"incl_ir\":1000,\"calls\":1,\"lines\":[[\"/src/seed.c\",21,150]]},"
   "{\"id\":2,\"name\":\"malloc\",\"file\":null,\"line\":0,\"object\":\"/lib/vgpreload_glprof.so\","
   "\"self_ir\":50,\"incl_ir\":50,\"calls\":1,\"lines\":[]}],"
   "\"calls\":[{\"caller\":1,\"callee\":0,\"calls\":2,\"incl_ir\":800},"
   "{\"caller\":1,\"callee\":2,\"calls\":1,\"incl_ir\":50}],"
   "\"paths\":{\"columns\":[\"parent\",\"fn\",\"calls\",\"self_ir\",\"incl_ir\"],"
   "\"nodes\":[[-1,1,1,150,1000],[0,0,2,800,800],[0,2,1,50,50]]},"
   "\"frames\":[{\"fn\":2,\"name\":\"malloc\",\"file\":null,\"line\":0,\"object\":\"/lib/vgpreload_glprof.so\"},"
   "{\"fn\":1,\"name\":\"main\",\"file\":\"/src/seed.c\",\"line\":22,\"object\":\"/bin/seed\"}],"
   "\"heap\":{\"total_allocs\":1,\"total_frees\":0,\"total_bytes\":64,\"peak_bytes\":64,"
   "\"peak_blocks\":1,\"peak_at\":900,\"live_bytes\":64,\"live_blocks\":1,\"invalid_frees\":0,"
   "\"mismatched_frees\":0,\"sites\":[{\"stack\":[0,1],\"allocs\":1,\"bytes\":64,\"frees\":0,"
   "\"max_live_bytes\":64,\"bytes_at_peak\":64,\"live_blocks\":1,\"live_bytes\":64,"
   "\"avg_lifetime\":0,\"short_lived\":0,\"growth\":null}]},"
   "\"leaks\":{\"definitely_lost\":{\"bytes\":64,\"blocks\":1},\"indirectly_lost\":{\"bytes\":0,\"blocks\":0},"
   "\"possibly_lost\":{\"bytes\":0,\"blocks\":0},\"still_reachable\":{\"bytes\":0,\"blocks\":0},"
   "\"suppressed\":{\"bytes\":0,\"blocks\":0},\"records\":[{\"kind\":\"definite\",\"bytes\":64,"
   "\"blocks\":1,\"direct_bytes\":64,\"indirect_bytes\":0,\"stack\":[0,1]}]},"
   "\"io\":{\"read_ops\":1,\"read_bytes\":10,\"write_ops\":2,\"write_bytes\":20,\"failed_ops\":0,"
   "\"time_ms\":1,\"files\":[{\"path\":\"/dev/null\",\"read_ops\":1,\"read_bytes\":10,\"write_ops\":2,"
   "\"write_bytes\":20,\"failed_ops\":0,\"opens\":1}],\"sites\":[{\"fn\":1,\"file\":\"/src/seed.c\","
   "\"line\":23,\"read_ops\":1,\"read_bytes\":10,\"write_ops\":2,\"write_bytes\":20}]},"
   "\"locks\":[{\"kind\":\"mutex\",\"acquisitions\":2,\"contended\":0,\"site\":1,\"condvar_waits\":0}],"
   "\"determinism\":{\"warnings\":[{\"kind\":\"clock\",\"calls\":1,\"sites\":[1],\"message\":\"time\"}]},"
   "\"findings\":[{\"kind\":\"hot-function\",\"severity\":\"high\",\"message\":\"work is hot\","
   "\"location\":\"work (seed.c:10)\",\"evidence\":\"80%\",\"recommendation\":\"optimise work\"}]}";

static void check(int cond, const char* what)
{
   if (!cond) {
      fprintf(stderr, "fuzz_profile: property violated: %s\n", what);
      abort();
   }
}

static void check_message(const char* err)
{
   const unsigned char* p;
   check(strncmp(err, "fuzz.json: ", 11) == 0, "the message names the file");
   for (p = (const unsigned char*)err; *p; p++)
      check(*p >= 0x20 && *p != 0x7f, "the message is one printable line");
}

/* Runs glprof_diff's comparison in every format; JSON must parse. */
static void diff(const GprProfile* a, const GprProfile* b, FILE* sink, int expect_same)
{
   GpdLimit* limits = NULL;
   size_t n = 0;
   int fmt;
   char err[256];
   limits = gph_xcalloc(2, sizeof(*limits));
   if (gpd_parse_limit("fn:main=5%", &limits[0], err, sizeof(err)) == 0) n++;
   gpd_add_default_limits(&limits, &n);
   for (fmt = GPD_TEXT; fmt <= GPD_JSON; fmt++) {
      GpdOptions o;
      char* buf = NULL;
      size_t len = 0;
      FILE* f = fmt == GPD_JSON ? open_memstream(&buf, &len) : sink;
      int rc;
      memset(&o, 0, sizeof(o));
      o.format = fmt;
      o.top = fmt == GPD_TEXT ? 10 : 0;
      o.limits = limits;
      o.n_limits = n;
      o.old_name = a->path;
      o.new_name = b->path;
      o.old_runs = o.new_runs = 1;
      rc = gpd_compare(a, b, &o, f);
      check(rc == GPD_OK || rc == GPD_REGRESSION || rc == GPD_INVALID || rc == GPD_USAGE,
            "gpd_compare returns a documented status");
      if (expect_same && rc != GPD_USAGE && rc != GPD_INVALID)
         check(rc == GPD_OK, "a profile compared with itself is no regression");
      if (fmt == GPD_JSON) {
         json_error_t e;
         json_t* j;
         fclose(f);
         if (rc == GPD_OK || rc == GPD_REGRESSION) {
            j = json_loadb(buf, len, 0, &e);
            check(j != NULL, "glprof_diff --format=json writes valid JSON");
            json_decref(j);
         }
         free(buf);
      }
   }
   gpd_free_limits(limits, n);
   free(limits);
}

static void annotate(const GprProfile* p, FILE* sink)
{
   static const int sorts[] = { GPA_SORT_DEFAULT, GPA_SORT_SELF, GPA_SORT_INCL, GPA_SORT_CALLS };
   GpaOptions o;
   GpfOptions fo;
   const char* names[] = { "main", "work" };
   char err[256];
   size_t s;
   int m;
   memset(&o, 0, sizeof(o));
   o.sections = GPA_ALL;
   o.context = 2;
   o.read_sources = 0; /* never open files an input names */
   for (s = 0; s < 4; s++) {
      o.sort = sorts[s];
      o.top = s == 0 ? 0 : 3;
      gpa_report(p, &o, sink);
   }
   o.functions = names;
   o.n_functions = 1;
   o.top_functions = 3;
   gpa_annotate(p, &o, sink, err, sizeof(err));
   memset(&fo, 0, sizeof(fo));
   fo.width = 1200;
   fo.min_width = 10;
   for (m = GPF_INSTRUCTIONS; m <= GPF_LEAKED_BYTES; m++) {
      fo.metric = m;
      gpf_write(p, &fo, sink, sink, err, sizeof(err));
   }
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
   static GprProfile seed;
   static int have_seed;
   static FILE* sink;
   GprProfile p, runs[2];
   char err[1024];
   char* msg;

   gph_progname = "fuzz_profile";
   gph_quiet = 1;
   if (!have_seed) {
      if (gpr_load_buffer("seed.json", seed_json, sizeof(seed_json) - 1, &seed, err,
                          sizeof(err)) < 0) {
         fprintf(stderr, "fuzz_profile: the built-in seed is invalid: %s\n", err);
         abort();
      }
      sink = fopen("/dev/null", "w");
      have_seed = 1;
   }
   if (gpr_load_buffer("fuzz.json", (const char*)data, size, &p, err, sizeof(err)) < 0) {
      check(err[0] != 0, "a rejected profile has a message");
      check_message(err);
      return 0;
   }
   diff(&p, &seed, sink, 0);
   diff(&seed, &p, sink, 0);
   diff(&p, &p, sink, 1);
   runs[0] = p;
   runs[1] = p;
   check(gpd_check_agreement(runs, 2, &msg) == 0, "a profile agrees with itself");
   free(msg);
   runs[1] = seed;
   if (gpd_check_agreement(runs, 2, &msg)) free(msg);
   annotate(&p, sink);
   gpr_free(&p);
   return 0;
}
