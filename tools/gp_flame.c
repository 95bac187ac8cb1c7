/* gp_flame.c -- flame graphs from exact call paths.

   glprof keeps the real calling context of every instruction ("paths") and
   the allocation stack of every heap site and leak record, so the graph is
   exact: unlike graphs rebuilt from caller->callee edges, no stack is ever
   invented.  The same function under the same parent path is one frame;
   siblings are ordered by name (the flame graph convention, so two graphs
   of similar runs line up).

   The SVG is self-contained (inline CSS and script, no external resource),
   opens in any browser, and is deterministic: coordinates are computed
   with integers, colours from a hash of the name.  Each frame has a
   <title> tooltip; clicking zooms, "Search" highlights, and the URL
   fragment #zoom=fN / #search=TEXT does the same at load time. */

#include "gp_flame.h"

#include <stdlib.h>
#include <string.h>

#define FRAME_H 16          /* pixels per stack level */
#define PAD 10              /* left and right margin */
#define TOP 62              /* title, subtitle and buttons */
#define BOTTOM 30           /* the details line */
#define MAX_DEPTH 1000      /* deeper frames are not drawn (the SVG would be huge) */
#define CHAR_W100 662       /* 11px monospace: about 6.62 px per character */

typedef struct {
   size_t parent;          /* GPR_NONE for the root */
   size_t key;             /* what makes a frame distinct under its parent */
   const char* name;
   const char* file;
   u64 line;
   const char* object;
   u64 self, total;
   u64 offset;
   size_t depth;
   size_t first_child, n_children; /* into the 'kids' array */
} Node;

typedef struct {
   Node* nodes;
   size_t n, cap;
   /* (parent, key) -> node: open addressing */
   size_t* slots;
   size_t n_slots;
   size_t* kids;
   size_t* dfs;           /* nodes in depth-first order, children by name */
} Tree;

static u64 hash2(u64 a, u64 b)
{
   u64 h = a * 0x9e3779b97f4a7c15ULL ^ (b + 0x632be59bd9b4e019ULL + (a << 6) + (a >> 2));
   h ^= h >> 33;
   h *= 0xff51afd7ed558ccdULL;
   h ^= h >> 33;
   return h;
}

static u64 fnv(const char* s)
{
   u64 h = 0xcbf29ce484222325ULL;
   for (; s && *s; s++) {
      h ^= (unsigned char)*s;
      h *= 0x100000001b3ULL;
   }
   return h;
}

static void grow_slots(Tree* t)
{
   size_t i, ns = t->n_slots ? t->n_slots * 2 : 1024;
   size_t* s = gph_xcalloc(ns, sizeof(*s));
   for (i = 0; i < ns; i++) s[i] = GPR_NONE;
   for (i = 0; i < t->n; i++) {
      size_t h;
      if (t->nodes[i].parent == GPR_NONE) continue;
      h = (size_t)hash2(t->nodes[i].parent, t->nodes[i].key) & (ns - 1);
      while (s[h] != GPR_NONE) h = (h + 1) & (ns - 1);
      s[h] = i;
   }
   free(t->slots);
   t->slots = s;
   t->n_slots = ns;
}

static size_t new_node(Tree* t, size_t parent, size_t key, const char* name, const char* file,
                       u64 line, const char* object)
{
   Node* n;
   if (t->n == t->cap) {
      t->cap = t->cap ? t->cap * 2 : 256;
      t->nodes = gph_xrealloc(t->nodes, t->cap, sizeof(*t->nodes));
   }
   n = &t->nodes[t->n];
   memset(n, 0, sizeof(*n));
   n->parent = parent;
   n->key = key;
   n->name = name ? name : "???";
   n->file = file;
   n->line = line;
   n->object = object;
   n->depth = parent == GPR_NONE ? 0 : t->nodes[parent].depth + 1;
   return t->n++;
}

