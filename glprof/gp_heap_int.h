/* gp_heap_int.h -- what the heap concern's files share with each other
   (gp_heap.c, gp_heap_store.c, gp_leak.c, gp_heap_errors.c,
   gp_heap_out.c) and nobody else: the block store, allocation sites, the
   heap options, the leak check's results and the error kinds.

   Layers, bottom up:
     gp_heap_store.c  where client blocks live and their per-block record
                      (size, site, birth time, allocation kind);
     gp_heap.c        the allocator hooks, sites, totals, peak, growth,
                      churn, options and the analysis;
     gp_leak.c        the leak check at exit (Memcheck's algorithm);
     gp_heap_errors.c invalid/mismatched frees and leaks as Valgrind errors;
     gp_heap_out.c    the JSON sections and the report text. */

#ifndef GP_HEAP_INT_H
#define GP_HEAP_INT_H

#include "gp_heap.h"
#include "gp_frames.h"

/* ---- allocation kinds -------------------------------------------------
   Which family allocated a block; freeing it with another family is a
   mismatch (as Memcheck reports it).  Aligned new is new. */
enum {
   GP_AK_MALLOC = 0,      /* malloc, calloc, realloc, memalign & co. */
   GP_AK_NEW    = 1,      /* operator new */
   GP_AK_NEWVEC = 2,      /* operator new[] */
   GP_AK_CUSTOM = 3       /* VALGRIND_MALLOCLIKE_BLOCK: memory the client owns */
};
const HChar* gp_heap_alloc_fn_name(UInt kind);    /* "malloc", "new" ... */
const HChar* gp_heap_free_fn_name(UInt kind);     /* "free", "delete" ... */

/* ---- the block store (gp_heap_store.c) --------------------------------
   Small blocks (up to GP_SMALL_MAX bytes, default alignment) live in
   64 KiB runs of equal-sized slots carved from the client heap; each slot
   has a 16-byte record in tool memory.  Everything else (big or
   over-aligned blocks, custom blocks) is a "large" block with its own
   record in a table keyed by address.  A block is named by a GpBlk
   handle, valid until the block is freed. */

#define GP_SMALL_MAX   8192

/* A block's record.  site == 0 means "no block here". */
typedef struct {
   UInt  size;            /* requested bytes (small blocks) */
   UInt  site;            /* GpSite index, 0 for a free slot */
   ULong born_kind;       /* allocation time (gp_icount) << 2 | kind */
} GpSlot;

typedef struct {
   GpSlot s;
   Addr   payload;
   SizeT  size;           /* requested bytes (overrides s.size) */
} GpLarge;

typedef struct {
   Addr    payload;
   SizeT   size;
   GpSlot* rec;           /* the block's record (site, born_kind) */
   void*   run;           /* small: its GpRun; large: NULL */
   UInt    slot;          /* small: slot index; large: index in the table */
} GpBlk;

/* Allocates n bytes (align <= 16 for the small path) from the client heap;
   fills *b.  Returns False if the client heap is exhausted. */
Bool  gp_store_alloc(SizeT n, SizeT align, GpBlk* b);
/* Registers client-owned memory as a block (MALLOCLIKE). */
void  gp_store_add_custom(Addr p, SizeT n, GpBlk* b);
/* The live block starting exactly at p.  A custom block may start where
   the malloc'd block holding it starts: custom_first says which wins. */
Bool  gp_store_find(Addr p, GpBlk* b, Bool custom_first);
/* The live block containing p (start or interior; a 0-byte block contains
   its own address), for error descriptions. */
Bool  gp_store_find_containing(Addr p, GpBlk* b);
/* Forgets b; release: give its memory back for reuse (False for memory
   the client owns: custom blocks, or a block it declared freed with
   FREELIKE). */
void  gp_store_free(GpBlk* b, Bool release);
/* Can b change its size to n without moving (same slot class)? */
Bool  gp_store_resize_in_place(GpBlk* b, SizeT n);
/* Zeroes [p, p+n) of a new block: small ranges are cleared, big ones are
   handed back to the kernel (reads give zeros, no memory is touched). */
void  gp_store_zero(Addr p, SizeT n);
/* The same for memory that is not a block: exactly [p, p+n). */
void  gp_zero_exact(Addr p, SizeT n);
/* Tool memory used by the store (records, run table, index). */
ULong gp_store_tool_bytes(void);
ULong gp_store_client_bytes(void);   /* client heap obtained for blocks */
void  gp_store_init(void);

/* Iteration over live blocks, in address order within each run (order
   across runs is the store's): calls f for each; stops if f returns False. */
void  gp_store_for_each(Bool (*f)(const GpBlk* b, void* opaque), void* opaque);
ULong gp_store_live_count(void);

