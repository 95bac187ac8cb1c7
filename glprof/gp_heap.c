/* gp_heap.c -- the replaced allocators' tool side: every malloc, calloc,
   realloc, memalign, new and delete of the client lands here (called from
   the preload through a client request, on the real CPU inside the core,
   holding the big lock).

   Per call:
     - the block is taken from the store (gp_heap_store.c) and zeroed, so
       the leak check never mistakes stale memory for pointers (Memcheck
       knows such memory is undefined; glprof has no shadow memory);
     - the allocation site is the call stack, read from glprof's shadow
       call stack (no unwinding) and deduplicated by a hash of its IPs;
       debug info is resolved only the first time a stack is seen;
     - totals count as Memcheck's "total heap usage" counts;
     - the global peak is kept as DHAT keeps it (live total against its
       maximum), and per-site live bytes at the peak are snapshotted
       lazily, when the peak is about to be left, for the sites that
       changed since the last snapshot only;
     - each site integrates its live bytes over time, for the growth fit
       (a least-squares line through live bytes against instructions);
     - frees are validated before anything is released: a double free, a
       pointer that is not a heap block, a mismatched free are counted and
       reported through Valgrind's error manager, and the client goes on.

   Analysis at the end (gp_heap_analyse) runs the leak check (gp_leak.c),
   fits the growth lines, flags churn, and sorts everything for the
   writers (gp_heap_out.c). */

#include "gp_heap_int.h"
#include "gp_options.h"
#include "gp_profile.h"
#include "gp_util.h"
#include "gp_threads.h"
#include "gp_callstack.h"
#include "gp_control.h"
#include "gp_heap_req.h"
#include "gp_fastcall.h"
#include "pub_tool_vki.h"
#include "memcheck.h"

GpHeapTotals  gp_heap;
GpHeapOptions gp_heap_clo;

static Bool tracking;            /* --heap=yes: sites, peak, leak check */

/* ====================================================================== */
/* Sites                                                                   */
/* ====================================================================== */

/* An IP vector seen at an allocation, and the site it resolved to.
   Several vectors may resolve to the same site (two calls on one line). */
typedef struct IpKey {
   ULong   hash;
   UInt    n;
   GpSite* site;
   Addr    ips[0];
} IpKey;

static IpKey**   ipk_tab;
static ULong*    ipk_hash;        /* the keys' hashes, beside the table:
                                     probes compare them without touching
                                     the keys */
static UWord     ipk_mask;
static UWord     ipk_used;
static GpWordMap stack_to_site;   /* hash of (shown stack, alloc_fn) -> GpSite*
                                     chain (sites with the same hash are
                                     chained through site_next) */
static GpWordMap fn_of_ip;        /* IP -> name of the function containing it */
static GpSite**  site_arr;        /* by index - 1 */
static UInt      n_sites, cap_sites;
static GpSite*   dirty_head;      /* sites changed since the last peak snapshot */
static GpSite*   untracked_site;  /* the one site used with --heap=no */
static ULong     site_bytes;      /* tool memory used by sites and keys */
static UInt      cur_mark;        /* GLPROF_ITERATION marks so far */

#define GP_MAX_IPS 256

GpSite* gp_site_by_index(UInt i) { return site_arr[i - 1]; }
UInt    gp_site_count(void) { return n_sites; }

ExeContext* gp_site_ec(GpSite* s)
{
   if (!s->ec)
      s->ec = VG_(make_ExeContext_from_StackTrace)(s->ips, s->n_ips);
   return s->ec;
}

UInt gp_heap_stack_ips(ThreadId tid, Addr* ips, UInt max)
{
   GpThread* t;
   if (max > GP_MAX_IPS) max = GP_MAX_IPS;
   if (gp_clo.cpu && (t = gp_thread_of(tid)) != NULL && t->frames)
      return gp_cs_stack_ips(t, VG_(get_IP)(tid), ips, max);
   return VG_(get_StackTrace)(tid, ips, max, NULL, NULL, 0);
}

static inline ULong hash_ips(const Addr* ips, UInt n)
{
   ULong h = 0x9E3779B97F4A7C15ULL ^ n;
   UInt i;
   for (i = 0; i < n; i++) h = (h ^ ips[i]) * 0xff51afd7ed558ccdULL;
   return h ^ (h >> 29);
}

/* Is code address a in a preload object (the replacement allocators)? */
static Bool in_allocator(Addr a)
{
   GpCodeKind kind;
   GpFn* fn = gp_fn_at(a, &kind);
   const HChar* base;
   if (!fn || !fn->obj || !fn->obj->name) return False;
   base = VG_(strrchr)(fn->obj->name, '/');
   base = base ? base + 1 : fn->obj->name;
   return VG_(strncmp)(base, "vgpreload_", 10) == 0;
}

/* The name of the function containing code address a (not the functions
   inlined there), cached: deciding where main is must not resolve every
   IP of every new stack again. */
static const HChar* containing_fn(Addr a)
{
   UWord* v = gp_wmap_find(&fn_of_ip, a);
   if (!v) {
      GpStack* one = gp_stack_from_ips(&a, 1);
      v = gp_wmap_insert(&fn_of_ip, a);
      *v = (UWord)(one->n ? one->f[one->n - 1]->name : "");
   }
   return (const HChar*)*v;
}

/* The stack a site or a bad free is shown with: without the allocator's
   own frames (malloc in the preload; *alloc_fn gets the outermost of
   them, the function the client called), and without the frames below
   main (unless --show-below-main=yes), as Memcheck prints stacks. */
static GpStack* shown_stack(const Addr* ips, UInt n, const HChar** alloc_fn)
{
   UInt k = 0, end = n, j;
   while (k + 1 < n && in_allocator(ips[k])) k++;
   if (alloc_fn) *alloc_fn = k ? gp_frame_at(ips[k - 1])->name : NULL;
   if (!VG_(clo_show_below_main)) {
      for (j = k; j < n; j++) {
         const HChar* name = containing_fn(ips[j]);
         if (VG_STREQ(name, "main")) { end = j + 1; break; }
         if (j > k && VG_STREQ(name, "(below main)")) { end = j; break; }
      }
   }
   return gp_stack_from_ips(ips + k, end - k);
}

static GpSite* site_new(GpStack* stack, const HChar* alloc_fn, const Addr* ips, UInt n)
{
   GpSite* s = VG_(calloc)(GP_CC("heap.site"), 1, sizeof(GpSite));
   s->full = stack;
   s->stack = stack;
   s->alloc_fn = alloc_fn;
   s->ips = ips;
   s->n_ips = n;
   s->g_t0 = s->g_tl = gp_icount;
   s->it_last = cur_mark;
   if (n_sites == cap_sites) {
      cap_sites = cap_sites ? cap_sites * 2 : 256;
      site_arr = VG_(realloc)(GP_CC("heap.sites"), site_arr, cap_sites * sizeof(GpSite*));
   }
   site_arr[n_sites++] = s;
   s->index = n_sites;
   site_bytes += sizeof(GpSite);
   return s;
}

