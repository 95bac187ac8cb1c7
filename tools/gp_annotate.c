/* gp_annotate.c -- the text report re-rendered from a JSON profile, and
   annotated source.

   The report follows the tool's own layout (the same section titles,
   columns and number formats) but fits 100 columns, since there is no
   "==pid==" prefix here.  Sections the profile lacks (--heap=no, a tool
   that did not write them yet) are skipped, with one line saying so when
   they were asked for by name.

   Annotated source shows each costed line of a function with its self
   instructions and its share of the function, marks the hottest lines,
   and prints the source text around them (cg_annotate's layout), reading
   the files named in the profile, optionally moved with --path-map and
   --source-dir. */

#include "gp_annotate.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define WIDTH 100
#define HOT_LINES 3        /* at most this many lines are marked hot ... */
#define HOT_MIN_PCT 5      /* ... each with at least this share of the function */
#define MAX_SOURCE_BYTES (64u << 20)

static const struct { const char* name; unsigned bit; } section_table[] = {
   { "cpu", GPA_CPU }, { "heap", GPA_HEAP }, { "leaks", GPA_LEAKS },
   { "io", GPA_IO }, { "threads", GPA_THREADS }, { "findings", GPA_FINDINGS },
};

int gpa_parse_sections(const char* s)
{
   unsigned bits = 0;
   const char* p = s;
   if (strcmp(s, "all") == 0) return GPA_ALL;
   if (strcmp(s, "none") == 0) return 0;
   while (*p) {
      size_t n = strcspn(p, ","), i;
      for (i = 0; i < GPH_COUNT_OF(section_table); i++)
         if (strlen(section_table[i].name) == n && strncmp(p, section_table[i].name, n) == 0)
            break;
      if (i == GPH_COUNT_OF(section_table)) return -1;
      bits |= section_table[i].bit;
      p += n;
      if (*p == ',') p++;
   }
   return (int)bits;
}

const char* gpa_section_names(void)
{
   return "cpu, heap, leaks, io, threads, findings (or all, none)";
}

/* ---- helpers ----------------------------------------------------------------------- */

static const char* fn_label(const GprFn* f)
{
   return gph_fn_label(f->name, f->file, f->line, f->object);
}

/* Allocator frames: the replacement allocators live in Valgrind's preload
   objects; the interesting frame is the first one outside them. */
static int is_allocator_frame(const GprFrame* fr)
{
   const char* o = gph_basename(fr->object);
   return strncmp(o, "vgpreload_", 10) == 0;
}

static const char* frame_label(const GprProfile* p, const GprFrame* fr)
{
   return gph_fn_label(gpr_frame_name(p, fr), fr->file, fr->line,
                       fr->object ? fr->object : "???");
}

/* A stack on one line: the first frame outside the allocator as
   "fn (file:line)", then callers as "< fn:line" while they fit in room
   columns.  *used says how many frames were shown (from 'from'). */
static const char* stack_line(const GprProfile* p, const GprStack* s, size_t from, size_t room,
                              size_t* used)
{
   size_t i = from, cols;
   char* line;
   if (from == 0)
      while (i + 1 < s->n && is_allocator_frame(&p->frames[s->frames[i]])) i++;
   if (i >= s->n) {
      *used = s->n;
      return "???";
   }
   if (from == 0) {
      line = gph_xstrdup(frame_label(p, &p->frames[s->frames[i]]));
   } else {
      const GprFrame* fr = &p->frames[s->frames[i]];
      line = fr->line ? gph_xprintf("< %s:%llu", gph_clean(gpr_frame_name(p, fr)),
                                    (unsigned long long)fr->line)
                      : gph_xprintf("< %s", gph_clean(gpr_frame_name(p, fr)));
   }
   cols = gph_columns(line);
   for (i++; i < s->n; i++) {
      const GprFrame* fr = &p->frames[s->frames[i]];
      const char* more = fr->line ? gph_tmpf(" < %s:%llu", gph_clean(gpr_frame_name(p, fr)),
                                             (unsigned long long)fr->line)
                                  : gph_tmpf(" < %s", gph_clean(gpr_frame_name(p, fr)));
      char* longer;
      if (cols + gph_columns(more) > room) break;
      longer = gph_xprintf("%s%s", line, more);
      free(line);
      line = longer;
      cols = gph_columns(line);
   }
   *used = i - from;
   {
      const char* r = gph_fit(line, room);
      free(line);
      return r;
   }
}

static const char* stack_label(const GprProfile* p, const GprStack* s, size_t room)
{
   size_t used;
   if (s->n == 0) return "(no stack)";
   return stack_line(p, s, 0, room, &used);
}

/* A stack as "at ..." / "by ..." lines, at most 'max' of them. */
static void stack_lines(const GprProfile* p, const GprStack* s, const char* indent, size_t max,
                        FILE* f)
{
   size_t i, k = 0;
   for (i = 0; i < s->n && k < max; i++) {
      const GprFrame* fr = &p->frames[s->frames[i]];
      if (k == 0 && i + 1 < s->n && is_allocator_frame(fr)) continue;
      fprintf(f, "%s%s %s\n", indent, k++ ? "by" : "at",
              gph_fit(frame_label(p, fr), WIDTH - strlen(indent) - 3));
   }
   if (i < s->n) fprintf(f, "%s... %zu more frames\n", indent, s->n - i);
}

