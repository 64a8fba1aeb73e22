#!/usr/bin/env bash
# Install what is missing, build, and run gantty.  With no arguments it runs
# the first lesson: `gantty run genre`.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bash "$top/scripts/setup.sh"
bash "$top/scripts/build.sh"
if [ $# -eq 0 ]; then
  set -- run genre
fi
exec "$top/build/tui/gantty" "$@"
