/*
 * scheduler/executor.h: runs a workload's tasks under one execution model.
 *
 * A run is one workload under one mode.  gt_run_new() registers the run in
 * the recorder; gt_run_exec() queues every task, lets the mode's executor
 * run them, and returns when all have finished.  Every task emits QUEUE,
 * START, WAIT/RESUME around each blocking step, and one FINISH; a failing
 * step finishes its task with the error and the run goes on.
 */
#ifndef GT_EXECUTOR_H
#define GT_EXECUTOR_H

#include <stddef.h>
#include <stdint.h>

#include "recorder.h"
#include "workload.h"

struct gt_run_config {
  const char *mode;         /* "sync", "threads", "async", "procs",
                               "hybrid" */
  unsigned    workers;      /* 0: the mode's default width; a mode of
                               fixed width (sync: 1) keeps its own */
  const char *base_url;     /* prefix of step targets that are paths */
  const char *out_dir;      /* where write/append steps write; must exist
                               and not be a symbolic link; no link under
                               it is followed */
  long        timeout_ms;   /* per HTTP request; 0: 30000 */
  unsigned    limit;        /* a mode with a loop (async): tasks in
                               flight at most; with a limit per worker
                               (hybrid): at most in each worker; 0: all;
                               other modes ignore it */
  unsigned    cores;        /* 0: the workers run on every CPU this thread
                               may; K: on the first K of them (CPU
                               affinity, inherited by the run's threads
                               and worker processes) */
  int         gil;          /* a mode with the GIL trait (threads): CPU
                               steps hold one global lock, as CPython's
                               GIL (other modes ignore it) */
  unsigned    switch_ms;    /* the GIL's switch interval; 0: 5 ms */
  int         fresh_connections;  /* 1: a new connection for every request;
                               0: keep them alive (a worker's, a loop's) */
  int         direct;       /* 1: base_url is the embedded demo server,
                               reached without a proxy whatever the
                               environment says; 0: URLs go through the
                               proxy libcurl reads from the environment */
  size_t      body_max_bytes;   /* an answer longer than this fails its
                               task; 0: GT_BODY_MAX_BYTES */
  size_t      body_held_bytes;  /* the answers all tasks in flight hold at
                               once (buffers counted), at most; the task
                               that would pass it fails; a process mode
                               splits it among its workers; 0:
                               GT_BODY_HELD_BYTES */
};

#define GT_BODY_MAX_BYTES  ((size_t)64 << 20)   /* one answer */
#define GT_BODY_HELD_BYTES ((size_t)256 << 20)  /* all answers of a run */

struct gt_run;

/* Call once in main before any thread starts (curl_global_init; SIGPIPE
 * ignored unless the program set a handler: a worker process that died
 * must be an error on its pipe, not the end of gantty; GANTTY_WORKER_PARENT
 * set to this process's pid for the workers it starts), and
 * gt_scheduler_done() once at the end.  It starts one thread, the
 * running/ready sampler (cpuwatch.h), asleep; that thread never reads the
 * environment, so gt_scheduler_set_pool() may still follow.  Returns 0 or
 * a GT_E* code. */
int gt_scheduler_init(void);
void gt_scheduler_done(void);

/* libuv's thread pool, where the loop modes (async, and hybrid in each
 * worker process) run their file writes: its threads, UV_THREADPOOL_SIZE.
 * libuv reads that variable once per process, when its pool first
 * starts. */
#define GT_POOL_MAX     1024u  /* libuv's own cap */
#define GT_POOL_DEFAULT 4u     /* libuv's own default */

/* Make libuv's pool n threads (1..GT_POOL_MAX) in this process and in the
 * worker processes it starts (they inherit the environment): call it
 * before any thread that may read the environment exists (it sets
 * UV_THREADPOOL_SIZE; gt_scheduler_init()'s sampler does not read it) and
 * before any run.  0 leaves the environment as it is. */
void gt_scheduler_set_pool(unsigned n);

/* The threads libuv's pool has, or will have when it starts: what
 * UV_THREADPOOL_SIZE says, read as libuv reads it, else GT_POOL_DEFAULT. */
unsigned gt_scheduler_pool(void);

/* The process modes start workers as this executable with GT_WORKER_ARG as
 * its only argument.  Every program that runs them (gantty, a test, a
 * benchmark) begins its main with
 *     if (argc == 2 && strcmp(argv[1], GT_WORKER_ARG) == 0)
 *       return gt_worker_main();
 * after registering any CPU function of its own (gt_cpu_register).
 * Returns the worker's exit status: 0, or 2 when it cannot take its
 * set-up (a CPU function this executable does not know, a broken pipe),
 * after telling the parent why. */
#define GT_WORKER_ARG "__worker"
int gt_worker_main(void);

