/* gp_preload.c -- code glprof adds to the client process, beside Valgrind's
   replacement allocators (vgpreload_glprof-<platform>.so).  It runs on the
   simulated CPU, so it is plain C with no floating point.  (The lock and
   clock wrappers of the I/O and threads profile live here.) */

#include "pub_tool_basics.h"
#include "pub_tool_redir.h"
#include "valgrind.h"

/* Keeps the object non-empty and marks it as glprof's. */
const char glprof_preload_id[] = "glprof preload";
