/*
 * trace/stats.c: figures per run, from lanes.
 */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

#include "base.h"

struct edge {
  uint64_t t;
  int      d;   /* +1 opens, -1 closes */
};

/* Order by time; a close sorts before an open at the same instant, so
 * back-to-back intervals do not count as overlapping. */
static int
cmp_edge(const void *a, const void *b)
{
  const struct edge *x = a, *y = b;

  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  return x->d - y->d;
}

/* Sweep the kept intervals' edges and return the deepest overlap.  A task's
 * consecutive kept intervals touch, so each counts once. */
unsigned
gt_stats_peak(const struct gt_lanes *lanes, size_t from, size_t to,
    int (*keep)(const struct gt_interval *iv))
{
  struct edge *e = NULL;
  size_t n = 0, cap = 0, i, j;
  int depth = 0, peak = 0;

  for (i = from; i < to; i++) {
    const struct gt_lane *l = &lanes->lane[i];

    for (j = 0; j < l->niv; j++) {
      if (!keep(&l->iv[j]))
        continue;
      if (n + 2 > cap) {
        cap = cap ? cap * 2 : 256;
        e = gt_xrealloc(e, cap * sizeof(*e));
      }
      e[n++] = (struct edge){ l->iv[j].start_ns, +1 };
      e[n++] = (struct edge){ l->iv[j].end_ns, -1 };
    }
  }
  if (n > 0)
    qsort(e, n, sizeof(*e), cmp_edge);
  for (i = 0; i < n; i++) {
    depth += e[i].d;
    if (depth > peak)
      peak = depth;
  }
  free(e);
  return (unsigned)peak;
}

/* Running or waiting: a worker holds the task. */
static int
keep_busy(const struct gt_interval *iv)
{
  return iv->state != GT_S_QUEUED;
}

/* Running on a CPU. */
static int
keep_running(const struct gt_interval *iv)
{
  return iv->state == GT_S_RUNNING;
}

/* A request in flight. */
static int
keep_net(const struct gt_interval *iv)
{
  return iv->state == GT_S_WAITING
      && (iv->reason == GT_R_NET || iv->reason == GT_R_CONNECT);
}

/* Fill one run's figures from its lanes [from, to). */
static void
run_stats(struct gt_recorder *rec, const struct gt_lanes *lanes, size_t from,
    size_t to, uint16_t run, struct gt_run_stats *s)
{
  struct gt_run_info ri;
  uint64_t first = UINT64_MAX, last = 0;
  size_t i, j;

  memset(s, 0, sizeof(*s));
  s->run = run;
  if (gt_recorder_run_get(rec, run, &ri) == 0) {
    s->mode = gt_recorder_string(rec, ri.name);
    s->workers = ri.workers;
    s->limit = ri.limit;
  } else {
    s->mode = "";
  }
  for (i = from; i < to; i++) {
    const struct gt_lane *l = &lanes->lane[i];

    s->tasks++;
    if (!l->finished)
      s->unfinished++;
    else if (l->status == 0)
      s->ok++;
    else
      s->failed++;
    if (l->first_ns < first)
      first = l->first_ns;
    if (l->finished && l->finish_ns > last)
      last = l->finish_ns;
    for (j = 0; j < l->niv; j++) {
      const struct gt_interval *iv = &l->iv[j];
      uint64_t d = iv->end_ns - iv->start_ns;

      if (iv->end_ns > last)
        last = iv->end_ns;
      if (iv->state <= GT_S_WAITING)
        s->state_ns[iv->state] += d;
      if (iv->state == GT_S_WAITING && iv->reason < GT_R_COUNT)
        s->reason_ns[iv->reason] += d;
    }
  }
  s->start_ns = ri.start_ns != 0 ? ri.start_ns : first;
  if (ri.start_ns != 0 && ri.end_ns > ri.start_ns)
    s->wall_ns = ri.end_ns - ri.start_ns;
  else if (last > s->start_ns && first != UINT64_MAX)
    s->wall_ns = last - s->start_ns;
  s->peak_busy = gt_stats_peak(lanes, from, to, keep_busy);
  s->peak_running = gt_stats_peak(lanes, from, to, keep_running);
  s->peak_net = gt_stats_peak(lanes, from, to, keep_net);
}

/* Figures for every run. */
size_t
gt_stats_compute(struct gt_recorder *rec, const struct gt_lanes *lanes,
    struct gt_run_stats *out, size_t max)
{
  uint16_t r, nruns = gt_recorder_runs(rec);
  size_t n = 0, from = 0, to;
  uint64_t sync_wall = 0;

  for (r = 0; r < nruns && n < max; r++) {
    while (from < lanes->n && lanes->lane[from].run < r)
      from++;
    for (to = from; to < lanes->n && lanes->lane[to].run == r; to++)
      ;
    run_stats(rec, lanes, from, to, r, &out[n]);
    if (sync_wall == 0 && strcmp(out[n].mode, "sync") == 0)
      sync_wall = out[n].wall_ns;
    n++;
    from = to;
  }
  /* A run none of whose tasks succeeded did not do the work faster. */
  for (r = 0; r < n; r++)
    if (sync_wall != 0 && out[r].wall_ns != 0 && out[r].ok > 0)
      out[r].speedup_vs_sync = (double)sync_wall / (double)out[r].wall_ns;
  return n;
}
