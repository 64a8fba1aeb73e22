/*
 * scheduler/exec_async.c: every task on one libuv loop, the article's
 * asyncio version.
 *
 * One thread runs the loop.  HTTP goes through libcurl's multi socket
 * interface: one uv_poll per socket (kept with curl_multi_assign, and by
 * descriptor across a kept-alive connection's requests) and one
 * uv_timer for curl's timeouts, completions read after every socket action
 * and every timeout.  Files are written on libuv's threadpool (one
 * uv_queue_work job: open beneath the output folder, write, close), sleeps
 * through uv_timer.  A task is a small state machine that advances from one
 * completion to the next.  CPU steps run on the loop thread and block it,
 * exactly as a CPU-heavy coroutine blocks asyncio.
 *
 * The loop's time is the loop's.  A task whose I/O is done but whose
 * callback has not run yet is ready (loop busy), GT_R_LOOP, from when its
 * I/O was done until the loop runs it; the wait before is the I/O's.  When
 * it was done:
 *   - an answer of the embedded demo server: the server's own stamp
 *     (X-Gantty-Sent-Ns, the same CLOCK_MONOTONIC; believed only for the
 *     URLs the run knows are that server's, and only between the
 *     request's start and now);
 *   - an answer of another server: no later than the return of the poll
 *     that saw its socket ready (all the machine can tell; time the answer
 *     spent unread while the loop ran an earlier turn's callbacks stays
 *     net);
 *   - a sleep: its due time;
 * and the whole is never before the loop last returned from blocking in
 * its poll (a loop asleep in the kernel was not busy: it had not been
 * told yet), found with libuv's idle-time metrics.  The WAIT(GT_R_LOOP) is
 * stamped back to that time once the callback runs, and only when the
 * delay is over LOOP_BUSY_MIN_NS.
 * A write waits as `pool` (a slot in libuv's thread pool, --pool) from its
 * submission until a pool thread takes the job, then `disk` while the job
 * runs, then ready (loop busy) from the job's end until the loop runs its
 * callback, however short (a few microseconds when the loop was idle:
 * waking it).  The pool thread emits the last two itself, live, stamped
 * with its job's start and end (the recorder takes appends from any
 * thread; the job starts after the `pool` WAIT was appended and ends
 * before the callback that emits the RESUME, so time and arrival agree).
 *
 * Threads: submit() runs on the run thread and hands tasks over through a
 * gt_handoff (a locked queue and a uv_async); everything else runs on the
 * loop thread.
 * A stop is seen by a 20 ms check timer (gt_run_stop only stores a flag).
 */
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include "base.h"
#include "cpuwatch.h"
#include "handoff.h"

#define CANCEL_CHECK_MS 20

/* A callback that runs this much after its I/O was done shows the delay as
 * ready (loop busy); less is the loop's ordinary turn, not drawn. */
#define LOOP_BUSY_MIN_NS 100000u

/* A poll that slept at least this long blocked: the loop was idle in it. */
#define POLL_BLOCKED_NS 10000u

struct async_state;

/* A task on the loop. */
struct atask {
  struct async_state *st;
  size_t              task;
  size_t              step;
  struct gt_task_ctx  ctx;
  struct gt_body_sink body;       /* ctx's answer, counted in the budget */
  CURL               *easy;       /* while a GET is in flight */
  char               *url;
  char                errbuf[CURL_ERROR_SIZE];
  uv_work_t           work;       /* while a write is in flight */
  int                 write_rc;   /* the write's result, and its cause */
  char               *write_cause;
  uv_timer_t          timer;      /* while a sleep is in flight */
  uint64_t            due_ns;     /* when the sleep is due */
  uint64_t            wait_ns;    /* when the current wait began */
  int                 pending;    /* 1: an I/O request is outstanding */
  struct atask       *prev, *next;  /* the in-flight list */
  struct alock       *lock_wait;  /* the lock it waits for, or NULL */
  struct atask       *lock_next;  /* the next task waiting for it */
};

/* A spec file's named lock on the loop, as asyncio.Lock: a holder and a
 * FIFO of tasks waiting for it; a waiting task has yielded to the loop,
 * and the one at the head takes the lock when the holder lets go. */
struct alock {
  struct atask *holder;
  struct atask *first, *last;   /* waiting, first come first served */
};

