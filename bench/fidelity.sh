#!/usr/bin/env bash
# bench/fidelity.sh: the article's three experiments, headless, checked from
# outside through the summaries, as a teacher would run them (issue 6).
# Timing, so a benchmark, not a test: it prints
#   bench: NAME = VALUE x
#   bench: NAME budget ok|MISSED
# and exits 0 either way (1 only when gantty itself fails).
#
#   bash bench/fidelity.sh [path/to/gantty]     # about 2 minutes
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
gantty=${1:-$top/build/tui/gantty}
work=$(mktemp -d "${TMPDIR:-/tmp}/gantty-fidelity.XXXXXX")
trap 'rm -rf "$work"' EXIT

# run NAME ARGS...: one headless session, its summary in $work/NAME.json
run() {
  local name=$1; shift
  "$gantty" run "$@" --headless --quiet --out "$work/out-$name" \
      --summary "$work/$name.json" > "$work/$name.txt" 2>&1 ||
    { echo "bench_fidelity: gantty $* failed:"; cat "$work/$name.txt"; exit 1; }
}

# wall NAME MODE: wall_ms of MODE in NAME's summary
wall() {
  python3 - "$work/$1.json" "$2" <<'EOF'
import json, sys
runs = json.load(open(sys.argv[1]))["runs"]
print([r for r in runs if r["mode"] == sys.argv[2]][0]["wall_ms"])
EOF
}

# ratio NAME A B: A / B, two decimals
ratio() { python3 -c "print('%.2f' % ($1 / $2))"; }

# check NAME VALUE OP LIMIT: print the figure and the verdict
check() {
  echo "bench: $1 = $2 x"
  if python3 -c "import sys; sys.exit(0 if $2 $3 $4 else 1)"; then
    echo "bench: $1 budget ok"
  else
    echo "bench: $1 budget MISSED"
  fi
}

cores=$(nproc)
echo "bench: fidelity on $cores cores"

# 1. genre: threads and async within 1.2x the latency, sync about N x.
run genre genre --modes sync,threads,async --tasks 5 --latency 200
s=$(wall genre sync); t=$(wall genre threads); a=$(wall genre async)
check genre_sync_vs_latency "$(ratio "$s" 200)" ">=" 5
check genre_threads_vs_latency "$(ratio "$t" 200)" "<=" 1.2
check genre_async_vs_latency "$(ratio "$a" 200)" "<=" 1.2

# 2. pow: threads with the GIL about sync; without it, and procs on two
#    cores, at most 0.6x sync.
run pow pow --modes sync,threads,procs --workers 2
run pow_gil pow --modes threads --gil --workers 2
s=$(wall pow sync); t=$(wall pow threads); p=$(wall pow procs)
g=$(wall pow_gil threads)
check pow_threads_gil_vs_sync "$(ratio "$g" "$s")" ">=" 0.9
check pow_threads_vs_sync "$(ratio "$t" "$s")" "<=" 0.6
check pow_procs_vs_sync "$(ratio "$p" "$s")" "<=" 0.6

# 3. scrape, 100 pages, --connect-ms 100 --latency 100: the article's
#    urllib (a new connection per page) in sync and procs, its aiohttp
#    session (one kept connection, one page at a time) in async and hybrid.
run scrape_fresh scrape --modes sync,procs --connections fresh \
    --connect-ms 100 --latency 100
run scrape_reuse scrape --modes sync,async,hybrid --limit 1 \
    --connections reuse --connect-ms 100 --latency 100
s=$(wall scrape_fresh sync); p=$(wall scrape_fresh procs)
a=$(wall scrape_reuse async); h=$(wall scrape_reuse hybrid)
r=$(wall scrape_reuse sync)
check scrape_async_vs_sync "$(ratio "$a" "$s")" "<=" 0.6
check scrape_procs_vs_sync_over_cores "$(ratio "$p" "$(ratio "$s" "$cores")")" "<=" 1.2
check scrape_hybrid_vs_async "$(ratio "$h" "$a")" "<" 1
check scrape_hybrid_vs_procs "$(ratio "$h" "$p")" "<" 1
# reuse everywhere: sync and async --limit 1 take about the same time
check scrape_reuse_async_vs_sync "$(ratio "$a" "$r")" "<=" 1.1
check scrape_reuse_sync_vs_async "$(ratio "$r" "$a")" "<=" 1.1
