/* gp_instrument.h -- the VEX IR pass (gp_instrument.c). */

#ifndef GP_INSTRUMENT_H
#define GP_INSTRUMENT_H

#include "gp_tool.h"

IRSB* gp_instrument(VgCallbackClosure* closure, IRSB* sbIn,
                    const VexGuestLayout* layout,
                    const VexGuestExtents* vge,
                    const VexArchInfo* archinfo_host,
                    IRType gWordTy, IRType hWordTy);

#endif
