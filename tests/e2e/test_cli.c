/*
 * tests/e2e/test_cli.c: the gantty binary as a user runs it.
 *
 * Each test makes a fresh folder, starts GANTTY_BIN there with fork and exec
 * (in its own process group, stdout and stderr to files, stdin from
 * /dev/null), waits for it with a deadline and checks the exit status, the
 * messages and the files written; the summary and the Chrome trace are
 * parsed with yajl_tree.  The machine may be slow and noisy, so timings are
 * only lower bounds and generous ratios, and every wait polls with a
 * deadline instead of sleeping a fixed time.
 */
#define _GNU_SOURCE  /* wait4(): each child's own peak memory; CPU_COUNT */

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <yajl/yajl_tree.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base.h"
#include "event.h"
#include "support/clock.h"

#ifndef GT_DOCS_DIR
#error "GT_DOCS_DIR must name the docs folder"
#endif
#ifndef GANTTY_BIN
#error "GANTTY_BIN must name the gantty binary"
#endif

#define RUN_DEADLINE_MS  60000  /* kill gantty and fail after this */
#define STEP_DEADLINE_MS 20000  /* for one awaited step (a line, an exit) */
#define POLL_MS          20
#define MAX_ARGS         32
#define MAX_LANES        32
#define MAX_SLICES       32
#define MAX_PROCS        8

/* One test's state: its folder and the process it may have left running. */
struct ctx {
  char    *dir;         /* fresh folder, removed by teardown */
  unsigned ncmd;        /* commands started, to name their output files */
  pid_t    live;        /* a started, not yet reaped gantty; 0 when none */
  int      limit_res;   /* 1 + an RLIMIT_* to lower in the next gantty */
  rlim_t   limit_to;    /* its soft and hard value */
  uid_t    run_as;      /* 0, or a uid the next gantty runs as (root:
                           RLIMIT_NPROC binds a user that is not root) */
  long     maxrss_kb;   /* peak RSS of the last gantty proc_wait() reaped */
};

/* A started gantty. */
struct proc {
  pid_t pid;            /* also its process group */
  char *out_path;       /* its stdout */
  char *err_path;       /* its stderr */
  char *cmdline;        /* for messages */
};

/* A finished gantty. */
struct result {
  int   status;         /* exit code, or 128 + signal */
  char *out;            /* all of stdout */
  char *err;            /* all of stderr */
  char *cmdline;
};

/* One "X" slice of a trace lane, in microseconds. */
struct slice {
  double ts_us;
  double dur_us;
  long   worker;            /* args.worker */
  int    queued;            /* cat "queued" */
};

/* One (pid, tid) of a trace: a task of a run. */
struct lane {
  long         pid;
  long         tid;
  char         name[64];        /* from its thread_name; "" when none */
  struct slice sl[MAX_SLICES];
  size_t       nsl;
  unsigned     ninstant;        /* "i" events seen */
  long         status;          /* args.status of the last "i" event */
  char         error[512];      /* its args.error; "" when none */
  double       longest_net_us;  /* longest waiting slice with reason net */
};

/* What a trace holds, checked for form as it is read. */
struct trace {
  char        proc_name[MAX_PROCS][32];  /* process_name, by index */
  long        proc_pid[MAX_PROCS];
  size_t      nprocs;
  struct lane lane[MAX_LANES];
  size_t      nlanes;
};

/* The whole file at path as a malloc'd string, or NULL if it cannot be
 * opened. */
static char *
slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  char *buf;
  size_t len = 0, cap = 4096, n;

  if (f == NULL)
    return NULL;
  buf = gt_xmalloc(cap);
  while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
    len += n;
    if (cap - len < 2) {
      cap *= 2;
      buf = gt_xrealloc(buf, cap);
    }
  }
  buf[len] = '\0';
  fclose(f);
  return buf;
}

/* 1 when something (even a dangling link) exists at path. */
static int
exists(const char *path)
{
  struct stat st;

  return lstat(path, &st) == 0;
}

/* rm -rf path; the test folders hold only files and folders gantty made. */
static void
remove_tree(const char *path)
{
  struct stat st;
  struct dirent *de;
  DIR *d;
  char *sub;

  if (lstat(path, &st) != 0)
    return;
  if (S_ISDIR(st.st_mode) && (d = opendir(path)) != NULL) {
    while ((de = readdir(d)) != NULL) {
      if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
        continue;
      sub = gt_xasprintf("%s/%s", path, de->d_name);
      remove_tree(sub);
      free(sub);
    }
    closedir(d);
    rmdir(path);
  } else {
    unlink(path);
  }
}

/* How many entries under path (recursively) are temporary files: named
 * .gantty-XXXXXX.tmp (or the old NAME.tmp.XXXXXX). */
static unsigned
count_tmp_leftovers(const char *path)
{
  struct stat st;
  struct dirent *de;
  unsigned n = 0;
  DIR *d;
  char *sub;

  if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode)
      || (d = opendir(path)) == NULL)
    return 0;
  while ((de = readdir(d)) != NULL) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
      continue;
    if (strstr(de->d_name, ".tmp.") != NULL
        || strncmp(de->d_name, ".gantty-", 8) == 0)
      n++;
    sub = gt_xasprintf("%s/%s", path, de->d_name);
    n += count_tmp_leftovers(sub);
    free(sub);
  }
  closedir(d);
  return n;
}

/* A malloc'd path inside the test's folder. */
static char *
path_in(const struct ctx *c, const char *name)
{
  return gt_xasprintf("%s/%s", c->dir, name);
}

/* Make a fresh folder under $TMPDIR (or /tmp) for one test. */
static int
setup(void **state)
{
  const char *tmp = getenv("TMPDIR");
  struct ctx *c = gt_xcalloc(1, sizeof(*c));

  if (tmp == NULL || tmp[0] == '\0')
    tmp = "/tmp";
  c->dir = gt_xasprintf("%s/gantty-e2e-XXXXXX", tmp);
  if (mkdtemp(c->dir) == NULL) {
    print_error("mkdtemp %s: %s\n", c->dir, strerror(errno));
    free(c->dir);
    free(c);
    return -1;
  }
  *state = c;
  return 0;
}

/* Kill whatever the test left running and remove its folder. */
static int
teardown(void **state)
{
  struct ctx *c = *state;

  if (c->live > 0) {
    kill(-c->live, SIGKILL);
    waitpid(c->live, NULL, 0);
  }
  remove_tree(c->dir);
  free(c->dir);
  free(c);
  return 0;
}

/* Start gantty with args (NULL-terminated, without the program name) in the
 * test's folder, in a new process group, with default signal handling. */
static void
proc_start(struct ctx *c, struct proc *p, const char *const *args)
{
  char *argv[MAX_ARGS + 2];
  struct sigaction sa;
  sigset_t none;
  size_t i, len;
  int fd;

  assert_int_equal(c->live, 0);
  memset(p, 0, sizeof(*p));
  c->ncmd++;
  p->out_path = gt_xasprintf("%s/cmd%u.out", c->dir, c->ncmd);
  p->err_path = gt_xasprintf("%s/cmd%u.err", c->dir, c->ncmd);
  argv[0] = (char *)GANTTY_BIN;
  p->cmdline = gt_xstrdup("gantty");
  for (i = 0; args[i] != NULL; i++) {
    assert_true(i < MAX_ARGS);
    argv[i + 1] = (char *)args[i];
    len = strlen(p->cmdline);
    p->cmdline = gt_xrealloc(p->cmdline, len + strlen(args[i]) + 2);
    p->cmdline[len] = ' ';
    strcpy(p->cmdline + len + 1, args[i]);
  }
  argv[i + 1] = NULL;

  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = SIG_DFL;
  sigemptyset(&sa.sa_mask);
  sigemptyset(&none);
  fflush(NULL);
  p->pid = fork();
  if (p->pid < 0)
    fail_msg("fork: %s", strerror(errno));
  if (p->pid == 0) {
    /* Only async-signal-safe calls from here to exec. */
    setpgid(0, 0);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGPIPE, &sa, NULL);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (c->run_as != 0 && (setgid(c->run_as) != 0
        || setuid(c->run_as) != 0))
      _exit(126);
    if (c->limit_res > 0) {
      struct rlimit rl = { c->limit_to, c->limit_to };

      if (setrlimit(c->limit_res - 1, &rl) != 0)
        _exit(126);
    }
    if (chdir(c->dir) != 0)
      _exit(126);
    fd = open("/dev/null", O_RDONLY);
    if (fd < 0 || dup2(fd, 0) < 0)
      _exit(126);
    fd = open(p->out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || dup2(fd, 1) < 0)
      _exit(126);
    fd = open(p->err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || dup2(fd, 2) < 0)
      _exit(126);
    execv(GANTTY_BIN, argv);
    _exit(127);
  }
  /* Also here, so the group exists before the parent signals it. */
  setpgid(p->pid, p->pid);
  c->live = p->pid;
}

/* Kill p's process group and reap it. */
static void
proc_kill(struct ctx *c, struct proc *p)
{
  kill(-p->pid, SIGKILL);
  waitpid(p->pid, NULL, 0);
  c->live = 0;
}

/* Wait up to deadline_ms for p to exit; returns its exit code, or 128 plus
 * the signal that ended it.  Past the deadline it is killed and the test
 * fails. */
static int
proc_wait(struct ctx *c, struct proc *p, long deadline_ms)
{
  double until = gt_test_now_ms() + deadline_ms;
  int wstatus;
  pid_t r;

  for (;;) {
    struct rusage ru;

    r = wait4(p->pid, &wstatus, WNOHANG, &ru);
    if (r == p->pid) {
      c->maxrss_kb = ru.ru_maxrss;
      break;
    }
    if (r < 0 && errno != EINTR)
      fail_msg("waitpid: %s", strerror(errno));
    if (gt_test_now_ms() > until) {
      proc_kill(c, p);
      fail_msg("%s: still running after %ld ms; killed", p->cmdline,
          deadline_ms);
    }
    gt_test_sleep_ms(POLL_MS);
  }
  c->live = 0;
  if (WIFEXITED(wstatus))
    return WEXITSTATUS(wstatus);
  return 128 + WTERMSIG(wstatus);
}

/* Send signo to p's process group and wait for gantty: it must exit with
 * 128 + signo and leave nothing of its group (no child, no thread).
 * Returns its stderr (malloc'd, or NULL). */
static char *
proc_signal(struct ctx *c, struct proc *p, int signo)
{
  char *err;
  int status;

  assert_int_equal(kill(-p->pid, signo), 0);
  status = proc_wait(c, p, STEP_DEADLINE_MS);
  err = slurp(p->err_path);
  if (status != 128 + signo)
    fail_msg("%s, signal %d: exit status %d, expected %d; stderr:\n%s",
        p->cmdline, signo, status, 128 + signo, err ? err : "");
  if (kill(-p->pid, 0) == 0 || errno != ESRCH)
    fail_msg("processes of group %ld remain after gantty exited",
        (long)p->pid);
  return err;
}

/* Free what proc_start() made. */
static void
proc_done(struct proc *p)
{
  free(p->out_path);
  free(p->err_path);
  free(p->cmdline);
}

/* Poll path until it holds needle; kills p and fails past deadline_ms.
 * Returns the file's text at that moment (malloc'd). */
static char *
wait_for_text(struct ctx *c, struct proc *p, const char *path,
    const char *needle, long deadline_ms)
{
  double until = gt_test_now_ms() + deadline_ms;
  char *text;
  int wstatus;

  for (;;) {
    text = slurp(path);
    if (text != NULL && strstr(text, needle) != NULL)
      return text;
    if (waitpid(p->pid, &wstatus, WNOHANG) == p->pid) {
      c->live = 0;
      fail_msg("%s exited (status 0x%x) before writing \"%s\" to %s; it "
          "wrote:\n%s", p->cmdline, (unsigned)wstatus, needle, path,
          text ? text : "(nothing)");
    }
    if (gt_test_now_ms() > until) {
      proc_kill(c, p);
      fail_msg("%s: no \"%s\" in %s after %ld ms; it holds:\n%s", p->cmdline,
          needle, path, deadline_ms, text ? text : "(nothing)");
    }
    free(text);
    gt_test_sleep_ms(POLL_MS);
  }
}

/* Run gantty with args to the end (at most RUN_DEADLINE_MS). */
static void
run(struct ctx *c, struct result *r, const char *const *args)
{
  struct proc p;

  proc_start(c, &p, args);
  r->status = proc_wait(c, &p, RUN_DEADLINE_MS);
  r->out = slurp(p.out_path);
  r->err = slurp(p.err_path);
  assert_non_null(r->out);
  assert_non_null(r->err);
  r->cmdline = p.cmdline;
  p.cmdline = NULL;
  proc_done(&p);
}

/* Free what run() made. */
static void
result_done(struct result *r)
{
  free(r->out);
  free(r->err);
  free(r->cmdline);
}

/* Fail, showing the command's output, unless it exited with want. */
static void
expect_status(const struct result *r, int want)
{
  if (r->status != want)
    fail_msg("%s: exit status %d, expected %d\n--- stdout:\n%s\n--- stderr:"
        "\n%s", r->cmdline, r->status, want, r->out, r->err);
}

/* Fail, showing the command's output, unless text holds needle. */
static void
expect_text(const struct result *r, const char *text, const char *needle)
{
  if (strstr(text, needle) == NULL)
    fail_msg("%s: \"%s\" expected in %s\n--- stdout:\n%s\n--- stderr:\n%s",
        r->cmdline, needle, text == r->out ? "stdout" : "stderr", r->out,
        r->err);
}

/* Parse the JSON file at path, failing when it is missing or malformed. */
static yajl_val
load_json(const char *path)
{
  char err[512] = "";
  char *text = slurp(path);
  yajl_val v;

  if (text == NULL)
    fail_msg("%s was not written", path);
  v = yajl_tree_parse(text, err, sizeof(err));
  if (v == NULL)
    fail_msg("%s is not JSON: %s", path, err);
  free(text);
  return v;
}

/* The member key of object v, or NULL. */
static yajl_val
jget(yajl_val v, const char *key)
{
  const char *path[] = { key, NULL };

  return yajl_tree_get(v, path, yajl_t_any);
}

/* The number member key of v, failing when it is missing or not a
 * number. */
static double
jnum(yajl_val v, const char *key)
{
  yajl_val n = jget(v, key);

  if (!YAJL_IS_DOUBLE(n))
    fail_msg("JSON member \"%s\" missing or not a number", key);
  return YAJL_GET_DOUBLE(n);
}

/* The integer member key of v, failing when it is missing or not one. */
static long long
jint(yajl_val v, const char *key)
{
  yajl_val n = jget(v, key);

  if (!YAJL_IS_INTEGER(n))
    fail_msg("JSON member \"%s\" missing or not an integer", key);
  return YAJL_GET_INTEGER(n);
}

/* The string member key of v, failing when it is missing or not a
 * string. */
static const char *
jstr(yajl_val v, const char *key)
{
  yajl_val s = jget(v, key);

  if (!YAJL_IS_STRING(s))
    fail_msg("JSON member \"%s\" missing or not a string", key);
  return YAJL_GET_STRING(s);
}

/* The summary's "runs" array.  Every run's ideal, where it has one (a
 * foreign trace's has none: null), is a lower bound on its wall (issue
 * 13): checked here, so every test that reads a summary checks it. */
static yajl_val
summary_runs(yajl_val summary)
{
  yajl_val runs = jget(summary, "runs"), ideal;
  size_t i;

  if (!YAJL_IS_ARRAY(runs))
    fail_msg("the summary has no \"runs\" array");
  for (i = 0; i < runs->u.array.len; i++) {
    ideal = jget(runs->u.array.values[i], "ideal_ms");
    if (ideal == NULL || !(YAJL_IS_NULL(ideal) || YAJL_IS_NUMBER(ideal)))
      fail_msg("run %zu of the summary: \"ideal_ms\" missing or not a "
          "number", i);
    if (YAJL_IS_NUMBER(ideal) && YAJL_GET_DOUBLE(ideal)
        > jnum(runs->u.array.values[i], "wall_ms"))
      fail_msg("run %zu of the summary: ideal %.3f ms > wall %.3f ms", i,
          YAJL_GET_DOUBLE(ideal), jnum(runs->u.array.values[i], "wall_ms"));
  }
  return runs;
}

/* The summary's run of mode, or NULL. */
static yajl_val
summary_run(yajl_val summary, const char *mode)
{
  yajl_val runs = summary_runs(summary);
  size_t i;

  for (i = 0; i < runs->u.array.len; i++)
    if (strcmp(jstr(runs->u.array.values[i], "mode"), mode) == 0)
      return runs->u.array.values[i];
  return NULL;
}

/* The trace lane (pid, tid), added when new. */
static struct lane *
lane_at(struct trace *t, long pid, long tid)
{
  struct lane *l;
  size_t i;

  for (i = 0; i < t->nlanes; i++)
    if (t->lane[i].pid == pid && t->lane[i].tid == tid)
      return &t->lane[i];
  if (t->nlanes == MAX_LANES)
    fail_msg("more than %d lanes in the trace", MAX_LANES);
  l = &t->lane[t->nlanes++];
  memset(l, 0, sizeof(*l));
  l->pid = pid;
  l->tid = tid;
  return l;
}

/* 1 when s is one of gantty's wait reasons, or of the state ready's
 * (issue 13: "no core", "loop busy"). */
static int
known_reason(const char *s)
{
  static const char *const reasons[] = {
    "net", "connect", "disk", "timer", "gil", "lock", "pool", "no core",
    "loop busy" };
  size_t i;

  for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
    if (strcmp(s, reasons[i]) == 0)
      return 1;
  return 0;
}

/* Check one "M" event and note process and thread names. */
static void
trace_meta(struct trace *t, yajl_val ev)
{
  const char *name = jstr(ev, "name");
  yajl_val args = jget(ev, "args");
  struct lane *l;

  if (jnum(ev, "ts") != 0)
    fail_msg("metadata event %s has a non-zero ts", name);
  jstr(ev, "cat");
  if (strcmp(name, "process_name") == 0) {
    if (t->nprocs == MAX_PROCS)
      fail_msg("more than %d process_name events", MAX_PROCS);
    snprintf(t->proc_name[t->nprocs], sizeof(t->proc_name[0]), "%s",
        jstr(args, "name"));
    t->proc_pid[t->nprocs++] = (long)jint(ev, "pid");
  } else if (strcmp(name, "thread_name") == 0) {
    l = lane_at(t, (long)jint(ev, "pid"), (long)jint(ev, "tid"));
    if (l->name[0] != '\0')
      fail_msg("two thread_name events for pid %ld tid %ld", l->pid, l->tid);
    snprintf(l->name, sizeof(l->name), "%s", jstr(args, "name"));
  }
}

/* Check one state slice and add it to its lane: an "X" event, or an "i"
 * of a state's cat, the format's slice shorter than its microsecond
 * boundaries (dur 0). */
static void
trace_slice(struct trace *t, yajl_val ev, int instant)
{
  const char *cat = jstr(ev, "cat");
  yajl_val args = jget(ev, "args");
  struct lane *l = lane_at(t, (long)jint(ev, "pid"), (long)jint(ev, "tid"));
  struct slice s;

  if (strcmp(cat, "queued") != 0 && strcmp(cat, "running") != 0
      && strcmp(cat, "waiting") != 0 && strcmp(cat, "ready") != 0)
    fail_msg("X event with cat \"%s\"", cat);
  jstr(ev, "name");
  s.ts_us = jnum(ev, "ts");
  s.dur_us = instant ? 0 : jnum(ev, "dur");
  if (s.dur_us < 0)
    fail_msg("X event \"%s\" at %.3f has dur %.3f", jstr(ev, "name"),
        s.ts_us, s.dur_us);
  if (!YAJL_IS_OBJECT(args))
    fail_msg("X event without args");
  jint(args, "task");
  s.worker = (long)jint(args, "worker");
  s.queued = strcmp(cat, "queued") == 0;
  /* ready (issue 13): runnable with no core, or its loop busy */
  if (strcmp(cat, "ready") == 0 && strcmp(jstr(args, "reason"), "no core") != 0
      && strcmp(jstr(args, "reason"), "loop busy") != 0)
    fail_msg("ready slice with reason \"%s\"", jstr(args, "reason"));
  if (strcmp(cat, "waiting") == 0) {
    if (!known_reason(jstr(args, "reason")))
      fail_msg("waiting slice with reason \"%s\"", jstr(args, "reason"));
    if (strcmp(jstr(args, "reason"), "net") == 0
        && s.dur_us > l->longest_net_us)
      l->longest_net_us = s.dur_us;
  }
  if (l->nsl == MAX_SLICES)
    fail_msg("more than %d slices on pid %ld tid %ld", MAX_SLICES, l->pid,
        l->tid);
  l->sl[l->nsl++] = s;
}

/* Check one "i" event and note its lane's status. */
static void
trace_instant(struct trace *t, yajl_val ev)
{
  yajl_val args = jget(ev, "args");
  struct lane *l = lane_at(t, (long)jint(ev, "pid"), (long)jint(ev, "tid"));

  jnum(ev, "ts");
  if (!YAJL_IS_OBJECT(args))
    fail_msg("i event without args");
  l->ninstant++;
  l->status = (long)jint(args, "status");
  if (l->status != 0)
    snprintf(l->error, sizeof(l->error), "%s", jstr(args, "error"));
}

/* Order slices by start. */
static int
slice_cmp(const void *a, const void *b)
{
  const struct slice *x = a, *y = b;

  return (x->ts_us > y->ts_us) - (x->ts_us < y->ts_us);
}

/* Read the trace at path into t, checking the form of every event, that
 * every lane is named and that no lane's slices overlap. */
