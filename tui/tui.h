/*
 * tui/tui.h: the live terminal view.
 *
 * gt_tui_run() owns the terminal: one libuv loop on the calling (main)
 * thread reads keys through uv_poll, repaints from a uv_timer at most 30
 * times a second and only when something changed, hears the recorder's wake
 * through uv_async, and SIGWINCH, SIGINT and SIGTERM through uv_signal.  The
 * runs themselves belong to the caller, reached through an ops table, so the
 * view never knows what executes them.
 */
#ifndef GT_TUI_H
#define GT_TUI_H

#include "recorder.h"
#include "replay.h"

/* What a re-run takes from the keys. */
struct gt_tui_settings {
  unsigned workers;     /* 0: each mode's default */
  int      gil;         /* 1: the GIL switch is on */
  unsigned cores;       /* 0: every CPU; K: the workers run on K (--cores) */
};

/* The session, as the TUI sees it.  All are called on the TUI's thread. */
struct gt_tui_ops {
  /* Start the runs in a thread of the caller's; returns the recorder they
   * append to (owned by the caller, valid until the next start or the end
   * of gt_tui_run()).  wake is set on it before any run appends. */
  struct gt_recorder *(*start)(void *arg, const struct gt_tui_settings *s,
      gt_wake_fn wake, void *wake_arg);
  void (*stop)(void *arg);      /* ask the runs to stop; returns at once */
  void (*join)(void *arg);      /* wait until the runs' thread has ended */
  int  (*running)(void *arg);   /* 1 while the runs' thread is going */
  int  gil_available;           /* 0: `g` says it cannot toggle yet */
};

struct gt_tui_config {
  int         ascii;    /* no UTF-8 glyphs */
  int         color;    /* colours (off for NO_COLOR, --no-color) */
  int         mouse;    /* report clicks and wheel */
  const char *title;    /* "genre, 5 tasks" */
  const char *message;  /* shown in the status line at the start, or NULL */
  struct gt_replay *replay;  /* a playback (its recorder is the session), or
                                NULL for runs */
  struct gt_tui_settings settings;
};

/* The `e` key's file name: claim gantty-STAMP.json in the current folder
 * by creating it empty (O_EXCL, no link followed), or when that is taken
 * gantty-STAMP-2.json, -3, ...; the name goes to name.  Returns 0 or a
 * negative errno.  The export then renames the trace over it. */
int gt_tui_export_name(const char *stamp, char *name, size_t size);

/* Run the view until the user quits.  Returns 0, or 128 + the signal when
 * SIGINT or SIGTERM ended it, or 1 when the terminal could not be set up
 * (*cause says why).  The runs are stopped and joined before it returns;
 * the terminal and stdin are restored on every path. */
int gt_tui_run(const struct gt_tui_config *cfg, const struct gt_tui_ops *ops,
    void *arg, char **cause);

#endif
