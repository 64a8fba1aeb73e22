/*
 * scheduler/io_blocking.c: steps run with blocking I/O on the calling
 * thread, for the sync and threads modes (and so for the worker processes
 * of procs, which run their tasks as threads): libcurl's easy interface,
 * write(2), nanosleep.  One easy handle per worker, reused from task to
 * task, so connections are kept alive (with --connections fresh, each
 * request opens its own and closes it).
 */
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base.h"
#include "cpuwatch.h"
#include "gil.h"

#define SLEEP_SLICE_NS 20000000ull  /* a sleep checks for cancel this often */

/* n bytes as "N MiB" (or KiB, or bytes, when it is not whole MiB). */
static char *
fmt_size(size_t n)
{
  if (n % (1u << 20) == 0)
    return gt_xasprintf("%zu MiB", n >> 20);
  if (n % 1024 == 0)
    return gt_xasprintf("%zu KiB", n >> 10);
  return gt_xasprintf("%zu bytes", n);
}

/* Count n more bytes of answers against the run's budget; 0, or -1 when
 * they would pass it. */
static int
budget_take(struct gt_executor *ex, size_t n)
{
  size_t held = atomic_load(&ex->body_held), peak;

  do {
    if (n > ex->body_budget || held > ex->body_budget - n)
      return -1;
  } while (!atomic_compare_exchange_weak(&ex->body_held, &held, held + n));
  held += n;
  peak = atomic_load(&ex->body_peak);
  while (held > peak
      && !atomic_compare_exchange_weak(&ex->body_peak, &peak, held))
    ;
  return 0;
}

/* Give back what the sink's task held of the budget. */
void
gt__body_release(struct gt_body_sink *sink)
{
  if (sink->charged != 0)
    atomic_fetch_sub(&sink->ex->body_held, sink->charged);
  sink->charged = 0;
}

/* libcurl's body sink: append to the task's body.  MAXFILESIZE stops only
 * bodies that announce their length, so a longer one is cut here, and so
 * is one that would make the answers held by the run's tasks in flight
 * pass the run's budget: what a buffer grows by is counted before it
 * grows (libcurl fails a transfer whose sink takes less than it was
 * given). */
static size_t
on_body(char *data, size_t size, size_t nmemb, void *arg)
{
  struct gt_body_sink *sink = arg;
  struct gt_task_ctx *ctx = sink->ctx;
  size_t n = size * nmemb, cap;

  if (n > sink->ex->body_max || ctx->body_len > sink->ex->body_max - n) {
    sink->refused = GT_BODY_TOO_LONG;
    return 0;
  }
  cap = gt_task_ctx_body_size_for(ctx, n);
  if (cap > sink->charged) {
    if (budget_take(sink->ex, cap - sink->charged) != 0) {
      sink->refused = GT_BODY_NO_ROOM;
      return 0;
    }
    sink->charged = cap;
  }
  gt_task_ctx_add_body(ctx, data, n);
  return n;
}

/* libcurl's progress hook: a non-zero return aborts the transfer, which is
 * how a stopped run cuts a request short. */
static int
on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
  struct gt_executor *ex = arg;

  (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
  return atomic_load_explicit(&ex->cancel, memory_order_relaxed);
}

