// cflags: -O1 -g
/* jit.c -- code generated at run time: writes x86-64 machine code into an
   executable mapping, runs it, rewrites it in place (so its translations
   must be discarded) and runs the new code.  Each generated function is
   "mov $n, %ecx; xor %eax, %eax; loop: add %ecx, %eax; dec %ecx;
   jnz loop; ret" with a different n, so the result and the instruction
   count of every version are known. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

typedef long (*jit_fn)(void);

/* emits the function above for loop count n at p */
static void emit(unsigned char* p, unsigned n)
{
   unsigned char code[] = {
      0xb9, 0, 0, 0, 0,       /* mov $n, %ecx */
      0x31, 0xc0,             /* xor %eax, %eax */
      0x01, 0xc8,             /* loop: add %ecx, %eax */
      0xff, 0xc9,             /* dec %ecx */
      0x75, 0xfa,             /* jnz loop */
      0xc3                    /* ret */
   };
   memcpy(code + 1, &n, 4);
   memcpy(p, code, sizeof code);
}

__attribute__((noinline)) long call_generated(jit_fn f) { return f(); }

int main(int argc, char** argv)
{
   int versions = argc > 1 ? atoi(argv[1]) : 100;
   int calls = argc > 2 ? atoi(argv[2]) : 10;
   unsigned char* mem = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   long sum = 0, want = 0;
   if (mem == MAP_FAILED) { perror("mmap"); return 1; }
   for (int v = 1; v <= versions; v++) {
      emit(mem, (unsigned)v);
      __builtin___clear_cache((char*)mem, (char*)mem + 64);
      for (int c = 0; c < calls; c++) sum += call_generated((jit_fn)mem);
      want += (long)calls * v * (v + 1) / 2;
   }
   printf("sum %ld %s\n", sum, sum == want ? "ok" : "WRONG");
   return sum == want ? 0 : 1;
}
