/* gp_locks.c -- the pthread lock profile, fed by the observer of the lock
   functions (gp_lockobs.c) with the events of gp_locks.h.

   The tool keeps, per live lock (keyed by its address), who holds it:
   the exclusive owner (mutex, spin lock, rwlock writer) with its
   recursion depth, and the number of readers of an rwlock.  An acquire
   is "contended" when another thread holds the lock at the moment it is
   asked for (the entry of the lock function); the outcome is then taken
   when the call returns, so the owner changes only when it really does.
   An uncontended acquire is booked at once.

   Figures are kept per lock site: the kind and the program's line that
   initialised the lock (pthread_*_init), or first used it for locks set
   up statically (PTHREAD_MUTEX_INITIALIZER).  Sites are deterministic;
   lock addresses are not and are never shown.  A lock destroyed and a new
   one initialised at the same address are two locks.

   What depends on scheduling: 'contended' and 'busy' (which thread asked
   first), for a lock first used by several threads at once its site, and
   a little of held_ir (the holder's own instructions between getting and
   releasing the lock, a measure of serialisation: it includes the unlock
   call, whose wake-up path runs only when someone waits).  The
   acquisitions depend only on the program, and every count is the
   program's: nothing of glprof runs as guest code around a lock call. */

#include "gp_locks.h"
#include "gp_io_site.h"
#include "gp_threads.h"
#include "gp_util.h"

/* Collected per (kind, site). */
typedef struct {
   GpLockSite s;
} SiteAcc;

/* A robust mutex whose owner died is handed over with this result (the
   generic Linux value; VKI headers do not define it). */
#if defined(VKI_EOWNERDEAD)
#  define GP_EOWNERDEAD VKI_EOWNERDEAD
#elif defined(VGA_mips32) || defined(VGA_mips64) || defined(VGA_nanomips)
#  define GP_EOWNERDEAD 165
#else
#  define GP_EOWNERDEAD 130
#endif

typedef struct {
   Addr      addr;
   GpLockKind kind;
   SiteAcc*  site;
   ThreadId  owner;          /* exclusive holder, 0 if none */
   UInt      depth;          /* owner's recursion depth */
   UInt      readers;        /* rwlock readers */
   ULong     hold_start;     /* owner's thread clock when it got the lock */
   UInt      last_thread;    /* index + 1 of the last acquiring thread */
   UInt      n_threads;      /* distinct acquiring threads */
   UWord*    seen;           /* bitset of their indices (once >= 2) */
   UInt      seen_words;
} Lock;

static GpWordMap locks;          /* address -> Lock* (live locks) */
static GpWordMap sites_by_key;   /* loc + kind -> SiteAcc* */
static XArray*   all_sites;      /* SiteAcc* */

void gp_locks_init(void)
{
   gp_wmap_init(&locks, GP_CC("locks.map"), 64);
   gp_wmap_init(&sites_by_key, GP_CC("locks.sites"), 16);
   all_sites = VG_(newXA)(VG_(malloc), GP_CC("locks.sites"), VG_(free), sizeof(SiteAcc*));
}

const HChar* gp_lock_kind_name(GpLockKind k)
{
   return k == GP_LOCK_RWLOCK ? "rwlock" : k == GP_LOCK_SPIN ? "spin" : "mutex";
}

static SiteAcc* site_get(GpLockKind kind, GpFrameLoc* loc, Bool from_init,
                         GpFrameLoc* internal_caller)
{
   /* Frame locations are malloc'd (8-aligned): adding the kind (1..3)
      and 4 for internal locks keeps keys distinct. */
   UWord key = (UWord)loc + (UWord)kind + (internal_caller ? 4 : 0);
   UWord* slot = gp_wmap_insert(&sites_by_key, key);
   SiteAcc* s;
   if (*slot) return (SiteAcc*)*slot;
   s = VG_(calloc)(GP_CC("locks.site"), 1, sizeof(SiteAcc));
   s->s.kind = kind;
   s->s.site = loc;
   s->s.from_init = from_init;
   s->s.internal = internal_caller != NULL;
   s->s.caller = internal_caller;
   VG_(addToXA)(all_sites, &s);
   *slot = (UWord)s;
   return s;
}

