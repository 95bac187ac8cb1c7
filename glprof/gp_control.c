/* gp_control.c -- control of collection and of profile writing (see
   gp_control.h).

   Collection is per thread: a thread's instruction clock runs only while
   it collects (gp_threads.h), so instructions, self and inclusive costs
   outside collection simply do not exist, while the shadow stack keeps
   following calls and returns (the call tree stays right across toggles).
   A thread collects when the global switch (--collect-atstart, the
   START/STOP requests) is on, XOR an odd number of --toggle-collect
   functions is on its stack -- Callgrind's semantics. */

#include "gp_control.h"
#include "gp_callstack.h"
#include "gp_cct.h"
#include "gp_code.h"
#include "gp_heap.h"
#include "gp_options.h"
#include "gp_output.h"
#include "gp_profile.h"
#include "gp_threads.h"
#include "gp_util.h"
#include "glprof.h"

/* Request numbers of the tools whose requests glprof honours (from their
   public headers; cachegrind.h is not in every Valgrind glprof builds
   against, so its two numbers are spelled here). */
#include "callgrind.h"
#include "memcheck.h"
#define GP_CG_START_INSTRUMENTATION (VG_USERREQ_TOOL_BASE('C', 'G') + 0)
#define GP_CG_STOP_INSTRUMENTATION  (VG_USERREQ_TOOL_BASE('C', 'G') + 1)

/* ---- options -------------------------------------------------------- */

static Bool    clo_collect_atstart = True;
static XArray* clo_toggle;            /* const HChar* patterns */
static XArray* clo_focus;
static UInt    clo_warmup = 1;

Bool gp_control_option(const HChar* arg)
{
   if VG_BOOL_CLO(arg, "--collect-atstart", clo_collect_atstart) {}
   else if (gp_opt_pattern(arg, "--toggle-collect", &clo_toggle)) {}
   else if (gp_opt_pattern(arg, "--focus", &clo_focus)) {}
   else if (gp_opt_uint(arg, "--iteration-warmup", &clo_warmup, 0, 1000000)) {}
   else return False;
   return True;
}

void gp_control_usage(void)
{
   VG_(printf)(
"    collection control:\n"
"    --collect-atstart=yes|no  collect from the start, or only after\n"
"                              GLPROF_START_COLLECTION [yes]\n"
"    --toggle-collect=<pat>    toggle collection while a function matching\n"
"                              <pat> is on the stack ('*', '?'; repeatable)\n"
"    --focus=<pat>             report only costs under functions matching\n"
"                              <pat> (repeatable)\n"
"    --iteration-warmup=<n>    GLPROF_ITERATION marks ignored at the start\n"
"                              of per-iteration figures [1]\n"
   );
}

static Bool matches_any(XArray* pats, const HChar* name)
{
   Word i;
   if (!pats) return False;
   for (i = 0; i < VG_(sizeXA)(pats); i++)
      if (gp_wildcard_match(*(const HChar**)VG_(indexXA)(pats, i), name))
         return True;
   return False;
}

UInt gp_control_fn_flags(const HChar* name)
{
   UInt f = 0;
   if (matches_any(clo_toggle, name)) f |= GP_FN_TOGGLE;
   if (matches_any(clo_focus, name)) f |= GP_FN_FOCUS;
   return f;
}

Bool gp_control_focus_active(void) { return clo_focus != NULL; }
UInt gp_control_warmup(void) { return clo_warmup; }

/* ---- collection ------------------------------------------------------- */

static Bool collect_global;        /* the START/STOP switch */

Bool gp_control_collecting_initially(void) { return collect_global; }

static void apply(GpThread* t)
{
   gp_thread_set_collecting(t, collect_global ^ (t->toggles & 1));
}

static void set_global(Bool on)
{
   UInt i, n = gp_thread_count();
   collect_global = on;
   for (i = 0; i < n; i++) {
      GpThread* t = gp_thread_by_index(i);
      if (t->alive) apply(t);
   }
}

void gp_control_toggle(GpThread* t, Int delta)
{
   t->toggles += delta;
   apply(t);
}

/* ---- counters, iterations and regions ----------------------------------- */

static XArray* marks;              /* GpCounters at each GLPROF_ITERATION */
static XArray* regions;            /* GpRegion* */
UInt gp_regions_open;

typedef struct { GpRegion* r; GpCounters start; ULong start_clock; } OpenRegion;
/* Open regions per thread: an XArray of OpenRegion, indexed by record. */
static GpWordMap open_by_thread;   /* GpThread* -> XArray* */

