"""Host programs: glprof_diff and glprof_annotate on real profiles written
by the tool (tests/progs/work.c, the sample agent) and on synthetic ones for
sections the tool may not write (tests/fuzz/make_seeds.py builds them).

Exit codes of every class, --limit parsing and gates at their exact
boundaries, repeated runs that agree and disagree, the three output formats
(JSON checked against deltas computed here from the two profiles), the
report, annotated source against the profile's per-line figures, flame
graphs (SVG parsed, folded sums equal to the profile's totals, rendered in
headless Chromium and the picture checked), hostile input (the fuzz corpus
replayed), the man pages, installation, and the CI recipe end to end.

The programs are <build>/tools/glprof_diff and <build>/tools/glprof_annotate;
GLPROF_HOST_BINDIR points at other builds of them (make check-sanitize uses
it for the ASan/UBSan builds in <build>/sanitize)."""

import copy
import glob
import importlib.util
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib

TESTS = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(TESTS)
CORPUS = os.path.join(TESTS, "fuzz", "corpus")

# Sanitizer reports get exit statuses the programs never use (see
# Makefile.am, check-sanitize); harmless for ordinary builds.
SAN_ENV = {"ASAN_OPTIONS": "exitcode=86:detect_leaks=1",
           "UBSAN_OPTIONS": "exitcode=87:print_stacktrace=1:halt_on_error=1",
           "LSAN_OPTIONS": "exitcode=86"}
SAN_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
             "UndefinedBehaviorSanitizer")


