/* gp_heap_store.c -- where the client's heap blocks live, and their
   records.

   Why not just VG_(cli_malloc) per block, as Memcheck, DHAT and Massif do?
   Three reasons measured on malloc-heavy programs:
     - speed: Valgrind's arena costs about 60 ns per malloc+free and a
       free must first find the block in a hash table; a slot allocator
       with free lists costs a few ns and finds a block's record from its
       address with two loads;
     - memory: the arena adds 32 bytes of headers to every block, and a
       hash table of records costs 40-60 bytes per live block; here a small
       block costs 16 bytes of record and no header (the tool's own memory
       per live block is what bench/heap reports);
     - the leak check: finding the block a word points into is a page-map
       lookup and one multiplication instead of a binary search over every
       live block.

   Small blocks (<= GP_SMALL_MAX bytes, alignment <= 16) live in 64 KiB
   "runs", each holding equal-sized slots of one size class; runs are cut
   from 4 MiB "chunks" obtained with VG_(cli_malloc) (so they are client
   heap: aspacemgr marks their segments isCH and the leak check never scans
   them as roots).  A chunk whose runs are all free goes back to the arena.
   Each slot has a 16-byte record in tool memory (GpSlot); free slots are
   chained through their records, never through client memory, so no
   allocator pointer is ever left where the leak check could read it.

   Bigger or over-aligned blocks, and custom blocks (MALLOCLIKE), are
   "large": one record each, found by address in a hash map.

   All of this runs on the real CPU inside the core, holding the big lock:
   no locking is needed. */

#include "gp_heap_int.h"
#include "gp_util.h"
#include "pub_tool_vkiscnums.h"

/* ---- geometry ----------------------------------------------------------- */

#define RUN_SHIFT      16
#define RUN_BYTES      (1UL << RUN_SHIFT)
#define CHUNK_RUNS     64                          /* one bit each in a ULong */
#define CHUNK_BYTES    (RUN_BYTES * CHUNK_RUNS)    /* 4 MiB */

/* Size classes: 16-byte steps to 128, then four per doubling to 8 KiB.
   Every class is a multiple of 16, so every slot is 16-byte aligned (runs
   are 64 KiB aligned).  Internal waste is under 25% (12% on average for
   uniformly spread sizes); the arena's headers alone would cost more for
   blocks under 128 bytes. */
#define N_CLASSES 32
static const UInt class_size[N_CLASSES] = {
   16, 32, 48, 64, 80, 96, 112, 128,
   160, 192, 224, 256, 320, 384, 448, 512, 640, 768, 896, 1024,
   1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096, 5120, 6144, 7168, 8192 };
/* class of a size, by (size + 15) / 16 */
static UChar class_of16[GP_SMALL_MAX / 16 + 1];

typedef struct GpRun {
   Addr    base;
   UInt    cls;
   UInt    csize;
   UInt    magic;          /* slot = (offset * magic) >> 32, exact for
                              offsets < 64 KiB (see slot_of) */
   UInt    nslots;
   UInt    nlive;
   UInt    bump;           /* slots >= bump have never been used */
   UInt    free_head;      /* first free slot + 1, 0 = none; chained
                              through the free slots' 'size' fields */
   UInt    index;          /* position in all_runs */
   UInt    first_id;       /* leak-check block number of slot 0 */
   struct GpRun* next;     /* in its class's list of runs with free slots */
   struct GpRun* prev;
   Bool    on_list;
   struct GpChunk* chunk;
   GpSlot* slots;
} GpRun;

typedef struct GpChunk {
   Addr   base;            /* CHUNK_BYTES, RUN_BYTES aligned */
   void*  raw;             /* what VG_(cli_malloc) returned */
   ULong  free_runs;       /* bit i: run i is free */
   struct GpChunk* next;   /* in the list of chunks with free runs */
   struct GpChunk* prev;
   Bool   on_list;
} GpChunk;

typedef struct {
   GpRun* partial;         /* runs with at least one free slot */
} GpClass;

static GpClass   classes[N_CLASSES];
static GpChunk*  chunks_free;         /* chunks with at least one free run */
static GpWordMap run_map;             /* (run base >> RUN_SHIFT) -> GpRun* */
static GpRun**   all_runs;            /* live runs, dense */
static UInt      n_runs, cap_runs;
static ULong     n_chunks;

