/*
 * bench/bench_recorder.c: what appending an event costs, and what keeping
 * it costs.
 *
 * Two threads append at once, each reading the clock for every event, and
 * the cost per append is compared with baselines measured in the same run:
 * the clock read alone, the same event pushed into one mutex-guarded
 * growable array, and, to show where the time goes, each thread storing it
 * into its own plain array (pages touched before, and fresh pages).  The
 * recorder is measured headless (no wake callback), with a wake callback
 * (the TUI's case), and with a third thread reading everything every
 * millisecond.  Modes are interleaved repetition by repetition and each
 * keeps its best, because the machine is noisy.  Memory per event comes
 * from gt_recorder_event_bytes().  Prints "bench: NAME = VALUE UNIT" lines;
 * docs/PERFORMANCE.md records them.
 */
#define _DEFAULT_SOURCE          /* MAP_ANONYMOUS, ru_minflt */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

#include "base.h"
#include "bench.h"
#include "recorder.h"

#define THREADS      2
#define N_PER_THREAD 1000000u    /* appends per thread per repetition */
#define REPS         7
#define MEM_EVENTS   1000000u    /* events for the memory figures */
#define READ_MAX     4096u       /* events per gt_recorder_read() */
#define READ_EVERY_NS 1000000L   /* the reader's pause between drains */

#define BUDGET_CLOCK_X  1.35     /* append <= this many clock reads */
#define BUDGET_MUTEX_X  4.0      /* mutex array >= this many appends */
#define BUDGET_BYTES    48.0     /* bytes per recorded event */

enum mode {
  MODE_CLOCK,                    /* the clock read alone */
  MODE_ARRAY_WARM,               /* own array, pages already touched */
  MODE_ARRAY,                    /* own array, fresh pages */
  MODE_RECORD,                   /* recorder, no wake callback */
  MODE_RECORD_WAKE,              /* recorder with a wake callback */
  MODE_RECORD_READER,            /* wake callback and a reader thread */
  MODE_MUTEX,                    /* one mutex-guarded array */
  MODE_COUNT
};

static const char *const mode_name[MODE_COUNT] = {
  "clock_ns", "private_array_warm_ns", "private_array_ns", "record_ns",
  "record_wake_ns", "record_reader_ns", "mutex_ns"
};

/* The baseline: one array shared by every thread behind one mutex. */
struct locked_array {
  pthread_mutex_t  lock;
  struct gt_event *ev;
  size_t           n;            /* events stored */
  size_t           cap;          /* events allocated; doubles when full */
};

/* One appending thread's orders and results. */
struct job {
  enum mode            mode;
  struct gt_recorder  *rec;      /* MODE_RECORD* */
  struct locked_array *arr;      /* MODE_MUTEX */
  struct gt_event     *own;      /* MODE_ARRAY*: n events, this job's */
  pthread_barrier_t   *go;       /* released when every thread is ready */
  size_t               n;        /* events to append */
  int32_t              worker;
  uint64_t             start_ns; /* after the barrier */
  uint64_t             end_ns;
  uint64_t             sink;     /* keeps the clock loop from vanishing */
};

/* The reader thread of MODE_RECORD_READER. */
struct reader {
  struct gt_recorder *rec;
  atomic_int          stop;
  size_t              seen;      /* events read, in order */
};

static atomic_ulong wake_calls;

/* The wake callback: counts its calls and does nothing else. */
static void
wake_count(void *arg)
{
  (void)arg;
  atomic_fetch_add_explicit(&wake_calls, 1, memory_order_relaxed);
}

/* The event a worker records as its i-th, stamped now. */
static inline struct gt_event
make_event(size_t i, int32_t worker)
{
  struct gt_event ev = {
    .ts_ns = gt_now_ns(),
    .task = (uint32_t)(i & 1023),
    .label = 1,
    .worker = worker,
    .status = 0,
    .run = 0,
    .kind = (uint8_t)(GT_EV_START + (i & 1) * (GT_EV_WAIT - GT_EV_START)),
    .reason = (uint8_t)((i & 1) ? GT_R_NET : GT_R_NONE),
  };

  return ev;
}

/* Append ev to the shared array under its lock, growing it by doubling. */
static void
locked_append(struct locked_array *a, const struct gt_event *ev)
{
  pthread_mutex_lock(&a->lock);
  if (a->n == a->cap) {
    a->cap = a->cap ? a->cap * 2 : 1024;
    a->ev = gt_xrealloc(a->ev, a->cap * sizeof(*a->ev));
  }
  a->ev[a->n++] = *ev;
  pthread_mutex_unlock(&a->lock);
}

