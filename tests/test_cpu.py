"""CPU profile: per-function self/inclusive instructions and calls against
Callgrind run on the same binary in the same test, on programs with
recursion, longjmp, signals, C++ exceptions, threads, tail calls, a stripped
binary and bzip2; determinism; forks and exec."""

import glob
import json
import os
import re

from gptest import real


def own(name, obj_suffix):
    return os.path.basename(obj_suffix)


def addr_key(name):
    """Callgrind writes unnamed code as 0x%016lx, glprof as 0x%lx."""
    if re.match(r"^0x[0-9a-f]+$", name):
        return "0x%x" % int(name, 16)
    return name


def compare_with_callgrind(t, r, cg, obj, min_share=0.001, self_tol=0.001,
                           check_calls=True, skip=()):
    """Every function of object 'obj' with at least min_share of the total:
    self within self_tol of Callgrind's, calls equal.  Every function:
    self <= incl <= total."""
    total = r.json["totals"]["instructions"]
    t.close(total, cg.total, 0.005, "total instructions vs callgrind")
    mine = {}
    for f in r.json["functions"]:
        if os.path.basename(f["object"]) == obj:
            mine[addr_key(f["name"])] = f
    checked = 0
    for (name, o), v in cg.fns.items():
        if os.path.basename(o) != obj or v["self"] < min_share * cg.total:
            continue
        if name in skip:
            continue
        key = addr_key(name)
        t.check(key in mine, "callgrind has %s (self %d) in %s, glprof does not; glprof has %s"
                % (name, v["self"], obj, sorted(mine)[:40]))
        t.close(mine[key]["self_ir"], v["self"], self_tol, "self of %s" % name)
        if check_calls:
            t.eq(mine[key]["calls"], v["calls"], "calls of %s" % name)
        checked += 1
    t.check(checked > 0, "no function of %s compared" % obj)
    for f in r.json["functions"]:
        t.check(f["self_ir"] <= f["incl_ir"] <= total,
                "%s: self %d <= incl %d <= total %d violated" % (f["name"], f["self_ir"], f["incl_ir"], total))
    return checked


def check_paths(t, r):
    """The call-path table: parents come first, self sums to the total,
    a node's inclusive covers its children's."""
    paths = r.json["paths"]["nodes"]
    cols = r.json["paths"]["columns"]
    P, S, I = cols.index("parent"), cols.index("self_ir"), cols.index("incl_ir")
    total = r.json["totals"]["instructions"]
    t.eq(sum(n[S] for n in paths), total, "sum of path self instructions")
    kids = {}
    for i, n in enumerate(paths):
        t.check(n[P] < i, "path %d has parent %d after it" % (i, n[P]))
        kids.setdefault(n[P], 0)
        kids[n[P]] += n[I]
    for i, n in enumerate(paths):
        t.check(n[S] <= n[I], "path %d: self > incl" % i)


def test_work_vs_callgrind(t):
    prog = t.prog("work")
    r = t.glprof([prog, "100"])
    cg = t.callgrind([prog, "100"])
    compare_with_callgrind(t, r, cg, os.path.basename(prog))
    t.eq(r.fn("mix")["calls"], 100 * 100, "mix calls")
    t.eq(r.fn("crunch")["calls"], 100, "crunch calls")
    check_paths(t, r)


def test_recursion_vs_callgrind(t):
    prog = t.prog("recursion")
    r = t.glprof([prog, "24", "3000"])
    cg = t.callgrind([prog, "24", "3000"])
    compare_with_callgrind(t, r, cg, os.path.basename(prog))
    fib = r.fn("fib")
    # fib(24) makes 150049 calls; inclusive is never double counted
    t.eq(fib["calls"], 150049, "fib calls")
    t.check(fib["incl_ir"] < r.json["totals"]["instructions"], "fib inclusive below total")
    main = r.fn("main")
    t.check(fib["incl_ir"] < main["incl_ir"], "fib inclusive inside main's")
    t.eq(r.fn("deep")["calls"], 3001, "deep calls")
    # the 3000-deep recursion folds: call paths stay few
    t.check(r.json["totals"]["call_paths"] < 2000,
            "call paths bounded: %d" % r.json["totals"]["call_paths"])
    t.check(r.json["totals"]["max_stack_depth"] >= 3000, "max stack depth seen")
    check_paths(t, r)


