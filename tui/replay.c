/*
 * tui/replay.c: the playback engine (replay.h).
 *
 * The source's events are copied once into one array in time order (at
 * equal times in arrival order: the timeline's one tie rule, so the view
 * of a replay folds them as it folds the source).  The clock is the
 * session time shown; playing moves it by the wall time passed times the
 * speed, and every event at or before it is
 * appended to the view's recorder, with each run's start and end as the
 * clock passes them.  Threads: the live view's only.
 *
 * Opened on a file (gt_replay_open), the replay reads it on a thread of
 * its own, so that the live view shows its first frame at once, labelled
 * as loading, instead of after the whole import (issue 14: a 1 M-event
 * file took 2 s to the first picture).  Until the file is read the view's
 * recorder is an empty one; the live view's thread finds the reading
 * done at its next clock call (poll_load) and builds the replay then.
 * The reading thread touches only its own recorder and report, and the
 * progress counters, which are atomic.
 */
#include "replay.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base.h"
#include "chrome.h"

#define MIN_SPEED 0.125
#define MAX_SPEED 64.0

struct gt_replay {
  /* gt_replay_open(): the reading of the file */
  const char         *path;     /* borrowed from the caller */
  pthread_t           loader;
  int                 loading;  /* 1: the thread runs or is not joined */
  int                 owns_src; /* 1: src is the replay's to free */
  atomic_int          load_done;     /* 1: the thread has finished */
  atomic_int          load_stop;     /* 1: stop reading (freed) */
  _Atomic uint64_t    load_bytes, load_total;
  int                 load_rc;       /* the import's return */
  void              (*on_load)(struct gt_replay *, void *);
  void               *on_load_arg;
  int                 play_on_load;  /* 1: play once read (a pause key
                                        pressed while loading) */
  char               *load_cause;    /* its message, until taken */
  struct gt_import_report load_rep;
  struct gt_recorder *src;
  struct gt_event    *ev;       /* every event, in time order */
  size_t              n;
  struct gt_run_info *runs;     /* as the source has them */
  uint16_t            nruns;
  int                *started, *ended;  /* per run: given to rec yet */
  struct gt_recorder *rec;      /* what the view reads */
  struct gt_recorder *old;      /* the one before, freed at the next swap */
  size_t              pos;      /* events given to rec */
  uint64_t            t0;       /* the session's origin */
  uint64_t            first, last;  /* the first and last times */
  uint64_t            clock;    /* the time shown, absolute ns */
  uint64_t            wall_at;  /* wall time the clock was last moved */
  double              speed;
  int                 playing;
};

/* Time order; equal times keep arrival order (the copy is in arrival
 * order and merge sort is stable). */
static int
cmp_event(const void *a, const void *b)
{
  const struct gt_event *x = a, *y = b;

  if (x->ts_ns != y->ts_ns)
    return x->ts_ns < y->ts_ns ? -1 : 1;
  return 0;
}

/* Stable merge sort of n events (qsort is not stable): the fallback of
 * copy_sorted() for a source of very many sorted stretches. */
static void
sort_events(struct gt_event *ev, size_t n)
{
  struct gt_event *tmp;
  size_t width, i, l, m, h, a, b, k;

  if (n < 2)
    return;
  tmp = gt_xmalloc(n * sizeof(*tmp));
  for (width = 1; width < n; width *= 2) {
    for (i = 0; i < n; i += 2 * width) {
      l = i;
      m = i + width < n ? i + width : n;
      h = i + 2 * width < n ? i + 2 * width : n;
      for (a = l, b = m, k = l; k < h; k++)
        tmp[k] = a < m && (b >= h || cmp_event(&ev[b], &ev[a]) >= 0)
            ? ev[a++] : ev[b++];
    }
    memcpy(ev, tmp, n * sizeof(*ev));
  }
  free(tmp);
}

#define MAX_STRETCHES 4096u  /* sorted stretches merged by the heap */
#define STRETCH_BUF   64u    /* events a stretch's cursor reads at a time */

/* One sorted stretch of the source being merged: the events from pos to
 * end, the next few of them read into buf. */
struct stretch {
  size_t pos, end;        /* source indexes: the next one not yet in buf,
                             and one past its last */
  size_t at, len;         /* buf[at..len) are its next events */
  struct gt_event *buf;
};

