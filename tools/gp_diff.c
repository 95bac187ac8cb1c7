/* gp_diff.c -- comparing two glprof profiles: the figures (instructions,
   heap, leaks, I/O), the functions (matched by name, file and object; by
   their base names when the tree moved), the limits that gate CI, the
   agreement of repeated runs, and the text, Markdown and JSON renderings.

   Every number printed is computed with integers, and every list is
   sorted by its figure then by name, so the same two profiles always give
   the same bytes. */

#include "gp_diff.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- metrics ------------------------------------------------------------------ */

enum { SEC_TOTALS, SEC_HEAP, SEC_LEAKS, SEC_IO };
static const char* section_name[] = { "totals", "heap", "leaks", "io" };
static const char* section_option[] = { "", "--heap=no", "--heap=no", "--io=no" };

typedef struct {
   const char* name;   /* as in --limit and the JSON output */
   const char* label;  /* in the text and Markdown tables */
   int section;
} Metric;

static const Metric metrics[] = {
   { "instructions",    "instructions",             SEC_TOTALS },
   { "calls",           "calls",                    SEC_TOTALS },
   { "allocs",          "heap allocations",         SEC_HEAP },
   { "total_bytes",     "heap bytes allocated",     SEC_HEAP },
   { "peak_bytes",      "heap peak bytes",          SEC_HEAP },
   { "live_bytes",      "heap bytes live at exit",  SEC_HEAP },
   { "leaked_bytes",    "definitely lost bytes",    SEC_LEAKS },
   { "indirect_bytes",  "indirectly lost bytes",    SEC_LEAKS },
   { "possible_bytes",  "possibly lost bytes",      SEC_LEAKS },
   { "reachable_bytes", "still reachable bytes",    SEC_LEAKS },
   { "io_ops",          "I/O operations",           SEC_IO },
   { "io_bytes",        "I/O bytes",                SEC_IO },
   { "read_bytes",      "bytes read",               SEC_IO },
   { "write_bytes",     "bytes written",            SEC_IO },
};
#define N_METRICS GPH_COUNT_OF(metrics)

/* Sums of counts stop at 2^63-1: every count the reader accepts fits there,
   and so does every figure glprof_diff writes (JSON readers with 64-bit
   signed integers, jansson among them, read them all). */
static u64 add_sat(u64 a, u64 b)
{
   return a > (u64)INT64_MAX - b ? (u64)INT64_MAX : a + b;
}

static u64 metric_value(const GprProfile* p, size_t m)
{
   switch (m) {
   case 0: return p->total_instructions;
   case 1: return p->total_calls;
   case 2: return p->heap.total_allocs;
   case 3: return p->heap.total_bytes;
   case 4: return p->heap.peak_bytes;
   case 5: return p->heap.live_bytes;
   case 6: return p->leaks.definite.bytes;
   case 7: return p->leaks.indirect.bytes;
   case 8: return p->leaks.possible.bytes;
   case 9: return p->leaks.reachable.bytes;
   case 10: return add_sat(p->io.read_ops, p->io.write_ops);
   case 11: return add_sat(p->io.read_bytes, p->io.write_bytes);
   case 12: return p->io.read_bytes;
   case 13: return p->io.write_bytes;
   }
   return 0;
}

static int has_section(const GprProfile* p, int sec)
{
   switch (sec) {
   case SEC_HEAP: return p->heap.present;
   case SEC_LEAKS: return p->leaks.present;
   case SEC_IO: return p->io.present;
   }
   return 1;
}

const char* gpd_metric_names(void)
{
   static char buf[512];
   size_t i, o = 0;
   if (buf[0]) return buf;
   for (i = 0; i < N_METRICS; i++)
      o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s", i ? ", " : "", metrics[i].name);
   return buf;
}

/* ---- limits ---------------------------------------------------------------------- */

/* "2", "0.5", "12.25": a percentage in millionths of a percent. */
static int parse_pct(const char* s, size_t n, u64* out)
{
   u64 whole = 0, frac = 0;
   size_t i = 0, fd = 0;
   if (n == 0 || s[0] < '0' || s[0] > '9') return -1;
   for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
      if (whole > 1000000000ULL) return -1; /* a billion percent is plenty */
      whole = whole * 10 + (u64)(s[i] - '0');
   }
   if (i < n && s[i] == '.') {
      for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
         if (fd == 6) return -1;
         frac = frac * 10 + (u64)(s[i] - '0');
         fd++;
      }
      if (fd == 0) return -1;
   }
   if (i != n) return -1;
   for (; fd < 6; fd++) frac *= 10;
   *out = whole * 1000000 + frac;
   return 0;
}

/* "1000", "64KB", "2MiB", "5M": a count with an optional unit. */
static int parse_abs(const char* s, u64* out)
{
   static const struct { const char* u; u64 m; } units[] = {
      { "", 1 }, { "B", 1 }, { "K", 1000ULL }, { "KB", 1000ULL }, { "M", 1000000ULL },
      { "MB", 1000000ULL }, { "G", 1000000000ULL }, { "GB", 1000000000ULL },
      { "T", 1000000000000ULL }, { "TB", 1000000000000ULL }, { "KiB", 1ULL << 10 },
      { "MiB", 1ULL << 20 }, { "GiB", 1ULL << 30 }, { "TiB", 1ULL << 40 } };
   u64 x = 0;
   size_t i;
   if (*s < '0' || *s > '9') return -1;
   for (; *s >= '0' && *s <= '9'; s++) {
      if (x > (UINT64_MAX - 9) / 10) return -1;
      x = x * 10 + (u64)(*s - '0');
   }
   for (i = 0; i < GPH_COUNT_OF(units); i++) {
      if (strcasecmp(s, units[i].u) == 0) {
         if (x > UINT64_MAX / units[i].m) return -1;
         *out = x * units[i].m;
         return 0;
      }
   }
   return -1;
}

int gpd_parse_limit(const char* spec, GpdLimit* l, char* err, size_t errlen)
{
   const char* eq = strrchr(spec, '=');
   const char* val;
   size_t mlen, vlen, i;
   memset(l, 0, sizeof(*l));
   if (!eq || eq == spec) {
      snprintf(err, errlen, "--limit '%s': expected METRIC=PCT%% or METRIC=ABS "
               "(e.g. instructions=2%% or peak_bytes=64KB)", gph_clean(spec));
      return -1;
   }
   mlen = (size_t)(eq - spec);
   val = eq + 1;
   vlen = strlen(val);
   if (vlen && val[vlen - 1] == '%') {
      if (parse_pct(val, vlen - 1, &l->pct_micro) < 0) {
         snprintf(err, errlen, "--limit '%s': '%s' is not a percentage "
                  "(a number with at most 6 decimals, then %%: 2%%, 0.5%%)",
                  gph_clean(spec), gph_clean(val));
         return -1;
      }
      l->is_pct = 1;
   } else if (parse_abs(val, &l->abs) < 0) {
      snprintf(err, errlen, "--limit '%s': '%s' is neither a percentage (2%%) nor an "
               "absolute increase (1000, 64KB, 2MiB)", gph_clean(spec), gph_clean(val));
      return -1;
   }
   if (mlen > 3 && strncmp(spec, "fn:", 3) == 0) {
      l->kind = GPD_LIM_FN_SELF;
      l->fn_name = gph_xprintf("%.*s", (int)(mlen - 3), spec + 3);
   } else if (mlen > 7 && strncmp(spec, "fnincl:", 7) == 0) {
      l->kind = GPD_LIM_FN_INCL;
      l->fn_name = gph_xprintf("%.*s", (int)(mlen - 7), spec + 7);
   } else {
      for (i = 0; i < N_METRICS; i++)
         if (strlen(metrics[i].name) == mlen && strncmp(spec, metrics[i].name, mlen) == 0) break;
      if (i == N_METRICS) {
         snprintf(err, errlen, "--limit '%s': unknown metric '%.*s' (metrics: %s, "
                  "fn:NAME, fnincl:NAME)", gph_clean(spec), (int)mlen, gph_clean(spec),
                  gpd_metric_names());
         return -1;
      }
      l->kind = GPD_LIM_METRIC;
      l->metric = (int)i;
   }
   l->spec = gph_xstrdup(spec);
   return 0;
}

