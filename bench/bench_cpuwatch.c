/*
 * bench/bench_cpuwatch.c: what measuring running against ready(no core)
 * costs (scheduler/cpuwatch.h; issue 13, item 1).
 *
 * The switch GANTTY_NO_CPUWATCH is read once per process, so each run is
 * a child process of this one (this executable with "--one"), with the
 * switch set (bare) or not (measured), the two interleaved pair by pair
 * on a machine that others share; each figure is the median of the
 * pairs' ratios, with their range.
 *   - CPU-bound work: pow (16 tasks, exponents / 8) under threads; the
 *     CPU the child used, measured / bare.  Budget: <= 1.02 (2%).
 *   - Tiny tasks: 10 000 tasks of one CPU step of 1 us, and of 10 us,
 *     under sync; the makespan, measured / bare.  Goals: <= 1.10, <= 1.02.
 * And what one look costs: a thread's CPU clock against its schedstat
 * file (the two ways the sampler could read).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base.h"
#include "bench.h"
#include "executor.h"
#include "recorder.h"
#include "workload.h"

#define PAIRS 9

/* A CPU step that spins for step->arg ns of this thread's CPU time. */
static int
spin_cpu(struct gt_task_ctx *ctx, const struct gt_step *step, char **cause)
{
  struct timespec ts;
  uint64_t end;

  (void)ctx, (void)cause;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  end = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec
      + step->arg;
  do
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  while ((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec < end);
  return 0;
}

/* The CPU this process used so far, in ns. */
static uint64_t
cpu_ns(void)
{
  struct rusage ru;

  getrusage(RUSAGE_SELF, &ru);
  return ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec)
      * 1000000000ull + ((uint64_t)ru.ru_utime.tv_usec
      + (uint64_t)ru.ru_stime.tv_usec) * 1000ull;
}

/* One run in this process: kind "pow" or "spin1" / "spin10"; prints
 * "WALL_NS CPU_NS". */
static int
one(const char *kind)
{
  struct gt_recorder *rec = gt_recorder_new();
  struct gt_task *tasks = NULL;
  struct gt_step *steps = NULL;
  struct gt_run_config cfg = { .out_dir = "/tmp" };
  struct gt_run *run = NULL;
  char *cause = NULL, dir[] = "/tmp/gt_bench_cw_XXXXXX";
  uint64_t t0, c0, t1, c1;
  size_t n = 0, i;

  if (strcmp(kind, "pow") == 0) {
    struct gt_workload_params p = { .tasks = 16, .seed = 1, .scale = 8 };

    if (gt_workload_find("pow")->make(&p, &tasks, &n, &cause) != 0)
      return 2;
    cfg.mode = "threads";
    if (mkdtemp(dir) == NULL)
      return 2;
    cfg.out_dir = dir;
  } else {
    uint64_t ns = strcmp(kind, "spin1") == 0 ? 1000 : 10000;

    n = 10000;
    tasks = gt_xcalloc(n, sizeof(*tasks));
    steps = gt_xcalloc(n, sizeof(*steps));
    for (i = 0; i < n; i++) {
      steps[i] = (struct gt_step){ .kind = GT_STEP_CPU,
          .label = (char *)"spin", .cpu = spin_cpu, .arg = ns };
      tasks[i] = (struct gt_task){ .name = (char *)"t", .steps = &steps[i],
          .nsteps = 1 };
    }
    cfg.mode = "sync";
  }
  if (gt_run_new(rec, &cfg, tasks, n, &run, &cause) != 0)
    return 2;
  t0 = gt_now_ns();
  c0 = cpu_ns();
  gt_run_exec(run, &cause);
  c1 = cpu_ns();
  t1 = gt_now_ns();
  printf("%llu %llu\n", (unsigned long long)(t1 - t0),
      (unsigned long long)(c1 - c0));
  gt_run_free(run);
  if (steps != NULL) {
    free(steps);
    free(tasks);
  } else {
    char *f = gt_xasprintf("%s/pow.tsv", dir);

    unlink(f);
    free(f);
    rmdir(dir);
    gt_tasks_free(tasks, n);
  }
  gt_recorder_free(rec);
  return 0;
}

/* Run this executable with --one kind, the measure on or off; *wall and
 * *cpu get what it printed.  0 or -1. */
