/*
 * bench/bench_frame.c: what one frame of the live view costs, and whether
 * it depends on how many events the session holds.
 *
 * Two sessions of the same shape: 2 runs x 20 tasks, every task a long
 * series of running, net and disk stretches over the same 10 s, one with
 * 1 M events in all and one with 1 k.  Each is folded into its own view
 * once, before timing (the frame is what is budgeted, not the fold), and
 * drawn on its own 200 x 50 curses screen (xterm-256color, colour and
 * UTF-8, as a user sees it) whose output goes to a real pty; a thread
 * drains the pty's master side so that writes never block.  A frame is
 * gt_draw_frame() + wnoutrefresh() + doupdate(), the window fitted to the
 * whole session.  Two kinds are timed: a steady frame (nothing changed
 * since the screen's last frame: what a live redraw costs when little
 * moved) and a scrolled one (t_lo shifted by a column, so every lane cell
 * and the ruler change).  The sessions alternate frame by frame and each
 * figure is the median of FRAMES frames.  To show where a frame's time
 * goes, the view's share (gt_view_cells for every lane on screen, no
 * curses) is timed on its own too.  Prints "bench: NAME = VALUE
 * UNIT" lines; docs/PERFORMANCE.md records them.
 */
#ifndef _DEFAULT_SOURCE             /* ncursesw's pkg-config sets it */
#define _DEFAULT_SOURCE 1           /* openpty, FIONREAD */
#endif
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <pthread.h>
#include <pty.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "base.h"
#include "bench.h"
#include "draw.h"
#include "recorder.h"
#include "view.h"

#define SCREEN_LINES 50
#define SCREEN_COLS  200
#define RUNS         2
#define TASKS        20            /* per run: 40 lanes on screen */
#define SPAN_NS      10000000000ull  /* every task runs 0 .. 10 s */
#define BIG_EVENTS   1000000u
#define SMALL_EVENTS 1000u
#define FRAMES       200           /* per session and kind; median kept */

#define BUDGET_MS    2.0           /* one frame with 1 M events */
#define BUDGET_X     1.2           /* ... against the same with 1 k */
#define DIGITS       3             /* decimals of the printed figures */

enum { S_BIG, S_SMALL, S_COUNT };
enum { K_STEADY, K_SCROLL, K_COUNT };

static const char *const s_name[S_COUNT] = { "1m", "1k" };

/* One session on its own screen. */
struct sess {
  struct gt_recorder *rec;
  struct gt_view     *view;
  struct gt_ui        ui;
  int                 master;      /* the pty's master side, drained */
  FILE               *out, *in;    /* the slave side, curses's terminal */
  SCREEN             *scr;
  size_t              events;
};

/* The drain thread's state. */
struct drain {
  int              fd[S_COUNT];
  atomic_int       stop;
  atomic_ullong    bytes;          /* read from every master so far */
};

/* The pseudo-random state, so every run builds the same sessions. */
static uint64_t rng = 0x9e3779b97f4a7c15ull;

/* A pseudo-random number in [0, n). */
static uint64_t
rnd(uint64_t n)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng % n;
}

/* Read whatever the screens write until told to stop. */
static void *
drain_main(void *arg)
{
  struct drain *d = arg;
  struct pollfd pfd[S_COUNT];
  char buf[65536];
  ssize_t n;
  int i;

  for (i = 0; i < S_COUNT; i++)
    pfd[i] = (struct pollfd){ .fd = d->fd[i], .events = POLLIN };
  while (!atomic_load(&d->stop)) {
    if (poll(pfd, S_COUNT, 20) <= 0)
      continue;
    for (i = 0; i < S_COUNT; i++) {
      if (!(pfd[i].revents & POLLIN))
        continue;
      n = read(pfd[i].fd, buf, sizeof(buf));
      if (n > 0)
        atomic_fetch_add(&d->bytes, (unsigned long long)n);
    }
  }
  return NULL;
}

/* Wait until the screens' output has all been read. */
static void
drain_settle(struct drain *d)
{
  struct timespec pause = { 0, 2000000 };
  int i, pending, rounds = 0;

  do {
    nanosleep(&pause, NULL);
    pending = 0;
    for (i = 0; i < S_COUNT; i++) {
      int q = 0;

      if (ioctl(d->fd[i], FIONREAD, &q) == 0)
        pending += q;
    }
  } while (pending > 0 && ++rounds < 500);
}

