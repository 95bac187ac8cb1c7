/* gp_preload.c -- code glprof adds to the client process, beside Valgrind's
   replacement allocators (vgpreload_glprof-<platform>.so).  It runs on the
   simulated CPU, so it is plain C with no floating point and no calls into
   libc.

   What lives here: wrappers of the POSIX thread lock functions (mutexes,
   read-write locks, spin locks, condition-variable waits).  Each wrapper
   calls the real function and tells the tool what happened through
   glprof's internal client requests (glprof.h, offsets 0x1000 and up);
   the tool (gp_locks.c) keeps the owners, counts acquisitions and
   contention, and finds the site of each lock.

   Protocol, chosen to cost one client request per lock and one per unlock
   on the common path (a request leaves generated code, so it is the
   wrapper's main cost):
   - blocking and timed acquires announce themselves BEFORE the real call;
     the tool decides then whether another thread holds the lock
     ("contended").  If not, the acquisition is booked at once; if so
     (the thread will wait anyway), or if the call fails, the wrapper
     reports the outcome with a second request;
   - try-locks report once, after the call, with its result;
   - unlocks report after the real call succeeded (until then the lock is
     held, so a thread asking in between is rightly seen as contended);
   - a condition-variable wait releases the mutex before it sleeps and
     holds it again when it returns: one request on each side.

   Sonames: glibc 2.34 and later have the pthread functions in libc.so.6;
   older ones in libpthread.so.0 (with forwarding stubs in libc that
   programs do not normally bind to).  Every wrapper is bound to both, and
   to "name@*" for symbol tables that carry symbol versions in the name,
   all as aliases of one function, so when two patterns meet the same
   address Valgrind sees the same redirection twice (harmless) instead of
   two conflicting ones.

   When the tool does not track locks (--locks=no) the first wrapper call
   learns it (the request is not answered and yields 0) and every wrapper
   then just calls through. */

#include "pub_tool_basics.h"
#include "pub_tool_redir.h"
#include "valgrind.h"
#include "glprof.h"

#include <pthread.h>
#include <time.h>
#include <errno.h>

/* Keeps the object non-empty and marks it as glprof's. */
const char glprof_preload_id[] = "glprof preload";

/* ---- binding to several sonames and names ------------------------------- */

#define GP_STR_(x) #x
#define GP_STR(x) GP_STR_(x)

#define GP_LIBC      libcZdsoZa          /* libc.so*        */
#define GP_LIBPTHR   libpthreadZdsoZd0   /* libpthread.so.0 */

/* The wrapper itself, bound to libc.so* by the (Z-encoded soname,
   unencoded function name) form. */
#define GP_WRAPPER(fn) I_WRAP_SONAME_FNNAME_ZU(GP_LIBC, fn)

/* More names for the same wrapper: libpthread.so.0, plus "fn@*" in both
   (zfn is the Z-encoded function name, e.g. pthreadZucondZuwait). */
#define GP_ALIASES(fn, zfn)                                                   \
   extern __typeof(GP_WRAPPER(fn)) I_WRAP_SONAME_FNNAME_ZU(GP_LIBPTHR, fn)    \
      __attribute__((alias(GP_STR(GP_WRAPPER(fn)))));                        \
   extern __typeof(GP_WRAPPER(fn))                                            \
      I_WRAP_SONAME_FNNAME_ZZ(GP_LIBC, GP_CAT(zfn, ZAZa))                 \
      __attribute__((alias(GP_STR(GP_WRAPPER(fn)))));                        \
   extern __typeof(GP_WRAPPER(fn))                                            \
      I_WRAP_SONAME_FNNAME_ZZ(GP_LIBPTHR, GP_CAT(zfn, ZAZa))              \
      __attribute__((alias(GP_STR(GP_WRAPPER(fn)))));

#define GP_CAT(a, b) a##b

/* ---- talking to the tool ------------------------------------------------ */

#define GP_REQ(req, a1, a2, a3, a4)                                           \
   VALGRIND_DO_CLIENT_REQUEST_STMT((req), (a1), (a2), (a3), (a4), 0)

/* Announces a blocking or timed acquire; 1 if the lock is held by another
   thread (the outcome must then be reported). */
#define GP_ASK(l, kind, mode)                                                 \
   VALGRIND_DO_CLIENT_REQUEST_EXPR(0, _VG_USERREQ__GLPROF_LOCK_ACQUIRE,       \
                                   (l), (kind), (mode), 0, 0)
