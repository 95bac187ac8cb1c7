/* gp_findings.c -- the rule engine (see gp_findings.h).  Each rule reads the
   analysed profile, and when its figures cross a threshold (an option with a
   documented default) adds one finding with the evidence, where it happens,
   and what to change there.  Rules never print generic advice: every message
   names the function, site, file or lock and the figures behind it. */

#include "gp_control.h"
#include "gp_findings.h"
#include "gp_fn.h"
#include "gp_options.h"
#include "gp_output.h"
#include "gp_profile.h"
#include "gp_util.h"

/* ---- options ----------------------------------------------------------- */

static Bool    clo_findings = True;
static UInt    clo_hot_pct = 50;           /* one function over this share of self */
static UInt    clo_serial_pct = 5;         /* serialization/formatting share */
static UInt    clo_strops_pct = 10;        /* memcpy/strlen/strcmp family share */
static UInt    clo_recursion = 10000;      /* recursion depth (frames) */
static XArray* clo_serial_fns;             /* extra patterns */

GpFindingThresholds gp_findings_thr = {
   .peak_medium = 500ULL * 1000 * 1000,    /* the seed guide: 500 MB ... */
   .peak_high = 1000ULL * 1000 * 1000,     /* ... and 1 GB */
   .small_io_bytes = 512,
   .small_io_ops = 100,
   .contention_pct = 10,
};

Bool gp_findings_option(const HChar* arg)
{
   if VG_BOOL_CLO(arg, "--findings", clo_findings) {}
   else if (gp_opt_uint(arg, "--hot-threshold", &clo_hot_pct, 1, 100)) {}
   else if (gp_opt_uint(arg, "--serialization-threshold", &clo_serial_pct, 1, 100)) {}
   else if (gp_opt_uint(arg, "--string-ops-threshold", &clo_strops_pct, 1, 100)) {}
   else if (gp_opt_uint(arg, "--recursion-threshold", &clo_recursion, 2, 100000000)) {}
   else if (gp_opt_pattern(arg, "--serialization-fn", &clo_serial_fns)) {}
   else if (gp_opt_bytes(arg, "--peak-threshold", &gp_findings_thr.peak_medium)) {}
   else if (gp_opt_bytes(arg, "--peak-high-threshold", &gp_findings_thr.peak_high)) {}
   else if (gp_opt_uint(arg, "--small-io-threshold", &gp_findings_thr.small_io_bytes, 1, 1 << 30)) {}
   else if (gp_opt_ulong(arg, "--small-io-ops", &gp_findings_thr.small_io_ops, 1, ~0ULL)) {}
   else if (gp_opt_uint(arg, "--contention-threshold", &gp_findings_thr.contention_pct, 1, 100)) {}
   else return False;
   return True;
}

void gp_findings_usage(void)
{
   VG_(printf)(
"    findings (bottlenecks and recommendations; docs/options.md):\n"
"    --findings=yes|no               derive findings from the figures [yes]\n"
"    --hot-threshold=<pct>           one function above this share of all\n"
"                                    instructions [50]\n"
"    --serialization-threshold=<pct> printf/JSON/encoding share [5]\n"
"    --serialization-fn=<pattern>    also count these functions as serialization\n"
"    --string-ops-threshold=<pct>    memcpy/strlen/strcmp family share [10]\n"
"    --recursion-threshold=<frames>  recursion deeper than this [10000]\n"
"    --peak-threshold=<size>         heap peak worth a warning [500MB]\n"
"    --peak-high-threshold=<size>    heap peak that is a problem [1GB]\n"
"    --small-io-threshold=<bytes>    average transfer below this is small [512]\n"
"    --small-io-ops=<n>              ... over at least this many operations [100]\n"
"    --contention-threshold=<pct>    contended share of a lock's acquisitions [10]\n"
   );
}

const HChar* gp_severity_name(GpSeverity s)
{
   return s == GP_SEV_HIGH ? "high" : s == GP_SEV_MEDIUM ? "medium" : "low";
}

/* ---- building findings ---------------------------------------------------- */

static XArray* found;          /* GpFinding* while rules run */

