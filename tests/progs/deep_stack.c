// cflags: -O1 -g -pthread
/* deep_stack.c -- hostile call stacks: recursion <depth> frames deep (a
   million by default) on a thread with a big stack, <reps> times, with an
   optional storm of timer signals (a SIGALRM every <usec> microseconds):
     mode 0  the handler does a little work and returns
     mode 1  ... and every 8th signal siglongjmps out of the recursion
             (which then starts over)
     mode 2  the handler runs on a sigaltstack
   With <threads> > 1, that many threads recurse at once (the scheduler
   switches them at arbitrary points, among them between a call and its
   callee's first instruction).  The program counts its own calls and
   prints them, so a profile can be checked against the truth. */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

static long depth_goal;
static int mode;
static volatile long ticks, tick_work, entered, jumps;
static sigjmp_buf escape;
static volatile int escape_armed;
void* volatile alt_stack_mem;         /* reachable at exit: not a leak */

__attribute__((noinline)) long leaf_work(long k)
{
   long s = 0;
   for (int i = 0; i < 100; i++) s += i ^ k;
   return s;
}

__attribute__((noinline)) long descend(long d)
{
   __atomic_fetch_add(&entered, 1, __ATOMIC_RELAXED);
   if (d == 0) return leaf_work(entered);
   return descend(d - 1) + 1;
}

__attribute__((noinline)) void tick_handler_work(void)
{
   for (int i = 0; i < 20; i++) tick_work += i;
}

static void on_alarm(int sig)
{
   ticks++;
   tick_handler_work();
   if (mode == 1 && escape_armed && ticks % 8 == 0) {
      escape_armed = 0;
      jumps++;
      siglongjmp(escape, 1);
   }
}

static void* runner(void* arg)
{
   long reps = (long)arg, s = 0;
   sigset_t set;
   sigemptyset(&set);
   sigaddset(&set, SIGALRM);
   pthread_sigmask(SIG_UNBLOCK, &set, NULL);
   if (mode == 2) {
      stack_t ss;
      ss.ss_sp = alt_stack_mem = malloc(1 << 16);
      ss.ss_size = 1 << 16;
      ss.ss_flags = 0;
      sigaltstack(&ss, NULL);
   }
   for (long r = 0; r < reps; r++) {
      if (mode == 1) {
         if (sigsetjmp(escape, 1) != 0) continue;   /* jumped out: next */
         escape_armed = 1;
      }
      s += descend(depth_goal);
      escape_armed = 0;
   }
   return (void*)s;
}

int main(int argc, char** argv)
{
   long depth = argc > 1 ? atol(argv[1]) : 1000000;
   long reps = argc > 2 ? atol(argv[2]) : 1;
   long usec = argc > 3 ? atol(argv[3]) : 0;
   long nthreads = argc > 5 ? atol(argv[5]) : 1, total = 0;
   pthread_attr_t a;
   pthread_t th[64];
   void* res;
   mode = argc > 4 ? atoi(argv[4]) : 0;
   if (nthreads < 1 || nthreads > 64) return 2;
   depth_goal = depth;
   if (usec > 0) {
      struct sigaction sa;
      struct itimerval it;
      memset(&sa, 0, sizeof sa);
      sa.sa_handler = on_alarm;
      sa.sa_flags = SA_RESTART | (mode == 2 ? SA_ONSTACK : 0);
      sigaction(SIGALRM, &sa, NULL);
      it.it_interval.tv_sec = 0;
      it.it_interval.tv_usec = usec;
      it.it_value = it.it_interval;
      setitimer(ITIMER_REAL, &it, NULL);
   }
   {
      /* the signals go to the recursing thread only (it unblocks them) */
      sigset_t set;
      sigemptyset(&set);
      sigaddset(&set, SIGALRM);
      pthread_sigmask(SIG_BLOCK, &set, NULL);
   }
   /* 64 bytes of stack per frame is plenty at -O1 */
   pthread_attr_init(&a);
   pthread_attr_setstacksize(&a, (size_t)depth * 64 + (1 << 20));
   for (long i = 0; i < nthreads; i++)
      if (pthread_create(&th[i], &a, runner, (void*)reps) != 0) {
         perror("pthread_create");
         return 1;
      }
   for (long i = 0; i < nthreads; i++) {
      pthread_join(th[i], &res);
      total += (long)res;
   }
   if (usec > 0) {
      struct itimerval off;
      memset(&off, 0, sizeof off);
      setitimer(ITIMER_REAL, &off, NULL);
   }
   printf("entered %ld ticks %ld jumps %ld result %ld\n", entered, ticks, jumps, total);
   return 0;
}
