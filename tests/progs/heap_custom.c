// cflags: -O1 -g -fno-builtin
/* heap_custom.c -- a pool allocator annotated for Valgrind: chunks carved
   from a malloc'd arena and from a static one are announced with
   VALGRIND_MALLOCLIKE_BLOCK, resized with VALGRIND_RESIZEINPLACE_BLOCK and
   released with VALGRIND_FREELIKE_BLOCK.  Some chunks stay referenced,
   some are lost.  tests/test_heap.py compares glprof's totals and leak
   classification with Memcheck's. */
#include <stdlib.h>
#include <string.h>
#include <valgrind/valgrind.h>

struct pool { char* base; size_t used, size; };

static void* pool_alloc(struct pool* p, size_t n)
{
   char* c = p->base + p->used;
   p->used += (n + 15) & ~(size_t)15;
   VALGRIND_MALLOCLIKE_BLOCK(c, n, 0, 0);
   return c;
}

static void pool_free(struct pool* p, void* c)
{
   VALGRIND_FREELIKE_BLOCK(c, 0);
}

static char static_arena[4096];
struct pool* g_pool;
void* g_chunk[4];

int main(void)
{
   struct pool sp = { static_arena, 0, sizeof static_arena };
   void *a, *b, *c;
   int i;
   g_pool = malloc(sizeof *g_pool);
   g_pool->base = malloc(65536);
   g_pool->used = 0;
   g_pool->size = 65536;

   a = pool_alloc(g_pool, 100);
   b = pool_alloc(g_pool, 200);
   c = pool_alloc(g_pool, 300);
   memset(a, 1, 100);
   pool_free(g_pool, b);
   VALGRIND_RESIZEINPLACE_BLOCK(c, 300, 150, 0);
   g_chunk[0] = a;                 /* reachable */
   g_chunk[1] = (char*)c + 10;     /* possibly lost (interior) */
   for (i = 0; i < 5; i++) pool_alloc(g_pool, 40);     /* lost */

   g_chunk[2] = pool_alloc(&sp, 64);                   /* in a static arena */
   pool_alloc(&sp, 64);                                /* lost */
   return 0;
}
