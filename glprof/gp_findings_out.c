/* gp_findings_out.c -- the findings' sections: "findings" in the JSON
   profile; BOTTLENECKS IDENTIFIED and OPTIMIZATION RECOMMENDATIONS in the
   text report. */

#include "gp_output.h"
#include "gp_options.h"

void gp_findings_json(GpJson* j, const GpProfile* p)
{
}

void gp_findings_report(const GpProfile* p)
{
}
