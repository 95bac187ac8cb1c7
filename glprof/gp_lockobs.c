/* gp_lockobs.c -- watches the pthread lock functions run (see
   gp_lockobs.h): which functions, where their arguments and result are,
   and the per-thread stack of lock calls that have not returned yet.

   The protocol with gp_locks.c, per function:
   - blocking and timed acquires: ACQUIRE at the entry (the tool decides
     then whether another thread holds the lock, "contended"; if not the
     acquisition is booked at once); ACQUIRE_DONE at the return if it was
     contended or if the call failed;
   - try-locks: TRY at the return, with the result;
   - unlock, init, destroy: at the return, if the call succeeded (until
     then an unlocked lock is still held, so a thread asking in between
     is rightly seen as contended);
   - condition-variable waits release the mutex at the entry and hold it
     again at the return.

   Sonames: glibc 2.34 and later have the pthread functions in libc.so.6,
   older ones in libpthread.so.0; names may carry a symbol version
   ("pthread_mutex_lock@@GLIBC_2.2.5").  pthread_spin_init gives a spin
   lock no site: glibc makes it an alias of pthread_spin_unlock (both
   store 0), so the code at that address cannot tell which was called;
   spin locks get their site where first taken. */

#include "gp_lockobs.h"
#include "gp_locks.h"
#include "gp_io.h"
#include "gp_util.h"

/* ---- where a call's arguments and result are -------------------------- */

#if defined(VGA_amd64)
#  include "libvex_guest_amd64.h"
#  define GP_ARG_REG0 offsetof(VexGuestAMD64State, guest_RDI)
#  define GP_ARG_REG1 offsetof(VexGuestAMD64State, guest_RSI)
#  define GP_RET_REG  offsetof(VexGuestAMD64State, guest_RAX)
#elif defined(VGA_x86)
#  include "libvex_guest_x86.h"
#  define GP_ARGS_ON_STACK 1   /* [SP+4], [SP+8] at the entry */
#  define GP_RET_REG  offsetof(VexGuestX86State, guest_EAX)
#elif defined(VGA_arm64)
#  include "libvex_guest_arm64.h"
#  define GP_ARG_REG0 offsetof(VexGuestARM64State, guest_X0)
#  define GP_ARG_REG1 offsetof(VexGuestARM64State, guest_X1)
#  define GP_RET_REG  offsetof(VexGuestARM64State, guest_X0)
#elif defined(VGA_arm)
#  include "libvex_guest_arm.h"
#  define GP_ARG_REG0 offsetof(VexGuestARMState, guest_R0)
#  define GP_ARG_REG1 offsetof(VexGuestARMState, guest_R1)
#  define GP_RET_REG  offsetof(VexGuestARMState, guest_R0)
#elif defined(VGA_ppc64be) || defined(VGA_ppc64le)
#  include "libvex_guest_ppc64.h"
#  define GP_ARG_REG0 offsetof(VexGuestPPC64State, guest_GPR3)
#  define GP_ARG_REG1 offsetof(VexGuestPPC64State, guest_GPR4)
#  define GP_RET_REG  offsetof(VexGuestPPC64State, guest_GPR3)
#elif defined(VGA_ppc32)
#  include "libvex_guest_ppc32.h"
#  define GP_ARG_REG0 offsetof(VexGuestPPC32State, guest_GPR3)
#  define GP_ARG_REG1 offsetof(VexGuestPPC32State, guest_GPR4)
#  define GP_RET_REG  offsetof(VexGuestPPC32State, guest_GPR3)
#elif defined(VGA_s390x)
#  include "libvex_guest_s390x.h"
#  define GP_ARG_REG0 offsetof(VexGuestS390XState, guest_r2)
#  define GP_ARG_REG1 offsetof(VexGuestS390XState, guest_r3)
#  define GP_RET_REG  offsetof(VexGuestS390XState, guest_r2)
#elif defined(VGA_mips64)
#  include "libvex_guest_mips64.h"
#  define GP_ARG_REG0 offsetof(VexGuestMIPS64State, guest_r4)
#  define GP_ARG_REG1 offsetof(VexGuestMIPS64State, guest_r5)
#  define GP_RET_REG  offsetof(VexGuestMIPS64State, guest_r2)
#elif defined(VGA_mips32)
#  include "libvex_guest_mips32.h"
#  define GP_ARG_REG0 offsetof(VexGuestMIPS32State, guest_r4)
#  define GP_ARG_REG1 offsetof(VexGuestMIPS32State, guest_r5)
#  define GP_RET_REG  offsetof(VexGuestMIPS32State, guest_r2)
#else
#  define GP_NO_LOCKOBS 1
#endif

