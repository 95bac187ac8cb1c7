/* gp_output.h -- the writers: each renders an analysed GpProfile in one
   format.  gp_output.c decides which files to write, expands their names
   (at write time, so forked children get their own) and reports failures
   without ever losing the text report. */

#ifndef GP_OUTPUT_H
#define GP_OUTPUT_H

#include "gp_tool.h"
#include "gp_profile.h"
#include "gp_util.h"

#include "gp_json.h"

/* Usable report columns after Valgrind's "==pid== " prefix (100 in all). */
#define GP_REPORT_WIDTH 88

void gp_write_json(GpOut* o, const GpProfile* p);      /* gp_write_json.c */
void gp_report_text(const GpProfile* p);                /* gp_report.c */

/* Each concern's sections (JSON and text), in gp_<concern>_out.c. */
void gp_cpu_json(GpJson* j, const GpProfile* p);
void gp_cpu_report(const GpProfile* p);
void gp_heap_json(GpJson* j, const GpProfile* p);
void gp_heap_report(const GpProfile* p);       /* MEMORY PROFILE, LEAKS */
void gp_io_json(GpJson* j, const GpProfile* p);
void gp_io_report(const GpProfile* p);         /* I/O PROFILE, THREADS AND LOCKS */
void gp_control_json(GpJson* j, const GpProfile* p);
void gp_control_report(const GpProfile* p);    /* ITERATIONS AND REGIONS */
void gp_findings_json(GpJson* j, const GpProfile* p);
void gp_findings_report(const GpProfile* p);   /* BOTTLENECKS, RECOMMENDATIONS */

/* "name (file:line)" or "name [object]", cut to fit 'room' columns. */
const HChar* gp_fn_label(const GpFn* f, Int room);

/* The exchange formats (docs/formats.md), in gp_out_<format>.c. */
void gp_write_callgrind(GpOut* o, const GpProfile* p);   /* --callgrind-out-file */
void gp_write_cachegrind(GpOut* o, const GpProfile* p);  /* --cachegrind-out-file */
void gp_write_folded(GpOut* o, const GpProfile* p);      /* --folded-out-file */
void gp_write_folded_alloc(GpOut* o, const GpProfile* p); /* <folded>.alloc-bytes */
void gp_write_folded_leak(GpOut* o, const GpProfile* p);  /* <folded>.leaked-bytes */
Bool gp_folded_has_leaks(const GpProfile* p);            /* a leak check ran */
void gp_write_dhat(GpOut* o, const GpProfile* p);        /* --dhat-out-file */

/* The JSON file the last gp_output_profile wrote (for the report). */
extern const HChar* gp_output_written_json;
/* The other files it wrote: what each holds ("Callgrind") and its name. */
#define GP_OUTPUT_MAX_WRITTEN 8
typedef struct { const HChar* kind; const HChar* name; } GpWrittenFile;
extern GpWrittenFile gp_output_written[GP_OUTPUT_MAX_WRITTEN];
extern UInt          gp_output_n_written;

/* Writes every requested file for p and the text report (final only). */
void gp_output_profile(const GpProfile* p);
/* A dump of a running process: every requested file, named <name>.<seq>. */
void gp_output_dump(const GpProfile* p, UInt seq);

#endif
