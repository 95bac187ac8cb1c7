/* gp_flame.h -- flame graphs and folded stacks from a profile's exact call
   paths (instructions) or from the allocation stacks of its heap sites and
   leak records (bytes). */

#ifndef GP_FLAME_H
#define GP_FLAME_H

#include "gp_host.h"
#include "gp_profile_read.h"

enum { GPF_INSTRUCTIONS, GPF_ALLOC_BYTES, GPF_LEAKED_BYTES };

typedef struct {
   int metric;          /* GPF_* */
   const char* title;   /* NULL: a title from the metric and command */
   unsigned width;      /* image width in pixels */
   unsigned min_width;  /* frames narrower than this (hundredths of a pixel) are left out */
} GpfOptions;

/* "instructions", "alloc_bytes", "leaked_bytes" -> GPF_*, or -1. */
int gpf_metric_from_name(const char* name);
const char* gpf_metric_name(int metric);

/* Writes the flame graph as a self-contained SVG to svg and/or the folded
   stacks (one "a;b;c count" line per path) to folded (either may be NULL).
   Returns 0, or -1 with a message naming the profile in err when the
   profile has no data for the metric (e.g. no "paths" with --cpu=no). */
int gpf_write(const GprProfile* p, const GpfOptions* o, FILE* svg, FILE* folded,
              char* err, size_t errlen);

#endif
