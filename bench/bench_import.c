/*
 * bench/bench_import.c: reading Chrome JSON, and replaying a big trace
 * (issues 7 and 14).
 *
 * Four files are written to $TMPDIR, each of about 1 000 000 events:
 *   own      gantty's own export of a session (4 runs of 250 tasks that
 *            each wait and run 500 times; about 150 MB);
 *   x        another tool's X file: 4 processes of 4 threads, slices
 *            nested three deep with names, cats and a small args object,
 *            each written when it completes (children before parents, as
 *            Chrome and clang write them), threads interleaved, times in
 *            whole microseconds; about 100 bytes an event;
 *   be       the same slices as B/E pairs in time order;
 *   (gzip: helper B's bench/bench_gzip.c measures the gzip-compressed x
 *    file; GZIP_HOOK below is where a .json.gz would join this list)
 *   empty    one X event: the baseline of the memory figures.
 * They are written by a child process, and the children that measure
 * memory run before this process reads anything: a child's ru_maxrss
 * counts the pages of the parent it was forked from.
 * Then, interleaved over REPS rounds (the machine is shared: every round
 * measures every file and reader once, and the figures are the median and
 * the range over the rounds):
 *   - gt_chrome_import() of each file, in this process: MB/s;
 *   - python3's json.load and node's JSON.parse of the same file, the
 *     baselines, when python3 or node is on PATH (else skipped, and said);
 *   - the peak memory of `gantty replay FILE --headless` (a child; its
 *     ru_maxrss from wait4), minus the empty file's: bytes per event;
 *   - the first frame of the real live view: `gantty replay FILE` run
 *     under a pseudo-terminal (forkpty, 200 x 50), timed from just before
 *     the fork to its first picture (the title line that opens a frame;
 *     the view opens while the file is read, saying so) and to the first
 *     frame with the session in it (the title's lane count); then "."
 *     (to the end: the view holds the whole session, as at the end of
 *     any replay played through) and "q": its peak memory as well.
 *     The budget is on the first picture; the data frame is printed
 *     beside it.
 * The binary is the build's (GANTTY_BIN, set by bench/CMakeLists.txt), or
 * $GT_BENCH_GANTTY: a copy of an older build, to measure before and after
 * by turns.
 * `bench_import --files DIR` writes the files to DIR and exits: for
 * profiling by hand (docs/PERFORMANCE.md).
 * Prints "bench: NAME = VALUE UNIT" lines; docs/PERFORMANCE.md records
 * them.  A missed budget exits 0; a benchmark that cannot run exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "base.h"
#include "bench.h"
#include "chrome.h"
#include "recorder.h"
#include "session_1m.h"

#ifndef GANTTY_BIN
#define GANTTY_BIN "gantty"
#endif

#define FOREIGN_EVENTS 1000000u
#define PIDS        4u
#define TIDS        4u        /* threads a process */
#define REPS        3         /* interleaved rounds */
#define FRAME_REPS  3
#define FRAME_TIMEOUT_S 60.0
#define BUDGET_MB_S 200.0
#define BUDGET_PY_X 5.0
#define BUDGET_BYTES_EVENT 100.0
#define BUDGET_FIRST_FRAME_MS 1000.0

/* The files measured: their name in the figures, path, size, events. */
enum { F_OWN, F_X, F_BE, F_EMPTY, NFILES };
static const char *const file_name[NFILES] = { "own", "x", "be", "empty" };
static char path[NFILES][4096];
static double file_mb[NFILES];
static uint64_t file_events[NFILES];
static const char *gantty_bin = GANTTY_BIN;  /* or $GT_BENCH_GANTTY */

/* Names and cats as a browser's or a compiler's trace has them. */
static const char *const slice_name[] = { "RunTask", "Layout", "Paint",
    "V8.Execute", "ParseHTML", "Commit", "FunctionCall", "DoWork" };
static const char *const slice_cat[] = { "toplevel", "blink", "v8", "cc",
    "gpu" };

/* One slice of the foreign files: where it is and what it says. */
struct slice {
  uint64_t ts_ns, dur_ns;
  unsigned pid, tid, name, cat, n, depth;
};

