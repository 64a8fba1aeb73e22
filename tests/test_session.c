/*
 * tests/test_session.c: the session (scheduler/session.h) as its callers
 * wire it: the modes' folders, the modes run in turn and together into one
 * recorder, a cancelled session starting no later mode, the live view's
 * start/join with its doorbell, a mode that cannot run told (or kept as
 * the first error while live), and the open-file cap narrowing a mode to
 * what the limit allows.  Tasks are hand-made: short sleeps, and file
 * writes for the cap.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "base.h"
#include "executor.h"
#include "recorder.h"
#include "session.h"
#include "workload.h"

#define NTASKS 3

/* 50 ms: long enough that the modes run together overlap.  (When a
 * mode's thread ends before another's starts, a new thread may take over
 * the dead one's recorder producer, by design (recorder.c), which
 * ThreadSanitizer, not seeing the thread's end, reports as a race.) */
static struct gt_step nap = { .kind = GT_STEP_SLEEP, .label = (char *)"nap",
    .arg = 50 };
static struct gt_task naps[NTASKS] = {
  { .name = (char *)"a", .steps = &nap, .nsteps = 1 },
  { .name = (char *)"b", .steps = &nap, .nsteps = 1 },
  { .name = (char *)"c", .steps = &nap, .nsteps = 1 },
};

/* What the session told, one line after another (the modes that run
 * together tell from their own threads). */
struct told {
  char text[8192];
  unsigned lines;
};

static pthread_mutex_t told_lock = PTHREAD_MUTEX_INITIALIZER;

/* The session's tell callback: keep the line. */
static void
keep(void *arg, const char *line)
{
  struct told *t = arg;
  size_t len;

  pthread_mutex_lock(&told_lock);
  len = strlen(t->text);
  snprintf(t->text + len, sizeof(t->text) - len, "%s\n", line);
  t->lines++;
  pthread_mutex_unlock(&told_lock);
}

/* A fresh output folder (malloc'd). */
static char *
out_dir(void)
{
  char *dir = gt_xstrdup("/tmp/gt_session_XXXXXX");

  assert_non_null(mkdtemp(dir));
  return dir;
}

/* Remove the output folder dir and the empty mode folders in it. */
static void
remove_out(char *dir)
{
  static const char *const sub[] = { "sync", "sync-2", "async", "threads" };
  size_t i;
  char *p;

  for (i = 0; i < sizeof(sub) / sizeof(sub[0]); i++) {
    p = gt_xasprintf("%s/%s", dir, sub[i]);
    rmdir(p);
    free(p);
  }
  rmdir(dir);
  free(dir);
}

/* 1 when dir/name is a folder. */
static int
is_dir(const char *dir, const char *name)
{
  char *p = gt_xasprintf("%s/%s", dir, name);
  struct stat st;
  int yes = stat(p, &st) == 0 && S_ISDIR(st.st_mode);

  free(p);
  return yes;
}

/* The mode name of run i of rec. */
static const char *
run_mode(struct gt_recorder *rec, uint16_t i)
{
  struct gt_run_info info;

  assert_int_equal(gt_recorder_run_get(rec, i, &info), 0);
  return gt_recorder_string(rec, info.name);
}

/* A list gives its modes in order; a repeat's folder is NAME-2, NAME-3;
 * no list gives every mode. */
static void
test_modes_and_folders(void **state)
{
  char mode[GT_SESSION_MAX_MODES][GT_MODE_LEN];
  char folder[GT_SESSION_MAX_MODES][GT_FOLDER_LEN];
  const char *const *names;
  size_t n, all, i;

  (void)state;
  n = gt_session_modes("sync,threads,sync,sync", mode, folder);
  assert_int_equal(n, 4);
  assert_string_equal(mode[0], "sync");
  assert_string_equal(folder[0], "sync");
  assert_string_equal(mode[1], "threads");
  assert_string_equal(folder[1], "threads");
  assert_string_equal(folder[2], "sync-2");
  assert_string_equal(folder[3], "sync-3");
  names = gt_mode_names(&all);
  n = gt_session_modes(NULL, mode, folder);
  assert_int_equal(n, all);
  for (i = 0; i < n; i++) {
    assert_string_equal(mode[i], names[i]);
    assert_string_equal(folder[i], names[i]);
  }
}

/* In turn and together: one run per mode, in the list's order when in
 * turn, each in its folder, nothing failed, a progress line per mode. */
