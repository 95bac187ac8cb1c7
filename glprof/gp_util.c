/* gp_util.c -- containers and formatting shared by all of glprof (see
   gp_util.h).  Kept free of profile knowledge so every concern can use it. */

#include "gp_util.h"

UWord gp_hash_str(const HChar* s)
{
   /* FNV-1a */
   UWord h = (UWord)1469598103934665603ULL;
   for (; *s; s++) {
      h ^= (UChar)*s;
      h *= (UWord)1099511628211ULL;
   }
   return h;
}

/* ---------------------------------------------------------------------- */
/* word map                                                                */
/* ---------------------------------------------------------------------- */

void gp_wmap_init(GpWordMap* m, const HChar* cc, UWord initial)
{
   UWord cap = 16;
   while (cap < initial * 2) cap *= 2;
   m->cc = cc;
   m->mask = cap - 1;
   m->used = 0;
   m->keys = VG_(calloc)(cc, cap, sizeof(UWord));
   m->vals = VG_(calloc)(cc, cap, sizeof(UWord));
}

void gp_wmap_free(GpWordMap* m)
{
   if (m->keys) VG_(free)(m->keys);
   if (m->vals) VG_(free)(m->vals);
   m->keys = m->vals = NULL;
   m->used = 0;
}

void gp_wmap_clear(GpWordMap* m)
{
   VG_(memset)(m->keys, 0, (m->mask + 1) * sizeof(UWord));
   m->used = 0;
}

UWord* gp_wmap_find(GpWordMap* m, UWord key)
{
   UWord i = gp_hash_word(key) & m->mask;
   for (;;) {
      UWord k = m->keys[i];
      if (k == key) return &m->vals[i];
      if (k == 0) return NULL;
      i = (i + 1) & m->mask;
   }
}

static void wmap_grow(GpWordMap* m)
{
   UWord  oldcap = m->mask + 1, i;
   UWord* ok = m->keys;
   UWord* ov = m->vals;
   gp_wmap_init(m, m->cc, oldcap);   /* doubles: init sizes for 2x */
   for (i = 0; i < oldcap; i++)
      if (ok[i]) *gp_wmap_insert(m, ok[i]) = ov[i];
   VG_(free)(ok);
   VG_(free)(ov);
}

UWord* gp_wmap_insert(GpWordMap* m, UWord key)
{
   UWord i;
   gp_assert(key != 0);
   if ((m->used + 1) * 4 > (m->mask + 1) * 3) wmap_grow(m);
   i = gp_hash_word(key) & m->mask;
   for (;;) {
      UWord k = m->keys[i];
      if (k == key) return &m->vals[i];
      if (k == 0) {
         m->keys[i] = key;
         m->vals[i] = 0;
         m->used++;
         return &m->vals[i];
      }
      i = (i + 1) & m->mask;
   }
}

void gp_wmap_remove(GpWordMap* m, UWord key)
{
   UWord i = gp_hash_word(key) & m->mask, j;
   for (;;) {
      if (m->keys[i] == key) break;
      if (m->keys[i] == 0) return;
      i = (i + 1) & m->mask;
   }
   /* Backward-shift deletion: move later members of the probe run back. */
   j = i;
   for (;;) {
      UWord home;
      j = (j + 1) & m->mask;
      if (m->keys[j] == 0) break;
      home = gp_hash_word(m->keys[j]) & m->mask;
      /* Can entry j move to slot i?  Only if its home is not in (i, j]. */
      if ((i <= j) ? (home <= i || home > j) : (home <= i && home > j)) {
         m->keys[i] = m->keys[j];
         m->vals[i] = m->vals[j];
         i = j;
      }
   }
   m->keys[i] = 0;
   m->vals[i] = 0;
   m->used--;
}

/* ---------------------------------------------------------------------- */
/* interning                                                               */
/* ---------------------------------------------------------------------- */

typedef struct InternEnt {
   struct InternEnt* next;
   UWord hash;
   HChar str[0];
} InternEnt;

