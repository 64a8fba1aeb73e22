/*
 * tui/draw.c: the frame.  Title, ruler, one header and caption row per
 * panel, one row per lane, the legend and the status line, plus the help
 * and inspect overlays.
 *
 * A lane's cells come from gt_view_cells(): each is a left and a right part
 * split at eighths.  In colour, a split cell is a left-eighths block whose
 * foreground is the left part's colour and background the right part's;
 * an empty left part uses reverse video, so the glyph takes the terminal's
 * background.  Without colour (NO_COLOR, --no-color) or in ASCII, a cell
 * shows the glyph of its larger part, and every state has its own glyph.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include "draw.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "base.h"
#include "category.h"
#include "event.h"
#include "lanes.h"
#include "report.h"

#define MAX_COLS 1024
#define TOP_ROWS 2        /* title, ruler */
#define BOTTOM_ROWS 2     /* legend, status */

static struct gt_draw_opts opts;
static int full_pairs;      /* a pair for every (left, right) */
static int pair_base;       /* first pair of the fixed ones below */

enum { P_HEADER, P_FAILED, P_DIM, P_TITLE, P_COUNT };

/* Eighths of a cell from the left, 1..7. */
static const char *const eighths[8] = {
  " ", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };

/* The pair drawing fg on bg, categories both. */
static short
pair_of(int fg, int bg)
{
  if (full_pairs)
    return (short)(1 + fg * GT_CAT_COUNT + bg);
  return (short)(1 + fg);
}

/* Set colours up. */
void
gt_draw_init(const struct gt_draw_opts *o)
{
  int a, b;

  opts = *o;
  if (!opts.color || !has_colors()) {
    opts.color = 0;
    return;
  }
  start_color();
  use_default_colors();
  full_pairs = COLOR_PAIRS > 1 + GT_CAT_COUNT * GT_CAT_COUNT + P_COUNT;
  for (a = 0; a < GT_CAT_COUNT; a++)
    for (b = 0; b < (full_pairs ? GT_CAT_COUNT : 1); b++)
      init_pair(pair_of(a, b), (short)gt_cat_info(a)->ansi,
          (short)gt_cat_info(b)->ansi);
  pair_base = full_pairs ? 1 + GT_CAT_COUNT * GT_CAT_COUNT : 1 + GT_CAT_COUNT;
  init_pair((short)(pair_base + P_HEADER), COLOR_CYAN, -1);
  init_pair((short)(pair_base + P_FAILED), COLOR_RED, -1);
  init_pair((short)(pair_base + P_DIM), COLOR_WHITE, -1);
  init_pair((short)(pair_base + P_TITLE), COLOR_BLACK, COLOR_CYAN);
}

/* A fixed pair's attribute, or 0 without colour. */
static attr_t
fixed(int which)
{
  return opts.color ? COLOR_PAIR(pair_base + which) : 0;
}

/* The glyph of a category, from the category table. */
const char *
gt_draw_glyph(int cat, int ascii)
{
  return ascii ? gt_cat_info(cat)->ascii : gt_cat_info(cat)->utf8;
}

/* A readable duration. */
void
gt_draw_fmt_dur(char *buf, size_t len, uint64_t ns)
{
  if (ns >= 10000000000ull)
    snprintf(buf, len, "%.1f s", (double)ns / 1e9);
  else if (ns >= 1000000000ull)
    snprintf(buf, len, "%.2f s", (double)ns / 1e9);
  else if (ns >= 10000000ull)
    snprintf(buf, len, "%.0f ms", (double)ns / 1e6);
  else if (ns >= 1000000ull)
    snprintf(buf, len, "%.1f ms", (double)ns / 1e6);
  else
    snprintf(buf, len, "%.0f us", (double)ns / 1e3);
}

/* Chart columns on a screen cols wide. */
unsigned
gt_draw_chart_cols(const struct gt_ui *ui, int cols)
{
  int n = cols - ui->label_w - 1;

  if (n < 1)
    return 1;
  return n > MAX_COLS ? MAX_COLS : (unsigned)n;
}

/* Rows for the chart. */
int
gt_draw_chart_rows(int lines)
{
  int n = lines - TOP_ROWS - BOTTOM_ROWS;

  return n > 1 ? n : 1;
}

