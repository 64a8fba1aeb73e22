/*
 * tests/test_draw.c: the frame, read back from a curses screen.  Each test
 * opens its own screen (newterm on /dev/null, 30 x 100, xterm-256color),
 * paints a hand-written session with gt_draw_frame() and reads stdscr cell
 * by cell: the title, the ruler, panel headers and captions, lane labels,
 * the glyph and colour of lane cells in colour, monochrome and ASCII
 * drawing, the failed mark, the overlays and the status line.  Nothing is
 * refreshed: stdscr holds what the frame drew.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <locale.h>
#include <wchar.h>
#include <curses.h>
#include <cmocka.h>

#include "base.h"
#include "draw.h"
#include "recorder.h"
#include "support/session.h"
#include "tui.h"
#include "view.h"

#define MS 1000000ull             /* ns per millisecond */
#define LINES_N 30
#define COLS_N 100
#define LABEL_W 12
#define X0 (LABEL_W + 1)          /* screen column of chart column 0 */

/* A screen, a session and the UI state the frame is drawn with. */
struct fx {
  FILE               *out, *in;   /* /dev/null both */
  SCREEN             *scr;
  struct gt_recorder *rec;
  struct gt_view     *v;
  struct gt_ui        ui;
  uint64_t            t0;
};

/* The session every frame shows:
 *   sync (1 worker): genre 0 runs 0-10 ms, waits on the net 10-30, runs
 *     30-40, ends ok at 40; genre 1 is queued 0-40, runs 40-50, waits on the
 *     net 50-60 and fails at 60.
 *   threads (2 workers): genre 0 runs 0-5, net 5-25, runs 25-30; genre 1
 *     runs 0-5.5, waits on the disk 5.5-25, runs 25-30.  Both end at 30. */
static void
session(struct fx *f)
{
  struct gt_recorder *rec = f->rec;
  uint16_t s = gt_test_run(rec, "sync", 1, 2, 0, 60000);
  uint16_t t = gt_test_run(rec, "threads", 2, 2, 0, 30000);
  uint32_t k;

  for (k = 0; k < 2; k++) {
    gt_test_queue(rec, s, k, 0, k ? "genre 1" : "genre 0");
    gt_test_queue(rec, t, k, 0, k ? "genre 1" : "genre 0");
  }
  gt_test_start(rec, s, 0, 0, 0);
  gt_test_wait_on(rec, s, 0, 10000, GT_R_NET, 0);
  gt_test_resume(rec, s, 0, 30000, 0);
  gt_test_finish(rec, s, 0, 40000, 0, 0);
  gt_test_start(rec, s, 1, 40000, 0);
  gt_test_wait_on(rec, s, 1, 50000, GT_R_NET, 0);
  gt_test_finish(rec, s, 1, 60000, 0, GT_EHTTP);
  gt_test_start(rec, t, 0, 0, 0);
  gt_test_wait_on(rec, t, 0, 5000, GT_R_NET, 0);
  gt_test_resume(rec, t, 0, 25000, 0);
  gt_test_finish(rec, t, 0, 30000, 0, 0);
  gt_test_start(rec, t, 1, 0, 1);
  gt_test_put(rec, t, 1, GT_EV_WAIT, 5500, GT_R_DISK, 1,
      "write new_file1.txt", 0);
  gt_test_resume(rec, t, 1, 25000, 1);
  gt_test_finish(rec, t, 1, 30000, 1, 0);
}

/* A fresh 30 x 100 screen on /dev/null and the session folded into a
 * view; the window shows 1 ms per column from t0. */
static int
setup(void **state)
{
  struct fx *f = gt_xcalloc(1, sizeof(*f));

  f->out = fopen("/dev/null", "w");
  f->in = fopen("/dev/null", "r");
  if (f->out == NULL || f->in == NULL)
    return -1;
  f->scr = newterm("xterm-256color", f->out, f->in);
  if (f->scr == NULL)
    return -1;
  resizeterm(LINES_N, COLS_N);
  f->rec = gt_recorder_new();
  f->t0 = gt_recorder_t0(f->rec);
  session(f);
  f->v = gt_view_new(f->rec);
  gt_view_update(f->v, 0);
  f->ui.t_lo = f->t0;
  f->ui.ns_per_col = 1 * MS;
  f->ui.solo = -1;
  f->ui.sel = 2;                  /* sync's first lane */
  f->ui.label_w = LABEL_W;
  f->ui.title = "genre, 2 tasks";
  *state = f;
  return 0;
}