static void
trace_load(struct trace *t, const char *path)
{
  yajl_val root = load_json(path), evs, ev;
  const char *ph;
  struct lane *l;
  size_t i, k;

  memset(t, 0, sizeof(*t));
  evs = jget(root, "traceEvents");
  if (!YAJL_IS_OBJECT(root) || !YAJL_IS_ARRAY(evs))
    fail_msg("%s: not an object with a \"traceEvents\" array", path);
  for (i = 0; i < evs->u.array.len; i++) {
    ev = evs->u.array.values[i];
    if (!YAJL_IS_OBJECT(ev))
      fail_msg("%s: event %zu is not an object", path, i);
    ph = jstr(ev, "ph");
    if (strcmp(ph, "M") == 0)
      trace_meta(t, ev);
    else if (strcmp(ph, "X") == 0)
      trace_slice(t, ev, 0);
    else if (strcmp(ph, "i") == 0 && strcmp(jstr(ev, "cat"), "finish") != 0)
      trace_slice(t, ev, 1);
    else if (strcmp(ph, "i") == 0)
      trace_instant(t, ev);
    else
      fail_msg("%s: event %zu has ph \"%s\"", path, i, ph);
  }
  for (i = 0; i < t->nlanes; i++) {
    l = &t->lane[i];
    if (l->name[0] == '\0')
      fail_msg("%s: pid %ld tid %ld has events but no thread_name", path,
          l->pid, l->tid);
    qsort(l->sl, l->nsl, sizeof(l->sl[0]), slice_cmp);
    for (k = 1; k < l->nsl; k++)
      if (l->sl[k].ts_us + 0.001 < l->sl[k - 1].ts_us + l->sl[k - 1].dur_us)
        fail_msg("%s: pid %ld \"%s\": slice at %.3f us starts before the one "
            "at %.3f us (dur %.3f) ends", path, l->pid, l->name,
            l->sl[k].ts_us, l->sl[k - 1].ts_us, l->sl[k - 1].dur_us);
  }
  yajl_tree_free(root);
}

/* The pid the trace names mode, or -1. */
static long
trace_pid(const struct trace *t, const char *mode)
{
  size_t i;

  for (i = 0; i < t->nprocs; i++)
    if (strcmp(t->proc_name[i], mode) == 0)
      return t->proc_pid[i];
  return -1;
}

/* The lane called name in pid, or NULL. */
static struct lane *
trace_lane(struct trace *t, long pid, const char *name)
{
  size_t i;

  for (i = 0; i < t->nlanes; i++)
    if (t->lane[i].pid == pid && strcmp(t->lane[i].name, name) == 0)
      return &t->lane[i];
  return NULL;
}

/* Check that path holds exactly one line of text without quotes. */
static void
expect_genre_file(const char *path)
{
  char *text = slurp(path);
  size_t len;

  if (text == NULL)
    fail_msg("%s was not written", path);
  len = strlen(text);
  if (len < 2 || text[len - 1] != '\n' || strchr(text, '\n') != text + len - 1
      || strchr(text, '"') != NULL || text[0] == ' ')
    fail_msg("%s should be one line holding a genre, not \"%s\"", path,
        text);
  free(text);
}

/* A run's stats: the summary's counts and widths and the report. */
static void
test_run_sync_threads(void **state)
{
  struct ctx *c = *state;
  char *trace = path_in(c, "run.json"), *summary = path_in(c, "summary.json");
  char *out = path_in(c, "out"), *path;
  const char *args[] = { "run", "genre", "--modes", "sync,threads",
    "--tasks", "5", "--latency", "200", "--trace", trace,
    "--summary", summary, "--out", out, "--headless", NULL };
  const char *modes[] = { "sync", "threads" };
  struct result r;
  yajl_val sum, runs, sy, th;
  double sync_ms, threads_ms, speedup;
  int m, i;

  run(c, &r, args);
  expect_status(&r, 0);
  for (m = 0; m < 2; m++) {
    for (i = 0; i < 5; i++) {
      path = gt_xasprintf("%s/%s/new_file%d.txt", out, modes[m], i);
      expect_genre_file(path);
      free(path);
    }
  }

  sum = load_json(summary);
  assert_string_equal(jstr(sum, "workload"), "genre");
  assert_int_equal(jint(sum, "tasks"), 5);
  runs = summary_runs(sum);
  assert_int_equal(runs->u.array.len, 2);
  sy = runs->u.array.values[0];
  th = runs->u.array.values[1];
  assert_string_equal(jstr(sy, "mode"), "sync");
  assert_string_equal(jstr(th, "mode"), "threads");
  assert_int_equal(jint(sy, "ok"), 5);
  assert_int_equal(jint(th, "ok"), 5);
  assert_int_equal(jint(sy, "failed"), 0);
  assert_int_equal(jint(th, "failed"), 0);
  assert_int_equal(jint(sy, "workers"), 1);
  assert_int_equal(jint(th, "workers"), 5);
  sync_ms = jnum(sy, "wall_ms");
  threads_ms = jnum(th, "wall_ms");
  /* 5 requests of 200 ms one after another; a lower bound only (the
   * server's timers).  That threads overlaps them is peak_requests below,
   * not a ratio of wall times; the speedup is checked against its
   * definition, and only for its side of 1: sync waits 1 000 ms of timers
   * in turn and threads 200 at once, which start-up costs even 10 times
   * ours cannot turn round. */
  if (sync_ms < 800)
    fail_msg("sync took %.3f ms for 5 x 200 ms in sequence", sync_ms);
  if (!(threads_ms < sync_ms))
    fail_msg("threads took %.3f ms, sync %.3f ms", threads_ms, sync_ms);
  speedup = jnum(th, "speedup_vs_sync");
  if (!(speedup > 0.99 * sync_ms / threads_ms
      && speedup < 1.01 * sync_ms / threads_ms))
    fail_msg("threads speedup_vs_sync %.3f, sync/threads %.3f", speedup,
        sync_ms / threads_ms);
  assert_int_equal(jint(sy, "peak_requests"), 1);
  assert_int_equal(jint(th, "peak_requests"), 5);
  yajl_tree_free(sum);

  expect_text(&r, r.out, "sync");
  expect_text(&r, r.out, "threads");
  expect_text(&r, r.out, "genre 4");
  result_done(&r);
  free(trace);
  free(summary);
  free(out);
}

/* --together: both modes run at once, and both complete. */
static void
test_together(void **state)
{
  struct ctx *c = *state;
  char *trace = path_in(c, "t.json"), *summary = path_in(c, "s.json");
  char *out = path_in(c, "out");
  const char *args[] = { "run", "genre", "--modes", "sync,threads",
    "--tasks", "4", "--latency", "300", "--together", "--trace", trace,
    "--summary", summary, "--out", out, "--headless", NULL };
  double start[2] = { -1, -1 }, end[2] = { -1, -1 };
  yajl_val sum, root, evs, e, a;
  struct result r;
  size_t i;
  int k;

  run(c, &r, args);
  expect_status(&r, 0);
  sum = load_json(summary);
  assert_int_equal(jint(summary_run(sum, "sync"), "ok"), 4);
  assert_int_equal(jint(summary_run(sum, "threads"), "ok"), 4);
  yajl_tree_free(sum);
  root = load_json(trace);
  evs = jget(root, "traceEvents");
  for (i = 0; i < evs->u.array.len; i++) {
    e = evs->u.array.values[i];
    if (strcmp(jstr(e, "ph"), "M") != 0
        || strcmp(jstr(e, "name"), "process_name") != 0)
      continue;
    a = jget(e, "args");
    k = strcmp(jstr(a, "name"), "sync") == 0 ? 0 : 1;
    start[k] = jnum(a, "start_us");
    end[k] = jnum(a, "end_us");
  }
  /* sync needs 4 x 300 ms; threads, started with it, is inside that. */
  if (!(start[1] < end[0] && start[0] < end[1]))
    fail_msg("runs did not overlap: sync %.0f..%.0f us, threads %.0f..%.0f "
        "us", start[0], end[0], start[1], end[1]);
  yajl_tree_free(root);
  result_done(&r);
  free(trace);
  free(summary);
  free(out);
}

/* The trace's processes, lanes, slices and finishes. */
static void
test_trace_format(void **state)
{
  struct ctx *c = *state;
  char *trace = path_in(c, "run.json"), *summary = path_in(c, "summary.json");
  char *out = path_in(c, "out"), name[16];
  const char *args[] = { "run", "genre", "--modes", "sync,threads",
    "--tasks", "5", "--latency", "200", "--trace", trace,
    "--summary", summary, "--out", out, "--headless", NULL };
  const char *modes[] = { "sync", "threads" };
  struct trace *t = gt_xmalloc(sizeof(*t));
  struct result r;
  struct lane *l;
  long pid;
  int m, i;

  run(c, &r, args);
  expect_status(&r, 0);
  trace_load(t, trace);
  assert_int_equal(t->nlanes, 10);
  for (m = 0; m < 2; m++) {
    pid = trace_pid(t, modes[m]);
    if (pid < 0)
      fail_msg("no process_name \"%s\" in %s", modes[m], trace);
    for (i = 0; i < 5; i++) {
      snprintf(name, sizeof(name), "genre %d", i);
      l = trace_lane(t, pid, name);
      if (l == NULL)
        fail_msg("no thread_name \"%s\" in the %s process", name, modes[m]);
      if (l->ninstant != 1 || l->status != 0)
        fail_msg("%s/%s: %u finish events, status %ld; expected one, 0",
            modes[m], name, l->ninstant, l->status);
      /* The 200 ms latency, in microseconds, with room below. */
      if (l->longest_net_us < 150000)
        fail_msg("%s/%s: longest net wait %.3f us, expected >= 150000",
            modes[m], name, l->longest_net_us);
    }
  }
  result_done(&r);
  free(t);
  free(trace);
  free(summary);
  free(out);
}

/* list, --help and --version. */
static void
test_info_commands(void **state)
{
  struct ctx *c = *state;
  const char *list[] = { "list", NULL };
  const char *help[] = { "--help", NULL };
  const char *version[] = { "--version", NULL };
  struct result r;

  run(c, &r, list);
  expect_status(&r, 0);
  expect_text(&r, r.out, "genre");
  expect_text(&r, r.out, "sync");
  expect_text(&r, r.out, "threads");
  result_done(&r);

  run(c, &r, help);
  expect_status(&r, 0);
  expect_text(&r, r.out, "usage");
  result_done(&r);

  run(c, &r, version);
  expect_status(&r, 0);
  expect_text(&r, r.out, "gantty ");
  result_done(&r);
}

/* Usage errors: exit 2, a message naming the bad word, nothing run. */
static void
test_bad_input(void **state)
{
  static const struct {
    const char *args[8];
    const char *needle[2];
  } cases[] = {
    { { "run", "nosuchwork" }, { "nosuchwork" } },
    { { "run", "genre", "--modes", "sync,bogus" }, { "bogus" } },
    { { "--bogus-option" }, { "--bogus-option" } },
    { { "run", "genre", "-x" }, { "-x" } },
    { { "run", "genre", "--tasks", "0" }, { "--tasks", "'0'" } },
    { { "run", "genre", "--tasks", "12x" }, { "--tasks", "12x" } },
    { { "run", "genre", "--latency", "-5" }, { "--latency", "-5" } },
    { { "run", "genre", "--trace", "out.txt" }, { "--trace", "out.txt" } },
    { { "run", "genre", "--tasks" }, { "--tasks" } },
    { { "run", "--spec", "bad.spec" }, { "bad.spec:2:7: expected a path" } },
    { { "run", "--spec", "missing.spec" }, { "missing.spec: cannot read" } },
    { { "run", "--spec", "lock.spec" }, { "lock.spec:3:10: task 'a' does "
        "not hold lock 'door'" } },
    { { "run", "--spec", "kind.spec" }, { "kind.spec:2:11: expected "
        "python-loop, holds-gil, releases-gil" } },
    { { "run", "genre", "--spec", "bad.spec" }, { "--spec", "'genre'" } },
    { { "run", "--errors", "60", "--stall", "50" }, { "--errors 60" } },
    { { "run", "--connections", "sometimes" }, { "'sometimes'" } },
    /* --cores: from 1 to the CPUs online (no machine has 100000) */
    { { "run", "--cores", "0" }, { "--cores", "'0'" } },
    { { "run", "--cores", "100000" }, { "--cores", "CPUs online" } },
    { { "run", "--url", "file:///etc/passwd" },
      { "file:///etc/passwd", "http://" } },
    { { "run", "--url", "ftp://127.0.0.1/x" }, { "ftp://", "'ftp'" } },
    { { "run", "--url", "gopher://127.0.0.1/" }, { "gopher://", "http://" } },
    { { "run", "--url", "dict://127.0.0.1/" }, { "dict://", "http://" } },
    { { "run", "--url", "http://[::1" }, { "http://[::1", "not a URL" } },
    { { "run", "--url", "127.0.0.1:80" }, { "127.0.0.1:80", "http://" } },
    /* A base that paths are added to has no query nor fragment. */
    { { "run", "--url", "http://127.0.0.1:1/#frag" },
      { "#frag'", "a fragment" } },
    { { "run", "--url", "http://h:1?q" }, { "h:1?q'", "a query" } },
  };
  struct ctx *c = *state;
  char *outdir = path_in(c, "gantty-out"), *spec = path_in(c, "bad.spec");
  struct result r;
  size_t i, k;
  FILE *f = fopen(spec, "w");

  assert_non_null(f);
  fputs("task a\n  get page/1\n", f);
  fclose(f);
  free(spec);
  spec = path_in(c, "lock.spec");
  assert_non_null(f = fopen(spec, "w"));
  fputs("task a\n  sleep 1ms\n  unlock door\n", f);
  fclose(f);
  free(spec);
  spec = path_in(c, "kind.spec");
  assert_non_null(f = fopen(spec, "w"));
  fputs("task a\n  cpu 5ms gil\n", f);
  fclose(f);
  free(spec);

  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    run(c, &r, cases[i].args);
    expect_status(&r, 2);
    for (k = 0; k < 2 && cases[i].needle[k] != NULL; k++)
      expect_text(&r, r.err, cases[i].needle[k]);
    if (r.out[0] != '\0')
      fail_msg("%s: a usage error printed to stdout:\n%s", r.cmdline, r.out);
    if (exists(outdir))
      fail_msg("%s: a usage error still made %s", r.cmdline, outdir);
    result_done(&r);
  }
  free(outdir);
}

/* A loopback port that nothing listens on (bound, then closed). */
static unsigned
closed_port(void)
{
  struct sockaddr_in sa;
  socklen_t len = sizeof(sa);
  int fd = socket(AF_INET, SOCK_STREAM, 0);

  assert_true(fd >= 0);
  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sa.sin_port = 0;
  assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
  assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
  close(fd);
  return ntohs(sa.sin_port);
}

/* How many lines of text hold both a and b. */
static unsigned
count_lines_with(const char *text, const char *a, const char *b)
{
  const char *line = text, *end;
  unsigned n = 0;
  char *copy;

  while (*line != '\0') {
    end = strchr(line, '\n');
    if (end == NULL)
      end = line + strlen(line);
    copy = gt_xmalloc((size_t)(end - line) + 1);
    memcpy(copy, line, (size_t)(end - line));
    copy[end - line] = '\0';
    if (strstr(copy, a) != NULL && strstr(copy, b) != NULL)
      n++;
    free(copy);
    line = *end ? end + 1 : end;
  }
  return n;
}

/* Each command takes only the options its table names: any other is
 * refused, exit 2, by a message naming the option and the command, before
 * its value is read and before anything is written (run takes every
 * option, so it has no case here). */
static void
test_refused_options(void **state)
{
  static const struct {
    const char *args[10];
    const char *option;     /* named in the message */
    const char *command;    /* named in the message */
  } cases[] = {
    { { "list", "--trace", "x.json" }, "--trace", "'gantty list'" },
    { { "list", "--quiet" }, "--quiet", "'gantty list'" },
    /* refused before its value is read: not "not a whole number" */
    { { "list", "--tasks", "0" }, "--tasks", "'gantty list'" },
    /* an abbreviation is named by the option it stands for */
    { { "list", "--tra", "x.json" }, "--trace", "'gantty list'" },
    { { "replay", "--gil", "--workers", "7", "--spec", "nonexist" },
      "--gil", "'gantty replay'" },
    { { "replay", "t.json", "--modes", "sync" }, "--modes",
      "'gantty replay'" },
    { { "replay", "t.json", "--out", "o" }, "--out", "'gantty replay'" },
    { { "replay", "t.json", "--latency", "5" }, "--latency",
      "'gantty replay'" },
    { { "convert", "t.json", "t.csv", "--headless" }, "--headless",
      "'gantty convert'" },
    { { "convert", "t.json", "t.csv", "--trace", "x.json" }, "--trace",
      "'gantty convert'" },
    { { "convert", "t.json", "t.csv", "--width", "80" }, "--width",
      "'gantty convert'" },
    { { "serve", "--trace", "x.json" }, "--trace", "'gantty serve'" },
    { { "serve", "--headless" }, "--headless", "'gantty serve'" },
    { { "serve", "--url", "http://127.0.0.1:1" }, "--url",
      "'gantty serve'" },
  };
  struct ctx *c = *state;
  char *trace = path_in(c, "x.json"), *outdir = path_in(c, "gantty-out");
  struct result r;
  size_t i;

  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    run(c, &r, cases[i].args);
    expect_status(&r, 2);
    expect_text(&r, r.err, cases[i].option);
    expect_text(&r, r.err, cases[i].command);
    if (strstr(r.err, "whole number") != NULL)
      fail_msg("%s: the value was read before the option was refused:\n%s",
          r.cmdline, r.err);
    if (r.out[0] != '\0')
      fail_msg("%s: a usage error printed to stdout:\n%s", r.cmdline, r.out);
    if (exists(trace) || exists(outdir))
      fail_msg("%s: a refused option still wrote a file", r.cmdline);
    result_done(&r);
  }
  free(trace);
  free(outdir);
}

/* The forms an option may take on the line.  A flag given a value
 * ("--headless=yes", "--help=x") is refused, exit 2, naming the flag and
 * saying it takes no value (not a garbled "unknown option").  A file
 * option whose value looks like an option ("--summary --quiet": the user
 * left the name out) is refused, exit 2, naming both, and writes no file of
 * that name; "./--quiet" names such a file. */
static void
test_option_forms(void **state)
{
  static const struct {
    const char *args[8];
    const char *needle[3];
  } cases[] = {
    { { "replay", "t.json", "--headless=yes" },
      { "--headless", "takes no value", NULL } },
    { { "replay", "t.json", "--help=x" },
      { "--help", "takes no value", NULL } },
    { { "run", "sleep", "--gil=1" }, { "--gil", "takes no value", NULL } },
    /* an abbreviation is named by the flag it stands for */
    { { "replay", "t.json", "--head=1" },
      { "--headless", "takes no value", NULL } },
    { { "convert", "t.json", "t.csv", "--quiet=" },
      { "--quiet", "takes no value", NULL } },
    { { "replay", "t.json", "--summary", "--quiet" },
      { "--summary", "--quiet", "looks like an option" } },
    { { "replay", "t.json", "--trace", "--x.json" },
      { "--trace", "--x.json", "looks like an option" } },
    { { "run", "sleep", "--out", "--headless" },
      { "--out", "--headless", "looks like an option" } },
    { { "run", "--spec", "--headless" },
      { "--spec", "--headless", "looks like an option" } },
    /* an empty input is a usage error, not ": cannot read" */
    { { "replay", "" }, { "replay", "an empty name", NULL } },
    { { "convert", "", "t.csv" }, { "convert", "an empty name", NULL } },
  };
  struct ctx *c = *state;
  struct result r;
  size_t i, k;

  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    run(c, &r, cases[i].args);
    expect_status(&r, 2);
    for (k = 0; k < 3 && cases[i].needle[k] != NULL; k++)
      expect_text(&r, r.err, cases[i].needle[k]);
    result_done(&r);
  }
  for (i = 0; i < 2; i++) {
    const char *name = i == 0 ? "--quiet" : "--headless";
    char *path = path_in(c, name);

    if (exists(path))
      fail_msg("a file named %s was written", name);
    free(path);
  }
}

/* An output that names the input would replace what is read: 'convert
 * t.json t.csv --summary t.json' wrote the summary over the trace, and
 * 'run --spec x.spec --summary x.spec' over the spec.  Each is refused,
 * exit 2, naming the option and the input, and the input is untouched. */
static void
test_output_is_not_the_input(void **state)
{
  static const struct {
    const char *args[10];
    const char *needle;
  } cases[] = {
    { { "convert", "in.json", "t.csv", "--summary", "in.json" },
      "--summary" },
    { { "convert", "in.json", "./in.json" }, "convert: OUT" },
    { { "replay", "in.json", "--summary", "in.json" }, "--summary" },
    { { "replay", "in.json", "--trace", "in.json" }, "--trace" },
    { { "run", "--spec", "in.json", "--summary", "in.json" }, "--summary" },
  };
  struct ctx *c = *state;
  char *in = path_in(c, "in.json"), *text, *after;
  struct result r;
  size_t i;
  FILE *f = fopen(in, "w");

  assert_non_null(f);
  fputs("[{\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":0,\"dur\":5,"
      "\"name\":\"a\"}]\n", f);
  fclose(f);
  text = slurp(in);
  assert_non_null(text);
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    run(c, &r, cases[i].args);
    expect_status(&r, 2);
    expect_text(&r, r.err, cases[i].needle);
    expect_text(&r, r.err, "in.json");
    after = slurp(in);
    if (after == NULL || strcmp(after, text) != 0)
      fail_msg("%s: the input was changed:\n%s", r.cmdline,
          after ? after : "(gone)");
    free(after);
    result_done(&r);
  }
  free(text);
  free(in);
}

/* `gantty CMD --help` lists the options CMD takes, and only those: the
 * usage text and the parser read one table. */
