/* gp_io.c -- I/O accounting from the syscall hooks: operations and bytes
   per file or socket, per call site and per system call; the descriptor
   table that names what each descriptor refers to; the sites where
   threads are created; and the analysis of all of it into the
   GpIoProfile (gp_io.h) the writers read.

   Counting rules (docs/io.md):
   - Everything is counted in the post hook, which runs once per completed
     call (the pre hook runs again when a call is restarted after a
     signal, and other threads run between pre and post of a blocking
     call, so only the start time is kept per thread).
   - Bytes are those actually transferred: the call's result.  recvmmsg
     and sendmmsg return a message count; their bytes are the msg_len of
     each message, read from the client's memory.
   - sendfile, copy_file_range, splice and tee move bytes from one
     descriptor to another: one read operation on the source and one write
     operation on the destination, each with the bytes moved.
   - A call that fails counts as a failed operation (on the file, the site,
     the totals) and moves no bytes; EAGAIN is also counted apart
     (would_block), as it is the normal answer of non-blocking I/O.
   - A descriptor is named when it is created (open, socket, pipe,
     accept ...), so a descriptor number reused for another file never
     mixes the two.  Descriptors inherited from the parent (0, 1, 2 ...)
     or received in a message are named on first use.  Names that would
     differ between runs are reduced to their kind: "pipe:", "tty:",
     "socket:tcp" (no inode numbers, pty numbers or ports).
   - Valgrind's own preloads, which the loader opens and maps only because
     the program runs under Valgrind, are left out, and so are the
     loader's failed opens while it searches library directories (Debian's
     Valgrind adds /usr/lib/debug to the search path): what is left is
     what the program itself does natively, comparable with strace.
   - I/O time is the wall clock between pre and post of the transfer and
     sync calls: not deterministic, never part of a comparison. */

#include "gp_io.h"
#include "gp_io_site.h"
#include "gp_locks.h"
#include "gp_lockobs.h"
#include "gp_determinism.h"
#include "gp_options.h"
#include "gp_profile.h"
#include "gp_util.h"
#include "glprof.h"

GpIoOptions gp_io_clo = { True };

/* ---- what each system call does --------------------------------------- */

typedef enum {
   SC_READ,          /* fd = a, transfer into the program */
   SC_WRITE,         /* fd = a, transfer out of it */
   SC_MREAD,         /* recvmmsg: fd = a, result = messages */
   SC_MWRITE,        /* sendmmsg */
   SC_MOVE,          /* from fd a to fd b */
   SC_SYNC,          /* fsync and friends on fd a */
   SC_SEEK,          /* lseek on fd a */
   SC_OPEN,          /* path in arg b; result is a new fd */
   SC_NEWFD,         /* result is a new fd, named by the kernel */
   SC_SOCKET,        /* socket(domain, type, protocol) */
   SC_SOCKETPAIR,    /* socketpair(domain, type, protocol, int sv[2]) */
   SC_PIPE,          /* pipe/pipe2(int fds[2]) */
   SC_ACCEPT,        /* result is a new fd like listening fd a */
   SC_DUP,           /* result is a copy of fd a */
   SC_FCNTL,         /* F_DUPFD*: result is a copy of fd a */
   SC_CLOSE,
   SC_CLOSE_RANGE,
   SC_MMAP,
   SC_URING,         /* io_uring: its transfers are not system calls */
   SC_CLOCK,         /* reads a clock (determinism) */
   SC_RANDOM,        /* getrandom (determinism) */
   SC_CLONE          /* a new thread: remember where it was created */
} ScClass;

typedef struct {
   UInt         nr;
   const HChar* name;
   ScClass      cls;
   UChar        a, b;      /* argument indices (see ScClass) */
} ScInfo;

