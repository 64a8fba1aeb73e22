/*
 * tests/test_import.c: reading Chrome JSON back.  gantty's own traces come
 * back exactly (export, import, export gives the same file); other tools'
 * shapes (B/E per thread, X with args, the array form without its closing
 * bracket, unsorted events, names and sort indexes) become runs and lanes;
 * malformed files are refused with the byte offset and what was wrong.
 */
#define _GNU_SOURCE  /* mkstemps */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "base.h"
#include "chrome.h"
#include "export.h"
#include "lanes.h"
#include "recorder.h"
#include "timeline.h"
#include "support/session.h"
#include "support/splitmix.h"

/* A temporary file holding text; its path, malloc'd. */
static char *
write_tmp(const char *text, size_t len)
{
  char *path = gt_xstrdup("/tmp/gt_import_XXXXXX");
  int fd = mkstemp(path);

  assert_true(fd >= 0);
  assert_int_equal(write(fd, text, len), (ssize_t)len);
  close(fd);
  return path;
}

/* The whole file, malloc'd. */
static char *
slurp(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  char *buf;
  long n;

  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  rewind(f);
  buf = gt_xmalloc((size_t)n + 1);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  buf[n] = '\0';
  fclose(f);
  *len = (size_t)n;
  return buf;
}

/* A session with what a trace can hold: two runs with their metadata, a
 * task that waits on connect then net and succeeds, one that fails with
 * an error, one that never finishes, and one never started. */
static struct gt_recorder *
rich_session(void)
{
  struct gt_recorder *rec = gt_recorder_new();
  uint16_t a = gt_test_run(rec, "threads", 3, 3, 0, 9000);
  uint16_t b = gt_test_run(rec, "async", 1, 2, 10000, -1);

  gt_test_queue(rec, a, 0, 0, "genre 0");
  gt_test_start(rec, a, 0, 100, 0);
  gt_test_wait_on(rec, a, 0, 200, GT_R_CONNECT, 0);
  gt_test_put(rec, a, 0, GT_EV_WAIT, 1200, GT_R_NET, 0, "GET /genre", 0);
  gt_test_resume(rec, a, 0, 3000, 0);
  gt_test_finish(rec, a, 0, 3500, 0, 0);
  gt_test_queue(rec, a, 1, 0, "genre 1, \"quoted\"");
  gt_test_start(rec, a, 1, 150, 1);
  gt_test_wait_on(rec, a, 1, 160, GT_R_DISK, 1);
  gt_test_finish(rec, a, 1, 900, 1, GT_EHTTP);
  gt_test_queue(rec, a, 2, 0, "genre 2");
  gt_test_queue(rec, b, 0, 10000, "sleep 0");
  gt_test_start(rec, b, 0, 10000, 0);
  gt_test_wait_on(rec, b, 0, 10001, GT_R_TIMER, 0);
  gt_test_queue(rec, b, 1, 10000, "sleep 1");
  gt_test_start(rec, b, 1, 10002, 0);
  gt_test_wait_on(rec, b, 1, 10003, GT_R_GIL, 0);
  gt_test_resume(rec, b, 1, 10500, 0);
  return rec;
}

/* Export, import, export: the same bytes. */
static void
test_round_trip(void **state)
{
  struct gt_recorder *rec = rich_session(), *back = gt_recorder_new();
  char *a = gt_xstrdup("/tmp/gt_rt_a_XXXXXX.json");
  char *b = gt_xstrdup("/tmp/gt_rt_b_XXXXXX.json");
  struct gt_import_report rep;
  char *ta, *tb, *cause = NULL;
  size_t la, lb;
  int fd;

  (void)state;
  fd = mkstemps(a, 5);
  close(fd);
  fd = mkstemps(b, 5);
  close(fd);
  assert_int_equal(gt_chrome_export(rec, a, NULL), 0);
  assert_int_equal(gt_chrome_import(back, a, &rep, NULL, NULL, &cause), 0);
  assert_null(cause);
  assert_true(rep.gantty);
  assert_int_equal(rep.runs, 2);
  assert_int_equal(rep.tasks, 5);
  assert_int_equal(rep.skipped, 0);
  {
    struct gt_run_info ri;

    assert_int_equal(gt_recorder_run_get(back, 0, &ri), 0);
    assert_false(ri.flags & GT_RUN_FOREIGN);  /* gantty's own */
  }
  assert_int_equal(gt_chrome_export(back, b, NULL), 0);
  ta = slurp(a, &la);
  tb = slurp(b, &lb);
  if (la != lb || memcmp(ta, tb, la) != 0)
    fail_msg("the second export differs: diff %s %s", a, b);
  free(ta);
  free(tb);
  unlink(a);  /* kept when it failed, to compare */
  unlink(b);
  free(a);
  free(b);
  gt_recorder_free(back);
  gt_recorder_free(rec);
}

/* The state ready (issue 13): a wait for no core or a busy loop is
 * written as state "ready" with its reason, in the Chrome trace (cat) and
 * in the CSV (state column), and gantty reads its own file back to the
 * same lanes; the cores a run had travel as args.cores, the contention
 * it met as args.others_pm (issue 13: in every file).  By hand: task 0
 * runs 1..2 us, ready(no core) 2..5, runs 5..6, waits net 6..8, ready
 * (loop busy) 8..9, runs 9..10, finishes at 10. */
static void
test_ready_round_trip(void **state)
{
  struct gt_recorder *rec = gt_recorder_new(), *back = gt_recorder_new();
  struct gt_run_info ri = { .workers = 1, .tasks = 1, .cores = 2 };
  char *a = gt_xstrdup("/tmp/gt_ready_a_XXXXXX.json");
  char *b = gt_xstrdup("/tmp/gt_ready_b_XXXXXX.json");
  char *c = gt_xstrdup("/tmp/gt_ready_c_XXXXXX.csv");
  char *ta, *tb, *cause = NULL;
  struct gt_lanes l;
  size_t la, lb;
  uint16_t r;
  int fd;

  (void)state;
  ri.name = gt_recorder_intern(rec, "threads");
  r = gt_recorder_run_add(rec, &ri);
  gt_recorder_run_start(rec, r, gt_recorder_t0(rec));
  gt_recorder_run_set_contention(rec, r, 417);
  gt_test_queue(rec, r, 0, 0, "t");
  gt_test_start(rec, r, 0, 1, 0);
  gt_test_put(rec, r, 0, GT_EV_WAIT, 2, GT_R_CORE, 0, "step", 0);
  gt_test_resume(rec, r, 0, 5, 0);
  gt_test_put(rec, r, 0, GT_EV_WAIT, 6, GT_R_NET, 0, "GET /", 0);
  gt_test_put(rec, r, 0, GT_EV_WAIT, 8, GT_R_LOOP, 0, "GET /", 0);
  gt_test_resume(rec, r, 0, 9, 0);
  gt_test_finish(rec, r, 0, 10, 0, 0);
  fd = mkstemps(a, 5);
  close(fd);
  fd = mkstemps(b, 5);
  close(fd);
  fd = mkstemps(c, 4);
  close(fd);
  assert_int_equal(gt_chrome_export(rec, a, NULL), 0);
  ta = slurp(a, &la);
  assert_non_null(strstr(ta, "\"cat\":\"ready\",\"name\":\"step\""));
  assert_non_null(strstr(ta, "\"reason\":\"no core\""));
  assert_non_null(strstr(ta, "\"reason\":\"loop busy\""));
  assert_non_null(strstr(ta, "\"cores\":2"));
  assert_non_null(strstr(ta, "\"others_pm\":417"));
  assert_null(strstr(ta, "\"cat\":\"waiting\",\"name\":\"step\""));
  assert_int_equal(gt_csv_export(rec, c, NULL), 0);
  tb = slurp(c, &lb);
  assert_non_null(strstr(tb, ",step,ready,no core,2.000,5.000,"));
  assert_non_null(strstr(tb, ",GET /,ready,loop busy,8.000,9.000,"));
  assert_non_null(strstr(tb, ",GET /,waiting,net,6.000,8.000,"));
  free(tb);
  assert_int_equal(gt_chrome_import(back, a, NULL, NULL, NULL, &cause), 0);
  assert_null(cause);
  gt_recorder_run_get(back, 0, &ri);
  assert_int_equal(ri.cores, 2);
  assert_true(ri.flags & GT_RUN_CONTENTION);
  assert_int_equal(ri.others_pm, 417);
  assert_int_equal(gt_lanes_build(back, &l), 0);
  assert_int_equal(l.n, 1);
  assert_true(l.lane[0].niv >= 6);
  assert_int_equal(l.lane[0].iv[2].state, GT_S_WAITING);
  assert_int_equal(l.lane[0].iv[2].reason, GT_R_CORE);
  assert_int_equal(l.lane[0].iv[5].state, GT_S_WAITING);
  assert_int_equal(l.lane[0].iv[5].reason, GT_R_LOOP);
  gt_lanes_done(&l);
  assert_int_equal(gt_chrome_export(back, b, NULL), 0);
  tb = slurp(b, &lb);
  if (la != lb || memcmp(ta, tb, la) != 0)
    fail_msg("the second export differs: diff %s %s", a, b);
  free(ta);
  free(tb);
  unlink(a);
  unlink(b);
  unlink(c);
  free(a);
  free(b);
  free(c);
  gt_recorder_free(back);
  gt_recorder_free(rec);
}

/* A trace written while a run goes on (the view's 'e') reads back with
 * each unfinished task in the state it was in: the file holds its last
 * stretch up to the end, and the importer used to mark that end as
 * running, whatever the stretch was.  By hand, a run that never ends:
 * task 0 queued from 0; task 1 starts at 1 us and waits on the network
 * from 5; task 2 starts at 2; task 3 runs 3..20 and finishes ok (the last
 * event: the end).  At the end: 1 queued, 1 waiting (net), 1 running. */
