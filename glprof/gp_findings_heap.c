/* gp_findings_heap.c -- the findings rules over the heap profile: leaks with
   their allocation site, live-heap growth and churn at a site (as the heap
   analysis flagged them, with its --growth-* and --churn-* criteria), a
   heap peak over the seed guide's thresholds, and bad frees. */

#include "gp_findings.h"
#include "gp_heap.h"
#include "gp_heap_int.h"
#include "gp_profile.h"
#include "gp_util.h"

/* Is this frame an allocation wrapper (xmalloc, my_alloc, g_malloc, a
   constructor's operator new ...)?  A finding names the code that asked
   for the memory, not the wrapper it went through. */
static Bool is_alloc_wrapper(const GpFrameLoc* l)
{
   return gp_wildcard_match("*alloc*", l->name) || gp_wildcard_match("*Alloc*", l->name)
          || gp_wildcard_match("*operator new*", l->name);
}

static const GpStack* site_stack(const GpSite* s)
{
   return s->stack && s->stack->n ? s->stack : s->full;
}

/* Index of the frame that names a site: the first that is not a wrapper. */
static UInt site_frame(const GpStack* st)
{
   UInt i;
   for (i = 0; i + 1 < st->n && is_alloc_wrapper(st->f[i]); i++) ;
   return i;
}

static void loc_text(HChar* b, SizeT sz, const GpFrameLoc* l)
{
   const HChar* base = l->file ? VG_(strrchr)(l->file, '/') : NULL;
   base = base ? base + 1 : l->file;
   if (base && l->line) VG_(snprintf)(b, sz, "%s (%s:%u)", l->name, base, l->line);
   else VG_(snprintf)(b, sz, "%s [%s]", l->name, l->obj ? l->obj->name : "???");
}

/* "fn (file:line)" of a site's allocation point, "... via xmalloc" when it
   went through a wrapper. */
static const HChar* site_label(const GpSite* s)
{
   static HChar buf[2][400];
   static UInt next;
   HChar* b = buf[next++ & 1];
   const GpStack* st = site_stack(s);
   UInt k;
   if (!st || st->n == 0) return "(unknown site)";
   k = site_frame(st);
   loc_text(b, sizeof(buf[0]), st->f[k]);
   if (k > 0) {
      SizeT u = VG_(strlen)(b);
      VG_(snprintf)(b + u, sizeof(buf[0]) - u, " via %s", st->f[0]->name);
   }
   return b;
}

/* The function that called the allocating function, for advice. */
static const HChar* site_caller(const GpSite* s)
{
   const GpStack* st = site_stack(s);
   UInt k;
   if (!st || st->n == 0) return NULL;
   k = site_frame(st);
   return k + 1 < st->n ? st->f[k + 1]->name : NULL;
}

static void rule_leaks(const GpHeapProfile* h)
{
   const GpLeakResult* lr = &h->leaks;
   UInt i, shown = 0;
   if (!lr->done) return;
   /* One finding per largest definitely lost record (three at most), then
      possibly lost ones, so the report points at code, not at a total. */
   for (i = 0; i < lr->n_records && shown < 3; i++) {
      const GpLeakRecord* r = &lr->records[i];
      GpFinding* x;
      const HChar* caller;
      if (r->suppressed || (r->kind != GP_LK_DEFINITE && r->kind != GP_LK_POSSIBLE))
         continue;
      shown++;
      caller = site_caller(r->site);
      x = gp_finding_new(r->kind == GP_LK_DEFINITE ? "leak" : "possible-leak",
                         r->kind == GP_LK_DEFINITE ? GP_SEV_HIGH : GP_SEV_MEDIUM,
                         r->bytes + r->indirect_bytes);
      x->location = VG_(strdup)(GP_CC("find.text"), site_label(r->site));
      gp_finding_ev(x, "bytes", r->bytes);
      gp_finding_ev(x, "blocks", r->blocks);
      gp_finding_ev(x, "indirect_bytes", r->indirect_bytes);
      gp_finding_ev(x, "site_allocs", r->site->allocs);
      gp_finding_ev_text(x, "leak_kind", gp_leak_kind_word(r->kind));
      if (r->kind == GP_LK_DEFINITE) {
         gp_finding_text(x, &x->message,
                         "Memory: %s in %s blocks definitely lost%s%s%s at %s",
                         gp_fmt_bytes(r->bytes), gp_fmt_num(r->blocks),
                         r->indirect_bytes ? " (plus " : "",
                         r->indirect_bytes ? gp_fmt_bytes(r->indirect_bytes) : "",
                         r->indirect_bytes ? " indirectly)" : "", x->location);
         gp_finding_text(x, &x->recommendation,
                         "Free what %s allocates once %s is done with it: no pointer to "
                         "these %s blocks remains at exit%s (%s of %s allocations there "
                         "leaked)", x->location, caller ? caller : "its user",
                         gp_fmt_num(r->blocks),
                         r->indirect_bytes ? ", and they hold the only pointers to more "
                                             "blocks, so free those first" : "",
                         gp_fmt_num(r->blocks), gp_fmt_num(r->site->allocs));
      } else {
         gp_finding_text(x, &x->message,
                         "Memory: %s in %s blocks possibly lost (only interior pointers "
                         "remain) at %s", gp_fmt_bytes(r->bytes), gp_fmt_num(r->blocks),
                         x->location);
         gp_finding_text(x, &x->recommendation,
                         "Check the blocks allocated at %s: only pointers into their "
                         "middle remain at exit; keep a pointer to the start (or free "
                         "them) if they are not meant to live until exit", x->location);
      }
   }
}

