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
#include "gp_callstack.h"
#include "gp_options.h"
#include "gp_threads.h"
#include "gp_util.h"

/* Deep enough for C++ streams (ostream::write -> filebuf -> ... -> write
   is about a dozen frames) and then some. */
#define GP_SITE_MAX_FRAMES 64

static GpWordMap ip_locs;        /* code address -> GpFrameLoc* */
static UInt      ip_epoch;       /* debug-info epoch ip_locs is valid for */
static GpWordMap obj_runtime;    /* GpObj* -> 1 runtime, 2 program */
static const HChar* below_main;  /* Valgrind's name for _start and
                                    __libc_start_main: start-up code */

void gp_site_init(void)
{
   gp_wmap_init(&ip_locs, GP_CC("site.ips"), 1024);
   gp_wmap_init(&obj_runtime, GP_CC("site.objs"), 64);
   ip_epoch = VG_(current_DiEpoch)().n;
   below_main = gp_intern("(below main)");
}

/* Object base names of the runtime: C library and loader, threads, the
   C++ and unwinding runtime, and Valgrind's own preloads.  A name matches
   a pattern with '*' wildcards. */
static const HChar* const runtime_objs[] = {
   "libc.so*", "libc-*.so", "libc.musl-*", "ld-linux*", "ld-*.so*", "ld64.so*",
   "ld-musl-*", "libpthread.so*", "libpthread-*.so", "librt.so*", "librt-*.so",
   "libdl.so*", "libdl-*.so", "libstdc++.so*", "libc++.so*", "libc++abi.so*",
   "libgcc_s.so*", "vgpreload_*",
};

/* 1 = runtime, 2 = the program's, 3 = one of Valgrind's preloads (also
   runtime), decided once per object. */
static UWord obj_class(const GpObj* o)
{
   UWord* v = gp_wmap_insert(&obj_runtime, (UWord)o);
   if (*v == 0) {
      const HChar* base = VG_(strrchr)(o->name, '/');
      UInt i;
      base = base ? base + 1 : o->name;
      /* "???": an address in no known object (a bogus frame of an
         unwind through code without unwind info) is no one's site */
      *v = VG_(strcmp)(o->name, "???") == 0 ? 1 : 2;
      for (i = 0; i < sizeof(runtime_objs) / sizeof(runtime_objs[0]); i++)
         if (gp_wildcard_match(runtime_objs[i], base)) { *v = 1; break; }
      if (VG_(strncmp)(base, "vgpreload_", 10) == 0) *v = 3;
   }
   return *v;
}

Bool gp_site_obj_is_runtime(const GpObj* o)
{
   return o && obj_class(o) != 2;
}

Bool gp_site_obj_is_loader(const GpObj* o)
{
   const HChar* base = VG_(strrchr)(o->name, '/');
   base = base ? base + 1 : o->name;
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

static Bool loc_is_runtime(const GpFrameLoc* l)
{
   /* Code without an object (a JIT, PLT stubs: obj NULL) counts as the
      program's only if it has a name; a PLT stub is part of the call.
      The start-up code linked into the program (_start) is runtime. */
   if (l->name == below_main) return True;
   if (!l->obj) return l->fn == NULL;
   return gp_site_obj_is_runtime(l->obj);
}

GpFrameLoc* gp_site_here(ThreadId tid, Bool* user, GpFrameLoc** inner)
{
   Addr ips[GP_SITE_MAX_FRAMES];
   UInt n, i;
   GpThread* t = gp_thread_of(tid);
   GpFrameLoc* caller = NULL;
   /* The thread stands just after the syscall or client-request
      instruction: step back into it so the line is the calling one. */
   Addr ip = VG_(get_IP)(tid) - 1;
   if (gp_clo.cpu && t && t->depth > 0)
      n = gp_cs_stack_ips(t, ip, ips, GP_SITE_MAX_FRAMES);
   else
      n = VG_(get_StackTrace)(tid, ips, GP_SITE_MAX_FRAMES, NULL, NULL, 0);
   if (n == 0) ips[n++] = ip;
   ips[0] = ip;
   *user = False;
   for (i = 0; i < n; i++) {
      GpFrameLoc* l = loc_of(ips[i]);
      /* the code that called: the first frame outside Valgrind's
         preloads (a lock wrapper's caller) */
      if (!caller && !(l->obj && obj_class(l->obj) == 3)) caller = l;
      if (!loc_is_runtime(l)) {
         *user = True;
         if (inner) *inner = caller;
         return l;
      }
   }
   if (!caller) caller = loc_of(ips[0]);
   if (inner) *inner = caller;
   return caller;
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