static void
test_command_help(void **state)
{
  static const struct {
    const char *cmd;
    const char *takes[3];
    const char *not[3];
  } cases[] = {
    { "list", { NULL }, { "--trace", "--quiet", "--modes" } },
    { "serve", { "--latency", "--stall", NULL },
      { "--trace", "--headless", "--url" } },
    { "replay", { "--headless", "--trace", "--summary" },
      { "--modes", "--gil", "--latency" } },
    { "convert", { "--summary", "--quiet", NULL },
      { "--trace", "--headless", "--width" } },
    { "run", { "--modes", "--gil", "--latency" }, { NULL } },
  };
  struct ctx *c = *state;
  struct result r;
  size_t i, k;

  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const char *args[] = { cases[i].cmd, "--help", NULL };

    run(c, &r, args);
    expect_status(&r, 0);
    expect_text(&r, r.out, cases[i].cmd);
    for (k = 0; k < 3 && cases[i].takes[k] != NULL; k++)
      expect_text(&r, r.out, cases[i].takes[k]);
    for (k = 0; k < 3 && cases[i].not[k] != NULL; k++)
      if (strstr(r.out, cases[i].not[k]) != NULL)
        fail_msg("%s: its help lists %s, which it does not take:\n%s",
            r.cmdline, cases[i].not[k], r.out);
    result_done(&r);
  }
}

/* Options that do nothing in a combination.  Two settings on the line
 * for one thing are refused, exit 2, naming both (--tasks with --spec; a
 * demo server setting with --url, which replaces that server).  An option
 * that does nothing for the modes or the tasks asked for is warned about
 * on stderr and the session runs (exit 0).  Which modes an option touches
 * is DESIGN.md's table: the GIL is threads'; an event loop (--limit) is
 * async's and hybrid's; a pool of workers is threads', procs' and
 * hybrid's; sync has none of them. */
static void
test_no_op_options(void **state)
{
  static const struct {
    const char *args[16];
    const char *needle[2];
  } refused[] = {
    { { "run", "--spec", "one.spec", "--tasks", "3" },
      { "--tasks", "--spec" } },
    { { "run", "genre", "--url", "http://127.0.0.1:1", "--latency", "5" },
      { "--latency", "--url" } },
    { { "run", "genre", "--url", "http://127.0.0.1:1", "--seed", "5" },
      { "--seed", "--url" } },
    { { "run", "genre", "--stall", "5", "--url", "http://127.0.0.1:1" },
      { "--stall", "--url" } },
  };
  static const struct {
    const char *args[16];
    const char *warning;    /* NULL: no warning at all */
  } warned[] = {
    /* no mode with a GIL */
    { { "run", "sleep", "--modes", "sync,async", "--gil" }, "--gil" },
    /* a GIL, but no CPU step to hold it */
    { { "run", "sleep", "--modes", "threads", "--gil" }, "--gil" },
    /* a GIL and a CPU step: it does something */
    { { "run", "--spec", "cpu.spec", "--modes", "threads", "--gil" },
      NULL },
    { { "run", "sleep", "--modes", "sync", "--limit", "2" }, "--limit" },
    { { "run", "sleep", "--modes", "sync,threads,procs", "--limit", "2" },
      "--limit" },
    { { "run", "sleep", "--modes", "sync,hybrid", "--limit", "1" }, NULL },
    { { "run", "sleep", "--modes", "sync,async", "--workers", "2" },
      "--workers" },
    { { "run", "sleep", "--modes", "sync,procs", "--workers", "2" }, NULL },
    { { "run", "sleep", "--modes", "threads", "--switch-ms", "3" },
      "--switch-ms" },
    /* sleep makes no request: the demo server is not started */
    { { "run", "sleep", "--modes", "sync", "--latency", "5" },
      "demo server" },
    /* libuv's pool: a loop's file writes; none without a loop or a write */
    { { "run", "genre", "--modes", "sync,threads", "--pool", "2" },
      "--pool" },
    { { "run", "sleep", "--modes", "async", "--pool", "2" }, "--pool" },
    { { "run", "genre", "--modes", "sync,hybrid", "--pool", "2" }, NULL },
  };
  struct ctx *c = *state;
  char *spec = path_in(c, "one.spec"), *cpu = path_in(c, "cpu.spec");
  struct result r;
  size_t i, k, n;
  FILE *f = fopen(spec, "w");

  assert_non_null(f);
  fputs("task a\n  sleep 1ms\n", f);
  fclose(f);
  f = fopen(cpu, "w");
  assert_non_null(f);
  fputs("task a\n  cpu 1ms\n", f);
  fclose(f);
  for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
    run(c, &r, refused[i].args);
    expect_status(&r, 2);
    for (k = 0; k < 2; k++)
      expect_text(&r, r.err, refused[i].needle[k]);
    result_done(&r);
  }
  for (i = 0; i < sizeof(warned) / sizeof(warned[0]); i++) {
    const char *args[24];

    for (n = 0; warned[i].args[n] != NULL; n++)
      args[n] = warned[i].args[n];
    if (strcmp(args[1], "--spec") != 0) {  /* a spec file says its tasks */
      args[n++] = "--tasks";
      args[n++] = "1";
    }
    args[n++] = "--headless";
    args[n++] = "--quiet";  /* warnings still show */
    args[n] = NULL;
    run(c, &r, args);
    expect_status(&r, 0);
    if (warned[i].warning != NULL) {
      expect_text(&r, r.err, "warning");
      expect_text(&r, r.err, warned[i].warning);
      if (count_lines_with(r.err, "warning", "") != 1)
        fail_msg("%s: one warning expected:\n%s", r.cmdline, r.err);
    } else if (strstr(r.err, "warning") != NULL) {
      fail_msg("%s: a warning for an option that does something:\n%s",
          r.cmdline, r.err);
    }
    result_done(&r);
  }
  free(spec);
  free(cpu);
}

/* One row of a CSV trace: its task, reason and times (us). */
struct csv_row {
  long   task;
  char   reason[16];
  double start_us, end_us;
};

/* The rows of mode in the CSV trace at path (rows of at most max); their
 * count.  The columns are named by the header line, so that a column
 * added elsewhere changes nothing here. */
static size_t
csv_rows(const char *path, const char *mode, struct csv_row *row,
    size_t max)
{
  char *text = slurp(path), *line, *save = NULL, *f, *fs;
  int col_mode = -1, col_task = -1, col_reason = -1, col_s = -1, col_e = -1;
  size_t n = 0;
  int k;

  if (text == NULL)
    fail_msg("%s was not written", path);
  for (line = strtok_r(text, "\n", &save); line != NULL;
       line = strtok_r(NULL, "\n", &save)) {
    char *cell[16] = { 0 };
    int ncell = 0;

    if (line[0] == '#')
      continue;
    for (f = line; ncell < 16; f = fs + 1) {  /* no quoted cell here */
      cell[ncell++] = f;
      if ((fs = strchr(f, ',')) == NULL)
        break;
      *fs = '\0';
    }
    if (col_mode < 0) {  /* the header */
      for (k = 0; k < ncell; k++) {
        col_mode = strcmp(cell[k], "mode") == 0 ? k : col_mode;
        col_task = strcmp(cell[k], "task") == 0 ? k : col_task;
        col_reason = strcmp(cell[k], "reason") == 0 ? k : col_reason;
        col_s = strcmp(cell[k], "start_us") == 0 ? k : col_s;
        col_e = strcmp(cell[k], "end_us") == 0 ? k : col_e;
      }
      if (col_mode < 0 || col_task < 0 || col_reason < 0 || col_s < 0
          || col_e < 0)
        fail_msg("%s: no mode, task, reason, start_us, end_us header", path);
      continue;
    }
    if (strcmp(cell[col_mode], mode) != 0)
      continue;
    if (n == max)
      fail_msg("%s: more than %zu rows of %s", path, max, mode);
    row[n].task = strtol(cell[col_task], NULL, 10);
    snprintf(row[n].reason, sizeof(row[n].reason), "%s", cell[col_reason]);
    row[n].start_us = strtod(cell[col_s], NULL);
    row[n].end_us = strtod(cell[col_e], NULL);
    n++;
  }
  free(text);
  return n;
}

/* --pool N is libuv's thread pool, where the loop modes' writes wait for a
 * slot (issue 13): with --pool 1 one write runs at a time, in async and in
 * each of hybrid's workers (they inherit it), so no two tasks are on the
 * disk at once, every write shows pool, then disk, then loop busy, and a
 * burst of writes queues: some task waits on the pool while another is
 * on the disk.  With --pool 3, never more than three on the disk. */
static void
test_pool_option(void **state)
{
  enum { NTASKS = 100, MAXROWS = 8 * NTASKS };
  struct ctx *c = *state;
  char *spec = path_in(c, "w.spec"), *csv = path_in(c, "w.csv");
  char *out = path_in(c, "out");
  const char *modes[] = { "async", "hybrid" };
  struct csv_row *row = gt_xcalloc(MAXROWS, sizeof(*row));
  const char *pools[] = { "1", "3" };
  struct result r;
  size_t m, p, n, i, j;
  FILE *f = fopen(spec, "w");

  assert_non_null(f);
  fprintf(f, "%d x task w{i}\n  write f{i}.txt\n", NTASKS);
  fclose(f);
  for (p = 0; p < 2; p++) {
    const char *args[] = { "run", "--spec", spec, "--modes", "async,hybrid",
        "--workers", "1", "--pool", pools[p], "--out", out, "--trace", csv,
        "--headless", "--quiet", NULL };
    unsigned pool = (unsigned)atoi(pools[p]);

    run(c, &r, args);
    expect_status(&r, 0);
    result_done(&r);
    for (m = 0; m < 2; m++) {
      int queued_behind = 0;
      unsigned peak = 0, at;

      n = csv_rows(csv, modes[m], row, MAXROWS);
      for (i = 0; i < NTASKS; i++) {  /* rows come in time order a task */
        int seen = 0;  /* 1 pool, 2 disk, 3 loop busy */

        for (j = 0; j < n; j++) {
          int k = strcmp(row[j].reason, "pool") == 0 ? 1
              : strcmp(row[j].reason, "disk") == 0 ? 2
              : strcmp(row[j].reason, "loop busy") == 0 ? 3 : 0;

          if (row[j].task != (long)i || k == 0)
            continue;
          if (k != seen + 1)
            fail_msg("--pool %s, %s, task %zu: %s after %d", pools[p],
                modes[m], i, row[j].reason, seen);
          seen = k;
        }
        if (seen != 3)
          fail_msg("--pool %s, %s, task %zu: no pool, disk, loop busy",
              pools[p], modes[m], i);
      }
      for (i = 0; i < n; i++) {  /* who is on the disk as i starts on it */
        if (strcmp(row[i].reason, "disk") != 0)
          continue;
        for (at = 1, j = 0; j < n; j++)
          if (j != i && strcmp(row[j].reason, "disk") == 0
              && row[j].start_us <= row[i].start_us
              && row[i].start_us + 0.001 < row[j].end_us)
            at++;
        peak = at > peak ? at : peak;
        for (j = 0; j < n; j++)  /* a task waited for the pool meanwhile */
          if (strcmp(row[j].reason, "pool") == 0 && row[j].task != row[i].task
              && row[j].start_us < row[i].start_us
              && row[j].end_us > row[i].end_us)
            queued_behind = 1;
      }
      if (peak > pool)
        fail_msg("--pool %s, %s: %u tasks on the disk at once", pools[p],
            modes[m], peak);
      if (pool == 1 && !queued_behind)
        fail_msg("--pool 1, %s: no write waited for the pool", modes[m]);
    }
  }
  free(row);
  free(spec);
  free(csv);
  free(out);
}

/* The settings an example's comment gives: the words after "gantty" on its
 * "# Run it with: gantty ..." line, split at spaces into args (malloc'd
 * words; the line holds no quotes), with a "docs/..." word made absolute.
 * Returns the count; fails when the file has no such line. */
static size_t
example_args(const char *path, char **args, size_t max)
{
  static const char mark[] = "# Run it with: gantty ";
  char *text = slurp(path), *at, *end, *word, *save = NULL;
  size_t n = 0;

  assert_non_null(text);
  if ((at = strstr(text, mark)) == NULL)
    fail_msg("%s: no \"%s...\" line saying how to run it", path, mark);
  at += sizeof(mark) - 1;
  if ((end = strchr(at, '\n')) != NULL)
    *end = '\0';
  for (word = strtok_r(at, " ", &save); word != NULL;
       word = strtok_r(NULL, " ", &save)) {
    assert_true(n < max);
    if (strncmp(word, "docs/", 5) == 0)
      args[n++] = gt_xasprintf("%s/%s", GT_DOCS_DIR, word + 5);
    else
      args[n++] = gt_xstrdup(word);
  }
  free(text);
  return n;
}

/* Add the states (queued, running) and reasons (net, no core, ...) of the
 * rows of the CSV trace at path to seen: the names met so far, each
 * between tabs ("\tqueued\trunning\t..."), grown with realloc. */
static void
csv_states(const char *path, char **seen)
{
  char *text = slurp(path), *line, *save = NULL;
  int col_state = -1, col_reason = -1, k;

  if (text == NULL)
    fail_msg("%s was not written", path);
  for (line = strtok_r(text, "\n", &save); line != NULL;
       line = strtok_r(NULL, "\n", &save)) {
    char *cell[16] = { 0 }, *f, *fs, *name, *key;
    int ncell = 0;

    if (line[0] == '#')
      continue;
    for (f = line; ncell < 16; f = fs + 1) {  /* no quoted cell here */
      cell[ncell++] = f;
      if ((fs = strchr(f, ',')) == NULL)
        break;
      *fs = '\0';
    }
    if (col_state < 0) {  /* the header */
      for (k = 0; k < ncell; k++) {
        col_state = strcmp(cell[k], "state") == 0 ? k : col_state;
        col_reason = strcmp(cell[k], "reason") == 0 ? k : col_reason;
      }
      if (col_state < 0 || col_reason < 0)
        fail_msg("%s: no state, reason header", path);
      continue;
    }
    if (col_state >= ncell || col_reason >= ncell)
      fail_msg("%s: a row of %d cells", path, ncell);
    name = cell[col_reason][0] != '\0' ? cell[col_reason] : cell[col_state];
    key = gt_xasprintf("\t%s\t", name);
    if (strstr(*seen, key) == NULL) {
      size_t len = strlen(*seen);

      *seen = gt_xrealloc(*seen, len + strlen(name) + 2);
      sprintf(*seen + len, "%s\t", name);
    }
    free(key);
  }
  free(text);
}

/* Every state of the legend appears (issue 13, item 8): each
 * spec in docs/examples runs with the settings its comment gives, and the
 * built-in genre with a connection cost; over all of them, queued, running
 * and every reason of GT_REASONS (net, connect, disk, timer, gil, lock,
 * pool, no core, loop busy) is in some row of the CSV traces.  The
 * examples are made so that each state is certain, not likely: two
 * CPU-bound threads on --cores 1, a sleep that falls due inside another
 * task's CPU step on the loop, writes behind --pool 1, a named lock
 * under threads.  Every example's run must also end well (status 0). */
static void
test_every_state(void **state)
{
  enum { MAXW = MAX_ARGS - 8 };
  struct ctx *c = *state;
  char *csv = path_in(c, "t.csv"), *out = path_in(c, "out");
  char *seen = gt_xstrdup("\t"), *dirpath;
  char *words[MAXW];
  const char *args[MAX_ARGS + 1];
  struct dirent *e;
  struct result r;
  size_t files = 0, n, i;
  DIR *d;
  int k;

  dirpath = gt_xasprintf("%s/examples", GT_DOCS_DIR);
  d = opendir(dirpath);
  assert_non_null(d);
  while ((e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name);
    char *path;

    if (len < 6 || strcmp(e->d_name + len - 5, ".spec") != 0)
      continue;
    path = gt_xasprintf("%s/%s", dirpath, e->d_name);
    n = example_args(path, words, MAXW);
    if (n < 3 || strcmp(words[0], "run") != 0
        || strcmp(words[1], "--spec") != 0 || strcmp(words[2], path) != 0)
      fail_msg("%s: its command is not \"gantty run --spec %s ...\"", path,
          path);
    for (i = 0; i < n; i++)
      args[i] = words[i];
    args[i++] = "--out";
    args[i++] = out;
    args[i++] = "--trace";
    args[i++] = csv;
    args[i++] = "--headless";
    args[i++] = "--quiet";
    args[i] = NULL;
    run(c, &r, args);
    expect_status(&r, 0);
    csv_states(csv, &seen);
    print_message("%s: %s\n", r.cmdline, seen);
    result_done(&r);
    for (i = 0; i < n; i++)
      free(words[i]);
    unlink(csv);
    remove_tree(out);
    free(path);
    files++;
  }
  closedir(d);
  {  /* the demo server's connection cost: connect, then net */
    const char *genre[] = { "run", "genre", "--modes", "threads,async",
        "--tasks", "4", "--latency", "20", "--connect-ms", "30", "--out",
        out, "--trace", csv, "--headless", "--quiet", NULL };

    run(c, &r, genre);
    expect_status(&r, 0);
    csv_states(csv, &seen);
    print_message("%s: %s\n", r.cmdline, seen);
    result_done(&r);
  }
  assert_true(files >= 7);
  {  /* the legend: the two states without a reason, then every reason */
    const char *plain[] = { "queued", "running" };

    for (k = 0; k < 2; k++)
      if (strstr(seen, plain[k]) == NULL)
        fail_msg("no example and no workload shows %s; seen:%s", plain[k],
            seen);
  }
  for (k = 1; k < GT_R_COUNT; k++) {
    char *key = gt_xasprintf("\t%s\t", gt_reason_name(k));

    if (strstr(seen, key) == NULL)
      fail_msg("no example and no workload shows \"%s\"; seen:%s",
          gt_reason_name(k), seen);
    free(key);
  }
  free(seen);
  free(dirpath);
  free(csv);
  free(out);
}

/* A server that refuses connections fails every task, not the session. */
static void
test_refused_url(void **state)
{
  struct ctx *c = *state;
  unsigned port = closed_port();
  char *url = gt_xasprintf("http://127.0.0.1:%u", port);
  char *hostport = gt_xasprintf("127.0.0.1:%u", port);
  char *trace = path_in(c, "r.json"), *summary = path_in(c, "s.json");
  char *out = path_in(c, "out");
  const char *args[] = { "run", "genre", "--modes", "sync,threads",
    "--tasks", "3", "--url", url, "--trace", trace, "--summary", summary,
    "--out", out, "--headless", NULL };
  const char *modes[] = { "sync", "threads" };
  struct trace *t = gt_xmalloc(sizeof(*t));
  struct result r;
  yajl_val sum, run_v;
  unsigned nfailed = 0, marks;
  size_t i;
  int m;

  run(c, &r, args);
  expect_status(&r, 0);

  sum = load_json(summary);
  assert_int_equal(summary_runs(sum)->u.array.len, 2);
  for (m = 0; m < 2; m++) {
    run_v = summary_run(sum, modes[m]);
    if (run_v == NULL)
      fail_msg("no %s run in the summary", modes[m]);
    assert_int_equal(jint(run_v, "ok"), 0);
    assert_int_equal(jint(run_v, "failed"), 3);
  }
  yajl_tree_free(sum);

  trace_load(t, trace);
  for (i = 0; i < t->nlanes; i++) {
    if (t->lane[i].ninstant == 0 || t->lane[i].status == 0)
      continue;
    nfailed += t->lane[i].ninstant;
    if (strstr(t->lane[i].error, hostport) == NULL
        && strstr(t->lane[i].error, "connect") == NULL
        && strstr(t->lane[i].error, "refused") == NULL)
      fail_msg("lane \"%s\": error \"%s\" names neither %s nor the refusal",
          t->lane[i].name, t->lane[i].error, url);
  }
  assert_int_equal(nfailed, 6);

  marks = count_lines_with(r.out, "genre ", "\xe2\x9c\x97")
      + count_lines_with(r.out, "genre ", " X ");
  if (marks < 6)
    fail_msg("%u lanes of the report show a failure mark, expected 6:\n%s",
        marks, r.out);
  result_done(&r);
  free(t);
  free(url);
  free(hostport);
  free(trace);
  free(summary);
  free(out);
}

/* An output that cannot be made (a typo in a folder, a folder where the
 * file should go, --out a file) is refused with exit 2 before any run:
 * nothing on stdout, no run's progress, no file or folder made. */
static void
test_unwritable_trace(void **state)
{
  struct ctx *c = *state;
  char *trace = path_in(c, "no/such/dir/run.json");
  char *dir_trace = path_in(c, "taken.json");
  char *summary = path_in(c, "summary.json"), *out = path_in(c, "out");
  char *no = path_in(c, "no"), *afile = path_in(c, "afile");
  const char *args[] = { "run", "genre", "--modes", "sync,threads",
    "--tasks", "2", "--latency", "10", "--trace", trace,
    "--summary", summary, "--out", out, "--headless", NULL };
  const char *args_dir[] = { "run", "genre", "--modes", "sync",
    "--tasks", "2", "--latency", "10", "--trace", dir_trace,
    "--summary", summary, "--out", out, "--headless", NULL };
  const char *args_out[] = { "run", "genre", "--modes", "sync",
    "--tasks", "2", "--latency", "10", "--out", afile, "--headless",
    "--quiet", NULL };
  const char *args_sub[] = { "run", "genre", "--modes", "sync",
    "--tasks", "2", "--latency", "10", "--out", "afile/sub", "--headless",
    NULL };
  struct result r;
  struct stat st;

  run(c, &r, args);
  expect_status(&r, 2);
  expect_text(&r, r.err, trace);
  expect_text(&r, r.err, "there is no folder");
  assert_string_equal(r.out, "");
  if (strstr(r.err, "tasks on") != NULL)
    fail_msg("%s: a run started before the check:\n%s", r.cmdline, r.err);
  if (exists(trace) || exists(no) || exists(summary) || exists(out))
    fail_msg("%s: something was made", r.cmdline);
  result_done(&r);

  /* a folder where the trace should go: it stays one */
  assert_int_equal(mkdir(dir_trace, 0755), 0);
  run(c, &r, args_dir);
  expect_status(&r, 2);
  expect_text(&r, r.err, dir_trace);
  expect_text(&r, r.err, "is a folder");
  assert_string_equal(r.out, "");
  assert_int_equal(stat(dir_trace, &st), 0);
  assert_true(S_ISDIR(st.st_mode));
  assert_false(exists(summary));
  assert_int_equal(count_tmp_leftovers(c->dir), 0);
  result_done(&r);

  /* --out a file, or below one; --quiet does not hide why */
  fclose(fopen(afile, "w"));
  run(c, &r, args_out);
  expect_status(&r, 2);
  expect_text(&r, r.err, "afile is not a folder");
  result_done(&r);
  run(c, &r, args_sub);
  expect_status(&r, 2);
  expect_text(&r, r.err, "--out afile/sub: afile is not a folder");
  assert_string_equal(r.out, "");
  result_done(&r);
  free(trace);
  free(dir_trace);
  free(summary);
  free(out);
  free(no);
  free(afile);
}