static void rule_growth(const GpHeapProfile* h)
{
   UInt i;
   for (i = 0; i < h->n_sites; i++) {
      const GpSite* s = h->sites[i];
      const GpGrowth* g = &h->growth[s->index];
      GpFinding* x;
      const HChar* step;
      /* Two kinds of linear growth: memory still held at exit (a cache or
         a list that only grows), and memory held until the end of the
         work and released late (results kept instead of streamed). */
      Bool kept;
      if (!g->flagged) continue;
      kept = s->live_bytes * 2 >= g->rise;
      step = g->per_iteration ? "iteration" : "allocation";
      x = gp_finding_new(kept ? "growth" : "growth-released",
                         !kept ? GP_SEV_LOW
                         : g->rise >= 100ULL * 1000 * 1000 ? GP_SEV_HIGH : GP_SEV_MEDIUM,
                         g->rise);
      x->location = VG_(strdup)(GP_CC("find.text"), site_label(s));
      gp_finding_ev(x, "bytes_per_step", g->bytes_per_step);
      gp_finding_ev(x, "steps", g->steps);
      gp_finding_ev_text(x, "step", step);
      gp_finding_ev(x, "rise_bytes", g->rise);
      gp_finding_ev(x, "r2_permille", g->r2);
      gp_finding_ev(x, "max_live_bytes", s->max_live_bytes);
      gp_finding_ev(x, "live_bytes_at_exit", s->live_bytes);
      if (kept) {
         gp_finding_text(x, &x->message,
                         "Memory: live heap allocated at %s grows about %s per %s over "
                         "%s %ss and is still held at exit (%s)", x->location,
                         gp_fmt_bytes(g->bytes_per_step), step, gp_fmt_num(g->steps), step,
                         gp_fmt_bytes(s->live_bytes));
         gp_finding_text(x, &x->recommendation,
                         "Bound what %s keeps: memory there grows linearly (%s per %s) and "
                         "is never given back; free entries when their work is done, or cap "
                         "the structure (size limit, LRU eviction) so a longer run does not "
                         "grow without end", x->location, gp_fmt_bytes(g->bytes_per_step),
                         step);
      } else {
         gp_finding_text(x, &x->message,
                         "Memory: live heap allocated at %s grows about %s per %s over "
                         "%s %ss to %s and is only released at the end", x->location,
                         gp_fmt_bytes(g->bytes_per_step), step, gp_fmt_num(g->steps), step,
                         gp_fmt_bytes(s->max_live_bytes));
         gp_finding_text(x, &x->recommendation,
                         "Release what %s allocates as soon as each item is done (stream "
                         "results out instead of holding them all): it is held until the end, "
                         "so memory grows with the input size", x->location);
      }
   }
}

static void rule_churn(const GpHeapProfile* h)
{
   UInt i, n = 0;
   for (i = 0; i < h->n_sites && n < 3; i++) {
      const GpSite* s = h->sites[i];
      GpFinding* x;
      if (!h->churn[s->index]) continue;
      n++;
      x = gp_finding_new("churn", GP_SEV_LOW, s->short_lived);
      x->location = VG_(strdup)(GP_CC("find.text"), site_label(s));
      gp_finding_ev(x, "short_lived_blocks", s->short_lived);
      gp_finding_ev(x, "allocs", s->allocs);
      gp_finding_ev(x, "bytes", s->bytes);
      if (s->frees) gp_finding_ev(x, "avg_lifetime_ir", s->lifetime_sum / s->frees);
      gp_finding_text(x, &x->message,
                      "Memory: %s of %s blocks allocated at %s are short-lived "
                      "(%s bytes in all)", gp_fmt_num(s->short_lived), gp_fmt_num(s->allocs),
                      x->location, gp_fmt_num(s->bytes));
      gp_finding_text(x, &x->recommendation,
                      "Stop allocating and freeing a block per use at %s: reuse one "
                      "buffer across calls, use a stack (or arena) buffer of the usual "
                      "size, or keep a small free list; %s malloc/free pairs there cost "
                      "time in the allocator", x->location, gp_fmt_num(s->short_lived));
   }
}