static void lock_free(Lock* l)
{
   if (l->seen) VG_(free)(l->seen);
   VG_(free)(l);
}

/* A lock the C runtime takes itself (the loader's TLS and dlopen locks,
   taken inside pthread_create, dlopen, exit) is internal: the program only
   asked for something that needed it.  The C11 lock functions (mtx_*,
   cnd_*) and the C++ runtime (std::condition_variable::wait ...) are thin
   layers over the pthread ones: their locks are the program's. */
static Bool taken_by_c_runtime(const GpFrameLoc* caller)
{
   const HChar* n;
   if (!caller || !caller->obj || !gp_site_obj_is_c_runtime(caller->obj)) return False;
   n = caller->name;
   return !(VG_(strncmp)(n, "mtx_", 4) == 0 || VG_(strncmp)(n, "cnd_", 4) == 0
            || VG_(strncmp)(n, "__mtx_", 6) == 0 || VG_(strncmp)(n, "__cnd_", 6) == 0);
}

static Lock* lock_new(ThreadId tid, Addr a, GpLockKind kind, Bool from_init,
                      Bool at_entry)
{
   Bool user;
   GpFrameLoc* caller;
   Lock* l = VG_(calloc)(GP_CC("locks.lock"), 1, sizeof(Lock));
   GpFrameLoc* site = at_entry ? gp_site_at_entry(tid, &user, &caller)
                               : gp_site_here(tid, &user, &caller);
   Bool internal = !user || taken_by_c_runtime(caller);
   l->addr = a;
   l->kind = kind;
   l->site = site_get(kind, site, from_init, internal ? caller : NULL);
   l->site->s.objects++;
   *gp_wmap_insert(&locks, a) = (UWord)l;
   return l;
}

/* The live lock at a, created on first use (static initialisers). */
static Lock* lock_at(ThreadId tid, Addr a, GpLockKind kind, Bool at_entry)
{
   UWord* v = gp_wmap_find(&locks, a);
   if (v) return (Lock*)*v;
   return lock_new(tid, a, kind, False, at_entry);
}

static void lock_forget(Addr a)
{
   UWord* v = gp_wmap_find(&locks, a);
   if (!v) return;
   lock_free((Lock*)*v);
   gp_wmap_remove(&locks, a);
}

static ULong clock_of(ThreadId tid)
{
   GpThread* t = gp_thread_of(tid);
   return t ? gp_thread_now(t) : 0;
}

/* Counts distinct acquiring threads (a bitset of thread indices, made
   only when a second thread shows up). */
static void note_thread(Lock* l, ThreadId tid)
{
   GpThread* t = gp_thread_of(tid);
   UInt ix, w;
   UWord bit;
   if (!t) return;
   ix = t->index;
   if (l->last_thread == ix + 1) return;
   if (l->last_thread == 0) {
      l->last_thread = ix + 1;
      l->n_threads = 1;
      return;
   }
   w = ix / (8 * sizeof(UWord));
   bit = (UWord)1 << (ix % (8 * sizeof(UWord)));
   if (!l->seen) {
      UInt first = l->last_thread - 1;
      l->seen_words = (first > ix ? first : ix) / (8 * sizeof(UWord)) + 1;
      l->seen = VG_(calloc)(GP_CC("locks.seen"), l->seen_words, sizeof(UWord));
      l->seen[first / (8 * sizeof(UWord))] |= (UWord)1 << (first % (8 * sizeof(UWord)));
   }
   if (w >= l->seen_words) {
      UInt n = w + 1;
      l->seen = VG_(realloc)(GP_CC("locks.seen"), l->seen, n * sizeof(UWord));
      VG_(memset)(l->seen + l->seen_words, 0, (n - l->seen_words) * sizeof(UWord));
      l->seen_words = n;
   }
   l->last_thread = ix + 1;
   if (l->seen[w] & bit) return;
   l->seen[w] |= bit;
   l->n_threads++;
   if (l->n_threads > l->site->s.threads) l->site->s.threads = l->n_threads;
}