static const ScInfo sc_table[] = {
   { __NR_read,            "read",            SC_READ,   0, 0 },
   { __NR_pread64,         "pread64",         SC_READ,   0, 0 },
   { __NR_readv,           "readv",           SC_READ,   0, 0 },
#if defined(__NR_preadv)
   { __NR_preadv,          "preadv",          SC_READ,   0, 0 },
#endif
#if defined(__NR_preadv2)
   { __NR_preadv2,         "preadv2",         SC_READ,   0, 0 },
#endif
   { __NR_recvfrom,        "recvfrom",        SC_READ,   0, 0 },
   { __NR_recvmsg,         "recvmsg",         SC_READ,   0, 0 },
#if defined(__NR_recvmmsg)
   { __NR_recvmmsg,        "recvmmsg",        SC_MREAD,  0, 0 },
#endif
   { __NR_write,           "write",           SC_WRITE,  0, 0 },
   { __NR_pwrite64,        "pwrite64",        SC_WRITE,  0, 0 },
   { __NR_writev,          "writev",          SC_WRITE,  0, 0 },
#if defined(__NR_pwritev)
   { __NR_pwritev,         "pwritev",         SC_WRITE,  0, 0 },
#endif
#if defined(__NR_pwritev2)
   { __NR_pwritev2,        "pwritev2",        SC_WRITE,  0, 0 },
#endif
   { __NR_sendto,          "sendto",          SC_WRITE,  0, 0 },
   { __NR_sendmsg,         "sendmsg",         SC_WRITE,  0, 0 },
#if defined(__NR_sendmmsg)
   { __NR_sendmmsg,        "sendmmsg",        SC_MWRITE, 0, 0 },
#endif
#if defined(__NR_vmsplice)
   /* vmsplice moves the program's memory into a pipe (its common use) */
   { __NR_vmsplice,        "vmsplice",        SC_WRITE,  0, 0 },
#endif
#if defined(__NR_sendfile)
   { __NR_sendfile,        "sendfile",        SC_MOVE,   1, 0 },
#endif
#if defined(__NR_copy_file_range)
   { __NR_copy_file_range, "copy_file_range", SC_MOVE,   0, 2 },
#endif
#if defined(__NR_splice)
   { __NR_splice,          "splice",          SC_MOVE,   0, 2 },
#endif
#if defined(__NR_tee)
   { __NR_tee,             "tee",             SC_MOVE,   0, 1 },
#endif
   { __NR_fsync,           "fsync",           SC_SYNC,   0, 0 },
   { __NR_fdatasync,       "fdatasync",       SC_SYNC,   0, 0 },
#if defined(__NR_sync_file_range)
   { __NR_sync_file_range, "sync_file_range", SC_SYNC,   0, 0 },
#endif
   { __NR_lseek,           "lseek",           SC_SEEK,   0, 0 },
#if defined(__NR_open)
   { __NR_open,            "open",            SC_OPEN,   0, 0 },
#endif
#if defined(__NR_creat)
   { __NR_creat,           "creat",           SC_OPEN,   0, 0 },
#endif
   { __NR_openat,          "openat",          SC_OPEN,   0, 1 },
#if defined(__NR_openat2)
   { __NR_openat2,         "openat2",         SC_OPEN,   0, 1 },
#endif
#if defined(__NR_open_by_handle_at)
   { __NR_open_by_handle_at, "open_by_handle_at", SC_NEWFD, 0, 0 },
#endif
#if defined(__NR_memfd_create)
   { __NR_memfd_create,    "memfd_create",    SC_NEWFD,  0, 0 },
#endif
#if defined(__NR_eventfd)
   { __NR_eventfd,         "eventfd",         SC_NEWFD,  0, 0 },
#endif
   { __NR_eventfd2,        "eventfd2",        SC_NEWFD,  0, 0 },
#if defined(__NR_epoll_create)
   { __NR_epoll_create,    "epoll_create",    SC_NEWFD,  0, 0 },
#endif
   { __NR_epoll_create1,   "epoll_create1",   SC_NEWFD,  0, 0 },
#if defined(__NR_signalfd)
   { __NR_signalfd,        "signalfd",        SC_NEWFD,  0, 0 },
#endif
   { __NR_signalfd4,       "signalfd4",       SC_NEWFD,  0, 0 },
   { __NR_timerfd_create,  "timerfd_create",  SC_NEWFD,  0, 0 },
#if defined(__NR_inotify_init)
   { __NR_inotify_init,    "inotify_init",    SC_NEWFD,  0, 0 },
#endif
   { __NR_inotify_init1,   "inotify_init1",   SC_NEWFD,  0, 0 },
#if defined(__NR_fanotify_init)
   { __NR_fanotify_init,   "fanotify_init",   SC_NEWFD,  0, 0 },
#endif
#if defined(__NR_userfaultfd)
   { __NR_userfaultfd,     "userfaultfd",     SC_NEWFD,  0, 0 },
#endif
#if defined(__NR_perf_event_open)
   { __NR_perf_event_open, "perf_event_open", SC_NEWFD,  0, 0 },
#endif
#if defined(__NR_pidfd_open)
   { __NR_pidfd_open,      "pidfd_open",      SC_NEWFD,  0, 0 },
#endif
   { __NR_socket,          "socket",          SC_SOCKET, 0, 0 },
   { __NR_socketpair,      "socketpair",      SC_SOCKETPAIR, 0, 0 },
#if defined(__NR_pipe)
   { __NR_pipe,            "pipe",            SC_PIPE,   0, 0 },
#endif
   { __NR_pipe2,           "pipe2",           SC_PIPE,   0, 0 },
   { __NR_accept,          "accept",          SC_ACCEPT, 0, 0 },
   { __NR_accept4,         "accept4",         SC_ACCEPT, 0, 0 },
   { __NR_dup,             "dup",             SC_DUP,    0, 0 },
#if defined(__NR_dup2)
   { __NR_dup2,            "dup2",            SC_DUP,    0, 0 },
#endif
   { __NR_dup3,            "dup3",            SC_DUP,    0, 0 },
   { __NR_fcntl,           "fcntl",           SC_FCNTL,  0, 0 },
   { __NR_close,           "close",           SC_CLOSE,  0, 0 },
#if defined(__NR_close_range)
   { __NR_close_range,     "close_range",     SC_CLOSE_RANGE, 0, 0 },
#endif
   { __NR_mmap,            "mmap",            SC_MMAP,   0, 0 },
#if defined(__NR_io_uring_setup)
   { __NR_io_uring_setup,  "io_uring_setup",  SC_URING,  0, 0 },
   { __NR_io_uring_enter,  "io_uring_enter",  SC_URING,  0, 0 },
#endif
   { __NR_clock_gettime,   "clock_gettime",   SC_CLOCK,  0, 0 },
   { __NR_gettimeofday,    "gettimeofday",    SC_CLOCK,  0, 0 },
#if defined(__NR_time)
   { __NR_time,            "time",            SC_CLOCK,  0, 0 },
#endif
   { __NR_times,           "times",           SC_CLOCK,  0, 0 },
   { __NR_getrusage,       "getrusage",       SC_CLOCK,  0, 0 },
#if defined(__NR_getrandom)
   { __NR_getrandom,       "getrandom",       SC_RANDOM, 0, 0 },
#endif
   { __NR_clone,           "clone",           SC_CLONE,  0, 0 },
};

