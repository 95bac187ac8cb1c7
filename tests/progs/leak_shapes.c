// cflags: -O1 -g -pthread
/* leak_shapes.c -- heap shapes whose leak classification glprof must get
   exactly as Memcheck does (tests/test_heap.py runs both on each shape).

   usage: leak_shapes SHAPE   where SHAPE is one of
     tree      A(B(D,E),C(F,G)) hung from a global; D and C are cut off
               (memcheck/tests/leak-tree.c): D definitely lost, C lost
               with F and G indirectly lost, the rest reachable
     cycle     rings and a pair of mutually linked rings, all lost
     interior  blocks known only through interior pointers (possibly
               lost), and a lost block whose only pointer is interior to
               another lost block
     indirect  a lost list (head definitely lost, the rest indirectly), and
               a list whose middle is still referenced (head lost, the
               rest reachable)
     global    blocks referenced from a global, a static and a TLS variable
     stack     blocks referenced only from a live stack frame; plus stale
               pointers in dead frames below SP that must not count
     register  a block referenced only from another thread's register
     thread    pointers left in the stack of a thread that has exited
               (lost) and in its thread-local storage (reachable)
     deep      pointers left in dead frames of a deep recursion (4 MiB of
               main stack that grew and was given up: lost)
     mixed     all of the above at once
*/
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct node { struct node* l; struct node* r; long pad[2]; };

struct node* g_root;          /* not static: the stores must stay */
void* g_keep[16];
__thread void* t_keep;
static void* volatile g_sink;

static struct node* mk(struct node* l, struct node* r)
{
   struct node* n = malloc(sizeof *n);
   memset(n, 0, sizeof *n);
   n->l = l;
   n->r = r;
   return n;
}

static void shape_tree(void)
{
   struct node *d = mk(0, 0), *e = mk(0, 0), *f = mk(0, 0), *g = mk(0, 0);
   struct node *b = mk(d, e), *c = mk(f, g);
   g_root = mk(b, c);
   b->l = NULL;          /* D definitely lost */
   g_root->r = NULL;     /* C definitely lost, F and G indirectly */
}

static void ring(int n)
{
   struct node* first = mk(0, 0);
   struct node* p = first;
   int i;
   for (i = 1; i < n; i++) { p->l = mk(0, 0); p = p->l; }
   p->l = first;
}

static void shape_cycle(void)
{
   struct node *a, *b;
   ring(3);
   ring(5);
   /* two rings pointing at each other: one clique after merging */
   a = mk(0, 0); a->l = mk(a, 0);
   b = mk(0, 0); b->l = mk(b, 0);
   a->r = b;
   b->r = a;
}

static void shape_interior(void)
{
   char* p = malloc(100);
   char* q = malloc(64);
   struct node* lost = mk(0, 0);
   g_keep[0] = p + 10;            /* interior pointer from a root */
   g_keep[1] = q + 63;            /* last byte */
   lost->l = (struct node*)((char*)mk(0, 0) + 8);   /* interior, from a lost block */
   (void)lost;
}

static void shape_indirect(void)
{
   struct node* head = mk(0, 0);
   struct node* p = head;
   int i;
   for (i = 0; i < 6; i++) { p->l = mk(0, 0); p = p->l; }
   head = mk(0, 0);
   p = head;
   for (i = 0; i < 6; i++) {
      p->l = mk(0, 0);
      p = p->l;
      if (i == 2) g_keep[4] = p;       /* the middle stays referenced */
   }
}

static void shape_global(void)
{
   /* volatile: the compiler would drop a store nobody reads, leaving the
      block's fate to whatever stale copy of the pointer survives */
   static void* volatile s_keep;
   g_keep[2] = malloc(40);
   s_keep = malloc(41);
   t_keep = malloc(42);
   g_sink = s_keep;
   g_keep[3] = calloc(3, 7);
}

/* Leaves pointers to fresh blocks in its frame, then returns: the frame
   is dead stack below SP when the leak check runs. */
static __attribute__((noinline)) void stale_frame(void)
{
   void* volatile a = malloc(24);
   void* volatile b = malloc(25);
   (void)a; (void)b;
}

/* Calls stale_frame 64 KiB deeper than anything that runs later, so its
   dead frame is not overwritten before exit. */
static __attribute__((noinline)) void deep_stale(void)
{
   volatile char pad[65536];
   pad[0] = 1;
   stale_frame();
   pad[1] = pad[0];
}

static __attribute__((noinline)) void live_frame_then_exit(void)
{
   void* volatile here = malloc(77);        /* only this frame knows it */
   (void)here;
   fflush(stdout);
   exit(0);
}

static void* spin_with_register(void* arg)
{
   /* The block's only pointer lives in a register of this thread when
      the main thread exits. */
   void* p = malloc(55);
   __asm__ volatile("" : "+r"(p));
   for (;;) __asm__ volatile("" : "+r"(p));
   return NULL;
}

static __thread void* t_thread_keep;

static void* exiting_thread(void* arg)
{
   void* volatile mine = malloc(66);        /* only this dead frame knows it */
   t_thread_keep = malloc(67);              /* TLS: stays reachable? */
   (void)mine;
   return NULL;
}

static void shape_thread(void)
{
   pthread_t t;
   pthread_create(&t, NULL, exiting_thread, NULL);
   pthread_join(t, NULL);
}

static __attribute__((noinline)) long deep(int n)
{
   void* volatile frame[24];
   long r;
   frame[0] = malloc(20);                   /* only this frame knows it */
   frame[23] = frame[0];
   r = n ? deep(n - 1) : 0;
   return r + (frame[23] != 0);
}

/* Zeroes the 64 KiB of stack just below the caller: the frames that run
   after shape_deep (exit's among them) reuse that memory, and a stale
   pointer left there by the recursion would be a live root or not
   depending on how each frame lays out its slots (which differs between
   Memcheck's and glprof's malloc wrappers).  The deeper dead frames stay
   below SP, lost as intended. */
static __attribute__((noinline)) void scrub_stack(void)
{
   volatile char pad[65536];
   memset((char*)pad, 0, sizeof pad);
   pad[0] = pad[1];
}

static void shape_deep(void)
{
   g_sink = (void*)deep(20000);
   scrub_stack();
}

static void shape_register(void)
{
   pthread_t t;
   pthread_create(&t, NULL, spin_with_register, NULL);
   usleep(200000);
}

int main(int argc, char** argv)
{
   const char* s = argc > 1 ? argv[1] : "mixed";
   int all = strcmp(s, "mixed") == 0;
   if (all || !strcmp(s, "tree")) shape_tree();
   if (all || !strcmp(s, "cycle")) shape_cycle();
   if (all || !strcmp(s, "interior")) shape_interior();
   if (all || !strcmp(s, "indirect")) shape_indirect();
   if (all || !strcmp(s, "global")) shape_global();
   if (all || !strcmp(s, "register")) shape_register();
   if (all || !strcmp(s, "thread")) shape_thread();
   if (all || !strcmp(s, "deep")) shape_deep();
   if (all || !strcmp(s, "stack")) {
      deep_stale();
      live_frame_then_exit();
   }
   return 0;
}
