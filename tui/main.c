/*
 * tui/main.c: the command line, the wiring and the exit codes.  The one file
 * that sees every library: it makes the recorder, starts the demo server,
 * runs each mode in turn, and hands the recorder to the report and the
 * exporters.
 *
 * Exit status: 0 the session ran (tasks may have failed: that is data);
 * 2 a usage error, with a message naming the bad word; 1 an error that
 * stopped the session (cannot bind, cannot write a file); 128 + the signal
 * when SIGINT or SIGTERM stopped it (what was recorded is still reported
 * and written).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base.h"
#include "chrome.h"
#include "demo_server.h"
#include "executor.h"
#include "lanes.h"
#include "recorder.h"
#include "report.h"
#include "stats.h"
#include "workload.h"

#define EXIT_USAGE 2
#define MAX_TRACES 8
#define MAX_MS 86400000ull  /* a day */

struct opts {
  const char *cmd;            /* "run", "list", "serve" */
  const char *workload;
  char       *modes;          /* comma-separated, as given */
  unsigned    tasks;
  unsigned    workers;
  unsigned    latency_ms;
  unsigned    jitter_ms;
  unsigned    connect_ms;
  unsigned    width;
  uint64_t    seed;
  long        timeout_ms;
  const char *url;
  const char *out_dir;
  const char *summary;
  const char *traces[MAX_TRACES];
  size_t      ntraces;
  int         headless;
  int         ascii;
  int         quiet;
};

static atomic_int stop_requested;  /* the signal that stopped us, or 0 */
static _Atomic(struct gt_run *) current_run;

/* SIGINT/SIGTERM: stop the run in progress; the rest of main reports and
 * writes what was recorded.  Only atomic stores here. */
static void
on_stop_signal(int sig)
{
  atomic_store(&stop_requested, sig);
  gt_run_stop(atomic_load(&current_run));
}

/* Print usage to f. */
static void
usage(FILE *f)
{
  fputs(
"usage: gantty [run] [WORKLOAD] [options]   run a workload under each mode\n"
"       gantty list                         workloads and modes\n"
"       gantty serve [server options]       the demo HTTP server alone\n"
"\n"
"Run options:\n"
"  --modes LIST       modes to run, comma-separated (default: all, in order)\n"
"  --tasks N          tasks in the workload (default: the workload's)\n"
"  --workers K        pool width (default: the mode's; threads: one per task)\n"
"  --out DIR          where tasks write files, one sub-folder per mode\n"
"                     (default: gantty-out)\n"
"  --trace FILE.json  write the session as Chrome trace JSON (repeatable)\n"
"  --summary FILE     write per-run figures as JSON\n"
"  --url URL          use this server instead of the embedded demo server\n"
"  --timeout-ms MS    give up on a request after MS (default 30000)\n"
"  --headless         print the report instead of opening the view\n"
"  --ascii            ASCII glyphs only\n"
"  --width N          columns of the report (default: the terminal's or 100)\n"
"  --quiet            no progress lines on stderr\n"
"Demo server options (run and serve):\n"
"  --latency MS       added to every answer (default 200)\n"
"  --jitter MS        plus a seeded 0..MS (default 0)\n"
"  --connect-ms MS    plus MS on a connection's first request (default 0)\n"
"  --seed N           seed for genres and jitter (default 1)\n"
"Other:\n"
"  -h, --help         this text\n"
"  -V, --version      the version\n", f);
}

