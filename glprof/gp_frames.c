/* gp_frames.c -- source locations and interned stacks (see gp_frames.h). */

#include "gp_frames.h"
#include "gp_callstack.h"
#include "gp_elfdebug.h"
#include "gp_io_site.h"
#include "gp_options.h"
#include "gp_threads.h"
#include "gp_util.h"

static GpFrameLoc** loc_tab;
static UWord        loc_mask;
static XArray*      all_locs;          /* GpFrameLoc* */
static GpStack**    stack_tab;
static UWord        stack_mask;
static UWord        n_stacks;
static const HChar* unknown;

GpFrameLoc** gp_frames_sorted;
UInt         gp_frames_n_sorted;

/* ---- which objects' inline information is read -------------------------

   Reading the inlined calls of an object is part of loading its debug
   information, when it is mapped; for libc with its debug file installed
   it is most of glprof's start-up cost (0.06 to 0.08 s).  The program's
   own objects are read with it: allocation and leak stacks then show
   inlined frames as Memcheck's do, and I/O, lock and clock-read sites
   name the program's line that called code inlined from a header.  The
   runtime's objects (libc, libm, the loader, libpthread, the C++ runtime)
   are loaded without it unless --runtime-inline-info=yes: sites skip the
   runtime anyway, and in allocation stacks only frames inside the runtime
   lose their inlined callees (malloc called from fopen shows "fopen
   (iofopen.c:65)" where Memcheck adds "__fopen_internal"); the program's
   frames and the leak figures are the same.  The switch is the core's own
   flag, set before each file mapping (the tool's pre-syscall hook runs
   before the core loads debug information in the mmap wrapper) and set
   back after it.  The program and the loader are loaded by the core
   itself, together, before the program's first system call: when the
   program has no debug information (a distribution's binary), reading
   them with inline information would only pay for the loader's, so the
   flag is off until that first system call. */

/* Not in the tool headers, but part of the core every release since 3.10
   (m_options.c); the core sets it for its own tools only. */
extern Bool VG_(clo_read_inline_info);

static Bool inline_wanted;      /* the user did not say --read-inline-info=no */
static Bool startup_without;    /* off for the program and the loader */
static XArray* inline_skipped;  /* paths loaded without it (--stats=yes) */

void gp_frames_pre_clo_init(void)
{
   /* on unless the command line says otherwise */
   VG_(clo_read_inline_info) = True;
}

static Bool is_mmap(UInt sysno)
{
#if defined(__NR_mmap2)
   if (sysno == __NR_mmap2) return True;
#endif
   return sysno == __NR_mmap;
}

/* Remembers a path once (an object is mapped in several pieces). */
static void note_skipped(const HChar* path)
{
   const HChar* p = gp_intern(path);
   Word i, n = VG_(sizeXA)(inline_skipped);
   for (i = 0; i < n; i++)
      if (*(const HChar**)VG_(indexXA)(inline_skipped, i) == p) return;
   VG_(addToXA)(inline_skipped, &p);
}

/* The program's file, found as the core found it: a name with a '/' from
   the starting directory, a bare name along the client's PATH.  False if
   not found (a script's interpreter is then not checked). */
static Bool exe_path(HChar* buf, SizeT size)
{
   const HChar* name = VG_(args_the_exename);
   const HChar* p;
   struct vg_stat st;
   if (!name || !name[0]) return False;
   if (name[0] == '/') {
      if (VG_(strlen)(name) >= size) return False;
      VG_(strcpy)(buf, name);
      return True;
   }
   if (VG_(strchr)(name, '/')) {
      const HChar* wd = VG_(get_startup_wd)();
      if (!wd || VG_(strlen)(wd) + VG_(strlen)(name) + 2 > size) return False;
      VG_(sprintf)(buf, "%s/%s", wd, name);
      return True;
   }
   for (p = VG_(getenv)("PATH"); p && *p; ) {
      const HChar* end = VG_(strchr)(p, ':');
      SizeT dl = end ? (SizeT)(end - p) : VG_(strlen)(p);
      if (dl > 0 && dl + VG_(strlen)(name) + 2 <= size) {
         VG_(memcpy)(buf, p, dl);
         buf[dl] = '/';
         VG_(strcpy)(buf + dl + 1, name);
         if (buf[0] == '/' && !sr_isError(VG_(stat)(buf, &st))
             && VKI_S_ISREG(st.mode))
            return True;
      }
      p = end ? end + 1 : NULL;
   }
   return False;
}