def test_longjmp_vs_callgrind(t):
    prog = t.prog("jumps")
    r = t.glprof([prog, "200", "100"])
    cg = t.callgrind([prog, "200", "100"])
    compare_with_callgrind(t, r, cg, os.path.basename(prog))
    t.eq(r.fn("dive")["calls"], 200 * 101, "dive calls")
    # longjmp pops the abandoned frames: the stack never grows past one dive
    t.check(r.json["totals"]["max_stack_depth"] < 101 + 30,
            "stack depth %d" % r.json["totals"]["max_stack_depth"])
    aj = r.fn("after_jump")
    t.eq(aj["calls"], 200, "after_jump calls")
    t.eq(aj["self_ir"], aj["incl_ir"], "after_jump is a leaf")
    check_paths(t, r)


def test_signals_vs_callgrind(t):
    prog = t.prog("signals")
    r = t.glprof([prog])
    cg = t.callgrind([prog])
    compare_with_callgrind(t, r, cg, os.path.basename(prog))
    t.eq(r.fn("handler_work")["calls"], 150, "handler_work calls")
    t.check(r.json["totals"]["max_stack_depth"] < 40,
            "stack depth %d after 50 siglongjmps" % r.json["totals"]["max_stack_depth"])
    check_paths(t, r)


def test_signal_returns_counted_exactly(t):
    """Every instruction of a signal's delivery and return is counted once:
    the instructions generated code has not yet folded into the total live
    in the guest state, which the core saves when a signal comes and
    restores at sigreturn (gp_tool.h).  The difference between runs with
    600 and 300 signals is exact work per signal, and must equal
    Cachegrind's to the instruction (Callgrind misses two per sigreturn,
    so it is no oracle here)."""
    p = t.prog("sig_count")
    mine = [t.glprof([p, str(n)], ["--heap=no"]).json["totals"]["instructions"]
            for n in (300, 600)]
    theirs = [t.cachegrind_total([p, str(n)]) for n in (300, 600)]
    t.check(theirs[1] - theirs[0] > 300 * 20, "Cachegrind counts the signals' work: %s" % theirs)
    t.eq(mine[1] - mine[0], theirs[1] - theirs[0], "instructions of 300 more signals")


def test_exceptions_vs_callgrind(t):
    prog = t.prog("exceptions")
    r = t.glprof([prog, "100", "100"])
    cg = t.callgrind([prog, "100", "100"])
    compare_with_callgrind(t, r, cg, os.path.basename(prog))
    t.eq(r.fn("thrower(int)")["calls"], 100 * 101, "thrower calls")
    t.check(r.json["totals"]["max_stack_depth"] < 101 + 60,
            "stack depth %d" % r.json["totals"]["max_stack_depth"])
    check_paths(t, r)


def test_threads_vs_callgrind(t):
    prog = t.prog("threads")
    r = t.glprof([prog, "4"])
    cg = t.callgrind([prog, "4"])
    compare_with_callgrind(t, r, cg, os.path.basename(prog))
    th = r.json["threads"]
    t.eq(len(th), 5, "threads")
    t.eq(sum(x["instructions"] for x in th), r.json["totals"]["instructions"],
         "threads sum to the total")
    # worker k did k+1 units: thread instruction counts grow with k
    unit = r.fn("unit_of_work")["self_ir"] / 10
    for k in range(4):
        t.close(th[k + 1]["instructions"], (k + 1) * unit, 0.02, "thread %d" % (k + 2))
    t.eq(r.fn("unit_of_work")["calls"], 10, "unit_of_work calls")
    check_paths(t, r)


