/*
 * scheduler/contention.c: other programs' use of the session's CPUs over
 * a run, from /proc/stat and getrusage (contention.h says how).
 */
#define _GNU_SOURCE
#include "contention.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include "base.h"

/* CPU time of a rusage, ns. */
static uint64_t
ru_ns(const struct rusage *ru)
{
  return (uint64_t)ru->ru_utime.tv_sec * 1000000000ull
      + (uint64_t)ru->ru_utime.tv_usec * 1000ull
      + (uint64_t)ru->ru_stime.tv_sec * 1000000000ull
      + (uint64_t)ru->ru_stime.tv_usec * 1000ull;
}

/* Take a mark. */
void
gt_cpu_mark(struct gt_cpu_mark *m, const cpu_set_t *cpus)
{
  unsigned long long f[8];
  struct rusage self, kids;
  char line[512];
  cpu_set_t set;
  long hz = sysconf(_SC_CLK_TCK);
  uint64_t ticks = 0;
  FILE *fp;
  int cpu, all = 0;

  memset(m, 0, sizeof(*m));
  m->t_ns = gt_now_ns();
  m->tick_ns = 1000000000ull / (uint64_t)(hz > 0 ? hz : 100);
  CPU_ZERO(&set);
  if (cpus != NULL)
    set = *cpus;  /* the run's: other programs on other CPUs cost it none */
  else if (sched_getaffinity(0, sizeof(set), &set) != 0)
    all = 1;  /* count every CPU */
  if (getrusage(RUSAGE_SELF, &self) == 0
      && getrusage(RUSAGE_CHILDREN, &kids) == 0)
    m->own_ns = ru_ns(&self) + ru_ns(&kids);
  fp = fopen("/proc/stat", "re");
  if (fp == NULL)
    return;
  while (fgets(line, sizeof(line), fp) != NULL) {
    if (strncmp(line, "cpu", 3) != 0 || line[3] < '0' || line[3] > '9')
      continue;  /* "cpu " is the total: the CPUs one by one instead */
    memset(f, 0, sizeof(f));
    /* user nice system idle iowait irq softirq steal */
    if (sscanf(line + 3, "%d %llu %llu %llu %llu %llu %llu %llu %llu", &cpu,
        &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]) < 5)
      continue;
    if (!all && (cpu < 0 || cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &set)))
      continue;
    ticks += f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
    m->cpus++;
  }
  fclose(fp);
  m->busy_ns = ticks * m->tick_ns;
  m->ok = m->cpus > 0;
}

/* Other programs' share between two marks. */
int
gt_cpu_others_pm(const struct gt_cpu_mark *a, const struct gt_cpu_mark *b)
{
  uint64_t wall, cap, busy, own, slack, others;

  if (!a->ok || !b->ok || a->cpus != b->cpus || b->t_ns <= a->t_ns)
    return -1;
  wall = b->t_ns - a->t_ns;
  cap = wall * a->cpus;
  busy = b->busy_ns > a->busy_ns ? b->busy_ns - a->busy_ns : 0;
  own = b->own_ns > a->own_ns ? b->own_ns - a->own_ns : 0;
  slack = 2 * a->tick_ns * a->cpus;  /* each CPU's two reads, a tick off */
  others = busy > own + slack ? busy - own - slack : 0;
  if (others >= cap)
    return 1000;
  return (int)(others * 1000 / cap);
}
