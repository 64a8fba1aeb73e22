/*
 * scheduler/internal.h: what the executors share.  Not for other folders.
 */
#ifndef GT_SCHEDULER_INTERNAL_H
#define GT_SCHEDULER_INTERNAL_H

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>

#include "executor.h"

struct gt_executor;
struct gt_gil;

/* One table per mode (STYLE.md section 9). */
struct gt_executor_ops {
  const char *name;
  unsigned (*default_workers)(size_t ntasks);
  unsigned max_workers;                 /* 0: any width; sync: 1 */
  uint32_t traits;                      /* GT_MODE_* (recorder.h): what
                                           the mode is; the scheduler and
                                           every reader decide by these,
                                           never by the name.  LOOP: --limit
                                           caps its tasks in flight (one
                                           loop runs them all); with
                                           LIMIT_PER_WORKER, in each
                                           worker's loop */
  const char *worker_mode;              /* in_workers: the mode each
                                           worker process runs its tasks
                                           with; else NULL */
  int      in_workers;                  /* 1: tasks run in worker processes;
                                           here only the server's end of
                                           their sockets */
  unsigned fds_per_worker;              /* each worker's own descriptors
                                           here: a process's two pipes; a
                                           blocking thread's libcurl
                                           wake-up pair (when its tasks
                                           make requests) */
  int  (*start)(struct gt_executor *ex, char **cause);  /* make workers */
  void (*submit)(struct gt_executor *ex, size_t task);  /* hand a task out */
  void (*drain)(struct gt_executor *ex);  /* returns once all finished */
  void (*stop)(struct gt_executor *ex);   /* join workers, free impl */
};

/* A spec file's named lock in the blocking modes (sync, threads, and each
 * procs worker): held or not, and a condition to wait on until it is
 * free; waits check the run's stop every slice, so a stop ends a wait on
 * a lock that is never let go (two tasks taking two locks in opposite
 * orders deadlock, as in Python). */
struct gt__lock {
  pthread_mutex_t mu;
  pthread_cond_t  freed;
  int             held;
};

struct gt_executor {
  const struct gt_executor_ops *ops;
  struct gt_recorder   *rec;
  uint16_t              run;
  const struct gt_task *tasks;
  size_t                ntasks;
  uint32_t             *task_name;  /* interned names, one per task */
  uint32_t            **step_label; /* interned step labels, per task */
  unsigned              workers;
  char                 *base_url;
  char                 *out_dir;
  int                   out_fd;     /* out_dir, opened; or -errno */
  long                  timeout_ms;
  unsigned              limit;      /* tasks in flight at most; 0: all */
  int                   fresh;      /* a new connection per request */
  int                   direct;     /* base_url is reached without proxy */
  size_t                body_max;   /* bytes one answer may have */
  size_t                body_budget;  /* bytes all answers held may have */
  atomic_size_t         body_held;  /* answer buffers' bytes held now */
  atomic_size_t         body_peak;  /* the most body_held has been */
  int                   gil_on;     /* threads: CPU steps share a GIL */
  unsigned              switch_ms;  /* the GIL's switch interval */
  struct gt_gil        *gil;        /* made by the threads executor */
  uint32_t              gil_label;  /* "wait GIL" */
  atomic_int            cancel;     /* 1: stop as soon as possible */
  void                 *impl;       /* the mode's own state */
  char                 *note;       /* what the mode changed from what was
                                       asked (a narrower width), or NULL */
  int                   late_rc;    /* set by a mode once started: the run
                                       could not go on (no worker started) */
  char                 *late_cause; /* why, with late_rc */
  void                 *cores;      /* --cores: a cpu_set_t (sched.h)
                                       gt_run_exec() runs on, and so do
                                       the threads and processes it
                                       starts; NULL: no --cores */
  unsigned              ncores;     /* the CPUs the workers run on */
  uint64_t              queued_ns;  /* when every task was queued: each
                                       later event of a task is stamped
                                       after it (gt__after_queue) */
  struct gt__lock      *locks;      /* the tasks' named locks, by number
                                       (a lock step's arg); NULL: none */
  size_t                nlocks;
};

/* The public handle is the executor; the wrapper keeps the name opaque. */
struct gt_run {
  struct gt_executor ex;
};

/* The environment variable that tells a worker process its parent's pid
 * (set by gt_scheduler_init(), before any thread exists). */
#define GT_WORKER_PARENT_ENV "GANTTY_WORKER_PARENT"