/* A socket curl asked us to watch, from the first time it asks until curl
 * closes the socket: a kept-alive connection keeps its watcher between
 * requests, so that a GET costs no epoll_ctl beyond what changes. */
struct asock {
  uv_poll_t           poll;
  curl_socket_t       fd;
  int                 armed;      /* UV_READABLE | UV_WRITABLE polled now */
  int                 wanted;     /* 1: curl watches it (no REMOVE since) */
  int                 owned;      /* a connection's socket, opened through
                                     curl_open_socket(): closed through
                                     curl_close_socket() */
  struct async_state *st;
};

struct async_state {
  struct gt_executor *ex;
  uv_loop_t           loop;
  uv_thread_t         thread;
  uv_async_t          kick;       /* submit or close: look at the queue */
  uv_timer_t          curl_timer;
  uv_timer_t          cancel_timer;
  uv_prepare_t        prepare;    /* just before each poll: its marks */
  uint64_t            prep_ns;    /* when the last poll was about to start */
  uint64_t            prep_idle_ns;  /* the loop's idle time then */
  uint64_t            blocked_end_ns;  /* the end of the last poll before
                                          that one which blocked */
  int                 metrics;    /* 1: libuv measures the idle time */
  CURLM              *multi;
  struct asock      **sock_of_fd; /* every watcher, by descriptor */
  size_t              nsock_of_fd;
  CURL              **easy_free;  /* idle easy handles, reused */
  size_t              neasy_free, easy_cap;
  struct gt_handoff   in;         /* submitted tasks */
  struct atask       *flying;     /* in-flight list */
  size_t              in_flight;
  size_t              limit;
  int                 cancelled;  /* seen by the loop */
  int                 closing;
  struct alock       *locks;      /* by number (a lock step's arg) */
};

static void task_advance(struct atask *a);
static void step_done(struct atask *a, int rc, char *cause);

/* All tasks in flight, at once, by default: asyncio.gather. */
static unsigned
async_default_workers(size_t ntasks)
{
  (void)ntasks;
  return 1;  /* one loop thread */
}

/* The loop's idle time so far: the time it slept in its polls. */
static uint64_t
idle_ns(struct async_state *st)
{
  return st->metrics ? uv_metrics_idle_time(&st->loop) : 0;
}

/* Just before each poll: remember when, and the idle time so far; the
 * poll before this one ended at the last marks plus what it slept. */
static void
on_prepare(uv_prepare_t *h)
{
  struct async_state *st = h->data;
  uint64_t idle = idle_ns(st);

  if (st->prep_ns != 0 && idle - st->prep_idle_ns >= POLL_BLOCKED_NS)
    st->blocked_end_ns = st->prep_ns + (idle - st->prep_idle_ns);
  st->prep_ns = gt_now_ns();
  st->prep_idle_ns = idle;
}

/* When the last poll returned: the last marks plus what it slept (the
 * time between the marks and the poll's start, a few microseconds, is
 * not counted: the return is placed that much early). */
static uint64_t
poll_end_ns(struct async_state *st)
{
  return st->prep_ns + (idle_ns(st) - st->prep_idle_ns);
}

/* The last time the loop returned from a poll that blocked: until then
 * the loop was asleep, so whatever it has to do now was not yet there. */
static uint64_t
blocked_end_ns(struct async_state *st)
{
  uint64_t idle = idle_ns(st) - st->prep_idle_ns;

  return idle >= POLL_BLOCKED_NS ? st->prep_ns + idle : st->blocked_end_ns;
}

/* a's I/O was done at ready_ns (0: unknown) and its callback runs now:
 * the time between, from when the loop last blocked on, was the loop's.
 * Stamped back, after the task's previous event (at after_ns), when over
 * LOOP_BUSY_MIN_NS. */
static void
loop_busy_since(struct atask *a, uint64_t ready_ns, uint64_t after_ns)
{
  struct gt_executor *ex = a->st->ex;
  uint64_t from = blocked_end_ns(a->st), now = gt_now_ns();

  if (ready_ns == 0 || !a->st->metrics)
    return;
  if (ready_ns > from)
    from = ready_ns;
  if (from <= after_ns || from >= now || now - from < LOOP_BUSY_MIN_NS)
    return;
  gt__emit_at(ex, from, a->task, GT_EV_WAIT, GT_R_LOOP,
      ex->step_label[a->task][a->step], 0, 0);
}

