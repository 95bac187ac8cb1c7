// cflags: -O1 -g
/* alloc_storm.c -- allocation storms:
     alloc_storm pairs <n>      n malloc/free pairs (16..527 bytes, 16 in
                                flight), each block written and read
     alloc_storm realloc <max>  one block grown by realloc, 1/8 at a time,
                                from 16 bytes to <max> bytes, then freed
     alloc_storm live <n>       n blocks live at exit (16..79 bytes) for the
                                leak scan: reachable from one array, except
                                every 10th, which is lost (its pointer is
                                overwritten), and every 10th+1, which keeps
                                the next one indirectly lost
   Prints a checksum so the work is not optimised away. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void** volatile live_blocks;

static int storm_pairs(long n)
{
   char* slot[16] = { 0 };
   unsigned long sum = 0;
   for (long i = 0; i < n; i++) {
      int k = (int)(i & 15);
      free(slot[k]);
      slot[k] = malloc(16 + (size_t)((i * 2654435761u) % 512));
      slot[k][0] = (char)i;
      sum += (unsigned char)slot[k][0];
   }
   for (int k = 0; k < 16; k++) free(slot[k]);
   printf("pairs %ld checksum %lu\n", n, sum);
   return 0;
}

static int storm_realloc(long max)
{
   size_t size = 16;
   char* p = malloc(size);
   long steps = 0;
   p[0] = 1;
   while (size < (size_t)max) {
      size_t next = size + size / 8 + 16;
      if (next > (size_t)max) next = (size_t)max;
      p = realloc(p, next);
      if (!p) { perror("realloc"); return 1; }
      p[next - 1] = (char)steps;      /* touch the new end */
      size = next;
      steps++;
   }
   printf("realloc to %zu bytes in %ld steps, first byte %d\n", size, steps, p[0]);
   free(p);
   return 0;
}

static int storm_live(long n)
{
   void** a = malloc((size_t)n * sizeof(void*));
   unsigned long sum = 0;
   for (long i = 0; i < n; i++) {
      char* b = malloc(16 + (size_t)(i % 64));
      b[0] = (char)i;
      sum += (unsigned char)b[0];
      a[i] = b;
   }
   for (long i = 0; i + 1 < n; i += 10) {
      /* a[i] lost; a[i+1] now only reachable from the lost a[i] */
      *(void**)a[i] = a[i + 1];
      a[i] = NULL;
      a[i + 1] = NULL;
   }
   live_blocks = a;
   printf("live %ld checksum %lu\n", n, sum);
   return 0;
}

int main(int argc, char** argv)
{
   long n = argc > 2 ? atol(argv[2]) : 1000000;
   if (argc > 1 && strcmp(argv[1], "pairs") == 0) return storm_pairs(n);
   if (argc > 1 && strcmp(argv[1], "realloc") == 0) return storm_realloc(n);
   if (argc > 1 && strcmp(argv[1], "live") == 0) return storm_live(n);
   fprintf(stderr, "usage: alloc_storm pairs|realloc|live <n>\n");
   return 2;
}
