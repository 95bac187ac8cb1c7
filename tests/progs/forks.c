// cflags: -O1 -g
/* forks.c -- the parent and a forked child each do known work; the child
   exits with status 3, the parent reports it.  With an argument the child
   execs that program instead. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((noinline)) long parent_work(void)
{
   long s = 0;
   for (int i = 0; i < 300000; i++) s += i % 7;
   return s;
}

__attribute__((noinline)) long child_work(void)
{
   long s = 0;
   for (int i = 0; i < 100000; i++) s += i % 5;
   return s;
}

int main(int argc, char** argv)
{
   long s = parent_work();
   pid_t pid = fork();
   if (pid == 0) {
      if (argc > 1) {
         execv(argv[1], argv + 1);
         _exit(127);
      }
      s = child_work();
      printf("child %ld\n", s);
      fflush(stdout);
      _exit(3);
   }
   int st = 0;
   waitpid(pid, &st, 0);
   printf("parent %ld child-status %d\n", s, WEXITSTATUS(st));
   return 0;
}
