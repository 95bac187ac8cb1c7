/* gp_analyse.c -- turns collected figures into the sorted, deterministic
   tables of a GpProfile (see gp_profile.h).  Every sort is by value first
   and then by names, so two runs of a deterministic program produce the
   same tables byte for byte. */

#include "gp_profile.h"
#include "gp_code.h"
#include "gp_options.h"
#include "gp_proc.h"
#include "gp_util.h"
#include "gp_frames.h"
#include "gp_control.h"

const HChar* gp_obj_basename(const GpObj* o)
{
   const HChar* s = VG_(strrchr)(o->name, '/');
   return s ? s + 1 : o->name;
}

/* Null-safe string order. */
static Int str_cmp(const HChar* a, const HChar* b)
{
   if (a == b) return 0;
   if (!a) return -1;
   if (!b) return 1;
   return VG_(strcmp)(a, b);
}

static Int fn_name_cmp(const GpFn* a, const GpFn* b)
{
   Int r = str_cmp(a->name, b->name);
   if (r) return r;
   if ((r = str_cmp(a->file, b->file))) return r;
   if ((r = str_cmp(a->obj->name, b->obj->name))) return r;
   return a->line < b->line ? -1 : a->line > b->line;
}

static Int cmp_desc(ULong a, ULong b) { return a > b ? -1 : a < b; }

static Int fn_by_self(const void* pa, const void* pb)
{
   const GpFn* a = *(const GpFn* const*)pa;
   const GpFn* b = *(const GpFn* const*)pb;
   Int r = cmp_desc(a->self, b->self);
   if (r) return r;
   if ((r = cmp_desc(a->incl, b->incl))) return r;
   if ((r = cmp_desc(a->calls, b->calls))) return r;
   return fn_name_cmp(a, b);
}

static Int fn_by_incl(const void* pa, const void* pb)
{
   const GpFn* a = *(const GpFn* const*)pa;
   const GpFn* b = *(const GpFn* const*)pb;
   Int r = cmp_desc(a->incl, b->incl);
   if (r) return r;
   if ((r = cmp_desc(a->self, b->self))) return r;
   return fn_name_cmp(a, b);
}

static Int edge_cmp(const void* pa, const void* pb)
{
   const GpEdge* a = *(const GpEdge* const*)pa;
   const GpEdge* b = *(const GpEdge* const*)pb;
   Int r = cmp_desc(a->incl, b->incl);
   if (r) return r;
   if ((r = cmp_desc(a->calls, b->calls))) return r;
   if (a->caller->out_id != b->caller->out_id)
      return a->caller->out_id < b->caller->out_id ? -1 : 1;
   if (a->callee->out_id != b->callee->out_id)
      return a->callee->out_id < b->callee->out_id ? -1 : 1;
   return 0;
}

static Int line_cmp(const void* pa, const void* pb)
{
   const GpLine* a = *(const GpLine* const*)pa;
   const GpLine* b = *(const GpLine* const*)pb;
   Int r;
   if (a->fn->out_id != b->fn->out_id)
      return a->fn->out_id < b->fn->out_id ? -1 : 1;
   if ((r = cmp_desc(a->ir, b->ir))) return r;
   if ((r = str_cmp(a->file, b->file))) return r;
   return a->line < b->line ? -1 : a->line > b->line;
}

/* ---- call paths --------------------------------------------------------- */

static Int node_cmp(const void* pa, const void* pb)
{
   const GpNode* a = *(const GpNode* const*)pa;
   const GpNode* b = *(const GpNode* const*)pb;
   Int r = cmp_desc(a->incl, b->incl);
   if (r) return r;
   if ((r = cmp_desc(a->self, b->self))) return r;
   if ((r = cmp_desc(a->calls, b->calls))) return r;
   return fn_name_cmp(gp_node_fn(a), gp_node_fn(b));
}