/* Prints text wrapped at WIDTH, the first line after 'lead', the others
   indented by 'indent' spaces. */
static void wrap(FILE* f, const char* lead, size_t indent, const char* text)
{
   const char* t = gph_clean(text ? text : "");
   size_t col = gph_columns(lead), i;
   int first = 1;
   fputs(lead, f);
   while (*t == ' ') t++;
   while (*t) {
      size_t word = strcspn(t, " ");
      char* w = gph_xprintf("%.*s", (int)word, t);
      size_t wcols = gph_columns(w);
      if (!first) {
         if (col + 1 + wcols > WIDTH) {
            fputc('\n', f);
            for (i = 0; i < indent; i++) fputc(' ', f);
            col = indent;
         } else {
            fputc(' ', f);
            col++;
         }
      }
      fputs(w, f);
      col += wcols;
      first = 0;
      free(w);
      t += word;
      while (*t == ' ') t++;
   }
   fputc('\n', f);
}

/* ---- CPU ------------------------------------------------------------------------------- */

static const GprProfile* sort_profile;
static int sort_key;

static u64 fn_key(const GprFn* f, int key)
{
   return key == GPA_SORT_INCL ? f->incl_ir : key == GPA_SORT_CALLS ? f->calls : f->self_ir;
}

static int by_key(const void* a, const void* b)
{
   const GprFn* x = &sort_profile->fns[*(const size_t*)a];
   const GprFn* y = &sort_profile->fns[*(const size_t*)b];
   u64 kx = fn_key(x, sort_key), ky = fn_key(y, sort_key);
   int c;
   if (kx != ky) return kx > ky ? -1 : 1;
   c = strcmp(x->name, y->name);
   if (!c) c = strcmp(x->file ? x->file : "", y->file ? y->file : "");
   if (!c) c = strcmp(x->object, y->object);
   if (!c) c = *(const size_t*)a < *(const size_t*)b ? -1 : 1;
   return c;
}

static void fn_table(const GprProfile* p, const GpaOptions* o, FILE* f, int key)
{
   size_t* idx = gph_xcalloc(p->n_fns + 1, sizeof(*idx));
   size_t i, n;
   for (i = 0; i < p->n_fns; i++) idx[i] = i;
   sort_profile = p;
   sort_key = key;
   qsort(idx, p->n_fns, sizeof(*idx), by_key);
   fprintf(f, "  Top functions by %s:\n", key == GPA_SORT_INCL ? "inclusive instructions"
                                          : key == GPA_SORT_CALLS ? "calls"
                                          : "self instructions");
   /* two lines per function, as the tool's report (gp_cpu_out.c) */
   n = o->top && o->top < p->n_fns ? o->top : p->n_fns;
   for (i = 0; i < n; i++) {
      const GprFn* fn = &p->fns[idx[i]];
      if (fn_key(fn, key) == 0) break;
      fprintf(f, "  %3zu. %s\n", i + 1, gph_fit(fn_label(fn), WIDTH - 7));
      fprintf(f, "       self %s (%s)   inclusive %s (%s)   calls %s\n",
              gph_num(fn->self_ir), gph_pct(fn->self_ir, p->total_instructions),
              gph_num(fn->incl_ir), gph_pct(fn->incl_ir, p->total_instructions),
              gph_num(fn->calls));
   }
   free(idx);
}

static void cpu_section(const GprProfile* p, const GpaOptions* o, FILE* f)
{
   fprintf(f, "\nCPU PROFILE:\n");
   fprintf(f, "  Total Instructions: %s\n", gph_num(p->total_instructions));
   if (!p->has_functions) {
      fprintf(f, "  (no per-function figures: the profile was made with --cpu=no)\n");
      return;
   }
   fprintf(f, "  Total Calls: %s   Functions: %s   Call paths: %s   Max stack depth: %s\n",
           gph_num(p->total_calls), gph_num(p->n_fns),
           gph_num(p->has_paths ? p->n_paths : p->total_call_paths), gph_num(p->max_stack_depth));
   if (p->recursion_folds || p->path_cap_folds)
      fprintf(f, "  Call paths folded: %s recursive, %s at the cap (--max-call-paths)\n",
              gph_num(p->recursion_folds), gph_num(p->path_cap_folds));
   if (o->sort == GPA_SORT_DEFAULT) {
      fprintf(f, "\n");
      fn_table(p, o, f, GPA_SORT_SELF);
      fprintf(f, "\n");
      fn_table(p, o, f, GPA_SORT_INCL);
   } else {
      fprintf(f, "\n");
      fn_table(p, o, f, o->sort);
   }
   /* instructions per thread: in the threads section, as in the tool */
}

/* ---- heap and leaks -------------------------------------------------------------------- */

static const GprProfile* site_profile;

