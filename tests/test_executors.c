/*
 * tests/test_executors.c: one table of invariants checked against every
 * executor, then what each mode promises: sync runs one task at a time,
 * threads has every request in flight at once, a small pool queues, and
 * faults (refused, 404, unwritable file, stop) finish tasks with errors
 * while the run completes.  HTTP goes to the real demo server on loopback.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "base.h"
#include "contention.h"
#include "demo_server.h"
#include "executor.h"
#include "lanes.h"
#include "recorder.h"
#include "spec.h"
#include "support/session.h"
#include "timeline.h"
#include "workload.h"

struct fixture {
  struct gt_demo_server *srv;
  struct gt_recorder    *rec;
  struct gt_task        *tasks;
  size_t                 ntasks;
  char                   dir[64];
};

/* A demo server set up as cfg, ntasks genre tasks, a fresh recorder and a
 * temporary output folder. */
static struct fixture *
fixture_new_cfg(const struct gt_demo_config *cfg, unsigned ntasks)
{
  struct fixture *f = gt_xcalloc(1, sizeof(*f));
  struct gt_workload_params p = { .tasks = ntasks, .seed = 7 };

  assert_int_equal(gt_demo_server_start(cfg, &f->srv, NULL), 0);
  assert_int_equal(gt_workload_find("genre")->make(&p, &f->tasks, &f->ntasks,
      NULL), 0);
  f->rec = gt_recorder_new();
  strcpy(f->dir, "/tmp/gt_exec_XXXXXX");
  assert_non_null(mkdtemp(f->dir));
  return f;
}

/* The same with a server of latency_ms, seed 7. */
static struct fixture *
fixture_new(unsigned latency_ms, unsigned ntasks)
{
  struct gt_demo_config cfg = { .seed = 7, .latency_ms = latency_ms };

  return fixture_new_cfg(&cfg, ntasks);
}

/* Give f the tasks of workload name made with p instead of genre's. */
static void
fixture_workload(struct fixture *f, const char *name,
    const struct gt_workload_params *p)
{
  gt_tasks_free(f->tasks, f->ntasks);
  assert_int_equal(gt_workload_find(name)->make(p, &f->tasks, &f->ntasks,
      NULL), 0);
}

/* Remove the output folder's files and free everything. */
static void
fixture_free(struct fixture *f)
{
  char *cmd = gt_xasprintf("rm -rf '%s'", f->dir);

  assert_int_equal(system(cmd), 0);
  free(cmd);
  gt_recorder_free(f->rec);
  gt_tasks_free(f->tasks, f->ntasks);
  gt_demo_server_stop(f->srv);
  free(f);
}

/* Run f's tasks with cfg, its URL defaulting to the demo server and its
 * output folder to f's; returns the run id. */
static uint16_t
run_with(struct fixture *f, struct gt_run_config *cfg)
{
  struct gt_run *run;
  uint16_t id;

  if (cfg->base_url == NULL)
    cfg->base_url = gt_demo_server_url(f->srv);
  cfg->out_dir = f->dir;
  if (cfg->timeout_ms == 0)
    cfg->timeout_ms = 10000;
  assert_int_equal(gt_run_new(f->rec, cfg, f->tasks, f->ntasks, &run,
      NULL), 0);
  assert_int_equal(gt_run_exec(run, NULL), 0);
  id = gt_run_id(run);
  gt_run_free(run);
  return id;
}

/* Run f's tasks under mode with width workers against url (NULL: the demo
 * server); returns the run id. */
static uint16_t
run_mode(struct fixture *f, const char *mode, unsigned workers,
    const char *url)
{
  struct gt_run_config cfg = { .mode = mode, .workers = workers,
      .base_url = url };

  return run_with(f, &cfg);
}

/* Put one task's events in time order; the log is in arrival order, which
 * across threads is not the order things happened in.  Stable, so events
 * with equal times keep their arrival order: the timeline's one tie rule
 * (trace/timeline.h), with no exception for any kind. */
static void
sort_by_time(struct gt_event *ev, size_t n)
{
  struct gt_event tmp;
  size_t i, j;

  for (i = 1; i < n; i++) {
    tmp = ev[i];
    for (j = i; j > 0 && ev[j - 1].ts_ns > tmp.ts_ns; j--)
      ev[j] = ev[j - 1];
    ev[j] = tmp;
  }
}

/* The invariants every executor keeps, checked on run's events in time
 * order per task: QUEUE first, stamped strictly before the task's other
 * events (so no tie with them depends on which thread's buffer the
 * recorder gathered first); then START (or a cancelled FINISH); every
 * WAIT closed by RESUME or by an error FINISH (a WAIT while waiting changes
 * the reason: a connection's set-up, known once the answer is in); exactly
 * one FINISH, last.
 * Returns how many tasks finished with status 0. */
static unsigned
check_invariants(struct gt_recorder *rec, uint16_t run, size_t ntasks)
{
  size_t total = gt_recorder_count(rec), i, t, n;
  struct gt_event *all = gt_xmalloc(total * sizeof(*all));
  struct gt_event *mine = gt_xmalloc(total * sizeof(*mine));
  unsigned ok = 0;

  assert_int_equal(gt_recorder_read(rec, 0, all, total), total);
  for (t = 0; t < ntasks; t++) {
    int waiting = 0, started = 0, finished = 0;

    for (n = 0, i = 0; i < total; i++)
      if (all[i].run == run && all[i].task == t)
        mine[n++] = all[i];
    sort_by_time(mine, n);
    assert_true(n >= 2);
    assert_int_equal(mine[0].kind, GT_EV_QUEUE);
    assert_true(mine[1].ts_ns > mine[0].ts_ns);
    for (i = 1; i < n; i++) {
      const struct gt_event *e = &mine[i];

      assert_false(finished);
      switch (e->kind) {
      case GT_EV_START:
        assert_false(started);
        started = 1;
        break;
      case GT_EV_WAIT:  /* while waiting: the reason changes (connect) */
        assert_true(started);
        assert_true(e->reason > GT_R_NONE && e->reason < GT_R_COUNT);
        waiting = 1;
        break;
      case GT_EV_RESUME:
        assert_true(waiting);
        waiting = 0;
        break;
      case GT_EV_FINISH:
        finished = 1;
        if (waiting || !started)
          assert_int_not_equal(e->status, 0);
        if (e->status == 0)
          ok++;
        else {
          assert_int_not_equal(e->label, 0);  /* the error has a text */
          print_message("task %zu failed: %s\n", t,
              gt_recorder_string(rec, e->label));
        }
        break;
      default:
        fail_msg("task %zu: unexpected event kind %d", t, e->kind);
      }
    }
    assert_true(finished);
  }
  free(mine);
  free(all);
  return ok;
}

/* The stats of run. */
static struct gt_run_figures
stats_of(struct gt_recorder *rec, uint16_t run)
{
  struct gt_run_figures st[16];
  size_t n;

  n = gt_timeline_figures_of(rec, st, 16);
  assert_true(run < n);
  return st[run];
}

/* Every mode: the invariants hold, every task succeeds, files are there. */
static void
test_invariants_every_mode(void **state)
{
  const char *const *modes;
  size_t nmodes, m, i;

  (void)state;
  modes = gt_mode_names(&nmodes);
  assert_true(nmodes >= 2);
  for (m = 0; m < nmodes; m++) {
    struct fixture *f = fixture_new(50, 5);
    uint16_t run = run_mode(f, modes[m], 0, NULL);

    print_message("mode %s\n", modes[m]);
    assert_int_equal(check_invariants(f->rec, run, f->ntasks), 5);
    for (i = 0; i < 5; i++) {
      char *path = gt_xasprintf("%s/new_file%zu.txt", f->dir, i);
      char *want = gt_xasprintf("%s\n", gt_demo_genre(7, i));
      char line[64] = "";
      FILE *fp = fopen(path, "r");

      assert_non_null(fp);
      assert_non_null(fgets(line, sizeof(line), fp));
      fclose(fp);
      assert_string_equal(line, want);
      free(want);
      free(path);
    }
    fixture_free(f);
  }
}

/* sync never has two tasks out of the queue at once. */
static void
test_sync_one_at_a_time(void **state)
{
  struct fixture *f = fixture_new(40, 5);
  struct gt_run_figures st;
  uint16_t run;

  (void)state;
  run = run_mode(f, "sync", 6, NULL);  /* sync's width stays 1 */
  st = stats_of(f->rec, run);
  assert_int_equal(st.peak_busy, 1);
  assert_int_equal(st.peak_net, 1);
  assert_int_equal(st.workers, 1);
  /* five 40 ms answers one after another: at least 200 ms */
  assert_true(st.wall_ns >= 5 * 40 * 1000000ull);
  fixture_free(f);
}

/* threads with five workers has all five requests in flight together. */
static void
test_threads_all_in_flight(void **state)
{
  struct fixture *f = fixture_new(300, 5);
  struct gt_run_figures st;
  uint16_t run;

  (void)state;
  run = run_mode(f, "threads", 5, NULL);
  st = stats_of(f->rec, run);
  assert_int_equal(st.peak_net, 5);
  assert_int_equal(st.ok, 5);
  fixture_free(f);
}

/* A pool narrower than the task count keeps tasks queued, and never has more
 * than its width out of the queue. */
static void
test_threads_pool_queues(void **state)
{
  struct fixture *f = fixture_new(100, 6);
  struct gt_run_figures st;
  uint16_t run;

  (void)state;
  run = run_mode(f, "threads", 2, NULL);
  st = stats_of(f->rec, run);
  assert_int_equal(st.peak_busy, 2);
  assert_int_equal(st.ok, 6);
  /* four tasks wait a round or two of 100 ms in the queue */
  assert_true(st.state_ns[GT_S_QUEUED] >= 4 * 100 * 1000000ull);
  fixture_free(f);
}

/* A port that refuses connections: every task fails, the run completes. */
static void
test_refused(void **state)
{
  struct sockaddr_in sa = { .sin_family = AF_INET };
  socklen_t len = sizeof(sa);
  const char *const *modes;
  size_t nmodes, m;
  int fd;

  (void)state;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  fd = socket(AF_INET, SOCK_STREAM, 0);
  assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
  assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
  close(fd);  /* nothing listens on that port now */
  modes = gt_mode_names(&nmodes);
  for (m = 0; m < nmodes; m++) {
    struct fixture *f = fixture_new(0, 3);
    char *url = gt_xasprintf("http://127.0.0.1:%u", ntohs(sa.sin_port));
    uint16_t run = run_mode(f, modes[m], 0, url);
    struct gt_run_figures st = stats_of(f->rec, run);

    assert_int_equal(check_invariants(f->rec, run, 3), 0);
    assert_int_equal(st.failed, 3);
    free(url);
    fixture_free(f);
  }
}