/* Does stretch a's next event come before b's?  By time, then by source
 * index (arrival): the sort is stable. */
static int
stretch_before(const struct stretch *a, const struct stretch *b)
{
  const struct gt_event *x = &a->buf[a->at], *y = &b->buf[b->at];

  if (x->ts_ns != y->ts_ns)
    return x->ts_ns < y->ts_ns;
  return a->pos - a->len + a->at < b->pos - b->len + b->at;
}

/* Restore the heap order of h[0..n) below slot i. */
static void
stretch_sift(struct stretch **h, size_t n, size_t i)
{
  struct stretch *x = h[i];
  size_t k;

  for (; (k = 2 * i + 1) < n; i = k) {
    if (k + 1 < n && stretch_before(h[k + 1], h[k]))
      k++;
    if (!stretch_before(h[k], x))
      break;
    h[i] = h[k];
  }
  h[i] = x;
}

/* Read the next events of stretch s; 0 when it has none left. */
static int
stretch_fill(struct gt_recorder *src, struct stretch *s)
{
  size_t want = s->end - s->pos < STRETCH_BUF ? s->end - s->pos
      : STRETCH_BUF;

  s->at = 0;
  s->len = want > 0 ? gt_recorder_read(src, s->pos, s->buf, want) : 0;
  s->pos += s->len;
  return s->len > 0;
}

/* Every event of src, n of them, into ev in time order (equal times in
 * arrival order).  An imported trace comes thread by thread, each in time
 * order: a few long sorted stretches.  They are found in one pass and
 * merged straight from the source with a heap, no second copy of the
 * events and log(stretches) compares an event (issue 14: the first frame
 * of a big replay waited for a merge sort of every event through a copy
 * as big).  With more than MAX_STRETCHES of them, a plain merge sort. */
static size_t
copy_sorted(struct gt_recorder *src, struct gt_event *ev, size_t n)
{
  struct stretch *st = NULL, **h;
  struct gt_event *bufs;
  size_t nst = 0, i, got, k, out = 0;
  uint64_t prev = 0;

  /* the stretches: a new one wherever time goes back */
  st = gt_xmalloc(MAX_STRETCHES * sizeof(*st));
  for (i = 0; i < n; i += got) {
    got = gt_recorder_read(src, i, ev, n - i < 65536 ? n - i : 65536);
    if (got == 0)
      break;
    for (k = 0; k < got; k++) {
      if (i + k == 0 || ev[k].ts_ns < prev) {
        if (nst == MAX_STRETCHES) {
          free(st);
          got = gt_recorder_read(src, 0, ev, n);
          sort_events(ev, got);
          return got;
        }
        if (nst > 0)
          st[nst - 1].end = i + k;
        st[nst++] = (struct stretch){ .pos = i + k };
      }
      prev = ev[k].ts_ns;
    }
  }
  n = i;
  if (nst > 0)
    st[nst - 1].end = n;
  bufs = gt_xmalloc((nst ? nst : 1) * STRETCH_BUF * sizeof(*bufs));
  h = gt_xmalloc((nst ? nst : 1) * sizeof(*h));
  for (i = k = 0; i < nst; i++) {
    st[i].buf = bufs + i * STRETCH_BUF;
    if (stretch_fill(src, &st[i]))
      h[k++] = &st[i];
  }
  for (i = k; i-- > 0; )
    stretch_sift(h, k, i);
  while (k > 0 && out < n) {
    ev[out++] = h[0]->buf[h[0]->at++];
    if (h[0]->at == h[0]->len && !stretch_fill(src, h[0]))
      h[0] = h[--k];
    if (k > 0)
      stretch_sift(h, k, 0);
  }
  free(h);
  free(bufs);
  free(st);
  return out;
}

/* A fresh recorder for the view, with the source's strings under the same
 * ids (interned in the same order: ids are given in turn, and a source's
 * strings are all different), its workload and settings (so that `i` and
 * `e` see them), and the runs but not yet their times. */
