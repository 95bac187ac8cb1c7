// cflags: -O1 -g
/* leak_redzone.c -- a block whose only pointer left is a stale copy in a
   dead stack frame, 8 to 128 bytes below the stack pointer (inside the
   amd64 red zone) when the process dies.  Memcheck reports it definitely
   lost: the red zone below SP is undefined after every call and return, so
   its leak scan skips it.  With "segv" the process dies of SIGSEGV right
   in main, so main's SP is where the leak check looks from; with "exit"
   it ends by exit_group from main (the syscall wrapper's frame is below
   main's, so the dead frame is further below SP than the red zone). */
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>

__attribute__((noinline)) void leave_stale_pointer(void)
{
   void* volatile frame[64];
   void* p = malloc(32);
   for (int i = 0; i < 64; i++) frame[i] = p;   /* copies in this frame */
}

int main(int argc, char** argv)
{
   leave_stale_pointer();      /* its frame is dead once it returns */
   if (argc > 1 && argv[1][0] == 's') *(volatile int*)0 = 1;   /* SIGSEGV */
   syscall(SYS_exit_group, 0);
   return 0;
}