/* Close the screen, then free the view and the recorder. */
static int
teardown(void **state)
{
  struct fx *f = *state;

  endwin();
  delscreen(f->scr);
  fclose(f->out);
  fclose(f->in);
  gt_view_free(f->v);
  gt_recorder_free(f->rec);
  free(f);
  return 0;
}

#define MAX_TEST_ROWS 100000
static struct gt_row rows[MAX_TEST_ROWS];  /* the chart's rows, as the TUI's */
static size_t nrows;

/* Set drawing options up and paint one frame. */
static void
paint(struct fx *f, int ascii, int color)
{
  struct gt_draw_opts o = { .ascii = ascii, .color = color };

  gt_draw_init(&o);
  erase();
  nrows = gt_view_rows(f->v, f->ui.solo, rows, MAX_TEST_ROWS);
  gt_draw_frame(f->v, &f->ui, rows, nrows < MAX_TEST_ROWS ? nrows
      : MAX_TEST_ROWS);
}

/* Screen row y as UTF-8 text. */
static const char *
row_text(int y)
{
  static char buf[4 * COLS_N + 1];
  wchar_t w[COLS_N + 1];
  int n;

  n = mvinnwstr(y, 0, w, COLS_N);
  assert_true(n > 0);
  w[n] = L'\0';
  assert_true(wcstombs(buf, w, sizeof(buf)) != (size_t)-1);
  return buf;
}

/* Fail unless screen row y contains needle. */
static void
row_has(int y, const char *needle)
{
  const char *t = row_text(y);

  if (strstr(t, needle) != NULL)
    return;
  print_error("row %d is \"%s\"; it should contain \"%s\"\n", y, t, needle);
  fail();
}

/* The first screen row that contains needle, or -1. */
static int
find_row(const char *needle)
{
  int y;

  for (y = 0; y < LINES; y++)
    if (strstr(row_text(y), needle) != NULL)
      return y;
  return -1;
}

/* What one screen cell holds: its character as UTF-8, attributes and the
 * foreground and background of its colour pair. */
struct cell {
  char   s[8];
  attr_t attr;
  short  pair, fg, bg;
};

/* Read the cell at (y, x). */
static struct cell
cell_at(int y, int x)
{
  struct cell c = { .fg = -2, .bg = -2 };
  wchar_t wch[CCHARW_MAX + 1] = { 0 };
  cchar_t cc;
  mbstate_t ms;
  size_t n;

  memset(&ms, 0, sizeof(ms));
  assert_int_equal(mvin_wch(y, x, &cc), OK);
  assert_int_equal(getcchar(&cc, wch, &c.attr, &c.pair, NULL), OK);
  n = wcrtomb(c.s, wch[0], &ms);
  assert_true(n != (size_t)-1 && n < sizeof(c.s));
  c.s[n] = '\0';
  if (c.pair > 0)
    pair_content(c.pair, &c.fg, &c.bg);
  return c;
}

/* Fail unless chart columns [from, to) of screen row y all show glyph. */
static void
cells_show(int y, unsigned from, unsigned to, const char *glyph)
{
  struct cell c;
  unsigned x;

  for (x = from; x < to; x++) {
    c = cell_at(y, X0 + (int)x);
    if (strcmp(c.s, glyph) == 0)
      continue;
    print_error("row %d, chart column %u: \"%s\", want \"%s\"\n", y, x, c.s,
        glyph);
    fail();
  }
}

/* Fail unless chart columns [from, to) of row y are drawn in colour fg. */
static void
cells_colour(int y, unsigned from, unsigned to, short fg)
{
  struct cell c;
  unsigned x;

  for (x = from; x < to; x++) {
    c = cell_at(y, X0 + (int)x);
    if (c.fg == fg)
      continue;
    print_error("row %d, chart column %u: colour %d, want %d\n", y, x, c.fg,
        fg);
    fail();
  }
}

