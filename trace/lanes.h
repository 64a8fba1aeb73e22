/*
 * trace/lanes.h: a timeline's task lanes as arrays of intervals, for
 * readers that want them as arrays (the report, the tests).  A writer
 * that walks a lane once, start to end, reads the timeline with
 * gt_timeline_next_interval() instead: the copy would cost more than the
 * walk.
 *
 * Nothing is decided here: each interval is one stretch of a task lane of
 * the timeline (trace/timeline.h), read with gt_timeline_next_interval().
 * A lane is one task of one run; its intervals are sorted, never overlap,
 * and each is one state.
 */
#ifndef GT_LANES_H
#define GT_LANES_H

#include <stddef.h>
#include <stdint.h>

#include "recorder.h"
#include "timeline.h"

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

/* The task lanes of tl as of its now (an unfinished lane's last interval
 * ends there).  Returns 0; *out must be released with gt_lanes_done(). */
int gt_lanes_from(const struct gt_timeline *tl, struct gt_lanes *out);

/* gt_lanes_from() that frees each lane of tl once copied
 * (gt_timeline_drop_task_lane): the copy and the timeline are never both
 * whole, which halves what a big trace's report holds at its peak (with
 * glibc, what is freed is given back to the system as the copy goes).  Only
 * gt_timeline_free() may use tl after; compute its figures first. */
int gt_lanes_take(struct gt_timeline *tl, struct gt_lanes *out);

/* gt_lanes_from() on a timeline of every event in rec, as of its latest
 * event. */
int gt_lanes_build(struct gt_recorder *rec, struct gt_lanes *out);

/* Free what gt_lanes_from() made. */
void gt_lanes_done(struct gt_lanes *l);

#endif