static struct gt_recorder *
fresh_recorder(struct gt_replay *r)
{
  struct gt_recorder *rec = gt_recorder_new();
  struct gt_run_info info;
  const char *text;
  uint32_t id;
  uint16_t i;

  gt_recorder_set_t0(rec, r->t0);
  for (id = 1; (text = gt_recorder_string(r->src, id))[0] != '\0'; id++)
    if (gt_recorder_intern(rec, text) != id)
      abort();  /* not the source's order: a bug here */
  /* after the strings: the workload's name is one of them, same id */
  gt_recorder_set_workload(rec, gt_recorder_workload(r->src));
  gt_recorder_set_settings(rec, gt_recorder_settings(r->src));
  for (i = 0; i < r->nruns; i++) {
    info = r->runs[i];
    info.start_ns = info.end_ns = 0;
    gt_recorder_run_add(rec, &info);
    r->started[i] = r->ended[i] = 0;
  }
  return rec;
}

/* Give the view every event at or before the clock, and the runs' starts
 * and ends that the clock has passed. */
static void
feed(struct gt_replay *r)
{
  size_t k;
  uint16_t i;

  for (i = 0; i < r->nruns; i++) {
    if (!r->started[i] && r->runs[i].start_ns != 0
        && r->runs[i].start_ns <= r->clock) {
      gt_recorder_run_start(r->rec, i, r->runs[i].start_ns);
      r->started[i] = 1;
    }
    if (!r->ended[i] && r->runs[i].end_ns != 0
        && r->runs[i].end_ns <= r->clock) {
      gt_recorder_run_end(r->rec, i, r->runs[i].end_ns);
      r->ended[i] = 1;
    }
  }
  for (k = 0; r->pos + k < r->n && r->ev[r->pos + k].ts_ns <= r->clock;)
    k++;  /* then all at once */
  if (k > 0)
    gt_recorder_append_many(r->rec, r->ev + r->pos, k);
  r->pos += k;
}

/* Start over on a new recorder, filled up to the clock. */
static void
refill(struct gt_replay *r)
{
  if (r->old != NULL)
    gt_recorder_free(r->old);
  r->old = r->rec;
  r->rec = fresh_recorder(r);
  r->pos = 0;
  feed(r);
}

/* Build the playback of src into r: its events in time order, its runs,
 * the clock at the start, paused. */
static void
setup(struct gt_replay *r, struct gt_recorder *src)
{
  size_t got;
  uint16_t i;

  r->src = src;
  r->t0 = gt_recorder_t0(src);
  r->n = gt_recorder_count(src);
  r->ev = gt_xmalloc((r->n ? r->n : 1) * sizeof(*r->ev));
  got = copy_sorted(src, r->ev, r->n);
  r->n = got;
  r->nruns = gt_recorder_runs(src);
  r->runs = gt_xcalloc(r->nruns ? r->nruns : 1, sizeof(*r->runs));
  r->started = gt_xcalloc(r->nruns ? r->nruns : 1, sizeof(int));
  r->ended = gt_xcalloc(r->nruns ? r->nruns : 1, sizeof(int));
  r->first = r->n ? r->ev[0].ts_ns : r->t0;
  r->last = r->n ? r->ev[r->n - 1].ts_ns : r->t0;
  for (i = 0; i < r->nruns; i++) {
    gt_recorder_run_get(src, i, &r->runs[i]);
    if (r->runs[i].start_ns != 0 && r->runs[i].start_ns < r->first)
      r->first = r->runs[i].start_ns;
    if (r->runs[i].end_ns > r->last)
      r->last = r->runs[i].end_ns;
  }
  r->speed = 1.0;
  r->clock = r->first;
  r->rec = fresh_recorder(r);
  feed(r);
}

struct gt_replay *
gt_replay_new(struct gt_recorder *src)
{
  struct gt_replay *r = gt_xcalloc(1, sizeof(*r));

  setup(r, src);
  return r;
}

/* The import's progress, from the reading thread.  Returns 1 (stop) once
 * gt_replay_free() no longer wants the file. */
static int
load_progress(uint64_t done, uint64_t total, void *arg)
{
  struct gt_replay *r = arg;

  atomic_store(&r->load_bytes, done);
  atomic_store(&r->load_total, total);
  return atomic_load(&r->load_stop);
}

/* The reading thread: the whole import, into r's own source. */
static void *
load_main(void *arg)
{
  struct gt_replay *r = arg;

  r->load_rc = gt_chrome_import(r->src, r->path, &r->load_rep,
      load_progress, r, &r->load_cause);
  atomic_store(&r->load_done, 1);
  return NULL;
}