void gpd_add_default_limits(GpdLimit** limits, size_t* n)
{
   static const char* defaults[] = { "instructions=2%", "leaked_bytes=0" };
   size_t d, i;
   char err[256];
   for (d = 0; d < GPH_COUNT_OF(defaults); d++) {
      GpdLimit l;
      int named = 0;
      if (gpd_parse_limit(defaults[d], &l, err, sizeof(err)) < 0) abort();
      for (i = 0; i < *n; i++)
         if ((*limits)[i].kind == GPD_LIM_METRIC && (*limits)[i].metric == l.metric) named = 1;
      if (named) {
         gpd_free_limits(&l, 1);
         continue;
      }
      l.is_default = 1;
      *limits = gph_xrealloc(*limits, *n + 1, sizeof(**limits));
      (*limits)[(*n)++] = l;
   }
}

void gpd_free_limits(GpdLimit* limits, size_t n)
{
   size_t i;
   for (i = 0; i < n; i++) {
      free(limits[i].spec);
      free(limits[i].fn_name);
   }
}

/* "+2%", "+0.5%", "+64" for tables. */
static const char* limit_text(const GpdLimit* l)
{
   static char buf[4][64];
   static int next;
   char* b = buf[next++ & 3];
   if (l->is_pct) {
      char frac[8];
      size_t k;
      snprintf(frac, sizeof(frac), "%06u", (unsigned)(l->pct_micro % 1000000));
      for (k = 6; k > 0 && frac[k - 1] == '0'; k--) frac[k - 1] = 0;
      snprintf(b, 64, "+%llu%s%s%%", (unsigned long long)(l->pct_micro / 1000000),
               frac[0] ? "." : "", frac);
   } else {
      snprintf(b, 64, "+%s", gph_num(l->abs));
   }
   return b;
}

static const char* limit_subject(const GpdLimit* l)
{
   if (l->kind == GPD_LIM_METRIC) return metrics[l->metric].name;
   return gph_tmpf("%s:%s", l->kind == GPD_LIM_FN_SELF ? "fn" : "fnincl", l->fn_name);
}

/* ---- functions: matching OLD and NEW ------------------------------------------------ */

typedef struct {
   const GprFn* o;  /* NULL: new function */
   const GprFn* n;  /* NULL: vanished function */
   int loose;       /* matched by base names */
} FnPair;

typedef struct {
   FnPair* pairs;
   size_t n_pairs;
   size_t n_matched, n_loose, n_new, n_vanished;
} FnMatch;

static const char* nz(const char* s) { return s ? s : ""; }

static int cmp_exact(const void* a, const void* b)
{
   const GprFn* x = *(const GprFn* const*)a;
   const GprFn* y = *(const GprFn* const*)b;
   int c = strcmp(x->name, y->name);
   if (!c) c = strcmp(nz(x->file), nz(y->file));
   if (!c) c = strcmp(nz(x->object), nz(y->object));
   return c;
}

static int cmp_loose(const void* a, const void* b)
{
   const GprFn* x = *(const GprFn* const*)a;
   const GprFn* y = *(const GprFn* const*)b;
   int c = strcmp(x->name, y->name);
   if (!c) c = strcmp(gph_basename(x->file), gph_basename(y->file));
   if (!c) c = strcmp(gph_basename(x->object), gph_basename(y->object));
   return c;
}

/* Sorting must not depend on qsort's order for equal keys (a profile may
   name two functions alike): the position in the profile decides. */
static int sort_exact(const void* a, const void* b)
{
   int c = cmp_exact(a, b);
   if (c) return c;
   return *(const GprFn* const*)a < *(const GprFn* const*)b ? -1 : 1;
}

static int sort_loose(const void* a, const void* b)
{
   int c = cmp_loose(a, b);
   if (c) return c;
   return *(const GprFn* const*)a < *(const GprFn* const*)b ? -1 : 1;
}

static void add_pair(FnMatch* m, const GprFn* o, const GprFn* n, int loose)
{
   FnPair* p = &m->pairs[m->n_pairs++];
   p->o = o;
   p->n = n;
   p->loose = loose;
}

/* Pairs the functions of two lists by key 'cmp' (sorted with 'sort');
   what stays unmatched is left in os / ns (compacted) for the next pass. */
static void merge_pass(FnMatch* m, const GprFn** os, size_t* no, const GprFn** ns, size_t* nn,
                       int (*cmp)(const void*, const void*),
                       int (*sort)(const void*, const void*), int loose)
{
   size_t i = 0, j = 0, ko = 0, kn = 0;
   qsort(os, *no, sizeof(*os), sort);
   qsort(ns, *nn, sizeof(*ns), sort);
   while (i < *no || j < *nn) {
      int c = i == *no ? 1 : j == *nn ? -1 : cmp(&os[i], &ns[j]);
      if (c < 0) os[ko++] = os[i++];
      else if (c > 0) ns[kn++] = ns[j++];
      else add_pair(m, os[i++], ns[j++], loose);
   }
   *no = ko;
   *nn = kn;
}

static void match_functions(const GprProfile* po, const GprProfile* pn, FnMatch* m)
{
   const GprFn** os = gph_xcalloc(po->n_fns + 1, sizeof(*os));
   const GprFn** ns = gph_xcalloc(pn->n_fns + 1, sizeof(*ns));
   size_t no = po->n_fns, nn = pn->n_fns, i, exact;
   memset(m, 0, sizeof(*m));
   m->pairs = gph_xcalloc(po->n_fns + pn->n_fns + 1, sizeof(*m->pairs));
   for (i = 0; i < no; i++) os[i] = &po->fns[i];
   for (i = 0; i < nn; i++) ns[i] = &pn->fns[i];
   merge_pass(m, os, &no, ns, &nn, cmp_exact, sort_exact, 0);
   exact = m->n_pairs;
   /* A rebuilt tree in another directory keeps the names but not the
      paths: match what is left by base names. */
   merge_pass(m, os, &no, ns, &nn, cmp_loose, sort_loose, 1);
   m->n_loose = m->n_pairs - exact;
   m->n_matched = m->n_pairs;
   for (i = 0; i < no; i++) add_pair(m, os[i], NULL, 0);
   for (i = 0; i < nn; i++) add_pair(m, NULL, ns[i], 0);
   m->n_vanished = no;
   m->n_new = nn;
   free(os);
   free(ns);
}

static const GprFn* pair_fn(const FnPair* p) { return p->n ? p->n : p->o; }
static u64 pair_self(const FnPair* p, int side) { const GprFn* f = side ? p->n : p->o; return f ? f->self_ir : 0; }
static u64 pair_incl(const FnPair* p, int side) { const GprFn* f = side ? p->n : p->o; return f ? f->incl_ir : 0; }
static u64 pair_calls(const FnPair* p, int side) { const GprFn* f = side ? p->n : p->o; return f ? f->calls : 0; }

static u64 absdiff(u64 a, u64 b) { return a > b ? a - b : b - a; }

/* Name, file, object; then the position (fully deterministic). */
static int cmp_names(const FnPair* x, const FnPair* y)
{
   const GprFn* a = pair_fn(x);
   const GprFn* b = pair_fn(y);
   int c = cmp_exact(&a, &b);
   if (c) return c;
   return x < y ? -1 : x > y;
}

static int by_self_change(const void* a, const void* b)
{
   const FnPair* x = *(const FnPair* const*)a;
   const FnPair* y = *(const FnPair* const*)b;
   u64 dx = absdiff(pair_self(x, 0), pair_self(x, 1)), dy = absdiff(pair_self(y, 0), pair_self(y, 1));
   if (dx != dy) return dx > dy ? -1 : 1;
   return cmp_names(x, y);
}

static int by_incl_change(const void* a, const void* b)
{
   const FnPair* x = *(const FnPair* const*)a;
   const FnPair* y = *(const FnPair* const*)b;
   u64 dx = absdiff(pair_incl(x, 0), pair_incl(x, 1)), dy = absdiff(pair_incl(y, 0), pair_incl(y, 1));
   if (dx != dy) return dx > dy ? -1 : 1;
   return cmp_names(x, y);
}

