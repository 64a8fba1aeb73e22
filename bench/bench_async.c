/*
 * bench/bench_async.c: the async mode against its budgets (issue 4).
 *
 * 1. Latency: 1 000 genre tasks, all in flight, against the embedded demo
 *    server at 100 ms latency: the run's wall time against the latency,
 *    the baseline no run can beat.  Each repetition is followed by the same
 *    run at latency 0, which shows what the run costs besides the latency.
 *    Median of REPS_WALL.  Beside it, the floor of this machine: one
 *    thread opening WALL_TASKS loopback TCP connections and sending a GET on
 *    each, to a bare epoll server that only accepts and reads, with no
 *    libcurl, libuv or libmicrohttpd.  No client that opens a connection
 *    per request can have the last request at the server sooner, so
 *    (that time + the latency) / the latency is the best ratio this
 *    machine allows.
 * 2. Scale: 10 000 genre tasks at 1 000 ms latency in one run, with as many
 *    in flight as gantty's open-file cap allows ((nofile - 64) / the
 *    descriptors gt_mode_fds() counts for an async task), three
 *    identical runs.  Descriptors, RSS (after malloc_trim, so that what the
 *    allocator keeps for reuse is not counted) and the heap in use are read
 *    after each; a thread samples /proc/self/fd during the runs to check
 *    what a task in flight really holds against what the cap assumes.
 * 3. CPU: the client's CPU time per task, the demo server (latency 0) in a
 *    child process forked before any thread exists, so that RUSAGE_SELF
 *    counts the client alone, client and server pinned to two CPUs (and,
 *    for the GETs, to one).  Genre tasks (GET, parse, write a file) and
 *    tasks of one GET each, 20 000 async (--limit 64) against 10 000 sync
 *    (one blocking easy handle, keep-alive), and 1 000 GETs at once that
 *    each open a connection; interleaved, best of REPS_CPU.
 * Prints "bench: NAME = VALUE UNIT" lines; docs/PERFORMANCE.md records
 * them.  A missed budget exits 0; a benchmark that cannot run exits 1.
 */
#define _GNU_SOURCE              /* sched_setaffinity, CPU_SET, mkdtemp */
#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base.h"
#include "bench.h"
#include "demo_server.h"
#include "executor.h"
#include "lanes.h"
#include "recorder.h"
#include "timeline.h"
#include "workload.h"

#define WALL_TASKS      1000u    /* budget 1 */
#define WALL_LATENCY_MS 100u
#define REPS_WALL       5        /* median kept */
#define BUDGET_WALL_X   1.3      /* wall <= this many latencies */

#define SCALE_TASKS      10000u  /* budget 2 */
#define SCALE_LATENCY_MS 1000u   /* long enough for every wave to overlap */
#define SCALE_IN_FLIGHT  5000u   /* in flight at once, at least */
#define SCALE_RUNS       3       /* identical runs; growth after the first */
#define FD_RESERVE       64u     /* descriptors gantty's cap leaves for the
                                    rest (scheduler/session.c) */
#define BUDGET_RSS_MB    4.0     /* a second identical run grows RSS less */
#define BUDGET_HEAP_MB   0.5     /* ... and the heap in use less */
#define SAMPLE_EVERY_NS  10000000L  /* the fd sampler's pause */
#define SETTLE_MS        5000    /* wait this long for sockets to close */

#define CPU_TASKS       20000u   /* budget 3 */
#define SYNC_TASKS      10000u   /* the sync baselines: one at a time, so
                                    half as many keep the bench under a
                                    minute; a figure per task is the same */
#define CPU_LIMIT       64u      /* async --limit for the CPU runs */
#define REPS_CPU        3        /* best kept */
#define FRESH_TASKS     1000u    /* GETs at once, a connection each */
#define BUDGET_CPU_US   30.0     /* client CPU per HTTP task */

/* What one run gave. */
struct outcome {
  uint64_t wall_ns;
  unsigned ok, failed;
  unsigned peak_net;             /* most tasks waiting on the net at once */
  unsigned peak_busy;            /* most tasks running or waiting at once */
  double   cpu_us;               /* process CPU (user + sys) during exec */
  unsigned peak_fds;             /* most descriptors seen while it ran */
};

