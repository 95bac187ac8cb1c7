/* gp_heap_errors.c -- the heap's problems as Valgrind errors: invalid
   frees, mismatched frees and leak records go through the core's error
   manager, so --error-exitcode, suppression files, --gen-suppressions,
   --xml=yes, -q and the ERROR SUMMARY line behave as Memcheck users
   expect.

   Suppression kinds are Memcheck's ("Leak" with an optional
   "match-leak-kinds:" line, "Free" for invalid and mismatched frees), so a
   Memcheck suppression applies to glprof once glprof is in its tool list:
   "Memcheck,glprof:Leak".  Errors are printed in Valgrind's usual form
   (with the allocation or free stack); the glprof report shows the same
   leak records again in its own form. */

#include "gp_heap_int.h"
#include "gp_util.h"
#include "pub_tool_addrinfo.h"

enum { ERR_LEAK = 0, ERR_FREE = 1, ERR_MISMATCH = 2, ERR_SIZEMISMATCH = 3 };
enum { SUPP_LEAK = 0, SUPP_FREE = 1, SUPP_SIZEMISMATCH = 2 };

/* What an error carries (copied by the core for recorded errors). */
typedef struct {
   UInt   free_kind;        /* the family that freed (GP_AK_*) */
   UInt   alloc_kind;       /* mismatch: the family that allocated */
   UInt   desc;             /* DESC_*: what the freed address is */
   SizeT  size;             /* the block's size */
   SizeT  offset;           /* address - block start */
   GpSite* site;            /* the block's allocation site, if any */
   GpLeakRecord* lr;        /* leaks (only during VG_(unique_error)) */
   SizeT  given;            /* size mismatch: the size given to the free */
   const HChar* fns;        /* size mismatch: "new/delete" ... (static) */
} ErrExtra;

enum { DESC_NONE, DESC_FREED, DESC_INSIDE, DESC_HEAP, DESC_OTHER };

typedef struct {
   UInt  kinds;             /* GP_LK_BIT set of leak kinds matched */
   ULong blocks, bytes;     /* suppressed at the last leak check */
} LeakSuppExtra;

/* printf to the XML stream or the log, as the output mode says. */
static void emit(const HChar* fmt, ...) PRINTF_CHECK(1, 2);
static void emit(const HChar* fmt, ...)
{
   va_list vargs;
   va_start(vargs, fmt);
   if (VG_(clo_xml)) VG_(vprintf_xml)(fmt, vargs);
   else VG_(vmessage)(Vg_UserMsg, fmt, vargs);
   va_end(vargs);
}

/* ---- recording ---------------------------------------------------------- */

void gp_err_invalid_free(ThreadId tid, Addr p, UInt free_kind)
{
   ErrExtra x;
   GpFreedRec fr;
   GpBlk b;
   VG_(memset)(&x, 0, sizeof(x));
   x.free_kind = free_kind;
   if (gp_heap_recently_freed(p, &fr)) {
      x.desc = DESC_FREED;
      x.size = fr.size;
      x.offset = p - fr.payload;
      x.site = fr.site ? gp_site_by_index(fr.site) : NULL;
   } else if (gp_store_find_containing(p, &b)) {
      x.desc = DESC_INSIDE;
      x.size = b.size;
      x.offset = p - b.payload;
      x.site = gp_site_by_index(b.rec->site);
   } else {
      x.desc = DESC_OTHER;
   }
   gp_heap_note_bad_free(tid, 0);
   VG_(maybe_record_error)(tid, ERR_FREE, p, NULL, &x);
}

void gp_err_mismatched_free(ThreadId tid, const GpBlk* b, UInt free_kind)
{
   ErrExtra x;
   gp_heap_note_bad_free(tid, 1);
   if (!gp_heap_clo.show_mismatched) return;
   VG_(memset)(&x, 0, sizeof(x));
   x.free_kind = free_kind;
   x.alloc_kind = (UInt)(b->rec->born_kind & 3);
   x.desc = DESC_INSIDE;
   x.size = b->size;
   x.site = gp_site_by_index(b->rec->site);
   VG_(maybe_record_error)(tid, ERR_MISMATCH, b->payload, NULL, &x);
}

