/* gp_heap_out.c -- the heap profile's sections: "heap" and "leaks" in the
   JSON profile (docs/json-format.md), MEMORY PROFILE and LEAKS in the text
   report.  Reads only the analysed GpHeapProfile. */

#include "gp_output.h"
#include "gp_options.h"
#include "gp_heap_int.h"

/* ---- JSON ------------------------------------------------------------- */

static void json_stack(GpJson* j, const HChar* key, const GpStack* s)
{
   UInt i;
   gp_json_arr(j, key);
   for (i = 0; i < s->n; i++) gp_json_u64(j, NULL, (ULong)s->f[i]->out_id);
   gp_json_end_arr(j);
}

static void json_bb(GpJson* j, const HChar* key, const GpBB* bb)
{
   gp_json_obj(j, key);
   gp_json_u64(j, "bytes", bb->bytes);
   gp_json_u64(j, "blocks", bb->blocks);
   gp_json_end_obj(j);
}

static void json_site(GpJson* j, const GpHeapProfile* hp, const GpSite* s)
{
   const GpGrowth* g = &hp->growth[s->index];
   gp_json_obj(j, NULL);
   json_stack(j, "stack", s->stack);
   gp_json_str(j, "alloc_fn", s->alloc_fn);
   gp_json_u64(j, "allocs", s->allocs);
   gp_json_u64(j, "bytes", s->bytes);
   gp_json_u64(j, "frees", s->frees);
   gp_json_u64(j, "max_live_bytes", s->max_live_bytes);
   gp_json_u64(j, "max_live_blocks", s->max_live_blocks);
   gp_json_u64(j, "bytes_at_peak", s->peak_bytes);
   gp_json_u64(j, "blocks_at_peak", s->peak_blocks);
   gp_json_u64(j, "live_blocks", s->live_blocks);
   gp_json_u64(j, "live_bytes", s->live_bytes);
   gp_json_u64(j, "avg_lifetime", s->frees ? s->lifetime_sum / s->frees : 0);
   gp_json_u64(j, "short_lived", s->short_lived);
   gp_json_bool(j, "churn", hp->churn[s->index]);
   if (g->flagged) {
      gp_json_obj(j, "growth");
      gp_json_u64(j, "bytes_per_step", g->bytes_per_step);
      gp_json_u64(j, "steps", g->steps);
      gp_json_str(j, "step", g->per_iteration ? "iteration" : "allocation");
      gp_json_u64(j, "r2", g->r2);
      gp_json_u64(j, "bytes", g->rise);
      gp_json_u64(j, "from", g->from);
      gp_json_end_obj(j);
   } else {
      gp_json_null(j, "growth");
   }
   gp_json_end_obj(j);
}

static void json_heap(GpJson* j, const GpHeapProfile* hp)
{
   UInt i, n = gp_heap_bad_free_count();
   const GpHeapTotals* t = &hp->t;
   gp_json_obj(j, "heap");
   gp_json_u64(j, "total_allocs", t->total_allocs);
   gp_json_u64(j, "total_frees", t->total_frees);
   gp_json_u64(j, "total_bytes", t->total_bytes);
   gp_json_u64(j, "peak_bytes", t->peak_bytes);
   gp_json_u64(j, "peak_blocks", t->peak_blocks);
   gp_json_u64(j, "peak_at", t->peak_time);
   gp_json_u64(j, "live_bytes", t->live_bytes);
   gp_json_u64(j, "live_blocks", t->live_blocks);
   gp_json_u64(j, "invalid_frees", t->invalid_frees);
   gp_json_u64(j, "mismatched_frees", t->mismatched_frees);
   gp_json_u64(j, "short_lived_threshold", gp_heap_clo.short_lived);
   gp_json_u64(j, "tool_bytes", hp->tool_bytes);
   gp_json_arr(j, "sites");
   for (i = 0; i < hp->n_sites; i++) json_site(j, hp, hp->sites[i]);
   gp_json_end_arr(j);
   gp_json_arr(j, "bad_frees");
   for (i = 0; i < n; i++) {
      const GpBadFree* b = gp_heap_bad_free(i);
      gp_json_obj(j, NULL);
      gp_json_str(j, "kind", b->kind ? "mismatched" : "invalid");
      gp_json_u64(j, "count", b->count);
      json_stack(j, "stack", b->stack);
      gp_json_end_obj(j);
   }
   gp_json_end_arr(j);
   gp_json_end_obj(j);
}

