// cflags: -O1 -g
/* fd_games.c -- clients that are rough with descriptors:
     fd_games close_stderr     closes 0, 1 and 2, then works (and opens
                               files, which get the low numbers)
     fd_games redirect <file>  dup2s <file> onto stderr, writes to it
     fd_games limit            lowers RLIMIT_NOFILE to 64, opens /dev/null
                               until EMFILE, keeps them open, works
   Each exits 0 only if what it did behaved as natively. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

volatile long fd_work_sink;

__attribute__((noinline)) long fd_work(long n)
{
   long s = 0;
   for (long i = 0; i < n; i++) s += i ^ (s >> 3);
   fd_work_sink = s;
   return s;
}

int main(int argc, char** argv)
{
   const char* how = argc > 1 ? argv[1] : "close_stderr";
   if (strcmp(how, "close_stderr") == 0) {
      int fd;
      close(0);
      close(1);
      close(2);
      fd = open("/dev/null", O_WRONLY);    /* gets descriptor 0 */
      if (fd != 0) return 10;
      if (write(fd, "x", 1) != 1) return 11;
      {
         void* volatile b = malloc(100);
         free(b);
      }
      fd_work(100000);
      return 0;
   }
   if (strcmp(how, "redirect") == 0 && argc > 2) {
      int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd < 0 || dup2(fd, 2) != 2) return 20;
      close(fd);
      fprintf(stderr, "client line on the redirected stderr\n");
      fd_work(100000);
      return 0;
   }
   if (strcmp(how, "limit") == 0) {
      struct rlimit rl;
      int n = 0, last = -1;
      getrlimit(RLIMIT_NOFILE, &rl);
      rl.rlim_cur = 64;
      if (setrlimit(RLIMIT_NOFILE, &rl) != 0) return 30;
      for (;;) {
         int fd = open("/dev/null", O_RDONLY);
         if (fd < 0) {
            if (errno != EMFILE) return 31;
            break;
         }
         last = fd;
         n++;
      }
      printf("opened %d, last descriptor %d\n", n, last);
      fflush(stdout);
      if (last != 63) return 32;
      {
         void* volatile b = malloc(100);
         free(b);
      }
      fd_work(100000);
      return 0;
   }
   return 2;
}
