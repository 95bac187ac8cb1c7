// cflags: -O1 -g -fno-builtin
/* heap_edge.c -- every C allocator entry point and its edge cases, each
   checked by the program itself (it prints "FAIL ..." and exits 1 if the
   allocator misbehaves): realloc growth, shrink, NULL and 0; calloc
   zeroing and overflow; memalign, posix_memalign, aligned_alloc, valloc
   and their alignments; malloc_usable_size; malloc(0).  The totals are
   compared with Memcheck's by tests/test_heap.py. */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;
#define CHECK(c) do { if (!(c)) { printf("FAIL %s:%d %s\n", __FILE__, __LINE__, #c); failures++; } } while (0)

static void* volatile sink;

int main(void)
{
   char *p, *q;
   void* v;
   size_t i;
   int r;

   /* malloc(0) gives a unique pointer that can be freed */
   p = malloc(0);
   CHECK(p != NULL);
   free(p);

   /* realloc growth keeps the contents */
   p = malloc(10);
   memcpy(p, "abcdefghi", 10);
   q = realloc(p, 1000);
   CHECK(q && memcmp(q, "abcdefghi", 10) == 0);
   /* ... and growth into a big block */
   q = realloc(q, 100000);
   CHECK(q && memcmp(q, "abcdefghi", 10) == 0);
   /* shrink */
   q = realloc(q, 5);
   CHECK(q && memcmp(q, "abcde", 5) == 0);
   /* within the same size */
   q = realloc(q, 6);
   CHECK(q && memcmp(q, "abcde", 5) == 0);
   free(q);

   /* realloc(NULL, n) is malloc */
   p = realloc(NULL, 33);
   CHECK(p != NULL);
   memset(p, 1, 33);
   /* realloc(p, 0) frees p (glibc returns NULL) */
   q = realloc(p, 0);
   CHECK(q == NULL);

   /* calloc zeroes, even memory that was used before (more blocks than
      glprof's quarantine of freed slots holds, so slots come round) */
   for (i = 0; i < 10000; i++) {
      p = malloc(64);
      memset(p, 0xff, 64);
      free(p);
   }
   p = calloc(8, 8);
   CHECK(p != NULL);
   for (i = 0; i < 64; i++) CHECK(p[i] == 0);
   free(p);
   /* calloc overflow fails cleanly */
   errno = 0;
   v = calloc(SIZE_MAX / 2, 4);
   CHECK(v == NULL);
   /* an impossible size fails cleanly too */
   sink = malloc((size_t)-1 / 2 + 1);
   CHECK(sink == NULL);

   /* aligned allocations */
   v = memalign(64, 100);
   CHECK(v && ((uintptr_t)v & 63) == 0);
   free(v);
   v = memalign(4096, 10);
   CHECK(v && ((uintptr_t)v & 4095) == 0);
   free(v);
   r = posix_memalign(&v, 256, 1000);
   CHECK(r == 0 && ((uintptr_t)v & 255) == 0);
   free(v);
   r = posix_memalign(&v, 3, 10);          /* not a power of two */
   CHECK(r == EINVAL);
   v = aligned_alloc(128, 256);
   CHECK(v && ((uintptr_t)v & 127) == 0);
   free(v);
   v = valloc(10);
   CHECK(v && ((uintptr_t)v & (sysconf(_SC_PAGESIZE) - 1)) == 0);
   free(v);
   /* small default-aligned blocks are 16-byte aligned */
   for (i = 1; i < 300; i += 7) {
      p = malloc(i);
      CHECK(((uintptr_t)p & 15) == 0);
      free(p);
   }

   /* malloc_usable_size: what was asked for (as under Memcheck) */
   p = malloc(50);
   CHECK(malloc_usable_size(p) == 50);
   free(p);
   CHECK(malloc_usable_size(NULL) == 0);

   /* a big block and a huge one (handed back to the kernel for zeroing) */
   p = malloc(5 << 20);
   CHECK(p != NULL);
   p[0] = 1; p[(5 << 20) - 1] = 2;
   q = calloc(1, 3 << 20);
   CHECK(q && q[12345] == 0 && q[(3 << 20) - 1] == 0);
   free(q);
   free(p);

   /* many blocks of many sizes, freed in another order */
   {
      static char* blocks[5000];
      for (i = 0; i < 5000; i++) {
         blocks[i] = malloc(1 + (i * 37) % 9000);
         blocks[i][0] = (char)i;
      }
      for (i = 0; i < 5000; i += 2) free(blocks[i]);
      for (i = 1; i < 5000; i += 2) {
         CHECK(blocks[i][0] == (char)i);
         free(blocks[i]);
      }
   }

   /* two blocks left live: one reachable, one lost */
   sink = malloc(123);
   p = malloc(77);
   p = NULL;

   printf("%s (%d failures)\n", failures ? "FAILED" : "ok", failures);
   return failures ? 1 : 0;
}
