/*
 * workloads/workload.c: the catalogue and the task context helpers.
 */
#include "workload.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

extern const struct gt_workload gt_workload_genre;
extern const struct gt_workload gt_workload_pow;
extern const struct gt_workload gt_workload_sleep;
extern const struct gt_workload gt_workload_scrape;
extern const struct gt_cpu_def gt_spec_cpus[];  /* spec.c's own */

static const struct gt_workload *const catalogue[] = {
  &gt_workload_genre,
  &gt_workload_pow,
  &gt_workload_scrape,
  &gt_workload_sleep,
};

/* The workload called name. */
const struct gt_workload *
gt_workload_find(const char *name)
{
  size_t i;

  for (i = 0; i < sizeof(catalogue) / sizeof(catalogue[0]); i++)
    if (strcmp(catalogue[i]->name, name) == 0)
      return catalogue[i];
  return NULL;
}

/* Every workload. */
const struct gt_workload *const *
gt_workload_list(size_t *n)
{
  *n = sizeof(catalogue) / sizeof(catalogue[0]);
  return catalogue;
}

#define MAX_EXTRA_CPUS 64

static struct gt_cpu_def extra_cpus[MAX_EXTRA_CPUS];
static size_t nextra_cpus;

/* The definition called name (by_name) or holding fn, or NULL. */
static const struct gt_cpu_def *
cpu_lookup(const char *name, gt_cpu_fn fn)
{
  const struct gt_cpu_def *d;
  size_t i;

  for (i = 0; i < sizeof(catalogue) / sizeof(catalogue[0]); i++)
    for (d = catalogue[i]->cpus; d != NULL && d->name != NULL; d++)
      if (name != NULL ? strcmp(d->name, name) == 0 : d->fn == fn)
        return d;
  for (d = gt_spec_cpus; d->name != NULL; d++)
    if (name != NULL ? strcmp(d->name, name) == 0 : d->fn == fn)
      return d;
  for (i = 0; i < nextra_cpus; i++)
    if (name != NULL ? strcmp(extra_cpus[i].name, name) == 0
        : extra_cpus[i].fn == fn)
      return &extra_cpus[i];
  return NULL;
}

/* Register a CPU function (main thread, before any run). */
int
gt_cpu_register(const char *name, gt_cpu_fn fn)
{
  const struct gt_cpu_def *d = cpu_lookup(name, NULL);

  if (d != NULL)
    return d->fn == fn ? 0 : -EEXIST;
  if (nextra_cpus == MAX_EXTRA_CPUS)
    return -ENOSPC;
  extra_cpus[nextra_cpus++] = (struct gt_cpu_def){ name, fn, GT_GIL_LOOP };
  return 0;
}

/* The CPU function called name. */
gt_cpu_fn
gt_cpu_find(const char *name)
{
  const struct gt_cpu_def *d = cpu_lookup(name, NULL);

  return d != NULL ? d->fn : NULL;
}

/* The name of a CPU function. */
const char *
gt_cpu_name(gt_cpu_fn fn)
{
  const struct gt_cpu_def *d = cpu_lookup(NULL, fn);

  return d != NULL ? d->name : NULL;
}

/* The kind of GIL use of a CPU function. */
int
gt_cpu_gil(gt_cpu_fn fn)
{
  const struct gt_cpu_def *d = cpu_lookup(NULL, fn);

  return d != NULL ? d->gil : GT_GIL_LOOP;
}

static const char *const gil_kind_names[] = {
  [GT_GIL_LOOP] = "python-loop",
  [GT_GIL_HOLDS] = "holds-gil",
  [GT_GIL_RELEASES] = "releases-gil",
};

/* The word for a kind of GIL use. */
const char *
gt_gil_kind_name(int kind)
{
  if (kind < 0 || (size_t)kind >= sizeof(gil_kind_names)
      / sizeof(gil_kind_names[0]))
    return NULL;
  return gil_kind_names[kind];
}

/* The kind a word names. */
int
gt_gil_kind_find(const char *name)
{
  size_t i;

  for (i = 0; i < sizeof(gil_kind_names) / sizeof(gil_kind_names[0]); i++)
    if (strcmp(name, gil_kind_names[i]) == 0)
      return (int)i;
  return -1;
}

/* Free tasks and their steps. */
void
gt_tasks_free(struct gt_task *tasks, size_t n)
{
  size_t i, j;

  if (tasks == NULL)
    return;
  for (i = 0; i < n; i++) {
    for (j = 0; j < tasks[i].nsteps; j++) {
      free(tasks[i].steps[j].label);
      free(tasks[i].steps[j].target);
    }
    free(tasks[i].steps);
    free(tasks[i].name);
  }
  free(tasks);
}

/* The buffer size for len more body bytes plus the NUL: doubling, but no
 * further than body_max + 1 when that holds them. */
size_t
gt_task_ctx_body_size_for(const struct gt_task_ctx *ctx, size_t len)
{
  size_t need = ctx->body_len + len + 1, cap;

  if (need <= ctx->body_cap)
    return ctx->body_cap;
  cap = ctx->body_cap ? ctx->body_cap : 256;
  while (cap < need)
    cap *= 2;
  if (ctx->body_max != 0 && need <= ctx->body_max + 1
      && cap > ctx->body_max + 1)
    cap = ctx->body_max + 1;
  return cap;
}

/* Make room for len more body bytes plus the NUL. */
static void
body_reserve(struct gt_task_ctx *ctx, size_t len)
{
  size_t cap = gt_task_ctx_body_size_for(ctx, len);

  if (cap == ctx->body_cap)
    return;
  ctx->body_cap = cap;
  ctx->body = gt_xrealloc(ctx->body, ctx->body_cap);
}

/* Replace the body. */
void
gt_task_ctx_set_body(struct gt_task_ctx *ctx, const char *data, size_t len)
{
  ctx->body_len = 0;
  gt_task_ctx_add_body(ctx, data, len);
}

/* Append to the body. */
void
gt_task_ctx_add_body(struct gt_task_ctx *ctx, const char *data, size_t len)
{
  body_reserve(ctx, len);
  if (len > 0)
    memcpy(ctx->body + ctx->body_len, data, len);
  ctx->body_len += len;
  ctx->body[ctx->body_len] = '\0';
}

/* Take value as what the next write writes. */
void
gt_task_ctx_set_value(struct gt_task_ctx *ctx, char *value, size_t len)
{
  free(ctx->value);
  ctx->value = value;
  ctx->value_len = len;
}

/* Free what ctx holds. */
void
gt_task_ctx_done(struct gt_task_ctx *ctx)
{
  int (*checkpoint)(void *) = ctx->checkpoint;
  void *arg = ctx->checkpoint_arg;

  free(ctx->body);
  free(ctx->value);
  memset(ctx, 0, sizeof(*ctx));
  ctx->checkpoint = checkpoint;
  ctx->checkpoint_arg = arg;
}
