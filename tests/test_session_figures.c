/*
 * tests/test_session_figures.c: one interrupted session, its figures read two
 * ways.  The runs go with the real executors against demo servers:
 * sync in full, threads stopped midway with gt_run_stop, async after the
 * stop (a stopped session still runs its later modes, quickly, recording
 * their tasks as cancelled, as tui/main.c does).  The figures the live
 * view shows (gt_view_figures, folded while the runs went, as the TUI
 * does) must be the ones the headless report and the summary print: the
 * same wall, speedup and ok/failed/unfinished, run by run.
 */
#define _GNU_SOURCE
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <yajl/yajl_tree.h>

#include "base.h"
#include "demo_server.h"
#include "executor.h"
#include "recorder.h"
#include "report.h"
#include "timeline.h"
#include "view.h"
#include "workload.h"

struct stopper {
  struct gt_run *run;
  struct gt_view *view;   /* folded while the run goes, as the TUI does */
  unsigned ms;            /* stop the run after this long; 0: never */
  int done;
  pthread_mutex_t lock;
};

/* Run s's run to its end; meanwhile fold the view every 10 ms (under the
 * lock: a view belongs to one thread at a time) and stop the run after
 * s->ms. */
static void *
watch(void *arg)
{
  struct stopper *s = arg;
  unsigned waited = 0;
  int done;

  for (;;) {
    pthread_mutex_lock(&s->lock);
    done = s->done;
    if (!done)
      gt_view_update(s->view, gt_now_ns());
    pthread_mutex_unlock(&s->lock);
    if (done)
      return NULL;
    if (s->ms != 0 && waited >= s->ms)
      gt_run_stop(s->run);
    usleep(10000);
    waited += 10;
  }
}

/* Run mode on tasks, folded into view while it goes; stopped after
 * stop_ms (0: not), or at once when stopped is set. */
static void
run_one(struct gt_recorder *rec, struct gt_view *view, const char *mode,
    const char *url, const char *dir, const struct gt_task *tasks,
    size_t ntasks, unsigned stop_ms, int stopped)
{
  struct gt_run_config cfg = { .mode = mode, .workers = 2, .base_url = url,
      .out_dir = dir, .timeout_ms = 20000 };
  struct stopper s = { .view = view, .ms = stop_ms };
  pthread_t t;

  pthread_mutex_init(&s.lock, NULL);
  assert_int_equal(gt_run_new(rec, &cfg, tasks, ntasks, &s.run, NULL), 0);
  if (stopped)
    gt_run_stop(s.run);
  pthread_create(&t, NULL, watch, &s);
  assert_int_equal(gt_run_exec(s.run, NULL), 0);
  pthread_mutex_lock(&s.lock);
  s.done = 1;
  pthread_mutex_unlock(&s.lock);
  pthread_join(t, NULL);
  pthread_mutex_destroy(&s.lock);
  gt_run_free(s.run);
}

/* The number under key in obj, or NAN when it is null. */
static double
num(yajl_val obj, const char *key)
{
  const char *path[] = { key, NULL };
  yajl_val v = yajl_tree_get(obj, path, yajl_t_any);

  assert_non_null(v);
  if (YAJL_IS_NULL(v))
    return NAN;
  assert_true(YAJL_IS_NUMBER(v));
  return YAJL_GET_DOUBLE(v);
}

/* The live view's figures and the headless report's and summary's agree
 * on an interrupted session. */
