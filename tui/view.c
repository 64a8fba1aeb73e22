/*
 * tui/view.c: a timeline laid out as panels, rows and cells, with no curses.
 *
 * The fold, the queries and the figures are the timeline's
 * (trace/timeline.c).  This file picks the lanes a panel shows (task or
 * worker lanes), makes a lane's cells from its coverage at each column
 * edge (gt_timeline_totals_from, so a frame costs lanes x columns x
 * (log n + BLOCK), whatever n is), keeps the cells last computed for each
 * lane, and words captions and the verdict from the figures.
 */
#include "view.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

/* The cells last computed for one lane, and what they came from. */
struct lane_cells {
  size_t   ntr;             /* the lane's transitions then: its version */
  int      finished;
  uint64_t now, t_lo, ns_per_col;  /* now: 0 when the lane ended */
  unsigned cols;            /* 0: nothing cached */
  struct gt_cell *cells;    /* cap cells */
  unsigned cap;
};

/* Cached cells of every lane, by the timeline's lane id.  The view points
 * to it, so gt_view_cells() can fill it through a const view. */
struct cells_cache {
  struct lane_cells *c;
  size_t n;
};

struct gt_view {
  struct gt_recorder *rec;
  struct gt_timeline *tl;
  int      by_worker;
  struct cells_cache *cc;
};

/* A new view of rec. */
struct gt_view *
gt_view_new(struct gt_recorder *rec)
{
  struct gt_view *v = gt_xcalloc(1, sizeof(*v));

  v->rec = rec;
  v->tl = gt_timeline_new(rec, GT_TL_WORKER_LANES);
  v->cc = gt_xcalloc(1, sizeof(*v->cc));
  return v;
}

/* Free the view. */
void
gt_view_free(struct gt_view *v)
{
  size_t i;

  if (v == NULL)
    return;
  gt_timeline_free(v->tl);
  for (i = 0; i < v->cc->n; i++)
    free(v->cc->c[i].cells);
  free(v->cc->c);
  free(v->cc);
  free(v);
}

/* Fold what arrived since the last update: the timeline's work. */
size_t
gt_view_update(struct gt_view *v, uint64_t now_ns)
{
  return gt_timeline_update(v->tl, now_ns);
}

/* Accessors. */
const struct gt_timeline *
gt_view_timeline(const struct gt_view *v)
{
  return v->tl;
}

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
  return gt_timeline_now(v->tl);
}

unsigned
gt_view_cats_seen(const struct gt_view *v)
{
  return gt_timeline_cats_seen(v->tl);
}

/* Another tool's trace: the first run says it for the whole file. */
int
gt_view_foreign(const struct gt_view *v)
{
  struct gt_run_info ri;

  return gt_recorder_runs(v->rec) > 0
      && gt_recorder_run_get(v->rec, 0, &ri) == 0
      && (ri.flags & GT_RUN_FOREIGN) != 0;
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
  return gt_timeline_runs(v->tl);
}

const struct gt_tl_run *
gt_view_panel(const struct gt_view *v, size_t i)
{
  return gt_timeline_run(v->tl, i);
}

/* 1 when runs exist and all of them have ended. */
int
gt_view_all_done(const struct gt_view *v)
{
  size_t i, n = gt_timeline_runs(v->tl);

  if (n == 0)
    return 0;
  for (i = 0; i < n; i++)
    if (gt_timeline_run(v->tl, i)->end_ns == 0)
      return 0;
  return 1;
}

/* The lanes of panel p in the current kind. */
size_t
gt_view_panel_nlanes(const struct gt_view *v, size_t panel)
{
  const struct gt_tl_run *p = gt_timeline_run(v->tl, panel);

  return v->by_worker ? p->nworker_lanes : p->ntask_lanes;
}

const struct gt_tl_lane *
gt_view_panel_lane(const struct gt_view *v, size_t panel, size_t i)
{
  if (v->by_worker)
    return gt_timeline_worker_lane(v->tl, panel, i);
  return gt_timeline_task_lane(v->tl, panel, i);
}

