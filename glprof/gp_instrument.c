/* gp_instrument.c -- the VEX IR pass.  What it adds to each superblock:

   1. At the start (after the preamble), an inline test
        top-frame SP < SP   (something returned or unwound; return points),
        function the last call entered != this one   (function entries)
      guarding a call to gp_cs_sb_entry (gp_cs_sb_return, or
      gp_cs_sb_return_to in code without a symbol, at return points).  Most
      superblocks pay one load and one compare; the helper runs about once
      per return.
   2. Before every exit and at the end, an inline 64-bit add of the
      instructions executed so far to the thread's counter word in the
      guest state (gp_tool.h; no helper call; at the end of a superblock
      that ends in a call, the call helper adds them),
      and with --lines=yes an increment of that exit point's counter, from
      which per-instruction and per-line counts are exact (an exit with no
      instruction since the previous one shares its counter; code without
      line information has none).
   3. For superblocks that end in a call, a call to gp_cs_call with the
      callee (resolved now when the target is constant), the SP after the
      call and the return address.
   4. For superblocks that end in a client request, the allocator calls'
      fast path (gp_fastcall.c), added last.
   5. With the lock profile, at lock functions' entries and at return
      points, the lock observer's helpers (gp_lockobs.h).
   6. For superblocks that end in a return or another indirect jump, a
      direct exit to the target guessed at translation (gp_predict.h),
      after everything else, so it changes nothing but the way there.
   Valgrind's replacement allocator gets none of 1-3 except the entry test
   at its entries (gp_fn.h).

   Word sizes come from the guest/host types, so the pass is arch-neutral;
   SB chasing and unrolling are off (gp_main.c) so every call ends its
   superblock and instruction counts are exact. */

#include "gp_tool.h"
#include "gp_callstack.h"
#include "gp_code.h"
#include "gp_fn.h"
#include "gp_options.h"
#include "gp_instrument.h"
#include "gp_plt.h"
#include "gp_fastcall.h"
#include "gp_predict.h"
#include "gp_lockobs.h"

/* ---- IR building blocks ------------------------------------------------ */

typedef struct {
   IRSB*  sb;
   IRType wty;         /* host word type (Ity_I32 / Ity_I64) */
   Int    offset_SP;
   Int    offset_IP;
   Int    offset_icount;  /* the instruction counter's word (gp_tool.h) */
   IRTemp icount;      /* a temporary holding the word's value, or
                          IRTemp_INVALID after a helper that folds it */
   IRType spty;        /* guest word type */
} Ctx;

static IRExpr* mk_word(const Ctx* c, UWord w)
{
   return c->wty == Ity_I64 ? IRExpr_Const(IRConst_U64((ULong)w))
                            : IRExpr_Const(IRConst_U32((UInt)w));
}

static IRTemp emit_tmp(const Ctx* c, IRType ty, IRExpr* e)
{
   IRTemp t = newIRTemp(c->sb->tyenv, ty);
   addStmtToIRSB(c->sb, IRStmt_WrTmp(t, e));
   return t;
}

/* The thread's instruction counter += n: its word in the guest state,
   addressed off the guest-state register, is read once per superblock
   (again only after a helper that folds it) and kept in a temporary: an
   add and a store per exit.  (VEX's cleanup after instrumentation does
   not remove repeated Gets itself.) */
static void emit_add_icount(Ctx* c, ULong n)
{
   IRTemp sum;
   if (c->icount == IRTemp_INVALID)
      c->icount = emit_tmp(c, Ity_I64, IRExpr_Get(c->offset_icount, Ity_I64));
   sum = emit_tmp(c, Ity_I64, IRExpr_Binop(Iop_Add64, IRExpr_RdTmp(c->icount),
                                           IRExpr_Const(IRConst_U64(n))));
   addStmtToIRSB(c->sb, IRStmt_Put(c->offset_icount, IRExpr_RdTmp(sum)));
   c->icount = sum;
}

/* *counter += n, inline: Load/Add/Store of a 64-bit value at a fixed host
   address. */
static void emit_add64(const Ctx* c, ULong* counter, ULong n)
{
   IRExpr* a = mk_word(c, (UWord)counter);
   IRTemp t1 = emit_tmp(c, Ity_I64, IRExpr_Load(Iend_LE, Ity_I64, a));
   IRTemp t2 = emit_tmp(c, Ity_I64,
                        IRExpr_Binop(Iop_Add64, IRExpr_RdTmp(t1),
                                     IRExpr_Const(IRConst_U64(n))));
   addStmtToIRSB(c->sb, IRStmt_Store(Iend_LE, mk_word(c, (UWord)counter),
                                     IRExpr_RdTmp(t2)));
}

