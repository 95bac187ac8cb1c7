// cflags: -O1 -g -I$SRC/glprof $VGCFLAGS
/* ctl_collect.c -- collection switched on and off by glprof's requests:
   only measured() runs while collecting; setup() and teardown() outside.
   Inside a collected region, measured() calls helper() through recursion
   while collection toggles at the middle (the call tree must stay right). */
#include <stdio.h>
#include <stdlib.h>
#include "glprof.h"

__attribute__((noinline)) long setup(void)    { long s = 0; for (int i = 0; i < 300000; i++) s += i ^ 3; return s; }
__attribute__((noinline)) long teardown(void) { long s = 0; for (int i = 0; i < 200000; i++) s += i ^ 5; return s; }
__attribute__((noinline)) long helper(int n)  { long s = 0; for (int i = 0; i < 1000; i++) s += i * n; return s; }

__attribute__((noinline)) long measured(int depth)
{
   long s = helper(depth);
   if (depth == 5) GLPROF_STOP_COLLECTION;    /* deeper levels: not charged */
   if (depth > 0) s += measured(depth - 1);
   if (depth == 5) GLPROF_START_COLLECTION;   /* back on for the rest */
   return s + helper(depth + 100);
}

int main(void)
{
   long s = setup();
   GLPROF_START_COLLECTION;
   s += measured(10);
   GLPROF_STOP_COLLECTION;
   s += teardown();
   printf("%ld %d\n", s, GLPROF_RUNNING);
   return 0;
}