#define N_SC (sizeof(sc_table) / sizeof(sc_table[0]))
#define SC_LOOKUP_MAX 1024
static UShort sc_index[SC_LOOKUP_MAX];    /* syscall number -> table index + 1 */

static const ScInfo* sc_of(UInt sysno)
{
   return sysno < SC_LOOKUP_MAX && sc_index[sysno]
          ? &sc_table[sc_index[sysno] - 1] : NULL;
}

static Bool sc_is_timed(ScClass c)
{
   return c <= SC_SYNC;   /* the transfers and the syncs */
}

/* ---- collected figures ------------------------------------------------ */

static GpIoCounts totals;
static ULong      time_ns;
static ULong      uring_calls;
static ULong      sc_calls[N_SC], sc_failed[N_SC], sc_bytes[N_SC];

static GpWordMap  files_by_path;    /* interned path -> GpIoFile* */
static XArray*    all_files;        /* GpIoFile* */
static GpWordMap  sites_by_loc;     /* GpFrameLoc* -> GpIoSite* */
static XArray*    all_sites;        /* GpIoSite* */
static GpWordMap  thread_sites;     /* os tid -> GpFrameLoc* of its creation */

/* Files that are not the program's (Valgrind's preloads), and the record
   for operations on descriptors that are not open. */
static GpIoFile   not_counted;
static GpIoFile*  bad_fd_file;

/* The descriptor table: what each open descriptor refers to. */
static GpIoFile** fds;
static UInt       n_fds;            /* capacity */

/* Per thread: the syscall in progress and when it started (I/O time). */
typedef struct { UInt sysno; Bool busy; ULong start; } InFlight;
static InFlight*  in_flight;        /* indexed by ThreadId */

static ULong now_ns(void)
{
   struct vki_timespec ts;
   VG_(clock_gettime)(&ts, VKI_CLOCK_MONOTONIC);
   return (ULong)ts.tv_sec * 1000000000ULL + (ULong)ts.tv_nsec;
}

/* ---- names --------------------------------------------------------------- */

const HChar* gp_fd_kind_name(GpFdKind k)
{
   static const HChar* const names[GP_FD_N_KINDS] =
      { "file", "tty", "pipe", "socket", "device", "other" };
   return k < GP_FD_N_KINDS ? names[k] : "other";
}

static GpIoFile* file_get(const HChar* path, GpFdKind kind)
{
   const HChar* ip = gp_intern(path);
   UWord* slot = gp_wmap_insert(&files_by_path, (UWord)ip);
   GpIoFile* f;
   if (*slot) return (GpIoFile*)*slot;
   f = VG_(calloc)(GP_CC("io.file"), 1, sizeof(GpIoFile));
   f->path = ip;
   f->kind = kind;
   f->random = VG_(strcmp)(ip, "/dev/urandom") == 0
               || VG_(strcmp)(ip, "/dev/random") == 0;
   VG_(addToXA)(all_files, &f);
   *slot = (UWord)f;
   return f;
}

static Bool starts_with(const HChar* s, const HChar* prefix)
{
   return VG_(strncmp)(s, prefix, VG_(strlen)(prefix)) == 0;
}

static Bool is_tty_path(const HChar* p)
{
   return starts_with(p, "/dev/pts/") || starts_with(p, "/dev/tty")
          || VG_(strcmp)(p, "/dev/console") == 0;
}

/* Valgrind's preloads: opened and mapped by the loader only because the
   program runs under Valgrind. */
static Bool is_valgrind_preload(const HChar* p)
{
   const HChar* base = VG_(strrchr)(p, '/');
   base = base ? base + 1 : p;
   return starts_with(base, "vgpreload_");
}

/* Socket types (the generic Linux values; the VKI headers do not have
   them). */
#define GP_SOCK_STREAM 1
#define GP_SOCK_DGRAM  2

/* A socket's protocol from socket()'s arguments: deterministic, unlike
   its inode or ports. */
