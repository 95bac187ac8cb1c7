/* gp_predict.c -- guessed direct exits for indirect jumps (see
   gp_predict.h).

   Finding the target at translation time: a superblock is translated for
   the thread about to run it, so the guest's registers and memory hold
   what the superblock will start from.  The IR (flat, after VEX's first
   optimisation) is evaluated on them, as far as it can be with no
   guessing: register reads (or the value a Put of the same register
   stored before), memory reads at known, readable addresses (or the value
   an earlier Store of the same size left there), and integer arithmetic.
   A return loads its target from "SP + k", a PLT stub from its GOT slot,
   a virtual call from "object's vtable + k": all of these evaluate.  A
   value that depends on a helper call, a floating-point operation or an
   address not known is not guessed, and the superblock keeps its plain
   indirect end.

   A guess for the first run is the whole guess: the superblock is not
   retranslated when the target changes.  For lazily bound PLT slots, whose
   first target is the stub's own resolver path, no guess is made. */

#include "gp_predict.h"
#include "gp_fn.h"
#include "gp_options.h"
#include "pub_tool_machine.h"

static ULong n_guessed[3], n_unguessed;

void gp_predict_print_stats(void)
{
   VG_(message)(Vg_DebugMsg, "glprof: direct exits guessed for indirect jumps: returns %'llu, "
                "calls %'llu, jumps %'llu (translations; %'llu without a guess)\n",
                n_guessed[0], n_guessed[1], n_guessed[2], n_unguessed);
}

/* A value known at translation time, or not. */
typedef struct { Bool known; ULong v; } Val;

static const Val unknown = { False, 0 };

/* The superblock's temporaries, and what it stored to registers and
   memory so far (later entries win; a few dozen at most). */
typedef struct { Long off; Int size; Val v; } Written;

#define MAX_WRITTEN 64

typedef struct {
   ThreadId tid;
   const IRTypeEnv* tyenv;
   Val*     tmp;
   Written  regs[MAX_WRITTEN];
   Int      n_regs;
   Bool     regs_lost;      /* a write not followed (dirty helper, PutI) */
   Written  mem[MAX_WRITTEN];
   Int      n_mem;
   Bool     mem_lost;       /* a store to an address not known */
} Eval;

static Val*  tmp_buf;
static Int   tmp_cap;

static Val known(ULong v) { Val r = { True, v }; return r; }

