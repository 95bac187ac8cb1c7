/* gp_profile_read.c -- the JSON profile reader shared by glprof_diff and
   glprof_annotate.  jansson parses; this file validates and converts.

   Every getter records the first problem in the reader and then does
   nothing (a sticky error), so each section reads as a straight list of
   fields, and the message names the exact place: "functions[3].self_ir:
   expected an unsigned integer, got -5".  Indices are checked against their
   tables here, once, so the programs never index out of bounds whatever the
   input. */

#include "gp_profile_read.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
   const char* name;
   char* err;
   size_t errlen;
   int failed;
} Rd;

static void fail(Rd* r, const char* where, const char* fmt, ...) GPH_PRINTF(3, 4);
static void fail(Rd* r, const char* where, const char* fmt, ...)
{
   char msg[400];
   va_list ap;
   if (r->failed) return;
   r->failed = 1;
   va_start(ap, fmt);
   vsnprintf(msg, sizeof(msg), fmt, ap);
   va_end(ap);
   if (where && *where)
      snprintf(r->err, r->errlen, "%s: %s: %s", gph_clean(r->name), where, gph_clean(msg));
   else
      snprintf(r->err, r->errlen, "%s: %s", gph_clean(r->name), gph_clean(msg));
}

/* "a string", "-5", "1.5", "null", ... for messages. */
static const char* describe(const json_t* v)
{
   static char buf[64];
   switch (json_typeof(v)) {
   case JSON_OBJECT: return "an object";
   case JSON_ARRAY: return "an array";
   case JSON_STRING: return "a string";
   case JSON_INTEGER:
      snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
      return buf;
   case JSON_REAL:
      snprintf(buf, sizeof(buf), "%g (a real number)", json_real_value(v));
      return buf;
   case JSON_TRUE: return "true";
   case JSON_FALSE: return "false";
   case JSON_NULL: return "null";
   }
   return "something else";
}

/* ---- field getters ------------------------------------------------------------ */

static json_t* get(Rd* r, json_t* obj, const char* where, const char* key, int required)
{
   json_t* v;
   if (r->failed) return NULL;
   v = json_object_get(obj, key);
   if (!v && required) fail(r, where, "missing field \"%s\"", key);
   return v;
}

static u64 as_u64(Rd* r, json_t* v, const char* where, const char* key)
{
   if (r->failed) return 0;
   if (!json_is_integer(v) || json_integer_value(v) < 0) {
      fail(r, where, "%s%sexpected an unsigned integer, got %s",
           key ? key : "", key ? ": " : "", describe(v));
      return 0;
   }
   return (u64)json_integer_value(v);
}

static u64 u64_field(Rd* r, json_t* obj, const char* where, const char* key, int required)
{
   json_t* v = get(r, obj, where, key, required);
   if (!v || (json_is_null(v) && !required)) return 0;
   return as_u64(r, v, where, key);
}

/* A count that may be null ("ended_at": null); *has says which. */
static u64 opt_u64_field(Rd* r, json_t* obj, const char* where, const char* key, int* has)
{
   json_t* v = get(r, obj, where, key, 0);
   *has = v && !json_is_null(v);
   return *has ? as_u64(r, v, where, key) : 0;
}

static i64 i64_field(Rd* r, json_t* obj, const char* where, const char* key, int* has)
{
   json_t* v = get(r, obj, where, key, 0);
   *has = 0;
   if (!v || json_is_null(v) || r->failed) return 0;
   if (!json_is_integer(v)) {
      fail(r, where, "%s: expected an integer, got %s", key, describe(v));
      return 0;
   }
   *has = 1;
   return (i64)json_integer_value(v);
}

static const char* str_field(Rd* r, json_t* obj, const char* where, const char* key, int required)
{
   json_t* v = get(r, obj, where, key, required);
   if (!v || r->failed) return NULL;
   if (json_is_null(v) && !required) return NULL;
   if (!json_is_string(v)) {
      fail(r, where, "%s: expected a string, got %s", key, describe(v));
      return NULL;
   }
   return json_string_value(v);
}

static int bool_field(Rd* r, json_t* obj, const char* where, const char* key, int dflt)
{
   json_t* v = get(r, obj, where, key, 0);
   if (!v || r->failed) return dflt;
   if (!json_is_boolean(v)) {
      fail(r, where, "%s: expected true or false, got %s", key, describe(v));
      return dflt;
   }
   return json_is_true(v);
}

/* An index into a table of 'limit' entries, or null (GPR_NONE) when
   nullable. */
static size_t check_index(Rd* r, json_t* v, const char* where, const char* key,
                          size_t limit, const char* table, int nullable)
{
   u64 x;
   if (r->failed) return GPR_NONE;
   if (!v || json_is_null(v)) {
      if (!nullable) fail(r, where, "missing field \"%s\"", key);
      return GPR_NONE;
   }
   x = as_u64(r, v, where, key);
   if (r->failed) return GPR_NONE;
   if (x >= limit) {
      fail(r, where, "%s: %llu is not an index into \"%s\" (%zu entries)", key,
           (unsigned long long)x, table, limit);
      return GPR_NONE;
   }
   return (size_t)x;
}

