/* gp_io_out.c -- the I/O profile's sections: "io", "locks" and
   "determinism" in the JSON profile; I/O PROFILE, THREADS AND LOCKS and
   DETERMINISM in the text report.  Reads only the analysed GpIoProfile. */

#include "gp_output.h"
#include "gp_options.h"
#include "gp_io.h"

/* ---- JSON ---------------------------------------------------------------- */

static void json_frame(GpJson* j, const HChar* key, const GpFrameLoc* l)
{
   if (l && l->out_id >= 0) gp_json_u64(j, key, (ULong)l->out_id);
   else gp_json_null(j, key);
}

static void json_counts(GpJson* j, const GpIoCounts* c)
{
   gp_json_u64(j, "read_ops", c->read_ops);
   gp_json_u64(j, "read_bytes", c->read_bytes);
   gp_json_u64(j, "write_ops", c->write_ops);
   gp_json_u64(j, "write_bytes", c->write_bytes);
   gp_json_u64(j, "failed_ops", c->failed_ops);
   gp_json_u64(j, "would_block", c->would_block);
}

static void json_kinds(GpJson* j, const HChar* key, UInt mask)
{
   UInt k;
   gp_json_arr(j, key);
   for (k = 0; k < GP_FD_N_KINDS; k++)
      if (mask & (1u << k)) gp_json_str(j, NULL, gp_fd_kind_name((GpFdKind)k));
   gp_json_end_arr(j);
}

static void json_io(GpJson* j, const GpIoProfile* io)
{
   UInt i;
   gp_json_obj(j, "io");
   json_counts(j, &io->totals);
   /* not deterministic: wall clock (microsecond resolution) */
   gp_json_fixed(j, "time_ms", io->time_ns / 1000, 3);
   gp_json_u64(j, "uring_calls", io->uring_calls);
   gp_json_arr(j, "syscalls");
   for (i = 0; i < io->n_syscalls; i++) {
      const GpIoSyscall* s = &io->syscalls[i];
      gp_json_obj(j, NULL);
      gp_json_str(j, "name", s->name);
      gp_json_u64(j, "calls", s->calls);
      gp_json_u64(j, "failed", s->failed);
      gp_json_u64(j, "bytes", s->bytes);
      gp_json_end_obj(j);
   }
   gp_json_end_arr(j);
   gp_json_arr(j, "files");
   for (i = 0; i < io->n_files; i++) {
      const GpIoFile* f = io->files[i];
      gp_json_obj(j, NULL);
      gp_json_str(j, "path", f->path);
      gp_json_str(j, "kind", gp_fd_kind_name(f->kind));
      json_counts(j, &f->c);
      gp_json_u64(j, "opens", f->opens);
      gp_json_u64(j, "seeks", f->seeks);
      gp_json_u64(j, "syncs", f->syncs);
      gp_json_u64(j, "mmaps", f->mmaps);
      gp_json_end_obj(j);
   }
   gp_json_end_arr(j);
   gp_json_arr(j, "sites");
   for (i = 0; i < io->n_sites; i++) {
      const GpIoSite* s = io->sites[i];
      gp_json_obj(j, NULL);
      json_frame(j, "frame", s->loc);
      if (s->loc->fn && s->loc->fn->reported) gp_json_u64(j, "fn", s->loc->fn->out_id);
      else gp_json_null(j, "fn");
      gp_json_str(j, "name", s->loc->name);
      gp_json_str(j, "file", s->loc->file);
      gp_json_u64(j, "line", s->loc->line);
      json_counts(j, &s->c);
      json_kinds(j, "read_kinds", s->read_kinds);
      json_kinds(j, "write_kinds", s->write_kinds);
      gp_json_end_obj(j);
   }
   gp_json_end_arr(j);
   gp_json_end_obj(j);
}