/* Whole microseconds, as Chrome writes them. */
static int
us_text(char *buf, size_t len, uint64_t ns)
{
  return snprintf(buf, len, "%llu", (unsigned long long)(ns / 1000));
}

/* Write one slice as an X, or as its B or its E. */
static void
write_slice(FILE *f, const struct slice *s, char ph, int *first)
{
  char ts[32], dur[32];

  us_text(ts, sizeof(ts), ph == 'E' ? s->ts_ns + s->dur_ns : s->ts_ns);
  fputs(*first ? "\n" : ",\n", f);
  *first = 0;
  if (ph == 'E') {
    fprintf(f, "{\"pid\":%u,\"tid\":%u,\"ts\":%s,\"ph\":\"E\"}", s->pid,
        s->tid, ts);
    return;
  }
  fprintf(f, "{\"pid\":%u,\"tid\":%u,\"ts\":%s,\"ph\":\"%c\",\"cat\":\"%s\","
      "\"name\":\"%s\"", s->pid, s->tid, ts, ph, slice_cat[s->cat],
      slice_name[s->name]);
  if (ph == 'X') {
    us_text(dur, sizeof(dur), s->dur_ns);
    fprintf(f, ",\"dur\":%s", dur);
  }
  fprintf(f, ",\"args\":{\"n\":%u}}", s->n);
}

/* The slices of one top-level task of a thread, starting at ts: a parent,
 * three children, two grandchildren each (one of them of zero length now
 * and then), into out in start order; returns how many (10). */
static size_t
task_slices(unsigned pid, unsigned tid, uint64_t ts, unsigned k,
    struct slice *out)
{
  size_t n = 0;
  unsigned c, g;
  uint64_t cts, gts;

  out[n++] = (struct slice){ ts, 90000, pid, tid, 0, 0, k, 0 };
  for (c = 0, cts = ts + 1000; c < 3; c++, cts += 29000) {
    out[n++] = (struct slice){ cts, 27000, pid, tid, 1 + (k + c) % 7,
        1 + c % 4, c, 1 };
    for (g = 0, gts = cts + 500; g < 2; g++, gts += 13000)
      out[n++] = (struct slice){ gts, (k + g) % 97 == 0 ? 0 : 12000 - g * 7,
          pid, tid, (k + c + g) % 8, (c + g) % 5, g, 2 };
  }
  return n;
}

/* The foreign file: X slices written as they complete (children before
 * their parent), or B/E pairs in time order; threads interleaved task by
 * task.  Returns the events written, 0 on a write error. */
static uint64_t
write_foreign(const char *p, int be, uint64_t events)
{
  FILE *f = fopen(p, "w");
  struct slice s[10];
  uint64_t written = 0;
  unsigned k, pid, tid;
  int first = 1;
  size_t n, i;

  if (f == NULL)
    return 0;
  fputs("{\"traceEvents\":[", f);
  fprintf(f, "\n{\"pid\":1,\"tid\":0,\"ts\":0,\"ph\":\"M\",\"name\":"
      "\"process_name\",\"args\":{\"name\":\"Browser\"}}");
  first = 0;
  for (k = 0; written < events; k++)
    for (pid = 1; pid <= PIDS; pid++)
      for (tid = 1; tid <= TIDS; tid++) {
        n = task_slices(pid, 10 + tid,
            3000000000000ull + (uint64_t)k * 100000 + tid * 3001 + pid * 17,
            k, s);
        if (!be) {
          /* completion order: grandchildren, their child, ..., parent */
          static const int order[10] = { 2, 3, 1, 5, 6, 4, 8, 9, 7, 0 };

          for (i = 0; i < n; i++)
            write_slice(f, &s[order[i]], 'X', &first);
          written += n;
        } else {
          for (i = 0; i < n; i++) {
            write_slice(f, &s[i], 'B', &first);
            if (s[i].depth == 2)
              write_slice(f, &s[i], 'E', &first);
            if (s[i].depth == 2 && i % 3 == 0)  /* a child's last */
              write_slice(f, &s[i - 2], 'E', &first);
          }
          write_slice(f, &s[0], 'E', &first);
          written += 2 * n;
        }
      }
  fputs("\n],\"displayTimeUnit\":\"ms\"}\n", f);
  if (fclose(f) != 0)
    return 0;
  return written + 1;
}

