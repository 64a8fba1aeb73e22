/*
 * scheduler/session.c: a session's runs: the modes in turn or together,
 * each in its own folder, within the open-file limit, cancelled together,
 * and (headless) stopped by a signal taken on a thread of its own.
 */
#define _GNU_SOURCE
#include "session.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base.h"
#include "contention.h"
#include "executor.h"

#define FD_RESERVE 64  /* descriptors kept for stdio, the loops, the demo
                          server's listener and threads, the files written */

struct gt_session {
  struct gt_session_config cfg;
  const struct gt_task *tasks;
  size_t                ntasks;
  char                 *base_url;
  int                   server_here;  /* the embedded demo server: both
                                       ends of a request are ours, and
                                       it is reached directly, never
                                       through a proxy */
  uint64_t              nofile;     /* the open-file limit, raised */
  int                   quiet;      /* no progress lines (the view is up) */
  int                   live;       /* the view is up: errors wait in
                                       first_error until it closes */
  char                 *first_error;  /* why a mode failed (under
                                       active_lock), for after the view */
  unsigned              workers;    /* 0: --workers or the mode's default */
  int                   gil;        /* --gil, or the view's `g` */
  unsigned              cores;      /* --cores, or the view's `{` `}` */
  struct gt_recorder   *rec;        /* the runs append here */
  void                (*done)(void *);  /* live view: rung when the runs
                                       end */
  void                 *done_arg;
  pthread_t             thread;     /* live view: the runs' thread */
  int                   has_thread;
  atomic_int            running;    /* 1 while the runs' thread works */
  atomic_int            failed;     /* a mode could not run */
  atomic_int            cancel;     /* 1: the session's runs must stop */
  atomic_int            stop_signal;  /* the signal that stopped us, or 0 */
  sigset_t              sigs;       /* taken by the signal thread */
  pthread_t             sig_thread;
  int                   has_sig_thread;
  pthread_mutex_t       active_lock;
  struct gt_run        *active[GT_SESSION_MAX_RUNS];  /* under active_lock */
};

/* One mode's run of a session, and the thread it runs on (--together). */
struct mode_job {
  struct gt_session *s;
  const char     *mode;
  const char     *folder;           /* inside --out: MODE, MODE-2 ... */
  int             slot;             /* index in active */
  int             started;          /* 1: thread is running it */
  pthread_t       thread;
  unsigned        workers;          /* its width and limit, after the */
  unsigned        limit;            /*   open-file cap (0: defaults) */
};

/* A line for the user, through the caller's cfg.tell (never printed
 * here: a library folder does not print). */
static void __attribute__((format(printf, 2, 3)))
tell(const struct gt_session *s, const char *fmt, ...)
{
  va_list ap;
  char *msg;

  if (s->cfg.tell == NULL)
    return;
  va_start(ap, fmt);
  msg = gt_xvasprintf(fmt, ap);
  va_end(ap);
  s->cfg.tell(s->cfg.tell_arg, msg);
  free(msg);
}

/* Name each run's folder: the mode's name, then NAME-2, NAME-3 ... for
 * the runs of a mode that ran before. */
static void
name_folders(char mode[][GT_MODE_LEN], char folder[][GT_FOLDER_LEN],
    size_t n)
{
  size_t i, k, before;

  for (i = 0; i < n; i++) {
    for (before = 0, k = 0; k < i; k++)
      before += strcmp(mode[k], mode[i]) == 0;
    if (before == 0)
      snprintf(folder[i], GT_FOLDER_LEN, "%s", mode[i]);
    else
      snprintf(folder[i], GT_FOLDER_LEN, "%s-%zu", mode[i], before + 1);
  }
}

/* The modes of a list and their folders. */
size_t
gt_session_modes(const char *list, char mode[][GT_MODE_LEN],
    char folder[][GT_FOLDER_LEN])
{
  char *copy, *save = NULL, *m;
  const char *const *names;
  size_t n = 0, k;

  if (list != NULL) {
    copy = gt_xstrdup(list);
    for (m = strtok_r(copy, ",", &save);
         m != NULL && n < GT_SESSION_MAX_MODES;
         m = strtok_r(NULL, ",", &save))
      snprintf(mode[n++], GT_MODE_LEN, "%s", m);
    free(copy);
  } else {
    names = gt_mode_names(&k);
    for (; n < k && n < GT_SESSION_MAX_MODES; n++)
      snprintf(mode[n], GT_MODE_LEN, "%s", names[n]);
  }
  name_folders(mode, folder, n);
  return n;
}

