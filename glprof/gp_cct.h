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
   standalone link whose target is an ancestor (or the parent, at the cap). */
typedef struct GpLink {
   struct GpLink* hash_next;
   GpNode*        parent;
   GpFn*          fn;
   GpNode*        target;
} GpLink;

struct GpNode {
   GpLink   key;            /* key.parent = tree parent, key.target = self */
   GpNode*  first_child;
   GpNode*  next_sibling;
   ULong    self;           /* instructions executed with this path on top */
   ULong    incl;           /* instructions under outermost activations */
   ULong    calls;          /* times this path was entered */
   UInt     active;         /* activations on the thread's stack now */
   UInt     depth;          /* root = 0 */
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
} GpTree;

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

/* The node for calling fn from parent: an existing child or fold link, or a
   new child (possibly a fold).  Never NULL. */
GpNode* gp_tree_child(GpTree* t, GpNode* parent, GpFn* fn);

/* Adds src's figures into dst, path by path.  src is unchanged. */
void    gp_tree_merge(GpTree* dst, const GpTree* src);

/* Zeroes self/incl/calls everywhere (structure and active counts stay). */
void    gp_tree_zero(GpTree* t);

/* The global tree: all finished threads (and, at the end, all threads). */
GpTree* gp_cct_global(void);
void    gp_cct_init(void);
void    gp_cct_reset_global(void);

#endif
