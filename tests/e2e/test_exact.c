/*
 * tests/e2e/test_exact.c: gantty's Chrome JSON read with the arithmetic of
 * the tools that open it (issue 14 item 11).
 *
 * The real binary runs every workload (genre, pow, scrape, and --spec
 * examples from docs/examples) under every mode (sync, threads, async,
 * procs, hybrid) with the embedded demo server, small enough to take
 * seconds, and writes its trace.  The trace is then read as the readers
 * read it, not as gantty does:
 *
 *   - JSON.parse turns every number into a binary double: here each "ts"
 *     and "dur" is strtod() of the number's own text in the file (yajl's
 *     raw text), never gantty's integers.
 *   - DevTools' trace engine (RendererHandler: sortTraceEventsInPlace,
 *     then TreeHelpers.treify) sorts a thread's events by ts, the longer
 *     first at one ts, and keeps a stack: an event whose ts is at or
 *     after the top's ts + dur pops it; one that starts inside the top
 *     and ends after it (ts + dur > the top's ts + dur, all in doubles) is
 *     left out of the tree, and one inside it becomes its child.
 *   - speedscope (src/import/trace-event.ts) sorts a thread's X events the
 *     same way and makes each a B at ts and an E at ts + dur, a double
 *     sum, and merges the B and E queues by time; at one time an E comes
 *     before a B of another frame.  A zero-length X's E so comes before
 *     its own B (and is dropped on an empty stack), and its B then opens
 *     inside the next slice of that ts and never closes.
 *
 * So, per (pid, tid) in file order: every state slice (an X, or an "i" of
 * a state's cat: a state inside one microsecond) must begin exactly where
 * the last one ended, ts == last ts + last dur in doubles: no overlap and
 * no gap; no X has a zero dur; a task's finish instant is at its last
 * slice's end; and the DevTools stack above, run on the X events, keeps
 * every one of them, each at the top level.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <yajl/yajl_tree.h>

#ifndef GT_DOCS_DIR
#error "GT_DOCS_DIR must name the docs folder"
#endif
#ifndef GANTTY_BIN
#error "GANTTY_BIN must name the gantty binary"
#endif

#define RUN_DEADLINE_S 120  /* kill gantty and fail after this */

/* One event of a lane as a reader sees it: times in doubles. */
struct ev {
  long   pid, tid;
  size_t seq;           /* file order */
  char   kind;          /* 'X' slice, 's' state instant, 'f' finish */
  double ts, dur;       /* strtod of the text; dur 0 for instants */
};

/* A number's value as JSON.parse gives it: strtod of its text. */
static double
num(yajl_val obj, const char *key)
{
  const char *path[] = { key, NULL };
  yajl_val v = yajl_tree_get(obj, path, yajl_t_any);
  char *end;
  double d;

  if (v == NULL || !YAJL_IS_NUMBER(v))
    fail_msg("\"%s\" is not a number", key);
  d = strtod(YAJL_GET_NUMBER(v), &end);
  if (*end != '\0')
    fail_msg("\"%s\" is \"%s\"", key, YAJL_GET_NUMBER(v));
  return d;
}

/* A string member, or "". */
static const char *
str(yajl_val obj, const char *key)
{
  const char *path[] = { key, NULL };
  yajl_val v = yajl_tree_get(obj, path, yajl_t_string);

  return v != NULL ? YAJL_GET_STRING(v) : "";
}

/* Run gantty with args in dir (stdout and stderr to files there); fail
 * unless it exits 0 before the deadline. */
static void
run_gantty(const char *dir, const char *const *args)
{
  const char *argv[32];
  size_t n = 0;
  time_t until = time(NULL) + RUN_DEADLINE_S;
  int status;
  pid_t pid, got;

  argv[n++] = GANTTY_BIN;
  while (*args != NULL && n < 31)
    argv[n++] = *args++;
  argv[n] = NULL;
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    int in = open("/dev/null", O_RDONLY), out;

    if (chdir(dir) != 0)
      _exit(126);
    out = open("out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0)
      _exit(126);
    dup2(in, 0);
    dup2(out, 1);
    dup2(out, 2);
    setpgid(0, 0);
    execv(GANTTY_BIN, (char *const *)argv);
    _exit(127);
  }
  while ((got = waitpid(pid, &status, WNOHANG)) == 0) {
    struct timespec ts = { 0, 20 * 1000000L };

    if (time(NULL) > until) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      fail_msg("gantty %s did not end in %d s", argv[1], RUN_DEADLINE_S);
    }
    nanosleep(&ts, NULL);
  }
  assert_int_equal(got, pid);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    fail_msg("gantty exited with %d (see %s/out.txt)",
        WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
        dir);
}

