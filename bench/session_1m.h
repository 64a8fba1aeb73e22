/*
 * bench/session_1m.h: the session bench_import and bench_gzip export and
 * read back: 4 runs of 250 tasks that each wait and run 500 times, about
 * 1 000 000 events (one definition, so that both read the same file).
 * Static: each benchmark is one translation unit.
 */
#ifndef GT_BENCH_SESSION_1M_H
#define GT_BENCH_SESSION_1M_H

#include <stdio.h>

#include "recorder.h"

#define RUNS        4u
#define TASKS       250u
#define ROUNDS      500u      /* wait + resume pairs a task: 1 000 events */

/* One event of the session. */
static void
put(struct gt_recorder *rec, uint16_t run, uint32_t task, uint64_t ts,
    int kind, int reason, uint32_t label, int32_t worker)
{
  struct gt_event ev = { .ts_ns = ts, .task = task, .label = label,
      .worker = worker, .run = run, .kind = (uint8_t)kind,
      .reason = (uint8_t)reason };

  gt_recorder_append(rec, &ev);
}

/* gantty's session: every task queued, started, then waiting and running
 * by turns, and finished. */
static struct gt_recorder *
make_session(void)
{
  struct gt_recorder *rec = gt_recorder_new();
  uint64_t t0 = gt_recorder_t0(rec), ts;
  uint32_t names[TASKS], get = gt_recorder_intern(rec, "GET /page");
  uint32_t parse = gt_recorder_intern(rec, "parse HTML");
  struct gt_run_info info = { .workers = TASKS, .tasks = TASKS };
  char name[32];
  unsigned r, t, k;

  for (t = 0; t < TASKS; t++) {
    snprintf(name, sizeof(name), "page %u", t);
    names[t] = gt_recorder_intern(rec, name);
  }
  for (r = 0; r < RUNS; r++) {
    snprintf(name, sizeof(name), "mode%u", r);
    info.name = gt_recorder_intern(rec, name);
    gt_recorder_run_add(rec, &info);
    gt_recorder_run_start(rec, (uint16_t)r, t0 + 1000);
    for (t = 0; t < TASKS; t++) {
      ts = t0 + 1000 + t * 777u;
      put(rec, (uint16_t)r, t, ts, GT_EV_QUEUE, 0, names[t], -1);
      put(rec, (uint16_t)r, t, ts += 1500, GT_EV_START, 0, get, (int32_t)t);
      for (k = 0; k < ROUNDS - 1; k++) {
        put(rec, (uint16_t)r, t, ts += 2000 + k % 7, GT_EV_WAIT,
            GT_R_NET, get, (int32_t)t);
        put(rec, (uint16_t)r, t, ts += 30000 + (k * 13 + t) % 5000,
            GT_EV_RESUME, 0, parse, (int32_t)t);
      }
      put(rec, (uint16_t)r, t, ts += 2500, GT_EV_FINISH, 0, 0, (int32_t)t);
    }
    gt_recorder_run_end(rec, (uint16_t)r, ts + 1000);
  }
  return rec;
}

#endif
