/*
 * tui/settings.c: the settings a session is made with, in one table: how
 * each goes into every file (trace, summary, CSV: trace/settings.h is the
 * neutral list they carry) and how `gantty run --like FILE` takes it back.
 *
 * A row is a key in the files, how JSON writes it, the option it comes
 * from and goes back to (0: a fact of the machine or of the run, written
 * for the reader and never applied), and for an option the range a file's
 * value must be in.  Adding a setting is adding a row (and a case in
 * setting_text() and setting_apply() when it is not a plain number
 * option).  Settings other branches of issue 13 add are marked MERGE:.
 *
 * --like reads the settings of a trace gantty wrote (its "otherData") or
 * of a summary (its "settings" object) and applies each one whose option
 * was not given on the command line: the line overrides the file.  A file
 * is outside bytes: every value is checked as the option's own would be,
 * and a bad one is refused naming the file and the setting, exit 2.  A
 * file never says where gantty writes or which server it asks: --out and
 * --url are the user's.
 */
#define _GNU_SOURCE
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>

#include "base.h"
#include "chrome.h"
#include "executor.h"
#include "session.h"
#include "settings.h"
#include "workload.h"

#define MAX_MS 86400000ull       /* a day, as cli.c's options */
#define SUMMARY_MAX (64u << 20)  /* a summary bigger than this is not one */
#define SUMMARY_DEPTH 64         /* nor is one nested deeper than this */

/* How a row's value is made and taken back. */
enum how {
  H_UNSIGNED,   /* an unsigned field of struct opts at off, lo..hi */
  H_U64,        /* the seed: a uint64_t field at off */
  H_FLAG,       /* an int flag at off: true or false */
  H_SPECIAL     /* setting_text() and setting_apply() say */
};

/* One setting. */
struct row {
  const char *key;      /* in the files */
  int         type;     /* enum gt_setting_type */
  int         opt;      /* enum cli_opt it comes from; 0: a fact */
  enum how    how;
  size_t      off;      /* offsetof(struct opts, field) */
  unsigned long long lo, hi;
  int         demo;     /* 1: the embedded demo server's (not with --url) */
};

#define FIELD(f) offsetof(struct opts, f)