/* New and vanished functions: by inclusive cost, then name. */
static int by_incl(const void* a, const void* b)
{
   const FnPair* x = *(const FnPair* const*)a;
   const FnPair* y = *(const FnPair* const*)b;
   const GprFn* fx = pair_fn(x);
   const GprFn* fy = pair_fn(y);
   if (fx->incl_ir != fy->incl_ir) return fx->incl_ir > fy->incl_ir ? -1 : 1;
   if (fx->self_ir != fy->self_ir) return fx->self_ir > fy->self_ir ? -1 : 1;
   return cmp_names(x, y);
}

typedef struct {
   const FnPair** rows;
   size_t n;
} FnList;

static FnList select_pairs(const FnMatch* m, int which)
{
   FnList l;
   size_t i;
   l.rows = gph_xcalloc(m->n_pairs + 1, sizeof(*l.rows));
   l.n = 0;
   for (i = 0; i < m->n_pairs; i++) {
      const FnPair* p = &m->pairs[i];
      int keep = 0;
      switch (which) {
      case 0: keep = pair_self(p, 0) != pair_self(p, 1); break;
      case 1: keep = pair_incl(p, 0) != pair_incl(p, 1); break;
      case 2: keep = p->o == NULL; break;
      case 3: keep = p->n == NULL; break;
      }
      if (keep) l.rows[l.n++] = p;
   }
   qsort(l.rows, l.n, sizeof(*l.rows),
         which == 0 ? by_self_change : which == 1 ? by_incl_change : by_incl);
   return l;
}

/* ---- limits: evaluation ----------------------------------------------------------------- */

typedef struct {
   const GpdLimit* lim;
   int checked;
   const char* note;     /* why it was not checked */
   u64 old, new_;
   int exceeded;
} LimitResult;

static int exceeds(const GpdLimit* l, u64 old, u64 new_)
{
   u64 d;
   if (new_ <= old) return 0;
   d = new_ - old;
   if (!l->is_pct) return d > l->abs;
   if (old == 0) return 1; /* from nothing: any relative limit is crossed */
   /* d / old * 100 > pct_micro / 1e6   <=>   d * 1e8 > pct_micro * old */
   return gph_cmp_products(d, 100000000ULL, l->pct_micro, old) > 0;
}

static int fn_sum(const GprProfile* p, const char* name, int incl, u64* sum)
{
   size_t i;
   int found = 0;
   *sum = 0;
   for (i = 0; i < p->n_fns; i++) {
      u64 v;
      if (strcmp(p->fns[i].name, name) != 0) continue;
      found = 1;
      v = incl ? p->fns[i].incl_ir : p->fns[i].self_ir;
      *sum = add_sat(*sum, v);
   }
   return found;
}

/* Evaluates every limit.  Returns GPD_OK, or GPD_INVALID / GPD_USAGE after
   printing why a limit the user asked for cannot be evaluated. */
static int eval_limits(const GprProfile* po, const GprProfile* pn, const GpdOptions* o,
                       LimitResult* res)
{
   size_t i;
   for (i = 0; i < o->n_limits; i++) {
      const GpdLimit* l = &o->limits[i];
      LimitResult* r = &res[i];
      memset(r, 0, sizeof(*r));
      r->lim = l;
      if (l->kind == GPD_LIM_METRIC) {
         int sec = metrics[l->metric].section;
         const GprProfile* missing = !has_section(po, sec) ? po : !has_section(pn, sec) ? pn : NULL;
         if (missing) {
            if (l->is_default) {
               r->note = !has_section(po, sec) && !has_section(pn, sec)
                            ? "neither profile has a leak check"
                            : !has_section(pn, sec) ? "NEW has no leak check"
                                                    : "OLD has no leak check";
               continue;
            }
            gph_warn("%s: no \"%s\" section (profile made with %s?); --limit %s needs it",
                     gph_clean(missing->path), section_name[sec], section_option[sec],
                     gph_clean(l->spec));
            return GPD_INVALID;
         }
         r->old = metric_value(po, (size_t)l->metric);
         r->new_ = metric_value(pn, (size_t)l->metric);
      } else {
         int incl = l->kind == GPD_LIM_FN_INCL, fo, fnew;
         const GprProfile* missing = !po->has_functions ? po : !pn->has_functions ? pn : NULL;
         if (missing) {
            gph_warn("%s: no \"functions\" (profile made with --cpu=no?); --limit %s needs them",
                     gph_clean(missing->path), gph_clean(l->spec));
            return GPD_INVALID;
         }
         fo = fn_sum(po, l->fn_name, incl, &r->old);
         fnew = fn_sum(pn, l->fn_name, incl, &r->new_);
         if (!fo && !fnew) {
            gph_warn("--limit %s: no function named '%s' in %s or %s (use the name as the "
                     "report shows it, e.g. 'main' or 'ns::f(int)')", gph_clean(l->spec),
                     gph_clean(l->fn_name), gph_clean(po->path), gph_clean(pn->path));
            return GPD_USAGE;
         }
      }
      r->checked = 1;
      r->exceeded = exceeds(l, r->old, r->new_);
   }
   return GPD_OK;
}

/* ---- environment --------------------------------------------------------------------- */

typedef struct {
   const char* field;
   char* old;      /* owned */
   char* new_;
} EnvDiff;

/* How the run ended, in words (the environment notice, the JSON). */
static char* exit_text(const GprProfile* p)
{
   if (!p->exit_state) return gph_xstrdup("unknown");
   if (strcmp(p->exit_state, "exited") == 0 && p->has_exit_status)
      return gph_xprintf("exited %lld", (long long)p->exit_status);
   if (strcmp(p->exit_state, "signal") == 0) {
      if (p->has_exit_signal)
         return gph_xprintf("killed by signal %llu%s%s%s", (unsigned long long)p->exit_signal,
                            p->exit_signal_name ? " (" : "",
                            p->exit_signal_name ? gph_clean(p->exit_signal_name) : "",
                            p->exit_signal_name ? ")" : "");
      return gph_xstrdup("killed by a signal");
   }
   if (strcmp(p->exit_state, "running") == 0)
      return p->label ? gph_xprintf("running (dump '%s')", gph_clean(p->label))
                      : gph_xstrdup("running (a dump)");
   return gph_xstrdup(gph_clean(p->exit_state));
}

static int cmp_str(const void* a, const void* b)
{
   return strcmp(*(const char* const*)a, *(const char* const*)b);
}

/* "cpu=yes lines=no ..." of an options object, keys sorted. */
static char* options_text(const GprProfile* p)
{
   json_t* o = p->options_json;
   const char** keys;
   const char* k;
   json_t* v;
   size_t n = 0, i, len = 0;
   char* out;
   if (!o) return gph_xstrdup("unknown");
   keys = gph_xcalloc(json_object_size(o) + 1, sizeof(*keys));
   json_object_foreach(o, k, v) {
      (void)v;
      if (k[0] != '\x01') keys[n++] = k;
   }
   qsort(keys, n, sizeof(*keys), cmp_str);
   for (i = 0; i < n; i++) len += strlen(keys[i]) + 48;
   out = gph_xcalloc(len + 1, 1);
   for (i = 0; i < n; i++) {
      char* val;
      v = json_object_get(o, keys[i]);
      if (json_is_boolean(v)) val = gph_xstrdup(json_is_true(v) ? "yes" : "no");
      else if (json_is_string(v)) val = gph_xprintf("%.40s", json_string_value(v));
      else val = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
      sprintf(out + strlen(out), "%s%s=%.40s", i ? " " : "", keys[i], val ? val : "?");
      free(val);
   }
   free(keys);
   return out;
}

static void env_add(EnvDiff* d, size_t* n, const char* field, char* a, char* b)
{
   if (strcmp(a, b) == 0) {
      free(a);
      free(b);
      return;
   }
   d[*n].field = field;
   d[*n].old = a;
   d[*n].new_ = b;
   (*n)++;
}

