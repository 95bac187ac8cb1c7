"""Real programs under glprof (issue 9), with the default options: python3
(JSON, regular expressions, threads), sqlite3 (building and querying a
database), bzip2, jq, perl and git on a small repository.  For each: the
program's output and exit status are those of a native run, the report
and the JSON profile are complete, glprof says nothing about itself (no
tool error, no warning), and the heap totals equal Memcheck's on the same
command.

Heap totals are compared exactly.  Programs that copy their environment
(python, perl, git) allocate by its size, and Valgrind puts the tool's
preload in LD_PRELOAD ("glprof" is two characters shorter than
"memcheck"): glprof runs with VALGRIND_LIB one character longer (a second
name for the same directory, which LD_PRELOAD names twice), and Memcheck
with one character more in a padding variable, so both clients get
environments of exactly the same size (each variable long enough that no
program rounds its copy up to a minimum size)."""

import os
import re
import shutil

from gptest import real

REPORT_SECTIONS = ("glprof report", "Command:", "Exit:", "CPU PROFILE:", "MEMORY PROFILE:", "LEAKS",
                   "I/O PROFILE:", "THREADS AND LOCKS:", "DETERMINISM")
JSON_KEYS = ("glprof", "command", "exit", "options", "totals", "threads", "functions", "calls",
             "paths", "frames", "heap", "leaks", "io", "locks", "determinism", "findings")
# What glprof or Valgrind would print if something went wrong on their side.
TOOL_TROUBLE = re.compile(r"^(==\d+== |--\d+-- )?(glprof: |valgrind: |.*VALGRIND INTERNAL ERROR|"
                          r"Warning: |WARNING: |.*Assertion '|.*unhandled .*syscall|"
                          r"Process terminating)")
DETERMINISTIC = {"PYTHONHASHSEED": "0", "PERL_HASH_SEED": "0", "LC_ALL": "C"}


def launcher(t):
    """The system valgrind that ./vg-in-place runs."""
    with open(t.vg) as f:
        m = re.search(r'exec "([^"]+)" --tool=glprof', f.read())
    if not m:
        raise AssertionError("cannot find the launcher in " + t.vg)
    return m.group(1)


def libdirs(t):
    """Two names for the build's .in_place directory, the glprof one one
    character longer."""
    target = os.path.join(t.build, ".in_place")
    names = {}
    for tool, name in (("memcheck", "L"), ("glprof", "LL")):
        link = t.path(name)
        if not os.path.islink(link):
            os.symlink(target, link)
        names[tool] = link
    return names


def mc_totals(r):
    m = re.search(r"total heap usage: ([\d,]+) allocs, ([\d,]+) frees, ([\d,]+) bytes allocated",
                  r.stderr)
    if not m:
        raise AssertionError("no heap summary from memcheck:\n" + r.stderr[-2000:])
    return tuple(int(g.replace(",", "")) for g in m.groups())


LEAK_KINDS = {"definitely lost": "definitely_lost", "indirectly lost": "indirectly_lost",
              "possibly lost": "possibly_lost", "still reachable": "still_reachable"}


def mc_leaks(r):
    out = {k: (0, 0) for k in LEAK_KINDS.values()}
    for m in re.finditer(r"(definitely lost|indirectly lost|possibly lost|still reachable): "
                         r"([\d,]+) bytes in ([\d,]+) blocks", r.stderr):
        out[LEAK_KINDS[m.group(1)]] = tuple(int(x.replace(",", "")) for x in m.groups()[1:])
    return out


def gp_leaks(j):
    return {k: (j["leaks"][k]["bytes"], j["leaks"][k]["blocks"]) for k in LEAK_KINDS.values()}


