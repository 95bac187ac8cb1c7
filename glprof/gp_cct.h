/* gp_cct.h -- calling-context trees: one node per distinct call path from a
   thread's root, with the path's own self and inclusive instructions.  Each
   thread grows its own tree while it runs (no locking, exact "active"
   counts); a finished thread's tree is merged into the global tree, which
   the writers read (exact flame graphs).  Memory stays bounded: recursion
   deeper than --fold-recursion levels of one function folds onto the
   deepest kept level, and past --max-call-paths new paths fold into their
   caller (both are counted and reported). */

#ifndef GP_CCT_H
#define GP_CCT_H

#include "gp_tool.h"
#include "gp_fn.h"

typedef struct GpNode GpNode;

/* A (parent, fn) -> node link; real children embed one, folded calls get a
   standalone link whose target is an ancestor (or the parent, at the cap).
   The fields every call and return touch come first (see GpNode). */
typedef struct GpLink {
   GpFn*          fn;
   GpNode*        target;
   ULong          calls;    /* calls made through this link */
   ULong          incl;     /* instructions under them (summed per call) */
   struct GpEdge* edge;     /* the call-graph edge parent.fn -> fn, set by
                               the call stack on first use (NULL at roots) */
   GpNode*        parent;
   struct GpLink* hash_next;
} GpLink;

/* Nodes are 64-byte aligned (gp_cct.c) and laid out so that what a call
   and a return read and write -- the node's figures and the first half of
   its link -- is one cache line; the tree's structure is in the second.
   Call-dense programs touch thousands of nodes, so this halves the lines
   the call stack pulls in per call. */
struct GpNode {
   ULong    self;           /* instructions executed with this path on top */
   ULong    incl;           /* instructions under outermost activations */
   ULong    calls;          /* times this path was entered */
   UInt     active;         /* activations on the thread's stack now */
   UInt     depth;          /* root = 0 */
   GpLink   key;            /* key.parent = tree parent, key.target = self */
   GpNode*  first_child;
   GpNode*  next_sibling;
   GpLink*  hot[2];         /* the links last taken from here (most recent
                               first): call sites in a loop find their
                               callee without hashing */
};

#define gp_node_fn(n)     ((n)->key.fn)
#define gp_node_parent(n) ((n)->key.parent)

typedef struct GpTree {
   GpNode*  root;           /* pseudo node: the thread's (or run's) root */
   GpLink** tab;
   UWord    mask;
   UWord    n_links;
   UWord    n_nodes;
   Bool     folds;          /* fold recursion and cap (per-thread trees) */
   const struct GpThread* owner;  /* the thread whose stack the tree
                                     follows (per-thread trees), or NULL */
} GpTree;

/* Has fn an activation on thread t's shadow stack? (gp_callstack.c)  The
   nodes on the path to a thread's top frame are all functions active on
   its stack, so a new path needs no walk up looking for recursion when
   the callee is not active: a chain of a million distinct functions
   would otherwise cost a walk of its whole depth per call. */
Bool gp_cs_fn_active(const struct GpThread* t, const GpFn* fn);

/* Counters over all trees, for the report ("call paths folded ..."). */
typedef struct {
   ULong recursion_folds;   /* distinct (path, fn) folded onto an ancestor */
   ULong cap_folds;         /* distinct (path, fn) folded at the cap */
   UWord live_nodes;        /* nodes in all trees now */
   UWord peak_nodes;
} GpCctStats;
extern GpCctStats gp_cct_stats;

GpTree* gp_tree_new(Bool folds);
void    gp_tree_free(GpTree* t);

/* The link for calling fn from parent: an existing child or fold link, or
   a new child (possibly a fold).  Never NULL; link->target is the node. */
GpLink* gp_tree_link_slow(GpTree* t, GpNode* parent, GpFn* fn);
static inline GpLink* gp_tree_link(GpTree* t, GpNode* parent, GpFn* fn)
{
   GpLink* h = parent->hot[0];
   if (GP_LIKELY(h != NULL && h->fn == fn)) return h;
   h = parent->hot[1];
   if (!(h != NULL && h->fn == fn)) h = gp_tree_link_slow(t, parent, fn);
   parent->hot[1] = parent->hot[0];
   parent->hot[0] = h;
   return h;
}

/* Adds src's figures into dst, path by path.  src is unchanged. */
void    gp_tree_merge(GpTree* dst, const GpTree* src);

/* Calls f(link, opaque) for every link of t (real and folded) whose
   parent is not the root: the call-graph edges are sums over links. */
void    gp_tree_for_links(const GpTree* t, void (*f)(const GpLink*, void*),
                          void* opaque);

/* Zeroes self/incl/calls everywhere (structure and active counts stay). */
void    gp_tree_zero(GpTree* t);

/* The global tree: all finished threads (and, at the end, all threads). */
GpTree* gp_cct_global(void);
void    gp_cct_init(void);
void    gp_cct_reset_global(void);

#endif
