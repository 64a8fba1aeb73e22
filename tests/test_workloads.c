/*
 * tests/test_workloads.c: the catalogue, the genre workload's tasks and its
 * parse step, and the task context helpers.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "base.h"
#include "demo_server.h"
#include "spec.h"
#include "workload.h"

/* The catalogue finds genre and nothing else by a wrong name. */
static void
test_catalogue(void **state)
{
  const struct gt_workload *const *all;
  size_t n, i;
  int seen = 0;

  (void)state;
  assert_non_null(gt_workload_find("genre"));
  assert_null(gt_workload_find("nosuch"));
  all = gt_workload_list(&n);
  for (i = 0; i < n; i++) {
    assert_non_null(all[i]->summary);
    assert_true(all[i]->default_tasks > 0);
    seen += strcmp(all[i]->name, "genre") == 0;
  }
  assert_int_equal(seen, 1);
}

/* Default and explicit task counts; the three steps of each task. */
static void
test_genre_tasks(void **state)
{
  const struct gt_workload *w = gt_workload_find("genre");
  struct gt_workload_params p = {0};
  struct gt_task *t;
  size_t n;

  (void)state;
  assert_int_equal(w->make(&p, &t, &n, NULL), 0);
  assert_int_equal(n, 5);
  assert_string_equal(t[4].name, "genre 4");
  assert_int_equal(t[4].nsteps, 3);
  assert_int_equal(t[4].steps[0].kind, GT_STEP_HTTP);
  assert_string_equal(t[4].steps[0].target, "/genre?i=4");
  assert_int_equal(t[4].steps[1].kind, GT_STEP_CPU);
  assert_int_equal(t[4].steps[2].kind, GT_STEP_WRITE);
  assert_string_equal(t[4].steps[2].target, "new_file4.txt");
  gt_tasks_free(t, n);
  p.tasks = 12;
  assert_int_equal(w->make(&p, &t, &n, NULL), 0);
  assert_int_equal(n, 12);
  assert_string_equal(t[11].steps[2].label, "write new_file11.txt");
  gt_tasks_free(t, n);
  gt_tasks_free(NULL, 0);
}

/* Run the parse step of a genre task on body. */
static int
parse(const char *body, struct gt_task_ctx *ctx, char **cause)
{
  const struct gt_workload *w = gt_workload_find("genre");
  struct gt_workload_params p = { .tasks = 1 };
  struct gt_task *t;
  size_t n;
  int rc;

  assert_int_equal(w->make(&p, &t, &n, NULL), 0);
  gt_task_ctx_set_body(ctx, body, strlen(body));
  rc = t[0].steps[1].cpu(ctx, &t[0].steps[1], cause);
  gt_tasks_free(t, n);
  return rc;
}

/* A JSON string parses to the genre plus a newline; anything else is a
 * parse error that says what it got. */
static void
test_genre_parse(void **state)
{
  struct gt_task_ctx ctx = {0};
  char *cause = NULL;

  (void)state;
  assert_int_equal(parse("\"Jazz \\u00e9\"", &ctx, &cause), 0);
  assert_string_equal(ctx.value, "Jazz \xc3\xa9\n");
  assert_int_equal(ctx.value_len, strlen("Jazz \xc3\xa9\n"));
  assert_null(cause);
  assert_int_equal(parse("{\"genre\": 1}", &ctx, &cause), GT_EPARSE);
  assert_non_null(strstr(cause, "another JSON type"));
  free(cause);
  cause = NULL;
  assert_int_equal(parse("\"unterminated", &ctx, &cause), GT_EPARSE);
  assert_non_null(strstr(cause, "not a JSON string"));
  assert_null(strchr(cause, '\n'));
  free(cause);
  gt_task_ctx_done(&ctx);
}

/* Bodies grow, replace and stay NUL-terminated. */
static void
test_ctx(void **state)
{
  struct gt_task_ctx ctx = {0};
  char big[1000];
  int i;

  (void)state;
  memset(big, 'x', sizeof(big));
  gt_task_ctx_set_body(&ctx, "", 0);
  assert_string_equal(ctx.body, "");
  for (i = 0; i < 10; i++)
    gt_task_ctx_add_body(&ctx, big, sizeof(big));
  assert_int_equal(ctx.body_len, 10000);
  assert_int_equal(ctx.body[10000], '\0');
  gt_task_ctx_set_body(&ctx, "ab", 2);
  assert_string_equal(ctx.body, "ab");
  gt_task_ctx_set_value(&ctx, gt_xstrdup("v"), 1);
  gt_task_ctx_set_value(&ctx, gt_xstrdup("w"), 1);
  assert_string_equal(ctx.value, "w");
  gt_task_ctx_done(&ctx);
  assert_null(ctx.body);
  assert_int_equal(ctx.body_len, 0);
}

