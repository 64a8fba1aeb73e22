/*
 * tui/view.c: events to lanes to cells, with no curses.
 *
 * Each lane is a sorted array of transitions.  Every BLOCK transitions the
 * lane also stores how long it has spent in each category so far (cum), so
 * the time per category up to any instant t is: a binary search for the
 * transition at t, the block's totals, and at most BLOCK steps inside the
 * block.  A frame asks for that at each column boundary of each visible
 * lane, so its cost is lanes x columns x (log n + BLOCK), whatever n is.
 *
 * Events arrive in arrival order, which across threads is not time order
 * (a task's QUEUE, emitted by the submitting thread, may be gathered after
 * its START): a transition older than the lane's last is inserted in place
 * and the totals after it are rebuilt.  That is rare and local to one lane.
 */
#include "view.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base.h"

#define BLOCK 16u           /* transitions per running-total block */
#define READ_BATCH 4096u
#define NO_LANE ((size_t)-1)

struct panel {
  struct gt_panel_view pub;
  struct gt_idmap lane_of_task;  /* task -> task lane; sized by the lanes,
                                  * not by the largest task id */
  struct gt_idmap lane_of_worker;  /* worker id -> worker lane */
  size_t  task_list_cap, worker_list_cap;
};

struct lanes {
  struct gt_lane_view *l;
  size_t n, cap;
};

/* The cells last computed for one lane, and what they came from. */
struct lane_cells {
  size_t   ntr;             /* the lane's transitions then: its version */
  int      finished;
  uint64_t now, t_lo, ns_per_col;  /* now: 0 when the lane ended */
  unsigned cols;            /* 0: nothing cached */
  struct gt_cell *cells;    /* cap cells */
  unsigned cap;
};

/* Cached cells of every lane, by kind then index.  The view points to it,
 * so gt_view_cells() can fill it through a const view. */
struct cells_cache {
  struct lane_cells *task, *worker;
  size_t ntask, nworker;
};

struct gt_view {
  struct gt_recorder *rec;
  size_t   cursor;          /* events folded so far */
  uint64_t now_ns;
  struct lanes tasks;
  struct lanes workers;
  struct panel *panels;
  size_t   npanels;
  int      by_worker;
  long     ncores;
  unsigned cats_seen;       /* bit per enum gt_cat */
  struct gt_event *buf;
  struct cells_cache *cc;
};

