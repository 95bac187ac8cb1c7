/* gp_preload.c -- what only the heap profile asks of the program's run:
   glprof's preload, and libc's and libstdc++'s freeres at exit.

   The core puts vgpreload_glprof-<platform>.so into the client's
   LD_PRELOAD on every run: it goes by the tool's name alone.  The preload
   holds Valgrind's replacement allocators and glprof's exit() wrapper,
   which only the heap profile needs.  With --heap=no glprof takes it out
   of LD_PRELOAD again before the program's first instruction (the core
   has written the client's environment onto its stack by the time of
   post_clo_init, and the loader reads it only once the program runs).
   Then:
   - the program's own allocator runs and is counted in the CPU profile,
     as under Callgrind and Cachegrind, instead of Valgrind's replacement,
     whose instructions are not the program's (docs/cpu.md);
   - start-up is spared matching the preload's redirections against
     every symbol of libc and the C++ runtime (20 to 25 ms of sqlite3's,
     bench/README.md), and each allocation its client request.
   Likewise the freeres functions, which free the C library's own memory
   at exit so that the leak check does not report it (as Memcheck asks
   for them), run only with --heap=yes: without it the run ends as under
   Callgrind.
   An exec'd program under --trace-children=yes is a new Valgrind run and
   decides again from its own options. */

#include "gp_tool.h"
#include "gp_options.h"
#include "gp_preload.h"

/* Is the LD_PRELOAD entry [s, s+n) glprof's preload (by its file name:
   vgpreload_glprof-<platform>.so in any directory)? */
static Bool is_glprof_preload(const HChar* s, SizeT n)
{
   static const HChar prefix[] = "vgpreload_glprof-";
   SizeT plen = sizeof(prefix) - 1;
   const HChar* base = s;
   SizeT i;
   for (i = 0; i < n; i++)
      if (s[i] == '/') base = s + i + 1;
   n -= (SizeT)(base - s);
   return n > plen + 3 && VG_(strncmp)(base, prefix, plen) == 0
          && VG_(strncmp)(base + n - 3, ".so", 3) == 0;
}

/* Removes glprof's preload from the ':'-separated list v, in place (the
   list only gets shorter). */
static void drop_from_list(HChar* v)
{
   HChar* r = v;
   HChar* w = v;
   while (*r) {
      SizeT n = 0;
      while (r[n] && r[n] != ':') n++;
      if (!is_glprof_preload(r, n)) {
         if (w != v) *w++ = ':';
         VG_(memmove)(w, r, n);
         w += n;
      }
      r += n;
      if (*r == ':') r++;
   }
   *w = 0;
}

void gp_preload_init(void)
{
   HChar** env;
   SizeT vlen = VG_(strlen)(VG_(LD_PRELOAD_var_name));
   if (gp_clo.heap) {
      VG_(needs_libc_freeres)();
      VG_(needs_cxx_freeres)();
      return;
   }
   for (env = VG_(client_envp); env && *env; env++)
      if (VG_(strncmp)(*env, VG_(LD_PRELOAD_var_name), vlen) == 0
          && (*env)[vlen] == '=')
         drop_from_list(*env + vlen + 1);
}
