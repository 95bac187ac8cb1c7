/* allocs100m.c -- 100 million allocations (and as many frees), each block
   written and read: the per-allocation cost of the heap profile.  Sizes
   vary (16 to 527 bytes), 64 blocks are in flight at a time, and a little
   work is done per block as a real program would.
   usage: allocs100m [allocations] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char** argv)
{
   long n = argc > 1 ? atol(argv[1]) : 100000000, i;
   char* slot[64] = { 0 };
   unsigned long sum = 0;
   for (i = 0; i < n; i++) {
      int k = (int)(i & 63);
      size_t sz = 16 + (size_t)((i * 2654435761u) % 512);
      free(slot[k]);
      slot[k] = malloc(sz);
      memset(slot[k], (int)i, 16);
      sum += (unsigned char)slot[k][(i >> 3) & 15];
   }
   for (i = 0; i < 64; i++) free(slot[i]);
   printf("%ld allocations, checksum %lu\n", n, sum);
   return 0;
}
