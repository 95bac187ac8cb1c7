"""I/O, threads and locks, determinism: glprof counts exactly the transfers
a program asked the kernel for (compared with strace on the same program,
run natively in the same test), names files and sockets so descriptor
reuse never mixes them, attributes I/O to the program's own lines, counts
pthread lock acquisitions and contention, and warns about clock, random
and thread-interleaving sources of run-to-run differences."""

import json
import os
import re
import shutil
import subprocess

PROGS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "progs")

# ---- helpers ---------------------------------------------------------------

TRANSFERS = ("read", "write", "pread64", "pwrite64", "readv", "writev", "recvfrom",
             "sendto", "recvmsg", "sendmsg", "recvmmsg", "sendmmsg", "sendfile",
             "copy_file_range", "lseek", "fsync")

_SYSCALL = re.compile(r"^(?:\d+\s+)?([a-z_0-9]+)\((.*)\)\s+=\s+(-?\d+)(?:\s+(E[A-Z]+))?")


def strace(t, cmd, trace=TRANSFERS):
    """Runs cmd natively under strace; returns [(name, first_arg, result,
    errno)] for the traced calls, with descriptors shown as 'N<path>'."""
    if not shutil.which("strace"):
        raise AssertionError("strace is needed (tools/deps.sh)")
    out = t.path("strace.%d.txt" % len(os.listdir(t.dir)))
    t.run(["strace", "-f", "-qq", "-y", "-e", "signal=none", "-e",
           "trace=" + ",".join(trace), "-o", out] + cmd)
    calls = []
    with open(out, errors="replace") as f:
        for line in f:
            m = _SYSCALL.match(line)
            if m:
                calls.append((m.group(1), m.group(2).split(",")[0], int(m.group(3)),
                              m.group(4)))
    return calls


def strace_table(calls):
    """{name: [calls, failed, bytes]} as glprof's io.syscalls counts them."""
    table = {}
    for name, _, res, err in calls:
        e = table.setdefault(name, [0, 0, 0])
        e[0] += 1
        if err:
            e[1] += 1
        elif name not in ("lseek", "fsync", "recvmmsg", "sendmmsg"):
            e[2] += res
    return table


def glprof_table(j):
    return {s["name"]: [s["calls"], s["failed"], s["bytes"]] for s in j["io"]["syscalls"]}


def files_by_name(j):
    """io.files by path, and by base name for paths under a test directory."""
    out = {}
    for f in j["io"]["files"]:
        out[f["path"]] = f
        out.setdefault(os.path.basename(f["path"]), f)
    return out


def site(j, name, line=None):
    found = [s for s in j["io"]["sites"] if s["name"] == name
             and (line is None or s["line"] == line)]
    if not found:
        raise AssertionError("no I/O site %s:%s in %s" % (name, line,
                             [(s["name"], s["line"]) for s in j["io"]["sites"]]))
    return found[0]


def line_of(prog, text):
    """Line number of the first source line of tests/progs/prog containing text."""
    with open(os.path.join(PROGS, prog)) as f:
        for i, l in enumerate(f, 1):
            if text in l:
                return i
    raise AssertionError("%r not in %s" % (text, prog))


def without_time(io):
    io = dict(io)
    io.pop("time_ms")
    return io


MY_SECTIONS = ("I/O PROFILE:", "THREADS AND LOCKS:", "DETERMINISM:")


def check_width(t, rep):
    """The I/O, threads and determinism sections fit 100 columns."""
    mine = False
    for line in rep.splitlines():
        if re.match(r"[A-Z][A-Z/ ]+:", line):
            mine = line.startswith(MY_SECTIONS)
        if mine:
            line = t.unpathed(line)
            t.check(len(line) <= 100 - 9, "report line fits 100 columns: %r" % line)


def fresh_dir(t, name):
    d = t.path(name)
    os.makedirs(d, exist_ok=True)
    return d


# ---- files -----------------------------------------------------------------

