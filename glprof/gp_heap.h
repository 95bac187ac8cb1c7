/* gp_heap.h -- heap tracking through Valgrind's replaced allocators: every
   block the client allocates, with totals, peak and (see gp_heap.c) its
   allocation site. */

#ifndef GP_HEAP_H
#define GP_HEAP_H

#include "gp_tool.h"

typedef struct {
   ULong total_allocs;      /* successful allocations (realloc counts) */
   ULong total_frees;
   ULong total_bytes;       /* bytes requested by those allocations */
   ULong live_bytes, live_blocks;
   ULong peak_bytes, peak_blocks;
   ULong peak_time;         /* global instruction count at the peak */
   ULong invalid_frees;
} GpHeapTotals;

extern GpHeapTotals gp_heap;

/* Registers the allocator hooks; must run in pre_clo_init. */
void gp_heap_register(void);
void gp_heap_init(void);

#endif
