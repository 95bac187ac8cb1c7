// cflags: -O1 -g -pthread
/* lock_signal.c -- a timer signal handler, on an alternate stack that lies
   above the interrupted code's frames, takes a lock of its own while the
   main loop takes and releases another one N times (argv[1]) and fails to
   take a third one (held since the start) N times: signals arrive in the
   middle of lock calls, and the handler's calls must not complete them
   (its lock calls return 0, the failing try-lock EBUSY).  Prints how many
   times the handler ran. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

static pthread_mutex_t loop_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t handler_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t held_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile long counter;
static volatile long handled;

static void on_alarm(int sig)
{
   (void)sig;
   pthread_mutex_lock(&handler_lock);
   handled++;
   pthread_mutex_unlock(&handler_lock);
}

__attribute__((noinline)) static void loop(long n)
{
   for (long i = 0; i < n; i++) {
      pthread_mutex_lock(&loop_lock);
      counter++;
      pthread_mutex_unlock(&loop_lock);
      if (pthread_mutex_trylock(&held_lock) == 0) abort();
   }
}

int main(int argc, char** argv)
{
   long n = argc > 1 ? atol(argv[1]) : 300000;
   /* main's frame holds the alternate stack: loop() runs below it */
   char alt[1 << 16];
   stack_t ss;
   struct sigaction sa;
   struct itimerval it;
   sigset_t block;
   memset(&ss, 0, sizeof ss);
   ss.ss_sp = alt;
   ss.ss_size = sizeof alt;
   sigaltstack(&ss, NULL);
   memset(&sa, 0, sizeof sa);
   sa.sa_handler = on_alarm;
   sa.sa_flags = SA_ONSTACK | SA_RESTART;
   sigaction(SIGALRM, &sa, NULL);
   memset(&it, 0, sizeof it);
   it.it_interval.tv_usec = 1000;
   it.it_value.tv_usec = 1000;
   setitimer(ITIMER_REAL, &it, NULL);
   pthread_mutex_lock(&held_lock);
   loop(n);
   /* no handler may run once the count is read (a signal can still be
      queued when the timer stops) */
   sigemptyset(&block);
   sigaddset(&block, SIGALRM);
   sigprocmask(SIG_BLOCK, &block, NULL);
   memset(&it, 0, sizeof it);
   setitimer(ITIMER_REAL, &it, NULL);
   printf("handled %ld\n", handled);
   return 0;
}