/* The one-event file of the baselines. */
static int
write_empty(const char *p)
{
  FILE *f = fopen(p, "w");

  if (f == NULL)
    return -1;
  fputs("[{\"pid\":1,\"tid\":1,\"ts\":0,\"dur\":1,\"ph\":\"X\",\"name\":"
      "\"a\"}]\n", f);
  return fclose(f);
}

/* Seconds since an earlier gt_now_ns(). */
static double
since(uint64_t t)
{
  return (double)(gt_now_ns() - t) / 1e9;
}

/* Run argv (stdout and stderr to /dev/null); its seconds, and its peak
 * resident bytes into *rss when not NULL; < 0 when it failed or is not
 * there. */
static double
child_s(char *const argv[], uint64_t *rss)
{
  struct rusage ru;
  uint64_t t = gt_now_ns();
  int st, fd;
  pid_t pid = fork();

  if (pid < 0)
    return -1;
  if (pid == 0) {
    fd = open("/dev/null", O_WRONLY);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
    }
    execvp(argv[0], argv);
    _exit(127);
  }
  if (wait4(pid, &st, 0, &ru) != pid || !WIFEXITED(st)
      || WEXITSTATUS(st) != 0)
    return -1;
  if (rss != NULL)
    *rss = (uint64_t)ru.ru_maxrss * 1024u;
  return since(t);
}

/* 1 when the program is on PATH (it runs with --version). */
static int
have(const char *prog)
{
  char *argv[] = { (char *)prog, "--version", NULL };

  return child_s(argv, NULL) >= 0;
}

/* The live view of p under a 200 x 50 pseudo-terminal, timed from just
 * before the fork: *pic to its first picture (the first read that brings
 * the title, " gantty  ": a frame is one doupdate() that starts with its
 * title line, so the rest follows in the same burst) and
 * *data to the first frame with the session in it (the title's lane
 * count, "N lanes", drawn once the file is read); its peak resident bytes
 * into *rss, once played to its end ("." until it says "the end", then
 * "q").  Returns 0, or -1 when either frame did not come. */
