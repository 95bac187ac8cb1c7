/* gp_threads.c -- thread records (see gp_threads.h): creation and exit hooks,
   the switch of the "current thread" state read by generated code, and the
   per-thread instruction clocks derived from the single global counter. */

#include "gp_threads.h"
#include "gp_plt.h"
#include "gp_callstack.h"
#include "gp_cct.h"
#include "gp_edge.h"
#include "gp_options.h"
#include "gp_heap.h"
#include "gp_control.h"
#include "gp_lockobs.h"

GpThread* gp_cur_thread;

static GpThread** live;         /* indexed by ThreadId, VG_N_THREADS long */
ULong**          gp_icount_words;   /* (gp_tool.h) */
static XArray*    all;          /* GpThread*, creation order */
static UInt       n_alive;      /* records not yet retired: counted, since
                                   every exit syscall asks (a program may
                                   have made 100,000 threads) */

static GpThread* record_new(ThreadId tid, Int parent_index)
{
   GpThread* t = VG_(calloc)(GP_CC("thr.rec"), 1, sizeof(GpThread));
   t->tid = tid;
   t->index = (UInt)VG_(sizeXA)(all);
   t->parent_index = parent_index;
   t->born = gp_icount;
   t->alive = True;
   n_alive++;
   t->c_start = gp_icount;
   t->collecting = gp_control_collecting_initially();
   gp_wmap_init(&t->fn_depth, GP_CC("thr.depth"), 64);
   t->tree = gp_tree_new(True);
   t->tree->owner = t;
   VG_(addToXA)(all, &t);
   live[tid] = t;
   gp_cs_thread_start(t);
   return t;
}

static void retire(GpThread* t)
{
   if (!t->alive) return;
   if (gp_cur_thread == t) {
      t->accum = gp_thread_now(t);
      t->c_start = gp_icount;
   }
   gp_cs_thread_finish(t);
   gp_tree_merge(gp_cct_global(), t->tree);
   gp_edge_bank_tree(t->tree);
   gp_cs_forget_paths();
   gp_tree_free(t->tree);
   t->tree = NULL;
   gp_wmap_free(&t->fn_depth);
   VG_(free)(t->frames);
   t->frames = NULL;
   t->cap = 0;
   if (t->sig) VG_(free)(t->sig);
   t->sig = NULL;
   if (!t->exited) t->died = gp_icount;
   t->alive = False;
   n_alive--;
   if (live[t->tid] == t) live[t->tid] = NULL;
   if (gp_cur_thread == t) gp_cur_thread = NULL;
}

/* The function that called pthread_create (or the thread's creator if it
   used clone directly): the frame below the pthread_create frame. */
static GpFn* creation_site(GpThread* parent)
{
   Int i;
   if (!parent || parent->depth == 0) return NULL;
   for (i = (Int)parent->depth - 1; i > 0; i--) {
      GpFn* fn = parent->frames[i].fn;
      if (fn && VG_(strncmp)(fn->name, "pthread_create", 14) == 0)
         return parent->frames[i - 1].fn;
   }
   return parent->frames[parent->depth - 1].fn;
}

static void pre_thread_ll_create(ThreadId parent, ThreadId child)
{
   GpThread* p = (parent != VG_INVALID_THREADID) ? live[parent] : NULL;
   GpThread* t;
   if (parent == VG_INVALID_THREADID && live[child] && live[child]->index == 0
       && gp_icount == 0)
      return;   /* the core announcing the main thread we already made */
   if (live[child]) retire(live[child]);   /* the id is reused */
   gp_lockobs_thread_start(child);
   t = record_new(child, p ? (Int)p->index : -1);
   t->created_by = creation_site(p);
}

static void pre_thread_first_insn(ThreadId tid)
{
   GpThread* t = live[tid];
   if (t) {
      t->os_tid = VG_(gettid)();
      t->stack_max = VG_(thread_get_stack_max)(tid);
   }
}

/* A thread's end is noted but its record stays live until its id is
   reused or the run ends: the core may still run code in it (the final
   thread runs libc's and libstdc++'s freeres after its exit). */
static void pre_thread_ll_exit(ThreadId tid)
{
   GpThread* t = live[tid];
   if (t && !t->exited) {
      t->exited = True;
      t->exit_stack_lo = gp_leak_exit_stack_lo(t, tid);
      t->died = gp_icount;
   }
}

/* ---- the instruction counter's per-thread word (gp_tool.h) ------------- */

/* Is tid a thread the core knows (its slot not free)?  The core's own
   test is not in the tool API; its thread iterator skips free slots. */
static Bool core_has_thread(ThreadId tid)
{
   ThreadId it = tid - 1;
   Addr lo, hi;
   return VG_(thread_stack_next)(&it, &lo, &hi) && it == tid;
}

/* Only the running thread's word is ever non-zero: a thread switch folds
   the word of the thread that stopped (gp_thread_switch).  tid may have
   ended: a learned word stays readable, the core's copy is not asked for
   a thread it no longer has. */
void gp_icount_sync_slow(ThreadId tid)
{
   ULong w;
   if (tid == VG_INVALID_THREADID || tid > VG_N_THREADS || !core_has_thread(tid))
      return;
   VG_(get_shadow_regs_area)(tid, (UChar*)&w, 1, GP_ICOUNT_SHADOW_OFF, sizeof w);
   if (w == 0) return;
   gp_icount += w;
   w = 0;
   VG_(set_shadow_regs_area)(tid, 1, GP_ICOUNT_SHADOW_OFF, sizeof w, (const UChar*)&w);
}