/* The end of a PLT stub's superblock (gp_plt.h):
   counter += n - gp_plt_ahead; gp_plt_ahead = 0. */
static void emit_add_icount_less_ahead(Ctx* c, ULong n)
{
   IRTemp cnt = c->icount != IRTemp_INVALID
                ? c->icount : emit_tmp(c, Ity_I64, IRExpr_Get(c->offset_icount, Ity_I64));
   IRTemp ahead = emit_tmp(c, c->wty, IRExpr_Load(Iend_LE, c->wty,
                                                  mk_word(c, (UWord)&gp_plt_ahead)));
   IRExpr* ahead64 = c->wty == Ity_I64 ? IRExpr_RdTmp(ahead)
                                       : IRExpr_Unop(Iop_32Uto64, IRExpr_RdTmp(ahead));
   IRTemp sum = emit_tmp(c, Ity_I64, IRExpr_Binop(Iop_Add64, IRExpr_RdTmp(cnt),
                                                  IRExpr_Const(IRConst_U64(n))));
   IRTemp res = emit_tmp(c, Ity_I64, IRExpr_Binop(Iop_Sub64, IRExpr_RdTmp(sum), ahead64));
   addStmtToIRSB(c->sb, IRStmt_Put(c->offset_icount, IRExpr_RdTmp(res)));
   c->icount = res;
   addStmtToIRSB(c->sb, IRStmt_Store(Iend_LE, mk_word(c, (UWord)&gp_plt_ahead),
                                     mk_word(c, 0)));
}

static IRTemp emit_get_sp(const Ctx* c)
{
   return emit_tmp(c, c->spty, IRExpr_Get(c->offset_SP, c->spty));
}

static IRTemp emit_load_word(const Ctx* c, void* addr)
{
   return emit_tmp(c, c->wty, IRExpr_Load(Iend_LE, c->wty,
                                          mk_word(c, (UWord)addr)));
}

/* The call stack's helpers fold the thread's counter word (gp_tool.h):
   VEX must store its pending value before the call and read it again
   after.  They also write the words generated code loads (gp_top_sp,
   gp_just_called, gp_plt_ahead): a declared memory effect keeps VEX from
   reusing a value loaded before the call. */
static void declare_effects(Ctx* c, IRDirty* d)
{
   c->icount = IRTemp_INVALID;
   d->nFxState = 1;
   VG_(memset)(&d->fxState[0], 0, sizeof(d->fxState[0]));
   d->fxState[0].fx = Ifx_Modify;
   d->fxState[0].offset = c->offset_icount;
   d->fxState[0].size = sizeof(ULong);
   d->mFx = Ifx_Modify;
   d->mAddr = mkIRExpr_HWord((HWord)&gp_just_called);
   d->mSize = sizeof(gp_just_called);
}

/* ---- the three insertions ------------------------------------------- */

static void emit_sb_entry_check(Ctx* c, GpFn* fn, GpCodeKind kind)
{
   Bool is64 = c->wty == Ity_I64;
   IRTemp sp = emit_get_sp(c);
   IRTemp guard;
   IRDirty* d;

   if (kind == GP_CODE_ENTRY) {
      /* Entries check that the last call was to their own function: one
         test for "reached by a jump rather than the call that pushed its
         frame" (the flag is 0) and for "not the top frame's function"
         (tail calls, resolving a pending frame, a redirected callee).
         They need no SP test: the flag names fn only between the call
         helper that pushed fn's frame (with this very SP) and fn's first
         superblock, which clears it; only a PLT stub's jump runs in
         between (a lazy-binding resolver is a function entry of its own
         and clears it), and a signal handler arriving there is undone on
         its return, flag and frames alike (gp_cs_post_signal). */
      IRTemp t = emit_load_word(c, &gp_just_called);
      guard = emit_tmp(c, Ity_I1,
                       IRExpr_Binop(is64 ? Iop_CmpNE64 : Iop_CmpNE32,
                                    IRExpr_RdTmp(t), mk_word(c, (UWord)fn)));
   } else {
      /* return points: has SP risen above the top frame's? */
      IRTemp top = emit_load_word(c, &gp_top_sp);
      guard = emit_tmp(c, Ity_I1,
                       IRExpr_Binop(is64 ? Iop_CmpLT64U : Iop_CmpLT32U,
                                    IRExpr_RdTmp(top), IRExpr_RdTmp(sp)));
   }
   if (kind == GP_CODE_BODY)
      d = unsafeIRDirty_0_N(2, "gp_cs_sb_return",
                            VG_(fnptr_to_fnentry)(&gp_cs_sb_return),
                            mkIRExprVec_2(IRExpr_RdTmp(sp), IRExpr_GSPTR()));
   else
      d = unsafeIRDirty_0_N(3, kind == GP_CODE_ENTRY ? "gp_cs_sb_entry"
                                                      : "gp_cs_sb_return_to",
                            VG_(fnptr_to_fnentry)(kind == GP_CODE_ENTRY
                                                  ? (void*)&gp_cs_sb_entry
                                                  : (void*)&gp_cs_sb_return_to),
                            mkIRExprVec_3(mk_word(c, (UWord)fn), IRExpr_RdTmp(sp),
                                          IRExpr_GSPTR()));
   d->guard = IRExpr_RdTmp(guard);
   declare_effects(c, d);
   addStmtToIRSB(c->sb, IRStmt_Dirty(d));
   if (kind == GP_CODE_ENTRY)
      addStmtToIRSB(c->sb, IRStmt_Store(Iend_LE, mk_word(c, (UWord)&gp_just_called),
                                        mk_word(c, 0)));
}