static size_t index_field(Rd* r, json_t* obj, const char* where, const char* key,
                          size_t limit, const char* table, int nullable)
{
   json_t* v = get(r, obj, where, key, !nullable);
   return check_index(r, v, where, key, limit, table, nullable);
}

static json_t* typed_field(Rd* r, json_t* obj, const char* where, const char* key,
                           int required, json_type type)
{
   json_t* v = get(r, obj, where, key, required);
   if (!v || r->failed) return NULL;
   if (json_is_null(v) && !required) return NULL;
   if (json_typeof(v) != type) {
      fail(r, where, "%s: expected %s, got %s", key,
           type == JSON_ARRAY ? "an array" : "an object", describe(v));
      return NULL;
   }
   return v;
}

static json_t* arr_field(Rd* r, json_t* obj, const char* where, const char* key, int required)
{
   return typed_field(r, obj, where, key, required, JSON_ARRAY);
}

static json_t* obj_field(Rd* r, json_t* obj, const char* where, const char* key, int required)
{
   return typed_field(r, obj, where, key, required, JSON_OBJECT);
}

/* The i-th element of an array, which must be an object. */
static json_t* element_obj(Rd* r, json_t* arr, size_t i, char* where, size_t wlen,
                           const char* name)
{
   json_t* e = json_array_get(arr, i);
   snprintf(where, wlen, "%s[%zu]", name, i);
   if (!r->failed && !json_is_object(e)) {
      fail(r, where, "expected an object, got %s", describe(e));
      return NULL;
   }
   return e;
}

/* Tables are allocated with one spare entry so that an empty table is
   still a valid pointer. */
#define NEW_TABLE(ptr, n) ((ptr) = gph_xcalloc((n) + 1, sizeof(*(ptr))))

/* ---- sections -------------------------------------------------------------------- */

static void read_header(Rd* r, json_t* root, GprProfile* p)
{
   json_t *exit_, *opts, *tot;
   p->tool_version = str_field(r, root, "", "tool_version", 0);
   p->valgrind_version = str_field(r, root, "", "valgrind_version", 0);
   p->command = str_field(r, root, "", "command", 0);
   p->label = str_field(r, root, "", "label", 0);
   p->final = bool_field(r, root, "", "final", 1);

   exit_ = obj_field(r, root, "", "exit", 0);
   if (exit_) {
      p->exit_state = str_field(r, exit_, "exit", "state", 0);
      p->exit_status = i64_field(r, exit_, "exit", "status", &p->has_exit_status);
      p->exit_signal = opt_u64_field(r, exit_, "exit", "signal", &p->has_exit_signal);
      p->exit_signal_name = str_field(r, exit_, "exit", "signal_name", 0);
   }

   p->opt_cpu = p->opt_heap = p->opt_io = p->opt_lines = -1;
   opts = obj_field(r, root, "", "options", 0);
   if (opts) {
      p->has_options = 1;
      p->options_json = opts;
      p->opt_cpu = bool_field(r, opts, "options", "cpu", -1);
      p->opt_heap = bool_field(r, opts, "options", "heap", -1);
      p->opt_io = bool_field(r, opts, "options", "io", -1);
      p->opt_lines = bool_field(r, opts, "options", "lines", -1);
   }

   tot = obj_field(r, root, "", "totals", 1);
   if (tot) {
      p->total_instructions = u64_field(r, tot, "totals", "instructions", 1);
      p->total_calls = u64_field(r, tot, "totals", "calls", 0);
      p->total_functions = u64_field(r, tot, "totals", "functions", 0);
      p->total_threads = u64_field(r, tot, "totals", "threads", 0);
      p->total_call_paths = u64_field(r, tot, "totals", "call_paths", 0);
      p->max_stack_depth = u64_field(r, tot, "totals", "max_stack_depth", 0);
      p->recursion_folds = u64_field(r, tot, "totals", "recursion_folds", 0);
      p->path_cap_folds = u64_field(r, tot, "totals", "path_cap_folds", 0);
   }
}