static int by_bytes_at_peak(const void* a, const void* b)
{
   const GprSite* x = &site_profile->heap.sites[*(const size_t*)a];
   const GprSite* y = &site_profile->heap.sites[*(const size_t*)b];
   if (x->bytes_at_peak != y->bytes_at_peak) return x->bytes_at_peak > y->bytes_at_peak ? -1 : 1;
   return *(const size_t*)a < *(const size_t*)b ? -1 : 1;
}

static void heap_section(const GprProfile* p, const GpaOptions* o, FILE* f)
{
   const GprHeap* h = &p->heap;
   size_t i, n, k, n_peak = 0, n_growth = 0;
   size_t* idx;
   fprintf(f, "\nMEMORY PROFILE:\n");
   fprintf(f, "  Total: %s allocs, %s frees, %s bytes allocated\n", gph_num(h->total_allocs),
           gph_num(h->total_frees), gph_num(h->total_bytes));
   fprintf(f, "  Peak:  %s in %s blocks", gph_bytes(h->peak_bytes), gph_num(h->peak_blocks));
   if (h->peak_at)
      fprintf(f, ", at instruction %s (%s of the run)", gph_num(h->peak_at),
              gph_pct(h->peak_at, p->total_instructions));
   fprintf(f, "\n  At exit: %s in %s blocks\n", gph_bytes(h->live_bytes), gph_num(h->live_blocks));
   if (h->invalid_frees || h->mismatched_frees)
      fprintf(f, "  Bad frees: %s invalid, %s mismatched\n", gph_num(h->invalid_frees),
              gph_num(h->mismatched_frees));
   if (h->n_sites == 0) return;

   /* what was live at the peak */
   idx = gph_xcalloc(h->n_sites + 1, sizeof(*idx));
   for (i = 0; i < h->n_sites; i++)
      if (h->sites[i].bytes_at_peak) idx[n_peak++] = i;
   site_profile = p;
   qsort(idx, n_peak, sizeof(*idx), by_bytes_at_peak);
   if (n_peak) {
      n = o->top && o->top < n_peak ? o->top : n_peak;
      fprintf(f, "\n  Live at the peak, by site:\n");
      fprintf(f, "   %10s %7s %10s  %s\n", "bytes", "share", "blocks", "site");
      for (k = 0; k < n; k++) {
         const GprSite* s = &h->sites[idx[k]];
         gph_line(f, "   %10s %7s %10s  %s\n", gph_bytes(s->bytes_at_peak),
                  gph_pct(s->bytes_at_peak, h->peak_bytes),
                  s->blocks_at_peak ? gph_num(s->blocks_at_peak) : "", stack_label(p, &s->stack, WIDTH - 35));
      }
      if (n < n_peak) fprintf(f, "   ... %zu more sites\n", n_peak - n);
   }
   free(idx);

   n = o->top && o->top < h->n_sites ? o->top : h->n_sites;
   fprintf(f, "\n  Top allocation sites (by bytes allocated; %zu site%s):\n", h->n_sites,
           h->n_sites == 1 ? "" : "s");
   fprintf(f, "   %10s %10s %10s %10s %13s  %s\n", "allocs", "bytes", "at peak", "at exit",
           "avg life", "site");
   for (i = 0; i < n; i++) {
      const GprSite* s = &h->sites[i];
      size_t used, col = 3 + 10 * 4 + 13 + 6;
      gph_line(f, "   %10s %10s %10s %10s %13s  %s\n", gph_num(s->allocs), gph_bytes(s->bytes),
               gph_bytes(s->bytes_at_peak), gph_bytes(s->live_bytes),
               s->frees ? gph_num(s->avg_lifetime) : "-",
               s->stack.n ? stack_line(p, &s->stack, 0, WIDTH - col, &used) : "???");
      if (s->stack.n && used < s->stack.n)
         gph_line(f, "%*s%s\n", (int)col, "", stack_line(p, &s->stack, used, WIDTH - col, &used));
   }
   if (n < h->n_sites) fprintf(f, "   ... %zu more sites\n", h->n_sites - n);

   for (i = 0; i < h->n_sites; i++)
      if (h->sites[i].has_growth) n_growth++;
   if (n_growth) {
      size_t shown = 0;
      fprintf(f, "\n  Growth: live bytes grow steadily at %zu site%s (even if still reachable):\n",
              n_growth, n_growth == 1 ? "" : "s");
      for (i = 0; i < h->n_sites && (!o->top || shown < o->top); i++) {
         const GprSite* s = &h->sites[i];
         const char* step = s->growth_step ? gph_clean(s->growth_step) : "step";
         if (!s->has_growth) continue;
         shown++;
         fprintf(f, "   about %s per %s over %s %ss (r2 %s)\n", gph_bytes(s->growth_bytes_per_step),
                 step, gph_num(s->growth_steps), step, gph_ratio(s->growth_r2, 1000, 3));
         fprintf(f, "      at %s\n", stack_label(p, &s->stack, WIDTH - 9));
      }
   }
}

static const char* kind_words(const char* kind)
{
   if (strcmp(kind, "definite") == 0) return "definitely lost";
   if (strcmp(kind, "indirect") == 0) return "indirectly lost";
   if (strcmp(kind, "possible") == 0) return "possibly lost";
   if (strcmp(kind, "reachable") == 0) return "still reachable";
   return gph_clean(kind);
}

