/*
 * tui/tui.c: the live view's loop, keys and terminal handling.
 *
 * Everything here runs on the main thread.  Input, the recorder's wake,
 * signals and the repaint timer only set `dirty`; the timer repaints at most
 * every 33 ms, and only when something changed (while runs go on, time
 * itself is a change: lanes grow).  The time axis follows the session in
 * steps of round durations, so a live frame rarely has to scroll it.
 */
#define _GNU_SOURCE
#include "tui.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "base.h"
#include "chrome.h"
#include "draw.h"
#include "view.h"

#define FRAME_MS 33
#define MIN_NS_PER_COL 1000ull   /* 1 us a column: zoom's floor */

struct tui {
  const struct gt_tui_config *cfg;
  const struct gt_tui_ops    *ops;
  void                       *arg;
  struct gt_tui_settings      settings;
  struct gt_recorder         *rec;
  struct gt_view             *view;
  struct gt_ui                ui;
  struct gt_row              *rows;
  size_t                      nrows;
  size_t                      rows_cap;  /* grows with the lanes */
  uv_loop_t                   loop;
  uv_poll_t                   input;
  uv_timer_t                  tick;
  uv_async_t                  wake;
  uv_signal_t                 sigwinch, sigint, sigterm, sighup;
  int                         dirty;
  int                         quit;
  int                         exit_status;
  int                         resized;
  uint64_t                    status_until_ns;
};

static struct termios saved_termios;
static int saved_termios_ok;
static int saved_stdin_flags = -1;  /* libuv makes stdin non-blocking */

/* A crash must not leave the terminal raw: restore it with
 * async-signal-safe calls only (mouse reports, keypad mode, alternate
 * screen, cursor, attributes, termios, stdin's flags), then die of the
 * same signal. */
static void
on_crash(int sig)
{
  static const char reset[] = "\033[?1000l\033[?1002l\033[?1006l"
      "\033[?1l\033>\033[?1049l\033[?25h\033[0m\r\n";

  if (saved_termios_ok)
    tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
  if (saved_stdin_flags >= 0)
    fcntl(STDIN_FILENO, F_SETFL, saved_stdin_flags);
  (void)!write(STDOUT_FILENO, reset, sizeof(reset) - 1);
  signal(sig, SIG_DFL);
  raise(sig);
}

/* Install or remove the crash handlers (SIGQUIT too: it dumps core). */
static void
crash_handlers(int on)
{
  static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
      SIGQUIT };
  struct sigaction sa;
  size_t i;

  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on ? on_crash : SIG_DFL;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = on ? SA_RESETHAND : 0;
  for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
    sigaction(sigs[i], &sa, NULL);
}

/* The recorder's wake: runs on an appending thread; uv_async_send is the
 * one libuv call that is safe there. */
static void
wake_from_recorder(void *arg)
{
  uv_async_send(arg);
}

/* Refresh the rows the chart shows. */
static void
refresh_rows(struct tui *t)
{
  t->nrows = gt_view_rows(t->view, t->ui.solo, t->rows, t->rows_cap);
  if (t->nrows > t->rows_cap) {  /* more lanes: room for all, then again */
    while (t->rows_cap < t->nrows)
      t->rows_cap *= 2;
    t->rows = gt_xrealloc(t->rows, t->rows_cap * sizeof(*t->rows));
    t->nrows = gt_view_rows(t->view, t->ui.solo, t->rows, t->rows_cap);
  }
}

/* The session's span so far, at least a second. */
static uint64_t
session_span(const struct tui *t)
{
  uint64_t t0 = gt_view_t0(t->view), now = gt_view_now(t->view);

  return now > t0 + 1000000000ull ? now - t0 : 1000000000ull;
}

/* The smallest 1-2-5 duration >= ns. */
static uint64_t
nice_up(uint64_t ns)
{
  static const uint64_t m[] = { 1, 2, 5 };
  uint64_t base = 100000000ull;  /* 100 ms: the shortest fitted axis */
  int k = 0;

  while (base * m[k] < ns) {
    if (++k == 3) {
      k = 0;
      base *= 10;
    }
  }
  return base * m[k];
}

/* In fit mode the window covers the session so far, rounded up to a
 * round duration, so it changes in steps. */
