// cflags: -O1 -g -I$SRC/glprof $VGCFLAGS
/* ctl_iterations.c -- an agent loop of N steps (default 50) marked with
   GLPROF_ITERATION.  Each step does the same work and leaks 64 bytes into
   a list that stays reachable (planted growth of 64 B per iteration); the
   first step also does a one-off warm-up. Regions: "step" (every step),
   nested "encode" inside it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "glprof.h"

struct node { struct node* next; char pad[56]; };
static struct node* kept;

__attribute__((noinline)) long warm_caches(void) { long s = 0; for (int i = 0; i < 500000; i++) s += i & 7; return s; }
__attribute__((noinline)) long encode(int k) { long s = 0; for (int i = 0; i < 3000; i++) s += (i * k) ^ (s >> 3); return s; }

__attribute__((noinline)) long step(int k)
{
   struct node* n = malloc(sizeof *n);        /* 64 B per step, kept */
   char* tmp = malloc(200);                   /* freed: no growth */
   long s;
   memset(n, 0, sizeof *n);
   n->next = kept;
   kept = n;
   GLPROF_REGION_BEGIN("encode");
   s = encode(k);
   GLPROF_REGION_END;
   snprintf(tmp, 200, "%ld", s);
   s += (long)strlen(tmp);
   free(tmp);
   return s;
}

int main(int argc, char** argv)
{
   int steps = argc > 1 ? atoi(argv[1]) : 50;
   long s = 0;
   for (int k = 0; k < steps; k++) {
      if (k == 0) s += warm_caches();
      GLPROF_REGION_BEGIN("step");
      s += step(k);
      GLPROF_REGION_END;
      GLPROF_ITERATION;
   }
   printf("%ld\n", s);
   return 0;
}
