/*
 * tests/test_chrome.c: events to lanes, lanes to Chrome JSON, and the JSON
 * parsed back with yajl: names, slices, no overlap per tid, failures.
 */
#define _GNU_SOURCE
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <yajl/yajl_tree.h>

#include "chrome.h"
#include "jsonw.h"
#include "lanes.h"
#include "recorder.h"
#include "timeline.h"
#include "support/session.h"

#define MS 1000000ull

/* A session of two runs: "sync" with two tasks, one of them failing, and
 * "threads" with one task whose events arrive out of time order. */
static struct gt_recorder *
sample(void)
{
  struct gt_recorder *rec = gt_recorder_new();

  gt_test_run(rec, "sync", 1, 2, -1, -1);
  gt_test_run(rec, "threads", 1, 1, -1, -1);

  gt_test_put_ms(rec, 0, 0, GT_EV_QUEUE, 0, 0, -1, "genre 0", 0);
  gt_test_put_ms(rec, 0, 1, GT_EV_QUEUE, 0, 0, -1, "genre \"1\"\n", 0);
  gt_test_put_ms(rec, 0, 0, GT_EV_START, 1, 0, 0, "GET /genre", 0);
  gt_test_put_ms(rec, 0, 0, GT_EV_WAIT, 2, GT_R_NET, 0, "GET /genre", 0);
  gt_test_put_ms(rec, 0, 0, GT_EV_RESUME, 10, 0, 0, "parse genre", 0);
  gt_test_put_ms(rec, 0, 0, GT_EV_WAIT, 11, GT_R_DISK, 0,
      "write new_file0.txt", 0);
  gt_test_put_ms(rec, 0, 0, GT_EV_RESUME, 12, 0, 0, "write new_file0.txt", 0);
  gt_test_put_ms(rec, 0, 0, GT_EV_FINISH, 13, 0, 0, "", 0);
  gt_test_put_ms(rec, 0, 1, GT_EV_START, 13, 0, 1, "GET /genre", 0);
  gt_test_put_ms(rec, 0, 1, GT_EV_WAIT, 13.5, GT_R_NET, 1, "GET /genre", 0);
  gt_test_put_ms(rec, 0, 1, GT_EV_FINISH, 20, 0, 1,
      "HTTP 500 from http://x/genre", GT_EHTTP);
  /* threads: arrival order differs from time order */
  gt_test_put_ms(rec, 1, 0, GT_EV_WAIT, 30, GT_R_NET, 0, "GET /genre", 0);
  gt_test_put_ms(rec, 1, 0, GT_EV_QUEUE, 25, 0, -1, "genre 0", 0);
  gt_test_put_ms(rec, 1, 0, GT_EV_FINISH, 40, 0, 0, "", 0);
  gt_test_put_ms(rec, 1, 0, GT_EV_START, 26, 0, 0, "GET /genre", 0);
  gt_test_put_ms(rec, 1, 0, GT_EV_RESUME, 35, 0, 0, "parse genre", 0);
  return rec;
}

/* Lanes: sorted by run and task, intervals in order and closed. */
static void
test_lanes(void **state)
{
  struct gt_recorder *rec = sample();
  struct gt_lanes l;
  const struct gt_lane *a, *b, *c;

  (void)state;
  gt_lanes_build(rec, &l);
  assert_int_equal(l.n, 3);
  a = &l.lane[0];
  b = &l.lane[1];
  c = &l.lane[2];
  assert_int_equal(a->run, 0);
  assert_int_equal(a->task, 0);
  assert_int_equal(b->task, 1);
  assert_int_equal(c->run, 1);
  assert_string_equal(gt_recorder_string(rec, a->name), "genre 0");
  /* queued, running, waiting net, running, waiting disk, running */
  assert_int_equal(a->niv, 6);
  assert_int_equal(a->iv[0].state, GT_S_QUEUED);
  assert_int_equal(a->iv[2].state, GT_S_WAITING);
  assert_int_equal(a->iv[2].reason, GT_R_NET);
  assert_int_equal(a->iv[2].end_ns - a->iv[2].start_ns, 8 * MS);
  assert_int_equal(a->iv[4].reason, GT_R_DISK);
  assert_true(a->finished);
  assert_int_equal(a->status, 0);
  /* the failing task ends inside its wait, with its error */
  assert_int_equal(b->status, GT_EHTTP);
  assert_string_equal(gt_recorder_string(rec, b->error),
      "HTTP 500 from http://x/genre");
  assert_int_equal(b->iv[b->niv - 1].state, GT_S_WAITING);
  /* out-of-order arrival is put back in time order */
  assert_int_equal(c->niv, 4);
  assert_int_equal(c->iv[0].state, GT_S_QUEUED);
  assert_int_equal(c->iv[1].state, GT_S_RUNNING);
  assert_int_equal(c->iv[2].state, GT_S_WAITING);
  assert_int_equal(c->iv[3].state, GT_S_RUNNING);
  assert_int_equal(c->iv[3].end_ns - gt_recorder_t0(rec), 40 * MS);
  gt_lanes_done(&l);
  gt_recorder_free(rec);
}

