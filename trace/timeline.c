/*
 * trace/timeline.c: the one fold of events into lanes, the queries on them
 * and the figures of each run (timeline.h says what the model is).
 *
 * Each lane is a sorted array of transitions.  Every BLOCK transitions the
 * lane also stores how long it has spent in each category so far (cum), so
 * the time per category up to any instant t is: a binary search for the
 * transition at t, the block's totals, and at most BLOCK steps inside the
 * block.  A transition older than the lane's last is inserted in place and
 * the totals after it are rebuilt; that is rare and local to one lane.
 */
#include "timeline.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base.h"

#define BLOCK 16u           /* transitions per running-total block */
#define READ_BATCH 4096u
#define NO_LANE ((size_t)-1)

struct run {
  struct gt_tl_run pub;
  struct gt_idmap lane_of_task;    /* task -> task lane; sized by the
                                    * lanes, not by the largest task id */
  struct gt_idmap lane_of_worker;  /* worker id -> worker lane */
  size_t  task_list_cap, worker_list_cap;
  uint64_t first_ns, last_ns;      /* its earliest and latest event kept */
  int      have_first;
  uint32_t flags;                  /* GT_RUN_* of its info */
  uint32_t others_pm;              /* its info's contention */
};

struct lanes {
  struct gt_tl_lane *l;
  size_t n, cap;
};

struct gt_timeline {
  struct gt_recorder *rec;
  size_t   cursor;          /* events folded so far */
  uint64_t now_ns;
  uint64_t first_ns, last_ns;
  int      have_span;       /* a time may be 0: it is no sign of "none" */
  struct lanes tasks;
  struct lanes workers;
  struct run *runs;
  size_t   nruns;
  long     ncores;
  unsigned flags;           /* GT_TL_* */
  unsigned cats_seen;       /* bit per enum gt_cat */
  long     baseline;        /* the baseline run, -1: none; found once an
                               update (find_baseline), not once a call */
  uint64_t baseline_ns;     /* the wall speedups are against: the median
                               of the baseline mode's runs */
  struct gt_event *buf;
};

/* The name of a state. */
const char *
gt_state_name(int state)
{
  switch (state) {
  case GT_S_QUEUED:  return "queued";
  case GT_S_RUNNING: return "running";
  case GT_S_WAITING: return "waiting";
  }
  return "?";
}

/* The name of a state in files: "ready" for a ready reason's wait. */
const char *
gt_state_file_name(int state, int reason)
{
  if (state == GT_S_WAITING && gt_reason_ready(reason))
    return "ready";
  return gt_state_name(state);
}

/* A new timeline of rec. */
struct gt_timeline *
gt_timeline_new(struct gt_recorder *rec, unsigned flags)
{
  struct gt_timeline *tl = gt_xcalloc(1, sizeof(*tl));

  tl->rec = rec;
  tl->flags = flags;
  tl->baseline = -1;
  tl->now_ns = gt_recorder_t0(rec);
  tl->ncores = sysconf(_SC_NPROCESSORS_ONLN);
  if (tl->ncores < 1)
    tl->ncores = 1;
  tl->buf = gt_xmalloc(READ_BATCH * sizeof(*tl->buf));
  return tl;
}

/* A timeline of all rec holds now. */
struct gt_timeline *
gt_timeline_of(struct gt_recorder *rec)
{
  struct gt_timeline *tl = gt_timeline_new(rec, 0);

  gt_timeline_update(tl, 0);
  return tl;
}

/* Free a lane set. */
static void
lanes_free(struct lanes *ls)
{
  size_t i;

  for (i = 0; i < ls->n; i++) {
    free(ls->l[i].tr);
    free(ls->l[i].cum);
    free(ls->l[i].bts);
  }
  free(ls->l);
}

/* Free the timeline. */
void
gt_timeline_free(struct gt_timeline *tl)
{
  size_t i;

  if (tl == NULL)
    return;
  lanes_free(&tl->tasks);
  lanes_free(&tl->workers);
  for (i = 0; i < tl->nruns; i++) {
    gt_idmap_free(&tl->runs[i].lane_of_task);
    gt_idmap_free(&tl->runs[i].lane_of_worker);
    free(tl->runs[i].pub.task_lanes);
    free(tl->runs[i].pub.worker_lanes);
  }
  free(tl->runs);
  free(tl->buf);
  free(tl);
}

/* Free task lane i of run's transitions (timeline.h). */
void
gt_timeline_drop_task_lane(struct gt_timeline *tl, size_t run, size_t i)
{
  struct gt_tl_lane *l = &tl->tasks.l[tl->runs[run].pub.task_lanes[i]];

  free(l->tr);
  free(l->cum);
  free(l->bts);
  l->tr = NULL;
  l->cum = NULL;
  l->bts = NULL;
  l->ntr = l->cap = l->ncum = l->cum_cap = 0;
}

/* Accessors. */
struct gt_recorder *
gt_timeline_recorder(const struct gt_timeline *tl)
{
  return tl->rec;
}

uint64_t
gt_timeline_now(const struct gt_timeline *tl)
{
  return tl->now_ns;
}

uint64_t
gt_timeline_first(const struct gt_timeline *tl)
{
  return tl->first_ns;
}

uint64_t
gt_timeline_last(const struct gt_timeline *tl)
{
  return tl->last_ns;
}

size_t
gt_timeline_events(const struct gt_timeline *tl)
{
  return tl->cursor;
}

unsigned
gt_timeline_cats_seen(const struct gt_timeline *tl)
{
  return tl->cats_seen;
}

size_t
gt_timeline_runs(const struct gt_timeline *tl)
{
  return tl->nruns;
}

const struct gt_tl_run *
gt_timeline_run(const struct gt_timeline *tl, size_t run)
{
  return &tl->runs[run].pub;
}