static void
fit_window(struct tui *t)
{
  unsigned cols = gt_draw_chart_cols(&t->ui, COLS);
  uint64_t t0 = gt_view_t0(t->view), now = gt_view_now(t->view);
  uint64_t span = nice_up(now > t0 ? (now - t0) + (now - t0) / 20 : 0);

  t->ui.t_lo = t0;
  t->ui.ns_per_col = span / cols ? span / cols : 1;
}

/* Choose the label column's width from the lanes' names. */
static void
size_labels(struct tui *t)
{
  size_t p, i, len;
  int w = 8;

  for (p = 0; p < gt_view_panels(t->view); p++)
    for (i = 0; i < gt_view_panel_nlanes(t->view, p); i++) {
      len = (size_t)gt_draw_text_width(gt_recorder_string(t->rec,
          gt_view_panel_lane(t->view, p, i)->name));
      if ((int)len > w)
        w = (int)len;
    }
  t->ui.label_w = w > 18 ? 18 : w;
  if (t->ui.label_w > COLS / 3)
    t->ui.label_w = COLS / 3;
}

/* Put a message on the status line for a few seconds. */
static void
say(struct tui *t, const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(t->ui.status, sizeof(t->ui.status), fmt, ap);
  va_end(ap);
  t->status_until_ns = gt_now_ns() + 4000000000ull;
  t->dirty = 1;
}

/* Keep the selection on a lane row and inside the screen. */
static void
clamp_selection(struct tui *t)
{
  size_t chart = (size_t)gt_draw_chart_rows(LINES), i;

  if (t->nrows == 0) {
    t->ui.sel = t->ui.top = 0;
    return;
  }
  if (t->ui.sel >= t->nrows)
    t->ui.sel = t->nrows - 1;
  if (t->rows[t->ui.sel].kind != GT_ROW_LANE) {
    for (i = t->ui.sel; i < t->nrows && t->rows[i].kind != GT_ROW_LANE; i++)
      ;
    if (i < t->nrows)
      t->ui.sel = i;
  }
  if (t->ui.sel < t->ui.top)
    t->ui.top = t->ui.sel > 2 ? t->ui.sel - 2 : 0;
  if (t->ui.sel >= t->ui.top + chart)
    t->ui.top = t->ui.sel - chart + 1;
}

/* Move the selection to the next (dir 1) or previous (-1) lane row. */
static void
move_selection(struct tui *t, int dir)
{
  size_t i = t->ui.sel;

  while (dir > 0 ? i + 1 < t->nrows : i > 0) {
    i = dir > 0 ? i + 1 : i - 1;
    if (t->rows[i].kind == GT_ROW_LANE) {
      t->ui.sel = i;
      break;
    }
  }
  clamp_selection(t);
}

/* Select the first lane of the next panel. */
static void
next_panel(struct tui *t)
{
  size_t i, panel = t->nrows ? t->rows[t->ui.sel].panel : 0;

  for (i = t->ui.sel + 1; i < t->nrows; i++)
    if (t->rows[i].kind == GT_ROW_LANE && t->rows[i].panel != panel)
      break;
  if (i >= t->nrows)
    for (i = 0; i < t->nrows && t->rows[i].kind != GT_ROW_LANE; i++)
      ;
  t->ui.sel = i;
  clamp_selection(t);
}

/* Zoom by factor (2: out, 0.5: in) around the middle of the window. */
static void
zoom(struct tui *t, int out)
{
  unsigned cols = gt_draw_chart_cols(&t->ui, COLS);
  uint64_t mid = t->ui.t_lo + t->ui.ns_per_col * cols / 2, t0;

  t->ui.fit = 0;
  /* Out no further than a few times the whole session: beyond that there
   * is nothing to see, and the arithmetic would overflow. */
  if (out && t->ui.ns_per_col * cols < 4 * session_span(t))
    t->ui.ns_per_col *= 2;
  else if (!out && t->ui.ns_per_col / 2 >= MIN_NS_PER_COL)
    t->ui.ns_per_col /= 2;
  t0 = gt_view_t0(t->view);
  t->ui.t_lo = mid > t0 + t->ui.ns_per_col * cols / 2
      ? mid - t->ui.ns_per_col * cols / 2 : t0;
}

/* Pan by a quarter of the window. */
static void
pan(struct tui *t, int dir)
{
  unsigned cols = gt_draw_chart_cols(&t->ui, COLS);
  uint64_t step = t->ui.ns_per_col * cols / 4, t0 = gt_view_t0(t->view);

  t->ui.fit = 0;
  if (dir > 0 && t->ui.t_lo + step < t0 + session_span(t))
    t->ui.t_lo += step;
  else if (dir < 0)
    t->ui.t_lo = t->ui.t_lo > t0 + step ? t->ui.t_lo - step : t0;
}