void gp_thread_switch(ThreadId tid)
{
   GpThread* t;
   if (GP_LIKELY(gp_cur_thread && gp_cur_thread->tid == tid)) return;
   t = live[tid];
   if (!t) return;     /* not a thread we know (cannot run guest code) */
   if (gp_cur_thread) {
      /* The stopped thread's unfolded instructions go into the global
         counter now, while they are still its own.  Its clock would see
         them anyway when it runs again (it reads its own word), but the
         global counter would lag (allocation and lock timestamps taken
         by other threads), and a thread that never runs again (killed by
         another thread's exit) would lose them from its banked count. */
      gp_icount_sync(gp_cur_thread->tid);
      gp_cur_thread->accum = gp_thread_now(gp_cur_thread);
      /* A timeslice can end between a call and its callee's first
         superblock: the flag is the caller thread's, not the next one's
         (else the callee's entry looks like a jump: an extra call). */
      gp_cur_thread->just_called = gp_just_called;
      gp_cur_thread->plt_ahead = gp_plt_ahead;
   }
   t->c_start = gp_icount;
   gp_cur_thread = t;
   gp_just_called = t->just_called;
   gp_plt_ahead = t->plt_ahead;
   gp_cs_publish(t);
   gp_lockobs_switch(tid);
}

static void start_client_code(ThreadId tid, ULong blocks_dispatched)
{
   gp_thread_switch(tid);
}

GpThread* gp_thread_of(ThreadId tid) { return live[tid]; }

void gp_thread_set_collecting(GpThread* t, Bool on)
{
   if (t->collecting == on) return;
   if (t == gp_cur_thread) {
      t->accum = gp_thread_now(t);   /* bank what ran until now */
      t->c_start = gp_icount;        /* and restart from here */
   }
   t->collecting = on;
}

UInt gp_thread_count(void) { return (UInt)VG_(sizeXA)(all); }

UInt gp_threads_alive(void) { return n_alive; }

GpThread* gp_thread_by_index(UInt i) { return *(GpThread**)VG_(indexXA)(all, i); }

void gp_threads_init(void)
{
   ThreadId main_tid = 1;
   all = VG_(newXA)(VG_(malloc), GP_CC("thr.all"), VG_(free), sizeof(GpThread*));
   live = VG_(calloc)(GP_CC("thr.live"), VG_N_THREADS + 1, sizeof(GpThread*));
   gp_icount_words = VG_(calloc)(GP_CC("thr.icount"), VG_N_THREADS + 1, sizeof(ULong*));
   VG_(track_pre_thread_ll_create)(pre_thread_ll_create);
   VG_(track_pre_thread_first_insn)(pre_thread_first_insn);
   VG_(track_pre_thread_ll_exit)(pre_thread_ll_exit);
   VG_(track_start_client_code)(start_client_code);
   /* The main thread exists before any hook runs. */
   record_new(main_tid, -1);
   live[main_tid]->os_tid = VG_(getpid)();
   gp_thread_switch(main_tid);
}

void gp_threads_fini(void)
{
   UInt i, n = gp_thread_count();
   /* The thread calling exit runs last; bring its clock up to date. */
   for (i = 0; i < n; i++) {
      GpThread* t = gp_thread_by_index(i);
      if (t->alive) retire(t);
   }
}

void gp_threads_atfork_child(ThreadId tid)
{
   UInt i, n = gp_thread_count();
   GpThread* me = live[tid];
   /* Only the forking thread exists in the child.  Its stack stays (the
      frames are real) but every figure starts from zero, and it becomes
      thread 0 of the child's profile. */
   for (i = 0; i < n; i++) {
      GpThread* t = gp_thread_by_index(i);
      if (t == me) continue;
      if (t->alive) {
         gp_cs_forget_paths();
         gp_tree_free(t->tree);
         gp_wmap_free(&t->fn_depth);
         VG_(free)(t->frames);
         if (t->sig) VG_(free)(t->sig);
         if (live[t->tid] == t) live[t->tid] = NULL;
      }
      VG_(free)(t);
   }
   VG_(deleteXA)(all);
   all = VG_(newXA)(VG_(malloc), GP_CC("thr.all"), VG_(free), sizeof(GpThread*));
   n_alive = me && me->alive ? 1 : 0;
   if (!me) return;
   VG_(addToXA)(all, &me);
   me->index = 0;
   me->parent_index = -1;
   me->created_by = NULL;
   me->os_tid = VG_(gettid)();
   me->born = 0;
   gp_cs_recount_depths(me);
   gp_threads_zero();
}

void gp_threads_zero(void)
{
   UInt i, j, n = gp_thread_count();
   for (i = 0; i < n; i++) {
      GpThread* t = gp_thread_by_index(i);
      if (!t->alive) continue;
      /* Restart the clock at zero: open frames now began at zero. */
      t->accum = 0;
      t->c_start = gp_icount;
      t->last = 0;
      for (j = 0; j < t->depth; j++) t->frames[j].entry = 0;
      gp_tree_zero(t->tree);
   }
   gp_cct_reset_global();
   gp_fn_zero();
   gp_edge_zero();
}
