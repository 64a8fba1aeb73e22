/*
 * tests/test_chrome.c: events to lanes, lanes to Chrome JSON, and the JSON
 * parsed back with yajl: names, slices, no overlap per tid, failures; the
 * writing rule of format 2 (whole microseconds, the ns past them beside)
 * and format 1's three decimals read back to the same ns.
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
  /* whole microseconds (format 2), C locale: the disk wait started at
   * 11 ms */
  assert_non_null(strstr(text, "\"ts\":11000,\"dur\":1000,"
      "\"ts_sub_ns\":0,\"end_sub_ns\":0,"));
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

/* An event at t0 + ns (the helper truncates ms * 1e6: a quarter ns more
 * lands it on ns whatever the double's rounding). */
static void
put_ns(struct gt_recorder *rec, uint32_t task, int kind, uint64_t ns,
    int reason, int32_t worker, const char *label)
{
  gt_test_put_ms(rec, 0, task, kind, ((double)ns + 0.25) / 1e6, reason,
      worker, label, 0);
}

/* Export rec to a temporary file and return its text (malloc'd); the file
 * is removed. */
static char *
export_text(struct gt_recorder *rec)
{
  char dir[] = "/tmp/gt_chrome_XXXXXX", path[64];
  char *text;

  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof(path), "%s/t.json", dir);
  assert_int_equal(gt_chrome_export(rec, path, NULL), 0);
  text = slurp(path);
  unlink(path);
  rmdir(dir);
  return text;
}

/* Import text (a file's whole content) into a new recorder. */
static struct gt_recorder *
import_text(const char *text)
{
  char dir[] = "/tmp/gt_chrome_XXXXXX", path[64];
  struct gt_recorder *rec = gt_recorder_new();
  struct gt_import_report rep;
  char *cause = NULL;
  FILE *f;

  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof(path), "%s/t.json", dir);
  f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  if (gt_chrome_import(rec, path, &rep, NULL, NULL, &cause) != 0)
    fail_msg("import: %s", cause);
  assert_true(rep.gantty);
  unlink(path);
  rmdir(dir);
  return rec;
}

/* The writing rule (docs/trace-format.md, issue 14 item 10), worked out
 * by hand.  A boundary at t ns is written as the microsecond floor(t /
 * 1000) and the ns past it; a slice from s to e is "ts" floor(s / 1000),
 * "dur" floor(e / 1000) - floor(s / 1000), so ts + dur is the next
 * slice's ts.  Task 0: queued 165 034 ns, runs 165 300 (the same
 * microsecond: the queued state is an "i" of cat queued), waits from
 * 201 686 082 (the 165.034 + 201521.048), finishes 201 700 500.
 * Task 1 is queued at 50 999 and never finishes: its slice ends at the
 * session's last event, 201 700 500.  Export, import, export gives the
 * same text. */
static void
test_export_exact(void **state)
{
  struct gt_recorder *rec = gt_recorder_new(), *back;
  char *text, *again;

  (void)state;
  gt_test_run(rec, "sync", 1, 2, -1, -1);
  put_ns(rec, 0, GT_EV_QUEUE, 165034, 0, -1, "a");
  put_ns(rec, 0, GT_EV_START, 165300, 0, 0, "GET /genre");
  put_ns(rec, 0, GT_EV_WAIT, 201686082, GT_R_NET, 0, "GET /genre");
  put_ns(rec, 0, GT_EV_FINISH, 201700500, 0, 0, "");
  put_ns(rec, 1, GT_EV_QUEUE, 50999, 0, -1, "b");
  text = export_text(rec);
  assert_non_null(strstr(text, "{\"ph\":\"i\",\"s\":\"t\",\"cat\":"
      "\"queued\",\"name\":\"a\",\"ts\":165,\"ts_sub_ns\":34,"
      "\"end_sub_ns\":300,\"pid\":1,\"tid\":1,\"args\":{\"task\":0,"
      "\"worker\":-1}},\n"));
  assert_non_null(strstr(text, "{\"ph\":\"X\",\"cat\":\"running\","
      "\"name\":\"GET /genre\",\"ts\":165,\"dur\":201521,"
      "\"ts_sub_ns\":300,\"end_sub_ns\":82,\"pid\":1,\"tid\":1,"));
  assert_non_null(strstr(text, "{\"ph\":\"X\",\"cat\":\"waiting\","
      "\"name\":\"GET /genre\",\"ts\":201686,\"dur\":14,"
      "\"ts_sub_ns\":82,\"end_sub_ns\":500,\"pid\":1,\"tid\":1,"));
  assert_non_null(strstr(text, "{\"ph\":\"i\",\"s\":\"t\",\"cat\":"
      "\"finish\",\"name\":\"done\",\"ts\":201700,\"ts_sub_ns\":500,"
      "\"pid\":1,\"tid\":1,"));
  assert_non_null(strstr(text, "{\"ph\":\"X\",\"cat\":\"queued\","
      "\"name\":\"b\",\"ts\":50,\"dur\":201650,\"ts_sub_ns\":999,"
      "\"end_sub_ns\":500,\"pid\":1,\"tid\":2,"));
  assert_non_null(strstr(text, "\"format\":2}}"));
  /* no decimals in any ts or dur */
  assert_null(strstr(text, "\"ts\":165."));
  back = import_text(text);
  again = export_text(back);
  assert_string_equal(again, text);
  free(again);
  free(text);
  gt_recorder_free(back);
  gt_recorder_free(rec);
}