/* Every setting, in the order the files list them. */
static const struct row rows[] = {
  { "workload",    GT_SET_STR,  0,              H_SPECIAL, 0, 0, 0, 0 },
  { "spec",        GT_SET_STR,  OPT_SPEC,       H_SPECIAL, 0, 0, 0, 0 },
  { "modes",       GT_SET_STR,  OPT_MODES,      H_SPECIAL, 0, 0, 0, 0 },
  { "together",    GT_SET_BOOL, OPT_TOGETHER,   H_FLAG, FIELD(together),
    0, 1, 0 },
  { "tasks",       GT_SET_NUM,  OPT_TASKS,      H_SPECIAL, FIELD(tasks),
    1, 1000000, 0 },
  { "scale",       GT_SET_NUM,  OPT_SCALE,      H_SPECIAL, FIELD(scale),
    1, 1000000, 0 },
  /* 0: each mode's default width */
  { "workers",     GT_SET_NUM,  OPT_WORKERS,    H_SPECIAL, FIELD(workers),
    0, 100000, 0 },
  /* 0: no limit */
  { "limit",       GT_SET_NUM,  OPT_LIMIT,      H_UNSIGNED, FIELD(limit),
    0, 1000000, 0 },
  /* libuv's thread pool (--pool N): the size the session had */
  { "pool",        GT_SET_NUM,  OPT_POOL,       H_SPECIAL, FIELD(pool),
    1, GT_POOL_MAX, 0 },
  { "gil",         GT_SET_BOOL, OPT_GIL,        H_SPECIAL, FIELD(gil),
    0, 1, 0 },
  { "switch_ms",   GT_SET_NUM,  OPT_SWITCH,     H_SPECIAL, FIELD(switch_ms),
    1, 10000, 0 },
  /* the kinds of the CPU steps (python-loop, holds-gil, releases-gil),
   * comma-separated: what they stand for under the GIL; a fact of the
   * workload, not an option */
  { "cpu_kinds",   GT_SET_STR,  0,              H_SPECIAL, 0, 0, 0, 0 },
  { "connections", GT_SET_STR,  OPT_CONNECTIONS, H_SPECIAL, FIELD(fresh),
    0, 1, 0 },
  { "timeout_ms",  GT_SET_NUM,  OPT_TIMEOUT,    H_SPECIAL, FIELD(timeout_ms),
    1, MAX_MS, 0 },
  { "server",      GT_SET_STR,  0,              H_SPECIAL, 0, 0, 0, 0 },
  { "latency_ms",  GT_SET_NUM,  OPT_LATENCY,    H_UNSIGNED,
    FIELD(latency_ms), 0, MAX_MS, 1 },
  { "jitter_ms",   GT_SET_NUM,  OPT_JITTER,     H_UNSIGNED, FIELD(jitter_ms),
    0, MAX_MS, 1 },
  { "connect_ms",  GT_SET_NUM,  OPT_CONNECT,    H_UNSIGNED,
    FIELD(connect_ms), 0, MAX_MS, 1 },
  { "seed",        GT_SET_NUM,  OPT_SEED,       H_U64, FIELD(seed),
    0, UINT64_MAX, 0 },
  { "errors_pct",  GT_SET_NUM,  OPT_ERRORS,     H_UNSIGNED,
    FIELD(errors_pct), 0, 100, 1 },
  { "stall_pct",   GT_SET_NUM,  OPT_STALL,      H_UNSIGNED, FIELD(stall_pct),
    0, 100, 1 },
  /* each mode run N times, interleaved; 0: once */
  { "repeat",      GT_SET_NUM,  OPT_REPEAT,     H_UNSIGNED, FIELD(repeat),
    0, 20, 0 },
  /* --cores K (0: every CPU), applied by --like up to this machine's
   * online CPUs; cores_used is what the runs had, a fact */
  { "cores",       GT_SET_NUM,  OPT_CORES,      H_SPECIAL, FIELD(cores),
    0, 100000, 0 },
  { "cores_used",  GT_SET_NUM,  0,              H_SPECIAL, 0, 0, 0, 0 },
  { "cores_online", GT_SET_NUM, 0,              H_SPECIAL, 0, 0, 0, 0 },
  { "cpu_model",   GT_SET_STR,  0,              H_SPECIAL, 0, 0, 0, 0 },
  { "kernel",      GT_SET_STR,  0,              H_SPECIAL, 0, 0, 0, 0 },
  { "version",     GT_SET_STR,  0,              H_SPECIAL, 0, 0, 0, 0 },
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* The CPU's model name from /proc/cpuinfo ("model name", or on machines
 * without it "Hardware" or "cpu model"), into buf; "" when none. */
static void
cpu_model(char *buf, size_t len)
{
  static const char *const keys[] = { "model name", "Hardware",
    "cpu model" };
  FILE *f = fopen("/proc/cpuinfo", "r");
  char line[512], *colon, *v, *end;
  size_t k;

  buf[0] = '\0';
  if (f == NULL)
    return;
  while (buf[0] == '\0' && fgets(line, sizeof(line), f) != NULL) {
    if ((colon = strchr(line, ':')) == NULL)
      continue;
    for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
      if (strncmp(line, keys[k], strlen(keys[k])) == 0)
        break;
    if (k == sizeof(keys) / sizeof(keys[0]))
      continue;
    for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
      ;
    for (end = v + strlen(v); end > v && (end[-1] == '\n'
        || end[-1] == ' '); end--)
      ;
    snprintf(buf, len, "%.*s", (int)(end - v), v);
  }
  fclose(f);
}

/* The text of a row the table cannot make alone, into buf (len bytes);
 * 0 when the setting has no value here (it is then left out). */
