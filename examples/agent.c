/*
 * agent.c - sample workload for glprof: a toy "emissions-calculation agent".
 *
 * Modelled on the FuelAgentAI of a Python profiling guide: it reads fuel-use
 * requests (id,fuel_type,amount,unit,country) from a CSV file, converts each
 * amount to energy, runs a small numeric model to estimate kg CO2e, encodes
 * every result as a JSON line and writes the lines to an output file.
 *
 * The program is deterministic and deliberately plants things for a profiler:
 *   hot function   compute_emissions() runs a branchy step-by-step
 *                  combustion model per request and dominates the
 *                  instruction count;
 *   serialization  json_escape_string() and serialize_result() build each line
 *                  with vsnprintf into a growing buffer;
 *   growth         the result cache (g_cache) gains one 96-byte heap entry per
 *                  request and never hits, because its key includes the
 *                  request sequence number; it is still reachable at exit;
 *   leak           every coal request allocates a 24-byte audit record that
 *                  points to a 64-byte note and then drops it: one definitely
 *                  lost and one indirectly lost block per coal request;
 *   churn          the tokenizer and the JSON encoder malloc/free small
 *                  temporary buffers for every field;
 *   small writes   emit_row() issues one write(2) per JSON field;
 *   lock           workers take the queue mutex once and the cache mutex
 *                  twice per request.
 *
 * Build: gcc -O2 -g -Wall -Wextra -pthread -o /tmp/agent examples/agent.c
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MODEL_STEPS     150000 /* model steps per request */
#define CACHE_BUCKETS   256
#define CACHE_KEY_SIZE  72
#define AUDIT_NOTE_SIZE 64
#define MAX_THREADS     64
#define CSV_FIELDS      5
#define LINE_SIZE       512
#define JSON_MAX_FIELDS 16
#define FNV_OFFSET      0xcbf29ce484222325ULL
#define COUNT_OF(a)     (sizeof(a) / sizeof((a)[0]))

/* Keep the planted functions as separate frames even at -O2; otherwise GCC
 * inlines these single-caller statics and the profile loses their names. */
#define PROFILED __attribute__((noinline))

/* Each table row starts with its name, so find_named() can search any table. */
struct fuel_info {
    const char *name;
    double ef_kg_per_kwh; /* combustion factor; 0 means "use the grid factor" */
    double kwh_per_liter, kwh_per_kg, kwh_per_m3; /* 0: unit not applicable */
    double burn_rate;     /* rate of the logistic combustion model */
};

static const struct fuel_info FUELS[] = {
    { "natural_gas", 0.1829, 0.01055, 13.1, 10.55, 16.0 },
    { "diesel",      0.2668, 10.0,    11.9, 0.0,   14.0 },
    { "gasoline",    0.2496, 8.9,     12.2, 0.0,   15.0 },
    { "coal",        0.3410, 0.0,     6.67, 0.0,   10.0 },
    { "propane",     0.2145, 7.1,     12.9, 0.0,   15.5 },
    { "fuel_oil",    0.2679, 10.7,    11.6, 0.0,   13.0 },
    { "electricity", 0.0,    0.0,     0.0,  0.0,   18.0 },
    { "biomass",     0.0152, 0.0,     4.8,  0.0,   11.0 },
};

enum unit_kind { UNIT_ENERGY, UNIT_LITERS, UNIT_KG, UNIT_M3 };

struct unit_info {
    const char *name;
    enum unit_kind kind;
    double factor; /* to kWh, litres, kg or m3, depending on kind */
};

static const struct unit_info UNITS[] = {
    { "kwh", UNIT_ENERGY, 1.0 },        { "mwh", UNIT_ENERGY, 1000.0 },
    { "therms", UNIT_ENERGY, 29.3071 }, { "mmbtu", UNIT_ENERGY, 293.071 },
    { "liters", UNIT_LITERS, 1.0 },     { "gallons", UNIT_LITERS, 3.785411784 },
    { "kg", UNIT_KG, 1.0 },             { "tonnes", UNIT_KG, 1000.0 },
    { "m3", UNIT_M3, 1.0 },
};

struct country_info {
    const char *name;       /* ISO-like country code */
    double grid_kg_per_kwh; /* electricity factor */
    double spread;          /* relative uncertainty of the country's data */
};

