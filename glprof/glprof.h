/*
   glprof.h -- client requests for glprof, the Valgrind profiler of
   instructions, heap, leaks and I/O.

   Include it in a program to control glprof from inside; every request
   costs a few instructions and does nothing when the program does not run
   under Valgrind (or runs under another tool).

     GLPROF_START_COLLECTION / GLPROF_STOP_COLLECTION
         count only between them (start with --collect-atstart=no);
         instructions, calls and allocations outside are not charged, the
         call tree stays correct across the toggles.
     GLPROF_ZERO_STATS
         forget everything counted so far.
     GLPROF_DUMP_STATS / GLPROF_DUMP_STATS_AT(label)
         write a profile now (a numbered file beside the final one, with
         the label in it) and go on counting.
     GLPROF_ITERATION
         the end of one iteration of repeated work (a request served, an
         agent step): glprof reports per-iteration cost, its spread, and
         the allocation sites that grow per iteration.
     GLPROF_REGION_BEGIN(name) / GLPROF_REGION_END
         a named region (nestable) with its own instructions, calls,
         allocations, peak and I/O.
     GLPROF_RUNNING
         1 under glprof, 0 otherwise.

   Callgrind's (callgrind.h) and Cachegrind's start/stop/toggle/zero/dump
   requests, and Memcheck's leak-check requests (memcheck.h), work under
   glprof too.

   This file is part of glprof and may be copied into any program, under
   the terms of the BSD-style licence of valgrind.h.
*/

#ifndef __GLPROF_H
#define __GLPROF_H

#include "valgrind.h"

typedef enum {
   VG_USERREQ__GLPROF_BASE = VG_USERREQ_TOOL_BASE('G', 'P'),
   /* Public requests use offsets 0x000..0xFFF from the base. */
   VG_USERREQ__GLPROF_RUNNING = VG_USERREQ__GLPROF_BASE + 1,
   VG_USERREQ__GLPROF_START_COLLECTION,
   VG_USERREQ__GLPROF_STOP_COLLECTION,
   VG_USERREQ__GLPROF_ZERO_STATS,
   VG_USERREQ__GLPROF_DUMP_STATS,          /* (label or NULL) */
   VG_USERREQ__GLPROF_ITERATION,
   VG_USERREQ__GLPROF_REGION_BEGIN,        /* (name) */
   VG_USERREQ__GLPROF_REGION_END
} Vg_GlprofClientRequest;

#define GLPROF_RUNNING                                                   \
   ((int)VALGRIND_DO_CLIENT_REQUEST_EXPR(0, VG_USERREQ__GLPROF_RUNNING,  \
                                         0, 0, 0, 0, 0))

#define GLPROF_START_COLLECTION                                          \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ__GLPROF_START_COLLECTION, \
                                   0, 0, 0, 0, 0)

#define GLPROF_STOP_COLLECTION                                           \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ__GLPROF_STOP_COLLECTION,  \
                                   0, 0, 0, 0, 0)

#define GLPROF_ZERO_STATS                                                \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ__GLPROF_ZERO_STATS,       \
                                   0, 0, 0, 0, 0)

#define GLPROF_DUMP_STATS                                                \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ__GLPROF_DUMP_STATS,       \
                                   0, 0, 0, 0, 0)

#define GLPROF_DUMP_STATS_AT(label)                                      \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ__GLPROF_DUMP_STATS,       \
                                   (label), 0, 0, 0, 0)

#define GLPROF_ITERATION                                                 \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ__GLPROF_ITERATION,        \
                                   0, 0, 0, 0, 0)

#define GLPROF_REGION_BEGIN(name)                                        \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ__GLPROF_REGION_BEGIN,     \
                                   (name), 0, 0, 0, 0)

#define GLPROF_REGION_END                                                \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ__GLPROF_REGION_END,       \
                                   0, 0, 0, 0, 0)

/* ---- glprof internal: NOT an API ------------------------------------------
   Requests made only by glprof's own preload (vgpreload_glprof).  They
   live at offsets 0x1000 and above, apart from the public range, and may
   change with any glprof release; programs must not issue them. */
#define _VG_USERREQ__GLPROF_PRELOAD_BASE (VG_USERREQ__GLPROF_BASE + 0x1000)

#endif /* __GLPROF_H */