static void
test_run_in_turn_and_together(void **state)
{
  int together;

  (void)state;
  for (together = 0; together <= 1; together++) {
    struct told told = { "", 0 };
    char *dir = out_dir();
    struct gt_session_config cfg = { .modes = "sync,async,sync",
        .together = together, .out_dir = dir, .tell = keep,
        .tell_arg = &told };
    struct gt_session *s = gt_session_new(&cfg);
    struct gt_recorder *rec = gt_recorder_new();
    uint16_t i;
    int seen_sync = 0, seen_async = 0;

    gt_session_set_tasks(s, naps, NTASKS, NULL, 0);
    gt_session_run(s, rec);
    assert_int_equal(gt_recorder_runs(rec), 3);
    for (i = 0; i < 3; i++) {
      seen_sync += strcmp(run_mode(rec, i), "sync") == 0;
      seen_async += strcmp(run_mode(rec, i), "async") == 0;
    }
    assert_int_equal(seen_sync, 2);
    assert_int_equal(seen_async, 1);
    if (!together) {
      assert_string_equal(run_mode(rec, 0), "sync");
      assert_string_equal(run_mode(rec, 1), "async");
      assert_string_equal(run_mode(rec, 2), "sync");
    }
    assert_true(is_dir(dir, "sync"));
    assert_true(is_dir(dir, "async"));
    assert_true(is_dir(dir, "sync-2"));
    assert_int_equal(gt_session_failed(s), 0);
    assert_int_equal(gt_session_stop_signal(s), 0);
    assert_int_equal(told.lines, 3);  /* "MODE: 3 tasks on N workers" */
    assert_non_null(strstr(told.text, "sync: 3 tasks on 1 worker"));
    gt_session_free(s);
    gt_recorder_free(rec);
    remove_out(dir);
  }
}

/* Cancelled before it runs: no mode starts; quiet: nothing told. */
static void
test_cancel_starts_nothing(void **state)
{
  struct told told = { "", 0 };
  char *dir = out_dir();
  struct gt_session_config cfg = { .modes = "sync,async", .out_dir = dir,
      .quiet = 1, .tell = keep, .tell_arg = &told };
  struct gt_session *s = gt_session_new(&cfg);
  struct gt_recorder *rec = gt_recorder_new();

  (void)state;
  gt_session_set_tasks(s, naps, NTASKS, NULL, 0);
  gt_session_cancel(s);
  gt_session_run(s, rec);
  assert_int_equal(gt_recorder_runs(rec), 0);
  assert_int_equal(told.lines, 0);
  gt_session_free(s);
  gt_recorder_free(rec);
  remove_out(dir);
}

/* The doorbell of the live view's start. */
static void
ring(void *arg)
{
  (*(int *)arg)++;
}

/* Live: start runs the modes on the session's thread and rings once when
 * they end; a later start (the view's `r`) runs them again, after a
 * cancel too; the view's settings reach the runs (workers). */
static void
test_live_start_join(void **state)
{
  struct told told = { "", 0 };
  char *dir = out_dir();
  struct gt_session_config cfg = { .modes = "threads", .out_dir = dir,
      .tell = keep, .tell_arg = &told };
  struct gt_session *s = gt_session_new(&cfg);
  struct gt_recorder *rec = gt_recorder_new(), *rec2 = gt_recorder_new();
  struct gt_run_info info;
  int rung = 0;

  (void)state;
  gt_session_set_tasks(s, naps, NTASKS, NULL, 0);
  gt_session_set_live(s, 1);
  assert_int_equal(gt_session_start(s, rec, 2, 0, ring, &rung), 0);
  gt_session_join(s);
  assert_int_equal(rung, 1);
  assert_int_equal(gt_session_running(s), 0);
  assert_int_equal(gt_recorder_runs(rec), 1);
  assert_int_equal(gt_recorder_run_get(rec, 0, &info), 0);
  assert_int_equal(info.workers, 2);
  assert_int_equal(told.lines, 0);  /* live: no progress lines */
  gt_session_cancel(s);  /* the view's stop, then its `r` */
  assert_int_equal(gt_session_start(s, rec2, 0, 1, ring, &rung), 0);
  gt_session_join(s);
  assert_int_equal(rung, 2);
  assert_int_equal(gt_recorder_runs(rec2), 1);
  gt_session_free(s);
  gt_recorder_free(rec);
  gt_recorder_free(rec2);
  remove_out(dir);
}

