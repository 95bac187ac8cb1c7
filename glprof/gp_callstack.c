/* gp_callstack.c -- the shadow call stack (see gp_callstack.h).

   How frames come and go:
   - a call instruction ends its superblock with a call to gp_cs_call,
     which pushes a frame for the callee (or a pending frame when the
     callee is not known yet: indirect calls, PLT stubs);
   - superblocks that follow a call instruction (return points) start
     with an inline test; gp_cs_sb_return runs when SP has risen above the
     top frame (returns, longjmp, C++ unwinding: every frame below SP is
     popped);
   - a function's entry tests that the last call pushed its function;
     gp_cs_sb_entry runs when it did not (tail call, PLT resolution, a
     pending frame's callee, a redirected function, a jump after a
     return or an unwind, whose frames it pops first);
   - signal delivery pushes a handler frame that is popped on sigreturn or
     as soon as SP leaves the handler's stack region (handlers that
     longjmp out, sigaltstack).
   A return that matches no frame pops nothing: the bottom (root) frame
   has SP = ~0 and is only popped when its thread ends.

   Accounting: every thread has its own clock (instructions it executed).
   Self instructions accrue to the top frame's function and call path at
   each transition; on pop, a frame's duration (clock now - clock at
   entry) is added to its edge, to its path node if this was the node's
   outermost activation, and to its function if the function was not
   already active lower on the stack (so recursion never double counts). */

#include "gp_callstack.h"
#include "gp_cct.h"
#include "gp_edge.h"
#include "gp_options.h"
#include "gp_util.h"
#include "gp_control.h"
#include "gp_plt.h"
#include "gp_lockobs.h"

ULong gp_cs_calls_total;
Addr  gp_top_sp;
GpFn  gp_pending_fn;
UWord gp_just_called;

/* Callee argument of gp_cs_call for a call to a PLT stub. */
#define GP_CALLEE_PLT ((GpFn*)&gp_plt_marker)
static GpFn gp_plt_marker;
GpFn* const gp_cs_callee_plt = GP_CALLEE_PLT;

static GpWordMap entry_map;    /* entry address -> GpFn* */

/* How often the helpers leave their fast paths (--stats=yes): where the
   per-call cost goes on a given program. */
static struct {
   ULong call_slow, call_plt_slow, ret_slow, ret_frames, sb_enter,
         tail_calls, resolved, renamed;
} st;

/* Call sites (gp_callstack.h): by return address, and in chunks so
   their caches can be dropped without a hash walk. */
static GpWordMap site_map;     /* return address -> GpCallSite* */
/* return address -> the calling code's function (GpFn*, may be NULL): only
   the general path asks, when a call leaves a frame whose function is
   not known yet (call_slow), so it is not in the site's cache line */
static GpWordMap site_caller;
#define SITE_CHUNK 1024
typedef struct SiteChunk { struct SiteChunk* next; UInt used; GpCallSite s[SITE_CHUNK]; } SiteChunk;
static SiteChunk* site_chunks;

GpCallSite* gp_cs_site(Addr ret_addr, GpFn* caller)
{
   UWord* v = gp_wmap_insert(&site_map, ret_addr);
   GpCallSite* cs = (GpCallSite*)*v;
   if (!cs) {
      if (!site_chunks || site_chunks->used == SITE_CHUNK) {
         /* never freed; aligned so that no site straddles two cache
            lines (GpCallSite is 64-byte aligned) */
         UChar* raw = VG_(calloc)(GP_CC("cs.sites"), 1, sizeof(SiteChunk) + 63);
         SiteChunk* c = (SiteChunk*)(((Addr)raw + 63) & ~(Addr)63);
         c->next = site_chunks;
         site_chunks = c;
      }
      cs = &site_chunks->s[site_chunks->used++];
      cs->ret_addr = ret_addr;
      *v = (UWord)cs;
   }
   /* New code at an old address (dlclose, then dlopen) may belong to
      another function: the caller is the latest translation's. */
   *gp_wmap_insert(&site_caller, ret_addr) = (UWord)caller;
   return cs;
}

void gp_cs_forget_paths(void)
{
   SiteChunk* c;
   UInt i;
   for (c = site_chunks; c; c = c->next)
      for (i = 0; i < c->used; i++) {
         c->s[i].parent = c->s[i].parent2 = NULL;
         c->s[i].link = c->s[i].link2 = NULL;
      }
}

