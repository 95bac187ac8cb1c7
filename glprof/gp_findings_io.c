/* gp_findings_io.c -- the findings rules over the I/O, lock and determinism
   figures: many small transfers from one call site or to one file (buffer
   them), unbuffered writes to a terminal or pipe, contended locks, and the
   sources of run-to-run differences that make instruction counts unstable
   in CI. */

#include "gp_findings.h"
#include "gp_io.h"
#include "gp_frames.h"
#include "gp_profile.h"
#include "gp_util.h"

static const HChar* loc_label(const GpFrameLoc* l)
{
   static HChar buf[2][300];
   static UInt next;
   HChar* b = buf[next++ & 1];
   const HChar* base;
   if (!l) return "(unknown)";
   base = l->file ? VG_(strrchr)(l->file, '/') : NULL;
   base = base ? base + 1 : l->file;
   if (base && l->line) VG_(snprintf)(b, sizeof(buf[0]), "%s (%s:%u)", l->name, base, l->line);
   else VG_(snprintf)(b, sizeof(buf[0]), "%s", l->name);
   return b;
}

/* The file a site wrote (read) most, by name, for the message. */
static const HChar* kinds_text(UInt kinds)
{
   static HChar buf[64];
   UInt k, u = 0;
   buf[0] = 0;
   for (k = 0; k < GP_FD_N_KINDS; k++)
      if (kinds & (1u << k))
         u += VG_(snprintf)(buf + u, sizeof(buf) - u, "%s%s", u ? "/" : "", gp_fd_kind_name(k));
   return buf;
}

/* Many transfers with few bytes each from one call site: each is a system
   call (a kernel round trip); buffering turns them into a few large ones. */
static void rule_small_io_sites(const GpIoProfile* io)
{
   UInt i, n = 0;
   for (i = 0; i < io->n_sites && n < 3; i++) {
      const GpIoSite* s = io->sites[i];
      ULong ops = s->c.read_ops + s->c.write_ops;
      ULong bytes = s->c.read_bytes + s->c.write_bytes;
      Bool writes = s->c.write_ops >= s->c.read_ops;
      UInt kinds = writes ? s->write_kinds : s->read_kinds;
      Bool unbuffered_tty = writes && (kinds & ((1u << GP_FD_TTY) | (1u << GP_FD_PIPE)));
      GpFinding* x;
      if (ops < gp_findings_thr.small_io_ops
          || bytes >= (ULong)gp_findings_thr.small_io_bytes * ops)
         continue;
      n++;
      x = gp_finding_new(unbuffered_tty ? "unbuffered-writes" : "small-io",
                         ops >= 100 * gp_findings_thr.small_io_ops ? GP_SEV_HIGH
                                                                   : GP_SEV_MEDIUM, ops);
      x->location = VG_(strdup)(GP_CC("find.text"), loc_label(s->loc));
      gp_finding_ev(x, "ops", ops);
      gp_finding_ev(x, "bytes", bytes);
      gp_finding_ev(x, "avg_bytes_per_op", bytes / ops);
      gp_finding_ev(x, "threshold_bytes", gp_findings_thr.small_io_bytes);
      gp_finding_ev_text(x, "fd_kinds", kinds_text(kinds));
      gp_finding_text(x, &x->message,
                      "I/O: %s %s of %s bytes on average from %s to a %s (%s bytes in "
                      "all; small below %u)", gp_fmt_num(ops), writes ? "writes" : "reads",
                      gp_fmt_num(bytes / ops), x->location, kinds_text(kinds),
                      gp_fmt_num(bytes), gp_findings_thr.small_io_bytes);
      if (writes)
         gp_finding_text(x, &x->recommendation,
                         "Buffer the output of %s: collect what it writes in a buffer (or "
                         "a FILE* with setvbuf and a large buffer) and write it in one call "
                         "per line or per batch; %s system calls of %s bytes could be a few "
                         "%s", x->location, gp_fmt_num(ops), gp_fmt_num(bytes / ops),
                         unbuffered_tty ? "(terminals and pipes get one write each: stdio "
                                          "line-buffers them)" : "hundred-kilobyte ones");
      else
         gp_finding_text(x, &x->recommendation,
                         "Read in larger chunks at %s: %s reads of %s bytes each; read a "
                         "large block into a buffer (or use a buffered FILE*) and parse "
                         "from memory", x->location, gp_fmt_num(ops), gp_fmt_num(bytes / ops));
   }
}

/* The same per file, when no single site explains it (several sites write
   a file in small pieces). */
static void rule_small_io_files(const GpIoProfile* io, UInt already)
{
   UInt i, n = 0;
   if (already) return;
   for (i = 0; i < io->n_files && n < 2; i++) {
      const GpIoFile* f = io->files[i];
      ULong ops = f->c.read_ops + f->c.write_ops;
      ULong bytes = f->c.read_bytes + f->c.write_bytes;
      GpFinding* x;
      if (ops < gp_findings_thr.small_io_ops
          || bytes >= (ULong)gp_findings_thr.small_io_bytes * ops)
         continue;
      n++;
      x = gp_finding_new("small-io", GP_SEV_MEDIUM, ops);
      x->location = VG_(strdup)(GP_CC("find.text"), f->path);
      gp_finding_ev(x, "ops", ops);
      gp_finding_ev(x, "bytes", bytes);
      gp_finding_ev(x, "avg_bytes_per_op", bytes / ops);
      gp_finding_ev_text(x, "fd_kind", gp_fd_kind_name(f->kind));
      gp_finding_text(x, &x->message, "I/O: %s transfers of %s bytes on average on %s (%s)",
                      gp_fmt_num(ops), gp_fmt_num(bytes / ops), f->path,
                      gp_fd_kind_name(f->kind));
      gp_finding_text(x, &x->recommendation,
                      "Batch the I/O on %s: %s system calls move only %s bytes each; "
                      "buffer in memory and transfer in large blocks", f->path,
                      gp_fmt_num(ops), gp_fmt_num(bytes / ops));
   }
}