extern const struct gt_executor_ops gt__exec_sync;
extern const struct gt_executor_ops gt__exec_threads;
extern const struct gt_executor_ops gt__exec_async;
extern const struct gt_executor_ops gt__exec_procs;
extern const struct gt_executor_ops gt__exec_hybrid;

/* The mode could start only width of the workers asked for (width >= 1):
 * the run goes on with those, the recorder's run says so, and the note
 * (why, from a printf format) is left for gt_run_note(). */
void gt__narrowed(struct gt_executor *ex, unsigned width, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

/* ts_ns, or the first instant after the tasks' QUEUE when it is not later:
 * a task's events after its QUEUE are stamped strictly after it, so that
 * time alone orders them, whatever order the recorder gathers the threads'
 * buffers in (equal times keep arrival order: trace/timeline.h). */
uint64_t gt__after_queue(const struct gt_executor *ex, uint64_t ts_ns);

/* Append one event stamped now, or at ts_ns (a task's events other than
 * its QUEUE through gt__after_queue). */
void gt__emit(struct gt_executor *ex, size_t task, int kind, int reason,
    uint32_t label, int32_t status, int32_t worker);
void gt__emit_at(struct gt_executor *ex, uint64_t ts_ns, size_t task,
    int kind, int reason, uint32_t label, int32_t status, int32_t worker);

/* Where a transfer's answer goes: the task's body, its buffer counted
 * against the run's budget (ex->body_held) while the task holds it. */
struct gt_body_sink {
  struct gt_executor *ex;
  struct gt_task_ctx *ctx;
  size_t              charged;    /* bytes of ctx's body buffer counted in
                                     ex->body_held */
  int                 refused;    /* why the last answer was cut: 0, or
                                     GT_BODY_TOO_LONG, GT_BODY_NO_ROOM */
};

#define GT_BODY_TOO_LONG 1  /* longer than ex->body_max */
#define GT_BODY_NO_ROOM  2  /* the run's answers would pass body_budget */

/* Give back what sink holds of the budget (its task ends). */
void gt__body_release(struct gt_body_sink *sink);

/* A worker's blocking I/O: one curl easy handle, reused (keep-alive). */
struct gt_blocking_io {
  struct gt_executor *ex;
  CURL               *curl;
  char                errbuf[CURL_ERROR_SIZE];
  struct gt_body_sink body;       /* the running task's answer */
};

/* Set io up for ex.  Returns 0 or a GT_E* code with *cause. */
int gt__io_blocking_init(struct gt_blocking_io *io, struct gt_executor *ex,
    char **cause);
void gt__io_blocking_done(struct gt_blocking_io *io);

/* Run task on the calling thread with blocking I/O, emitting START, the
 * waits and FINISH.  A cancelled executor finishes it as cancelled. */
void gt__task_run_blocking(struct gt_blocking_io *io, size_t task,
    int32_t worker);

/* What blocking and loop I/O share (io_blocking.c). */
void gt__easy_setup(CURL *easy, struct gt_executor *ex, char *errbuf);
char *gt__step_url(const struct gt_executor *ex, const char *target);
char *gt__step_path(const struct gt_executor *ex, const struct gt_step *step);
int gt__step_reason(const struct gt_step *step);
/* Run a write or append step: the file is opened beneath ex->out_fd
 * without following a link at any component; a link in the way fails the
 * step with -ELOOP and a cause naming the path.  Any thread (the async mode
 * runs it on libuv's threadpool). */
int gt__write_step(struct gt_executor *ex, const struct gt_step *step,
    const struct gt_task_ctx *ctx, char **cause);
uint32_t gt__resume_label(const struct gt_executor *ex, size_t task,
    size_t i);
void gt__http_prepare(struct gt_executor *ex, CURL *easy, const char *url,
    struct gt_body_sink *sink, char *errbuf);
int gt__http_result(struct gt_executor *ex, CURL *easy, CURLcode cc,
    const char *url, const char *errbuf, const struct gt_body_sink *sink,
    char **cause);
/* Split a transfer's wait into connect and net; returns the stamp of the
 * task's latest event (wait_ns or later), or 0 when no answer came. */
uint64_t gt__http_split_connect(struct gt_executor *ex, CURL *easy,
    size_t task, int32_t worker, uint64_t wait_ns, uint32_t label);
/* When the embedded demo server finished url's answer (its
 * X-Gantty-Sent-Ns), or 0 for another server or no stamp. */
uint64_t gt__http_sent_ns(const struct gt_executor *ex, CURL *easy,
    const char *url);

#endif