static ULong all_instructions(void)
{
   UInt i, n = gp_thread_count();
   ULong s = 0;
   for (i = 0; i < n; i++) s += gp_thread_now(gp_thread_by_index(i));
   return s;
}

static void counters_now(GpCounters* c)
{
   VG_(memset)(c, 0, sizeof(*c));
   c->instructions = all_instructions();
   c->calls = gp_cs_calls_total;
   c->allocs = gp_heap.total_allocs;
   c->alloc_bytes = gp_heap.total_bytes;
   c->live_bytes = gp_heap.live_bytes;
   gp_io_counters(&c->io_ops, &c->io_bytes);
}

UInt gp_control_n_marks(void) { return marks ? (UInt)VG_(sizeXA)(marks) : 0; }
const GpCounters* gp_control_mark(UInt i) { return VG_(indexXA)(marks, i); }
UInt gp_control_n_regions(void) { return regions ? (UInt)VG_(sizeXA)(regions) : 0; }
GpRegion* gp_control_region(UInt i) { return *(GpRegion**)VG_(indexXA)(regions, i); }

static void iteration_mark(void)
{
   GpCounters c;
   counters_now(&c);
   VG_(addToXA)(marks, &c);
   gp_heap_note_iteration((UInt)VG_(sizeXA)(marks));
}

static GpRegion* region_get(const HChar* name, const HChar* parent)
{
   Word i;
   GpRegion* r;
   for (i = 0; i < VG_(sizeXA)(regions); i++) {
      r = *(GpRegion**)VG_(indexXA)(regions, i);
      if (r->name == name) return r;
   }
   r = VG_(calloc)(GP_CC("ctl.region"), 1, sizeof(GpRegion));
   r->name = name;
   r->parent = parent;
   VG_(addToXA)(regions, &r);
   return r;
}

static XArray* open_stack(GpThread* t)
{
   UWord* v = gp_wmap_insert(&open_by_thread, (UWord)t);
   if (*v == 0)
      *v = (UWord)VG_(newXA)(VG_(malloc), GP_CC("ctl.open"), VG_(free),
                             sizeof(OpenRegion));
   return (XArray*)*v;
}

/* A region name from client memory: checked, bounded, interned. */
static const HChar* client_string(Addr a, const HChar* dflt)
{
   HChar buf[256];
   UInt i;
   if (!a) return gp_intern(dflt);
   for (i = 0; i < sizeof(buf) - 1; i++) {
      if (!VG_(am_is_valid_for_client)(a + i, 1, VKI_PROT_READ)) break;
      buf[i] = ((const HChar*)a)[i];
      if (!buf[i]) break;
   }
   buf[i] = 0;
   return gp_intern(i ? buf : dflt);
}

static void region_begin(GpThread* t, Addr name_addr)
{
   XArray* st = open_stack(t);
   OpenRegion o;
   const HChar* parent = VG_(sizeXA)(st)
      ? ((OpenRegion*)VG_(indexXA)(st, VG_(sizeXA)(st) - 1))->r->name : NULL;
   o.r = region_get(client_string(name_addr, "(unnamed)"), parent);
   o.r->entries++;
   counters_now(&o.start);
   o.start_clock = gp_thread_now(t);
   if (o.start.live_bytes > o.r->peak_live) o.r->peak_live = o.start.live_bytes;
   VG_(addToXA)(st, &o);
   gp_regions_open++;
}

static void region_end(GpThread* t)
{
   XArray* st = open_stack(t);
   OpenRegion* o;
   GpCounters now;
   if (VG_(sizeXA)(st) == 0) return;      /* END without BEGIN: ignored */
   o = VG_(indexXA)(st, VG_(sizeXA)(st) - 1);
   counters_now(&now);
   /* Instructions are this thread's own; heap and I/O are process-wide. */
   o->r->sum.instructions += gp_thread_now(t) - o->start_clock;
   o->r->sum.calls += now.calls - o->start.calls;
   o->r->sum.allocs += now.allocs - o->start.allocs;
   o->r->sum.alloc_bytes += now.alloc_bytes - o->start.alloc_bytes;
   o->r->sum.live_bytes += now.live_bytes - o->start.live_bytes;
   o->r->sum.io_ops += now.io_ops - o->start.io_ops;
   o->r->sum.io_bytes += now.io_bytes - o->start.io_bytes;
   if (now.live_bytes > o->r->peak_live) o->r->peak_live = now.live_bytes;
   VG_(dropTailXA)(st, 1);
   gp_regions_open--;
}

