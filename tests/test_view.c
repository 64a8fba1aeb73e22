/*
 * tests/test_view.c: the view model with no terminal.  Each test writes a
 * session by hand into a fresh recorder (events at t0 + a few ms, some of
 * them out of time order, as threads deliver them), folds it with
 * gt_view_update() and checks what the view says: transitions, cells over
 * a window, figures, captions and rows.  A lane of 100 000 transitions is
 * checked against a brute-force sum over its transitions.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <cmocka.h>

#include "base.h"
#include "recorder.h"
#include "support/session.h"
#include "view.h"

#define US 1000ull                /* ns per microsecond */
#define MS 1000000ull             /* ns per millisecond */
#define NET (GT_CAT_WAIT + GT_R_NET - 1)
#define CONNECT (GT_CAT_WAIT + GT_R_CONNECT - 1)
#define DISK (GT_CAT_WAIT + GT_R_DISK - 1)
#define MAXC 64                   /* cells in the small windows below */

/* A whole cell of one category with no mark. */
#define FULL(c) { (uint8_t)(c), (uint8_t)(c), 8, GT_MARK_NONE }

/* What every test starts from: a recorder and a view of it. */
struct fx {
  struct gt_recorder *rec;
  struct gt_view     *v;
  uint64_t            t0;         /* the recorder's time origin */
};

/* A fresh recorder and view. */
static int
setup(void **state)
{
  struct fx *f = gt_xcalloc(1, sizeof(*f));

  f->rec = gt_recorder_new();
  f->v = gt_view_new(f->rec);
  f->t0 = gt_recorder_t0(f->rec);
  *state = f;
  return 0;
}

/* Free the view, then the recorder it borrows. */
static int
teardown(void **state)
{
  struct fx *f = *state;

  gt_view_free(f->v);
  gt_recorder_free(f->rec);
  free(f);
  return 0;
}

/* The lane of task i of panel p (the view must be by task). */
static const struct gt_tl_lane *
lane(const struct fx *f, size_t p, size_t i)
{
  assert_true(p < gt_view_panels(f->v));
  assert_true(i < gt_view_panel_nlanes(f->v, p));
  return gt_view_panel_lane(f->v, p, i);
}

/* Fail, naming the first column where got and want differ. */
static void
cells_equal(const struct gt_cell *got, const struct gt_cell *want,
    unsigned n)
{
  unsigned c;

  for (c = 0; c < n; c++) {
    if (memcmp(&got[c], &want[c], sizeof(got[c])) == 0)
      continue;
    print_error("column %u: got left %u right %u split %u mark %u, want "
        "left %u right %u split %u mark %u\n", c, got[c].left, got[c].right,
        got[c].split, got[c].mark, want[c].left, want[c].right,
        want[c].split, want[c].mark);
    fail();
  }
}

/* Fill n cells with empty ones. */
static void
cells_none(struct gt_cell *c, unsigned n)
{
  unsigned i;

  for (i = 0; i < n; i++)
    c[i] = (struct gt_cell)FULL(GT_CAT_NONE);
}

/* The lane of the window tests: queued 0-10 ms, running 10-20, waiting on
 * the network 20-40, finished (with status) at 40. */
static void
lane_a(struct fx *f, uint16_t r, uint32_t task, int32_t status)
{
  gt_test_queue(f->rec, r, task, 0, "genre 0");
  gt_test_start(f->rec, r, task, 10000, 0);
  gt_test_wait_on(f->rec, r, task, 20000, GT_R_NET, 0);
  gt_test_finish(f->rec, r, task, 40000, 0, status);
}

/* Events become transitions of their task lane, one panel per run. */
static void
test_fold_transitions_and_panels(void **state)
{
  struct fx *f = *state;
  const struct gt_tl_run *p;
  const struct gt_tl_lane *l;
  uint16_t r0 = gt_test_run(f->rec, "sync", 1, 2, 0, -1);
  uint16_t r1 = gt_test_run(f->rec, "threads", 2, 1, 0, -1);

  assert_int_equal(gt_view_panels(f->v), 0);
  assert_int_equal(gt_view_all_done(f->v), 0);
  lane_a(f, r0, 0, 0);
  gt_test_queue(f->rec, r0, 1, 0, "genre 1");
  gt_test_queue(f->rec, r1, 0, 0, "genre 0");
  gt_test_start(f->rec, r1, 0, 0, 1);
  assert_int_equal(gt_view_update(f->v, 0), 7);
  assert_int_equal(gt_view_update(f->v, 0), 0);

  assert_int_equal(gt_view_panels(f->v), 2);
  p = gt_view_panel(f->v, 0);
  assert_int_equal(p->run, 0);
  assert_string_equal(gt_recorder_string(f->rec, p->mode), "sync");
  assert_int_equal(p->workers, 1);
  assert_int_equal(p->tasks, 2);
  assert_int_equal(p->start_ns, f->t0);
  assert_int_equal(p->end_ns, 0);
  assert_int_equal(p->ntask_lanes, 2);
  assert_int_equal(p->nworker_lanes, 1);
  p = gt_view_panel(f->v, 1);
  assert_string_equal(gt_recorder_string(f->rec, p->mode), "threads");
  assert_int_equal(p->ntask_lanes, 1);

  l = lane(f, 0, 0);
  assert_int_equal(l->run, 0);
  assert_int_equal(l->key, 0);
  assert_string_equal(gt_recorder_string(f->rec, l->name), "genre 0");
  assert_int_equal(l->ntr, 4);
  assert_int_equal(l->tr[0].cat, GT_CAT_QUEUED);
  assert_int_equal(l->tr[0].ts_ns, f->t0);
  assert_int_equal(l->tr[1].cat, GT_CAT_RUNNING);
  assert_int_equal(l->tr[1].ts_ns, f->t0 + 10 * MS);
  assert_int_equal(l->tr[1].worker, 0);
  assert_string_equal(gt_recorder_string(f->rec, l->tr[1].label),
      "GET /genre");
  assert_int_equal(l->tr[2].cat, NET);
  assert_int_equal(l->tr[3].cat, GT_CAT_NONE);
  assert_int_equal(l->finished, 1);
  assert_int_equal(l->status, 0);
  assert_int_equal(l->error, 0);
  assert_int_equal(l->finish_ns, f->t0 + 40 * MS);
  assert_int_equal(gt_view_cat_at(l, f->t0 + 15 * MS), GT_CAT_RUNNING);
  assert_int_equal(gt_view_cat_at(l, f->t0 + 20 * MS), NET);
  assert_int_equal(gt_view_cat_at(l, f->t0 + 40 * MS), GT_CAT_NONE);
  assert_int_equal(gt_view_cat_at(l, f->t0 - 1), GT_CAT_NONE);

  l = lane(f, 0, 1);
  assert_string_equal(gt_recorder_string(f->rec, l->name), "genre 1");
  assert_int_equal(l->ntr, 1);
  assert_int_equal(l->finished, 0);

  /* "Now" is the latest event, and never goes back. */
  assert_int_equal(gt_view_now(f->v), f->t0 + 40 * MS);
  gt_view_update(f->v, f->t0 + 50 * MS);
  assert_int_equal(gt_view_now(f->v), f->t0 + 50 * MS);
  gt_view_update(f->v, f->t0 + 45 * MS);
  assert_int_equal(gt_view_now(f->v), f->t0 + 50 * MS);

  /* Later events fold into the same lanes; a failure keeps its text. */
  gt_test_start(f->rec, r0, 1, 40000, 0);
  gt_test_finish(f->rec, r0, 1, 60000, 0, GT_EHTTP);
  assert_int_equal(gt_view_update(f->v, 0), 2);
  l = lane(f, 0, 1);
  assert_int_equal(l->ntr, 3);
  assert_int_equal(l->finished, 1);
  assert_int_equal(l->status, GT_EHTTP);
  assert_string_equal(gt_recorder_string(f->rec, l->error),
      "HTTP 500 from /genre");

  /* Nothing happens to a task after it finished. */
  gt_test_resume(f->rec, r0, 1, 70000, 0);
  gt_view_update(f->v, 0);
  assert_int_equal(lane(f, 0, 1)->ntr, 3);

  gt_recorder_run_end(f->rec, r0, f->t0 + 60 * MS);
  gt_view_update(f->v, 0);
  assert_int_equal(gt_view_all_done(f->v), 0);
  gt_recorder_run_end(f->rec, r1, f->t0 + 70 * MS);
  gt_view_update(f->v, 0);
  assert_int_equal(gt_view_all_done(f->v), 1);
}

/* A task that has a lane before its run is known to the view gets one
 * once the run is added; lanes are listed by task index. */
static void
test_lanes_sorted_by_task(void **state)
{
  struct fx *f = *state;
  uint16_t r = gt_test_run(f->rec, "threads", 3, 3, 0, -1);

  gt_test_queue(f->rec, r, 2, 0, "c");
  gt_test_queue(f->rec, r, 0, 0, "a");
  gt_test_queue(f->rec, r, 1, 0, "b");
  gt_view_update(f->v, 0);
  assert_int_equal(gt_view_panel_nlanes(f->v, 0), 3);
  assert_int_equal(lane(f, 0, 0)->key, 0);
  assert_string_equal(gt_recorder_string(f->rec, lane(f, 0, 0)->name), "a");
  assert_int_equal(lane(f, 0, 1)->key, 1);
  assert_int_equal(lane(f, 0, 2)->key, 2);
  assert_string_equal(gt_recorder_string(f->rec, lane(f, 0, 2)->name), "c");
}

/* This process's peak resident memory, KB. */
static long
peak_kb(void)
{
  struct rusage ru;

  assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
  return ru.ru_maxrss;
}

/* The view's task and worker indexes are sized by the lanes they hold, not
 * by the largest id: four runs each naming only task 16777215 (what a
 * gantty file of tid 16777216 gives) cost 256 MB a run, in an array by task
 * id (and worker 65535 512 KB a run, 512 MB for 1000 runs). */
static void
test_far_task_ids(void **state)
{
  struct fx *f = *state;
  long before = peak_kb();
  uint16_t r;

  for (r = 0; r < 4; r++) {
    gt_test_run(f->rec, "sync", 1, 1, 0, -1);
    gt_test_queue(f->rec, r, 16777215u, 0, "far");
    gt_test_queue(f->rec, r, 3, 0, "near");
    gt_test_start(f->rec, r, 3, 0, 65535);  /* a worker id as high */
  }
  gt_view_update(f->v, 0);
  if (peak_kb() - before > 64 * 1024)
    fail_msg("peak memory grew by %ld KB for 12 lanes", peak_kb() - before);
  assert_int_equal(gt_view_panel_nlanes(f->v, 3), 2);
  assert_int_equal(lane(f, 3, 0)->key, 3);
  assert_int_equal(lane(f, 3, 1)->key, 16777215u);
  assert_string_equal(gt_recorder_string(f->rec, lane(f, 3, 1)->name), "far");
  gt_view_set_by_worker(f->v, 1);
  assert_int_equal(gt_view_panel_nlanes(f->v, 3), 1);
  assert_int_equal(lane(f, 3, 0)->key, 65535);
  gt_view_set_by_worker(f->v, 0);
}

/* The cells of a window of 10 columns of 5 ms over lane_a. */
static void
test_cells_window(void **state)
{
  struct fx *f = *state;
  struct gt_cell got[MAXC], want[MAXC];
  uint16_t r = gt_test_run(f->rec, "sync", 1, 2, 0, 60000);
  unsigned c;

  lane_a(f, r, 0, 0);
  /* The second task fails at 38 ms, inside column 7. */
  gt_test_queue(f->rec, r, 1, 0, "genre 1");
  gt_test_start(f->rec, r, 1, 10000, 0);
  gt_test_wait_on(f->rec, r, 1, 20000, GT_R_NET, 0);
  gt_test_finish(f->rec, r, 1, 38000, 0, GT_EHTTP);
  gt_view_update(f->v, 0);

  cells_none(want, 12);
  want[0] = want[1] = (struct gt_cell)FULL(GT_CAT_QUEUED);
  want[2] = want[3] = (struct gt_cell)FULL(GT_CAT_RUNNING);
  for (c = 4; c < 8; c++)
    want[c] = (struct gt_cell)FULL(NET);
  want[8].mark = GT_MARK_DONE;  /* finished at 40 ms: column [40, 45) */
  gt_view_cells(f->v, lane(f, 0, 0), f->t0, 5 * MS, 10, got);
  cells_equal(got, want, 10);

  /* Column 7 is 3 ms of net then 2 ms of nothing: split at 5 eighths
   * (8 * 3 / 5 = 4.8), with the failed mark. */
  cells_none(want, 12);
  want[0] = want[1] = (struct gt_cell)FULL(GT_CAT_QUEUED);
  want[2] = want[3] = (struct gt_cell)FULL(GT_CAT_RUNNING);
  for (c = 4; c < 7; c++)
    want[c] = (struct gt_cell)FULL(NET);
  want[7] = (struct gt_cell){ NET, GT_CAT_NONE, 5, GT_MARK_FAILED };
  gt_view_cells(f->v, lane(f, 0, 1), f->t0, 5 * MS, 10, got);
  cells_equal(got, want, 10);

  /* A window that ends before the finish shows no mark. */
  gt_view_cells(f->v, lane(f, 0, 1), f->t0, 5 * MS, 7, got);
  for (c = 0; c < 7; c++)
    assert_int_equal(got[c].mark, GT_MARK_NONE);

  /* Coverage agrees with the cells. */
  {
    uint64_t cov[GT_CAT_COUNT];

    gt_view_coverage(f->v, lane(f, 0, 0), f->t0, f->t0 + 50 * MS, cov);
    assert_int_equal(cov[GT_CAT_QUEUED], 10 * MS);
    assert_int_equal(cov[GT_CAT_RUNNING], 10 * MS);
    assert_int_equal(cov[NET], 20 * MS);
    assert_int_equal(cov[GT_CAT_NONE], 10 * MS);
    gt_view_coverage(f->v, lane(f, 0, 0), f->t0 + 12 * MS,
        f->t0 + 25 * MS, cov);
    assert_int_equal(cov[GT_CAT_QUEUED], 0);
    assert_int_equal(cov[GT_CAT_RUNNING], 8 * MS);
    assert_int_equal(cov[NET], 5 * MS);
    assert_int_equal(cov[GT_CAT_NONE], 0);
  }
}

