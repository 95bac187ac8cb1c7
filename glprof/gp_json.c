/* gp_json.c -- the streaming JSON writer (see gp_json.h). */

#include "gp_json.h"

void gp_json_init(GpJson* j, GpOut* o, Int line_depth)
{
   VG_(memset)(j, 0, sizeof(*j));
   j->o = o;
   j->line_depth = line_depth;
}

/* Length of the valid UTF-8 sequence starting at s, or 0 if invalid. */
static Int utf8_len(const UChar* s)
{
   UChar c = s[0];
   Int n, i;
   UInt cp;
   if (c < 0x80) return 1;
   if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1F; }
   else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; }
   else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07; }
   else return 0;
   for (i = 1; i < n; i++) {
      if ((s[i] & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (s[i] & 0x3F);
   }
   /* no overlong forms, no surrogates, nothing above U+10FFFF */
   if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))
       || (cp >= 0xD800 && cp <= 0xDFFF))
      return 0;
   return n;
}

void gp_json_escape(GpOut* o, const HChar* str)
{
   const UChar* s = (const UChar*)str;
   gp_out_putc(o, '"');
   while (*s) {
      UChar c = *s;
      Int n;
      if (c == '"')       { gp_out_write(o, "\\\"", 2); s++; continue; }
      if (c == '\\')      { gp_out_write(o, "\\\\", 2); s++; continue; }
      if (c == '\n')      { gp_out_write(o, "\\n", 2); s++; continue; }
      if (c == '\t')      { gp_out_write(o, "\\t", 2); s++; continue; }
      if (c == '\r')      { gp_out_write(o, "\\r", 2); s++; continue; }
      if (c < 0x20 || c == 0x7F) {
         gp_out_printf(o, "\\u%04x", (UInt)c);
         s++;
         continue;
      }
      n = utf8_len(s);
      if (n == 0) {
         /* Not UTF-8 (symbol names are bytes): keep the byte's value as a
            Latin-1 code point so the output is always valid JSON. */
         gp_out_printf(o, "\\u%04x", (UInt)c);
         s++;
         continue;
      }
      gp_out_write(o, (const HChar*)s, n);
      s += n;
   }
   gp_out_putc(o, '"');
}

static void sep(GpJson* j, const HChar* key)
{
   if (j->depth > 0) {
      if (!j->first[j->depth]) gp_out_putc(j->o, ',');
      j->first[j->depth] = False;
      if (j->depth <= j->line_depth) {
         Int i;
         gp_out_putc(j->o, '\n');
         for (i = 0; i < j->depth; i++) gp_out_putc(j->o, ' ');
      }
   }
   if (key) {
      gp_json_escape(j->o, key);
      gp_out_putc(j->o, ':');
   }
}

static void open(GpJson* j, const HChar* key, HChar c, Bool arr)
{
   sep(j, key);
   gp_out_putc(j->o, c);
   gp_assert(j->depth + 1 < GP_JSON_MAXDEPTH);
   j->depth++;
   j->first[j->depth] = True;
   j->in_array[j->depth] = arr;
}

static void close(GpJson* j, HChar c)
{
   Bool had = !j->first[j->depth];
   j->depth--;
   if (had && j->depth + 1 <= j->line_depth) {
      Int i;
      gp_out_putc(j->o, '\n');
      for (i = 0; i < j->depth; i++) gp_out_putc(j->o, ' ');
   }
   gp_out_putc(j->o, c);
   if (j->depth == 0) gp_out_putc(j->o, '\n');
}

void gp_json_obj(GpJson* j, const HChar* key)     { open(j, key, '{', False); }
void gp_json_end_obj(GpJson* j)                   { close(j, '}'); }
void gp_json_arr(GpJson* j, const HChar* key)     { open(j, key, '[', True); }
void gp_json_end_arr(GpJson* j)                   { close(j, ']'); }

void gp_json_str(GpJson* j, const HChar* key, const HChar* v)
{
   sep(j, key);
   if (v) gp_json_escape(j->o, v);
   else gp_out_write(j->o, "null", 4);
}

/* Decimal digits of v, written directly: a profile is mostly numbers,
   and the core's printf formats them a character at a time through a
   callback. */
static void put_u64(GpOut* o, ULong v)
{
   HChar buf[24];
   Int i = sizeof(buf);
   do { buf[--i] = (HChar)('0' + v % 10); v /= 10; } while (v);
   gp_out_write(o, buf + i, sizeof(buf) - i);
}

void gp_json_u64(GpJson* j, const HChar* key, ULong v)
{
   sep(j, key);
   put_u64(j->o, v);
}

void gp_json_i64(GpJson* j, const HChar* key, Long v)
{
   sep(j, key);
   if (v < 0) {
      gp_out_putc(j->o, '-');
      put_u64(j->o, 0 - (ULong)v);
   } else {
      put_u64(j->o, (ULong)v);
   }
}

void gp_json_bool(GpJson* j, const HChar* key, Bool v)
{
   sep(j, key);
   gp_out_puts(j->o, v ? "true" : "false");
}

void gp_json_null(GpJson* j, const HChar* key)
{
   sep(j, key);
   gp_out_puts(j->o, "null");
}

void gp_json_fixed(GpJson* j, const HChar* key, ULong v, UInt decimals)
{
   ULong scale = 1;
   UInt i;
   for (i = 0; i < decimals; i++) scale *= 10;
   sep(j, key);
   if (decimals == 0) put_u64(j->o, v);
   else gp_out_printf(j->o, "%llu.%0*llu", v / scale, (Int)decimals, v % scale);
}