static GpFn* unknown_fn;       /* frames whose callee never became known */

void gp_cs_init(void)
{
   gp_wmap_init(&entry_map, GP_CC("cs.entries"), 4096);
   gp_wmap_init(&site_map, GP_CC("cs.sitemap"), 4096);
   gp_wmap_init(&site_caller, GP_CC("cs.sitecaller"), 4096);
   unknown_fn = gp_fn_pseudo("(unknown)");
   gp_pending_fn.name = "(pending)";
   gp_top_sp = ~(Addr)0;
}

void gp_cs_note_entry(Addr a, GpFn* fn)
{
   if (a) *gp_wmap_insert(&entry_map, a) = (UWord)fn;
}

/* Bumped whenever an entry is forgotten: PLT records and indirect call
   sites cache the function at their last target and must not trust it
   across code going away. */
static UWord entry_gen = 1;   /* call sites start with generation 0: empty */

void gp_cs_forget_entry(Addr a)
{
   if (a) gp_wmap_remove(&entry_map, a);
   entry_gen++;
}

GpFn* gp_cs_entry_fn(Addr a)
{
   UWord* v = gp_wmap_find(&entry_map, a);
   return v ? (GpFn*)*v : NULL;
}

/* ---------------------------------------------------------------------- */
/* frame primitives                                                        */
/* ---------------------------------------------------------------------- */

static inline GpFrame* top_of(GpThread* t) { return &t->frames[t->depth - 1]; }

static void publish(GpThread* t)
{
   if (t == gp_cur_thread) gp_top_sp = top_of(t)->sp;
}

/* Charges the instructions since the last transition to the top frame.
   A pending frame charges nothing yet: its instructions go to whatever it
   is resolved to. */
static inline void accrue(GpThread* t, ULong now)
{
   GpFrame* f = top_of(t);
   ULong d;
   if (!f->fn) return;
   d = now - t->last;
   f->fn->self += d;
   f->node->self += d;
   t->last = now;
}

/* Counts an activation of fn on t's stack; True if it is the outermost
   (fn was not active lower on this stack).  The count lives in the
   function while one thread owns it (the common case: no hashing); a
   thread entering a function another thread is inside counts in its own
   map. */
static inline Bool depth_inc(GpThread* t, GpFrame* f, GpFn* fn)
{
   UWord* slot;
   if (GP_LIKELY(fn->depth_owner == t || fn->depth == 0)) {
      Bool outer = fn->depth == 0;
      if (outer && fn->in_maps && t->fn_depth.used) {
         /* this thread may have activations counted in its map */
         UWord* m = gp_wmap_find(&t->fn_depth, (UWord)fn);
         if (m && *m) outer = False;
      }
      fn->depth_owner = t;
      fn->depth++;
      if (GP_UNLIKELY(fn->depth > fn->max_depth)) fn->max_depth = fn->depth;
      return outer;
   }
   slot = gp_wmap_insert(&t->fn_depth, (UWord)fn);
   if (*slot == 0) fn->in_maps++;
   f->flags |= GP_FR_DEPTHMAP;
   if (GP_UNLIKELY(*slot + 1 > fn->max_depth)) fn->max_depth = (UInt)(*slot + 1);
   return (*slot)++ == 0;
}

/* Activations of fn on t's stack live in fn->depth while t owns the
   count, and in t's map otherwise (see depth_inc). */
Bool gp_cs_fn_active(const GpThread* t, const GpFn* fn)
{
   const UWord* m;
   if (fn->depth_owner == t && fn->depth > 0) return True;
   if (!t->fn_depth.used || !fn->in_maps) return False;
   m = gp_wmap_find((GpWordMap*)&t->fn_depth, (UWord)fn);
   return m && *m;
}

static inline void depth_dec(GpThread* t, GpFrame* f)
{
   if (f->flags & GP_FR_DEPTHMAP) {
      UWord* slot = gp_wmap_find(&t->fn_depth, (UWord)f->fn);
      if (slot && --(*slot) == 0) {
         gp_wmap_remove(&t->fn_depth, (UWord)f->fn);
         f->fn->in_maps--;
      }
      f->flags &= ~GP_FR_DEPTHMAP;
   } else {
      f->fn->depth--;
   }
}