static void ipk_grow(void)
{
   UWord ncap = (ipk_mask + 1) * 2, i;
   IpKey** nt = VG_(calloc)(GP_CC("heap.ipk"), ncap, sizeof(IpKey*));
   ULong*  nh = VG_(calloc)(GP_CC("heap.ipk"), ncap, sizeof(ULong));
   for (i = 0; i <= ipk_mask; i++) {
      IpKey* k = ipk_tab[i];
      UWord j;
      if (!k) continue;
      j = (UWord)k->hash & (ncap - 1);
      while (nt[j]) j = (j + 1) & (ncap - 1);
      nt[j] = k;
      nh[j] = k->hash;
   }
   VG_(free)(ipk_tab);
   VG_(free)(ipk_hash);
   site_bytes += (ncap - (ipk_mask + 1)) * (sizeof(IpKey*) + sizeof(ULong));
   ipk_tab = nt;
   ipk_hash = nh;
   ipk_mask = ncap - 1;
}

static inline Bool same_ips(const Addr* a, const Addr* b, UInt n)
{
   UInt i;
   for (i = 0; i < n; i++) if (a[i] != b[i]) return False;
   return True;
}

static IpKey* last_key;      /* loops allocate from one stack again and again */

static GpSite* site_for_ips(const Addr* ips, UInt n)
{
   ULong h;
   UWord i;
   IpKey* k;
   UWord* slot;
   if (last_key && last_key->n == n && same_ips(last_key->ips, ips, n))
      return last_key->site;
   h = hash_ips(ips, n);
   i = (UWord)h & ipk_mask;
   for (;;) {
      k = ipk_tab[i];
      if (!k) break;
      if (ipk_hash[i] == h && k->n == n && same_ips(k->ips, ips, n)) {
         last_key = k;
         return k->site;
      }
      i = (i + 1) & ipk_mask;
   }
   /* First time this stack is seen: resolve it now, while its debug info
      is loaded (the code may be unloaded before exit). */
   k = VG_(malloc)(GP_CC("heap.ipk"), sizeof(IpKey) + n * sizeof(Addr));
   k->hash = h;
   k->n = n;
   VG_(memcpy)(k->ips, ips, n * sizeof(Addr));
   site_bytes += sizeof(IpKey) + n * sizeof(Addr);
   {
      /* A site is what is shown: the stack without the allocator's frames
         and the allocator called (malloc and calloc on one line are two
         sites).  IP vectors that resolve alike share it. */
      const HChar* afn;
      GpStack* st = shown_stack(ips, n, &afn);
      UWord key = gp_hash2((UWord)st, (UWord)afn) | 1;
      GpSite* site;
      slot = gp_wmap_insert(&stack_to_site, key);
      for (site = (GpSite*)*slot; site; site = site->site_next)
         if (site->stack == st && site->alloc_fn == afn) break;
      if (!site) {
         site = site_new(st, afn, k->ips, n);
         site->site_next = (GpSite*)*slot;
         *slot = (UWord)site;
      }
      k->site = site;
   }
   ipk_tab[i] = k;
   ipk_hash[i] = h;
   if (++ipk_used * 4 > (ipk_mask + 1) * 3) ipk_grow();
   last_key = k;
   return k->site;
}

static GpSite* site_here(ThreadId tid)
{
   Addr ips[GP_MAX_IPS];
   UInt n;
   if (!tracking) return untracked_site;
   n = gp_heap_stack_ips(tid, ips, VG_(clo_backtrace_size));
   if (n == 0) { ips[0] = VG_(get_IP)(tid); n = 1; }
   return site_for_ips(ips, n);
}

/* ====================================================================== */
/* Accounting: totals, peak, site figures, growth integrals               */
/* ====================================================================== */

static Bool at_peak;    /* live bytes equal the peak: a snapshot is due
                           before they go down */

/* Sites changed since the last snapshot take their live figures as the
   figures at the global peak (the others have not changed since). */
static void snapshot_peak(void)
{
   GpSite* s = dirty_head;
   while (s) {
      GpSite* nx = s->next_dirty;
      s->peak_bytes = s->live_bytes;
      s->peak_blocks = s->live_blocks;
      s->dirty = False;
      s->next_dirty = NULL;
      s = nx;
   }
   dirty_head = NULL;
}

static inline void before_decrease(void)
{
   if (GP_UNLIKELY(at_peak)) {
      snapshot_peak();
      at_peak = False;
   }
}

static inline void after_increase(void)
{
   /* ">=" records the latest of equal peaks, as DHAT does. */
   if (gp_heap.live_bytes >= gp_heap.peak_bytes) {
      gp_heap.peak_bytes = gp_heap.live_bytes;
      gp_heap.peak_blocks = gp_heap.live_blocks;
      gp_heap.peak_time = gp_icount;
      at_peak = True;
   }
   if (GP_UNLIKELY(gp_regions_open)) gp_control_note_live(gp_heap.live_bytes);
}

/* Live bytes y held constant over iteration marks (a, b] (x = the mark's
   number; marks of the warm-up are left out): folded into the site's
   per-iteration least-squares sums. */
static void fold_marks(GpSite* s, UInt a, UInt b)
{
   UInt w = gp_control_warmup();
   double c, sx, sxx, y;
   if (a < w) a = w;
   if (b <= a) return;
   c = (double)(b - a);
   sx = ((double)a + 1 + (double)b) * c / 2;
   sxx = ((double)b * (b + 1) * (2.0 * b + 1) - (double)a * (a + 1) * (2.0 * a + 1)) / 6;
   y = (double)s->live_bytes;
   s->it_n += c;
   s->it_x += sx;
   s->it_xx += sxx;
   s->it_y += y * c;
   s->it_xy += y * sx;
   s->it_yy += y * y * c;
}

/* Called before a site's live figures change: integrates its live bytes
   over the time since its last change, and marks it for the next peak
   snapshot.  With t relative to the site's first allocation, the live
   bytes y(t) are constant on [a, b): sum y*(b-a), y*(b^2-a^2)/2 and
   y^2*(b-a). */
static inline void site_touch(GpSite* s)
{
   ULong now = gp_icount;
   if (GP_UNLIKELY(s->it_last != cur_mark)) {
      fold_marks(s, s->it_last, cur_mark);
      s->it_last = cur_mark;
   }
   if (now != s->g_tl) {
      if (s->live_bytes) {
         double y = (double)s->live_bytes;
         double a = (double)(s->g_tl - s->g_t0);
         double dt = (double)(now - s->g_tl);
         s->g_y += y * dt;
         s->g_ty += y * dt * (a + a + dt) * 0.5;
         s->g_yy += y * y * dt;
      }
      s->g_tl = now;
   }
   if (!s->dirty) {
      s->dirty = True;
      s->next_dirty = dirty_head;
      dirty_head = s;
   }
}

static inline void site_add(GpSite* s, SizeT n)
{
   site_touch(s);
   s->allocs++;
   s->bytes += n;
   s->live_blocks++;
   s->live_bytes += n;
   if (s->live_bytes > s->max_live_bytes || s->max_live_blocks == 0) {
      s->max_live_bytes = s->live_bytes;
      s->max_live_blocks = s->live_blocks;
   }
}