static void flatten_paths(GpProfile* p, XArray* roots)
{
   XArray* out = VG_(newXA)(VG_(malloc), GP_CC("an.paths"), VG_(free),
                            sizeof(GpPath));
   XArray* stack = VG_(newXA)(VG_(malloc), GP_CC("an.tmp"), VG_(free),
                              sizeof(GpNode*));
   XArray* parent_ix = VG_(newXA)(VG_(malloc), GP_CC("an.tmp"), VG_(free),
                                  sizeof(Int));
   XArray* kids = VG_(newXA)(VG_(malloc), GP_CC("an.tmp"), VG_(free),
                             sizeof(GpNode*));
   GpNode* c;
   Int minus1 = -1;

   /* Top level: the roots, sorted; pushed in reverse so the first comes out
      first. */
   {
      Word i;
      for (i = 0; i < VG_(sizeXA)(roots); i++) VG_(addToXA)(kids, VG_(indexXA)(roots, i));
   }
   VG_(setCmpFnXA)(kids, node_cmp);
   VG_(sortXA)(kids);
   {
      Word i;
      for (i = VG_(sizeXA)(kids) - 1; i >= 0; i--) {
         VG_(addToXA)(stack, VG_(indexXA)(kids, i));
         VG_(addToXA)(parent_ix, &minus1);
      }
   }
   while (VG_(sizeXA)(stack) > 0) {
      Word top = VG_(sizeXA)(stack) - 1;
      GpNode* n = *(GpNode**)VG_(indexXA)(stack, top);
      Int par = *(Int*)VG_(indexXA)(parent_ix, top);
      GpPath path;
      Int me;
      Word i;
      VG_(dropTailXA)(stack, 1);
      VG_(dropTailXA)(parent_ix, 1);
      /* A path that never ran anything (a call that was re-identified,
         or a node created before a zeroing) is left out with its
         subtree only when the whole subtree is empty: incl covers it. */
      if (n->self == 0 && n->incl == 0 && n->calls == 0 && !n->first_child)
         continue;
      path.parent = par;
      path.fn = gp_node_fn(n);
      path.self = n->self;
      path.incl = n->incl;
      path.calls = n->calls;
      path.depth = par < 0 ? 0
                 : ((GpPath*)VG_(indexXA)(out, par))->depth + 1;
      me = (Int)VG_(sizeXA)(out);
      VG_(addToXA)(out, &path);
      VG_(dropTailXA)(kids, VG_(sizeXA)(kids));
      for (c = n->first_child; c; c = c->next_sibling)
         VG_(addToXA)(kids, &c);
      VG_(sortXA)(kids);
      for (i = VG_(sizeXA)(kids) - 1; i >= 0; i--) {
         VG_(addToXA)(stack, VG_(indexXA)(kids, i));
         VG_(addToXA)(parent_ix, &me);
      }
   }
   p->n_paths = (UInt)VG_(sizeXA)(out);
   p->paths = VG_(malloc)(GP_CC("an.paths"), (p->n_paths + 1) * sizeof(GpPath));
   if (p->n_paths)
      VG_(memcpy)(p->paths, VG_(indexXA)(out, 0), p->n_paths * sizeof(GpPath));
   VG_(deleteXA)(out);
   VG_(deleteXA)(stack);
   VG_(deleteXA)(parent_ix);
   VG_(deleteXA)(kids);
}

/* ---- the profile ------------------------------------------------------- */

/* ---- --focus ------------------------------------------------------------ */

/* With --focus, the profile shows only costs under the focus functions:
   function figures and call edges are recomputed from the call paths below
   the outermost focus nodes (and restored when the profile is freed: the
   collected figures must survive a dump).  Inclusive costs come from
   those paths' outermost activations. */
typedef struct { GpNode* n; Bool leave; Bool counted; } FocusStep;

