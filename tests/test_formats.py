"""Exchange formats (docs/formats.md): glprof's Callgrind, Cachegrind,
folded-stack (instructions, allocated and leaked bytes) and DHAT files,
read by the real readers installed here (callgrind_annotate flat,
--inclusive=yes and --tree=caller; cg_annotate, cg_diff; DHAT's viewer
script dh_view.js under node) and compared with glprof's own JSON profile
of the same run and with Callgrind, Memcheck and DHAT on the same program;
plus strict checks of each format's rules, one per gotcha that breaks some
reader (KCachegrind, gprof2dot, speedscope, flamegraph.pl, inferno), with
the parsing rules of speedscope's and flamegraph.pl's importers.  Readers
that are not Debian packages (gprof2dot, flamegraph.pl, inferno) run too
when they are on PATH."""

import collections
import json
import os
import re
import shutil
import subprocess

import gptest


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

def run_formats(t, cmd, opts=(), tag="p", expect_exit=0):
    """Runs cmd under glprof writing every format; returns (Result, files)."""
    files = {"callgrind": t.path("callgrind.out." + tag),
             "cachegrind": t.path("cachegrind.out." + tag),
             "folded": t.path(tag + ".folded")}
    r = t.glprof(cmd, ["--callgrind-out-file=" + files["callgrind"],
                       "--cachegrind-out-file=" + files["cachegrind"],
                       "--folded-out-file=" + files["folded"]] + list(opts),
                 json_name=tag + ".json", expect_exit=expect_exit)
    for k, p in files.items():
        t.check(os.path.exists(p), "%s file %s written\n%s" % (k, p, r.stderr[-2000:]))
    return r, files


def read_bytes_lines(t, path):
    with open(path, "rb") as f:
        data = f.read()
    t.check(data.endswith(b"\n"), "%s ends with a newline" % path)
    t.check(b"\r" not in data, "%s has no carriage return" % path)
    t.check(b"\t" not in data, "%s has no tab (gprof2dot stops at one)" % path)
    lines = data.decode("utf-8", errors="strict").split("\n")[:-1]
    for i, line in enumerate(lines):
        t.check(line == line.rstrip(), "%s:%d has trailing blanks: %r" % (path, i + 1, line))
    return lines


def printable(name):
    """glprof's printable form of a name (gp_out_common.c)."""
    s = "".join("?" if (ord(c) < 0x20 or ord(c) == 0x7f) else c for c in name)
    s = s.replace(";", ":").strip(" ")
    return s or "???"


class CgFile:
    """A glprof callgrind file, checked against the format's rules."""

    def __init__(self):
        self.header = {}
        self.fn_self = collections.Counter()       # unique name -> self
        self.fn_where = {}                         # unique name -> (obj, file)
        self.lines = collections.Counter()         # (name, file, line) -> self
        self.arcs = {}                             # (caller, callee) -> dict
        self.keys = set()                          # "file:fn" as callgrind_annotate keys
        self.sum_self = 0
        self.totals = None
        self.summary = None


_ASSIGN = re.compile(r"^(ob|fl|fi|fe|fn|cob|cfi|cfn)=\((\d+)\)(?: (.+))?$")
_COST = re.compile(r"^(\d+) (\d+)$")
_CALLS = re.compile(r"^calls=(\d+) (\d+)$")
_HEADER = re.compile(r"^(pid|cmd|part|desc|positions|event): (.+)$")