/* The child of 'parent' for 'key', created when new. */
static size_t child(Tree* t, size_t parent, size_t key, const char* name, const char* file,
                    u64 line, const char* object)
{
   size_t h, id;
   if ((t->n + 1) * 2 > t->n_slots) grow_slots(t);
   h = (size_t)hash2(parent, key) & (t->n_slots - 1);
   while (t->slots[h] != GPR_NONE) {
      Node* n = &t->nodes[t->slots[h]];
      if (n->parent == parent && n->key == key) return t->slots[h];
      h = (h + 1) & (t->n_slots - 1);
   }
   id = new_node(t, parent, key, name, file, line, object);
   t->slots[h] = id;
   return id;
}

static const Tree* sort_tree; /* for the qsort comparator */

static int by_name(const void* a, const void* b)
{
   const Node* x = &sort_tree->nodes[*(const size_t*)a];
   const Node* y = &sort_tree->nodes[*(const size_t*)b];
   int c = strcmp(x->name, y->name);
   if (c) return c;
   c = strcmp(x->file ? x->file : "", y->file ? y->file : "");
   if (c) return c;
   c = strcmp(x->object ? x->object : "", y->object ? y->object : "");
   if (c) return c;
   return x->key < y->key ? -1 : x->key > y->key;
}

/* Totals bottom-up, children lists sorted by name, offsets top-down.
   Nodes are created after their parents, so plain loops do it (no
   recursion: hostile input may be deep). */
static void finish_tree(Tree* t)
{
   size_t i, acc, *fill;
   for (i = 0; i < t->n; i++) t->nodes[i].total = t->nodes[i].self;
   for (i = t->n; i-- > 1;) {
      Node* n = &t->nodes[i];
      u64 pt = t->nodes[n->parent].total;
      t->nodes[n->parent].total = pt > UINT64_MAX - n->total ? UINT64_MAX : pt + n->total;
   }
   for (i = 1; i < t->n; i++) t->nodes[t->nodes[i].parent].n_children++;
   t->kids = gph_xcalloc(t->n + 1, sizeof(*t->kids));
   fill = gph_xcalloc(t->n + 1, sizeof(*fill));
   for (i = 0, acc = 0; i < t->n; i++) {
      t->nodes[i].first_child = fill[i] = acc;
      acc += t->nodes[i].n_children;
   }
   for (i = 1; i < t->n; i++) t->kids[fill[t->nodes[i].parent]++] = i;
   free(fill);
   sort_tree = t;
   for (i = 0; i < t->n; i++)
      if (t->nodes[i].n_children > 1)
         qsort(t->kids + t->nodes[i].first_child, t->nodes[i].n_children, sizeof(size_t), by_name);
   for (i = 0; i < t->n; i++) {
      Node* n = &t->nodes[i];
      u64 off = n->offset;
      size_t k;
      for (k = 0; k < n->n_children; k++) {
         Node* c = &t->nodes[t->kids[n->first_child + k]];
         c->offset = off;
         off = off > UINT64_MAX - c->total ? UINT64_MAX : off + c->total;
      }
   }
   /* depth-first order with an explicit stack */
   {
      size_t* stack = gph_xcalloc(t->n + 1, sizeof(*stack));
      size_t sp = 0, out = 0;
      t->dfs = gph_xcalloc(t->n + 1, sizeof(*t->dfs));
      if (t->n) stack[sp++] = 0;
      while (sp) {
         size_t id = stack[--sp], k = t->nodes[id].n_children;
         t->dfs[out++] = id;
         while (k-- > 0) stack[sp++] = t->kids[t->nodes[id].first_child + k];
      }
      free(stack);
   }
}

static void free_tree(Tree* t)
{
   free(t->nodes);
   free(t->slots);
   free(t->kids);
   free(t->dfs);
}

/* ---- building from the profile -------------------------------------------------------- */

static void from_paths(const GprProfile* p, Tree* t)
{
   size_t* at = gph_xcalloc(p->n_paths + 1, sizeof(*at));
   size_t i;
   for (i = 0; i < p->n_paths; i++) {
      const GprPath* n = &p->paths[i];
      const GprFn* f = &p->fns[n->fn];
      size_t parent = n->parent == GPR_NONE ? 0 : at[n->parent];
      at[i] = child(t, parent, n->fn, f->name, f->file, f->line, f->object);
      t->nodes[at[i]].self += n->self_ir;
   }
   free(at);
}

