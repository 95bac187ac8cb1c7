// cflags: -O1 -g -shared -fPIC
/* dl_lib.c -- the library dl_churn loads and unloads: an exported entry
   and an internal helper, so calls inside the library are counted too;
   the first call after each load leaks one block allocated here, so its
   site must be named after the library is gone. */
#include <stdlib.h>

static void* kept;

__attribute__((noinline)) static long dl_lib_helper(long x)
{
   long s = 0;
   for (int i = 0; i < 40; i++) s += (x + i) ^ i;
   return s;
}

__attribute__((noinline)) void dl_lib_leak(void)
{
   if (!kept) kept = malloc(24);
}

long dl_lib_work(long x)
{
   dl_lib_leak();
   return dl_lib_helper(x) + dl_lib_helper(x + 1);
}
