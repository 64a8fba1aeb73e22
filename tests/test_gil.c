/*
 * tests/test_gil.c: the GIL as CPython holds it, and a spec file's named
 * locks, checked on the lanes the executors draw.
 *
 * Kinds of CPU step under threads --gil: one C call that holds the GIL
 * (pow) never lets another thread run inside it, so the pows form a
 * staircase; a Python-level loop hands the GIL over about every switch
 * interval; C code that releases the GIL runs beside the others.  Locks:
 * a task waiting for one waits on `lock`, no two tasks are ever inside
 * one, a task that fails holding one lets it go, and on the loop the
 * waiters take it first come first served.  Every docs/examples spec runs
 * in every mode.  Orderings and counts only, with generous bounds: no
 * test here passes or fails on how fast the machine is.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "base.h"
#include "executor.h"
#include "lanes.h"
#include "recorder.h"
#include "spec.h"
#include "timeline.h"
#include "workload.h"

/* A recorder, tasks and an output folder. */
struct fixture {
  struct gt_recorder *rec;
  struct gt_task     *tasks;
  size_t              ntasks;
  char                dir[64];
};

/* An empty fixture with a fresh folder. */
static struct fixture *
fixture_new(void)
{
  struct fixture *f = gt_xcalloc(1, sizeof(*f));

  f->rec = gt_recorder_new();
  strcpy(f->dir, "/tmp/gt_gil_XXXXXX");
  assert_non_null(mkdtemp(f->dir));
  return f;
}

/* Give f the tasks of a spec text. */
static void
fixture_spec(struct fixture *f, const char *text)
{
  int srv = 0;
  char *cause = NULL;

  gt_tasks_free(f->tasks, f->ntasks);
  if (gt_spec_parse("test.spec", text, &f->tasks, &f->ntasks, &srv,
      &cause) != 0)
    fail_msg("spec refused: %s", cause);
  assert_int_equal(srv, 0);
}

/* Remove the folder and free everything. */
static void
fixture_free(struct fixture *f)
{
  char *cmd = gt_xasprintf("rm -rf '%s'", f->dir);

  assert_int_equal(system(cmd), 0);
  free(cmd);
  gt_recorder_free(f->rec);
  gt_tasks_free(f->tasks, f->ntasks);
  free(f);
}

/* Run f's tasks under mode (workers 0: the mode's width); returns the
 * run id. */
static uint16_t
run_mode(struct fixture *f, const char *mode, unsigned workers, int gil,
    unsigned switch_ms)
{
  struct gt_run_config cfg = { .mode = mode, .workers = workers, .gil = gil,
      .switch_ms = switch_ms, .base_url = "http://127.0.0.1:9",
      .out_dir = f->dir, .timeout_ms = 10000 };
  struct gt_run *run;
  uint16_t id;

  assert_int_equal(gt_run_new(f->rec, &cfg, f->tasks, f->ntasks, &run,
      NULL), 0);
  assert_int_equal(gt_run_exec(run, NULL), 0);
  id = gt_run_id(run);
  gt_run_free(run);
  return id;
}

/* The lanes of run r out of l, in task order; *n gets their count. */
static const struct gt_lane **
lanes_of(const struct gt_lanes *l, uint16_t r, size_t *n)
{
  const struct gt_lane **out = gt_xcalloc(l->n ? l->n : 1, sizeof(*out));
  size_t i;

  for (*n = 0, i = 0; i < l->n; i++)
    if (l->lane[i].run == r)
      out[(*n)++] = &l->lane[i];
  return out;
}

/* From the start of lane's first running stretch labelled label (0: any
 * label) to the end of its last one: the time the task was in that step,
 * counting any ready or gil stretch in between.  0 when it has none. */
static int
running_span(const struct gt_lane *lane, uint32_t label, uint64_t *from,
    uint64_t *to)
{
  size_t i;
  int seen = 0;

  for (i = 0; i < lane->niv; i++) {
    const struct gt_interval *x = &lane->iv[i];

    if (x->state != GT_S_RUNNING || (label != 0 && x->label != label))
      continue;
    if (!seen)
      *from = x->start_ns;
    *to = x->end_ns;
    seen = 1;
  }
  return seen;
}

