// cflags: -O1 -g
/* io_stdio.c -- the same rows written two ways: emit_row() prints each of
   N rows (argv[1], default 200) with printf on an unbuffered stdout (one
   write per row, the "many tiny writes" pattern), and save_rows() writes
   them into a file (argv[2]) through a fully buffered FILE*, so stdio
   gathers them into a few large writes. */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static void emit_row(int i)
{
   printf("row %04d\n", i);    /* 9 bytes */
}

__attribute__((noinline)) static void save_rows(const char* path, int n)
{
   static char buf[4096];
   FILE* f = fopen(path, "w");
   if (!f) exit(1);
   setvbuf(f, buf, _IOFBF, sizeof(buf));
   for (int i = 0; i < n; i++) fprintf(f, "row %04d\n", i);
   fclose(f);
}

int main(int argc, char** argv)
{
   int n = argc > 1 ? atoi(argv[1]) : 200;
   setvbuf(stdout, NULL, _IONBF, 0);
   for (int i = 0; i < n; i++) emit_row(i);
   save_rows(argc > 2 ? argv[2] : "rows.txt", n);
   return 0;
}
