/* gp_output.h -- the writers: each renders an analysed GpProfile in one
   format.  gp_output.c decides which files to write, expands their names
   (at write time, so forked children get their own) and reports failures
   without ever losing the text report. */

#ifndef GP_OUTPUT_H
#define GP_OUTPUT_H

#include "gp_tool.h"
#include "gp_profile.h"
#include "gp_util.h"

void gp_write_json(GpOut* o, const GpProfile* p);      /* gp_write_json.c */
void gp_report_text(const GpProfile* p);                /* gp_report.c */

/* The JSON file the last gp_output_profile wrote (for the report). */
extern const HChar* gp_output_written_json;

/* Writes every requested file for p and the text report (final only). */
void gp_output_profile(const GpProfile* p);

#endif
