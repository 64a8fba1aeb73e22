/*
 * tests/test_timeline.c: the timeline model (trace/timeline.h): the one tie
 * rule (time, then arrival), out-of-order arrival, nothing after a FINISH,
 * coverage against a brute-force sum, and the figures' rules (wall,
 * speedup against the baseline) on hand-made sessions whose numbers are
 * worked out by hand in the comments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base.h"
#include "lanes.h"
#include "recorder.h"
#include "timeline.h"
#include "support/session.h"
#include "support/splitmix.h"

#define US 1000ull

/* The next number of a splitmix64 sequence, so runs are repeatable. */
static uint64_t
rnd(uint64_t *s)
{
  *s += 0x9e3779b97f4a7c15ull;
  return fin(*s);
}

/* The categories of a lane's transitions, in order, as a string: q
 * queued, r running, n waiting on net, d on disk, - none. */
static void
cats_of(const struct gt_tl_lane *l, char *out, size_t len)
{
  size_t i;

  for (i = 0; i < l->ntr && i + 1 < len; i++)
    out[i] = l->tr[i].cat == GT_CAT_QUEUED ? 'q'
        : l->tr[i].cat == GT_CAT_RUNNING ? 'r'
        : l->tr[i].cat == GT_CAT_OF_REASON(GT_R_NET) ? 'n'
        : l->tr[i].cat == GT_CAT_OF_REASON(GT_R_DISK) ? 'd'
        : l->tr[i].cat == GT_CAT_NONE ? '-' : '?';
  out[i] = '\0';
}

/* Events at one instant keep the order they arrived in, whatever their
 * kinds: START then QUEUE at 5 us leaves the task queued from 5 us; QUEUE
 * then START leaves it running. */
static void
test_equal_times_keep_arrival(void **state)
{
  struct gt_recorder *rec = gt_recorder_new();
  uint16_t r = gt_test_run(rec, "threads", 1, 2, 0, -1);
  struct gt_timeline *tl;
  char s[16];

  (void)state;
  gt_test_start(rec, r, 0, 5, 0);
  gt_test_queue(rec, r, 0, 5, "a");
  gt_test_queue(rec, r, 1, 5, "b");
  gt_test_start(rec, r, 1, 5, 0);
  gt_test_wait_on(rec, r, 1, 5, GT_R_NET, 0);
  tl = gt_timeline_of(rec);
  cats_of(gt_timeline_task_lane(tl, r, 0), s, sizeof(s));
  assert_string_equal(s, "rq");
  cats_of(gt_timeline_task_lane(tl, r, 1), s, sizeof(s));
  assert_string_equal(s, "qrn");
  assert_int_equal(gt_timeline_cat_at(gt_timeline_task_lane(tl, r, 0),
      gt_recorder_t0(rec) + 5 * US), GT_CAT_QUEUED);
  assert_int_equal(gt_timeline_cat_at(gt_timeline_task_lane(tl, r, 1),
      gt_recorder_t0(rec) + 5 * US), GT_CAT_OF_REASON(GT_R_NET));
  gt_timeline_free(tl);
  gt_recorder_free(rec);
}

/* Events that arrive out of time order are put in place, across two
 * updates, and an equal time among them still goes after what came
 * before it: arrival q@0 r@10 d@30, then n@20 and r@30.  In time: q@0
 * r@10 n@20 d@30 r@30 (the r@30 arrived after d@30). */
