/*
 * tests/test_report.c: the headless report (table, chart, legend) and the
 * summary JSON, from a hand-written session.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <locale.h>
#include <yajl/yajl_tree.h>

#include "base.h"
#include "chrome.h"
#include "lanes.h"
#include "recorder.h"
#include "report.h"
#include "timeline.h"
#include "support/session.h"

/* sync: two tasks of 100 ms net waits, one after the other, the second
 * failing; threads: both at once. */
static struct gt_recorder *
sample(void)
{
  struct gt_recorder *rec = gt_recorder_new();
  unsigned t;

  gt_test_run(rec, "sync", 1, 2, 0, 200000);
  gt_test_run(rec, "threads", 2, 2, 200000, 300000);
  for (t = 0; t < 2; t++) {
    gt_test_put_ms(rec, 0, t, GT_EV_QUEUE, 0, 0, 0,
        t ? "genre 1" : "genre 0", 0);
    gt_test_put_ms(rec, 0, t, GT_EV_START, 100 * t, 0, 0, "GET /genre", 0);
    gt_test_put_ms(rec, 0, t, GT_EV_WAIT, 100 * t, GT_R_NET, 0,
        "GET /genre", 0);
    if (t == 0) {
      gt_test_put_ms(rec, 0, t, GT_EV_RESUME, 100, 0, 0, "parse", 0);
      gt_test_put_ms(rec, 0, t, GT_EV_FINISH, 100, 0, 0, "", 0);
    } else {
      gt_test_put_ms(rec, 0, t, GT_EV_FINISH, 200, 0, 0, "HTTP 500 from x",
          -10002);
    }
    gt_test_put_ms(rec, 1, t, GT_EV_QUEUE, 200, 0, 0,
        t ? "genre 1" : "genre 0", 0);
    gt_test_put_ms(rec, 1, t, GT_EV_START, 200, 0, 0, "GET /genre", 0);
    gt_test_put_ms(rec, 1, t, GT_EV_WAIT, 200, GT_R_NET, 0, "GET /genre", 0);
    gt_test_put_ms(rec, 1, t, GT_EV_RESUME, 300, 0, 0, "parse", 0);
    gt_test_put_ms(rec, 1, t, GT_EV_FINISH, 300, 0, 0, "", 0);
  }
  return rec;
}

/* The report of sample() as text. */
static char *
report(int ascii)
{
  struct gt_recorder *rec = sample();
  struct gt_report_opts o = { .ascii = ascii, .width = 80 };
  struct gt_run_figures st[4];
  struct gt_lanes l;
  char *buf = NULL;
  size_t len = 0, n;
  FILE *f = open_memstream(&buf, &len);

  gt_lanes_build(rec, &l);
  n = gt_timeline_figures_of(rec, st, 4);
  gt_report_print(f, rec, &l, st, n, &o);
  fclose(f);
  gt_lanes_done(&l);
  gt_recorder_free(rec);
  return buf;
}

/* The line of text that contains needle after the point from. */
static char *
line_with(const char *text, const char *from, const char *needle)
{
  const char *p = strstr(text, from), *q, *e;

  assert_non_null(p);
  q = strstr(p, needle);
  assert_non_null(q);
  while (q > text && q[-1] != '\n')
    q--;
  e = strchr(q, '\n');
  return strndup(q, e ? (size_t)(e - q) : strlen(q));
}

/* Table, rows per lane, glyphs, failure text. */
static void
test_report_utf8(void **state)
{
  char *r = report(0), *row;

  (void)state;
  assert_non_null(strstr(r, "sync"));
  assert_non_null(strstr(r, "threads"));
  assert_non_null(strstr(r, "2.00x"));          /* 200 ms / 100 ms */
  row = line_with(r, "\nsync:", "genre 1");
  assert_non_null(strstr(row, "·"));            /* queued first */
  assert_non_null(strstr(row, "░"));            /* then waiting on net */
  assert_non_null(strstr(row, "✗ HTTP 500 from x"));
  free(row);
  row = line_with(r, "\nthreads:", "genre 1");
  assert_null(strstr(row, "·"));                /* never queued */
  assert_non_null(strstr(row, "░"));
  assert_null(strstr(row, "✗"));
  free(row);
  assert_non_null(strstr(r, "░ net"));
  /* gantty's own runs keep its words (issue 14 changes a foreign
   * trace's only) */
  assert_true(strncmp(r, "mode       workers        wall  speedup    ok  "
      "failed in flight\n", 62) == 0);
  assert_non_null(strstr(r, "\nsync: 1 worker, 200.0 ms\n"));
  assert_non_null(strstr(r, "  · queued  █ running"));
  free(r);
}

