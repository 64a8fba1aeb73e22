/*
 * scheduler/cpuwatch.c: the sampler that tells running from ready(no core)
 * for threads in a task's running time (cpuwatch.h says how, and why in
 * this order).
 *
 * Why a thread's CPU clock and not /proc/self/task/TID/schedstat: both
 * give the time on a CPU (schedstat also the run-queue delay, which would
 * tell runnable from blocked), but the clock is one clock_gettime on an id
 * known once per thread (bench_cpuwatch: 0.2-0.4 us on a busy 2-core VM)
 * against a file held open per thread (a thread pool of 10 000 would hold
 * 10 000) and a pread and a parse (0.4-0.5 us).  A task's running time
 * does not block (its I/O and GIL waits are outside it), so off its CPU
 * there means runnable: the two say the same.
 */
#define _GNU_SOURCE
#include "cpuwatch.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "base.h"
#include "internal.h"

#define IDLE_TICKS 100  /* ticks with no slot before the sampler sleeps */

static struct {
  pthread_mutex_t    mu;
  pthread_cond_t     wake;      /* a slot came while the sampler slept */
  struct gt_cpuslot *head;
  int                started;   /* the sampler runs (in this process) */
  int                failed;    /* it could not start: stay off */
  int                sleeping;  /* it waits for a slot, no timeout */
  int                has_mask;
  cpu_set_t          mask;      /* the sampler's CPUs (gt__cpuwatch_init) */
  uint64_t           widest_ns; /* the longest window judged */
  clockid_t          own;       /* the sampler's CPU clock */
  int                has_own;
} w = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, 0, 0, 0,
  0, { { 0 } }, 0, 0, 0 };

static pthread_once_t on_once = PTHREAD_ONCE_INIT;
static int on_flag;

/* Read GANTTY_NO_CPUWATCH once. */
static void
read_switch(void)
{
  on_flag = getenv("GANTTY_NO_CPUWATCH") == NULL;
}

/* Is the measure on? */
int
gt__cpuwatch_on(void)
{
  pthread_once(&on_once, read_switch);
  return on_flag;
}

static int sampler_start(void);
static void lock_init(void);

/* Keep the process's CPU mask for the sampler, and start it now, asleep:
 * a thread made while the CPUs are busy waits its turn behind them (the
 * kernel places a new thread after those already running, so its first
 * look would come tens of ms late); a sleeper that wakes is let on at
 * once. */
void
gt__cpuwatch_init(void)
{
  static int lock_done;

  if (sched_getaffinity(0, sizeof(w.mask), &w.mask) == 0)
    w.has_mask = 1;
  if (!gt__cpuwatch_on())
    return;
  if (!lock_done) {  /* main, before any thread: nobody holds it yet */
    pthread_mutex_destroy(&w.mu);
    lock_init();
    lock_done = 1;
  }
  pthread_mutex_lock(&w.mu);
  if (!w.started)
    (void)sampler_start();
  pthread_mutex_unlock(&w.mu);
}

/* A timespec as ns. */
static uint64_t
ts_ns(const struct timespec *ts)
{
  return (uint64_t)ts->tv_sec * 1000000000ull + (uint64_t)ts->tv_nsec;
}

/* One look at slot; the lock held.  The wall clock is read after the
 * thread's CPU clock, so the CPU gained fits in the window even when the
 * sampler lost its core between the two.  The window is judged once it is
 * half a tick long at least, so that a change is stamped strictly inside
 * it: after the owner's last event, before anything it does after
 * leaving. */