static void read_functions(Rd* r, json_t* root, GprProfile* p)
{
   json_t* arr = arr_field(r, root, "", "functions", 0);
   char where[64];
   size_t i, k;
   if (!arr) return;
   p->has_functions = 1;
   p->n_fns = json_array_size(arr);
   NEW_TABLE(p->fns, p->n_fns);
   for (i = 0; i < p->n_fns && !r->failed; i++) {
      GprFn* f = &p->fns[i];
      json_t* o = element_obj(r, arr, i, where, sizeof(where), "functions");
      json_t* lines;
      if (!o) break;
      f->name = str_field(r, o, where, "name", 1);
      f->file = str_field(r, o, where, "file", 0);
      f->line = u64_field(r, o, where, "line", 0);
      f->object = str_field(r, o, where, "object", 0);
      if (!f->object) f->object = "???";
      f->self_ir = u64_field(r, o, where, "self_ir", 1);
      f->incl_ir = u64_field(r, o, where, "incl_ir", 1);
      f->calls = u64_field(r, o, where, "calls", 0);
      lines = arr_field(r, o, where, "lines", 0);
      if (!lines) continue;
      f->has_lines = 1;
      f->n_lines = json_array_size(lines);
      NEW_TABLE(f->lines, f->n_lines);
      for (k = 0; k < f->n_lines && !r->failed; k++) {
         json_t* t = json_array_get(lines, k);
         char lw[96];
         snprintf(lw, sizeof(lw), "functions[%zu].lines[%zu]", i, k);
         if (!json_is_array(t) || json_array_size(t) < 3) {
            fail(r, lw, "expected a [file, line, self_ir] triple, got %s", describe(t));
            break;
         }
         if (json_is_null(json_array_get(t, 0)))
            f->lines[k].file = NULL;
         else if (!json_is_string(json_array_get(t, 0)))
            fail(r, lw, "file: expected a string, got %s", describe(json_array_get(t, 0)));
         else
            f->lines[k].file = json_string_value(json_array_get(t, 0));
         f->lines[k].line = as_u64(r, json_array_get(t, 1), lw, "line");
         f->lines[k].ir = as_u64(r, json_array_get(t, 2), lw, "self_ir");
      }
   }
}

static void read_calls(Rd* r, json_t* root, GprProfile* p)
{
   json_t* arr = arr_field(r, root, "", "calls", 0);
   char where[64];
   size_t i;
   if (!arr) return;
   p->n_calls = json_array_size(arr);
   NEW_TABLE(p->calls, p->n_calls);
   for (i = 0; i < p->n_calls && !r->failed; i++) {
      GprCall* c = &p->calls[i];
      json_t* o = element_obj(r, arr, i, where, sizeof(where), "calls");
      if (!o) break;
      c->caller = index_field(r, o, where, "caller", p->n_fns, "functions", 0);
      c->callee = index_field(r, o, where, "callee", p->n_fns, "functions", 0);
      c->calls = u64_field(r, o, where, "calls", 0);
      c->incl_ir = u64_field(r, o, where, "incl_ir", 0);
   }
}

/* "paths": {"columns": [...], "nodes": [[...], ...]}.  The columns say
   where each figure is, so a new column is not a format change. */
static void read_paths(Rd* r, json_t* root, GprProfile* p)
{
   static const char* wanted[] = { "parent", "fn", "calls", "self_ir", "incl_ir" };
   int col[5] = { 0, 1, 2, 3, 4 };
   json_t* obj = obj_field(r, root, "", "paths", 0);
   json_t *cols, *nodes;
   size_t i, k, width = 5;
   if (!obj) return;
   cols = arr_field(r, obj, "paths", "columns", 0);
   nodes = arr_field(r, obj, "paths", "nodes", 1);
   if (r->failed) return;
   if (cols) {
      width = json_array_size(cols);
      for (k = 0; k < 5; k++) {
         col[k] = -1;
         for (i = 0; i < width; i++) {
            json_t* c = json_array_get(cols, i);
            if (json_is_string(c) && strcmp(json_string_value(c), wanted[k]) == 0)
               col[k] = (int)i;
         }
         if (col[k] < 0 && k != 2 && k != 4) {
            fail(r, "paths.columns", "no \"%s\" column", wanted[k]);
            return;
         }
      }
   }
   p->has_paths = 1;
   p->n_paths = json_array_size(nodes);
   NEW_TABLE(p->paths, p->n_paths);
   for (i = 0; i < p->n_paths && !r->failed; i++) {
      GprPath* n = &p->paths[i];
      json_t* row = json_array_get(nodes, i);
      json_t* par;
      char where[64];
      snprintf(where, sizeof(where), "paths.nodes[%zu]", i);
      if (!json_is_array(row) || json_array_size(row) < width) {
         fail(r, where, "expected an array of %zu numbers, got %s", width, describe(row));
         break;
      }
      par = json_array_get(row, (size_t)col[0]);
      if (json_is_integer(par) && json_integer_value(par) == -1) {
         n->parent = GPR_NONE;
      } else {
         u64 x = as_u64(r, par, where, "parent");
         if (!r->failed && x >= i) {
            fail(r, where, "parent %llu is not an earlier node (nodes are in depth-first order)",
                 (unsigned long long)x);
            break;
         }
         n->parent = (size_t)x;
      }
      n->fn = check_index(r, json_array_get(row, (size_t)col[1]), where, "fn",
                          p->n_fns, "functions", 0);
      n->calls = col[2] >= 0 ? as_u64(r, json_array_get(row, (size_t)col[2]), where, "calls") : 0;
      n->self_ir = as_u64(r, json_array_get(row, (size_t)col[3]), where, "self_ir");
      n->incl_ir = col[4] >= 0 ? as_u64(r, json_array_get(row, (size_t)col[4]), where, "incl_ir") : 0;
   }
}

