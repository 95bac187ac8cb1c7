/* gp_fn.c -- resolves code addresses to objects, functions and source lines
   (at translation time, through Valgrind's debug info) and keeps those
   identities for the whole run.  Functions are identified by
   (object, demangled name, source file), so a library loaded twice, or a
   function translated many times, is one function. */

#include "gp_fn.h"
#include "gp_util.h"
#include "gp_options.h"
#include "gp_control.h"

static XArray* all_fns;          /* GpFn*, creation order */
static XArray* all_lines;        /* GpLine*, creation order */
static XArray* all_objs;         /* GpObj* */

static GpFn**   fn_tab;          /* hash on (obj, name, file) */
static UWord    fn_mask;
static GpLine** line_tab;        /* hash on (fn, file, line) */
static UWord    line_mask;
static GpWordMap obj_map;        /* interned name -> GpObj* */

static const HChar* unknown_str;

void gp_fn_init(void)
{
   all_fns   = VG_(newXA)(VG_(malloc), GP_CC("fn.all"), VG_(free), sizeof(GpFn*));
   all_lines = VG_(newXA)(VG_(malloc), GP_CC("fn.lines"), VG_(free), sizeof(GpLine*));
   all_objs  = VG_(newXA)(VG_(malloc), GP_CC("fn.objs"), VG_(free), sizeof(GpObj*));
   fn_mask = 4095;
   fn_tab = VG_(calloc)(GP_CC("fn.tab"), fn_mask + 1, sizeof(GpFn*));
   line_mask = 16383;
   line_tab = VG_(calloc)(GP_CC("fn.ltab"), line_mask + 1, sizeof(GpLine*));
   gp_wmap_init(&obj_map, GP_CC("fn.objmap"), 64);
   unknown_str = gp_intern("???");
}

static GpObj* obj_get(const HChar* name)
{
   const HChar* iname = gp_intern(name && name[0] ? name : "???");
   UWord* slot = gp_wmap_insert(&obj_map, (UWord)iname);
   if (*slot == 0) {
      GpObj* o = VG_(malloc)(GP_CC("fn.obj"), sizeof(GpObj));
      o->name = iname;
      o->id = (UInt)VG_(sizeXA)(all_objs);
      VG_(addToXA)(all_objs, &o);
      *slot = (UWord)o;
   }
   return (GpObj*)*slot;
}

/* ---- function table ---------------------------------------------------- */

static UWord fn_hash(const GpObj* obj, const HChar* name, const HChar* file)
{
   return gp_hash2(gp_hash2((UWord)obj, (UWord)name), (UWord)file);
}

static void fn_tab_grow(void)
{
   UWord ncap = (fn_mask + 1) * 2, i;
   GpFn** nt = VG_(calloc)(GP_CC("fn.tab"), ncap, sizeof(GpFn*));
   for (i = 0; i <= fn_mask; i++) {
      GpFn* f = fn_tab[i];
      while (f) {
         GpFn* nx = f->hash_next;
         UWord h = fn_hash(f->obj, f->name, f->file) & (ncap - 1);
         f->hash_next = nt[h];
         nt[h] = f;
         f = nx;
      }
   }
   VG_(free)(fn_tab);
   fn_tab = nt;
   fn_mask = ncap - 1;
}

/* name, file: interned.  line/flags only used when the function is new. */
static GpFn* fn_get(GpObj* obj, const HChar* name, const HChar* file,
                    UInt line, UInt flags)
{
   UWord h = fn_hash(obj, name, file) & fn_mask;
   GpFn* f;
   for (f = fn_tab[h]; f; f = f->hash_next)
      if (f->obj == obj && f->name == name && f->file == file)
         return f;
   if ((UWord)VG_(sizeXA)(all_fns) > fn_mask) {
      fn_tab_grow();
      h = fn_hash(obj, name, file) & fn_mask;
   }
   /* never freed; aligned so the call stack's fields share a cache line */
   f = VG_(perm_malloc)(sizeof(GpFn), 64);
   VG_(memset)(f, 0, sizeof(GpFn));
   f->name = name;
   f->file = file;
   f->line = line;
   f->obj = obj;
   f->flags = flags;
   f->id = (UInt)VG_(sizeXA)(all_fns);
   /* The lazy-binding resolver ends by jumping to the function it bound;
      that jump stands for the call the program made (Callgrind treats it
      the same way, "pop on jump"). */
   if (VG_(strncmp)(name, "_dl_runtime_resolve", 19) == 0)
      f->flags |= GP_FN_POP_ON_JUMP;
   if (!(flags & GP_FN_PSEUDO)) f->flags |= gp_control_fn_flags(name);
   f->hash_next = fn_tab[h];
   fn_tab[h] = f;
   VG_(addToXA)(all_fns, &f);
   return f;
}

GpFn* gp_fn_pseudo(const HChar* name)
{
   return fn_get(obj_get("???"), gp_intern(name), NULL, 0, GP_FN_PSEUDO);
}

