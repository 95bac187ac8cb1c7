// cflags: -O1 -g
/* fault_resume.c -- a SIGSEGV handler that makes the page writable and
   returns, so the faulting store runs again: what an mprotect-based write
   barrier (some garbage collectors) does.  On amd64 the store follows, in
   the same basic block, an add to a counter in memory, which must not run
   twice.  Prints the counter and the value stored: "counter 6 stored 42
   faults 1" natively. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static char* page;
static long page_size;
static volatile int faults;

static void on_segv(int sig, siginfo_t* si, void* uc)
{
   (void)sig; (void)si; (void)uc;
   faults++;
   mprotect(page, page_size, PROT_READ | PROT_WRITE);
}

__attribute__((noinline)) static void barrier_store(long* counter, long* slot)
{
#if defined(__x86_64__)
   __asm__ volatile("addq $5, (%0)\n\t"
                    "movq $42, (%1)\n\t"      /* faults the first time */
                    "addq $1, (%0)\n\t"
                    : : "r"(counter), "r"(slot) : "memory", "cc");
#else
   *(volatile long*)counter += 5;
   *(volatile long*)slot = 42;
   *(volatile long*)counter += 1;
#endif
}

int main(void)
{
   struct sigaction sa;
   long counter = 0;
   memset(&sa, 0, sizeof sa);
   sa.sa_sigaction = on_segv;
   sa.sa_flags = SA_SIGINFO;
   sigaction(SIGSEGV, &sa, NULL);
   page_size = sysconf(_SC_PAGESIZE);
   page = mmap(NULL, page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (page == MAP_FAILED) return 2;
   barrier_store(&counter, (long*)page);
   printf("counter %ld stored %ld faults %d\n", counter, *(long*)page, faults);
   return 0;
}
