// cflags: -O1 -g -pthread
/* threads.c -- N worker threads (default 4) doing different, known amounts
   of work (worker k does (k+1) units), joined in order. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) unsigned long unit_of_work(unsigned long seed)
{
   unsigned long s = seed;
   for (int i = 0; i < 100000; i++) s = s * 6364136223846793005ul + 1442695040888963407ul;
   return s;
}

static void* worker(void* arg)
{
   long k = (long)arg;
   unsigned long s = 0;
   for (long u = 0; u <= k; u++) s ^= unit_of_work(u + k);
   return (void*)s;
}

int main(int argc, char** argv)
{
   int n = argc > 1 ? atoi(argv[1]) : 4;
   pthread_t th[64];
   unsigned long s = 0;
   for (long k = 0; k < n; k++) pthread_create(&th[k], NULL, worker, (void*)k);
   for (long k = 0; k < n; k++) {
      void* r;
      pthread_join(th[k], &r);
      s ^= (unsigned long)r;
   }
   printf("%lu\n", s);
   return 0;
}