/* large blocks: records in pages that never move, found by address */
#define LARGE_PAGE 1024
static GpLarge** large_pages;
static UInt      n_large_pages;
static UInt      large_free_head;     /* free record index + 1 */
static UInt      large_used;          /* records handed out (high water) */
static UInt      n_large_live;
static UInt      n_custom_live;
static GpWordMap large_map;           /* payload -> record index + 1 */
static GpWordMap custom_map;          /* the same for custom blocks (one may
                                         start where its holder starts) */

static ULong     small_live;

static inline GpLarge* large_rec(UInt i)
{
   return &large_pages[i / LARGE_PAGE][i % LARGE_PAGE];
}

void gp_store_init(void)
{
   UInt c = 0, k;
   for (k = 0; k <= GP_SMALL_MAX / 16; k++) {
      UInt n = k * 16;
      while (class_size[c] < n) c++;
      class_of16[k] = (UChar)c;
   }
   gp_wmap_init(&run_map, GP_CC("heap.runmap"), 64);
   gp_wmap_init(&large_map, GP_CC("heap.largemap"), 64);
   gp_wmap_init(&custom_map, GP_CC("heap.custommap"), 16);
}

/* ---- chunks and runs ---------------------------------------------------- */

static void chunk_list_add(GpChunk* c)
{
   if (c->on_list) return;
   c->prev = NULL;
   c->next = chunks_free;
   if (chunks_free) chunks_free->prev = c;
   chunks_free = c;
   c->on_list = True;
}

static void chunk_list_remove(GpChunk* c)
{
   if (!c->on_list) return;
   if (c->prev) c->prev->next = c->next; else chunks_free = c->next;
   if (c->next) c->next->prev = c->prev;
   c->on_list = False;
}

static GpChunk* chunk_new(void)
{
   GpChunk* c;
   void* raw = VG_(cli_malloc)(RUN_BYTES, CHUNK_BYTES);
   if (!raw) return NULL;
   c = VG_(malloc)(GP_CC("heap.chunk"), sizeof(GpChunk));
   c->raw = raw;
   c->base = (Addr)raw;
   gp_assert((c->base & (RUN_BYTES - 1)) == 0);
   c->free_runs = ~0ULL;
   c->on_list = False;
   chunk_list_add(c);
   n_chunks++;
   return c;
}

/* A free 64 KiB run, from the chunk with free runs seen first. */
static Addr run_memory(GpChunk** owner)
{
   GpChunk* c = chunks_free;
   UInt i;
   if (!c && !(c = chunk_new())) return 0;
   i = (UInt)__builtin_ctzll(c->free_runs);
   c->free_runs &= ~(1ULL << i);
   if (c->free_runs == 0) chunk_list_remove(c);
   *owner = c;
   return c->base + (Addr)i * RUN_BYTES;
}

static void run_memory_release(GpChunk* c, Addr base)
{
   UInt i = (UInt)((base - c->base) >> RUN_SHIFT);
   c->free_runs |= 1ULL << i;
   if (c->free_runs == ~0ULL && (c->on_list ? c->next || c->prev : chunks_free != NULL)) {
      /* Entirely free and another chunk has free runs: give it back. */
      chunk_list_remove(c);
      VG_(cli_free)(c->raw);
      VG_(free)(c);
      n_chunks--;
      return;
   }
   chunk_list_add(c);
}

static void class_list_add(GpClass* k, GpRun* r)
{
   if (r->on_list) return;
   r->prev = NULL;
   r->next = k->partial;
   if (k->partial) k->partial->prev = r;
   k->partial = r;
   r->on_list = True;
}

static void class_list_remove(GpClass* k, GpRun* r)
{
   if (!r->on_list) return;
   if (r->prev) r->prev->next = r->next; else k->partial = r->next;
   if (r->next) r->next->prev = r->prev;
   r->on_list = False;
}

