// cflags: -O1 -g -pthread
/* lock_mutex.c -- N threads (argv[1], default 4) each take a shared mutex
   R times (argv[2], default 2000) and do some work while holding it;
   every P-th time (argv[3], default 100) the holder also sleeps briefly, so the others (which
   Valgrind runs one at a time) find the lock held: contention that does
   not depend on luck.  Also, per run: one rwlock taken 10
   times for reading and 5 for writing by the main thread, one
   pthread_mutex_trylock that finds the shared mutex free, and a condition
   variable handshake (one wait). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t shared = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t table_lock;
static pthread_mutex_t cv_lock;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int ready;
static unsigned long counter;
static int rounds, sleep_period;

__attribute__((noinline)) static unsigned long busy_work(unsigned long s)
{
   for (int i = 0; i < 200; i++) s = s * 6364136223846793005ul + 1442695040888963407ul;
   return s;
}

static void* worker(void* arg)
{
   unsigned long s = (unsigned long)arg;
   for (int r = 0; r < rounds; r++) {
      pthread_mutex_lock(&shared);
      counter = busy_work(counter + s);
      if (r % sleep_period == sleep_period / 2) usleep(200);
      pthread_mutex_unlock(&shared);
   }
   return NULL;
}

static void* signaller(void* arg)
{
   pthread_mutex_lock(&cv_lock);
   ready = 1;
   pthread_cond_signal(&cv);
   pthread_mutex_unlock(&cv_lock);
   return NULL;
}

__attribute__((noinline)) static void use_rwlock(void)
{
   pthread_rwlock_init(&table_lock, NULL);
   for (int i = 0; i < 10; i++) {
      pthread_rwlock_rdlock(&table_lock);
      pthread_rwlock_unlock(&table_lock);
   }
   for (int i = 0; i < 5; i++) {
      pthread_rwlock_wrlock(&table_lock);
      pthread_rwlock_unlock(&table_lock);
   }
   pthread_rwlock_destroy(&table_lock);
}

__attribute__((noinline)) static void handshake(void)
{
   pthread_t t;
   pthread_mutex_init(&cv_lock, NULL);
   pthread_mutex_lock(&cv_lock);
   pthread_create(&t, NULL, signaller, NULL);
   while (!ready) pthread_cond_wait(&cv, &cv_lock);
   pthread_mutex_unlock(&cv_lock);
   pthread_join(t, NULL);
}

int main(int argc, char** argv)
{
   int n = argc > 1 ? atoi(argv[1]) : 4;
   pthread_t th[64];
   rounds = argc > 2 ? atoi(argv[2]) : 2000;
   sleep_period = argc > 3 && atoi(argv[3]) > 0 ? atoi(argv[3]) : 100;
   if (pthread_mutex_trylock(&shared) != 0) return 1;
   pthread_mutex_unlock(&shared);
   for (long k = 0; k < n; k++) pthread_create(&th[k], NULL, worker, (void*)k);
   for (long k = 0; k < n; k++) pthread_join(th[k], NULL);
   use_rwlock();
   handshake();
   printf("%lu\n", counter);
   return 0;
}