#define GP_DONE(l, kind, mode, ret, contended)                                \
   VALGRIND_DO_CLIENT_REQUEST_STMT(_VG_USERREQ__GLPROF_LOCK_ACQUIRE_DONE,     \
                                   (l), (kind), (mode), (ret), (contended))

/* 0 = not asked yet, 1 = tracked, 2 = not tracked.  Threads racing on the
   first call all store the same answer. */
static volatile int gp_tracking;

/* Inlined into every wrapper: the instrumenter recognises the wrappers by
   their source file (or, stripped, by their pthread_* names), so no code
   of them may live in a function of another name. */
static inline __attribute__((always_inline)) int gp_locks_on(void)
{
   int s = gp_tracking;
   if (s == 0) {
      s = VALGRIND_DO_CLIENT_REQUEST_EXPR(0, _VG_USERREQ__GLPROF_LOCKS_ENABLED,
                                          0, 0, 0, 0, 0) ? 1 : 2;
      gp_tracking = s;
   }
   return s == 1;
}

/* A blocking or timed acquire that may succeed with a non-zero result:
   EOWNERDEAD (robust mutexes) still hands the lock over. */
static inline __attribute__((always_inline)) int gp_acquired(int ret)
{
   return ret == 0 || ret == EOWNERDEAD;
}

/* ---- the wrappers ------------------------------------------------------- */

/* int f(lock): announce, call, report a failure. */
#define GP_ACQUIRE_1(fn, zfn, type, kind, mode)                               \
   int GP_WRAPPER(fn)(type* l);                                               \
   int GP_WRAPPER(fn)(type* l)                                                \
   {                                                                          \
      int ret, c;                                                             \
      OrigFn orig;                                                            \
      VALGRIND_GET_ORIG_FN(orig);                                             \
      if (!gp_locks_on()) { CALL_FN_W_W(ret, orig, l); return ret; }          \
      c = GP_ASK(l, kind, mode);                                              \
      CALL_FN_W_W(ret, orig, l);                                              \
      if (c || !gp_acquired(ret)) GP_DONE(l, kind, mode, ret, c);             \
      return ret;                                                             \
   }                                                                          \
   GP_ALIASES(fn, zfn)

/* int f(lock, abstime): the timed acquires. */
#define GP_ACQUIRE_TIMED(fn, zfn, type, kind, mode)                           \
   int GP_WRAPPER(fn)(type* l, const struct timespec* t);                     \
   int GP_WRAPPER(fn)(type* l, const struct timespec* t)                      \
   {                                                                          \
      int ret, c;                                                             \
      OrigFn orig;                                                            \
      VALGRIND_GET_ORIG_FN(orig);                                             \
      if (!gp_locks_on()) { CALL_FN_W_WW(ret, orig, l, t); return ret; }      \
      c = GP_ASK(l, kind, mode);                                              \
      CALL_FN_W_WW(ret, orig, l, t);                                          \
      if (c || !gp_acquired(ret)) GP_DONE(l, kind, mode, ret, c);             \
      return ret;                                                             \
   }                                                                          \
   GP_ALIASES(fn, zfn)

/* int f(lock, clockid, abstime): the clock-selecting acquires (glibc 2.30). */
#define GP_ACQUIRE_CLOCK(fn, zfn, type, kind, mode)                           \
   int GP_WRAPPER(fn)(type* l, clockid_t k, const struct timespec* t);        \
   int GP_WRAPPER(fn)(type* l, clockid_t k, const struct timespec* t)         \
   {                                                                          \
      int ret, c;                                                             \
      OrigFn orig;                                                            \
      VALGRIND_GET_ORIG_FN(orig);                                             \
      if (!gp_locks_on()) { CALL_FN_W_WWW(ret, orig, l, k, t); return ret; }  \
      c = GP_ASK(l, kind, mode);                                              \
      CALL_FN_W_WWW(ret, orig, l, k, t);                                      \
      if (c || !gp_acquired(ret)) GP_DONE(l, kind, mode, ret, c);             \
      return ret;                                                             \
   }                                                                          \
   GP_ALIASES(fn, zfn)

/* int f(lock): try-locks report their result afterwards. */
#define GP_TRY(fn, zfn, type, kind, mode)                                     \
   int GP_WRAPPER(fn)(type* l);                                               \
   int GP_WRAPPER(fn)(type* l)                                                \
   {                                                                          \
      int ret;                                                                \
      OrigFn orig;                                                            \
      VALGRIND_GET_ORIG_FN(orig);                                             \
      CALL_FN_W_W(ret, orig, l);                                              \
      if (gp_locks_on())                                                      \
         GP_REQ(_VG_USERREQ__GLPROF_LOCK_TRY, l, kind, mode, ret);            \
      return ret;                                                             \
   }                                                                          \
   GP_ALIASES(fn, zfn)