/* How much [a0, a1) and [b0, b1) share, ns (0 or less: nothing). */
static int64_t
overlap_ns(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1)
{
  return (int64_t)(a1 < b1 ? a1 : b1) - (int64_t)(a0 > b0 ? a0 : b0);
}

/* Stretches of lane waiting on reason. */
static unsigned
waits_on(const struct gt_lane *lane, int reason)
{
  unsigned n = 0;
  size_t i;

  for (i = 0; i < lane->niv; i++)
    n += lane->iv[i].state == GT_S_WAITING && lane->iv[i].reason == reason;
  return n;
}

/* The longest any two lanes of run r share while in their stretch
 * labelled label (0: any running). */
static int64_t
most_overlap(const struct gt_lanes *l, uint16_t r, struct gt_recorder *rec,
    const char *label, unsigned *spans)
{
  size_t n, a, b;
  const struct gt_lane **ln = lanes_of(l, r, &n);
  uint32_t id = label ? gt_recorder_intern(rec, label) : 0;
  uint64_t a0 = 0, a1 = 0, b0 = 0, b1 = 0;
  int64_t most = INT64_MIN, o;

  *spans = 0;
  for (a = 0; a < n; a++) {
    if (!running_span(ln[a], id, &a0, &a1))
      continue;
    (*spans)++;
    for (b = a + 1; b < n; b++) {
      if (!running_span(ln[b], id, &b0, &b1))
        continue;
      o = overlap_ns(a0, a1, b0, b1);
      if (o > most)
        most = o;
    }
  }
  free(ln);
  return most;
}

/* pow --gil under threads: each pow(i, i) is one C call holding the GIL,
 * so from the first instant a task runs its pow to the last, no other
 * task runs its own: the spans never interleave (a hand-off may touch,
 * so 100 us of slack), and every task but the first waited on the GIL.
 * The same tasks as Python-level loops (switch interval 1 ms, each pow
 * about 13 ms of CPU in 17 squarings) do interleave: the test can tell. */
static void
test_pow_gil_staircase(void **state)
{
  struct gt_workload_params p = { .tasks = 4, .scale = 10 };
  int kind;

  (void)state;
  for (kind = GT_GIL_HOLDS; kind >= GT_GIL_LOOP; kind--) {
    struct fixture *f = fixture_new();
    struct gt_lanes l;
    const struct gt_lane **ln;
    size_t n, i, waited = 0;
    int64_t most = 0;
    uint16_t r;

    assert_int_equal(gt_workload_find("pow")->make(&p, &f->tasks,
        &f->ntasks, NULL), 0);
    for (i = 0; i < f->ntasks; i++) {
      assert_int_equal(f->tasks[i].steps[0].gil, GT_GIL_HOLDS);
      f->tasks[i].steps[0].gil = kind;
    }
    r = run_mode(f, "threads", 4, 1, 1);
    gt_lanes_build(f->rec, &l);
    ln = lanes_of(&l, r, &n);
    assert_int_equal(n, 4);
    for (i = 0; i < n; i++) {
      uint64_t a0 = 0, a1 = 0;
      uint32_t id = gt_recorder_intern(f->rec, f->tasks[i].steps[0].label);
      size_t j;
      int64_t o;

      assert_true(ln[i]->finished);
      assert_int_equal(ln[i]->status, 0);
      assert_true(running_span(ln[i], id, &a0, &a1));
      waited += waits_on(ln[i], GT_R_GIL) > 0;
      for (j = 0; j < n; j++) {  /* every pair, with its own label */
        uint64_t b0 = 0, b1 = 0;
        uint32_t jd = gt_recorder_intern(f->rec,
            f->tasks[j].steps[0].label);

        if (j == i || !running_span(ln[j], jd, &b0, &b1))
          continue;
        o = overlap_ns(a0, a1, b0, b1);
        if (o > most)
          most = o;
      }
    }
    print_message("%s: %zu of 4 waited on the GIL, most overlap %lld us\n",
        gt_gil_kind_name(kind), waited, (long long)(most / 1000));
    if (kind == GT_GIL_HOLDS) {
      assert_true(most <= 100000);
      assert_true(waited >= 3);
    } else {
      assert_true(most > 100000);
    }
    free(ln);
    gt_lanes_done(&l);
    fixture_free(f);
  }
}

