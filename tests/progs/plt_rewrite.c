// cflags: -O2 -g
/* plt_rewrite.c -- a program that rewrites the GOT slot behind one of its
   PLT stubs after using it, as hooking libraries do: the same call site
   calls strtol through the stub n times, then, with the slot pointed at
   strtoul, m times more.  Each call must be booked to the function that
   really ran (glprof keeps the function a slot led to and relies on the
   callee's entry test to notice a change).  main calls strtol once
   first, so that the loop's call is translated after the stub and its
   slot are known: it gets a direct exit past the stub (--direct-jumps),
   guarded by the slot's value, which the rewrite must make fail. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

extern ElfW(Dyn) _DYNAMIC[];

static int first_object(struct dl_phdr_info* info, size_t size, void* data)
{
   (void)size;
   *(ElfW(Addr)*)data = info->dlpi_addr;
   return 1;                    /* the first object is the program */
}

/* The address of the GOT slot the PLT stub of 'name' jumps through. */
static void** got_slot(const char* name)
{
   ElfW(Addr) base = 0, jmprel = 0, symtab = 0, strtab = 0;
   size_t relsz = 0, i;
   ElfW(Dyn)* d;
   dl_iterate_phdr(first_object, &base);
   for (d = _DYNAMIC; d->d_tag != DT_NULL; d++) {
      if (d->d_tag == DT_JMPREL) jmprel = d->d_un.d_ptr;
      else if (d->d_tag == DT_PLTRELSZ) relsz = d->d_un.d_val;
      else if (d->d_tag == DT_SYMTAB) symtab = d->d_un.d_ptr;
      else if (d->d_tag == DT_STRTAB) strtab = d->d_un.d_ptr;
   }
   /* the loader relocates these entries in place on most targets */
   if (jmprel < base) jmprel += base;
   if (symtab < base) symtab += base;
   if (strtab < base) strtab += base;
   for (i = 0; i < relsz / sizeof(ElfW(Rela)); i++) {
      const ElfW(Rela)* r = (const ElfW(Rela)*)jmprel + i;
      const ElfW(Sym)* s = (const ElfW(Sym)*)symtab + ELF64_R_SYM(r->r_info);
      if (strcmp((const char*)strtab + s->st_name, name) == 0)
         return (void**)(base + r->r_offset);
   }
   return NULL;
}

static char buf[32] = "12345";

/* Not a tail call: the call goes through the stub with a call
   instruction. */
__attribute__((noinline)) long convert(void)
{
   return strtol(buf, NULL, 10) + 1;
}

__attribute__((noinline)) long run(long n)
{
   long i, s = 0;
   for (i = 0; i < n; i++) {
      buf[0] = (char)('1' + (i & 7));
      s += convert();
   }
   return s;
}

int main(int argc, char** argv)
{
   long n = argc > 1 ? atol(argv[1]) : 3000;
   long m = argc > 2 ? atol(argv[2]) : 2000;
   long s = strtol("7", NULL, 10);
   s += run(n);
   void** slot = got_slot("strtol");
   long pg = sysconf(_SC_PAGESIZE);
   void* to = dlsym(RTLD_DEFAULT, "strtoul");
   if (!slot || !to) {
      fprintf(stderr, "plt_rewrite: no GOT slot for strtol\n");
      return 2;
   }
   /* the slot may be read-only after relocation (full RELRO) */
   if (mprotect((void*)((unsigned long)slot & ~(unsigned long)(pg - 1)), (size_t)pg,
                PROT_READ | PROT_WRITE) != 0) {
      perror("plt_rewrite: mprotect");
      return 2;
   }
   *slot = to;
   s += run(m);
   printf("%ld\n", s);
   return 0;
}