/* int f(lock), reported once it succeeded: unlock (GP_RELEASE) and
   destroy (GP_DESTROY) differ only in the request. */
#define GP_AFTER_OK(fn, zfn, type, kind, req)                                 \
   int GP_WRAPPER(fn)(type* l);                                               \
   int GP_WRAPPER(fn)(type* l)                                                \
   {                                                                          \
      int ret;                                                                \
      OrigFn orig;                                                            \
      VALGRIND_GET_ORIG_FN(orig);                                             \
      CALL_FN_W_W(ret, orig, l);                                              \
      if (ret == 0 && gp_locks_on())                                          \
         GP_REQ(req, l, kind, 0, 0);                                          \
      return ret;                                                             \
   }                                                                          \
   GP_ALIASES(fn, zfn)
#define GP_RELEASE(fn, zfn, type, kind) \
   GP_AFTER_OK(fn, zfn, type, kind, _VG_USERREQ__GLPROF_LOCK_RELEASE)
#define GP_DESTROY(fn, zfn, type, kind) \
   GP_AFTER_OK(fn, zfn, type, kind, _VG_USERREQ__GLPROF_LOCK_DESTROY)

/* int f(lock, attr-or-pshared): initialisation gives the lock its site. */
#define GP_INIT(fn, zfn, type, argtype, kind)                                 \
   int GP_WRAPPER(fn)(type* l, argtype a);                                    \
   int GP_WRAPPER(fn)(type* l, argtype a)                                     \
   {                                                                          \
      int ret;                                                                \
      OrigFn orig;                                                            \
      VALGRIND_GET_ORIG_FN(orig);                                             \
      CALL_FN_W_WW(ret, orig, l, a);                                          \
      if (ret == 0 && gp_locks_on())                                          \
         GP_REQ(_VG_USERREQ__GLPROF_LOCK_INIT, l, kind, 0, 0);                \
      return ret;                                                             \
   }                                                                          \
   GP_ALIASES(fn, zfn)

#define MX _GLPROF_LOCK_MUTEX
#define RW _GLPROF_LOCK_RWLOCK
#define SP _GLPROF_LOCK_SPIN
#define WR _GLPROF_MODE_WRITE
#define RD _GLPROF_MODE_READ

/* mutexes */
GP_INIT         (pthread_mutex_init,      pthreadZumutexZuinit,
                 pthread_mutex_t, const pthread_mutexattr_t*, MX)
GP_DESTROY      (pthread_mutex_destroy,   pthreadZumutexZudestroy,
                 pthread_mutex_t, MX)
GP_ACQUIRE_1    (pthread_mutex_lock,      pthreadZumutexZulock,
                 pthread_mutex_t, MX, WR)
GP_ACQUIRE_TIMED(pthread_mutex_timedlock, pthreadZumutexZutimedlock,
                 pthread_mutex_t, MX, WR)
GP_ACQUIRE_CLOCK(pthread_mutex_clocklock, pthreadZumutexZuclocklock,
                 pthread_mutex_t, MX, WR)
GP_TRY          (pthread_mutex_trylock,   pthreadZumutexZutrylock,
                 pthread_mutex_t, MX, WR)
GP_RELEASE      (pthread_mutex_unlock,    pthreadZumutexZuunlock,
                 pthread_mutex_t, MX)

/* read-write locks */
GP_INIT         (pthread_rwlock_init,        pthreadZurwlockZuinit,
                 pthread_rwlock_t, const pthread_rwlockattr_t*, RW)
GP_DESTROY      (pthread_rwlock_destroy,     pthreadZurwlockZudestroy,
                 pthread_rwlock_t, RW)
GP_ACQUIRE_1    (pthread_rwlock_rdlock,      pthreadZurwlockZurdlock,
                 pthread_rwlock_t, RW, RD)
GP_ACQUIRE_1    (pthread_rwlock_wrlock,      pthreadZurwlockZuwrlock,
                 pthread_rwlock_t, RW, WR)
GP_ACQUIRE_TIMED(pthread_rwlock_timedrdlock, pthreadZurwlockZutimedrdlock,
                 pthread_rwlock_t, RW, RD)
