// cflags: -O0 -g -Wno-free-nonheap-object
/* heap_bad.c -- bad frees: a double free, frees of a stack, a global and
   an interior pointer, a realloc of a freed block.  None may crash the
   program or corrupt the heap: the program keeps allocating and checks
   its blocks afterwards, then prints "still running". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int global_var;

int main(void)
{
   char local[16];
   char* p = malloc(32);
   char* q;
   char* keep[100];
   int i, bad = 0;

   free(p);
   free(p);                        /* double free */
   free(local);                    /* stack */
   free(&global_var);              /* global */
   q = malloc(64);
   free(q + 8);                    /* interior */
   free(q);
   p = realloc(p, 100);            /* realloc of a freed block */
   if (p != NULL) printf("realloc of a freed block returned %p\n", (void*)p);

   /* the heap still works, and nothing was released twice */
   for (i = 0; i < 100; i++) {
      keep[i] = malloc(32);
      memset(keep[i], i, 32);
   }
   for (i = 0; i < 100; i++) {
      if (keep[i][31] != (char)i) bad++;
      free(keep[i]);
   }
   printf("still running (%d bad blocks)\n", bad);
   return bad;
}