static void bb_line(FILE* f, const char* name, const GprBytesBlocks* bb)
{
   fprintf(f, "  %19s: %14s bytes in %11s blocks\n", name, gph_num(bb->bytes), gph_num(bb->blocks));
}

static void leaks_section(const GprProfile* p, const GpaOptions* o, FILE* f)
{
   const GprLeaks* l = &p->leaks;
   size_t i, n;
   fprintf(f, "\nLEAKS (blocks still allocated at exit, classified as Memcheck does):\n");
   bb_line(f, "definitely lost", &l->definite);
   bb_line(f, "indirectly lost", &l->indirect);
   bb_line(f, "possibly lost", &l->possible);
   bb_line(f, "still reachable", &l->reachable);
   bb_line(f, "suppressed", &l->suppressed);
   if (l->n_records == 0) return;
   n = o->top && o->top < l->n_records ? o->top : l->n_records;
   for (i = 0; i < n; i++) {
      const GprLeakRecord* r = &l->records[i];
      fprintf(f, "\n");
      if (r->indirect_bytes)
         fprintf(f, "  #%zu %s: %s bytes in %s blocks (%s direct, %s indirect)\n", i + 1,
                 kind_words(r->kind), gph_num(r->bytes), gph_num(r->blocks),
                 gph_num(r->has_direct_bytes ? r->direct_bytes : r->bytes - r->indirect_bytes),
                 gph_num(r->indirect_bytes));
      else
         fprintf(f, "  #%zu %s: %s bytes in %s blocks\n", i + 1, kind_words(r->kind),
                 gph_num(r->bytes), gph_num(r->blocks));
      stack_lines(p, &r->stack, "     ", 8, f);
   }
   if (n < l->n_records)
      fprintf(f, "\n  ... %zu more loss record%s (--top=0 lists all)\n", l->n_records - n,
              l->n_records - n == 1 ? "" : "s");
}

/* ---- I/O, threads, findings ------------------------------------------------------------- */

static void io_section(const GprProfile* p, const GpaOptions* o, FILE* f)
{
   const GprIo* io = &p->io;
   size_t i, n;
   fprintf(f, "\nI/O PROFILE:\n");
   fprintf(f, "  Read: %s bytes (%s ops)\n", gph_num(io->read_bytes), gph_num(io->read_ops));
   fprintf(f, "  Write: %s bytes (%s ops)\n", gph_num(io->write_bytes), gph_num(io->write_ops));
   fprintf(f, "  Failed: %s calls\n", gph_num(io->failed_ops));
   fprintf(f, "  I/O Time: %.3f ms (wall clock, not deterministic)\n", io->time_ms);
   if (io->n_files) {
      n = o->top && o->top < io->n_files ? o->top : io->n_files;
      fprintf(f, "\n  Files and sockets (%zu of %zu):\n", n, io->n_files);
      fprintf(f, "   %11s %9s %11s %9s %7s %6s  %s\n", "read", "ops", "written", "ops", "failed",
              "opens", "file");
      for (i = 0; i < n; i++) {
         const GprIoFile* x = &io->files[i];
         const char* path = gph_clean(x->path);
         size_t room = WIDTH - 63;
         /* keep the end of a long path: the file name matters most */
         if (gph_columns(path) > room)
            path = gph_tmpf("...%s", path + strlen(path) - (room - 3));
         gph_line(f, "   %11s %9s %11s %9s %7s %6s  %s\n", gph_bytes(x->read_bytes),
                  gph_num(x->read_ops), gph_bytes(x->write_bytes), gph_num(x->write_ops),
                  gph_num(x->failed_ops), gph_num(x->opens), path);
      }
   }
   if (io->n_sites) {
      n = o->top && o->top < io->n_sites ? o->top : io->n_sites;
      fprintf(f, "\n  Call sites (%zu of %zu):\n", n, io->n_sites);
      fprintf(f, "   %11s %9s %11s %9s  %s\n", "read", "ops", "written", "ops", "site");
      for (i = 0; i < n; i++) {
         const GprIoSite* s = &io->sites[i];
         const char* name = s->fn != GPR_NONE ? p->fns[s->fn].name : "???";
         gph_line(f, "   %11s %9s %11s %9s  %s\n", gph_bytes(s->read_bytes), gph_num(s->read_ops),
                  gph_bytes(s->write_bytes), gph_num(s->write_ops),
                  gph_fit(gph_fn_label(name, s->file, s->line, "???"), WIDTH - 48));
      }
   }
}