static void
test_out_of_order(void **state)
{
  struct gt_recorder *rec = gt_recorder_new();
  uint16_t r = gt_test_run(rec, "threads", 1, 1, 0, -1);
  struct gt_timeline *tl = gt_timeline_new(rec, GT_TL_WORKER_LANES);
  const struct gt_tl_lane *l;
  uint64_t cov[GT_CAT_COUNT], t0 = gt_recorder_t0(rec);
  char s[16];

  (void)state;
  gt_test_queue(rec, r, 0, 0, "a");
  gt_test_start(rec, r, 0, 10, 0);
  gt_test_wait_on(rec, r, 0, 30, GT_R_DISK, 0);
  assert_int_equal(gt_timeline_update(tl, 0), 3);
  gt_test_wait_on(rec, r, 0, 20, GT_R_NET, 0);
  gt_test_resume(rec, r, 0, 30, 0);
  assert_int_equal(gt_timeline_update(tl, t0 + 50 * US), 2);
  l = gt_timeline_task_lane(tl, r, 0);
  cats_of(l, s, sizeof(s));
  assert_string_equal(s, "qrndr");
  /* over [0, 50): queued 10, running 10 (10..20) + 20 (30..50) = 30, net
   * 10 (20..30), disk 0 (it lasts no time) */
  gt_timeline_coverage(tl, l, t0, t0 + 50 * US, cov);
  assert_int_equal(cov[GT_CAT_QUEUED], 10 * US);
  assert_int_equal(cov[GT_CAT_RUNNING], 30 * US);
  assert_int_equal(cov[GT_CAT_OF_REASON(GT_R_NET)], 10 * US);
  assert_int_equal(cov[GT_CAT_OF_REASON(GT_R_DISK)], 0);
  assert_int_equal(cov[GT_CAT_NONE], 0);
  /* the worker lane has the same story from its START on */
  cats_of(gt_timeline_worker_lane(tl, r, 0), s, sizeof(s));
  assert_string_equal(s, "rndr");
  gt_timeline_free(tl);
  gt_recorder_free(rec);
}

/* Nothing happens to a task at or after its FINISH: a RESUME at the
 * FINISH's instant or later is dropped when it arrives after it, and a
 * FINISH that arrives after later events drops them; one before it in time
 * still goes in.  Task 0: q@0 r@10 FINISH@20, then r@20, n@25 (dropped)
 * and n@15 (kept): q r n -.  Task 1: q@0 r@10 n@40, then FINISH@30: q r
 * -, finished at 30. */
static void
test_nothing_after_finish(void **state)
{
  struct gt_recorder *rec = gt_recorder_new();
  uint16_t r = gt_test_run(rec, "threads", 1, 2, 0, -1);
  struct gt_timeline *tl;
  const struct gt_tl_lane *l;
  struct gt_interval iv;
  size_t cur = 0, n = 0;
  char s[16];

  (void)state;
  gt_test_queue(rec, r, 0, 0, "a");
  gt_test_start(rec, r, 0, 10, 0);
  gt_test_finish(rec, r, 0, 20, 0, 0);
  gt_test_resume(rec, r, 0, 20, 0);
  gt_test_wait_on(rec, r, 0, 25, GT_R_NET, 0);
  gt_test_wait_on(rec, r, 0, 15, GT_R_NET, 0);
  gt_test_queue(rec, r, 1, 0, "b");
  gt_test_start(rec, r, 1, 10, 1);
  gt_test_wait_on(rec, r, 1, 40, GT_R_NET, 1);
  gt_test_finish(rec, r, 1, 30, 1, GT_EHTTP);
  tl = gt_timeline_of(rec);
  l = gt_timeline_task_lane(tl, r, 0);
  cats_of(l, s, sizeof(s));
  assert_string_equal(s, "qrn-");
  assert_true(l->finished);
  l = gt_timeline_task_lane(tl, r, 1);
  cats_of(l, s, sizeof(s));
  assert_string_equal(s, "qr-");
  assert_int_equal(l->finish_ns - gt_recorder_t0(rec), 30 * US);
  assert_int_equal(l->status, GT_EHTTP);
  /* its intervals end at the finish, though the session goes on to 40 */
  while (gt_timeline_next_interval(tl, l, &cur, &iv))
    n++;
  assert_int_equal(n, 2);
  assert_int_equal(iv.end_ns - gt_recorder_t0(rec), 30 * US);
  gt_timeline_free(tl);
  gt_recorder_free(rec);
}

/* Coverage over random windows equals a brute-force sum over the lane's
 * transitions, for a lane of 5 000 transitions delivered in a shuffled
 * order over many updates (so the running totals are rebuilt often). */
