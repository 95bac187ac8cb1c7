/* gp_host.h -- what glprof's host programs (glprof_diff, glprof_annotate)
   share besides the profile reader: checked allocation, number formatting
   with the same conventions as the tool's report (thousands separators,
   integer-only percentages so every machine prints the same digits),
   sanitising names for terminals and Markdown, and a small JSON writer
   with a fixed field order.

   These are ordinary hosted C programs (libc allowed); nothing here is
   linked into the Valgrind tool. */

#ifndef GP_HOST_H
#define GP_HOST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef uint64_t u64;
typedef int64_t i64;

#define GPH_COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define GPH_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define GPH_NORETURN __attribute__((noreturn))
#else
#define GPH_PRINTF(f, a)
#define GPH_NORETURN
#endif

/* ---- memory: out of memory ends the program with exit status 1 ---------- */
void* gph_xmalloc(size_t n);
void* gph_xcalloc(size_t n, size_t size);
void* gph_xrealloc(void* p, size_t n, size_t size); /* n * size, checked */
char* gph_xstrdup(const char* s);
char* gph_xprintf(const char* fmt, ...) GPH_PRINTF(1, 2);

/* The program name used in messages ("glprof_diff"). */
extern const char* gph_progname;
extern int gph_quiet;  /* set: gph_warn prints nothing (the fuzz target) */
void gph_warn(const char* fmt, ...) GPH_PRINTF(1, 2);

/* ---- integer arithmetic without overflow --------------------------------- */
/* floor(a * b / c) for c > 0, exact (128-bit intermediate); saturates at
   UINT64_MAX when the result does not fit. */
u64 gph_muldiv(u64 a, u64 b, u64 c);
/* a * b compared with c * d, exactly: <0, 0, >0. */
int gph_cmp_products(u64 a, u64 b, u64 c, u64 d);

/* ---- formatting ------------------------------------------------------------
   Each returns a string that stays valid for the next 32 calls of any of
   these functions (a ring of buffers), so several can appear in one printf. */
const char* gph_num(u64 n);                 /* 1,234,567 */
const char* gph_snum(int neg, u64 n);       /* +1,234 / -1,234 / 0 */
const char* gph_ratio(u64 num, u64 den, unsigned decimals); /* rounded half up */
const char* gph_pct(u64 part, u64 whole);   /* 12.34% */
/* Relative change from old to new: "+12.34%", "-5.00%", "0.00%", and
   "new" when old is 0 and new is not. */
const char* gph_change_pct(u64 old, u64 new_);
const char* gph_bytes(u64 n);               /* 4.10 KB (decimal units) */

/* ---- strings from profiles ------------------------------------------------- */
/* Names come from symbol tables and file systems: any byte may appear.
   gph_clean returns s with control characters written as \xNN, safe for a
   terminal; the result lives in a ring of 32 heap buffers. */
const char* gph_clean(const char* s);
/* s cut to at most 'room' columns (UTF-8 characters), ending with "..."
   when cut; room < 4 leaves s whole.  Ring of 32 heap buffers. */
const char* gph_fit(const char* s, size_t room);
const char* gph_basename(const char* path);
/* printf into a ring buffer (as gph_clean). */
const char* gph_tmpf(const char* fmt, ...) GPH_PRINTF(1, 2);
/* "name (file:line)", "name (file)" or "name [object]": the tool's label. */
const char* gph_fn_label(const char* name, const char* file, u64 line,
                         const char* object);

/* Markdown table cell: the text as a code span (backtick fence longer than
   any run inside it), '|' escaped; control characters cleaned. */
void gph_md_code(FILE* f, const char* s);
/* Plain Markdown text in a table cell: '|', '*', '_', '`', '<', '[' and '\'
   escaped. */
void gph_md_text(FILE* f, const char* s);

/* printf to f with the trailing blanks of each line removed (table rows
   whose last cells are empty). */
void gph_line(FILE* f, const char* fmt, ...) GPH_PRINTF(2, 3);

/* UTF-8 character count (columns, for alignment). */
size_t gph_columns(const char* s);
/* printf-style "%-*s" that pads by columns rather than bytes. */
void gph_pad(FILE* f, const char* s, size_t width, int right_align);

/* ---- JSON output ----------------------------------------------------------
   A streaming writer: fields appear in the order written, one per line,
   indented by one space per level (as the tool's own profiles). */
typedef struct {
   FILE* f;
   int depth;
   int need_comma;
} GphJson;

void gphj_begin(GphJson* j, FILE* f);        /* opens the top-level object */
void gphj_end(GphJson* j);                   /* closes it, adds a newline */
void gphj_obj(GphJson* j, const char* key);  /* key NULL inside arrays */
void gphj_end_obj(GphJson* j);
void gphj_arr(GphJson* j, const char* key);
void gphj_end_arr(GphJson* j);
void gphj_str(GphJson* j, const char* key, const char* s); /* NULL: null */
void gphj_u64(GphJson* j, const char* key, u64 v);
void gphj_i64(GphJson* j, const char* key, i64 v);
void gphj_signed(GphJson* j, const char* key, int neg, u64 v);
void gphj_bool(GphJson* j, const char* key, int v);
void gphj_null(GphJson* j, const char* key);
/* A number given as text (e.g. "1.23"); must be a valid JSON number. */
void gphj_number(GphJson* j, const char* key, const char* text);
void gphj_escape(FILE* f, const char* s);   /* a JSON string literal */

#endif
