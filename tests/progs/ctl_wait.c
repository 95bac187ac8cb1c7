// cflags: -O1 -g
/* ctl_wait.c -- a long-running "server": works, says "ready", then waits
   until the file named by argv[1] exists (so a test can talk to it through
   vgdb meanwhile), then works a little more and exits. */
#include <stdio.h>
#include <unistd.h>

__attribute__((noinline)) long serve(int n) { long s = 0; for (int i = 0; i < n; i++) s += i % 11; return s; }

int main(int argc, char** argv)
{
   long s = serve(500000);
   printf("ready\n");
   fflush(stdout);
   while (access(argv[1], F_OK) != 0) usleep(20000);
   s += serve(100000);
   printf("%ld\n", s);
   return 0;
}
