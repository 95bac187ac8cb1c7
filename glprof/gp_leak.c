/* gp_leak.c -- the leak check: classifies every live block as definitely
   lost, indirectly lost, possibly lost or still reachable, as Memcheck's
   leak checker does (memcheck/mc_leakcheck.c), but without shadow memory.

   The algorithm is Memcheck's:
     1. every word of the root set -- the client's readable and writable
        mappings (data, bss, anonymous and shared memory, thread stacks
        above their stack pointer, thread-local storage), never the heap
        arena, and every thread's registers -- that points to the start of
        a block makes it reachable, and the block is scanned in turn; a
        pointer into a block's middle (or any pointer from a block that is
        itself only possibly reachable) makes it possibly reachable;
        Memcheck's heuristics let some interior pointers count as start
        pointers (std::string, length-prefixed, new[] arrays, multiple
        inheritance);
     2. every block still unreached leads a "clique": the unreached blocks
        it reaches become indirectly lost, their bytes counted on the
        leader, which is definitely lost;
     3. blocks are grouped into loss records by (kind, allocation site).

   What Memcheck learns from shadow memory glprof gets otherwise:
     - stale pointers in dead stack frames: each thread's stack is scanned
       from SP - redzone up only (Memcheck marks the rest noaccess);
     - undefined heap memory: every block is zeroed when it is allocated,
       so memory the client never wrote reads as zero;
     - unreadable memory: pages are checked with aspacemgr and a fault
       catcher skips anything that still faults. */

#include "gp_heap_int.h"
#include "gp_threads.h"
#include "gp_callstack.h"
#include "gp_util.h"
#include "gp_options.h"
#include "pub_tool_aspacehl.h"

/* --gen-suppressions (0 no, 1 yes, 2 all): a core option not in the tool
   headers (an Int in every version from 3.19 to 3.26).  With it, leak
   records are printed through the error manager, which then prints their
   suppressions. */
extern Int VG_(clo_gen_suppressions);

/* Per-block state, indexed by block id (gp_store_index_*). */
#define ST_MASK     0x03      /* GP_LK_*: the reachedness */
#define ST_PENDING  0x04      /* on the mark stack */
#define ST_HSHIFT   3         /* heuristic (GP_LH_*) in bits 3-5 */
#define ST_HMASK    0x38
#define ST_NOBLOCK  0x80      /* a free slot or an ignored holder */

static UChar*       lc_state;
static ULong*       lc_indirect;      /* clique leaders: bytes they lose */
static UInt*        lc_stack;
static UInt         lc_top;
static GpStoreIndex lc_ix;
static UInt         lc_heuristics;
static ULong        lc_scanned, lc_skipped;

/* ---- faults ------------------------------------------------------------ */

/* A word that faults is skipped (aspacemgr may not know about an
   mprotect done by a raw syscall, a file mapping may be truncated). */
static VG_MINIMAL_JMP_BUF(scan_jmpbuf);
static VG_MINIMAL_JMP_BUF(heur_jmpbuf);
static volatile Addr bad_addr;
static volatile Bool in_heuristic;
static volatile Bool in_scan;

static void fault_catcher(Int sig, Addr addr)
{
   vki_sigset_t mask;
   /* The handler runs with the signal blocked: unblock it before
      leaving by longjmp, or the next fault would kill the process. */
   VG_(sigprocmask)(VKI_SIG_SETMASK, NULL, &mask);
   VG_(sigdelset)(&mask, sig);
   VG_(sigprocmask)(VKI_SIG_SETMASK, &mask, NULL);
   if (sig == VKI_SIGSEGV || sig == VKI_SIGBUS) {
      bad_addr = addr;
      if (in_heuristic) VG_MINIMAL_LONGJMP(heur_jmpbuf);
      if (in_scan) VG_MINIMAL_LONGJMP(scan_jmpbuf);
      /* anything else is not ours to handle: the core reports it */
   }
}

/* ---- heuristics (Memcheck's four) ---------------------------------------- */

/* Does ptr point to a table of function pointers (a vtable)?  At least
   two non-null entries among the first 20 words, all pointing into
   executable code of a mapped file. */