static void
test_unfinished_states_round_trip(void **state)
{
  struct gt_recorder *rec = gt_recorder_new(), *back = gt_recorder_new();
  uint16_t r = gt_test_run(rec, "threads", 4, 4, 0, -1);
  char *path = gt_xstrdup("/tmp/gt_unf_XXXXXX.json"), *cause = NULL;
  struct gt_run_figures f[2];
  int fd, k;

  (void)state;
  gt_test_queue(rec, r, 0, 0, "q");
  gt_test_queue(rec, r, 1, 0, "w");
  gt_test_start(rec, r, 1, 1, 1);
  gt_test_wait_on(rec, r, 1, 5, GT_R_NET, 1);
  gt_test_queue(rec, r, 2, 0, "r");
  gt_test_start(rec, r, 2, 2, 2);
  gt_test_queue(rec, r, 3, 0, "done");
  gt_test_start(rec, r, 3, 3, 3);
  gt_test_finish(rec, r, 3, 20, 3, 0);
  fd = mkstemps(path, 5);
  close(fd);
  assert_int_equal(gt_chrome_export(rec, path, NULL), 0);
  assert_int_equal(gt_chrome_import(back, path, NULL, NULL, NULL, &cause),
      0);
  assert_null(cause);
  assert_int_equal(gt_timeline_figures_of(rec, &f[0], 1), 1);
  assert_int_equal(gt_timeline_figures_of(back, &f[1], 1), 1);
  for (k = 0; k < 2; k++) {
    assert_int_equal(f[k].ok, 1);
    assert_int_equal(f[k].unfinished, 3);
    assert_int_equal(f[k].queued, 1);
    assert_int_equal(f[k].waiting, 1);
    assert_int_equal(f[k].waiting_by[GT_R_NET], 1);
    assert_int_equal(f[k].running, 1);
  }
  unlink(path);
  free(path);
  gt_recorder_free(back);
  gt_recorder_free(rec);
}

/* Import text; returns the recorder (the caller frees it). */
static struct gt_recorder *
import_text(const char *text, struct gt_import_report *rep)
{
  struct gt_recorder *rec = gt_recorder_new();
  char *path = write_tmp(text, strlen(text)), *cause = NULL;

  if (gt_chrome_import(rec, path, rep, NULL, NULL, &cause) != 0)
    fail_msg("import failed: %s", cause);
  unlink(path);
  free(path);
  return rec;
}

/* The lane of (run, task), or fail. */
static const struct gt_lane *
lane_of(const struct gt_lanes *l, uint16_t run, uint32_t task)
{
  size_t i;

  for (i = 0; i < l->n; i++)
    if (l->lane[i].run == run && l->lane[i].task == task)
      return &l->lane[i];
  fail_msg("no lane %u/%u", run, task);
  return NULL;
}

/* The traits of run r of rec. */
static uint32_t
traits_of(struct gt_recorder *rec, uint16_t r)
{
  struct gt_run_info ri;

  assert_int_equal(gt_recorder_run_get(rec, r, &ri), 0);
  return ri.traits;
}

/* Traits travel through a file: every mode's, a run with none, and a run
 * whose name is no mode but has traits (so the field, not the name, is
 * what is read back).  The file names them in words. */
static void
test_traits_round_trip(void **state)
{
  static const char *const modes[] = {
    "sync", "threads", "async", "procs", "hybrid" };
  struct gt_recorder *rec = gt_recorder_new(), *back = gt_recorder_new();
  struct gt_run_info ri = { .workers = 2, .tasks = 1,
      .traits = GT_MODE_WORKERS | GT_MODE_LOOP };
  char *path = gt_xstrdup("/tmp/gt_traits_XXXXXX.json"), *text, *cause = NULL;
  uint16_t r, plain, other;
  size_t len;
  int fd;

  (void)state;
  for (r = 0; r < 5; r++) {
    gt_test_run(rec, modes[r], 1, 1, 0, 10);
    gt_test_queue(rec, r, 0, 0, "t");
  }
  plain = gt_test_run(rec, "plain", 1, 1, 0, 10);  /* not a mode: none */
  gt_test_queue(rec, plain, 0, 0, "t");
  ri.name = gt_recorder_intern(rec, "sync");  /* a name that lies */
  other = gt_recorder_run_add(rec, &ri);
  gt_test_queue(rec, other, 0, 0, "t");
  fd = mkstemps(path, 5);
  close(fd);
  assert_int_equal(gt_chrome_export(rec, path, NULL), 0);
  text = slurp(path, &len);
  assert_non_null(strstr(text, "\"name\":\"sync\",\"workers\":1,\"tasks\":1,"
      "\"traits\":\"baseline\""));
  assert_non_null(strstr(text, "\"traits\":\"workers,gil\""));
  assert_non_null(strstr(text, "\"traits\":\"loop\""));
  assert_non_null(strstr(text,
      "\"traits\":\"workers,loop,limit-per-worker\""));
  assert_non_null(strstr(text, "\"name\":\"plain\",\"workers\":1,"
      "\"tasks\":1,\"traits\":\"\""));
  free(text);
  assert_int_equal(gt_chrome_import(back, path, NULL, NULL, NULL, &cause), 0);
  assert_null(cause);
  assert_int_equal(gt_recorder_runs(back), 7);
  assert_int_equal(traits_of(back, 0), GT_MODE_BASELINE);
  assert_int_equal(traits_of(back, 1), GT_MODE_WORKERS | GT_MODE_GIL);
  assert_int_equal(traits_of(back, 2), GT_MODE_LOOP);
  assert_int_equal(traits_of(back, 3), GT_MODE_WORKERS);
  assert_int_equal(traits_of(back, 4), GT_MODE_WORKERS | GT_MODE_LOOP
      | GT_MODE_LIMIT_PER_WORKER);
  assert_int_equal(traits_of(back, plain), 0);
  assert_int_equal(traits_of(back, other), GT_MODE_WORKERS | GT_MODE_LOOP);
  unlink(path);
  free(path);
  gt_recorder_free(back);
  gt_recorder_free(rec);
}

/* A gantty file written before runs carried traits: each of the five
 * modes gets the traits it had, any other name none.  A file that has the
 * field is read by it, even when empty, and a trait this build does not
 * know is skipped. */
static void
test_traits_old_files(void **state)
{
  static const struct {
    const char *name, *traits;  /* traits NULL: no field */
    uint32_t    want;
  } runs[] = {
    { "sync", NULL, GT_MODE_BASELINE },
    { "threads", NULL, GT_MODE_WORKERS | GT_MODE_GIL },
    { "async", NULL, GT_MODE_LOOP },
    { "procs", NULL, GT_MODE_WORKERS },
    { "hybrid", NULL,
      GT_MODE_WORKERS | GT_MODE_LOOP | GT_MODE_LIMIT_PER_WORKER },
    { "mine", NULL, 0 },
    { "sync", "", 0 },
    { "mine", "teleport,loop", GT_MODE_LOOP },
  };
  char text[8192], *p = text;
  struct gt_recorder *rec;
  size_t i, n = sizeof(runs) / sizeof(runs[0]);

  (void)state;
  p += sprintf(p, "{\"traceEvents\":[\n");
  for (i = 0; i < n; i++) {
    p += sprintf(p, "{\"ph\":\"M\",\"cat\":\"__metadata\",\"ts\":0,"
        "\"name\":\"process_name\",\"pid\":%zu,\"tid\":0,\"args\":"
        "{\"name\":\"%s\",\"workers\":1,\"tasks\":1", i + 1, runs[i].name);
    if (runs[i].traits != NULL)
      p += sprintf(p, ",\"traits\":\"%s\"", runs[i].traits);
    p += sprintf(p, "}},\n{\"ph\":\"X\",\"cat\":\"running\",\"name\":"
        "\"s\",\"ts\":1,\"dur\":2,\"pid\":%zu,\"tid\":1,\"args\":"
        "{\"task\":0,\"worker\":0}},\n", i + 1);
  }
  sprintf(p, "{\"ph\":\"M\",\"cat\":\"__metadata\",\"ts\":0,\"name\":"
      "\"gantty\",\"pid\":0,\"tid\":0,\"args\":{\"t0_ns\":1000,"
      "\"format\":1}}\n]}\n");
  rec = import_text(text, NULL);
  assert_int_equal(gt_recorder_runs(rec), n);
  for (i = 0; i < n; i++)
    assert_int_equal(traits_of(rec, (uint16_t)i), runs[i].want);
  gt_recorder_free(rec);
}

/* Another tool's trace: its runs have no traits, whatever their names and
 * however many threads they have (one thread named "async" is not a loop,
 * and "sync" is not the baseline). */
static void
test_foreign_no_traits(void **state)
{
  static const char text[] =
      "[{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":7,\"tid\":0,"
      "\"args\":{\"name\":\"async\"}},\n"
      "{\"ph\":\"X\",\"name\":\"a\",\"ts\":0,\"dur\":5,\"pid\":7,"
      "\"tid\":1},\n"
      "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":8,\"tid\":0,"
      "\"args\":{\"name\":\"sync\",\"traits\":\"baseline\"}},\n"
      "{\"ph\":\"X\",\"name\":\"b\",\"ts\":0,\"dur\":5,\"pid\":8,"
      "\"tid\":1}]\n";
  struct gt_import_report rep;
  struct gt_recorder *rec = import_text(text, &rep);
  struct gt_run_info ri;

  (void)state;
  assert_false(rep.gantty);
  assert_int_equal(gt_recorder_runs(rec), 2);
  assert_int_equal(gt_recorder_run_get(rec, 0, &ri), 0);
  assert_string_equal(gt_recorder_string(rec, ri.name), "async");
  assert_int_equal(ri.workers, 1);
  assert_int_equal(ri.traits, 0);
  assert_int_equal(traits_of(rec, 1), 0);
  /* and they are marked foreign, so no reader shows an ideal for them
   * (issue 13: another tool's running makes no bound) */
  assert_true(ri.flags & GT_RUN_FOREIGN);
  {
    struct gt_run_figures f[2];

    assert_int_equal(gt_timeline_figures_of(rec, f, 2), 2);
    assert_true(f[0].foreign && f[1].foreign);
    assert_int_equal(f[0].ideal_ns, 0);
    assert_int_equal(f[1].ideal_ns, 0);
    assert_true(f[0].wall_ns > 0);
  }
  gt_recorder_free(rec);
}

/* B/E pairs per thread, nested, unsorted, with names, sort indexes, a
 * counter and an instant that are skipped, and a B that never ends. */