static inline void site_remove(GpSite* s, SizeT n, ULong born)
{
   ULong life = gp_icount - born;
   site_touch(s);
   s->frees++;
   s->freed_bytes += n;
   s->live_blocks--;
   s->live_bytes -= n;
   s->lifetime_sum += life;
   if (life <= gp_heap_clo.short_lived) s->short_lived++;
}

static inline ULong born_of(const GpSlot* r) { return r->born_kind >> 2; }
static inline UInt  kind_of(const GpSlot* r) { return (UInt)(r->born_kind & 3); }

static void note_alloc(GpSite* s, SizeT n)
{
   gp_heap.total_allocs++;
   gp_heap.total_bytes += n;
   site_add(s, n);
   gp_heap.live_blocks++;
   gp_heap.live_bytes += n;
   after_increase();
}

static void note_free(GpSite* s, SizeT n, ULong born)
{
   before_decrease();
   site_remove(s, n, born);
   gp_heap.live_blocks--;
   gp_heap.live_bytes -= n;
}

/* ---- recently freed blocks (to describe double frees) ----------------- */

#define N_FREED 256
static GpFreedRec freed_ring[N_FREED];
static UInt       freed_next;

static void remember_freed(Addr p, SizeT n, UInt site)
{
   GpFreedRec* r = &freed_ring[freed_next++ % N_FREED];
   r->payload = p;
   r->size = n;
   r->site = site;
}

Bool gp_heap_recently_freed(Addr p, GpFreedRec* out)
{
   UInt i;
   /* newest first */
   for (i = 1; i <= N_FREED; i++) {
      GpFreedRec* r = &freed_ring[(freed_next - i) % N_FREED];
      if (r->site && p >= r->payload && p < r->payload + (r->size ? r->size : 1)) {
         *out = *r;
         return True;
      }
   }
   return False;
}

/* ---- bad frees per call stack ------------------------------------------ */

static XArray* bad_frees;     /* GpBadFree */

void gp_heap_note_bad_free(ThreadId tid, UInt kind)
{
   Addr ips[GP_MAX_IPS];
   UInt n = gp_heap_stack_ips(tid, ips, VG_(clo_backtrace_size));
   GpStack* st;
   Word i;
   GpBadFree bf;
   if (!tracking || n == 0) return;
   st = shown_stack(ips, n, NULL);
   for (i = 0; i < VG_(sizeXA)(bad_frees); i++) {
      GpBadFree* b = VG_(indexXA)(bad_frees, i);
      if (b->stack == st && b->kind == kind) { b->count++; return; }
   }
   bf.stack = st;
   bf.kind = kind;
   bf.count = 1;
   VG_(addToXA)(bad_frees, &bf);
}

UInt gp_heap_bad_free_count(void) { return bad_frees ? (UInt)VG_(sizeXA)(bad_frees) : 0; }
GpBadFree* gp_heap_bad_free(UInt i) { return VG_(indexXA)(bad_frees, i); }

/* ====================================================================== */
/* The allocator hooks                                                     */
/* ====================================================================== */

const HChar* gp_heap_alloc_fn_name(UInt kind)
{
   switch (kind) {
   case GP_AK_NEW:    return "operator new";
   case GP_AK_NEWVEC: return "operator new[]";
   case GP_AK_CUSTOM: return "VALGRIND_MALLOCLIKE_BLOCK";
   default:           return "malloc";
   }
}

const HChar* gp_heap_free_fn_name(UInt kind)
{
   switch (kind) {
   case GP_AK_NEW:    return "operator delete";
   case GP_AK_NEWVEC: return "operator delete[]";
   case GP_AK_CUSTOM: return "VALGRIND_FREELIKE_BLOCK";
   default:           return "free";
   }
}

/* zero: the caller needs zeros (calloc).  A tracked heap clears every new
   block: the leak check must not take what an earlier block left there
   for a pointer (Memcheck never scans bytes the client did not write,
   they are undefined).  Untracked (--heap=no), nothing reads them. */
static void* alloc_block(ThreadId tid, SizeT n, SizeT align, UInt kind, Bool zero)
{
   GpBlk b;
   GpSite* s;
   /* A "negative" size is refused without counting, as Memcheck refuses
      it (its "fishy value" check); blocks must fit the store's records. */
   if ((SSizeT)n < 0) return NULL;
   gp_icount_sync(tid);    /* the scheduler's path to here folds nothing */
   s = site_here(tid);
   if (!gp_store_alloc(n, align, &b)) return NULL;
   if (zero || tracking) gp_store_zero(b.payload, n);
   b.rec->site = s->index;
   b.rec->born_kind = (gp_icount << 2) | kind;
   note_alloc(s, n);
   return (void*)b.payload;
}

/* Frees p as 'fkind' (GP_AK_*) would.  Bad frees are reported and change
   nothing else. */
static void free_block(ThreadId tid, Addr p, UInt fkind)
{
   GpBlk b;
   UInt kind;
   GpSite* s;
   if (p == 0) return;
   gp_icount_sync(tid);
   gp_heap.total_frees++;          /* Memcheck counts every free it sees */
   if (!gp_store_find(p, &b, fkind == GP_AK_CUSTOM)) {
      gp_heap.invalid_frees++;
      gp_err_invalid_free(tid, p, fkind);
      return;
   }
   kind = kind_of(b.rec);
   if (kind != fkind) {
      gp_heap.mismatched_frees++;
      gp_err_mismatched_free(tid, &b, fkind);
   }
   s = gp_site_by_index(b.rec->site);
   note_free(s, b.size, born_of(b.rec));
   remember_freed(b.payload, b.size, b.rec->site);
   /* Memory the client owns (custom blocks, or a malloc'd block the client
      declared freed with FREELIKE) is only forgotten, never released. */
   gp_store_free(&b, kind != GP_AK_CUSTOM && fkind != GP_AK_CUSTOM);
}

