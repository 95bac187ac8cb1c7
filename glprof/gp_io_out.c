/* gp_io_out.c -- the I/O profile's sections: "io", "locks" and
   "determinism" in the JSON profile; I/O PROFILE and THREADS AND LOCKS in
   the text report. */

#include "gp_output.h"
#include "gp_options.h"

void gp_io_analyse(GpProfile* p)
{
}

void gp_io_profile_free(GpProfile* p)
{
}

void gp_io_json(GpJson* j, const GpProfile* p)
{
}

void gp_io_report(const GpProfile* p)
{
}
