/* gp_plt.h -- calls through PLT stubs resolved at the call.

   A call to a PLT stub (most calls between shared objects, and calls to
   exported functions inside one) would otherwise push a pending frame
   that the callee's first superblock resolves: two helper calls per call
   instead of one.  Instead, each stub has a record: the translation of
   the stub learns where it jumps (the GOT slot it loads) and how many
   instructions it has; a call site to the stub passes the record, and the
   call helper reads the slot, names the callee from the entry-address
   cache and pushes its frame at once.  Once the slot has led to known
   code, the helper keeps that function and stops reading the slot: the
   callee's entry test catches a slot the program rewrote later.  The stub's own instructions stay
   the caller's (as in Callgrind): the helper counts them ahead, and the
   stub's superblock then adds only what was not counted ahead.  With
   --direct-jumps, a call translated once its stub's slot is bound jumps
   past the stub while the slot holds the same function (gp_plt_bound);
   the helper is told, and counts the stub itself.  A stub not translated
   yet is read from its code where its form allows, so the first call to
   each stub gets the exit too.  When the function the slot leads to is
   known at the call's translation, the plain call helper pushes it and
   the stub's record is not read; a slot changed since makes that same
   call a call to the stub (gp_instrument.c). */

#ifndef GP_PLT_H
#define GP_PLT_H

#include "gp_tool.h"
#include "gp_fn.h"

typedef struct GpPlt {
   Addr  stub;      /* the stub's address */
   Addr  got;       /* the slot it jumps through; 0 while unknown (stub
                       not translated yet, or its translation discarded) */
   UInt  n_instrs;  /* instructions the stub executes */
   GpFn* fn;        /* the function the slot led to, once known
                       (trusted; the callee's entry test checks it) */
   UWord gen;       /* entry-cache generation fn was looked up in */
} GpPlt;

/* Instructions counted ahead by a call helper for the PLT stub that runs
   next; the stub's superblock subtracts and clears it.  Saved and
   restored per thread and around signal handlers (like gp_just_called).
   Counting ahead (rather than behind) keeps every clock difference
   non-negative whatever happens in between.  The one inexactness: a
   signal landing between the call and the stub whose handler longjmps out
   abandons the stub, whose count (one or two instructions) was taken. */
extern UWord gp_plt_ahead;

/* The record of the stub at a (created empty on first use; records live
   for the whole run, call-site translations hold them). */
GpPlt* gp_plt_rec(Addr stub);

/* At the stub's translation: its slot and length, if its superblock is
   the plain "load a constant slot, jump there" with no other exit.
   Returns True if it is (the superblock must then subtract
   gp_plt_ahead). */
Bool   gp_plt_learn(Addr stub, const IRSB* sb, Int first, UInt n_instrs);

/* Where a call to the stub can go without running it, for a direct exit
   from the calling superblock (gp_instrument.c): the function its slot
   holds now, if the stub is the plain kind (learnt) and the slot is bound
   (not the lazy-binding path back into the PLT); 0 otherwise.  The exit
   is guarded by a load of the slot at every call, so a slot the program
   rewrites later only makes the guard fail and the stub run.  A stub not
   translated yet is learnt from its code where its form allows. */
Addr   gp_plt_bound(GpPlt* p);

/* The stub's translation is gone (munmap, dlclose). */
void   gp_plt_forget(Addr stub);

void   gp_plt_init(void);
void   gp_plt_print_stats(void);   /* --stats=yes */

#endif
