/* gp_determinism.h -- sources of run-to-run differences: clock reads,
   random sources, and threads whose interleaving can change the counts. */

#ifndef GP_DETERMINISM_H
#define GP_DETERMINISM_H

#include "gp_io.h"

void gp_det_init(void);
/* One call of a clock or random source named 'source' (a static string)
   by thread tid, which is inside the call now. */
void gp_det_note(ThreadId tid, GpDetKind kind, const HChar* source);
void gp_det_zero(void);

/* Analysis: the warnings, once threads and locks are analysed. */
void gp_det_analyse(GpIoProfile* io);
void gp_det_free(GpIoProfile* io);

#endif