/* The call-path link for a call of fn from frame parent, with its
   call-graph edge attached on first use; cs (if known) caches it.  A link
   found in cs's cache went through the check below when it was cached
   (edges are never detached), so the common path does not read the
   edge, which is not in the node's hot cache line (gp_cct.h). */
static inline GpLink* call_link(GpThread* t, GpFrame* parent, GpFn* fn,
                                Addr ret_addr, GpCallSite* cs)
{
   GpLink* l;
   if (GP_LIKELY(cs != NULL)) {
      GpNode* pn = parent->node;
      l = cs->link;
      if (GP_LIKELY(cs->parent == pn && l->fn == fn)) return l;
      l = cs->link2;
      if (cs->parent2 == pn && l->fn == fn) return l;
      /* a miss: the first way's entry moves to the second */
      l = gp_tree_link(t->tree, pn, fn);
      cs->parent2 = cs->parent;
      cs->link2 = cs->link;
      cs->parent = pn;
      cs->link = l;
   } else {
      l = gp_tree_link(t->tree, parent->node, fn);
   }
   if (GP_UNLIKELY(!l->edge)) {
      l->edge = gp_edge_get(parent->fn, fn);
      if (!l->edge->call_site && ret_addr)
         gp_edge_set_site(l->edge, ret_addr - 1);
   }
   return l;
}

/* Gives frame f (the top frame) its function: call path, edge, counts. */
static void enter(GpThread* t, GpFrame* f, GpFn* fn)
{
   GpLink* l;
   f->fn = fn;
   if (GP_UNLIKELY(fn->flags & GP_FN_TOGGLE)) {
      /* --toggle-collect: flipped before counting, so the call and the
         function's own cost are inside the switched state */
      f->flags |= GP_FR_TOGGLE;
      gp_control_toggle(t, +1);
   }
   if (f == &t->frames[0] || (f->flags & GP_FR_SIGNAL)) {
      /* Thread roots and signal handlers have no caller: a handler runs
         wherever the signal happened to arrive, so hanging it under the
         interrupted function would make call paths depend on timing
         (Callgrind also shows handlers as roots, with no calls). */
      l = gp_tree_link(t->tree, t->tree->root, fn);
      f->link = NULL;
   } else {
      l = call_link(t, f - 1, fn, f->ret_addr, NULL);
      f->link = l;
      if (GP_LIKELY(t->collecting)) {
         l->calls++;
         fn->calls++;
         gp_cs_calls_total++;
      }
   }
   f->node = l->target;
   if (GP_LIKELY(t->collecting)) f->node->calls++;
   f->node->active++;
   if (depth_inc(t, f, fn)) f->flags |= GP_FR_OUTERMOST;
}

/* Undoes enter() for a frame that executed nothing (wrong guess). */
static void unenter(GpThread* t, GpFrame* f)
{
   if (t->collecting) {
      f->node->calls--;
      if (f->link) { f->link->calls--; f->fn->calls--; gp_cs_calls_total--; }
   }
   f->node->active--;
   if (f->flags & GP_FR_TOGGLE) {
      f->flags &= ~GP_FR_TOGGLE;
      gp_control_toggle(t, -1);
   }
   depth_dec(t, f);
   f->flags &= ~GP_FR_OUTERMOST;
   f->fn = NULL;
   f->node = NULL;
   f->link = NULL;
}

/* Books a frame's duration when it goes. */
static void leave(GpThread* t, GpFrame* f, ULong now)
{
   ULong d = now - f->entry;
   f->node->active--;
   if (f->node->active == 0) f->node->incl += d;
   if (f->link) f->link->incl += d;
   if (f->flags & GP_FR_OUTERMOST) f->fn->incl += d;
   depth_dec(t, f);
   if (GP_UNLIKELY(f->flags & GP_FR_TOGGLE)) gp_control_toggle(t, -1);
}

/* A pending top frame learns its callee. */
static void resolve(GpThread* t, GpFrame* f, GpFn* fn, ULong now)
{
   if ((f->flags & GP_FR_PLT) && t->depth >= 2) {
      /* The PLT stub's instructions are the caller's (as in Callgrind):
         charge them there and start the callee's clock now. */
      GpFrame* caller = f - 1;
      ULong d = now - t->last;
      caller->fn->self += d;
      caller->node->self += d;
      t->last = now;
      f->entry = now;
   }
   enter(t, f, fn);
}

