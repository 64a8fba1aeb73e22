/*
 * scheduler/exec_procs.c: the process modes, the article's multiprocessing
 * versions.
 *
 *   procs   K worker processes; each runs one task at a time with the sync
 *           executor's blocking I/O.  A task waits in the queue here until
 *           a worker is free, as with a multiprocessing.Pool.
 *   hybrid  K worker processes, each running the async executor.  With no
 *           --limit every worker is handed ceil(N / K) tasks at once, the
 *           article's even split of the pages; with --limit L each worker's
 *           loop has at most L out at once (the article's processes each
 *           awaited their pages one at a time: L = 1), and a worker gets
 *           the next queued task when one of its own finishes.
 *
 * Workers are gantty itself started with uv_spawn as `gantty __worker`
 * (worker.c): no fork() of this threaded process.  Each has a pipe on its
 * stdin for SETUP, TASK, CANCEL and CLOSE, and one on its stdout for its
 * events (wire.h).  Their events are appended to the session's recorder as
 * they arrive, with the run's id, the session's label ids and the worker's
 * pid as `worker`; timestamps need nothing: CLOCK_MONOTONIC is the
 * machine's.
 *
 * The workers are started on the loop's thread, one a loop turn, and each
 * gets tasks as soon as it is there: the first task does not wait for the
 * last worker's start, and the lanes show tasks queued until then.  A
 * worker the machine cannot start (the process limit, memory) ends the
 * starting (so does less than SPAWN_MEM_MIN_MB of memory available), and
 * one that cannot start its own threads says so (NORES) and exits having
 * run nothing, its tasks going back to the queue: the run goes on with the
 * ones up and says so (gt__narrowed); with none, every task fails with the
 * reason.
 *
 * A worker that dies: once both its exit and the end of its events are
 * seen, every task it held finishes with an error naming the worker and the
 * signal or exit status, and the queue goes on to the workers left (or
 * fails, if none is).  A worker that stops (SIGSTOP, a deadlock) cannot
 * time out by itself: one that holds a task past what the task's steps may
 * take (--timeout-ms a request) plus STUCK_MARGIN_MS, and that neither
 * runs nor uses CPU over that margin, is killed, and its tasks fail with
 * that reason.  A stop sends CANCEL; a worker that has not finished
 * KILL_AFTER_MS later is killed.  libuv reaps every child: no zombies.
 *
 * Threads: submit() and drain() run on the run thread and hand over
 * through a gt_handoff; everything else runs on the loop's own thread.
 */
#define _GNU_SOURCE
#include "internal.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "base.h"
#include "handoff.h"
#include "wire.h"

#define CANCEL_CHECK_MS 20
#define KILL_AFTER_MS   2000   /* after CANCEL, a worker still there dies */
#define READ_BATCH      256    /* events appended to the recorder at once */
#define WATCH_MS        250    /* how often held tasks are looked at */
#define STUCK_MARGIN_MS 2000   /* past a task's time, and with no sign of
                                  life for as long, its worker is stuck */
#define SPAWN_MEM_MIN_MB 256   /* no more workers below this much memory
                                  available (root is not bound by
                                  RLIMIT_NPROC: a fork storm would end in
                                  the OOM killer) */
#define MAX_LABEL_ID    (1u << 22)  /* a worker's string ids stay below (the
                                       recorder's own limit) */

struct procs_state;

/* One worker process. */
struct child {
  struct procs_state *st;
  unsigned            index;
  uv_process_t        proc;
  uv_pipe_t           in;        /* its stdin: our commands */
  uv_pipe_t           out;       /* its stdout: its events */
  int                 pid;
  int                 spawned;
  int                 alive;     /* spawned, and not yet both of: */
  int                 exited;    /*   its exit seen */
  int                 eof;       /*   the end of its events seen */
  int64_t             status;
  int                 signal;
  int                 closed;    /* CLOSE sent */
  int                 broken;    /* it sent what it should not: killed, and
                                    nothing more it sends is read */
  unsigned            held;      /* tasks handed to it, not finished */
  unsigned            cap;       /* tasks it may hold at once */
  char               *rbuf;      /* bytes of a record not complete yet */
  size_t              rlen, rcap;
  uint32_t           *label;     /* its string ids -> the session's */
  size_t              nlabel;
  char               *error;     /* what it said before it failed */
  char               *stuck;     /* why the watchdog killed it, or NULL */
  int                 nores;     /* it could not start its threads and
                                    ran nothing (GT_W_NORES) */
  uint64_t            cpu;       /* its CPU ticks at cpu_ns */
  uint64_t            cpu_ns;    /* when cpu was read, or when it last ran */
  uint64_t            over_ns;   /* this look: how far its worst task is
                                    past its time, 0 if none is */
  size_t              over_task; /* that task */
};

