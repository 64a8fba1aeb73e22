/*
 * scheduler/executor.c: the run lifecycle every mode shares: register the
 * run, queue the tasks, hand them to the mode's ops table, stamp the end.
 */
#define _GNU_SOURCE  /* sigaction */
#include "internal.h"
#include "contention.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base.h"
#include "cpuwatch.h"

static const struct gt_executor_ops *const modes[] = {
  &gt__exec_sync,
  &gt__exec_threads,
  &gt__exec_async,
  &gt__exec_procs,
  &gt__exec_hybrid,
};

static const char *mode_names[sizeof(modes) / sizeof(modes[0])];

/* Global set-up that must happen before any thread starts. */
int
gt_scheduler_init(void)
{
  struct sigaction old;
  char pid[24];

  if (sigaction(SIGPIPE, NULL, &old) == 0 && old.sa_handler == SIG_DFL)
    signal(SIGPIPE, SIG_IGN);
  /* the worker processes this one starts learn whose they are: one that
   * starts after this process died must not wait for a parent it never
   * had (worker.c) */
  snprintf(pid, sizeof(pid), "%ld", (long)getpid());
  setenv(GT_WORKER_PARENT_ENV, pid, 1);
  gt__cpuwatch_init();
  return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : GT_ENET;
}

/* Global tear-down. */
void
gt_scheduler_done(void)
{
  curl_global_cleanup();
}

/* libuv's pool size for this process and its workers (before threads). */
void
gt_scheduler_set_pool(unsigned n)
{
  char v[16];

  if (n == 0)
    return;
  snprintf(v, sizeof(v), "%u", n < GT_POOL_MAX ? n : GT_POOL_MAX);
  setenv("UV_THREADPOOL_SIZE", v, 1);
}

/* The pool size as libuv 1.44's init_threads() works it out: atoi of the
 * variable, 0 taken as 1, capped at GT_POOL_MAX. */
unsigned
gt_scheduler_pool(void)
{
  const char *v = getenv("UV_THREADPOOL_SIZE");
  long n;

  if (v == NULL)
    return GT_POOL_DEFAULT;
  n = strtol(v, NULL, 10);
  if (n <= 0)  /* atoi's 0; a negative becomes a huge unsigned: the cap */
    return n == 0 ? 1 : GT_POOL_MAX;
  return n > (long)GT_POOL_MAX ? GT_POOL_MAX : (unsigned)n;
}

/* The mode table entry called name, or NULL. */
static const struct gt_executor_ops *
mode_find(const char *name)
{
  size_t i;

  for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
    if (strcmp(modes[i]->name, name) == 0)
      return modes[i];
  return NULL;
}

/* The names of the modes. */
const char *const *
gt_mode_names(size_t *n)
{
  size_t i;

  for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
    mode_names[i] = modes[i]->name;
  *n = sizeof(modes) / sizeof(modes[0]);
  return mode_names;
}

/* 1 when name is a mode. */
int
gt_mode_exists(const char *name)
{
  return mode_find(name) != NULL;
}

/* The width of an ops table's run. */
static unsigned
ops_width(const struct gt_executor_ops *ops, unsigned requested,
    size_t ntasks)
{
  unsigned w = requested ? requested : ops->default_workers(ntasks);

  if (ops->max_workers != 0 && w > ops->max_workers)
    w = ops->max_workers;  /* --workers does not widen sync */
  if (w > ntasks && ntasks > 0)
    w = (unsigned)ntasks;  /* a worker with no task to run: none */
  return w;
}

/* The most tasks a mode has in flight at once. */
unsigned
gt_mode_in_flight(const char *mode, unsigned workers, unsigned limit,
    size_t ntasks)
{
  const struct gt_executor_ops *ops = mode_find(mode);
  unsigned n = ntasks > UINT32_MAX ? UINT32_MAX : (unsigned)ntasks;

  if (ops == NULL)
    return 1;
  if ((ops->traits & GT_MODE_LIMIT_PER_WORKER) && limit != 0) {
    uint64_t all = (uint64_t)limit * ops_width(ops, workers, ntasks);

    return all < n ? (unsigned)all : n;
  }
  if (ops->traits & GT_MODE_LOOP)
    return limit != 0 && limit < n ? limit : n;
  return ops_width(ops, workers, ntasks);
}