void gp_control_note_live(ULong live_bytes)
{
   UInt i, n = gp_control_n_regions();
   /* Few regions are open at once; every open one sees this peak. */
   for (i = 0; i < n; i++) {
      GpRegion* r = gp_control_region(i);
      if (live_bytes > r->peak_live) r->peak_live = live_bytes;
   }
}

static UInt n_dumps;
UInt gp_control_n_dumps(void) { return n_dumps; }

/* ---- analysis ------------------------------------------------------------ */

static ULong isqrt(ULong v)
{
   ULong r = 0, b = (ULong)1 << 62;
   while (b > v) b >>= 2;
   while (b) {
      if (v >= r + b) { v -= r + b; r = (r >> 1) + b; }
      else r >>= 1;
      b >>= 2;
   }
   return r;
}

/* Statistics of one counter over iterations warmup+1 .. marks.  The
   iteration ending at mark k is the change since mark k-1 (since the start
   for the first). */
static void stat_of(GpStat* s, SizeT field, UInt warmup, Bool may_shrink)
{
   UInt n = gp_control_n_marks(), k;
   Long sum = 0;
   ULong sq = 0;
   VG_(memset)(s, 0, sizeof(*s));
   for (k = warmup; k < n; k++) {
      const UChar* cur = (const UChar*)gp_control_mark(k);
      ULong a = *(const ULong*)(cur + field);
      ULong b = k ? *(const ULong*)((const UChar*)gp_control_mark(k - 1) + field) : 0;
      Long d = (Long)(a - b);
      ULong ad = d < 0 ? (ULong)-d : (ULong)d;
      if (s->n == 0 || ad < s->min) s->min = ad;
      if (ad > s->max) s->max = ad;
      s->n++;
      sum += d;
   }
   if (s->n == 0) return;
   s->total = sum < 0 ? 0 : (ULong)sum;
   s->mean_signed = sum / (Long)s->n;
   s->mean = s->mean_signed < 0 ? 0 : (ULong)s->mean_signed;
   /* variance around the mean, in a second pass (no floating point) */
   for (k = warmup; k < n; k++) {
      ULong a = *(const ULong*)((const UChar*)gp_control_mark(k) + field);
      ULong b = k ? *(const ULong*)((const UChar*)gp_control_mark(k - 1) + field) : 0;
      Long d = (Long)(a - b) - s->mean_signed;
      ULong ad = d < 0 ? (ULong)-d : (ULong)d;
      sq += ad > 0xFFFFFFFFULL ? 0xFFFFFFFFFFFFFFFFULL / s->n : ad * ad / s->n;
   }
   s->stddev = isqrt(sq);
   (void)may_shrink;
}

static Int region_cmp(const void* pa, const void* pb)
{
   const GpRegion* a = *(const GpRegion* const*)pa;
   const GpRegion* b = *(const GpRegion* const*)pb;
   if (a->sum.instructions != b->sum.instructions)
      return a->sum.instructions > b->sum.instructions ? -1 : 1;
   return VG_(strcmp)(a->name, b->name);
}

void gp_control_analyse(GpProfile* p)
{
   GpControlProfile* c = VG_(calloc)(GP_CC("ctl.prof"), 1, sizeof(*c));
   UInt n = gp_control_n_marks(), i;
   c->marks = n;
   c->warmup = clo_warmup < n ? clo_warmup : n;
   c->counted = n - c->warmup;
#  define OFF(f) ((SizeT)&((GpCounters*)0)->f)
   stat_of(&c->instructions, OFF(instructions), c->warmup, False);
   stat_of(&c->calls, OFF(calls), c->warmup, False);
   stat_of(&c->allocs, OFF(allocs), c->warmup, False);
   stat_of(&c->alloc_bytes, OFF(alloc_bytes), c->warmup, False);
   stat_of(&c->io_ops, OFF(io_ops), c->warmup, False);
   stat_of(&c->io_bytes, OFF(io_bytes), c->warmup, False);
   stat_of(&c->live_growth, OFF(live_bytes), c->warmup, True);
#  undef OFF
   c->n_regions = gp_control_n_regions();
   c->regions = VG_(malloc)(GP_CC("ctl.prof"), (c->n_regions + 1) * sizeof(GpRegion*));
   for (i = 0; i < c->n_regions; i++) c->regions[i] = gp_control_region(i);
   VG_(ssort)(c->regions, c->n_regions, sizeof(GpRegion*), region_cmp);
   c->dumps = n_dumps;
   c->collect_atstart = clo_collect_atstart;
   c->focus = clo_focus != NULL;
   p->control = c;
}