/* Append one event. */
static void
put(struct gt_recorder *rec, uint16_t run, uint32_t task, int kind,
    uint64_t ts, int reason, int32_t worker, uint32_t label)
{
  struct gt_event ev = {
    .ts_ns = ts, .task = task, .label = label, .worker = worker,
    .run = run, .kind = (uint8_t)kind, .reason = (uint8_t)reason,
  };

  gt_recorder_append(rec, &ev);
}

/* A session of RUNS x TASKS tasks with events in all, each task queued at
 * t0, then running, waiting on the net, running, waiting on the disk ...
 * over the whole span, then finished; tasks interleave as threads would
 * deliver them. */
static struct gt_recorder *
build_session(size_t events)
{
  struct gt_recorder *rec = gt_recorder_new();
  struct gt_run_info ri = { .tasks = TASKS };
  uint64_t t0 = gt_recorder_t0(rec), gap, ts;
  uint32_t name[TASKS], step[3];
  size_t per = events / (RUNS * TASKS), i;
  char buf[32];
  uint16_t r;
  uint32_t k;

  ri.name = gt_recorder_intern(rec, "threads");
  ri.workers = TASKS;
  gt_recorder_run_add(rec, &ri);
  ri.name = gt_recorder_intern(rec, "async");
  ri.workers = 1;
  gt_recorder_run_add(rec, &ri);
  for (k = 0; k < TASKS; k++) {
    snprintf(buf, sizeof(buf), "GET /page/%u", k);
    name[k] = gt_recorder_intern(rec, buf);
  }
  step[0] = gt_recorder_intern(rec, "GET /page");
  step[1] = gt_recorder_intern(rec, "parse page");
  step[2] = gt_recorder_intern(rec, "append titles.tsv");
  gap = SPAN_NS / (per - 1);
  for (i = 0; i < per; i++)
    for (r = 0; r < RUNS; r++)
      for (k = 0; k < TASKS; k++) {
        int32_t w = r == 0 ? (int32_t)k : 0;

        ts = t0 + i * gap + (i > 0 && i + 1 < per ? rnd(gap / 2) : 0);
        if (i == 0)
          put(rec, r, k, GT_EV_QUEUE, ts, 0, -1, name[k]);
        else if (i == 1)
          put(rec, r, k, GT_EV_START, ts, 0, w, step[0]);
        else if (i + 1 == per)
          put(rec, r, k, GT_EV_FINISH, ts, 0, w, 0);
        else if (i % 2 == 1)
          put(rec, r, k, GT_EV_RESUME, ts, 0, w, step[1]);
        else
          put(rec, r, k, GT_EV_WAIT, ts, i % 4 ? GT_R_NET : GT_R_DISK, w,
              i % 4 ? step[0] : step[2]);
      }
  for (r = 0; r < RUNS; r++) {
    gt_recorder_run_start(rec, r, t0);
    gt_recorder_run_end(rec, r, t0 + SPAN_NS);
  }
  return rec;
}

/* The label column as the TUI sizes it: the longest lane name, 8 to 18. */
static int
label_width(const struct gt_view *v)
{
  size_t p, i, len;
  int w = 8;

  for (p = 0; p < gt_view_panels(v); p++)
    for (i = 0; i < gt_view_panel_nlanes(v, p); i++) {
      len = strlen(gt_recorder_string(gt_view_recorder(v),
          gt_view_panel_lane(v, p, i)->name));
      if ((int)len > w)
        w = (int)len;
    }
  return w > 18 ? 18 : w;
}

/* Build session s, fold it, and open its screen on a fresh pty. */
static void
sess_open(struct sess *s, size_t events)
{
  struct winsize ws = { .ws_row = SCREEN_LINES, .ws_col = SCREEN_COLS };
  struct gt_draw_opts o = { .ascii = 0, .color = 1 };
  int slave;
  uint64_t span;

  s->events = events;
  s->rec = build_session(events);
  s->view = gt_view_new(s->rec);
  gt_view_update(s->view, 0);
  if (gt_recorder_count(s->rec) != events) {
    fprintf(stderr, "bench_frame: %zu events, not %zu\n",
        gt_recorder_count(s->rec), events);
    exit(1);
  }
  if (openpty(&s->master, &slave, NULL, NULL, &ws) != 0) {
    perror("bench_frame: openpty");
    exit(1);
  }
  s->out = fdopen(slave, "w");
  s->in = fdopen(dup(slave), "r");
  s->scr = newterm("xterm-256color", s->out, s->in);
  if (s->scr == NULL) {
    fprintf(stderr, "bench_frame: newterm failed\n");
    exit(1);
  }
  resizeterm(SCREEN_LINES, SCREEN_COLS);
  gt_draw_init(&o);
  s->ui.solo = -1;
  s->ui.sel = 2;
  s->ui.fit = 1;
  s->ui.title = "scrape, 20 tasks";
  s->ui.label_w = label_width(s->view);
  span = gt_view_now(s->view) - gt_view_t0(s->view);
  s->ui.t_lo = gt_view_t0(s->view);
  s->ui.ns_per_col = span / gt_draw_chart_cols(&s->ui, COLS);
}