static void
test_foreign_begin_end(void **state)
{
  static const char text[] =
      "{\"traceEvents\":[\n"
      "{\"ph\":\"E\",\"ts\":50,\"pid\":7,\"tid\":2},\n"
      "{\"ph\":\"B\",\"name\":\"outer\",\"ts\":10,\"pid\":7,\"tid\":2},\n"
      "{\"ph\":\"B\",\"name\":\"inner\",\"ts\":20,\"pid\":7,\"tid\":2},\n"
      "{\"ph\":\"E\",\"ts\":30,\"pid\":7,\"tid\":2},\n"
      "{\"ph\":\"B\",\"name\":\"main\",\"ts\":5,\"pid\":7,\"tid\":1},\n"
      "{\"ph\":\"E\",\"ts\":15,\"pid\":7,\"tid\":1},\n"
      "{\"ph\":\"B\",\"name\":\"forever\",\"ts\":40,\"pid\":3,\"tid\":9},\n"
      "{\"ph\":\"C\",\"name\":\"mem\",\"ts\":12,\"pid\":7,"
      "\"args\":{\"v\":1}},\n"
      "{\"ph\":\"i\",\"name\":\"tick\",\"ts\":13,\"pid\":7,\"tid\":1,"
      "\"s\":\"t\"},\n"
      "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":7,"
      "\"args\":{\"name\":\"server\"}},\n"
      "{\"ph\":\"M\",\"name\":\"process_sort_index\",\"pid\":7,"
      "\"args\":{\"sort_index\":-1}},\n"
      "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":7,\"tid\":2,"
      "\"args\":{\"name\":\"worker\"}},\n"
      "{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":7,\"tid\":2,"
      "\"args\":{\"sort_index\":0}}\n"
      "],\"displayTimeUnit\":\"ns\",\"otherData\":{\"x\":[1,{\"y\":[2]}]}}\n";
  struct gt_import_report rep;
  struct gt_recorder *rec = import_text(text, &rep);
  struct gt_run_info ri;
  struct gt_lanes l;
  const struct gt_lane *w;
  uint64_t t0 = gt_recorder_t0(rec);

  (void)state;
  assert_false(rep.gantty);
  assert_false(rep.truncated);
  assert_int_equal(rep.runs, 2);
  assert_int_equal(rep.tasks, 3);
  assert_int_equal(rep.by_phase['C'], 1);
  assert_int_equal(rep.by_phase['B'], 4);
  assert_int_equal(rep.skipped, 2);  /* the counter and the instant */
  assert_int_equal(rep.unclosed, 1);
  /* pid 7 sorts first (sort index -1), named "server" */
  assert_int_equal(gt_recorder_run_get(rec, 0, &ri), 0);
  assert_string_equal(gt_recorder_string(rec, ri.name), "server");
  assert_int_equal(gt_recorder_run_get(rec, 1, &ri), 0);
  assert_string_equal(gt_recorder_string(rec, ri.name), "pid 3");
  gt_lanes_build(rec, &l);
  /* tid 2 (sort index 0) is pid 7's first lane: outer, inner, outer */
  w = lane_of(&l, 0, 0);
  assert_string_equal(gt_recorder_string(rec, w->name), "worker");
  assert_int_equal(w->niv, 3);
  assert_string_equal(gt_recorder_string(rec, w->iv[0].label), "outer");
  assert_int_equal(w->iv[0].start_ns - t0, 5000);  /* 10 us - the first 5 */
  assert_string_equal(gt_recorder_string(rec, w->iv[1].label), "inner");
  assert_int_equal(w->iv[1].end_ns - w->iv[1].start_ns, 10000);
  assert_string_equal(gt_recorder_string(rec, w->iv[2].label), "outer");
  assert_int_equal(w->iv[2].end_ns - t0, 45000);
  assert_true(w->finished);
  assert_int_equal(w->status, 0);
  /* tid 1: main, 10 us */
  w = lane_of(&l, 0, 1);
  assert_int_equal(w->niv, 1);
  assert_int_equal(w->iv[0].state, GT_S_RUNNING);
  assert_int_equal(w->iv[0].end_ns - w->iv[0].start_ns, 10000);
  /* pid 3: a B without its E is not finished */
  w = lane_of(&l, 1, 0);
  assert_false(w->finished);
  gt_lanes_done(&l);
  gt_recorder_free(rec);
}

/* The array form, X slices with args, nested X, and no closing bracket. */
static void
test_foreign_array_unclosed(void **state)
{
  static const char text[] =
      "[{\"name\":\"load\",\"ph\":\"X\",\"ts\":100.5,\"dur\":50,\"pid\":1,"
      "\"tid\":1,\"args\":{\"file\":\"a.txt\",\"n\":[1,2,3]}},\n"
      "{\"name\":\"parse\",\"ph\":\"X\",\"ts\":110.5,\"dur\":20.25,\"pid\":1,"
      "\"tid\":1},\n"
      "{\"name\":\"later\",\"ph\":\"X\",\"ts\":300,\"dur\":1,\"pid\":1,"
      "\"tid\":1},\n";
  struct gt_import_report rep;
  struct gt_recorder *rec = import_text(text, &rep);
  struct gt_lanes l;
  const struct gt_lane *w;

  (void)state;
  assert_true(rep.truncated);
  assert_int_equal(rep.tasks, 1);
  gt_lanes_build(rec, &l);
  w = lane_of(&l, 0, 0);
  /* load, parse inside it, load again, idle, later */
  assert_int_equal(w->niv, 5);
  assert_string_equal(gt_recorder_string(rec, w->iv[1].label), "parse");
  assert_int_equal(w->iv[1].end_ns - w->iv[1].start_ns, 20250);
  assert_string_equal(gt_recorder_string(rec, w->iv[2].label), "load");
  assert_int_equal(w->iv[3].state, GT_S_QUEUED);  /* idle between */
  assert_int_equal(w->iv[3].end_ns - w->iv[3].start_ns, 149500);
  assert_true(w->finished);
  gt_lanes_done(&l);
  gt_recorder_free(rec);
}

/* Files that are refused whole (exit 2 in the CLI): not JSON at all, no
 * events array, nothing to draw, or gantty's own file (its full marker)
 * with something wrong in it; each with the byte offset and what was
 * wrong.  (Before issue 14 every bad event refused the whole file: another
 * tool's file now skips it, test_bad_event_skipped.) */
static void
test_malformed(void **state)
{
#define MARKER "{\"ph\":\"M\",\"name\":\"gantty\",\"pid\":0,\"tid\":0," \
    "\"args\":{\"t0_ns\":1,\"format\":1}}"
  static const struct { const char *text, *want; } bad[] = {
    { "[{\"ph\":\"X\",\"ts\":1", "the file ends inside an event" },
    { "[{\"ph\":\"X\",\"ts\":\"abc\",\"dur\":1,\"pid\":1,\"tid\":1}]",
      "ts must be a number, not a string; no trace events to draw" },
    { "[{\"ph\":\"X\",\"ts\":NaN,\"dur\":1}]", "not valid JSON" },
    { "[{\"ts\":1}]", "an event without \"ph\"; no trace events to draw" },
    { "[{\"ph\":\"E\",\"ts\":5,\"pid\":1,\"tid\":1}]",
      "has no \"B\" before it; no trace events to draw" },
    { "[{\"ph\":\"X\",\"cat\":\"running\",\"name\":\"x\",\"ts\":1,"
      "\"dur\":1,\"pid\":1,\"tid\":4000000000}," MARKER "]",
      "tid 4000000000 in a gantty trace" },
    /* gantty's own file with a thread of pid 0, the marker's: the process
     * pass used to skip pid 0 and the build indexed procs[SIZE_MAX] */
    { "[{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":0,\"tid\":1,"
      "\"args\":{\"name\":\"x\"}}," MARKER "]",
      "byte 68: pid 0 in a gantty trace: runs are numbered 1 to" },
    { "[{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":1,\"tid\":0,"
      "\"args\":{\"name\":\"a\"}},{\"ph\":\"X\",\"cat\":\"running\","
      "\"name\":\"s\",\"ts\":1,\"dur\":1,\"pid\":0,\"tid\":2}," MARKER "]",
      "pid 0 in a gantty trace" },
    { "[{\"ph\":\"M\",\"name\":\"gantty\",\"pid\":0,\"tid\":0,"
      "\"args\":{\"t0_ns\":-1,\"format\":1}}]", "beyond the clock's range" },
    { "[{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":1,\"tid\":0,"
      "\"args\":{\"name\":\"a\",\"workers\":-1,\"tasks\":1}}," MARKER "]",
      "args.workers, tasks, limit and cores" },
    /* gantty's own file is strict: what another tool's skips refuses it */
    { "[{\"ph\":\"X\",\"cat\":\"running\",\"name\":\"x\",\"ts\":\"abc\","
      "\"dur\":1,\"pid\":1,\"tid\":1}," MARKER "]",
      "byte 73: ts must be a number, not a string" },
    { "[{\"ph\":\"i\",\"cat\":\"finish\",\"name\":\"x\",\"ts\":1,\"pid\":1,"
      "\"tid\":1,\"args\":{\"error\":32928}}," MARKER "]",
      "args.error must be a string, not a number" },
    { "[{\"ph\":\"X\",\"cat\":\"running\",\"name\":\"x\",\"ts\":1,"
      "\"pid\":1,\"tid\":1}," MARKER "]",
      "an \"X\" event without \"dur\"" },
    { "{\"foo\":1}", "no trace events" },
    { "hello", "not valid JSON" },
    { "", "no trace events" },
    /* no event to draw (issue 14 item 8): exit 2, not an empty view */
    { "[]", "byte 2: no trace events to draw" },
    { "[[{\"ph\":\"X\",\"ts\":1,\"dur\":1}],[]]", "no trace events to draw" },
    { "{\"traceEvents\":[]}", "no trace events to draw" },
    { "[{\"ph\":\"C\",\"name\":\"mem\",\"ts\":1,\"pid\":1,\"args\":"
      "{\"v\":1}}]", "no trace events to draw" },
    { "[{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":1,\"args\":"
      "{\"name\":\"p\"}}]", "no trace events to draw" },
    { "[", "no trace events to draw" },
  };
  size_t i;
  char *path, *cause;

  (void)state;
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    struct gt_recorder *rec = gt_recorder_new();

    path = write_tmp(bad[i].text, strlen(bad[i].text));
    cause = NULL;
    if (gt_chrome_import(rec, path, NULL, NULL, NULL, &cause) != GT_EPARSE)
      fail_msg("case %zu: read, or not as a parse error", i);
    if (cause == NULL || strstr(cause, bad[i].want) == NULL
        || strstr(cause, "byte ") == NULL || strstr(cause, path) == NULL)
      fail_msg("case %zu: got \"%s\", want the path, a byte offset and "
          "\"%s\"", i, cause ? cause : "(none)", bad[i].want);
    free(cause);
    unlink(path);
    free(path);
    gt_recorder_free(rec);
  }
}