/* Is l held, in a way that makes this request wait? */
static Bool held_by_other(const Lock* l, ThreadId tid, UWord mode)
{
   if (l->owner && l->owner != tid) return True;
   /* a writer waits for readers */
   return mode == GP_MODE_WRITE && l->kind == GP_LOCK_RWLOCK
          && l->owner == 0 && l->readers > 0;
}

/* The lock is now held by tid. */
static void take(Lock* l, ThreadId tid, UWord mode)
{
   GpLockSite* s = &l->site->s;
   s->acquisitions++;
   if (l->site->s.threads == 0) l->site->s.threads = 1;
   note_thread(l, tid);
   if (mode == GP_MODE_READ) {
      s->read_acquisitions++;
      l->readers++;
      return;
   }
   if (l->owner == tid) {   /* recursive mutex */
      l->depth++;
      return;
   }
   l->owner = tid;
   l->depth = 1;
   l->hold_start = clock_of(tid);
}

/* Undoes take() for an acquire booked early that then failed. */
static void untake(Lock* l, ThreadId tid, UWord mode)
{
   GpLockSite* s = &l->site->s;
   if (s->acquisitions) s->acquisitions--;
   if (mode == GP_MODE_READ) {
      if (s->read_acquisitions) s->read_acquisitions--;
      if (l->readers) l->readers--;
      return;
   }
   if (l->owner == tid && --l->depth == 0) l->owner = 0;
}

/* tid gives the lock up (exclusively held, or one of its read holds). */
static void give(Lock* l, ThreadId tid, Bool all_depth)
{
   if (l->owner == tid) {
      if (!all_depth && l->depth > 1) { l->depth--; return; }
      l->site->s.held_ir += clock_of(tid) - l->hold_start;
      l->owner = 0;
      l->depth = 0;
      return;
   }
   if (l->readers) l->readers--;
}

UWord gp_locks_event(ThreadId tid, const UWord* arg, Bool at_entry)
{
   Addr a = arg[1];
   Lock* l;
   switch (arg[0]) {
   case GP_LEV_INIT: {
      /* A new lock, even if one lived here (re-initialised, or memory
         reused without pthread_*_destroy). */
      lock_forget(a);
      lock_new(tid, a, (GpLockKind)arg[2], True, at_entry);
      return 0;
   }
   case GP_LEV_DESTROY:
      lock_forget(a);
      return 0;
   case GP_LEV_ACQUIRE:
      l = lock_at(tid, a, (GpLockKind)arg[2], at_entry);
      if (held_by_other(l, tid, arg[3])) return 1;   /* report when obtained */
      take(l, tid, arg[3]);
      return 0;
   case GP_LEV_ACQUIRE_DONE:
      /* arg[4] result, arg[5] 1 = it was contended (nothing booked yet) */
      l = lock_at(tid, a, (GpLockKind)arg[2], at_entry);
      if (arg[5]) {
         if (arg[4] == 0 || arg[4] == GP_EOWNERDEAD) {
            take(l, tid, arg[3]);
            l->site->s.contended++;
         } else {
            l->site->s.busy++;
         }
      } else {
         untake(l, tid, arg[3]);
         l->site->s.busy++;
      }
      return 0;
   case GP_LEV_TRY:
      l = lock_at(tid, a, (GpLockKind)arg[2], at_entry);
      if (arg[4] == 0 || arg[4] == GP_EOWNERDEAD) take(l, tid, arg[3]);
      else l->site->s.busy++;
      return 0;
   case GP_LEV_RELEASE: {
      /* an unlock of a lock never seen taken (taken by code that is not
         wrapped) creates nothing */
      UWord* v = gp_wmap_find(&locks, a);
      if (v) give((Lock*)*v, tid, False);
      return 0;
   }
   case GP_LEV_COND_WAIT:
      /* arg[1] the condition variable, arg[2] the mutex it releases */
      l = lock_at(tid, arg[2], GP_LOCK_MUTEX, at_entry);
      l->site->s.condvar_waits++;
      give(l, tid, True);
      return 0;
   case GP_LEV_COND_WOKEN:
      /* The wait returns holding the mutex again (also on a timeout);
         it is the same hold resumed, not a new acquisition. */
      l = lock_at(tid, arg[2], GP_LOCK_MUTEX, at_entry);
      l->owner = tid;
      l->depth = 1;
      l->hold_start = clock_of(tid);
      return 0;
   default:
      return 0;
   }
}