/* A good spec file: repetition, {i}, every kind of step, comments. */
static void
test_spec_good(void **state)
{
  static const char text[] =
      "# a comment line\n"
      "2 x task page {i}   # two tasks\n"
      "  get /page/{i}\n"
      "  cpu scrape.title {i}\n"
      "  append titles.tsv\n"
      "\n"
      "task mixed\r\n"
      "  3 x cpu 1.5ms\n"
      "  get http://example.invalid/x\n"
      "  sleep 1s\n"
      "  write sub/out.txt\n";
  struct gt_task *t;
  size_t n;
  int srv = 0;
  char *cause = NULL;

  (void)state;
  assert_int_equal(gt_spec_parse("good.spec", text, &t, &n, &srv, &cause),
      0);
  assert_null(cause);
  assert_int_equal(n, 3);
  assert_int_equal(srv, 1);
  assert_string_equal(t[0].name, "page 0");
  assert_string_equal(t[1].name, "page 1");
  assert_int_equal(t[1].nsteps, 3);
  assert_int_equal(t[1].steps[0].kind, GT_STEP_HTTP);
  assert_string_equal(t[1].steps[0].target, "/page/1");
  assert_string_equal(t[1].steps[0].label, "GET /page/1");
  assert_int_equal(t[1].steps[1].kind, GT_STEP_CPU);
  assert_ptr_equal(t[1].steps[1].cpu, gt_cpu_find("scrape.title"));
  assert_int_equal(t[1].steps[1].arg, 1);
  assert_int_equal(t[1].steps[2].kind, GT_STEP_APPEND);
  assert_string_equal(t[2].name, "mixed");
  assert_int_equal(t[2].nsteps, 6);
  assert_ptr_equal(t[2].steps[2].cpu, gt_cpu_find("spec.busy"));
  assert_int_equal(t[2].steps[2].arg, 1500);  /* us */
  assert_string_equal(t[2].steps[3].target, "http://example.invalid/x");
  assert_int_equal(t[2].steps[4].kind, GT_STEP_SLEEP);
  assert_int_equal(t[2].steps[4].arg, 1000);  /* ms */
  assert_int_equal(t[2].steps[5].kind, GT_STEP_WRITE);
  assert_string_equal(t[2].steps[5].target, "sub/out.txt");
  gt_tasks_free(t, n);
}

/* A task taking locks named in no order: each name keeps the number it
 * was first given, whatever the names around it; 64 held at once are
 * fine, a 65th is refused at its line and column. */
static void
many_locks(void)
{
  struct gt_task *t;
  size_t n, i, k;
  int srv = 0;
  char *text = gt_xstrdup("task many\n"), *more, *cause = NULL;

  for (k = 64; k <= 65; k++) {
    free(text);
    text = gt_xstrdup("task many\n");
    for (i = 0; i < k; i++) {  /* L0, L37, L9, ...: every name once */
      more = gt_xasprintf("%s  lock L%zu\n", text, i * 37 % 65);
      free(text);
      text = more;
    }
    for (i = 0; i < k; i++) {
      more = gt_xasprintf("%s  unlock L%zu\n", text, i * 37 % 65);
      free(text);
      text = more;
    }
    if (k == 65) {
      assert_int_equal(gt_spec_parse("k.spec", text, &t, &n, &srv, &cause),
          GT_EPARSE);
      assert_string_equal(cause, "k.spec:66:8: task 'many' holds 64 locks "
          "already: at most 64 at once");
      free(cause);
      break;
    }
    assert_int_equal(gt_spec_parse("k.spec", text, &t, &n, &srv, &cause),
        0);
    for (i = 0; i < k; i++) {
      assert_int_equal(t[0].steps[i].arg, i);
      assert_int_equal(t[0].steps[k + i].arg, i);
    }
    gt_tasks_free(t, n);
  }
  free(text);
}

