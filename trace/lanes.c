/*
 * trace/lanes.c: events to per-task intervals.
 *
 * Two passes over the recorder: the first finds the lanes and counts their
 * events, the second copies each event into its lane's slice of one array.
 * A lane's events are then put in time order (they are almost always in it
 * already: one task's events come from one thread at a time) and walked as a
 * small state machine.  Cost is linear in events plus a sort of any lane
 * that arrived out of order.
 */
#include "lanes.h"

#include <stdlib.h>
#include <string.h>

#include "base.h"

#define READ_BLOCK 4096
#define NO_LANE    ((size_t)-1)

struct seq_event {
  struct gt_event ev;
  size_t seq;           /* arrival order inside the lane */
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

/* The lane index slot for (run, task), NO_LANE when it has none yet: a map
 * sized by the lanes there are, not by the largest task id. */
static size_t *
lane_slot(struct gt_idmap *map, uint16_t run, uint32_t task)
{
  return gt_idmap_slot(map, (uint64_t)run << 32 | task, NO_LANE);
}

/* Order by time, then by arrival.  At equal times a QUEUE comes first: it
 * is emitted by the submitting thread, whose events may be gathered after
 * the worker's. */
static int
cmp_seq_event(const void *a, const void *b)
{
  const struct seq_event *x = a, *y = b;
  int xq = x->ev.kind == GT_EV_QUEUE, yq = y->ev.kind == GT_EV_QUEUE;

  if (x->ev.ts_ns != y->ev.ts_ns)
    return x->ev.ts_ns < y->ev.ts_ns ? -1 : 1;
  if (xq != yq)
    return yq - xq;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Put n events in time order, keeping arrival order for equal times. */
static void
sort_events(struct gt_event *ev, size_t n)
{
  struct seq_event *tmp;
  size_t i;

  for (i = 1; i < n; i++)
    if (ev[i].ts_ns < ev[i - 1].ts_ns
        || (ev[i].ts_ns == ev[i - 1].ts_ns && ev[i].kind == GT_EV_QUEUE))
      break;
  if (i >= n)
    return;
  tmp = gt_xmalloc(n * sizeof(*tmp));
  for (i = 0; i < n; i++) {
    tmp[i].ev = ev[i];
    tmp[i].seq = i;
  }
  qsort(tmp, n, sizeof(*tmp), cmp_seq_event);
  for (i = 0; i < n; i++)
    ev[i] = tmp[i].ev;
  free(tmp);
}

/* Close the open interval *cur at t, keeping it when it has a length. */
static void
close_open(struct gt_lane *l, struct gt_interval *cur, uint64_t t)
{
  if (cur->state == 0)
    return;
  cur->end_ns = t;
  if (cur->end_ns > cur->start_ns)
    l->iv[l->niv++] = *cur;
  cur->state = 0;
}

/* Walk one lane's sorted events into intervals. */
static void
lane_fold(struct gt_lane *l, const struct gt_event *ev, size_t n,
    uint64_t end_ns)
{
  struct gt_interval cur = {0};
  size_t i;

  for (i = 0; i < n && !l->finished; i++) {
    const struct gt_event *e = &ev[i];

    close_open(l, &cur, e->ts_ns);
    cur.start_ns = e->ts_ns;
    cur.label = e->label;
    cur.worker = e->worker;
    cur.reason = GT_R_NONE;
    switch (e->kind) {
    case GT_EV_QUEUE:
      cur.state = GT_S_QUEUED;
      cur.worker = -1;
      if (l->name == 0)
        l->name = e->label;
      break;
    case GT_EV_START:
    case GT_EV_RESUME:
      cur.state = GT_S_RUNNING;
      break;
    case GT_EV_WAIT:
      cur.state = GT_S_WAITING;
      cur.reason = e->reason;
      break;
    case GT_EV_FINISH:
      l->finished = 1;
      l->status = e->status;
      l->error = e->status != 0 ? e->label : 0;
      l->finish_ns = e->ts_ns;
      break;
    }
  }
  close_open(l, &cur, end_ns > cur.start_ns ? end_ns : cur.start_ns);
}

/* Order lanes by run, then task. */
static int
cmp_lane(const void *a, const void *b)
{
  const struct gt_lane *x = a, *y = b;

  if (x->run != y->run)
    return x->run < y->run ? -1 : 1;
  return x->task < y->task ? -1 : x->task > y->task;
}

/* Build lanes from rec. */
int
gt_lanes_build(struct gt_recorder *rec, struct gt_lanes *out)
{
  struct gt_event *buf = gt_xmalloc(READ_BLOCK * sizeof(*buf));
  struct gt_event *all = NULL;
  struct gt_idmap map = { 0 };
  size_t at, n, i, total = 0, lanes_cap = 0;
  size_t *fill = NULL, *first = NULL;
  size_t *slot;
  struct gt_lane *l;
  int have_span = 0;    /* a time may be 0: it is no sign of "none yet" */

  memset(out, 0, sizeof(*out));
  /* Pass 1: find the lanes, count their events, and the session's span. */
  for (at = 0; (n = gt_recorder_read(rec, at, buf, READ_BLOCK)) > 0; at += n) {
    for (i = 0; i < n; i++) {
      slot = lane_slot(&map, buf[i].run, buf[i].task);
      if (*slot == NO_LANE) {
        if (out->n == lanes_cap) {
          lanes_cap = lanes_cap ? lanes_cap * 2 : 64;
          out->lane = gt_xrealloc(out->lane, lanes_cap * sizeof(*out->lane));
        }
        *slot = out->n;
        l = &out->lane[out->n++];
        memset(l, 0, sizeof(*l));
        l->run = buf[i].run;
        l->task = buf[i].task;
        l->first_ns = buf[i].ts_ns;
      }
      l = &out->lane[*slot];
      l->niv++;  /* counts events for now */
      if (buf[i].ts_ns < l->first_ns)
        l->first_ns = buf[i].ts_ns;
      if (!have_span || buf[i].ts_ns < out->first_ns)
        out->first_ns = buf[i].ts_ns;
      if (!have_span || buf[i].ts_ns > out->last_ns)
        out->last_ns = buf[i].ts_ns;
      have_span = 1;
    }
    total += n;
  }
  /* Pass 2: copy each event into its lane's slice, in arrival order.  Only
   * the events counted in pass 1 are taken, in case more arrived since. */
  all = gt_xmalloc((total ? total : 1) * sizeof(*all));
  gt_advise_huge(all, total * sizeof(*all));
  fill = gt_xcalloc(out->n ? out->n : 1, sizeof(*fill));
  first = gt_xcalloc(out->n ? out->n : 1, sizeof(*first));
  for (i = 0, at = 0; i < out->n; i++) {
    first[i] = at;
    at += out->lane[i].niv;
  }
  for (at = 0; at < total; at += n) {
    n = gt_recorder_read(rec, at, buf,
        total - at < READ_BLOCK ? total - at : READ_BLOCK);
    for (i = 0; i < n; i++) {
      slot = lane_slot(&map, buf[i].run, buf[i].task);
      all[first[*slot] + fill[*slot]++] = buf[i];
    }
  }
  /* Fold each lane; a lane needs at most one interval per event. */
  for (i = 0; i < out->n; i++) {
    l = &out->lane[i];
    n = l->niv;
    l->iv = gt_xmalloc((n ? n : 1) * sizeof(*l->iv));
    l->niv = 0;
    sort_events(all + first[i], n);
    lane_fold(l, all + first[i], n, out->last_ns);
  }
  if (out->n > 0)
    qsort(out->lane, out->n, sizeof(*out->lane), cmp_lane);

  gt_idmap_free(&map);
  free(fill);
  free(first);
  free(all);
  free(buf);
  return 0;
}

/* Free the lanes. */
void
gt_lanes_done(struct gt_lanes *l)
{
  size_t i;

  for (i = 0; i < l->n; i++)
    free(l->lane[i].iv);
  free(l->lane);
  memset(l, 0, sizeof(*l));
}