static GpRun* run_new(UInt cls)
{
   GpChunk* c;
   Addr base = run_memory(&c);
   GpRun* r;
   if (!base) return NULL;
   r = VG_(malloc)(GP_CC("heap.run"), sizeof(GpRun));
   r->base = base;
   r->cls = cls;
   r->csize = class_size[cls];
   /* floor(2^32 / csize) + 1: for offsets below 2^16 the error of
      offset * magic / 2^32 against offset / csize is below 2^-16, less
      than the distance 1/csize >= 2^-13 to the next integer, so the
      floor is exact. */
   r->magic = (UInt)((1ULL << 32) / r->csize) + 1;
   r->nslots = RUN_BYTES / r->csize;
   r->nlive = 0;
   r->bump = 0;
   r->free_head = 0;
   r->on_list = False;
   r->chunk = c;
   r->slots = VG_(malloc)(GP_CC("heap.slots"), r->nslots * sizeof(GpSlot));
   if (n_runs == cap_runs) {
      cap_runs = cap_runs ? cap_runs * 2 : 64;
      all_runs = VG_(realloc)(GP_CC("heap.runs"), all_runs, cap_runs * sizeof(GpRun*));
   }
   r->index = n_runs;
   all_runs[n_runs++] = r;
   *gp_wmap_insert(&run_map, base >> RUN_SHIFT) = (UWord)r;
   class_list_add(&classes[cls], r);
   return r;
}

static void run_release(GpRun* r)
{
   GpRun* last = all_runs[--n_runs];
   last->index = r->index;
   all_runs[r->index] = last;
   class_list_remove(&classes[r->cls], r);
   gp_wmap_remove(&run_map, r->base >> RUN_SHIFT);
   run_memory_release(r->chunk, r->base);
   VG_(free)(r->slots);
   VG_(free)(r);
}

static inline GpRun* run_of(Addr p)
{
   UWord* v = gp_wmap_find(&run_map, p >> RUN_SHIFT);
   return v ? (GpRun*)*v : NULL;
}

static inline UInt slot_of(const GpRun* r, Addr p)
{
   return (UInt)(((ULong)(p - r->base) * r->magic) >> 32);
}

/* ---- large records ----------------------------------------------------- */

static UInt large_new(void)
{
   UInt i;
   if (large_free_head) {
      i = large_free_head - 1;
      large_free_head = large_rec(i)->s.size;
      return i;
   }
   if (large_used == n_large_pages * LARGE_PAGE) {
      large_pages = VG_(realloc)(GP_CC("heap.largepages"), large_pages,
                                 (n_large_pages + 1) * sizeof(GpLarge*));
      large_pages[n_large_pages++] =
         VG_(malloc)(GP_CC("heap.large"), LARGE_PAGE * sizeof(GpLarge));
   }
   return large_used++;
}

static void large_delete(UInt i)
{
   GpLarge* l = large_rec(i);
   l->s.site = 0;
   l->payload = 0;
   l->s.size = large_free_head;
   large_free_head = i + 1;
}

static void fill_large(GpBlk* b, UInt i)
{
   GpLarge* l = large_rec(i);
   b->payload = l->payload;
   b->size = l->size;
   b->rec = &l->s;
   b->run = NULL;
   b->slot = i;
}

static void add_large(Addr p, SizeT n, GpBlk* b, Bool custom)
{
   UInt i = large_new();
   GpLarge* l = large_rec(i);
   l->payload = p;
   l->size = n;
   l->s.size = 0;
   l->s.site = 0;
   l->s.born_kind = custom ? GP_AK_CUSTOM : 0;
   *gp_wmap_insert(custom ? &custom_map : &large_map, p) = i + 1;
   n_large_live++;
   fill_large(b, i);
}

/* ---- the API ---------------------------------------------------------- */

Bool gp_store_alloc(SizeT n, SizeT align, GpBlk* b)
{
   if (n <= GP_SMALL_MAX && align <= 16) {
      UInt cls = class_of16[(n + 15) >> 4];
      GpClass* k = &classes[cls];
      GpRun* r = k->partial;
      UInt s;
      if (GP_UNLIKELY(!r) && !(r = run_new(cls))) return False;
      if (r->free_head) {
         s = r->free_head - 1;
         r->free_head = r->slots[s].size;
      } else {
         s = r->bump++;
      }
      if (++r->nlive == r->nslots) class_list_remove(k, r);
      small_live++;
      b->payload = r->base + (Addr)s * r->csize;
      b->size = n;
      b->rec = &r->slots[s];
      b->rec->size = (UInt)n;
      b->run = r;
      b->slot = s;
      return True;
   } else {
      void* p = VG_(cli_malloc)(align < 16 ? 16 : align, n);
      if (!p) return False;
      add_large((Addr)p, n, b, False);
      return True;
   }
}