/* ---- the observed functions ------------------------------------------- */

typedef enum { OP_INIT, OP_DESTROY, OP_ACQUIRE, OP_TRY, OP_RELEASE, OP_COND_WAIT } Op;

typedef struct {
   const HChar* name;
   UChar op;
   UChar kind;        /* GpLockKind */
   UChar mode;        /* GP_MODE_* */
} LockFn;

#define MX GP_LOCK_MUTEX
#define RW GP_LOCK_RWLOCK
#define SP GP_LOCK_SPIN
#define WR GP_MODE_WRITE
#define RD GP_MODE_READ

static const LockFn lock_fns[] = {
   { "pthread_mutex_init",         OP_INIT,      MX, 0 },
   { "pthread_mutex_destroy",      OP_DESTROY,   MX, 0 },
   { "pthread_mutex_lock",         OP_ACQUIRE,   MX, WR },
   { "pthread_mutex_timedlock",    OP_ACQUIRE,   MX, WR },
   { "pthread_mutex_clocklock",    OP_ACQUIRE,   MX, WR },
   { "pthread_mutex_trylock",      OP_TRY,       MX, WR },
   { "pthread_mutex_unlock",       OP_RELEASE,   MX, 0 },
   { "pthread_rwlock_init",        OP_INIT,      RW, 0 },
   { "pthread_rwlock_destroy",     OP_DESTROY,   RW, 0 },
   { "pthread_rwlock_rdlock",      OP_ACQUIRE,   RW, RD },
   { "pthread_rwlock_wrlock",      OP_ACQUIRE,   RW, WR },
   { "pthread_rwlock_timedrdlock", OP_ACQUIRE,   RW, RD },
   { "pthread_rwlock_timedwrlock", OP_ACQUIRE,   RW, WR },
   { "pthread_rwlock_clockrdlock", OP_ACQUIRE,   RW, RD },
   { "pthread_rwlock_clockwrlock", OP_ACQUIRE,   RW, WR },
   { "pthread_rwlock_tryrdlock",   OP_TRY,       RW, RD },
   { "pthread_rwlock_trywrlock",   OP_TRY,       RW, WR },
   { "pthread_rwlock_unlock",      OP_RELEASE,   RW, 0 },
   { "pthread_spin_destroy",       OP_DESTROY,   SP, 0 },
   { "pthread_spin_lock",          OP_ACQUIRE,   SP, WR },
   { "pthread_spin_trylock",       OP_TRY,       SP, WR },
   { "pthread_spin_unlock",        OP_RELEASE,   SP, 0 },
   /* glibc's pthread_spin_init is pthread_spin_unlock's code (both store
      0) and Valgrind may name that address either way: a call there is
      an unlock (an init releases nothing: the lock is not known yet) */
   { "pthread_spin_init",          OP_RELEASE,   SP, 0 },
   { "pthread_cond_wait",          OP_COND_WAIT, MX, 0 },
   { "pthread_cond_timedwait",     OP_COND_WAIT, MX, 0 },
   { "pthread_cond_clockwait",     OP_COND_WAIT, MX, 0 },
};
#define N_LOCK_FNS (sizeof(lock_fns) / sizeof(lock_fns[0]))

/* Is name fn's name, possibly with a symbol version? */
static Bool name_is(const HChar* name, const HChar* fn)
{
   SizeT n = VG_(strlen)(fn);
   return VG_(strncmp)(name, fn, n) == 0 && (name[n] == 0 || name[n] == '@');
}

static Bool obj_has_locks(const GpObj* o)
{
   const HChar* b;
   if (!o || !o->name) return False;
   b = gp_base_name(o->name);
   return VG_(strncmp)(b, "libc.so", 7) == 0
          || VG_(strncmp)(b, "libpthread.so", 13) == 0;
}

static GpWordMap fn_kind;        /* GpFn* -> index in lock_fns + 1, or 0 */

static Int lock_fn_index(GpFn* fn)
{
   UWord* v;
   UInt i;
   if (!fn) return -1;
   v = gp_wmap_insert(&fn_kind, (UWord)fn);
   if (*v == 0) {
      *v = ~(UWord)0;
      if (fn->name && obj_has_locks(fn->obj))
         for (i = 0; i < N_LOCK_FNS; i++)
            if (name_is(fn->name, lock_fns[i].name)) { *v = i + 1; break; }
   }
   return *v == ~(UWord)0 ? -1 : (Int)(*v - 1);
}

