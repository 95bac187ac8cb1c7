// cflags: -O1 -g -fno-builtin
/* heap_ownmalloc.c -- a program that brings its own malloc (a bump
   allocator linked into the executable, as with a statically linked
   jemalloc or tcmalloc).  Valgrind replaces only allocators in libc and
   libstdc++ unless told where else to look: glprof sees these blocks with
   --soname-synonyms=somalloc=NONE ("the main executable"), as Memcheck
   does, and none without. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

static char arena[1 << 20];
static size_t used;

void* malloc(size_t n)
{
   void* p;
   n = (n + 15) & ~(size_t)15;
   if (used + n > sizeof arena) return NULL;
   p = arena + used;
   used += n;
   return p;
}
void free(void* p) { (void)p; }
void* calloc(size_t m, size_t n) { void* p = malloc(m * n); if (p) memset(p, 0, m * n); return p; }
void* realloc(void* p, size_t n)
{
   void* q = malloc(n);
   if (q && p) memcpy(q, p, n);       /* sizes are not tracked: copy n */
   return q;
}

void* keep[8];

int main(void)
{
   int i;
   for (i = 0; i < 8; i++) keep[i] = malloc(100 + i);
   free(keep[0]);
   keep[0] = NULL;
   malloc(40);                                 /* lost */
   puts("own malloc");
   return 0;
}
