/* gp_elfdebug.h -- does an ELF file have debug information, in itself or
   installed apart where the core would find it (a build-id file under
   /usr/lib/debug, a .gnu_debuglink file beside it, in .debug/ or under
   /usr/lib/debug)?  Read from the file's section headers, before the core
   loads it; used to decide whether reading inline information at start-up
   is worth its cost (gp_frames.c). */

#ifndef GP_ELFDEBUG_H
#define GP_ELFDEBUG_H

#include "gp_tool.h"

/* False only when the file is an ELF object that certainly has none;
   True when it has some, and when it cannot tell (not ELF, unreadable,
   --extra-debuginfo-path or a debuginfo server given). */
Bool gp_elf_may_have_debug_info(const HChar* path);

#endif
