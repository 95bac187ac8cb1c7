#!/usr/bin/env python3
"""make_seeds.py -- writes the seed inputs of tests/fuzz/corpus/: small
valid profiles (every section; sections missing as --heap=no, --cpu=no,
--lines=no leave them; a profile from a real run, trimmed) and the classes
of bad input glprof_diff and glprof_annotate must refuse with exit 1 and a
message (truncated, empty, wrong version, deep nesting, huge numbers,
invalid UTF-8, bad indices).

    tests/fuzz/make_seeds.py [--real PROFILE.json] [OUTDIR]

Minimised crashers found by fuzzing are added to the corpus by hand
(tools/fuzz/run.sh says how) and are not generated here."""

import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def full_profile():
    """A small profile with every section of docs/json-format.md."""
    return {
        "glprof": 1, "tool_version": "0.1.0", "valgrind_version": "3.19.0",
        "command": "./seed --n 3", "pid": 4242, "ppid": 1, "label": None, "final": True,
        "exit": {"state": "exited", "status": 0},
        "options": {"cpu": True, "heap": True, "io": True, "lines": True,
                    "fold_recursion": 8, "max_call_paths": 4000000},
        "totals": {"instructions": 1000, "calls": 5, "functions": 4, "threads": 2,
                   "call_paths": 5, "max_stack_depth": 3, "recursion_folds": 0,
                   "path_cap_folds": 0},
        "threads": [
            {"index": 1, "tid": 1, "os_tid": 4242, "instructions": 900, "parent": None,
             "created_by": None, "started_at": 0, "ended_at": 1000, "max_stack_depth": 3},
            {"index": 2, "tid": 2, "os_tid": 4243, "instructions": 100, "parent": 1,
             "created_by": 1, "started_at": 200, "ended_at": 700, "max_stack_depth": 2}],
        "functions": [
            {"id": 0, "name": "work", "file": "/src/seed.c", "line": 10, "object": "/bin/seed",
             "self_ir": 700, "incl_ir": 700, "calls": 3,
             "lines": [["/src/seed.c", 11, 500], ["/src/seed.c", 12, 200]]},
            {"id": 1, "name": "main", "file": "/src/seed.c", "line": 20, "object": "/bin/seed",
             "self_ir": 150, "incl_ir": 900, "calls": 1, "lines": [["/src/seed.c", 21, 150]]},
            {"id": 2, "name": "worker", "file": "/src/seed.c", "line": 30, "object": "/bin/seed",
             "self_ir": 100, "incl_ir": 100, "calls": 1, "lines": [["/src/seed.c", 31, 100]]},
            {"id": 3, "name": "malloc", "file": None, "line": 0,
             "object": "/usr/libexec/valgrind/vgpreload_glprof-amd64-linux.so",
             "self_ir": 50, "incl_ir": 50, "calls": 1, "lines": []}],
        "calls": [{"caller": 1, "callee": 0, "calls": 3, "incl_ir": 700},
                  {"caller": 1, "callee": 3, "calls": 1, "incl_ir": 50}],
        "paths": {"columns": ["parent", "fn", "calls", "self_ir", "incl_ir"],
                  "nodes": [[-1, 1, 1, 150, 900], [0, 0, 3, 700, 700], [0, 3, 1, 50, 50],
                            [-1, 2, 1, 100, 100]]},
        "frames": [
            {"fn": 3, "name": "malloc", "file": None, "line": 0,
             "object": "/usr/libexec/valgrind/vgpreload_glprof-amd64-linux.so"},
            {"fn": 1, "name": "main", "file": "/src/seed.c", "line": 22, "object": "/bin/seed"},
            {"fn": None, "name": "__libc_start_main", "file": None, "line": 0,
             "object": "/lib/libc.so.6"}],
        "heap": {"total_allocs": 3, "total_frees": 1, "total_bytes": 160, "peak_bytes": 160,
                 "peak_blocks": 3, "peak_at": 800, "live_bytes": 96, "live_blocks": 2,
                 "invalid_frees": 0, "mismatched_frees": 0,
                 "sites": [{"stack": [0, 1, 2], "allocs": 3, "bytes": 160, "frees": 1,
                            "max_live_bytes": 160, "bytes_at_peak": 160, "live_blocks": 2,
                            "live_bytes": 96, "avg_lifetime": 100, "short_lived": 1,
                            "growth": {"bytes_per_step": 32, "steps": 3,
                                       "step": "allocation", "r2": 990}}]},
        "leaks": {"definitely_lost": {"bytes": 64, "blocks": 1},
                  "indirectly_lost": {"bytes": 32, "blocks": 1},
                  "possibly_lost": {"bytes": 0, "blocks": 0},
                  "still_reachable": {"bytes": 0, "blocks": 0},
                  "suppressed": {"bytes": 0, "blocks": 0},
                  "records": [{"kind": "definite", "bytes": 96, "blocks": 1, "direct_bytes": 64,
                               "indirect_bytes": 32, "stack": [0, 1, 2]},
                              {"kind": "indirect", "bytes": 32, "blocks": 1, "direct_bytes": 32,
                               "indirect_bytes": 0, "stack": [0, 1]}]},
        "io": {"read_ops": 2, "read_bytes": 100, "write_ops": 3, "write_bytes": 30,
               "failed_ops": 1, "time_ms": 2,
               "files": [{"path": "/etc/seed.conf", "read_ops": 2, "read_bytes": 100,
                          "write_ops": 0, "write_bytes": 0, "failed_ops": 0, "opens": 1},
                         {"path": "pipe:", "read_ops": 0, "read_bytes": 0, "write_ops": 3,
                          "write_bytes": 30, "failed_ops": 1, "opens": 0}],
               "sites": [{"fn": 1, "file": "/src/seed.c", "line": 23, "read_ops": 2,
                          "read_bytes": 100, "write_ops": 3, "write_bytes": 30}]},
        "locks": [{"kind": "mutex", "acquisitions": 10, "contended": 2, "site": 1,
                   "condvar_waits": 0}],
        "determinism": {"warnings": [{"kind": "clock", "calls": 2, "sites": [1],
                                      "message": "clock_gettime called 2 times"}]},
        "findings": [{"kind": "hot-function", "severity": "high",
                      "message": "work() executes 70% of all instructions",
                      "location": "work (seed.c:10)", "evidence": "700 of 1000 > 20%",
                      "recommendation": "make work() cheaper"}],
    }