static void json_leaks(GpJson* j, const GpHeapProfile* hp)
{
   const GpLeakResult* r = &hp->leaks;
   UInt i;
   if (!r->done) {
      gp_json_null(j, "leaks");
      return;
   }
   gp_json_obj(j, "leaks");
   json_bb(j, "definitely_lost", &r->kind[GP_LK_DEFINITE]);
   json_bb(j, "indirectly_lost", &r->kind[GP_LK_INDIRECT]);
   json_bb(j, "possibly_lost", &r->kind[GP_LK_POSSIBLE]);
   json_bb(j, "still_reachable", &r->kind[GP_LK_REACHABLE]);
   json_bb(j, "suppressed", &r->suppressed);
   gp_json_obj(j, "reachable_via_heuristic");
   for (i = GP_LH_STDSTRING; i < GP_LH_N; i++)
      json_bb(j, gp_leak_heuristic_name(i), &r->heuristic[i]);
   gp_json_end_obj(j);
   gp_json_arr(j, "records");
   for (i = 0; i < r->n_records; i++) {
      const GpLeakRecord* lr = &r->records[i];
      gp_json_obj(j, NULL);
      gp_json_str(j, "kind", gp_leak_kind_word(lr->kind));
      gp_json_u64(j, "bytes", lr->bytes + lr->indirect_bytes);
      gp_json_u64(j, "blocks", lr->blocks);
      gp_json_u64(j, "direct_bytes", lr->bytes);
      gp_json_u64(j, "indirect_bytes", lr->indirect_bytes);
      gp_json_bool(j, "suppressed", lr->suppressed);
      json_stack(j, "stack", lr->site->stack);
      gp_json_str(j, "alloc_fn", lr->site->alloc_fn);
      gp_json_end_obj(j);
   }
   gp_json_end_arr(j);
   gp_json_end_obj(j);
}

void gp_heap_json(GpJson* j, const GpProfile* p)
{
   const GpHeapProfile* hp = p->heap;
   if (!hp) return;
   json_heap(j, hp);
   json_leaks(j, hp);
}

/* ---- text --------------------------------------------------------------- */

/* "fn (file:line)" of a frame, cut to room columns. */
static const HChar* frame_label(const GpFrameLoc* l, Int room)
{
   static HChar buf[4][320];
   static Int next;
   HChar* b = buf[next++ & 3];
   const HChar* file = l->file ? VG_(strrchr)(l->file, '/') : NULL;
   Int n;
   file = file ? file + 1 : l->file;
   if (file && l->line)
      n = VG_(snprintf)(b, sizeof(buf[0]), "%s (%s:%u)", l->name, file, l->line);
   else if (file)
      n = VG_(snprintf)(b, sizeof(buf[0]), "%s (%s)", l->name, file);
   else
      n = VG_(snprintf)(b, sizeof(buf[0]), "%s [%s]", l->name,
                        l->obj ? gp_obj_basename(l->obj) : "???");
   if (room > 4 && n > room && room < (Int)sizeof(buf[0])) {
      b[room - 3] = b[room - 2] = b[room - 1] = '.';
      b[room] = 0;
   }
   return b;
}

/* Frames from..n-1 of a stack on one line: the first as "fn (file:line)"
   (when from is 0), then "< fn:line" while they fit in room columns.
   *used_frames: how many were written. */
