/*
 * scheduler/exec_sync.c: one task after another, on the thread that called
 * gt_run_exec(), with blocking I/O.  The article's synchronous version.
 */
#include "internal.h"

#include <stdlib.h>

#include "base.h"

struct sync_state {
  struct gt_blocking_io io;
  size_t *order;        /* submitted task indexes */
  size_t  n;
};

/* Width 1, whatever the task count. */
static unsigned
sync_default_workers(size_t ntasks)
{
  (void)ntasks;
  return 1;
}

/* Make the one easy handle. */
static int
sync_start(struct gt_executor *ex, char **cause)
{
  struct sync_state *st = gt_xcalloc(1, sizeof(*st));
  int rc;

  rc = gt__io_blocking_init(&st->io, ex, cause);
  if (rc != 0) {
    free(st);
    return rc;
  }
  st->order = gt_xmalloc((ex->ntasks ? ex->ntasks : 1) * sizeof(size_t));
  ex->impl = st;
  return 0;
}

/* Remember the task; nothing runs until drain. */
static void
sync_submit(struct gt_executor *ex, size_t task)
{
  struct sync_state *st = ex->impl;

  st->order[st->n++] = task;
}

/* Run every task in submission order. */
static void
sync_drain(struct gt_executor *ex)
{
  struct sync_state *st = ex->impl;
  size_t i;

  for (i = 0; i < st->n; i++)
    gt__task_run_blocking(&st->io, st->order[i], 0);
}

/* Free the handle. */
static void
sync_stop(struct gt_executor *ex)
{
  struct sync_state *st = ex->impl;

  gt__io_blocking_done(&st->io);
  free(st->order);
  free(st);
  ex->impl = NULL;
}

const struct gt_executor_ops gt__exec_sync = {
  .name = "sync",
  .traits = GT_MODE_BASELINE,
  .default_workers = sync_default_workers,
  .fds_per_worker = 2,  /* its blocking easy handle's wake-up pair */
  .max_workers = 1,
  .start = sync_start,
  .submit = sync_submit,
  .drain = sync_drain,
  .stop = sync_stop,
};