struct procs_state {
  struct gt_executor *ex;
  int                 loops;     /* each worker runs an event loop, many
                                    tasks at once (hybrid) */
  uv_loop_t           loop;
  uv_thread_t         thread;
  uv_async_t          kick;
  uv_timer_t          cancel_timer;
  uv_timer_t          kill_timer;
  uv_timer_t          watch_timer;  /* looks for stuck workers */
  uv_idle_t           spawner;   /* starts a worker a loop turn */
  struct gt_handoff   in;        /* submitted tasks */
  struct child       *kids;
  unsigned            nkids, nalive;
  unsigned            next_spawn;  /* the next worker to start */
  unsigned            nspawned;  /* workers started */
  int                 spawning;  /* 1 until every worker was tried */
  int                 spawn_rc;  /* the first start that failed, or 0 */
  unsigned            nnores;    /* workers that could not start their
                                    threads (GT_W_NORES) */
  size_t             *retry;     /* tasks back in the queue, before the
                                    handoff's: their worker ran nothing */
  size_t              nretry;
  char                exe[4096]; /* gantty's own executable */
  uint64_t           *since_ns;  /* task -> when it was handed out */
  uint64_t           *budget_ns; /* task -> how long its steps may take */
  unsigned            next_kid;  /* where the hand-out looks first */
  int32_t            *holder;    /* task -> child index, -1: none */
  int32_t            *ended_by;  /* task -> the child that sent its
                                    FINISH, -1: none */
  size_t              in_flight;
  int                 cancelled;
  int                 closing;
  char               *last_death;  /* why the last worker went */
  struct gt_wbuf      setup;     /* the SETUP record every child gets */
  struct gt_event     batch[READ_BATCH];
  size_t              nbatch;
};

static void pump(struct procs_state *st);
static void say_width(struct procs_state *st);

/* As many workers as cores, as multiprocessing.Pool() does. */
static unsigned
procs_default_workers(size_t ntasks)
{
  long n = sysconf(_SC_NPROCESSORS_ONLN);

  (void)ntasks;
  return n > 0 ? (unsigned)n : 1;
}

/* Free a write request and its bytes. */
static void
on_written(uv_write_t *req, int status)
{
  (void)status;  /* a worker that died: its exit says so */
  free(req);
}

/* Send a record to a worker. */
static void
child_send(struct child *c, uint32_t type, const void *payload, size_t len)
{
  uv_write_t *req;
  uv_buf_t buf;
  uint32_t h[2] = { type, (uint32_t)len };

  if (!c->alive || c->exited || uv_is_closing((uv_handle_t *)&c->in))
    return;
  req = gt_xmalloc(sizeof(*req) + sizeof(h) + len);
  memcpy(req + 1, h, sizeof(h));
  if (len > 0)
    memcpy((char *)(req + 1) + sizeof(h), payload, len);
  buf = uv_buf_init((char *)(req + 1), (unsigned)(sizeof(h) + len));
  if (uv_write(req, (uv_stream_t *)&c->in, &buf, 1, on_written) != 0)
    free(req);
}

/* Append the events gathered so far. */
static void
flush_batch(struct procs_state *st)
{
  if (st->nbatch > 0)
    gt_recorder_append_many(st->ex->rec, st->batch, st->nbatch);
  st->nbatch = 0;
}

/* Finish task here, for a worker that cannot: on the worker that held it
 * (its lane ends there too), or -1 for one never handed out. */
static void
fail_task(struct procs_state *st, size_t task, int rc, const char *why,
    int32_t worker)
{
  struct gt_executor *ex = st->ex;

  gt__emit(ex, task, GT_EV_FINISH, GT_R_NONE, gt_recorder_intern(ex->rec,
      why), rc, worker);
}

/* A task ended in a worker: it is free for another. */
static void
task_done(struct procs_state *st, size_t task)
{
  int32_t k = st->holder[task];

  if (k < 0)
    return;
  st->holder[task] = -1;
  st->kids[k].held--;
  st->in_flight--;
}

/* A worker sent something it should not have: end it, and read nothing
 * more from it. */
static void
child_broken(struct child *c, const char *what)
{
  if (c->error == NULL)
    c->error = gt_xasprintf("sent %s", what);
  c->broken = 1;
  if (!c->exited)
    uv_process_kill(&c->proc, SIGKILL);
}