/* Ctrl-C in the first run: exit 130, what ran is written, no more runs. */
static void
test_interrupt(void **state)
{
  struct ctx *c = *state;
  char *trace = path_in(c, "int.json"), *summary = path_in(c, "int_s.json");
  char *out = path_in(c, "out"), *text, *err;
  const char *args[] = { "run", "genre", "--modes", "sync,threads",
    "--tasks", "5", "--latency", "1500", "--trace", trace,
    "--summary", summary, "--out", out, "--headless", NULL };
  struct trace *t = gt_xmalloc(sizeof(*t));
  struct proc p;
  yajl_val sum, sy;
  double since;
  long pid;
  size_t i, nlanes = 0;

  proc_start(c, &p, args);
  text = wait_for_text(c, &p, p.err_path, "sync: 5 tasks", STEP_DEADLINE_MS);
  free(text);
  /* A margin for the first request to be underway, not a correctness
   * assumption: any moment before the end must give the same outcome. */
  since = gt_test_now_ms();
  while (gt_test_now_ms() - since < 300)
    gt_test_sleep_ms(POLL_MS);
  err = proc_signal(c, &p, SIGINT);  /* 130, and nothing left */

  trace_load(t, trace);
  pid = trace_pid(t, "sync");
  if (pid < 0)
    fail_msg("no sync process_name in %s", trace);
  for (i = 0; i < t->nlanes; i++)
    if (t->lane[i].pid == pid)
      nlanes++;
  if (nlanes == 0)
    fail_msg("no sync lane in %s", trace);
  if (trace_pid(t, "threads") >= 0)
    fail_msg("the threads run started after SIGINT (it is in %s)", trace);

  sum = load_json(summary);
  sy = summary_run(sum, "sync");
  if (sy == NULL)
    fail_msg("no sync run in %s", summary);
  if (!(jint(sy, "ok") < 5) || !(jint(sy, "failed") > 0))
    fail_msg("sync after SIGINT: ok %lld, failed %lld (unfinished %lld)",
        jint(sy, "ok"), jint(sy, "failed"), jint(sy, "unfinished"));
  if (summary_run(sum, "threads") != NULL)
    fail_msg("the threads run started after SIGINT (it is in %s)", summary);
  yajl_tree_free(sum);
  free(err);
  proc_done(&p);
  free(t);
  free(trace);
  free(summary);
  free(out);
}

/* procs and hybrid from the command line: the files, the counts, two
 * worker pids per run in the trace, and hybrid's requests all out at once. */
static void
test_process_modes(void **state)
{
  struct ctx *c = *state;
  char *trace = path_in(c, "procs.json"), *summary = path_in(c, "procs_s.json");
  char *out = path_in(c, "out"), *path;
  const char *args[] = { "run", "genre", "--modes", "procs,hybrid",
    "--workers", "2", "--tasks", "4", "--latency", "200", "--trace", trace,
    "--summary", summary, "--out", out, "--headless", NULL };
  const char *modes[] = { "procs", "hybrid" };
  struct trace *t = gt_xmalloc(sizeof(*t));
  struct result r;
  yajl_val sum, run_of;
  long pid, seen[2];
  size_t i, j, m, k;

  run(c, &r, args);
  expect_status(&r, 0);
  sum = load_json(summary);
  trace_load(t, trace);
  for (m = 0; m < 2; m++) {
    for (k = 0; k < 4; k++) {
      path = gt_xasprintf("%s/%s/new_file%zu.txt", out, modes[m], k);
      expect_genre_file(path);
      free(path);
    }
    run_of = summary_run(sum, modes[m]);
    if (run_of == NULL)
      fail_msg("no %s run in %s", modes[m], summary);
    assert_int_equal(jint(run_of, "ok"), 4);
    assert_int_equal(jint(run_of, "workers"), 2);
    /* procs: a task a worker; hybrid: each worker's loop has its two */
    assert_int_equal(jint(run_of, "peak_requests"), m == 0 ? 2 : 4);
    pid = trace_pid(t, modes[m]);
    if (pid < 0)
      fail_msg("no %s process_name in %s", modes[m], trace);
    seen[0] = seen[1] = 0;
    for (i = 0; i < t->nlanes; i++) {
      if (t->lane[i].pid != pid)
        continue;
      for (j = 0; j < t->lane[i].nsl; j++) {
        long w = t->lane[i].sl[j].worker;

        if (t->lane[i].sl[j].queued)
          continue;
        if (w <= 1)
          fail_msg("%s: a slice on worker %ld, not a worker's pid",
              modes[m], w);
        if (seen[0] == 0 || seen[0] == w)
          seen[0] = w;
        else if (seen[1] == 0 || seen[1] == w)
          seen[1] = w;
        else
          fail_msg("%s: a third worker pid %ld with --workers 2", modes[m], w);
      }
    }
    if (seen[1] == 0)
      fail_msg("%s: every slice on one worker (%ld)", modes[m], seen[0]);
  }
  yajl_tree_free(sum);
  result_done(&r);
  free(t);
  free(trace);
  free(summary);
  free(out);
}

/* Write text to path in the test's folder. */
static void
put_file(const struct ctx *c, const char *name, const char *text)
{
  char *path = path_in(c, name);
  FILE *f = fopen(path, "w");

  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  free(path);
}

/* A file that is not there is not a malformed file (issue 12): a missing
 * --spec or trace says "cannot read" with the system's reason and no line
 * or byte; a malformed one names the line (and column, or byte) of the
 * mistake; a spec naming a CPU function nobody registered names the file,
 * line, column and the function.  Each is refused before anything runs,
 * with exit status 2 (README: "Exit status and faults"). */
static void
test_missing_vs_malformed_files(void **state)
{
  static const struct {
    const char *args[5];
    const char *needle[2];
    const char *absent;
  } cases[] = {
    { { "replay", "none.json", "--headless" },
      { "none.json: cannot read: No such file or directory" }, "byte" },
    { { "convert", "none.json", "out.csv" },
      { "none.json: cannot read: No such file or directory" }, "byte" },
    { { "run", "--spec", "none.spec", "--headless" },
      { "none.spec: cannot read: No such file or directory" },
      "none.spec:1" },
    { { "replay", "cut.json", "--headless" },
      { "cut.json: line 2, byte 8: the file ends inside an event" },
      "cannot read" },
    { { "replay", "orphan.json", "--headless" },
      { "orphan.json: line 2, byte 35: an \"E\" event of pid 1, tid 1 has "
        "no \"B\" before it" }, "cannot read" },
    { { "run", "--spec", "syntax.spec", "--headless" },
      { "syntax.spec:2:7: expected a path" }, "cannot read" },
    { { "run", "--spec", "fn.spec", "--headless" },
      { "fn.spec:3:7: no CPU function called 'nosuch.fn'" }, "usage" },
  };
  struct ctx *c = *state;
  char *outdir = path_in(c, "gantty-out");
  struct result r;
  size_t i, k;

  /* cut at its end, byte 8, on line 2: "[\n{\"ph\":" */
  put_file(c, "cut.json", "[\n{\"ph\":");
  /* the E on line 2 ends at byte 35, past its '}': "[\n", then 33 */
  put_file(c, "orphan.json", "[\n{\"ph\":\"E\",\"ts\":3,\"pid\":1,"
      "\"tid\":1}]\n");
  put_file(c, "syntax.spec", "task a\n  get page/1\n");
  put_file(c, "fn.spec", "task a\n  sleep 1ms\n  cpu nosuch.fn 3\n");
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    run(c, &r, cases[i].args);
    expect_status(&r, 2);
    for (k = 0; k < 2 && cases[i].needle[k] != NULL; k++)
      expect_text(&r, r.err, cases[i].needle[k]);
    if (strstr(r.err, cases[i].absent) != NULL)
      fail_msg("%s: \"%s\" not expected in stderr:\n%s", r.cmdline,
          cases[i].absent, r.err);
    if (exists(outdir))
      fail_msg("%s: a refused file still made %s", r.cmdline, outdir);
    result_done(&r);
  }
  free(outdir);
}

/* A trace goes to CSV and SVG by --trace and by convert, replays headless
 * to the same report, and another tool's trace replays with a note of what
 * was skipped; a broken one is refused with its byte offset, status 2. */
static void
test_replay_convert(void **state)
{
  struct ctx *c = *state;
  char *json = path_in(c, "t.json"), *csv = path_in(c, "t.csv");
  char *svg = path_in(c, "t.svg"), *svg2 = path_in(c, "c.svg");
  char *csv2 = path_in(c, "c.csv"), *out = path_in(c, "out"), *cmd, *text;
  const char *run_args[] = { "run", "genre", "--modes", "sync,threads",
    "--tasks", "3", "--latency", "50", "--out", out, "--headless",
    "--trace", json, "--trace", csv, "--trace", svg, NULL };
  const char *replay_args[] = { "replay", json, "--headless", NULL };
  const char *conv_svg[] = { "convert", json, svg2, NULL };
  const char *conv_csv[] = { "convert", json, csv2, NULL };
  const char *foreign_args[] = { "replay", "foreign.json", "--headless",
    NULL };
  const char *bad_args[] = { "replay", "bad.json", "--headless", NULL };
  struct result r;

  run(c, &r, run_args);
  expect_status(&r, 0);
  result_done(&r);
  text = slurp(csv);
  assert_non_null(text);
  {
    /* the settings' comment lines ("# key=value"), then the header */
    const char *at = text;

    while (strncmp(at, "# ", 2) == 0 && strchr(at, '\n') != NULL)
      at = strchr(at, '\n') + 1;
    if (strstr(text, "# tasks=3\n") == NULL || strncmp(at, "mode,task,label,"
        "state,reason,start_us,end_us,worker,status\n", 57) != 0)
      fail_msg("%s does not start with the settings and the CSV header:\n"
          "%.1500s", csv, text);
  }
  free(text);
  cmd = gt_xasprintf("xmllint --noout '%s' '%s' 2>&1", svg, svg2);

  run(c, &r, conv_svg);
  expect_status(&r, 0);
  result_done(&r);
  if (system(cmd) != 0)
    fail_msg("%s or %s is not well-formed XML (xmllint)", svg, svg2);
  free(cmd);
  run(c, &r, conv_csv);
  expect_status(&r, 0);
  result_done(&r);
  /* the CSV from the file is the CSV from the run */
  {
    char *a = slurp(csv), *b = slurp(csv2);

    if (strcmp(a, b) != 0)
      fail_msg("convert's CSV differs from --trace's");
    free(a);
    free(b);
  }

  run(c, &r, replay_args);
  expect_status(&r, 0);
  expect_text(&r, r.out, "sync");
  expect_text(&r, r.out, "threads");
  expect_text(&r, r.out, "genre 2");
  result_done(&r);

  put_file(c, "foreign.json",
      "[{\"ph\":\"B\",\"name\":\"step\",\"ts\":5,\"pid\":9,\"tid\":1},\n"
      "{\"ph\":\"E\",\"ts\":25,\"pid\":9,\"tid\":1},\n"
      "{\"ph\":\"C\",\"name\":\"mem\",\"ts\":6,\"pid\":9,\"args\":{}},\n");
  run(c, &r, foreign_args);
  expect_status(&r, 0);
  expect_text(&r, r.out, "pid 9");
  expect_text(&r, r.err, "skipped 1 \"C\" events");
  expect_text(&r, r.err, "the file ends without its closing brackets");
  result_done(&r);

  put_file(c, "bad.json", "[{\"ph\":\"X\",\"ts\":-3,\"dur\":1}]");
  run(c, &r, bad_args);
  expect_status(&r, 2);
  expect_text(&r, r.err, "bad.json: line 1, byte ");
  expect_text(&r, r.err, "not negative");
  result_done(&r);
  free(json);
  free(csv);
  free(svg);
  free(svg2);
  free(csv2);
  free(out);
}

/* gzip traces (issue 14, item 7): `--trace x.json.gz` writes what gunzip
 * turns into --trace x.json's file; convert writes .json.gz and reads it
 * back to the same file; a gzip trace replays to the same report as its
 * text, whatever its name; --like takes its settings; a corrupt one is
 * refused with exit 2; a name that is .gz alone, or .gz after another
 * extension, is refused before anything runs. */
static void
test_gzip_traces(void **state)
{
  struct ctx *c = *state;
  const char *replay_args[] = { "replay", "src.json", "--headless",
    "--quiet", "--trace", "r.json", "--trace", "r.json.gz", NULL };
  const char *to_gz[] = { "convert", "src.json", "c.json.gz", "--quiet",
    NULL };
  const char *from_gz[] = { "convert", "c.json.gz", "back.json", "--quiet",
    NULL };
  const char *to_csv_gz[] = { "convert", "c.json.gz", "c.csv.gz", "--quiet",
    NULL };
  const char *to_csv[] = { "convert", "src.json", "c.csv", "--quiet", NULL };
  const char *to_json[] = { "convert", "src.json", "c.json", "--quiet",
    NULL };
  const char *plain_rep[] = { "replay", "c.json", "--headless", NULL };
  const char *gz_rep[] = { "replay", "c.json.gz", "--headless", NULL };
  const char *gz_as_json[] = { "replay", "gz.json", "--headless", NULL };
  const char *bad_rep[] = { "replay", "bad.json.gz", "--headless", NULL };
  const char *bad_name[] = { "convert", "src.json", "x.gz", NULL };
  const char *bad_name2[] = { "replay", "src.json", "--headless",
    "--trace", "x.txt.gz", NULL };
  const char *want = "must end in .json, .csv or .svg, or one of those "
      "and .gz (gzip'd)";
  char *cmd, *a, *b;
  struct result r, r2;

  put_file(c, "src.json",
      "[{\"ph\":\"X\",\"name\":\"parse\",\"ts\":0,\"dur\":40,"
      "\"pid\":3,\"tid\":1},\n"
      "{\"ph\":\"B\",\"name\":\"step\",\"ts\":5,\"pid\":3,\"tid\":2},\n"
      "{\"ph\":\"E\",\"ts\":25,\"pid\":3,\"tid\":2}]\n");
  run(c, &r, replay_args);
  expect_status(&r, 0);
  result_done(&r);
  cmd = gt_xasprintf("cd '%s' && gunzip -c r.json.gz > r.gunzip.json",
      c->dir);
  assert_int_equal(system(cmd), 0);
  free(cmd);
  a = path_in(c, "r.json");
  b = path_in(c, "r.gunzip.json");
  {
    char *ta = slurp(a), *tb = slurp(b);

    assert_non_null(ta);
    assert_non_null(tb);
    assert_string_equal(ta, tb);
    free(ta);
    free(tb);
  }
  free(a);
  free(b);

  run(c, &r, to_gz);
  expect_status(&r, 0);
  result_done(&r);
  run(c, &r, from_gz);
  expect_status(&r, 0);
  result_done(&r);
  run(c, &r, to_csv_gz);
  expect_status(&r, 0);
  result_done(&r);
  run(c, &r, to_csv);
  expect_status(&r, 0);
  result_done(&r);
  /* back.json is gantty's own file read back: the same lanes as the
   * source's replay wrote to r.json, all but the origin's clock */
  {
    char *pa = path_in(c, "back.json"), *pb = path_in(c, "r.json");
    char *ta = slurp(pa), *tb = slurp(pb), *ea, *eb;

    assert_non_null(ta);
    assert_non_null(tb);
    ea = strstr(ta, "\"t0_ns\":");
    eb = strstr(tb, "\"t0_ns\":");
    assert_non_null(ea);
    assert_non_null(eb);
    assert_int_equal(ea - ta, eb - tb);
    assert_memory_equal(ta, tb, (size_t)(ea - ta));
    free(ta);
    free(tb);
    free(pa);
    free(pb);
  }
  cmd = gt_xasprintf("cd '%s' && gunzip -c c.csv.gz | cmp -s - c.csv",
      c->dir);
  assert_int_equal(system(cmd), 0);
  free(cmd);

  /* replayed from gzip, named .json.gz or .json: the report of the same
   * file plain */
  run(c, &r, to_json);
  expect_status(&r, 0);
  result_done(&r);
  cmd = gt_xasprintf("cp '%s/c.json.gz' '%s/gz.json'", c->dir, c->dir);
  assert_int_equal(system(cmd), 0);
  free(cmd);
  run(c, &r, plain_rep);
  expect_status(&r, 0);
  run(c, &r2, gz_rep);
  expect_status(&r2, 0);
  assert_string_equal(r.out, r2.out);
  result_done(&r2);
  run(c, &r2, gz_as_json);
  expect_status(&r2, 0);
  assert_string_equal(r.out, r2.out);
  result_done(&r2);
  result_done(&r);

  /* --like reads a gzip trace's settings: a run of 3 tasks, re-run */
  {
    const char *rec_args[] = { "run", "sleep", "--tasks", "3", "--modes",
      "sync", "--headless", "--quiet", "--trace", "s.json.gz", NULL };
    const char *like_args[] = { "run", "--like", "s.json.gz", "--headless",
      "--quiet", "--summary", "like.json", NULL };
    char *sum = path_in(c, "like.json");
    yajl_val v;

    run(c, &r, rec_args);
    expect_status(&r, 0);
    result_done(&r);
    run(c, &r, like_args);
    expect_status(&r, 0);
    result_done(&r);
    v = load_json(sum);
    assert_string_equal(jstr(v, "workload"), "sleep");
    assert_int_equal(jint(v, "tasks"), 3);
    yajl_tree_free(v);
    free(sum);
  }

  /* the magic, then not a gzip header: exit 2, the file and the byte */
  put_file(c, "bad.json.gz", "\x1f\x8b not gzip at all");
  run(c, &r, bad_rep);
  expect_status(&r, 2);
  expect_text(&r, r.err, "bad.json.gz: compressed byte ");
  expect_text(&r, r.err, "not valid gzip");
  result_done(&r);

  run(c, &r, bad_name);
  expect_status(&r, 2);
  expect_text(&r, r.err, "'x.gz' ");
  expect_text(&r, r.err, want);
  result_done(&r);
  run(c, &r, bad_name2);
  expect_status(&r, 2);
  expect_text(&r, r.err, "'x.txt.gz': ");
  expect_text(&r, r.err, want);
  result_done(&r);
}

/* Two JSON scalars are the same value: the same type and text. */
static int
same_scalar(yajl_val a, yajl_val b)
{
  if (a == NULL || b == NULL || a->type != b->type)
    return 0;
  if (YAJL_IS_STRING(a))
    return strcmp(a->u.string, b->u.string) == 0;
  if (YAJL_IS_NUMBER(a))
    return strcmp(a->u.number.r, b->u.number.r) == 0;
  return YAJL_IS_TRUE(a) || YAJL_IS_FALSE(a) || YAJL_IS_NULL(a);
}

/* The "settings" object of the summary at path, every setting of want
 * (the same keys) there with the same value but the keys in skip. */
static void
expect_same_settings(yajl_val want, const char *path, const char *const *skip)
{
  yajl_val root = load_json(path), got = jget(root, "settings");
  size_t i, k;

  if (!YAJL_IS_OBJECT(got))
    fail_msg("%s has no \"settings\" object", path);
  if (got->u.object.len != want->u.object.len)
    fail_msg("%s has %zu settings, expected %zu", path, got->u.object.len,
        want->u.object.len);
  for (i = 0; i < want->u.object.len; i++) {
    for (k = 0; skip[k] != NULL; k++)
      if (strcmp(skip[k], want->u.object.keys[i]) == 0)
        break;
    if (skip[k] == NULL && !same_scalar(want->u.object.values[i],
        jget(got, want->u.object.keys[i])))
      fail_msg("%s: the setting %s differs from the first run's", path,
          want->u.object.keys[i]);
  }
  yajl_tree_free(root);
}

/* Every file says how it was made: a run with settings that are not the
 * defaults writes them into the summary, the trace's otherData and the
 * CSV's comment lines; replay shows them, convert keeps them, and run
 * --like re-runs them (its summary's settings are the first's), the line
 * overriding the file; another tool's trace and a bad setting are
 * refused naming the file and the setting, status 2. */
