/* gp_host.c -- helpers shared by glprof's host programs: checked memory,
   exact integer formatting (the same digits on every machine: no floating
   point in anything printed), name cleaning for terminals and Markdown, and
   a small ordered JSON writer. */

#include "gp_host.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char* gph_progname = "glprof";
int gph_quiet;

/* ---- memory ----------------------------------------------------------------- */

static void out_of_memory(size_t n) GPH_NORETURN;
static void out_of_memory(size_t n)
{
   fprintf(stderr, "%s: out of memory (allocating %zu bytes)\n", gph_progname, n);
   exit(1);
}

void* gph_xmalloc(size_t n)
{
   void* p = malloc(n ? n : 1);
   if (!p) out_of_memory(n);
   return p;
}

void* gph_xcalloc(size_t n, size_t size)
{
   void* p = calloc(n ? n : 1, size ? size : 1);
   if (!p) out_of_memory(n * size);
   return p;
}

void* gph_xrealloc(void* p, size_t n, size_t size)
{
   void* q;
   size_t total;
   if (size && n > SIZE_MAX / size) out_of_memory(SIZE_MAX);
   total = n * size;
   q = realloc(p, total ? total : 1);
   if (!q) out_of_memory(total);
   return q;
}

char* gph_xstrdup(const char* s)
{
   size_t n = strlen(s) + 1;
   char* d = gph_xmalloc(n);
   memcpy(d, s, n);
   return d;
}

char* gph_xprintf(const char* fmt, ...)
{
   va_list ap;
   int n;
   char* s;
   va_start(ap, fmt);
   n = vsnprintf(NULL, 0, fmt, ap);
   va_end(ap);
   if (n < 0) out_of_memory(0);
   s = gph_xmalloc((size_t)n + 1);
   va_start(ap, fmt);
   vsnprintf(s, (size_t)n + 1, fmt, ap);
   va_end(ap);
   return s;
}

void gph_warn(const char* fmt, ...)
{
   va_list ap;
   if (gph_quiet) return;
   fprintf(stderr, "%s: ", gph_progname);
   va_start(ap, fmt);
   vfprintf(stderr, fmt, ap);
   va_end(ap);
   fputc('\n', stderr);
}

/* ---- exact arithmetic --------------------------------------------------------
   Counts are 64-bit and products of two counts need 128 bits.  GCC and Clang
   have unsigned __int128 on 64-bit targets; elsewhere the long form below
   does the same with 32-bit halves. */

#if defined(__SIZEOF_INT128__)
typedef unsigned __int128 u128;

u64 gph_muldiv(u64 a, u64 b, u64 c)
{
   u128 q;
   if (c == 0) return UINT64_MAX;
   q = (u128)a * b / c;
   return q > UINT64_MAX ? UINT64_MAX : (u64)q;
}

