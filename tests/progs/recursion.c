// cflags: -O1 -g
/* recursion.c -- direct recursion (fib), mutual recursion (is_even/is_odd)
   and a deep recursion that unwinds all at once. */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) long fib(int n)
{
   return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

__attribute__((noinline)) int is_odd(unsigned n);
__attribute__((noinline)) int is_even(unsigned n)
{
   return n == 0 ? 1 : is_odd(n - 1);
}
__attribute__((noinline)) int is_odd(unsigned n)
{
   return n == 0 ? 0 : is_even(n - 1);
}

__attribute__((noinline)) long deep(int n)
{
   volatile char pad[64];
   pad[0] = (char)n;
   return n == 0 ? pad[0] : deep(n - 1) + 1;
}

int main(int argc, char** argv)
{
   int n = argc > 1 ? atoi(argv[1]) : 22;
   long s = fib(n);
   for (unsigned i = 0; i < 200; i++) s += is_even(i * 7);
   s += deep(argc > 2 ? atoi(argv[2]) : 5000);
   printf("%ld\n", s);
   return 0;
}
