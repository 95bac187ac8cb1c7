// cflags: -O2 -g -pthread
/* lock_loop.c -- one thread takes and releases a mutex N times (argv[1],
   default 20000), a read-write lock N/10 times for reading, and spins a
   spin lock N/10 times: lock calls dominate, so any instruction the lock
   wrappers added would show. */
#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_spinlock_t sp;
static volatile long counter;

int main(int argc, char** argv)
{
   long n = argc > 1 ? atol(argv[1]) : 20000;
   pthread_spin_init(&sp, PTHREAD_PROCESS_PRIVATE);
   for (long i = 0; i < n; i++) {
      pthread_mutex_lock(&m);
      counter++;
      pthread_mutex_unlock(&m);
   }
   for (long i = 0; i < n / 10; i++) {
      pthread_rwlock_rdlock(&rw);
      counter++;
      pthread_rwlock_unlock(&rw);
      pthread_spin_lock(&sp);
      counter++;
      pthread_spin_unlock(&sp);
   }
   pthread_spin_destroy(&sp);
   return (int)(counter & 0);
}
