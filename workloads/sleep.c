/*
 * workloads/sleep.c: tasks that only wait on a timer, as the article's
 * asyncio.sleep example: nothing to compute, nothing to fetch, so every
 * mode that waits in parallel finishes in one sleep.
 */
#include "workload.h"

#include <stdlib.h>

#include "base.h"

#define SLEEP_TASKS 5u
#define SLEEP_MS    500u

/* N tasks of one sleep each. */
static int
sleep_make(const struct gt_workload_params *p, struct gt_task **tasks,
    size_t *ntasks, char **cause)
{
  size_t n = p->tasks ? p->tasks : SLEEP_TASKS, i;
  struct gt_task *t;

  (void)cause;
  t = gt_xcalloc(n, sizeof(*t));
  for (i = 0; i < n; i++) {
    t[i].name = gt_xasprintf("sleep %zu", i);
    t[i].nsteps = 1;
    t[i].steps = gt_xcalloc(1, sizeof(*t[i].steps));
    t[i].steps[0] = (struct gt_step){
      .kind = GT_STEP_SLEEP,
      .label = gt_xasprintf("sleep %u ms", SLEEP_MS),
      .arg = SLEEP_MS,
    };
  }
  *tasks = t;
  *ntasks = n;
  return 0;
}

const struct gt_workload gt_workload_sleep = {
  .name = "sleep",
  .summary = "wait 500 ms on a timer, nothing else (asyncio.sleep)",
  .default_tasks = SLEEP_TASKS,
  .needs_server = 0,
  .make = sleep_make,
};