/* Can control arrive at a by a return (or a longjmp, which returns from
   setjmp)?  Only such superblocks, and function entries, need the inline
   SP test: loop bodies pay nothing.  On x86 and amd64 that is: the bytes
   before a are a call instruction (E8 rel32, or FF /2 in any of its 2..7
   byte forms; a false positive only costs a test).  Elsewhere, assume
   yes. */
static Bool follows_call(Addr a)
{
#if defined(VGA_amd64) || defined(VGA_x86)
   Int len;
   Bool all_readable;
   if (a < 8) return True;
   /* one address-space lookup for the common case: all 7 bytes readable */
   all_readable = VG_(am_is_valid_for_client)(a - 7, 7, VKI_PROT_READ);
   for (len = 2; len <= 7; len++) {
      const UChar* p = (const UChar*)(a - len);
      if (!all_readable
          && !VG_(am_is_valid_for_client)((Addr)p, len, VKI_PROT_READ))
         continue;
      if (len == 5 && p[0] == 0xE8) return True;
      /* FF /2: opcode, then ModRM with reg field 2, possibly after a
         REX prefix (amd64) */
      if (p[0] == 0xFF && (p[1] & 0x38) == 0x10) return True;
      if (len >= 3 && (p[0] & 0xF0) == 0x40 && p[1] == 0xFF
          && (p[2] & 0x38) == 0x10) return True;
   }
   return False;
#else
   return True;
#endif
}

/* Does the superblock end in a call or hold a call exit? */
static Bool makes_call(const IRSB* sb, Int first)
{
   Int i;
   if (sb->jumpkind == Ijk_Call) return True;
   for (i = first; i < sb->stmts_used; i++)
      if (sb->stmts[i]->tag == Ist_Exit && sb->stmts[i]->Ist.Exit.jk == Ijk_Call)
         return True;
   return False;
}

/* The call helper for a call to target.  n: instructions of the
   superblock not yet added to gp_icount, which the helper adds first (a
   superblock's final add folded into the call it ends with: three host
   instructions fewer per call). */
