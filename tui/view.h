/*
 * tui/view.h: the view: a timeline (trace/timeline.h) laid out as panels
 * and rows of lanes, and lanes as screen cells; no curses.
 *
 * The timeline owns the events, their fold into lanes, the queries on them
 * and the figures; the view chooses which lanes a panel shows (by task or
 * by worker), turns a lane's coverage into cells (and caches them), and
 * writes captions and the verdict from the timeline's figures.  A frame's
 * cost is a function of lanes x columns, not of how many events the
 * session holds.
 *
 * Threads: a view belongs to one thread (the TUI's main thread); the
 * recorder it reads may be appended to by any number of others.
 */
#ifndef GT_VIEW_H
#define GT_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "category.h"
#include "recorder.h"
#include "timeline.h"

/* One screen cell of a lane: a left part and a right part of the cell's
 * time, split at `split` eighths.  split == 8 means the left category fills
 * the cell; GT_CAT_NONE on both sides is an empty cell.
 *
 * The definition.  A cell covers [t, t + w); each category holds a part of
 * that time (none: before the lane's first transition, after its finish,
 * after now).  The largest part is the major, the next the minor.  When
 * the minor holds less than w / 16, the major fills the cell.  Otherwise
 * the two are drawn in time order: the minor on the left when the cell
 * begins in the minor's category, else the major; `split` is the left
 * part's share of the two, in eighths, rounded to the nearest; when that
 * is 0 or 8 the major fills the cell.  `mark` says the task finished
 * inside the cell. */
struct gt_cell {
  uint8_t left;       /* enum gt_cat */
  uint8_t right;      /* enum gt_cat */
  uint8_t split;      /* 1..8: eighths of the cell that are `left` */
  uint8_t mark;       /* GT_MARK_*: the task ended in this cell */
};

enum { GT_MARK_NONE = 0, GT_MARK_DONE, GT_MARK_FAILED };

struct gt_view;

/* A view of rec (borrowed: it must outlive the view). */
struct gt_view *gt_view_new(struct gt_recorder *rec);
void gt_view_free(struct gt_view *v);

/* Fold every event appended since the last call; returns how many.  "Now"
 * becomes the latest of now_ns, the latest event seen and the previous
 * now: lanes that have not finished end there.  Pass 0 once nothing runs,
 * so that time stops at the last event. */
size_t gt_view_update(struct gt_view *v, uint64_t now_ns);

/* The timeline the view lays out, the recorder, the time origin and "now"
 * as of the last update. */
const struct gt_timeline *gt_view_timeline(const struct gt_view *v);
struct gt_recorder *gt_view_recorder(const struct gt_view *v);
uint64_t gt_view_t0(const struct gt_view *v);
uint64_t gt_view_now(const struct gt_view *v);

/* 1 when runs exist and every one has ended (one not yet begun counts as
 * running, so no verdict names a run that never ran). */
int gt_view_all_done(const struct gt_view *v);

/* The categories any lane has been in, as bits (1 << enum gt_cat). */
unsigned gt_view_cats_seen(const struct gt_view *v);

/* 1 when the session is another tool's trace: its runs carry
 * GT_RUN_FOREIGN (an import marks every run of a foreign file, and a
 * file is either gantty's or another tool's, so the first run says it
 * for all).  Such a session is spoken of in a trace's words: processes,
 * threads, slices, busy and idle; never tasks, workers, ok or failed,
 * ideals, speedups or a verdict. */
int gt_view_foreign(const struct gt_view *v);

/* Lanes by task (0) or by worker (1); panels list the chosen kind. */
void gt_view_set_by_worker(struct gt_view *v, int by_worker);
int gt_view_by_worker(const struct gt_view *v);

/* Panels, one per run of the timeline, in run order.  Borrowed until the
 * next gt_view_update(). */
size_t gt_view_panels(const struct gt_view *v);
const struct gt_tl_run *gt_view_panel(const struct gt_view *v, size_t i);

/* The lanes of panel i in the current kind, and how many there are.  Lane
 * pointers, and row indexes from gt_view_rows(), hold until the next
 * gt_view_update() or gt_view_set_by_worker(). */