/* A task that never finished is closed at the session's last event. */
static void
test_lanes_unfinished(void **state)
{
  struct gt_recorder *rec = gt_recorder_new();
  struct gt_lanes l;

  (void)state;
  gt_test_put_ms(rec, 0, 0, GT_EV_QUEUE, 0, 0, -1, "a", 0);
  gt_test_put_ms(rec, 0, 0, GT_EV_START, 1, 0, 0, "a", 0);
  gt_test_put_ms(rec, 0, 0, GT_EV_WAIT, 2, GT_R_TIMER, 0, "sleep", 0);
  gt_test_put_ms(rec, 0, 1, GT_EV_QUEUE, 9, 0, -1, "b", 0);
  gt_lanes_build(rec, &l);
  assert_int_equal(l.n, 2);
  assert_false(l.lane[0].finished);
  assert_int_equal(l.lane[0].iv[2].end_ns - gt_recorder_t0(rec), 9 * MS);
  gt_lanes_done(&l);
  gt_recorder_free(rec);
}

/* Stats: wall, ok and failed, peaks. */
static void
test_stats(void **state)
{
  struct gt_recorder *rec = sample();
  struct gt_run_figures st[4];

  (void)state;
  assert_int_equal(gt_timeline_figures_of(rec, st, 4), 2);
  assert_string_equal(st[0].mode, "sync");
  assert_int_equal(st[0].ok, 1);
  assert_int_equal(st[0].failed, 1);
  assert_int_equal(st[0].wall_ns, 20 * MS);
  assert_int_equal(st[0].peak_net, 1);
  assert_int_equal(st[1].wall_ns, 15 * MS);
  assert_true(fabs(st[1].speedup - 20.0 / 15.0) < 1e-9);
  gt_recorder_free(rec);
}

/* The object under key in obj, or NULL. */
static yajl_val
get(yajl_val obj, const char *key)
{
  const char *path[] = { key, NULL };

  return yajl_tree_get(obj, path, yajl_t_any);
}

/* Read a whole file. */
static char *
slurp(const char *path)
{
  FILE *f = fopen(path, "r");
  char *buf = NULL;
  size_t len = 0;

  assert_non_null(f);
  FILE *m = open_memstream(&buf, &len);
  int c;

  while ((c = fgetc(f)) != EOF)
    fputc(c, m);
  fclose(m);
  fclose(f);
  return buf;
}