GP_ACQUIRE_TIMED(pthread_rwlock_timedwrlock, pthreadZurwlockZutimedwrlock,
                 pthread_rwlock_t, RW, WR)
GP_ACQUIRE_CLOCK(pthread_rwlock_clockrdlock, pthreadZurwlockZuclockrdlock,
                 pthread_rwlock_t, RW, RD)
GP_ACQUIRE_CLOCK(pthread_rwlock_clockwrlock, pthreadZurwlockZuclockwrlock,
                 pthread_rwlock_t, RW, WR)
GP_TRY          (pthread_rwlock_tryrdlock,   pthreadZurwlockZutryrdlock,
                 pthread_rwlock_t, RW, RD)
GP_TRY          (pthread_rwlock_trywrlock,   pthreadZurwlockZutrywrlock,
                 pthread_rwlock_t, RW, WR)
GP_RELEASE      (pthread_rwlock_unlock,      pthreadZurwlockZuunlock,
                 pthread_rwlock_t, RW)

/* spin locks (pthread_spinlock_t is an int: its address names the lock).
   pthread_spin_init is not wrapped: glibc makes it an alias of
   pthread_spin_unlock on x86 (both store 0), and one address can have only
   one wrapper; spin locks get their site where first taken.  (An init that
   reaches the unlock wrapper releases nothing: the lock is not known.) */
GP_DESTROY      (pthread_spin_destroy, pthreadZuspinZudestroy,
                 pthread_spinlock_t, SP)
GP_ACQUIRE_1    (pthread_spin_lock,    pthreadZuspinZulock,
                 pthread_spinlock_t, SP, WR)
GP_TRY          (pthread_spin_trylock, pthreadZuspinZutrylock,
                 pthread_spinlock_t, SP, WR)
GP_RELEASE      (pthread_spin_unlock,  pthreadZuspinZuunlock,
                 pthread_spinlock_t, SP)

/* ---- condition variables ------------------------------------------------ */

/* The wait gives up the mutex while it sleeps and holds it again when it
   returns (also on a timeout); the tool counts the wait on the mutex. */
#define GP_COND_WAIT_PRE(c, m)                                                \
   int on = gp_locks_on();                                                    \
   if (on) GP_REQ(_VG_USERREQ__GLPROF_COND_WAIT, c, m, 0, 0)
#define GP_COND_WAIT_POST(c, m)                                               \
   if (on) GP_REQ(_VG_USERREQ__GLPROF_COND_WOKEN, c, m, ret, 0)

int GP_WRAPPER(pthread_cond_wait)(pthread_cond_t* c, pthread_mutex_t* m);
int GP_WRAPPER(pthread_cond_wait)(pthread_cond_t* c, pthread_mutex_t* m)
{
   int ret;
   OrigFn orig;
   VALGRIND_GET_ORIG_FN(orig);
   {
      GP_COND_WAIT_PRE(c, m);
      CALL_FN_W_WW(ret, orig, c, m);
      GP_COND_WAIT_POST(c, m);
   }
   return ret;
}
GP_ALIASES(pthread_cond_wait, pthreadZucondZuwait)

int GP_WRAPPER(pthread_cond_timedwait)(pthread_cond_t* c, pthread_mutex_t* m,
                                       const struct timespec* t);
int GP_WRAPPER(pthread_cond_timedwait)(pthread_cond_t* c, pthread_mutex_t* m,
                                       const struct timespec* t)
{
   int ret;
   OrigFn orig;
   VALGRIND_GET_ORIG_FN(orig);
   {
      GP_COND_WAIT_PRE(c, m);
      CALL_FN_W_WWW(ret, orig, c, m, t);
      GP_COND_WAIT_POST(c, m);
   }
   return ret;
}
GP_ALIASES(pthread_cond_timedwait, pthreadZucondZutimedwait)

int GP_WRAPPER(pthread_cond_clockwait)(pthread_cond_t* c, pthread_mutex_t* m,
                                       clockid_t k, const struct timespec* t);
int GP_WRAPPER(pthread_cond_clockwait)(pthread_cond_t* c, pthread_mutex_t* m,
                                       clockid_t k, const struct timespec* t)
{
   int ret;
   OrigFn orig;
   VALGRIND_GET_ORIG_FN(orig);
   {
      GP_COND_WAIT_PRE(c, m);
      CALL_FN_W_WWWW(ret, orig, c, m, k, t);
      GP_COND_WAIT_POST(c, m);
   }
   return ret;
}
GP_ALIASES(pthread_cond_clockwait, pthreadZucondZuclockwait)