static int
first_frame_s(const char *p, double *pic, double *data, uint64_t *rss)
{
  struct winsize ws = { .ws_row = 50, .ws_col = 200 };
  struct rusage ru;
  char buf[65536], tail[16] = "";
  uint64_t t = gt_now_ns();
  int master, st = 0, waited = 0;
  pid_t pid = forkpty(&master, NULL, NULL, &ws);

  *pic = *data = -1;
  if (pid < 0)
    return -1;
  if (pid == 0) {
    setenv("TERM", "xterm-256color", 1);
    execl(gantty_bin, gantty_bin, "replay", p, "--quiet", (char *)NULL);
    _exit(127);
  }
  while (*data < 0 && since(t) < FRAME_TIMEOUT_S) {
    struct pollfd pfd = { .fd = master, .events = POLLIN };
    char both[sizeof(tail) + sizeof(buf) + 1];
    size_t len;
    ssize_t n;

    if (poll(&pfd, 1, 100) <= 0)
      continue;
    n = read(master, buf, sizeof(buf));
    if (n <= 0)
      break;
    /* the words may straddle two reads: keep the last few bytes */
    memcpy(both, tail, strlen(tail));
    memcpy(both + strlen(tail), buf, (size_t)n);
    len = strlen(tail) + (size_t)n;
    if (*pic < 0 && memmem(both, len, " gantty  ", 9) != NULL)
      *pic = since(t);
    if (memmem(both, len, " lanes", 6) != NULL
        || memmem(both, len, " lane ", 6) != NULL)
      *data = since(t);
    len = len > 8 ? 8 : len;
    memcpy(tail, both + (strlen(tail) + (size_t)n - len), len);
    tail[len] = '\0';
  }
  /* to the end ("."), so that the view holds the whole session, as a
   * replay played through does; then "q" once it says so */
  if (*data >= 0 && write(master, ".", 1) == 1) {
    double at = since(t);

    tail[0] = '\0';
    while (since(t) - at < FRAME_TIMEOUT_S) {
      struct pollfd pfd = { .fd = master, .events = POLLIN };
      char both[sizeof(tail) + sizeof(buf) + 1];
      size_t len;
      ssize_t n;

      if (poll(&pfd, 1, 100) <= 0)
        continue;
      if ((n = read(master, buf, sizeof(buf))) <= 0)
        break;
      memcpy(both, tail, strlen(tail));
      memcpy(both + strlen(tail), buf, (size_t)n);
      len = strlen(tail) + (size_t)n;
      if (memmem(both, len, "the end", 7) != NULL)
        break;
      len = len > 8 ? 8 : len;
      memcpy(tail, both + (strlen(tail) + (size_t)n - len), len);
      tail[len] = '\0';
    }
  }
  if (write(master, "q", 1) != 1 || *data < 0)
    kill(pid, SIGTERM);
  /* drain until it exits, so that it never blocks on a full terminal */
  while (!waited) {
    struct pollfd pfd = { .fd = master, .events = POLLIN };

    if (wait4(pid, &st, WNOHANG, &ru) == pid)
      waited = 1;
    else if (poll(&pfd, 1, 100) > 0 && read(master, buf, sizeof(buf)) <= 0)
      waited = wait4(pid, &st, 0, &ru) == pid ? 1 : -1;
  }
  close(master);
  *rss = waited == 1 ? (uint64_t)ru.ru_maxrss * 1024u : 0;
  return *pic >= 0 && *data >= 0 ? 0 : -1;
}

/* Sort a few doubles. */
static int
cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

/* Print NAME (median), NAME_min and NAME_max of n samples. */
static double
report_spread(const char *name, double *v, int n, const char *unit)
{
  char nm[128];
  double med;

  qsort(v, (size_t)n, sizeof(*v), cmp_double);
  med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  bench_report(name, med, unit);
  snprintf(nm, sizeof(nm), "%s_min", name);
  bench_report(nm, v[0], unit);
  snprintf(nm, sizeof(nm), "%s_max", name);
  bench_report(nm, v[n - 1], unit);
  return med;
}

/* Write the files (in this process); 0, or -1 with a message. */
static int
write_files(void)
{
  struct gt_recorder *rec;
  char *cause = NULL;

  rec = make_session();
  file_events[F_OWN] = gt_recorder_count(rec);
  if (gt_chrome_export(rec, path[F_OWN], &cause) != 0) {
    fprintf(stderr, "bench_import: %s\n", cause ? cause : path[F_OWN]);
    return -1;
  }
  gt_recorder_free(rec);
  file_events[F_X] = write_foreign(path[F_X], 0, FOREIGN_EVENTS);
  file_events[F_BE] = write_foreign(path[F_BE], 1, FOREIGN_EVENTS);
  file_events[F_EMPTY] = 1;
  /* GZIP_HOOK: helper B's gzip case (bench/bench_gzip.c) reads a gzip of
   * path[F_X]; were it measured here, it would be one more file. */
  if (file_events[F_X] == 0 || file_events[F_BE] == 0
      || write_empty(path[F_EMPTY]) != 0) {
    fprintf(stderr, "bench_import: cannot write the files\n");
    return -1;
  }
  return 0;
}

/* Write the files in dir from a child process, so that this one stays
 * small: a child's peak memory (ru_maxrss) counts the parent's pages it
 * was forked with, and the memory figures are of children.  0, or -1. */