/* The objects the core loaded at start-up, without inline information. */
static void startup_done(void)
{
   const DebugInfo* di;
   startup_without = False;
   VG_(clo_read_inline_info) = True;
   for (di = VG_(next_DebugInfo)(NULL); di; di = VG_(next_DebugInfo)(di))
      if (VG_(DebugInfo_get_filename)(di))
         note_skipped(VG_(DebugInfo_get_filename)(di));
}

void gp_frames_pre_syscall(UInt sysno, const UWord* args)
{
   HChar path[VKI_PATH_MAX + 1];
   Int fd;
   if (startup_without) startup_done();
   if (!inline_wanted || gp_clo.runtime_inline || !is_mmap(sysno)) return;
   fd = (Int)args[4];
   if (fd < 0) return;                     /* anonymous: no debug info */
   if (!gp_fd_path(fd, path, sizeof(path)) || !gp_site_path_is_runtime(path)) return;
   VG_(clo_read_inline_info) = False;
   note_skipped(path);
}

void gp_frames_print_stats(void)
{
   Word i, n = VG_(sizeXA)(inline_skipped);
   VG_(message)(Vg_DebugMsg, "glprof: objects loaded without inline information: %ld\n", n);
   for (i = 0; i < n; i++)
      VG_(message)(Vg_DebugMsg, "glprof:    %s\n",
                   *(const HChar**)VG_(indexXA)(inline_skipped, i));
}

void gp_frames_post_syscall(UInt sysno)
{
   if (inline_wanted && is_mmap(sysno)) VG_(clo_read_inline_info) = True;
}

void gp_frames_init(void)
{
   inline_wanted = VG_(clo_read_inline_info);
   inline_skipped = VG_(newXA)(VG_(malloc), GP_CC("frames.skip"), VG_(free),
                               sizeof(const HChar*));
   if (inline_wanted && !gp_clo.runtime_inline) {
      HChar exe[VKI_PATH_MAX];
      startup_without = exe_path(exe, sizeof(exe)) && !gp_elf_may_have_debug_info(exe);
   }
   if (startup_without) VG_(clo_read_inline_info) = False;
   loc_mask = 4095;
   loc_tab = VG_(calloc)(GP_CC("frames.tab"), loc_mask + 1, sizeof(GpFrameLoc*));
   stack_mask = 4095;
   stack_tab = VG_(calloc)(GP_CC("frames.stab"), stack_mask + 1, sizeof(GpStack*));
   all_locs = VG_(newXA)(VG_(malloc), GP_CC("frames.all"), VG_(free), sizeof(GpFrameLoc*));
   unknown = gp_intern("???");
}

static UWord loc_hash(const HChar* name, const HChar* file, UInt line, const GpObj* o)
{
   return gp_hash2(gp_hash2((UWord)name, (UWord)file), gp_hash2(line, (UWord)o));
}

static GpFrameLoc* loc_get(const HChar* name, const HChar* file, UInt line,
                           GpObj* obj, GpFn* fn)
{
   UWord h = loc_hash(name, file, line, obj) & loc_mask;
   GpFrameLoc* l;
   for (l = loc_tab[h]; l; l = l->hash_next)
      if (l->name == name && l->file == file && l->line == line && l->obj == obj)
         return l;
   if ((UWord)VG_(sizeXA)(all_locs) > loc_mask) {
      UWord ncap = (loc_mask + 1) * 2, i;
      GpFrameLoc** nt = VG_(calloc)(GP_CC("frames.tab"), ncap, sizeof(GpFrameLoc*));
      for (i = 0; i <= loc_mask; i++) {
         GpFrameLoc* x = loc_tab[i];
         while (x) {
            GpFrameLoc* nx = x->hash_next;
            UWord k = loc_hash(x->name, x->file, x->line, x->obj) & (ncap - 1);
            x->hash_next = nt[k];
            nt[k] = x;
            x = nx;
         }
      }
      VG_(free)(loc_tab);
      loc_tab = nt;
      loc_mask = ncap - 1;
      h = loc_hash(name, file, line, obj) & loc_mask;
   }
   l = VG_(malloc)(GP_CC("frames.loc"), sizeof(GpFrameLoc));
   l->name = name;
   l->file = file;
   l->line = line;
   l->obj = obj;
   l->fn = fn;
   l->out_id = -1;
   l->hash_next = loc_tab[h];
   loc_tab[h] = l;
   VG_(addToXA)(all_locs, &l);
   return l;
}