/* Issue 14 item 6: one bad event in another tool's file is skipped,
 * counted by its cause and said with its line and byte; the events around
 * it are drawn.  Each case sits on line 2 between slice "a" (0-10 us) and
 * slice "b" (20-30 us) of pid 1, tid 1. */
static void
test_bad_event_skipped(void **state)
{
  static const char a[] = "[{\"ph\":\"X\",\"name\":\"a\",\"ts\":0,\"dur\":10,"
      "\"pid\":1,\"tid\":1},\n";
  static const char b[] = ",\n{\"ph\":\"X\",\"name\":\"b\",\"ts\":20,"
      "\"dur\":10,\"pid\":1,\"tid\":1}]\n";
  static const struct { const char *ev; int cause; const char *want; } bad[]
      = {
    { "{\"ph\":\"X\",\"ts\":\"abc\",\"dur\":1,\"pid\":1,\"tid\":1}",
      GT_SKIP_TYPE, "ts must be a number, not a string" },
    { "{\"ph\":\"X\",\"ts\":1,\"dur\":1,\"pid\":[1],\"tid\":1}",
      GT_SKIP_TYPE, "pid must not be an array" },
    { "{\"ph\":\"X\",\"ts\":1,\"dur\":true,\"pid\":1,\"tid\":1}",
      GT_SKIP_TYPE, "dur has the wrong type" },
    { "{\"ph\":{\"x\":1},\"ts\":1,\"dur\":1,\"pid\":1,\"tid\":1}",
      GT_SKIP_TYPE, "ph must not be an object" },
    { "{\"ph\":\"XX\",\"ts\":1}", GT_SKIP_TYPE, "ph must be one letter" },
    { "{\"ph\":\"X\",\"cat\":5,\"ts\":1,\"dur\":1,\"pid\":1,\"tid\":1}",
      GT_SKIP_TYPE, "cat must be a string, not a number" },
    { "{\"ph\":\"X\",\"ts\":-5,\"dur\":1,\"pid\":1,\"tid\":1}",
      GT_SKIP_TIME, "a time must be finite and not negative" },
    { "{\"ph\":\"X\",\"ts\":1,\"dur\":-1,\"pid\":1,\"tid\":1}",
      GT_SKIP_TIME, "dur is -1: a time must be finite and not negative" },
    { "{\"ph\":\"X\",\"ts\":1,\"dur\":1e400,\"pid\":1,\"tid\":1}",
      GT_SKIP_TIME, "a time must be finite" },
    { "{\"ph\":\"X\",\"ts\":9000000000000000,\"dur\":9000000000000000,"
      "\"pid\":1,\"tid\":1}", GT_SKIP_TIME, "beyond the clock's range" },
    { "{\"ph\":\"X\",\"dur\":1,\"pid\":1,\"tid\":1}", GT_SKIP_NO_TS,
      "an event of phase \"X\" without \"ts\"" },
    { "{\"ts\":1,\"pid\":1}", GT_SKIP_NO_PH, "an event without \"ph\"" },
    { "{\"ph\":\"E\",\"ts\":15,\"pid\":1,\"tid\":1}", GT_SKIP_NO_B,
      "an \"E\" event of pid 1, tid 1 has no \"B\" before it" },
  };
  size_t i, end;

  (void)state;
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    char *text = gt_xasprintf("%s%s%s", a, bad[i].ev, b);
    struct gt_import_report rep;
    struct gt_recorder *rec;
    struct gt_lanes l;
    const struct gt_lane *w;
    int c;

    rec = import_text(text, &rep);
    end = strlen(a) + strlen(bad[i].ev);
    for (c = 0; c < GT_SKIP_COUNT; c++)
      if (rep.bad[c] != (c == bad[i].cause))
        fail_msg("case %zu: %llu skipped %s", i,
            (unsigned long long)rep.bad[c], gt_import_skip_name(c));
    assert_int_equal(rep.nnotes, 1);
    assert_int_equal(rep.note[0].cause, bad[i].cause);
    assert_int_equal(rep.note[0].line, 2);
    assert_int_equal(rep.note[0].byte, end);
    if (strstr(rep.note[0].what, bad[i].want) == NULL)
      fail_msg("case %zu: \"%s\", want \"%s\"", i, rep.note[0].what,
          bad[i].want);
    assert_int_equal(rep.runs, 1);
    assert_int_equal(rep.tasks, 1);
    gt_lanes_build(rec, &l);
    w = lane_of(&l, 0, 0);
    /* a 0-10, idle 10-20, b 20-30 */
    assert_int_equal(w->niv, 3);
    assert_string_equal(gt_recorder_string(rec, w->iv[0].label), "a");
    assert_int_equal(w->iv[0].end_ns - w->iv[0].start_ns, 10000);
    assert_int_equal(w->iv[1].state, GT_S_QUEUED);
    assert_string_equal(gt_recorder_string(rec, w->iv[2].label), "b");
    assert_int_equal(w->iv[2].end_ns - w->iv[2].start_ns, 10000);
    gt_lanes_done(&l);
    gt_recorder_free(rec);
    free(text);
  }
}

/* The name of run r. */
static const char *
run_name(struct gt_recorder *rec, uint16_t r)
{
  struct gt_run_info info;

  assert_int_equal(gt_recorder_run_get(rec, r, &info), 0);
  return gt_recorder_string(rec, info.name);
}

/* The running time of a lane, in ns. */
static uint64_t
lane_running_ns(const struct gt_lane *w)
{
  uint64_t sum = 0;
  size_t i;

  for (i = 0; i < w->niv; i++)
    if (w->iv[i].state == GT_S_RUNNING)
      sum += w->iv[i].end_ns - w->iv[i].start_ns;
  return sum;
}

/* Issue 14 item 3: pids and tids that are strings, fractions or numbers
 * past 2^53 are identities, named after their text (Kineto writes
 * "pid":"Spans","tid":"PyTorch Profiler").  Runs in pid order, numbers
 * first: 1, then the texts as they came: "Spans", "1.5", and
 * 12345678901234567890; the last has two lanes, tid 2^53 (a number) and
 * 2^53 + 1 (text). */
static void
test_text_ids(void **state)
{
  static const char text[] =
      "[{\"ph\":\"X\",\"name\":\"step\",\"ts\":0,\"dur\":10,\"pid\":1,"
      "\"tid\":1},\n"
      "{\"ph\":\"X\",\"name\":\"span\",\"ts\":2,\"dur\":4,\"pid\":\"Spans\","
      "\"tid\":\"PyTorch Profiler\"},\n"
      "{\"ph\":\"X\",\"name\":\"f\",\"ts\":1,\"dur\":2,\"pid\":1.5,"
      "\"tid\":3},\n"
      "{\"ph\":\"X\",\"name\":\"g\",\"ts\":3,\"dur\":2,"
      "\"pid\":12345678901234567890,\"tid\":9007199254740993},\n"
      "{\"ph\":\"X\",\"name\":\"h\",\"ts\":6,\"dur\":1,"
      "\"pid\":12345678901234567890,\"tid\":9007199254740992}]\n";
  struct gt_import_report rep;
  struct gt_recorder *rec = import_text(text, &rep);
  struct gt_lanes l;
  const struct gt_lane *w;

  (void)state;
  assert_int_equal(rep.runs, 4);
  assert_int_equal(rep.tasks, 5);
  assert_int_equal(rep.nnotes, 0);
  assert_string_equal(run_name(rec, 0), "pid 1");
  assert_string_equal(run_name(rec, 1), "Spans");
  assert_string_equal(run_name(rec, 2), "1.5");
  assert_string_equal(run_name(rec, 3), "12345678901234567890");
  gt_lanes_build(rec, &l);
  assert_int_equal(l.n, 5);
  w = lane_of(&l, 0, 0);
  assert_string_equal(gt_recorder_string(rec, w->name), "pid 1 / tid 1");
  assert_int_equal(lane_running_ns(w), 10000);
  w = lane_of(&l, 1, 0);
  assert_string_equal(gt_recorder_string(rec, w->name), "PyTorch Profiler");
  assert_string_equal(gt_recorder_string(rec, w->iv[0].label), "span");
  assert_int_equal(lane_running_ns(w), 4000);
  w = lane_of(&l, 2, 0);
  assert_string_equal(gt_recorder_string(rec, w->name), "1.5 / tid 3");
  assert_int_equal(lane_running_ns(w), 2000);
  w = lane_of(&l, 3, 0);  /* the number first */
  assert_string_equal(gt_recorder_string(rec, w->name),
      "12345678901234567890 / tid 9007199254740992");
  assert_string_equal(gt_recorder_string(rec, w->iv[0].label), "h");
  w = lane_of(&l, 3, 1);
  assert_string_equal(gt_recorder_string(rec, w->name), "9007199254740993");
  assert_string_equal(gt_recorder_string(rec, w->iv[0].label), "g");
  assert_int_equal(lane_running_ns(w), 2000);
  gt_lanes_done(&l);
  gt_recorder_free(rec);
}

/* Issue 14 item 4: a UTF-8 byte-order mark; an X without dur and one with
 * "dur": null run to the end of the trace (the latest end, 5.5 + 94.5 =
 * 100 us) and are counted; ts and dur as numeric strings; a trailing {}
 * counted; a trailing comma passed over. */