/* Close s's screen and free its session. */
static void
sess_close(struct sess *s)
{
  set_term(s->scr);
  endwin();
  delscreen(s->scr);
  fclose(s->out);
  fclose(s->in);
  gt_view_free(s->view);
  gt_recorder_free(s->rec);
}

/* One frame of s: compose and refresh; their times go to *compose_ns and
 * *refresh_ns. */
static void
frame(struct sess *s, const struct gt_ui *ui, uint64_t *compose_ns,
    uint64_t *refresh_ns)
{
  uint64_t a, b, c;

  static struct gt_row rows[4096];
  size_t nrows;

  set_term(s->scr);
  a = gt_now_ns();
  nrows = gt_view_rows(s->view, ui->solo, rows, 4096);  /* as the TUI does */
  gt_draw_frame(s->view, ui, rows, nrows < 4096 ? nrows : 4096);
  b = gt_now_ns();
  wnoutrefresh(stdscr);
  doupdate();
  c = gt_now_ns();
  *compose_ns = b - a;
  *refresh_ns = c - b;
}

/* The view's share of a frame: the cells of every lane on screen over
 * the frame's window, with no curses call; returns ns. */
static uint64_t
cells_only(const struct sess *s)
{
  static struct gt_cell cells[SCREEN_COLS];
  unsigned cols = gt_draw_chart_cols(&s->ui, SCREEN_COLS);
  uint64_t a = gt_now_ns();
  size_t p, i;

  for (p = 0; p < gt_view_panels(s->view); p++)
    for (i = 0; i < gt_view_panel_nlanes(s->view, p); i++)
      gt_view_cells(s->view, gt_view_panel_lane(s->view, p, i), s->ui.t_lo,
          s->ui.ns_per_col, cols, cells);
  return gt_now_ns() - a;
}

/* Compare two durations, for qsort. */
static int
cmp_u64(const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

  return x < y ? -1 : x > y;
}

/* The median of n durations, in ms (sorts them). */
static double
median_ms(uint64_t *v, size_t n)
{
  qsort(v, n, sizeof(*v), cmp_u64);
  return (n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1]
      + (double)v[n / 2]) / 2) / 1e6;
}