const struct gt_tl_lane *
gt_timeline_task_lane(const struct gt_timeline *tl, size_t run, size_t i)
{
  return &tl->tasks.l[tl->runs[run].pub.task_lanes[i]];
}

const struct gt_tl_lane *
gt_timeline_worker_lane(const struct gt_timeline *tl, size_t run, size_t i)
{
  return &tl->workers.l[tl->runs[run].pub.worker_lanes[i]];
}

/* A lane's id: task lane i is 2i, worker lane i is 2i + 1. */
size_t
gt_timeline_lane_id(const struct gt_timeline *tl, const struct gt_tl_lane *l)
{
  if (tl->tasks.n > 0 && l >= tl->tasks.l && l < tl->tasks.l + tl->tasks.n)
    return (size_t)(l - tl->tasks.l) * 2;
  if (tl->workers.n > 0 && l >= tl->workers.l
      && l < tl->workers.l + tl->workers.n)
    return (size_t)(l - tl->workers.l) * 2 + 1;
  return NO_LANE;
}

/* Have n runs at least; the new ones have no info yet. */
static void
runs_grow(struct gt_timeline *tl, size_t n)
{
  size_t r;

  if (n <= tl->nruns)
    return;
  tl->runs = gt_xrealloc(tl->runs, n * sizeof(*tl->runs));
  memset(tl->runs + tl->nruns, 0, (n - tl->nruns) * sizeof(*tl->runs));
  for (r = tl->nruns; r < n; r++)
    tl->runs[r].pub.run = (uint16_t)r;
  tl->nruns = n;
}

/* Make runs for every run the recorder has, and refresh their info. */
static void
sync_runs(struct gt_timeline *tl)
{
  uint16_t n = gt_recorder_runs(tl->rec), r;
  struct gt_run_info ri;

  runs_grow(tl, n);
  for (r = 0; r < n; r++) {
    struct gt_tl_run *p = &tl->runs[r].pub;

    gt_recorder_run_get(tl->rec, r, &ri);
    p->mode = ri.name;
    p->workers = ri.workers;
    p->limit = ri.limit;
    p->traits = ri.traits;
    p->tasks = ri.tasks;
    p->cores = ri.cores;
    p->start_ns = ri.start_ns;
    p->end_ns = ri.end_ns;
    tl->runs[r].flags = ri.flags;
    tl->runs[r].others_pm = ri.others_pm;
  }
}

/* A new lane in ls; returns its index. */
static size_t
lane_add(struct lanes *ls, uint16_t run, uint32_t key, uint32_t name)
{
  struct gt_tl_lane *l;

  if (ls->n == ls->cap) {
    ls->cap = ls->cap ? ls->cap * 2 : 64;
    ls->l = gt_xrealloc(ls->l, ls->cap * sizeof(*ls->l));
  }
  l = &ls->l[ls->n];
  memset(l, 0, sizeof(*l));
  l->run = run;
  l->key = key;
  l->name = name;
  return ls->n++;
}

/* Insert lane index idx into a run's list, keeping it sorted by key (an
 * append in the usual case). */
static void
list_insert(size_t **list, size_t *n, size_t *cap, const struct lanes *ls,
    size_t idx)
{
  size_t pos = *n;

  if (*n == *cap) {
    *cap = *cap ? *cap * 2 : 16;
    *list = gt_xrealloc(*list, *cap * sizeof(**list));
  }
  while (pos > 0 && ls->l[(*list)[pos - 1]].key > ls->l[idx].key)
    pos--;
  memmove(*list + pos + 1, *list + pos, (*n - pos) * sizeof(**list));
  (*list)[pos] = idx;
  (*n)++;
}

/* The task lane of (run, task), made when first seen. */
static struct gt_tl_lane *
task_lane(struct gt_timeline *tl, uint16_t run, uint32_t task)
{
  struct run *p = &tl->runs[run];
  size_t *slot = gt_idmap_slot(&p->lane_of_task, task, NO_LANE), idx;
  char name[32];

  idx = *slot;
  if (idx == NO_LANE) {
    snprintf(name, sizeof(name), "task %u", task);
    idx = lane_add(&tl->tasks, run, task, gt_recorder_intern(tl->rec, name));
    *slot = idx;
    list_insert(&p->pub.task_lanes, &p->pub.ntask_lanes, &p->task_list_cap,
        &tl->tasks, idx);
  }
  return &tl->tasks.l[idx];
}

/* The worker lane of (run, worker), made when first seen. */
static struct gt_tl_lane *
worker_lane(struct gt_timeline *tl, uint16_t run, int32_t worker)
{
  struct run *p = &tl->runs[run];
  size_t *slot = gt_idmap_slot(&p->lane_of_worker, (uint32_t)worker,
      NO_LANE), idx = *slot;
  char name[32];

  if (idx == NO_LANE) {
    snprintf(name, sizeof(name), "worker %d", worker);
    idx = lane_add(&tl->workers, run, (uint32_t)worker,
        gt_recorder_intern(tl->rec, name));
    *slot = idx;
    list_insert(&p->pub.worker_lanes, &p->pub.nworker_lanes,
        &p->worker_list_cap, &tl->workers, idx);
  }
  return &tl->workers.l[idx];
}

/* Recompute the running totals of l from block b on. */
static void
cum_rebuild(struct gt_tl_lane *l, size_t b)
{
  size_t nblocks = l->ntr ? (l->ntr - 1) / BLOCK + 1 : 0, j, m;

  if (nblocks > l->cum_cap) {
    l->cum_cap = nblocks * 2;
    l->cum = gt_xrealloc(l->cum, l->cum_cap * sizeof(*l->cum));
    l->bts = gt_xrealloc(l->bts, l->cum_cap * sizeof(*l->bts));
  }
  for (j = b; j < nblocks; j++)
    l->bts[j] = l->tr[j * BLOCK].ts_ns;
  if (b == 0 && nblocks > 0) {
    memset(l->cum[0], 0, sizeof(l->cum[0]));
    b = 1;
  }
  for (j = b; j < nblocks; j++) {
    memcpy(l->cum[j], l->cum[j - 1], sizeof(l->cum[j]));
    for (m = (j - 1) * BLOCK; m < j * BLOCK; m++)
      l->cum[j][l->tr[m].cat] += l->tr[m + 1].ts_ns - l->tr[m].ts_ns;
  }
  l->ncum = nblocks;
}

