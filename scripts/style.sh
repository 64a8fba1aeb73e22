#!/usr/bin/env bash
# scripts/style.sh: check the rules of STYLE.md that a machine can check,
# on every C file of the tree: at most 80 columns (characters, not bytes),
# no tab, no trailing blank, and a function definition's return type on
# its own line, so that `git grep '^name('` finds the definition.  ctest
# runs it as the test `style`, so CI checks it.
#
# Why this and not clang-format: clang-format 14 (Debian 12's) cannot keep
# this tree's style.  It aligns either every run of declarations (each
# function's locals too) or none (the struct fields the headers align), it
# reflows the option tables, and its AlignArrayOfStructures crashes on this
# tree; the configurations closest to it rewrote 3 487 to 4 599 lines of
# the tree (with and without aligned declarations).  A formatter
# that fights the house style would be switched off or would wear it away.
#
# Usage: bash scripts/style.sh [FILE...]   (default: every .c/.h file)
# Prints FILE:LINE: what is wrong, and exits 1 when anything is.
set -u
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then
  files=("$@")
elif git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.c' '*.h')
else
  mapfile -t files < <(find . -name 'build*' -prune -o \
      \( -name '*.c' -o -name '*.h' \) -print | sed 's|^\./||' | sort)
fi
out=$(
  for f in "${files[@]}"; do
    LC_ALL=C.UTF-8 grep -nE '^.{81,}$' "$f" |
      sed "s|^\([0-9]*\):.*|$f:\1: longer than 80 columns|"
    grep -n "$(printf '\t')" "$f" |
      sed "s|^\([0-9]*\):.*|$f:\1: a tab (indent with spaces)|"
    grep -nE '[[:space:]]$' "$f" |
      sed "s|^\([0-9]*\):.*|$f:\1: trailing blank|"
    # A line that is only "{" opens a function body; the line that starts
    # its declarator (the last line before it at column 0) must begin with
    # the function's name.
    awk -v f="$f" '
      /^[^ \t{}#\/*]/ { decl = NR; text = $0 }
      /^\{$/ && decl > 0 && text !~ /^[A-Za-z_][A-Za-z0-9_]*\(/ {
        printf "%s:%d: the return type goes on the line above the name\n",
            f, decl
      }' "$f"
  done)
if [ -n "$out" ]; then
  printf '%s\n' "$out"
  exit 1
fi
