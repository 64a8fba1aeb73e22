/*
 * scheduler/exec_threads.c: a pool of K pthreads taking tasks from one queue,
 * each with its own blocking I/O (one curl easy handle per thread, kept
 * alive between its tasks).  A task stays queued until a thread is free, so
 * with K < N the lanes show the pool's limit.  With --gil the CPU steps
 * share one emulated GIL (gil.h), so only one runs at a time.
 *
 * Threads: submit() runs on the run thread; workers block on the queue's
 * condition variable.  drain() closes the queue and joins every worker.
 */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>

#include "base.h"
#include "gil.h"

struct worker {
  struct threads_state *st;
  pthread_t             tid;
  int32_t               index;
  int                   started;
  struct gt_blocking_io io;
};

struct threads_state {
  struct gt_executor *ex;
  pthread_mutex_t     lock;
  pthread_cond_t      more;
  size_t             *queue;   /* task indexes; head..tail are waiting */
  size_t              head, tail;
  int                 closed;  /* no more submits: idle workers exit */
  struct gt_gil       gil;     /* --gil: ex->gil points here */
  struct worker      *w;
  unsigned            nw;
};

/* One thread per task, as in the article's ThreadPoolExecutor example. */
static unsigned
threads_default_workers(size_t ntasks)
{
  return ntasks > 0 ? (unsigned)ntasks : 1;
}

/* Take the next task, waiting while the queue is empty and open; returns 0
 * when there is none left. */
static int
queue_take(struct threads_state *st, size_t *task)
{
  int got = 0;

  pthread_mutex_lock(&st->lock);
  while (st->head == st->tail && !st->closed)
    pthread_cond_wait(&st->more, &st->lock);
  if (st->head < st->tail) {
    *task = st->queue[st->head++];
    got = 1;
  }
  pthread_mutex_unlock(&st->lock);
  return got;
}

/* A worker: run tasks until the queue is closed and empty. */
static void *
worker_main(void *arg)
{
  struct worker *w = arg;
  size_t task;

  while (queue_take(w->st, &task))
    gt__task_run_blocking(&w->io, task, w->index);
  return NULL;
}

/* Start K workers.  A thread the machine cannot start (the process limit,
 * memory) narrows the pool to the ones started, and says so; with none
 * started, the run's start ends with the error. */
static int
threads_start(struct gt_executor *ex, char **cause)
{
  struct threads_state *st = gt_xcalloc(1, sizeof(*st));
  unsigned i;
  int rc = 0;

  st->ex = ex;
  pthread_mutex_init(&st->lock, NULL);
  pthread_cond_init(&st->more, NULL);
  st->queue = gt_xmalloc((ex->ntasks ? ex->ntasks : 1) * sizeof(size_t));
  st->nw = ex->workers;
  st->w = gt_xcalloc(st->nw, sizeof(*st->w));
  ex->impl = st;
  gt__gil_init(&st->gil, ex->switch_ms);
  if (ex->gil_on)
    ex->gil = &st->gil;
  for (i = 0; i < st->nw && rc == 0; i++) {
    st->w[i].st = st;
    st->w[i].index = (int32_t)i;
    rc = gt__io_blocking_init(&st->w[i].io, ex, cause);
    if (rc != 0)
      break;
    rc = -pthread_create(&st->w[i].tid, NULL, worker_main, &st->w[i]);
    if (rc != 0 && i > 0) {
      gt__narrowed(ex, i, "thread creation: started %u of %u threads (%s); "
          "the run goes on with %u", i, st->nw, gt_strerror(rc), i);
      rc = 0;
      break;
    }
    if (rc != 0)
      gt_set_cause(cause, "thread creation: cannot start thread 1 of %u: "
          "%s", st->nw, gt_strerror(rc));
    else
      st->w[i].started = 1;
  }
  if (rc != 0) {
    ex->ops->drain(ex);
    ex->ops->stop(ex);
  }
  return rc;
}

/* Queue a task and wake one worker. */
static void
threads_submit(struct gt_executor *ex, size_t task)
{
  struct threads_state *st = ex->impl;

  pthread_mutex_lock(&st->lock);
  st->queue[st->tail++] = task;
  pthread_cond_signal(&st->more);
  pthread_mutex_unlock(&st->lock);
}

/* Close the queue and wait for every worker to finish its last task. */
static void
threads_drain(struct gt_executor *ex)
{
  struct threads_state *st = ex->impl;
  unsigned i;

  pthread_mutex_lock(&st->lock);
  st->closed = 1;
  pthread_cond_broadcast(&st->more);
  pthread_mutex_unlock(&st->lock);
  for (i = 0; i < st->nw; i++) {
    if (st->w[i].started)
      pthread_join(st->w[i].tid, NULL);
    st->w[i].started = 0;
  }
}

/* Free the pool (workers are joined by drain). */
static void
threads_stop(struct gt_executor *ex)
{
  struct threads_state *st = ex->impl;
  unsigned i;

  for (i = 0; i < st->nw; i++)
    gt__io_blocking_done(&st->w[i].io);
  pthread_mutex_destroy(&st->lock);
  pthread_cond_destroy(&st->more);
  gt__gil_done(&st->gil);
  ex->gil = NULL;
  free(st->queue);
  free(st->w);
  free(st);
  ex->impl = NULL;
}

const struct gt_executor_ops gt__exec_threads = {
  .name = "threads",
  .traits = GT_MODE_WORKERS | GT_MODE_GIL,
  .default_workers = threads_default_workers,
  .fds_per_worker = 2,  /* its blocking easy handle's wake-up pair */
  .start = threads_start,
  .submit = threads_submit,
  .drain = threads_drain,
  .stop = threads_stop,
};
