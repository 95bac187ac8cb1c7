/* gp_preload.h -- what only the heap profile asks of the program's run:
   glprof's preload (the replacement allocators, the exit() wrapper) and
   the freeres functions at exit (gp_preload.c). */

#ifndef GP_PRELOAD_H
#define GP_PRELOAD_H

/* With --heap=yes, asks for the freeres functions at exit; with --heap=no,
   takes glprof's preload out of the client's LD_PRELOAD.  Called from
   post_clo_init, before the program's first instruction. */
void gp_preload_init(void);

#endif
