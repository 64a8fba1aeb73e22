/*
 * tests/support/session.c: the session builders of session.h.  Times are
 * offsets from the recorder's t0, so a test can write them as small
 * numbers and check the view or the exports against the same numbers.
 */
#include "support/session.h"

#include <string.h>

#define US 1000ull                /* ns per microsecond */

/* The traits of gantty's modes, from what each is: sync the baseline;
 * threads a pool of threads with the GIL switch; async one event loop;
 * procs a pool of processes; hybrid processes each with its own loop and
 * its own limit. */
uint32_t
gt_test_traits(const char *mode)
{
  static const struct {
    const char *mode;
    uint32_t    traits;
  } modes[] = {
    { "sync",    GT_MODE_BASELINE },
    { "threads", GT_MODE_WORKERS | GT_MODE_GIL },
    { "async",   GT_MODE_LOOP },
    { "procs",   GT_MODE_WORKERS },
    { "hybrid",  GT_MODE_WORKERS | GT_MODE_LOOP | GT_MODE_LIMIT_PER_WORKER },
  };
  size_t i;

  for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
    if (strcmp(modes[i].mode, mode) == 0)
      return modes[i].traits;
  return 0;
}

/* Add a run, stamping its start and end unless they are -1. */
uint16_t
gt_test_run(struct gt_recorder *rec, const char *mode, int32_t workers,
    uint32_t tasks, long long start_us, long long end_us)
{
  struct gt_run_info ri = { .workers = workers, .tasks = tasks };
  uint64_t t0 = gt_recorder_t0(rec);
  uint16_t r;

  ri.name = gt_recorder_intern(rec, mode);
  ri.traits = gt_test_traits(mode);
  r = gt_recorder_run_add(rec, &ri);
  if (start_us >= 0)
    gt_recorder_run_start(rec, r, t0 + (uint64_t)start_us * US);
  if (end_us >= 0)
    gt_recorder_run_end(rec, r, t0 + (uint64_t)end_us * US);
  return r;
}

/* Append one event at an absolute time. */
static void
put_ns(struct gt_recorder *rec, uint16_t r, uint32_t task, int kind,
    uint64_t ts_ns, int reason, int32_t worker, const char *label,
    int32_t status)
{
  struct gt_event ev = {
    .ts_ns = ts_ns, .task = task,
    .label = gt_recorder_intern(rec, label), .worker = worker,
    .status = status, .run = r, .kind = (uint8_t)kind,
    .reason = (uint8_t)reason,
  };

  gt_recorder_append(rec, &ev);
}

/* Append one event at t0 + at_us microseconds. */
void
gt_test_put(struct gt_recorder *rec, uint16_t r, uint32_t task, int kind,
    uint64_t at_us, int reason, int32_t worker, const char *label,
    int32_t status)
{
  put_ns(rec, r, task, kind, gt_recorder_t0(rec) + at_us * US, reason,
      worker, label, status);
}

/* Append one event at t0 + at_ms milliseconds. */
void
gt_test_put_ms(struct gt_recorder *rec, uint16_t r, uint32_t task, int kind,
    double at_ms, int reason, int32_t worker, const char *label,
    int32_t status)
{
  put_ns(rec, r, task, kind, gt_recorder_t0(rec) + (uint64_t)(at_ms * 1e6),
      reason, worker, label, status);
}

/* Queue the task under its name. */
void
gt_test_queue(struct gt_recorder *rec, uint16_t r, uint32_t task,
    uint64_t at_us, const char *name)
{
  gt_test_put(rec, r, task, GT_EV_QUEUE, at_us, 0, -1, name, 0);
}

/* Give the task to worker w. */
void
gt_test_start(struct gt_recorder *rec, uint16_t r, uint32_t task,
    uint64_t at_us, int32_t w)
{
  gt_test_put(rec, r, task, GT_EV_START, at_us, 0, w, "GET /genre", 0);
}

/* Block the task on reason. */
void
gt_test_wait_on(struct gt_recorder *rec, uint16_t r, uint32_t task,
    uint64_t at_us, int reason, int32_t w)
{
  gt_test_put(rec, r, task, GT_EV_WAIT, at_us, reason, w, "GET /genre", 0);
}

/* Run the task again. */
void
gt_test_resume(struct gt_recorder *rec, uint16_t r, uint32_t task,
    uint64_t at_us, int32_t w)
{
  gt_test_put(rec, r, task, GT_EV_RESUME, at_us, 0, w, "parse genre", 0);
}

/* End the task with status, and error text when it failed. */
void
gt_test_finish(struct gt_recorder *rec, uint16_t r, uint32_t task,
    uint64_t at_us, int32_t w, int32_t status)
{
  gt_test_put(rec, r, task, GT_EV_FINISH, at_us, 0, w,
      status != 0 ? "HTTP 500 from /genre" : "", status);
}