static void
test_interrupted_session_figures(void **state)
{
  struct gt_demo_config fast = { .seed = 7, .latency_ms = 20 };
  struct gt_demo_config slow = { .seed = 7, .latency_ms = 1000 };
  struct gt_workload_params wp = { .tasks = 4, .seed = 7 };
  struct gt_demo_server *srv, *srv_slow;
  struct gt_task *tasks;
  size_t ntasks, n, i;
  struct gt_recorder *rec = gt_recorder_new();
  struct gt_view *view = gt_view_new(rec);
  struct gt_run_figures live, head[3];
  char dir[] = "/tmp/gt_session_XXXXXX", *path, *cmd, text[8192], err[128];
  const char *runs_path[] = { "runs", NULL };
  yajl_val root, runs, r;
  FILE *f;

  (void)state;
  assert_int_equal(gt_demo_server_start(&fast, &srv, NULL), 0);
  assert_int_equal(gt_demo_server_start(&slow, &srv_slow, NULL), 0);
  assert_int_equal(gt_workload_find("genre")->make(&wp, &tasks, &ntasks,
      NULL), 0);
  assert_non_null(mkdtemp(dir));
  run_one(rec, view, "sync", gt_demo_server_url(srv), dir, tasks, ntasks,
      0, 0);
  /* 4 tasks on 2 workers at 1 s an answer take 2 s at least: a stop
   * after 100 ms lands midway even 10 times slower */
  run_one(rec, view, "threads", gt_demo_server_url(srv_slow), dir, tasks,
      ntasks, 100, 0);
  run_one(rec, view, "async", gt_demo_server_url(srv), dir, tasks, ntasks,
      0, 1);
  /* nothing runs now: the TUI folds a last time with no clock */
  gt_view_update(view, 0);
  assert_int_equal(gt_view_panels(view), 3);

  /* The headless side: what finish_session() prints and writes. */
  n = gt_timeline_figures_of(rec, head, 3);
  assert_int_equal(n, 3);
  path = gt_xasprintf("%s/summary.json", dir);
  assert_int_equal(gt_summary_write(path, "genre", ntasks, NULL, head,
      n, NULL, NULL), 0);
  f = fopen(path, "r");
  assert_non_null(f);
  text[fread(text, 1, sizeof(text) - 1, f)] = '\0';
  fclose(f);
  root = yajl_tree_parse(text, err, sizeof(err));
  assert_non_null(root);
  runs = yajl_tree_get(root, runs_path, yajl_t_array);
  assert_int_equal(YAJL_GET_ARRAY(runs)->len, 3);

  for (i = 0; i < 3; i++) {
    gt_view_figures(view, i, &live);
    r = YAJL_GET_ARRAY(runs)->values[i];
    /* the report's figures, exactly */
    assert_int_equal(live.wall_ns, head[i].wall_ns);
    assert_true(live.speedup == head[i].speedup);
    assert_int_equal(live.ok, head[i].ok);
    assert_int_equal(live.failed, head[i].failed);
    assert_int_equal(live.unfinished, head[i].unfinished);
    /* the ideal is a lower bound on the wall (issue 13), here and in
     * the summary */
    assert_int_equal(live.ideal_ns, head[i].ideal_ns);
    assert_true(head[i].ideal_ns <= head[i].wall_ns);
    assert_true(num(r, "ideal_ms") <= num(r, "wall_ms"));
    /* the summary's, as written (ms and speedup with three decimals) */
    assert_true(fabs(num(r, "wall_ms") - (double)live.wall_ns / 1e6)
        < 0.0006);
    if (live.speedup > 0)
      assert_true(fabs(num(r, "speedup_vs_sync") - live.speedup) < 0.0006);
    else
      assert_true(isnan(num(r, "speedup_vs_sync")));
    assert_true(num(r, "ok") == live.ok);
    assert_true(num(r, "failed") == live.failed + live.unfinished);
    assert_true(num(r, "unfinished") == live.unfinished);
  }
  /* and the session was what it says: sync whole (the baseline, 1x), the
   * stopped threads run with tasks cancelled, async all cancelled */
  gt_view_figures(view, 0, &live);
  assert_true(live.baseline);
  assert_int_equal(live.ok, 4);
  assert_true(live.speedup == 1.0);
  gt_view_figures(view, 1, &live);
  assert_true(live.failed > 0);
  gt_view_figures(view, 2, &live);
  assert_int_equal(live.failed, 4);
  assert_true(live.speedup == 0);

  yajl_tree_free(root);
  unlink(path);
  free(path);
  cmd = gt_xasprintf("rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
  free(cmd);
  gt_view_free(view);
  gt_recorder_free(rec);
  gt_tasks_free(tasks, ntasks);
  gt_demo_server_stop(srv);
  gt_demo_server_stop(srv_slow);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_interrupted_session_figures),
  };

  if (gt_scheduler_init() != 0)
    return 1;
  return cmocka_run_group_tests(tests, NULL, NULL);
}
