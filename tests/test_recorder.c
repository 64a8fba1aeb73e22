/*
 * tests/test_recorder.c: the recorder under concurrent appends and reads,
 * the string table, the run table and the wake callback.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "recorder.h"

#define THREADS 4
#define PER_THREAD 200000  /* crosses many chunk boundaries */

struct appender {
  struct gt_recorder *rec;
  uint32_t            id;
  int                 batch;   /* 1: use append_many in batches of 7 */
};

/* Append PER_THREAD events numbered 0.. in task, tagged with worker = id. */
static void *
append_main(void *arg)
{
  struct appender *a = arg;
  struct gt_event ev[7];
  uint32_t i, k;

  for (i = 0; i < PER_THREAD;) {
    for (k = 0; k < (a->batch ? 7u : 1u) && i < PER_THREAD; k++, i++) {
      memset(&ev[k], 0, sizeof(ev[k]));
      ev[k].ts_ns = gt_now_ns();
      ev[k].task = i;
      ev[k].worker = (int32_t)a->id;
      ev[k].kind = GT_EV_START;
    }
    if (a->batch)
      gt_recorder_append_many(a->rec, ev, k);
    else
      gt_recorder_append(a->rec, &ev[0]);
  }
  return NULL;
}

struct reader {
  struct gt_recorder *rec;
  atomic_int          stop;
  size_t              reads;
  int                 bad;      /* an index changed meaning */
};

/* Read while others append: every index once read must read the same. */
static void *
read_main(void *arg)
{
  struct reader *r = arg;
  struct gt_event *seen = calloc((size_t)THREADS * PER_THREAD, sizeof(*seen));
  struct gt_event buf[512];
  size_t have = 0, n, i, probe;

  while (!atomic_load(&r->stop) || have < gt_recorder_count(r->rec)) {
    n = gt_recorder_read(r->rec, have, buf, 512);
    memcpy(seen + have, buf, n * sizeof(*buf));
    have += n;
    r->reads++;
    if (have > 0) {  /* re-read an older index */
      probe = (r->reads * 7919u) % have;
      if (gt_recorder_read(r->rec, probe, buf, 1) != 1
          || memcmp(&buf[0], &seen[probe], sizeof(buf[0])) != 0)
        r->bad = 1;
    }
  }
  for (i = 0; i < have; i++)
    if (seen[i].kind != GT_EV_START)
      r->bad = 1;
  free(seen);
  return NULL;
}

/* Check that all events are there and each thread's order is kept. */
static void
check_all(struct gt_recorder *rec)
{
  uint32_t next[THREADS] = {0};
  struct gt_event buf[1024];
  size_t at = 0, n, i;

  assert_int_equal(gt_recorder_count(rec), (size_t)THREADS * PER_THREAD);
  while ((n = gt_recorder_read(rec, at, buf, 1024)) > 0) {
    for (i = 0; i < n; i++) {
      assert_in_range(buf[i].worker, 0, THREADS - 1);
      assert_int_equal(buf[i].task, next[buf[i].worker]);
      next[buf[i].worker]++;
    }
    at += n;
  }
  assert_int_equal(at, (size_t)THREADS * PER_THREAD);
  for (i = 0; i < THREADS; i++)
    assert_int_equal(next[i], PER_THREAD);
}

/* Concurrent appenders and a concurrent reader. */
static void
run_concurrent(int batch)
{
  struct gt_recorder *rec = gt_recorder_new();
  struct appender a[THREADS];
  pthread_t t[THREADS], rt;
  struct reader r = { .rec = rec };
  int i;

  atomic_init(&r.stop, 0);
  pthread_create(&rt, NULL, read_main, &r);
  for (i = 0; i < THREADS; i++) {
    a[i] = (struct appender){ rec, (uint32_t)i, batch };
    pthread_create(&t[i], NULL, append_main, &a[i]);
  }
  for (i = 0; i < THREADS; i++)
    pthread_join(t[i], NULL);
  atomic_store(&r.stop, 1);
  pthread_join(rt, NULL);
  assert_false(r.bad);
  assert_true(r.reads > 0);
  check_all(rec);
  gt_recorder_free(rec);
}