/* Title, ruler, headers, captions, labels, legend and status line. */
static void
test_frame_text(void **state)
{
  struct fx *f = *state;

  paint(f, 0, 1);
  row_has(0, "gantty");
  row_has(0, "genre, 2 tasks");
  row_has(0, "threads won: 2.0x faster than sync");
  /* Ticks every 20 ms at 1 ms a column: "0" right after the first. */
  assert_string_equal(cell_at(1, X0).s, "╷");
  assert_string_equal(cell_at(1, X0 + 1).s, "0");
  row_has(1, "20 ms");
  assert_string_equal(cell_at(1, X0 + 20).s, "╷");
  assert_string_equal(cell_at(1, X0 + 40).s, "╷");
  /* Rows: header, caption, two lanes, per panel. */
  row_has(2, "sync");
  row_has(2, "1 worker ");
  row_has(2, "wall 60 ms");
  assert_string_equal(cell_at(2, 0).s, "▶");   /* the selected panel */
  row_has(3, "sync: done, 1 ok, 1 failed");
  assert_true(strncmp(row_text(4), "genre 0     ", LABEL_W) == 0);
  assert_true(strncmp(row_text(5), "genre 1     ", LABEL_W) == 0);
  row_has(6, "threads");
  row_has(6, "2 workers");
  row_has(6, "2.00x vs sync");
  assert_string_equal(cell_at(6, 0).s, " ");
  row_has(7, "threads: done, 2 ok; 2.0x faster than sync");
  assert_true(strncmp(row_text(8), "genre 0", 7) == 0);
  assert_true(strncmp(row_text(9), "genre 1", 7) == 0);
  assert_int_equal(strspn(row_text(10), " "), COLS_N);
  /* The selected lane's label is in reverse video, the others not. */
  assert_true(cell_at(4, 0).attr & A_REVERSE);
  assert_false(cell_at(8, 0).attr & A_REVERSE);
  /* A failed task's label is red. */
  assert_int_equal(cell_at(5, 0).fg, COLOR_RED);
  row_has(LINES_N - 2, "running");
  row_has(LINES_N - 2, "queued");
  row_has(LINES_N - 2, "net");
  row_has(LINES_N - 2, "failed");
  row_has(LINES_N - 1, "? help");
  row_has(LINES_N - 1, "q quit");
  assert_true(cell_at(LINES_N - 1, 0).attr & A_REVERSE);
}

/* Start f over on a session of its own (the fixture's is replaced). */
static void
new_session(struct fx *f)
{
  gt_view_free(f->v);
  gt_recorder_free(f->rec);
  f->rec = gt_recorder_new();
  f->t0 = gt_recorder_t0(f->rec);
}

/* Every task failed (--errors 100): the title names no winner and says
 * so; a session with contention says so after the verdict, or after
 * "done"; a foreign run's header has no ideal, a gantty run's has one. */
static void
test_frame_title_honest(void **state)
{
  struct fx *f = *state;
  struct gt_run_info ri = { .workers = 1, .tasks = 1,
    .flags = GT_RUN_FOREIGN };
  uint16_t r;
  int k;

  new_session(f);
  for (k = 0; k < 2; k++) {
    r = gt_test_run(f->rec, k ? "threads" : "sync", 1, 1, 0, 20000);
    gt_test_queue(f->rec, r, 0, 0, "genre 0");
    gt_test_start(f->rec, r, 0, 1, 0);
    gt_test_finish(f->rec, r, 0, 20000, 0, GT_EHTTP);
  }
  f->v = gt_view_new(f->rec);
  gt_view_update(f->v, 0);
  paint(f, 0, 1);
  row_has(0, "no winner");
  assert_null(strstr(row_text(0), "won"));
  assert_null(strstr(row_text(0), "fastest"));
  row_has(2, "ideal");

  new_session(f);
  r = gt_test_run(f->rec, "sync", 1, 1, 0, 20000);
  gt_test_queue(f->rec, r, 0, 0, "genre 0");
  gt_test_start(f->rec, r, 0, 1, 0);
  gt_test_finish(f->rec, r, 0, 20000, 0, 0);
  gt_recorder_run_set_contention(f->rec, r, 380);
  f->v = gt_view_new(f->rec);
  gt_view_update(f->v, 0);
  paint(f, 1, 0);
  row_has(0, "genre, 2 tasks  done; other programs used 38% of the CPU: "
      "the CPU figures are off");

  new_session(f);
  ri.name = gt_recorder_intern(f->rec, "python");
  r = gt_recorder_run_add(f->rec, &ri);
  gt_recorder_run_start(f->rec, r, f->t0);   /* as the importer sets */
  gt_recorder_run_end(f->rec, r, f->t0 + 20 * MS);
  gt_test_queue(f->rec, r, 0, 0, "a");
  gt_test_start(f->rec, r, 0, 1, 0);
  gt_test_finish(f->rec, r, 0, 20000, 0, 0);
  f->v = gt_view_new(f->rec);
  gt_view_update(f->v, 0);
  paint(f, 0, 1);
  row_has(2, "python");
  row_has(2, "span");             /* issue 14: a trace's span, not a wall */
  assert_null(strstr(row_text(2), "ideal"));
}