/* Kinds of CPU step and locks: a cpu step is a Python-level loop unless it
 * says otherwise; a named function's default is the Python it stands for
 * (pow.power one C call holding the GIL, scrape.title html.parser's Python
 * loop); the kind word shows in the label.  Locks are numbered by name,
 * in the order the file names them, across tasks; a lock held across
 * another (m then n) is fine; every copy of a repeated task has them. */
static void
test_spec_kinds_and_locks(void **state)
{
  static const char text[] =
      "task kinds\n"
      "  cpu 2ms\n"
      "  cpu 2ms python-loop\n"
      "  cpu 2ms holds-gil\n"
      "  cpu 2ms releases-gil\n"
      "  cpu pow.power 7\n"
      "  cpu pow.power releases-gil\n"
      "  cpu scrape.title {i} holds-gil\n"
      "  cpu scrape.title\n"
      "2 x task locker {i}\n"
      "  lock n\n"
      "  lock m.2\n"
      "  unlock n\n"
      "  2 x cpu 1ms holds-gil\n"
      "  unlock m.2\n"
      "  lock n\n"
      "  unlock n\n";
  static const struct { int gil; const char *label; } want[] = {
    { GT_GIL_LOOP, "cpu 2ms" },
    { GT_GIL_LOOP, "cpu 2ms python-loop" },
    { GT_GIL_HOLDS, "cpu 2ms holds-gil" },
    { GT_GIL_RELEASES, "cpu 2ms releases-gil" },
    { GT_GIL_HOLDS, "pow.power 7" },
    { GT_GIL_RELEASES, "pow.power releases-gil" },
    { GT_GIL_HOLDS, "scrape.title 0 holds-gil" },
    { GT_GIL_LOOP, "scrape.title" },
  };
  struct gt_task *t;
  size_t n, i;
  int srv = 0;
  char *cause = NULL;

  (void)state;
  assert_int_equal(gt_spec_parse("k.spec", text, &t, &n, &srv, &cause), 0);
  assert_int_equal(n, 3);
  assert_int_equal(t[0].nsteps, 8);
  for (i = 0; i < 8; i++) {
    assert_int_equal(t[0].steps[i].kind, GT_STEP_CPU);
    assert_int_equal(t[0].steps[i].gil, want[i].gil);
    assert_string_equal(t[0].steps[i].label, want[i].label);
  }
  assert_int_equal(t[0].steps[4].arg, 7);
  assert_int_equal(t[0].steps[5].arg, 0);
  for (i = 1; i < 3; i++) {
    assert_int_equal(t[i].nsteps, 8);
    assert_int_equal(t[i].steps[0].kind, GT_STEP_LOCK);
    assert_string_equal(t[i].steps[0].target, "n");
    assert_string_equal(t[i].steps[0].label, "lock n");
    assert_int_equal(t[i].steps[0].arg, 0);
    assert_int_equal(t[i].steps[1].kind, GT_STEP_LOCK);
    assert_string_equal(t[i].steps[1].target, "m.2");
    assert_int_equal(t[i].steps[1].arg, 1);
    assert_int_equal(t[i].steps[2].kind, GT_STEP_UNLOCK);
    assert_string_equal(t[i].steps[2].label, "unlock n");
    assert_int_equal(t[i].steps[2].arg, 0);
    assert_int_equal(t[i].steps[4].gil, GT_GIL_HOLDS);
    assert_int_equal(t[i].steps[5].kind, GT_STEP_UNLOCK);
    assert_int_equal(t[i].steps[5].arg, 1);
    assert_int_equal(t[i].steps[6].arg, 0);
  }
  gt_tasks_free(t, n);
  many_locks();
  assert_string_equal(gt_gil_kind_name(GT_GIL_LOOP), "python-loop");
  assert_string_equal(gt_gil_kind_name(GT_GIL_HOLDS), "holds-gil");
  assert_string_equal(gt_gil_kind_name(GT_GIL_RELEASES), "releases-gil");
  assert_null(gt_gil_kind_name(3));
  assert_null(gt_gil_kind_name(-1));
  assert_int_equal(gt_gil_kind_find("holds-gil"), GT_GIL_HOLDS);
  assert_int_equal(gt_gil_kind_find("holds"), -1);
}

/* Bad spec files: each message names the file, line and column and what
 * was expected. */
