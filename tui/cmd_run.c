/*
 * tui/cmd_run.c: `gantty run [WORKLOAD]` (also `gantty` and `gantty
 * WORKLOAD`): a workload, or a spec file's tasks, run under each mode by a
 * session (scheduler/session.h), in the live view or headless, against the
 * embedded demo server or --url; then the report, the summary and the
 * traces.
 *
 * Options that do nothing in a combination (README, "Options that do
 * nothing"): two settings for one thing on the line itself are refused,
 * exit 2 (--tasks with --spec; a demo server setting with --url, which
 * replaces the server); an option that does nothing for these modes or
 * this workload is run without, with a warning on stderr (--gil, --limit,
 * --pool, --workers, --switch-ms; a demo server setting when no task makes a
 * request to it), so that one set of options can sweep modes and
 * workloads.  Which modes an option touches is read from the mode's traits,
 * never from its name.
 */
#define _GNU_SOURCE
#include "cli.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "demo_server.h"
#include "executor.h"
#include "recorder.h"
#include "session.h"
#include "spec.h"
#include "tui.h"
#include "workload.h"

static const struct cli_option run_options[] = {
  { OPT_MODES, "modes", "LIST",
    "modes to run, comma-separated (default: all, in order)" },
  { OPT_TASKS, "tasks", "N",
    "tasks in the workload (default: the workload's; not with\n--spec)" },
  { OPT_WORKERS, "workers", "K",
    "pool width (default: the mode's; threads: one per task;\n"
    "procs, hybrid: one worker process per core)" },
  { OPT_LIMIT, "limit", "K",
    "async: at most K tasks in flight; hybrid: K in each\n"
    "worker process (default: all)" },
  { OPT_POOL, "pool", "N",
    "async, hybrid: libuv's thread pool, where file writes\n"
    "wait for a slot, has N threads (1..1024; default 4)" },
  { OPT_GIL, "gil", NULL,
    "threads: CPU steps hold one global lock, as CPython's" },
  { OPT_SWITCH, "switch-ms", "MS", "the GIL's switch interval (default 5)" },
  { OPT_CORES, "cores", "K",
    "run the workers on K of the CPUs online (CPU affinity;\n"
    "default: all)" },
  { OPT_SCALE, "scale", "S",
    "pow: divide the exponents by S, for quick demos" },
  { OPT_SPEC, "spec", "FILE",
    "run the tasks FILE describes (docs/spec-format.md)" },
  { OPT_LIKE, "like", "FILE",
    "re-run with the settings of FILE, a trace (.json) or\n"
    "--summary gantty wrote; options given as well override\n"
    "the file's" },
  { OPT_CONNECTIONS, "connections", "reuse|fresh",
    "keep one connection per worker or loop\n"
    "(default reuse), or open one per request" },
  { OPT_OUT, "out", "DIR",
    "where tasks write files, one sub-folder per mode\n"
    "(default: gantty-out)" },
  { OPT_TRACE, "trace", "FILE",
    "write the session by its extension: .json (Chrome trace),\n"
    ".csv or .svg; .json.gz and the like gzip'd (repeatable)" },
  { OPT_SUMMARY, "summary", "FILE", "write per-run figures as JSON" },
  { OPT_URL, "url", "URL",
    "an http(s) server to use instead of the embedded one" },
  { OPT_TIMEOUT, "timeout-ms", "MS",
    "give up on a request after MS (default 30000)" },
  { OPT_HEADLESS, "headless", NULL,
    "print the report instead of opening the live view" },
  { OPT_TOGETHER, "together", NULL,
    "run the modes at the same time, not one after another" },
  { OPT_REPEAT, "repeat", "N",
    "run every mode N times, interleaved (sync, threads, sync,\n"
    "threads ...); the verdict compares medians (default 1)" },
  { OPT_ASCII, "ascii", NULL,
    "ASCII glyphs only (also in a locale that is not UTF-8)" },
  { OPT_NO_COLOR, "no-color", NULL,
    "no colours (also when NO_COLOR is set)" },
  { OPT_NO_MOUSE, "no-mouse", NULL, "leave the mouse to the terminal" },
  { OPT_WIDTH, "width", "N",
    "columns of the report (default: the terminal's or 100)" },
  { OPT_QUIET, "quiet", NULL, "no progress lines on stderr" },
  { 0, NULL, NULL, "Demo server (the embedded one; not with --url):" },
  { OPT_LATENCY, "latency", "MS", "added to every answer (default 200)" },
  { OPT_JITTER, "jitter", "MS", "plus a seeded 0..MS (default 0)" },
  { OPT_CONNECT, "connect-ms", "MS",
    "plus MS on a connection's first request (default 0)" },
  { OPT_SEED, "seed", "N", "seed for answers, jitter and faults (default 1)" },
  { OPT_ERRORS, "errors", "PCT",
    "answer PCT% of requests with 429 or 500 (default 0)" },
  { OPT_STALL, "stall", "PCT", "never answer PCT% of requests (default 0)" },
  { 0, NULL, NULL, NULL },
};