void gp_locks_zero(void)
{
   Word i;
   for (i = 0; i < VG_(sizeXA)(all_sites); i++) {
      SiteAcc* s = *(SiteAcc**)VG_(indexXA)(all_sites, i);
      GpLockKind kind = s->s.kind;
      GpFrameLoc* loc = s->s.site;
      Bool from_init = s->s.from_init;
      ULong objects = s->s.objects;
      VG_(memset)(s, 0, sizeof(*s));
      s->s.kind = kind;
      s->s.site = loc;
      s->s.from_init = from_init;
      s->s.objects = objects;
   }
}

/* Only the forking thread lives on in the child: holds of the others are
   gone, and the threads that used each lock start again. */
void gp_locks_atfork_child(ThreadId me)
{
   UWord i;
   for (i = 0; i <= locks.mask; i++) {
      Lock* l;
      if (!locks.keys[i]) continue;
      l = (Lock*)locks.vals[i];
      if (l->owner != me) { l->owner = 0; l->depth = 0; }
      l->readers = 0;
      l->last_thread = 0;
      l->n_threads = 0;
      if (l->seen) VG_(free)(l->seen);
      l->seen = NULL;
      l->seen_words = 0;
   }
}

/* ---- analysis ------------------------------------------------------------ */

static Int cmp_desc(ULong a, ULong b) { return a > b ? -1 : a < b; }

/* Deterministic order: acquisitions, then the site, then the kind
   (never 'contended', which varies between runs). */
static Int site_cmp(const void* pa, const void* pb)
{
   const GpLockSite* a = pa;
   const GpLockSite* b = pb;
   Int r = cmp_desc(a->acquisitions, b->acquisitions);
   if (r) return r;
   if ((r = gp_site_loc_cmp(a->site, b->site))) return r;
   if (a->kind != b->kind) return (Int)a->kind - (Int)b->kind;
   if (a->internal != b->internal) return a->internal ? 1 : -1;
   return gp_site_loc_cmp(a->caller, b->caller);
}

void gp_locks_analyse(GpIoProfile* io)
{
   Word i, n = VG_(sizeXA)(all_sites);
   io->lock_sites = VG_(malloc)(GP_CC("locks.an"), (n + 1) * sizeof(GpLockSite));
   io->n_locks = 0;
   for (i = 0; i < n; i++) {
      SiteAcc* s = *(SiteAcc**)VG_(indexXA)(all_sites, i);
      if (!s->s.acquisitions && !s->s.busy && !s->s.condvar_waits) continue;
      io->lock_sites[io->n_locks++] = s->s;
      if (s->s.internal) {
         io->internal_sites++;
         io->internal_acquisitions += s->s.acquisitions;
         gp_site_mark(s->s.caller);
      } else {
         io->lock_sites_user++;
         io->lock_objects += s->s.objects;
         io->lock_acquisitions += s->s.acquisitions;
         io->lock_contended += s->s.contended;
      }
      gp_site_mark(s->s.site);
   }
   VG_(ssort)(io->lock_sites, io->n_locks, sizeof(GpLockSite), site_cmp);
}
