// cflags: -O0 -g
/* heap_mismatch.cpp -- blocks freed by the wrong family: malloc/delete,
   new/free, new[]/delete, new/delete[], and a realloc of a new'd block.
   Each is reported; the program goes on. */
#include <cstdio>
#include <cstdlib>
#include <new>

int main()
{
   int* a = static_cast<int*>(std::malloc(sizeof(int)));
   delete a;                               // malloc / delete
   int* b = new int;
   std::free(b);                           // new / free
   int* c = new int[4];
   delete c;                               // new[] / delete
   int* d = new int;
   delete[] d;                             // new / delete[]
   int* e = new int[2];
   e = static_cast<int*>(std::realloc(e, 100));   // new[] / realloc
   std::free(e);
   std::printf("still running\n");
   return 0;
}