static void* realloc_block(ThreadId tid, Addr p_old, SizeT n)
{
   GpBlk b, nb;
   GpSite *old_site, *new_site;
   SizeT old_n;
   ULong old_born;
   UInt kind;
   Addr q;

   if (p_old == 0)                      /* done by the 3.19 preload */
      return alloc_block(tid, n, VG_(clo_alignment), GP_AK_MALLOC, False);
   if ((SSizeT)n < 0) return NULL;
#if defined(GP_VG_MALLOC_ORIG_ALIGN)
   /* Valgrind >= 3.22 passes realloc(p, 0) to the tool. */
   if (n == 0) {
      if (VG_(clo_realloc_zero_bytes_frees)) {
         free_block(tid, p_old, GP_AK_MALLOC);
         return NULL;
      }
      n = 1;
   }
#endif
   gp_icount_sync(tid);
   /* Memcheck counts a realloc as a free and an allocation, before it
      looks at the pointer. */
   gp_heap.total_frees++;
   gp_heap.total_allocs++;
   gp_heap.total_bytes += n;
   if (!gp_store_find(p_old, &b, False)) {
      gp_heap.invalid_frees++;
      gp_err_invalid_free(tid, p_old, GP_AK_MALLOC);
      return NULL;
   }
   kind = kind_of(b.rec);
   if (kind != GP_AK_MALLOC) {
      gp_heap.mismatched_frees++;
      gp_err_mismatched_free(tid, &b, GP_AK_MALLOC);
   }
   new_site = site_here(tid);
   old_site = gp_site_by_index(b.rec->site);
   old_n = b.size;
   old_born = born_of(b.rec);

   if (kind != GP_AK_CUSTOM && gp_store_resize_in_place(&b, n)) {
      q = b.payload;
      if (n > old_n && tracking) gp_store_zero(q + old_n, n - old_n);
      b.rec->site = new_site->index;
      b.rec->born_kind = (gp_icount << 2) | GP_AK_MALLOC;
   } else {
      if (!gp_store_alloc(n, VG_(clo_alignment), &nb))
         return NULL;                    /* the old block stays */
      q = nb.payload;
      VG_(memcpy)((void*)q, (void*)b.payload, old_n < n ? old_n : n);
      if (n > old_n && tracking) gp_store_zero(q + old_n, n - old_n);
      nb.rec->site = new_site->index;
      nb.rec->born_kind = (gp_icount << 2) | GP_AK_MALLOC;
      remember_freed(b.payload, old_n, b.rec->site);
      gp_store_free(&b, kind != GP_AK_CUSTOM);
   }
   /* The block moves to the realloc's site (as Memcheck reports it); the
      live total changes by the difference only (as DHAT counts it). */
   if (n < old_n) before_decrease();
   site_remove(old_site, old_n, old_born);
   site_add(new_site, n);
   gp_heap.live_bytes = gp_heap.live_bytes - old_n + n;
   if (n >= old_n) after_increase();
   return (void*)q;
}

static void* h_malloc(ThreadId tid, SizeT n)
{ return alloc_block(tid, n, VG_(clo_alignment), GP_AK_MALLOC, False); }
static void* h_new(ThreadId tid, SizeT n)
{ return alloc_block(tid, n, VG_(clo_alignment), GP_AK_NEW, False); }
static void* h_vec_new(ThreadId tid, SizeT n)
{ return alloc_block(tid, n, VG_(clo_alignment), GP_AK_NEWVEC, False); }

static void* h_calloc(ThreadId tid, SizeT m, SizeT n)
{
   if ((SSizeT)m < 0 || (SSizeT)n < 0) return NULL;
   if (n && m > ~(SizeT)0 / n) return NULL;      /* overflow */
   return alloc_block(tid, m * n, VG_(clo_alignment), GP_AK_MALLOC, True);
}

static SizeT max_align(SizeT a)
{ return a > VG_(clo_alignment) ? a : VG_(clo_alignment); }

#if defined(GP_VG_MALLOC_ORIG_ALIGN)
static void* h_memalign(ThreadId tid, SizeT align, SizeT orig, SizeT n)
{ return alloc_block(tid, n, max_align(align), GP_AK_MALLOC, False); }
static void* h_new_aligned(ThreadId tid, SizeT n, SizeT align, SizeT orig)
{ return alloc_block(tid, n, max_align(align), GP_AK_NEW, False); }
static void* h_vec_new_aligned(ThreadId tid, SizeT n, SizeT align, SizeT orig)
{ return alloc_block(tid, n, max_align(align), GP_AK_NEWVEC, False); }
#else
static void* h_memalign(ThreadId tid, SizeT align, SizeT n)
{ return alloc_block(tid, n, max_align(align), GP_AK_MALLOC, False); }
static void* h_new_aligned(ThreadId tid, SizeT n, SizeT align)
{ return alloc_block(tid, n, max_align(align), GP_AK_NEW, False); }
static void* h_vec_new_aligned(ThreadId tid, SizeT n, SizeT align)
{ return alloc_block(tid, n, max_align(align), GP_AK_NEWVEC, False); }
#endif

static void h_free(ThreadId tid, void* p)
{ free_block(tid, (Addr)p, GP_AK_MALLOC); }
static void h_delete(ThreadId tid, void* p)
{ free_block(tid, (Addr)p, GP_AK_NEW); }
static void h_vec_delete(ThreadId tid, void* p)
{ free_block(tid, (Addr)p, GP_AK_NEWVEC); }
static void h_delete_aligned(ThreadId tid, void* p, SizeT align)
{ free_block(tid, (Addr)p, GP_AK_NEW); }
static void h_vec_delete_aligned(ThreadId tid, void* p, SizeT align)
{ free_block(tid, (Addr)p, GP_AK_NEWVEC); }

static void* h_realloc(ThreadId tid, void* p, SizeT n)
{ return realloc_block(tid, (Addr)p, n); }

/* As Memcheck: the size the client asked for (0 for a pointer that is not
   the start of a live block). */
static SizeT h_usable_size(ThreadId tid, void* p)
{
   GpBlk b;
   return gp_store_find((Addr)p, &b, False) ? b.size : 0;
}

void gp_heap_register(void)
{
   /* the most frequent first: the fast path looks them up in this order */
   static const Addr handlers[] = {
      (Addr)h_malloc, (Addr)h_free, (Addr)h_calloc, (Addr)h_realloc,
      (Addr)h_new, (Addr)h_delete, (Addr)h_vec_new, (Addr)h_vec_delete,
      (Addr)h_new_aligned, (Addr)h_vec_new_aligned, (Addr)h_memalign,
      (Addr)h_delete_aligned, (Addr)h_vec_delete_aligned, (Addr)h_usable_size
   };
   VG_(needs_malloc_replacement)(h_malloc, h_new, h_new_aligned,
                                 h_vec_new, h_vec_new_aligned, h_memalign,
                                 h_calloc, h_free, h_delete, h_delete_aligned,
                                 h_vec_delete, h_vec_delete_aligned, h_realloc,
                                 h_usable_size, 0);
   /* The preload calls these through client requests: let them be
      answered from the translated code (gp_fastcall.h). */
   gp_fastcall_allow(handlers, sizeof(handlers) / sizeof(handlers[0]));
   gp_heap_errors_register();
   gp_heap_clo.leak_check = GP_LC_FULL;
   gp_heap_clo.show_kinds = GP_LK_BIT(GP_LK_DEFINITE) | GP_LK_BIT(GP_LK_POSSIBLE);
   gp_heap_clo.error_kinds = GP_LK_BIT(GP_LK_DEFINITE) | GP_LK_BIT(GP_LK_POSSIBLE);
   gp_heap_clo.heuristics = GP_LH_BIT(GP_LH_STDSTRING) | GP_LH_BIT(GP_LH_LENGTH64)
                          | GP_LH_BIT(GP_LH_NEWARRAY)
                          | GP_LH_BIT(GP_LH_MULTIPLEINHERITANCE);
   gp_heap_clo.show_mismatched = True;
   gp_heap_clo.short_lived = 1000;
   gp_heap_clo.churn_min_blocks = 1000;
   gp_heap_clo.churn_min_pct = 50;
   gp_heap_clo.growth_min_bytes = 4096;
   gp_heap_clo.growth_min_steps = 10;
   gp_heap_clo.growth_min_fit = 900;
}

