#!/usr/bin/env python3
"""gen_functions.py -- generates hostile programs for glprof's tests and
bench/stress (never committed: generated into a scratch directory).

    gen_functions.py many  DIR N [PER_FILE]   N distinct C functions
    gen_functions.py chain DIR N [PER_FILE]   N distinct C functions, each
                                              calling the next: a call
                                              chain N frames deep
    gen_functions.py names DIR K              K C++ functions whose names
                                              are several KB long

"many": fn_<i> (i < N), each called exactly once per run of the program
from group_<g>, main calling every group; fn_<i> executes a loop of
(i % 7) + 1 iterations so self costs differ.  Sources are split in files
of PER_FILE functions (default 5000) so a million functions compile in
parallel; DIR/build.sh compiles them (gcc -O0 -g: a million functions compile in minutes).

"chain": chain_<i>(x) returns chain_<i+1>(x + 1) + 1, the last returns x;
main calls chain_0 once (every call path is new, N frames deep).  Built the
same way (DIR/build.sh, program DIR/many_fns).

"names": deep_name<T>() for K nested template types T; type k is a chain
of 40 * (k + 1) template arguments, so demangled names run from about 1 KB
to tens of KB.  DIR/names.cpp, built with g++ -O1 -g.
"""

import os
import sys


def gen_many(out, n, per_file, chain=False):
    os.makedirs(out, exist_ok=True)
    nfiles = (n + per_file - 1) // per_file
    srcs = []
    for f in range(nfiles):
        lo, hi = f * per_file, min(n, (f + 1) * per_file)
        path = os.path.join(out, "fns_%04d.c" % f)
        with open(path, "w") as s:
            if chain:
                if hi < n:
                    s.write("long chain_%d(long x);\n" % hi)
                for i in range(lo, hi):
                    s.write("long chain_%d(long x);\n" % i)
                for i in range(lo, hi):
                    call = "chain_%d(x + 1) + 1" % (i + 1) if i + 1 < n else "x"
                    s.write("__attribute__((noinline)) long chain_%d(long x)\n{\n"
                            "   return %s;\n}\n" % (i, call))
            else:
                for i in range(lo, hi):
                    s.write("__attribute__((noinline)) long fn_%d(long x)\n{\n"
                            "   for (int k = 0; k < %d; k++) x = x * 31 + %d;\n"
                            "   return x;\n}\n" % (i, i % 7 + 1, i))
                s.write("long group_%d(long x)\n{\n" % f)
                for i in range(lo, hi):
                    s.write("   x ^= fn_%d(x);\n" % i)
                s.write("   return x;\n}\n")
        srcs.append(os.path.basename(path))
    with open(os.path.join(out, "main.c"), "w") as s:
        if chain:
            s.write("long chain_0(long x);\n#include <stdio.h>\nint main(void)\n{\n"
                    "   long x = chain_0(0);\n")
        else:
            for f in range(nfiles):
                s.write("long group_%d(long x);\n" % f)
            s.write("#include <stdio.h>\nint main(void)\n{\n   long x = 1;\n")
            for f in range(nfiles):
                s.write("   x = group_%d(x);\n" % f)
        s.write('   printf("%ld\\n", x);\n   return 0;\n}\n')
    srcs.append("main.c")
    with open(os.path.join(out, "build.sh"), "w") as s:
        s.write("#!/bin/sh\n# compiles the generated program (parallel: -P <jobs>)\nset -e\n"
                "cd \"$(dirname \"$0\")\"\n")
        s.write("printf '%%s\\n' %s | xargs -P \"${JOBS:-2}\" -n 1 gcc -O0 -g -c\n"
                % " ".join(srcs))
        s.write("gcc -o many_fns %s\n" % " ".join(x[:-2] + ".o" for x in srcs))
    os.chmod(os.path.join(out, "build.sh"), 0o755)


def gen_names(out, k):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "names.cpp"), "w") as s:
        s.write("#include <cstdio>\n"
                "template<int N> struct Tag {};\n"
                "template<typename A, typename B> struct Pair {};\n"
                "template<typename T> __attribute__((noinline)) long deep_name(long x)\n"
                "{\n   for (int i = 0; i < 10; i++) x = x * 7 + (long)sizeof(T);\n"
                "   return x;\n}\n")
        for t in range(k):
            links = 40 * (t + 1)
            ty = "Tag<%d>" % (t * 100000)
            for j in range(links):
                ty = "Pair<Tag<%d>, %s >" % (t * 100000 + j + 1, ty)
            s.write("typedef %s type_%d;\n" % (ty, t))
        s.write("int main()\n{\n   long x = 1;\n")
        for t in range(k):
            s.write("   x = deep_name<type_%d>(x);\n" % t)
        s.write('   std::printf("%ld\\n", x);\n   return 0;\n}\n')


def main():
    if len(sys.argv) >= 4 and sys.argv[1] in ("many", "chain"):
        gen_many(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 5000,
                 chain=sys.argv[1] == "chain")
    elif len(sys.argv) == 4 and sys.argv[1] == "names":
        gen_names(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
