#!/bin/sh
# tools/fuzz/run.sh -- fuzzes glprof's profile reader and the code that
# consumes it (glprof_diff, glprof_annotate) with libFuzzer.  `make fuzz`
# builds the target and runs this script.
#
#   tools/fuzz/run.sh TARGET SEED_CORPUS [SECONDS] [JOBS]
#
# New interesting inputs go to fuzz/corpus beside TARGET (the build tree),
# never into the repository; crashes are written as fuzz/crash-* and the
# script exits non-zero.  To keep a crasher as a regression input once it
# is fixed, minimise it and add it to tests/fuzz/corpus/:
#
#   fuzz/fuzz_profile -minimize_crash=1 -runs=100000 fuzz/crash-XXXX
#   cp minimized-from-XXXX tests/fuzz/corpus/crash-<what-it-was>.json
#
# `make check-sanitize` replays tests/fuzz/corpus on every run.
set -eu
target=$1
seeds=$2
seconds=${3:-300}
jobs=${4:-1}
here=$(cd "$(dirname "$0")" && pwd)
work=$(dirname "$target")
mkdir -p "$work/corpus"

echo "fuzzing $target for ${seconds}s (seeds: $seeds, new inputs: $work/corpus)"
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
"$target" -max_total_time="$seconds" -jobs="$jobs" -workers="$jobs" \
  -dict="$here/json.dict" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$work/" -print_final_stats=1 \
  "$work/corpus" "$seeds"
status=$?
if ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* >/dev/null 2>&1; then
  echo "fuzz: failures found:" >&2
  ls -l "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null >&2
  exit 1
fi
exit $status
