/* replay_main.c -- runs the fuzz target over files without libFuzzer, so
   `make check-sanitize` can replay tests/fuzz/corpus with any compiler
   that has AddressSanitizer and UndefinedBehaviorSanitizer (gcc too).

     fuzz_replay FILE|DIR...     (directories: every file in them, sorted) */

#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

static int replay_file(const char* path)
{
   FILE* f = fopen(path, "rb");
   char* buf = NULL;
   size_t len = 0, cap = 0, got;
   if (!f) {
      perror(path);
      return -1;
   }
   do {
      if (len == cap) {
         char* grown;
         cap = cap ? cap * 2 : 65536;
         grown = realloc(buf, cap);
         if (!grown) { free(buf); fclose(f); return -1; }
         buf = grown;
      }
      got = fread(buf + len, 1, cap - len, f);
      len += got;
   } while (got);
   fclose(f);
   LLVMFuzzerTestOneInput((const uint8_t*)buf, len);
   free(buf);
   return 0;
}

static int cmp(const void* a, const void* b)
{
   return strcmp(*(char* const*)a, *(char* const*)b);
}

int main(int argc, char** argv)
{
   int i, n = 0, bad = 0;
   for (i = 1; i < argc; i++) {
      struct stat st;
      if (stat(argv[i], &st) != 0) { perror(argv[i]); bad = 1; continue; }
      if (S_ISDIR(st.st_mode)) {
         DIR* d = opendir(argv[i]);
         struct dirent* e;
         char** names = NULL;
         size_t k, nn = 0;
         if (!d) { perror(argv[i]); bad = 1; continue; }
         while ((e = readdir(d))) {
            char* p;
            struct stat fst;
            if (e->d_name[0] == '.') continue;
            p = malloc(strlen(argv[i]) + strlen(e->d_name) + 2);
            if (!p) return 1;
            sprintf(p, "%s/%s", argv[i], e->d_name);
            if (stat(p, &fst) != 0 || !S_ISREG(fst.st_mode)) { free(p); continue; }
            {
               char** grown = realloc(names, (nn + 1) * sizeof(*names));
               if (!grown) { free(p); return 1; }
               names = grown;
            }
            names[nn++] = p;
         }
         closedir(d);
         qsort(names, nn, sizeof(*names), cmp);
         for (k = 0; k < nn; k++) {
            if (replay_file(names[k]) == 0) n++; else bad = 1;
            free(names[k]);
         }
         free(names);
      } else {
         if (replay_file(argv[i]) == 0) n++; else bad = 1;
      }
   }
   printf("fuzz_replay: %d inputs replayed\n", n);
   return bad;
}
