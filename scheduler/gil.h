/*
 * scheduler/gil.h: an emulation of CPython's global interpreter lock for
 * the threads mode (--gil).  A CPU step runs only while its thread holds
 * the lock; blocking I/O releases it.  A thread that wants it waits one
 * switch interval, then asks the holder to drop it; the holder does at its
 * next checkpoint and waits until another thread has taken it (CPython's
 * forced switching, ceval_gil.c).  Not for other folders.
 */
#ifndef GT_SCHEDULER_GIL_H
#define GT_SCHEDULER_GIL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

struct gt_gil {
  pthread_mutex_t mu;
  pthread_cond_t  released;     /* the lock came free */
  pthread_cond_t  switched;     /* another thread took it */
  int             locked;
  unsigned        waiters;
  uint64_t        switches;     /* times the lock changed hands */
  atomic_int      drop_request; /* a waiter has waited a whole interval */
  uint64_t        interval_ns;
};

void gt__gil_init(struct gt_gil *g, unsigned switch_ms);
void gt__gil_done(struct gt_gil *g);

/* Take the lock.  When it is held, on_wait(arg) is called once before
 * waiting; returns 1 then, 0 when the lock was free. */
int gt__gil_take(struct gt_gil *g, void (*on_wait)(void *), void *arg);

/* Release it; forced: wait until another thread has taken it. */
void gt__gil_drop(struct gt_gil *g, int forced);

/* 1 when a waiter has asked the holder to let go. */
int gt__gil_drop_requested(struct gt_gil *g);

#endif