static void threads_section(const GprProfile* p, const GpaOptions* o, FILE* f)
{
   size_t i, n;
   fprintf(f, "\nTHREADS AND LOCKS:\n");
   fprintf(f, "  Threads: %s   Max stack depth: %s\n",
           gph_num(p->total_threads ? p->total_threads : p->n_threads),
           gph_num(p->max_stack_depth));
   if (p->n_threads) {
      n = o->top && o->top < p->n_threads ? o->top : p->n_threads;
      fprintf(f, "   %6s %15s %7s %15s %15s  %s\n", "#", "instructions", "share", "started at",
              "ended at", "created by");
      for (i = 0; i < n; i++) {
         const GprThread* t = &p->threads[i];
         gph_line(f, "   %6llu %15s %7s %15s %15s  %s\n", (unsigned long long)t->index,
                  gph_num(t->instructions), gph_pct(t->instructions, p->total_instructions),
                  gph_num(t->started_at), t->has_ended ? gph_num(t->ended_at) : "alive",
                  t->created_by != GPR_NONE ? gph_fit(fn_label(&p->fns[t->created_by]), WIDTH - 66)
                  : t->parent == GPR_NONE ? "(main thread)" : "?");
      }
      if (n < p->n_threads) fprintf(f, "   ... %zu more threads\n", p->n_threads - n);
   }
   if (p->n_locks) {
      n = o->top && o->top < p->n_locks ? o->top : p->n_locks;
      fprintf(f, "  Locks (%zu):\n", p->n_locks);
      fprintf(f, "   %13s %15s %13s  %-7s %s\n", "acquisitions", "contended", "condvar waits",
              "kind", "site");
      for (i = 0; i < n; i++) {
         const GprLock* l = &p->locks[i];
         gph_line(f, "   %13s %15s %13s  %-7s %s\n", gph_num(l->acquisitions),
                  gph_tmpf("%s (%s)", gph_num(l->contended), gph_pct(l->contended, l->acquisitions)),
                  gph_num(l->condvar_waits), gph_fit(gph_clean(l->kind ? l->kind : "?"), 7),
                  l->site != GPR_NONE ? gph_fit(frame_label(p, &p->frames[l->site]), WIDTH - 55)
                                      : "?");
      }
      if (n < p->n_locks) fprintf(f, "   ... %zu more locks\n", p->n_locks - n);
   } else if (p->has_locks) {
      fprintf(f, "  Locks: none used\n");
   }
   if (p->has_determinism) {
      if (p->n_det_warnings == 0)
         fprintf(f, "\nDETERMINISM: no warnings: counts should repeat\n");
      else
         fprintf(f, "\nDETERMINISM:\n");
      for (i = 0; i < p->n_det_warnings; i++) {
         const GprDetWarning* w = &p->det_warnings[i];
         const char* lead = gph_tmpf("  - %s (%s calls): ", gph_clean(w->kind ? w->kind : "?"),
                                     gph_num(w->calls));
         wrap(f, lead, 6, w->message ? w->message : "");
         if (w->n_sites)
            wrap(f, "      at ", 9, frame_label(p, &p->frames[w->sites[0]]));
      }
   }
}

static void findings_section(const GprProfile* p, const GpaOptions* o, FILE* f)
{
   size_t i, n = o->top && o->top < p->n_findings ? o->top : p->n_findings, k = 0;
   fprintf(f, "\nBOTTLENECKS IDENTIFIED:\n");
   if (p->n_findings == 0) fprintf(f, "  (none)\n");
   for (i = 0; i < n; i++) {
      const GprFinding* x = &p->findings[i];
      const char* lead = gph_tmpf("  - [%s] ", gph_clean(x->severity ? x->severity : "?"));
      wrap(f, lead, 4, x->message ? x->message
                                  : gph_tmpf("%s at %s", x->kind ? x->kind : "finding",
                                             x->location ? x->location : "?"));
      if (x->evidence) wrap(f, "    evidence: ", 6, x->evidence);
   }
   if (n < p->n_findings) fprintf(f, "  ... %zu more findings\n", p->n_findings - n);
   fprintf(f, "\nOPTIMIZATION RECOMMENDATIONS:\n");
   for (i = 0; i < n; i++) {
      const GprFinding* x = &p->findings[i];
      if (!x->recommendation) continue;
      wrap(f, gph_tmpf("  %zu. ", ++k), 5, x->recommendation);
   }
   if (k == 0) fprintf(f, "  (none)\n");
}

/* ---- the report -------------------------------------------------------------------------- */

static const char* yes_no(int v) { return v < 0 ? "?" : v ? "yes" : "no"; }

static void header(const GprProfile* p, FILE* f)
{
   fprintf(f, "======================== glprof report ========================\n");
   fprintf(f, "Profile:      %s (glprof %s, Valgrind %s)\n", gph_clean(p->path),
           gph_clean(p->tool_version ? p->tool_version : "?"),
           gph_clean(p->valgrind_version ? p->valgrind_version : "?"));
   fprintf(f, "Command:      %s\n", gph_clean(p->command ? p->command : "?"));
   if (p->exit_state && strcmp(p->exit_state, "exited") == 0)
      fprintf(f, "Exit:         status %lld\n", (long long)p->exit_status);
   else if (p->exit_state && strcmp(p->exit_state, "signal") == 0 && p->has_exit_signal)
      fprintf(f, "Exit:         killed by signal %llu (%s)\n", (unsigned long long)p->exit_signal,
              gph_clean(p->exit_signal_name ? p->exit_signal_name : "?"));
   else if (p->exit_state && strcmp(p->exit_state, "signal") == 0)
      fprintf(f, "Exit:         killed by a fatal signal\n");
   else if (p->exit_state && strcmp(p->exit_state, "running") == 0)
      fprintf(f, "Exit:         still running (a dump%s%s%s)\n", p->label ? ": '" : "",
              p->label ? gph_clean(p->label) : "", p->label ? "'" : "");
   fprintf(f, "Instructions: %s in %s thread%s\n", gph_num(p->total_instructions),
           gph_num(p->total_threads), p->total_threads == 1 ? "" : "s");
   fprintf(f, "Collected:    cpu=%s lines=%s heap=%s io=%s\n", yes_no(p->opt_cpu),
           yes_no(p->opt_lines), yes_no(p->opt_heap), yes_no(p->opt_io));
}