/* A 404 and an unwritable file: errors with their text, others go on. */
static void
test_http_and_disk_errors(void **state)
{
  struct fixture *f = fixture_new(0, 3);
  struct gt_lanes l;
  uint16_t run;

  (void)state;
  free(f->tasks[1].steps[0].target);
  f->tasks[1].steps[0].target = gt_xstrdup("/no-such-path");
  free(f->tasks[2].steps[2].target);
  f->tasks[2].steps[2].target = gt_xstrdup("missing-dir/x.txt");
  run = run_mode(f, "threads", 0, NULL);
  assert_int_equal(check_invariants(f->rec, run, 3), 1);
  gt_lanes_build(f->rec, &l);
  assert_int_equal(l.lane[1].status, GT_EHTTP);
  assert_non_null(strstr(gt_recorder_string(f->rec, l.lane[1].error),
      "HTTP 404"));
  assert_int_equal(l.lane[2].status, -ENOENT);
  assert_non_null(strstr(gt_recorder_string(f->rec, l.lane[2].error),
      "missing-dir/x.txt"));
  gt_lanes_done(&l);
  fixture_free(f);
}

struct stopper {
  struct gt_run *run;
  int            ms;
};

/* Stop a run after a while, from another thread. */
static void *
stop_later(void *arg)
{
  struct stopper *s = arg;

  usleep((useconds_t)s->ms * 1000);
  gt_run_stop(s->run);
  return NULL;
}

/* Stopping a run cuts requests short and cancels what has not started.
 * The answers would take 20 s; the server's count is the oracle: it
 * answered none, so every request was cut short (no wall-clock bound, which
 * a slow machine's start-up and teardown could pass), and a run that did
 * not stop would still fail here, not time out the suite. */
static void
test_stop(void **state)
{
  const char *const *modes;
  size_t nmodes, m;

  (void)state;
  modes = gt_mode_names(&nmodes);
  for (m = 0; m < nmodes; m++) {
    struct fixture *f = fixture_new(20000, 4);
    struct gt_run_config cfg = {
      .mode = modes[m], .workers = 2, .timeout_ms = 60000,
      .base_url = gt_demo_server_url(f->srv), .out_dir = f->dir,
    };
    struct stopper s = { NULL, 300 };
    struct gt_demo_stats ds;
    struct gt_run_figures st;
    pthread_t t;

    assert_int_equal(gt_run_new(f->rec, &cfg, f->tasks, 4, &s.run, NULL), 0);
    pthread_create(&t, NULL, stop_later, &s);
    assert_int_equal(gt_run_exec(s.run, NULL), 0);
    pthread_join(t, NULL);
    gt_demo_server_stats(f->srv, &ds);
    assert_int_equal(ds.requests, 0);  /* none answered: all cut short */
    assert_int_equal(check_invariants(f->rec, gt_run_id(s.run), 4), 0);
    st = stats_of(f->rec, gt_run_id(s.run));
    assert_int_equal(st.failed, 4);
    gt_run_free(s.run);
    fixture_free(f);
  }
}

/* Run f's tasks under async with a limit (0: none) and a request timeout
 * (0: the default); returns the run id. */
static uint16_t
run_async(struct fixture *f, unsigned limit, const char *url, long timeout)
{
  struct gt_run_config cfg = { .mode = "async", .limit = limit,
      .base_url = url, .timeout_ms = timeout };

  return run_with(f, &cfg);
}

/* async: one loop runs everything, all five requests in flight at once. */
static void
test_async_one_loop_all_in_flight(void **state)
{
  struct fixture *f = fixture_new(200, 5);
  struct gt_run_figures st;
  struct gt_lanes l;
  uint16_t run;
  size_t i, j;

  (void)state;
  run = run_async(f, 0, NULL, 0);
  st = stats_of(f->rec, run);
  assert_int_equal(st.ok, 5);
  assert_int_equal(st.workers, 1);
  assert_int_equal(st.peak_net, 5);
  gt_lanes_build(f->rec, &l);
  for (i = 0; i < l.n; i++)
    for (j = 0; j < l.lane[i].niv; j++)
      if (l.lane[i].iv[j].state != GT_S_QUEUED)
        assert_int_equal(l.lane[i].iv[j].worker, 0);
  gt_lanes_done(&l);
  fixture_free(f);
}

/* --limit 2: never more than two tasks out of the queue. */
static void
test_async_limit(void **state)
{
  struct fixture *f = fixture_new(100, 6);
  struct gt_run_figures st;
  uint16_t run;

  (void)state;
  run = run_async(f, 2, NULL, 0);
  st = stats_of(f->rec, run);
  assert_int_equal(st.ok, 6);
  assert_int_equal(st.peak_busy, 2);
  assert_int_equal(st.peak_net, 2);
  /* four tasks wait in the queue for a round or two of 100 ms */
  assert_true(st.state_ns[GT_S_QUEUED] >= 4 * 100 * 1000000ull);
  fixture_free(f);
}

/* hybrid --limit 1 over two workers: each worker's loop has one task out
 * at a time, as the article's processes awaited their pages: two at once. */
static void
test_hybrid_limit(void **state)
{
  struct fixture *f = fixture_new(100, 6);
  struct gt_run_config cfg = { .mode = "hybrid", .workers = 2, .limit = 1 };
  struct gt_run_figures st;
  uint16_t run;

  (void)state;
  run = run_with(f, &cfg);
  st = stats_of(f->rec, run);
  assert_int_equal(check_invariants(f->rec, run, 6), 6);
  assert_int_equal(st.peak_busy, 2);
  assert_int_equal(st.limit, 1);
  assert_int_equal(gt_mode_in_flight("hybrid", 2, 1, 6), 2);
  assert_true(st.state_ns[GT_S_QUEUED] >= 4 * 100 * 1000000ull);
  fixture_free(f);
}

/* A 404, and a server that accepts but never answers: errors with their
 * text, the run completes. */
static void
test_async_http_errors_and_timeout(void **state)
{
  struct fixture *f = fixture_new(0, 2);
  struct sockaddr_in sa = { .sin_family = AF_INET };
  socklen_t len = sizeof(sa);
  struct gt_lanes l;
  char *url;
  int fd;

  (void)state;
  free(f->tasks[1].steps[0].target);
  f->tasks[1].steps[0].target = gt_xstrdup("/no-such-path");
  run_async(f, 0, NULL, 0);
  gt_lanes_build(f->rec, &l);
  assert_int_equal(l.lane[0].status, 0);
  assert_int_equal(l.lane[1].status, GT_EHTTP);
  assert_non_null(strstr(gt_recorder_string(f->rec, l.lane[1].error),
      "HTTP 404"));
  gt_lanes_done(&l);

  /* a listener that never answers: the kernel accepts for it */
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  fd = socket(AF_INET, SOCK_STREAM, 0);
  assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
  assert_int_equal(listen(fd, 16), 0);
  assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
  url = gt_xasprintf("http://127.0.0.1:%u", ntohs(sa.sin_port));
  run_async(f, 0, url, 300);
  gt_lanes_build(f->rec, &l);
  assert_int_equal(l.lane[2].status, GT_ETIMEOUT);
  assert_int_equal(l.lane[3].status, GT_ETIMEOUT);
  assert_non_null(strstr(gt_recorder_string(f->rec, l.lane[2].error),
      "within 300 ms"));
  gt_lanes_done(&l);
  close(fd);
  free(url);
  fixture_free(f);
}

/* Busy the CPU for step->arg ms. */
static int
busy_cpu(struct gt_task_ctx *ctx, const struct gt_step *step, char **cause)
{
  uint64_t end = gt_now_ns() + step->arg * 1000000ull;

  (void)ctx, (void)cause;
  while (gt_now_ns() < end)
    ;
  return 0;
}

/* The same, under no name: a worker process cannot find it. */
static int
busy_cpu_unnamed(struct gt_task_ctx *ctx, const struct gt_step *step,
    char **cause)
{
  return busy_cpu(ctx, step, cause);
}

/* A CPU step runs on the loop and blocks it: another task's answer,
 * there long before, is taken only when the CPU step ends. */
static void
test_async_cpu_blocks_loop(void **state)
{
  struct fixture *f = fixture_new(50, 2);
  struct gt_task *t = &f->tasks[0];
  struct gt_lanes l;
  uint64_t cpu_end = 0, resumed = 0;
  size_t j;

  (void)state;
  /* task 0: wait 10 ms on a timer, then busy the loop for 400 ms */
  free(t->steps[0].label);
  free(t->steps[0].target);
  free(t->steps[1].label);
  t->steps[0] = (struct gt_step){ .kind = GT_STEP_SLEEP,
      .label = gt_xstrdup("sleep"), .arg = 10 };
  t->steps[1] = (struct gt_step){ .kind = GT_STEP_CPU,
      .label = gt_xstrdup("busy"), .cpu = busy_cpu, .arg = 400 };
  t->nsteps = 2;
  free(t->steps[2].label);
  free(t->steps[2].target);
  run_async(f, 0, NULL, 0);
  gt_lanes_build(f->rec, &l);
  assert_int_equal(l.lane[0].status, 0);
  assert_int_equal(l.lane[1].status, 0);
  cpu_end = l.lane[0].finish_ns;
  for (j = 0; j < l.lane[1].niv; j++)
    if (l.lane[1].iv[j].state == GT_S_WAITING
        && l.lane[1].iv[j].reason == GT_R_NET)
      resumed = l.lane[1].iv[j].end_ns;
  /* the 50 ms answer is taken only once the 400 ms CPU step is over */
  assert_true(resumed >= cpu_end - 5000000ull);
  gt_lanes_done(&l);
  fixture_free(f);
}

/* Give f the tasks of spec text instead of genre's. */
static void
fixture_spec(struct fixture *f, const char *text)
{
  int needs_server = 0;

  gt_tasks_free(f->tasks, f->ntasks);
  assert_int_equal(gt_spec_parse("test.spec", text, &f->tasks, &f->ntasks,
      &needs_server, NULL), 0);
}

/* The time lane i of l spent in reason's state (a wait, or ready), and
 * what it spent running. */
static uint64_t
lane_reason_ns(const struct gt_lanes *l, size_t i, int reason)
{
  uint64_t ns = 0;
  size_t j;

  for (j = 0; j < l->lane[i].niv; j++)
    if (l->lane[i].iv[j].state != GT_S_QUEUED
        && l->lane[i].iv[j].state != GT_S_RUNNING
        && l->lane[i].iv[j].reason == reason)
      ns += l->lane[i].iv[j].end_ns - l->lane[i].iv[j].start_ns;
  return ns;
}