static int
make_files(const char *dir)
{
  struct stat sb;
  int i, fds[2], st;
  pid_t pid;

  for (i = 0; i < NFILES; i++)
    snprintf(path[i], sizeof(path[i]), "%s/bench_import.%d.%s.json", dir,
        (int)getpid(), file_name[i]);
  if (pipe(fds) != 0 || (pid = fork()) < 0)
    return -1;
  if (pid == 0) {
    close(fds[0]);
    if (write_files() != 0 || write(fds[1], file_events,
        sizeof(file_events)) != (ssize_t)sizeof(file_events))
      _exit(1);
    _exit(0);
  }
  close(fds[1]);
  i = read(fds[0], file_events, sizeof(file_events))
      == (ssize_t)sizeof(file_events);
  close(fds[0]);
  if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0
      || !i)
    return -1;
  for (i = 0; i < NFILES; i++) {
    if (stat(path[i], &sb) != 0)
      return -1;
    file_mb[i] = (double)sb.st_size / 1e6;
  }
  return 0;
}

/* Remove the files. */
static void
remove_files(void)
{
  int i;

  for (i = 0; i < NFILES; i++)
    unlink(path[i]);
}

int
main(int argc, char **argv)
{
  const char *tmp = getenv("TMPDIR");
  char *cause = NULL, nm[128];
  struct gt_recorder *back;
  struct gt_import_report rep;
  double imp[NFILES - 1][REPS], py[NFILES - 1][REPS], js[NFILES - 1][REPS];
  double frame[2][FRAME_REPS], dframe[2][FRAME_REPS], med_imp[NFILES - 1];
  double med_py[NFILES - 1];
  double per_event[NFILES - 1], s, med_frame[2];
  uint64_t rss[NFILES], live_rss[2] = { 0, 0 }, r;
  int f, k, has_py, has_node;

  if (getenv("GT_BENCH_GANTTY") != NULL && getenv("GT_BENCH_GANTTY")[0])
    gantty_bin = getenv("GT_BENCH_GANTTY");
  if (argc == 3 && strcmp(argv[1], "--files") == 0) {
    if (make_files(argv[2]) != 0)
      return 1;
    for (f = 0; f < NFILES; f++)
      printf("%s: %s, %.1f MB, %llu events\n", file_name[f], path[f],
          file_mb[f], (unsigned long long)file_events[f]);
    return 0;
  }
  if (make_files(tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp") != 0)
    return 1;
  has_py = have("python3");
  has_node = have("node");
  for (f = 0; f < NFILES; f++)
    printf("bench: import: %s: %.1f MB, %llu events, %.1f bytes an event\n",
        file_name[f], file_mb[f], (unsigned long long)file_events[f],
        file_mb[f] * 1e6 / (double)file_events[f]);
  printf("bench: import: %s; %d rounds, interleaved; python3 %s, node "
      "%s\n", gantty_bin, REPS, has_py ? "present" : "absent: skipped",
      has_node ? "present" : "absent: skipped");
  fflush(stdout);
  /* memory: a whole headless replay of each, the empty one first */
  for (f = NFILES - 1; f >= 0; f--) {
    char *rv[] = { (char *)gantty_bin, "replay", path[f], "--headless",
        "--quiet", NULL };

    if (child_s(rv, &rss[f]) < 0) {
      fprintf(stderr, "bench_import: %s replay %s --headless failed\n",
          gantty_bin, path[f]);
      remove_files();
      return 1;
    }
  }
  /* the first frame of the live view: own and x files, interleaved; the
   * live view's peak memory is the largest of its runs' */
  for (k = 0; k < FRAME_REPS; k++)
    for (f = 0; f < 2; f++) {
      if (first_frame_s(path[f == 0 ? F_OWN : F_X], &frame[f][k],
          &dframe[f][k], &r) != 0) {
        fprintf(stderr, "bench_import: no first frame of %s in %.0f s\n",
            path[f == 0 ? F_OWN : F_X], FRAME_TIMEOUT_S);
        remove_files();
        return 1;
      }
      frame[f][k] *= 1e3;
      dframe[f][k] *= 1e3;
      if (r > live_rss[f])
        live_rss[f] = r;
    }
  /* the readers, interleaved: every round reads every file once each */
  for (k = 0; k < REPS; k++)
    for (f = 0; f < F_EMPTY; f++) {
      char *pyv[] = { "python3", "-c", "import json,sys; "
          "json.load(open(sys.argv[1]))", path[f], NULL };
      char *jsv[] = { "node", "-e", "JSON.parse(require('fs')."
          "readFileSync(process.argv[1], 'utf8'))", path[f], NULL };

      back = gt_recorder_new();
      r = gt_now_ns();
      if (gt_chrome_import(back, path[f], &rep, NULL, NULL, &cause) != 0) {
        fprintf(stderr, "bench_import: %s\n", cause);
        remove_files();
        return 1;
      }
      imp[f][k] = file_mb[f] / since(r);
      gt_recorder_free(back);
      if (has_py) {
        s = child_s(pyv, NULL);
        py[f][k] = s > 0 ? file_mb[f] / s : 0;
      }
      if (has_node) {
        s = child_s(jsv, NULL);
        js[f][k] = s > 0 ? file_mb[f] / s : 0;
      }
    }
  remove_files();
  for (f = 0; f < F_EMPTY; f++) {
    snprintf(nm, sizeof(nm), "import_%s_mb_s", file_name[f]);
    med_imp[f] = report_spread(nm, imp[f], REPS, "MB/s");
    if (has_py) {
      snprintf(nm, sizeof(nm), "python_json_load_%s_mb_s", file_name[f]);
      med_py[f] = report_spread(nm, py[f], REPS, "MB/s");
      snprintf(nm, sizeof(nm), "import_%s_vs_python", file_name[f]);
      bench_report(nm, med_imp[f] / med_py[f], "x");
    }
    if (has_node) {
      snprintf(nm, sizeof(nm), "node_json_parse_%s_mb_s", file_name[f]);
      s = report_spread(nm, js[f], REPS, "MB/s");
      snprintf(nm, sizeof(nm), "import_%s_vs_node", file_name[f]);
      bench_report(nm, med_imp[f] / s, "x");
    }
  }
  bench_report("replay_empty_peak_mb", (double)rss[F_EMPTY] / 1e6, "MB");
  for (f = 0; f < F_EMPTY; f++) {
    snprintf(nm, sizeof(nm), "replay_%s_peak_mb", file_name[f]);
    bench_report(nm, (double)rss[f] / 1e6, "MB");
    per_event[f] = ((double)rss[f] - (double)rss[F_EMPTY])
        / (double)file_events[f];
    snprintf(nm, sizeof(nm), "replay_%s_bytes_per_event", file_name[f]);
    bench_report(nm, per_event[f], "B");
  }
  for (f = 0; f < 2; f++) {
    snprintf(nm, sizeof(nm), "first_frame_%s_ms", f == 0 ? "own" : "x");
    med_frame[f] = report_spread(nm, frame[f], FRAME_REPS, "ms");
    snprintf(nm, sizeof(nm), "first_data_frame_%s_ms", f == 0 ? "own"
        : "x");
    report_spread(nm, dframe[f], FRAME_REPS, "ms");
    snprintf(nm, sizeof(nm), "live_replay_%s_bytes_per_event",
        f == 0 ? "own" : "x");
    bench_report(nm, ((double)live_rss[f] - (double)rss[F_EMPTY])
        / (double)file_events[f == 0 ? F_OWN : F_X], "B");
  }
  for (f = 0; f < F_EMPTY; f++) {
    snprintf(nm, sizeof(nm), "import_%s_mb_s", file_name[f]);
    bench_verdict(nm, med_imp[f] >= BUDGET_MB_S);
  }
  if (has_py) {
    bench_verdict("import_own_vs_python",
        med_imp[F_OWN] / med_py[F_OWN] >= BUDGET_PY_X);
  }
  for (f = 0; f < F_EMPTY; f++) {
    snprintf(nm, sizeof(nm), "replay_%s_bytes_per_event", file_name[f]);
    bench_verdict(nm, per_event[f] <= BUDGET_BYTES_EVENT);
  }
  bench_verdict("first_frame_own", med_frame[0] <= BUDGET_FIRST_FRAME_MS);
  bench_verdict("first_frame_x", med_frame[1] <= BUDGET_FIRST_FRAME_MS);
  return bench_status(0);
}