/* Take one whole record from a worker. */
static void
child_record(struct child *c, uint32_t type, const char *p, uint32_t len)
{
  struct procs_state *st = c->st;
  struct gt_executor *ex = st->ex;
  struct gt_event ev;
  uint32_t id;

  switch (type) {
  case GT_W_STR:
    if (len < sizeof(id)) {
      child_broken(c, "a label record too short");
      return;
    }
    memcpy(&id, p, sizeof(id));
    if (id == 0 || id >= MAX_LABEL_ID) {
      child_broken(c, "a label id out of range");
      return;
    }
    if (id >= c->nlabel) {
      size_t n = c->nlabel ? c->nlabel : 256;

      while (n <= id)
        n *= 2;
      c->label = gt_xrealloc(c->label, n * sizeof(*c->label));
      memset(c->label + c->nlabel, 0, (n - c->nlabel) * sizeof(*c->label));
      c->nlabel = n;
    }
    {
      char *text = gt_xmalloc(len - sizeof(id) + 1);

      memcpy(text, p + sizeof(id), len - sizeof(id));
      text[len - sizeof(id)] = '\0';
      c->label[id] = gt_recorder_intern(ex->rec, text);
      free(text);
    }
    return;
  case GT_W_EVS:
    if (len == 0 || len % sizeof(ev) != 0) {
      child_broken(c, "events of the wrong size");
      return;
    }
    for (; len > 0; p += sizeof(ev), len -= (uint32_t)sizeof(ev)) {
      memcpy(&ev, p, sizeof(ev));
      /* A task's events come from the worker holding it; one of them may
       * come after its FINISH from the worker that sent that FINISH: a
       * worker's threads append to its recorder in chunks of their own,
       * so a pool thread's last WAIT can be read after the loop's FINISH
       * (it is placed by its time; nothing at or after the FINISH
       * counts). */
      if (ev.task >= ex->ntasks || (st->holder[ev.task] != (int32_t)c->index
          && !(st->ended_by[ev.task] == (int32_t)c->index
              && ev.kind != GT_EV_FINISH))
          || (ev.label != 0 && (ev.label >= c->nlabel
              || c->label[ev.label] == 0))) {
        child_broken(c, "an event for a task or label it does not hold");
        return;
      }
      ev.label = ev.label != 0 ? c->label[ev.label] : 0;
      ev.run = ex->run;
      ev.worker = c->pid;
      /* the child's clock is ours (CLOCK_MONOTONIC), but its stamps may
       * equal the QUEUE's: after it, as for a thread's events */
      if (ev.kind != GT_EV_QUEUE)
        ev.ts_ns = gt__after_queue(ex, ev.ts_ns);
      st->batch[st->nbatch++] = ev;
      if (st->nbatch == READ_BATCH)
        flush_batch(st);
      if (ev.kind == GT_EV_FINISH) {
        st->ended_by[ev.task] = (int32_t)c->index;
        task_done(st, ev.task);
      }
    }
    return;
  case GT_W_NORES:  /* as ERR, and its tasks can go to another */
  case GT_W_ERR:
    c->nores |= type == GT_W_NORES;
    free(c->error);
    c->error = gt_xmalloc((size_t)len + 1);
    memcpy(c->error, p, len);
    c->error[len] = '\0';
    return;
  default:
    child_broken(c, "a record of an unknown type");
  }
}

/* Room for a read. */
static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
  struct child *c = h->data;

  if (c->rcap - c->rlen < suggested) {
    c->rcap = c->rlen + suggested;
    c->rbuf = gt_xrealloc(c->rbuf, c->rcap);
  }
  *buf = uv_buf_init(c->rbuf + c->rlen, (unsigned)(c->rcap - c->rlen));
}

static void child_end(struct child *c);

/* A worker's events arrived, or its stdout ended. */
static void
on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
  struct child *c = s->data;
  size_t off = 0;
  uint32_t h[2];

  (void)buf;
  if (n < 0) {
    c->eof = 1;
    uv_close((uv_handle_t *)&c->out, NULL);
    if (!c->exited)  /* it can no longer report: no use running */
      uv_process_kill(&c->proc, SIGKILL);
    child_end(c);
    return;
  }
  c->rlen += (size_t)n;
  while (!c->broken && c->rlen - off >= sizeof(h)) {
    memcpy(h, c->rbuf + off, sizeof(h));
    if (h[1] > GT_WIRE_MAX) {
      child_broken(c, "a record too long");
      off = c->rlen;
      break;
    }
    if (c->rlen - off - sizeof(h) < h[1])
      break;  /* the rest comes with the next read */
    child_record(c, h[0], c->rbuf + off + sizeof(h), h[1]);
    off += sizeof(h) + h[1];
  }
  if (c->broken)
    off = c->rlen;  /* what follows a broken record is not read */
  memmove(c->rbuf, c->rbuf + off, c->rlen - off);
  c->rlen -= off;
  flush_batch(c->st);
  pump(c->st);
}