#define MS 1000000ull

/* Issue 13: task A holds the loop with a 300 ms CPU step while task B's
 * 100 ms request is out.  B waits on the network about 100 ms and is then
 * ready (loop busy) until A's step ends: about 200 ms of each, not 300 ms
 * of net.  The demo server says when it sent the answer; so in hybrid,
 * where it runs in this process and the loop in a worker's.  A server not
 * known to be the demo server is not believed (direct 0): only the poll
 * that saw the answer bounds it, right after the CPU step, so the wait
 * stays net.  Counted in time by reason, not in sequences of events: a
 * CPU step may also show ready (no core). */
static void
test_loop_busy_answer(void **state)
{
  static const char spec[] =
      "task A\n  sleep 10ms\n  cpu 300ms\n"
      "task B\n  get /genre?i=1\n";
  static const struct { const char *mode; int direct; } runs[] = {
    { "async", 1 }, { "hybrid", 1 }, { "async", 0 } };
  size_t r, i;

  (void)state;
  for (r = 0; r < sizeof(runs) / sizeof(runs[0]); r++) {
    struct fixture *f = fixture_new(100, 1);
    struct gt_run_config cfg = { .mode = runs[r].mode, .workers = 1,
        .direct = runs[r].direct };
    struct gt_lanes l;
    uint64_t net, busy;

    fixture_spec(f, spec);
    run_with(f, &cfg);
    gt_lanes_build(f->rec, &l);
    assert_int_equal(l.n, 2);
    for (i = 0; i < 2; i++)
      assert_int_equal(l.lane[i].status, 0);
    net = lane_reason_ns(&l, 1, GT_R_NET) + lane_reason_ns(&l, 1,
        GT_R_CONNECT);
    busy = lane_reason_ns(&l, 1, GT_R_LOOP);
    if (runs[r].direct) {
      assert_true(net >= 90 * MS);    /* the server's 100 ms */
      assert_true(net < 200 * MS);
      assert_true(busy > 100 * MS);   /* the rest of A's 300 ms */
    } else {
      assert_true(net > 250 * MS);
      assert_true(busy < 50 * MS);
    }
    gt_lanes_done(&l);
    fixture_free(f);
  }
}

/* A sleep whose callback a CPU step delays: a timer's due time is known,
 * so B's 50 ms sleep shows as timer for about 50 ms, then ready (loop
 * busy) until A's 300 ms step lets the loop go. */
static void
test_loop_busy_sleep(void **state)
{
  static const char spec[] =
      "task A\n  sleep 10ms\n  cpu 300ms\n"
      "task B\n  sleep 50ms\n";
  const char *modes[] = { "async", "hybrid" };
  size_t m;

  (void)state;
  for (m = 0; m < 2; m++) {
    struct fixture *f = fixture_new(0, 1);
    struct gt_run_config cfg = { .mode = modes[m], .workers = 1 };
    struct gt_lanes l;
    uint64_t timer, busy;

    fixture_spec(f, spec);
    run_with(f, &cfg);
    gt_lanes_build(f->rec, &l);
    assert_int_equal(l.n, 2);
    timer = lane_reason_ns(&l, 1, GT_R_TIMER);
    busy = lane_reason_ns(&l, 1, GT_R_LOOP);
    assert_true(timer >= 49 * MS);
    assert_true(timer < 150 * MS);
    assert_true(busy > 150 * MS);
    /* A's own sleep was not delayed by anyone: no loop busy of note */
    assert_true(lane_reason_ns(&l, 0, GT_R_LOOP) < busy);
    gt_lanes_done(&l);
    fixture_free(f);
  }
}

/* At most how many of l's lanes are in reason's state at one instant. */
static unsigned
peak_in(const struct gt_lanes *l, int reason)
{
  unsigned peak = 0, n;
  size_t i, j, k, q;

  for (i = 0; i < l->n; i++)
    for (j = 0; j < l->lane[i].niv; j++) {
      const struct gt_interval *a = &l->lane[i].iv[j];

      if (a->state != GT_S_WAITING || a->reason != reason)
        continue;
      for (n = 1, k = 0; k < l->n; k++)  /* who else is there at its start */
        for (q = 0; k != i && q < l->lane[k].niv; q++) {
          const struct gt_interval *b = &l->lane[k].iv[q];

          if (b->state == GT_S_WAITING && b->reason == reason
              && b->start_ns <= a->start_ns && a->start_ns < b->end_ns)
            n++;
        }
      if (n > peak)
        peak = n;
    }
  return peak;
}

/* A write in the loop modes waits for a slot in libuv's thread pool, then
 * on the disk, then for the loop: each task's write step shows pool, then
 * disk, then loop busy, in that order, and never more tasks on the disk at
 * once than the pool has threads. */
static void
test_loop_write_pool_disk(void **state)
{
  const char *modes[] = { "async", "hybrid" };
  size_t m, i, j;

  (void)state;
  for (m = 0; m < 2; m++) {
    struct fixture *f = fixture_new(0, 1);
    struct gt_run_config cfg = { .mode = modes[m], .workers = 1,
        .direct = 1 };
    struct gt_lanes l;

    fixture_spec(f, "40 x task w{i}\n  write f{i}.txt\n");
    run_with(f, &cfg);
    gt_lanes_build(f->rec, &l);
    assert_int_equal(l.n, 40);
    for (i = 0; i < l.n; i++) {
      int seen = 0;  /* 1 pool, 2 disk, 3 loop busy */

      assert_int_equal(l.lane[i].status, 0);
      for (j = 0; j < l.lane[i].niv; j++) {
        const struct gt_interval *iv = &l.lane[i].iv[j];
        int at = iv->reason == GT_R_POOL ? 1 : iv->reason == GT_R_DISK ? 2
            : iv->reason == GT_R_LOOP ? 3 : 0;

        if (iv->state == GT_S_QUEUED || iv->state == GT_S_RUNNING)
          continue;
        assert_int_equal(at, seen + 1);
        seen = at;
      }
      assert_int_equal(seen, 3);
    }
    assert_true(peak_in(&l, GT_R_DISK) <= gt_scheduler_pool());
    gt_lanes_done(&l);
    fixture_free(f);
  }
}

/* Replace task t's steps with one CPU step of fn busy for ms. */
static void
make_cpu_task(struct gt_task *t, gt_cpu_fn fn, uint64_t ms)
{
  size_t j;

  for (j = 0; j < t->nsteps; j++) {
    free(t->steps[j].label);
    free(t->steps[j].target);
  }
  t->steps[0] = (struct gt_step){ .kind = GT_STEP_CPU,
      .label = gt_xstrdup("busy"), .cpu = fn, .arg = ms };
  t->nsteps = 1;
}

/* A CPU step that waits, busy, for the steps it must meet: step->target
 * is a folder, step->arg's low 32 bits this task's number i and its high
 * 32 how many tasks n meet.  It marks itself there (file meet-i), then
 * spins, with a checkpoint every 100 us (where a GIL changes hands), until
 * meet-0 .. meet-(n-1) are all there.  So every one of the n steps is
 * running, or waiting for the GIL inside its step, while each other one
 * starts: their running slices overlap however slow the machine is, and
 * with a GIL each must be switched out for the others to start.  Works
 * across processes (a file, not memory); gives up after 60 s. */
static int
meet_cpu(struct gt_task_ctx *ctx, const struct gt_step *step, char **cause)
{
  unsigned i = (unsigned)(step->arg & 0xffffffffu), n, k, met = 0;
  uint64_t until = gt_now_ns() + 60000000000ull, next = 0, now;
  char *path = gt_xasprintf("%s/meet-%u", step->target, i);
  int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

  n = (unsigned)(step->arg >> 32);
  free(path);
  if (fd < 0) {
    int rc = -errno;

    gt_set_cause(cause, "meet: cannot create meet-%u: %s", i,
        strerror(-rc));
    return rc;
  }
  close(fd);
  while (met < n && (now = gt_now_ns()) < until) {
    if (gt_task_ctx_checkpoint(ctx) != 0)
      return GT_ECANCELED;
    if (now < next)
      continue;
    next = now + 100000;
    for (met = 0, k = 0; k < n; k++) {
      struct stat sb;

      path = gt_xasprintf("%s/meet-%u", step->target, k);
      met += stat(path, &sb) == 0;
      free(path);
    }
  }
  if (met < n) {
    gt_set_cause(cause, "meet: %u of %u tasks met in 60 s", met, n);
    return GT_ETIMEOUT;
  }
  return 0;
}

/* Make f's task i of n a meet_cpu step in f's folder. */
static void
make_meet_task(struct fixture *f, unsigned i, unsigned n)
{
  struct gt_step *st = &f->tasks[i].steps[0];

  make_cpu_task(&f->tasks[i], meet_cpu, 0);
  st->target = gt_xstrdup(f->dir);
  st->arg = (uint64_t)n << 32 | i;
}

/* No child of this process is left, running or unreaped (a zombie is in
 * /proc too, with its name).  The TSan build's symbolizer is not ours: TSan
 * starts it as this process's child the first time it symbolizes a report,
 * a suppressed one included (scripts/tsan.supp: libuv's unseen closes), and
 * keeps it for the life of the process. */
static void
assert_no_child(void)
{
  DIR *d = opendir("/proc");
  struct dirent *e;
  char path[64], buf[512], *close_paren, state;
  int ppid, fd;
  ssize_t n;

  assert_non_null(d);
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] < '1' || e->d_name[0] > '9')
      continue;
    snprintf(path, sizeof(path), "/proc/%.20s/stat", e->d_name);
    if ((fd = open(path, O_RDONLY)) < 0)
      continue;  /* gone meanwhile */
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
      continue;
    buf[n] = '\0';
    /* PID (COMM) STATE PPID ...: COMM may hold spaces and parentheses */
    if ((close_paren = strrchr(buf, ')')) == NULL
        || sscanf(close_paren + 1, " %c %d", &state, &ppid) != 2
        || ppid != (int)getpid())
      continue;
    if (strstr(buf, "(llvm-symbolize") != NULL)
      continue;
    fail_msg("a child is left: %s", buf);
  }
  closedir(d);
}

/* procs and hybrid with two workers: the running slices come from two
 * processes, neither of them this one. */