static void
test_settings_round_trip(void **state)
{
  struct ctx *c = *state;
  char *json = path_in(c, "t.json"), *csv = path_in(c, "t.csv");
  char *sum = path_in(c, "s.json"), *sum2 = path_in(c, "s2.json");
  char *sum3 = path_in(c, "s3.json"), *conv = path_in(c, "c.json");
  char *out = path_in(c, "out"), *foreign = path_in(c, "foreign.json");
  char *bad = path_in(c, "bad.json"), *text;
  const char *run_args[] = { "run", "genre", "--modes", "sync,threads",
    "--tasks", "3", "--seed", "42", "--latency", "30", "--jitter", "5",
    "--gil", "--workers", "2", "--switch-ms", "7", "--connections", "fresh",
    "--out", out, "--headless", "--quiet", "--trace", json, "--trace", csv,
    "--summary", sum, NULL };
  const char *replay_args[] = { "replay", json, "--headless", "--width",
    "200", NULL };
  const char *conv_args[] = { "convert", json, conv, "--quiet", NULL };
  const char *like_args[] = { "run", "--like", json, "--out", out,
    "--headless", "--quiet", "--summary", sum2, NULL };
  const char *like2_args[] = { "run", "--like", conv, "--seed", "5",
    "--out", out, "--headless", "--quiet", "--summary", sum3, NULL };
  const char *foreign_args[] = { "run", "--like", foreign, "--headless",
    NULL };
  const char *bad_args[] = { "run", "--like", bad, "--headless", NULL };
  /* contention is measured, run by run: never the same twice */
  const char *none[] = { "contention", NULL };
  const char *seed[] = { "seed", "contention", NULL };
  yajl_val s, set, other, root;
  struct result r;

  run(c, &r, run_args);
  expect_status(&r, 0);
  result_done(&r);
  s = load_json(sum);
  set = jget(s, "settings");
  if (!YAJL_IS_OBJECT(set))
    fail_msg("%s has no \"settings\" object", sum);
  assert_string_equal(jstr(set, "workload"), "genre");
  assert_string_equal(jstr(set, "modes"), "sync,threads");
  assert_int_equal(jint(set, "tasks"), 3);
  assert_int_equal(jint(set, "seed"), 42);
  assert_int_equal(jint(set, "latency_ms"), 30);
  assert_int_equal(jint(set, "jitter_ms"), 5);
  assert_int_equal(jint(set, "workers"), 2);
  assert_int_equal(jint(set, "switch_ms"), 7);
  assert_true(YAJL_IS_TRUE(jget(set, "gil")));
  assert_string_equal(jstr(set, "connections"), "fresh");
  assert_true(jint(set, "cores_online") >= 1);
  assert_true(jstr(set, "version")[0] != '\0');
  assert_true(jstr(set, "kernel")[0] != '\0');
  /* the trace carries the same settings as its top object's otherData */
  root = load_json(json);
  other = jget(root, "otherData");
  if (!YAJL_IS_OBJECT(other) || !same_scalar(jget(other, "seed"),
      jget(set, "seed")) || other->u.object.len != set->u.object.len)
    fail_msg("%s: otherData is not the summary's settings", json);
  yajl_tree_free(root);
  text = slurp(csv);
  if (strstr(text, "# seed=42\n") == NULL
      || strstr(text, "# gil=true\n") == NULL)
    fail_msg("%s: the settings are not in its comment lines:\n%.800s", csv,
        text);
  free(text);

  run(c, &r, replay_args);
  expect_status(&r, 0);
  expect_text(&r, r.out, "settings:");
  expect_text(&r, r.out, "seed 42");
  expect_text(&r, r.out, "latency_ms 30");
  expect_text(&r, r.out, "gil true");
  expect_text(&r, r.out, "connections fresh");
  result_done(&r);
  run(c, &r, conv_args);
  expect_status(&r, 0);
  result_done(&r);
  root = load_json(conv);
  other = jget(root, "otherData");
  if (!YAJL_IS_OBJECT(other) || !same_scalar(jget(other, "latency_ms"),
      jget(set, "latency_ms")))
    fail_msg("%s: convert lost the settings", conv);
  yajl_tree_free(root);

  run(c, &r, like_args);
  expect_status(&r, 0);
  /* the file's settings are not the user's options: --pool from a file
   * of modes without a loop is no warning (it was) */
  if (strstr(r.err, "warning") != NULL)
    fail_msg("--like warned about the file's own settings:\n%s", r.err);
  result_done(&r);
  expect_same_settings(set, sum2, none);
  run(c, &r, like2_args);
  expect_status(&r, 0);
  result_done(&r);
  expect_same_settings(set, sum3, seed);
  root = load_json(sum3);
  assert_int_equal(jint(jget(root, "settings"), "seed"), 5);
  yajl_tree_free(root);

  put_file(c, "foreign.json", "[{\"ph\":\"X\",\"name\":\"a\",\"ts\":1,"
      "\"dur\":2,\"pid\":1,\"tid\":1}]");
  run(c, &r, foreign_args);
  expect_status(&r, 2);
  expect_text(&r, r.err, "foreign.json");
  expect_text(&r, r.err, "another tool");
  result_done(&r);
  put_file(c, "bad.json", "{\"workload\":\"genre\",\"settings\":"
      "{\"workload\":\"genre\",\"latency_ms\":\"soon\"}}");
  run(c, &r, bad_args);
  expect_status(&r, 2);
  expect_text(&r, r.err, "bad.json");
  expect_text(&r, r.err, "'latency_ms'");
  result_done(&r);
  free(json);
  free(csv);
  free(sum);
  free(sum2);
  free(sum3);
  free(conv);
  free(out);
  free(foreign);
  free(bad);
  yajl_tree_free(s);
}

/* run --like with hostile files: a FIFO given as the file, or named by
 * the file as its spec, is refused at once (opening one would wait for a
 * writer forever); a file that sets both repeat and together is refused
 * naming the file and the setting, as any bad setting is; a string where
 * a flag belongs is shown quoted; and settings a file merely records (the
 * pool every session has) draw no warning about an option nobody gave; a
 * summary nested a million deep is refused, not a crash.  Each refusal
 * exits 2 and names the file. */
static void
test_like_hostile(void **state)
{
  struct ctx *c = *state;
  char *fifo = path_in(c, "fifo"), *spec_fifo = path_in(c, "sf.json");
  char *both = path_in(c, "both.json"), *strgil = path_in(c, "sg.json");
  char *plain = path_in(c, "plain.json"), *out = path_in(c, "out");
  char *deep = path_in(c, "deep.json"), *text;
  size_t head;
  const char *fifo_args[] = { "run", "--like", fifo, "--headless",
    "--quiet", NULL };
  const char *spec_fifo_args[] = { "run", "--like", spec_fifo,
    "--headless", "--quiet", "--out", out, NULL };
  const char *deep_args[] = { "run", "--like", deep, "--headless",
    "--quiet", NULL };
  const char *both_args[] = { "run", "--like", both, "--headless",
    "--quiet", "--out", out, NULL };
  const char *strgil_args[] = { "run", "--like", strgil, "--headless",
    "--quiet", "--out", out, NULL };
  const char *plain_args[] = { "run", "--like", plain, "--headless",
    "--quiet", "--out", out, NULL };
  struct result r;

  assert_int_equal(mkfifo(fifo, 0600), 0);
  run(c, &r, fifo_args);
  expect_status(&r, 2);
  expect_text(&r, r.err, fifo);
  result_done(&r);

  text = gt_xasprintf("{\"workload\":null,\"settings\":{\"spec\":\"%s\","
      "\"modes\":\"sync\"}}", fifo);
  put_file(c, "sf.json", text);
  free(text);
  run(c, &r, spec_fifo_args);
  expect_status(&r, 2);
  expect_text(&r, r.err, spec_fifo);
  expect_text(&r, r.err, "'spec'");
  result_done(&r);

  /* a million brackets: refused, not a crash in freeing the tree */
  text = gt_xmalloc(2000000 + 64);
  strcpy(text, "{\"settings\":{\"workload\":\"pow\",\"x\":");
  head = strlen(text);
  memset(text + head, '[', 1000000);
  memset(text + head + 1000000, ']', 1000000);
  strcpy(text + head + 2000000, "}}");
  put_file(c, "deep.json", text);
  free(text);
  run(c, &r, deep_args);
  expect_status(&r, 2);
  expect_text(&r, r.err, deep);
  result_done(&r);

  put_file(c, "both.json", "{\"workload\":\"pow\",\"settings\":"
      "{\"workload\":\"pow\",\"modes\":\"sync\",\"together\":true,"
      "\"repeat\":3}}");
  run(c, &r, both_args);
  expect_status(&r, 2);
  expect_text(&r, r.err, both);
  expect_text(&r, r.err, "'repeat'");
  result_done(&r);

  put_file(c, "sg.json", "{\"workload\":\"pow\",\"settings\":"
      "{\"workload\":\"pow\",\"gil\":\"true\"}}");
  run(c, &r, strgil_args);
  expect_status(&r, 2);
  expect_text(&r, r.err, "'gil' is \"true\"");
  result_done(&r);

  put_file(c, "plain.json", "{\"workload\":\"pow\",\"settings\":"
      "{\"workload\":\"pow\",\"modes\":\"sync\",\"tasks\":2,"
      "\"scale\":64,\"pool\":4,\"limit\":0,\"workers\":0}}");
  run(c, &r, plain_args);
  expect_status(&r, 0);
  if (strstr(r.err, "does nothing") != NULL)
    fail_msg("%s: a setting the file only records drew a warning:\n%s",
        r.cmdline, r.err);
  result_done(&r);
  free(fifo);
  free(spec_fifo);
  free(both);
  free(strgil);
  free(plain);
  free(deep);
  free(out);
}

/* The summary's "workload": its text, or NULL when it is JSON null (and
 * a failure for anything else). */
static const char *
summary_workload(yajl_val summary)
{
  yajl_val w = jget(summary, "workload");

  if (YAJL_IS_NULL(w))
    return NULL;
  if (!YAJL_IS_STRING(w))
    fail_msg("the summary's \"workload\" is neither a string nor null");
  return YAJL_GET_STRING(w);
}

/* replay and convert write --summary from what a trace holds: gantty's own
 * names its workload, another tool's says null; neither crashes, and a
 * summary that cannot be written leaves no temporary file. */
static void
test_replay_summary(void **state)
{
  struct ctx *c = *state;
  char *json = path_in(c, "own.json"), *out = path_in(c, "out");
  const char *run_args[] = { "run", "sleep", "--modes", "sync,threads",
    "--tasks", "2", "--out", out, "--headless", "--quiet", "--trace", json,
    NULL };
  const char *own_replay[] = { "replay", json, "--headless", "--summary",
    "s1.json", NULL };
  const char *own_convert[] = { "convert", json, "c1.csv", "--summary",
    "s2.json", NULL };
  const char *foreign_replay[] = { "replay", "foreign.json", "--headless",
    "--summary", "s3.json", NULL };
  const char *foreign_convert[] = { "convert", "foreign.json", "c2.json",
    "--summary", "s4.json", NULL };
  const char *to_folder[] = { "replay", json, "--headless", "--summary",
    "adir", NULL };
  const char *const *own[] = { own_replay, own_convert };
  const char *const *foreign[] = { foreign_replay, foreign_convert };
  const char *own_sum[] = { "s1.json", "s2.json" };
  const char *foreign_sum[] = { "s3.json", "s4.json" };
  struct result r;
  yajl_val v;
  char *path;
  size_t i;

  run(c, &r, run_args);
  expect_status(&r, 0);
  result_done(&r);
  put_file(c, "foreign.json",
      "[{\"ph\":\"X\",\"name\":\"step\",\"ts\":5,\"dur\":20,\"pid\":9,"
      "\"tid\":1}]\n");
  for (i = 0; i < 2; i++) {
    run(c, &r, own[i]);
    expect_status(&r, 0);
    result_done(&r);
    path = path_in(c, own_sum[i]);
    v = load_json(path);
    if (summary_workload(v) == NULL
        || strcmp(summary_workload(v), "sleep") != 0)
      fail_msg("%s: the workload should be \"sleep\"", path);
    assert_int_equal(jint(v, "tasks"), 2);
    assert_int_equal(summary_runs(v)->u.array.len, 2);
    assert_non_null(summary_run(v, "sync"));
    assert_non_null(summary_run(v, "threads"));
    yajl_tree_free(v);
    free(path);

    run(c, &r, foreign[i]);
    expect_status(&r, 0);
    if (i == 1)  /* issue 14: processes and threads, not runs and lanes */
      expect_text(&r, r.err, "(1 process, 1 thread)");
    result_done(&r);
    path = path_in(c, foreign_sum[i]);
    v = load_json(path);
    if (summary_workload(v) != NULL)
      fail_msg("%s: another tool's trace names no workload, not \"%s\"",
          path, summary_workload(v));
    /* issue 14: its processes, not runs (no runs, modes or verdict) */
    assert_true(YAJL_IS_TRUE(jget(v, "foreign")));
    assert_null(jget(v, "runs"));
    assert_null(jget(v, "verdict"));
    assert_int_equal(jint(v, "threads"), 1);
    assert_true(YAJL_IS_ARRAY(jget(v, "processes")));
    assert_int_equal(jget(v, "processes")->u.array.len, 1);
    assert_string_equal(jstr(jget(v, "processes")->u.array.values[0],
        "process"), "pid 9");
    assert_true(jnum(jget(v, "processes")->u.array.values[0], "busy_ms")
        == 0.02);
    yajl_tree_free(v);
    free(path);
  }
  path = path_in(c, "adir");
  assert_int_equal(mkdir(path, 0755), 0);
  run(c, &r, to_folder);  /* refused before anything is read (item 8) */
  expect_status(&r, 2);
  expect_text(&r, r.err, "--summary");
  result_done(&r);
  free(path);
  assert_int_equal(count_tmp_leftovers(c->dir), 0);
  free(json);
  free(out);
}

/* Issue 14: another tool's file with an open X, an empty {}, an event
 * without ph on line 3 and an E without its B on line 4, a counter and a
 * trailing comma is read (exit 0), and headless stderr says each, counted,
 * the first event skipped with its line and byte (3, 108) and the next on
 * a line of its own; `[]` is refused as no events (exit 2). */
static void
test_import_forgiving(void **state)
{
  struct ctx *c = *state;
  static const char file[] =
      "[{\"ph\":\"X\",\"name\":\"a\",\"ts\":0,\"pid\":1,\"tid\":1},\n"
      "{\"ph\":\"C\",\"name\":\"c\",\"ts\":1,\"pid\":1,"
      "\"args\":{\"v\":1}},\n"
      "{\"ts\":1},\n"
      "{\"ph\":\"E\",\"ts\":9,\"pid\":1,\"tid\":1},{},\n]";
  const char *args[] = { "replay", "odd.json", "--headless", NULL };
  const char *empty_args[] = { "replay", "empty.json", "--headless", NULL };
  struct result r;

  put_file(c, "odd.json", file);
  run(c, &r, args);
  expect_status(&r, 0);
  expect_text(&r, r.err, "odd.json: skipped 1 \"C\" events; 1 \"X\" "
      "without \"dur\" drawn to the end; skipped events: 1 empty ({}), 1 "
      "without \"ph\", 1 \"E\" without its \"B\" (the first: line 3, "
      "byte 108: an event without \"ph\"); 1 trailing comma passed over");
  expect_text(&r, r.err, "odd.json: line 4, byte 143: skipped: an \"E\" "
      "event of pid 1, tid 1 has no \"B\" before it");
  expect_text(&r, r.out, "pid 1 / tid 1");
  result_done(&r);
  put_file(c, "empty.json", "[]");
  run(c, &r, empty_args);
  expect_status(&r, 2);
  expect_text(&r, r.err, "empty.json: byte 2: no trace events to draw");
  result_done(&r);
}

/* The 142-byte file that claims to be gantty's and names a thread of pid
 * 0 (the importer wrote out of bounds) is refused: exit 2, with the file
 * and the byte offset in the message. */
static void
test_import_bad_pid(void **state)
{
  struct ctx *c = *state;
  static const char file[] = "[{\"ph\":\"M\",\"name\":\"thread_name\","
      "\"pid\":0,\"tid\":1,\"args\":{\"name\":\"x\"}},{\"ph\":\"M\","
      "\"name\":\"gantty\",\"pid\":0,\"tid\":0,\"args\":{\"t0_ns\":1,"
      "\"format\":1}}]";
  const char *replay_args[] = { "replay", "pid0.json", "--headless", NULL };
  const char *convert_args[] = { "convert", "pid0.json", "x.csv", NULL };
  const char *const *args[] = { replay_args, convert_args };
  struct result r;
  size_t i;

  assert_int_equal(strlen(file), 142);
  put_file(c, "pid0.json", file);
  for (i = 0; i < 2; i++) {
    run(c, &r, args[i]);
    expect_status(&r, 2);
    expect_text(&r, r.err, "pid0.json: line 1, byte 68: pid 0");
    result_done(&r);
  }
}

/* A trace of 100 processes reports 100 runs: 100 rows in the table, 100
 * panels in the chart and 100 processes in the summary (they stopped at
 * 64 without a word). */
static void
test_many_runs(void **state)
{
  struct ctx *c = *state;
  const char *args[] = { "replay", "many.json", "--headless", "--summary",
    "many-s.json", NULL };
  char *text = gt_xstrdup("["), *path, *line, want[32];
  unsigned i, rows = 0, panels = 0;
  struct result r;
  yajl_val v;

  for (i = 1; i <= 100; i++) {
    char *ev = gt_xasprintf("%s{\"ph\":\"X\",\"name\":\"s\",\"ts\":%u,"
        "\"dur\":10,\"pid\":%u,\"tid\":1}", i > 1 ? "," : "", i, i);
    char *more = gt_xasprintf("%s%s", text, ev);

    free(text);
    free(ev);
    text = more;
  }
  path = gt_xasprintf("%s]", text);
  put_file(c, "many.json", path);
  free(path);
  free(text);
  run(c, &r, args);
  expect_status(&r, 0);
  for (i = 1; i <= 100; i++) {
    snprintf(want, sizeof(want), "\npid %u ", i);
    rows += strstr(r.out, want) != NULL;
    snprintf(want, sizeof(want), "\npid %u:", i);
    panels += strstr(r.out, want) != NULL;
  }
  for (i = 0, line = r.out; (line = strstr(line, "\npid ")) != NULL; line++)
    i++;
  if (rows != 100 || panels != 100 || i != 200)
    fail_msg("%u table rows, %u panels, %u lines of a pid; want 100, 100, "
        "200:\n%s", rows, panels, i, r.out);
  result_done(&r);
  path = path_in(c, "many-s.json");
  v = load_json(path);
  /* another tool's trace: its processes, not runs (issue 14) */
  assert_true(YAJL_IS_ARRAY(jget(v, "processes")));
  assert_int_equal(jget(v, "processes")->u.array.len, 100);
  assert_string_equal(jstr(jget(v, "processes")->u.array.values[99],
      "process"), "pid 100");
  yajl_tree_free(v);
  free(path);
}

/* A file of gantty's own whose runs each name one task, tid tid (the
 * largest allowed), in nruns processes: malloc'd. */
static char *
far_tid_file(unsigned nruns, unsigned long tid)
{
  char *text = gt_xstrdup("["), *more;
  unsigned i;

  for (i = 1; i <= nruns; i++) {
    more = gt_xasprintf("%s{\"ph\":\"X\",\"name\":\"s\",\"cat\":"
        "\"running\",\"pid\":%u,\"tid\":%lu,\"ts\":0,\"dur\":1},", text, i,
        tid);
    free(text);
    text = more;
  }
  more = gt_xasprintf("%s{\"ph\":\"M\",\"name\":\"gantty\",\"pid\":0,"
      "\"tid\":0,\"args\":{\"t0_ns\":1,\"format\":1}}]", text);
  free(text);
  return more;
}

/* Memory follows the lanes a file holds, not its largest task id: a gantty
 * file whose runs name only tid 16777216 cost ~130 MB a run (1 GB for 8
 * runs, against 12 MB for tid 1; 130 GB and an abort for 1000) in the
 * lanes' task-indexed table.  And sparse tids keep their numbers through a
 * round trip. */
static void
test_far_tids(void **state)
{
  struct ctx *c = *state;
  static const unsigned nruns[] = { 8, 1000 };
  const char *replay_args[] = { "replay", "far.json", "--headless",
    "--summary", "far-s.json", NULL };
  const char *convert_args[] = { "convert", "far.json", "far-o.json", NULL };
  const char *const *args[] = { replay_args, convert_args };
  const char *round_args[] = { "convert", "sparse.json", "sparse-o.json",
    NULL };
  const char *csv_args[] = { "convert", "sparse-o.json", "sparse-o.csv",
    NULL };
  static const char sparse[] = "[{\"ph\":\"X\",\"name\":\"a\","
      "\"cat\":\"running\",\"pid\":1,\"tid\":3,\"ts\":0,\"dur\":1},"
      "{\"ph\":\"X\",\"name\":\"b\",\"cat\":\"running\",\"pid\":1,"
      "\"tid\":700001,\"ts\":1,\"dur\":1},{\"ph\":\"M\",\"name\":"
      "\"gantty\",\"pid\":0,\"tid\":0,\"args\":{\"t0_ns\":1,"
      "\"format\":1}}]";
  struct result r;
  size_t i, k, t;
  char *text, *path;

  /* Against the same file naming tid 1: the same memory, within a margin
   * (a sanitizer's quarantine makes the absolute figure its own). */
  for (k = 0; k < 2; k++)
    for (i = 0; i < 2; i++) {
      long near_kb = 0;

      for (t = 0; t < 2; t++) {
        text = far_tid_file(nruns[k], t ? 16777216ul : 1ul);
        put_file(c, "far.json", text);
        free(text);
        run(c, &r, args[i]);
        expect_status(&r, 0);
        if (t == 0)
          near_kb = c->maxrss_kb;
        else if (c->maxrss_kb > 2 * near_kb + 64 * 1024)
          fail_msg("%s on %u runs of tid 16777216: peak RSS %ld KB; of tid "
              "1, %ld KB", r.cmdline, nruns[k], c->maxrss_kb, near_kb);
        result_done(&r);
      }
    }
  put_file(c, "sparse.json", sparse);
  run(c, &r, round_args);
  expect_status(&r, 0);
  result_done(&r);
  path = path_in(c, "sparse-o.json");
  text = slurp(path);
  assert_non_null(text);
  if (strstr(text, "\"tid\":3,") == NULL
      || strstr(text, "\"tid\":700001,") == NULL)
    fail_msg("the round trip lost tids 3 and 700001:\n%s", text);
  free(text);
  free(path);
  run(c, &r, csv_args);
  expect_status(&r, 0);
  result_done(&r);
  path = path_in(c, "sparse-o.csv");
  text = slurp(path);
  assert_non_null(text);
  if (strstr(text, ",2,a,") == NULL)
    fail_msg("task 2 (tid 3) missing from the CSV:\n%s", text);
  if (strstr(text, ",700000,b,") == NULL)
    fail_msg("task 700000 (tid 700001) missing from the CSV:\n%s", text);
  free(text);
  free(path);
}