/* Why a worker went, in words. */
static char *
death_cause(const struct child *c)
{
  char *how, *why;

  if (c->stuck != NULL)
    return gt_xstrdup(c->stuck);
  if (c->signal != 0)
    how = gt_xasprintf("killed by signal %d (%s)", c->signal,
        strsignal(c->signal));
  else if (c->status != 0)
    how = gt_xasprintf("exited with status %lld", (long long)c->status);
  else
    how = gt_xstrdup("exited before it finished its tasks");
  why = gt_xasprintf("worker %d %s%s%s", c->pid, how,
      c->error != NULL ? ": " : "", c->error != NULL ? c->error : "");
  free(how);
  return why;
}

/* Once both the exit and the end of the events are in: the tasks the
 * worker still held end with the reason, the others go on. */
static void
child_end(struct child *c)
{
  struct procs_state *st = c->st;
  char *why;
  size_t t;

  if (!c->alive || !c->exited || !c->eof)
    return;
  c->alive = 0;
  st->nalive--;
  if (!uv_is_closing((uv_handle_t *)&c->in))
    uv_close((uv_handle_t *)&c->in, NULL);
  if (c->nores && c->stuck == NULL) {
    /* it could not start its threads and ran nothing: its tasks go back
     * to the queue, and the run is one worker narrower */
    for (t = 0; t < st->ex->ntasks; t++)
      if (st->holder[t] == (int32_t)c->index) {
        task_done(st, t);
        st->retry[st->nretry++] = t;
      }
    free(st->last_death);
    st->last_death = death_cause(c);
    st->nnores++;
    say_width(st);
  } else if (c->held > 0 || c->signal != 0 || c->status != 0) {
    why = death_cause(c);
    for (t = 0; t < st->ex->ntasks; t++)
      if (st->holder[t] == (int32_t)c->index) {
        task_done(st, t);
        fail_task(st, t, st->cancelled ? GT_ECANCELED : GT_EWORKER, why,
            c->pid);
      }
    free(st->last_death);
    st->last_death = why;
  }
  pump(st);
}

/* A worker exited. */
static void
on_exit_cb(uv_process_t *p, int64_t status, int signal)
{
  struct child *c = p->data;

  c->exited = 1;
  c->status = status;
  c->signal = signal;
  uv_close((uv_handle_t *)&c->proc, NULL);
  child_end(c);
}

/* The next queued task: one given back first. */
static int
take_task(struct procs_state *st, size_t *task)
{
  if (st->nretry > 0) {
    *task = st->retry[--st->nretry];
    return 1;
  }
  return gt__handoff_take(&st->in, task);
}

/* No task is queued, and none will be. */
static int
queue_drained(struct procs_state *st)
{
  return st->nretry == 0 && gt__handoff_drained(&st->in);
}

/* Once the starting is over, and again when a worker could not start its
 * threads: a run narrower than asked says so; with no worker up, the run
 * fails with the reason (its tasks fail in pump). */
static void
say_width(struct procs_state *st)
{
  struct gt_executor *ex = st->ex;
  unsigned up = st->nspawned - st->nnores, k, per;
  const char *why = st->spawn_rc != 0 ? uv_strerror(st->spawn_rc)
      : "a worker could not start its threads";

  if (st->spawning || (st->spawn_rc == 0 && st->nnores == 0))
    return;
  if (up > 0) {
    gt__narrowed(ex, up, "process spawning: started %u of %u worker "
        "processes (%s); the run goes on with %u", up, st->nkids, why, up);
    if (st->loops && ex->limit == 0) {  /* the even share, of fewer */
      per = (unsigned)((ex->ntasks + up - 1) / up);
      for (k = 0; k < st->nkids; k++)
        st->kids[k].cap = per;
    }
  } else if (ex->late_rc == 0) {
    ex->late_rc = st->spawn_rc != 0 ? st->spawn_rc : UV_EAGAIN;
    ex->late_cause = gt_xasprintf("process spawning: cannot start worker "
        "processes (%s): %s", st->exe, why);
    if (st->last_death == NULL)
      st->last_death = gt_xstrdup(ex->late_cause);
  }
}

