/* gp_fastcall.h -- the replaced allocators' calls into the tool, made
   from the translated code instead of through the scheduler.

   Every malloc, free, new and delete of the client reaches the tool
   through the preload's VALGRIND_NON_SIMD_CALLn client request.  Done the
   standard way, each request leaves the translated code, goes round the
   scheduler (which saves and reloads the thread's state) and comes back:
   on allocation-bound code that round trip is a third of glprof's time.

   So a superblock that ends in a client request gets, at its end, a dirty
   helper that reads the request block: when it is a CLIENT_CALL1..3 to one
   of glprof's own allocator handlers, the helper answers it exactly as
   the scheduler would (same thread, same arguments, result in the request's
   result register, instruction pointer after the request) and the
   superblock goes on to the next one; any other request takes the ordinary
   exit to the scheduler.  Where the guest's request registers are not
   known here (gp_fastcall.c lists amd64 and x86), every request takes the
   ordinary exit: the fast path is an optimisation, never a semantic. */

#ifndef GP_FASTCALL_H
#define GP_FASTCALL_H

#include "gp_tool.h"

/* The tool functions the fast path may call (the allocator handlers given
   to VG_(needs_malloc_replacement)); called once, at pre_clo_init. */
void gp_fastcall_allow(const Addr* fns, UInt n);

/* If sb (being instrumented, all of its own statements added) ends in a
   client request, adds the fast path before its end and makes the end an
   ordinary jump.  Must be the last change made to sb. */
void gp_fastcall_instrument(IRSB* sb, const VexGuestLayout* layout);

/* --stats=yes: how many client requests took each way. */
void gp_fastcall_print_stats(void);

#endif