/* The demo server's settings: what --url makes meaningless. */
static const struct {
  int         id;
  const char *name;
} demo_opts[] = {
  { OPT_LATENCY, "latency" }, { OPT_JITTER, "jitter" },
  { OPT_CONNECT, "connect-ms" }, { OPT_SEED, "seed" },
  { OPT_ERRORS, "errors" }, { OPT_STALL, "stall" },
};

/* Check that every mode in a comma-separated list exists. */
static void
check_modes(const char *list)
{
  char *copy = gt_xstrdup(list), *save = NULL, *m;
  size_t n, i, count = 0;
  const char *const *names;

  for (m = strtok_r(copy, ",", &save); m != NULL;
       m = strtok_r(NULL, ",", &save)) {
    if (++count > GT_SESSION_MAX_MODES)
      usage_error("--modes: at most %d modes", GT_SESSION_MAX_MODES);
    if (!gt_mode_exists(m)) {
      char *esc = gt_xescape(m);

      names = gt_mode_names(&n);
      fprintf(stderr, "gantty: --modes: unknown mode '%s' (modes:", esc);
      free(esc);
      for (i = 0; i < n; i++)
        fprintf(stderr, "%s %s", i ? "," : "", names[i]);
      fputs(")\n", stderr);
      exit(EXIT_USAGE);
    }
  }
  free(copy);
  if (count == 0)
    usage_error("--modes: the list is empty");
}

/* The traits of the session's modes: any (the union) and the modes as a
 * comma-separated list for messages, into names (size len). */
static unsigned
modes_traits(const struct opts *o, char *names, size_t len)
{
  char mode[GT_SESSION_MAX_MODES][GT_MODE_LEN];
  char folder[GT_SESSION_MAX_MODES][GT_FOLDER_LEN];
  size_t n = gt_session_modes(o->modes, mode, folder), i, at = 0;
  unsigned any = 0;

  names[0] = '\0';
  for (i = 0; i < n; i++) {
    any |= gt_mode_traits(mode[i]);
    if (at < len)
      at += (size_t)snprintf(names + at, len - at, "%s%s", i ? "," : "",
          mode[i]);
  }
  return any;
}

/* The modes that have trait, comma-separated, into names (size len). */
static const char *
modes_with(unsigned trait, char *names, size_t len)
{
  const char *const *all;
  size_t n, i, at = 0;

  names[0] = '\0';
  all = gt_mode_names(&n);
  for (i = 0; i < n && at < len; i++)
    if (gt_mode_traits(all[i]) & trait)
      at += (size_t)snprintf(names + at, len - at, "%s%s", at ? "," : "",
          all[i]);
  return names;
}

/* run takes one word, the workload; then what its options say together. */
static void
run_check(struct opts *o, char **words, size_t nwords)
{
  size_t i;

  if (nwords > 1)
    usage_error("unexpected word '%s'", words[1]);
  o->workload = nwords == 1 ? words[0] : NULL;
  if (o->like != NULL)  /* the file's settings, under the line's */
    settings_like(o, o->workload);
  if (o->spec != NULL && o->workload != NULL)
    usage_error("--spec %s: a spec file is the workload; drop '%s'",
        o->spec, o->workload);
  if (o->spec != NULL && OPT_GIVEN(o, OPT_TASKS))
    usage_error("--tasks: a spec file (--spec %s) says its tasks; drop "
        "--tasks or --spec", o->spec);
  if (o->workload == NULL)
    o->workload = o->spec != NULL ? o->spec : "genre";
  if (o->spec == NULL && gt_workload_find(o->workload) == NULL)
    usage_error("unknown workload '%s' (see gantty list)", o->workload);
  if (o->modes != NULL)
    check_modes(o->modes);
  if (o->repeat > 1 && o->together)
    usage_error("--repeat %u with --together: repeats run one after "
        "another, so that each is measured alone; drop one of them",
        o->repeat);
  if (o->repeat > 1) {
    char m[GT_SESSION_MAX_MODES][GT_MODE_LEN];
    char f[GT_SESSION_MAX_MODES][GT_FOLDER_LEN];
    size_t n = gt_session_modes(o->modes, m, f);

    if (n * o->repeat > GT_SESSION_MAX_RUNS)
      usage_error("--repeat %u: %zu modes x %u is more than %d runs in a "
          "session", o->repeat, n, o->repeat, GT_SESSION_MAX_RUNS);
  }
  if (o->out_dir[0] == '\0')
    usage_error("--out: an empty name; give a folder name");
  if (o->url != NULL) {
    char *cause = NULL;

    if (gt_url_check(o->url, &cause) != 0)
      usage_error("--url %s", cause);
    free(cause);
    for (i = 0; i < sizeof(demo_opts) / sizeof(demo_opts[0]); i++)
      if (OPT_GIVEN(o, demo_opts[i].id))
        usage_error("--%s sets the embedded demo server, and --url "
            "replaces it; drop one of them", demo_opts[i].name);
  }
  cli_check_faults(o);
}