static void json_locks(GpJson* j, const GpIoProfile* io)
{
   UInt i;
   gp_json_arr(j, "locks");
   for (i = 0; i < io->n_locks; i++) {
      const GpLockSite* l = &io->lock_sites[i];
      gp_json_obj(j, NULL);
      gp_json_str(j, "kind", gp_lock_kind_name(l->kind));
      json_frame(j, "site", l->site);
      gp_json_bool(j, "site_is_init", l->from_init);
      gp_json_bool(j, "internal", l->internal);
      json_frame(j, "caller", l->internal ? l->caller : NULL);
      gp_json_u64(j, "objects", l->objects);
      gp_json_u64(j, "acquisitions", l->acquisitions);
      gp_json_u64(j, "read_acquisitions", l->read_acquisitions);
      gp_json_u64(j, "contended", l->contended);     /* not deterministic */
      gp_json_u64(j, "busy", l->busy);
      gp_json_u64(j, "condvar_waits", l->condvar_waits);
      gp_json_u64(j, "held_ir", l->held_ir);
      gp_json_u64(j, "threads", l->threads);
      gp_json_end_obj(j);
   }
   gp_json_end_arr(j);
}

static void json_determinism(GpJson* j, const GpIoProfile* io)
{
   UInt i, k;
   gp_json_obj(j, "determinism");
   gp_json_arr(j, "warnings");
   for (i = 0; i < io->n_warnings; i++) {
      const GpDetWarning* w = &io->warnings[i];
      gp_json_obj(j, NULL);
      gp_json_str(j, "kind", gp_det_kind_name(w->kind));
      gp_json_u64(j, "calls", w->calls);
      gp_json_arr(j, "sites");
      for (k = 0; k < w->n_sites; k++) {
         gp_json_obj(j, NULL);
         json_frame(j, "frame", w->sites[k].loc);
         gp_json_u64(j, w->kind == GP_DET_THREADS ? "threads" : "calls",
                     w->sites[k].calls);
         gp_json_end_obj(j);
      }
      gp_json_end_arr(j);
      if (w->kind == GP_DET_THREADS) {
         gp_json_u64(j, "threads", w->threads);
         gp_json_u64(j, "shared_locks", w->shared_locks);
      } else {
         gp_json_arr(j, "sources");
         for (k = 0; k < w->n_sources; k++) {
            gp_json_obj(j, NULL);
            gp_json_str(j, "name", w->sources[k].name);
            gp_json_u64(j, "calls", w->sources[k].calls);
            gp_json_end_obj(j);
         }
         gp_json_end_arr(j);
      }
      gp_json_str(j, "message", w->message);
      gp_json_end_obj(j);
   }
   gp_json_end_arr(j);
   gp_json_end_obj(j);
}

void gp_io_json(GpJson* j, const GpProfile* p)
{
   const GpIoProfile* io = p->io;
   if (!io) return;
   if (io->io) json_io(j, io);
   if (io->locks) json_locks(j, io);
   json_determinism(j, io);
}

/* ---- text report --------------------------------------------------------- */

/* "name (file.c:42)", or "name [object]" without line information, cut to
   'room' columns. */
static const HChar* loc_label(const GpFrameLoc* l, Int room)
{
   static HChar buf[4][256];
   static Int next;
   HChar* b = buf[next++ & 3];
   Int n;
   const HChar* file;
   if (!l) return "?";
   file = l->file ? VG_(strrchr)(l->file, '/') : NULL;
   file = file ? file + 1 : l->file;
   if (file && l->line)
      n = VG_(snprintf)(b, sizeof(buf[0]), "%s (%s:%u)", l->name, file, l->line);
   else if (file)
      n = VG_(snprintf)(b, sizeof(buf[0]), "%s (%s)", l->name, file);
   else if (l->obj) {
      const HChar* o = VG_(strrchr)(l->obj->name, '/');
      n = VG_(snprintf)(b, sizeof(buf[0]), "%s [%s]", l->name, o ? o + 1 : l->obj->name);
   } else
      n = VG_(snprintf)(b, sizeof(buf[0]), "%s", l->name);
   if (room > 4 && n > room && room < (Int)sizeof(buf[0])) {
      b[room - 3] = b[room - 2] = b[room - 1] = '.';
      b[room] = 0;
   }
   return b;
}

/* A path cut from the left ("...dir/file") to fit 'room' columns. */
static const HChar* path_fit(const HChar* p, Int room)
{
   static HChar buf[2][256];
   static Int next;
   HChar* b = buf[next++ & 1];
   Int n = (Int)VG_(strlen)(p);
   if (n <= room || room < 8 || room >= (Int)sizeof(buf[0])) return p;
   VG_(snprintf)(b, sizeof(buf[0]), "...%s", p + n - (room - 3));
   return b;
}

/* Prints text wrapped at the report width, the first line after 'first',
   the others indented by 'indent' spaces. */