/* A Python-level loop under --gil: two threads of cpu 100ms with a 5 ms
 * switch interval hand the GIL over again and again.  A hand-off is a
 * wait on the GIL that ends in a running stretch.  At least a few; at
 * most one per switch interval of wall time, plus the two at the start
 * (a waiter asks only after a whole interval without a switch, so two
 * hand-offs are at least an interval apart). */
static void
test_loop_switches(void **state)
{
  struct fixture *f = fixture_new();
  struct gt_lanes l;
  const struct gt_lane **ln;
  size_t n, i;
  unsigned handoffs = 0, bound;
  uint64_t first = UINT64_MAX, last = 0;
  uint16_t r;

  (void)state;
  fixture_spec(f, "2 x task loop {i}\n  cpu 100ms\n");
  assert_int_equal(f->tasks[0].steps[0].gil, GT_GIL_LOOP);
  r = run_mode(f, "threads", 2, 1, 5);
  gt_lanes_build(f->rec, &l);
  ln = lanes_of(&l, r, &n);
  assert_int_equal(n, 2);
  for (i = 0; i < n; i++) {
    assert_int_equal(ln[i]->status, 0);
    handoffs += waits_on(ln[i], GT_R_GIL);
    if (ln[i]->iv[0].start_ns < first)
      first = ln[i]->iv[0].start_ns;
    if (ln[i]->finish_ns > last)
      last = ln[i]->finish_ns;
  }
  bound = (unsigned)((last - first) / 5000000u) + 2;
  print_message("%u hand-offs in %.1f ms (at most %u)\n", handoffs,
      (double)(last - first) / 1e6, bound);
  assert_true(handoffs >= 4);
  assert_true(handoffs <= bound);
  free(ln);
  gt_lanes_done(&l);
  fixture_free(f);
}

/* releases-gil under --gil: two threads of cpu 60ms that release the GIL
 * are inside their steps at the same time (each is there for 60 ms of
 * CPU, and the other can start its own as soon as the first let go at
 * its start).  The same steps as holds-gil never are. */
static void
test_releases_overlaps(void **state)
{
  static const char *const kinds[] = { "releases-gil", "holds-gil" };
  size_t k;

  (void)state;
  for (k = 0; k < 2; k++) {
    struct fixture *f = fixture_new();
    char *text = gt_xasprintf("2 x task t{i}\n  sleep 1ms\n  cpu 60ms %s\n"
        "  sleep 1ms\n", kinds[k]);
    char *label = gt_xasprintf("cpu 60ms %s", kinds[k]);
    struct gt_lanes l;
    unsigned spans;
    int64_t most;
    uint16_t r;

    fixture_spec(f, text);
    r = run_mode(f, "threads", 2, 1, 5);
    gt_lanes_build(f->rec, &l);
    most = most_overlap(&l, r, f->rec, label, &spans);
    print_message("%s: steps overlap by %lld us\n", kinds[k],
        (long long)(most / 1000));
    assert_int_equal(spans, 2);
    if (k == 0)
      assert_true(most > 0);
    else
      assert_true(most <= 100000);
    gt_lanes_done(&l);
    free(label);
    free(text);
    fixture_free(f);
  }
}

/* releases-gil, then the GIL back: a thread that ends a GIL-releasing
 * step while another holds the GIL (a C call holding it to its end) is
 * blocked on `gil` until the holder lets go.  Nothing may be drawn for it
 * meanwhile: no ready(no core) and no running before the holder's step
 * ends (the sampler of cpuwatch.c watched it through the wait and drew
 * both).  Orderings only: the holder's 200 ms of CPU outlast the other's
 * 20 ms however the machine is loaded. */