static void rule_contended_locks(const GpIoProfile* io)
{
   UInt i, n = 0;
   for (i = 0; i < io->n_locks && n < 3; i++) {
      const GpLockSite* l = &io->lock_sites[i];
      GpFinding* x;
      if (l->internal || l->acquisitions == 0 || l->contended == 0
          || l->contended * 100 < (ULong)gp_findings_thr.contention_pct * l->acquisitions)
         continue;
      n++;
      x = gp_finding_new("contended-lock",
                         l->contended * 2 >= l->acquisitions ? GP_SEV_HIGH : GP_SEV_MEDIUM,
                         l->contended);
      x->location = VG_(strdup)(GP_CC("find.text"), loc_label(l->site));
      gp_finding_ev(x, "acquisitions", l->acquisitions);
      gp_finding_ev(x, "contended", l->contended);
      gp_finding_ev(x, "threshold_pct", gp_findings_thr.contention_pct);
      gp_finding_ev(x, "threads", l->threads);
      gp_finding_ev(x, "held_ir", l->held_ir);
      gp_finding_ev_text(x, "lock_kind", gp_lock_kind_name(l->kind));
      gp_finding_text(x, &x->message,
                      "Threads: the %s %s at %s was busy for %s of %s acquisitions by %u "
                      "threads (threshold %u%%; counts depend on scheduling)",
                      gp_lock_kind_name(l->kind), l->from_init ? "created" : "first used",
                      x->location, gp_fmt_num(l->contended), gp_fmt_num(l->acquisitions),
                      l->threads, gp_findings_thr.contention_pct);
      gp_finding_text(x, &x->recommendation,
                      "Shorten or split the critical sections of the %s at %s: its holders "
                      "run %s instructions while holding it; move work out of the lock, "
                      "shard the protected data (one lock per bucket), or give each thread "
                      "its own copy and merge at the end",
                      gp_lock_kind_name(l->kind), x->location,
                      gp_fmt_num(l->acquisitions ? l->held_ir / l->acquisitions : 0));
   }
}

static void rule_determinism(const GpIoProfile* io)
{
   UInt i;
   for (i = 0; i < io->n_warnings; i++) {
      const GpDetWarning* w = &io->warnings[i];
      GpFinding* x = gp_finding_new("nondeterminism", GP_SEV_LOW, w->calls);
      const HChar* where = w->n_sites ? loc_label(w->sites[0].loc) : "(unknown)";
      x->location = VG_(strdup)(GP_CC("find.text"), where);
      gp_finding_ev_text(x, "source", gp_det_kind_name(w->kind));
      gp_finding_ev(x, "calls", w->calls);
      if (w->n_sources) gp_finding_ev_text(x, "first_source", w->sources[0].name);
      if (w->kind == GP_DET_THREADS) gp_finding_ev(x, "threads", w->threads);
      gp_finding_text(x, &x->message, "Determinism: %s", w->message ? w->message : "");
      if (w->kind == GP_DET_CLOCK)
         gp_finding_text(x, &x->recommendation,
                         "Instruction counts can change from run to run because the "
                         "program reads the clock (%s calls, first from %s): in CI, give it "
                         "a fixed time source, or keep time-dependent code out of the "
                         "measured region (GLPROF_START/STOP_COLLECTION, --toggle-collect)",
                         gp_fmt_num(w->calls), where);
      else if (w->kind == GP_DET_RANDOM)
         gp_finding_text(x, &x->recommendation,
                         "Counts depend on random input (%s reads, first from %s): seed the "
                         "generator with a fixed value for profiling runs so each run does "
                         "the same work", gp_fmt_num(w->calls), where);
      else
         gp_finding_text(x, &x->recommendation,
                         "Per-thread and per-lock counts depend on scheduling (%u threads "
                         "share locks): compare totals, not per-thread figures, or profile "
                         "with one worker thread and Valgrind's --fair-sched=yes in CI (the "
                         "CPU then passes between threads in turn, so joins and wake-ups "
                         "fall at the same point in each run)", w->threads);
   }
}

void gp_findings_io_rules(const GpProfile* p)
{
   const GpIoProfile* io = p->io;
   UInt before;
   if (!io) return;
   if (io->io) {
      before = io->n_sites;
      rule_small_io_sites(io);
      /* only look per file when no site crossed the thresholds */
      {
         UInt i, flagged = 0;
         for (i = 0; i < io->n_sites && i < before; i++) {
            const GpIoSite* s = io->sites[i];
            ULong ops = s->c.read_ops + s->c.write_ops;
            ULong bytes = s->c.read_bytes + s->c.write_bytes;
            if (ops >= gp_findings_thr.small_io_ops
                && bytes < (ULong)gp_findings_thr.small_io_bytes * ops) flagged++;
         }
         rule_small_io_files(io, flagged);
      }
   }
   if (io->locks) rule_contended_locks(io);
   rule_determinism(io);
}