/* A format 1 file (three decimals, no ns beside) reads back to the same
 * ns as before: written again, it is format 2 with those ns.  Task 0
 * queued at 165.034 us for 0.266, runs 165.300 for 201520.782, finishes
 * at 201686.082; the run from 100 us to 201686.082. */
static void
test_import_format1(void **state)
{
  const char *old = "{\"traceEvents\":[\n"
      "{\"ph\":\"M\",\"cat\":\"__metadata\",\"ts\":0,\"name\":"
      "\"process_name\",\"pid\":1,\"tid\":0,\"args\":{\"name\":\"sync\","
      "\"workers\":1,\"tasks\":1,\"traits\":\"baseline\","
      "\"start_us\":100.000,\"end_us\":201686.082}},\n"
      "{\"ph\":\"M\",\"cat\":\"__metadata\",\"ts\":0,\"name\":"
      "\"thread_name\",\"pid\":1,\"tid\":1,\"args\":{\"name\":\"a\"}},\n"
      "{\"ph\":\"X\",\"cat\":\"queued\",\"name\":\"a\",\"ts\":165.034,"
      "\"dur\":0.266,\"pid\":1,\"tid\":1,\"args\":{\"task\":0,"
      "\"worker\":-1}},\n"
      "{\"ph\":\"X\",\"cat\":\"running\",\"name\":\"GET /genre\","
      "\"ts\":165.300,\"dur\":201520.782,\"pid\":1,\"tid\":1,\"args\":"
      "{\"task\":0,\"worker\":0}},\n"
      "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"finish\",\"name\":\"done\","
      "\"ts\":201686.082,\"pid\":1,\"tid\":1,\"args\":{\"task\":0,"
      "\"status\":0}},\n"
      "{\"ph\":\"M\",\"cat\":\"__metadata\",\"ts\":0,\"name\":"
      "\"gantty\",\"pid\":0,\"tid\":0,\"args\":{\"t0_ns\":5,"
      "\"format\":1}}\n]}\n";
  struct gt_recorder *rec = import_text(old);
  char *text = export_text(rec);

  (void)state;
  assert_non_null(strstr(text, "\"start_us\":100.000,"
      "\"end_us\":201686.082}}"));
  assert_non_null(strstr(text, "{\"ph\":\"i\",\"s\":\"t\",\"cat\":"
      "\"queued\",\"name\":\"a\",\"ts\":165,\"ts_sub_ns\":34,"
      "\"end_sub_ns\":300,"));
  assert_non_null(strstr(text, "\"ts\":165,\"dur\":201521,"
      "\"ts_sub_ns\":300,\"end_sub_ns\":82,"));
  assert_non_null(strstr(text, "\"cat\":\"finish\",\"name\":\"done\","
      "\"ts\":201686,\"ts_sub_ns\":82,"));
  free(text);
  gt_recorder_free(rec);
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
    cmocka_unit_test(test_export_exact),
    cmocka_unit_test(test_import_format1),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
