// cflags: -O1 -g
/* ctl_toggle.c -- for --toggle-collect: a recursive walk where only the
   calls under leaf_work() should be collected. */
#include <stdio.h>

__attribute__((noinline)) long leaf_math(int n) { long s = 0; for (int i = 0; i < 200; i++) s += i ^ n; return s; }
__attribute__((noinline)) long leaf_work(int n) { return leaf_math(n) + leaf_math(n + 1); }
__attribute__((noinline)) long walk(int depth)
{
   long s = 0;
   for (int i = 0; i < 500; i++) s += i & depth;        /* not collected */
   if (depth == 0) return s + leaf_work(depth);
   return s + walk(depth - 1) + walk(depth - 2 < 0 ? 0 : depth - 2) + leaf_work(depth);
}

int main(void)
{
   printf("%ld\n", walk(12));
   return 0;
}
