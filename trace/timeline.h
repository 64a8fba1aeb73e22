/*
 * trace/timeline.h: the timeline model, the one reading of a session's
 * events that every view, writer and report shares.
 *
 * Model.  A timeline drains a recorder by index (gt_timeline_update(), as
 * often as the caller likes: a live session between frames, an import once)
 * and folds each event once, into two lanes of its run:
 *
 *   - the task lane of (run, task): the task's states over time;
 *   - the worker lane of (run, worker), for events that name a worker: what
 *     that worker was doing, and for which task (kept when asked for:
 *     GT_TL_WORKER_LANES).
 *
 * A lane is a list of transitions sorted by time.  A transition says "from
 * here on the lane is in category c" (trace/category.h: none, queued,
 * running, or waiting on a reason), with the label (the step; in a worker
 * lane the task's name), the worker and the task.  The category of a lane
 * at t is that of its latest transition at or before t; before the first
 * it is none, and a finished task is none from its FINISH on.  Every BLOCK
 * transitions the lane also keeps how long it has spent in each category
 * so far, so the time per category over any [a, b) is two searches away
 * (gt_timeline_coverage): a frame's cost depends on lanes x columns, never
 * on how many events the session holds.
 *
 * Order.  Events come in arrival order (the recorder's index), which across
 * threads is not time order.  A transition is placed by ONE rule, written
 * in lane_push() in timeline.c and nowhere else: by time, and at equal
 * times by arrival (a later arrival is later).  The emitters append in the
 * order they mean: a live run stamps a task's events strictly after its
 * QUEUE (scheduler/executor.c), so a QUEUE gathered after its START still
 * sorts first; the Chrome importer emits a thread's events in the order it
 * means (an end before the idle that follows it).  Once a task has
 * finished, anything at or after its FINISH is ignored, and a FINISH that
 * arrives after later events drops them.
 *
 * Now.  Lanes that have not finished reach up to "now": the latest of the
 * caller's now, the latest event and the previous now (pass 0 once nothing
 * runs, so that time stops at the last event).
 *
 * Figures.  gt_timeline_figures() gives one set of figures per run, the
 * same for the live header, the report, the summary and the verdict:
 * wall, speedup, ideal, tasks ok/failed/unfinished, states at now, time per
 * state and per reason, and (on request: they cost a sweep of the run)
 * peaks.  The rules:
 *
 *   ended    the run's info has an end; or it has no times at all
 *            (another tool's trace) and it has events: it ended at its
 *            last event.
 *   wall     the run's end minus its start (from its run info), or now
 *            minus its start while it runs; a run whose info has no times
 *            spans its first event to its last.
 *   speedup  The baseline is the first run that is the baseline mode and
 *            has ended with every task finished (at least one), none of
 *            them cancelled (GT_ECANCELED: a stopped run did not measure
 *            the whole workload); its wall is the median wall of its
 *            mode's runs that meet the same test (with one run, its
 *            wall; --repeat gives more).  A run's speedup is that
 *            baseline wall / its own wall, only when the run has ended
 *            with at least one task ok (no work done is not done faster)
 *            and none cancelled (a run stopped part way did not do the
 *            whole workload faster: its wall is cut short); else 0, which
 *            readers show as a dash.
 *   whole    the run has ended and every one of its tasks (at least one)
 *            finished ok: no failure, none unfinished, none cancelled.
 *            Only whole runs can win (below).
 *   ideal    a lower bound on the wall, as no schedule of the same tasks
 *            on the same cores could beat it; the larger of
 *              - the longest finished task's own time: its running plus
 *                its waits on what only it waits for (net, connect,
 *                timer, disk).  Not its queued or ready time, nor its
 *                waits on a shared resource (gil, lock, pool): another
 *                schedule could spare those.  A task's states follow one
 *                another, so this is at most its life, at most the wall;
 *              - all the run's running time over the cores the run could
 *                use, at most the wall.  Running means on a core, so the
 *                sum over the lanes is at most cores x wall anyway; the
 *                cap keeps the bound for a file whose running is not (an
 *                older gantty counted wall time in a CPU step).
 *            The cores: the run's (the cores it had); MERGE: until runs
 *            record them, the machine's online CPUs.  A foreign run
 *            (GT_RUN_FOREIGN: another tool's trace) has no ideal (0):
 *            there "running" is whatever the tool meant.
 *   contention  what the session measured of other programs' use of the
 *            CPU during the run (recorder.h, GT_RUN_CONTENTION), copied.
 *
 * Modes and the verdict (gt_timeline_modes, gt_timeline_verdict): the
 * same for the title, the report and the summary.  The runs of one mode
 * (gantty's own runs of the same mode name and traits: --repeat, or a
 * mode listed twice; a foreign run is its own) fold into one entry: its
 * runs, the median, least and most wall of those that pass the speedup's
 * test, and that median's speedup against the baseline's.  A mode is in
 * the race when every one of its runs is whole.  Once every run has
 * ended, with at least two modes:
 *   - none in the race: no winner; when some mode failed or left tasks
 *     unfinished the verdict says so, else (a session stopped part way)
 *     it says nothing;
 *   - one in the race: it wins when its median is faster, beyond the
 *     noise, than every other mode's that measured anything ("the faster
 *     whole run wins"); else "no winner: only X finished every task"
 *     (nothing, when the others were only stopped part way);
 *   - two or more: the modes out of the race never win, and do not count;
 *     among the racing ones:
 *     the fastest by median and every other racing mode within the noise
 *     of it tie ("threads ≈ async, within 1%"); when none is within it,
 *     the fastest wins.
 *   A win reads "async won: 5.0x faster than sync", or "sync was
 *   fastest" when it has no speedup to give.
 * The noise: two medians are within it when their gap is under
 * GT_NOISE_ABS_NS (2 ms: the scheduler's and the clock's jitter on a
 * short run) or under GT_NOISE_REL (1%) of the smaller, or when both
 * modes ran more than once and the spreads (least to most) of their runs
 * overlap: the repeats themselves say the difference is not measured.
 *
 * Runs: one per run of the recorder; an event of a run the recorder does
 * not know makes that run, with no info (no name, no times).
 *
 * Threads: a timeline belongs to one thread; the recorder it reads may be
 * appended to by any number of others.
 */