/* The CPUs online (sysconf), at least 1: the most --cores may ask. */
unsigned gt_cpus_online(void);

/* The names of the modes, in the order a session runs them. */
const char *const *gt_mode_names(size_t *n);

/* 1 when name is a mode. */
int gt_mode_exists(const char *name);

/* The traits of mode (GT_MODE_* bits, recorder.h: is it the baseline,
 * has it workers, a loop, a limit per worker, the GIL switch), or 0 when
 * name is no mode.  A front door asks these to refuse or warn about an
 * option that does nothing in a mode (--limit needs GT_MODE_LOOP, --gil
 * GT_MODE_GIL). */
unsigned gt_mode_traits(const char *mode);

/* The width mode runs ntasks tasks with when asked for requested workers
 * (0: its default); a mode of fixed width keeps its own, and no mode is
 * wider than ntasks (a worker with no task is never started). */
unsigned gt_mode_width(const char *mode, unsigned requested, size_t ntasks);

/* The most tasks mode has in flight with workers and limit (0: defaults):
 * its width, or for a mode that runs every task on one loop, the limit. */
unsigned gt_mode_in_flight(const char *mode, unsigned workers,
    unsigned limit, size_t ntasks);

/* The most descriptors a run of mode with workers and limit (0: defaults)
 * holds in this process, counted from what its tasks' steps hold: a
 * request its socket (and, with server_here, the embedded server's end of
 * it), a write or append its file, a sleep or a CPU step nothing; plus
 * each worker's own (a worker process's pipes, a blocking thread's libcurl
 * wake-up pair).  Fixed descriptors (stdio, loops, the server's listener)
 * are not counted. */
uint64_t gt_mode_fds(const char *mode, unsigned workers, unsigned limit,
    const struct gt_task *tasks, size_t ntasks, int server_here);

/* Narrow *workers and *limit (0: defaults, as gt_run_config's) until a run
 * of mode holds at most budget descriptors in this process (gt_mode_fds)
 * and each of its worker processes at most child_budget in its own; at
 * least one task stays in flight.  Returns 1 when it narrowed, else 0. */
int gt_mode_fit(const char *mode, unsigned *workers, unsigned *limit,
    const struct gt_task *tasks, size_t ntasks, int server_here,
    uint64_t budget, uint64_t child_budget);

/* Prepare a run of tasks (borrowed; they must outlive the run) under
 * cfg->mode, and add it to rec.  cfg's strings are copied.  Returns 0, or
 * GT_EUSAGE with *cause set for an unknown mode. */
int gt_run_new(struct gt_recorder *rec, const struct gt_run_config *cfg,
    const struct gt_task *tasks, size_t ntasks, struct gt_run **out,
    char **cause);

/* Run every task; blocks until all have finished (or been cancelled).
 * Returns 0, or a negative code with *cause when the run itself could not
 * go on: its workers could not start, or GT_ENOFUNC when a CPU step's
 * function has no name a worker process could find it by
 * (gt_cpu_register()); its tasks then end with that code.  Task failures
 * are events, not return codes. */
int gt_run_exec(struct gt_run *run, char **cause);

/* Ask the run to stop: tasks not yet started finish as cancelled, running
 * transfers and sleeps are cut short.  Async-signal-safe, any thread. */
void gt_run_stop(struct gt_run *run);

/* The run's id in the recorder, and the width it runs with (after
 * gt_run_exec(), the width it could start). */
uint16_t gt_run_id(const struct gt_run *run);
unsigned gt_run_workers(const struct gt_run *run);

/* The most bytes of answers the run's tasks held at once in this process
 * (the process modes' workers count their own). */
size_t gt_run_body_peak_bytes(const struct gt_run *run);

/* 0 when url is an absolute http:// or https:// URL with a host and
 * neither a query nor a fragment (paths such as /genre?i=0 are added to
 * it), parsed by libcurl's URL API; otherwise GT_EUSAGE with *cause
 * saying what is wrong and what was expected (control bytes of url
 * escaped, a password in it shown as ***). */
int gt_url_check(const char *url, char **cause);

/* The proxy libcurl will take from the environment for url ("SCHEME://
 * HOST:PORT", without user or password; malloc'd), or NULL for none; *var
 * names the variable it comes from.  Worked out by libcurl 7.88's rules
 * (SCHEME_proxy, all_proxy, no_proxy), since this libcurl cannot say
 * which proxy a transfer used. */
char *gt_url_proxy(const char *url, const char **var);

/* After gt_run_exec(): what the run changed from what was asked, in words
 * ("process spawning: started 3 of 8 worker processes (...)"), or NULL.
 * Borrowed until gt_run_free(). */
const char *gt_run_note(const struct gt_run *run);

/* Free a run that is not executing; NULL is a no-op. */
void gt_run_free(struct gt_run *run);

#endif
