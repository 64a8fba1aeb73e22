/*
 * tui/main.c: the command line, the wiring and the exit codes.  The one file
 * that sees every library: it makes the recorder, starts the demo server,
 * runs each mode in turn, and hands the recorder to the report and the
 * exporters.
 *
 * Exit status: 0 the session ran (tasks may have failed: that is data);
 * 2 a usage error, with a message naming the bad word; 1 an error that
 * stopped the session (cannot bind, cannot write a file); 128 + the signal
 * when SIGINT, SIGTERM or SIGHUP (the terminal closed) stopped it (what was
 * recorded is still reported and written).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
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
#include "export.h"
#include "demo_server.h"
#include "executor.h"
#include "lanes.h"
#include "recorder.h"
#include "report.h"
#include "spec.h"
#include "timeline.h"
#include "tui.h"
#include "workload.h"

#define EXIT_USAGE 2
#define MAX_TRACES 8
#define MAX_MS 86400000ull  /* a day */
#define MAX_MODES 16
#define MODE_LEN 32   /* a mode's name, with its NUL (modes are short) */
#define FD_RESERVE 64  /* descriptors kept for stdio, the loops, the demo
                          server's listener and threads, the files written */

struct opts {
  const char *cmd;            /* "run", "list", "serve", "replay",
                                 "convert" */
  const char *file;           /* replay FILE, convert IN */
  const char *file_out;       /* convert IN OUT */
  const char *workload;
  char       *modes;          /* comma-separated, as given */
  unsigned    tasks;
  unsigned    workers;
  unsigned    limit;
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
  int         no_color;
  int         no_mouse;
  int         together;
  int         gil;
  unsigned    switch_ms;
  unsigned    scale;
  unsigned    errors_pct;
  unsigned    stall_pct;
  int         fresh;          /* --connections fresh */
  const char *spec;           /* --spec FILE: the user's own tasks */
};

static atomic_int stop_requested;  /* the signal that stopped us, or 0 */
static atomic_int session_cancel;  /* 1: the session's runs must stop */
static pthread_mutex_t active_lock = PTHREAD_MUTEX_INITIALIZER;
static struct gt_run *active_runs[MAX_MODES];  /* under active_lock */

/* Stop every run in progress and keep later ones from starting.  A run is
 * freed only after it leaves active_runs, under the same lock, so this never
 * touches a freed run. */
static void
cancel_runs(void)
{
  int i;

  atomic_store(&session_cancel, 1);
  pthread_mutex_lock(&active_lock);
  for (i = 0; i < MAX_MODES; i++)
    gt_run_stop(active_runs[i]);
  pthread_mutex_unlock(&active_lock);
}

/* Put run in slot (NULL to clear it). */
static void
set_active(int slot, struct gt_run *run)
{
  pthread_mutex_lock(&active_lock);
  active_runs[slot] = run;
  pthread_mutex_unlock(&active_lock);
}

/* The headless run's signal thread: SIGINT, SIGTERM and SIGHUP (a closed
 * terminal, an ssh drop) are blocked in every thread and taken here with
 * sigwait(), so stopping is ordinary code, not a signal handler.  The first
 * signal stops the runs (what ran is still reported and written); a second
 * one leaves at once.  SIGUSR1 from main ends the thread. */