/* The screen cell for c: its glyph (UTF-8, one column) and attributes. */
static void
cell_look(const struct gt_cell *c, const char **glyph, attr_t *attr,
    short *pair)
{
  int l = c->left, r = c->right, big;

  *pair = 0;
  if (c->mark == GT_MARK_FAILED) {
    *attr = A_BOLD;
    *pair = opts.color ? (short)(pair_base + P_FAILED) : 0;
    *glyph = opts.ascii ? "X" : "✗";
    return;
  }
  if (!opts.color || opts.ascii || !full_pairs) {
    big = c->split >= 4 ? l : r;
    *pair = opts.color ? pair_of(big, 0) : 0;
    *attr = gt_cat_info(big)->dim ? A_DIM : A_NORMAL;
    *glyph = gt_draw_glyph(big, opts.ascii);
    return;
  }
  /* A queued part draws as dots when whole; in a split it is background. */
  if (c->split < 8) {
    if (l == GT_CAT_QUEUED)
      l = GT_CAT_NONE;
    if (r == GT_CAT_QUEUED)
      r = GT_CAT_NONE;
  }
  *attr = A_NORMAL;
  if (c->split >= 8 || l == r) {
    if (l == GT_CAT_NONE) {
      *glyph = " ";
    } else if (l == GT_CAT_QUEUED) {
      *pair = pair_of(l, 0);
      *attr = gt_cat_info(l)->dim ? A_DIM : A_NORMAL;
      *glyph = gt_cat_info(l)->utf8;
    } else {
      *pair = pair_of(l, 0);
      *glyph = "█";
    }
    return;
  }
  if (l == GT_CAT_NONE) {
    *pair = pair_of(r, 0);
    *attr = A_REVERSE;
  } else {
    *pair = pair_of(l, r);
  }
  *glyph = eighths[c->split];
}

/* Put a lane's cells at the cursor as one run of wide cells: no
 * multibyte decoding per cell (that was most of a frame's curses time). */
static void
put_cells(const struct gt_cell *cells, unsigned cols)
{
  static cchar_t row[MAX_COLS];
  const char *glyph, *last = NULL;
  wchar_t wc[2] = { 0, 0 };
  mbstate_t ms;
  attr_t attr;
  short pair;
  unsigned c;
  int y, x;

  for (c = 0; c < cols; c++) {
    cell_look(&cells[c], &glyph, &attr, &pair);
    if (glyph != last) {      /* glyphs come from static tables */
      memset(&ms, 0, sizeof(ms));
      if (mbrtowc(&wc[0], glyph, strlen(glyph), &ms) > 4)
        wc[0] = L'?';
      last = glyph;
    }
    setcchar(&row[c], wc, attr, pair, NULL);
  }
  getyx(stdscr, y, x);
  mvadd_wchnstr(y, x, row, (int)cols);
  move(y, x + (int)cols);
}

/* Draw one cell at the cursor. */
static void
draw_cell(const struct gt_cell *c)
{
  const char *glyph;
  attr_t attr;
  short pair;

  cell_look(c, &glyph, &attr, &pair);
  attrset(attr | COLOR_PAIR(pair));
  addstr(glyph);
}

/* The next character of s: its bytes in *n and its columns in *w (a byte
 * that is not UTF-8, a control character (C0, DEL, C1: curses would move
 * the cursor on a newline or draw "^[" in two columns), or a format
 * character that would reorder or hide the text, such as a bidi override,
 * counts as one column and is shown as '?'). */
static void
next_char(const char *s, size_t *n, int *w)
{
  mbstate_t ms;
  wchar_t wc;
  size_t k;

  memset(&ms, 0, sizeof(ms));
  k = mbrtowc(&wc, s, MB_CUR_MAX, &ms);
  if (k == 0 || k > (size_t)MB_CUR_MAX) {
    *n = 1;
    *w = -1;  /* not a character here */
    return;
  }
  *n = k;
  if (gt_format_char((uint32_t)wc) || wc < 0x20
      || (wc >= 0x7f && wc < 0xa0)) {
    *w = -1;
    return;
  }
  *w = wcwidth(wc);
  if (*w < 0)
    *w = 1;
}

/* The columns text takes. */
int
gt_draw_text_width(const char *s)
{
  size_t n;
  int w, total = 0;

  while (*s != '\0') {
    next_char(s, &n, &w);
    total += w < 0 ? 1 : w;
    s += n;
  }
  return total;
}