/* Lanes together, each in file order. */
static int
ev_cmp(const void *a, const void *b)
{
  const struct ev *x = a, *y = b;

  if (x->pid != y->pid)
    return x->pid < y->pid ? -1 : 1;
  if (x->tid != y->tid)
    return x->tid < y->tid ? -1 : 1;
  return (x->seq > y->seq) - (x->seq < y->seq);
}

/* DevTools' order inside a lane: by ts, the longer first at one ts. */
static int
ev_devtools_cmp(const void *a, const void *b)
{
  const struct ev *x = a, *y = b;

  if (x->ts != y->ts)
    return x->ts < y->ts ? -1 : 1;
  if (x->dur != y->dur)
    return x->dur > y->dur ? -1 : 1;
  return 0;
}

/* DevTools' treify on one lane's X events (sorted): every one must be kept,
 * at the top level (neither inside another nor left out). */
static void
devtools_tree(struct ev *x, size_t n, const char *what)
{
  const struct ev *top = NULL;
  size_t i;

  qsort(x, n, sizeof(*x), ev_devtools_cmp);
  for (i = 0; i < n; i++) {
    if (top != NULL && x[i].ts < top->ts + top->dur)
      fail_msg("%s: pid %ld tid %ld: the X at %.17g (dur %.17g) starts "
          "inside the one at %.17g (dur %.17g, ends %.17g): DevTools %s it",
          what, x[i].pid, x[i].tid, x[i].ts, x[i].dur, top->ts, top->dur,
          top->ts + top->dur, x[i].ts + x[i].dur > top->ts + top->dur
          ? "leaves out" : "nests");
    top = &x[i];
  }
}

/* Run one workload under every mode and read its trace as the readers
 * do (see the top of the file). */