/* One row of the eighths table: queued from 0, running from start_us,
 * seen through one 10 ms column. */
struct eighth_case {
  uint64_t start_us;
  uint8_t  left, right, split;
};

/* Sub-cell edges: where in a 10 ms column the task starts running, and
 * the split that shows it (round to the nearest eighth, half up; no split
 * when the smaller part is under 1/16 of the cell or rounds to 0 or 8). */
static void
test_cells_eighths(void **state)
{
  static const struct eighth_case cases[] = {
    { 2500, GT_CAT_QUEUED, GT_CAT_RUNNING, 2 },   /* 2.0 eighths */
    { 3000, GT_CAT_QUEUED, GT_CAT_RUNNING, 2 },   /* 2.4 */
    { 3125, GT_CAT_QUEUED, GT_CAT_RUNNING, 3 },   /* 2.5: half up */
    { 3200, GT_CAT_QUEUED, GT_CAT_RUNNING, 3 },   /* 2.56 */
    { 5000, GT_CAT_QUEUED, GT_CAT_RUNNING, 4 },   /* 4.0 */
    { 6200, GT_CAT_QUEUED, GT_CAT_RUNNING, 5 },   /* 4.96 */
    { 8700, GT_CAT_QUEUED, GT_CAT_RUNNING, 7 },   /* 6.96 */
    { 9300, GT_CAT_QUEUED, GT_CAT_RUNNING, 7 },   /* 7.44 */
    { 700, GT_CAT_QUEUED, GT_CAT_RUNNING, 1 },    /* 0.56 */
    { 625, GT_CAT_QUEUED, GT_CAT_RUNNING, 1 },    /* 0.5, 1/16 exactly */
    { 500, GT_CAT_RUNNING, GT_CAT_RUNNING, 8 },   /* 0.4: under 1/16 */
    { 9500, GT_CAT_QUEUED, GT_CAT_QUEUED, 8 },    /* 7.6, other < 1/16 */
    { 9375, GT_CAT_QUEUED, GT_CAT_QUEUED, 8 },    /* 7.5 rounds to 8 */
  };
  struct fx *f = *state;
  struct gt_cell got[2];
  size_t i;
  uint16_t r = gt_test_run(f->rec, "threads", 16, 16, 0, -1);

  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    gt_test_queue(f->rec, r, (uint32_t)i, 0, "t");
    gt_test_start(f->rec, r, (uint32_t)i, cases[i].start_us, (int32_t)i);
  }
  gt_view_update(f->v, f->t0 + 20 * MS);
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    gt_view_cells(f->v, lane(f, 0, i), f->t0, 10 * MS, 2, got);
    if (got[0].left != cases[i].left || got[0].right != cases[i].right
        || got[0].split != cases[i].split || got[0].mark != 0) {
      print_error("start at %llu us: got %u/%u split %u, want %u/%u split "
          "%u\n", (unsigned long long)cases[i].start_us, got[0].left,
          got[0].right, got[0].split, cases[i].left, cases[i].right,
          cases[i].split);
      fail();
    }
    assert_int_equal(got[1].left, GT_CAT_RUNNING);
    assert_int_equal(got[1].split, 8);
  }
}

/* A lane that begins mid-column has an empty left part; one that ends
 * mid-column an empty right part; the larger part always wins the split's
 * side by time, not by size. */
static void
test_cells_eighths_edges(void **state)
{
  struct fx *f = *state;
  struct gt_cell got[3];
  uint16_t r = gt_test_run(f->rec, "threads", 2, 2, 0, -1);

  gt_test_queue(f->rec, r, 0, 12500, "late");   /* 2.5 ms into column 1 */
  gt_test_start(f->rec, r, 0, 20000, 0);
  gt_test_finish(f->rec, r, 0, 27500, 0, 0);    /* 7.5 ms into column 2 */
  gt_test_queue(f->rec, r, 1, 0, "short");
  gt_test_start(f->rec, r, 1, 10000, 1);
  gt_test_wait_on(f->rec, r, 1, 11000, GT_R_DISK, 1); /* 1 ms disk first */
  gt_test_resume(f->rec, r, 1, 12000, 1);
  gt_test_wait_on(f->rec, r, 1, 18000, GT_R_NET, 1);  /* 2 ms net last */
  gt_test_finish(f->rec, r, 1, 40000, 1, 0);
  gt_view_update(f->v, 0);

  gt_view_cells(f->v, lane(f, 0, 0), f->t0, 10 * MS, 3, got);
  assert_int_equal(got[0].left, GT_CAT_NONE);
  assert_int_equal(got[0].split, 8);
  assert_int_equal(got[1].left, GT_CAT_NONE);
  assert_int_equal(got[1].right, GT_CAT_QUEUED);
  assert_int_equal(got[1].split, 2);
  assert_int_equal(got[2].left, GT_CAT_RUNNING);
  assert_int_equal(got[2].right, GT_CAT_NONE);
  assert_int_equal(got[2].split, 6);
  assert_int_equal(got[2].mark, GT_MARK_DONE);

  /* Column 1 of the second lane: running 7 ms (1 + 6), net 2, disk 1.
   * The two largest are running and net; running holds the start. */
  gt_view_cells(f->v, lane(f, 0, 1), f->t0, 10 * MS, 3, got);
  assert_int_equal(got[1].left, GT_CAT_RUNNING);
  assert_int_equal(got[1].right, NET);
  assert_int_equal(got[1].split, 6);          /* 8 * 7 / 9 = 6.2 */
  assert_int_equal(got[2].left, NET);
  assert_int_equal(got[2].split, 8);
}

/* Build the ordering lane into f: two net waits and a disk wait, appended
 * in time order or, when shuffled, as threads may deliver them (the QUEUE
 * after the START, a WAIT after its RESUME, the FINISH before the last
 * RESUME). */
static void
ordering_lane(struct fx *f, int shuffled)
{
  uint16_t r = gt_test_run(f->rec, "threads", 1, 1, 0, 60000);

  if (!shuffled) {
    gt_test_queue(f->rec, r, 0, 0, "genre 0");
    gt_test_start(f->rec, r, 0, 7500, 0);
    gt_test_wait_on(f->rec, r, 0, 20000, GT_R_NET, 0);
    gt_test_resume(f->rec, r, 0, 30000, 0);
    gt_test_wait_on(f->rec, r, 0, 33000, GT_R_DISK, 0);
    gt_test_resume(f->rec, r, 0, 41000, 0);
    gt_test_finish(f->rec, r, 0, 52500, 0, 0);
  } else {
    gt_test_start(f->rec, r, 0, 7500, 0);
    gt_test_queue(f->rec, r, 0, 0, "genre 0");
    gt_test_resume(f->rec, r, 0, 30000, 0);
    gt_test_wait_on(f->rec, r, 0, 20000, GT_R_NET, 0);
    gt_test_wait_on(f->rec, r, 0, 33000, GT_R_DISK, 0);
    gt_test_finish(f->rec, r, 0, 52500, 0, 0);
    gt_test_resume(f->rec, r, 0, 41000, 0);
  }
}

/* Events out of time order give the same lane and cells as in order. */
static void
test_cells_out_of_order(void **state)
{
  static const uint64_t widths[] = { 1 * MS, 2500 * US, 5 * MS, 7 * MS };
  struct fx *f = *state, *g;
  struct gt_cell a[MAXC], b[MAXC];
  const struct gt_tl_lane *la, *lb;
  uint64_t ca[GT_CAT_COUNT], cb[GT_CAT_COUNT];
  size_t i;

  setup((void **)&g);
  ordering_lane(f, 0);
  ordering_lane(g, 1);
  gt_view_update(f->v, 0);
  gt_view_update(g->v, 0);
  la = lane(f, 0, 0);
  lb = lane(g, 0, 0);
  assert_int_equal(la->ntr, 7);
  assert_int_equal(lb->ntr, la->ntr);
  for (i = 0; i < la->ntr; i++) {
    assert_int_equal(la->tr[i].ts_ns - f->t0, lb->tr[i].ts_ns - g->t0);
    assert_int_equal(la->tr[i].cat, lb->tr[i].cat);
  }
  assert_string_equal(gt_recorder_string(g->rec, lb->name), "genre 0");
  assert_int_equal(lb->finished, 1);
  assert_int_equal(gt_view_now(f->v) - f->t0, gt_view_now(g->v) - g->t0);
  for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
    gt_view_cells(f->v, la, f->t0, widths[i], MAXC, a);
    gt_view_cells(g->v, lb, g->t0, widths[i], MAXC, b);
    cells_equal(b, a, MAXC);
  }
  gt_view_coverage(f->v, la, f->t0 + 3 * MS, f->t0 + 45 * MS, ca);
  gt_view_coverage(g->v, lb, g->t0 + 3 * MS, g->t0 + 45 * MS, cb);
  assert_memory_equal(ca, cb, sizeof(ca));
  assert_int_equal(ca[NET], 10 * MS);
  assert_int_equal(ca[DISK], 8 * MS);
  assert_int_equal(ca[GT_CAT_QUEUED], 4500 * US);
  assert_int_equal(ca[GT_CAT_RUNNING], 19500 * US);
  teardown((void **)&g);
}

/* Events stamped at the same instant keep their arrival order: a QUEUE
 * gathered after a START of the same instant comes after it (the one tie
 * rule; live emitters stamp a task's events after its QUEUE, so they never
 * make this case).  The lane is queued from that instant on. */
static void
test_equal_times_arrival_order(void **state)
{
  struct fx *f = *state;
  const struct gt_tl_lane *l;
  struct gt_cell got[4];
  uint16_t r = gt_test_run(f->rec, "threads", 1, 1, 0, -1);

  gt_test_start(f->rec, r, 0, 5000, 0);
  gt_test_queue(f->rec, r, 0, 5000, "genre 0");
  gt_view_update(f->v, f->t0 + 20 * MS);
  l = lane(f, 0, 0);
  assert_int_equal(l->ntr, 2);
  assert_int_equal(l->tr[0].cat, GT_CAT_RUNNING);
  assert_int_equal(l->tr[1].cat, GT_CAT_QUEUED);
  assert_int_equal(gt_view_cat_at(l, f->t0 + 5 * MS), GT_CAT_QUEUED);
  gt_view_cells(f->v, l, f->t0, 5 * MS, 4, got);
  assert_int_equal(got[0].left, GT_CAT_NONE);
  assert_int_equal(got[1].left, GT_CAT_QUEUED);
  assert_int_equal(got[1].split, 8);
}

/* A transition that arrives late and lands in an earlier block of the
 * running totals gives the same coverage as in order (the totals after it
 * are rebuilt). */