static Bool is_vtable(Addr ptr)
{
   NSegment const* seg = VG_(am_find_nsegment)(ptr);
   Addr scan, max;
   UInt found = 0;
   if (!seg || seg->kind != SkFileC || !seg->hasR) return False;
   max = ptr + 20 * sizeof(Addr);
   if (max > seg->end - sizeof(Addr)) max = seg->end - sizeof(Addr);
   for (scan = ptr; scan <= max; scan += sizeof(Addr)) {
      Addr fn = *(Addr*)scan;
      NSegment const* s2;
      if (fn == 0) continue;
      s2 = VG_(am_find_nsegment)(fn);
      if (!s2 || s2->kind != SkFileC || !s2->hasT) return False;
      if (++found == 2) return True;
   }
   return False;
}

/* Which heuristic, if any, makes interior pointer ptr to block [data,
   data+size) count as a start pointer. */
static UInt heuristic_for(Addr ptr, Addr data, SizeT size)
{
   UInt h = GP_LH_NONE;
   const SizeT W = sizeof(SizeT);
   in_heuristic = True;
   if (VG_MINIMAL_SETJMP(heur_jmpbuf) != 0) {
      in_heuristic = False;
      return GP_LH_NONE;
   }
   /* std::string (old ABI): length, capacity, refcount, chars */
   if ((lc_heuristics & GP_LH_BIT(GP_LH_STDSTRING)) && ptr == data + 3 * W) {
      SizeT capacity = *(SizeT*)(data + W);
      if (3 * W + capacity + 1 == size && *(SizeT*)data <= capacity) {
         h = GP_LH_STDSTRING;
         goto out;
      }
   }
   /* a 64-bit length of the rest, then the data (sqlite does this) */
   if ((lc_heuristics & GP_LH_BIT(GP_LH_LENGTH64)) && ptr == data + 8) {
      ULong len = *(ULong*)data;
      if (len > 0 && size - 8 == len) {
         h = GP_LH_LENGTH64;
         goto out;
      }
   }
   /* new[] of objects with a destructor: element count, then elements */
   if ((lc_heuristics & GP_LH_BIT(GP_LH_NEWARRAY)) && ptr == data + W) {
      SizeT n = *(SizeT*)data;
      if (n > 0 && (size - W) % n == 0) {
         h = GP_LH_NEWARRAY;
         goto out;
      }
   }
   /* a base-class subobject: vtable pointers at ptr and at the start */
   if ((lc_heuristics & GP_LH_BIT(GP_LH_MULTIPLEINHERITANCE))
       && VG_IS_WORD_ALIGNED(ptr) && ptr + W <= data + size && size >= W) {
      Addr inner = *(Addr*)ptr;
      if (VG_IS_WORD_ALIGNED(inner) && inner >= (Addr)VKI_PAGE_SIZE) {
         Addr first = *(Addr*)data;
         if (VG_IS_WORD_ALIGNED(first) && first >= (Addr)VKI_PAGE_SIZE
             && is_vtable(inner) && is_vtable(first)) {
            h = GP_LH_MULTIPLEINHERITANCE;
            goto out;
         }
      }
   }
 out:
   in_heuristic = False;
   return h;
}

/* ---- marking ----------------------------------------------------------- */

static inline void push(UInt id)
{
   if (lc_state[id] & ST_PENDING) return;
   lc_state[id] |= ST_PENDING;
   lc_stack[lc_top++] = id;
}

static inline void set_state(UInt id, UInt st)
{
   lc_state[id] = (UChar)((lc_state[id] & ~ST_MASK) | st);
}

/* Roots and reachable blocks: start pointers from a definitely reachable
   place make a block reachable; anything else makes it possibly so. */
static void mark_ptr(Addr w, Bool prior_definite)
{
   Addr data;
   SizeT size;
   Int id = gp_store_index_lookup(&lc_ix, w, &data, &size);
   UInt st, via, heur = GP_LH_NONE;
   if (id < 0) return;
   st = lc_state[id] & ST_MASK;
   if (st == GP_LK_REACHABLE) {
      if (w == data && (lc_state[id] & ST_HMASK))
         lc_state[id] &= ~ST_HMASK;   /* now reached by a start pointer */
      return;
   }
   if (w == data) {
      via = GP_LK_REACHABLE;
   } else if (lc_heuristics && (heur = heuristic_for(w, data, size)) != GP_LH_NONE) {
      via = GP_LK_REACHABLE;
   } else {
      via = GP_LK_POSSIBLE;
   }
   if (via == GP_LK_REACHABLE && prior_definite) {
      set_state((UInt)id, GP_LK_REACHABLE);
      lc_state[id] = (UChar)((lc_state[id] & ~ST_HMASK) | (heur << ST_HSHIFT));
      push((UInt)id);
   } else if (st == GP_LK_DEFINITE) {       /* still unreached */
      set_state((UInt)id, GP_LK_POSSIBLE);
      push((UInt)id);
   }
}