/* Once the reading thread has finished (or at once with wait): join it
 * and, when the file was read, build the playback; its view's recorder
 * replaces the empty one (which stays valid until the next
 * replacement, as after an action that goes back). */
static void
poll_load(struct gt_replay *r, int wait)
{
  struct gt_recorder *src;

  if (!r->loading || (!wait && !atomic_load(&r->load_done)))
    return;
  pthread_join(r->loader, NULL);
  r->loading = 0;
  if (r->load_rc != 0)
    return;  /* the view stays empty; gt_replay_loaded() says why */
  src = r->src;
  r->old = r->rec;
  setup(r, src);
  if (r->play_on_load) {
    r->playing = 1;
    r->wall_at = gt_now_ns();
  }
  if (r->on_load != NULL)
    r->on_load(r, r->on_load_arg);
}

void
gt_replay_on_load(struct gt_replay *r,
    void (*fn)(struct gt_replay *r, void *arg), void *arg)
{
  r->on_load = fn;
  r->on_load_arg = arg;
  if (r->path != NULL && !r->loading && r->load_rc == 0)
    fn(r, arg);  /* read already (there was no thread to read it) */
}

struct gt_replay *
gt_replay_open(const char *path)
{
  struct gt_replay *r = gt_xcalloc(1, sizeof(*r));
  struct stat sb;

  r->path = path;
  r->owns_src = 1;
  if (stat(path, &sb) == 0)  /* the size to say before the first chunk */
    atomic_store(&r->load_total, (uint64_t)sb.st_size);
  r->src = gt_recorder_new();
  r->rec = gt_recorder_new();  /* the view's, empty while loading */
  r->t0 = r->first = r->last = r->clock = gt_recorder_t0(r->rec);
  r->speed = 1.0;
  r->loading = 1;
  if (pthread_create(&r->loader, NULL, load_main, r) != 0) {
    load_main(r);  /* no thread to be had: read it here and now */
    r->loading = 0;
    if (r->load_rc == 0) {
      r->old = r->rec;
      setup(r, r->src);
    }
  }
  return r;
}

int
gt_replay_loading(struct gt_replay *r, uint64_t *done, uint64_t *total)
{
  poll_load(r, 0);
  *done = atomic_load(&r->load_bytes);
  *total = atomic_load(&r->load_total);
  return r->loading;
}

int
gt_replay_loaded(struct gt_replay *r, struct gt_import_report *rep,
    char **cause)
{
  poll_load(r, 1);
  if (rep != NULL)
    *rep = r->load_rep;
  if (r->load_rc != 0 && cause != NULL) {
    *cause = r->load_cause;
    r->load_cause = NULL;
  }
  return r->load_rc;
}

void
gt_replay_stop(struct gt_replay *r)
{
  atomic_store(&r->load_stop, 1);
}

int
gt_replay_failed(struct gt_replay *r)
{
  poll_load(r, 0);
  return !r->loading && r->load_rc != 0;
}

struct gt_recorder *
gt_replay_source(struct gt_replay *r)
{
  poll_load(r, 1);
  return r->src;
}

struct gt_recorder *
gt_replay_release(struct gt_replay *r)
{
  struct gt_recorder *src = gt_replay_source(r);

  r->owns_src = 0;
  gt_replay_free(r);
  return src;
}

void
gt_replay_free(struct gt_replay *r)
{
  if (r == NULL)
    return;
  gt_replay_stop(r);  /* a reading still going stops at its next chunk: */
  poll_load(r, 1);    /* wait for that */
  if (r->owns_src)
    gt_recorder_free(r->src);
  free(r->load_cause);
  gt_recorder_free(r->rec);
  gt_recorder_free(r->old);
  free(r->ev);
  free(r->runs);
  free(r->started);
  free(r->ended);
  free(r);
}

struct gt_recorder *
gt_replay_recorder(struct gt_replay *r)
{
  return r->rec;
}

