/*
 * scheduler/handoff.h: task indexes handed from the run thread to a loop
 * thread (async, procs, hybrid): a locked queue and the loop's uv_async.
 * The run thread pushes and closes; the loop thread takes.  Not for other
 * folders.
 */
#ifndef GT_SCHEDULER_HANDOFF_H
#define GT_SCHEDULER_HANDOFF_H

#include <pthread.h>
#include <stddef.h>
#include <uv.h>

struct gt_handoff {
  pthread_mutex_t lock;    /* task, head, tail, closed */
  size_t         *task;
  size_t          head, tail, cap;
  int             closed;  /* no more pushes */
  uv_async_t     *kick;    /* rung after a push or the close */
};

/* Room for cap tasks; kick is the loop's (initialised by the caller). */
void gt__handoff_init(struct gt_handoff *h, size_t cap, uv_async_t *kick);
void gt__handoff_done(struct gt_handoff *h);

/* Run thread: queue a task, or say that no more come; both ring kick. */
void gt__handoff_push(struct gt_handoff *h, size_t task);
void gt__handoff_close(struct gt_handoff *h);

/* Loop thread: take the next task (1) or none is there (0); 1 when the
 * queue is closed and empty. */
int gt__handoff_take(struct gt_handoff *h, size_t *task);
int gt__handoff_drained(struct gt_handoff *h);

#endif