/* Another tool's trace as the importer leaves it: Renderer (pid 9) has
 * Main, in slices Layout 0-400 us and Paint 600-1000 us, and Raster, in
 * one slice 100-300 us; GPU (pid 12) has Submit, one slice 50-850 us.
 * Each thread is idle from its first slice on, and ends at its last. */
static void
foreign_session(struct fx *f)
{
  static const char *const proc[2] = { "Renderer", "GPU" };
  struct gt_run_info ri = { .flags = GT_RUN_FOREIGN };
  uint16_t r[2];
  int k;

  new_session(f);
  for (k = 0; k < 2; k++) {
    ri.name = gt_recorder_intern(f->rec, proc[k]);
    ri.workers = ri.tasks = k ? 1 : 2;
    r[k] = gt_recorder_run_add(f->rec, &ri);
  }
  gt_recorder_run_start(f->rec, r[0], f->t0);
  gt_recorder_run_end(f->rec, r[0], f->t0 + 1000000);
  gt_recorder_run_start(f->rec, r[1], f->t0 + 50000);
  gt_recorder_run_end(f->rec, r[1], f->t0 + 850000);
  gt_test_put(f->rec, r[0], 0, GT_EV_QUEUE, 0, 0, -1, "Main", 0);
  gt_test_put(f->rec, r[0], 0, GT_EV_START, 0, 0, 3, "Layout", 0);
  gt_test_put(f->rec, r[0], 0, GT_EV_QUEUE, 400, 0, -1, "Main", 0);
  gt_test_put(f->rec, r[0], 0, GT_EV_RESUME, 600, 0, 3, "Paint", 0);
  gt_test_put(f->rec, r[0], 0, GT_EV_QUEUE, 1000, 0, -1, "Main", 0);
  gt_test_put(f->rec, r[0], 0, GT_EV_FINISH, 1000, 0, -1, "", 0);
  gt_test_put(f->rec, r[0], 1, GT_EV_QUEUE, 100, 0, -1, "Raster", 0);
  gt_test_put(f->rec, r[0], 1, GT_EV_START, 100, 0, 4, "Raster", 0);
  gt_test_put(f->rec, r[0], 1, GT_EV_QUEUE, 300, 0, -1, "Raster", 0);
  gt_test_put(f->rec, r[0], 1, GT_EV_FINISH, 300, 0, -1, "", 0);
  gt_test_put(f->rec, r[1], 0, GT_EV_QUEUE, 50, 0, -1, "Submit", 0);
  gt_test_put(f->rec, r[1], 0, GT_EV_START, 50, 0, 1, "Submit", 0);
  gt_test_put(f->rec, r[1], 0, GT_EV_QUEUE, 850, 0, -1, "Submit", 0);
  gt_test_put(f->rec, r[1], 0, GT_EV_FINISH, 850, 0, -1, "", 0);
  f->v = gt_view_new(f->rec);
  gt_view_update(f->v, 0);
  f->ui.t_lo = f->t0;
  f->ui.ns_per_col = 10000;       /* 10 us a column: all of it on screen */
  f->ui.title = "f.json, 3 lanes";
  f->ui.replay = 1;
  f->ui.sel = 2;                  /* Main */
}