/* The worker that takes the next task: the first with room after the last
 * one served, so that hand-outs go round. */
static struct child *
pick(struct procs_state *st)
{
  unsigned i, k;

  for (i = 0; i < st->nkids; i++) {
    k = (st->next_kid + i) % st->nkids;
    const struct child *c = &st->kids[k];

    if (c->alive && !c->closed && !c->exited && !c->eof && !c->broken
        && c->held < c->cap) {
      st->next_kid = (k + 1) % st->nkids;
      return &st->kids[k];
    }
  }
  return NULL;
}

/* Close the loop's own handles. */
static void
close_handles(struct procs_state *st)
{
  uv_close((uv_handle_t *)&st->kick, NULL);
  uv_close((uv_handle_t *)&st->cancel_timer, NULL);
  uv_close((uv_handle_t *)&st->kill_timer, NULL);
  uv_close((uv_handle_t *)&st->watch_timer, NULL);
  uv_close((uv_handle_t *)&st->spawner, NULL);
}

/* Close the loop's handles once every worker is gone. */
static void
maybe_close(struct procs_state *st)
{
  unsigned k;

  if (st->spawning || !queue_drained(st) || st->in_flight > 0)
    return;
  for (k = 0; k < st->nkids; k++)
    if (st->kids[k].alive && !st->kids[k].closed) {
      child_send(&st->kids[k], GT_W_CLOSE, NULL, 0);
      st->kids[k].closed = 1;
    }
  if (st->nalive > 0 || st->closing)
    return;
  st->closing = 1;
  close_handles(st);
}

/* Hand queued tasks to workers with room; with none left, fail them; after
 * a stop, finish them as cancelled. */
static void
pump(struct procs_state *st)
{
  struct child *c = NULL;
  size_t task;
  uint32_t t32;

  for (;;) {
    if (!st->cancelled && (st->nalive > 0 || st->spawning)) {
      c = pick(st);
      if (c == NULL)
        break;  /* none with room, or none there yet */
    }
    if (!take_task(st, &task))
      break;
    if (st->cancelled) {
      fail_task(st, task, GT_ECANCELED, "cancelled before it started", -1);
    } else if (st->nalive == 0) {
      char *why = gt_xasprintf("no worker process left (%s)",
          st->last_death != NULL ? st->last_death : "none started");

      fail_task(st, task, GT_EWORKER, why, -1);
      free(why);
    } else {
      st->holder[task] = (int32_t)c->index;
      st->since_ns[task] = gt_now_ns();
      c->held++;
      st->in_flight++;
      t32 = (uint32_t)task;
      child_send(c, GT_W_TASK, &t32, sizeof(t32));
    }
  }
  maybe_close(st);
}

/* Submitted, or the queue closed. */
static void
on_kick(uv_async_t *h)
{
  pump(h->data);
}

/* Workers still there after a stop's grace are killed. */
static void
on_kill(uv_timer_t *h)
{
  struct procs_state *st = h->data;
  unsigned k;

  for (k = 0; k < st->nkids; k++)
    if (st->kids[k].alive && !st->kids[k].exited)
      uv_process_kill(&st->kids[k].proc, SIGKILL);
}

/* The stop check: gt_run_stop() only sets a flag. */
static void
on_cancel_check(uv_timer_t *h)
{
  struct procs_state *st = h->data;
  unsigned k;

  if (!st->cancelled && atomic_load(&st->ex->cancel)) {
    st->cancelled = 1;
    for (k = 0; k < st->nkids; k++)
      child_send(&st->kids[k], GT_W_CANCEL, NULL, 0);
    uv_timer_start(&st->kill_timer, on_kill, KILL_AFTER_MS, 0);
  }
  pump(st);
}

/* A worker's state letter and CPU ticks (user + system) from
 * /proc/PID/stat; 0, or -1 when it cannot be read. */
static int
proc_stat(int pid, char *state, uint64_t *ticks)
{
  char path[64], buf[1024], *p;
  unsigned long long ut, st;
  FILE *f;
  int ok;

  snprintf(path, sizeof(path), "/proc/%d/stat", pid);
  f = fopen(path, "r");
  if (f == NULL)
    return -1;
  p = fgets(buf, sizeof(buf), f) != NULL ? strrchr(buf, ')') : NULL;
  fclose(f);
  /* after the name: state ppid pgrp session tty tpgid flags minflt cminflt
   * majflt cmajflt utime stime */
  ok = p != NULL && sscanf(p + 1, " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u "
      "%*u %llu %llu", state, &ut, &st) == 3;
  if (!ok)
    return -1;
  *ticks = ut + st;
  return 0;
}