/* Write s clipped to width w at the cursor, whole characters only, padding
 * with spaces to exactly w columns. */
static void
put_clipped(const char *s, int w)
{
  size_t n;
  int used = 0, cw;

  while (*s != '\0') {
    next_char(s, &n, &cw);
    if (used + (cw < 0 ? 1 : cw) > w)
      break;
    if (cw < 0)
      addch('?');
    else
      addnstr(s, (int)n);
    used += cw < 0 ? 1 : cw;
    s += n;
  }
  for (; used < w; used++)
    addch(' ');
}

/* A ruler label with the precision its step needs. */
void
gt_draw_fmt_tick(char *buf, size_t len, uint64_t t, uint64_t step)
{
  const char *unit = "s";
  double div = 1e9, v;
  int dec = 0;
  uint64_t s;

  if (t == 0) {
    snprintf(buf, len, "0");
    return;
  }
  if (step < 1000000ull) {
    unit = "us";
    div = 1e3;
  } else if (step < 1000000000ull) {
    unit = "ms";
    div = 1e6;
  }
  /* Decimals: enough to show the step itself (0.5 s: 1; 0.25 s: 2). */
  for (s = step; s % (uint64_t)div != 0 && dec < 6; dec++)
    s *= 10;
  v = (double)t / div;
  snprintf(buf, len, "%.*f %s", dec, v, unit);
}

/* The ruler: ticks at round times from the session's start. */
static void
draw_ruler(const struct gt_view *v, const struct gt_ui *ui, unsigned cols)
{
  static const uint64_t steps[] = { 1, 2, 5 };
  uint64_t npc = ui->ns_per_col ? ui->ns_per_col : 1;
  uint64_t t0 = gt_view_t0(v), want = npc * 12, step = 1000;
  uint64_t rel_lo = ui->t_lo > t0 ? ui->t_lo - t0 : 0, t;
  char buf[32];
  unsigned c, k, next_free = 0;

  for (k = 0; step * steps[k % 3] < want; k++)
    if (k % 3 == 2)
      step *= 10;
  step *= steps[k % 3];
  move(1, 0);
  attrset(fixed(P_DIM));
  put_clipped("", ui->label_w + 1);
  for (c = 0; c < cols; c++)
    addch(' ');
  for (t = (rel_lo + step - 1) / step * step; t >= rel_lo; t += step) {
    c = (unsigned)((t - rel_lo) / npc);
    if (c >= cols)
      break;
    if (c < next_free)
      continue;
    gt_draw_fmt_tick(buf, sizeof(buf), t, step);
    move(1, ui->label_w + 1 + (int)c);
    addstr(opts.ascii ? "|" : "╷");
    if (c + 1 + strlen(buf) < cols)
      addstr(buf);
    next_free = c + (unsigned)strlen(buf) + 3;
  }
}

/* A foreign panel's header: the process, its threads (the lanes drawn
 * so far) and its span; no workers, ideal or speedup. */
static void
header_foreign(const struct gt_view *v, const struct gt_tl_run *p,
    const struct gt_run_figures *f, int selected, char *line, size_t len)
{
  char span[32];

  gt_draw_fmt_dur(span, sizeof(span), f->wall_ns);
  snprintf(line, len, "%s %s  %u thread%s  %s %s",
      selected ? (opts.ascii ? ">" : "▶") : " ",
      gt_recorder_string(gt_view_recorder(v), p->mode), f->tasks,
      f->tasks == 1 ? "" : "s", p->end_ns ? "span" : "so far",
      p->start_ns ? span : "-");
}

