/* gp_tool.h -- what every glprof source file includes: the Valgrind tool API
   headers (no libc inside a tool), the build configuration, and the few
   definitions shared by all concerns.  Each concern has its own header
   (gp_fn.h, gp_callstack.h, ...); see docs/architecture.md. */

#ifndef GP_TOOL_H
#define GP_TOOL_H

#include "gp_config.h"

#include "pub_tool_basics.h"
#include "pub_tool_vki.h"
#include "pub_tool_vkiscnums.h"
#include "pub_tool_tooliface.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcfile.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_libcsignal.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_machine.h"
#include "pub_tool_options.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_hashtable.h"
#include "pub_tool_xarray.h"
#include "pub_tool_oset.h"
#include "pub_tool_poolalloc.h"
#include "pub_tool_stacktrace.h"
#include "pub_tool_execontext.h"
#include "pub_tool_clientstate.h"
#include "pub_tool_aspacemgr.h"
#include "pub_tool_transtab.h"
#include "pub_tool_replacemalloc.h"
#include "pub_tool_errormgr.h"
#include "pub_tool_gdbserver.h"
#include "pub_tool_libcsetjmp.h"
#include "pub_tool_signals.h"
#include "valgrind.h"

#define GP_TOOL_NAME     "glprof"
#define GP_TOOL_VERSION  PACKAGE_VERSION

/* The JSON profile format version; bumped on any incompatible change and
   documented in docs/json-format.md. */
#define GP_JSON_VERSION  1

/* Cost-centre names for VG_(malloc): one per concern, so --profile-heap=yes
   shows where the tool's own memory goes. */
#define GP_CC(what) ("gp." what)

#define GP_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define GP_LIKELY(x)   __builtin_expect(!!(x), 1)

/* The guest-instruction counter, read by everything that needs "now";
   per-thread clocks are derived from it (gp_threads.c).  Generated code
   does not add to it directly: each thread's instructions not yet folded
   in are counted in a word of that thread's guest state (in shadow area
   1, which no other part of glprof uses), which generated code reaches
   relative to the guest-state register with no 64-bit address to load --
   1 to 4% of a run (bench/README.md).  Whoever reads gp_icount folds
   that word in first (or, the call and return fast paths, adds it to
   what they read): the helpers called from generated code with the guest
   state pointer (gp_icount_fold), everything else with gp_icount_sync
   (gp_threads.c) at its entry from the core (system calls, client
   requests, signals, thread switches, the end of the run). */
extern ULong gp_icount;

#include "pub_tool_guest.h"
/* The word's offset in shadow area 1, and in the IR's guest state. */
#define GP_ICOUNT_SHADOW_OFF 0
#define GP_ICOUNT_IR_OFF(layout) ((layout)->total_sizeB + GP_ICOUNT_SHADOW_OFF)

static inline ULong* gp_icount_word(void* gs)
{
   return (ULong*)((UChar*)gs + sizeof(VexGuestArchState) + GP_ICOUNT_SHADOW_OFF);
}

/* Each thread's word, once a helper given its guest state has learned
   where it is (indexed by ThreadId; gp_threads.c). */
extern ULong** gp_icount_words;
void gp_icount_sync_slow(ThreadId tid);

/* Folds thread tid's word in (its instructions since the last fold), from
   the core's side; nothing if the thread has ended and its word was never
   learned.  Inline: the replaced allocators call it at every request. */
static inline void gp_icount_sync(ThreadId tid)
{
   ULong* w = gp_icount_words && tid <= VG_N_THREADS ? gp_icount_words[tid] : NULL;
   if (GP_LIKELY(w != NULL)) {
      gp_icount += *w;
      *w = 0;
   } else {
      gp_icount_sync_slow(tid);
   }
}

/* Remembers where tid's word is, from a helper given its guest state, so
   that gp_icount_sync need not copy it through the core. */
static inline void gp_icount_learn(ThreadId tid, void* gs)
{
   if (gp_icount_words && tid <= VG_N_THREADS) gp_icount_words[tid] = gp_icount_word(gs);
}

/* A helper given the running thread's guest state (IRExpr_GSPTR(); the
   dirty call declares it modifies the word: declare_effects in
   gp_instrument.c, and the lock observer's and allocator fast path's own). */
static inline void gp_icount_fold(void* gs)
{
   ULong* w = gp_icount_word(gs);
   gp_icount += *w;
   *w = 0;
}


#endif