def test_file_io_exact_vs_strace(t):
    """45 writes and the read back, vectors, positional I/O, a failed read,
    descriptor reuse: every count equals strace's for the same program."""
    p = t.prog("io_file")
    d = fresh_dir(t, "g")
    j = t.glprof([p, d]).json
    io = j["io"]
    f = files_by_name(j)
    data = f["data.txt"]
    t.eq((data["write_ops"], data["write_bytes"]), (45, 4500), "data.txt writes")
    t.eq((data["read_ops"], data["read_bytes"]), (6, 4500), "data.txt reads (5 + EOF)")
    t.eq((data["opens"], data["seeks"], data["syncs"], data["kind"]), (1, 1, 1, "file"),
         "data.txt opens, seeks, syncs")
    t.eq((f["vec.bin"]["write_bytes"], f["vec.bin"]["read_bytes"]), (60, 60), "writev/readv")
    t.eq((f["pos.bin"]["write_ops"], f["pos.bin"]["write_bytes"],
          f["pos.bin"]["read_ops"], f["pos.bin"]["read_bytes"]), (2, 20, 1, 20), "pwrite/pread")
    # the same descriptor number, two files: never mixed
    t.eq((f["a.txt"]["write_ops"], f["a.txt"]["write_bytes"]), (1, 7), "a.txt")
    t.eq((f["b.txt"]["write_ops"], f["b.txt"]["write_bytes"]), (1, 11), "b.txt")
    t.eq(f["(bad fd)"]["failed_ops"], 1, "read on a closed descriptor")
    t.eq(io["failed_ops"], 1, "failed calls")
    t.check("(not counted)" not in f and not any("vgpreload" in x for x in f),
            "Valgrind's preloads are not the program's I/O: %s" % list(f))

    # sites: the program's own lines
    w = site(j, "write_rows", line_of("io_file.c", "if (write(fd, row, sizeof(row))"))
    t.eq((w["write_ops"], w["write_bytes"], w["write_kinds"]), (45, 4500, ["file"]),
         "write_rows site")
    r = site(j, "read_back", line_of("io_file.c", "while ((n = read(fd, buf"))
    t.eq((r["read_ops"], r["read_bytes"]), (6, 4500), "read_back site")
    b = site(j, "bad_fd")
    t.eq(b["failed_ops"], 1, "bad_fd site failure")
    frames = j["frames"]
    t.eq(frames[w["frame"]]["name"], "write_rows", "site frame index")

    # strace of the same program, natively: same calls, failures and bytes
    d2 = fresh_dir(t, "s")
    calls = strace(t, [p, d2])
    want = strace_table(calls)
    got = glprof_table(j)
    t.eq(got, want, "per-syscall calls/failed/bytes vs strace")
    t.eq(io["read_bytes"], sum(r for n, _, r, e in calls
                               if not e and n in ("read", "pread64", "readv")), "read bytes")
    t.eq(io["write_bytes"], sum(r for n, _, r, e in calls
                                if not e and n in ("write", "pwrite64", "writev")), "written bytes")
    # per file, by descriptor path
    for name in ("data.txt", "vec.bin", "pos.bin", "a.txt", "b.txt"):
        ops = sum(1 for n, a, r, e in calls if a.endswith("/" + name + ">") and not e
                  and n not in ("lseek", "fsync"))
        gf = f[name]
        t.eq(gf["read_ops"] + gf["write_ops"], ops, "%s transfers vs strace" % name)