void gp_store_add_custom(Addr p, SizeT n, GpBlk* b)
{
   add_large(p, n, b, True);
   n_custom_live++;
}

static Bool find_in_map(GpWordMap* m, Addr p, GpBlk* b)
{
   UWord* v = gp_wmap_find(m, p);
   if (!v) return False;
   fill_large(b, (UInt)*v - 1);
   return True;
}

Bool gp_store_find(Addr p, GpBlk* b, Bool custom_first)
{
   GpRun* r;
   if (custom_first && n_custom_live && find_in_map(&custom_map, p, b))
      return True;
   r = run_of(p);
   if (r) {
      UInt s = slot_of(r, p);
      if (s < r->bump && r->base + (Addr)s * r->csize == p && r->slots[s].site) {
         GpSlot* rec = &r->slots[s];
         b->payload = p;
         b->size = rec->size;
         b->rec = rec;
         b->run = r;
         b->slot = s;
         return True;
      }
   }
   if (n_large_live - n_custom_live && find_in_map(&large_map, p, b))
      return True;
   /* A custom block may sit inside a slot (a pool carved from malloc). */
   if (!custom_first && n_custom_live && find_in_map(&custom_map, p, b))
      return True;
   return False;
}

Bool gp_store_find_containing(Addr p, GpBlk* b)
{
   GpRun* r;
   UInt i;
   if (gp_store_find(p, b, False)) return True;
   /* custom or large blocks: a linear walk (errors only; skipped when
      there are very many such blocks) */
   for (i = 0; large_used <= 65536 && i < large_used; i++) {
      GpLarge* l = large_rec(i);
      if (l->s.site && p >= l->payload
          && p < l->payload + (l->size ? l->size : 1)) {
         fill_large(b, i);
         return True;
      }
   }
   r = run_of(p);
   if (r) {
      UInt s = slot_of(r, p);
      GpSlot* rec;
      if (s < r->nslots && s < r->bump && (rec = &r->slots[s])->site) {
         Addr start = r->base + (Addr)s * r->csize;
         if (p < start + (rec->size ? rec->size : 1)) {
            b->payload = start;
            b->size = rec->size;
            b->rec = rec;
            b->run = r;
            b->slot = s;
            return True;
         }
      }
   }
   return False;
}

/* A freed slot goes back to its run's free list. */
static void slot_release(GpRun* r, UInt slot)
{
   GpClass* k = &classes[r->cls];
   r->slots[slot].size = r->free_head;
   r->free_head = slot + 1;
   if (r->nlive-- == r->nslots) class_list_add(k, r);
   if (r->nlive == 0 && (k->partial != r || r->next)) {
      /* Empty, and its class has another run with room: release it
         (one empty run per class stays, so a malloc/free loop at a
         run's edge does not map and unmap runs). */
      run_release(r);
   }
}

/* Freed small slots wait in a FIFO before they can be reused, so that a
   double free of a block freed not long before is seen as one (with
   immediate reuse the second free would free someone else's new block).
   Memcheck keeps 20 MB of freed blocks; this keeps the last 4096 small
   ones, 4 MB at most.  Slots in here count as live for their run (it is
   not released under them) but hold no block. */
#define QUAR_BLOCKS 4096
#define QUAR_BYTES  (4UL << 20)
static struct { GpRun* r; UInt slot; } quar[QUAR_BLOCKS];
static UInt  quar_head, quar_n;
static ULong quar_bytes;

static void quarantine(GpRun* r, UInt slot)
{
   while (quar_n == QUAR_BLOCKS || (quar_n && quar_bytes + r->csize > QUAR_BYTES)) {
      UInt old = (quar_head + QUAR_BLOCKS - quar_n) % QUAR_BLOCKS;
      quar_bytes -= quar[old].r->csize;
      quar_n--;
      slot_release(quar[old].r, quar[old].slot);
   }
   quar[quar_head].r = r;
   quar[quar_head].slot = slot;
   quar_head = (quar_head + 1) % QUAR_BLOCKS;
   quar_n++;
   quar_bytes += r->csize;
}

