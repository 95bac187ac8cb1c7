/* gp_io_site.c -- finds the program's own frame behind an event (see
   gp_io_site.h).

   The stack comes from glprof's shadow stack when call tracking is on (no
   unwinding, exact even without frame pointers), else from Valgrind's
   unwinder.  Each code address is resolved once to a source location and
   cached; the cache is dropped whenever Valgrind's debug-info epoch moves
   (a library was loaded or unloaded), so an address reused by another
   library is never resolved with stale information.  Whether an object is
   runtime code is decided once per object, from its file name. */

#include "gp_io_site.h"
#include "gp_io.h"
#include "gp_callstack.h"
#include "gp_options.h"
#include "gp_threads.h"
#include "gp_util.h"

/* Deep enough for C++ streams (ostream::write -> filebuf -> ... -> write
   is about a dozen frames) and then some. */
#define GP_SITE_MAX_FRAMES 64

static GpWordMap ip_locs;        /* code address -> GpFrameLoc* */
static UInt      ip_epoch;       /* debug-info epoch ip_locs is valid for */
static GpWordMap obj_runtime;    /* GpObj* -> class (obj_class) */
static GpWordMap site_locs;      /* code address -> its site's GpFrameLoc*
                                    (the outer inline level) */
static UInt      site_epoch;
static const HChar* below_main;  /* Valgrind's name for _start and
                                    __libc_start_main: start-up code */

void gp_site_init(void)
{
   gp_wmap_init(&ip_locs, GP_CC("site.ips"), 1024);
   gp_wmap_init(&obj_runtime, GP_CC("site.objs"), 64);
   gp_wmap_init(&site_locs, GP_CC("site.ips"), 256);
   ip_epoch = VG_(current_DiEpoch)().n;
   below_main = gp_intern("(below main)");
}

/* Object base names of the runtime (a name matches a pattern with '*'
   wildcards): first the C runtime -- C library, loader, threads, maths --,
   then the C++ and unwinding runtime and Valgrind's own preloads. */
static const HChar* const c_runtime_objs[] = {
   "libc.so*", "libc-*.so", "libc.musl-*", "ld-linux*", "ld-*.so*", "ld64.so*",
   "ld-musl-*", "libpthread.so*", "libpthread-*.so", "librt.so*", "librt-*.so",
   "libdl.so*", "libdl-*.so", "libm.so*", "libm-*.so",
};
static const HChar* const other_runtime_objs[] = {
   "libstdc++.so*", "libc++.so*", "libc++abi.so*", "libgcc_s.so*", "vgpreload_*",
};

static Bool matches_any(const HChar* const* pats, UInt n, const HChar* base)
{
   UInt i;
   for (i = 0; i < n; i++)
      if (gp_wildcard_match(pats[i], base)) return True;
   return False;
}

/* 1 = runtime, 2 = the program's, 3 = one of Valgrind's preloads (also
   runtime), 4 = the C runtime (also runtime); decided once per object. */
#define OBJ_RUNTIME   1
#define OBJ_PROGRAM   2
#define OBJ_PRELOAD   3
#define OBJ_C_RUNTIME 4

/* The class of an object from its file's base name. */
static UWord class_of_base(const HChar* base)
{
   if (VG_(strncmp)(base, "vgpreload_", 10) == 0)
      return OBJ_PRELOAD;
   if (matches_any(c_runtime_objs, sizeof(c_runtime_objs) / sizeof(c_runtime_objs[0]), base))
      return OBJ_C_RUNTIME;
   if (matches_any(other_runtime_objs,
                   sizeof(other_runtime_objs) / sizeof(other_runtime_objs[0]), base)
       /* "???": an address in no known object (a bogus frame of an
          unwind through code without unwind info) is no one's site */
       || VG_(strcmp)(base, "???") == 0)
      return OBJ_RUNTIME;
   return OBJ_PROGRAM;
}

static UWord obj_class(const GpObj* o)
{
   UWord* v = gp_wmap_insert(&obj_runtime, (UWord)o);
   if (*v == 0) *v = class_of_base(gp_base_name(o->name));
   return *v;
}