/* Add a transition to l and keep the totals right.  THE tie rule: by time,
 * and at equal times after every transition already there (arrival
 * order).  Nothing else in gantty orders a lane's events. */
static void
lane_push(struct gt_tl_lane *l, const struct gt_transition *t)
{
  size_t pos = l->ntr;

  if (l->ntr == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 8;
    l->tr = gt_xrealloc(l->tr, l->cap * sizeof(*l->tr));
  }
  while (pos > 0 && l->tr[pos - 1].ts_ns > t->ts_ns)
    pos--;
  memmove(l->tr + pos + 1, l->tr + pos, (l->ntr - pos) * sizeof(*l->tr));
  l->tr[pos] = *t;
  l->ntr++;
  if (pos == l->ntr - 1 && l->ntr % BLOCK != 1 && l->ncum > 0)
    return;  /* appended inside the last block: totals unchanged */
  cum_rebuild(l, pos / BLOCK);
}

/* Drop l's transitions after ts (a FINISH arrived after them). */
static void
lane_cut_after(struct gt_tl_lane *l, uint64_t ts)
{
  size_t n = l->ntr;

  while (n > 0 && l->tr[n - 1].ts_ns > ts)
    n--;
  if (n == l->ntr)
    return;
  l->ntr = n;
  cum_rebuild(l, n > 0 ? (n - 1) / BLOCK : 0);
}

static long find_at(const struct gt_tl_lane *l, uint64_t t);

/* Give the task's stretches in worker lanes the name that has just
 * arrived: a worker lane labels a stretch with its task's name when it is
 * folded, and the QUEUE that names the task (from the submitting thread)
 * may be gathered after the worker's START.  Rare, and only over the
 * task's own transitions. */
static void
relabel_worker_lanes(struct gt_timeline *tl, uint16_t run,
    const struct gt_tl_lane *task, uint32_t name)
{
  struct gt_tl_lane *wl;
  size_t i;
  long j;

  for (i = 0; i < task->ntr; i++) {
    if (task->tr[i].worker < 0)
      continue;
    wl = worker_lane(tl, run, task->tr[i].worker);
    for (j = find_at(wl, task->tr[i].ts_ns);
        j >= 0 && wl->tr[j].ts_ns == task->tr[i].ts_ns; j--)
      if (wl->tr[j].task == task->key)
        wl->tr[j].label = name;
  }
}

/* Fold one event into its task lane and its worker lane. */
static void
fold(struct gt_timeline *tl, const struct gt_event *e)
{
  struct gt_tl_lane *l, *wl;
  struct run *r;
  struct gt_transition t = {
    .ts_ns = e->ts_ns, .label = e->label, .worker = e->worker,
    .task = e->task,
  };

  if (e->run >= tl->nruns)
    sync_runs(tl);
  if (e->run >= tl->nruns)
    runs_grow(tl, (size_t)e->run + 1);  /* a run with no info */
  switch (e->kind) {
  case GT_EV_QUEUE:
    t.cat = GT_CAT_QUEUED;
    t.worker = -1;
    break;
  case GT_EV_START:
  case GT_EV_RESUME:
    t.cat = GT_CAT_RUNNING;
    break;
  case GT_EV_WAIT:
    t.cat = (uint8_t)GT_CAT_OF_REASON(e->reason);
    break;
  case GT_EV_FINISH:
    t.cat = GT_CAT_NONE;
    break;
  default:
    return;
  }
  l = task_lane(tl, e->run, e->task);
  if (l->finished && e->ts_ns >= l->finish_ns)
    return;  /* nothing happens to a task at or after its finish */
  if (e->kind == GT_EV_QUEUE) {
    if (l->name != e->label && l->ntr > 0
        && (tl->flags & GT_TL_WORKER_LANES))
      relabel_worker_lanes(tl, e->run, l, e->label);
    l->name = e->label;
    if (l->qname == 0 || l->ntr == 0 || e->ts_ns < l->tr[0].ts_ns)
      l->qname = e->label;
  } else if (e->kind == GT_EV_FINISH) {
    l->finished = 1;
    l->status = e->status;
    l->error = e->status != 0 ? e->label : 0;
    l->finish_ns = e->ts_ns;
    lane_cut_after(l, e->ts_ns);
  }
  if (l->ntr == 0 || e->ts_ns < l->first_ns)
    l->first_ns = e->ts_ns;
  r = &tl->runs[e->run];
  if (!r->have_first || e->ts_ns < r->first_ns)
    r->first_ns = e->ts_ns;
  if (!r->have_first || e->ts_ns > r->last_ns)
    r->last_ns = e->ts_ns;
  r->have_first = 1;
  tl->cats_seen |= 1u << t.cat;
  lane_push(l, &t);
  if (e->worker < 0 || e->kind == GT_EV_QUEUE
      || !(tl->flags & GT_TL_WORKER_LANES))
    return;
  wl = worker_lane(tl, e->run, e->worker);
  t.label = l->name;
  lane_push(wl, &t);
}

static long find_baseline(const struct gt_timeline *tl, uint64_t *wall);