/* Stop the runs, drop the view, start again with the current settings. */
static void
rerun(struct tui *t)
{
  t->ops->stop(t->arg);
  t->ops->join(t->arg);
  gt_view_free(t->view);
  t->rec = t->ops->start(t->arg, &t->settings, wake_from_recorder, &t->wake);
  t->view = gt_view_new(t->rec);
  t->ui.fit = 1;
  t->ui.sel = t->ui.top = 0;
  t->ui.inspect = 0;
  t->ui.paused = 0;  /* a new run is there to be watched */
  t->dirty = 1;
  refresh_rows(t);
}

/* Claim a new export file name for stamp. */
int
gt_tui_export_name(const char *stamp, char *name, size_t size)
{
  unsigned n;
  int fd;

  for (n = 1; n < 1000; n++) {
    if (n == 1)
      snprintf(name, size, "gantty-%s.json", stamp);
    else
      snprintf(name, size, "gantty-%s-%u.json", stamp, n);
    fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
        0666);
    if (fd >= 0) {
      close(fd);
      return 0;
    }
    if (errno != EEXIST)
      return -errno;
  }
  return -EEXIST;
}

/* Export the session to a new file named by the time: a second export in
 * the same second gets the next number, never the first one's name. */
static void
export_trace(struct tui *t)
{
  char stamp[32], name[80], *cause = NULL;
  time_t now = time(NULL);
  struct tm tm;
  int rc;

  localtime_r(&now, &tm);
  strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
  rc = gt_tui_export_name(stamp, name, sizeof(name));
  if (rc != 0) {
    say(t, "export failed: cannot create gantty-%s.json: %s", stamp,
        strerror(-rc));
    return;
  }
  if (gt_chrome_export(t->rec, name, &cause) == 0) {
    say(t, "exported the trace to %s", name);
  } else {
    unlink(name);  /* the empty file that claimed the name */
    say(t, "export failed: %s", cause);
  }
  free(cause);
}

/* Select the next lane whose label contains the search text. */
static void
find_next(struct tui *t)
{
  size_t i;

  if (t->ui.find[0] == '\0' || t->nrows == 0)
    return;
  i = gt_view_find(t->view, t->rows, t->nrows, t->ui.sel, t->ui.find);
  if (i < t->nrows) {
    t->ui.sel = i;
    clamp_selection(t);
    return;
  }
  say(t, "no lane matches '%s'", t->ui.find);
}

/* A key typed while searching. */
static void
find_key(struct tui *t, int ch)
{
  size_t len = strlen(t->ui.find);

  if (ch == 27) {
    t->ui.finding = 0;
  } else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
    t->ui.finding = 0;
    find_next(t);
  } else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
    if (len > 0)
      t->ui.find[len - 1] = '\0';
  } else if (ch >= 32 && ch < 127 && len + 1 < sizeof(t->ui.find)) {
    t->ui.find[len] = (char)ch;
    t->ui.find[len + 1] = '\0';
  }
}

/* A mouse event: a click selects a lane, the wheel zooms. */
static void
mouse_key(struct tui *t)
{
  MEVENT me;
  size_t i;

  if (getmouse(&me) != OK)
    return;
  if (me.bstate & BUTTON4_PRESSED) {
    zoom(t, 0);
  } else if (me.bstate & BUTTON5_PRESSED) {
    zoom(t, 1);
  } else if (me.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) {
    if (me.y < 2 || me.y >= 2 + gt_draw_chart_rows(LINES))
      return;
    i = t->ui.top + (size_t)(me.y - 2);
    if (i < t->nrows && t->rows[i].kind == GT_ROW_LANE)
      t->ui.sel = i;
  }
}

/* The number of workers the next run would use with `<` or `>`. */
static unsigned
current_workers(struct tui *t)
{
  size_t p;

  if (t->settings.workers != 0)
    return t->settings.workers;
  for (p = 0; p < gt_view_panels(t->view); p++)
    if (gt_view_panel(t->view, p)->workers > 1)
      return (unsigned)gt_view_panel(t->view, p)->workers;
  return 1;
}