static void emit_call(Ctx* c, IRExpr* target, Addr ret_addr,
                      GpFn* caller, IRExpr* guard, ULong n)
{
   IRTemp sp = emit_get_sp(c);
   IRExpr* site = mk_word(c, (UWord)gp_cs_site(ret_addr, caller));
   IRExpr* pending = mk_word(c, (UWord)n);
   IRDirty* d;
   Addr to = 0;               /* a direct exit past a PLT stub to here */
   IRTemp go = IRTemp_INVALID;
   if (target->tag == Iex_Const) {
      Addr a = c->wty == Ity_I64 ? (Addr)target->Iex.Const.con->Ico.U64
                                 : (Addr)target->Iex.Const.con->Ico.U32;
      GpCodeKind k;
      GpFn* callee = gp_fn_at(a, &k);
      if (k == GP_CODE_PLT) {
         /* a PLT stub: the helper reads where it goes (gp_plt.h) */
         GpPlt* p = gp_plt_rec(a);
         IRExpr* direct = mk_word(c, 0);
         GpFn* bound_fn = NULL;
         if (!guard && gp_clo.direct_jumps) {
            /* --direct-jumps: past the stub when its slot still holds
               what it holds now */
            to = gp_plt_bound(p);
            if (to) {
               IRTemp slot = emit_load_word(c, (void*)p->got);
               go = emit_tmp(c, Ity_I1,
                             IRExpr_Binop(c->wty == Ity_I64 ? Iop_CmpEQ64 : Iop_CmpEQ32,
                                          IRExpr_RdTmp(slot), mk_word(c, to)));
               direct = IRExpr_RdTmp(emit_tmp(c, c->wty,
                                              IRExpr_Unop(c->wty == Ity_I64 ? Iop_1Uto64
                                                                            : Iop_1Uto32,
                                                          IRExpr_RdTmp(go))));
               bound_fn = gp_cs_entry_fn(to);
            }
         }
         if (bound_fn) {
            /* The function there is known now: while the guard holds,
               the plain call helper pushes it, with the skipped stub's
               instructions counted for the caller (as the stub's
               superblock would have), and the PLT helper and the stub's
               record are left alone.  When it fails (the slot changed),
               the same call is told of a call to a stub (a pending frame,
               named at the callee's entry) and the stub runs and counts
               itself.  One call with its arguments chosen, not two
               guarded ones: generated code evaluates a guarded call's
               arguments whether it is made or not.  A function that is
               no longer the code at 'to' when the call is made is renamed
               by the callee's entry test, as a stale PLT record's would
               be. */
            IRExpr* go_x = IRExpr_RdTmp(go);
            IRExpr* who = IRExpr_RdTmp(emit_tmp(c, c->wty, IRExpr_ITE(
               go_x, mk_word(c, (UWord)bound_fn), mk_word(c, (UWord)gp_cs_callee_plt))));
            IRExpr* count = IRExpr_RdTmp(emit_tmp(c, c->wty, IRExpr_ITE(
               go_x, mk_word(c, (UWord)(n + p->n_instrs)), pending)));
            d = unsafeIRDirty_0_N(3, "gp_cs_call", VG_(fnptr_to_fnentry)(&gp_cs_call),
                                  mkIRExprVec_5(who, IRExpr_RdTmp(sp), site, count,
                                                IRExpr_GSPTR()));
         } else {
            d = unsafeIRDirty_0_N(3, "gp_cs_call_plt",
                                  VG_(fnptr_to_fnentry)(&gp_cs_call_plt),
                                  mkIRExprVec_6(mk_word(c, (UWord)p),
                                                IRExpr_RdTmp(sp), site, pending, direct,
                                                IRExpr_GSPTR()));
         }
      } else
         d = unsafeIRDirty_0_N(3, "gp_cs_call", VG_(fnptr_to_fnentry)(&gp_cs_call),
                               mkIRExprVec_5(mk_word(c, (UWord)callee),
                                             IRExpr_RdTmp(sp), site, pending,
                                             IRExpr_GSPTR()));
   } else {
      d = unsafeIRDirty_0_N(3, "gp_cs_call_indirect",
                            VG_(fnptr_to_fnentry)(&gp_cs_call_indirect),
                            mkIRExprVec_5(target, IRExpr_RdTmp(sp), site, pending,
                                          IRExpr_GSPTR()));
   }
   if (guard) d->guard = guard;
   declare_effects(c, d);
   addStmtToIRSB(c->sb, IRStmt_Dirty(d));
   if (to)
      addStmtToIRSB(c->sb, IRStmt_Exit(IRExpr_RdTmp(go), Ijk_Boring,
                                       c->wty == Ity_I64 ? IRConst_U64((ULong)to)
                                                         : IRConst_U32((UInt)to),
                                       c->offset_IP));
}

/* ---- the pass ---------------------------------------------------------- */

/* The rest of sbIn from statement 'first', as it is; the allocator's
   client requests still get their fast path. */
static IRSB* copy_uncounted(Ctx* c, IRSB* sbIn, Int first,
                            const VgCallbackClosure* closure,
                            const VexGuestLayout* layout)
{
   Int i;
   for (i = first; i < sbIn->stmts_used; i++) addStmtToIRSB(c->sb, sbIn->stmts[i]);
   gp_predict_exit(c->sb, sbIn, first, closure, layout, c->spty);
   gp_fastcall_instrument(c->sb, layout);
   return c->sb;
}