/* Clique gathering: unreached blocks reached from leader join its clique
   (start or interior pointer alike, as in Memcheck). */
static void clique_ptr(Addr w, UInt leader)
{
   Addr data;
   SizeT size;
   Int id = gp_store_index_lookup(&lc_ix, w, &data, &size);
   if (id < 0 || (UInt)id == leader) return;
   if ((lc_state[id] & ST_MASK) != GP_LK_DEFINITE) return;
   push((UInt)id);
   lc_indirect[leader] += size + lc_indirect[id];
   lc_indirect[id] = 0;
   set_state((UInt)id, GP_LK_INDIRECT);
}

/* The words of [ptr, end), aligned: each one that points into the heap is
   a candidate pointer.  careful: the range may include unreadable pages
   (roots, custom blocks); heap slots never do. */
static void scan_words(Addr ptr, Addr end, Bool prior_definite, Int leader,
                       Bool careful)
{
   const Addr lo = lc_ix.lo, span = lc_ix.hi - lc_ix.lo;
   if (careful && ptr < end && (ptr & (VKI_PAGE_SIZE - 1))
       && !VG_(am_is_valid_for_client)(ptr, sizeof(Addr), VKI_PROT_READ)) {
      lc_skipped += VG_PGROUNDUP(ptr + 1) - ptr;
      ptr = VG_PGROUNDUP(ptr + 1);
   }
   if (!careful) {
      /* heap blocks: always mapped */
      lc_scanned += end > ptr ? end - ptr : 0;
      for (; ptr < end; ptr += sizeof(Addr)) {
         Addr w = *(Addr*)ptr;
         /* one unsigned compare rejects everything outside the heap */
         if (GP_UNLIKELY(w - lo < span)) {
            if (leader < 0) mark_ptr(w, prior_definite);
            else clique_ptr(w, (UInt)leader);
         }
      }
      return;
   }
   while (ptr < end) {
      Addr w;
      if ((ptr & (VKI_PAGE_SIZE - 1)) == 0
          && !VG_(am_is_valid_for_client)(ptr, sizeof(Addr), VKI_PROT_READ)) {
         lc_skipped += VKI_PAGE_SIZE;
         ptr += VKI_PAGE_SIZE;
         continue;
      }
      w = *(Addr*)ptr;
      lc_scanned += sizeof(Addr);
      if (GP_UNLIKELY(w - lo < span)) {
         if (leader < 0) mark_ptr(w, prior_definite);
         else clique_ptr(w, (UInt)leader);
      }
      ptr += sizeof(Addr);
   }
}

/* Scans [start, start+len); a word that faults is skipped and the scan
   goes on after it. */
static void scan_range(Addr start, SizeT len, Bool prior_definite,
                       Int leader, Bool careful)
{
   volatile Addr resume = VG_ROUNDUP(start, sizeof(Addr));
   const Addr end = VG_ROUNDDN(start + len, sizeof(Addr));
   while (resume < end) {
      if (VG_MINIMAL_SETJMP(scan_jmpbuf) == 0) {
         in_scan = True;
         scan_words(resume, end, prior_definite, leader, careful);
         in_scan = False;
         break;
      }
      in_scan = False;
      /* a word faulted: skip it */
      lc_skipped += sizeof(Addr);
      if (bad_addr < resume || bad_addr >= end) break;
      resume = VG_ROUNDDN(bad_addr, sizeof(Addr)) + sizeof(Addr);
   }
}

static void process_stack(Int leader)
{
   while (lc_top > 0) {
      UInt id = lc_stack[--lc_top];
      GpBlk b;
      lc_state[id] &= ~ST_PENDING;
      if (!gp_store_index_block(&lc_ix, id, &b)) continue;
      scan_range(b.payload, b.size,
                 (lc_state[id] & ST_MASK) != GP_LK_POSSIBLE, leader,
                 gp_store_index_is_custom(&lc_ix, id));
   }
}

