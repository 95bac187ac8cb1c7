/* gp_heap.c -- the replaced allocators' tool side: allocate from Valgrind's
   client arena, keep a table of live blocks, and account totals and the
   peak.  Runs on the real CPU inside the core, holding the big lock. */

#include "gp_heap.h"
#include "gp_options.h"
#include "gp_profile.h"
#include "gp_util.h"
#include "gp_options.h"
#include "gp_profile.h"

GpHeapTotals gp_heap;

typedef struct Block {
   struct Block* next;       /* VgHashNode layout: next, key */
   Addr          payload;
   SizeT         size;
} Block;

static VgHashTable* blocks;

void gp_heap_init(void)
{
   blocks = VG_(HT_construct)("gp.heap.blocks");
}

static void* new_block(ThreadId tid, SizeT n, SizeT align, Bool zero)
{
   Block* b;
   void* p;
   if ((SSizeT)n < 0) return NULL;
   p = VG_(cli_malloc)(align, n);
   if (!p) return NULL;
   if (zero) VG_(memset)(p, 0, n);
   b = VG_(malloc)(GP_CC("heap.block"), sizeof(Block));
   b->payload = (Addr)p;
   b->size = n;
   VG_(HT_add_node)(blocks, b);
   gp_heap.total_allocs++;
   gp_heap.total_bytes += n;
   gp_heap.live_blocks++;
   gp_heap.live_bytes += n;
   if (gp_heap.live_bytes > gp_heap.peak_bytes) {
      gp_heap.peak_bytes = gp_heap.live_bytes;
      gp_heap.peak_blocks = gp_heap.live_blocks;
      gp_heap.peak_time = gp_icount;
   }
   return p;
}

static void die_block(ThreadId tid, void* p)
{
   Block* b = VG_(HT_remove)(blocks, (UWord)p);
   if (!b) {
      gp_heap.invalid_frees++;
      return;
   }
   gp_heap.total_frees++;
   gp_heap.live_blocks--;
   gp_heap.live_bytes -= b->size;
   VG_(cli_free)(p);
   VG_(free)(b);
}

static void* h_malloc(ThreadId tid, SizeT n)
{ return new_block(tid, n, VG_(clo_alignment), False); }
static void* h_calloc(ThreadId tid, SizeT m, SizeT n)
{ return new_block(tid, m * n, VG_(clo_alignment), True); }
#if defined(GP_VG_MALLOC_ORIG_ALIGN)
static void* h_memalign(ThreadId tid, SizeT align, SizeT orig, SizeT n)
{ return new_block(tid, n, align, False); }
static void* h_new_aligned(ThreadId tid, SizeT n, SizeT align, SizeT orig)
{ return new_block(tid, n, align, False); }
#else
static void* h_memalign(ThreadId tid, SizeT align, SizeT n)
{ return new_block(tid, n, align, False); }
static void* h_new_aligned(ThreadId tid, SizeT n, SizeT align)
{ return new_block(tid, n, align, False); }
#endif
static void h_free(ThreadId tid, void* p) { die_block(tid, p); }
static void h_free_aligned(ThreadId tid, void* p, SizeT align) { die_block(tid, p); }

static void* h_realloc(ThreadId tid, void* p, SizeT n)
{
   Block* b;
   void* q;
   if (p == NULL) return h_malloc(tid, n);
   b = VG_(HT_lookup)(blocks, (UWord)p);
   if (!b) {
      gp_heap.invalid_frees++;
      return NULL;
   }
   q = new_block(tid, n, VG_(clo_alignment), False);
   if (!q) return NULL;
   VG_(memcpy)(q, p, b->size < n ? b->size : n);
   die_block(tid, p);
   return q;
}

static SizeT h_usable_size(ThreadId tid, void* p)
{
   Block* b = VG_(HT_lookup)(blocks, (UWord)p);
   return b ? b->size : 0;
}

void gp_heap_register(void)
{
   VG_(needs_malloc_replacement)(h_malloc, h_malloc, h_new_aligned,
                                 h_malloc, h_new_aligned, h_memalign,
                                 h_calloc, h_free, h_free, h_free_aligned,
                                 h_free, h_free_aligned, h_realloc,
                                 h_usable_size, 0);
}

/* ---- options -------------------------------------------------------------- */

Bool gp_heap_option(const HChar* arg)
{
   return False;
}

void gp_heap_usage(void)
{
}

/* ---- analysis ----------------------------------------------------------- */

void gp_heap_analyse(GpProfile* p)
{
}

void gp_heap_profile_free(GpProfile* p)
{
}
