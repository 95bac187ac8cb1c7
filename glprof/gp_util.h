/* gp_util.h -- small containers and formatting used by every concern:
   a word->word hash map, string interning, a checked buffered output sink,
   and number formatting for reports.  Nothing here knows about profiles. */

#ifndef GP_UTIL_H
#define GP_UTIL_H

#include "gp_tool.h"

/* ---- hashing --------------------------------------------------------- */
static inline UWord gp_hash_word(UWord w)
{
   /* Fibonacci mixing; pointers have zero low bits, so spread them. */
   w ^= w >> 33;
   w *= (UWord)0xff51afd7ed558ccdULL;
   w ^= w >> 29;
   return w;
}
UWord gp_hash_str(const HChar* s);
static inline UWord gp_hash2(UWord a, UWord b)
{
   return gp_hash_word(a * 31 + gp_hash_word(b));
}

/* ---- word -> word map (open addressing, linear probing) --------------
   Key 0 is reserved (means "empty").  Deletion uses backward shifting, so
   there are no tombstones and lookups stay short. */
typedef struct {
   UWord* keys;
   UWord* vals;
   UWord  mask;     /* capacity - 1, capacity a power of two */
   UWord  used;
   const HChar* cc;
} GpWordMap;

void   gp_wmap_init(GpWordMap* m, const HChar* cc, UWord initial);
void   gp_wmap_free(GpWordMap* m);
UWord* gp_wmap_find(GpWordMap* m, UWord key);         /* NULL if absent */
UWord* gp_wmap_insert(GpWordMap* m, UWord key);       /* slot, 0 if new */
void   gp_wmap_remove(GpWordMap* m, UWord key);
void   gp_wmap_clear(GpWordMap* m);

/* ---- string interning -------------------------------------------------
   Names of functions, files and objects are interned once and compared by
   pointer afterwards; interned strings live until the tool exits, so code
   generated from them can keep pointers. */
const HChar* gp_intern(const HChar* s);
const HChar* gp_intern_n(const HChar* s, SizeT n);

/* The last component of a path (the path itself if it has no '/'). */
static inline const HChar* gp_base_name(const HChar* path)
{
   const HChar* b = VG_(strrchr)(path, '/');
   return b ? b + 1 : path;
}

/* ---- checked output sink ----------------------------------------------
   VG_(fprintf) silently drops write errors; a profile written to a full disk
   must be reported, so glprof buffers and writes itself. */
typedef struct {
   Int    fd;
   HChar* buf;
   UInt   len;
   Int    err;          /* first errno seen, 0 if none */
   ULong  written;
   const HChar* path;
   XArray* mem;         /* non-NULL: collect into memory instead of fd */
} GpOut;

/* Opens 'path' for writing (truncating).  On failure returns False and sets
   *err to the errno. */
Bool  gp_out_open(GpOut* o, const HChar* path, Int* err);
void  gp_out_open_mem(GpOut* o);
void  gp_out_printf(GpOut* o, const HChar* fmt, ...) PRINTF_CHECK(2, 3);
void  gp_out_write(GpOut* o, const HChar* s, SizeT n);
void  gp_out_puts(GpOut* o, const HChar* s);
void  gp_out_putc(GpOut* o, HChar c);
/* Flushes and closes; returns 0 or the first errno seen. */
Int   gp_out_close(GpOut* o);
/* For memory sinks: the text collected so far (NUL-terminated). */
const HChar* gp_out_mem_text(GpOut* o);

/* ---- formatting --------------------------------------------------------
   All return pointers into a small ring of static buffers, so several can be
   used in one printf call. */
const HChar* gp_fmt_num(ULong n);               /* 1,234,567 */
const HChar* gp_fmt_pct(ULong part, ULong whole); /* 12.34% */
const HChar* gp_fmt_bytes(ULong n);             /* 1.23 MB / 512 B */
const HChar* gp_fmt_ratio(ULong num, ULong den, UInt decimals); /* 1.23 */

/* "SIGSEGV" etc. (the core's VG_(signame) is not part of the tool API). */
const HChar* gp_signame(Int sig);

/* "No such file or directory" etc. for the errors file writes can meet. */
const HChar* gp_strerror(Int err);

/* The path the kernel gives for descriptor fd (/proc/self/fd/<fd>: "/a/b",
   "pipe:[123]", ...), in buf; False if it has none. */
Bool gp_fd_path(Int fd, HChar* buf, SizeT size);

/* Shell-style wildcard match with '*' and '?', as Callgrind's patterns. */
Bool gp_wildcard_match(const HChar* pat, const HChar* s);

/* Fatal tool error with a message naming what went wrong (never used for
   client-caused conditions). */
#define gp_assert(x) tl_assert(x)

#endif
