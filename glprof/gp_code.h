/* gp_code.h -- per-translation records for --lines=yes: which source line
   each instruction of a superblock belongs to, and counters that generated
   code bumps at each exit point.  Counts are harvested into the persistent
   line records (gp_fn.h) when the translation is discarded (dlclose, cache
   eviction) and before any report, so nothing points into freed code. */

#ifndef GP_CODE_H
#define GP_CODE_H

#include "gp_tool.h"
#include "gp_fn.h"

/* One per translation, so it is kept small (a program with a million
   functions has millions of them): the line ids and checkpoint ends follow
   the header in the same allocation, found by the accessors below, and
   instructions name their line by its id (gp_line_by_index) rather than
   by pointer.  The counters, which generated code writes, are packed
   apart (gp_code.c). */
typedef struct GpSB {
   struct GpSB* hash_next;
   Addr     key;          /* orig (non-redirected) address: discard key */
   UInt     n_instrs;
   UInt     n_checks;     /* exit checkpoints, including the end */
   ULong*   counts;       /* [n_checks] times each checkpoint was reached
                             (in the counter pool, gp_code.c) */
   /* UInt   lines[n_instrs]      line id per instruction
      UShort check_end[n_checks]  instructions [0, check_end[k]) ran
                                  before checkpoint k */
} GpSB;

static inline ULong* gp_sb_counts(GpSB* s) { return s->counts; }
static inline UInt* gp_sb_lines(GpSB* s) { return (UInt*)(s + 1); }
static inline UShort* gp_sb_check_end(GpSB* s)
{
   return (UShort*)(gp_sb_lines(s) + s->n_instrs);
}

void  gp_code_init(void);
GpSB* gp_code_new(Addr key, UInt n_instrs, UInt n_checks);
/* Discard callback (VG_(needs_superblock_discards)). */
void  gp_code_discard(Addr orig_addr, VexGuestExtents vge);
/* Adds every live translation's counts into its lines and zeroes them. */
void  gp_code_harvest_all(void);
/* Drops counts without harvesting (zero statistics). */
void  gp_code_zero_all(void);

#endif
