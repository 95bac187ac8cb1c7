// cflags: -O2 -g -fno-builtin
/* heap_inlined.c -- blocks allocated inside a function inlined into main:
   the allocation stack shows the inlined frame only when Valgrind reads
   inline information (tests/test_heap.py, the --read-inline-info
   default). */
#include <stdio.h>
#include <stdlib.h>

static char* keep[10];

static inline __attribute__((always_inline)) char* make_block(int i)
{
   char* p = malloc(64 + (size_t)i);
   p[0] = (char)i;
   return p;
}

int main(void)
{
   int i;
   long sum = 0;
   for (i = 0; i < 10; i++) {
      keep[i] = make_block(i);
      sum += keep[i][0];
   }
   printf("%ld\n", sum);
   return 0;
}