/* A panel's header row. */
static void
draw_header(const struct gt_view *v, const struct gt_ui *ui, size_t panel,
    int row, int cols, int selected)
{
  const struct gt_tl_run *p = gt_view_panel(v, panel);
  struct gt_run_figures f;
  char wall[32], ideal[48], line[400], vs[96], speed[100] = "";
  char limit[48] = "", rep[96], reps[100] = "", cores[32] = "";

  gt_view_figures(v, panel, &f);
  if (f.foreign) {
    header_foreign(v, p, &f, selected, line, sizeof(line));
    move(row, 0);
    attrset(fixed(P_HEADER) | A_BOLD);
    put_clipped(line, cols);
    return;
  }
  gt_draw_fmt_dur(wall, sizeof(wall), f.wall_ns);
  snprintf(ideal, sizeof(ideal), "  ideal ");
  gt_draw_fmt_dur(ideal + 8, sizeof(ideal) - 8, f.ideal_ns);
  gt_view_speed(v, panel, vs, sizeof(vs));
  if (vs[0] != '\0')
    snprintf(speed, sizeof(speed), "  %s", vs);
  gt_view_repeats(v, panel, rep, sizeof(rep));
  if (rep[0] != '\0')
    snprintf(reps, sizeof(reps), "  (%s)", rep);
  if (p->limit != 0)
    snprintf(limit, sizeof(limit), ", at most %u in flight", p->limit);
  if (p->cores != 0)  /* the CPUs it had (--cores, or all it could use) */
    snprintf(cores, sizeof(cores), ", %u core%s", p->cores,
        p->cores == 1 ? "" : "s");
  snprintf(line, sizeof(line), "%s %s  %d worker%s%s%s  %s %s%s%s%s",
      selected ? (opts.ascii ? ">" : "▶") : " ",
      gt_recorder_string(gt_view_recorder(v), p->mode), p->workers,
      p->workers == 1 ? "" : "s", limit, cores, p->end_ns ? "wall" : "so far",
      p->start_ns ? wall : "-", reps, speed, ideal);
  move(row, 0);
  attrset(fixed(P_HEADER) | A_BOLD);
  put_clipped(line, cols);
  (void)ui;
}

/* A panel's caption row. */
static void
draw_caption(const struct gt_view *v, size_t panel, int row, int cols)
{
  char line[256];

  gt_view_caption(v, panel, line, sizeof(line));
  move(row, 0);
  attrset(fixed(P_DIM));
  addstr("  ");
  put_clipped(line, cols - 2);
}

/* A lane's row: label, cells, and the error of a failed task. */
static void
draw_lane(const struct gt_view *v, const struct gt_ui *ui,
    const struct gt_tl_lane *l, int row, unsigned cols, int selected)
{
  static struct gt_cell cells[MAX_COLS];

  move(row, 0);
  attrset((selected ? A_REVERSE : A_NORMAL)
      | (l->finished && l->status != 0 ? fixed(P_FAILED) : 0));
  put_clipped(gt_recorder_string(gt_view_recorder(v), l->name), ui->label_w);
  attrset(A_NORMAL);
  addch(' ');
  gt_view_cells(v, l, ui->t_lo, ui->ns_per_col, cols, cells);
  put_cells(cells, cols);
}

/* The legend: a sample of every state the session has shown, and the
 * failure mark once a task failed. */
static void
draw_legend(const struct gt_view *v, int row, int cols)
{
  unsigned seen = gt_view_cats_seen(v) | 1u << GT_CAT_QUEUED
      | 1u << GT_CAT_RUNNING;
  int failed = 0, ready_said = 0, foreign = gt_view_foreign(v);
  size_t p, i;
  struct gt_cell c = { 0, 0, 8, 0 };
  const char *name;
  int k;

  move(row, 0);
  attrset(A_NORMAL);
  for (p = 0; p < gt_view_panels(v) && !failed; p++)
    for (i = 0; i < gt_view_panel_nlanes(v, p); i++)
      if (gt_view_panel_lane(v, p, i)->finished
          && gt_view_panel_lane(v, p, i)->status != 0)
        failed = 1;
  for (k = 1; k < GT_CAT_COUNT; k++) {
    if (!(seen & 1u << k))
      continue;
    name = gt_report_cat_name(k, foreign);
    if (getcurx(stdscr) + (int)strlen(name) + 4 >= cols)
      break;
    /* the state ready's reasons come last, after one "ready:" */
    if (gt_reason_ready(GT_CAT_REASON(k)) && !ready_said) {
      if (getcurx(stdscr) + (int)strlen(gt_cat_info(k)->name) + 11 >= cols)
        break;
      addstr("ready: ");
      ready_said = 1;
    }
    c.left = c.right = (uint8_t)k;
    draw_cell(&c);
    attrset(A_NORMAL);
    addch(' ');
    addstr(name);
    addstr("  ");
  }
  if (failed && getcurx(stdscr) + 10 < cols) {
    attrset(fixed(P_FAILED) | A_BOLD);
    addstr(opts.ascii ? "X" : "✗");
    attrset(A_NORMAL);
    addstr(" failed");
  }
  clrtoeol();
}