def test_pipes_sockets_terminal_vs_strace(t):
    p = t.prog("io_net")
    d = fresh_dir(t, "g")
    j = t.glprof([p, d]).json
    f = files_by_name(j)

    def rw(name):
        x = f[name]
        return (x["read_ops"], x["read_bytes"], x["write_ops"], x["write_bytes"])

    t.eq(rw("pipe:"), (1, 30, 3, 30), "pipe")
    t.eq(f["pipe:"]["kind"], "pipe", "pipe kind")
    t.eq(rw("socket:unix"), (1, 100, 1, 100), "socketpair")
    # write 1000 + sendmsg 30 + sendfile 2000; recv 1000 + recvmsg 30 + recv 2000
    t.eq(rw("socket:tcp"), (3, 3030, 3, 3030), "TCP loopback")
    t.eq(f["socket:tcp"]["opens"], 3, "listening, connecting and accepted sockets")
    t.eq(rw("socket:udp"), (1, 60, 1, 60), "sendmmsg/recvmmsg bytes from msg_len")
    t.eq(rw("send.bin"), (1, 2000, 1, 2000), "sendfile source (and its creation)")
    t.eq(rw("src.bin"), (1, 2000, 1, 2000), "copy_file_range source")
    t.eq(rw("dst.bin"), (0, 0, 1, 2000), "copy_file_range destination")
    t.eq(rw("tty:"), (0, 0, 1, 12), "pseudo-terminal")
    t.eq(f["tty:"]["kind"], "tty", "tty kind")
    t.check(not any(re.search(r"\[\d+\]|/dev/pts/\d", x) for x in f),
            "no inode or pty numbers in names: %s" % list(f))
    s = site(j, "tcp_loopback", line_of("io_net.c", "sendfile(c, f, &off, 2000)"))
    t.eq((s["read_ops"], s["write_ops"], s["read_kinds"], s["write_kinds"]),
         (1, 1, ["file"], ["socket"]), "sendfile site: file to socket")

    d2 = fresh_dir(t, "s")
    calls = strace(t, [p, d2])
    want = strace_table(calls)
    got = glprof_table(j)
    for name in ("sendmmsg", "recvmmsg"):   # strace's result is a message count
        t.eq(got[name][:2], want[name][:2], name + " calls")
        got.pop(name)
        want.pop(name)
    t.eq(got, want, "per-syscall calls/failed/bytes vs strace")


def test_small_writes_site(t):
    """200 unbuffered printf rows: 200 writes of 9 bytes from emit_row;
    the same rows through a buffered FILE*: one write from save_rows."""
    p = t.prog("io_stdio")
    out = t.path("rows.txt")
    r = t.glprof([p, "200", out])
    j = r.json
    e = site(j, "emit_row", line_of("io_stdio.c", 'printf("row %04d'))
    t.eq((e["write_ops"], e["write_bytes"]), (200, 1800), "emit_row writes")
    s = site(j, "save_rows")
    t.eq((s["write_ops"], s["write_bytes"], s["write_kinds"]), (1, 1800, ["file"]),
         "save_rows buffered")
    rep = r.report()
    t.check(re.search(r"1\.80 KB\s+200\s+9\.0\s+0\s+\S+\s+emit_row \(io_stdio\.c:\d+\)", rep),
            "report shows emit_row's 200 ops of 9 bytes:\n" + rep[-3000:])
    # the same with Valgrind's unwinder instead of the shadow stack
    j2 = t.glprof([p, "200", out], ["--cpu=no"]).json
    e2 = site(j2, "emit_row", e["line"])
    t.eq((e2["write_ops"], e2["write_bytes"]), (200, 1800), "emit_row with --cpu=no")
    calls = strace(t, [p, "200", out], trace=("write",))
    t.eq(sum(1 for n, a, res, err in calls if a.startswith("1<")), 200, "strace: writes to stdout")


def test_io_report_sections(t):
    p = t.prog("io_file")
    d = fresh_dir(t, "g")
    r = t.glprof([p, d])
    j = r.json
    rep = r.report()
    io = j["io"]
    for needle in ("I/O PROFILE:",
                   "Read: {:,} bytes ({:,} ops)".format(io["read_bytes"], io["read_ops"]),
                   "Write: {:,} bytes ({:,} ops)".format(io["write_bytes"], io["write_ops"]),
                   "Failed: 1 call", "(wall clock, not deterministic)",
                   "write_rows (io_file.c:", "data.txt", "THREADS AND LOCKS:",
                   "Threads: 1 (the main thread only)", "DETERMINISM: no clock"):
        t.check(needle in rep, "report has %r:\n%s" % (needle, rep[-4000:]))
    check_width(t, rep)