static const HChar* frames_line(const GpStack* st, UInt from, Int room, UInt* used_frames)
{
   static HChar buf[2][400];
   static Int next;
   HChar* b = buf[next++ & 1];
   Int used = 0;
   UInt i = from;
   b[0] = 0;
   if (from == 0 && st->n) {
      used = VG_(snprintf)(b, sizeof(buf[0]), "%s", frame_label(st->f[0], room));
      i = 1;
   }
   for (; i < st->n; i++) {
      HChar caller[200];
      Int n;
      if (st->f[i]->line)
         n = VG_(snprintf)(caller, sizeof(caller), "%s< %s:%u", used ? " " : "",
                           st->f[i]->name, st->f[i]->line);
      else
         n = VG_(snprintf)(caller, sizeof(caller), "%s< %s", used ? " " : "",
                           st->f[i]->name);
      if (used + n > room || used + n >= (Int)sizeof(buf[0])) {
         if (used == 0) {          /* one long frame: cut it */
            VG_(snprintf)(b, sizeof(buf[0]), "%s", caller);
            if (room > 4 && room < (Int)sizeof(buf[0])) {
               b[room - 3] = b[room - 2] = b[room - 1] = '.';
               b[room] = 0;
            }
            i++;
         }
         break;
      }
      VG_(strcpy)(b + used, caller);
      used += n;
   }
   *used_frames = i - from;
   return b;
}

static const HChar* site_label(const GpSite* s, Int room)
{
   UInt n;
   if (s->stack->n == 0) return "???";
   return frames_line(s->stack, 0, room, &n);
}

/* A site in a table column at 'col': the innermost frame and what callers
   fit, and one more line of callers under it if some did not fit. */
static void site_cell_rest(const GpSite* s, UInt shown, Int col)
{
   UInt n;
   if (shown >= s->stack->n) return;
   VG_(umsg)("%*s%s\n", col, "", frames_line(s->stack, shown, GP_REPORT_WIDTH - col, &n));
}

/* A count in at most 9 columns: 123,456 / 12.35 M / 1.23 G. */
static const HChar* fmt_count9(ULong n)
{
   static HChar buf[4][16];
   static Int next;
   HChar* b = buf[next++ & 3];
   if (n < 1000000) return gp_fmt_num(n);
   if (n < 1000000000ULL)
      VG_(snprintf)(b, sizeof(buf[0]), "%s M", gp_fmt_ratio(n, 1000000, 2));
   else
      VG_(snprintf)(b, sizeof(buf[0]), "%s G", gp_fmt_ratio(n, 1000000000ULL, 2));
   return b;
}

static void print_stack(const GpStack* s, const HChar* indent)
{
   UInt i;
   for (i = 0; i < s->n; i++)
      VG_(umsg)("%s%s %s\n", indent, i ? "by" : "at",
                frame_label(s->f[i], GP_REPORT_WIDTH - (Int)VG_(strlen)(indent) - 3));
}

static void peak_table(const GpHeapProfile* hp)
{
   UInt i, shown = 0;
   if (hp->t.peak_bytes == 0) return;
   VG_(umsg)("\n");
   VG_(umsg)("  Live at the peak, by site:\n");
   VG_(umsg)("   %9s %7s %10s  %s\n", "bytes", "share", "blocks", "site");
   for (i = 0; i < hp->n_sites && shown < gp_clo.top; i++) {
      const GpSite* s = hp->by_peak[i];
      if (s->peak_bytes == 0) break;
      VG_(umsg)("   %9s %7s %10s  %s\n", gp_fmt_bytes(s->peak_bytes),
                gp_fmt_pct(s->peak_bytes, hp->t.peak_bytes),
                gp_fmt_num(s->peak_blocks), site_label(s, GP_REPORT_WIDTH - 33));
      shown++;
   }
}