/* A new top frame, with no function yet (the caller checked the room). */
static inline GpFrame* new_frame(GpThread* t, Addr sp, Addr ret_addr,
                                 UInt flags, ULong now)
{
   GpFrame* f = &t->frames[t->depth++];
   f->sp = sp;
   f->fn = NULL;
   f->node = NULL;
   f->link = NULL;
   f->entry = now;
   f->ret_addr = ret_addr;
   f->flags = flags;
   if (t->depth > t->max_depth) t->max_depth = t->depth;
   return f;
}

static void push(GpThread* t, GpFn* fn, Addr sp, Addr ret_addr, UInt flags,
                 ULong now)
{
   GpFrame* f;
   if (t->depth > 0) {
      GpFrame* top = top_of(t);
      /* Only a resolved frame can have callees (their self time would
         otherwise be charged to nobody). */
      if (!top->fn) resolve(t, top, unknown_fn, now);
      accrue(t, now);
   } else {
      t->last = now;
   }
   if (t->depth == t->cap) {
      t->cap = t->cap ? t->cap * 2 : 256;
      t->frames = VG_(realloc)(GP_CC("cs.frames"), t->frames,
                               t->cap * sizeof(GpFrame));
   }
   f = new_frame(t, sp, ret_addr, flags, now);
   if (fn) enter(t, f, fn);
}

static void pop(GpThread* t, ULong now)
{
   GpFrame* f = top_of(t);
   st.ret_frames++;
   if (!f->fn) enter(t, f, unknown_fn);
   accrue(t, now);
   leave(t, f, now);
   if (f->flags & GP_FR_SIGNAL) t->n_sig--;
   t->depth--;
}

/* Has SP left the region of the signal handler whose frame is f? */
static inline Bool left_handler(const GpThread* t, const GpFrame* f, Addr sp)
{
   const GpSigCtx* c = &t->sig[f->ret_addr];
   return sp < c->lo || sp >= c->hi;
}

/* Pops every frame SP has left. */
static void unwind(GpThread* t, Addr sp, ULong now)
{
   while (t->depth > 1) {
      GpFrame* f = top_of(t);
      if (f->sp < sp
          || ((f->flags & GP_FR_SIGNAL) && left_handler(t, f, sp))) {
         pop(t, now);
         continue;
      }
      break;
   }
}

/* ---------------------------------------------------------------------- */
/* helpers called from generated code                                      */
/* ---------------------------------------------------------------------- */

/* The common call, in one pass: push() + enter() + publish() for the
   case where none of their special cases applies -- a known callee that
   is no --toggle-collect function, a resolved top frame that the call
   leaves live (not a signal handler's), a collecting thread with room on
   its stack.  A call (cs given) needs SP below the top frame's; a tail
   call (a jump to a function's entry, cs NULL) has the SP of the frame it
   replaces, as the two return together.  About one call in two hundred
   misses it; the general path gives the same result.  Most of glprof's
   per-call cost is here, so it is kept flat. */
static inline Bool push_fast(GpThread* t, GpFn* callee, Addr sp, GpCallSite* cs,
                             ULong now)
{
   GpFrame* f = top_of(t);
   GpFrame* nf;
   GpLink* l;
   GpNode* node;
   Addr ret_addr = cs ? cs->ret_addr : 0;
   if (GP_UNLIKELY(callee == NULL || callee == GP_CALLEE_PLT
                   || (callee->flags & GP_FN_TOGGLE)
                   || !t->collecting
                   || t->depth == t->cap || !f->fn
                   || (cs ? f->sp <= sp : f->sp < sp)
                   || (f->flags & GP_FR_SIGNAL)))
      return False;
   accrue(t, now);
   l = call_link(t, f, callee, ret_addr, cs);
   node = l->target;
   nf = new_frame(t, sp, ret_addr, cs ? GP_FR_CALL : GP_FR_TAIL, now);
   nf->fn = callee;
   nf->node = node;
   nf->link = l;
   l->calls++;
   callee->calls++;
   gp_cs_calls_total++;
   node->calls++;
   node->active++;
   /* A function another thread is inside is counted in this thread's map
      (depth_inc); that frame's return takes the general path, this
      thread's other calls and returns stay here. */
   if (depth_inc(t, nf, callee)) nf->flags |= GP_FR_OUTERMOST;
   gp_top_sp = sp;              /* publish() */
   return True;
}