def check_callgrind(t, path):
    """Every rule glprof's callgrind writer promises (docs/formats.md),
    each of which some reader depends on; returns a CgFile."""
    lines = read_bytes_lines(t, path)
    cg = CgFile()
    t.eq(lines[0], "# callgrind format", "first line (speedscope's detection)")
    t.eq(lines[1], "version: 1", "version right after it")
    t.check(lines[2].startswith("creator: glprof-"), "creator third (gprof2dot reads it there)")
    i = 3
    while not lines[i].startswith("events:"):
        m = _HEADER.match(lines[i])
        t.check(m, "header line %d is a known 'key: value' before events: %r" % (i + 1, lines[i]))
        cg.header.setdefault(m.group(1), []).append(m.group(2))
        i += 1
    t.eq(lines[i], "events: Ir", "one event, Ir first (gprof2dot uses the first)")
    t.eq(cg.header.get("positions"), ["line"], "positions: line (speedscope knows only one column)")
    i += 1
    m = re.match(r"^summary: (\d+)$", lines[i])
    t.check(m, "summary: right after events:")
    cg.summary = int(m.group(1))
    i += 1

    names = {"ob": {}, "fl": {}, "fn": {}}
    space = {"ob": "ob", "cob": "ob", "fl": "fl", "fi": "fl", "fe": "fl", "cfi": "fl",
             "fn": "fn", "cfn": "fn"}
    ob = fl = cur = fn = None
    call = []                     # the cob/cfi/cfn keys seen since the last calls=
    cob = cfi = cfn = None
    expect_cost = None            # (count, target line) after calls=
    block = []                    # keys since the last blank line
    for n in range(i, len(lines)):
        line = lines[n]
        where = "%s:%d %r" % (os.path.basename(path), n + 1, line)
        if expect_cost is not None:
            m = _COST.match(line)
            t.check(m, "calls= followed at once by its cost line: " + where)
            site, incl = int(m.group(1)), int(m.group(2))
            a = cg.arcs.setdefault((fn, cfn), {"calls": 0, "incl": 0, "sites": []})
            a["calls"] += expect_cost[0]
            a["incl"] += incl
            a["sites"].append((cur, site))
            cg.keys.add(cfi + ":" + cfn)
            expect_cost = None
            continue
        if line == "":
            block = []
            continue
        if line.startswith("totals: "):
            t.eq(n, len(lines) - 1, "totals: is the last line")
            cg.totals = int(line.split()[1])
            continue
        m = _ASSIGN.match(line)
        if m:
            key, ident, name = m.group(1), m.group(2), m.group(3)
            table = names[space[key]]
            if name is not None:
                t.check(ident not in table, "id (%s) defined twice in %s: %s" % (ident, space[key], where))
                t.check(name not in table.values(),
                        "name %r has two ids in %s (readers keying by name merge them): %s"
                        % (name, space[key], where))
                table[ident] = name
            else:
                t.check(ident in table, "id (%s) used before its definition: %s" % (ident, where))
                name = table[ident]
            if key == "ob":
                t.eq(block, [], "ob= opens a function block: " + where)
                ob = name
            elif key == "fl":
                t.eq(block, ["ob"], "fl= after ob=: " + where)
                fl = cur = name
            elif key == "fn":
                t.eq(block, ["ob", "fl"], "fn= after ob= and fl=: " + where)
                fn = name
                t.check(fn not in cg.fn_where or cg.fn_where[fn][2] == "callee",
                        "one block per function: " + where)
                t.eq(cg.fn_where.get(fn, (ob, fl))[:2], (ob, fl),
                     "function in the object and file its callers name: " + where)
                cg.fn_where[fn] = (ob, fl, "block")
                cg.keys.add(fl + ":" + fn)
            elif key in ("fi", "fe"):
                t.check(fn is not None, "fi/fe inside a function: " + where)
                cur = name
                cg.keys.add(cur + ":" + fn)
            elif key == "cob":
                call = ["cob"]
                cob = name
            elif key == "cfi":
                t.eq(call, ["cob"], "cfi= after cob=: " + where)
                call.append("cfi")
                cfi = name
            elif key == "cfn":
                t.eq(call, ["cob", "cfi"], "cfn= after cob= and cfi=: " + where)
                call.append("cfn")
                cfn = name
                cg.fn_where.setdefault(cfn, (cob, cfi, "callee"))
                t.eq(cg.fn_where[cfn][:2], (cob, cfi), "callee %s always in one object and file" % cfn)
            block.append(key)
            continue
        m = _CALLS.match(line)
        if m:
            t.eq(call, ["cob", "cfi", "cfn"], "calls= after cob=, cfi=, cfn=: " + where)
            call = []
            expect_cost = (int(m.group(1)), int(m.group(2)))
            continue
        m = _COST.match(line)
        t.check(m, "a line of the format (no subposition compression, no other keys): " + where)
        t.check(fn is not None and call == [], "self cost inside a function: " + where)
        v = int(m.group(2))
        t.check(v > 0, "no zero cost lines: " + where)
        cg.fn_self[fn] += v
        cg.lines[(fn, cur, int(m.group(1)))] += v
        cg.sum_self += v
    t.check(expect_cost is None, "file ends after a calls= line")
    t.eq(cg.totals, cg.sum_self, "totals: equals the sum of the self cost lines")
    t.eq(cg.summary, cg.totals, "summary: equals totals:")
    return cg


def speedscope_callgrind(t, path):
    """speedscope's callgrind importer (src/import/callgrind.ts at 3613918),
    its parsing rules and errors re-created: returns (self weight, child
    weights) per frame key "file:name", its keys being fl= (not fi=) and
    cfi= (else the caller's fl=)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    saved = {"file": {}, "fn": {}}
    prev = []
    filename = fn = cfile = cfn = None
    events = None
    selfw = collections.Counter()
    child = collections.Counter()

    def name(value, table, n):
        m = re.match(r"^\((\d+)\)\s*(.+)$", value)
        if m:
            t.check(m.group(1) not in saved[table],
                    "speedscope: redefinition of id %s on line %d" % (m.group(1), n))
            saved[table][m.group(1)] = m.group(2)
            return m.group(2)
        m = re.match(r"^\((\d+)\)$", value)
        if m:
            t.check(m.group(1) in saved[table],
                    "speedscope: id %s used before definition on line %d" % (m.group(1), n))
            return saved[table][m.group(1)]
        return value

    def cost(line):
        parts = re.split(r"\s+", line)
        nums = []
        for k, part in enumerate(parts):
            if part == "":
                return None          # a trailing blank: "Unrecognized line"
            if part == "*" or part[0] == "-" or part[1:2] == "+":
                # relative to the previous cost line (its test of '+' is
                # on the second character, so "+3" reads as 3)
                t.check(k < len(prev), "speedscope: subposition without a previous line")
                nums.append(prev[k] if part == "*" else prev[k] + js_int(part))
                continue
            v = js_int(part)
            if v is None:
                return None
            nums.append(v)
        prev[:] = nums
        return nums or None

    def js_int(part):
        m = re.match(r"^[+-]?\d+", part)
        return int(m.group(0)) if m else None

    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if re.match(r"^\s*#", line) or re.match(r"^\s*$", line):
            continue
        m = re.match(r"^\s*(\w+):\s*(.*)$", line)
        if m:
            if m.group(1) == "events":
                t.check(events is None, "speedscope: duplicate events: line")
                events = m.group(2).split(" ")
            continue
        m = re.match(r"^(\w+)=\s*(.*)$", line)
        if m:
            key, value = m.group(1), m.group(2)
            if key in ("fe", "fi"):
                name(value, "file", i)
            elif key == "fl":
                filename = name(value, "file", i)
            elif key == "fn":
                fn = name(value, "fn", i)
            elif key in ("cfi", "cfl"):
                cfile = name(value, "file", i)
            elif key == "cfn":
                cfn = name(value, "fn", i)
            elif key == "calls":
                nums = cost(lines[i])
                i += 1
                t.check(nums is not None, "speedscope: cost line after calls= on line %d" % i)
                child[((filename or "(unknown)") + ":" + (fn or "(unknown)"),
                       (cfile or filename or "(unknown)") + ":" + (cfn or "(unknown)"))] += nums[1]
                cfile = cfn = None
            elif key not in ("ob", "cob"):
                raise AssertionError("speedscope ignores the unknown key %r" % line)
            continue
        nums = cost(line)
        t.check(nums is not None, "speedscope: Unrecognized line %r on line %d" % (line, i))
        t.check(events is not None, "speedscope: cost line before events:")
        t.check(len(nums) == 1 + len(events), "speedscope needs every event on a cost line: %r" % line)
        selfw[(filename or "(unknown)") + ":" + (fn or "(unknown)")] += nums[1]
    return selfw, child


def check_speedscope_callgrind(t, path, total):
    """speedscope reads the file, its weights sum to the total, and every
    callee frame it builds is the frame of that function's own costs (no
    phantom "file:function" frames from a defaulted callee file)."""
    selfw, child = speedscope_callgrind(t, path)
    t.eq(sum(selfw.values()), total, "speedscope: self weights sum to the total")
    blocks = set(selfw) | {caller for caller, _ in child}
    for (caller, callee), w in child.items():
        # a callee that ran something has a block of its own: same frame
        t.check(w == 0 or callee in blocks,
                "speedscope: callee frame %r is its function's frame" % callee)


def fn_names(t, cg, j):
    """glprof JSON function id -> its unique name in the callgrind file."""
    out = {}
    taken = {}
    for f in j["functions"]:
        want = printable(f["name"])
        obj, fil = printable(f["object"]), printable(f["file"] or "???")
        hits = [n for n, w in cg.fn_where.items()
                if w[0] == obj and w[1] == fil and (n == want or n.startswith(want + " ["))]
        if not hits:
            # a byte that is not UTF-8: the JSON shows it as a character,
            # the callgrind file as '?'
            hits = [n for n, w in cg.fn_where.items()
                    if w[0] == obj and w[1] == fil and len(n) == len(want)
                    and all(a == b or a == "?" for a, b in zip(n, want))]
        if not hits:
            continue          # ran nothing and called nothing: not in the file
        if len(hits) > 1:     # same name, object and file: told apart by line
            hits = [n for n in hits if (":%d, " % f["line"]) in n] or hits
        t.eq(len(hits), 1, "one callgrind name for %r (%s): %r" % (f["name"], fil, hits))
        t.check(hits[0] not in taken, "%r names two functions" % hits[0])
        taken[hits[0]] = f["id"]
        out[f["id"]] = hits[0]
    return out


def compare_callgrind_with_json(t, cg, j):
    """Self per function and every call arc equal the JSON profile's."""
    total = j["totals"]["instructions"]
    t.eq(cg.summary, total, "summary: equals glprof's total")
    names = fn_names(t, cg, j)
    for f in j["functions"]:
        if f["self_ir"] or f["id"] in names:
            t.check(f["id"] in names, "function %s (self %d) is in the callgrind file"
                    % (f["name"], f["self_ir"]))
            t.eq(cg.fn_self[names[f["id"]]], f["self_ir"], "self of %s" % f["name"])
    arcs = {}
    for e in j["calls"]:
        key = (names[e["caller"]], names[e["callee"]])
        arcs[key] = (e["calls"], e["incl_ir"])
    got = {k: (v["calls"], v["incl"]) for k, v in cg.arcs.items()}
    t.eq(len(got), len(arcs), "number of call arcs")
    for k, v in arcs.items():
        t.eq(got.get(k), v, "call arc %s -> %s (calls, inclusive)" % k)
    return names