static void socket_name(HChar* buf, SizeT n, UWord domain, UWord type)
{
   const HChar* t;
   type &= 0xf;   /* without SOCK_NONBLOCK / SOCK_CLOEXEC */
   switch (domain) {
   case VKI_AF_UNIX:
      t = type == GP_SOCK_STREAM ? "unix"
        : type == GP_SOCK_DGRAM ? "unix-dgram" : "unix-seqpacket";
      VG_(snprintf)(buf, n, "socket:%s", t);
      return;
   case VKI_AF_INET:
   case VKI_AF_INET6:
      t = type == GP_SOCK_STREAM ? "tcp" : type == GP_SOCK_DGRAM ? "udp" : "raw";
      VG_(snprintf)(buf, n, "socket:%s%s", t, domain == VKI_AF_INET6 ? "6" : "");
      return;
   case VKI_AF_NETLINK:
      VG_(snprintf)(buf, n, "socket:netlink");
      return;
   default:
      VG_(snprintf)(buf, n, "socket:af%lu", domain);
      return;
   }
}

/* "<kind>:" from the first len characters of k, into buf (at least
   VKI_PATH_MAX bytes).  (Valgrind's printf has no string precision.) */
static const HChar* kind_name(HChar* buf, const HChar* k, SizeT len)
{
   if (len > VKI_PATH_MAX - 2) len = VKI_PATH_MAX - 2;
   VG_(memcpy)(buf, k, len);
   buf[len] = ':';
   buf[len + 1] = 0;
   return buf;
}

/* Names descriptor fd from what the kernel says it is.  socket_hint names
   sockets whose protocol is known (from socket()'s arguments). */
static GpIoFile* file_of_fd(Int fd, const HChar* socket_hint)
{
   HChar link[VKI_PATH_MAX + 1];
   HChar name[VKI_PATH_MAX + 64];
   if (!gp_fd_path(fd, link, sizeof(link))) return NULL;

   if (link[0] == '/') {
      struct vg_stat st;
      GpFdKind kind = GP_FD_FILE;
      if (is_valgrind_preload(link)) return &not_counted;
      if (is_tty_path(link)) return file_get("tty:", GP_FD_TTY);
      if (VG_(fstat)(fd, &st) == 0) {
         if (VKI_S_ISFIFO(st.mode)) kind = GP_FD_PIPE;
         else if (VKI_S_ISSOCK(st.mode)) kind = GP_FD_SOCKET;
         else if (VKI_S_ISCHR(st.mode) || VKI_S_ISBLK(st.mode)) kind = GP_FD_DEVICE;
      }
      return file_get(link, kind);
   }
   if (starts_with(link, "pipe:")) return file_get("pipe:", GP_FD_PIPE);
   if (starts_with(link, "socket:"))
      return file_get(socket_hint ? socket_hint : "socket:", GP_FD_SOCKET);
   if (starts_with(link, "anon_inode:")) {
      /* "anon_inode:[eventfd]" -> "eventfd:", "[eventpoll]" -> "epoll:" */
      const HChar* k = link + 11;
      SizeT len;
      if (*k == '[') k++;
      len = VG_(strlen)(k);
      if (len > 0 && k[len - 1] == ']') len--;
      if (len == 9 && VG_(strncmp)(k, "eventpoll", 9) == 0) { k = "epoll"; len = 5; }
      return file_get(kind_name(name, k, len), GP_FD_OTHER);
   }
   {
      /* "kind:[number]" (namespaces and the like): the number varies. */
      const HChar* colon = VG_(strchr)(link, ':');
      if (colon && colon[1] == '[') {
         return file_get(kind_name(name, link, (SizeT)(colon - link)), GP_FD_OTHER);
      }
   }
   return file_get(link, GP_FD_OTHER);
}

/* ---- the descriptor table --------------------------------------------- */

static void fd_set(Int fd, GpIoFile* f)
{
   if (fd < 0) return;
   if ((UInt)fd >= n_fds) {
      UInt ncap = n_fds ? n_fds : 64;
      if (!f) return;
      while (ncap <= (UInt)fd) ncap *= 2;
      fds = VG_(realloc)(GP_CC("io.fds"), fds, ncap * sizeof(GpIoFile*));
      VG_(memset)(fds + n_fds, 0, (ncap - n_fds) * sizeof(GpIoFile*));
      n_fds = ncap;
   }
   fds[fd] = f;
}

/* A new descriptor for f (NULL: ask the kernel what it is). */
static void fd_new(Int fd, GpIoFile* f, const HChar* socket_hint)
{
   if (!f) f = file_of_fd(fd, socket_hint);
   if (!f) return;
   if (f != &not_counted) f->opens++;
   fd_set(fd, f);
}

/* What fd refers to; descriptors opened before the program started, or
   received from another process, are named on first use. */
static GpIoFile* fd_file(Int fd)
{
   GpIoFile* f;
   if (fd >= 0 && (UInt)fd < n_fds && fds[fd]) return fds[fd];
   f = fd >= 0 ? file_of_fd(fd, NULL) : NULL;
   if (!f) {
      if (!bad_fd_file) bad_fd_file = file_get("(bad fd)", GP_FD_OTHER);
      return bad_fd_file;
   }
   fd_set(fd, f);
   return f;
}