/* Report a usage error naming the bad word and exit 2. */
static void __attribute__((noreturn, format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
  va_list ap;

  fputs("gantty: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputs("\n(see gantty --help)\n", stderr);
  exit(EXIT_USAGE);
}

/* A whole decimal number in [lo, hi], or a usage error naming opt. */
static unsigned long long
parse_num(const char *opt, const char *s, unsigned long long lo,
    unsigned long long hi)
{
  unsigned long long v;
  char *end;

  errno = 0;
  v = strtoull(s, &end, 10);
  if (s[0] == '\0' || s[0] == '-' || *end != '\0' || errno != 0 || v < lo
      || v > hi)
    usage_error("%s: '%s' is not a whole number from %llu to %llu", opt, s,
        lo, hi);
  return v;
}

/* 1 when s ends with suffix. */
static int
ends_with(const char *s, const char *suffix)
{
  size_t a = strlen(s), b = strlen(suffix);

  return a >= b && strcmp(s + a - b, suffix) == 0;
}

enum {
  OPT_MODES = 256, OPT_TASKS, OPT_WORKERS, OPT_LATENCY, OPT_JITTER,
  OPT_CONNECT, OPT_SEED, OPT_URL, OPT_TIMEOUT, OPT_OUT, OPT_TRACE,
  OPT_SUMMARY, OPT_HEADLESS, OPT_ASCII, OPT_WIDTH, OPT_QUIET
};

static const struct option long_opts[] = {
  { "modes",      required_argument, NULL, OPT_MODES },
  { "tasks",      required_argument, NULL, OPT_TASKS },
  { "workers",    required_argument, NULL, OPT_WORKERS },
  { "latency",    required_argument, NULL, OPT_LATENCY },
  { "jitter",     required_argument, NULL, OPT_JITTER },
  { "connect-ms", required_argument, NULL, OPT_CONNECT },
  { "seed",       required_argument, NULL, OPT_SEED },
  { "url",        required_argument, NULL, OPT_URL },
  { "timeout-ms", required_argument, NULL, OPT_TIMEOUT },
  { "out",        required_argument, NULL, OPT_OUT },
  { "trace",      required_argument, NULL, OPT_TRACE },
  { "summary",    required_argument, NULL, OPT_SUMMARY },
  { "headless",   no_argument,       NULL, OPT_HEADLESS },
  { "ascii",      no_argument,       NULL, OPT_ASCII },
  { "width",      required_argument, NULL, OPT_WIDTH },
  { "quiet",      no_argument,       NULL, OPT_QUIET },
  { "help",       no_argument,       NULL, 'h' },
  { "version",    no_argument,       NULL, 'V' },
  { NULL, 0, NULL, 0 }
};

/* The usage error for an option getopt did not take: an unknown short
 * option (optopt names it, even inside a cluster such as -xh), an
 * abbreviation of several long options, or an unknown long option. */
static void __attribute__((noreturn))
bad_option(const char *word)
{
  char list[256] = "";
  size_t len, n = 0, i;

  if (optopt != 0)
    usage_error("unknown option '-%c'", optopt);
  if (strncmp(word, "--", 2) == 0) {
    len = strcspn(word + 2, "=");
    for (i = 0; long_opts[i].name != NULL; i++) {
      if (strncmp(long_opts[i].name, word + 2, len) != 0)
        continue;
      snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s--%s",
          n++ ? ", " : "", long_opts[i].name);
    }
    if (n > 1)
      usage_error("option '%.*s' is ambiguous (%s)", (int)len + 2, word,
          list);
  }
  usage_error("unknown option '%s'", word);
}

/* Check that every mode in a comma-separated list exists. */
static void
check_modes(const char *list)
{
  char *copy = gt_xstrdup(list), *save = NULL, *m;
  size_t n, i;
  const char *const *names;

  if (list[0] == '\0')
    usage_error("--modes: the list is empty");
  for (m = strtok_r(copy, ",", &save); m != NULL;
       m = strtok_r(NULL, ",", &save)) {
    if (!gt_mode_exists(m)) {
      names = gt_mode_names(&n);
      fprintf(stderr, "gantty: --modes: unknown mode '%s' (modes:", m);
      for (i = 0; i < n; i++)
        fprintf(stderr, "%s %s", i ? "," : "", names[i]);
      fputs(")\n", stderr);
      exit(EXIT_USAGE);
    }
  }
  free(copy);
}

/* Parse argv into o, exiting for --help, --version and usage errors. */
static void
parse_args(int argc, char **argv, struct opts *o)
{
  const char *pos[2] = { NULL, NULL };
  int c, npos = 0;

  memset(o, 0, sizeof(*o));
  o->latency_ms = 200;
  o->seed = 1;
  o->out_dir = "gantty-out";
  o->headless = !isatty(STDOUT_FILENO);
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":hV", long_opts, NULL)) != -1) {
    switch (c) {
    case OPT_MODES:    o->modes = optarg; break;
    case OPT_URL:      o->url = optarg; break;
    case OPT_OUT:      o->out_dir = optarg; break;
    case OPT_SUMMARY:  o->summary = optarg; break;
    case OPT_HEADLESS: o->headless = 1; break;
    case OPT_ASCII:    o->ascii = 1; break;
    case OPT_QUIET:    o->quiet = 1; break;
    case OPT_TASKS:
      o->tasks = parse_num("--tasks", optarg, 1, 1000000);
      break;
    case OPT_WORKERS:
      o->workers = parse_num("--workers", optarg, 1, 100000);
      break;
    case OPT_LATENCY:
      o->latency_ms = parse_num("--latency", optarg, 0, MAX_MS);
      break;
    case OPT_JITTER:
      o->jitter_ms = parse_num("--jitter", optarg, 0, MAX_MS);
      break;
    case OPT_CONNECT:
      o->connect_ms = parse_num("--connect-ms", optarg, 0, MAX_MS);
      break;
    case OPT_SEED:
      o->seed = parse_num("--seed", optarg, 0, UINT64_MAX);
      break;
    case OPT_TIMEOUT:
      o->timeout_ms = (long)parse_num("--timeout-ms", optarg, 1, MAX_MS);
      break;
    case OPT_WIDTH:
      o->width = parse_num("--width", optarg, 40, 10000);
      break;
    case OPT_TRACE:
      if (!ends_with(optarg, ".json"))
        usage_error("--trace: '%s': the file name must end in .json", optarg);
      if (o->ntraces == MAX_TRACES)
        usage_error("--trace: at most %d files", MAX_TRACES);
      o->traces[o->ntraces++] = optarg;
      break;
    case 'h':
      usage(stdout);
      exit(0);
    case 'V':
      printf("gantty %s\n", GT_VERSION);
      exit(0);
    case ':':
      usage_error("option '%s' needs a value", argv[optind - 1]);
    default:
      bad_option(argv[optind - 1]);
    }
  }
  for (; optind < argc; optind++) {
    if (npos == 2)
      usage_error("unexpected word '%s'", argv[optind]);
    pos[npos++] = argv[optind];
  }
  o->cmd = "run";
  if (pos[0] != NULL && (strcmp(pos[0], "run") == 0
      || strcmp(pos[0], "list") == 0 || strcmp(pos[0], "serve") == 0)) {
    o->cmd = pos[0];
    o->workload = pos[1];
  } else {
    if (pos[1] != NULL)
      usage_error("unknown command '%s' (commands: run, list, serve)",
          pos[0]);
    o->workload = pos[0];
  }
  if (strcmp(o->cmd, "run") != 0 && o->workload != NULL)
    usage_error("unexpected word '%s'", o->workload);
  if (o->workload == NULL)
    o->workload = "genre";
  if (strcmp(o->cmd, "run") == 0 && gt_workload_find(o->workload) == NULL)
    usage_error("unknown workload '%s' (see gantty list)", o->workload);
  if (o->modes != NULL)
    check_modes(o->modes);
}

