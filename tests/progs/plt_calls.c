/* plt_calls.c -- a loop whose every iteration calls into the C library
   through PLT stubs (strspn is an IFUNC, strtol a plain export; atoi is
   strtol in glibc's headers):
   the stubs' instructions are the caller's, and each call is a call of
   the library function, resolved lazily or at load (LD_BIND_NOW). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char buf[32] = "12345";

__attribute__((noinline)) long plt_loop(long n)
{
   long i, s = 0;
   for (i = 0; i < n; i++) {
      buf[0] = (char)('1' + (i & 7));
      s += (long)strspn(buf, "0123456789") + strtol(buf, NULL, 10) + atoi(buf);
   }
   return s;
}

int main(int argc, char** argv)
{
   long n = argc > 1 ? atol(argv[1]) : 20000;
   printf("%ld\n", plt_loop(n));
   return 0;
}