void gp_heap_init(void)
{
   tracking = gp_clo.heap;
   gp_store_init();
   ipk_mask = 1023;
   ipk_tab = VG_(calloc)(GP_CC("heap.ipk"), ipk_mask + 1, sizeof(IpKey*));
   ipk_hash = VG_(calloc)(GP_CC("heap.ipk"), ipk_mask + 1, sizeof(ULong));
   site_bytes = (ipk_mask + 1) * (sizeof(IpKey*) + sizeof(ULong));
   gp_wmap_init(&stack_to_site, GP_CC("heap.sites"), 256);
   gp_wmap_init(&fn_of_ip, GP_CC("heap.fnip"), 256);
   bad_frees = VG_(newXA)(VG_(malloc), GP_CC("heap.bad"), VG_(free), sizeof(GpBadFree));
   if (!tracking) {
      static Addr none[1];
      untracked_site = site_new(NULL, NULL, none, 0);
   }
}

/* ====================================================================== */
/* Client requests                                                         */
/* ====================================================================== */

static GpLeakResult last_requested;   /* for COUNT_LEAKS after DO_LEAK_CHECK */

static void custom_alloc(ThreadId tid, Addr p, SizeT n)
{
   GpBlk b;
   GpSite* s;
   if (p == 0 || (SSizeT)n < 0) return;
   s = site_here(tid);
   gp_store_add_custom(p, n, &b);
   b.rec->site = s->index;
   b.rec->born_kind = (gp_icount << 2) | GP_AK_CUSTOM;
   note_alloc(s, n);
}

static void custom_resize(ThreadId tid, Addr p, SizeT old_n, SizeT n)
{
   GpBlk b;
   GpSite* s;
   GpLarge* l;
   if (!gp_store_find(p, &b, True) || b.run || b.size != old_n || n == 0)
      return;                         /* ignored, as Memcheck does */
   s = gp_site_by_index(b.rec->site);
   l = (GpLarge*)b.rec;              /* custom blocks are large records */
   if (n < old_n) before_decrease();
   site_touch(s);
   s->live_bytes = s->live_bytes - old_n + n;
   if (s->live_bytes > s->max_live_bytes) {
      s->max_live_bytes = s->live_bytes;
      s->max_live_blocks = s->live_blocks;
   }
   l->size = n;
   gp_heap.live_bytes = gp_heap.live_bytes - old_n + n;
   if (n >= old_n) after_increase();
}

static void print_leak_summary(const GpLeakResult* r)
{
   VG_(umsg)("LEAK SUMMARY:\n");
   VG_(umsg)("   definitely lost: %s bytes in %s blocks\n",
             gp_fmt_num(r->kind[GP_LK_DEFINITE].bytes), gp_fmt_num(r->kind[GP_LK_DEFINITE].blocks));
   VG_(umsg)("   indirectly lost: %s bytes in %s blocks\n",
             gp_fmt_num(r->kind[GP_LK_INDIRECT].bytes), gp_fmt_num(r->kind[GP_LK_INDIRECT].blocks));
   VG_(umsg)("     possibly lost: %s bytes in %s blocks\n",
             gp_fmt_num(r->kind[GP_LK_POSSIBLE].bytes), gp_fmt_num(r->kind[GP_LK_POSSIBLE].blocks));
   VG_(umsg)("   still reachable: %s bytes in %s blocks\n",
             gp_fmt_num(r->kind[GP_LK_REACHABLE].bytes), gp_fmt_num(r->kind[GP_LK_REACHABLE].blocks));
   VG_(umsg)("        suppressed: %s bytes in %s blocks\n",
             gp_fmt_num(r->suppressed.bytes), gp_fmt_num(r->suppressed.blocks));
}

static void write_count(UWord addr, ULong v)
{
   if (addr && VG_(am_is_valid_for_client)(addr, sizeof(UWord), VKI_PROT_WRITE))
      *(UWord*)addr = (UWord)v;
}

/* exit() was called (gp_heap_preload.c): the thread's stack below SP is
   dead; zero it, so that the frames the exit path lays over it hold only
   what that path writes -- what Memcheck, which marks new frames
   undefined, would scan.  The redzone below SP is zeroed too: the request
   comes from a helper that does nothing after it, and exit()'s frames
   will lie there.  Only the thread's own stack, as Valgrind knows it, is
   touched (not a coroutine stack in the heap). */
static void zero_dead_stack(ThreadId tid)
{
   Addr sp = VG_ROUNDDN(VG_(get_SP)(tid), 8);
   Addr top = VG_(thread_get_stack_max)(tid);
   SizeT size = VG_(thread_get_stack_size)(tid);
   Addr lo = top > size ? top - size : 0;
   NSegment const* seg = VG_(am_find_nsegment)(sp);
   Addr from;
   if (!seg || seg->isCH || seg->kind != SkAnonC || !seg->hasW || sp <= lo || sp > top)
      return;
   from = seg->start > lo ? seg->start : lo;
   while (from > lo) {                   /* a main stack that grew */
      NSegment const* below = VG_(am_find_nsegment)(from - 1);
      if (!below || below->kind != SkAnonC || below->isCH || !below->hasW || !below->hasR)
         break;
      from = below->start > lo ? below->start : lo;
   }
   if (from < sp) gp_zero_exact(from, sp - from);
}

/* VALGRIND_MALLOCLIKE_BLOCK and friends (valgrind.h): custom allocators;
   and the heap's own requests from glprof's preload. */
Bool gp_heap_client_request(ThreadId tid, UWord* arg, UWord* ret)
{
   switch (arg[0]) {
   case _VG_USERREQ__GLPROF_HEAP_EXITING:
      if (tracking && gp_heap_clo.leak_check != GP_LC_OFF) zero_dead_stack(tid);
      break;
   case VG_USERREQ__MALLOCLIKE_BLOCK:
      custom_alloc(tid, arg[1], arg[2]);
      break;
   case VG_USERREQ__FREELIKE_BLOCK:
      free_block(tid, arg[1], GP_AK_CUSTOM);
      break;
   case VG_USERREQ__RESIZEINPLACE_BLOCK:
      custom_resize(tid, arg[1], arg[2], arg[3]);
      break;
   default:
      return False;
   }
   *ret = 0;
   return True;
}

/* Memcheck's leak-check requests (memcheck.h), so programs instrumented
   for Memcheck work unchanged: VALGRIND_DO_LEAK_CHECK (and its quick,
   added and changed forms) runs a check now and prints its summary;
   VALGRIND_COUNT_LEAKS / COUNT_LEAK_BLOCKS read the last one's figures.
   Records of these checks are not errors (the check at exit reports). */