static void *
signal_main(void *arg)
{
  const sigset_t *set = arg;
  int sig;

  for (;;) {
    if (sigwait(set, &sig) != 0 || sig == SIGUSR1)
      return NULL;
    if (atomic_load(&stop_requested)) {
      static const char msg[] = "gantty: stopped at once\n";

      (void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
      _exit(128 + sig);
    }
    atomic_store(&stop_requested, sig);
    cancel_runs();
  }
}

/* Print usage to f. */
static void
usage(FILE *f)
{
  fputs(
"usage: gantty [run] [WORKLOAD] [options]   run a workload under each mode\n"
"       gantty list                         workloads and modes\n"
"       gantty serve [server options]       the demo HTTP server alone\n"
"       gantty replay FILE [--headless]     a trace file in the view\n"
"       gantty convert IN OUT               a trace as .json, .csv or .svg\n"
"\n"
"Run options:\n"
"  --modes LIST       modes to run, comma-separated (default: all, in order)\n"
"  --tasks N          tasks in the workload (default: the workload's)\n"
"  --workers K        pool width (default: the mode's; threads: one per task;\n"
"                     procs, hybrid: one worker process per core)\n"
"  --limit K          async: at most K tasks in flight; hybrid: K in each\n"
"                     worker process (default: all)\n"
"  --gil              threads: CPU steps hold one global lock, as CPython's\n"
"  --switch-ms MS     the GIL's switch interval (default 5)\n"
"  --scale S          pow: divide the exponents by S, for quick demos\n"
"  --spec FILE        run the tasks FILE describes (docs/spec-format.md)\n"
"  --connections reuse|fresh  keep one connection per worker or loop\n"
"                     (default reuse), or open one per request\n"
"  --out DIR          where tasks write files, one sub-folder per mode\n"
"                     (default: gantty-out)\n"
"  --trace FILE       write the session by its extension: .json (Chrome trace),\n"
"                     .csv or .svg (repeatable)\n"
"  --summary FILE     write per-run figures as JSON\n"
"  --url URL          an http(s) server to use instead of the embedded one\n"
"  --timeout-ms MS    give up on a request after MS (default 30000)\n"
"  --headless         print the report instead of opening the live view\n"
"  --together         run the modes at the same time, not one after another\n"
"  --ascii            ASCII glyphs only (also in a locale that is not UTF-8)\n"
"  --no-color         no colours (also when NO_COLOR is set)\n"
"  --no-mouse         leave the mouse to the terminal\n"
"  --width N          columns of the report (default: the terminal's or 100)\n"
"  --quiet            no progress lines on stderr\n"
"Demo server options (run and serve):\n"
"  --latency MS       added to every answer (default 200)\n"
"  --jitter MS        plus a seeded 0..MS (default 0)\n"
"  --connect-ms MS    plus MS on a connection's first request (default 0)\n"
"  --seed N           seed for answers, jitter and faults (default 1)\n"
"  --errors PCT       answer PCT% of requests with 429 or 500 (default 0)\n"
"  --stall PCT        never answer PCT% of requests (default 0)\n"
"Other:\n"
"  -h, --help         this text\n"
"  -V, --version      the version\n", f);
}

/* The message fmt makes, escaped for the terminal (it names words, paths
 * and files' contents, which may hold anything), malloc'd. */
static char *
escaped_vmsg(const char *fmt, va_list ap)
{
  char *raw = gt_xvasprintf(fmt, ap), *esc = gt_xescape(raw);

  free(raw);
  return esc;
}

/* "gantty: " and a message on stderr, escaped, then a newline: every line
 * of ours that carries a name, a path or a cause goes through here. */
static void __attribute__((format(printf, 1, 2)))
say(const char *fmt, ...)
{
  va_list ap;
  char *msg;

  va_start(ap, fmt);
  msg = escaped_vmsg(fmt, ap);
  va_end(ap);
  fprintf(stderr, "gantty: %s\n", msg);
  free(msg);
}

/* Report a usage error naming the bad word and exit 2. */
static void __attribute__((noreturn, format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
  va_list ap;
  char *msg;

  va_start(ap, fmt);
  msg = escaped_vmsg(fmt, ap);
  va_end(ap);
  fprintf(stderr, "gantty: %s\n(see gantty --help)\n", msg);
  free(msg);
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
  OPT_MODES = 256, OPT_TASKS, OPT_WORKERS, OPT_LIMIT, OPT_LATENCY, OPT_JITTER,
  OPT_CONNECT, OPT_SEED, OPT_URL, OPT_TIMEOUT, OPT_OUT, OPT_TRACE,
  OPT_SUMMARY, OPT_HEADLESS, OPT_ASCII, OPT_WIDTH, OPT_QUIET, OPT_NO_COLOR,
  OPT_NO_MOUSE, OPT_TOGETHER, OPT_GIL, OPT_SWITCH, OPT_SCALE, OPT_ERRORS, OPT_STALL, OPT_CONNECTIONS, OPT_SPEC
};

static const struct option long_opts[] = {
  { "modes",      required_argument, NULL, OPT_MODES },
  { "tasks",      required_argument, NULL, OPT_TASKS },
  { "workers",    required_argument, NULL, OPT_WORKERS },
  { "limit",      required_argument, NULL, OPT_LIMIT },
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
  { "no-color",   no_argument,       NULL, OPT_NO_COLOR },
  { "no-mouse",   no_argument,       NULL, OPT_NO_MOUSE },
  { "together",   no_argument,       NULL, OPT_TOGETHER },
  { "gil",        no_argument,       NULL, OPT_GIL },
  { "switch-ms",  required_argument, NULL, OPT_SWITCH },
  { "scale",      required_argument, NULL, OPT_SCALE },
  { "errors",     required_argument, NULL, OPT_ERRORS },
  { "stall",      required_argument, NULL, OPT_STALL },
  { "connections", required_argument, NULL, OPT_CONNECTIONS },
  { "spec",       required_argument, NULL, OPT_SPEC },
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
  size_t n, i, count = 0;
  const char *const *names;

  for (m = strtok_r(copy, ",", &save); m != NULL;
       m = strtok_r(NULL, ",", &save)) {
    if (++count > MAX_MODES)
      usage_error("--modes: at most %d modes", MAX_MODES);
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

/* The modes a run runs, in order (--modes, checked, or every mode), and
 * the folder inside --out each writes into: the mode's name, then NAME-2,
 * NAME-3 ... for its repeats, so that no two runs share a folder.
 * Returns the count. */
static size_t
mode_list(const struct opts *o, char mode[][MODE_LEN],
    char folder[][MODE_LEN + 8])
{
  char *copy, *save = NULL, *m;
  const char *const *names;
  size_t n = 0, i, k, before;

  if (o->modes != NULL) {
    copy = gt_xstrdup(o->modes);
    for (m = strtok_r(copy, ",", &save); m != NULL && n < MAX_MODES;
         m = strtok_r(NULL, ",", &save))
      snprintf(mode[n++], MODE_LEN, "%s", m);
    free(copy);
  } else {
    names = gt_mode_names(&k);
    for (; n < k && n < MAX_MODES; n++)
      snprintf(mode[n], MODE_LEN, "%s", names[n]);
  }
  for (i = 0; i < n; i++) {
    for (before = 0, k = 0; k < i; k++)
      before += strcmp(mode[k], mode[i]) == 0;
    if (before == 0)
      snprintf(folder[i], MODE_LEN + 8, "%s", mode[i]);
    else
      snprintf(folder[i], MODE_LEN + 8, "%s-%zu", mode[i], before + 1);
  }
  return n;
}

/* Parse argv into o, exiting for --help, --version and usage errors. */
static void
parse_args(int argc, char **argv, struct opts *o)
{
  const char *pos[3] = { NULL, NULL, NULL };
  int c, npos = 0;

  memset(o, 0, sizeof(*o));
  o->latency_ms = 200;
  o->seed = 1;
  o->out_dir = "gantty-out";
  /* The live view needs a terminal to draw on and to read keys from. */
  o->headless = !isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO);
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":hV", long_opts, NULL)) != -1) {
    switch (c) {
    case OPT_MODES:    o->modes = optarg; break;
    case OPT_URL:      o->url = optarg; break;
    case OPT_OUT:      o->out_dir = optarg; break;
    case OPT_SUMMARY:
      if (optarg[0] == '\0')
        usage_error("--summary: an empty name; give a file name");
      o->summary = optarg;
      break;
    case OPT_HEADLESS: o->headless = 1; break;
    case OPT_ASCII:    o->ascii = 1; break;
    case OPT_QUIET:    o->quiet = 1; break;
    case OPT_NO_COLOR: o->no_color = 1; break;
    case OPT_NO_MOUSE: o->no_mouse = 1; break;
    case OPT_TOGETHER: o->together = 1; break;
    case OPT_GIL:      o->gil = 1; break;
    case OPT_SWITCH:
      o->switch_ms = parse_num("--switch-ms", optarg, 1, 10000);
      break;
    case OPT_SCALE:
      o->scale = parse_num("--scale", optarg, 1, 1000000);
      break;
    case OPT_ERRORS:
      o->errors_pct = parse_num("--errors", optarg, 0, 100);
      break;
    case OPT_STALL:
      o->stall_pct = parse_num("--stall", optarg, 0, 100);
      break;
    case OPT_SPEC:     o->spec = optarg; break;
    case OPT_CONNECTIONS:
      if (strcmp(optarg, "fresh") != 0 && strcmp(optarg, "reuse") != 0)
        usage_error("--connections: '%s' is neither 'reuse' nor 'fresh'",
            optarg);
      o->fresh = strcmp(optarg, "fresh") == 0;
      break;
    case OPT_TASKS:
      o->tasks = parse_num("--tasks", optarg, 1, 1000000);
      break;
    case OPT_WORKERS:
      o->workers = parse_num("--workers", optarg, 1, 100000);
      break;
    case OPT_LIMIT:
      o->limit = parse_num("--limit", optarg, 1, 1000000);
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
      if (optarg[0] == '\0')
        usage_error("--trace: an empty name; give a file name");
      if (!ends_with(optarg, ".json") && !ends_with(optarg, ".csv")
          && !ends_with(optarg, ".svg"))
        usage_error("--trace: '%s': the file name must end in .json, .csv "
            "or .svg", optarg);
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
    if (npos == 3)
      usage_error("unexpected word '%s'", argv[optind]);
    pos[npos++] = argv[optind];
  }
  if (pos[0] != NULL && (strcmp(pos[0], "replay") == 0
      || strcmp(pos[0], "convert") == 0)) {
    o->cmd = pos[0];
    o->file = pos[1];
    o->file_out = pos[2];
    if (o->file == NULL)
      usage_error("%s: which trace file? (gantty %s FILE%s)", pos[0], pos[0],
          pos[0][0] == 'c' ? " OUT" : "");
    if (pos[0][0] == 'r' && pos[2] != NULL)
      usage_error("unexpected word '%s'", pos[2]);
    if (pos[0][0] == 'c' && pos[2] != NULL && pos[2][0] == '\0')
      usage_error("convert: the output file: an empty name; give a file "
          "name");
    if (pos[0][0] == 'c' && (pos[2] == NULL || (!ends_with(pos[2], ".json")
        && !ends_with(pos[2], ".csv") && !ends_with(pos[2], ".svg"))))
      usage_error("convert: the output file%s%s%s must end in .json, .csv "
          "or .svg", pos[2] ? " '" : "", pos[2] ? pos[2] : "",
          pos[2] ? "'" : "");
    return;
  }
  if (npos == 3)
    usage_error("unexpected word '%s'", pos[2]);
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
  if (o->spec != NULL && o->workload != NULL)
    usage_error("--spec %s: a spec file is the workload; drop '%s'",
        o->spec, o->workload);
  if (o->spec != NULL && strcmp(o->cmd, "run") != 0)
    usage_error("--spec: only with 'run'");
  if (o->workload == NULL)
    o->workload = o->spec != NULL ? o->spec : "genre";
  if (strcmp(o->cmd, "run") == 0 && o->spec == NULL
      && gt_workload_find(o->workload) == NULL)
    usage_error("unknown workload '%s' (see gantty list)", o->workload);
  if (o->modes != NULL)
    check_modes(o->modes);
  if (o->out_dir[0] == '\0')
    usage_error("--out: an empty name; give a folder name");
  if (o->url != NULL && strcmp(o->cmd, "run") == 0) {
    char *cause = NULL;

    if (gt_url_check(o->url, &cause) != 0)
      usage_error("--url %s", cause);
    free(cause);
  }
  if (o->errors_pct + o->stall_pct > 100)
    usage_error("--errors %u and --stall %u: more than 100%% together",
        o->errors_pct, o->stall_pct);
}

/* An output path that cannot be written: exit 2 before any run. */
static void
path_error(const char *opt, const char *path, const char *fmt, ...)
{
  va_list ap;
  char *msg;

  va_start(ap, fmt);
  msg = escaped_vmsg(fmt, ap);
  va_end(ap);
  say("%s %s: %s", opt, path, msg);  /* escaping msg again changes nothing */
  free(msg);
  exit(EXIT_USAGE);
}

/* The folder a file path is in (malloc'd): "." for a bare name. */
static char *
folder_of(const char *path)
{
  const char *slash = strrchr(path, '/');

  if (slash == NULL)
    return gt_xstrdup(".");
  if (slash == path)
    return gt_xstrdup("/");
  return gt_xasprintf("%.*s", (int)(slash - path), path);
}

/* Exit 2 naming path unless it can be written in place: it exists and,
 * links followed, is a FIFO with a reader, a character device or a socket
 * that opens for writing (/dev/stdout, a shell's >(cmd)); 1 when it is,
 * 0 when it is a regular file or absent.  The descriptor of a FIFO is
 * kept open to the end, so that its reader does not see the end of it
 * before the run writes there. */
static int
check_out_special(const char *opt, const char *path)
{
  struct stat st;
  int fd, n = gt_fd_name(path), fl;

  if (n >= 0) {
    fl = fcntl(n, F_GETFL);
    if (fl < 0 || (fl & O_ACCMODE) == O_RDONLY)
      path_error(opt, path, "descriptor %d is not open for writing", n);
    return 1;
  }
  if (stat(path, &st) != 0 || S_ISREG(st.st_mode))
    return 0;
  if (S_ISDIR(st.st_mode))
    path_error(opt, path, "is a folder");
  if (S_ISBLK(st.st_mode))
    path_error(opt, path, "is a block device; give a file name");
  fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0 && errno == ENXIO)
    path_error(opt, path, "%s with no reader; start its reader first",
        S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISSOCK(st.st_mode) ? "a socket"
        : "a device");
  if (fd < 0)
    path_error(opt, path, "cannot be written: %s", strerror(errno));
  if (!S_ISFIFO(st.st_mode))
    close(fd);
  return 1;  /* a FIFO's descriptor stays open until exit */
}