/* ---- options ------------------------------------------------------------ */

Bool gp_io_option(const HChar* arg)
{
   if VG_BOOL_CLO(arg, "--locks", gp_io_clo.locks) {}
   else return False;
   return True;
}

void gp_io_usage(void)
{
   VG_(printf)(
"    threads and locks:\n"
"    --locks=yes|no            pthread mutex, rwlock, spin lock and condition\n"
"                              variable profile (acquisitions, contention) [yes]\n"
   );
}

/* ---- life cycle ---------------------------------------------------------- */

void gp_io_init(void)
{
   UInt i;
   for (i = 0; i < N_SC; i++)
      if (sc_table[i].nr < SC_LOOKUP_MAX) sc_index[sc_table[i].nr] = (UShort)(i + 1);
   gp_wmap_init(&files_by_path, GP_CC("io.files"), 64);
   gp_wmap_init(&sites_by_loc, GP_CC("io.sites"), 64);
   gp_wmap_init(&thread_sites, GP_CC("io.thrsites"), 16);
   all_files = VG_(newXA)(VG_(malloc), GP_CC("io.files"), VG_(free), sizeof(GpIoFile*));
   all_sites = VG_(newXA)(VG_(malloc), GP_CC("io.sites"), VG_(free), sizeof(GpIoSite*));
   in_flight = VG_(calloc)(GP_CC("io.flight"), VG_N_THREADS + 1, sizeof(InFlight));
   not_counted.path = "(not counted)";
   gp_site_init();
   gp_locks_init();
   gp_lockobs_init();
   gp_det_init();
}

void gp_io_zero(void)
{
   Word i;
   VG_(memset)(&totals, 0, sizeof(totals));
   time_ns = uring_calls = 0;
   VG_(memset)(sc_calls, 0, sizeof(sc_calls));
   VG_(memset)(sc_failed, 0, sizeof(sc_failed));
   VG_(memset)(sc_bytes, 0, sizeof(sc_bytes));
   for (i = 0; i < VG_(sizeXA)(all_files); i++) {
      GpIoFile* f = *(GpIoFile**)VG_(indexXA)(all_files, i);
      VG_(memset)(&f->c, 0, sizeof(f->c));
      f->opens = f->seeks = f->syncs = f->mmaps = 0;
   }
   for (i = 0; i < VG_(sizeXA)(all_sites); i++) {
      GpIoSite* s = *(GpIoSite**)VG_(indexXA)(all_sites, i);
      VG_(memset)(&s->c, 0, sizeof(s->c));
      s->read_kinds = s->write_kinds = 0;
   }
   gp_locks_zero();
   gp_det_zero();
}

/* For regions and iterations (gp_control.c): transfers and bytes so far. */
void gp_io_counters(ULong* ops, ULong* bytes)
{
   *ops = totals.read_ops + totals.write_ops;
   *bytes = totals.read_bytes + totals.write_bytes;
}

void gp_io_atfork_child(void)
{
   ThreadId me = VG_(get_running_tid)();
   gp_io_zero();
   VG_(memset)(in_flight, 0, (VG_N_THREADS + 1) * sizeof(InFlight));
   gp_wmap_clear(&thread_sites);
   gp_locks_atfork_child(me);
}

/* ---- counting ------------------------------------------------------------ */

static GpIoSite* site_get(GpFrameLoc* loc)
{
   UWord* slot = gp_wmap_insert(&sites_by_loc, (UWord)loc);
   GpIoSite* s;
   if (*slot) return (GpIoSite*)*slot;
   s = VG_(calloc)(GP_CC("io.site"), 1, sizeof(GpIoSite));
   s->loc = loc;
   VG_(addToXA)(all_sites, &s);
   *slot = (UWord)s;
   return s;
}

static void count_failed(GpIoCounts* c, SysRes res)
{
   c->failed_ops++;
   if (sr_Err(res) == VKI_EAGAIN) c->would_block++;
}

static void count_ok(GpIoCounts* c, Bool is_read, ULong bytes)
{
   if (is_read) { c->read_ops++; c->read_bytes += bytes; }
   else         { c->write_ops++; c->write_bytes += bytes; }
}

/* Bytes of a recvmmsg/sendmmsg: the first 'msgs' entries' msg_len. */
static ULong mmsg_bytes(Addr vec, ULong msgs)
{
   ULong i, sum = 0;
   SizeT sz = sizeof(struct vki_mmsghdr);
   if (msgs == 0 || !VG_(am_is_valid_for_client)(vec, msgs * sz, VKI_PROT_READ))
      return 0;
   for (i = 0; i < msgs; i++)
      sum += ((const struct vki_mmsghdr*)(vec + i * sz))->msg_len;
   return sum;
}

