// cflags: -O2 -g
/* tailcalls.c -- calls that gcc -O2 turns into jumps (sibling calls), and
   calls through the PLT into libc. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) long leaf(long x)
{
   for (int i = 0; i < 20; i++) x = x * 31 + i;
   return x;
}

__attribute__((noinline)) long middle(long x)
{
   x += 7;
   return leaf(x);          /* sibling call: jmp leaf */
}

__attribute__((noinline)) long top(long x)
{
   return middle(x * 3) + 1;
}

int main(int argc, char** argv)
{
   long s = 0;
   char buf[64];
   for (int i = 0; i < 20000; i++) {
      s += top(i);
      snprintf(buf, sizeof buf, "%d", i);
      s += (long)strlen(buf);
   }
   printf("%ld\n", s);
   return 0;
}