/* The runs of a session, round after round. */
size_t
gt_session_runs(const char *list, unsigned repeat, char mode[][GT_MODE_LEN],
    char folder[][GT_FOLDER_LEN])
{
  char one[GT_SESSION_MAX_MODES][GT_MODE_LEN];
  char dir[GT_SESSION_MAX_MODES][GT_FOLDER_LEN];
  size_t k = gt_session_modes(list, one, dir), n = 0, i;
  unsigned r;

  for (r = 0; r < (repeat ? repeat : 1); r++)
    for (i = 0; i < k && n < GT_SESSION_MAX_RUNS; i++)
      memcpy(mode[n++], one[i], GT_MODE_LEN);
  name_folders(mode, folder, n);
  return n;
}

/* A new session. */
struct gt_session *
gt_session_new(const struct gt_session_config *cfg)
{
  struct gt_session *s = gt_xcalloc(1, sizeof(*s));

  s->cfg = *cfg;
  s->quiet = cfg->quiet;
  s->gil = cfg->gil;
  s->cores = cfg->cores;
  s->nofile = gt_raise_nofile();
  gt_scheduler_set_pool(cfg->pool);  /* before any thread: setenv */
  atomic_init(&s->running, 0);
  atomic_init(&s->failed, 0);
  atomic_init(&s->cancel, 0);
  atomic_init(&s->stop_signal, 0);
  pthread_mutex_init(&s->active_lock, NULL);
  return s;
}

/* Stop every run in progress and keep later ones from starting.  A run is
 * freed only after it leaves active, under the same lock, so this never
 * touches a freed run. */
void
gt_session_cancel(struct gt_session *s)
{
  int i;

  atomic_store(&s->cancel, 1);
  pthread_mutex_lock(&s->active_lock);
  for (i = 0; i < GT_SESSION_MAX_RUNS; i++)
    gt_run_stop(s->active[i]);
  pthread_mutex_unlock(&s->active_lock);
}

/* Put run in slot (NULL to clear it). */
static void
set_active(struct gt_session *s, int slot, struct gt_run *run)
{
  pthread_mutex_lock(&s->active_lock);
  s->active[slot] = run;
  pthread_mutex_unlock(&s->active_lock);
}

/* The headless session's signal thread: SIGINT, SIGTERM and SIGHUP (a
 * closed terminal, an ssh drop) are blocked in every thread and taken here
 * with sigwait(), so stopping is ordinary code, not a signal handler.  The
 * first signal stops the runs (what ran is still reported and written); a
 * second one leaves at once.  SIGUSR1 from gt_session_free() ends the
 * thread. */