/* The options every easy handle of ex gets, blocking or on a loop. */
void
gt__easy_setup(CURL *easy, struct gt_executor *ex, char *errbuf)
{
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(easy, CURLOPT_XFERINFODATA, ex);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, ex->timeout_ms);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "gantty");
  if (ex->fresh) {  /* --connections fresh: the article's urllib */
    curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
  }
  /* A body is held in memory: a server that sends without end must fail
   * the task, not exhaust memory. */
  curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE,
      (curl_off_t)ex->body_max);
  /* HTTP only, redirects included (none are followed, but a server must
   * not be able to turn one into a file:// read either). */
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS,
      (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
  curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS,
      (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
}

/* Make the worker's easy handle. */
int
gt__io_blocking_init(struct gt_blocking_io *io, struct gt_executor *ex,
    char **cause)
{
  memset(io, 0, sizeof(*io));
  io->ex = ex;
  io->body.ex = ex;
  io->curl = curl_easy_init();
  if (io->curl == NULL) {
    gt_set_cause(cause, "cannot create a libcurl handle");
    return GT_ENET;
  }
  gt__easy_setup(io->curl, ex, io->errbuf);
  return 0;
}

/* Free the worker's handle. */
void
gt__io_blocking_done(struct gt_blocking_io *io)
{
  if (io->curl != NULL)
    curl_easy_cleanup(io->curl);
  io->curl = NULL;
}

/* The URL for a step target: a full URL as is, a path on base_url. */
char *
gt__step_url(const struct gt_executor *ex, const char *target)
{
  if (strncmp(target, "http://", 7) == 0 || strncmp(target, "https://", 8) == 0)
    return gt_xstrdup(target);
  return gt_xasprintf("%s%s", ex->base_url, target);
}

/* 1 when ex reaches url directly: it is under the embedded server's
 * base URL. */
static int
url_direct(const struct gt_executor *ex, const char *url)
{
  size_t n = strlen(ex->base_url);

  return ex->direct && n > 0 && strncmp(url, ex->base_url, n) == 0
      && (url[n] == '/' || url[n] == '?' || url[n] == '\0');
}

/* Point easy at url for a GET whose body goes to sink's task.  The
 * embedded server is reached directly whatever proxy the environment
 * names (a proxy elsewhere cannot reach this machine's loopback, and
 * would be measured instead of the server); any other URL goes the way
 * libcurl reads the environment (NULL restores that). */
void
gt__http_prepare(struct gt_executor *ex, CURL *easy, const char *url,
    struct gt_body_sink *sink, char *errbuf)
{
  sink->ctx->body_max = ex->body_max;
  sink->refused = 0;
  gt_task_ctx_set_body(sink->ctx, "", 0);
  errbuf[0] = '\0';
  curl_easy_setopt(easy, CURLOPT_URL, url);
  curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, sink);
  curl_easy_setopt(easy, CURLOPT_NOPROXY, url_direct(ex, url) ? "*" : NULL);
}

/* What a finished transfer means for its task: 0, or a GT_E* code with a
 * cause that names the URL. */
int
gt__http_result(struct gt_executor *ex, CURL *easy, CURLcode cc,
    const char *url, const char *errbuf, const struct gt_body_sink *sink,
    char **cause)
{
  long status = 0;
  char *max, *all, *u;
  int rc = GT_ENET;

  if (cc == CURLE_OK) {
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    if (status < 400)
      return 0;
  }
  u = gt_url_shown(url);  /* never a password in a message */
  if (cc == CURLE_OK) {
    gt_set_cause(cause, "HTTP %ld from %s", status, u);
    rc = GT_EHTTP;
  } else if (cc == CURLE_ABORTED_BY_CALLBACK) {
    gt_set_cause(cause, "cancelled during GET %s", u);
    rc = GT_ECANCELED;
  } else if (cc == CURLE_FILESIZE_EXCEEDED
      || (cc == CURLE_WRITE_ERROR && sink->refused == GT_BODY_TOO_LONG)) {
    max = fmt_size(ex->body_max);
    gt_set_cause(cause, "GET %s: answer larger than %s (the most one task "
        "holds)", u, max);
    free(max);
  } else if (cc == CURLE_WRITE_ERROR && sink->refused == GT_BODY_NO_ROOM) {
    all = fmt_size(ex->body_budget);
    gt_set_cause(cause, "GET %s: answers larger than %s in all (what the "
        "tasks in flight may hold together); this one was cut at %zu KiB",
        u, all, (sink->ctx->body_len + 1023) / 1024);
    free(all);
  } else if (cc == CURLE_OPERATION_TIMEDOUT) {
    gt_set_cause(cause, "no answer from %s within %ld ms", u,
        ex->timeout_ms);
    rc = GT_ETIMEOUT;
  } else {
    gt_set_cause(cause, "GET %s: %s", u,
        errbuf[0] != '\0' ? errbuf : curl_easy_strerror(cc));
  }
  free(u);
  return rc;
}

