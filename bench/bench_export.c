/*
 * bench/bench_export.c: how fast a session becomes Chrome trace JSON.
 *
 * Builds a recorder of about a million events shaped like a real session
 * (two runs of 1000 genre tasks that queue, start, and wait on the network
 * and the disk over and over; a few fail with error text), then writes it to
 * a file in $TMPDIR (or /tmp) with gantty's exporter (gt_timeline_of +
 * gt_chrome_write) and with a plain fprintf writer that produces the very
 * same bytes from the same timeline (format 2: whole microseconds and the
 * ns past them as integers; the runs' start_us and end_us with "%.3f", or
 * in a second variant with integer arithmetic).  Each is timed from
 * fopen, through folding the timeline, to fclose, repetitions interleaved,
 * best kept; gt_chrome_export() is timed too.  The files are compared byte
 * for byte.  Usage: bench_export [events [keep]]; "keep" leaves the
 * files.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base.h"
#include "bench.h"
#include "chrome.h"
#include "export.h"
#include "timeline.h"
#include "recorder.h"

#define RUNS          2
#define TASKS         1000       /* per run */
#define EVENTS        1000000u   /* about this many in the session */
#define REPS          5
#define FAIL_EVERY    97         /* every 97th task fails */

#define BUDGET_MEV_S  5.0        /* M events/s */
#define BUDGET_X      1.5        /* times the fprintf writer */

/* The pseudo-random state, so every run builds the same session. */
static uint64_t rng = 88172645463325252u;

/* A pseudo-random number in [lo, hi). */
static uint64_t
rnd(uint64_t lo, uint64_t hi)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return lo + rng % (hi - lo);
}

/* Order events by time. */
static int
cmp_ts(const void *a, const void *b)
{
  const struct gt_event *x = a, *y = b;

  return x->ts_ns < y->ts_ns ? -1 : x->ts_ns > y->ts_ns;
}

/* Add one event to the growing array *ev. */
static void
push(struct gt_event **ev, size_t *n, size_t *cap, struct gt_event e)
{
  if (*n == *cap) {
    *cap = *cap ? *cap * 2 : 4096;
    *ev = gt_xrealloc(*ev, *cap * sizeof(**ev));
  }
  (*ev)[(*n)++] = e;
}

/* One run of the genre workload, cycles rounds of net and disk waits per
 * task, on workers threads; its events are appended in time order.  Returns
 * when the run ended. */