static char* or_none(const char* s) { return gph_xstrdup(s ? s : "(none)"); }

static size_t environment_diffs(const GprProfile* po, const GprProfile* pn, EnvDiff* d)
{
   size_t n = 0;
   env_add(d, &n, "command", or_none(po->command), or_none(pn->command));
   env_add(d, &n, "tool_version", or_none(po->tool_version), or_none(pn->tool_version));
   env_add(d, &n, "valgrind_version", or_none(po->valgrind_version),
           or_none(pn->valgrind_version));
   if ((po->options_json || pn->options_json) &&
       !(po->options_json && pn->options_json &&
         json_equal((json_t*)po->options_json, (json_t*)pn->options_json))) {
      /* the text may coincide when only unknown fields differ: say so */
      char* a = options_text(po);
      char* b = options_text(pn);
      if (strcmp(a, b) == 0) {
         free(b);
         b = gph_xprintf("%s (other fields differ)", a);
      }
      env_add(d, &n, "options", a, b);
   }
   env_add(d, &n, "exit", exit_text(po), exit_text(pn));
   return n;
}

/* ---- allocation sites ------------------------------------------------------------------
   Sites are matched by their call chain: the function names of the stack
   (outside the allocator), not the lines, so an edit elsewhere in a file
   does not break the match.  Sites of one chain are summed. */

typedef struct {
   char* key;            /* "f < g < h", owned */
   const GprProfile* p;
   const GprSite* s;     /* a site of that chain (for its label) */
   u64 bytes, allocs;
} SiteSum;

typedef struct {
   const SiteSum* o;     /* NULL: a new site */
   const SiteSum* n;     /* NULL: a vanished site */
} SitePair;

typedef struct {
   SiteSum* old_sums;
   size_t n_old;
   SiteSum* new_sums;
   size_t n_new;
   SitePair* rows;       /* sites whose bytes changed, by |change| then chain */
   size_t n_rows;
} SiteDiff;

static int alloc_frame(const GprFrame* fr)
{
   return strncmp(gph_basename(fr->object), "vgpreload_", 10) == 0;
}

static char* site_key(const GprProfile* p, const GprSite* s)
{
   size_t i = 0, len = 1, k;
   char* key;
   while (i + 1 < s->stack.n && alloc_frame(&p->frames[s->stack.frames[i]])) i++;
   for (k = i; k < s->stack.n; k++) len += strlen(gpr_frame_name(p, &p->frames[s->stack.frames[k]])) + 3;
   key = gph_xmalloc(len);
   key[0] = 0;
   for (k = i; k < s->stack.n; k++) {
      if (k > i) strcat(key, " < ");
      strcat(key, gpr_frame_name(p, &p->frames[s->stack.frames[k]]));
   }
   return key;
}

static int by_key(const void* a, const void* b)
{
   const SiteSum* x = a;
   const SiteSum* y = b;
   int c = strcmp(x->key, y->key);
   if (c) return c;
   return x->s < y->s ? -1 : x->s > y->s;
}

/* One SiteSum per distinct chain, sorted by chain. */
static SiteSum* site_sums(const GprProfile* p, size_t* n_out)
{
   SiteSum* v = gph_xcalloc(p->heap.n_sites + 1, sizeof(*v));
   size_t i, n = 0;
   for (i = 0; i < p->heap.n_sites; i++) {
      v[i].key = site_key(p, &p->heap.sites[i]);
      v[i].p = p;
      v[i].s = &p->heap.sites[i];
      v[i].bytes = p->heap.sites[i].bytes;
      v[i].allocs = p->heap.sites[i].allocs;
   }
   qsort(v, p->heap.n_sites, sizeof(*v), by_key);
   for (i = 0; i < p->heap.n_sites; i++) {
      if (n && strcmp(v[n - 1].key, v[i].key) == 0) {
         v[n - 1].bytes = add_sat(v[n - 1].bytes, v[i].bytes);
         v[n - 1].allocs = add_sat(v[n - 1].allocs, v[i].allocs);
         free(v[i].key);
      } else {
         v[n++] = v[i];
      }
   }
   *n_out = n;
   return v;
}

static u64 sp_bytes(const SitePair* r, int side)
{
   const SiteSum* s = side ? r->n : r->o;
   return s ? s->bytes : 0;
}

static u64 sp_allocs(const SitePair* r, int side)
{
   const SiteSum* s = side ? r->n : r->o;
   return s ? s->allocs : 0;
}

static const SiteSum* sp_any(const SitePair* r) { return r->n ? r->n : r->o; }

static int by_site_change(const void* a, const void* b)
{
   const SitePair* x = a;
   const SitePair* y = b;
   u64 dx = absdiff(sp_bytes(x, 0), sp_bytes(x, 1)), dy = absdiff(sp_bytes(y, 0), sp_bytes(y, 1));
   if (dx != dy) return dx > dy ? -1 : 1;
   return strcmp(sp_any(x)->key, sp_any(y)->key);
}

static void diff_sites(const GprProfile* po, const GprProfile* pn, SiteDiff* sd)
{
   size_t i = 0, j = 0;
   memset(sd, 0, sizeof(*sd));
   if (!po->heap.present || !pn->heap.present) return;
   sd->old_sums = site_sums(po, &sd->n_old);
   sd->new_sums = site_sums(pn, &sd->n_new);
   sd->rows = gph_xcalloc(sd->n_old + sd->n_new + 1, sizeof(*sd->rows));
   while (i < sd->n_old || j < sd->n_new) {
      int c = i == sd->n_old ? 1 : j == sd->n_new ? -1
              : strcmp(sd->old_sums[i].key, sd->new_sums[j].key);
      SitePair r = { NULL, NULL };
      if (c <= 0) r.o = &sd->old_sums[i++];
      if (c >= 0) r.n = &sd->new_sums[j++];
      if (sp_bytes(&r, 0) != sp_bytes(&r, 1) || sp_allocs(&r, 0) != sp_allocs(&r, 1))
         sd->rows[sd->n_rows++] = r;
   }
   qsort(sd->rows, sd->n_rows, sizeof(*sd->rows), by_site_change);
}

static void free_site_diff(SiteDiff* sd)
{
   size_t i;
   for (i = 0; i < sd->n_old; i++) free(sd->old_sums[i].key);
   for (i = 0; i < sd->n_new; i++) free(sd->new_sums[i].key);
   free(sd->old_sums);
   free(sd->new_sums);
   free(sd->rows);
}

/* A site's allocating frame, "fn (file:line)". */
static const char* site_first(const SiteSum* s)
{
   const GprProfile* p = s->p;
   const GprStack* st = &s->s->stack;
   size_t i = 0;
   const GprFrame* fr;
   if (st->n == 0) return "(no stack)";
   while (i + 1 < st->n && alloc_frame(&p->frames[st->frames[i]])) i++;
   fr = &p->frames[st->frames[i]];
   return gph_fn_label(gpr_frame_name(p, fr), fr->file, fr->line, fr->object ? fr->object : "???");
}

/* Its callers, "< g < h" (empty when none). */
static const char* site_callers(const SiteSum* s)
{
   const char* lt = strstr(s->key, " < ");
   return lt ? gph_clean(lt + 1) : "";
}

/* "fn (file:line) < caller < caller" for a site, fitted to room. */
static const char* site_label(const SiteSum* s, size_t room)
{
   const char* callers = site_callers(s);
   return gph_fit(gph_tmpf("%s%s%s", site_first(s), *callers ? " " : "", callers), room);
}

/* ---- the comparison, rendered ----------------------------------------------------------- */

typedef struct {
   const GprProfile* po;
   const GprProfile* pn;
   const GpdOptions* o;
   FILE* f;
   FnMatch match;
   FnList self_rows, incl_rows, new_rows, gone_rows;
   size_t n_changed;     /* matched functions whose self, inclusive or calls changed */
   SiteDiff sites;
   EnvDiff env[8];
   size_t n_env;
   LimitResult* lim;
   int regression;
} Diff;

static const char* speedup_text(const Diff* d)
{
   u64 o = d->po->total_instructions, n = d->pn->total_instructions;
   if (n == 0) return o == 0 ? "1.00" : NULL;
   return gph_ratio(o, n, 2);
}