/* The watchdog: a worker that holds a task past the task's time plus the
 * margin, and that has neither been runnable nor used CPU over the margin
 * (stopped, deadlocked), is killed; its tasks fail saying so. */
static void
on_watch(uv_timer_t *h)
{
  struct procs_state *st = h->data;
  uint64_t now = gt_now_ns(), margin = STUCK_MARGIN_MS * 1000000ull;
  uint64_t ticks, over;
  unsigned k;
  size_t t;
  int32_t w;
  char state;

  if (st->in_flight == 0 || st->cancelled)
    return;
  for (k = 0; k < st->nkids; k++)
    st->kids[k].over_ns = 0;
  for (t = 0; t < st->ex->ntasks; t++) {
    if ((w = st->holder[t]) < 0)
      continue;
    if (now - st->since_ns[t] <= st->budget_ns[t] + margin)
      continue;
    over = now - st->since_ns[t] - st->budget_ns[t];
    if (over > st->kids[w].over_ns) {
      st->kids[w].over_ns = over;
      st->kids[w].over_task = t;
    }
  }
  for (k = 0; k < st->nkids; k++) {
    struct child *c = &st->kids[k];

    if (!c->alive || c->exited || c->stuck != NULL)
      continue;
    if (proc_stat(c->pid, &state, &ticks) != 0)
      continue;  /* gone: its exit comes */
    if (state == 'R' || state == 'D' || ticks != c->cpu) {
      c->cpu = ticks;  /* it runs: its time starts again */
      c->cpu_ns = now;
      continue;
    }
    if (c->over_ns == 0 || now - c->cpu_ns < margin)
      continue;
    c->stuck = gt_xasprintf("worker %d held task %zu for %.1f s past its "
        "timeout; killed", c->pid, c->over_task, (double)c->over_ns / 1e9);
    uv_process_kill(&c->proc, SIGKILL);
  }
}

/* The loop's thread. */
static void
loop_main(void *arg)
{
  struct procs_state *st = arg;

  uv_run(&st->loop, UV_RUN_DEFAULT);
}