static uint64_t
build_run(struct gt_recorder *rec, const char *mode, uint32_t traits,
    int32_t workers, unsigned cycles, uint64_t start_ns)
{
  struct gt_run_info info = { .name = gt_recorder_intern(rec, mode),
      .workers = workers, .tasks = TASKS, .traits = traits };
  uint32_t get = gt_recorder_intern(rec, "GET /genre");
  uint32_t parse = gt_recorder_intern(rec, "parse genre");
  uint64_t *free_at = gt_xcalloc((size_t)workers, sizeof(*free_at));
  struct gt_event *ev = NULL;
  size_t n = 0, cap = 0;
  uint64_t t, end_ns = start_ns;
  uint32_t task, name, write, err;
  uint16_t run = gt_recorder_run_add(rec, &info);
  int32_t w, best;
  unsigned c;
  char buf[128];

  for (w = 0; w < workers; w++)
    free_at[w] = start_ns;
  for (task = 0; task < TASKS; task++) {
    snprintf(buf, sizeof(buf), "genre %" PRIu32, task);
    name = gt_recorder_intern(rec, buf);
    snprintf(buf, sizeof(buf), "write new_file%" PRIu32 ".txt", task);
    write = gt_recorder_intern(rec, buf);
    t = start_ns + rnd(0, 2000);
    push(&ev, &n, &cap, (struct gt_event){ .ts_ns = t, .task = task,
        .label = name, .worker = -1, .run = run, .kind = GT_EV_QUEUE });
    for (best = 0, w = 1; w < workers; w++)
      if (free_at[w] < free_at[best])
        best = w;
    t = (free_at[best] > t ? free_at[best] : t) + rnd(1000, 20000);
    push(&ev, &n, &cap, (struct gt_event){ .ts_ns = t, .task = task,
        .label = get, .worker = best, .run = run, .kind = GT_EV_START });
    for (c = 0; c < cycles; c++) {
      t += rnd(2000, 30000);
      push(&ev, &n, &cap, (struct gt_event){ .ts_ns = t, .task = task,
          .label = get, .worker = best, .run = run, .kind = GT_EV_WAIT,
          .reason = GT_R_NET });
      t += rnd(100000, 2000000);
      push(&ev, &n, &cap, (struct gt_event){ .ts_ns = t, .task = task,
          .label = parse, .worker = best, .run = run, .kind = GT_EV_RESUME });
      t += rnd(5000, 40000);
      push(&ev, &n, &cap, (struct gt_event){ .ts_ns = t, .task = task,
          .label = write, .worker = best, .run = run, .kind = GT_EV_WAIT,
          .reason = GT_R_DISK });
      t += rnd(20000, 300000);
      push(&ev, &n, &cap, (struct gt_event){ .ts_ns = t, .task = task,
          .label = c + 1 < cycles ? get : write, .worker = best, .run = run,
          .kind = GT_EV_RESUME });
    }
    t += rnd(1000, 10000);
    err = 0;
    if (task % FAIL_EVERY == FAIL_EVERY - 1) {
      /* Error text as executors record it: quotes, a tab, a URL. */
      snprintf(buf, sizeof(buf), "HTTP 503 from /genre?i=%" PRIu32
          ": \"server busy\"\tretry later", task);
      err = gt_recorder_intern(rec, buf);
    }
    push(&ev, &n, &cap, (struct gt_event){ .ts_ns = t, .task = task,
        .label = err, .worker = best, .run = run, .kind = GT_EV_FINISH,
        .status = task % FAIL_EVERY == FAIL_EVERY - 1 ? GT_EHTTP
            : task == TASKS / 2 ? GT_ETIMEOUT : 0 });
    free_at[best] = t;
    if (t > end_ns)
      end_ns = t;
  }
  qsort(ev, n, sizeof(*ev), cmp_ts);
  gt_recorder_run_start(rec, run, start_ns);
  gt_recorder_append_many(rec, ev, n);
  gt_recorder_run_end(rec, run, end_ns + 1000);
  free(ev);
  free(free_at);
  return end_ns + 1000;
}

/* Write s quoted, escaped the way gt_jsonw_str() does, a byte at a time. */
static void
fput_str(FILE *f, const char *s)
{
  unsigned char c;

  fputc('"', f);
  for (; (c = (unsigned char)*s) != '\0'; s++) {
    switch (c) {
    case '"':  fputs("\\\"", f); break;
    case '\\': fputs("\\\\", f); break;
    case '\n': fputs("\\n", f); break;
    case '\t': fputs("\\t", f); break;
    case '\r': fputs("\\r", f); break;
    default:
      if (c < 0x20)
        fprintf(f, "\\u%04x", c);
      else
        fputc(c, f);
    }
  }
  fputc('"', f);
}

/* ns as microseconds the way a C programmer would print them. */
static double
us(int64_t ns)
{
  return (double)ns / 1000.0;
}

/* Print ,"key":microseconds with "%.3f", or with integer arithmetic when
 * int_us (the session's times are never before t0). */
static void
fput_us(FILE *f, const char *key, int64_t ns, int int_us)
{
  if (int_us)
    fprintf(f, ",\"%s\":%" PRIu64 ".%03u", key, (uint64_t)ns / 1000,
        (unsigned)((uint64_t)ns % 1000));
  else
    fprintf(f, ",\"%s\":%.3f", key, us(ns));
}

/* The baseline: the same document as gt_chrome_write(), with fprintf;
 * int_us prints the runs' start_us and end_us without floating point (the
 * events' times are integers either way). */