Bool gp_site_path_is_runtime(const HChar* path)
{
   return class_of_base(gp_base_name(path)) != OBJ_PROGRAM;
}

Bool gp_site_obj_is_runtime(const GpObj* o)
{
   return o && obj_class(o) != OBJ_PROGRAM;
}

Bool gp_site_obj_is_c_runtime(const GpObj* o)
{
   return o && obj_class(o) == OBJ_C_RUNTIME;
}

Bool gp_site_obj_is_loader(const GpObj* o)
{
   const HChar* base = gp_base_name(o->name);
   return gp_wildcard_match("ld-linux*", base) || gp_wildcard_match("ld-*.so*", base)
          || gp_wildcard_match("ld64.so*", base) || gp_wildcard_match("ld-musl-*", base);
}

static GpFrameLoc* loc_of(Addr ip)
{
   UWord* v;
   UInt ep = VG_(current_DiEpoch)().n;
   if (ep != ip_epoch) {
      gp_wmap_clear(&ip_locs);
      ip_epoch = ep;
   }
   v = gp_wmap_insert(&ip_locs, ip ? ip : 1);
   if (*v == 0) *v = (UWord)gp_frame_at(ip);
   return (GpFrameLoc*)*v;
}

/* Code inlined from another file (a C++ header: std::mutex::lock,
   operator<<) is the program's, but its line is the header's.  The site is
   the line of the call in the function it was inlined into: the outermost
   level of Valgrind's description of the inlined calls at ip
   ("0x...: work() (cxx.cpp:7)"; the human-readable form, also under
   --xml=yes).  Kept as is without inline information. */
static GpFrameLoc* outer_inline_level(Addr ip, GpFrameLoc* l)
{
   DiEpoch ep = VG_(current_DiEpoch)();
   InlIPCursor* iipc;
   HChar last[512];
   const HChar *open, *colon, *fbase, *base;
   SizeT n;
   UInt line = 0;
   Bool xml = VG_(clo_xml);
   if (!l->fn || !l->fn->file || l->file == l->fn->file) return l;
   iipc = VG_(new_IIPC)(ep, ip);
   if (!iipc) return l;
   last[0] = 0;
   VG_(clo_xml) = False;
   do {
      const HChar* d = VG_(describe_IP)(ep, ip, iipc);
      n = VG_(strlen)(d);
      if (n >= sizeof(last)) n = sizeof(last) - 1;
      VG_(memcpy)(last, d, n);
      last[n] = 0;
   } while (VG_(next_IIPC)(iipc));
   VG_(clo_xml) = xml;
   VG_(delete_IIPC)(iipc);
   /* "... (dir/file.c:12)": the file's base name and the line */
   n = VG_(strlen)(last);
   if (n < 4 || last[n - 1] != ')') return l;
   open = VG_(strrchr)(last, '(');
   colon = VG_(strrchr)(last, ':');
   if (!open || !colon || colon < open) return l;
   line = (UInt)VG_(strtoll10)(colon + 1, NULL);
   last[colon - last] = 0;
   fbase = VG_(strrchr)(open, '/');
   fbase = fbase ? fbase + 1 : open + 1;
   base = VG_(strrchr)(l->fn->file, '/');
   base = base ? base + 1 : l->fn->file;
   /* only when the outer level is the function's own file */
   if (line == 0 || VG_(strcmp)(fbase, base) != 0) return l;
   return gp_frame_loc(l->name, l->fn->file, line, l->obj, l->fn);
}


static GpFrameLoc* site_of(Addr ip, GpFrameLoc* l)
{
   UWord* v;
   UInt ep = VG_(current_DiEpoch)().n;
   if (l->file == (l->fn ? l->fn->file : l->file)) return l;
   if (ep != site_epoch) {
      gp_wmap_clear(&site_locs);
      site_epoch = ep;
   }
   v = gp_wmap_insert(&site_locs, ip ? ip : 1);
   if (*v == 0) *v = (UWord)outer_inline_level(ip, l);
   return (GpFrameLoc*)*v;
}