/* Exit 2 naming path unless a file can be made there: its folder exists
 * and may be written, and the name is not a folder; or it is written in
 * place (check_out_special). */
static void
check_out_file(const char *opt, const char *path)
{
  char *dir;
  const char *slash = strrchr(path, '/');
  struct stat st;
  long max;

  if (path[0] == '\0')
    path_error(opt, "\"\"", "an empty name; give a file name");
  if (path[strlen(path) - 1] == '/')
    path_error(opt, path, "a folder name, not a file name");
  if (check_out_special(opt, path))
    return;
  dir = folder_of(path);
  if (stat(dir, &st) != 0)
    path_error(opt, path, "%s folder %s", errno == ENOENT
        ? "there is no" : strerror(errno), dir);
  if (!S_ISDIR(st.st_mode))
    path_error(opt, path, "%s is not a folder", dir);
  if (access(dir, W_OK | X_OK) != 0)
    path_error(opt, path, "the folder %s cannot be written: %s", dir,
        strerror(errno));
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
    path_error(opt, path, "is a folder");
  errno = 0;
  max = pathconf(dir, _PC_NAME_MAX);
  if (max < 0 && errno == 0)
    max = NAME_MAX;  /* no limit said: Linux's */
  if (max > 0 && strlen(slash != NULL ? slash + 1 : path) > (size_t)max)
    path_error(opt, path, "the name is longer than the folder %s allows "
        "(%ld bytes)", dir, max);
  free(dir);
}

/* Exit 2 unless --out is a folder that may be written, or can be made: the
 * nearest part of it that exists is a folder that may be written. */
