/* gp_out_dhat.c -- the heap profile in DHAT's JSON format
   (--dhat-out-file), so DHAT's own viewer (dh_view.html) opens it.
   docs/formats.md says what is written.

   DHAT's format (the comment before its writer in dhat/dh_main.c, and the
   checks of dh_view.js): "dhatFileVersion" 2; "bklt" true (glprof has
   block lifetimes: totals, maximum, at the global peak, at the end) and
   "bkacc" false (glprof does not track reads and writes, which is what
   keeps it cheap), so the viewer offers every sort metric but the access
   ones; time in instructions; "ftbl"[0] is "[root]"; one program point per
   allocation stack, frames innermost first; no two program points with
   the same frames (the viewer throws "repeated location"), so stacks that
   print the same are merged. */

#include "gp_output.h"
#include "gp_heap_int.h"

typedef struct {
   UInt   n;
   UInt*  fs;               /* ftbl indices, innermost first */
   ULong  tb, tbk, tl, mb, mbk, gb, gbk, eb, ebk;
} Pp;

typedef struct {
   GpWordMap frame_ix;      /* interned frame string -> ftbl index */
   XArray*   ftbl;          /* const HChar*, [0] = "[root]" */
   GpWordMap pp_ix;         /* interned "i,j,k" key -> index in pps + 1 */
   XArray*   pps;           /* Pp */
} DhWriter;

/* "fn (file.c:12)" as Valgrind prints a frame, without the address (no
   addresses in glprof's files), or "fn (in /lib/obj.so)" without lines. */
static const HChar* frame_string(const GpFrameLoc* l)
{
   const HChar* name = l->name ? l->name : "???";
   const HChar* file = l->file ? VG_(strrchr)(l->file, '/') : NULL;
   SizeT n;
   HChar* b;
   const HChar* r;
   file = file ? file + 1 : l->file;
   n = VG_(strlen)(name) + (file ? VG_(strlen)(file) : 0)
       + (l->obj ? VG_(strlen)(l->obj->name) : 0) + 40;
   b = VG_(malloc)(GP_CC("out.dhat"), n);
   if (file && l->line)
      VG_(snprintf)(b, n, "%s (%s:%u)", name, file, l->line);
   else if (file)
      VG_(snprintf)(b, n, "%s (%s)", name, file);
   else
      VG_(snprintf)(b, n, "%s (in %s)", name, l->obj ? l->obj->name : "???");
   r = gp_intern(b);
   VG_(free)(b);
   return r;
}

static UInt frame_index(DhWriter* w, const GpFrameLoc* l)
{
   const HChar* s = frame_string(l);
   UWord* slot = gp_wmap_insert(&w->frame_ix, (UWord)s);
   if (!*slot) {
      *slot = (UWord)VG_(sizeXA)(w->ftbl);
      VG_(addToXA)(w->ftbl, &s);
   }
   return (UInt)*slot;
}

/* A block's lifetime counts up to the end for blocks still live then, as
   DHAT counts it.  glprof's analysis has the lifetimes of freed blocks
   exactly; for the blocks live at the end it has their number and the
   time of the site's first allocation, which bounds their ages from
   above (docs/formats.md): a site with live blocks never looks
   short-lived. */
static ULong total_lifetime(const GpSite* s, ULong end)
{
   ULong age = end > s->g_t0 ? end - s->g_t0 : 0;
   return s->lifetime_sum + s->live_blocks * age;
}

static void add_site(DhWriter* w, const GpSite* s, ULong end)
{
   UInt n = s->stack ? s->stack->n : 0, i;
   UInt* fs = VG_(malloc)(GP_CC("out.dhat"), (n + 1) * sizeof(UInt));
   HChar* key = VG_(malloc)(GP_CC("out.dhat"), 12 * (n + 1) + 2);
   SizeT kl = 0;
   UWord* slot;
   Pp* pp;
   key[0] = 0;
   for (i = 0; i < n; i++) {
      fs[i] = frame_index(w, s->stack->f[i]);
      kl += VG_(sprintf)(key + kl, "%u,", fs[i]);
   }
   slot = gp_wmap_insert(&w->pp_ix, (UWord)gp_intern(key));
   VG_(free)(key);
   if (*slot) {
      /* same frames as an earlier site (e.g. malloc and calloc from one
         line): one program point; its maximum is at most the sum */
      VG_(free)(fs);
      pp = VG_(indexXA)(w->pps, *slot - 1);
   } else {
      Pp fresh;
      VG_(memset)(&fresh, 0, sizeof(fresh));
      fresh.n = n;
      fresh.fs = fs;
      VG_(addToXA)(w->pps, &fresh);
      *slot = (UWord)VG_(sizeXA)(w->pps);
      pp = VG_(indexXA)(w->pps, *slot - 1);
   }
   pp->tb += s->bytes;
   pp->tbk += s->allocs;
   pp->tl += total_lifetime(s, end);
   pp->mb += s->max_live_bytes;
   pp->mbk += s->max_live_blocks;
   pp->gb += s->peak_bytes;
   pp->gbk += s->peak_blocks;
   pp->eb += s->live_bytes;
   pp->ebk += s->live_blocks;
}

