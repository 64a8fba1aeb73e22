/*
 * tests/test_replay.c: the playback engine without a terminal.  A replay
 * starts paused at the session's start, shows what happened up to its
 * clock, steps event by event both ways, plays at its speed (0.125x to
 * 64x), and ends paused at the end with every event and run end shown.
 * Opened on a file, it reads it apart and shows it once read, or says why
 * it could not.
 */
#define _GNU_SOURCE  /* mkstemp */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "base.h"
#include "lanes.h"
#include "recorder.h"
#include "replay.h"
#include "support/session.h"

#define MS 1000000ull

/* Two tasks of one run over 100 ms: 8 events. */
static struct gt_recorder *
session(void)
{
  struct gt_recorder *rec = gt_recorder_new();
  uint16_t r = gt_test_run(rec, "threads", 2, 2, 0, 100000);

  gt_test_queue(rec, r, 0, 0, "a");
  gt_test_queue(rec, r, 1, 0, "b");
  gt_test_start(rec, r, 0, 10000, 0);
  gt_test_start(rec, r, 1, 20000, 1);
  gt_test_wait_on(rec, r, 0, 30000, GT_R_NET, 0);
  gt_test_resume(rec, r, 0, 60000, 0);
  gt_test_finish(rec, r, 0, 90000, 0, 0);
  gt_test_finish(rec, r, 1, 100000, 1, GT_EHTTP);
  return rec;
}

/* Paused at the start; steps forward and back one time at a time. */
static void
test_steps(void **state)
{
  struct gt_recorder *src = session();
  struct gt_replay *p = gt_replay_new(src);
  uint64_t t0 = gt_recorder_t0(src);
  char msg[128];

  (void)state;
  assert_false(gt_replay_playing(p));
  assert_int_equal(gt_replay_total(p), 8);
  assert_int_equal(gt_replay_shown(p), 2);  /* both QUEUEs, at the start */
  assert_int_equal(gt_replay_clock(p, 1), t0);
  assert_int_equal(gt_replay_act(p, GT_REPLAY_NEXT, 2, msg, sizeof(msg)), 0);
  assert_int_equal(gt_replay_shown(p), 3);
  assert_int_equal(gt_replay_clock(p, 3), t0 + 10 * MS);
  assert_non_null(strstr(msg, "event 3 of 8"));
  gt_replay_act(p, GT_REPLAY_NEXT, 4, msg, sizeof(msg));
  assert_int_equal(gt_replay_shown(p), 4);
  /* back: a new recorder, filled up to the previous time */
  assert_int_equal(gt_replay_act(p, GT_REPLAY_PREV, 5, msg, sizeof(msg)), 1);
  assert_int_equal(gt_replay_shown(p), 3);
  assert_int_equal(gt_recorder_count(gt_replay_recorder(p)), 3);
  assert_int_equal(gt_replay_clock(p, 6), t0 + 10 * MS);
  /* stepping does nothing while playing */
  gt_replay_act(p, GT_REPLAY_PAUSE, 7, msg, sizeof(msg));
  assert_true(gt_replay_playing(p));
  gt_replay_act(p, GT_REPLAY_NEXT, 7, msg, sizeof(msg));
  assert_non_null(strstr(msg, "pause first"));
  gt_replay_free(p);
  gt_recorder_free(src);
}

/* Playing moves the clock by wall time times the speed, and stops at the
 * end with everything shown, the run ended and the lanes as recorded. */
