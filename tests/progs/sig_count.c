// cflags: -O1 -g
/* sig_count.c -- N synchronous signals whose handlers return (sigreturn):
   each costs the same instructions, so the difference between two runs
   with different N is exact work per signal, for comparing counters. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static volatile long hits;

static void on_usr1(int sig) { hits += sig; }

int main(int argc, char** argv)
{
   long n = argc > 1 ? atol(argv[1]) : 100, i;
   struct sigaction sa;
   memset(&sa, 0, sizeof sa);
   sa.sa_handler = on_usr1;
   sigaction(SIGUSR1, &sa, NULL);
   for (i = 0; i < n; i++) raise(SIGUSR1);
   return hits == n * SIGUSR1 ? 0 : 1;
}
