/*
 * tests/test_workloads.c: the catalogue, the genre workload's tasks and its
 * parse step, and the task context helpers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base.h"
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

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_catalogue),
    cmocka_unit_test(test_genre_tasks),
    cmocka_unit_test(test_genre_parse),
    cmocka_unit_test(test_ctx),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