/* Counts what the superblock holds, to size its line record: its
   instructions, and its line checkpoints -- the exits and the end, except
   those with no instruction since the previous checkpoint (whose count
   would only repeat it).  A block ending in a conditional branch has its
   exit inside the last instruction, so it needs one counter, not two. */
static void survey(const IRSB* sb, Int first, UInt* n_instrs, UInt* n_checks)
{
   Int i;
   UInt last_end = 0;
   *n_instrs = *n_checks = 0;
   for (i = first; i < sb->stmts_used; i++) {
      if (sb->stmts[i]->tag == Ist_IMark) {
         (*n_instrs)++;
      } else if (sb->stmts[i]->tag == Ist_Exit && *n_instrs > last_end) {
         (*n_checks)++;
         last_end = *n_instrs;
      }
   }
   if (*n_instrs > last_end) (*n_checks)++;
}

/* The superblock's line record, its line ids filled in; NULL when none of
   its instructions has line information.  Such code (a library without
   debug information: all of sqlite3's, bzip2's and python3's on Debian)
   would only count "???":0 of its function, which adds nothing to the
   function's self count; the writers put self instructions that no line
   counted on line 0 (gp_out_common.h).  Skipping it spares a counter
   update at every exit of that code. */
#define GP_LINES_MAX_INSNS 128   /* VEX translates at most 100 */
static GpSB* lines_record(Addr key, GpFn* fn, const IRSB* sb, Int first,
                          UInt n_instrs, UInt n_checks)
{
   UInt buf[GP_LINES_MAX_INSNS];
   Bool big = n_instrs > GP_LINES_MAX_INSNS;   /* then a record regardless */
   GpSB* code = big ? gp_code_new(key, n_instrs, n_checks) : NULL;
   UInt* ids = big ? gp_sb_lines(code) : buf;
   Bool known = False;
   UInt n = 0;
   Int i;
   for (i = first; i < sb->stmts_used; i++) {
      if (sb->stmts[i]->tag == Ist_IMark) {
         GpLine* l = gp_line_at(fn, (Addr)sb->stmts[i]->Ist.IMark.addr);
         known = known || gp_line_known(l);
         ids[n++] = l->id;
      }
   }
   if (big || !known) return code;
   code = gp_code_new(key, n_instrs, n_checks);
   VG_(memcpy)(gp_sb_lines(code), buf, n_instrs * sizeof(UInt));
   return code;
}

/* A line checkpoint, if instructions ran since the last one (survey). */
static void emit_checkpoint(const Ctx* c, GpSB* code, UInt* ncheck, UInt ninstr)
{
   if (*ncheck > 0 && gp_sb_check_end(code)[*ncheck - 1] == ninstr) return;
   tl_assert(*ncheck < code->n_checks);
   gp_sb_check_end(code)[*ncheck] = (UShort)ninstr;
   emit_add64(c, &gp_sb_counts(code)[*ncheck], 1);
   (*ncheck)++;
}