/* What a run of ops holds in descriptors. */
struct fd_need {
  unsigned per_task;        /* here, each task in flight */
  unsigned per_worker;      /* here, each worker */
  unsigned child_per_task;  /* in a worker process, each task it holds */
};

/* Count what the tasks hold: a task's steps run one after another, but a
 * kept-alive connection outlives its request, so a task that requests and
 * writes may hold its socket and its file at once.  The most any task
 * holds is what each is counted for. */
static void
fd_need(const struct gt_executor_ops *ops, const struct gt_task *tasks,
    size_t ntasks, int server_here, struct fd_need *need)
{
  int http = 0, file = 0;
  size_t i, j;

  for (i = 0; i < ntasks && !(http && file); i++)
    for (j = 0; j < tasks[i].nsteps; j++) {
      http |= tasks[i].steps[j].kind == GT_STEP_HTTP;
      file |= tasks[i].steps[j].kind == GT_STEP_WRITE
          || tasks[i].steps[j].kind == GT_STEP_APPEND;
    }
  memset(need, 0, sizeof(*need));
  if (ops->in_workers) {
    need->per_task = http && server_here;  /* the server's end */
    need->per_worker = ops->fds_per_worker;  /* the pipes */
    need->child_per_task = (unsigned)http + (unsigned)file;
  } else {
    need->per_task = (http ? 1u + (server_here != 0) : 0u) + (unsigned)file;
    need->per_worker = http ? ops->fds_per_worker : 0;
  }
}

/* Descriptors in this process of width workers with flying tasks. */
static uint64_t
fds_of(const struct fd_need *need, unsigned width, unsigned flying)
{
  return (uint64_t)need->per_worker * width
      + (uint64_t)need->per_task * flying;
}

/* The most descriptors a run holds in this process. */
uint64_t
gt_mode_fds(const char *mode, unsigned workers, unsigned limit,
    const struct gt_task *tasks, size_t ntasks, int server_here)
{
  const struct gt_executor_ops *ops = mode_find(mode);
  struct fd_need need;

  if (ops == NULL)
    return 0;
  fd_need(ops, tasks, ntasks, server_here, &need);
  return fds_of(&need, ops_width(ops, workers, ntasks),
      gt_mode_in_flight(mode, workers, limit, ntasks));
}

/* Narrow a run's width or limit until its descriptors fit. */
int
gt_mode_fit(const char *mode, unsigned *workers, unsigned *limit,
    const struct gt_task *tasks, size_t ntasks, int server_here,
    uint64_t budget, uint64_t child_budget)
{
  const struct gt_executor_ops *ops = mode_find(mode);
  struct fd_need need;
  unsigned w, per;
  uint64_t fit, each;

  if (ops == NULL || ntasks == 0)
    return 0;
  fd_need(ops, tasks, ntasks, server_here, &need);
  w = ops_width(ops, *workers, ntasks);
  if (ops->traits & GT_MODE_LIMIT_PER_WORKER) {
    /* a limit in each worker: its own process holds its tasks', and this
     * one each worker's pipes and the server's ends */
    unsigned w0 = w, per0 = *limit ? *limit : (unsigned)((ntasks + w - 1) / w);

    per = per0;
    if (need.child_per_task != 0 && per > child_budget / need.child_per_task)
      per = (unsigned)(child_budget / need.child_per_task);
    if (per == 0)
      per = 1;
    if (fds_of(&need, w, gt_mode_in_flight(mode, w, per, ntasks)) > budget) {
      fit = budget > (uint64_t)need.per_worker * w && need.per_task != 0
          ? (budget - (uint64_t)need.per_worker * w) / need.per_task : 0;
      if (fit >= w) {
        per = (unsigned)(fit / w < per ? fit / w : per);
      } else {  /* a task a worker, and fewer workers */
        each = need.per_worker + need.per_task;
        w = each != 0 && budget / each > 0 ? (unsigned)(budget / each) : 1;
        per = 1;
      }
    }
    if (w == w0 && per == per0)
      return 0;
    *workers = w;
    *limit = per;
    return 1;
  }
  if (fds_of(&need, w, gt_mode_in_flight(mode, w, *limit, ntasks)) <= budget)
    return 0;
  if (ops->traits & GT_MODE_LOOP) {  /* one loop: its limit */
    fit = budget > need.per_worker * (uint64_t)w && need.per_task != 0
        ? (budget - need.per_worker * (uint64_t)w) / need.per_task : 1;
    fit = fit > 0 ? fit : 1;
    if (fit >= gt_mode_in_flight(mode, w, *limit, ntasks))
      return 0;
    *limit = (unsigned)fit;
    return 1;
  }
  /* a task a worker: fewer workers */
  each = need.per_worker + need.per_task;
  fit = each != 0 ? budget / each : w;
  fit = fit > 0 ? (fit < w ? fit : w) : 1;
  if (fit == w)
    return 0;  /* one worker of fixed width: nothing to narrow */
  *workers = (unsigned)fit;
  return 1;
}