static int
setting_text(const struct row *r, const struct settings_ctx *c,
    const struct opts *o, char *buf, size_t len)
{
  struct utsname u;
  cpu_set_t set;
  char mode[GT_SESSION_MAX_MODES][GT_MODE_LEN];
  char folder[GT_SESSION_MAX_MODES][GT_FOLDER_LEN];
  size_t n, i, at = 0;
  long v;
  int k;

  if (strcmp(r->key, "workload") == 0 || strcmp(r->key, "spec") == 0) {
    if ((o->spec != NULL) != (r->key[0] == 's'))
      return 0;
    snprintf(buf, len, "%s", o->spec != NULL ? o->spec : o->workload);
  } else if (strcmp(r->key, "modes") == 0) {
    n = gt_session_modes(o->modes, mode, folder);
    buf[0] = '\0';
    for (i = 0; i < n && at < len; i++)
      at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? "," : "",
          mode[i]);
  } else if (strcmp(r->key, "tasks") == 0) {
    snprintf(buf, len, "%zu", c->ntasks);
  } else if (strcmp(r->key, "scale") == 0) {
    snprintf(buf, len, "%u", o->scale ? o->scale : 1);
  } else if (strcmp(r->key, "workers") == 0) {
    snprintf(buf, len, "%u", c->workers);
  } else if (strcmp(r->key, "gil") == 0) {
    snprintf(buf, len, "%s", c->gil ? "true" : "false");
  } else if (strcmp(r->key, "switch_ms") == 0) {
    snprintf(buf, len, "%u", o->switch_ms ? o->switch_ms : 5);
  } else if (strcmp(r->key, "cpu_kinds") == 0) {
    if (!c->has_cpu)
      return 0;
    buf[0] = '\0';
    for (k = 0; k < 32 && at < len; k++)
      if ((c->cpu_kinds >> k & 1) && gt_gil_kind_name(k) != NULL)
        at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? "," : "",
            gt_gil_kind_name(k));
  } else if (strcmp(r->key, "cores") == 0) {
    snprintf(buf, len, "%u", c->cores);
  } else if (strcmp(r->key, "pool") == 0) {
    snprintf(buf, len, "%u", gt_scheduler_pool());
  } else if (strcmp(r->key, "connections") == 0) {
    snprintf(buf, len, "%s", o->fresh ? "fresh" : "reuse");
  } else if (strcmp(r->key, "timeout_ms") == 0) {
    snprintf(buf, len, "%ld", o->timeout_ms ? o->timeout_ms : 30000);
  } else if (strcmp(r->key, "server") == 0) {
    snprintf(buf, len, "%s", c->url_shown != NULL ? c->url_shown
        : "embedded");
  } else if (strcmp(r->key, "cores_used") == 0) {
    if (c->cores != 0)  /* --cores pinned the workers to these */
      snprintf(buf, len, "%u", c->cores);
    else if (sched_getaffinity(0, sizeof(set), &set) == 0)
      snprintf(buf, len, "%d", CPU_COUNT(&set));
    else
      return 0;
  } else if (strcmp(r->key, "cores_online") == 0) {
    if ((v = sysconf(_SC_NPROCESSORS_ONLN)) <= 0)
      return 0;
    snprintf(buf, len, "%ld", v);
  } else if (strcmp(r->key, "cpu_model") == 0) {
    cpu_model(buf, len);
  } else if (strcmp(r->key, "kernel") == 0) {
    if (uname(&u) != 0)
      return 0;
    snprintf(buf, len, "%s %s %s", u.sysname, u.release, u.machine);
  } else if (strcmp(r->key, "version") == 0) {
    snprintf(buf, len, "%s", GT_VERSION);
  } else {
    return 0;
  }
  return buf[0] != '\0';
}

/* The settings of a session run with o and c, into s. */
void
settings_of(const struct opts *o, const struct settings_ctx *c,
    struct gt_settings *s)
{
  char buf[1024];
  const struct row *r;
  const char *field;
  size_t i;