/* unfolded: the running thread's counter word (gp_tool.h), which the fast
   paths add to the clock without folding it (three stores fewer per call
   and return); whatever goes on to the general path folds it first. */
static inline Bool call_fast(GpThread* t, GpFn* callee, Addr sp, GpCallSite* cs,
                             ULong unfolded)
{
   if (!push_fast(t, callee, sp, cs, t->accum + (gp_icount + unfolded - t->c_start)))
      return False;
   gp_just_called = (UWord)callee;
   return True;
}

/* The common return, in one pass: pop() of the plain frames SP has left
   (no signal handler's, no --toggle-collect function's, activations
   counted in their functions), from the top down -- one frame for a
   return, two or more when the function returning was reached by tail
   calls, which return with their caller's frame.  Stops at the first frame
   that is not plain or that SP has not left; True if SP has left no more
   frames and the new top frame is a resolved frame, not a signal
   handler's, so the general path has nothing left to do.  Anything else
   (a handler's frame, a pending one, ...) goes on in the general path,
   which gives the same result. */
static inline Bool return_fast(GpThread* t, Addr sp, ULong unfolded)
{
   GpFrame* f = top_of(t);
   ULong now;
   if (GP_UNLIKELY(t->depth < 2 || f->fn == NULL || f->sp >= sp
                   || (f->flags & (GP_FR_SIGNAL | GP_FR_DEPTHMAP | GP_FR_TOGGLE))))
      return False;
   now = t->collecting ? t->accum + (gp_icount + unfolded - t->c_start) : t->accum;
   accrue(t, now);
   do {
      GpFn* fn = f->fn;
      GpNode* node = f->node;
      ULong d = now - f->entry;    /* leave() */
      if (--node->active == 0) node->incl += d;
      if (f->link) f->link->incl += d;
      if (f->flags & GP_FR_OUTERMOST) fn->incl += d;
      fn->depth--;
      t->depth--;
      f--;
   } while (t->depth >= 2 && f->fn != NULL && f->sp < sp
            && !(f->flags & (GP_FR_SIGNAL | GP_FR_DEPTHMAP | GP_FR_TOGGLE)));
   gp_top_sp = f->sp;           /* publish() */
   return GP_LIKELY(f->sp >= sp && f->fn != NULL && !(f->flags & GP_FR_SIGNAL));
}

VG_REGPARM(2) void gp_cs_sb_return(Addr sp, void* gs)
{
   GpThread* t;
   if (GP_UNLIKELY(gp_lockobs_sp < sp)) {
      gp_icount_fold(gs);
      gp_lockobs_returned(sp);
   }
   t = gp_cur_thread;
   if (GP_LIKELY(return_fast(t, sp, *gp_icount_word(gs)))) return;
   gp_icount_fold(gs);
   st.ret_slow++;   /* (and a chain partly popped above goes on here) */
   unwind(t, sp, gp_thread_now(t));
   publish(t);
}

/* A return point in code without a symbol (or a PLT stub): as
   gp_cs_sb_return, and a pending top frame (a call whose callee was not
   known) is this code's. */
VG_REGPARM(3) void gp_cs_sb_return_to(GpFn* fn, Addr sp, void* gs)
{
   GpThread* t = gp_cur_thread;
   GpFrame* f;
   ULong now;
   if (GP_UNLIKELY(gp_lockobs_sp < sp)) {
      gp_icount_fold(gs);
      gp_lockobs_returned(sp);
   }
   if (GP_LIKELY(return_fast(t, sp, *gp_icount_word(gs)))) return;
   gp_icount_fold(gs);
   st.sb_enter++;
   now = gp_thread_now(t);
   unwind(t, sp, now);
   f = top_of(t);
   if (fn && !f->fn) resolve(t, f, fn, now);
   publish(t);
}

/* A function's entry whose test found that the last call was not to fn
   (gp_just_called, read here before generated code clears it). */