int gph_cmp_products(u64 a, u64 b, u64 c, u64 d)
{
   u128 x = (u128)a * b, y = (u128)c * d;
   return x < y ? -1 : x > y;
}
#else
/* 128-bit values as (hi, lo). */
static void mul64(u64 a, u64 b, u64* hi, u64* lo)
{
   u64 al = a & 0xffffffffu, ah = a >> 32, bl = b & 0xffffffffu, bh = b >> 32;
   u64 ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
   u64 mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
   *lo = (ll & 0xffffffffu) | (mid << 32);
   *hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

u64 gph_muldiv(u64 a, u64 b, u64 c)
{
   u64 hi, lo, q = 0;
   int i;
   if (c == 0) return UINT64_MAX;
   mul64(a, b, &hi, &lo);
   if (hi >= c) return UINT64_MAX;
   /* long division of (hi:lo) by c, one bit at a time */
   for (i = 63; i >= 0; i--) {
      int carry = (hi >> 63) != 0;
      hi = (hi << 1) | (lo >> 63);
      lo <<= 1;
      if (carry || hi >= c) { hi -= c; q |= (u64)1 << i; }
   }
   return q;
}

int gph_cmp_products(u64 a, u64 b, u64 c, u64 d)
{
   u64 xh, xl, yh, yl;
   mul64(a, b, &xh, &xl);
   mul64(c, d, &yh, &yl);
   if (xh != yh) return xh < yh ? -1 : 1;
   if (xl != yl) return xl < yl ? -1 : 1;
   return 0;
}
#endif

/* ---- formatting ----------------------------------------------------------------- */

#define RING 32
#define FMT_SZ 64

static char* fmt_buf(void)
{
   /* written through the pointer returned (cppcheck sees no write here) */
   // cppcheck-suppress constVariable
   static char bufs[RING][FMT_SZ];
   static unsigned next;
   return bufs[next++ % RING];
}

static void put_grouped(char* b, u64 n)
{
   char digits[32];
   int nd = 0, i, o = 0;
   do { digits[nd++] = (char)('0' + n % 10); n /= 10; } while (n);
   for (i = nd - 1; i >= 0; i--) {
      b[o++] = digits[i];
      if (i > 0 && i % 3 == 0) b[o++] = ',';
   }
   b[o] = 0;
}

const char* gph_num(u64 n)
{
   char* b = fmt_buf();
   put_grouped(b, n);
   return b;
}

const char* gph_snum(int neg, u64 n)
{
   char* b = fmt_buf();
   if (n == 0) { strcpy(b, "0"); return b; }
   b[0] = neg ? '-' : '+';
   put_grouped(b + 1, n);
   return b;
}

const char* gph_ratio(u64 num, u64 den, unsigned decimals)
{
   char* b = fmt_buf();
   u64 scale = 1, whole, rem, frac;
   unsigned i;
   if (decimals > 6) decimals = 6;
   for (i = 0; i < decimals; i++) scale *= 10;
   if (den == 0) { strcpy(b, "-"); return b; }
   whole = num / den;
   rem = num % den;
   /* round half up: frac = floor((rem * scale * 2 + den) / (2 * den)) */
   frac = gph_muldiv(rem, 2 * scale, den);
   frac = (frac + 1) / 2;
   if (frac >= scale) { whole++; frac -= scale; }
   if (decimals == 0)
      snprintf(b, FMT_SZ, "%llu", (unsigned long long)whole);
   else
      snprintf(b, FMT_SZ, "%llu.%0*llu", (unsigned long long)whole, (int)decimals,
               (unsigned long long)frac);
   return b;
}

/* part / whole as a percentage in hundredths, rounded half up, exactly. */
static u64 hundredths(u64 part, u64 whole)
{
   u64 twice = gph_muldiv(part, 20000, whole);
   return twice == UINT64_MAX ? twice / 2 : (twice + 1) / 2;
}

const char* gph_pct(u64 part, u64 whole)
{
   char* b = fmt_buf();
   u64 h;
   if (whole == 0) { strcpy(b, "0.00%"); return b; }
   h = hundredths(part, whole);
   snprintf(b, FMT_SZ, "%llu.%02llu%%", (unsigned long long)(h / 100),
            (unsigned long long)(h % 100));
   return b;
}

const char* gph_change_pct(u64 old, u64 new_)
{
   char* b = fmt_buf();
   u64 d = new_ >= old ? new_ - old : old - new_, h;
   if (old == 0) { strcpy(b, new_ ? "new" : "0.00%"); return b; }
   if (d == 0) { strcpy(b, "0.00%"); return b; }
   h = hundredths(d, old);
   snprintf(b, FMT_SZ, "%c%llu.%02llu%%", new_ > old ? '+' : '-',
            (unsigned long long)(h / 100), (unsigned long long)(h % 100));
   return b;
}

const char* gph_bytes(u64 n)
{
   static const char* units[] = { "KB", "MB", "GB", "TB", "PB", "EB" };
   char* b = fmt_buf();
   char r[32];
   u64 scale = 1000;
   unsigned u = 0;
   if (n < 1000) { snprintf(b, FMT_SZ, "%llu B", (unsigned long long)n); return b; }
   while (u + 1 < GPH_COUNT_OF(units) && n / 1000 >= scale) { scale *= 1000; u++; }
   snprintf(r, sizeof(r), "%s", gph_ratio(n, scale, 2));
   snprintf(b, FMT_SZ, "%s %s", r, units[u]);
   return b;
}

/* ---- strings ------------------------------------------------------------------- */

static char* ring_str(size_t n)
{
   static char* bufs[RING];
   static unsigned next;
   unsigned i = next++ % RING;
   free(bufs[i]);
   bufs[i] = gph_xmalloc(n);
   return bufs[i];
}

const char* gph_clean(const char* s)
{
   size_t n = 0, o = 0;
   const unsigned char* p;
   char* d;
   if (!s) s = "";
   for (p = (const unsigned char*)s; *p; p++) n += (*p < 0x20 || *p == 0x7f) ? 4 : 1;
   d = ring_str(n + 1);
   for (p = (const unsigned char*)s; *p; p++) {
      if (*p < 0x20 || *p == 0x7f) {
         snprintf(d + o, 5, "\\x%02x", *p);
         o += 4;
      } else {
         d[o++] = (char)*p;
      }
   }
   d[o] = 0;
   return d;
}

static int is_cont(unsigned char c) { return (c & 0xc0) == 0x80; }

size_t gph_columns(const char* s)
{
   size_t n = 0;
   for (; *s; s++)
      if (!is_cont((unsigned char)*s)) n++;
   return n;
}

const char* gph_fit(const char* s, size_t room)
{
   size_t cols = 0;
   const char* p;
   char* d;
   if (!s) s = "";
   if (room < 4 || gph_columns(s) <= room) {
      d = ring_str(strlen(s) + 1);
      strcpy(d, s);
      return d;
   }
   /* keep room - 3 characters, never splitting a UTF-8 sequence */
   for (p = s; *p; p++) {
      if (!is_cont((unsigned char)*p)) {
         if (cols == room - 3) break;
         cols++;
      }
   }
   d = ring_str((size_t)(p - s) + 4);
   memcpy(d, s, (size_t)(p - s));
   strcpy(d + (p - s), "...");
   return d;
}

const char* gph_tmpf(const char* fmt, ...)
{
   va_list ap;
   int n;
   char* s;
   va_start(ap, fmt);
   n = vsnprintf(NULL, 0, fmt, ap);
   va_end(ap);
   if (n < 0) n = 0;
   s = ring_str((size_t)n + 1);
   va_start(ap, fmt);
   vsnprintf(s, (size_t)n + 1, fmt, ap);
   va_end(ap);
   return s;
}

const char* gph_basename(const char* path)
{
   const char* s;
   if (!path) return "";
   s = strrchr(path, '/');
   return s ? s + 1 : path;
}

const char* gph_fn_label(const char* name, const char* file, u64 line,
                         const char* object)
{
   char* d;
   const char* n = gph_clean(name ? name : "???");
   if (file && *file) {
      const char* f = gph_clean(gph_basename(file));
      d = ring_str(strlen(n) + strlen(f) + 32);
      if (line)
         sprintf(d, "%s (%s:%llu)", n, f, (unsigned long long)line);
      else
         sprintf(d, "%s (%s)", n, f);
   } else {
      const char* o = gph_clean(gph_basename(object ? object : "???"));
      d = ring_str(strlen(n) + strlen(o) + 4);
      sprintf(d, "%s [%s]", n, o);
   }
   return d;
}

void gph_md_code(FILE* f, const char* s)
{
   size_t run = 0, longest = 0, i;
   const char* c = gph_clean(s);
   const char* p;
   for (p = c; *p; p++) {
      run = *p == '`' ? run + 1 : 0;
      if (run > longest) longest = run;
   }
   for (i = 0; i <= longest; i++) fputc('`', f);
   /* a span that starts or ends with a backtick needs a space inside */
   if (c[0] == '`' || (*c && c[strlen(c) - 1] == '`')) fputc(' ', f);
   for (p = c; *p; p++) {
      if (*p == '|') fputs("\\|", f);
      else fputc(*p, f);
   }
   if (c[0] == '`' || (*c && c[strlen(c) - 1] == '`')) fputc(' ', f);
   for (i = 0; i <= longest; i++) fputc('`', f);
}

void gph_md_text(FILE* f, const char* s)
{
   const char* p;
   for (p = gph_clean(s); *p; p++) {
      if (strchr("|*_`<>[]\\#~", *p)) fputc('\\', f);
      fputc(*p, f);
   }
}

void gph_line(FILE* f, const char* fmt, ...)
{
   va_list ap;
   int n;
   char* s;
   size_t i, o = 0, keep = 0;
   va_start(ap, fmt);
   n = vsnprintf(NULL, 0, fmt, ap);
   va_end(ap);
   if (n < 0) return;
   s = gph_xmalloc((size_t)n + 1);
   va_start(ap, fmt);
   vsnprintf(s, (size_t)n + 1, fmt, ap);
   va_end(ap);
   /* copy, dropping blanks that only precede a newline or the end */
   for (i = 0; i <= (size_t)n; i++) {
      if (s[i] == ' ') continue;
      if (s[i] != '\n' && s[i] != 0) {
         for (; keep < i; keep++) s[o++] = s[keep];
      }
      if (s[i] == 0) break;
      s[o++] = s[i];
      keep = i + 1;
   }
   s[o] = 0;
   fputs(s, f);
   free(s);
}

void gph_pad(FILE* f, const char* s, size_t width, int right_align)
{
   size_t cols = gph_columns(s), i;
   if (right_align)
      for (i = cols; i < width; i++) fputc(' ', f);
   fputs(s, f);
   if (!right_align)
      for (i = cols; i < width; i++) fputc(' ', f);
}

/* ---- JSON output ----------------------------------------------------------------- */

void gphj_escape(FILE* f, const char* s)
{
   const unsigned char* p;
   fputc('"', f);
   for (p = (const unsigned char*)s; *p; p++) {
      switch (*p) {
      case '"':  fputs("\\\"", f); break;
      case '\\': fputs("\\\\", f); break;
      case '\n': fputs("\\n", f); break;
      case '\t': fputs("\\t", f); break;
      case '\r': fputs("\\r", f); break;
      default:
         if (*p < 0x20 || *p == 0x7f) fprintf(f, "\\u%04x", *p);
         else fputc(*p, f);
      }
   }
   fputc('"', f);
}

static void field(GphJson* j, const char* key)
{
   int i;
   if (j->need_comma) fputc(',', j->f);
   fputc('\n', j->f);
   for (i = 0; i < j->depth; i++) fputc(' ', j->f);
   if (key) {
      gphj_escape(j->f, key);
      fputc(':', j->f);
   }
   j->need_comma = 1;
}

void gphj_begin(GphJson* j, FILE* f)
{
   j->f = f;
   j->depth = 1;
   j->need_comma = 0;
   fputc('{', f);
}

void gphj_end(GphJson* j)
{
   fputs("\n}\n", j->f);
}

/* Opens an object or array: the bracket after the key, one level deeper. */
static void open_nest(GphJson* j, const char* key, int bracket)
{
   field(j, key);
   fputc(bracket, j->f);
   j->depth++;
   j->need_comma = 0;
}

/* Closes one: on its own indented line when it holds anything. */
static void close_nest(GphJson* j, int bracket)
{
   int i;
   j->depth--;
   if (j->need_comma) {
      fputc('\n', j->f);
      for (i = 0; i < j->depth; i++) fputc(' ', j->f);
   }
   fputc(bracket, j->f);
   j->need_comma = 1;
}

void gphj_obj(GphJson* j, const char* key) { open_nest(j, key, '{'); }
void gphj_end_obj(GphJson* j) { close_nest(j, '}'); }
void gphj_arr(GphJson* j, const char* key) { open_nest(j, key, '['); }
void gphj_end_arr(GphJson* j) { close_nest(j, ']'); }

void gphj_str(GphJson* j, const char* key, const char* s)
{
   field(j, key);
   if (s) gphj_escape(j->f, s);
   else fputs("null", j->f);
}

void gphj_u64(GphJson* j, const char* key, u64 v)
{
   field(j, key);
   fprintf(j->f, "%llu", (unsigned long long)v);
}

void gphj_i64(GphJson* j, const char* key, i64 v)
{
   field(j, key);
   fprintf(j->f, "%lld", (long long)v);
}

void gphj_signed(GphJson* j, const char* key, int neg, u64 v)
{
   field(j, key);
   fprintf(j->f, "%s%llu", neg && v ? "-" : "", (unsigned long long)v);
}

void gphj_bool(GphJson* j, const char* key, int v)
{
   field(j, key);
   fputs(v ? "true" : "false", j->f);
}

void gphj_null(GphJson* j, const char* key)
{
   field(j, key);
   fputs("null", j->f);
}

void gphj_number(GphJson* j, const char* key, const char* text)
{
   field(j, key);
   fputs(text, j->f);
}