static void read_frames(Rd* r, json_t* root, GprProfile* p)
{
   json_t* arr = arr_field(r, root, "", "frames", 0);
   char where[64];
   size_t i;
   if (!arr) return;
   p->n_frames = json_array_size(arr);
   NEW_TABLE(p->frames, p->n_frames);
   for (i = 0; i < p->n_frames && !r->failed; i++) {
      GprFrame* f = &p->frames[i];
      json_t* o = element_obj(r, arr, i, where, sizeof(where), "frames");
      if (!o) break;
      f->fn = index_field(r, o, where, "fn", p->n_fns, "functions", 1);
      f->name = str_field(r, o, where, "name", 0);
      f->file = str_field(r, o, where, "file", 0);
      f->line = u64_field(r, o, where, "line", 0);
      f->object = str_field(r, o, where, "object", 0);
      if (!f->name) f->name = f->fn != GPR_NONE ? p->fns[f->fn].name : "???";
   }
}

static void read_stack(Rd* r, json_t* o, const char* where, const GprProfile* p, GprStack* s)
{
   json_t* arr = arr_field(r, o, where, "stack", 0);
   size_t i;
   if (!arr) return;
   s->n = json_array_size(arr);
   NEW_TABLE(s->frames, s->n);
   for (i = 0; i < s->n && !r->failed; i++) {
      char w[96];
      snprintf(w, sizeof(w), "%s.stack[%zu]", where, i);
      s->frames[i] = check_index(r, json_array_get(arr, i), w, "frame", p->n_frames, "frames", 0);
   }
}

static void read_heap(Rd* r, json_t* root, GprProfile* p)
{
   json_t* h = obj_field(r, root, "", "heap", 0);
   json_t* sites;
   GprHeap* hp = &p->heap;
   char where[64];
   size_t i;
   if (!h) return;
   hp->present = 1;
   hp->total_allocs = u64_field(r, h, "heap", "total_allocs", 0);
   hp->total_frees = u64_field(r, h, "heap", "total_frees", 0);
   hp->total_bytes = u64_field(r, h, "heap", "total_bytes", 0);
   hp->peak_bytes = u64_field(r, h, "heap", "peak_bytes", 0);
   hp->peak_blocks = u64_field(r, h, "heap", "peak_blocks", 0);
   hp->peak_at = u64_field(r, h, "heap", "peak_at", 0);
   hp->live_bytes = u64_field(r, h, "heap", "live_bytes", 0);
   hp->live_blocks = u64_field(r, h, "heap", "live_blocks", 0);
   hp->invalid_frees = u64_field(r, h, "heap", "invalid_frees", 0);
   hp->mismatched_frees = u64_field(r, h, "heap", "mismatched_frees", 0);
   sites = arr_field(r, h, "heap", "sites", 0);
   if (!sites) return;
   hp->n_sites = json_array_size(sites);
   NEW_TABLE(hp->sites, hp->n_sites);
   for (i = 0; i < hp->n_sites && !r->failed; i++) {
      GprSite* s = &hp->sites[i];
      json_t* o = element_obj(r, sites, i, where, sizeof(where), "heap.sites");
      json_t* g;
      if (!o) break;
      read_stack(r, o, where, p, &s->stack);
      s->allocs = u64_field(r, o, where, "allocs", 0);
      s->bytes = u64_field(r, o, where, "bytes", 1);
      s->frees = u64_field(r, o, where, "frees", 0);
      s->max_live_bytes = u64_field(r, o, where, "max_live_bytes", 0);
      s->bytes_at_peak = u64_field(r, o, where, "bytes_at_peak", 0);
      s->blocks_at_peak = u64_field(r, o, where, "blocks_at_peak", 0);
      s->live_blocks = u64_field(r, o, where, "live_blocks", 0);
      s->live_bytes = u64_field(r, o, where, "live_bytes", 0);
      s->avg_lifetime = u64_field(r, o, where, "avg_lifetime", 0);
      s->short_lived = u64_field(r, o, where, "short_lived", 0);
      g = obj_field(r, o, where, "growth", 0);
      if (g) {
         char gw[96];
         snprintf(gw, sizeof(gw), "%s.growth", where);
         s->has_growth = 1;
         s->growth_bytes_per_step = u64_field(r, g, gw, "bytes_per_step", 0);
         s->growth_steps = u64_field(r, g, gw, "steps", 0);
         s->growth_r2 = u64_field(r, g, gw, "r2", 0);
         s->growth_step = str_field(r, g, gw, "step", 0);
      }
   }
}

static void read_bb(Rd* r, json_t* l, const char* key, GprBytesBlocks* bb)
{
   char w[64];
   json_t* o = obj_field(r, l, "leaks", key, 0);
   if (!o) return;
   snprintf(w, sizeof(w), "leaks.%s", key);
   bb->bytes = u64_field(r, o, w, "bytes", 0);
   bb->blocks = u64_field(r, o, w, "blocks", 0);
}

