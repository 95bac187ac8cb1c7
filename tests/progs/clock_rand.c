// cflags: -O1 -g
/* clock_rand.c -- reads the clock and random sources a known number of
   times: now_ns() calls clock_gettime N times (argv[1], default 100),
   main calls time() once and gettimeofday() twice; seed() calls
   getrandom once and reads /dev/urandom twice (one open). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

__attribute__((noinline)) static long now_ns(void)
{
   struct timespec ts;
   clock_gettime(CLOCK_MONOTONIC, &ts);
   return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

__attribute__((noinline)) static unsigned seed(void)
{
   unsigned a = 0, b = 0, c = 0;
   int fd;
   if (getrandom(&a, sizeof(a), 0) != sizeof(a)) exit(1);
   fd = open("/dev/urandom", O_RDONLY);
   if (fd < 0 || read(fd, &b, sizeof(b)) != sizeof(b)) exit(2);
   if (read(fd, &c, sizeof(c)) != sizeof(c)) exit(3);
   close(fd);
   return a ^ b ^ c;
}

int main(int argc, char** argv)
{
   int n = argc > 1 ? atoi(argv[1]) : 100;
   long t = 0;
   struct timeval tv;
   for (int i = 0; i < n; i++) t += now_ns() & 1;
   t += time(NULL) & 1;
   gettimeofday(&tv, NULL);
   gettimeofday(&tv, NULL);
   srand(seed());
   return (int)(t & 0) + (rand() & 0);
}
