/* gp_diff.h -- the comparison behind glprof_diff: metrics, per-function
   deltas, limits (gates), agreement between repeated runs, and the three
   output formats.  Kept apart from main() so the fuzz target can drive it. */

#ifndef GP_DIFF_H
#define GP_DIFF_H

#include "gp_host.h"
#include "gp_profile_read.h"

enum { GPD_TEXT, GPD_MARKDOWN, GPD_JSON };

/* Exit statuses (documented in glprof_diff.1). */
enum { GPD_OK = 0, GPD_INVALID = 1, GPD_USAGE = 2, GPD_REGRESSION = 3 };

enum { GPD_LIM_METRIC, GPD_LIM_FN_SELF, GPD_LIM_FN_INCL };

typedef struct {
   char* spec;        /* as written: "instructions=2%" */
   int kind;          /* GPD_LIM_* */
   int metric;        /* index into the metric table (GPD_LIM_METRIC) */
   char* fn_name;     /* fn:NAME / fnincl:NAME */
   int is_pct;
   u64 pct_micro;     /* the percentage in millionths of a percent */
   u64 abs;           /* the absolute increase allowed */
   int is_default;
} GpdLimit;

typedef struct {
   int format;
   size_t top;        /* rows per function table; 0 = all */
   GpdLimit* limits;
   size_t n_limits;
   const char* old_name;  /* the OLD and NEW arguments, as given */
   const char* new_name;
   size_t old_runs, new_runs;
} GpdOptions;

/* Parses "METRIC=PCT%" or "METRIC=ABS" into *l.  Returns 0, or -1 with a
   message in err. */
int gpd_parse_limit(const char* spec, GpdLimit* l, char* err, size_t errlen);
/* The default gates: instructions=2% and leaked_bytes=0 (definitely lost),
   each unless a --limit names the same metric. */
void gpd_add_default_limits(GpdLimit** limits, size_t* n);
void gpd_free_limits(GpdLimit* limits, size_t n);
/* "instructions, calls, ..." for usage messages. */
const char* gpd_metric_names(void);

/* Repeated runs of one side: 0 when runs[1..n-1] agree with runs[0] on
   every deterministic figure; otherwise 1 and the differences, one per
   line, in *msg (malloc'd). */
int gpd_check_agreement(const GprProfile* runs, size_t n, char** msg);

/* Compares and writes the report in opts->format to out.  Returns GPD_OK,
   GPD_REGRESSION, or GPD_INVALID / GPD_USAGE (after printing a message to
   stderr and nothing to out) when a limit cannot be evaluated. */
int gpd_compare(const GprProfile* old, const GprProfile* new_, const GpdOptions* opts,
                FILE* out);

#endif