static void
test_procs_two_pids(void **state)
{
  const char *modes[] = { "procs", "hybrid" };
  size_t m, i, j;

  (void)state;
  for (m = 0; m < 2; m++) {
    struct fixture *f = fixture_new(100, 4);
    uint16_t run = run_mode(f, modes[m], 2, NULL);
    int32_t pid[2] = { 0, 0 };
    struct gt_lanes l;

    print_message("mode %s\n", modes[m]);
    assert_int_equal(check_invariants(f->rec, run, 4), 4);
    gt_lanes_build(f->rec, &l);
    for (i = 0; i < l.n; i++)
      for (j = 0; j < l.lane[i].niv; j++) {
        int32_t w = l.lane[i].iv[j].worker;

        if (l.lane[i].iv[j].state == GT_S_QUEUED)
          continue;
        assert_true(w > 0);
        assert_int_not_equal(w, getpid());
        if (pid[0] == 0 || pid[0] == w)
          pid[0] = w;
        else if (pid[1] == 0 || pid[1] == w)
          pid[1] = w;
        else
          fail_msg("a third worker pid %d", w);
      }
    assert_int_not_equal(pid[1], 0);
    gt_lanes_done(&l);
    assert_int_equal(stats_of(f->rec, run).workers, 2);
    fixture_free(f);
    assert_no_child();
  }
}

/* Two CPU-bound tasks in two worker processes run at the same time, where
 * async (one loop) runs them one after the other.  In procs and hybrid
 * the two steps meet (meet_cpu): each spins until the other has started,
 * so they overlap by construction and no start-up delay can flip it (two
 * 300 ms steps needed 100 ms of overlap before, which a slow second
 * worker could miss); async's one loop cannot overlap anything. */
static void
test_procs_cpu_overlap(void **state)
{
  const char *modes[] = { "procs", "hybrid", "async" };
  size_t m;

  (void)state;
  for (m = 0; m < 3; m++) {
    struct fixture *f = fixture_new(0, 2);
    struct gt_lanes l;
    uint64_t s[2] = { 0, 0 }, e[2] = { 0, 0 };
    size_t i, j;
    int64_t overlap;

    if (m < 2) {
      make_meet_task(f, 0, 2);
      make_meet_task(f, 1, 2);
    } else {
      make_cpu_task(&f->tasks[0], busy_cpu, 300);
      make_cpu_task(&f->tasks[1], busy_cpu, 300);
    }
    assert_int_equal(check_invariants(f->rec, run_mode(f, modes[m], 2, NULL),
        2), 2);
    gt_lanes_build(f->rec, &l);
    /* each lane's CPU step: from its first running slice to the end of
     * its last running or ready (no core) one (a step is cut into those
     * when its thread loses its core; on a loaded machine the two steps
     * need not be on a core at the same instant, but they are in their
     * steps together, by the meet) */
    for (i = 0; i < 2; i++)
      for (j = 0; j < l.lane[i].niv; j++)
        if (l.lane[i].iv[j].state == GT_S_RUNNING
            || (l.lane[i].iv[j].state == GT_S_WAITING
            && l.lane[i].iv[j].reason == GT_R_CORE && s[i] != 0)) {
          if (s[i] == 0)
            s[i] = l.lane[i].iv[j].start_ns;
          e[i] = l.lane[i].iv[j].end_ns;
        }
    overlap = (int64_t)(e[0] < e[1] ? e[0] : e[1])
        - (int64_t)(s[0] > s[1] ? s[0] : s[1]);
    print_message("mode %s: CPU steps overlap %lld ms\n", modes[m],
        (long long)(overlap / 1000000));
    if (m < 2)
      assert_true(overlap > 0);
    else
      assert_true(overlap <= 0);
    gt_lanes_done(&l);
    fixture_free(f);
  }
}

struct killer {
  struct gt_recorder *rec;
  int                 signo;      /* what the worker is sent */
  int32_t             victim;
  uint64_t            killed_ns;
};

/* Wait for a task to start in a worker, then send that worker k->signo
 * (SIGKILL, SIGSTOP). */
static void *
signal_first_worker(void *arg)
{
  struct killer *k = arg;
  struct gt_event ev;
  size_t next = 0;
  uint64_t give_up = gt_now_ns() + 10000000000ull;

  while (k->victim == 0 && gt_now_ns() < give_up) {
    if (gt_recorder_read(k->rec, next, &ev, 1) == 1) {
      next++;
      if (ev.kind == GT_EV_START && ev.worker > 0)
        k->victim = ev.worker;
    } else {
      usleep(1000);
    }
  }
  if (k->victim > 0) {
    k->killed_ns = gt_now_ns();
    kill(k->victim, k->signo);
  }
  return NULL;
}

/* kill -9 of a worker: its task fails naming it and the signal, within a
 * second; the others finish in the worker left; no child is left. */
static void
test_procs_worker_killed(void **state)
{
  struct fixture *f = fixture_new(500, 4);
  struct gt_run_config cfg = { .mode = "procs", .workers = 2,
      .base_url = gt_demo_server_url(f->srv), .out_dir = f->dir };
  struct killer k = { f->rec, SIGKILL, 0, 0 };
  struct gt_run *run;
  struct gt_lanes l;
  pthread_t t;
  char *want;
  unsigned failed = 0;
  size_t i;

  (void)state;
  assert_int_equal(gt_run_new(f->rec, &cfg, f->tasks, 4, &run, NULL), 0);
  pthread_create(&t, NULL, signal_first_worker, &k);
  assert_int_equal(gt_run_exec(run, NULL), 0);
  pthread_join(t, NULL);
  assert_true(k.victim > 0);
  assert_int_equal(check_invariants(f->rec, gt_run_id(run), 4), 3);
  want = gt_xasprintf("worker %d killed by signal %d", k.victim, SIGKILL);
  gt_lanes_build(f->rec, &l);
  for (i = 0; i < l.n; i++) {
    if (l.lane[i].status == 0)
      continue;
    failed++;
    assert_int_equal(l.lane[i].status, GT_EWORKER);
    assert_non_null(strstr(gt_recorder_string(f->rec, l.lane[i].error),
        want));
    assert_true(l.lane[i].finish_ns - k.killed_ns < 1000000000ull);
  }
  assert_int_equal(failed, 1);
  gt_lanes_done(&l);
  free(want);
  gt_run_free(run);
  fixture_free(f);
  assert_no_child();
}

/* A worker stopped (SIGSTOP) while it holds a task cannot time out by
 * itself: the parent kills it once the task is past its time plus the
 * margin, the task fails saying so, the run completes, no child is left.
 * The answers take 3 s and the timeout is 400 ms, so every other task
 * ends by its own timeout long before. */
static void
test_procs_worker_stopped(void **state)
{
  const char *modes[] = { "procs", "hybrid" };
  size_t m, i;

  (void)state;
  for (m = 0; m < 2; m++) {
    struct fixture *f = fixture_new(3000, 3);
    struct gt_run_config cfg = { .mode = modes[m], .workers = 2,
        .base_url = gt_demo_server_url(f->srv), .out_dir = f->dir,
        .timeout_ms = 400 };
    struct killer k = { f->rec, SIGSTOP, 0, 0 };
    struct gt_run *run;
    struct gt_lanes l;
    pthread_t t;
    char *want;
    unsigned stuck = 0;

    print_message("mode %s\n", modes[m]);
    assert_int_equal(gt_run_new(f->rec, &cfg, f->tasks, 3, &run, NULL), 0);
    pthread_create(&t, NULL, signal_first_worker, &k);
    assert_int_equal(gt_run_exec(run, NULL), 0);
    pthread_join(t, NULL);
    assert_true(k.victim > 0);
    check_invariants(f->rec, gt_run_id(run), 3);
    want = gt_xasprintf("worker %d held task ", k.victim);
    gt_lanes_build(f->rec, &l);
    for (i = 0; i < l.n; i++) {
      const char *why = gt_recorder_string(f->rec, l.lane[i].error);

      if (l.lane[i].status == 0 || strstr(why, want) == NULL)
        continue;
      stuck++;
      assert_int_equal(l.lane[i].status, GT_EWORKER);
      assert_non_null(strstr(why, " s past its timeout; killed"));
      /* not before the task's time (400 ms a request and a file) plus the
       * margin */
      assert_true(l.lane[i].finish_ns - k.killed_ns > 2000000000ull);
    }
    assert_true(stuck >= 1);
    gt_lanes_done(&l);
    free(want);
    gt_run_free(run);
    fixture_free(f);
    assert_no_child();
  }
}

/* Busy, but known to the parent only. */
static int
parent_only_cpu(struct gt_task_ctx *ctx, const struct gt_step *step,
    char **cause)
{
  return busy_cpu(ctx, step, cause);
}

/* A CPU function a worker cannot find: the workers say why and exit, every
 * task fails with that reason, the run completes.  One with no name at all
 * cannot start the run. */
static void
test_procs_worker_cannot_start(void **state)
{
  struct fixture *f = fixture_new(0, 3);
  struct gt_lanes l;
  size_t i;

  (void)state;
  gt_cpu_register("test.parent-only", parent_only_cpu);
  for (i = 0; i < 3; i++)
    make_cpu_task(&f->tasks[i], parent_only_cpu, 1);
  run_mode(f, "procs", 2, NULL);
  gt_lanes_build(f->rec, &l);
  for (i = 0; i < 3; i++) {
    const char *why = gt_recorder_string(f->rec, l.lane[i].error);

    assert_int_equal(l.lane[i].status, GT_EWORKER);
    assert_non_null(strstr(why, "exited with status 2"));
    assert_non_null(strstr(why, "no CPU function called "
        "'test.parent-only'"));
  }
  gt_lanes_done(&l);
  fixture_free(f);
  assert_no_child();

  f = fixture_new(0, 2);
  make_cpu_task(&f->tasks[0], busy_cpu_unnamed, 1);
  {
    struct gt_run_config cfg = { .mode = "hybrid", .workers = 2,
        .base_url = gt_demo_server_url(f->srv), .out_dir = f->dir };
    struct gt_run *run;
    char *cause = NULL;

    assert_int_equal(gt_run_new(f->rec, &cfg, f->tasks, 2, &run, NULL), 0);
    /* not a usage error: a function nobody registered (issue 12) */
    assert_int_equal(gt_run_exec(run, &cause), GT_ENOFUNC);
    assert_non_null(strstr(cause, "gt_cpu_register"));
    free(cause);
    gt_run_free(run);
  }
  gt_lanes_build(f->rec, &l);
  assert_int_equal(l.lane[0].status, GT_ENOFUNC);
  assert_int_equal(l.lane[1].status, GT_ENOFUNC);
  assert_non_null(strstr(gt_recorder_string(f->rec, l.lane[1].error),
      "gt_cpu_register"));
  gt_lanes_done(&l);
  fixture_free(f);
}