static void *
signal_main(void *arg)
{
  struct gt_session *s = arg;
  int sig;

  for (;;) {
    if (sigwait(&s->sigs, &sig) != 0 || sig == SIGUSR1)
      return NULL;
    if (atomic_load(&s->stop_signal)) {
      static const char msg[] = "gantty: stopped at once\n";

      (void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
      _exit(128 + sig);
    }
    atomic_store(&s->stop_signal, sig);
    gt_session_cancel(s);
  }
}

/* Block the stop signals and take them on a thread. */
int
gt_session_catch_signals(struct gt_session *s)
{
  int rc;

  sigemptyset(&s->sigs);
  sigaddset(&s->sigs, SIGINT);
  sigaddset(&s->sigs, SIGTERM);
  sigaddset(&s->sigs, SIGHUP);
  sigaddset(&s->sigs, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &s->sigs, NULL);
  rc = pthread_create(&s->sig_thread, NULL, signal_main, s);
  s->has_sig_thread = rc == 0;
  return -rc;
}

/* The signal that stopped the session. */
int
gt_session_stop_signal(const struct gt_session *s)
{
  return atomic_load(&((struct gt_session *)s)->stop_signal);
}

/* The tasks and the server. */
void
gt_session_set_tasks(struct gt_session *s, const struct gt_task *tasks,
    size_t ntasks, const char *base_url, int server_here)
{
  s->tasks = tasks;
  s->ntasks = ntasks;
  free(s->base_url);
  s->base_url = base_url != NULL ? gt_xstrdup(base_url) : NULL;
  s->server_here = server_here;
}

/* The view is up, or down again. */
void
gt_session_set_live(struct gt_session *s, int live)
{
  if (live)
    s->quiet = 1;
  s->live = live;
}

/* Start every file the tasks append to empty, so that a run's files hold
 * that run only (pow.tsv, titles.tsv).  dirfd is the run's folder; a
 * file's folder is opened beneath it without following a link, and only
 * the name itself is removed (a link there is removed, not followed). */
static void
clear_appends(int dirfd, const struct gt_task *tasks, size_t n)
{
  const char *last = NULL, *slash;
  size_t i, j;
  char *folder;
  int fd;

  for (i = 0; i < n; i++)
    for (j = 0; j < tasks[i].nsteps; j++) {
      const struct gt_step *st = &tasks[i].steps[j];

      if (st->kind != GT_STEP_APPEND
          || (last != NULL && strcmp(last, st->target) == 0))
        continue;
      last = st->target;
      slash = strrchr(st->target, '/');
      if (slash == NULL) {
        (void)unlinkat(dirfd, st->target, 0);  /* not there: nothing */
        continue;
      }
      folder = gt_xasprintf("%.*s", (int)(slash - st->target), st->target);
      fd = gt_open_beneath(dirfd, folder, O_RDONLY | O_DIRECTORY, 0, 0);
      if (fd >= 0) {  /* a link in the way: the task's write will say so */
        (void)unlinkat(fd, slash + 1, 0);
        close(fd);
      }
      free(folder);
    }
}

/* Make the mode's folder mode inside --out and open it, refusing a link
 * there: a link planted at OUT/MODE would send every file elsewhere.
 * Returns the folder's descriptor, or a negative errno with *cause. */
static int
open_mode_dir(const char *out_dir, const char *mode, char **cause)
{
  int out, fd;

  out = open(out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (out < 0) {
    fd = -errno;
    gt_set_cause(cause, "cannot open folder %s: %s", out_dir,
        strerror(errno));
    return fd;
  }
  if (mkdirat(out, mode, 0755) != 0 && errno != EEXIST) {
    fd = -errno;
    gt_set_cause(cause, "cannot create folder %s/%s: %s", out_dir, mode,
        strerror(errno));
  } else {
    fd = gt_open_beneath(out, mode, O_RDONLY | O_DIRECTORY, 0, 0);
    if (fd < 0)
      gt_set_cause(cause, "cannot use folder %s/%s: %s", out_dir, mode,
          gt_beneath_strerror(fd));
  }
  close(out);
  return fd;
}

/* Keep why a mode failed: told at once (even when quiet: it is the cause
 * of a non-zero exit), or while the view is up kept as the first error,
 * for after it closes. */
static void
mode_failed(struct gt_session *s, const char *mode, const char *cause,
    int rc)
{
  char *why = gt_xasprintf("%s: %s", mode, cause ? cause : gt_strerror(rc));

  if (!s->live) {
    tell(s, "%s", why);
    free(why);
  } else {
    pthread_mutex_lock(&s->active_lock);
    if (s->first_error == NULL)
      s->first_error = why;
    else
      free(why);
    pthread_mutex_unlock(&s->active_lock);
  }
  atomic_store(&s->failed, 1);
}

/* One mode's run, into its own output folder; records a failure in
 * s->failed. */
static void
run_mode(struct gt_session *s, const struct mode_job *j)
{
  const char *mode = j->mode;
  int slot = j->slot;
  char *dir = gt_xasprintf("%s/%s", s->cfg.out_dir, j->folder);
  char *cause = NULL;
  struct gt_run_config cfg = {
    .mode = mode,
    .workers = j->workers,
    .limit = j->limit,
    .base_url = s->base_url,
    .out_dir = dir,
    .timeout_ms = s->cfg.timeout_ms,
    .gil = s->gil,
    .cores = s->cores,
    .switch_ms = s->cfg.switch_ms,
    .fresh_connections = s->cfg.fresh,
    .direct = s->server_here,
  };
  struct gt_run *run = NULL;
  struct gt_cpu_mark before, after;
  unsigned width, flying;
  int rc, dirfd, pm;

  dirfd = open_mode_dir(s->cfg.out_dir, j->folder, &cause);
  rc = dirfd < 0 ? dirfd : 0;
  if (rc == 0) {
    clear_appends(dirfd, s->tasks, s->ntasks);
    close(dirfd);
    rc = gt_run_new(s->rec, &cfg, s->tasks, s->ntasks, &run, &cause);
  }
  if (rc != 0)
    goto out;
  /* Publish the run before looking at the flag: a cancel before this point
   * is seen by the check, one after it stops the run itself.  A stopped run
   * still executes, quickly, so its tasks are recorded as cancelled. */
  set_active(s, slot, run);
  if (atomic_load(&s->cancel))
    gt_run_stop(run);
  width = gt_run_workers(run);
  flying = gt_mode_in_flight(mode, width, cfg.limit, s->ntasks);
  if (!s->quiet && flying != width && flying < s->ntasks)
    tell(s, "%s: %zu task%s on %u worker%s, at most %u in flight", mode,
        s->ntasks, s->ntasks == 1 ? "" : "s", width, width == 1 ? "" : "s",
        flying);
  else if (!s->quiet)
    tell(s, "%s: %zu task%s on %u worker%s", mode,
        s->ntasks, s->ntasks == 1 ? "" : "s", width, width == 1 ? "" : "s");
  gt_cpu_mark(&before, gt_run_cpus(run));
  rc = gt_run_exec(run, &cause);
  gt_cpu_mark(&after, gt_run_cpus(run));
  /* other programs' share of the CPU over the run, for every reader */
  if ((pm = gt_cpu_others_pm(&before, &after)) >= 0)
    gt_recorder_run_set_contention(s->rec, gt_run_id(run), (uint32_t)pm);
  set_active(s, slot, NULL);
  if (!s->quiet && gt_run_note(run) != NULL)  /* a narrower width */
    tell(s, "%s: %s", mode, gt_run_note(run));
out:
  if (rc != 0)
    mode_failed(s, mode, cause, rc);
  gt_run_free(run);
  free(cause);
  free(dir);
}

/* A mode run on its own thread (--together). */
static void *
mode_main(void *arg)
{
  struct mode_job *j = arg;

  run_mode(j->s, j);
  return NULL;
}

/* The open-file cap: a task in flight holds descriptors in this process
 * (its socket, the server's end of it, its file: only what its steps
 * open), and so does each worker (a process's pipes, a thread's libcurl
 * pair).  The modes that run at once share the limit, less FD_RESERVE for
 * the fixed ones: a mode that wants less than an even share has what it
 * wants, and the others split the rest evenly.  A worker process has the
 * whole limit for its own tasks.  A mode that does not fit is narrowed
 * (its width, or its limit) and the user is told. */
static void
cap_open_files(struct gt_session *s, struct mode_job *jobs, size_t n)
{
  uint64_t budget = s->nofile > FD_RESERVE ? s->nofile - FD_RESERVE : 1;
  uint64_t want[GT_SESSION_MAX_RUNS], share[GT_SESSION_MAX_RUNS];
  uint64_t left = budget;
  unsigned before, after;
  int given[GT_SESSION_MAX_RUNS] = {0};
  size_t i, k, least;

  for (i = 0; i < n; i++) {
    jobs[i].workers = s->workers ? s->workers : s->cfg.workers;
    jobs[i].limit = s->cfg.limit;
    want[i] = gt_mode_fds(jobs[i].mode, jobs[i].workers, jobs[i].limit,
        s->tasks, s->ntasks, s->server_here);
    share[i] = budget;
  }
  for (k = n; s->cfg.together && k > 0; k--) {  /* the least wanting first */
    least = n;
    for (i = 0; i < n; i++)
      if (!given[i] && (least == n || want[i] < want[least]))
        least = i;
    share[least] = want[least] < left / k ? want[least] : left / k;
    left -= share[least];
    given[least] = 1;
  }
  for (i = 0; i < n; i++) {
    before = gt_mode_in_flight(jobs[i].mode, jobs[i].workers, jobs[i].limit,
        s->ntasks);
    if (!gt_mode_fit(jobs[i].mode, &jobs[i].workers, &jobs[i].limit,
        s->tasks, s->ntasks, s->server_here, share[i], budget))
      continue;
    after = gt_mode_in_flight(jobs[i].mode, jobs[i].workers, jobs[i].limit,
        s->ntasks);
    if (!s->quiet)
      tell(s, "%s: the open-file limit (%llu%s) caps this run at %u task%s "
          "in flight instead of %u", jobs[i].mode,
          (unsigned long long)s->nofile, s->cfg.together && n > 1
          ? ", shared by the modes running together" : "", after,
          after == 1 ? "" : "s", before);
  }
}

/* Run every mode of the session: one after another, or all at once. */
static void
run_modes(struct gt_session *s)
{
  struct mode_job jobs[GT_SESSION_MAX_RUNS];
  char mode[GT_SESSION_MAX_RUNS][GT_MODE_LEN];
  char folder[GT_SESSION_MAX_RUNS][GT_FOLDER_LEN];
  size_t n = gt_session_runs(s->cfg.modes, s->cfg.repeat, mode, folder), i;

  for (i = 0; i < n; i++)
    jobs[i] = (struct mode_job){ .s = s, .mode = mode[i],
        .folder = folder[i], .slot = (int)i };
  cap_open_files(s, jobs, n);
  if (s->cfg.together) {
    for (i = 0; i < n; i++) {
      if (pthread_create(&jobs[i].thread, NULL, mode_main, &jobs[i]) == 0)
        jobs[i].started = 1;
      else
        run_mode(s, &jobs[i]);
    }
    for (i = 0; i < n; i++)
      if (jobs[i].started)
        pthread_join(jobs[i].thread, NULL);
  } else {
    for (i = 0; i < n && !atomic_load(&s->cancel); i++)
      run_mode(s, &jobs[i]);
  }
}

/* Headless: every mode, here. */
void
gt_session_run(struct gt_session *s, struct gt_recorder *rec)
{
  s->rec = rec;
  run_modes(s);
}

/* The live view's runs' thread. */
static void *
session_main(void *arg)
{
  struct gt_session *s = arg;

  run_modes(s);
  atomic_store(&s->running, 0);
  if (s->done != NULL)
    s->done(s->done_arg);  /* the view repaints the end */
  return NULL;
}

/* Live: every mode, on the runs' thread. */
int
gt_session_start(struct gt_session *s, struct gt_recorder *rec,
    unsigned workers, int gil, void (*done)(void *), void *done_arg)
{
  int rc;

  s->rec = rec;
  s->workers = workers;
  s->gil = gil;
  s->done = done;
  s->done_arg = done_arg;
  atomic_store(&s->cancel, 0);
  atomic_store(&s->running, 1);
  rc = pthread_create(&s->thread, NULL, session_main, s);
  if (rc != 0) {
    atomic_store(&s->running, 0);
    atomic_store(&s->failed, 1);
    if (s->first_error == NULL)  /* no runs' thread: no one else writes */
      s->first_error = gt_xstrdup("cannot start the runs' thread");
    return -rc;
  }
  s->has_thread = 1;
  return 0;
}

/* The cores of the next start. */
void
gt_session_set_cores(struct gt_session *s, unsigned cores)
{
  s->cores = cores ? cores : s->cfg.cores;
}

/* Wait for the runs' thread. */
void
gt_session_join(struct gt_session *s)
{
  if (s->has_thread)
    pthread_join(s->thread, NULL);
  s->has_thread = 0;
}

/* Are runs going? */
int
gt_session_running(const struct gt_session *s)
{
  return atomic_load(&((struct gt_session *)s)->running);
}

/* Did a mode fail? */
int
gt_session_failed(const struct gt_session *s)
{
  return atomic_load(&((struct gt_session *)s)->failed);
}

/* The first error kept while live. */
const char *
gt_session_first_error(const struct gt_session *s)
{
  return s->first_error;
}

/* The end of a session. */
void
gt_session_free(struct gt_session *s)
{
  if (s == NULL)
    return;
  gt_session_join(s);
  if (s->has_sig_thread) {
    pthread_kill(s->sig_thread, SIGUSR1);
    pthread_join(s->sig_thread, NULL);
  }
  pthread_mutex_destroy(&s->active_lock);
  free(s->first_error);
  free(s->base_url);
  free(s);
}