static const char* signed_change(u64 old, u64 new_)
{
   return gph_snum(new_ < old, absdiff(old, new_));
}

static size_t shown(const Diff* d, size_t n)
{
   return d->o->top && n > d->o->top ? d->o->top : n;
}

static int metric_shown(const Diff* d, size_t m)
{
   return has_section(d->po, metrics[m].section) || has_section(d->pn, metrics[m].section);
}

static const char* metric_cell(const GprProfile* p, size_t m)
{
   return has_section(p, metrics[m].section) ? gph_num(metric_value(p, m)) : "-";
}

static const char* side_runs(size_t n)
{
   return n > 1 ? gph_tmpf(" (%zu runs, identical)", n) : "";
}

/* ---- text ---- */

static void text_fn_table(Diff* d, const FnList* l, int incl, const char* title)
{
   FILE* f = d->f;
   size_t i, n = shown(d, l->n);
   if (l->n == 0) return;
   fprintf(f, "\n%s (%zu function%s", title, l->n, l->n == 1 ? "" : "s");
   if (n < l->n) fprintf(f, "; the top %zu", n);
   fprintf(f, "):\n");
   fprintf(f, "  %15s %15s %15s %9s  %s\n", "old", "new", "change", "%change", "function");
   for (i = 0; i < n; i++) {
      const FnPair* p = l->rows[i];
      const GprFn* fn = pair_fn(p);
      u64 a = incl ? pair_incl(p, 0) : pair_self(p, 0);
      u64 b = incl ? pair_incl(p, 1) : pair_self(p, 1);
      const char* tag = !p->o ? " [new]" : !p->n ? " [gone]" : "";
      gph_line(f, "  %15s %15s %15s %9s  %s%s\n", p->o ? gph_num(a) : "-",
              p->n ? gph_num(b) : "-", signed_change(a, b),
              !p->o ? "new" : !p->n ? "-100.00%" : gph_change_pct(a, b),
              gph_fit(gph_fn_label(fn->name, fn->file, fn->line, fn->object),
                      100 - 61 - strlen(tag)), tag);
   }
   if (n < l->n) fprintf(f, "  ... and %zu more\n", l->n - n);
}

static void text_fn_list(Diff* d, const FnList* l, const char* title)
{
   FILE* f = d->f;
   size_t i, n = shown(d, l->n);
   if (l->n == 0) return;
   fprintf(f, "\n%s (%zu):\n", title, l->n);
   fprintf(f, "  %15s %15s %11s  %s\n", "self", "inclusive", "calls", "function");
   for (i = 0; i < n; i++) {
      const GprFn* fn = pair_fn(l->rows[i]);
      fprintf(f, "  %15s %15s %11s  %s\n", gph_num(fn->self_ir), gph_num(fn->incl_ir),
              gph_num(fn->calls),
              gph_fit(gph_fn_label(fn->name, fn->file, fn->line, fn->object), 100 - 48));
   }
   if (n < l->n) fprintf(f, "  ... and %zu more\n", l->n - n);
}

static void text_site_table(Diff* d)
{
   FILE* f = d->f;
   const SiteDiff* sd = &d->sites;
   size_t i, n = shown(d, sd->n_rows);
   if (sd->n_rows == 0) return;
   fprintf(f, "\nAllocation sites whose bytes changed (%zu site%s", sd->n_rows,
           sd->n_rows == 1 ? "" : "s");
   if (n < sd->n_rows) fprintf(f, "; the top %zu", n);
   fprintf(f, "):\n");
   fprintf(f, "  %13s %13s %13s %9s %9s  %s\n", "old bytes", "new bytes", "change", "%change",
           "allocs", "allocated at");
   for (i = 0; i < n; i++) {
      const SitePair* r = &sd->rows[i];
      u64 a = sp_bytes(r, 0), b = sp_bytes(r, 1);
      const char* tag = !r->o ? " [new]" : !r->n ? " [gone]" : "";
      const char* callers = site_callers(sp_any(r));
      gph_line(f, "  %13s %13s %13s %9s %9s  %s%s\n", r->o ? gph_num(a) : "-",
               r->n ? gph_num(b) : "-", signed_change(a, b),
               !r->o ? "new" : !r->n ? "-100.00%" : gph_change_pct(a, b),
               signed_change(sp_allocs(r, 0), sp_allocs(r, 1)),
               gph_fit(site_first(sp_any(r)), 100 - 65 - strlen(tag)), tag);
      if (*callers) fprintf(f, "%65s%s\n", "", gph_fit(callers, 100 - 65));
   }
   if (n < sd->n_rows) fprintf(f, "  ... and %zu more\n", sd->n_rows - n);
}

static void render_text(Diff* d)
{
   FILE* f = d->f;
   const GprProfile *po = d->po, *pn = d->pn;
   const char* sp = speedup_text(d);
   const char* sep;
   size_t i;

   fprintf(f, "glprof_diff: %s -> %s\n", gph_clean(d->o->old_name), gph_clean(d->o->new_name));
   fprintf(f, "  old: %s%s\n", gph_clean(nz(po->command)), side_runs(d->o->old_runs));
   fprintf(f, "  new: %s%s\n", gph_clean(nz(pn->command)), side_runs(d->o->new_runs));
   if (d->n_env) {
      fprintf(f, "\nNotice: the two sides differ in their environment (figures may differ "
                 "for that reason):\n");
      for (i = 0; i < d->n_env; i++) {
         fprintf(f, "  %-17s old: %s\n", d->env[i].field, gph_clean(d->env[i].old));
         fprintf(f, "  %-17s new: %s\n", "", gph_clean(d->env[i].new_));
      }
   }
   fprintf(f, "\nInstructions: %s -> %s  %s (%s)\n", gph_num(po->total_instructions),
           gph_num(pn->total_instructions),
           signed_change(po->total_instructions, pn->total_instructions),
           gph_change_pct(po->total_instructions, pn->total_instructions));
   if (sp) fprintf(f, "Speedup: %sx\n", sp);
   else fprintf(f, "Speedup: n/a (the new run executed no instructions)\n");

   fprintf(f, "\n  %-24s %17s %17s %17s %9s\n", "metric", "old", "new", "change", "%change");
   for (i = 0; i < N_METRICS; i++) {
      int ho = has_section(po, metrics[i].section), hn = has_section(pn, metrics[i].section);
      u64 a = metric_value(po, i), b = metric_value(pn, i);
      if (!metric_shown(d, i)) continue;
      gph_line(f, "  %-24s %17s %17s %17s %9s\n", metrics[i].label, metric_cell(po, i),
              metric_cell(pn, i), ho && hn ? signed_change(a, b) : "",
              ho && hn ? gph_change_pct(a, b) : "");
   }
   for (i = 0; i < 4; i++) {
      if (i == SEC_TOTALS) continue;
      if (has_section(po, (int)i) != has_section(pn, (int)i))
         fprintf(f, "  (no \"%s\" section in %s: made with %s?)\n", section_name[i],
                 has_section(po, (int)i) ? "NEW" : "OLD", section_option[i]);
   }

   if (po->has_functions && pn->has_functions) {
      fprintf(f, "\nFunctions: %zu matched", d->match.n_matched);
      if (d->match.n_loose)
         fprintf(f, " (%zu by base names: the paths differ)", d->match.n_loose);
      fprintf(f, ", %zu changed, %zu new, %zu vanished\n", d->n_changed, d->match.n_new,
              d->match.n_vanished);
      text_fn_table(d, &d->self_rows, 0, "Self instructions that changed");
      text_fn_table(d, &d->incl_rows, 1, "Inclusive instructions that changed");
      text_fn_list(d, &d->new_rows, "New functions");
      text_fn_list(d, &d->gone_rows, "Vanished functions");
   } else if (po->has_functions != pn->has_functions) {
      fprintf(f, "\nFunctions: not compared (no \"functions\" in %s: made with --cpu=no?)\n",
              po->has_functions ? "NEW" : "OLD");
   }
   text_site_table(d);

   if (d->o->n_limits) {
      fprintf(f, "\nLimits:\n");
      fprintf(f, "  %-34s %9s %15s %9s  %s\n", "limit", "allowed", "change", "%change", "result");
      for (i = 0; i < d->o->n_limits; i++) {
         const LimitResult* r = &d->lim[i];
         const char* subj = gph_tmpf("%s%s", gph_clean(limit_subject(r->lim)),
                                     r->lim->is_default ? " (default)" : "");
         if (!r->checked)
            gph_line(f, "  %-34s %9s %15s %9s  not checked: %s\n", gph_fit(subj, 34),
                     limit_text(r->lim), "", "", r->note);
         else
            gph_line(f, "  %-34s %9s %15s %9s  %s\n", gph_fit(subj, 34), limit_text(r->lim),
                     signed_change(r->old, r->new_), gph_change_pct(r->old, r->new_),
                     r->exceeded ? "REGRESSION" : "ok");
      }
   }
   if (!d->regression) {
      fprintf(f, "\nResult: OK (within limits)\n");
      return;
   }
   fprintf(f, "\nResult: REGRESSION:");
   for (i = 0, sep = " "; i < d->o->n_limits; i++) {
      const LimitResult* r = &d->lim[i];
      if (!r->exceeded) continue;
      fprintf(f, "%s%s %s (allowed %s)", sep, gph_clean(limit_subject(r->lim)),
              r->lim->is_pct ? gph_change_pct(r->old, r->new_) : signed_change(r->old, r->new_),
              limit_text(r->lim));
      sep = "; ";
   }
   fprintf(f, "\n");
}