/* Fold what arrived since the last update. */
size_t
gt_timeline_update(struct gt_timeline *tl, uint64_t now_ns)
{
  size_t n, i, total = 0;

  sync_runs(tl);
  while ((n = gt_recorder_read(tl->rec, tl->cursor, tl->buf, READ_BATCH))
      > 0) {
    for (i = 0; i < n; i++) {
      const struct gt_event *e = &tl->buf[i];

      fold(tl, e);
      if (!tl->have_span || e->ts_ns < tl->first_ns)
        tl->first_ns = e->ts_ns;
      if (!tl->have_span || e->ts_ns > tl->last_ns)
        tl->last_ns = e->ts_ns;
      tl->have_span = 1;
      if (e->ts_ns > tl->now_ns)
        tl->now_ns = e->ts_ns;
    }
    tl->cursor += n;
    total += n;
  }
  sync_runs(tl);
  if (now_ns > tl->now_ns)
    tl->now_ns = now_ns;
  tl->baseline = find_baseline(tl, &tl->baseline_ns);
  return total;
}

/* The last transition at or before t, or -1 when t is before them all:
 * the block from the compact block index, then the transition inside it,
 * so a search misses the cache about twice, not log2(n) times. */
static long
find_at(const struct gt_tl_lane *l, uint64_t t)
{
  size_t lo = 0, hi = l->ncum, mid;

  if (l->ntr == 0 || t < l->tr[0].ts_ns)
    return -1;
  while (hi - lo > 1) {
    mid = lo + (hi - lo) / 2;
    if (l->bts[mid] <= t)
      lo = mid;
    else
      hi = mid;
  }
  lo *= BLOCK;
  hi = lo + BLOCK < l->ntr ? lo + BLOCK : l->ntr;
  while (hi - lo > 1) {
    mid = lo + (hi - lo) / 2;
    if (l->tr[mid].ts_ns <= t)
      lo = mid;
    else
      hi = mid;
  }
  return (long)lo;
}

/* The category at t. */
int
gt_timeline_cat_at(const struct gt_tl_lane *l, uint64_t t)
{
  long i = find_at(l, t);

  return i < 0 ? GT_CAT_NONE : l->tr[i].cat;
}

/* Time per category from the lane's first transition up to t (never past
 * now), into acc; returns the category at t. */
static int
totals_at(const struct gt_tl_lane *l, uint64_t t, uint64_t now,
    uint64_t acc[GT_CAT_COUNT])
{
  long i = find_at(l, t);
  size_t j, m;
  uint64_t end;

  memset(acc, 0, GT_CAT_COUNT * sizeof(acc[0]));
  if (i < 0)
    return GT_CAT_NONE;
  j = (size_t)i / BLOCK;
  memcpy(acc, l->cum[j], GT_CAT_COUNT * sizeof(acc[0]));
  for (m = j * BLOCK; m < (size_t)i; m++)
    acc[l->tr[m].cat] += l->tr[m + 1].ts_ns - l->tr[m].ts_ns;
  end = t < now ? t : now;
  if (end > l->tr[i].ts_ns)
    acc[l->tr[i].cat] += end - l->tr[i].ts_ns;
  return l->tr[i].cat;
}

/* totals_at() for times that only grow: the block is found in the compact
 * block index from *hint on, galloping, and the walk inside the block both
 * finds the transition and sums it. */
int
gt_timeline_totals_from(const struct gt_timeline *tl,
    const struct gt_tl_lane *l, uint64_t t, uint64_t acc[GT_CAT_COUNT],
    size_t *hint)
{
  size_t lo = *hint, hi, step = 1, mid, m, end_m;
  uint64_t end, now = tl->now_ns;

  memset(acc, 0, GT_CAT_COUNT * sizeof(acc[0]));
  if (l->ntr == 0 || t < l->tr[0].ts_ns)
    return GT_CAT_NONE;
  if (lo >= l->ncum || l->bts[lo] > t)
    lo = 0;
  /* Gallop: the answer is in [lo, hi). */
  hi = lo + 1;
  while (hi < l->ncum && l->bts[hi] <= t) {
    lo = hi;
    hi = lo + step;
    step *= 2;
  }
  if (hi > l->ncum)
    hi = l->ncum;
  while (hi - lo > 1) {
    mid = lo + (hi - lo) / 2;
    if (l->bts[mid] <= t)
      lo = mid;
    else
      hi = mid;
  }
  *hint = lo;
  memcpy(acc, l->cum[lo], GT_CAT_COUNT * sizeof(acc[0]));
  end_m = (lo + 1) * BLOCK < l->ntr ? (lo + 1) * BLOCK : l->ntr - 1;
  for (m = lo * BLOCK; m < end_m && l->tr[m + 1].ts_ns <= t; m++)
    acc[l->tr[m].cat] += l->tr[m + 1].ts_ns - l->tr[m].ts_ns;
  end = t < now ? t : now;
  if (end > l->tr[m].ts_ns)
    acc[l->tr[m].cat] += end - l->tr[m].ts_ns;
  return l->tr[m].cat;
}

/* Time per category in [a, b). */
void
gt_timeline_coverage(const struct gt_timeline *tl,
    const struct gt_tl_lane *l, uint64_t a, uint64_t b,
    uint64_t out[GT_CAT_COUNT])
{
  uint64_t fa[GT_CAT_COUNT], sum = 0;
  int k;

  totals_at(l, a, tl->now_ns, fa);
  totals_at(l, b, tl->now_ns, out);
  for (k = 0; k < GT_CAT_COUNT; k++) {
    out[k] -= fa[k];
    if (k != GT_CAT_NONE)
      sum += out[k];
  }
  out[GT_CAT_NONE] = b - a > sum ? b - a - sum : 0;
}

