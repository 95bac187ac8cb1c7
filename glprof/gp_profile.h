/* gp_profile.h -- the analysed profile: what the writers (text report, JSON,
   callgrind, folded stacks, DHAT) read.  gp_analyse.c builds it from the
   collected figures; writers never look at collection state directly, so
   every output shows the same numbers in the same deterministic order. */

#ifndef GP_PROFILE_H
#define GP_PROFILE_H

#include "gp_tool.h"
#include "gp_fn.h"
#include "gp_edge.h"
#include "gp_cct.h"
#include "gp_threads.h"
#include "gp_heap.h"

/* One call path, flattened in depth-first order (children sorted by
   inclusive instructions, then name), with empty paths dropped. */
typedef struct {
   Int    parent;          /* index in paths[], -1 for top level */
   GpFn*  fn;
   ULong  self, incl, calls;
   UInt   depth;
} GpPath;

typedef struct GpProfile {
   /* the run */
   const HChar* command;
   Int    pid, ppid;
   const HChar* label;     /* dump label, NULL for the final profile */
   Bool   final;           /* written at exit */

   /* totals */
   ULong  total_ir;        /* sum of all threads' instructions */
   ULong  total_calls;

   /* CPU: functions sorted by self desc, then name, file, object; a
      function's out_id is its index here. */
   UInt    n_fns;
   GpFn**  fns;
   /* functions by inclusive (desc), then the same tie-breaks */
   GpFn**  fns_by_incl;
   UInt    n_edges;        /* by inclusive desc, then caller/callee ids */
   GpEdge** edges;
   UInt    n_paths;
   GpPath* paths;
   UInt    n_lines;        /* by function id, then ir desc, file, line */
   GpLine** lines;

   /* Each concern's analysed tables (built by its gp_<concern>_analyse,
      read by its gp_<concern>_out.c). */
   struct GpHeapProfile* heap;
   struct GpIoProfile*   io;
   struct GpFindings*    findings;
   struct GpControlProfile* control;   /* iterations, regions, dumps */

   /* --focus: the collected function figures, put back when the profile
      is freed (the profile shows the focused ones) */
   ULong*  saved_fns;
   UInt    n_saved_fns;

   /* threads in creation order */
   UInt    n_threads;
   GpThread** threads;
   UInt    max_stack_depth;
} GpProfile;

/* Builds the profile from the current figures.  At exit (final = True)
   every thread has been retired; for a dump of a running process the
   open frames are first folded in. */
GpProfile* gp_analyse(Bool final, const HChar* label);

/* The concerns' analyses, called by gp_analyse in this order; each marks
   the frames its tables use (gp_frames_mark) and frees what it built in
   its *_free. */
void gp_heap_analyse(GpProfile* p);
void gp_heap_profile_free(GpProfile* p);
void gp_io_analyse(GpProfile* p);
void gp_io_profile_free(GpProfile* p);
void gp_findings_analyse(GpProfile* p);
void gp_findings_free(GpProfile* p);
void       gp_profile_free(GpProfile* p);

/* Name of a function for reports: "name" or "name [object]". */
const HChar* gp_obj_basename(const GpObj* o);

#endif