/* A transfer that got an answer: the part of its wait, begun at wait_ns,
 * spent setting a connection up becomes a `connect` wait, the rest stays
 * `net`.  That part is what curl measured for a new connection (TCP and
 * TLS), plus what the demo server says it charged (X-Gantty-Connect-Ms):
 * on loopback the handshake itself is instant.  The client knows only once
 * the answer is in, so the two WAITs are stamped back in time; a reused
 * connection costs nothing and changes nothing.  Returns the stamp of the
 * task's latest event after this (wait_ns, or the `net` WAIT's), or 0 when
 * no answer came. */
uint64_t
gt__http_split_connect(struct gt_executor *ex, CURL *easy, size_t task,
    int32_t worker, uint64_t wait_ns, uint32_t label)
{
  struct curl_header *h;
  curl_off_t conn_us = 0, tls_us = 0;
  long nconn = 0, status = 0;
  uint64_t ns = 0, now = gt_now_ns();

  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  if (status == 0)
    return 0;  /* no answer: the wait stays what it was */
  curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &nconn);
  if (nconn > 0) {
    curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &conn_us);
    curl_easy_getinfo(easy, CURLINFO_APPCONNECT_TIME_T, &tls_us);
    ns = (uint64_t)(tls_us > conn_us ? tls_us : conn_us) * 1000u;
  }
  if (curl_easy_header(easy, "X-Gantty-Connect-Ms", 0, CURLH_HEADER, -1, &h)
      == CURLHE_OK)
    ns += strtoull(h->value, NULL, 10) * 1000000u;
  if (ns == 0 || now <= wait_ns)
    return wait_ns;
  if (ns > now - wait_ns)
    ns = now - wait_ns;
  gt__emit_at(ex, wait_ns, task, GT_EV_WAIT, GT_R_CONNECT, label, 0, worker);
  if (wait_ns + ns < now) {
    gt__emit_at(ex, wait_ns + ns, task, GT_EV_WAIT, GT_R_NET, label, 0,
        worker);
    return wait_ns + ns;
  }
  return wait_ns;
}

/* When the embedded demo server finished the answer easy got from url
 * (its X-Gantty-Sent-Ns, on this machine's CLOCK_MONOTONIC), or 0: url is
 * not that server's (another server's header is never believed), or the
 * header is missing or not a number. */
uint64_t
gt__http_sent_ns(const struct gt_executor *ex, CURL *easy, const char *url)
{
  struct curl_header *h;
  const char *p;
  uint64_t ns = 0;

  if (!url_direct(ex, url)
      || curl_easy_header(easy, "X-Gantty-Sent-Ns", 0, CURLH_HEADER, -1, &h)
      != CURLHE_OK)
    return 0;
  for (p = h->value; *p >= '0' && *p <= '9'; p++) {
    if (ns > (UINT64_MAX - 9) / 10)
      return 0;
    ns = ns * 10 + (uint64_t)(*p - '0');
  }
  return *p == '\0' && p != h->value ? ns : 0;
}

/* GET target into ctx->body. */
static int
do_http(struct gt_blocking_io *io, const struct gt_step *step,
    struct gt_task_ctx *ctx, char **cause)
{
  char *url = gt__step_url(io->ex, step->target);
  CURLcode cc;
  int rc;

  io->body.ctx = ctx;
  gt__http_prepare(io->ex, io->curl, url, &io->body, io->errbuf);
  cc = curl_easy_perform(io->curl);
  rc = gt__http_result(io->ex, io->curl, cc, url, io->errbuf, &io->body,
      cause);
  free(url);
  return rc;
}

/* Write (or append) what the task holds to a file in the output folder,
 * opened beneath it without following a link (gt_open_beneath).  The open
 * does not block (O_NONBLOCK: a FIFO planted there would wait for a reader
 * forever) and truncates nothing: only a regular file with no other hard
 * link (one planted to a file outside the folder) is written, and
 * truncated then. */