static void rule_peak(const GpHeapProfile* h)
{
   GpFinding* x;
   HChar top[400];
   UInt i, used = 0;
   if (h->t.peak_bytes < gp_findings_thr.peak_medium) return;
   top[0] = 0;
   for (i = 0; i < h->n_sites && i < 3; i++) {
      const GpSite* s = h->by_peak[i];
      if (!s->peak_bytes) break;
      used += VG_(snprintf)(top + used, sizeof(top) - used, "%s%s %s", i ? ", " : "",
                            site_label(s), gp_fmt_bytes(s->peak_bytes));
      if (used >= sizeof(top) - 1) break;
   }
   x = gp_finding_new("peak-heap", h->t.peak_bytes >= gp_findings_thr.peak_high
                                  ? GP_SEV_HIGH : GP_SEV_MEDIUM, h->t.peak_bytes);
   x->location = VG_(strdup)(GP_CC("find.text"),
                             h->n_sites && h->by_peak[0]->peak_bytes
                             ? site_label(h->by_peak[0]) : "(heap)");
   gp_finding_ev(x, "peak_bytes", h->t.peak_bytes);
   gp_finding_ev(x, "peak_blocks", h->t.peak_blocks);
   gp_finding_ev(x, "threshold_bytes", h->t.peak_bytes >= gp_findings_thr.peak_high
                                       ? gp_findings_thr.peak_high : gp_findings_thr.peak_medium);
   gp_finding_ev(x, "peak_at_ir", h->t.peak_time);
   gp_finding_ev_text(x, "top_sites_at_peak", top);
   gp_finding_text(x, &x->message, "Memory: heap peak %s in %s blocks (threshold %s); at the "
                   "peak: %s", gp_fmt_bytes(h->t.peak_bytes), gp_fmt_num(h->t.peak_blocks),
                   gp_fmt_bytes(h->t.peak_bytes >= gp_findings_thr.peak_high
                                ? gp_findings_thr.peak_high : gp_findings_thr.peak_medium),
                   top);
   gp_finding_text(x, &x->recommendation,
                   "Lower the peak where it is held: %s; process the data in chunks or "
                   "stream it instead of holding it all, and free intermediate results "
                   "before the next phase allocates", top);
}

static void rule_bad_frees(const GpHeapProfile* h)
{
   UInt i, n = gp_heap_bad_free_count();
   ULong invalid = h->t.invalid_frees, mismatched = h->t.mismatched_frees;
   const GpBadFree* first = NULL;
   GpFinding* x;
   if (invalid + mismatched == 0) return;
   for (i = 0; i < n; i++) {
      const GpBadFree* b = gp_heap_bad_free(i);
      if (!first || b->count > first->count) first = b;
   }
   x = gp_finding_new("bad-free", GP_SEV_HIGH, invalid + mismatched);
   if (first && first->stack && first->stack->n) {
      const GpFrameLoc* l = first->stack->f[0];
      const HChar* base = l->file ? VG_(strrchr)(l->file, '/') : NULL;
      base = base ? base + 1 : l->file;
      gp_finding_text(x, &x->location, "%s (%s:%u)", l->name, base ? base : "???", l->line);
   } else {
      x->location = VG_(strdup)(GP_CC("find.text"), "(heap)");
   }
   gp_finding_ev(x, "invalid_frees", invalid);
   gp_finding_ev(x, "mismatched_frees", mismatched);
   gp_finding_text(x, &x->message, "Memory: %s invalid frees (double free or not a heap "
                   "block) and %s mismatched frees (new/delete/free mixed), most at %s",
                   gp_fmt_num(invalid), gp_fmt_num(mismatched), x->location);
   gp_finding_text(x, &x->recommendation,
                   "Fix the ownership at %s: each block must be freed once, by the "
                   "function family that allocated it (free for malloc, delete for new, "
                   "delete[] for new[]); the errors above show both stacks", x->location);
}

void gp_findings_heap_rules(const GpProfile* p)
{
   const GpHeapProfile* h = p->heap;
   if (!h) return;
   rule_leaks(h);
   rule_growth(h);
   rule_churn(h);
   rule_peak(h);
   rule_bad_frees(h);
}
