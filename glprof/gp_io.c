/* gp_io.c -- I/O accounting from the syscall hooks: bytes and operations per
   file or socket and per call site. */

#include "gp_tool.h"
#include "gp_options.h"

Bool gp_io_option(const HChar* arg)
{
   return False;
}

void gp_io_usage(void)
{
}