static int
fprintf_write(const struct gt_timeline *tl, FILE *f, int int_us)
{
  struct gt_recorder *rec = gt_timeline_recorder(tl);
  static const char meta[] =
      "{\"ph\":\"M\",\"cat\":\"__metadata\",\"ts\":0,\"name\":\"%s\","
      "\"pid\":%u,\"tid\":%" PRIu64;
  uint64_t t0 = gt_recorder_t0(rec), tid, ts, te;
  struct gt_run_info ri;
  char traits[128];
  const struct gt_tl_lane *l;
  struct gt_interval one, *iv = &one;
  uint16_t r, nruns = gt_recorder_runs(rec);
  unsigned pid;
  size_t i, k, lr;

  fputs("{\"traceEvents\":[\n", f);
  for (r = 0; r < nruns; r++) {
    gt_recorder_run_get(rec, r, &ri);
    fprintf(f, meta, "process_name", r + 1u, (uint64_t)0);
    fputs(",\"args\":{\"name\":", f);
    fput_str(f, gt_recorder_string(rec, ri.name));
    fprintf(f, ",\"workers\":%" PRId32 ",\"tasks\":%" PRIu32, ri.workers,
        ri.tasks);
    gt_mode_traits_format(ri.traits, traits, sizeof(traits));
    fprintf(f, ",\"traits\":\"%s\"", traits);
    if (ri.start_ns != 0)
      fput_us(f, "start_us", (int64_t)(ri.start_ns - t0), int_us);
    if (ri.end_ns != 0)
      fput_us(f, "end_us", (int64_t)(ri.end_ns - t0), int_us);
    fputs("}},\n", f);
    fprintf(f, meta, "process_sort_index", r + 1u, (uint64_t)0);
    fprintf(f, ",\"args\":{\"sort_index\":%u}},\n", (unsigned)r);
  }
  for (lr = 0; lr < gt_timeline_runs(tl); lr++)
  for (i = 0; i < gt_timeline_run(tl, lr)->ntask_lanes; i++) {
    l = gt_timeline_task_lane(tl, lr, i);
    pid = l->run + 1u;
    tid = (uint64_t)l->key + 1;
    fprintf(f, meta, "thread_name", pid, tid);
    fputs(",\"args\":{\"name\":", f);
    if (l->qname != 0)
      fput_str(f, gt_recorder_string(rec, l->qname));
    else
      fprintf(f, "\"task %" PRIu32 "\"", l->key);
    fputs("}},\n", f);
    fprintf(f, meta, "thread_sort_index", pid, tid);
    fprintf(f, ",\"args\":{\"sort_index\":%" PRIu32 "}},\n", l->key);
    for (k = 0; gt_timeline_next_interval(tl, l, &k, iv); ) {
      ts = iv->start_ns - t0;
      te = iv->end_ns - t0;
      /* a state inside one microsecond is an instant (format 2) */
      fprintf(f, ts / 1000 == te / 1000
          ? "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"%s\",\"name\":"
          : "{\"ph\":\"X\",\"cat\":\"%s\",\"name\":",
          gt_state_name(iv->state));
      fput_str(f, gt_recorder_string(rec, iv->label));
      fprintf(f, ",\"ts\":%" PRIu64, ts / 1000);
      if (ts / 1000 != te / 1000)
        fprintf(f, ",\"dur\":%" PRIu64, te / 1000 - ts / 1000);
      fprintf(f, ",\"ts_sub_ns\":%u,\"end_sub_ns\":%u,\"pid\":%u,\"tid\":%"
          PRIu64 ",\"args\":{\"task\":%" PRIu32 ",\"worker\":%" PRId32,
          (unsigned)(ts % 1000), (unsigned)(te % 1000), pid, tid, l->key,
          iv->worker);
      if (iv->state == GT_S_WAITING)
        fprintf(f, ",\"reason\":\"%s\"", gt_reason_name(iv->reason));
      fputs("}},\n", f);
    }
    if (l->finished) {
      fprintf(f, "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"finish\",\"name\":%s",
          l->status == 0 ? "\"done\"" : "\"failed\"");
      ts = l->finish_ns - t0;
      fprintf(f, ",\"ts\":%" PRIu64 ",\"ts_sub_ns\":%u", ts / 1000,
          (unsigned)(ts % 1000));
      fprintf(f, ",\"pid\":%u,\"tid\":%" PRIu64 ",\"args\":{\"task\":%"
          PRIu32 ",\"status\":%" PRId32, pid, tid, l->key, l->status);
      if (l->status != 0) {
        fputs(",\"error\":", f);
        fput_str(f, l->error != 0 ? gt_recorder_string(rec, l->error)
            : gt_strerror(l->status));
      }
      fputs("}},\n", f);
    }
  }
  fprintf(f, "{\"ph\":\"M\",\"cat\":\"__metadata\",\"ts\":0,"
      "\"name\":\"gantty\",\"pid\":0,\"tid\":0,\"args\":{\"t0_ns\":%" PRIu64
      ",\"format\":2}}\n],\"displayTimeUnit\":\"ms\"}\n", t0);
  return ferror(f) ? -1 : 0;
}

