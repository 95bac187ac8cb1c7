// cflags: -O1 -g
/* indirect.c -- indirect jumps whose targets are more or less
   predictable: a function called from one place (its return always goes
   to the same address), one called from two places in turn, calls
   through a table of function pointers in rotation, a switch compiled to
   a jump table.  For the guessed direct exits (gp_predict.h): their
   figures must be the same whether each guess is right or wrong. */
#include <stdio.h>
#include <stdlib.h>

static volatile long sink;

__attribute__((noinline)) long one_site(long x) { return x * 3 + 1; }
__attribute__((noinline)) long two_sites(long x) { return x ^ 0x55; }
__attribute__((noinline)) long op_add(long x) { return x + 7; }
__attribute__((noinline)) long op_mul(long x) { return x * 5; }
__attribute__((noinline)) long op_neg(long x) { return -x; }

static long (*const ops[3])(long) = { op_add, op_mul, op_neg };

__attribute__((noinline)) long dispatch(long x, int k)
{
   switch (k & 7) {   /* dense cases: a jump table at -O1 */
   case 0: return x + 1;
   case 1: return x * 2;
   case 2: return x - 3;
   case 3: return x ^ 4;
   case 4: return x << 1;
   case 5: return x >> 1;
   case 6: return x | 8;
   default: return x & 0xff;
   }
}

int main(int argc, char** argv)
{
   long n = argc > 1 ? atol(argv[1]) : 20000;
   long s = 0;
   for (long i = 0; i < n; i++) {
      s += one_site(i);
      if (i & 1) s += two_sites(i);
      else s -= two_sites(i);
      s += ops[i % 3](i);
      s += dispatch(s, (int)i);
   }
   sink = s;
   printf("%ld\n", s);
   return 0;
}
