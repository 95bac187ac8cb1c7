/* gp_control.c -- control of collection: client requests, regions,
   iteration marks, toggles and vgdb monitor commands. */

#include "gp_tool.h"
#include "gp_options.h"

Bool gp_control_option(const HChar* arg)
{
   return False;
}

void gp_control_usage(void)
{
}