static void apply_focus(GpProfile* p, GpTree* t, XArray* roots)
{
   UInt i, nf = gp_fn_count(), ne = gp_edge_count();
   UInt depth = 0;                      /* focus nodes on the DFS path */
   XArray* st = VG_(newXA)(VG_(malloc), GP_CC("an.focus"), VG_(free), sizeof(FocusStep));
   GpWordMap on_path;                   /* fn -> nodes of fn on the DFS path */
   GpNode* c;

   p->saved_fns = VG_(malloc)(GP_CC("an.focus"), (nf + 1) * 3 * sizeof(ULong));
   for (i = 0; i < nf; i++) {
      GpFn* f = gp_fn_by_index(i);
      p->saved_fns[3 * i] = f->self;
      p->saved_fns[3 * i + 1] = f->incl;
      p->saved_fns[3 * i + 2] = f->calls;
      f->self = f->incl = f->calls = 0;
   }
   p->n_saved_fns = nf;
   for (i = 0; i < ne; i++) {
      GpEdge* e = gp_edge_by_index(i);
      e->calls = e->incl = 0;
   }
   p->total_ir = 0;
   gp_wmap_init(&on_path, GP_CC("an.focus"), 64);
   for (c = t->root->first_child; c; c = c->next_sibling) {
      FocusStep q = { c, False, False };
      VG_(addToXA)(st, &q);
   }
   while (VG_(sizeXA)(st) > 0) {
      FocusStep s = *(FocusStep*)VG_(indexXA)(st, VG_(sizeXA)(st) - 1);
      GpNode* n = s.n;
      GpFn* fn = gp_node_fn(n);
      Bool is_focus = (fn->flags & GP_FN_FOCUS) != 0;
      VG_(dropTailXA)(st, 1);
      if (s.leave) {
         if (s.counted) {
            UWord* d = gp_wmap_find(&on_path, (UWord)fn);
            if (d && --(*d) == 0) gp_wmap_remove(&on_path, (UWord)fn);
         }
         if (is_focus) depth--;
         continue;
      }
      if (is_focus && depth == 0) {          /* an outermost focus node */
         VG_(addToXA)(roots, &n);
         p->total_ir += n->incl;
      } else if (depth > 0) {                /* called inside the focus */
         GpEdge* e = gp_edge_get(gp_node_fn(gp_node_parent(n)), fn);
         e->calls += n->calls;
         e->incl += n->incl;
      }
      if (is_focus) depth++;
      {
         FocusStep leave = { n, True, depth > 0 };
         if (depth > 0) {
            UWord* d = gp_wmap_insert(&on_path, (UWord)fn);
            fn->self += n->self;
            fn->calls += n->calls;
            if (*d == 0) fn->incl += n->incl;   /* outermost on this path */
            (*d)++;
         }
         VG_(addToXA)(st, &leave);
      }
      for (c = n->first_child; c; c = c->next_sibling) {
         FocusStep q = { c, False, False };
         VG_(addToXA)(st, &q);
      }
   }
   gp_wmap_free(&on_path);
   VG_(deleteXA)(st);
}

static void restore_focus(GpProfile* p)
{
   UInt i;
   if (!p->saved_fns) return;
   for (i = 0; i < p->n_saved_fns; i++) {
      GpFn* f = gp_fn_by_index(i);
      f->self = p->saved_fns[3 * i];
      f->incl = p->saved_fns[3 * i + 1];
      f->calls = p->saved_fns[3 * i + 2];
   }
   VG_(free)(p->saved_fns);
   p->saved_fns = NULL;
}

/* ---- the profile ------------------------------------------------------- */