/* A mode that cannot run (its folder's place is a file) fails the
 * session: told at once, even when quiet; while live, kept as the first
 * error and not told. */
static void
test_mode_failure(void **state)
{
  int live;

  (void)state;
  for (live = 0; live <= 1; live++) {
    struct told told = { "", 0 };
    char *dir = out_dir(), *file = gt_xasprintf("%s/sync", dir);
    struct gt_session_config cfg = { .modes = "sync", .out_dir = dir,
        .quiet = 1, .tell = keep, .tell_arg = &told };
    struct gt_session *s = gt_session_new(&cfg);
    struct gt_recorder *rec = gt_recorder_new();
    FILE *f = fopen(file, "w");

    assert_non_null(f);
    fclose(f);
    gt_session_set_tasks(s, naps, NTASKS, NULL, 0);
    gt_session_set_live(s, live);
    gt_session_run(s, rec);
    assert_int_equal(gt_session_failed(s), 1);
    if (live) {
      assert_int_equal(told.lines, 0);
      assert_non_null(gt_session_first_error(s));
      assert_non_null(strstr(gt_session_first_error(s), "sync: "));
    } else {
      assert_int_equal(told.lines, 1);
      assert_non_null(strstr(told.text, "sync: "));
      assert_null(gt_session_first_error(s));
    }
    gt_session_free(s);
    gt_recorder_free(rec);
    unlink(file);
    free(file);
    remove_out(dir);
  }
}

/* The open-file cap (run last: it lowers this process's hard limit for
 * good).  With the limit at 96 and 64 descriptors kept for the fixed ones,
 * 100 tasks that each hold a file while in flight cannot all be in flight
 * on one loop: the session narrows async's limit to at most 32, says so,
 * and every task still runs. */
static void
test_open_file_cap(void **state)
{
  enum { N = 100, LIMIT = 96, RESERVE = 64 };
  struct rlimit rl = { LIMIT, LIMIT };
  struct gt_step *steps = gt_xcalloc(N, sizeof(*steps));
  struct gt_task *tasks = gt_xcalloc(N, sizeof(*tasks));
  struct told told = { "", 0 };
  char *dir = out_dir(), *p;
  struct gt_session_config cfg = { .modes = "async", .out_dir = dir,
      .tell = keep, .tell_arg = &told };
  struct gt_session *s;
  struct gt_recorder *rec = gt_recorder_new();
  struct gt_run_info info;
  size_t i;

  (void)state;
  for (i = 0; i < N; i++) {
    steps[i] = (struct gt_step){ .kind = GT_STEP_WRITE,
        .label = (char *)"write", .target = gt_xasprintf("f%zu", i) };
    tasks[i] = (struct gt_task){ .name = (char *)"w", .steps = &steps[i],
        .nsteps = 1 };
  }
  assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
  s = gt_session_new(&cfg);
  gt_session_set_tasks(s, tasks, N, NULL, 0);
  gt_session_run(s, rec);
  assert_int_equal(gt_session_failed(s), 0);
  assert_non_null(strstr(told.text, "async: the open-file limit (96) caps "
      "this run at "));
  assert_non_null(strstr(told.text, "instead of 100"));
  assert_int_equal(gt_recorder_run_get(rec, 0, &info), 0);
  assert_true(info.limit >= 1 && info.limit <= LIMIT - RESERVE);
  assert_int_equal(info.tasks, N);
  for (i = 0; i < N; i++) {
    p = gt_xasprintf("%s/async/f%zu", dir, i);
    assert_int_equal(access(p, F_OK), 0);  /* every task ran */
    unlink(p);
    free(p);
    free(steps[i].target);
  }
  gt_session_free(s);
  gt_recorder_free(rec);
  remove_out(dir);
  free(steps);
  free(tasks);
}

int
main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_modes_and_folders),
    cmocka_unit_test(test_run_in_turn_and_together),
    cmocka_unit_test(test_cancel_starts_nothing),
    cmocka_unit_test(test_live_start_join),
    cmocka_unit_test(test_mode_failure),
    cmocka_unit_test(test_open_file_cap),  /* last: it lowers the limit */
  };

  if (argc == 2 && strcmp(argv[1], GT_WORKER_ARG) == 0)
    return gt_worker_main();
  if (gt_scheduler_init() != 0)
    return 1;
  return cmocka_run_group_tests(tests, NULL, NULL);
}