/* Fail when any row of the screen holds one of gantty's run words. */
static void
screen_lacks_run_words(const char *what)
{
  static const char *const run_words[] = { "worker", "task", "queued",
    "running", " ok", "failed", "in flight", "ideal", "speedup", "won",
    "fastest", "≈", "within", "wall", "re-run", "finished", "verdict" };
  size_t k;
  int y;

  for (y = 0; y < LINES; y++)
    for (k = 0; k < sizeof(run_words) / sizeof(run_words[0]); k++)
      if (strstr(row_text(y), run_words[k]) != NULL) {
        print_error("%s: row %d \"%s\" holds the run word \"%s\"\n", what,
            y, row_text(y), run_words[k]);
        fail();
      }
}

/* Another tool's trace speaks of processes, threads, slices, busy and
 * idle (issue 14 item 9): the headers, captions, legend, title, status
 * line, inspector, help and settings overlay, at 100x30 and 80x24, in
 * colour and in ASCII; none of gantty's run words anywhere. */
static void
test_frame_foreign_words(void **state)
{
  struct fx *f = *state;
  int y, pass;

  foreign_session(f);
  for (pass = 0; pass < 2; pass++) {
    if (pass == 1)
      resizeterm(24, 80);
    paint(f, pass, !pass);
    row_has(0, "f.json, 3 lanes");
    row_has(0, "[replay, paused]");
    row_has(2, "Renderer  2 threads  span 1.0 ms");
    row_has(3, "Renderer: 2 threads; busy 1.0 ms, idle 200 us in all");
    assert_true(strncmp(row_text(4), "Main ", 5) == 0);
    assert_true(strncmp(row_text(5), "Raster ", 7) == 0);
    row_has(6, "GPU  1 thread  span 800 us");
    row_has(7, "GPU: 1 thread; busy 800 us, idle 0 us in all");
    row_has(LINES - 2, "idle");
    row_has(LINES - 2, "busy (in a slice)");
    row_has(LINES - 1, "j/k thread");
    row_has(LINES - 1, "Tab process");
    screen_lacks_run_words("the frame");

    f->ui.inspect = 1;
    paint(f, pass, !pass);
    y = find_row("duration");
    assert_true(y > 0);
    row_has(y, "slice");
    row_has(y + 1, "busy");
    row_has(y + 1, "Layout");
    row_has(y + 2, "idle");
    row_has(y + 3, "busy");
    row_has(y + 3, "Paint");
    row_has(y + 4, "its last slice ended at 1.0 ms");
    screen_lacks_run_words("the inspector");
    f->ui.inspect = 0;

    f->ui.help = 1;
    paint(f, pass, !pass);
    assert_true(find_row("select a thread") > 0);
    assert_true(find_row("A trace from another tool") > 0);
    screen_lacks_run_words("the help");
    f->ui.help = 0;

    f->ui.info = 1;
    paint(f, pass, !pass);
    assert_true(find_row("A trace from another tool: it holds no gantty "
        "settings.") > 0);
    screen_lacks_run_words("the settings overlay");
    f->ui.info = 0;
  }
  resizeterm(LINES_N, COLS_N);
}

/* Colour drawing: every state a full block in its colour, queued as dots,
 * a sub-cell edge as an eighth block, and the failed mark. */
static void
test_frame_glyphs_colour(void **state)
{
  struct fx *f = *state;
  struct cell c;

  paint(f, 0, 1);
  cells_show(4, 0, 40, "█");
  cells_colour(4, 0, 10, COLOR_GREEN);
  cells_colour(4, 10, 30, COLOR_BLUE);
  cells_colour(4, 30, 40, COLOR_GREEN);
  cells_show(4, 40, 87, " ");                 /* done at 40: nothing after */
  cells_show(5, 0, 40, "·");
  assert_true(cell_at(5, X0).attr & A_DIM);
  cells_show(5, 40, 60, "█");
  cells_colour(5, 50, 60, COLOR_BLUE);
  c = cell_at(5, X0 + 60);
  assert_string_equal(c.s, "✗");
  assert_int_equal(c.fg, COLOR_RED);
  assert_true(c.attr & A_BOLD);
  cells_show(5, 61, 87, " ");
  /* threads genre 1: running until 5.5 ms, so column 5 is half running
   * (green, on the left) and half disk (yellow background). */
  cells_show(9, 0, 5, "█");
  c = cell_at(9, X0 + 5);
  assert_string_equal(c.s, "▌");
  assert_int_equal(c.fg, COLOR_GREEN);
  assert_int_equal(c.bg, COLOR_YELLOW);
  cells_show(9, 6, 25, "█");
  cells_colour(9, 6, 25, COLOR_YELLOW);
  cells_show(9, 30, 87, " ");
}

