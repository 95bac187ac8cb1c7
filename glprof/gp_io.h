/* gp_io.h -- the I/O, threads-and-locks and determinism concern.

   Collection: gp_io.c (I/O syscalls, descriptor table, per file and per
   call site), gp_locks.c (pthread locks, from the preload's requests),
   gp_determinism.c (clock and random sources), gp_io_site.c (which code
   issued an event).  Analysis: gp_io_analyse.c builds a GpIoProfile, the
   sorted, deterministic tables the writers (gp_io_out.c) and the findings
   rules read. */

#ifndef GP_IO_H
#define GP_IO_H

#include "gp_tool.h"
#include "gp_frames.h"
#include "gp_threads.h"

/* ---- options ------------------------------------------------------------ */

typedef struct {
   Bool locks;          /* --locks: pthread lock profile (preload wrappers) */
} GpIoOptions;

extern GpIoOptions gp_io_clo;

/* ---- hooks (gp_main.c) -------------------------------------------------- */

void gp_io_init(void);
/* Every syscall reaches these (determinism and thread sites are kept
   even with --io=no; I/O accounting only with --io=yes). */
void gp_io_pre_syscall(ThreadId tid, UInt sysno, UWord* args, UInt nArgs);
void gp_io_post_syscall(ThreadId tid, UInt sysno, UWord* args, UInt nArgs,
                        SysRes res);
/* Fork child: descriptors stay open, figures start from zero. */
void gp_io_atfork_child(void);
/* Zero every figure (GLPROF_ZERO_STATS): descriptors and live lock
   owners are kept, counts restart. */
void gp_io_zero(void);
/* Running totals for regions and iterations: transfers and bytes. */
void gp_io_counters(ULong* ops, ULong* bytes);

/* ---- the analysed profile ----------------------------------------------- */

/* What a descriptor refers to.  The kind decides how a rule reads the
   figures: small writes to a tty or pipe are the costly kind. */
typedef enum {
   GP_FD_FILE = 0,      /* regular file (or directory, memfd) */
   GP_FD_TTY,           /* terminal: /dev/pts/N, /dev/ttyN, /dev/console */
   GP_FD_PIPE,          /* pipe or FIFO */
   GP_FD_SOCKET,
   GP_FD_DEVICE,        /* other character or block device (/dev/null ...) */
   GP_FD_OTHER,         /* eventfd, timerfd, epoll, inotify, bad fd ... */
   GP_FD_N_KINDS
} GpFdKind;

const HChar* gp_fd_kind_name(GpFdKind k);     /* "file", "tty", ... */

/* Figures shared by files, sites and totals. */
typedef struct {
   ULong read_ops, read_bytes;
   ULong write_ops, write_bytes;
   ULong failed_ops;     /* calls that returned an error */
   ULong would_block;    /* ... of which EAGAIN/EWOULDBLOCK */
} GpIoCounts;

/* Per file or socket: one record per normalised path ("socket:tcp",
   "pipe:", "tty:" for the kinds whose names are not deterministic). */
typedef struct GpIoFile {
   const HChar* path;    /* interned */
   GpFdKind     kind;
   GpIoCounts   c;
   ULong        opens;   /* descriptors created for it (open, socket, pipe...) */
   ULong        seeks;   /* lseek */
   ULong        syncs;   /* fsync, fdatasync, sync_file_range */
   ULong        mmaps;   /* mmap of it (I/O through the mapping is not seen) */
   Bool         random;  /* /dev/urandom or /dev/random */
} GpIoFile;

/* Per call site: the innermost frame of the program's own code (outside
   libc, the loader, the C++ runtime and Valgrind's preloads), i.e. the
   line that called write() or fwrite() or std::ostream::write. */
typedef struct GpIoSite {
   GpFrameLoc*  loc;
   GpIoCounts   c;
   UInt         read_kinds;     /* bit (1 << GpFdKind) per kind read from */
   UInt         write_kinds;    /* ... written to */
} GpIoSite;

/* Per I/O system call, as "strace -c" counts them. */
typedef struct {
   const HChar* name;
   ULong calls, failed, bytes;
} GpIoSyscall;