void gp_err_size_mismatch(ThreadId tid, const GpBlk* b, SizeT size, const HChar* fns)
{
   ErrExtra x;
   gp_heap_note_bad_free(tid, 1);
   VG_(memset)(&x, 0, sizeof(x));
   x.alloc_kind = (UInt)(b->rec->born_kind & 3);
   x.desc = DESC_INSIDE;
   x.size = b->size;
   x.site = gp_site_by_index(b->rec->site);
   x.given = size;
   x.fns = fns;
   VG_(maybe_record_error)(tid, ERR_SIZEMISMATCH, b->payload, NULL, &x);
}

Bool gp_err_leak(GpLeakRecord* lr, Bool print, Bool count)
{
   ErrExtra x;
   ThreadId tid = VG_(get_running_tid)();
   VG_(memset)(&x, 0, sizeof(x));
   x.lr = lr;
   if (tid == VG_INVALID_THREADID) tid = 1;
   return VG_(unique_error)(tid, ERR_LEAK, 0, NULL, &x, gp_site_ec(lr->site),
                            print, False, count);
}

/* ---- printing ------------------------------------------------------------ */

static const HChar* xml_leak_kind(UInt k)
{
   switch (k) {
   case GP_LK_DEFINITE: return "Leak_DefinitelyLost";
   case GP_LK_INDIRECT: return "Leak_IndirectlyLost";
   case GP_LK_POSSIBLE: return "Leak_PossiblyLost";
   default:             return "Leak_StillReachable";
   }
}

static void pp_leak(const GpLeakRecord* lr)
{
   const Bool xml = VG_(clo_xml);
   HChar text[256];
   if (lr->indirect_bytes)
      VG_(snprintf)(text, sizeof(text), "%s (%s direct, %s indirect) bytes in %s "
                    "blocks are %s in loss record %s of %s",
                    gp_fmt_num(lr->bytes + lr->indirect_bytes), gp_fmt_num(lr->bytes),
                    gp_fmt_num(lr->indirect_bytes), gp_fmt_num(lr->blocks),
                    gp_leak_kind_name(lr->kind), gp_fmt_num(lr->number),
                    gp_fmt_num(lr->of));
   else
      VG_(snprintf)(text, sizeof(text), "%s bytes in %s blocks are %s in loss "
                    "record %s of %s", gp_fmt_num(lr->bytes), gp_fmt_num(lr->blocks),
                    gp_leak_kind_name(lr->kind), gp_fmt_num(lr->number),
                    gp_fmt_num(lr->of));
   if (xml) {
      emit("  <kind>%s</kind>\n", xml_leak_kind(lr->kind));
      emit("  <xwhat>\n");
      emit("    <text>%pS</text>\n", text);
      emit("    <leakedbytes>%llu</leakedbytes>\n", lr->bytes + lr->indirect_bytes);
      emit("    <leakedblocks>%llu</leakedblocks>\n", lr->blocks);
      emit("  </xwhat>\n");
   } else {
      emit("%s\n", text);
   }
   VG_(pp_ExeContext)(gp_site_ec(lr->site));
}

static void pp_alloc_site(const ErrExtra* x, const HChar* what)
{
   if (VG_(clo_xml)) emit("  <auxwhat>%pS</auxwhat>\n", what);
   else emit(" %s\n", what);
   if (x->site && x->site->n_ips) VG_(pp_ExeContext)(gp_site_ec(x->site));
}