# ---- callgrind_annotate --------------------------------------------------

_ANN = re.compile(r"^\s*(-?[\d,]+) \(\s*-?[\d.]+%\)\s+(.*)$")


def annotate(t, path, keys, *opts):
    """Runs callgrind_annotate; returns (total, rows) with rows a list of
    (value, marker, key, count): marker '' (flat), '*' (the function of a
    tree), '<' (a caller), '>' (a callee); count the (Nx) of callers."""
    r = subprocess.run(["callgrind_annotate", "--auto=no", "--threshold=100"] + list(opts) + [path],
                       capture_output=True, cwd="/", errors="surrogateescape", text=True)
    t.eq(r.returncode, 0, "callgrind_annotate exit status (%s)" % r.stderr[-500:])
    t.check("WARNING" not in r.stderr and "malformed" not in r.stderr,
            "callgrind_annotate read every line: %s" % r.stderr[-500:])
    total, rows = None, []
    ordered = sorted(keys, key=len, reverse=True)
    for line in r.stdout.splitlines():
        m = _ANN.match(line)
        if not m:
            continue
        v, rest = int(m.group(1).replace(",", "")), m.group(2)
        if rest.startswith("PROGRAM TOTALS"):
            total = v
            continue
        marker = ""
        mm = re.match(r"^([<*>])\s+(.*)$", rest)
        if mm:
            marker, rest = mm.group(1), mm.group(2)
        key = next((k for k in ordered if rest == k or rest.startswith(k + " ")), None)
        t.check(key is not None, "callgrind_annotate row names a known function: %r" % line)
        tail = rest[len(key):]
        cm = re.match(r"^ \(([\d,]+)x\)", tail)
        rows.append((v, marker, key, int(cm.group(1).replace(",", "")) if cm else None))
    t.check(total is not None, "callgrind_annotate printed PROGRAM TOTALS")
    return total, rows


def split_key(cg, key):
    """'file:fn' -> fn (the longest function name that ends the key)."""
    for n in sorted(cg.fn_where, key=len, reverse=True):
        if key.endswith(":" + n):
            return n
    raise AssertionError("no function in key %r" % key)


def recursive_fns(j):
    """Ids of functions that appear twice on one call path."""
    paths = j["paths"]["nodes"]
    cols = j["paths"]["columns"]
    P, F = cols.index("parent"), cols.index("fn")
    out = set()
    for i, n in enumerate(paths):
        seen = set()
        k = i
        while k >= 0:
            f = paths[k][F]
            if f in seen:
                out.add(f)
            seen.add(f)
            k = paths[k][P]
    return out


def path_roots(j):
    cols = j["paths"]["columns"]
    P, F = cols.index("parent"), cols.index("fn")
    return {n[F] for n in j["paths"]["nodes"] if n[P] == -1}


# ---- folded stacks -------------------------------------------------------