def test_io_tables_deterministic(t):
    p = t.prog("io_net")
    d = fresh_dir(t, "g")
    a = t.glprof([p, d])
    b = t.glprof([p, d])
    t.eq(json.dumps(without_time(a.json["io"])), json.dumps(without_time(b.json["io"])),
         "io tables of two runs")
    t.eq(json.dumps(a.json["frames"]), json.dumps(b.json["frames"]), "frames")

    def section(rep):
        s = rep[rep.index("I/O PROFILE:"):rep.index("THREADS AND LOCKS:")]
        return re.sub(r"I/O Time: .*", "", s)
    t.eq(section(a.report()), section(b.report()), "I/O PROFILE text of two runs")


def test_io_off(t):
    p = t.prog("io_file")
    d = fresh_dir(t, "g")
    r = t.glprof([p, d], ["--io=no"])
    t.check("io" not in r.json, "no io section with --io=no")
    t.check("I/O PROFILE" not in r.report(), "no I/O PROFILE with --io=no")
    t.check("THREADS AND LOCKS:" in r.report(), "threads still reported")


# ---- threads and locks -------------------------------------------------------

def test_mutex_threads(t):
    p = t.prog("lock_mutex")
    rounds = 500
    r = t.glprof([p, "4", str(rounds)])
    j = r.json
    frames = j["frames"]
    locks = j["locks"]
    user = [l for l in locks if not l["internal"]]

    def lock_at(name, line):
        found = [l for l in user if frames[l["site"]]["name"] == name
                 and frames[l["site"]]["line"] == line]
        if not found:
            raise AssertionError("no lock at %s:%d in %s" % (name, line, [
                (frames[l["site"]]["name"], frames[l["site"]]["line"]) for l in user]))
        return found[0]

    shared = lock_at("main", line_of("lock_mutex.c", "pthread_mutex_trylock(&shared)"))
    t.eq((shared["kind"], shared["acquisitions"], shared["threads"], shared["site_is_init"]),
         ("mutex", 4 * rounds + 1, 5, False), "shared mutex: first used by main's trylock")
    t.check(shared["contended"] > 0, "the shared mutex was contended: %s" % shared)
    t.check(shared["contended"] <= shared["acquisitions"], "contended <= acquisitions")
    t.check(shared["held_ir"] > 4 * rounds * 200, "instructions under the lock: %s" % shared)
    rw = lock_at("use_rwlock", line_of("lock_mutex.c", "pthread_rwlock_init"))
    t.eq((rw["kind"], rw["acquisitions"], rw["read_acquisitions"], rw["site_is_init"],
          rw["contended"]), ("rwlock", 15, 10, True, 0), "rwlock")
    cv = lock_at("handshake", line_of("lock_mutex.c", "pthread_mutex_init(&cv_lock"))
    t.eq((cv["acquisitions"], cv["condvar_waits"], cv["threads"]), (2, 1, 2),
         "condition variable's mutex")
    t.check(all(l["caller"] is not None for l in locks if l["internal"]),
            "runtime-internal locks name the runtime function")

    th = j["threads"]
    t.eq(len(th), 6, "threads")
    t.eq([th[0]["created_at"]] + sorted((frames[x["created_at"]]["name"],
                                         frames[x["created_at"]]["line"]) for x in th[1:]),
         [None] + sorted([("main", line_of("lock_mutex.c", "pthread_create(&th[k]"))] * 4
                         + [("handshake", line_of("lock_mutex.c", "pthread_create(&t,"))]),
         "threads[].created_at")
    det = {w["kind"]: w for w in j["determinism"]["warnings"]}
    t.check("threads" in det, "thread interleaving warning: %s" % det)
    w = det["threads"]
    t.check(w["threads"] == 5 and w["shared_locks"] == 2, "warning figures: %s" % w)
    made = {(frames[s["frame"]]["name"], s["threads"]) for s in w["sites"]}
    t.eq(made, {("main", 4), ("handshake", 1)}, "thread creation sites")
    t.check("clock" not in det and "random" not in det, "no clock/random warnings")
    rec = [f["recommendation"] for f in j["findings"] if f["kind"] == "nondeterminism"
           and f["evidence"].get("source") == "threads"]
    t.check(len(rec) == 1 and "--fair-sched=yes" in rec[0],
            "the threads finding names Valgrind's fair scheduling: %s" % rec)

    rep = r.report()
    create = line_of("lock_mutex.c", "pthread_create(&th[k]")
    t.check(re.search(r"Threads: 6, at most [2-6] alive at once", rep),
            "threads line (how many at once depends on scheduling):\n" + rep[-4000:])
    for needle in ("THREADS AND LOCKS:",
                   "main (lock_mutex.c:%d)" % create, "(main thread)",
                   "{:,}".format(4 * rounds + 1), "rwlock", "use_rwlock (lock_mutex.c:",
                   "1 condition wait", "DETERMINISM: 1 warning", "5 threads besides the main one"):
        t.check(needle in rep, "report has %r:\n%s" % (needle, rep[-4000:]))
    check_width(t, rep)

    # acquisitions do not depend on scheduling; contention does, and so do
    # the instructions under a lock a little (its unlock wakes waiters)
    j2 = t.glprof([p, "4", str(rounds)]).json
    strip = lambda ls: [{k: v for k, v in l.items() if k not in ("contended", "held_ir")}
                        for l in ls]
    t.eq(strip(j2["locks"]), strip(locks), "lock table of a second run")
    t.eq(j2["determinism"], j["determinism"], "determinism warnings of a second run")


