/* names_b.c -- the second file of names.c: a static helper() of its own. */
static __attribute__((noinline)) int helper(int x)
{
   volatile int v = x;
   return v * 7 - 2;
}

int other_entry(int n)
{
   int s = 0;
   for (int i = 0; i < n; i++) s += helper(i);
   return s;
}