  gt_settings_clear(s);
  for (i = 0; i < NROWS; i++) {
    r = &rows[i];
    if (r->demo && c->url_shown != NULL)
      continue;  /* --url replaced the demo server: they did nothing */
    field = (const char *)o + r->off;
    switch (r->how) {
    case H_UNSIGNED:
      snprintf(buf, sizeof(buf), "%u", *(const unsigned *)field);
      break;
    case H_U64:
      snprintf(buf, sizeof(buf), "%llu",
          (unsigned long long)*(const uint64_t *)field);
      break;
    case H_FLAG:
      snprintf(buf, sizeof(buf), "%s", *(const int *)field ? "true"
          : "false");
      break;
    default:
      if (!setting_text(r, c, o, buf, sizeof(buf)))
        continue;
    }
    (void)gt_settings_set(s, r->key, buf, r->type);
  }
}

/* A bad setting in the file: the cause names both (its text unescaped,
 * as every cause: say() escapes it).  Returns -1. */
static int __attribute__((format(printf, 4, 5)))
bad(char **cause, const char *path, const char *key, const char *fmt, ...)
{
  va_list ap;
  char *msg;

  va_start(ap, fmt);
  msg = gt_xvasprintf(fmt, ap);
  va_end(ap);
  gt_set_cause(cause, "--like %s: the setting '%s' %s", path, key, msg);
  free(msg);
  return -1;
}

/* A whole number from lo to hi in setting s, into *v; 0 or -1. */
static int
whole(const char *path, const struct gt_setting *s, unsigned long long lo,
    unsigned long long hi, unsigned long long *v, char **cause)
{
  char *end;

  errno = 0;
  *v = strtoull(s->value, &end, 10);
  if (s->type != GT_SET_NUM || s->value[0] < '0' || s->value[0] > '9'
      || *end != '\0' || errno != 0 || *v < lo || *v > hi)
    return bad(cause, path, s->key, "is %s%s%s: expected a whole number "
        "from %llu to %llu", s->type == GT_SET_STR ? "\"" : "", s->value,
        s->type == GT_SET_STR ? "\"" : "", lo, hi);
  return 0;
}

/* true or false in setting s, into *v; 0 or -1. */
static int
flag(const char *path, const struct gt_setting *s, int *v, char **cause)
{
  if (s->type != GT_SET_BOOL)
    return bad(cause, path, s->key, "is %s%s%s: expected true or false",
        s->type == GT_SET_STR ? "\"" : "", s->value,
        s->type == GT_SET_STR ? "\"" : "");
  *v = strcmp(s->value, "true") == 0;
  return 0;
}

/* A string setting that is not empty; 0 or -1. */
static int
text(const char *path, const struct gt_setting *s, char **cause)
{
  if (s->type != GT_SET_STR || s->value[0] == '\0')
    return bad(cause, path, s->key, "is %s: expected a non-empty string",
        s->value);
  return 0;
}

/* Check that every mode in list is one of this gantty's; 0 or -1. */
static int
check_modes(const char *path, const struct gt_setting *s, char **cause)
{
  char *copy = gt_xstrdup(s->value), *save = NULL, *m;
  size_t n = 0;
  int rc = 0;

  for (m = strtok_r(copy, ",", &save); m != NULL && rc == 0;
       m = strtok_r(NULL, ",", &save))
    if (!gt_mode_exists(m) || ++n > GT_SESSION_MAX_MODES)
      rc = bad(cause, path, s->key, "is \"%s\": '%s' is not a mode of this "
          "gantty (or more than %d modes)", s->value, m,
          GT_SESSION_MAX_MODES);
  free(copy);
  if (rc == 0 && n == 0)
    rc = bad(cause, path, s->key, "is \"%s\": no mode", s->value);
  return rc;
}

/* Take one setting s of row r from the file at path into o; 0 or -1.
 * Strings taken are copied for the life of the process (o borrows). */
