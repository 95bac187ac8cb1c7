/* gp_elfdebug.c -- does an ELF file have debug information (see
   gp_elfdebug.h).  Only the section headers, their names and two small
   sections (the build-id note, the debuglink name) are read; the debug
   file names are the ones the core tries (m_debuginfo/readelf.c). */

#include "gp_elfdebug.h"
#include "gp_util.h"

#define GP_SHT_NOBITS 8
#define GP_MAX_SECTIONS 4096
#define GP_MAX_SHSTRTAB (256 * 1024)

typedef struct {
   Int  fd;
   Bool is64;
   Bool le;        /* little-endian */
} Elf;

static Bool read_at(Int fd, Off64T off, void* buf, Int n)
{
   if (VG_(lseek)(fd, off, VKI_SEEK_SET) != off) return False;
   return VG_(read)(fd, buf, n) == n;
}

/* An n-byte field in the file's byte order. */
static ULong field(const Elf* e, const UChar* p, Int n)
{
   ULong v = 0;
   Int i;
   for (i = 0; i < n; i++) v |= (ULong)p[e->le ? i : n - 1 - i] << (8 * i);
   return v;
}

static Bool exists(const HChar* path)
{
   struct vg_stat st;
   return !sr_isError(VG_(stat)(path, &st));
}

/* The build-id note's debug file: /usr/lib/debug/.build-id/ab/cdef....debug */
static Bool build_id_file_exists(const Elf* e, const UChar* note, ULong size)
{
   HChar path[64 + 2 * 64];
   ULong namesz, descsz, i;
   Int n;
   if (size < 12) return False;
   namesz = field(e, note, 4);
   descsz = field(e, note + 4, 4);
   if (field(e, note + 8, 4) != 3 /* NT_GNU_BUILD_ID */ || descsz == 0 || descsz > 64
       || 12 + ((namesz + 3) & ~3ULL) + descsz > size)
      return False;
   note += 12 + ((namesz + 3) & ~3ULL);
   n = VG_(sprintf)(path, "/usr/lib/debug/.build-id/%02x/", (UInt)note[0]);
   for (i = 1; i < descsz; i++) n += VG_(sprintf)(path + n, "%02x", (UInt)note[i]);
   VG_(strcpy)(path + n, ".debug");
   return exists(path);
}

/* The .gnu_debuglink file, where the core looks for it: beside the
   object, in .debug/ there, under /usr/lib/debug/<the object's dir>. */
static Bool debuglink_file_exists(const HChar* obj, const HChar* name)
{
   HChar dir[VKI_PATH_MAX];
   HChar path[2 * VKI_PATH_MAX + 32];
   const HChar* slash = VG_(strrchr)(obj, '/');
   SizeT dl = slash ? (SizeT)(slash - obj) : 0;
   if (dl >= sizeof(dir) || VG_(strlen)(name) >= VKI_PATH_MAX) return True;
   VG_(memcpy)(dir, obj, dl);
   dir[dl] = 0;
   VG_(sprintf)(path, "%s/%s", dl ? dir : ".", name);
   if (exists(path)) return True;
   VG_(sprintf)(path, "%s/.debug/%s", dl ? dir : ".", name);
   if (exists(path)) return True;
   if (obj[0] != '/') return True;       /* can't say where the core looks */
   VG_(sprintf)(path, "/usr/lib/debug%s/%s", dir, name);
   return exists(path);
}

/* A section's contents (at most max bytes), malloc'd; NULL if unreadable. */
static UChar* section(const Elf* e, ULong off, ULong size, ULong max)
{
   UChar* buf;
   if (size == 0 || size > max) return NULL;
   buf = VG_(malloc)(GP_CC("elfdebug.sect"), size + 1);
   if (!read_at(e->fd, (Off64T)off, buf, (Int)size)) {
      VG_(free)(buf);
      return NULL;
   }
   buf[size] = 0;
   return buf;
}

