/* live10m.c -- 10 million live blocks (16 to 64 bytes), kept in a table
   until exit: the cost of tracking many live blocks, the tool's own bytes
   per live block, and a leak check over 10 million reachable blocks.
   usage: live10m [blocks] */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv)
{
   long n = argc > 1 ? atol(argv[1]) : 10000000, i;
   char** table = malloc(n * sizeof *table);
   unsigned long sum = 0;
   for (i = 0; i < n; i++) {
      table[i] = malloc(16 + (i * 7) % 49);
      table[i][0] = (char)i;
   }
   for (i = 0; i < n; i += 4096) sum += table[i][0];
   printf("%ld blocks, checksum %lu\n", n, sum);
   return 0;                       /* everything still reachable at exit */
}