static void
test_coverage_brute_force(void **state)
{
  enum { N = 5000 };
  struct gt_recorder *rec = gt_recorder_new();
  uint16_t r = gt_test_run(rec, "async", 1, 1, 0, -1);
  struct gt_timeline *tl = gt_timeline_new(rec, 0);
  uint64_t *ts = gt_xmalloc(N * sizeof(*ts)), seed = 7;
  uint8_t *cat = gt_xmalloc(N * sizeof(*cat));
  struct gt_event *ev = gt_xmalloc(N * sizeof(*ev)), tmp;
  uint64_t t0 = gt_recorder_t0(rec), t = t0, now, a, b, lo, hi, end;
  uint64_t cov[GT_CAT_COUNT], want[GT_CAT_COUNT];
  const struct gt_tl_lane *l;
  size_t i, j, k;

  (void)state;
  for (i = 0; i < N; i++) {
    struct gt_event e = { .ts_ns = t, .run = r, .worker = 0 };

    if (i == 0) {
      e.kind = GT_EV_QUEUE;
      e.worker = -1;
      cat[i] = GT_CAT_QUEUED;
    } else if (i % 2 == 1) {
      e.kind = GT_EV_RESUME;
      cat[i] = GT_CAT_RUNNING;
    } else {
      e.kind = GT_EV_WAIT;
      e.reason = (uint8_t)(1 + rnd(&seed) % (GT_R_COUNT - 1));
      cat[i] = (uint8_t)GT_CAT_OF_REASON(e.reason);
    }
    ts[i] = t;
    ev[i] = e;
    t += 1 + rnd(&seed) % (100 * US);
  }
  now = t;
  for (i = N - 1; i > 0; i--) {  /* Fisher-Yates: any arrival order */
    j = rnd(&seed) % (i + 1);
    tmp = ev[i];
    ev[i] = ev[j];
    ev[j] = tmp;
  }
  for (i = 0; i < N; i += 97) {
    gt_recorder_append_many(rec, ev + i, N - i < 97 ? N - i : 97);
    gt_timeline_update(tl, 0);
  }
  gt_timeline_update(tl, now);
  l = gt_timeline_task_lane(tl, r, 0);
  assert_int_equal(l->ntr, N);
  for (k = 0; k < 400; k++) {
    a = t0 + rnd(&seed) % (now - t0 + 1000);
    b = a + rnd(&seed) % (k % 2 ? 1000 * US : now - t0);
    memset(want, 0, sizeof(want));
    for (i = 0; i < N; i++) {
      end = i + 1 < N ? ts[i + 1] : now;
      lo = ts[i] > a ? ts[i] : a;
      hi = end < b ? end : b;
      if (hi > lo)
        want[cat[i]] += hi - lo;
    }
    for (want[GT_CAT_NONE] = b - a, i = 1; i < GT_CAT_COUNT; i++)
      want[GT_CAT_NONE] -= want[i];
    gt_timeline_coverage(tl, l, a, b, cov);
    assert_memory_equal(cov, want, sizeof(cov));
  }
  free(ts);
  free(cat);
  free(ev);
  gt_timeline_free(tl);
  gt_recorder_free(rec);
}

/* The figures' rules on a session of three runs, by hand:
 *
 *   sync     starts 0, ends 100 ms; 2 tasks, both ok.  Wall 100 ms.  It
 *            is the baseline (ended, every task finished).
 *   threads  starts 100, ends 125 ms; 2 tasks, one ok and one failed.
 *            Wall 25 ms; speedup 100 / 25 = 4.
 *   async    starts 125 ms, never ends; 1 task, running at now = 135 ms.
 *            Wall so far 10 ms; no speedup while it runs (0).
 *
 * Time per state of threads: task 0 queued 100..105 (5), running
 * 105..125 (20); task 1 queued 100..110 (10), running 110..112 (2),
 * waiting on net 112..120 (8), failed at 120.  Queued 15, running 22,
 * waiting 8 (all net).  Peaks: running 105..110 (task 0 alone), 110..112
 * both: 2; in flight (running or waiting) 110..120 both: 2; net 1. */