static void
test_concurrent_appends(void **state)
{
  (void)state;
  run_concurrent(0);
}

static void
test_concurrent_batches(void **state)
{
  (void)state;
  run_concurrent(1);
}

/* Reading past the end, and empty reads. */
static void
test_read_bounds(void **state)
{
  struct gt_recorder *rec = gt_recorder_new();
  struct gt_event ev = { .ts_ns = 5, .kind = GT_EV_QUEUE }, out[4];

  (void)state;
  assert_int_equal(gt_recorder_read(rec, 0, out, 4), 0);
  gt_recorder_append(rec, &ev);
  ev.ts_ns = 6;
  gt_recorder_append(rec, &ev);
  assert_int_equal(gt_recorder_read(rec, 0, out, 4), 2);
  assert_int_equal(out[0].ts_ns, 5);
  assert_int_equal(out[1].ts_ns, 6);
  assert_int_equal(gt_recorder_read(rec, 1, out, 4), 1);
  assert_int_equal(gt_recorder_read(rec, 2, out, 4), 0);
  assert_int_equal(gt_recorder_read(rec, 99, out, 4), 0);
  assert_int_equal(gt_recorder_read(rec, 0, out, 0), 0);
  gt_recorder_free(rec);
}

/* Two recorders used alternately by one thread keep their own events. */
static void
test_two_recorders(void **state)
{
  struct gt_recorder *a = gt_recorder_new(), *b = gt_recorder_new();
  struct gt_event ev = {0}, out;
  int i;

  (void)state;
  for (i = 0; i < 100; i++) {
    ev.task = (uint32_t)i;
    gt_recorder_append(i % 2 ? a : b, &ev);
  }
  assert_int_equal(gt_recorder_count(a), 50);
  assert_int_equal(gt_recorder_count(b), 50);
  gt_recorder_read(a, 49, &out, 1);
  assert_int_equal(out.task, 99);
  gt_recorder_read(b, 49, &out, 1);
  assert_int_equal(out.task, 98);
  gt_recorder_free(a);
  gt_recorder_free(b);
}

struct intern_arg {
  struct gt_recorder *rec;
  uint32_t ids[1000];
};

/* Intern the same 1000 strings as other threads do. */
static void *
intern_main(void *arg)
{
  struct intern_arg *ia = arg;
  char s[32];
  int i;

  for (i = 0; i < 1000; i++) {
    snprintf(s, sizeof(s), "label %d", i);
    ia->ids[i] = gt_recorder_intern(ia->rec, s);
  }
  return NULL;
}

/* The same text gets the same id from every thread, and reads back. */
static void
test_intern(void **state)
{
  struct gt_recorder *rec = gt_recorder_new();
  static struct intern_arg ia[3];
  pthread_t t[3];
  char s[32];
  int i, k;

  (void)state;
  assert_int_equal(gt_recorder_intern(rec, ""), 0);
  assert_int_equal(gt_recorder_intern(rec, NULL), 0);
  assert_string_equal(gt_recorder_string(rec, 0), "");
  for (k = 0; k < 3; k++) {
    ia[k].rec = rec;
    pthread_create(&t[k], NULL, intern_main, &ia[k]);
  }
  for (k = 0; k < 3; k++)
    pthread_join(t[k], NULL);
  for (i = 0; i < 1000; i++) {
    snprintf(s, sizeof(s), "label %d", i);
    assert_int_equal(ia[0].ids[i], ia[1].ids[i]);
    assert_int_equal(ia[0].ids[i], ia[2].ids[i]);
    assert_int_not_equal(ia[0].ids[i], 0);
    assert_string_equal(gt_recorder_string(rec, ia[0].ids[i]), s);
    assert_int_equal(gt_recorder_intern(rec, s), ia[0].ids[i]);
  }
  assert_string_equal(gt_recorder_string(rec, 123456), "");
  gt_recorder_free(rec);
}

