/* alloc_calls.c -- a loop that calls every C allocator, for the CPU
   profile of allocation-heavy code: its own instructions and calls equal
   Callgrind's, while the replaced allocator's own code is not counted.
   usage: alloc_calls [rounds] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the blocks escape here, so the compiler keeps every call */
char* volatile sink;

__attribute__((noinline)) static unsigned long churn(long rounds)
{
   unsigned long sum = 0;
   long i;
   for (i = 0; i < rounds; i++) {
      char* a = malloc(16 + (size_t)(i % 200));
      char* b = calloc(4, 8 + (size_t)(i % 7));
      a[0] = (char)i;
      sink = a;
      b = realloc(b, 64 + (size_t)(i % 50));
      b[1] = a[0];
      sum += (unsigned char)b[1];
      free(a);
      free(b);
   }
   return sum;
}

int main(int argc, char** argv)
{
   long rounds = argc > 1 ? atol(argv[1]) : 10000;
   printf("%lu\n", churn(rounds));
   return 0;
}
