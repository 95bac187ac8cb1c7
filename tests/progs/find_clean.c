// cflags: -O1 -g
/* find_clean.c -- a balanced program: several functions share the work,
   one allocation freed, one buffered write; no rule should fire. */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static long part_a(int n) { long s = 0; for (int i = 0; i < n; i++) s += i ^ 7; return s; }
__attribute__((noinline)) static long part_b(int n) { long s = 0; for (int i = 0; i < n; i++) s += i % 13; return s; }
__attribute__((noinline)) static long part_c(int n) { long s = 0; for (int i = 0; i < n; i++) s += (i * 3) >> 1; return s; }

int main(void)
{
   long* v = malloc(100 * sizeof *v);
   long s = 0;
   for (int r = 0; r < 100; r++) {
      v[r] = part_a(3000) + part_b(3000) + part_c(3000);
      s += v[r];
   }
   free(v);
   printf("%ld\n", s);
   return 0;
}
