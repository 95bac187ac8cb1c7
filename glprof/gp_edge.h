/* gp_edge.h -- the function-level call graph: one edge per (caller, callee)
   pair with its call count and the inclusive instructions of those calls
   (summed per call, as Callgrind's call arcs are, so recursive arcs count
   nested time again: use function inclusive costs for totals). */

#ifndef GP_EDGE_H
#define GP_EDGE_H

#include "gp_tool.h"
#include "gp_fn.h"

struct GpEdge {
   struct GpEdge* hash_next;
   GpFn*  caller;
   GpFn*  callee;
   ULong  calls;            /* figures as of the last analysis: */
   ULong  incl;             /*   retired threads + live threads' links */
   ULong  retired_calls;    /* from threads that have ended */
   ULong  retired_incl;
   Addr   call_site;        /* first call site seen (return address - 1) */
   const HChar* site_file;  /* its source file (NULL if unknown) and line, */
   UInt   site_line;        /* resolved at once: debug info can go (dlclose) */
};
typedef struct GpEdge GpEdge;

void    gp_edge_init(void);
GpEdge* gp_edge_get(GpFn* caller, GpFn* callee);
/* Records the edge's first call site (the call instruction's address). */
void    gp_edge_set_site(GpEdge* e, Addr call_site);
UInt    gp_edge_count(void);
GpEdge* gp_edge_by_index(UInt i);
void    gp_edge_zero(void);
/* Edges are sums over call-path links (gp_cct.h), which the call stack
   counts: a finished thread's links are banked as retired figures; an
   analysis adds the live threads' links on top. */
struct GpTree;
void    gp_edge_bank_tree(const struct GpTree* t);
void    gp_edge_begin_analysis(void);
void    gp_edge_add_tree(const struct GpTree* t);

#endif
