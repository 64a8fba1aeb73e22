/*
 * tests/support/session.h: hand-written sessions for the tests.  Each
 * builder appends to a recorder what an executor would have: a run with
 * its metadata, or one event stamped at the recorder's t0 plus an offset.
 * Labels are interned in the recorder.  Call from one thread at a time.
 */
#ifndef GT_TEST_SESSION_H
#define GT_TEST_SESSION_H

#include <stdint.h>

#include "recorder.h"

/* Add a run named mode with workers and tasks; it starts at t0 + start_us
 * (no start when start_us is -1) and ends at t0 + end_us (no end when -1).
 * The run has the traits gantty's mode of that name has (gt_test_traits),
 * as a live run would.  Returns the run's id. */
/* The traits (GT_MODE_*) of gantty's mode called mode, as the
 * executors' ops tables give them; 0 for any other name.  Written here,
 * apart from the scheduler, so that test_executors can check the ops
 * tables against it. */
uint32_t gt_test_traits(const char *mode);

uint16_t gt_test_run(struct gt_recorder *rec, const char *mode,
    int32_t workers, uint32_t tasks, long long start_us, long long end_us);

/* Append one event of kind at t0 + at_us microseconds; label is interned,
 * worker is -1 when no worker holds the task. */
void gt_test_put(struct gt_recorder *rec, uint16_t r, uint32_t task,
    int kind, uint64_t at_us, int reason, int32_t worker, const char *label,
    int32_t status);

/* The same at t0 + at_ms milliseconds, which may have a fraction. */
void gt_test_put_ms(struct gt_recorder *rec, uint16_t r, uint32_t task,
    int kind, double at_ms, int reason, int32_t worker, const char *label,
    int32_t status);

/* The task is queued under name, on no worker. */
void gt_test_queue(struct gt_recorder *rec, uint16_t r, uint32_t task,
    uint64_t at_us, const char *name);

/* Worker w takes the task ("GET /genre"). */
void gt_test_start(struct gt_recorder *rec, uint16_t r, uint32_t task,
    uint64_t at_us, int32_t w);

/* The task blocks on reason ("GET /genre"). */
void gt_test_wait_on(struct gt_recorder *rec, uint16_t r, uint32_t task,
    uint64_t at_us, int reason, int32_t w);

/* The task runs again ("parse genre"). */
void gt_test_resume(struct gt_recorder *rec, uint16_t r, uint32_t task,
    uint64_t at_us, int32_t w);

/* The task ends with status; a failure carries "HTTP 500 from /genre". */
void gt_test_finish(struct gt_recorder *rec, uint16_t r, uint32_t task,
    uint64_t at_us, int32_t w, int32_t status);

#endif
