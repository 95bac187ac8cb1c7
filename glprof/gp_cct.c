/* gp_cct.c -- calling-context trees (see gp_cct.h): lookup of a call path's
   node on every call, recursion folding and the path cap, and merging a
   thread's tree into the global one. */

#include "gp_cct.h"
#include "gp_util.h"
#include "gp_options.h"

GpCctStats gp_cct_stats;
static GpTree* global_tree;
static GpFn*   root_fn;

/* Both are heap pointers: mix them with one multiply (this runs on every
   call that misses the nodes' small caches). */
static inline UWord link_hash(const GpNode* parent, const GpFn* fn)
{
   UWord h = ((UWord)parent >> 4) ^ ((UWord)fn >> 3);
   h *= (UWord)0x9E3779B97F4A7C15ULL;
   return h ^ (h >> 29);
}

/* Nodes come from 64-byte aligned slots (see GpNode), carved from large
   chunks; freed nodes wait on a free list for the next tree. */
#define NODE_SLOT   128
#define NODE_CHUNK  512             /* slots per chunk */
STATIC_ASSERT(sizeof(GpNode) <= NODE_SLOT);
STATIC_ASSERT(__builtin_offsetof(GpNode, key) + __builtin_offsetof(GpLink, incl)
              + sizeof(ULong) <= 64);
static GpNode* free_nodes;          /* linked through first_child */
static UChar*  chunk_next;          /* next unused slot ... */
static UChar*  chunk_end;           /* ... and the end of its chunk */

static GpNode* node_alloc(void)
{
   GpNode* n = free_nodes;
   if (n) {
      free_nodes = n->first_child;
   } else {
      if (chunk_next == chunk_end) {
         /* never given back: the free list reuses it */
         UChar* c = VG_(malloc)(GP_CC("cct.nodes"), NODE_CHUNK * NODE_SLOT + 63);
         chunk_next = (UChar*)(((Addr)c + 63) & ~(Addr)63);
         chunk_end = chunk_next + NODE_CHUNK * NODE_SLOT;
      }
      n = (GpNode*)chunk_next;
      chunk_next += NODE_SLOT;
   }
   VG_(memset)(n, 0, sizeof(GpNode));
   return n;
}

static void node_free(GpNode* n)
{
   n->first_child = free_nodes;
   free_nodes = n;
}

static GpNode* node_new(GpTree* t, GpNode* parent, GpFn* fn)
{
   GpNode* n = node_alloc();
   n->key.parent = parent;
   n->key.fn = fn;
   n->key.target = n;
   n->depth = parent ? parent->depth + 1 : 0;
   if (parent) {
      n->next_sibling = parent->first_child;
      parent->first_child = n;
   }
   t->n_nodes++;
   gp_cct_stats.live_nodes++;
   if (gp_cct_stats.live_nodes > gp_cct_stats.peak_nodes)
      gp_cct_stats.peak_nodes = gp_cct_stats.live_nodes;
   return n;
}

GpTree* gp_tree_new(Bool folds)
{
   GpTree* t = VG_(calloc)(GP_CC("cct.tree"), 1, sizeof(GpTree));
   t->mask = 255;
   t->tab = VG_(calloc)(GP_CC("cct.tab"), t->mask + 1, sizeof(GpLink*));
   t->folds = folds;
   t->root = node_new(t, NULL, root_fn);
   return t;
}

static void tab_grow(GpTree* t)
{
   UWord ncap = (t->mask + 1) * 2, i;
   GpLink** nt = VG_(calloc)(GP_CC("cct.tab"), ncap, sizeof(GpLink*));
   for (i = 0; i <= t->mask; i++) {
      GpLink* l = t->tab[i];
      while (l) {
         GpLink* nx = l->hash_next;
         UWord h = link_hash(l->parent, l->fn) & (ncap - 1);
         l->hash_next = nt[h];
         nt[h] = l;
         l = nx;
      }
   }
   VG_(free)(t->tab);
   t->tab = nt;
   t->mask = ncap - 1;
}

static void tab_add(GpTree* t, GpLink* l)
{
   UWord h;
   if (t->n_links >= t->mask) tab_grow(t);
   h = link_hash(l->parent, l->fn) & t->mask;
   l->hash_next = t->tab[h];
   t->tab[h] = l;
   t->n_links++;
}

static GpLink* tab_find(const GpTree* t, const GpNode* parent, const GpFn* fn)
{
   GpLink* l = t->tab[link_hash(parent, fn) & t->mask];
   for (; l; l = l->hash_next)
      if (l->parent == parent && l->fn == fn) return l;
   return NULL;
}

static GpLink* add_fold_link(GpTree* t, GpNode* parent, GpFn* fn,
                             GpNode* target)
{
   GpLink* l = VG_(malloc)(GP_CC("cct.link"), sizeof(GpLink));
   l->parent = parent;
   l->fn = fn;
   l->target = target;
   l->edge = NULL;
   l->calls = l->incl = 0;
   tab_add(t, l);
   return l;
}

