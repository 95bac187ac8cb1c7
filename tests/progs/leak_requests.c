// cflags: -O0 -g
/* leak_requests.c -- Memcheck's leak-check client requests
   (VALGRIND_DO_LEAK_CHECK, VALGRIND_COUNT_LEAKS, VALGRIND_COUNT_LEAK_BLOCKS)
   in the middle of a run, as programs written for Memcheck use them.  The
   figures it prints must be the same under Memcheck and glprof.

   The allocations are made 16 KiB deeper in the stack than the checks run:
   glprof has no shadow memory, so a stale pointer left by a returned call
   in a slot that a later, live frame never writes would count for it
   (Memcheck knows such a slot is undefined); dead stack below the stack
   pointer is never scanned. */
#include <stdio.h>
#include <stdlib.h>
#include <valgrind/memcheck.h>

void* keep;

static void report(const char* when)
{
   unsigned long leaked = 0, dubious = 0, reachable = 0, suppressed = 0;
   unsigned long bleaked = 0, bdubious = 0, breachable = 0, bsuppressed = 0;
   VALGRIND_DO_LEAK_CHECK;
   VALGRIND_COUNT_LEAKS(leaked, dubious, reachable, suppressed);
   VALGRIND_COUNT_LEAK_BLOCKS(bleaked, bdubious, breachable, bsuppressed);
   printf("%s: leaked %lu/%lu dubious %lu/%lu reachable %lu/%lu\n", when,
          leaked, bleaked, dubious, bdubious, reachable, breachable);
}

static __attribute__((noinline)) void lose(size_t n)
{
   void* volatile p = malloc(n);
   (void)p;
}

static __attribute__((noinline)) void allocate_deep(void)
{
   volatile char pad[16384];
   pad[0] = 0;
   lose(10);
   lose(20);
   keep = (char*)malloc(30) + 5;          /* only an interior pointer */
   pad[1] = pad[0];
}

int main(void)
{
   keep = malloc(100);                    /* reachable, then lost */
   report("start");
   allocate_deep();
   report("later");
   return 0;
}
