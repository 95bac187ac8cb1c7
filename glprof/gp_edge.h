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
   ULong  calls;
   ULong  incl;
   Addr   call_site;        /* first call site seen (return address - 1) */
   const HChar* site_file;  /* resolved lazily for writers */
   UInt   site_line;
};
typedef struct GpEdge GpEdge;

void    gp_edge_init(void);
GpEdge* gp_edge_get(GpFn* caller, GpFn* callee);
UInt    gp_edge_count(void);
GpEdge* gp_edge_by_index(UInt i);
void    gp_edge_zero(void);

#endif