IRSB* gp_instrument(VgCallbackClosure* closure, IRSB* sbIn,
                    const VexGuestLayout* layout,
                    const VexGuestExtents* vge,
                    const VexArchInfo* archinfo_host,
                    IRType gWordTy, IRType hWordTy)
{
   Ctx c;
   Int i, first;
   ULong pending = 0;         /* instructions not yet added to gp_icount */
   UInt n_instrs = 0, n_checks = 0, ninstr = 0, ncheck = 0;
   Addr first_addr = 0, last_addr = 0;
   UInt last_len = 0;
   GpFn* fn = NULL;
   GpCodeKind kind = GP_CODE_BODY;
   GpSB* code = NULL;
   Bool plt_ahead = False;    /* a PLT stub whose instructions a call
                                 helper may have counted ahead */
   Bool return_point = False; /* control may arrive here by a return */
   Bool locks = gp_lockobs_on();
   Bool ends_in_call;
   ULong call_pending = 0;    /* instructions the final call helper adds */

   if (gWordTy != hWordTy)
      VG_(tool_panic)("glprof: host and guest word sizes differ");

   c.sb = deepCopyIRSBExceptStmts(sbIn);
   c.wty = hWordTy;
   c.spty = gWordTy;
   c.offset_SP = layout->offset_SP;
   c.offset_IP = layout->offset_IP;
   c.offset_icount = GP_ICOUNT_IR_OFF(layout);
   c.icount = IRTemp_INVALID;
   tl_assert(layout->total_sizeB == sizeof(VexGuestArchState));

   /* The preamble (self-check, wrapper set-up) is copied untouched and
      never counted. */
   for (first = 0; first < sbIn->stmts_used; first++) {
      if (sbIn->stmts[first]->tag == Ist_IMark) break;
      addStmtToIRSB(c.sb, sbIn->stmts[first]);
   }
   if (first == sbIn->stmts_used) return c.sb;
   first_addr = (Addr)sbIn->stmts[first]->Ist.IMark.addr;

   /* Valgrind's replacement allocator is not the program's code
      (gp_fn.h): copied uncounted.  Its entries keep the entry test: a
      call of malloc whose callee was not known at the call (a PLT slot
      not seen yet) learns it there. */
   if (gp_fn_is_allocator_code(first_addr)) {
      if (gp_clo.cpu) {
         fn = gp_fn_at(first_addr, &kind);
         if (kind == GP_CODE_ENTRY) {
            gp_cs_note_entry(closure->nraddr, fn);
            emit_sb_entry_check(&c, fn, kind);
         }
      }
      return copy_uncounted(&c, sbIn, first, closure, layout);
   }

   if (gp_clo.cpu || locks) {
      fn = gp_fn_at_code(first_addr, &kind);
      return_point = kind != GP_CODE_ENTRY && follows_call(first_addr);
      /* Code without a symbol has a function only where something names
         it: a return point resolves a pending frame with it, a call
         passes it as the caller (gp_callstack.h). */
      if (kind == GP_CODE_NOSYM && (return_point || makes_call(sbIn, first)))
         fn = gp_fn_at(first_addr, &kind);
   }
   if (gp_clo.cpu) {
      if (kind == GP_CODE_ENTRY) gp_cs_note_entry(closure->nraddr, fn);
      if (kind == GP_CODE_PLT) {
         survey(sbIn, first, &n_instrs, &n_checks);
         plt_ahead = gp_plt_learn(closure->nraddr, sbIn, first, n_instrs);
      }
      if (kind == GP_CODE_ENTRY || return_point)
         emit_sb_entry_check(&c, fn, kind);
      if (gp_clo.lines && fn && kind != GP_CODE_NOSYM) {
         survey(sbIn, first, &n_instrs, &n_checks);
         code = lines_record(closure->nraddr, fn, sbIn, first, n_instrs, n_checks);
      }
   }
   /* The lock profile's observer (gp_lockobs.h): lock functions' entries;
      without the call stack (whose return helper books lock calls that
      returned), return points too. */
   if (locks && kind == GP_CODE_ENTRY)
      gp_lockobs_instrument_entry(c.sb, fn, layout, c.wty);
   else if (locks && return_point && !gp_clo.cpu)
      gp_lockobs_instrument_return(c.sb, layout, c.wty);

   for (i = first; i < sbIn->stmts_used; i++) {
      IRStmt* st = sbIn->stmts[i];
      switch (st->tag) {
      case Ist_IMark:
         last_addr = (Addr)st->Ist.IMark.addr;
         last_len = st->Ist.IMark.len;
         ninstr++;
         pending++;
         addStmtToIRSB(c.sb, st);
         break;
      case Ist_Exit:
         /* Everything up to this point ran if we got here. */
         if (pending) { emit_add_icount(&c, pending); pending = 0; }
         if (code) emit_checkpoint(&c, code, &ncheck, ninstr);
         if (gp_clo.cpu && st->Ist.Exit.jk == Ijk_Call)
            emit_call(&c, IRExpr_Const(st->Ist.Exit.dst),
                      last_addr + (last_len ? last_len : VG_MIN_INSTR_SZB),
                      fn, st->Ist.Exit.guard, 0);
         addStmtToIRSB(c.sb, st);
         break;
      default:
         addStmtToIRSB(c.sb, st);
         break;
      }
   }

   ends_in_call = gp_clo.cpu && sbIn->jumpkind == Ijk_Call;
   if (plt_ahead) emit_add_icount_less_ahead(&c, pending);
   else if (pending && !ends_in_call) emit_add_icount(&c, pending);
   else if (ends_in_call) call_pending = pending;   /* the call adds them */
   if (code) {
      emit_checkpoint(&c, code, &ncheck, ninstr);
      tl_assert(ncheck == code->n_checks);
   }
   if (ends_in_call)
      emit_call(&c, sbIn->next,
                last_addr + (last_len ? last_len : VG_MIN_INSTR_SZB),
                fn, NULL, call_pending);
   gp_predict_exit(c.sb, sbIn, first, closure, layout, gWordTy);
   gp_fastcall_instrument(c.sb, layout);
   return c.sb;
}