/* threads --gil: never two running slices at once, the waits are `gil`,
 * and a long CPU step is made to let the others run (switch interval 5 ms);
 * without --gil the same tasks run side by side.  The four steps meet
 * (meet_cpu): none ends before all four have started, so with the GIL the
 * first must be switched out for the others to start and come back to end
 * (a switch and three gil waits, whatever the timing), and without it all
 * four run at once (overlap > 0; four 60 ms spins needed 10 ms of overlap
 * before, which staggered thread starts could miss). */
static void
test_threads_gil(void **state)
{
  int gil;

  (void)state;
  for (gil = 1; gil >= 0; gil--) {
    struct fixture *f = fixture_new(0, 4);
    struct gt_run_config cfg = { .mode = "threads", .workers = 4,
        .gil = gil, .switch_ms = 5 };
    struct gt_lanes l;
    size_t i, j, a, b, gil_waits = 0, most_slices = 0, nrun;
    int64_t overlap = 0, o;
    uint16_t run;
    struct gt_cpu_mark before, after;
    int others_pm;

    for (i = 0; i < 4; i++)
      make_meet_task(f, (unsigned)i, 4);
    gt_cpu_mark(&before, NULL);
    run = run_with(f, &cfg);
    gt_cpu_mark(&after, NULL);
    others_pm = gt_cpu_others_pm(&before, &after);
    assert_int_equal(check_invariants(f->rec, run, 4), 4);
    gt_lanes_build(f->rec, &l);
    for (a = 0; a < l.n; a++) {
      for (nrun = 0, i = 0; i < l.lane[a].niv; i++) {
        const struct gt_interval *x = &l.lane[a].iv[i];

        /* a wait is the GIL's, or ready(no core): a spinning holder
         * may lose its core to another program */
        if (x->state == GT_S_WAITING && x->reason != GT_R_CORE) {
          assert_int_equal(x->reason, GT_R_GIL);
          gil_waits++;
        }
        if (x->state != GT_S_RUNNING)
          continue;
        nrun++;
        for (b = a + 1; b < l.n; b++)
          for (j = 0; j < l.lane[b].niv; j++) {
            const struct gt_interval *y = &l.lane[b].iv[j];

            if (y->state != GT_S_RUNNING)
              continue;
            o = (int64_t)(x->end_ns < y->end_ns ? x->end_ns : y->end_ns)
                - (int64_t)(x->start_ns > y->start_ns ? x->start_ns
                    : y->start_ns);
            if (o > overlap)
              overlap = o;
          }
      }
      if (nrun > most_slices)
        most_slices = nrun;
    }
    print_message("gil %d: %zu gil waits, most running slices in a lane "
        "%zu, longest overlap %lld us\n", gil, gil_waits, most_slices,
        (long long)(overlap / 1000));
    if (gil) {
      assert_true(overlap <= 0);
      assert_true(gil_waits >= 3);
      assert_true(most_slices >= 2);  /* switched out and back in */
    } else {
      /* Two of them on a CPU at once needs two CPUs free at once: on a
       * machine where other programs took most of the run's CPU that is
       * not promised (the test once failed so with six test suites on
       * two cores). */
      assert_int_equal(gil_waits, 0);
      if (others_pm >= 0 && others_pm < 500)
        assert_true(overlap > 0);
      else
        print_message("others took %d per mille: overlap not asked\n",
            others_pm);
    }
    gt_lanes_done(&l);
    fixture_free(f);
  }
}

/* Every mode's ops table gives the traits the mode is defined to have
 * (gt_test_traits, written from the modes' descriptions), a run carries
 * them into the recorder, and a name that is no mode has none. */
static void
test_mode_traits(void **state)
{
  const char *const *names;
  size_t n, i;

  (void)state;
  names = gt_mode_names(&n);
  assert_int_equal(n, 5);
  for (i = 0; i < n; i++) {
    struct fixture *f = fixture_new(0, 1);
    struct gt_run_config cfg = { .mode = names[i] };
    struct gt_run_info ri;
    uint16_t run;

    assert_int_equal(gt_mode_traits(names[i]), gt_test_traits(names[i]));
    assert_int_not_equal(gt_mode_traits(names[i]), 0);
    make_cpu_task(&f->tasks[0], busy_cpu, 1);
    run = run_with(f, &cfg);
    assert_int_equal(gt_recorder_run_get(f->rec, run, &ri), 0);
    assert_int_equal(ri.traits, gt_test_traits(names[i]));
    fixture_free(f);
  }
  assert_int_equal(gt_mode_traits("nope"), 0);
  assert_int_equal(gt_mode_traits(""), 0);
  assert_int_equal(gt_mode_traits(NULL), 0);
}

/* The GIL switch is a trait: asked of a mode without it (async, procs),
 * it does nothing, so CPU steps never wait on a GIL. */
static void
test_gil_only_with_trait(void **state)
{
  static const char *const modes[] = { "async", "procs" };
  size_t m, a, i;

  (void)state;
  for (m = 0; m < 2; m++) {
    struct fixture *f = fixture_new(0, 3);
    struct gt_run_config cfg = { .mode = modes[m], .workers = 3, .gil = 1,
        .switch_ms = 1 };
    struct gt_lanes l;

    assert_false(gt_mode_traits(modes[m]) & GT_MODE_GIL);
    for (i = 0; i < 3; i++)
      make_cpu_task(&f->tasks[i], busy_cpu, 10);
    run_with(f, &cfg);
    gt_lanes_build(f->rec, &l);
    for (a = 0; a < l.n; a++)
      for (i = 0; i < l.lane[a].niv; i++)
        assert_false(l.lane[a].iv[i].state == GT_S_WAITING
            && l.lane[a].iv[i].reason == GT_R_GIL);
    gt_lanes_done(&l);
    fixture_free(f);
  }
}

/* x^e mod m, by squaring. */
static uint64_t
modpow(uint64_t x, uint64_t e, uint64_t m)
{
  uint64_t r = 1;

  x %= m;
  for (; e > 0; e >>= 1) {
    if (e & 1)
      r = r * x % m;
    x = x * x % m;
  }
  return r;
}

/* pow in every mode: pow.tsv holds one right line per task. */
static void
test_pow_every_mode(void **state)
{
  const char *const *modes;
  size_t nmodes, m, i;

  (void)state;
  modes = gt_mode_names(&nmodes);
  for (m = 0; m < nmodes; m++) {
    struct fixture *f = fixture_new(0, 1);
    struct gt_workload_params p = { .tasks = 6, .scale = 1000 };
    char *path = gt_xasprintf("%s/pow.tsv", f->dir), line[128];
    unsigned long long base, exp, bits, mod;
    int seen[6] = {0};
    FILE *fp;

    fixture_workload(f, "pow", &p);
    print_message("mode %s\n", modes[m]);
    assert_int_equal(check_invariants(f->rec, run_mode(f, modes[m], 2, NULL),
        6), 6);
    fp = fopen(path, "r");
    assert_non_null(fp);
    for (i = 0; fgets(line, sizeof(line), fp) != NULL; i++) {
      assert_int_equal(sscanf(line, "%llu\t%llu\t%llu\t%llu", &base, &exp,
          &bits, &mod), 4);
      assert_true(base >= 1000000 && base < 1000006);
      assert_int_equal(exp, base / 1000);
      assert_int_equal(mod, modpow(base, exp, 1000000007ull));
      seen[base - 1000000]++;
    }
    fclose(fp);
    assert_int_equal(i, 6);
    for (i = 0; i < 6; i++)
      assert_int_equal(seen[i], 1);
    free(path);
    fixture_free(f);
  }
}

/* --connections fresh: every request's wait starts with the server's
 * 100 ms set-up cost as `connect`, then `net` (300 ms); reuse: only a
 * connection's
 * first request pays it. */
static void
test_connect_waits(void **state)
{
  const char *const *modes;
  size_t nmodes, m, fresh, i, j;

  (void)state;
  modes = gt_mode_names(&nmodes);
  for (m = 0; m < nmodes; m++)
    for (fresh = 0; fresh < 2; fresh++) {
      struct fixture *f = fixture_new_cfg(&(struct gt_demo_config){
          .seed = 7, .latency_ms = 300, .connect_ms = 100 }, 4);
      struct gt_run_config cfg = { .mode = modes[m], .workers = 1,
          .limit = 1, .fresh_connections = (int)fresh };
      unsigned paid = 0;
      struct gt_lanes l;
      uint16_t run;

      run = run_with(f, &cfg);
      assert_int_equal(check_invariants(f->rec, run, 4), 4);
      gt_lanes_build(f->rec, &l);
      for (i = 0; i < l.n; i++) {
        uint64_t connect = 0, net = 0;

        for (j = 0; j < l.lane[i].niv; j++) {
          const struct gt_interval *x = &l.lane[i].iv[j];

          if (x->state == GT_S_WAITING && x->reason == GT_R_CONNECT)
            connect += x->end_ns - x->start_ns;
          if (x->state == GT_S_WAITING && x->reason == GT_R_NET)
            net += x->end_ns - x->start_ns;
        }
        if (connect > 0) {
          /* the charged 100 ms, and the 300 ms answer after it, not in
           * it.  The lower bounds are the server's timers, which no slow
           * machine shortens (net: the answer waits 300 ms after the
           * set-up's end).  The upper one leaves 300 ms for what curl
           * measures of a loopback connect, well under 1 ms, so a machine
           * 10 times slower cannot flip it (50 ms of slack flipped with
           * four suites at once: the bound was then the charge + 50). */
          assert_true(connect >= 100000000ull && connect < 400000000ull);
          assert_true(net >= 250000000ull);
          paid++;
        }
      }
      print_message("mode %s, %s: %u of 4 requests paid the set-up\n",
          modes[m], fresh ? "fresh" : "reuse", paid);
      /* one worker (procs, hybrid: each of theirs) keeps its connection */
      if (fresh)
        assert_int_equal(paid, 4);
      else
        assert_true(paid >= 1 && paid <= 2);
      gt_lanes_done(&l);
      fixture_free(f);
    }
}

/* scrape in every mode: titles.tsv holds each page's title exactly once. */
static void
test_scrape_every_mode(void **state)
{
  const char *const *modes;
  size_t nmodes, m, i;

  (void)state;
  modes = gt_mode_names(&nmodes);
  for (m = 0; m < nmodes; m++) {
    struct fixture *f = fixture_new(0, 1);
    struct gt_workload_params p = { .tasks = 12 };
    char *path = gt_xasprintf("%s/titles.tsv", f->dir), line[512];
    unsigned seen[12] = {0}, n;
    FILE *fp;

    fixture_workload(f, "scrape", &p);
    print_message("mode %s\n", modes[m]);
    assert_int_equal(check_invariants(f->rec, run_mode(f, modes[m], 3, NULL),
        12), 12);
    fp = fopen(path, "r");
    assert_non_null(fp);
    for (i = 0; fgets(line, sizeof(line), fp) != NULL; i++) {
      char *tab = strchr(line, '\t'), *title;

      assert_non_null(tab);
      assert_int_equal(sscanf(tab, "\t/page/%u", &n), 1);
      assert_true(n < 12);
      *tab = '\0';
      title = gt_demo_page_title(7, n);
      assert_string_equal(line, title);
      free(title);
      seen[n]++;
    }
    fclose(fp);
    assert_int_equal(i, 12);
    for (i = 0; i < 12; i++)
      assert_int_equal(seen[i], 1);
    free(path);
    fixture_free(f);
  }
}