/* ---- lock calls that have not returned, per thread -------------------- */

typedef struct {
   Addr  sp;             /* SP at the entry: returned once SP is above */
   UWord a0, a1;         /* the lock (or condition variable, mutex) */
   UInt  fn;             /* index in lock_fns, or SIGNAL_BARRIER */
   UInt  contended;      /* ACQUIRE's answer */
} Pending;

/* A signal handler runs above the calls it interrupted: its record's sp is
   the highest SP inside the handler, so leaving it by a longjmp is seen
   like a return; a normal return ends it in post_signal. */
#define SIGNAL_BARRIER 0xFFFFFFFFu

typedef struct {
   Pending* p;
   UInt n, cap;
} PendingStack;

static PendingStack* pending;     /* indexed by ThreadId (gp_lockobs_init) */
static ULong n_entries, n_returns;   /* for --stats=yes */
Addr gp_lockobs_sp = ~(Addr)0;

static void publish(ThreadId tid)
{
   const PendingStack* s = &pending[tid];
   gp_lockobs_sp = s->n ? s->p[s->n - 1].sp : ~(Addr)0;
}

void gp_lockobs_switch(ThreadId tid)
{
   if (tid < VG_N_THREADS + 1) publish(tid);
}

void gp_lockobs_thread_start(ThreadId tid)
{
   if (tid < VG_N_THREADS + 1) pending[tid].n = 0;
}

static UWord event(ThreadId tid, GpLockEvent ev, UWord a1, UWord a2,
                   UWord a3, UWord a4, UWord a5, Bool at_entry)
{
   UWord arg[6];
   arg[0] = ev; arg[1] = a1; arg[2] = a2; arg[3] = a3; arg[4] = a4; arg[5] = a5;
   return gp_locks_event(tid, arg, at_entry);
}

/* The helpers: generated code calls them (gp_lockobs_instrument_*). */
static Pending* push(PendingStack* s)
{
   if (s->n == s->cap) {
      s->cap = s->cap ? 2 * s->cap : 4;
      s->p = VG_(realloc)(GP_CC("lockobs.pending"), s->p, s->cap * sizeof(Pending));
   }
   return &s->p[s->n++];
}

static VG_REGPARM(3) void lockobs_enter(UWord ix, UWord a0, UWord a1, Addr sp,
                                        void* gs)
{
   ThreadId tid = VG_(get_running_tid)();
   gp_icount_fold(gs);      /* the lock profile reads the clock */
   const LockFn* f = &lock_fns[ix];
   PendingStack* s = &pending[tid];
   Pending* p;
   UInt contended = 0;
   /* the function jumping back to its own first instruction is the same
      call, not another */
   if (s->n > 0 && s->p[s->n - 1].sp == sp && s->p[s->n - 1].fn == (UInt)ix) return;
   if (f->op == OP_ACQUIRE)
      contended = (UInt)event(tid, GP_LEV_ACQUIRE, a0, f->kind, f->mode, 0, 0, True);
   else if (f->op == OP_COND_WAIT)
      event(tid, GP_LEV_COND_WAIT, a0, a1, 0, 0, 0, True);
   p = push(s);
   p->sp = sp;
   p->a0 = a0;
   p->a1 = a1;
   p->fn = (UInt)ix;
   p->contended = contended;
   n_entries++;
   publish(tid);
}

/* The C functions return int: the low half of the result register. */
static Int result_of(ThreadId tid)
{
#if defined(GP_NO_LOCKOBS)
   return 0;
#else
   UWord w = 0;
   VG_(get_shadow_regs_area)(tid, (UChar*)&w, 0, GP_RET_REG, sizeof(UWord));
   return (Int)w;
#endif
}