def profile_real(t, cmd, env=None, stdin_file=None, before_each=None, cwd=None, attempts=1):
    """Runs cmd natively, under glprof and under Memcheck; checks output,
    status, completeness, silence and heap totals.  Returns the glprof
    run (a gptest.Result with .json).  attempts > 1: a program whose
    allocations depend on thread timing is run again (glprof and Memcheck
    both) until the two agree, at most that many times."""
    env = dict(DETERMINISTIC, **(env or {}))
    vg = launcher(t)
    libs = libdirs(t)
    out = t.path("real.glprof.json")

    def run(tool):
        if before_each:
            before_each()
        e = dict(env)
        if tool == "native":
            full = cmd
        elif tool == "glprof":
            e.update(VALGRIND_LIB=libs["glprof"], GLPROF_TEST_PAD="x" * 32)
            full = [vg, "--tool=glprof", "--glprof-out-file=" + out] + cmd
        else:
            e.update(VALGRIND_LIB=libs["memcheck"], GLPROF_TEST_PAD="x" * 33)
            full = [vg, "--tool=memcheck", "--leak-check=full"] + cmd
        stdin = open(stdin_file) if stdin_file else None
        try:
            return t.run(full, expect_exit=None, env=e, stdin=stdin, cwd=cwd)
        finally:
            if stdin:
                stdin.close()

    native = run("native")
    name = os.path.basename(cmd[0])
    tried = []
    for attempt in range(attempts):
        g, m = run("glprof"), run("memcheck")
        g.json_path = out
        g._json = None
        h = g.json["heap"]
        mine = (h["total_allocs"], h["total_frees"], h["total_bytes"])
        tried.append((mine, mc_totals(m)))
        if mine == mc_totals(m):
            break
    t.eq(g.returncode, native.returncode, "%s: exit status under glprof" % name)
    t.eq(g.stdout, native.stdout, "%s: output under glprof" % name)
    t.eq(m.stdout, native.stdout, "%s: output under memcheck" % name)
    trouble = [l for l in g.stderr.splitlines() if TOOL_TROUBLE.match(l)]
    t.eq(trouble, [], "%s: glprof and Valgrind have nothing to complain about" % name)
    rep = g.report()
    for s in REPORT_SECTIONS:
        t.check(s in rep, "%s: report has %s:\n%s" % (name, s, rep[-3000:]))
    j = g.json
    for k in JSON_KEYS:
        t.check(k in j, "%s: JSON has %s" % (name, k))
    t.eq(j["exit"].get("status"), native.returncode, "%s: exit status in the profile" % name)
    t.eq(sum(x["instructions"] for x in j["threads"]), j["totals"]["instructions"],
         "%s: threads sum to the total" % name)
    t.check(j["totals"]["instructions"] > 1000000 and j["functions"], "%s: profiled" % name)
    t.check(tried[-1][0] == tried[-1][1], "%s: heap totals (allocs, frees, bytes), glprof vs "
            "memcheck, in %d attempts: %s" % (name, len(tried), tried))
    t.eq(gp_leaks(j), mc_leaks(m), "%s: leak summary vs memcheck" % name)
    return g


@real
def test_python3_json_regex_threads(t):
    py = "/usr/bin/python3"
    if not os.path.exists(py):
        raise AssertionError("python3 is needed (tools/deps.sh)")
    script = t.path("work.py")
    with open(script, "w") as f:
        f.write("import json, re, threading\n"
                "recs = [{'id': i, 'name': 'item-%d' % i, 'tags': ['t%d' % (i % 7), 'x']}"
                " for i in range(4000)]\n"
                "text = json.dumps(recs)\nback = json.loads(text)\n"
                "hits = [m.group(1) for m in re.finditer(r'item-(\\d*7)\\b', text)]\n"
                "out = {}\n"
                "# all four exist before any ends: no thread stack (and its\n"
                "# allocations) is reused by chance of timing\n"
                "meet = threading.Barrier(4)\n"
                "def worker(k):\n"
                "    out[k] = sum(r['id'] for r in back if r['id'] % 4 == k)\n"
                "    meet.wait()\n"
                "ths = [threading.Thread(target=worker, args=(k,)) for k in range(4)]\n"
                "for th in ths: th.start()\n"
                "for th in ths: th.join()\n"
                "print(len(text), len(hits), sorted(out.items()))\n")
    # Thread.start() waits on an Event, Barrier.wait() on a Condition: each
    # wait that blocks allocates a lock (malloc), so a few allocations
    # depend on which thread the scheduler runs first
    g = profile_real(t, [py, script], attempts=3)
    t.eq(len(g.json["threads"]), 5, "python3: main thread and 4 workers")