static void
test_out_of_order_rebuilds_totals(void **state)
{
  struct fx *f = *state, *g;
  const struct gt_tl_lane *la, *lb;
  uint64_t ca[GT_CAT_COUNT], cb[GT_CAT_COUNT];
  uint16_t ra, rb;
  unsigned k, a, b;

  setup((void **)&g);
  ra = gt_test_run(f->rec, "async", 1, 1, 0, -1);
  rb = gt_test_run(g->rec, "async", 1, 1, 0, -1);
  gt_test_queue(f->rec, ra, 0, 0, "t");
  gt_test_queue(g->rec, rb, 0, 0, "t");
  gt_test_start(f->rec, ra, 0, 1000, 0);
  gt_test_start(g->rec, rb, 0, 1000, 0);
  /* 60 waits and resumes, 1 ms apart; g gets the wait at 5 ms last. */
  for (k = 2; k < 62; k++) {
    if (k % 2 == 0) {
      gt_test_wait_on(f->rec, ra, 0, k * 1000,
          k % 4 ? GT_R_NET : GT_R_DISK, 0);
      if (k != 4)
        gt_test_wait_on(g->rec, rb, 0, k * 1000,
            k % 4 ? GT_R_NET : GT_R_DISK, 0);
    } else {
      gt_test_resume(f->rec, ra, 0, k * 1000, 0);
      gt_test_resume(g->rec, rb, 0, k * 1000, 0);
    }
  }
  gt_view_update(f->v, f->t0 + 62 * MS);
  gt_view_update(g->v, g->t0 + 62 * MS);
  gt_test_wait_on(g->rec, rb, 0, 4000, GT_R_DISK, 0);
  gt_view_update(g->v, 0);
  la = lane(f, 0, 0);
  lb = lane(g, 0, 0);
  assert_int_equal(la->ntr, 62);
  assert_int_equal(lb->ntr, 62);
  for (a = 0; a < 62; a += 3)
    for (b = a + 1; b <= 63; b += 5) {
      gt_view_coverage(f->v, la, f->t0 + a * MS, f->t0 + b * MS, ca);
      gt_view_coverage(g->v, lb, g->t0 + a * MS, g->t0 + b * MS, cb);
      assert_memory_equal(ca, cb, sizeof(ca));
    }
  gt_view_coverage(g->v, lb, g->t0, g->t0 + 62 * MS, cb);
  assert_int_equal(cb[GT_CAT_QUEUED], 1 * MS);
  assert_int_equal(cb[GT_CAT_RUNNING], 31 * MS);
  assert_int_equal(cb[DISK], 15 * MS);
  assert_int_equal(cb[NET], 15 * MS);
  teardown((void **)&g);
}

/* Zoom and pan are only arithmetic on the window: the same boundaries at
 * twice the columns when ns_per_col halves, and shifted cells when t_lo
 * moves. */
static void
test_zoom_and_pan(void **state)
{
  struct fx *f = *state;
  struct gt_cell c5[MAXC], c25[MAXC], pan[MAXC];
  const struct gt_tl_lane *l;
  uint16_t r = gt_test_run(f->rec, "sync", 1, 1, 0, 40000);
  unsigned c;

  lane_a(f, r, 0, 0);
  gt_view_update(f->v, 0);
  l = lane(f, 0, 0);
  gt_view_cells(f->v, l, f->t0, 5 * MS, 12, c5);
  gt_view_cells(f->v, l, f->t0, 2500 * US, 24, c25);
  for (c = 0; c < 24; c++) {
    assert_int_equal(c25[c].left, c5[c / 2].left);
    assert_int_equal(c25[c].right, c5[c / 2].right);
    assert_int_equal(c25[c].split, c5[c / 2].split);
  }
  /* The mark stays at the finish: column 8 at 5 ms, column 16 at 2.5. */
  for (c = 0; c < 24; c++)
    assert_int_equal(c25[c].mark, c == 16 ? GT_MARK_DONE : GT_MARK_NONE);

  /* Pan right by 3 columns, then left of t0 by 2. */
  gt_view_cells(f->v, l, f->t0 + 15 * MS, 5 * MS, 9, pan);
  cells_equal(pan, c5 + 3, 9);
  gt_view_cells(f->v, l, f->t0 - 10 * MS, 5 * MS, 12, pan);
  assert_int_equal(pan[0].left, GT_CAT_NONE);
  assert_int_equal(pan[1].left, GT_CAT_NONE);
  cells_equal(pan + 2, c5, 10);

  /* Zoom out: 10 ms columns are two 5 ms ones each. */
  gt_view_cells(f->v, l, f->t0, 10 * MS, 6, pan);
  assert_int_equal(pan[0].left, GT_CAT_QUEUED);
  assert_int_equal(pan[1].left, GT_CAT_RUNNING);
  assert_int_equal(pan[2].left, NET);
  assert_int_equal(pan[3].left, NET);
  assert_int_equal(pan[4].left, GT_CAT_NONE);
  assert_int_equal(pan[4].mark, GT_MARK_DONE);
  for (c = 0; c < 4; c++)
    assert_int_equal(pan[c].split, 8);

  /* An odd zoom: 3 ms columns put the 10 ms edge a third into column 3. */
  gt_view_cells(f->v, l, f->t0, 3 * MS, 14, pan);
  assert_int_equal(pan[3].left, GT_CAT_QUEUED);
  assert_int_equal(pan[3].right, GT_CAT_RUNNING);
  assert_int_equal(pan[3].split, 3);          /* 8 * 1 / 3 = 2.67 */
  assert_int_equal(pan[13].mark, GT_MARK_DONE);  /* [39, 42) */
}

/* Asking twice for the same window gives the same cells, and a lane
 * that changes in between (new events, later now, an event out of order,
 * its finish) gives the new ones: whatever the view keeps between frames
 * must follow the lane. */
static void
test_cells_follow_the_lane(void **state)
{
  struct fx *f = *state;
  struct gt_cell a[MAXC], b[MAXC];
  uint16_t r = gt_test_run(f->rec, "async", 1, 1, 0, -1);
  unsigned c;

  gt_test_queue(f->rec, r, 0, 0, "genre 0");
  gt_view_update(f->v, f->t0 + 10 * MS);
  gt_view_cells(f->v, lane(f, 0, 0), f->t0, 5 * MS, 8, a);
  gt_view_cells(f->v, lane(f, 0, 0), f->t0, 5 * MS, 8, b);
  cells_equal(b, a, 8);
  assert_int_equal(a[1].left, GT_CAT_QUEUED);
  assert_int_equal(a[2].left, GT_CAT_NONE);

  /* Time goes on with no event: the queue grows. */
  gt_view_update(f->v, f->t0 + 20 * MS);
  gt_view_cells(f->v, lane(f, 0, 0), f->t0, 5 * MS, 8, a);
  assert_int_equal(a[3].left, GT_CAT_QUEUED);
  assert_int_equal(a[4].left, GT_CAT_NONE);

  /* New events at the end. */
  gt_test_start(f->rec, r, 0, 20000, 0);
  gt_test_wait_on(f->rec, r, 0, 25000, GT_R_NET, 0);
  gt_view_update(f->v, f->t0 + 30 * MS);
  gt_view_cells(f->v, lane(f, 0, 0), f->t0, 5 * MS, 8, a);
  assert_int_equal(a[4].left, GT_CAT_RUNNING);
  assert_int_equal(a[5].left, NET);
  assert_int_equal(a[6].left, GT_CAT_NONE);

  /* An event out of order, in the past: a disk wait at 5-10 ms. */
  gt_test_wait_on(f->rec, r, 0, 5000, GT_R_DISK, 0);
  gt_test_resume(f->rec, r, 0, 10000, 0);
  gt_view_update(f->v, 0);
  gt_view_cells(f->v, lane(f, 0, 0), f->t0, 5 * MS, 8, a);
  assert_int_equal(a[1].left, DISK);
  assert_int_equal(a[2].left, GT_CAT_RUNNING);

  /* The finish, with now frozen afterwards. */
  gt_test_finish(f->rec, r, 0, 32000, 0, GT_ENET);
  gt_view_update(f->v, 0);
  gt_view_cells(f->v, lane(f, 0, 0), f->t0, 5 * MS, 8, a);
  assert_int_equal(a[6].mark, GT_MARK_FAILED);
  for (c = 0; c < 8; c++)
    assert_int_equal(a[c].mark, c == 6 ? GT_MARK_FAILED : GT_MARK_NONE);
  gt_view_update(f->v, f->t0 + 40 * MS);
  gt_view_cells(f->v, lane(f, 0, 0), f->t0, 5 * MS, 8, b);
  cells_equal(b, a, 8);

  /* Another window (panned a column, same width and count; then
   * narrower), then the first again. */
  gt_view_cells(f->v, lane(f, 0, 0), f->t0 + 5 * MS, 5 * MS, 8, b);
  cells_equal(b, a + 1, 7);
  gt_view_cells(f->v, lane(f, 0, 0), f->t0 + 5 * MS, 5 * MS, 7, b);
  cells_equal(b, a + 1, 7);
  gt_view_cells(f->v, lane(f, 0, 0), f->t0, 5 * MS, 8, b);
  cells_equal(b, a, 8);
}

/* Lanes by worker: two tasks on worker 0 one after the other make one
 * lane, whose stretches carry the task and its name. */
static void
test_lanes_by_worker(void **state)
{
  struct fx *f = *state;
  const struct gt_tl_lane *l;
  struct gt_cell got[MAXC], want[MAXC];
  uint32_t alpha = gt_recorder_intern(f->rec, "alpha");
  uint32_t beta = gt_recorder_intern(f->rec, "beta");
  uint16_t r = gt_test_run(f->rec, "threads", 1, 2, 0, 30000);

  gt_test_queue(f->rec, r, 0, 0, "alpha");
  gt_test_queue(f->rec, r, 1, 0, "beta");
  gt_test_start(f->rec, r, 0, 0, 0);
  gt_test_finish(f->rec, r, 0, 10000, 0, 0);
  gt_test_start(f->rec, r, 1, 10000, 0);
  gt_test_wait_on(f->rec, r, 1, 15000, GT_R_NET, 0);
  gt_test_resume(f->rec, r, 1, 20000, 0);
  gt_test_finish(f->rec, r, 1, 30000, 0, 0);
  gt_view_update(f->v, 0);

  assert_int_equal(gt_view_by_worker(f->v), 0);
  assert_int_equal(gt_view_panel_nlanes(f->v, 0), 2);
  gt_view_set_by_worker(f->v, 1);
  assert_int_equal(gt_view_by_worker(f->v), 1);
  assert_int_equal(gt_view_panel_nlanes(f->v, 0), 1);
  l = gt_view_panel_lane(f->v, 0, 0);
  assert_int_equal(l->key, 0);
  assert_string_equal(gt_recorder_string(f->rec, l->name), "worker 0");
  assert_int_equal(l->ntr, 6);
  assert_int_equal(l->tr[0].task, 0);
  assert_int_equal(l->tr[0].label, alpha);
  assert_int_equal(l->tr[0].cat, GT_CAT_RUNNING);
  assert_int_equal(l->tr[1].task, 0);
  assert_int_equal(l->tr[1].cat, GT_CAT_NONE);
  assert_int_equal(l->tr[2].task, 1);
  assert_int_equal(l->tr[2].label, beta);
  assert_int_equal(l->tr[2].cat, GT_CAT_RUNNING);
  assert_int_equal(l->tr[3].cat, NET);
  assert_int_equal(l->tr[3].label, beta);
  assert_int_equal(l->tr[5].cat, GT_CAT_NONE);

  /* The worker runs from 0 to 30 ms with no gap at the hand-over. */
  cells_none(want, 8);
  want[0] = want[1] = want[2] = want[4] = want[5] =
      (struct gt_cell)FULL(GT_CAT_RUNNING);
  want[3] = (struct gt_cell)FULL(NET);
  gt_view_cells(f->v, l, f->t0, 5 * MS, 8, got);
  cells_equal(got, want, 8);

  gt_view_set_by_worker(f->v, 0);
  assert_int_equal(gt_view_panel_nlanes(f->v, 0), 2);
}

/* A worker lane is labelled by task name even when the task's QUEUE (from
 * the submitting thread) is gathered after its START (from the worker):
 * trace/timeline.h promises "the task in worker lanes", and says this
 * order happens. */
static void
test_worker_label_when_queue_arrives_late(void **state)
{
  struct fx *f = *state;
  const struct gt_tl_lane *l;
  uint32_t alpha = gt_recorder_intern(f->rec, "alpha");
  uint16_t r = gt_test_run(f->rec, "threads", 1, 1, 0, 20000);
  size_t i;

  gt_test_start(f->rec, r, 0, 1000, 0);
  gt_test_queue(f->rec, r, 0, 0, "alpha");
  gt_test_finish(f->rec, r, 0, 20000, 0, 0);
  gt_view_update(f->v, 0);
  gt_view_set_by_worker(f->v, 1);
  l = gt_view_panel_lane(f->v, 0, 0);
  assert_int_equal(l->ntr, 2);
  for (i = 0; i < l->ntr; i++) {
    if (l->tr[i].label == alpha)
      continue;
    print_error("worker transition %zu is labelled \"%s\", want \"alpha\"\n",
        i, gt_recorder_string(f->rec, l->tr[i].label));
    fail();
  }
}

/* An unfinished lane ends at now: cells after it are empty, and the cell
 * holding now is split there. */
