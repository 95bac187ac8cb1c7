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

/* The running guest-instruction counter: incremented inline by the
   instrumented code (gp_instrument.c), read by everything that needs "now".
   Per-thread clocks are derived from it (gp_threads.c). */
extern ULong gp_icount;

/* Tool-wide switches decided after option parsing. */
#define GP_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define GP_LIKELY(x)   __builtin_expect(!!(x), 1)

#endif
