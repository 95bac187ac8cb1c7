/* gp_findings.c -- the rule engine: bottlenecks and recommendations derived
   from the analysed figures. */

#include "gp_tool.h"
#include "gp_options.h"
#include "gp_profile.h"

Bool gp_findings_option(const HChar* arg)
{
   return False;
}

void gp_findings_usage(void)
{
}

void gp_findings_analyse(GpProfile* p)
{
}

void gp_findings_free(GpProfile* p)
{
}