static void
test_open_and_odd(void **state)
{
  static const char text[] =
      "\xef\xbb\xbf[{\"ph\":\"X\",\"name\":\"open\",\"ts\":\"10\",\"pid\":1,"
      "\"tid\":1},\n"
      "{\"ph\":\"X\",\"name\":\"nul\",\"ts\":0,\"dur\":null,\"pid\":1,"
      "\"tid\":2},\n"
      "{\"ph\":\"X\",\"name\":\"done\",\"ts\":\"5.5\",\"dur\":\"94.5\","
      "\"pid\":1,\"tid\":3},\n"
      "{},\n]\n";
  struct gt_import_report rep;
  struct gt_recorder *rec = import_text(text, &rep);
  struct gt_lanes l;
  const struct gt_lane *w;

  (void)state;
  assert_int_equal(rep.tasks, 3);
  assert_int_equal(rep.unfinished, 2);
  assert_int_equal(rep.bad[GT_SKIP_EMPTY], 1);
  assert_int_equal(rep.nnotes, 0);  /* an empty {} is only counted */
  assert_int_equal(rep.commas, 1);
  assert_false(rep.cut);
  assert_false(rep.truncated);
  gt_lanes_build(rec, &l);
  w = lane_of(&l, 0, 0);
  assert_string_equal(gt_recorder_string(rec, w->iv[0].label), "open");
  assert_int_equal(lane_running_ns(w), 90000);
  w = lane_of(&l, 0, 1);
  assert_int_equal(lane_running_ns(w), 100000);
  w = lane_of(&l, 0, 2);
  assert_int_equal(lane_running_ns(w), 94500);
  gt_lanes_done(&l);
  gt_recorder_free(rec);
}

/* Trailing commas in every kind of place (an array in args, the args, the
 * event, the events array, otherData, the top object: six), and comments:
 * read, each comma counted. */
static void
test_trailing_commas(void **state)
{
  static const char text[] =
      "{\"traceEvents\":[/* c */{\"ph\":\"X\",\"name\":\"a\",\"ts\":0,"
      "\"dur\":1,\"pid\":1,\"tid\":1,\"args\":{\"x\":[1,2,],},},\n"
      "{\"ph\":\"X\",\"name\":\"b\",\"ts\":2,\"dur\":1,\"pid\":1,"
      "\"tid\":1} ,\n ],\n\"otherData\":{\"v\":\"1\",},}\n";
  struct gt_import_report rep;
  struct gt_recorder *rec = import_text(text, &rep);
  struct gt_lanes l;
  const struct gt_lane *w;

  (void)state;
  assert_int_equal(rep.commas, 6);
  assert_int_equal(rep.tasks, 1);
  assert_false(rep.cut);
  gt_lanes_build(rec, &l);
  w = lane_of(&l, 0, 0);
  assert_int_equal(lane_running_ns(w), 2000);
  assert_string_equal(gt_recorder_string(rec, w->iv[2].label), "b");
  gt_lanes_done(&l);
  gt_recorder_free(rec);
}

/* Slices nested 300 deep: B s<i> at i us for i = 0..299, then the E's at
 * 300 + k us, innermost first.  The 256 outermost are drawn; the 44 inner
 * ones and their E's are skipped and counted, so s255 runs from 255 us to
 * 344 us (the E of the 45th) and s0 ends at 599 us: running throughout. */
static void
test_deep_slices(void **state)
{
  char *text = gt_xmalloc(600 * 80 + 16);
  size_t len = 0, i, k;
  struct gt_import_report rep;
  struct gt_recorder *rec;
  struct gt_lanes l;
  const struct gt_lane *w;

  (void)state;
  len += (size_t)sprintf(text, "[");
  for (i = 0; i < 300; i++)
    len += (size_t)sprintf(text + len, "%s{\"ph\":\"B\",\"name\":\"s%zu\","
        "\"ts\":%zu,\"pid\":1,\"tid\":1}", i ? "," : "", i, i);
  for (k = 0; k < 300; k++)
    len += (size_t)sprintf(text + len, ",{\"ph\":\"E\",\"ts\":%zu,"
        "\"pid\":1,\"tid\":1}", 300 + k);
  sprintf(text + len, "]");
  rec = import_text(text, &rep);
  assert_int_equal(rep.bad[GT_SKIP_DEEP], 44);
  assert_int_equal(rep.bad[GT_SKIP_NO_B], 0);
  assert_int_equal(rep.unclosed, 0);
  gt_lanes_build(rec, &l);
  w = lane_of(&l, 0, 0);
  assert_int_equal(lane_running_ns(w), 599000);
  for (i = 0; i < w->niv; i++)
    if (w->iv[i].start_ns - l.first_ns <= 300000
        && w->iv[i].end_ns - l.first_ns > 300000)
      break;
  assert_true(i < w->niv);
  assert_string_equal(gt_recorder_string(rec, w->iv[i].label), "s255");
  assert_int_equal(w->iv[i].start_ns - l.first_ns, 255000);
  assert_int_equal(w->iv[i].end_ns - l.first_ns, 344000);
  assert_true(w->finished);
  gt_lanes_done(&l);
  gt_recorder_free(rec);
  free(text);
}

/* Issue 14 item 5: gantty's argument names are data in another tool's
 * file (Fuchsia's "error":32928), and an M event named "gantty" without
 * the full marker (args.format) does not make a file gantty's. */
static void
test_foreign_args_are_data(void **state)
{
  static const char text[] =
      "[{\"ph\":\"X\",\"name\":\"a\",\"ts\":0,\"dur\":5,\"pid\":1,\"tid\":1,"
      "\"args\":{\"error\":32928,\"status\":\"x\",\"worker\":\"w\","
      "\"task\":[1],\"reason\":5,\"start_us\":-3,\"name\":{}}},\n"
      "{\"ph\":\"M\",\"name\":\"gantty\",\"pid\":0,\"tid\":0,"
      "\"args\":{\"t0_ns\":\"soon\"}}]";
  struct gt_import_report rep;
  struct gt_recorder *rec = import_text(text, &rep);
  struct gt_lanes l;

  (void)state;
  assert_false(rep.gantty);
  assert_int_equal(rep.runs, 1);  /* the marker's pid 0 has no lane */
  assert_int_equal(rep.tasks, 1);
  assert_int_equal(rep.nnotes, 0);
  gt_lanes_build(rec, &l);
  assert_int_equal(lane_running_ns(lane_of(&l, 0, 0)), 5000);
  gt_lanes_done(&l);
  gt_recorder_free(rec);
}

/* Issue 14 item 6: a file cut inside an event reads the whole events before
 * the cut and says where (line 3, at the end); one that stops being JSON
 * says where and why. */
static void
test_cut(void **state)
{
  static const char head[] =
      "[{\"ph\":\"X\",\"name\":\"a\",\"ts\":0,\"dur\":5,\"pid\":1,\"tid\":1},\n"
      "{\"ph\":\"B\",\"name\":\"b\",\"ts\":10,\"pid\":1,\"tid\":1},\n";
  char *text;
  struct gt_import_report rep;
  struct gt_recorder *rec;
  struct gt_lanes l;

  (void)state;
  text = gt_xasprintf("%s{\"ph\":\"E\",\"ts\":2", head);
  rec = import_text(text, &rep);
  assert_true(rep.cut);
  assert_int_equal(rep.cut_line, 3);
  assert_int_equal(rep.cut_byte, strlen(text));
  assert_string_equal(rep.cut_why, "the file ends inside an event");
  assert_int_equal(rep.tasks, 1);
  assert_int_equal(rep.unclosed, 1);  /* b never ended: to the end */
  gt_lanes_build(rec, &l);
  assert_int_equal(lane_running_ns(lane_of(&l, 0, 0)), 5000);
  gt_lanes_done(&l);
  gt_recorder_free(rec);
  free(text);

  text = gt_xasprintf("%s{\"ph\":\"E\",\"ts\":20,\"pid\":1,\"tid\":1}\n"
      "{\"ph\":\"X\"}]", head);
  rec = import_text(text, &rep);
  assert_true(rep.cut);
  assert_int_equal(rep.cut_line, 4);
  /* just after the '{' that wanted a comma before it: the E (34 bytes),
   * its newline, the '{' */
  assert_int_equal(rep.cut_byte, strlen(head) + 36);
  assert_non_null(strstr(rep.cut_why, "not valid JSON"));
  assert_int_equal(rep.bytes, strlen(text));  /* fuzz: it said 0 */
  gt_lanes_build(rec, &l);
  assert_int_equal(lane_running_ns(lane_of(&l, 0, 0)), 15000);
  gt_lanes_done(&l);
  gt_recorder_free(rec);
  free(text);
}

/* Issue 14 item 8: of two "traceEvents" keys the last is kept, as
 * JSON.parse does (the first array's events dropped and counted);
 * "systemTraceEvents" is skipped and said. */
static void
test_duplicate_trace_events(void **state)
{
  static const char text[] =
      "{\"traceEvents\":[{\"ph\":\"X\",\"name\":\"first\",\"ts\":0,"
      "\"dur\":5,\"pid\":1,\"tid\":1},{\"ts\":1}],\n"
      "\"systemTraceEvents\":\"# tracer: nop\\n\",\n"
      "\"traceEvents\":[{\"ph\":\"X\",\"name\":\"second\",\"ts\":0,"
      "\"dur\":7,\"pid\":2,\"tid\":1}]}";
  struct gt_import_report rep;
  struct gt_recorder *rec = import_text(text, &rep);
  struct gt_lanes l;
  const struct gt_lane *w;

  (void)state;
  assert_int_equal(rep.dropped, 1);
  assert_true(rep.system);
  assert_int_equal(rep.runs, 1);
  assert_int_equal(rep.nnotes, 0);  /* the first array's bad event too */
  assert_int_equal(rep.bad[GT_SKIP_NO_PH], 0);
  assert_string_equal(run_name(rec, 0), "pid 2");
  gt_lanes_build(rec, &l);
  w = lane_of(&l, 0, 0);
  assert_string_equal(gt_recorder_string(rec, w->iv[0].label), "second");
  assert_int_equal(lane_running_ns(w), 7000);
  gt_lanes_done(&l);
  gt_recorder_free(rec);
}

/* Issue 14 item 9, the importer's side: an unnamed thread is "pid 9 / tid
 * 3"; two processes named "python" are told apart by pid; a process with
 * only metadata is no run; the counts are of what is drawn. */
