#!/usr/bin/env bash
# Install what is missing, build, and run the whole test suite with ctest.
# With --all (the default when CI=true) the suite runs three times: a plain
# build, an ASan+UBSan build and a TSan build.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
all=0
[ "${CI:-}" = "true" ] && all=1
[ "${1:-}" = "--all" ] && all=1

bash "$top/scripts/setup.sh"

run_suite() {  # name, ctest exclusion regex (or ""), cmake options...
  local name=$1 exclude=$2 dir; shift 2
  dir=$top/build${name:+-$name}
  echo "== ${name:-plain} build"
  GT_BUILD_DIR=$dir bash "$top/scripts/build.sh" "$@"
  (cd "$dir" && ctest --output-on-failure --timeout 300 ${exclude:+-E "$exclude"})
}

run_suite "" "" -DCMAKE_BUILD_TYPE=RelWithDebInfo
if [ $all -eq 1 ]; then
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    run_suite asan "" -DGT_ASAN=ON -DCMAKE_BUILD_TYPE=Debug -DGT_BUILD_BENCH=OFF
  TSAN_OPTIONS="halt_on_error=1 suppressions=$top/scripts/tsan.supp" \
    run_suite tsan "" -DGT_TSAN=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DGT_BUILD_BENCH=OFF
fi