/* Fail unless neither stdout nor stderr of r holds an ESC or a BEL. */
static void
expect_no_controls(const struct result *r)
{
  if (strpbrk(r->out, "\x1b\x07") != NULL
      || strpbrk(r->err, "\x1b\x07") != NULL)
    fail_msg("%s: an ESC or BEL reached the terminal", r->cmdline);
}

/* Names that would drive a terminal (retitle it, clear it) are shown
 * escaped, as cat -v does: in the headless report of a trace that puts
 * them in a run, a lane, a slice and an error, and in the messages about
 * a file, a word and a file's contents. */
static void
test_escaped_names(void **state)
{
  struct ctx *c = *state;
  const char *esc_json = "\\u001b]0;TITLE\\u0007\\u001b[2J";
  const char *esc_raw = "\x1b]0;TITLE\x07\x1b[2J";
  char *text, *bad_name = gt_xasprintf("%s.json", esc_raw);
  char *word = gt_xasprintf("w%s", esc_raw);
  const char *replay_args[] = { "replay", "esc.json", "--headless", NULL };
  const char *missing_args[] = { "replay", bad_name, "--headless", NULL };
  const char *word_args[] = { word, "--headless", NULL };
  const char *modes_args[] = { "--modes", word, "--headless", NULL };
  const char *ph_args[] = { "replay", "ph.json", "--headless", NULL };
  const char *const *refused[] = { missing_args, word_args, modes_args,
    ph_args };
  struct result r;
  size_t i;

  text = gt_xasprintf(
      "[{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":1,\"tid\":0,"
      "\"args\":{\"name\":\"m%s\",\"workers\":1,\"tasks\":1}},\n"
      "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":1,"
      "\"args\":{\"name\":\"t%s\"}},\n"
      "{\"ph\":\"X\",\"cat\":\"running\",\"name\":\"s%s\",\"ts\":0,"
      "\"dur\":10,\"pid\":1,\"tid\":1,\"args\":{\"worker\":0}},\n"
      "{\"ph\":\"i\",\"cat\":\"finish\",\"name\":\"failed\",\"ts\":10,"
      "\"pid\":1,\"tid\":1,\"args\":{\"status\":-10002,"
      "\"error\":\"e%s\"}},\n"
      "{\"ph\":\"M\",\"name\":\"gantty\",\"pid\":0,\"tid\":0,"
      "\"args\":{\"t0_ns\":1000,\"format\":1}}]\n", esc_json, esc_json,
      esc_json, esc_json);
  put_file(c, "esc.json", text);
  free(text);
  run(c, &r, replay_args);
  expect_status(&r, 0);
  expect_no_controls(&r);
  expect_text(&r, r.out, "m^[]0;TITLE^G^[[2J");  /* the run, in the table */
  expect_text(&r, r.out, "e^[]0;TITLE^G^[[2J");  /* the error */
  expect_text(&r, r.out, "t^[]0;TI");            /* the lane, cut */
  result_done(&r);

  text = gt_xasprintf("[{\"ph\":\"%s\",\"ts\":1}]", esc_json);
  put_file(c, "ph.json", text);
  free(text);
  for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
    run(c, &r, refused[i]);
    expect_status(&r, 2);
    expect_no_controls(&r);
    expect_text(&r, r.err, "^[]0;TITLE");
    result_done(&r);
  }
  free(bad_name);
  free(word);
}

/* The pids whose parent is ppid (at most max). */
static size_t
children_of(pid_t ppid, pid_t *out, size_t max)
{
  DIR *d = opendir("/proc");
  struct dirent *e;
  char path[300], buf[512], *p;
  size_t n = 0;
  long parent;
  FILE *f;

  assert_non_null(d);
  while ((e = readdir(d)) != NULL && n < max) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9')
      continue;
    snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
    f = fopen(path, "r");
    if (f == NULL)
      continue;
    p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
    fclose(f);
    /* after the name: " S ppid ..." */
    if (p != NULL && sscanf(p + 1, " %*c %ld", &parent) == 1
        && parent == (long)ppid)
      out[n++] = (pid_t)atol(e->d_name);
  }
  closedir(d);
  return n;
}

/* 1 while pid is a live process (a zombie is not). */
static int
alive(pid_t pid)
{
  char path[64], buf[512], *p;
  FILE *f;
  int live = 0;

  snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
  f = fopen(path, "r");
  if (f == NULL)
    return 0;
  p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
  fclose(f);
  if (p != NULL && p[1] == ' ')
    live = p[2] != 'Z' && p[2] != 'X';
  return live;
}

/* A procs run's parent that goes takes its workers with it: on SIGTERM it
 * stops them and exits 143; on SIGKILL they die within a second. */
static void
test_process_modes_parent_dies(void **state)
{
  struct ctx *c = *state;
  char *out = path_in(c, "out");
  const char *args[] = { "run", "genre", "--modes", "procs", "--workers",
    "2", "--tasks", "4", "--latency", "5000", "--out", out, "--headless",
    NULL };
  const int sigs[] = { SIGTERM, SIGKILL };
  pid_t kids[8];
  struct proc p;
  size_t n, i, k;
  double until;
  char *text;
  int status;

  for (k = 0; k < 2; k++) {
    proc_start(c, &p, args);
    text = wait_for_text(c, &p, p.err_path, "procs: 4 tasks",
        STEP_DEADLINE_MS);
    free(text);
    until = gt_test_now_ms() + STEP_DEADLINE_MS;
    while ((n = children_of(p.pid, kids, 8)) < 2) {
      if (gt_test_now_ms() > until) {
        proc_kill(c, &p);
        fail_msg("%s: %zu worker processes, expected 2", p.cmdline, n);
      }
      gt_test_sleep_ms(POLL_MS);
    }
    assert_int_equal(n, 2);
    assert_int_equal(kill(p.pid, sigs[k]), 0);  /* gantty only, not group */
    status = proc_wait(c, &p, STEP_DEADLINE_MS);
    assert_int_equal(status, 128 + sigs[k]);
    until = gt_test_now_ms() + 1000;
    for (i = 0; i < n; i++)
      while (alive(kids[i])) {
        if (gt_test_now_ms() > until) {
          kill(-p.pid, SIGKILL);
          fail_msg("worker %ld still runs a second after gantty got "
              "signal %d", (long)kids[i], sigs[k]);
        }
        gt_test_sleep_ms(POLL_MS);
      }
    proc_done(&p);
  }
  free(out);
}

/* Send req to 127.0.0.1:port and read the answer to EOF (malloc'd). */
static char *
http_exchange(unsigned port, const char *req)
{
  double until = gt_test_now_ms() + STEP_DEADLINE_MS;
  struct sockaddr_in sa;
  struct pollfd pfd;
  size_t len = 0, cap = 4096;
  char *buf = gt_xmalloc(cap);
  ssize_t n;
  int fd = socket(AF_INET, SOCK_STREAM, 0);

  assert_true(fd >= 0);
  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sa.sin_port = htons((uint16_t)port);
  if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
    fail_msg("connect 127.0.0.1:%u: %s", port, strerror(errno));
  assert_int_equal(write(fd, req, strlen(req)), (ssize_t)strlen(req));
  for (;;) {
    pfd.fd = fd;
    pfd.events = POLLIN;
    if (gt_test_now_ms() > until)
      fail_msg("no whole answer from 127.0.0.1:%u within %d ms", port,
          STEP_DEADLINE_MS);
    if (poll(&pfd, 1, POLL_MS * 5) <= 0)
      continue;
    if (cap - len < 2) {
      cap *= 2;
      buf = gt_xrealloc(buf, cap);
    }
    n = read(fd, buf + len, cap - len - 1);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      fail_msg("read: %s", strerror(errno));
    if (n == 0)
      break;
    len += (size_t)n;
  }
  buf[len] = '\0';
  close(fd);
  return buf;
}

/* A proxy for the proxy tests: it answers every request on any
 * connection with the genre "Proxied" and counts them. */
struct fake_proxy {
  int        fd;
  unsigned   port;
  pthread_t  tid;
  atomic_int stop;
  atomic_int requests;
  atomic_int bob_auth;  /* requests with bob:SPECPW's Basic credentials */
};

/* One connection to the proxy: answer each request in turn. */
static void *
fake_proxy_conn(void *arg)
{
  static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Type: "
      "application/json\r\nContent-Length: 9\r\n\r\n\"Proxied\"";
  struct fake_proxy *fp = ((void **)arg)[0];
  int fd = (int)(intptr_t)((void **)arg)[1];
  char buf[8192];
  size_t len = 0;
  ssize_t n;
  char *end;

  free(arg);
  for (;;) {
    n = recv(fd, buf + len, sizeof(buf) - 1 - len, 0);
    if (n <= 0)
      break;
    len += (size_t)n;
    buf[len] = '\0';
    while ((end = strstr(buf, "\r\n\r\n")) != NULL) {
      atomic_fetch_add(&fp->requests, 1);
      *end = '\0';
      if (strstr(buf, "Authorization: Basic Ym9iOlNQRUNQVw==") != NULL)
        atomic_fetch_add(&fp->bob_auth, 1);
      if (send(fd, answer, sizeof(answer) - 1, MSG_NOSIGNAL) < 0)
        goto out;
      len -= (size_t)(end + 4 - buf);
      memmove(buf, end + 4, len + 1);
    }
    if (len == sizeof(buf) - 1)
      break;
  }
out:
  close(fd);
  return NULL;
}

/* The proxy's accept loop. */
static void *
fake_proxy_main(void *arg)
{
  struct fake_proxy *fp = arg;
  struct pollfd pfd = { .fd = fp->fd, .events = POLLIN };
  void **pass;
  pthread_t t;
  int c;

  while (!atomic_load(&fp->stop)) {
    if (poll(&pfd, 1, 50) <= 0)
      continue;
    c = accept(fp->fd, NULL, NULL);
    if (c < 0)
      continue;
    pass = gt_xmalloc(2 * sizeof(*pass));
    pass[0] = fp;
    pass[1] = (void *)(intptr_t)c;
    if (pthread_create(&t, NULL, fake_proxy_conn, pass) == 0) {
      pthread_detach(t);
    } else {
      free(pass);
      close(c);
    }
  }
  return NULL;
}

/* Start the proxy on a loopback port. */
static void
fake_proxy_start(struct fake_proxy *fp)
{
  struct sockaddr_in sa;
  socklen_t len = sizeof(sa);

  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  fp->fd = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(fp->fd >= 0);
  assert_int_equal(bind(fp->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
  assert_int_equal(listen(fp->fd, 64), 0);
  assert_int_equal(getsockname(fp->fd, (struct sockaddr *)&sa, &len), 0);
  fp->port = ntohs(sa.sin_port);
  atomic_init(&fp->stop, 0);
  atomic_init(&fp->requests, 0);
  assert_int_equal(pthread_create(&fp->tid, NULL, fake_proxy_main, fp), 0);
}

/* Stop accepting. */
static void
fake_proxy_stop(struct fake_proxy *fp)
{
  atomic_store(&fp->stop, 1);
  pthread_join(fp->tid, NULL);
  close(fp->fd);
}

static const char *const proxy_vars[] = { "http_proxy", "HTTP_PROXY",
  "all_proxy", "ALL_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy",
  "NO_PROXY" };
static struct fake_proxy *live_proxy;  /* stopped by teardown_proxy() */

/* The proxy tests' teardown: no proxy variable outlives them, whether
 * they passed or not, and their proxy stops. */
static int
teardown_proxy(void **state)
{
  size_t v;

  for (v = 0; v < sizeof(proxy_vars) / sizeof(proxy_vars[0]); v++)
    unsetenv(proxy_vars[v]);
  if (live_proxy != NULL)
    fake_proxy_stop(live_proxy);
  live_proxy = NULL;
  return teardown(state);
}

/* Every mode's tasks in the summary at path succeeded: n modes, each with
 * ntasks ok. */
static void
expect_all_ok(const struct result *r, const char *path, size_t n,
    long long ntasks)
{
  yajl_val sum = load_json(path), runs = summary_runs(sum);
  size_t i;

  if (runs->u.array.len != n)
    fail_msg("%s: %zu runs in the summary, expected %zu", r->cmdline,
        runs->u.array.len, n);
  for (i = 0; i < n; i++)
    if (jint(runs->u.array.values[i], "ok") != ntasks)
      fail_msg("%s: %s: %lld of %lld tasks ok\n--- stdout:\n%s\n--- "
          "stderr:\n%s", r->cmdline, jstr(runs->u.array.values[i], "mode"),
          jint(runs->u.array.values[i], "ok"), ntasks, r->out, r->err);
  yajl_tree_free(sum);
}

/* The proxy variables: the embedded demo server is reached directly in
 * every mode (the proxy sees nothing), a --url goes through the proxy the
 * environment names, as curl would, and the report says so; no_proxy
 * keeps a --url direct. */
static void
test_proxy_env(void **state)
{
  struct ctx *c = *state;
  static struct fake_proxy fp;
  char *proxy, *url, *summary = path_in(c, "s.json"), *want;
  const char *embedded[] = { "run", "genre", "--latency", "0", "--summary",
    summary, "--headless", NULL };
  const char *remote[] = { "run", "genre", "--modes", "sync,async",
    "--url", NULL, "--summary", summary, "--headless", NULL };
  struct result r;
  size_t v;

  fake_proxy_start(&fp);
  live_proxy = &fp;
  proxy = gt_xasprintf("http://127.0.0.1:%u", fp.port);
  url = gt_xasprintf("http://127.0.0.1:%u", closed_port());
  remote[5] = url;
  for (v = 0; v < 6; v++)  /* all but no_proxy and NO_PROXY */
    setenv(proxy_vars[v], proxy, 1);

  run(c, &r, embedded);
  expect_status(&r, 0);
  expect_all_ok(&r, summary, 5, 5);
  if (atomic_load(&fp.requests) != 0)
    fail_msg("%s: the proxy saw %d requests meant for the embedded server",
        r.cmdline, atomic_load(&fp.requests));
  if (strstr(r.out, "proxy") != NULL)
    fail_msg("%s: the report names a proxy:\n%s", r.cmdline, r.out);
  result_done(&r);

  /* Only the proxy answers for that URL (nothing listens there). */
  run(c, &r, remote);
  expect_status(&r, 0);
  expect_all_ok(&r, summary, 2, 5);
  assert_int_equal(atomic_load(&fp.requests), 10);
  want = gt_xasprintf("proxy: %s reached through %s (from http_proxy",
      url, proxy);
  expect_text(&r, r.out, want);
  free(want);
  result_done(&r);

  setenv("no_proxy", "localhost, 127.0.0.1", 1);
  run(c, &r, remote);
  expect_status(&r, 0);
  assert_int_equal(atomic_load(&fp.requests), 10);
  if (strstr(r.out, "proxy") != NULL)
    fail_msg("%s: the report names a proxy:\n%s", r.cmdline, r.out);
  result_done(&r);

  free(proxy);
  free(url);
  free(summary);
}

/* A password in --url is never shown: not in a usage error, the report,
 * the proxy line, the task errors nor the trace ("user:***@" instead). */
static void
test_url_password_hidden(void **state)
{
  struct ctx *c = *state;
  static struct fake_proxy fp;
  unsigned port = closed_port();
  char *url = gt_xasprintf("http://u:sekrit@127.0.0.1:%u", port);
  char *bad = gt_xasprintf("%s/#f", url), *proxy;
  char *trace = path_in(c, "r.json"), *text;
  const char *usage[] = { "run", "--url", bad, NULL };
  const char *args[] = { "run", "genre", "--modes", "sync,async",
    "--tasks", "2", "--url", url, "--trace", trace, "--headless", NULL };
  struct result r;
  size_t v;
  int pass;

  for (v = 0; v < sizeof(proxy_vars) / sizeof(proxy_vars[0]); v++)
    unsetenv(proxy_vars[v]);
  run(c, &r, usage);
  expect_status(&r, 2);
  expect_text(&r, r.err, "u:***@127.0.0.1");
  if (strstr(r.err, "sekrit") != NULL)
    fail_msg("%s: the password shown:\n%s", r.cmdline, r.err);
  result_done(&r);

  /* Refused (every task's error names the URL), then through a proxy
   * (the report's proxy line names it). */
  fake_proxy_start(&fp);
  live_proxy = &fp;
  proxy = gt_xasprintf("http://127.0.0.1:%u", fp.port);
  for (pass = 0; pass < 2; pass++) {
    if (pass == 1)
      setenv("http_proxy", proxy, 1);
    run(c, &r, args);
    expect_status(&r, 0);
    expect_text(&r, pass == 0 ? r.err : r.out, "u:***@127.0.0.1");
    text = slurp(trace);
    if (strstr(r.out, "sekrit") != NULL || strstr(r.err, "sekrit") != NULL
        || strstr(text, "sekrit") != NULL)
      fail_msg("%s: the password shown:\n%s\n%s", r.cmdline, r.out, r.err);
    if (pass == 0 && strstr(text, "u:***@127.0.0.1") == NULL)
      fail_msg("%s: no task error names the URL:\n%s", r.cmdline, text);
    free(text);
    result_done(&r);
  }
  unsetenv("http_proxy");
  free(proxy);
  free(url);
  free(bad);
  free(trace);
}

/* The `gantty serve` test_spec_password_hidden keeps running beside its
 * runs (a ctx holds one live process), killed here if the test fails. */
static pid_t spec_serve_pid;

static int
teardown_serve(void **state)
{
  if (spec_serve_pid > 0) {
    kill(-spec_serve_pid, SIGKILL);
    waitpid(spec_serve_pid, NULL, 0);
    spec_serve_pid = 0;
  }
  return teardown_proxy(state);
}

/* A password in a spec's get URL reaches the server (curl sends it) but
 * never a step label: not the trace (JSON, CSV), the summary, the report
 * nor the terminal.  The embedded demo server (`gantty serve`) answers it;
 * through a proxy, the request carries bob:SPECPW's credentials. */
static void
test_spec_password_hidden(void **state)
{
  struct ctx *c = *state;
  static struct fake_proxy fp;
  const char *serve[] = { "serve", "--latency", "0", NULL };
  char *spec = path_in(c, "pw.spec"), *json = path_in(c, "pw.json");
  char *csv = path_in(c, "pw.csv"), *sum = path_in(c, "pw-summary.json");
  char *outdir = path_in(c, "pw-out"), *text, *line, *proxy;
  const char *args[] = { "run", "--spec", spec, "--modes", "sync",
    "--headless", "--trace", json, "--trace", csv, "--summary", sum,
    "--out", outdir, NULL };
  const char *files[] = { json, csv, sum };
  unsigned port = 0;
  struct proc p;
  struct result r;
  size_t v, f;
  FILE *fs;
  int pass;

  for (v = 0; v < sizeof(proxy_vars) / sizeof(proxy_vars[0]); v++)
    unsetenv(proxy_vars[v]);
  proc_start(c, &p, serve);
  text = wait_for_text(c, &p, p.out_path, "\n", STEP_DEADLINE_MS);
  line = strstr(text, "http://127.0.0.1:");
  if (line == NULL || sscanf(line, "http://127.0.0.1:%u", &port) != 1) {
    proc_kill(c, &p);
    fail_msg("gantty serve: no URL in:\n%s", text);
  }
  free(text);
  spec_serve_pid = c->live;  /* runs alongside the runs below */
  c->live = 0;
  fs = fopen(spec, "w");
  assert_non_null(fs);
  fprintf(fs, "task a\n  get http://bob:SPECPW@127.0.0.1:%u/genre?i=1\n",
      port);
  fclose(fs);

  fake_proxy_start(&fp);
  live_proxy = &fp;
  proxy = gt_xasprintf("http://127.0.0.1:%u", fp.port);
  for (pass = 0; pass < 2; pass++) {  /* the demo server, then a proxy */
    if (pass == 1)
      setenv("http_proxy", proxy, 1);
    run(c, &r, args);
    expect_status(&r, 0);
    if (strstr(r.out, "SPECPW") != NULL || strstr(r.err, "SPECPW") != NULL)
      fail_msg("%s: the password shown:\n%s\n%s", r.cmdline, r.out, r.err);
    for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
      text = slurp(files[f]);
      if (text == NULL || strstr(text, "SPECPW") != NULL)
        fail_msg("%s: %s missing or showing the password:\n%s", r.cmdline,
            files[f], text != NULL ? text : "");
      if (f == 0 && (strstr(text, "bob:***@127.0.0.1") == NULL
          || strstr(text, "\"error\"") != NULL))
        fail_msg("%s: the get did not succeed as bob:***@:\n%s",
            r.cmdline, text);
      free(text);
    }
    result_done(&r);
  }
  if (atomic_load(&fp.bob_auth) < 1)
    fail_msg("the proxy saw %d requests, none with bob:SPECPW's "
        "credentials", atomic_load(&fp.requests));
  unsetenv("http_proxy");
  c->live = spec_serve_pid;
  spec_serve_pid = 0;
  assert_int_equal(kill(p.pid, SIGTERM), 0);
  assert_int_equal(proc_wait(c, &p, STEP_DEADLINE_MS), 0);
  proc_done(&p);
  free(proxy);
  free(spec);
  free(json);
  free(csv);
  free(sum);
  free(outdir);
}

/* `gantty serve` answers /genre over loopback and stops on SIGTERM. */
static void
test_serve(void **state)
{
  struct ctx *c = *state;
  const char *args[] = { "serve", "--latency", "0", NULL };
  char err[256] = "";
  char *text, *line, *answer, *body;
  unsigned port = 0;
  struct proc p;
  yajl_val v;
  int status;

  proc_start(c, &p, args);
  text = wait_for_text(c, &p, p.out_path, "http://127.0.0.1:",
      STEP_DEADLINE_MS);
  free(text);
  /* The whole line, port included. */
  text = wait_for_text(c, &p, p.out_path, "\n", STEP_DEADLINE_MS);
  line = strstr(text, "http://127.0.0.1:");
  if ((line != text && line[-1] != '\n')
      || sscanf(line, "http://127.0.0.1:%u", &port) != 1
      || port == 0 || port > 65535) {
    proc_kill(c, &p);
    fail_msg("gantty serve: no line starting with the URL in:\n%s", text);
  }
  free(text);

  answer = http_exchange(port, "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\n"
      "Connection: close\r\n\r\n");
  body = strstr(answer, "\r\n\r\n");
  if (strncmp(answer, "HTTP/1.1 200", 12) != 0 || body == NULL)
    fail_msg("GET /genre?i=1 answered:\n%s", answer);
  v = yajl_tree_parse(body + 4, err, sizeof(err));
  if (!YAJL_IS_STRING(v) || YAJL_GET_STRING(v)[0] == '\0')
    fail_msg("GET /genre?i=1: the body is not a JSON string: %s", body + 4);
  yajl_tree_free(v);
  free(answer);

  assert_int_equal(kill(p.pid, SIGTERM), 0);
  status = proc_wait(c, &p, STEP_DEADLINE_MS);
  if (status != 0)
    fail_msg("gantty serve, SIGTERM: exit status %d, expected 0", status);
  proc_done(&p);
}

/* Poll path until n of its lines hold both a and b; kills p and fails
 * past deadline_ms. */
static void
wait_for_lines(struct ctx *c, struct proc *p, const char *path,
    const char *a, const char *b, unsigned n, long deadline_ms)
{
  double until = gt_test_now_ms() + deadline_ms;
  char *text;
  unsigned got;

  for (;;) {
    text = slurp(path);
    got = text != NULL ? count_lines_with(text, a, b) : 0;
    if (got >= n) {
      free(text);
      return;
    }
    if (gt_test_now_ms() > until || waitpid(p->pid, NULL, WNOHANG) != 0) {
      proc_kill(c, p);
      fail_msg("%s: %u lines with \"%s\" in %s, expected %u; it holds:\n%s",
          p->cmdline, got, a, path, n, text ? text : "(nothing)");
    }
    free(text);
    gt_test_sleep_ms(POLL_MS);
  }
}

/* The longest mode list (16, repeats allowed) run together: every run has
 * its own slot, so a SIGTERM stops all sixteen (none waits out its minute
 * of latency), and the summary reports every one. */
static void
test_long_mode_list(void **state)
{
  struct ctx *c = *state;
  char *summary = path_in(c, "s.json"), *out = path_in(c, "out");
  char modes[16 * 5];
  const char *args[] = { "run", "genre", "--modes", modes, "--tasks", "1",
    "--latency", "60000", "--timeout-ms", "120000", "--together",
    "--summary", summary, "--out", out, "--headless", NULL };
  struct proc p;
  yajl_val sum, runs;
  size_t i;
  int status;

  modes[0] = '\0';
  for (i = 0; i < 16; i++)
    strcat(modes, i ? ",sync" : "sync");
  proc_start(c, &p, args);
  wait_for_lines(c, &p, p.err_path, "sync: 1 task on", "", 16,
      STEP_DEADLINE_MS);
  assert_int_equal(kill(p.pid, SIGTERM), 0);
  status = proc_wait(c, &p, STEP_DEADLINE_MS);
  assert_int_equal(status, 143);
  sum = load_json(summary);
  runs = summary_runs(sum);
  assert_int_equal(runs->u.array.len, 16);
  for (i = 0; i < 16; i++) {
    assert_int_equal(jint(runs->u.array.values[i], "ok"), 0);
    assert_int_equal(jint(runs->u.array.values[i], "failed"), 1);
  }
  yajl_tree_free(sum);
  proc_done(&p);
  free(summary);
  free(out);
}

/* 1 when pid ignores sig (SigIgn in /proc/PID/status). */
static int
ignores(pid_t pid, int sig)
{
  char path[64], line[256];
  unsigned long long mask = 0;
  FILE *f;

  snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
  if ((f = fopen(path, "r")) == NULL)
    return 0;
  while (fgets(line, sizeof(line), f) != NULL)
    if (sscanf(line, "SigIgn: %llx", &mask) == 1)
      break;
  fclose(f);
  return (mask >> (sig - 1)) & 1;
}

/* SIGHUP to the whole group (a terminal closed, an ssh drop) during a
 * procs run: handled as SIGTERM.  Exit 129, the trace and the summary of
 * what ran are written and valid, the workers were stopped by gantty (their
 * tasks cancelled, not killed by the hang-up), no later run starts and
 * nothing of the group is left. */
static void
test_hangup(void **state)
{
  struct ctx *c = *state;
  char *trace = path_in(c, "hup.json"), *summary = path_in(c, "hup_s.json");
  char *out = path_in(c, "out"), *text, *err;
  const char *args[] = { "run", "genre", "--modes", "procs,threads",
    "--workers", "2", "--tasks", "4", "--latency", "3000", "--trace", trace,
    "--summary", summary, "--out", out, "--headless", NULL };
  struct trace *t = gt_xmalloc(sizeof(*t));
  struct proc p;
  yajl_val sum, pr;
  double until;
  size_t i, n, nlanes = 0;
  pid_t kids[8];
  long pid;

  proc_start(c, &p, args);
  text = wait_for_text(c, &p, p.err_path, "procs: 4 tasks", STEP_DEADLINE_MS);
  free(text);
  /* Both workers up, past their own start (a worker ignores SIGHUP from
   * its first lines): the hang-up then finds the run going. */
  until = gt_test_now_ms() + STEP_DEADLINE_MS;
  for (;;) {
    n = children_of(p.pid, kids, 8);
    for (i = 0; i < n && ignores(kids[i], SIGHUP); i++)
      ;
    if (n == 2 && i == n)
      break;
    if (gt_test_now_ms() > until) {
      proc_kill(c, &p);
      fail_msg("%s: 2 workers ignoring SIGHUP expected, %zu found",
          p.cmdline, n);
    }
    gt_test_sleep_ms(POLL_MS);
  }
  err = proc_signal(c, &p, SIGHUP);  /* 129, and nothing left */
  trace_load(t, trace);
  pid = trace_pid(t, "procs");
  if (pid < 0)
    fail_msg("no procs process_name in %s", trace);
  for (i = 0; i < t->nlanes; i++) {
    if (t->lane[i].pid != pid)
      continue;
    nlanes++;
    if (t->lane[i].ninstant != 1)
      fail_msg("procs lane \"%s\" has %u finishes in %s", t->lane[i].name,
          t->lane[i].ninstant, trace);
    if (strstr(t->lane[i].error, "signal") != NULL)
      fail_msg("procs lane \"%s\": \"%s\": a worker died of the hang-up",
          t->lane[i].name, t->lane[i].error);
  }
  assert_int_equal(nlanes, 4);
  if (trace_pid(t, "threads") >= 0)
    fail_msg("the threads run started after SIGHUP (it is in %s)", trace);
  sum = load_json(summary);
  pr = summary_run(sum, "procs");
  if (pr == NULL)
    fail_msg("no procs run in %s", summary);
  assert_int_equal(jint(pr, "ok") + jint(pr, "failed"), 4);
  assert_true(jint(pr, "failed") > 0);
  yajl_tree_free(sum);
  free(err);
  proc_done(&p);
  free(t);
  free(trace);
  free(summary);
  free(out);
}

/* --quiet silences progress, never the cause of a non-zero exit: each
 * failing session says why on stderr, naming the path; a session that
 * works says nothing. */
static void
test_quiet_errors(void **state)
{
  struct ctx *c = *state;
  char *afile = path_in(c, "afile"), *out = path_in(c, "out");
  char *trace = path_in(c, "no/such/dir/t.json");
  char *summary = path_in(c, "no/such/dir/s.json");
  const char *bad_out[] = { "run", "sleep", "--modes", "sync", "--tasks",
    "1", "--out", afile, "--headless", "--quiet", NULL };
  const char *bad_trace[] = { "run", "sleep", "--modes", "sync", "--tasks",
    "1", "--out", out, "--trace", trace, "--headless", "--quiet", NULL };
  const char *bad_summary[] = { "run", "sleep", "--modes", "sync",
    "--tasks", "1", "--out", out, "--summary", summary, "--headless",
    "--quiet", NULL };
  const char *good[] = { "run", "sleep", "--modes", "sync,async",
    "--tasks", "1", "--out", out, "--headless", "--quiet", NULL };
  const char *const *failing[] = { bad_out, bad_trace, bad_summary };
  const char *named[] = { afile, trace, summary };
  struct result r;
  size_t i;

  put_file(c, "afile", "a file, not a folder\n");
  for (i = 0; i < 3; i++) {
    run(c, &r, failing[i]);
    if (r.status == 0 || r.status >= 128)
      fail_msg("%s: exit status %d, expected an error", r.cmdline, r.status);
    expect_text(&r, r.err, named[i]);
    result_done(&r);
  }
  run(c, &r, good);
  expect_status(&r, 0);
  if (r.err[0] != '\0')
    fail_msg("%s: stderr should be empty, it holds:\n%s", r.cmdline, r.err);
  result_done(&r);
  free(afile);
  free(out);
  free(trace);
  free(summary);
}

/* No mode starts more workers than tasks: --workers 200 for 2 tasks runs
 * on 2, in the summary and in the trace's distinct worker pids. */
static void
test_workers_bounded(void **state)
{
  struct ctx *c = *state;
  char *trace = path_in(c, "w.json"), *summary = path_in(c, "w_s.json");
  char *out = path_in(c, "out");
  const char *args[] = { "run", "sleep", "--modes", "procs,hybrid,threads",
    "--workers", "200", "--tasks", "2", "--trace", trace, "--summary",
    summary, "--out", out, "--headless", NULL };
  const char *modes[] = { "procs", "hybrid", "threads" };
  struct trace *t = gt_xmalloc(sizeof(*t));
  struct result r;
  yajl_val sum, run_of;
  long pid, seen[3];
  size_t i, j, m, n;

  run(c, &r, args);
  expect_status(&r, 0);
  sum = load_json(summary);
  trace_load(t, trace);
  for (m = 0; m < 3; m++) {
    run_of = summary_run(sum, modes[m]);
    if (run_of == NULL)
      fail_msg("no %s run in %s", modes[m], summary);
    assert_int_equal(jint(run_of, "workers"), 2);
    assert_int_equal(jint(run_of, "ok"), 2);
    pid = trace_pid(t, modes[m]);
    n = 0;
    for (i = 0; i < t->nlanes; i++) {
      if (t->lane[i].pid != pid)
        continue;
      for (j = 0; j < t->lane[i].nsl; j++) {
        long w = t->lane[i].sl[j].worker;

        if (t->lane[i].sl[j].queued || (n > 0 && seen[0] == w)
            || (n > 1 && seen[1] == w))
          continue;
        if (n == 2)
          fail_msg("%s: a third worker %ld for 2 tasks", modes[m], w);
        seen[n++] = w;
      }
    }
    assert_true(n >= 1);
  }
  yajl_tree_free(sum);
  result_done(&r);
  free(t);
  free(trace);
  free(summary);
  free(out);
}

/* Threads (RLIMIT_NPROC counts them) of the processes whose real uid is
 * uid. */
static unsigned long
threads_of_user(uid_t uid)
{
  DIR *d = opendir("/proc");
  struct dirent *e;
  char path[300], line[256];
  unsigned long n = 0, threads, ruid;
  int mine;
  FILE *f;

  assert_non_null(d);
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9')
      continue;
    snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
    if ((f = fopen(path, "r")) == NULL)
      continue;
    mine = 0;
    threads = 0;
    while (fgets(line, sizeof(line), f) != NULL) {
      if (sscanf(line, "Uid: %lu", &ruid) == 1)
        mine = ruid == (unsigned long)uid;
      sscanf(line, "Threads: %lu", &threads);
    }
    fclose(f);
    if (mine)
      n += threads;
  }
  closedir(d);
  return n;
}