static Bool user_named_other_places(void)
{
   Word i;
   for (i = 0; i < VG_(sizeXA)(VG_(args_for_valgrind)); i++) {
      const HChar* a = *(const HChar**)VG_(indexXA)(VG_(args_for_valgrind), i);
      if (VG_(strncmp)(a, "--extra-debuginfo-path", 22) == 0
          || VG_(strncmp)(a, "--debuginfo-server", 18) == 0)
         return True;
   }
   return False;
}

static Bool scan(Elf* e, const HChar* path)
{
   UChar eh[64];
   UChar* shdrs = NULL;
   UChar* names = NULL;
   ULong shoff, shentsize, shnum, shstrndx, i;
   Bool found = True;     /* unless proved otherwise */

   if (!read_at(e->fd, 0, eh, sizeof(eh)) || eh[0] != 0x7F || eh[1] != 'E'
       || eh[2] != 'L' || eh[3] != 'F' || (eh[4] != 1 && eh[4] != 2)
       || (eh[5] != 1 && eh[5] != 2))
      return True;
   e->is64 = eh[4] == 2;
   e->le = eh[5] == 1;
   shoff     = e->is64 ? field(e, eh + 0x28, 8) : field(e, eh + 0x20, 4);
   shentsize = field(e, eh + (e->is64 ? 0x3A : 0x2E), 2);
   shnum     = field(e, eh + (e->is64 ? 0x3C : 0x30), 2);
   shstrndx  = field(e, eh + (e->is64 ? 0x3E : 0x32), 2);
   if (shoff == 0 || shnum == 0 || shnum > GP_MAX_SECTIONS || shstrndx >= shnum
       || shentsize != (e->is64 ? 64 : 40))
      return True;
   shdrs = section(e, shoff, shnum * shentsize, GP_MAX_SECTIONS * 64);
   if (!shdrs) return True;
#define SH(i)      (shdrs + (i) * shentsize)
#define SH_NAME(p) field(e, (p), 4)
#define SH_TYPE(p) field(e, (p) + 4, 4)
#define SH_OFF(p)  (e->is64 ? field(e, (p) + 0x18, 8) : field(e, (p) + 0x10, 4))
#define SH_SIZE(p) (e->is64 ? field(e, (p) + 0x20, 8) : field(e, (p) + 0x14, 4))
   names = section(e, SH_OFF(SH(shstrndx)), SH_SIZE(SH(shstrndx)), GP_MAX_SHSTRTAB);
   if (!names) goto out;
   found = False;
   for (i = 0; i < shnum && !found; i++) {
      const UChar* s = SH(i);
      ULong nm = SH_NAME(s);
      const HChar* name;
      if (nm >= SH_SIZE(SH(shstrndx))) continue;
      name = (const HChar*)names + nm;
      if (VG_(strcmp)(name, ".debug_info") == 0 || VG_(strcmp)(name, ".zdebug_info") == 0
          || VG_(strcmp)(name, ".debug_line") == 0) {
         found = SH_TYPE(s) != GP_SHT_NOBITS && SH_SIZE(s) > 0;
      } else if (VG_(strcmp)(name, ".note.gnu.build-id") == 0) {
         UChar* note = section(e, SH_OFF(s), SH_SIZE(s), 4096);
         if (note) {
            found = build_id_file_exists(e, note, SH_SIZE(s));
            VG_(free)(note);
         }
      } else if (VG_(strcmp)(name, ".gnu_debuglink") == 0) {
         UChar* link = section(e, SH_OFF(s), SH_SIZE(s), VKI_PATH_MAX);
         found = !link || debuglink_file_exists(path, (const HChar*)link);
         if (link) VG_(free)(link);
      }
   }
#undef SH
#undef SH_NAME
#undef SH_TYPE
#undef SH_OFF
#undef SH_SIZE
  out:
   if (names) VG_(free)(names);
   VG_(free)(shdrs);
   return found;
}

Bool gp_elf_may_have_debug_info(const HChar* path)
{
   SysRes r;
   Elf e;
   Bool found;
   if (!path || user_named_other_places()) return True;
   r = VG_(open)(path, VKI_O_RDONLY, 0);
   if (sr_isError(r)) return True;
   e.fd = (Int)sr_Res(r);
   found = scan(&e, path);
   VG_(close)(e.fd);
   return found;
}
