// cflags: -O1 -g -pthread
/* procs.c -- hostile process patterns:
     procs vfork <prog> [args]  vfork, then exec <prog> in the child
     procs mtfork               fork while 4 other threads are running;
                                the child works and exits 5
     procs chain <n>            exec itself n times ("chain n-1" ...),
                                each link doing known work; the last one
                                exits with status 7 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((noinline)) long link_work(long n)
{
   long s = 0;
   for (long i = 0; i < 1000 * (n + 1); i++) s += i % 3;
   return s;
}

__attribute__((noinline)) long spinner_work(long k)
{
   long s = 0;
   for (long i = 0; i < 200000; i++) s += i ^ k;
   return s;
}

static void* spinner(void* arg)
{
   return (void*)spinner_work((long)arg);
}

__attribute__((noinline)) long forked_child_work(void)
{
   long s = 0;
   for (int i = 0; i < 50000; i++) s += i % 11;
   return s;
}

int main(int argc, char** argv)
{
   if (argc >= 3 && strcmp(argv[1], "vfork") == 0) {
      int st = 0;
      pid_t pid = vfork();
      if (pid == 0) {
         execv(argv[2], argv + 2);
         _exit(127);
      }
      waitpid(pid, &st, 0);
      printf("vfork child status %d\n", WEXITSTATUS(st));
      return WEXITSTATUS(st) == 0 ? 0 : 1;
   }
   if (argc >= 2 && strcmp(argv[1], "mtfork") == 0) {
      pthread_t th[4];
      int st = 0;
      for (long i = 0; i < 4; i++) pthread_create(&th[i], NULL, spinner, (void*)i);
      pid_t pid = fork();
      if (pid == 0) {
         long s = forked_child_work();
         printf("child %ld\n", s);
         fflush(stdout);
         _exit(5);
      }
      for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
      waitpid(pid, &st, 0);
      printf("mtfork child status %d\n", WEXITSTATUS(st));
      return WEXITSTATUS(st) == 5 ? 0 : 1;
   }
   if (argc >= 3 && strcmp(argv[1], "chain") == 0) {
      long n = atol(argv[2]);
      char next[32];
      printf("link %ld %ld\n", n, link_work(n));
      fflush(stdout);
      if (n == 0) return 7;
      snprintf(next, sizeof next, "%ld", n - 1);
      /* by its path: under Valgrind /proc/self/exe is the tool itself */
      execl(argv[0], argv[0], "chain", next, (char*)NULL);
      perror("execl");
      return 1;
   }
   fprintf(stderr, "usage: procs vfork|mtfork|chain ...\n");
   return 2;
}