void gp_control_profile_free(GpProfile* p)
{
   if (!p->control) return;
   VG_(free)(p->control->regions);
   VG_(free)(p->control);
   p->control = NULL;
}

/* ---- zero and dump ------------------------------------------------------ */

static void zero_stats(void)
{
   UInt i, n = gp_control_n_regions();
   gp_code_zero_all();
   gp_threads_zero();
   gp_heap_zero();
   gp_io_zero();
   gp_cct_stats.recursion_folds = gp_cct_stats.cap_folds = 0;
   gp_cs_calls_total = 0;
   VG_(dropTailXA)(marks, VG_(sizeXA)(marks));
   for (i = 0; i < n; i++) {
      GpRegion* r = gp_control_region(i);
      r->entries = 0;
      VG_(memset)(&r->sum, 0, sizeof(r->sum));
      r->peak_live = 0;
   }
}

static void dump(const HChar* label)
{
   GpProfile* p;
   UInt i, n = gp_thread_count();
   n_dumps++;
   for (i = 0; i < n; i++) {
      GpThread* t = gp_thread_by_index(i);
      if (t->alive) gp_cs_bank_open_frames(t);
   }
   p = gp_analyse(False, label);
   gp_output_dump(p, n_dumps);
   gp_profile_free(p);
}

/* ---- vgdb monitor commands ---------------------------------------------- */

static void monitor_help(void)
{
   VG_(gdb_printf)(
"glprof monitor commands:\n"
"  glprof help              this text\n"
"  glprof status            instructions, calls, heap and I/O so far\n"
"  glprof dump [<label>]    write a profile now (numbered file beside the final one)\n"
"  glprof zero              forget everything counted so far\n"
"  glprof collect on|off    switch collection on or off\n"
"  glprof leak_check        run the leak check now and print its summary\n"
"(the 'glprof' word may be left out)\n");
}

static void monitor_status(void)
{
   GpCounters c;
   counters_now(&c);
   VG_(gdb_printf)("glprof status: collection %s\n", collect_global ? "on" : "off");
   VG_(gdb_printf)("  instructions: %s in %u threads (%u alive)\n",
                   gp_fmt_num(c.instructions), gp_thread_count(), gp_threads_alive());
   VG_(gdb_printf)("  calls: %s\n", gp_fmt_num(c.calls));
   VG_(gdb_printf)("  heap: %s allocs, %s bytes allocated, %s live in %s blocks\n",
                   gp_fmt_num(c.allocs), gp_fmt_num(c.alloc_bytes),
                   gp_fmt_num(c.live_bytes), gp_fmt_num(gp_heap.live_blocks));
   VG_(gdb_printf)("  io: %s ops, %s bytes\n", gp_fmt_num(c.io_ops), gp_fmt_num(c.io_bytes));
   VG_(gdb_printf)("  iterations marked: %u, dumps written: %u\n",
                   gp_control_n_marks(), n_dumps);
}

static Bool monitor_command(const HChar* cmd)
{
   HChar buf[512];
   HChar *w, *ssaveptr;
   Int kw;
   VG_(strncpy)(buf, cmd, sizeof(buf) - 1);
   buf[sizeof(buf) - 1] = 0;
   w = VG_(strtok_r)(buf, " ", &ssaveptr);
   if (w && VG_(strcmp)(w, "glprof") == 0) w = VG_(strtok_r)(NULL, " ", &ssaveptr);
   if (!w) return False;
   kw = VG_(keyword_id)("help status dump zero collect leak_check", w,
                        kwd_report_none);
   switch (kw) {
   case 0: monitor_help(); return True;
   case 1: monitor_status(); return True;
   case 2: {
      HChar* label = VG_(strtok_r)(NULL, "", &ssaveptr);
      dump(label ? gp_intern(label) : NULL);
      VG_(gdb_printf)("glprof: profile %u written\n", n_dumps);
      return True;
   }
   case 3: zero_stats(); VG_(gdb_printf)("glprof: statistics zeroed\n"); return True;
   case 4: {
      HChar* v = VG_(strtok_r)(NULL, " ", &ssaveptr);
      if (v && VG_(strcmp)(v, "on") == 0) set_global(True);
      else if (v && VG_(strcmp)(v, "off") == 0) set_global(False);
      else { VG_(gdb_printf)("usage: glprof collect on|off\n"); return True; }
      VG_(gdb_printf)("glprof: collection %s\n", collect_global ? "on" : "off");
      return True;
   }
   case 5: gp_heap_leak_check_monitor(); return True;
   default: return False;
   }
}

/* ---- the client-request handler ------------------------------------------ */