static void read_leaks(Rd* r, json_t* root, GprProfile* p)
{
   json_t* l = obj_field(r, root, "", "leaks", 0);
   json_t* recs;
   GprLeaks* lk = &p->leaks;
   char where[64];
   size_t i;
   if (!l) return;
   lk->present = 1;
   read_bb(r, l, "definitely_lost", &lk->definite);
   read_bb(r, l, "indirectly_lost", &lk->indirect);
   read_bb(r, l, "possibly_lost", &lk->possible);
   read_bb(r, l, "still_reachable", &lk->reachable);
   read_bb(r, l, "suppressed", &lk->suppressed);
   recs = arr_field(r, l, "leaks", "records", 0);
   if (!recs) return;
   lk->n_records = json_array_size(recs);
   NEW_TABLE(lk->records, lk->n_records);
   for (i = 0; i < lk->n_records && !r->failed; i++) {
      GprLeakRecord* rec = &lk->records[i];
      json_t* o = element_obj(r, recs, i, where, sizeof(where), "leaks.records");
      int has;
      if (!o) break;
      rec->kind = str_field(r, o, where, "kind", 1);
      rec->bytes = u64_field(r, o, where, "bytes", 1);
      rec->blocks = u64_field(r, o, where, "blocks", 0);
      rec->direct_bytes = opt_u64_field(r, o, where, "direct_bytes", &has);
      rec->has_direct_bytes = has;
      rec->indirect_bytes = u64_field(r, o, where, "indirect_bytes", 0);
      read_stack(r, o, where, p, &rec->stack);
   }
}

static void read_io(Rd* r, json_t* root, GprProfile* p)
{
   json_t* io = obj_field(r, root, "", "io", 0);
   json_t *files, *sites;
   GprIo* x = &p->io;
   char where[64];
   size_t i;
   if (!io) return;
   x->present = 1;
   x->read_ops = u64_field(r, io, "io", "read_ops", 0);
   x->read_bytes = u64_field(r, io, "io", "read_bytes", 0);
   x->write_ops = u64_field(r, io, "io", "write_ops", 0);
   x->write_bytes = u64_field(r, io, "io", "write_bytes", 0);
   x->failed_ops = u64_field(r, io, "io", "failed_ops", 0);
   /* wall-clock time: informative only, an integer or a decimal */
   {
      json_t* t = get(r, io, "io", "time_ms", 0);
      if (t && !json_is_null(t) && !r->failed) {
         if (!json_is_number(t) || json_number_value(t) < 0)
            fail(r, "io", "time_ms: expected a number of milliseconds, got %s", describe(t));
         else
            x->time_ms = json_number_value(t);
      }
   }
   files = arr_field(r, io, "io", "files", 0);
   if (files) {
      x->n_files = json_array_size(files);
      NEW_TABLE(x->files, x->n_files);
      for (i = 0; i < x->n_files && !r->failed; i++) {
         GprIoFile* f = &x->files[i];
         json_t* o = element_obj(r, files, i, where, sizeof(where), "io.files");
         if (!o) break;
         f->path = str_field(r, o, where, "path", 1);
         f->read_ops = u64_field(r, o, where, "read_ops", 0);
         f->read_bytes = u64_field(r, o, where, "read_bytes", 0);
         f->write_ops = u64_field(r, o, where, "write_ops", 0);
         f->write_bytes = u64_field(r, o, where, "write_bytes", 0);
         f->failed_ops = u64_field(r, o, where, "failed_ops", 0);
         f->opens = u64_field(r, o, where, "opens", 0);
      }
   }
   sites = arr_field(r, io, "io", "sites", 0);
   if (sites) {
      x->n_sites = json_array_size(sites);
      NEW_TABLE(x->sites, x->n_sites);
      for (i = 0; i < x->n_sites && !r->failed; i++) {
         GprIoSite* s = &x->sites[i];
         json_t* o = element_obj(r, sites, i, where, sizeof(where), "io.sites");
         if (!o) break;
         s->fn = index_field(r, o, where, "fn", p->n_fns, "functions", 1);
         s->file = str_field(r, o, where, "file", 0);
         s->line = u64_field(r, o, where, "line", 0);
         s->read_ops = u64_field(r, o, where, "read_ops", 0);
         s->read_bytes = u64_field(r, o, where, "read_bytes", 0);
         s->write_ops = u64_field(r, o, where, "write_ops", 0);
         s->write_bytes = u64_field(r, o, where, "write_bytes", 0);
      }
   }
}