static HChar* fmt(const HChar* format, ...) PRINTF_CHECK(1, 2);
static HChar* fmt(const HChar* format, ...)
{
   HChar buf[1024];
   va_list vargs;
   va_start(vargs, format);
   VG_(vsnprintf)(buf, sizeof(buf), format, vargs);
   va_end(vargs);
   return VG_(strdup)(GP_CC("find.text"), buf);
}

GpFinding* gp_finding_new(const HChar* kind, GpSeverity sev, ULong weight)
{
   GpFinding* f = VG_(calloc)(GP_CC("find.f"), 1, sizeof(GpFinding));
   f->kind = kind;
   f->severity = sev;
   f->weight = weight;
   VG_(addToXA)(found, &f);
   return f;
}

void gp_finding_ev(GpFinding* f, const HChar* key, ULong value)
{
   if (f->n_ev < GP_FINDING_MAX_EVIDENCE) {
      f->ev[f->n_ev].key = key;
      f->ev[f->n_ev].value = value;
      f->ev[f->n_ev].text = NULL;
      f->n_ev++;
   }
}

void gp_finding_ev_text(GpFinding* f, const HChar* key, const HChar* text)
{
   if (f->n_ev < GP_FINDING_MAX_EVIDENCE) {
      f->ev[f->n_ev].key = key;
      f->ev[f->n_ev].value = 0;
      f->ev[f->n_ev].text = gp_intern(text);
      f->n_ev++;
   }
}

void gp_finding_text(GpFinding* f, HChar** field, const HChar* format, ...)
{
   HChar buf[1024];
   va_list vargs;
   va_start(vargs, format);
   VG_(vsnprintf)(buf, sizeof(buf), format, vargs);
   va_end(vargs);
   *field = VG_(strdup)(GP_CC("find.text"), buf);
}

/* "name (file:line)" for messages (full length: messages wrap in the
   report, the JSON keeps everything). */
const HChar* gp_finding_fn_label(const GpFn* f)
{
   return gp_fn_label(f, 400);
}

/* permille of part in whole */
static ULong pm(ULong part, ULong whole)
{
   if (whole == 0) return 0;
   while (part > (1ULL << 50)) { part >>= 1; whole >>= 1; }
   return (part * 1000 + whole / 2) / whole;
}

/* ---- CPU rules -------------------------------------------------------------- */

/* One function dominating (the seed guide's "single function taking >50%
   of time"), with its hottest lines when line data exists. */
static void rule_hot_function(const GpProfile* p)
{
   const GpFn* f;
   GpFinding* x;
   HChar lines[400];
   const HChar* see_lines;
   UInt i, n = 0, used = 0;
   if (p->n_fns == 0 || p->total_ir == 0) return;
   f = p->fns[0];
   if (f->self * 100 < (ULong)clo_hot_pct * p->total_ir) return;
   lines[0] = 0;
   for (i = 0; i < p->n_lines && n < 3; i++) {
      const GpLine* l = p->lines[i];
      const HChar* base;
      if (l->fn != f || l->line == 0) continue;
      base = VG_(strrchr)(l->file, '/');
      base = base ? base + 1 : l->file;
      used += VG_(snprintf)(lines + used, sizeof(lines) - used, "%s%s:%u (%s)",
                            n ? ", " : "", base, l->line, gp_fmt_pct(l->ir, f->self));
      n++;
      if (used >= sizeof(lines) - 1) break;
   }
   /* why there are no hot lines to name */
   if (!gp_clo.lines)
      see_lines = "rerun with --lines=yes to see its hot lines";
   else if (gp_control_focus_active())
      see_lines = "rerun without --focus to see its hot lines";
   else
      see_lines = "its code has no line information: build it with -g to see its hot lines";
   x = gp_finding_new("hot-function", GP_SEV_HIGH, f->self);
   x->location = VG_(strdup)(GP_CC("find.text"), gp_finding_fn_label(f));
   gp_finding_ev(x, "self_ir", f->self);
   gp_finding_ev(x, "share_permille", pm(f->self, p->total_ir));
   gp_finding_ev(x, "threshold_pct", clo_hot_pct);
   gp_finding_ev(x, "calls", f->calls);
   if (f->calls) gp_finding_ev(x, "ir_per_call", f->self / f->calls);
   if (n) gp_finding_ev_text(x, "hot_lines", lines);
   x->message = fmt("CPU: %s runs %s of all instructions (%s self; threshold %u%%)",
                    x->location, gp_fmt_pct(f->self, p->total_ir), gp_fmt_num(f->self),
                    clo_hot_pct);
   if (n && f->calls)
      x->recommendation = fmt("Make %s cheaper per call: it costs %s instructions in each "
                              "of its %s calls and most of them are on %s; simplify that "
                              "loop body, hoist what does not change between iterations, "
                              "or avoid repeated calls with the same inputs (cache results)",
                              f->name, gp_fmt_num(f->self / f->calls), gp_fmt_num(f->calls), lines);
   else if (f->calls)
      x->recommendation = fmt("Make %s cheaper per call (%s instructions in each of %s calls) "
                              "or call it less often; %s",
                              f->name, gp_fmt_num(f->self / f->calls), gp_fmt_num(f->calls),
                              see_lines);
   else
      x->recommendation = fmt("Reduce the work done directly in %s; %s", f->name, see_lines);
}