/* Which writer export_once() uses. */
enum writer { W_GANTTY, W_FPRINTF, W_FPRINTF_INT };

/* The timings of one export. */
struct timing {
  double lanes_s;                /* fopen and folding the timeline */
  double write_s;                /* writing and fclose */
  double total_s;                /* fopen to fclose, the fold included */
};

/* Keep in *best the smaller of each of its figures and t's. */
static void
keep_best(struct timing *best, struct timing t)
{
  if (t.lanes_s < best->lanes_s)
    best->lanes_s = t.lanes_s;
  if (t.write_s < best->write_s)
    best->write_s = t.write_s;
  if (t.total_s < best->total_s)
    best->total_s = t.total_s;
}

/* Export rec to path with writer w; exits on an I/O error. */
static struct timing
export_once(struct gt_recorder *rec, enum writer w, const char *path)
{
  struct gt_timeline *tl;
  struct timing t;
  uint64_t t0, t1;
  FILE *f;
  int rc;

  unlink(path);  /* so that freeing the old file's pages is not timed */
  t0 = gt_now_ns();
  f = fopen(path, "w");
  if (f == NULL) {
    perror(path);
    exit(1);
  }
  tl = gt_timeline_of(rec);
  t1 = gt_now_ns();
  rc = w == W_GANTTY ? gt_chrome_write(tl, f)
      : fprintf_write(tl, f, w == W_FPRINTF_INT);
  if (fclose(f) != 0 || rc != 0) {
    perror(path);
    exit(1);
  }
  t.total_s = (double)(gt_now_ns() - t0) / 1e9;
  t.lanes_s = (double)(t1 - t0) / 1e9;
  t.write_s = t.total_s - t.lanes_s;
  gt_timeline_free(tl);
  return t;
}

/* The size of the file at path, comparing it with other byte for byte;
 * exits when they differ. */
static long
compare_files(const char *path, const char *other)
{
  static char a[1 << 16], b[1 << 16];
  FILE *fa = fopen(path, "rb"), *fb = fopen(other, "rb");
  size_t na, nb;
  long size = 0;

  if (fa == NULL || fb == NULL) {
    perror("bench_export: reopen");
    exit(1);
  }
  do {
    na = fread(a, 1, sizeof(a), fa);
    nb = fread(b, 1, sizeof(b), fb);
    if (na != nb || memcmp(a, b, na) != 0) {
      fprintf(stderr, "bench_export: %s and %s differ near byte %ld\n",
          path, other, size);
      exit(1);
    }
    size += (long)na;
  } while (na > 0);
  fclose(fa);
  fclose(fb);
  return size;
}