/* ---- the root set ------------------------------------------------------- */

/* When a thread ends, the stack below its SP (minus the redzone) is dead,
   as Memcheck sees it.  (The frames exit() pushes are scanned: the
   preload's exit() wrapper had the dead stack zeroed before them, see
   gp_heap_preload.c.) */
Addr gp_leak_exit_stack_lo(GpThread* t, ThreadId tid)
{
   return VG_(get_SP)(tid) - VG_STACK_REDZONE_SZB;
}

/* The part of a thread's stack below its stack pointer (minus the redzone)
   is dead stack: its stale pointers would make leaks look reachable.  The
   dead part runs from SP down through the stack's mapping, and through the
   readable and writable anonymous mappings right below it (a main stack
   that grew), down to the guard page or the reservation. */
typedef struct { Addr lo, hi; Bool alive; UInt order; } DeadStack;

/* Live threads first, then the latest: a cached stack reused by a later
   thread belongs to that thread. */
static Int cmp_dead_priority(const void* a, const void* b)
{
   const DeadStack* x = a;
   const DeadStack* y = b;
   if (x->alive != y->alive) return x->alive ? -1 : 1;
   return x->order > y->order ? -1 : x->order < y->order;
}

static Int cmp_dead_addr(const void* a, const void* b)
{
   const DeadStack* x = a;
   const DeadStack* y = b;
   return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static Bool is_stack_mapping(NSegment const* seg)
{
   return seg && (seg->kind == SkAnonC || seg->kind == SkFileC || seg->kind == SkShmC)
          && seg->hasR && seg->hasW;
}

static UInt dead_stacks(DeadStack** out)
{
   UInt n = gp_thread_count(), i, j, k = 0, kept = 0;
   DeadStack* d = VG_(malloc)(GP_CC("leak.stacks"), (n + 1) * sizeof(DeadStack));
   for (i = 0; i < n; i++) {
      GpThread* t = gp_thread_by_index(i);
      Bool latest = True;
      Addr sp, lo;
      NSegment const* seg;
      for (j = i + 1; j < n; j++)
         if (gp_thread_by_index(j)->tid == t->tid) latest = False;
      if (t->exited) sp = t->exit_stack_lo;
      else if (latest) sp = VG_(get_SP)(t->tid) - VG_STACK_REDZONE_SZB;
      else continue;
      seg = sp ? VG_(am_find_nsegment)(sp) : NULL;
      if (!is_stack_mapping(seg)) continue;
      lo = seg->start;
      while (lo > VKI_PAGE_SIZE) {
         NSegment const* below = VG_(am_find_nsegment)(lo - 1);
         if (!is_stack_mapping(below) || below->isCH || below->kind != SkAnonC) break;
         lo = below->start;
      }
      d[k].lo = lo;
      d[k].hi = sp;
      d[k].alive = !t->exited;
      d[k].order = i;
      k++;
   }
   /* keep the intervals of the threads that own the memory now */
   VG_(ssort)(d, k, sizeof(DeadStack), cmp_dead_priority);
   for (i = 0; i < k; i++) {
      Bool clash = False;
      for (j = 0; j < kept; j++)
         if (d[i].lo < d[j].hi && d[j].lo < d[i].hi) clash = True;
      if (!clash) d[kept++] = d[i];
   }
   VG_(ssort)(d, kept, sizeof(DeadStack), cmp_dead_addr);
   *out = d;
   return kept;
}

static void scan_roots(void)
{
   Int n_starts, i;
   Addr* starts = VG_(get_segment_starts)(SkFileC | SkAnonC | SkShmC, &n_starts);
   DeadStack* dead;
   UInt n_dead = dead_stacks(&dead), di;
   for (i = 0; i < n_starts; i++) {
      NSegment const* seg = VG_(am_find_nsegment)(starts[i]);
      Addr from, to;
      if (!seg) continue;
      if (!(seg->hasR && seg->hasW)) continue;      /* text, RELRO, rodata */
      if (seg->isCH) continue;                      /* the heap arena */
      /* Device mappings may hang or have side effects; /dev/zero is
         ordinary memory. */
      if (seg->kind == SkFileC
          && (VKI_S_ISCHR(seg->mode) || VKI_S_ISBLK(seg->mode))) {
         const HChar* name = VG_(am_get_filename)(seg);
         if (!name || !VG_STREQ(name, "/dev/zero")) continue;
      }
      /* the segment minus the dead stacks, in address order */
      from = seg->start;
      to = seg->end + 1;
      for (di = 0; di < n_dead && from < to; di++) {
         if (dead[di].hi <= from || dead[di].lo >= to) continue;
         if (dead[di].lo > from) scan_range(from, dead[di].lo - from, True, -1, True);
         from = dead[di].hi;
      }
      if (from < to) scan_range(from, to - from, True, -1, True);
   }
   VG_(free)(starts);
   VG_(free)(dead);
}

static void reg_root(ThreadId tid, const HChar* regname, UWord val)
{
   if (val - lc_ix.lo < lc_ix.hi - lc_ix.lo) mark_ptr(val, True);
}

/* ---- results ----------------------------------------------------------- */

static void init_block(UInt id, const GpBlk* b, void* opaque)
{
   lc_state[id] = GP_LK_DEFINITE;     /* unreached until shown otherwise */
}

typedef struct {
   GpLeakResult* r;
   GpWordMap     map;        /* (site << 2 | kind) + 1 -> record index + 1 */
   XArray*       recs;       /* GpLeakRecord */
   UWord         last_key;   /* neighbouring blocks often share a record */
   Word          last_rec;
} Collect;

static void collect_block(UInt id, const GpBlk* b, void* opaque)
{
   Collect* c = opaque;
   UInt st = lc_state[id] & ST_MASK;
   UInt h = (lc_state[id] & ST_HMASK) >> ST_HSHIFT;
   UWord key = (((UWord)b->rec->site << 2) | st) + 1;
   GpLeakRecord* lr;
   if (key != c->last_key) {
      UWord* slot = gp_wmap_insert(&c->map, key);
      if (!*slot) {
         GpLeakRecord nr;
         VG_(memset)(&nr, 0, sizeof(nr));
         nr.kind = st;
         nr.site = gp_site_by_index(b->rec->site);
         VG_(addToXA)(c->recs, &nr);
         *slot = (UWord)VG_(sizeXA)(c->recs);
      }
      c->last_key = key;
      c->last_rec = (Word)*slot - 1;
   }
   lr = VG_(indexXA)(c->recs, c->last_rec);
   lr->blocks++;
   lr->bytes += b->size;
   if (st == GP_LK_DEFINITE) lr->indirect_bytes += lc_indirect[id];
   if (st == GP_LK_REACHABLE && h != GP_LH_NONE) {
      c->r->heuristic[h].bytes += b->size;
      c->r->heuristic[h].blocks++;
   }
}

/* Largest first (direct + indirect), then definite before indirect before
   possible before reachable, more blocks first, then by stack. */
static Int cmp_records(const void* pa, const void* pb)
{
   const GpLeakRecord* a = pa;
   const GpLeakRecord* b = pb;
   ULong ta = a->bytes + a->indirect_bytes, tb = b->bytes + b->indirect_bytes;
   Int r;
   if (ta != tb) return ta > tb ? -1 : 1;
   if (a->kind != b->kind) return a->kind > b->kind ? -1 : 1;
   if (a->blocks != b->blocks) return a->blocks > b->blocks ? -1 : 1;
   if ((r = gp_heap_site_cmp(a->site, b->site))) return r;
   return 0;
}

const HChar* gp_leak_kind_name(UInt kind)
{
   switch (kind) {
   case GP_LK_DEFINITE:  return "definitely lost";
   case GP_LK_INDIRECT:  return "indirectly lost";
   case GP_LK_POSSIBLE:  return "possibly lost";
   default:              return "still reachable";
   }
}

const HChar* gp_leak_kind_word(UInt kind)
{
   switch (kind) {
   case GP_LK_DEFINITE:  return "definite";
   case GP_LK_INDIRECT:  return "indirect";
   case GP_LK_POSSIBLE:  return "possible";
   default:              return "reachable";
   }
}

const HChar* gp_leak_heuristic_name(UInt h)
{
   switch (h) {
   case GP_LH_STDSTRING:           return "stdstring";
   case GP_LH_LENGTH64:            return "length64";
   case GP_LH_NEWARRAY:            return "newarray";
   case GP_LH_MULTIPLEINHERITANCE: return "multipleinheritance";
   default:                        return "none";
   }
}

void gp_leak_check(GpLeakResult* r, Bool report_errors)
{
   UInt i, n;
   Collect c;
   fault_catcher_t prev_catcher;
   VG_(memset)(r, 0, sizeof(*r));
   r->done = True;
   if (gp_store_live_count() == 0) return;

   gp_store_index_build(&lc_ix);
   n = lc_ix.n_ids;
   lc_state = VG_(malloc)(GP_CC("leak.state"), n + 1);
   VG_(memset)(lc_state, ST_NOBLOCK, n + 1);
   lc_indirect = VG_(calloc)(GP_CC("leak.ind"), n + 1, sizeof(ULong));
   lc_stack = VG_(malloc)(GP_CC("leak.stack"), (n + 1) * sizeof(UInt));
   lc_top = 0;
   lc_scanned = lc_skipped = 0;
   lc_heuristics = gp_heap_clo.heuristics & ~GP_LH_BIT(GP_LH_NONE);
   gp_store_index_each(&lc_ix, init_block, NULL);

   /* Faults while reading client memory are caught for the whole check
      (the heuristics and the register roots read memory too). */
   prev_catcher = VG_(set_fault_catcher)(fault_catcher);

   /* 1. reachability from the roots */
   scan_roots();
   VG_(apply_to_GP_regs)(reg_root);
   process_stack(-1);

   /* 2. cliques of the unreached */
   for (i = 0; i < n; i++) {
      if (lc_state[i] & ST_NOBLOCK) continue;
      if ((lc_state[i] & ST_MASK) != GP_LK_DEFINITE) continue;
      push(i);
      process_stack((Int)i);
   }

   VG_(set_fault_catcher)(prev_catcher);

   /* 3. loss records */
   c.r = r;
   c.last_key = 0;
   c.last_rec = 0;
   gp_wmap_init(&c.map, GP_CC("leak.map"), 256);
   c.recs = VG_(newXA)(VG_(malloc), GP_CC("leak.recs"), VG_(free), sizeof(GpLeakRecord));
   gp_store_index_each(&lc_ix, collect_block, &c);
   r->n_records = (UInt)VG_(sizeXA)(c.recs);
   r->records = VG_(malloc)(GP_CC("leak.recs"), (r->n_records + 1) * sizeof(GpLeakRecord));
   if (r->n_records)
      VG_(memcpy)(r->records, VG_(indexXA)(c.recs, 0), r->n_records * sizeof(GpLeakRecord));
   VG_(deleteXA)(c.recs);
   gp_wmap_free(&c.map);
   VG_(ssort)(r->records, r->n_records, sizeof(GpLeakRecord), cmp_records);
   r->scanned_bytes = lc_scanned;
   r->skipped_bytes = lc_skipped;

   VG_(free)(lc_state);
   VG_(free)(lc_indirect);
   VG_(free)(lc_stack);
   lc_state = NULL;
   lc_indirect = NULL;
   lc_stack = NULL;
   gp_store_index_free(&lc_ix);

   /* 4. summary, and each record once through the error manager */
   for (i = 0; i < r->n_records; i++) {
      GpLeakRecord* lr = &r->records[i];
      lr->number = i + 1;
      lr->of = r->n_records;
      if (report_errors) {
         Bool full = gp_heap_clo.leak_check == GP_LC_FULL;
         Bool show = full && (gp_heap_clo.show_kinds & GP_LK_BIT(lr->kind));
         Bool count = full && (gp_heap_clo.error_kinds & GP_LK_BIT(lr->kind));
         /* The report's LEAKS section lists the records; Valgrind prints
            them itself where that section is not shown (-q), and for
            --xml=yes and --gen-suppressions. */
         Bool print = show && (VG_(clo_verbosity) == 0 || VG_(clo_xml)
                               || VG_(clo_gen_suppressions) > 0);
         lr->shown = show;
         lr->suppressed = gp_err_leak(lr, print, count);
      }
      if (lr->suppressed) {
         r->suppressed.bytes += lr->bytes;
         r->suppressed.blocks += lr->blocks;
      } else {
         r->kind[lr->kind].bytes += lr->bytes;
         r->kind[lr->kind].blocks += lr->blocks;
      }
   }
}

void gp_leak_result_free(GpLeakResult* r)
{
   if (r->records) VG_(free)(r->records);
   VG_(memset)(r, 0, sizeof(*r));
}