/* Free a task once its timer handle has closed. */
static void
free_task(uv_handle_t *h)
{
  free(h->data);
}

/* A lock was granted to a waiting task: it runs on, on this turn. */
static void
on_lock_granted(uv_timer_t *h)
{
  struct atask *a = h->data;

  step_done(a, 0, NULL);
}

/* Let l go: the first task waiting for it takes it and is woken on the
 * next turn of the loop (as asyncio.Lock.release() wakes the first
 * waiter's future), never run from inside the task letting go. */
static void
lock_release(struct alock *l)
{
  struct atask *w = l->first;

  l->holder = w;
  if (w == NULL)
    return;
  l->first = w->lock_next;
  if (l->first == NULL)
    l->last = NULL;
  w->lock_next = NULL;
  w->lock_wait = NULL;
  uv_timer_start(&w->timer, on_lock_granted, 0, 0);
}

/* Take a out of the queue of the lock it waits for. */
static void
lock_unqueue(struct atask *a)
{
  struct alock *l = a->lock_wait;
  struct atask **p, *prev = NULL;

  for (p = &l->first; *p != NULL; prev = *p, p = &(*p)->lock_next)
    if (*p == a) {
      *p = a->lock_next;
      if (l->last == a)
        l->last = prev;
      break;
    }
  a->lock_wait = NULL;
  a->lock_next = NULL;
}

/* Finish a task: FINISH, free what it holds, let another start (on the
 * next turn, through the kick: starting it from here could recurse once
 * per task when tasks fail at once).  A lock it holds goes to the next
 * task waiting for it, so no task waits forever. */
static void
task_finish(struct atask *a, int rc, char *cause)
{
  struct async_state *st = a->st;
  struct gt_executor *ex = st->ex;
  size_t k;

  if (rc != 0 && cause == NULL)
    cause = gt_xstrdup(gt_strerror(rc));
  gt__emit(ex, a->task, GT_EV_FINISH, GT_R_NONE,
      rc != 0 ? gt_recorder_intern(ex->rec, cause) : 0, rc, 0);
  free(cause);
  if (a->lock_wait != NULL)
    lock_unqueue(a);
  for (k = 0; k < ex->nlocks; k++)
    if (st->locks[k].holder == a)
      lock_release(&st->locks[k]);
  if (a->prev != NULL)
    a->prev->next = a->next;
  else
    st->flying = a->next;
  if (a->next != NULL)
    a->next->prev = a->prev;
  st->in_flight--;
  gt_task_ctx_done(&a->ctx);
  gt__body_release(&a->body);
  free(a->url);
  uv_close((uv_handle_t *)&a->timer, free_task);
  uv_async_send(&st->kick);
}

/* An I/O step ended: resume the task, or finish it with the error. */
static void
step_done(struct atask *a, int rc, char *cause)
{
  a->pending = 0;
  if (rc == 0 && a->st->cancelled) {
    rc = GT_ECANCELED;
    cause = gt_xstrdup("cancelled");
  }
  if (rc != 0) {
    task_finish(a, rc, cause);
    return;
  }
  gt__emit(a->st->ex, a->task, GT_EV_RESUME, GT_R_NONE,
      gt__resume_label(a->st->ex, a->task, a->step), 0, 0);
  a->step++;
  task_advance(a);
}

/* Give back an easy handle for reuse (its connection stays in the multi
 * handle's cache either way). */
static void
easy_put(struct async_state *st, CURL *easy)
{
  if (st->neasy_free == st->easy_cap) {
    st->easy_cap = st->easy_cap ? st->easy_cap * 2 : 64;
    st->easy_free = gt_xrealloc(st->easy_free,
        st->easy_cap * sizeof(*st->easy_free));
  }
  st->easy_free[st->neasy_free++] = easy;
}

/* Read every finished transfer and move its task on. */
static void
check_done(struct async_state *st)
{
  CURLMsg *msg;
  int left;
  struct atask *a;
  char *cause;
  uint64_t last, sent;
  int rc;

  while ((msg = curl_multi_info_read(st->multi, &left)) != NULL) {
    if (msg->msg != CURLMSG_DONE)
      continue;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&a);
    cause = NULL;
    rc = gt__http_result(st->ex, a->easy, msg->data.result, a->url,
        a->errbuf, &a->body, &cause);
    last = gt__http_split_connect(st->ex, a->easy, a->task, 0, a->wait_ns,
        st->ex->step_label[a->task][a->step]);
    if (last != 0) {  /* an answer came: when, as well as one can tell */
      sent = gt__http_sent_ns(st->ex, a->easy, a->url);
      if (sent < a->wait_ns || sent > gt_now_ns())
        sent = 0;  /* no stamp, or one that cannot be */
      loop_busy_since(a, sent != 0 ? sent : poll_end_ns(st), last);
    }
    curl_multi_remove_handle(st->multi, a->easy);
    easy_put(st, a->easy);
    a->easy = NULL;
    step_done(a, rc, cause);
  }
}