int
gt__write_step(struct gt_executor *ex, const struct gt_step *step,
    const struct gt_task_ctx *ctx, char **cause)
{
  char *path = gt__step_path(ex, step);
  const char *data = ctx->value ? ctx->value : ctx->body ? ctx->body : "";
  size_t len = ctx->value ? ctx->value_len : ctx->body_len, off = 0;
  int flags = O_WRONLY | O_CREAT | O_NONBLOCK;
  int fd, fl, rc = 0;
  struct stat st;
  ssize_t n;

  if (step->kind == GT_STEP_APPEND)
    flags |= O_APPEND;
  fd = ex->out_fd < 0 ? ex->out_fd
      : gt_open_beneath(ex->out_fd, step->target, flags, 0644, 0);
  if (fd == -ENXIO) {  /* a FIFO with no reader, a device with none */
    rc = fd;
    gt_set_cause(cause, "open %s: is not a regular file; not written",
        path);
    goto out;
  }
  if (fd == -EAGAIN) {  /* EWOULDBLOCK under O_NONBLOCK: a lease */
    rc = fd;
    gt_set_cause(cause, "%s is leased or locked by another process; not "
        "written", path);
    goto out;
  }
  if (fd < 0) {
    rc = fd;
    gt_set_cause(cause, "open %s: %s", path, gt_beneath_strerror(rc));
    goto out;
  }
  if (fstat(fd, &st) != 0) {
    rc = -errno;
    gt_set_cause(cause, "stat %s: %s", path, strerror(errno));
    goto done;
  }
  if (!S_ISREG(st.st_mode)) {
    rc = -EINVAL;
    gt_set_cause(cause, "open %s: is not a regular file; not written",
        path);
    goto done;
  }
  if (st.st_nlink > 1) {
    rc = -EMLINK;
    gt_set_cause(cause, "open %s: has other hard links; not written", path);
    goto done;
  }
  if ((fl = fcntl(fd, F_GETFL)) < 0
      || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0
      || (step->kind != GT_STEP_APPEND && ftruncate(fd, 0) != 0)) {
    rc = -errno;
    gt_set_cause(cause, "open %s: %s", path, strerror(errno));
    goto done;
  }
  /* A short write is continued; an O_APPEND write of a line that the
   * kernel takes whole is not interleaved with other writers' appends. */
  while (off < len) {
    n = write(fd, data + off, len - off);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      rc = -errno;
      gt_set_cause(cause, "write %s: %s", path, strerror(errno));
      break;
    }
    off += (size_t)n;
  }
done:
  if (close(fd) != 0 && rc == 0) {
    rc = -errno;
    gt_set_cause(cause, "close %s: %s", path, strerror(errno));
  }
out:
  free(path);
  return rc;
}

/* Sleep ms, waking every slice to see whether the run was stopped. */
static int
do_sleep(struct gt_executor *ex, uint64_t ms, char **cause)
{
  uint64_t end = gt_now_ns() + ms * 1000000ull, now, d;
  struct timespec ts;

  while ((now = gt_now_ns()) < end) {
    if (atomic_load(&ex->cancel)) {
      gt_set_cause(cause, "cancelled during sleep");
      return GT_ECANCELED;
    }
    d = end - now < SLEEP_SLICE_NS ? end - now : SLEEP_SLICE_NS;
    ts.tv_sec = (time_t)(d / 1000000000ull);
    ts.tv_nsec = (long)(d % 1000000000ull);
    nanosleep(&ts, NULL);
  }
  return 0;
}

/* The wait reason of a step; GT_R_NONE for a CPU step (and an unlock,
 * which never waits).  A lock step waits only when the lock is held: the
 * executors take it apart before asking. */
int
gt__step_reason(const struct gt_step *step)
{
  switch (step->kind) {
  case GT_STEP_LOCK:   return GT_R_LOCK;
  case GT_STEP_HTTP:   return GT_R_NET;
  case GT_STEP_WRITE:
  case GT_STEP_APPEND: return GT_R_DISK;
  case GT_STEP_SLEEP:  return GT_R_TIMER;
  }
  return GT_R_NONE;
}