/* Patterns of functions whose inclusive cost is serialization/formatting
   or raw memory/string work. */
static const HChar* const serial_pats[] = {
   "*printf*", "__printf_fp*", "*_IO_str_*", "*json*", "*JSON*", "*Json*",
   "*serializ*", "*Serializ*", "*encode*", "*Encode*", "*marshal*", "*to_string*",
   "*dumps*", "std::ostream::operator<<*", "std::basic_ostream*", "*format_*", NULL };
static const HChar* const strops_pats[] = {
   "mem*", "__mem*", "str*", "__str*", "wmem*", "wcs*", "__wmem*", "__wcs*",
   "bcmp", "__bcmp*", "*memcpy*", "*memmove*", NULL };

static Bool match_list(const HChar* const* pats, const HChar* name)
{
   for (; *pats; pats++)
      if (gp_wildcard_match(*pats, name)) return True;
   return False;
}

static Bool is_serial(const GpFn* f)
{
   Word i;
   if (match_list(serial_pats, f->name)) return True;
   if (clo_serial_fns)
      for (i = 0; i < VG_(sizeXA)(clo_serial_fns); i++)
         if (gp_wildcard_match(*(const HChar**)VG_(indexXA)(clo_serial_fns, i), f->name))
            return True;
   return False;
}

static Bool is_strop(const GpFn* f)
{
   return match_list(strops_pats, f->name) && !match_list(serial_pats, f->name);
}

/* Inclusive instructions under the outermost matching call paths, and the
   callers (functions just above those paths) by cost. */
typedef struct { const GpFn* fn; ULong ir; } FnCost;

static ULong outermost_cost(const GpProfile* p, Bool (*match)(const GpFn*),
                            FnCost* top_callers, UInt max_callers, UInt* n_callers,
                            FnCost* top_fns, UInt max_fns, UInt* n_fns)
{
   UInt i;
   ULong total = 0;
   Bool* inside = VG_(calloc)(GP_CC("find.tmp"), p->n_paths + 1, sizeof(Bool));
   /* match() is a list of wildcard patterns: asked once per function, not
      once per path (sqlite3 has 100,000s of paths over a few 1,000
      functions).  0 = not asked yet, 1 = no, 2 = yes. */
   UInt n_ids = gp_fn_count();
   UChar* matched = VG_(calloc)(GP_CC("find.tmp"), n_ids + 1, 1);
   *n_callers = *n_fns = 0;
   for (i = 0; i < p->n_paths; i++) {
      const GpPath* n = &p->paths[i];
      Bool parent_in = n->parent >= 0 && inside[n->parent];
      UInt k;
      if (!parent_in && n->fn->id < n_ids) {
         if (!matched[n->fn->id]) matched[n->fn->id] = match(n->fn) ? 2 : 1;
         inside[i] = matched[n->fn->id] == 2;
      } else {
         inside[i] = parent_in || match(n->fn);
      }
      if (!inside[i] || parent_in) continue;
      total += n->incl;
      /* group by the matching function and by its caller */
      for (k = 0; k < *n_fns && top_fns[k].fn != n->fn; k++) ;
      if (k == *n_fns && k < max_fns) { top_fns[k].fn = n->fn; top_fns[k].ir = 0; (*n_fns)++; }
      if (k < *n_fns) top_fns[k].ir += n->incl;
      if (n->parent >= 0) {
         const GpFn* c = p->paths[n->parent].fn;
         for (k = 0; k < *n_callers && top_callers[k].fn != c; k++) ;
         if (k == *n_callers && k < max_callers) { top_callers[k].fn = c; top_callers[k].ir = 0; (*n_callers)++; }
         if (k < *n_callers) top_callers[k].ir += n->incl;
      }
   }
   VG_(free)(matched);
   VG_(free)(inside);
   return total;
}