static void
test_figures_rules(void **state)
{
  struct gt_recorder *rec = gt_recorder_new();
  uint16_t s = gt_test_run(rec, "sync", 1, 2, 0, 100000);
  uint16_t th = gt_test_run(rec, "threads", 2, 2, 100000, 125000);
  uint16_t as = gt_test_run(rec, "async", 1, 1, 125000, -1);
  struct gt_run_figures f[3];
  struct gt_timeline *tl;

  (void)state;
  gt_test_queue(rec, s, 0, 0, "a");
  gt_test_start(rec, s, 0, 1, 0);
  gt_test_finish(rec, s, 0, 50000, 0, 0);
  gt_test_queue(rec, s, 1, 0, "b");
  gt_test_start(rec, s, 1, 50000, 0);
  gt_test_finish(rec, s, 1, 100000, 0, 0);
  gt_test_queue(rec, th, 0, 100000, "a");
  gt_test_start(rec, th, 0, 105000, 0);
  gt_test_finish(rec, th, 0, 125000, 0, 0);
  gt_test_queue(rec, th, 1, 100000, "b");
  gt_test_start(rec, th, 1, 110000, 1);
  gt_test_wait_on(rec, th, 1, 112000, GT_R_NET, 1);
  gt_test_finish(rec, th, 1, 120000, 1, GT_EHTTP);
  gt_test_queue(rec, as, 0, 125000, "a");
  gt_test_start(rec, as, 0, 126000, 0);
  tl = gt_timeline_new(rec, 0);
  gt_timeline_update(tl, gt_recorder_t0(rec) + 135000 * US);
  assert_int_equal(gt_timeline_figures_all(tl, GT_FIG_PEAKS, f, 3), 3);
  assert_int_equal(gt_timeline_baseline(tl), s);
  assert_true(f[0].baseline);
  assert_int_equal(f[0].wall_ns, 100000 * US);
  assert_true(f[0].speedup == 1.0);
  assert_int_equal(f[1].wall_ns, 25000 * US);
  assert_true(f[1].speedup == 4.0);
  assert_int_equal(f[1].ok, 1);
  assert_int_equal(f[1].failed, 1);
  assert_int_equal(f[1].unfinished, 0);
  assert_int_equal(f[1].state_ns[GT_S_QUEUED], 15000 * US);
  assert_int_equal(f[1].state_ns[GT_S_RUNNING], 22000 * US);
  assert_int_equal(f[1].state_ns[GT_S_WAITING], 8000 * US);
  assert_int_equal(f[1].reason_ns[GT_R_NET], 8000 * US);
  assert_int_equal(f[1].peak_running, 2);
  assert_int_equal(f[1].peak_busy, 2);
  assert_int_equal(f[1].peak_net, 1);
  assert_false(f[2].ended);
  assert_int_equal(f[2].wall_ns, 10000 * US);
  assert_true(f[2].speedup == 0);
  assert_int_equal(f[2].unfinished, 1);
  assert_int_equal(f[2].running, 1);
  gt_timeline_free(tl);
  gt_recorder_free(rec);
}

/* A sync run stopped with a task unfinished is no baseline: nobody gets a
 * speedup against it (a later finished sync run would be the one). */
static void
test_unfinished_sync_is_no_baseline(void **state)
{
  struct gt_recorder *rec = gt_recorder_new();
  uint16_t s = gt_test_run(rec, "sync", 1, 2, 0, 50000);
  uint16_t th = gt_test_run(rec, "threads", 2, 1, 50000, 60000);
  struct gt_run_figures f[2];

  (void)state;
  gt_test_queue(rec, s, 0, 0, "a");
  gt_test_start(rec, s, 0, 1, 0);
  gt_test_finish(rec, s, 0, 20000, 0, 0);
  gt_test_queue(rec, s, 1, 0, "b");
  gt_test_start(rec, s, 1, 20000, 0);
  gt_test_queue(rec, th, 0, 50000, "a");
  gt_test_start(rec, th, 0, 50001, 0);
  gt_test_finish(rec, th, 0, 60000, 0, 0);
  assert_int_equal(gt_timeline_figures_of(rec, f, 2), 2);
  assert_false(f[0].baseline);
  assert_int_equal(f[0].unfinished, 1);
  assert_true(f[0].speedup == 0);
  assert_true(f[1].speedup == 0);
  gt_recorder_free(rec);
}

