/* gp_determinism.c -- what can make two runs of the same binary on the
   same input execute different instruction counts, so that a CI
   comparison knows how far to trust them:

   - clock reads: clock_gettime, gettimeofday, time, times, getrusage.
     On amd64 Valgrind removes the vDSO from the program, so these are
     real system calls and all reach the syscall hook (verified by the
     tests); platforms where Valgrind keeps the vDSO would need wrappers;
   - random sources: the getrandom call, reads of /dev/urandom and
     /dev/random;
   - threads: several threads alive at once that share locks, or several
     worker threads running at the same time -- their interleaving decides
     contention, spinning and wake-ups, and so the counts.

   Not seen (docs/io.md): the RDTSC and RDRAND instructions, data read
   from files that change, addresses used as hash keys. */

#include "gp_determinism.h"
#include "gp_io_site.h"
#include "gp_util.h"

typedef struct {
   ULong     calls;
   XArray*   sources;     /* GpDetSource */
   GpWordMap site_ix;     /* GpFrameLoc* -> index + 1 in sites */
   XArray*   sites;       /* GpDetSite */
} DetAcc;

static DetAcc acc[GP_DET_THREADS];   /* clock and random */

const HChar* gp_det_kind_name(GpDetKind k)
{
   return k == GP_DET_CLOCK ? "clock" : k == GP_DET_RANDOM ? "random" : "threads";
}

void gp_det_init(void)
{
   UInt k;
   for (k = 0; k < GP_DET_THREADS; k++) {
      acc[k].sources = VG_(newXA)(VG_(malloc), GP_CC("det.src"), VG_(free),
                                  sizeof(GpDetSource));
      acc[k].sites = VG_(newXA)(VG_(malloc), GP_CC("det.sites"), VG_(free),
                                sizeof(GpDetSite));
      gp_wmap_init(&acc[k].site_ix, GP_CC("det.sites"), 16);
   }
}

void gp_det_note(ThreadId tid, GpDetKind kind, const HChar* source)
{
   DetAcc* a = &acc[kind];
   Word i, n = VG_(sizeXA)(a->sources);
   Bool user;
   UWord* ix;
   GpFrameLoc* loc;
   a->calls++;
   for (i = 0; i < n; i++) {
      GpDetSource* s = VG_(indexXA)(a->sources, i);
      if (s->name == source) { s->calls++; break; }
   }
   if (i == n) {
      GpDetSource s = { source, 1 };
      VG_(addToXA)(a->sources, &s);
   }
   loc = gp_site_here(tid, &user, NULL);
   ix = gp_wmap_insert(&a->site_ix, (UWord)loc);
   if (*ix == 0) {
      GpDetSite s = { loc, 0 };
      *ix = (UWord)VG_(addToXA)(a->sites, &s) + 1;
   }
   ((GpDetSite*)VG_(indexXA)(a->sites, (Word)*ix - 1))->calls++;
}

void gp_det_zero(void)
{
   UInt k;
   for (k = 0; k < GP_DET_THREADS; k++) {
      acc[k].calls = 0;
      VG_(dropTailXA)(acc[k].sources, VG_(sizeXA)(acc[k].sources));
      VG_(dropTailXA)(acc[k].sites, VG_(sizeXA)(acc[k].sites));
      gp_wmap_clear(&acc[k].site_ix);
   }
}

/* ---- analysis ------------------------------------------------------------ */

static Int cmp_desc(ULong a, ULong b) { return a > b ? -1 : a < b; }

static Int det_site_cmp(const void* pa, const void* pb)
{
   const GpDetSite* a = pa;
   const GpDetSite* b = pb;
   Int r = cmp_desc(a->calls, b->calls);
   return r ? r : gp_site_loc_cmp(a->loc, b->loc);
}

static Int det_source_cmp(const void* pa, const void* pb)
{
   const GpDetSource* a = pa;
   const GpDetSource* b = pb;
   Int r = cmp_desc(a->calls, b->calls);
   return r ? r : VG_(strcmp)(a->name, b->name);
}

/* "clock_gettime 999, time 1" */
static void sources_text(HChar* buf, SizeT n, const GpDetWarning* w)
{
   UInt i;
   SizeT k = 0;
   buf[0] = 0;
   for (i = 0; i < w->n_sources && k + 40 < n; i++)
      k += VG_(snprintf)(buf + k, n - k, "%s%s %s", i ? ", " : "",
                         w->sources[i].name, gp_fmt_num(w->sources[i].calls));
}

