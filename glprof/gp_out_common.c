/* gp_out_common.c -- names and self-cost positions shared by the
   exchange-format writers (see gp_out_common.h). */

#include "gp_out_common.h"
#include "gp_options.h"
#include "gp_frames.h"

/* ---- printable strings ------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if there is none
   (stray continuation bytes, overlong forms, surrogates, > U+10FFFF). */
static UInt utf8_len(const UChar* s)
{
   UChar c = s[0];
   UChar lo = 0x80, hi = 0xBF;
   UInt n, i;
   if (c < 0x80) return 1;
   if (c >= 0xC2 && c <= 0xDF) n = 2;
   else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
   } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
   } else {
      return 0;
   }
   if (s[1] < lo || s[1] > hi) return 0;
   for (i = 2; i < n; i++)
      if (s[i] < 0x80 || s[i] > 0xBF) return 0;
   return n;
}

/* A copy of s that every reader takes as one token of one line: control
   characters and invalid UTF-8 bytes become '?' (cg_annotate >= 3.21 reads
   its input as UTF-8 and stops on anything else), ';' becomes ':' in names
   (the folded format's frame separator; no real symbol has one), leading
   and trailing blanks go (readers strip them, and trailing blanks break
   speedscope's callgrind importer).  "???" for NULL or nothing left. */
static HChar* printable(const HChar* s, Bool is_name)
{
   SizeT n = s ? VG_(strlen)(s) : 0, i = 0, k = 0;
   HChar* r = VG_(malloc)(GP_CC("out.name"), n + 4);
   const UChar* u = (const UChar*)s;
   while (i < n) {
      UInt len = utf8_len(u + i);
      if (len == 0 || i + len > n) {
         r[k++] = '?';
         i++;
      } else if (len == 1) {
         HChar ch = s[i++];
         if ((UChar)ch < 0x20 || ch == 0x7f) ch = '?';
         else if (is_name && ch == ';') ch = ':';
         if (ch == ' ' && k == 0) continue;
         r[k++] = ch;
      } else {
         VG_(memcpy)(r + k, s + i, len);
         k += len;
         i += len;
      }
   }
   while (k > 0 && r[k - 1] == ' ') k--;
   if (k == 0) { VG_(strcpy)(r, "???"); return r; }
   r[k] = 0;
   return r;
}

const HChar* gp_out_path(GpOutCtx* c, const HChar* file)
{
   UWord* slot;
   HChar* pr;
   const HChar* r;
   if (!file) file = "???";
   file = gp_intern(file);
   slot = gp_wmap_insert(&c->paths, (UWord)file);
   if (*slot) return (const HChar*)*slot;
   pr = printable(file, False);
   r = gp_intern(pr);
   VG_(free)(pr);
   *slot = (UWord)r;
   return r;
}

const HChar* gp_out_fn_file(GpOutCtx* c, const GpFn* f)
{
   return gp_out_path(c, f->file);
}

/* ---- unique function names --------------------------------------------- */

static const HChar* base_name(const HChar* path)
{
   const HChar* s;
   if (!path) return "???";
   s = VG_(strrchr)(path, '/');
   return s && s[1] ? s + 1 : path;
}

static Int cmp_str_ptr(const void* a, const void* b)
{
   return VG_(strcmp)(*(const HChar* const*)a, *(const HChar* const*)b);
}

/* The disambiguating suffix of f at a level of detail (see
   disambiguate). */
static HChar* suffix_at(const GpFn* f, UInt level)
{
   const HChar* file = f->file ? f->file : "???";
   const HChar* obj = f->obj ? f->obj->name : "???";
   HChar* raw;
   HChar* r;
   SizeT n = VG_(strlen)(file) + VG_(strlen)(obj) + 48;
   raw = VG_(malloc)(GP_CC("out.name"), n);
   switch (level) {
   case 0:  VG_(snprintf)(raw, n, "%s", base_name(obj)); break;
   case 1:  VG_(snprintf)(raw, n, "%s", base_name(file)); break;
   case 2:  VG_(snprintf)(raw, n, "%s, %s", base_name(file), base_name(obj)); break;
   case 3:  VG_(snprintf)(raw, n, "%s, %s", file, obj); break;
   default: VG_(snprintf)(raw, n, "%s:%u, %s", file, f->line, obj); break;
   }
   r = printable(raw, True);
   VG_(free)(raw);
   return r;
}

static Bool all_distinct(HChar** s, UInt n)
{
   UInt i;
   HChar** tmp = VG_(malloc)(GP_CC("out.tmp"), n * sizeof(HChar*));
   Bool ok = True;
   VG_(memcpy)(tmp, s, n * sizeof(HChar*));
   VG_(ssort)(tmp, n, sizeof(HChar*), cmp_str_ptr);
   for (i = 1; i < n && ok; i++)
      if (VG_(strcmp)(tmp[i - 1], tmp[i]) == 0) ok = False;
   VG_(free)(tmp);
   return ok;
}