Bool gp_heap_memcheck_request(ThreadId tid, UWord* arg, UWord* ret)
{
   switch (arg[0]) {
   case VG_USERREQ__DO_LEAK_CHECK:
      if (tracking) {
         gp_leak_result_free(&last_requested);
         gp_leak_check(&last_requested, False);
         if (VG_(clo_verbosity) > 0 && !VG_(clo_xml)) print_leak_summary(&last_requested);
      }
      break;
   case VG_USERREQ__COUNT_LEAKS:
      write_count(arg[1], last_requested.kind[GP_LK_DEFINITE].bytes
                          + last_requested.kind[GP_LK_INDIRECT].bytes);
      write_count(arg[2], last_requested.kind[GP_LK_POSSIBLE].bytes);
      write_count(arg[3], last_requested.kind[GP_LK_REACHABLE].bytes);
      write_count(arg[4], last_requested.suppressed.bytes);
      break;
#if defined(GP_VG_MALLOC_ORIG_ALIGN)
   case VG_USERREQ_TOOL_BASE('M', 'C') + 257: {
      /* Valgrind >= 3.22: the preload describes sized and aligned
         deallocations before it frees (_VG_USERREQ__MEMCHECK_VERIFY_ALIGNMENT).
         A sized deallocation with the wrong size is reported as Memcheck
         reports it; the alignment checks are Memcheck's. */
      const struct AlignedAllocInfo* ai = (const struct AlignedAllocInfo*)arg[1];
      const HChar* fns = NULL;
      GpBlk b;
      if (!ai || !VG_(am_is_valid_for_client)((Addr)ai, sizeof(*ai), VKI_PROT_READ))
         break;
      switch (ai->alloc_kind) {
      case AllocKindDeleteSized:
      case AllocKindDeleteSizedAligned:    fns = "new/delete"; break;
      case AllocKindVecDeleteSized:
      case AllocKindVecDeleteSizedAligned: fns = "new[]/delete[]"; break;
      case AllocKindFreeSized:             fns = "aligned_alloc/free_sized"; break;
      case AllocKindFreeAlignedSized:      fns = "aligned_alloc/free_aligned_sized"; break;
      default: break;
      }
      if (fns && ai->mem && gp_store_find((Addr)ai->mem, &b, False)
          && b.size != ai->size) {
         gp_heap.mismatched_frees++;
         gp_err_size_mismatch(tid, &b, ai->size, fns);
      }
      break;
   }
#endif
   case VG_USERREQ__COUNT_LEAK_BLOCKS:
      write_count(arg[1], last_requested.kind[GP_LK_DEFINITE].blocks
                          + last_requested.kind[GP_LK_INDIRECT].blocks);
      write_count(arg[2], last_requested.kind[GP_LK_POSSIBLE].blocks);
      write_count(arg[3], last_requested.kind[GP_LK_REACHABLE].blocks);
      write_count(arg[4], last_requested.suppressed.blocks);
      break;
   default:
      return False;
   }
   *ret = 0;
   return True;
}

/* vgdb "leak_check": a check now, its summary and largest records. */
void gp_heap_leak_check_monitor(void)
{
   GpLeakResult r;
   UInt i, shown = 0;
   const GpBB* k = r.kind;
   if (!tracking) {
      VG_(gdb_printf)("glprof: the heap is not tracked (--heap=no)\n");
      return;
   }
   gp_leak_check(&r, False);
   VG_(gdb_printf)("LEAK SUMMARY:\n");
   VG_(gdb_printf)("   definitely lost: %s bytes in %s blocks\n",
                   gp_fmt_num(k[GP_LK_DEFINITE].bytes), gp_fmt_num(k[GP_LK_DEFINITE].blocks));
   VG_(gdb_printf)("   indirectly lost: %s bytes in %s blocks\n",
                   gp_fmt_num(k[GP_LK_INDIRECT].bytes), gp_fmt_num(k[GP_LK_INDIRECT].blocks));
   VG_(gdb_printf)("     possibly lost: %s bytes in %s blocks\n",
                   gp_fmt_num(k[GP_LK_POSSIBLE].bytes), gp_fmt_num(k[GP_LK_POSSIBLE].blocks));
   VG_(gdb_printf)("   still reachable: %s bytes in %s blocks\n",
                   gp_fmt_num(k[GP_LK_REACHABLE].bytes), gp_fmt_num(k[GP_LK_REACHABLE].blocks));
   for (i = 0; i < r.n_records && shown < gp_clo.top; i++) {
      const GpLeakRecord* lr = &r.records[i];
      const GpStack* st = lr->site->stack;
      UInt f;
      if (!(gp_heap_clo.show_kinds & GP_LK_BIT(lr->kind))) continue;
      VG_(gdb_printf)("#%u %s: %s bytes in %s blocks (%s indirect)\n", lr->number,
                      gp_leak_kind_name(lr->kind), gp_fmt_num(lr->bytes + lr->indirect_bytes),
                      gp_fmt_num(lr->blocks), gp_fmt_num(lr->indirect_bytes));
      for (f = 0; f < st->n; f++)
         VG_(gdb_printf)("   %s %s (%s:%u)\n", f ? "by" : "at", st->f[f]->name,
                         st->f[f]->file ? st->f[f]->file : "???", st->f[f]->line);
      shown++;
   }
   gp_leak_result_free(&r);
}

/* GLPROF_ITERATION: the index-th mark (1-based). */
void gp_heap_note_iteration(UInt index)
{
   cur_mark = index;
}

/* Zeroing the figures (GLPROF_ZERO_STATS, vgdb "zero"): counts start
   again from now; blocks that are live stay live (and stay in the leak
   check), the peak restarts from the live total. */
void gp_heap_zero(void)
{
   UInt i;
   ULong now = gp_icount;
   gp_heap.total_allocs = gp_heap.total_frees = gp_heap.total_bytes = 0;
   gp_heap.invalid_frees = gp_heap.mismatched_frees = 0;
   gp_heap.peak_bytes = gp_heap.live_bytes;
   gp_heap.peak_blocks = gp_heap.live_blocks;
   gp_heap.peak_time = now;
   at_peak = True;
   dirty_head = NULL;
   for (i = 0; i < n_sites; i++) {
      GpSite* s = site_arr[i];
      s->allocs = s->bytes = s->frees = s->freed_bytes = 0;
      s->lifetime_sum = s->short_lived = 0;
      s->max_live_bytes = s->peak_bytes = s->live_bytes;
      s->max_live_blocks = s->peak_blocks = s->live_blocks;
      s->g_t0 = s->g_tl = now;
      s->g_y = s->g_ty = s->g_yy = 0;
      s->it_last = cur_mark;
      s->it_n = s->it_x = s->it_xx = s->it_y = s->it_xy = s->it_yy = 0;
      s->dirty = False;
      s->next_dirty = NULL;
   }
   if (bad_frees) VG_(deleteXA)(bad_frees);
   bad_frees = VG_(newXA)(VG_(malloc), GP_CC("heap.bad"), VG_(free), sizeof(GpBadFree));
}

/* ====================================================================== */
/* Options                                                                 */
/* ====================================================================== */

static const HChar* leak_kind_tokens = "reachable,possible,indirect,definite";
static const HChar* heuristic_tokens = "-,stdstring,length64,newarray,multipleinheritance";

