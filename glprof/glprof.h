/*
   glprof.h -- client requests for glprof, the Valgrind profiler of
   instructions, heap, leaks and I/O.

   Include it in a program to control glprof from inside; every request
   costs a few instructions and does nothing when the program does not run
   under Valgrind.  (The requests themselves arrive with the "control"
   work; this header already reserves glprof's request range.)

   This file is part of glprof and may be copied into any program, under
   the terms of the BSD-style licence of valgrind.h.
*/

#ifndef __GLPROF_H
#define __GLPROF_H

#include "valgrind.h"

typedef enum {
   VG_USERREQ__GLPROF_BASE = VG_USERREQ_TOOL_BASE('G', 'P')
} Vg_GlprofClientRequest;

#endif /* __GLPROF_H */
