/* gp_io.h -- I/O accounting from the syscall hooks (gp_io.c). */

#ifndef GP_IO_H
#define GP_IO_H

#include "gp_tool.h"

void gp_io_init(void);
void gp_io_pre_syscall(ThreadId tid, UInt sysno, UWord* args, UInt nArgs);
void gp_io_post_syscall(ThreadId tid, UInt sysno, UWord* args, UInt nArgs,
                        SysRes res);

#endif
