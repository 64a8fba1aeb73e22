/*
 * workloads/genre.c: the article's first experiment.  Each task GETs
 * /genre?i=N from the demo server (a JSON string), parses it with yajl, and
 * writes the genre to new_file{N}.txt, as write_genre() did.
 */
#include "workload.h"

#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "base.h"

/* Parse the body as one JSON string and keep it, plus a newline, as the
 * value to write. */
static int
parse_genre(struct gt_task_ctx *ctx, const struct gt_step *step, char **cause)
{
  char err[256] = "";
  yajl_val v;
  char *genre;
  int rc = 0;

  (void)step;
  v = yajl_tree_parse(ctx->body ? ctx->body : "", err, sizeof(err));
  if (v == NULL || !YAJL_IS_STRING(v)) {
    err[strcspn(err, "\n")] = '\0';
    gt_set_cause(cause, "response is not a JSON string: %s",
        v == NULL ? err : "another JSON type");
    rc = GT_EPARSE;
    goto out;
  }
  genre = gt_xasprintf("%s\n", YAJL_GET_STRING(v));
  gt_task_ctx_set_value(ctx, genre, strlen(genre));
out:
  yajl_tree_free(v);
  return rc;
}

/* N tasks of three steps each. */
static int
genre_make(const struct gt_workload_params *p, struct gt_task **tasks,
    size_t *ntasks, char **cause)
{
  size_t n = p->tasks ? p->tasks : 5, i;
  struct gt_task *t;

  (void)cause;
  t = gt_xcalloc(n, sizeof(*t));
  for (i = 0; i < n; i++) {
    t[i].name = gt_xasprintf("genre %zu", i);
    t[i].nsteps = 3;
    t[i].steps = gt_xcalloc(3, sizeof(*t[i].steps));
    t[i].steps[0] = (struct gt_step){
      .kind = GT_STEP_HTTP,
      .label = gt_xstrdup("GET /genre"),
      .target = gt_xasprintf("/genre?i=%zu", i),
    };
    t[i].steps[1] = (struct gt_step){
      .kind = GT_STEP_CPU,
      .label = gt_xstrdup("parse genre"),
      .cpu = parse_genre,
      /* the article's json.load(): CPython's _json scanner is C that
       * holds the GIL for the whole call (it has no bytecode boundary
       * inside and never releases it) */
      .gil = GT_GIL_HOLDS,
    };
    t[i].steps[2] = (struct gt_step){
      .kind = GT_STEP_WRITE,
      .label = gt_xasprintf("write new_file%zu.txt", i),
      .target = gt_xasprintf("new_file%zu.txt", i),
    };
  }
  *tasks = t;
  *ntasks = n;
  return 0;
}

static const struct gt_cpu_def genre_cpus[] = {
  { "genre.parse", parse_genre, GT_GIL_HOLDS },
  { NULL, NULL, 0 },
};

const struct gt_workload gt_workload_genre = {
  .name = "genre",
  .summary = "GET /genre, parse the JSON string, write it to new_file{i}.txt",
  .default_tasks = 5,
  .needs_server = 1,
  .make = genre_make,
  .cpus = genre_cpus,
};