static void
check_out_dir(const char *path)
{
  char *p = gt_xstrdup(path), *slash;
  struct stat st;

  for (;;) {
    if (stat(p, &st) == 0) {
      if (!S_ISDIR(st.st_mode))
        path_error("--out", path, "%s is not a folder", p);
      if (access(p, W_OK | X_OK) != 0)
        path_error("--out", path, "the folder %s cannot be written: %s", p,
            strerror(errno));
      break;
    }
    if (errno != ENOENT && errno != ENOTDIR)  /* ENOTDIR: a file above */
      path_error("--out", path, "%s: %s", p, strerror(errno));
    if (errno == ENOENT && lstat(p, &st) == 0 && S_ISLNK(st.st_mode))
      path_error("--out", path, "%s is a symbolic link to nothing; a "
          "folder cannot be made there", p);
    while ((slash = strrchr(p, '/')) != NULL && slash[1] == '\0'
        && slash != p)
      *slash = '\0';  /* "a/b/" is "a/b" */
    slash = strrchr(p, '/');
    if (slash == NULL) {
      strcpy(p, ".");
    } else if (slash == p) {
      p[1] = '\0';
    } else {
      *slash = '\0';
    }
  }
  free(p);
}

/* The file path names, for comparing outputs: its folder resolved, then
 * its name (malloc'd); the folder exists (check_out_file). */
static char *
resolved(const char *path)
{
  char *dir = folder_of(path), *real = realpath(dir, NULL), *r;
  const char *slash = strrchr(path, '/');

  r = gt_xasprintf("%s/%s", real != NULL ? real : dir,
      slash != NULL ? slash + 1 : path);
  free(real);
  free(dir);
  return r;
}

/* 1 when a and b name one file: the same resolved folder and name, or one
 * existing file (a link, a hard link). */
static int
same_file(const char *a, const char *b)
{
  char *ra = resolved(a), *rb = resolved(b);
  struct stat sa, sb;
  int same = strcmp(ra, rb) == 0;

  if (!same && stat(a, &sa) == 0 && stat(b, &sb) == 0)
    same = sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  free(ra);
  free(rb);
  return same;
}

/* Exit 2 unless every folder the modes will write inside --out (OUT/MODE
 * and its repeats' OUT/MODE-2 ...) is absent or a real folder (not a
 * file, not a link), and no --trace or --summary of files[n] lies inside
 * one of them (a trace would replace a task's file). */
static void
check_mode_dirs(const struct opts *o, const char *const *files,
    const char *const *opt, size_t n)
{
  char mode[MAX_MODES][MODE_LEN], folder[MAX_MODES][MODE_LEN + 8];
  char *out_real = realpath(o->out_dir, NULL), *p, *in, *dir, *real;
  size_t nm = mode_list(o, mode, folder), i, k, len;
  struct stat st;

  for (i = 0; i < nm; i++) {
    p = gt_xasprintf("%s/%s", o->out_dir, folder[i]);
    if (lstat(p, &st) == 0 && !S_ISDIR(st.st_mode))
      path_error("--out", o->out_dir, "%s is %s; mode %s writes into a "
          "folder there", p, S_ISLNK(st.st_mode) ? "a symbolic link"
          : "not a folder", mode[i]);
    free(p);
    if (out_real == NULL)  /* --out is made later: nothing is inside */
      continue;
    in = gt_xasprintf("%s/%s", out_real, folder[i]);
    len = strlen(in);
    for (k = 0; k < n; k++) {
      dir = folder_of(files[k]);
      real = realpath(dir, NULL);
      if (real != NULL && strncmp(real, in, len) == 0
          && (real[len] == '\0' || real[len] == '/'))
        path_error(opt[k], files[k], "is inside %s/%s, the folder mode %s "
            "writes its tasks' files into; put it elsewhere", o->out_dir,
            folder[i], mode[i]);
      free(real);
      free(dir);
    }
    free(in);
  }
  free(out_real);
}

/* Before any run: every output can be made (--out too when out_too), and
 * no two --trace/--summary name one file; else exit 2 naming it (a trace
 * by trace_opt: "--trace", or convert's OUT). */
static void
check_outputs(const struct opts *o, int out_too, const char *trace_opt)
{
  const char *files[MAX_TRACES + 1], *opt[MAX_TRACES + 1];
  size_t n = 0, i, j;

  if (out_too)
    check_out_dir(o->out_dir);
  if (o->summary != NULL) {
    files[n] = o->summary;
    opt[n++] = "--summary";
  }
  for (i = 0; i < o->ntraces; i++) {
    files[n] = o->traces[i];
    opt[n++] = trace_opt;
  }
  for (i = 0; i < n; i++)
    check_out_file(opt[i], files[i]);
  if (out_too)
    check_mode_dirs(o, files, opt, n);
  for (i = 0; i < n; i++)
    for (j = i + 1; j < n; j++)
      if (same_file(files[i], files[j])) {
        say("%s %s and %s %s name the same file; each output needs its own",
            opt[i], files[i], opt[j], files[j]);
        exit(EXIT_USAGE);
      }
}

/* mkdir -p. */
static int
make_dirs(const char *path, char **cause)
{
  char *p = gt_xstrdup(path), *s;
  int rc = 0;

  for (s = p[0] == '/' ? p + 1 : p; ; s++) {
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
        gt_mode_width(m[i], 0, 5));
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
    .errors_pct = o->errors_pct,
    .stall_pct = o->stall_pct,
  };

  return cfg;
}

/* `gantty serve`: the demo server until SIGINT, SIGTERM or SIGHUP. */
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
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, NULL);  /* before the server's threads */
  gt_raise_nofile();
  if (gt_demo_server_start(&cfg, &srv, &cause) != 0) {
    say("demo server: %s", cause);
    free(cause);
    return 1;
  }
  printf("%s\n", gt_demo_server_url(srv));
  fflush(stdout);
  fprintf(stderr, "gantty: demo server at %s (latency %u ms, jitter %u ms, "
      "connect %u ms, errors %u%%, stall %u%%, seed %llu); Ctrl-C stops it\n",
      gt_demo_server_url(srv), o->latency_ms, o->jitter_ms, o->connect_ms,
      o->errors_pct, o->stall_pct, (unsigned long long)o->seed);
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

/* Write rec to path in the format its extension names. */
static int
export_any(struct gt_recorder *rec, const char *path, char **cause)
{
  if (ends_with(path, ".csv"))
    return gt_csv_export(rec, path, cause);
  if (ends_with(path, ".svg"))
    return gt_svg_export(rec, path, cause);
  return gt_chrome_export(rec, path, cause);
}

/* Figures for every run of tl, peaks too (malloc'd, one per run), into
 * *st: the timeline's, as the live view's header shows them. */
