/*
 * fuzz/fuzz_like.c: the file `gantty run --like FILE` reads, from whoever
 * sent it: a trace (Chrome JSON, through the importer) or a summary (JSON,
 * through yajl's tree), read by settings_load() and applied to the options
 * by settings_apply() (tui/settings.c), as gantty does before any run.
 *
 * A file refused must say why, naming itself.  A file taken must leave
 * options the command line could have given: every mode one of gantty's,
 * a workload that exists, numbers in the options' ranges.  And the
 * settings those options make (settings_of(), what the next file will
 * carry) must give the same options back when applied again: --like of a
 * --like run re-runs the same session.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fuzz.h"
#include "session.h"
#include "settings.h"
#include "workload.h"

static char like_path[4200];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc, (void)argv;
  snprintf(like_path, sizeof(like_path), "%s/like.json", gt_fuzz_dir());
  return 0;
}

/* Write the input where --like reads it. */
static void
put_input(const uint8_t *data, size_t size)
{
  int fd = open(like_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  size_t done = 0;
  ssize_t n;

  if (fd < 0) {
    perror(like_path);
    abort();
  }
  while (done < size) {
    n = write(fd, data + done, size - done);
    if (n <= 0) {
      perror(like_path);
      abort();
    }
    done += (size_t)n;
  }
  close(fd);
}

/* The options before any is given, as cli_parse() sets them. */
static void
defaults(struct opts *o)
{
  memset(o, 0, sizeof(*o));
  o->cmd = "run";
  o->latency_ms = 200;
  o->seed = 1;
  o->out_dir = "gantty-out";
  o->headless = 1;
}

/* Free the strings settings_apply() copied into o (o started with none). */
static void
free_taken(struct opts *o)
{
  free((char *)o->workload);
  free((char *)o->spec);
  free(o->modes);
}

/* The modes o runs, as the session resolves them, joined by commas. */
static void
resolved_modes(const struct opts *o, char *buf, size_t len)
{
  char mode[GT_SESSION_MAX_MODES][GT_MODE_LEN];
  char folder[GT_SESSION_MAX_MODES][GT_FOLDER_LEN];
  size_t n = gt_session_modes(o->modes, mode, folder), i, at = 0;

  buf[0] = '\0';
  for (i = 0; i < n && at < len; i++)
    at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? "," : "",
        mode[i]);
}

/* What a session run with o would be: the fields the settings carry,
 * defaults made explicit. */
static void
check_same(const struct opts *a, const struct opts *b)
{
  char ma[GT_SESSION_MAX_MODES * GT_MODE_LEN];
  char mb[GT_SESSION_MAX_MODES * GT_MODE_LEN];

  resolved_modes(a, ma, sizeof(ma));
  resolved_modes(b, mb, sizeof(mb));
  if (strcmp(ma, mb) != 0 || a->seed != b->seed
      || a->latency_ms != b->latency_ms || a->jitter_ms != b->jitter_ms
      || a->connect_ms != b->connect_ms || a->errors_pct != b->errors_pct
      || a->stall_pct != b->stall_pct || a->limit != b->limit
      || a->workers != b->workers || a->gil != b->gil
      || a->fresh != b->fresh || a->together != b->together
      || (a->switch_ms ? a->switch_ms : 5) != (b->switch_ms ? b->switch_ms
      : 5) || (a->scale ? a->scale : 1) != (b->scale ? b->scale : 1)
      || (a->timeout_ms ? a->timeout_ms : 30000)
      != (b->timeout_ms ? b->timeout_ms : 30000)
      || (a->spec == NULL) != (b->spec == NULL)
      || (a->spec != NULL && strcmp(a->spec, b->spec) != 0)
      || (a->spec == NULL && a->workload != NULL && b->workload != NULL
      && strcmp(a->workload, b->workload) != 0)) {
    fprintf(stderr, "fuzz_like: the settings of the options taken do not "
        "give them back (modes %s / %s)\n", ma, mb);
    abort();
  }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct gt_settings s = {0}, again = {0};
  struct settings_ctx ctx = {0};
  struct opts o, o2;
  char *cause = NULL;
  const char *bad;

  put_input(data, size);
  defaults(&o);
  if (settings_load(like_path, &s, &cause) != 0
      || settings_apply(&o, &s, like_path, NULL, &cause) != 0) {
    if (cause == NULL || strncmp(cause, "--like ", 7) != 0
        || strstr(cause, like_path) == NULL) {
      fprintf(stderr, "fuzz_like: refused without saying why: %s\n",
          cause ? cause : "(none)");
      abort();
    }
    free(cause);
    gt_settings_clear(&s);
    free_taken(&o);
    return 0;
  }
  bad = o.spec == NULL && o.workload != NULL
      && gt_workload_find(o.workload) == NULL ? "workload"
      : o.errors_pct > 100 || o.stall_pct > 100 ? "errors or stall"
      : o.switch_ms > 10000 ? "switch_ms" : NULL;
  if (bad != NULL) {
    fprintf(stderr, "fuzz_like: a setting out of its option's range was "
        "taken: %s\n", bad);
    abort();
  }
  /* what the next file carries gives the same options back */
  ctx.ntasks = o.tasks ? o.tasks : 5;  /* a session has tasks */
  ctx.workers = o.workers;
  ctx.gil = o.gil;
  if (o.workload == NULL && o.spec == NULL)
    o.workload = gt_xstrdup("genre");
  settings_of(&o, &ctx, &again);
  defaults(&o2);
  if (settings_apply(&o2, &again, like_path, NULL, &cause) != 0) {
    fprintf(stderr, "fuzz_like: gantty's own settings refused: %s\n",
        cause);
    abort();
  }
  check_same(&o, &o2);
  gt_settings_clear(&s);
  gt_settings_clear(&again);
  free_taken(&o);
  free_taken(&o2);
  return 0;
}