/* Without colour every state has its own glyph: █ running, · queued,
 * ░ net, d disk; the larger part of a split cell wins. */
static void
test_frame_glyphs_mono(void **state)
{
  struct fx *f = *state;

  paint(f, 0, 0);
  cells_show(4, 0, 10, "█");
  cells_show(4, 10, 30, "░");
  cells_show(4, 30, 40, "█");
  cells_show(4, 40, 87, " ");
  cells_show(5, 0, 40, "·");
  cells_show(5, 40, 50, "█");
  cells_show(5, 50, 60, "░");
  cells_show(5, 60, 61, "✗");
  cells_show(9, 0, 6, "█");                   /* 5: half and half */
  cells_show(9, 6, 25, "d");
  assert_int_equal(cell_at(4, X0).pair, 0);
  assert_true(cell_at(0, 1).attr & A_REVERSE);  /* the title */
}

/* ASCII drawing: # running, . queued, - net, X failed, | ticks, >. */
static void
test_frame_glyphs_ascii(void **state)
{
  struct fx *f = *state;

  paint(f, 1, 0);
  cells_show(4, 0, 10, "#");
  cells_show(4, 10, 30, "-");
  cells_show(5, 0, 40, ".");
  cells_show(5, 60, 61, "X");
  assert_string_equal(cell_at(1, X0).s, "|");
  assert_string_equal(cell_at(2, 0).s, ">");
  row_has(LINES_N - 2, "X failed");
}

/* At 80x24 the key hints show i (the settings a session was made with,
 * issue 13 item 9) beside ? and q; the help names it as well. */
static void
test_frame_hints_80(void **state)
{
  struct fx *f = *state;

  resizeterm(24, 80);
  paint(f, 0, 1);
  row_has(23, "? help  q quit");
  row_has(23, "i settings");
  f->ui.help = 1;
  paint(f, 0, 1);
  assert_true(find_row("i          the settings") > 0);
  f->ui.help = 0;
  resizeterm(LINES_N, COLS_N);
}

/* The help overlay lists the keys. */
static void
test_frame_help(void **state)
{
  struct fx *f = *state;
  int y;

  f->ui.help = 1;
  paint(f, 0, 1);
  y = find_row("gantty keys");
  assert_true(y > 0);
  assert_true(find_row("q          quit") > y);
  assert_true(find_row("Enter      inspect") > y);
  assert_true(find_row("? help  q quit") == LINES_N - 1);
  f->ui.help = 0;
  paint(f, 0, 1);
  assert_int_equal(find_row("gantty keys"), -1);
}

/* The inspect overlay lists the selected task's intervals and how it
 * ended; on a header row it stays closed. */
static void
test_frame_inspect(void **state)
{
  struct fx *f = *state;
  int y;

  f->ui.inspect = 1;
  paint(f, 0, 1);
  y = find_row("duration");
  assert_true(y > 0);
  row_has(y - 1, "genre 0");                  /* the box's title */
  assert_true(find_row("GET /genre") > y);
  assert_true(find_row("parse genre") > y);
  assert_true(find_row("net") > y);
  assert_true(find_row("finished ok") > y);

  f->ui.sel = 3;
  paint(f, 0, 1);
  assert_true(find_row("failed: HTTP 500 from /genre") > 0);

  f->ui.sel = 7;                  /* threads' genre 1 */
  paint(f, 0, 1);
  assert_true(find_row("write new_file1.txt") > 0);
  assert_true(find_row("disk") > 0);

  f->ui.sel = 0;
  paint(f, 0, 1);
  assert_int_equal(find_row("duration"), -1);
}