/* A mode's traits. */
unsigned
gt_mode_traits(const char *mode)
{
  const struct gt_executor_ops *ops = mode != NULL ? mode_find(mode) : NULL;

  return ops != NULL ? ops->traits : 0;
}

/* The width a mode runs with. */
unsigned
gt_mode_width(const char *mode, unsigned requested, size_t ntasks)
{
  const struct gt_executor_ops *ops = mode_find(mode);

  return ops != NULL ? ops_width(ops, requested, ntasks) : 1;
}

/* A narrower width than asked: say so, in the recorder and in words. */
void
gt__narrowed(struct gt_executor *ex, unsigned width, const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  free(ex->note);
  if (vasprintf(&ex->note, fmt, ap) < 0)
    ex->note = NULL;
  va_end(ap);
  ex->workers = width;
  gt_recorder_run_set_workers(ex->rec, ex->run, (int32_t)width);
}

/* Append one event stamped now. */
void
gt__emit(struct gt_executor *ex, size_t task, int kind, int reason,
    uint32_t label, int32_t status, int32_t worker)
{
  gt__emit_at(ex, gt_now_ns(), task, kind, reason, label, status, worker);
}

/* A time after the tasks' QUEUE. */
uint64_t
gt__after_queue(const struct gt_executor *ex, uint64_t ts_ns)
{
  return ts_ns > ex->queued_ns ? ts_ns : ex->queued_ns + 1;
}

/* Append one event stamped ts_ns (after the QUEUE, unless it is one). */
void
gt__emit_at(struct gt_executor *ex, uint64_t ts_ns, size_t task, int kind,
    int reason, uint32_t label, int32_t status, int32_t worker)
{
  struct gt_event ev = {
    .ts_ns = kind == GT_EV_QUEUE ? ts_ns : gt__after_queue(ex, ts_ns),
    .task = (uint32_t)task,
    .label = label,
    .worker = worker,
    .status = status,
    .run = ex->run,
    .kind = (uint8_t)kind,
    .reason = (uint8_t)reason,
  };

  gt_recorder_append(ex->rec, &ev);
}

/* The CPUs online. */
unsigned
gt_cpus_online(void)
{
  long n = sysconf(_SC_NPROCESSORS_ONLN);

  return n > 0 ? (unsigned)n : 1;
}

/* The CPUs a run's workers get: with k, the first k of those the calling
 * thread may run on (all of them when it may run on fewer: a cpuset);
 * else all of them, only counted.  Sets ex->cores (k) and ex->ncores. */
static void
cores_pick(struct gt_executor *ex, unsigned k)
{
  cpu_set_t have, *want;
  unsigned cpu, n = 0;

  if (sched_getaffinity(0, sizeof(have), &have) != 0) {
    ex->ncores = k ? k : gt_cpus_online();
    return;
  }
  if (k == 0 || (unsigned)CPU_COUNT(&have) <= k) {
    ex->ncores = (unsigned)CPU_COUNT(&have);
    return;
  }
  want = gt_xcalloc(1, sizeof(*want));
  for (cpu = 0; cpu < CPU_SETSIZE && n < k; cpu++)
    if (CPU_ISSET(cpu, &have)) {
      CPU_SET(cpu, want);
      n++;
    }
  ex->cores = want;
  ex->ncores = n;
}

/* The CPUs the run is pinned to, or NULL. */
const cpu_set_t *
gt_run_cpus(const struct gt_run *run)
{
  return run->ex.cores;
}

