/*
 * tests/test_fixtures.c: other tools' traces read the way the Trace Event
 * Format means them (issue 14, "Read", items 1 to 9): real traces that
 * clang, CMake and Node wrote on this machine (tests/data/traces, plain
 * and gzipped; its README says how each was made), and a hand-made case
 * for every item (tests/data/hand, or text built here).
 *
 * Every expected figure was worked out by hand from the slices (the
 * comments show the sums) or, for the real traces, by
 * tests/data/traces/expect.py, which reads the file with Python's json
 * and knows nothing of gantty: the lanes are the distinct (pid, tid)
 * that have a slice (an "X" or a "B"), a lane's busy time is the union
 * of its slices' intervals, and the label at an instant is the innermost
 * slice holding it.  None was copied from what gantty prints.
 *
 * Each case is its own test, named after its item, so that a reader sees
 * which item holds; the gzip cases hold once gzip reading is in (item 7).
 */
#define _GNU_SOURCE  /* mkstemps */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "base.h"
#include "chrome.h"
#include "lanes.h"
#include "recorder.h"
#include "timeline.h"

#define US 1000ull   /* ns in a microsecond: the format's unit */

/* The events an import skipped, counted: the phases it does not draw
 * (rep.skipped) and the bad events, which the report keeps by cause
 * (item 6). */
static uint64_t
skipped_of(const struct gt_import_report *rep)
{
  uint64_t n = rep->skipped;
  int i;

  for (i = 0; i < GT_SKIP_COUNT; i++)
    n += rep->bad[i];
  return n;
}

/* A file of the data folder, malloc'd. */
static char *
data_path(const char *name)
{
  return gt_xasprintf("%s/%s", GT_DATA_DIR, name);
}

/* A temporary file holding text, its name ending in suffix; its path,
 * malloc'd. */
static char *
write_tmp(const char *text, size_t len, const char *suffix)
{
  char *path = gt_xasprintf("/tmp/gt_fixture_XXXXXX%s", suffix);
  int fd = mkstemps(path, (int)strlen(suffix));

  assert_true(fd >= 0);
  assert_int_equal(write(fd, text, len), (ssize_t)len);
  close(fd);
  return path;
}