def _seeds():
    spec = importlib.util.spec_from_file_location("make_seeds",
                                                  os.path.join(TESTS, "fuzz", "make_seeds.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


SEEDS = _seeds()


# ---- running the programs ------------------------------------------------------

def bindir(t):
    return os.environ.get("GLPROF_HOST_BINDIR") or os.path.join(t.build, "tools")


def prog(t, name):
    p = os.path.join(bindir(t), name)
    t.check(os.access(p, os.X_OK), "%s not built (configure --disable-host-tools?)" % p)
    return p


def host(t, name, args, expect=0, stdin=None, env=None, cwd=None):
    """Runs glprof_diff/glprof_annotate; checks the exit status (an int or a
    tuple of allowed ones) and that no sanitizer spoke."""
    e = dict(os.environ)
    e.update(SAN_ENV)
    if env:
        e.update(env)
    r = subprocess.run([prog(t, name)] + list(args), capture_output=True, text=True,
                       errors="replace", env=e, cwd=cwd or t.dir, timeout=300,
                       input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL)
    for m in SAN_MARKS:
        t.check(m not in r.stderr, "%s %s: sanitizer report:\n%s" % (name, args, r.stderr[-4000:]))
    allowed = expect if isinstance(expect, tuple) else (expect,)
    if expect is not None:
        t.check(r.returncode in allowed, "%s %s: exit %d, want %s\nstdout:\n%s\nstderr:\n%s"
                % (name, " ".join(args), r.returncode, expect, r.stdout[-3000:], r.stderr[-3000:]))
    return r


def diff(t, args, expect=0, **kw):
    return host(t, "glprof_diff", args, expect, **kw)


def annotate(t, args, expect=0, **kw):
    return host(t, "glprof_annotate", args, expect, **kw)


def write_json(t, name, data):
    p = t.path(name)
    with open(p, "w") as f:
        json.dump(data, f, indent=1)
    return p


def work_profiles(t, rounds=(200,), opts=()):
    """Profiles of tests/progs/work.c, one per round count."""
    exe = t.prog("work")
    return [t.glprof([exe, str(n)], opts, json_name="work-%d-%d.json" % (n, i))
            for i, n in enumerate(rounds)]


def pct2(old, new):
    """The relative change in hundredths of a percent, rounded half up on
    the magnitude, as glprof_diff prints it."""
    d = abs(new - old)
    h = (d * 20000 // old + 1) // 2
    return "%s%d.%02d%%" % ("+" if new > old else "-" if new < old else "", h // 100, h % 100)


def speedup(old, new):
    twice = old * 200 // new
    h = (twice + 1) // 2
    return "%d.%02dx" % (h // 100, h % 100)


# ---- glprof_diff: real profiles ---------------------------------------------------

def test_diff_identical_runs(t):
    a, b = work_profiles(t, (200, 200))
    r = diff(t, [a.json_path, b.json_path])
    t.check("Speedup: 1.00x" in r.stdout, "identical runs: no 'Speedup: 1.00x':\n" + r.stdout)
    n = len(a.json["functions"])
    t.check("Functions: %d matched, 0 changed, 0 new, 0 vanished" % n in r.stdout,
            "identical runs should match all %d functions unchanged:\n%s" % (n, r.stdout))
    t.check("Notice" not in r.stdout, "identical environments gave a notice:\n" + r.stdout)
    t.check("Result: OK" in r.stdout, r.stdout)
    # repeated runs of each side agree
    r = diff(t, [a.json_path + "," + b.json_path, b.json_path + "," + a.json_path])
    t.check("(2 runs, identical)" in r.stdout, "multi-run sides not reported:\n" + r.stdout)


def test_diff_regression_real(t):
    a, b = work_profiles(t, (200, 260))
    old, new = a.json["totals"]["instructions"], b.json["totals"]["instructions"]
    r = diff(t, [a.json_path, b.json_path], expect=3)
    t.check("Speedup: %s" % speedup(old, new) in r.stdout,
            "want Speedup: %s:\n%s" % (speedup(old, new), r.stdout))
    t.check("Instructions: {:,} -> {:,}".format(old, new) in r.stdout, r.stdout)
    t.check(pct2(old, new) in r.stdout, "change %s missing:\n%s" % (pct2(old, new), r.stdout))
    t.check("REGRESSION" in r.stdout, r.stdout)
    # the command differs: said as a notice, not an error
    t.check(re.search(r"Notice: .*environment", r.stdout) and "command" in r.stdout, r.stdout)
    # the biggest self change is crunch, by exactly its own difference
    fa, fb = a.fn("crunch"), b.fn("crunch")
    m = re.search(r"Self instructions that changed.*?\n.*?\n(.*)\n", r.stdout)
    t.check(m and "crunch" in m.group(1), "crunch not first in the self table:\n" + r.stdout)
    t.check("+{:,}".format(fb["self_ir"] - fa["self_ir"]) in m.group(1), m.group(1))
    # the reverse is an improvement, within the default limits
    r = diff(t, [b.json_path, a.json_path], expect=0)
    t.check("Speedup: %s" % speedup(new, old) in r.stdout, r.stdout)
    # a generous limit passes
    diff(t, ["--limit", "instructions=40%", a.json_path, b.json_path], expect=0)
    diff(t, ["--limit=fn:crunch=31%", "--limit", "instructions=31%",
             a.json_path, b.json_path], expect=0)
    diff(t, ["--limit=fn:crunch=29%", "--limit", "instructions=31%",
             a.json_path, b.json_path], expect=3)


def test_diff_json_output(t):
    """--format=json against deltas computed here from the two profiles."""
    a, b = work_profiles(t, (200, 230))
    r = diff(t, ["--format=json", a.json_path, b.json_path], expect=3)
    out = json.loads(r.stdout)
    pa, pb = a.json, b.json
    t.eq(out["glprof_diff"], 1, "format version")
    t.eq(out["regression"], True, "regression flag")
    t.eq(out["status"], 3, "status")
    t.eq(out["speedup"], float(speedup(pa["totals"]["instructions"],
                                       pb["totals"]["instructions"])[:-1]), "speedup")
    m = {x["metric"]: x for x in out["metrics"]}
    t.eq(m["instructions"]["old"], pa["totals"]["instructions"], "old instructions")
    t.eq(m["instructions"]["new"], pb["totals"]["instructions"], "new instructions")
    t.eq(m["instructions"]["change"],
         pb["totals"]["instructions"] - pa["totals"]["instructions"], "change")
    t.eq(m["total_bytes"]["new"], pb["heap"]["total_bytes"], "heap total bytes")
    # per-function self deltas: every changed function, by |change| then name
    key = lambda f: (f["name"], f["file"] or "", f["object"])
    olds = {key(f): f for f in pa["functions"]}
    news = {key(f): f for f in pb["functions"]}
    want = []
    for k in set(olds) | set(news):
        o = olds[k]["self_ir"] if k in olds else 0
        n = news[k]["self_ir"] if k in news else 0
        if o != n:
            want.append((-abs(n - o), k, n - o))
    want.sort()
    got = [((f["name"], f["file"] or "", f["object"]), f["change"])
           for f in out["functions"]["self"]]
    t.eq(got, [(k, d) for _, k, d in want], "self deltas (sorted by |change|, then name)")
    lim = {x["metric"]: x for x in out["limits"]}
    t.check(lim["instructions"]["exceeded"] and lim["instructions"]["default"], lim)
    t.eq(out["old"]["command"], pa["command"], "old command")


def test_diff_markdown(t):
    a, b = work_profiles(t, (200, 230))
    r = diff(t, ["--format=markdown", a.json_path, b.json_path], expect=3)
    md = r.stdout
    t.check(md.startswith("### glprof: "), md[:200])
    t.check("regression" in md.splitlines()[0], md[:200])
    t.check("**Speedup: 0." in md, md)
    tables = [l for l in md.splitlines() if l.startswith("|")]
    t.check(len(tables) >= 8, "few table lines:\n" + md)
    for l in tables:
        t.check(l.endswith("|"), "table line not closed: %r" % l)
    t.check("| metric | old | new | change | % |" in md and "|---|---:|---:|---:|---:|" in md, md)
    # each table has as many cells in every row as in its header
    cells = None
    for l in md.splitlines():
        if not l.startswith("|"):
            cells = None
            continue
        n = len(re.findall(r"(?<!\\)\|", l))
        if cells is None:
            cells = n
        t.eq(n, cells, "cells in %r" % l)
    t.check("<details>" in md and "</details>" in md, md)
    t.check("`crunch`" in md, md)


# ---- glprof_diff: synthetic profiles ---------------------------------------------

def synth(t, name, mutate=None):
    p = SEEDS.full_profile()
    if mutate:
        mutate(p)
    return write_json(t, name, p)


def test_diff_limits(t):
    base = synth(t, "base.json", lambda p: p["totals"].update(instructions=10000))

    def instr(n):
        return synth(t, "i%d.json" % n, lambda p: p["totals"].update(instructions=n))

    diff(t, [base, instr(10200)], expect=0)          # +2.00%: at the default limit
    diff(t, [base, instr(10201)], expect=3)          # +2.01%
    diff(t, ["--limit", "instructions=0.5%", base, instr(10050)], expect=0)
    diff(t, ["--limit", "instructions=0.5%", base, instr(10051)], expect=3)
    diff(t, ["--limit", "instructions=100", base, instr(10100)], expect=0)
    diff(t, ["--limit", "instructions=100", base, instr(10101)], expect=3)
    diff(t, ["--limit", "instructions=0.01%", base, instr(10001)], expect=0)
    diff(t, ["--limit", "instructions=0.009999%", base, instr(10001)], expect=3)
    # any new definitely lost byte is a regression by default
    leak = synth(t, "leak.json", lambda p: (p["totals"].update(instructions=10000),
                                            p["leaks"]["definitely_lost"].update(bytes=65)))
    r = diff(t, [base, leak], expect=3)
    t.check(re.search(r"leaked_bytes \(default\)\s+\+0\s+\+1\s+\+1.56%\s+REGRESSION", r.stdout),
            r.stdout)
    diff(t, ["--no-default-limits", base, leak], expect=0)
    diff(t, ["--limit", "leaked_bytes=1", base, leak], expect=0)
    # bytes with units
    big = synth(t, "peak.json", lambda p: (p["totals"].update(instructions=10000),
                                           p["heap"].update(peak_bytes=160 + 1024)))
    diff(t, ["--limit", "peak_bytes=1KiB", base, big], expect=0)
    diff(t, ["--limit", "peak_bytes=1KB", base, big], expect=3)
    diff(t, ["--limit", "peak_bytes=639%", base, big], expect=3)    # 160 -> 1184: +640%
    diff(t, ["--limit", "peak_bytes=640%", base, big], expect=0)
    io = synth(t, "io.json", lambda p: (p["totals"].update(instructions=10000),
                                        p["io"].update(write_ops=13)))
    diff(t, ["--limit", "io_ops=10", base, io], expect=0)
    diff(t, ["--limit", "io_ops=9", base, io], expect=3)
    diff(t, ["--limit", "io_ops=199%", base, io], expect=3)   # 5 -> 15 ops: +200%
    diff(t, ["--limit", "io_ops=200%", base, io], expect=0)
    # per-function: fn: self, fnincl: inclusive
    fn = synth(t, "fn.json", lambda p: (p["totals"].update(instructions=10000),
                                        p["functions"][0].update(self_ir=770, incl_ir=770),
                                        p["functions"][1].update(incl_ir=970)))
    diff(t, ["--limit", "fn:work=10%", base, fn], expect=0)
    diff(t, ["--limit", "fn:work=9.99%", base, fn], expect=3)
    diff(t, ["--limit", "fnincl:main=7.78%", base, fn], expect=0)    # 900 -> 970: +7.777%
    diff(t, ["--limit", "fnincl:main=7.77%", base, fn], expect=3)
    diff(t, ["--limit", "fn:main=0%", base, fn], expect=0)            # main's self unchanged
    r = diff(t, ["--limit", "fn:nosuch=1%", base, fn], expect=2)
    t.check("no function named 'nosuch'" in r.stderr, r.stderr)


def test_diff_limit_syntax(t):
    a = synth(t, "a.json")
    for spec, msg in (("instructions", "expected METRIC=PCT% or METRIC=ABS"),
                      ("=2%", "expected METRIC=PCT% or METRIC=ABS"),
                      ("instructions=", "neither a percentage"),
                      ("instructions=abc", "neither a percentage"),
                      ("instructions=-2%", "not a percentage"),
                      ("instructions=2.%", "not a percentage"),
                      ("instructions=1.1234567%", "not a percentage"),
                      ("instructions=5XB", "neither a percentage"),
                      ("instructions=99999999999999999999", "neither a percentage"),
                      ("bogus=2%", "unknown metric 'bogus'"),
                      ("fn:=2%", "unknown metric 'fn:'")):
        r = diff(t, ["--limit", spec, a, a], expect=2)
        t.check(msg in r.stderr, "--limit %s: want %r in:\n%s" % (spec, msg, r.stderr))
        t.check(r.stdout == "", "usage error printed a report")
    # a function name may contain '=' (split at the last one)
    r = diff(t, ["--limit", "fn:operator==5%", a, a], expect=2)
    t.check("no function named 'operator='" in r.stderr, r.stderr)
    for args in ([], [a], [a, a, a], ["--format=xml", a, a], ["--top=x", a, a],
                 ["--bogus", a, a], ["--limit"], ["-", "-"], [a + ",-", "-"]):
        r = diff(t, args, expect=2)
        t.check("Try 'glprof_diff --help'" in r.stderr or "give two profiles" in r.stderr,
                "%s: %s" % (args, r.stderr))
    r = diff(t, ["--help"])
    for opt in ("--limit", "--format", "--top", "--no-default-limits", "leaked_bytes", "fnincl:"):
        t.check(opt in r.stdout, "--help lacks %s" % opt)


def test_diff_sections_missing(t):
    full = synth(t, "full.json")
    noheap = synth(t, "noheap.json", lambda p: (p.pop("heap"), p.pop("leaks"),
                                                p["options"].update(heap=False)))
    r = diff(t, [full, noheap], expect=0)
    t.check('(no "heap" section in NEW: made with --heap=no?)' in r.stdout, r.stdout)
    t.check("not checked" in r.stdout, "the default leak gate should be 'not checked':\n" + r.stdout)
    t.check(re.search(r"options\s+old: .*heap=yes", r.stdout), "options notice:\n" + r.stdout)
    r = diff(t, ["--limit", "peak_bytes=1%", full, noheap], expect=1)
    t.check("noheap.json: no \"heap\" section" in r.stderr and "--limit peak_bytes=1%" in r.stderr,
            r.stderr)
    nocpu = synth(t, "nocpu.json", lambda p: [p.pop(k) for k in ("functions", "calls", "paths")]
                  and [fr.update(fn=None) for fr in p["frames"]]
                  and [x.update(fn=None) for x in p["io"]["sites"]]
                  and [x.update(created_by=None) for x in p["threads"]])
    r = diff(t, [full, nocpu], expect=0)
    t.check('Functions: not compared (no "functions" in NEW' in r.stdout, r.stdout)
    r = diff(t, ["--limit", "fn:work=1%", full, nocpu], expect=1)
    t.check('nocpu.json: no "functions"' in r.stderr, r.stderr)
    minimal = write_json(t, "minimal.json", {"glprof": 1, "totals": {"instructions": 5}})
    r = diff(t, [minimal, minimal], expect=0)
    t.check("Speedup: 1.00x" in r.stdout, r.stdout)


def test_diff_runs_disagree(t):
    a = synth(t, "a.json")
    # not deterministic fields may differ: pid, os_tid, time_ms, label
    b = synth(t, "b.json", lambda p: (p.update(pid=99, ppid=98),
                                      p["threads"][0].update(os_tid=12345),
                                      p["io"].update(time_ms=777)))
    n = synth(t, "n.json")
    diff(t, [a + "," + b, n], expect=0)
    c = synth(t, "c.json", lambda p: (p["functions"][0].update(self_ir=701, incl_ir=701),
                                      p["totals"].update(instructions=1001)))
    r = diff(t, [a + "," + c, n], expect=1)
    t.check("workload is not deterministic" in r.stderr and "OLD runs" in r.stderr, r.stderr)
    t.check("totals.instructions" in r.stderr and "work (seed.c:10)" in r.stderr, r.stderr)
    t.eq(r.stdout, "", "no report for runs that disagree")
    r = diff(t, [n, a + "," + b + "," + c], expect=1)
    t.check("NEW runs" in r.stderr, r.stderr)
    # a difference only in the call paths is found too
    d = synth(t, "d.json", lambda p: p["paths"]["nodes"][1].__setitem__(2, 4))
    r = diff(t, [a + "," + d, n], expect=1)
    t.check('"paths" differs' in r.stderr, r.stderr)
    r = diff(t, [a + ",", n], expect=2)
    t.check("empty file name" in r.stderr, r.stderr)


def test_diff_runs_threads_scheduling(t):
    """With threads, times on the global instruction clock and lock
    contention depend on scheduling: repeated runs may differ there and
    still agree.  With one thread the same fields must agree."""
    def sched(p):
        p["heap"]["peak_at"] += 585
        p["heap"]["sites"][0].update(avg_lifetime=170, short_lived=0, churn=True)
        p["heap"]["sites"][0]["growth"]["r2"] = 700
        p["locks"][0].update(contended=5, busy=1, held_ir=999)

    def one_thread(p):
        p["threads"] = p["threads"][:1]
        p["totals"]["threads"] = 1

    n = synth(t, "n.json")
    a = synth(t, "a.json")
    b = synth(t, "b.json", sched)
    diff(t, [a + "," + b, n], expect=0)
    # what scheduling does not decide is still compared
    for what, change in [("heap", lambda p: p["heap"].update(peak_bytes=161)),
                         ("heap", lambda p: p["heap"]["sites"][0].update(frees=2)),
                         ("locks", lambda p: p["locks"][0].update(acquisitions=11))]:
        c = synth(t, "c.json", change)
        r = diff(t, [a + "," + c, n], expect=1)
        t.check('"%s" differs' % what in r.stderr or "heap peak bytes" in r.stderr, r.stderr)
    a1 = synth(t, "a1.json", one_thread)
    for name, field in [("heap", lambda p: p["heap"].update(peak_at=801)),
                        ("heap", lambda p: p["heap"]["sites"][0].update(avg_lifetime=101)),
                        ("locks", lambda p: p["locks"][0].update(contended=3))]:
        b1 = synth(t, "b1.json", lambda p: (one_thread(p), field(p)))
        r = diff(t, [a1 + "," + b1, n], expect=1)
        t.check('"%s" differs' % name in r.stderr, r.stderr)


def test_diff_moved_tree(t):
    """A rebuild elsewhere changes the paths, not the names: functions are
    then matched by base names."""
    a = synth(t, "a.json")

    def move(p):
        for f in p["functions"]:
            if f["file"]:
                f["file"] = f["file"].replace("/src/", "/home/ci/build/src/")
            f["object"] = f["object"].replace("/bin/", "/tmp/out/bin/")
    b = synth(t, "b.json", move)
    r = diff(t, ["--format=json", a, b])
    out = json.loads(r.stdout)
    t.eq(out["functions"]["new"], 0, "new functions after a move")
    t.eq(out["functions"]["matched_by_basename"], 3, "functions matched by base names")
    r = diff(t, [a, b])
    t.check("(3 by base names: the paths differ)" in r.stdout, r.stdout)


def test_diff_heap_sites(t):
    """Allocation sites matched by call chain (not line numbers), summed per
    chain, sorted by the change of their bytes."""
    a = synth(t, "a.json")

    def change(p):
        p["frames"][1]["line"] = 99            # an edit moved the call: same chain
        site = p["heap"]["sites"][0]
        site.update(bytes=400, allocs=5)
        p["frames"].append({"fn": 0, "name": "work", "file": "/src/seed.c", "line": 12,
                            "object": "/bin/seed"})
        p["heap"]["sites"].append(dict(site, stack=[0, 3, 1], bytes=50, allocs=2))
        p["heap"]["sites"].append(dict(site, stack=[0, 1, 2], bytes=10, allocs=1))
    b = synth(t, "b.json", change)
    out = json.loads(diff(t, ["--format=json", a, b]).stdout)
    got = [(x["chain"], x["status"], x["old_bytes"], x["new_bytes"], x["change"])
           for x in out["heap_sites"]]
    t.eq(got, [("main < __libc_start_main", "changed", 160, 410, 250),
               ("work < main", "new", 0, 50, 50)], "heap site deltas")
    r = diff(t, [a, b])
    t.check(re.search(r"Allocation sites whose bytes changed \(2 sites\):", r.stdout), r.stdout)
    t.check(re.search(r"160\s+410\s+\+250\s+\+156.25%\s+\+3  main \(seed.c:99\)\n\s+"
                      r"< __libc_start_main", r.stdout), r.stdout)
    t.check("work (seed.c:12) [new]" in r.stdout, r.stdout)


def test_diff_new_vanished_and_names(t):
    a = synth(t, "a.json")

    def change(p):
        p["functions"][2]["name"] = "weird|name`x`*_<b>"
        p["functions"].append({"id": 4, "name": "brand_new", "file": "/src/n.c", "line": 3,
                               "object": "/bin/seed", "self_ir": 40, "incl_ir": 40, "calls": 4})
    b = synth(t, "b.json", change)
    r = diff(t, [a, b])
    t.check(re.search(r"New functions \(2\)", r.stdout) and "brand_new" in r.stdout, r.stdout)
    t.check(re.search(r"Vanished functions \(1\)", r.stdout) and "worker" in r.stdout, r.stdout)
    r = diff(t, ["--format=markdown", a, b])
    t.check("`weird\\|name`x`*_<b>`" in r.stdout.replace("``", "`"), r.stdout)
    for l in r.stdout.splitlines():
        if l.startswith("|"):
            t.check(len(re.findall(r"(?<!\\)\|", l)) in (5, 6), "cells: %r" % l)
    out = json.loads(diff(t, ["--format=json", a, b]).stdout)
    t.eq(sorted(f["name"] for f in out["functions"]["new_functions"]),
         ["brand_new", "weird|name`x`*_<b>"], "new functions")
    t.eq([f["name"] for f in out["functions"]["vanished_functions"]], ["worker"], "vanished")
    # control characters never reach the terminal
    c = synth(t, "c.json", lambda p: p.update(command="./x \u001b[31mred"))
    r = diff(t, [a, c])
    t.check("\x1b" not in r.stdout and "\\x1b[31mred" in r.stdout, r.stdout)


# ---- bad input ---------------------------------------------------------------------

BAD = {
    "bad-empty.json": "empty file (not a glprof profile)",
    "bad-blank.json": "empty file (not a glprof profile)",
    "bad-truncated.json": "unexpected end of input (the file is truncated)",
    "bad-version2.json": "glprof format version 2 is not supported (this %s reads version 1)",
    "bad-noglprof.json": 'not a glprof profile (no "glprof" field)',
    "bad-toplevel-array.json": "not a glprof profile (the top level is an array",
    "bad-deep-nesting.json": "nesting too deep",
    "bad-huge-number.json": "number '18446744073709551616' is too large",
    "bad-int64-max-plus1.json": "number '9223372036854775808' is too large",
    "bad-negative.json": "functions[0]: self_ir: expected an unsigned integer, got -700",
    "bad-real.json": "self_ir: expected an unsigned integer, got 700 (a real number)",
    "bad-invalid-utf8.json": "invalid UTF-8",
    "bad-nul-escape.json": "contains \\u0000",
    "bad-fn-index.json": 'calls[0]: callee: 99 is not an index into "functions"',
    "bad-path-parent.json": "paths.nodes[1]: parent 7 is not an earlier node",
    "bad-frame-index.json": 'heap.sites[0].stack[0]: frame: 9 is not an index into "frames"',
    "bad-duplicate-key.json": "duplicate key",
    "bad-string-count.json": "functions[0]: calls: expected an unsigned integer, got a string",
    "bad-not-json.txt": "not valid JSON: line 1, column 1",
}


def test_bad_input(t):
    good = os.path.join(CORPUS, "seed-full.json")
    for name, msg in BAD.items():
        path = os.path.join(CORPUS, name)
        t.check(os.path.exists(path), "corpus lacks %s (tests/fuzz/make_seeds.py)" % name)
        for prog_name, args in (("glprof_diff", [path, good]), ("glprof_diff", [good, path]),
                                ("glprof_annotate", [path])):
            r = host(t, prog_name, args, expect=1)
            want = msg % prog_name if "%s" in msg else msg
            t.check(r.stderr.startswith("%s: %s: " % (prog_name, path)) and want in r.stderr,
                    "%s %s:\nwant %r\ngot %r" % (prog_name, name, want, r.stderr))
            t.eq(len(r.stderr.strip().splitlines()), 1, "one line of message for %s" % name)
            t.eq(r.stdout, "", "nothing on stdout for %s" % name)
    r = diff(t, [t.path("nonexistent.json"), good], expect=1)
    t.check("nonexistent.json: cannot open: No such file or directory" in r.stderr, r.stderr)
    r = annotate(t, [t.dir], expect=1)
    t.check("is a directory" in r.stderr, r.stderr)
    # standard input
    with open(good) as f:
        text = f.read()
    r = annotate(t, ["-"], stdin=text)
    t.check("CPU PROFILE" in r.stdout, r.stdout)
    r = annotate(t, ["-"], stdin=text[:100], expect=1)
    t.check("<stdin>: line" in r.stderr, r.stderr)


def test_fuzz_corpus_replay(t):
    """Every input of the fuzz corpus through both programs and every output
    (the sanitized builds under make check-sanitize): documented exit codes,
    no sanitizer report, bad-* inputs refused."""
    good = os.path.join(CORPUS, "seed-full.json")
    files = sorted(glob.glob(os.path.join(CORPUS, "*")))
    t.check(len(files) >= 30, "the corpus has only %d files" % len(files))
    for path in files:
        bad = os.path.basename(path).startswith("bad-")
        want_diff = 1 if bad else (0, 3)
        diff(t, [path, good], expect=want_diff)
        diff(t, ["--format=json", good, path], expect=want_diff)
        diff(t, ["--format=markdown", "--top=0", path + "," + path, good], expect=want_diff)
        annotate(t, ["--sections=all", "--top=0", "--top-functions=2", "--sort=calls", path],
                 expect=1 if bad else 0)
        for metric in ("instructions", "alloc_bytes", "leaked_bytes"):
            annotate(t, ["--metric=" + metric, "--flamegraph=" + t.path("f.svg"),
                         "--folded=" + t.path("f.folded"), path], expect=(0, 1))
    replay = os.path.join(bindir(t), "..", "sanitize", "fuzz_replay")
    replay = os.path.join(bindir(t), "fuzz_replay") if not os.path.exists(replay) else replay
    if os.path.exists(replay):
        e = dict(os.environ)
        e.update(SAN_ENV)
        r = subprocess.run([replay, CORPUS], capture_output=True, text=True, env=e)
        t.eq(r.returncode, 0, "fuzz_replay over the corpus:\n" + r.stderr[-3000:])


# ---- glprof_annotate -------------------------------------------------------------------

def test_annotate_report(t):
    (a,) = work_profiles(t)
    p = a.json
    r = annotate(t, [a.json_path])
    out = r.stdout
    t.check("CPU PROFILE:" in out and "MEMORY PROFILE:" in out, out)
    t.check("Total Instructions: {:,}".format(p["totals"]["instructions"]) in out, out)
    crunch = a.fn("crunch")
    lines = out.splitlines()
    at = [i for i, l in enumerate(lines) if "crunch (work.c:" in l][0]
    row = lines[at + 1]
    t.check("{:,}".format(crunch["self_ir"]) in row and "{:,}".format(crunch["calls"]) in row, row)
    for l in out.splitlines():
        if not l.startswith(("Profile:", "Command:")):
            t.check(len(l) <= 100, "line wider than 100 columns: %r" % l)
    # the same tables as the tool's own report: same rows, same figures
    row_re = re.compile(r"^\s+\d+\. (.*)\n\s+self ([\d,]+) \(([\d.]+%)\)\s+inclusive ([\d,]+) "
                        r"\(([\d.]+%)\)\s+calls ([\d,]+)$", re.M)

    def cpu_rows(text):
        cpu = text.split("CPU PROFILE:", 1)[1].split("MEMORY PROFILE:", 1)[0]
        return [(m.groups()[1:], m.group(1).rstrip(".")) for m in row_re.finditer(cpu)]
    mine, tools = cpu_rows(out), cpu_rows(a.report())
    t.check(len(tools) >= 10, "tool report rows:\n" + a.report())
    t.eq([m[0] for m in mine], [x[0] for x in tools], "figures of the function tables vs the tool's")
    for (_, lm), (_, lt) in zip(mine, tools):
        t.check(lm.startswith(lt) or lt.startswith(lm), "label %r vs the tool's %r" % (lm, lt))
    # --top: rows per table
    r = annotate(t, ["--top=3", "--sort=self", a.json_path])
    rows = re.findall(r"^\s+self [\d,]+ \([\d.]+%\)\s+inclusive [\d,]+ \([\d.]+%\)\s+calls [\d,]+$",
                      r.stdout, re.M)
    t.eq(len(rows), 3, "rows with --top=3")
    t.check("Top functions by inclusive" not in r.stdout, "--sort=self printed two tables")
    # --sort=calls: by calls, descending (mix: 20,000 calls)
    r = annotate(t, ["--top=5", "--sort=calls", a.json_path])
    calls = [int(m.replace(",", "")) for m in
             re.findall(r"^\s+self [\d,]+ \([\d.]+%\)\s+inclusive [\d,]+ \([\d.]+%\)\s+calls ([\d,]+)$",
                        r.stdout, re.M)]
    t.eq(calls, sorted(calls, reverse=True), "--sort=calls order")
    t.eq(calls[0], max(f["calls"] for f in p["functions"]), "most calls first")
    # --sections
    r = annotate(t, ["--sections=heap", a.json_path])
    t.check("MEMORY PROFILE:" in r.stdout and "CPU PROFILE" not in r.stdout, r.stdout)
    r = annotate(t, ["--sections=cpu,bogus", a.json_path], expect=2)
    t.check("--sections" in r.stderr, r.stderr)
    for args in ([], ["--top=x", a.json_path], ["--sort=name", a.json_path],
                 ["--metric=cycles", a.json_path], [a.json_path, a.json_path],
                 ["--width=10", a.json_path]):
        annotate(t, args, expect=2)


def test_annotate_sections_synthetic(t):
    full = os.path.join(CORPUS, "seed-full.json")
    out = annotate(t, [full]).stdout
    for title in ("CPU PROFILE:", "MEMORY PROFILE:", "LEAKS (", "I/O PROFILE:",
                  "THREADS AND LOCKS:", "BOTTLENECKS IDENTIFIED:",
                  "OPTIMIZATION RECOMMENDATIONS:", "DETERMINISM:"):
        t.check(title in out, "%s missing:\n%s" % (title, out))
    t.check(re.search(r"definitely lost:\s+64 bytes in\s+1 blocks", out), out)
    t.check(re.search(r"#1 definitely lost: 96 bytes in 1 blocks \(64 direct, 32 indirect\)\n"
                      r"\s+at main \(seed.c:22\)\n\s+by __libc_start_main \[libc.so.6\]", out), out)
    t.check("Growth: live bytes grow steadily at 1 site" in out and
            "about 32 B per allocation over 3 allocations (r2 0.990)" in out, out)
    # the allocation site is the first frame outside the allocator
    t.check(re.search(r"^\s+3\s+160 B\s+160 B\s+96 B\s+100  main \(seed.c:22\) < __libc_start_main$",
                      out, re.M), out)
    t.check(re.search(r"160 B 100.00%\s+main \(seed.c:22\) < __libc_start_main$", out, re.M), out)
    t.check("- [high] work() executes 70% of all instructions" in out, out)
    t.check("1. make work() cheaper" in out, out)
    t.check(re.search(r"^\s+2\s+100\s+10.00%\s+200\s+700  main \(seed.c:20\)$", out, re.M),
            "thread 2 created by main:\n" + out)
    t.check(re.search(r"10\s+2 \(20.00%\)\s+0  mutex\s+main \(seed.c:22\)", out), out)
    t.check("clock (2 calls): clock_gettime called 2 times" in out, out)
    t.check(re.search(r"/etc/seed.conf$", out, re.M) and "I/O Time: 2.000 ms" in out, out)
    out = annotate(t, ["--sections=heap,io", os.path.join(CORPUS, "seed-noheap.json")]).stdout
    t.check("MEMORY PROFILE: not in this profile" in out and "I/O PROFILE:" in out, out)
    out = annotate(t, [os.path.join(CORPUS, "seed-dump.json")]).stdout
    t.check("still running (a dump: 'iteration 3')" in out, out)
    out = annotate(t, [os.path.join(CORPUS, "seed-signal-names.json")]).stdout
    t.check("killed by signal 11 (SIGSEGV)" in out, out)
    # a finding whose evidence is an object (as the tool writes it)
    p = SEEDS.full_profile()
    p["findings"][0]["evidence"] = {"self_ir": 700, "share_permille": 700, "hot": "seed.c:11"}
    p["io"]["time_ms"] = 1.25
    out = annotate(t, [write_json(t, "ev.json", p)]).stdout
    t.check("evidence: self_ir 700, share_permille 700, hot seed.c:11" in out, out)
    t.check("I/O Time: 1.250 ms" in out, out)


def test_annotate_source(t):
    (a,) = work_profiles(t)
    crunch = a.fn("crunch")
    lines = {l[1]: l[2] for l in crunch["lines"]}
    r = annotate(t, ["--function=crunch", a.json_path])
    out = r.stdout
    t.check("CPU PROFILE" not in out, "report printed with only --function")
    t.check("Annotated source: crunch (work.c:" in out, out)
    total = sum(lines.values())
    for ln, ir in lines.items():
        m = re.search(r"^\s+([\d,]+)\s+([\d.]+%%)\s+(>>)?\s+%d  (.*)$" % ln, out, re.M)
        t.check(m, "line %d not annotated:\n%s" % (ln, out))
        t.eq(int(m.group(1).replace(",", "")), ir, "Ir of line %d" % ln)
    hot = max(lines, key=lambda k: lines[k])
    t.check(re.search(r">>\s+%d  .*table\[" % hot, out), "hottest line %d not marked:\n%s"
            % (hot, out))
    t.check(re.search(r"\.\s+\d+  .*return s;", out), "uncosted source lines missing:\n" + out)
    # a moved tree: --path-map, then --source-dir
    moved = t.path("moved/tests/progs")
    os.makedirs(moved)
    shutil.copy(os.path.join(SRC, "tests", "progs", "work.c"), moved)
    p = copy.deepcopy(a.json)
    for f in p["functions"]:
        f["lines"] = [[l[0].replace(SRC, "/gone/tree"), l[1], l[2]] for l in f.get("lines", [])]
        if f["file"]:
            f["file"] = f["file"].replace(SRC, "/gone/tree")
    gone = write_json(t, "gone.json", p)
    out = annotate(t, ["--function=crunch", gone]).stdout
    t.check("source not available" in out and "table[" not in out, out)
    out = annotate(t, ["--function=crunch", "--path-map=/gone/tree=" + t.path("moved"),
                       gone]).stdout
    t.check("table[" in out and "(read from %s/tests/progs/work.c)" % t.path("moved") in out, out)
    out = annotate(t, ["--function=crunch", "--source-dir=" + t.path("moved"), gone]).stdout
    t.check("table[" in out, out)
    # --top-functions: the hottest functions with line figures, in order
    out = annotate(t, ["--top-functions=2", "--context=0", a.json_path]).stdout
    names = re.findall(r"^Annotated source: (\S+)", out, re.M)
    t.eq(names, ["crunch", "mix"], "functions annotated by --top-functions=2")
    r = annotate(t, ["--function=nosuch", a.json_path], expect=2)
    t.check("no function named 'nosuch'" in r.stderr, r.stderr)
    # --lines=no
    (b,) = work_profiles(t, opts=["--lines=no"])
    out = annotate(t, ["--function=crunch", b.json_path]).stdout
    t.check("made with --lines=no" in out, out)
    # both: the report, then the annotation
    out = annotate(t, ["--sections=cpu", "--function=crunch", a.json_path]).stdout
    t.check(out.index("CPU PROFILE") < out.index("Annotated source"), out)


# ---- flame graphs -------------------------------------------------------------------

def frames_of(svg_path):
    tree = ET.parse(svg_path)
    ns = "{http://www.w3.org/2000/svg}"
    out = []
    for g in tree.getroot().iter(ns + "g"):
        if g.get("class") != "f":
            continue
        rect = g.find(ns + "rect")
        out.append({"id": g.get("id"), "name": g.get("data-n"), "value": int(g.get("data-v")),
                    "depth": int(g.get("data-d")), "x": float(rect.get("x")),
                    "w": float(rect.get("width")), "y": float(rect.get("y")),
                    "fill": rect.get("fill"), "title": g.find(ns + "title").text})
    return tree.getroot(), out


def folded_total(path):
    total = 0
    with open(path) as f:
        for line in f:
            m = re.match(r"^(.*) (\d+)$", line.rstrip("\n"))
            assert m, "folded line %r" % line
            total += int(m.group(2))
    return total


def test_flamegraph_svg(t):
    (a,) = work_profiles(t)
    svg, folded = t.path("w.svg"), t.path("w.folded")
    annotate(t, ["--flamegraph=" + svg, "--folded=" + folded, a.json_path])
    with open(svg, "rb") as f:
        data = f.read()
    annotate(t, ["--flamegraph=" + t.path("w2.svg"), a.json_path])
    with open(t.path("w2.svg"), "rb") as f:
        t.check(f.read() == data, "the SVG is not deterministic")
    text = data.decode()
    # self-contained: no external reference of any kind
    t.check(not re.search(r"(href|src)\s*=|@import|url\(", text), "external reference in the SVG")
    t.eq(re.findall(r"https?://[^\"' ]+", text), ["http://www.w3.org/2000/svg"] * 2,
         "URLs in the SVG (only the SVG namespace)")
    root, frames = frames_of(svg)
    total = a.json["totals"]["instructions"]
    t.eq(frames[0]["name"], "all", "first frame")
    t.eq(frames[0]["value"], total, "root value = total instructions")
    t.eq(folded_total(folded), total, "folded stacks sum to the total")
    width = int(root.get("width"))
    full = width - 20
    crunch = [f for f in frames if f["name"] == "crunch"]
    t.eq(len(crunch), 1, "one crunch frame (one call path)")
    t.close(crunch[0]["w"], full * a.fn("crunch")["incl_ir"] / total, 0.001, "crunch width")
    t.check("crunch (work.c:" in crunch[0]["title"] and "{:,}".format(crunch[0]["value"])
            in crunch[0]["title"], crunch[0]["title"])
    # children inside their parents, siblings side by side
    for f in frames[1:]:
        t.check(f["x"] >= 10 - 0.01 and f["x"] + f["w"] <= width - 10 + 0.02,
                "frame %s outside the graph" % f["name"])
    # --width, --title
    annotate(t, ["--flamegraph=" + t.path("n.svg"), "--width=600", "--title=T<&>", a.json_path])
    root, _ = frames_of(t.path("n.svg"))
    t.eq(root.get("width"), "600", "--width")
    t.check("T&lt;&amp;&gt;" in open(t.path("n.svg")).read(), "title escaped")
    # bytes: from the heap sites and the leak records (synthetic)
    full_p = os.path.join(CORPUS, "seed-full.json")
    sp = json.load(open(full_p))
    annotate(t, ["--metric=alloc_bytes", "--folded=" + t.path("a.folded"),
                 "--flamegraph=" + t.path("a.svg"), full_p])
    t.eq(folded_total(t.path("a.folded")), sum(s["bytes"] for s in sp["heap"]["sites"]),
         "alloc_bytes folded total")
    t.eq(open(t.path("a.folded")).read().splitlines()[0],
         "__libc_start_main;main;malloc 160", "alloc stack, outermost first")
    annotate(t, ["--metric=leaked_bytes", "--folded=" + t.path("l.folded"), full_p])
    lk = sp["leaks"]
    t.eq(folded_total(t.path("l.folded")),
         lk["definitely_lost"]["bytes"] + lk["indirectly_lost"]["bytes"],
         "leaked_bytes total = definitely + indirectly lost (nothing counted twice)")
    # missing data
    r = annotate(t, ["--metric=alloc_bytes", "--flamegraph=" + t.path("x.svg"),
                     os.path.join(CORPUS, "seed-noheap.json")], expect=1)
    t.check('no heap profile ("heap"; profile made with --heap=no?)' in r.stderr, r.stderr)
    r = annotate(t, ["--flamegraph=" + t.path("x.svg"), os.path.join(CORPUS, "seed-nocpu.json")],
                 expect=1)
    t.check("no call paths" in r.stderr, r.stderr)
    r = annotate(t, ["--flamegraph=" + t.path("nodir/x.svg"), a.json_path], expect=1)
    t.check("cannot write" in r.stderr and "nodir/x.svg" in r.stderr, r.stderr)


def test_flamegraph_bytes_real(t):
    """Bytes flame graphs of the sample agent (which leaks one audit record
    and its note per coal request): the allocation graph adds up to the
    heap's total bytes, the leak graph to the definitely plus indirectly
    lost bytes, each block once."""
    agent = os.path.join(t.build, "examples", "agent")
    r = t.glprof([agent, "--input", os.path.join(SRC, "examples", "requests.csv"),
                  "--output", t.path("out.jsonl"), "--requests", "30"])
    p = r.json
    t.check(p.get("heap", {}).get("sites"), "the tool wrote no heap sites")
    annotate(t, ["--metric=alloc_bytes", "--folded=" + t.path("a.folded"),
                 "--flamegraph=" + t.path("a.svg"), r.json_path])
    t.eq(folded_total(t.path("a.folded")), p["heap"]["total_bytes"],
         "alloc_bytes graph total = heap.total_bytes")
    _, frames = frames_of(t.path("a.svg"))
    t.eq(frames[0]["value"], p["heap"]["total_bytes"], "root of the alloc_bytes graph")
    annotate(t, ["--metric=leaked_bytes", "--folded=" + t.path("l.folded"), r.json_path])
    lost = p["leaks"]["definitely_lost"]["bytes"] + p["leaks"]["indirectly_lost"]["bytes"]
    t.check(lost > 0, "the agent leaked nothing with 30 requests")
    t.eq(folded_total(t.path("l.folded")), lost, "leaked_bytes graph total")
    t.check(all(";record_coal_audit" in l for l in open(t.path("l.folded"))),
            "leaks not at record_coal_audit:\n" + open(t.path("l.folded")).read())
    # and the report re-rendered shows the same leak summary as the tool's
    out = annotate(t, ["--sections=leaks", r.json_path]).stdout
    t.check(re.search(r"definitely lost:\s+%s bytes in\s+%d blocks" % (
        "{:,}".format(p["leaks"]["definitely_lost"]["bytes"]), p["leaks"]["definitely_lost"]["blocks"]),
        out), out)
    t.check(re.search(r"definitely lost:\s+[\d,]+ bytes", r.report()), "tool report:\n" + r.report())


def read_png(path):
    """Decodes an 8-bit RGB/RGBA PNG (what Chromium writes) into rows of
    (r, g, b) tuples."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), "PNG depth %d type %d" % (depth, ctype)
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        ftype, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 255
            elif ftype == 2:
                line[x] = (line[x] + b) & 255
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x:x + 3]) for x in range(0, stride, bpp)])
        prev = line
    return rows


def chromium(t, url, out_png=None, dump_dom=False):
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    t.check(exe, "chromium is not installed (tools/deps.sh: apt-get install chromium)")
    profile = t.path("chromium-profile-%d" % len(os.listdir(t.dir)))
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--hide-scrollbars", "--user-data-dir=" + profile, "--window-size=1200,800"]
    cmd += ["--screenshot=" + out_png] if out_png else []
    cmd += ["--dump-dom"] if dump_dom else []
    r = subprocess.run(cmd + [url], capture_output=True, text=True, errors="replace", timeout=120)
    t.eq(r.returncode, 0, "chromium failed:\n" + r.stderr[-2000:])
    return r.stdout


def rgb(fill):
    return tuple(int(x) for x in re.match(r"rgb\((\d+),(\d+),(\d+)\)", fill).groups())


def span(row, colour, tol=6):
    """Columns of a pixel row within tol of colour."""
    return sum(1 for p in row if all(abs(p[i] - colour[i]) <= tol for i in range(3)))


def test_flamegraph_chromium(t):
    """The SVG in a real browser: the picture has the frames where the SVG
    says, the script runs (search and zoom from the URL fragment)."""
    (a,) = work_profiles(t)
    svg = t.path("w.svg")
    annotate(t, ["--flamegraph=" + svg, a.json_path])
    root, frames = frames_of(svg)
    png = t.path("w.png")
    chromium(t, "file://" + svg, out_png=png)
    rows = read_png(png)
    t.eq((len(rows[0]), len(rows)), (1200, 800), "screenshot size")
    colours = set()
    for row in rows[::8]:
        colours.update(row[::8])
    t.check(len(colours) > 8, "the picture is nearly blank (%d colours)" % len(colours))
    width = int(root.get("width"))
    for f, want in ((frames[0], 0.97), ([x for x in frames if x["name"] == "crunch"][0], 0.95)):
        y = int(f["y"] + 7)
        got = span(rows[y], rgb(f["fill"]))
        share = f["w"] / (width - 20)
        t.check(got >= want * share * (width - 20),
                "frame %s (%s, %.1f%% wide) covers %d of %d pixels of row %d"
                % (f["name"], f["fill"], 100 * share, got, width, y))
    # a thin frame is thin in the picture too
    mix = [x for x in frames if x["name"] == "mix"][0]
    t.check(span(rows[int(mix["y"] + 7)], rgb(mix["fill"]), tol=2) < 60,
            "the 'mix' frame is drawn far wider than its %.1f px" % mix["w"])
    # the DOM after the script ran: search from the fragment
    dom = chromium(t, "file://" + svg + "#search=crunch", dump_dom=True)
    t.check('data-ready="1"' in dom, "the script did not finish:\n" + dom[:2000])
    t.check('data-matched="1"' in dom, "search found no frame")
    share = a.fn("crunch")["incl_ir"] / a.json["totals"]["instructions"]
    t.check("Matched: %.2f%%" % (100 * share) in dom, "search share missing:\n" +
            re.search(r'<text id="matched".*?</text>', dom).group(0))
    # zoom on 'mix' from the fragment: it spans the whole width in the picture
    png2 = t.path("zoom.png")
    chromium(t, "file://" + svg + "#zoom=" + mix["id"], out_png=png2)
    rows = read_png(png2)
    got = span(rows[int(mix["y"] + 7)], rgb(mix["fill"]))
    t.check(got >= 0.95 * (width - 20), "zoomed 'mix' covers only %d pixels" % got)


# ---- man pages, installation -------------------------------------------------------

def test_man_pages(t):
    man = os.path.join(SRC, "docs", "man")
    for page in ("glprof.1", "glprof_diff.1", "glprof_annotate.1"):
        path = os.path.join(man, page)
        r = subprocess.run(["groff", "-man", "-ww", "-z", "-t", path], capture_output=True,
                           text=True)
        t.eq((r.returncode, r.stderr), (0, ""), "groff warnings in " + page)
        r = subprocess.run(["man", "-l", "-P", "cat", path], capture_output=True, text=True,
                           env=dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8"))
        t.check(r.returncode == 0 and "SYNOPSIS" in r.stdout, "man -l %s:\n%s" % (page, r.stderr))
    # every option of --help is documented in the man page, and the reverse
    for name in ("glprof_diff", "glprof_annotate"):
        helptext = host(t, name, ["--help"]).stdout
        opts = set(re.findall(r"(--[a-z][a-z-]+)", helptext))
        page = open(os.path.join(man, name + ".1")).read().replace("\\-", "-")
        t.check(len(opts) >= 4, opts)
        for o in opts:
            t.check(o in page, "%s.1 does not document %s" % (name, o))
        for o in set(re.findall(r"^\.TP\n\\fB(--[a-z-]+)", open(os.path.join(man, name + ".1"))
                                .read().replace("\\-", "-"), re.M)):
            t.check(o in helptext, "%s --help lacks %s (in the man page)" % (name, o))
    # glprof.1 lists every option of docs/options.md and of the tool's --help
    opts_md = open(os.path.join(SRC, "docs", "options.md")).read()
    page = open(os.path.join(man, "glprof.1")).read().replace("\\-", "-")
    for o in set(re.findall(r"^\| `(--[a-z0-9-]+)", opts_md, re.M)):
        t.check(o in page, "glprof.1 does not list %s (docs/options.md has it)" % o)
    r = t.valgrind("glprof", ["--help"], expect_exit=0)
    usage = r.stdout.split("user options for glprof", 1)[-1].split("debugging options")[0]
    opts = set(re.findall(r"(?:^\s+|, )(--[a-z0-9-]+)", usage, re.M))
    t.check(len(opts) >= 20, "few options in glprof's --help: %s" % sorted(opts))
    for o in opts:
        t.check(o in page, "glprof.1 does not list %s (valgrind --tool=glprof --help has it)" % o)


def test_install(t):
    dest = t.path("dest")
    r = subprocess.run(["make", "-C", t.build, "install-binPROGRAMS", "install-man",
                        "DESTDIR=" + dest], capture_output=True, text=True)
    t.eq(r.returncode, 0, "make install:\n" + r.stdout[-2000:] + r.stderr[-2000:])
    found = {os.path.relpath(os.path.join(d, f), dest) for d, _, fs in os.walk(dest) for f in fs}
    for want in ("bin/glprof_diff", "bin/glprof_annotate", "share/man/man1/glprof.1",
                 "share/man/man1/glprof_diff.1", "share/man/man1/glprof_annotate.1"):
        t.check(any(f.endswith(want) for f in found), "%s not installed: %s" % (want, sorted(found)))
    exe = [os.path.join(dest, f) for f in found if f.endswith("bin/glprof_diff")][0]
    r = subprocess.run([exe, "--version"], capture_output=True, text=True)
    t.check(r.returncode == 0 and r.stdout.startswith("glprof_diff (glprof) "), r.stdout)


# ---- the CI recipe -------------------------------------------------------------------

def test_ci_script(t):
    """ci/glprof-regression.sh end to end on the sample agent: it builds the
    program, profiles it, stores a baseline, passes on the same build,
    fails with exit 3 on a slower variant, and publishes the Markdown table
    to $GITHUB_STEP_SUMMARY."""
    script = os.path.join(SRC, "ci", "glprof-regression.sh")
    agent = t.path("agent")
    baseline = t.path("baseline/agent.glprof.json")
    summary = t.path("summary.md")
    env = dict(os.environ)
    env.pop("GITHUB_STEP_SUMMARY", None)
    env.update(SAN_ENV)
    env.update({"VALGRIND": t.vg, "GLPROF_DIFF": prog(t, "glprof_diff")})
    build = "cc -O2 -g -pthread -o %s %s/examples/agent.c" % (agent, SRC)

    def run(requests, extra=(), summary_file=None, expect=0):
        e = dict(env)
        if summary_file:
            e["GITHUB_STEP_SUMMARY"] = summary_file
        cmd = ["sh", script, "--build", build, "--baseline", baseline,
               "--profile", t.path("current.json")] + list(extra) + [
               "--", agent, "--input", os.path.join(SRC, "examples", "requests.csv"),
               "--output", t.path("out.jsonl"), "--requests", str(requests)]
        r = subprocess.run(cmd, capture_output=True, text=True, env=e, cwd=t.dir, timeout=600)
        t.check(r.returncode == expect, "%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s"
                % (" ".join(cmd), r.returncode, expect, r.stdout[-3000:], r.stderr[-3000:]))
        return r

    r = run(2, expect=1)                          # no baseline yet
    t.check("no baseline" in r.stderr and "--update-baseline" in r.stderr, r.stderr)
    run(2, ["--update-baseline"])
    t.check(os.path.exists(baseline), "baseline not stored")
    r = run(2, ["--runs", "2"], summary_file=summary)   # the same build, twice: passes
    t.check("Speedup: 1.00x" in r.stdout and "(2 runs, identical)" in r.stdout, r.stdout)
    md = open(summary).read()
    t.check(md.startswith("### glprof: ") and "no regression" in md.splitlines()[0], md)
    r = run(3, summary_file=summary, expect=3)    # more requests: slower
    t.check("REGRESSION" in r.stdout, r.stdout)
    md = open(summary).read()
    t.check(md.count("### glprof: ") == 2 and "\u274c regression" in md, md)
    # a bad limit is a usage error of the script's caller, not a regression
    run(2, ["--limit", "bogus=1%"], expect=2)
    # Valgrind hands the CPU to threads in turn (repeatable joins and
    # wake-ups), unless the caller's own option, which comes later, says no
    argv_log = t.path("valgrind-args.txt")
    wrapper = t.path("valgrind-wrapper.sh")
    with open(wrapper, "w") as f:
        f.write('#!/bin/sh\nprintf "%%s\\n" "$*" >> %s\nexec %s "$@"\n' % (argv_log, t.vg))
    os.chmod(wrapper, 0o755)
    env["VALGRIND"] = wrapper
    run(2)
    run(2, ["--glprof-option", "--fair-sched=no"])
    calls = open(argv_log).read().splitlines()
    t.eq(len(calls), 2, "valgrind runs")
    t.check("--fair-sched=try" in calls[0].split(), calls[0])
    args = calls[1].split()
    t.check("--fair-sched=no" in args and args.index("--fair-sched=no")
            > args.index("--fair-sched=try"), calls[1])
    # the workflow file uses the script and publishes the summary
    wf = open(os.path.join(SRC, "ci", "github-actions.yml")).read()
    t.check("ci/glprof-regression.sh" in wf and "GITHUB_STEP_SUMMARY" not in wf.split("run:")[0],
            "workflow does not run the script")