/* --ascii uses no byte above 0x7f. */
static void
test_report_ascii(void **state)
{
  char *r = report(1), *row, *p;

  (void)state;
  for (p = r; *p != '\0'; p++)
    assert_true((unsigned char)*p < 0x80);
  row = line_with(r, "\nsync:", "genre 1");
  assert_non_null(strstr(row, "."));
  assert_non_null(strstr(row, "-"));
  assert_non_null(strstr(row, "X HTTP 500 from x"));
  free(row);
  free(r);
}

/* The summary parses back with the promised fields. */
static void
test_summary(void **state)
{
  struct gt_recorder *rec = sample();
  struct gt_run_figures st[4];
  struct gt_lanes l;
  char dir[] = "/tmp/gt_report_XXXXXX", *path, text[4096], err[128];
  const char *runs_path[] = { "runs", NULL };
  const char *k_mode[] = { "mode", NULL }, *k_ok[] = { "ok", NULL };
  const char *k_failed[] = { "failed", NULL }, *k_wall[] = { "wall_ms", NULL };
  const char *k_speed[] = { "speedup_vs_sync", NULL };
  const char *k_workers[] = { "workers", NULL };
  yajl_val root, runs, r1;
  size_t n, got;
  FILE *f;

  (void)state;
  assert_non_null(mkdtemp(dir));
  path = gt_xasprintf("%s/s.json", dir);
  gt_lanes_build(rec, &l);
  n = gt_timeline_figures_of(rec, st, 4);
  assert_int_equal(gt_summary_write(path, "genre", 2, NULL, st, n, NULL,
      NULL), 0);
  f = fopen(path, "r");
  got = fread(text, 1, sizeof(text) - 1, f);
  text[got] = '\0';
  fclose(f);
  root = yajl_tree_parse(text, err, sizeof(err));
  assert_non_null(root);
  runs = yajl_tree_get(root, runs_path, yajl_t_array);
  assert_int_equal(YAJL_GET_ARRAY(runs)->len, 2);
  r1 = YAJL_GET_ARRAY(runs)->values[1];
  assert_string_equal(YAJL_GET_STRING(yajl_tree_get(r1, k_mode,
      yajl_t_string)), "threads");
  assert_int_equal(YAJL_GET_INTEGER(yajl_tree_get(r1, k_ok, yajl_t_number)), 2);
  assert_int_equal(YAJL_GET_INTEGER(yajl_tree_get(r1, k_failed,
      yajl_t_number)), 0);
  assert_int_equal(YAJL_GET_INTEGER(yajl_tree_get(r1, k_workers,
      yajl_t_number)), 2);
  assert_true(YAJL_GET_DOUBLE(yajl_tree_get(r1, k_wall, yajl_t_number))
      == 100.0);
  assert_true(YAJL_GET_DOUBLE(yajl_tree_get(r1, k_speed, yajl_t_number))
      == 2.0);
  r1 = YAJL_GET_ARRAY(runs)->values[0];
  assert_int_equal(YAJL_GET_INTEGER(yajl_tree_get(r1, k_failed,
      yajl_t_number)), 1);
  yajl_tree_free(root);
  gt_lanes_done(&l);
  unlink(path);
  rmdir(dir);
  free(path);
  gt_recorder_free(rec);
}

/* A session whose clock starts at 0: an event at time 0 is the first
 * (it used to count as "none yet", so the chart's origin was a later
 * event, an interval's offset wrapped, and the double-to-unsigned column
 * overflowed), and the row starts with it. */