static void
test_now_clips_unfinished(void **state)
{
  struct fx *f = *state;
  struct gt_cell got[MAXC], want[MAXC];
  const struct gt_tl_lane *l;
  uint64_t cov[GT_CAT_COUNT];
  uint16_t r = gt_test_run(f->rec, "async", 1, 1, 0, -1);

  gt_test_queue(f->rec, r, 0, 0, "genre 0");
  gt_test_start(f->rec, r, 0, 10000, 0);
  gt_test_wait_on(f->rec, r, 0, 20000, GT_R_NET, 0);
  gt_view_update(f->v, f->t0 + 30 * MS);
  l = lane(f, 0, 0);
  assert_int_equal(l->finished, 0);

  cells_none(want, 10);
  want[0] = want[1] = (struct gt_cell)FULL(GT_CAT_QUEUED);
  want[2] = want[3] = (struct gt_cell)FULL(GT_CAT_RUNNING);
  want[4] = want[5] = (struct gt_cell)FULL(NET);
  gt_view_cells(f->v, l, f->t0, 5 * MS, 10, got);
  cells_equal(got, want, 10);

  gt_view_coverage(f->v, l, f->t0, f->t0 + 50 * MS, cov);
  assert_int_equal(cov[NET], 10 * MS);
  assert_int_equal(cov[GT_CAT_NONE], 20 * MS);

  /* Time goes on: now at 32.5 ms splits column 6 in half. */
  gt_view_update(f->v, f->t0 + 32500 * US);
  gt_view_cells(f->v, l, f->t0, 5 * MS, 10, got);
  want[6] = (struct gt_cell){ NET, GT_CAT_NONE, 4, GT_MARK_NONE };
  cells_equal(got, want, 10);

  /* With 0 for now, time stays where it was. */
  gt_view_update(f->v, 0);
  assert_int_equal(gt_view_now(f->v), f->t0 + 32500 * US);
}

/* Figures: wall time, speedup against sync once both ended, the ideal
 * time, and tasks counted by state at now. */
static void
test_figures(void **state)
{
  struct fx *f = *state;
  struct gt_run_figures s, t;
  uint16_t rs = gt_test_run(f->rec, "sync", 1, 2, 0, -1);
  uint16_t rt = gt_test_run(f->rec, "threads", 2, 2, 0, -1);
  uint32_t k;

  /* sync: two 100 ms tasks one after the other (net from 10 to 90 ms of
   * each); the second is still waiting at 150 ms. */
  for (k = 0; k < 2; k++) {
    gt_test_queue(f->rec, rs, k, 0, "genre");
    gt_test_start(f->rec, rs, k, 100000 * k, 0);
    gt_test_wait_on(f->rec, rs, k, 100000 * k + 10000, GT_R_NET, 0);
  }
  gt_test_resume(f->rec, rs, 0, 90000, 0);
  gt_test_finish(f->rec, rs, 0, 100000, 0, 0);
  /* threads: both at once, the second failing. */
  for (k = 0; k < 2; k++) {
    gt_test_queue(f->rec, rt, k, 0, "genre");
    gt_test_start(f->rec, rt, k, 0, (int32_t)k);
    gt_test_wait_on(f->rec, rt, k, 10000, GT_R_NET, (int32_t)k);
    gt_test_resume(f->rec, rt, k, 90000, (int32_t)k);
    gt_test_finish(f->rec, rt, k, 100000, (int32_t)k, k ? GT_EHTTP : 0);
  }
  gt_recorder_run_end(f->rec, rt, f->t0 + 100 * MS);
  gt_view_update(f->v, f->t0 + 150 * MS);

  /* sync runs on: no speedup for anyone, its wall up to now. */
  gt_view_figures(f->v, 0, &s);
  gt_view_figures(f->v, 1, &t);
  assert_int_equal(s.wall_ns, 150 * MS);
  assert_true(s.speedup == 0);
  assert_int_equal(t.wall_ns, 100 * MS);
  assert_true(t.speedup == 0);
  assert_int_equal(s.ok, 1);
  assert_int_equal(s.waiting, 1);
  assert_int_equal(s.waiting_by[GT_R_NET], 1);
  assert_int_equal(s.running + s.queued + s.failed, 0);
  assert_int_equal(t.ok, 1);
  assert_int_equal(t.failed, 1);
  assert_int_equal(t.running + t.queued + t.waiting, 0);
  /* The longest task is 100 ms; the CPU time (20 ms a task) over the
   * cores is less. */
  assert_int_equal(t.ideal_ns, 100 * MS);

  gt_test_resume(f->rec, rs, 1, 190000, 0);
  gt_test_finish(f->rec, rs, 1, 200000, 0, 0);
  gt_recorder_run_end(f->rec, rs, f->t0 + 200 * MS);
  gt_view_update(f->v, 0);
  gt_view_figures(f->v, 0, &s);
  gt_view_figures(f->v, 1, &t);
  assert_int_equal(s.wall_ns, 200 * MS);
  assert_true(s.speedup == 1.0);
  assert_true(t.speedup == 2.0);
  assert_int_equal(t.wall_ns, 100 * MS);
  assert_int_equal(s.ok, 2);
  assert_int_equal(s.ideal_ns, 100 * MS);
}

/* The header's "2.00x vs NAME" names the baseline by at most 12
 * characters, whole ones: a file's baseline may be named in any script,
 * and a name cut inside a UTF-8 sequence draws as a broken character. */
static void
test_speed_names_baseline_whole(void **state)
{
  struct fx *f = *state;
  struct gt_run_info ri = { .workers = 1, .tasks = 1,
    .traits = GT_MODE_BASELINE };
  uint16_t rb, rt;
  char buf[128];

  /* 'a' and 14 Cyrillic letters of two bytes each */
  ri.name = gt_recorder_intern(f->rec, "a\u0441\u0438\u043d\u0445\u0440"
      "\u043e\u043d\u043d\u044b\u0439\u043f\u0443\u0442\u044c");
  rb = gt_recorder_run_add(f->rec, &ri);
  gt_recorder_run_start(f->rec, rb, f->t0);
  rt = gt_test_run(f->rec, "threads", 1, 1, 200000, 300000);
  gt_test_queue(f->rec, rb, 0, 0, "t");
  gt_test_start(f->rec, rb, 0, 1, 0);
  gt_test_finish(f->rec, rb, 0, 200000, 0, 0);
  gt_recorder_run_end(f->rec, rb, f->t0 + 200 * MS);
  gt_test_queue(f->rec, rt, 0, 200000, "t");
  gt_test_start(f->rec, rt, 0, 200001, 0);
  gt_test_finish(f->rec, rt, 0, 300000, 0, 0);
  gt_view_update(f->v, 0);

  gt_view_speed(f->v, rt, buf, sizeof(buf));
  assert_string_equal(buf, "2.00x vs a\u0441\u0438\u043d\u0445\u0440"
      "\u043e\u043d\u043d\u044b\u0439\u043f");
  /* the baseline itself has none */
  gt_view_speed(f->v, rb, buf, sizeof(buf));
  assert_string_equal(buf, "");
}

/* The ideal is a lower bound on the wall (timeline.h): 2 x cores + 1
 * tasks that each ran 100 ms in a run of 100 ms add up to more running
 * than the cores could give (a file whose running is wall time in a CPU
 * step, as an older gantty wrote), and the ideal still is at most the
 * wall, and at least the longest task's own time (100 ms). */
static void
test_figures_ideal_cpu_bound(void **state)
{
  struct fx *f = *state;
  struct gt_run_figures p;
  long ncores = sysconf(_SC_NPROCESSORS_ONLN);
  uint32_t k, n;
  uint16_t r;

  if (ncores < 1)
    ncores = 1;
  n = (uint32_t)(2 * ncores + 1);
  r = gt_test_run(f->rec, "threads", (int32_t)n, n, 0, 100000);
  for (k = 0; k < n; k++) {
    gt_test_queue(f->rec, r, k, 0, "pow");
    gt_test_start(f->rec, r, k, 0, (int32_t)k);
    gt_test_finish(f->rec, r, k, 100000, (int32_t)k, 0);
  }
  gt_view_update(f->v, 0);
  gt_view_figures(f->v, 0, &p);
  assert_int_equal(p.ok, n);
  assert_int_equal(p.wall_ns, 100 * MS);
  assert_true(p.ideal_ns <= p.wall_ns);
  assert_int_equal(p.ideal_ns, 100 * MS);
}

/* On a machine's cores the ideal is the running time over the cores when
 * that is longer than any task's own time: 2 x cores tasks, one after
 * another on each core, each 40 ms on a core then 10 ms of net, in a run
 * of 100 ms.  Running: 2 x cores x 40 ms over cores = 80 ms; the longest
 * own time 50 ms; queued time (a task waits 50 ms for its core) and
 * ready time do not count.  So 80 ms, at most the wall. */
static void
test_figures_ideal_running_over_cores(void **state)
{
  struct fx *f = *state;
  struct gt_run_figures p;
  long ncores = sysconf(_SC_NPROCESSORS_ONLN);
  uint32_t k, n;
  uint16_t r;
  uint64_t at;

  if (ncores < 1)
    ncores = 1;
  n = (uint32_t)(2 * ncores);
  r = gt_test_run(f->rec, "threads", (int32_t)ncores, n, 0, 100000);
  for (k = 0; k < n; k++) {
    at = k < (uint32_t)ncores ? 0 : 50000;
    gt_test_queue(f->rec, r, k, 0, "pow");
    gt_test_start(f->rec, r, k, at, (int32_t)(k % (uint32_t)ncores));
    gt_test_wait_on(f->rec, r, k, at + 40000, GT_R_NET, 0);
    gt_test_finish(f->rec, r, k, at + 50000, 0, 0);
  }
  gt_view_update(f->v, 0);
  gt_view_figures(f->v, 0, &p);
  assert_int_equal(p.state_ns[GT_S_RUNNING], (uint64_t)n * 40 * MS);
  assert_int_equal(p.ideal_ns, 80 * MS);
  assert_true(p.ideal_ns <= p.wall_ns);
}

/* Waits on a shared resource (gil, lock, pool) and ready time are not a
 * task's own: another schedule could spare them.  One task: 10 ms
 * running, 30 ms gil, 20 ms ready (no core), 10 ms lock, 10 ms pool,
 * 20 ms timer: its own time is 30 ms. */
static void
test_figures_ideal_own_time(void **state)
{
  struct fx *f = *state;
  struct gt_run_figures p;
  uint16_t r = gt_test_run(f->rec, "threads", 1, 1, 0, 100000);

  gt_test_queue(f->rec, r, 0, 0, "t");
  gt_test_start(f->rec, r, 0, 0, 0);
  gt_test_wait_on(f->rec, r, 0, 10000, GT_R_GIL, 0);
  gt_test_wait_on(f->rec, r, 0, 40000, GT_R_CORE, 0);
  gt_test_wait_on(f->rec, r, 0, 60000, GT_R_LOCK, 0);
  gt_test_wait_on(f->rec, r, 0, 70000, GT_R_POOL, 0);
  gt_test_wait_on(f->rec, r, 0, 80000, GT_R_TIMER, 0);
  gt_test_finish(f->rec, r, 0, 100000, 0, 0);
  gt_view_update(f->v, 0);
  gt_view_figures(f->v, 0, &p);
  assert_int_equal(p.wall_ns, 100 * MS);
  assert_int_equal(p.ideal_ns, 30 * MS);
}

/* Counts by state at now, with every state present. */
static void
test_figures_counts_at_now(void **state)
{
  struct fx *f = *state;
  struct gt_run_figures p;
  uint16_t r = gt_test_run(f->rec, "async", 8, 7, 0, -1);

  gt_test_queue(f->rec, r, 0, 0, "q");                       /* queued */
  gt_test_queue(f->rec, r, 1, 0, "r");
  gt_test_start(f->rec, r, 1, 5000, 0);                      /* running */
  gt_test_queue(f->rec, r, 2, 0, "n");
  gt_test_start(f->rec, r, 2, 0, 1);
  gt_test_wait_on(f->rec, r, 2, 5000, GT_R_NET, 1);          /* net */
  gt_test_queue(f->rec, r, 3, 0, "c");
  gt_test_start(f->rec, r, 3, 0, 2);
  gt_test_wait_on(f->rec, r, 3, 5000, GT_R_CONNECT, 2);      /* connect */
  gt_test_queue(f->rec, r, 4, 0, "d");
  gt_test_start(f->rec, r, 4, 0, 3);
  gt_test_wait_on(f->rec, r, 4, 6000, GT_R_DISK, 3);         /* disk */
  gt_test_queue(f->rec, r, 5, 0, "ok");
  gt_test_start(f->rec, r, 5, 0, 4);
  gt_test_finish(f->rec, r, 5, 4000, 4, 0);                  /* done */
  gt_test_queue(f->rec, r, 6, 0, "ko");
  gt_test_start(f->rec, r, 6, 0, 5);
  gt_test_finish(f->rec, r, 6, 4000, 5, GT_ENET);            /* failed */
  gt_view_update(f->v, f->t0 + 10 * MS);
  gt_view_figures(f->v, 0, &p);
  assert_int_equal(p.queued, 1);
  assert_int_equal(p.running, 1);
  assert_int_equal(p.waiting, 3);
  assert_int_equal(p.waiting_by[GT_R_NET], 1);
  assert_int_equal(p.waiting_by[GT_R_CONNECT], 1);
  assert_int_equal(p.waiting_by[GT_R_DISK], 1);
  assert_int_equal(p.ok, 1);
  assert_int_equal(p.failed, 1);
  assert_int_equal(p.wall_ns, 10 * MS);
  assert_true(p.speedup == 0);
}

