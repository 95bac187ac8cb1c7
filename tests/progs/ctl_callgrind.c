// cflags: -O1 -g
/* ctl_callgrind.c -- an existing Callgrind-instrumented benchmark: only
   the code between CALLGRIND_START/STOP_INSTRUMENTATION counts, and
   CALLGRIND_TOGGLE_COLLECT switches collection off around noise(). */
#include <stdio.h>
#include <valgrind/callgrind.h>

/* Each function writes the sink, so the compiler cannot hoist calls out of
   the loop (they would otherwise be pure). */
static volatile long sink;
__attribute__((noinline)) long warmup(void) { long s = 0; for (int i = 0; i < 400000; i++) s += i % 13; sink = s; return s; }
__attribute__((noinline)) long kernel(int n) { long s = 0; for (int i = 0; i < n; i++) s += (s >> 1) ^ i; sink = s; return s; }
__attribute__((noinline)) long noise(void) { long s = 0; for (int i = 0; i < 100000; i++) s += i % 7; sink = s; return s; }

int main(void)
{
   long s = warmup();
   CALLGRIND_START_INSTRUMENTATION;
   for (int r = 0; r < 20; r++) {
      s += kernel(20000);
      CALLGRIND_TOGGLE_COLLECT;
      s += noise();
      CALLGRIND_TOGGLE_COLLECT;
   }
   CALLGRIND_STOP_INSTRUMENTATION;
   s += warmup();
   printf("%ld\n", s);
   return 0;
}