/* The title row. */
static void
draw_title(const struct gt_view *v, const struct gt_ui *ui, int cols)
{
  char verdict[280], line[512], tag[48];
  struct gt_verdict vd;
  const char *head;

  /* the verdict, or "done" once a session with none is over; then the
   * contention warning, whenever there is one */
  gt_timeline_verdict(gt_view_timeline(v), opts.ascii, &vd);
  if (gt_view_foreign(v))  /* another tool's processes did not race */
    vd.text[0] = vd.warning[0] = '\0';
  head = vd.text[0] ? vd.text : ui->live || ui->replay ? "" : "done";
  snprintf(verdict, sizeof(verdict), "%s%s%s", head,
      head[0] && vd.warning[0] ? "; " : "", vd.warning);
  if (ui->replay)  /* the C locale: LC_NUMERIC is "C" throughout gantty */
    snprintf(tag, sizeof(tag), ui->live ? "[replay %gx] " : "[replay, "
        "paused] ", ui->speed);
  else
    snprintf(tag, sizeof(tag), "%s", ui->paused ? "[paused] "
        : ui->live ? "[live] " : "");
  snprintf(line, sizeof(line), " gantty  %s  %s%s", ui->title ? ui->title : "",
      tag, verdict);
  move(0, 0);
  attrset(opts.color ? fixed(P_TITLE) : A_REVERSE);
  put_clipped(line, cols);
}

/* The status row: the search being typed, a message, or key hints. */
static void
draw_status(const struct gt_view *v, const struct gt_ui *ui, int row,
    int cols)
{
  char line[512];

  if (ui->finding)
    snprintf(line, sizeof(line), "find: %s_   (Enter: next match, Esc: "
        "cancel)", ui->find);
  else if (ui->status[0] != '\0')
    snprintf(line, sizeof(line), "%s", ui->status);
  else if (gt_view_foreign(v))
    /* another tool's trace, played back: nothing to re-run, no workers;
     * the first 80 columns hold whole hints */
    snprintf(line, sizeof(line), "? help  q quit  space play  [ ] speed  "
        "j/k thread  Tab process  Enter inspect  +/- zoom  a/d pan  0 fit  "
        "/ find  . end  e export");
  else
    /* the first 80 columns hold whole hints, i (settings) among them */
    snprintf(line, sizeof(line), "? help  q quit  space pause  r re-run  "
        "i settings  +/- zoom  a/d pan  j/k lane  0 fit  Tab panel  "
        "Enter inspect  / find  t workers  < > width  e export");
  move(row, 0);
  attrset(A_REVERSE);
  put_clipped(line, cols);
}

/* A box of text lines in the middle of the screen. */
static void
draw_box(const char *title, const char *const *lines, int n)
{
  int w = gt_draw_text_width(title) + 4, h, y, x, i;

  for (i = 0; i < n; i++)
    if (gt_draw_text_width(lines[i]) + 4 > w)
      w = gt_draw_text_width(lines[i]) + 4;
  if (w > COLS - 2)
    w = COLS - 2;
  h = n + 2 < LINES - 2 ? n + 2 : LINES - 2;
  y = (LINES - h) / 2;
  x = (COLS - w) / 2;
  attrset(A_REVERSE);
  move(y, x);
  put_clipped("", w);
  move(y, x + 2);
  put_clipped(title, w - 4);
  for (i = 0; i < h - 2; i++) {
    move(y + 1 + i, x);
    attrset(A_NORMAL);
    addstr("  ");
    put_clipped(lines[i], w - 2);
  }
  move(y + h - 1, x);
  attrset(A_REVERSE);
  put_clipped(h - 2 < n ? "  ... (more below)" : "", w);
}