static void
test_spec_bad(void **state)
{
  static const struct { const char *text, *want; } bad[] = {
    { "", "bad.spec:1:1: expected at least one 'task NAME' line" },
    { "  get /x\n", "bad.spec:1:3: expected 'task NAME' before the first "
        "step" },
    { "task\n", "bad.spec:1:5: expected a task name after 'task'" },
    { "task a\n", "bad.spec:1:1: task 'a' has no steps" },
    { "task a\ntask b\n  sleep 1ms\n", "bad.spec:1:1: task 'a' has no "
        "steps" },
    { "task a\n  get page/1\n", "bad.spec:2:7: expected a path starting "
        "with '/'" },
    { "task a\n  get\n", "bad.spec:2:6: expected a path" },
    { "task a\n  write /etc/passwd\n", "bad.spec:2:9: expected a file "
        "name inside --out" },
    { "task a\n  append x/../../y\n", "bad.spec:2:10: expected a file "
        "name inside --out" },
    { "task a\n  cpu\n", "bad.spec:2:6: expected a duration (20ms) "
        "or a CPU function" },
    { "task a\n  cpu 20min\n", "bad.spec:2:7: expected a duration" },
    { "task a\n  cpu pow.power x\n", "bad.spec:2:17: expected a whole "
        "number or {i}" },
    { "task a\n  sleep 1500us\n", "bad.spec:2:9: expected a duration in "
        "whole milliseconds" },
    { "task a\n  hop /x\n", "bad.spec:2:3: expected 'task', or a step: "
        "get, cpu, write, append, sleep, lock or unlock; found 'hop'" },
    { "2 task a\n", "bad.spec:1:3: expected 'x' after the repeat count 2" },
    { "0 x task a\n", "bad.spec:1:1: expected a repeat count from 1" },
    { "3 x\n", "bad.spec:1:4: expected 'task' or a step after '3 x'" },
    { "task a\n  sleep 5ms extra\n", "bad.spec:2:13: expected the end of "
        "the line after the sleep step" },
    /* kinds of CPU step */
    { "task a\n  cpu 5ms holds\n", "bad.spec:2:11: expected python-loop, "
        "holds-gil, releases-gil or the end of the line after the cpu "
        "step" },
    { "task a\n  cpu 5ms holds-gil holds-gil\n", "bad.spec:2:21: "
        "expected python-loop, holds-gil" },
    { "task a\n  cpu releases-gil\n", "bad.spec:2:7: expected a duration "
        "(20ms) or a CPU function before 'releases-gil'" },
    { "task a\n  cpu pow.power 7 x\n", "bad.spec:2:19: expected "
        "python-loop" },
    { "task a\n  sleep 5ms holds-gil\n", "bad.spec:2:13: expected the end "
        "of the line after the sleep step" },
    /* locks */
    { "task a\n  lock\n", "bad.spec:2:7: expected a lock name (letters, "
        "digits, '_', '-', '.') after 'lock'" },
    { "task a\n  unlock x/y\n", "bad.spec:2:10: expected a lock name" },
    { "task a\n  lock {i}\n", "bad.spec:2:8: expected a lock name" },
    { "task a\n  lock m n\n", "bad.spec:2:10: expected the end of the "
        "line after the lock step" },
    { "task a\n  sleep 1ms\n  unlock m\n", "bad.spec:3:10: task 'a' does "
        "not hold lock 'm': expected 'lock m' before this" },
    { "task a\n  lock m\n  sleep 1ms\n  lock m\n", "bad.spec:4:8: task "
        "'a' holds lock 'm' already (taken at line 2): it would wait for "
        "itself" },
    { "task a\n  2 x lock m\n", "bad.spec:2:12: a lock step cannot be "
        "repeated" },
    { "task a\n  lock m\n  lock n\n  unlock n\n\ntask b\n  sleep 1ms\n",
        "bad.spec:2:8: lock 'm' is never unlocked: expected 'unlock m' "
        "before task 'a' ends" },
    { "task a\n  sleep 1ms\n    lock m\n", "bad.spec:3:10: lock 'm' is "
        "never unlocked: expected 'unlock m' before task 'a' ends" },
    { "task a\n  lock m\n  unlock m\n  unlock m\n", "bad.spec:4:10: "
        "task 'a' does not hold lock 'm'" },
    { "task a\n  lock m\n  unlock m\ntask b\n  unlock m\n", "bad.spec:5:10: "
        "task 'b' does not hold lock 'm'" },
  };
  struct gt_task *t;
  size_t n, i;
  int srv;
  char *cause;

  (void)state;
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    cause = NULL;
    t = (struct gt_task *)1;
    assert_int_equal(gt_spec_parse("bad.spec", bad[i].text, &t, &n, &srv,
        &cause), GT_EPARSE);
    assert_null(t);
    assert_non_null(cause);
    if (strncmp(cause, bad[i].want, strlen(bad[i].want)) != 0)
      fail_msg("spec %zu: got \"%s\", want \"%s...\"", i, cause,
          bad[i].want);
    free(cause);
  }
}

