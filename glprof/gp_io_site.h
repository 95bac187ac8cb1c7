/* gp_io_site.h -- which code an I/O call, a lock or a clock read belongs
   to: the innermost frame of the program's own code, skipping the runtime
   (libc, libm, the dynamic loader, libpthread, the C++ runtime, libgcc_s and
   Valgrind's preloads).  "write() was called from emit_row, line 42"
   whether emit_row called write, fwrite or std::ostream::write. */

#ifndef GP_IO_SITE_H
#define GP_IO_SITE_H

#include "gp_tool.h"
#include "gp_frames.h"

void        gp_site_init(void);

/* The site of what thread tid is doing now (it is inside a syscall or a
   client request).  *inner (if not NULL) receives the code that made the
   call: the innermost frame outside Valgrind's preloads (for a lock, the
   caller of pthread_mutex_lock).  *user is set to False when no frame of
   the program's own code was found (the loader at start-up, exit-time
   code); the site is then *inner.  Never NULL. */
GpFrameLoc* gp_site_here(ThreadId tid, Bool* user, GpFrameLoc** inner);
/* The same for a thread standing at the first instruction of a function
   it has just called (the lock observer): the call's site, *inner its
   caller. */
GpFrameLoc* gp_site_at_entry(ThreadId tid, Bool* user, GpFrameLoc** inner);

/* Is o part of the runtime rather than the program?  The loader itself? */
Bool        gp_site_obj_is_runtime(const GpObj* o);
Bool        gp_site_obj_is_c_runtime(const GpObj* o);  /* libc, loader, pthread */
Bool        gp_site_obj_is_loader(const GpObj* o);
/* The same test as gp_site_obj_is_runtime, for a file about to be mapped. */
Bool        gp_site_path_is_runtime(const HChar* path);

/* Output: marks a site's frame for the JSON "frames" table (as
   gp_frames_mark does for the frames of a stack), and orders frames
   deterministically (name, file, line, object). */
void        gp_site_mark(GpFrameLoc* l);
Int         gp_site_loc_cmp(const GpFrameLoc* a, const GpFrameLoc* b);

#endif