/* Run one step on this thread. */
static int
run_step(struct gt_blocking_io *io, const struct gt_step *step,
    struct gt_task_ctx *ctx, char **cause)
{
  switch (step->kind) {
  case GT_STEP_CPU:    return step->cpu(ctx, step, cause);
  case GT_STEP_HTTP:   return do_http(io, step, ctx, cause);
  case GT_STEP_WRITE:
  case GT_STEP_APPEND: return gt__write_step(io->ex, step, ctx, cause);
  case GT_STEP_SLEEP:  return do_sleep(io->ex, step->arg, cause);
  }
  gt_set_cause(cause, "unknown step kind %d", step->kind);
  return GT_EPARSE;
}

/* The label of the running slice after step i: the step it is about to
 * run, or after the last step, the step it just ended. */
uint32_t
gt__resume_label(const struct gt_executor *ex, size_t task, size_t i)
{
  size_t n = ex->tasks[task].nsteps;

  return ex->step_label[task][i + 1 < n ? i + 1 : i];
}

/* The path a write or append step writes, malloc'd. */
char *
gt__step_path(const struct gt_executor *ex, const struct gt_step *step)
{
  return gt_xasprintf("%s/%s", ex->out_dir, step->target);
}

/* What a running task's checkpoints and GIL waits need. */
struct running {
  struct gt_executor *ex;
  size_t              task;
  int32_t             worker;
  int                 kind;     /* what gil_take() emits: START, RESUME */
  uint32_t            label;    /* of the running slice it starts */
  int                 held;     /* 1: this thread holds the GIL */
  uint64_t            wait_ns;  /* when its current wait began */
  int                 gil_kind; /* the CPU step's enum gt_gil_kind */
  unsigned char      *locks;    /* 1 for each named lock it holds, or NULL
                                   (the run has none) */
  struct gt_cpuslot   slot;     /* its CPU step, watched (cpuwatch.h) */
};

/* The GIL is taken: the task cannot run on.  Its START or RESUME and the
 * WAIT carry one time, so the lane goes straight to `gil`. */
static void
gil_wait(void *arg)
{
  struct running *r = arg;
  uint64_t now = gt_now_ns();

  if (r->kind != GT_EV_WAIT)
    gt__emit_at(r->ex, now, r->task, r->kind, GT_R_NONE, r->label, 0,
        r->worker);
  gt__emit_at(r->ex, now, r->task, GT_EV_WAIT, GT_R_GIL, r->ex->gil_label, 0,
      r->worker);
}

/* The task runs on (kind START, after a queue, or RESUME, after I/O):
 * with a GIL, once this thread holds it, so that running slices of two
 * threads never overlap. */
static void
run_on(struct running *r, int kind, uint32_t label)
{
  r->kind = kind;
  r->label = label;
  if (r->ex->gil != NULL && gt__gil_take(r->ex->gil, gil_wait, r))
    kind = GT_EV_RESUME;  /* it was waiting on the GIL */
  r->held = r->ex->gil != NULL;
  /* the START or RESUME; running from here to its next wait, on a core or
   * ready for one: the sampler tells (cpuwatch.h) */
  gt__cpuwatch_enter(&r->slot, r->ex, r->task, r->worker, label, kind);
}

/* The task waits on reason (label), or ends (FINISH): the event first,
 * then the GIL goes. */
static void
stop_running(struct running *r, int kind, int reason, uint32_t label,
    int32_t status)
{
  r->wait_ns = gt__cpuwatch_leave(&r->slot);
  gt__emit_at(r->ex, r->wait_ns, r->task, kind, reason, label, status,
      r->worker);
  if (r->held)
    gt__gil_drop(r->ex->gil, 0);
  r->held = 0;
}

/* Between two units of a CPU step: a stop ends the step; a thread that has
 * waited a whole switch interval for the GIL gets it. */
