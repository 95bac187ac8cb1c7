/* gp_control.h -- control of what is counted and when profiles are
   written: collection on/off (client requests, --collect-atstart,
   --toggle-collect), zeroing, dumps of a running process, iteration marks,
   named regions, and vgdb monitor commands (gp_control.c). */

#ifndef GP_CONTROL_H
#define GP_CONTROL_H

#include "gp_tool.h"
#include "gp_fn.h"

struct GpThread;

void  gp_control_init(void);

/* Whether a new thread's clock starts running (--collect-atstart and the
   START/STOP requests so far). */
Bool  gp_control_collecting_initially(void);

/* Flags for a newly seen function (GP_FN_TOGGLE, GP_FN_FOCUS) from the
   --toggle-collect and --focus patterns. */
UInt  gp_control_fn_flags(const HChar* name);

/* The call stack entered (+1) or left (-1) a --toggle-collect function. */
void  gp_control_toggle(struct GpThread* t, Int delta);

/* The tool's client-request handler (registered in gp_main.c): glprof's
   requests, Callgrind's and Cachegrind's collection requests, Memcheck's
   leak-check requests, vgdb monitor commands; then the other concerns'. */
Bool  gp_control_client_request(ThreadId tid, UWord* arg, UWord* ret);

/* --focus patterns given? (the analysis keeps only costs under them) */
Bool  gp_control_focus_active(void);

/* ---- iterations and regions (analysed in gp_control_out.c) ------------- */

/* What a mark or a region boundary records: counters that only grow. */
typedef struct {
   ULong instructions;   /* all threads' clocks */
   ULong calls;
   ULong allocs, alloc_bytes, live_bytes;
   ULong io_ops, io_bytes;
} GpCounters;

typedef struct {
   const HChar* name;          /* interned */
   const HChar* parent;        /* enclosing region at first entry, or NULL */
   ULong entries;
   GpCounters sum;             /* summed over entries (live_bytes: net growth) */
   ULong peak_live;            /* highest live heap bytes while inside */
} GpRegion;

UInt            gp_control_n_marks(void);
const GpCounters* gp_control_mark(UInt i);       /* at each GLPROF_ITERATION */
UInt            gp_control_n_regions(void);
GpRegion*       gp_control_region(UInt i);
UInt            gp_control_warmup(void);
UInt            gp_control_n_dumps(void);

/* What control needs from the other concerns (defined by them). */
void gp_heap_zero(void);
void gp_io_zero(void);
void gp_io_counters(ULong* ops, ULong* bytes);
void gp_heap_leak_check_monitor(void);
Bool gp_heap_memcheck_request(ThreadId tid, UWord* arg, UWord* ret);
Bool gp_heap_client_request(ThreadId tid, UWord* arg, UWord* ret);

/* ---- analysed (gp_control_analyse, read by gp_control_out.c) ----------- */

typedef struct {
   ULong n, total, mean, min, max, stddev;   /* over counted iterations */
   Long  mean_signed;                        /* for quantities that shrink */
} GpStat;

typedef struct GpControlProfile {
   UInt    marks;               /* GLPROF_ITERATION calls */
   UInt    warmup;              /* iterations left out at the start */
   UInt    counted;             /* iterations in the statistics */
   GpStat  instructions, calls, allocs, alloc_bytes, io_ops, io_bytes;
   GpStat  live_growth;         /* net live heap bytes per iteration */
   UInt    n_regions;           /* by instructions desc, then name */
   GpRegion** regions;
   UInt    dumps;
   Bool    collect_atstart;
   Bool    focus;
} GpControlProfile;

struct GpProfile;
void gp_control_analyse(struct GpProfile* p);
void gp_control_profile_free(struct GpProfile* p);

/* The heap is told of each iteration mark (per-site growth per iteration). */
void gp_heap_note_iteration(UInt index);

/* The heap calls this when live bytes rise while regions are open. */
extern UInt     gp_regions_open;
void            gp_control_note_live(ULong live_bytes);

#endif
