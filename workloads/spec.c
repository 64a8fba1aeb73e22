/*
 * workloads/spec.c: the spec-file parser (spec.h, docs/spec-format.md).
 *
 * Line by line: a "task" line opens a task, the step lines under it add
 * steps, "N x" in front of either repeats it, and "{i}" in a repeated
 * task's name, targets and files is its number, 0 to N-1.  A cpu step may
 * end with its kind of GIL use; "lock NAME" ... "unlock NAME" hold a named
 * lock around the steps between, which the parser checks task by task
 * (no unlock of a lock not held, no lock left held, none taken twice).
 * Hand-written: the format is a few words a line, and a message must
 * point at the very column that is wrong, which a generic tokenizer would
 * not know.
 */
#include "spec.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base.h"

#define MAX_REPEAT 100000u    /* N in "N x" */
#define MAX_TASKS  1000000u   /* tasks after repetition */
#define MAX_STEPS  100000u    /* steps in one task after repetition */
#define MAX_ALL_STEPS 10000000u  /* steps of every task, repeated */
#define MAX_FILE   (16u << 20)   /* bytes: a spec file is short */
#define MAX_HELD   64u        /* locks one task holds at once */

/* One step as written, before a task's repetition fills in {i}. */
struct spec_step {
  int       kind;
  char     *label;
  char     *target;
  gt_cpu_fn cpu;
  uint64_t  arg;
  int       arg_i;    /* the argument is "{i}": the task's number */
  int       gil;      /* cpu: enum gt_gil_kind */
};

/* A lock a task holds at the line being read: where it was taken. */
struct spec_held {
  size_t lock;        /* its number */
  size_t line, col;
};

/* One task as written. */
struct spec_task {
  char             *name;
  unsigned          repeat;
  size_t            line;
  struct spec_step *steps;
  size_t            nsteps, cap;
  struct spec_held *held;   /* the locks it holds so far */
  size_t            nheld, held_cap;
};

/* The parse in progress. */
struct parser {
  const char       *name;     /* the file, for messages */
  size_t            line;
  const char       *text;     /* the line, for columns */
  struct spec_task *tasks;
  size_t            ntasks, cap;
  char            **cause;
  int               needs_server;
  char            **locks;    /* the lock names, numbered by their order */
  size_t           *by_name;  /* their numbers, sorted by name */
  size_t            nlocks, locks_cap;
};

