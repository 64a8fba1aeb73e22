/*
 * scheduler/worker.c: the worker process of the procs and hybrid modes,
 * gantty itself started as `gantty __worker` by exec_procs.c.
 *
 * It reads SETUP from stdin, then runs the tasks the parent hands it with
 * an executor of its own: threads with one worker for procs (the sync
 * executor's blocking I/O, one task at a time), async for hybrid.  That
 * executor emits into a recorder of this process, as in any run; a sender
 * thread, woken by the recorder, forwards new events to stdout in batches
 * of up to GT_WIRE_BATCH bytes, each label once before its first use.
 *
 * Threads: the main thread reads commands; the executor's threads run the
 * tasks; the sender writes.  The parent's death ends the worker: SIGKILL
 * by PR_SET_PDEATHSIG, or end of file on stdin.
 */
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "base.h"
#include "wire.h"

#define READ_CHUNK 65536
#define EV_BATCH   256

struct sender {
  struct gt_recorder *rec;
  pthread_t           tid;
  pthread_mutex_t     lock;
  pthread_cond_t      more;
  int                 woken;     /* the recorder has something new */
  int                 done;      /* the executor has stopped: last flush */
  size_t              next;      /* the next event index to send */
  unsigned char      *str_sent;  /* 1 per string id already sent */
  size_t              nstr_sent;
  struct gt_wbuf      out;       /* records to write */
  size_t              evs;       /* offset of the open EVS record's header
                                    in out, or SIZE_MAX: none */
  int                 broken;    /* stdout failed: the parent is gone */
};

/* Write all of out's bytes to fd 1. */
static void
flush_out(struct sender *s)
{
  size_t off = 0;
  ssize_t w;

  s->evs = SIZE_MAX;
  while (off < s->out.len && !s->broken) {
    w = write(STDOUT_FILENO, s->out.p + off, s->out.len - off);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      s->broken = 1;
      break;
    }
    off += (size_t)w;
  }
  s->out.len = 0;
}

/* Queue a record; write out first when it would not fit in a batch. */
static void
put_record(struct sender *s, uint32_t type, const void *payload, size_t len)
{
  if (s->out.len + GT_WIRE_HEADER + len > GT_WIRE_BATCH)
    flush_out(s);
  s->evs = SIZE_MAX;
  gt_wbuf_record(&s->out, type, payload, len);
}

/* Queue an event: into the open EVS record, or a new one. */
static void
put_event(struct sender *s, const struct gt_event *ev)
{
  uint32_t len;

  if (s->out.len + sizeof(*ev)
      + (s->evs == SIZE_MAX ? GT_WIRE_HEADER : 0) > GT_WIRE_BATCH)
    flush_out(s);  /* a new record's header counts too */
  if (s->evs == SIZE_MAX) {
    s->evs = s->out.len;
    gt_wbuf_u32(&s->out, GT_W_EVS);
    gt_wbuf_u32(&s->out, 0);
  }
  gt_wbuf_put(&s->out, ev, sizeof(*ev));
  len = (uint32_t)(s->out.len - s->evs - GT_WIRE_HEADER);
  memcpy(s->out.p + s->evs + sizeof(uint32_t), &len, sizeof(len));
}

/* Queue label id's text unless it already crossed. */
static void
put_label(struct sender *s, uint32_t id)
{
  const char *text;
  struct gt_wbuf rec = {0};

  if (id == 0)
    return;  /* "" is 0 on both sides */
  if (id >= s->nstr_sent) {
    size_t n = s->nstr_sent ? s->nstr_sent : 256;

    while (n <= id)
      n *= 2;
    s->str_sent = gt_xrealloc(s->str_sent, n);
    memset(s->str_sent + s->nstr_sent, 0, n - s->nstr_sent);
    s->nstr_sent = n;
  }
  if (s->str_sent[id])
    return;
  s->str_sent[id] = 1;
  text = gt_recorder_string(s->rec, id);
  /* a label longer than a batch is cut: the lane could not show it */
  gt_wbuf_u32(&rec, id);
  gt_wbuf_put(&rec, text, strnlen(text, GT_WIRE_BATCH - GT_WIRE_HEADER
      - sizeof(id)));
  put_record(s, GT_W_STR, rec.p, rec.len);
  free(rec.p);
}

