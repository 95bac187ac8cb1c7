// cflags: -O0 -g -D_GLIBCXX_USE_CXX11_ABI=0
/* leak_cpp.cpp -- blocks reachable only through interior pointers that
   Memcheck's four heuristics accept as start pointers (stdstring,
   length64, newarray, multipleinheritance), and the same shapes lost.
   Built with the old std::string ABI, whose strings point past a
   (length, capacity, refcount) header.  tests/test_heap.py compares
   glprof's classification with Memcheck's, with the heuristics on (the
   default) and off. */
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

struct A { virtual ~A() {} virtual void fa() {} long a; };
struct B { virtual ~B() {} virtual void fb() {} long b; };
struct C : public A, public B { virtual void fc() {} long c; };

struct WithDtor { ~WithDtor() { x = 0; } long x; };

std::string* g_str;            // points to a heap std::string object ...
char* g_str_chars;             // ... and here only to the chars of another
char* g_len64;                 // 8 bytes into a length-prefixed block
WithDtor* g_arr;               // new[] with a destructor: 8 bytes in
B* g_b;                        // the B part of a C
char* g_plain_interior;        // an interior pointer no heuristic accepts

int main()
{
   g_str = new std::string("a string long enough to be on the heap");
   std::string* s2 = new std::string("another string on the heap, chars only");
   g_str_chars = const_cast<char*>(s2->data());
   s2 = nullptr;

   char* blk = static_cast<char*>(std::malloc(8 + 40));
   *reinterpret_cast<unsigned long*>(blk) = 40;
   g_len64 = blk + 8;

   g_arr = new WithDtor[5];
   g_b = new C;

   char* p = static_cast<char*>(std::malloc(50));
   g_plain_interior = p + 17;

   std::printf("%p %p %p %p %p\n", (void*)g_str, (void*)g_str_chars,
               (void*)g_len64, (void*)g_arr, (void*)g_b);
   return 0;
}
