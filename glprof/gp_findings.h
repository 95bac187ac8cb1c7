/* gp_findings.h -- bottlenecks and recommendations: a small rule engine over
   the analysed profile (gp_findings.c).  Every finding carries its evidence
   (the figures and the threshold they crossed) and a recommendation that
   names what to change; a rule that has no evidence says nothing. */

#ifndef GP_FINDINGS_H
#define GP_FINDINGS_H

#include "gp_tool.h"

typedef enum { GP_SEV_HIGH = 0, GP_SEV_MEDIUM = 1, GP_SEV_LOW = 2 } GpSeverity;

#define GP_FINDING_MAX_EVIDENCE 8

typedef struct {
   const HChar* key;
   ULong        value;       /* a count, bytes, or a per-mille share */
   const HChar* text;        /* or a string (then value is unused) */
} GpEvidence;

typedef struct GpFinding {
   const HChar* kind;        /* the rule: "hot-function", "leak", ... */
   GpSeverity   severity;
   HChar*       message;     /* one line with the evidence */
   HChar*       location;    /* "fn (file:line)" or a path */
   HChar*       recommendation;
   GpEvidence   ev[GP_FINDING_MAX_EVIDENCE];
   UInt         n_ev;
   ULong        weight;      /* instructions or bytes at stake: the order */
} GpFinding;

typedef struct GpFindings {
   UInt        n;
   GpFinding** f;            /* by severity, then weight desc, then kind, location */
} GpFindings;

const HChar* gp_severity_name(GpSeverity s);

/* Thresholds of the heap and I/O rules (options, docs/options.md). */
typedef struct {
   ULong peak_medium, peak_high;   /* heap peak, bytes */
   UInt  small_io_bytes;           /* average bytes per transfer below this */
   ULong small_io_ops;             /* ... over at least this many transfers */
   UInt  contention_pct;           /* contended share of acquisitions */
} GpFindingThresholds;
extern GpFindingThresholds gp_findings_thr;

/* For the rule files: a new finding (added to the run's list), evidence,
   a formatted text field, and "fn (file:line)". */
struct GpFn;
struct GpProfile;
GpFinding*   gp_finding_new(const HChar* kind, GpSeverity sev, ULong weight);
void         gp_finding_ev(GpFinding* f, const HChar* key, ULong value);
void         gp_finding_ev_text(GpFinding* f, const HChar* key, const HChar* text);
void         gp_finding_text(GpFinding* f, HChar** field, const HChar* format, ...)
                PRINTF_CHECK(3, 4);
const HChar* gp_finding_fn_label(const struct GpFn* f);

/* The heap's and the I/O's rules (gp_findings_heap.c, gp_findings_io.c). */
void gp_findings_heap_rules(const struct GpProfile* p);
void gp_findings_io_rules(const struct GpProfile* p);

#endif
