"""gptest -- what glprof's tests use: building test programs, running glprof
and Valgrind's own tools (the oracles) through the build's ./vg-in-place,
and reading their outputs.

A test is a function test_xxx(t) in tests/test_*.py; t is a Context.  Mark
long tests on real programs with @real (they run in the "real" suite).
"""

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
PROGS = os.path.join(TESTS, "progs")

sys.path.insert(0, HERE)
import callgrind_file  # noqa: E402


def real(fn):
    """Decorator: the test belongs to the 'real' suite (real programs)."""
    fn.suite = "real"
    return fn


class Result:
    """What one run produced."""

    def __init__(self, cmd, proc, out_json=None, cwd=None):
        self.cmd = cmd
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.cwd = cwd
        self.json_path = out_json
        self._json = None

    @property
    def json(self):
        if self._json is None:
            if not self.json_path or not os.path.exists(self.json_path):
                raise AssertionError("no JSON profile written (%s)\n--- stderr ---\n%s"
                                     % (self.json_path, self.stderr[-3000:]))
            with open(self.json_path, encoding="utf-8") as f:
                self._json = json.load(f)
        return self._json

    def fn(self, name, obj=None):
        """The function record named name (optionally in an object whose
        path ends with obj)."""
        found = [f for f in self.json["functions"] if f["name"] == name
                 and (obj is None or f["object"].endswith(obj))]
        if not found:
            raise AssertionError("function %s not in profile" % name)
        return found[0]

    def report(self):
        """The text report (Valgrind's log with the ==pid== prefixes cut)."""
        return "\n".join(re.sub(r"^==\d+== ?", "", l) for l in self.stderr.splitlines())