GpLink* gp_tree_link_slow(GpTree* t, GpNode* parent, GpFn* fn)
{
   GpLink* l = tab_find(t, parent, fn);
   GpNode* n;
   if (GP_LIKELY(l != NULL)) return l;

   if (t->folds) {
      /* Recursion: keep --fold-recursion levels of fn on one path apart;
         a deeper call reuses the deepest kept level.  Only done when a
         path is first seen, so the walk up costs nothing later. */
      UInt seen = 0;
      GpNode* a;
      GpNode* nearest = NULL;
      if (!t->owner || gp_cs_fn_active(t->owner, fn)) {
         for (a = parent; a; a = gp_node_parent(a)) {
            if (gp_node_fn(a) == fn) {
               if (!nearest) nearest = a;
               seen++;
            }
         }
      }
      if (nearest && seen >= gp_clo.fold_recursion) {
         gp_cct_stats.recursion_folds++;
         return add_fold_link(t, parent, fn, nearest);
      }
      if (gp_cct_stats.live_nodes >= gp_clo.max_call_paths) {
         gp_cct_stats.cap_folds++;
         return add_fold_link(t, parent, fn, parent);
      }
   }
   n = node_new(t, parent, fn);
   tab_add(t, &n->key);
   return &n->key;
}

void gp_tree_free(GpTree* t)
{
   UWord i;
   for (i = 0; i <= t->mask; i++) {
      GpLink* l = t->tab[i];
      while (l) {
         GpLink* nx = l->hash_next;
         if (l != &l->target->key) VG_(free)(l);   /* fold link */
         l = nx;
      }
   }
   /* Nodes: free via an explicit stack (trees can be deep). */
   {
      XArray* st = VG_(newXA)(VG_(malloc), GP_CC("cct.tmp"), VG_(free),
                              sizeof(GpNode*));
      VG_(addToXA)(st, &t->root);
      while (VG_(sizeXA)(st) > 0) {
         GpNode* n = *(GpNode**)VG_(indexXA)(st, VG_(sizeXA)(st) - 1);
         GpNode* c;
         VG_(dropTailXA)(st, 1);
         for (c = n->first_child; c; c = c->next_sibling)
            VG_(addToXA)(st, &c);
         node_free(n);
         gp_cct_stats.live_nodes--;
      }
      VG_(deleteXA)(st);
   }
   VG_(free)(t->tab);
   VG_(free)(t);
}

/* Merge: walk src's real nodes depth-first with an explicit stack of
   (src node, dst node) pairs. */
typedef struct { const GpNode* s; GpNode* d; } MergePair;

void gp_tree_merge(GpTree* dst, const GpTree* src)
{
   XArray* st = VG_(newXA)(VG_(malloc), GP_CC("cct.tmp"), VG_(free),
                           sizeof(MergePair));
   MergePair p = { src->root, dst->root };
   VG_(addToXA)(st, &p);
   while (VG_(sizeXA)(st) > 0) {
      MergePair top = *(MergePair*)VG_(indexXA)(st, VG_(sizeXA)(st) - 1);
      const GpNode* c;
      VG_(dropTailXA)(st, 1);
      top.d->self += top.s->self;
      top.d->incl += top.s->incl;
      top.d->calls += top.s->calls;
      for (c = top.s->first_child; c; c = c->next_sibling) {
         GpLink* l = tab_find(dst, top.d, gp_node_fn(c));
         GpNode* dn;
         if (l) {
            dn = l->target;
         } else {
            dn = node_new(dst, top.d, gp_node_fn(c));
            tab_add(dst, &dn->key);
         }
         {
            MergePair q = { c, dn };
            VG_(addToXA)(st, &q);
         }
      }
   }
   VG_(deleteXA)(st);
}

void gp_tree_for_links(const GpTree* t, void (*f)(const GpLink*, void*),
                       void* opaque)
{
   UWord i;
   for (i = 0; i <= t->mask; i++) {
      const GpLink* l;
      for (l = t->tab[i]; l; l = l->hash_next)
         if (l->parent != t->root) f(l, opaque);
   }
}

static void zero_link(const GpLink* l, void* unused)
{
   ((GpLink*)l)->calls = ((GpLink*)l)->incl = 0;
}

void gp_tree_zero(GpTree* t)
{
   gp_tree_for_links(t, zero_link, NULL);
   XArray* st = VG_(newXA)(VG_(malloc), GP_CC("cct.tmp"), VG_(free),
                           sizeof(GpNode*));
   VG_(addToXA)(st, &t->root);
   while (VG_(sizeXA)(st) > 0) {
      GpNode* n = *(GpNode**)VG_(indexXA)(st, VG_(sizeXA)(st) - 1);
      GpNode* c;
      VG_(dropTailXA)(st, 1);
      n->self = n->incl = n->calls = 0;
      for (c = n->first_child; c; c = c->next_sibling)
         VG_(addToXA)(st, &c);
   }
   VG_(deleteXA)(st);
}

void gp_cct_init(void)
{
   root_fn = gp_fn_pseudo("(root)");
   global_tree = gp_tree_new(False);
}

GpTree* gp_cct_global(void) { return global_tree; }

void gp_cct_reset_global(void)
{
   gp_tree_free(global_tree);
   global_tree = gp_tree_new(False);
}
