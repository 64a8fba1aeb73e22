/*
 * bench/bench.h: how every benchmark prints its figures, so that
 * docs/PERFORMANCE.md can quote any of them the same way:
 *   bench: NAME = VALUE UNIT
 *   bench: NAME budget ok|MISSED
 * Header only (static inline): each benchmark is its own executable.
 */
#ifndef GT_BENCH_H
#define GT_BENCH_H

#include <stdio.h>

/* Print one figure with digits decimals. */
static inline void
bench_report_digits(const char *name, double value, int digits,
    const char *unit)
{
  printf("bench: %s = %.*f %s\n", name, digits, value, unit);
}

/* Print one figure with two decimals. */
static inline void
bench_report(const char *name, double value, const char *unit)
{
  bench_report_digits(name, value, 2, unit);
}

/* Print whether a budget holds. */
static inline void
bench_verdict(const char *name, int ok)
{
  printf("bench: %s budget %s\n", name, ok ? "ok" : "MISSED");
}

#endif