static void write_pp(GpJson* j, const Pp* pp)
{
   UInt i;
   gp_json_obj(j, NULL);
   gp_json_u64(j, "tb", pp->tb);
   gp_json_u64(j, "tbk", pp->tbk);
   gp_json_u64(j, "tl", pp->tl);
   gp_json_u64(j, "mb", pp->mb);
   gp_json_u64(j, "mbk", pp->mbk);
   gp_json_u64(j, "gb", pp->gb);
   gp_json_u64(j, "gbk", pp->gbk);
   gp_json_u64(j, "eb", pp->eb);
   gp_json_u64(j, "ebk", pp->ebk);
   gp_json_arr(j, "fs");
   for (i = 0; i < pp->n; i++) gp_json_u64(j, NULL, pp->fs[i]);
   gp_json_end_arr(j);
   gp_json_end_obj(j);
}

void gp_write_dhat(GpOut* o, const GpProfile* p)
{
   const GpHeapProfile* hp = p->heap;
   DhWriter w;
   GpJson j;
   const HChar* root = "[root]";
   ULong end = gp_icount;
   Word i;
   if (!hp) return;
   if (hp->t.peak_time > end) end = hp->t.peak_time;

   VG_(memset)(&w, 0, sizeof(w));
   gp_wmap_init(&w.frame_ix, GP_CC("out.dhat"), 256);
   gp_wmap_init(&w.pp_ix, GP_CC("out.dhat"), 256);
   w.ftbl = VG_(newXA)(VG_(malloc), GP_CC("out.dhat"), VG_(free), sizeof(const HChar*));
   w.pps = VG_(newXA)(VG_(malloc), GP_CC("out.dhat"), VG_(free), sizeof(Pp));
   VG_(addToXA)(w.ftbl, &root);
   for (i = 0; i < (Word)hp->n_sites; i++) add_site(&w, hp->sites[i], end);

   gp_json_init(&j, o, 1);
   gp_json_obj(&j, NULL);
   gp_json_u64(&j, "dhatFileVersion", 2);
   gp_json_str(&j, "mode", "heap");
   gp_json_str(&j, "verb", "Allocated");
   gp_json_bool(&j, "bklt", True);
   gp_json_bool(&j, "bkacc", False);
   gp_json_str(&j, "tu", "instrs");
   gp_json_str(&j, "Mtu", "Minstr");
   gp_json_u64(&j, "tuth", gp_heap_clo.short_lived);
   gp_json_str(&j, "cmd", p->command);
   gp_json_i64(&j, "pid", p->pid);
   gp_json_u64(&j, "te", end);
   gp_json_u64(&j, "tg", hp->t.peak_time);
   gp_json_arr(&j, "pps");
   for (i = 0; i < VG_(sizeXA)(w.pps); i++)
      write_pp(&j, VG_(indexXA)(w.pps, i));
   gp_json_end_arr(&j);
   gp_json_arr(&j, "ftbl");
   for (i = 0; i < VG_(sizeXA)(w.ftbl); i++)
      gp_json_str(&j, NULL, *(const HChar**)VG_(indexXA)(w.ftbl, i));
   gp_json_end_arr(&j);
   gp_json_end_obj(&j);
   gp_out_puts(o, "\n");

   for (i = 0; i < VG_(sizeXA)(w.pps); i++)
      VG_(free)(((Pp*)VG_(indexXA)(w.pps, i))->fs);
   VG_(deleteXA)(w.pps);
   VG_(deleteXA)(w.ftbl);
   gp_wmap_free(&w.frame_ix);
   gp_wmap_free(&w.pp_ix);
}
