"""bench/heap/workloads.py -- the heap workloads for bench/run (and for
bench/heap/run): each is a C program built once per session.

   live10m     10 million live blocks, leak check over all of them
   allocs100m  100 million allocations and frees
   scan1g      the leak check of a 1 GiB heap (half of it lost)

Sizes can be reduced for a quick look with GLPROF_BENCH_SCALE=0.1."""

import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))

PROGRAMS = {
    "live10m": ("live10m.c", 10000000),
    "allocs100m": ("allocs100m.c", 100000000),
    "scan1g": ("scan1g.c", 1024),
}


def build(work, name):
    src, _ = PROGRAMS[name]
    out = os.path.join(work, "heapbench-" + name)
    if not os.path.exists(out):
        subprocess.run(["gcc", "-O2", "-g", "-fno-builtin", "-o", out,
                        os.path.join(HERE, src)], check=True)
    return out


def workloads(work, build_dir=None):
    scale = float(os.environ.get("GLPROF_BENCH_SCALE", "1"))
    wl = {}
    for name, (_, size) in PROGRAMS.items():
        wl[name] = [build(work, name), str(max(1, int(size * scale)))]
    return wl