Bool gp_heap_option(const HChar* arg)
{
   Bool b;
   const HChar* s;
   if      (VG_STREQ(arg, "--leak-check=no"))      gp_heap_clo.leak_check = GP_LC_OFF;
   else if (VG_STREQ(arg, "--leak-check=summary")) gp_heap_clo.leak_check = GP_LC_SUMMARY;
   else if (VG_STREQ(arg, "--leak-check=full")
            || VG_STREQ(arg, "--leak-check=yes"))  gp_heap_clo.leak_check = GP_LC_FULL;
   else if (VG_STREQN(13, arg, "--leak-check="))
      VG_(fmsg_bad_option)(arg, "'--leak-check' takes no, summary or full\n");
   else if VG_USET_CLO(arg, "--show-leak-kinds", leak_kind_tokens,
                       gp_heap_clo.show_kinds) {}
   else if VG_USET_CLO(arg, "--errors-for-leak-kinds", leak_kind_tokens,
                       gp_heap_clo.error_kinds) {}
   else if VG_USET_CLO(arg, "--leak-check-heuristics", heuristic_tokens,
                       gp_heap_clo.heuristics) {}
   else if VG_BOOL_CLO(arg, "--show-reachable", b) {
      if (b) gp_heap_clo.show_kinds = (1u << GP_LK_N) - 1;
      else   gp_heap_clo.show_kinds &= ~GP_LK_BIT(GP_LK_REACHABLE);
   }
   else if VG_BOOL_CLO(arg, "--show-possibly-lost", b) {
      if (b) gp_heap_clo.show_kinds |= GP_LK_BIT(GP_LK_POSSIBLE);
      else   gp_heap_clo.show_kinds &= ~GP_LK_BIT(GP_LK_POSSIBLE);
   }
   else if VG_BOOL_CLO(arg, "--show-mismatched-frees", gp_heap_clo.show_mismatched) {}
   else if VG_STR_CLO(arg, "--leak-resolution", s) {
      /* Accepted for Memcheck command lines: glprof always groups loss
         records by source location. */
      if (!VG_STREQ(s, "low") && !VG_STREQ(s, "med") && !VG_STREQ(s, "high"))
         VG_(fmsg_bad_option)(arg, "'--leak-resolution' takes low, med or high\n");
   }
   else if (gp_opt_ulong(arg, "--short-lived", &gp_heap_clo.short_lived,
                         0, 1000000000000ULL)) {}
   else if (gp_opt_ulong(arg, "--churn-min-blocks", &gp_heap_clo.churn_min_blocks,
                         1, 1000000000000ULL)) {}
   else if (gp_opt_uint(arg, "--churn-min-share", &gp_heap_clo.churn_min_pct, 1, 100)) {}
   else if (gp_opt_bytes(arg, "--growth-min-bytes", &gp_heap_clo.growth_min_bytes)) {}
   else if (gp_opt_ulong(arg, "--growth-min-steps", &gp_heap_clo.growth_min_steps,
                         2, 1000000000000ULL)) {}
   else if (gp_opt_uint(arg, "--growth-min-fit", &gp_heap_clo.growth_min_fit, 0, 1000)) {}
   else return False;
   return True;
}

void gp_heap_usage(void)
{
   VG_(printf)(
"    heap and leaks (--heap=yes):\n"
"    --leak-check=no|summary|full  leak check at exit; full lists the loss\n"
"                              records (as Memcheck's option) [full]\n"
"    --show-leak-kinds=kind1,kind2,.. leak kinds to list: definite indirect\n"
"                              possible reachable, all or none [definite,possible]\n"
"    --errors-for-leak-kinds=kind1,kind2,.. leak kinds that are errors\n"
"                              (--error-exitcode) [definite,possible]\n"
"    --leak-check-heuristics=heur1,heur2,.. interior pointers that count as\n"
"                              start pointers: stdstring length64 newarray\n"
"                              multipleinheritance, all or none [all]\n"
"    --show-reachable=yes|no, --show-possibly-lost=yes|no  as in Memcheck\n"
"    --show-mismatched-frees=yes|no  report frees by the wrong family [yes]\n"
"    --leak-resolution=low|med|high  accepted for Memcheck command lines\n"
"    --short-lived=<n>         blocks freed within <n> instructions are\n"
"                              short-lived [1000]\n"
"    --churn-min-blocks=<n>    a site is churn with at least <n> short-lived\n"
"                              blocks [1000] ...\n"
"    --churn-min-share=<pct>   ... making at least <pct>%% of its frees [50]\n"
"    --growth-min-bytes=<size> growth worth flagging: live bytes gained by a\n"
"                              site over the run [4096]\n"
"    --growth-min-steps=<n>    ... over at least <n> allocations [10]\n"
"    --growth-min-fit=<n>      ... fitting a line with r2 >= <n>/1000 [900]\n"
   );
}

/* ====================================================================== */
/* Analysis                                                                */
/* ====================================================================== */

static Int str_cmp0(const HChar* a, const HChar* b)
{
   if (a == b) return 0;
   if (!a) return -1;
   if (!b) return 1;
   return VG_(strcmp)(a, b);
}

/* Deterministic order of stacks: frame by frame (name, file, line,
   object), then the shorter first. */
Int gp_heap_stack_cmp(const GpStack* a, const GpStack* b)
{
   UInt i;
   if (a == b) return 0;
   for (i = 0; i < a->n && i < b->n; i++) {
      const GpFrameLoc* x = a->f[i];
      const GpFrameLoc* y = b->f[i];
      Int r;
      if (x == y) continue;
      if ((r = str_cmp0(x->name, y->name))) return r;
      if ((r = str_cmp0(x->file, y->file))) return r;
      if (x->line != y->line) return x->line < y->line ? -1 : 1;
      if ((r = str_cmp0(x->obj ? x->obj->name : NULL, y->obj ? y->obj->name : NULL)))
         return r;
   }
   return a->n < b->n ? -1 : a->n > b->n;
}

Int gp_heap_site_cmp(const GpSite* a, const GpSite* b)
{
   Int r = gp_heap_stack_cmp(a->stack, b->stack);
   if (r) return r;
   return str_cmp0(a->alloc_fn, b->alloc_fn);
}

static Int cmp_desc(ULong a, ULong b) { return a > b ? -1 : a < b; }

static Int by_bytes(const void* pa, const void* pb)
{
   const GpSite* a = *(const GpSite* const*)pa;
   const GpSite* b = *(const GpSite* const*)pb;
   Int r = cmp_desc(a->bytes, b->bytes);
   if (r) return r;
   if ((r = cmp_desc(a->allocs, b->allocs))) return r;
   return gp_heap_site_cmp(a, b);
}

static Int by_peak(const void* pa, const void* pb)
{
   const GpSite* a = *(const GpSite* const*)pa;
   const GpSite* b = *(const GpSite* const*)pb;
   Int r = cmp_desc(a->peak_bytes, b->peak_bytes);
   if (r) return r;
   return by_bytes(pa, pb);
}

static Int by_live(const void* pa, const void* pb)
{
   const GpSite* a = *(const GpSite* const*)pa;
   const GpSite* b = *(const GpSite* const*)pb;
   Int r = cmp_desc(a->live_bytes, b->live_bytes);
   if (r) return r;
   return by_bytes(pa, pb);
}