static void
test_foreign_names(void **state)
{
  static const char text[] =
      "[{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":9,"
      "\"args\":{\"name\":\"python\"}},\n"
      "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":10,"
      "\"args\":{\"name\":\"python\"}},\n"
      "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":11,"
      "\"args\":{\"name\":\"idle\"}},\n"
      "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":11,\"tid\":1,"
      "\"args\":{\"name\":\"nothing\"}},\n"
      "{\"ph\":\"C\",\"name\":\"mem\",\"ts\":1,\"pid\":11,"
      "\"args\":{\"v\":1}},\n"
      "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":10,\"tid\":4,"
      "\"args\":{\"name\":\"main\"}},\n"
      "{\"ph\":\"X\",\"name\":\"a\",\"ts\":0,\"dur\":3,\"pid\":9,\"tid\":3},\n"
      "{\"ph\":\"X\",\"name\":\"b\",\"ts\":1,\"dur\":2,\"pid\":10,"
      "\"tid\":4}]";
  struct gt_import_report rep;
  struct gt_recorder *rec = import_text(text, &rep);
  struct gt_lanes l;

  (void)state;
  assert_int_equal(rep.runs, 2);
  assert_int_equal(rep.tasks, 2);
  assert_int_equal(gt_recorder_runs(rec), 2);
  assert_string_equal(run_name(rec, 0), "python (pid 9)");
  assert_string_equal(run_name(rec, 1), "python (pid 10)");
  gt_lanes_build(rec, &l);
  assert_int_equal(l.n, 2);
  assert_string_equal(gt_recorder_string(rec, lane_of(&l, 0, 0)->name),
      "pid 9 / tid 3");
  assert_string_equal(gt_recorder_string(rec, lane_of(&l, 1, 0)->name),
      "main");
  gt_lanes_done(&l);
  gt_recorder_free(rec);
}

/* A trace that cannot be read is not a malformed one: a missing file or a
 * folder gives the negative errno and "cannot read" with the system's
 * reason; a file whose events do not make a trace gives GT_EPARSE.  An
 * event skipped after the parse (an E without its B: issue 14 changed it
 * from a refusal to a note) is said with the line it is on and the byte
 * where it ends, as one skipped by the parse is.  An earlier cause of the
 * caller's is kept. */
static void
test_missing_vs_malformed(void **state)
{
  static const char *lines[] = {
    "[{\"ph\":\"B\",\"name\":\"a\",\"ts\":1,\"pid\":1,\"tid\":1},\n",
    "{\"ph\":\"E\",\"ts\":2,\"pid\":1,\"tid\":1},\n",
    "{\"ph\":\"E\",\"ts\":3,\"pid\":1,\"tid\":1}]\n",
  };
  struct gt_recorder *rec = gt_recorder_new();
  char dir[] = "/tmp/gt_import_dir_XXXXXX", *missing, *path, *want;
  char *cause = NULL, text[256];
  struct gt_import_report rep;
  size_t end;

  (void)state;
  assert_non_null(mkdtemp(dir));
  missing = gt_xasprintf("%s/none.json", dir);
  assert_int_equal(gt_chrome_import(rec, missing, NULL, NULL, NULL, &cause),
      -ENOENT);
  want = gt_xasprintf("%s: cannot read: %s", missing, strerror(ENOENT));
  assert_string_equal(cause, want);
  free(want);
  free(cause);
  cause = NULL;
  gt_recorder_free(rec);

  rec = gt_recorder_new();
  assert_int_equal(gt_chrome_import(rec, dir, NULL, NULL, NULL, &cause),
      -EISDIR);
  want = gt_xasprintf("%s: cannot read: %s", dir, strerror(EISDIR));
  assert_string_equal(cause, want);
  free(want);
  free(cause);
  cause = NULL;
  gt_recorder_free(rec);

  /* the third event, on line 3, ends at the file's last '}' */
  snprintf(text, sizeof(text), "%s%s%s", lines[0], lines[1], lines[2]);
  end = strlen(lines[0]) + strlen(lines[1]) + strlen(lines[2]) - 2;
  assert_int_equal(text[end - 1], '}');
  path = write_tmp(text, strlen(text));
  rec = gt_recorder_new();
  assert_int_equal(gt_chrome_import(rec, path, &rep, NULL, NULL, &cause),
      0);
  assert_null(cause);
  assert_int_equal(rep.bad[GT_SKIP_NO_B], 1);
  assert_int_equal(rep.nnotes, 1);
  assert_int_equal(rep.note[0].line, 3);
  assert_int_equal(rep.note[0].byte, end);
  assert_string_equal(rep.note[0].what, "an \"E\" event of pid 1, tid 1 "
      "has no \"B\" before it");
  gt_recorder_free(rec);
  unlink(path);
  free(path);

  /* refused: an earlier cause of the caller's is kept */
  path = write_tmp("hello", 5);
  cause = gt_xstrdup("earlier");
  rec = gt_recorder_new();
  assert_int_equal(gt_chrome_import(rec, path, NULL, NULL, NULL, &cause),
      GT_EPARSE);
  assert_string_equal(cause, "earlier");
  free(cause);
  gt_recorder_free(rec);
  rec = gt_recorder_new();
  assert_int_equal(gt_chrome_import(rec, path, NULL, NULL, NULL, NULL),
      GT_EPARSE);
  gt_recorder_free(rec);

  unlink(path);
  free(path);
  rmdir(dir);
  free(missing);
}

/* A \u0000 ends a name; of 1 001 processes the first 1 000 are drawn. */
static void
test_edges(void **state)
{
  struct gt_import_report rep;
  struct gt_recorder *rec;
  struct gt_lanes l;
  char *text, *path, *cause = NULL;
  size_t len = 0, i;

  (void)state;
  rec = import_text("[{\"ph\":\"X\",\"name\":\"a\\u0000b\",\"ts\":1,"
      "\"dur\":1,\"pid\":1,\"tid\":1}]", &rep);
  gt_lanes_build(rec, &l);
  assert_int_equal(l.n, 1);
  assert_string_equal(gt_recorder_string(rec, l.lane[0].iv[0].label), "a");
  gt_lanes_done(&l);
  gt_recorder_free(rec);

  text = gt_xmalloc(1001 * 64 + 8);
  len = (size_t)sprintf(text, "[");
  for (i = 0; i < 1001; i++)
    len += (size_t)sprintf(text + len, "%s{\"ph\":\"X\",\"ts\":1,"
        "\"dur\":1,\"pid\":%zu,\"tid\":1}", i ? "," : "", i + 1);
  len += (size_t)sprintf(text + len, "]");
  path = write_tmp(text, len);
  rec = gt_recorder_new();
  /* issue 14 item 4: the first 1000 are drawn, the last skipped and said
   * (it refused the file before) */
  assert_int_equal(gt_chrome_import(rec, path, &rep, NULL, NULL, &cause), 0);
  assert_int_equal(rep.runs, 1000);
  assert_int_equal(rep.tasks, 1000);
  assert_int_equal(rep.runs_dropped, 1);
  assert_int_equal(rep.bad[GT_SKIP_PROCESS], 1);
  assert_int_equal(rep.nnotes, 1);
  assert_string_equal(rep.note[0].what, "pid 1001: more than 1000 processes "
      "to draw");
  assert_int_equal(gt_recorder_runs(rec), 1000);
  gt_recorder_free(rec);
  unlink(path);
  free(path);
  free(text);
}

/* Slices that overlap without nesting: time never goes back, the inner
 * one shows while it lasts, the lane ends at the last end. */
static void
test_foreign_overlap(void **state)
{
  struct gt_import_report rep;
  struct gt_recorder *rec;
  struct gt_lanes l;
  const struct gt_lane *w;
  uint64_t t0;

  (void)state;
  rec = import_text("[{\"ph\":\"X\",\"name\":\"a\",\"ts\":0,\"dur\":10,"
      "\"pid\":1,\"tid\":1},{\"ph\":\"X\",\"name\":\"b\",\"ts\":5,"
      "\"dur\":20,\"pid\":1,\"tid\":1}]", &rep);
  t0 = gt_recorder_t0(rec);
  gt_lanes_build(rec, &l);
  w = lane_of(&l, 0, 0);
  assert_int_equal(w->niv, 2);
  assert_string_equal(gt_recorder_string(rec, w->iv[1].label), "b");
  assert_int_equal(w->iv[1].start_ns - t0, 5000);
  assert_int_equal(w->iv[1].end_ns - t0, 25000);
  assert_int_equal(w->finish_ns - t0, 25000);
  gt_lanes_done(&l);
  gt_recorder_free(rec);

  rec = import_text("[{\"ph\":\"X\",\"name\":\"a\",\"ts\":0,\"dur\":10,"
      "\"pid\":1,\"tid\":1},{\"ph\":\"B\",\"name\":\"b\",\"ts\":5,"
      "\"pid\":1,\"tid\":1},{\"ph\":\"E\",\"ts\":20,\"pid\":1,\"tid\":1}]",
      &rep);
  t0 = gt_recorder_t0(rec);
  gt_lanes_build(rec, &l);
  w = lane_of(&l, 0, 0);
  assert_string_equal(gt_recorder_string(rec, w->iv[1].label), "b");
  assert_int_equal(w->iv[1].end_ns - t0, 20000);
  assert_int_equal(w->finish_ns - t0, 20000);
  gt_lanes_done(&l);
  gt_recorder_free(rec);
}

/* What lane w of a timeline is doing at t: its state (0 when none) and, in
 * *label, the innermost slice's name (NULL when it runs none). */
static int
state_at(const struct gt_timeline *tl, const struct gt_tl_lane *w,
    uint64_t t, const char **label)
{
  struct gt_interval iv;
  size_t cur = 0;

  *label = NULL;
  while (gt_timeline_next_interval(tl, w, &cur, &iv))
    if (iv.start_ns <= t && t < iv.end_ns) {
      if (iv.state == GT_S_RUNNING)
        *label = gt_recorder_string(gt_timeline_recorder(tl), iv.label);
      return iv.state;
    }
  return 0;
}

/* The running time of w over the whole session. */
static uint64_t
running_ns(const struct gt_timeline *tl, const struct gt_tl_lane *w)
{
  uint64_t cov[GT_CAT_COUNT];

  gt_timeline_coverage(tl, w, gt_timeline_first(tl),
      gt_timeline_last(tl) + 1, cov);
  return cov[GT_CAT_RUNNING];
}

/* Check lane task of run 0 at instant us: running label, or idle (label
 * NULL: queued, the thread does nothing). */