VG_REGPARM(3) void gp_cs_sb_entry(GpFn* fn, Addr sp, void* gs)
{
   GpThread* t = gp_cur_thread;
   UWord just_called = gp_just_called;
   ULong now;
   GpFrame* f;
   gp_icount_fold(gs);
   /* (a rare helper: where the thread's word is, for gp_icount_sync) */
   gp_icount_learn(t->tid, gs);

   /* a lock call returned (gp_lockobs.h): booked before its frame goes */
   if (GP_UNLIKELY(gp_lockobs_sp < sp)) gp_lockobs_returned(sp);
   st.sb_enter++;
   now = gp_thread_now(t);
   unwind(t, sp, now);
   f = top_of(t);
   if (f->fn != fn) {
      if (!f->fn) {
         st.resolved++;
         resolve(t, f, fn, now);
      } else if ((f->flags & GP_FR_CALL) && f->entry == now && f->sp == sp) {
         /* Nothing ran since the call: the callee we assumed is not the
            code that runs (a function Valgrind redirected, e.g. malloc to
            the replacement allocator).  Name the frame after the code. */
         st.renamed++;
         unenter(t, f);
         enter(t, f, fn);
      } else if (f->fn->flags & GP_FN_POP_ON_JUMP) {
         /* The resolver jumps to the function it bound: that is the call
            the program made. */
         Addr fsp = f->sp, ra = f->ret_addr;
         UInt fl = f->flags & GP_FR_CALL;
         pop(t, now);
         push(t, fn, fsp, ra, fl, now);
      } else {
         /* A jump to another function's entry: a tail call.  It returns
            with its caller's frame (both are popped by the same SP). */
         st.tail_calls++;
         if (!push_fast(t, fn, sp, NULL, now))
            push(t, fn, sp, 0, GP_FR_TAIL, now);
      }
   } else if (!just_called) {
      /* The running function's own entry, reached by a jump: a recursive
         tail call or a loop back to the first instruction.  Callgrind
         counts it as a call; so does glprof, to stay comparable. */
      st.tail_calls++;
      if (!push_fast(t, fn, sp, NULL, now))
         push(t, fn, sp, 0, GP_FR_TAIL, now);
   }
   publish(t);
}

/* A call that call_fast does not take. */
static void __attribute__((noinline))
call_slow(GpThread* t, GpFn* callee, Addr sp, GpCallSite* cs)
{
   ULong now;
   GpFrame* f;
   UInt flags = GP_FR_CALL;

   st.call_slow++;
   now = gp_thread_now(t);
   f = top_of(t);

   /* Frames whose SP the call's own SP has reached are gone (an unwind
      landed in code that is no return point, e.g. a C++ landing pad): a
      live caller's frame is always above its callee's. */
   while (t->depth > 1 && (f->sp <= sp
          || ((f->flags & GP_FR_SIGNAL) && left_handler(t, f, sp)))) {
      pop(t, now);
      f = top_of(t);
   }
   if (!f->fn) {
      UWord* caller = gp_wmap_find(&site_caller, cs->ret_addr);
      resolve(t, f, caller && *caller ? (GpFn*)*caller : unknown_fn, now);
   }
   if (callee == GP_CALLEE_PLT) {
      callee = NULL;
      flags |= GP_FR_PLT;
   }
   push(t, callee, sp, cs->ret_addr, flags, now);
   publish(t);
   f = top_of(t);
   gp_just_called = (UWord)(f->fn ? f->fn : &gp_pending_fn);
}

static inline void call_general(GpFn* callee, Addr sp, GpCallSite* cs, void* gs)
{
   GpThread* t = gp_cur_thread;
   if (GP_LIKELY(call_fast(t, callee, sp, cs, *gp_icount_word(gs)))) return;
   gp_icount_fold(gs);
   call_slow(t, callee, sp, cs);
}

VG_REGPARM(3) void gp_cs_call(GpFn* callee, Addr sp, GpCallSite* cs, UWord n,
                              void* gs)
{
   gp_icount += n;
   call_general(callee, sp, cs, gs);
}

/* Calls to a PLT stub: the slot the stub jumps through names the callee
   (gp_plt.h); the stub's instructions are counted ahead, for the caller.
   The slot is read until it leads to known code (lazy binding done, the
   callee translated), and the function found there is then trusted
   without reading the slot again: the slot is program memory that every
   such call would otherwise miss in the cache.  The trust needs no
   check here, because the callee's entry checks it: an entry whose
   function is not the one the call pushed renames the frame before
   anything of it runs (gp_cs_sb_entry), so a slot the program rewrites
   costs a helper call, never a wrong profile.  Otherwise (no code known
   at the slot yet) a pending frame, resolved at the callee's entry. */