/* A socket is ready (or failed): tell curl.  An idle kept-alive socket
 * that stirs (the server closed it) is disarmed instead; curl notices when
 * it next tries the connection. */
static void
on_socket(uv_poll_t *h, int status, int events)
{
  struct asock *s = h->data;
  int flags = 0, running;

  if (!s->wanted) {
    uv_poll_stop(&s->poll);
    s->armed = 0;
    return;
  }
  if (status < 0) {
    flags = CURL_CSELECT_ERR;
    s->armed = 0;  /* libuv stopped the watcher */
  }
  if (events & UV_READABLE)
    flags |= CURL_CSELECT_IN;
  if (events & UV_WRITABLE)
    flags |= CURL_CSELECT_OUT;
  curl_multi_socket_action(s->st->multi, s->fd, flags, &running);
  check_done(s->st);
}

/* curl's timeout expired. */
static void
on_curl_timer(uv_timer_t *h)
{
  struct async_state *st = h->data;
  int running;

  curl_multi_socket_action(st->multi, CURL_SOCKET_TIMEOUT, 0, &running);
  check_done(st);
}

/* Free a socket watcher once libuv has closed it. */
static void
free_sock(uv_handle_t *h)
{
  free(h->data);
}

/* The watcher of fd, made the first time curl asks for it. */
static struct asock *
sock_get(struct async_state *st, curl_socket_t fd)
{
  struct asock *s;
  size_t n = st->nsock_of_fd;

  if ((size_t)fd >= n) {
    while (n <= (size_t)fd)
      n = n ? n * 2 : 256;
    st->sock_of_fd = gt_xrealloc(st->sock_of_fd, n * sizeof(s));
    memset(st->sock_of_fd + st->nsock_of_fd, 0,
        (n - st->nsock_of_fd) * sizeof(s));
    st->nsock_of_fd = n;
  }
  s = st->sock_of_fd[fd];
  if (s == NULL) {
    s = gt_xcalloc(1, sizeof(*s));
    s->fd = fd;
    s->st = st;
    uv_poll_init_socket(&st->loop, &s->poll, fd);
    s->poll.data = s;
    st->sock_of_fd[fd] = s;
  }
  return s;
}

/* Close a watcher and forget it. */
static void
sock_drop(struct async_state *st, struct asock *s)
{
  st->sock_of_fd[s->fd] = NULL;
  uv_close((uv_handle_t *)&s->poll, free_sock);
}

/* curl wants a socket watched, or no longer.  No longer leaves a
 * connection's watcher armed: curl takes a kept-alive connection's socket
 * off its list after every request and asks for it again with the next
 * one.  Other sockets (the threaded resolver's pair, which curl closes
 * itself) lose their watcher at once. */
static int
curl_socket_cb(CURL *easy, curl_socket_t fd, int what, void *arg,
    void *sockp)
{
  struct async_state *st = arg;
  struct asock *s = sockp;
  int events = 0;

  (void)easy;
  if (what == CURL_POLL_REMOVE) {
    if (s != NULL && s->owned) {
      s->wanted = 0;
    } else if (s != NULL) {
      sock_drop(st, s);
      curl_multi_assign(st->multi, fd, NULL);
    }
    return 0;
  }
  if (s == NULL) {
    s = sock_get(st, fd);
    curl_multi_assign(st->multi, fd, s);
  }
  s->wanted = 1;
  if (what != CURL_POLL_OUT)
    events |= UV_READABLE;
  if (what != CURL_POLL_IN)
    events |= UV_WRITABLE;
  if (events != s->armed) {
    uv_poll_start(&s->poll, events, on_socket);
    s->armed = events;
  }
  return 0;
}

/* curl opens a connection's socket: its watcher is made now, and lives
 * until curl_close_socket(). */