static void
check_at(const struct gt_timeline *tl, uint32_t task, uint64_t us,
    const char *label)
{
  const struct gt_tl_lane *w = gt_timeline_task_lane(tl, 0, task);
  const char *got;
  int st = state_at(tl, w, gt_timeline_first(tl) + us * 1000, &got);

  if (label == NULL) {
    if (st != GT_S_QUEUED)
      fail_msg("tid %u at %llu us: state %d, want idle", task + 1,
          (unsigned long long)us, st);
  } else if (st != GT_S_RUNNING || strcmp(got, label) != 0) {
    fail_msg("tid %u at %llu us: state %d '%s', want running '%s'",
        task + 1, (unsigned long long)us, st, got ? got : "", label);
  }
}

/* Slices that start or end at one instant, one thread each (every thread
 * starts at ts 0, so times below are us from the session's t0):
 *
 * tid 1, a zero-length top-level X "z" at 0, then X "w" [10, 15).  "z"
 *   has no length, so it adds no running time: only "w" runs, 5 us.  At
 *   0 and 5 the thread is idle; at 12 it runs "w".
 * tid 2, X "p" [0, 10) holding X "c" [4, 10), which ends with it; then X
 *   "n" [20, 25).  Running: p 0..4 (4) + c 4..10 (6) + n 20..25 (5) = 15
 *   us; at 12 idle (both ended at 10), at 2 "p", at 5 "c", at 22 "n".
 * tid 3, B "P" at 0, B "C" at 3, X "x" [5, 8) inside C, E at 8, E at 8
 *   (x, C and P all end at 8); then B "N" at 20, E at 24.  Running: 0..8
 *   (8) + 20..24 (4) = 12 us; at 1 "P", at 4 "C", at 6 "x", at 10 idle,
 *   at 21 "N".
 * tid 4, X "c" [0, 3) written before X "p" [0, 10), its parent (the
 *   longer one opens first).  Running 0..10 = 10 us; at 1 "c" (the
 *   innermost), at 5 "p".
 *
 * Before gantty read ties by arrival, the idle after an end at the
 * parent's end sorted first and the lane ran until its next event: tid 1
 * read 15 us, tid 2 25 us, tid 3 24 us; tid 4 showed "p" at 1. */
static void
test_foreign_ties(void **state)
{
  static const char text[] =
      "[{\"ph\":\"X\",\"name\":\"z\",\"ts\":0,\"dur\":0,\"pid\":1,\"tid\":1},\n"
      "{\"ph\":\"X\",\"name\":\"w\",\"ts\":10,\"dur\":5,\"pid\":1,\"tid\":1},\n"
      "{\"ph\":\"X\",\"name\":\"p\",\"ts\":0,\"dur\":10,\"pid\":1,\"tid\":2},\n"
      "{\"ph\":\"X\",\"name\":\"c\",\"ts\":4,\"dur\":6,\"pid\":1,\"tid\":2},\n"
      "{\"ph\":\"X\",\"name\":\"n\",\"ts\":20,\"dur\":5,\"pid\":1,\"tid\":2},\n"
      "{\"ph\":\"B\",\"name\":\"P\",\"ts\":0,\"pid\":1,\"tid\":3},\n"
      "{\"ph\":\"B\",\"name\":\"C\",\"ts\":3,\"pid\":1,\"tid\":3},\n"
      "{\"ph\":\"X\",\"name\":\"x\",\"ts\":5,\"dur\":3,\"pid\":1,\"tid\":3},\n"
      "{\"ph\":\"E\",\"ts\":8,\"pid\":1,\"tid\":3},\n"
      "{\"ph\":\"E\",\"ts\":8,\"pid\":1,\"tid\":3},\n"
      "{\"ph\":\"B\",\"name\":\"N\",\"ts\":20,\"pid\":1,\"tid\":3},\n"
      "{\"ph\":\"E\",\"ts\":24,\"pid\":1,\"tid\":3},\n"
      "{\"ph\":\"X\",\"name\":\"c\",\"ts\":0,\"dur\":3,\"pid\":1,\"tid\":4},\n"
      "{\"ph\":\"X\",\"name\":\"p\",\"ts\":0,\"dur\":10"
      ",\"pid\":1,\"tid\":4}]\n";
  struct gt_import_report rep;
  struct gt_recorder *rec = import_text(text, &rep);
  struct gt_timeline *tl = gt_timeline_of(rec);

  (void)state;
  assert_int_equal(gt_timeline_run(tl, 0)->ntask_lanes, 4);
  assert_int_equal(running_ns(tl, gt_timeline_task_lane(tl, 0, 0)),
      5 * 1000);
  assert_int_equal(running_ns(tl, gt_timeline_task_lane(tl, 0, 1)),
      15 * 1000);
  assert_int_equal(running_ns(tl, gt_timeline_task_lane(tl, 0, 2)),
      12 * 1000);
  assert_int_equal(running_ns(tl, gt_timeline_task_lane(tl, 0, 3)),
      10 * 1000);
  check_at(tl, 0, 0, NULL);
  check_at(tl, 0, 5, NULL);
  check_at(tl, 0, 12, "w");
  check_at(tl, 1, 2, "p");
  check_at(tl, 1, 5, "c");
  check_at(tl, 1, 12, NULL);
  check_at(tl, 1, 22, "n");
  check_at(tl, 2, 1, "P");
  check_at(tl, 2, 4, "C");
  check_at(tl, 2, 6, "x");
  check_at(tl, 2, 10, NULL);
  check_at(tl, 2, 21, "N");
  check_at(tl, 3, 1, "c");
  check_at(tl, 3, 5, "p");
  gt_timeline_free(tl);
  gt_recorder_free(rec);
}

/* Deep nesting and a huge string: args nested deeper than 64 are read
 * (issue 14 item 4: they were refused), a string over 1 MiB in what gantty
 * does not read is passed over, and one in a name skips its event. */
static void
test_malformed_big(void **state)
{
  size_t n = 2u << 20, i;
  char *text = gt_xmalloc(2 * n + 512), *path, *cause = NULL;
  struct gt_recorder *rec = gt_recorder_new();
  struct gt_import_report rep;
  size_t len;

  (void)state;
  /* 200 nested arrays inside an event's args */
  len = (size_t)sprintf(text,
      "[{\"ph\":\"X\",\"ts\":1,\"dur\":1,\"args\":{\"a\":");
  for (i = 0; i < 200; i++)
    text[len++] = '[';
  for (i = 0; i < 200; i++)
    text[len++] = ']';
  len += (size_t)sprintf(text + len, "},\"pid\":1,\"tid\":1}]");
  path = write_tmp(text, len);
  assert_int_equal(gt_chrome_import(rec, path, &rep, NULL, NULL, &cause), 0);
  assert_int_equal(rep.tasks, 1);
  assert_int_equal(rep.nnotes, 0);
  unlink(path);
  free(path);
  gt_recorder_free(rec);

  /* 2 MiB in an argument and in metadata gantty does not read */
  rec = gt_recorder_new();
  len = (size_t)sprintf(text, "{\"metadata\":{\"m\":\"");
  memset(text + len, 'm', n);
  len += n;
  len += (size_t)sprintf(text + len, "\"},\"traceEvents\":[{\"ph\":\"X\","
      "\"ts\":1,\"dur\":1,\"pid\":1,\"tid\":1,\"args\":{\"a\":\"");
  memset(text + len, 'a', n);
  len += n;
  len += (size_t)sprintf(text + len, "\"}}]}");
  path = write_tmp(text, len);
  assert_int_equal(gt_chrome_import(rec, path, &rep, NULL, NULL, &cause), 0);
  assert_int_equal(rep.tasks, 1);
  assert_int_equal(rep.nnotes, 0);
  unlink(path);
  free(path);
  gt_recorder_free(rec);

  /* a name of 2 MiB */
  rec = gt_recorder_new();
  len = (size_t)sprintf(text, "[{\"ph\":\"X\",\"name\":\"");
  memset(text + len, 'a', n);
  len += n;
  len += (size_t)sprintf(text + len, "\",\"ts\":1,\"dur\":1}]");
  path = write_tmp(text, len);
  assert_int_equal(gt_chrome_import(rec, path, NULL, NULL, NULL, &cause),
      GT_EPARSE);
  assert_non_null(strstr(cause, "name: a string of 2097152 bytes"));
  free(cause);
  unlink(path);
  free(path);
  gt_recorder_free(rec);
  free(text);
}

/* A thread's slices come back the same whatever order the file gives
 * them in: in time order, each pair swapped (a few places out, as a tool
 * that writes a slice when it completes gives them), and reversed (every
 * slice far from its place).  Two threads of pid 1, interleaved, each with
 * n slices [10 i, 10 i + 5) us; worked out from the definition: idle
 * (QUEUE) at its first slice, then START or RESUME at each slice's start
 * and QUEUE at its end, and FINISH at the last end. */
static void
test_file_order(void **state)
{
  enum { N = 3000 };
  static const char *const order_name[] = { "in order", "pairs swapped",
      "reversed" };
  size_t cap = 64 + 2 * N * 80, at, i, k, o, got;
  char *text = gt_xmalloc(cap);
  struct gt_event *ev = gt_xmalloc((4 * N + 16) * sizeof(*ev));

  (void)state;
  for (o = 0; o < 3; o++) {
    struct gt_import_report rep;
    struct gt_recorder *rec;
    uint64_t t0;

    at = (size_t)snprintf(text, cap, "[");
    for (k = 0; k < N; k++) {
      size_t s = o == 0 ? k : o == 1 ? (k ^ 1) : N - 1 - k;  /* N even */
      uint32_t tid;

      for (tid = 1; tid <= 2; tid++)
        at += (size_t)snprintf(text + at, cap - at, "%s{\"ph\":\"X\","
            "\"name\":\"s\",\"ts\":%zu,\"dur\":5,\"pid\":1,"
            "\"tid\":%u}", at > 1 ? "," : "", 10 * s, tid);
    }
    snprintf(text + at, cap - at, "]");
    memset(&rep, 0, sizeof(rep));
    rec = import_text(text, &rep);
    t0 = gt_recorder_t0(rec);
    got = gt_recorder_read(rec, 0, ev, 4 * N + 16);
    for (k = 0; k < 2; k++) {  /* task k: tid k + 1 */
      size_t n = 0;

      for (i = 0; i < got; i++) {
        int kind;
        uint64_t ts;

        if (ev[i].task != k)
          continue;
        if (n == 0)
          kind = GT_EV_QUEUE, ts = 0;
        else if (n == 2 * N + 1)
          kind = GT_EV_FINISH, ts = 10 * (N - 1) + 5;
        else if (n % 2 == 1)
          kind = n == 1 ? GT_EV_START : GT_EV_RESUME, ts = 10 * (n / 2);
        else
          kind = GT_EV_QUEUE, ts = 10 * (n / 2 - 1) + 5;
        if (ev[i].kind != kind || ev[i].ts_ns - t0 != ts * 1000)
          fail_msg("%s: task %zu, event %zu: kind %d at %llu ns, not %d at "
              "%llu", order_name[o], k, n, ev[i].kind,
              (unsigned long long)(ev[i].ts_ns - t0), kind,
              (unsigned long long)ts * 1000);
        n++;
      }
      assert_int_equal(n, 2 * N + 2);
    }
    gt_recorder_free(rec);
  }
  free(ev);
  free(text);
}