def trimmed(real):
    """A real profile cut down to its 16 hottest functions (indices remapped)."""
    fns = real.get("functions", [])
    keep = sorted(range(len(fns)), key=lambda i: -fns[i]["self_ir"])[:16]
    remap = {old: new for new, old in enumerate(sorted(keep))}
    out = copy.deepcopy(real)
    out["functions"] = []
    for old in sorted(keep):
        f = copy.deepcopy(fns[old])
        f["id"] = remap[old]
        f["lines"] = f.get("lines", [])[:6]
        out["functions"].append(f)
    out["calls"] = [dict(c, caller=remap[c["caller"]], callee=remap[c["callee"]])
                    for c in real.get("calls", [])
                    if c["caller"] in remap and c["callee"] in remap]
    # call paths through dropped functions hang on their nearest kept ancestor
    nodes, newidx = [], {}
    for i, n in enumerate(real.get("paths", {}).get("nodes", [])):
        parent, fn = n[0], n[1]
        up = newidx.get(parent, -1) if parent != -1 else -1
        if fn not in remap:
            newidx[i] = up
            continue
        newidx[i] = len(nodes)
        nodes.append([up, remap[fn]] + n[2:])
    if "paths" in out:
        out["paths"]["nodes"] = nodes
    frames = []
    for fr in real.get("frames", []):
        fr = dict(fr)
        fr["fn"] = remap.get(fr["fn"]) if fr.get("fn") is not None else None
        frames.append(fr)
    out["frames"] = frames
    for t in out.get("threads", []):
        if t.get("created_by") is not None:
            t["created_by"] = remap.get(t["created_by"])
    for s in out.get("io", {}).get("sites", []):
        if s.get("fn") is not None:
            s["fn"] = remap.get(s["fn"])
    return out


def write(outdir, name, data):
    path = os.path.join(outdir, name)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode) as f:
        f.write(data)


