/*
 * tests/support/clock.h: the monotonic clock and a sleep, in milliseconds,
 * for tests that poll with deadlines.  Header only: each function is small
 * and static inline, so any test may include it without linking anything.
 * Both are safe to call from any thread.
 */
#ifndef GT_TEST_CLOCK_H
#define GT_TEST_CLOCK_H

#include <errno.h>
#include <time.h>

/* The CLOCK_MONOTONIC time in milliseconds. */
static inline double
gt_test_now_ms(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Sleep for ms milliseconds, going back to sleep when a signal wakes us. */
static inline void
gt_test_sleep_ms(long ms)
{
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

  while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
    ;
}

#endif