static void sites_table(const GpHeapProfile* hp)
{
   UInt i, n = hp->n_sites < gp_clo.top ? hp->n_sites : gp_clo.top;
   if (!n) return;
   VG_(umsg)("\n");
   VG_(umsg)("  Top allocation sites (by bytes allocated; %s sites):\n",
             gp_fmt_num(hp->n_sites));
   VG_(umsg)("   %10s %10s %10s %10s %9s  %s\n", "allocs", "bytes", "at peak",
             "at exit", "avg life", "site");
   for (i = 0; i < n; i++) {
      const GpSite* s = hp->sites[i];
      const Int col = 58, room = GP_REPORT_WIDTH - col;
      UInt shown = 0;
      const HChar* label = "???";
      if (s->stack->n && (Int)VG_(strlen)(frame_label(s->stack->f[0], 400)) <= room)
         label = frames_line(s->stack, 0, room, &shown);
      else if (s->stack->n)
         label = "";                 /* too long: the whole site on the next line */
      VG_(umsg)("   %10s %10s %10s %10s %9s%s%s\n", gp_fmt_num(s->allocs),
                gp_fmt_bytes(s->bytes), gp_fmt_bytes(s->peak_bytes),
                gp_fmt_bytes(s->live_bytes),
                s->frees ? fmt_count9(s->lifetime_sum / s->frees) : "-",
                label[0] ? "  " : "", label);
      if (label[0] == 0) {
         UInt k;
         VG_(umsg)("      %s\n", frames_line(s->stack, 0, GP_REPORT_WIDTH - 6, &k));
      } else {
         site_cell_rest(s, shown, col);
      }
   }
}

static void churn_lines(const GpHeapProfile* hp)
{
   UInt i, shown = 0;
   if (!hp->n_churn) return;
   VG_(umsg)("\n");
   VG_(umsg)("  Churn: %s site%s with many short-lived blocks (freed within %s "
             "instructions):\n", gp_fmt_num(hp->n_churn), hp->n_churn == 1 ? "" : "s",
             gp_fmt_num(gp_heap_clo.short_lived));
   for (i = 0; i < hp->n_sites && shown < gp_clo.top; i++) {
      const GpSite* s = hp->sites[i];
      if (!hp->churn[s->index]) continue;
      VG_(umsg)("   %s of %s blocks short-lived (%s), average life %s instructions\n",
                gp_fmt_num(s->short_lived), gp_fmt_num(s->frees),
                gp_fmt_pct(s->short_lived, s->frees),
                gp_fmt_num(s->frees ? s->lifetime_sum / s->frees : 0));
      VG_(umsg)("      at %s\n", site_label(s, GP_REPORT_WIDTH - 9));
      shown++;
   }
}

static void growth_lines(const GpHeapProfile* hp)
{
   UInt i, shown = 0;
   if (!hp->n_growth) return;
   VG_(umsg)("\n");
   VG_(umsg)("  Growth: live bytes grow steadily at %s site%s (even if still reachable):\n",
             gp_fmt_num(hp->n_growth), hp->n_growth == 1 ? "" : "s");
   for (i = 0; i < hp->n_sites && shown < gp_clo.top; i++) {
      const GpSite* s = hp->by_live[i];
      const GpGrowth* g = &hp->growth[s->index];
      if (!g->flagged) continue;
      VG_(umsg)("   about %s per %s over %s %ss (+%s, r2 %s)\n",
                gp_fmt_bytes(g->bytes_per_step),
                g->per_iteration ? "iteration" : "allocation", gp_fmt_num(g->steps),
                g->per_iteration ? "iteration" : "allocation",
                gp_fmt_bytes(g->rise), gp_fmt_ratio(g->r2, 1000, 3));
      VG_(umsg)("      at %s\n", site_label(s, GP_REPORT_WIDTH - 9));
      shown++;
   }
}

static void memory_profile(const GpProfile* p, const GpHeapProfile* hp)
{
   const GpHeapTotals* t = &hp->t;
   VG_(umsg)("\n");
   VG_(umsg)("MEMORY PROFILE:\n");
   VG_(umsg)("  Total: %s allocs, %s frees, %s bytes allocated\n",
             gp_fmt_num(t->total_allocs), gp_fmt_num(t->total_frees),
             gp_fmt_num(t->total_bytes));
   VG_(umsg)("  Peak:  %s in %s blocks, at instruction %s (%s of the run)\n",
             gp_fmt_bytes(t->peak_bytes), gp_fmt_num(t->peak_blocks),
             gp_fmt_num(t->peak_time), gp_fmt_pct(t->peak_time, gp_icount));
   VG_(umsg)("  At exit: %s in %s blocks\n", gp_fmt_bytes(t->live_bytes),
             gp_fmt_num(t->live_blocks));
   if (t->invalid_frees || t->mismatched_frees)
      VG_(umsg)("  Bad frees: %s invalid, %s mismatched (reported as errors above)\n",
                gp_fmt_num(t->invalid_frees), gp_fmt_num(t->mismatched_frees));
   peak_table(hp);
   sites_table(hp);
   churn_lines(hp);
   growth_lines(hp);
}