static int
checkpoint(void *arg)
{
  struct running *r = arg;

  if (atomic_load(&r->ex->cancel))
    return 1;
  /* only a Python-level loop has bytecode boundaries to switch at: a C
   * call holding the GIL keeps it, one that released it has none */
  if (r->held && r->gil_kind == GT_GIL_LOOP
      && gt__gil_drop_requested(r->ex->gil)) {
    /* a thread waiting for the GIL is blocked, not ready: it leaves the
     * watch before it says so, and is watched again once it runs */
    r->kind = GT_EV_WAIT;  /* gil_wait() adds no START or RESUME */
    gt__emit_at(r->ex, gt__cpuwatch_leave(&r->slot), r->task, GT_EV_WAIT,
        GT_R_GIL, r->ex->gil_label, 0, r->worker);
    gt__gil_drop(r->ex->gil, 1);
    gt__gil_take(r->ex->gil, NULL, NULL);
    gt__cpuwatch_enter(&r->slot, r->ex, r->task, r->worker, r->label,
        GT_EV_RESUME);
  }
  return 0;
}

/* A CPU step of any kind.  One that releases the GIL drops it at its
 * start and takes it back at its end (Py_BEGIN_ALLOW_THREADS and
 * Py_END_ALLOW_THREADS), waiting on `gil` then if another thread has it;
 * the task stays running in between, without the lock. */
static int
run_cpu(struct gt_blocking_io *io, struct running *r, size_t i,
    const struct gt_step *s, struct gt_task_ctx *ctx, char **cause)
{
  struct gt_executor *ex = r->ex;
  int rc, released = s->gil == GT_GIL_RELEASES && r->held;

  r->label = ex->step_label[r->task][i];
  r->gil_kind = s->gil;
  if (released) {
    gt__gil_drop(ex->gil, 0);
    r->held = 0;
  }
  rc = run_step(io, s, ctx, cause);
  if (released) {
    /* a thread waiting for the GIL is blocked, not ready: it leaves the
     * watch before it may wait, and is watched again once it runs (the
     * sampler would draw the wait as ready, then running) */
    (void)gt__cpuwatch_leave(&r->slot);
    r->kind = GT_EV_WAIT;  /* gil_wait() adds no START or RESUME */
    gt__cpuwatch_enter(&r->slot, ex, r->task, r->worker,
        gt__resume_label(ex, r->task, i),
        gt__gil_take(ex->gil, gil_wait, r) ? GT_EV_RESUME : 0);
    r->held = 1;
  }
  r->gil_kind = GT_GIL_LOOP;
  return rc;
}

/* Take the named lock of a lock step (step i).  A free lock is taken at
 * once and the task runs on; a held one makes the task wait on `lock`,
 * without the GIL (threading.Lock.acquire releases it while it blocks),
 * until the holder lets go or the run is stopped. */
static int
lock_take(struct running *r, size_t i, const struct gt_step *s,
    char **cause)
{
  struct gt_executor *ex = r->ex;
  struct gt__lock *l = &ex->locks[s->arg];
  struct timespec until;
  uint64_t ns;

  pthread_mutex_lock(&l->mu);
  if (!l->held) {
    l->held = 1;
    pthread_mutex_unlock(&l->mu);
    r->locks[s->arg] = 1;
    return 0;
  }
  pthread_mutex_unlock(&l->mu);
  stop_running(r, GT_EV_WAIT, GT_R_LOCK, ex->step_label[r->task][i], 0);
  pthread_mutex_lock(&l->mu);
  while (l->held && !atomic_load(&ex->cancel)) {
    clock_gettime(CLOCK_MONOTONIC, &until);
    ns = (uint64_t)until.tv_nsec + SLEEP_SLICE_NS;
    until.tv_sec += (time_t)(ns / 1000000000ull);
    until.tv_nsec = (long)(ns % 1000000000ull);
    pthread_cond_timedwait(&l->freed, &l->mu, &until);
  }
  if (l->held) {
    pthread_mutex_unlock(&l->mu);
    gt_set_cause(cause, "cancelled waiting for %s", s->label);
    return GT_ECANCELED;
  }
  l->held = 1;
  pthread_mutex_unlock(&l->mu);
  r->locks[s->arg] = 1;
  run_on(r, GT_EV_RESUME, gt__resume_label(ex, r->task, i));
  return 0;
}