static const struct country_info COUNTRIES[] = {
    { "US", 0.386, 0.05 }, { "UK", 0.207, 0.04 }, { "DE", 0.380, 0.04 },
    { "IN", 0.708, 0.12 }, { "CN", 0.581, 0.10 }, { "FR", 0.056, 0.05 },
};

struct request {
    int id;
    double amount;
    const struct fuel_info *fuel; /* validated lookups into the tables */
    const struct unit_info *unit;
    const struct country_info *country;
};

struct emissions { double energy_kwh, kg_co2e, uncertainty_kg; };

struct strbuf { char *data; size_t len, cap; };

/* A serialized line plus the offset where each field ends, so that
 * emit_row() can write it field by field. */
struct json_line {
    struct strbuf sb;
    size_t field_end[JSON_MAX_FIELDS];
    int nfields;
};

struct result { struct emissions em; int cache_hit; struct json_line line; };

struct cache_entry { /* 96 bytes on LP64 */
    struct cache_entry *next;
    uint64_t hash;
    double kg_co2e;
    char key[CACHE_KEY_SIZE];
};

struct cache {
    pthread_mutex_t lock;
    struct cache_entry *buckets[CACHE_BUCKETS];
    size_t entries, hits;
};

/* Global on purpose: everything it points to is still reachable at exit. */
static struct cache g_cache = { .lock = PTHREAD_MUTEX_INITIALIZER };

struct audit_record { /* 24 bytes on LP64; created and lost per coal request */
    int request_id, seq;
    double kg_co2e;
    char *note;
};

static pthread_mutex_t g_audit_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t g_audit_count, g_audit_note_bytes;

struct job_queue {
    pthread_mutex_t lock;
    size_t next, count, seq_base;
    const struct request *requests;
    struct result *results;
};

static void die(const char *msg) {
    fprintf(stderr, "agent: %s\n", msg);
    exit(1);
}

static void *xmalloc(size_t n) {
    void *p = malloc(n);
    if (!p)
        die("out of memory");
    return p;
}

static const void *find_named(const void *table, size_t count, size_t size,
                              const char *name) {
    for (const char *row = table; count--; row += size)
        if (strcmp(*(const char *const *)row, name) == 0)
            return row;
    return NULL;
}
#define FIND(t, name) find_named(t, COUNT_OF(t), sizeof((t)[0]), name)

/* ---- CSV input ---------------------------------------------------------- */

/* Splits a line at commas. Each field comes back as its own heap copy: this
 * is the tokenizer's planted churn (CSV_FIELDS small malloc/free per line). */
static int split_csv_line(const char *line, char *fields[], int max) {
    int n = 0;
    for (const char *p = line; n < max;) {
        size_t len = strcspn(p, ",\r\n");
        fields[n] = xmalloc(len + 1);
        memcpy(fields[n], p, len);
        fields[n++][len] = '\0';
        if (p[len] != ',')
            break;
        p += len + 1;
    }
    return n;
}

/* Returns 0 and fills *rq for a valid record, -1 (after a warning) if not. */
static int parse_request_line(const char *line, int lineno,
                              struct request *rq) {
    char *f[CSV_FIELDS], *end_id = NULL, *end_amount = NULL;
    int n = split_csv_line(line, f, CSV_FIELDS), ok = 0;
    if (n == CSV_FIELDS) {
        long id = strtol(f[0], &end_id, 10);
        rq->id = (int)id;
        rq->amount = strtod(f[2], &end_amount);
        rq->fuel = FIND(FUELS, f[1]);
        rq->unit = FIND(UNITS, f[3]);
        rq->country = FIND(COUNTRIES, f[4]);
        ok = *f[0] && !*end_id && id > 0 && id < 1000000000 && *f[2] &&
             !*end_amount && rq->amount > 0 && rq->amount <= 1e12 &&
             rq->fuel && rq->unit && rq->country;
    }
    for (int i = 0; i < n; i++)
        free(f[i]);
    if (!ok)
        fprintf(stderr, "agent: line %d: invalid record, skipped\n", lineno);
    return ok ? 0 : -1;
}