/* A CPU step of no one's: the function's name, with the file, line and
 * column, as GT_ENOFUNC and not as a parse error (nor a usage error); once
 * registered, the same name parses. */
static int
spec_test_cpu(struct gt_task_ctx *ctx, const struct gt_step *step,
    char **cause)
{
  (void)ctx;
  (void)step;
  (void)cause;
  return 0;
}

/* Another function, to try to take spec_test_cpu's name. */
static int
spec_busy_twin(struct gt_task_ctx *ctx, const struct gt_step *step,
    char **cause)
{
  return spec_test_cpu(ctx, step, cause);
}

static void
test_spec_unknown_cpu(void **state)
{
  const char *text = "task a\n  sleep 1ms\n  cpu spec.test-fn 3\n", *want;
  struct gt_task *t;
  size_t n;
  int srv;
  char *cause = NULL;

  (void)state;
  t = (struct gt_task *)1;
  assert_int_equal(gt_spec_parse("my.spec", text, &t, &n, &srv, &cause),
      GT_ENOFUNC);
  assert_null(t);
  assert_non_null(cause);
  want = "my.spec:3:7: no CPU function called 'spec.test-fn'";
  if (strncmp(cause, want, strlen(want)) != 0)
    fail_msg("got \"%s\", want \"%s...\"", cause, want);
  free(cause);
  cause = NULL;
  assert_string_equal(gt_strerror(GT_ENOFUNC), "no such CPU function");

  assert_int_equal(gt_cpu_register("spec.test-fn", spec_test_cpu), 0);
  assert_int_equal(gt_cpu_register("spec.test-fn", spec_test_cpu), 0);
  assert_int_equal(gt_cpu_register("spec.test-fn", spec_busy_twin), -EEXIST);
  assert_int_equal(gt_spec_parse("my.spec", text, &t, &n, &srv, &cause), 0);
  assert_null(cause);
  assert_int_equal(n, 1);
  assert_ptr_equal(t[0].steps[1].cpu, spec_test_cpu);
  assert_int_equal(t[0].steps[1].arg, 3);
  gt_tasks_free(t, n);
}

/* gt_spec_load: a file that is not there, or a folder, cannot be read
 * (a negative errno and the system's reason), which is not a parse error;
 * a file that is there but wrong is one, with its line and column. */
static void
test_spec_load_missing_vs_malformed(void **state)
{
  char dir[] = "/tmp/gt_spec_XXXXXX", *missing, *bad;
  struct gt_task *t;
  size_t n;
  int srv;
  char *cause = NULL, *want;
  FILE *f;

  (void)state;
  assert_non_null(mkdtemp(dir));
  missing = gt_xasprintf("%s/none.spec", dir);
  bad = gt_xasprintf("%s/bad.spec", dir);

  assert_int_equal(gt_spec_load(missing, &t, &n, &srv, &cause), -ENOENT);
  assert_null(t);
  want = gt_xasprintf("%s: cannot read: %s", missing, strerror(ENOENT));
  assert_string_equal(cause, want);
  free(want);
  free(cause);
  cause = NULL;

  assert_int_equal(gt_spec_load(dir, &t, &n, &srv, &cause), -EISDIR);
  want = gt_xasprintf("%s: cannot read: %s", dir, strerror(EISDIR));
  assert_string_equal(cause, want);
  free(want);
  free(cause);
  cause = NULL;

  f = fopen(bad, "w");
  assert_non_null(f);
  fputs("task a\n  get page/1\n", f);
  fclose(f);
  assert_int_equal(gt_spec_load(bad, &t, &n, &srv, &cause), GT_EPARSE);
  want = gt_xasprintf("%s:2:7: expected a path", bad);
  if (strncmp(cause, want, strlen(want)) != 0)
    fail_msg("got \"%s\", want \"%s...\"", cause, want);
  free(want);
  free(cause);

  unlink(bad);
  rmdir(dir);
  free(bad);
  free(missing);
}