/* The next stretch of a task lane with a length. */
int
gt_timeline_next_interval(const struct gt_timeline *tl,
    const struct gt_tl_lane *l, size_t *cursor, struct gt_interval *out)
{
  size_t i;
  uint64_t end;

  for (i = *cursor; i < l->ntr; i++) {
    const struct gt_transition *t = &l->tr[i];

    if (t->cat == GT_CAT_NONE)
      continue;
    end = i + 1 < l->ntr ? l->tr[i + 1].ts_ns : tl->now_ns;
    if (end <= t->ts_ns)
      continue;
    out->start_ns = t->ts_ns;
    out->end_ns = end;
    out->label = t->label;
    out->worker = t->cat == GT_CAT_QUEUED ? -1 : t->worker;
    out->reason = GT_R_NONE;
    if (t->cat == GT_CAT_QUEUED) {
      out->state = GT_S_QUEUED;
    } else if (t->cat == GT_CAT_RUNNING) {
      out->state = GT_S_RUNNING;
    } else {
      out->state = GT_S_WAITING;
      out->reason = (uint8_t)(t->cat - GT_CAT_WAIT + 1);
    }
    *cursor = i + 1;
    return 1;
  }
  *cursor = l->ntr;
  return 0;
}

/* ---- Figures ---- */

/* One lane's edges of kept stretches, read in order by peak(): the
 * stretch j's open is at tr[j].ts_ns, its close at the next transition
 * (or now), so a lane's edges come in time order, a close before an open
 * at the same instant, as the sweep wants them.  t and d are the next
 * edge's; d is 0 once the lane has none left. */
struct edge_cursor {
  const struct gt_tl_lane *l;
  size_t   j;       /* the stretch the next edge belongs to */
  uint64_t t;
  int      d;       /* +1 opens, -1 closes, 0: done */
};

/* Is category c counted by peak kind k (0: busy, 1: running, 2: net)? */
static int
peak_keeps(int k, int c)
{
  switch (k) {
  case 0:  return c != GT_CAT_NONE && c != GT_CAT_QUEUED;
  case 1:  return c == GT_CAT_RUNNING;
  default: return c == GT_CAT_OF_REASON(GT_R_NET)
               || c == GT_CAT_OF_REASON(GT_R_CONNECT);
  }
}

/* The end of stretch j of l: the next transition, or now. */
static uint64_t
stretch_end(const struct gt_timeline *tl, const struct gt_tl_lane *l,
    size_t j)
{
  return j + 1 < l->ntr ? l->tr[j + 1].ts_ns : tl->now_ns;
}

/* Move c to its lane's next edge: the close of the stretch it opened, or
 * the open of the next kept stretch of some length. */
static void
edge_next(const struct gt_timeline *tl, struct edge_cursor *c, int kind)
{
  const struct gt_tl_lane *l = c->l;

  if (c->d == +1) {  /* it opened stretch j: its close */
    c->t = stretch_end(tl, l, c->j);
    c->d = -1;
    return;
  }
  if (c->d == -1)
    c->j++;
  for (; c->j < l->ntr; c->j++)
    if (peak_keeps(kind, l->tr[c->j].cat)
        && stretch_end(tl, l, c->j) > l->tr[c->j].ts_ns) {
      c->t = l->tr[c->j].ts_ns;
      c->d = +1;
      return;
    }
  c->d = 0;
}

/* Does cursor a's edge come before b's?  By time, a close first. */
static int
edge_before(const struct edge_cursor *a, const struct edge_cursor *b)
{
  return a->t != b->t ? a->t < b->t : a->d < b->d;
}

/* Restore the heap order of h[0..n) below slot i. */
static void
edge_sift(struct edge_cursor *h, size_t n, size_t i)
{
  struct edge_cursor x = h[i];
  size_t k;

  for (; (k = 2 * i + 1) < n; i = k) {
    if (k + 1 < n && edge_before(&h[k + 1], &h[k]))
      k++;
    if (!edge_before(&h[k], &x))
      break;
    h[i] = h[k];
  }
  h[i] = x;
}

/* The most task lanes of run p whose stretches of a kept category overlap
 * at one instant.  Running in gantty's own runs is measured to within
 * GT_RUNNING_RESOLUTION_NS (its sampler's tick; each lane's edges can be
 * that far off, and not in step): a count above the run's cores counts
 * only when it lasted that long, so that edges a tick apart do not make
 * 16 lanes on 2 cores look like 7 running at once.
 * The edges are swept in time order, a close before an open at the same
 * instant (back-to-back stretches do not overlap), by merging the lanes'
 * own ordered edges with a heap of one cursor a lane: memory by lanes,
 * not by transitions, and no sort of the whole run (issue 14). */
static unsigned
peak(const struct gt_timeline *tl, const struct gt_tl_run *p, int kind)
{
  struct edge_cursor *h = gt_xmalloc((p->ntask_lanes ? p->ntask_lanes : 1)
      * sizeof(*h));
  size_t n = 0, i;
  int depth = 0, top = 0, held = 0;
  int cores = kind == 1 ? (int)p->cores : 0;  /* 0: a foreign run's */
  uint64_t t;

  for (i = 0; i < p->ntask_lanes; i++) {
    h[n] = (struct edge_cursor){ .l = &tl->tasks.l[p->task_lanes[i]] };
    edge_next(tl, &h[n], kind);
    n += h[n].d != 0;
  }
  for (i = n; i-- > 0; )
    edge_sift(h, n, i);
  while (n > 0) {
    depth += h[0].d;
    t = h[0].t;
    if (depth > top)
      top = depth;
    edge_next(tl, &h[0], kind);
    if (h[0].d == 0)
      h[0] = h[--n];
    if (n > 0)
      edge_sift(h, n, 0);
    if (depth > held && (n == 0 || h[0].t - t >= GT_RUNNING_RESOLUTION_NS))
      held = depth;  /* this level lasted until the next edge */
  }
  free(h);
  if (cores > 0 && top > cores)
    top = held > cores ? held : cores;
  return (unsigned)top;
}

/* Is run r of the baseline mode?  Decided by its traits, never its
 * name: a foreign trace's "sync" process is no baseline. */
