/* gp_fastcall.c -- the preload requests' fast path (see gp_fastcall.h):
   the IR added to superblocks that end in a client request, and the dirty
   helper that answers CLIENT_CALL requests to glprof's allocator handlers
   without leaving the translated code.

   Why it is safe to answer here what the scheduler would answer:
     - the scheduler's own handling of CLIENT_CALLn is the call
       f(tid, arg[2], ...) with the result put in the request's result
       register (scheduler.c, do_client_request), and of a tool's request
       the tool's handler with the same effect; the helper does the same,
       on the same thread, holding the same lock;
     - VEX writes every pending guest register back before a dirty call
       (ir_opt.c dumps its whole put environment at one), and the IR puts
       the instruction pointer the scheduler would see (just after the
       request) first: a stack trace or an error taken inside the handler
       is the one the scheduler path gives;
     - the handler may read and write client memory (it zeroes new blocks,
       copies on realloc): the helper declares memory effects, so VEX keeps
       no client memory value across it;
     - only glprof's own handlers are called here, none of which switches
       threads, discards translations or ends the thread; a request of any
       other kind, or to any other function, takes the ordinary exit. */

#include "gp_fastcall.h"
#include "pub_tool_guest.h"

/* Where the guest passes a client request (valgrind.h): the register
   holding the address of the request block, the one receiving the result,
   and the frame pointer the stack unwinder may read. */
#if defined(VGA_amd64)
#  define GP_REQ_ARGS guest_RAX
#  define GP_REQ_RET  guest_RDX
#  define GP_REQ_FP   guest_RBP
#elif defined(VGA_x86)
#  define GP_REQ_ARGS guest_EAX
#  define GP_REQ_RET  guest_EDX
#  define GP_REQ_FP   guest_EBP
#endif

#define GP_MAX_HANDLERS 16
static Addr handlers[GP_MAX_HANDLERS];
static UInt n_handlers;

void gp_fastcall_allow(const Addr* fns, UInt n)
{
   UInt i;
   tl_assert(n <= GP_MAX_HANDLERS);
   for (i = 0; i < n; i++) handlers[i] = fns[i];
   n_handlers = n;
}

/* For --stats=yes (and the test that the fast path is taken). */
static ULong n_calls, n_passed;

void gp_fastcall_print_stats(void)
{
   VG_(message)(Vg_DebugMsg, "glprof: allocator calls answered in translated code: %'llu\n",
                n_calls);
   VG_(message)(Vg_DebugMsg, "glprof: client requests passed to the scheduler:     %'llu\n",
                n_passed);
}

#if defined(GP_REQ_ARGS)

static inline Bool is_handler(Addr f)
{
   UInt i;
   for (i = 0; i < n_handlers; i++)
      if (handlers[i] == f) return True;
   return False;
}

/* Answers the request if it is a call to one of glprof's handlers:
   returns 1 with the result in the result register, or 0 (nothing done)
   for the scheduler to answer it. */
static VG_REGPARM(1) UWord fast_request(VexGuestArchState* gs)
{
   UWord* arg = (UWord*)(Addr)gs->GP_REQ_ARGS;
   UWord r;

   if (arg[0] >= VG_USERREQ__CLIENT_CALL1 && arg[0] <= VG_USERREQ__CLIENT_CALL3
       && is_handler(arg[1])) {
      ThreadId tid = VG_(get_running_tid)();
      /* the handlers read the clock (gp_tool.h); and learning where the
         thread's counter is spares them the core's copy of it */
      gp_icount_learn(tid, gs);
      gp_icount_fold(gs);
      switch (arg[0]) {
      case VG_USERREQ__CLIENT_CALL1:
         r = ((UWord (*)(ThreadId, UWord))arg[1])(tid, arg[2]);
         break;
      case VG_USERREQ__CLIENT_CALL2:
         r = ((UWord (*)(ThreadId, UWord, UWord))arg[1])(tid, arg[2], arg[3]);
         break;
      default:
         r = ((UWord (*)(ThreadId, UWord, UWord, UWord))arg[1])
                (tid, arg[2], arg[3], arg[4]);
         break;
      }
      n_calls++;
   } else {
      n_passed++;
      return 0;
   }
   gs->GP_REQ_RET = r;
   return 1;
}