static void
test_releases_then_waits(void **state)
{
  struct fixture *f = fixture_new();
  const struct gt_lane **ln;
  const struct gt_lane *rel, *hold;
  struct gt_lanes l;
  uint64_t hold_end = 0, gil_from = 0, gil_to = 0;
  size_t n, i;
  uint32_t holds;
  uint16_t r;

  (void)state;
  fixture_spec(f, "task rel\n  cpu 20ms releases-gil\n  cpu 1ms\n"
      "task holder\n  sleep 10ms\n  cpu 200ms holds-gil\n");
  r = run_mode(f, "threads", 2, 1, 5);
  holds = gt_recorder_intern(f->rec, "cpu 200ms holds-gil");
  gt_lanes_build(f->rec, &l);
  ln = lanes_of(&l, r, &n);
  assert_int_equal(n, 2);
  rel = ln[0];
  hold = ln[1];
  for (i = 0; i < hold->niv; i++)
    if (hold->iv[i].label == holds)
      hold_end = hold->iv[i].end_ns;
  assert_true(hold_end > 0);
  /* rel's wait for the GIL after its step: the last gil stretch */
  for (i = 0; i < rel->niv; i++)
    if (rel->iv[i].state == GT_S_WAITING && rel->iv[i].reason == GT_R_GIL) {
      gil_from = rel->iv[i].start_ns;
      gil_to = rel->iv[i].end_ns;
    }
  print_message("rel waits on gil %.1f..%.1f ms, the holder's step ends "
      "at %.1f ms\n", (double)gil_from / 1e6, (double)gil_to / 1e6,
      (double)hold_end / 1e6);
  assert_true(gil_from > 0 && gil_from < hold_end);
  assert_true(gil_to >= hold_end);
  /* and nothing but gil from its start to the holder's end */
  for (i = 0; i < rel->niv; i++)
    if (rel->iv[i].end_ns > gil_from && rel->iv[i].start_ns < hold_end)
      assert_true(rel->iv[i].state == GT_S_WAITING
          && rel->iv[i].reason == GT_R_GIL);
  free(ln);
  gt_lanes_done(&l);
  fixture_free(f);
}

static atomic_int inside;       /* test.excl steps running now */
static atomic_int most_inside;  /* the most there ever were */

/* A CPU step that counts how many of its kind run at once (in this
 * process): arg microseconds of wall time, with checkpoints. */
static int
excl_cpu(struct gt_task_ctx *ctx, const struct gt_step *step, char **cause)
{
  uint64_t end = gt_now_ns() + step->arg * 1000u;
  int now = atomic_fetch_add(&inside, 1) + 1, seen;

  (void)cause;
  seen = atomic_load(&most_inside);
  while (now > seen && !atomic_compare_exchange_weak(&most_inside, &seen,
      now))
    ;
  while (gt_now_ns() < end)
    if (gt_task_ctx_checkpoint(ctx) != 0)
      break;
  atomic_fetch_sub(&inside, 1);
  return 0;
}

/* Tasks that take a lock, wait inside it, and run test.excl inside it. */
static const char lock_spec[] =
    "3 x task t{i}\n"
    "  lock door\n"
    "  sleep 30ms\n"
    "  cpu test.excl 20000\n"
    "  unlock door\n"
    "  cpu test.excl 1000\n";

/* threads (with and without --gil) and async: the three tasks start
 * together, so two find the door locked and wait on `lock`, with the
 * lock's name as the label; never two inside at once (test.excl); all
 * end well.  On the loop, the waiters get the lock in the order they
 * came (asyncio.Lock): t1 before t2. */