static void complete(ThreadId tid, const Pending* p, Int ret)
{
   const LockFn* f = &lock_fns[p->fn];
   Bool ok = ret == 0;
   switch (f->op) {
   case OP_INIT:
      if (ok) event(tid, GP_LEV_INIT, p->a0, f->kind, 0, 0, 0, False);
      break;
   case OP_DESTROY:
      if (ok) event(tid, GP_LEV_DESTROY, p->a0, f->kind, 0, 0, 0, False);
      break;
   case OP_ACQUIRE:
      /* EOWNERDEAD (robust mutexes) still hands the lock over: gp_locks.c
         knows it */
      if (p->contended || !ok)
         event(tid, GP_LEV_ACQUIRE_DONE, p->a0, f->kind, f->mode, (UWord)(Word)ret,
               p->contended, False);
      break;
   case OP_TRY:
      event(tid, GP_LEV_TRY, p->a0, f->kind, f->mode, (UWord)(Word)ret, 0, False);
      break;
   case OP_RELEASE:
      if (ok) event(tid, GP_LEV_RELEASE, p->a0, f->kind, 0, 0, 0, False);
      break;
   case OP_COND_WAIT:
      event(tid, GP_LEV_COND_WOKEN, p->a0, p->a1, (UWord)(Word)ret, 0, 0, False);
      break;
   }
}

VG_REGPARM(1) void gp_lockobs_returned(Addr sp)
{
   ThreadId tid = VG_(get_running_tid)();
   PendingStack* s = &pending[tid];
   /* Every call SP has left returned (several at once only when a
      longjmp left them: their results are lost, the innermost's is
      read). */
   Int ret = result_of(tid);
   while (s->n > 0 && s->p[s->n - 1].sp < sp) {
      s->n--;
      if (s->p[s->n].fn == SIGNAL_BARRIER) continue;   /* left by a longjmp */
      n_returns++;
      complete(tid, &s->p[s->n], ret);
   }
   publish(tid);
}

/* The same, from generated code (--cpu=no: no call stack helper calls it). */
static VG_REGPARM(2) void lockobs_returned(Addr sp, void* gs)
{
   gp_icount_fold(gs);
   gp_lockobs_returned(sp);
}

void gp_lockobs_pre_signal(ThreadId tid, Bool alt_stack)
{
   Pending* p;
   Addr hi;
   if (!gp_lockobs_on() || tid >= VG_N_THREADS + 1) return;
   /* A signal taken just after a lock call returned, before the return
      point's test ran: book the call now (the call stack pops its frame
      here too, so no test will find it later). */
   if (gp_lockobs_sp < VG_(get_SP)(tid)) gp_lockobs_returned(VG_(get_SP)(tid));
   hi = alt_stack ? VG_(thread_get_altstack_min)(tid) + VG_(thread_get_altstack_size)(tid)
                  : VG_(get_SP)(tid);
   p = push(&pending[tid]);
   VG_(memset)(p, 0, sizeof(*p));
   p->sp = hi - 1;
   p->fn = SIGNAL_BARRIER;
   publish(tid);     /* gp_cs_pre_signal made tid the running thread */
}

void gp_lockobs_post_signal(ThreadId tid)
{
   PendingStack* s;
   UInt i;
   if (!gp_lockobs_on() || tid >= VG_N_THREADS + 1) return;
   s = &pending[tid];
   /* down to the newest barrier, if it is still there (a handler that
      longjmp'd out lost it already); lock calls of the handler that never
      returned go with it */
   for (i = s->n; i > 0; i--)
      if (s->p[i - 1].fn == SIGNAL_BARRIER) { s->n = i - 1; break; }
   publish(tid);
}

/* ---- instrumentation --------------------------------------------------- */

Bool gp_lockobs_on(void)
{
#if defined(GP_NO_LOCKOBS)
   return False;
#else
   return gp_io_clo.locks;
#endif
}

static IRExpr* word_const(IRType wty, UWord w)
{
   return wty == Ity_I64 ? IRExpr_Const(IRConst_U64((ULong)w))
                         : IRExpr_Const(IRConst_U32((UInt)w));
}

/* The helpers read the stack (for a site) and the result register:
   VEX must have written the guest SP, IP, frame pointer and result
   register back.  They fold the instruction counter's word (gp_tool.h). */
static void declare_reads_regs(IRDirty* d, const VexGuestLayout* layout)
{
   VG_(memset)(&d->fxState, 0, sizeof(d->fxState));
   d->fxState[3].fx = Ifx_Modify;
   d->fxState[3].offset = GP_ICOUNT_IR_OFF(layout);
   d->fxState[3].size = sizeof(ULong);
#if !defined(GP_NO_LOCKOBS)
   d->fxState[4].fx = Ifx_Read;
   d->fxState[4].offset = GP_RET_REG;
   d->fxState[4].size = sizeof(UWord);
   d->nFxState = 5;
#else
   d->nFxState = 4;
#endif
   d->fxState[0].fx = Ifx_Read;
   d->fxState[0].offset = layout->offset_SP;
   d->fxState[0].size = layout->sizeof_SP;
   d->fxState[1].fx = Ifx_Read;
   d->fxState[1].offset = layout->offset_IP;
   d->fxState[1].size = layout->sizeof_IP;
   d->fxState[2].fx = Ifx_Read;
   d->fxState[2].offset = layout->offset_FP;
   d->fxState[2].size = layout->sizeof_FP;
}