static int
is_baseline_mode(const struct gt_timeline *tl, size_t r)
{
  return (tl->runs[r].pub.traits & GT_MODE_BASELINE) != 0;
}

/* Is run p a whole measure of its workload: every task finished, and
 * none because the run was stopped? */
static int
run_whole(const struct gt_timeline *tl, const struct gt_tl_run *p)
{
  size_t i;

  for (i = 0; i < p->ntask_lanes; i++) {
    const struct gt_tl_lane *l = &tl->tasks.l[p->task_lanes[i]];

    if (!l->finished || l->status == GT_ECANCELED)
      return 0;
  }
  return p->ntask_lanes > 0;
}

/* Has run r ended?  Its info says so; or its info has no times at all
 * (another tool's trace) and it has events: it ended at its last. */
static int
run_ended(const struct gt_timeline *tl, size_t r)
{
  const struct run *p = &tl->runs[r];

  return p->pub.end_ns != 0 || (p->pub.start_ns == 0 && p->have_first);
}

/* The start and wall of run r by the rule in timeline.h. */
static void
run_span(const struct gt_timeline *tl, size_t r, uint64_t *start,
    uint64_t *wall)
{
  const struct run *p = &tl->runs[r];
  uint64_t end;

  *start = p->pub.start_ns != 0 ? p->pub.start_ns
      : p->have_first ? p->first_ns : 0;
  if (p->pub.end_ns != 0)
    end = p->pub.end_ns;
  else if (p->pub.start_ns != 0)
    end = tl->now_ns;       /* still running */
  else
    end = p->have_first ? p->last_ns : 0;  /* a trace without times */
  *wall = (p->pub.start_ns != 0 || p->have_first) && end > *start
      ? end - *start : 0;
}

/* The cores run r could use: what the ideal spreads its running time
 * over.  The cores its info says it had; for a run that says none (an
 * older file, another tool's) this machine's online CPUs. */
static uint64_t
run_cores(const struct gt_timeline *tl, size_t r)
{
  uint32_t c = tl->runs[r].pub.cores;

  return c != 0 ? c : (uint64_t)tl->ncores;
}

/* Did run r measure its workload, as a speedup needs: ended, with every
 * task finished and none cancelled?  (Failures allowed: the baseline's
 * rule.) */
static int
run_measured_all(const struct gt_timeline *tl, size_t r)
{
  return run_ended(tl, r) && run_whole(tl, &tl->runs[r].pub);
}

/* Are runs a and b the same mode, repeated?  Only gantty's own runs
 * repeat (a foreign trace's processes are each their own); the same
 * mode's name and traits. */
static int
same_mode(const struct gt_timeline *tl, size_t a, size_t b)
{
  const struct run *x = &tl->runs[a], *y = &tl->runs[b];

  if (a == b)
    return 1;
  if ((x->flags | y->flags) & GT_RUN_FOREIGN)
    return 0;
  return x->pub.mode == y->pub.mode && x->pub.traits == y->pub.traits;
}

/* Sort walls. */
static int
cmp_u64(const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

  return x < y ? -1 : x > y;
}

/* The median of n walls (sorted here; n > 0): the middle one, or the mean
 * of the two middle ones. */
static uint64_t
median_of(uint64_t *w, size_t n)
{
  qsort(w, n, sizeof(*w), cmp_u64);
  return n % 2 ? w[n / 2] : w[n / 2 - 1] + (w[n / 2] - w[n / 2 - 1]) / 2;
}

/* The baseline run: the first baseline-mode run that has ended with every
 * task finished, none cancelled; -1 when there is none.  *wall: the
 * median wall of that mode's runs that meet the same test (with one run,
 * its wall).  It changes only with what an update folds, so
 * gt_timeline_update() finds it, and every frame's figures do not scan
 * the baseline's lanes again. */
static long
find_baseline(const struct gt_timeline *tl, uint64_t *wall)
{
  uint64_t *w, x;
  size_t r, k, n = 0;
  long base = -1;

  *wall = 0;
  for (r = 0; r < tl->nruns && base < 0; r++)
    if (is_baseline_mode(tl, r) && run_measured_all(tl, r))
      base = (long)r;
  if (base < 0)
    return -1;
  w = gt_xmalloc(tl->nruns * sizeof(*w));
  for (k = (size_t)base; k < tl->nruns; k++)
    if (same_mode(tl, (size_t)base, k) && run_measured_all(tl, k)) {
      run_span(tl, k, &x, &w[n]);
      n++;
    }
  *wall = median_of(w, n);
  free(w);
  return base;
}

long
gt_timeline_baseline(const struct gt_timeline *tl)
{
  return tl->baseline;
}

/* Is category c time a task cannot be spared by any schedule: on a
 * core, or waiting on what only it waits for (the network, a connection,
 * a timer, the disk)?  Queued, ready, and waits on a shared resource
 * (the GIL, a lock, a pool's slot) are time another schedule could save. */
static int
own_time(int c)
{
  int r = GT_CAT_REASON(c);

  return c == GT_CAT_RUNNING || r == GT_R_NET || r == GT_R_CONNECT
      || r == GT_R_TIMER || r == GT_R_DISK;
}

