/* gp_fn.h -- the identity of code: objects (ELF files), functions and the
   source lines inside them.  Resolved from debug info when code is first
   translated, and kept for the whole run even when the code itself goes
   (dlclose), so counts never point into freed debug info. */

#ifndef GP_FN_H
#define GP_FN_H

#include "gp_tool.h"

typedef struct GpObj {
   const HChar* name;        /* full path, interned; "???" if unknown */
   UInt id;                  /* creation order */
} GpObj;

/* Per-function flags */
#define GP_FN_PLT          0x01  /* PLT stub code: transparent to calls */
#define GP_FN_POP_ON_JUMP  0x02  /* lazy-binding resolver: its final jump
                                    replaces it by the resolved function */
#define GP_FN_NOSYM        0x04  /* no symbol: named by address in object */
#define GP_FN_PSEUDO       0x08  /* not code: thread roots, "(unknown)" */
#define GP_FN_TOGGLE       0x10  /* --toggle-collect matches it */
#define GP_FN_FOCUS        0x20  /* --focus matches it */

typedef struct GpFn {
   /* What every call and return touches first, in one cache line (fns are
      64-byte aligned, gp_fn.c): */
   UInt         flags;
   /* Activations on the stack of the thread that owns the count (the call
      stack's fast path for "is this the outermost activation"; a second
      thread in the same function counts in its own map). */
   UInt         depth;
   struct GpThread* depth_owner;
   /* Figures, accumulated over all threads by gp_callstack.c */
   ULong        self;        /* instructions executed as the top frame */
   ULong        incl;        /* instructions under outermost activations */
   ULong        calls;       /* times entered through a call or tail call */
   UInt         max_depth;   /* deepest recursion seen (activations at once) */
   UInt         line;        /* line of the entry, 0 if unknown */
   /* Threads' depth maps that may hold this function (never fewer than
      do): a call of a function no map holds skips the map lookup. */
   UInt         in_maps;
   /* Identity */
   struct GpFn* hash_next;
   const HChar* name;        /* demangled (interned) */
   const HChar* file;        /* source file of the entry, or NULL */
   GpObj*       obj;
   UInt         id;          /* creation order; output ids are reassigned */
   /* Scratch for the analysis/writers (output id after sorting). */
   UInt         out_id;
   Bool         reported;
} GpFn;

/* Self instructions at one source line, per function (--lines=yes).  Lines
   belong to the function whose code they are, even when that code came
   from an inlined function of another file. */
typedef struct GpLine {
   struct GpLine* hash_next;
   GpFn*        fn;
   const HChar* file;        /* interned, never NULL ("???" if unknown) */
   UInt         line;
   UInt         id;          /* creation order: gp_line_by_index(id) */
   ULong        ir;
} GpLine;

/* What a superblock's first instruction is, for call tracking. */
typedef enum {
   GP_CODE_ENTRY,            /* first instruction of a known function */
   GP_CODE_BODY,             /* inside a known function */
   GP_CODE_PLT,              /* a PLT stub */
   GP_CODE_NOSYM             /* no symbol for it */
} GpCodeKind;

void   gp_fn_init(void);

/* Function owning code address a, and how a relates to it.  For
   GP_CODE_NOSYM the function is named by a's offset in its object (only
   meaningful where a is a call target); for GP_CODE_PLT it is NULL. */
GpFn*  gp_fn_at(Addr a, GpCodeKind* kind);
/* The same, except that code without a symbol gets NULL: naming it costs
   a function record, which only call targets and return points need (a
   stripped library has thousands of superblocks that are neither). */
GpFn*  gp_fn_at_code(Addr a, GpCodeKind* kind);

/* The pseudo functions: roots of threads whose first code is unknown, and
   frames whose function never became known. */
GpFn*  gp_fn_pseudo(const HChar* name);

/* The source line record for instruction address a inside fn. */
GpLine* gp_line_at(GpFn* fn, Addr a);
/* Does l name a source position ("???":0 when the code has no line
   information)? */
Bool    gp_line_known(const GpLine* l);

/* Source file (interned full path, as in GpLine; NULL if unknown) and
   line of code address a, innermost inlined location first. */
const HChar* gp_src_at(Addr a, UInt* line);

/* Iteration over everything known, for analysis and writers. */
UInt   gp_fn_count(void);
GpFn*  gp_fn_by_index(UInt i);          /* creation order */
UInt   gp_line_count(void);
GpLine* gp_line_by_index(UInt i);

/* Forget all figures (GLPROF_ZERO_STATS, fork child). */
void   gp_fn_zero(void);

/* Is fn one of the replaced allocator's own functions (vgpreload)? */
Bool   gp_fn_is_preload(const GpFn* fn);

/* Is code address a (asked once per translation) Valgrind's replacement
   allocator (malloc, free, operator new ... in glprof's preload)?  The
   instrumenter leaves it uncounted: it is Valgrind's machinery, not the
   program's work (a call of malloc is counted, with no instructions of
   its own), and counting it made the allocator's few dozen instructions
   per call the dearest code of an allocation-heavy program to profile.
   glprof's own exit() wrapper (gp_heap_preload.c) is ordinary code. */
Bool gp_fn_is_allocator_code(Addr a);

#endif