static void
sample(struct gt_cpuslot *s)
{
  struct timespec ts;
  uint64_t cpu, dw, dc, at, now, x;
  int64_t have;

  if (clock_gettime(s->clock, &ts) != 0)
    return;
  cpu = ts_ns(&ts);
  now = gt_now_ns();
  if (s->win_ns == 0) {
    /* the first look: the window is the step so far, and the CPU the
     * thread had when last seen bounds what it had at the step's start
     * (exactly for a thread that runs its first step: 0) */
    s->win_ns = s->enter_ns;
    s->cpu_ns = s->seen->cpu_ns;
  }
  if (cpu < s->cpu_ns) {
    s->win_ns = now;
    s->cpu_ns = cpu;
    s->seen->cpu_ns = cpu;
    return;
  }
  s->seen->cpu_ns = cpu;
  if (now < s->win_ns + GT_CPUWATCH_TICK_NS / 2)
    return;
  dw = now - s->win_ns;
  dc = cpu - s->cpu_ns < dw ? cpu - s->cpu_ns : dw;
  if (dw > w.widest_ns)
    w.widest_ns = dw;
  /* What there is to draw as running: the CPU gained in the window, plus
   * what earlier windows gained and did not draw (owed; negative when
   * they drew more than was gained).  Ready turns running when that is
   * more than half a tick, running turns ready when it falls short of the
   * window by more than half a tick: no flicker for a thread that is
   * mostly on or mostly off, and the running time drawn is the CPU time
   * gained to within a tick, even for slices shorter than a window (which
   * a rule by the majority of each window would lose). */
  have = s->owed + (int64_t)dc;
  if (s->ready && 2 * have > (int64_t)GT_CPUWATCH_TICK_NS) {
    /* it got a core and kept it to the window's end */
    x = have < (int64_t)dw ? (uint64_t)have : dw;
    at = now - x;
    if (at <= s->win_ns)
      at = s->win_ns + 1;
    gt__emit_at(s->ex, at, s->task, GT_EV_RESUME, GT_R_NONE, s->label, 0,
        s->worker);
    s->ready = 0;
    s->owed = have - (int64_t)(now - at);
  } else if (!s->ready
      && 2 * ((int64_t)dw - have) > (int64_t)GT_CPUWATCH_TICK_NS) {
    /* it ran first, then lost its core */
    x = have > 0 ? (uint64_t)have : 0;
    at = s->win_ns + x;
    if (at <= s->win_ns)
      at = s->win_ns + 1;
    gt__emit_at(s->ex, at, s->task, GT_EV_WAIT, GT_R_CORE, s->label, 0,
        s->worker);
    s->ready = 1;
    s->owed = have - (int64_t)(at - s->win_ns);
  } else {
    s->owed = s->ready ? have : have - (int64_t)dw;
  }
  /* a debt or a credit of more than a tick is the past's: let it go */
  if (s->owed > (int64_t)GT_CPUWATCH_TICK_NS)
    s->owed = (int64_t)GT_CPUWATCH_TICK_NS;
  if (s->owed < -(int64_t)GT_CPUWATCH_TICK_NS)
    s->owed = -(int64_t)GT_CPUWATCH_TICK_NS;
  s->win_ns = now;
  s->cpu_ns = cpu;
}

/* The sampler: a look at every slot each tick; asleep when there has been
 * none for IDLE_TICKS. */
static void *
sampler_main(void *arg)
{
  struct gt_cpuslot *s;
  struct timespec dl;
  uint64_t now, next, scan;
  unsigned idle = 0;

  (void)arg;
  /* A real-time priority when the process may have one (CAP_SYS_NICE):
   * the sampler then looks on time however busy the CPUs are (it runs
   * for microseconds a tick); otherwise it waits its turn like any thread
   * and its windows grow with the load. */
  {
    struct sched_param sp = { .sched_priority = 1 };

    (void)pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
  }
  pthread_mutex_lock(&w.mu);
  w.has_own = pthread_getcpuclockid(pthread_self(), &w.own) == 0;
  idle = IDLE_TICKS;  /* asleep until the first slot */
  for (;;) {
    if (w.head == NULL && ++idle > IDLE_TICKS) {
      w.sleeping = 1;
      while (w.head == NULL)
        pthread_cond_wait(&w.wake, &w.mu);
      w.sleeping = 0;
    }
    if (w.head != NULL)
      idle = 0;
    now = gt_now_ns();
    for (s = w.head; s != NULL; s = s->next)
      sample(s);
    /* the next look a tick after this one, or when a look over many
     * threads took long, four times its length after its end: the
     * sampler, perhaps at a real-time priority, never takes more than a
     * fifth of a CPU */
    scan = gt_now_ns() - now;
    next = now + (scan * 5 > GT_CPUWATCH_TICK_NS ? scan * 5
        : GT_CPUWATCH_TICK_NS);
    dl.tv_sec = (time_t)(next / 1000000000ull);
    dl.tv_nsec = (long)(next % 1000000000ull);
    pthread_cond_timedwait(&w.wake, &w.mu, &dl);
  }
  return NULL;
}

/* The lock: priority-inheriting, so that a thread holding it when it
 * loses its core runs at the sampler's priority until it lets go. */
static void
lock_init(void)
{
  pthread_mutexattr_t ma;

  pthread_mutexattr_init(&ma);
  (void)pthread_mutexattr_setprotocol(&ma, PTHREAD_PRIO_INHERIT);
  pthread_mutex_init(&w.mu, &ma);
  pthread_mutexattr_destroy(&ma);
}

/* fork(): the child has no sampler and none of the parent's steps. */
static void
fork_prepare(void)
{
  pthread_mutex_lock(&w.mu);
}

static void
fork_parent(void)
{
  pthread_mutex_unlock(&w.mu);
}

static void
fork_child(void)
{
  pthread_condattr_t ca;

  lock_init();
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&w.wake, &ca);
  pthread_condattr_destroy(&ca);
  w.head = NULL;
  w.started = 0;
  w.failed = 0;
  w.sleeping = 0;
}

