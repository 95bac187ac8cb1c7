/* gp_io.c -- I/O accounting from the syscall hooks: bytes and operations per
   file or socket and per call site. */

#include "gp_tool.h"
#include "gp_options.h"
#include "gp_io.h"

Bool gp_io_option(const HChar* arg)
{
   return False;
}

void gp_io_usage(void)
{
}

void gp_io_init(void)
{
}

void gp_io_pre_syscall(ThreadId tid, UInt sysno, UWord* args, UInt nArgs)
{
}

void gp_io_post_syscall(ThreadId tid, UInt sysno, UWord* args, UInt nArgs,
                        SysRes res)
{
}
