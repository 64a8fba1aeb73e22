#!/usr/bin/env bash
# Configure and build gantty into build/ (or $GT_BUILD_DIR).  Extra
# arguments go to cmake's configure step, e.g. -DGT_ASAN=ON.  Quiet when it
# works; the whole log when it does not.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${GT_BUILD_DIR:-$top/build}
mkdir -p "$dir"
log=$dir/build.log
if ! { cmake -S "$top" -B "$dir" -DGT_WERROR=ON "$@" &&
       cmake --build "$dir" -j"$(nproc)"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "build failed (log: $log)" >&2
  exit 1
fi