const struct gt_tl_lane *gt_view_panel_lane(const struct gt_view *v,
    size_t panel, size_t i);
size_t gt_view_panel_nlanes(const struct gt_view *v, size_t panel);

/* The cells of lane l for columns [0, cols) covering [t_lo, t_lo + cols *
 * ns_per_col).  Cost: O(cols * (log transitions + block)). */
void gt_view_cells(const struct gt_view *v, const struct gt_tl_lane *l,
    uint64_t t_lo, uint64_t ns_per_col, unsigned cols, struct gt_cell *out);

/* The category of l at time t. */
int gt_view_cat_at(const struct gt_tl_lane *l, uint64_t t);

/* Time l spent in each category in [a, b), clipped to now; into out. */
void gt_view_coverage(const struct gt_view *v, const struct gt_tl_lane *l,
    uint64_t a, uint64_t b, uint64_t out[GT_CAT_COUNT]);

/* The figures of panel i as of now: the timeline's, without peaks (the
 * live header shows what the report prints, from the same code). */
void gt_view_figures(const struct gt_view *v, size_t panel,
    struct gt_run_figures *out);

/* A caption in plain words for panel i, for teaching ("sync: one request
 * at a time; 4 tasks queued").  Another tool's process (gt_view_foreign)
 * gets a trace's words instead: "Renderer: 2 threads in a slice, 1 idle"
 * while it plays, "Renderer: 3 threads; busy 1.2 ms, idle 0.4 ms in all"
 * at its end (busy: the time its threads spent in slices; idle: the gaps
 * between a thread's first slice and its last end), then "; 1 still in a
 * slice" for threads whose last slice never closed.  Writes at most len
 * bytes into buf. */
void gt_view_caption(const struct gt_view *v, size_t panel, char *buf,
    size_t len);

/* "2.00x vs sync" for panel i's header: its speedup and the baseline's
 * name, cut to at most 12 whole characters (UTF-8: never inside one); ""
 * when it has none (no baseline yet, or it is the baseline).  Writes at
 * most len bytes into buf. */
void gt_view_speed(const struct gt_view *v, size_t panel, char *buf,
    size_t len);

/* A one-line verdict once all runs ended ("threads won: 4.9x faster than
 * sync", "threads ≈ async, within 1%", "no winner: ..."; the rules
 * are trace/timeline.h's), then, when other programs took more than
 * GT_CONTENTION_WARN_PM of a run's CPU, the warning (even before the
 * end); "" when there is neither, and always for another tool's trace
 * (its processes did not race).  ascii: "~" for "≈".  Writes at most
 * len bytes into buf. */
void gt_view_verdict_in(const struct gt_view *v, int ascii, char *buf,
    size_t len);

/* gt_view_verdict_in() in UTF-8. */
void gt_view_verdict(const struct gt_view *v, char *buf, size_t len);

/* For a panel whose mode ran more than once (--repeat): "median 1.20 s,
 * 1.10-1.31 s over 3 runs" (the measured runs of its mode, timeline.h);
 * "" otherwise. */
void gt_view_repeats(const struct gt_view *v, size_t panel, char *buf,
    size_t len);

/* One row of the chart. */
enum { GT_ROW_HEADER = 1, GT_ROW_CAPTION, GT_ROW_LANE };
struct gt_row {
  int    kind;    /* GT_ROW_* */
  size_t panel;
  size_t lane;    /* GT_ROW_LANE: index in the panel */
};

/* Fill out with up to max rows for all panels (solo < 0) or panel solo;
 * returns how many rows there are in all (size out by it: any number of
 * lanes is shown). */
size_t gt_view_rows(const struct gt_view *v, int solo, struct gt_row *out,
    size_t max);

/* The first of rows[0..nrows) after from, going round (from itself last),
 * that is a lane whose label holds text, ignoring ASCII case; nrows when
 * none does. */
size_t gt_view_find(const struct gt_view *v, const struct gt_row *rows,
    size_t nrows, size_t from, const char *text);

#endif