/* The cores the next run would use with `{` or `}`: as set, else what
 * the runs shown had, else every CPU online. */
static unsigned
current_cores(struct tui *t)
{
  long online = sysconf(_SC_NPROCESSORS_ONLN);
  size_t p;

  if (t->settings.cores != 0)
    return t->settings.cores;
  for (p = 0; p < gt_view_panels(t->view); p++)
    if (gt_view_panel(t->view, p)->cores != 0)
      return gt_view_panel(t->view, p)->cores;
  return online > 0 ? (unsigned)online : 1;
}

/* The most tasks of a run in the view (0: none yet): no run is wider. */
static unsigned
most_tasks(struct tui *t)
{
  unsigned most = 0;
  size_t p;

  for (p = 0; p < gt_view_panels(t->view); p++)
    if (gt_view_panel(t->view, p)->tasks > most)
      most = gt_view_panel(t->view, p)->tasks;
  return most;
}

/* A playback key of a replay: 1 when ch was one.  Left and right step
 * through the events while paused, and pan while playing. */
static int
replay_key(struct tui *t, int ch)
{
  int action, replaced;
  char msg[128];

  switch (ch) {
  case ' ':      action = GT_REPLAY_PAUSE; break;
  case '[':      action = GT_REPLAY_SLOWER; break;
  case ']':      action = GT_REPLAY_FASTER; break;
  /* Home and End (screen_start() names their usual forms), and the
   * vt220 "find" and "select" keys some terminfo entries give them */
  case KEY_HOME: case KEY_FIND: case KEY_BEG:
    action = GT_REPLAY_HOME;
    break;
  case KEY_END: case KEY_SELECT: case '.':
    action = GT_REPLAY_END;
    break;
  case 'r':      action = GT_REPLAY_HOME; break;
  case KEY_LEFT: case KEY_RIGHT:
    if (gt_replay_playing(t->cfg->replay))
      return 0;
    action = ch == KEY_LEFT ? GT_REPLAY_PREV : GT_REPLAY_NEXT;
    break;
  default:
    return 0;
  }
  replaced = gt_replay_act(t->cfg->replay, action, gt_now_ns(), msg,
      sizeof(msg));
  if (ch == 'r')  /* a re-run of a replay: from the start, playing */
    replaced |= gt_replay_act(t->cfg->replay, GT_REPLAY_PAUSE, gt_now_ns(),
        msg, sizeof(msg));
  if (replaced) {
    gt_view_free(t->view);  /* it went back: a view of the new recorder */
    t->rec = gt_replay_recorder(t->cfg->replay);
    t->view = gt_view_new(t->rec);
    t->ui.inspect = 0;
    refresh_rows(t);
  }
  t->ui.fit = 1;
  say(t, "%s", msg);
  return 1;
}