static void
test_report_time_zero(void **state)
{
  struct gt_recorder *rec = gt_recorder_new();
  struct gt_report_opts o = { .ascii = 1, .width = 80 };
  struct gt_run_figures st[1];
  struct gt_lanes l;
  char *buf = NULL, *row;
  size_t len = 0, n;
  FILE *f = open_memstream(&buf, &len);

  (void)state;
  gt_recorder_set_t0(rec, 0);
  gt_test_run(rec, "sync", 1, 2, 0, 4000);
  gt_test_queue(rec, 0, 0, 0, "first");
  gt_test_start(rec, 0, 0, 2000, 0);
  gt_test_finish(rec, 0, 0, 4000, 0, 0);
  gt_test_queue(rec, 0, 1, 1000, "second");
  gt_test_start(rec, 0, 1, 3000, 0);
  gt_test_finish(rec, 0, 1, 4000, 0, 0);
  gt_lanes_build(rec, &l);
  assert_int_equal(l.first_ns, 0);
  assert_int_equal(l.last_ns, 4000000);
  n = gt_timeline_figures_of(rec, st, 1);
  gt_report_print(f, rec, &l, st, n, &o);
  fclose(f);
  row = line_with(buf, "\nsync:", "first");
  assert_non_null(strstr(row, "first  ."));  /* queued from column 0 */
  assert_non_null(strstr(row, "#"));
  free(row);
  gt_lanes_done(&l);
  free(buf);
  gt_recorder_free(rec);
}

/* The columns before the first '.' of row, CJK characters (3 bytes in
 * UTF-8) taking 2. */
static size_t
cols_to_dot(const char *row, size_t ncjk)
{
  const char *dot = strchr(row + 2, '.');

  assert_non_null(dot);
  return (size_t)(dot - row) - ncjk;
}

/* Labels are measured in terminal columns: a CJK name (2 columns a
 * character) starts its chart in the same column as an ASCII one (they
 * were counted one a character, pushing its row right). */
static void
test_report_wide_names(void **state)
{
  struct gt_recorder *rec = gt_recorder_new();
  struct gt_report_opts o = { .ascii = 1, .width = 80 };
  struct gt_run_figures st[1];
  struct gt_lanes l;
  char *buf = NULL, *a, *b;
  size_t len = 0, n;
  FILE *f;

  (void)state;
  if (setlocale(LC_ALL, "C.UTF-8") == NULL)
    skip();
  f = open_memstream(&buf, &len);
  gt_recorder_set_t0(rec, 0);
  gt_test_run(rec, "sync", 1, 2, 0, 4000);
  gt_test_queue(rec, 0, 0, 0, "abc");
  gt_test_finish(rec, 0, 0, 4000, 0, 0);
  gt_test_queue(rec, 0, 1, 0, "\u4e2d\u6587\u540d\u5b57");
  gt_test_finish(rec, 0, 1, 4000, 0, 0);
  gt_lanes_build(rec, &l);
  n = gt_timeline_figures_of(rec, st, 1);
  gt_report_print(f, rec, &l, st, n, &o);
  fclose(f);
  a = line_with(buf, "\nsync:", "  abc");
  b = line_with(buf, "\nsync:", "\u4e2d\u6587");
  if (cols_to_dot(a, 0) != cols_to_dot(b, 4))
    fail_msg("chart starts at column %zu and %zu:\n%s\n%s",
        cols_to_dot(a, 0), cols_to_dot(b, 4), a, b);
  free(a);
  free(b);
  gt_lanes_done(&l);
  free(buf);
  gt_recorder_free(rec);
  setlocale(LC_ALL, "C");
}

/* Every value of the table fits its column: a run a million times (and
 * 1e14 times) faster than sync printed "100000000000000" with no x, out
 * of line. */