/* Prepare a run and register it in the recorder. */
int
gt_run_new(struct gt_recorder *rec, const struct gt_run_config *cfg,
    const struct gt_task *tasks, size_t ntasks, struct gt_run **out,
    char **cause)
{
  const struct gt_executor_ops *ops = mode_find(cfg->mode);
  struct gt_run *run;
  struct gt_executor *ex;
  struct gt_run_info info = {0};
  size_t i, j;

  *out = NULL;
  if (ops == NULL) {
    gt_set_cause(cause, "unknown mode '%s'", cfg->mode);
    return GT_EUSAGE;
  }
  run = gt_xcalloc(1, sizeof(*run));
  ex = &run->ex;
  ex->ops = ops;
  ex->rec = rec;
  ex->tasks = tasks;
  ex->ntasks = ntasks;
  ex->workers = ops_width(ops, cfg->workers, ntasks);
  ex->base_url = gt_xstrdup(cfg->base_url ? cfg->base_url : "");
  ex->out_dir = gt_xstrdup(cfg->out_dir ? cfg->out_dir : ".");
  /* Every file a task writes is opened beneath this descriptor, so no link
   * under it (nor one put at out_dir once the run began) is followed. */
  ex->out_fd = open(ex->out_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW
      | O_CLOEXEC);
  if (ex->out_fd < 0)
    ex->out_fd = -errno;
  ex->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : 30000;
  ex->limit = cfg->limit;
  ex->fresh = cfg->fresh_connections != 0;
  ex->direct = cfg->direct != 0;
  ex->body_max = cfg->body_max_bytes ? cfg->body_max_bytes
      : GT_BODY_MAX_BYTES;
  ex->body_budget = cfg->body_held_bytes ? cfg->body_held_bytes
      : GT_BODY_HELD_BYTES;
  atomic_init(&ex->body_held, 0);
  atomic_init(&ex->body_peak, 0);
  ex->gil_on = cfg->gil && (ops->traits & GT_MODE_GIL) != 0;
  ex->switch_ms = cfg->switch_ms ? cfg->switch_ms : 5;
  ex->gil_label = gt_recorder_intern(rec, "wait GIL");
  atomic_init(&ex->cancel, 0);
  ex->task_name = gt_xmalloc((ntasks ? ntasks : 1) * sizeof(uint32_t));
  ex->step_label = gt_xmalloc((ntasks ? ntasks : 1) * sizeof(uint32_t *));
  for (i = 0; i < ntasks; i++) {
    ex->task_name[i] = gt_recorder_intern(rec, tasks[i].name);
    ex->step_label[i] = gt_xmalloc((tasks[i].nsteps ? tasks[i].nsteps : 1)
        * sizeof(uint32_t));
    for (j = 0; j < tasks[i].nsteps; j++)
      ex->step_label[i][j] = gt_recorder_intern(rec, tasks[i].steps[j].label);
  }
  for (i = 0; i < ntasks; i++)  /* the locks: one past the highest number */
    for (j = 0; j < tasks[i].nsteps; j++)
      if ((tasks[i].steps[j].kind == GT_STEP_LOCK
          || tasks[i].steps[j].kind == GT_STEP_UNLOCK)
          && tasks[i].steps[j].arg >= ex->nlocks)
        ex->nlocks = (size_t)tasks[i].steps[j].arg + 1;
  if (ex->nlocks > 0) {
    pthread_condattr_t ca;

    ex->locks = gt_xcalloc(ex->nlocks, sizeof(*ex->locks));
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    for (i = 0; i < ex->nlocks; i++) {
      pthread_mutex_init(&ex->locks[i].mu, NULL);
      pthread_cond_init(&ex->locks[i].freed, &ca);
    }
    pthread_condattr_destroy(&ca);
  }
  info.name = gt_recorder_intern(rec, ops->name);
  info.workers = (int32_t)ex->workers;
  info.limit = ops->traits & GT_MODE_LOOP ? cfg->limit : 0;
  info.traits = ops->traits;
  info.tasks = (uint32_t)ntasks;
  cores_pick(ex, cfg->cores);
  info.cores = ex->ncores;
  ex->run = gt_recorder_run_add(rec, &info);
  *out = run;
  return 0;
}