/* One transfer (or sync/seek) on src and/or dst (NULL: none). */
static void count_io(ThreadId tid, UInt sci, GpIoFile* src, GpIoFile* dst,
                     SysRes res, ULong bytes)
{
   Bool user;
   GpIoSite* s;
   if (src == &not_counted || dst == &not_counted) return;
   sc_calls[sci]++;
   s = site_get(gp_site_here(tid, &user, NULL));
   if (sr_isError(res)) {
      /* One failed call: charged to the destination when there is one. */
      GpIoFile* f = dst ? dst : src;
      sc_failed[sci]++;
      count_failed(&totals, res);
      count_failed(&s->c, res);
      count_failed(&f->c, res);
      return;
   }
   sc_bytes[sci] += bytes;
   if (src) {
      count_ok(&totals, True, bytes);
      count_ok(&s->c, True, bytes);
      count_ok(&src->c, True, bytes);
      s->read_kinds |= 1u << src->kind;
   }
   if (dst) {
      count_ok(&totals, False, bytes);
      count_ok(&s->c, False, bytes);
      count_ok(&dst->c, False, bytes);
      s->write_kinds |= 1u << dst->kind;
   }
}

/* A failed open from the program's own code, charged to the path it
   named (as given: relative paths stay relative).  The loader's failed
   opens while it searches for libraries are not the program's doing. */
static void count_failed_open(ThreadId tid, UWord path_arg, SysRes res)
{
   Bool user;
   GpFrameLoc* inner;
   GpFrameLoc* loc = gp_site_here(tid, &user, &inner);
   const HChar* path = (const HChar*)path_arg;
   HChar buf[VKI_PATH_MAX + 1];
   GpIoFile* f;
   GpIoSite* s;
   SizeT i;
   if (!user || (inner->obj && gp_site_obj_is_loader(inner->obj))) return;
   if (!path || !VG_(am_is_valid_for_client)((Addr)path, 1, VKI_PROT_READ))
      return;
   for (i = 0; i < sizeof(buf) - 1
               && VG_(am_is_valid_for_client)((Addr)(path + i), 1, VKI_PROT_READ)
               && path[i]; i++)
      buf[i] = path[i];
   buf[i] = 0;
   if (is_valgrind_preload(buf)) return;
   f = file_get(buf, GP_FD_FILE);
   s = site_get(loc);
   count_failed(&totals, res);
   count_failed(&s->c, res);
   count_failed(&f->c, res);
}

/* The two descriptors pipe/socketpair wrote into the program's memory. */
static Bool read_fd_pair(UWord addr, Int* a, Int* b)
{
   const Int* p = (const Int*)addr;
   if (!VG_(am_is_valid_for_client)(addr, 2 * sizeof(Int), VKI_PROT_READ))
      return False;
   *a = p[0];
   *b = p[1];
   return True;
}

static void track_fds(ThreadId tid, const ScInfo* sc, const UWord* args,
                      SysRes res)
{
   Bool ok = !sr_isError(res);
   Int r = ok ? (Int)sr_Res(res) : -1;
   Int a, b;
   HChar name[64];
   switch (sc->cls) {
   case SC_OPEN:
      if (ok) fd_new(r, NULL, NULL);
      else if (gp_clo.io) count_failed_open(tid, args[sc->b], res);
      break;
   case SC_NEWFD:
      if (ok) fd_new(r, NULL, NULL);
      break;
   case SC_SOCKET:
      if (!ok) break;
      socket_name(name, sizeof(name), args[0], args[1]);
      fd_new(r, NULL, name);
      break;
   case SC_SOCKETPAIR:
      if (!ok || !read_fd_pair(args[3], &a, &b)) break;
      socket_name(name, sizeof(name), args[0], args[1]);
      fd_new(a, NULL, name);
      fd_new(b, NULL, name);
      break;
   case SC_PIPE:
      if (!ok || !read_fd_pair(args[0], &a, &b)) break;
      fd_new(a, NULL, NULL);
      fd_new(b, NULL, NULL);
      break;
   case SC_ACCEPT:
      /* The connection is a socket like the one that listened. */
      if (ok) fd_new(r, (Int)args[0] >= 0 && args[0] < n_fds ? fds[args[0]] : NULL, NULL);
      break;
   case SC_DUP:
      if (ok) fd_set(r, fd_file((Int)args[0]));
      break;
   case SC_FCNTL:
      if (ok && (args[1] == VKI_F_DUPFD || args[1] == VKI_F_DUPFD_CLOEXEC))
         fd_set(r, fd_file((Int)args[0]));
      break;
   case SC_CLOSE:
      /* Linux releases the descriptor even when close fails (EINTR, EIO);
         only EBADF means there was nothing to close. */
      if (ok || sr_Err(res) != VKI_EBADF) fd_set((Int)args[0], NULL);
      break;
   case SC_CLOSE_RANGE: {
      UWord i, last = args[1];
      if (!ok || (args[2] & 4 /* CLOSE_RANGE_CLOEXEC */)) break;
      if (last >= n_fds) last = n_fds ? n_fds - 1 : 0;
      for (i = args[0]; i <= last && i < n_fds; i++) fds[i] = NULL;
      break;
   }
   default:
      break;
   }
}