static void
test_lock_waits(void **state)
{
  static const struct { const char *mode; int gil; } runs[] = {
    { "threads", 0 }, { "threads", 1 }, { "async", 0 },
  };
  size_t k;

  (void)state;
  for (k = 0; k < 3; k++) {
    struct fixture *f = fixture_new();
    struct gt_lanes l;
    const struct gt_lane **ln;
    uint32_t door;
    size_t n, i, j, waited = 0;
    uint64_t got[3] = {0};
    uint16_t r;

    fixture_spec(f, lock_spec);
    atomic_store(&most_inside, 0);
    r = run_mode(f, runs[k].mode, 3, runs[k].gil, 5);
    door = gt_recorder_intern(f->rec, "lock door");
    gt_lanes_build(f->rec, &l);
    ln = lanes_of(&l, r, &n);
    assert_int_equal(n, 3);
    for (i = 0; i < n; i++) {
      assert_int_equal(ln[i]->status, 0);
      for (j = 0; j < ln[i]->niv; j++) {
        const struct gt_interval *x = &ln[i]->iv[j];

        if (x->state == GT_S_WAITING && x->reason == GT_R_LOCK) {
          assert_int_equal(x->label, door);
          got[i] = x->end_ns;
          waited++;
        }
      }
    }
    print_message("%s%s: %zu lock waits, at most %d inside\n",
        runs[k].mode, runs[k].gil ? " --gil" : "", waited,
        atomic_load(&most_inside));
    assert_int_equal(atomic_load(&most_inside), 1);
    assert_true(waited >= 1);
    if (strcmp(runs[k].mode, "async") == 0) {
      assert_int_equal(waited, 2);  /* t0 took it at once */
      assert_true(got[1] != 0 && got[2] != 0 && got[1] < got[2]);
    }
    free(ln);
    gt_lanes_done(&l);
    fixture_free(f);
  }
}

/* A task that fails holding a lock (genre.parse with no body) lets it
 * go: in every mode the run ends, every task with its parse error. */
static void
test_lock_released_on_failure(void **state)
{
  const char *const *modes;
  size_t nmodes, m;

  (void)state;
  modes = gt_mode_names(&nmodes);
  for (m = 0; m < nmodes; m++) {
    struct fixture *f = fixture_new();
    struct gt_lanes l;
    const struct gt_lane **ln;
    size_t n, i;
    uint16_t r;

    fixture_spec(f, "3 x task t{i}\n  lock a\n  sleep 10ms\n"
        "  cpu genre.parse\n  unlock a\n");
    r = run_mode(f, modes[m], 3, 1, 5);
    gt_lanes_build(f->rec, &l);
    ln = lanes_of(&l, r, &n);
    assert_int_equal(n, 3);
    for (i = 0; i < n; i++) {
      assert_true(ln[i]->finished);
      assert_int_equal(ln[i]->status, GT_EPARSE);
    }
    free(ln);
    gt_lanes_done(&l);
    fixture_free(f);
  }
}

/* Stop the run in arg after 150 ms. */
static void *
stop_later(void *arg)
{
  struct timespec ts = { 0, 150000000 };

  nanosleep(&ts, NULL);
  gt_run_stop(arg);
  return NULL;
}

/* A stop ends a CPU step of every kind at its next checkpoint, even one
 * that holds the GIL, and a wait for a lock: three threads of 30 s steps
 * under --gil end cancelled (the test would time out otherwise). */
static void
test_stop_every_kind(void **state)
{
  static const char *const specs[] = {
    "3 x task t{i}\n  cpu 30s\n",
    "3 x task t{i}\n  cpu 30s holds-gil\n",
    "3 x task t{i}\n  cpu 30s releases-gil\n",
    "3 x task t{i}\n  lock a\n  cpu 30s holds-gil\n  unlock a\n",
  };
  size_t k;

  (void)state;
  for (k = 0; k < sizeof(specs) / sizeof(specs[0]); k++) {
    const char *modes[] = { "threads", "async" };
    size_t m;

    for (m = 0; m < 2; m++) {
      struct fixture *f = fixture_new();
      struct gt_run_config cfg = { .mode = modes[m], .workers = 3,
          .gil = 1, .switch_ms = 5, .out_dir = f->dir };
      struct gt_run *run;
      struct gt_lanes l;
      const struct gt_lane **ln;
      pthread_t stopper;
      size_t n, i;
      uint16_t r;

      fixture_spec(f, specs[k]);
      assert_int_equal(gt_run_new(f->rec, &cfg, f->tasks, f->ntasks, &run,
          NULL), 0);
      assert_int_equal(pthread_create(&stopper, NULL, stop_later, run), 0);
      assert_int_equal(gt_run_exec(run, NULL), 0);
      pthread_join(stopper, NULL);
      r = gt_run_id(run);
      gt_run_free(run);
      gt_lanes_build(f->rec, &l);
      ln = lanes_of(&l, r, &n);
      assert_int_equal(n, 3);
      for (i = 0; i < n; i++)
        assert_int_equal(ln[i]->status, GT_ECANCELED);
      free(ln);
      gt_lanes_done(&l);
      fixture_free(f);
    }
  }
}