static void read_threads(Rd* r, json_t* root, GprProfile* p)
{
   json_t* arr = arr_field(r, root, "", "threads", 0);
   char where[64];
   size_t i;
   if (!arr) return;
   p->n_threads = json_array_size(arr);
   NEW_TABLE(p->threads, p->n_threads);
   for (i = 0; i < p->n_threads && !r->failed; i++) {
      GprThread* t = &p->threads[i];
      json_t* o = element_obj(r, arr, i, where, sizeof(where), "threads");
      int has;
      u64 parent;
      if (!o) break;
      t->index = u64_field(r, o, where, "index", 0);
      t->tid = u64_field(r, o, where, "tid", 0);
      t->os_tid = i64_field(r, o, where, "os_tid", &has);
      t->instructions = u64_field(r, o, where, "instructions", 0);
      /* "parent" is a thread's 1-based index; keep its position */
      parent = opt_u64_field(r, o, where, "parent", &has);
      t->parent = GPR_NONE;
      if (has && !r->failed) {
         if (parent == 0 || parent > p->n_threads)
            fail(r, where, "parent: %llu is not a thread index (1..%zu)",
                 (unsigned long long)parent, p->n_threads);
         else
            t->parent = (size_t)(parent - 1);
      }
      t->created_by = index_field(r, o, where, "created_by", p->n_fns, "functions", 1);
      t->started_at = u64_field(r, o, where, "started_at", 0);
      t->ended_at = opt_u64_field(r, o, where, "ended_at", &t->has_ended);
      t->max_stack_depth = u64_field(r, o, where, "max_stack_depth", 0);
   }
}

static void read_locks(Rd* r, json_t* root, GprProfile* p)
{
   json_t* arr = arr_field(r, root, "", "locks", 0);
   char where[64];
   size_t i;
   if (!arr) return;
   p->has_locks = 1;
   p->n_locks = json_array_size(arr);
   NEW_TABLE(p->locks, p->n_locks);
   for (i = 0; i < p->n_locks && !r->failed; i++) {
      GprLock* l = &p->locks[i];
      json_t* o = element_obj(r, arr, i, where, sizeof(where), "locks");
      if (!o) break;
      l->kind = str_field(r, o, where, "kind", 0);
      l->acquisitions = u64_field(r, o, where, "acquisitions", 0);
      l->contended = u64_field(r, o, where, "contended", 0);
      l->condvar_waits = u64_field(r, o, where, "condvar_waits", 0);
      l->site = index_field(r, o, where, "site", p->n_frames, "frames", 1);
   }
}

static void read_determinism(Rd* r, json_t* root, GprProfile* p)
{
   json_t* d = obj_field(r, root, "", "determinism", 0);
   json_t* arr;
   char where[64];
   size_t i, k;
   if (!d) return;
   p->has_determinism = 1;
   arr = arr_field(r, d, "determinism", "warnings", 0);
   if (!arr) return;
   p->n_det_warnings = json_array_size(arr);
   NEW_TABLE(p->det_warnings, p->n_det_warnings);
   for (i = 0; i < p->n_det_warnings && !r->failed; i++) {
      GprDetWarning* w = &p->det_warnings[i];
      json_t* o = element_obj(r, arr, i, where, sizeof(where), "determinism.warnings");
      json_t* sites;
      if (!o) break;
      w->kind = str_field(r, o, where, "kind", 0);
      w->calls = u64_field(r, o, where, "calls", 0);
      w->message = str_field(r, o, where, "message", 0);
      sites = arr_field(r, o, where, "sites", 0);
      if (!sites) continue;
      w->n_sites = json_array_size(sites);
      NEW_TABLE(w->sites, w->n_sites);
      /* each site is {"frame": <index>, "calls" | "threads": <n>}
         (docs/json-format.md); a bare index is accepted too */
      for (k = 0; k < w->n_sites && !r->failed; k++) {
         json_t* e = json_array_get(sites, k);
         if (json_is_object(e))
            w->sites[k] = index_field(r, e, where, "frame", p->n_frames, "frames", 0);
         else
            w->sites[k] = check_index(r, e, where, "sites", p->n_frames, "frames", 0);
      }
   }
}

/* {"a":1,"b":"x"} as "a 1, b x" (insertion order), or NULL when a value
   is not a scalar. */
static char* flat_object(json_t* v)
{
   const char* k;
   json_t* x;
   size_t len = 1, n = 0;
   char* out;
   if (!json_is_object(v)) return NULL;
   json_object_foreach(v, k, x) {
      if (json_is_object(x) || json_is_array(x)) return NULL;
      len += strlen(k) + 4 + (json_is_string(x) ? strlen(json_string_value(x)) : 32);
   }
   out = gph_xmalloc(len);
   out[0] = 0;
   json_object_foreach(v, k, x) {
      char* o = out + strlen(out);
      const char* sep = n++ ? ", " : "";
      if (json_is_string(x)) sprintf(o, "%s%s %s", sep, k, json_string_value(x));
      else if (json_is_integer(x)) sprintf(o, "%s%s %lld", sep, k, (long long)json_integer_value(x));
      else if (json_is_real(x)) sprintf(o, "%s%s %.6g", sep, k, json_real_value(x));
      else if (json_is_boolean(x)) sprintf(o, "%s%s %s", sep, k, json_is_true(x) ? "yes" : "no");
      else sprintf(o, "%s%s -", sep, k);
   }
   return out;
}

