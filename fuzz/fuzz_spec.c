/*
 * fuzz/fuzz_spec.c: a spec file (`gantty run --spec FILE`), read by
 * gt_spec_load() as gantty reads it.  A file it takes must hold what the
 * executors rely on (a name and steps for every task, a label for every
 * step, a target for every step that needs one), and must cross to a
 * worker process unchanged: its SETUP record (scheduler/wire.c) is encoded
 * and decoded, and what comes out is compared with what went in.  A file
 * it refuses must say why.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "spec.h"
#include "wire.h"
#include "workload.h"

static char spec_path[4200];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc, (void)argv;
  snprintf(spec_path, sizeof(spec_path), "%s/fuzz.spec", gt_fuzz_dir());
  return 0;
}

/* Write the input where the parser reads it. */
static void
put_input(const uint8_t *data, size_t size)
{
  int fd = open(spec_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  size_t done = 0;
  ssize_t n;

  if (fd < 0) {
    perror(spec_path);
    abort();
  }
  while (done < size) {
    n = write(fd, data + done, size - done);
    if (n <= 0) {
      perror(spec_path);
      abort();
    }
    done += (size_t)n;
  }
  close(fd);
}

/* Abort unless a and b say the same (NULL equals NULL only). */
static void
same_str(const char *a, const char *b)
{
  if ((a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0)) {
    fprintf(stderr, "fuzz_spec: '%s' crossed as '%s'\n", a ? a : "(null)",
        b ? b : "(null)");
    abort();
  }
}

/* What the executors rely on, and the round trip through SETUP. */
static void
check_tasks(const struct gt_task *tasks, size_t ntasks)
{
  struct gt_wbuf b = { 0 };
  struct gt_wire_setup s;
  char *cause = NULL;
  uint32_t h[2];
  size_t i, j;

  if (ntasks == 0)
    abort();
  for (i = 0; i < ntasks; i++) {
    if (tasks[i].name == NULL || tasks[i].nsteps == 0)
      abort();
    for (j = 0; j < tasks[i].nsteps; j++) {
      const struct gt_step *st = &tasks[i].steps[j];

      if (st->label == NULL || st->kind < GT_STEP_CPU
          || st->kind > GT_STEP_UNLOCK || gt_gil_kind_name(st->gil) == NULL
          || ((st->kind == GT_STEP_LOCK || st->kind == GT_STEP_UNLOCK)
              && st->arg >= GT_LOCKS_MAX)
          || (st->kind == GT_STEP_CPU && st->cpu == NULL)
          || (st->kind != GT_STEP_CPU && st->kind != GT_STEP_SLEEP
              && st->target == NULL))
        abort();
    }
  }
  if (gt_wire_setup_encode(&b, "threads", "http://127.0.0.1:1", "/nowhere",
      1000, 0, 0, 1, 64u << 20, 256u << 20, tasks, ntasks, &cause) != 0) {
    free(cause);  /* too big for one record: refused, and said */
    free(b.p);
    return;
  }
  memcpy(h, b.p, sizeof(h));
  if (h[0] != GT_W_SETUP || h[1] != b.len - GT_WIRE_HEADER)
    abort();
  if (gt_wire_setup_decode(b.p + GT_WIRE_HEADER, b.len - GT_WIRE_HEADER, &s,
      &cause) != 0) {
    fprintf(stderr, "fuzz_spec: SETUP does not decode: %s\n", cause);
    abort();
  }
  if (s.ntasks != ntasks)
    abort();
  for (i = 0; i < ntasks; i++) {
    same_str(tasks[i].name, s.tasks[i].name);
    if (s.tasks[i].nsteps != tasks[i].nsteps)
      abort();
    for (j = 0; j < tasks[i].nsteps; j++) {
      const struct gt_step *a = &tasks[i].steps[j], *c = &s.tasks[i].steps[j];

      same_str(a->label, c->label);
      same_str(a->target, c->target);
      if (a->kind != c->kind || a->arg != c->arg || a->cpu != c->cpu
          || a->gil != c->gil)
        abort();
    }
  }
  gt_wire_setup_free(&s);
  free(b.p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct gt_task *tasks = NULL;
  size_t ntasks = 0;
  int needs_server = 0;
  char *cause = NULL;

  put_input(data, size);
  if (gt_spec_load(spec_path, &tasks, &ntasks, &needs_server,
      &cause) != 0) {
    if (cause == NULL || tasks != NULL || ntasks != 0)
      abort();  /* a refusal says why and leaves nothing */
    free(cause);
    return 0;
  }
  check_tasks(tasks, ntasks);
  gt_tasks_free(tasks, ntasks);
  return 0;
}
