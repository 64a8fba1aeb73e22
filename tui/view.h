/*
 * tui/view.h: the view model.  Events in, per-lane cells out; no curses.
 *
 * The view drains a recorder by index and folds each event into its lanes:
 * one lane per task (or, toggled, per worker) in one panel per run.  A lane
 * keeps its state changes as transitions sorted by time (the state at t is
 * the latest transition at or before t) plus running totals per block of
 * transitions, so the time a lane spent in each state over any window is
 * two binary searches away.  That is what keeps a frame's cost a function of
 * lanes x columns, not of how many events the session holds.
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

/* One screen cell of a lane: a left part and a right part of the cell's
 * time, split at `split` eighths.  split == 8 means the left category fills
 * the cell; GT_CAT_NONE on both sides is an empty cell. */
struct gt_cell {
  uint8_t left;       /* enum gt_cat */
  uint8_t right;      /* enum gt_cat */
  uint8_t split;      /* 1..8: eighths of the cell that are `left` */
  uint8_t mark;       /* GT_MARK_*: the task ended in this cell */
};

enum { GT_MARK_NONE = 0, GT_MARK_DONE, GT_MARK_FAILED };

/* A state change of a lane. */
struct gt_transition {
  uint64_t ts_ns;
  uint32_t label;     /* string id: the step, or the task in worker lanes */
  int32_t  worker;
  uint32_t task;      /* the task it concerns (differs per transition in
                         worker lanes) */
  uint8_t  cat;       /* enum gt_cat */
};

struct gt_lane_view {
  uint16_t run;
  uint32_t key;       /* task index, or worker in worker lanes */
  uint32_t name;      /* string id of the lane's label */
  struct gt_transition *tr;
  size_t   ntr;
  int      finished;  /* task lanes: a FINISH was seen */
  int32_t  status;    /* its status */
  uint32_t error;     /* string id of the error text, 0 when none */
  uint64_t finish_ns;
  uint64_t (*cum)[GT_CAT_COUNT];  /* ns per category before each block */
  uint64_t *bts;      /* ts_ns of each block's first transition: a compact
                         index, so a search touches 8 bytes a probe */
  size_t   ncum, cum_cap;
  size_t   cap;
};

struct gt_panel_view {
  uint16_t run;
  uint32_t mode;          /* string id */
  int32_t  workers;
  uint32_t limit;         /* tasks in flight at most, 0: no limit */
  uint32_t traits;        /* GT_MODE_* of its mode (recorder.h); 0 for a
                             foreign trace's run */
  uint32_t tasks;
  uint64_t start_ns;      /* 0 before the run starts */
  uint64_t end_ns;        /* 0 while it runs */
  size_t  *task_lanes;    /* indexes into the view's task lanes, by task */
  size_t   ntask_lanes;
  size_t  *worker_lanes;  /* indexes into the view's worker lanes */
  size_t   nworker_lanes;
};

struct gt_view;

/* A view of rec (borrowed: it must outlive the view). */
struct gt_view *gt_view_new(struct gt_recorder *rec);
void gt_view_free(struct gt_view *v);

/* Fold every event appended since the last call; returns how many.  "Now"
 * becomes the latest of now_ns, the latest event seen and the previous
 * now: lanes that have not finished end there.  Pass 0 once nothing runs,
 * so that time stops at the last event. */
size_t gt_view_update(struct gt_view *v, uint64_t now_ns);

/* The recorder, the time origin and "now" as of the last update. */
struct gt_recorder *gt_view_recorder(const struct gt_view *v);
uint64_t gt_view_t0(const struct gt_view *v);
uint64_t gt_view_now(const struct gt_view *v);

/* 1 when runs exist and every one has ended (one not yet begun counts as
 * running, so no verdict names a run that never ran). */
int gt_view_all_done(const struct gt_view *v);

/* The categories any lane has been in, as bits (1 << enum gt_cat). */
unsigned gt_view_cats_seen(const struct gt_view *v);

/* Lanes by task (0) or by worker (1); panels list the chosen kind. */
void gt_view_set_by_worker(struct gt_view *v, int by_worker);
int gt_view_by_worker(const struct gt_view *v);

/* Panels, in run order.  Borrowed until the next gt_view_update(). */
size_t gt_view_panels(const struct gt_view *v);
const struct gt_panel_view *gt_view_panel(const struct gt_view *v, size_t i);

/* The lanes of panel i in the current kind, and how many there are.  Lane
 * pointers, and row indexes from gt_view_rows(), hold until the next
 * gt_view_update() or gt_view_set_by_worker(). */
const struct gt_lane_view *gt_view_panel_lane(const struct gt_view *v,
    size_t panel, size_t i);
size_t gt_view_panel_nlanes(const struct gt_view *v, size_t panel);

/* The cells of lane l for columns [0, cols) covering [t_lo, t_lo + cols *
 * ns_per_col).  Cost: O(cols * (log transitions + block)). */
void gt_view_cells(const struct gt_view *v, const struct gt_lane_view *l,
    uint64_t t_lo, uint64_t ns_per_col, unsigned cols, struct gt_cell *out);

/* The category of l at time t. */
int gt_view_cat_at(const struct gt_lane_view *l, uint64_t t);

/* Time l spent in each category in [a, b), clipped to now; into out. */
void gt_view_coverage(const struct gt_view *v, const struct gt_lane_view *l,
    uint64_t a, uint64_t b, uint64_t out[GT_CAT_COUNT]);

/* Figures of panel i as of now. */
struct gt_panel_figures {
  uint64_t wall_ns;       /* start to end, or to now while it runs */
  double   speedup;       /* sync's wall / this wall; 0 unless both ended */
  uint64_t ideal_ns;      /* a lower bound: see view.c */
  unsigned queued, running, waiting, done, failed;  /* tasks, at now */
  unsigned waiting_by[GT_R_COUNT]; /* by reason, at now */
};
void gt_view_figures(const struct gt_view *v, size_t panel,
    struct gt_panel_figures *out);

/* A caption in plain words for panel i, for teaching ("sync: one request
 * at a time; 4 tasks queued").  Writes at most len bytes into buf. */
void gt_view_caption(const struct gt_view *v, size_t panel, char *buf,
    size_t len);

/* A one-line verdict once all runs ended ("threads won: 4.9x faster than
 * sync"); "" before. */
void gt_view_verdict(const struct gt_view *v, char *buf, size_t len);

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
