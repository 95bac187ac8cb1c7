/* gp_profile_read.h -- reads a glprof JSON profile (docs/json-format.md,
   version 1) into plain C structures, validating it on the way in.

   The JSON is parsed by jansson; this file then checks every field the host
   programs use: its type, that counts are unsigned 64-bit integers (jansson
   keeps integers as long long, so values above 2^63-1 are refused with a
   clear message rather than wrapped), and that every index (function,
   frame, call-path parent) points inside its table.  After gpr_load*
   succeeds, consumers may use every index without checking it again.

   Sections a profile may lack (--cpu=no, --heap=no, --io=no, or sections a
   newer tool writes that an older one did not) are marked absent, never an
   error.  Unknown fields are ignored, as the format document requires. */

#ifndef GP_PROFILE_READ_H
#define GP_PROFILE_READ_H

#include <stddef.h>
#include <stdint.h>

#include "gp_host.h"

#define GPR_FORMAT_VERSION 1
#define GPR_NONE ((size_t)-1) /* an absent index (JSON null) */

typedef struct {
   const char* file;
   u64 line;
   u64 ir;
} GprLine;

typedef struct {
   const char* name;
   const char* file;   /* NULL without debug info */
   u64 line;
   const char* object; /* "???" when unknown */
   u64 self_ir, incl_ir, calls;
   GprLine* lines;     /* by ir descending, as written */
   size_t n_lines;
   int has_lines;      /* the profile had "lines" for it (--lines=yes) */
} GprFn;

typedef struct {
   size_t caller, callee;
   u64 calls, incl_ir;
} GprCall;

typedef struct {
   size_t parent;      /* GPR_NONE for a root; always < its own index */
   size_t fn;
   u64 calls, self_ir, incl_ir;
} GprPath;

typedef struct {
   size_t fn;          /* GPR_NONE when null */
   const char* name;
   const char* file;   /* may be NULL */
   u64 line;
   const char* object; /* may be NULL */
} GprFrame;

typedef struct {
   size_t* frames;     /* innermost first */
   size_t n;
} GprStack;

typedef struct {
   GprStack stack;
   u64 allocs, bytes, frees, max_live_bytes, bytes_at_peak, blocks_at_peak;
   u64 live_blocks, live_bytes, avg_lifetime, short_lived;
   int has_growth;
   u64 growth_bytes_per_step, growth_steps, growth_r2;
   const char* growth_step;
} GprSite;

typedef struct {
   int present;
   u64 total_allocs, total_frees, total_bytes;
   u64 peak_bytes, peak_blocks, peak_at;
   u64 live_bytes, live_blocks;
   u64 invalid_frees, mismatched_frees;
   GprSite* sites;
   size_t n_sites;
} GprHeap;

typedef struct {
   u64 bytes, blocks;
} GprBytesBlocks;

typedef struct {
   const char* kind;   /* definite, indirect, possible, reachable */
   u64 bytes, blocks, direct_bytes, indirect_bytes;
   int has_direct_bytes;
   GprStack stack;
} GprLeakRecord;

typedef struct {
   int present;
   GprBytesBlocks definite, indirect, possible, reachable, suppressed;
   GprLeakRecord* records;
   size_t n_records;
} GprLeaks;

typedef struct {
   const char* path;
   u64 read_ops, read_bytes, write_ops, write_bytes, failed_ops, opens;
} GprIoFile;

typedef struct {
   size_t fn;          /* GPR_NONE when null */
   const char* file;
   u64 line;
   u64 read_ops, read_bytes, write_ops, write_bytes;
} GprIoSite;

typedef struct {
   int present;
   u64 read_ops, read_bytes, write_ops, write_bytes, failed_ops;
   double time_ms;     /* not deterministic: shown, never compared */
   GprIoFile* files;
   size_t n_files;
   GprIoSite* sites;
   size_t n_sites;
} GprIo;

typedef struct {
   const char* kind;
   u64 acquisitions, contended, condvar_waits;
   size_t site;        /* frame index or GPR_NONE */
} GprLock;

typedef struct {
   const char* kind;
   u64 calls;
   const char* message;
   size_t* sites;
   size_t n_sites;
} GprDetWarning;

typedef struct {
   const char *kind, *severity, *message, *location, *evidence, *recommendation;
} GprFinding;

typedef struct {
   u64 index, tid, instructions;
   i64 os_tid;
   size_t parent;      /* position in threads[] or GPR_NONE */
   size_t created_by;  /* function index or GPR_NONE */
   u64 started_at;
   int has_ended;
   u64 ended_at;
   u64 max_stack_depth;
} GprThread;

typedef struct {
   const char* path;          /* the file name, for messages */
   void* json;                /* the jansson document; owns every string */

   u64 version;
   const char* tool_version;
   const char* valgrind_version;
   const char* command;
   const char* label;         /* NULL for the final profile */
   int final;

   const char* exit_state;    /* exited, signal, running; NULL if absent */
   int has_exit_status;
   i64 exit_status;
   int has_exit_signal;
   u64 exit_signal;
   const char* exit_signal_name;

   int has_options;
   int opt_cpu, opt_heap, opt_io, opt_lines; /* -1: not stated */
   void* options_json;        /* the "options" object, for comparisons */

   u64 total_instructions, total_calls, total_functions, total_threads;
   u64 total_call_paths, max_stack_depth, recursion_folds, path_cap_folds;

   GprThread* threads;
   size_t n_threads;
   int has_functions;         /* "functions" present (--cpu=yes) */
   GprFn* fns;
   size_t n_fns;
   GprCall* calls;
   size_t n_calls;
   int has_paths;
   GprPath* paths;
   size_t n_paths;
   GprFrame* frames;
   size_t n_frames;
   GprHeap heap;
   GprLeaks leaks;
   GprIo io;
   int has_locks;
   GprLock* locks;
   size_t n_locks;
   int has_determinism;
   GprDetWarning* det_warnings;
   size_t n_det_warnings;
   int has_findings;
   GprFinding* findings;
   size_t n_findings;
} GprProfile;

/* Reads the profile in file 'path' ("-" is standard input).  Returns 0, or
   -1 with a message "<path>: <problem>" in err (one line, printable).
   On failure *p holds nothing to free. */
int gpr_load_file(const char* path, GprProfile* p, char* err, size_t errlen);

/* The same from memory; 'name' is used in messages. */
int gpr_load_buffer(const char* name, const char* data, size_t len,
                    GprProfile* p, char* err, size_t errlen);

void gpr_free(GprProfile* p);

/* The function name a frame shows (its function's name when it has one). */
const char* gpr_frame_name(const GprProfile* p, const GprFrame* f);

#endif