class Context:
    def __init__(self, build, outroot, name):
        self.build = build
        self.vg = os.path.join(build, "vg-in-place")
        self.name = name
        self.dir = os.path.join(outroot, name)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.bindir = os.path.join(outroot, "_bin")
        os.makedirs(self.bindir, exist_ok=True)
        self._seq = 0

    # ---- assertions ----------------------------------------------------
    def check(self, cond, msg):
        if not cond:
            raise AssertionError(msg)

    def eq(self, got, want, what):
        if got != want:
            raise AssertionError("%s: got %r, want %r" % (what, got, want))

    def close(self, got, want, rel, what):
        """|got - want| <= rel * want"""
        if abs(got - want) > rel * abs(want):
            raise AssertionError("%s: got %s, want %s (within %.3f%%)"
                                 % (what, got, want, rel * 100))

    # ---- programs ------------------------------------------------------
    def prog(self, name, cflags=None, strip=False):
        """Compiles tests/progs/<name> (.c or .cpp) once per flags; returns the
        binary's path.  Flags come from the source's '// cflags:' line unless
        given."""
        src = None
        for ext in (".c", ".cpp"):
            p = os.path.join(PROGS, name + ext)
            if os.path.exists(p):
                src = p
        if not src:
            raise AssertionError("no test program %s" % name)
        if cflags is None:
            cflags = "-O1 -g"
            with open(src) as f:
                for line in f:
                    m = re.match(r"\s*//\s*cflags:\s*(.*)", line)
                    if m:
                        cflags = m.group(1).strip()
                        break
        # $SRC: the source tree (e.g. -I$SRC/glprof for glprof.h)
        cflags = cflags.replace("$SRC", os.path.dirname(TESTS))
        if "$VGCFLAGS" in cflags:     # Valgrind's headers, as a client sees them
            vgc = subprocess.run(["pkg-config", "--cflags", "valgrind"], capture_output=True,
                                 text=True).stdout.strip()
            cflags = cflags.replace("$VGCFLAGS", vgc)
        tag = re.sub(r"[^A-Za-z0-9]+", "_", re.sub(r"-I\S+", "", cflags)) + ("_s" if strip else "")
        out = os.path.join(self.bindir, "%s.%s" % (name, tag))
        lock = out + ".lock"
        with open(lock, "w") as lk:
            fcntl.flock(lk, fcntl.LOCK_EX)
            if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(src):
                cc = "g++" if src.endswith(".cpp") else "gcc"
                cmd = [cc] + cflags.split() + ["-o", out + ".tmp", src]
                r = subprocess.run(cmd, capture_output=True, text=True)
                if r.returncode != 0:
                    raise AssertionError("cannot build %s: %s\n%s" % (name, " ".join(cmd), r.stderr))
                if strip:
                    subprocess.run(["strip", out + ".tmp"], check=True)
                os.rename(out + ".tmp", out)
        return out

    def unpathed(self, line):
        """A report line with the build directory's path shortened to "B":
        the checkout's depth is the user's, the rest of a line must fit
        100 columns."""
        for d in (os.path.realpath(self.build), self.build):
            line = line.replace(d, "B")
        return line

    def path(self, name):
        return os.path.join(self.dir, name)

    # ---- running -------------------------------------------------------
    def _run(self, cmd, cwd=None, env=None, timeout=600, stdin=None):
        e = dict(os.environ)
        e.pop("VALGRIND_OPTS", None)
        if env:
            e.update(env)
        try:
            return subprocess.run(cmd, cwd=cwd or self.dir, env=e, capture_output=True,
                                  timeout=timeout, stdin=stdin if stdin is not None else subprocess.DEVNULL,
                                  errors="replace", text=True)
        except subprocess.TimeoutExpired:
            raise AssertionError("timed out after %ss: %s" % (timeout, " ".join(cmd)))

    def glprof(self, prog_cmd, opts=(), expect_exit=0, json_name=None, **kw):
        """Runs prog_cmd (list) under glprof; returns a Result whose .json is the
        profile.  expect_exit=None skips the exit-status check."""
        self._seq += 1
        out = self.path(json_name or ("glprof.%d.json" % self._seq))
        cmd = [self.vg, "--glprof-out-file=" + out] + list(opts) + list(prog_cmd)
        r = Result(cmd, self._run(cmd, **kw), out)
        if expect_exit is not None and r.returncode != expect_exit:
            raise AssertionError("exit status %d, want %d: %s\n--- stderr ---\n%s"
                                 % (r.returncode, expect_exit, " ".join(cmd), r.stderr[-4000:]))
        return r

    def valgrind(self, tool, prog_cmd, opts=(), expect_exit=0, **kw):
        """Runs one of Valgrind's own tools from the same VALGRIND_LIB (same
        environment as glprof, so the same loader work)."""
        cmd = [self.vg, "--tool=" + tool] + list(opts) + list(prog_cmd)
        r = Result(cmd, self._run(cmd, **kw))
        if expect_exit is not None and r.returncode != expect_exit:
            raise AssertionError("%s exit status %d, want %d\n%s"
                                 % (tool, r.returncode, expect_exit, r.stderr[-3000:]))
        return r

    def run(self, cmd, expect_exit=0, **kw):
        r = Result(cmd, self._run(cmd, **kw))
        if expect_exit is not None and r.returncode != expect_exit:
            raise AssertionError("exit status %d, want %d: %s\n%s"
                                 % (r.returncode, expect_exit, " ".join(cmd), r.stderr[-3000:]))
        return r

    # ---- oracles -------------------------------------------------------
    def callgrind(self, prog_cmd, opts=(), **kw):
        """Runs callgrind; returns the parsed profile (callgrind_file.Profile)."""
        self._seq += 1
        out = self.path("callgrind.out.%d" % self._seq)
        self.valgrind("callgrind", prog_cmd, ["--callgrind-out-file=" + out] + list(opts), **kw)
        return callgrind_file.parse(out)

    def cachegrind_total(self, prog_cmd, **kw):
        """Total instructions by cachegrind with chasing off (as glprof)."""
        self._seq += 1
        out = self.path("cachegrind.out.%d" % self._seq)
        self.valgrind("cachegrind", prog_cmd, ["--cache-sim=no", "--vex-guest-chase=no",
                                               "--cachegrind-out-file=" + out], **kw)
        with open(out) as f:
            for line in f:
                if line.startswith("summary:"):
                    return int(line.split()[1])
        raise AssertionError("no summary in cachegrind output")