/* Time FRAMES frames of each kind for both sessions, interleaved. */
int
main(void)
{
  static uint64_t total[K_COUNT][S_COUNT][FRAMES];
  static uint64_t compose[K_COUNT][S_COUNT][FRAMES];
  static uint64_t refresh[K_COUNT][S_COUNT][FRAMES];
  static uint64_t cells[S_COUNT][FRAMES];
  struct sess s[S_COUNT];
  struct drain d;
  pthread_t tid;
  double med[K_COUNT][S_COUNT], cmed[K_COUNT][S_COUNT];
  double rmed[K_COUNT][S_COUNT];
  unsigned long long bytes[K_COUNT];
  uint64_t cns, rns;
  struct gt_ui ui;
  char name[64];
  int i, j, k, w;

  if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
    fprintf(stderr, "bench_frame: no C.UTF-8 locale\n");
    return 1;
  }
  memset(s, 0, sizeof(s));
  sess_open(&s[S_BIG], BIG_EVENTS);
  sess_open(&s[S_SMALL], SMALL_EVENTS);
  d.fd[S_BIG] = s[S_BIG].master;
  d.fd[S_SMALL] = s[S_SMALL].master;
  atomic_init(&d.stop, 0);
  atomic_init(&d.bytes, 0);
  pthread_create(&tid, NULL, drain_main, &d);

  for (k = 0; k < K_COUNT; k++) {
    /* The first frame of each screen paints everything; not timed. */
    for (w = 0; w < S_COUNT; w++)
      frame(&s[w], &s[w].ui, &cns, &rns);
    drain_settle(&d);
    bytes[k] = atomic_load(&d.bytes);
    for (i = 0; i < FRAMES; i++)
      for (j = 0; j < S_COUNT; j++) {
        w = (i + j) % S_COUNT;            /* who goes first alternates */
        ui = s[w].ui;
        if (k == K_SCROLL && i % 2 == 0)
          ui.t_lo += ui.ns_per_col;       /* every other frame: shifted */
        frame(&s[w], &ui, &cns, &rns);
        compose[k][w][i] = cns;
        refresh[k][w][i] = rns;
        total[k][w][i] = cns + rns;
      }
    drain_settle(&d);
    bytes[k] = atomic_load(&d.bytes) - bytes[k];
  }
  atomic_store(&d.stop, 1);
  pthread_join(tid, NULL);
  for (i = 0; i < FRAMES; i++)
    for (j = 0; j < S_COUNT; j++) {
      w = (i + j) % S_COUNT;
      cells[w][i] = cells_only(&s[w]);
    }

  for (k = 0; k < K_COUNT; k++)
    for (w = 0; w < S_COUNT; w++) {
      med[k][w] = median_ms(total[k][w], FRAMES);
      cmed[k][w] = median_ms(compose[k][w], FRAMES);
      rmed[k][w] = median_ms(refresh[k][w], FRAMES);
    }
  printf("bench: screen = %dx%d, lanes = %d, events = %u and %u, "
      "columns = %u, frames = %d per figure (median)\n", SCREEN_COLS,
      SCREEN_LINES, RUNS * TASKS, BIG_EVENTS, SMALL_EVENTS,
      gt_draw_chart_cols(&s[S_BIG].ui, SCREEN_COLS), FRAMES);
  for (w = 0; w < S_COUNT; w++) {
    snprintf(name, sizeof(name), "frame_%s_ms", s_name[w]);
    bench_report_digits(name, med[K_STEADY][w], DIGITS, "ms");
  }
  bench_report_digits("frame_1m_vs_1k",
      med[K_STEADY][S_BIG] / med[K_STEADY][S_SMALL], DIGITS, "x");
  for (w = 0; w < S_COUNT; w++) {
    snprintf(name, sizeof(name), "frame_compose_%s_ms", s_name[w]);
    bench_report_digits(name, cmed[K_STEADY][w], DIGITS, "ms");
    snprintf(name, sizeof(name), "frame_refresh_%s_ms", s_name[w]);
    bench_report_digits(name, rmed[K_STEADY][w], DIGITS, "ms");
  }
  for (w = 0; w < S_COUNT; w++) {
    snprintf(name, sizeof(name), "view_cells_%s_ms", s_name[w]);
    bench_report_digits(name, median_ms(cells[w], FRAMES), DIGITS, "ms");
  }
  for (w = 0; w < S_COUNT; w++) {
    snprintf(name, sizeof(name), "frame_scroll_%s_ms", s_name[w]);
    bench_report_digits(name, med[K_SCROLL][w], DIGITS, "ms");
    snprintf(name, sizeof(name), "frame_scroll_compose_%s_ms", s_name[w]);
    bench_report_digits(name, cmed[K_SCROLL][w], DIGITS, "ms");
    snprintf(name, sizeof(name), "frame_scroll_refresh_%s_ms", s_name[w]);
    bench_report_digits(name, rmed[K_SCROLL][w], DIGITS, "ms");
  }
  bench_report_digits("frame_scroll_1m_vs_1k", med[K_SCROLL][S_BIG]
      / med[K_SCROLL][S_SMALL], DIGITS, "x");
  /* a steady frame that changes nothing writes nothing: 0 is true */
  bench_report_range("frame_steady_bytes", (double)bytes[K_STEADY]
      / (FRAMES * S_COUNT), DIGITS, "B per frame", 0, DBL_MAX);
  bench_report_digits("frame_scroll_bytes", (double)bytes[K_SCROLL]
      / (FRAMES * S_COUNT), DIGITS, "B per frame");
  bench_verdict("frame_1m_ms", med[K_STEADY][S_BIG] <= BUDGET_MS);
  bench_verdict("frame_1m_vs_1k", med[K_STEADY][S_BIG]
      <= BUDGET_X * med[K_STEADY][S_SMALL]);

  for (w = 0; w < S_COUNT; w++)
    sess_close(&s[w]);
  close(s[S_BIG].master);
  close(s[S_SMALL].master);
  return bench_status(0);
}
