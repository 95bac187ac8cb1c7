#!/bin/sh
# ci/glprof-regression.sh -- a CI gate on instruction counts, heap and I/O:
# builds the program, runs it under glprof, compares the profile with a
# stored baseline using glprof_diff, publishes the Markdown table (GitHub
# Actions job summary when $GITHUB_STEP_SUMMARY is set), and fails the job
# on a regression.  Plain POSIX sh; see ci/github-actions.yml for a
# workflow that uses it, and glprof_diff(1) for the limits.
#
#   ci/glprof-regression.sh [OPTIONS] -- PROGRAM [ARGS...]
#
# Options:
#   --build CMD          run CMD with sh -c first (e.g. 'make agent')
#   --baseline FILE      the stored baseline profile (default glprof-baseline.json)
#   --profile FILE       this run's profile (default glprof-current.json); the
#                        text report goes beside it, FILE with .log
#   --limit SPEC         a glprof_diff limit, e.g. instructions=1% (repeatable;
#                        without any, glprof_diff's defaults apply: 2% more
#                        instructions or any new definitely lost byte)
#   --runs N             profile N times; glprof_diff then checks that the runs
#                        agree (a workload that is not deterministic fails)
#   --glprof-option OPT  an option for valgrind --tool=glprof (repeatable);
#                        the runs use --fair-sched=try unless OPT says otherwise
#   --markdown FILE      also write the Markdown table to FILE (a PR comment)
#   --update-baseline    store this run's profile as the baseline and stop
#   --allow-failure      accept a non-zero exit status of the program
#
# Environment: VALGRIND (default: valgrind), GLPROF_DIFF (default:
# glprof_diff), GITHUB_STEP_SUMMARY (appended to when set).
#
# Exit status: 0 within limits, 3 regression, 1 error (the build or the
# program failed, no baseline, an unreadable profile, runs that disagree),
# 2 bad usage.
set -u

prog=${0##*/}
die() { echo "$prog: $*" >&2; exit "${status:-1}"; }
usage() { sed -n '2,/^# Exit status/p' "$0" | sed 's/^# \{0,1\}//'; }
# Quotes one argument for eval.
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

build='' baseline=glprof-baseline.json profile=glprof-current.json limits='' runs=1
vgopts='' markdown='' update=0 allow_failure=0
while [ $# -gt 0 ]; do
  case $1 in
    --build) [ $# -ge 2 ] || status=2 die "--build needs a command"; build=$2; shift ;;
    --baseline) [ $# -ge 2 ] || status=2 die "--baseline needs a file"; baseline=$2; shift ;;
    --profile) [ $# -ge 2 ] || status=2 die "--profile needs a file"; profile=$2; shift ;;
    --limit) [ $# -ge 2 ] || status=2 die "--limit needs METRIC=PCT% or METRIC=ABS"
             limits="$limits --limit=$(q "$2")"; shift ;;
    --runs) case ${2:-} in [1-9]|[1-9][0-9]) runs=$2 ;; *) status=2 die "--runs: 1..99" ;; esac
            shift ;;
    --glprof-option) [ $# -ge 2 ] || status=2 die "--glprof-option needs an option"
                     vgopts="$vgopts $(q "$2")"; shift ;;
    --markdown) [ $# -ge 2 ] || status=2 die "--markdown needs a file"; markdown=$2; shift ;;
    --update-baseline) update=1 ;;
    --allow-failure) allow_failure=1 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; break ;;
    *) status=2 die "unknown option '$1' (the program comes after --; see --help)" ;;
  esac
  shift
done
[ $# -gt 0 ] || status=2 die "no program to run (give it after --)"
VALGRIND=${VALGRIND:-valgrind}
GLPROF_DIFF=${GLPROF_DIFF:-glprof_diff}

# 1. build
if [ -n "$build" ]; then
  echo "== build: $build"
  sh -c "$build" || die "the build failed: $build"
fi

# 2. profile (N runs: profile, profile.2, ...)
news=
i=1
while [ "$i" -le "$runs" ]; do
  out=$profile
  [ "$i" -gt 1 ] && out="${profile%.json}.$i.json"
  log="${out%.json}.log"
  echo "== run $i/$runs under glprof: $*"
  # --fair-sched: Valgrind hands the CPU to threads in turn, so where a
  # join or a wake-up falls repeats from run to run; with its default lock
  # a thread often takes the CPU straight back, and whether the main thread
  # waits in pthread_join changes the counts of one run in five (the
  # sample agent).  "try": not an error where futexes are missing.
  eval "\"\$VALGRIND\" --tool=glprof --fair-sched=try --glprof-out-file=\"\$out\" --log-file=\"\$log\" $vgopts \"\$@\""
  rc=$?
  if [ ! -s "$out" ]; then
    tail -n 20 "$log" >&2 2>/dev/null
    die "no profile written ($out); the glprof report is in $log"
  fi
  if [ "$rc" -ne 0 ] && [ "$allow_failure" -eq 0 ]; then
    tail -n 20 "$log" >&2
    die "the program exited with status $rc under glprof (--allow-failure accepts it)"
  fi
  echo "   profile: $out   report: $log"
  news="$news${news:+,}$out"
  i=$((i + 1))
done

# 3. baseline
if [ "$update" -eq 1 ]; then
  if ! mkdir -p "$(dirname "$baseline")" || ! cp "$profile" "$baseline"; then
    die "cannot write $baseline"
  fi
  echo "== baseline updated: $baseline (commit it)"
  exit 0
fi
if [ ! -f "$baseline" ]; then
  die "no baseline at $baseline; create it with --update-baseline on the reference build and commit it (this run's profile is $profile)"
fi

# 4. compare: text for the log, Markdown for the job summary / a PR comment
echo "== compare with $baseline"
eval "\"\$GLPROF_DIFF\" $limits \"\$baseline\" \"\$news\""
status=$?
case $status in
  0|3) ;;
  *) exit "$status" ;;   # glprof_diff said why on stderr
esac
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] || [ -n "$markdown" ]; then
  md=$(eval "\"\$GLPROF_DIFF\" --format=markdown $limits \"\$baseline\" \"\$news\"")
  [ -n "${GITHUB_STEP_SUMMARY:-}" ] && printf '%s\n\n' "$md" >> "$GITHUB_STEP_SUMMARY"
  [ -n "$markdown" ] && printf '%s\n' "$md" > "$markdown"
fi
if [ "$status" -eq 3 ]; then
  echo "$prog: regression against $baseline (see the table above)" >&2
fi
exit "$status"
