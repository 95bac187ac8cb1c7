// cflags: -O1 -g -pthread
/* threads_shared.c -- two threads inside the same long-running function
   (worker) at once, each making many short calls (leaf).  For the call
   stack's fast paths: a thread entering a function another thread is
   inside counts that activation on its own, and its other calls must not
   pay for it. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static long n_calls = 200000;

__attribute__((noinline)) unsigned long leaf(unsigned long x)
{
   return x * 2654435761ul + 11;
}

__attribute__((noinline)) void* worker(void* arg)
{
   unsigned long s = (unsigned long)arg;
   for (long i = 0; i < n_calls; i++) s = leaf(s) ^ (unsigned long)i;
   return (void*)s;
}

int main(int argc, char** argv)
{
   pthread_t a, b;
   void* ra;
   void* rb;
   if (argc > 1) n_calls = atol(argv[1]);
   pthread_create(&a, NULL, worker, (void*)1);
   pthread_create(&b, NULL, worker, (void*)2);
   pthread_join(a, &ra);
   pthread_join(b, &rb);
   printf("%lu\n", (unsigned long)ra ^ (unsigned long)rb);
   return 0;
}