#ifndef GT_TIMELINE_H
#define GT_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "category.h"
#include "event.h"
#include "recorder.h"

/* The state of an interval, for the writers (a category without its
 * reason). */
enum gt_state {
  GT_S_QUEUED = 1,      /* waiting for a worker */
  GT_S_RUNNING,
  GT_S_WAITING          /* reason says on what */
};

/* The short name of a state ("queued", "running", "waiting"). */
const char *gt_state_name(int state);

/* The state as files name it: gt_state_name(), except that a wait for one
 * of the state ready's reasons (gt_reason_ready(): no core, loop busy) is
 * "ready": the task could run and does not. */
const char *gt_state_file_name(int state, int reason);

/* A state change of a lane. */
struct gt_transition {
  uint64_t ts_ns;
  uint32_t label;     /* string id: the step, or the task in worker lanes */
  int32_t  worker;
  uint32_t task;      /* the task it concerns (differs per transition in
                         worker lanes) */
  uint8_t  cat;       /* enum gt_cat */
};

/* One lane: a task's, or a worker's. */
struct gt_tl_lane {
  uint16_t run;
  uint32_t key;       /* task index, or worker in worker lanes */
  uint32_t name;      /* string id of the lane's label ("task 3" until a
                         QUEUE names it) */
  uint32_t qname;     /* task lanes: the label of its QUEUE, 0 when none
                         came (the writers name such a lane "") */
  struct gt_transition *tr;
  size_t   ntr;
  int      finished;  /* task lanes: a FINISH was seen */
  int32_t  status;    /* its status */
  uint32_t error;     /* string id of the error text, 0 when none */
  uint64_t finish_ns;
  uint64_t first_ns;  /* its earliest event kept */
  uint64_t (*cum)[GT_CAT_COUNT];  /* ns per category before each block */
  uint64_t *bts;      /* ts_ns of each block's first transition: a compact
                         index, so a search touches 8 bytes a probe */
  size_t   ncum, cum_cap;
  size_t   cap;
};