static Bool is_system_source(const HChar* file)
{
   return VG_(strncmp)(file, "/usr/include/", 13) == 0
          || VG_(strncmp)(file, "/usr/lib/gcc/", 13) == 0;
}

static Bool loc_is_runtime(const GpFrameLoc* l)
{
   /* Code without an object (a JIT, PLT stubs: obj NULL) counts as the
      program's only if it has a name; a PLT stub is part of the call.
      The start-up code linked into the program (_start) is runtime. */
   if (l->name == below_main) return True;
   if (!l->obj) return l->fn == NULL;
   /* Standard-library templates instantiated in the program's object
      (std::vector<std::thread>::_M_realloc_insert) are runtime code too:
      the site is the program's line that used them. */
   if (l->fn && l->fn->file && is_system_source(l->fn->file)) return True;
   return gp_site_obj_is_runtime(l->obj);
}

/* The site among the stack ips[0..n): the innermost frame of the
   program's own code; *inner the innermost one outside Valgrind's
   preloads. */
static GpFrameLoc* site_among(const Addr* ips, UInt n, Bool* user,
                              GpFrameLoc** inner)
{
   GpFrameLoc* caller = NULL;
   UInt i;
   *user = False;
   for (i = 0; i < n; i++) {
      GpFrameLoc* l = loc_of(ips[i]);
      if (!caller && !(l->obj && obj_class(l->obj) == OBJ_PRELOAD)) caller = l;
      if (!loc_is_runtime(l)) {
         *user = True;
         if (inner) *inner = caller;
         return site_of(ips[i], l);
      }
   }
   if (!caller) caller = loc_of(ips[0]);
   if (inner) *inner = caller;
   return caller;
}

/* tid's stack from code address ip: the shadow stack's call sites, or
   Valgrind's unwinder without it (--cpu=no). */
static UInt stack_here(ThreadId tid, Addr ip, Addr* ips)
{
   GpThread* t = gp_thread_of(tid);
   UInt n;
   if (gp_clo.cpu && t && t->depth > 0)
      n = gp_cs_stack_ips(t, ip, ips, GP_SITE_MAX_FRAMES);
   else
      n = VG_(get_StackTrace)(tid, ips, GP_SITE_MAX_FRAMES, NULL, NULL, 0);
   if (n == 0) ips[n++] = ip;
   ips[0] = ip;
   return n;
}

GpFrameLoc* gp_site_here(ThreadId tid, Bool* user, GpFrameLoc** inner)
{
   Addr ips[GP_SITE_MAX_FRAMES];
   /* The thread stands just after the syscall or client-request
      instruction: step back into it so the line is the calling one. */
   UInt n = stack_here(tid, VG_(get_IP)(tid) - 1, ips);
   return site_among(ips, n, user, inner);
}

GpFrameLoc* gp_site_at_entry(ThreadId tid, Bool* user, GpFrameLoc** inner)
{
   Addr ips[GP_SITE_MAX_FRAMES];
   /* ips[0] is the called function's first instruction: the call is its
      caller's (the next frame), so *inner is the code that called. */
   UInt n = stack_here(tid, VG_(get_IP)(tid), ips);
   if (n > 1) return site_among(ips + 1, n - 1, user, inner);
   return site_among(ips, n, user, inner);
}

void gp_site_mark(GpFrameLoc* l)
{
   if (l) l->out_id = 0;
}

static Int str_cmp0(const HChar* a, const HChar* b)
{
   if (a == b) return 0;
   if (!a) return -1;
   if (!b) return 1;
   return VG_(strcmp)(a, b);
}

Int gp_site_loc_cmp(const GpFrameLoc* a, const GpFrameLoc* b)
{
   Int r;
   if (a == b) return 0;
   if (!a) return -1;
   if (!b) return 1;
   if ((r = str_cmp0(a->name, b->name))) return r;
   if ((r = str_cmp0(a->file, b->file))) return r;
   if (a->line != b->line) return a->line < b->line ? -1 : 1;
   return str_cmp0(a->obj ? a->obj->name : NULL, b->obj ? b->obj->name : NULL);
}

