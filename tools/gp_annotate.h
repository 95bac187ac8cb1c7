/* gp_annotate.h -- what glprof_annotate prints: the text report re-rendered
   from a saved profile (other --top, --sort and sections than the run
   used), and source files annotated with self instructions per line. */

#ifndef GP_ANNOTATE_H
#define GP_ANNOTATE_H

#include "gp_host.h"
#include "gp_profile_read.h"

enum {
   GPA_CPU = 1, GPA_HEAP = 2, GPA_LEAKS = 4, GPA_IO = 8, GPA_THREADS = 16, GPA_FINDINGS = 32,
   GPA_ALL = 63
};

enum { GPA_SORT_DEFAULT, GPA_SORT_SELF, GPA_SORT_INCL, GPA_SORT_CALLS };

typedef struct {
   const char* from;
   const char* to;
} GpaPathMap;

typedef struct {
   unsigned sections;          /* GPA_* bits */
   size_t top;                 /* rows per table */
   int sort;                   /* GPA_SORT_* */
   const char** functions;     /* --function NAMEs to annotate */
   size_t n_functions;
   size_t top_functions;       /* --top-functions N */
   size_t context;             /* source lines shown around each costed line */
   const char** source_dirs;   /* --source-dir */
   size_t n_source_dirs;
   GpaPathMap* maps;           /* --path-map FROM=TO */
   size_t n_maps;
   int read_sources;           /* 0: never open source files (fuzzing) */
} GpaOptions;

/* Parses "cpu,heap,..." ("all", "none" too) into GPA_* bits; -1 if a name
   is unknown. */
int gpa_parse_sections(const char* s);
const char* gpa_section_names(void);

/* The report, with the sections asked for that the profile has. */
void gpa_report(const GprProfile* p, const GpaOptions* o, FILE* f);

/* Annotated source for --function and --top-functions.  Returns 0, or -1
   with a message in err when a named function is not in the profile. */
int gpa_annotate(const GprProfile* p, const GpaOptions* o, FILE* f, char* err, size_t errlen);

#endif
