"""Findings: each rule fires on a program planted for it, with its evidence
and location, and stays silent on a balanced program; the report's
BOTTLENECKS IDENTIFIED and OPTIMIZATION RECOMMENDATIONS sections, also
with -q."""

import os


def findings(r, kind=None):
    return [f for f in r.json["findings"] if kind is None or f["kind"] == kind]


def one(t, r, kind):
    fs = findings(r, kind)
    t.check(fs, "a %s finding; got %s" % (kind, [f["kind"] for f in findings(r)]))
    f = fs[0]
    for field in ("kind", "severity", "message", "location", "evidence", "recommendation"):
        t.check(field in f and f[field] not in (None, ""), "%s has %s" % (kind, field))
    return f


def test_hot_function_with_lines(t):
    p = t.prog("work")
    r = t.glprof([p, "30"])
    f = one(t, r, "hot-function")
    crunch = r.fn("crunch")
    t.eq(f["evidence"]["self_ir"], crunch["self_ir"], "evidence is the function's self")
    t.check(f["location"].startswith("crunch (work.c:"), "location: %s" % f["location"])
    t.check("work.c:2" in f["evidence"]["hot_lines"], "hot lines named: %s" % f["evidence"])
    t.check("crunch" in f["recommendation"], "recommendation names the function")
    # above the threshold only
    r2 = t.glprof([p, "30"], ["--hot-threshold=99"])
    t.eq(findings(r2, "hot-function"), [], "no finding under a 99% threshold")


def test_hot_function_without_line_info(t):
    """Code without line information (a stripped build, a library without
    debug information) has no line counters: no hot lines, and advice to
    build with -g rather than to ask for --lines, which is on."""
    p = t.prog("work", strip=True)
    r = t.glprof([p, "30"])
    f = one(t, r, "hot-function")
    t.check("hot_lines" not in f["evidence"], "no hot lines: %s" % f["evidence"])
    t.check("build it with -g" in f["recommendation"], f["recommendation"])
    hot = [x for x in r.json["functions"] if x["self_ir"] == f["evidence"]["self_ir"]][0]
    t.eq(hot["lines"], [], "no line counts for code without line information")
    off = one(t, t.glprof([p, "30"], ["--lines=no"]), "hot-function")
    t.check("rerun with --lines=yes" in off["recommendation"], off["recommendation"])


def test_serialization_and_string_ops(t):
    p = t.prog("find_serial")
    r = t.glprof([p])
    s = one(t, r, "serialization")
    t.eq(s["evidence"]["top_function"], "to_json", "serialization is to_json (a JSON encoder)")
    # the evidence is the inclusive cost under the printf family, from the call paths
    snp = r.fn("snprintf")
    t.check(s["evidence"]["instructions"] >= snp["incl_ir"], "serialization covers snprintf")
    o = one(t, r, "string-ops")
    t.eq(o["evidence"]["top_caller"], "to_key", "string ops come from to_key")
    r2 = t.glprof([p], ["--serialization-threshold=90", "--string-ops-threshold=90"])
    t.eq([f["kind"] for f in findings(r2) if f["kind"] in ("serialization", "string-ops")], [],
         "silent under high thresholds")


def test_deep_recursion(t):
    p = t.prog("recursion")
    r = t.glprof([p, "10", "20000"])
    f = one(t, r, "deep-recursion")
    t.check(f["location"].startswith("deep "), "the recursing function: %s" % f["location"])
    t.check(f["evidence"]["max_depth"] >= 20001, "depth evidence: %s" % f["evidence"])
    r2 = t.glprof([p, "10", "2000"])
    t.eq(findings(r2, "deep-recursion"), [], "2,000 levels: under the default threshold")