/* One run and its lanes. */
struct gt_tl_run {
  uint16_t run;
  uint32_t mode;          /* string id */
  int32_t  workers;
  uint32_t limit;         /* tasks in flight at most, 0: no limit */
  uint32_t traits;        /* GT_MODE_* of its mode (recorder.h); 0 for a
                             foreign trace's run */
  uint32_t tasks;         /* tasks its info announced */
  uint32_t cores;         /* the CPUs its workers ran on; 0: not known */
  uint64_t start_ns;      /* 0 before the run starts */
  uint64_t end_ns;        /* 0 while it runs */
  size_t  *task_lanes;    /* indexes into the task lanes, by task */
  size_t   ntask_lanes;
  size_t  *worker_lanes;  /* indexes into the worker lanes, by worker */
  size_t   nworker_lanes;
};

struct gt_timeline;

/* What a timeline keeps besides task lanes. */
enum {
  GT_TL_WORKER_LANES = 1  /* worker lanes too (the live view's "by worker") */
};

/* A timeline of rec (borrowed: it must outlive the timeline) that keeps
 * task lanes and what flags (GT_TL_*) ask for.  Worker lanes are for
 * readers that show them: a worker's events from many tasks may arrive in
 * any time order (a batch per task from an import), and each one out of
 * order is an insertion in the middle of its worker lane. */
struct gt_timeline *gt_timeline_new(struct gt_recorder *rec, unsigned flags);
void gt_timeline_free(struct gt_timeline *tl);

/* Free the transitions of task lane i of run (a reader that has copied
 * them out, as gt_lanes_take(), so that the copy and the timeline are
 * not both whole at once: a big replay's peak memory, issue 14).  The
 * lane is then empty; nothing but gt_timeline_free() may use tl after. */
void gt_timeline_drop_task_lane(struct gt_timeline *tl, size_t run,
    size_t i);

/* A timeline of everything rec holds now, as of its last event, with task
 * lanes only: what the writers, the report and the figures read. */
struct gt_timeline *gt_timeline_of(struct gt_recorder *rec);

/* Fold every event appended since the last call; returns how many.  Now
 * becomes the latest of now_ns, the latest event seen and the previous
 * now. */
size_t gt_timeline_update(struct gt_timeline *tl, uint64_t now_ns);

/* The recorder, now, and the earliest and latest event times (0 and 0
 * when there is no event; a time may be 0). */
struct gt_recorder *gt_timeline_recorder(const struct gt_timeline *tl);
uint64_t gt_timeline_now(const struct gt_timeline *tl);
uint64_t gt_timeline_first(const struct gt_timeline *tl);
uint64_t gt_timeline_last(const struct gt_timeline *tl);
size_t gt_timeline_events(const struct gt_timeline *tl);

/* The categories any lane has been in, as bits (1 << enum gt_cat). */
unsigned gt_timeline_cats_seen(const struct gt_timeline *tl);

/* Runs, in run order.  Borrowed until the next gt_timeline_update(). */
size_t gt_timeline_runs(const struct gt_timeline *tl);
const struct gt_tl_run *gt_timeline_run(const struct gt_timeline *tl,
    size_t run);

/* Lane i of a run's task lanes (by task) or worker lanes (by worker).
 * Borrowed until the next gt_timeline_update(). */
const struct gt_tl_lane *gt_timeline_task_lane(const struct gt_timeline *tl,
    size_t run, size_t i);
