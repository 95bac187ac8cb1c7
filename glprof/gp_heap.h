/* gp_heap.h -- heap tracking through Valgrind's replaced allocators: every
   block the client allocates (malloc & co., operator new/delete in all
   their forms, custom allocators annotated with VALGRIND_MALLOCLIKE_BLOCK),
   with totals as Memcheck counts them, the peak as DHAT measures it, per
   allocation site figures, growth and churn, and the leak check at exit.
   gp_heap_int.h is the concern's inside; this is what other files use. */

#ifndef GP_HEAP_H
#define GP_HEAP_H

#include "gp_tool.h"

typedef struct {
   ULong total_allocs;      /* successful allocations (a realloc counts) */
   ULong total_frees;       /* frees reaching the allocator, as Memcheck
                               counts them (a realloc counts; so do bad frees) */
   ULong total_bytes;       /* bytes requested by those allocations */
   ULong live_bytes, live_blocks;
   ULong peak_bytes, peak_blocks;
   ULong peak_time;         /* global instruction count at the peak */
   ULong invalid_frees;     /* frees of pointers that were not live blocks */
   ULong mismatched_frees;  /* blocks freed by the wrong family */
} GpHeapTotals;

extern GpHeapTotals gp_heap;

/* Registers the allocator hooks and the error kinds; must run in
   pre_clo_init (options are not known yet). */
void gp_heap_register(void);
/* post_clo_init */
void gp_heap_init(void);

/* Client requests that belong to the heap (called by the tool's
   client-request handler, gp_control.c); each returns False for a request
   that is not its own:
   - VALGRIND_MALLOCLIKE_BLOCK, FREELIKE_BLOCK, RESIZEINPLACE_BLOCK;
   - Memcheck's VALGRIND_DO_LEAK_CHECK, COUNT_LEAKS, COUNT_LEAK_BLOCKS. */
Bool gp_heap_client_request(ThreadId tid, UWord* arg, UWord* ret);
Bool gp_heap_memcheck_request(ThreadId tid, UWord* arg, UWord* ret);

/* Used by gp_control.c: zero the figures (live blocks stay), the vgdb
   "leak_check" command, and iteration marks (growth per iteration). */
void gp_heap_zero(void);
void gp_heap_leak_check_monitor(void);
void gp_heap_note_iteration(UInt index);

/* Called by gp_threads.c when a thread ends: the lowest stack address the
   leak check must scan for it (SP minus the redzone, or the entry of
   exit() -- see gp_leak.c). */
struct GpThread;
Addr gp_leak_exit_stack_lo(struct GpThread* t, ThreadId tid);

/* The analysed heap profile (gp_heap_analyse builds it, gp_heap_out.c
   reads it).  Defined in gp_heap_int.h. */
struct GpHeapProfile;

#endif