def check_folded(t, path, total, j=None, names=None):
    """Folded-format rules (speedscope's ^(.*) (\\d+)$ on every line, which
    its content detection needs; flamegraph.pl's parse agrees), exact sum,
    and, given the JSON and the name map, line for line the JSON's paths."""
    lines = read_bytes_lines(t, path)
    stacks = collections.Counter()
    for n, line in enumerate(lines):
        m = re.match(r"^(.*) (\d+)$", line)
        t.check(m, "%s:%d is 'frames weight' (no comments, no blank lines): %r" % (path, n + 1, line))
        fg = re.match(r"^(.*)\s+?(\d+(?:\.\d*)?)$", line)       # flamegraph.pl
        t.eq((fg.group(1), fg.group(2)), (m.group(1), m.group(2)), "flamegraph.pl parse of %r" % line)
        frames = m.group(1).split(";")
        t.check(all(frames), "no empty frame: %r" % line)
        t.check(int(m.group(2)) > 0, "no zero weight: %r" % line)
        t.check(m.group(1) not in stacks, "one line per stack: %r" % line)
        stacks[m.group(1)] += int(m.group(2))
    t.eq(sum(stacks.values()), total, "folded weights sum to the total instructions")
    if j is not None:
        cols = j["paths"]["columns"]
        P, F, S = cols.index("parent"), cols.index("fn"), cols.index("self_ir")
        nodes = j["paths"]["nodes"]
        prefix = []
        want = collections.Counter()
        for i, nd in enumerate(nodes):
            p = prefix[nd[P]] if nd[P] >= 0 else None
            s = names[nd[F]] if p is None else p + ";" + names[nd[F]]
            prefix.append(s)
            if nd[S]:
                want[s] += nd[S]
        t.eq(len(stacks), len(want), "one folded line per call path that ran")
        for s, v in want.items():
            t.eq(stacks.get(s), v, "folded weight of %s" % s[-200:])
    return stacks


def run_optional_readers(t, files, total):
    """Readers that are not Debian packages, when someone put them on PATH."""
    fg = shutil.which("flamegraph.pl")
    if fg:
        r = t.run(["perl", fg, files["folded"]])
        m = re.search(r"<title>all \(([\d,]+) samples", r.stdout)
        t.check(m and int(m.group(1).replace(",", "")) == total, "flamegraph.pl total")
    g2d = shutil.which("gprof2dot")
    if g2d:
        for fmt, f in (("callgrind", files["callgrind"]), ("collapse", files["folded"])):
            r = t.run([g2d, "-f", fmt, f])
            t.check("warning" not in r.stderr, "gprof2dot -f %s: %s" % (fmt, r.stderr[-500:]))
    inferno = shutil.which("inferno-flamegraph")
    if inferno:
        t.run([inferno, files["folded"]])


# ---- cachegrind ----------------------------------------------------------

def check_cachegrind(t, path):
    """Cachegrind-format rules cg_annotate (3.19 Perl and >= 3.21 Python)
    enforce; returns ({(file, fn): self}, sum)."""
    lines = read_bytes_lines(t, path)
    i = 0
    while lines[i].startswith("desc: "):
        i += 1
    t.check(i >= 1, "desc: lines first")
    t.check(lines[i].startswith("cmd: "), "cmd: after the desc: lines")
    t.eq(lines[i + 1], "events: Ir", "events: after cmd:")
    fl = fn = None
    per = collections.Counter()
    total = 0
    for n in range(i + 2, len(lines) - 1):
        line = lines[n]
        if line.startswith("fl="):
            fl, fn = line[3:], None
            t.check(lines[n + 1].startswith("fn="), "fn= right after fl= (line %d)" % (n + 1))
        elif line.startswith("fn="):
            fn = line[3:]
        else:
            m = _COST.match(line)
            t.check(m and fl and fn, "cost line inside fl=/fn= (line %d): %r" % (n + 1, line))
            per[(fl, fn)] += int(m.group(2))
            total += int(m.group(2))
    m = re.match(r"^summary: (\d+)$", lines[-1])
    t.check(m, "summary: is the last line")
    t.eq(int(m.group(1)), total, "summary: equals the exact sum (cg_annotate >= 3.21 checks)")
    return per, total


def cg_annotate(t, path):
    """cg_annotate's PROGRAM TOTALS and per file:function rows."""
    r = subprocess.run(["cg_annotate", "--auto=no", "--threshold=0", path], capture_output=True,
                       cwd="/", errors="surrogateescape", text=True)
    t.eq(r.returncode, 0, "cg_annotate exit status (%s)" % r.stderr[-500:])
    t.check("WARNING" not in r.stderr, "cg_annotate read every line: %s" % r.stderr[-500:])
    total, rows = None, {}
    for line in r.stdout.splitlines():
        m = _ANN.match(line)
        if not m:
            continue
        v = int(m.group(1).replace(",", ""))
        if m.group(2) == "PROGRAM TOTALS":
            total = v
        else:
            rows[m.group(2)] = v
    return total, rows


def cg_annotate_version():
    r = subprocess.run(["cg_annotate", "--version"], capture_output=True, text=True)
    m = re.search(r"(\d+)\.(\d+)", r.stdout + r.stderr)
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


# ---------------------------------------------------------------------------
# tests
# ---------------------------------------------------------------------------