/* The status line shows the search being typed, or a message, instead of
 * the hints; the title says when the display is paused or live. */
static void
test_frame_status_and_title(void **state)
{
  struct fx *f = *state;

  snprintf(f->ui.status, sizeof(f->ui.status), "wrote run.json");
  paint(f, 0, 1);
  row_has(LINES_N - 1, "wrote run.json");
  assert_true(strstr(row_text(LINES_N - 1), "q quit") == NULL);
  f->ui.finding = 1;
  snprintf(f->ui.find, sizeof(f->ui.find), "gen");
  paint(f, 0, 1);
  row_has(LINES_N - 1, "find: gen_");
  f->ui.paused = 1;
  paint(f, 0, 1);
  row_has(0, "[paused]");
  f->ui.paused = 0;
  f->ui.live = 1;
  paint(f, 0, 1);
  row_has(0, "[live]");
}

/* Scrolling, solo, lanes by worker, and a window panned to the right. */
static void
test_frame_rows_and_window(void **state)
{
  struct fx *f = *state;

  f->ui.top = 4;
  paint(f, 0, 0);
  row_has(2, "threads");
  assert_true(strncmp(row_text(4), "genre 0", 7) == 0);
  f->ui.top = 0;
  f->ui.solo = 1;
  f->ui.sel = 2;
  paint(f, 0, 0);
  row_has(2, "threads");
  assert_int_equal(find_row("sync: done"), -1);
  f->ui.solo = -1;
  gt_view_set_by_worker(f->v, 1);
  paint(f, 0, 0);
  assert_true(strncmp(row_text(4), "worker 0", 8) == 0);
  row_has(5, "threads");
  assert_true(strncmp(row_text(7), "worker 0", 8) == 0);
  assert_true(strncmp(row_text(8), "worker 1", 8) == 0);
  cells_show(4, 0, 10, "█");                  /* genre 0, then genre 1 */
  cells_show(4, 40, 50, "█");
  cells_show(8, 6, 25, "d");
  gt_view_set_by_worker(f->v, 0);
  /* 10 ms to the right: sync's genre 0 starts with its net wait, and
   * the ruler's first tick is 20 ms, ten columns in. */
  f->ui.t_lo = f->t0 + 10 * MS;
  paint(f, 0, 0);
  cells_show(4, 0, 20, "░");
  cells_show(4, 20, 30, "█");
  assert_string_equal(cell_at(1, X0 + 10).s, "╷");
  row_has(1, "20 ms");
  assert_true(strstr(row_text(1), " 0 ") == NULL);
}

/* The legend shows the states the session has shown, and the failed mark
 * only once a task failed. */
static void
test_frame_legend_follows_session(void **state)
{
  struct fx *f = *state;
  uint16_t r;

  paint(f, 0, 1);
  row_has(LINES_N - 2, "disk");
  assert_null(strstr(row_text(LINES_N - 2), "connect"));
  assert_null(strstr(row_text(LINES_N - 2), "timer"));

  gt_view_free(f->v);
  gt_recorder_free(f->rec);
  f->rec = gt_recorder_new();
  f->t0 = gt_recorder_t0(f->rec);
  r = gt_test_run(f->rec, "async", 1, 1, -1, -1);
  gt_test_queue(f->rec, r, 0, 0, "sleep 0");
  gt_test_put(f->rec, r, 0, GT_EV_START, 1000, 0, 0, "sleep", 0);
  gt_test_put(f->rec, r, 0, GT_EV_WAIT, 2000, GT_R_TIMER, 0, "sleep", 0);
  gt_test_finish(f->rec, r, 0, 9000, 0, 0);
  f->v = gt_view_new(f->rec);
  gt_view_update(f->v, 0);
  f->ui.t_lo = f->t0;
  paint(f, 0, 1);
  row_has(LINES_N - 2, "queued");
  row_has(LINES_N - 2, "running");
  row_has(LINES_N - 2, "timer");
  assert_null(strstr(row_text(LINES_N - 2), "net"));
  assert_null(strstr(row_text(LINES_N - 2), "failed"));
  assert_string_equal(cell_at(4, X0 + 1).s, "█");
}

