/* gp_out_folded.c -- folded stacks (Brendan Gregg's collapsed format) for
   flamegraph.pl, speedscope, inferno and gprof2dot -f collapse
   (--folded-out-file).  docs/formats.md says what is written and why.

   Each line is one call path of glprof's calling-context tree, frames from
   the thread's (or signal handler's) root to the leaf joined by ';', one
   space, and the leaf's exact self instructions on that path: not guessed
   from caller/callee edges as converters of Callgrind files must do, so
   the lines sum to the total instructions.  Paths that executed nothing
   themselves get no line (their callees' lines carry them).  No comments
   or blank lines: speedscope's content detection needs every line to end
   in " <integer>". */

#include "gp_out_common.h"
#include "gp_heap_int.h"

typedef struct {
   HChar* buf;           /* the current path's frames */
   SizeT  len, cap;
   SizeT* end;           /* by depth: length of the prefix ending there */
   Int*   at;            /* by depth: the path index written there */
   UInt   depth_cap;
} Prefix;

static void grow_buf(Prefix* s, SizeT need)
{
   if (need <= s->cap) return;
   while (s->cap < need) s->cap = s->cap ? s->cap * 2 : 4096;
   s->buf = VG_(realloc)(GP_CC("out.folded"), s->buf, s->cap);
}

static void grow_depth(Prefix* s, UInt depth)
{
   UInt old = s->depth_cap, d;
   if (depth < old) return;
   do s->depth_cap = s->depth_cap ? s->depth_cap * 2 : 256; while (s->depth_cap <= depth);
   s->end = VG_(realloc)(GP_CC("out.folded"), s->end, s->depth_cap * sizeof(SizeT));
   s->at = VG_(realloc)(GP_CC("out.folded"), s->at, s->depth_cap * sizeof(Int));
   for (d = old; d < s->depth_cap; d++) { s->end[d] = 0; s->at[d] = -2; }
}

static void append(Prefix* s, const HChar* name, Bool sep)
{
   SizeT n = VG_(strlen)(name);
   grow_buf(s, s->len + n + 2);
   if (sep) s->buf[s->len++] = ';';
   VG_(memcpy)(s->buf + s->len, name, n);
   s->len += n;
}

/* Rebuilds the prefix of path i from its parent chain (only needed if the
   table were ever not in depth-first order). */
static void rebuild(Prefix* s, GpOutCtx* c, Int i)
{
   const GpProfile* p = c->p;
   Int j;
   UInt d;
   for (j = i; j >= 0; j = p->paths[j].parent) {
      d = p->paths[j].depth;
      grow_depth(s, d);
      s->at[d] = j;
   }
   s->len = 0;
   for (d = 0; d <= p->paths[i].depth; d++) {
      append(s, gp_out_name(c, p->paths[s->at[d]].fn), d > 0);
      s->end[d] = s->len;
   }
}

void gp_write_folded(GpOut* o, const GpProfile* p)
{
   GpOutCtx c;
   Prefix s;
   UInt i;
   VG_(memset)(&s, 0, sizeof(s));
   gp_outctx_init(&c, p);
   for (i = 0; i < p->n_paths; i++) {
      const GpPath* n = &p->paths[i];
      UInt d = n->depth;
      grow_depth(&s, d);
      if (d == 0 ? n->parent == -1 : s.at[d - 1] == n->parent) {
         /* depth-first order: the parent is the last path one level up */
         s.len = d == 0 ? 0 : s.end[d - 1];
         append(&s, gp_out_name(&c, n->fn), d > 0);
         s.end[d] = s.len;
         s.at[d] = (Int)i;
      } else {
         rebuild(&s, &c, (Int)i);
      }
      if (n->self == 0) continue;
      gp_out_write(o, s.buf, s.len);
      gp_out_printf(o, " %llu\n", n->self);
   }
   VG_(free)(s.buf);
   VG_(free)(s.end);
   VG_(free)(s.at);
   gp_outctx_free(&c);
}

/* ---- heap: allocated and leaked bytes per allocation stack ------------------

   The same format weighted by bytes (docs/formats.md): one line per
   allocation stack (Valgrind's, at most --num-callers frames, so the first
   frame is not always a thread's root), frames named as in the CPU files.
   Stacks that print the same (two lines of one function) are one line. */