static void
test_play(void **state)
{
  struct gt_recorder *src = session();
  struct gt_replay *p = gt_replay_new(src);
  uint64_t t0 = gt_recorder_t0(src), w = 1000;
  struct gt_run_info ri;
  struct gt_lanes a, b;
  char msg[128];
  size_t i, j;

  (void)state;
  gt_replay_act(p, GT_REPLAY_PAUSE, w, msg, sizeof(msg));
  assert_string_equal(msg, "playing at 1x");
  assert_int_equal(gt_replay_clock(p, w + 25 * MS), t0 + 25 * MS);
  assert_int_equal(gt_replay_shown(p), 4);  /* QUEUE x2, START x2 */
  gt_recorder_run_get(gt_replay_recorder(p), 0, &ri);
  assert_int_equal(ri.end_ns, 0);  /* not yet */
  gt_replay_act(p, GT_REPLAY_FASTER, w + 25 * MS, msg, sizeof(msg));
  assert_string_equal(msg, "speed 2x");
  /* 10 ms of wall time at 2x: 20 ms of the session */
  assert_int_equal(gt_replay_clock(p, w + 35 * MS), t0 + 45 * MS);
  /* on to the end, where it stops */
  gt_replay_clock(p, w + 1000 * MS);
  assert_false(gt_replay_playing(p));
  assert_int_equal(gt_replay_shown(p), 8);
  gt_recorder_run_get(gt_replay_recorder(p), 0, &ri);
  assert_int_equal(ri.end_ns, t0 + 100 * MS);
  gt_lanes_build(src, &a);
  gt_lanes_build(gt_replay_recorder(p), &b);
  assert_int_equal(a.n, b.n);
  for (i = 0; i < a.n; i++) {
    assert_int_equal(a.lane[i].niv, b.lane[i].niv);
    assert_int_equal(a.lane[i].status, b.lane[i].status);
    for (j = 0; j < a.lane[i].niv; j++) {  /* field by field: padding */
      const struct gt_interval *x = &a.lane[i].iv[j], *y = &b.lane[i].iv[j];

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
  /* space at the end plays it again from the start */
  assert_int_equal(gt_replay_act(p, GT_REPLAY_PAUSE, w + 2000 * MS, msg,
      sizeof(msg)), 1);
  assert_true(gt_replay_playing(p));
  assert_int_equal(gt_replay_shown(p), 2);
  gt_replay_free(p);
  gt_recorder_free(src);
}

/* Speeds stay within 0.125x and 64x; Home and End. */
static void
test_speed_home_end(void **state)
{
  struct gt_recorder *src = session();
  struct gt_replay *p = gt_replay_new(src);
  char msg[128];
  int i;

  (void)state;
  for (i = 0; i < 10; i++)
    gt_replay_act(p, GT_REPLAY_FASTER, 1, msg, sizeof(msg));
  assert_true(gt_replay_speed(p) == 64.0);
  for (i = 0; i < 20; i++)
    gt_replay_act(p, GT_REPLAY_SLOWER, 1, msg, sizeof(msg));
  assert_true(gt_replay_speed(p) == 0.125);
  assert_string_equal(msg, "speed 0.125x");
  gt_replay_act(p, GT_REPLAY_END, 2, msg, sizeof(msg));
  assert_int_equal(gt_replay_shown(p), 8);
  assert_non_null(strstr(msg, "the end: 0.100 s"));
  assert_int_equal(gt_replay_act(p, GT_REPLAY_HOME, 3, msg, sizeof(msg)), 1);
  assert_int_equal(gt_replay_shown(p), 2);
  assert_false(gt_replay_playing(p));
  gt_replay_free(p);
  gt_recorder_free(src);
}

/* The view's recorder is the session's: its workload and settings (the
 * `i` key shows them, `e` exports them), its strings under the same ids,
 * also after going back (a fresh recorder).  The workload's name is one
 * of the session's strings: naming it first used to shift every id. */
static void
test_settings_carried(void **state)
{
  struct gt_recorder *src = session(), *view;
  struct gt_settings set = {0};
  struct gt_replay *p;
  char msg[128];
  int pass;

  (void)state;
  gt_recorder_set_workload(src, "genre");
  assert_int_equal(gt_settings_set(&set, "seed", "42", GT_SET_NUM), 0);
  gt_recorder_set_settings(src, &set);
  p = gt_replay_new(src);
  for (pass = 0; pass < 2; pass++) {
    view = gt_replay_recorder(p);
    assert_string_equal(gt_recorder_workload(view), "genre");
    assert_int_equal(gt_recorder_settings(view)->n, 1);
    assert_string_equal(gt_settings_find(gt_recorder_settings(view),
        "seed")->value, "42");
    assert_int_equal(gt_recorder_intern(view, "a"),
        gt_recorder_intern(src, "a"));
    gt_replay_act(p, GT_REPLAY_END, 1, msg, sizeof(msg));
    gt_replay_act(p, GT_REPLAY_HOME, 2, msg, sizeof(msg));  /* a new one */
  }
  gt_replay_free(p);
  gt_settings_clear(&set);
  gt_recorder_free(src);
}

/* The order the replay shows events in, by the definition: by time, and
 * at equal times in arrival order.  Oracle: a stable insertion sort of
 * the arrival order by time, against what the view's recorder received
 * at the end.  nthreads stretches of per events each, times going back
 * at each stretch's start and some equal across stretches; with many
 * stretches (more than the heap merges) the fallback sort does it. */
static void
check_order(unsigned nthreads, unsigned per)
{
  struct gt_recorder *src = gt_recorder_new();
  size_t n = (size_t)nthreads * per, i, j;
  struct gt_event *want = gt_xcalloc(n, sizeof(*want)), *got, e;
  uint64_t t0 = gt_recorder_t0(src);
  struct gt_replay *p;
  char msg[128];
  unsigned t, k;

  for (t = 0; t < nthreads; t++)
    for (k = 0; k < per; k++) {
      e = (struct gt_event){ .ts_ns = t0 + (uint64_t)k * 1000
          + (t % 3) * 500, .task = t, .label = k, .run = 0,
          .kind = k == 0 ? GT_EV_QUEUE : GT_EV_RESUME, .worker = -1 };
      gt_recorder_append(src, &e);
      want[(size_t)t * per + k] = e;
    }
  for (i = 1; i < n; i++)  /* stable: a later arrival stays after */
    for (j = i; j > 0 && want[j - 1].ts_ns > want[j].ts_ns; j--) {
      e = want[j];
      want[j] = want[j - 1];
      want[j - 1] = e;
    }
  p = gt_replay_new(src);
  assert_int_equal(gt_replay_total(p), n);
  gt_replay_act(p, GT_REPLAY_END, 1, msg, sizeof(msg));
  assert_int_equal(gt_recorder_count(gt_replay_recorder(p)), n);
  got = gt_xcalloc(n, sizeof(*got));
  gt_recorder_read(gt_replay_recorder(p), 0, got, n);
  for (i = 0; i < n; i++) {
    assert_int_equal(got[i].ts_ns, want[i].ts_ns);
    assert_int_equal(got[i].task, want[i].task);
    assert_int_equal(got[i].label, want[i].label);
  }
  free(got);
  free(want);
  gt_replay_free(p);
  gt_recorder_free(src);
}

/* A replay shows an import's threads (sorted stretches) in time order,
 * ties in arrival order, however many stretches there are. */
static void
test_order(void **state)
{
  (void)state;
  check_order(1, 50);
  check_order(7, 300);      /* the heap merge, buffers refilled */
  check_order(5000, 3);     /* past the heap's stretches: the fallback */
}

/* A file of text in /tmp; its name, malloc'd. */
static char *
write_tmp(const char *text)
{
  char *path = gt_xstrdup("/tmp/gt_replay_XXXXXX");
  int fd = mkstemp(path);

  assert_true(fd >= 0);
  assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
  return path;
}

/* gt_replay_open(): the view's recorder is empty until the file is read,
 * then another one, the session's; a pause key pressed meanwhile makes it
 * play once read.  Two threads of 2 slices each: 8 events, 2 lanes. */
static void
test_open_reads_apart(void **state)
{
  char *path = write_tmp("[{\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":0,"
      "\"dur\":10,\"name\":\"a\"},{\"ph\":\"X\",\"pid\":1,\"tid\":1,"
      "\"ts\":20,\"dur\":10,\"name\":\"b\"},{\"ph\":\"X\",\"pid\":1,"
      "\"tid\":2,\"ts\":5,\"dur\":10,\"name\":\"c\"},{\"ph\":\"X\","
      "\"pid\":1,\"tid\":2,\"ts\":25,\"dur\":10,\"name\":\"d\"}]");
  struct gt_replay *p = gt_replay_open(path);
  struct gt_recorder *empty = gt_replay_recorder(p), *src;
  struct gt_import_report rep;
  char msg[128], *cause = NULL;
  uint64_t done, total;
  size_t n;

  (void)state;
  assert_int_equal(gt_recorder_count(empty), 0);
  gt_replay_act(p, GT_REPLAY_PAUSE, 1, msg, sizeof(msg));  /* play */
  assert_int_equal(gt_replay_loaded(p, &rep, &cause), 0);
  assert_null(cause);
  assert_int_equal(rep.tasks, 2);
  assert_false(gt_replay_loading(p, &done, &total));
  assert_false(gt_replay_failed(p));
  gt_replay_clock(p, 2);
  assert_ptr_not_equal(gt_replay_recorder(p), empty);
  assert_true(gt_replay_playing(p));
  assert_int_equal(gt_recorder_count(gt_replay_source(p)),
      gt_replay_total(p));
  assert_true(gt_replay_total(p) >= 8);  /* START, ends, FINISH a lane */
  gt_replay_act(p, GT_REPLAY_END, 3, msg, sizeof(msg));
  assert_int_equal(gt_recorder_count(gt_replay_recorder(p)),
      gt_replay_total(p));
  n = gt_replay_total(p);
  src = gt_replay_release(p);  /* the session, the caller's now */
  assert_int_equal(gt_recorder_count(src), n);
  gt_recorder_free(src);
  unlink(path);
  free(path);
}

/* A file that is not JSON at all: the replay fails with the import's
 * message (which names the file), and its view stays empty. */
static void
test_open_bad_file(void **state)
{
  char *path = write_tmp("this is not JSON\n");
  struct gt_replay *p = gt_replay_open(path);
  char *cause = NULL;

  (void)state;
  assert_int_equal(gt_replay_loaded(p, NULL, &cause), GT_EPARSE);
  assert_non_null(cause);
  assert_non_null(strstr(cause, path));
  assert_true(gt_replay_failed(p));
  assert_int_equal(gt_recorder_count(gt_replay_recorder(p)), 0);
  free(cause);
  gt_replay_free(p);
  unlink(path);
  free(path);
}

/* Quitting while the file is still being read stops the reading at its
 * next chunk: gt_replay_free() does not wait for the whole import (q in
 * the live view of a 1 GB file waited for all of it, and of a gzip bomb
 * for ever).  The file here is a pipe that a child fills with spaces
 * without end: without the stop, free would never return. */
static void
test_free_while_loading(void **state)
{
  char dir[] = "/tmp/gt_replay_XXXXXX", *path;
  struct gt_replay *p;
  uint64_t done = 0, total;
  pid_t child;
  int status;

  (void)state;
  assert_non_null(mkdtemp(dir));
  path = gt_xasprintf("%s/endless.json", dir);
  assert_int_equal(mkfifo(path, 0600), 0);
  child = fork();
  assert_true(child >= 0);
  if (child == 0) {
    static char spaces[1 << 16];
    int fd = open(path, O_WRONLY);

    signal(SIGPIPE, SIG_DFL);  /* the reader's end closed: done */
    memset(spaces, ' ', sizeof(spaces));
    if (fd < 0 || write(fd, "{\"traceEvents\":[", 16) != 16)
      _exit(1);
    for (;;)
      if (write(fd, spaces, sizeof(spaces)) < 0)
        _exit(0);
  }
  p = gt_replay_open(path);
  while (gt_replay_loading(p, &done, &total) && done == 0)
    usleep(1000);  /* some of it read: the thread is in the import */
  gt_replay_free(p);  /* returns: the reading stopped */
  kill(child, SIGKILL);
  assert_int_equal(waitpid(child, &status, 0), child);
  unlink(path);
  rmdir(dir);
  free(path);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_steps),
    cmocka_unit_test(test_play),
    cmocka_unit_test(test_speed_home_end),
    cmocka_unit_test(test_settings_carried),
    cmocka_unit_test(test_order),
    cmocka_unit_test(test_open_reads_apart),
    cmocka_unit_test(test_open_bad_file),
    cmocka_unit_test(test_free_while_loading),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