/* --errors 20: about a fifth of the tasks fail with a 429 or a 500 and
 * the rest succeed; --stall 10: about a tenth time out, and no other.  The
 * same seed gives the same failures.
 *
 * No timing decides the outcome.  The server's own count is the oracle:
 * with --errors it answers every request (a 429 or a 500 is an answer), so
 * every task reaches its end; with --stall it never answers a stalled
 * request, so exactly the tasks it left unanswered fail, each with the
 * timeout.  The one clock in play is the client's timeout, which a stalled
 * request must reach and an answered one must not: 60 s without stalls,
 * and 2 s with them, against the 10 to 80 ms the slowest answer at latency
 * 0 waits here, even with the suite four times over on two cores (printed
 * below; a 500 ms timeout flaked so), so a machine 10 times slower still
 * answers well inside it.  The count between 8 and 35 is no chance: the
 * seed fixes which requests stall. */
static void
test_injected_faults(void **state)
{
  const char *modes[] = { "threads", "async" };
  size_t m, i, k;

  (void)state;
  for (m = 0; m < 2; m++)
    for (k = 0; k < 2; k++) {
      struct gt_demo_config dc = { .seed = 7, .errors_pct = k ? 0 : 20,
          .stall_pct = k ? 10 : 0 };
      struct fixture *f = fixture_new_cfg(&dc, 200);
      struct gt_run_config cfg = { .mode = modes[m], .workers = 50,
          .timeout_ms = k ? 2000 : 60000 };
      unsigned failed = 0, again = 0;
      uint64_t slowest = 0;
      struct gt_demo_stats before, between, after;
      struct gt_lanes l;
      uint16_t run, run2;

      gt_demo_server_stats(f->srv, &before);
      run = run_with(f, &cfg);
      gt_demo_server_stats(f->srv, &between);
      run2 = run_with(f, &cfg);
      gt_demo_server_stats(f->srv, &after);
      assert_int_equal(check_invariants(f->rec, run, 200), 200 -
          stats_of(f->rec, run).failed);
      gt_lanes_build(f->rec, &l);
      for (i = 0; i < l.n; i++) {
        const struct gt_lane *a = &l.lane[i];
        const char *why;

        if (a->run == run && a->status == 0) {
          uint64_t w = 0;
          size_t j;

          for (j = 0; j < a->niv; j++)
            if (a->iv[j].state == GT_S_WAITING
                && !gt_reason_ready(a->iv[j].reason))
              w += a->iv[j].end_ns - a->iv[j].start_ns;
          if (w > slowest)
            slowest = w;
        }
        if (a->run != run || a->status == 0)
          continue;
        failed++;
        why = gt_recorder_string(f->rec, a->error);
        if (k == 0)
          assert_true(strstr(why, "HTTP 429") != NULL
              || strstr(why, "HTTP 500") != NULL);
        else
          assert_non_null(strstr(why, "within 2000 ms"));
      }
      for (i = 0; i < l.n; i++)  /* the second run fails as many (seeded) */
        if (l.lane[i].run == run2 && l.lane[i].status != 0)
          again++;
      print_message("%s, %s: %u of 200 failed, %u the second time; "
          "the slowest answer waited %.1f ms\n", modes[m],
          k ? "--stall 10" : "--errors 20", failed, again,
          (double)slowest / 1e6);
      if (k == 0) {
        assert_int_equal(between.requests - before.requests, 200);
        assert_true(failed >= 20 && failed <= 60);
      } else {
        /* failed exactly where the server gave no answer */
        assert_int_equal(failed, 200 - (between.requests - before.requests));
        assert_int_equal(again, 200 - (after.requests - between.requests));
        assert_true(failed >= 8 && failed <= 35);
      }
      assert_int_equal(again, failed);
      gt_lanes_done(&l);
      fixture_free(f);
    }
}

/* A URL with a host name that needs a real lookup (this machine's name, when
 * it names a loopback address): libcurl's threaded resolver adds a socket
 * pair of its own to the loop, which must not outlive the run (the run's
 * end asserts uv_loop_close() == 0). */
static void
test_async_host_name(void **state)
{
  const char *modes[] = { "async", "hybrid" };
  struct addrinfo hints = { .ai_family = AF_INET }, *ai = NULL;
  char host[256];
  size_t m;

  (void)state;
  if (gethostname(host, sizeof(host)) != 0
      || getaddrinfo(host, NULL, &hints, &ai) != 0
      || (ntohl(((struct sockaddr_in *)ai->ai_addr)->sin_addr.s_addr) >> 24)
          != 127) {
    if (ai != NULL)
      freeaddrinfo(ai);
    print_message("this machine's name is not a loopback address; skipped\n");
    skip();
  }
  freeaddrinfo(ai);
  for (m = 0; m < 2; m++) {
    struct fixture *f = fixture_new(20, 8);
    char *url = gt_xasprintf("http://%s:%u", host,
        gt_demo_server_port(f->srv));
    uint16_t run = run_mode(f, modes[m], 2, url);

    print_message("mode %s against %s\n", modes[m], url);
    assert_int_equal(check_invariants(f->rec, run, 8), 8);
    free(url);
    fixture_free(f);
  }
}

/* sleep in every mode: each task waits on its timer about 500 ms and ends
 * well. */
static void
test_sleep_every_mode(void **state)
{
  const char *const *modes;
  size_t nmodes, m, i, j;

  (void)state;
  modes = gt_mode_names(&nmodes);
  for (m = 0; m < nmodes; m++) {
    struct fixture *f = fixture_new(0, 1);
    struct gt_workload_params p = { .tasks = 2 };
    struct gt_lanes l;
    uint16_t run;

    fixture_workload(f, "sleep", &p);
    run = run_mode(f, modes[m], 2, NULL);
    assert_int_equal(check_invariants(f->rec, run, 2), 2);
    gt_lanes_build(f->rec, &l);
    for (i = 0; i < l.n; i++) {
      uint64_t timer = 0;

      /* a timer, then (issue 13) ready (loop busy) when the loop ran
       * the other task's callback first and came to this one late, or
       * ready (no core) on a loaded machine: ready is not a wait */
      for (j = 0; j < l.lane[i].niv; j++)
        if (l.lane[i].iv[j].state == GT_S_WAITING
            && !gt_reason_ready(l.lane[i].iv[j].reason)) {
          assert_int_equal(l.lane[i].iv[j].reason, GT_R_TIMER);
          timer += l.lane[i].iv[j].end_ns - l.lane[i].iv[j].start_ns;
        }
      /* a loop's timer counts from its time, brought up to date when the
       * sleep starts (exec_async.c) but in whole ms: up to 1 ms before the
       * WAIT's stamp, however loaded the machine (before, the time cached
       * at the iteration's start made 500 ms fall under 490 with the
       * suite four times over on two cores) */
      assert_true(timer >= 498000000ull);
    }
    gt_lanes_done(&l);
    fixture_free(f);
  }
}

/* The whole of a small file, or "" when it cannot be read (static). */
static const char *
read_small(const char *path)
{
  static char buf[256];
  FILE *fp = fopen(path, "r");
  size_t n = 0;

  if (fp != NULL) {
    n = fread(buf, 1, sizeof(buf) - 1, fp);
    fclose(fp);
  }
  buf[n] = '\0';
  return buf;
}

/* gt_open_beneath(), through openat2 and through the walk: no link is
 * followed at any component (one to a folder inside neither), nothing
 * leaves the folder, a dangling link is not created through. */
static void
test_open_beneath(void **state)
{
  char dir[] = "/tmp/gt_beneath_XXXXXX", out[] = "/tmp/gt_outside_XXXXXX";
  char *p, *q;
  int dfd, walk, fd;

  (void)state;
  assert_non_null(mkdtemp(dir));
  assert_non_null(mkdtemp(out));
  p = gt_xasprintf("%s/sub", dir);
  assert_int_equal(mkdir(p, 0755), 0);
  free(p);
  p = gt_xasprintf("%s/sub/f", dir);
  fclose(fopen(p, "w"));
  free(p);
  q = gt_xasprintf("%s/victim", out);
  fclose(fopen(q, "w"));
  p = gt_xasprintf("%s/link", dir);
  assert_int_equal(symlink(q, p), 0);
  free(p);
  free(q);
  p = gt_xasprintf("%s/lsub", dir);
  assert_int_equal(symlink("sub", p), 0);
  free(p);
  p = gt_xasprintf("%s/dangling", dir);
  q = gt_xasprintf("%s/made", out);
  assert_int_equal(symlink(q, p), 0);
  free(p);
  dfd = open(dir, O_RDONLY | O_DIRECTORY);
  assert_true(dfd >= 0);
  for (walk = 0; walk < 2; walk++) {
    print_message("%s\n", walk ? "walk" : "openat2");
    fd = gt_open_beneath(dfd, "sub/f", O_RDONLY, 0, walk);
    assert_true(fd >= 0);
    close(fd);
    fd = gt_open_beneath(dfd, "./sub//new", O_WRONLY | O_CREAT, 0644, walk);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(gt_open_beneath(dfd, "link", O_WRONLY | O_TRUNC, 0,
        walk), -ELOOP);
    assert_int_equal(gt_open_beneath(dfd, "lsub/f", O_RDONLY, 0, walk),
        -ELOOP);
    assert_int_equal(gt_open_beneath(dfd, "lsub", O_RDONLY | O_DIRECTORY, 0,
        walk), -ELOOP);
    assert_int_equal(gt_open_beneath(dfd, "dangling", O_WRONLY | O_CREAT,
        0644, walk), -ELOOP);
    assert_int_equal(access(q, F_OK), -1);
    assert_int_equal(gt_open_beneath(dfd, "../x", O_RDONLY, 0, walk),
        -EXDEV);
    assert_int_equal(gt_open_beneath(dfd, "/etc/passwd", O_RDONLY, 0, walk),
        -EXDEV);
    assert_int_equal(gt_open_beneath(dfd, "nope/f", O_RDONLY, 0, walk),
        -ENOENT);
  }
  close(dfd);
  free(q);
  p = gt_xasprintf("rm -rf '%s' '%s'", dir, out);
  assert_int_equal(system(p), 0);
  free(p);
}

