// cflags: -O1 -g -std=c++17 -fsized-deallocation -faligned-new
/* heap_new.cpp -- every operator new and delete: plain, nothrow, array,
   aligned (C++17 align_val_t), sized, aligned and sized.  Each block is
   checked (alignment, contents) by the program; totals and leaks are
   compared with Memcheck's by tests/test_heap.py. */
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <new>

static int failures;
#define CHECK(c) do { if (!(c)) { std::printf("FAIL %d %s\n", __LINE__, #c); failures++; } } while (0)

struct alignas(64) Wide { char b[100]; };
struct Obj { int v; Obj() : v(7) {} ~Obj() { v = 0; } };

int main()
{
   // plain
   int* a = new int(5);
   CHECK(*a == 5);
   delete a;
   // array of objects with a destructor (new[] stores the count)
   Obj* o = new Obj[10];
   CHECK(o[9].v == 7);
   delete[] o;
   char* c = new char[100];
   std::memset(c, 1, 100);
   delete[] c;
   // nothrow
   int* n = new (std::nothrow) int[4];
   CHECK(n != nullptr);
   delete[] n;
   double* d = new (std::nothrow) double(1.5);
   CHECK(d && *d == 1.5);
   delete d;
   // aligned (operator new(size_t, align_val_t))
   Wide* w = new Wide;
   CHECK(((std::uintptr_t)w & 63) == 0);
   delete w;
   Wide* wa = new Wide[3];
   CHECK(((std::uintptr_t)wa & 63) == 0);
   delete[] wa;
   void* raw = ::operator new(40, std::align_val_t(256));
   CHECK(((std::uintptr_t)raw & 255) == 0);
   ::operator delete(raw, std::align_val_t(256));
   raw = ::operator new[](40, std::align_val_t(128), std::nothrow);
   CHECK(raw && ((std::uintptr_t)raw & 127) == 0);
   ::operator delete[](raw, std::align_val_t(128), std::nothrow);
   // sized delete
   raw = ::operator new(24);
   ::operator delete(raw, 24);
   raw = ::operator new[](48);
   ::operator delete[](raw, 48);
   // aligned + sized
   raw = ::operator new(80, std::align_val_t(64));
   ::operator delete(raw, 80, std::align_val_t(64));
   // nothrow delete forms
   raw = ::operator new(16, std::nothrow);
   ::operator delete(raw, std::nothrow);
   // delete of null is a no-op
   delete static_cast<int*>(nullptr);
   delete[] static_cast<int*>(nullptr);
   // one lost block and one reachable one
   static Obj* keep = new Obj[3];
   (void)keep;
   new Obj;
   std::printf("%s (%d failures)\n", failures ? "FAILED" : "ok", failures);
   return failures ? 1 : 0;
}