/* ---- Markdown ---- */

static void md_fn_table(Diff* d, const FnList* l, int incl, const char* title)
{
   FILE* f = d->f;
   size_t i, n = shown(d, l->n);
   if (l->n == 0) return;
   fprintf(f, "\n**%s** (%zu%s)\n\n", title, l->n,
           n < l->n ? gph_tmpf(", the top %zu", n) : "");
   fprintf(f, "| function | old | new | change | %% |\n|---|---:|---:|---:|---:|\n");
   for (i = 0; i < n; i++) {
      const FnPair* p = l->rows[i];
      const GprFn* fn = pair_fn(p);
      u64 a = incl ? pair_incl(p, 0) : pair_self(p, 0);
      u64 b = incl ? pair_incl(p, 1) : pair_self(p, 1);
      fputs("| ", f);
      gph_md_code(f, gph_fit(fn->name, 80));
      if (fn->file) {
         fputs(" ", f);
         gph_md_text(f, fn->line ? gph_tmpf("%s:%llu", gph_basename(fn->file),
                                            (unsigned long long)fn->line)
                                 : gph_basename(fn->file));
      }
      if (!p->o) fputs(" *(new)*", f);
      if (!p->n) fputs(" *(gone)*", f);
      fprintf(f, " | %s | %s | %s | %s |\n", p->o ? gph_num(a) : "-", p->n ? gph_num(b) : "-",
              signed_change(a, b), !p->o ? "new" : !p->n ? "-100.00%" : gph_change_pct(a, b));
   }
}

static void render_markdown(Diff* d)
{
   FILE* f = d->f;
   const GprProfile *po = d->po, *pn = d->pn;
   const char* sp = speedup_text(d);
   size_t i;

   fprintf(f, "### glprof: %s\n\n", d->regression ? "\xe2\x9d\x8c regression"
                                                  : "\xe2\x9c\x85 no regression");
   fputs("Command: ", f);
   gph_md_code(f, nz(pn->command));
   fprintf(f, "%s  \n", side_runs(d->o->new_runs));
   fprintf(f, "**Speedup: %sx** (instructions %s \xe2\x86\x92 %s, %s)\n",
           sp ? sp : "n/a", gph_num(po->total_instructions), gph_num(pn->total_instructions),
           gph_change_pct(po->total_instructions, pn->total_instructions));
   if (d->n_env) {
      fprintf(f, "\n> **Note:** the two sides differ in their environment:\n");
      for (i = 0; i < d->n_env; i++) {
         fprintf(f, "> - %s: ", d->env[i].field);
         gph_md_code(f, d->env[i].old);
         fputs(" \xe2\x86\x92 ", f);
         gph_md_code(f, d->env[i].new_);
         fputs("\n", f);
      }
   }
   fprintf(f, "\n| metric | old | new | change | %% |\n|---|---:|---:|---:|---:|\n");
   for (i = 0; i < N_METRICS; i++) {
      int ho = has_section(po, metrics[i].section), hn = has_section(pn, metrics[i].section);
      u64 a = metric_value(po, i), b = metric_value(pn, i);
      if (!metric_shown(d, i)) continue;
      fprintf(f, "| %s | %s | %s | %s | %s |\n", metrics[i].label, metric_cell(po, i),
              metric_cell(pn, i), ho && hn ? signed_change(a, b) : "",
              ho && hn ? gph_change_pct(a, b) : "");
   }
   if (d->o->n_limits) {
      fprintf(f, "\n| limit | allowed | change | result |\n|---|---:|---:|---|\n");
      for (i = 0; i < d->o->n_limits; i++) {
         const LimitResult* r = &d->lim[i];
         fputs("| ", f);
         gph_md_code(f, limit_subject(r->lim));
         if (r->lim->is_default) fputs(" (default)", f);
         fprintf(f, " | %s | ", limit_text(r->lim));
         if (!r->checked)
            fprintf(f, " | not checked (%s) |\n", r->note);
         else
            fprintf(f, "%s (%s) | %s |\n", signed_change(r->old, r->new_),
                    gph_change_pct(r->old, r->new_),
                    r->exceeded ? "\xe2\x9d\x8c **exceeded**" : "\xe2\x9c\x85 ok");
      }
   }
   if (po->has_functions && pn->has_functions &&
       (d->self_rows.n || d->incl_rows.n || d->new_rows.n || d->gone_rows.n)) {
      fprintf(f, "\n<details><summary>Functions: %zu changed, %zu new, %zu vanished</summary>\n",
              d->n_changed, d->match.n_new, d->match.n_vanished);
      md_fn_table(d, &d->self_rows, 0, "Self instructions");
      md_fn_table(d, &d->incl_rows, 1, "Inclusive instructions");
      fprintf(f, "\n</details>\n");
   }
   if (d->sites.n_rows) {
      size_t n = shown(d, d->sites.n_rows);
      fprintf(f, "\n<details><summary>Allocation sites: %zu changed</summary>\n\n",
              d->sites.n_rows);
      fprintf(f, "| site | old bytes | new bytes | change | %% |\n|---|---:|---:|---:|---:|\n");
      for (i = 0; i < n; i++) {
         const SitePair* r = &d->sites.rows[i];
         u64 a = sp_bytes(r, 0), b = sp_bytes(r, 1);
         fputs("| ", f);
         gph_md_code(f, site_label(sp_any(r), 120));
         if (!r->o) fputs(" *(new)*", f);
         if (!r->n) fputs(" *(gone)*", f);
         fprintf(f, " | %s | %s | %s | %s |\n", r->o ? gph_num(a) : "-", r->n ? gph_num(b) : "-",
                 signed_change(a, b), !r->o ? "new" : !r->n ? "-100.00%" : gph_change_pct(a, b));
      }
      fprintf(f, "\n</details>\n");
   }
}

/* ---- JSON ---- */

static void json_pct_str(char* b, size_t len, const char* t)
{
   /* "+1.23%" -> "1.23", "-5.00%" -> "-5.00" */
   snprintf(b, len, "%s", t[0] == '+' ? t + 1 : t);
   if (*b && b[strlen(b) - 1] == '%') b[strlen(b) - 1] = 0;
}

/* A relative change as a JSON number; null from zero to non-zero. */
static void json_pct(GphJson* j, const char* key, u64 old, u64 new_)
{
   char buf[64];
   if (old == 0) {
      if (new_ == 0) gphj_number(j, key, "0.00");
      else gphj_null(j, key);
      return;
   }
   json_pct_str(buf, sizeof(buf), gph_change_pct(old, new_));
   gphj_number(j, key, buf);
}