static Bool glprof_request(ThreadId tid, UWord* arg, UWord* ret)
{
   GpThread* t;
   gp_thread_switch(tid);
   t = gp_cur_thread;
   *ret = 0;
   switch (arg[0]) {
   case VG_USERREQ__GLPROF_RUNNING:          *ret = 1; return True;
   case VG_USERREQ__GLPROF_START_COLLECTION: set_global(True); return True;
   case VG_USERREQ__GLPROF_STOP_COLLECTION:  set_global(False); return True;
   case VG_USERREQ__GLPROF_ZERO_STATS:       zero_stats(); return True;
   case VG_USERREQ__GLPROF_DUMP_STATS:
      dump(arg[1] ? client_string(arg[1], "") : NULL);
      return True;
   case VG_USERREQ__GLPROF_ITERATION:        iteration_mark(); return True;
   case VG_USERREQ__GLPROF_REGION_BEGIN:     if (t) region_begin(t, arg[1]); return True;
   case VG_USERREQ__GLPROF_REGION_END:       if (t) region_end(t); return True;
   default: return False;
   }
}

/* Callgrind's and Cachegrind's requests, with their meaning: a dump there
   zeroes the counters afterwards; instrumentation on/off is collection
   on/off here (glprof always follows calls, so the tree stays right). */
static Bool compat_request(ThreadId tid, UWord* arg, UWord* ret)
{
   GpThread* t;
   gp_thread_switch(tid);
   t = gp_cur_thread;
   *ret = 0;
   switch (arg[0]) {
   case VG_USERREQ__DUMP_STATS:      dump(gp_intern("callgrind-dump")); zero_stats(); return True;
   case VG_USERREQ__DUMP_STATS_AT:   dump(client_string(arg[1], "callgrind-dump")); zero_stats(); return True;
   case VG_USERREQ__ZERO_STATS:      zero_stats(); return True;
   case VG_USERREQ__TOGGLE_COLLECT:  set_global(!collect_global); return True;
   case VG_USERREQ__START_INSTRUMENTATION:
   case GP_CG_START_INSTRUMENTATION: set_global(True); return True;
   case VG_USERREQ__STOP_INSTRUMENTATION:
   case GP_CG_STOP_INSTRUMENTATION:  set_global(False); return True;
   default: (void)t; return False;
   }
}

Bool gp_control_client_request(ThreadId tid, UWord* arg, UWord* ret)
{
   if (arg[0] == VG_USERREQ__GDB_MONITOR_COMMAND) {
      if (monitor_command((const HChar*)arg[1])) { *ret = 1; return True; }
      return False;
   }
   if (VG_IS_TOOL_USERREQ('G', 'P', arg[0]) && arg[0] < _VG_USERREQ__GLPROF_PRELOAD_BASE)
      return glprof_request(tid, arg, ret);
   if (VG_IS_TOOL_USERREQ('C', 'T', arg[0]) || VG_IS_TOOL_USERREQ('C', 'G', arg[0]))
      return compat_request(tid, arg, ret);
   if (VG_IS_TOOL_USERREQ('M', 'C', arg[0]))
      return gp_heap_memcheck_request(tid, arg, ret);
   return gp_heap_client_request(tid, arg, ret);
}

/* ---- other concerns' parts, until they provide them -------------------
   Weak defaults: a concern that implements one of these replaces it at
   link time. */
__attribute__((weak)) void gp_heap_zero(void) {}
__attribute__((weak)) void gp_heap_note_iteration(UInt index) {}
__attribute__((weak)) void gp_io_zero(void) {}
__attribute__((weak)) void gp_io_counters(ULong* ops, ULong* bytes) { *ops = *bytes = 0; }
__attribute__((weak)) void gp_heap_leak_check_monitor(void)
{
   VG_(gdb_printf)("glprof: leak check not available\n");
}
__attribute__((weak)) Bool gp_heap_memcheck_request(ThreadId tid, UWord* arg, UWord* ret)
{ return False; }
__attribute__((weak)) Bool gp_heap_client_request(ThreadId tid, UWord* arg, UWord* ret)
{ return False; }

void gp_control_init(void)
{
   collect_global = clo_collect_atstart;
   marks = VG_(newXA)(VG_(malloc), GP_CC("ctl.marks"), VG_(free), sizeof(GpCounters));
   regions = VG_(newXA)(VG_(malloc), GP_CC("ctl.regions"), VG_(free), sizeof(GpRegion*));
   gp_wmap_init(&open_by_thread, GP_CC("ctl.open"), 16);
}