static Int fncost_cmp(const void* a, const void* b)
{
   const FnCost* x = a;
   const FnCost* y = b;
   if (x->ir != y->ir) return x->ir > y->ir ? -1 : 1;
   return VG_(strcmp)(x->fn->name, y->fn->name);
}

static void share_rule(const GpProfile* p, const HChar* kind, const HChar* what,
                       Bool (*match)(const GpFn*), UInt threshold_pct,
                       const HChar* advice)
{
   FnCost callers[64], fns[64];
   UInt nc, nf;
   ULong cost;
   GpFinding* x;
   HChar who[300];
   if (!p->n_paths || !p->total_ir) return;
   cost = outermost_cost(p, match, callers, 64, &nc, fns, 64, &nf);
   if (cost * 100 < (ULong)threshold_pct * p->total_ir || nf == 0) return;
   VG_(ssort)(callers, nc, sizeof(FnCost), fncost_cmp);
   VG_(ssort)(fns, nf, sizeof(FnCost), fncost_cmp);
   if (nc)
      VG_(snprintf)(who, sizeof(who), "%s calling %s", gp_finding_fn_label(callers[0].fn),
                    fns[0].fn->name);
   else
      VG_(snprintf)(who, sizeof(who), "%s", gp_finding_fn_label(fns[0].fn));
   x = gp_finding_new(kind, cost * 100 >= 4ULL * threshold_pct * p->total_ir
                            ? GP_SEV_HIGH : GP_SEV_MEDIUM, cost);
   x->location = VG_(strdup)(GP_CC("find.text"),
                             nc ? gp_finding_fn_label(callers[0].fn)
                                : gp_finding_fn_label(fns[0].fn));
   gp_finding_ev(x, "instructions", cost);
   gp_finding_ev(x, "share_permille", pm(cost, p->total_ir));
   gp_finding_ev(x, "threshold_pct", threshold_pct);
   gp_finding_ev_text(x, "top_function", fns[0].fn->name);
   gp_finding_ev(x, "top_function_ir", fns[0].ir);
   if (nc) {
      gp_finding_ev_text(x, "top_caller", callers[0].fn->name);
      gp_finding_ev(x, "top_caller_ir", callers[0].ir);
   }
   x->message = fmt("CPU: %s takes %s of all instructions (%s; threshold %u%%), most of it "
                    "in %s (%s)", what, gp_fmt_pct(cost, p->total_ir), gp_fmt_num(cost),
                    threshold_pct, who, gp_fmt_pct(nc ? callers[0].ir : fns[0].ir, p->total_ir));
   x->recommendation = fmt(advice, nc ? callers[0].fn->name : fns[0].fn->name,
                           fns[0].fn->name);
}

static void rule_serialization(const GpProfile* p)
{
   share_rule(p, "serialization", "serialization and formatting", is_serial, clo_serial_pct,
              "Serialization is a bottleneck in %s: it formats through %s; build the output "
              "with cheaper steps (write integers and fixed-point numbers with a small "
              "dedicated formatter instead of the printf machinery, reuse one output buffer), "
              "or switch to a binary encoding (msgpack, protobuf) where the reader allows");
}