/* ---- leak-check view of the store -------------------------------------
   Dense block numbers over every slot of every run, then the large blocks
   sorted by address; gp_leak.c keeps its per-block state in arrays indexed
   by them.  Valid until the next allocation or free. */
typedef struct {
   UInt  n_ids;           /* slots + large blocks */
   Addr  lo, hi;          /* every block lies in [lo, hi) */
} GpStoreIndex;
void  gp_store_index_build(GpStoreIndex* ix);
void  gp_store_index_free(GpStoreIndex* ix);
/* The live block containing ptr (a 0-byte block contains its address),
   or -1.  Custom blocks win over the malloc'd block that holds them (as
   Memcheck does, the holder is not a block for the leak check). */
Int   gp_store_index_lookup(const GpStoreIndex* ix, Addr ptr,
                            Addr* payload, SizeT* size);
/* Every block of the index, in id order (holders of custom blocks left
   out). */
void  gp_store_index_each(const GpStoreIndex* ix,
                          void (*f)(UInt id, const GpBlk* b, void* opaque),
                          void* opaque);
/* Custom blocks may lie in memory the client unmaps: scan them carefully. */
Bool  gp_store_index_is_custom(const GpStoreIndex* ix, UInt id);
/* Block id -> its address, size and record; False for a free slot (or an
   ignored holder of custom blocks). */
Bool  gp_store_index_block(const GpStoreIndex* ix, UInt id, GpBlk* b);

/* ---- allocation sites (gp_heap.c) ------------------------------------- */

typedef struct GpSite {
   UInt        index;          /* 1-based (0 = no site) */
   GpStack*    full;           /* = stack (kept for readers of older code) */
   GpStack*    stack;          /* the call stack, without the allocator's
                                  frames and the frames below main */
   const HChar* alloc_fn;      /* the allocator function reached ("malloc") */
   ExeContext* ec;             /* for error reports, made when first needed */
   const Addr* ips;            /* the first IP vector seen for this site */
   UInt        n_ips;

   ULong allocs, bytes;        /* totals */
   ULong frees, freed_bytes;
   ULong live_blocks, live_bytes;
   ULong max_live_bytes, max_live_blocks;
   ULong peak_bytes, peak_blocks;   /* at the global peak (lazy snapshot) */
   ULong lifetime_sum;         /* instructions, over freed blocks */
   ULong short_lived;          /* freed within --short-lived instructions */

   /* live bytes as a function of time, integrated since the first
      allocation (t0), for the growth fit: sums of y, t*y and y*y over
      time, t relative to t0. */
   ULong  g_t0, g_tl;
   double g_y, g_ty, g_yy;
   /* live bytes at each GLPROF_ITERATION mark since the site's first
      allocation: least-squares sums over (mark number, live bytes) */
   UInt   it_last;             /* marks folded in so far */
   double it_n, it_x, it_xx, it_y, it_xy, it_yy;

   struct GpSite* next_dirty;  /* changed since the last peak snapshot */
   struct GpSite* site_next;   /* in its hash chain (gp_heap.c) */
   Bool        dirty;
} GpSite;

GpSite*  gp_site_by_index(UInt i);    /* i >= 1 */
UInt     gp_site_count(void);         /* highest index */
ExeContext* gp_site_ec(GpSite* s);

/* ---- options ------------------------------------------------------------ */

enum { GP_LC_OFF = 0, GP_LC_SUMMARY = 1, GP_LC_FULL = 2 };

/* leak kinds as Memcheck numbers them (bit positions in the kind sets) */
enum { GP_LK_REACHABLE = 0, GP_LK_POSSIBLE = 1, GP_LK_INDIRECT = 2,
       GP_LK_DEFINITE = 3, GP_LK_N = 4 };
#define GP_LK_BIT(k) (1u << (k))

/* heuristics, as Memcheck numbers them (0 = none) */
enum { GP_LH_NONE = 0, GP_LH_STDSTRING = 1, GP_LH_LENGTH64 = 2,
       GP_LH_NEWARRAY = 3, GP_LH_MULTIPLEINHERITANCE = 4, GP_LH_N = 5 };
#define GP_LH_BIT(h) (1u << (h))

typedef struct {
   UInt  leak_check;           /* GP_LC_* */
   UInt  show_kinds;           /* GP_LK_BIT set */
   UInt  error_kinds;          /* GP_LK_BIT set */
   UInt  heuristics;           /* GP_LH_BIT set */
   Bool  show_mismatched;      /* --show-mismatched-frees */
   ULong short_lived;          /* --short-lived (instructions) */
   ULong churn_min_blocks;     /* --churn-min-blocks */
   UInt  churn_min_pct;        /* --churn-min-share (percent of frees) */
   ULong growth_min_bytes;     /* --growth-min-bytes */
   ULong growth_min_steps;     /* --growth-min-steps (allocations) */
   UInt  growth_min_fit;       /* --growth-min-fit (r2 x 1000) */
} GpHeapOptions;

