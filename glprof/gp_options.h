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
   Bool  runtime_inline;    /* --runtime-inline-info: read the runtime's
                               inlined calls too (gp_frames.c) */

   /* speed only: results are the same either way */
   Bool  direct_jumps;      /* --direct-jumps: guessed direct exits for
                               indirect jumps (gp_predict.h) */

   /* call paths */
   UInt  fold_recursion;    /* --fold-recursion: distinct recursion levels */
   UInt  max_call_paths;    /* --max-call-paths: cap on calling contexts */

   /* outputs */
   const HChar* out_file;   /* --glprof-out-file (JSON), "" = none */
   UInt  top;               /* --top: rows per table in the text report */
} GpOptions;

extern GpOptions gp_clo;

/* Option parsers every concern uses; each returns False if arg is not this
   option, and refuses (exits) on a bad value with a message naming the
   option and what it takes. */
Bool gp_opt_uint(const HChar* arg, const HChar* name, UInt* var, Long lo, Long hi);
Bool gp_opt_ulong(const HChar* arg, const HChar* name, ULong* var, ULong lo, ULong hi);
Bool gp_opt_file(const HChar* arg, const HChar* name, const HChar** var);
/* A size with an optional unit: 1000, 64KB, 500MB, 1GB, 1KiB, 1MiB, 1GiB. */
Bool gp_opt_bytes(const HChar* arg, const HChar* name, ULong* var);
/* A pattern list: repeatable, each value added to *list (an XArray of
   const HChar*, created on first use); empty values refused. */
Bool gp_opt_pattern(const HChar* arg, const HChar* name, XArray** list);

/* Each concern parses its own options and prints its own usage block
   (gp_options.c tries them in turn). */
Bool gp_heap_option(const HChar* arg);      void gp_heap_usage(void);
Bool gp_io_option(const HChar* arg);        void gp_io_usage(void);
Bool gp_findings_option(const HChar* arg);  void gp_findings_usage(void);
Bool gp_output_option(const HChar* arg);    void gp_output_usage(void);
void gp_output_check(void);     /* after all options (gp_options_check) */
Bool gp_control_option(const HChar* arg);   void gp_control_usage(void);

void gp_options_init_defaults(void);
Bool gp_options_process(const HChar* arg);
void gp_options_print_usage(void);
void gp_options_print_debug_usage(void);
/* Checks combinations after all options are seen (post_clo_init). */
void gp_options_check(void);

#endif