static void pp_Error(const Error* err)
{
   const Bool xml = VG_(clo_xml);
   ErrExtra* x = VG_(get_error_extra)(err);
   Addr a = VG_(get_error_address)(err);
   HChar what[200];
   switch (VG_(get_error_kind)(err)) {
   case ERR_LEAK:
      pp_leak(x->lr);
      break;
   case ERR_FREE:
      if (xml) {
         emit("  <kind>InvalidFree</kind>\n");
         emit("  <what>Invalid free() / delete / delete[] / realloc()</what>\n");
      } else {
         emit("Invalid free() / delete / delete[] / realloc()\n");
      }
      VG_(pp_ExeContext)(VG_(get_error_where)(err));
      switch (x->desc) {
      case DESC_FREED:
         VG_(snprintf)(what, sizeof(what), "Address 0x%lx is %lu bytes inside a "
                       "block of size %lu free'd earlier", a, x->offset, x->size);
         if (xml) emit("  <auxwhat>%pS</auxwhat>\n", what);
         else emit(" %s\n", what);
         pp_alloc_site(x, "Block was alloc'd at");
         break;
      case DESC_INSIDE:
         VG_(snprintf)(what, sizeof(what), "Address 0x%lx is %lu bytes inside a "
                       "block of size %lu alloc'd", a, x->offset, x->size);
         pp_alloc_site(x, what);
         break;
      default: {
         AddrInfo ai;
         VG_(describe_addr)(VG_(current_DiEpoch)(), a, &ai);
         VG_(pp_addrinfo_mc)(a, &ai, False);
         VG_(clear_addrinfo)(&ai);
         break;
      }
      }
      break;
   case ERR_MISMATCH:
      if (xml) {
         emit("  <kind>MismatchedFree</kind>\n");
         emit("  <what>Mismatched free() / delete / delete []</what>\n");
      } else {
         emit("Mismatched free() / delete / delete []\n");
      }
      VG_(pp_ExeContext)(VG_(get_error_where)(err));
      VG_(snprintf)(what, sizeof(what), "Address 0x%lx is 0 bytes inside a block "
                    "of size %lu alloc'd (by %s, freed by %s)", a, x->size,
                    gp_heap_alloc_fn_name(x->alloc_kind),
                    gp_heap_free_fn_name(x->free_kind));
      pp_alloc_site(x, what);
      break;
   case ERR_SIZEMISMATCH:
      if (xml) {
         emit("  <kind>MismatchedAllocateDeallocateSize</kind>\n");
         emit("  <what>Mismatched %s size value: %lu</what>\n", x->fns, x->given);
      } else {
         emit("Mismatched %s size value: %lu\n", x->fns, x->given);
      }
      VG_(pp_ExeContext)(VG_(get_error_where)(err));
      VG_(snprintf)(what, sizeof(what), "Address 0x%lx is 0 bytes inside a block "
                    "of size %lu alloc'd", a, x->size);
      pp_alloc_site(x, what);
      break;
   default:
      break;
   }
}

/* ---- the core's callbacks ---------------------------------------------- */

static Bool eq_Error(VgRes res, const Error* e1, const Error* e2)
{
   const ErrExtra* a = VG_(get_error_extra)(e1);
   const ErrExtra* b = VG_(get_error_extra)(e2);
   /* kind and stack are already equal */
   if (VG_(get_error_kind)(e1) == ERR_MISMATCH)
      return a->alloc_kind == b->alloc_kind && a->free_kind == b->free_kind;
   if (VG_(get_error_kind)(e1) == ERR_SIZEMISMATCH)
      return a->given == b->given;
   return True;
}

static void before_pp_Error(const Error* err) { }

static UInt update_extra(const Error* err) { return sizeof(ErrExtra); }

static Bool recognised_suppression(const HChar* name, Supp* su)
{
   if (VG_STREQ(name, "Leak")) VG_(set_supp_kind)(su, SUPP_LEAK);
   else if (VG_STREQ(name, "Free")) VG_(set_supp_kind)(su, SUPP_FREE);
   else if (VG_STREQ(name, "SizeMismatch")) VG_(set_supp_kind)(su, SUPP_SIZEMISMATCH);
   else return False;
   return True;
}