/* The figures of one run. */
void
gt_timeline_figures(const struct gt_timeline *tl, size_t run,
    unsigned want, struct gt_run_figures *f)
{
  const struct run *pr = &tl->runs[run];
  const struct gt_tl_run *p = &pr->pub;
  uint64_t cov[GT_CAT_COUNT], cpu = 0, longest = 0, own, cores;
  long base = gt_timeline_baseline(tl);
  size_t i;
  int cat, k;

  memset(f, 0, sizeof(*f));
  f->run = (uint16_t)run;
  f->mode = gt_recorder_string(tl->rec, p->mode);
  f->workers = p->workers;
  f->limit = p->limit;
  f->tasks = (uint32_t)p->ntask_lanes;
  f->ended = run_ended(tl, run);
  f->foreign = (pr->flags & GT_RUN_FOREIGN) != 0;
  f->contention = (pr->flags & GT_RUN_CONTENTION) != 0;
  f->others_pm = f->contention ? pr->others_pm : 0;
  f->baseline = base >= 0 && same_mode(tl, (size_t)base, run)
      && run_measured_all(tl, run);
  run_span(tl, run, &f->start_ns, &f->wall_ns);
  for (i = 0; i < p->ntask_lanes; i++) {
    const struct gt_tl_lane *l = &tl->tasks.l[p->task_lanes[i]];

    if (l->finished && l->status == 0)
      f->ok++;
    else if (l->finished)
      f->failed++, f->cancelled += l->status == GT_ECANCELED;
    else
      f->unfinished++;
    if (l->ntr == 0)
      continue;
    gt_timeline_coverage(tl, l, l->tr[0].ts_ns, tl->now_ns + 1, cov);
    cpu += cov[GT_CAT_RUNNING];
    f->state_ns[GT_S_QUEUED] += cov[GT_CAT_QUEUED];
    f->state_ns[GT_S_RUNNING] += cov[GT_CAT_RUNNING];
    for (own = 0, k = GT_CAT_WAIT; k < GT_CAT_COUNT; k++) {
      f->state_ns[GT_S_WAITING] += cov[k];
      f->reason_ns[k - GT_CAT_WAIT + 1] += cov[k];
    }
    for (k = GT_CAT_QUEUED; k < GT_CAT_COUNT; k++)
      if (own_time(k))
        own += cov[k];
    if (l->finished && own > longest)
      longest = own;
    if (l->finished)
      continue;
    cat = gt_timeline_cat_at(l, tl->now_ns);
    if (cat == GT_CAT_QUEUED) {
      f->queued++;
    } else if (cat == GT_CAT_RUNNING) {
      f->running++;
    } else if (cat >= GT_CAT_WAIT) {
      f->waiting++;
      f->waiting_by[cat - GT_CAT_WAIT + 1]++;
    }
  }
  f->whole = f->ended && f->tasks > 0 && f->ok == f->tasks;
  cores = run_cores(tl, run);
  f->cores = (unsigned)cores;
  if (!f->foreign) {  /* the rule at the top of timeline.h */
    f->ideal_ns = cpu / cores;
    if (f->ideal_ns > f->wall_ns)
      f->ideal_ns = f->wall_ns;
    if (longest > f->ideal_ns)
      f->ideal_ns = longest;
  }
  if (base >= 0 && f->ended && f->ok > 0 && f->cancelled == 0
      && f->wall_ns > 0 && tl->baseline_ns > 0)
    f->speedup = (double)tl->baseline_ns / (double)f->wall_ns;
  if (want & GT_FIG_PEAKS) {
    f->peaks = 1;
    f->peak_busy = peak(tl, p, 0);
    f->peak_running = peak(tl, p, 1);
    f->peak_net = peak(tl, p, 2);
  }
}

/* Figures of every run. */
size_t
gt_timeline_figures_all(const struct gt_timeline *tl, unsigned want,
    struct gt_run_figures *out, size_t max)
{
  size_t r;

  for (r = 0; r < tl->nruns && r < max; r++)
    gt_timeline_figures(tl, r, want, &out[r]);
  return r;
}

/* Figures of everything rec holds. */
size_t
gt_timeline_figures_of(struct gt_recorder *rec, struct gt_run_figures *out,
    size_t max)
{
  struct gt_timeline *tl = gt_timeline_of(rec);
  size_t n = gt_timeline_figures_all(tl, GT_FIG_PEAKS, out, max);

  gt_timeline_free(tl);
  return n;
}

/* ---- Modes and the verdict ---- */

/* Fold the runs of the mode whose first run is first into *g. */
static void
fold_mode(const struct gt_timeline *tl, size_t first, uint64_t *w,
    struct gt_mode_figures *g)
{
  struct gt_run_figures f;
  size_t m, nw = 0;

  memset(g, 0, sizeof(*g));
  g->mode = gt_recorder_string(tl->rec, tl->runs[first].pub.mode);
  g->first = g->last = first;
  g->all_ended = 1;
  for (m = first; m < tl->nruns; m++) {
    if (!same_mode(tl, first, m))
      continue;
    gt_timeline_figures(tl, m, 0, &f);
    g->runs++;
    g->last = m;
    g->whole += f.whole != 0;
    g->failed += f.failed - f.cancelled + f.unfinished * (unsigned)f.ended;
    g->all_ended &= f.ended;
    g->baseline |= f.baseline;
    if (f.contention && f.others_pm > g->others_pm)
      g->others_pm = f.others_pm;
    if (f.ended && f.ok > 0 && f.cancelled == 0 && f.wall_ns > 0)
      w[nw++] = f.wall_ns;  /* the speedup's test: it measured */
  }
  g->measured = nw;
  if (nw > 0) {
    g->median_ns = median_of(w, nw);  /* sorts w */
    g->min_ns = w[0];
    g->max_ns = w[nw - 1];
    if (tl->baseline >= 0 && tl->baseline_ns > 0)
      g->speedup = (double)tl->baseline_ns / (double)g->median_ns;
  }
  g->racing = g->all_ended && g->whole == g->runs && g->runs > 0
      && g->measured == g->runs;
}

/* The modes of the runs, each mode's runs folded (see timeline.h). */
size_t
gt_timeline_modes(const struct gt_timeline *tl, struct gt_mode_figures *out,
    size_t max)
{
  uint64_t *w = gt_xmalloc((tl->nruns ? tl->nruns : 1) * sizeof(*w));
  size_t n = 0, r;

  for (r = 0; r < tl->nruns && n < max; r++)
    if (gt_timeline_mode_of(tl, r) == r)  /* else a repeat of an earlier */
      fold_mode(tl, r, w, &out[n++]);
  free(w);
  return n;
}