/* What the tasks' steps are: bit k of *kinds when some step is of enum
 * gt_step_kind k, bit k of *gil when some CPU step is of enum gt_gil_kind
 * k. */
static void
step_kinds(const struct gt_task *tasks, size_t ntasks, unsigned *kinds,
    unsigned *gil)
{
  const struct gt_step *st;
  size_t i, j;

  *kinds = *gil = 0;
  for (i = 0; i < ntasks; i++)
    for (j = 0; j < tasks[i].nsteps; j++) {
      st = &tasks[i].steps[j];
      if (st->kind >= 0 && st->kind < 32)
        *kinds |= 1u << st->kind;
      if (st->kind == GT_STEP_CPU && st->gil >= 0 && st->gil < 32)
        *gil |= 1u << st->gil;
    }
}

/* 1 when some task has a step of a kind in want (bit k: enum
 * gt_step_kind k). */
static int
has_step(const struct gt_task *tasks, size_t ntasks, unsigned want)
{
  unsigned kinds, gil;

  step_kinds(tasks, ntasks, &kinds, &gil);
  return (kinds & want) != 0;
}

/* Warn about each option that does nothing for these modes and these
 * tasks (needs_server: they make requests to the embedded server). */
static void
warn_no_ops(const struct opts *o, const char *wl_name,
    const struct gt_task *tasks, size_t ntasks, int needs_server)
{
  char names[GT_SESSION_MAX_MODES * GT_MODE_LEN], with[128];
  unsigned any = modes_traits(o, names, sizeof(names));
  size_t i;

  if (o->gil && !(any & GT_MODE_GIL))
    cli_warn("--gil does nothing here: no mode of %s runs CPU steps under "
        "a GIL (those that do: %s)", names,
        modes_with(GT_MODE_GIL, with, sizeof(with)));
  else if (o->gil && !has_step(tasks, ntasks, 1u << GT_STEP_CPU))
    cli_warn("--gil does nothing here: %s has no CPU step", wl_name);
  if (OPT_GIVEN(o, OPT_SWITCH) && o->headless && !o->gil)
    cli_warn("--switch-ms does nothing without --gil");
  if (o->limit != 0 && !(any & GT_MODE_LOOP))
    cli_warn("--limit does nothing here: no mode of %s has an event loop "
        "(those that do: %s)", names,
        modes_with(GT_MODE_LOOP, with, sizeof(with)));
  /* --pool as the line gave it: every file records the pool its session
   * had, and --like takes it back without the user having asked */
  if (OPT_GIVEN(o, OPT_POOL) && !(any & GT_MODE_LOOP))
    cli_warn("--pool does nothing here: no mode of %s has an event loop "
        "(those that do: %s)", names,
        modes_with(GT_MODE_LOOP, with, sizeof(with)));
  else if (OPT_GIVEN(o, OPT_POOL) && !has_step(tasks, ntasks,
      1u << GT_STEP_WRITE | 1u << GT_STEP_APPEND))
    cli_warn("--pool does nothing here: %s writes no file (libuv's pool "
        "runs the loop's file writes)", wl_name);
  if (o->workers != 0 && !(any & GT_MODE_WORKERS))
    cli_warn("--workers does nothing here: no mode of %s has a pool of "
        "workers (those that do: %s)", names,
        modes_with(GT_MODE_WORKERS, with, sizeof(with)));
  for (i = 0; o->url == NULL && !needs_server
       && i < sizeof(demo_opts) / sizeof(demo_opts[0]); i++)
    if (OPT_GIVEN(o, demo_opts[i].id)) {
      cli_warn("the demo server's settings do nothing here: %s makes no "
          "request to it", wl_name);
      break;
    }
}