static int
child(const char *self, const char *kind, int off, double *wall, double *cpu)
{
  char *cmd = gt_xasprintf("%s'%s' --one %s", off
      ? "GANTTY_NO_CPUWATCH=1 " : "env -u GANTTY_NO_CPUWATCH ", self, kind);
  FILE *p = popen(cmd, "r");
  unsigned long long w = 0, c = 0;
  int ok;

  free(cmd);
  if (p == NULL)
    return -1;
  ok = fscanf(p, "%llu %llu", &w, &c) == 2;
  if (pclose(p) != 0 || !ok)
    return -1;
  *wall = (double)w;
  *cpu = (double)c;
  return 0;
}

/* qsort's order for doubles. */
static int
cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

/* Print the median of r (PAIRS ratios, sorted here) and its range;
 * returns the median. */
static double
report_ratios(double *r, const char *name)
{
  char buf[128];

  qsort(r, PAIRS, sizeof(r[0]), cmp_double);
  bench_report_digits(name, r[PAIRS / 2], 3, "x (median of 9 pairs)");
  snprintf(buf, sizeof(buf), "%s_min", name);
  bench_report_digits(buf, r[0], 3, "x");
  snprintf(buf, sizeof(buf), "%s_max", name);
  bench_report_digits(buf, r[PAIRS - 1], 3, "x");
  return r[PAIRS / 2];
}

/* PAIRS interleaved pairs of kind: the ratios (measured / bare) of the
 * wall time (name_makespan_ratio) and of the CPU used (name_cpu_ratio),
 * median and range.  Returns the median of the wall time's (use_cpu 0)
 * or the CPU's, or -1 when a child failed. */
static double
pairs(const char *self, const char *kind, int use_cpu, const char *name)
{
  double r[PAIRS], rc[PAIRS], w0, c0, w1, c1, mw, mc;
  char buf[128];
  int i;

  for (i = 0; i < PAIRS; i++) {
    if (child(self, kind, i % 2, &w0, &c0) != 0
        || child(self, kind, !(i % 2), &w1, &c1) != 0)
      return -1;
    if (i % 2)  /* the bare run went first: swap */
      { double tw = w0, tc = c0; w0 = w1; c0 = c1; w1 = tw; c1 = tc; }
    r[i] = w0 / w1;
    rc[i] = c0 / c1;
  }
  snprintf(buf, sizeof(buf), "%s_makespan_ratio", name);
  mw = report_ratios(r, buf);
  snprintf(buf, sizeof(buf), "%s_cpu_ratio", name);
  mc = report_ratios(rc, buf);
  return use_cpu ? mc : mw;
}

/* The cost of one look: a thread's CPU clock, and its schedstat file. */
static void
look_costs(void)
{
  struct timespec ts;
  clockid_t clk;
  char path[64], b[128];
  uint64_t t;
  int i, n = 200000, fd;
  ssize_t got;

  pthread_getcpuclockid(pthread_self(), &clk);
  t = gt_now_ns();
  for (i = 0; i < n; i++)
    clock_gettime(clk, &ts);
  bench_report("look_cpu_clock", (double)(gt_now_ns() - t) / n, "ns");
  snprintf(path, sizeof(path), "/proc/self/task/%ld/schedstat",
      (long)syscall(SYS_gettid));
  fd = open(path, O_RDONLY);
  if (fd < 0)
    return;
  t = gt_now_ns();
  for (i = 0; i < n / 10; i++) {
    got = pread(fd, b, sizeof(b) - 1, 0);
    b[got > 0 ? got : 0] = '\0';
    (void)strtoull(b, NULL, 10);
  }
  bench_report("look_schedstat", (double)(gt_now_ns() - t) / (n / 10),
      "ns");
  close(fd);
}

int
main(int argc, char **argv)
{
  double pow_cpu, tiny1, tiny10;

  if (gt_cpu_register("bench.spin", spin_cpu) != 0)
    return 2;
  if (argc == 2 && strcmp(argv[1], GT_WORKER_ARG) == 0)
    return gt_worker_main();
  if (gt_scheduler_init() != 0)
    return 2;
  if (argc == 3 && strcmp(argv[1], "--one") == 0)
    return one(argv[2]);
  look_costs();
  pow_cpu = pairs(argv[0], "pow", 1, "cpuwatch_pow");
  tiny1 = pairs(argv[0], "spin1", 0, "cpuwatch_1us");
  tiny10 = pairs(argv[0], "spin10", 0, "cpuwatch_10us");
  if (pow_cpu < 0 || tiny1 < 0 || tiny10 < 0) {
    fprintf(stderr, "bench_cpuwatch: a child run failed\n");
    return 1;
  }
  bench_verdict("cpuwatch_cost", pow_cpu <= 1.02);
  bench_verdict("cpuwatch_1us", tiny1 <= 1.10);
  bench_verdict("cpuwatch_10us", tiny10 <= 1.02);
  return 0;
}