void gp_store_free(GpBlk* b, Bool release)
{
   GpRun* r = b->run;
   if (r) {
      r->slots[b->slot].site = 0;
      small_live--;
      /* Memory the client keeps stays taken (counted in nlive, never on
         the free list) but holds no block. */
      if (release) quarantine(r, b->slot);
   } else {
      GpLarge* l = large_rec(b->slot);
      UInt kind = (UInt)(l->s.born_kind & 3);
      if (kind != GP_AK_CUSTOM) {
         gp_wmap_remove(&large_map, l->payload);
         if (release) VG_(cli_free)((void*)l->payload);
      } else {
         gp_wmap_remove(&custom_map, l->payload);
         n_custom_live--;
      }
      n_large_live--;
      large_delete(b->slot);
   }
}

Bool gp_store_resize_in_place(GpBlk* b, SizeT n)
{
   GpRun* r = b->run;
   if (!r || n > GP_SMALL_MAX || class_of16[(n + 15) >> 4] != r->cls)
      return False;
   r->slots[b->slot].size = (UInt)n;
   b->size = n;
   return True;
}

/* The core's syscall entry point.  Not in the tool headers, but with the
   same signature from 3.19 to 3.26; used only to let the kernel zero big
   ranges (madvise MADV_DONTNEED on private anonymous memory: the pages
   read as zeros and cost no memory until touched). */
extern SysRes VG_(do_syscall)(UWord sysno, UWord, UWord, UWord, UWord,
                              UWord, UWord, UWord, UWord);
#define GP_MADV_DONTNEED 4
#define GP_ZERO_BY_KERNEL (1UL << 20)

static __attribute__((noinline)) void zero_big(Addr p, SizeT n)
{
#if defined(VGO_linux) && defined(__NR_madvise)
   Addr lo = VG_PGROUNDUP(p), hi = VG_PGROUNDDN(p + n);
   SysRes r = VG_(do_syscall)(__NR_madvise, lo, hi - lo, GP_MADV_DONTNEED,
                              0, 0, 0, 0, 0);
   if (!sr_isError(r)) {
      VG_(memset)((void*)p, 0, lo - p);
      VG_(memset)((void*)hi, 0, p + n - hi);
      return;
   }
#endif
   VG_(memset)((void*)p, 0, n);
}

void gp_zero_exact(Addr p, SizeT n)
{
   if (n >= GP_ZERO_BY_KERNEL) zero_big(p, n);
   else VG_(memset)((void*)p, 0, n);
}

void gp_store_zero(Addr p, SizeT n)
{
   if (GP_UNLIKELY(n >= GP_ZERO_BY_KERNEL)) {
      zero_big(p, n);
   } else if ((p & 15) == 0) {
      /* 16-byte steps up to the next multiple of 16: still inside the
         block (slots and arena blocks are multiples of 16 bytes).  Much
         faster than VG_(memset)'s 4-byte stores. */
      ULong* q = (ULong*)p;
      SizeT i, w = ((n + 15) >> 4) << 1;
      for (i = 0; i < w; i += 2) {
         q[i] = 0;
         q[i + 1] = 0;
      }
   } else {
      VG_(memset)((void*)p, 0, n);
   }
}

ULong gp_store_tool_bytes(void)
{
   ULong b = 0;
   UInt i;
   for (i = 0; i < n_runs; i++)
      b += sizeof(GpRun) + all_runs[i]->nslots * sizeof(GpSlot);
   b += cap_runs * sizeof(GpRun*);
   b += (run_map.mask + 1) * 2 * sizeof(UWord);
   b += (large_map.mask + 1) * 2 * sizeof(UWord);
   b += (custom_map.mask + 1) * 2 * sizeof(UWord);
   b += (ULong)n_large_pages * (LARGE_PAGE * sizeof(GpLarge) + sizeof(GpLarge*));
   b += n_chunks * sizeof(GpChunk);
   return b;
}