/* The probes the thread table made importing n threads of pid 1, the i-th
 * one tid(i), one slice each. */
static size_t
probes_of(size_t n, int64_t (*tid)(size_t))
{
  size_t cap = 64 + n * 96, at = 0, i;
  char *text = gt_xmalloc(cap);
  struct gt_import_report rep;
  struct gt_recorder *rec;

  at += (size_t)snprintf(text, cap, "{\"traceEvents\":[");
  for (i = 0; i < n; i++)
    at += (size_t)snprintf(text + at, cap - at, "%s{\"ph\":\"X\",\"name\":"
        "\"s\",\"ts\":%zu,\"dur\":1,\"pid\":1,\"tid\":%lld}",
        i ? "," : "", i, (long long)tid(i));
  snprintf(text + at, cap - at, "]}");
  memset(&rep, 0, sizeof(rep));
  rec = import_text(text, &rep);
  gt_recorder_free(rec);
  free(text);
  return gt_import_group_probes;
}

static int64_t
tid_seq(size_t i)
{
  return (int64_t)i + 1;
}

/* Old hash: fin(pid * K + tid), here pid 1: every one at slot 0 of any
 * table up to 2^20 slots. */
static int64_t
tid_flood_old(size_t i)
{
  return (int64_t)(fin_inv((uint64_t)(i + 1) << 20)
      - 0x9e3779b97f4a7c15ull);
}

/* The keyed hash with a seed of 0: fin(fin(pid) ^ tid). */
static int64_t
tid_flood_unseeded(size_t i)
{
  return (int64_t)(fin_inv((uint64_t)(i + 1) << 20) ^ fin(1));
}

/* Threads a file chose to collide under the fixed finaliser cost about
 * the probes of ordinary threads, not one per thread before them: the
 * table's hash is keyed by a seed the file cannot know. */
static void
test_thread_flood(void **state)
{
  size_t n = 4000, seq, old, unseeded;

  (void)state;
  assert_int_equal(fin_inv(fin(12345)), 12345);
  assert_int_equal(fin(fin_inv((uint64_t)7 << 20)) & 0xfffff, 0);
  seq = probes_of(n, tid_seq);
  old = probes_of(n, tid_flood_old);
  unseeded = probes_of(n, tid_flood_unseeded);
  /* a flood makes n * n / 2 = 8 000 000; about 1.5 per thread is normal */
  if (seq > 8 * n || old > 8 * n || unseeded > 8 * n)
    fail_msg("probes: sequential %zu, flood on the fixed hash %zu, on the "
        "unseeded finaliser %zu, for %zu threads", seq, old, unseeded, n);
}

/* The settings that made a session (settings.h) go out as the trace's
 * otherData and come back whole, typed as they were (a string, a number
 * as its text, a boolean); a second export is the same file.  A string
 * with quotes, a line break and a byte that is not UTF-8 survives as JSON
 * writes it. */
static void
test_settings_round_trip(void **state)
{
  struct gt_recorder *rec = rich_session(), *back = gt_recorder_new();
  struct gt_settings set = {0};
  const struct gt_settings *got;
  char *a = gt_xstrdup("/tmp/gt_set_a_XXXXXX.json"), *ta, *tb;
  char *b = gt_xstrdup("/tmp/gt_set_b_XXXXXX.json"), *cause = NULL;
  struct gt_import_report rep;
  size_t la, lb;
  int fd;

  (void)state;
  assert_int_equal(gt_settings_set(&set, "workload", "genre", GT_SET_STR), 0);
  assert_int_equal(gt_settings_set(&set, "seed", "18446744073709551615",
      GT_SET_NUM), 0);
  assert_int_equal(gt_settings_set(&set, "gil", "true", GT_SET_BOOL), 0);
  assert_int_equal(gt_settings_set(&set, "cpu_model", "say \"hi\"\nnow",
      GT_SET_STR), 0);
  /* what settings.h refuses */
  assert_int_equal(gt_settings_set(&set, "latency_ms", "soon", GT_SET_NUM),
      -1);
  assert_int_equal(gt_settings_set(&set, "gil", "yes", GT_SET_BOOL), -1);
  assert_int_equal(gt_settings_set(&set, "", "x", GT_SET_STR), -1);
  gt_recorder_set_settings(rec, &set);
  fd = mkstemps(a, 5);
  close(fd);
  fd = mkstemps(b, 5);
  close(fd);
  assert_int_equal(gt_chrome_export(rec, a, NULL), 0);
  assert_int_equal(gt_chrome_import(back, a, &rep, NULL, NULL, &cause), 0);
  got = gt_recorder_settings(back);
  assert_int_equal(got->n, 4);
  assert_string_equal(got->v[0].key, "workload");
  assert_string_equal(got->v[0].value, "genre");
  assert_int_equal(got->v[0].type, GT_SET_STR);
  assert_string_equal(got->v[1].value, "18446744073709551615");
  assert_int_equal(got->v[1].type, GT_SET_NUM);
  assert_string_equal(got->v[2].value, "true");
  assert_int_equal(got->v[2].type, GT_SET_BOOL);
  assert_string_equal(got->v[3].value, "say \"hi\"\nnow");
  assert_int_equal(gt_chrome_export(back, b, NULL), 0);
  ta = slurp(a, &la);
  tb = slurp(b, &lb);
  if (la != lb || memcmp(ta, tb, la) != 0)
    fail_msg("the second export differs: diff %s %s", a, b);
  free(ta);
  free(tb);
  unlink(a);
  unlink(b);
  free(a);
  free(b);
  gt_settings_clear(&set);
  gt_recorder_free(back);
  gt_recorder_free(rec);
}

/* otherData is gantty's settings only in gantty's own files: another
 * tool's (the format's own example) is read as a trace and gives none.
 * In a gantty file, what gantty does not write (objects, arrays, null) is
 * skipped and the rest kept; a file cut inside otherData keeps none of
 * it (not a partial list a re-run would take as whole). */
static void
test_settings_foreign_and_odd(void **state)
{
  static const char foreign[] = "{\"traceEvents\":[{\"ph\":\"X\","
      "\"name\":\"a\",\"ts\":1,\"dur\":2,\"pid\":1,\"tid\":1}],"
      "\"otherData\":{\"version\":\"My Application v1.0\"}}";
  static const char ours[] = "{\"otherData\":{\"seed\":7,\"n\":null,"
      "\"o\":{\"seed\":1},\"l\":[1,2],\"gil\":false},\"traceEvents\":["
      "{\"ph\":\"M\",\"cat\":\"__metadata\",\"ts\":0,\"name\":\"gantty\","
      "\"pid\":0,\"tid\":0,\"args\":{\"t0_ns\":5,\"format\":1}}]}";
  static const char cut[] = "{\"traceEvents\":["
      "{\"ph\":\"M\",\"cat\":\"__metadata\",\"ts\":0,\"name\":\"gantty\","
      "\"pid\":0,\"tid\":0,\"args\":{\"t0_ns\":5,\"format\":1}}],"
      "\"otherData\":{\"seed\":7,\"gil\":";
  struct gt_import_report rep;
  struct gt_recorder *rec;
  const struct gt_settings *got;

  (void)state;
  rec = import_text(foreign, &rep);
  assert_false(rep.gantty);
  assert_int_equal(gt_recorder_settings(rec)->n, 0);
  gt_recorder_free(rec);
  rec = import_text(ours, &rep);
  assert_true(rep.gantty);
  got = gt_recorder_settings(rec);
  assert_int_equal(got->n, 2);
  assert_string_equal(gt_settings_find(got, "seed")->value, "7");
  assert_string_equal(gt_settings_find(got, "gil")->value, "false");
  assert_null(gt_settings_find(got, "o"));
  gt_recorder_free(rec);
  rec = import_text(cut, &rep);
  assert_true(rep.truncated);
  assert_int_equal(gt_recorder_settings(rec)->n, 0);
  gt_recorder_free(rec);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_round_trip),
    cmocka_unit_test(test_ready_round_trip),
    cmocka_unit_test(test_unfinished_states_round_trip),
    cmocka_unit_test(test_traits_round_trip),
    cmocka_unit_test(test_traits_old_files),
    cmocka_unit_test(test_foreign_no_traits),
    cmocka_unit_test(test_foreign_begin_end),
    cmocka_unit_test(test_foreign_array_unclosed),
    cmocka_unit_test(test_malformed),
    cmocka_unit_test(test_bad_event_skipped),
    cmocka_unit_test(test_text_ids),
    cmocka_unit_test(test_open_and_odd),
    cmocka_unit_test(test_trailing_commas),
    cmocka_unit_test(test_deep_slices),
    cmocka_unit_test(test_foreign_args_are_data),
    cmocka_unit_test(test_cut),
    cmocka_unit_test(test_duplicate_trace_events),
    cmocka_unit_test(test_foreign_names),
    cmocka_unit_test(test_malformed_big),
    cmocka_unit_test(test_missing_vs_malformed),
    cmocka_unit_test(test_edges),
    cmocka_unit_test(test_foreign_overlap),
    cmocka_unit_test(test_foreign_ties),
    cmocka_unit_test(test_thread_flood),
    cmocka_unit_test(test_file_order),
    cmocka_unit_test(test_settings_round_trip),
    cmocka_unit_test(test_settings_foreign_and_odd),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