static void wrapped(const HChar* first, Int indent, const HChar* text)
{
   HChar line[GP_REPORT_WIDTH + 1];
   Int width = GP_REPORT_WIDTH, used = (Int)VG_(strlen)(first);
   const HChar* s = text;
   Bool first_line = True;
   while (*s) {
      Int room = width - (first_line ? used : indent), n = (Int)VG_(strlen)(s), cut;
      if (room < 20) room = 20;
      if (n <= room) cut = n;
      else {
         for (cut = room; cut > 0 && s[cut] != ' '; cut--) ;
         if (cut == 0) cut = room;
      }
      if (cut > width) cut = width;
      VG_(memcpy)(line, s, cut);
      line[cut] = 0;
      if (first_line) VG_(umsg)("%s%s\n", first, line);
      else VG_(umsg)("%*s%s\n", indent, "", line);
      first_line = False;
      s += cut;
      while (*s == ' ') s++;
   }
}

static const HChar* plural(ULong n, const HChar* one, const HChar* many)
{
   return n == 1 ? one : many;
}

static void kinds_text(HChar* b, SizeT n, UInt mask)
{
   UInt k;
   SizeT used = 0;
   b[0] = 0;
   for (k = 0; k < GP_FD_N_KINDS; k++)
      if (mask & (1u << k))
         used += VG_(snprintf)(b + used, n - used, "%s%s", used ? "," : "",
                               gp_fd_kind_name((GpFdKind)k));
   if (!used) VG_(snprintf)(b, n, "-");
}

/* "System calls: write 47 (4.52 KB), read 8 ...", wrapped between items. */
static void report_syscalls(const GpIoProfile* io)
{
   HChar line[GP_REPORT_WIDTH + 1];
   HChar item[128];
   SizeT used;
   UInt i;
   if (io->n_syscalls == 0) return;
   used = VG_(snprintf)(line, sizeof(line), "  System calls:");
   for (i = 0; i < io->n_syscalls; i++) {
      const GpIoSyscall* s = &io->syscalls[i];
      SizeT k = VG_(snprintf)(item, sizeof(item), " %s %s", s->name, gp_fmt_num(s->calls));
      if (s->bytes)
         k += VG_(snprintf)(item + k, sizeof(item) - k, " (%s)", gp_fmt_bytes(s->bytes));
      if (s->failed)
         k += VG_(snprintf)(item + k, sizeof(item) - k, " (%s failed)",
                            gp_fmt_num(s->failed));
      if (i + 1 < io->n_syscalls)
         k += VG_(snprintf)(item + k, sizeof(item) - k, ",");
      if (used + k > GP_REPORT_WIDTH) {
         VG_(umsg)("%s\n", line);
         used = VG_(snprintf)(line, sizeof(line), "   ");
      }
      used += VG_(snprintf)(line + used, sizeof(line) - used, "%s", item);
   }
   VG_(umsg)("%s\n", line);
}