/* Send every event not sent yet. */
static void
send_new(struct sender *s)
{
  struct gt_event ev[EV_BATCH];
  size_t n, i;

  while ((n = gt_recorder_read(s->rec, s->next, ev, EV_BATCH)) > 0) {
    for (i = 0; i < n; i++) {
      put_label(s, ev[i].label);
      put_event(s, &ev[i]);
    }
    s->next += n;
  }
  flush_out(s);
}

/* The recorder's wake: coalesced, so a flag and a signal are enough. */
static void
sender_wake(void *arg)
{
  struct sender *s = arg;

  pthread_mutex_lock(&s->lock);
  s->woken = 1;
  pthread_cond_signal(&s->more);
  pthread_mutex_unlock(&s->lock);
}

/* The sender thread: wait for news, send it; after done, send the rest. */
static void *
sender_main(void *arg)
{
  struct sender *s = arg;
  int done;

  for (;;) {
    pthread_mutex_lock(&s->lock);
    while (!s->woken && !s->done)
      pthread_cond_wait(&s->more, &s->lock);
    s->woken = 0;
    done = s->done;
    pthread_mutex_unlock(&s->lock);
    send_new(s);
    if (done)
      return NULL;
  }
}

/* Tell the parent why this worker cannot go on: ERR, or NORES when it
 * could not start its threads. */
static void
send_why(uint32_t type, const char *why)
{
  struct gt_wbuf b = {0};
  size_t n = strnlen(why, PIPE_BUF - GT_WIRE_HEADER);
  ssize_t w;

  gt_wbuf_record(&b, type, why, n);
  do
    w = write(STDOUT_FILENO, b.p, b.len);
  while (w < 0 && errno == EINTR);
  free(b.p);
}

/* ERR: why this worker cannot go on. */
static void
send_error(const char *why)
{
  send_why(GT_W_ERR, why);
}

/* Read exactly len bytes from stdin; 0 at a clean end, -1 on a cut. */
static int
read_full(void *buf, size_t len)
{
  size_t off = 0;
  ssize_t r;

  while (off < len) {
    r = read(STDIN_FILENO, (char *)buf + off, len - off < READ_CHUNK
        ? len - off : READ_CHUNK);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return off == 0 && r == 0 ? 0 : -1;
    off += (size_t)r;
  }
  return 1;
}

/* Read one record: 1 with *type and a malloc'd *payload, 0 at the end of
 * the stream, -1 for a broken one. */
static int
read_record(uint32_t *type, char **payload, uint32_t *len)
{
  uint32_t h[2];
  int rc = read_full(h, sizeof(h));

  *payload = NULL;
  if (rc <= 0)
    return rc;
  *type = h[0];
  *len = h[1];
  if (*len > GT_WIRE_MAX)
    return -1;
  *payload = gt_xmalloc(*len ? *len : 1);
  if (*len > 0 && read_full(*payload, *len) != 1) {
    free(*payload);
    *payload = NULL;
    return -1;
  }
  return 1;
}

/* The worker's main: 0 when the parent closed the run, 2 when it could not
 * run it (the parent shows the ERR text). */
