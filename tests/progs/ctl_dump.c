// cflags: -O1 -g -I$SRC/glprof $VGCFLAGS
/* ctl_dump.c -- phase one, a dump labelled "after-phase-one", phase two, a
   zeroing, phase three.  The dump holds phase one only; the final profile
   holds phase three only. */
#include <stdio.h>
#include "glprof.h"

__attribute__((noinline)) long phase_one(void)   { long s = 0; for (int i = 0; i < 300000; i++) s += i % 3; return s; }
__attribute__((noinline)) long phase_two(void)   { long s = 0; for (int i = 0; i < 200000; i++) s += i % 5; return s; }
__attribute__((noinline)) long phase_three(void) { long s = 0; for (int i = 0; i < 100000; i++) s += i % 7; return s; }

int main(void)
{
   long s = phase_one();
   GLPROF_DUMP_STATS_AT("after-phase-one");
   s += phase_two();
   GLPROF_ZERO_STATS;
   s += phase_three();
   printf("%ld\n", s);
   return 0;
}