static void json_side(GphJson* j, const char* key, const GprProfile* p, const char* arg,
                      size_t runs)
{
   char* ex = exit_text(p);
   gphj_obj(j, key);
   gphj_str(j, "argument", arg);
   gphj_u64(j, "runs", runs);
   gphj_str(j, "command", p->command);
   gphj_str(j, "tool_version", p->tool_version);
   gphj_str(j, "valgrind_version", p->valgrind_version);
   gphj_str(j, "exit", ex);
   gphj_end_obj(j);
   free(ex);
}

static void json_fn(GphJson* j, const FnPair* p, int incl)
{
   const GprFn* fn = pair_fn(p);
   u64 a = incl ? pair_incl(p, 0) : pair_self(p, 0);
   u64 b = incl ? pair_incl(p, 1) : pair_self(p, 1);
   gphj_obj(j, NULL);
   gphj_str(j, "name", fn->name);
   gphj_str(j, "file", fn->file);
   gphj_u64(j, "line", fn->line);
   gphj_str(j, "object", fn->object);
   gphj_str(j, "status", !p->o ? "new" : !p->n ? "vanished" : "changed");
   gphj_u64(j, "old", a);
   gphj_u64(j, "new", b);
   gphj_signed(j, "change", b < a, absdiff(a, b));
   json_pct(j, "change_pct", a, b);
   gphj_u64(j, "old_calls", pair_calls(p, 0));
   gphj_u64(j, "new_calls", pair_calls(p, 1));
   gphj_end_obj(j);
}

static void json_fn_rows(GphJson* j, Diff* d, const char* key, const FnList* l, int incl)
{
   size_t i, n = shown(d, l->n);
   gphj_arr(j, key);
   for (i = 0; i < n; i++) json_fn(j, l->rows[i], incl);
   gphj_end_arr(j);
}

static void render_json(Diff* d)
{
   GphJson j;
   const GprProfile *po = d->po, *pn = d->pn;
   const char* sp = speedup_text(d);
   char buf[64];
   size_t i;

   gphj_begin(&j, d->f);
   gphj_u64(&j, "glprof_diff", 1);
   json_side(&j, "old", po, d->o->old_name, d->o->old_runs);
   json_side(&j, "new", pn, d->o->new_name, d->o->new_runs);
   if (sp) gphj_number(&j, "speedup", sp);
   else gphj_null(&j, "speedup");
   gphj_arr(&j, "environment");
   for (i = 0; i < d->n_env; i++) {
      gphj_obj(&j, NULL);
      gphj_str(&j, "field", d->env[i].field);
      gphj_str(&j, "old", d->env[i].old);
      gphj_str(&j, "new", d->env[i].new_);
      gphj_end_obj(&j);
   }
   gphj_end_arr(&j);
   gphj_arr(&j, "metrics");
   for (i = 0; i < N_METRICS; i++) {
      int ho = has_section(po, metrics[i].section), hn = has_section(pn, metrics[i].section);
      u64 a = metric_value(po, i), b = metric_value(pn, i);
      if (!metric_shown(d, i)) continue;
      gphj_obj(&j, NULL);
      gphj_str(&j, "metric", metrics[i].name);
      if (ho) gphj_u64(&j, "old", a); else gphj_null(&j, "old");
      if (hn) gphj_u64(&j, "new", b); else gphj_null(&j, "new");
      if (ho && hn) {
         gphj_signed(&j, "change", b < a, absdiff(a, b));
         json_pct(&j, "change_pct", a, b);
      } else {
         gphj_null(&j, "change");
         gphj_null(&j, "change_pct");
      }
      gphj_end_obj(&j);
   }
   gphj_end_arr(&j);

   gphj_obj(&j, "functions");
   gphj_bool(&j, "compared", po->has_functions && pn->has_functions);
   gphj_u64(&j, "matched", d->match.n_matched);
   gphj_u64(&j, "matched_by_basename", d->match.n_loose);
   gphj_u64(&j, "changed", d->n_changed);
   gphj_u64(&j, "self_changed", d->self_rows.n);
   gphj_u64(&j, "incl_changed", d->incl_rows.n);
   gphj_u64(&j, "new", d->match.n_new);
   gphj_u64(&j, "vanished", d->match.n_vanished);
   json_fn_rows(&j, d, "self", &d->self_rows, 0);
   json_fn_rows(&j, d, "inclusive", &d->incl_rows, 1);
   json_fn_rows(&j, d, "new_functions", &d->new_rows, 1);
   json_fn_rows(&j, d, "vanished_functions", &d->gone_rows, 1);
   gphj_end_obj(&j);

   gphj_arr(&j, "heap_sites");
   for (i = 0; i < shown(d, d->sites.n_rows); i++) {
      const SitePair* r = &d->sites.rows[i];
      u64 a = sp_bytes(r, 0), b = sp_bytes(r, 1);
      gphj_obj(&j, NULL);
      gphj_str(&j, "chain", sp_any(r)->key);
      gphj_str(&j, "status", !r->o ? "new" : !r->n ? "vanished" : "changed");
      gphj_u64(&j, "old_bytes", a);
      gphj_u64(&j, "new_bytes", b);
      gphj_signed(&j, "change", b < a, absdiff(a, b));
      json_pct(&j, "change_pct", a, b);
      gphj_u64(&j, "old_allocs", sp_allocs(r, 0));
      gphj_u64(&j, "new_allocs", sp_allocs(r, 1));
      gphj_end_obj(&j);
   }
   gphj_end_arr(&j);

   gphj_arr(&j, "limits");
   for (i = 0; i < d->o->n_limits; i++) {
      const LimitResult* r = &d->lim[i];
      gphj_obj(&j, NULL);
      gphj_str(&j, "limit", r->lim->spec);
      gphj_str(&j, "metric", limit_subject(r->lim));
      gphj_bool(&j, "default", r->lim->is_default);
      gphj_str(&j, "kind", r->lim->is_pct ? "percent" : "absolute");
      if (r->lim->is_pct) {
         snprintf(buf, sizeof(buf), "%s", limit_text(r->lim) + 1);
         buf[strlen(buf) - 1] = 0;
         gphj_number(&j, "allowed", buf);
      } else {
         gphj_u64(&j, "allowed", r->lim->abs);
      }
      gphj_bool(&j, "checked", r->checked);
      if (r->checked) {
         gphj_u64(&j, "old", r->old);
         gphj_u64(&j, "new", r->new_);
         gphj_signed(&j, "change", r->new_ < r->old, absdiff(r->old, r->new_));
         json_pct(&j, "change_pct", r->old, r->new_);
      } else {
         gphj_str(&j, "note", r->note);
      }
      gphj_bool(&j, "exceeded", r->exceeded);
      gphj_end_obj(&j);
   }
   gphj_end_arr(&j);
   gphj_bool(&j, "regression", d->regression);
   gphj_u64(&j, "status", d->regression ? GPD_REGRESSION : GPD_OK);
   gphj_end(&j);
}

int gpd_compare(const GprProfile* po, const GprProfile* pn, const GpdOptions* o, FILE* out)
{
   Diff d;
   size_t i;
   int rc;
   memset(&d, 0, sizeof(d));
   d.po = po;
   d.pn = pn;
   d.o = o;
   d.f = out;
   d.lim = gph_xcalloc(o->n_limits + 1, sizeof(*d.lim));
   rc = eval_limits(po, pn, o, d.lim);
   if (rc != GPD_OK) {
      free(d.lim);
      return rc;
   }
   for (i = 0; i < o->n_limits; i++)
      if (d.lim[i].exceeded) d.regression = 1;
   d.n_env = environment_diffs(po, pn, d.env);
   match_functions(po, pn, &d.match);
   d.self_rows = select_pairs(&d.match, 0);
   d.incl_rows = select_pairs(&d.match, 1);
   d.new_rows = select_pairs(&d.match, 2);
   d.gone_rows = select_pairs(&d.match, 3);
   diff_sites(po, pn, &d.sites);
   for (i = 0; i < d.match.n_matched; i++) {
      const FnPair* p = &d.match.pairs[i];
      if (p->o->self_ir != p->n->self_ir || p->o->incl_ir != p->n->incl_ir ||
          p->o->calls != p->n->calls)
         d.n_changed++;
   }
   switch (o->format) {
   case GPD_MARKDOWN: render_markdown(&d); break;
   case GPD_JSON: render_json(&d); break;
   default: render_text(&d); break;
   }
   free(d.self_rows.rows);
   free(d.incl_rows.rows);
   free(d.new_rows.rows);
   free(d.gone_rows.rows);
   free(d.match.pairs);
   free_site_diff(&d.sites);
   free(d.lim);
   for (i = 0; i < d.n_env; i++) {
      free(d.env[i].old);
      free(d.env[i].new_);
   }
   return d.regression ? GPD_REGRESSION : GPD_OK;
}