int
gt_worker_main(void)
{
  struct gt_wire_setup setup;
  struct gt_run_config cfg = {0};
  struct gt_recorder *rec = NULL;
  struct gt_run *run = NULL;
  struct gt_executor *ex;
  struct sender s = {0};
  char *payload = NULL, *cause = NULL;
  unsigned char *taken;         /* 1 per task handed to this worker */
  uint32_t type, len, task;
  const char *said = getenv(GT_WORKER_PARENT_ENV);
  pid_t parent = said != NULL && atol(said) > 0 ? (pid_t)atol(said)
      : getppid();
  int rc;

  /* The parent decides when to stop: a Ctrl-C or a hang-up reaches the
   * whole process group, and the parent then sends CANCEL.  Its death
   * kills this one. */
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  signal(SIGHUP, SIG_IGN);  /* a closed terminal's: the parent stops us */
  signal(SIGPIPE, SIG_IGN);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent)
    return 2;  /* it died before the line above (a slow start-up, as a
                  sanitizer's, can begin after the parent is gone: the
                  pid it set in the environment says whose this is) */

  rc = read_record(&type, &payload, &len);
  if (rc != 1 || type != GT_W_SETUP) {
    send_error("the worker's first record is not its set-up");
    free(payload);
    return 2;
  }
  if (gt_wire_setup_decode(payload, len, &setup, &cause) != 0) {
    send_error(cause);
    free(cause);
    free(payload);
    return 2;
  }
  free(payload);
  if (gt_scheduler_init() != 0) {
    send_error("cannot initialise libcurl in the worker");
    gt_wire_setup_free(&setup);
    return 2;
  }
  rec = gt_recorder_new();
  cfg.mode = setup.mode;
  cfg.workers = 1;
  cfg.base_url = setup.base_url;
  cfg.out_dir = setup.out_dir;
  cfg.timeout_ms = (long)setup.timeout_ms;
  cfg.limit = setup.limit;
  cfg.fresh_connections = setup.fresh != 0;
  cfg.direct = setup.direct != 0;
  cfg.body_max_bytes = setup.body_max > SIZE_MAX ? SIZE_MAX
      : (size_t)setup.body_max;
  cfg.body_held_bytes = setup.body_held > SIZE_MAX ? SIZE_MAX
      : (size_t)setup.body_held;
  rc = gt_run_new(rec, &cfg, setup.tasks, setup.ntasks, &run, &cause);
  if (rc == 0)
    rc = run->ex.ops->start(&run->ex, &cause);
  if (rc != 0) {
    send_why(rc == -EAGAIN || rc == -ENOMEM ? GT_W_NORES : GT_W_ERR,
        cause != NULL ? cause : "cannot start the worker's executor");
    free(cause);
    gt_run_free(run);
    gt_recorder_free(rec);
    gt_wire_setup_free(&setup);
    gt_scheduler_done();
    return 2;
  }
  ex = &run->ex;

  taken = gt_xcalloc(setup.ntasks ? setup.ntasks : 1, 1);
  s.rec = rec;
  s.evs = SIZE_MAX;
  pthread_mutex_init(&s.lock, NULL);
  pthread_cond_init(&s.more, NULL);
  gt_recorder_set_wake(rec, sender_wake, &s);
  rc = pthread_create(&s.tid, NULL, sender_main, &s);
  if (rc != 0) {  /* the process limit: no way to report events */
    cause = gt_xasprintf("thread creation: cannot start the worker's "
        "sender thread: %s", strerror(rc));
    send_why(rc == EAGAIN || rc == ENOMEM ? GT_W_NORES : GT_W_ERR, cause);
    free(cause);
    atomic_store(&ex->cancel, 1);
    ex->ops->drain(ex);
    ex->ops->stop(ex);
    gt_recorder_set_wake(rec, NULL, NULL);
    pthread_mutex_destroy(&s.lock);
    pthread_cond_destroy(&s.more);
    free(taken);
    gt_run_free(run);
    gt_recorder_free(rec);
    gt_wire_setup_free(&setup);
    gt_scheduler_done();
    return 2;
  }

  while ((rc = read_record(&type, &payload, &len)) == 1) {
    if (type == GT_W_TASK && len == sizeof(task)) {
      memcpy(&task, payload, sizeof(task));
      if (task < setup.ntasks && !taken[task]) {  /* each task once */
        taken[task] = 1;
        ex->ops->submit(ex, task);
      }
    } else if (type == GT_W_CANCEL) {
      atomic_store(&ex->cancel, 1);
    } else if (type == GT_W_CLOSE) {
      break;
    }
    free(payload);
    payload = NULL;
  }
  free(payload);
  if (rc != 1)
    atomic_store(&ex->cancel, 1);  /* the parent is gone: stop quickly */
  ex->ops->drain(ex);
  ex->ops->stop(ex);

  pthread_mutex_lock(&s.lock);
  s.done = 1;
  pthread_cond_signal(&s.more);
  pthread_mutex_unlock(&s.lock);
  pthread_join(s.tid, NULL);
  pthread_mutex_destroy(&s.lock);
  pthread_cond_destroy(&s.more);
  free(s.out.p);
  free(s.str_sent);
  free(taken);

  gt_run_free(run);
  gt_recorder_free(rec);
  gt_wire_setup_free(&setup);
  gt_scheduler_done();
  return 0;
}