static curl_socket_t
curl_open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *addr)
{
  struct async_state *st = arg;
  curl_socket_t fd;

  (void)purpose;
  fd = socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
  if (fd != CURL_SOCKET_BAD)
    sock_get(st, fd)->owned = 1;
  return fd;
}

/* curl closes a socket: its watcher goes first, then the descriptor. */
static int
curl_close_socket(void *arg, curl_socket_t fd)
{
  struct async_state *st = arg;

  if ((size_t)fd < st->nsock_of_fd && st->sock_of_fd[fd] != NULL)
    sock_drop(st, st->sock_of_fd[fd]);
  return close(fd);
}

/* curl wants to be called back after timeout_ms (-1: never).  0 must run
 * on the next turn of the loop, not a millisecond later: rounding it up
 * capped sequential requests at about 800 a second. */
static int
curl_timer_cb(CURLM *multi, long timeout_ms, void *arg)
{
  struct async_state *st = arg;

  (void)multi;
  if (timeout_ms < 0)
    uv_timer_stop(&st->curl_timer);
  else
    uv_timer_start(&st->curl_timer, on_curl_timer, (uint64_t)timeout_ms, 0);
  return 0;
}

/* Start a GET for a's current step. */
static void
start_http(struct atask *a, const struct gt_step *step)
{
  struct async_state *st = a->st;
  char *shown;
  CURLMcode mc;

  a->easy = st->neasy_free ? st->easy_free[--st->neasy_free] : NULL;
  if (a->easy == NULL) {
    a->easy = curl_easy_init();
    if (a->easy == NULL) {
      step_done(a, GT_ENET, gt_xstrdup("cannot create a libcurl handle"));
      return;
    }
    gt__easy_setup(a->easy, st->ex, a->errbuf);
    curl_easy_setopt(a->easy, CURLOPT_OPENSOCKETFUNCTION, curl_open_socket);
    curl_easy_setopt(a->easy, CURLOPT_OPENSOCKETDATA, st);
    curl_easy_setopt(a->easy, CURLOPT_CLOSESOCKETFUNCTION,
        curl_close_socket);
    curl_easy_setopt(a->easy, CURLOPT_CLOSESOCKETDATA, st);
  }
  curl_easy_setopt(a->easy, CURLOPT_ERRORBUFFER, a->errbuf);
  curl_easy_setopt(a->easy, CURLOPT_PRIVATE, a);
  free(a->url);
  a->url = gt__step_url(st->ex, step->target);
  gt__http_prepare(st->ex, a->easy, a->url, &a->body, a->errbuf);
  a->pending = 1;
  mc = curl_multi_add_handle(st->multi, a->easy);
  if (mc != CURLM_OK) {
    easy_put(st, a->easy);
    a->easy = NULL;
    shown = gt_url_shown(a->url);
    step_done(a, GT_ENET, gt_xasprintf("GET %s: %s", shown,
        curl_multi_strerror(mc)));
    free(shown);
  }
}

/* A write's job, on libuv's threadpool: the same open (beneath the
 * output folder, no link followed), write and close as the blocking modes.
 * uv_fs has no open relative to a folder's descriptor, so the open cannot
 * be a uv_fs_open; one job does what three uv_fs requests did.  Its start
 * ends the task's wait for a slot in the pool: it waits on the disk from
 * then, and is ready (loop busy) from its end until the loop runs
 * write_done; both WAITs are emitted here, live, on the pool thread. */
static void
write_work(uv_work_t *req)
{
  struct atask *a = req->data;
  struct gt_executor *ex = a->st->ex;
  uint32_t label = ex->step_label[a->task][a->step];
  uint64_t start = gt_now_ns(), end;

  if (start <= a->wait_ns)
    start = a->wait_ns + 1;
  gt__emit_at(ex, start, a->task, GT_EV_WAIT, GT_R_DISK, label, 0, 0);
  a->write_rc = gt__write_step(ex, &ex->tasks[a->task].steps[a->step],
      &a->ctx, &a->write_cause);
  end = gt_now_ns();
  gt__emit_at(ex, end > start ? end : start + 1, a->task, GT_EV_WAIT,
      GT_R_LOOP, label, 0, 0);
}