/* A new view of rec. */
struct gt_view *
gt_view_new(struct gt_recorder *rec)
{
  struct gt_view *v = gt_xcalloc(1, sizeof(*v));

  v->rec = rec;
  v->now_ns = gt_recorder_t0(rec);
  v->ncores = sysconf(_SC_NPROCESSORS_ONLN);
  if (v->ncores < 1)
    v->ncores = 1;
  v->buf = gt_xmalloc(READ_BATCH * sizeof(*v->buf));
  v->cc = gt_xcalloc(1, sizeof(*v->cc));
  return v;
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

/* Free the view. */
void
gt_view_free(struct gt_view *v)
{
  size_t i;

  if (v == NULL)
    return;
  lanes_free(&v->tasks);
  lanes_free(&v->workers);
  for (i = 0; i < v->npanels; i++) {
    gt_idmap_free(&v->panels[i].lane_of_task);
    gt_idmap_free(&v->panels[i].lane_of_worker);
    free(v->panels[i].pub.task_lanes);
    free(v->panels[i].pub.worker_lanes);
  }
  free(v->panels);
  free(v->buf);
  for (i = 0; i < v->cc->ntask; i++)
    free(v->cc->task[i].cells);
  for (i = 0; i < v->cc->nworker; i++)
    free(v->cc->worker[i].cells);
  free(v->cc->task);
  free(v->cc->worker);
  free(v->cc);
  free(v);
}

/* Accessors. */
struct gt_recorder *
gt_view_recorder(const struct gt_view *v)
{
  return v->rec;
}

uint64_t
gt_view_t0(const struct gt_view *v)
{
  return gt_recorder_t0(v->rec);
}

uint64_t
gt_view_now(const struct gt_view *v)
{
  return v->now_ns;
}

unsigned
gt_view_cats_seen(const struct gt_view *v)
{
  return v->cats_seen;
}

void
gt_view_set_by_worker(struct gt_view *v, int by_worker)
{
  v->by_worker = by_worker != 0;
}

int
gt_view_by_worker(const struct gt_view *v)
{
  return v->by_worker;
}

size_t
gt_view_panels(const struct gt_view *v)
{
  return v->npanels;
}

const struct gt_panel_view *
gt_view_panel(const struct gt_view *v, size_t i)
{
  return &v->panels[i].pub;
}

/* 1 when runs exist and all of them have ended. */
int
gt_view_all_done(const struct gt_view *v)
{
  size_t i;

  if (v->npanels == 0)
    return 0;
  for (i = 0; i < v->npanels; i++)
    if (v->panels[i].pub.end_ns == 0)
      return 0;
  return 1;
}

/* The lanes of panel p in the current kind. */
size_t
gt_view_panel_nlanes(const struct gt_view *v, size_t panel)
{
  const struct gt_panel_view *p = &v->panels[panel].pub;

  return v->by_worker ? p->nworker_lanes : p->ntask_lanes;
}

const struct gt_lane_view *
gt_view_panel_lane(const struct gt_view *v, size_t panel, size_t i)
{
  const struct gt_panel_view *p = &v->panels[panel].pub;

  if (v->by_worker)
    return &v->workers.l[p->worker_lanes[i]];
  return &v->tasks.l[p->task_lanes[i]];
}

/* Make panels for every run the recorder has, and refresh their info. */
static void
sync_panels(struct gt_view *v)
{
  uint16_t n = gt_recorder_runs(v->rec), r;
  struct gt_run_info ri;

  if (n > v->npanels) {
    v->panels = gt_xrealloc(v->panels, n * sizeof(*v->panels));
    memset(v->panels + v->npanels, 0,
        (n - v->npanels) * sizeof(*v->panels));
    for (r = (uint16_t)v->npanels; r < n; r++)
      v->panels[r].pub.run = r;
    v->npanels = n;
  }
  for (r = 0; r < n; r++) {
    struct gt_panel_view *p = &v->panels[r].pub;

    gt_recorder_run_get(v->rec, r, &ri);
    p->mode = ri.name;
    p->workers = ri.workers;
    p->limit = ri.limit;
    p->traits = ri.traits;
    p->tasks = ri.tasks;
    p->start_ns = ri.start_ns;
    p->end_ns = ri.end_ns;
  }
}

/* A new lane in ls; returns its index. */
static size_t
lane_add(struct lanes *ls, uint16_t run, uint32_t key, uint32_t name)
{
  struct gt_lane_view *l;

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

/* Insert lane index idx into a panel's list, keeping it sorted by key (an
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
static struct gt_lane_view *
task_lane(struct gt_view *v, uint16_t run, uint32_t task)
{
  struct panel *p = &v->panels[run];
  size_t *slot = gt_idmap_slot(&p->lane_of_task, task, NO_LANE), idx;
  char name[32];

  idx = *slot;
  if (idx == NO_LANE) {
    snprintf(name, sizeof(name), "task %u", task);
    idx = lane_add(&v->tasks, run, task, gt_recorder_intern(v->rec, name));
    *slot = idx;
    list_insert(&p->pub.task_lanes, &p->pub.ntask_lanes, &p->task_list_cap,
        &v->tasks, idx);
  }
  return &v->tasks.l[idx];
}

/* The worker lane of (run, worker), made when first seen. */
static struct gt_lane_view *
worker_lane(struct gt_view *v, uint16_t run, int32_t worker)
{
  struct panel *p = &v->panels[run];
  size_t *slot = gt_idmap_slot(&p->lane_of_worker, (uint32_t)worker,
      NO_LANE), idx = *slot;
  char name[32];

  if (idx == NO_LANE) {
    snprintf(name, sizeof(name), "worker %d", worker);
    idx = lane_add(&v->workers, run, (uint32_t)worker,
        gt_recorder_intern(v->rec, name));
    *slot = idx;
    list_insert(&p->pub.worker_lanes, &p->pub.nworker_lanes,
        &p->worker_list_cap, &v->workers, idx);
  }
  return &v->workers.l[idx];
}

/* Recompute the running totals of l from block b on. */
static void
cum_rebuild(struct gt_lane_view *l, size_t b)
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

/* Add a transition to l in time order and keep the totals right. */
static void
lane_push(struct gt_lane_view *l, const struct gt_transition *t)
{
  size_t pos = l->ntr;

  if (l->ntr == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 8;
    l->tr = gt_xrealloc(l->tr, l->cap * sizeof(*l->tr));
  }
  while (pos > 0 && l->tr[pos - 1].ts_ns > t->ts_ns)
    pos--;
  /* At equal times a queued transition goes first: the task is queued
   * before anything else happens to it. */
  while (pos > 0 && l->tr[pos - 1].ts_ns == t->ts_ns
      && t->cat == GT_CAT_QUEUED && l->tr[pos - 1].cat != GT_CAT_QUEUED)
    pos--;
  memmove(l->tr + pos + 1, l->tr + pos, (l->ntr - pos) * sizeof(*l->tr));
  l->tr[pos] = *t;
  l->ntr++;
  if (pos == l->ntr - 1 && l->ntr % BLOCK != 1 && l->ncum > 0)
    return;  /* appended inside the last block: totals unchanged */
  cum_rebuild(l, pos / BLOCK);
}

static long find_at(const struct gt_lane_view *l, uint64_t t);

/* Give the task's stretches in worker lanes the name that has just
 * arrived: its QUEUE, from the submitting thread, may be gathered after
 * its START from the worker. */
static void
relabel_worker_lanes(struct gt_view *v, uint16_t run,
    const struct gt_lane_view *tl, uint32_t name)
{
  struct gt_lane_view *wl;
  size_t i;
  long j;

  for (i = 0; i < tl->ntr; i++) {
    if (tl->tr[i].worker < 0)
      continue;
    wl = worker_lane(v, run, tl->tr[i].worker);
    for (j = find_at(wl, tl->tr[i].ts_ns);
        j >= 0 && wl->tr[j].ts_ns == tl->tr[i].ts_ns; j--)
      if (wl->tr[j].task == tl->key)
        wl->tr[j].label = name;
  }
}

/* Fold one event into its task lane and its worker lane. */
static void
fold(struct gt_view *v, const struct gt_event *e)
{
  struct gt_lane_view *tl, *wl;
  struct gt_transition t = {
    .ts_ns = e->ts_ns, .label = e->label, .worker = e->worker,
    .task = e->task,
  };

  if (e->run >= v->npanels)
    sync_panels(v);
  if (e->run >= v->npanels)
    return;  /* an event of a run the recorder does not know */
  tl = task_lane(v, e->run, e->task);
  switch (e->kind) {
  case GT_EV_QUEUE:
    t.cat = GT_CAT_QUEUED;
    if (tl->name != e->label && tl->ntr > 0)
      relabel_worker_lanes(v, e->run, tl, e->label);
    tl->name = e->label;
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
    tl->finished = 1;
    tl->status = e->status;
    tl->error = e->status != 0 ? e->label : 0;
    tl->finish_ns = e->ts_ns;
    break;
  default:
    return;
  }
  if (e->kind != GT_EV_FINISH && tl->finished && e->ts_ns > tl->finish_ns)
    return;  /* nothing happens to a task after it finished */
  v->cats_seen |= 1u << t.cat;
  lane_push(tl, &t);
  if (e->worker < 0 || e->kind == GT_EV_QUEUE)
    return;
  wl = worker_lane(v, e->run, e->worker);
  t.label = tl->name;
  lane_push(wl, &t);
}

/* Fold what arrived since the last update. */
size_t
gt_view_update(struct gt_view *v, uint64_t now_ns)
{
  size_t n, i, total = 0;

  sync_panels(v);
  while ((n = gt_recorder_read(v->rec, v->cursor, v->buf, READ_BATCH)) > 0) {
    for (i = 0; i < n; i++) {
      fold(v, &v->buf[i]);
      if (v->buf[i].ts_ns > v->now_ns)
        v->now_ns = v->buf[i].ts_ns;
    }
    v->cursor += n;
    total += n;
  }
  sync_panels(v);
  if (now_ns > v->now_ns)
    v->now_ns = now_ns;
  return total;
}

/* The last transition at or before t, or -1 when t is before them all:
 * the block from the compact block index, then the transition inside it,
 * so a search misses the cache about twice, not log2(n) times. */
static long
find_at(const struct gt_lane_view *l, uint64_t t)
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
gt_view_cat_at(const struct gt_lane_view *l, uint64_t t)
{
  long i = find_at(l, t);

  return i < 0 ? GT_CAT_NONE : l->tr[i].cat;
}

/* Time per category from the lane's first transition up to t (never past
 * now), into acc; returns the category at t. */
static int
totals_at(const struct gt_lane_view *l, uint64_t t, uint64_t now,
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

/* totals_at() for times that only grow (the columns of a window): the
 * block is found in the compact block index from *hint on, galloping, and
 * the walk inside the block both finds the transition and sums it. */
static int
totals_from(const struct gt_lane_view *l, uint64_t t, uint64_t now,
    uint64_t acc[GT_CAT_COUNT], size_t *hint)
{
  size_t lo = *hint, hi, step = 1, mid, m, end_m;
  uint64_t end;

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
gt_view_coverage(const struct gt_view *v, const struct gt_lane_view *l,
    uint64_t a, uint64_t b, uint64_t out[GT_CAT_COUNT])
{
  uint64_t fa[GT_CAT_COUNT], sum = 0;
  int k;

  totals_at(l, a, v->now_ns, fa);
  totals_at(l, b, v->now_ns, out);
  for (k = 0; k < GT_CAT_COUNT; k++) {
    out[k] -= fa[k];
    if (k != GT_CAT_NONE)
      sum += out[k];
  }
  out[GT_CAT_NONE] = b - a > sum ? b - a - sum : 0;
}

/* One cell from its coverage: the two largest parts, in time order. */
static void
make_cell(const uint64_t cov[GT_CAT_COUNT], int cat_at_start, uint64_t w,
    struct gt_cell *c)
{
  int k, top1 = GT_CAT_NONE, top2 = -1;
  uint64_t a, b;

  for (k = 0; k < GT_CAT_COUNT; k++)
    if (cov[k] > cov[top1])
      top1 = k;
  for (k = 0; k < GT_CAT_COUNT; k++)
    if (k != top1 && (top2 < 0 || cov[k] > cov[top2]))
      top2 = k;
  c->split = 8;
  c->left = c->right = (uint8_t)top1;
  if (top2 < 0 || cov[top2] * 16 < w)
    return;
  if (cat_at_start == top2) {
    c->left = (uint8_t)top2;
    c->right = (uint8_t)top1;
  } else {
    c->right = (uint8_t)top2;
  }
  a = cov[c->left];
  b = cov[c->right];
  k = (int)((8 * a + (a + b) / 2) / (a + b));
  if (k <= 0 || k >= 8) {
    c->left = c->right = (uint8_t)top1;
    return;
  }
  c->split = (uint8_t)k;
}

/* The cache slot of lane l, grown to hold it; NULL for a lane that is not
 * the view's. */
static struct lane_cells *
cache_slot(const struct gt_view *v, const struct gt_lane_view *l)
{
  struct lane_cells **a;
  size_t i, *n, nl;

  if (v->tasks.n > 0 && l >= v->tasks.l && l < v->tasks.l + v->tasks.n) {
    i = (size_t)(l - v->tasks.l);
    a = &v->cc->task;
    n = &v->cc->ntask;
    nl = v->tasks.cap;
  } else if (v->workers.n > 0 && l >= v->workers.l
      && l < v->workers.l + v->workers.n) {
    i = (size_t)(l - v->workers.l);
    a = &v->cc->worker;
    n = &v->cc->nworker;
    nl = v->workers.cap;
  } else {
    return NULL;
  }
  if (i >= *n) {
    *a = gt_xrealloc(*a, nl * sizeof(**a));
    memset(*a + *n, 0, (nl - *n) * sizeof(**a));
    *n = nl;
  }
  return &(*a)[i];
}

static void cells_compute(const struct gt_view *v,
    const struct gt_lane_view *l, uint64_t t_lo, uint64_t ns_per_col,
    unsigned cols, struct gt_cell *out);

/* The cells of a lane over a window: the ones computed last time when
 * neither the lane (no new transition), the window, nor, for a lane still
 * going, now has changed; that is most frames. */
void
gt_view_cells(const struct gt_view *v, const struct gt_lane_view *l,
    uint64_t t_lo, uint64_t ns_per_col, unsigned cols, struct gt_cell *out)
{
  struct lane_cells *lc = cache_slot(v, l);
  uint64_t now = v->now_ns;

  /* Only a lane whose last state is not "none" reaches up to now. */
  if (l->ntr > 0 && l->tr[l->ntr - 1].cat == GT_CAT_NONE)
    now = 0;

  if (lc == NULL) {
    cells_compute(v, l, t_lo, ns_per_col, cols, out);
    return;
  }
  if (lc->cols == cols && lc->ntr == l->ntr && lc->finished == l->finished
      && lc->now == now && lc->t_lo == t_lo && lc->ns_per_col == ns_per_col) {
    memcpy(out, lc->cells, cols * sizeof(*out));
    return;
  }
  cells_compute(v, l, t_lo, ns_per_col, cols, out);
  if (cols > lc->cap) {
    lc->cap = cols;
    lc->cells = gt_xrealloc(lc->cells, cols * sizeof(*lc->cells));
  }
  memcpy(lc->cells, out, cols * sizeof(*out));
  lc->ntr = l->ntr;
  lc->finished = l->finished;
  lc->now = now;
  lc->t_lo = t_lo;
  lc->ns_per_col = ns_per_col;
  lc->cols = cols;
}

/* Compute the cells of a lane over a window. */
static void
cells_compute(const struct gt_view *v, const struct gt_lane_view *l,
    uint64_t t_lo, uint64_t ns_per_col, unsigned cols, struct gt_cell *out)
{
  uint64_t prev[GT_CAT_COUNT], next[GT_CAT_COUNT], cov[GT_CAT_COUNT], sum;
  uint64_t t = t_lo, w = ns_per_col ? ns_per_col : 1;
  size_t hint = 0;         /* the block of the previous column edge */
  unsigned c;
  int k, cat_prev, cat_next;

  cat_prev = totals_from(l, t, v->now_ns, prev, &hint);
  for (c = 0; c < cols; c++, t += w) {
    cat_next = totals_from(l, t + w, v->now_ns, next, &hint);
    for (sum = 0, k = 1; k < GT_CAT_COUNT; k++) {
      cov[k] = next[k] - prev[k];
      sum += cov[k];
    }
    cov[GT_CAT_NONE] = w > sum ? w - sum : 0;
    make_cell(cov, cat_prev, w, &out[c]);
    out[c].mark = GT_MARK_NONE;
    if (l->finished && l->finish_ns >= t && l->finish_ns < t + w)
      out[c].mark = l->status == 0 ? GT_MARK_DONE : GT_MARK_FAILED;
    memcpy(prev, next, sizeof(prev));
    cat_prev = cat_next;
  }
}

/* The panel named "sync" that has ended, or NULL. */
static const struct gt_panel_view *
sync_panel(const struct gt_view *v)
{
  size_t i;

  for (i = 0; i < v->npanels; i++) {
    const struct gt_panel_view *p = &v->panels[i].pub;

    if (p->end_ns != 0
        && strcmp(gt_recorder_string(v->rec, p->mode), "sync") == 0)
      return p;
  }
  return NULL;
}

/* Figures of a panel.  The ideal time is a lower bound on the run's wall
 * time: the longest single task (first start to finish: no schedule can
 * beat it) or the CPU time spread over every core, whichever is larger. */
void
gt_view_figures(const struct gt_view *v, size_t panel,
    struct gt_panel_figures *f)
{
  const struct gt_panel_view *p = &v->panels[panel].pub;
  const struct gt_panel_view *s = sync_panel(v);
  uint64_t cov[GT_CAT_COUNT], cpu = 0, longest = 0, first, end;
  size_t i, j;
  int cat;

  memset(f, 0, sizeof(*f));
  end = p->end_ns ? p->end_ns : v->now_ns;
  if (p->start_ns != 0 && end > p->start_ns)
    f->wall_ns = end - p->start_ns;  /* a start stamped after now: 0 */
  if (s != NULL && p->end_ns != 0 && f->wall_ns > 0)
    f->speedup = (double)(s->end_ns - s->start_ns) / (double)f->wall_ns;
  for (i = 0; i < p->ntask_lanes; i++) {
    const struct gt_lane_view *l = &v->tasks.l[p->task_lanes[i]];

    if (l->ntr == 0)
      continue;
    gt_view_coverage(v, l, l->tr[0].ts_ns, v->now_ns + 1, cov);
    cpu += cov[GT_CAT_RUNNING];
    for (first = 0, j = 0; j < l->ntr; j++)
      if (l->tr[j].cat != GT_CAT_QUEUED) {
        first = l->tr[j].ts_ns;
        break;
      }
    if (l->finished && first != 0 && l->finish_ns - first > longest)
      longest = l->finish_ns - first;
    cat = gt_view_cat_at(l, v->now_ns);
    if (l->finished && l->status == 0)
      f->done++;
    else if (l->finished)
      f->failed++;
    else if (cat == GT_CAT_QUEUED)
      f->queued++;
    else if (cat == GT_CAT_RUNNING)
      f->running++;
    else if (cat >= GT_CAT_WAIT) {
      f->waiting++;
      f->waiting_by[cat - GT_CAT_WAIT + 1]++;
    }
  }
  if (f->done == 0)
    f->speedup = 0;  /* no task succeeded: no work was done faster */
  f->ideal_ns = cpu / (uint64_t)v->ncores;
  if (longest > f->ideal_ns)
    f->ideal_ns = longest;
}

/* Plural helper. */
static const char *
s_if(unsigned n)
{
  return n == 1 ? "" : "s";
}

/* A caption for a panel, from what its lanes show now. */
void
gt_view_caption(const struct gt_view *v, size_t panel, char *buf, size_t len)
{
  const struct gt_panel_view *p = &v->panels[panel].pub;
  const char *mode = gt_recorder_string(v->rec, p->mode);
  struct gt_panel_figures f;
  unsigned net;

  gt_view_figures(v, panel, &f);
  net = f.waiting_by[GT_R_NET] + f.waiting_by[GT_R_CONNECT];
  if (p->start_ns == 0) {
    snprintf(buf, len, "%s: waiting for its turn", mode);
  } else if (p->end_ns != 0) {
    int n = snprintf(buf, len, "%s: done, %u ok", mode, f.done);

    if (f.failed && n > 0 && (size_t)n < len)
      n += snprintf(buf + n, len - (size_t)n, ", %u failed", f.failed);
    if (f.speedup > 0 && !(p->traits & GT_MODE_BASELINE) && n > 0
        && (size_t)n < len)
      snprintf(buf + n, len - (size_t)n, "; %.1fx %s than sync",
          f.speedup >= 1 ? f.speedup : 1 / f.speedup,
          f.speedup >= 1 ? "faster" : "slower");
  } else if (f.queued > 0 && f.running + f.waiting + f.done + f.failed == 0) {
    /* Nothing taken yet: worker processes take a while to start. */
    snprintf(buf, len, "%s: %u task%s queued; the workers are starting",
        mode, f.queued, s_if(f.queued));
  } else if (f.waiting_by[GT_R_GIL] > 0) {
    snprintf(buf, len, "%s: the GIL lets one thread run at a time; %u "
        "wait%s for it", mode, f.waiting_by[GT_R_GIL],
        f.waiting_by[GT_R_GIL] == 1 ? "s" : "");
  } else if ((p->traits & GT_MODE_LOOP) && p->workers == 1 && f.running > 0
      && net > 0) {
    /* One loop with requests out, held by a CPU step. */
    snprintf(buf, len, "%s: a CPU step holds the loop; %u request%s wait "
        "for it, answered or not", mode, net, s_if(net));
  } else if (net == 1 && f.queued > 0) {
    snprintf(buf, len, "%s: one request at a time; %u task%s queued", mode,
        f.queued, s_if(f.queued));
  } else if (net > 1) {
    snprintf(buf, len, "%s: %u requests in flight on %d worker%s%s", mode,
        net, p->workers, s_if((unsigned)p->workers),
        f.queued && p->limit ? "; the limit holds the rest"
        : f.queued ? "; more queued" : "");
  } else if (f.running > 0 && f.queued > 0) {
    snprintf(buf, len, "%s: %u running on the CPU; %u queued for a worker",
        mode, f.running, f.queued);
  } else {
    snprintf(buf, len, "%s: %u running, %u waiting, %u queued, %u done",
        mode, f.running, f.waiting, f.queued, f.done + f.failed);
  }
}

/* Which run won, once all have ended. */
void
gt_view_verdict(const struct gt_view *v, char *buf, size_t len)
{
  const struct gt_panel_view *s = sync_panel(v), *best = NULL;
  uint64_t wall, best_wall = 0;
  size_t i;

  buf[0] = '\0';
  if (!gt_view_all_done(v) || v->npanels < 2)
    return;
  for (i = 0; i < v->npanels; i++) {
    const struct gt_panel_view *p = &v->panels[i].pub;

    wall = p->end_ns - p->start_ns;
    if (best == NULL || wall < best_wall) {
      best = p;
      best_wall = wall;
    }
  }
  if (s != NULL && best != s && best_wall > 0)
    snprintf(buf, len, "%s won: %.1fx faster than sync",
        gt_recorder_string(v->rec, best->mode),
        (double)(s->end_ns - s->start_ns) / (double)best_wall);
  else
    snprintf(buf, len, "%s was fastest",
        gt_recorder_string(v->rec, best->mode));
}

/* The rows of the chart: for each shown panel a header, a caption and its
 * lanes. */
size_t
gt_view_rows(const struct gt_view *v, int solo, struct gt_row *out,
    size_t max)
{
  size_t n = 0, p, i, nl;

  for (p = 0; p < v->npanels; p++) {
    if (solo >= 0 && (size_t)solo != p)
      continue;
    if (n < max)
      out[n] = (struct gt_row){ GT_ROW_HEADER, p, 0 };
    n++;
    if (n < max)
      out[n] = (struct gt_row){ GT_ROW_CAPTION, p, 0 };
    n++;
    nl = gt_view_panel_nlanes(v, p);
    for (i = 0; i < nl; i++, n++)
      if (n < max)
        out[n] = (struct gt_row){ GT_ROW_LANE, p, i };
  }
  return n;
}

/* 1 when hay holds needle, ignoring ASCII case. */
static int
holds_nocase(const char *hay, const char *needle)
{
  size_t n = strlen(needle), i;

  for (; *hay != '\0'; hay++) {
    for (i = 0; i < n && hay[i] != '\0'
        && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]);
        i++)
      ;
    if (i == n)
      return 1;
  }
  return n == 0;
}

/* The next lane row whose label holds text. */
size_t
gt_view_find(const struct gt_view *v, const struct gt_row *rows,
    size_t nrows, size_t from, const char *text)
{
  const struct gt_lane_view *l;
  size_t k, i;

  for (k = 1; k <= nrows; k++) {
    i = (from + k) % nrows;
    if (rows[i].kind != GT_ROW_LANE)
      continue;
    l = gt_view_panel_lane(v, rows[i].panel, rows[i].lane);
    if (holds_nocase(gt_recorder_string(v->rec, l->name), text))
      return i;
  }
  return nrows;
}
