/*
 * trace/lanes.c: a timeline's task lanes copied out as interval arrays.
 *
 * A thin reader: the fold, the order of events and what each stretch is are
 * the timeline's (trace/timeline.c); this only walks each task lane once
 * with gt_timeline_next_interval().
 */
#include "lanes.h"

#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>

#include "base.h"

/* Bytes of a timeline's lanes freed between two malloc_trim() calls. */
#define TRIM_BYTES (2u << 20)

/* Copy tl's task lanes out, by run then task; when drop is tl (not
 * NULL), free each of its lanes once copied, and give what was freed back
 * to the system every TRIM_BYTES: glibc keeps a freed lane that came from
 * its heap (its threshold for mmap rises as big blocks are freed), so
 * without the trim the copy grew on top of the whole timeline after all
 * (issue 14: a foreign X file's headless replay peaked 11 B an event
 * higher). */
static int
lanes_copy(const struct gt_timeline *tl, struct gt_timeline *drop,
    struct gt_lanes *out)
{
  size_t r, i, n = 0, cur, freed = 0;
  struct gt_interval iv;

  memset(out, 0, sizeof(*out));
  for (r = 0; r < gt_timeline_runs(tl); r++)
    n += gt_timeline_run(tl, r)->ntask_lanes;
  out->lane = gt_xcalloc(n ? n : 1, sizeof(*out->lane));
  for (r = 0; r < gt_timeline_runs(tl); r++) {
    const struct gt_tl_run *p = gt_timeline_run(tl, r);

    for (i = 0; i < p->ntask_lanes; i++) {
      const struct gt_tl_lane *tll = gt_timeline_task_lane(tl, r, i);
      struct gt_lane *l = &out->lane[out->n++];
      size_t k = 0;

      l->run = tll->run;
      l->task = tll->key;
      l->name = tll->qname;
      l->finished = tll->finished;
      l->status = tll->status;
      l->error = tll->error;
      l->finish_ns = tll->finished ? tll->finish_ns : 0;
      l->first_ns = tll->first_ns;
      l->iv = gt_xmalloc((tll->ntr ? tll->ntr : 1) * sizeof(*l->iv));
      for (cur = 0; gt_timeline_next_interval(tl, tll, &cur, &iv); )
        l->iv[k++] = iv;
      l->niv = k;
      if (drop != NULL) {
        freed += tll->ntr * sizeof(*tll->tr);
        gt_timeline_drop_task_lane(drop, r, i);
        if (freed >= TRIM_BYTES) {
#ifdef __GLIBC__
          malloc_trim(0);
#endif
          freed = 0;
        }
      }
    }
  }
  if (gt_timeline_events(tl) > 0) {
    out->first_ns = gt_timeline_first(tl);
    out->last_ns = gt_timeline_last(tl);
  }
  return 0;
}

/* Copy tl's task lanes out, by run then task. */
int
gt_lanes_from(const struct gt_timeline *tl, struct gt_lanes *out)
{
  return lanes_copy(tl, NULL, out);
}

/* Copy them out and free tl's as they go (lanes.h). */
int
gt_lanes_take(struct gt_timeline *tl, struct gt_lanes *out)
{
  return lanes_copy(tl, tl, out);
}

/* Lanes of everything rec holds. */
int
gt_lanes_build(struct gt_recorder *rec, struct gt_lanes *out)
{
  struct gt_timeline *tl = gt_timeline_of(rec);
  int rc = gt_lanes_from(tl, out);

  gt_timeline_free(tl);
  return rc;
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