/* Reads up to `limit` valid records into an array that grows by doubling. */
static struct request *read_requests(const char *path, size_t limit,
                                     size_t *count, size_t *rejected) {
    FILE *fp = fopen(path, "r");
    if (!fp) {
        fprintf(stderr, "agent: cannot read input '%s': %s\n", path,
                strerror(errno));
        exit(1);
    }
    struct request *reqs = NULL, rq;
    size_t n = 0, cap = 0;
    char line[LINE_SIZE];
    int lineno = 0;
    while (n < limit && fgets(line, sizeof line, fp)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n' || line[0] == '\r' ||
            (lineno == 1 && strncmp(line, "id,", 3) == 0))
            continue; /* comment, blank line or header */
        if (parse_request_line(line, lineno, &rq) != 0) {
            (*rejected)++;
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            if (!(reqs = realloc(reqs, cap * sizeof *reqs)))
                die("out of memory");
        }
        reqs[n++] = rq;
    }
    fclose(fp);
    *count = n;
    return reqs;
}

/* ---- the model ---------------------------------------------------------- */

static double convert_to_kwh(const struct request *rq) {
    double q = rq->amount * rq->unit->factor;
    switch (rq->unit->kind) {
    case UNIT_LITERS: return q * rq->fuel->kwh_per_liter;
    case UNIT_KG:     return q * rq->fuel->kwh_per_kg;
    case UNIT_M3:     return q * rq->fuel->kwh_per_m3;
    default:          return q; /* already energy */
    }
}

/* Newton's method instead of sqrt(), so the program needs no -lm. */
static double sqrt_newton(double v) {
    double r = v > 1.0 ? v : 1.0, next;
    /* From above, Newton decreases monotonically until it reaches the root. */
    while (v > 0.0 && (next = 0.5 * (r + v / r)) < r)
        r = next;
    return v > 0.0 ? r : 0.0;
}

/* THE HOT FUNCTION.  A step-by-step combustion model per request: at each of
 * MODEL_STEPS steps an LCG seeded with the request id picks the combustion
 * regime (a branchy state machine, as real rule-based calculators are), the
 * burnt fraction advances in fixed point, and each step's share is counted
 * as oxidised or lost.  Integer arithmetic keeps results reproducible and
 * independent of which thread runs the request; everything is inline so the
 * cost stays in this one function, even at -O0. */
static PROFILED void compute_emissions(const struct request *rq,
                                       struct emissions *out) {
    const double kwh = convert_to_kwh(rq);
    const double ef = rq->fuel->ef_kg_per_kwh > 0.0
                          ? rq->fuel->ef_kg_per_kwh
                          : rq->country->grid_kg_per_kwh;
    const int64_t full = 1000000;                          /* fixed point 1.0 */
    const int64_t k = 1 + (int64_t)(rq->fuel->burn_rate);  /* base rate/step */
    const int64_t jitter = 1 + (int64_t)(rq->country->spread * 20.0);
    uint64_t s = (uint64_t)rq->id * 0x9E3779B97F4A7C15ULL + 1;
    int64_t x = 1000, oxidised = 0, lost = 0, refuels = 0;

    for (int i = 0; i < MODEL_STEPS; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        int64_t dx;
        switch ((unsigned)(s >> 61)) {        /* combustion regime this step */
        case 0:  dx = k;                break; /* steady */
        case 1:  dx = k + (x >> 12);    break; /* accelerating */
        case 2:  dx = k * 2;            break; /* flare */
        case 3:  dx = (x >> 10) + 1;    break; /* self-sustained */
        case 4:  dx = k > 1 ? k - 1 : 1; break; /* damped */
        case 5:  dx = (k * 3) >> 1;     break; /* gusty */
        case 6:  dx = 1;                break; /* smoulder */
        default: dx = k + jitter;       break; /* turbulent */
        }
        if (x + dx > full) dx = full - x;      /* nothing left to burn */
        x += dx;
        if (s & 0x1f00) oxidised += dx;        /* ~97% of steps oxidise fully */
        else lost += dx;
        if (x >= full) { x = 1000; refuels++; } /* feed the next batch */
    }

    /* fraction of the burnt fuel that was oxidised, and its spread */
    const double burnt = (double)(oxidised + lost);
    const double ratio = burnt > 0.0 ? (double)oxidised / burnt : 1.0;
    out->energy_kwh = kwh;
    out->kg_co2e = kwh * ef * ratio;
    out->uncertainty_kg = out->kg_co2e * rq->country->spread *
                          sqrt_newton((double)lost / (burnt + 1.0)) /
                          (double)(refuels + 1);
}