/* pow: i^e with the checkpoint, the line it leaves for pow.tsv. */
static void
test_pow_value(void **state)
{
  const struct gt_workload *w = gt_workload_find("pow");
  struct gt_workload_params p = { .tasks = 2, .scale = 100000 };
  struct gt_task_ctx ctx = {0};
  struct gt_task *t;
  size_t n;
  char *cause = NULL;

  (void)state;
  assert_int_equal(w->make(&p, &t, &n, NULL), 0);
  assert_int_equal(n, 2);
  assert_string_equal(t[1].steps[0].label, "1000001^10");
  assert_int_equal(t[1].steps[0].cpu(&ctx, &t[1].steps[0], &cause), 0);
  /* 1000001^10 mod 1000000007 and its 200 bits, as Python computes them */
  assert_string_equal(ctx.value, "1000001\t10\t200\t227617676\n");
  gt_task_ctx_done(&ctx);
  gt_tasks_free(t, n);
}

/* scrape: the parse step finds the demo page's <h1>. */
static void
test_scrape_parse(void **state)
{
  const struct gt_workload *w = gt_workload_find("scrape");
  struct gt_workload_params p = { .tasks = 8 };
  struct gt_task_ctx ctx = {0};
  struct gt_task *t;
  size_t n, len;
  char *page = gt_demo_page(3, 7, &len), *title = gt_demo_page_title(3, 7);
  char *want = gt_xasprintf("%s\t/page/7\n", title), *cause = NULL;

  (void)state;
  assert_true(len > 20000 && len < 30000);
  assert_int_equal(w->make(&p, &t, &n, NULL), 0);
  gt_task_ctx_set_body(&ctx, page, len);
  assert_int_equal(t[7].steps[1].cpu(&ctx, &t[7].steps[1], &cause), 0);
  assert_string_equal(ctx.value, want);
  gt_task_ctx_set_body(&ctx, "<p>no title</p>", 15);
  assert_int_equal(t[7].steps[1].cpu(&ctx, &t[7].steps[1], &cause),
      GT_EPARSE);
  assert_non_null(strstr(cause, "no <h1>"));
  free(cause);
  gt_task_ctx_done(&ctx);
  gt_tasks_free(t, n);
  free(want);
  free(title);
  free(page);
}

/* The calling thread's CPU time, ns. */
static uint64_t
thread_cpu_ns(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A checkpoint that sleeps 40 ms the first time, as a thread waiting for
 * the GIL (or for a core) would: time off the CPU. */
static int
sleepy_checkpoint(void *arg)
{
  unsigned *calls = arg;
  struct timespec ts = { 0, 40000000 };

  if ((*calls)++ == 0)
    nanosleep(&ts, NULL);
  return 0;
}

/* A spec "cpu 30ms" step burns 30 ms of its thread's CPU, however long
 * that takes: time spent off the CPU (here 40 ms asleep in a checkpoint)
 * does not count toward it.  Timed by the thread's CPU clock, so a slow or
 * busy machine only makes it take longer. */
static void
test_spec_cpu_burns_cpu(void **state)
{
  struct gt_step step = { .kind = GT_STEP_CPU, .label = "busy",
      .cpu = gt_cpu_find("spec.busy"), .arg = 30000 };
  unsigned calls = 0;
  struct gt_task_ctx ctx = { .checkpoint = sleepy_checkpoint,
      .checkpoint_arg = &calls };
  char *cause = NULL;
  uint64_t before;

  (void)state;
  assert_non_null(step.cpu);
  before = thread_cpu_ns();
  assert_int_equal(step.cpu(&ctx, &step, &cause), 0);
  assert_true(thread_cpu_ns() - before >= 30000000u);
  assert_true(calls >= 2);  /* it went on after the sleep */
  gt_task_ctx_done(&ctx);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_catalogue),
    cmocka_unit_test(test_genre_tasks),
    cmocka_unit_test(test_genre_parse),
    cmocka_unit_test(test_ctx),
    cmocka_unit_test(test_spec_good),
    cmocka_unit_test(test_spec_kinds_and_locks),
    cmocka_unit_test(test_spec_bad),
    cmocka_unit_test(test_spec_cpu_burns_cpu),
    cmocka_unit_test(test_spec_unknown_cpu),
    cmocka_unit_test(test_spec_load_missing_vs_malformed),
    cmocka_unit_test(test_pow_value),
    cmocka_unit_test(test_scrape_parse),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