/* One appending thread: wait for the others, then run its loop. */
static void *
job_main(void *arg)
{
  struct job *j = arg;
  struct gt_event ev;
  uint64_t sink = 0;
  size_t i;

  pthread_barrier_wait(j->go);
  j->start_ns = gt_now_ns();
  switch (j->mode) {
  case MODE_CLOCK:
    for (i = 0; i < j->n; i++)
      sink += gt_now_ns();
    break;
  case MODE_ARRAY_WARM:
  case MODE_ARRAY:
    for (i = 0; i < j->n; i++)
      j->own[i] = make_event(i, j->worker);
    break;
  case MODE_RECORD:
  case MODE_RECORD_WAKE:
  case MODE_RECORD_READER:
    for (i = 0; i < j->n; i++) {
      ev = make_event(i, j->worker);
      gt_recorder_append(j->rec, &ev);
    }
    break;
  case MODE_MUTEX:
    for (i = 0; i < j->n; i++) {
      ev = make_event(i, j->worker);
      locked_append(j->arr, &ev);
    }
    break;
  case MODE_COUNT:
    break;
  }
  j->end_ns = gt_now_ns();
  j->sink = sink;
  return NULL;
}

/* The reader: drain everything, sleep a millisecond, again until told. */
static void *
reader_main(void *arg)
{
  struct reader *r = arg;
  struct gt_event *buf = gt_xmalloc(READ_MAX * sizeof(*buf));
  struct timespec pause = { 0, READ_EVERY_NS };
  size_t n;
  int last = 0;

  for (;;) {
    /* Read the stop flag before draining, so the last drain sees all. */
    last = atomic_load(&r->stop);
    while ((n = gt_recorder_read(r->rec, r->seen, buf, READ_MAX)) > 0)
      r->seen += n;
    if (last)
      break;
    nanosleep(&pause, NULL);
  }
  free(buf);
  return NULL;
}

/* Page faults the process has taken so far (first touches of memory). */
static long
minor_faults(void)
{
  struct rusage ru;

  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_minflt;
}

/* n events of fresh anonymous memory, straight from the kernel so that no
 * allocator can hand back pages touched before. */