/* Every mode: a link planted at a task's file (to a file outside) and a
 * `write sub/x.txt` whose sub is a link to a folder outside are refused,
 * the tasks fail naming the path, nothing outside changes, the other task
 * writes its file and the run completes. */
static void
test_write_no_symlinks_every_mode(void **state)
{
  const char *const *modes;
  size_t nmodes, m;

  (void)state;
  modes = gt_mode_names(&nmodes);
  for (m = 0; m < nmodes; m++) {
    struct fixture *f = fixture_new(0, 3);
    char out[] = "/tmp/gt_outside_XXXXXX";
    char *victim, *link, *sub, *stray, *cmd, *ok;
    struct gt_lanes l;
    uint16_t run;
    FILE *fp;

    print_message("mode %s\n", modes[m]);
    assert_non_null(mkdtemp(out));
    victim = gt_xasprintf("%s/victim.txt", out);
    stray = gt_xasprintf("%s/x.txt", out);
    fp = fopen(victim, "w");
    assert_non_null(fp);
    fputs("precious\n", fp);
    fclose(fp);
    link = gt_xasprintf("%s/new_file0.txt", f->dir);
    assert_int_equal(symlink(victim, link), 0);
    sub = gt_xasprintf("%s/sub", f->dir);
    assert_int_equal(symlink(out, sub), 0);
    free(f->tasks[1].steps[2].target);
    f->tasks[1].steps[2].target = gt_xstrdup("sub/x.txt");

    run = run_mode(f, modes[m], 2, NULL);
    assert_int_equal(check_invariants(f->rec, run, 3), 1);
    assert_string_equal(read_small(victim), "precious\n");
    assert_int_equal(access(stray, F_OK), -1);
    ok = gt_xasprintf("%s/new_file2.txt", f->dir);
    assert_int_equal(access(ok, F_OK), 0);
    gt_lanes_build(f->rec, &l);
    assert_int_equal(l.lane[0].status, -ELOOP);
    assert_non_null(strstr(gt_recorder_string(f->rec, l.lane[0].error),
        link));
    assert_int_equal(l.lane[1].status, -ELOOP);
    assert_non_null(strstr(gt_recorder_string(f->rec, l.lane[1].error),
        "sub/x.txt"));
    assert_int_equal(l.lane[2].status, 0);
    gt_lanes_done(&l);

    cmd = gt_xasprintf("rm -rf '%s'", out);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(ok);
    free(victim);
    free(stray);
    free(link);
    free(sub);
    fixture_free(f);
  }
}

/* Every mode: a FIFO planted at a task's file (one with a reader, one
 * without, on which open(2) would wait forever) and a hard link to a file
 * outside are refused naming the path: not a regular file, other hard
 * links; nothing outside changes and the ordinary task writes its file. */
static void
test_write_regular_files_only_every_mode(void **state)
{
  const char *const *modes;
  size_t nmodes, m;

  (void)state;
  modes = gt_mode_names(&nmodes);
  for (m = 0; m < nmodes; m++) {
    struct fixture *f = fixture_new(0, 4);
    char out[] = "/tmp/gt_outside_XXXXXX";
    char *victim, *fifo, *hard, *lone, *cmd, *ok;
    struct gt_lanes l;
    uint16_t run;
    int rfd;
    FILE *fp;

    print_message("mode %s\n", modes[m]);
    assert_non_null(mkdtemp(out));
    victim = gt_xasprintf("%s/victim.txt", out);
    fp = fopen(victim, "w");
    assert_non_null(fp);
    fputs("precious\n", fp);
    fclose(fp);
    fifo = gt_xasprintf("%s/new_file0.txt", f->dir);
    assert_int_equal(mkfifo(fifo, 0644), 0);
    rfd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    assert_true(rfd >= 0);
    hard = gt_xasprintf("%s/new_file1.txt", f->dir);
    assert_int_equal(link(victim, hard), 0);
    lone = gt_xasprintf("%s/new_file2.txt", f->dir);
    assert_int_equal(mkfifo(lone, 0644), 0);

    run = run_mode(f, modes[m], 2, NULL);
    close(rfd);
    assert_int_equal(check_invariants(f->rec, run, 4), 1);
    assert_string_equal(read_small(victim), "precious\n");
    ok = gt_xasprintf("%s/new_file3.txt", f->dir);
    assert_int_equal(access(ok, F_OK), 0);
    gt_lanes_build(f->rec, &l);
    assert_true(l.lane[0].status < 0);
    assert_non_null(strstr(gt_recorder_string(f->rec, l.lane[0].error),
        fifo));
    assert_non_null(strstr(gt_recorder_string(f->rec, l.lane[0].error),
        "is not a regular file"));
    assert_true(l.lane[1].status < 0);
    assert_non_null(strstr(gt_recorder_string(f->rec, l.lane[1].error),
        hard));
    assert_non_null(strstr(gt_recorder_string(f->rec, l.lane[1].error),
        "has other hard links"));
    assert_true(l.lane[2].status < 0);
    assert_non_null(strstr(gt_recorder_string(f->rec, l.lane[2].error),
        "is not a regular file"));
    assert_int_equal(l.lane[3].status, 0);
    gt_lanes_done(&l);

    cmd = gt_xasprintf("rm -rf '%s'", out);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(ok);
    free(victim);
    free(fifo);
    free(hard);
    free(lone);
    fixture_free(f);
  }
}

/* Every mode: a task's file under a lease held by another open file (the
 * hostile reviewer's repro) fails that task naming the path, at once: the
 * O_NONBLOCK open's EWOULDBLOCK is not retried (it spun at 100% CPU, deaf
 * to a stop).  The other tasks write their files.  An alarm bounds the
 * wait: a spin kills the test instead of hanging it. */
static void
test_write_leased_file_every_mode(void **state)
{
  const char *const *modes;
  size_t nmodes, m;
  struct sigaction ign = { .sa_handler = SIG_IGN }, old;

  (void)state;
  assert_int_equal(sigaction(SIGIO, &ign, &old), 0);
  modes = gt_mode_names(&nmodes);
  for (m = 0; m < nmodes; m++) {
    struct fixture *f = fixture_new(0, 3);
    char *leased, *ok;
    struct gt_lanes l;
    uint16_t run;
    int fd;

    print_message("mode %s\n", modes[m]);
    leased = gt_xasprintf("%s/new_file0.txt", f->dir);
    fd = open(leased, O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
    assert_true(fd >= 0);
    if (fcntl(fd, F_SETLEASE, F_RDLCK) != 0) {
      print_message("no lease on %s: %s; skipped\n", leased,
          strerror(errno));
      close(fd);
      free(leased);
      fixture_free(f);
      break;
    }
    alarm(120);
    run = run_mode(f, modes[m], 2, NULL);
    alarm(0);
    fcntl(fd, F_SETLEASE, F_UNLCK);
    close(fd);
    assert_int_equal(check_invariants(f->rec, run, 3), 2);
    gt_lanes_build(f->rec, &l);
    assert_true(l.lane[0].status < 0);
    assert_non_null(strstr(gt_recorder_string(f->rec, l.lane[0].error),
        leased));
    assert_non_null(strstr(gt_recorder_string(f->rec, l.lane[0].error),
        "is leased or locked by another process; not written"));
    assert_int_equal(l.lane[1].status, 0);
    assert_int_equal(l.lane[2].status, 0);
    gt_lanes_done(&l);
    ok = gt_xasprintf("%s/new_file2.txt", f->dir);
    assert_int_equal(access(ok, F_OK), 0);
    free(ok);
    free(leased);
    fixture_free(f);
  }
  sigaction(SIGIO, &old, NULL);
}

/* An unknown mode is a usage error. */
static void
test_unknown_mode(void **state)
{
  struct gt_recorder *rec = gt_recorder_new();
  struct gt_run_config cfg = { .mode = "bogus" };
  struct gt_run *run = NULL;
  char *cause = NULL;

  (void)state;
  assert_int_equal(gt_run_new(rec, &cfg, NULL, 0, &run, &cause), GT_EUSAGE);
  assert_null(run);
  assert_non_null(strstr(cause, "bogus"));
  assert_false(gt_mode_exists("bogus"));
  assert_true(gt_mode_exists("sync"));
  free(cause);
  gt_recorder_free(rec);
}

/* The embedded server is reached directly in every mode whatever proxy
 * the environment names (here a dead one: a task sent there fails); a run
 * not told so follows the environment, as libcurl does. */
static void
test_direct_ignores_proxy(void **state)
{
  static const char *const vars[] = { "http_proxy", "HTTP_PROXY",
    "all_proxy", "ALL_PROXY", "https_proxy", "HTTPS_PROXY" };
  struct sockaddr_in sa = { .sin_family = AF_INET };
  socklen_t len = sizeof(sa);
  const char *const *modes;
  size_t nmodes, m, v;
  char *proxy;
  int fd, direct;

  (void)state;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  fd = socket(AF_INET, SOCK_STREAM, 0);
  assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
  assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
  close(fd);  /* a proxy nothing listens on */
  proxy = gt_xasprintf("http://127.0.0.1:%u", ntohs(sa.sin_port));
  for (v = 0; v < sizeof(vars) / sizeof(vars[0]); v++)
    setenv(vars[v], proxy, 1);
  unsetenv("no_proxy");
  unsetenv("NO_PROXY");
  modes = gt_mode_names(&nmodes);
  for (m = 0; m < nmodes; m++)
    for (direct = 1; direct >= 0; direct--) {
      struct fixture *f = fixture_new(0, 3);
      struct gt_run_config cfg = { .mode = modes[m], .direct = direct };
      uint16_t run = run_with(f, &cfg);

      print_message("%s, direct %d\n", modes[m], direct);
      assert_int_equal(check_invariants(f->rec, run, 3), direct ? 3 : 0);
      fixture_free(f);
    }
  for (v = 0; v < sizeof(vars) / sizeof(vars[0]); v++)
    unsetenv(vars[v]);
  free(proxy);
}

/* The proxy the report names is the one libcurl takes from the
 * environment: its variables in libcurl's order, and no_proxy's rules. */
static void
test_url_proxy_rules(void **state)
{
  static const struct {
    const char *url, *http, *https, *all, *no;
    const char *want, *var;
    const char *no_up, *https_up;   /* NO_PROXY, HTTPS_PROXY */
  } cases[] = {
    { "http://h:1/", "p:3128", NULL, NULL, NULL, "http://p:3128",
      "http_proxy", NULL, NULL },
    { "http://h:1/", NULL, NULL, "socks5://s:1080", NULL, "socks5://s:1080",
      "all_proxy", NULL, NULL },
    /* An empty variable is unset to libcurl (curl_getenv): the next one
     * in turn is read. */
    { "http://h:1/", "", NULL, "http://a:1", NULL, "http://a:1",
      "all_proxy", NULL, NULL },
    { "http://127.0.0.1:5/", "http://p:1", NULL, NULL, "", NULL, NULL, "*",
      NULL },
    { "http://127.0.0.1:5/", "http://p:1", NULL, NULL, "", "http://p:1",
      "http_proxy", "", NULL },
    { "https://h/", NULL, "", NULL, NULL, "http://q:2", "HTTPS_PROXY", NULL,
      "q:2" },
    { "http://h:1/", "", NULL, "", NULL, NULL, NULL, NULL, NULL },
    { "https://h/", "http://p:1", NULL, NULL, NULL, NULL, NULL, NULL, NULL },
    { "https://h/", NULL, "http://u:pw@q:8", NULL, NULL, "http://q:8",
      "https_proxy", NULL, NULL },
    { "http://h:1/", "http://p:1", NULL, NULL, "*", NULL, NULL, NULL, NULL },
    { "http://a.h.org/", "http://p:1", NULL, NULL, "x, .h.org", NULL,
      NULL, NULL, NULL },
    { "http://noth.org/", "http://p:1", NULL, NULL, "h.org", "http://p:1",
      "http_proxy", NULL, NULL },
    { "http://10.1.2.3/", "http://p:1", NULL, NULL, "10.0.0.0/8", NULL,
      NULL, NULL, NULL },
    { "http://11.1.2.3/", "http://p:1", NULL, NULL, "10.0.0.0/8",
      "http://p:1", "http_proxy", NULL, NULL },
    { "http://127.0.0.1:5/", "http://p:1", NULL, NULL, NULL, "http://p:1",
      "http_proxy", NULL, NULL },
    { "http://[::1]:5/", "http://p:1", NULL, NULL, "::1", NULL, NULL, NULL,
      NULL },
  };
  const char *var;
  char *got;
  size_t i;

  (void)state;
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    unsetenv("ALL_PROXY");
#define SET(name, v) ((v) ? setenv(name, v, 1) : unsetenv(name))
    SET("NO_PROXY", cases[i].no_up);
    SET("HTTPS_PROXY", cases[i].https_up);
    SET("http_proxy", cases[i].http);
    SET("https_proxy", cases[i].https);
    SET("all_proxy", cases[i].all);
    SET("no_proxy", cases[i].no);
#undef SET
    got = gt_url_proxy(cases[i].url, &var);
    print_message("%s -> %s (%s)\n", cases[i].url, got ? got : "none",
        var ? var : "-");
    if (cases[i].want == NULL) {
      assert_null(got);
      assert_null(var);
    } else {
      assert_non_null(got);
      assert_string_equal(got, cases[i].want);
      assert_string_equal(var, cases[i].var);
    }
    free(got);
  }
  unsetenv("http_proxy");
  unsetenv("https_proxy");
  unsetenv("all_proxy");
  unsetenv("no_proxy");
  unsetenv("NO_PROXY");
  unsetenv("HTTPS_PROXY");
}