def test_callgrind_rules_and_json(t):
    """The callgrind file keeps every rule of the format, and holds exactly
    the JSON profile's self instructions per function and call arcs."""
    p = t.prog("work")
    r, files = run_formats(t, [p, "100"])
    cg = check_callgrind(t, files["callgrind"])
    names = compare_callgrind_with_json(t, cg, r.json)
    check_speedscope_callgrind(t, files["callgrind"], r.json["totals"]["instructions"])
    t.eq(cg.header["cmd"], [p + " 100"], "cmd:")
    t.eq(cg.header["pid"], [str(r.json["pid"])], "pid:")
    crunch = r.fn("crunch")
    t.eq(names[crunch["id"]], "crunch", "a unique name needs no suffix")
    # the call arc main -> crunch: 100 calls at crunch's call site in main
    arc = cg.arcs[("main", "crunch")]
    t.eq(arc["calls"], 100, "calls= count")
    src = open(os.path.join(gptest.PROGS, "work.c")).read().split("\n")
    site_file, site_line = arc["sites"][0]
    t.check(site_file.endswith("work.c") and "crunch(" in src[site_line - 1],
            "call site line %s:%d is the line that calls crunch" % (site_file, site_line))
    # per-line self costs: crunch's loop lines, summing to its self
    crunch_lines = {ln: v for (fn, fl, ln), v in cg.lines.items() if fn == "crunch"}
    t.eq(sum(crunch_lines.values()), crunch["self_ir"], "crunch's lines sum to its self")
    t.eq(crunch_lines, {ln: v for fl, ln, v in crunch["lines"]}, "crunch's lines as in the JSON")


def test_callgrind_annotate_flat(t):
    """callgrind_annotate reads the file: its total is glprof's, and every
    function's self (its file:function rows summed, as inlined code of other
    files is listed apart, as for Callgrind's own files) is glprof's."""
    p = t.prog("work")
    r, files = run_formats(t, [p, "100"])
    cg = check_callgrind(t, files["callgrind"])
    names = fn_names(t, cg, r.json)
    total, rows = annotate(t, files["callgrind"], cg.keys)
    t.eq(total, r.json["totals"]["instructions"], "callgrind_annotate's total")
    t.eq(sum(v for v, _, _, _ in rows), total, "its rows sum to the total")
    per = collections.Counter()
    for v, _, key, _ in rows:
        per[split_key(cg, key)] += v
    for f in r.json["functions"]:
        if f["self_ir"]:
            t.eq(per[names[f["id"]]], f["self_ir"], "callgrind_annotate self of %s" % f["name"])
    t.check(rows[0][2].endswith(":crunch"), "top function crunch: %r" % (rows[0],))


def test_callgrind_annotate_inclusive_and_tree(t):
    """--inclusive=yes gives glprof's inclusive instructions for every
    function that is not recursive (for recursive ones it counts nested
    calls again, as for Callgrind's own files: docs/formats.md), and
    --tree=caller lists each function's callers with glprof's call counts."""
    p = t.prog("recursion")
    r, files = run_formats(t, [p, "18", "300"])
    j = r.json
    cg = check_callgrind(t, files["callgrind"])
    names = compare_callgrind_with_json(t, cg, j)
    by_name = {names[f["id"]]: f for f in j["functions"] if f["id"] in names}
    rec = recursive_fns(j)
    roots = path_roots(j)
    total, rows = annotate(t, files["callgrind"], cg.keys, "--inclusive=yes")
    t.eq(total, j["totals"]["instructions"], "total")
    incl = collections.defaultdict(dict)
    for v, _, key, _ in rows:
        incl[split_key(cg, key)][key] = v
    checked = 0
    for name, f in by_name.items():
        if f["id"] in rec or name not in incl:
            continue
        own_key = cg.fn_where[name][1] + ":" + name
        if f["id"] in roots:
            # never called: callgrind_annotate adds what each file part calls
            got = sum(incl[name].values())
        else:
            got = incl[name].get(own_key)
        t.eq(got, f["incl_ir"], "inclusive of %s" % name)
        checked += 1
    t.check(checked > 20, "inclusive compared for %d functions" % checked)
    fib = r.fn("fib")
    t.check(fib["id"] in rec, "fib is recursive")
    t.check(incl["fib"][cg.fn_where["fib"][1] + ":fib"] > fib["incl_ir"],
            "the recursion caveat: nested calls of fib counted again")
    for fname in ("is_even", "is_odd", "deep"):
        t.check(r.fn(fname)["id"] in rec, "%s is recursive" % fname)

    # --tree=caller: callers of each function with their call counts
    total, rows = annotate(t, files["callgrind"], cg.keys, "--tree=caller")
    callers = {}
    current = collections.defaultdict(lambda: [0, 0])
    for v, marker, key, count in rows:
        if marker == "<":
            # a caller's calls from inlined code of another file are a
            # separate "file:function" row: add them up per function
            c = current[split_key(cg, key)]
            c[0] += count
            c[1] += v
        elif marker == "*":
            callers[key] = {c: tuple(nw) for c, nw in current.items()}
            current = collections.defaultdict(lambda: [0, 0])
    want = collections.defaultdict(dict)
    for e in j["calls"]:
        want[names[e["callee"]]][names[e["caller"]]] = (e["calls"], e["incl_ir"])
    for callee in ("fib", "is_even", "is_odd", "deep", "main"):
        key = cg.fn_where[callee][1] + ":" + callee
        t.eq(callers.get(key), want[callee], "callers of %s (calls, inclusive)" % callee)


def test_callgrind_annotate_agrees_with_callgrind(t):
    """The same program's Callgrind file and glprof's callgrind file give
    callgrind_annotate the same top functions and self costs (to 0.1%:
    glprof's run also executes its allocator preload)."""
    p = t.prog("work")
    r, files = run_formats(t, [p, "60"])
    cgo = t.path("callgrind.out.cl")
    t.valgrind("callgrind", [p, "60"], ["--callgrind-out-file=" + cgo])
    mine = check_callgrind(t, files["callgrind"])
    _, rows_mine = annotate(t, files["callgrind"], mine.keys)
    r2 = subprocess.run(["callgrind_annotate", "--auto=no", "--threshold=100", cgo],
                        capture_output=True, text=True, cwd="/")
    theirs = {}
    for line in r2.stdout.splitlines():
        m = _ANN.match(line)
        if m and not m.group(2).startswith("PROGRAM TOTALS"):
            key = re.sub(r" \[[^\]]*\]$", "", m.group(2))
            theirs[key] = theirs.get(key, 0) + int(m.group(1).replace(",", ""))
    for v, _, key, _ in rows_mine[:3]:
        t.check(key in theirs, "%s in Callgrind's annotation too" % key)
        t.close(v, theirs[key], 0.001, "self of %s, glprof vs Callgrind" % key)