/* The calling thread's CPU time, ns. */
static uint64_t
thread_cpu_ns(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Burn step->arg microseconds of this thread's CPU time, with a checkpoint
 * every 100 us of it (a GIL may change hands there).  Timed by the
 * thread's CPU clock, not the wall: time without a core, or waiting for
 * the GIL in a checkpoint, does not count, so "cpu 200ms" is 200 ms of
 * work on any machine, however busy, as a Python loop would be. */
static int
spec_busy(struct gt_task_ctx *ctx, const struct gt_step *step, char **cause)
{
  uint64_t end = thread_cpu_ns() + step->arg * 1000u, next = 0, now;

  (void)cause;
  while ((now = thread_cpu_ns()) < end)
    if (now >= next) {
      if (gt_task_ctx_checkpoint(ctx) != 0)
        return GT_ECANCELED;
      next = thread_cpu_ns() + 100000u;
    }
  return 0;
}

const struct gt_cpu_def gt_spec_cpus[] = {
  { "spec.busy", spec_busy, GT_GIL_LOOP },
  { NULL, NULL, 0 },
};

/* Fail with code at the column of at in the current line: the message
 * is "NAME:LINE:COL: what".  Returns code. */
static int
vfail_code(struct parser *p, int code, const char *at, const char *fmt,
    va_list ap)
{
  char msg[512];

  vsnprintf(msg, sizeof(msg), fmt, ap);
  gt_set_cause(p->cause, "%s:%zu:%zu: %s", p->name, p->line,
      (size_t)(at - p->text) + 1, msg);
  return code;
}

/* A parse error at the column of at (1-based) of the current line. */
static int __attribute__((format(printf, 3, 4)))
fail_at(struct parser *p, const char *at, const char *fmt, ...)
{
  va_list ap;
  int rc;

  va_start(ap, fmt);
  rc = vfail_code(p, GT_EPARSE, at, fmt, ap);
  va_end(ap);
  return rc;
}

/* The same with another code (GT_ENOFUNC). */
static int __attribute__((format(printf, 4, 5)))
fail_code_at(struct parser *p, int code, const char *at, const char *fmt,
    ...)
{
  va_list ap;
  int rc;

  va_start(ap, fmt);
  rc = vfail_code(p, code, at, fmt, ap);
  va_end(ap);
  return rc;
}

/* The word at *s (up to blank or end), as a malloc'd copy; *s moves past
 * it and the blanks after it.  NULL at the end of the line. */
static char *
next_word(const char **s, const char **at)
{
  const char *b = *s, *e;

  while (*b == ' ' || *b == '\t')
    b++;
  *at = b;
  if (*b == '\0')
    return NULL;
  for (e = b; *e != '\0' && *e != ' ' && *e != '\t'; e++)
    ;
  *s = e;
  return gt_xasprintf("%.*s", (int)(e - b), b);
}

/* The rest of the line, trimmed; NULL when blank. */
static char *
rest_of_line(const char *s, const char **at)
{
  const char *e;

  while (*s == ' ' || *s == '\t')
    s++;
  *at = s;
  if (*s == '\0')
    return NULL;
  e = s + strlen(s);
  while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
    e--;
  return gt_xasprintf("%.*s", (int)(e - s), s);
}

/* A duration ("20ms", "1.5s", "250us") in microseconds; -1 if it is not
 * one. */
static long long
parse_duration(const char *w)
{
  char *end;
  double v;

  if (!isdigit((unsigned char)w[0]))
    return -1;
  errno = 0;
  v = strtod(w, &end);
  if (errno != 0 || end == w)
    return -1;
  if (strcmp(end, "us") == 0)
    ;
  else if (strcmp(end, "ms") == 0)
    v *= 1e3;
  else if (strcmp(end, "s") == 0)
    v *= 1e6;
  else
    return -1;
  if (v < 0 || v > 86400e6)
    return -1;
  return (long long)(v + 0.5);
}

/* 1 when a file name stays inside the output folder. */
static int
inside_out(const char *f)
{
  const char *c = f;

  if (f[0] == '/' || f[0] == '\0')
    return 0;
  while (*c != '\0') {  /* no ".." component */
    size_t n = strcspn(c, "/");

    if (n == 2 && c[0] == '.' && c[1] == '.')
      return 0;
    c += n;
    if (*c == '/')
      c++;
  }
  return 1;
}

/* Add a step to the open task, repeat times. */
static int
add_step(struct parser *p, const char *at, unsigned repeat,
    const struct spec_step *st)
{
  struct spec_task *t = &p->tasks[p->ntasks - 1];
  unsigned k;

  if (t->nsteps + repeat > MAX_STEPS)
    return fail_at(p, at, "task '%s' has more than %u steps", t->name,
        MAX_STEPS);
  for (k = 0; k < repeat; k++) {
    if (t->nsteps == t->cap) {
      t->cap = t->cap ? t->cap * 2 : 8;
      t->steps = gt_xrealloc(t->steps, t->cap * sizeof(*t->steps));
    }
    t->steps[t->nsteps] = *st;
    t->steps[t->nsteps].label = gt_xstrdup(st->label);
    t->steps[t->nsteps].target = st->target ? gt_xstrdup(st->target) : NULL;
    t->nsteps++;
  }
  return 0;
}

/* 1 when w can name a lock: letters, digits, '_', '-', '.'. */
static int
lock_name_ok(const char *w)
{
  for (; *w != '\0'; w++)
    if (!isalnum((unsigned char)*w) && *w != '_' && *w != '-' && *w != '.')
      return 0;
  return 1;
}

/* The number of the lock called name, a new one for a new name; -1 past
 * GT_LOCKS_MAX names.  A binary search of the names (a file may name
 * thousands of locks on a million lines). */
static long
lock_number(struct parser *p, const char *name)
{
  size_t lo = 0, hi = p->nlocks, mid;
  int c;

  while (lo < hi) {
    mid = lo + (hi - lo) / 2;
    c = strcmp(p->locks[p->by_name[mid]], name);
    if (c == 0)
      return (long)p->by_name[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (p->nlocks == GT_LOCKS_MAX)
    return -1;
  if (p->nlocks == p->locks_cap) {
    p->locks_cap = p->locks_cap ? p->locks_cap * 2 : 8;
    p->locks = gt_xrealloc(p->locks, p->locks_cap * sizeof(*p->locks));
    p->by_name = gt_xrealloc(p->by_name, p->locks_cap
        * sizeof(*p->by_name));
  }
  memmove(&p->by_name[lo + 1], &p->by_name[lo], (p->nlocks - lo)
      * sizeof(*p->by_name));
  p->by_name[lo] = p->nlocks;
  p->locks[p->nlocks] = gt_xstrdup(name);
  return (long)p->nlocks++;
}

/* A lock or unlock step (st, its name at at): number the lock, and check
 * it against the locks the open task holds.  A task never takes a lock it
 * holds (it would wait for itself), never lets go of one it does not
 * hold, and is not repeated ("2 x lock a" is both). */
static int
lock_step(struct parser *p, struct spec_step *st, const char *at,
    unsigned repeat)
{
  struct spec_task *t = &p->tasks[p->ntasks - 1];
  long k = lock_number(p, st->target);
  size_t i;

  if (k < 0)
    return fail_at(p, at, "more than %u lock names", GT_LOCKS_MAX);
  st->arg = (uint64_t)k;
  if (repeat > 1)
    return fail_at(p, at, "a %s step cannot be repeated: the task would "
        "%s", st->kind == GT_STEP_LOCK ? "lock" : "unlock",
        st->kind == GT_STEP_LOCK ? "wait for itself" : "let go of a lock it "
        "does not hold");
  for (i = 0; i < t->nheld && t->held[i].lock != (size_t)k; i++)
    ;
  if (st->kind == GT_STEP_LOCK) {
    if (i < t->nheld)
      return fail_at(p, at, "task '%s' holds lock '%s' already (taken at "
          "line %zu): it would wait for itself", t->name, st->target,
          t->held[i].line);
    if (t->nheld == MAX_HELD)
      return fail_at(p, at, "task '%s' holds %u locks already: at most %u "
          "at once", t->name, MAX_HELD, MAX_HELD);
    if (t->nheld == t->held_cap) {
      t->held_cap = t->held_cap ? t->held_cap * 2 : 4;
      t->held = gt_xrealloc(t->held, t->held_cap * sizeof(*t->held));
    }
    t->held[t->nheld++] = (struct spec_held){ (size_t)k, p->line,
        (size_t)(at - p->text) + 1 };
    return 0;
  }
  if (i == t->nheld)
    return fail_at(p, at, "task '%s' does not hold lock '%s': expected "
        "'lock %s' before this", t->name, st->target, st->target);
  t->held[i] = t->held[--t->nheld];
  return 0;
}

/* The open task must have let go of every lock it took. */
static int
check_task_end(struct parser *p)
{
  const struct spec_task *t;

  if (p->ntasks == 0)
    return 0;
  t = &p->tasks[p->ntasks - 1];
  if (t->nheld == 0)
    return 0;
  gt_set_cause(p->cause, "%s:%zu:%zu: lock '%s' is never unlocked: "
      "expected 'unlock %s' before task '%s' ends", p->name,
      t->held[0].line, t->held[0].col, p->locks[t->held[0].lock],
      p->locks[t->held[0].lock], t->name);
  return GT_EPARSE;
}

/* One step line: its verb at w (already read), the rest at s. */
static int
parse_step(struct parser *p, const char *verb, const char *verb_at,
    const char *s, unsigned repeat)
{
  struct spec_step st = {0};
  const char *at, *at2;
  char *w = next_word(&s, &at), *extra, *shown;
  long long us;
  int rc = 0;

  if (p->ntasks == 0) {
    rc = fail_at(p, verb_at, "expected 'task NAME' before the first step");
    goto out;
  }
  if (strcmp(verb, "get") == 0) {
    if (w == NULL || !(w[0] == '/' || strncmp(w, "http://", 7) == 0
        || strncmp(w, "https://", 8) == 0)) {
      rc = fail_at(p, at, "expected a path starting with '/' (the demo "
          "server) or an http:// URL after 'get'");
      goto out;
    }
    st.kind = GT_STEP_HTTP;
    st.target = w;
    shown = gt_url_shown(w);  /* the label reaches traces: no password */
    st.label = gt_xasprintf("GET %s", shown);
    free(shown);
    p->needs_server |= w[0] == '/';
    w = NULL;
  } else if (strcmp(verb, "write") == 0 || strcmp(verb, "append") == 0) {
    if (w == NULL || !inside_out(w)) {
      rc = fail_at(p, at, "expected a file name inside --out after '%s' "
          "(no '/' at the start, no '..')", verb);
      goto out;
    }
    st.kind = verb[0] == 'w' ? GT_STEP_WRITE : GT_STEP_APPEND;
    st.target = w;
    st.label = gt_xasprintf("%s %s", verb, w);
    w = NULL;
  } else if (strcmp(verb, "sleep") == 0) {
    us = w != NULL ? parse_duration(w) : -1;
    if (us < 0 || us % 1000 != 0) {
      rc = fail_at(p, at, "expected a duration in whole milliseconds after "
          "'sleep' (250ms, 1.5s)");
      goto out;
    }
    st.kind = GT_STEP_SLEEP;
    st.arg = (uint64_t)us / 1000u;
    st.label = gt_xasprintf("sleep %s", w);
  } else if (strcmp(verb, "cpu") == 0) {
    us = w != NULL ? parse_duration(w) : -1;
    st.kind = GT_STEP_CPU;
    if (us >= 0) {
      st.cpu = spec_busy;
      st.arg = (uint64_t)us;
      st.gil = GT_GIL_LOOP;
      st.label = gt_xasprintf("cpu %s", w);
    } else if (w != NULL && (st.cpu = gt_cpu_find(w)) != NULL) {
      st.gil = gt_cpu_gil(st.cpu);
      extra = next_word(&s, &at2);
      if (extra != NULL && gt_gil_kind_find(extra) >= 0) {
        s = at2;  /* no argument: the kind is read below */
        free(extra);
        extra = NULL;
      } else if (extra != NULL && strcmp(extra, "{i}") == 0) {
        st.arg_i = 1;
      } else if (extra != NULL) {
        char *end;

        errno = 0;
        st.arg = strtoull(extra, &end, 10);
        if (errno != 0 || *end != '\0' || extra[0] == '-') {
          free(extra);
          rc = fail_at(p, at2, "expected a whole number or {i} as %s's "
              "argument", w);
          goto out;
        }
      }
      st.label = extra ? gt_xasprintf("%s %s", w, extra) : gt_xstrdup(w);
      free(extra);
    } else if (w != NULL && gt_gil_kind_find(w) >= 0) {
      rc = fail_at(p, at, "expected a duration (20ms) or a CPU function "
          "before '%s'", w);
      goto out;
    } else if (w != NULL && !isdigit((unsigned char)w[0])) {
      /* a name, but of no function this executable registered */
      rc = fail_code_at(p, GT_ENOFUNC, at, "no CPU function called '%s': "
          "expected a duration (20ms) or one of genre.parse, pow.power, "
          "scrape.title, or a function the program registered", w);
      goto out;
    } else {
      rc = fail_at(p, at, "expected a duration (20ms) or a CPU function "
          "(genre.parse, pow.power, scrape.title) after 'cpu'");
      goto out;
    }
  } else if (strcmp(verb, "lock") == 0 || strcmp(verb, "unlock") == 0) {
    if (w == NULL || !lock_name_ok(w)) {
      rc = fail_at(p, at, "expected a lock name (letters, digits, '_', "
          "'-', '.') after '%s'", verb);
      goto out;
    }
    st.kind = verb[0] == 'l' ? GT_STEP_LOCK : GT_STEP_UNLOCK;
    st.target = w;
    st.label = gt_xasprintf("%s %s", verb, w);
    w = NULL;
    rc = lock_step(p, &st, at, repeat);
    if (rc != 0)
      goto out;
  } else {
    rc = fail_at(p, verb_at, "expected 'task', or a step: get, cpu, write, "
        "append, sleep, lock or unlock; found '%s'", verb);
    goto out;
  }
  extra = next_word(&s, &at);
  if (extra != NULL && st.kind == GT_STEP_CPU
      && gt_gil_kind_find(extra) >= 0) {  /* the cpu step's kind of GIL use */
    char *label = gt_xasprintf("%s %s", st.label, extra);

    st.gil = gt_gil_kind_find(extra);
    free(st.label);
    st.label = label;
    free(extra);
    extra = next_word(&s, &at);
  }
  if (extra != NULL && rc == 0) {
    free(extra);
    if (st.kind == GT_STEP_CPU)
      rc = fail_at(p, at, "expected python-loop, holds-gil, releases-gil "
          "or the end of the line after the cpu step");
    else
      rc = fail_at(p, at, "expected the end of the line after the %s step",
          verb);
    goto out;
  }
  rc = add_step(p, verb_at, repeat, &st);
out:
  free(w);
  free(st.label);
  free(st.target);
  return rc;
}

/* One line (no newline, comment cut). */
static int
parse_line(struct parser *p, const char *line)
{
  const char *s = line, *at, *word_at;
  char *w = next_word(&s, &at), *name;
  unsigned long repeat = 1;
  int rc = 0;

  if (w == NULL)
    return 0;  /* blank */
  word_at = at;
  if (isdigit((unsigned char)w[0])) {  /* "N x ..." */
    char *end, *x;

    errno = 0;
    repeat = strtoul(w, &end, 10);
    if (*end != '\0' || errno != 0 || repeat == 0 || repeat > MAX_REPEAT) {
      rc = fail_at(p, word_at, "expected a repeat count from 1 to %u",
          MAX_REPEAT);
      goto out;
    }
    x = next_word(&s, &at);
    if (x == NULL || strcmp(x, "x") != 0) {
      free(x);
      rc = fail_at(p, at, "expected 'x' after the repeat count %lu", repeat);
      goto out;
    }
    free(x);
    free(w);
    w = next_word(&s, &at);
    word_at = at;
    if (w == NULL) {
      rc = fail_at(p, at, "expected 'task' or a step after '%lu x'", repeat);
      goto out;
    }
  }
  if (strcmp(w, "task") == 0) {
    struct spec_task *t;

    name = rest_of_line(s, &at);
    if (name == NULL) {
      rc = fail_at(p, at, "expected a task name after 'task'");
      goto out;
    }
    if (p->ntasks > 0 && p->tasks[p->ntasks - 1].nsteps == 0) {
      p->line = p->tasks[p->ntasks - 1].line;
      p->text = "";
      rc = fail_at(p, p->text, "task '%s' has no steps",
          p->tasks[p->ntasks - 1].name);
      free(name);
      goto out;
    }
    if ((rc = check_task_end(p)) != 0) {
      free(name);
      goto out;
    }
    if (p->ntasks == p->cap) {
      p->cap = p->cap ? p->cap * 2 : 8;
      p->tasks = gt_xrealloc(p->tasks, p->cap * sizeof(*p->tasks));
    }
    t = &p->tasks[p->ntasks++];
    memset(t, 0, sizeof(*t));
    t->name = name;
    t->repeat = (unsigned)repeat;
    t->line = p->line;
  } else {
    rc = parse_step(p, w, word_at, s, (unsigned)repeat);
  }
out:
  free(w);
  return rc;
}

/* s with every "{i}" replaced by i; malloc'd; NULL for NULL. */
static char *
expand(const char *s, unsigned i)
{
  char num[16], *out, *o;
  const char *c;
  size_t n = 0, len;

  if (s == NULL)
    return NULL;
  len = (size_t)snprintf(num, sizeof(num), "%u", i);
  for (c = s; (c = strstr(c, "{i}")) != NULL; c += 3)
    n++;
  out = o = gt_xmalloc(strlen(s) + n * len + 1);
  for (c = s; *c != '\0';) {
    if (strncmp(c, "{i}", 3) == 0) {
      memcpy(o, num, len);
      o += len;
      c += 3;
    } else {
      *o++ = *c++;
    }
  }
  *o = '\0';
  return out;
}

/* Free the tasks as written. */
static void
spec_free(struct parser *p)
{
  size_t i, j;

  for (i = 0; i < p->ntasks; i++) {
    for (j = 0; j < p->tasks[i].nsteps; j++) {
      free(p->tasks[i].steps[j].label);
      free(p->tasks[i].steps[j].target);
    }
    free(p->tasks[i].steps);
    free(p->tasks[i].name);
    free(p->tasks[i].held);
  }
  free(p->tasks);
  for (i = 0; i < p->nlocks; i++)
    free(p->locks[i]);
  free(p->locks);
  free(p->by_name);
}

/* Parse a whole text. */
int
gt_spec_parse(const char *name, const char *text, struct gt_task **tasks,
    size_t *ntasks, int *needs_server, char **cause)
{
  struct parser p = { .name = name, .cause = cause };
  const char *c = text, *nl;
  struct gt_task *out;
  size_t total = 0, i, k, j, n = 0;
  uint64_t steps = 0;
  char *line, *hash;
  int rc = 0;

  *tasks = NULL;
  *ntasks = 0;
  while (*c != '\0' && rc == 0) {
    nl = strchr(c, '\n');
    line = gt_xasprintf("%.*s", (int)(nl ? nl - c : (long)strlen(c)), c);
    p.line++;
    if ((hash = strchr(line, '#')) != NULL)
      *hash = '\0';
    if (strchr(line, '\r') != NULL)
      *strchr(line, '\r') = '\0';
    p.text = line;
    rc = parse_line(&p, line);
    free(line);
    c = nl ? nl + 1 : c + strlen(c);
  }
  if (rc == 0 && p.ntasks == 0) {
    p.line = p.line ? p.line : 1;
    p.text = "";
    rc = fail_at(&p, p.text, "expected at least one 'task NAME' line");
  }
  if (rc == 0 && p.tasks[p.ntasks - 1].nsteps == 0) {
    p.line = p.tasks[p.ntasks - 1].line;
    p.text = "";
    rc = fail_at(&p, p.text, "task '%s' has no steps",
        p.tasks[p.ntasks - 1].name);
  }
  if (rc == 0)
    rc = check_task_end(&p);
  for (i = 0; rc == 0 && i < p.ntasks; i++) {
    total += p.tasks[i].repeat;
    steps += (uint64_t)p.tasks[i].repeat * p.tasks[i].nsteps;
    if (total > MAX_TASKS || steps > MAX_ALL_STEPS) {
      p.line = p.tasks[i].line;
      p.text = "";
      rc = fail_at(&p, p.text, total > MAX_TASKS ? "more than %u tasks in "
          "all" : "more than %u steps in all", total > MAX_TASKS ? MAX_TASKS
          : MAX_ALL_STEPS);
    }
  }
  if (rc != 0) {
    spec_free(&p);
    return rc;
  }
  out = gt_xcalloc(total, sizeof(*out));
  for (i = 0; i < p.ntasks; i++)
    for (k = 0; k < p.tasks[i].repeat; k++, n++) {
      const struct spec_task *t = &p.tasks[i];

      out[n].name = expand(t->name, (unsigned)k);
      out[n].nsteps = t->nsteps;
      out[n].steps = gt_xcalloc(t->nsteps, sizeof(*out[n].steps));
      for (j = 0; j < t->nsteps; j++) {
        out[n].steps[j] = (struct gt_step){
          .kind = t->steps[j].kind,
          .label = expand(t->steps[j].label, (unsigned)k),
          .target = expand(t->steps[j].target, (unsigned)k),
          .cpu = t->steps[j].cpu,
          .arg = t->steps[j].arg_i ? k : t->steps[j].arg,
          .gil = t->steps[j].gil,
        };
      }
    }
  spec_free(&p);
  *tasks = out;
  *ntasks = total;
  *needs_server = p.needs_server;
  return 0;
}

/* Read the file, then parse it. */
int
gt_spec_load(const char *path, struct gt_task **tasks, size_t *ntasks,
    int *needs_server, char **cause)
{
  FILE *f = fopen(path, "rb");
  char *text = NULL;
  size_t len = 0, cap = 0, n;
  int rc;

  *tasks = NULL;
  *ntasks = 0;
  if (f == NULL) {  /* missing, a folder, no permission: not a parse */
    rc = -errno;
    gt_set_cause(cause, "%s: cannot read: %s", path, strerror(-rc));
    return rc;
  }
  do {
    if (len > MAX_FILE) {
      gt_set_cause(cause, "%s: more than %u bytes: not a spec file", path,
          MAX_FILE);
      fclose(f);
      free(text);
      return GT_EPARSE;
    }
    if (cap - len < 4096) {
      cap = cap ? cap * 2 : 8192;
      text = gt_xrealloc(text, cap + 1);
    }
    n = fread(text + len, 1, cap - len, f);
    len += n;
  } while (n > 0);
  if (ferror(f)) {  /* a folder: EISDIR */
    rc = errno != 0 ? -errno : -EIO;
    gt_set_cause(cause, "%s: cannot read: %s", path, strerror(-rc));
    fclose(f);
    free(text);
    return rc;
  }
  fclose(f);
  text[len] = '\0';
  if (strlen(text) != len) {  /* a NUL: not a text file */
    size_t at = strlen(text), line = 1, i;

    for (i = 0; i < at; i++)
      line += text[i] == '\n';
    gt_set_cause(cause, "%s:%zu: expected text, found a NUL byte at byte "
        "offset %zu", path, line, at);
    free(text);
    return GT_EPARSE;
  }
  rc = gt_spec_parse(path, text, tasks, ntasks, needs_server, cause);
  free(text);
  return rc;
}
