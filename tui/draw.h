/*
 * tui/draw.h: painting the view with curses.  The only file that calls
 * curses drawing functions; it reads the view model and the UI state and
 * never touches events.
 */
#ifndef GT_DRAW_H
#define GT_DRAW_H

#include <stddef.h>
#include <stdint.h>

#include "view.h"

/* What the screen shows besides the model: the window on the time axis,
 * the selection, overlays, messages.  Owned by the TUI (tui.c). */
struct gt_ui {
  uint64_t t_lo;          /* left edge of the chart, absolute ns */
  uint64_t ns_per_col;    /* zoom */
  int      fit;           /* 1: the window follows the whole session */
  int      solo;          /* -1: every panel; else the panel shown alone */
  size_t   sel;           /* selected row (an index into the rows) */
  size_t   top;           /* first row shown */
  int      help;          /* the help overlay is open */
  int      inspect;       /* the inspect overlay is open */
  int      info;          /* the settings overlay is open */
  int      paused;        /* the display is frozen */
  int      finding;       /* typing a search */
  char     find[64];      /* the search text */
  char     status[256];   /* a message for the status line; "" for hints */
  const char *title;      /* what runs: "genre, 5 tasks" */
  int      live;          /* runs are still going (or a replay plays) */
  int      replay;        /* a replay: the title says so, with its speed */
  double   speed;
  int      label_w;       /* width of the label column */
};

struct gt_draw_opts {
  int ascii;              /* no UTF-8 glyphs */
  int color;              /* use colours */
};

/* Set colours up; call after the screen exists. */
void gt_draw_init(const struct gt_draw_opts *o);

/* Columns the chart has on a screen cols wide. */
unsigned gt_draw_chart_cols(const struct gt_ui *ui, int cols);

/* Rows of the screen the chart rows take (screen rows less the title,
 * ruler, legend and status lines). */
int gt_draw_chart_rows(int lines);

/* Paint one whole frame into stdscr (the caller refreshes).  rows are the
 * chart's rows as gt_view_rows() made them for this view, this frame. */
void gt_draw_frame(const struct gt_view *v, const struct gt_ui *ui,
    const struct gt_row *rows, size_t nrows);

/* The columns text takes on the screen (UTF-8; wide characters count 2). */
int gt_draw_text_width(const char *s);

/* A ruler label for t on an axis whose ticks are step apart: as many
 * decimals as the step needs, so neighbouring labels differ. */
void gt_draw_fmt_tick(char *buf, size_t len, uint64_t t, uint64_t step);

/* A readable duration ("250 ms", "1.25 s") into buf. */
void gt_draw_fmt_dur(char *buf, size_t len, uint64_t ns);

/* The glyph for a category in monochrome or ASCII drawing. */
const char *gt_draw_glyph(int cat, int ascii);

#endif
