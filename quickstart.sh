#!/bin/sh
# quickstart.sh -- from a fresh checkout to a glprof report in one command:
# installs what is missing (Debian/Ubuntu, as root; otherwise it names the
# packages and stops), builds glprof, and profiles the bundled sample agent.
# Safe to run again: it only does what is not done yet.
set -e
cd "$(dirname "$0")"
. tools/deps.sh

missing=$(glprof_missing_packages)
if [ -n "$missing" ]; then
  missing=$(echo $missing)
  if [ "$(id -u)" != 0 ]; then
    echo "glprof needs these packages: $missing" >&2
    echo "Install them as root, then run $0 again:" >&2
    echo "  apt-get install -y $missing" >&2
    exit 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "glprof needs: $missing (Debian package names); install them and run $0 again" >&2
    exit 1
  fi
  echo "== installing: $missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing
fi

if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
  echo "== autoreconf"
  autoreconf -fi
fi
if [ ! -f Makefile ] || [ configure -nt Makefile ]; then
  echo "== configure"
  ./configure --quiet
fi
echo "== make"
make -j"$(nproc 2>/dev/null || echo 2)" --no-print-directory

echo "== profiling the sample agent: examples/agent --threads 4"
mkdir -p demo-output
./vg-in-place --glprof-out-file=demo-output/agent.glprof.json \
  examples/agent --input examples/requests.csv \
  --output demo-output/agent-output.jsonl --threads 4
echo "== the JSON profile is demo-output/agent.glprof.json"