void gpa_report(const GprProfile* p, const GpaOptions* o, FILE* f)
{
   int named = o->sections != GPA_ALL; /* asked for by name: say when missing */
   header(p, f);
   if (o->sections & GPA_CPU) cpu_section(p, o, f);
   if (o->sections & GPA_HEAP) {
      if (p->heap.present) heap_section(p, o, f);
      else if (named) fprintf(f, "\nMEMORY PROFILE: not in this profile (made with --heap=no?)\n");
   }
   if (o->sections & GPA_LEAKS) {
      if (p->leaks.present) leaks_section(p, o, f);
      else if (named) fprintf(f, "\nLEAKS: not in this profile (made with --heap=no?)\n");
   }
   if (o->sections & GPA_IO) {
      if (p->io.present) io_section(p, o, f);
      else if (named) fprintf(f, "\nI/O PROFILE: not in this profile (made with --io=no?)\n");
   }
   if (o->sections & GPA_THREADS) threads_section(p, o, f);
   if (o->sections & GPA_FINDINGS) {
      if (p->has_findings) findings_section(p, o, f);
      else if (named) fprintf(f, "\nBOTTLENECKS IDENTIFIED: not in this profile\n");
   }
}

/* ---- annotated source ------------------------------------------------------------------- */

typedef struct {
   char* data;
   char** lines;      /* lines[1..n] */
   size_t n;
   char* path;        /* where it was found */
} Source;

static int is_regular(const char* path)
{
   struct stat st;
   return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= (off_t)MAX_SOURCE_BYTES;
}

static char* try_path(const char* path)
{
   return is_regular(path) ? gph_xstrdup(path) : NULL;
}

/* Where the source of 'file' is now: --path-map rewrites first, then the
   path itself, then each --source-dir joined with the path and with each
   of its tails (so a tree moved anywhere below a source dir is found). */
static char* find_source(const GpaOptions* o, const char* file)
{
   size_t i;
   char* found;
   const char* rel = file;
   for (i = 0; i < o->n_maps; i++) {
      size_t n = strlen(o->maps[i].from);
      if (n && strncmp(file, o->maps[i].from, n) == 0 &&
          (file[n] == '/' || file[n] == 0 || o->maps[i].from[n - 1] == '/')) {
         char* cand = gph_xprintf("%s%s", o->maps[i].to, file + n);
         if (is_regular(cand)) return cand;
         free(cand);
      }
   }
   if ((found = try_path(file))) return found;
   while (rel[0] == '.' && rel[1] == '/') rel += 2;
   for (i = 0; i < o->n_source_dirs; i++) {
      const char* tail = rel;
      for (;;) {
         char* cand;
         while (*tail == '/') tail++;
         if (!*tail) break;
         cand = gph_xprintf("%s/%s", o->source_dirs[i], tail);
         if (is_regular(cand)) return cand;
         free(cand);
         tail = strchr(tail, '/');
         if (!tail) break;
      }
   }
   return NULL;
}

static int load_source(const GpaOptions* o, const char* file, Source* s)
{
   FILE* f;
   size_t len = 0, cap = 0, i, n = 0;
   memset(s, 0, sizeof(*s));
   if (!o->read_sources || !file || !(s->path = find_source(o, file))) return -1;
   f = fopen(s->path, "rb");
   if (!f) {
      free(s->path);
      s->path = NULL;
      return -1;
   }
   for (;;) {
      size_t got;
      if (len + 1 >= cap) {
         cap = cap ? cap * 2 : 65536;
         s->data = gph_xrealloc(s->data, cap, 1);
      }
      got = fread(s->data + len, 1, cap - len - 1, f);
      len += got;
      if (got == 0 || len > MAX_SOURCE_BYTES) break;
   }
   fclose(f);
   s->data[len] = 0;
   for (i = 0; i < len; i++)
      if (s->data[i] == '\n') n++;
   if (len && s->data[len - 1] != '\n') n++;
   s->lines = gph_xcalloc(n + 2, sizeof(*s->lines));
   s->n = 0;
   if (len) {
      char* p = s->data;
      while (p < s->data + len) {
         char* nl = memchr(p, '\n', (size_t)(s->data + len - p));
         s->lines[++s->n] = p;
         if (!nl) break;
         *nl = 0;
         if (nl > p && nl[-1] == '\r') nl[-1] = 0;
         p = nl + 1;
      }
   }
   return 0;
}

