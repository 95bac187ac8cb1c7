// cflags: -O1 -g
/* find_serial.c -- a program whose time goes to formatting: to_json()
   builds a JSON object per record with snprintf (the "JSON serialization
   is a bottleneck" of the seed guide), and to_key() copies and measures
   strings (strcpy/strlen/memcmp).  A little real work in between. */
#include <stdio.h>
#include <string.h>

static char out[256];
static char keys[64][48];

__attribute__((noinline)) static long compute(int i)
{
   long s = 0;
   for (int k = 0; k < 40; k++) s += (i * k) ^ (s >> 3);
   return s;
}

__attribute__((noinline)) static int to_json(int i, long v)
{
   return snprintf(out, sizeof out, "{\"id\":%d,\"value\":%ld,\"ratio\":%.3f,\"name\":\"item-%d\"}",
                   i, v, v / 7.0, i);
}

__attribute__((noinline)) static size_t to_key(int i)
{
   char* k = keys[i & 63];
   size_t n = 0;
   for (int r = 0; r < 8; r++) {
      strcpy(k, "prefix/with/some/path/");
      strcat(k, out + 10);
      n += strlen(k) + (memcmp(k, keys[(i + 1) & 63], 40) == 0);
   }
   return n;
}

int main(void)
{
   long s = 0;
   for (int i = 0; i < 20000; i++) {
      long v = compute(i);
      s += to_json(i, v);
      s += (long)to_key(i);
   }
   printf("%ld\n", s);
   return 0;
}
