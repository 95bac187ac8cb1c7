// cflags: -O1 -g
/* dl_churn.c -- dlopen and dlclose the same library <n> times, calling
   into it <k> times each time it is loaded: its translations are
   discarded at every dlclose, its counts must survive. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv)
{
   const char* lib = argc > 1 ? argv[1] : "./dl_lib.so";
   long n = argc > 2 ? atol(argv[2]) : 1000;
   long k = argc > 3 ? atol(argv[3]) : 10;
   long sum = 0;
   for (long i = 0; i < n; i++) {
      void* h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
      long (*work)(long);
      if (!h) {
         fprintf(stderr, "dlopen: %s\n", dlerror());
         return 1;
      }
      work = (long (*)(long))dlsym(h, "dl_lib_work");
      if (!work) {
         fprintf(stderr, "dlsym: %s\n", dlerror());
         return 1;
      }
      for (long j = 0; j < k; j++) sum += work(i + j);
      dlclose(h);
   }
   printf("sum %ld\n", sum);
   return 0;
}