def test_folded_exact_paths(t):
    """One line per call path, its exact self instructions from the
    calling-context tree (the JSON paths, line for line), summing to the
    total; threads and their roots; recursion folded as in the JSON."""
    for prog, args in (("work", ["50"]), ("recursion", ["16", "200"]), ("threads", [])):
        p = t.prog(prog)
        r, files = run_formats(t, [p] + args, tag=prog)
        cg = check_callgrind(t, files["callgrind"])
        names = fn_names(t, cg, r.json)
        stacks = check_folded(t, files["folded"], r.json["totals"]["instructions"], r.json, names)
        run_optional_readers(t, files, r.json["totals"]["instructions"])
        if prog == "threads":
            roots = {s.split(";")[0] for s in stacks}
            t.check(len(roots) >= 2, "thread roots: %s" % sorted(roots))
            t.check(any(s.split(";")[-1] == "worker" for s in stacks), "worker's own stacks")
        if prog == "recursion":
            deepest = max(s.count(";fib") for s in stacks)
            t.check(2 <= deepest <= 9, "fib nested on its paths, folded at --fold-recursion=8: %d"
                    % deepest)


def test_names_that_break_formats(t):
    """Names with ';', blanks, a tab, UTF-8 and a non-UTF-8 byte, and two
    static functions named helper in two files: unique, printable names in
    every format, that every reader parses."""
    out = t.path("names")
    t.run(["gcc", "-O1", "-g", "-o", out, os.path.join(gptest.PROGS, "names.c"),
           os.path.join(gptest.PROGS, "names_b.c")])
    r, files = run_formats(t, [out, "50"])
    total = r.json["totals"]["instructions"]
    cg = check_callgrind(t, files["callgrind"])
    compare_callgrind_with_json(t, cg, r.json)
    check_speedscope_callgrind(t, files["callgrind"], total)
    fns = set(cg.fn_self)
    for want in ("helper [names.c]", "helper [names_b.c]", "semi:colon fn", "tab?name",
                 "bad?utf", "trailing", "caf\u00e9"):
        t.check(want in fns, "function %r in the callgrind file (have %s)"
                % (want, sorted(n for n in fns if "names" in n or n.isascii() is False)[:20]))
    helpers = {os.path.basename(f["file"]): f for f in r.json["functions"] if f["name"] == "helper"}
    t.eq(sorted(helpers), ["names.c", "names_b.c"], "two static helpers in the JSON")
    t.eq((helpers["names.c"]["calls"], helpers["names_b.c"]["calls"]), (50, 100), "their calls")
    for fname, f in helpers.items():
        t.eq(cg.fn_self["helper [%s]" % fname], f["self_ir"], "self of %s's helper" % fname)
    stacks = check_folded(t, files["folded"], total)
    leaves = collections.Counter()
    for s, v in stacks.items():
        leaves[s.split(";")[-1]] += v
    for fname, f in helpers.items():
        t.eq(leaves["helper [%s]" % fname], f["self_ir"], "folded helper [%s]" % fname)
    t.check(leaves["semi:colon fn"] > 0, "';' replaced in folded frames")
    ann_total, rows = annotate(t, files["callgrind"], cg.keys)
    t.eq(ann_total, total, "callgrind_annotate total")
    t.check(any(k.endswith(":helper [names_b.c]") for _, _, k, _ in rows), "annotate lists both helpers")
    per, cgi_total = check_cachegrind(t, files["cachegrind"])
    t.eq(cgi_total, total, "cachegrind total")
    c_total, _ = cg_annotate(t, files["cachegrind"])
    t.eq(c_total, total, "cg_annotate total")


def test_cpp_names_and_exceptions(t):
    """C++ names (parentheses, templates, '::', blanks) and call paths cut by
    exception unwinding: every reader takes the files, totals exact."""
    p = t.prog("exceptions")
    r, files = run_formats(t, [p, "30", "40"])
    total = r.json["totals"]["instructions"]
    cg = check_callgrind(t, files["callgrind"])
    names = compare_callgrind_with_json(t, cg, r.json)
    t.check("thrower(int)" in cg.fn_self, "C++ signature kept as the name")
    t.check(any("::" in n and " " in n for n in cg.fn_where), "C++ names with '::' and blanks")
    check_folded(t, files["folded"], total, r.json, names)
    ann_total, _ = annotate(t, files["callgrind"], cg.keys, "--inclusive=yes")
    t.eq(ann_total, total, "callgrind_annotate total")


def test_signals_and_longjmp(t):
    """Signal handlers are roots of their own stacks; longjmp cuts paths;
    the formats stay exact."""
    for prog in ("signals", "jumps"):
        p = t.prog(prog)
        r, files = run_formats(t, [p], tag=prog)
        cg = check_callgrind(t, files["callgrind"])
        names = compare_callgrind_with_json(t, cg, r.json)
        check_folded(t, files["folded"], r.json["totals"]["instructions"], r.json, names)


def test_cachegrind_subset(t):
    """cg_annotate reads the Cachegrind-format file: total and per
    file:function self equal glprof's; cg_diff of two runs gives the
    difference of the totals (and cg_annotate --diff where installed,
    3.21+)."""
    p = t.prog("work")
    r, files = run_formats(t, [p, "100"], tag="a")
    r2, files2 = run_formats(t, [p, "40"], tag="b")
    total = r.json["totals"]["instructions"]
    per, s = check_cachegrind(t, files["cachegrind"])
    t.eq(s, total, "summary: is glprof's total")
    c_total, rows = cg_annotate(t, files["cachegrind"])
    t.eq(c_total, total, "cg_annotate total")
    t.eq(sum(rows.values()), total, "cg_annotate rows sum to the total")
    crunch = r.fn("crunch")
    t.eq(rows[crunch["file"] + ":crunch"], crunch["self_ir"], "cg_annotate self of crunch")
    # per line: the same counts as the JSON
    cg = check_callgrind(t, files["callgrind"])
    t.eq(sum(per.values()), cg.sum_self, "same self costs as the callgrind file")
    diff = t.path("diff.out")
    d = t.run(["cg_diff", files2["cachegrind"], files["cachegrind"]])
    with open(diff, "w") as f:
        f.write(d.stdout)
    d_total, d_rows = cg_annotate(t, diff)
    t.eq(d_total, total - r2.json["totals"]["instructions"], "cg_diff total")
    t.eq(d_rows[crunch["file"] + ":crunch"], crunch["self_ir"] - r2.fn("crunch")["self_ir"],
         "cg_diff crunch")
    if cg_annotate_version() >= (3, 21):
        d = t.run(["cg_annotate", "--diff", files2["cachegrind"], files["cachegrind"]])
        t.check(("%s" % f"{total - r2.json['totals']['instructions']:,}") in d.stdout,
                "cg_annotate --diff total")


