// cflags: -O1 -g -fno-builtin
/* heap_growth.c -- a request loop with the heap patterns glprof must tell
   apart without any change to the program:
     - a cache that gains a 100-byte entry per request and never drops one
       (still reachable at exit): steady growth;
     - a bounded LRU list that keeps the last 8 entries: no growth;
     - a table built once at start-up: no growth;
     - temporary buffers allocated and freed within each request: churn;
     - one block leaked per 10 requests: slow growth, definitely lost.
   usage: heap_growth [requests] [marks]   (marks: 1 = GLPROF_ITERATION per
   request, through glprof.h when built with -DWITH_MARKS) */
#include <stdlib.h>
#include <string.h>
#ifdef WITH_MARKS
#include "glprof.h"
#endif

struct entry { struct entry* next; char data[100 - sizeof(struct entry*)]; };

struct entry* cache;               /* grows forever */
static struct entry* lru[8];       /* bounded */
int* table[1000];                  /* built once */
volatile unsigned long checksum;

static __attribute__((noinline)) void cache_add(int req)
{
   struct entry* e = malloc(sizeof *e);      /* the growing site */
   e->next = cache;
   memset(e->data, req, sizeof e->data);
   cache = e;
}

static __attribute__((noinline)) void lru_add(int req)
{
   struct entry* e = malloc(sizeof *e);      /* bounded */
   free(lru[req % 8]);
   lru[req % 8] = e;
}

static __attribute__((noinline)) unsigned long work_with_temporaries(int req)
{
   unsigned long sum = 0;
   int i, j;
   for (i = 0; i < 50; i++) {
      char* tmp = malloc(32 + i % 16);        /* short-lived */
      for (j = 0; j < 32; j++) tmp[j] = (char)(req + i + j);
      sum += tmp[7];
      free(tmp);
   }
   for (i = 0; i < 20000; i++) sum += (unsigned long)i * req;   /* the real work */
   return sum;
}

static __attribute__((noinline)) void leak_sometimes(int req)
{
   if (req % 10 == 0) checksum += (unsigned long)malloc(48) & 1;   /* lost */
}

int main(int argc, char** argv)
{
   int n = argc > 1 ? atoi(argv[1]) : 100;
   int i;
   for (i = 0; i < 1000; i++) table[i] = malloc(16);
   for (i = 0; i < n; i++) {
      cache_add(i);
      lru_add(i);
      checksum += work_with_temporaries(i);
      leak_sometimes(i);
#ifdef WITH_MARKS
      GLPROF_ITERATION;
#endif
   }
   for (i = 0; i < 8; i++) free(lru[i]);
   return 0;
}