/* A key per frame: its function's index, or for frames outside "functions"
   one key per (name, object). */
static size_t* frame_keys(const GprProfile* p)
{
   size_t* keys = gph_xcalloc(p->n_frames + 1, sizeof(*keys));
   size_t n_slots = 64, i;
   size_t* slots;
   while (n_slots < p->n_frames * 2) n_slots *= 2;
   slots = gph_xcalloc(n_slots, sizeof(*slots));
   for (i = 0; i < n_slots; i++) slots[i] = GPR_NONE;
   for (i = 0; i < p->n_frames; i++) {
      const GprFrame* f = &p->frames[i];
      size_t h;
      if (f->fn != GPR_NONE) {
         keys[i] = f->fn;
         continue;
      }
      h = (size_t)hash2(fnv(f->name), fnv(f->object)) & (n_slots - 1);
      for (;;) {
         size_t s = slots[h];
         if (s == GPR_NONE) {
            slots[h] = i;
            keys[i] = p->n_fns + i;
            break;
         }
         if (strcmp(p->frames[s].name, f->name) == 0 &&
             strcmp(p->frames[s].object ? p->frames[s].object : "",
                    f->object ? f->object : "") == 0) {
            keys[i] = keys[s];
            break;
         }
         h = (h + 1) & (n_slots - 1);
      }
   }
   free(slots);
   return keys;
}

/* Frames in the graph are functions: a frame in "functions" is shown with
   its function's name and position, others with the frame's own. */
static void add_stack(const GprProfile* p, Tree* t, const size_t* keys, const GprStack* s, u64 v)
{
   size_t at = 0, i;
   for (i = s->n; i-- > 0;) {
      const GprFrame* f = &p->frames[s->frames[i]];
      if (f->fn != GPR_NONE) {
         const GprFn* fn = &p->fns[f->fn];
         at = child(t, at, keys[s->frames[i]], fn->name, fn->file, fn->line, fn->object);
      } else {
         at = child(t, at, keys[s->frames[i]], f->name, f->file, f->line, f->object);
      }
   }
   t->nodes[at].self = t->nodes[at].self > UINT64_MAX - v ? UINT64_MAX : t->nodes[at].self + v;
}

static int build(const GprProfile* p, int metric, Tree* t, char* err, size_t errlen)
{
   size_t i, *keys;
   new_node(t, GPR_NONE, 0, "all", NULL, 0, NULL);
   switch (metric) {
   case GPF_INSTRUCTIONS:
      if (!p->has_paths) {
         snprintf(err, errlen, "%s: no call paths (\"paths\"; profile made with --cpu=no?): "
                  "cannot draw an instructions flame graph", gph_clean(p->path));
         return -1;
      }
      from_paths(p, t);
      return 0;
   case GPF_ALLOC_BYTES:
      if (!p->heap.present) {
         snprintf(err, errlen, "%s: no heap profile (\"heap\"; profile made with --heap=no?): "
                  "cannot draw an alloc_bytes flame graph", gph_clean(p->path));
         return -1;
      }
      keys = frame_keys(p);
      for (i = 0; i < p->heap.n_sites; i++)
         add_stack(p, t, keys, &p->heap.sites[i].stack, p->heap.sites[i].bytes);
      free(keys);
      return 0;
   case GPF_LEAKED_BYTES:
      if (!p->leaks.present) {
         snprintf(err, errlen, "%s: no leak check (\"leaks\"; profile made with --heap=no?): "
                  "cannot draw a leaked_bytes flame graph", gph_clean(p->path));
         return -1;
      }
      keys = frame_keys(p);
      /* Lost memory: definitely and indirectly lost blocks, each at its own
         allocation stack.  A definite record's "bytes" includes the blocks
         it holds indirectly, which have records of their own: count only
         its direct bytes so nothing is counted twice. */
      for (i = 0; i < p->leaks.n_records; i++) {
         const GprLeakRecord* r = &p->leaks.records[i];
         u64 v;
         if (strcmp(r->kind, "definite") != 0 && strcmp(r->kind, "indirect") != 0) continue;
         v = r->has_direct_bytes ? r->direct_bytes : r->bytes;
         add_stack(p, t, keys, &r->stack, v);
      }
      free(keys);
      return 0;
   }
   snprintf(err, errlen, "unknown metric");
   return -1;
}