/* ---- the cache (planted unbounded growth) -------------------------------- */

static uint64_t fnv1a(uint64_t h, const void *data, size_t len) {
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

/* The planted bug: the key includes `seq`, which is unique per request, so
 * lookups never hit and every request adds an entry that is never evicted. */
static void make_cache_key(char *key, const struct request *rq, size_t seq) {
    int n = snprintf(key, CACHE_KEY_SIZE, "%s|%s|%s|%.3f|%zu", rq->fuel->name,
                     rq->unit->name, rq->country->name, rq->amount, seq);
    if (n < 0 || n >= CACHE_KEY_SIZE)
        die("cache key too long");
}

static int cache_lookup(const char *key, double *kg_co2e) {
    uint64_t h = fnv1a(FNV_OFFSET, key, strlen(key));
    int found = 0;
    pthread_mutex_lock(&g_cache.lock);
    struct cache_entry *e = g_cache.buckets[h % CACHE_BUCKETS];
    for (; e && !found; e = e->next)
        if (e->hash == h && strcmp(e->key, key) == 0) {
            *kg_co2e = e->kg_co2e;
            g_cache.hits++;
            found = 1;
        }
    pthread_mutex_unlock(&g_cache.lock);
    return found;
}

static PROFILED void cache_insert(const char *key, double kg_co2e) {
    struct cache_entry *e = xmalloc(sizeof *e);
    e->hash = fnv1a(FNV_OFFSET, key, strlen(key));
    e->kg_co2e = kg_co2e;
    memcpy(e->key, key, CACHE_KEY_SIZE);
    pthread_mutex_lock(&g_cache.lock);
    e->next = g_cache.buckets[e->hash % CACHE_BUCKETS];
    g_cache.buckets[e->hash % CACHE_BUCKETS] = e;
    g_cache.entries++;
    pthread_mutex_unlock(&g_cache.lock);
}

/* ---- the audit trail (planted leak) ------------------------------------- */

/* Stand-in for shipping the record to an audit service: it only reads the
 * record and never takes ownership, and nobody frees it afterwards. */
static PROFILED void audit_submit(const struct audit_record *a) {
    pthread_mutex_lock(&g_audit_lock);
    g_audit_count++;
    g_audit_note_bytes += strlen(a->note);
    pthread_mutex_unlock(&g_audit_lock);
}

/* The planted leak: on return the record is definitely lost, and its note,
 * reachable only through the record, is indirectly lost. */
static PROFILED void record_coal_audit(const struct request *rq, size_t seq,
                                       const struct emissions *em) {
    struct audit_record *a = xmalloc(sizeof *a);
    a->request_id = rq->id;
    a->seq = (int)seq;
    a->kg_co2e = em->kg_co2e;
    a->note = xmalloc(AUDIT_NOTE_SIZE);
    snprintf(a->note, AUDIT_NOTE_SIZE, "coal request %d: %.1f kg CO2e", rq->id,
             em->kg_co2e);
    audit_submit(a);
}

/* ---- JSON encoding (planted serialization cost and churn) ---------------- */

/* Measures with vsnprintf, grows the buffer (from a small 32 bytes, so each
 * line goes through several reallocs), then formats for real. */
static void sb_vappendf(struct strbuf *sb, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        die("formatting failed");
    if (sb->len + (size_t)n + 1 > sb->cap) {
        size_t cap = sb->cap ? sb->cap : 32;
        while (cap < sb->len + (size_t)n + 1)
            cap *= 2;
        if (!(sb->data = realloc(sb->data, cap)))
            die("out of memory");
        sb->cap = cap;
    }
    vsnprintf(sb->data + sb->len, sb->cap - sb->len, fmt, ap);
    sb->len += (size_t)n;
}

__attribute__((format(printf, 2, 3)))
static void sb_appendf(struct strbuf *sb, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sb_vappendf(sb, fmt, ap);
    va_end(ap);
}

/* Returns a new heap string holding `s` as a quoted JSON string. */
static PROFILED char *json_escape_string(const char *s) {
    char *out = xmalloc(strlen(s) * 6 + 3), *o = out; /* worst case \u00XX */
    *o++ = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            o += sprintf(o, "\\%c", *p);
        else if (*p < 0x20)
            o += sprintf(o, "\\u%04x", *p);
        else
            *o++ = (char)*p;
    }
    strcpy(o, "\"");
    return out;
}

