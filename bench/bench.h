/*
 * bench/bench.h: how every benchmark prints its figures, so that
 * docs/PERFORMANCE.md can quote any of them the same way:
 *   bench: NAME = VALUE UNIT
 *   bench: NAME budget ok|MISSED
 * and how none of them can lie: every figure is checked for plausibility
 * as it is printed.  A cost, a time, a rate or a size must be a positive
 * finite number, a ratio ("x") one from 1/1000 to 1000: a figure made by
 * subtracting or dividing timings of a noisy machine can come out
 * negative, zero or absurd, and then it measures the machine, not the
 * code.  Such a figure is printed with "implausible", every budget after
 * it says "not judged" instead of ok or MISSED, and bench_status() makes
 * the benchmark exit 3.
 * Header only (static inline): each benchmark is its own executable.
 */
#ifndef GT_BENCH_H
#define GT_BENCH_H

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define BENCH_RATIO_MIN 1e-3
#define BENCH_RATIO_MAX 1e3

/* Implausible figures printed so far (one executable, one counter). */
static int bench_implausible;

/* Print one figure with digits decimals; implausible unless it is finite
 * and from lo to hi. */
static inline void
bench_report_range(const char *name, double value, int digits,
    const char *unit, double lo, double hi)
{
  printf("bench: %s = %.*f %s\n", name, digits, value, unit);
  if (!isfinite(value) || value < lo || value > hi) {
    printf("bench: %s implausible: %g %s is outside %g .. %g; the "
        "measurement is wrong, not the code\n", name, value, unit, lo, hi);
    bench_implausible++;
  }
}

/* Print one figure with digits decimals, checked by its unit: a ratio
 * ("x") from BENCH_RATIO_MIN to BENCH_RATIO_MAX, anything else above 0. */
static inline void
bench_report_digits(const char *name, double value, int digits,
    const char *unit)
{
  if (strcmp(unit, "x") == 0)
    bench_report_range(name, value, digits, unit, BENCH_RATIO_MIN,
        BENCH_RATIO_MAX);
  else
    bench_report_range(name, value, digits, unit, DBL_MIN, DBL_MAX);
}

/* Print one figure with two decimals, checked by its unit. */
static inline void
bench_report(const char *name, double value, const char *unit)
{
  bench_report_digits(name, value, 2, unit);
}

/* Print a figure that may be zero or negative (a growth), checked only
 * for being a finite number. */
static inline void
bench_report_signed(const char *name, double value, const char *unit)
{
  bench_report_range(name, value, 2, unit, -DBL_MAX, DBL_MAX);
}

/* Print whether a budget holds; not judged once a figure was
 * implausible. */
static inline void
bench_verdict(const char *name, int ok)
{
  if (bench_implausible > 0)
    printf("bench: %s budget not judged: implausible figures above\n",
        name);
  else
    printf("bench: %s budget %s\n", name, ok ? "ok" : "MISSED");
}

/* The exit status of a benchmark that would otherwise exit with status:
 * 3 when a figure was implausible. */
static inline int
bench_status(int status)
{
  return bench_implausible > 0 ? 3 : status;
}

#endif