static InternEnt** intern_tab;
static UWord intern_mask, intern_used;

static void intern_grow(void)
{
   UWord ncap = intern_tab ? (intern_mask + 1) * 2 : 4096, i;
   InternEnt** nt = VG_(calloc)(GP_CC("intern"), ncap, sizeof(InternEnt*));
   if (intern_tab) {
      for (i = 0; i <= intern_mask; i++) {
         InternEnt* e = intern_tab[i];
         while (e) {
            InternEnt* nx = e->next;
            e->next = nt[e->hash & (ncap - 1)];
            nt[e->hash & (ncap - 1)] = e;
            e = nx;
         }
      }
      VG_(free)(intern_tab);
   }
   intern_tab = nt;
   intern_mask = ncap - 1;
}

const HChar* gp_intern_n(const HChar* s, SizeT n)
{
   UWord h = (UWord)1469598103934665603ULL;
   SizeT i;
   InternEnt* e;
   for (i = 0; i < n; i++) {
      h ^= (UChar)s[i];
      h *= (UWord)1099511628211ULL;
   }
   if (!intern_tab || intern_used * 2 > intern_mask) intern_grow();
   for (e = intern_tab[h & intern_mask]; e; e = e->next)
      if (e->hash == h && VG_(strncmp)(e->str, s, n) == 0 && e->str[n] == 0)
         return e->str;
   e = VG_(malloc)(GP_CC("intern"), sizeof(InternEnt) + n + 1);
   e->hash = h;
   VG_(memcpy)(e->str, s, n);
   e->str[n] = 0;
   e->next = intern_tab[h & intern_mask];
   intern_tab[h & intern_mask] = e;
   intern_used++;
   return e->str;
}

const HChar* gp_intern(const HChar* s)
{
   return gp_intern_n(s, VG_(strlen)(s));
}

/* ---------------------------------------------------------------------- */
/* output sink                                                             */
/* ---------------------------------------------------------------------- */

#define GP_OUT_BUFSZ (64 * 1024)

Bool gp_out_open(GpOut* o, const HChar* path, Int* err)
{
   SysRes r;
   VG_(memset)(o, 0, sizeof(*o));
   o->path = path;
   r = VG_(open)(path, VKI_O_CREAT | VKI_O_TRUNC | VKI_O_WRONLY,
                 VKI_S_IRUSR | VKI_S_IWUSR | VKI_S_IRGRP | VKI_S_IROTH);
   if (sr_isError(r)) {
      *err = (Int)sr_Err(r);
      o->fd = -1;
      return False;
   }
   o->fd = (Int)sr_Res(r);
   o->buf = VG_(malloc)(GP_CC("out"), GP_OUT_BUFSZ);
   return True;
}

void gp_out_open_mem(GpOut* o)
{
   VG_(memset)(o, 0, sizeof(*o));
   o->fd = -1;
   o->mem = VG_(newXA)(VG_(malloc), GP_CC("out.mem"), VG_(free), 1);
}

static void out_flush(GpOut* o)
{
   UInt off = 0;
   if (o->mem || o->len == 0) return;
   while (off < o->len && o->err == 0) {
      Int n = VG_(write)(o->fd, o->buf + off, o->len - off);
      if (n < 0) { o->err = -n; break; }
      if (n == 0) { o->err = VKI_EIO; break; }
      off += n;
   }
   o->written += o->len;
   o->len = 0;
}

void gp_out_write(GpOut* o, const HChar* s, SizeT n)
{
   if (o->mem) {
      VG_(addBytesToXA)(o->mem, s, n);
      o->written += n;
      return;
   }
   if (o->fd < 0 || o->err) return;
   while (n > 0) {
      SizeT room = GP_OUT_BUFSZ - o->len;
      SizeT k = n < room ? n : room;
      VG_(memcpy)(o->buf + o->len, s, k);
      o->len += k;
      s += k;
      n -= k;
      if (o->len == GP_OUT_BUFSZ) out_flush(o);
   }
}