static void
test_report_huge_speedup(void **state)
{
  static const struct { const char *mode; long long end_us; } runs[] = {
    { "sync", 100000000000000ll }, { "threads", 100000000ll },
    { "async", 1 },
  };
  struct gt_recorder *rec = gt_recorder_new();
  struct gt_report_opts o = { .ascii = 1, .width = 80, .table_only = 1 };
  struct gt_run_figures st[3];
  struct gt_lanes l;
  char *buf = NULL, *line, *next;
  const char *h;
  size_t len = 0, n, wall_end, speed_end, rows = 0;
  uint16_t r;
  FILE *f = open_memstream(&buf, &len);

  (void)state;
  gt_recorder_set_t0(rec, 0);
  for (r = 0; r < 3; r++) {
    gt_test_run(rec, runs[r].mode, 1, 1, 0, runs[r].end_us);
    gt_test_queue(rec, r, 0, 0, "t");
    gt_test_start(rec, r, 0, 0, 0);
    gt_test_finish(rec, r, 0, (uint64_t)runs[r].end_us, 0, 0);
  }
  gt_lanes_build(rec, &l);
  n = gt_timeline_figures_of(rec, st, 3);
  assert_int_equal(n, 3);
  assert_true(st[2].speedup > 1e13);
  gt_report_print(f, rec, &l, st, n, &o);
  fclose(f);
  h = strstr(buf, "wall");
  assert_non_null(h);
  wall_end = (size_t)(h - buf) + 4;
  h = strstr(buf, "speedup");
  assert_non_null(h);
  speed_end = (size_t)(h - buf) + 7;
  for (line = strchr(buf, '\n') + 1; *line != '\0'; line = next + 1) {
    next = strchr(line, '\n');
    assert_non_null(next);
    if (next == line)
      break;
    rows++;
    if ((size_t)(next - line) <= speed_end || line[speed_end - 1] != 'x'
        || line[speed_end] != ' ' || line[wall_end - 1] != 's'
        || line[wall_end] != ' ')
      fail_msg("a value out of its column (wall ends at %zu, speedup at "
          "%zu):\n%s", wall_end, speed_end, buf);
  }
  assert_int_equal(rows, 3);  /* sync's own 1.00x too */
  gt_lanes_done(&l);
  free(buf);
  gt_recorder_free(rec);
}

/* Another tool's trace, written by hand and imported as replay does:
 * Renderer (pid 9) has Main, in slices Layout 0-400 us and Paint
 * 600-1000 us, and Raster (tid 4), in one slice 100-300 us; a thread
 * with only its name draws nothing.  GPU (pid 12) has Submit, B at 50 and
 * E at 850 us, and Open, a B at 900 us never ended.  Worked out by hand:
 * Renderer has 2 threads, spans 1.0 ms, is busy 800 + 200 us = 1.0 ms,
 * idle 200 us (Main's gap) and has at most 2 threads in a slice at once
 * (100-300 us); GPU has 2 threads, one with a slice open at the end. */
static const char foreign_json[] =
    "{\"traceEvents\":[\n"
    "{\"ph\":\"M\",\"pid\":9,\"tid\":0,\"name\":\"process_name\","
    "\"args\":{\"name\":\"Renderer\"}},\n"
    "{\"ph\":\"M\",\"pid\":9,\"tid\":3,\"name\":\"thread_name\","
    "\"args\":{\"name\":\"Main\"}},\n"
    "{\"ph\":\"M\",\"pid\":9,\"tid\":4,\"name\":\"thread_name\","
    "\"args\":{\"name\":\"Raster\"}},\n"
    "{\"ph\":\"M\",\"pid\":9,\"tid\":5,\"name\":\"thread_name\","
    "\"args\":{\"name\":\"OnlyMeta\"}},\n"
    "{\"ph\":\"X\",\"pid\":9,\"tid\":3,\"ts\":0,\"dur\":400,"
    "\"name\":\"Layout\"},\n"
    "{\"ph\":\"X\",\"pid\":9,\"tid\":3,\"ts\":600,\"dur\":400,"
    "\"name\":\"Paint\"},\n"
    "{\"ph\":\"X\",\"pid\":9,\"tid\":4,\"ts\":100,\"dur\":200,"
    "\"name\":\"Raster\"},\n"
    "{\"ph\":\"M\",\"pid\":12,\"tid\":0,\"name\":\"process_name\","
    "\"args\":{\"name\":\"GPU\"}},\n"
    "{\"ph\":\"M\",\"pid\":12,\"tid\":1,\"name\":\"thread_name\","
    "\"args\":{\"name\":\"Submit\"}},\n"
    "{\"ph\":\"M\",\"pid\":12,\"tid\":2,\"name\":\"thread_name\","
    "\"args\":{\"name\":\"Open\"}},\n"
    "{\"ph\":\"B\",\"pid\":12,\"tid\":1,\"ts\":50,\"name\":\"Submit\"},\n"
    "{\"ph\":\"E\",\"pid\":12,\"tid\":1,\"ts\":850},\n"
    "{\"ph\":\"B\",\"pid\":12,\"tid\":2,\"ts\":900,\"name\":\"Wait\"}\n"
    "]}\n";