/* Build the session, export it every way, and print the figures. */
int
main(int argc, char **argv)
{
  static const char *const suffix[] = { "", "-fprintf", "-fprintf-int",
      "-api" };
  const char *dir = getenv("TMPDIR");
  unsigned long target = argc > 1 ? strtoul(argv[1], NULL, 10) : EVENTS;
  int keep = argc > 2 && strcmp(argv[2], "keep") == 0;
  struct gt_recorder *rec = gt_recorder_new();
  struct timing g = { 1e300, 1e300, 1e300 }, p = g, pi = g;
  double api_s = 1e300, events, mb, secs;
  char path[4][4096];
  char *cause = NULL;
  unsigned cycles;
  uint64_t t0, end_ns;
  long size;
  int rep, i;

  if (dir == NULL || dir[0] == '\0')
    dir = "/tmp";
  for (i = 0; i < 4; i++)
    snprintf(path[i], sizeof(path[i]), "%s/gantty-bench-%ld%s.json", dir,
        (long)getpid(), suffix[i]);

  /* Events per task: queue, start, 4 per cycle, finish. */
  cycles = target / (RUNS * TASKS) > 7
      ? (unsigned)((target / (RUNS * TASKS) - 3) / 4) : 1;
  end_ns = build_run(rec, "threads", GT_MODE_WORKERS | GT_MODE_GIL, 8, cycles,
      gt_recorder_t0(rec) + 1000000);
  build_run(rec, "sync", GT_MODE_BASELINE, 1, cycles, end_ns + 1000000);
  events = (double)gt_recorder_count(rec);

  for (rep = 0; rep < REPS; rep++) {
    keep_best(&g, export_once(rec, W_GANTTY, path[0]));
    keep_best(&p, export_once(rec, W_FPRINTF, path[1]));
    keep_best(&pi, export_once(rec, W_FPRINTF_INT, path[2]));
    /* The public entry point: temporary file, rename, fold inside. */
    unlink(path[3]);
    t0 = gt_now_ns();
    if (gt_chrome_export(rec, path[3], &cause) != 0) {
      fprintf(stderr, "bench_export: %s\n", cause);
      return 1;
    }
    secs = (double)(gt_now_ns() - t0) / 1e9;
    if (secs < api_s)
      api_s = secs;
  }
  for (i = 1; i < 4; i++)
    size = compare_files(path[0], path[i]);
  mb = (double)size / 1e6;

  printf("bench: session = %.0f events, %d runs x %d tasks, %u cycles; "
      "file %s\n", events, RUNS, TASKS, cycles, path[0]);
  printf("bench: both fprintf writers wrote the same bytes as gantty\n");
  bench_report("export_file_size", mb, "MB");
  bench_report("export_ms", g.total_s * 1e3, "ms");
  bench_report("fprintf_ms", p.total_s * 1e3, "ms");
  bench_report("fprintf_int_ms", pi.total_s * 1e3, "ms");
  bench_report("timeline_build_ms", g.lanes_s * 1e3, "ms");
  bench_report("export_mev_s", events / g.total_s / 1e6, "M events/s");
  bench_report("export_mb_s", mb / g.total_s, "MB/s");
  bench_report("fprintf_mev_s", events / p.total_s / 1e6, "M events/s");
  bench_report("fprintf_mb_s", mb / p.total_s, "MB/s");
  bench_report("fprintf_int_mev_s", events / pi.total_s / 1e6, "M events/s");
  bench_report("export_vs_fprintf", p.total_s / g.total_s, "x");
  bench_report("export_vs_fprintf_int", pi.total_s / g.total_s, "x");
  bench_report("export_write_only_vs_fprintf", p.write_s / g.write_s, "x");
  bench_report("export_api_mev_s", events / api_s / 1e6, "M events/s");
  bench_verdict("export_mev_s", events / g.total_s / 1e6 >= BUDGET_MEV_S);
  bench_verdict("export_vs_fprintf", p.total_s >= BUDGET_X * g.total_s);

  /* CSV and SVG through their public entry points (fold inside); no
   * budget of their own, figures for docs/PERFORMANCE.md */
  {
    const char *ext[2] = { "csv", "svg" };
    double best[2] = { 1e30, 1e30 };
    char *other;
    int k;

    for (rep = 0; rep < REPS; rep++)
      for (k = 0; k < 2; k++) {
        other = gt_xasprintf("%s.%s", path[3], ext[k]);
        t0 = gt_now_ns();
        if ((k == 0 ? gt_csv_export(rec, other, &cause)
            : gt_svg_export(rec, other, &cause)) != 0) {
          fprintf(stderr, "bench_export: %s\n", cause);
          return 1;
        }
        secs = (double)(gt_now_ns() - t0) / 1e9;
        if (secs < best[k])
          best[k] = secs;
        unlink(other);
        free(other);
      }
    bench_report("csv_export_ms", best[0] * 1e3, "ms");
    bench_report("csv_export_mev_s", events / best[0] / 1e6, "M events/s");
    bench_report("svg_export_ms", best[1] * 1e3, "ms");
  }

  for (i = 0; i < 4 && !keep; i++)
    unlink(path[i]);
  free(cause);
  gt_recorder_free(rec);
  return bench_status(0);
}