static void leak_line(const HChar* name, const GpBB* bb)
{
   VG_(umsg)("  %19s: %14s bytes in %11s blocks\n", name, gp_fmt_num(bb->bytes),
             gp_fmt_num(bb->blocks));
}

static void leaks_section(const GpHeapProfile* hp)
{
   const GpLeakResult* r = &hp->leaks;
   UInt i, shown = 0, more = 0, hidden = 0;
   Bool any_heur = False;
   VG_(umsg)("\n");
   VG_(umsg)("LEAKS (blocks still allocated at exit, classified as Memcheck does):\n");
   if (hp->t.live_blocks == 0) {
      VG_(umsg)("  All heap blocks were freed -- no leaks are possible\n");
      return;
   }
   leak_line("definitely lost", &r->kind[GP_LK_DEFINITE]);
   leak_line("indirectly lost", &r->kind[GP_LK_INDIRECT]);
   leak_line("possibly lost", &r->kind[GP_LK_POSSIBLE]);
   leak_line("still reachable", &r->kind[GP_LK_REACHABLE]);
   for (i = GP_LH_STDSTRING; i < GP_LH_N; i++)
      if (r->heuristic[i].blocks) any_heur = True;
   if (any_heur) {
      VG_(umsg)("    of which reachable via heuristic:\n");
      for (i = GP_LH_STDSTRING; i < GP_LH_N; i++)
         if (r->heuristic[i].blocks)
            VG_(umsg)("  %19s: %14s bytes in %11s blocks\n", gp_leak_heuristic_name(i),
                      gp_fmt_num(r->heuristic[i].bytes), gp_fmt_num(r->heuristic[i].blocks));
   }
   leak_line("suppressed", &r->suppressed);
   if (gp_heap_clo.leak_check != GP_LC_FULL) {
      VG_(umsg)("  Rerun with --leak-check=full to see the loss records\n");
      return;
   }
   for (i = 0; i < r->n_records; i++) {
      const GpLeakRecord* lr = &r->records[i];
      if (lr->suppressed) continue;
      if (!(gp_heap_clo.show_kinds & GP_LK_BIT(lr->kind))) { hidden++; continue; }
      if (shown == gp_clo.top) { more++; continue; }
      VG_(umsg)("\n");
      if (lr->indirect_bytes)
         VG_(umsg)("  #%u %s: %s bytes in %s blocks (%s direct, %s indirect), by %s\n",
                   lr->number, gp_leak_kind_name(lr->kind),
                   gp_fmt_num(lr->bytes + lr->indirect_bytes), gp_fmt_num(lr->blocks),
                   gp_fmt_num(lr->bytes), gp_fmt_num(lr->indirect_bytes),
                   lr->site->alloc_fn ? lr->site->alloc_fn : "?");
      else
         VG_(umsg)("  #%u %s: %s bytes in %s blocks, by %s\n", lr->number,
                   gp_leak_kind_name(lr->kind), gp_fmt_num(lr->bytes),
                   gp_fmt_num(lr->blocks), lr->site->alloc_fn ? lr->site->alloc_fn : "?");
      print_stack(lr->site->stack, "     ");
      shown++;
   }
   if (more)
      VG_(umsg)("\n  ... %u more loss record%s (all are in the JSON profile; "
                "--top=<n> shows more)\n", more, more == 1 ? "" : "s");
   if (hidden)
      VG_(umsg)("\n  %u loss record%s of kinds not shown (--show-leak-kinds=all "
                "lists them)\n", hidden, hidden == 1 ? "" : "s");
}

void gp_heap_report(const GpProfile* p)
{
   const GpHeapProfile* hp = p->heap;
   if (!hp) return;
   memory_profile(p, hp);
   if (hp->leaks.done) leaks_section(hp);
}