uint64_t
gt_replay_clock(struct gt_replay *r, uint64_t wall_ns)
{
  poll_load(r, 0);
  if (r->playing && wall_ns > r->wall_at) {
    double step = (double)(wall_ns - r->wall_at) * r->speed;

    r->clock = (double)r->clock + step >= (double)r->last ? r->last
        : r->clock + (uint64_t)step;
    if (r->clock >= r->last)
      r->playing = 0;  /* the end: it stays there */
    feed(r);
  }
  r->wall_at = wall_ns;
  return r->clock;
}

/* The clock as "1.234 s" from the origin, into buf. */
static const char *
clock_text(const struct gt_replay *r, char *buf, size_t len)
{
  uint64_t ms = (r->clock - r->t0) / 1000000u;

  snprintf(buf, len, "%llu.%03llu s", (unsigned long long)(ms / 1000),
      (unsigned long long)(ms % 1000));
  return buf;
}

int
gt_replay_act(struct gt_replay *r, int action, uint64_t wall_ns, char *msg,
    size_t len)
{
  char at[32];
  size_t i;

  gt_replay_clock(r, wall_ns);
  if (r->loading) {  /* only play or pause means anything yet */
    if (action == GT_REPLAY_PAUSE)
      r->play_on_load = !r->play_on_load;
    snprintf(msg, len, "reading the file; %s once read",
        r->play_on_load ? "playing" : "paused");
    return 0;
  }
  switch (action) {
  case GT_REPLAY_PAUSE:
    if (!r->playing && r->clock >= r->last) {  /* at the end: again */
      r->clock = r->first;
      r->playing = 1;
      r->wall_at = wall_ns;
      refill(r);
      snprintf(msg, len, "playing from the start at %gx", r->speed);
      return 1;
    }
    r->playing = !r->playing;
    r->wall_at = wall_ns;
    if (r->playing)
      snprintf(msg, len, "playing at %gx", r->speed);
    else
      snprintf(msg, len, "paused at %s", clock_text(r, at, sizeof(at)));
    return 0;
  case GT_REPLAY_SLOWER:
  case GT_REPLAY_FASTER:
    r->speed *= action == GT_REPLAY_FASTER ? 2 : 0.5;
    if (r->speed < MIN_SPEED)
      r->speed = MIN_SPEED;
    if (r->speed > MAX_SPEED)
      r->speed = MAX_SPEED;
    snprintf(msg, len, "speed %gx", r->speed);
    return 0;
  case GT_REPLAY_NEXT:
    if (r->playing) {
      snprintf(msg, len, "pause first (space) to step");
      return 0;
    }
    if (r->pos >= r->n) {
      snprintf(msg, len, "the last event: %s", clock_text(r, at,
          sizeof(at)));
      return 0;
    }
    r->clock = r->ev[r->pos].ts_ns;
    feed(r);
    snprintf(msg, len, "event %zu of %zu at %s", r->pos, r->n,
        clock_text(r, at, sizeof(at)));
    return 0;
  case GT_REPLAY_PREV:
    if (r->playing) {
      snprintf(msg, len, "pause first (space) to step");
      return 0;
    }
    /* the time of the events before the last one shown */
    for (i = r->pos; i > 0 && r->ev[i - 1].ts_ns >= r->clock; i--)
      ;
    if (r->pos == 0 || i == 0) {
      r->clock = r->first;
      refill(r);
      snprintf(msg, len, "the start");
      return 1;
    }
    r->clock = r->ev[i - 1].ts_ns;
    refill(r);
    snprintf(msg, len, "event %zu of %zu at %s", r->pos, r->n,
        clock_text(r, at, sizeof(at)));
    return 1;
  case GT_REPLAY_HOME:
    r->playing = 0;
    r->clock = r->first;
    refill(r);
    snprintf(msg, len, "the start, paused");
    return 1;
  case GT_REPLAY_END:
    r->playing = 0;
    r->clock = r->last;
    feed(r);
    snprintf(msg, len, "the end: %s", clock_text(r, at, sizeof(at)));
    return 0;
  }
  msg[0] = '\0';
  return 0;
}

int
gt_replay_playing(const struct gt_replay *r)
{
  return r->playing;
}

double
gt_replay_speed(const struct gt_replay *r)
{
  return r->speed;
}

size_t
gt_replay_shown(const struct gt_replay *r)
{
  return r->pos;
}

size_t
gt_replay_total(const struct gt_replay *r)
{
  return r->n;
}