/* A run in which no task succeeded claims no speedup, even once it and
 * sync have ended. */
static void
test_figures_no_success_no_speedup(void **state)
{
  struct fx *f = *state;
  struct gt_run_figures p;
  uint16_t rs = gt_test_run(f->rec, "sync", 1, 1, 0, 100000);
  uint16_t rt = gt_test_run(f->rec, "threads", 1, 1, 0, 1000);

  gt_test_queue(f->rec, rs, 0, 0, "genre");
  gt_test_start(f->rec, rs, 0, 0, 0);
  gt_test_finish(f->rec, rs, 0, 100000, 0, 0);
  gt_test_queue(f->rec, rt, 0, 0, "genre");
  gt_test_start(f->rec, rt, 0, 0, 0);
  gt_test_finish(f->rec, rt, 0, 1000, 0, GT_ENET);
  gt_view_update(f->v, 0);
  gt_view_figures(f->v, 1, &p);
  assert_int_equal(p.failed, 1);
  assert_int_equal(p.ok, 0);
  assert_true(p.speedup == 0);
  assert_string_equal(gt_recorder_string(f->rec, gt_view_panel(f->v,
      1)->mode), "threads");
}

/* A run's start stamped after the view's now (the run thread stamps it
 * between the TUI's gt_now_ns() and the end of gt_view_update(), or a
 * replayed run whose start follows its last event) is no negative wall
 * time: wall_ns is 0, not 2^64 - a few ms ("so far 18446744073.7 s"). */
static void
test_figures_start_after_now(void **state)
{
  struct fx *f = *state;
  struct gt_run_figures p;
  uint16_t r = gt_test_run(f->rec, "async", 1, 1, 100000, -1);

  gt_test_queue(f->rec, r, 0, 50000, "genre");
  gt_view_update(f->v, 0);
  assert_int_equal(gt_view_now(f->v), f->t0 + 50 * MS);
  gt_view_figures(f->v, 0, &p);
  assert_true(p.wall_ns <= 50 * MS);
}

/* The categories the session has shown, for the legend: queued and the
 * reasons waited on, nothing else. */
static void
test_cats_seen(void **state)
{
  struct fx *f = *state;
  uint16_t r = gt_test_run(f->rec, "async", 1, 2, 0, -1);

  assert_int_equal(gt_view_cats_seen(f->v), 0);
  gt_test_queue(f->rec, r, 0, 0, "a");
  gt_view_update(f->v, 0);
  assert_int_equal(gt_view_cats_seen(f->v), 1u << GT_CAT_QUEUED);
  gt_test_start(f->rec, r, 0, 1000, 0);
  gt_test_wait_on(f->rec, r, 0, 2000, GT_R_TIMER, 0);
  gt_view_update(f->v, 0);
  assert_int_equal(gt_view_cats_seen(f->v), 1u << GT_CAT_QUEUED
      | 1u << GT_CAT_RUNNING | 1u << (GT_CAT_WAIT + GT_R_TIMER - 1));
  /* Switching to worker lanes does not change it. */
  gt_view_set_by_worker(f->v, 1);
  assert_true(gt_view_cats_seen(f->v) & 1u << GT_CAT_RUNNING);
  assert_false(gt_view_cats_seen(f->v) & 1u << NET);
}

/* All done needs every run ended: a run that has not begun yet holds the
 * verdict back (view.h's comment says "every run that has begun", which
 * would let a verdict name a run that never ran). */
static void
test_all_done_waits_for_every_run(void **state)
{
  struct fx *f = *state;
  char buf[128];

  gt_test_run(f->rec, "sync", 1, 1, 0, 10000);
  gt_test_run(f->rec, "threads", 4, 1, -1, -1);
  gt_view_update(f->v, 0);
  assert_int_equal(gt_view_all_done(f->v), 0);
  gt_view_verdict(f->v, buf, sizeof(buf));
  assert_string_equal(buf, "");
}

/* The caption of panel i. */
static const char *
caption(struct fx *f, size_t i)
{
  static char buf[256];

  gt_view_caption(f->v, i, buf, sizeof(buf));
  return buf;
}

/* Captions while running: one rule per situation. */
static void
test_captions_running(void **state)
{
  struct fx *f = *state;
  uint16_t rs = gt_test_run(f->rec, "sync", 1, 4, 0, -1);
  uint16_t rt = gt_test_run(f->rec, "threads", 4, 4, 0, -1);
  uint16_t rp = gt_test_run(f->rec, "procs", 2, 5, 0, -1);
  uint16_t ra = gt_test_run(f->rec, "async", 1, 2, 0, -1);
  uint16_t rh = gt_test_run(f->rec, "hybrid", 2, 2, -1, -1);
  uint32_t k;

  /* sync: one task waiting on the network, three queued. */
  for (k = 0; k < 4; k++)
    gt_test_queue(f->rec, rs, k, 0, "genre");
  gt_test_start(f->rec, rs, 0, 0, 0);
  gt_test_wait_on(f->rec, rs, 0, 1000, GT_R_NET, 0);
  /* threads: two waits on the network and one connecting, one queued. */
  for (k = 0; k < 4; k++)
    gt_test_queue(f->rec, rt, k, 0, "genre");
  for (k = 0; k < 3; k++) {
    gt_test_start(f->rec, rt, k, 0, (int32_t)k);
    gt_test_wait_on(f->rec, rt, k, 1000, k == 2 ? GT_R_CONNECT : GT_R_NET,
        (int32_t)k);
  }
  /* procs: two running, three queued. */
  for (k = 0; k < 5; k++)
    gt_test_queue(f->rec, rp, k, 0, "pow");
  gt_test_start(f->rec, rp, 0, 0, 100);
  gt_test_start(f->rec, rp, 1, 0, 101);
  /* async: one running, one on a timer. */
  gt_test_queue(f->rec, ra, 0, 0, "sleep");
  gt_test_queue(f->rec, ra, 1, 0, "sleep");
  gt_test_start(f->rec, ra, 0, 0, 0);
  gt_test_start(f->rec, ra, 1, 0, 0);
  gt_test_wait_on(f->rec, ra, 1, 1000, GT_R_TIMER, 0);
  gt_view_update(f->v, f->t0 + 2 * MS);

  assert_string_equal(caption(f, 0),
      "sync: one request at a time; 3 tasks queued");
  assert_string_equal(caption(f, 1),
      "threads: 3 requests in flight on 4 workers; more queued");
  assert_string_equal(caption(f, 2),
      "procs: 2 running on the CPU; 3 queued for a worker");
  assert_string_equal(caption(f, 3),
      "async: 1 running, 1 waiting, 0 queued, 0 done");
  assert_string_equal(caption(f, rh), "hybrid: waiting for its turn");

  /* hybrid starts; its workers have not taken a task yet. */
  gt_recorder_run_start(f->rec, rh, f->t0 + 2 * MS);
  gt_test_queue(f->rec, rh, 0, 2000, "genre");
  gt_test_queue(f->rec, rh, 1, 2000, "genre");
  gt_view_update(f->v, f->t0 + 2 * MS + 500000);
  assert_string_equal(caption(f, rh),
      "hybrid: 2 tasks queued; the workers are starting");

  /* One task left in the queue, and nothing queued behind the threads. */
  gt_test_start(f->rec, rs, 1, 3000, 0);
  gt_test_start(f->rec, rs, 2, 3000, 0);
  gt_test_wait_on(f->rec, rs, 1, 3000, GT_R_NET, 0);
  gt_test_finish(f->rec, rs, 0, 3000, 0, 0);
  gt_test_finish(f->rec, rs, 2, 3000, 0, 0);
  gt_test_start(f->rec, rt, 3, 3000, 3);
  gt_test_finish(f->rec, rt, 3, 3000, 3, 0);
  gt_view_update(f->v, f->t0 + 3 * MS);
  assert_string_equal(caption(f, 0),
      "sync: one request at a time; 1 task queued");
  assert_string_equal(caption(f, 1),
      "threads: 3 requests in flight on 4 workers");
}

/* threads --gil: one runs, the others wait for the GIL, and the caption
 * says so. */
static void
test_caption_gil(void **state)
{
  struct fx *f = *state;
  uint16_t r = gt_test_run(f->rec, "threads", 3, 3, 0, -1);
  uint32_t k;

  for (k = 0; k < 3; k++) {
    gt_test_queue(f->rec, r, k, 0, "pow");
    gt_test_start(f->rec, r, k, 0, (int32_t)k);
  }
  gt_test_wait_on(f->rec, r, 1, 1000, GT_R_GIL, 1);
  gt_test_wait_on(f->rec, r, 2, 1000, GT_R_GIL, 2);
  gt_view_update(f->v, f->t0 + 2 * MS);
  assert_string_equal(caption(f, 0),
      "threads: the GIL lets one thread run at a time; 2 wait for it");
}

/* A spec file's lock: one task holds it, the others wait on `lock`, and
 * the caption says so (one or several). */
static void
test_caption_lock(void **state)
{
  struct fx *f = *state;
  uint16_t r = gt_test_run(f->rec, "threads", 3, 3, 0, -1);
  uint32_t k;

  for (k = 0; k < 3; k++) {
    gt_test_queue(f->rec, r, k, 0, "writer");
    gt_test_start(f->rec, r, k, 0, (int32_t)k);
  }
  gt_test_wait_on(f->rec, r, 1, 1000, GT_R_LOCK, 1);
  gt_view_update(f->v, f->t0 + 2 * MS);
  assert_string_equal(caption(f, 0),
      "threads: 1 task waits for a lock another task holds");
  gt_test_wait_on(f->rec, r, 2, 3000, GT_R_LOCK, 2);
  gt_view_update(f->v, f->t0 + 4 * MS);
  assert_string_equal(caption(f, 0),
      "threads: 2 tasks wait for a lock another task holds");
}

/* One worker running a CPU step with requests out: the loop is held, and
 * the caption says so; with a limit, the queue is the limit's doing. */
static void
test_caption_loop_held(void **state)
{
  struct fx *f = *state;
  uint16_t ra = gt_test_run(f->rec, "async", 1, 4, 0, -1);
  struct gt_run_info ri;
  uint32_t k;

  for (k = 0; k < 4; k++)
    gt_test_queue(f->rec, ra, k, 0, "genre");
  for (k = 0; k < 3; k++) {
    gt_test_start(f->rec, ra, k, 0, 0);
    gt_test_wait_on(f->rec, ra, k, 10, GT_R_NET, 0);
  }
  gt_test_resume(f->rec, ra, 0, 1000, 0);  /* task 0 computes */
  gt_view_update(f->v, f->t0 + 2 * MS);
  assert_string_equal(caption(f, 0),
      "async: a CPU step holds the loop; 2 requests wait for it, answered "
      "or not");
  /* Task 0 done: three requests... two out, one queued behind a limit. */
  gt_test_finish(f->rec, ra, 0, 3000, 0, 0);
  gt_recorder_run_get(f->rec, ra, &ri);
  assert_int_equal(ri.limit, 0);
  gt_view_update(f->v, f->t0 + 4 * MS);
  assert_string_equal(caption(f, 0),
      "async: 2 requests in flight on 1 worker; more queued");
}

/* The loop held: the tasks it holds back are those ready (loop busy),
 * whose sleep, write or answer is done, counted apart from requests still
 * out; a CPU step that waits for a core (ready, no core) holds the loop
 * as one that runs does. */
static void
test_caption_loop_ready(void **state)
{
  struct fx *f = *state;
  uint16_t ra = gt_test_run(f->rec, "async", 1, 4, 0, -1);
  uint32_t k;

  for (k = 0; k < 4; k++) {
    gt_test_queue(f->rec, ra, k, 0, "t");
    gt_test_start(f->rec, ra, k, 0, 0);
  }
  gt_test_wait_on(f->rec, ra, 1, 10, GT_R_TIMER, 0);
  gt_test_wait_on(f->rec, ra, 2, 10, GT_R_NET, 0);
  gt_test_wait_on(f->rec, ra, 3, 10, GT_R_DISK, 0);
  gt_test_wait_on(f->rec, ra, 1, 500, GT_R_LOOP, 0);  /* its sleep ended */
  gt_view_update(f->v, f->t0 + 1 * MS);
  assert_string_equal(caption(f, 0),
      "async: a CPU step holds the loop; 1 ready task waits for it, "
      "1 request out");
  /* The answer came, and the write ended: three held, none out. */
  gt_test_wait_on(f->rec, ra, 2, 1500, GT_R_LOOP, 0);
  gt_test_wait_on(f->rec, ra, 3, 1500, GT_R_LOOP, 0);
  gt_view_update(f->v, f->t0 + 2 * MS);
  assert_string_equal(caption(f, 0),
      "async: a CPU step holds the loop; 3 ready tasks wait for it");
  /* The step itself has no core: it still holds the loop. */
  gt_test_wait_on(f->rec, ra, 0, 2500, GT_R_CORE, 0);
  gt_view_update(f->v, f->t0 + 3 * MS);
  assert_string_equal(caption(f, 0),
      "async: a CPU step holds the loop; 3 ready tasks wait for it");
}