static HChar* join_name(const HChar* base, const HChar* suffix)
{
   SizeT n = VG_(strlen)(base) + VG_(strlen)(suffix) + 4;
   HChar* r = VG_(malloc)(GP_CC("out.name"), n);
   VG_(snprintf)(r, n, "%s [%s]", base, suffix);
   return r;
}

/* Functions ix[0..n) share one printable name: give each the least
   detailed suffix that tells all of them apart, the same kind of suffix
   for the whole group: the object ("memcpy [libc.so.6]" beside
   "memcpy [ld-linux-x86-64.so.2]"), else the source file ("helper [a.c]"
   beside "helper [b.c]"), else both, else full paths, else with the line. */
static void disambiguate(GpOutCtx* c, const UInt* ix, UInt n)
{
   HChar** suf = VG_(malloc)(GP_CC("out.tmp"), n * sizeof(HChar*));
   UInt level, i;
   for (level = 0; level <= 4; level++) {
      for (i = 0; i < n; i++) suf[i] = suffix_at(c->fns[ix[i]], level);
      if (level == 4 || all_distinct(suf, n)) break;
      for (i = 0; i < n; i++) VG_(free)(suf[i]);
   }
   for (i = 0; i < n; i++) {
      HChar* joined = join_name(c->names[ix[i]], suf[i]);
      VG_(free)(suf[i]);
      VG_(free)(c->names[ix[i]]);
      c->names[ix[i]] = joined;
   }
   VG_(free)(suf);
}

/* Sort of function ids by current name, then id (deterministic). */
static HChar** sort_names;
static Int cmp_by_name(const void* a, const void* b)
{
   UInt x = *(const UInt*)a, y = *(const UInt*)b;
   Int r = VG_(strcmp)(sort_names[x], sort_names[y]);
   if (r) return r;
   return x < y ? -1 : x > y;
}

static void sort_ids_by_name(GpOutCtx* c, UInt* ix, UInt n)
{
   UInt i;
   for (i = 0; i < n; i++) ix[i] = i;
   sort_names = c->names;
   VG_(ssort)(ix, n, sizeof(UInt), cmp_by_name);
   sort_names = NULL;
}

/* The functions to name: the profile's, then any a call path holds that
   is not one of them (a path kept only as the parent of others, e.g.
   after GLPROF_ZERO_STATS), so that every frame of every file has a
   unique name. */
static void collect_fns(GpOutCtx* c)
{
   const GpProfile* p = c->p;
   UInt i, cap = p->n_fns + 16;
   c->n_all = p->n_fns;
   c->fns = VG_(malloc)(GP_CC("out.names"), cap * sizeof(GpFn*));
   VG_(memcpy)(c->fns, p->fns, p->n_fns * sizeof(GpFn*));
   for (i = 0; i < p->n_paths; i++) {
      GpFn* f = p->paths[i].fn;
      UWord* slot;
      if (gp_out_has_fn(c, f)) continue;
      slot = gp_wmap_insert(&c->others, (UWord)f);
      if (*slot) continue;
      *slot = c->n_all + 1;
      if (c->n_all == cap) {
         cap *= 2;
         c->fns = VG_(realloc)(GP_CC("out.names"), c->fns, cap * sizeof(GpFn*));
      }
      c->fns[c->n_all++] = f;
   }
}

static void build_names(GpOutCtx* c)
{
   UInt n, i, j;
   UInt* ix;
   collect_fns(c);
   n = c->n_all;
   ix = VG_(malloc)(GP_CC("out.tmp"), (n + 1) * sizeof(UInt));
   c->names = VG_(malloc)(GP_CC("out.names"), (n + 1) * sizeof(HChar*));
   for (i = 0; i < n; i++) c->names[i] = printable(c->fns[i]->name, True);

   sort_ids_by_name(c, ix, n);
   for (i = 0; i < n; i = j) {
      for (j = i + 1; j < n; j++)
         if (VG_(strcmp)(c->names[ix[i]], c->names[ix[j]]) != 0) break;
      if (j - i > 1) disambiguate(c, ix + i, j - i);
   }

   /* A suffixed name could still meet a real name spelled the same way,
      or two functions differ in nothing we can print: number the later
      ones by their (deterministic) output id. */
   sort_ids_by_name(c, ix, n);
   for (i = 0; i < n; i = j) {
      for (j = i + 1; j < n; j++) {
         HChar* old = c->names[ix[j]];
         SizeT len = VG_(strlen)(old) + 16;
         HChar* r;
         if (VG_(strcmp)(c->names[ix[i]], old) != 0) break;
         r = VG_(malloc)(GP_CC("out.name"), len);
         VG_(snprintf)(r, len, "%s #%u", old, ix[j]);
         VG_(free)(old);
         c->names[ix[j]] = r;
      }
   }
   VG_(free)(ix);
}