/* ---- the hooks ----------------------------------------------------------- */

void gp_io_pre_syscall(ThreadId tid, UInt sysno, UWord* args, UInt nArgs)
{
   const ScInfo* sc = sc_of(sysno);
   InFlight* f;
   if (!sc || !gp_clo.io || !sc_is_timed(sc->cls)) return;
   /* A restarted call runs pre again: its time runs from the first try. */
   f = &in_flight[tid];
   if (f->busy && f->sysno == sysno) return;
   f->busy = True;
   f->sysno = sysno;
   f->start = now_ns();
}

void gp_io_post_syscall(ThreadId tid, UInt sysno, UWord* args, UInt nArgs,
                        SysRes res)
{
   const ScInfo* sc = sc_of(sysno);
   UInt sci;
   Bool ok = !sr_isError(res);
   ULong r = ok ? sr_Res(res) : 0;
   if (!sc) return;
   sci = (UInt)(sc - sc_table);

   if (in_flight[tid].busy) {
      if (in_flight[tid].sysno == sysno) time_ns += now_ns() - in_flight[tid].start;
      in_flight[tid].busy = False;
   }

   switch (sc->cls) {
   case SC_READ:
   case SC_MREAD: {
      GpIoFile* f = fd_file((Int)args[0]);
      if (f->random) gp_det_note(tid, GP_DET_RANDOM, f->path);
      if (!gp_clo.io) break;
      if (sc->cls == SC_MREAD) r = mmsg_bytes(args[1], r);
      count_io(tid, sci, f, NULL, res, r);
      break;
   }
   case SC_WRITE:
   case SC_MWRITE:
      if (!gp_clo.io) break;
      if (sc->cls == SC_MWRITE) r = mmsg_bytes(args[1], r);
      count_io(tid, sci, NULL, fd_file((Int)args[0]), res, r);
      break;
   case SC_MOVE: {
      GpIoFile* src = fd_file((Int)args[sc->a]);
      if (src->random) gp_det_note(tid, GP_DET_RANDOM, src->path);
      if (!gp_clo.io) break;
      count_io(tid, sci, src, fd_file((Int)args[sc->b]), res, r);
      break;
   }
   case SC_SYNC:
   case SC_SEEK: {
      GpIoFile* f;
      if (!gp_clo.io) break;
      f = fd_file((Int)args[0]);
      if (f == &not_counted) break;
      sc_calls[sci]++;
      if (!ok) { sc_failed[sci]++; count_failed(&f->c, res); count_failed(&totals, res); break; }
      if (sc->cls == SC_SYNC) f->syncs++; else f->seeks++;
      break;
   }
   case SC_MMAP:
      if (ok && gp_clo.io && !(args[3] & VKI_MAP_ANONYMOUS) && (Int)args[4] >= 0) {
         GpIoFile* f = fd_file((Int)args[4]);
         if (f != &not_counted) f->mmaps++;
      }
      break;
   case SC_URING:
      uring_calls++;
      if (ok && sysno == __NR_io_uring_setup) fd_new((Int)r, NULL, NULL);
      break;
   case SC_CLOCK:
      gp_det_note(tid, GP_DET_CLOCK, sc->name);
      break;
   case SC_RANDOM:
      gp_det_note(tid, GP_DET_RANDOM, sc->name);
      break;
   case SC_CLONE:
      /* In the parent: where the thread was created, by its kernel id
         (GpThread.os_tid), whatever unwinding --cpu allows. */
      if (ok && r > 0 && (args[0] & VKI_CLONE_THREAD)) {
         Bool user;
         *gp_wmap_insert(&thread_sites, (UWord)r) = (UWord)gp_site_here(tid, &user, NULL);
      }
      break;
   default:
      track_fds(tid, sc, args, res);
      break;
   }
}

/* ---- client requests ----------------------------------------------------- */

/* ---- analysis ------------------------------------------------------------ */

static Int cmp_desc(ULong a, ULong b) { return a > b ? -1 : a < b; }

static ULong counts_bytes(const GpIoCounts* c) { return c->read_bytes + c->write_bytes; }
static ULong counts_ops(const GpIoCounts* c)
{
   return c->read_ops + c->write_ops + c->failed_ops;
}

static Int file_cmp(const void* pa, const void* pb)
{
   const GpIoFile* a = *(const GpIoFile* const*)pa;
   const GpIoFile* b = *(const GpIoFile* const*)pb;
   Int r = cmp_desc(counts_bytes(&a->c), counts_bytes(&b->c));
   if (r) return r;
   if ((r = cmp_desc(counts_ops(&a->c), counts_ops(&b->c)))) return r;
   return VG_(strcmp)(a->path, b->path);
}

static Int site_cmp(const void* pa, const void* pb)
{
   const GpIoSite* a = *(const GpIoSite* const*)pa;
   const GpIoSite* b = *(const GpIoSite* const*)pb;
   Int r = cmp_desc(counts_bytes(&a->c), counts_bytes(&b->c));
   if (r) return r;
   if ((r = cmp_desc(counts_ops(&a->c), counts_ops(&b->c)))) return r;
   return gp_site_loc_cmp(a->loc, b->loc);
}

