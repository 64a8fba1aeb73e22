/*
 * workloads/workload.h: workloads as data.  A workload makes N tasks; a task
 * is an ordered list of steps; a step is cpu (a function), http (GET), write
 * or append (a file), sleep, or lock and unlock (a named lock).  Executors
 * decide how steps run (blocking or on a loop); the only code here is the
 * CPU functions, which are pure.
 */
#ifndef GT_WORKLOAD_H
#define GT_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

enum gt_step_kind {
  GT_STEP_CPU = 1,      /* call step->cpu on the task's context */
  GT_STEP_HTTP,         /* GET target; the body lands in ctx->body */
  GT_STEP_WRITE,        /* write ctx->value (or ctx->body) to target */
  GT_STEP_APPEND,       /* append it to target */
  GT_STEP_SLEEP,        /* wait arg milliseconds */
  GT_STEP_LOCK,         /* take the lock named target, waiting while
                           another task holds it; arg numbers the lock
                           among the workload's locks (0, 1, ...), so an
                           executor keeps them in an array */
  GT_STEP_UNLOCK        /* let the lock named target go */
};

/* The most named locks a workload may have (lock steps' args are below). */
#define GT_LOCKS_MAX 10000u

/* What kind of Python a CPU step stands for, which decides how it holds
 * the GIL under --gil (threads).  Without a GIL (every other mode, or
 * --gil off: free-threaded CPython 3.13t) the three run alike. */
enum gt_gil_kind {
  GT_GIL_LOOP = 0,      /* a Python-level loop: the holder is asked to drop
                           the GIL after the switch interval and does at
                           its next checkpoint (a bytecode boundary) */
  GT_GIL_HOLDS,         /* one C call that holds the GIL to its end
                           (CPython's pow(i, i) on ints): no checkpoint
                           lets it go, however long others wait */
  GT_GIL_RELEASES       /* C code that releases the GIL while it works
                           (hashlib, numpy on big buffers): takes it only
                           at its start and end, as Py_BEGIN/END_ALLOW_
                           THREADS do, and runs in parallel meanwhile */
};

/* The word a spec file and the settings use for a kind: "python-loop",
 * "holds-gil", "releases-gil"; NULL for none. */
const char *gt_gil_kind_name(int kind);

/* The kind called name, or -1. */
int gt_gil_kind_find(const char *name);

/* What a task's steps hand each other.  Owned by the executor running the
 * task; reset with gt_task_ctx_done() when the task ends. */
struct gt_task_ctx {
  char  *body;          /* the last HTTP response body, NUL-terminated */
  size_t body_len;      /* bytes in body, without the NUL */
  size_t body_cap;      /* bytes allocated for body */
  size_t body_max;      /* 0, or the longest body expected: the buffer
                           grows to body_max + 1 at most, not to the next
                           power of two past it */
  char  *value;         /* what a write/append step writes; NULL: the body */
  size_t value_len;
  /* Set by the executor for the task's CPU steps, which call
   * gt_task_ctx_checkpoint() between units of work: a GIL may change hands
   * there, and a stopped run ends the step. */
  int  (*checkpoint)(void *arg);
  void  *checkpoint_arg;
};

/* Between two units of a CPU step's work: 0 to go on; otherwise the run was
 * stopped, and the step should return GT_ECANCELED. */
static inline int
gt_task_ctx_checkpoint(struct gt_task_ctx *ctx)
{
  return ctx->checkpoint != NULL ? ctx->checkpoint(ctx->checkpoint_arg) : 0;
}

struct gt_step;

/* A CPU step: read and change ctx.  Returns 0 or a negative GT_E* code with
 * *cause (may be NULL) set to a malloc'd message. */
typedef int (*gt_cpu_fn)(struct gt_task_ctx *ctx, const struct gt_step *step,
    char **cause);

/* A CPU function under a name, so that a worker process can find the one a
 * task names: its address differs from one process to the next. */
struct gt_cpu_def {
  const char *name;     /* "genre.parse" */
  gt_cpu_fn   fn;
  int         gil;      /* enum gt_gil_kind: the Python it stands for, the
                           kind a spec step calling it gets by default */
};

struct gt_step {
  int         kind;     /* enum gt_step_kind */
  char       *label;    /* what the lane shows: "GET /genre", "parse genre" */
  char       *target;   /* http: a path on the demo server ("/genre") or a
                           full URL; write/append: a file name relative to
                           the run's output folder */
  gt_cpu_fn   cpu;      /* GT_STEP_CPU */
  uint64_t    arg;      /* cpu: the function's argument; sleep: ms;
                           lock, unlock: the lock's number */
  int         gil;      /* cpu: enum gt_gil_kind */
};

struct gt_task {
  char           *name;   /* "genre 0" */
  struct gt_step *steps;
  size_t          nsteps;
};

/* The knobs a workload reads. */
struct gt_workload_params {
  unsigned tasks;       /* 0: the workload's default */
  uint64_t seed;
  unsigned scale;       /* pow: exponents divided by this; 0 or 1: none */
};

struct gt_workload {
  const char *name;         /* "genre" */
  const char *summary;      /* one line for `gantty list` */
  unsigned    default_tasks;
  int         needs_server; /* its http steps use demo-server paths */
  /* Make the tasks into *tasks (malloc'd, free with gt_tasks_free()).
   * Returns 0, or a negative code with *cause. */
  int (*make)(const struct gt_workload_params *p, struct gt_task **tasks,
      size_t *ntasks, char **cause);
  const struct gt_cpu_def *cpus;  /* its CPU functions, { NULL } last */
};

/* The workload called name, or NULL. */
const struct gt_workload *gt_workload_find(const char *name);

/* All workloads, in catalogue order; *n gets the count. */
const struct gt_workload *const *gt_workload_list(size_t *n);

/* Make fn known as name to gt_cpu_find() and gt_cpu_name(), besides the
 * catalogue's own (a test's or an embedder's CPU step).  Call from main
 * before any run, and before gt_worker_main() in a worker, so that both
 * processes know it.  Returns 0 (also when fn has that name already),
 * -EEXIST when name is another function's, -ENOSPC when the table of
 * extra functions (64 of them) is full. */
int gt_cpu_register(const char *name, gt_cpu_fn fn);

/* The CPU function called name, or NULL. */
gt_cpu_fn gt_cpu_find(const char *name);

/* The name of fn, or NULL when it has none. */
const char *gt_cpu_name(gt_cpu_fn fn);

/* The kind of GIL use fn stands for (its gt_cpu_def's); GT_GIL_LOOP for a
 * function registered with gt_cpu_register() or unknown. */
int gt_cpu_gil(gt_cpu_fn fn);

/* Free tasks made by a workload; NULL is a no-op. */
void gt_tasks_free(struct gt_task *tasks, size_t n);

/* Replace ctx->body with len bytes of data (a body is kept NUL-terminated). */
void gt_task_ctx_set_body(struct gt_task_ctx *ctx, const char *data,
    size_t len);

/* The size ctx->body's buffer will have once len more bytes are added
 * (its size now when they fit). */
size_t gt_task_ctx_body_size_for(const struct gt_task_ctx *ctx, size_t len);

/* Append len bytes to ctx->body. */
void gt_task_ctx_add_body(struct gt_task_ctx *ctx, const char *data,
    size_t len);

/* Take ownership of value (malloc'd) as what the next write writes. */
void gt_task_ctx_set_value(struct gt_task_ctx *ctx, char *value, size_t len);

/* Free what ctx holds and zero it (the checkpoint stays). */
void gt_task_ctx_done(struct gt_task_ctx *ctx);

#endif
