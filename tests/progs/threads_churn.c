// cflags: -O1 -g -pthread
/* threads_churn.c -- hostile thread patterns: <n> short-lived threads
   created one after another (each joined before the next starts, so
   thread ids are reused), and <t> threads at once hammering one mutex. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long shared_counter;

__attribute__((noinline)) long short_work(long k)
{
   long s = 0;
   for (int i = 0; i < 50; i++) s += i ^ k;
   return s;
}

static void* short_lived(void* arg)
{
   return (void*)short_work((long)arg);
}

__attribute__((noinline)) void locked_increment(void)
{
   pthread_mutex_lock(&lock);
   /* long enough that timeslices end inside it: the lock is contended
      even under Valgrind's one-thread-at-a-time scheduler.  300 loop
      blocks a call make one thread's 1,000 calls three of Valgrind's
      100,000-block timeslices, so no thread finishes inside one. */
   for (volatile int i = 0; i < 300; i++) {}
   shared_counter++;
   pthread_mutex_unlock(&lock);
}

static void* contender(void* arg)
{
   long iters = (long)arg;
   for (long i = 0; i < iters; i++) locked_increment();
   return NULL;
}

int main(int argc, char** argv)
{
   long n = argc > 1 ? atol(argv[1]) : 10000;
   long t = argc > 2 ? atol(argv[2]) : 64;
   long iters = argc > 3 ? atol(argv[3]) : 1000;
   long sum = 0;
   pthread_t* ths;
   for (long i = 0; i < n; i++) {
      pthread_t th;
      void* r;
      if (pthread_create(&th, NULL, short_lived, (void*)i) != 0) {
         perror("pthread_create");
         return 1;
      }
      pthread_join(th, &r);
      sum += (long)r;
   }
   ths = calloc(t, sizeof(pthread_t));
   for (long i = 0; i < t; i++)
      if (pthread_create(&ths[i], NULL, contender, (void*)iters) != 0) {
         perror("pthread_create");
         return 1;
      }
   for (long i = 0; i < t; i++) pthread_join(ths[i], NULL);
   free(ths);
   printf("sum %ld counter %ld\n", sum, shared_counter);
   return shared_counter == t * iters ? 0 : 1;
}
