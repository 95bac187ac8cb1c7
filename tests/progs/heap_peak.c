// cflags: -O1 -g
/* heap_peak.c -- a heap whose peak is in the middle of the run: a first
   phase grows to a peak through several sites (malloc, calloc, realloc
   growth), a second one frees most of it and grows again to a lower
   plateau (with shrinking reallocs), and some blocks stay live at exit.
   tests/test_heap.py compares the peak with DHAT's t-gmax. */
#include <stdlib.h>
#include <string.h>

#define N 400

static void* volatile keep[N];

static __attribute__((noinline)) void* make_node(size_t n) { return malloc(n); }
static __attribute__((noinline)) void* make_table(size_t n) { return calloc(n, 8); }

int main(void)
{
   char* buf = NULL;
   size_t cap = 0;
   int i;
   /* phase 1: up to the peak */
   for (i = 0; i < N; i++) {
      keep[i] = (i % 3) ? make_node(100 + i) : make_table(10 + i % 7);
      if (i % 50 == 0) {
         cap += 4096;
         buf = realloc(buf, cap);
         memset(buf, 1, cap);
      }
   }
   /* phase 2: free most, shrink, grow a little again */
   for (i = 0; i < N; i++)
      if (i % 4) { free(keep[i]); keep[i] = NULL; }
   buf = realloc(buf, 1000);
   for (i = 0; i < N / 8; i++)
      if (!keep[i]) keep[i] = make_node(64);
   /* some live at exit */
   for (i = N / 2; i < N; i++) { free(keep[i]); keep[i] = NULL; }
   return buf[0] == 1 ? 0 : 1;
}