GpProfile* gp_analyse(Bool final, const HChar* label)
{
   GpProfile* p = VG_(calloc)(GP_CC("an.prof"), 1, sizeof(GpProfile));
   UInt i, n;
   GpTree* tree;
   GpTree* merged = NULL;
   XArray* roots = VG_(newXA)(VG_(malloc), GP_CC("an.roots"), VG_(free), sizeof(GpNode*));

   p->command = gp_proc_command();
   p->pid = VG_(getpid)();
   p->ppid = VG_(getppid)();
   p->label = label;
   p->final = final;

   gp_code_harvest_all();

   /* threads and total */
   p->n_threads = gp_thread_count();
   p->threads = VG_(malloc)(GP_CC("an.thr"), (p->n_threads + 1) * sizeof(GpThread*));
   for (i = 0; i < p->n_threads; i++) {
      GpThread* t = gp_thread_by_index(i);
      p->threads[i] = t;
      p->total_ir += t->accum;
      if (t->max_depth > p->max_stack_depth) p->max_stack_depth = t->max_depth;
   }

   /* The call paths shown: at exit every thread is in the global tree; a
      running process adds its live threads' trees. */
   tree = gp_cct_global();
   if (!final) {
      merged = gp_tree_new(False);
      gp_tree_merge(merged, gp_cct_global());
      for (i = 0; i < p->n_threads; i++)
         if (p->threads[i]->alive && p->threads[i]->tree)
            gp_tree_merge(merged, p->threads[i]->tree);
      tree = merged;
   }

   /* call graph: banked figures of ended threads plus live threads' links */
   gp_edge_begin_analysis();
   for (i = 0; i < p->n_threads; i++)
      if (p->threads[i]->alive && p->threads[i]->tree)
         gp_edge_add_tree(p->threads[i]->tree);

   if (gp_control_focus_active()) {
      apply_focus(p, tree, roots);
   } else {
      GpNode* c;
      for (c = tree->root->first_child; c; c = c->next_sibling)
         VG_(addToXA)(roots, &c);
   }

   /* call paths first: a function that only appears on a path (an open
      frame zeroed by GLPROF_ZERO_STATS) must still be in the table */
   n = gp_fn_count();
   for (i = 0; i < n; i++) gp_fn_by_index(i)->reported = False;
   flatten_paths(p, roots);
   for (i = 0; i < p->n_paths; i++) p->paths[i].fn->reported = True;

   /* functions: everything that ran, was called, or is on a path */
   p->fns = VG_(malloc)(GP_CC("an.fns"), (n + 1) * sizeof(GpFn*));
   for (i = 0; i < n; i++) {
      GpFn* f = gp_fn_by_index(i);
      f->reported = f->reported || f->self || f->incl || f->calls;
      if (f->reported) p->fns[p->n_fns++] = f;
      p->total_calls += f->calls;
   }
   VG_(ssort)(p->fns, p->n_fns, sizeof(GpFn*), fn_by_self);
   for (i = 0; i < p->n_fns; i++) p->fns[i]->out_id = i;
   p->fns_by_incl = VG_(malloc)(GP_CC("an.fns"), (p->n_fns + 1) * sizeof(GpFn*));
   VG_(memcpy)(p->fns_by_incl, p->fns, p->n_fns * sizeof(GpFn*));
   VG_(ssort)(p->fns_by_incl, p->n_fns, sizeof(GpFn*), fn_by_incl);

   n = gp_edge_count();
   p->edges = VG_(malloc)(GP_CC("an.edges"), (n + 1) * sizeof(GpEdge*));
   for (i = 0; i < n; i++) {
      GpEdge* e = gp_edge_by_index(i);
      if ((e->calls || e->incl) && e->caller->reported && e->callee->reported)
         p->edges[p->n_edges++] = e;
   }
   VG_(ssort)(p->edges, p->n_edges, sizeof(GpEdge*), edge_cmp);

   /* lines of reported functions (line counts are not kept per call path,
      so a focused profile has none) */
   n = gp_control_focus_active() ? 0 : gp_line_count();
   p->lines = VG_(malloc)(GP_CC("an.lines"), (n + 1) * sizeof(GpLine*));
   for (i = 0; i < n; i++) {
      GpLine* l = gp_line_by_index(i);
      if (l->ir && l->fn->reported) p->lines[p->n_lines++] = l;
   }
   VG_(ssort)(p->lines, p->n_lines, sizeof(GpLine*), line_cmp);

   VG_(deleteXA)(roots);
   if (merged) gp_tree_free(merged);

   /* The other concerns; the frames their stacks use are numbered last. */
   gp_frames_reset_marks();
   gp_heap_analyse(p);
   gp_io_analyse(p);
   gp_frames_number();
   gp_control_analyse(p);
   gp_findings_analyse(p);
   return p;
}

void gp_profile_free(GpProfile* p)
{
   gp_findings_free(p);
   gp_control_profile_free(p);
   restore_focus(p);
   gp_io_profile_free(p);
   gp_heap_profile_free(p);
   VG_(free)(p->threads);
   VG_(free)(p->fns);
   VG_(free)(p->fns_by_incl);
   VG_(free)(p->edges);
   VG_(free)(p->lines);
   VG_(free)(p->paths);
   VG_(free)(p);
}