def test_leak_growth_and_small_writes_on_agent(t):
    agent = os.path.join(t.build, "examples", "agent")
    src = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")
    r = t.glprof([agent, "--input", os.path.join(src, "requests.csv"), "--output",
                  t.path("out.jsonl"), "--requests", "100"])
    leak = one(t, r, "leak")
    t.check("record_coal_audit" in leak["location"], "leak site: %s" % leak["location"])
    t.eq(leak["evidence"]["bytes"], r.json["leaks"]["definitely_lost"]["bytes"],
         "leak evidence = definitely lost bytes")
    g = one(t, r, "growth")
    t.check("cache_insert" in g["location"], "growth site: %s" % g["location"])
    w = one(t, r, "small-io")
    t.check(w["location"].startswith("emit_row"), "small writes from emit_row: %s" % w["location"])
    site = [s for s in r.json["io"]["sites"] if r.json["frames"][s["frame"]]["name"] == "emit_row"][0]
    t.eq(w["evidence"]["ops"], site["write_ops"], "small-io evidence = the site's writes")


def test_unbuffered_writes_to_pipe(t):
    p = t.prog("io_stdio")
    r = t.glprof([p, "300", t.path("rows.txt")])   # stdout is a pipe here
    f = one(t, r, "unbuffered-writes")
    t.check(f["location"].startswith("emit_row"), "location: %s" % f["location"])
    t.eq(f["evidence"]["ops"], 300, "one write per row")


def test_churn(t):
    p = t.prog("find_churn")
    r = t.glprof([p])
    f = one(t, r, "churn")
    t.check("parse_field" in f["location"], "churn site: %s" % f["location"])
    t.eq(f["evidence"]["allocs"], 5000, "allocations at the site")


def test_peak_heap(t):
    p = t.prog("find_peak")
    r = t.glprof([p], ["--peak-threshold=1MB", "--peak-high-threshold=1GB"])
    f = one(t, r, "peak-heap")
    t.eq(f["severity"], "medium", "over the medium threshold only")
    t.eq(f["evidence"]["peak_bytes"], r.json["heap"]["peak_bytes"], "peak evidence")
    t.check("load_all" in f["location"], "site at the peak: %s" % f["location"])
    r2 = t.glprof([p])
    t.eq(findings(r2, "peak-heap"), [], "8 MB is under the default 500 MB")


def test_contended_lock(t):
    p = t.prog("lock_mutex")
    # every 2nd round the holder sleeps with the lock held: whichever thread
    # runs meanwhile finds it taken, however the scheduler orders them
    r = t.glprof([p, "4", "50", "2"], ["--contention-threshold=1"])
    f = one(t, r, "contended-lock")
    t.check(f["evidence"]["contended"] > 0, "contention evidence")


def test_determinism_and_bad_frees(t):
    r = t.glprof([t.prog("clock_rand"), "10"])
    kinds = {f["evidence"].get("source") for f in findings(r, "nondeterminism")}
    t.check({"clock", "random"} <= kinds, "clock and random warnings: %s" % kinds)
    r2 = t.glprof([t.prog("heap_bad")], ["--error-exitcode=0"])
    b = one(t, r2, "bad-free")
    t.check(b["evidence"]["invalid_frees"] == r2.json["heap"]["invalid_frees"] > 0,
            "bad free evidence")


def test_balanced_program_has_no_findings(t):
    r = t.glprof([t.prog("find_clean")])
    t.eq([f["kind"] for f in findings(r)], [], "no findings without evidence")
    t.check("(none: no rule's threshold was crossed" in r.report(), "report says so")


def test_report_sections_and_quiet(t):
    p = t.prog("find_serial")
    r = t.glprof([p])
    rep = r.report()
    t.check("BOTTLENECKS IDENTIFIED:" in rep and "OPTIMIZATION RECOMMENDATIONS:" in rep,
            "report sections")
    n = len(findings(r))
    t.eq(rep.count("\n  - ["), n, "one bottleneck line per finding")
    q = t.glprof([p], ["-q"])
    qrep = q.report()
    t.check("BOTTLENECKS IDENTIFIED:" in qrep, "-q still prints the findings")
    t.check("CPU PROFILE:" not in qrep, "-q leaves the rest out")
    for line in rep.splitlines():
        line = t.unpathed(line)
        t.check(len(line) <= 91, "fits 100 columns: %r" % line)


def test_findings_deterministic(t):
    p = t.prog("find_serial")
    a = t.glprof([p]).json["findings"]
    b = t.glprof([p]).json["findings"]
    t.eq(a, b, "same findings, same order, twice")