ULong gp_store_client_bytes(void)
{
   ULong b = n_chunks * (CHUNK_BYTES + RUN_BYTES);
   UInt i;
   for (i = 0; i < large_used; i++) {
      GpLarge* l = large_rec(i);
      if (l->s.site && (l->s.born_kind & 3) != GP_AK_CUSTOM) b += l->size;
   }
   return b;
}

ULong gp_store_live_count(void) { return small_live + n_large_live; }

void gp_store_for_each(Bool (*f)(const GpBlk* b, void* opaque), void* opaque)
{
   UInt i, s;
   GpBlk b;
   for (i = 0; i < n_runs; i++) {
      GpRun* r = all_runs[i];
      for (s = 0; s < r->bump; s++) {
         GpSlot* rec = &r->slots[s];
         if (!rec->site) continue;
         b.payload = r->base + (Addr)s * r->csize;
         b.size = rec->size;
         b.rec = rec;
         b.run = r;
         b.slot = s;
         if (!f(&b, opaque)) return;
      }
   }
   for (i = 0; i < large_used; i++) {
      if (!large_rec(i)->s.site) continue;
      fill_large(&b, i);
      if (!f(&b, opaque)) return;
   }
}

/* ---- the leak check's index ------------------------------------------- */

/* Built for one leak check: runs sorted by address get consecutive block
   numbers; large blocks, sorted by address, come after them.  Holders of
   custom blocks (a pool's malloc'd memory) are left out, as Memcheck does:
   the custom blocks inside stand for them. */
static GpRun**  ix_runs;          /* by base */
static UInt     ix_n_runs;
static UInt*    ix_large;         /* record indexes, by payload */
static UInt     ix_n_large;
static UInt     ix_small_ids;
static Addr     ix_large_lo, ix_large_hi;
static GpWordMap ix_ignored;      /* block id + 1 of holders */
static GpRun*   ix_last_run;      /* the last run gp_store_index_block used */
static UInt*    ix_chunk_run;     /* id / 64 -> first run (index) with ids there */

static Int cmp_run_base(const void* a, const void* b)
{
   Addr x = (*(GpRun* const*)a)->base, y = (*(GpRun* const*)b)->base;
   return x < y ? -1 : x > y;
}

static Int cmp_large_payload(const void* a, const void* b)
{
   const GpLarge* x = large_rec(*(const UInt*)a);
   const GpLarge* y = large_rec(*(const UInt*)b);
   if (x->payload != y->payload) return x->payload < y->payload ? -1 : 1;
   /* a custom block at its holder's start: the holder first */
   return (Int)(x->s.born_kind & 3) == GP_AK_CUSTOM ? 1 : -1;
}

/* During a leak check, runs by 64 KiB page of [ix_page_lo, ...): one load
   instead of a hash lookup per candidate pointer (the span of the runs is
   small next to the heap: 8 bytes per 64 KiB). */
static GpRun**  ix_page;
static Addr     ix_page_lo;
static UWord    ix_n_pages;

static inline GpRun* ix_run_of(Addr p)
{
   if (ix_page) {
      UWord i = (p - ix_page_lo) >> RUN_SHIFT;
      return i < ix_n_pages ? ix_page[i] : NULL;
   }
   return run_of(p);
}

static Int small_lookup(Addr ptr, Addr* payload, SizeT* size)
{
   GpRun* r = ix_run_of(ptr);
   UInt s;
   GpSlot* rec;
   Addr start;
   if (!r) return -1;
   s = slot_of(r, ptr);
   if (s >= r->bump) return -1;
   rec = &r->slots[s];
   if (!rec->site) return -1;
   start = r->base + (Addr)s * r->csize;
   if (ptr >= start + (rec->size ? rec->size : 1)) return -1;
   *payload = start;
   *size = rec->size;
   return (Int)(r->first_id + s);
}