void gp_out_putc(GpOut* o, HChar c)
{
   if (!o->mem && o->fd >= 0 && o->len < GP_OUT_BUFSZ) {
      o->buf[o->len++] = c;
      if (o->len == GP_OUT_BUFSZ) out_flush(o);
      return;
   }
   gp_out_write(o, &c, 1);
}

void gp_out_puts(GpOut* o, const HChar* s)
{
   gp_out_write(o, s, VG_(strlen)(s));
}

static void out_sink(HChar c, void* opaque)
{
   gp_out_putc((GpOut*)opaque, c);
}

void gp_out_printf(GpOut* o, const HChar* fmt, ...)
{
   va_list vargs;
   va_start(vargs, fmt);
   VG_(vcbprintf)(out_sink, o, fmt, vargs);
   va_end(vargs);
}

Int gp_out_close(GpOut* o)
{
   Int err;
   if (o->mem) {
      VG_(deleteXA)(o->mem);
      o->mem = NULL;
      return 0;
   }
   if (o->fd >= 0) {
      out_flush(o);
      VG_(close)(o->fd);
      o->fd = -1;
   }
   if (o->buf) VG_(free)(o->buf);
   o->buf = NULL;
   err = o->err;
   return err;
}

const HChar* gp_out_mem_text(GpOut* o)
{
   HChar z = 0;
   gp_assert(o->mem);
   VG_(addBytesToXA)(o->mem, &z, 1);
   VG_(dropTailXA)(o->mem, 1);
   return (const HChar*)VG_(indexXA)(o->mem, 0);
}

/* ---------------------------------------------------------------------- */
/* formatting                                                              */
/* ---------------------------------------------------------------------- */

#define FMT_RING 16
#define FMT_SZ   48
static HChar fmt_ring[FMT_RING][FMT_SZ];
static UInt  fmt_next;

static HChar* fmt_buf(void)
{
   HChar* b = fmt_ring[fmt_next];
   fmt_next = (fmt_next + 1) % FMT_RING;
   return b;
}

const HChar* gp_fmt_num(ULong n)
{
   HChar* b = fmt_buf();
   VG_(snprintf)(b, FMT_SZ, "%'llu", n);
   return b;
}

const HChar* gp_fmt_ratio(ULong num, ULong den, UInt decimals)
{
   HChar* b = fmt_buf();
   ULong scale = 1, whole, frac;
   UInt i;
   for (i = 0; i < decimals; i++) scale *= 10;
   if (den == 0) { VG_(snprintf)(b, FMT_SZ, "-"); return b; }
   /* Round half up in integer arithmetic; no floating point in the tool's
      formatting keeps output identical everywhere. */
   whole = num / den;
   frac = ((num % den) * scale * 2 + den) / (2 * den);
   if (frac >= scale) { whole++; frac -= scale; }
   if (decimals == 0)
      VG_(snprintf)(b, FMT_SZ, "%llu", whole);
   else
      VG_(snprintf)(b, FMT_SZ, "%llu.%0*llu", whole, (Int)decimals, frac);
   return b;
}

const HChar* gp_fmt_pct(ULong part, ULong whole)
{
   HChar* b = fmt_buf();
   if (whole == 0) { VG_(snprintf)(b, FMT_SZ, "0.00%%"); return b; }
   /* part*10000 may overflow for huge counts; scale both down first. */
   while (part > (ULong)1 << 48) { part >>= 1; whole >>= 1; }
   VG_(snprintf)(b, FMT_SZ, "%s%%", gp_fmt_ratio(part * 100, whole, 2));
   return b;
}

