// cflags: -O1 -g
/* jumps.c -- longjmp out of deep call stacks, many times. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

static jmp_buf env;
static long work_done;

__attribute__((noinline)) void dive(int depth)
{
   volatile long x = 0;
   for (int i = 0; i < 50; i++) x += i * depth;
   work_done += x;
   if (depth == 0) longjmp(env, 1);
   dive(depth - 1);
   work_done--;          /* never reached */
}

__attribute__((noinline)) long after_jump(int k)
{
   long s = 0;
   for (int i = 0; i < 1000; i++) s += i ^ k;
   return s;
}

int main(int argc, char** argv)
{
   int reps = argc > 1 ? atoi(argv[1]) : 300;
   int depth = argc > 2 ? atoi(argv[2]) : 100;
   long s = 0;
   for (int r = 0; r < reps; r++) {
      if (setjmp(env) == 0)
         dive(depth);
      s += after_jump(r);
   }
   printf("%ld %ld\n", s, work_done);
   return 0;
}