/* Raise the open-file limit to the hard limit; returns the limit now. */
static rlim_t
raise_nofile(void)
{
  struct rlimit rl;

  if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
    return 1024;
  if (rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
  }
  return rl.rlim_cur;
}

/* mkdir -p. */
static int
make_dirs(const char *path, char **cause)
{
  char *p = gt_xstrdup(path), *s;
  int rc = 0;

  for (s = p + 1; ; s++) {
    if (*s != '/' && *s != '\0')
      continue;
    char save = *s;

    *s = '\0';
    if (mkdir(p, 0755) != 0 && errno != EEXIST) {
      rc = -errno;
      gt_set_cause(cause, "cannot create folder %s: %s", p, strerror(errno));
      break;
    }
    *s = save;
    if (save == '\0')
      break;
  }
  free(p);
  return rc;
}

/* `gantty list`. */
static int
cmd_list(void)
{
  const struct gt_workload *const *w;
  const char *const *m;
  size_t n, i;

  w = gt_workload_list(&n);
  puts("Workloads:");
  for (i = 0; i < n; i++)
    printf("  %-8s %s (default %u tasks)\n", w[i]->name, w[i]->summary,
        w[i]->default_tasks);
  m = gt_mode_names(&n);
  puts("Modes (run in this order):");
  for (i = 0; i < n; i++)
    printf("  %-8s default width %u for 5 tasks\n", m[i],
        gt_mode_default_workers(m[i], 5));
  return 0;
}