/* Appends `"key":value`, preceded by '{' or ',', and records where it ends. */
__attribute__((format(printf, 3, 4)))
static void json_field(struct json_line *line, const char *key,
                       const char *fmt, ...) {
    va_list ap;
    sb_appendf(&line->sb, "%s\"%s\":", line->nfields ? "," : "{", key);
    va_start(ap, fmt);
    sb_vappendf(&line->sb, fmt, ap);
    va_end(ap);
    if (line->nfields < JSON_MAX_FIELDS)
        line->field_end[line->nfields++] = line->sb.len;
}

static void json_string_field(struct json_line *line, const char *key,
                              const char *value) {
    char *escaped = json_escape_string(value); /* churn: freed right away */
    json_field(line, key, "%s", escaped);
    free(escaped);
}

static PROFILED void serialize_result(const struct request *rq, size_t seq,
                                      struct result *res) {
    struct json_line *line = &res->line;
    json_field(line, "id", "%d", rq->id);
    json_field(line, "seq", "%zu", seq);
    json_string_field(line, "fuel_type", rq->fuel->name);
    json_field(line, "amount", "%.3f", rq->amount);
    json_string_field(line, "unit", rq->unit->name);
    json_string_field(line, "country", rq->country->name);
    json_field(line, "energy_kwh", "%.3f", res->em.energy_kwh);
    json_field(line, "kg_co2e", "%.3f", res->em.kg_co2e);
    json_field(line, "uncertainty_kg", "%.3f", res->em.uncertainty_kg);
    json_string_field(line, "cache", res->cache_hit ? "hit" : "miss");
    sb_appendf(&line->sb, "}\n");
}

/* ---- request processing and workers ------------------------------------- */

static void process_request(const struct request *rq, size_t seq,
                            struct result *res) {
    char key[CACHE_KEY_SIZE] = { 0 }; /* zeroed: cache_insert copies it whole */
    double cached;
    make_cache_key(key, rq, seq);
    if (cache_lookup(key, &cached)) { /* never taken: see make_cache_key() */
        res->cache_hit = 1;
        res->em.energy_kwh = convert_to_kwh(rq);
        res->em.kg_co2e = cached;
    } else {
        compute_emissions(rq, &res->em);
        cache_insert(key, res->em.kg_co2e);
    }
    if (strcmp(rq->fuel->name, "coal") == 0)
        record_coal_audit(rq, seq, &res->em);
    serialize_result(rq, seq, res);
}

static void *worker_main(void *arg) {
    struct job_queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->lock); /* one lock round-trip per request */
        size_t i = q->next;
        if (i < q->count)
            q->next++;
        pthread_mutex_unlock(&q->lock);
        if (i >= q->count)
            return NULL;
        process_request(&q->requests[i], q->seq_base + i, &q->results[i]);
    }
}

static void run_workers(struct job_queue *q, int nthreads) {
    pthread_t tids[MAX_THREADS];
    for (int t = 0; t < nthreads; t++)
        if (pthread_create(&tids[t], NULL, worker_main, q) != 0)
            die("cannot create worker thread");
    for (int t = 0; t < nthreads; t++)
        pthread_join(tids[t], NULL);
}

/* ---- output (planted small writes) -------------------------------------- */

/* One write(2) per call; a regular file only writes short on error. */
static int write_all(int fd, const char *p, size_t len) {
    return write(fd, p, len) == (ssize_t)len ? 0 : -1;
}

/* Writes one JSON line with one write(2) per field plus one for the closing
 * "}\n": the unbuffered-logger pattern an I/O profile should flag. */
static PROFILED int emit_row(int fd, const struct json_line *line) {
    size_t start = 0;
    for (int f = 0; f < line->nfields; start = line->field_end[f++])
        if (write_all(fd, line->sb.data + start, line->field_end[f] - start))
            return -1;
    return write_all(fd, line->sb.data + start, line->sb.len - start);
}

