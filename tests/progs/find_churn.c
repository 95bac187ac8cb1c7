// cflags: -O1 -g
/* find_churn.c -- allocation churn: parse_field() mallocs a small scratch
   buffer for every field and frees it right away (5,000 times); a
   balanced program otherwise (nothing leaks, no growth). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static int parse_field(const char* s)
{
   char* tmp = malloc(64);              /* short-lived: freed below */
   int n;
   strcpy(tmp, s);
   n = (int)strlen(tmp);
   free(tmp);
   return n;
}

int main(void)
{
   long s = 0;
   for (int i = 0; i < 5000; i++) s += parse_field("field,value,more");
   printf("%ld\n", s);
   return 0;
}