/* Let lock number k go, and wake a task waiting for it. */
static void
lock_give(struct running *r, uint64_t k)
{
  struct gt__lock *l = &r->ex->locks[k];

  pthread_mutex_lock(&l->mu);
  l->held = 0;
  pthread_cond_signal(&l->freed);
  pthread_mutex_unlock(&l->mu);
  r->locks[k] = 0;
}

/* An unlock step: a lock the task does not hold is an error, as
 * releasing an unlocked threading.Lock is (a spec file cannot say so: its
 * parser refuses it; a workload made in code can). */
static int
unlock_step(struct running *r, const struct gt_step *s, char **cause)
{
  if (s->arg >= r->ex->nlocks || !r->locks[s->arg]) {
    gt_set_cause(cause, "%s: the task does not hold it", s->label);
    return -EPERM;
  }
  lock_give(r, s->arg);
  return 0;
}

/* Run a task start to finish.  A running slice is labelled with the step it
 * is about to run, or after the last step, the step it just ended. */
void
gt__task_run_blocking(struct gt_blocking_io *io, size_t task, int32_t worker)
{
  struct gt_executor *ex = io->ex;
  struct gt_recorder *rec = ex->rec;
  const struct gt_task *t = &ex->tasks[task];
  struct running r = { .ex = ex, .task = task, .worker = worker,
    .kind = GT_EV_START, .gil_kind = GT_GIL_LOOP };
  struct gt_task_ctx ctx = { .checkpoint = checkpoint, .checkpoint_arg = &r };
  char *cause = NULL;
  size_t i;
  int rc = 0, reason;

  if (atomic_load(&ex->cancel)) {
    gt__emit(ex, task, GT_EV_FINISH, GT_R_NONE,
        gt_recorder_intern(rec, "cancelled before it started"),
        GT_ECANCELED, worker);
    return;
  }
  if (ex->nlocks > 0)
    r.locks = gt_xcalloc(ex->nlocks, 1);
  run_on(&r, GT_EV_START, t->nsteps ? ex->step_label[task][0]
      : ex->task_name[task]);
  for (i = 0; i < t->nsteps && rc == 0; i++) {
    const struct gt_step *s = &t->steps[i];

    if (s->kind == GT_STEP_LOCK) {
      rc = lock_take(&r, i, s, &cause);
      continue;
    }
    if (s->kind == GT_STEP_UNLOCK) {
      rc = unlock_step(&r, s, &cause);
      continue;
    }
    reason = gt__step_reason(s);
    if (reason == GT_R_NONE) {
      rc = run_cpu(io, &r, i, s, &ctx, &cause);
      continue;
    }
    stop_running(&r, GT_EV_WAIT, reason, ex->step_label[task][i], 0);
    rc = run_step(io, s, &ctx, &cause);
    if (s->kind == GT_STEP_HTTP)
      gt__http_split_connect(ex, io->curl, task, worker, r.wait_ns,
          ex->step_label[task][i]);
    if (rc == 0)
      run_on(&r, GT_EV_RESUME, gt__resume_label(ex, task, i));
  }
  if (rc != 0 && cause == NULL)
    cause = gt_xstrdup(gt_strerror(rc));
  stop_running(&r, GT_EV_FINISH, GT_R_NONE,
      rc != 0 ? gt_recorder_intern(rec, cause) : 0, rc);
  /* a task that ends holding a lock (it failed, or was stopped) lets it
   * go, so that no other task waits for it forever */
  for (i = 0; i < ex->nlocks; i++)
    if (r.locks[i])
      lock_give(&r, i);
  free(r.locks);
  free(cause);
  gt_task_ctx_done(&ctx);
  gt__body_release(&io->body);
}