/* A run stopped part way (a task cancelled: GT_ECANCELED) measured only
 * part of the workload, so it gets no speedup, as a stopped sync is no
 * baseline; a run whose tasks failed for other reasons still does.  By
 * hand: sync 0..100 ms, 2 ok, the baseline.  procs 100..120 ms: task 0 ok
 * at 110, task 1 cancelled at 120 (the session stopped): wall 20 ms, but
 * no speedup (5x would be a false figure).  threads 120..170 ms: task 0 ok,
 * task 1 failed (HTTP): wall 50 ms, speedup 100 / 50 = 2. */
static void
test_stopped_run_has_no_speedup(void **state)
{
  struct gt_recorder *rec = gt_recorder_new();
  uint16_t s = gt_test_run(rec, "sync", 1, 2, 0, 100000);
  uint16_t pr = gt_test_run(rec, "procs", 2, 2, 100000, 120000);
  uint16_t th = gt_test_run(rec, "threads", 2, 2, 120000, 170000);
  struct gt_run_figures f[3];

  (void)state;
  gt_test_queue(rec, s, 0, 0, "a");
  gt_test_start(rec, s, 0, 1, 0);
  gt_test_finish(rec, s, 0, 50000, 0, 0);
  gt_test_queue(rec, s, 1, 0, "b");
  gt_test_start(rec, s, 1, 50000, 0);
  gt_test_finish(rec, s, 1, 100000, 0, 0);
  gt_test_queue(rec, pr, 0, 100000, "a");
  gt_test_start(rec, pr, 0, 100001, 0);
  gt_test_finish(rec, pr, 0, 110000, 0, 0);
  gt_test_queue(rec, pr, 1, 100000, "b");
  gt_test_start(rec, pr, 1, 100001, 1);
  gt_test_finish(rec, pr, 1, 120000, 1, GT_ECANCELED);
  gt_test_queue(rec, th, 0, 120000, "a");
  gt_test_start(rec, th, 0, 120001, 0);
  gt_test_finish(rec, th, 0, 170000, 0, 0);
  gt_test_queue(rec, th, 1, 120000, "b");
  gt_test_start(rec, th, 1, 120001, 1);
  gt_test_finish(rec, th, 1, 130000, 1, GT_EHTTP);
  assert_int_equal(gt_timeline_figures_of(rec, f, 3), 3);
  assert_true(f[0].baseline);
  assert_true(f[0].speedup == 1.0);
  assert_true(f[1].ended);
  assert_int_equal(f[1].wall_ns, 20000 * US);
  assert_int_equal(f[1].ok, 1);
  assert_int_equal(f[1].failed, 1);
  assert_true(f[1].speedup == 0);
  assert_int_equal(f[2].wall_ns, 50000 * US);
  assert_true(f[2].speedup == 2.0);
  gt_recorder_free(rec);
}

/* A time of 0 is a time (a gantty file may set its clock's origin to 0):
 * the longest task that starts at 0 still counts toward the ideal.  By
 * hand, on a clock whose origin is 0: task 0 starts at 0, waits on the
 * network from 1 us, finishes at 60 us (60 us long); task 1 is queued to
 * 60 us, starts, waits from 61, finishes at 100 (40 us long).  Running time
 * is 2 us in all, so the ideal is the longest task: 60 us. */