/* The category at t. */
int
gt_view_cat_at(const struct gt_tl_lane *l, uint64_t t)
{
  return gt_timeline_cat_at(l, t);
}

/* Time per category in [a, b). */
void
gt_view_coverage(const struct gt_view *v, const struct gt_tl_lane *l,
    uint64_t a, uint64_t b, uint64_t out[GT_CAT_COUNT])
{
  gt_timeline_coverage(v->tl, l, a, b, out);
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
cache_slot(const struct gt_view *v, const struct gt_tl_lane *l)
{
  size_t i = gt_timeline_lane_id(v->tl, l), n;

  if (i == (size_t)-1)
    return NULL;
  if (i >= v->cc->n) {
    n = i + 1 > 2 * v->cc->n ? i + 1 : 2 * v->cc->n;
    v->cc->c = gt_xrealloc(v->cc->c, n * sizeof(*v->cc->c));
    memset(v->cc->c + v->cc->n, 0, (n - v->cc->n) * sizeof(*v->cc->c));
    v->cc->n = n;
  }
  return &v->cc->c[i];
}

static void cells_compute(const struct gt_view *v,
    const struct gt_tl_lane *l, uint64_t t_lo, uint64_t ns_per_col,
    unsigned cols, struct gt_cell *out);

/* The cells of a lane over a window: the ones computed last time when
 * neither the lane (no new transition), the window, nor, for a lane still
 * going, now has changed; that is most frames. */
void
gt_view_cells(const struct gt_view *v, const struct gt_tl_lane *l,
    uint64_t t_lo, uint64_t ns_per_col, unsigned cols, struct gt_cell *out)
{
  struct lane_cells *lc = cache_slot(v, l);
  uint64_t now = gt_timeline_now(v->tl);

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
cells_compute(const struct gt_view *v, const struct gt_tl_lane *l,
    uint64_t t_lo, uint64_t ns_per_col, unsigned cols, struct gt_cell *out)
{
  uint64_t prev[GT_CAT_COUNT], next[GT_CAT_COUNT], cov[GT_CAT_COUNT], sum;
  uint64_t t = t_lo, w = ns_per_col ? ns_per_col : 1;
  size_t hint = 0;         /* the block of the previous column edge */
  unsigned c;
  int k, cat_prev, cat_next;

  cat_prev = gt_timeline_totals_from(v->tl, l, t, prev, &hint);
  for (c = 0; c < cols; c++, t += w) {
    cat_next = gt_timeline_totals_from(v->tl, l, t + w, next, &hint);
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

/* The figures of a panel: the timeline's, so the header and the report
 * agree. */
void
gt_view_figures(const struct gt_view *v, size_t panel,
    struct gt_run_figures *f)
{
  gt_timeline_figures(v->tl, panel, 0, f);
}

/* The mode of the baseline run, "" when there is none. */
static const char *
baseline_mode(const struct gt_view *v)
{
  long b = gt_timeline_baseline(v->tl);

  return b < 0 ? "" : gt_recorder_string(v->rec,
      gt_timeline_run(v->tl, (size_t)b)->mode);
}

/* Plural helper. */
static const char *
s_if(unsigned n)
{
  return n == 1 ? "" : "s";
}

/* A duration in a foreign caption, as the panel's header writes its span
 * (gt_draw_fmt_dur: a trace's slices are often under a millisecond). */
static void
fmt_short(char *buf, size_t len, uint64_t ns)
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

/* The caption of another tool's process: its threads in a slice and idle
 * while it plays, its busy and idle time in all at its end (and how many
 * threads are in a slice never closed).  A thread's
 * running is a slice, its queued gap idle time (trace/chrome_import.c). */
static void
caption_foreign(const struct gt_tl_run *p, const char *mode,
    const struct gt_run_figures *f, char *buf, size_t len)
{
  char busy[32], idle[32];
  int n;

  if (p->start_ns == 0 || f->tasks == 0) {
    snprintf(buf, len, "%s: no slice yet", mode);
  } else if (p->end_ns != 0) {
    fmt_short(busy, sizeof(busy), f->state_ns[GT_S_RUNNING]);
    fmt_short(idle, sizeof(idle), f->state_ns[GT_S_QUEUED]);
    n = snprintf(buf, len, "%s: %u thread%s; busy %s, idle %s in all",
        mode, f->tasks, s_if(f->tasks), busy, idle);
    if (f->unfinished > 0 && n > 0 && (size_t)n < len)  /* a B, no E */
      snprintf(buf + n, len - (size_t)n, "; %u still in a slice",
          f->unfinished);
  } else {
    n = snprintf(buf, len, "%s: %u thread%s in a slice, %u idle", mode,
        f->running, s_if(f->running), f->queued);
    if (f->ok > 0 && n > 0 && (size_t)n < len)
      snprintf(buf + n, len - (size_t)n, ", %u ended", f->ok);
  }
}

/* A caption for a panel, from what its lanes show now. */
void
gt_view_caption(const struct gt_view *v, size_t panel, char *buf, size_t len)
{
  const struct gt_tl_run *p = gt_timeline_run(v->tl, panel);
  const char *mode = gt_recorder_string(v->rec, p->mode);
  struct gt_run_figures f;
  unsigned net, loop;

  gt_view_figures(v, panel, &f);
  if (f.foreign) {
    caption_foreign(p, mode, &f, buf, len);
    return;
  }
  net = f.waiting_by[GT_R_NET] + f.waiting_by[GT_R_CONNECT];
  loop = f.waiting_by[GT_R_LOOP];
  if (p->start_ns == 0) {
    snprintf(buf, len, "%s: waiting for its turn", mode);
  } else if (p->end_ns != 0) {
    int n = snprintf(buf, len, "%s: done, %u ok", mode, f.ok);

    if (f.failed && n > 0 && (size_t)n < len)
      n += snprintf(buf + n, len - (size_t)n, ", %u failed", f.failed);
    if (f.speedup > 0 && !f.baseline && n > 0 && (size_t)n < len)
      snprintf(buf + n, len - (size_t)n, "; %.1fx %s than %s",
          f.speedup >= 1 ? f.speedup : 1 / f.speedup,
          f.speedup >= 1 ? "faster" : "slower", baseline_mode(v));
  } else if (f.queued > 0 && f.running + f.waiting + f.ok + f.failed == 0) {
    /* Nothing taken yet: worker processes take a while to start. */
    snprintf(buf, len, "%s: %u task%s queued; the workers are starting",
        mode, f.queued, s_if(f.queued));
  } else if (f.waiting_by[GT_R_GIL] > 0) {
    snprintf(buf, len, "%s: the GIL lets one thread run at a time; %u "
        "wait%s for it", mode, f.waiting_by[GT_R_GIL],
        f.waiting_by[GT_R_GIL] == 1 ? "s" : "");
  } else if (f.waiting_by[GT_R_LOCK] > 0) {
    snprintf(buf, len, "%s: %u task%s wait%s for a lock another task "
        "holds", mode, f.waiting_by[GT_R_LOCK], s_if(f.waiting_by[GT_R_LOCK]),
        f.waiting_by[GT_R_LOCK] == 1 ? "s" : "");
  } else if ((p->traits & GT_MODE_LOOP) && p->workers == 1
      && f.running + f.waiting_by[GT_R_CORE] > 0 && net + loop > 0) {
    /* One loop held by a CPU step (running, or ready for a core: on the
     * loop's thread either way), with tasks the loop holds back: those
     * ready (loop busy), whose wait is over, and requests out, whose
     * answers may have come (a server other than the embedded one cannot
     * say when). */
    if (loop == 0)
      snprintf(buf, len, "%s: a CPU step holds the loop; %u request%s wait "
          "for it, answered or not", mode, net, s_if(net));
    else if (net == 0)
      snprintf(buf, len, "%s: a CPU step holds the loop; %u ready task%s "
          "wait%s for it", mode, loop, s_if(loop), loop == 1 ? "s" : "");
    else
      snprintf(buf, len, "%s: a CPU step holds the loop; %u ready task%s "
          "wait%s for it, %u request%s out", mode, loop, s_if(loop),
          loop == 1 ? "s" : "", net, s_if(net));
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
        mode, f.running, f.waiting, f.queued, f.ok + f.failed);
  }
}

/* The header's speedup text: the baseline's name is cut at a character
 * boundary (a byte that is no UTF-8 continuation), so the header never
 * draws half a character. */
void
gt_view_speed(const struct gt_view *v, size_t panel, char *buf, size_t len)
{
  struct gt_run_figures f;
  const char *name;
  size_t n = 0, chars = 0;

  if (len == 0)
    return;
  buf[0] = '\0';
  gt_view_figures(v, panel, &f);
  if (f.speedup <= 0 || f.baseline || gt_timeline_baseline(v->tl) < 0)
    return;
  name = baseline_mode(v);
  while (name[n] != '\0' && chars < 12) {
    n++;
    while (((unsigned char)name[n] & 0xc0) == 0x80)
      n++;
    chars++;
  }
  snprintf(buf, len, "%.2fx vs %.*s", f.speedup, (int)n, name);
}

/* The verdict and the contention warning, from the timeline. */
void
gt_view_verdict_in(const struct gt_view *v, int ascii, char *buf,
    size_t len)
{
  struct gt_verdict vd;

  if (len == 0)
    return;
  buf[0] = '\0';
  if (gt_view_foreign(v))
    return;  /* another tool's processes did not race */
  gt_timeline_verdict(v->tl, ascii, &vd);
  snprintf(buf, len, "%s%s%s", vd.text, vd.text[0] && vd.warning[0]
      ? "; " : "", vd.warning);
}

void
gt_view_verdict(const struct gt_view *v, char *buf, size_t len)
{
  gt_view_verdict_in(v, 0, buf, len);
}

/* A duration for the repeats' line, as the header writes one. */
static void
fmt_dur(char *buf, size_t len, uint64_t ns)
{
  if (ns >= 10000000000ull)
    snprintf(buf, len, "%.1f s", (double)ns / 1e9);
  else if (ns >= 1000000000ull)
    snprintf(buf, len, "%.2f s", (double)ns / 1e9);
  else
    snprintf(buf, len, "%.1f ms", (double)ns / 1e6);
}

/* The median and spread of a repeated panel's mode. */
void
gt_view_repeats(const struct gt_view *v, size_t panel, char *buf,
    size_t len)
{
  struct gt_mode_figures m;
  char med[32], lo[32], hi[32];

  if (len == 0)
    return;
  buf[0] = '\0';
  if (gt_timeline_runs(v->tl) < 2)
    return;
  gt_timeline_mode_figures(v->tl, panel, &m);
  if (m.runs < 2 || m.measured == 0)
    return;
  fmt_dur(med, sizeof(med), m.median_ns);
  fmt_dur(lo, sizeof(lo), m.min_ns);
  fmt_dur(hi, sizeof(hi), m.max_ns);
  snprintf(buf, len, "median %s, %s-%s over %zu run%s", med, lo, hi,
      m.measured, m.measured == 1 ? "" : "s");
}

/* The rows of the chart: for each shown panel a header, a caption and its
 * lanes. */
size_t
gt_view_rows(const struct gt_view *v, int solo, struct gt_row *out,
    size_t max)
{
  size_t n = 0, p, i, nl;

  for (p = 0; p < gt_timeline_runs(v->tl); p++) {
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
  const struct gt_tl_lane *l;
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
