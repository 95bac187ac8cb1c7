// cflags: -O1 -g
/* work.c -- known CPU work in a few functions of very different cost:
   crunch() dominates, mix() is called often, setup() once.  Argument: the
   number of rounds (default 200). */
#include <stdio.h>
#include <stdlib.h>

static unsigned long table[1024];

__attribute__((noinline)) void setup(void)
{
   for (int i = 0; i < 1024; i++) table[i] = (unsigned long)i * 2654435761u;
}

__attribute__((noinline)) unsigned long mix(unsigned long x)
{
   x ^= x >> 13;
   x *= 0x5bd1e995;
   return x ^ (x >> 15);
}

__attribute__((noinline)) unsigned long crunch(int n)
{
   unsigned long s = 0;
   for (int i = 0; i < n; i++)
      s += table[(s + i) & 1023] ^ (s << 3);
   return s;
}

int main(int argc, char** argv)
{
   int rounds = argc > 1 ? atoi(argv[1]) : 200;
   unsigned long s = 0;
   setup();
   for (int r = 0; r < rounds; r++) {
      s += crunch(20000);
      for (int k = 0; k < 100; k++) s = mix(s + k);
   }
   printf("%lu\n", s);
   return 0;
}