/* The demo server settings from the options. */
static struct gt_demo_config
demo_config(const struct opts *o)
{
  struct gt_demo_config cfg = {
    .seed = o->seed,
    .latency_ms = o->latency_ms,
    .jitter_ms = o->jitter_ms,
    .connect_ms = o->connect_ms,
  };

  return cfg;
}

/* `gantty serve`: the demo server until SIGINT or SIGTERM. */
static int
cmd_serve(const struct opts *o)
{
  struct gt_demo_config cfg = demo_config(o);
  struct gt_demo_server *srv = NULL;
  char *cause = NULL;
  sigset_t set;
  int sig;

  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);  /* before the server's threads */
  raise_nofile();
  if (gt_demo_server_start(&cfg, &srv, &cause) != 0) {
    fprintf(stderr, "gantty: demo server: %s\n", cause);
    free(cause);
    return 1;
  }
  printf("%s\n", gt_demo_server_url(srv));
  fflush(stdout);
  fprintf(stderr, "gantty: demo server at %s (latency %u ms, jitter %u ms, "
      "connect %u ms, seed %llu); Ctrl-C stops it\n", gt_demo_server_url(srv),
      o->latency_ms, o->jitter_ms, o->connect_ms,
      (unsigned long long)o->seed);
  sigwait(&set, &sig);
  gt_demo_server_stop(srv);
  return 0;
}

/* The report's width: --width, else the terminal's, else 100. */
static unsigned
report_width(const struct opts *o)
{
  struct winsize ws;

  if (o->width)
    return o->width;
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0
      && ws.ws_col >= 40)
    return ws.ws_col;
  return 100;
}

/* Report, summary and traces from what the recorder holds.  Returns 0 or 1
 * when a file could not be written. */
static int
finish_session(const struct opts *o, struct gt_recorder *rec, size_t ntasks)
{
  struct gt_report_opts ro = { .ascii = o->ascii, .width = report_width(o) };
  struct gt_run_stats st[64];
  struct gt_lanes lanes;
  char *cause = NULL;
  size_t nst, i;
  int status = 0;

  gt_lanes_build(rec, &lanes);
  nst = gt_stats_compute(rec, &lanes, st, 64);
  gt_report_print(stdout, rec, &lanes, st, nst, &ro);
  fflush(stdout);
  gt_lanes_done(&lanes);
  if (o->summary != NULL
      && gt_summary_write(o->summary, o->workload, ntasks, st, nst,
          &cause) != 0) {
    fprintf(stderr, "gantty: --summary: %s\n", cause);
    free(cause);
    cause = NULL;
    status = 1;
  }
  for (i = 0; i < o->ntraces; i++) {
    if (gt_chrome_export(rec, o->traces[i], &cause) != 0) {
      fprintf(stderr, "gantty: --trace: %s\n", cause);
      free(cause);
      cause = NULL;
      status = 1;
    } else if (!o->quiet) {
      fprintf(stderr, "gantty: wrote %s\n", o->traces[i]);
    }
  }
  return status;
}

/* One mode's run, into its own output folder.  Returns 0 or 1. */
static int
run_mode(const struct opts *o, struct gt_recorder *rec, const char *mode,
    const char *base_url, const struct gt_task *tasks, size_t ntasks,
    rlim_t nofile)
{
  char *dir = gt_xasprintf("%s/%s", o->out_dir, mode), *cause = NULL;
  struct gt_run_config cfg = {
    .mode = mode,
    .workers = o->workers,
    .base_url = base_url,
    .out_dir = dir,
    .timeout_ms = o->timeout_ms,
  };
  struct gt_run *run = NULL;
  unsigned width;
  int rc;

  rc = make_dirs(dir, &cause);
  if (rc == 0)
    rc = gt_run_new(rec, &cfg, tasks, ntasks, &run, &cause);
  if (rc != 0)
    goto out;
  /* Publish the run before looking at the flag: a signal before this point
   * is seen by the check, one after it stops the run itself.  A stopped run
   * still executes, quickly, so its tasks are recorded as cancelled. */
  atomic_store(&current_run, run);
  if (atomic_load(&stop_requested))
    gt_run_stop(run);
  width = gt_run_workers(run);
  if (!o->quiet)
    fprintf(stderr, "gantty: %s: %zu tasks on %u worker%s\n", mode, ntasks,
        width, width == 1 ? "" : "s");
  /* Each request in flight holds a client and (embedded server) a server
   * socket in this process. */
  if ((rlim_t)width * 2 + 64 > nofile)
    fprintf(stderr, "gantty: %s: the open-file limit (%llu) caps this run "
        "at about %llu requests in flight\n", mode,
        (unsigned long long)nofile, (unsigned long long)(nofile - 64) / 2);
  rc = gt_run_exec(run, &cause);
  atomic_store(&current_run, NULL);
out:
  if (rc != 0) {
    fprintf(stderr, "gantty: %s: %s\n", mode, cause ? cause : gt_strerror(rc));
    rc = 1;
  }
  gt_run_free(run);
  free(cause);
  free(dir);
  return rc;
}