const struct gt_tl_lane *gt_timeline_worker_lane(
    const struct gt_timeline *tl, size_t run, size_t i);

/* A small id of lane l among tl's task and worker lanes, for a reader's
 * per-lane cache (it holds for the life of tl), or (size_t)-1 when l is
 * not one of tl's lanes. */
size_t gt_timeline_lane_id(const struct gt_timeline *tl,
    const struct gt_tl_lane *l);

/* The category of l at time t. */
int gt_timeline_cat_at(const struct gt_tl_lane *l, uint64_t t);

/* Time l spent in each category in [a, b), clipped to now; into out. */
void gt_timeline_coverage(const struct gt_timeline *tl,
    const struct gt_tl_lane *l, uint64_t a, uint64_t b,
    uint64_t out[GT_CAT_COUNT]);

/* Time per category from l's first transition up to t (clipped to now),
 * into acc; returns the category at t.  For times that only grow, as the
 * column edges of a window: *hint (0 at first) keeps the block last found,
 * so a window of columns costs columns x (log blocks + BLOCK). */
int gt_timeline_totals_from(const struct gt_timeline *tl,
    const struct gt_tl_lane *l, uint64_t t, uint64_t acc[GT_CAT_COUNT],
    size_t *hint);

/* One stretch of a task lane, for the writers. */
struct gt_interval {
  uint64_t start_ns;    /* absolute, CLOCK_MONOTONIC */
  uint64_t end_ns;      /* > start_ns */
  uint32_t label;       /* string id */
  int32_t  worker;      /* who ran it; -1 while queued */
  uint8_t  state;       /* enum gt_state */
  uint8_t  reason;      /* enum gt_reason, GT_S_WAITING only */
};

/* The stretch of task lane l at or after *cursor (0 at first), in time
 * order, with a length; an unfinished lane's last one ends at now.
 * Returns 1 and advances *cursor, or 0 when there is none left. */
int gt_timeline_next_interval(const struct gt_timeline *tl,
    const struct gt_tl_lane *l, size_t *cursor, struct gt_interval *out);

/* The figures of one run (see the top of this file for the rules). */
struct gt_run_figures {
  uint16_t run;
  const char *mode;         /* borrowed from the recorder */
  int32_t  workers;
  uint32_t limit;           /* tasks in flight at most; 0: no limit */
  uint32_t tasks;           /* lanes seen for the run */
  uint64_t start_ns;        /* the run's start (absolute) */
  uint64_t wall_ns;
  int      ended;           /* it has ended (see the top of this file) */
  int      baseline;        /* it is the baseline the speedups use */
  unsigned ok;              /* finished with status 0 */
  unsigned failed;          /* finished with an error */
  unsigned unfinished;      /* never finished */
  unsigned cancelled;       /* of failed: cancelled, the run stopped
                               (GT_ECANCELED) */
  unsigned queued, running, waiting;   /* unfinished tasks, at now */
  unsigned waiting_by[GT_R_COUNT];     /* waiting at now, by reason */
  double   speedup;         /* against the baseline; 0: none (a dash) */
  uint64_t ideal_ns;        /* a lower bound on the wall; 0 for a
                               foreign run (not shown) */
  unsigned cores;           /* the cores the ideal spreads running over */
  int      whole;           /* ended, every task ok: it can win */
  int      foreign;         /* another tool's trace (GT_RUN_FOREIGN) */
  int      contention;      /* others_pm was measured */
  uint32_t others_pm;       /* the share of the run's CPU (its cores x its
                               wall) other programs took, per mille */
  uint64_t state_ns[GT_S_WAITING + 1];  /* summed over lanes, by gt_state */
  uint64_t reason_ns[GT_R_COUNT];       /* waiting time by enum gt_reason */
  int      peaks;           /* 1: the peaks below were computed */
  unsigned peak_busy;       /* most tasks running or waiting at once */
  unsigned peak_running;    /* most tasks running at once */
  unsigned peak_net;        /* most tasks waiting on net at once */
};