/* Captions once runs ended: ok and failed counts, faster or slower than
 * sync; and the verdict once every run ended. */
static void
test_captions_done_and_verdict(void **state)
{
  struct fx *f = *state;
  char buf[128];
  uint16_t rs = gt_test_run(f->rec, "sync", 1, 2, 0, -1);
  uint16_t rt = gt_test_run(f->rec, "threads", 2, 2, 0, -1);
  uint16_t ra = gt_test_run(f->rec, "async", 1, 2, 0, -1);
  uint32_t k;

  for (k = 0; k < 2; k++) {
    gt_test_queue(f->rec, rs, k, 0, "genre");
    gt_test_start(f->rec, rs, k, 100000 * k, 0);
    gt_test_finish(f->rec, rs, k, 100000 * k + 100000, 0, 0);
    gt_test_queue(f->rec, rt, k, 0, "genre");
    gt_test_start(f->rec, rt, k, 0, (int32_t)k);
    gt_test_finish(f->rec, rt, k, 40000, (int32_t)k, k ? GT_EHTTP : 0);
    gt_test_queue(f->rec, ra, k, 0, "genre");
    gt_test_start(f->rec, ra, k, 0, 0);
    gt_test_finish(f->rec, ra, k, 400000, 0, 0);
  }
  gt_recorder_run_end(f->rec, rt, f->t0 + 40 * MS);
  gt_view_update(f->v, 0);
  assert_string_equal(caption(f, 1), "threads: done, 1 ok, 1 failed");
  gt_view_verdict(f->v, buf, sizeof(buf));
  assert_string_equal(buf, "");

  gt_recorder_run_end(f->rec, rs, f->t0 + 200 * MS);
  gt_view_update(f->v, 0);
  assert_string_equal(caption(f, 0), "sync: done, 2 ok");
  assert_string_equal(caption(f, 1),
      "threads: done, 1 ok, 1 failed; 5.0x faster than sync");
  gt_view_verdict(f->v, buf, sizeof(buf));
  assert_string_equal(buf, "");                /* async runs on */

  gt_recorder_run_end(f->rec, ra, f->t0 + 400 * MS);
  gt_view_update(f->v, 0);
  assert_string_equal(caption(f, 2), "async: done, 2 ok; 2.0x slower than "
      "sync");
  /* threads was fastest, but one of its tasks failed: a run with a
   * failed task never wins (issue 13); of the whole ones sync was */
  gt_view_verdict(f->v, buf, sizeof(buf));
  assert_string_equal(buf, "sync was fastest");

  /* A short buffer is cut, never overrun. */
  memset(buf, 'x', sizeof(buf));
  gt_view_caption(f->v, 1, buf, 10);
  assert_string_equal(buf, "threads: ");
  assert_int_equal(buf[10], 'x');
}

/* When sync is the fastest, or there is no sync run, the verdict just
 * names the fastest; a lone run gets none, nor do runs that finished no
 * task (no work done is not done faster). */
static void
test_verdict_without_winner(void **state)
{
  struct fx *f = *state, *g;
  char buf[128];
  uint16_t rs = gt_test_run(f->rec, "sync", 1, 1, 0, 10000);
  uint16_t rt = gt_test_run(f->rec, "threads", 1, 1, 0, 30000);
  uint16_t ra, rp;

  gt_test_queue(f->rec, rs, 0, 0, "a");
  gt_test_queue(f->rec, rt, 0, 0, "a");
  gt_view_update(f->v, 0);
  gt_view_verdict(f->v, buf, sizeof(buf));
  /* neither finished its task: no winner, and the title says why */
  assert_string_equal(buf, "no winner: failed or unfinished tasks in 2 of "
      "2 modes");
  gt_test_start(f->rec, rs, 0, 1, 0);
  gt_test_finish(f->rec, rs, 0, 10000, 0, 0);
  gt_test_start(f->rec, rt, 0, 1, 0);
  gt_test_finish(f->rec, rt, 0, 30000, 0, 0);
  gt_view_update(f->v, 0);
  gt_view_verdict(f->v, buf, sizeof(buf));
  assert_string_equal(buf, "sync was fastest");

  setup((void **)&g);
  ra = gt_test_run(g->rec, "async", 1, 1, 0, 10000);
  gt_test_queue(g->rec, ra, 0, 0, "a");
  gt_test_finish(g->rec, ra, 0, 10000, 0, 0);
  gt_view_update(g->v, 0);
  gt_view_verdict(g->v, buf, sizeof(buf));
  assert_string_equal(buf, "");
  rp = gt_test_run(g->rec, "procs", 1, 1, 0, 5000);
  gt_test_queue(g->rec, rp, 0, 0, "a");
  gt_test_finish(g->rec, rp, 0, 5000, 0, 0);
  gt_view_update(g->v, 0);
  gt_view_verdict(g->v, buf, sizeof(buf));
  assert_string_equal(buf, "procs was fastest");
  teardown((void **)&g);
}

/* The verdict names the fastest run among those that measured the
 * workload: a run stopped part way (its tasks cancelled: the replay of an
 * interrupted session) has the shortest wall but did not do the work
 * faster, so it neither wins nor "was fastest".  By hand: sync 0..200 ms,
 * 1 ok (the baseline); threads 200..300 ms, 1 ok: 2.0x; procs 300..310
 * ms, its task cancelled when the session stopped. */
static void
test_verdict_skips_stopped_runs(void **state)
{
  struct fx *f = *state;
  char buf[128];
  uint16_t rs = gt_test_run(f->rec, "sync", 1, 1, 0, 200000);
  uint16_t rt = gt_test_run(f->rec, "threads", 1, 1, 200000, 300000);
  uint16_t rp = gt_test_run(f->rec, "procs", 1, 1, 300000, 310000);

  gt_test_queue(f->rec, rs, 0, 0, "a");
  gt_test_start(f->rec, rs, 0, 1, 0);
  gt_test_finish(f->rec, rs, 0, 200000, 0, 0);
  gt_test_queue(f->rec, rt, 0, 200000, "a");
  gt_test_start(f->rec, rt, 0, 200001, 0);
  gt_test_finish(f->rec, rt, 0, 300000, 0, 0);
  gt_test_queue(f->rec, rp, 0, 300000, "a");
  gt_test_finish(f->rec, rp, 0, 310000, -1, GT_ECANCELED);
  gt_view_update(f->v, 0);
  gt_view_verdict(f->v, buf, sizeof(buf));
  assert_string_equal(buf, "threads won: 2.0x faster than sync");
}

/* With one run left in the race there is no race: sync whole, then procs
 * stopped part way (the interrupted session's replay) gives no verdict,
 * not "sync was fastest". */
static void
test_verdict_needs_two_runs_in_the_race(void **state)
{
  struct fx *f = *state;
  char buf[128];
  uint16_t rs = gt_test_run(f->rec, "sync", 1, 1, 0, 200000);
  uint16_t rp = gt_test_run(f->rec, "procs", 1, 2, 200000, 250000);

  gt_test_queue(f->rec, rs, 0, 0, "a");
  gt_test_start(f->rec, rs, 0, 1, 0);
  gt_test_finish(f->rec, rs, 0, 200000, 0, 0);
  gt_test_queue(f->rec, rp, 0, 200000, "a");
  gt_test_start(f->rec, rp, 0, 200001, 0);
  gt_test_finish(f->rec, rp, 0, 240000, 0, 0);
  gt_test_queue(f->rec, rp, 1, 200000, "b");
  gt_test_finish(f->rec, rp, 1, 250000, -1, GT_ECANCELED);
  gt_view_update(f->v, 0);
  gt_view_verdict(f->v, buf, sizeof(buf));
  assert_string_equal(buf, "");
}

/* One task of run r from at_us to end_us, finishing with status. */
static void
one_task(struct fx *f, uint16_t r, uint64_t at_us, uint64_t end_us,
    int32_t status)
{
  gt_test_queue(f->rec, r, 0, at_us, "a");
  gt_test_start(f->rec, r, 0, at_us + 1, 0);
  gt_test_finish(f->rec, r, 0, end_us, 0, status);
}

/* Two modes with equal figures tie, and so do two within the noise
 * (timeline.h: under 2 ms, or under 1%); the title says "≈" and "within
 * 1%", in ASCII "~".  By hand: threads 100 ms, async 100 ms, sync 300 ms:
 * threads and async tie; sync is out of the tie (200 ms slower). */
static void
test_verdict_tie(void **state)
{
  struct fx *f = *state, *g;
  char buf[160];
  uint16_t rs = gt_test_run(f->rec, "sync", 1, 1, 0, 300000);
  uint16_t rt = gt_test_run(f->rec, "threads", 1, 1, 300000, 400000);
  uint16_t ra = gt_test_run(f->rec, "async", 1, 1, 400000, 500000);
  struct gt_verdict vd;

  one_task(f, rs, 0, 300000, 0);
  one_task(f, rt, 300000, 400000, 0);
  one_task(f, ra, 400000, 500000, 0);
  gt_view_update(f->v, 0);
  gt_view_verdict(f->v, buf, sizeof(buf));
  assert_string_equal(buf, "threads \u2248 async, within 1%");
  gt_view_verdict_in(f->v, 1, buf, sizeof(buf));
  assert_string_equal(buf, "threads ~ async, within 1%");
  gt_timeline_verdict(gt_view_timeline(f->v), 0, &vd);
  assert_int_equal(vd.kind, GT_VERDICT_TIE);
  assert_int_equal(vd.tied, 2);

  /* 1 s against 1.008 s: 8 ms apart but under 1%, a tie; 1 s against
   * 1.05 s: 5%, a win */
  setup((void **)&g);
  rs = gt_test_run(g->rec, "sync", 1, 1, 0, 1050000);
  rt = gt_test_run(g->rec, "threads", 1, 1, 1050000, 2050000);
  ra = gt_test_run(g->rec, "async", 1, 1, 2050000, 3058000);
  one_task(g, rs, 0, 1050000, 0);
  one_task(g, rt, 1050000, 2050000, 0);
  one_task(g, ra, 2050000, 3058000, 0);
  gt_view_update(g->v, 0);
  gt_view_verdict(g->v, buf, sizeof(buf));
  assert_string_equal(buf, "threads \u2248 async, within 1%");
  teardown((void **)&g);
  setup((void **)&g);
  rs = gt_test_run(g->rec, "sync", 1, 1, 0, 1050000);
  rt = gt_test_run(g->rec, "threads", 1, 1, 1050000, 2050000);
  one_task(g, rs, 0, 1050000, 0);
  one_task(g, rt, 1050000, 2050000, 0);
  gt_view_update(g->v, 0);
  gt_view_verdict(g->v, buf, sizeof(buf));
  assert_string_equal(buf, "threads won: 1.1x faster than sync");
  teardown((void **)&g);
}

/* A run with a failed task beside a faster whole run: the whole run
 * wins; and a failed run faster than a whole one never wins, nor does
 * the slower whole one ("only X finished every task").  By hand: sync
 * 300 ms whole; threads 100 ms, one task failed; async 200 ms whole. */
static void
test_verdict_failed_never_wins(void **state)
{
  struct fx *f = *state, *g;
  char buf[160];
  uint16_t rs, rt, ra;

  rs = gt_test_run(f->rec, "sync", 1, 1, 0, 300000);
  rt = gt_test_run(f->rec, "threads", 1, 1, 300000, 600000);
  one_task(f, rs, 0, 300000, GT_EHTTP);      /* failed, and slower */
  one_task(f, rt, 300000, 400000, 0);        /* whole, and faster */
  gt_recorder_run_end(f->rec, rt, f->t0 + 400 * MS);
  gt_view_update(f->v, 0);
  gt_view_verdict(f->v, buf, sizeof(buf));
  assert_string_equal(buf, "threads won: 3.0x faster than sync");

  setup((void **)&g);
  rt = gt_test_run(g->rec, "threads", 2, 2, 0, 100000);
  ra = gt_test_run(g->rec, "async", 1, 1, 100000, 300000);
  one_task(g, rt, 0, 100000, 0);             /* one ok, one failed: */
  gt_test_queue(g->rec, rt, 1, 0, "b");      /* faster, not whole */
  gt_test_start(g->rec, rt, 1, 1, 1);
  gt_test_finish(g->rec, rt, 1, 50000, 1, GT_EHTTP);
  one_task(g, ra, 100000, 300000, 0);        /* whole, and slower */
  gt_view_update(g->v, 0);
  gt_view_verdict(g->v, buf, sizeof(buf));
  assert_string_equal(buf, "no winner: only async finished every task");
  teardown((void **)&g);

  /* with two whole modes the failed one is out of the race */
  setup((void **)&g);
  rs = gt_test_run(g->rec, "sync", 1, 1, 0, 300000);
  rt = gt_test_run(g->rec, "threads", 1, 1, 300000, 400000);
  ra = gt_test_run(g->rec, "async", 1, 1, 400000, 600000);
  one_task(g, rs, 0, 300000, 0);
  one_task(g, rt, 300000, 400000, GT_EHTTP);
  one_task(g, ra, 400000, 600000, 0);
  gt_view_update(g->v, 0);
  gt_view_verdict(g->v, buf, sizeof(buf));
  assert_string_equal(buf, "async won: 1.5x faster than sync");
  teardown((void **)&g);
}