/* ---- command line -------------------------------------------------------- */

struct options {
    const char *input, *output;
    long threads, iterations, requests;
};

static void usage(FILE *to) {
    fprintf(to, "usage: agent [--input PATH] [--output PATH] [--threads N]\n"
                "             [--iterations N] [--requests N] [--help]\n"
                "  --input PATH    CSV id,fuel_type,amount,unit,country"
                " (default: requests.csv)\n"
                "  --output PATH   JSON-lines output"
                " (default: agent-output.jsonl)\n"
                "  --threads N     worker threads, 1..%d (default: 1)\n"
                "  --iterations N  process all requests N times (default: 1)\n"
                "  --requests N    use only the first N valid records\n",
            MAX_THREADS);
}

static void bad_usage(const char *what, const char *arg) {
    fprintf(stderr, "agent: %s '%s'\n", what, arg);
    usage(stderr);
    exit(2);
}

static long parse_count(const char *opt, const char *s, long max) {
    char *end;
    if (!s)
        bad_usage("missing value for", opt);
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 1 || v > max) {
        fprintf(stderr, "agent: %s needs an integer in 1..%ld, got '%s'\n",
                opt, max, s);
        exit(2);
    }
    return v;
}

static void parse_options(int argc, char **argv, struct options *o) {
    for (int i = 1; i < argc; i += 2) { /* every option takes one value */
        const char *a = argv[i], *v = argv[i + 1]; /* argv[argc] is NULL */
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(0);
        } else if (strcmp(a, "--input") == 0) {
            o->input = v;
        } else if (strcmp(a, "--output") == 0) {
            o->output = v;
        } else if (strcmp(a, "--threads") == 0) {
            o->threads = parse_count(a, v, MAX_THREADS);
        } else if (strcmp(a, "--iterations") == 0) {
            o->iterations = parse_count(a, v, 1000000);
        } else if (strcmp(a, "--requests") == 0) {
            o->requests = parse_count(a, v, 100000000);
        } else {
            bad_usage("unknown option", a);
        }
        if (!v)
            bad_usage("missing value for", a);
    }
}

int main(int argc, char **argv) {
    struct options opt = { "requests.csv", "agent-output.jsonl", 1, 1, 0 };
    parse_options(argc, argv, &opt);

    size_t n, rejected = 0;
    size_t limit = opt.requests ? (size_t)opt.requests : (size_t)-1;
    struct request *reqs = read_requests(opt.input, limit, &n, &rejected);
    if (n == 0)
        die("no valid records in input");
    int fd = open(opt.output, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        fprintf(stderr, "agent: cannot write output '%s': %s\n", opt.output,
                strerror(errno));
        return 1;
    }

    uint64_t checksum = FNV_OFFSET;
    double total_kg = 0.0;
    for (long it = 0; it < opt.iterations; it++) {
        struct result *results = calloc(n, sizeof *results);
        if (!results)
            die("out of memory");
        struct job_queue q = { .lock = PTHREAD_MUTEX_INITIALIZER, .count = n,
                               .seq_base = (size_t)it * n, .requests = reqs,
                               .results = results };
        run_workers(&q, (int)opt.threads);
        pthread_mutex_destroy(&q.lock);

        /* Written after the join, in request order, so that neither the
         * output nor the checksum depends on the number of threads. */
        for (size_t i = 0; i < n; i++) {
            const struct json_line *line = &results[i].line;
            if (emit_row(fd, line) != 0)
                die("write to output failed");
            checksum = fnv1a(checksum, line->sb.data, line->sb.len);
            total_kg += results[i].em.kg_co2e;
            free(line->sb.data);
        }
        free(results);
    }
    if (close(fd) != 0)
        die("closing output failed");
    free(reqs);

    printf("agent: %zu requests x %ld iteration(s), %zu rejected, "
           "%zu coal audits, cache %zu entries / %zu hits, "
           "total %.3f kg CO2e, checksum %016llx\n",
           n, opt.iterations, rejected, g_audit_count, g_cache.entries,
           g_cache.hits, total_kg, (unsigned long long)checksum);
    return 0;
}
