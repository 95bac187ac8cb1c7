/* gp_predict.h -- direct exits for indirect jumps whose target can be
   guessed: returns, calls through pointers, PLT stubs.

   Under Valgrind every indirect jump leaves the translated code for the
   dispatcher, which looks the target up in its fast cache and jumps there
   through one shared indirect branch that the host CPU predicts badly.  A
   direct exit is chained: once both translations exist it is a plain jump
   from one to the other.  Call-dense programs make tens of millions of
   such jumps (sqlite3 in the benchmark: 16 M returns, 35 M indirect jumps
   in all).

   So a superblock ending in an indirect jump gets, just before its end, a
   test "target == T" with a direct exit to T, where T is where the jump
   goes the first time it runs (worked out when the superblock is
   translated, which happens just before it first runs; gp_predict.c).  A
   function called from one place returns through the direct exit every
   time, and a PLT stub or a call through a constant pointer always jumps
   there; otherwise the test fails and the jump goes to the dispatcher as
   before.  The exit is only taken when the target is T, so what the guest
   does is the same whatever the guess: it is a speed matter only, and no
   instruction count or call-stack decision depends on it. */

#ifndef GP_PREDICT_H
#define GP_PREDICT_H

#include "gp_tool.h"

/* If sbIn (statements from 'first' on) ends in an indirect return, call
   or jump whose target can be worked out now, adds the test and direct
   exit at the end of sbOut, which must hold all of sbOut's other
   statements. */
void gp_predict_exit(IRSB* sbOut, const IRSB* sbIn, Int first,
                     const VgCallbackClosure* closure,
                     const VexGuestLayout* layout, IRType gwty);

/* --stats=yes */
void gp_predict_print_stats(void);

#endif