const HChar* gp_fmt_bytes(ULong n)
{
   HChar* b = fmt_buf();
   static const HChar* units[] = { "KB", "MB", "GB", "TB" };
   ULong scale = 1000;
   Int u = 0;
   if (n < 1000) { VG_(snprintf)(b, FMT_SZ, "%llu B", n); return b; }
   while (u < 3 && n >= scale * 1000) { scale *= 1000; u++; }
   VG_(snprintf)(b, FMT_SZ, "%s %s", gp_fmt_ratio(n, scale, 2), units[u]);
   return b;
}

Bool gp_fd_path(Int fd, HChar* buf, SizeT size)
{
   HChar proc[48];
   SSizeT n;
   VG_(snprintf)(proc, sizeof(proc), "/proc/self/fd/%d", fd);
   n = VG_(readlink)(proc, buf, size - 1);
   if (n <= 0) return False;
   buf[n] = 0;
   return True;
}

/* VG_(string_match)'s language ('*' any run, '?' any one character, the
   whole string), matched in one pass that backs up only to the last '*':
   the findings match every function against a few dozen patterns, which
   the core's recursive matcher made a measurable part of the end of a
   run. */
Bool gp_wildcard_match(const HChar* pat, const HChar* s)
{
   const HChar* star = NULL;     /* the last '*' seen in pat ... */
   const HChar* resume = NULL;   /* ... and where in s its run ends now */
   while (*s) {
      if (*pat == '*') {
         star = pat++;
         resume = s;
      } else if (*pat != 0 && (*pat == '?' || *pat == *s)) {
         pat++;
         s++;
      } else if (star) {
         pat = star + 1;         /* the '*' takes one more character */
         s = ++resume;
      } else {
         return False;
      }
   }
   while (*pat == '*') pat++;
   return *pat == 0;
}

const HChar* gp_strerror(Int err)
{
   static HChar buf[32];
   switch (err) {
   case VKI_EPERM:        return "Operation not permitted";
   case VKI_ENOENT:       return "No such file or directory";
   case VKI_EIO:          return "Input/output error";
   case VKI_EACCES:       return "Permission denied";
   case VKI_EEXIST:       return "File exists";
   case VKI_ENOTDIR:      return "Not a directory";
   case VKI_EISDIR:       return "Is a directory";
   case VKI_EMFILE:       return "Too many open files";
   case VKI_EFBIG:        return "File too large";
   case VKI_ENOSPC:       return "No space left on device";
   case VKI_EROFS:        return "Read-only file system";
   case 36:               return "File name too long";      /* ENAMETOOLONG */
   case VKI_ELOOP:        return "Too many levels of symbolic links";
   case 122:              return "Disk quota exceeded";     /* EDQUOT */
   default:
      VG_(snprintf)(buf, sizeof(buf), "error %d", err);
      return buf;
   }
}

const HChar* gp_signame(Int sig)
{
   static HChar buf[16];
   switch (sig) {
   case VKI_SIGHUP:  return "SIGHUP";   case VKI_SIGINT:  return "SIGINT";
   case VKI_SIGQUIT: return "SIGQUIT";  case VKI_SIGILL:  return "SIGILL";
   case VKI_SIGTRAP: return "SIGTRAP";  case VKI_SIGABRT: return "SIGABRT";
   case VKI_SIGBUS:  return "SIGBUS";   case VKI_SIGFPE:  return "SIGFPE";
   case VKI_SIGKILL: return "SIGKILL";  case VKI_SIGUSR1: return "SIGUSR1";
   case VKI_SIGSEGV: return "SIGSEGV";  case VKI_SIGUSR2: return "SIGUSR2";
   case VKI_SIGPIPE: return "SIGPIPE";  case VKI_SIGALRM: return "SIGALRM";
   case VKI_SIGTERM: return "SIGTERM";  case VKI_SIGCHLD: return "SIGCHLD";
   case VKI_SIGXCPU: return "SIGXCPU";  case VKI_SIGXFSZ: return "SIGXFSZ";
   case VKI_SIGSYS:  return "SIGSYS";
   default:
      VG_(snprintf)(buf, sizeof(buf), "signal %d", sig);
      return buf;
   }
}