static ULong mask_of(Int size)
{
   return size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

/* Integer types only; 0 for anything else. */
static Int int_size(IRType ty)
{
   switch (ty) {
   case Ity_I8: return 1;
   case Ity_I16: return 2;
   case Ity_I32: return 4;
   case Ity_I64: return 8;
   default: return 0;
   }
}

static void note_write(Written* w, Int* n, Bool* lost, Long off, Int size, Val v)
{
   if (*n == MAX_WRITTEN) { *lost = True; return; }
   w[*n].off = off;
   w[*n].size = size;
   w[*n].v = v;
   (*n)++;
}

/* The latest write overlapping [off, off+size): its value if it is the
   same range, unknown if it only overlaps; found = False if none. */
static Val last_write(const Written* w, Int n, Long off, Int size, Bool* found)
{
   Int i;
   for (i = n - 1; i >= 0; i--) {
      if (w[i].off < off + size && off < w[i].off + w[i].size) {
         *found = True;
         return (w[i].off == off && w[i].size == size) ? w[i].v : unknown;
      }
   }
   *found = False;
   return unknown;
}

static Val eval(Eval* e, const IRExpr* x);

static Val read_reg(Eval* e, Int off, IRType ty)
{
   Int size = int_size(ty);
   Bool found;
   Val v;
   ULong raw = 0;
   if (!size) return unknown;
   v = last_write(e->regs, e->n_regs, off, size, &found);
   if (found) return v;
   if (e->regs_lost) return unknown;
   VG_(get_shadow_regs_area)(e->tid, (UChar*)&raw, 0, off, size);
   return known(raw & mask_of(size));
}

static Val read_mem(Eval* e, const IRExpr* addr_x, IRType ty)
{
   Int size = int_size(ty);
   Val a = eval(e, addr_x);
   Bool found;
   Val v;
   ULong raw = 0;
   if (!size || !a.known) return unknown;
   v = last_write(e->mem, e->n_mem, (Long)a.v, size, &found);
   if (found) return v;
   if (e->mem_lost) return unknown;
   if (!VG_(am_is_valid_for_client)((Addr)a.v, size, VKI_PROT_READ)) return unknown;
   VG_(memcpy)(&raw, (const void*)(Addr)a.v, size);
   return known(raw);
}

static Val eval_binop(Eval* e, IROp op, const IRExpr* x1, const IRExpr* x2)
{
   Val a = eval(e, x1), b = eval(e, x2);
   if (!a.known || !b.known) return unknown;
   switch (op) {
   case Iop_Add8: case Iop_Add16: case Iop_Add32: case Iop_Add64: return known(a.v + b.v);
   case Iop_Sub8: case Iop_Sub16: case Iop_Sub32: case Iop_Sub64: return known(a.v - b.v);
   case Iop_Mul8: case Iop_Mul16: case Iop_Mul32: case Iop_Mul64: return known(a.v * b.v);
   case Iop_And8: case Iop_And16: case Iop_And32: case Iop_And64: return known(a.v & b.v);
   case Iop_Or8: case Iop_Or16: case Iop_Or32: case Iop_Or64: return known(a.v | b.v);
   case Iop_Xor8: case Iop_Xor16: case Iop_Xor32: case Iop_Xor64: return known(a.v ^ b.v);
   case Iop_Shl8: case Iop_Shl16: case Iop_Shl32: case Iop_Shl64:
      return b.v < 64 ? known(a.v << b.v) : unknown;
   case Iop_Shr8: case Iop_Shr16: case Iop_Shr32: case Iop_Shr64:
      return b.v < 64 ? known(a.v >> b.v) : unknown;
   default: return unknown;
   }
}

static Val eval_unop(Eval* e, IROp op, const IRExpr* x1)
{
   Val a = eval(e, x1);
   if (!a.known) return unknown;
   switch (op) {
   case Iop_8Uto16: case Iop_8Uto32: case Iop_8Uto64:
   case Iop_16Uto32: case Iop_16Uto64: case Iop_32Uto64:
   case Iop_64to32: case Iop_64to16: case Iop_64to8: case Iop_32to16: case Iop_32to8:
   case Iop_16to8:
      return a;   /* masked to the result type by eval() */
   case Iop_32Sto64: return known((ULong)(Long)(Int)(UInt)a.v);
   case Iop_16Sto64: return known((ULong)(Long)(Short)(UShort)a.v);
   case Iop_8Sto64:  return known((ULong)(Long)(Char)(UChar)a.v);
   case Iop_16Sto32: return known((ULong)(Int)(Short)(UShort)a.v);
   case Iop_8Sto32:  return known((ULong)(Int)(Char)(UChar)a.v);
   default: return unknown;
   }
}

static Val eval(Eval* e, const IRExpr* x)
{
   Int size = int_size(typeOfIRExpr(e->tyenv, x));
   Val v = unknown;
   if (!size) return unknown;
   switch (x->tag) {
   case Iex_Const:
      switch (x->Iex.Const.con->tag) {
      case Ico_U8:  v = known(x->Iex.Const.con->Ico.U8); break;
      case Ico_U16: v = known(x->Iex.Const.con->Ico.U16); break;
      case Ico_U32: v = known(x->Iex.Const.con->Ico.U32); break;
      case Ico_U64: v = known(x->Iex.Const.con->Ico.U64); break;
      default: break;
      }
      break;
   case Iex_RdTmp: v = e->tmp[x->Iex.RdTmp.tmp]; break;
   case Iex_Get:   v = read_reg(e, x->Iex.Get.offset, x->Iex.Get.ty); break;
   case Iex_Load:  v = read_mem(e, x->Iex.Load.addr, x->Iex.Load.ty); break;
   case Iex_Binop: v = eval_binop(e, x->Iex.Binop.op, x->Iex.Binop.arg1, x->Iex.Binop.arg2); break;
   case Iex_Unop:  v = eval_unop(e, x->Iex.Unop.op, x->Iex.Unop.arg); break;
   default: break;
   }
   if (v.known) v.v &= mask_of(size);
   return v;
}

/* Runs the superblock's statements from 'first' on, as far as they can be
   followed, and returns the value of its end's target. */
static Val eval_next(Eval* e, const IRSB* sb, Int first)
{
   Int i;
   for (i = first; i < sb->stmts_used; i++) {
      const IRStmt* st = sb->stmts[i];
      switch (st->tag) {
      case Ist_WrTmp:
         e->tmp[st->Ist.WrTmp.tmp] = eval(e, st->Ist.WrTmp.data);
         break;
      case Ist_Put: {
         IRType ty = typeOfIRExpr(e->tyenv, st->Ist.Put.data);
         Int size = sizeofIRType(ty);
         note_write(e->regs, &e->n_regs, &e->regs_lost, st->Ist.Put.offset, size,
                    int_size(ty) ? eval(e, st->Ist.Put.data) : unknown);
         break;
      }
      case Ist_Store: {
         IRType ty = typeOfIRExpr(e->tyenv, st->Ist.Store.data);
         Val a = eval(e, st->Ist.Store.addr);
         if (!a.known)
            e->mem_lost = True;
         else
            note_write(e->mem, &e->n_mem, &e->mem_lost, (Long)a.v, sizeofIRType(ty),
                       int_size(ty) ? eval(e, st->Ist.Store.data) : unknown);
         break;
      }
      case Ist_PutI: case Ist_Dirty:
         e->regs_lost = True;
         e->mem_lost = True;
         break;
      case Ist_CAS: case Ist_LLSC: case Ist_StoreG: case Ist_LoadG:
         e->mem_lost = True;
         if (st->tag == Ist_LoadG) e->tmp[st->Ist.LoadG.details->dst] = unknown;
         if (st->tag == Ist_CAS) {
            e->tmp[st->Ist.CAS.details->oldLo] = unknown;
            if (st->Ist.CAS.details->oldHi != IRTemp_INVALID)
               e->tmp[st->Ist.CAS.details->oldHi] = unknown;
         }
         if (st->tag == Ist_LLSC) e->tmp[st->Ist.LLSC.result] = unknown;
         break;
      default:
         break;
      }
   }
   return eval(e, sb->next);
}

/* Lazily bound PLT slots first point back into their own stub. */
static Bool is_plt_code(Addr a)
{
   GpCodeKind k;
   (void)gp_fn_at(a, &k);
   return k == GP_CODE_PLT;
}

void gp_predict_exit(IRSB* sbOut, const IRSB* sbIn, Int first,
                     const VgCallbackClosure* closure,
                     const VexGuestLayout* layout, IRType gwty)
{
   Eval e;
   Val target;
   IRConst* dst;
   IRTemp eq;
   Int kind;

   if (!gp_clo.direct_jumps) return;
   switch (sbIn->jumpkind) {
   case Ijk_Ret:    kind = 0; break;
   case Ijk_Call:   kind = 1; break;
   case Ijk_Boring: kind = 2; break;
   default: return;
   }
   if (sbIn->next->tag != Iex_RdTmp) return;   /* constant: already direct */
#if !defined(VG_LITTLEENDIAN)
   return;   /* the evaluator reads registers and memory as little-endian */
#endif
   /* Only a translation made for the thread about to run it sees the
      state the superblock starts from. */
   if (closure->tid == VG_INVALID_THREADID
       || VG_(get_IP)(closure->tid) != closure->nraddr) {
      n_unguessed++;
      return;
   }
   VG_(memset)(&e, 0, sizeof(e));
   e.tid = closure->tid;
   e.tyenv = sbIn->tyenv;
   if (sbIn->tyenv->types_used > tmp_cap) {
      tmp_cap = sbIn->tyenv->types_used * 2;
      tmp_buf = VG_(realloc)(GP_CC("predict.tmp"), tmp_buf, tmp_cap * sizeof(Val));
   }
   VG_(memset)(tmp_buf, 0, sbIn->tyenv->types_used * sizeof(Val));
   e.tmp = tmp_buf;
   target = eval_next(&e, sbIn, first);
   if (!target.known || target.v == 0 || is_plt_code((Addr)target.v)) {
      n_unguessed++;
      return;
   }
   if (gwty == Ity_I64) {
      dst = IRConst_U64(target.v);
      eq = newIRTemp(sbOut->tyenv, Ity_I1);
      addStmtToIRSB(sbOut, IRStmt_WrTmp(eq, IRExpr_Binop(Iop_CmpEQ64,
                    IRExpr_RdTmp(sbIn->next->Iex.RdTmp.tmp), IRExpr_Const(dst))));
   } else {
      dst = IRConst_U32((UInt)target.v);
      eq = newIRTemp(sbOut->tyenv, Ity_I1);
      addStmtToIRSB(sbOut, IRStmt_WrTmp(eq, IRExpr_Binop(Iop_CmpEQ32,
                    IRExpr_RdTmp(sbIn->next->Iex.RdTmp.tmp), IRExpr_Const(dst))));
   }
   /* Boring whatever the end's kind: only a boring exit to a constant is
      chained (a call's or return's kind is a hint nobody else reads). */
   addStmtToIRSB(sbOut, IRStmt_Exit(IRExpr_RdTmp(eq), Ijk_Boring, dst, layout->offset_IP));
   n_guessed[kind]++;
}
