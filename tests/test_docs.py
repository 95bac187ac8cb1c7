"""Docs stay true: every option --help lists is documented in docs/options.md,
every field the tool writes is documented in docs/json-format.md, and every
file of glprof/ is named in docs/architecture.md."""

import os
import re

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read(rel):
    with open(os.path.join(SRC, rel)) as f:
        return f.read()


def test_every_option_documented(t):
    r = t.run([t.vg, "--help"], expect_exit=0)
    tool = r.stdout.split("user options for glprof:", 1)
    t.check(len(tool) == 2, "--help has glprof's options:\n" + r.stdout[-2000:])
    opts = sorted(set(re.findall(r"^\s+(--[a-z][a-z0-9-]+)", tool[1], re.M)))
    t.check(len(opts) > 30, "options found: %s" % opts)
    doc = read("docs/options.md")
    missing = [o for o in opts if "`" + o not in doc and o + "=" not in doc]
    t.eq(missing, [], "options in --help but not in docs/options.md")


def keys_of(v, prefix, out):
    if isinstance(v, dict):
        for k, x in v.items():
            out.add(k)
            keys_of(x, prefix + "." + k, out)
    elif isinstance(v, list):
        for x in v[:50]:
            keys_of(x, prefix, out)


def test_every_json_field_documented(t):
    agent = os.path.join(t.build, "examples", "agent")
    r = t.glprof([agent, "--input", os.path.join(SRC, "examples", "requests.csv"), "--output",
                  t.path("o.jsonl"), "--requests", "30", "--threads", "2"])
    it = t.glprof([t.prog("ctl_iterations"), "12"])
    keys = set()
    keys_of(r.json, "", keys)
    keys_of(it.json, "", keys)
    doc = read("docs/json-format.md")
    missing = sorted(k for k in keys if "`" + k + "`" not in doc and '"' + k + '"' not in doc)
    t.eq(missing, [], "JSON fields written but not in docs/json-format.md")


def test_architecture_names_every_file(t):
    doc = read("docs/architecture.md")
    files = sorted(f for f in os.listdir(os.path.join(SRC, "glprof")) if f.endswith((".c", ".h")))
    missing = []
    for f in files:
        stem = f[:-2]
        if f not in doc and stem + ".c/.h" not in doc and stem + ".[ch]" not in doc \
                and stem + "`" not in doc:
            missing.append(f)
    t.eq(missing, [], "files of glprof/ not named in docs/architecture.md")


def test_user_guide_sections(t):
    g = read("docs/user-guide.md")
    order = ["Quick start", "Profiling types", "Client requests", "Bottleneck detection",
             "Optimization recommendations", "Memory leak detection", "Concurrent execution",
             "Best practices", "Interpreting results", "Troubleshooting"]
    at = [g.find(s) for s in order]
    t.check(all(a >= 0 for a in at), "guide sections: %s" % list(zip(order, at)))
    t.eq(at, sorted(at), "guide follows the seed guide's order")