static size_t
stats_all(const struct gt_timeline *tl, struct gt_run_figures **st)
{
  size_t max = gt_timeline_runs(tl);

  *st = gt_xcalloc(max ? max : 1, sizeof(**st));
  return gt_timeline_figures_all(tl, GT_FIG_PEAKS, *st, max);
}

/* Write --summary, if given, from st; the workload is the one the session
 * names (an imported trace may name none), and ntasks 0 means the tasks of
 * a trace: the most lanes one run has.  Returns 0, or 1 when it could not
 * be written. */
static int
write_summary(const struct opts *o, struct gt_recorder *rec, size_t ntasks,
    const struct gt_run_figures *st, size_t nst)
{
  char *cause = NULL;
  size_t i;

  if (o->summary == NULL)
    return 0;
  for (i = 0; ntasks == 0 && i < nst; i++)
    if (st[i].tasks > ntasks)
      ntasks = st[i].tasks;
  if (gt_summary_write(o->summary, gt_recorder_workload(rec), ntasks, st,
      nst, &cause) == 0)
    return 0;
  say("--summary: %s", cause);
  free(cause);
  return 1;
}

/* Report (after the live view, only its table), summary and traces from
 * what the recorder holds (ntasks as write_summary takes it).  Returns 0 or
 * 1 when a file could not be written. */
static int
finish_session(const struct opts *o, struct gt_recorder *rec, size_t ntasks,
    int table_only)
{
  struct gt_report_opts ro = { .ascii = o->ascii, .width = report_width(o),
      .table_only = table_only };
  struct gt_run_figures *st;
  struct gt_timeline *tl = gt_timeline_of(rec);
  struct gt_lanes lanes;
  char *cause = NULL;
  size_t nst, i;
  int status = 0;

  gt_lanes_from(tl, &lanes);
  nst = stats_all(tl, &st);
  gt_report_print(stdout, rec, &lanes, st, nst, &ro);
  fflush(stdout);
  gt_lanes_done(&lanes);
  gt_timeline_free(tl);
  status = write_summary(o, rec, ntasks, st, nst);
  free(st);
  for (i = 0; i < o->ntraces; i++) {
    if (export_any(rec, o->traces[i], &cause) != 0) {
      say("--trace: %s", cause);
      free(cause);
      cause = NULL;
      status = 1;
    } else if (!o->quiet) {
      say("wrote %s", o->traces[i]);
    }
  }
  return status;
}

/* What one session needs to run its modes: the same for a headless run
 * and for each run the live view starts. */
struct session {
  const struct opts    *o;
  const struct gt_task *tasks;
  size_t                ntasks;
  const char           *base_url;
  int                   server_here;  /* the embedded demo server: both
                                       ends of a request are ours, and
                                       it is reached directly, never
                                       through a proxy */
  rlim_t                nofile;
  int                   quiet;      /* no progress lines (the view is up) */
  int                   live;       /* the view is up: errors wait in
                                       first_error until it closes */
  char                 *first_error;  /* why a mode failed (under
                                       active_lock), for after the view */
  unsigned              workers;    /* 0: --workers or the mode's default */
  int                   gil;        /* --gil, or the view's `g` */
  struct gt_recorder   *rec;        /* the runs append here */
  gt_wake_fn            wake;       /* live view: rung when the runs end */
  void                 *wake_arg;
  pthread_t             thread;     /* live view: the runs' thread */
  int                   has_thread;
  atomic_int            running;    /* 1 while the runs' thread works */
  atomic_int            failed;     /* a mode could not run */
};

struct mode_job {
  struct session *s;
  const char     *mode;
  const char     *folder;           /* inside --out: MODE, MODE-2 ... */
  int             slot;             /* index in active_runs */
  int             started;          /* 1: thread is running it */
  pthread_t       thread;
  unsigned        workers;          /* its width and limit, after the */
  unsigned        limit;            /*   open-file cap (0: defaults) */
};

/* Start every file the tasks append to empty, so that a run's files hold
 * that run only (pow.tsv, titles.tsv).  dirfd is the run's folder; a
 * file's folder is opened beneath it without following a link, and only
 * the name itself is removed (a link there is removed, not followed). */
static void
clear_appends(int dirfd, const struct gt_task *tasks, size_t n)
{
  const char *last = NULL, *slash;
  size_t i, j;
  char *folder;
  int fd;

  for (i = 0; i < n; i++)
    for (j = 0; j < tasks[i].nsteps; j++) {
      const struct gt_step *st = &tasks[i].steps[j];

      if (st->kind != GT_STEP_APPEND
          || (last != NULL && strcmp(last, st->target) == 0))
        continue;
      last = st->target;
      slash = strrchr(st->target, '/');
      if (slash == NULL) {
        (void)unlinkat(dirfd, st->target, 0);  /* not there: nothing */
        continue;
      }
      folder = gt_xasprintf("%.*s", (int)(slash - st->target), st->target);
      fd = gt_open_beneath(dirfd, folder, O_RDONLY | O_DIRECTORY, 0, 0);
      if (fd >= 0) {  /* a link in the way: the task's write will say so */
        (void)unlinkat(fd, slash + 1, 0);
        close(fd);
      }
      free(folder);
    }
}

/* Make the mode's folder mode inside --out and open it, refusing a link
 * there: a link planted at OUT/MODE would send every file elsewhere.
 * Returns the folder's descriptor, or a negative errno with *cause. */
