/*
 * scheduler/handoff.c: the run thread's queue for a loop thread.
 */
#include "handoff.h"

#include <stdlib.h>

#include "base.h"

void
gt__handoff_init(struct gt_handoff *h, size_t cap, uv_async_t *kick)
{
  pthread_mutex_init(&h->lock, NULL);
  h->task = gt_xmalloc((cap ? cap : 1) * sizeof(*h->task));
  h->head = h->tail = 0;
  h->cap = cap;
  h->closed = 0;
  h->kick = kick;
}

void
gt__handoff_done(struct gt_handoff *h)
{
  pthread_mutex_destroy(&h->lock);
  free(h->task);
  h->task = NULL;
}

/* The caller pushes at most cap tasks: one per task of the run. */
void
gt__handoff_push(struct gt_handoff *h, size_t task)
{
  pthread_mutex_lock(&h->lock);
  if (h->tail == h->cap)
    abort();  /* more pushes than tasks: a bug in the caller */
  h->task[h->tail++] = task;
  pthread_mutex_unlock(&h->lock);
  uv_async_send(h->kick);
}

void
gt__handoff_close(struct gt_handoff *h)
{
  pthread_mutex_lock(&h->lock);
  h->closed = 1;
  pthread_mutex_unlock(&h->lock);
  uv_async_send(h->kick);
}

int
gt__handoff_take(struct gt_handoff *h, size_t *task)
{
  int got;

  pthread_mutex_lock(&h->lock);
  got = h->head < h->tail;
  if (got)
    *task = h->task[h->head++];
  pthread_mutex_unlock(&h->lock);
  return got;
}

int
gt__handoff_drained(struct gt_handoff *h)
{
  int done;

  pthread_mutex_lock(&h->lock);
  done = h->closed && h->head == h->tail;
  pthread_mutex_unlock(&h->lock);
  return done;
}