/* Start the sampler; the lock held.  0, or -1 when it cannot run. */
static int
sampler_start(void)
{
  static int atfork_done;
  pthread_condattr_t ca;
  pthread_attr_t attr;
  sigset_t all, old;
  pthread_t tid;
  int rc;

  if (w.failed)
    return -1;
  /* the condition waits by CLOCK_MONOTONIC, as gt_now_ns() counts */
  pthread_cond_destroy(&w.wake);
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&w.wake, &ca);
  pthread_condattr_destroy(&ca);
  if (!atfork_done && pthread_atfork(fork_prepare, fork_parent,
      fork_child) == 0)
    atfork_done = 1;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, 64 * 1024);
  if (w.has_mask)
    pthread_attr_setaffinity_np(&attr, sizeof(w.mask), &w.mask);
  /* it takes no signal: a headless session's SIGINT goes to the thread
   * that waits for it (session.c), whatever thread starts the sampler */
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  rc = pthread_create(&tid, &attr, sampler_main, NULL);
  if (rc != 0 && w.has_mask) {  /* the mask may be gone (a cpuset) */
    pthread_attr_destroy(&attr);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    rc = pthread_create(&tid, &attr, sampler_main, NULL);
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    w.failed = 1;
    return -1;
  }
  w.started = 1;
  return 0;
}

static _Thread_local struct gt_cpuseen seen_here;

/* The calling thread's CPU clock, found once per thread. */
static int
self_clock(clockid_t *clock)
{
  static _Thread_local clockid_t mine;
  static _Thread_local int known;

  if (!known) {
    if (pthread_getcpuclockid(pthread_self(), &mine) != 0)
      return -1;
    known = 1;
  }
  *clock = mine;
  return 0;
}

/* Watch the calling thread in a CPU step. */
void
gt__cpuwatch_enter(struct gt_cpuslot *slot, struct gt_executor *ex,
    size_t task, int32_t worker, uint32_t label, int kind)
{
  clockid_t clock;

  slot->ex = NULL;
  if (!gt__cpuwatch_on() || self_clock(&clock) != 0) {
    if (kind != 0)
      gt__emit(ex, task, kind, GT_R_NONE, label, 0, worker);
    return;
  }
  pthread_mutex_lock(&w.mu);
  if (!w.started && sampler_start() != 0) {
    pthread_mutex_unlock(&w.mu);
    if (kind != 0)
      gt__emit(ex, task, kind, GT_R_NONE, label, 0, worker);
    return;
  }
  slot->enter_ns = gt_now_ns();
  if (kind != 0)
    gt__emit_at(ex, slot->enter_ns, task, kind, GT_R_NONE, label, 0,
        worker);
  slot->ex = ex;
  slot->task = task;
  slot->worker = worker;
  slot->label = label;
  slot->clock = clock;
  slot->seen = &seen_here;
  slot->win_ns = 0;
  slot->cpu_ns = 0;
  slot->owed = 0;
  slot->ready = 0;
  slot->prev = NULL;
  slot->next = w.head;
  if (w.head != NULL)
    w.head->prev = slot;
  w.head = slot;
  if (w.sleeping)
    pthread_cond_signal(&w.wake);
  pthread_mutex_unlock(&w.mu);
}

/* The longest window judged since the last call, and reset it. */
uint64_t
gt__cpuwatch_widest_ns(void)
{
  uint64_t n;

  pthread_mutex_lock(&w.mu);
  n = w.widest_ns;
  w.widest_ns = 0;
  pthread_mutex_unlock(&w.mu);
  return n;
}

/* The CPU the sampler has used. */
uint64_t
gt__cpuwatch_own_cpu_ns(void)
{
  struct timespec ts;
  uint64_t n = 0;

  pthread_mutex_lock(&w.mu);
  if (w.has_own && clock_gettime(w.own, &ts) == 0)
    n = ts_ns(&ts);
  pthread_mutex_unlock(&w.mu);
  return n;
}

/* Stop watching; RESUME the task when it was ready: it runs now. */
uint64_t
gt__cpuwatch_leave(struct gt_cpuslot *slot)
{
  uint64_t now;

  if (slot->ex == NULL)
    return gt_now_ns();
  pthread_mutex_lock(&w.mu);
  /* the step's tail since the sampler's last look (or the whole step,
   * when it never looked: a sampler that waits for a core may not for
   * tens of ms), judged here when it is long enough to judge; a step
   * shorter than a tick costs no CPU clock read */
  now = gt_now_ns();
  if (slot->win_ns != 0 ? now >= slot->win_ns + GT_CPUWATCH_TICK_NS / 2
      : now >= slot->enter_ns + GT_CPUWATCH_TICK_NS) {
    sample(slot);
    now = gt_now_ns();
  }
  if (slot->prev != NULL)
    slot->prev->next = slot->next;
  else
    w.head = slot->next;
  if (slot->next != NULL)
    slot->next->prev = slot->prev;
  if (slot->ready)
    gt__emit_at(slot->ex, now, slot->task, GT_EV_RESUME, GT_R_NONE,
        slot->label, 0, slot->worker);
  pthread_mutex_unlock(&w.mu);
  slot->ex = NULL;
  return now;
}

