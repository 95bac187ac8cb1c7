// cflags: -O1 -g -fno-builtin -pthread
/* heap_fastcall.c -- allocator calls and lock requests answered in
   translated code (gp_fastcall.c) next to client requests that must still reach the
   scheduler: a NON_SIMD_CALL to one of the program's own functions, a
   custom block, RUNNING_ON_VALGRIND.  Two threads allocate at once, and
   a signal handler allocates in the middle of the loop.
   Prints what the requests returned; the test checks them. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/valgrind.h>

#define ROUNDS 3000

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long shared;
static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
   char* volatile p = malloc(48);
   (void)sig;
   p[0] = 1;
   free(p);
   handled++;
}

/* Called on the real CPU by the scheduler: (tid, arg). */
static unsigned long twice(unsigned long tid, unsigned long x)
{
   (void)tid;
   return 2 * x + 1;
}

static void* churn(void* arg)
{
   long i, sum = 0;
   for (i = 0; i < ROUNDS; i++) {
      char* p = malloc(16 + (size_t)(i % 200));
      char* q = calloc(4, 8);
      p[0] = (char)i;
      sum += p[0] + q[3];
      free(q);
      free(p);
      pthread_mutex_lock(&mu);
      shared++;
      pthread_mutex_unlock(&mu);
      if (arg == NULL && i % 500 == 0) raise(SIGUSR1);
   }
   return (void*)sum;
}

int main(void)
{
   pthread_t th;
   void* r1;
   void* r2;
   static char pool[256];
   unsigned long v;

   signal(SIGUSR1, on_usr1);
   pthread_create(&th, NULL, churn, &th);
   r1 = churn(NULL);
   pthread_join(th, &r2);

   v = VALGRIND_NON_SIMD_CALL1(twice, 20);
   printf("client call: %lu\n", v);
   VALGRIND_MALLOCLIKE_BLOCK(pool, 100, 0, 0);      /* lost at exit */
   printf("running on valgrind: %u\n", (unsigned)RUNNING_ON_VALGRIND);
   printf("sums equal: %s\n", r1 == r2 ? "yes" : "no");
   printf("shared: %ld\n", shared);
   printf("handled: %d\n", (int)handled);
   return 0;
}
