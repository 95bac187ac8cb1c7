/* gp_out_callgrind.c -- the CPU profile in Callgrind's format
   (--callgrind-out-file), for callgrind_annotate, KCachegrind, gprof2dot
   and speedscope.  docs/formats.md says what is written and why.

   The format's rules are followed strictly, because each reader enforces a
   different subset of them (the reference notes list what breaks which
   reader): "# callgrind format" then "version: 1" then "creator:" (gprof2dot
   reads them in that order); every header line before "events:"
   (callgrind_annotate's last header line) except "summary:"; one event,
   Ir; "positions: line" with absolute line numbers (no subposition
   compression: speedscope misreads it); one space between fields and no
   trailing blanks (gprof2dot stops at tabs, speedscope at trailing
   blanks); name compression with each id defined once, at its first use,
   in the namespaces files (fl fi fe cfi), functions (fn cfn) and objects
   (ob cob); cob= and cfi= on every call (readers disagree on their
   defaults: speedscope takes the caller's fl=, callgrind_annotate its fi=);
   metadata only in "desc:" lines; "totals:" last. */

#include "gp_out_common.h"
#include "gp_options.h"

typedef struct {
   GpOutCtx  c;
   GpOut*    o;
   GpWordMap file_ids, obj_ids;   /* printable path / GpObj* -> id */
   UInt*     fn_ids;              /* by out_id, 0 = not defined yet */
   UInt      n_file_ids, n_obj_ids, n_fn_ids;
   GpEdge**  out_edges;           /* by caller out_id, then callee out_id */
   UInt*     edge_start;          /* by out_id; [n_fns] = count */
   ULong     written;             /* sum of the self cost lines */
} CgWriter;

/* One line of a function's block: a self cost, or a call arc. */
typedef struct {
   const HChar*  file;            /* printable path the line is relative to */
   UInt          line;
   ULong         ir;              /* self cost */
   const GpEdge* call;            /* NULL for a self cost */
} Item;

/* ---- compressed names ---------------------------------------------------- */

static void put_id(CgWriter* w, const HChar* key, GpWordMap* m, UInt* next,
                   UWord k, const HChar* name)
{
   UWord* slot = gp_wmap_insert(m, k);
   if (*slot) {
      gp_out_printf(w->o, "%s=(%lu)\n", key, *slot);
   } else {
      *slot = ++*next;
      gp_out_printf(w->o, "%s=(%lu) %s\n", key, *slot, name);
   }
}

static void put_file(CgWriter* w, const HChar* key, const HChar* path)
{
   put_id(w, key, &w->file_ids, &w->n_file_ids, (UWord)path, path);
}

static void put_obj(CgWriter* w, const HChar* key, const GpObj* obj)
{
   put_id(w, key, &w->obj_ids, &w->n_obj_ids, (UWord)obj,
          gp_out_path(&w->c, obj->name));
}

static void put_fn(CgWriter* w, const HChar* key, const GpFn* f)
{
   UInt* id = &w->fn_ids[f->out_id];
   if (*id) {
      gp_out_printf(w->o, "%s=(%u)\n", key, *id);
   } else {
      *id = ++w->n_fn_ids;
      gp_out_printf(w->o, "%s=(%u) %s\n", key, *id, gp_out_name(&w->c, f));
   }
}

/* ---- call arcs by caller ------------------------------------------------- */

static Int edge_by_caller(const void* pa, const void* pb)
{
   const GpEdge* a = *(const GpEdge* const*)pa;
   const GpEdge* b = *(const GpEdge* const*)pb;
   if (a->caller->out_id != b->caller->out_id)
      return a->caller->out_id < b->caller->out_id ? -1 : 1;
   if (a->callee->out_id != b->callee->out_id)
      return a->callee->out_id < b->callee->out_id ? -1 : 1;
   return 0;
}

static void index_edges(CgWriter* w)
{
   const GpProfile* p = w->c.p;
   UInt i, n = 0, k = 0, f;
   w->out_edges = VG_(malloc)(GP_CC("out.cg"), (p->n_edges + 1) * sizeof(GpEdge*));
   for (i = 0; i < p->n_edges; i++) {
      GpEdge* e = p->edges[i];
      if (gp_out_has_fn(&w->c, e->caller) && gp_out_has_fn(&w->c, e->callee))
         w->out_edges[n++] = e;
   }
   VG_(ssort)(w->out_edges, n, sizeof(GpEdge*), edge_by_caller);
   w->edge_start = VG_(malloc)(GP_CC("out.cg"), (p->n_fns + 1) * sizeof(UInt));
   for (f = 0; f < p->n_fns; f++) {
      while (k < n && w->out_edges[k]->caller->out_id < f) k++;
      w->edge_start[f] = k;
   }
   w->edge_start[p->n_fns] = n;
}

/* ---- one function -------------------------------------------------------- */

static const HChar* item_own_file;

static Int item_cmp(const void* pa, const void* pb)
{
   const Item* a = pa;
   const Item* b = pb;
   Bool ao = a->file == item_own_file, bo = b->file == item_own_file;
   Int r;
   if (ao != bo) return ao ? -1 : 1;
   if (a->file != b->file && (r = VG_(strcmp)(a->file, b->file))) return r;
   if (a->line != b->line) return a->line < b->line ? -1 : 1;
   if (!a->call != !b->call) return a->call ? 1 : -1;   /* self first */
   if (a->call && a->call->callee->out_id != b->call->callee->out_id)
      return a->call->callee->out_id < b->call->callee->out_id ? -1 : 1;
   return 0;
}