/* A finding's free-text field: a string, or anything else shown as JSON
   (a newer tool may make "evidence" an object). */
static const char* text_field(Rd* r, json_t* o, const char* where, const char* key)
{
   json_t* v = get(r, o, where, key, 0);
   if (!v || json_is_null(v) || r->failed) return NULL;
   if (json_is_string(v)) return json_string_value(v);
   if (json_is_integer(v) || json_is_real(v) || json_is_boolean(v) ||
       json_is_object(v) || json_is_array(v)) {
      /* kept alive by attaching it to the document; a flat object reads
         best as "key value, key value" */
      char* s = flat_object(v);
      if (!s) s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
      json_t* keep;
      char hidden[64];
      if (!s) return NULL;
      keep = json_string(s);
      free(s);
      if (!keep) return NULL;
      snprintf(hidden, sizeof(hidden), "\x01%s", key);
      json_object_set_new(o, hidden, keep);
      return json_string_value(keep);
   }
   return NULL;
}

static void read_findings(Rd* r, json_t* root, GprProfile* p)
{
   json_t* arr = arr_field(r, root, "", "findings", 0);
   char where[64];
   size_t i;
   if (!arr) return;
   p->has_findings = 1;
   p->n_findings = json_array_size(arr);
   NEW_TABLE(p->findings, p->n_findings);
   for (i = 0; i < p->n_findings && !r->failed; i++) {
      GprFinding* f = &p->findings[i];
      json_t* o = element_obj(r, arr, i, where, sizeof(where), "findings");
      if (!o) break;
      f->kind = str_field(r, o, where, "kind", 0);
      f->severity = str_field(r, o, where, "severity", 0);
      f->message = text_field(r, o, where, "message");
      f->location = text_field(r, o, where, "location");
      f->evidence = text_field(r, o, where, "evidence");
      f->recommendation = text_field(r, o, where, "recommendation");
   }
}

/* ---- the document ------------------------------------------------------------------- */

/* jansson's parse error, said for people: where, and what it means here. */
static void parse_error(Rd* r, const json_error_t* e, size_t len)
{
   char near[64];
   const char* t = e->text;
   const char* n = strstr(t, " near ");
   size_t head = n ? (size_t)(n - t) : strlen(t);
   snprintf(near, sizeof(near), "%s", n ? gph_fit(gph_clean(n + 6), 40) : "");
   switch (json_error_code(e)) {
   case json_error_premature_end_of_input:
      if (len == 0)
         fail(r, NULL, "empty file (not a glprof profile)");
      else
         fail(r, NULL, "line %d: unexpected end of input (the file is truncated)", e->line);
      return;
   case json_error_numeric_overflow:
      if (strncmp(t, "too big integer", 15) == 0)
         fail(r, NULL, "line %d, column %d: number %s is too large (this reader accepts "
              "counts up to 9223372036854775807)", e->line, e->column, near);
      else
         fail(r, NULL, "line %d, column %d: number out of range%s%s", e->line, e->column,
              *near ? " near " : "", near);
      return;
   case json_error_stack_overflow:
      fail(r, NULL, "line %d, column %d: nesting too deep (more than 2048 levels of "
           "arrays and objects)", e->line, e->column);
      return;
   case json_error_invalid_utf8:
      fail(r, NULL, "line %d, column %d: invalid UTF-8 (%.*s)", e->line, e->column,
           (int)head, t);
      return;
   case json_error_null_character:
      fail(r, NULL, "line %d, column %d: a string contains \\u0000 (NUL), which a profile "
           "never has", e->line, e->column);
      return;
   case json_error_duplicate_key:
      fail(r, NULL, "line %d, column %d: duplicate key %s", e->line, e->column, near);
      return;
   case json_error_out_of_memory:
      fail(r, NULL, "out of memory while parsing");
      return;
   default:
      fail(r, NULL, "not valid JSON: line %d, column %d: %s", e->line, e->column,
           gph_fit(gph_clean(t), 120));
   }
}

/* Profiles nest a few levels; anything far deeper is hostile.  Checked
   before parsing, whatever jansson's own limit (not every version has
   one): returns the line where MAX_NESTING is passed, or 0. */
#define MAX_NESTING 100
static size_t too_deep(const char* d, size_t n)
{
   size_t i, depth = 0, line = 1;
   int in_string = 0;
   for (i = 0; i < n; i++) {
      char c = d[i];
      if (c == '\n') line++;
      if (in_string) {
         if (c == '\\') i++;
         else if (c == '"') in_string = 0;
         continue;
      }
      if (c == '"') in_string = 1;
      else if (c == '[' || c == '{') {
         if (++depth > MAX_NESTING) return line;
      } else if ((c == ']' || c == '}') && depth) depth--;
   }
   return 0;
}