/* Splits "name+123" (VG_(get_fnname_w_offset)) into name and offset.  The
   offset suffix is only ever decimal digits after the last '+'/'-'; names
   may contain '+' themselves (C++ operator+). */
static const HChar* split_offset(const HChar* s, PtrdiffT* off)
{
   SizeT n = VG_(strlen)(s), i = n;
   while (i > 0 && s[i-1] >= '0' && s[i-1] <= '9') i--;
   *off = 0;
   if (i < n && i > 1 && (s[i-1] == '+' || s[i-1] == '-')) {
      PtrdiffT v = (PtrdiffT)VG_(strtoll10)(s + i, NULL);
      *off = s[i-1] == '-' ? -v : v;
      return gp_intern_n(s, i - 1);
   }
   return gp_intern(s);
}

/* dir/file as one interned path.  With --lines=yes it is asked for every
   instruction translated, with the same two strings again and again: the
   debug information's own string pointers, which stay valid while its
   epoch lasts (loading or unloading code starts a new one).  A small
   cache of pointer pairs, emptied when the epoch changes, skips the
   copying and hashing. */
#define PATH_CACHE 64
static struct { const HChar* dir; const HChar* file; const HChar* path; }
   path_cache[PATH_CACHE];
static UInt path_cache_epoch;

static const HChar* full_path(DiEpoch ep, const HChar* dir, const HChar* file)
{
   HChar* buf;
   const HChar* r;
   SizeT dl, fl;
   UWord h;
   if (!file || !file[0]) return NULL;
   if (ep.n != path_cache_epoch) {
      VG_(memset)(path_cache, 0, sizeof(path_cache));
      path_cache_epoch = ep.n;
   }
   h = gp_hash2((UWord)dir, (UWord)file) % PATH_CACHE;
   if (path_cache[h].file == file && path_cache[h].dir == dir)
      return path_cache[h].path;
   if (!dir || !dir[0] || file[0] == '/') {
      r = gp_intern(file);
   } else {
      dl = VG_(strlen)(dir);
      fl = VG_(strlen)(file);
      buf = VG_(malloc)(GP_CC("fn.path"), dl + fl + 2);
      VG_(memcpy)(buf, dir, dl);
      buf[dl] = '/';
      VG_(memcpy)(buf + dl + 1, file, fl + 1);
      r = gp_intern(buf);
      VG_(free)(buf);
   }
   path_cache[h].dir = dir;
   path_cache[h].file = file;
   path_cache[h].path = r;
   return r;
}

/* "0x" and a in lower-case hex, as "0x%lx" prints it (VG_(snprintf) is
   slow for the many superblocks of a stripped library). */
static void hex_name(HChar* buf, Addr a)
{
   HChar digits[2 * sizeof(Addr)];
   Int n = 0, i = 0;
   do {
      digits[n++] = "0123456789abcdef"[a & 15];
      a >>= 4;
   } while (a);
   buf[i++] = '0';
   buf[i++] = 'x';
   while (n > 0) buf[i++] = digits[--n];
   buf[i] = 0;
}

static GpFn* fn_at(Addr a, GpCodeKind* kind, Bool name_nosym)
{
   DiEpoch ep = VG_(current_DiEpoch)();
   const HChar* nm;
   const HChar* objname = NULL;
   VgSectKind sk = VG_(DebugInfo_sect_kind)(&objname, a);

   if (sk == Vg_SectPLT) {
      *kind = GP_CODE_PLT;
      return NULL;
   }
   if (VG_(get_fnname_w_offset)(ep, a, &nm)) {
      PtrdiffT off;
      const HChar* name = split_offset(nm, &off);
      const HChar *file = NULL, *dir = NULL, *ipath = NULL;
      UInt line = 0;
      Addr entry = a - off;
      if (!VG_(get_objname)(ep, a, &objname)) objname = NULL;
      GpObj* obj = obj_get(objname);
      if (VG_(get_filename_linenum)(ep, entry, &file, &dir, &line))
         ipath = full_path(ep, dir, file);
      else
         line = 0;
      *kind = off == 0 ? GP_CODE_ENTRY : GP_CODE_BODY;
      return fn_get(obj, name, ipath, line, 0);
   }

   /* No symbol: name the code by its link-time address inside its object,
      so the name is the same in every run (no load addresses). */
   {
      HChar buf[40];
      const DebugInfo* di;
      Addr shown;
      *kind = GP_CODE_NOSYM;
      if (!name_nosym) return NULL;
      di = VG_(find_DebugInfo)(ep, a);
      shown = di ? a - VG_(DebugInfo_get_text_bias)(di) : a;
      if (!VG_(get_objname)(ep, a, &objname)) objname = NULL;
      hex_name(buf, shown);
      return fn_get(obj_get(objname), gp_intern(buf), NULL, 0, GP_FN_NOSYM);
   }
}

GpFn* gp_fn_at(Addr a, GpCodeKind* kind) { return fn_at(a, kind, True); }
GpFn* gp_fn_at_code(Addr a, GpCodeKind* kind) { return fn_at(a, kind, False); }