static int
open_mode_dir(const char *out_dir, const char *mode, char **cause)
{
  int out, fd;

  out = open(out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (out < 0) {
    fd = -errno;
    gt_set_cause(cause, "cannot open folder %s: %s", out_dir,
        strerror(errno));
    return fd;
  }
  if (mkdirat(out, mode, 0755) != 0 && errno != EEXIST) {
    fd = -errno;
    gt_set_cause(cause, "cannot create folder %s/%s: %s", out_dir, mode,
        strerror(errno));
  } else {
    fd = gt_open_beneath(out, mode, O_RDONLY | O_DIRECTORY, 0, 0);
    if (fd < 0)
      gt_set_cause(cause, "cannot use folder %s/%s: %s", out_dir, mode,
          gt_beneath_strerror(fd));
  }
  close(out);
  return fd;
}

/* One mode's run, into its own output folder; records a failure in
 * s->failed. */
static void
run_mode(struct session *s, const struct mode_job *j)
{
  const char *mode = j->mode;
  int slot = j->slot;
  char *dir = gt_xasprintf("%s/%s", s->o->out_dir, j->folder);
  char *cause = NULL;
  struct gt_run_config cfg = {
    .mode = mode,
    .workers = j->workers,
    .limit = j->limit,
    .base_url = s->base_url,
    .out_dir = dir,
    .timeout_ms = s->o->timeout_ms,
    .gil = s->gil,
    .switch_ms = s->o->switch_ms,
    .fresh_connections = s->o->fresh,
    .direct = s->server_here,
  };
  struct gt_run *run = NULL;
  unsigned width, flying;
  int rc, dirfd;

  dirfd = open_mode_dir(s->o->out_dir, j->folder, &cause);
  rc = dirfd < 0 ? dirfd : 0;
  if (rc == 0) {
    clear_appends(dirfd, s->tasks, s->ntasks);
    close(dirfd);
    rc = gt_run_new(s->rec, &cfg, s->tasks, s->ntasks, &run, &cause);
  }
  if (rc != 0)
    goto out;
  /* Publish the run before looking at the flag: a cancel before this point
   * is seen by the check, one after it stops the run itself.  A stopped run
   * still executes, quickly, so its tasks are recorded as cancelled. */
  set_active(slot, run);
  if (atomic_load(&session_cancel))
    gt_run_stop(run);
  width = gt_run_workers(run);
  flying = gt_mode_in_flight(mode, width, cfg.limit, s->ntasks);
  if (!s->quiet && flying != width && flying < s->ntasks)
    fprintf(stderr, "gantty: %s: %zu task%s on %u worker%s, at most %u in "
        "flight\n", mode, s->ntasks, s->ntasks == 1 ? "" : "s", width,
        width == 1 ? "" : "s", flying);
  else if (!s->quiet)
    fprintf(stderr, "gantty: %s: %zu task%s on %u worker%s\n", mode,
        s->ntasks, s->ntasks == 1 ? "" : "s", width, width == 1 ? "" : "s");
  rc = gt_run_exec(run, &cause);
  set_active(slot, NULL);
  if (!s->quiet && gt_run_note(run) != NULL)  /* a narrower width */
    say("%s: %s", mode, gt_run_note(run));
out:
  if (rc != 0) {
    /* the cause of a non-zero exit: shown even with --quiet */
    char *raw = gt_xasprintf("%s: %s", mode, cause ? cause : gt_strerror(rc));
    char *why = gt_xescape(raw);

    free(raw);
    if (!s->live) {
      fprintf(stderr, "gantty: %s\n", why);
      free(why);
    } else {
      pthread_mutex_lock(&active_lock);
      if (s->first_error == NULL)
        s->first_error = why;
      else
        free(why);
      pthread_mutex_unlock(&active_lock);
    }
    atomic_store(&s->failed, 1);
  }
  gt_run_free(run);
  free(cause);
  free(dir);
}

/* A mode run on its own thread (--together). */
static void *
mode_main(void *arg)
{
  struct mode_job *j = arg;

  run_mode(j->s, j);
  return NULL;
}

/* The open-file cap: a task in flight holds descriptors in this process
 * (its socket, the server's end of it, its file: only what its steps
 * open), and so does each worker (a process's pipes, a thread's libcurl
 * pair).  The modes that run at once share the limit, less FD_RESERVE for
 * the fixed ones: a mode that wants less than an even share has what it
 * wants, and the others split the rest evenly.  A worker process has the
 * whole limit for its own tasks.  A mode that does not fit is narrowed
 * (its width, or its limit) and the user is told. */
static void
cap_open_files(struct session *s, struct mode_job *jobs, size_t n)
{
  uint64_t budget = s->nofile > FD_RESERVE ? s->nofile - FD_RESERVE : 1;
  uint64_t want[MAX_MODES], share[MAX_MODES], left = budget;
  unsigned before, after;
  int given[MAX_MODES] = {0};
  size_t i, k, least;

  for (i = 0; i < n; i++) {
    jobs[i].workers = s->workers ? s->workers : s->o->workers;
    jobs[i].limit = s->o->limit;
    want[i] = gt_mode_fds(jobs[i].mode, jobs[i].workers, jobs[i].limit,
        s->tasks, s->ntasks, s->server_here);
    share[i] = budget;
  }
  for (k = n; s->o->together && k > 0; k--) {  /* the least wanting first */
    least = n;
    for (i = 0; i < n; i++)
      if (!given[i] && (least == n || want[i] < want[least]))
        least = i;
    share[least] = want[least] < left / k ? want[least] : left / k;
    left -= share[least];
    given[least] = 1;
  }
  for (i = 0; i < n; i++) {
    before = gt_mode_in_flight(jobs[i].mode, jobs[i].workers, jobs[i].limit,
        s->ntasks);
    if (!gt_mode_fit(jobs[i].mode, &jobs[i].workers, &jobs[i].limit,
        s->tasks, s->ntasks, s->server_here, share[i], budget))
      continue;
    after = gt_mode_in_flight(jobs[i].mode, jobs[i].workers, jobs[i].limit,
        s->ntasks);
    if (!s->quiet)
      fprintf(stderr, "gantty: %s: the open-file limit (%llu%s) caps this "
          "run at %u task%s in flight instead of %u\n", jobs[i].mode,
          (unsigned long long)s->nofile, s->o->together && n > 1
          ? ", shared by the modes running together" : "", after,
          after == 1 ? "" : "s", before);
  }
}

/* Run every mode of the session: one after another, or all at once. */
static void
run_modes(struct session *s)
{
  struct mode_job jobs[MAX_MODES];
  char mode[MAX_MODES][MODE_LEN], folder[MAX_MODES][MODE_LEN + 8];
  size_t n = mode_list(s->o, mode, folder), i;

  for (i = 0; i < n; i++)
    jobs[i] = (struct mode_job){ .s = s, .mode = mode[i],
        .folder = folder[i], .slot = (int)i };
  cap_open_files(s, jobs, n);
  if (s->o->together) {
    for (i = 0; i < n; i++) {
      if (pthread_create(&jobs[i].thread, NULL, mode_main, &jobs[i]) == 0)
        jobs[i].started = 1;
      else
        run_mode(s, &jobs[i]);
    }
    for (i = 0; i < n; i++)
      if (jobs[i].started)
        pthread_join(jobs[i].thread, NULL);
  } else {
    for (i = 0; i < n && !atomic_load(&session_cancel); i++)
      run_mode(s, &jobs[i]);
  }
}

/* The live view's runs' thread. */
static void *
session_main(void *arg)
{
  struct session *s = arg;

  run_modes(s);
  atomic_store(&s->running, 0);
  s->wake(s->wake_arg);  /* the view repaints the end: verdict, no [live] */
  return NULL;
}

/* Live view op: a fresh recorder, and the runs started on a thread. */
static struct gt_recorder *
tui_start(void *arg, const struct gt_tui_settings *set, gt_wake_fn wake,
    void *wake_arg)
{
  struct session *s = arg;

  gt_recorder_free(s->rec);
  s->rec = gt_recorder_new();
  gt_recorder_set_workload(s->rec, s->o->workload);
  gt_recorder_set_wake(s->rec, wake, wake_arg);
  s->wake = wake;
  s->wake_arg = wake_arg;
  s->workers = set->workers;
  s->gil = set->gil;
  atomic_store(&session_cancel, 0);
  atomic_store(&s->running, 1);
  if (pthread_create(&s->thread, NULL, session_main, s) != 0) {
    atomic_store(&s->running, 0);
    atomic_store(&s->failed, 1);
    if (s->first_error == NULL)  /* no runs' thread: no one else writes */
      s->first_error = gt_xstrdup("cannot start the runs' thread");
  } else {
    s->has_thread = 1;
  }
  return s->rec;
}

/* Live view op: ask the runs to stop. */
static void
tui_stop(void *arg)
{
  (void)arg;
  cancel_runs();
}

/* Live view op: wait for the runs' thread. */
static void
tui_join(void *arg)
{
  struct session *s = arg;

  if (s->has_thread)
    pthread_join(s->thread, NULL);
  s->has_thread = 0;
  if (s->rec != NULL)  /* nothing appends now: drop the view's doorbell */
    gt_recorder_set_wake(s->rec, NULL, NULL);
}

/* Live view op: are runs going? */
static int
tui_running(void *arg)
{
  struct session *s = arg;

  return atomic_load(&s->running);
}

/* Open the live view on the session; returns the exit status. */
static int
run_live(struct session *s, const char *title)
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
    .ascii = s->o->ascii || strcmp(nl_langinfo(CODESET), "UTF-8") != 0,
    .color = !s->o->no_color && !(nc != NULL && nc[0] != '\0'),
    .mouse = !s->o->no_mouse,
    .title = title,
    .settings = { .workers = s->o->workers, .gil = s->o->gil },
  };
  char *cause = NULL;
  int status;

  s->quiet = 1;
  s->live = 1;
  status = gt_tui_run(&cfg, &ops, s, &cause);
  s->live = 0;  /* the runs' thread is joined: the view is down */
  if (cause != NULL) {
    say("%s", cause);
    free(cause);
  }
  if (s->first_error != NULL)
    fprintf(stderr, "gantty: %s\n", s->first_error);
  return status;
}