def test_threads_in_one_function_keep_fast_paths(t):
    """Two threads inside worker() at once: the second one's activation of
    worker is counted in its own map, and its 200,000 calls of leaf() must
    still take the call stack's fast path (they all took the general one
    before: 400,043 slow calls of 401,503).  Figures as Callgrind's."""
    prog = t.prog("threads_shared")
    n = 200000
    r = t.glprof([prog, str(n)], opts=["--stats=yes"])
    m = re.search(r"glprof: calls ([\d,]+): slow path ([\d,]+)", r.stderr)
    t.check(m is not None, "call statistics printed")
    calls, slow = (int(x.replace(",", "")) for x in m.groups())
    t.check(slow * 100 < calls, "calls on the general path: %d of %d" % (slow, calls))
    t.eq(r.fn("leaf")["calls"], 2 * n, "leaf calls")
    t.eq(r.fn("worker")["calls"], 2, "worker calls")
    w = r.fn("worker")
    t.check(w["incl_ir"] >= w["self_ir"] + r.fn("leaf")["self_ir"],
            "worker's inclusive covers both threads' leaf calls")
    cg = t.callgrind([prog, str(n)])
    compare_with_callgrind(t, r, cg, os.path.basename(prog))


def test_tailcalls_vs_callgrind(t):
    prog = t.prog("tailcalls")
    r = t.glprof([prog])
    cg = t.callgrind([prog])
    compare_with_callgrind(t, r, cg, os.path.basename(prog))
    t.eq(r.fn("leaf")["calls"], 20000, "leaf calls (tail-called)")
    check_paths(t, r)


def test_tail_call_chains_take_fast_paths(t):
    """--stats=yes counts the call stack's slow paths.  Every leaf() is
    reached by a tail call from middle() and returns with middle()'s frame:
    each tail call is counted, and the two frames go in the return's fast
    path (none reaches the general one).  The figures stay Callgrind's
    (test_tailcalls_vs_callgrind)."""
    prog = t.prog("tailcalls")
    r = t.glprof([prog], opts=["--stats=yes"])
    m = re.search(r"glprof: calls ([\d,]+): slow path [\d,]+ \(PLT [\d,]+\), "
                  r"tail calls ([\d,]+)", r.stderr)
    t.check(m is not None, "call statistics printed")
    t.eq(int(m.group(1).replace(",", "")), r.json["totals"]["calls"], "calls in the statistics")
    t.check(int(m.group(2).replace(",", "")) >= r.fn("leaf")["calls"] == 20000,
            "every tail call of leaf counted")
    m = re.search(r"glprof: returns: slow path ([\d,]+)", r.stderr)
    t.check(m is not None, "return statistics printed")
    t.check(int(m.group(1).replace(",", "")) < 100,
            "returns of tail-called frames take the fast path: %s slow" % m.group(1))


def indir_transfers(r):
    """Valgrind's own --stats=yes count of jumps that went through its
    dispatcher (returns, calls and jumps to computed addresses)."""
    m = re.search(r"scheduler: ([\d,]+) indir transfers", r.stderr)
    if m is None:
        raise AssertionError("no dispatcher statistics in stderr")
    return int(m.group(1).replace(",", ""))


def test_direct_jumps_same_figures_fewer_dispatches(t):
    """--direct-jumps (gp_predict.h): returns, calls through pointers and
    switch jumps get a direct exit to the target they took first.  The
    figures are Callgrind's and identical with the guesses off; one_site()
    returns to one place, so its 100,000 returns (at least) no longer go
    through Valgrind's dispatcher."""
    prog = t.prog("indirect")
    n = 100000
    on = t.glprof([prog, str(n)], opts=["--stats=yes"])
    off = t.glprof([prog, str(n)], opts=["--stats=yes", "--direct-jumps=no"])
    for key in ("totals", "functions", "calls", "paths"):
        t.eq(json.dumps(on.json[key], sort_keys=True), json.dumps(off.json[key], sort_keys=True),
             "table %s the same with and without guessed exits" % key)
    saved = indir_transfers(off) - indir_transfers(on)
    t.check(saved >= n, "dispatcher jumps: %d with guessed exits, %d without (want %d fewer)"
            % (indir_transfers(on), indir_transfers(off), n))
    t.check(re.search(r"direct exits guessed for indirect jumps: returns [1-9]", on.stderr),
            "guessed returns counted under --stats=yes")
    cg = t.callgrind([prog, str(n)])
    compare_with_callgrind(t, on, cg, os.path.basename(prog))
    for f, calls in (("one_site", n), ("two_sites", n), ("op_add", len(range(0, n, 3))),
                     ("op_mul", len(range(1, n, 3))), ("op_neg", len(range(2, n, 3))),
                     ("dispatch", n)):
        t.eq(on.fn(f)["calls"], calls, "calls of %s" % f)


