/*
 * bench/bench_import.c: reading Chrome JSON (issue 7).
 *
 * A session of 1 000 000 events (4 runs of 250 tasks that each wait and run
 * 500 times) is exported to a file in $TMPDIR (about 150 MB), then:
 *   - gt_chrome_import() reads it: MB/s, best of REPS;
 *   - python3 -c 'import json; json.load(open(F))' reads the same file, the
 *     baseline measured in the same run (best of PY_REPS);
 *   - a replay's first frame: the import, the view built on it and the
 *     cells of every lane over the whole session, as the live view does
 *     before it draws (the drawing itself is bench_frame's).
 * Prints "bench: NAME = VALUE UNIT" lines; docs/PERFORMANCE.md records
 * them.  A missed budget exits 0; a benchmark that cannot run exits 1.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base.h"
#include "bench.h"
#include "chrome.h"
#include "recorder.h"
#include "view.h"

#define RUNS        4u
#define TASKS       250u
#define ROUNDS      500u      /* wait + resume pairs a task: 1 000 events */
#define REPS        3
#define PY_REPS     2
#define COLS        200       /* cells a lane, as a wide terminal */
#define BUDGET_MB_S 200.0
#define BUDGET_PY_X 5.0
#define BUDGET_FIRST_FRAME_MS 1000.0

/* One event. */
static void
put(struct gt_recorder *rec, uint16_t run, uint32_t task, uint64_t ts,
    int kind, int reason, uint32_t label, int32_t worker)
{
  struct gt_event ev = { .ts_ns = ts, .task = task, .label = label,
      .worker = worker, .run = run, .kind = (uint8_t)kind,
      .reason = (uint8_t)reason };

  gt_recorder_append(rec, &ev);
}

/* The session: every task queued, started, then waiting and running by
 * turns, and finished. */
static struct gt_recorder *
make_session(void)
{
  struct gt_recorder *rec = gt_recorder_new();
  uint64_t t0 = gt_recorder_t0(rec), ts;
  uint32_t names[TASKS], get = gt_recorder_intern(rec, "GET /page");
  uint32_t parse = gt_recorder_intern(rec, "parse HTML");
  struct gt_run_info info = { .workers = TASKS, .tasks = TASKS };
  char name[32];
  unsigned r, t, k;

  for (t = 0; t < TASKS; t++) {
    snprintf(name, sizeof(name), "page %u", t);
    names[t] = gt_recorder_intern(rec, name);
  }
  for (r = 0; r < RUNS; r++) {
    snprintf(name, sizeof(name), "mode%u", r);
    info.name = gt_recorder_intern(rec, name);
    gt_recorder_run_add(rec, &info);
    gt_recorder_run_start(rec, (uint16_t)r, t0 + 1000);
    for (t = 0; t < TASKS; t++) {
      ts = t0 + 1000 + t * 777u;
      put(rec, (uint16_t)r, t, ts, GT_EV_QUEUE, 0, names[t], -1);
      put(rec, (uint16_t)r, t, ts += 1500, GT_EV_START, 0, get, (int32_t)t);
      for (k = 0; k < ROUNDS - 1; k++) {
        put(rec, (uint16_t)r, t, ts += 2000 + k % 7, GT_EV_WAIT,
            GT_R_NET, get, (int32_t)t);
        put(rec, (uint16_t)r, t, ts += 30000 + (k * 13 + t) % 5000,
            GT_EV_RESUME, 0, parse, (int32_t)t);
      }
      put(rec, (uint16_t)r, t, ts += 2500, GT_EV_FINISH, 0, 0, (int32_t)t);
    }
    gt_recorder_run_end(rec, (uint16_t)r, ts + 1000);
  }
  return rec;
}

/* Seconds for python3 to json.load the file; < 0 without python3. */
static double
python_s(const char *path)
{
  char cmd[4096];
  uint64_t t;
  int rc;

  snprintf(cmd, sizeof(cmd), "python3 -c 'import json,sys; "
      "json.load(open(sys.argv[1]))' '%s'", path);
  t = gt_now_ns();
  rc = system(cmd);
  t = gt_now_ns() - t;
  return rc == 0 ? (double)t / 1e9 : -1;
}

int
main(void)
{
  const char *tmp = getenv("TMPDIR");
  char path[4096], *cause = NULL;
  struct gt_recorder *rec = make_session(), *back;
  struct gt_import_report rep;
  struct gt_cell cells[COLS];
  struct stat sb;
  double best = 0, py = 0, s, first = 0, mb;
  uint64_t t;
  size_t p, i;
  int rep_i, fd;
  struct gt_view *v;

  snprintf(path, sizeof(path), "%s/bench_import.XXXXXX",
      tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
  fd = mkstemp(path);
  if (fd < 0) {
    perror("bench_import: mkstemp");
    return 1;
  }
  close(fd);
  if (gt_chrome_export(rec, path, &cause) != 0 || stat(path, &sb) != 0) {
    fprintf(stderr, "bench_import: %s\n", cause ? cause : path);
    return 1;
  }
  gt_recorder_free(rec);
  mb = (double)sb.st_size / 1e6;
  for (rep_i = 0; rep_i < REPS; rep_i++) {
    back = gt_recorder_new();
    t = gt_now_ns();
    if (gt_chrome_import(back, path, &rep, NULL, NULL, &cause) != 0) {
      fprintf(stderr, "bench_import: %s\n", cause);
      return 1;
    }
    /* the replay's first frame: the view on it, every lane's cells */
    v = gt_view_new(back);
    gt_view_update(v, 0);
    for (p = 0; p < gt_view_panels(v); p++)
      for (i = 0; i < gt_view_panel_nlanes(v, p); i++)
        gt_view_cells(v, gt_view_panel_lane(v, p, i), gt_view_t0(v),
            (gt_view_now(v) - gt_view_t0(v)) / COLS + 1, COLS, cells);
    s = (double)(gt_now_ns() - t) / 1e9;
    gt_view_free(v);
    gt_recorder_free(back);
    if (rep_i == 0 || s < first)
      first = s;
    back = gt_recorder_new();
    t = gt_now_ns();
    gt_chrome_import(back, path, NULL, NULL, NULL, NULL);
    s = (double)(gt_now_ns() - t) / 1e9;
    gt_recorder_free(back);
    if (rep_i == 0 || mb / s > best)
      best = mb / s;
  }
  for (rep_i = 0; rep_i < PY_REPS; rep_i++) {
    s = python_s(path);
    if (s < 0) {
      fprintf(stderr, "bench_import: python3 could not read %s\n", path);
      unlink(path);
      return 1;
    }
    if (rep_i == 0 || s < py)
      py = s;
  }
  unlink(path);
  printf("bench: import: %.1f MB of Chrome JSON, %llu events in the file, "
      "best of %d (python3 best of %d)\n", mb,
      (unsigned long long)rep.events, REPS, PY_REPS);
  bench_report("import_mb_s", best, "MB/s");
  bench_report("python_json_load_mb_s", mb / py, "MB/s");
  bench_report("import_vs_python", best / (mb / py), "x");
  bench_report("replay_first_frame_ms", first * 1e3, "ms");
  bench_verdict("import_mb_s", best >= BUDGET_MB_S);
  bench_verdict("import_vs_python", best / (mb / py) >= BUDGET_PY_X);
  bench_verdict("replay_first_frame", first * 1e3 <= BUDGET_FIRST_FRAME_MS);
  return bench_status(0);
}