/* A recorder holding foreign_json, imported from a file in dir. */
static struct gt_recorder *
foreign_import(const char *dir)
{
  struct gt_recorder *rec = gt_recorder_new();
  char *path = gt_xasprintf("%s/foreign.json", dir), *cause = NULL;
  FILE *f = fopen(path, "w");

  assert_non_null(f);
  fputs(foreign_json, f);
  assert_int_equal(fclose(f), 0);
  if (gt_chrome_import(rec, path, NULL, NULL, NULL, &cause) != 0)
    fail_msg("import: %s", cause);
  unlink(path);
  free(path);
  return rec;
}

/* The report of a foreign trace speaks of processes, threads, busy and
 * idle; none of gantty's run words (issue 14 item 9).  Every run of the
 * file is foreign: a file is another tool's or gantty's, not both. */
static void
test_report_foreign(void **state)
{
  static const char *const run_words[] = { "mode", "worker", "wall",
    "speedup", " ok", "failed", "in flight", "verdict", "ideal", "queued",
    "running", "fastest", "won", "≈", "task", "unfinished" };
  char dir[] = "/tmp/gt_report_XXXXXX";
  struct gt_report_opts o = { .width = 80 };
  struct gt_recorder *rec;
  struct gt_report_verdict rv;
  struct gt_timeline *tl;
  struct gt_run_figures st[4];
  struct gt_run_info ri;
  struct gt_lanes l;
  char *buf = NULL, *row;
  size_t len = 0, n, k;
  uint16_t r;
  FILE *f;

  (void)state;
  assert_non_null(mkdtemp(dir));
  rec = foreign_import(dir);
  for (r = 0; r < gt_recorder_runs(rec); r++) {
    assert_int_equal(gt_recorder_run_get(rec, r, &ri), 0);
    assert_true(ri.flags & GT_RUN_FOREIGN);
  }
  tl = gt_timeline_of(rec);
  gt_lanes_from(tl, &l);
  n = gt_timeline_figures_all(tl, GT_FIG_PEAKS, st, 4);
  assert_int_equal(n, 2);
  gt_report_verdict_of(tl, 0, &rv);
  o.verdict = &rv;                /* given, and still not printed */
  f = open_memstream(&buf, &len);
  gt_report_print(f, rec, &l, st, n, &o);
  fclose(f);

  assert_true(strncmp(buf, "process    threads        span        busy  "
      "      idle most busy\n", 64) == 0);
  row = line_with(buf, "", "Renderer ");
  assert_string_equal(row, "Renderer         2      1.0 ms      1.0 ms  "
      "    0.2 ms         2");
  free(row);
  row = line_with(buf, "", "GPU ");
  assert_true(strncmp(row, "GPU              2 ", 19) == 0);
  free(row);
  assert_non_null(strstr(buf, "\nRenderer: 2 threads, 1.0 ms\n"));
  assert_non_null(strstr(buf, "\nGPU: 2 threads, "));
  row = line_with(buf, "\nGPU:", "  Open ");
  assert_non_null(strstr(row, " (a slice open at the end)"));
  free(row);
  assert_null(strstr(buf, "OnlyMeta"));     /* only metadata: no lane */
  assert_non_null(strstr(buf, "  · idle  █ busy (in a slice)\n"));
  for (k = 0; k < sizeof(run_words) / sizeof(run_words[0]); k++)
    if (strstr(buf, run_words[k]) != NULL)
      fail_msg("the report of another tool's trace says \"%s\":\n%s",
          run_words[k], buf);

  gt_report_verdict_done(&rv);
  gt_lanes_done(&l);
  gt_timeline_free(tl);
  gt_recorder_free(rec);
  free(buf);
  rmdir(dir);
}

/* The summary of a foreign trace holds its processes: threads, span,
 * busy, idle, most busy, open slices; no runs, modes or verdict. */