/* The descriptor sampler that runs beside a run. */
struct sampler {
  pthread_t   tid;
  atomic_int  stop;
  unsigned    peak;              /* most descriptors seen, its own excluded */
};

/* How many descriptors the process holds, not counting the one used to
 * look. */
static unsigned
count_fds(void)
{
  DIR *d = opendir("/proc/self/fd");
  struct dirent *e;
  unsigned n = 0;

  if (d == NULL)
    return 0;
  while ((e = readdir(d)) != NULL)
    if (e->d_name[0] != '.')
      n++;
  closedir(d);
  return n > 0 ? n - 1 : 0;
}

/* The resident set in MiB (/proc/self/statm's second field). */
static double
rss_mb(void)
{
  FILE *f = fopen("/proc/self/statm", "r");
  unsigned long size = 0, resident = 0;

  if (f == NULL)
    return 0;
  if (fscanf(f, "%lu %lu", &size, &resident) != 2)
    resident = 0;
  fclose(f);
  return (double)resident * (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0);
}

/* The process's CPU time so far, user plus system, in microseconds. */
static double
cpu_now_us(void)
{
  struct rusage ru;

  getrusage(RUSAGE_SELF, &ru);
  return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6
      + (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

/* The sampler thread: count descriptors every SAMPLE_EVERY_NS. */
static void *
sampler_main(void *arg)
{
  struct sampler *s = arg;
  struct timespec pause = { 0, SAMPLE_EVERY_NS };
  unsigned n;

  while (!atomic_load(&s->stop)) {
    n = count_fds();
    if (n > s->peak)
      s->peak = n;
    nanosleep(&pause, NULL);
  }
  return NULL;
}

/* Run tasks once under mode in a recorder of its own, and read its figures
 * from the lanes.  sample: count descriptors while it runs.  Exits on a run
 * that cannot start, which is not a figure. */
static void
run_once(const char *mode, const char *url, const char *dir,
    const struct gt_task *tasks, size_t n, unsigned limit, int sample,
    struct outcome *out)
{
  struct gt_run_config cfg = {
    .mode = mode, .base_url = url, .out_dir = dir, .limit = limit,
  };
  struct gt_recorder *rec = gt_recorder_new();
  struct gt_run *run = NULL;
  struct gt_lanes lanes;
  struct gt_run_figures st;
  struct sampler smp = { .peak = 0 };
  char *cause = NULL;
  double cpu;
  int rc;

  memset(out, 0, sizeof(*out));
  rc = gt_run_new(rec, &cfg, tasks, n, &run, &cause);
  if (rc == 0 && sample) {
    atomic_init(&smp.stop, 0);
    pthread_create(&smp.tid, NULL, sampler_main, &smp);
  }
  cpu = cpu_now_us();
  if (rc == 0)
    rc = gt_run_exec(run, &cause);
  out->cpu_us = cpu_now_us() - cpu;
  if (sample && run != NULL) {
    atomic_store(&smp.stop, 1);
    pthread_join(smp.tid, NULL);
    out->peak_fds = smp.peak;
  }
  gt_run_free(run);
  if (rc != 0) {
    fprintf(stderr, "bench_async: %s run: %s\n", mode,
        cause ? cause : gt_strerror(rc));
    exit(1);
  }
  gt_lanes_build(rec, &lanes);
  if (gt_timeline_figures_of(rec, &st, 1) != 1) {
    fprintf(stderr, "bench_async: %s run: no figures\n", mode);
    exit(1);
  }
  out->wall_ns = st.wall_ns;
  out->ok = st.ok;
  out->failed = st.failed + st.unfinished;
  out->peak_net = st.peak_net;
  out->peak_busy = st.peak_busy;
  if (out->failed > 0) {  /* say why, once: a figure of failures is not one */
    size_t i;

    for (i = 0; i < lanes.n; i++)
      if (lanes.lane[i].status != 0) {
        fprintf(stderr, "bench_async: %s: %u tasks failed, e.g. %s\n", mode,
            out->failed, gt_recorder_string(rec, lanes.lane[i].error));
        break;
      }
  }
  gt_lanes_done(&lanes);
  gt_recorder_free(rec);
}

/* Start a demo server with latency_ms and no jitter or set-up cost, or
 * exit. */
static struct gt_demo_server *
server_start(unsigned latency_ms, unsigned max_connections)
{
  struct gt_demo_config cfg = {
    .seed = 1, .latency_ms = latency_ms, .max_connections = max_connections,
  };
  struct gt_demo_server *srv = NULL;
  char *cause = NULL;

  if (gt_demo_server_start(&cfg, &srv, &cause) != 0) {
    fprintf(stderr, "bench_async: demo server: %s\n", cause);
    exit(1);
  }
  return srv;
}

/* Wait until srv holds no connection (a closed client's sockets are closed
 * by the server's thread a moment later), at most SETTLE_MS. */
static void
server_settle(struct gt_demo_server *srv)
{
  struct gt_demo_stats ds;
  struct timespec pause = { 0, 10000000L };
  int i;

  for (i = 0; i < SETTLE_MS / 10; i++) {
    gt_demo_server_stats(srv, &ds);
    if (ds.open_now == 0)
      return;
    nanosleep(&pause, NULL);
  }
}

/* Fork a child that runs a demo server at latency 0 until *hold_fd is
 * closed; its URL goes into url.  Call before any thread exists: the child
 * of a threaded process may not start threads safely. */
static pid_t
server_fork(char *url, size_t len, int *hold_fd)
{
  int up[2], hold[2];
  struct gt_demo_server *srv;
  ssize_t got;
  size_t off = 0;
  pid_t pid;
  char c;

  if (pipe(up) != 0 || pipe(hold) != 0) {
    perror("bench_async: pipe");
    exit(1);
  }
  fflush(NULL);
  pid = fork();
  if (pid < 0) {
    perror("bench_async: fork");
    exit(1);
  }
  if (pid == 0) {
    close(up[0]);
    close(hold[1]);
    srv = server_start(0, 0);
    dprintf(up[1], "%s\n", gt_demo_server_url(srv));
    close(up[1]);
    for (;;) {  /* until the parent closes its end, or exits */
      got = read(hold[0], &c, 1);
      if (got == 0 || (got < 0 && errno != EINTR))
        break;
    }
    gt_demo_server_stop(srv);
    _exit(0);
  }
  close(up[1]);
  close(hold[0]);
  while (off + 1 < len && (got = read(up[0], url + off, 1)) == 1
      && url[off] != '\n')
    off++;
  url[off] = '\0';
  close(up[0]);
  if (off == 0) {
    fprintf(stderr, "bench_async: the server's child gave no URL\n");
    exit(1);
  }
  *hold_fd = hold[1];
  return pid;
}

/* n tasks of one GET /genre?i=N each, freed with gt_tasks_free(). */
static struct gt_task *
get_tasks(size_t n)
{
  struct gt_task *t = gt_xcalloc(n, sizeof(*t));
  size_t i;

  for (i = 0; i < n; i++) {
    t[i].name = gt_xasprintf("get %zu", i);
    t[i].nsteps = 1;
    t[i].steps = gt_xcalloc(1, sizeof(*t[i].steps));
    t[i].steps[0] = (struct gt_step){
      .kind = GT_STEP_HTTP,
      .label = gt_xstrdup("GET /genre"),
      .target = gt_xasprintf("/genre?i=%zu", i),
    };
  }
  return t;
}

/* n genre tasks, or exit. */
static struct gt_task *
genre_tasks(size_t n)
{
  struct gt_workload_params p = { .tasks = (unsigned)n, .seed = 1 };
  struct gt_task *t = NULL;
  size_t got = 0;
  char *cause = NULL;

  if (gt_workload_find("genre")->make(&p, &t, &got, &cause) != 0
      || got != n) {
    fprintf(stderr, "bench_async: genre: %s\n", cause ? cause : "too few");
    exit(1);
  }
  return t;
}

/* Remove every file in dir, then dir. */
static void
remove_dir(const char *dir)
{
  DIR *d = opendir(dir);
  struct dirent *e;
  char *path;

  if (d != NULL) {
    while ((e = readdir(d)) != NULL) {
      if (e->d_name[0] == '.')
        continue;
      path = gt_xasprintf("%s/%s", dir, e->d_name);
      unlink(path);
      free(path);
    }
    closedir(d);
  }
  rmdir(dir);
}

/* The comparator for qsort of doubles. */
static int
cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

/* The median of n values (sorts them). */
static double
median(double *v, int n)
{
  qsort(v, (size_t)n, sizeof(v[0]), cmp_double);
  return v[n / 2];
}

/* Budget 1: 1 000 tasks at 100 ms, median of REPS_WALL, each repetition
 * followed by the same run at latency 0 (what the run costs besides the
 * latency, the figure that explains the first). */
/* The bare server of the floor measurement: accept, read one request,
 * note the time; nothing else. */
struct floor_server {
  int      lfd, ep;
  unsigned want, got;
  uint64_t last_ns;              /* when the last request was read */
};

static void *
floor_server_main(void *arg)
{
  struct floor_server *fs = arg;
  struct epoll_event ev[64], add = { .events = EPOLLIN };
  char buf[1024];
  int i, n, fd;

  while (fs->got < fs->want) {
    n = epoll_wait(fs->ep, ev, 64, 5000);
    if (n <= 0)
      break;  /* a lost connection: give up, the figure says so */
    for (i = 0; i < n; i++) {
      if (ev[i].data.fd == fs->lfd) {
        while ((fd = accept4(fs->lfd, NULL, NULL, SOCK_NONBLOCK
            | SOCK_CLOEXEC)) >= 0) {
          add.data.fd = fd;
          epoll_ctl(fs->ep, EPOLL_CTL_ADD, fd, &add);
        }
      } else if (recv(ev[i].data.fd, buf, sizeof(buf), 0) > 0) {
        fs->got++;
        fs->last_ns = gt_now_ns();
        close(ev[i].data.fd);  /* after the clock: not part of the floor */
      }
    }
  }
  return NULL;
}

/* Milliseconds from the first connect() to the bare server's read of the
 * last of n requests, each on its own connection; -1 if it failed. */
static double
loopback_floor_ms(unsigned n)
{
  static const char req[] =
      "GET /genre?i=0 HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n";
  struct floor_server fs = { .want = n };
  struct sockaddr_in sa = { .sin_family = AF_INET };
  struct epoll_event add = { .events = EPOLLIN };
  socklen_t len = sizeof(sa);
  int *fds = gt_xcalloc(n, sizeof(int)), one = 1, ok = 1;
  pthread_t tid;
  uint64_t t0;
  unsigned i;
  double ms;

  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  fs.lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  fs.ep = epoll_create1(EPOLL_CLOEXEC);
  if (fs.lfd < 0 || fs.ep < 0
      || bind(fs.lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0
      || getsockname(fs.lfd, (struct sockaddr *)&sa, &len) != 0
      || listen(fs.lfd, 4096) != 0) {
    perror("bench_async: floor server");
    exit(1);
  }
  add.data.fd = fs.lfd;
  epoll_ctl(fs.ep, EPOLL_CTL_ADD, fs.lfd, &add);
  pthread_create(&tid, NULL, floor_server_main, &fs);
  t0 = gt_now_ns();
  for (i = 0; i < n; i++) {  /* libcurl's order: every connect, then send */
    fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    setsockopt(fds[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (connect(fds[i], (struct sockaddr *)&sa, sizeof(sa)) != 0
        && errno != EINPROGRESS)
      ok = 0;
  }
  for (i = 0; i < n; i++)
    if (send(fds[i], req, sizeof(req) - 1, MSG_NOSIGNAL) < 0)
      ok = 0;  /* loopback connects at once; not yet would be a surprise */
  pthread_join(tid, NULL);
  ms = ok && fs.got == n ? (double)(fs.last_ns - t0) / 1e6 : -1;
  for (i = 0; i < n; i++)
    close(fds[i]);
  close(fs.ep);
  close(fs.lfd);
  free(fds);
  return ms;
}

static void
bench_wall(const char *dir)
{
  struct gt_demo_server *srv = server_start(WALL_LATENCY_MS, 0);
  struct gt_demo_server *srv0 = server_start(0, 0);
  struct gt_task *tasks = genre_tasks(WALL_TASKS);
  struct outcome o;
  double wall[REPS_WALL], wall0[REPS_WALL], cpu[REPS_WALL], floor[REPS_WALL];
  double med, best, worst, floor_med;
  unsigned ok = WALL_TASKS, peak = 0;
  int rep;

  for (rep = 0; rep < REPS_WALL; rep++) {
    run_once("async", gt_demo_server_url(srv), dir, tasks, WALL_TASKS, 0, 0,
        &o);
    server_settle(srv);
    wall[rep] = (double)o.wall_ns / 1e6;
    cpu[rep] = o.cpu_us / 1e3;
    if (o.ok < ok)
      ok = o.ok;
    if (o.peak_net > peak)
      peak = o.peak_net;
    run_once("async", gt_demo_server_url(srv0), dir, tasks, WALL_TASKS, 0, 0,
        &o);
    server_settle(srv0);
    wall0[rep] = (double)o.wall_ns / 1e6;
    if (o.ok < ok)
      ok = o.ok;
    floor[rep] = loopback_floor_ms(WALL_TASKS);
  }
  printf("bench: async_1000_runs_ms =");
  for (rep = 0; rep < REPS_WALL; rep++)
    printf(" %.1f", wall[rep]);
  printf(" ms (in run order; the first creates the files, the others "
      "truncate them)\n");
  med = median(wall, REPS_WALL);
  best = wall[0];
  worst = wall[REPS_WALL - 1];
  printf("bench: async_1000: %u genre tasks, latency %u ms, no limit, "
      "server in this process, %d runs (median kept)\n", WALL_TASKS,
      WALL_LATENCY_MS, REPS_WALL);
  bench_report("async_1000_latency_ms", WALL_LATENCY_MS, "ms");
  bench_report("async_1000_wall_ms", med, "ms");
  bench_report("async_1000_wall_best_ms", best, "ms");
  bench_report("async_1000_wall_worst_ms", worst, "ms");
  bench_report("async_1000_vs_latency", med / WALL_LATENCY_MS, "x");
  printf("bench: async_1000_ok = %u tasks (fewest of the runs)\n", ok);
  printf("bench: async_1000_peak_in_flight = %u tasks\n", peak);
  /* Client and server together, kernel included: about two cores' worth
   * of the wall time means the run is bound by CPU, not by the latency. */
  bench_report("async_1000_cpu_ms", median(cpu, REPS_WALL), "ms");
  bench_report("async_1000_at_0ms_wall_ms", median(wall0, REPS_WALL), "ms");
  floor_med = median(floor, REPS_WALL);
  if (floor[0] < 0) {
    printf("bench: loopback_1000_last_request_ms: the bare server lost a "
        "connection\n");
  } else {
    bench_report("loopback_1000_last_request_ms", floor_med, "ms");
    bench_report("async_1000_floor_vs_latency",
        (floor_med + WALL_LATENCY_MS) / WALL_LATENCY_MS, "x");
    bench_report("async_1000_wall_vs_floor",
        med / (floor_med + WALL_LATENCY_MS), "x");
  }
  bench_verdict("async_1000_vs_latency",
      med <= BUDGET_WALL_X * WALL_LATENCY_MS && ok == WALL_TASKS);
  fflush(stdout);
  gt_tasks_free(tasks, WALL_TASKS);
  gt_demo_server_stop(srv0);
  gt_demo_server_stop(srv);
}

/* The resident set after handing freed memory back to the kernel, so that
 * what the allocator keeps for reuse does not count as growth. */
static double
rss_live_mb(void)
{
#ifdef __GLIBC__
  malloc_trim(0);
#endif
  return rss_mb();
}

/* Bytes malloc has handed out and not had back, in MiB: what a leak grows,
 * whatever the allocator keeps of freed memory (the top of a thread's
 * arena survives malloc_trim); -1 where glibc cannot say. */
static double
heap_in_use_mb(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
  struct mallinfo2 mi = mallinfo2();

  return (double)(mi.uordblks + mi.hblkhd) / (1024.0 * 1024.0);
#else
  return -1;
#endif
}

/* The most tasks o had in flight at once. */
static unsigned
in_flight(const struct outcome *o)
{
  return o->peak_net > o->peak_busy ? o->peak_net : o->peak_busy;
}

/* Budget 2: 10 000 tasks in one run, three times, capped as gantty caps
 * them; in flight, fds and memory after each. */
static void
bench_scale(const char *dir, unsigned long nofile)
{
  struct gt_demo_server *srv = server_start(SCALE_LATENCY_MS,
      SCALE_TASKS + 100);
  struct gt_task *tasks = genre_tasks(SCALE_TASKS);
  /* what one task in flight is counted for: gt_mode_fds with a limit of 1 */
  unsigned per = (unsigned)gt_mode_fds("async", 1, 1, tasks, SCALE_TASKS, 1);
  unsigned long fit = nofile > FD_RESERVE + per
      ? (nofile - FD_RESERVE) / per : 1;
  unsigned limit = fit < SCALE_TASKS ? (unsigned)fit : 0;
  unsigned fds[SCALE_RUNS + 1], peak = 0, ok = SCALE_TASKS, failed = 0;
  unsigned peak_fds = 0;
  double live[SCALE_RUNS + 1], raw[SCALE_RUNS + 1], heap[SCALE_RUNS + 1];
  double per_task = 0, g2, g3, h;
  struct outcome o[SCALE_RUNS];
  int r;

  fds[0] = count_fds();
  live[0] = rss_live_mb();
  raw[0] = live[0];
  heap[0] = heap_in_use_mb();
  for (r = 0; r < SCALE_RUNS; r++) {
    run_once("async", gt_demo_server_url(srv), dir, tasks, SCALE_TASKS,
        limit, 1, &o[r]);
    server_settle(srv);
    fds[r + 1] = count_fds();
    raw[r + 1] = rss_mb();
    live[r + 1] = rss_live_mb();
    heap[r + 1] = heap_in_use_mb();
    if (in_flight(&o[r]) > peak)
      peak = in_flight(&o[r]);
    if (o[r].peak_fds > peak_fds)
      peak_fds = o[r].peak_fds;
    /* Server and client share this process: a task in flight holds the
     * descriptors of both ends, and of its file while it writes. */
    if (in_flight(&o[r]) > 0 && (double)(o[r].peak_fds - fds[0])
        / (double)in_flight(&o[r]) > per_task)
      per_task = (double)(o[r].peak_fds - fds[0])
          / (double)in_flight(&o[r]);
    if (o[r].ok < ok)
      ok = o[r].ok;
    failed += o[r].failed;
  }
  g2 = live[2] - live[1];
  g3 = live[3] - live[2];
  h = heap[2] > heap[3] ? heap[2] - heap[1] : heap[3] - heap[1];

  printf("bench: async_10k: %u genre tasks, latency %u ms, server in this "
      "process, %d identical runs\n", SCALE_TASKS, SCALE_LATENCY_MS,
      SCALE_RUNS);
  printf("bench: nofile = %lu descriptors\n", nofile);
  if (limit)
    printf("bench: async_10k_limit = %u tasks (gantty's fd cap binds: "
        "(nofile - %u) / %u)\n", limit, FD_RESERVE, per);
  else
    printf("bench: async_10k_limit = 0 (none: the fd cap does not bind)\n");
  printf("bench: async_10k_ok = %u tasks (fewest of the runs; %u failed in "
      "all)\n", ok, failed);
  bench_report("async_10k_wall_ms", (double)o[0].wall_ns / 1e6, "ms");
  printf("bench: async_10k_peak_in_flight = %u tasks (run 1: peak_net %u, "
      "peak_busy %u)\n", peak, o[0].peak_net, o[0].peak_busy);
  printf("bench: async_10k_peak_fds = %u descriptors (%u before the runs)\n",
      peak_fds, fds[0]);
  bench_report("async_10k_fds_per_in_flight", per_task, "fds");
  printf("bench: async_10k_fds_per_task_counted = %u fds "
      "(gt_mode_fds, the cap's divisor)\n", per);
  printf("bench: async_10k_fd_growth = %d fds (run 1: %d, run 3: %d)\n",
      (int)fds[2] - (int)fds[1], (int)fds[1] - (int)fds[0],
      (int)fds[3] - (int)fds[2]);
  bench_report_signed("async_10k_rss_growth_mb", g2, "MB");
  bench_report_signed("async_10k_rss_growth_run3_mb", g3, "MB");
  printf("bench: async_10k_rss_live_mb = %.2f, %.2f, %.2f, %.2f MB (before, "
      "after each run; malloc_trim first)\n", live[0], live[1], live[2],
      live[3]);
  printf("bench: async_10k_rss_untrimmed_mb = %.2f, %.2f, %.2f MB (after "
      "each run: with what the allocator keeps)\n", raw[1], raw[2], raw[3]);
  bench_report_signed("async_10k_heap_growth_mb", h, "MB");
  printf("bench: async_10k_heap_in_use_mb = %.2f, %.2f, %.2f, %.2f MB "
      "(before, after each run; mallinfo2)\n", heap[0], heap[1], heap[2],
      heap[3]);
  bench_verdict("async_10k_ok", failed == 0 && ok == SCALE_TASKS);
  bench_verdict("async_10k_in_flight", peak >= SCALE_IN_FLIGHT);
  if (limit && limit < SCALE_IN_FLIGHT)
    printf("bench: async_10k_in_flight is limited by the fd cap (%u < %u)\n",
        limit, SCALE_IN_FLIGHT);
  /* A leak grows the heap in use every run.  RSS moves by up to ~20 MB
   * from run to run even after malloc_trim, which leaves the top of each
   * thread's arena resident, so the smaller of its two growths is judged. */
  bench_verdict("async_10k_no_growth", fds[2] <= fds[1] && fds[3] <= fds[2]
      && (g2 < g3 ? g2 : g3) < BUDGET_RSS_MB && h < BUDGET_HEAP_MB);
  fflush(stdout);
  gt_tasks_free(tasks, SCALE_TASKS);
  gt_demo_server_stop(srv);
}

/* Pin every thread of process pid to the CPUs in set; threads made later
 * inherit their creator's mask.  Returns 0, or -1 when a thread could not
 * be pinned. */
static int
pin_process(pid_t pid, const cpu_set_t *set)
{
  char path[64];
  struct dirent *e;
  DIR *d;
  int rc = 0;

  snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
  d = opendir(path);
  if (d == NULL)
    return -1;
  while ((e = readdir(d)) != NULL)
    if (e->d_name[0] != '.'
        && sched_setaffinity((pid_t)atoi(e->d_name), sizeof(*set), set) != 0)
      rc = -1;
  closedir(d);
  return rc;
}

/* Put this process on cpu_client and the server's child on cpu_server. */
static void
place(pid_t child, int cpu_client, int cpu_server)
{
  cpu_set_t c, s;

  CPU_ZERO(&c);
  CPU_SET(cpu_client, &c);
  CPU_ZERO(&s);
  CPU_SET(cpu_server, &s);
  if (pin_process(getpid(), &c) != 0 || pin_process(child, &s) != 0)
    fprintf(stderr, "bench_async: cannot pin the client and the server\n");
}

/* Budget 3: client CPU per task, async against sync, genre and GET only,
 * with the client and the server's child on two CPUs (apart), and, for the
 * GETs, on one (together): the cost of waking a process on the other CPU
 * (inter-processor interrupts, which a VM pays dearly) doubles a GET's CPU
 * time and, left to the scheduler, varies from run to run.  Also, to
 * explain budget 1, async GETs that each open a connection. */
static void
bench_cpu(const char *dir, const char *url, pid_t child)
{
  enum { C_ASYNC_TASK, C_SYNC_TASK, C_ASYNC_GET, C_SYNC_GET, C_ASYNC_FRESH,
      C_ASYNC_GET_1, C_SYNC_GET_1, C_COUNT };
  static const char *const name[C_COUNT] = {
    "async_cpu_per_task_us", "sync_cpu_per_task_us",
    "async_cpu_per_get_us", "sync_cpu_per_get_us",
    "async_cpu_per_fresh_get_us",
    "async_cpu_per_get_together_us", "sync_cpu_per_get_together_us",
  };
  struct gt_task *genre = genre_tasks(CPU_TASKS);
  struct gt_task *get = get_tasks(CPU_TASKS);
  double best[C_COUNT], us;
  unsigned failed = 0, n, limit;
  int rep, c, sync, cpu[2] = { 0, 0 }, ncpu = 0, i;
  struct outcome o;
  cpu_set_t mask;

  /* The first two CPUs this process may run on; one is enough for both. */
  sched_getaffinity(0, sizeof(mask), &mask);
  for (i = 0; i < CPU_SETSIZE && ncpu < 2; i++)
    if (CPU_ISSET(i, &mask))
      cpu[ncpu++] = i;
  if (ncpu < 2)
    cpu[1] = cpu[0];
  for (c = 0; c < C_COUNT; c++)
    best[c] = 1e300;
  for (rep = 0; rep < REPS_CPU; rep++) {
    for (c = 0; c < C_COUNT; c++) {
      if (c == C_ASYNC_TASK)
        place(child, cpu[0], cpu[1]);
      else if (c == C_ASYNC_GET_1)
        place(child, cpu[0], cpu[0]);
      sync = c == C_SYNC_TASK || c == C_SYNC_GET || c == C_SYNC_GET_1;
      n = c == C_ASYNC_FRESH ? FRESH_TASKS : sync ? SYNC_TASKS : CPU_TASKS;
      limit = sync || c == C_ASYNC_FRESH ? 0 : CPU_LIMIT;
      run_once(sync ? "sync" : "async", url, dir,
          c == C_ASYNC_TASK || c == C_SYNC_TASK ? genre : get, n, limit, 0,
          &o);
      failed += o.failed;
      us = o.cpu_us / n;
      if (us < best[c])
        best[c] = us;
    }
  }
  pin_process(getpid(), &mask);
  printf("bench: cpu: %u tasks an async run (--limit %u), %u a sync run, "
      "server in a child process at latency 0, best of %d; a genre task "
      "also parses the body and writes a file; a fresh GET is one of %u at "
      "once, each on a new connection\n", CPU_TASKS, CPU_LIMIT, SYNC_TASKS,
      REPS_CPU, FRESH_TASKS);
  printf("bench: cpu: client on CPU %d, server on CPU %d; together: both on "
      "CPU %d%s\n", cpu[0], cpu[1], cpu[0],
      ncpu < 2 ? " (one CPU: apart is together)" : "");
  for (c = 0; c < C_COUNT; c++)
    bench_report(name[c], best[c], "us");
  bench_report("async_vs_sync_cpu_per_task",
      best[C_ASYNC_TASK] / best[C_SYNC_TASK], "x");
  bench_report("async_vs_sync_cpu_per_get",
      best[C_ASYNC_GET] / best[C_SYNC_GET], "x");
  bench_report("async_vs_sync_cpu_per_get_together",
      best[C_ASYNC_GET_1] / best[C_SYNC_GET_1], "x");
  printf("bench: cpu_failed = %u tasks\n", failed);
  bench_verdict("async_cpu_per_task",
      best[C_ASYNC_TASK] <= BUDGET_CPU_US && failed == 0);
  bench_verdict("async_cpu_per_get",
      best[C_ASYNC_GET] <= BUDGET_CPU_US && failed == 0);
  fflush(stdout);
  gt_tasks_free(genre, CPU_TASKS);
  gt_tasks_free(get, CPU_TASKS);
}

/* 1 when part is to be measured: no arguments, or one of them names it. */
static int
wanted(int argc, char **argv, const char *part)
{
  int i;

  for (i = 1; i < argc; i++)
    if (strcmp(argv[i], part) == 0)
      return 1;
  return argc < 2;
}

/* Measure the three budgets, or those named on the command line (wall,
 * scale, cpu); the server for the CPU one is forked first, while this
 * process has one thread. */
int
main(int argc, char **argv)
{
  char url[128], dir[4096];
  const char *tmp = getenv("TMPDIR");
  unsigned long nofile;
  int hold_fd, status;
  pid_t child;

  for (status = 1; status < argc; status++)
    if (strcmp(argv[status], "wall") != 0
        && strcmp(argv[status], "scale") != 0
        && strcmp(argv[status], "cpu") != 0) {
      fprintf(stderr, "usage: bench_async [wall] [scale] [cpu]\n");
      return 2;
    }
  if (gt_scheduler_init() != 0) {
    fprintf(stderr, "bench_async: cannot initialise libcurl\n");
    return 1;
  }
  nofile = gt_raise_nofile();
  child = server_fork(url, sizeof(url), &hold_fd);
  snprintf(dir, sizeof(dir), "%s/bench_async.XXXXXX",
      tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
  if (mkdtemp(dir) == NULL) {
    perror("bench_async: mkdtemp");
    return 1;
  }

  if (wanted(argc, argv, "wall"))
    bench_wall(dir);
  if (wanted(argc, argv, "scale"))
    bench_scale(dir, nofile);
  if (wanted(argc, argv, "cpu"))
    bench_cpu(dir, url, child);

  close(hold_fd);
  waitpid(child, &status, 0);
  remove_dir(dir);
  gt_scheduler_done();
  return bench_status(0);
}