static int only_space(const char* d, size_t n)
{
   size_t i;
   for (i = 0; i < n; i++)
      if (d[i] != ' ' && d[i] != '\t' && d[i] != '\n' && d[i] != '\r') return 0;
   return 1;
}

int gpr_load_buffer(const char* name, const char* data, size_t len,
                    GprProfile* p, char* err, size_t errlen)
{
   Rd rd = { name, err, errlen, 0 };
   Rd* r = &rd;
   json_error_t e;
   json_t *root, *ver;
   size_t deep;

   memset(p, 0, sizeof(*p));
   p->path = name;
   if (errlen) err[0] = 0;
   if (only_space(data, len)) {
      fail(r, NULL, "empty file (not a glprof profile)");
      return -1;
   }
   if ((deep = too_deep(data, len))) {
      fail(r, NULL, "line %zu: nesting too deep (more than %d levels of arrays and objects)",
           deep, MAX_NESTING);
      return -1;
   }
   root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &e);
   if (!root) {
      parse_error(r, &e, len);
      return -1;
   }
   p->json = root;
   if (!json_is_object(root)) {
      fail(r, NULL, "not a glprof profile (the top level is %s, not an object)", describe(root));
      goto bad;
   }
   ver = json_object_get(root, "glprof");
   if (!ver) {
      fail(r, NULL, "not a glprof profile (no \"glprof\" field)");
      goto bad;
   }
   if (!json_is_integer(ver)) {
      fail(r, NULL, "not a glprof profile (\"glprof\" is %s, not a format version)", describe(ver));
      goto bad;
   }
   if (json_integer_value(ver) != GPR_FORMAT_VERSION) {
      fail(r, NULL, "glprof format version %lld is not supported (this %s reads version %d)",
           (long long)json_integer_value(ver), gph_progname, GPR_FORMAT_VERSION);
      goto bad;
   }
   p->version = GPR_FORMAT_VERSION;

   read_header(r, root, p);
   /* functions first, frames next: the other sections index them */
   read_functions(r, root, p);
   read_frames(r, root, p);
   read_threads(r, root, p);
   read_calls(r, root, p);
   read_paths(r, root, p);
   read_heap(r, root, p);
   read_leaks(r, root, p);
   read_io(r, root, p);
   read_locks(r, root, p);
   read_determinism(r, root, p);
   read_findings(r, root, p);
   if (!r->failed) return 0;
bad:
   gpr_free(p);
   return -1;
}

int gpr_load_file(const char* path, GprProfile* p, char* err, size_t errlen)
{
   FILE* f;
   char* data = NULL;
   size_t len = 0, cap = 0;
   int rc, is_stdin = strcmp(path, "-") == 0;
   struct stat st;

   memset(p, 0, sizeof(*p));
   if (is_stdin) {
      f = stdin;
   } else {
      f = fopen(path, "rb");
      if (!f) {
         snprintf(err, errlen, "%s: cannot open: %s", gph_clean(path), strerror(errno));
         return -1;
      }
      if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
         snprintf(err, errlen, "%s: is a directory, not a profile", gph_clean(path));
         fclose(f);
         return -1;
      }
   }
   for (;;) {
      size_t got;
      if (len == cap) {
         cap = cap ? cap * 2 : 1 << 16;
         data = gph_xrealloc(data, cap, 1);
      }
      got = fread(data + len, 1, cap - len, f);
      len += got;
      if (got == 0) break;
   }
   if (ferror(f)) {
      snprintf(err, errlen, "%s: read error: %s", gph_clean(path), strerror(errno));
      if (!is_stdin) fclose(f);
      free(data);
      return -1;
   }
   if (!is_stdin) fclose(f);
   rc = gpr_load_buffer(is_stdin ? "<stdin>" : path, data, len, p, err, errlen);
   free(data);
   return rc;
}

static void free_stack(GprStack* s) { free(s->frames); }

void gpr_free(GprProfile* p)
{
   size_t i;
   if (p->fns)
      for (i = 0; i < p->n_fns; i++) free(p->fns[i].lines);
   free(p->fns);
   free(p->calls);
   free(p->paths);
   free(p->frames);
   free(p->threads);
   if (p->heap.sites)
      for (i = 0; i < p->heap.n_sites; i++) free_stack(&p->heap.sites[i].stack);
   free(p->heap.sites);
   if (p->leaks.records)
      for (i = 0; i < p->leaks.n_records; i++) free_stack(&p->leaks.records[i].stack);
   free(p->leaks.records);
   free(p->io.files);
   free(p->io.sites);
   free(p->locks);
   if (p->det_warnings)
      for (i = 0; i < p->n_det_warnings; i++) free(p->det_warnings[i].sites);
   free(p->det_warnings);
   free(p->findings);
   if (p->json) json_decref((json_t*)p->json);
   memset(p, 0, sizeof(*p));
}

const char* gpr_frame_name(const GprProfile* p, const GprFrame* f)
{
   if (f->fn != GPR_NONE && f->fn < p->n_fns) return p->fns[f->fn].name;
   return f->name ? f->name : "???";
}