static void free_source(Source* s)
{
   free(s->data);
   free(s->lines);
   free(s->path);
}

/* Source text with tabs expanded and control characters cleaned. */
static void put_source_line(FILE* f, const char* line)
{
   size_t col = 0;
   const unsigned char* p;
   for (p = (const unsigned char*)line; *p; p++) {
      if (*p == '\t') {
         do fputc(' ', f); while (++col % 8);
      } else if (*p < 0x20 || *p == 0x7f) {
         fputc('?', f);
         col++;
      } else {
         fputc(*p, f);
         if ((*p & 0xc0) != 0x80) col++;
      }
   }
}

typedef struct {
   u64 line, ir;
   int hot;
} Costed;

static int by_line(const void* a, const void* b)
{
   const Costed* x = a;
   const Costed* y = b;
   return x->line < y->line ? -1 : x->line > y->line;
}

static void costed_row(FILE* f, const Costed* c, u64 fn_total)
{
   fprintf(f, "   %15s %7s %2s %6llu", gph_num(c->ir), gph_pct(c->ir, fn_total),
           c->hot ? ">>" : "", (unsigned long long)c->line);
}

/* One file's part of a function: its costed lines with the source around
   them.  Windows of +-context lines that touch are merged; a gap between
   windows gets a marker.  Line numbers come from the profile, so nothing
   here loops over a range the source file does not have. */
static void annotate_file(const GprFn* fn, const GpaOptions* o, FILE* f, const char* file,
                          Costed* c, size_t n, u64 fn_total)
{
   Source src;
   int have = load_source(o, file, &src) == 0;
   size_t i, j, m, k;
   u64 shown_to = 0, past_end = 0, ctx = o->context;

   /* one row per line: merge duplicates */
   qsort(c, n, sizeof(*c), by_line);
   for (i = 0, k = 0; i < n; i++) {
      if (k && c[k - 1].line == c[i].line) {
         c[k - 1].ir = c[k - 1].ir > UINT64_MAX - c[i].ir ? UINT64_MAX : c[k - 1].ir + c[i].ir;
         c[k - 1].hot |= c[i].hot;
      } else {
         c[k++] = c[i];
      }
   }
   n = k;

   fprintf(f, "\n  -- %s%s\n", gph_clean(file ? file : "(unknown file)"),
           have && file && strcmp(src.path, file) != 0
              ? gph_tmpf("  (read from %s)", gph_clean(src.path)) : "");
   if (!have)
      fprintf(f, "  (source not available%s; costed lines only)\n",
              !o->read_sources || !file ? "" : ": use --source-dir or --path-map");
   fprintf(f, "   %15s %7s %2s %6s\n", "Ir", "share", "", "line");
   if (!have) {
      for (i = 0; i < n; i++) {
         costed_row(f, &c[i], fn_total);
         fputc('\n', f);
      }
      return;
   }
   for (i = 0; i < n; i = j) {
      u64 from = c[i].line > ctx ? c[i].line - ctx : 1;
      u64 to = c[i].line > UINT64_MAX - ctx ? UINT64_MAX : c[i].line + ctx;
      u64 ln, last;
      /* the function's first line belongs with its body */
      if (i == 0 && fn->file && file && strcmp(fn->file, file) == 0 && fn->line &&
          fn->line < from && from - fn->line <= 2 * ctx + 8)
         from = fn->line;
      for (j = i + 1; j < n && c[j].line - (c[j].line > ctx ? ctx : c[j].line - 1) <= to + 1; j++)
         to = c[j].line > UINT64_MAX - ctx ? UINT64_MAX : c[j].line + ctx;
      if (from <= shown_to) from = shown_to + 1;
      else if (shown_to) fprintf(f, "   %15s\n", "-- ... --");
      last = to < src.n ? to : src.n;
      for (ln = from, m = i; ln <= last; ln++) {
         while (m < j && c[m].line < ln) m++;
         if (m < j && c[m].line == ln) costed_row(f, &c[m], fn_total);
         else fprintf(f, "   %15s %7s %2s %6llu", ".", "", "", (unsigned long long)ln);
         fputs("  ", f);
         put_source_line(f, src.lines[ln]);
         fputc('\n', f);
      }
      for (m = i; m < j; m++) {
         if (c[m].line >= 1 && c[m].line <= src.n) continue;
         if (c[m].line > src.n) past_end++;
         costed_row(f, &c[m], fn_total);
         fputc('\n', f);
      }
      shown_to = to;
   }
   if (past_end)
      fprintf(f, "  (%llu costed line%s past the end of %s: the source changed since the run?)\n",
              (unsigned long long)past_end, past_end == 1 ? " is" : "s are",
              gph_clean(src.path));
   free_source(&src);
}

static int by_ir_desc(const void* a, const void* b)
{
   const Costed* x = a;
   const Costed* y = b;
   if (x->ir != y->ir) return x->ir > y->ir ? -1 : 1;
   return x->line < y->line ? -1 : x->line > y->line;
}