static void report_io(const GpIoProfile* io)
{
   const GpIoCounts* t = &io->totals;
   UInt i, n;
   VG_(umsg)("\n");
   VG_(umsg)("I/O PROFILE:\n");
   VG_(umsg)("  Read: %s bytes (%s ops)\n", gp_fmt_num(t->read_bytes),
             gp_fmt_num(t->read_ops));
   VG_(umsg)("  Write: %s bytes (%s ops)\n", gp_fmt_num(t->write_bytes),
             gp_fmt_num(t->write_ops));
   VG_(umsg)("  Failed: %s %s (%s would block)\n", gp_fmt_num(t->failed_ops),
             plural(t->failed_ops, "call", "calls"), gp_fmt_num(t->would_block));
   VG_(umsg)("  I/O Time: %s ms (wall clock, not deterministic)\n",
             gp_fmt_ratio(io->time_ns, 1000000, 3));
   if (io->uring_calls)
      VG_(umsg)("  io_uring: %s calls; transfers submitted through it are not "
                "system calls and are not counted\n", gp_fmt_num(io->uring_calls));
   report_syscalls(io);

   if (io->n_files) {
      n = io->n_files < gp_clo.top ? io->n_files : gp_clo.top;
      VG_(umsg)("\n");
      VG_(umsg)("  Files and sockets by bytes (%u of %u):\n", n, io->n_files);
      VG_(umsg)("   %10s %8s %10s %8s %6s  %s\n", "read", "ops", "written", "ops",
                "failed", "file");
      for (i = 0; i < n; i++) {
         const GpIoFile* f = io->files[i];
         VG_(umsg)("   %10s %8s %10s %8s %6s  %s\n", gp_fmt_bytes(f->c.read_bytes),
                   gp_fmt_num(f->c.read_ops), gp_fmt_bytes(f->c.write_bytes),
                   gp_fmt_num(f->c.write_ops), gp_fmt_num(f->c.failed_ops),
                   path_fit(f->path, GP_REPORT_WIDTH - 51));
      }
   }
   if (io->n_sites) {
      n = io->n_sites < gp_clo.top ? io->n_sites : gp_clo.top;
      VG_(umsg)("\n");
      VG_(umsg)("  Call sites by bytes (%u of %u):\n", n, io->n_sites);
      VG_(umsg)("   %10s %8s %8s %6s  %-11s %s\n", "bytes", "ops", "avg/op", "failed",
                "to/from", "site");
      for (i = 0; i < n; i++) {
         const GpIoSite* s = io->sites[i];
         ULong bytes = s->c.read_bytes + s->c.write_bytes;
         ULong ops = s->c.read_ops + s->c.write_ops;
         HChar kinds[64];
         kinds_text(kinds, sizeof(kinds), s->read_kinds | s->write_kinds);
         VG_(umsg)("   %10s %8s %8s %6s  %-11s %s\n", gp_fmt_bytes(bytes),
                   gp_fmt_num(ops), gp_fmt_ratio(bytes, ops, 1),
                   gp_fmt_num(s->c.failed_ops), kinds,
                   loc_label(s->loc, GP_REPORT_WIDTH - 52));
      }
   }
}

static void report_threads(const GpProfile* p, const GpIoProfile* io)
{
   UInt i, n;
   ULong total = p->total_ir;
   VG_(umsg)("\n");
   VG_(umsg)("THREADS AND LOCKS:\n");
   if (io->n_threads <= 1) {
      VG_(umsg)("  Threads: 1 (the main thread only)\n");
   } else {
      n = io->n_threads < gp_clo.top ? io->n_threads : gp_clo.top;
      VG_(umsg)("  Threads: %u, at most %u alive at once\n", io->n_threads,
                io->max_alive);
      VG_(umsg)("   %5s %15s %7s  %-17s  %s\n", "#", "instructions", "share",
                "lifetime (of run)", "created at");
      for (i = 0; i < n; i++) {
         const GpIoThread* it = &io->threads[i];
         const GpThread* t = it->t;
         ULong end = (t->exited || !t->alive) ? t->died : total;
         HChar life[40];
         VG_(snprintf)(life, sizeof(life), "%s-%s", gp_fmt_pct(t->born, total),
                       gp_fmt_pct(end, total));
         VG_(umsg)("   %5u %15s %7s  %-17s  %s\n", t->index + 1, gp_fmt_num(t->accum),
                   gp_fmt_pct(t->accum, total), life,
                   t->index == 0 ? "(main thread)"
                   : it->created_at ? loc_label(it->created_at, GP_REPORT_WIDTH - 53)
                   : "?");
      }
      if (io->n_threads > n)
         VG_(umsg)("   ... %u more threads\n", io->n_threads - n);
   }
   if (!io->locks) {
      VG_(umsg)("  Locks: not tracked (--locks=no)\n");
      return;
   }
   if (io->lock_sites_user == 0) {
      VG_(umsg)("  Locks: none taken by the program\n");
   } else {
      VG_(umsg)("  Locks: %s %s at %s %s, %s %s, %s contended (%s)\n",
                gp_fmt_num(io->lock_objects), plural(io->lock_objects, "lock", "locks"),
                gp_fmt_num(io->lock_sites_user),
                plural(io->lock_sites_user, "site", "sites"),
                gp_fmt_num(io->lock_acquisitions),
                plural(io->lock_acquisitions, "acquisition", "acquisitions"),
                gp_fmt_num(io->lock_contended),
                gp_fmt_pct(io->lock_contended, io->lock_acquisitions));
      VG_(umsg)("   %12s %17s %13s  %-6s %s\n", "acquisitions", "contended",
                "held (instr)", "kind", "site");
      for (i = 0, n = 0; i < io->n_locks && n < gp_clo.top; i++) {
         const GpLockSite* l = &io->lock_sites[i];
         HChar cont[40];
         if (l->internal) continue;
         n++;
         VG_(snprintf)(cont, sizeof(cont), "%s (%s)", gp_fmt_num(l->contended),
                       gp_fmt_pct(l->contended, l->acquisitions));
         VG_(umsg)("   %12s %17s %13s  %-6s %s\n", gp_fmt_num(l->acquisitions), cont,
                   gp_fmt_num(l->held_ir), gp_lock_kind_name(l->kind),
                   loc_label(l->site, GP_REPORT_WIDTH - 55));
         if (l->busy || l->condvar_waits || l->read_acquisitions || l->objects > 1
             || l->threads > 1) {
            HChar more[160];
            SizeT k = 0;
            more[0] = 0;
            if (l->threads > 1)   /* the first part: no separator */
               k += VG_(snprintf)(more, sizeof(more), "%u threads", l->threads);
            if (l->objects > 1)
               k += VG_(snprintf)(more + k, sizeof(more) - k, "%s%s locks",
                                  k ? ", " : "", gp_fmt_num(l->objects));
            if (l->read_acquisitions)
               k += VG_(snprintf)(more + k, sizeof(more) - k, "%s%s for reading",
                                  k ? ", " : "", gp_fmt_num(l->read_acquisitions));
            if (l->busy)
               k += VG_(snprintf)(more + k, sizeof(more) - k, "%s%s busy tries",
                                  k ? ", " : "", gp_fmt_num(l->busy));
            if (l->condvar_waits)   /* the last part: k is not needed after */
               VG_(snprintf)(more + k, sizeof(more) - k, "%s%s condition wait%s",
                             k ? ", " : "", gp_fmt_num(l->condvar_waits),
                             l->condvar_waits == 1 ? "" : "s");
            VG_(umsg)("   %12s %17s %13s  %-6s (%s)\n", "", "", "", "", more);
         }
      }
      if (io->lock_sites_user > n)
         VG_(umsg)("   ... %s more lock sites\n", gp_fmt_num(io->lock_sites_user - n));
   }
   if (io->internal_sites)
      VG_(umsg)("  Runtime-internal locks (taken inside libc or the loader): %s "
                "%s at %s %s\n", gp_fmt_num(io->internal_acquisitions),
                plural(io->internal_acquisitions, "acquisition", "acquisitions"),
                gp_fmt_num(io->internal_sites), plural(io->internal_sites, "site", "sites"));
}