VG_REGPARM(3) void gp_cs_call_plt(GpPlt* p, Addr sp, GpCallSite* cs, UWord n,
                                  UWord direct, void* gs)
{
   gp_icount += n;
   if (GP_LIKELY(p->got != 0)) {
      GpFn* fn = p->fn;
      if (GP_UNLIKELY(fn == NULL || p->gen != entry_gen)) {
         fn = gp_cs_entry_fn(*(const Addr*)p->got);
         p->fn = fn;
         p->gen = entry_gen;
      }
      if (fn) {
         gp_icount += p->n_instrs;
         if (GP_LIKELY(call_fast(gp_cur_thread, fn, sp, cs, *gp_icount_word(gs)))) {
            /* the stub's superblock subtracts what was counted ahead;
               a direct exit skips it */
            gp_plt_ahead = direct ? 0 : p->n_instrs;
            return;
         }
         gp_icount -= p->n_instrs;
      }
   }
   st.call_plt_slow++;
   /* A direct exit skips the stub: count it as its superblock would
      have, for the caller (the pending frame starts after it). */
   if (direct) gp_icount += p->n_instrs;
   call_general(GP_CALLEE_PLT, sp, cs, gs);
}

/* Indirect calls: the target is only known now.  Most indirect call
   sites call one target again and again (a method table, a callback), so
   each site remembers its last target.  Otherwise entries translated so
   far are in entry_map; failing that, ask debug info once and remember
   (code without a symbol gets its address-named function here, so it
   never needs a test of its own). */
VG_REGPARM(3) void gp_cs_call_indirect(Addr target, Addr sp, GpCallSite* cs,
                                       UWord n, void* gs)
{
   GpFn* callee;
   if (GP_LIKELY(cs->ind_target == target && cs->ind_gen == entry_gen)) {
      callee = cs->ind_fn;
   } else {
      UWord* v = gp_wmap_find(&entry_map, target);
      if (v) {
         callee = (GpFn*)*v;
      } else {
         GpCodeKind k;
         callee = gp_fn_at(target, &k);
         if (k == GP_CODE_PLT) callee = GP_CALLEE_PLT;
         else gp_cs_note_entry(target, callee);
      }
      cs->ind_target = target;
      cs->ind_fn = callee;
      cs->ind_gen = entry_gen;
   }
   gp_icount += n;
   call_general(callee, sp, cs, gs);
}

void gp_cs_print_stats(void)
{
   VG_(message)(Vg_DebugMsg, "glprof: calls %'llu: slow path %'llu (PLT %'llu), "
                "tail calls %'llu\n", gp_cs_calls_total, st.call_slow,
                st.call_plt_slow, st.tail_calls);
   VG_(message)(Vg_DebugMsg, "glprof: returns: slow path %'llu (frames popped "
                "there %'llu); entry helper %'llu (pending resolved %'llu, "
                "renamed %'llu)\n", st.ret_slow, st.ret_frames, st.sb_enter,
                st.resolved, st.renamed);
}

/* ---------------------------------------------------------------------- */
/* threads                                                                 */
/* ---------------------------------------------------------------------- */

void gp_cs_thread_start(GpThread* t)
{
   t->depth = 0;
   t->last = 0;
   push(t, NULL, ~(Addr)0, 0, GP_FR_ROOT, 0);
}

void gp_cs_thread_finish(GpThread* t)
{
   ULong now = gp_thread_now(t);
   while (t->depth > 0) pop(t, now);
   if (t == gp_cur_thread) {
      gp_top_sp = ~(Addr)0;
   }
}

void gp_cs_publish(GpThread* t)
{
   publish(t);
}

void gp_cs_bank_open_frames(GpThread* t)
{
   ULong now = gp_thread_now(t);
   GpWordMap seen;
   UInt i;
   if (t->depth == 0) return;
   accrue(t, now);
   gp_wmap_init(&seen, GP_CC("cs.bank"), t->depth);
   for (i = 0; i < t->depth; i++) {
      GpFrame* f = &t->frames[i];
      ULong d = now - f->entry;
      if (!f->fn) continue;
      if (f->link) f->link->incl += d;
      if (f->flags & GP_FR_OUTERMOST) f->fn->incl += d;
      /* a node's inclusive time is its outermost activation's */
      if (!gp_wmap_find(&seen, (UWord)f->node)) {
         *gp_wmap_insert(&seen, (UWord)f->node) = 1;
         f->node->incl += d;
      }
      f->entry = now;
   }
   gp_wmap_free(&seen);
   if (t == gp_cur_thread) {
      t->accum = now;
      t->c_start = gp_icount;
   }
}