/* A hostile peer for answers without end: every connection gets a 200
 * with neither a length nor chunks, then bytes until the client leaves. */
struct endless {
  int        fd;
  pthread_t  tid;
  atomic_int stop;
};

/* One connection of the endless server. */
static void *
endless_conn(void *arg)
{
  static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain"
      "\r\nConnection: close\r\n\r\n";
  char chunk[65536];  /* each connection's own: threads share no buffer */
  int fd = (int)(intptr_t)arg;
  char req[4096];

  memset(chunk, 'x', sizeof(chunk));
  if (recv(fd, req, sizeof(req), 0) > 0
      && send(fd, head, sizeof(head) - 1, MSG_NOSIGNAL) > 0)
    while (send(fd, chunk, sizeof(chunk), MSG_NOSIGNAL) > 0)
      ;
  close(fd);
  return NULL;
}

/* The endless server's accept loop, until stop. */
static void *
endless_main(void *arg)
{
  struct endless *e = arg;
  struct pollfd p = { .fd = e->fd, .events = POLLIN };
  pthread_t t;
  int c;

  while (!atomic_load(&e->stop)) {
    if (poll(&p, 1, 50) <= 0)
      continue;
    c = accept(e->fd, NULL, NULL);
    if (c < 0)
      continue;
    if (pthread_create(&t, NULL, endless_conn, (void *)(intptr_t)c) == 0)
      pthread_detach(t);
    else
      close(c);
  }
  return NULL;
}

/* Start the endless server; its URL, malloc'd. */
static char *
endless_start(struct endless *e)
{
  struct sockaddr_in sa = { .sin_family = AF_INET };
  socklen_t len = sizeof(sa);

  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  e->fd = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(e->fd >= 0);
  assert_int_equal(bind(e->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
  assert_int_equal(listen(e->fd, 64), 0);
  assert_int_equal(getsockname(e->fd, (struct sockaddr *)&sa, &len), 0);
  atomic_init(&e->stop, 0);
  assert_int_equal(pthread_create(&e->tid, NULL, endless_main, e), 0);
  return gt_xasprintf("http://127.0.0.1:%u", ntohs(sa.sin_port));
}

/* Stop accepting (connections end as their clients leave). */
static void
endless_stop(struct endless *e)
{
  atomic_store(&e->stop, 1);
  pthread_join(e->tid, NULL);
  close(e->fd);
}

/* Answers that never end: each task fails with "answer larger than" its
 * cap, in every mode.  With a bound on what the run's tasks in flight hold
 * together smaller than one answer's cap, every task fails on that bound
 * instead, and what was held never passed it (in this process: the
 * process modes' workers count their own share). */
static void
test_endless_answers_bounded(void **state)
{
  const size_t mib = (size_t)1 << 20;
  const char *const *modes;
  struct endless e;
  char *url = endless_start(&e);
  size_t nmodes, m, i, held;
  int tight, in_process;

  (void)state;
  modes = gt_mode_names(&nmodes);
  for (tight = 0; tight < 2; tight++)
    for (m = 0; m < nmodes; m++) {
      struct fixture *f = fixture_new(0, 6);
      struct gt_run_config cfg = { .mode = modes[m], .base_url = url,
          .body_max_bytes = mib,
          .body_held_bytes = tight ? mib / 2 : 64 * mib };
      struct gt_run *run;
      struct gt_lanes l;

      in_process = strcmp(modes[m], "procs") != 0
          && strcmp(modes[m], "hybrid") != 0;
      cfg.out_dir = f->dir;
      cfg.timeout_ms = 20000;
      assert_int_equal(gt_run_new(f->rec, &cfg, f->tasks, f->ntasks, &run,
          NULL), 0);
      assert_int_equal(gt_run_exec(run, NULL), 0);
      assert_int_equal(check_invariants(f->rec, gt_run_id(run), 6), 0);
      gt_lanes_build(f->rec, &l);
      assert_int_equal(l.n, 6);
      for (i = 0; i < l.n; i++) {
        const char *why = gt_recorder_string(f->rec, l.lane[i].error);

        print_message("%s: %s\n", modes[m], why);
        assert_non_null(strstr(why, "larger than"));
        if (!tight)
          assert_non_null(strstr(why, "answer larger than 1 MiB"));
        else if (in_process)
          assert_non_null(strstr(why, "larger than 512 KiB in all"));
      }
      gt_lanes_done(&l);
      held = gt_run_body_peak_bytes(run);
      print_message("%s: peak %zu bytes held\n", modes[m], held);
      assert_true(held <= cfg.body_held_bytes);
      if (in_process)
        assert_true(held > (tight ? mib / 4 : mib / 2));  /* it counted */
      gt_run_free(run);
      fixture_free(f);
    }
  endless_stop(&e);
  free(url);
}

/* Global set-up once, as main does. */
static int
group_setup(void **state)
{
  (void)state;
  return gt_scheduler_init();
}

/* Global tear-down. */
static int
group_teardown(void **state)
{
  (void)state;
  gt_scheduler_done();
  return 0;
}

int
main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_invariants_every_mode),
    cmocka_unit_test(test_sync_one_at_a_time),
    cmocka_unit_test(test_threads_all_in_flight),
    cmocka_unit_test(test_threads_pool_queues),
    cmocka_unit_test(test_refused),
    cmocka_unit_test(test_http_and_disk_errors),
    cmocka_unit_test(test_stop),
    cmocka_unit_test(test_async_one_loop_all_in_flight),
    cmocka_unit_test(test_async_limit),
    cmocka_unit_test(test_async_http_errors_and_timeout),
    cmocka_unit_test(test_async_cpu_blocks_loop),
    cmocka_unit_test(test_loop_busy_answer),
    cmocka_unit_test(test_loop_busy_sleep),
    cmocka_unit_test(test_loop_write_pool_disk),
    cmocka_unit_test(test_hybrid_limit),
    cmocka_unit_test(test_threads_gil),
    cmocka_unit_test(test_mode_traits),
    cmocka_unit_test(test_gil_only_with_trait),
    cmocka_unit_test(test_pow_every_mode),
    cmocka_unit_test(test_connect_waits),
    cmocka_unit_test(test_scrape_every_mode),
    cmocka_unit_test(test_sleep_every_mode),
    cmocka_unit_test(test_injected_faults),
    cmocka_unit_test(test_async_host_name),
    cmocka_unit_test(test_procs_two_pids),
    cmocka_unit_test(test_procs_cpu_overlap),
    cmocka_unit_test(test_procs_worker_killed),
    cmocka_unit_test(test_procs_worker_stopped),
    cmocka_unit_test(test_procs_worker_cannot_start),
    cmocka_unit_test(test_unknown_mode),
    cmocka_unit_test(test_direct_ignores_proxy),
    cmocka_unit_test(test_url_proxy_rules),
    cmocka_unit_test(test_endless_answers_bounded),
    cmocka_unit_test(test_open_beneath),
    cmocka_unit_test(test_write_no_symlinks_every_mode),
    cmocka_unit_test(test_write_regular_files_only_every_mode),
    cmocka_unit_test(test_write_leased_file_every_mode),
  };

  /* the process modes start this executable as their workers */
  gt_cpu_register("test.busy", busy_cpu);
  gt_cpu_register("test.meet", meet_cpu);
  if (argc == 2 && strcmp(argv[1], GT_WORKER_ARG) == 0)
    return gt_worker_main();
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
