/* gp_code.c -- per-translation line counters (see gp_code.h).  Generated code
   holds the address of each translation's counter array, so an array lives
   exactly as long as its translation: created at instrumentation, harvested
   and freed in the discard callback. */

#include "gp_code.h"
#include "gp_callstack.h"
#include "gp_plt.h"
#include "gp_util.h"

static GpSB** tab;            /* hash on key, chained */
static UWord  mask;
static UWord  n_live;

/* The counters themselves live apart from the records, packed side by side
   in large chunks: generated code bumps them at every superblock exit, and
   the blocks of a hot loop, translated one after another, then share a
   few cache lines instead of one (cold) record each.  A discarded
   translation's counters go on a free list by their number. */
#define POOL_CHUNK   8192            /* counters per chunk */
#define POOL_CLASSES 64              /* free lists for 1..63 counters */
static ULong* pool_next;
static UWord  pool_left;
static ULong* pool_free[POOL_CLASSES];

static ULong* counts_alloc(UInt n)
{
   ULong* c;
   if (n >= POOL_CLASSES)
      return VG_(calloc)(GP_CC("code.counts"), n, sizeof(ULong));
   if (pool_free[n]) {
      c = pool_free[n];
      pool_free[n] = *(ULong**)c;
      c[0] = 0;
      return c;
   }
   if (pool_left < n) {
      pool_next = VG_(calloc)(GP_CC("code.counts"), POOL_CHUNK, sizeof(ULong));
      pool_left = POOL_CHUNK;
   }
   c = pool_next;
   pool_next += n;
   pool_left -= n;
   return c;
}

static void counts_free(ULong* c, UInt n)
{
   if (n >= POOL_CLASSES) { VG_(free)(c); return; }
   VG_(memset)(c, 0, n * sizeof(ULong));
   *(ULong**)c = pool_free[n];
   pool_free[n] = c;
}

void gp_code_init(void)
{
   mask = 4095;
   tab = VG_(calloc)(GP_CC("code.tab"), mask + 1, sizeof(GpSB*));
}

static void grow(void)
{
   UWord ncap = (mask + 1) * 2, i;
   GpSB** nt = VG_(calloc)(GP_CC("code.tab"), ncap, sizeof(GpSB*));
   for (i = 0; i <= mask; i++) {
      GpSB* s = tab[i];
      while (s) {
         GpSB* nx = s->hash_next;
         UWord h = gp_hash_word(s->key) & (ncap - 1);
         s->hash_next = nt[h];
         nt[h] = s;
         s = nx;
      }
   }
   VG_(free)(tab);
   tab = nt;
   mask = ncap - 1;
}

GpSB* gp_code_new(Addr key, UInt n_instrs, UInt n_checks)
{
   /* One allocation for the record and its read-only arrays. */
   SizeT sz = sizeof(GpSB) + n_instrs * sizeof(UInt) + n_checks * sizeof(UShort);
   GpSB* s = VG_(calloc)(GP_CC("code.sb"), 1, sz);
   UWord h;
   s->key = key;
   s->n_instrs = n_instrs;
   s->n_checks = n_checks;
   s->counts = counts_alloc(n_checks);
   if (n_live >= mask) grow();
   h = gp_hash_word(key) & mask;
   s->hash_next = tab[h];
   tab[h] = s;
   n_live++;
   return s;
}

static void harvest(GpSB* s)
{
   ULong* counts = gp_sb_counts(s);
   const UInt* lines = gp_sb_lines(s);
   const UShort* check_end = gp_sb_check_end(s);
   UInt k, i = 0;
   for (k = 0; k < s->n_checks; k++) {
      ULong c = counts[k];
      UInt end = check_end[k];
      if (c) for (; i < end; i++) gp_line_by_index(lines[i])->ir += c;
      else i = end > i ? end : i;
      counts[k] = 0;
   }
}

void gp_code_discard(Addr orig_addr, VexGuestExtents vge)
{
   UWord h = gp_hash_word(orig_addr) & mask;
   GpSB** pp = &tab[h];
   /* The entry-address cache must not outlive the code it describes. */
   gp_cs_forget_entry(orig_addr);
   gp_plt_forget(orig_addr);
   while (*pp) {
      GpSB* s = *pp;
      if (s->key == orig_addr) {
         *pp = s->hash_next;
         harvest(s);
         counts_free(s->counts, s->n_checks);
         VG_(free)(s);
         n_live--;
         return;
      }
      pp = &s->hash_next;
   }
}

void gp_code_harvest_all(void)
{
   UWord i;
   for (i = 0; i <= mask; i++) {
      GpSB* s;
      for (s = tab[i]; s; s = s->hash_next) harvest(s);
   }
}

void gp_code_zero_all(void)
{
   UWord i;
   for (i = 0; i <= mask; i++) {
      GpSB* s;
      for (s = tab[i]; s; s = s->hash_next)
         VG_(memset)(gp_sb_counts(s), 0, s->n_checks * sizeof(ULong));
   }
}