/* One key. */
static void
handle_key(struct tui *t, int ch)
{
  unsigned w;
  long online;

  t->dirty = 1;
  /* Rows index the view as it is now: a key read in the same batch as a
   * `t` or an `r` must not use the rows of the view before it. */
  refresh_rows(t);
  clamp_selection(t);
  if (t->ui.finding) {
    find_key(t, ch);
    return;
  }
  if (t->ui.help || t->ui.info) {  /* any key closes the help */
    t->ui.help = t->ui.info = 0;
    if (ch != 'q')
      return;
  }
  if (t->cfg->replay != NULL && replay_key(t, ch))
    return;
  if (gt_view_foreign(t->view) && ch < 128 && ch > 0
      && strchr("t<>{}g", ch) != NULL) {
    /* another tool's trace: its lanes are its threads, and nothing of it
     * can be run again with other workers, cores or a GIL */
    say(t, ch == 't' ? "a trace from another tool: its lanes are its "
        "threads" : "a trace from another tool is only played back");
    return;
  }
  switch (ch) {
  case 'q':
    t->quit = 1;
    break;
  case '?':
    t->ui.help = 1;
    break;
  case 'i':
    t->ui.info = 1;
    break;
  case 27:
    t->ui.inspect = 0;
    break;
  case ' ':
    t->ui.paused = !t->ui.paused;
    break;
  case 'r':
    say(t, "re-running");
    rerun(t);
    break;
  case '+': case '=': case 'w':
    zoom(t, 0);
    break;
  case '-': case 's':
    zoom(t, 1);
    break;
  case '0':
    t->ui.fit = 1;
    break;
  case 'a': case KEY_LEFT:
    pan(t, -1);
    break;
  case 'd': case KEY_RIGHT:
    pan(t, 1);
    break;
  case 'j': case KEY_DOWN:
    move_selection(t, 1);
    break;
  case 'k': case KEY_UP:
    move_selection(t, -1);
    break;
  case KEY_NPAGE: case KEY_PPAGE:
    for (w = (unsigned)gt_draw_chart_rows(LINES); w > 1; w--)
      move_selection(t, ch == KEY_NPAGE ? 1 : -1);
    break;
  case '\t':
    next_panel(t);
    break;
  case '1': case '2': case '3': case '4': case '5':
    if ((size_t)(ch - '1') < gt_view_panels(t->view)) {
      t->ui.solo = t->ui.solo == ch - '1' ? -1 : ch - '1';
      t->ui.sel = t->ui.top = 0;
      refresh_rows(t);
      clamp_selection(t);
    }
    break;
  case '\n': case '\r': case KEY_ENTER:
    t->ui.inspect = t->nrows > 0 && t->rows[t->ui.sel].kind == GT_ROW_LANE;
    break;
  case '/':
    t->ui.finding = 1;
    t->ui.find[0] = '\0';
    break;
  case 't':
    gt_view_set_by_worker(t->view, !gt_view_by_worker(t->view));
    t->ui.sel = t->ui.top = 0;
    refresh_rows(t);
    say(t, "lanes by %s", gt_view_by_worker(t->view) ? "worker" : "task");
    break;
  case '<': case '>':
    w = current_workers(t);
    if (ch == '>' && most_tasks(t) != 0 && w >= most_tasks(t)) {
      say(t, "already %u workers: one a task, no more", w);
      break;
    }
    w = ch == '<' ? (w > 1 ? w - 1 : 1) : w + 1;
    t->settings.workers = w;
    rerun(t);
    say(t, "re-running with %u worker%s", w, w == 1 ? "" : "s");
    break;
  case '{': case '}':
    w = current_cores(t);
    online = sysconf(_SC_NPROCESSORS_ONLN);
    if (ch == '}' && online > 0 && w >= (unsigned)online) {
      say(t, "already %u core%s: every CPU online", w, w == 1 ? "" : "s");
      break;
    }
    if (ch == '{' && w <= 1) {
      say(t, "already 1 core");
      break;
    }
    w = ch == '{' ? w - 1 : w + 1;
    t->settings.cores = w;
    rerun(t);
    say(t, "re-running on %u core%s", w, w == 1 ? "" : "s");
    break;
  case 'g':
    if (!t->ops->gil_available) {
      say(t, "no GIL switch in this version: C threads run in parallel");
    } else {
      t->settings.gil = !t->settings.gil;
      rerun(t);
      say(t, "GIL %s; re-running", t->settings.gil ? "on" : "off");
    }
    break;
  case 'e':
    export_trace(t);
    break;
  case KEY_MOUSE:
    mouse_key(t);
    break;
  default:
    t->dirty = 0;
  }
}

/* Repaint the whole frame. */
static void
repaint(struct tui *t)
{
  if (t->resized) {
    clear();
    t->resized = 0;
  }
  if (t->cfg->replay != NULL) {
    uint64_t shown = gt_replay_clock(t->cfg->replay, gt_now_ns()), done, all;

    if (gt_replay_recorder(t->cfg->replay) != t->rec) {  /* file read */
      gt_view_free(t->view);
      t->rec = gt_replay_recorder(t->cfg->replay);
      t->view = gt_view_new(t->rec);
      t->ui.fit = 1;
      if (t->cfg->message != NULL)
        say(t, "%s", t->cfg->message);
    } else if (gt_replay_failed(t->cfg->replay)) {
      t->quit = 1;  /* nothing to show: the caller says why */
      uv_stop(&t->loop);
    } else if (gt_replay_loading(t->cfg->replay, &done, &all)) {
      say(t, "reading the file: %.0f of %.0f MB", (double)done / 1e6,
          (double)all / 1e6);
    }
    t->ui.live = gt_replay_playing(t->cfg->replay);
    t->ui.speed = gt_replay_speed(t->cfg->replay);
    gt_view_update(t->view, shown);
  } else {
    t->ui.live = t->ops->running(t->arg);
    if (!t->ui.paused)
      gt_view_update(t->view, t->ui.live ? gt_now_ns() : 0);
  }
  if (t->ui.status[0] != '\0' && gt_now_ns() > t->status_until_ns)
    t->ui.status[0] = '\0';
  size_labels(t);
  refresh_rows(t);
  clamp_selection(t);
  if (t->ui.fit)
    fit_window(t);
  gt_draw_frame(t->view, &t->ui, t->rows, t->nrows);
  wnoutrefresh(stdscr);
  doupdate();
  t->dirty = 0;
}

