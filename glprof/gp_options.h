/* gp_options.h -- glprof's command-line options: their values after parsing
   and the parser/usage text.  Every option here is documented in
   docs/options.md and in --help. */

#ifndef GP_OPTIONS_H
#define GP_OPTIONS_H

#include "gp_tool.h"

typedef struct {
   /* what to collect */
   Bool  cpu;               /* --cpu: per-function instruction profile */
   Bool  heap;              /* --heap: allocation tracking and leak check */
   Bool  io;                /* --io: I/O syscall accounting */
   Bool  lines;             /* --lines: self instructions per source line */

   /* call paths */
   UInt  fold_recursion;    /* --fold-recursion: distinct recursion levels */
   UInt  max_call_paths;    /* --max-call-paths: cap on calling contexts */

   /* outputs */
   const HChar* out_file;   /* --glprof-out-file (JSON), "" = none */
   UInt  top;               /* --top: rows per table in the text report */
} GpOptions;

extern GpOptions gp_clo;

void gp_options_init_defaults(void);
Bool gp_options_process(const HChar* arg);
void gp_options_print_usage(void);
void gp_options_print_debug_usage(void);
/* Checks combinations after all options are seen (post_clo_init). */
void gp_options_check(void);

#endif
