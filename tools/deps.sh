# tools/deps.sh -- what glprof needs on the machine, in one place.  Sourced
# by quickstart.sh (which installs what is missing) and by the test runner
# (which says what is missing).  Each line: a check, then the Debian
# package that satisfies it.

# chromium renders the flame graphs in the tests, groff and man check the
# man pages, clang with libclang-rt-dev builds `make fuzz` (libFuzzer).
# python3, sqlite3, bzip2, jq, perl and git are the real programs the tests
# profile (tests/test_real.py); cppcheck is `make check-cppcheck`; GNU time
# measures peak memory in the tests and benchmarks (a child forked from
# Python would count Python's own pages).
GLPROF_DEPS='
cmd:autoreconf          autoconf
cmd:automake            automake
cmd:make                make
cmd:gcc                 gcc
cmd:g++                 g++
cmd:pkg-config          pkg-config
cmd:valgrind            valgrind
pc:valgrind             valgrind
pc:jansson              libjansson-dev
cmd:python3             python3
cmd:bzip2               bzip2
cmd:sqlite3             sqlite3
cmd:strace              strace
cmd:perl                perl
cmd:jq                  jq
cmd:git                 git
cmd:cppcheck            cppcheck
cmd:/usr/bin/time       time
cmd:gdb                 gdb
cmd:node                nodejs
cmd:chromium            chromium
cmd:groff               groff-base
cmd:man                 man-db
cmd:clang               clang
cmd:clang               libclang-rt-dev
'

# Prints the packages whose check fails, one per line.
glprof_missing_packages() {
  echo "$GLPROF_DEPS" | while read -r check pkg; do
    [ -n "$check" ] || continue
    kind=${check%%:*}; what=${check#*:}
    case $kind in
      cmd) command -v "$what" >/dev/null 2>&1 && continue ;;
      pc)  command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$what" && continue ;;
    esac
    echo "$pkg"
  done | sort -u
}