/* ---- output ---------------------------------------------------------------------------- */

int gpf_metric_from_name(const char* name)
{
   if (strcmp(name, "instructions") == 0) return GPF_INSTRUCTIONS;
   if (strcmp(name, "alloc_bytes") == 0) return GPF_ALLOC_BYTES;
   if (strcmp(name, "leaked_bytes") == 0) return GPF_LEAKED_BYTES;
   return -1;
}

const char* gpf_metric_name(int metric)
{
   switch (metric) {
   case GPF_ALLOC_BYTES: return "alloc_bytes";
   case GPF_LEAKED_BYTES: return "leaked_bytes";
   }
   return "instructions";
}

static const char* unit_name(int metric)
{
   return metric == GPF_INSTRUCTIONS ? "instructions" : "bytes";
}

/* Text for XML: escaped; characters XML 1.0 forbids become '?'. */
static void xml_text(FILE* f, const char* s)
{
   const unsigned char* p;
   for (p = (const unsigned char*)s; *p; p++) {
      if (*p == '&') fputs("&amp;", f);
      else if (*p == '<') fputs("&lt;", f);
      else if (*p == '>') fputs("&gt;", f);
      else if (*p == '"') fputs("&quot;", f);
      else if (*p < 0x20 && *p != '\t' && *p != '\n') fputc('?', f);
      else if (*p == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf)) {
         fputc('?', f); /* U+FFFE, U+FFFF */
         p += 2;
      } else fputc(*p, f);
   }
}

/* Coordinates in hundredths of a pixel, printed as decimals. */
static void coord(FILE* f, u64 c100)
{
   if (c100 % 100) fprintf(f, "%llu.%02llu", (unsigned long long)(c100 / 100),
                           (unsigned long long)(c100 % 100));
   else fprintf(f, "%llu", (unsigned long long)(c100 / 100));
}

static void colour(int metric, const Node* n, int root, char* buf, size_t len)
{
   u64 h = fnv(n->name);
   unsigned a = (unsigned)(h % 1000), b = (unsigned)((h >> 16) % 1000), c = (unsigned)((h >> 32) % 1000);
   if (root) {
      snprintf(buf, len, "rgb(190,190,205)");
      return;
   }
   switch (metric) {
   case GPF_ALLOC_BYTES: /* greens and teals */
      snprintf(buf, len, "rgb(%u,%u,%u)", 40 + a * 60 / 1000, 170 + b * 70 / 1000, 60 + c * 130 / 1000);
      break;
   case GPF_LEAKED_BYTES: /* purples */
      snprintf(buf, len, "rgb(%u,%u,%u)", 150 + a * 70 / 1000, 80 + b * 70 / 1000, 190 + c * 60 / 1000);
      break;
   default: /* the classic warm palette */
      snprintf(buf, len, "rgb(%u,%u,%u)", 205 + a * 50 / 1000, b * 200 / 1000, c * 55 / 1000);
   }
}

/* A label that fits w100 (hundredths of a pixel) of monospace text. */
static void label_text(FILE* f, const char* name, u64 w100)
{
   u64 chars = w100 > 600 ? (w100 - 600) / CHAR_W100 : 0;
   if (chars < 4) return;
   xml_text(f, gph_fit(name, chars > 100000 ? 100000 : (size_t)chars));
}

static const char* css =
   "text{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:11px;fill:#000}\n"
   "#title{font-size:17px;font-family:Verdana,'DejaVu Sans',sans-serif}\n"
   "#subtitle,#details,#matched{font-size:12px;fill:#444}\n"
   ".btn{cursor:pointer;fill:#2255aa;font-size:12px}\n"
   ".btn:hover{text-decoration:underline}\n"
   "g.f{cursor:pointer}\n"
   "g.f:hover rect{stroke:#222;stroke-width:0.5}\n"
   "g.f text{pointer-events:none}\n"
   "g.anc rect{opacity:0.5}\n";

