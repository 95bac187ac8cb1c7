// cflags: -O2 -g -pthread
// A lock taken through std::lock_guard: std::mutex::lock and the gthread
// layer are inlined from the C++ headers into add(), so the call of
// pthread_mutex_lock is, by line table, in <bits/std_mutex.h>.  Its site is
// the line of add() that took the lock (the outer level of the inlined
// calls), which needs the program's inline information.
#include <mutex>
#include <thread>
#include <cstdio>

static std::mutex counter_lock;
static long counter;

__attribute__((noinline)) static void add(int n)
{
   for (int i = 0; i < n; i++) {
      std::lock_guard<std::mutex> guard(counter_lock);   // the lock's site
      counter += i;
   }
}

int main()
{
   std::thread other(add, 300);
   add(200);
   other.join();
   std::printf("%ld\n", counter);
   return 0;
}