/* What gt_timeline_figures() computes beyond the cheap figures. */
enum { GT_FIG_PEAKS = 1 };

/* The figures of run as of now into *out; with GT_FIG_PEAKS in want also
 * the peaks (a sweep of the run's transitions: not for every frame).
 * Cost without peaks: the run's lanes x (log transitions + BLOCK). */
void gt_timeline_figures(const struct gt_timeline *tl, size_t run,
    unsigned want, struct gt_run_figures *out);

/* Figures of every run, in run order, into out[0..max); returns how many
 * (the runs there are, at most max). */
size_t gt_timeline_figures_all(const struct gt_timeline *tl, unsigned want,
    struct gt_run_figures *out, size_t max);

/* gt_timeline_figures_all() with peaks, on a timeline of everything rec
 * holds now (made and freed here): what the headless report prints. */
size_t gt_timeline_figures_of(struct gt_recorder *rec,
    struct gt_run_figures *out, size_t max);

/* The run speedups are measured against, or -1 when there is none yet,
 * as of the last gt_timeline_update(). */
long gt_timeline_baseline(const struct gt_timeline *tl);

/* The noise (see the top of this file). */
#define GT_NOISE_ABS_NS 2000000ull
#define GT_NOISE_REL    0.01

/* A mode's runs, folded (see the top of this file). */
struct gt_mode_figures {
  const char *mode;         /* borrowed from the recorder */
  size_t   first, last;     /* its first and latest run */
  size_t   runs;            /* its runs */
  size_t   whole;           /* of them, whole */
  size_t   measured;        /* of them, passing the speedup's test: the
                               ones the median and spread are over */
  unsigned failed;          /* failed tasks (cancelled ones aside) and
                               unfinished ones of ended runs, over its runs */
  int      all_ended;       /* every one of its runs has ended */
  int      racing;          /* every one of its runs is whole */
  int      baseline;        /* it is the baseline's mode */
  uint64_t median_ns, min_ns, max_ns;  /* walls; 0 when none measured */
  double   speedup;         /* baseline wall / its median; 0: none */
  uint32_t others_pm;       /* the most contention measured in its runs */
};

/* One entry per mode, in the order of each mode's first run, into
 * out[0..max); returns how many. */
size_t gt_timeline_modes(const struct gt_timeline *tl,
    struct gt_mode_figures *out, size_t max);

/* The entry of run's mode alone (its mode's runs only: what one panel's
 * header needs). */
void gt_timeline_mode_figures(const struct gt_timeline *tl, size_t run,
    struct gt_mode_figures *out);

/* The first run of run's mode: its mode's gt_mode_figures.first. */
size_t gt_timeline_mode_of(const struct gt_timeline *tl, size_t run);

enum gt_verdict_kind {
  GT_VERDICT_NONE = 0,      /* not over, one mode, or stopped part way */
  GT_VERDICT_NO_WINNER,     /* failures left fewer than two in the race */
  GT_VERDICT_TIE,
  GT_VERDICT_WIN
};

/* The session's verdict. */
struct gt_verdict {
  int      kind;            /* enum gt_verdict_kind */
  size_t   modes;           /* modes (0 until every run has ended) */
  size_t   racing;          /* of them in the race */
  size_t   tied;            /* TIE: the modes tied, the best among them */
  struct gt_mode_figures best;  /* WIN, TIE: the fastest mode */
  char     text[160];       /* in words; "" for GT_VERDICT_NONE */
  uint32_t others_pm;       /* the most contention measured in any run */
  char     warning[96];     /* past GT_CONTENTION_WARN_PM, whether or not
                               the runs are over: "other programs used 38%
                               of the CPU: the CPU figures are off"; "" */
};

/* The verdict as of the last update (rules at the top of this file),
 * and the contention warning; ascii: "~" for "≈". */
void gt_timeline_verdict(const struct gt_timeline *tl, int ascii,
    struct gt_verdict *v);

#endif