static int cmp_cstr(const void* a, const void* b)
{
   const char* x = *(const char* const*)a;
   const char* y = *(const char* const*)b;
   return strcmp(x ? x : "", y ? y : "");
}

static void annotate_fn(const GprProfile* p, const GprFn* fn, const GpaOptions* o, FILE* f)
{
   u64 total = 0;
   size_t i, k, n_files = 0;
   const char** files;

   fprintf(f, "\n");
   for (i = 0; i < WIDTH; i++) fputc('-', f);
   fprintf(f, "\nAnnotated source: %s\n", gph_fit(fn_label(fn), WIDTH - 18));
   fprintf(f, "  self %s (%s of all), inclusive %s (%s), %s calls; object %s\n",
           gph_num(fn->self_ir), gph_pct(fn->self_ir, p->total_instructions),
           gph_num(fn->incl_ir), gph_pct(fn->incl_ir, p->total_instructions),
           gph_num(fn->calls), gph_clean(gph_basename(fn->object)));
   for (i = 0; i < WIDTH; i++) fputc('-', f);
   fputc('\n', f);
   if (!fn->has_lines) {
      fprintf(f, "  (no per-line figures: the profile was made with --lines=no)\n");
      return;
   }
   if (fn->n_lines == 0) {
      fprintf(f, "  (no source lines: the function has no debug information)\n");
      return;
   }
   for (i = 0; i < fn->n_lines; i++) total += fn->lines[i].ir;
   if (total < fn->self_ir) total = fn->self_ir;

   /* distinct files: the function's own first, then the others by name */
   files = gph_xcalloc(fn->n_lines + 1, sizeof(*files));
   for (i = 0; i < fn->n_lines; i++) files[i] = fn->lines[i].file;
   qsort(files, fn->n_lines, sizeof(*files), cmp_cstr);
   for (i = 0; i < fn->n_lines; i++)
      if (n_files == 0 || cmp_cstr(&files[n_files - 1], &files[i]) != 0) files[n_files++] = files[i];
   for (i = 0; i < n_files; i++) {
      if (fn->file && files[i] && strcmp(files[i], fn->file) == 0 && i > 0) {
         const char* t = files[i];
         memmove(files + 1, files, i * sizeof(*files));
         files[0] = t;
      }
   }

   /* the hottest lines of the whole function */
   {
      Costed* all = gph_xcalloc(fn->n_lines + 1, sizeof(*all));
      for (i = 0; i < fn->n_lines; i++) {
         all[i].line = i; /* position in fn->lines */
         all[i].ir = fn->lines[i].ir;
      }
      qsort(all, fn->n_lines, sizeof(*all), by_ir_desc);
      for (k = 0; k < fn->n_lines; k++) {
         Costed* c = &all[k];
         c->hot = k < HOT_LINES && c->ir > 0 &&
                  gph_cmp_products(c->ir, 100, total, HOT_MIN_PCT) >= 0;
      }
      for (i = 0; i < n_files; i++) {
         Costed* c = gph_xcalloc(fn->n_lines + 1, sizeof(*c));
         size_t n = 0;
         for (k = 0; k < fn->n_lines; k++) {
            const GprLine* l = &fn->lines[all[k].line];
            if (cmp_cstr(&l->file, &files[i]) != 0) continue;
            c[n].line = l->line;
            c[n].ir = l->ir;
            c[n].hot = all[k].hot;
            n++;
         }
         annotate_file(fn, o, f, files[i], c, n, total);
         free(c);
      }
      free(all);
   }
   free(files);
}

int gpa_annotate(const GprProfile* p, const GpaOptions* o, FILE* f, char* err, size_t errlen)
{
   size_t i, k;
   for (i = 0; i < o->n_functions; i++) {
      int found = 0;
      for (k = 0; k < p->n_fns; k++) {
         if (strcmp(p->fns[k].name, o->functions[i]) != 0) continue;
         found = 1;
         annotate_fn(p, &p->fns[k], o, f);
      }
      if (!found) {
         snprintf(err, errlen, "--function: no function named '%s' in %s%s",
                  gph_clean(o->functions[i]), gph_clean(p->path),
                  p->has_functions ? "" : " (made with --cpu=no)");
         return -1;
      }
   }
   if (o->top_functions) {
      size_t shown = 0;
      size_t* idx = gph_xcalloc(p->n_fns + 1, sizeof(*idx));
      for (k = 0; k < p->n_fns; k++) idx[k] = k;
      sort_profile = p;
      sort_key = GPA_SORT_SELF;
      qsort(idx, p->n_fns, sizeof(*idx), by_key);
      for (k = 0; k < p->n_fns && shown < o->top_functions; k++) {
         const GprFn* fn = &p->fns[idx[k]];
         if (fn->self_ir == 0) break;
         if (!fn->has_lines || fn->n_lines == 0) continue;
         annotate_fn(p, fn, o, f);
         shown++;
      }
      free(idx);
      if (shown == 0)
         fprintf(f, "\n(no function has per-line figures%s)\n",
                 p->opt_lines == 0 ? ": the profile was made with --lines=no" : "");
   }
   return 0;
}
