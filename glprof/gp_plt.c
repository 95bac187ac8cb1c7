/* gp_plt.c -- PLT stub records (see gp_plt.h): learnt from the stub's IR
   at translation, forgotten when the translation goes, read by the call
   helper (gp_callstack.c). */

#include "gp_plt.h"
#include "gp_util.h"

UWord gp_plt_ahead;

static GpWordMap plts;         /* stub address -> GpPlt* */
static ULong n_bound, n_unbound;  /* --stats: calls given a direct exit past
                                    their stub, and not (translations) */
static ULong n_from_code;         /* --stats: stubs learnt from their code */

void gp_plt_init(void)
{
   gp_wmap_init(&plts, GP_CC("plt.map"), 1024);
}

GpPlt* gp_plt_rec(Addr stub)
{
   UWord* slot = gp_wmap_insert(&plts, stub);
   GpPlt* p = (GpPlt*)*slot;
   if (!p) {
      p = VG_(calloc)(GP_CC("plt.rec"), 1, sizeof(GpPlt));
      p->stub = stub;
      *slot = (UWord)p;
   }
   return p;
}

/* The constant address t was loaded from, if t = LOAD(constant). */
static Bool loaded_from_const(const IRSB* sb, Int first, IRTemp t, Addr* a)
{
   Int i;
   for (i = first; i < sb->stmts_used; i++) {
      const IRStmt* st = sb->stmts[i];
      const IRExpr* e;
      const IRConst* c;
      if (st->tag != Ist_WrTmp || st->Ist.WrTmp.tmp != t) continue;
      e = st->Ist.WrTmp.data;
      if (e->tag != Iex_Load || e->Iex.Load.addr->tag != Iex_Const) return False;
      c = e->Iex.Load.addr->Iex.Const.con;
      if (c->tag == Ico_U64) *a = (Addr)c->Ico.U64;
      else if (c->tag == Ico_U32) *a = (Addr)c->Ico.U32;
      else return False;
      return *a != 0 && e->Iex.Load.ty == (sizeof(Addr) == 8 ? Ity_I64 : Ity_I32);
   }
   return False;
}

Bool gp_plt_learn(Addr stub, const IRSB* sb, Int first, UInt n_instrs)
{
   Addr got;
   Int i;
   GpPlt* p;
   if (sb->jumpkind != Ijk_Boring || sb->next->tag != Iex_RdTmp || n_instrs == 0)
      return False;
   /* Every instruction must run once the stub is entered: no side exits
      (the helper counts them all ahead). */
   for (i = first; i < sb->stmts_used; i++)
      if (sb->stmts[i]->tag == Ist_Exit) return False;
   if (!loaded_from_const(sb, first, sb->next->Iex.RdTmp.tmp, &got)) return False;
   p = gp_plt_rec(stub);
   p->got = got;
   p->n_instrs = n_instrs;
   p->fn = NULL;
   return True;
}

/* The stub's slot and length read from its code, for a call translated
   before the stub itself (the first call to each stub: its translation
   would otherwise never get the direct exit past it).  Only the plain
   stub forms whose superblock VEX makes "load the slot, jump there" and
   nothing else, as gp_plt_learn would see it: on amd64 "jmp
   *disp32(%rip)", optionally after endbr64 and with a bnd prefix; on x86
   "jmp *abs32".  Elsewhere, and for any other form (x86's PIC stubs,
   which jump through %ebx), the stub's translation learns it. */
static Bool learn_from_code(GpPlt* p)
{
#if defined(VGA_amd64) || defined(VGA_x86)
   const UChar* c = (const UChar*)p->stub;
   UInt n = 0;
   Addr got;
   if (!VG_(am_is_valid_for_client)(p->stub, 11, VKI_PROT_READ | VKI_PROT_EXEC))
      return False;
#  if defined(VGA_amd64)
   if (c[0] == 0xF3 && c[1] == 0x0F && c[2] == 0x1E && c[3] == 0xFA) {  /* endbr64 */
      c += 4;
      n++;
   }
   if (c[0] == 0xF2) c++;                                             /* bnd */
   if (c[0] != 0xFF || c[1] != 0x25) return False;
   got = (Addr)(c + 6) + (Addr)(Long)(Int)(c[2] | (c[3] << 8) | (c[4] << 16)
                                         | ((UInt)c[5] << 24));
#  else
   if (c[0] != 0xFF || c[1] != 0x25) return False;
   got = (Addr)(c[2] | (c[3] << 8) | (c[4] << 16) | ((UInt)c[5] << 24));
#  endif
   if (got == 0 || !VG_(am_is_valid_for_client)(got, sizeof(Addr), VKI_PROT_READ))
      return False;
   p->got = got;
   p->n_instrs = n + 1;
   p->fn = NULL;
   n_from_code++;
   return True;
#else
   (void)p;
   return False;
#endif
}

Addr gp_plt_bound(GpPlt* p)
{
   Addr t;
   GpCodeKind k;
   if ((p->got == 0 || p->n_instrs == 0) && !learn_from_code(p))
      return 0;                                     /* not learnt yet */
   if (!VG_(am_is_valid_for_client)(p->got, sizeof(Addr), VKI_PROT_READ)) {
      n_unbound++;
      return 0;
   }
   t = *(const Addr*)p->got;
   if (t == 0 || !VG_(am_is_valid_for_client)(t, 1, VKI_PROT_EXEC)) {
      n_unbound++;
      return 0;
   }
   (void)gp_fn_at_code(t, &k);
   if (k == GP_CODE_PLT) {     /* lazy binding not done yet */
      n_unbound++;
      return 0;
   }
   n_bound++;
   return t;
}

void gp_plt_print_stats(void)
{
   VG_(message)(Vg_DebugMsg, "glprof: calls through a PLT stub given a direct exit past it: "
                "%'llu (translations; %'llu with the slot not bound yet; %'llu stubs "
                "read from their code)\n", n_bound, n_unbound, n_from_code);
}

void gp_plt_forget(Addr stub)
{
   UWord* slot = gp_wmap_find(&plts, stub);
   if (slot) {
      GpPlt* p = (GpPlt*)*slot;
      p->got = 0;
      p->fn = NULL;
   }
}