static void declare_state(IRDirty* d, Int i, IREffect fx, Int offset, Int size)
{
   d->fxState[i].fx = fx;
   d->fxState[i].offset = offset;
   d->fxState[i].size = size;
   d->fxState[i].nRepeats = 0;
   d->fxState[i].repeatLen = 0;
}

void gp_fastcall_instrument(IRSB* sb, const VexGuestLayout* layout)
{
   const Int w = sizeof(UWord);
   IRType wty = w == 8 ? Ity_I64 : Ity_I32;
   IRTemp done, args, fail;
   IRDirty* d;
   IRConst* next;

   if (sb->jumpkind != Ijk_ClientReq || n_handlers == 0
       || sb->next->tag != Iex_Const)
      return;
   next = sb->next->Iex.Const.con;

   /* The instruction pointer the scheduler path would have. */
   addStmtToIRSB(sb, IRStmt_Put(layout->offset_IP, IRExpr_Const(next)));

   args = newIRTemp(sb->tyenv, wty);
   addStmtToIRSB(sb, IRStmt_WrTmp(args, IRExpr_Get(offsetof(VexGuestArchState,
                                                            GP_REQ_ARGS), wty)));
   done = newIRTemp(sb->tyenv, wty);
   d = unsafeIRDirty_1_N(done, 1, "gp_fastcall", VG_(fnptr_to_fnentry)(fast_request),
                         mkIRExprVec_1(IRExpr_GSPTR()));
   d->nFxState = 6;
   declare_state(d, 0, Ifx_Read, offsetof(VexGuestArchState, GP_REQ_ARGS), w);
   /* Modify, not Write: when the request is not answered here the
      register keeps the request's default value. */
   declare_state(d, 1, Ifx_Modify, offsetof(VexGuestArchState, GP_REQ_RET), w);
   declare_state(d, 2, Ifx_Read, layout->offset_SP, layout->sizeof_SP);
   declare_state(d, 3, Ifx_Read, layout->offset_IP, layout->sizeof_IP);
   declare_state(d, 4, Ifx_Read, offsetof(VexGuestArchState, GP_REQ_FP), w);
   /* the instruction counter's word, which the helper folds (gp_tool.h) */
   declare_state(d, 5, Ifx_Modify, GP_ICOUNT_IR_OFF(layout), sizeof(ULong));
   /* The request block (what VEX is told; the handlers touch client
      memory elsewhere too, and any memory effect keeps VEX from caching
      client memory across the call). */
   d->mFx = Ifx_Modify;
   d->mAddr = IRExpr_RdTmp(args);
   d->mSize = 6 * w;
   addStmtToIRSB(sb, IRStmt_Dirty(d));

   /* Not answered: the ordinary exit to the scheduler. */
   fail = newIRTemp(sb->tyenv, Ity_I1);
   addStmtToIRSB(sb, IRStmt_WrTmp(fail, IRExpr_Binop(
      w == 8 ? Iop_CmpEQ64 : Iop_CmpEQ32, IRExpr_RdTmp(done),
      w == 8 ? IRExpr_Const(IRConst_U64(0)) : IRExpr_Const(IRConst_U32(0)))));
   addStmtToIRSB(sb, IRStmt_Exit(IRExpr_RdTmp(fail), Ijk_ClientReq, next,
                                 layout->offset_IP));
   sb->jumpkind = Ijk_Boring;
}

#else  /* request registers unknown: every request goes to the scheduler */

void gp_fastcall_instrument(IRSB* sb, const VexGuestLayout* layout) { }

#endif