/* Every spec in docs/examples runs in every mode with --gil, every task
 * ends well; between them they show `gil` and `lock` waits (under
 * threads), the states they are there to show, and timer and disk.
 * (net and connect come from genre and scrape in test_executors.)
 * Every state of the legend, each example run with the settings its
 * comment gives (--cores, --pool, --modes), is test_cli's
 * test_every_state: those settings are the process's (libuv reads the
 * pool's size once), so it runs them as a user does. */
static void
test_docs_examples(void **state)
{
  DIR *d = opendir(GT_DOCS_DIR "/examples");
  struct dirent *e;
  const char *const *modes;
  size_t nmodes, m, files = 0;
  unsigned seen[GT_R_COUNT] = {0};

  (void)state;
  assert_non_null(d);
  modes = gt_mode_names(&nmodes);
  while ((e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name);
    char *path;

    if (len < 6 || strcmp(e->d_name + len - 5, ".spec") != 0)
      continue;
    path = gt_xasprintf("%s/examples/%s", GT_DOCS_DIR, e->d_name);
    files++;
    for (m = 0; m < nmodes; m++) {
      struct fixture *f = fixture_new();
      struct gt_lanes l;
      const struct gt_lane **ln;
      char *cause = NULL;
      int srv = 0;
      size_t n, i, j;
      uint16_t r;

      if (gt_spec_load(path, &f->tasks, &f->ntasks, &srv, &cause) != 0)
        fail_msg("%s", cause);
      assert_int_equal(srv, 0);  /* no server needed */
      print_message("%s under %s\n", e->d_name, modes[m]);
      r = run_mode(f, modes[m], 0, 1, 5);
      gt_lanes_build(f->rec, &l);
      ln = lanes_of(&l, r, &n);
      assert_int_equal(n, f->ntasks);
      for (i = 0; i < n; i++) {
        assert_int_equal(ln[i]->status, 0);
        for (j = 0; j < ln[i]->niv; j++)
          if (ln[i]->iv[j].state == GT_S_WAITING)
            seen[ln[i]->iv[j].reason]++;
      }
      free(ln);
      gt_lanes_done(&l);
      fixture_free(f);
    }
    free(path);
  }
  closedir(d);
  assert_true(files >= 4);
  assert_true(seen[GT_R_GIL] > 0);
  assert_true(seen[GT_R_LOCK] > 0);
  assert_true(seen[GT_R_TIMER] > 0);
  assert_true(seen[GT_R_DISK] > 0);
}

/* Global set-up once, as main does. */
static int
group_setup(void **state)
{
  (void)state;
  return gt_scheduler_init();
}

/* Global tear-down. */
static int
group_teardown(void **state)
{
  (void)state;
  gt_scheduler_done();
  return 0;
}

int
main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_pow_gil_staircase),
    cmocka_unit_test(test_loop_switches),
    cmocka_unit_test(test_releases_overlaps),
    cmocka_unit_test(test_releases_then_waits),
    cmocka_unit_test(test_lock_waits),
    cmocka_unit_test(test_lock_released_on_failure),
    cmocka_unit_test(test_stop_every_kind),
    cmocka_unit_test(test_docs_examples),
  };

  /* the process modes start this executable as their workers */
  gt_cpu_register("test.excl", excl_cpu);
  if (argc == 2 && strcmp(argv[1], GT_WORKER_ARG) == 0)
    return gt_worker_main();
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