def test_lock_observation_not_counted(t):
    """Observing the lock functions adds no instructions, calls or call
    paths: the program's counts are Callgrind's; every lock taken is
    released (each hold counts at least the unlock's instructions)."""
    p = t.prog("lock_loop")
    n = 20000
    r = t.glprof([p, str(n)])
    j = r.json
    cg = t.callgrind([p, str(n)])
    for name in ("pthread_mutex_lock@@GLIBC_2.2.5", "pthread_mutex_unlock@@GLIBC_2.2.5",
                 "pthread_rwlock_rdlock@@GLIBC_2.34", "pthread_spin_lock@@GLIBC_2.34"):
        mine = [f for f in j["functions"] if f["name"] == name]
        if not mine:
            continue    # another glibc: other symbol versions
        theirs = cg.fn(name)
        t.eq((mine[0]["self_ir"], mine[0]["calls"]), (theirs["self"], theirs["calls"]),
             name + " self instructions and calls vs Callgrind")
    t.check(not [f for f in j["functions"] if "vgpreload_glprof" in f["object"]
                 and f["name"].startswith("pthread_")], "no wrapper in the function table")
    main = r.fn("main")
    t.eq(main["self_ir"], cg.fn("main")["self"], "main's self instructions")
    # the totals differ only by the replaced allocator and the loader's work
    # for the preload, the same for any number of lock calls
    diff = j["totals"]["instructions"] - cg.total
    j2 = t.glprof([p, str(2 * n)]).json
    diff2 = j2["totals"]["instructions"] - t.callgrind([p, str(2 * n)]).total
    t.check(abs(diff2 - diff) <= 50,
            "glprof - Callgrind does not grow with the lock calls: %d, then %d" % (diff, diff2))
    off = t.glprof([p, str(n)], ["--locks=no"]).json
    t.eq(off["totals"]["instructions"], j["totals"]["instructions"],
         "the same instructions with and without lock tracking")
    kinds = {l["kind"]: l["acquisitions"] for l in j["locks"] if not l["internal"]}
    t.eq(kinds, {"mutex": n, "rwlock": n // 10, "spin": n // 10}, "acquisitions per kind")
    held = {l["kind"]: l["held_ir"] for l in j["locks"] if not l["internal"]}
    t.check(held["mutex"] >= n and held["spin"] >= n // 10,
            "mutex and spin lock released after every hold: %s" % held)


def test_lock_site_through_inlined_header_code(t):
    """std::lock_guard's lock is inlined from the C++ headers into add():
    the site is add()'s line, from the program's inline information
    (the runtime's objects are loaded without it unless
    --runtime-inline-info=yes)."""
    p = t.prog("lock_inlined")
    line = line_of("lock_inlined.cpp", "the lock's site")

    skipped = {}

    def sites(opts):
        r = t.glprof([p], opts + ["--stats=yes"])
        skipped[" ".join(opts)] = sorted(
            os.path.basename(m) for m in re.findall(r"glprof:    (\S+)", r.stderr))
        j = r.json
        fr = j["frames"]
        return [(l["acquisitions"], fr[l["site"]]["name"], os.path.basename(fr[l["site"]]["file"]),
                 fr[l["site"]]["line"]) for l in j["locks"] if not l["internal"]]

    want = [(500, "add(int)", "lock_inlined.cpp", line)]
    t.eq(sites([]), want, "the lock's site (default run)")
    t.eq(sites(["--heap=no", "--io=no"]), want, "the lock's site (CPU-only run)")
    t.eq(sites(["--runtime-inline-info=yes"]), want, "the lock's site (runtime's too)")
    t.eq(skipped["--runtime-inline-info=yes"], [],
         "--runtime-inline-info=yes: every object keeps its inline information")
    for run in ("", "--heap=no --io=no"):
        got = skipped[run]
        t.check("libc.so.6" in got and any(n.startswith("libstdc++.so") for n in got)
                and os.path.basename(p) not in got,
                "the runtime, and only the runtime, without inline information (%r): %s"
                % (run, got))
    off = sites(["--heap=no", "--io=no", "--read-inline-info=no"])
    t.check(len(off) == 1 and off[0][2] != "lock_inlined.cpp",
            "without inline information the line is the header's: %s" % off)


def test_startup_inline_info_follows_the_program(t):
    """The core loads the program and the loader together, before the
    program's first system call: their inline information is read only if
    the program has debug information of its own, in itself or in a file
    installed apart (here a .gnu_debuglink file beside it).  A program
    without it would only pay for the loader's, which sites skip."""
    src = t.prog("lock_inlined")
    line = line_of("lock_inlined.cpp", "the lock's site")

    def run(prog):
        r = t.glprof([prog], ["--stats=yes", "--heap=no", "--io=no"])
        skipped = sorted(os.path.basename(m) for m in re.findall(r"glprof:    (\S+)", r.stderr))
        fr = r.json["frames"]
        sites = [(fr[l["site"]]["name"], os.path.basename(fr[l["site"]]["file"] or ""),
                  fr[l["site"]]["line"]) for l in r.json["locks"] if not l["internal"]]
        return skipped, sites

    def loader(names):
        return [n for n in names if n.startswith("ld-linux") or n.startswith("ld-")]

    skipped, sites = run(src)
    t.check(not loader(skipped) and os.path.basename(src) not in skipped,
            "a program with debug information: both read with it (%s)" % skipped)
    t.eq(sites, [("add(int)", "lock_inlined.cpp", line)], "its lock site")

    stripped = t.path("stripped")
    subprocess.run(["strip", "-o", stripped, src], check=True)
    skipped, _ = run(stripped)
    t.check(loader(skipped) and "stripped" in skipped,
            "a stripped program: it and the loader without (%s)" % skipped)

    linked, dbg = t.path("linked"), t.path("linked.debug")
    subprocess.run(["objcopy", "--only-keep-debug", src, dbg], check=True)
    subprocess.run(["objcopy", "--strip-debug", "--add-gnu-debuglink=" + dbg, src, linked],
                   check=True)
    skipped, sites = run(linked)
    t.check(not loader(skipped) and "linked" not in skipped,
            "debug information beside the program: both read with it (%s)" % skipped)
    t.eq(sites, [("add(int)", "lock_inlined.cpp", line)], "the lock site from the debug file")


def test_locks_in_signal_handlers(t):
    """A timer signal's handler, on an alternate stack above the
    interrupted frames, takes a lock while the main loop takes another and
    fails to take a third: signals land inside lock calls, whose results
    the handler's returning calls must not stand in for; every
    acquisition and failure is counted (with and without the shadow
    stack)."""
    p = t.prog("lock_signal")
    n = 200000
    for opts in ([], ["--cpu=no"]):
        r = t.glprof([p, str(n)], opts)
        handled = int(re.search(r"handled (\d+)", r.stdout).group(1))
        t.check(handled > 0, "the timer fired during the loop (%s)" % opts)
        frames = r.json["frames"]
        got = {frames[l["site"]]["name"]: l for l in r.json["locks"] if not l["internal"]}
        t.eq(sorted(got), ["loop", "main", "on_alarm"], "the three locks' sites %s" % opts)
        t.eq(got["loop"]["acquisitions"], n, "the loop's lock, every acquisition %s" % opts)
        t.eq(got["on_alarm"]["acquisitions"], handled, "the handler's lock %s" % opts)
        t.eq((got["main"]["acquisitions"], got["main"]["busy"]), (1, n),
             "the held lock: taken once, every try-lock failed %s" % opts)
        for name in ("loop", "on_alarm"):
            l = got[name]
            t.check(l["held_ir"] >= l["acquisitions"] and l["busy"] == 0,
                    "%s: released after every hold, never failed: %s" % (name, l))


def test_locks_without_shadow_stack_or_off(t):
    p = t.prog("lock_mutex")
    j = t.glprof([p, "2", "100"], ["--cpu=no"]).json
    frames = j["frames"]
    user = [l for l in j["locks"] if not l["internal"]]
    t.check(any(frames[l["site"]]["name"] == "main" and l["acquisitions"] == 201 for l in user),
            "shared mutex found with Valgrind's unwinder: %s" % user)
    w = {x["kind"]: x for x in j["determinism"]["warnings"]}["threads"]
    t.check(any(frames[s["frame"]]["name"] == "main" for s in w["sites"]),
            "creation site with --cpu=no")
    r = t.glprof([p, "2", "100"], ["--locks=no"])
    t.check("locks" not in r.json, "no locks section with --locks=no")
    t.check("Locks: not tracked (--locks=no)" in r.report(), "report says locks are off")
    bad = t.run([t.vg, "--locks=maybe", p], expect_exit=1)
    t.check("--locks" in bad.stderr, "bad --locks value refused: %s" % bad.stderr[-500:])


# ---- determinism -------------------------------------------------------------

def test_clock_and_random_warnings(t):
    p = t.prog("clock_rand")
    r = t.glprof([p, "50"])
    j = r.json
    frames = j["frames"]
    det = {w["kind"]: w for w in j["determinism"]["warnings"]}
    t.eq(sorted(det), ["clock", "random"], "warnings")
    c = det["clock"]
    t.eq(c["calls"], 53, "clock reads (the vDSO is gone under Valgrind: all are syscalls)")
    t.eq({s["name"]: s["calls"] for s in c["sources"]},
         {"clock_gettime": 50, "gettimeofday": 2, "time": 1}, "clock sources")
    top = c["sites"][0]
    t.eq((frames[top["frame"]]["name"], frames[top["frame"]]["line"], top["calls"]),
         ("now_ns", line_of("clock_rand.c", "clock_gettime(CLOCK_MONOTONIC"), 50),
         "clock site")
    rd = det["random"]
    t.eq(rd["calls"], 3, "random reads")
    t.eq({s["name"]: s["calls"] for s in rd["sources"]},
         {"getrandom": 1, "/dev/urandom": 2}, "random sources")
    t.eq({frames[s["frame"]]["name"] for s in rd["sites"]}, {"seed"}, "random sites")
    rep = r.report()
    for needle in ("DETERMINISM: 2 warnings", "clock: the program read the clock 53 times",
                   "from now_ns (clock_rand.c:", "random: the program read random data 3 times"):
        t.check(needle in rep, "report has %r:\n%s" % (needle, rep[-3000:]))
    # kept without I/O accounting
    j2 = t.glprof([p, "50"], ["--io=no"]).json
    t.eq([(w["kind"], w["calls"]) for w in j2["determinism"]["warnings"]],
         [("clock", 53), ("random", 3)], "warnings with --io=no")


def test_no_warnings_for_deterministic_programs(t):
    p = t.prog("work")
    r = t.glprof([p, "20"])
    t.eq(r.json["determinism"], {"warnings": []}, "no warnings")
    t.check("DETERMINISM: no clock or random reads" in r.report(), "report says so")
    # workers that overlap: their interleaving is a warning, without locks
    p = t.prog("threads")
    det = t.glprof([p, "3"]).json["determinism"]["warnings"]
    t.eq([(w["kind"], w["shared_locks"]) for w in det], [("threads", 0)], "threads warning")
