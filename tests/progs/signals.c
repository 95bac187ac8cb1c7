// cflags: -O1 -g
/* signals.c -- signal handlers during computation: a handler that returns,
   one that siglongjmps out of the computation, and one on a sigaltstack.
   Signals are raised synchronously (raise) so runs are deterministic. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile long handled;
static sigjmp_buf env;

__attribute__((noinline)) long handler_work(int n)
{
   long s = 0;
   for (int i = 0; i < n; i++) s += i * 3;
   return s;
}

static void on_usr1(int sig) { handled += handler_work(2000); }
static void on_usr2(int sig) { handled += handler_work(500); siglongjmp(env, 1); }
static void on_alt(int sig)  { handled += handler_work(700); }

__attribute__((noinline)) long compute(int n, int sig_at, int sig)
{
   long s = 0;
   for (int i = 0; i < n; i++) {
      s += i ^ (s >> 2);
      if (i == sig_at) raise(sig);
   }
   return s;
}

int main(void)
{
   struct sigaction sa;
   stack_t ss;
   long s = 0;
   memset(&sa, 0, sizeof sa);
   sa.sa_handler = on_usr1;
   sigaction(SIGUSR1, &sa, NULL);
   sa.sa_handler = on_usr2;
   sigaction(SIGUSR2, &sa, NULL);
   ss.ss_sp = malloc(65536);
   ss.ss_size = 65536;
   ss.ss_flags = 0;
   sigaltstack(&ss, NULL);
   sa.sa_handler = on_alt;
   sa.sa_flags = SA_ONSTACK;
   sigaction(SIGWINCH, &sa, NULL);

   for (int r = 0; r < 50; r++) {
      s += compute(5000, 2500, SIGUSR1);
      if (sigsetjmp(env, 1) == 0)
         s += compute(5000, 1000, SIGUSR2);
      s += compute(3000, 100, SIGWINCH);
   }
   printf("%ld %ld\n", s, (long)handled);
   return 0;
}
