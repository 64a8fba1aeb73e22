/*
 * fuzz/fuzz_import.c: a Chrome JSON trace, as `gantty replay FILE` and
 * `gantty convert` take it from whoever sent it, read by the importer and
 * then carried through everything a replay does with it: lanes, stats, the
 * headless report and the summary, the three exporters, the view model
 * (fold, then cells, figures, captions and rows for a window that fits the
 * session and one zoomed in), a frame of the live view drawn on a curses
 * screen that writes to /dev/null, and the replay engine played to its end
 * and back.
 *
 * The input is written to a file of the harness's own scratch folder (the
 * importer reads a path, in chunks).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <curses.h>

#include "chrome.h"
#include "draw.h"
#include "export.h"
#include "base.h"
#include "fuzz.h"
#include "lanes.h"
#include "replay.h"
#include "report.h"
#include "timeline.h"
#include "view.h"

#define COLS_N   100
#define LINES_N  30
#define MAX_ROWS 4096

static char trace_path[4200], summary_path[4200];
static FILE *devnull;
static struct gt_row rows[MAX_ROWS];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
  const char *dir = gt_fuzz_dir();
  FILE *in;

  (void)argc, (void)argv;
  snprintf(trace_path, sizeof(trace_path), "%s/trace.json", dir);
  snprintf(summary_path, sizeof(summary_path), "%s/summary.json", dir);
  devnull = fopen("/dev/null", "w");
  in = fopen("/dev/null", "r");
  if (devnull == NULL || in == NULL
      || newterm("xterm-256color", devnull, in) == NULL) {
    fputs("fuzz_import: no curses screen on /dev/null\n", stderr);
    abort();
  }
  resizeterm(LINES_N, COLS_N);
  return 0;
}

/* Write the input where the importer reads it. */
static void
put_input(const uint8_t *data, size_t size)
{
  int fd = open(trace_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  size_t done = 0;
  ssize_t n;

  if (fd < 0) {
    perror(trace_path);
    abort();
  }
  while (done < size) {
    n = write(fd, data + done, size - done);
    if (n <= 0) {
      perror(trace_path);
      abort();
    }
    done += (size_t)n;
  }
  close(fd);
}

/* The window's figures for every panel and the cells of every lane. */
static void
view_window(struct gt_view *v, uint64_t t_lo, uint64_t ns_per_col,
    unsigned cols)
{
  static struct gt_cell cells[COLS_N];
  uint64_t cov[GT_CAT_COUNT];
  struct gt_run_figures fig;
  char buf[256];
  size_t p, i, n;

  for (p = 0; p < gt_view_panels(v); p++) {
    gt_view_figures(v, p, &fig);
    gt_view_caption(v, p, buf, sizeof(buf));
    n = gt_view_panel_nlanes(v, p);
    for (i = 0; i < n; i++) {
      const struct gt_tl_lane *l = gt_view_panel_lane(v, p, i);

      gt_view_cells(v, l, t_lo, ns_per_col, cols, cells);
      gt_view_coverage(v, l, t_lo, t_lo + ns_per_col * cols, cov);
      (void)gt_view_cat_at(l, t_lo + ns_per_col * cols / 2);
    }
  }
  gt_view_verdict(v, buf, sizeof(buf));
}

/* The live view's model and one frame, as the TUI shows the session. */
static void
view_session(struct gt_recorder *rec)
{
  struct gt_view *v = gt_view_new(rec);
  struct gt_ui ui = { .solo = -1, .label_w = 18, .title = "fuzz",
      .fit = 1 };
  uint64_t t0, now, span;
  unsigned cols;
  size_t nrows;
  int by;

  gt_view_update(v, 0);
  (void)gt_view_all_done(v);
  (void)gt_view_cats_seen(v);
  cols = gt_draw_chart_cols(&ui, COLS_N);
  if (cols > COLS_N)
    cols = COLS_N;
  t0 = gt_view_t0(v);
  now = gt_view_now(v);
  span = now > t0 ? (now - t0) + (now - t0) / 20 : 0;
  ui.t_lo = t0;
  ui.ns_per_col = span / cols ? span / cols : 1;
  for (by = 0; by < 2; by++) {
    gt_view_set_by_worker(v, by);
    view_window(v, ui.t_lo, ui.ns_per_col, cols);
    view_window(v, t0 + span / 3, ui.ns_per_col / 64 ? ui.ns_per_col / 64
        : 1, cols);
    nrows = gt_view_rows(v, -1, rows, MAX_ROWS);
    if (nrows > MAX_ROWS)
      nrows = MAX_ROWS;
    ui.sel = nrows > 1 ? 1 : 0;
    gt_draw_init(&(struct gt_draw_opts){ .ascii = by, .color = !by });
    erase();
    gt_draw_frame(v, &ui, rows, nrows);
    nrows = gt_view_rows(v, 0, rows, MAX_ROWS);
  }
  gt_view_free(v);
}

/* Play the session back to its end, step back, and go home. */
static void
replay_session(struct gt_recorder *rec)
{
  struct gt_replay *r = gt_replay_new(rec);
  struct gt_view *v;
  char msg[128];

  gt_replay_act(r, GT_REPLAY_END, 1, msg, sizeof(msg));
  gt_replay_act(r, GT_REPLAY_PREV, 2, msg, sizeof(msg));
  v = gt_view_new(gt_replay_recorder(r));
  gt_view_update(v, 0);
  gt_view_free(v);
  gt_replay_act(r, GT_REPLAY_HOME, 3, msg, sizeof(msg));
  gt_replay_act(r, GT_REPLAY_NEXT, 4, msg, sizeof(msg));
  gt_replay_act(r, GT_REPLAY_FASTER, 5, msg, sizeof(msg));
  gt_replay_act(r, GT_REPLAY_PAUSE, 6, msg, sizeof(msg));  /* plays */
  (void)gt_replay_clock(r, 6 + 2000000000ull);
  (void)gt_replay_clock(r, UINT64_MAX);
  gt_replay_free(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct gt_recorder *rec = gt_recorder_new();
  struct gt_import_report rep;
  struct gt_run_figures *st;
  struct gt_lanes lanes;
  struct gt_timeline *tl;
  struct gt_report_verdict rv;
  char *cause = NULL;
  size_t nst, ntasks = 0, i;

  put_input(data, size);
  if (gt_chrome_import(rec, trace_path, &rep, NULL, NULL, &cause) != 0) {
    if (cause == NULL)
      abort();  /* a refusal always says why */
    free(cause);
    gt_recorder_free(rec);
    return 0;
  }
  /* the report counts what is drawn and keeps a few notes, each said */
  if (rep.nnotes > GT_IMPORT_NOTES || rep.runs != gt_recorder_runs(rec)
      || (!rep.gantty && rep.tasks == 0))
    abort();
  for (i = 0; i < rep.nnotes; i++)
    if (rep.note[i].line == 0 || rep.note[i].byte > rep.bytes
        || memchr(rep.note[i].what, '\0', sizeof(rep.note[i].what)) == NULL
        || rep.bad[rep.note[i].cause] == 0)
      abort();
  /* `gantty replay FILE --headless --summary S`: what finish_session does */
  gt_lanes_build(rec, &lanes);
  st = gt_xcalloc(gt_recorder_runs(rec) + 1u, sizeof(*st));
  nst = gt_timeline_figures_of(rec, st, gt_recorder_runs(rec));
  gt_report_print(devnull, rec, &lanes, st, nst,
      &(struct gt_report_opts){ .width = 100 });
  gt_report_print(devnull, rec, &lanes, st, nst,
      &(struct gt_report_opts){ .ascii = 1, .width = 40 });
  /* `gantty convert`: every format */
  gt_lanes_done(&lanes);
  tl = gt_timeline_of(rec);
  gt_report_verdict_of(tl, 0, &rv);
  gt_chrome_write(tl, devnull);
  gt_csv_write(tl, devnull);
  gt_svg_write(tl, devnull);
  gt_timeline_free(tl);
  for (i = 0; i < nst; i++)
    if (st[i].tasks > ntasks)
      ntasks = st[i].tasks;
  if (gt_summary_write(summary_path, gt_recorder_workload(rec), ntasks,
      gt_recorder_settings(rec), st, nst, &rv, &cause) != 0)
    free(cause);
  gt_report_verdict_done(&rv);
  free(st);
  view_session(rec);
  replay_session(rec);
  gt_recorder_free(rec);
  return 0;
}