/* ---- lines ------------------------------------------------------------ */

static UWord line_hash(const GpFn* fn, const HChar* file, UInt line)
{
   return gp_hash2(gp_hash2((UWord)fn, (UWord)file), line);
}

static void line_tab_grow(void)
{
   UWord ncap = (line_mask + 1) * 2, i;
   GpLine** nt = VG_(calloc)(GP_CC("fn.ltab"), ncap, sizeof(GpLine*));
   for (i = 0; i <= line_mask; i++) {
      GpLine* l = line_tab[i];
      while (l) {
         GpLine* nx = l->hash_next;
         UWord h = line_hash(l->fn, l->file, l->line) & (ncap - 1);
         l->hash_next = nt[h];
         nt[h] = l;
         l = nx;
      }
   }
   VG_(free)(line_tab);
   line_tab = nt;
   line_mask = ncap - 1;
}

/* Line records live as long as the run: carved from chunks, so each costs
   its 40 bytes and not an allocation's rounding and header as well (a
   program with a million functions has several million of them). */
static GpLine* line_alloc(void)
{
   static GpLine* chunk;
   static UInt    left;
   if (left == 0) {
      left = 4096;
      chunk = VG_(malloc)(GP_CC("fn.line"), left * sizeof(GpLine));
   }
   left--;
   return chunk++;
}

const HChar* gp_src_at(Addr a, UInt* line)
{
   DiEpoch ep = VG_(current_DiEpoch)();
   const HChar *file = NULL, *dir = NULL, *path = NULL;
   *line = 0;
   if (VG_(get_filename_linenum)(ep, a, &file, &dir, line))
      path = full_path(ep, dir, file);
   if (!path) *line = 0;
   return path;
}

GpLine* gp_line_at(GpFn* fn, Addr a)
{
   DiEpoch ep = VG_(current_DiEpoch)();
   const HChar *file = NULL, *dir = NULL, *ipath;
   UInt line = 0;
   UWord h;
   GpLine* l;

   if (VG_(get_filename_linenum)(ep, a, &file, &dir, &line))
      ipath = full_path(ep, dir, file);
   else
      ipath = NULL;
   if (!ipath) { ipath = unknown_str; line = 0; }

   h = line_hash(fn, ipath, line) & line_mask;
   for (l = line_tab[h]; l; l = l->hash_next)
      if (l->fn == fn && l->file == ipath && l->line == line)
         return l;
   if ((UWord)VG_(sizeXA)(all_lines) > line_mask) {
      line_tab_grow();
      h = line_hash(fn, ipath, line) & line_mask;
   }
   l = line_alloc();
   l->fn = fn;
   l->file = ipath;
   l->line = line;
   l->id = (UInt)VG_(sizeXA)(all_lines);
   l->ir = 0;
   l->hash_next = line_tab[h];
   line_tab[h] = l;
   VG_(addToXA)(all_lines, &l);
   return l;
}

Bool gp_line_known(const GpLine* l) { return l->file != unknown_str; }

/* ---- iteration and reset --------------------------------------------- */

UInt gp_fn_count(void) { return all_fns ? (UInt)VG_(sizeXA)(all_fns) : 0; }

GpFn* gp_fn_by_index(UInt i)
{
   return *(GpFn**)VG_(indexXA)(all_fns, i);
}

UInt gp_line_count(void) { return all_lines ? (UInt)VG_(sizeXA)(all_lines) : 0; }

GpLine* gp_line_by_index(UInt i)
{
   return *(GpLine**)VG_(indexXA)(all_lines, i);
}

void gp_fn_zero(void)
{
   UInt i, n = gp_fn_count();
   for (i = 0; i < n; i++) {
      GpFn* f = gp_fn_by_index(i);
      f->self = f->incl = f->calls = 0;
   }
   n = gp_line_count();
   for (i = 0; i < n; i++) gp_line_by_index(i)->ir = 0;
}

Bool gp_fn_is_preload(const GpFn* fn)
{
   return VG_(strncmp)(gp_base_name(fn->obj->name), "vgpreload_", 10) == 0;
}

Bool gp_fn_is_allocator_code(Addr a)
{
   DiEpoch ep = VG_(current_DiEpoch)();
   const HChar* obj = NULL;
   const HChar* file = NULL;
   const HChar* name = NULL;
   if (!VG_(get_objname)(ep, a, &obj) || !obj
       || VG_(strncmp)(gp_base_name(obj), "vgpreload_glprof", 16) != 0)
      return False;
   /* Valgrind's replacement library is built without line information;
      glprof's own preload code has it (and, stripped, is named exit) */
   if (VG_(get_filename)(ep, a, &file) && file)
      return VG_(strcmp)(gp_base_name(file), "gp_heap_preload.c") != 0;
   return !(VG_(get_fnname)(ep, a, &name) && name && VG_(strcmp)(name, "exit") == 0);
}