const HChar* gp_out_name(GpOutCtx* c, const GpFn* f)
{
   UWord* slot;
   if (gp_out_has_fn(c, f)) return c->names[f->out_id];
   slot = gp_wmap_find(&c->others, (UWord)f);
   if (slot) return c->names[*slot - 1];
   /* not in any table of the profile: only its printable name */
   slot = gp_wmap_insert(&c->frame_names, (UWord)f);
   if (!*slot) {
      HChar* pr = printable(f->name, True);
      *slot = (UWord)gp_intern(pr);
      VG_(free)(pr);
   }
   return (const HChar*)*slot;
}

const HChar* gp_out_frame_name(GpOutCtx* c, const GpFrameLoc* l)
{
   UWord* slot;
   if (l->fn && gp_out_has_fn(c, l->fn)) return c->names[l->fn->out_id];
   slot = gp_wmap_insert(&c->frame_names, (UWord)l);
   if (!*slot) {
      HChar* pr = printable(l->name, True);
      *slot = (UWord)gp_intern(pr);
      VG_(free)(pr);
   }
   return (const HChar*)*slot;
}

/* ---- context ------------------------------------------------------------ */

void gp_outctx_init(GpOutCtx* c, const GpProfile* p)
{
   UInt i, li = 0;
   VG_(memset)(c, 0, sizeof(*c));
   c->p = p;
   gp_wmap_init(&c->paths, GP_CC("out.paths"), 256);
   gp_wmap_init(&c->others, GP_CC("out.paths"), 16);
   gp_wmap_init(&c->frame_names, GP_CC("out.paths"), 64);
   build_names(c);
   /* p->lines is sorted by function id: each function's lines are one run */
   c->line_start = VG_(malloc)(GP_CC("out.lines"), (p->n_fns + 1) * sizeof(UInt));
   for (i = 0; i < p->n_fns; i++) {
      while (li < p->n_lines && p->lines[li]->fn->out_id < i) li++;
      c->line_start[i] = li;
   }
   c->line_start[p->n_fns] = p->n_lines;
}

void gp_outctx_free(GpOutCtx* c)
{
   UInt i;
   for (i = 0; i < c->n_all; i++) VG_(free)(c->names[i]);
   VG_(free)(c->names);
   VG_(free)(c->fns);
   VG_(free)(c->line_start);
   gp_wmap_free(&c->paths);
   gp_wmap_free(&c->others);
   gp_wmap_free(&c->frame_names);
}

/* ---- self cost by position ---------------------------------------------- */

static const HChar* pos_own_file;   /* for pos_cmp: the function's file */

static Int pos_cmp(const void* pa, const void* pb)
{
   const GpOutPos* a = pa;
   const GpOutPos* b = pb;
   Bool ao = a->file == pos_own_file, bo = b->file == pos_own_file;
   Int r;
   if (ao != bo) return ao ? -1 : 1;
   if (a->file != b->file && (r = VG_(strcmp)(a->file, b->file))) return r;
   return a->line < b->line ? -1 : a->line > b->line;
}

static void add_pos(XArray* out, const HChar* file, UInt line, ULong ir)
{
   GpOutPos pos;
   if (ir == 0) return;
   pos.file = file;
   pos.line = line;
   pos.ir = ir;
   VG_(addToXA)(out, &pos);
}

void gp_out_fn_positions(GpOutCtx* c, const GpFn* f, XArray* out)
{
   const GpProfile* p = c->p;
   const HChar* own = gp_out_fn_file(c, f);
   Word first = VG_(sizeXA)(out), n, i, k;
   ULong left = f->self;
   UInt li;

   if (!gp_clo.lines) {
      add_pos(out, own, f->line, f->self);
      return;
   }
   /* The line counters count the code of f; self counts what ran while f
      was the top frame.  They differ a little (PLT stubs are charged to
      the caller; code with no line info has no counter; a block that runs
      on from one symbol into the next).  Lines come hottest first: each
      takes what it counted while self lasts, and the rest goes to line 0
      ("unknown"), so the positions always sum to self. */
   for (li = c->line_start[f->out_id]; li < c->line_start[f->out_id + 1]; li++) {
      const GpLine* l = p->lines[li];
      ULong take = l->ir < left ? l->ir : left;
      add_pos(out, gp_out_path(c, l->file), l->line, take);
      left -= take;
   }
   add_pos(out, own, 0, left);

   /* sort this function's positions and merge equal ones */
   n = VG_(sizeXA)(out) - first;
   if (n < 2) return;
   pos_own_file = own;
   VG_(ssort)(VG_(indexXA)(out, first), n, sizeof(GpOutPos), pos_cmp);
   pos_own_file = NULL;
   k = first;
   for (i = first + 1; i < first + n; i++) {
      GpOutPos* a = VG_(indexXA)(out, k);
      GpOutPos* b = VG_(indexXA)(out, i);
      if (a->file == b->file && a->line == b->line) {
         a->ir += b->ir;
      } else {
         k++;
         if (k != i) *(GpOutPos*)VG_(indexXA)(out, k) = *b;
      }
   }
   VG_(dropTailXA)(out, first + n - (k + 1));
}