/* The write's job is done: back on the loop, the task moves on. */
static void
write_done(uv_work_t *req, int status)
{
  struct atask *a = req->data;
  char *cause = a->write_cause;

  a->write_cause = NULL;
  if (status != 0 && a->write_rc == 0) {  /* UV_ECANCELED: never ran */
    a->write_rc = status;
    cause = gt_xasprintf("write: %s", uv_strerror(status));
  }
  step_done(a, a->write_rc, cause);
}

/* Start a write or an append for a's current step. */
static void
start_write(struct atask *a, const struct gt_step *step)
{
  int rc;

  a->write_rc = 0;
  a->write_cause = NULL;
  a->work.data = a;
  a->pending = 1;
  rc = uv_queue_work(&a->st->loop, &a->work, write_work, write_done);
  if (rc != 0) {
    char *path = gt__step_path(a->st->ex, step);

    step_done(a, rc, gt_xasprintf("write %s: %s", path, uv_strerror(rc)));
    free(path);
  }
}

/* A sleep ended: ready (loop busy) from its due time, if the loop came
 * late. */
static void
on_sleep(uv_timer_t *h)
{
  struct atask *a = h->data;

  loop_busy_since(a, a->due_ns, a->wait_ns);
  step_done(a, 0, NULL);
}

/* Run a's steps until one must wait; CPU steps run here, on the loop. */
static void
task_advance(struct atask *a)
{
  struct gt_executor *ex = a->st->ex;
  const struct gt_task *t = &ex->tasks[a->task];
  const struct gt_step *s;
  struct gt_cpuslot slot;
  char *cause = NULL;
  int rc, reason;

  for (; a->step < t->nsteps; a->step++) {
    s = &t->steps[a->step];
    if (s->kind == GT_STEP_UNLOCK) {
      if (a->st->locks[s->arg].holder != a) {
        task_finish(a, -EPERM, gt_xasprintf("%s: the task does not hold "
            "it", s->label));
        return;
      }
      lock_release(&a->st->locks[s->arg]);
      continue;
    }
    if (s->kind == GT_STEP_LOCK && a->st->locks[s->arg].holder == NULL) {
      a->st->locks[s->arg].holder = a;  /* free: taken, the task runs on */
      continue;
    }
    reason = gt__step_reason(s);
    if (reason == GT_R_DISK)  /* first a slot in libuv's pool */
      reason = GT_R_POOL;
    if (reason == GT_R_NONE) {
      /* on a core or ready for one: the sampler tells (cpuwatch.h) */
      gt__cpuwatch_enter(&slot, ex, a->task, 0,
          ex->step_label[a->task][a->step], 0);
      rc = s->cpu(&a->ctx, s, &cause);
      (void)gt__cpuwatch_leave(&slot);
      if (rc != 0) {
        task_finish(a, rc, cause);
        return;
      }
      continue;
    }
    a->wait_ns = gt_now_ns();
    gt__emit_at(ex, a->wait_ns, a->task, GT_EV_WAIT, reason,
        ex->step_label[a->task][a->step], 0, 0);
    switch (s->kind) {
    case GT_STEP_HTTP:
      start_http(a, s);
      break;
    case GT_STEP_WRITE:
    case GT_STEP_APPEND:
      start_write(a, s);
      break;
    case GT_STEP_LOCK: {  /* held: wait at the end of its queue */
      struct alock *l = &a->st->locks[s->arg];

      a->pending = 1;
      a->lock_wait = l;
      if (l->last != NULL)
        l->last->lock_next = a;
      else
        l->first = a;
      l->last = a;
      break;
    }
    default:  /* GT_STEP_SLEEP */
      a->pending = 1;
      /* from now, not from the loop's cached time: a CPU step or a busy
       * iteration before this one would cut the sleep short */
      uv_update_time(&a->st->loop);
      a->due_ns = a->wait_ns + s->arg * 1000000u;
      uv_timer_start(&a->timer, on_sleep, s->arg, 0);
    }
    return;
  }
  task_finish(a, 0, NULL);
}

/* A CPU step's checkpoint on the loop: only a stop ends it (one thread,
 * no GIL to hand over). */
static int
async_checkpoint(void *arg)
{
  struct gt_executor *ex = arg;

  return atomic_load(&ex->cancel);
}

