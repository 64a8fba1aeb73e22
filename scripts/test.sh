#!/usr/bin/env bash
# Install what is missing, build, and run the whole test suite with ctest.
# With --all (the default when CI=true) the suite runs three times: a plain
# build (gcc), an ASan+UBSan build (clang: its UBSan, float-cast-overflow
# included, and its warnings, as errors) and a TSan build (gcc); then each
# fuzz harness runs over its corpus and regression inputs, and fuzzes for
# FUZZ_SECONDS (default 30) more.  Each step says how long it took.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
all=0
[ "${CI:-}" = "true" ] && all=1
[ "${1:-}" = "--all" ] && all=1

bash "$top/scripts/setup.sh"

run_suite() {  # name, ctest exclusion regex (or ""), cmake options...
  local name=$1 exclude=$2 dir start=$SECONDS; shift 2
  dir=$top/build${name:+-$name}
  echo "== ${name:-plain} build (${CC:-cc})"
  GT_BUILD_DIR=$dir bash "$top/scripts/build.sh" "$@"
  (cd "$dir" && ctest --output-on-failure --timeout 300 ${exclude:+-E "$exclude"})
  echo "== ${name:-plain}: $((SECONDS - start)) s"
}

run_suite "" "" -DCMAKE_BUILD_TYPE=RelWithDebInfo
if [ $all -eq 1 ]; then
  # fresh cache when the compiler changed (a build dir made by gcc before)
  if [ -f "$top/build-asan/CMakeCache.txt" ] &&
     ! grep -q '^CMAKE_C_COMPILER:.*clang' "$top/build-asan/CMakeCache.txt"; then
    rm -rf "$top/build-asan"
  fi
  CC=clang ASAN_OPTIONS=detect_leaks=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_suite asan "" -DGT_ASAN=ON -DCMAKE_BUILD_TYPE=Debug -DGT_BUILD_BENCH=OFF
  TSAN_OPTIONS="halt_on_error=1 suppressions=$top/scripts/tsan.supp" \
    run_suite tsan "" -DGT_TSAN=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DGT_BUILD_BENCH=OFF
  # the fuzz harnesses: every committed input once, then a bounded fuzz; a
  # crash fails the run and prints its input (scripts/fuzz.sh)
  start=$SECONDS
  echo "== fuzz: corpus and regressions"
  bash "$top/scripts/fuzz.sh" --regress
  echo "== fuzz: ${FUZZ_SECONDS:-30} s each"
  FUZZ_JOBS=${FUZZ_JOBS:-$(( $(nproc) >= 2 ? 2 : 1 ))} \
    bash "$top/scripts/fuzz.sh" "${FUZZ_SECONDS:-30}"
  echo "== fuzz: $((SECONDS - start)) s"
fi
