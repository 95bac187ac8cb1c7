// cflags: -O1 -g -pthread
/* crash.c -- a client that ends badly after leaking a little:
     crash segv       writes through a null pointer
     crash abort      abort()
     crash overflow   unbounded recursion until the stack overflows
     crash thread_exit <n>  a second thread calls _exit(n) while main waits
     crash kill       kills itself with SIGKILL
   Each first leaks 3 blocks (one definitely lost, one still reachable, one
   indirectly lost) so a leak check has something to say, then clears the
   dead stack below main (the allocator's frames keep copies of the lost
   pointer there, which would decide the leak classification by chance). */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void* reachable;
void** volatile lost;

__attribute__((noinline)) void leak_some(void)
{
   lost = malloc(32);
   lost[0] = malloc(48);              /* indirectly lost through lost */
   reachable = malloc(64);
   lost = NULL;                       /* the 32 bytes are definitely lost */
}

__attribute__((noinline)) long overflow(long n)
{
   volatile char pad[256];
   pad[n % 256] = (char)n;
   return overflow(n + 1) + pad[(n + 1) % 256];
}

__attribute__((noinline)) void scrub_dead_stack(void)
{
   volatile char junk[4096];
   for (unsigned i = 0; i < sizeof junk; i++) junk[i] = 0;
}

static void* exiter(void* arg)
{
   _exit((int)(long)arg);
   return NULL;
}

int main(int argc, char** argv)
{
   const char* how = argc > 1 ? argv[1] : "segv";
   leak_some();
   printf("before %s\n", how);
   fflush(stdout);
   scrub_dead_stack();
   if (strcmp(how, "segv") == 0) {
      volatile int* p = NULL;
      *p = 1;
   } else if (strcmp(how, "abort") == 0) {
      abort();
   } else if (strcmp(how, "overflow") == 0) {
      return (int)overflow(0);
   } else if (strcmp(how, "thread_exit") == 0) {
      pthread_t th;
      pthread_create(&th, NULL, exiter, (void*)(long)(argc > 2 ? atoi(argv[2]) : 3));
      for (;;) pause();
   } else if (strcmp(how, "kill") == 0) {
      kill(getpid(), SIGKILL);
   }
   return 0;
}