static struct gt_event *
fresh_events(size_t n)
{
  void *p = mmap(NULL, n * sizeof(struct gt_event), PROT_READ | PROT_WRITE,
      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

  if (p == MAP_FAILED) {
    perror("bench_recorder: mmap");
    exit(1);
  }
  return p;
}

/* Run threads appenders (and a reader when the mode has one), each
 * appending n events; returns ns per append per thread, wall clock, and
 * puts the page faults taken per 1000 events in *faults_per_k.  When
 * rec_out is not NULL it gets the recorder, which the caller frees. */
static double
run_mode(enum mode mode, int threads, size_t n, double *faults_per_k,
    struct gt_recorder **rec_out)
{
  struct job job[THREADS];
  pthread_t tid[THREADS], rtid;
  pthread_barrier_t go;
  struct locked_array arr = { .ev = NULL };
  struct reader rd = { .rec = NULL };
  struct gt_recorder *rec = NULL;
  uint64_t start = UINT64_MAX, end = 0;
  long faults;
  int i;

  if (mode >= MODE_RECORD && mode <= MODE_RECORD_READER) {
    rec = gt_recorder_new();
    if (mode != MODE_RECORD)
      gt_recorder_set_wake(rec, wake_count, NULL);
    gt_recorder_intern(rec, "GET /genre");
  }
  if (mode == MODE_MUTEX)
    pthread_mutex_init(&arr.lock, NULL);
  if (mode == MODE_RECORD_READER) {
    rd.rec = rec;
    atomic_init(&rd.stop, 0);
    pthread_create(&rtid, NULL, reader_main, &rd);
  }
  pthread_barrier_init(&go, NULL, (unsigned)threads);
  for (i = 0; i < threads; i++) {
    job[i] = (struct job){ .mode = mode, .rec = rec, .arr = &arr, .go = &go,
        .n = n, .worker = i };
    if (mode == MODE_ARRAY || mode == MODE_ARRAY_WARM)
      job[i].own = fresh_events(n);
    if (mode == MODE_ARRAY_WARM)
      memset(job[i].own, 0, n * sizeof(*job[i].own));
  }
  faults = minor_faults();
  for (i = 0; i < threads; i++)
    pthread_create(&tid[i], NULL, job_main, &job[i]);
  for (i = 0; i < threads; i++) {
    pthread_join(tid[i], NULL);
    if (job[i].start_ns < start)
      start = job[i].start_ns;
    if (job[i].end_ns > end)
      end = job[i].end_ns;
  }
  faults = minor_faults() - faults;
  pthread_barrier_destroy(&go);
  for (i = 0; i < threads; i++)
    if (job[i].own != NULL)
      munmap(job[i].own, n * sizeof(*job[i].own));

  if (mode == MODE_RECORD_READER) {
    atomic_store(&rd.stop, 1);
    pthread_join(rtid, NULL);
    if (rd.seen != (size_t)threads * n) {
      fprintf(stderr, "bench_recorder: the reader saw %zu of %zu events\n",
          rd.seen, (size_t)threads * n);
      exit(1);
    }
  }
  if (rec != NULL && gt_recorder_count(rec) != (size_t)threads * n) {
    fprintf(stderr, "bench_recorder: recorded %zu of %zu events\n",
        gt_recorder_count(rec), (size_t)threads * n);
    exit(1);
  }
  if (mode == MODE_MUTEX) {
    free(arr.ev);
    pthread_mutex_destroy(&arr.lock);
  }
  if (rec_out != NULL)
    *rec_out = rec;
  else
    gt_recorder_free(rec);
  if (faults_per_k != NULL)
    *faults_per_k = 1000.0 * (double)faults / ((double)threads * (double)n);
  return (double)(end - start) / (double)n;
}

/* Bytes per event after threads together append total events. */
static double
bytes_per_event(enum mode mode, int threads, size_t total)
{
  struct gt_recorder *rec = NULL;
  double b;

  run_mode(mode, threads, total / (size_t)threads, NULL, &rec);
  b = (double)gt_recorder_event_bytes(rec) / (double)gt_recorder_count(rec);
  gt_recorder_free(rec);
  return b;
}

/* Measure every mode, interleaved, then memory; print the figures. */
int
main(void)
{
  double best[MODE_COUNT], faults[MODE_COUNT], ns, f, b1, b2, br;
  unsigned long wakes = 0;
  char name[64];
  int rep, m;

  for (m = 0; m < MODE_COUNT; m++)
    best[m] = 1e300;
  for (rep = 0; rep < REPS; rep++) {
    for (m = 0; m < MODE_COUNT; m++) {
      atomic_store(&wake_calls, 0);
      ns = run_mode((enum mode)m, THREADS, N_PER_THREAD, &f, NULL);
      if (ns < best[m]) {
        best[m] = ns;
        faults[m] = f;
        if (m == MODE_RECORD_READER)
          wakes = atomic_load(&wake_calls);
      }
    }
  }

  b1 = bytes_per_event(MODE_RECORD, 1, MEM_EVENTS);
  b2 = bytes_per_event(MODE_RECORD, THREADS, MEM_EVENTS);
  br = bytes_per_event(MODE_RECORD_READER, THREADS, MEM_EVENTS);

  printf("bench: threads = %d, appends per thread = %u, repetitions = %d "
      "(best kept)\n", THREADS, N_PER_THREAD, REPS);
  for (m = 0; m < MODE_COUNT; m++)
    bench_report(mode_name[m], best[m], "ns");
  bench_report("record_vs_clock", best[MODE_RECORD] / best[MODE_CLOCK], "x");
  bench_report("record_wake_vs_clock",
      best[MODE_RECORD_WAKE] / best[MODE_CLOCK], "x");
  bench_report("record_with_reader_vs_clock",
      best[MODE_RECORD_READER] / best[MODE_CLOCK], "x");
  bench_report("mutex_vs_record", best[MODE_MUTEX] / best[MODE_RECORD], "x");
  bench_report("mutex_vs_record_wake",
      best[MODE_MUTEX] / best[MODE_RECORD_WAKE], "x");
  /* Where the time goes: any log in fresh pages pays the first touch. */
  bench_report("private_array_vs_clock", best[MODE_ARRAY] / best[MODE_CLOCK],
      "x");
  bench_report("record_vs_private_array", best[MODE_RECORD] / best[MODE_ARRAY],
      "x");
  for (m = MODE_ARRAY; m < MODE_COUNT; m++) {
    snprintf(name, sizeof(name), "%.*s_page_faults",
        (int)(strlen(mode_name[m]) - 3), mode_name[m]);
    /* none is a fine figure: faults were taken before the count */
    bench_report_range(name, faults[m], 2, "per 1k events", 0, 1e9);
  }
  printf("bench: wake_calls_with_reader = %lu calls\n", wakes);
  bench_report("bytes_per_event", b1, "B");
  bench_report("bytes_per_event_2threads", b2, "B");
  bench_report("bytes_per_event_with_reader", br, "B");

  bench_verdict("record_vs_clock",
      best[MODE_RECORD] <= BUDGET_CLOCK_X * best[MODE_CLOCK]);
  bench_verdict("record_wake_vs_clock",
      best[MODE_RECORD_WAKE] <= BUDGET_CLOCK_X * best[MODE_CLOCK]);
  bench_verdict("mutex_vs_record",
      best[MODE_MUTEX] >= BUDGET_MUTEX_X * best[MODE_RECORD]);
  bench_verdict("bytes_per_event", b1 <= BUDGET_BYTES && b2 <= BUDGET_BYTES);
  return bench_status(0);
}
