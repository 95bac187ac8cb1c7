/* gp_heap_req.h -- the heap's internal client requests, made by glprof's
   own preload (gp_heap_preload.c) and answered by gp_heap.c.  Not an API:
   they sit in glprof's internal range (glprof.h), at offsets 0x1800 and up
   (0x1000 to 0x17ff held the lock wrappers' requests of earlier
   releases). */

#ifndef GP_HEAP_REQ_H
#define GP_HEAP_REQ_H

#include "glprof.h"

/* (): the calling thread is entering exit(): its stack below SP is dead */
#define _VG_USERREQ__GLPROF_HEAP_EXITING (_VG_USERREQ__GLPROF_PRELOAD_BASE + 0x800)

#endif