static int
setting_apply(const char *path, const struct row *r,
    const struct gt_setting *s, struct opts *o, char **cause)
{
  char *field = (char *)o + r->off;
  unsigned long long v, hi;
  struct stat st;
  long online;
  int b = 0;  /* gcc -fsanitize=thread cannot see flag() sets it */

  if (r->how == H_FLAG || strcmp(r->key, "gil") == 0) {
    if (flag(path, s, &b, cause) != 0)
      return -1;
    *(int *)field = b;
    return 0;
  }
  if (r->how == H_UNSIGNED || r->how == H_U64
      || (r->type == GT_SET_NUM && r->off != 0)) {
    hi = r->hi;
    if (r->opt == OPT_CORES)  /* as --cores: at most the CPUs online */
      hi = (online = sysconf(_SC_NPROCESSORS_ONLN)) > 0
          ? (unsigned long long)online : 1;
    if (whole(path, s, r->lo, hi, &v, cause) != 0)
      return -1;
    if (r->how == H_U64)
      *(uint64_t *)field = (uint64_t)v;
    else if (strcmp(r->key, "timeout_ms") == 0)
      o->timeout_ms = (long)v;
    else
      *(unsigned *)field = (unsigned)v;
    return 0;
  }
  if (text(path, s, cause) != 0)
    return -1;
  if (strcmp(r->key, "workload") == 0) {
    if (gt_workload_find(s->value) == NULL)
      return bad(cause, path, s->key, "is \"%s\": no such workload (see "
          "gantty list)", s->value);
    o->workload = gt_xstrdup(s->value);
  } else if (strcmp(r->key, "spec") == 0) {
    /* the path is the file's word: one that names a FIFO or a device
     * would have the spec's reader wait on it for ever (a missing one is
     * said by the reader, naming it) */
    if (stat(s->value, &st) == 0 && !S_ISREG(st.st_mode))
      return bad(cause, path, s->key, "is \"%s\": not a file", s->value);
    o->spec = gt_xstrdup(s->value);
  } else if (strcmp(r->key, "modes") == 0) {
    if (check_modes(path, s, cause) != 0)
      return -1;
    o->modes = gt_xstrdup(s->value);
  } else if (strcmp(r->key, "connections") == 0) {
    if (strcmp(s->value, "fresh") != 0 && strcmp(s->value, "reuse") != 0)
      return bad(cause, path, s->key, "is \"%s\": expected \"reuse\" or "
          "\"fresh\"", s->value);
    o->fresh = strcmp(s->value, "fresh") == 0;
  }
  return 0;
}

/* How deep arrays and objects nest in JSON text (strings skipped), up to
 * past max: yajl's tree is freed by recursion, and a file of a million
 * brackets overflowed the stack.  A summary nests four deep. */
static unsigned
json_depth(const char *p, unsigned max)
{
  unsigned depth = 0, most = 0;
  int in_str = 0;

  for (; *p != '\0' && most <= max; p++) {
    if (in_str) {
      if (*p == '\\' && p[1] != '\0')
        p++;
      else if (*p == '"')
        in_str = 0;
    } else if (*p == '"') {
      in_str = 1;
    } else if (*p == '[' || *p == '{') {
      if (++depth > most)
        most = depth;
    } else if ((*p == ']' || *p == '}') && depth > 0) {
      depth--;
    }
  }
  return most;
}

/* The settings of a summary gantty wrote (its "settings" object), by
 * yajl's tree parser: the file is small.  0, or -1 with *cause. */