static void
test_ideal_counts_a_task_at_time_zero(void **state)
{
  struct gt_recorder *rec = gt_recorder_new();
  uint16_t s;
  struct gt_run_figures f;

  (void)state;
  gt_recorder_set_t0(rec, 0);
  s = gt_test_run(rec, "sync", 1, 2, 0, 100);
  gt_test_queue(rec, s, 0, 0, "a");
  gt_test_start(rec, s, 0, 0, 0);
  gt_test_wait_on(rec, s, 0, 1, GT_R_NET, 0);
  gt_test_finish(rec, s, 0, 60, 0, 0);
  gt_test_queue(rec, s, 1, 0, "b");
  gt_test_start(rec, s, 1, 60, 0);
  gt_test_wait_on(rec, s, 1, 61, GT_R_NET, 0);
  gt_test_finish(rec, s, 1, 100, 0, 0);
  assert_int_equal(gt_timeline_figures_of(rec, &f, 1), 1);
  assert_int_equal(f.state_ns[GT_S_RUNNING], 2 * US);
  assert_int_equal(f.ideal_ns, 60 * US);
  gt_recorder_free(rec);
}

/* A run that had 2 cores: 2 lanes run 0-10 ms, a third runs 4.0-4.5 ms
 * (an edge within the sampler's resolution, GT_RUNNING_RESOLUTION_NS =
 * 2 ms): the most running at once is 2, the cores, not 3.  Three lanes
 * together for 5 ms (longer than the resolution) are 3, whatever the
 * cores; and a run that does not say its cores (another tool's) counts
 * every instant. */
static void
test_peak_running_within_resolution(void **state)
{
  struct gt_recorder *rec = gt_recorder_new();
  struct gt_run_info ri = { .workers = 3, .tasks = 3, .cores = 2 };
  struct gt_run_figures f[3];
  struct gt_timeline *tl;
  uint16_t run[3];
  uint32_t t;
  int k;

  (void)state;
  ri.name = gt_recorder_intern(rec, "threads");
  ri.traits = gt_test_traits("threads");
  run[0] = gt_recorder_run_add(rec, &ri);
  run[1] = gt_recorder_run_add(rec, &ri);
  ri.cores = 0;
  run[2] = gt_recorder_run_add(rec, &ri);
  for (k = 0; k < 3; k++) {
    gt_recorder_run_start(rec, run[k], gt_recorder_t0(rec));
    gt_recorder_run_end(rec, run[k], gt_recorder_t0(rec) + 10000 * US);
    for (t = 0; t < 3; t++)
      gt_test_queue(rec, run[k], t, 0, "t");
  }
  for (k = 0; k < 3; k += 2) {  /* runs 0 and 2: a brief third */
    gt_test_start(rec, run[k], 0, 0, 0);
    gt_test_start(rec, run[k], 1, 0, 1);
    gt_test_start(rec, run[k], 2, 4000, 2);
    gt_test_finish(rec, run[k], 2, 4500, 2, 0);
    gt_test_finish(rec, run[k], 0, 10000, 0, 0);
    gt_test_finish(rec, run[k], 1, 10000, 1, 0);
  }
  for (t = 0; t < 3; t++) {  /* run 1: three together for 5 ms */
    gt_test_start(rec, run[1], t, 1000, (int32_t)t);
    gt_test_finish(rec, run[1], t, 6000, (int32_t)t, 0);
  }
  tl = gt_timeline_new(rec, 0);
  gt_timeline_update(tl, gt_recorder_t0(rec) + 20000 * US);
  assert_int_equal(gt_timeline_figures_all(tl, GT_FIG_PEAKS, f, 3), 3);
  assert_int_equal(f[0].peak_running, 2);
  assert_int_equal(f[1].peak_running, 3);
  assert_int_equal(f[2].peak_running, 3);
  assert_int_equal(f[0].peak_busy, 3);  /* only running has a resolution */
  gt_timeline_free(tl);
  gt_recorder_free(rec);
}

/* The peaks of a foreign run (no cores: every instant counts) of many
 * lanes against a brute-force oracle: the most lanes in the state at one
 * instant, stretches half-open [start, end) so that one ending when
 * another starts does not overlap it; zero-length stretches count for
 * nothing.  The lanes are also taken out (gt_lanes_take) the same as
 * copied (gt_lanes_from). */