/* Repeats: each mode's median and spread; overlapping spreads tie even
 * when the medians are apart; speedups are against the baseline's median.
 * By hand, interleaved: sync 100, 120, 110 ms (median 110); threads 90,
 * 105, 95 ms (median 95, 14% faster, but 105 > sync's least, 100). */
static void
test_verdict_repeats(void **state)
{
  struct fx *f = *state;
  static const uint64_t walls[6] = { 100, 90, 120, 105, 110, 95 };
  struct gt_mode_figures m[6];
  struct gt_run_figures rf;
  uint64_t at = 0;
  char buf[160];
  size_t i, n;
  uint16_t r;

  for (i = 0; i < 6; i++) {
    r = gt_test_run(f->rec, i % 2 ? "threads" : "sync", 1, 1,
        (long long)at, (long long)(at + walls[i] * 1000));
    one_task(f, r, at, at + walls[i] * 1000, 0);
    at += walls[i] * 1000;
  }
  gt_view_update(f->v, 0);
  n = gt_timeline_modes(gt_view_timeline(f->v), m, 6);
  assert_int_equal(n, 2);
  assert_string_equal(m[0].mode, "sync");
  assert_int_equal(m[0].runs, 3);
  assert_int_equal(m[0].median_ns, 110 * MS);
  assert_int_equal(m[0].min_ns, 100 * MS);
  assert_int_equal(m[0].max_ns, 120 * MS);
  assert_int_equal(m[1].median_ns, 95 * MS);
  assert_true(fabs(m[1].speedup - 110.0 / 95.0) < 1e-9);
  /* a run's speedup is against the baseline's median */
  gt_view_figures(f->v, 1, &rf);
  assert_true(fabs(rf.speedup - 110.0 / 90.0) < 1e-9);
  gt_view_verdict(f->v, buf, sizeof(buf));
  assert_string_equal(buf, "threads \u2248 sync, within 16%");
  gt_view_repeats(f->v, 3, buf, sizeof(buf));
  assert_string_equal(buf, "median 95.0 ms, 90.0 ms-105.0 ms over 3 runs");
}

/* Contention past GT_CONTENTION_WARN_PM is said after the verdict, even
 * while runs go on; at or under it nothing is said. */
static void
test_verdict_contention(void **state)
{
  struct fx *f = *state;
  char buf[200];
  uint16_t rs = gt_test_run(f->rec, "sync", 1, 1, 0, 300000);
  uint16_t rt = gt_test_run(f->rec, "threads", 1, 1, 300000, -1);

  one_task(f, rs, 0, 300000, 0);
  gt_recorder_run_set_contention(f->rec, rs, GT_CONTENTION_WARN_PM);
  gt_view_update(f->v, 0);
  gt_view_verdict(f->v, buf, sizeof(buf));
  assert_string_equal(buf, "");
  gt_recorder_run_set_contention(f->rec, rs, 384);
  gt_view_update(f->v, 0);
  gt_view_verdict(f->v, buf, sizeof(buf));
  assert_string_equal(buf, "other programs used 38% of the CPU: the CPU "
      "figures are off");
  one_task(f, rt, 300000, 400000, 0);
  gt_recorder_run_end(f->rec, rt, f->t0 + 400 * MS);
  gt_view_update(f->v, 0);
  gt_view_verdict(f->v, buf, sizeof(buf));
  assert_string_equal(buf, "threads won: 3.0x faster than sync; other "
      "programs used 38% of the CPU: the CPU figures are off");
}

/* A foreign run (another tool's trace) has no ideal. */
static void
test_figures_foreign_no_ideal(void **state)
{
  struct fx *f = *state;
  struct gt_run_info ri = { .workers = 1, .tasks = 1,
    .flags = GT_RUN_FOREIGN };
  struct gt_run_figures p;
  uint16_t r;

  ri.name = gt_recorder_intern(f->rec, "python");
  r = gt_recorder_run_add(f->rec, &ri);
  one_task(f, r, 0, 100000, 0);
  gt_view_update(f->v, 0);
  gt_view_figures(f->v, 0, &p);
  assert_true(p.foreign);
  assert_int_equal(p.ideal_ns, 0);
  assert_true(p.wall_ns > 0);
}

/* Another tool's process, as the importer leaves it, in a trace's words
 * (issue 14 item 9).  Renderer: Main in slices Layout 0-400 us and Paint
 * 600-1000 us; Raster in one slice 100-300 us.  GPU: Submit, 50-850 us.
 * At 500 us Main is idle, Raster has ended: "0 threads in a slice, 1 idle,
 * 1 ended".  At the end, by hand: Renderer busy 800 + 200 us = 1.0 ms,
 * idle 200 us (Main's gap); GPU busy 800 us, idle 0.  The two processes
 * are within the noise of each other, so the timeline would call it a
 * tie; another tool's processes did not race, and the verdict is "". */
static void
test_captions_foreign(void **state)
{
  struct fx *f = *state;
  struct gt_run_info ri = { .flags = GT_RUN_FOREIGN };
  struct gt_verdict vd;
  char buf[256];
  uint16_t r, g, io;

  assert_false(gt_view_foreign(f->v));  /* no run yet */
  ri.name = gt_recorder_intern(f->rec, "Renderer");
  ri.workers = ri.tasks = 2;
  r = gt_recorder_run_add(f->rec, &ri);
  ri.name = gt_recorder_intern(f->rec, "GPU");
  ri.workers = ri.tasks = 1;
  g = gt_recorder_run_add(f->rec, &ri);
  gt_view_update(f->v, 0);
  assert_true(gt_view_foreign(f->v));
  assert_string_equal(caption(f, 0), "Renderer: no slice yet");

  gt_recorder_run_start(f->rec, r, f->t0);
  gt_test_put(f->rec, r, 0, GT_EV_QUEUE, 0, 0, -1, "Main", 0);
  gt_test_put(f->rec, r, 0, GT_EV_START, 0, 0, 3, "Layout", 0);
  gt_test_put(f->rec, r, 1, GT_EV_QUEUE, 100, 0, -1, "Raster", 0);
  gt_test_put(f->rec, r, 1, GT_EV_START, 100, 0, 4, "Raster", 0);
  gt_view_update(f->v, f->t0 + 200000);
  assert_string_equal(caption(f, 0), "Renderer: 2 threads in a slice, "
      "0 idle");
  gt_test_put(f->rec, r, 1, GT_EV_QUEUE, 300, 0, -1, "Raster", 0);
  gt_test_put(f->rec, r, 1, GT_EV_FINISH, 300, 0, -1, "", 0);
  gt_test_put(f->rec, r, 0, GT_EV_QUEUE, 400, 0, -1, "Main", 0);
  gt_view_update(f->v, f->t0 + 500000);
  assert_string_equal(caption(f, 0), "Renderer: 0 threads in a slice, "
      "1 idle, 1 ended");

  gt_test_put(f->rec, r, 0, GT_EV_RESUME, 600, 0, 3, "Paint", 0);
  gt_test_put(f->rec, r, 0, GT_EV_QUEUE, 1000, 0, -1, "Main", 0);
  gt_test_put(f->rec, r, 0, GT_EV_FINISH, 1000, 0, -1, "", 0);
  gt_recorder_run_end(f->rec, r, f->t0 + 1000000);
  gt_recorder_run_start(f->rec, g, f->t0 + 50000);
  gt_test_put(f->rec, g, 0, GT_EV_QUEUE, 50, 0, -1, "Submit", 0);
  gt_test_put(f->rec, g, 0, GT_EV_START, 50, 0, 1, "Submit", 0);
  gt_test_put(f->rec, g, 0, GT_EV_QUEUE, 850, 0, -1, "Submit", 0);
  gt_test_put(f->rec, g, 0, GT_EV_FINISH, 850, 0, -1, "", 0);
  gt_recorder_run_end(f->rec, g, f->t0 + 850000);
  gt_view_update(f->v, 0);
  assert_string_equal(caption(f, 0), "Renderer: 2 threads; busy 1.0 ms, "
      "idle 200 us in all");
  assert_string_equal(caption(f, 1), "GPU: 1 thread; busy 800 us, idle "
      "0 us in all");
  gt_view_speed(f->v, 1, buf, sizeof(buf));
  assert_string_equal(buf, "");

  /* IO: one slice from 900 us never closed (a B without its E): it runs
   * to now, the latest event (Main's end, 1000 us): busy 100 us */
  ri.name = gt_recorder_intern(f->rec, "IO");
  io = gt_recorder_run_add(f->rec, &ri);
  gt_recorder_run_start(f->rec, io, f->t0 + 900000);
  gt_test_put(f->rec, io, 0, GT_EV_QUEUE, 900, 0, -1, "Poll", 0);
  gt_test_put(f->rec, io, 0, GT_EV_START, 900, 0, 2, "Poll", 0);
  gt_recorder_run_end(f->rec, io, f->t0 + 900000);
  gt_view_update(f->v, 0);
  assert_string_equal(caption(f, 2), "IO: 1 thread; busy 100 us, idle 0 us "
      "in all; 1 still in a slice");
  gt_timeline_verdict(gt_view_timeline(f->v), 0, &vd);
  assert_int_equal(vd.kind, GT_VERDICT_TIE);  /* what it would have said */
  gt_view_verdict(f->v, buf, sizeof(buf));
  assert_string_equal(buf, "");
}

/* Rows: header, caption and lanes per panel; solo keeps one panel; the
 * count is the total even when out is short. */
static void
test_rows_and_solo(void **state)
{
  struct fx *f = *state;
  struct gt_row rows[16];
  uint16_t r0 = gt_test_run(f->rec, "sync", 1, 2, 0, -1);
  uint16_t r1 = gt_test_run(f->rec, "threads", 3, 3, 0, -1);
  uint32_t k;

  for (k = 0; k < 2; k++)
    gt_test_queue(f->rec, r0, k, 0, "a");
  for (k = 0; k < 3; k++) {
    gt_test_queue(f->rec, r1, k, 0, "b");
    gt_test_start(f->rec, r1, k, 1000, 7);
  }
  gt_view_update(f->v, 0);

  assert_int_equal(gt_view_rows(f->v, -1, rows, 16), 9);
  assert_int_equal(rows[0].kind, GT_ROW_HEADER);
  assert_int_equal(rows[0].panel, 0);
  assert_int_equal(rows[1].kind, GT_ROW_CAPTION);
  assert_int_equal(rows[2].kind, GT_ROW_LANE);
  assert_int_equal(rows[2].lane, 0);
  assert_int_equal(rows[3].lane, 1);
  assert_int_equal(rows[4].kind, GT_ROW_HEADER);
  assert_int_equal(rows[4].panel, 1);
  assert_int_equal(rows[8].kind, GT_ROW_LANE);
  assert_int_equal(rows[8].panel, 1);
  assert_int_equal(rows[8].lane, 2);

  assert_int_equal(gt_view_rows(f->v, 1, rows, 16), 5);
  assert_int_equal(rows[0].kind, GT_ROW_HEADER);
  assert_int_equal(rows[0].panel, 1);
  assert_int_equal(rows[4].lane, 2);
  assert_int_equal(gt_view_rows(f->v, 0, rows, 16), 4);
  assert_int_equal(rows[3].panel, 0);

  /* A short array: the total, and nothing past max is written. */
  memset(rows, 0xab, sizeof(rows));
  assert_int_equal(gt_view_rows(f->v, -1, rows, 3), 9);
  assert_int_equal(rows[2].kind, GT_ROW_LANE);
  assert_int_equal(rows[3].kind, (int)0xabababab);

  /* By worker, threads has one lane (worker 7) and sync none. */
  gt_view_set_by_worker(f->v, 1);
  assert_int_equal(gt_view_rows(f->v, -1, rows, 16), 5);
  assert_int_equal(rows[2].kind, GT_ROW_HEADER);
  assert_int_equal(rows[4].kind, GT_ROW_LANE);
}

/* A tiny deterministic generator (64-bit LCG), so runs are repeatable. */
static uint32_t
rnd(uint64_t *s)
{
  *s = *s * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(*s >> 33);
}

/* How many cells check_cell() could decide, and how many it checked. */
static size_t cells_decided, cells_seen;

/* Check got, the cell of [a, a + w) of the lane whose transitions are
 * ts[0..n) and cat[0..n) (time order; after now the lane is none), against
 * the definition of a cell in tui/view.h, from the lane's category sampled
 * at S instants across the cell.  Sampling is off by at most a sample per
 * transition inside the cell, so a part is known within e of the cell; the
 * cell is checked only where the definition's choices are clear of that
 * (which part is the major, the minor, which side of 1/16 and of a
 * rounding edge); elsewhere only that its categories are in the cell. */