static IRExpr* arg_expr(IRSB* sb, const VexGuestLayout* layout, IRType wty,
                        UInt i)
{
#if defined(GP_ARGS_ON_STACK)
   IRTemp sp = newIRTemp(sb->tyenv, wty);
   IRTemp a = newIRTemp(sb->tyenv, wty);
   addStmtToIRSB(sb, IRStmt_WrTmp(sp, IRExpr_Get(layout->offset_SP, wty)));
   addStmtToIRSB(sb, IRStmt_WrTmp(a, IRExpr_Load(Iend_LE, wty,
      IRExpr_Binop(wty == Ity_I64 ? Iop_Add64 : Iop_Add32, IRExpr_RdTmp(sp),
                   word_const(wty, (UWord)(i + 1) * sizeof(UWord))))));
   return IRExpr_RdTmp(a);
#elif defined(GP_NO_LOCKOBS)
   return word_const(wty, 0);
#else
   IRTemp a = newIRTemp(sb->tyenv, wty);
   addStmtToIRSB(sb, IRStmt_WrTmp(a, IRExpr_Get(i == 0 ? GP_ARG_REG0 : GP_ARG_REG1, wty)));
   return IRExpr_RdTmp(a);
#endif
}

void gp_lockobs_instrument_entry(IRSB* sb, GpFn* fn,
                                 const VexGuestLayout* layout, IRType wty)
{
   Int ix = lock_fn_index(fn);
   IRTemp sp;
   IRExpr *a0, *a1;
   IRDirty* d;
   if (ix < 0) return;
   a0 = arg_expr(sb, layout, wty, 0);
   a1 = arg_expr(sb, layout, wty, 1);
   sp = newIRTemp(sb->tyenv, wty);
   addStmtToIRSB(sb, IRStmt_WrTmp(sp, IRExpr_Get(layout->offset_SP, wty)));
   d = unsafeIRDirty_0_N(3, "lockobs_enter", VG_(fnptr_to_fnentry)(&lockobs_enter),
                         mkIRExprVec_5(word_const(wty, (UWord)ix), a0, a1,
                                       IRExpr_RdTmp(sp), IRExpr_GSPTR()));
   declare_reads_regs(d, layout);
   addStmtToIRSB(sb, IRStmt_Dirty(d));
}

void gp_lockobs_instrument_return(IRSB* sb, const VexGuestLayout* layout,
                                  IRType wty)
{
   IRTemp sp = newIRTemp(sb->tyenv, wty);
   IRTemp top = newIRTemp(sb->tyenv, wty);
   IRTemp guard = newIRTemp(sb->tyenv, Ity_I1);
   IRDirty* d;
   addStmtToIRSB(sb, IRStmt_WrTmp(sp, IRExpr_Get(layout->offset_SP, wty)));
   addStmtToIRSB(sb, IRStmt_WrTmp(top, IRExpr_Load(Iend_LE, wty,
                                                   word_const(wty, (UWord)&gp_lockobs_sp))));
   addStmtToIRSB(sb, IRStmt_WrTmp(guard, IRExpr_Binop(wty == Ity_I64 ? Iop_CmpLT64U : Iop_CmpLT32U,
                                                      IRExpr_RdTmp(top), IRExpr_RdTmp(sp))));
   d = unsafeIRDirty_0_N(2, "lockobs_returned", VG_(fnptr_to_fnentry)(&lockobs_returned),
                         mkIRExprVec_2(IRExpr_RdTmp(sp), IRExpr_GSPTR()));
   d->guard = IRExpr_RdTmp(guard);
   declare_reads_regs(d, layout);
   addStmtToIRSB(sb, IRStmt_Dirty(d));
}

void gp_lockobs_init(void)
{
   gp_wmap_init(&fn_kind, GP_CC("lockobs.fns"), 64);
   pending = VG_(calloc)(GP_CC("lockobs.pending"), VG_N_THREADS + 1, sizeof(PendingStack));
}

void gp_lockobs_print_stats(void)
{
   VG_(message)(Vg_DebugMsg, "glprof: lock calls observed:                      %'llu (%'llu returned)\n",
                n_entries, n_returns);
}