def test_stripped_vs_callgrind(t):
    prog = t.prog("work", strip=True)
    r = t.glprof([prog, "50"])
    cg = t.callgrind([prog, "50"])
    n = compare_with_callgrind(t, r, cg, os.path.basename(prog), check_calls=False)
    names = [f["name"] for f in r.json["functions"]
             if os.path.basename(f["object"]) == os.path.basename(prog)]
    t.check(all(re.match(r"^0x[0-9a-f]+$", x) for x in names),
            "unnamed code appears as addresses: %s" % names)


def test_determinism(t):
    prog = t.prog("recursion")
    a = t.glprof([prog, "18", "200"]).json
    b = t.glprof([prog, "18", "200"]).json
    for key in ("totals", "functions", "calls", "paths"):
        t.eq(json.dumps(a[key], sort_keys=True), json.dumps(b[key], sort_keys=True),
             "table %s identical across runs" % key)


def px_counts(r):
    """Valgrind's --stats=yes count of translations per register-update
    policy (--vex-iropt-register-updates)."""
    m = re.search(r"PX: SPonly ([\d,]+),\s+UnwRegs ([\d,]+),\s+AllRegs ([\d,]+)", r.stderr)
    if m is None:
        raise AssertionError("no PX statistics in stderr")
    return tuple(int(g.replace(",", "")) for g in m.groups())


def test_register_updates_as_callgrind(t):
    """glprof translates with the register-update policy Callgrind uses
    (sp-at-mem-access: registers exact at superblock ends, SP at memory
    accesses); the profile is the same under the core's default policy;
    and the documented options give a program that resumes after a
    SIGSEGV it handles (an mprotect write barrier) its native result."""
    prog = t.prog("recursion")
    r = t.glprof([prog, "14", "50"], opts=["--stats=yes"])
    sp, unw, allr = px_counts(r)
    t.check(sp > 0 and unw == 0 and allr == 0, "glprof: SPonly %d, UnwRegs %d, AllRegs %d" % (sp, unw, allr))
    cg = t.valgrind("callgrind", [prog, "14", "50"],
                    ["--stats=yes", "--callgrind-out-file=" + t.path("cg.px")])
    cg_sp, cg_unw, cg_all = px_counts(cg)
    t.check(cg_sp > 0 and cg_unw == 0 and cg_all == 0,
            "callgrind's own policy: SPonly %d, UnwRegs %d, AllRegs %d" % (cg_sp, cg_unw, cg_all))
    core = ["--vex-iropt-register-updates=unwindregs-at-mem-access",
            "--px-file-backed=unwindregs-at-mem-access"]
    u = t.glprof([prog, "14", "50"], opts=["--stats=yes"] + core)
    t.check(px_counts(u)[0] == 0 and px_counts(u)[1] > 0, "the user's policy wins: %s" % (px_counts(u),))
    for key in ("totals", "functions", "calls", "paths"):
        t.eq(json.dumps(r.json[key], sort_keys=True), json.dumps(u.json[key], sort_keys=True),
             "table %s the same under either policy" % key)
    fr = t.prog("fault_resume")
    native = t.run([fr])
    t.eq(native.stdout, "counter 6 stored 42 faults 1\n", "native result")
    exact = ["--vex-iropt-register-updates=allregs-at-mem-access",
             "--px-file-backed=allregs-at-mem-access"]
    a = t.glprof([fr], opts=exact)
    t.eq(a.stdout, native.stdout, "fault resumed exactly with the documented options")


def test_lines_sum_to_self(t):
    prog = t.prog("work")
    r = t.glprof([prog, "20"])
    crunch = r.fn("crunch")
    t.check(crunch["lines"], "crunch has per-line counts")
    t.eq(sum(l[2] for l in crunch["lines"]), crunch["self_ir"], "crunch lines sum to self")
    hot = crunch["lines"][0]
    t.check(hot[0].endswith("work.c") and 24 <= hot[1] <= 26, "hottest line in the loop: %s" % hot)
    cg = t.callgrind([prog, "20"])
    theirs = {k[3]: v for k, v in cg.lines.items() if k[0] == "crunch"}
    for f, line, ir in crunch["lines"]:
        t.eq(ir, theirs.get(line, 0), "crunch line %d vs callgrind" % line)
    r2 = t.glprof([prog, "20"], ["--lines=no"])
    t.check("lines" not in r2.fn("crunch"), "--lines=no writes no lines")
    t.eq(r2.json["totals"]["instructions"], r.json["totals"]["instructions"],
         "--lines does not change counts")


