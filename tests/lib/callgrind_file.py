"""callgrind_file -- reads a callgrind-format profile (Callgrind's own, or
glprof's --callgrind-out-file) into per-function self costs, call counts and
call arcs, following the format's rules (valgrind.org cl-format):

- name compression "(id) name" / "(id)" in three spaces: objects (ob, cob),
  files (fl, fi, fe, cfi, cfl, jfi) and functions (fn, cfn, jfn);
- a cost line after "calls=" is the inclusive cost of that call, not self
  cost; every other cost line is self cost of the current fn (fi/fe only
  change the file);
- a callee without cob= is in the caller's object;
- positions per "positions:" (line, or instr line), with +N -N * relative
  forms;
- Callgrind's recursion suffixes fn'2 are merged into fn.
"""

import re

_REC = re.compile(r"^(.*)'\d+$")
_COMP = re.compile(r"^\((\d+)\)(?:\s+(.*))?$")


def base(name):
    m = _REC.match(name)
    return m.group(1) if m else name


class Profile:
    def __init__(self):
        self.total = 0            # sum of totals: (or summary:) lines
        self.summary = 0
        self.events = []
        self.fns = {}             # (name, obj) -> {"self": n, "calls": n}
        self.arcs = {}            # ((name, obj), (name, obj)) -> {"calls", "incl"}
        self.sum_self = 0
        self.lines = {}           # (name, obj, file, line) -> self

    def fn(self, name, obj=None):
        hits = [v for (n, o), v in self.fns.items() if n == name and (obj is None or o.endswith(obj))]
        if not hits:
            raise AssertionError("callgrind profile has no function %s" % name)
        out = {"self": 0, "calls": 0}
        for h in hits:
            out["self"] += h["self"]
            out["calls"] += h["calls"]
        return out


def parse(path, event=0):
    prof = Profile()
    names = {"ob": {}, "fl": {}, "fn": {}}
    space = {"ob": "ob", "cob": "ob", "fl": "fl", "fi": "fl", "fe": "fl", "cfi": "fl",
             "cfl": "fl", "jfi": "fl", "fn": "fn", "cfn": "fn", "jfn": "fn"}
    npos = 1
    ob, fl, fn, cur_file = "???", "???", None, "???"
    cob = cfn = None
    pending = None            # (count, callee key) for the cost line after calls=
    skip_next = False
    totals_seen = False
    last_pos = [0, 0]

    def name_of(key, val):
        sp = space[key]
        m = _COMP.match(val.strip())
        if not m:
            return val.strip()
        if m.group(2):
            names[sp][m.group(1)] = m.group(2)
            return m.group(2)
        if m.group(1) not in names[sp]:
            raise ValueError("%s: compressed %s id (%s) used before definition" % (path, key, m.group(1)))
        return names[sp][m.group(1)]

    def entry(key):
        d = prof.fns.get(key)
        if d is None:
            d = prof.fns[key] = {"self": 0, "calls": 0}
        return d

    with open(path, errors="surrogateescape") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            c = line[0]
            if c.isdigit() or c in "+-*":
                toks = line.split()
                pos = toks[:npos]
                for i, p in enumerate(pos):
                    if p == "*":
                        v = last_pos[i]
                    elif p[0] in "+-":
                        v = last_pos[i] + int(p, 0)
                    else:
                        v = int(p, 0)
                    last_pos[i] = v
                costs = [int(x, 0) for x in toks[npos:]]
                val = costs[event] if event < len(costs) else 0
                if skip_next:
                    skip_next = False
                    continue
                if pending is not None:
                    count, callee = pending
                    caller = (base(fn), ob)
                    a = prof.arcs.setdefault((caller, callee), {"calls": 0, "incl": 0})
                    a["calls"] += count
                    a["incl"] += val
                    entry(callee)["calls"] += count
                    pending = None
                    continue
                key = (base(fn), ob)
                entry(key)["self"] += val
                prof.sum_self += val
                lk = (key[0], ob, cur_file, last_pos[npos - 1])
                prof.lines[lk] = prof.lines.get(lk, 0) + val
                continue
            if "=" in line and (":" not in line or line.index("=") < line.index(":")):
                key, val = line.split("=", 1)
                if key in space:
                    nm = name_of(key, val)
                    if key == "ob":
                        ob = nm
                    elif key == "fl":
                        fl = cur_file = nm
                    elif key in ("fi", "fe"):
                        cur_file = nm
                    elif key == "fn":
                        fn = nm
                        cur_file = fl
                        cob = cfn = None
                    elif key == "cob":
                        cob = nm
                    elif key == "cfn":
                        cfn = nm
                elif key == "calls":
                    count = int(val.split()[0])
                    pending = (count, (base(cfn), cob if cob is not None else ob))
                    cob = None
                elif key in ("jump", "jcnd"):
                    skip_next = True
                continue
            if ":" in line:
                key, val = line.split(":", 1)
                val = val.strip()
                if key == "positions":
                    npos = len(val.split())
                    last_pos = [0] * npos
                elif key == "events":
                    prof.events = val.split()
                elif key == "totals":
                    prof.total += int(val.split()[event])
                    totals_seen = True
                elif key == "summary":
                    prof.summary += int(val.split()[event])
    if not totals_seen:
        prof.total = prof.summary
    return prof