static int
load_summary(const char *path, struct gt_settings *out, char **cause)
{
  const char *key[] = { "settings", NULL };
  char err[256], *text_buf, *nl;
  yajl_val top, set, v;
  struct stat st;
  size_t i, n;
  FILE *f;

  f = fopen(path, "rb");
  if (f == NULL || fstat(fileno(f), &st) != 0) {
    gt_set_cause(cause, "--like %s: cannot read: %s", path,
        strerror(errno));
    if (f != NULL)
      fclose(f);
    return -1;
  }
  if (!S_ISREG(st.st_mode) || st.st_size > (off_t)SUMMARY_MAX) {
    gt_set_cause(cause, "--like %s: not a trace or summary gantty wrote "
        "(%s)", path, S_ISREG(st.st_mode) ? "too big for a summary"
        : "not a file");
    fclose(f);
    return -1;
  }
  text_buf = gt_xmalloc((size_t)st.st_size + 1);
  n = fread(text_buf, 1, (size_t)st.st_size, f);
  text_buf[n] = '\0';
  fclose(f);
  if (strlen(text_buf) != n) {
    free(text_buf);
    gt_set_cause(cause, "--like %s: not a trace or summary gantty wrote "
        "(a NUL byte)", path);
    return -1;
  }
  if (json_depth(text_buf, SUMMARY_DEPTH) > SUMMARY_DEPTH) {
    free(text_buf);
    gt_set_cause(cause, "--like %s: not a trace or summary gantty wrote "
        "(nested more than %d deep)", path, SUMMARY_DEPTH);
    return -1;
  }
  top = yajl_tree_parse(text_buf, err, sizeof(err));
  free(text_buf);
  if (top == NULL) {
    if ((nl = strchr(err, '\n')) != NULL)
      *nl = '\0';
    gt_set_cause(cause, "--like %s: not a trace or summary gantty wrote "
        "(not valid JSON: %s)", path, strncmp(err, "parse error: ", 13) == 0
        ? err + 13 : err);
    return -1;
  }
  set = YAJL_IS_OBJECT(top) ? yajl_tree_get(top, key, yajl_t_object) : NULL;
  for (i = 0; set != NULL && i < set->u.object.len; i++) {
    v = set->u.object.values[i];
    if (YAJL_IS_STRING(v))
      (void)gt_settings_set(out, set->u.object.keys[i], v->u.string,
          GT_SET_STR);
    else if (YAJL_IS_NUMBER(v))
      (void)gt_settings_set(out, set->u.object.keys[i], v->u.number.r,
          GT_SET_NUM);
    else if (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v))
      (void)gt_settings_set(out, set->u.object.keys[i],
          YAJL_IS_TRUE(v) ? "true" : "false", GT_SET_BOOL);
  }
  yajl_tree_free(top);
  if (out->n == 0) {
    gt_set_cause(cause, "--like %s: no settings in it: a summary or trace "
        "from another tool, or from a gantty older than --like", path);
    return -1;
  }
  return 0;
}

/* 1 when the file at path starts like a trace: '[' or an object whose
 * first bytes name "traceEvents" (a summary starts {"workload":), or
 * gzip's magic. */
static int
looks_like_trace(const char *path)
{
  char head[4097];
  size_t n;
  FILE *f = fopen(path, "rb");

  if (f == NULL)
    return 0;  /* load_summary says why */
  n = fread(head, 1, sizeof(head) - 1, f);
  fclose(f);
  head[n] = '\0';
  if (n >= 2 && (unsigned char)head[0] == 0x1f
      && (unsigned char)head[1] == 0x8b)
    return 1;  /* gzip: a trace (the importer reads it; no summary is) */
  n = strspn(head, " \t\r\n");
  return head[n] == '[' || strstr(head, "\"traceEvents\"") != NULL;
}

/* Read the settings of path, a trace or summary gantty wrote, into out;
 * 0, or -1 with *cause ("--like PATH: ...") when it has none. */
int
settings_load(const char *path, struct gt_settings *out, char **cause)
{
  struct gt_import_report rep;
  struct gt_recorder *rec;
  struct stat st;
  char *why = NULL;
  int rc = 0;

  gt_settings_clear(out);
  /* a FIFO or a device would hold every open below until a writer came:
   * only a file is read */
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    gt_set_cause(cause, "--like %s: not a trace or summary gantty wrote "
        "(not a file)", path);
    return -1;
  }
  if (!looks_like_trace(path))
    return load_summary(path, out, cause);
  rec = gt_recorder_new();
  if (gt_chrome_import(rec, path, &rep, NULL, NULL, &why) != 0) {
    gt_set_cause(cause, "--like %s", why);
    rc = -1;
  } else if (!rep.gantty) {
    gt_set_cause(cause, "--like %s: a trace from another tool: it has no "
        "gantty settings to re-run (give a trace or --summary gantty "
        "wrote)", path);
    rc = -1;
  } else if (gt_recorder_settings(rec)->n == 0) {
    gt_set_cause(cause, "--like %s: no settings in it: written by a gantty "
        "older than --like", path);
    rc = -1;
  } else {
    gt_settings_copy(out, gt_recorder_settings(rec));
  }
  free(why);
  gt_recorder_free(rec);
  return rc;
}

