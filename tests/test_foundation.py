"""Foundation: glprof builds and runs as a Valgrind tool, counts exactly the
instructions Callgrind and Cachegrind count, writes its JSON and text
report, refuses bad options Valgrind-style, survives unwritable outputs,
and installs where Valgrind finds it."""

import json
import os
import re
import subprocess

from gptest import real


def test_totals_match_cachegrind_and_callgrind(t):
    for prog, args in (("work", ["50"]), ("recursion", ["24", "100"]), ("tailcalls", [])):
        p = t.prog(prog)
        r = t.glprof([p] + args)
        total = r.json["totals"]["instructions"]
        cg = t.callgrind([p] + args)
        cache = t.cachegrind_total([p] + args)
        # The only differences: the replaced allocator (its preload is loaded
        # and runs instead of libc's malloc) and the loader's work for it.
        t.close(total, cg.total, 0.005, "%s total vs callgrind" % prog)
        t.close(total, cache, 0.005, "%s total vs cachegrind" % prog)


def test_totals_exact_without_preload_effects(t):
    """Same code, no allocator in play: glprof's total equals Cachegrind's
    minus what only glprof's run executes (its preload's code, and the loader
    mapping it), to the instruction."""
    p = t.prog("work")
    r = t.glprof([p, "30"])
    j = r.json
    named = lambda n: not n.startswith("0x")   # .init/.plt: Callgrind puts them in "???"
    own = sum(f["self_ir"] for f in j["functions"]
              if os.path.basename(f["object"]) == os.path.basename(p) and named(f["name"]))
    cg = t.callgrind([p, "30"])
    theirs = sum(v["self"] for (n, o), v in cg.fns.items()
                 if os.path.basename(o) == os.path.basename(p) and named(n))
    t.eq(own, theirs, "instructions in the program's own object")


def test_two_runs_identical(t):
    p = t.prog("work")
    a = t.glprof([p, "20"]).json
    b = t.glprof([p, "20"]).json
    t.eq(a["totals"]["instructions"], b["totals"]["instructions"], "totals")
    t.eq(json.dumps(a["functions"]), json.dumps(b["functions"]), "function tables")


def test_json_top_level(t):
    p = t.prog("work")
    r = t.glprof([p, "5", "x y"])
    j = r.json
    for key in ("glprof", "command", "pid", "totals", "functions", "calls", "paths", "threads"):
        t.check(key in j, "JSON has %s" % key)
    t.eq(j["glprof"], 1, "format version")
    t.eq(j["command"], p + " 5 'x y'", "command, quoted for a shell")
    t.check(j["totals"]["instructions"] > 100000, "instructions counted")
    t.eq(j["exit"], {"state": "exited", "status": 0}, "exit")


def test_output_file_name_expansion(t):
    p = t.prog("work")
    r = t.glprof([p, "5"], json_name="out.%p.%q{GP_TEST_VAR}.json", env={"GP_TEST_VAR": "abc"})
    files = [f for f in os.listdir(t.dir) if f.startswith("out.") and f.endswith(".abc.json")]
    t.eq(len(files), 1, "expanded file")
    pid = int(files[0].split(".")[1])
    with open(t.path(files[0])) as f:
        t.eq(json.load(f)["pid"], pid, "%p is the pid")


def test_default_output_name(t):
    p = t.prog("work")
    r = t.run([t.vg, p, "5"], cwd=t.dir)
    files = [f for f in os.listdir(t.dir) if f.startswith("glprof.out.")]
    t.eq(len(files), 1, "glprof.out.<pid> written by default")


def test_text_report(t):
    p = t.prog("work")
    r = t.glprof([p, "20"])
    rep = r.report()
    for needle in ("glprof report", "Command:", "Exit:         status 0", "CPU PROFILE:",
                   "Total Instructions: ", "crunch (work.c:"):
        t.check(needle in rep, "report has %r:\n%s" % (needle, rep[-3000:]))
    total = r.json["totals"]["instructions"]
    t.check("Total Instructions: {:,}".format(total) in rep, "total with separators")
    for line in rep.splitlines():
        line = t.unpathed(line)
        t.check(len(line) <= 100 - 9, "report line fits 100 columns: %r" % line)


def test_unknown_option_refused(t):
    p = t.prog("work")
    r = t.run([t.vg, "--no-such-option=3", p], expect_exit=1)
    t.check("--no-such-option=3" in r.stderr, "message names the option: %s" % r.stderr)


