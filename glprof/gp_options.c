/* gp_options.c -- parses glprof's options Valgrind-style: every bad value is
   refused with a message that names the option and what it accepts, and
   Valgrind exits non-zero before the client runs. */

#include "gp_options.h"

GpOptions gp_clo;

void gp_options_init_defaults(void)
{
   gp_clo.cpu = True;
   gp_clo.heap = True;
   gp_clo.io = True;
   gp_clo.lines = True;
   gp_clo.fold_recursion = 8;
   gp_clo.max_call_paths = 4000000;
   gp_clo.out_file = "glprof.out.%p";
   gp_clo.top = 10;
}

/* A file-name option: non-empty, and only the %p %q{VAR} %n %% escapes that
   VG_(expand_file_name) understands (checked now so a typo fails before the
   client runs, not at exit). */
static Bool file_option(const HChar* arg, const HChar* name,
                        const HChar** var)
{
   SizeT n = VG_(strlen)(name);
   const HChar* v;
   const HChar* p;
   if (!VG_STREQN(n, arg, name) || arg[n] != '=') return False;
   v = arg + n + 1;
   for (p = v; *p; p++) {
      if (*p != '%') continue;
      p++;
      if (*p == 'p' || *p == 'n' || *p == '%') continue;
      if (*p == 'q' && p[1] == '{') {
         const HChar* e = VG_(strchr)(p, '}');
         if (e) { p = e; continue; }
      }
      VG_(fmsg_bad_option)(arg, "'%s' may only use %%p (pid), %%n (sequence "
                           "number), %%q{VAR} (environment variable) and %%%% "
                           "in file names\n", name);
   }
   *var = v;
   return True;
}

/* Bounded unsigned integer with a message naming the range. */
static Bool uint_option(const HChar* arg, const HChar* name, UInt* var,
                        Long lo, Long hi)
{
   SizeT n = VG_(strlen)(name);
   const HChar* v;
   HChar* end;
   Long x;
   if (!VG_STREQN(n, arg, name) || arg[n] != '=') return False;
   v = arg + n + 1;
   if (*v == 0 || *v == '-' || *v == '+')
      VG_(fmsg_bad_option)(arg, "'%s' takes an integer from %lld to %lld\n",
                           name, lo, hi);
   x = VG_(strtoll10)(v, &end);
   /* strtoll10 saturates; a value of 19+ digits or trailing junk is refused */
   if (*end != 0 || VG_(strlen)(v) > 18 || x < lo || x > hi)
      VG_(fmsg_bad_option)(arg, "'%s' takes an integer from %lld to %lld\n",
                           name, lo, hi);
   *var = (UInt)x;
   return True;
}

Bool gp_options_process(const HChar* arg)
{
   if      VG_BOOL_CLO(arg, "--cpu",   gp_clo.cpu) {}
   else if VG_BOOL_CLO(arg, "--heap",  gp_clo.heap) {}
   else if VG_BOOL_CLO(arg, "--io",    gp_clo.io) {}
   else if VG_BOOL_CLO(arg, "--lines", gp_clo.lines) {}
   else if (uint_option(arg, "--top", &gp_clo.top, 1, 100000)) {}
   else if (uint_option(arg, "--fold-recursion", &gp_clo.fold_recursion,
                        1, 100000)) {}
   else if (uint_option(arg, "--max-call-paths", &gp_clo.max_call_paths,
                        1000, 1000000000)) {}
   else if (file_option(arg, "--glprof-out-file", &gp_clo.out_file)) {
      if (gp_clo.out_file[0] == 0)
         VG_(fmsg_bad_option)(arg, "'--glprof-out-file' needs a file name "
                              "(use --glprof-out-file=/dev/null to write "
                              "no profile)\n");
   }
   else
      /* --alignment, --trace-malloc, --xtree-memory* belong to the
         replacement allocator; everything else is unknown. */
      return VG_(replacement_malloc_process_cmd_line_option)(arg);
   return True;
}

void gp_options_print_usage(void)
{
   VG_(printf)(
"    what to profile:\n"
"    --cpu=yes|no              instructions per function, calls, call paths [yes]\n"
"    --heap=yes|no             heap profile and leak check [yes]\n"
"    --io=yes|no               I/O system calls per file and call site [yes]\n"
"    --lines=yes|no            self instructions per source line [yes]\n"
"    call paths:\n"
"    --fold-recursion=<n>      recursion levels of one function kept apart\n"
"                              in call paths; deeper ones fold [8]\n"
"    --max-call-paths=<n>      cap on distinct call paths; beyond it new\n"
"                              paths fold into their caller [4000000]\n"
"    output:\n"
"    --glprof-out-file=<file>  JSON profile [glprof.out.%%p]\n"
"    --top=<n>                 rows per table in the text report [10]\n"
   );
}

void gp_options_print_debug_usage(void)
{
   VG_(printf)("    (none)\n");
}

void gp_options_check(void)
{
   if (!gp_clo.cpu) gp_clo.lines = False;
}