def test_lines_no(t):
    """--lines=no: each function's self cost on its entry line."""
    p = t.prog("work")
    r, files = run_formats(t, [p, "20"], ["--lines=no"])
    cg = check_callgrind(t, files["callgrind"])
    compare_callgrind_with_json(t, cg, r.json)
    crunch = r.fn("crunch")
    got = {(fl, ln): v for (fn, fl, ln), v in cg.lines.items() if fn == "crunch"}
    t.eq(got, {(crunch["file"], crunch["line"]): crunch["self_ir"]}, "crunch at its entry line")
    t.eq(cg.header["desc"][-1], "glprof.lines: no", "desc: says so")
    per, s = check_cachegrind(t, files["cachegrind"])
    t.eq(s, r.json["totals"]["instructions"], "cachegrind total")


def test_deterministic_files(t):
    """Two runs write the same files, byte for byte, but for the pid."""
    p = t.prog("work")
    a, fa = run_formats(t, [p, "20"], tag="a")
    b, fb = run_formats(t, [p, "20"], tag="b")
    for k in fa:
        ta = open(fa[k], "rb").read()
        tb = open(fb[k], "rb").read()
        ta = re.sub(rb"\npid: \d+\n", b"\n", ta)
        tb = re.sub(rb"\npid: \d+\n", b"\n", tb)
        t.check(ta == tb, "%s files identical" % k)


def test_format_options(t):
    """--cpu=no refuses the CPU formats before the program runs; an
    unwritable file is reported by name, the others and the report are
    still written, the exit status is unchanged; %p is expanded at exit;
    the report lists the files written."""
    p = t.prog("work")
    r = t.run([t.vg, "--tool=glprof", "--cpu=no", "--callgrind-out-file=x", p, "1"], expect_exit=1)
    t.check("--callgrind-out-file" in r.stderr and "--cpu=yes" in r.stderr,
            "refusal names the option: %s" % r.stderr[-500:])
    t.check(not os.path.exists(t.path("x")), "nothing written")
    r = t.glprof([p, "3"], ["--callgrind-out-file=" + t.path("no/such/dir/cg"),
                            "--folded-out-file=" + t.path("f.%p")])
    t.check("--callgrind-out-file" in r.stderr and "no/such/dir/cg" in r.stderr,
            "unwritable file named: %s" % r.stderr[-800:])
    folded = t.path("f.%d" % r.json["pid"])
    t.check(os.path.exists(folded), "%p expanded to the pid")
    t.check(re.search(r"Folded:\s+" + re.escape(folded), r.stderr), "report lists the folded file")
    t.check("CPU PROFILE" in r.report(), "report still printed")
    r = t.run([t.vg, "--tool=glprof", "--help"])
    for opt in ("--callgrind-out-file", "--cachegrind-out-file", "--folded-out-file"):
        t.check(opt in r.stdout, "%s in --help" % opt)


def test_sample_agent_formats(t):
    """The sample agent (threads, I/O, heap): every format and reader, exact
    totals and paths."""
    agent = os.path.join(t.build, "examples", "agent")
    src = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")
    r, files = run_formats(t, [agent, "--input", os.path.join(src, "requests.csv"),
                               "--output", t.path("out.jsonl"), "--threads", "4",
                               "--requests", "60"])
    total = r.json["totals"]["instructions"]
    cg = check_callgrind(t, files["callgrind"])
    names = compare_callgrind_with_json(t, cg, r.json)
    check_folded(t, files["folded"], total, r.json, names)
    ann_total, rows = annotate(t, files["callgrind"], cg.keys)
    t.eq(ann_total, total, "callgrind_annotate total")
    t.check(rows[0][2].endswith(":compute_emissions"), "the agent's hot function first: %r" % (rows[0],))
    per, s = check_cachegrind(t, files["cachegrind"])
    t.eq(s, total, "cachegrind total")
    c_total, _ = cg_annotate(t, files["cachegrind"])
    t.eq(c_total, total, "cg_annotate total")
    run_optional_readers(t, files, total)


# ---- heap formats --------------------------------------------------------

DH_VIEW = "/usr/libexec/valgrind/dh_view.js"

# Loads DHAT's own viewer script (installed with Valgrind) in node with the
# little of a browser it touches, and runs its buildTree() on a file: what
# dh_view.html does after loading it, with every check it makes.
_DH_RUN = r"""
const fs = require('fs'); const vm = require('vm');
const ctx = { document: { title: '' }, console, Intl };
vm.createContext(ctx);
vm.runInContext(fs.readFileSync(process.argv[1], 'utf8') + `
;function __run(text) {
  gData = JSON.parse(text);
  gSelect = { childNodes: gSelectData.map(d => ({ label: '', disabled: false })),
              selectedIndex: 0 };
  buildTree();
  return { tb: gRoot._totalBytes, tbk: gRoot._totalBlocks, gb: gRoot._atTGmaxBytes,
           eb: gRoot._atTEndBytes };
}`, ctx);
console.log(JSON.stringify(vm.runInContext('__run', ctx)(fs.readFileSync(process.argv[2], 'utf8'))));
"""