/* Keys: drain getch() until it has nothing more. */
static void
on_input(uv_poll_t *h, int status, int events)
{
  struct tui *t = h->data;
  int ch;

  (void)events;
  if (status < 0) {  /* the terminal went away: nothing more to show */
    t->quit = 1;
    uv_stop(&t->loop);
    return;
  }
  while ((ch = getch()) != ERR) {
    handle_key(t, ch);
    if (t->quit)
      break;
  }
  if (t->quit)
    uv_stop(&t->loop);
}

/* The frame timer: repaint when anything changed, or while runs go on. */
static void
on_tick(uv_timer_t *h)
{
  struct tui *t = h->data;
  uint64_t done, all;

  if (t->ops->running(t->arg) && !t->ui.paused)
    t->dirty = 1;
  if (t->cfg->replay != NULL && (gt_replay_playing(t->cfg->replay)
      || gt_replay_loading(t->cfg->replay, &done, &all)))
    t->dirty = 1;  /* playing, or a file still being read */
  if (t->ui.status[0] != '\0' && gt_now_ns() > t->status_until_ns)
    t->dirty = 1;
  if (t->dirty)
    repaint(t);
}

/* New events: the next tick repaints. */
static void
on_wake(uv_async_t *h)
{
  struct tui *t = h->data;

  t->dirty = 1;
}

/* The terminal changed size: tell curses and redraw everything. */
static void
on_sigwinch(uv_signal_t *h, int sig)
{
  struct tui *t = h->data;
  struct winsize ws;

  (void)sig;
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0)
    resizeterm(ws.ws_row, ws.ws_col);
  t->resized = 1;
  t->dirty = 1;
}

/* SIGINT, SIGTERM or SIGHUP: stop the runs and leave with 128 + the
 * signal. */
static void
on_stop_signal(uv_signal_t *h, int sig)
{
  struct tui *t = h->data;

  t->exit_status = 128 + sig;
  t->quit = 1;
  uv_stop(&t->loop);
}

/* Close every handle (uv_walk) so the loop can be closed. */
static void
close_one(uv_handle_t *h, void *arg)
{
  (void)arg;
  if (!uv_is_closing(h))
    uv_close(h, NULL);
}

/* Set the terminal up for curses; returns 0 or -1. */
static int
screen_start(struct tui *t)
{
  if (tcgetattr(STDIN_FILENO, &saved_termios) == 0)
    saved_termios_ok = 1;
  if (newterm(NULL, stdout, stdin) == NULL)
    return -1;
  crash_handlers(1);
  cbreak();
  noecho();
  nonl();
  /* Ctrl-S must not stop the terminal's output (XON/XOFF): it would stall
   * every frame until a Ctrl-Q.  The saved settings come back at the end. */
  if (saved_termios_ok) {
    struct termios tio;

    if (tcgetattr(STDIN_FILENO, &tio) == 0) {
      tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
      tcsetattr(STDIN_FILENO, TCSANOW, &tio);
      def_prog_mode();  /* so that Ctrl-Z, fg brings this mode back */
    }
  }
  keypad(stdscr, TRUE);
  /* Home and End in the forms terminals and tmux send that the terminfo
   * entry may not name (tmux sends ESC [1~ and ESC [4~ under xterm). */
  define_key("\033[1~", KEY_HOME);
  define_key("\033[7~", KEY_HOME);
  define_key("\033[H", KEY_HOME);
  define_key("\033OH", KEY_HOME);
  define_key("\033[4~", KEY_END);
  define_key("\033[8~", KEY_END);
  define_key("\033[F", KEY_END);
  define_key("\033OF", KEY_END);
  nodelay(stdscr, TRUE);
  set_escdelay(25);
  curs_set(0);
  if (t->cfg->mouse) {
    mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED
        | BUTTON5_PRESSED, NULL);
    mouseinterval(0);
  }
  gt_draw_init(&(struct gt_draw_opts){ t->cfg->ascii, t->cfg->color });
  return 0;
}