static int run_exec(struct gt_executor *ex, char **cause);

/* Run every task on the run's CPUs. */
int
gt_run_exec(struct gt_run *run, char **cause)
{
  struct gt_executor *ex = &run->ex;
  cpu_set_t before;
  int rc, pinned = 0;

  /* --cores: this thread runs on the run's CPUs, and so does every thread
   * and process it starts (they inherit its mask); it gets its own back
   * at the end. */
  if (ex->cores != NULL && sched_getaffinity(0, sizeof(before), &before)
      == 0 && sched_setaffinity(0, sizeof(cpu_set_t), ex->cores) == 0)
    pinned = 1;
  rc = run_exec(ex, cause);
  if (pinned)
    sched_setaffinity(0, sizeof(before), &before);
  return rc;
}

/* Queue every task, let the mode run them, stamp the run's end. */
static int
run_exec(struct gt_executor *ex, char **cause)
{
  size_t i;
  int rc;

  gt_recorder_run_start(ex->rec, ex->run, gt_now_ns());
  /* Every task waits from the run's start: while the workers start too
   * (processes take a while), the lanes show them queued, as they are.
   * One instant for all, set before any worker exists, so every later
   * event of a task can be stamped after it (gt__after_queue). */
  ex->queued_ns = gt_now_ns();
  for (i = 0; i < ex->ntasks; i++)
    gt__emit_at(ex, ex->queued_ns, i, GT_EV_QUEUE, GT_R_NONE,
        ex->task_name[i], 0, -1);
  rc = ex->ops->start(ex, cause);
  if (rc != 0) {
    /* The run could not start: every task ends with that error, so the
     * report and the trace count them as failed rather than missing. */
    uint32_t why = gt_recorder_intern(ex->rec, cause && *cause ? *cause
        : gt_strerror(rc));

    for (i = 0; i < ex->ntasks; i++)
      gt__emit(ex, i, GT_EV_FINISH, GT_R_NONE, why, rc, -1);
    gt_recorder_run_end(ex->rec, ex->run, gt_now_ns());
    return rc;
  }
  for (i = 0; i < ex->ntasks; i++)
    ex->ops->submit(ex, i);
  ex->ops->drain(ex);
  ex->ops->stop(ex);
  gt_recorder_run_end(ex->rec, ex->run, gt_now_ns());
  if (ex->late_rc != 0) {  /* its tasks ended with the reason already */
    gt_set_cause(cause, "%s", ex->late_cause != NULL ? ex->late_cause
        : gt_strerror(ex->late_rc));
    return ex->late_rc;
  }
  return 0;
}

/* Ask the run to stop; only an atomic store, so a signal handler may. */
void
gt_run_stop(struct gt_run *run)
{
  if (run != NULL)
    atomic_store(&run->ex.cancel, 1);
}

/* The run's id. */
uint16_t
gt_run_id(const struct gt_run *run)
{
  return run->ex.run;
}

/* The run's width. */
unsigned
gt_run_workers(const struct gt_run *run)
{
  return run->ex.workers;
}

/* The most bytes of answers the run held at once in this process. */
size_t
gt_run_body_peak_bytes(const struct gt_run *run)
{
  return atomic_load(&((struct gt_run *)run)->ex.body_peak);
}

/* What the run changed from what was asked. */
const char *
gt_run_note(const struct gt_run *run)
{
  return run->ex.note;
}

/* Free a run. */
void
gt_run_free(struct gt_run *run)
{
  size_t i;

  if (run == NULL)
    return;
  for (i = 0; i < run->ex.nlocks; i++) {
    pthread_mutex_destroy(&run->ex.locks[i].mu);
    pthread_cond_destroy(&run->ex.locks[i].freed);
  }
  free(run->ex.locks);
  for (i = 0; i < run->ex.ntasks; i++)
    free(run->ex.step_label[i]);
  free(run->ex.step_label);
  free(run->ex.task_name);
  free(run->ex.base_url);
  free(run->ex.out_dir);
  if (run->ex.out_fd >= 0)
    close(run->ex.out_fd);
  free(run->ex.note);
  free(run->ex.late_cause);
  free(run->ex.cores);
  free(run);
}