GpFrameLoc* gp_frame_at(Addr ip)
{
   DiEpoch ep = VG_(current_DiEpoch)();
   GpCodeKind kind;
   GpFn* fn = gp_fn_at(ip, &kind);
   const HChar *file = NULL, *dir = NULL, *path = NULL;
   UInt line = 0;
   if (VG_(get_filename_linenum)(ep, ip, &file, &dir, &line) && file && file[0]) {
      if (dir && dir[0] && file[0] != '/') {
         HChar* b = VG_(malloc)(GP_CC("frames.path"),
                                VG_(strlen)(dir) + VG_(strlen)(file) + 2);
         VG_(sprintf)(b, "%s/%s", dir, file);
         path = gp_intern(b);
         VG_(free)(b);
      } else {
         path = gp_intern(file);
      }
   } else {
      line = 0;
   }
   if (!fn)   /* a PLT stub */
      return loc_get(unknown, path, line, NULL, NULL);
   return loc_get(fn->name, path, line, fn->obj,
                  (fn->flags & GP_FN_NOSYM) ? NULL : fn);
}

/* The frames of one code address when it is inlined code: innermost first
   (the inlined function at the instruction's own line), then each caller at
   the line of its inlined call, down to the real function.  Valgrind only
   offers this as VG_(describe_IP) text ("0x...: name (file:line)"), so it is
   parsed here; --read-inline-info=yes is glprof's default (gp_main.c).  The
   innermost frame keeps gp_frame_at's full path and function identity. */
static UInt frames_of_ip(Addr ip, GpFrameLoc** out, UInt max)
{
   DiEpoch ep = VG_(current_DiEpoch)();
   InlIPCursor* iipc;
   UInt n = 0;
   Bool xml = VG_(clo_xml);
   if (max == 0) return 0;
   out[n++] = gp_frame_at(ip);
   iipc = VG_(new_IIPC)(ep, ip);
   if (!iipc) return n;
   VG_(clo_xml) = False;        /* the human-readable form is what we parse */
   while (VG_(next_IIPC)(iipc) && n < max) {
      const HChar* d = VG_(describe_IP)(ep, ip, iipc);
      const HChar* colon = VG_(strstr)(d, ": ");
      const HChar* name = colon ? colon + 2 : d;
      SizeT len = VG_(strlen)(name);
      const HChar *file = NULL, *open = NULL;
      UInt line = 0;
      /* the location is the last " (...)" */
      if (len > 2 && name[len - 1] == ')') {
         const HChar* q;
         for (q = name + len - 2; q > name; q--)
            if (q[0] == '(' && q[-1] == ' ') { open = q; break; }
      }
      if (open && VG_(strncmp)(open + 1, "in ", 3) != 0) {
         const HChar* c = NULL;
         const HChar* q;
         for (q = open + 1; q < name + len - 1; q++) if (*q == ':') c = q;
         if (c) {
            file = gp_intern_n(open + 1, c - open - 1);
            line = (UInt)VG_(strtoll10)(c + 1, NULL);
         }
      }
      {
         GpObj* obj = out[0]->obj;
         const HChar* nm = gp_intern_n(name, open ? (SizeT)(open - 1 - name) : len);
         out[n++] = loc_get(nm, file, line, obj, NULL);
      }
   }
   VG_(clo_xml) = xml;
   VG_(delete_IIPC)(iipc);
   /* gp_frame_at named the innermost frame after the real (outermost)
      function; with inlining, the innermost one is the inlined function:
      describe_IP's first level says which. */
   if (n > 1) {
      GpFrameLoc* inner = out[0];
      InlIPCursor* c2 = VG_(new_IIPC)(ep, ip);
      const HChar* d;
      VG_(clo_xml) = False;
      d = VG_(describe_IP)(ep, ip, c2);
      VG_(clo_xml) = xml;
      {
         const HChar* colon = VG_(strstr)(d, ": ");
         const HChar* nm = colon ? colon + 2 : d;
         const HChar* sp = VG_(strstr)(nm, " (");
         const HChar* last = NULL;
         for (; sp; sp = VG_(strstr)(sp + 1, " (")) last = sp;
         out[0] = loc_get(gp_intern_n(nm, last ? (SizeT)(last - nm) : VG_(strlen)(nm)),
                          inner->file, inner->line, inner->obj, NULL);
      }
      VG_(delete_IIPC)(c2);
      /* and the real function is the outermost level: give it its identity */
      out[n - 1] = loc_get(out[n - 1]->name, out[n - 1]->file, out[n - 1]->line,
                           inner->obj, inner->fn);
   }
   return n;
}

GpFrameLoc* gp_frame_loc(const HChar* name, const HChar* file, UInt line,
                         GpObj* obj, GpFn* fn)
{
   return loc_get(gp_intern(name ? name : "???"), file ? gp_intern(file) : NULL,
                  line, obj, fn);
}

