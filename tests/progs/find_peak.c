// cflags: -O1 -g
/* find_peak.c -- holds 8 MB at its peak: load_all() keeps every chunk of
   the input in memory before process() looks at any (the "stream it
   instead" case); all is freed before exit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNKS 128
#define CHUNK  (64 * 1024)

__attribute__((noinline)) static char** load_all(void)
{
   char** c = malloc(CHUNKS * sizeof *c);
   for (int i = 0; i < CHUNKS; i++) {
      c[i] = malloc(CHUNK);
      memset(c[i], i, CHUNK);
   }
   return c;
}

__attribute__((noinline)) static long process(char** c)
{
   long s = 0;
   for (int i = 0; i < CHUNKS; i++) s += c[i][i];
   return s;
}

int main(void)
{
   char** c = load_all();
   long s = process(c);
   for (int i = 0; i < CHUNKS; i++) free(c[i]);
   free(c);
   printf("%ld\n", s);
   return 0;
}
