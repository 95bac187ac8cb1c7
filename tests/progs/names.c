// cflags: -O1 -g
/* names.c -- function names that trip exchange formats up, for
   tests/test_formats.py (built together with names_b.c):
   - a static helper() here and another static helper() in names_b.c
     (readers that key functions by name would merge them);
   - symbol names with ';' (the folded format's separator), spaces, a tab,
     trailing blanks, UTF-8 and a byte that is not UTF-8 (set with asm
     labels: a C identifier cannot hold them). */
#include <stdio.h>
#include <stdlib.h>

int other_entry(int n);                               /* names_b.c */

static __attribute__((noinline)) int helper(int x)
{
   volatile int v = x;
   return v * 3 + 1;
}

int semi(int) __asm__("\"semi;colon fn\"");
__attribute__((noinline)) int semi(int x) { return x * 5 + 2; }
int tabbed(int) __asm__("\"tab\tname\"");
__attribute__((noinline)) int tabbed(int x) { return x ^ 5; }
int not_utf8(int) __asm__("\"bad\377utf\"");
__attribute__((noinline)) int not_utf8(int x) { return x + 7; }
int trailing(int) __asm__("\"trailing  \"");
__attribute__((noinline)) int trailing(int x) { return x - 1; }
__attribute__((noinline)) int café(int x) { return x * 2; }

int main(int argc, char** argv)
{
   int n = argc > 1 ? atoi(argv[1]) : 100;
   int s = 0;
   for (int i = 0; i < n; i++)
      s += helper(i) + semi(i) + tabbed(i) + not_utf8(i) + trailing(i) + café(i);
   s += other_entry(2 * n);
   printf("%d\n", s);
   return 0;
}