static void
test_peaks_brute_force(void **state)
{
  enum { LANES = 40, STEPS = 24 };
  struct gt_recorder *rec = gt_recorder_new();
  struct gt_run_info ri = { .workers = LANES, .tasks = LANES,
      .flags = GT_RUN_FOREIGN };
  static uint64_t at[LANES][STEPS + 2];  /* the lane's times, us */
  struct gt_run_figures f;
  struct gt_timeline *tl;
  struct gt_lanes a, b;
  unsigned want_run = 0, want_busy = 0, want_net = 0, run, busy, net;
  uint32_t seed = 12345, l, k, m;
  uint16_t r;
  size_t i;

  (void)state;
  ri.name = gt_recorder_intern(rec, "foreign");
  r = gt_recorder_run_add(rec, &ri);
  /* lane l: queued [0, at[0]), then running and net waits by turns
   * (step k even: running), finished at at[STEPS] */
  for (l = 0; l < LANES; l++) {
    gt_test_queue(rec, r, l, 0, "t");
    at[l][0] = 10 * (seed % 7);
    for (k = 1; k <= STEPS; k++) {
      seed = seed * 1103515245u + 12345u;
      at[l][k] = at[l][k - 1] + 10 * ((seed >> 16) % 4);  /* 0: none */
    }
    gt_test_start(rec, r, l, at[l][0], (int32_t)l);
    for (k = 1; k < STEPS; k++) {
      if (k % 2)
        gt_test_wait_on(rec, r, l, at[l][k], GT_R_NET, (int32_t)l);
      else
        gt_test_resume(rec, r, l, at[l][k], (int32_t)l);
    }
    gt_test_finish(rec, r, l, at[l][STEPS], (int32_t)l, 0);
  }
  /* the oracle: at every time any stretch starts, count the lanes in
   * each state there (the latest of a lane's times at or before t wins) */
  for (m = 0; m < LANES; m++)
    for (k = 0; k < STEPS; k++) {
      uint64_t t = at[m][k];

      run = busy = net = 0;
      for (l = 0; l < LANES; l++) {
        int s = -1;  /* the step whose stretch holds t; -1: none */

        for (i = 0; i < STEPS; i++)
          if (at[l][i] <= t && t < at[l][i + 1])
            s = (int)i;
        if (s < 0)
          continue;
        busy++;
        run += s % 2 == 0;
        net += s % 2 == 1;
      }
      want_run = run > want_run ? run : want_run;
      want_busy = busy > want_busy ? busy : want_busy;
      want_net = net > want_net ? net : want_net;
    }
  tl = gt_timeline_of(rec);
  gt_timeline_figures(tl, 0, GT_FIG_PEAKS, &f);
  assert_int_equal(f.peak_running, want_run);
  assert_int_equal(f.peak_busy, want_busy);
  assert_int_equal(f.peak_net, want_net);
  gt_lanes_from(tl, &a);
  gt_lanes_take(tl, &b);
  gt_timeline_free(tl);
  assert_int_equal(a.n, b.n);
  assert_int_equal(a.first_ns, b.first_ns);
  assert_int_equal(a.last_ns, b.last_ns);
  for (i = 0; i < a.n; i++) {
    assert_int_equal(a.lane[i].niv, b.lane[i].niv);
    for (k = 0; k < a.lane[i].niv; k++) {  /* field by field: padding */
      const struct gt_interval *x = &a.lane[i].iv[k], *y = &b.lane[i].iv[k];

      assert_int_equal(x->start_ns, y->start_ns);
      assert_int_equal(x->end_ns, y->end_ns);
      assert_int_equal(x->label, y->label);
      assert_int_equal(x->worker, y->worker);
      assert_int_equal(x->state, y->state);
      assert_int_equal(x->reason, y->reason);
    }
  }
  gt_lanes_done(&a);
  gt_lanes_done(&b);
  gt_recorder_free(rec);
}

