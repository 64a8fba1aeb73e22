#!/usr/bin/env bash
# Build the libFuzzer harnesses of fuzz/ (clang, ASan+UBSan) and run them.
#
#   scripts/fuzz.sh [SECONDS] [HARNESS...]   fuzz each for SECONDS (default
#                                            60), one after another
#   scripts/fuzz.sh --regress [HARNESS...]   run each once over its corpus
#                                            and regression inputs
#
# Harnesses: import spec wire http like (default: all).  FUZZ_JOBS=2 runs
# two at a time; FUZZ_NICE=10 runs them under nice; extra libFuzzer flags go in
# FUZZ_FLAGS.  The build goes to build-fuzz/ (or $GT_BUILD_DIR), and what
# fuzzing finds stays there: build-fuzz/corpus/NAME (new inputs, fed again
# next time; `fuzz_NAME -merge=1` picks those worth committing into
# fuzz/corpus/NAME) and build-fuzz/crashes/NAME.  A crash fails the script
# with the input printed; copy it into fuzz/regress/NAME/ with the fix, and
# ctest's fuzz_NAME runs it from then on in every build.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${GT_BUILD_DIR:-$top/build-fuzz}
all=(import spec wire http like)
regress=0
secs=60
if [ "${1:-}" = "--regress" ]; then
  regress=1
  shift
elif [[ "${1:-}" =~ ^[0-9]+$ ]]; then
  secs=$1
  shift
fi
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=("${all[@]}")
for h in "${harnesses[@]}"; do
  [ -f "$top/fuzz/fuzz_$h.c" ] || { echo "fuzz: no harness '$h' (${all[*]})" >&2; exit 2; }
done

command -v clang >/dev/null || { echo "fuzz: needs clang (scripts/setup.sh)" >&2; exit 1; }
CC=clang GT_BUILD_DIR=$dir bash "$top/scripts/build.sh" -DGT_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
nice_cmd=()
[ -n "${FUZZ_NICE:-}" ] && nice_cmd=(nice -n "$FUZZ_NICE")

# Run one harness; its log is $dir/logs/NAME.log.  0, or 1 on a crash.
run_one() {
  local h=$1 bin=$dir/fuzz/fuzz_$h log=$dir/logs/$h.log
  local work=$dir/corpus/$h crashes=$dir/crashes/$h
  local -a args
  mkdir -p "$work" "$crashes" "$dir/logs"
  args=(-dict="$top/fuzz/dict/$h.dict" -artifact_prefix="$crashes/"
        -timeout=25 -rss_limit_mb=2560 -print_final_stats=1)
  [ "$h" = import ] || [ "$h" = like ] && args+=(-max_len=65536)
  if [ $regress -eq 1 ]; then
    args+=(-runs=0)
    set -- "$top/fuzz/corpus/$h" "$top/fuzz/regress/$h"
  else
    args+=(-max_total_time="$secs")
    # new finds go to the first folder: the build's, not the committed one
    set -- "$work" "$top/fuzz/corpus/$h" "$top/fuzz/regress/$h"
  fi
  # shellcheck disable=SC2086
  if (cd "$dir" && "${nice_cmd[@]}" "$bin" "${args[@]}" ${FUZZ_FLAGS:-} "$@") \
      >"$log" 2>&1; then
    printf 'fuzz %-6s ok   %s\n' "$h" \
      "$(grep -E '^#[0-9]+[[:space:]]+(DONE|INITED)' "$log" | tail -1 | tr -s ' ')"
    return 0
  fi
  printf 'fuzz %-6s FAILED (log: %s)\n' "$h" "$log" >&2
  grep -E 'ERROR|SUMMARY|runtime error|^ +#[0-9]+ ' "$log" | head -30 >&2 || true
  local a
  for a in $(grep -oE "Test unit written to [^ ]+" "$log" | awk '{print $5}'); do
    case $a in /*) ;; *) a=$dir/$a ;; esac
    echo "fuzz $h: the input ($a, $(stat -c %s "$a") bytes), escaped:" >&2
    head -c 4096 "$a" | od -An -c | head -40 >&2
    echo "fuzz $h: keep it as a regression: cp $a $top/fuzz/regress/$h/" >&2
  done
  return 1
}

status=0
jobs=${FUZZ_JOBS:-1}
pids=()
for h in "${harnesses[@]}"; do
  if [ "$jobs" -le 1 ]; then
    run_one "$h" || status=1
    continue
  fi
  run_one "$h" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$jobs" ]; then
    wait "${pids[0]}" || status=1
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do
  wait "$p" || status=1
done
exit $status
