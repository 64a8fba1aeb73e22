/*
 * trace/event.h: the event value, wait reasons and gantty's error codes.
 *
 * An event is a fixed-size value with no pointers: it crosses threads, pipes
 * and files unchanged.  A task's state at time t is fixed by its latest event
 * at or before t.  Logs are in arrival order, never assumed sorted by time.
 */
#ifndef GT_EVENT_H
#define GT_EVENT_H

#include <stdint.h>

#include "base.h"  /* GT_E* codes, gt_strerror() */

enum gt_event_kind {
  GT_EV_QUEUE = 1,  /* waits for a worker; label = the task's name */
  GT_EV_START,      /* a worker took it; label = the step now running */
  GT_EV_WAIT,       /* blocked on reason; label = what it waits for */
  GT_EV_RESUME,     /* running again; label = the step now running */
  GT_EV_FINISH      /* status 0 or a GT_E* code; label = error text */
};

enum gt_reason {
  GT_R_NONE = 0,
  GT_R_NET,         /* waiting for a response */
  GT_R_CONNECT,     /* setting a connection up */
  GT_R_DISK,        /* a file write */
  GT_R_TIMER,       /* a sleep */
  GT_R_GIL,         /* wanting the global interpreter lock */
  GT_R_LOCK,        /* any other lock */
  GT_R_POOL,        /* no free worker */
  GT_R_COUNT
};

struct gt_event {
  uint64_t ts_ns;   /* CLOCK_MONOTONIC when it happened, emitting process */
  uint32_t task;    /* task index inside its run, 0..N-1 */
  uint32_t label;   /* id from gt_recorder_intern(); 0 is the empty string */
  int32_t  worker;  /* thread index (from 0) or process id; -1 when none */
  int32_t  status;  /* GT_EV_FINISH only: 0 or a negative GT_E* code */
  uint16_t run;     /* run id from gt_recorder_run_add() */
  uint8_t  kind;    /* enum gt_event_kind */
  uint8_t  reason;  /* enum gt_reason, GT_EV_WAIT only */
};

/* The short name of a reason ("net", "disk", ...); "" for GT_R_NONE. */
const char *gt_reason_name(int reason);

/* The reason named name, or -1 when there is none. */
int gt_reason_from_name(const char *name);

/* The name of an event kind ("queue", "start", ...). */
const char *gt_kind_name(int kind);

#endif
