"""Control: glprof's client requests (collection, zero, dump, iterations,
regions), --collect-atstart / --toggle-collect / --focus, Callgrind's own
requests compared with Callgrind, vgdb monitor commands, and dumps."""

import json
import os
import subprocess
import time


def fns(j):
    return {f["name"]: f for f in j["functions"]}


def test_collection_requests(t):
    p = t.prog("ctl_collect")
    r = t.glprof([p], ["--collect-atstart=no"])
    f = fns(r.json)
    t.check("setup" not in f and "teardown" not in f,
            "code outside collection is not charged: %s" % sorted(f)[:20])
    t.eq(r.stdout.split()[1], "1", "GLPROF_RUNNING under glprof")
    # measured(10..5) collected, measured(4..0) not: 6 calls of measured,
    # helper called twice per collected level
    t.eq(f["measured"]["calls"], 6, "measured calls while collecting")
    t.eq(f["helper"]["calls"], 12, "helper calls while collecting")
    helper_cost = f["helper"]["self_ir"] / 12
    # inclusive of measured covers its collected helpers, not the off part
    t.check(f["measured"]["incl_ir"] >= 12 * helper_cost, "measured inclusive covers helpers")
    t.check(f["measured"]["incl_ir"] < 14 * helper_cost + f["measured"]["self_ir"] + 2000,
            "measured inclusive excludes the uncollected levels")
    t.eq(sum(x["instructions"] for x in r.json["threads"]), r.json["totals"]["instructions"],
         "threads sum to total")
    # without --collect-atstart=no, everything before the first START counts
    r2 = t.glprof([p])
    t.check("setup" in fns(r2.json), "collected from the start by default")


def test_callgrind_requests_vs_callgrind(t):
    p = t.prog("ctl_callgrind")
    r = t.glprof([p], ["--collect-atstart=no"])
    cg = t.callgrind([p], ["--instr-atstart=no"])
    f = fns(r.json)
    t.check("warmup" not in f, "before START_INSTRUMENTATION: not counted")
    t.check("noise" not in f or f["noise"]["self_ir"] == 0, "TOGGLE_COLLECT'd part not counted")
    k = cg.fn("kernel")
    t.close(f["kernel"]["self_ir"], k["self"], 0.001, "kernel self vs callgrind")
    t.eq(f["kernel"]["calls"], k["calls"], "kernel calls vs callgrind")


def test_toggle_collect_inside_recursion(t):
    p = t.prog("ctl_toggle")
    r = t.glprof([p], ["--collect-atstart=no", "--toggle-collect=leaf_w*"])
    f = fns(r.json)
    full = t.glprof([p])
    g = fns(full.json)
    t.eq(f["leaf_work"]["calls"], g["leaf_work"]["calls"], "every leaf_work call collected")
    t.eq(f["leaf_math"]["calls"], g["leaf_math"]["calls"], "calls under leaf_work collected")
    t.eq(f["leaf_math"]["self_ir"], g["leaf_math"]["self_ir"], "leaf_math cost the same")
    t.check("walk" not in f or f["walk"]["self_ir"] == 0, "walk itself not collected")
    t.eq(r.json["totals"]["instructions"], g["leaf_work"]["incl_ir"],
         "total = everything under leaf_work")


def test_focus(t):
    p = t.prog("work")
    r = t.glprof([p, "10"], ["--focus=crunch"])
    names = {f["name"] for f in r.json["functions"]}
    t.check("crunch" in names and "mix" not in names and "main" not in names,
            "only costs under crunch: %s" % sorted(names))
    full = t.glprof([p, "10"])
    t.eq(r.json["totals"]["instructions"], fns(full.json)["crunch"]["incl_ir"],
         "focused total = crunch inclusive")


def test_dump_and_zero(t):
    p = t.prog("ctl_dump")
    r = t.glprof([p], json_name="prof.json")
    with open(t.path("prof.json.1")) as fh:
        d = json.load(fh)
    t.eq(d["label"], "after-phase-one", "dump label")
    t.eq(d["final"], False, "dump is not final")
    df, ff = fns(d), fns(r.json)
    t.check("phase_one" in df and "phase_two" not in df, "dump holds phase one")
    t.check("phase_three" in ff and "phase_one" not in ff and "phase_two" not in ff,
            "after ZERO_STATS only phase three: %s" % sorted(ff)[:20])
    # the dump's open frames were booked: main's inclusive covers phase one
    t.check(df["main"]["incl_ir"] >= df["phase_one"]["incl_ir"], "open frames booked in the dump")
    t.check(d["totals"]["instructions"] > r.json["totals"]["instructions"],
            "dump total (phase one) > final total (phase three)")