/* A width the machine cannot start: under a process limit that leaves
 * room for a few threads, 16 workers are narrowed to the ones that could
 * start (a worker that could not start its own threads gives its tasks
 * back), it is said, and every task runs; or, none started, the run fails.
 * Either way the message names process spawning.  As root (whom
 * RLIMIT_NPROC does not bind) gantty runs as nobody. */
static void
test_nproc_narrowed(void **state)
{
  struct ctx *c = *state;
  char *out = path_in(c, "out"), *summary = path_in(c, "s.json");
  const char *args[] = { "run", "sleep", "--modes", "procs", "--workers",
    "16", "--tasks", "16", "--out", out, "--summary", summary,
    "--headless", NULL };
  struct result r;
  yajl_val sum;

  c->run_as = getuid() == 0 ? 65534 : 0;
  assert_int_equal(chmod(c->dir, 0777), 0);
  c->limit_res = RLIMIT_NPROC + 1;
  c->limit_to = threads_of_user(c->run_as ? c->run_as : getuid()) + 8;
  run(c, &r, args);
  c->limit_res = 0;
  c->run_as = 0;
  if (r.status != 0 && r.status != 1)
    fail_msg("%s under RLIMIT_NPROC %lu: exit status %d, expected 0 or 1"
        "\n--- stderr:\n%s", r.cmdline, (unsigned long)c->limit_to,
        r.status, r.err);
  expect_text(&r, r.err, "process spawning");
  if (r.status == 0) {
    expect_text(&r, r.err, "of 16 worker processes");
    sum = load_json(summary);
    assert_int_equal(jint(summary_run(sum, "procs"), "ok"), 16);
    assert_true(jint(summary_run(sum, "procs"), "workers") < 16);
    yajl_tree_free(sum);
  }
  result_done(&r);
  free(out);
  free(summary);
}

/* The number after "caps this run at " in the line of err about mode, or
 * 0 when there is none. */
static unsigned
cap_in(const char *err, const char *mode)
{
  char *needle = gt_xasprintf("gantty: %s: the open-file limit", mode);
  const char *p = strstr(err, needle), *at;
  unsigned n = 0;

  free(needle);
  if (p != NULL && (at = strstr(p, "caps this run at ")) != NULL)
    n = (unsigned)strtoul(at + strlen("caps this run at "), NULL, 10);
  return n;
}

/* The open-file cap counts what the tasks hold, across the modes that run
 * at once.  Under RLIMIT_NOFILE 256: threads and async together, 300 genre
 * tasks each, both capped to their shares, every task ok, each run's peak
 * in flight within its cap and the two caps' descriptors (threads 5 a task
 * with its thread's libcurl pair, async 3) within the limit less 64; 3 000
 * sleeps under async open nothing and are not capped. */
static void
test_open_file_cap(void **state)
{
  struct ctx *c = *state;
  char *summary = path_in(c, "s.json"), *out = path_in(c, "out");
  const char *together[] = { "run", "genre", "--modes", "threads,async",
    "--together", "--tasks", "300", "--latency", "100", "--summary",
    summary, "--out", out, "--headless", NULL };
  const char *sleeps[] = { "run", "sleep", "--modes", "async", "--tasks",
    "3000", "--summary", summary, "--out", out, "--headless", NULL };
  const char *modes[] = { "threads", "async" };
  unsigned cap[2];
  struct result r;
  yajl_val sum, run_of;
  size_t m;

  c->limit_res = RLIMIT_NOFILE + 1;
  c->limit_to = 256;
  run(c, &r, together);
  expect_status(&r, 0);
  sum = load_json(summary);
  for (m = 0; m < 2; m++) {
    cap[m] = cap_in(r.err, modes[m]);
    if (cap[m] == 0)
      fail_msg("%s: no cap said for %s\n--- stderr:\n%s", r.cmdline,
          modes[m], r.err);
    run_of = summary_run(sum, modes[m]);
    assert_non_null(run_of);
    assert_int_equal(jint(run_of, "ok"), 300);
    assert_true(jint(run_of, "peak_in_flight") <= cap[m]);
  }
  expect_text(&r, r.err, "(256, shared by the modes running together)");
  if (cap[0] * 5 + cap[1] * 3 > 256 - 64)
    fail_msg("caps %u (threads) and %u (async) hold more than 192 "
        "descriptors", cap[0], cap[1]);
  yajl_tree_free(sum);
  result_done(&r);

  run(c, &r, sleeps);
  expect_status(&r, 0);
  if (strstr(r.err, "open-file limit") != NULL)
    fail_msg("%s: sleeps capped\n--- stderr:\n%s", r.cmdline, r.err);
  sum = load_json(summary);
  assert_int_equal(jint(summary_run(sum, "async"), "ok"), 3000);
  yajl_tree_free(sum);
  result_done(&r);
  c->limit_res = 0;
  free(summary);
  free(out);
}

/* Run the group; gantty's own exit codes are what the tests check. */
/* Nothing outside --out is written, truncated or removed through a link
 * planted inside it: at a task's file, at a spec's sub-folder (the
 * run-start clearing of append files included) and at a mode's folder. */
static void
test_out_symlinks(void **state)
{
  struct ctx *c = *state;
  char *out = path_in(c, "out"), *outside = path_in(c, "outside");
  char *spec = path_in(c, "links.spec"), *victim = path_in(c, "victim.txt");
  char *log = path_in(c, "outside/log.txt"), *p;
  const char *args_spec[] = { "run", "--spec", spec, "--modes", "sync",
    "--out", out, "--headless", NULL };
  const char *args_genre[] = { "run", "genre", "--modes", "sync,threads",
    "--tasks", "2", "--latency", "0", "--out", out, "--headless", NULL };
  struct result r;

  assert_int_equal(mkdir(out, 0755), 0);
  assert_int_equal(mkdir(outside, 0755), 0);
  put_file(c, "victim.txt", "precious\n");
  put_file(c, "outside/log.txt", "precious\n");

  /* `append sub/log.txt` with sub a link to a folder outside: the clearing
   * at the run's start and the append both refuse; `write ok.txt` works. */
  put_file(c, "links.spec",
      "task a\n  append sub/log.txt\ntask b\n  write ok.txt\n");
  p = path_in(c, "out/sync");
  assert_int_equal(mkdir(p, 0755), 0);
  free(p);
  p = path_in(c, "out/sync/sub");
  assert_int_equal(symlink(outside, p), 0);
  free(p);
  run(c, &r, args_spec);
  expect_status(&r, 0);
  expect_text(&r, r.out, "sub/log.txt");
  expect_text(&r, r.out, "symbolic link");
  p = slurp(log);
  assert_non_null(p);
  assert_string_equal(p, "precious\n");
  free(p);
  p = path_in(c, "out/sync/ok.txt");
  assert_true(exists(p));
  free(p);
  result_done(&r);

  /* a link planted at threads' folder: refused before any run (exit 2) */
  p = path_in(c, "out/threads");
  assert_int_equal(symlink(outside, p), 0);
  run(c, &r, args_genre);
  expect_status(&r, 2);
  expect_text(&r, r.err, "out/threads is a symbolic link");
  assert_int_equal(unlink(p), 0);
  free(p);
  p = path_in(c, "out/sync/new_file1.txt");
  assert_false(exists(p));  /* no run started */
  free(p);
  result_done(&r);

  /* a link planted at a task's file in sync */
  p = path_in(c, "out/sync/new_file0.txt");
  assert_int_equal(symlink(victim, p), 0);
  free(p);
  run(c, &r, args_genre);
  expect_status(&r, 0);
  expect_text(&r, r.out, "new_file0.txt");
  expect_text(&r, r.out, "symbolic link");
  p = slurp(victim);
  assert_string_equal(p, "precious\n");
  free(p);
  p = path_in(c, "out/sync/new_file1.txt");
  expect_genre_file(p);
  free(p);
  p = path_in(c, "outside/new_file0.txt");
  assert_false(exists(p));
  free(p);
  p = path_in(c, "outside/new_file1.txt");
  assert_false(exists(p));
  free(p);
  result_done(&r);
  free(out);
  free(outside);
  free(spec);
  free(victim);
  free(log);
}

/* Two outputs that name one file, however spelled (./x, a path through
 * sub/.., the absolute path, a link to it), are refused with exit 2
 * before any run: the second would overwrite the first. */
static void
test_same_output_twice(void **state)
{
  struct ctx *c = *state;
  char *abs = path_in(c, "x.json"), *sub = path_in(c, "sub");
  char *link = path_in(c, "link.json");
  const char *args[][16] = {
    { "run", "sleep", "--tasks", "1", "--modes", "sync", "--headless",
      "--trace", "x.json", "--summary", "x.json", NULL },
    { "run", "sleep", "--tasks", "1", "--modes", "sync", "--headless",
      "--trace", "x.json", "--trace", abs, NULL },
    { "run", "sleep", "--tasks", "1", "--modes", "sync", "--headless",
      "--summary", "./x.json", "--trace", "sub/../x.json", NULL },
    { "run", "sleep", "--tasks", "1", "--modes", "sync", "--headless",
      "--summary", "x.json", "--trace", "link.json", NULL },
    /* convert's OUT too, before the input is read */
    { "convert", "x.json", "c.csv", "--summary", "./c.csv", NULL },
  };
  struct result r;
  size_t i;

  assert_int_equal(mkdir(sub, 0755), 0);
  for (i = 0; i < sizeof(args) / sizeof(args[0]); i++) {
    if (i == 3) {  /* a link to an existing file */
      put_file(c, "x.json", "{}\n");
      assert_int_equal(symlink("x.json", link), 0);
    }
    run(c, &r, args[i]);
    expect_status(&r, 2);
    expect_text(&r, r.err, "name the same file");
    assert_string_equal(r.out, "");
    if (i < 3)
      assert_false(exists(abs));
    result_done(&r);
  }
  free(abs);
  free(sub);
  free(link);
}

/* A FIFO planted at a task's file (open(2) would wait for a reader
 * forever) and a hard link to a file outside are refused, naming the
 * path, in sync and async; the run ends, nothing outside changes. */