/* The help overlay of a replay; of another tool's trace, in its words. */
static void
draw_replay_help(int foreign)
{
  static const char *const foreign_lines[] = {
    "?          this help (any key closes it)",
    "q          quit",
    "space      pause or play (at the end: again from the start)",
    "[ ]        half or twice the speed (0.125x to 64x)",
    "<- ->      paused: the previous or next event; playing: pan",
    "Home End . the start; the end",
    "r          play again from the start",
    "+ - w s    zoom in, out          0  fit the whole trace",
    "a d        pan left, right",
    "j k up dn  select a thread       Tab  next process",
    "1..5       show one process alone (again: all)",
    "Enter      inspect the selected thread's slices (Esc closes)",
    "/          find a thread by its name",
    "e          export what is shown to a trace file",
    "",
    "A trace from another tool: a process is a panel, a thread a lane,",
    "busy in its slices and idle between them.",
  };
  static const char *const lines[] = {
    "?          this help (any key closes it)",
    "q          quit",
    "space      pause or play (at the end: again from the start)",
    "[ ]        half or twice the speed (0.125x to 64x)",
    "<- ->      paused: the previous or next event; playing: pan",
    "Home End . the start; the end",
    "r          play again from the start",
    "+ - w s    zoom in, out          0  fit the whole session",
    "a d        pan left, right",
    "j k up dn  select a lane         Tab  next panel",
    "1..5       show one panel alone (again: all)",
    "Enter      inspect the selected task (Esc closes)",
    "/          find a lane by its label",
    "t          lanes by task or by worker",
    "e          export what is shown to a trace file",
    "i          the settings the session was made with",
  };

  if (foreign)
    draw_box("gantty replay keys", foreign_lines,
        (int)(sizeof(foreign_lines) / sizeof(foreign_lines[0])));
  else
    draw_box("gantty replay keys", lines,
        (int)(sizeof(lines) / sizeof(lines[0])));
}

/* The help overlay. */
static void
draw_help(void)
{
  static const char *const lines[] = {
    "?          this help (any key closes it)",
    "q          quit",
    "space      pause or resume the display (runs go on)",
    "r          re-run the session",
    "+ - w s    zoom in, out          0  fit the whole session",
    "a d <- ->  pan left, right",
    "j k up dn  select a lane         Tab  next panel",
    "1..5       show one panel alone (again: all)",
    "Enter      inspect the selected task (Esc closes)",
    "/          find a lane by its label",
    "t          lanes by task or by worker",
    "< >        fewer or more workers, and re-run",
    "{ }        fewer or more cores (CPU affinity), and re-run",
    "g          toggle the GIL switch and re-run",
    "e          export the trace to a file",
    "i          the settings the session was made with",
    "mouse      click selects a lane, wheel zooms",
    "",
    "running: on a CPU.  ready (no core): runnable, no CPU free;",
    "  measured by a sampler every 2 ms (its resolution).",
  };

  draw_box("gantty keys", lines, (int)(sizeof(lines) / sizeof(lines[0])));
}

/* The settings overlay: the session's settings packed into lines that
 * fit the screen (so 80x24 shows them whole), or why there are none. */
static void
draw_info(const struct gt_view *v)
{
  static const char *const none[] = {
    "This session does not say how it was made:",
    "a trace from another tool, or from an older gantty.",
  };
  static const char *const foreign[] = {
    "A trace from another tool: it holds no gantty settings.",
  };
  const struct gt_settings *s = gt_recorder_settings(gt_view_recorder(v));
  char **lines;
  size_t n, i;

  if (s->n == 0 && gt_view_foreign(v)) {
    draw_box("settings", foreign, 1);
    return;
  }
  if (s->n == 0) {
    draw_box("settings", none, 2);
    return;
  }
  n = gt_settings_lines(s, COLS > 12 ? (unsigned)COLS - 8 : 4, &lines);
  draw_box("settings (any key closes)", (const char *const *)lines, (int)n);
  for (i = 0; i < n; i++)
    free(lines[i]);
  free(lines);
}

/* The inspect overlay for lane l: one line per interval.  Another tool's
 * thread shows its slices and idle gaps, with no worker or reason (its
 * worker is its own tid), and when it ended rather than "finished ok". */