/* ---- repeated runs ---------------------------------------------------------------------- */

typedef struct {
   char* buf;
   size_t len, cap, count;
} Msgs;

#define MAX_SHOWN_DIFFS 10

static void addmsg(Msgs* m, const char* fmt, ...) GPH_PRINTF(2, 3);
static void addmsg(Msgs* m, const char* fmt, ...)
{
   va_list ap;
   char line[600];
   size_t n;
   if (m->count++ >= MAX_SHOWN_DIFFS) return;
   va_start(ap, fmt);
   vsnprintf(line, sizeof(line), fmt, ap);
   va_end(ap);
   n = strlen(line);
   if (m->len + n + 2 > m->cap) {
      m->cap = (m->len + n + 2) * 2;
      m->buf = gph_xrealloc(m->buf, m->cap, 1);
   }
   memcpy(m->buf + m->len, line, n);
   m->len += n;
   m->buf[m->len++] = '\n';
   m->buf[m->len] = 0;
}

static void cmp_u64(Msgs* m, const char* a, const char* b, const char* what, u64 x, u64 y)
{
   if (x != y)
      addmsg(m, "  %s: %s %s, %s %s", what, gph_clean(a), gph_num(x), gph_clean(b), gph_num(y));
}

/* Fields that scheduling decides, not the program: with more than one
   thread, the threads' instructions interleave on the global instruction
   clock as the scheduler ran them, so times on that clock (the heap peak's
   moment, block lifetimes, growth fits) and lock contention differ between
   runs of a deterministic program.  The wall clock always does. */
static const char* const io_wall_clock[] = { "time_ms", NULL };
static const char* const heap_clock[] = { "peak_at", NULL };
static const char* const site_clock[] = { "avg_lifetime", "short_lived", "churn", "growth", NULL };
static const char* const lock_scheduling[] = { "contended", "busy", "held_ir", NULL };

static void del_fields(json_t* o, const char* const* keys)
{
   if (!json_is_object(o)) return;
   for (; *keys; keys++) json_object_del(o, *keys);
}

static void del_fields_each(json_t* arr, const char* const* keys)
{
   size_t i;
   for (i = 0; i < json_array_size(arr); i++) del_fields(json_array_get(arr, i), keys);
}

static int threaded(const GprProfile* p)
{
   return p->n_threads > 1 || p->total_threads > 1;
}

/* A section's JSON without its fields that are not deterministic. */
static json_t* det_section(const GprProfile* p, const char* key)
{
   json_t* s = json_object_get((json_t*)p->json, key);
   json_t* c;
   if (!s) return NULL;
   /* only the sections that lose fields are copied (call paths can be
      millions of rows) */
   if (strcmp(key, "io") != 0
       && !(threaded(p) && (strcmp(key, "heap") == 0 || strcmp(key, "locks") == 0)))
      return json_incref(s);
   c = json_deep_copy(s);
   if (!c) return NULL;
   if (strcmp(key, "io") == 0) del_fields(c, io_wall_clock);
   if (threaded(p) && strcmp(key, "heap") == 0) {
      del_fields(c, heap_clock);
      if (json_is_object(c)) del_fields_each(json_object_get(c, "sites"), site_clock);
   }
   if (threaded(p) && strcmp(key, "locks") == 0) del_fields_each(c, lock_scheduling);
   return c;
}

static void compare_runs(const GprProfile* a, const GprProfile* b, Msgs* m)
{
   static const char* sections[] = { "functions", "calls", "paths", "heap", "leaks", "io",
                                     "locks", "determinism" };
   size_t before = m->count, i;
   const char *na = a->path, *nb = b->path;

   if (strcmp(nz(a->command), nz(b->command)) != 0)
      addmsg(m, "  command: %s runs '%s', %s runs '%s'", gph_clean(na), gph_clean(nz(a->command)),
             gph_clean(nb), gph_clean(nz(b->command)));
   cmp_u64(m, na, nb, "totals.instructions", a->total_instructions, b->total_instructions);
   cmp_u64(m, na, nb, "totals.calls", a->total_calls, b->total_calls);
   cmp_u64(m, na, nb, "totals.functions", a->total_functions, b->total_functions);
   cmp_u64(m, na, nb, "totals.call_paths", a->total_call_paths, b->total_call_paths);
   cmp_u64(m, na, nb, "totals.max_stack_depth", a->max_stack_depth, b->max_stack_depth);
   for (i = 2; i < N_METRICS; i++) {
      int sec = metrics[i].section;
      char what[64];
      if (has_section(a, sec) != has_section(b, sec)) continue;
      snprintf(what, sizeof(what), "%s", metrics[i].label);
      if (has_section(a, sec)) cmp_u64(m, na, nb, what, metric_value(a, i), metric_value(b, i));
   }
   for (i = 1; i < 4; i++)
      if (has_section(a, (int)i) != has_section(b, (int)i))
         addmsg(m, "  \"%s\" section: only in %s", section_name[i],
                gph_clean(has_section(a, (int)i) ? na : nb));

   /* per function, matched exactly (the same build) */
   if (a->has_functions && b->has_functions) {
      FnMatch fm;
      match_functions(a, b, &fm);
      for (i = 0; i < fm.n_pairs; i++) {
         const FnPair* p = &fm.pairs[i];
         const GprFn* f = pair_fn(p);
         const char* label = gph_fn_label(f->name, f->file, f->line, f->object);
         if (!p->o || !p->n) {
            addmsg(m, "  function %s: only in %s", label, gph_clean(p->o ? na : nb));
         } else if (p->o->self_ir != p->n->self_ir || p->o->incl_ir != p->n->incl_ir ||
                    p->o->calls != p->n->calls) {
            addmsg(m, "  function %s: self %s vs %s, inclusive %s vs %s, calls %s vs %s", label,
                   gph_num(p->o->self_ir), gph_num(p->n->self_ir), gph_num(p->o->incl_ir),
                   gph_num(p->n->incl_ir), gph_num(p->o->calls), gph_num(p->n->calls));
         }
      }
      free(fm.pairs);
   }
   /* What the figures above do not cover (call paths, lines, allocation
      sites, leak records, per-file I/O) must be identical too. */
   for (i = 0; i < GPH_COUNT_OF(sections) && m->count == before; i++) {
      json_t* x = det_section(a, sections[i]);
      json_t* y = det_section(b, sections[i]);
      if ((x || y) && !(x && y && json_equal(x, y)))
         addmsg(m, "  \"%s\" differs between %s and %s", sections[i], gph_clean(na), gph_clean(nb));
      json_decref(x);
      json_decref(y);
   }
}

int gpd_check_agreement(const GprProfile* runs, size_t n, char** msg)
{
   Msgs m = { NULL, 0, 0, 0 };
   size_t i;
   *msg = NULL;
   for (i = 1; i < n; i++) compare_runs(&runs[0], &runs[i], &m);
   if (m.count == 0) return 0;
   if (m.count > MAX_SHOWN_DIFFS) {
      char tail[64];
      snprintf(tail, sizeof(tail), "  ... and %zu more differences\n", m.count - MAX_SHOWN_DIFFS);
      m.count = 0; /* let addmsg take it */
      addmsg(&m, "%s", tail);
      m.buf[m.len - 1] = 0; /* tail already had its newline */
   }
   *msg = m.buf;
   return 1;
}
