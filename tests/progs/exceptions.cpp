// cflags: -O1 -g
/* exceptions.cpp -- C++ exceptions thrown through many frames and caught. */
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

static long sink;

__attribute__((noinline)) void thrower(int depth)
{
   volatile long x = 0;
   for (int i = 0; i < 30; i++) x += i;
   sink += x;
   if (depth == 0) throw std::runtime_error("bottom");
   thrower(depth - 1);
   sink--;
}

__attribute__((noinline)) long after_catch(int k)
{
   long s = 0;
   for (int i = 0; i < 2000; i++) s += i ^ k;
   return s;
}

int main(int argc, char** argv)
{
   int reps = argc > 1 ? atoi(argv[1]) : 200;
   int depth = argc > 2 ? atoi(argv[2]) : 100;
   long s = 0;
   for (int r = 0; r < reps; r++) {
      try {
         thrower(depth);
      } catch (const std::exception& e) {
         s += after_catch(r);
      }
   }
   std::printf("%ld %ld\n", s, sink);
   return 0;
}