/* A lock site: the locks of one kind created (or first used) at one
   place.  Most sites create one lock; an array of mutexes initialised in
   a loop is one site with 'objects' locks. */
typedef enum { GP_LOCK_MUTEX = 1, GP_LOCK_RWLOCK, GP_LOCK_SPIN } GpLockKind;
const HChar* gp_lock_kind_name(GpLockKind k);  /* "mutex", "rwlock", "spin" */

typedef struct GpLockSite {
   GpLockKind   kind;
   GpFrameLoc*  site;           /* where created (init) or first used:
                                   the program's line */
   Bool         from_init;      /* site is the pthread_*_init call */
   Bool         internal;       /* taken by runtime code (libc, the loader)
                                   on the program's behalf, not by the
                                   program's own pthread calls */
   GpFrameLoc*  caller;         /* internal locks: the runtime function
                                   that took it (e.g. _dl_allocate_tls) */
   ULong        objects;        /* lock objects at this site */
   ULong        acquisitions;   /* successful acquisitions (all modes) */
   ULong        read_acquisitions;  /* rwlocks: shared ones */
   ULong        contended;      /* asked while another thread held it
                                   (NOT deterministic: scheduling) */
   ULong        busy;           /* try/timed acquires that did not get it */
   ULong        condvar_waits;  /* condition waits that released it */
   ULong        held_ir;        /* instructions the holders executed while
                                   holding it exclusively */
   UInt         threads;        /* most distinct threads that acquired one
                                   of these locks */
} GpLockSite;

/* A source of run-to-run differences, and where it was used from. */
typedef enum { GP_DET_CLOCK = 0, GP_DET_RANDOM, GP_DET_THREADS, GP_DET_N } GpDetKind;
const HChar* gp_det_kind_name(GpDetKind k);   /* "clock", "random", "threads" */

typedef struct {
   GpFrameLoc* loc;
   ULong       calls;
} GpDetSite;

typedef struct {
   const HChar* name;    /* "clock_gettime", "/dev/urandom" ... */
   ULong        calls;
} GpDetSource;

typedef struct {
   GpDetKind    kind;
   ULong        calls;          /* clock/random: calls; threads: acquisitions
                                   of locks shared between threads */
   UInt         n_sites;        /* clock/random: call sites by calls;
                                   threads: thread creation sites */
   GpDetSite*   sites;
   UInt         n_sources;      /* which calls (clock/random) */
   GpDetSource* sources;
   UInt         threads;        /* threads: threads created besides main */
   UInt         shared_locks;   /* threads: lock sites used by several threads */
   HChar*       message;
} GpDetWarning;

/* Per thread, in creation order (index as GpThread.index). */
typedef struct {
   const GpThread* t;
   GpFrameLoc*  created_at;     /* the program's line that created it */
} GpIoThread;

typedef struct GpIoProfile {
   /* I/O (with --io=yes) */
   Bool         io;
   GpIoCounts   totals;
   ULong        time_ns;        /* wall clock inside I/O calls
                                   (NOT deterministic) */
   ULong        uring_calls;    /* io_uring_setup/enter: transfers not seen */
   UInt         n_files;        /* by bytes (read + write) desc, ops, path */
   GpIoFile**   files;
   UInt         n_sites;        /* by bytes desc, ops, frame */
   GpIoSite**   sites;
   UInt         n_syscalls;     /* by calls desc, name */
   GpIoSyscall* syscalls;

   /* threads */
   UInt         n_threads;
   GpIoThread*  threads;
   UInt         max_alive;      /* most threads alive at once (depends on
                                   scheduling) */

   /* locks (with --locks=yes) */
   Bool         locks;
   UInt         n_locks;        /* by acquisitions desc, site, kind */
   GpLockSite*  lock_sites;
   /* the program's own locks (not 'internal') */
   ULong        lock_sites_user, lock_objects, lock_acquisitions, lock_contended;
   /* locks the runtime took on the program's behalf */
   ULong        internal_sites, internal_acquisitions;

   /* determinism warnings, in GpDetKind order */
   UInt         n_warnings;
   GpDetWarning warnings[GP_DET_N];
} GpIoProfile;

#endif