/* The interactive part, plain ES5 so any browser runs it. */
static const char* script =
   "(function () {\n"
   "  var svg = document.documentElement, NS = 'http://www.w3.org/2000/svg';\n"
   "  var W = +svg.getAttribute('data-width'), PAD = +svg.getAttribute('data-pad');\n"
   "  var CW = +svg.getAttribute('data-charw');\n"
   "  var frames = [].slice.call(document.querySelectorAll('g.f'));\n"
   "  var details = document.getElementById('details');\n"
   "  var reset = document.getElementById('reset');\n"
   "  var search = document.getElementById('search');\n"
   "  var matched = document.getElementById('matched');\n"
   "  var orig = frames.map(function (g) {\n"
   "    var r = g.querySelector('rect');\n"
   "    return {x: +r.getAttribute('x'), w: +r.getAttribute('width'), fill: r.getAttribute('fill')};\n"
   "  });\n"
   "  function num(g, k) { return +g.getAttribute('data-' + k); }\n"
   "  function fit(name, w) {\n"
   "    var n = Math.floor((w - 6) / CW);\n"
   "    if (n < 4) return '';\n"
   "    return name.length <= n ? name : name.substring(0, n - 3) + '...';\n"
   "  }\n"
   "  function place(g, x, w) {\n"
   "    var r = g.querySelector('rect'), t = g.querySelector('text');\n"
   "    r.setAttribute('x', x.toFixed(2)); r.setAttribute('width', w.toFixed(2));\n"
   "    t.setAttribute('x', (x + 3).toFixed(2));\n"
   "    t.textContent = fit(g.getAttribute('data-n'), w);\n"
   "  }\n"
   "  function zoom(z) {\n"
   "    var O = num(z, 'o'), V = num(z, 'v'), D = num(z, 'd'), full = W - 2 * PAD;\n"
   "    frames.forEach(function (g) {\n"
   "      var o = num(g, 'o'), v = num(g, 'v'), d = num(g, 'd');\n"
   "      g.classList.remove('anc');\n"
   "      if (d < D && o <= O && o + v >= O + V) {\n"
   "        g.style.display = ''; g.classList.add('anc'); place(g, PAD, full);\n"
   "      } else if (d >= D && o >= O && o + v <= O + V && V > 0) {\n"
   "        var w = v / V * full;\n"
   "        g.style.display = w < 0.1 ? 'none' : '';\n"
   "        place(g, PAD + (o - O) / V * full, w);\n"
   "      } else {\n"
   "        g.style.display = 'none';\n"
   "      }\n"
   "    });\n"
   "    reset.style.display = '';\n"
   "    svg.setAttribute('data-zoom', z.id);\n"
   "  }\n"
   "  function unzoom() {\n"
   "    frames.forEach(function (g, i) {\n"
   "      g.style.display = ''; g.classList.remove('anc'); place(g, orig[i].x, orig[i].w);\n"
   "    });\n"
   "    reset.style.display = 'none';\n"
   "    svg.removeAttribute('data-zoom');\n"
   "  }\n"
   "  function highlight(term) {\n"
   "    var re, hits = [], total = 0, end = -1, root = num(frames[0], 'v');\n"
   "    try { re = new RegExp(term); } catch (e) { re = null; }\n"
   "    frames.forEach(function (g, i) {\n"
   "      var r = g.querySelector('rect');\n"
   "      var hit = re && term !== '' && re.test(g.getAttribute('data-n'));\n"
   "      r.setAttribute('fill', hit ? 'rgb(230,0,230)' : orig[i].fill);\n"
   "      if (hit) hits.push([num(g, 'o'), num(g, 'v')]);\n"
   "    });\n"
   "    hits.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });\n"
   "    hits.forEach(function (h) { if (h[0] >= end) { total += h[1]; end = h[0] + h[1]; } });\n"
   "    matched.textContent = hits.length && root > 0 ?\n"
   "      'Matched: ' + (100 * total / root).toFixed(2) + '%' : '';\n"
   "    svg.setAttribute('data-matched', hits.length);\n"
   "  }\n"
   "  frames.forEach(function (g) {\n"
   "    g.addEventListener('click', function () { zoom(g); });\n"
   "    g.addEventListener('mouseover', function () {\n"
   "      details.textContent = g.querySelector('title').textContent.replace(/\\n/g, '  |  ');\n"
   "    });\n"
   "    g.addEventListener('mouseout', function () { details.textContent = ' '; });\n"
   "  });\n"
   "  reset.addEventListener('click', unzoom);\n"
   "  search.addEventListener('click', function () {\n"
   "    var term = window.prompt('Search function names (regular expression):', '');\n"
   "    if (term !== null) highlight(term);\n"
   "  });\n"
   "  var hash = decodeURIComponent((window.location && window.location.hash) || '');\n"
   "  var m = /[#&]zoom=(f[0-9]+)/.exec(hash);\n"
   "  if (m && document.getElementById(m[1])) zoom(document.getElementById(m[1]));\n"
   "  m = /[#&]search=([^&]*)/.exec(hash);\n"
   "  if (m) highlight(m[1]);\n"
   "  svg.setAttribute('data-ready', '1');\n"
   "})();\n";