static void
test_out_special_files(void **state)
{
  struct ctx *c = *state;
  char *out = path_in(c, "out"), *victim = path_in(c, "victim.txt"), *p;
  const char *args[] = { "run", "genre", "--modes", "sync,async",
    "--tasks", "3", "--latency", "1", "--out", out, "--headless", NULL };
  const char *modes[] = { "sync", "async" };
  struct result r;
  struct proc pr;
  size_t m;

  put_file(c, "victim.txt", "precious\n");
  assert_int_equal(mkdir(out, 0755), 0);
  for (m = 0; m < 2; m++) {
    p = gt_xasprintf("%s/%s", out, modes[m]);
    assert_int_equal(mkdir(p, 0755), 0);
    free(p);
    p = gt_xasprintf("%s/%s/new_file0.txt", out, modes[m]);
    assert_int_equal(mkfifo(p, 0644), 0);
    free(p);
    p = gt_xasprintf("%s/%s/new_file1.txt", out, modes[m]);
    assert_int_equal(link(victim, p), 0);
    free(p);
  }
  proc_start(c, &pr, args);
  r.status = proc_wait(c, &pr, STEP_DEADLINE_MS);
  r.out = slurp(pr.out_path);
  r.err = slurp(pr.err_path);
  r.cmdline = pr.cmdline;
  pr.cmdline = NULL;
  proc_done(&pr);
  expect_status(&r, 0);
  expect_text(&r, r.out, "new_file0.txt: is not a regular file");
  expect_text(&r, r.out, "new_file1.txt: has other hard links");
  p = slurp(victim);
  assert_string_equal(p, "precious\n");
  free(p);
  for (m = 0; m < 2; m++) {
    p = gt_xasprintf("%s/%s/new_file2.txt", out, modes[m]);
    expect_genre_file(p);
    free(p);
  }
  result_done(&r);
  free(out);
  free(victim);
}

/* What fifo_reader reads: a FIFO's read end, until stop and drained. */
struct fifo_read {
  int         fd;
  atomic_int  stop;
  char        buf[1 << 20];
  size_t      len;
};

/* Read a FIFO as a shell's reader would, until told to stop and empty. */
static void *
fifo_reader(void *arg)
{
  struct fifo_read *fr = arg;
  struct pollfd pfd = { .fd = fr->fd, .events = POLLIN };
  ssize_t n;

  for (;;) {
    poll(&pfd, 1, 50);
    n = read(fr->fd, fr->buf + fr->len, sizeof(fr->buf) - 1 - fr->len);
    if (n > 0) {
      fr->len += (size_t)n;
      continue;
    }
    if (atomic_load(&fr->stop))
      break;
  }
  fr->buf[fr->len] = '\0';
  return NULL;
}

/* An output named /dev/stdout, or a FIFO, is written in place, not by a
 * temporary file renamed over the name: --summary /dev/stdout puts the
 * summary on stdout after the report (and /dev/stdout stays a link; as
 * root the rename replaced it), a FIFO's reader receives the trace (the
 * FIFO stays a FIFO), and a FIFO with no reader is refused before the run,
 * exit 2.  A block device is refused before the run too. */
static void
test_special_outputs(void **state)
{
  struct ctx *c = *state;
  const char *to_stdout[] = { "run", "sleep", "--tasks", "1", "--modes",
    "sync", "--headless", "--quiet", "--summary", "/dev/stdout", NULL };
  const char *to_fifo[] = { "run", "sleep", "--tasks", "1", "--modes",
    "sync", "--headless", "--quiet", "--trace", "f.json", NULL };
  const char *no_reader[] = { "run", "sleep", "--tasks", "1", "--modes",
    "sync", "--headless", "--quiet", "--summary", "lone", NULL };
  const char *block[] = { "run", "sleep", "--tasks", "1", "--modes",
    "sync", "--headless", "--quiet", "--summary", "blk", NULL };
  struct fifo_read *fr = gt_xcalloc(1, sizeof(*fr));
  struct result r;
  struct stat st;
  pthread_t t;
  char *fifo, *lone, *blk, *json;

  run(c, &r, to_stdout);
  expect_status(&r, 0);
  expect_text(&r, r.out, "mode       workers");
  json = strstr(r.out, "{\"workload\":\"sleep\"");
  if (json == NULL || strstr(json, "\"mode\":\"sync\"") == NULL)
    fail_msg("%s: no summary on stdout:\n%s", r.cmdline, r.out);
  assert_int_equal(lstat("/dev/stdout", &st), 0);
  assert_true(S_ISLNK(st.st_mode));
  result_done(&r);

  fifo = path_in(c, "f.json");
  assert_int_equal(mkfifo(fifo, 0644), 0);
  fr->fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  assert_true(fr->fd >= 0);
  assert_int_equal(pthread_create(&t, NULL, fifo_reader, fr), 0);
  run(c, &r, to_fifo);
  atomic_store(&fr->stop, 1);
  pthread_join(t, NULL);
  close(fr->fd);
  expect_status(&r, 0);
  if (strstr(fr->buf, "\"traceEvents\"") == NULL
      || strstr(fr->buf, "sync") == NULL)
    fail_msg("%s: the FIFO's reader got no trace:\n%s", r.cmdline,
        fr->buf);
  assert_int_equal(lstat(fifo, &st), 0);
  assert_true(S_ISFIFO(st.st_mode));
  result_done(&r);

  lone = path_in(c, "lone");
  assert_int_equal(mkfifo(lone, 0644), 0);
  run(c, &r, no_reader);
  expect_status(&r, 2);
  expect_text(&r, r.err, "--summary lone: a FIFO with no reader");
  if (strstr(r.err, "task on") != NULL)
    fail_msg("%s: a run started before the check:\n%s", r.cmdline, r.err);
  assert_int_equal(lstat(lone, &st), 0);
  assert_true(S_ISFIFO(st.st_mode));
  result_done(&r);

  blk = path_in(c, "blk");
  if (mknod(blk, S_IFBLK | 0600, makedev(7, 200)) == 0) {  /* root only */
    run(c, &r, block);
    expect_status(&r, 2);
    expect_text(&r, r.err, "--summary blk: is a block device");
    result_done(&r);
  }
  free(blk);
  free(lone);
  free(fifo);
  free(fr);
}

/* The same fault is worded the same way: an empty --summary and an empty
 * --trace give one message but for the option's name; convert's empty OUT
 * says "an empty name" (not "the output file  must end"); counts of one
 * take a singular noun ("1 task on", "1 run, 1 lane"). */
static void
test_message_wording(void **state)
{
  struct ctx *c = *state;
  const char *sum[] = { "run", "sleep", "--tasks", "1", "--modes", "sync",
    "--headless", "--summary", "", NULL };
  const char *tr[] = { "run", "sleep", "--tasks", "1", "--modes", "sync",
    "--headless", "--trace", "", NULL };
  const char *conv_empty[] = { "convert", "in.json", "", NULL };
  const char *one[] = { "run", "sleep", "--tasks", "1", "--modes", "sync",
    "--headless", "--out", "o", "--trace", "one.json", NULL };
  const char *conv[] = { "convert", "one.json", "one.csv", NULL };
  struct result r, r2;
  char *p;

  run(c, &r, sum);
  run(c, &r2, tr);
  expect_status(&r, 2);
  expect_status(&r2, 2);
  expect_text(&r, r.err, "an empty name");
  p = strstr(r.err, "--summary");
  assert_non_null(p);
  memcpy(p, "--trace", 7);
  memmove(p + 7, p + 9, strlen(p + 9) + 1);
  assert_string_equal(r.err, r2.err);
  result_done(&r);
  result_done(&r2);

  run(c, &r, conv_empty);
  expect_status(&r, 2);
  expect_text(&r, r.err, "an empty name");
  if (strstr(r.err, "file  must") != NULL)
    fail_msg("%s: an empty name shown as nothing:\n%s", r.cmdline, r.err);
  result_done(&r);

  run(c, &r, one);
  expect_status(&r, 0);
  expect_text(&r, r.err, "sleep, 1 task, ");
  expect_text(&r, r.err, "sync: 1 task on 1 worker");
  result_done(&r);
  run(c, &r, conv);
  expect_status(&r, 0);
  expect_text(&r, r.err, "(1 run, 1 lane)");
  result_done(&r);
}

/* Output paths that would fail only after the session are refused before
 * it, exit 2 naming them: empty names, a name longer than the folder
 * allows, OUT/MODE (or a repeat's OUT/MODE-2) that is a file or a link, a
 * dangling link on --out's path, a --trace or --summary inside a mode's
 * folder.  A legal 250-byte trace name is written, no temporary left. */
static void
test_output_checks(void **state)
{
  struct ctx *c = *state;
  char *long_name = gt_xmalloc(256 + 6), *p;
  const char *bad[][16] = {
    { "run", "sleep", "--tasks", "1", "--modes", "sync", "--headless",
      "--summary", "", NULL },
    { "run", "sleep", "--tasks", "1", "--modes", "sync", "--headless",
      "--trace", "", NULL },
    { "run", "sleep", "--tasks", "1", "--modes", "sync", "--headless",
      "--out", "", NULL },
    { "run", "sleep", "--tasks", "1", "--modes", "sync", "--headless",
      "--trace", long_name, NULL },
    { "run", "sleep", "--tasks", "1", "--modes", "sync,threads",
      "--headless", "--out", "o7", NULL },
    { "run", "sleep", "--tasks", "1", "--modes", "sync,sync",
      "--headless", "--out", "o8", NULL },
    { "run", "sleep", "--tasks", "1", "--modes", "sync", "--headless",
      "--out", "L/x", NULL },
    { "run", "sleep", "--tasks", "1", "--modes", "sync", "--headless",
      "--out", "o9", "--trace", "o9/sync/r.json", NULL },
    { "run", "sleep", "--tasks", "1", "--modes", "sync,sync", "--headless",
      "--out", "o9", "--summary", "o9/sync-2/sub/s.json", NULL },
  };
  const char *says[] = { "an empty name", "an empty name", "an empty name",
    "longer than", "o7/threads is not a folder",
    "o8/sync-2 is a symbolic link", "L is a symbolic link to nothing",
    "is inside o9/sync", "is inside o9/sync-2" };
  const char *good[] = { "run", "sleep", "--tasks", "1", "--modes", "sync",
    "--headless", "--trace", long_name, NULL };
  struct result r;
  size_t i;

  memset(long_name, 'a', 256);
  strcpy(long_name + 251, ".json");  /* 256 bytes */
  assert_int_equal(mkdir(p = path_in(c, "o7"), 0755), 0);
  free(p);
  put_file(c, "o7/threads", "x\n");
  assert_int_equal(mkdir(p = path_in(c, "o8"), 0755), 0);
  free(p);
  assert_int_equal(symlink("..", p = path_in(c, "o8/sync-2")), 0);
  free(p);
  assert_int_equal(symlink("/nonexistent/zz", p = path_in(c, "L")), 0);
  free(p);
  assert_int_equal(mkdir(p = path_in(c, "o9"), 0755), 0);
  free(p);
  assert_int_equal(mkdir(p = path_in(c, "o9/sync"), 0755), 0);
  free(p);
  assert_int_equal(mkdir(p = path_in(c, "o9/sync-2"), 0755), 0);
  free(p);
  assert_int_equal(mkdir(p = path_in(c, "o9/sync-2/sub"), 0755), 0);
  free(p);
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    run(c, &r, bad[i]);
    expect_status(&r, 2);
    expect_text(&r, r.err, says[i]);
    assert_string_equal(r.out, "");
    result_done(&r);
  }
  p = path_in(c, "o9/sync/r.json");
  assert_false(exists(p));
  free(p);

  strcpy(long_name + 245, ".json");  /* 250 bytes: legal */
  run(c, &r, good);
  expect_status(&r, 0);
  p = path_in(c, long_name);
  assert_true(exists(p));
  free(p);
  assert_int_equal(count_tmp_leftovers(c->dir), 0);
  result_done(&r);
  free(long_name);
}

/* Each run of a repeated mode has its own folder: OUT/sync, OUT/sync-2;
 * run together, neither clears nor interleaves the other's appends. */
static void
test_repeated_mode_folders(void **state)
{
  struct ctx *c = *state;
  char *out = path_in(c, "out"), *p, *text;
  const char *args[] = { "run", "scrape", "--tasks", "4", "--modes",
    "sync,sync", "--together", "--out", out, "--headless", NULL };
  const char *folders[] = { "out/sync/titles.tsv", "out/sync-2/titles.tsv" };
  struct result r;
  size_t i, lines;
  const char *q;

  run(c, &r, args);
  expect_status(&r, 0);
  for (i = 0; i < 2; i++) {
    p = path_in(c, folders[i]);
    text = slurp(p);
    if (text == NULL)
      fail_msg("%s: no %s", r.cmdline, folders[i]);
    for (lines = 0, q = text; (q = strchr(q, '\n')) != NULL; q++)
      lines++;
    if (lines != 4)
      fail_msg("%s: %s has %zu lines, expected 4:\n%s", r.cmdline,
          folders[i], lines, text);
    free(text);
    free(p);
  }
  result_done(&r);
  free(out);
}

/* --errors 100: every task fails, so no run wins: the report's verdict
 * says "no winner" and names none, and the summary's verdict has no
 * winner (issue 13: a run with failed tasks never wins). */
static void
test_errors_no_winner(void **state)
{
  struct ctx *c = *state;
  char *summary = path_in(c, "s.json"), *out = path_in(c, "out");
  const char *args[] = { "run", "genre", "--modes", "sync,threads",
    "--tasks", "3", "--latency", "10", "--errors", "100", "--summary",
    summary, "--out", out, "--headless", "--quiet", NULL };
  yajl_val sum, v, runs;
  struct result r;
  size_t i;

  run(c, &r, args);
  expect_status(&r, 0);
  expect_text(&r, r.out, "verdict: no winner");
  if (strstr(r.out, " won") != NULL || strstr(r.out, "fastest") != NULL)
    fail_msg("%s: the report names a winner:\n%s", r.cmdline, r.out);
  sum = load_json(summary);
  runs = summary_runs(sum);
  for (i = 0; i < runs->u.array.len; i++)
    assert_int_equal(jint(runs->u.array.values[i], "ok"), 0);
  v = jget(sum, "verdict");
  assert_non_null(v);
  assert_string_equal(jstr(v, "kind"), "no winner");
  assert_true(YAJL_IS_NULL(jget(v, "winner")));
  yajl_tree_free(sum);
  result_done(&r);
  free(summary);
  free(out);
}

/* --repeat 3 over sync,threads: six runs, interleaved (sync, threads,
 * sync, threads, sync, threads), each mode's median between its least and
 * most wall, and the median among the three walls of its runs. */
static void
test_repeat_interleaved(void **state)
{
  struct ctx *c = *state;
  char *summary = path_in(c, "s.json"), *out = path_in(c, "out");
  const char *args[] = { "run", "genre", "--modes", "sync,threads",
    "--tasks", "2", "--latency", "10", "--repeat", "3", "--summary",
    summary, "--out", out, "--headless", "--quiet", NULL };
  const char *order[] = { "sync", "threads" };
  double wall[2][3], med, lo, hi;
  yajl_val sum, runs, modes, m;
  struct result r;
  size_t i, k, hits;

  run(c, &r, args);
  expect_status(&r, 0);
  sum = load_json(summary);
  runs = summary_runs(sum);
  assert_int_equal(runs->u.array.len, 6);
  for (i = 0; i < 6; i++) {
    assert_string_equal(jstr(runs->u.array.values[i], "mode"),
        order[i % 2]);
    wall[i % 2][i / 2] = jnum(runs->u.array.values[i], "wall_ms");
  }
  modes = jget(sum, "modes");
  assert_true(YAJL_IS_ARRAY(modes));
  assert_int_equal(modes->u.array.len, 2);
  for (k = 0; k < 2; k++) {
    m = modes->u.array.values[k];
    assert_string_equal(jstr(m, "mode"), order[k]);
    assert_int_equal(jint(m, "runs"), 3);
    med = jnum(m, "median_ms");
    lo = jnum(m, "min_ms");
    hi = jnum(m, "max_ms");
    assert_true(lo <= med && med <= hi);
    for (hits = 0, i = 0; i < 3; i++) {
      hits += wall[k][i] == med;
      assert_true(wall[k][i] >= lo && wall[k][i] <= hi);
    }
    if (hits == 0)
      fail_msg("%s median %.3f ms is none of its walls", order[k], med);
  }
  expect_text(&r, r.out, "median");
  yajl_tree_free(sum);
  result_done(&r);
  /* and a bad count is refused */
  {
    const char *bad[] = { "run", "sleep", "--repeat", "0", NULL };
    const char *both[] = { "run", "sleep", "--repeat", "2", "--together",
      "--headless", NULL };

    run(c, &r, bad);
    expect_status(&r, 2);
    expect_text(&r, r.err, "--repeat");
    result_done(&r);
    run(c, &r, both);
    expect_status(&r, 2);
    expect_text(&r, r.err, "--together");
    result_done(&r);
  }
  free(summary);
  free(out);
}

/* A CPU hog started here (a spinning child per CPU, and as many again)
 * takes the CPU from a session that only sleeps: the summary and the
 * report say that other programs used the CPU.  Without the hog nothing
 * is asserted (the machine may be busy). */
static void
test_contention_warning(void **state)
{
  struct ctx *c = *state;
  char *summary = path_in(c, "s.json"), *out = path_in(c, "out");
  const char *args[] = { "run", "sleep", "--modes", "threads", "--tasks",
    "2", "--summary", summary, "--out", out, "--headless", "--quiet", NULL };
  pid_t hog[64];
  cpu_set_t set;
  int n, i;
  yajl_val sum, w, runs;
  struct result r;

  CPU_ZERO(&set);
  n = sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 2;
  n = 2 * n < 64 ? 2 * n : 64;
  for (i = 0; i < n; i++) {
    hog[i] = fork();
    assert_true(hog[i] >= 0);
    if (hog[i] == 0) {
      volatile unsigned long x = 0;

      for (;;)
        x++;
    }
  }
  run(c, &r, args);
  for (i = 0; i < n; i++) {
    kill(hog[i], SIGKILL);
    waitpid(hog[i], NULL, 0);
  }
  expect_status(&r, 0);
  expect_text(&r, r.out, "other programs used");
  sum = load_json(summary);
  w = jget(sum, "contention_warning");
  if (!YAJL_IS_STRING(w) || strstr(w->u.string, "other programs used")
      == NULL)
    fail_msg("%s: no contention warning in the summary", r.cmdline);
  runs = summary_runs(sum);
  if (!(jnum(runs->u.array.values[0], "others_cpu") > 0.1))
    fail_msg("%s: others_cpu %.3f with a hog on every CPU", r.cmdline,
        jnum(runs->u.array.values[0], "others_cpu"));
  yajl_tree_free(sum);
  result_done(&r);
  free(summary);
  free(out);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_run_sync_threads, setup, teardown),
    cmocka_unit_test_setup_teardown(test_errors_no_winner, setup, teardown),
    cmocka_unit_test_setup_teardown(test_repeat_interleaved, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_contention_warning, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_trace_format, setup, teardown),
    cmocka_unit_test_setup_teardown(test_together, setup, teardown),
    cmocka_unit_test_setup_teardown(test_info_commands, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
    cmocka_unit_test_setup_teardown(test_refused_options, setup, teardown),
    cmocka_unit_test_setup_teardown(test_command_help, setup, teardown),
    cmocka_unit_test_setup_teardown(test_option_forms, setup, teardown),
    cmocka_unit_test_setup_teardown(test_output_is_not_the_input, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_no_op_options, setup, teardown),
    cmocka_unit_test_setup_teardown(test_pool_option, setup, teardown),
    cmocka_unit_test_setup_teardown(test_every_state, setup, teardown),
    cmocka_unit_test_setup_teardown(test_missing_vs_malformed_files, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_refused_url, setup, teardown),
    cmocka_unit_test_setup_teardown(test_url_password_hidden, setup,
        teardown_proxy),
    cmocka_unit_test_setup_teardown(test_spec_password_hidden, setup,
        teardown_serve),
    cmocka_unit_test_setup_teardown(test_proxy_env, setup, teardown_proxy),
    cmocka_unit_test_setup_teardown(test_unwritable_trace, setup, teardown),
    cmocka_unit_test_setup_teardown(test_out_symlinks, setup, teardown),
    cmocka_unit_test_setup_teardown(test_same_output_twice, setup, teardown),
    cmocka_unit_test_setup_teardown(test_interrupt, setup, teardown),
    cmocka_unit_test_setup_teardown(test_serve, setup, teardown),
    cmocka_unit_test_setup_teardown(test_process_modes, setup, teardown),
    cmocka_unit_test_setup_teardown(test_replay_convert, setup, teardown),
    cmocka_unit_test_setup_teardown(test_gzip_traces, setup, teardown),
    cmocka_unit_test_setup_teardown(test_settings_round_trip, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_like_hostile, setup, teardown),
    cmocka_unit_test_setup_teardown(test_message_wording, setup, teardown),
    cmocka_unit_test_setup_teardown(test_special_outputs, setup, teardown),
    cmocka_unit_test_setup_teardown(test_replay_summary, setup, teardown),
    cmocka_unit_test_setup_teardown(test_import_forgiving, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_import_bad_pid, setup, teardown),
    cmocka_unit_test_setup_teardown(test_many_runs, setup, teardown),
    cmocka_unit_test_setup_teardown(test_escaped_names, setup, teardown),
    cmocka_unit_test_setup_teardown(test_process_modes_parent_dies, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_long_mode_list, setup, teardown),
    cmocka_unit_test_setup_teardown(test_hangup, setup, teardown),
    cmocka_unit_test_setup_teardown(test_quiet_errors, setup, teardown),
    cmocka_unit_test_setup_teardown(test_workers_bounded, setup, teardown),
    cmocka_unit_test_setup_teardown(test_nproc_narrowed, setup, teardown),
    cmocka_unit_test_setup_teardown(test_open_file_cap, setup, teardown),
    cmocka_unit_test_setup_teardown(test_out_special_files, setup, teardown),
    cmocka_unit_test_setup_teardown(test_output_checks, setup, teardown),
    cmocka_unit_test_setup_teardown(test_repeated_mode_folders, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_far_tids, setup, teardown),
  };

  signal(SIGPIPE, SIG_IGN);
  return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