/* The last large block starting at or before ptr, if it contains ptr. */
static Int large_lookup(Addr ptr, Addr* payload, SizeT* size)
{
   Int lo = 0, hi = (Int)ix_n_large - 1, found = -1;
   const GpLarge* l;
   if (ptr < ix_large_lo || ptr >= ix_large_hi) return -1;
   while (lo <= hi) {
      Int mid = (lo + hi) / 2;
      if (large_rec(ix_large[mid])->payload <= ptr) { found = mid; lo = mid + 1; }
      else hi = mid - 1;
   }
   if (found < 0) return -1;
   l = large_rec(ix_large[found]);
   if (ptr >= l->payload + (l->size ? l->size : 1)) return -1;
   *payload = l->payload;
   *size = l->size;
   return (Int)(ix_small_ids + (UInt)found);
}

void gp_store_index_build(GpStoreIndex* ix)
{
   UInt i, id = 0, k = 0;
   Addr lo = ~(Addr)0, hi = 0;
   ix_last_run = NULL;
   ix_n_runs = n_runs;
   ix_runs = VG_(malloc)(GP_CC("heap.ix"), (n_runs + 1) * sizeof(GpRun*));
   for (i = 0; i < n_runs; i++) ix_runs[i] = all_runs[i];
   VG_(ssort)(ix_runs, ix_n_runs, sizeof(GpRun*), cmp_run_base);
   for (i = 0; i < ix_n_runs; i++) {
      GpRun* r = ix_runs[i];
      r->first_id = id;
      id += r->nslots;
      if (r->nlive) {
         if (r->base < lo) lo = r->base;
         if (r->base + RUN_BYTES > hi) hi = r->base + RUN_BYTES;
      }
   }
   ix_small_ids = id;
   ix_chunk_run = VG_(malloc)(GP_CC("heap.ix"), ((id >> 6) + 1) * sizeof(UInt));
   for (i = ix_n_runs; i-- > 0; ) {
      GpRun* r = ix_runs[i];
      UInt c, c0 = r->first_id >> 6, c1 = (r->first_id + r->nslots - 1) >> 6;
      for (c = c0; c <= c1; c++) ix_chunk_run[c] = i;   /* lowest run wins */
   }
   ix_page = NULL;
   if (ix_n_runs) {
      Addr plo = ix_runs[0]->base, phi = ix_runs[ix_n_runs - 1]->base + RUN_BYTES;
      UWord np = (phi - plo) >> RUN_SHIFT;
      /* a sparse heap (runs gigabytes apart) keeps the hash lookups */
      if (np <= 4 * (UWord)ix_n_runs + 1024 && np <= (1UL << 24)) {
         ix_page = VG_(calloc)(GP_CC("heap.ix"), np, sizeof(GpRun*));
         ix_page_lo = plo;
         ix_n_pages = np;
         for (i = 0; i < ix_n_runs; i++)
            ix_page[(ix_runs[i]->base - plo) >> RUN_SHIFT] = ix_runs[i];
      }
   }
   ix_large = VG_(malloc)(GP_CC("heap.ix"), (n_large_live + 1) * sizeof(UInt));
   for (i = 0; i < large_used; i++)
      if (large_rec(i)->s.site) ix_large[k++] = i;
   ix_n_large = k;
   VG_(ssort)(ix_large, ix_n_large, sizeof(UInt), cmp_large_payload);
   ix_large_lo = ~(Addr)0;
   ix_large_hi = 0;
   for (i = 0; i < ix_n_large; i++) {
      const GpLarge* l = large_rec(ix_large[i]);
      Addr end = l->payload + (l->size ? l->size : 1);
      if (l->payload < ix_large_lo) ix_large_lo = l->payload;
      if (end > ix_large_hi) ix_large_hi = end;
   }
   if (ix_n_large) {
      if (ix_large_lo < lo) lo = ix_large_lo;
      if (ix_large_hi > hi) hi = ix_large_hi;
   }
   /* Holders of custom blocks are not blocks for the leak check. */
   gp_wmap_init(&ix_ignored, GP_CC("heap.ix"), 16);
   if (n_custom_live) {
      for (i = 0; i < ix_n_large; i++) {
         const GpLarge* l = large_rec(ix_large[i]);
         Int holder;
         Addr hp;
         SizeT hs;
         if ((l->s.born_kind & 3) != GP_AK_CUSTOM) continue;
         holder = small_lookup(l->payload, &hp, &hs);
         if (holder < 0) {
            /* a large malloc'd holder: the last non-custom large block
               before it that contains it */
            Int j;
            for (j = (Int)i - 1; j >= 0; j--) {
               const GpLarge* h = large_rec(ix_large[j]);
               if ((h->s.born_kind & 3) == GP_AK_CUSTOM) continue;
               if (l->payload < h->payload + h->size) holder = (Int)(ix_small_ids + (UInt)j);
               break;
            }
         }
         if (holder >= 0) *gp_wmap_insert(&ix_ignored, (UWord)holder + 1) = 1;
      }
   }
   ix->n_ids = ix_small_ids + ix_n_large;
   ix->lo = lo;
   ix->hi = hi;
}