def test_bad_values_refused(t):
    p = t.prog("work")
    for opt, hint in (("--cpu=maybe", "yes"), ("--top=-1", "--top"), ("--top=abc", "--top"),
                      ("--top=99999999999999999999", "--top"), ("--lines=", "yes"),
                      ("--glprof-out-file=", "--glprof-out-file"),
                      ("--glprof-out-file=x%z", "%p"), ("--fold-recursion=0", "--fold-recursion")):
        r = t.run([t.vg, opt, p, "1"], expect_exit=1)
        t.check(opt.split("=")[0] in r.stderr and hint in r.stderr,
                "%s refused naming the option and what it takes: %s" % (opt, r.stderr[-500:]))
        t.check("glprof report" not in r.stderr, "%s: the client did not run" % opt)


def test_unwritable_output(t):
    p = t.prog("forks")
    os.makedirs(t.path("adir"))
    for target in ("/nonexistent-dir/x.json", t.path("adir"), "/dev/full"):
        r = t.run([t.vg, "--glprof-out-file=" + target, p], expect_exit=0)
        rep = r.report()
        t.check(target in rep and ("cannot write" in rep or "error writing" in rep),
                "%s: error names the path:\n%s" % (target, rep[-2000:]))
        t.check("CPU PROFILE:" in rep, "%s: text report still printed" % target)


def test_client_exit_status_kept(t):
    p = t.prog("forks")
    r = t.glprof([p, "/bin/false"], expect_exit=0)
    r = t.run([t.vg, "--glprof-out-file=/dev/full", "/bin/sh", "-c", "exit 7"], expect_exit=7)


def build_var(t, name):
    """A variable of the build's Makefile (what configure chose)."""
    with open(os.path.join(t.build, "Makefile")) as f:
        m = re.search(r"^%s = (.*)$" % re.escape(name), f.read(), re.M)
    return m.group(1).strip()


def test_install_and_uninstall(t):
    dest = t.path("dest")
    mk = ["make", "-C", t.build, "--no-print-directory", "DESTDIR=" + dest]
    t.run(mk + ["install"])
    found = []
    for root, dirs, files in os.walk(dest):
        found += [os.path.join(root, f)[len(dest):] for f in files]
    for want in ("glprof-amd64-linux", "vgpreload_glprof-amd64-linux.so", "glprof.h"):
        t.check(any(f.endswith("/" + want) for f in found), "%s installed: %s" % (want, found))
    tool = [f for f in found if f.endswith("/glprof-amd64-linux")][0]
    # beside the tools of the Valgrind the build is for (the distribution's,
    # or the one a --with-valgrind(-src) build names)
    t.check(os.path.exists(os.path.join(os.path.dirname(tool), "memcheck-amd64-linux")),
            "tool beside Valgrind's own tools: %s" % tool)
    t.run(mk + ["uninstall"])
    left = []
    for root, dirs, files in os.walk(dest):
        left += files
    t.eq(left, [], "uninstall removes everything")


def test_installed_tool_runs(t):
    """The installed layout works with the plain launcher: a copy of the
    installed files in a VALGRIND_LIB of their own."""
    dest = t.path("dest")
    t.run(["make", "-C", t.build, "--no-print-directory", "DESTDIR=" + dest, "install"])
    libdir = None
    for root, dirs, files in os.walk(dest):
        if "glprof-amd64-linux" in files:
            libdir = root
    real_lib = libdir[len(dest):]
    for f in os.listdir(real_lib):
        if not os.path.exists(os.path.join(libdir, f)):
            os.symlink(os.path.join(real_lib, f), os.path.join(libdir, f))
    p = t.prog("work")
    r = t.run([build_var(t, "VALGRIND"), "--tool=glprof", "--glprof-out-file=" + t.path("i.json"), p, "5"],
              env={"VALGRIND_LIB": libdir})
    with open(t.path("i.json")) as f:
        t.check(json.load(f)["totals"]["instructions"] > 0, "installed tool profiled")


def test_sample_agent(t):
    """The bundled agent, with worker threads: output identical to a native
    run, a complete profile, threads summing to the total."""
    agent = os.path.join(t.build, "examples", "agent")
    src = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")
    native = t.run([agent, "--input", os.path.join(src, "requests.csv"), "--output", t.path("native.jsonl"),
                    "--threads", "4", "--requests", "60"])
    r = t.glprof([agent, "--input", os.path.join(src, "requests.csv"), "--output", t.path("vg.jsonl"),
                  "--threads", "4", "--requests", "60"])
    t.eq(r.stdout, native.stdout, "program output unchanged")
    t.eq(open(t.path("vg.jsonl")).read(), open(t.path("native.jsonl")).read(), "output file unchanged")
    j = r.json
    t.eq(len(j["threads"]), 5, "main + 4 workers")
    t.eq(sum(x["instructions"] for x in j["threads"]), j["totals"]["instructions"], "threads sum")
    top = j["functions"][0]
    t.eq(top["name"], "compute_emissions", "the hot function")
    t.eq(top["calls"], 60, "one call per request")
    t.check("SIGSEGV" not in r.stderr, "no crash at exit")
