/* gp_out_common.h -- what the exchange-format writers share (Callgrind,
   Cachegrind, folded stacks, DHAT; see docs/formats.md): one unique,
   printable name per function, printable file names, and each function's
   self instructions by source position.

   Readers of these formats key functions by name alone (gprof2dot,
   flamegraph.pl, speedscope's folded importer), or by file and name
   (callgrind_annotate, cg_annotate), so two different functions must never
   share a name: same-named functions get a suffix, only when needed. */

#ifndef GP_OUT_COMMON_H
#define GP_OUT_COMMON_H

#include "gp_output.h"

/* One self-cost position of a function. */
typedef struct {
   const HChar* file;        /* printable path (gp_out_path), never NULL */
   UInt         line;        /* 0: unknown line */
   ULong        ir;
} GpOutPos;

typedef struct {
   const GpProfile* p;
   GpFn**   fns;             /* p->fns, then functions only call paths hold */
   UInt     n_all;
   HChar**  names;           /* by index in fns (= out_id): unique, printable */
   UInt*    line_start;      /* by out_id: first index in p->lines; [n_fns] = n_lines */
   GpWordMap paths;          /* interned path -> printable interned path */
   GpWordMap others;         /* GpFn* not in p->fns -> index in fns + 1 */
   GpWordMap frame_names;    /* GpFrameLoc* or other GpFn* -> printable name */
} GpOutCtx;

void gp_outctx_init(GpOutCtx* c, const GpProfile* p);
void gp_outctx_free(GpOutCtx* c);

/* Is f one of the profile's functions (p->fns)? */
static inline Bool gp_out_has_fn(const GpOutCtx* c, const GpFn* f)
{
   return f->reported && f->out_id < c->p->n_fns && c->p->fns[f->out_id] == f;
}

/* The unique printable name of a function of the profile (one that is
   not in it, which no table should hold, gets its printable name). */
const HChar* gp_out_name(GpOutCtx* c, const GpFn* f);

/* The name of a frame of a heap stack as the CPU formats name its
   function (the unique name when the frame is one of the profile's
   functions, else the printable name: inlined code, no symbol). */
struct GpFrameLoc;
const HChar* gp_out_frame_name(GpOutCtx* c, const struct GpFrameLoc* l);

/* A file name fit for one line of any of the formats: "???" for NULL,
   control characters and invalid UTF-8 as '?', no trailing blanks.
   Interned, so equal names are one pointer. */
const HChar* gp_out_path(GpOutCtx* c, const HChar* file);

/* The source file a function's positions are relative to ("???" if
   unknown). */
const HChar* gp_out_fn_file(GpOutCtx* c, const GpFn* f);

/* f's self instructions by position, appended to 'out' (an XArray of
   GpOutPos), summing exactly to f->self: its per-line counts (--lines=yes)
   with whatever they miss (PLT stubs charged to the caller as Callgrind
   does, code without line info) on line 0 of its file, or its entry line
   with --lines=no.  Sorted: f's own file first, then other files (inlined
   code) by name; lines ascending; no zero costs. */
void gp_out_fn_positions(GpOutCtx* c, const GpFn* f, XArray* out);

#endif