static UWord stack_hash(GpFrameLoc* const* f, UInt n)
{
   UWord h = n;
   UInt i;
   for (i = 0; i < n; i++) h = gp_hash2(h, (UWord)f[i]);
   return h;
}

GpStack* gp_stack_from_ips(const Addr* ips, UInt n)
{
   GpFrameLoc* locs[256];
   UInt i, k = 0;
   UWord h;
   GpStack* s;
   for (i = 0; i < n && k < 256; i++) k += frames_of_ip(ips[i], locs + k, 256 - k);
   h = stack_hash(locs, k) & stack_mask;
   for (s = stack_tab[h]; s; s = s->hash_next)
      if (s->n == k && VG_(memcmp)(s->f, locs, k * sizeof(GpFrameLoc*)) == 0)
         return s;
   if (n_stacks > stack_mask) {
      UWord ncap = (stack_mask + 1) * 2, j;
      GpStack** nt = VG_(calloc)(GP_CC("frames.stab"), ncap, sizeof(GpStack*));
      for (j = 0; j <= stack_mask; j++) {
         GpStack* x = stack_tab[j];
         while (x) {
            GpStack* nx = x->hash_next;
            UWord q = stack_hash(x->f, x->n) & (ncap - 1);
            x->hash_next = nt[q];
            nt[q] = x;
            x = nx;
         }
      }
      VG_(free)(stack_tab);
      stack_tab = nt;
      stack_mask = ncap - 1;
      h = stack_hash(locs, k) & stack_mask;
   }
   s = VG_(malloc)(GP_CC("frames.stack"), sizeof(GpStack) + k * sizeof(GpFrameLoc*));
   s->n = k;
   VG_(memcpy)(s->f, locs, k * sizeof(GpFrameLoc*));
   s->hash_next = stack_tab[h];
   stack_tab[h] = s;
   n_stacks++;
   return s;
}

GpStack* gp_stack_here(ThreadId tid)
{
   Addr ips[256];
   UInt max = VG_(clo_backtrace_size), n;
   if (max > 256) max = 256;
   if (gp_clo.cpu && gp_thread_of(tid))
      n = gp_cs_stack_ips(gp_thread_of(tid), VG_(get_IP)(tid), ips, max);
   else
      n = VG_(get_StackTrace)(tid, ips, max, NULL, NULL, 0);
   return gp_stack_from_ips(ips, n);
}

/* ---- output numbering -------------------------------------------------- */

static Int str_cmp0(const HChar* a, const HChar* b)
{
   if (a == b) return 0;
   if (!a) return -1;
   if (!b) return 1;
   return VG_(strcmp)(a, b);
}

static Int loc_cmp(const void* pa, const void* pb)
{
   const GpFrameLoc* a = *(const GpFrameLoc* const*)pa;
   const GpFrameLoc* b = *(const GpFrameLoc* const*)pb;
   Int r = str_cmp0(a->name, b->name);
   if (r) return r;
   if ((r = str_cmp0(a->file, b->file))) return r;
   if (a->line != b->line) return a->line < b->line ? -1 : 1;
   return str_cmp0(a->obj ? a->obj->name : NULL, b->obj ? b->obj->name : NULL);
}

void gp_frames_reset_marks(void)
{
   Word i, n = all_locs ? VG_(sizeXA)(all_locs) : 0;
   for (i = 0; i < n; i++) (*(GpFrameLoc**)VG_(indexXA)(all_locs, i))->out_id = -1;
}

void gp_frames_mark(const GpStack* s)
{
   UInt i;
   for (i = 0; i < s->n; i++) s->f[i]->out_id = 0;
}

/* Numbers the marked frames in (name, file, line, object) order. */
void gp_frames_number(void)
{
   Word i, n = all_locs ? VG_(sizeXA)(all_locs) : 0, k = 0;
   GpFrameLoc** v = VG_(malloc)(GP_CC("frames.tmp"), (n + 1) * sizeof(GpFrameLoc*));
   for (i = 0; i < n; i++) {
      GpFrameLoc* l = *(GpFrameLoc**)VG_(indexXA)(all_locs, i);
      if (l->out_id >= 0) v[k++] = l;
   }
   VG_(ssort)(v, k, sizeof(GpFrameLoc*), loc_cmp);
   for (i = 0; i < k; i++) v[i]->out_id = (Int)i;
   if (gp_frames_sorted) VG_(free)(gp_frames_sorted);
   gp_frames_sorted = v;
   gp_frames_n_sorted = (UInt)k;
}