/* `gantty run`. */
static int
cmd_run(const struct opts *o)
{
  const struct gt_workload *wl = o->spec ? NULL : gt_workload_find(o->workload);
  const char *wl_name = wl != NULL ? wl->name : o->spec;
  int needs_server = wl != NULL && wl->needs_server;
  struct gt_workload_params params = { .tasks = o->tasks, .seed = o->seed,
      .scale = o->scale };
  struct gt_demo_config cfg = demo_config(o);
  struct gt_demo_server *srv = NULL;
  struct gt_task *tasks = NULL;
  struct session s = { .o = o, .quiet = o->quiet, .gil = o->gil };
  char *cause = NULL, title[128], *url = NULL, *proxy = NULL;
  char *shown = NULL;
  const char *proxy_var = NULL;
  sigset_t sigs;
  pthread_t sig_thread;
  int has_sig_thread = 0;
  size_t ntasks = 0;
  int status = 0;

  /* Headless: block the stop signals before any thread exists, so every
   * thread inherits the mask and signal_main() alone takes them. */
  if (o->headless) {
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGHUP);
    sigaddset(&sigs, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    has_sig_thread = pthread_create(&sig_thread, NULL, signal_main,
        &sigs) == 0;
  }
  atomic_init(&s.running, 0);
  atomic_init(&s.failed, 0);
  s.nofile = gt_raise_nofile();
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
  s.tasks = tasks;
  s.ntasks = ntasks;
  if (o->url != NULL) {  /* paths start with '/': drop the URL's last one */
    url = gt_xstrdup(o->url);
    if (url[0] != '\0' && url[strlen(url) - 1] == '/')
      url[strlen(url) - 1] = '\0';
  }
  s.base_url = url;
  if (make_dirs(o->out_dir, &cause) != 0) {
    say("--out: %s", cause);
    status = 1;
    goto out;
  }
  if (needs_server && s.base_url == NULL) {
    if (gt_demo_server_start(&cfg, &srv, &cause) != 0) {
      say("demo server: %s", cause);
      status = 1;
      goto out;
    }
    s.base_url = gt_demo_server_url(srv);
    s.server_here = 1;
  } else if (s.base_url != NULL) {
    proxy = gt_url_proxy(s.base_url, &proxy_var);
  }
  if (s.base_url != NULL)  /* never a password on the screen */
    shown = gt_url_shown(s.base_url);
  if (!o->headless) {
    snprintf(title, sizeof(title), "%s, %zu task%s", wl_name, ntasks,
        ntasks == 1 ? "" : "s");
    status = run_live(&s, title);
  } else {
    if (!o->quiet)
      say("%s, %zu task%s, server %s%s%s%s", wl_name, ntasks,
          ntasks == 1 ? "" : "s",
          shown ? shown : "-", srv ? " (embedded demo server)" : "",
          proxy ? " through the proxy " : "", proxy ? proxy : "");
    s.rec = gt_recorder_new();
    gt_recorder_set_workload(s.rec, o->workload);
    run_modes(&s);
    if (atomic_load(&stop_requested))
      status = 128 + atomic_load(&stop_requested);
  }
  gt_demo_server_stop(srv);
  srv = NULL;
  if (atomic_load(&s.failed) && status == 0)
    status = 1;
  if (s.rec != NULL && proxy != NULL)  /* the times include the proxy */
    printf("proxy: %s reached through %s (from %s in the environment)\n",
        shown, proxy, proxy_var);
  if (s.rec != NULL && finish_session(o, s.rec, ntasks, !o->headless) != 0
      && status == 0)
    status = 1;
  if (atomic_load(&stop_requested))
    fputs("gantty: interrupted; the report and files above hold what ran\n",
        stderr);
out:
  gt_demo_server_stop(srv);
  if (has_sig_thread) {
    pthread_kill(sig_thread, SIGUSR1);
    pthread_join(sig_thread, NULL);
  }
  gt_recorder_free(s.rec);
  gt_tasks_free(tasks, ntasks);
  free(s.first_error);
  free(url);
  free(shown);
  free(proxy);
  free(cause);
  return status;
}

/* The load's progress on stderr, when it is a terminal and the file is
 * big enough to wait for. */
