/*
 * trace/stats.h: per-run figures computed from lanes: wall time, tasks ok
 * and failed, speedup against sync, time per state, and how many tasks were
 * in flight at once.
 */
#ifndef GT_STATS_H
#define GT_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "lanes.h"
#include "recorder.h"

struct gt_run_stats {
  uint16_t run;
  const char *mode;         /* borrowed from the recorder */
  int32_t  workers;
  uint32_t limit;           /* tasks in flight at most; 0: no limit */
  uint32_t tasks;           /* lanes seen for the run */
  uint64_t start_ns;        /* the run's start (absolute) */
  uint64_t wall_ns;         /* start to end */
  unsigned ok;              /* finished with status 0 */
  unsigned failed;          /* finished with an error */
  unsigned unfinished;      /* never finished (the run was stopped) */
  double   speedup_vs_sync; /* sync's wall / this wall; 0 without sync or
                               when no task of this run succeeded */
  uint64_t state_ns[GT_S_WAITING + 1];  /* summed over lanes, by gt_state */
  uint64_t reason_ns[GT_R_COUNT];       /* waiting time by enum gt_reason */
  unsigned peak_busy;       /* most tasks running or waiting at once */
  unsigned peak_running;    /* most tasks running at once */
  unsigned peak_net;        /* most tasks waiting on net at once */
};

/* Fill out[0..] with one entry per run, in run order; returns how many
 * (at most max). */
size_t gt_stats_compute(struct gt_recorder *rec, const struct gt_lanes *lanes,
    struct gt_run_stats *out, size_t max);

/* The most intervals of lanes[from..to) that overlap at one instant, among
 * those for which keep(iv) is true. */
unsigned gt_stats_peak(const struct gt_lanes *lanes, size_t from, size_t to,
    int (*keep)(const struct gt_interval *iv));

#endif