static Bool read_extra_suppression_info(Int fd, HChar** bufpp, SizeT* nBufp,
                                        Int* lineno, Supp* su)
{
   LeakSuppExtra* e;
   Bool eof;
   Int i;
   if (VG_(get_supp_kind)(su) != SUPP_LEAK) return True;
   e = VG_(calloc)(GP_CC("heap.supp"), 1, sizeof(LeakSuppExtra));
   e->kinds = (1u << GP_LK_N) - 1;          /* every kind by default */
   VG_(set_supp_extra)(su, e);
   /* an optional "match-leak-kinds:" line; a location line is left in
      the buffer for the core */
   eof = VG_(get_line)(fd, bufpp, nBufp, lineno);
   if (eof) return True;
   if (VG_(strncmp)(*bufpp, "match-leak-kinds:", 17) != 0) return False;
   i = 17;
   while ((*bufpp)[i] && VG_(isspace)((*bufpp)[i])) i++;
   return VG_(parse_enum_set)("reachable,possible,indirect,definite", True,
                              *bufpp + i, &e->kinds);
}

static Bool error_matches_suppression(const Error* err, const Supp* su)
{
   ErrorKind k = VG_(get_error_kind)(err);
   switch (VG_(get_supp_kind)(su)) {
   case SUPP_LEAK: {
      const LeakSuppExtra* e = VG_(get_supp_extra)(su);
      const ErrExtra* x = VG_(get_error_extra)(err);
      return k == ERR_LEAK && (e->kinds & GP_LK_BIT(x->lr->kind));
   }
   case SUPP_FREE:
      return k == ERR_FREE || k == ERR_MISMATCH;
   case SUPP_SIZEMISMATCH:
      return k == ERR_SIZEMISMATCH;
   default:
      return False;
   }
}

static const HChar* get_error_name(const Error* err)
{
   switch (VG_(get_error_kind)(err)) {
   case ERR_LEAK:         return "Leak";
   case ERR_SIZEMISMATCH: return "SizeMismatch";
   default:               return "Free";
   }
}

static SizeT print_extra_suppression_info(const Error* err, HChar* buf, Int nBuf)
{
   if (VG_(get_error_kind)(err) == ERR_LEAK) {
      const ErrExtra* x = VG_(get_error_extra)(err);
      return VG_(snprintf)(buf, nBuf, "match-leak-kinds: %s",
                           gp_leak_kind_word(x->lr->kind));
   }
   buf[0] = 0;
   return 0;
}

static SizeT print_extra_suppression_use(const Supp* su, HChar* buf, Int nBuf)
{
   if (VG_(get_supp_kind)(su) == SUPP_LEAK) {
      const LeakSuppExtra* e = VG_(get_supp_extra)(su);
      if (e->blocks)
         return VG_(snprintf)(buf, nBuf, "suppressed: %s bytes in %s blocks",
                              gp_fmt_num(e->bytes), gp_fmt_num(e->blocks));
   }
   buf[0] = 0;
   return 0;
}

static void update_extra_suppression_use(const Error* err, const Supp* su)
{
   if (VG_(get_supp_kind)(su) == SUPP_LEAK && VG_(get_error_kind)(err) == ERR_LEAK) {
      LeakSuppExtra* e = VG_(get_supp_extra)(su);
      const ErrExtra* x = VG_(get_error_extra)(err);
      e->blocks += x->lr->blocks;
      e->bytes += x->lr->bytes + x->lr->indirect_bytes;
   }
}

void gp_heap_errors_register(void)
{
   VG_(needs_tool_errors)(eq_Error, before_pp_Error, pp_Error,
                          True /* show thread ids */, update_extra,
                          recognised_suppression, read_extra_suppression_info,
                          error_matches_suppression, get_error_name,
                          print_extra_suppression_info,
                          print_extra_suppression_use,
                          update_extra_suppression_use);
   VG_(needs_xml_output)();
}