/* Take task from the queue onto the loop. */
static void
task_start(struct async_state *st, size_t task)
{
  struct gt_executor *ex = st->ex;
  struct atask *a = gt_xcalloc(1, sizeof(*a));

  a->st = st;
  a->task = task;
  a->ctx.checkpoint = async_checkpoint;
  a->ctx.checkpoint_arg = ex;
  a->body.ex = ex;
  a->body.ctx = &a->ctx;
  uv_timer_init(&st->loop, &a->timer);
  a->timer.data = a;
  a->next = st->flying;
  if (st->flying != NULL)
    st->flying->prev = a;
  st->flying = a;
  st->in_flight++;
  gt__emit(ex, task, GT_EV_START, GT_R_NONE,
      ex->tasks[task].nsteps ? ex->step_label[task][0] : ex->task_name[task],
      0, 0);
  task_advance(a);
}

/* Close the loop's own handles once nothing is left to do. */
static void
maybe_close(struct async_state *st)
{
  size_t i;

  if (!gt__handoff_drained(&st->in) || st->in_flight > 0 || st->closing)
    return;
  st->closing = 1;
  /* Cleaning the multi handle up here, on the loop, lets curl drop the
   * watchers of its cached connections, so the loop can end. */
  curl_multi_cleanup(st->multi);
  st->multi = NULL;
  for (i = 0; i < st->nsock_of_fd; i++)  /* none should be left; if one is, */
    if (st->sock_of_fd[i] != NULL)      /* the loop must still end */
      sock_drop(st, st->sock_of_fd[i]);
  uv_close((uv_handle_t *)&st->kick, NULL);
  uv_close((uv_handle_t *)&st->curl_timer, NULL);
  uv_close((uv_handle_t *)&st->cancel_timer, NULL);
  uv_close((uv_handle_t *)&st->prepare, NULL);
}

/* Start queued tasks while the limit allows; after a stop, finish them as
 * cancelled instead. */
static void
pump(struct async_state *st)
{
  size_t task;

  for (;;) {
    if (!st->cancelled && st->limit && st->in_flight >= st->limit)
      break;
    if (!gt__handoff_take(&st->in, &task))
      break;
    if (st->cancelled)
      gt__emit(st->ex, task, GT_EV_FINISH, GT_R_NONE,
          gt_recorder_intern(st->ex->rec, "cancelled before it started"),
          GT_ECANCELED, 0);
    else
      task_start(st, task);
  }
  maybe_close(st);
}

/* A task was submitted, or the queue closed. */
static void
on_kick(uv_async_t *h)
{
  pump(h->data);
}

/* Abort everything in flight: transfers, sleeps; writes end by themselves
 * and then see the flag. */
static void
cancel_all(struct async_state *st)
{
  struct atask *a, *next;
  char *shown;

  st->cancelled = 1;
  for (a = st->flying; a != NULL; a = next) {
    next = a->next;
    if (a->easy != NULL) {
      curl_multi_remove_handle(st->multi, a->easy);
      easy_put(st, a->easy);
      a->easy = NULL;
      shown = gt_url_shown(a->url);
      step_done(a, GT_ECANCELED, gt_xasprintf("cancelled during GET %s",
          shown));
      free(shown);
    } else if (a->lock_wait != NULL) {
      lock_unqueue(a);
      step_done(a, GT_ECANCELED, gt_xasprintf("cancelled waiting for %s",
          st->ex->tasks[a->task].steps[a->step].label));
    } else if (uv_is_active((uv_handle_t *)&a->timer)) {
      uv_timer_stop(&a->timer);
      step_done(a, GT_ECANCELED, gt_xstrdup(
          st->ex->tasks[a->task].steps[a->step].kind == GT_STEP_LOCK
          ? "cancelled" : "cancelled during sleep"));
    }
  }
}

/* The stop check: gt_run_stop() only sets a flag, which this reads. */
static void
on_cancel_check(uv_timer_t *h)
{
  struct async_state *st = h->data;

  if (!st->cancelled && atomic_load(&st->ex->cancel))
    cancel_all(st);
  pump(st);
}

/* The loop thread. */
static void
loop_main(void *arg)
{
  struct async_state *st = arg;

  uv_run(&st->loop, UV_RUN_DEFAULT);
}