/* The session's lines, on stderr. */
static void
tell(void *arg, const char *line)
{
  (void)arg;
  say("%s", line);
}

/* The live view's side of a session. */
struct live {
  const struct opts  *o;
  struct gt_session  *sess;
  struct gt_recorder *rec;
  struct settings_ctx ctx;   /* the settings' facts; workers and gil are
                                the view's at each start */
};

/* Give rec the settings of a session run with o and ctx. */
static void
set_settings(struct gt_recorder *rec, const struct opts *o,
    const struct settings_ctx *ctx)
{
  struct gt_settings s = {0};

  settings_of(o, ctx, &s);
  gt_recorder_set_settings(rec, &s);
  gt_settings_clear(&s);
}

/* Live view op: a fresh recorder, and the runs started on a thread. */
static struct gt_recorder *
tui_start(void *arg, const struct gt_tui_settings *set, gt_wake_fn wake,
    void *wake_arg)
{
  struct live *l = arg;

  gt_recorder_free(l->rec);
  l->rec = gt_recorder_new();
  gt_recorder_set_workload(l->rec, l->o->workload);
  l->ctx.workers = set->workers;
  l->ctx.gil = set->gil;
  l->ctx.cores = set->cores;
  set_settings(l->rec, l->o, &l->ctx);
  gt_recorder_set_wake(l->rec, wake, wake_arg);
  gt_session_set_cores(l->sess, set->cores);
  /* wake when the runs end: the view repaints the end (no [live]) */
  (void)gt_session_start(l->sess, l->rec, set->workers, set->gil, wake,
      wake_arg);
  return l->rec;
}

/* Live view op: ask the runs to stop. */
static void
tui_stop(void *arg)
{
  struct live *l = arg;

  gt_session_cancel(l->sess);
}

/* Live view op: wait for the runs' thread. */
static void
tui_join(void *arg)
{
  struct live *l = arg;

  gt_session_join(l->sess);
  if (l->rec != NULL)  /* nothing appends now: drop the view's doorbell */
    gt_recorder_set_wake(l->rec, NULL, NULL);
}

/* Live view op: are runs going? */
static int
tui_running(void *arg)
{
  struct live *l = arg;

  return gt_session_running(l->sess);
}

/* Open the live view on the session; returns the exit status and the
 * recorder of its last start in *rec. */
static int
run_live(const struct opts *o, struct gt_session *sess, const char *title,
    const struct settings_ctx *ctx, struct gt_recorder **rec)
{
  static const struct gt_tui_ops ops = {
    .start = tui_start,
    .stop = tui_stop,
    .join = tui_join,
    .running = tui_running,
    .gil_available = 1,
  };
  const char *nc = getenv("NO_COLOR");
  struct gt_tui_config cfg = {
    .ascii = o->ascii || strcmp(nl_langinfo(CODESET), "UTF-8") != 0,
    .color = !o->no_color && !(nc != NULL && nc[0] != '\0'),
    .mouse = !o->no_mouse,
    .title = title,
    .settings = { .workers = o->workers, .gil = o->gil,
        .cores = o->cores },
  };
  struct live l = { .o = o, .sess = sess, .ctx = *ctx };
  char *cause = NULL;
  int status;

  gt_session_set_live(sess, 1);
  status = gt_tui_run(&cfg, &ops, &l, &cause);
  gt_session_set_live(sess, 0);  /* the runs' thread is joined */
  if (cause != NULL) {
    say("%s", cause);
    free(cause);
  }
  if (gt_session_first_error(sess) != NULL)
    say("%s", gt_session_first_error(sess));
  *rec = l.rec;
  return status;
}