/* 1 when setting s is there and its text is t. */
static int
same_text(const struct gt_setting *s, const char *t)
{
  return s != NULL && strcmp(s->value, t) == 0;
}

/* Settings that are fine alone and refused together (run_check() says so
 * of the options): when the file gave one of them, say it of the file and
 * the setting.  0 or -1. */
static int
combos(const struct opts *o, const char *path, char **cause)
{
  char m[GT_SESSION_MAX_MODES][GT_MODE_LEN];
  char f[GT_SESSION_MAX_MODES][GT_FOLDER_LEN];
  size_t n;

  if (o->repeat <= 1)
    return 0;
  if (o->together && !(OPT_GIVEN(o, OPT_REPEAT)
      && OPT_GIVEN(o, OPT_TOGETHER)))
    return OPT_GIVEN(o, OPT_REPEAT)
        ? bad(cause, path, "together", "is true, with --repeat %u: "
            "repeats run one after another, so that each is measured "
            "alone; drop --repeat", o->repeat)
        : bad(cause, path, "repeat", "is %u, with together: repeats run "
            "one after another, so that each is measured alone; give "
            "--repeat 1", o->repeat);
  n = gt_session_modes(o->modes, m, f);
  if (n * o->repeat > GT_SESSION_MAX_RUNS && !(OPT_GIVEN(o, OPT_REPEAT)
      && OPT_GIVEN(o, OPT_MODES)))
    return bad(cause, path, OPT_GIVEN(o, OPT_REPEAT) ? "modes" : "repeat",
        "makes %zu modes x %u, more than %d runs in a session", n,
        o->repeat, GT_SESSION_MAX_RUNS);
  return 0;
}

/* Apply the settings s read from path to o where the line did not give
 * them; 0, or -1 with *cause naming the file and the setting. */
int
settings_apply(struct opts *o, const struct gt_settings *s, const char *path,
    const char *word, char **cause)
{
  const struct gt_setting *v;
  const struct row *r;
  size_t i;
  int chosen = word != NULL || o->spec != NULL;

  if (gt_settings_find(s, "workload") == NULL
      && gt_settings_find(s, "spec") == NULL && !chosen)
    return bad(cause, path, "workload", "is missing (nor is there a "
        "spec)");
  for (i = 0; i < NROWS; i++) {
    r = &rows[i];
    v = gt_settings_find(s, r->key);
    if (v == NULL || (r->opt == 0 && strcmp(r->key, "workload") != 0))
      continue;  /* not in the file, or a fact: never applied */
    if ((r->opt != 0 && OPT_GIVEN(o, r->opt))
        || ((strcmp(r->key, "workload") == 0 || r->opt == OPT_SPEC)
        && chosen))
      continue;  /* the line says otherwise */
    if (r->demo && o->url != NULL)
      continue;  /* --url replaces the server these set */
    if (strcmp(r->key, "tasks") == 0 && (o->spec != NULL
        || gt_settings_find(s, "spec") != NULL || (word != NULL
        && !same_text(gt_settings_find(s, "workload"), word))))
      continue;  /* a spec says its tasks; another workload has its own */
    if (setting_apply(path, r, v, o, cause) != 0)
      return -1;
  }
  return combos(o, path, cause);
}

/* --like: o->like's settings applied to o where the line did not give
 * them (word: the workload the line named, or NULL); exit 2 on a bad
 * file. */
void
settings_like(struct opts *o, const char *word)
{
  struct gt_settings s = {0};
  const struct gt_setting *url;
  char *cause = NULL;

  if (settings_load(o->like, &s, &cause) != 0
      || settings_apply(o, &s, o->like, word, &cause) != 0) {
    say("%s", cause);
    exit(EXIT_USAGE);
  }
  url = gt_settings_find(&s, "server");
  if (url != NULL && url->type == GT_SET_STR
      && strcmp(url->value, "embedded") != 0 && o->url == NULL)
    cli_warn("--like %s: it ran against %s; this run uses the embedded "
        "demo server (give --url to ask that server again)", o->like,
        url->value);
  gt_settings_clear(&s);
}