static void
check_workload(const char *const *args, const char *what)
{
  char dir[] = "/tmp/gt_exact_XXXXXX", path[64];
  const char *run[24] = { "run" };
  const char *tail[] = { "--headless", "--quiet", "--trace", "t.json",
      "--out", "out", NULL };
  const char *tev[] = { "traceEvents", NULL };
  char err[256], *text = NULL;
  size_t n = 1, len = 0, i, j, nev = 0, nx = 0, nstate = 0, nfinish = 0;
  size_t nprocs = 0, lanes = 0;
  yajl_val root, evs;
  struct ev *e, *x;
  FILE *f;

  assert_non_null(mkdtemp(dir));
  while (*args != NULL)
    run[n++] = *args++;
  for (i = 0; tail[i] != NULL; i++)
    run[n++] = tail[i];
  run[n] = NULL;
  run_gantty(dir, run);
  snprintf(path, sizeof(path), "%s/t.json", dir);
  f = fopen(path, "r");
  assert_non_null(f);
  {
    FILE *m = open_memstream(&text, &len);
    int c;

    while ((c = fgetc(f)) != EOF)
      fputc(c, m);
    fclose(m);
  }
  fclose(f);
  root = yajl_tree_parse(text, err, sizeof(err));
  if (root == NULL)
    fail_msg("%s: the trace does not parse: %s", what, err);
  evs = yajl_tree_get(root, tev, yajl_t_array);
  assert_non_null(evs);
  e = calloc(YAJL_GET_ARRAY(evs)->len + 1, sizeof(*e));
  x = calloc(YAJL_GET_ARRAY(evs)->len + 1, sizeof(*x));
  assert_non_null(e);
  assert_non_null(x);
  for (i = 0; i < YAJL_GET_ARRAY(evs)->len; i++) {
    yajl_val v = YAJL_GET_ARRAY(evs)->values[i];
    const char *ph = str(v, "ph"), *cat = str(v, "cat");
    struct ev *o = &e[nev];

    if (strcmp(ph, "M") == 0) {
      nprocs += strcmp(str(v, "name"), "process_name") == 0;
      continue;
    }
    o->pid = (long)num(v, "pid");
    o->tid = (long)num(v, "tid");
    o->seq = i;
    o->ts = num(v, "ts");
    if (strcmp(ph, "X") == 0) {
      o->kind = 'X';
      o->dur = num(v, "dur");
      if (!(o->dur > 0))
        fail_msg("%s: an X of dur %.17g at %.17g", what, o->dur, o->ts);
      nx++;
    } else if (strcmp(ph, "i") == 0 && strcmp(cat, "finish") == 0) {
      o->kind = 'f';
      nfinish++;
    } else if (strcmp(ph, "i") == 0) {
      o->kind = 's';
      nstate++;
    } else {
      fail_msg("%s: an event of ph \"%s\"", what, ph);
    }
    nev++;
  }
  assert_int_equal(nprocs, 5);  /* every mode ran */
  assert_true(nx > 0);
  qsort(e, nev, sizeof(*e), ev_cmp);
  for (i = 0; i < nev; i = j) {
    double end = e[i].ts;  /* the lane's first start */
    size_t n_x = 0;

    lanes++;
    for (j = i; j < nev && e[j].pid == e[i].pid && e[j].tid == e[i].tid;
        j++) {
      if (e[j].ts < end)
        fail_msg("%s: pid %ld tid %ld: %s at %.17g begins before the last "
            "slice's end %.17g: an overlap", what, e[j].pid, e[j].tid,
            e[j].kind == 'f' ? "the finish" : "a slice", e[j].ts, end);
      if (e[j].ts > end)
        fail_msg("%s: pid %ld tid %ld: %s at %.17g begins after the last "
            "slice's end %.17g: a gap", what, e[j].pid, e[j].tid,
            e[j].kind == 'f' ? "the finish" : "a slice", e[j].ts, end);
      if (e[j].kind == 'f' && j + 1 < nev && e[j + 1].pid == e[j].pid
          && e[j + 1].tid == e[j].tid)
        fail_msg("%s: pid %ld tid %ld: an event after the finish", what,
            e[j].pid, e[j].tid);
      end = e[j].ts + e[j].dur;  /* what speedscope's E gets */
      if (e[j].kind == 'X')
        x[n_x++] = e[j];
    }
    devtools_tree(x, n_x, what);
  }
  assert_true(lanes >= 5);
  printf("%s: %zu lanes, %zu X, %zu state instants, %zu finishes: none "
      "overlaps or leaves a gap\n", what, lanes, nx, nstate, nfinish);
  free(e);
  free(x);
  yajl_tree_free(root);
  free(text);
  /* the folder: the trace, gantty's output and its workload's files */
  {
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
      fprintf(stderr, "could not remove %s\n", dir);
  }
}

/* genre: requests, parsing, file writes, with a jitter so that the
 * answers end at scattered times. */
static void
test_genre(void **state)
{
  const char *args[] = { "genre", "--tasks", "4", "--latency", "3",
      "--jitter", "5", NULL };

  (void)state;
  check_workload(args, "genre");
}

/* pow: CPU-bound steps, where the sampler writes running and ready. */
static void
test_pow(void **state)
{
  const char *args[] = { "pow", "--tasks", "4", "--scale", "200", NULL };

  (void)state;
  check_workload(args, "pow");
}

/* scrape: many short steps per task. */
static void
test_scrape(void **state)
{
  const char *args[] = { "scrape", "--tasks", "8", "--latency", "2",
      "--jitter", "3", NULL };

  (void)state;
  check_workload(args, "scrape");
}

/* --spec: a lock's waits, and libuv's pool (pool, disk, loop busy). */
static void
test_spec(void **state)
{
  const char *lock[] = { "--spec", GT_DOCS_DIR "/examples/lock.spec", NULL };
  const char *pool[] = { "--spec", GT_DOCS_DIR "/examples/pool.spec", NULL };

  (void)state;
  check_workload(lock, "lock.spec");
  check_workload(pool, "pool.spec");
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_genre),
    cmocka_unit_test(test_pow),
    cmocka_unit_test(test_scrape),
    cmocka_unit_test(test_spec),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