def main(argv):
    real = None
    if len(argv) > 1 and argv[1] == "--real":
        with open(argv[2]) as f:
            real = json.load(f)
        argv = argv[:1] + argv[3:]
    outdir = argv[1] if len(argv) > 1 else os.path.join(HERE, "corpus")
    os.makedirs(outdir, exist_ok=True)
    full = full_profile()
    text = json.dumps(full, indent=1)
    write(outdir, "seed-full.json", text)
    write(outdir, "seed-compact.json", json.dumps(full, separators=(",", ":")))
    for section, name in (("heap", "noheap"), ("io", "noio"), ("findings", "nofindings")):
        p = copy.deepcopy(full)
        p.pop(section)
        if section == "heap":
            p.pop("leaks")
        write(outdir, "seed-%s.json" % name, json.dumps(p))
    p = copy.deepcopy(full)
    for k in ("functions", "calls", "paths"):
        p.pop(k)
    for fr in p["frames"]:
        fr["fn"] = None
    for t in p["threads"]:
        t["created_by"] = None
    for s in p["io"]["sites"]:
        s["fn"] = None
    write(outdir, "seed-nocpu.json", json.dumps(p))
    p = copy.deepcopy(full)
    for f in p["functions"]:
        f.pop("lines")
    write(outdir, "seed-nolines.json", json.dumps(p))
    p = copy.deepcopy(full)
    p["exit"] = {"state": "signal", "signal": 11, "signal_name": "SIGSEGV"}
    p["functions"][0]["name"] = "weird;name|with`back`ticks\u00e9<&>"
    write(outdir, "seed-signal-names.json", json.dumps(p))
    p = copy.deepcopy(full)
    p["label"], p["final"], p["exit"] = "iteration 3", False, {"state": "running"}
    write(outdir, "seed-dump.json", json.dumps(p))
    if real is not None:
        write(outdir, "seed-real-trimmed.json", json.dumps(trimmed(real), separators=(",", ":")))

    # bad input: each must give exit 1 and a message, never a crash
    write(outdir, "bad-empty.json", "")
    write(outdir, "bad-blank.json", " \n\t\n")
    write(outdir, "bad-truncated.json", text[: len(text) // 2])
    write(outdir, "bad-version2.json", text.replace('"glprof": 1', '"glprof": 2', 1))
    write(outdir, "bad-noglprof.json", text.replace('"glprof": 1,', "", 1))
    write(outdir, "bad-toplevel-array.json", "[" + text + "]")
    write(outdir, "bad-deep-nesting.json", '{"glprof":1,"x":' + "[" * 5000 + "]" * 5000 + "}")
    write(outdir, "bad-huge-number.json",
          text.replace('"instructions": 1000', '"instructions": 18446744073709551616', 1))
    write(outdir, "bad-int64-max-plus1.json",
          text.replace('"self_ir": 700', '"self_ir": 9223372036854775808', 1))
    write(outdir, "bad-negative.json", text.replace('"self_ir": 700', '"self_ir": -700', 1))
    write(outdir, "bad-real.json", text.replace('"self_ir": 700', '"self_ir": 7e2', 1))
    write(outdir, "bad-invalid-utf8.json",
          text.encode().replace(b'"./seed --n 3"', b'"./seed \xff\xfe"', 1))
    write(outdir, "bad-nul-escape.json", text.replace('"work"', '"wo\\u0000rk"', 1))
    write(outdir, "bad-fn-index.json", text.replace('"callee": 0', '"callee": 99', 1))
    write(outdir, "bad-path-parent.json",
          text.replace("[\n    0,\n    0,\n    3,", "[\n    7,\n    0,\n    3,", 1))
    p = copy.deepcopy(full)
    p["heap"]["sites"][0]["stack"][0] = 9
    write(outdir, "bad-frame-index.json", json.dumps(p, indent=1))
    write(outdir, "bad-duplicate-key.json", text.replace('"glprof": 1,', '"glprof": 1, "glprof": 1,', 1))
    write(outdir, "bad-string-count.json", text.replace('"calls": 3,', '"calls": "3",', 1))
    write(outdir, "bad-not-json.txt", "# callgrind format\nversion: 1\nevents: Ir\n")
    # valid extremes
    p = copy.deepcopy(full)
    p["totals"]["instructions"] = 9223372036854775807
    p["functions"][0]["self_ir"] = 9223372036854775807
    p["functions"][0]["incl_ir"] = 9223372036854775807
    p["functions"][1]["incl_ir"] = 9223372036854775807
    p["paths"]["nodes"][1][3] = 9223372036854775807
    p["paths"]["nodes"][1][4] = 9223372036854775807
    p["heap"]["sites"][0]["bytes"] = 9223372036854775807
    write(outdir, "seed-int64-max.json", json.dumps(p))
    chain = {"glprof": 1, "totals": {"instructions": 3000},
             "functions": [{"name": "f%d" % i, "self_ir": 1, "incl_ir": 1} for i in range(3)],
             "paths": {"nodes": [[i - 1, i % 3, 1, 1, 3000 - i] for i in range(3000)]}}
    write(outdir, "seed-deep-chain.json", json.dumps(chain, separators=(",", ":")))
    minimal = {"glprof": 1, "totals": {"instructions": 0}}
    write(outdir, "seed-minimal.json", json.dumps(minimal))


if __name__ == "__main__":
    main(sys.argv)
