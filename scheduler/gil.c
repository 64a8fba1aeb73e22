/*
 * scheduler/gil.c: the emulated GIL (gil.h), after CPython's ceval_gil.c:
 * take_gil() waits in slices of the switch interval and sets the drop
 * request when a whole slice passed without a switch; drop_gil() with a
 * pending request waits until the lock has changed hands, so the thread
 * that dropped it cannot take it straight back.
 */
#include "gil.h"

#include <errno.h>
#include <time.h>

void
gt__gil_init(struct gt_gil *g, unsigned switch_ms)
{
  pthread_condattr_t ca;

  pthread_mutex_init(&g->mu, NULL);
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&g->released, &ca);
  pthread_cond_init(&g->switched, &ca);
  pthread_condattr_destroy(&ca);
  g->locked = 0;
  g->waiters = 0;
  g->switches = 0;
  atomic_init(&g->drop_request, 0);
  g->interval_ns = (uint64_t)(switch_ms ? switch_ms : 5) * 1000000ull;
}

void
gt__gil_done(struct gt_gil *g)
{
  pthread_mutex_destroy(&g->mu);
  pthread_cond_destroy(&g->released);
  pthread_cond_destroy(&g->switched);
}

/* now + ns on CLOCK_MONOTONIC. */
static struct timespec
deadline(uint64_t ns)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  ns += (uint64_t)ts.tv_nsec;
  ts.tv_sec += (time_t)(ns / 1000000000ull);
  ts.tv_nsec = (long)(ns % 1000000000ull);
  return ts;
}

int
gt__gil_take(struct gt_gil *g, void (*on_wait)(void *), void *arg)
{
  struct timespec until;
  uint64_t seen;
  int waited = 0, rc;

  pthread_mutex_lock(&g->mu);
  while (g->locked) {
    if (!waited && on_wait != NULL)
      on_wait(arg);
    waited = 1;
    g->waiters++;
    seen = g->switches;
    until = deadline(g->interval_ns);
    rc = pthread_cond_timedwait(&g->released, &g->mu, &until);
    g->waiters--;
    /* a whole interval and the lock never changed hands: ask for it */
    if (rc == ETIMEDOUT && g->locked && g->switches == seen)
      atomic_store(&g->drop_request, 1);
  }
  g->locked = 1;
  g->switches++;
  atomic_store(&g->drop_request, 0);
  pthread_cond_broadcast(&g->switched);
  pthread_mutex_unlock(&g->mu);
  return waited;
}

void
gt__gil_drop(struct gt_gil *g, int forced)
{
  uint64_t seen;

  pthread_mutex_lock(&g->mu);
  g->locked = 0;
  pthread_cond_signal(&g->released);
  seen = g->switches;
  while (forced && g->switches == seen && g->waiters > 0)
    pthread_cond_wait(&g->switched, &g->mu);
  pthread_mutex_unlock(&g->mu);
}

int
gt__gil_drop_requested(struct gt_gil *g)
{
  return atomic_load_explicit(&g->drop_request, memory_order_relaxed);
}