/* The folded runs of run's mode. */
void
gt_timeline_mode_figures(const struct gt_timeline *tl, size_t run,
    struct gt_mode_figures *out)
{
  uint64_t *w = gt_xmalloc(tl->nruns * sizeof(*w));

  fold_mode(tl, gt_timeline_mode_of(tl, run), w, out);
  free(w);
}

/* The first run of run's mode. */
size_t
gt_timeline_mode_of(const struct gt_timeline *tl, size_t run)
{
  size_t k;

  for (k = 0; k < run && !same_mode(tl, k, run); k++)
    ;
  return k;
}

/* Are racing modes a (the best) and b within the noise of each other
 * (the rule at the top of timeline.h)? */
static int
within_noise(const struct gt_mode_figures *a, const struct gt_mode_figures *b)
{
  uint64_t gap = b->median_ns > a->median_ns ? b->median_ns - a->median_ns
      : a->median_ns - b->median_ns;

  if (gap < GT_NOISE_ABS_NS || (double)gap < GT_NOISE_REL
      * (double)(a->median_ns < b->median_ns ? a->median_ns : b->median_ns))
    return 1;
  return a->measured > 1 && b->measured > 1 && a->max_ns >= b->min_ns
      && b->max_ns >= a->min_ns;  /* the repeats' spreads overlap */
}

/* Append fmt's text to buf at *n (cut, never overrun). */
static void __attribute__((format(printf, 4, 5)))
put(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
  va_list ap;
  int k;

  if (*n >= len)
    return;
  va_start(ap, fmt);
  k = vsnprintf(buf + *n, len - *n, fmt, ap);
  va_end(ap);
  if (k > 0)
    *n = *n + (size_t)k < len ? *n + (size_t)k : len - 1;
}

/* The verdict of the session, as of the last update. */
void
gt_timeline_verdict(const struct gt_timeline *tl, int ascii,
    struct gt_verdict *v)
{
  struct gt_mode_figures *m;
  size_t n, i, best = 0, racing = 0, failing = 0, tied;
  uint64_t worst_gap = 0;
  unsigned pct;
  size_t len = sizeof(v->text), k = 0;

  memset(v, 0, sizeof(*v));
  for (i = 0; i < tl->nruns; i++)
    if ((tl->runs[i].flags & GT_RUN_CONTENTION)
        && tl->runs[i].others_pm > v->others_pm)
      v->others_pm = tl->runs[i].others_pm;
  if (v->others_pm > GT_CONTENTION_WARN_PM)
    snprintf(v->warning, sizeof(v->warning), "other programs used %u%% of "
        "the CPU: the CPU figures are off", (v->others_pm + 5) / 10);
  for (i = 0; i < tl->nruns; i++)
    if (!run_ended(tl, i))
      return;  /* not over yet (and no cost for a live frame) */
  if (tl->nruns == 0)
    return;
  m = gt_xmalloc(tl->nruns * sizeof(*m));
  n = gt_timeline_modes(tl, m, tl->nruns);
  for (i = 0; i < n; i++)
    if (!m[i].all_ended)
      goto out;  /* not over yet */
  v->modes = n;
  for (i = 0; i < n; i++) {
    failing += m[i].failed > 0;
    if (!m[i].racing)
      continue;
    if (racing == 0 || m[i].median_ns < m[best].median_ns)
      best = i;
    racing++;
  }
  v->racing = racing;
  if (n < 2)
    goto out;  /* one mode is no race */
  if (racing == 1) {
    /* alone in the race: it wins only by beating every other mode that
     * measured anything (a failed run that was faster proves nothing
     * either way) */
    for (i = 0; i < n; i++)
      if (i != best && m[i].measured > 0
          && (m[i].median_ns <= m[best].median_ns
          || within_noise(&m[best], &m[i])))
        break;
    if (i < n || failing == 0) {
      if (failing > 0)
        put(v->text, len, &k, "no winner: only %s finished every task",
            m[best].mode);
      v->kind = failing > 0 ? GT_VERDICT_NO_WINNER : GT_VERDICT_NONE;
      goto out;  /* (no failure: a session stopped part way, no race) */
    }
  } else if (racing == 0) {
    if (failing > 0) {
      v->kind = GT_VERDICT_NO_WINNER;
      put(v->text, len, &k, "no winner: failed or unfinished tasks in %zu "
          "of %zu modes", failing, n);
    }
    goto out;
  }
  v->best = m[best];
  for (tied = 1, i = 0; i < n; i++)
    if (i != best && m[i].racing && within_noise(&m[best], &m[i])) {
      tied++;
      if (m[i].median_ns - m[best].median_ns > worst_gap)
        worst_gap = m[i].median_ns - m[best].median_ns;
    }
  v->tied = tied;
  if (tied > 1) {
    v->kind = GT_VERDICT_TIE;
    put(v->text, len, &k, "%s", m[best].mode);
    for (i = 0; i < n; i++)
      if (i != best && m[i].racing && within_noise(&m[best], &m[i]))
        put(v->text, len, &k, " %s %s", ascii ? "~" : "\u2248", m[i].mode);
    pct = (unsigned)((worst_gap * 100 + m[best].median_ns - 1)
        / m[best].median_ns);
    put(v->text, len, &k, ", within %u%%", pct < 1 ? 1 : pct);
    goto out;
  }
  v->kind = GT_VERDICT_WIN;
  if (m[best].speedup > 0 && !m[best].baseline && tl->baseline >= 0)
    put(v->text, len, &k, "%s won: %.1fx faster than %s", m[best].mode,
        m[best].speedup, gt_recorder_string(tl->rec,
        tl->runs[tl->baseline].pub.mode));
  else
    put(v->text, len, &k, "%s was fastest", m[best].mode);
out:
  free(m);
}
