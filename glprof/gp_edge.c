/* gp_edge.c -- the function-level call graph (see gp_edge.h): a hash of
   (caller, callee) edges updated on every call and return. */

#include "gp_edge.h"
#include "gp_util.h"
#include "gp_cct.h"

static GpEdge** tab;
static UWord    mask;
static XArray*  all;       /* GpEdge*, creation order */

void gp_edge_init(void)
{
   mask = 4095;
   tab = VG_(calloc)(GP_CC("edge.tab"), mask + 1, sizeof(GpEdge*));
   all = VG_(newXA)(VG_(malloc), GP_CC("edge.all"), VG_(free), sizeof(GpEdge*));
}

static UWord edge_hash(const GpFn* a, const GpFn* b)
{
   return gp_hash2((UWord)a, (UWord)b);
}

static void grow(void)
{
   UWord ncap = (mask + 1) * 2, i;
   GpEdge** nt = VG_(calloc)(GP_CC("edge.tab"), ncap, sizeof(GpEdge*));
   for (i = 0; i <= mask; i++) {
      GpEdge* e = tab[i];
      while (e) {
         GpEdge* nx = e->hash_next;
         UWord h = edge_hash(e->caller, e->callee) & (ncap - 1);
         e->hash_next = nt[h];
         nt[h] = e;
         e = nx;
      }
   }
   VG_(free)(tab);
   tab = nt;
   mask = ncap - 1;
}

GpEdge* gp_edge_get(GpFn* caller, GpFn* callee)
{
   UWord h = edge_hash(caller, callee) & mask;
   GpEdge* e;
   for (e = tab[h]; e; e = e->hash_next)
      if (e->caller == caller && e->callee == callee) return e;
   if ((UWord)VG_(sizeXA)(all) > mask) {
      grow();
      h = edge_hash(caller, callee) & mask;
   }
   e = VG_(calloc)(GP_CC("edge.edge"), 1, sizeof(GpEdge));
   e->caller = caller;
   e->callee = callee;
   e->hash_next = tab[h];
   tab[h] = e;
   VG_(addToXA)(all, &e);
   return e;
}

void gp_edge_set_site(GpEdge* e, Addr call_site)
{
   e->call_site = call_site;
   e->site_file = gp_src_at(call_site, &e->site_line);
}

UInt gp_edge_count(void) { return all ? (UInt)VG_(sizeXA)(all) : 0; }

GpEdge* gp_edge_by_index(UInt i) { return *(GpEdge**)VG_(indexXA)(all, i); }

void gp_edge_zero(void)
{
   UInt i, n = gp_edge_count();
   for (i = 0; i < n; i++) {
      GpEdge* e = gp_edge_by_index(i);
      e->calls = e->incl = e->retired_calls = e->retired_incl = 0;
   }
}

static void bank_link(const GpLink* l, void* unused)
{
   if (l->edge) {
      l->edge->retired_calls += l->calls;
      l->edge->retired_incl += l->incl;
   }
}

static void add_link(const GpLink* l, void* unused)
{
   if (l->edge) {
      l->edge->calls += l->calls;
      l->edge->incl += l->incl;
   }
}

void gp_edge_bank_tree(const GpTree* t) { gp_tree_for_links(t, bank_link, NULL); }
void gp_edge_add_tree(const GpTree* t)  { gp_tree_for_links(t, add_link, NULL); }

void gp_edge_begin_analysis(void)
{
   UInt i, n = gp_edge_count();
   for (i = 0; i < n; i++) {
      GpEdge* e = gp_edge_by_index(i);
      e->calls = e->retired_calls;
      e->incl = e->retired_incl;
   }
}