/* `gantty run`. */
static int
cmd_run(const struct opts *o)
{
  const struct gt_workload *wl = o->spec ? NULL
      : gt_workload_find(o->workload);
  const char *wl_name = wl != NULL ? wl->name : o->spec;
  int needs_server = wl != NULL && wl->needs_server;
  struct gt_workload_params params = { .tasks = o->tasks, .seed = o->seed,
      .scale = o->scale };
  struct gt_session_config scfg = {
    .modes = o->modes,
    .together = o->together,
    .repeat = o->repeat,
    .workers = o->workers,
    .limit = o->limit,
    .pool = o->pool,
    .out_dir = o->out_dir,
    .timeout_ms = o->timeout_ms,
    .gil = o->gil,
    .cores = o->cores,
    .switch_ms = o->switch_ms,
    .fresh = o->fresh,
    .quiet = o->quiet,
    .tell = tell,
  };
  struct gt_demo_config cfg;
  struct settings_ctx ctx = { .workers = o->workers, .gil = o->gil,
      .cores = o->cores };
  struct gt_demo_server *srv = NULL;
  struct gt_session *sess;
  struct gt_recorder *rec = NULL;
  struct gt_task *tasks = NULL;
  char *cause = NULL, title[128], *url = NULL, *proxy = NULL;
  char *shown = NULL;
  const char *proxy_var = NULL, *base_url;
  size_t ntasks = 0;
  unsigned kinds;
  int status = 0;

  check_outputs(o, 1, "--trace");
  cli_demo_config(o, &cfg);
  sess = gt_session_new(&scfg);
  /* Headless: the stop signals are blocked before any thread exists, so
   * every thread inherits the mask and the session's thread takes them. */
  if (o->headless)
    (void)gt_session_catch_signals(sess);
  if (wl == NULL
      ? gt_spec_load(o->spec, &tasks, &ntasks, &needs_server, &cause) != 0
      : wl->make(&params, &tasks, &ntasks, &cause) != 0) {
    if (wl == NULL)
      say("--spec %s", cause);
    else
      say("%s: %s", wl->name, cause);
    status = EXIT_USAGE;
    goto out;
  }
  warn_no_ops(o, wl_name, tasks, ntasks, needs_server);
  if (o->url != NULL) {  /* paths start with '/': drop the URL's last one */
    url = gt_xstrdup(o->url);
    if (url[0] != '\0' && url[strlen(url) - 1] == '/')
      url[strlen(url) - 1] = '\0';
  }
  base_url = url;
  if (make_dirs(o->out_dir, &cause) != 0) {
    say("--out: %s", cause);
    status = 1;
    goto out;
  }
  if (needs_server && base_url == NULL) {
    if (gt_demo_server_start(&cfg, &srv, &cause) != 0) {
      say("demo server: %s", cause);
      status = 1;
      goto out;
    }
    base_url = gt_demo_server_url(srv);
  } else if (base_url != NULL) {
    proxy = gt_url_proxy(base_url, &proxy_var);
  }
  gt_session_set_tasks(sess, tasks, ntasks, base_url, srv != NULL);
  if (base_url != NULL)  /* never a password on the screen */
    shown = gt_url_shown(base_url);
  ctx.ntasks = ntasks;
  step_kinds(tasks, ntasks, &kinds, &ctx.cpu_kinds);
  ctx.has_cpu = (kinds >> GT_STEP_CPU & 1) != 0;
  ctx.url_shown = srv == NULL ? shown : NULL;
  if (!o->headless) {
    snprintf(title, sizeof(title), "%s, %zu task%s", wl_name, ntasks,
        ntasks == 1 ? "" : "s");
    status = run_live(o, sess, title, &ctx, &rec);
  } else {
    if (!o->quiet)
      say("%s, %zu task%s, server %s%s%s%s", wl_name, ntasks,
          ntasks == 1 ? "" : "s",
          shown ? shown : "-", srv ? " (embedded demo server)" : "",
          proxy ? " through the proxy " : "", proxy ? proxy : "");
    rec = gt_recorder_new();
    gt_recorder_set_workload(rec, o->workload);
    set_settings(rec, o, &ctx);
    gt_session_run(sess, rec);
    if (gt_session_stop_signal(sess))
      status = 128 + gt_session_stop_signal(sess);
  }
  gt_demo_server_stop(srv);
  srv = NULL;
  if (gt_session_failed(sess) && status == 0)
    status = 1;
  if (rec != NULL && proxy != NULL)  /* the times include the proxy */
    printf("proxy: %s reached through %s (from %s in the environment)\n",
        shown, proxy, proxy_var);
  if (rec != NULL && finish_session(o, rec, ntasks, !o->headless) != 0
      && status == 0)
    status = 1;
  if (gt_session_stop_signal(sess))
    fputs("gantty: interrupted; the report and files above hold what ran\n",
        stderr);
out:
  gt_demo_server_stop(srv);
  gt_session_free(sess);  /* ends the signal thread */
  gt_recorder_free(rec);
  gt_tasks_free(tasks, ntasks);
  free(url);
  free(shown);
  free(proxy);
  free(cause);
  return status;
}

const struct cli_command cmd_run_entry = {
  .name = "run",
  .words = "[WORKLOAD]",
  .summary = "run a workload under each mode",
  .options = run_options,
  .check = run_check,
  .exec = cmd_run,
  .scheduler = 1,
};