/* Set the loop up and start its thread. */
static int
async_start(struct gt_executor *ex, char **cause)
{
  struct async_state *st = gt_xcalloc(1, sizeof(*st));
  int rc;

  st->ex = ex;
  st->limit = ex->limit;
  st->locks = gt_xcalloc(ex->nlocks ? ex->nlocks : 1, sizeof(*st->locks));
  gt__handoff_init(&st->in, ex->ntasks, &st->kick);
  rc = uv_loop_init(&st->loop);
  if (rc != 0) {
    gt_set_cause(cause, "cannot start an event loop: %s", uv_strerror(rc));
    goto fail_loop;
  }
  /* the idle time tells when the loop slept in its poll (loop busy) */
  st->metrics = uv_loop_configure(&st->loop, UV_METRICS_IDLE_TIME) == 0;
  st->multi = curl_multi_init();
  if (st->multi == NULL) {
    rc = GT_ENET;
    gt_set_cause(cause, "cannot create a libcurl multi handle");
    goto fail_multi;
  }
  curl_multi_setopt(st->multi, CURLMOPT_SOCKETFUNCTION, curl_socket_cb);
  curl_multi_setopt(st->multi, CURLMOPT_SOCKETDATA, st);
  curl_multi_setopt(st->multi, CURLMOPT_TIMERFUNCTION, curl_timer_cb);
  curl_multi_setopt(st->multi, CURLMOPT_TIMERDATA, st);
  /* Keep a connection per request in flight, not curl's default few. */
  curl_multi_setopt(st->multi, CURLMOPT_MAXCONNECTS,
      (long)(ex->limit ? ex->limit : ex->ntasks));
  uv_async_init(&st->loop, &st->kick, on_kick);
  st->kick.data = st;
  uv_timer_init(&st->loop, &st->curl_timer);
  st->curl_timer.data = st;
  uv_timer_init(&st->loop, &st->cancel_timer);
  st->cancel_timer.data = st;
  uv_timer_start(&st->cancel_timer, on_cancel_check, CANCEL_CHECK_MS,
      CANCEL_CHECK_MS);
  uv_prepare_init(&st->loop, &st->prepare);
  st->prepare.data = st;
  uv_prepare_start(&st->prepare, on_prepare);
  uv_unref((uv_handle_t *)&st->prepare);  /* the loop ends without it */
  ex->impl = st;
  rc = uv_thread_create(&st->thread, loop_main, st);
  if (rc != 0) {
    gt_set_cause(cause, "cannot start the loop's thread: %s",
        uv_strerror(rc));
    goto fail_thread;
  }
  return 0;

fail_thread:
  uv_close((uv_handle_t *)&st->kick, NULL);
  uv_close((uv_handle_t *)&st->curl_timer, NULL);
  uv_close((uv_handle_t *)&st->cancel_timer, NULL);
  uv_close((uv_handle_t *)&st->prepare, NULL);
  uv_run(&st->loop, UV_RUN_DEFAULT);
  curl_multi_cleanup(st->multi);
fail_multi:
  uv_loop_close(&st->loop);
fail_loop:
  gt__handoff_done(&st->in);
  free(st->locks);
  free(st);
  ex->impl = NULL;
  return rc;
}

/* Queue a task for the loop. */
static void
async_submit(struct gt_executor *ex, size_t task)
{
  struct async_state *st = ex->impl;

  gt__handoff_push(&st->in, task);
}

/* Close the queue and wait until the loop has run everything. */
static void
async_drain(struct gt_executor *ex)
{
  struct async_state *st = ex->impl;

  gt__handoff_close(&st->in);
  uv_thread_join(&st->thread);
}

/* Free the loop, the multi handle and the idle easy handles. */
static void
async_stop(struct gt_executor *ex)
{
  struct async_state *st = ex->impl;
  size_t i;

  if (st->multi != NULL)
    curl_multi_cleanup(st->multi);
  for (i = 0; i < st->neasy_free; i++)
    curl_easy_cleanup(st->easy_free[i]);
  uv_run(&st->loop, UV_RUN_DEFAULT);  /* close callbacks still pending */
  if (uv_loop_close(&st->loop) != 0)
    abort();  /* a handle leaked: a bug, not a runtime condition */
  gt__handoff_done(&st->in);
  free(st->sock_of_fd);
  free(st->easy_free);
  free(st->locks);
  free(st);
  ex->impl = NULL;
}

const struct gt_executor_ops gt__exec_async = {
  .name = "async",
  .default_workers = async_default_workers,
  .fds_per_worker = 0,  /* the loop's transfers share one multi handle */
  .max_workers = 1,
  .traits = GT_MODE_LOOP,
  .start = async_start,
  .submit = async_submit,
  .drain = async_drain,
  .stop = async_stop,
};
