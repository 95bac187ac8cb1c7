/* gp_heap_preload.c -- the heap's part of glprof's preload: a wrapper of
   exit() that tells the tool, just before the real exit() runs, that the
   calling thread's stack below its stack pointer is dead.

   Why: the leak check at exit scans the exiting thread's stack from its
   stack pointer up.  The frames exit() and the atexit handlers push are
   laid over stack that earlier calls used; their slots that are never
   written still hold whatever was there, often pointers to blocks the
   program has lost.  Memcheck knows those slots are undefined (it marks
   every new stack frame so) and ignores them; glprof has no shadow memory,
   so the tool zeroes the dead stack at this point instead: from then on,
   the frames below hold only what the exit path writes, as Memcheck sees
   them.

   The wrapper's own frame lies over old stack too, so every word of it
   must be written: on amd64 it is written in assembly (seven words, all
   stored before the request); elsewhere in C, where the compiler may leave
   a padding word unwritten.  (Code of the preload runs on the simulated
   CPU; no libc calls.) */

#include "pub_tool_basics.h"
#include "pub_tool_redir.h"
#include "valgrind.h"
#include "gp_heap_req.h"

#define GP_LIBC libcZdsoZa          /* libc.so* */
#define GP_STR_(x) #x
#define GP_STR(x) GP_STR_(x)
#define GP_EXIT_WRAPPER I_WRAP_SONAME_FNNAME_ZU(GP_LIBC, exit)

#if defined(VGP_amd64_linux)

/* The Valgrind "special instruction" preamble (valgrind.h): four rotations
   of %rdi by 128 bits in all, which leave it unchanged. */
#define GP_PREAMBLE "rolq $3, %rdi\n\trolq $13, %rdi\n\trolq $61, %rdi\n\trolq $51, %rdi\n\t"

/* The request's number, spelled out for the assembler (checked here). */
#define GP_EXITING_NUM 0x47501800
typedef char gp_exiting_num_check[(_VG_USERREQ__GLPROF_HEAP_EXITING == GP_EXITING_NUM) ? 1 : -1];

void GP_EXIT_WRAPPER(int status);
__asm__(
   ".text\n"
   ".globl " GP_STR(GP_EXIT_WRAPPER) "\n"
   ".type " GP_STR(GP_EXIT_WRAPPER) ", @function\n"
   GP_STR(GP_EXIT_WRAPPER) ":\n\t"
   /* entry: %rsp = 8 mod 16; 56 bytes make it 16-aligned for the call */
   "subq $56, %rsp\n\t"
   /* the request block: (request, 5 args), then status: every word */
   "movq $" GP_STR(GP_EXITING_NUM) ", 0(%rsp)\n\t"
   "movq $0, 8(%rsp)\n\t"
   "movq $0, 16(%rsp)\n\t"
   "movq $0, 24(%rsp)\n\t"
   "movq $0, 32(%rsp)\n\t"
   "movq $0, 40(%rsp)\n\t"
   "movq %rdi, 48(%rsp)\n\t"
   /* VALGRIND_DO_CLIENT_REQUEST: %rax = the block, %rdx = default */
   "movq %rsp, %rax\n\t"
   "xorl %edx, %edx\n\t"
   GP_PREAMBLE "xchgq %rbx, %rbx\n\t"
   /* VALGRIND_GET_NR_CONTEXT: %rax = the original exit() */
   GP_PREAMBLE "xchgq %rcx, %rcx\n\t"
   "movq 48(%rsp), %rdi\n\t"
   /* VALGRIND_CALL_NOREDIR_RAX: call it, not the wrapper again */
   GP_PREAMBLE "xchgq %rdx, %rdx\n\t"
   "1: hlt\n\t"
   "jmp 1b\n\t"
   ".size " GP_STR(GP_EXIT_WRAPPER) ", .-" GP_STR(GP_EXIT_WRAPPER) "\n"
);

#else

/* The request is made from a function of its own, so that the wrapper is
   not a leaf function for the compiler: its locals then live above its
   stack pointer, and the tool may zero everything below the helper's. */
static void __attribute__((noinline)) gp_heap_exiting(void)
{
   VALGRIND_DO_CLIENT_REQUEST_STMT(_VG_USERREQ__GLPROF_HEAP_EXITING, 0, 0, 0, 0, 0);
}

void GP_EXIT_WRAPPER(int status);
void GP_EXIT_WRAPPER(int status)
{
   OrigFn orig;
   VALGRIND_GET_ORIG_FN(orig);
   gp_heap_exiting();
   CALL_FN_v_W(orig, status);
   for (;;) ;                          /* exit() does not return */
}

#endif