static void report_determinism(const GpIoProfile* io)
{
   UInt i, k;
   VG_(umsg)("\n");
   if (io->n_warnings == 0) {
      VG_(umsg)("DETERMINISM: no clock or random reads, no thread interleaving that "
                "could change counts\n");
      return;
   }
   VG_(umsg)("DETERMINISM: %u warning%s, instruction counts may differ between runs\n",
             io->n_warnings, io->n_warnings == 1 ? "" : "s");
   for (i = 0; i < io->n_warnings; i++) {
      const GpDetWarning* w = &io->warnings[i];
      HChar head[24];
      UInt n = w->n_sites < 5 ? w->n_sites : 5;
      VG_(snprintf)(head, sizeof(head), "  %s: ", gp_det_kind_name(w->kind));
      wrapped(head, 4, w->message);
      /* cppcheck's value flow takes n_sites for 0 here (it is set in
         gp_determinism.c) */
      // cppcheck-suppress knownConditionTrueFalse
      for (k = 0; k < n; k++) {
         Bool thr = w->kind == GP_DET_THREADS;
         ULong c = w->sites[k].calls;
         VG_(umsg)("    %s %s: %s %s\n",
                   k ? (thr ? "          " : "    ") : (thr ? "created at" : "from"),
                   loc_label(w->sites[k].loc, GP_REPORT_WIDTH - 36), gp_fmt_num(c),
                   thr ? plural(c, "thread", "threads") : plural(c, "call", "calls"));
      }
      if (w->n_sites > n)
         VG_(umsg)("    ... %u more sites\n", w->n_sites - n);
   }
}

void gp_io_report(const GpProfile* p)
{
   const GpIoProfile* io = p->io;
   if (!io) return;
   if (io->io) report_io(io);
   report_threads(p, io);
   report_determinism(io);
}