static void rule_string_ops(const GpProfile* p)
{
   share_rule(p, "string-ops", "memory and string functions (memcpy, strlen, strcmp ...)",
              is_strop, clo_strops_pct,
              "Cut memory and string work in %s (mostly %s): keep string lengths instead of "
              "recomputing them, compare hashes or interned pointers instead of strings, and "
              "copy less (pass pointers or reuse buffers)");
}

/* Very deep recursion: stack memory, and a crash waiting for larger input. */
static void rule_deep_recursion(const GpProfile* p)
{
   UInt i;
   const GpFn* worst = NULL;
   for (i = 0; i < p->n_fns; i++) {
      const GpFn* f = p->fns[i];
      if (f->max_depth >= clo_recursion && (!worst || f->max_depth > worst->max_depth))
         worst = f;
   }
   if (!worst) return;
   {
      GpFinding* x = gp_finding_new("deep-recursion",
                                    worst->max_depth >= 10 * clo_recursion ? GP_SEV_HIGH
                                                                           : GP_SEV_MEDIUM,
                                    worst->incl);
      x->location = VG_(strdup)(GP_CC("find.text"), gp_finding_fn_label(worst));
      gp_finding_ev(x, "max_depth", worst->max_depth);
      gp_finding_ev(x, "threshold_frames", clo_recursion);
      gp_finding_ev(x, "calls", worst->calls);
      gp_finding_ev(x, "max_stack_depth", p->max_stack_depth);
      x->message = fmt("CPU: %s recursed %s levels deep (threshold %s frames)",
                       x->location, gp_fmt_num(worst->max_depth), gp_fmt_num(clo_recursion));
      x->recommendation = fmt("Turn the recursion in %s into a loop with an explicit stack "
                              "(or make it a tail call the compiler can turn into a jump): "
                              "at %s levels each frame's stack space adds up and a larger "
                              "input will overflow the stack", worst->name,
                              gp_fmt_num(worst->max_depth));
   }
}

/* ---- the engine ------------------------------------------------------------- */

static Int finding_cmp(const void* pa, const void* pb)
{
   const GpFinding* a = *(const GpFinding* const*)pa;
   const GpFinding* b = *(const GpFinding* const*)pb;
   Int r;
   if (a->severity != b->severity) return a->severity < b->severity ? -1 : 1;
   if (a->weight != b->weight) return a->weight > b->weight ? -1 : 1;
   if ((r = VG_(strcmp)(a->kind, b->kind))) return r;
   return VG_(strcmp)(a->location ? a->location : "", b->location ? b->location : "");
}

void gp_findings_analyse(GpProfile* p)
{
   GpFindings* fs = VG_(calloc)(GP_CC("find.all"), 1, sizeof(GpFindings));
   p->findings = fs;
   if (!clo_findings) return;
   found = VG_(newXA)(VG_(malloc), GP_CC("find.tmp"), VG_(free), sizeof(GpFinding*));
   if (gp_clo.cpu) {
      rule_hot_function(p);
      rule_serialization(p);
      rule_string_ops(p);
      rule_deep_recursion(p);
   }
   gp_findings_heap_rules(p);
   gp_findings_io_rules(p);
   fs->n = (UInt)VG_(sizeXA)(found);
   fs->f = VG_(malloc)(GP_CC("find.all"), (fs->n + 1) * sizeof(GpFinding*));
   if (fs->n) VG_(memcpy)(fs->f, VG_(indexXA)(found, 0), fs->n * sizeof(GpFinding*));
   VG_(ssort)(fs->f, fs->n, sizeof(GpFinding*), finding_cmp);
   VG_(deleteXA)(found);
   found = NULL;
}

void gp_findings_free(GpProfile* p)
{
   UInt i;
   GpFindings* fs = p->findings;
   if (!fs) return;
   for (i = 0; i < fs->n; i++) {
      GpFinding* f = fs->f[i];
      if (f->message) VG_(free)(f->message);
      if (f->location) VG_(free)(f->location);
      if (f->recommendation) VG_(free)(f->recommendation);
      VG_(free)(f);
   }
   if (fs->f) VG_(free)(fs->f);
   VG_(free)(fs);
   p->findings = NULL;
}