static void
check_cell(const uint64_t *ts, const uint8_t *cat, size_t n, uint64_t now,
    uint64_t a, uint64_t w, const struct gt_cell *got)
{
  enum { S = 65536 };
  unsigned cnt[GT_CAT_COUNT] = { 0 };
  double p[GT_CAT_COUNT], e, r, tol;
  size_t i = 0, inside = 0, lo, hi, mid;
  int k, maj = -1, min = -1, third = -1, at_start, left, right, split;
  unsigned held;    /* categories the cell holds, a bit each */
  uint64_t t;

  cells_seen++;
  /* the last transition at or before a, by bisection */
  for (lo = 0, hi = n; hi - lo > 1; ) {
    mid = lo + (hi - lo) / 2;
    if (ts[mid] <= a)
      lo = mid;
    else
      hi = mid;
  }
  i = lo;
  at_start = a < ts[0] || a >= now ? GT_CAT_NONE : cat[i];
  held = 1u << at_start;
  if (a + w > now || ts[0] > a)
    held |= 1u << GT_CAT_NONE;
  for (k = 0; k < S; k++) {
    t = a + (uint64_t)((2.0 * k + 1) * (double)w / (2.0 * S));
    while (i + 1 < n && ts[i + 1] <= t) {
      i++;
      inside++;
      held |= 1u << cat[i];
    }
    cnt[t < ts[0] || t >= now ? GT_CAT_NONE : cat[i]]++;
  }
  e = (double)(inside + 2) / S;
  for (k = 0; k < GT_CAT_COUNT; k++) {
    p[k] = (double)cnt[k] / S;
    if (maj < 0 || p[k] > p[maj]) {
      third = min;
      min = maj;
      maj = k;
    } else if (min < 0 || p[k] > p[min]) {
      third = min;
      min = k;
    } else if (third < 0 || p[k] > p[third]) {
      third = k;
    }
  }
  /* whatever the case, the cell shows only categories it holds */
  assert_true(held & 1u << got->left);
  assert_true(held & 1u << got->right);
  if (got->split == 8)
    assert_int_equal(got->left, got->right);
  else
    assert_true(got->split >= 1 && got->split <= 7);
  if (p[maj] - p[min] <= 2 * e)
    return;  /* the major is not clear */
  if (p[min] < 1.0 / 16 - e) {
    cells_decided++;
    assert_int_equal(got->left, maj);
    assert_int_equal(got->right, maj);
    assert_int_equal(got->split, 8);
    return;
  }
  if (p[min] <= 1.0 / 16 + e || p[min] - p[third] <= 2 * e)
    return;  /* at the 1/16 edge, or the minor is not clear */
  left = at_start == min ? min : maj;
  right = left == maj ? min : maj;
  r = 8 * p[left] / (p[maj] + p[min]);
  tol = 8 * 2 * e / (p[maj] + p[min]);
  if (fabs(r - floor(r) - 0.5) <= tol)
    return;  /* at a rounding edge */
  split = (int)floor(r + 0.5);
  cells_decided++;
  if (split == 0 || split == 8) {
    assert_int_equal(got->left, maj);
    assert_int_equal(got->right, maj);
    assert_int_equal(got->split, 8);
    return;
  }
  assert_int_equal(got->left, left);
  assert_int_equal(got->right, right);
  assert_int_equal(got->split, split);
}

/* Time per category in [a, b) by walking every transition (the
 * brute-force answer), and the category at a. */
static int
brute_coverage(const uint64_t *ts, const uint8_t *cat, size_t n,
    uint64_t now, uint64_t a, uint64_t b, uint64_t out[GT_CAT_COUNT])
{
  uint64_t lo, hi, end, sum = 0;
  int at_a = GT_CAT_NONE, k;
  size_t i;

  memset(out, 0, GT_CAT_COUNT * sizeof(out[0]));
  for (i = 0; i < n; i++) {
    end = i + 1 < n ? ts[i + 1] : now;
    if (end > now)
      end = now;
    if (ts[i] <= a)
      at_a = cat[i];
    lo = ts[i] > a ? ts[i] : a;
    hi = end < b ? end : b;
    if (hi > lo && cat[i] != GT_CAT_NONE)
      out[cat[i]] += hi - lo;
  }
  for (k = 1; k < GT_CAT_COUNT; k++)
    sum += out[k];
  out[GT_CAT_NONE] = b - a - sum;
  return at_a;
}

#define BIG_TR 100000u              /* transitions of the large lane */
#define BIG_COLS 997u               /* columns over its whole span */

/* A lane of 100 000 transitions, some delivered out of order: its cells
 * over the whole span and coverage over random windows match a brute-force
 * sum over the transitions (this guards the running totals per block). */
static void
test_large_lane_matches_brute_force(void **state)
{
  static const uint8_t kinds[] = { GT_R_NET, GT_R_DISK, GT_R_CONNECT,
    GT_R_TIMER };
  struct fx *f = *state;
  uint64_t *ts = gt_xmalloc(BIG_TR * sizeof(*ts)), s = 42, cov[GT_CAT_COUNT];
  uint64_t bcov[GT_CAT_COUNT], span, w, a, b, t;
  uint8_t *cat = gt_xmalloc(BIG_TR * sizeof(*cat));
  struct gt_event *ev = gt_xmalloc(BIG_TR * sizeof(*ev)), tmp;
  struct gt_cell *cells = gt_xmalloc(BIG_COLS * sizeof(*cells));
  const struct gt_tl_lane *l;
  uint16_t r = gt_test_run(f->rec, "async", 1, 1, 0, -1);
  uint32_t label = gt_recorder_intern(f->rec, "GET /genre");
  size_t i, c, late = 0;

  /* Queue, start, then waits and resumes with gaps of 1..1000 us, and the
   * finish; one event in 97 is swapped with the one before it. */
  t = f->t0;
  for (i = 0; i < BIG_TR; i++) {
    struct gt_event e = { .ts_ns = t, .task = 0, .label = label,
        .worker = 0, .run = r };

    if (i == 0) {
      e.kind = GT_EV_QUEUE;
      cat[i] = GT_CAT_QUEUED;
    } else if (i == BIG_TR - 1) {
      e.kind = GT_EV_FINISH;
      cat[i] = GT_CAT_NONE;
    } else if (i % 2 == 1) {
      e.kind = i == 1 ? GT_EV_START : GT_EV_RESUME;
      cat[i] = GT_CAT_RUNNING;
    } else {
      e.kind = GT_EV_WAIT;
      e.reason = kinds[rnd(&s) % 4];
      cat[i] = (uint8_t)GT_CAT_OF_REASON(e.reason);
    }
    ts[i] = t;
    ev[i] = e;
    t += (1 + rnd(&s) % 1000) * US;
  }
  for (i = 3; i + 1 < BIG_TR; i += 97) {
    tmp = ev[i];
    ev[i] = ev[i - 1];
    ev[i - 1] = tmp;
    late++;
  }
  assert_true(late > 1000);
  gt_recorder_append_many(f->rec, ev, BIG_TR);
  assert_int_equal(gt_view_update(f->v, 0), BIG_TR);
  l = lane(f, 0, 0);
  assert_int_equal(l->ntr, BIG_TR);
  for (i = 0; i < BIG_TR; i++) {
    assert_int_equal(l->tr[i].ts_ns, ts[i]);
    assert_int_equal(l->tr[i].cat, cat[i]);
  }

  /* Every column over the whole span (and a little after it). */
  span = ts[BIG_TR - 1] - ts[0];
  w = span / (BIG_COLS - 3);
  gt_view_cells(f->v, l, ts[0], w, BIG_COLS, cells);
  for (c = 0; c < BIG_COLS; c++) {
    a = ts[0] + c * w;
    brute_coverage(ts, cat, BIG_TR, gt_view_now(f->v), a, a + w, bcov);
    gt_view_coverage(f->v, l, a, a + w, cov);
    assert_memory_equal(cov, bcov, sizeof(cov));
    check_cell(ts, cat, BIG_TR, gt_view_now(f->v), a, w, &cells[c]);
    assert_int_equal(cells[c].mark, ts[BIG_TR - 1] >= a
        && ts[BIG_TR - 1] < a + w ? GT_MARK_DONE : GT_MARK_NONE);
  }
  /* the check decided most cells (883 of 997 when written) */
  assert_true(cells_decided * 4 > cells_seen * 3);

  /* Random windows, from a few transitions wide to most of the lane. */
  for (i = 0; i < 300; i++) {
    a = ts[0] + ((uint64_t)rnd(&s) << 31 | rnd(&s)) % span;
    b = a + 1 + ((uint64_t)rnd(&s) << 31 | rnd(&s))
        % (span / (i % 3 ? 1000 : 2));
    brute_coverage(ts, cat, BIG_TR, gt_view_now(f->v), a, b, bcov);
    gt_view_coverage(f->v, l, a, b, cov);
    assert_memory_equal(cov, bcov, sizeof(cov));
  }
  free(ts);
  free(cat);
  free(ev);
  free(cells);
}

/* Run every test, each with a fresh recorder and view. */
/* Lanes past 65 534 have rows, and a search finds them (the live view
 * had room for 65 536 rows, headers included, and said "no lane matches"
 * for a later one). */
static void
test_find_past_65534_lanes(void **state)
{
  enum { N = 70000 };
  struct fx *f = *state;
  struct gt_row *rows;
  size_t n, i;
  char name[32];

  gt_test_run(f->rec, "threads", N, N, 0, -1);
  for (i = 0; i < N; i++) {
    snprintf(name, sizeof(name), "Task %zu", i);
    gt_test_queue(f->rec, 0, (uint32_t)i, i, name);
  }
  gt_view_update(f->v, 0);
  n = gt_view_rows(f->v, -1, NULL, 0);
  assert_int_equal(n, N + 2);  /* a header, a caption, the lanes */
  rows = gt_xmalloc(n * sizeof(*rows));
  assert_int_equal(gt_view_rows(f->v, -1, rows, n), n);
  i = gt_view_find(f->v, rows, n, 0, "task 69999");
  assert_int_equal(i, n - 1);
  assert_string_equal(gt_recorder_string(f->rec,
      gt_view_panel_lane(f->v, rows[i].panel, rows[i].lane)->name),
      "Task 69999");
  /* round from the end to the first match, and none for no match */
  assert_int_equal(gt_view_find(f->v, rows, n, n - 1, "TASK 1"), 3);
  assert_int_equal(gt_view_find(f->v, rows, n, 5, "nothing"), n);
  free(rows);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_far_task_ids, setup, teardown),
    cmocka_unit_test_setup_teardown(test_fold_transitions_and_panels, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_lanes_sorted_by_task, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_cells_window, setup, teardown),
    cmocka_unit_test_setup_teardown(test_cells_eighths, setup, teardown),
    cmocka_unit_test_setup_teardown(test_cells_eighths_edges, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_cells_out_of_order, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_equal_times_arrival_order, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_out_of_order_rebuilds_totals, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_zoom_and_pan, setup, teardown),
    cmocka_unit_test_setup_teardown(test_cells_follow_the_lane, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_lanes_by_worker, setup, teardown),
    cmocka_unit_test_setup_teardown(test_worker_label_when_queue_arrives_late,
        setup, teardown),
    cmocka_unit_test_setup_teardown(test_now_clips_unfinished, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_figures, setup, teardown),
    cmocka_unit_test_setup_teardown(test_speed_names_baseline_whole, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_figures_ideal_running_over_cores,
        setup, teardown),
    cmocka_unit_test_setup_teardown(test_figures_ideal_own_time, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_figures_ideal_cpu_bound, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_figures_counts_at_now, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_figures_no_success_no_speedup,
        setup, teardown),
    cmocka_unit_test_setup_teardown(test_figures_start_after_now, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_cats_seen, setup, teardown),
    cmocka_unit_test_setup_teardown(test_all_done_waits_for_every_run, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_caption_gil, setup, teardown),
    cmocka_unit_test_setup_teardown(test_caption_lock, setup, teardown),
    cmocka_unit_test_setup_teardown(test_captions_running, setup, teardown),
    cmocka_unit_test_setup_teardown(test_caption_loop_held, setup, teardown),
    cmocka_unit_test_setup_teardown(test_caption_loop_ready, setup, teardown),
    cmocka_unit_test_setup_teardown(test_captions_done_and_verdict, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_verdict_skips_stopped_runs, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_verdict_needs_two_runs_in_the_race,
        setup, teardown),
    cmocka_unit_test_setup_teardown(test_verdict_tie, setup, teardown),
    cmocka_unit_test_setup_teardown(test_verdict_failed_never_wins, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_verdict_repeats, setup, teardown),
    cmocka_unit_test_setup_teardown(test_verdict_contention, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_captions_foreign, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_figures_foreign_no_ideal, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_verdict_without_winner, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_rows_and_solo, setup, teardown),
    cmocka_unit_test_setup_teardown(test_large_lane_matches_brute_force,
        setup, teardown),
    cmocka_unit_test_setup_teardown(test_find_past_65534_lanes, setup,
        teardown),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
