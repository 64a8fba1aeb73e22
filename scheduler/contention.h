/*
 * scheduler/contention.h: did other programs take the CPU during a run?
 *
 * A mark is taken before a run and one after it.  Between them, the CPUs
 * the session may use (its affinity) were busy for some time (Linux's
 * /proc/stat: user, nice, system, irq, softirq and steal, in clock ticks,
 * summed over those CPUs), and the session itself used some CPU time
 * (getrusage: this process and its waited-for children, the worker
 * processes).  What the CPUs were busy with beyond the session's own use
 * is other programs' (steal: a hypervisor's other guests); as a share of
 * what the run could use (those CPUs x its wall) it says how far the
 * run's CPU figures are off.  /proc/stat counts in ticks (usually 10 ms):
 * two reads per CPU can be one tick off each, so that much is forgiven
 * before anything counts as another program's, and a short run shows
 * contention only when it is large.  /proc/pressure/cpu is not used: it
 * counts the session's own threads waiting for each other too.
 */
#ifndef GT_CONTENTION_H
#define GT_CONTENTION_H

#include <sched.h>  /* cpu_set_t: the includer defines _GNU_SOURCE */
#include <stdint.h>

struct gt_run;

struct gt_cpu_mark {
  int      ok;          /* 1: /proc/stat could be read */
  unsigned cpus;        /* the CPUs counted (the session's affinity) */
  uint64_t busy_ns;     /* their busy time since boot */
  uint64_t own_ns;      /* the session's CPU time (self and children) */
  uint64_t tick_ns;     /* one clock tick */
  uint64_t t_ns;        /* when (gt_now_ns) */
};

/* Take a mark now, counting the CPUs in cpus (a run's, pinned by
 * --cores), or when NULL those the calling thread may run on. */
void gt_cpu_mark(struct gt_cpu_mark *m, const cpu_set_t *cpus);

/* The CPUs run's workers are pinned to (--cores), or NULL when they may
 * use every CPU the caller may (executor.c). */
const cpu_set_t *gt_run_cpus(const struct gt_run *run);

/* The share of the CPU (the marks' CPUs x the time between them) that
 * other programs took between a and b, per mille (0..1000); -1 when it
 * cannot be told (no /proc/stat, no time between the marks). */
int gt_cpu_others_pm(const struct gt_cpu_mark *a, const struct gt_cpu_mark *b);

#endif