static void source_warning(GpIoProfile* io, GpDetKind kind)
{
   DetAcc* a = &acc[kind];
   GpDetWarning* w;
   HChar src[256];
   UInt i;
   if (a->calls == 0) return;
   w = &io->warnings[io->n_warnings++];
   w->kind = kind;
   w->calls = a->calls;
   w->n_sources = (UInt)VG_(sizeXA)(a->sources);
   w->sources = VG_(malloc)(GP_CC("det.an"), (w->n_sources + 1) * sizeof(GpDetSource));
   for (i = 0; i < w->n_sources; i++)
      w->sources[i] = *(GpDetSource*)VG_(indexXA)(a->sources, i);
   VG_(ssort)(w->sources, w->n_sources, sizeof(GpDetSource), det_source_cmp);
   w->n_sites = (UInt)VG_(sizeXA)(a->sites);
   w->sites = VG_(malloc)(GP_CC("det.an"), (w->n_sites + 1) * sizeof(GpDetSite));
   for (i = 0; i < w->n_sites; i++) {
      w->sites[i] = *(GpDetSite*)VG_(indexXA)(a->sites, i);
      gp_site_mark(w->sites[i].loc);
   }
   VG_(ssort)(w->sites, w->n_sites, sizeof(GpDetSite), det_site_cmp);
   sources_text(src, sizeof(src), w);
   w->message = VG_(malloc)(GP_CC("det.an"), 512);
   if (kind == GP_DET_CLOCK)
      VG_(snprintf)(w->message, 512, "the program read the clock %s time%s (%s): "
                    "work that depends on the time (timeouts, seeds, printed "
                    "durations) can change instruction counts between runs",
                    gp_fmt_num(w->calls), w->calls == 1 ? "" : "s", src);
   else
      VG_(snprintf)(w->message, 512, "the program read random data %s time%s (%s): "
                    "work that depends on it can change instruction counts "
                    "between runs", gp_fmt_num(w->calls), w->calls == 1 ? "" : "s",
                    src);
}

/* Whether threads ran at the same time depends on the scheduler (a worker
   may finish before the next one is even created), so the warning rests
   on what does not: the threads the program created, and the locks that
   several threads took. */
static void threads_warning(GpIoProfile* io)
{
   UInt i, workers = io->n_threads ? io->n_threads - 1 : 0, shared = 0, n = 0;
   ULong shared_acq = 0;
   GpDetWarning* w;
   for (i = 0; i < io->n_locks; i++)
      if (io->lock_sites[i].threads >= 2) {
         shared++;
         shared_acq += io->lock_sites[i].acquisitions;
      }
   if (workers < 2 && !(workers >= 1 && shared > 0)) return;
   w = &io->warnings[io->n_warnings++];
   w->kind = GP_DET_THREADS;
   w->calls = shared_acq;
   w->threads = workers;
   w->shared_locks = shared;
   /* Where the threads came from: creation sites, by threads created. */
   w->sites = VG_(malloc)(GP_CC("det.an"), (io->n_threads + 1) * sizeof(GpDetSite));
   for (i = 0; i < io->n_threads; i++) {
      GpFrameLoc* loc = io->threads[i].created_at;
      UInt j;
      if (!loc) continue;
      for (j = 0; j < n && w->sites[j].loc != loc; j++) ;
      if (j == n) { w->sites[n].loc = loc; w->sites[n++].calls = 0; }
      w->sites[j].calls++;
   }
   w->n_sites = n;
   VG_(ssort)(w->sites, n, sizeof(GpDetSite), det_site_cmp);
   w->message = VG_(malloc)(GP_CC("det.an"), 512);
   if (shared)
      VG_(snprintf)(w->message, 512, "the program ran %u thread%s besides the main "
                    "one, sharing %u lock site%s (%s acquisitions): their "
                    "interleaving (contention, spinning, wake-ups) can change "
                    "instruction counts between runs", workers, workers == 1 ? "" : "s",
                    shared, shared == 1 ? "" : "s", gp_fmt_num(shared_acq));
   else
      VG_(snprintf)(w->message, 512, "the program ran %u threads besides the main "
                    "one: how the scheduler interleaves them can change per-thread "
                    "and total instruction counts between runs", workers);
}

void gp_det_analyse(GpIoProfile* io)
{
   source_warning(io, GP_DET_CLOCK);
   source_warning(io, GP_DET_RANDOM);
   threads_warning(io);
}

void gp_det_free(GpIoProfile* io)
{
   UInt i;
   for (i = 0; i < io->n_warnings; i++) {
      GpDetWarning* w = &io->warnings[i];
      if (w->sites) VG_(free)(w->sites);
      if (w->sources) VG_(free)(w->sources);
      if (w->message) VG_(free)(w->message);
   }
   io->n_warnings = 0;
}