/* The whole file, malloc'd, its length in *len. */
static char *
slurp(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  char *buf;
  long n;

  if (f == NULL)
    fail_msg("%s: %s", path, strerror(errno));
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

/* Import path into a new recorder; fail with the cause when it is
 * refused.  The caller frees the recorder. */
static struct gt_recorder *
read_path(const char *path, struct gt_import_report *rep)
{
  struct gt_recorder *rec = gt_recorder_new();
  char *cause = NULL;
  int rc;

  memset(rep, 0, sizeof(*rep));
  rc = gt_chrome_import(rec, path, rep, NULL, NULL, &cause);
  if (rc != 0)
    fail_msg("%s refused (%d): %s", path, rc, cause ? cause : "(no cause)");
  free(cause);
  return rec;
}

/* read_path() on text of len bytes. */
static struct gt_recorder *
read_text(const char *text, size_t len, struct gt_import_report *rep)
{
  char *path = write_tmp(text, len, ".json");
  struct gt_recorder *rec = read_path(path, rep);

  unlink(path);
  free(path);
  return rec;
}

/* The text must be refused as no trace (GT_EPARSE) with a message that
 * says it has no events. */
static void
refused_no_events(const char *text)
{
  struct gt_recorder *rec = gt_recorder_new();
  char *path = write_tmp(text, strlen(text), ".json"), *cause = NULL;
  int rc = gt_chrome_import(rec, path, NULL, NULL, NULL, &cause);

  if (rc != GT_EPARSE || cause == NULL || strstr(cause, "no ") == NULL
      || strstr(cause, "events") == NULL)
    fail_msg("%s: got %d \"%s\", want GT_EPARSE and \"no ... events\"",
        text, rc, cause ? cause : "(none)");
  free(cause);
  unlink(path);
  free(path);
  gt_recorder_free(rec);
}

/* The lanes there is something to draw in: task lanes, over every run,
 * with at least one transition. */
static size_t
lanes_drawn(const struct gt_timeline *tl)
{
  size_t r, i, n = 0;

  for (r = 0; r < gt_timeline_runs(tl); r++)
    for (i = 0; i < gt_timeline_run(tl, r)->ntask_lanes; i++)
      n += gt_timeline_task_lane(tl, r, i)->ntr > 0;
  return n;
}

/* The name of a lane. */
static const char *
lane_name(const struct gt_timeline *tl, const struct gt_tl_lane *l)
{
  return gt_recorder_string(gt_timeline_recorder(tl), l->name);
}

/* The lane named name, in any run; NULL when there is none. */
static const struct gt_tl_lane *
find_lane(const struct gt_timeline *tl, const char *name)
{
  size_t r, i;

  for (r = 0; r < gt_timeline_runs(tl); r++)
    for (i = 0; i < gt_timeline_run(tl, r)->ntask_lanes; i++) {
      const struct gt_tl_lane *l = gt_timeline_task_lane(tl, r, i);

      if (l->ntr > 0 && strcmp(lane_name(tl, l), name) == 0)
        return l;
    }
  return NULL;
}

/* find_lane(), or fail listing the lanes there are. */
static const struct gt_tl_lane *
lane_named(const struct gt_timeline *tl, const char *name)
{
  const struct gt_tl_lane *l = find_lane(tl, name);
  char got[512] = "";
  size_t r, i, at = 0;

  if (l != NULL)
    return l;
  for (r = 0; r < gt_timeline_runs(tl); r++)
    for (i = 0; i < gt_timeline_run(tl, r)->ntask_lanes; i++)
      if (at < sizeof(got))
        at += (size_t)snprintf(got + at, sizeof(got) - at, " \"%s\"",
            lane_name(tl, gt_timeline_task_lane(tl, r, i)));
  fail_msg("no lane named \"%s\"; the lanes:%s", name, got);
  return NULL;
}

/* The running (busy) time of l over the whole session, in ns. */
static uint64_t
busy_ns(const struct gt_timeline *tl, const struct gt_tl_lane *l)
{
  uint64_t cov[GT_CAT_COUNT];

  gt_timeline_coverage(tl, l, gt_timeline_first(tl),
      gt_timeline_last(tl) + 1, cov);
  return cov[GT_CAT_RUNNING];
}

/* The busy time of the lane named name must be want_us. */
static void
expect_busy(const struct gt_timeline *tl, const char *name, double want_us)
{
  uint64_t got = busy_ns(tl, lane_named(tl, name));
  uint64_t want = (uint64_t)(want_us * (double)US + 0.5);

  if (got != want)
    fail_msg("lane \"%s\": busy %.3f us, want %.3f us", name,
        (double)got / (double)US, want_us);
}

/* What l is doing at t: its state (0 when none) and, in *label, the
 * running slice's name (NULL when it runs none). */
static int
state_at(const struct gt_timeline *tl, const struct gt_tl_lane *l,
    uint64_t t, const char **label)
{
  struct gt_interval iv;
  size_t cur = 0;

  *label = NULL;
  while (gt_timeline_next_interval(tl, l, &cur, &iv))
    if (iv.start_ns <= t && t < iv.end_ns) {
      if (iv.state == GT_S_RUNNING)
        *label = gt_recorder_string(gt_timeline_recorder(tl), iv.label);
      return iv.state;
    }
  return 0;
}

/* The lane named name at from_ns + us: running the slice label, or idle
 * (label NULL: not running, whether drawn as queued or as nothing). */
static void
expect_at(const struct gt_timeline *tl, const char *name, uint64_t from_ns,
    double us, const char *label)
{
  const char *got;
  int st = state_at(tl, lane_named(tl, name),
      from_ns + (uint64_t)(us * (double)US + 0.5), &got);

  if (label == NULL) {
    if (st == GT_S_RUNNING)
      fail_msg("lane \"%s\" at %.3f us: running \"%s\", want idle", name,
          us, got);
  } else if (st != GT_S_RUNNING || strcmp(got, label) != 0) {
    fail_msg("lane \"%s\" at %.3f us: state %d \"%s\", want running "
        "\"%s\"", name, us, st, got ? got : "", label);
  }
}

/* The start of l's first running stretch (the first instant a slice of
 * positive length holds), an origin that does not depend on where the
 * importer puts the session's start. */
static uint64_t
first_busy(const struct gt_timeline *tl, const struct gt_tl_lane *l)
{
  struct gt_interval iv;
  size_t cur = 0;

  while (gt_timeline_next_interval(tl, l, &cur, &iv))
    if (iv.state == GT_S_RUNNING)
      return iv.start_ns;
  fail_msg("lane \"%s\" never runs", lane_name(tl, l));
  return 0;
}

/* The name of run r. */
static const char *
run_name(struct gt_recorder *rec, uint16_t r)
{
  struct gt_run_info ri;

  assert_int_equal(gt_recorder_run_get(rec, r, &ri), 0);
  return gt_recorder_string(rec, ri.name);
}

/* What `gantty replay FILE --headless` did: its exit status and stderr. */
struct cli {
  int   status;     /* exit status, or -1 when it did not exit */
  char *err;        /* malloc'd */
};

/* Run `gantty replay path --headless` in a folder of its own (it writes
 * its outputs there), stdout thrown away. */
static void
replay_headless(const char *path, struct cli *out)
{
  char dir[] = "/tmp/gt_fixture_cli_XXXXXX";
  char *errpath, *cmd;
  size_t len;
  pid_t pid;
  int ws;

  assert_non_null(mkdtemp(dir));
  errpath = gt_xasprintf("%s/stderr", dir);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int nul = open("/dev/null", O_RDWR);

    if (fd < 0 || nul < 0 || chdir(dir) != 0)
      _exit(127);
    dup2(nul, 0);
    dup2(nul, 1);
    dup2(fd, 2);
    execl(GANTTY_BIN, "gantty", "replay", path, "--headless", (char *)NULL);
    _exit(127);
  }
  assert_int_equal(waitpid(pid, &ws, 0), pid);
  out->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
  out->err = slurp(errpath, &len);
  cmd = gt_xasprintf("rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
  free(cmd);
  free(errpath);
}

/* ---- real tools' traces (tests/data/traces) ---- */

/* gantty replay path --headless reads it: exit 0. */
static void
replays(const char *path)
{
  struct cli c;

  replay_headless(path, &c);
  if (c.status != 0)
    fail_msg("gantty replay %s --headless: exit %d, stderr:\n%s", path,
        c.status, c.err);
  free(c.err);
}

/* clang 14 -ftime-trace of src/small.c at -O0 (README).  expect.py: 20
 * lanes (pid 7694: its main thread "clang" and 19 threads of one "Total
 * ..." slice each); the main thread busy 52 436 us, first busy at ts 21;
 * at first + 29 710 us the innermost slice is "CoroCleanupPass", written
 * before its parent "ModuleToFunctionPassAdaptor" with the same start
 * (item 2's order, 46 times in this file); at first + 1 214 "Frontend",
 * at + 1 563 "Source". */
static void
check_clang(const char *path)
{
  struct gt_import_report rep;
  struct gt_recorder *rec = read_path(path, &rep);
  struct gt_timeline *tl = gt_timeline_of(rec);
  uint64_t from;

  assert_false(rep.gantty);
  assert_int_equal(gt_recorder_runs(rec), 1);
  assert_int_equal(lanes_drawn(tl), 20);
  expect_busy(tl, "clang", 52436);
  from = first_busy(tl, lane_named(tl, "clang"));
  expect_at(tl, "clang", from, 29710, "CoroCleanupPass");
  expect_at(tl, "clang", from, 1214, "Frontend");
  expect_at(tl, "clang", from, 1563, "Source");
  assert_int_equal(skipped_of(&rep), 0);
  gt_timeline_free(tl);
  gt_recorder_free(rec);
  replays(path);
}

/* CMake 3.25 --profiling-format=google-trace of src/CMakeLists.txt
 * (README): B/E pairs on one thread (pid 7697, tid 0), no names.
 * expect.py: 1 lane, busy 71 396 us; at first + 78 us the innermost
 * slice is "project", at + 277 "if", at + 310 "find_program".  The lane
 * has no thread_name: found as the only one. */
static void
check_cmake(const char *path)
{
  struct gt_import_report rep;
  struct gt_recorder *rec = read_path(path, &rep);
  struct gt_timeline *tl = gt_timeline_of(rec);
  const struct gt_tl_lane *l;
  const char *name;
  uint64_t from;

  assert_false(rep.gantty);
  assert_int_equal(gt_recorder_runs(rec), 1);
  assert_int_equal(lanes_drawn(tl), 1);
  assert_int_equal(gt_timeline_run(tl, 0)->ntask_lanes, 1);
  l = gt_timeline_task_lane(tl, 0, 0);
  name = lane_name(tl, l);
  expect_busy(tl, name, 71396);
  from = first_busy(tl, l);
  expect_at(tl, name, from, 78, "project");
  expect_at(tl, name, from, 277, "if");
  expect_at(tl, name, from, 310, "find_program");
  assert_int_equal(skipped_of(&rep), 0);
  gt_timeline_free(tl);
  gt_recorder_free(rec);
  replays(path);
}

/* Node 20 --trace-event-categories v8,node,node.async_hooks of
 * src/timers.js (README).  expect.py: 1 lane, the main thread
 * "JavaScriptMainThread" (pid 7703); its 5 other threads have only
 * names (metadata), nothing to draw.  Busy 71 701 us (item 1: a Node
 * main thread read 2.5x its busy time); at first + 63 637 us the
 * innermost slice is "V8.DeserializeContext", at + 99 982
 * "fs.sync.lstat".  Its 21 "b", 21 "e" (async) and 6 "I" events
 * (counted by expect.py's reading, by phase) are skipped and counted. */
static void
check_node(const char *path)
{
  struct gt_import_report rep;
  struct gt_recorder *rec = read_path(path, &rep);
  struct gt_timeline *tl = gt_timeline_of(rec);
  uint64_t from;

  assert_false(rep.gantty);
  assert_int_equal(gt_recorder_runs(rec), 1);
  assert_int_equal(lanes_drawn(tl), 1);
  expect_busy(tl, "JavaScriptMainThread", 71701);
  from = first_busy(tl, lane_named(tl, "JavaScriptMainThread"));
  expect_at(tl, "JavaScriptMainThread", from, 63637,
      "V8.DeserializeContext");
  expect_at(tl, "JavaScriptMainThread", from, 99982, "fs.sync.lstat");
  /* the phases not drawn, counted and skipped: 21 b, 21 e, 6 I */
  assert_int_equal(skipped_of(&rep), 48);
  gt_timeline_free(tl);
  gt_recorder_free(rec);
  replays(path);
}

/* check(), on the file name of the data folder. */
static void
check_data(void (*check)(const char *), const char *name)
{
  char *path = data_path(name);

  check(path);
  free(path);
}

static void
test_real_clang_ftime_trace(void **state)
{
  (void)state;
  check_data(check_clang, "traces/clang14-ftime-trace.json");
}

static void
test_real_cmake_profile(void **state)
{
  (void)state;
  check_data(check_cmake, "traces/cmake3.25-profile.json");
}

static void
test_real_node_trace_events(void **state)
{
  (void)state;
  check_data(check_node, "traces/node20-trace-events.json");
}

/* Item 7: the same files gzipped (gzip -9 -n) read the same. */
static void
test_item7_gzip_clang(void **state)
{
  (void)state;
  check_data(check_clang, "traces/clang14-ftime-trace.json.gz");
}

static void
test_item7_gzip_cmake(void **state)
{
  (void)state;
  check_data(check_cmake, "traces/cmake3.25-profile.json.gz");
}

static void
test_item7_gzip_node(void **state)
{
  (void)state;
  check_data(check_node, "traces/node20-trace-events.json.gz");
}

/* Item 7: gzip is known by its magic bytes, whatever the name: the gzipped
 * clang trace under a name ending in .json reads the same, and so does the
 * plain one under a name ending in .json.gz. */
static void
test_item7_gzip_any_name(void **state)
{
  char *src = data_path("traces/clang14-ftime-trace.json.gz"), *gz, *path;
  size_t len;

  (void)state;
  gz = slurp(src, &len);
  assert_true(len > 2 && (unsigned char)gz[0] == 0x1f
      && (unsigned char)gz[1] == 0x8b);
  path = write_tmp(gz, len, ".json");
  check_clang(path);
  unlink(path);
  free(path);
  free(gz);
  free(src);
  src = data_path("traces/clang14-ftime-trace.json");
  gz = slurp(src, &len);
  path = write_tmp(gz, len, ".json.gz");
  check_clang(path);
  unlink(path);
  free(path);
  free(gz);
  free(src);
}

/* ---- item 1: phantom running time ---- */

/* Chrome's Compositor thread (hand/item1_compositor.json), one lane:
 * "z" [0, 0) zero-length at the top; "Frame" [100, 140) holding "Draw"
 * [120, 140), which ends with it; "z" at 500, zero-length; "Frame" [1000,
 * 1040) holding B/E "Swap" [1010, 1040), ending with it; B "P" [3000,
 * 3010) holding B "C" [3005, 3010) (both E at 3010); "Tail" [4000, 4010).
 * Busy: 40 + 40 + 10 + 10 = 100 us (not until the next event after each
 * end).  Idle at 0, 50, 140, 500, 1040, 2000, 3010, 3500. */
static void
test_item1_compositor(void **state)
{
  char *path = data_path("hand/item1_compositor.json");
  struct gt_import_report rep;
  struct gt_recorder *rec = read_path(path, &rep);
  struct gt_timeline *tl = gt_timeline_of(rec);
  uint64_t t0 = gt_timeline_first(tl);
  static const struct { double us; const char *label; } at[] = {
    { 0, NULL }, { 50, NULL }, { 110, "Frame" }, { 120, "Draw" },
    { 139, "Draw" }, { 140, NULL }, { 500, NULL }, { 1005, "Frame" },
    { 1010, "Swap" }, { 1039, "Swap" }, { 1040, NULL }, { 2000, NULL },
    { 3002, "P" }, { 3007, "C" }, { 3010, NULL }, { 3500, NULL },
    { 4005, "Tail" },
  };
  size_t i;

  (void)state;
  assert_int_equal(lanes_drawn(tl), 1);
  expect_busy(tl, "Compositor", 100);
  for (i = 0; i < sizeof(at) / sizeof(at[0]); i++)
    expect_at(tl, "Compositor", t0, at[i].us, at[i].label);
  gt_timeline_free(tl);
  gt_recorder_free(rec);
  free(path);
}

/* ---- item 2: inner names ---- */

/* clang's order (hand/item2_child_first.json), one lane "clang":
 * "grandchild" [0, 2), "child" [0, 5), "parent" [0, 20) written in that
 * order (children first, same start); X "inner" [30, 35) written before B
 * "outer" [30, 40) that holds it; "late" [50, 54) holding "late child"
 * [51, 53).  Busy 20 + 10 + 4 = 34 us.  Innermost: at 0 and 1
 * "grandchild", 3 "child", 10 "parent", 25 idle, 30 and 32 "inner", 37
 * "outer", 50 "late", 52 "late child", 53 "late". */
static void
test_item2_child_before_parent(void **state)
{
  char *path = data_path("hand/item2_child_first.json");
  struct gt_import_report rep;
  struct gt_recorder *rec = read_path(path, &rep);
  struct gt_timeline *tl = gt_timeline_of(rec);
  uint64_t t0 = gt_timeline_first(tl);
  static const struct { double us; const char *label; } at[] = {
    { 0, "grandchild" }, { 1, "grandchild" }, { 3, "child" },
    { 10, "parent" }, { 25, NULL }, { 30, "inner" }, { 32, "inner" },
    { 37, "outer" }, { 50, "late" }, { 52, "late child" }, { 53, "late" },
  };
  size_t i;

  (void)state;
  assert_int_equal(lanes_drawn(tl), 1);
  expect_busy(tl, "clang", 34);
  for (i = 0; i < sizeof(at) / sizeof(at[0]); i++)
    expect_at(tl, "clang", t0, at[i].us, at[i].label);
  gt_timeline_free(tl);
  gt_recorder_free(rec);
  free(path);
}

/* ---- item 3: string, float and big pids and tids ---- */

/* PyTorch's profiler (hand/item3_pytorch_spans.json): pid 4242's thread
 * "thread 4242 (python3)" runs aten::add [0, 10) and aten::mul [20, 30),
 * busy 20 us; at the end, pid "Spans" (named "Spans") and tid "PyTorch
 * Profiler" run "PyTorch Profiler (0)" [0, 40), busy 40.  Read, two runs,
 * two lanes; the lane of the string tid is named after it. */
static void
test_item3_pytorch_string_ids(void **state)
{
  char *path = data_path("hand/item3_pytorch_spans.json");
  struct gt_import_report rep;
  struct gt_recorder *rec = read_path(path, &rep);
  struct gt_timeline *tl = gt_timeline_of(rec);
  uint64_t t0 = gt_timeline_first(tl);
  const struct gt_tl_lane *spans = NULL;
  size_t r, i;
  int named = 0;

  (void)state;
  assert_int_equal(gt_recorder_runs(rec), 2);
  assert_int_equal(lanes_drawn(tl), 2);
  expect_busy(tl, "thread 4242 (python3)", 20);
  expect_at(tl, "thread 4242 (python3)", t0, 5, "aten::add");
  expect_at(tl, "thread 4242 (python3)", t0, 15, NULL);
  for (r = 0; r < gt_recorder_runs(rec); r++)
    named += strcmp(run_name(rec, (uint16_t)r), "Spans") == 0;
  assert_int_equal(named, 1);
  for (r = 0; r < gt_timeline_runs(tl); r++)
    for (i = 0; i < gt_timeline_run(tl, r)->ntask_lanes; i++) {
      const struct gt_tl_lane *l = gt_timeline_task_lane(tl, r, i);

      if (strstr(lane_name(tl, l), "PyTorch Profiler") != NULL)
        spans = l;
    }
  if (spans == NULL)
    fail_msg("no lane named after tid \"PyTorch Profiler\"");
  assert_int_equal(busy_ns(tl, spans), 40 * US);
  expect_at(tl, lane_name(tl, spans), t0, 20, "PyTorch Profiler (0)");
  gt_timeline_free(tl);
  gt_recorder_free(rec);
  free(path);
}

/* Floats and numbers past 2^53 are identities too.  pid 7 tid 1 runs "a"
 * [0, 10), pid 7.0 tid 1.0 (the same numbers, as JSON.parse and Python
 * compare them) "b" [20, 30): one lane, busy 20 us.  pid 7.5 runs "c" [0,
 * 5), a process of its own.  pid 2^53 + 1 with tid 2^64 + 1 runs "d" [0,
 * 3): read, its run named after the pid as written.  Three runs, three
 * lanes. */
static void
test_item3_float_and_big_ids(void **state)
{
  static const char text[] = "[\n"
      "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":7,\"tid\":1,"
      "\"args\":{\"name\":\"seven\"}},\n"
      "{\"ph\":\"X\",\"name\":\"a\",\"ts\":0,\"dur\":10,\"pid\":7,"
      "\"tid\":1},\n"
      "{\"ph\":\"X\",\"name\":\"b\",\"ts\":20,\"dur\":10,\"pid\":7.0,"
      "\"tid\":1.0},\n"
      "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":7.5,\"tid\":1,"
      "\"args\":{\"name\":\"seven and a half\"}},\n"
      "{\"ph\":\"X\",\"name\":\"c\",\"ts\":0,\"dur\":5,\"pid\":7.5,"
      "\"tid\":1},\n"
      "{\"ph\":\"X\",\"name\":\"d\",\"ts\":0,\"dur\":3,"
      "\"pid\":9007199254740993,\"tid\":18446744073709551617}\n]\n";
  struct gt_import_report rep;
  struct gt_recorder *rec = read_text(text, strlen(text), &rep);
  struct gt_timeline *tl = gt_timeline_of(rec);
  size_t r;
  int big = 0;

  (void)state;
  assert_int_equal(gt_recorder_runs(rec), 3);
  assert_int_equal(lanes_drawn(tl), 3);
  expect_busy(tl, "seven", 20);
  expect_busy(tl, "seven and a half", 5);
  for (r = 0; r < gt_recorder_runs(rec); r++)
    big += strstr(run_name(rec, (uint16_t)r), "9007199254740993") != NULL;
  assert_int_equal(big, 1);
  gt_timeline_free(tl);
  gt_recorder_free(rec);
}

/* ---- item 4: read or skipped and counted, never a refusal ---- */

/* An X without dur (a slice still open when tracing stopped): thread
 * "open" runs "open" from 10 to the end of the trace, 100 (thread
 * "done" runs "a" [0, 100)): busy 90 us, unfinished, and said (one slice
 * runs to the end, as a B without its E). */
static void
test_item4_x_without_dur(void **state)
{
  static const char text[] = "[\n"
      "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":1,"
      "\"args\":{\"name\":\"open\"}},\n"
      "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":2,"
      "\"args\":{\"name\":\"done\"}},\n"
      "{\"ph\":\"X\",\"name\":\"a\",\"ts\":0,\"dur\":100,\"pid\":1,"
      "\"tid\":2},\n"
      "{\"ph\":\"X\",\"name\":\"open\",\"ts\":10,\"pid\":1,\"tid\":1}\n]\n";
  struct gt_import_report rep;
  struct gt_recorder *rec = read_text(text, strlen(text), &rep);
  struct gt_timeline *tl = gt_timeline_of(rec);
  uint64_t t0 = gt_timeline_first(tl);

  (void)state;
  assert_int_equal(lanes_drawn(tl), 2);
  expect_busy(tl, "done", 100);
  expect_busy(tl, "open", 90);
  expect_at(tl, "open", t0, 5, NULL);
  expect_at(tl, "open", t0, 50, "open");
  expect_at(tl, "open", t0, 99, "open");
  assert_false(lane_named(tl, "open")->finished);
  assert_int_equal(rep.unfinished, 1);  /* said: drawn to the end */
  gt_timeline_free(tl);
  gt_recorder_free(rec);
}

/* An E whose B came before the trace started: warned of and skipped.
 * Thread "t": E at 5, then "a" [10, 20): busy 10 us, one skipped. */
static void
test_item4_e_before_start(void **state)
{
  static const char text[] = "[\n"
      "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":1,"
      "\"args\":{\"name\":\"t\"}},\n"
      "{\"ph\":\"E\",\"ts\":5,\"pid\":1,\"tid\":1},\n"
      "{\"ph\":\"X\",\"name\":\"a\",\"ts\":10,\"dur\":10,\"pid\":1,"
      "\"tid\":1}\n]\n";
  struct gt_import_report rep;
  struct gt_recorder *rec = read_text(text, strlen(text), &rep);
  struct gt_timeline *tl = gt_timeline_of(rec);

  (void)state;
  assert_int_equal(lanes_drawn(tl), 1);
  expect_busy(tl, "t", 10);
  assert_int_equal(skipped_of(&rep), 1);
  gt_timeline_free(tl);
  gt_recorder_free(rec);
}

/* Thread "t" runs "good" [0, 10), then the slice under test at 20;
 * thread "end" runs [0, 100), the trace's end.  Returns the recorder. */
static struct gt_recorder *
read_with_slice(const char *slice, struct gt_import_report *rep)
{
  char *text = gt_xasprintf("[\n"
      "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":1,"
      "\"args\":{\"name\":\"t\"}},\n"
      "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":2,"
      "\"args\":{\"name\":\"end\"}},\n"
      "{\"ph\":\"X\",\"name\":\"good\",\"ts\":0,\"dur\":10,\"pid\":1,"
      "\"tid\":1},\n"
      "%s,\n"
      "{\"ph\":\"X\",\"name\":\"e\",\"ts\":0,\"dur\":100,\"pid\":1,"
      "\"tid\":2}\n]\n", slice);
  struct gt_recorder *rec = read_text(text, strlen(text), rep);

  free(text);
  return rec;
}

/* "dur": null is no dur: read as an X without dur (to the end, 100:
 * busy 10 + 80 = 90 us, said) or skipped and counted (busy 10). */
static void
test_item4_dur_null(void **state)
{
  struct gt_import_report rep;
  struct gt_recorder *rec = read_with_slice("{\"ph\":\"X\",\"name\":\"n\","
      "\"ts\":20,\"dur\":null,\"pid\":1,\"tid\":1}", &rep);
  struct gt_timeline *tl = gt_timeline_of(rec);
  uint64_t busy;

  (void)state;
  expect_busy(tl, "end", 100);
  busy = busy_ns(tl, lane_named(tl, "t"));
  if (!(busy == 90 * US && rep.unfinished == 1)
      && !(busy == 10 * US && skipped_of(&rep) == 1))
    fail_msg("dur null: busy %llu ns, drawn to the end %llu, skipped "
        "%llu; want 90 us and 1 drawn to the end, or 10 us and 1 skipped",
        (unsigned long long)busy, (unsigned long long)rep.unfinished,
        (unsigned long long)skipped_of(&rep));
  gt_timeline_free(tl);
  gt_recorder_free(rec);
}

/* A negative dur adds no running time: "t" stays busy 10 us, and the
 * file is read. */
static void
test_item4_negative_dur(void **state)
{
  struct gt_import_report rep;
  struct gt_recorder *rec = read_with_slice("{\"ph\":\"X\",\"name\":\"neg\","
      "\"ts\":20,\"dur\":-5,\"pid\":1,\"tid\":1}", &rep);
  struct gt_timeline *tl = gt_timeline_of(rec);

  (void)state;
  expect_busy(tl, "end", 100);
  expect_busy(tl, "t", 10);
  expect_at(tl, "t", gt_timeline_first(tl), 21, NULL);
  gt_timeline_free(tl);
  gt_recorder_free(rec);
}

/* A ts written as a numeric string, "20", means 20: "s" [20, 25) on
 * "t", busy 10 + 5 = 15 us and "s" at 22; or skipped and counted (busy
 * 10); never elsewhere. */
static void
test_item4_ts_numeric_string(void **state)
{
  struct gt_import_report rep;
  struct gt_recorder *rec = read_with_slice("{\"ph\":\"X\",\"name\":\"s\","
      "\"ts\":\"20\",\"dur\":5,\"pid\":1,\"tid\":1}", &rep);
  struct gt_timeline *tl = gt_timeline_of(rec);
  uint64_t busy = busy_ns(tl, lane_named(tl, "t"));

  (void)state;
  expect_busy(tl, "end", 100);
  if (busy == 15 * US)
    expect_at(tl, "t", gt_timeline_first(tl), 22, "s");
  else if (busy != 10 * US || skipped_of(&rep) != 1)
    fail_msg("ts \"20\": busy %llu ns, skipped %llu; want 15 us with \"s\" "
        "at 22, or 10 us and 1 skipped", (unsigned long long)busy,
        (unsigned long long)skipped_of(&rep));
  gt_timeline_free(tl);
  gt_recorder_free(rec);
}

/* One thread "t" running "a" [0, 10), in each of the text wrappers
 * below: read, one lane, busy 10 us. */
static void
expect_one_slice(const char *text, size_t len)
{
  struct gt_import_report rep;
  struct gt_recorder *rec = read_text(text, len, &rep);
  struct gt_timeline *tl = gt_timeline_of(rec);

  assert_int_equal(lanes_drawn(tl), 1);
  expect_busy(tl, "t", 10);
  expect_at(tl, "t", gt_timeline_first(tl), 5, "a");
  gt_timeline_free(tl);
  gt_recorder_free(rec);
}

#define ONE_SLICE "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1," \
    "\"tid\":1,\"args\":{\"name\":\"t\"}},\n{\"ph\":\"X\",\"name\":\"a\"," \
    "\"ts\":0,\"dur\":10,\"pid\":1,\"tid\":1}"

/* A trailing {} element (older Chrome writes one). */
static void
test_item4_trailing_empty_object(void **state)
{
  static const char a[] = "[" ONE_SLICE ",\n{}]\n";
  static const char b[] = "{\"traceEvents\":[" ONE_SLICE ",{}]}\n";

  (void)state;
  expect_one_slice(a, strlen(a));
  expect_one_slice(b, strlen(b));
}

/* A trailing comma after the last event, in both forms. */
static void
test_item4_trailing_comma(void **state)
{
  static const char a[] = "[" ONE_SLICE ",\n]\n";
  static const char b[] = "{\"traceEvents\":[" ONE_SLICE ",]}\n";

  (void)state;
  expect_one_slice(a, strlen(a));
  expect_one_slice(b, strlen(b));
}

/* A UTF-8 byte-order mark before the JSON. */
static void
test_item4_bom(void **state)
{
  static const char a[] = "\xef\xbb\xbf[" ONE_SLICE "]\n";
  static const char b[] = "\xef\xbb\xbf{\"traceEvents\":[" ONE_SLICE "]}\n";

  (void)state;
  expect_one_slice(a, strlen(a));
  expect_one_slice(b, strlen(b));
}

/* 300 nested slices on "deep": "d<k>" [k, 600 - k) for k = 0..299, so
 * "d<k>" is at depth k + 1.  Busy 600 us whatever is kept (d0 covers
 * it); at 100 the innermost is "d100".  Past depth 256 (d256..d299, 44
 * slices): read, so "d290" at 290 and none skipped; or skipped and
 * counted, 44 of them, and "d255" shows at 290. */
static void
test_item4_slices_300_deep(void **state)
{
  size_t cap = 64 + 300 * 96, at = 0, k;
  char *text = gt_xmalloc(cap);
  struct gt_import_report rep;
  struct gt_recorder *rec;
  struct gt_timeline *tl;
  const char *got;
  uint64_t t0;

  (void)state;
  at += (size_t)snprintf(text, cap, "[{\"ph\":\"M\",\"name\":"
      "\"thread_name\",\"pid\":1,\"tid\":1,\"args\":{\"name\":\"deep\"}}");
  for (k = 0; k < 300; k++)
    at += (size_t)snprintf(text + at, cap - at, ",\n{\"ph\":\"X\","
        "\"name\":\"d%zu\",\"ts\":%zu,\"dur\":%zu,\"pid\":1,\"tid\":1}",
        k, k, 600 - 2 * k);
  at += (size_t)snprintf(text + at, cap - at, "]\n");
  rec = read_text(text, at, &rep);
  tl = gt_timeline_of(rec);
  t0 = gt_timeline_first(tl);
  expect_busy(tl, "deep", 600);
  expect_at(tl, "deep", t0, 100, "d100");
  expect_at(tl, "deep", t0, 250, "d250");
  state_at(tl, lane_named(tl, "deep"), t0 + 290 * US, &got);
  if (!(got != NULL && strcmp(got, "d290") == 0 && skipped_of(&rep) == 0)
      && !(got != NULL && strcmp(got, "d255") == 0
          && skipped_of(&rep) == 44))
    fail_msg("at 290: \"%s\", skipped %llu; want \"d290\" and 0, or "
        "\"d255\" and 44", got ? got : "(idle)",
        (unsigned long long)skipped_of(&rep));
  gt_timeline_free(tl);
  gt_recorder_free(rec);
  free(text);
}

/* Args nested 100 deep on a slice: args gantty does not use; the slice
 * "a" [0, 10) is read, busy 10 us. */
static void
test_item4_args_100_deep(void **state)
{
  size_t cap = 512, at = 0, k;
  char *text = gt_xmalloc(cap);

  (void)state;
  at += (size_t)snprintf(text, cap, "[{\"ph\":\"M\",\"name\":\"thread_name\","
      "\"pid\":1,\"tid\":1,\"args\":{\"name\":\"t\"}},\n{\"ph\":\"X\","
      "\"name\":\"a\",\"ts\":0,\"dur\":10,\"pid\":1,\"tid\":1,\"args\":"
      "{\"deep\":");
  for (k = 0; k < 100; k++)
    text[at++] = '[';
  for (k = 0; k < 100; k++)
    text[at++] = ']';
  at += (size_t)snprintf(text + at, cap - at, "}}]\n");
  expect_one_slice(text, at);
  free(text);
}

/* A string of 1.5 MiB in a slice's args and in a thread_name's unused
 * args: read, the thread named "t", "a" [0, 10) busy 10 us. */
static void
test_item4_string_1_5_mib(void **state)
{
  size_t n = 3u << 19, cap = 2 * n + 512, at = 0;
  char *text = gt_xmalloc(cap);

  (void)state;
  at += (size_t)snprintf(text, cap, "[{\"ph\":\"M\",\"name\":\"thread_name\","
      "\"pid\":1,\"tid\":1,\"args\":{\"name\":\"t\",\"blob\":\"");
  memset(text + at, 'm', n);
  at += n;
  at += (size_t)snprintf(text + at, cap - at, "\"}},\n{\"ph\":\"X\","
      "\"name\":\"a\",\"ts\":0,\"dur\":10,\"pid\":1,\"tid\":1,\"args\":"
      "{\"blob\":\"");
  memset(text + at, 'x', n);
  at += n;
  at += (size_t)snprintf(text + at, cap - at, "\"}}]\n");
  expect_one_slice(text, at);
  free(text);
}

/* 1 200 processes, one slice each (pid k runs [0, 10)): read, with 1 200
 * runs, or 1 000 and the other 200 slices skipped and counted. */
static void
test_item4_1200_processes(void **state)
{
  size_t cap = 16 + 1200 * 80, at = 0, k;
  char *text = gt_xmalloc(cap);
  struct gt_import_report rep;
  struct gt_recorder *rec;
  size_t runs;

  (void)state;
  at += (size_t)snprintf(text, cap, "[");
  for (k = 1; k <= 1200; k++)
    at += (size_t)snprintf(text + at, cap - at, "%s{\"ph\":\"X\",\"name\":"
        "\"s\",\"ts\":0,\"dur\":10,\"pid\":%zu,\"tid\":1}\n",
        k > 1 ? "," : "", k);
  at += (size_t)snprintf(text + at, cap - at, "]\n");
  rec = read_text(text, at, &rep);
  runs = gt_recorder_runs(rec);
  if (!(runs == 1200) && !(runs == 1000 && skipped_of(&rep) == 200))
    fail_msg("1 200 processes: %zu runs, %llu skipped; want 1200, or 1000 "
        "and 200 skipped", runs, (unsigned long long)skipped_of(&rep));
  gt_recorder_free(rec);
  free(text);
}

/* ---- item 5: foreign args are not gantty's ---- */

/* A Fuchsia trace (hand/item5_fuchsia_args.json): args named as gantty's
 * (error 32928, status, task, worker, reason, name, start_us) of other
 * types.  Read as another tool's: thread "scenic" runs
 * "ViewManager::Present" [0, 12.5) and "Flush" [20, 25): busy 17.5 us. */
static void
test_item5_fuchsia_args(void **state)
{
  char *path = data_path("hand/item5_fuchsia_args.json");
  struct gt_import_report rep;
  struct gt_recorder *rec = read_path(path, &rep);
  struct gt_timeline *tl = gt_timeline_of(rec);

  (void)state;
  assert_false(rep.gantty);
  expect_busy(tl, "scenic", 17.5);
  expect_at(tl, "scenic", gt_timeline_first(tl), 5, "ViewManager::Present");
  expect_at(tl, "scenic", gt_timeline_first(tl), 22, "Flush");
  gt_timeline_free(tl);
  gt_recorder_free(rec);
  free(path);
}

/* An M event named "gantty" without gantty's marker (no t0_ns, no
 * format) does not make the file gantty's: a slice of cat "running" with
 * a task and worker that are strings is another tool's slice.  Thread
 * "w" runs "s" [0, 4): busy 4 us. */
static void
test_item5_gantty_name_only(void **state)
{
  static const char text[] = "[\n"
      "{\"ph\":\"M\",\"name\":\"gantty\",\"pid\":0,\"tid\":0,"
      "\"args\":{\"version\":\"another tool\"}},\n"
      "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":3,\"tid\":2,"
      "\"args\":{\"name\":\"w\"}},\n"
      "{\"ph\":\"X\",\"cat\":\"running\",\"name\":\"s\",\"ts\":0,"
      "\"dur\":4,\"pid\":3,\"tid\":2,\"args\":{\"task\":\"x\","
      "\"worker\":\"y\",\"error\":1}}\n]\n";
  struct gt_import_report rep;
  struct gt_recorder *rec = read_text(text, strlen(text), &rep);
  struct gt_timeline *tl = gt_timeline_of(rec);

  (void)state;
  assert_false(rep.gantty);
  expect_busy(tl, "w", 4);
  gt_timeline_free(tl);
  gt_recorder_free(rec);
}

/* ---- item 6: one bad event never loses the file ---- */

/* hand/item6_bad_events.json: thread "main" runs "a" [0, 10) and "b"
 * [20, 30), busy 20 us; between them, on lines 3 to 7, five bad events
 * (ts "abc", dur true, pid [1], ph "XX", no ph): read, the five skipped
 * and counted; gantty replay exits 0 and names the first, line 3. */
static void
test_item6_bad_events_skipped(void **state)
{
  char *path = data_path("hand/item6_bad_events.json");
  struct gt_import_report rep;
  struct gt_recorder *rec = read_path(path, &rep);
  struct gt_timeline *tl = gt_timeline_of(rec);
  struct cli c;

  (void)state;
  assert_int_equal(lanes_drawn(tl), 1);
  expect_busy(tl, "main", 20);
  expect_at(tl, "main", gt_timeline_first(tl), 15, NULL);
  assert_int_equal(skipped_of(&rep), 5);
  replay_headless(path, &c);
  if (c.status != 0 || strstr(c.err, "line 3, byte ") == NULL)
    fail_msg("gantty replay %s --headless: exit %d, stderr:\n%s\nwant 0 "
        "and \"line 3, byte \"", path, c.status, c.err);
  free(c.err);
  gt_timeline_free(tl);
  gt_recorder_free(rec);
  free(path);
}

/* A file cut in the middle of its third event, on line 3: the two whole
 * events are read (thread "t": [0, 10) and [20, 30), busy 20 us), the
 * import says it was cut, and gantty replay exits 0 saying where (line 3,
 * the byte where the file ends, as a cut is reported today). */
static void
test_item6_cut_mid_event(void **state)
{
  static const char text[] =
      "[{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":1,"
      "\"args\":{\"name\":\"t\"}},{\"ph\":\"X\",\"name\":\"a\",\"ts\":0,"
      "\"dur\":10,\"pid\":1,\"tid\":1},\n"
      "{\"ph\":\"X\",\"name\":\"b\",\"ts\":20,\"dur\":10,\"pid\":1,"
      "\"tid\":1},\n"
      "{\"ph\":\"X\",\"name\":\"c\",\"ts\":40,\"du";
  struct gt_import_report rep;
  struct gt_recorder *rec = read_text(text, strlen(text), &rep);
  struct gt_timeline *tl = gt_timeline_of(rec);
  char *path, *want;
  struct cli c;

  (void)state;
  assert_true(rep.cut);  /* cut inside an event, not between two */
  assert_int_equal(lanes_drawn(tl), 1);
  expect_busy(tl, "t", 20);
  gt_timeline_free(tl);
  gt_recorder_free(rec);
  path = write_tmp(text, strlen(text), ".json");
  replay_headless(path, &c);
  want = gt_xasprintf("line 3, byte %zu", strlen(text));
  if (c.status != 0 || strstr(c.err, want) == NULL)
    fail_msg("gantty replay (a file cut on line 3) --headless: exit %d, "
        "stderr:\n%s\nwant 0 and \"%s\"", c.status, c.err, want);
  free(want);
  free(c.err);
  unlink(path);
  free(path);
}

/* What is refused still: text that is not JSON at all (with the message
 * it has now, "not valid JSON"), and a file with no event to draw: every
 * event bad, or names only.  Each is GT_EPARSE with the file's path. */
static void
test_item6_refusals(void **state)
{
  static const struct { const char *text, *want; } cases[] = {
    { "hello", "not valid JSON" },
    { "[{\"ph\":\"X\",\"ts\":\"abc\",\"dur\":1,\"pid\":1,\"tid\":1},"
      "{\"ph\":\"X\",\"ts\":1,\"dur\":true,\"pid\":1,\"tid\":1}]", "" },
    { "[{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":1,\"tid\":0,"
      "\"args\":{\"name\":\"x\"}}]", "" },
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct gt_recorder *rec = gt_recorder_new();
    char *path = write_tmp(cases[i].text, strlen(cases[i].text), ".json");
    char *cause = NULL;
    int rc = gt_chrome_import(rec, path, NULL, NULL, NULL, &cause);

    if (rc != GT_EPARSE || cause == NULL || strstr(cause, path) == NULL
        || strstr(cause, cases[i].want) == NULL)
      fail_msg("case %zu: got %d \"%s\", want GT_EPARSE, the path and "
          "\"%s\"", i, rc, cause ? cause : "(none)", cases[i].want);
    free(cause);
    unlink(path);
    free(path);
    gt_recorder_free(rec);
  }
}

/* ---- item 8: keys as JSON.parse reads them; no events ---- */

/* Two "traceEvents" keys: the last wins (JSON.parse, Python).  The first
 * holds thread "one" [0, 10) of pid 1, the last thread "two" [0, 30) of
 * pid 2: one run, lane "two" busy 30 us, no lane "one". */
static void
test_item8_duplicate_trace_events(void **state)
{
  static const char text[] = "{\"traceEvents\":["
      "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":1,"
      "\"args\":{\"name\":\"one\"}},"
      "{\"ph\":\"X\",\"name\":\"a\",\"ts\":0,\"dur\":10,\"pid\":1,"
      "\"tid\":1}],\n\"traceEvents\":["
      "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":2,\"tid\":2,"
      "\"args\":{\"name\":\"two\"}},"
      "{\"ph\":\"X\",\"name\":\"b\",\"ts\":0,\"dur\":30,\"pid\":2,"
      "\"tid\":2}]}\n";
  struct gt_import_report rep;
  struct gt_recorder *rec = read_text(text, strlen(text), &rep);
  struct gt_timeline *tl = gt_timeline_of(rec);

  (void)state;
  assert_int_equal(gt_recorder_runs(rec), 1);
  assert_int_equal(lanes_drawn(tl), 1);
  expect_busy(tl, "two", 30);
  assert_null(find_lane(tl, "one"));
  gt_timeline_free(tl);
  gt_recorder_free(rec);
}

/* systemTraceEvents (ftrace text) is skipped with a note: the trace
 * events are read (thread "t", busy 10 us), and gantty replay exits 0
 * and names systemTraceEvents on stderr. */
static void
test_item8_system_trace_events(void **state)
{
  static const char text[] = "{\"traceEvents\":[" ONE_SLICE "],\n"
      "\"systemTraceEvents\":\"# tracer: nop\\n#\\n  <idle>-0 [000] "
      "1.000000: sched_switch: prev_comm=swapper\\n\"}\n";
  char *path;
  struct cli c;

  (void)state;
  expect_one_slice(text, strlen(text));
  path = write_tmp(text, strlen(text), ".json");
  replay_headless(path, &c);
  if (c.status != 0 || strstr(c.err, "systemTraceEvents") == NULL)
    fail_msg("gantty replay (with systemTraceEvents) --headless: exit %d, "
        "stderr:\n%s\nwant 0 and a note naming systemTraceEvents",
        c.status, c.err);
  free(c.err);
  unlink(path);
  free(path);
}

/* [], an array of arrays and an empty traceEvents have no event to draw:
 * refused as "no events" (exit 2), not an empty view. */
static void
test_item8_no_events(void **state)
{
  static const char *const texts[] = {
    "[]", "[]\n", "[[1,2]]", "[[1,2],[3]]\n", "{\"traceEvents\":[]}",
  };
  char *path;
  struct cli c;
  size_t i;

  (void)state;
  for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
    refused_no_events(texts[i]);
  path = write_tmp("[]", 2, ".json");
  replay_headless(path, &c);
  if (c.status != 2 || strstr(c.err, "events") == NULL)
    fail_msg("gantty replay [] --headless: exit %d, stderr:\n%s\nwant 2 and "
        "\"no ... events\"", c.status, c.err);
  free(c.err);
  unlink(path);
  free(path);
}

/* ---- item 9: foreign data in foreign words (the importer's side) ---- */

/* hand/item9_foreign_names.json: pid 9's thread 3 has no name; pids 1
 * and 2 are both "renderer" (one thread each, busy 20 and 30 us); pid 5
 * has only metadata (a process name, a thread name).  The unnamed lane is
 * "pid 9 / tid 3", busy 10 us. */
static void
test_item9_unnamed_thread(void **state)
{
  char *path = data_path("hand/item9_foreign_names.json");
  struct gt_import_report rep;
  struct gt_recorder *rec = read_path(path, &rep);
  struct gt_timeline *tl = gt_timeline_of(rec);

  (void)state;
  expect_busy(tl, "pid 9 / tid 3", 10);
  gt_timeline_free(tl);
  gt_recorder_free(rec);
  free(path);
}

/* The same file: the two "renderer" processes are told apart by pid, and
 * each run's name says which. */
static void
test_item9_same_process_names(void **state)
{
  char *path = data_path("hand/item9_foreign_names.json");
  struct gt_import_report rep;
  struct gt_recorder *rec = read_path(path, &rep);
  const char *n, *one = NULL, *two = NULL;
  uint16_t r;

  (void)state;
  for (r = 0; r < gt_recorder_runs(rec); r++) {
    n = run_name(rec, r);
    if (strstr(n, "renderer") != NULL && strstr(n, "1") != NULL)
      one = n;
    if (strstr(n, "renderer") != NULL && strstr(n, "2") != NULL)
      two = n;
  }
  if (one == NULL || two == NULL || strcmp(one, two) == 0)
    fail_msg("want two runs named \"renderer\" told apart by pid 1 and 2; "
        "got \"%s\" and \"%s\"", one ? one : "", two ? two : "");
  gt_recorder_free(rec);
  free(path);
}

/* The same file: pid 5, metadata only, is no panel: three runs (pids 1,
 * 2, 9), three lanes drawn, none named "sleeper". */
static void
test_item9_metadata_only_process(void **state)
{
  char *path = data_path("hand/item9_foreign_names.json");
  struct gt_import_report rep;
  struct gt_recorder *rec = read_path(path, &rep);
  struct gt_timeline *tl = gt_timeline_of(rec);
  uint16_t r;

  (void)state;
  assert_int_equal(gt_recorder_runs(rec), 3);
  assert_int_equal(lanes_drawn(tl), 3);
  assert_null(find_lane(tl, "sleeper"));
  for (r = 0; r < gt_recorder_runs(rec); r++)
    assert_null(strstr(run_name(rec, r), "idle helper"));
  gt_timeline_free(tl);
  gt_recorder_free(rec);
  free(path);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_real_clang_ftime_trace),
    cmocka_unit_test(test_real_cmake_profile),
    cmocka_unit_test(test_real_node_trace_events),
    cmocka_unit_test(test_item1_compositor),
    cmocka_unit_test(test_item2_child_before_parent),
    cmocka_unit_test(test_item3_pytorch_string_ids),
    cmocka_unit_test(test_item3_float_and_big_ids),
    cmocka_unit_test(test_item4_x_without_dur),
    cmocka_unit_test(test_item4_e_before_start),
    cmocka_unit_test(test_item4_dur_null),
    cmocka_unit_test(test_item4_negative_dur),
    cmocka_unit_test(test_item4_ts_numeric_string),
    cmocka_unit_test(test_item4_trailing_empty_object),
    cmocka_unit_test(test_item4_trailing_comma),
    cmocka_unit_test(test_item4_bom),
    cmocka_unit_test(test_item4_slices_300_deep),
    cmocka_unit_test(test_item4_args_100_deep),
    cmocka_unit_test(test_item4_string_1_5_mib),
    cmocka_unit_test(test_item4_1200_processes),
    cmocka_unit_test(test_item5_fuchsia_args),
    cmocka_unit_test(test_item5_gantty_name_only),
    cmocka_unit_test(test_item6_bad_events_skipped),
    cmocka_unit_test(test_item6_cut_mid_event),
    cmocka_unit_test(test_item6_refusals),
    cmocka_unit_test(test_item7_gzip_clang),
    cmocka_unit_test(test_item7_gzip_cmake),
    cmocka_unit_test(test_item7_gzip_node),
    cmocka_unit_test(test_item7_gzip_any_name),
    cmocka_unit_test(test_item8_duplicate_trace_events),
    cmocka_unit_test(test_item8_system_trace_events),
    cmocka_unit_test(test_item8_no_events),
    cmocka_unit_test(test_item9_unnamed_thread),
    cmocka_unit_test(test_item9_same_process_names),
    cmocka_unit_test(test_item9_metadata_only_process),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