static void write_call(CgWriter* w, const Item* it)
{
   const GpEdge* e = it->call;
   const GpFn* callee = e->callee;
   put_obj(w, "cob", callee->obj);
   put_file(w, "cfi", gp_out_fn_file(&w->c, callee));
   put_fn(w, "cfn", callee);
   /* "calls=" must be followed at once by the cost line of the calls:
      the call site and the inclusive instructions of those calls. */
   gp_out_printf(w->o, "calls=%llu %u\n", e->calls, callee->line);
   gp_out_printf(w->o, "%u %llu\n", it->line, e->incl);
}

static void write_function(CgWriter* w, const GpFn* f, XArray* pos, XArray* items)
{
   const HChar* own = gp_out_fn_file(&w->c, f);
   const HChar* cur = own;
   UInt i, n;
   Word k;

   VG_(dropTailXA)(pos, VG_(sizeXA)(pos));
   VG_(dropTailXA)(items, VG_(sizeXA)(items));
   gp_out_fn_positions(&w->c, f, pos);
   for (k = 0; k < VG_(sizeXA)(pos); k++) {
      const GpOutPos* ps = VG_(indexXA)(pos, k);
      Item it = { ps->file, ps->line, ps->ir, NULL };
      VG_(addToXA)(items, &it);
   }
   for (i = w->edge_start[f->out_id]; i < w->edge_start[f->out_id + 1]; i++) {
      const GpEdge* e = w->out_edges[i];
      Item it;
      /* A call site without line info is line 0 ("unknown") of f's file. */
      it.file = e->site_file ? gp_out_path(&w->c, e->site_file) : own;
      it.line = e->site_file ? e->site_line : 0;
      it.ir = 0;
      it.call = e;
      VG_(addToXA)(items, &it);
   }
   n = (UInt)VG_(sizeXA)(items);
   if (n == 0) return;      /* only ever a callee: named by its callers */
   item_own_file = own;
   VG_(ssort)(VG_(indexXA)(items, 0), n, sizeof(Item), item_cmp);
   item_own_file = NULL;

   gp_out_puts(w->o, "\n");
   put_obj(w, "ob", f->obj);
   put_file(w, "fl", own);
   put_fn(w, "fn", f);
   for (i = 0; i < n; i++) {
      const Item* it = VG_(indexXA)(items, i);
      if (it->file != cur) {
         /* inlined code of another file inside f (fe= would return) */
         put_file(w, it->file == own ? "fe" : "fi", it->file);
         cur = it->file;
      }
      if (it->call) {
         write_call(w, it);
      } else {
         gp_out_printf(w->o, "%u %llu\n", it->line, it->ir);
         w->written += it->ir;
      }
   }
}

/* ---- the file ------------------------------------------------------------- */

static void write_header(CgWriter* w)
{
   const GpProfile* p = w->c.p;
   GpOut* o = w->o;
   gp_out_puts(o, "# callgrind format\n");
   gp_out_puts(o, "version: 1\n");
   gp_out_printf(o, "creator: %s-%s\n", GP_TOOL_NAME, GP_TOOL_VERSION);
   gp_out_printf(o, "pid: %d\n", p->pid);
   gp_out_printf(o, "cmd: %s\n", gp_out_path(&w->c, p->command));
   gp_out_puts(o, "part: 1\n");
   if (p->final)
      gp_out_puts(o, "desc: Trigger: Program termination\n");
   else
      gp_out_printf(o, "desc: Trigger: Dump %s\n",
                    gp_out_path(&w->c, p->label ? p->label : "(unlabelled)"));
   gp_out_printf(o, "desc: glprof.threads: %u (merged)\n", p->n_threads);
   gp_out_printf(o, "desc: glprof.lines: %s\n", gp_clo.lines ? "yes" : "no");
   gp_out_puts(o, "positions: line\n");
   gp_out_puts(o, "event: Ir : Instructions executed\n");
   gp_out_puts(o, "events: Ir\n");
   gp_out_printf(o, "summary: %llu\n", p->total_ir);
}

void gp_write_callgrind(GpOut* o, const GpProfile* p)
{
   CgWriter w;
   XArray* pos;
   XArray* items;
   UInt i;

   VG_(memset)(&w, 0, sizeof(w));
   w.o = o;
   gp_outctx_init(&w.c, p);
   gp_wmap_init(&w.file_ids, GP_CC("out.cg"), 256);
   gp_wmap_init(&w.obj_ids, GP_CC("out.cg"), 64);
   w.fn_ids = VG_(calloc)(GP_CC("out.cg"), p->n_fns + 1, sizeof(UInt));
   index_edges(&w);
   pos = VG_(newXA)(VG_(malloc), GP_CC("out.cg"), VG_(free), sizeof(GpOutPos));
   items = VG_(newXA)(VG_(malloc), GP_CC("out.cg"), VG_(free), sizeof(Item));

   write_header(&w);
   for (i = 0; i < p->n_fns; i++) write_function(&w, p->fns[i], pos, items);
   gp_out_printf(o, "\ntotals: %llu\n", w.written);

   VG_(deleteXA)(pos);
   VG_(deleteXA)(items);
   VG_(free)(w.out_edges);
   VG_(free)(w.edge_start);
   VG_(free)(w.fn_ids);
   gp_wmap_free(&w.file_ids);
   gp_wmap_free(&w.obj_ids);
   gp_outctx_free(&w.c);
}