def test_fork_child_profile(t):
    prog = t.prog("forks")
    r = t.glprof([prog], json_name="prof.%p.json")
    files = sorted(glob.glob(t.path("prof.*.json")))
    t.eq(len(files), 2, "parent and child profiles")
    profs = [json.load(open(f)) for f in files]
    parent = [p for p in profs if p["exit"].get("status") == 0][0]
    child = [p for p in profs if p["exit"].get("status") == 3][0]
    names = lambda p: {f["name"] for f in p["functions"] if f["self_ir"] > 0}
    t.check("parent_work" in names(parent) and "child_work" not in names(parent),
            "parent profile has its own work only")
    t.check("child_work" in names(child) and "parent_work" not in names(child),
            "child profile starts at the fork")
    t.check(child["totals"]["instructions"] < parent["totals"]["instructions"],
            "child counted separately")
    t.eq(child["ppid"], parent["pid"], "child's parent")


def test_exec_child_profile(t):
    prog = t.prog("forks")
    work = t.prog("work")
    t.glprof([prog, work, "5"], ["--trace-children=yes"], json_name="prof.%p.json")
    profs = [json.load(open(f)) for f in glob.glob(t.path("prof.*.json"))]
    execd = [p for p in profs if p["command"].startswith(work)]
    t.eq(len(execd), 1, "the exec'd program has its own profile")
    t.check(any(f["name"] == "crunch" for f in execd[0]["functions"]), "exec'd program profiled")


def test_plt_calls_vs_callgrind(t):
    """Calls through PLT stubs, with lazy binding and with LD_BIND_NOW:
    the caller's self (which holds the stubs' instructions, as in
    Callgrind) and the C library functions' self and calls equal
    Callgrind's (the IFUNC strspn runs as its selected variant).  The
    loop's calls are translated before their stubs, whose slot and length
    glprof then reads from their code (--stats): with LD_BIND_NOW those
    calls jump past the stubs, and the stubs' instructions they count
    keep plt_loop's self equal to Callgrind's."""
    prog = t.prog("plt_calls")
    for env in ({}, {"LD_BIND_NOW": "1"}):
        r = t.glprof([prog, "20000"], ["--stats=yes"], env=env)
        m = re.search(r"given a direct exit past it: ([\d,]+) .* ([\d,]+) stubs read from their code",
                      r.stderr)
        t.check(m is not None and int(m.group(2).replace(",", "")) >= 2,
                "stubs read from their code %s: %s" % (env, m and m.group(0)))
        cg = t.callgrind([prog, "20000"], env=env)
        compare_with_callgrind(t, r, cg, os.path.basename(prog))
        compare_with_callgrind(t, r, cg, "libc.so.6", min_share=0.01)
        t.eq(r.fn("plt_loop")["self_ir"], cg.fns[("plt_loop", cg_obj(cg, "plt_loop"))]["self"],
             "plt_loop self (stubs included) %s" % env)
        t.check(r.fn("strtol")["calls"] >= 20000, "strtol called through the PLT %s" % env)