/* Runs are numbered in order and keep their info. */
static void
test_runs(void **state)
{
  struct gt_recorder *rec = gt_recorder_new();
  struct gt_run_info ri = { .workers = 5, .tasks = 7 }, out;

  (void)state;
  ri.name = gt_recorder_intern(rec, "threads");
  assert_int_equal(gt_recorder_runs(rec), 0);
  assert_int_equal(gt_recorder_run_add(rec, &ri), 0);
  assert_int_equal(gt_recorder_run_add(rec, &ri), 1);
  gt_recorder_run_start(rec, 1, 100);
  gt_recorder_run_end(rec, 1, 250);
  assert_int_equal(gt_recorder_run_get(rec, 1, &out), 0);
  assert_int_equal(out.start_ns, 100);
  assert_int_equal(out.end_ns, 250);
  assert_int_equal(out.workers, 5);
  assert_string_equal(gt_recorder_string(rec, out.name), "threads");
  assert_int_equal(gt_recorder_run_get(rec, 2, &out), -ENOENT);
  assert_int_equal(gt_recorder_runs(rec), 2);
  gt_recorder_free(rec);
}

static atomic_int wakes;

/* Count wake calls. */
static void
on_wake(void *arg)
{
  (void)arg;
  atomic_fetch_add(&wakes, 1);
}

/* Wakes coalesce until a reader reads, then come again. */
static void
test_wake_coalesces(void **state)
{
  struct gt_recorder *rec = gt_recorder_new();
  struct gt_event ev = {0};
  int i;

  (void)state;
  atomic_store(&wakes, 0);
  gt_recorder_set_wake(rec, on_wake, NULL);
  for (i = 0; i < 100; i++)
    gt_recorder_append(rec, &ev);
  assert_int_equal(atomic_load(&wakes), 1);
  assert_int_equal(gt_recorder_count(rec), 100);
  gt_recorder_append(rec, &ev);
  assert_int_equal(atomic_load(&wakes), 2);
  gt_recorder_free(rec);
}

/* Memory per event stays near the event's size. */
static void
test_memory_per_event(void **state)
{
  struct gt_recorder *rec = gt_recorder_new();
  struct gt_event ev = {0};
  size_t i, n = 500000;

  (void)state;
  assert_int_equal(sizeof(struct gt_event), 32);
  for (i = 0; i < n; i++)
    gt_recorder_append(rec, &ev);
  assert_true(gt_recorder_event_bytes(rec) <= 48 * n);
  gt_recorder_free(rec);
}

/* Labels that differ only in their bytes' top bits (0x41 and 0xc1, 'A'
 * and a byte of UTF-8's tail range) look alike to FNV's low bits: with a
 * fixed hash they pile into a few runs of slots and interning goes
 * quadratic.  Interned they must probe about as much as labels that differ
 * everywhere: at most 8 slots a string past the first, for either set. */
static void
test_intern_flood(void **state)
{
  enum { N = 4096, LEN = 12 };
  struct gt_recorder *rec;
  char s[LEN + 1];
  size_t i, k, plain, flood;

  (void)state;
  rec = gt_recorder_new();
  gt_recorder_intern_probes = 0;
  for (i = 0; i < N; i++) {
    snprintf(s, sizeof(s), "label %zu", i);
    gt_recorder_intern(rec, s);
  }
  plain = gt_recorder_intern_probes;
  gt_recorder_free(rec);

  rec = gt_recorder_new();
  gt_recorder_intern_probes = 0;
  for (i = 0; i < N; i++) {
    for (k = 0; k < LEN; k++)
      s[k] = (char)((i >> k) & 1 ? 0xc1 : 0x41);
    s[LEN] = '\0';
    gt_recorder_intern(rec, s);
  }
  flood = gt_recorder_intern_probes;
  assert_int_equal(gt_recorder_string_count(rec), N + 1);  /* and "" */
  gt_recorder_free(rec);
  print_message("probes: %zu for %d plain labels, %zu for %d alike\n",
      plain, N, flood, N);
  assert_true(plain <= 8 * N);
  assert_true(flood <= 8 * N);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_concurrent_appends),
    cmocka_unit_test(test_concurrent_batches),
    cmocka_unit_test(test_read_bounds),
    cmocka_unit_test(test_two_recorders),
    cmocka_unit_test(test_intern),
    cmocka_unit_test(test_intern_flood),
    cmocka_unit_test(test_runs),
    cmocka_unit_test(test_wake_coalesces),
    cmocka_unit_test(test_memory_per_event),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