/* Give the terminal back as it was. */
static void
screen_end(void)
{
  if (!isendwin())
    endwin();
  crash_handlers(0);
  if (saved_termios_ok)
    tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
}

/* Run the view. */
int
gt_tui_run(const struct gt_tui_config *cfg, const struct gt_tui_ops *ops,
    void *arg, char **cause)
{
  struct tui *t = gt_xcalloc(1, sizeof(*t));
  int stdin_flags = fcntl(STDIN_FILENO, F_GETFL), rc = 0;

  saved_stdin_flags = stdin_flags;
  t->cfg = cfg;
  t->ops = ops;
  t->arg = arg;
  t->settings = cfg->settings;
  t->ui.fit = 1;
  t->ui.solo = -1;
  t->ui.title = cfg->title;
  t->ui.replay = cfg->replay != NULL;
  t->rows_cap = 1024;
  t->rows = gt_xmalloc(t->rows_cap * sizeof(*t->rows));
  t->exit_status = 0;
  uv_loop_init(&t->loop);
  /* Signals first: ncurses leaves SIGWINCH alone when a handler exists. */
  uv_signal_init(&t->loop, &t->sigwinch);
  uv_signal_init(&t->loop, &t->sigint);
  uv_signal_init(&t->loop, &t->sigterm);
  uv_signal_init(&t->loop, &t->sighup);
  t->sigwinch.data = t->sigint.data = t->sigterm.data = t->sighup.data = t;
  uv_signal_start(&t->sigwinch, on_sigwinch, SIGWINCH);
  uv_signal_start(&t->sigint, on_stop_signal, SIGINT);
  uv_signal_start(&t->sigterm, on_stop_signal, SIGTERM);
  uv_signal_start(&t->sighup, on_stop_signal, SIGHUP);
  if (screen_start(t) != 0) {
    gt_set_cause(cause, "cannot use this terminal (TERM=%s)",
        getenv("TERM") ? getenv("TERM") : "");
    rc = 1;
    goto out;
  }
  uv_async_init(&t->loop, &t->wake, on_wake);
  t->wake.data = t;
  t->rec = ops->start(arg, &t->settings, wake_from_recorder, &t->wake);
  t->view = gt_view_new(t->rec);
  if (cfg->message != NULL)
    say(t, "%s", cfg->message);
  if (uv_poll_init(&t->loop, &t->input, STDIN_FILENO) != 0) {
    gt_set_cause(cause, "cannot read keys from standard input");
    rc = 1;
    ops->stop(arg);
    goto out;
  }
  /* uv_poll_init made stdin non-blocking, and stdout is often the same
   * open terminal: a full terminal would then make ncurses spin on EAGAIN
   * in doupdate(), deaf to keys and signals.  The poll only waits for
   * readiness, and getch() in nodelay mode polls before it reads, so stdin
   * can block again. */
  if (stdin_flags >= 0)
    fcntl(STDIN_FILENO, F_SETFL, stdin_flags & ~O_NONBLOCK);
  t->input.data = t;
  uv_poll_start(&t->input, UV_READABLE, on_input);
  uv_timer_init(&t->loop, &t->tick);
  t->tick.data = t;
  uv_timer_start(&t->tick, on_tick, 0, FRAME_MS);
  t->dirty = 1;
  uv_run(&t->loop, UV_RUN_DEFAULT);
  rc = t->exit_status;
  ops->stop(arg);
out:
  /* Give the terminal back, and the signals to their defaults, before
   * waiting for the runs: a Ctrl-C during that wait then ends the process
   * with the terminal already restored.  The other handles stay open until
   * the runs' thread has ended, for it rings the wake handle at its end. */
  screen_end();
  uv_signal_stop(&t->sigwinch);
  uv_signal_stop(&t->sigint);
  uv_signal_stop(&t->sigterm);
  uv_signal_stop(&t->sighup);
  if (stdin_flags >= 0)
    fcntl(STDIN_FILENO, F_SETFL, stdin_flags);
  if (t->view != NULL)
    ops->join(arg);
  uv_walk(&t->loop, close_one, NULL);
  uv_run(&t->loop, UV_RUN_DEFAULT);
  if (uv_loop_close(&t->loop) != 0)
    rc = rc ? rc : 1;
  gt_view_free(t->view);
  free(t->rows);
  free(t);
  return rc;
}