/* Export, parse back, check every promise of the format. */
static void
test_export_parses(void **state)
{
  struct gt_recorder *rec = sample();
  char dir[] = "/tmp/gt_chrome_XXXXXX", path[64], err[256];
  const char *what[] = { "traceEvents", NULL };
  yajl_val root, evs;
  double last_end[3][2] = {{0}};
  int procs = 0, threads = 0, slices = 0, instants = 0, failed = 0;
  char *text;
  size_t i;

  (void)state;
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof(path), "%s/t.json", dir);
  /* A locale with a decimal comma must not change the numbers. */
  setlocale(LC_NUMERIC, "de_DE.UTF-8");
  assert_int_equal(gt_chrome_export(rec, path, NULL), 0);
  setlocale(LC_NUMERIC, "C");
  text = slurp(path);
  root = yajl_tree_parse(text, err, sizeof(err));
  if (root == NULL)
    fail_msg("export does not parse: %s", err);
  evs = yajl_tree_get(root, what, yajl_t_array);
  assert_non_null(evs);
  for (i = 0; i < YAJL_GET_ARRAY(evs)->len; i++) {
    yajl_val e = YAJL_GET_ARRAY(evs)->values[i];
    const char *ph = YAJL_GET_STRING(get(e, "ph"));
    const char *name = YAJL_GET_STRING(get(e, "name"));
    yajl_val args = get(e, "args");
    long long pid = YAJL_GET_INTEGER(get(e, "pid"));
    long long tid = YAJL_GET_INTEGER(get(e, "tid"));

    assert_non_null(ph);
    assert_non_null(name);
    assert_non_null(get(e, "cat"));
    assert_non_null(get(e, "ts"));
    if (strcmp(ph, "M") == 0) {
      assert_true(YAJL_IS_INTEGER(get(e, "ts")));
      assert_int_equal(YAJL_GET_INTEGER(get(e, "ts")), 0);
      if (strcmp(name, "process_name") == 0) {
        const char *n = YAJL_GET_STRING(get(args, "name"));

        assert_string_equal(n, pid == 1 ? "sync" : "threads");
        procs++;
      } else if (strcmp(name, "thread_name") == 0) {
        const char *n = YAJL_GET_STRING(get(args, "name"));

        if (pid == 1 && tid == 2)
          assert_string_equal(n, "genre \"1\"\n");
        else
          assert_string_equal(n, "genre 0");
        threads++;
      }
    } else if (strcmp(ph, "X") == 0) {
      double ts = YAJL_GET_DOUBLE(get(e, "ts"));
      double dur = YAJL_GET_DOUBLE(get(e, "dur"));
      const char *cat = YAJL_GET_STRING(get(e, "cat"));

      assert_in_range(pid, 1, 2);
      assert_in_range(tid, 1, 2);
      assert_true(dur > 0);
      assert_true(ts + 0.0005 >= last_end[pid][tid - 1]);
      last_end[pid][tid - 1] = ts + dur;
      assert_non_null(get(args, "task"));
      assert_non_null(get(args, "worker"));
      if (strcmp(cat, "waiting") == 0)
        assert_non_null(YAJL_GET_STRING(get(args, "reason")));
      else
        assert_true(strcmp(cat, "running") == 0
            || strcmp(cat, "queued") == 0);
      slices++;
    } else if (strcmp(ph, "i") == 0) {
      instants++;
      if (YAJL_GET_INTEGER(get(args, "status")) != 0) {
        assert_string_equal(YAJL_GET_STRING(get(args, "error")),
            "HTTP 500 from http://x/genre");
        failed++;
      }
    }
  }
  assert_int_equal(procs, 2);
  assert_int_equal(threads, 3);
  assert_int_equal(slices, 6 + 3 + 4);
  assert_int_equal(instants, 3);
  assert_int_equal(failed, 1);
  /* fractional microseconds, C locale: the disk wait started at 11 ms */
  assert_non_null(strstr(text, "\"ts\":11000.000"));
  yajl_tree_free(root);
  free(text);
  unlink(path);
  rmdir(dir);
  gt_recorder_free(rec);
}

/* An unwritable path is an error naming it, and leaves no file. */
static void
test_export_unwritable(void **state)
{
  struct gt_recorder *rec = sample();
  char *cause = NULL;
  struct stat sb;

  (void)state;
  assert_true(gt_chrome_export(rec, "/nonexistent-dir/x/t.json", &cause) < 0);
  assert_non_null(cause);
  assert_non_null(strstr(cause, "/nonexistent-dir/x/t.json"));
  assert_int_not_equal(stat("/nonexistent-dir/x/t.json", &sb), 0);
  free(cause);
  gt_recorder_free(rec);
}

/* The writer's numbers and escapes. */
static void
test_jsonw(void **state)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  struct gt_jsonw w;

  (void)state;
  gt_jsonw_init(&w, f);
  gt_jsonw_us(&w, 1234567);
  gt_jsonw_lit(&w, " ");
  gt_jsonw_us(&w, -5);
  gt_jsonw_lit(&w, " ");
  gt_jsonw_us(&w, 0);
  gt_jsonw_lit(&w, " ");
  gt_jsonw_i64(&w, INT64_MIN);
  gt_jsonw_lit(&w, " ");
  gt_jsonw_f3(&w, 4.97349);
  gt_jsonw_lit(&w, " ");
  gt_jsonw_f3(&w, 1.0);
  gt_jsonw_lit(&w, " ");
  gt_jsonw_f3(&w, -0.25);
  gt_jsonw_lit(&w, " ");
  gt_jsonw_f3(&w, NAN);
  gt_jsonw_lit(&w, " ");
  gt_jsonw_str(&w, "a\"b\\c\n\x01é");
  gt_jsonw_lit(&w, " ");
  /* not UTF-8: a lone 0xff, a truncated sequence, an overlong '/', a
   * surrogate; then a valid 4-byte sequence */
  gt_jsonw_str(&w, "x\xffy\xe2\x82z\xc0\xaf\xed\xa0\x80\xf0\x9f\x98\x80");
  assert_int_equal(gt_jsonw_done(&w), 0);
  fclose(f);
  assert_string_equal(buf, "1234.567 -0.005 0.000 -9223372036854775808 "
      "4.973 1 -0.25 null \"a\\\"b\\\\c\\n\\u0001é\" "
      "\"x\\ufffdy\\ufffd\\ufffdz\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd"
      "\xf0\x9f\x98\x80\"");
  free(buf);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_lanes),
    cmocka_unit_test(test_lanes_unfinished),
    cmocka_unit_test(test_stats),
    cmocka_unit_test(test_export_parses),
    cmocka_unit_test(test_export_unwritable),
    cmocka_unit_test(test_jsonw),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