static Int syscall_cmp(const void* pa, const void* pb)
{
   const GpIoSyscall* a = pa;
   const GpIoSyscall* b = pb;
   Int r = cmp_desc(a->calls, b->calls);
   return r ? r : VG_(strcmp)(a->name, b->name);
}

static void analyse_io(GpIoProfile* io)
{
   Word i, n;
   io->io = True;
   io->totals = totals;
   io->time_ns = time_ns;
   io->uring_calls = uring_calls;

   /* Files that saw anything: a descriptor opened and never used still
      says the program opened it. */
   n = VG_(sizeXA)(all_files);
   io->files = VG_(malloc)(GP_CC("io.an"), (n + 1) * sizeof(GpIoFile*));
   for (i = 0; i < n; i++) {
      GpIoFile* f = *(GpIoFile**)VG_(indexXA)(all_files, i);
      if (counts_ops(&f->c) || f->opens || f->seeks || f->syncs || f->mmaps)
         io->files[io->n_files++] = f;
   }
   VG_(ssort)(io->files, io->n_files, sizeof(GpIoFile*), file_cmp);

   n = VG_(sizeXA)(all_sites);
   io->sites = VG_(malloc)(GP_CC("io.an"), (n + 1) * sizeof(GpIoSite*));
   for (i = 0; i < n; i++) {
      GpIoSite* s = *(GpIoSite**)VG_(indexXA)(all_sites, i);
      if (counts_ops(&s->c)) {
         io->sites[io->n_sites++] = s;
         gp_site_mark(s->loc);
      }
   }
   VG_(ssort)(io->sites, io->n_sites, sizeof(GpIoSite*), site_cmp);

   io->syscalls = VG_(malloc)(GP_CC("io.an"), (N_SC + 1) * sizeof(GpIoSyscall));
   for (i = 0; i < (Word)N_SC; i++) {
      GpIoSyscall* s;
      if (!sc_calls[i]) continue;
      s = &io->syscalls[io->n_syscalls++];
      s->name = sc_table[i].name;
      s->calls = sc_calls[i];
      s->failed = sc_failed[i];
      s->bytes = sc_bytes[i];
   }
   VG_(ssort)(io->syscalls, io->n_syscalls, sizeof(GpIoSyscall), syscall_cmp);
}

/* Threads: where each was created, and how many were alive at once. */
typedef struct { ULong at; Int delta; } LifeEvent;

static Int life_cmp(const void* pa, const void* pb)
{
   const LifeEvent* a = pa;
   const LifeEvent* b = pb;
   if (a->at != b->at) return a->at < b->at ? -1 : 1;
   return a->delta - b->delta;    /* an end before a start at the same time */
}

static void analyse_threads(GpIoProfile* io, const GpProfile* p)
{
   UInt i, k = 0;
   Int alive = 0;
   LifeEvent* ev = VG_(malloc)(GP_CC("io.an"), (2 * p->n_threads + 1) * sizeof(LifeEvent));
   io->n_threads = p->n_threads;
   io->threads = VG_(calloc)(GP_CC("io.an"), p->n_threads + 1, sizeof(GpIoThread));
   for (i = 0; i < p->n_threads; i++) {
      const GpThread* t = p->threads[i];
      UWord* site = t->index > 0 ? gp_wmap_find(&thread_sites, (UWord)t->os_tid) : NULL;
      io->threads[i].t = t;
      io->threads[i].created_at = site ? (GpFrameLoc*)*site : NULL;
      if (site) gp_site_mark(io->threads[i].created_at);
      ev[k].at = t->born;
      ev[k++].delta = 1;
      if (t->exited || !t->alive) {
         ev[k].at = t->died;
         ev[k++].delta = -1;
      }
   }
   VG_(ssort)(ev, k, sizeof(LifeEvent), life_cmp);
   for (i = 0; i < k; i++) {
      alive += ev[i].delta;
      if (alive > (Int)io->max_alive) io->max_alive = (UInt)alive;
   }
   VG_(free)(ev);
}

void gp_io_analyse(GpProfile* p)
{
   GpIoProfile* io = VG_(calloc)(GP_CC("io.an"), 1, sizeof(GpIoProfile));
   p->io = io;
   if (gp_clo.io) analyse_io(io);
   analyse_threads(io, p);
   io->locks = gp_io_clo.locks;
   if (gp_io_clo.locks) gp_locks_analyse(io);
   gp_det_analyse(io);
}

void gp_io_profile_free(GpProfile* p)
{
   GpIoProfile* io = p->io;
   if (!io) return;
   if (io->files) VG_(free)(io->files);
   if (io->sites) VG_(free)(io->sites);
   if (io->syscalls) VG_(free)(io->syscalls);
   if (io->threads) VG_(free)(io->threads);
   if (io->lock_sites) VG_(free)(io->lock_sites);
   gp_det_free(io);
   VG_(free)(io);
   p->io = NULL;
}