static void
draw_inspect(const struct gt_view *v, const struct gt_tl_lane *l)
{
  static char text[200][128];
  static const char *lines[200];
  struct gt_recorder *rec = gt_view_recorder(v);
  uint64_t t0 = gt_view_t0(v), end;
  int foreign = gt_view_foreign(v);
  char a[32], d[32];
  size_t i;
  int n = 0;

  if (foreign)
    snprintf(text[n], sizeof(text[n]), "%10s  %9s  %-5s %s", "start",
        "duration", "state", "slice");
  else
    snprintf(text[n], sizeof(text[n]), "%10s  %9s  %-8s %-8s %-7s %s",
        "start", "duration", "state", "reason", "worker", "label");
  lines[n] = text[n];
  n++;
  for (i = 0; i < l->ntr && n < 198; i++) {
    const struct gt_transition *t = &l->tr[i];
    const char *state;
    char w[16] = "-";

    if (t->cat == GT_CAT_NONE)
      continue;
    end = i + 1 < l->ntr ? l->tr[i + 1].ts_ns : gt_view_now(v);
    gt_draw_fmt_dur(a, sizeof(a), t->ts_ns - t0);
    gt_draw_fmt_dur(d, sizeof(d), end > t->ts_ns ? end - t->ts_ns : 0);
    if (foreign && t->cat != GT_CAT_RUNNING && end <= t->ts_ns)
      continue;  /* the importer's idle mark at a slice's own instant */
    if (foreign) {  /* a slice is named; an idle gap is not */
      snprintf(text[n], sizeof(text[n]), "%10s  %9s  %-5s %s", a, d,
          t->cat == GT_CAT_RUNNING ? "busy" : "idle",
          t->cat == GT_CAT_RUNNING ? gt_recorder_string(rec, t->label) : "");
      lines[n] = text[n];
      n++;
      continue;
    }
    state = t->cat == GT_CAT_QUEUED ? "queued" : t->cat == GT_CAT_RUNNING
        ? "running" : "waiting";
    if (t->worker >= 0)
      snprintf(w, sizeof(w), "%d", t->worker);
    snprintf(text[n], sizeof(text[n]), "%10s  %9s  %-8s %-8s %-7s %s", a, d,
        state, gt_reason_name(GT_CAT_REASON(t->cat)), w,
        gt_recorder_string(rec, t->label));
    lines[n] = text[n];
    n++;
  }
  if (gt_view_by_worker(v)) {
    /* a worker lane has no end of its own */
  } else if (foreign) {
    if (l->finished) {
      gt_draw_fmt_dur(a, sizeof(a), l->finish_ns - t0);
      snprintf(text[n], sizeof(text[n]), "its last slice ended at %s", a);
    } else {
      snprintf(text[n], sizeof(text[n]), "a slice is still open");
    }
    lines[n] = text[n];
    n++;
  } else if (l->finished) {
    if (l->status == 0)
      snprintf(text[n], sizeof(text[n]), "finished ok");
    else
      snprintf(text[n], sizeof(text[n]), "failed: %s",
          l->error ? gt_recorder_string(rec, l->error)
          : gt_strerror(l->status));
    lines[n] = text[n];
    n++;
  } else {
    snprintf(text[n], sizeof(text[n]), "not finished yet");
    lines[n] = text[n];
    n++;
  }
  draw_box(gt_recorder_string(rec, l->name), lines, n);
}

/* Paint a frame. */
void
gt_draw_frame(const struct gt_view *v, const struct gt_ui *ui,
    const struct gt_row *rows, size_t nrows)
{
  unsigned cols = gt_draw_chart_cols(ui, COLS);
  int chart = gt_draw_chart_rows(LINES), r;
  size_t i, sel_panel;

  sel_panel = ui->sel < nrows ? rows[ui->sel].panel : (size_t)-1;
  draw_title(v, ui, COLS);
  draw_ruler(v, ui, cols);
  for (r = 0; r < chart; r++) {
    int row = TOP_ROWS + r;

    i = ui->top + (size_t)r;
    move(row, 0);
    attrset(A_NORMAL);
    clrtoeol();
    if (i >= nrows)
      continue;
    switch (rows[i].kind) {
    case GT_ROW_HEADER:
      draw_header(v, ui, rows[i].panel, row, COLS,
          rows[i].panel == sel_panel);
      break;
    case GT_ROW_CAPTION:
      draw_caption(v, rows[i].panel, row, COLS);
      break;
    default:
      draw_lane(v, ui, gt_view_panel_lane(v, rows[i].panel, rows[i].lane),
          row, cols, i == ui->sel);
    }
  }
  draw_legend(v, LINES - 2, COLS);
  draw_status(v, ui, LINES - 1, COLS);
  if (ui->info) {
    draw_info(v);
  } else if (ui->help) {
    if (ui->replay)
      draw_replay_help(gt_view_foreign(v));
    else
      draw_help();
  } else if (ui->inspect && ui->sel < nrows
      && rows[ui->sel].kind == GT_ROW_LANE)
    draw_inspect(v, gt_view_panel_lane(v, rows[ui->sel].panel,
        rows[ui->sel].lane));
  attrset(A_NORMAL);
}
