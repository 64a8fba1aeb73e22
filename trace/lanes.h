/*
 * trace/lanes.h: a recorder's events turned into per-task state intervals.
 *
 * This is what every consumer that draws or exports reads: the Chrome, CSV
 * and SVG writers, the stats and the report.  A lane is one task of one run;
 * its intervals are sorted, never overlap, and each is one state.
 */
#ifndef GT_LANES_H
#define GT_LANES_H

#include <stddef.h>
#include <stdint.h>

#include "recorder.h"

enum gt_state {
  GT_S_QUEUED = 1,      /* waiting for a worker */
  GT_S_RUNNING,
  GT_S_WAITING          /* reason says on what */
};

struct gt_interval {
  uint64_t start_ns;    /* absolute, CLOCK_MONOTONIC */
  uint64_t end_ns;      /* > start_ns or == it for an instant */
  uint32_t label;       /* string id */
  int32_t  worker;      /* who ran it; -1 while queued */
  uint8_t  state;       /* enum gt_state */
  uint8_t  reason;      /* enum gt_reason, GT_S_WAITING only */
};

struct gt_lane {
  uint16_t run;
  uint32_t task;
  uint32_t name;        /* string id of the task's name (its QUEUE label) */
  struct gt_interval *iv;
  size_t   niv;
  int      finished;    /* 1: a FINISH event was seen */
  int32_t  status;      /* FINISH status: 0 or a negative GT_E* code */
  uint32_t error;       /* string id of the error text, 0 when none */
  uint64_t finish_ns;   /* when it finished; 0 when it did not */
  uint64_t first_ns;    /* its earliest event */
};

struct gt_lanes {
  struct gt_lane *lane; /* sorted by run, then task */
  size_t   n;
  uint64_t first_ns;    /* earliest event of the session (which may be at
                           time 0); 0 when there is none (n == 0) */
  uint64_t last_ns;     /* latest event of the session */
};

/* Build lanes from every event in rec.  A task that never finished has its
 * last interval closed at the session's latest event.  Returns 0; *out must
 * be released with gt_lanes_done(). */
int gt_lanes_build(struct gt_recorder *rec, struct gt_lanes *out);

/* Free what gt_lanes_build() made. */
void gt_lanes_done(struct gt_lanes *l);

/* The short name of a state ("queued", "running", "waiting"). */
const char *gt_state_name(int state);

#endif