/* Lanes big enough that gt_lanes_take() gives what it frees back to the
 * system on the way (lanes.c, TRIM_BYTES: 2 MB of transitions) come out
 * as the definition says and the same as gt_lanes_from() copies them: lane
 * l queued over [0, 10) us, then running and net waits by turns, 10 us
 * each, from 10 us to its finish. */
static void
test_take_big_lanes(void **state)
{
  enum { LANES = 3, STEPS = 60000 };
  struct gt_recorder *rec = gt_recorder_new();
  struct gt_run_info ri = { .workers = LANES, .tasks = LANES,
      .flags = GT_RUN_FOREIGN };
  struct gt_timeline *tl;
  struct gt_lanes a, b;
  uint32_t l, k;
  uint64_t t0;
  uint16_t r;
  size_t i;

  (void)state;
  t0 = gt_recorder_t0(rec);
  ri.name = gt_recorder_intern(rec, "foreign");
  r = gt_recorder_run_add(rec, &ri);
  for (l = 0; l < LANES; l++) {
    gt_test_queue(rec, r, l, 0, "t");
    gt_test_start(rec, r, l, 10, (int32_t)l);
    for (k = 1; k < STEPS; k++) {
      if (k % 2)
        gt_test_wait_on(rec, r, l, 10 + 10 * (uint64_t)k, GT_R_NET,
            (int32_t)l);
      else
        gt_test_resume(rec, r, l, 10 + 10 * (uint64_t)k, (int32_t)l);
    }
    gt_test_finish(rec, r, l, 10 + 10 * (uint64_t)STEPS, (int32_t)l, 0);
  }
  tl = gt_timeline_of(rec);
  gt_lanes_from(tl, &a);
  gt_lanes_take(tl, &b);
  gt_timeline_free(tl);
  assert_int_equal(b.n, LANES);
  assert_int_equal(a.n, b.n);
  assert_int_equal(b.first_ns, t0);
  assert_int_equal(b.last_ns, t0 + 1000 * (10 + 10 * (uint64_t)STEPS));
  for (i = 0; i < b.n; i++) {
    assert_int_equal(b.lane[i].niv, STEPS + 1);
    assert_int_equal(a.lane[i].niv, b.lane[i].niv);
    assert_int_equal(b.lane[i].iv[0].start_ns, t0);
    assert_int_equal(b.lane[i].iv[0].end_ns, t0 + 10000);
    assert_int_equal(b.lane[i].iv[0].state, GT_S_QUEUED);
    for (k = 1; k <= STEPS; k++) {
      const struct gt_interval *x = &a.lane[i].iv[k], *y = &b.lane[i].iv[k];

      assert_int_equal(y->start_ns, t0 + 10000 * (uint64_t)k);
      assert_int_equal(y->end_ns, t0 + 10000 * (uint64_t)k + 10000);
      assert_int_equal(y->state, k % 2 ? GT_S_RUNNING : GT_S_WAITING);
      assert_int_equal(x->start_ns, y->start_ns);
      assert_int_equal(x->end_ns, y->end_ns);
      assert_int_equal(x->label, y->label);
      assert_int_equal(x->worker, y->worker);
      assert_int_equal(x->state, y->state);
      assert_int_equal(x->reason, y->reason);
    }
  }
  gt_lanes_done(&a);
  gt_lanes_done(&b);
  gt_recorder_free(rec);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_equal_times_keep_arrival),
    cmocka_unit_test(test_out_of_order),
    cmocka_unit_test(test_nothing_after_finish),
    cmocka_unit_test(test_coverage_brute_force),
    cmocka_unit_test(test_figures_rules),
    cmocka_unit_test(test_unfinished_sync_is_no_baseline),
    cmocka_unit_test(test_stopped_run_has_no_speedup),
    cmocka_unit_test(test_ideal_counts_a_task_at_time_zero),
    cmocka_unit_test(test_peak_running_within_resolution),
    cmocka_unit_test(test_peaks_brute_force),
    cmocka_unit_test(test_take_big_lanes),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