/* A selection far down a long list of rows (more than 65 536) is drawn
 * from the rows the caller gives: the selected panel's header is found and
 * nothing is read past the rows (ASan would see it). */
static void
test_frame_many_rows_selection(void **state)
{
  struct fx *f = *state;
  const char *mark;
  uint16_t r;
  uint32_t k;

  r = gt_test_run(f->rec, "async", 1, 70000, 0, -1);
  for (k = 0; k < 70000; k++)
    gt_test_queue(f->rec, r, k, 0, "sleep");
  gt_view_update(f->v, 0);
  f->ui.sel = 8 + 2 + 66000;      /* a lane of the async panel */
  f->ui.top = 8;
  paint(f, 0, 0);
  row_has(2, "async");
  mark = cell_at(2, 0).s;
  assert_true(strcmp(mark, "▶") == 0 || strcmp(mark, " ") == 0);
}

/* Run every test, each on a fresh screen, in a UTF-8 locale. */
/* Two exports in one second get two names (the first is never
 * overwritten), and a name taken by a link is skipped, not followed. */
static void
test_export_names(void **state)
{
  char dir[] = "/tmp/gt_names_XXXXXX", name[80], *cwd = getcwd(NULL, 0);
  struct stat sb;

  (void)state;
  assert_non_null(cwd);
  assert_non_null(mkdtemp(dir));
  assert_int_equal(chdir(dir), 0);
  assert_int_equal(gt_tui_export_name("20260101-120000", name,
      sizeof(name)), 0);
  assert_string_equal(name, "gantty-20260101-120000.json");
  assert_int_equal(gt_tui_export_name("20260101-120000", name,
      sizeof(name)), 0);
  assert_string_equal(name, "gantty-20260101-120000-2.json");
  assert_int_equal(symlink("outside.json", "gantty-20260101-120000-3.json"),
      0);
  assert_int_equal(gt_tui_export_name("20260101-120000", name,
      sizeof(name)), 0);
  assert_string_equal(name, "gantty-20260101-120000-4.json");
  assert_int_equal(lstat("outside.json", &sb), -1);
  assert_int_equal(stat("gantty-20260101-120000.json", &sb), 0);
  assert_int_equal(stat("gantty-20260101-120000-2.json", &sb), 0);
  unlink("gantty-20260101-120000.json");
  unlink("gantty-20260101-120000-2.json");
  unlink("gantty-20260101-120000-3.json");
  unlink("gantty-20260101-120000-4.json");
  assert_int_equal(chdir(cwd), 0);
  assert_int_equal(rmdir(dir), 0);
  free(cwd);
}

/* A lane name with a bidi override (U+202E) or a zero-width space is
 * drawn with '?' in its place, so it cannot reorder or hide the row. */
static void
test_frame_format_chars(void **state)
{
  struct fx *f = *state;
  int y;

  gt_test_queue(f->rec, 0, 2, 0, "a\xe2\x80\xae" "bc\xe2\x80\x8b" "d");
  gt_view_update(f->v, 0);
  paint(f, 0, 1);
  y = find_row("a?bc?d");
  if (y < 0)
    fail_msg("no row shows \"a?bc?d\"; row 6 is \"%s\"", row_text(6));
  assert_null(strstr(row_text(y), "\xe2\x80\xae"));
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_export_names),
    cmocka_unit_test_setup_teardown(test_frame_text, setup, teardown),
    cmocka_unit_test_setup_teardown(test_frame_title_honest, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_frame_foreign_words, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_frame_glyphs_colour, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_frame_glyphs_mono, setup, teardown),
    cmocka_unit_test_setup_teardown(test_frame_glyphs_ascii, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_frame_help, setup, teardown),
    cmocka_unit_test_setup_teardown(test_frame_hints_80, setup, teardown),
    cmocka_unit_test_setup_teardown(test_frame_inspect, setup, teardown),
    cmocka_unit_test_setup_teardown(test_frame_status_and_title, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_frame_rows_and_window, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_frame_legend_follows_session, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_frame_many_rows_selection, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_frame_format_chars, setup,
        teardown),
  };

  if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
    fprintf(stderr, "test_draw: no C.UTF-8 locale\n");
    return 1;
  }
  return cmocka_run_group_tests(tests, NULL, NULL);
}