def test_iterations_and_regions(t):
    p = t.prog("ctl_iterations")
    r = t.glprof([p, "50"])
    it = r.json["iterations"]
    t.eq(it["marks"], 50, "iteration marks")
    t.eq(it["warmup"], 1, "default warm-up")
    t.eq(it["counted"], 49, "iterations counted")
    t.eq(it["allocs"]["mean"], 2, "two allocations per iteration")
    t.eq(it["allocs"]["stddev"], 0, "same every iteration")
    t.eq(it["live_bytes_growth"]["mean"], 64, "64 B kept per iteration")
    ins = it["instructions"]
    t.check(ins["max"] - ins["min"] < ins["mean"] // 10, "stable per-iteration cost: %s" % ins)
    regs = {x["name"]: x for x in r.json["regions"]}
    t.eq(regs["step"]["entries"], 50, "step entries")
    t.eq(regs["encode"]["entries"], 50, "encode entries")
    t.eq(regs["encode"]["parent"], "step", "encode nested in step")
    t.check(regs["encode"]["instructions"] < regs["step"]["instructions"], "nested is smaller")
    enc = fns(r.json)["encode"]
    t.close(regs["encode"]["instructions"], enc["incl_ir"], 0.05, "encode region vs function")
    t.eq(regs["step"]["allocs"], 100, "allocations in step")
    # growth per iteration per allocation site: the planted 64 B at step()
    grown = [s for s in r.json["heap"]["sites"] if s.get("growth")]
    t.eq(len(grown), 1, "one growing site")
    g = grown[0]["growth"]
    t.eq((g["step"], g["bytes_per_step"], g["steps"]), ("iteration", 64, 49), "growth per iteration")
    t.eq(r.json["frames"][grown[0]["stack"][0]]["name"], "step", "growing site is step()")
    t.check(any(f["kind"] == "growth" and "64 B per iteration" in f["message"]
                for f in r.json["findings"]), "growth finding")
    rep = r.report()
    t.check("ITERATIONS AND REGIONS:" in rep, "report section")
    r2 = t.glprof([p, "50"], ["--iteration-warmup=5"])
    t.eq(r2.json["iterations"]["counted"], 45, "--iteration-warmup")


def test_vgdb_monitor(t):
    p = t.prog("ctl_wait")
    go = t.path("go")
    out = t.path("live.json")
    env = dict(os.environ)
    proc = subprocess.Popen([t.vg, "--vgdb=yes", "--glprof-out-file=" + out, p, go],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline()
        t.eq(line.strip(), "ready", "the program runs")
        time.sleep(0.3)
        st = subprocess.run(["vgdb", "--pid=%d" % proc.pid, "glprof", "status"],
                            capture_output=True, text=True, timeout=60)
        t.check("glprof status" in st.stdout and "instructions:" in st.stdout,
                "status answers: %s %s" % (st.stdout, st.stderr))
        hp = subprocess.run(["vgdb", "--pid=%d" % proc.pid, "glprof", "help"],
                            capture_output=True, text=True, timeout=60)
        t.check("glprof dump" in hp.stdout, "help lists commands: %s" % hp.stdout)
        dm = subprocess.run(["vgdb", "--pid=%d" % proc.pid, "glprof", "dump", "live-one"],
                            capture_output=True, text=True, timeout=60)
        t.check("written" in dm.stdout, "dump answers: %s" % dm.stdout)
    finally:
        open(go, "w").close()
        proc.wait(timeout=120)
    with open(out + ".1") as fh:
        d = json.load(fh)
    t.eq(d["label"], "live-one", "dump from vgdb")
    t.check("serve" in fns(d), "the live profile has the work so far")
    with open(out) as fh:
        t.check(json.load(fh)["final"], "final profile written at exit")