void gp_cs_recount_depths(GpThread* t)
{
   UInt i, n = gp_fn_count();
   for (i = 0; i < n; i++) {
      GpFn* f = gp_fn_by_index(i);
      f->depth = 0;
      f->depth_owner = NULL;
   }
   /* (in_maps keeps the cleared entries: an over-count only costs a
      lookup, an under-count would lose an activation) */
   gp_wmap_clear(&t->fn_depth);
   for (i = 0; i < t->depth; i++) {
      GpFrame* f = &t->frames[i];
      f->flags &= ~GP_FR_DEPTHMAP;
      if (f->fn) (void)depth_inc(t, f, f->fn);
   }
}

/* ---------------------------------------------------------------------- */
/* signals                                                                 */
/* ---------------------------------------------------------------------- */

void gp_cs_pre_signal(ThreadId tid, Int sigNo, Bool alt_stack)
{
   GpThread* t;
   ULong now;
   GpFrame* f;
   GpSigCtx* c;
   Addr sp = VG_(get_SP)(tid);

   gp_thread_switch(tid);
   t = gp_cur_thread;
   now = gp_thread_now(t);
   unwind(t, sp, now);
   f = top_of(t);
   if (!f->fn) {
      /* Interrupted inside a PLT stub or unknown code: the code at the
         interrupted IP names the frame. */
      GpCodeKind k;
      GpFn* at = gp_fn_at(VG_(get_IP)(tid), &k);
      resolve(t, f, at ? at : unknown_fn, now);
   }
   if (t->n_sig == t->cap_sig) {
      t->cap_sig = t->cap_sig ? t->cap_sig * 2 : 8;
      t->sig = VG_(realloc)(GP_CC("cs.sig"), t->sig,
                            t->cap_sig * sizeof(GpSigCtx));
   }
   c = &t->sig[t->n_sig];
   /* The signal may arrive between a call and its callee's entry: the
      handler's own calls must not consume the flag that entry needs. */
   c->just_called = gp_just_called;
   gp_just_called = 0;
   c->plt_ahead = gp_plt_ahead;
   gp_plt_ahead = 0;
   if (alt_stack) {
      c->lo = VG_(thread_get_altstack_min)(tid);
      c->hi = c->lo + VG_(thread_get_altstack_size)(tid);
   } else {
      /* The handler's frame goes below the interrupted SP (and its red
         zone); being back at or above that SP means it is gone. */
      c->lo = 0;
      c->hi = sp;
   }
   /* The frame's sp is the highest SP still inside the handler, so the
      inline test at superblock starts notices when it is left. */
   push(t, NULL, c->hi - 1, t->n_sig, GP_FR_SIGNAL, now);
   t->n_sig++;
   publish(t);
}

void gp_cs_post_signal(ThreadId tid, Int sigNo)
{
   GpThread* t;
   ULong now;
   UInt i;
   gp_thread_switch(tid);
   t = gp_cur_thread;
   now = gp_thread_now(t);
   /* Pop down to the newest handler frame, if it is still there (a handler
      that longjmp'd out was popped already, and the core never calls this
      for it). */
   for (i = t->depth; i > 1; i--)
      if (t->frames[i - 1].flags & GP_FR_SIGNAL) break;
   if (i > 1) {
      gp_just_called = t->sig[t->frames[i - 1].ret_addr].just_called;
      gp_plt_ahead = t->sig[t->frames[i - 1].ret_addr].plt_ahead;
      while (t->depth >= i) pop(t, now);
   }
   publish(t);
}

/* ---------------------------------------------------------------------- */
/* stacks for allocation sites                                             */
/* ---------------------------------------------------------------------- */

UInt gp_cs_stack_ips(GpThread* t, Addr ip, Addr* ips, UInt max)
{
   UInt n = 0;
   Int i;
   if (max == 0) return 0;
   ips[n++] = ip;
   for (i = (Int)t->depth - 1; i >= 0 && n < max; i--) {
      const GpFrame* f = &t->frames[i];
      if (f->ret_addr == 0 || (f->flags & GP_FR_SIGNAL)) continue;
      ips[n++] = f->ret_addr - 1;
   }
   return n;
}