static void write_svg(const GprProfile* p, const GpfOptions* o, const Tree* t, FILE* f)
{
   unsigned width = o->width < 200 ? 200 : o->width;
   u64 full100 = (u64)(width - 2 * PAD) * 100;
   u64 root = t->nodes[0].total;
   size_t i, max_depth = 0, drawn = 0, hidden_deep = 0;
   size_t* order;
   size_t n_order = 0;
   unsigned height;
   char fill[32];
   const char* unit = unit_name(o->metric);

   /* Which frames are wide enough, and how deep the drawing goes. */
   order = gph_xcalloc(t->n + 1, sizeof(*order));
   for (i = 0; i < t->n; i++) {
      size_t id = t->dfs[i];
      const Node* n = &t->nodes[id];
      u64 w100 = root ? gph_muldiv(n->total, full100, root) : (id == 0 ? full100 : 0);
      if (n->depth > MAX_DEPTH) { hidden_deep++; continue; }
      if (id && (w100 < o->min_width || n->total == 0)) continue;
      if (n->depth > max_depth) max_depth = n->depth;
      order[n_order++] = id;
   }
   height = TOP + (unsigned)(max_depth + 1) * FRAME_H + BOTTOM;

   fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
   fprintf(f, "<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" "
           "height=\"%u\" viewBox=\"0 0 %u %u\" data-width=\"%u\" data-pad=\"%d\" "
           "data-charw=\"%d.%02d\" data-metric=\"%s\">\n", width, height, width, height,
           width, PAD, CHAR_W100 / 100, CHAR_W100 % 100, gpf_metric_name(o->metric));
   fprintf(f, "<style>\n%s</style>\n", css);
   fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%u\" height=\"%u\" fill=\"#f4f4f0\"/>\n",
           width, height);
   fprintf(f, "<text id=\"title\" x=\"%u\" y=\"24\" text-anchor=\"middle\">", width / 2);
   if (o->title) xml_text(f, o->title);
   else fprintf(f, "%s", o->metric == GPF_INSTRUCTIONS ? "Instructions by call path"
                       : o->metric == GPF_ALLOC_BYTES ? "Heap bytes allocated by allocation stack"
                       : "Leaked bytes by allocation stack");
   fprintf(f, "</text>\n");
   fprintf(f, "<text id=\"subtitle\" x=\"%u\" y=\"42\" text-anchor=\"middle\">", width / 2);
   xml_text(f, gph_fit(p->command ? p->command : "", (width - 300) / 7));
   fprintf(f, " \xe2\x80\x94 %s %s", gph_num(root), unit);
   if (hidden_deep) fprintf(f, " (frames deeper than %d levels not drawn)", MAX_DEPTH);
   fprintf(f, "</text>\n");
   fprintf(f, "<text id=\"reset\" class=\"btn\" x=\"%d\" y=\"24\" style=\"display:none\">"
           "Reset zoom</text>\n", PAD);
   fprintf(f, "<text id=\"search\" class=\"btn\" x=\"%u\" y=\"24\" text-anchor=\"end\">"
           "Search</text>\n", width - PAD);
   fprintf(f, "<text id=\"matched\" x=\"%u\" y=\"%u\" text-anchor=\"end\"> </text>\n",
           width - PAD, height - 10);
   fprintf(f, "<text id=\"details\" x=\"%d\" y=\"%u\"> </text>\n", PAD, height - 10);
   fprintf(f, "<g id=\"frames\">\n");
   for (i = 0; i < n_order; i++) {
      const Node* n = &t->nodes[order[i]];
      u64 x100 = (u64)PAD * 100 + (root ? gph_muldiv(n->offset, full100, root) : 0);
      u64 w100 = root ? gph_muldiv(n->total, full100, root) : full100;
      unsigned y = height - BOTTOM - (unsigned)(n->depth + 1) * FRAME_H;
      const char* label = order[i] == 0 ? "all" : n->name;
      colour(o->metric, n, order[i] == 0, fill, sizeof(fill));
      fprintf(f, "<g class=\"f\" id=\"f%zu\" data-o=\"%llu\" data-v=\"%llu\" data-d=\"%zu\" "
              "data-n=\"", drawn++, (unsigned long long)n->offset,
              (unsigned long long)n->total, n->depth);
      xml_text(f, label);
      fprintf(f, "\"><title>");
      if (order[i] == 0) {
         fprintf(f, "all: %s %s", gph_num(root), unit);
      } else {
         xml_text(f, gph_fn_label(n->name, n->file, n->line, n->object));
         fprintf(f, "\n%s %s (%s)", gph_num(n->total), unit, gph_pct(n->total, root));
         if (n->self && n->self != n->total)
            fprintf(f, ", self %s (%s)", gph_num(n->self), gph_pct(n->self, root));
      }
      fprintf(f, "</title><rect x=\"");
      coord(f, x100);
      fprintf(f, "\" y=\"%u\" width=\"", y);
      coord(f, w100);
      fprintf(f, "\" height=\"%d\" fill=\"%s\" rx=\"2\"/><text x=\"", FRAME_H - 1, fill);
      coord(f, x100 + 300);
      fprintf(f, "\" y=\"%u\">", y + FRAME_H - 4);
      label_text(f, label, w100);
      fprintf(f, "</text></g>\n");
   }
   fprintf(f, "</g>\n<script type=\"text/javascript\"><![CDATA[\n%s]]></script>\n</svg>\n",
           script);
   free(order);
}