def dh_view(t, path):
    t.check(os.path.exists(DH_VIEW), "DHAT's viewer %s installed" % DH_VIEW)
    t.check(shutil.which("node"), "node installed (tools/deps.sh)")
    r = t.run(["node", "-e", _DH_RUN, DH_VIEW, path])
    return json.loads(r.stdout)


def memcheck_leaks(t, cmd):
    r = t.valgrind("memcheck", cmd, ["--leak-check=full"])
    out = {}
    for kind in ("definitely", "indirectly"):
        m = re.search(kind + r" lost: ([\d,]+) bytes", r.stderr)
        t.check(m, "memcheck's %s lost line" % kind)
        out[kind] = int(m.group(1).replace(",", ""))
    return out


def test_heap_folded_stacks(t):
    """<folded>.alloc-bytes: bytes per allocation stack, summing to the
    heap's total; <folded>.leaked-bytes: definitely and indirectly lost
    bytes per allocation stack, summing to what Memcheck finds on the same
    program; both in the folded format's rules."""
    p = t.prog("leak_shapes")
    r, files = run_formats(t, [p, "mixed"])
    j = r.json
    alloc = check_folded(t, files["folded"] + ".alloc-bytes", j["heap"]["total_bytes"])
    t.check(any(s.endswith(";mk") for s in alloc), "allocating function last: %s" % sorted(alloc)[:5])
    lost = j["leaks"]["definitely_lost"]["bytes"] + j["leaks"]["indirectly_lost"]["bytes"]
    t.check(lost > 0, "the program leaks")
    leaked = check_folded(t, files["folded"] + ".leaked-bytes", lost)
    mc = memcheck_leaks(t, [p, "mixed"])
    t.eq(sum(leaked.values()), mc["definitely"] + mc["indirectly"],
         "leaked bytes = Memcheck's definitely + indirectly lost")
    t.eq(leaked.get("main;shape_tree;mk"), 128, "tree: D (32 bytes) lost, C with F and G")
    t.check(re.search(r"Folded leak:\s+\S+leaked-bytes", r.stderr), "report lists the leak file")
    # no leak check, no leak file (an empty one would read as "no leaks")
    r2 = t.glprof([p, "tree"], ["--folded-out-file=" + t.path("nl.folded"), "--leak-check=no"])
    t.check(os.path.exists(t.path("nl.folded.alloc-bytes")), "alloc file without the leak check")
    t.check(not os.path.exists(t.path("nl.folded.leaked-bytes")), "no leak file without the leak check")
    # --heap=no: only the instructions file
    t.glprof([p, "tree"], ["--folded-out-file=" + t.path("nh.folded"), "--heap=no"])
    t.check(os.path.exists(t.path("nh.folded")) and not os.path.exists(t.path("nh.folded.alloc-bytes")),
            "no heap files with --heap=no")


def test_dhat_file(t):
    """--dhat-out-file: DHAT's own viewer script builds its tree from the
    file, and the totals, bytes at the peak and at the end equal those of
    DHAT run on the same program."""
    p = t.prog("leak_shapes")
    out = t.path("dhat.glprof")
    r = t.glprof([p, "mixed"], ["--dhat-out-file=" + out])
    with open(out, encoding="utf-8") as f:
        mine = json.load(f)
    for k in ("dhatFileVersion", "mode", "verb", "bklt", "bkacc", "tu", "Mtu", "cmd", "pid",
              "te", "tg", "tuth", "pps", "ftbl"):
        t.check(k in mine, "field %s" % k)
    t.eq((mine["dhatFileVersion"], mine["bklt"], mine["bkacc"]), (2, True, False), "version, lifetimes, no accesses")
    t.eq(mine["ftbl"][0], "[root]", "ftbl[0]")
    t.check(not any(re.match(r"0x[0-9a-f]+:", f) for f in mine["ftbl"]), "no addresses in frames")
    seqs = [tuple(pp["fs"]) for pp in mine["pps"]]
    t.eq(len(seqs), len(set(seqs)), "no repeated location")
    view = dh_view(t, out)
    real = t.path("dhat.real")
    t.valgrind("dhat", [p, "mixed"], ["--dhat-out-file=" + real])
    theirs = dh_view(t, real)
    t.eq(view, theirs, "dh_view's totals (bytes, blocks, at t-gmax, at t-end): glprof vs DHAT")
    heap = r.json["heap"]
    t.eq((view["tb"], view["tbk"], view["gb"], view["eb"]),
         (heap["total_bytes"], heap["total_allocs"], heap["peak_bytes"], heap["live_bytes"]),
         "the same as glprof's JSON")
    r = t.run([t.vg, "--tool=glprof", "--heap=no", "--dhat-out-file=x", p, "tree"], expect_exit=1)
    t.check("--dhat-out-file" in r.stderr and "--heap=yes" in r.stderr, "refused with --heap=no")


def test_dump_writes_every_format(t):
    """A dump (GLPROF_DUMP_STATS_AT) writes every requested format beside
    the final ones, with .1 after the names, each consistent with the
    dump's own JSON profile and labelled in its desc: Trigger line."""
    p = t.prog("ctl_dump")
    r, files = run_formats(t, [p])
    for suffix, trigger in ((".1", "Dump after-phase-one"), ("", "Program termination")):
        with open(r.json_path + suffix) as f:
            j = json.load(f)
        total = j["totals"]["instructions"]
        cg = check_callgrind(t, files["callgrind"] + suffix)
        names = compare_callgrind_with_json(t, cg, j)
        t.check("Trigger: " + trigger in cg.header["desc"], "desc: Trigger: %s" % trigger)
        # after GLPROF_ZERO_STATS the paths keep empty parents whose
        # functions are not in the JSON's table: compare paths on the dump
        check_folded(t, files["folded"] + suffix, total, j if suffix else None, names)
        _, s = check_cachegrind(t, files["cachegrind"] + suffix)
        t.eq(s, total, "cachegrind total of %r" % suffix)
        t.check(os.path.exists(files["folded"] + ".alloc-bytes" + suffix), "heap folded file")