extern GpHeapOptions gp_heap_clo;

/* ---- the leak check (gp_leak.c) ----------------------------------------- */

typedef struct {
   ULong bytes, blocks;
} GpBB;

typedef struct GpLeakRecord {
   UInt     kind;              /* GP_LK_* */
   GpSite*  site;
   ULong    blocks;
   ULong    bytes;             /* direct */
   ULong    indirect_bytes;    /* blocks reached only through these */
   Bool     suppressed;
   Bool     shown;             /* printed as a Valgrind error */
   UInt     number, of;        /* "loss record N of M" (1 = largest) */
} GpLeakRecord;

typedef struct {
   Bool   done;                /* a leak check ran */
   GpBB   kind[GP_LK_N];       /* not suppressed */
   GpBB   suppressed;
   GpBB   heuristic[GP_LH_N];  /* still reachable only via a heuristic */
   UInt   n_records;
   GpLeakRecord* records;      /* largest first */
   ULong  scanned_bytes;
   ULong  skipped_bytes;       /* unreadable, skipped */
} GpLeakResult;

/* Runs the leak check over the live blocks now.  tid_for_errors: the
   thread to charge errors to; report_errors: at exit, pass the records to
   the error manager (suppressions, --error-exitcode, --xml). */
void gp_leak_check(GpLeakResult* r, Bool report_errors);
void gp_leak_result_free(GpLeakResult* r);
const HChar* gp_leak_kind_name(UInt kind);   /* "definitely lost" ... */
const HChar* gp_leak_kind_word(UInt kind);   /* "definite" ... */
const HChar* gp_leak_heuristic_name(UInt h);

/* ---- the analysed profile (gp_heap.c builds it, gp_heap_out.c reads it) -- */

typedef struct {
   Bool   flagged;
   ULong  rise;              /* bytes gained over the window (fitted line) */
   Bool   per_iteration;     /* steps are GLPROF_ITERATION marks */
   ULong  bytes_per_step;    /* rise / steps */
   ULong  steps;             /* allocations of the site, or marks */
   UInt   r2;                /* fit quality x 1000 */
   ULong  from;              /* window start: the site's first allocation */
} GpGrowth;

typedef struct GpHeapProfile {
   GpHeapTotals t;
   UInt      n_sites;
   GpSite**  sites;          /* by bytes desc, then stack */
   GpSite**  by_peak;        /* by bytes at the global peak */
   GpSite**  by_live;        /* by live bytes at the end */
   GpGrowth* growth;         /* indexed by GpSite.index */
   Bool*     churn;          /* indexed by GpSite.index */
   UInt      n_growth, n_churn;
   GpLeakResult leaks;
   ULong     tool_bytes;     /* the concern's own memory (store + sites) */
   ULong     store_bytes;    /* of which block records and index */
   ULong     client_bytes;   /* client heap held for blocks */
} GpHeapProfile;

/* Deterministic orders (frames by name, file, line, object). */
Int gp_heap_stack_cmp(const GpStack* a, const GpStack* b);
Int gp_heap_site_cmp(const GpSite* a, const GpSite* b);

/* ---- errors (gp_heap_errors.c) ------------------------------------------ */

void gp_heap_errors_register(void);
/* A free/delete/realloc of p that is not a live block. */
void gp_err_invalid_free(ThreadId tid, Addr p, UInt free_kind);
/* A block freed by the wrong family. */
void gp_err_mismatched_free(ThreadId tid, const GpBlk* b, UInt free_kind);
/* A sized deallocation whose size is not the block's (Valgrind >= 3.22
   tells the tool the size given to sized delete / free_sized). */
void gp_err_size_mismatch(ThreadId tid, const GpBlk* b, SizeT size,
                          const HChar* fns);
/* A loss record: returns True if a suppression matched. */
Bool gp_err_leak(GpLeakRecord* lr, Bool print, Bool count);

/* Recently freed blocks, to describe a double free. */
typedef struct { Addr payload; SizeT size; UInt site; } GpFreedRec;
Bool gp_heap_recently_freed(Addr p, GpFreedRec* out);

/* Bad frees per call stack, for the profile. */
typedef struct GpBadFree {
   GpStack* stack;              /* where the bad free was called */
   UInt     kind;               /* 0 invalid, 1 mismatched */
   ULong    count;
} GpBadFree;
void gp_heap_note_bad_free(ThreadId tid, UInt kind);
UInt gp_heap_bad_free_count(void);
GpBadFree* gp_heap_bad_free(UInt i);

/* The allocation stack of the running thread, as IPs (innermost first). */
UInt gp_heap_stack_ips(ThreadId tid, Addr* ips, UInt max);

#endif
