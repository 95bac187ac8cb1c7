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
   gp_clo.direct_jumps = True;
   gp_clo.fold_recursion = 8;
   gp_clo.max_call_paths = 4000000;
   gp_clo.out_file = "glprof.out.%p";
   gp_clo.top = 10;
}

/* A file-name option: non-empty, and only the %p %q{VAR} %n %% escapes that
   VG_(expand_file_name) understands (checked now so a typo fails before the
   client runs, not at exit). */
Bool gp_opt_file(const HChar* arg, const HChar* name, const HChar** var)
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
   if (v[0] == 0)
      VG_(fmsg_bad_option)(arg, "'%s' needs a file name\n", name);
   *var = v;
   return True;
}

/* Bounded unsigned integer with a message naming the range. */
Bool gp_opt_uint(const HChar* arg, const HChar* name, UInt* var, Long lo, Long hi)
{
   SizeT n = VG_(strlen)(name);
   const HChar* v;
   HChar* end;
   Long x;
   if (!VG_STREQN(n, arg, name) || arg[n] != '=') return False;
   v = arg + n + 1;
   /* digits only: strtoll10 would also skip leading blanks and a sign */
   if (*v < '0' || *v > '9')
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

Bool gp_opt_ulong(const HChar* arg, const HChar* name, ULong* var, ULong lo, ULong hi)
{
   SizeT n = VG_(strlen)(name);
   const HChar* v;
   ULong x = 0;
   if (!VG_STREQN(n, arg, name) || arg[n] != '=') return False;
   v = arg + n + 1;
   if (*v == 0) goto bad;
   for (; *v; v++) {
      /* exact overflow test: every value up to 2^64-1 is accepted */
      if (*v < '0' || *v > '9' || x > (~0ULL - (ULong)(*v - '0')) / 10) goto bad;
      x = x * 10 + (ULong)(*v - '0');
   }
   if (x < lo || x > hi) goto bad;
   *var = x;
   return True;
 bad:
   VG_(fmsg_bad_option)(arg, "'%s' takes an integer from %llu to %llu\n",
                        name, lo, hi);
   return True;
}

Bool gp_opt_bytes(const HChar* arg, const HChar* name, ULong* var)
{
   static const struct { const HChar* u; ULong m; } units[] = {
      { "", 1 }, { "B", 1 }, { "KB", 1000ULL }, { "MB", 1000000ULL },
      { "GB", 1000000000ULL }, { "TB", 1000000000000ULL }, { "KiB", 1ULL << 10 },
      { "MiB", 1ULL << 20 }, { "GiB", 1ULL << 30 }, { "TiB", 1ULL << 40 } };
   SizeT n = VG_(strlen)(name);
   const HChar* v;
   ULong x = 0;
   UInt i;
   if (!VG_STREQN(n, arg, name) || arg[n] != '=') return False;
   v = arg + n + 1;
   if (*v < '0' || *v > '9') goto bad;
   for (; *v >= '0' && *v <= '9'; v++) {
      if (x > (~0ULL - (ULong)(*v - '0')) / 10) goto bad;
      x = x * 10 + (ULong)(*v - '0');
   }
   for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
      if (VG_(strcasecmp)(v, units[i].u) == 0) {
         if (units[i].m > 1 && x > ~0ULL / units[i].m) goto bad;
         *var = x * units[i].m;
         return True;
      }
   }
 bad:
   VG_(fmsg_bad_option)(arg, "'%s' takes a size: a number with an optional "
                        "unit B, KB, MB, GB, TB, KiB, MiB, GiB or TiB "
                        "(e.g. %s=500MB)\n", name, name);
   return True;
}

Bool gp_opt_pattern(const HChar* arg, const HChar* name, XArray** list)
{
   SizeT n = VG_(strlen)(name);
   const HChar* v;
   if (!VG_STREQN(n, arg, name) || arg[n] != '=') return False;
   v = arg + n + 1;
   if (v[0] == 0)
      VG_(fmsg_bad_option)(arg, "'%s' needs a function name pattern "
                           "('*' and '?' are wildcards)\n", name);
   if (!*list)
      *list = VG_(newXA)(VG_(malloc), GP_CC("opt.pat"), VG_(free),
                         sizeof(const HChar*));
   VG_(addToXA)(*list, &v);
   return True;
}

Bool gp_options_process(const HChar* arg)
{
   if      VG_BOOL_CLO(arg, "--cpu",   gp_clo.cpu) {}
   else if VG_BOOL_CLO(arg, "--heap",  gp_clo.heap) {}
   else if VG_BOOL_CLO(arg, "--io",    gp_clo.io) {}
   else if VG_BOOL_CLO(arg, "--lines", gp_clo.lines) {}
   else if VG_BOOL_CLO(arg, "--runtime-inline-info", gp_clo.runtime_inline) {}
   else if VG_BOOL_CLO(arg, "--direct-jumps", gp_clo.direct_jumps) {}
   else if (gp_opt_uint(arg, "--top", &gp_clo.top, 1, 100000)) {}
   else if (gp_opt_uint(arg, "--fold-recursion", &gp_clo.fold_recursion,
                        1, 100000)) {}
   else if (gp_opt_uint(arg, "--max-call-paths", &gp_clo.max_call_paths,
                        1000, 1000000000)) {}
   else if (gp_opt_file(arg, "--glprof-out-file", &gp_clo.out_file)) {}
   else if (gp_heap_option(arg) || gp_io_option(arg) || gp_findings_option(arg)
            || gp_output_option(arg) || gp_control_option(arg)) {}
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
"    --runtime-inline-info=yes|no  read the C/C++ runtime's inlined calls too:\n"
"                              stacks inside libc as Memcheck's (start-up\n"
"                              cost) [no]\n"
"    speed (the results are the same either way):\n"
"    --direct-jumps=yes|no     give returns and indirect calls and jumps a\n"
"                              direct exit to the target they take first,\n"
"                              bypassing Valgrind's dispatcher when they go\n"
"                              there again, and calls through PLT stubs an\n"
"                              exit past the stub [yes]\n"
"    call paths:\n"
"    --fold-recursion=<n>      recursion levels of one function kept apart\n"
"                              in call paths; deeper ones fold [8]\n"
"    --max-call-paths=<n>      cap on distinct call paths; beyond it new\n"
"                              paths fold into their caller [4000000]\n"
"    output:\n"
"    --glprof-out-file=<file>  JSON profile [glprof.out.%%p]\n"
"    --top=<n>                 rows per table in the text report [10]\n"
   );
   gp_output_usage();
   gp_heap_usage();
   gp_io_usage();
   gp_findings_usage();
   gp_control_usage();
}

void gp_options_print_debug_usage(void)
{
   VG_(printf)("    (none)\n");
}

void gp_options_check(void)
{
   if (!gp_clo.cpu) gp_clo.lines = False;
   gp_output_check();
}