typedef struct {
   const HChar* stack;       /* interned "outer;...;inner" */
   ULong        bytes;
} Weighted;

static const HChar* heap_stack_string(GpOutCtx* c, const GpStack* st, Prefix* s)
{
   Int i;
   s->len = 0;
   for (i = (Int)st->n - 1; i >= 0; i--)
      append(s, gp_out_frame_name(c, st->f[i]), s->len > 0);
   if (s->len == 0) append(s, "???", False);
   grow_buf(s, s->len + 1);
   s->buf[s->len] = 0;
   return gp_intern(s->buf);
}

static Int weighted_cmp(const void* pa, const void* pb)
{
   const Weighted* a = pa;
   const Weighted* b = pb;
   return a->stack == b->stack ? 0 : VG_(strcmp)(a->stack, b->stack);
}

/* Sorted by stack, equal stacks summed, zero weights left out. */
static void write_weighted(GpOut* o, XArray* rows)
{
   Word i, n = VG_(sizeXA)(rows);
   if (n == 0) return;
   VG_(ssort)(VG_(indexXA)(rows, 0), n, sizeof(Weighted), weighted_cmp);
   for (i = 0; i < n; ) {
      const Weighted* w = VG_(indexXA)(rows, i);
      ULong sum = 0;
      Word k;
      for (k = i; k < n && ((Weighted*)VG_(indexXA)(rows, k))->stack == w->stack; k++)
         sum += ((Weighted*)VG_(indexXA)(rows, k))->bytes;
      if (sum) gp_out_printf(o, "%s %llu\n", w->stack, sum);
      i = k;
   }
}

static void add_row(XArray* rows, const HChar* stack, ULong bytes)
{
   Weighted w;
   w.stack = stack;
   w.bytes = bytes;
   VG_(addToXA)(rows, &w);
}

void gp_write_folded_alloc(GpOut* o, const GpProfile* p)
{
   const GpHeapProfile* hp = p->heap;
   GpOutCtx c;
   Prefix s;
   XArray* rows;
   UInt i;
   if (!hp) return;
   VG_(memset)(&s, 0, sizeof(s));
   gp_outctx_init(&c, p);
   rows = VG_(newXA)(VG_(malloc), GP_CC("out.folded"), VG_(free), sizeof(Weighted));
   for (i = 0; i < hp->n_sites; i++) {
      const GpSite* site = hp->sites[i];
      add_row(rows, heap_stack_string(&c, site->stack, &s), site->bytes);
   }
   write_weighted(o, rows);
   VG_(deleteXA)(rows);
   VG_(free)(s.buf);
   gp_outctx_free(&c);
}

Bool gp_folded_has_leaks(const GpProfile* p)
{
   return p->heap && p->heap->leaks.done;
}

/* Leaked = definitely and indirectly lost, not suppressed, each block at
   its own allocation stack (a definitely lost record's indirect bytes are
   the indirectly lost records' blocks: counted there, once). */
void gp_write_folded_leak(GpOut* o, const GpProfile* p)
{
   const GpHeapProfile* hp = p->heap;
   GpOutCtx c;
   Prefix s;
   XArray* rows;
   UInt i;
   if (!gp_folded_has_leaks(p)) return;
   VG_(memset)(&s, 0, sizeof(s));
   gp_outctx_init(&c, p);
   rows = VG_(newXA)(VG_(malloc), GP_CC("out.folded"), VG_(free), sizeof(Weighted));
   for (i = 0; i < hp->leaks.n_records; i++) {
      const GpLeakRecord* lr = &hp->leaks.records[i];
      if (lr->suppressed) continue;
      if (lr->kind != GP_LK_DEFINITE && lr->kind != GP_LK_INDIRECT) continue;
      add_row(rows, heap_stack_string(&c, lr->site->stack, &s), lr->bytes);
   }
   write_weighted(o, rows);
   VG_(deleteXA)(rows);
   VG_(free)(s.buf);
   gp_outctx_free(&c);
}