/* `gantty run`. */
static int
cmd_run(const struct opts *o)
{
  const struct gt_workload *wl = gt_workload_find(o->workload);
  struct gt_workload_params params = { .tasks = o->tasks, .seed = o->seed };
  struct gt_demo_config cfg = demo_config(o);
  struct gt_demo_server *srv = NULL;
  struct gt_recorder *rec = NULL;
  struct gt_task *tasks = NULL;
  const char *base_url = o->url;
  char *modes, *m, *save = NULL, *cause = NULL;
  struct sigaction sa;
  size_t ntasks = 0;
  rlim_t nofile;
  int status = 0;

  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  nofile = raise_nofile();

  if (wl->make(&params, &tasks, &ntasks, &cause) != 0) {
    fprintf(stderr, "gantty: %s: %s\n", wl->name, cause);
    free(cause);
    return EXIT_USAGE;
  }
  if (make_dirs(o->out_dir, &cause) != 0) {
    fprintf(stderr, "gantty: --out: %s\n", cause);
    status = 1;
    goto out;
  }
  if (wl->needs_server && base_url == NULL) {
    if (gt_demo_server_start(&cfg, &srv, &cause) != 0) {
      fprintf(stderr, "gantty: demo server: %s\n", cause);
      status = 1;
      goto out;
    }
    base_url = gt_demo_server_url(srv);
  }
  if (!o->quiet)
    fprintf(stderr, "gantty: %s, %zu tasks, server %s%s\n", wl->name, ntasks,
        base_url ? base_url : "-", srv ? " (embedded demo server)" : "");

  rec = gt_recorder_new();
  if (o->modes != NULL) {
    modes = gt_xstrdup(o->modes);
  } else {
    size_t n, i;
    const char *const *names = gt_mode_names(&n);

    modes = gt_xstrdup("");
    for (i = 0; i < n; i++) {
      m = gt_xasprintf("%s%s%s", modes, i ? "," : "", names[i]);
      free(modes);
      modes = m;
    }
  }
  for (m = strtok_r(modes, ",", &save); m != NULL;
       m = strtok_r(NULL, ",", &save)) {
    if (atomic_load(&stop_requested))
      break;
    if (run_mode(o, rec, m, base_url, tasks, ntasks, nofile) != 0)
      status = 1;
  }
  free(modes);
  gt_demo_server_stop(srv);
  srv = NULL;

  if (finish_session(o, rec, ntasks) != 0)
    status = 1;
  if (atomic_load(&stop_requested)) {
    fputs("gantty: interrupted; the report and files above hold what ran\n",
        stderr);
    status = 128 + atomic_load(&stop_requested);
  }
out:
  gt_demo_server_stop(srv);
  gt_recorder_free(rec);
  gt_tasks_free(tasks, ntasks);
  free(cause);
  return status;
}

int
main(int argc, char **argv)
{
  struct opts o;
  int status;

  parse_args(argc, argv, &o);
  if (strcmp(o.cmd, "list") == 0)
    return cmd_list();
  if (gt_scheduler_init() != 0) {
    fputs("gantty: cannot initialise libcurl\n", stderr);
    return 1;
  }
  if (strcmp(o.cmd, "serve") == 0)
    status = cmd_serve(&o);
  else
    status = cmd_run(&o);
  gt_scheduler_done();
  return status;
}