/* Least squares: slope, and r2 x 1000 (0 when y does not rise). */
static Bool fit_line(double n, double sx, double sxx, double sy, double sxy,
                     double syy, double* slope, UInt* r2)
{
   double mx, my, cov, vx, vy, r;
   if (n < 2) return False;
   mx = sx / n;
   my = sy / n;
   cov = sxy / n - mx * my;
   vx = sxx / n - mx * mx;
   vy = syy / n - my * my;
   if (vx <= 0 || vy <= 0 || cov <= 0) return False;
   *slope = cov / vx;
   r = cov * cov / (vx * vy);
   if (r > 1) r = 1;
   *r2 = (UInt)(r * 1000 + 0.5);
   return True;
}

/* The growth of a site, a straight line through its live bytes:
   - with GLPROF_ITERATION marks: against the mark number (live bytes at
     each mark since the site's first allocation, warm-up left out);
   - otherwise against time: live bytes y(t) from the site's first
     allocation to the end of the run, weighted by how long each value
     held (the integrals kept by site_touch, closed at 'end' without
     changing the site).  Steps are then the site's allocations.
   Flagged when the line rises by --growth-min-bytes over at least
   --growth-min-steps steps with r2 >= --growth-min-fit/1000. */
static void fit_growth(const GpSite* s, ULong end, GpGrowth* g)
{
   double slope = 0;
   UInt r2 = 0;
   VG_(memset)(g, 0, sizeof(*g));
   g->from = s->g_t0;
   if (cur_mark > gp_control_warmup() + 1) {
      GpSite c = *s;                      /* fold the last marks in a copy */
      fold_marks(&c, c.it_last, cur_mark);
      g->per_iteration = True;
      g->steps = (ULong)c.it_n;
      if (!fit_line(c.it_n, c.it_x, c.it_xx, c.it_y, c.it_xy, c.it_yy, &slope, &r2))
         return;
      g->rise = (ULong)(slope * (c.it_n - 1) + 0.5);
      g->bytes_per_step = (ULong)(slope + 0.5);
   } else {
      double Y = s->g_y, TY = s->g_ty, YY = s->g_yy, T;
      if (end > s->g_tl && s->live_bytes) {
         double y = (double)s->live_bytes;
         double a = (double)(s->g_tl - s->g_t0);
         double dt = (double)(end - s->g_tl);
         Y += y * dt;
         TY += y * dt * (a + a + dt) * 0.5;
         YY += y * y * dt;
      }
      g->steps = s->allocs;
      if (end <= s->g_t0) return;
      T = (double)(end - s->g_t0);
      /* time is uniform on [0, T]: n = T, sum t = T^2/2, sum t^2 = T^3/3 */
      if (!fit_line(T, T * T / 2, T * T * T / 3, Y, TY, YY, &slope, &r2)) return;
      g->rise = (ULong)(slope * T + 0.5);
      g->bytes_per_step = s->allocs ? (ULong)(slope * T / (double)s->allocs + 0.5) : 0;
   }
   g->r2 = r2;
   /* Against iteration marks, a steady rise of any size is the seed
      guide's "memory growing linearly with iterations" (64 B kept per
      request is a leak per request); against time, small rises are noise
      unless they reach --growth-min-bytes. */
   g->flagged = (g->per_iteration ? g->bytes_per_step > 0
                                  : g->rise >= gp_heap_clo.growth_min_bytes)
                && g->steps >= gp_heap_clo.growth_min_steps
                && g->r2 >= gp_heap_clo.growth_min_fit;
}

static Bool is_churn(const GpSite* s)
{
   return s->short_lived >= gp_heap_clo.churn_min_blocks
          && s->short_lived * 100 >= (ULong)gp_heap_clo.churn_min_pct * s->frees;
}

void gp_heap_analyse(GpProfile* p)
{
   GpHeapProfile* hp;
   UInt i, k;
   ULong end = gp_icount;
   if (!tracking) return;
   hp = VG_(calloc)(GP_CC("heap.prof"), 1, sizeof(GpHeapProfile));
   p->heap = hp;

   /* DHAT's last check_for_peak: still at the peak at the end. */
   if (gp_heap.live_bytes == gp_heap.peak_bytes) snapshot_peak();
   hp->t = gp_heap;

   hp->n_sites = 0;
   hp->sites = VG_(malloc)(GP_CC("heap.prof"), (n_sites + 1) * sizeof(GpSite*));
   hp->growth = VG_(calloc)(GP_CC("heap.prof"), n_sites + 1, sizeof(GpGrowth));
   hp->churn = VG_(calloc)(GP_CC("heap.prof"), n_sites + 1, sizeof(Bool));
   for (i = 0; i < n_sites; i++) {
      GpSite* s = site_arr[i];
      if (!s->allocs && !s->live_blocks && !s->frees) continue;
      hp->sites[hp->n_sites++] = s;
      fit_growth(s, end, &hp->growth[s->index]);
      hp->churn[s->index] = is_churn(s);
      if (hp->growth[s->index].flagged) hp->n_growth++;
      if (hp->churn[s->index]) hp->n_churn++;
   }
   VG_(ssort)(hp->sites, hp->n_sites, sizeof(GpSite*), by_bytes);
   hp->by_peak = VG_(malloc)(GP_CC("heap.prof"), (hp->n_sites + 1) * sizeof(GpSite*));
   hp->by_live = VG_(malloc)(GP_CC("heap.prof"), (hp->n_sites + 1) * sizeof(GpSite*));
   VG_(memcpy)(hp->by_peak, hp->sites, hp->n_sites * sizeof(GpSite*));
   VG_(memcpy)(hp->by_live, hp->sites, hp->n_sites * sizeof(GpSite*));
   VG_(ssort)(hp->by_peak, hp->n_sites, sizeof(GpSite*), by_peak);
   VG_(ssort)(hp->by_live, hp->n_sites, sizeof(GpSite*), by_live);

   /* The leak check: at exit its records go to the error manager once. */
   if (gp_heap_clo.leak_check != GP_LC_OFF)
      gp_leak_check(&hp->leaks, p->final);

   hp->tool_bytes = gp_store_tool_bytes() + site_bytes;
   hp->store_bytes = gp_store_tool_bytes();
   hp->client_bytes = gp_store_client_bytes();

   for (i = 0; i < hp->n_sites; i++) gp_frames_mark(hp->sites[i]->stack);
   for (i = 0; i < hp->leaks.n_records; i++)
      gp_frames_mark(hp->leaks.records[i].site->stack);
   k = gp_heap_bad_free_count();
   for (i = 0; i < k; i++) gp_frames_mark(gp_heap_bad_free(i)->stack);
}

void gp_heap_profile_free(GpProfile* p)
{
   GpHeapProfile* hp = p->heap;
   if (!hp) return;
   VG_(free)(hp->sites);
   VG_(free)(hp->by_peak);
   VG_(free)(hp->by_live);
   VG_(free)(hp->growth);
   VG_(free)(hp->churn);
   gp_leak_result_free(&hp->leaks);
   VG_(free)(hp);
   p->heap = NULL;
}