/* Start worker k; 0 or a libuv error. */
static int
child_spawn(struct procs_state *st, unsigned k)
{
  struct child *c = &st->kids[k];
  uv_process_options_t opt = {0};
  uv_stdio_container_t io[3];
  char *args[3] = { st->exe, (char *)GT_WORKER_ARG, NULL };
  uv_buf_t buf;
  uv_write_t *req;
  int rc;

  c->st = st;
  c->index = k;
  uv_pipe_init(&st->loop, &c->in, 0);
  uv_pipe_init(&st->loop, &c->out, 0);
  c->in.data = c->out.data = c->proc.data = c;
  io[0].flags = UV_CREATE_PIPE | UV_READABLE_PIPE;  /* the child's view */
  io[0].data.stream = (uv_stream_t *)&c->in;
  io[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
  io[1].data.stream = (uv_stream_t *)&c->out;
  io[2].flags = UV_INHERIT_FD;  /* a sanitizer's report, if ever */
  io[2].data.fd = 2;
  opt.file = "/proc/self/exe";  /* this very binary, even if replaced since */
  opt.args = args;
  opt.exit_cb = on_exit_cb;
  opt.stdio = io;
  opt.stdio_count = 3;
  rc = uv_spawn(&st->loop, &c->proc, &opt);
  if (rc != 0) {
    uv_close((uv_handle_t *)&c->in, NULL);
    uv_close((uv_handle_t *)&c->out, NULL);
    uv_close((uv_handle_t *)&c->proc, NULL);
    return rc;
  }
  c->spawned = c->alive = 1;
  c->pid = c->proc.pid;
  c->cpu_ns = gt_now_ns();
  st->nalive++;
  st->nspawned++;
  req = gt_xmalloc(sizeof(*req));
  buf = uv_buf_init(st->setup.p, (unsigned)st->setup.len);
  if (uv_write(req, (uv_stream_t *)&c->in, &buf, 1, on_written) != 0)
    free(req);
  uv_read_start((uv_stream_t *)&c->out, on_alloc, on_read);
  return 0;
}

/* Every worker was tried, or none is needed any more: the run goes on with
 * the ones there, says so when they are fewer than asked, and fails its
 * tasks with the reason when there is none. */
static void
spawn_done(struct procs_state *st)
{
  uv_idle_stop(&st->spawner);
  st->spawning = 0;
  say_width(st);
  pump(st);
}

/* The machine's available memory in MiB (/proc/meminfo), or -1. */
static long
mem_available_mb(void)
{
  char line[128];
  long kb = -1;
  FILE *f = fopen("/proc/meminfo", "r");

  if (f == NULL)
    return -1;
  while (fgets(line, sizeof(line), f) != NULL)
    if (sscanf(line, "MemAvailable: %ld kB", &kb) == 1)
      break;
  fclose(f);
  return kb >= 0 ? kb / 1024 : -1;
}

/* Start the next worker (one a loop turn, so the ones there get tasks in
 * between); the first that cannot start ends the starting, and so does a
 * machine short of memory once one worker is up. */
static void
on_spawn(uv_idle_t *h)
{
  struct procs_state *st = h->data;
  long mb;
  int rc;

  if (st->cancelled || st->next_spawn == st->nkids || queue_drained(st)) {
    spawn_done(st);
    return;
  }
  rc = 0;
  if (st->nspawned > 0 && (mb = mem_available_mb()) >= 0
      && mb < SPAWN_MEM_MIN_MB)
    rc = UV_ENOMEM;
  if (rc == 0)
    rc = child_spawn(st, st->next_spawn++);
  if (rc != 0) {
    st->spawn_rc = rc;
    spawn_done(st);
    return;
  }
  pump(st);
}

/* How long task's steps may take: each request and each file its timeout,
 * each sleep its time.  A CPU step adds nothing: a worker that computes
 * uses CPU, and the watchdog leaves a worker that does alone. */
static uint64_t
task_budget_ns(const struct gt_executor *ex, const struct gt_task *task)
{
  uint64_t ms = 0;
  size_t j;

  for (j = 0; j < task->nsteps; j++)
    switch (task->steps[j].kind) {
    case GT_STEP_SLEEP:
      ms += task->steps[j].arg;
      break;
    case GT_STEP_CPU:
      break;
    default:
      ms += (uint64_t)ex->timeout_ms;
    }
  return ms * 1000000ull;
}

/* Free the state (its loop closed, or never started). */
static void
state_free(struct procs_state *st)
{
  unsigned k;

  for (k = 0; k < st->nkids; k++) {
    free(st->kids[k].rbuf);
    free(st->kids[k].label);
    free(st->kids[k].error);
    free(st->kids[k].stuck);
  }
  free(st->kids);
  free(st->since_ns);
  free(st->budget_ns);
  free(st->retry);
  free(st->last_death);
  free(st->setup.p);
  free(st->holder);
  free(st->ended_by);
  gt__handoff_done(&st->in);
  free(st);
}

/* Encode the set-up and start the loop's thread, which starts the
 * workers. */
static int
procs_start(struct gt_executor *ex, char **cause)
{
  struct procs_state *st = gt_xcalloc(1, sizeof(*st));
  size_t exe_len = sizeof(st->exe), i, share;
  unsigned k, per;
  int rc;

  st->ex = ex;
  st->loops = (ex->ops->traits & GT_MODE_LOOP) != 0;
  gt__handoff_init(&st->in, ex->ntasks, &st->kick);
  st->holder = gt_xmalloc((ex->ntasks ? ex->ntasks : 1) * sizeof(int32_t));
  st->ended_by = gt_xmalloc((ex->ntasks ? ex->ntasks : 1)
      * sizeof(int32_t));
  st->since_ns = gt_xcalloc(ex->ntasks ? ex->ntasks : 1, sizeof(uint64_t));
  st->retry = gt_xmalloc((ex->ntasks ? ex->ntasks : 1) * sizeof(size_t));
  st->budget_ns = gt_xmalloc((ex->ntasks ? ex->ntasks : 1)
      * sizeof(uint64_t));
  for (i = 0; i < ex->ntasks; i++) {
    st->holder[i] = st->ended_by[i] = -1;
    st->budget_ns[i] = task_budget_ns(ex, &ex->tasks[i]);
  }
  /* The run's budget for answers is split among the workers; no answer
   * may pass its worker's share. */
  share = ex->body_budget / (ex->workers ? ex->workers : 1);
  share = share ? share : 1;
  /* a CPU function without a name (GT_ENOFUNC), a set-up too big */
  rc = gt_wire_setup_encode(&st->setup, ex->ops->worker_mode,
      ex->base_url, ex->out_dir, ex->timeout_ms, 0, ex->fresh, ex->direct,
      ex->body_max < share ? ex->body_max : share, share, ex->tasks,
      ex->ntasks, cause);
  if (rc != 0)
    goto fail;
  rc = uv_exepath(st->exe, &exe_len);
  if (rc != 0) {
    gt_set_cause(cause, "cannot find gantty's own executable to start "
        "worker processes: %s", uv_strerror(rc));
    goto fail;
  }
  rc = uv_loop_init(&st->loop);
  if (rc != 0) {
    gt_set_cause(cause, "cannot start an event loop: %s", uv_strerror(rc));
    goto fail;
  }
  st->nkids = ex->workers;
  st->kids = gt_xcalloc(st->nkids, sizeof(*st->kids));
  /* procs: one task a worker; hybrid: the limit a worker, or an even
   * share of the tasks */
  per = 1;
  if (st->loops && ex->limit != 0)
    per = ex->limit;
  else if (st->loops)
    per = (unsigned)((ex->ntasks + st->nkids - 1) / st->nkids);
  if (per == 0)
    per = 1;
  for (k = 0; k < st->nkids; k++)
    st->kids[k].cap = per;
  uv_async_init(&st->loop, &st->kick, on_kick);
  st->kick.data = st;
  uv_timer_init(&st->loop, &st->cancel_timer);
  st->cancel_timer.data = st;
  uv_timer_init(&st->loop, &st->kill_timer);
  st->kill_timer.data = st;
  uv_timer_init(&st->loop, &st->watch_timer);
  st->watch_timer.data = st;
  uv_idle_init(&st->loop, &st->spawner);
  st->spawner.data = st;
  uv_timer_start(&st->cancel_timer, on_cancel_check, CANCEL_CHECK_MS,
      CANCEL_CHECK_MS);
  uv_timer_start(&st->watch_timer, on_watch, WATCH_MS, WATCH_MS);
  st->spawning = 1;
  uv_idle_start(&st->spawner, on_spawn);
  ex->impl = st;
  /* The thread first, the workers from it: a machine at its process limit
   * then fails to start a worker, which narrows the run, and not this
   * thread once the workers took the last slots. */
  rc = uv_thread_create(&st->thread, loop_main, st);
  if (rc != 0) {
    gt_set_cause(cause, "process spawning: cannot start the thread that "
        "starts the worker processes: %s", uv_strerror(rc));
    close_handles(st);
    uv_run(&st->loop, UV_RUN_DEFAULT);
    uv_loop_close(&st->loop);
    goto fail;
  }
  return 0;

fail:
  state_free(st);
  ex->impl = NULL;
  return rc;
}

/* Queue a task for the loop. */
static void
procs_submit(struct gt_executor *ex, size_t task)
{
  struct procs_state *st = ex->impl;

  gt__handoff_push(&st->in, task);
}

/* Close the queue and wait until every worker has gone. */
static void
procs_drain(struct gt_executor *ex)
{
  struct procs_state *st = ex->impl;

  gt__handoff_close(&st->in);
  uv_thread_join(&st->thread);
}

/* Free the loop and the workers' state. */
static void
procs_stop(struct gt_executor *ex)
{
  struct procs_state *st = ex->impl;

  uv_run(&st->loop, UV_RUN_DEFAULT);  /* close callbacks still pending */
  if (uv_loop_close(&st->loop) != 0)
    abort();  /* a handle leaked: a bug, not a runtime condition */
  state_free(st);
  ex->impl = NULL;
}

const struct gt_executor_ops gt__exec_procs = {
  .name = "procs",
  .traits = GT_MODE_WORKERS,
  .worker_mode = "threads",  /* one task at a time: blocking I/O */
  .default_workers = procs_default_workers,
  .in_workers = 1,
  .fds_per_worker = 2,  /* the worker's stdin and stdout pipes */
  .start = procs_start,
  .submit = procs_submit,
  .drain = procs_drain,
  .stop = procs_stop,
};

const struct gt_executor_ops gt__exec_hybrid = {
  .name = "hybrid",
  .traits = GT_MODE_WORKERS | GT_MODE_LOOP | GT_MODE_LIMIT_PER_WORKER,
  .worker_mode = "async",  /* --limit is each worker's loop's */
  .default_workers = procs_default_workers,
  .in_workers = 1,
  .fds_per_worker = 2,  /* the worker's stdin and stdout pipes */
  .start = procs_start,
  .submit = procs_submit,
  .drain = procs_drain,
  .stop = procs_stop,
};
