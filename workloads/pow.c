/*
 * workloads/pow.c: the article's second experiment, CPU-bound.  Task k
 * computes i^i for i = 1000000 + k with GMP, as a square-and-multiply loop
 * of mpz multiplications with a checkpoint after each one, where a stopped
 * run ends the step.  In CPython `pow(i, i)` on ints is one C call that
 * holds the GIL from its start to its end (no bytecode boundary inside, so
 * no switch), so the step is GT_GIL_HOLDS: under --gil the threads' pows
 * run one after another, a staircase, as Python's do.  It then appends
 * "i<TAB>exponent<TAB>bits<TAB>i^e mod P" to pow.tsv, so every mode's
 * result can be checked from outside.
 */
#include "workload.h"

#include <gmp.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

#define POW_FIRST 1000000u
#define POW_TASKS 16u
#define POW_MOD   1000000007ul  /* a prime: the result's check value */

/* Base and exponent share the step's argument: low and high 32 bits. */
static int
pow_cpu(struct gt_task_ctx *ctx, const struct gt_step *step, char **cause)
{
  unsigned long base = (unsigned long)(step->arg & 0xffffffffu);
  unsigned long exp = (unsigned long)(step->arg >> 32);
  mpz_t r;
  int bit, rc = 0;
  char *line;

  mpz_init_set_ui(r, 1);
  for (bit = 63; bit >= 0 && !(exp >> bit & 1); bit--)
    ;
  for (; bit >= 0; bit--) {
    mpz_mul(r, r, r);
    if (exp >> bit & 1)
      mpz_mul_ui(r, r, base);
    if (gt_task_ctx_checkpoint(ctx) != 0) {
      gt_set_cause(cause, "cancelled during %lu^%lu", base, exp);
      rc = GT_ECANCELED;
      goto out;
    }
  }
  line = gt_xasprintf("%lu\t%lu\t%zu\t%lu\n", base, exp,
      mpz_sizeinbase(r, 2), mpz_fdiv_ui(r, POW_MOD));
  gt_task_ctx_set_value(ctx, line, strlen(line));
out:
  mpz_clear(r);
  return rc;
}

/* N tasks: i^(i / scale), then the append. */
static int
pow_make(const struct gt_workload_params *p, struct gt_task **tasks,
    size_t *ntasks, char **cause)
{
  size_t n = p->tasks ? p->tasks : POW_TASKS, i;
  unsigned scale = p->scale > 1 ? p->scale : 1;
  struct gt_task *t;
  uint64_t base, exp;

  (void)cause;
  t = gt_xcalloc(n, sizeof(*t));
  for (i = 0; i < n; i++) {
    base = POW_FIRST + i;
    exp = base / scale ? base / scale : 1;
    t[i].name = gt_xasprintf("pow %zu", i);
    t[i].nsteps = 2;
    t[i].steps = gt_xcalloc(2, sizeof(*t[i].steps));
    t[i].steps[0] = (struct gt_step){
      .kind = GT_STEP_CPU,
      .label = gt_xasprintf("%llu^%llu", (unsigned long long)base,
          (unsigned long long)exp),
      .cpu = pow_cpu,
      .arg = exp << 32 | base,
      .gil = GT_GIL_HOLDS,
    };
    t[i].steps[1] = (struct gt_step){
      .kind = GT_STEP_APPEND,
      .label = gt_xstrdup("append pow.tsv"),
      .target = gt_xstrdup("pow.tsv"),
    };
  }
  *tasks = t;
  *ntasks = n;
  return 0;
}

static const struct gt_cpu_def pow_cpus[] = {
  { "pow.power", pow_cpu, GT_GIL_HOLDS },
  { NULL, NULL, 0 },
};

const struct gt_workload gt_workload_pow = {
  .name = "pow",
  .summary = "i^i for i = 1000000.. with GMP (CPU-bound), one line each to "
      "pow.tsv; --scale S divides the exponents",
  .default_tasks = POW_TASKS,
  .needs_server = 0,
  .make = pow_make,
  .cpus = pow_cpus,
};