@real
def test_sqlite3_build_and_query(t):
    sql = t.path("t.sql")
    with open(sql, "w") as f:
        f.write("CREATE TABLE t(id INTEGER PRIMARY KEY, grp INTEGER, name TEXT, v REAL);\n"
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 20000)\n"
                "INSERT INTO t SELECT x, x % 97, 'name-' || x, x * 1.5 FROM c;\n"
                "CREATE INDEX t_grp ON t(grp);\n"
                "SELECT grp, count(*), sum(v), max(name) FROM t WHERE grp < 5 GROUP BY grp;\n"
                "SELECT count(*) FROM t a JOIN t b ON a.id = b.grp;\n")
    db = t.path("t.db")

    def fresh_db():
        if os.path.exists(db):
            os.unlink(db)
    g = profile_real(t, ["sqlite3", db], stdin_file=sql, before_each=fresh_db)
    t.check(any(f["path"] == db and f["write_bytes"] > 100000 for f in g.json["io"]["files"]),
            "sqlite3: the database's writes in the I/O profile")


@real
def test_bzip2(t):
    data = t.path("in.txt")
    with open(data, "w") as f:
        for i in range(60000):
            f.write("line %d of some text that compresses %d\n" % (i, i * 7919 % 1000))
    g = profile_real(t, ["bzip2", "-c", data])
    t.check(len(g.stdout) > 1000, "bzip2: compressed output")


@real
def test_jq(t):
    if not shutil.which("jq"):
        raise AssertionError("jq is needed (tools/deps.sh)")
    data = t.path("data.json")
    with open(data, "w") as f:
        f.write("[" + ",".join('{"id":%d,"name":"n%d","v":[%d,%d,{"k":"%d"}]}'
                               % (i, i, i, 2 * i, i) for i in range(5000)) + "]")
    profile_real(t, ["jq", "-c", "[.[] | select(.id % 3 == 0) | {name, s: (.v[0] + .v[1])}] "
                     "| group_by(.s % 7) | map(length)", data])


@real
def test_perl(t):
    prog = ('my %h; for my $i (1..30000) { my $k = "key" . ($i * 7919 % 5000); $h{$k} .= "x"; } '
            'my @s = sort { length($h{$b}) <=> length($h{$a}) || $a cmp $b } keys %h; '
            'my $t = join(",", @s[0..9]); $t =~ s/key(\\d+)/<$1>/g; print scalar(@s), " $t\\n";')
    profile_real(t, ["perl", "-e", prog])


@real
def test_git_small_repository(t):
    if not shutil.which("git"):
        raise AssertionError("git is needed (tools/deps.sh)")
    repo = t.path("repo")
    os.makedirs(repo)
    env = {"HOME": t.dir, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "glprof",
           "GIT_AUTHOR_EMAIL": "glprof@example.org", "GIT_COMMITTER_NAME": "glprof",
           "GIT_COMMITTER_EMAIL": "glprof@example.org", "GIT_AUTHOR_DATE": "2026-01-01T00:00:00",
           "GIT_COMMITTER_DATE": "2026-01-01T00:00:00", "GIT_PAGER": "cat"}
    git = ["git", "-C", repo]
    t.run(git + ["init", "-q", "-b", "main"], env=env)
    for c in range(12):
        for k in range(8):
            with open(os.path.join(repo, "file%d.txt" % k), "a") as f:
                f.write("".join("commit %d line %d of file %d\n" % (c, i, k) for i in range(40)))
        t.run(git + ["add", "-A"], env=env)
        t.run(git + ["commit", "-q", "-m", "commit %d" % c], env=env)
    g = profile_real(t, git + ["--no-pager", "log", "-p", "--stat", "--no-color"], env=env)
    t.check(g.stdout.count("\ncommit ") >= 11, "git: the log")