def test_plt_slot_rewritten_vs_callgrind(t):
    """A program that points a PLT stub's GOT slot at another function
    after using it (as hooking libraries do): glprof keeps the function a
    slot led to, so the callee's entry test must notice the change.  Every
    call is booked to the function that ran, as Callgrind books it, with
    lazy binding and with LD_BIND_NOW."""
    n, m = 30000, 20000     # the loader's own work differs under the two
    prog = t.prog("plt_rewrite")  # tools' preloads: keep it a small share
    for env in ({}, {"LD_BIND_NOW": "1"}):
        r = t.glprof([prog, str(n), str(m)], ["--stats=yes"], env=env)
        t.check(re.search(r"given a direct exit past it: [1-9]", r.stderr),
                "the loop's call jumps past the stub (--stats) %s" % env)
        off = t.glprof([prog, str(n), str(m)], ["--direct-jumps=no"], env=env)
        for key in ("totals", "functions", "calls", "paths"):
            t.eq(json.dumps(r.json[key], sort_keys=True), json.dumps(off.json[key], sort_keys=True),
                 "table %s the same without direct exits %s" % (key, env))
        cg = t.callgrind([prog, str(n), str(m)], env=env)
        compare_with_callgrind(t, r, cg, os.path.basename(prog))
        compare_with_callgrind(t, r, cg, "libc.so.6", min_share=0.001)
        t.eq(r.fn("strtoul")["calls"], m, "strtoul called through the rewritten slot %s" % env)
        t.check(r.fn("strtol")["calls"] >= n, "strtol called before the rewrite %s" % env)
        check_paths(t, r)


def test_allocator_calls_vs_callgrind(t):
    """Allocation-heavy code: the caller's own instructions and its calls
    of malloc, calloc, realloc and free equal Callgrind's; the replaced
    allocator (Valgrind's, in glprof's preload) is called but its own
    instructions are not counted (Callgrind counts glibc's allocator
    there, which does not run under glprof)."""
    n = 3000
    prog = t.prog("alloc_calls")
    r = t.glprof([prog, str(n)])
    cg = t.callgrind([prog, str(n)])
    churn = r.fn("churn")
    t.eq(churn["self_ir"], cg.fns[("churn", cg_obj(cg, "churn"))]["self"],
         "churn's self instructions vs Callgrind")
    fns = r.json["functions"]
    for name, want in (("malloc", n), ("calloc", n), ("realloc", n), ("free", 2 * n)):
        mine = [i for i, f in enumerate(fns) if f["name"] == name and "vgpreload_glprof" in f["object"]]
        t.eq(len(mine), 1, "%s is the preload's replacement" % name)
        f = fns[mine[0]]
        t.eq((f["self_ir"], f["incl_ir"]), (0, 0), "%s's own code is not counted" % name)
        edge = [c for c in r.json["calls"] if fns[c["caller"]]["name"] == "churn" and c["callee"] == mine[0]]
        t.eq(edge[0]["calls"] if edge else 0, want, "churn -> %s calls" % name)
        theirs = [v["calls"] for (a, b), v in cg.arcs.items() if a[0] == "churn" and b[0] == name]
        t.eq(edge[0]["calls"] if edge else 0, sum(theirs), "churn -> %s calls vs Callgrind" % name)
        t.eq(edge[0]["incl_ir"] if edge else -1, 0, "churn -> %s: nothing counted under it" % name)
    # the only other callee is the lazy-binding resolver, as in Callgrind
    ci = [i for i, f in enumerate(fns) if f["name"] == "churn"][0]
    under = sum(c["incl_ir"] for c in r.json["calls"] if c["caller"] == ci)
    t.eq(churn["incl_ir"], churn["self_ir"] + under, "churn's inclusive: its own and its callees'")
    # --heap=no loads no preload: the program's own allocator runs and is
    # counted, so libc's allocator functions equal Callgrind's too.
    r2 = t.glprof([prog, str(n)], ["--heap=no", "--io=no"])
    t.check(not any("vgpreload_glprof" in f["object"] for f in r2.json["functions"]),
            "--heap=no: no replacement allocator")
    compare_with_callgrind(t, r2, cg, "libc.so.6")
    for name in ("malloc", "free", "_int_malloc", "_int_free"):
        t.check(r2.fn(name)["self_ir"] > 0, "--heap=no: %s counted" % name)


def cg_obj(cg, name):
    return [o for (n, o) in cg.fns if n == name][0]


@real
def test_bzip2_vs_callgrind(t):
    data = t.path("input.txt")
    with open(data, "wb") as f:
        for i in range(60000):
            f.write(b"line %d of some text that compresses %d\n" % (i, i * 7919 % 1000))
    cmd = ["/usr/bin/bzip2", "-c", data]
    r = t.glprof(cmd)
    cg = t.callgrind(cmd)
    compare_with_callgrind(t, r, cg, "libbz2.so.1.0.4", check_calls=True)
