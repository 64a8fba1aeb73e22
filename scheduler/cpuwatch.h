/*
 * scheduler/cpuwatch.h: measures, for a thread in a task's running time,
 * whether it is on a core or ready for one (the state ready(no core)).
 * Not for other folders.
 *
 * One sampler thread per process, started by gt_scheduler_init() and
 * asleep until a thread is watched.  A thread that starts running a task
 * (its START or RESUME emitted) links a slot (its task, run, worker, label
 * and its pthread CPU clock) into a list; about every GT_CPUWATCH_TICK_NS
 * the sampler reads each slot's CPU clock and compares the CPU time gained
 * with the wall time passed since its last look: a thread off its core
 * for more than half a tick of the window turns ready(no core), one on it
 * for more than half a tick turns running (in a one-tick window: the
 * majority).  It emits WAIT(GT_R_CORE) or RESUME only on a change,
 * stamped inside the window where it happened (a thread that ran and then
 * lost its core ran first: the change is placed after the CPU it gained),
 * so the running time drawn stays the CPU time gained even in a long
 * window.  With no slot for a while the sampler sleeps on a condition
 * variable and costs nothing.
 *
 * Order: one lock guards the list and every slot.  The sampler holds it
 * while it reads and emits; the owner takes it to leave, and judges the
 * tail of its own step there when the sampler has not looked for half a
 * tick.  So once gt__cpuwatch_leave() has returned, every event for that
 * slot is emitted, stamped before the leave, and the owner's next event
 * (stamped after) wins.  A thread that will block (a GIL wait) leaves
 * first: a blocked thread is not ready.
 *
 * The resolution is the window: a tick when the sampler gets a core in
 * time, longer on a machine so busy that it waits for one.  It asks for
 * a real-time priority (granted with CAP_SYS_NICE), and the lock inherits
 * priority, so a worker preempted while it holds the lock does not keep
 * the sampler waiting.  The first look
 * judges the step from its start, by the CPU the thread had when last seen
 * (a bound of what it had when the step began; exact for a new thread,
 * whose clock starts at 0).  A step shorter than a tick is drawn running
 * and costs no clock read.  GANTTY_NO_CPUWATCH (any value, read once)
 * turns the measure off, for benchmarks that weigh its cost.
 */
#ifndef GT_SCHEDULER_CPUWATCH_H
#define GT_SCHEDULER_CPUWATCH_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "event.h"  /* GT_RUNNING_RESOLUTION_NS */

/* The sampler looks this often (bench_cpuwatch weighs the cost;
 * docs/PERFORMANCE.md): the resolution of running in every file. */
#define GT_CPUWATCH_TICK_NS GT_RUNNING_RESOLUTION_NS

struct gt_executor;

/* What the sampler last saw of a thread, kept by the thread (thread-local)
 * and written by the sampler under the module's lock: its CPU time then
 * is a lower bound of its CPU time when it enters its next step (a new
 * thread's clock starts at 0). */
struct gt_cpuseen {
  uint64_t cpu_ns;
};

/* One thread in one CPU step.  The owner fills it through enter(); the
 * rest is the sampler's, under the module's lock. */
struct gt_cpuslot {
  struct gt_executor *ex;     /* NULL: not in the list */
  size_t              task;
  int32_t             worker;
  uint32_t            label;  /* of the running slice (RESUME's) */
  clockid_t           clock;  /* the owner's CPU clock */
  uint64_t            enter_ns;  /* when it entered the step */
  struct gt_cpuseen  *seen;   /* the owner's, thread-local */
  uint64_t            win_ns; /* start of the window; 0: not looked at */
  uint64_t            cpu_ns; /* the owner's CPU time at win_ns */
  int                 ready;  /* 1: the last event emitted was WAIT(CORE) */
  int64_t             owed;   /* CPU gained and not drawn as running yet
                                 (negative: drawn and not gained) */
  struct gt_cpuslot  *prev, *next;
};

/* 1 unless GANTTY_NO_CPUWATCH is set (read once). */
int gt__cpuwatch_on(void);

/* The calling thread runs task from now (its running slice's label is
 * label): emit kind (GT_EV_START or GT_EV_RESUME; 0: none, the task runs
 * already) and link slot for the sampler, as one step under the lock, so
 * that a thread that loses its core right after its START is watched
 * from its START on.  With the measure off (or no sampler) it only
 * emits. */
void gt__cpuwatch_enter(struct gt_cpuslot *slot, struct gt_executor *ex,
    size_t task, int32_t worker, uint32_t label, int kind);

/* The calling thread stops running the task: judge the tail of the step,
 * unlink slot; when the last thing emitted for it was ready(no core), a
 * RESUME is emitted (the thread runs as it leaves).  Returns the time to
 * stamp the task's next event with (taken under the lock: anything the
 * sampler emitted is stamped before it, a RESUME at it, and a thread that
 * loses its core after the leave does so in its next state, not running).
 * Returns after the sampler is done with slot.  A slot not entered: now. */
uint64_t gt__cpuwatch_leave(struct gt_cpuslot *slot);

/* The longest window the sampler judged since the last call (the
 * resolution it had: a tick when it got a core in time, more on a busy
 * machine), and start again; for tests and benchmarks. */
uint64_t gt__cpuwatch_widest_ns(void);

/* The CPU time the sampler thread has used (0 when it never ran): what
 * the measure itself costs, for tests and benchmarks. */
uint64_t gt__cpuwatch_own_cpu_ns(void);

/* Main, before any thread: the CPU mask the sampler runs on (the
 * process's own, not a run's --cores: it is no worker). */
void gt__cpuwatch_init(void);

#endif