static void
test_summary_foreign(void **state)
{
  static const char *const absent[] = { "runs", "modes", "verdict",
    "tasks", "contention_warning" };
  char dir[] = "/tmp/gt_report_XXXXXX", *path, text[4096], err[128];
  const char *k_foreign[] = { "foreign", NULL };
  const char *k_threads[] = { "threads", NULL };
  const char *k_procs[] = { "processes", NULL };
  const char *k_name[] = { "process", NULL }, *k_span[] = { "span_ms", NULL };
  const char *k_busy[] = { "busy_ms", NULL }, *k_idle[] = { "idle_ms", NULL };
  const char *k_most[] = { "most_busy", NULL }, *k_open[] = { "open", NULL };
  const char *k_any[2] = { NULL, NULL };
  struct gt_report_verdict rv;
  struct gt_recorder *rec;
  struct gt_timeline *tl;
  struct gt_run_figures st[4];
  yajl_val root, procs, p;
  size_t n, got, k;
  FILE *f;

  (void)state;
  assert_non_null(mkdtemp(dir));
  rec = foreign_import(dir);
  tl = gt_timeline_of(rec);
  n = gt_timeline_figures_all(tl, GT_FIG_PEAKS, st, 4);
  gt_report_verdict_of(tl, 0, &rv);
  path = gt_xasprintf("%s/s.json", dir);
  assert_int_equal(gt_summary_write(path, NULL, 0, gt_recorder_settings(rec),
      st, n, &rv, NULL), 0);
  f = fopen(path, "r");
  got = fread(text, 1, sizeof(text) - 1, f);
  text[got] = '\0';
  fclose(f);
  root = yajl_tree_parse(text, err, sizeof(err));
  if (root == NULL)
    fail_msg("%s: %s", err, text);
  assert_true(YAJL_IS_TRUE(yajl_tree_get(root, k_foreign, yajl_t_any)));
  assert_int_equal(YAJL_GET_INTEGER(yajl_tree_get(root, k_threads,
      yajl_t_number)), 4);
  for (k = 0; k < sizeof(absent) / sizeof(absent[0]); k++) {
    k_any[0] = absent[k];
    if (yajl_tree_get(root, k_any, yajl_t_any) != NULL)
      fail_msg("the summary of a foreign trace has \"%s\": %s", absent[k],
          text);
  }
  procs = yajl_tree_get(root, k_procs, yajl_t_array);
  assert_non_null(procs);
  assert_int_equal(YAJL_GET_ARRAY(procs)->len, 2);
  p = YAJL_GET_ARRAY(procs)->values[0];
  assert_string_equal(YAJL_GET_STRING(yajl_tree_get(p, k_name,
      yajl_t_string)), "Renderer");
  assert_int_equal(YAJL_GET_INTEGER(yajl_tree_get(p, k_threads,
      yajl_t_number)), 2);
  assert_true(YAJL_GET_DOUBLE(yajl_tree_get(p, k_span, yajl_t_number))
      == 1.0);
  assert_true(YAJL_GET_DOUBLE(yajl_tree_get(p, k_busy, yajl_t_number))
      == 1.0);
  assert_true(YAJL_GET_DOUBLE(yajl_tree_get(p, k_idle, yajl_t_number))
      == 0.2);
  assert_int_equal(YAJL_GET_INTEGER(yajl_tree_get(p, k_most,
      yajl_t_number)), 2);
  assert_int_equal(YAJL_GET_INTEGER(yajl_tree_get(p, k_open,
      yajl_t_number)), 0);
  p = YAJL_GET_ARRAY(procs)->values[1];
  assert_string_equal(YAJL_GET_STRING(yajl_tree_get(p, k_name,
      yajl_t_string)), "GPU");
  assert_int_equal(YAJL_GET_INTEGER(yajl_tree_get(p, k_open,
      yajl_t_number)), 1);
  yajl_tree_free(root);
  gt_report_verdict_done(&rv);
  gt_timeline_free(tl);
  gt_recorder_free(rec);
  unlink(path);
  free(path);
  rmdir(dir);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_report_utf8),
    cmocka_unit_test(test_report_ascii),
    cmocka_unit_test(test_summary),
    cmocka_unit_test(test_report_foreign),
    cmocka_unit_test(test_summary_foreign),
    cmocka_unit_test(test_report_time_zero),
    cmocka_unit_test(test_report_wide_names),
    cmocka_unit_test(test_report_huge_speedup),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