static void
load_progress(uint64_t done, uint64_t total, void *arg)
{
  const char *path = arg;
  char *esc;

  if (total >= (16u << 20) && isatty(STDERR_FILENO)) {
    esc = gt_xescape(path);
    fprintf(stderr, "\rgantty: reading %s: %3u%%", esc,
        (unsigned)(done * 100 / total));
    free(esc);
  }
}

/* What an import skipped, in one line (malloc'd), or NULL when nothing. */
static char *
import_note(const char *path, const struct gt_import_report *r)
{
  char note[512];
  size_t len = 0, n = 0;
  int i;

  for (i = 1; i < 128; i++)
    if (r->by_phase[i] > 0 && strchr("XBEM", i) == NULL
        && !(r->gantty && i == 'i') && len < sizeof(note) - 64)
      len += (size_t)snprintf(note + len, sizeof(note) - len,
          "%s%llu \"%c\"", n++ ? ", " : " skipped ",
          (unsigned long long)r->by_phase[i], i);
  if (n > 0)
    len += (size_t)snprintf(note + len, sizeof(note) - len, " events");
  if (r->unclosed > 0)
    len += (size_t)snprintf(note + len, sizeof(note) - len, "%s%llu \"B\" "
        "never ended", len ? "; " : " ", (unsigned long long)r->unclosed);
  if (r->truncated)
    len += (size_t)snprintf(note + len, sizeof(note) - len, "%s the file "
        "ends without its closing brackets", len ? ";" : "");
  if (len == 0)
    return NULL;
  return gt_xasprintf("%s:%s", path, note);
}

/* Read a trace for replay or convert; exits 2 on bad input. */
static struct gt_recorder *
load_trace(const struct opts *o, struct gt_import_report *rep)
{
  struct gt_recorder *rec = gt_recorder_new();
  char *cause = NULL;

  if (gt_chrome_import(rec, o->file, rep, o->quiet ? NULL : load_progress,
      (void *)o->file, &cause) != 0) {
    if (!o->quiet && isatty(STDERR_FILENO))
      fputc('\n', stderr);
    say("%s", cause);
    free(cause);
    gt_recorder_free(rec);
    exit(EXIT_USAGE);
  }
  if (!o->quiet && rep->bytes >= (16u << 20) && isatty(STDERR_FILENO))
    fputc('\n', stderr);
  return rec;
}

/* `gantty convert IN OUT`. */
static int
cmd_convert(const struct opts *o)
{
  struct gt_import_report rep;
  struct gt_recorder *rec = load_trace(o, &rep);
  char *note = import_note(o->file, &rep), *cause = NULL;
  int status = 0;

  if (note != NULL && !o->quiet)
    say("%s", note);
  if (export_any(rec, o->file_out, &cause) != 0) {
    say("convert: %s", cause);
    status = 1;
  } else if (!o->quiet) {
    say("wrote %s (%zu run%s, %zu lane%s)", o->file_out, rep.runs,
        rep.runs == 1 ? "" : "s", rep.tasks, rep.tasks == 1 ? "" : "s");
  }
  if (o->summary != NULL) {
    struct gt_run_figures *st;
    struct gt_timeline *tl = gt_timeline_of(rec);
    size_t nst;

    nst = stats_all(tl, &st);
    gt_timeline_free(tl);
    if (write_summary(o, rec, 0, st, nst) != 0)
      status = 1;
    free(st);
  }
  free(cause);
  free(note);
  gt_recorder_free(rec);
  return status;
}

/* Live view ops of a replay: the session is the file, played back. */
static struct gt_recorder *
replay_start(void *arg, const struct gt_tui_settings *set, gt_wake_fn wake,
    void *wake_arg)
{
  (void)set, (void)wake, (void)wake_arg;
  return gt_replay_recorder(arg);
}

static void
replay_nop(void *arg)
{
  (void)arg;
}

static int
replay_running(void *arg)
{
  (void)arg;
  return 0;
}

/* `gantty replay FILE`: the report, or the view of the whole session. */
static int
cmd_replay(const struct opts *o)
{
  static const struct gt_tui_ops ops = {
    .start = replay_start,
    .stop = replay_nop,
    .join = replay_nop,
    .running = replay_running,
  };
  struct gt_import_report rep;
  struct gt_recorder *rec = load_trace(o, &rep);
  char *note = import_note(o->file, &rep), *cause = NULL, title[256];
  const char *nc = getenv("NO_COLOR");
  struct gt_tui_config cfg = {
    .ascii = o->ascii || strcmp(nl_langinfo(CODESET), "UTF-8") != 0,
    .color = !o->no_color && !(nc != NULL && nc[0] != '\0'),
    .mouse = !o->no_mouse,
    .title = title,
    .message = note,
  };
  int status;

  snprintf(title, sizeof(title), "%s, %zu lane%s", o->file, rep.tasks,
      rep.tasks == 1 ? "" : "s");
  if (o->headless) {
    if (note != NULL && !o->quiet)
      say("%s", note);
    status = finish_session(o, rec, 0, 0);
  } else {
    struct gt_replay *play = gt_replay_new(rec);
    char start[64];

    cfg.replay = play;
    gt_replay_act(play, GT_REPLAY_PAUSE, gt_now_ns(), start, sizeof(start));
    if (cfg.message == NULL)
      cfg.message = "playing: space pauses, [ ] speed, left/right step, "
          "Home/End";
    status = gt_tui_run(&cfg, &ops, play, &cause);
    gt_replay_free(play);
    if (cause != NULL)
      say("%s", cause);
    if (finish_session(o, rec, 0, 1) != 0 && status == 0)
      status = 1;
  }
  free(cause);
  free(note);
  gt_recorder_free(rec);
  return status;
}

int
main(int argc, char **argv)
{
  struct opts o;
  int status;

  if (argc == 2 && strcmp(argv[1], GT_WORKER_ARG) == 0)
    return gt_worker_main();  /* a process mode's worker (exec_procs.c) */
  setlocale(LC_ALL, "");
  setlocale(LC_NUMERIC, "C");
  parse_args(argc, argv, &o);
  if (strcmp(o.cmd, "list") == 0)
    return cmd_list();
  if (strcmp(o.cmd, "convert") == 0) {
    struct opts c = o;  /* OUT is checked as a --trace would be */

    c.traces[0] = o.file_out;
    c.ntraces = 1;
    check_outputs(&c, 0, "convert: OUT");
    return cmd_convert(&o);
  }
  if (strcmp(o.cmd, "run") == 0 || strcmp(o.cmd, "replay") == 0)
    check_outputs(&o, strcmp(o.cmd, "run") == 0, "--trace");
  if (strcmp(o.cmd, "replay") == 0)
    return cmd_replay(&o);
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