/* Folded stacks: "root;...;leaf self" for every node with self cost, in the
   graph's order (the synthetic root left out).  Paths deeper than
   MAX_DEPTH are cut there (their cost stays, on the deepest frame kept). */
static void write_folded(const Tree* t, FILE* f)
{
   size_t path[MAX_DEPTH + 1];
   size_t i, k;
   for (i = 1; i < t->n; i++) {
      size_t id = t->dfs[i];
      const Node* n = &t->nodes[id];
      size_t d = n->depth;
      if (d <= MAX_DEPTH) path[d] = id;
      if (n->self == 0) continue;
      if (d > MAX_DEPTH) d = MAX_DEPTH;
      for (k = 1; k <= d; k++) {
         const unsigned char* s = (const unsigned char*)t->nodes[path[k]].name;
         for (; *s; s++) fputc(*s == ';' ? ':' : (*s < 0x20 || *s == 0x7f) ? '?' : *s, f);
         if (k < d) fputc(';', f);
      }
      fprintf(f, " %llu\n", (unsigned long long)n->self);
   }
}

int gpf_write(const GprProfile* p, const GpfOptions* o, FILE* svg, FILE* folded,
              char* err, size_t errlen)
{
   Tree t;
   memset(&t, 0, sizeof(t));
   if (build(p, o->metric, &t, err, errlen) < 0) {
      free_tree(&t);
      return -1;
   }
   finish_tree(&t);
   if (svg) write_svg(p, o, &t, svg);
   if (folded) write_folded(&t, folded);
   free_tree(&t);
   return 0;
}
