/* scan1g.c -- a 1 GiB heap for the leak check at exit: binary trees of
   256-byte nodes (4 Mi nodes), every other tree unreachable at exit
   (definitely and indirectly lost), the rest reachable from a global
   table; the nodes also carry non-pointer data.
   usage: scan1g [MiB] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node { struct node* l; struct node* r; long data[30]; };

struct node* roots[1024];

static struct node* tree(int depth, long seed)
{
   struct node* n = malloc(sizeof *n);
   int i;
   for (i = 0; i < 30; i++) n->data[i] = seed * 31 + i;
   n->l = depth ? tree(depth - 1, seed * 2) : NULL;
   n->r = depth ? tree(depth - 1, seed * 2 + 1) : NULL;
   return n;
}

int main(int argc, char** argv)
{
   long mib = argc > 1 ? atol(argv[1]) : 1024;
   long nodes = mib * 1024 * 1024 / (long)sizeof(struct node);
   int depth = 12;                          /* 8191 nodes per tree */
   long per_tree = (1L << (depth + 1)) - 1;
   int trees = (int)(nodes / per_tree), i;
   if (trees > 1024) trees = 1024;
   for (i = 0; i < trees; i++) {
      struct node* t = tree(depth, i);
      if (i % 2 == 0) roots[i] = t;         /* the odd ones are lost */
   }
   printf("%d trees of %ld nodes (%ld MiB)\n", trees, per_tree,
          trees * per_tree * (long)sizeof(struct node) >> 20);
   return 0;
}
