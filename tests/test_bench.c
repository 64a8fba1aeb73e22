/*
 * tests/test_bench.c: bench/bench.h cannot print a lie.  From its
 * definition: a cost that is negative or zero (bench_procs once printed
 * -78.44 ns and "budget ok"), a NaN, or a ratio outside 1/1000..1000 is
 * implausible, every budget after it is not judged, and the benchmark's
 * status is 3; plausible figures leave the status and the verdicts as
 * they were.  The figures go to a file that is then read back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../bench/bench.h"

/* Run fn with stdout in a file, and return what it printed (malloc'd). */
static char *
printed(void (*fn)(void))
{
  char path[] = "/tmp/gantty-test-bench-XXXXXX", *text;
  int fd = mkstemp(path), saved;
  FILE *f;
  long n;

  assert_true(fd >= 0);
  fflush(stdout);
  saved = dup(STDOUT_FILENO);
  assert_true(dup2(fd, STDOUT_FILENO) >= 0);
  fn();
  fflush(stdout);
  assert_true(dup2(saved, STDOUT_FILENO) >= 0);
  close(saved);
  close(fd);
  f = fopen(path, "r");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  rewind(f);
  text = calloc(1, (size_t)n + 1);
  assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  unlink(path);
  return text;
}

/* Plausible figures: a cost, a rate, a ratio near 1, a growth below 0. */
static void
good_figures(void)
{
  bench_report("procs_transport_ns_per_event", 66.54, "ns");
  bench_report("export_mev_s", 7.9, "M events/s");
  bench_report("frame_1m_vs_1k", 1.05, "x");
  bench_report_signed("async_10k_rss_growth_mb", -0.25, "MB");
  bench_verdict("procs_transport", 1);
}

static void
test_plausible(void **state)
{
  char *out;

  (void)state;
  bench_implausible = 0;
  out = printed(good_figures);
  assert_null(strstr(out, "implausible"));
  assert_non_null(strstr(out, "bench: procs_transport budget ok\n"));
  assert_int_equal(bench_status(0), 0);
  free(out);
}

/* bench_procs's transport as it once came out. */
static void
negative_cost(void)
{
  bench_report("procs_transport_ns_per_event", -78.44, "ns");
  bench_verdict("procs_transport", -78.44 <= 100);
}

static void
test_negative_cost(void **state)
{
  char *out;

  (void)state;
  bench_implausible = 0;
  out = printed(negative_cost);
  assert_non_null(strstr(out, "bench: procs_transport_ns_per_event = "
      "-78.44 ns\n"));
  assert_non_null(strstr(out, "procs_transport_ns_per_event implausible"));
  assert_null(strstr(out, "budget ok"));
  assert_non_null(strstr(out, "procs_transport budget not judged"));
  assert_int_equal(bench_status(0), 3);
  free(out);
}

/* Zero, NaN, and ratios far outside what two timings can give. */
static void
bad_figures(void)
{
  bench_report("zero_ms", 0.0, "ms");
  bench_report("nan_ms", NAN, "ms");
  bench_report("tiny_ratio", 1e-4, "x");
  bench_report("huge_ratio", 5e3, "x");
}

static void
test_zero_nan_ratios(void **state)
{
  char *out, *at;
  int n = 0;

  (void)state;
  bench_implausible = 0;
  out = printed(bad_figures);
  for (at = out; (at = strstr(at, " implausible: ")) != NULL; at++)
    n++;
  assert_int_equal(n, 4);
  assert_int_equal(bench_implausible, 4);
  assert_int_equal(bench_status(1), 3);
  free(out);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_plausible),
    cmocka_unit_test(test_negative_cost),
    cmocka_unit_test(test_zero_nan_ratios),
  };

  return cmocka_run_group_tests_name("bench", tests, NULL, NULL);
}