void gp_store_index_free(GpStoreIndex* ix)
{
   VG_(free)(ix_runs);
   VG_(free)(ix_large);
   gp_wmap_free(&ix_ignored);
   if (ix_page) VG_(free)(ix_page);
   ix_page = NULL;
   if (ix_chunk_run) VG_(free)(ix_chunk_run);
   ix_chunk_run = NULL;
   ix_runs = NULL;
   ix_large = NULL;
   ix_last_run = NULL;
   ix->n_ids = 0;
}

Int gp_store_index_lookup(const GpStoreIndex* ix, Addr ptr, Addr* payload, SizeT* size)
{
   Int id;
   if (ptr < ix->lo || ptr >= ix->hi) return -1;
   id = small_lookup(ptr, payload, size);
   if (id >= 0 && (ix_ignored.used == 0 || !gp_wmap_find(&ix_ignored, (UWord)id + 1)))
      return id;
   if (!ix_n_large) return -1;
   id = large_lookup(ptr, payload, size);
   if (id >= 0 && ix_ignored.used && gp_wmap_find(&ix_ignored, (UWord)id + 1))
      return -1;
   return id;
}

void gp_store_index_each(const GpStoreIndex* ix,
                         void (*f)(UInt id, const GpBlk* b, void* opaque),
                         void* opaque)
{
   UInt i, s;
   GpBlk b;
   for (i = 0; i < ix_n_runs; i++) {
      GpRun* r = ix_runs[i];
      for (s = 0; s < r->bump; s++) {
         GpSlot* rec = &r->slots[s];
         UInt id = r->first_id + s;
         if (!rec->site) continue;
         if (ix_ignored.used && gp_wmap_find(&ix_ignored, (UWord)id + 1)) continue;
         b.payload = r->base + (Addr)s * r->csize;
         b.size = rec->size;
         b.rec = rec;
         b.run = r;
         b.slot = s;
         f(id, &b, opaque);
      }
   }
   for (i = 0; i < ix_n_large; i++) {
      UInt id = ix_small_ids + i;
      if (ix_ignored.used && gp_wmap_find(&ix_ignored, (UWord)id + 1)) continue;
      fill_large(&b, ix_large[i]);
      f(id, &b, opaque);
   }
}

Bool gp_store_index_is_custom(const GpStoreIndex* ix, UInt id)
{
   return id >= ix_small_ids && id < ix->n_ids
          && (large_rec(ix_large[id - ix_small_ids])->s.born_kind & 3) == GP_AK_CUSTOM;
}

Bool gp_store_index_block(const GpStoreIndex* ix, UInt id, GpBlk* b)
{
   if (id < ix_small_ids) {
      GpRun* r = ix_last_run;      /* blocks come in runs of ids */
      UInt s;
      if (!r || id < r->first_id || id >= r->first_id + r->nslots) {
         /* the first run with ids in id's chunk of 64, then onwards */
         UInt k = ix_chunk_run[id >> 6];
         r = ix_runs[k];
         while (id >= r->first_id + r->nslots) r = ix_runs[++k];
         ix_last_run = r;
      }
      s = id - r->first_id;
      if (s >= r->bump || !r->slots[s].site) return False;
      b->payload = r->base + (Addr)s * r->csize;
      b->size = r->slots[s].size;
      b->rec = &r->slots[s];
      b->run = r;
      b->slot = s;
   } else if (id < ix->n_ids) {
      fill_large(b, ix_large[id - ix_small_ids]);
   } else {
      return False;
   }
   if (ix_ignored.used && gp_wmap_find(&ix_ignored, (UWord)id + 1)) return False;
   return True;
}
