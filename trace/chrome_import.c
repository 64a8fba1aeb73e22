/*
 * trace/chrome_import.c: Chrome Trace Event JSON into a recorder.
 *
 * The file is read in chunks through yajl's callback (SAX) parser, so its
 * text is never held whole: each event object becomes a small fixed record
 * as its closing brace arrives.  Once the file is read, the records become
 * events:
 *
 *   gantty's own traces (the "gantty" marker is there: an M event of that
 *   name on pid 0, tid 0 with args.t0_ns and args.format): pid - 1 is
 *   the run, tid - 1 the task; an X slice of cat queued / running / waiting
 *   becomes QUEUE / START or RESUME / WAIT with its reason and worker, an
 *   "i" of cat finish becomes FINISH with its status and error, and the
 *   process_name arguments give the runs back, so that export, import and
 *   export give the same file.
 *
 *   other tools' traces: one run per pid with a thread to draw, one task
 *   per tid with slices, in the order of their sort indexes (then of their
 *   ids).  A pid or tid that is not a whole number within 2^53 (Kineto's
 *   "Spans", 1.5, 2^60) is its text.  X slices and B/E pairs are running
 *   time, labelled with their names (nested ones too: the inner name while
 *   it lasts); between them the thread is idle, drawn as queued; its last
 *   slice's end is its FINISH.  An X without dur runs to the end of the
 *   trace.  Names come from process_name and thread_name, else from the
 *   ids ("pid 9 / tid 3"); processes sharing a name get their pids.  Other
 *   phases (instants, counters, async, flows, ...) are counted and skipped.
 *
 *   The top object's "otherData" holds the settings that made a gantty
 *   session (its strings, numbers and booleans; anything else in it is
 *   skipped); they are kept for gantty's own files only.
 *
 * Another tool's file is read as forgivingly as can be: an event that is
 * wrong (a field of the wrong type, a bad time, no ph, an E without its B,
 * nesting past 256 slices) is skipped and counted by cause in struct
 * gt_import_report, the first few with their byte (and line); trailing
 * commas, a BOM, comments and text after the end are passed over; a file
 * cut inside an event, or that stops being JSON, gives every whole event
 * before.  Only a file that is not JSON at all, has no events array or no
 * slice to draw is refused.  gantty's own file is read strictly: whatever
 * another tool's would skip, or one of gantty's own args of a wrong type
 * (type-checked only there), refuses it with its line and byte.
 */
#include "chrome.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "base.h"
#include "input.h"

#define CHUNK      (256u << 10)   /* bytes read and parsed at a time */
#define MAX_KIND   4096           /* JSON nesting a trailing comma can be
                                     passed over in (deeper is read) */
#define MAX_STRING (1u << 20)     /* bytes in one string gantty keeps */
#define MAX_NUMBER (1u << 20)     /* bytes in one number: longer cuts */
#define MAX_RUNS   1000u          /* processes: panels */
#define MAX_TID    (1u << 24)     /* tasks of a run, in gantty's own files */
#define MAX_EXACT  (INT64_C(1) << 53)  /* pids and tids past this are text */
/* A pid or tid that is not a whole number within +-2^53 (a string, a
 * fraction, a huge number) is its text: TEXT_ID plus the text's string id,
 * beyond every number kept as one, so that comparing two is comparing
 * their texts. */
#define TEXT_ID    (INT64_C(1) << 60)
#define NO_ID      UINT32_MAX     /* no string id: the recorder is full */

/* What the file said about one event: kept small, for a file holds
 * millions (40 bytes).  The record's index is its place in the file; its
 * (pid, tid) is one of the thread table's (struct thread_id); the
 * arguments of metadata events are apart (struct meta), and so are
 * gantty's own arguments (struct own), which another tool's events rarely
 * carry. */
struct rec {
  uint64_t ts_ns;       /* from the file's own origin */
  uint64_t dur_ns;
  uint64_t off : 48;    /* the byte just after it in the file (at most
                           2^48 - 1: only said in messages) */
  uint64_t ph : 8;
  uint64_t has : 8;     /* HAS_* bits */
  uint32_t thread;      /* its (pid, tid): an index into p->ids */
  uint32_t name;        /* string ids in the recorder */
  uint32_t cat;
  uint32_t more;        /* "M": its arguments, an index into metas; any
                           other: its own args, an index into owns, or
                           NO_MORE */
};

_Static_assert(sizeof(struct rec) == 40, "a record is 40 bytes");

#define NO_MORE  UINT32_MAX
#define MAX_OFF  ((UINT64_C(1) << 48) - 1)

/* gantty's own arguments of an event (and its format 2 times): read in
 * every file, used in gantty's own; kept apart, for only the events that
 * have one. */
struct own {
  uint32_t reason;      /* args.reason */
  uint32_t error;       /* args.error */
  int32_t  worker;      /* args.worker; -1: none */
  int32_t  status;      /* args.status */
  uint16_t ts_sub, end_sub;  /* gantty's ts_sub_ns / end_sub_ns: the ns
                                past ts and past ts + dur (format 2) */
};

/* The own arguments of an event that has none. */
static const struct own own_none = { .worker = -1 };

/* One (pid, tid) of the file. */
struct thread_id {
  int64_t pid, tid;     /* a number, or TEXT_ID + a string id */
};

/* The arguments of a metadata event. */
struct meta {
  uint32_t arg_name;    /* args.name */
  int64_t  sort_index, workers, tasks, limit;
  int64_t  start_ns, end_ns;  /* args.start_us / end_us, in ns */
  uint64_t t0_ns;       /* args.t0_ns of the "gantty" event */
  uint32_t workload;    /* args.workload of the "gantty" event; 0: none */
  uint32_t traits;      /* args.traits of a process_name: a string id */
  int      has_traits;  /* 1: args.traits was there (even "") */
  int64_t  cores;       /* args.cores of a process_name; 0: not said */
  int64_t  foreign;     /* args.foreign: 1, the run came from another
                           tool's trace (gantty wrote it on a replay) */
  int64_t  others_pm;   /* args.others_pm: other programs' share of the
                           run's CPU, per mille; with has_others */
  int      has_others;
  int      has_t0, has_format;  /* args.t0_ns, args.format were there: with
                                   pid 0, tid 0, the "gantty" marker */
};

enum {
  HAS_TS = 1, HAS_DUR = 2, HAS_START = 4, HAS_END = 8,
};

/* Where a key's value goes. */
enum field {
  F_NONE, F_PH, F_NAME, F_CAT, F_TS, F_DUR, F_PID, F_TID,
  F_A_NAME, F_A_REASON, F_A_ERROR, F_A_TASK, F_A_WORKER, F_A_STATUS,
  F_A_SORT, F_A_WORKERS, F_A_TASKS, F_A_LIMIT, F_A_START, F_A_END, F_A_T0,
  F_A_WORKLOAD, F_A_TRAITS, F_A_CORES, F_A_OTHERS, F_A_FORMAT, F_A_FOREIGN,
  F_TS_SUB, F_END_SUB,  /* gantty's ts_sub_ns, end_sub_ns */
  F_OTHER,      /* a value in the top object's "otherData": a setting */
};

struct parse {
  struct gt_recorder *rec;
  yajl_handle         h;
  int                 depth;      /* of the value being read */
  int                 events_at;  /* depth of the events array; 0: none */
  int                 in_event;   /* depth of the event object; 0: none */
  int                 in_args;    /* depth of its args object */
  int                 skip_at;    /* a value being skipped begins here */
  int                 top_key_events;  /* the top object's key is
                                          traceEvents */
  int                 top_key_other;   /* ... is otherData */
  int                 in_other;   /* depth of the otherData object */
  char                other_key[GT_SETTING_KEY_MAX + 1];  /* its key */
  struct gt_settings  settings;   /* otherData's strings, numbers and
                                     booleans: a gantty file's settings */
  enum field          field;
  struct rec          cur;
  int64_t             cur_pid, cur_tid;  /* its pid and tid */
  struct own          cur_own;    /* its own args */
  struct meta         cur_meta;
  struct rec         *recs;
  size_t              n, cap;
  struct meta        *metas;
  size_t              nmetas;
  struct own         *owns;       /* the records' own args, for those */
  size_t              nowns, owncap;  /* that have some */
  struct thread_id   *ids;        /* the threads, as first seen */
  size_t              nids;
  uint32_t           *idtable;    /* hash of ids: an index, or NO_MORE */
  size_t              idcap;
  size_t              probes;     /* made in idtable */
  uint64_t            count[128]; /* events by phase */
  char                err[256];   /* why a callback stopped the parse */
  uint64_t            base;       /* bytes before the chunk being parsed */
  struct {                        /* strings seen lately, by hash: most */
    uint64_t hash;                /* repeat (names, cats, reasons), and */
    uint32_t len, id;             /* a hit needs no copy and no lock */
  } seen[1024];
  int                 between;    /* 1: between two events of the array */
  struct gt_import_report *rep;   /* skips and notes go here */
  int                 bad;        /* 1 + the cause the event being read is
                                     skipped for; 0: none */
  char                bad_what[112];  /* what was wrong with it */
  int                 keys;       /* keys of the event being read */
  int                 mute;       /* 1: feeding the parser brackets of its
                                     own after a trailing comma */
  unsigned char       kind[MAX_KIND + 1];  /* '{' or '[' at each depth */
  unsigned char       last_text;  /* the last byte not a space fed before
                                     the chunk being parsed */
  uint64_t            err_at;     /* where the JSON went wrong */
  char                own_err[160];  /* the first of gantty's own args of a
                                        wrong type: refuses a gantty file */
  uint64_t            own_err_off;
  uint64_t            open_x;     /* X events without dur */
  uint64_t            open_x_off; /* the first one's end */
  struct guard {                  /* long tokens (guard_scan()) */
    int      state;               /* G_OUT, G_STR, ... */
    unsigned hex, nhex;           /* a \\u escape's digits so far */
    int      high;                /* 1: the last escape was a high
                                     surrogate */
    uint64_t len;                 /* the token's bytes so far (a
                                     string's decoded) */
    int      dropping;            /* 1: bytes are not given to yajl */
    int      drop_str;            /* 1: of a string; 0: of a comment */
    uint64_t len_kept;            /* the string's decoded bytes given */
  } g;
  uint64_t            str_dropped;  /* the string's bytes not given */
  int                 too_long;   /* 1: a number past MAX_NUMBER */
};

/* Count an event skipped for cause, ending at byte off, and keep what was
 * wrong with it when it is one of the first few. */
static void __attribute__((format(printf, 4, 5)))
note(struct gt_import_report *rep, int cause, uint64_t off, const char *fmt,
    ...)
{
  struct gt_import_note *n;
  va_list ap;

  rep->bad[cause]++;
  if (cause == GT_SKIP_EMPTY || rep->nnotes >= GT_IMPORT_NOTES)
    return;  /* an empty {} is said only as a count */
  n = &rep->note[rep->nnotes++];
  n->cause = cause;
  n->byte = off;
  n->line = 0;  /* counted at the end, for the few kept */
  va_start(ap, fmt);
  vsnprintf(n->what, sizeof(n->what), fmt, ap);
  va_end(ap);
}

/* The event being read is skipped for cause (the first one found says
 * why); its value is not read.  Returns 1: the parse goes on. */
static int __attribute__((format(printf, 3, 4)))
bad(struct parse *p, int cause, const char *fmt, ...)
{
  va_list ap;

  if (!p->bad) {
    p->bad = 1 + cause;
    va_start(ap, fmt);
    vsnprintf(p->bad_what, sizeof(p->bad_what), fmt, ap);
    va_end(ap);
  }
  p->field = F_NONE;
  return 1;
}

/* One of gantty's own args of a wrong type: data in another tool's file,
 * so only the first is kept, to refuse the file if it is gantty's own.
 * Returns 1: the parse goes on. */
static int __attribute__((format(printf, 2, 3)))
own_wrong(struct parse *p, const char *fmt, ...)
{
  va_list ap;

  if (p->own_err[0] == '\0') {
    va_start(ap, fmt);
    vsnprintf(p->own_err, sizeof(p->own_err), fmt, ap);
    va_end(ap);
    p->own_err_off = p->base + yajl_get_bytes_consumed(p->h);
  }
  p->field = F_NONE;
  return 1;
}

/* A field of the event itself (ph ... tid), not of its args. */
static int
event_field(enum field f)
{
  return f >= F_PH && f <= F_TID;
}

/* A string id for len bytes at s (a \u0000 already cut), through the cache
 * of strings seen lately ("" is 0).  Returns NO_ID when the recorder holds
 * all the strings it can. */
static uint32_t
intern(struct parse *p, const unsigned char *s, size_t len)
{
  uint64_t h = 1469598103934665603ull;
  size_t i, slot;
  char *copy;
  uint32_t id;

  for (i = 0; i < len; i++)
    h = (h ^ s[i]) * 1099511628211ull;
  slot = (size_t)(h & (sizeof(p->seen) / sizeof(p->seen[0]) - 1));
  if (p->seen[slot].id != 0 && p->seen[slot].hash == h
      && p->seen[slot].len == len
      && memcmp(gt_recorder_string(p->rec, p->seen[slot].id), s, len) == 0)
    return p->seen[slot].id;
  if (gt_recorder_string_count(p->rec) >= GT_RECORDER_MAX_STRINGS - 64)
    return NO_ID;
  copy = gt_xmalloc(len + 1);
  memcpy(copy, s, len);
  copy[len] = '\0';
  id = gt_recorder_intern(p->rec, copy);
  free(copy);
  p->seen[slot].hash = h;
  p->seen[slot].len = (uint32_t)len;
  p->seen[slot].id = id;
  return id;
}

/* A pid or tid given as text (or as a number not kept as one): its
 * identity is the text. */
static int
text_ident(struct parse *p, const unsigned char *s, size_t len)
{
  uint32_t id = intern(p, s, len);

  if (id == NO_ID)
    return bad(p, GT_SKIP_STRING, "more than %u distinct names and "
        "categories", GT_RECORDER_MAX_STRINGS - 64);
  if (p->field == F_PID)
    p->cur_pid = TEXT_ID + id;
  else
    p->cur_tid = TEXT_ID + id;
  p->field = F_NONE;
  return 1;
}

/* A decimal number of microseconds ("99.177", "12", "1.5e3") in ns;
 * -1 when it is negative or not finite. */
static int64_t
us_to_ns(const char *s, size_t len)
{
  char buf[64], *end;
  int64_t whole = 0, frac = 0, scale = 100;
  size_t i = 0;
  double v;

  /* exact: digits, then up to three decimals (more are cut) */
  for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
    if (whole > (INT64_MAX / 1000 - 9) / 10)
      return -1;
    whole = whole * 10 + (s[i] - '0');
  }
  if (i > 0 && i < len && s[i] == '.')
    for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, scale /= 10)
      if (scale > 0)
        frac += (s[i] - '0') * scale;
  if (i > 0 && i == len)
    return whole * 1000 + frac;
  if (len == 0 || len >= sizeof(buf))  /* 1e3, -5: the slow way */
    return -1;
  memcpy(buf, s, len);
  buf[len] = '\0';
  v = strtod(buf, &end);
  if (*end != '\0' || !isfinite(v) || v < 0 || v > 9e15)
    return -1;
  return (int64_t)llround(v * 1000.0);
}

/* A whole number, or INT64_MIN when it is not one. */
static int64_t
whole(const char *s, size_t len)
{
  char buf[32], *end;
  long long v;
  size_t i = len > 0 && s[0] == '-';

  if (len > i && len <= 18) {  /* the common case: a plain integer */
    for (v = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
      v = v * 10 + (s[i] - '0');
    if (i == len)
      return s[0] == '-' ? -v : v;
  }
  if (len == 0 || len >= sizeof(buf))
    return INT64_MIN;
  memcpy(buf, s, len);
  buf[len] = '\0';
  errno = 0;
  v = strtoll(buf, &end, 10);
  if (*end != '\0' || errno != 0) {
    double d = strtod(buf, &end);  /* 3.0 is a whole number too */

    if (*end != '\0' || !isfinite(d) || d != floor(d) || fabs(d) > 9e18)
      return INT64_MIN;
    v = (long long)d;
  }
  return v;
}

/* A value begins at depth+1, an object ('{') or an array ('['): count
 * depth, and keep which, for a trailing comma passed over.  Nesting is not
 * limited: what gantty does not read is skipped, however deep. */
static int
enter(struct parse *p, unsigned char kind)
{
  if (++p->depth <= MAX_KIND)
    p->kind[p->depth] = kind;
  return 1;
}

/* The key of the event object or its args. */
static int
cb_key(void *ctx, const unsigned char *k, size_t len)
{
  struct parse *p = ctx;

#define KEY(s) (len == sizeof(s) - 1 && memcmp(k, s, len) == 0)
  p->field = F_NONE;
  p->str_dropped = 0;  /* a key cut short by guard_scan() is none */
  if (p->skip_at || p->mute)
    return 1;
  if (p->depth == 1 && !p->in_event) {  /* a key of the top object */
    p->top_key_events = KEY("traceEvents");
    p->top_key_other = KEY("otherData");
    if (KEY("systemTraceEvents"))
      p->rep->system = 1;  /* ftrace's text: not read, but said */
    return 1;
  }
  if (p->in_other && p->depth == p->in_other) {
    if (len == 0 || len > GT_SETTING_KEY_MAX
        || memchr(k, '\0', len) != NULL)
      return 1;  /* no setting of gantty's: skipped */
    memcpy(p->other_key, k, len);
    p->other_key[len] = '\0';
    p->field = F_OTHER;
    return 1;
  }
  if (p->in_event && p->depth == p->in_event) {
    p->keys++;
    if (p->in_args == -1)
      p->in_args = 0;  /* "args" held no object */
    if (KEY("ph")) p->field = F_PH;
    else if (KEY("name")) p->field = F_NAME;
    else if (KEY("cat")) p->field = F_CAT;
    else if (KEY("ts")) p->field = F_TS;
    else if (KEY("dur")) p->field = F_DUR;
    else if (KEY("pid")) p->field = F_PID;
    else if (KEY("tid")) p->field = F_TID;
    else if (KEY("ts_sub_ns")) p->field = F_TS_SUB;
    else if (KEY("end_sub_ns")) p->field = F_END_SUB;
    else if (KEY("args")) p->field = F_NONE, p->in_args = -1;
  } else if (p->in_args && p->depth == p->in_args) {
    if (KEY("name")) p->field = F_A_NAME;
    else if (KEY("reason")) p->field = F_A_REASON;
    else if (KEY("error")) p->field = F_A_ERROR;
    else if (KEY("task")) p->field = F_A_TASK;
    else if (KEY("worker")) p->field = F_A_WORKER;
    else if (KEY("status")) p->field = F_A_STATUS;
    else if (KEY("sort_index")) p->field = F_A_SORT;
    else if (KEY("workers")) p->field = F_A_WORKERS;
    else if (KEY("tasks")) p->field = F_A_TASKS;
    else if (KEY("limit")) p->field = F_A_LIMIT;
    else if (KEY("start_us")) p->field = F_A_START;
    else if (KEY("end_us")) p->field = F_A_END;
    else if (KEY("t0_ns")) p->field = F_A_T0;
    else if (KEY("workload")) p->field = F_A_WORKLOAD;
    else if (KEY("traits")) p->field = F_A_TRAITS;
    else if (KEY("cores")) p->field = F_A_CORES;
    else if (KEY("foreign")) p->field = F_A_FOREIGN;
    else if (KEY("others_pm")) p->field = F_A_OTHERS;
    else if (KEY("format")) p->field = F_A_FORMAT;
  }
#undef KEY
  return 1;
}

/* The traits of a run in a gantty file written before runs carried them
 * (no args.traits): such files came from the five modes below, whose
 * traits were already what their ops tables say, so the name is enough.
 * This is the one place outside the scheduler a mode's name decides
 * anything, and only for those files; any other name, and every foreign
 * trace's run, has none. */
static uint32_t
old_traits(const char *mode)
{
  static const struct {
    const char *mode;
    uint32_t    traits;
  } modes[] = {
    { "sync",    GT_MODE_BASELINE },
    { "threads", GT_MODE_WORKERS | GT_MODE_GIL },
    { "async",   GT_MODE_LOOP },
    { "procs",   GT_MODE_WORKERS },
    { "hybrid",  GT_MODE_WORKERS | GT_MODE_LOOP | GT_MODE_LIMIT_PER_WORKER },
  };
  size_t i;

  for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
    if (strcmp(modes[i].mode, mode) == 0)
      return modes[i].traits;
  return 0;
}

/* The name of a field, for messages. */
static const char *
field_name(enum field f)
{
  static const char *const names[] = {
    "", "ph", "name", "cat", "ts", "dur", "pid", "tid", "args.name",
    "args.reason", "args.error", "args.task", "args.worker", "args.status",
    "args.sort_index", "args.workers", "args.tasks", "args.limit",
    "args.start_us", "args.end_us", "args.t0_ns", "args.workload",
    "args.traits", "args.cores", "args.others_pm", "args.format",
    "args.foreign",
    "ts_sub_ns", "end_sub_ns", "otherData",
  };

  return names[f];
}

static int cb_number(void *ctx, const char *s, size_t len);

/* A string value. */
static int
cb_string(void *ctx, const unsigned char *s, size_t len)
{
  struct parse *p = ctx;
  char *copy;
  uint32_t id;
  size_t i, full = len + (size_t)p->str_dropped;  /* as in the file */

  p->str_dropped = 0;
  if (p->skip_at || p->field == F_NONE) {
    p->field = F_NONE;
    return 1;
  }
  if (len > MAX_STRING && p->field == F_OTHER) {
    p->field = F_NONE;  /* no setting of gantty's */
    return 1;
  }
  if (len > MAX_STRING && !event_field(p->field))
    return own_wrong(p, "%s: a string of %zu bytes; at most %u",
        field_name(p->field), full, MAX_STRING);
  if (len > MAX_STRING)
    return bad(p, GT_SKIP_STRING, "%s: a string of %zu bytes; at most %u",
        field_name(p->field), full, MAX_STRING);
  len = strnlen((const char *)s, len);  /* a \u0000 ends it: C strings */
  if (p->field == F_OTHER) {  /* a setting; one too long is skipped */
    if (len <= GT_SETTING_TEXT_MAX) {
      copy = gt_xasprintf("%.*s", (int)len, (const char *)s);
      (void)gt_settings_set(&p->settings, p->other_key, copy, GT_SET_STR);
      free(copy);
    }
    p->field = F_NONE;
    return 1;
  }
  if (p->field == F_PID || p->field == F_TID)
    return text_ident(p, s, len);  /* Kineto's "Spans" */
  if (p->field == F_TS || p->field == F_DUR) {  /* "12.5": read as 12.5 */
    for (i = 0; i < len && strchr("0123456789.eE+-", s[i]) != NULL; i++)
      ;
    if (len > 0 && i == len)
      return cb_number(ctx, (const char *)s, len);
    return bad(p, GT_SKIP_TYPE, "%s must be a number, not a string",
        field_name(p->field));
  }
  if (p->field == F_A_FORMAT) {
    p->cur_meta.has_format = 1;
    p->field = F_NONE;
    return 1;
  }
  if (p->field >= F_A_TASK && p->field <= F_A_T0)
    return own_wrong(p, "%s must be a number, not a string",
        field_name(p->field));
  if (p->field == F_PH) {
    if (len != 1 || s[0] < 32 || s[0] > 126)
      return bad(p, GT_SKIP_TYPE, "ph must be one letter, not \"%.*s\"",
          (int)(len > 20 ? 20 : len), s);
    p->cur.ph = (char)s[0];
    p->field = F_NONE;
    return 1;
  }
  if ((id = intern(p, s, len)) == NO_ID) {
    if (!event_field(p->field))
      return own_wrong(p, "more than %u distinct names and categories",
          GT_RECORDER_MAX_STRINGS - 64);
    return bad(p, GT_SKIP_STRING, "more than %u distinct names and "
        "categories", GT_RECORDER_MAX_STRINGS - 64);
  }
  switch (p->field) {
  case F_NAME:     p->cur.name = id; break;
  case F_CAT:      p->cur.cat = id; break;
  case F_A_NAME:   p->cur_meta.arg_name = id; break;
  case F_A_REASON: p->cur_own.reason = id; break;
  case F_A_ERROR:  p->cur_own.error = id; break;
  case F_A_WORKLOAD: p->cur_meta.workload = id; break;
  case F_A_TRAITS:
    p->cur_meta.traits = id;
    p->cur_meta.has_traits = 1;
    break;
  default:         break;
  }
  p->field = F_NONE;
  return 1;
}

/* A number value, as its text. */
static int
cb_number(void *ctx, const char *s, size_t len)
{
  struct parse *p = ctx;
  struct rec *r = &p->cur;
  int64_t v;

  if (p->skip_at || p->field == F_NONE) {
    p->field = F_NONE;
    return 1;
  }
  if (p->field == F_OTHER) {
    if (len <= 64) {
      char *copy = gt_xasprintf("%.*s", (int)len, s);

      (void)gt_settings_set(&p->settings, p->other_key, copy, GT_SET_NUM);
      free(copy);
    }
    p->field = F_NONE;
    return 1;
  }
  if (p->field == F_TS_SUB || p->field == F_END_SUB) {
    /* gantty's own (format 2), used only in its files: 0 to 999, or
     * ignored */
    v = whole(s, len);
    if (v >= 0 && v <= 999) {
      if (p->field == F_TS_SUB)
        p->cur_own.ts_sub = (uint16_t)v;
      else
        p->cur_own.end_sub = (uint16_t)v;
    }
    p->field = F_NONE;
    return 1;
  }
  if (p->field == F_TS || p->field == F_DUR || p->field == F_A_START
      || p->field == F_A_END) {
    v = us_to_ns(s, len);
    if (v < 0 && event_field(p->field))
      return bad(p, GT_SKIP_TIME, "%s is %.*s: a time must be finite and "
          "not negative", field_name(p->field), (int)(len > 30 ? 30 : len),
          s);
    if (v < 0)
      return own_wrong(p, "%s is %.*s: a time must be finite and not "
          "negative", field_name(p->field), (int)(len > 30 ? 30 : len), s);
    if (p->field == F_TS) r->ts_ns = (uint64_t)v, r->has |= HAS_TS;
    else if (p->field == F_DUR) r->dur_ns = (uint64_t)v, r->has |= HAS_DUR;
    else if (p->field == F_A_START)
      p->cur_meta.start_ns = v, r->has |= HAS_START;
    else
      p->cur_meta.end_ns = v, r->has |= HAS_END;
  } else if (p->field == F_NAME || p->field == F_A_NAME) {
    /* some tools name things by number: keep it as text */
    uint32_t id = intern(p, (const unsigned char *)s, len);

    if (id == NO_ID && p->field == F_NAME)
      return bad(p, GT_SKIP_STRING, "more than %u distinct names and "
          "categories", GT_RECORDER_MAX_STRINGS - 64);
    if (p->field == F_NAME)
      r->name = id;
    else if (id != NO_ID)
      p->cur_meta.arg_name = id;
  } else if (p->field == F_CAT || p->field == F_PH) {
    return bad(p, GT_SKIP_TYPE, "%s must be a string, not a number",
        field_name(p->field));
  } else if (p->field == F_A_REASON || p->field == F_A_ERROR
      || p->field == F_A_WORKLOAD || p->field == F_A_TRAITS) {
    return own_wrong(p, "%s must be a string, not a number",
        field_name(p->field));
  } else if (p->field == F_A_FORMAT) {
    p->cur_meta.has_format = 1;
  } else {
    v = whole(s, len);
    if ((p->field == F_PID || p->field == F_TID)
        && (v == INT64_MIN || v > MAX_EXACT || v < -MAX_EXACT))
      return text_ident(p, (const unsigned char *)s, len);  /* 1.5, 2^60 */
    if (v == INT64_MIN)
      return own_wrong(p, "%s must be a whole number, not %.*s",
          field_name(p->field), (int)(len > 30 ? 30 : len), s);
    switch (p->field) {
    case F_PID:       p->cur_pid = v; break;
    case F_TID:       p->cur_tid = v; break;
    case F_A_TASK:    break;
    case F_A_WORKER:  p->cur_own.worker = (int32_t)v; break;
    case F_A_STATUS:  p->cur_own.status = (int32_t)v; break;
    case F_A_SORT:    p->cur_meta.sort_index = v; break;
    case F_A_WORKERS: p->cur_meta.workers = v; break;
    case F_A_TASKS:   p->cur_meta.tasks = v; break;
    case F_A_LIMIT:   p->cur_meta.limit = v; break;
    case F_A_CORES:   p->cur_meta.cores = v; break;
    case F_A_FOREIGN: p->cur_meta.foreign = v; break;
    case F_A_OTHERS:
      p->cur_meta.others_pm = v;
      p->cur_meta.has_others = 1;
      break;
    case F_A_T0:
      p->cur_meta.t0_ns = (uint64_t)v;
      p->cur_meta.has_t0 = 1;
      break;
    default:          break;
    }
  }
  p->field = F_NONE;
  return 1;
}

/* true or false where gantty reads a value: null is no value (a "dur":
 * null is an X still open); a boolean is the wrong type. */
static int
cb_scalar(struct parse *p, int is_null)
{
  if (p->skip_at || p->field == F_NONE) {
    p->field = F_NONE;
    return 1;
  }
  if (event_field(p->field) && is_null) {
    p->field = F_NONE;
    return 1;
  }
  if (event_field(p->field))
    return bad(p, GT_SKIP_TYPE, "%s has the wrong type",
        field_name(p->field));
  if (p->field == F_A_FORMAT && !is_null)
    p->cur_meta.has_format = 1;
  else
    (void)own_wrong(p, "%s has the wrong type", field_name(p->field));
  p->field = F_NONE;
  return 1;
}

/* null: nothing; in otherData, a setting that is not there. */
static int
cb_null(void *ctx)
{
  struct parse *p = ctx;

  if (!p->skip_at && p->field == F_OTHER)
    p->field = F_NONE;
  return cb_scalar(ctx, 1);
}

/* true or false: in otherData, a setting. */
static int
cb_boolean(void *ctx, int b)
{
  struct parse *p = ctx;

  if (!p->skip_at && p->field == F_OTHER) {
    (void)gt_settings_set(&p->settings, p->other_key, b ? "true" : "false",
        GT_SET_BOOL);
    p->field = F_NONE;
  }
  return cb_scalar(ctx, 0);
}

/* An object or array where gantty reads a value: the event is skipped when
 * the field is its own, and the value in any case. */
static int
wrong_container(struct parse *p, const char *what)
{
  if (event_field(p->field))
    (void)bad(p, GT_SKIP_TYPE, "%s must not be %s", field_name(p->field),
        what);
  else if (p->field == F_A_FORMAT)
    p->cur_meta.has_format = 1;
  else if (p->field != F_NONE)
    (void)own_wrong(p, "%s must not be %s", field_name(p->field), what);
  p->field = F_NONE;
  p->skip_at = p->depth;  /* something gantty does not read */
  return 1;
}

/* An object begins. */
static int
cb_start_map(void *ctx)
{
  struct parse *p = ctx;

  if (p->mute)
    return 1;
  enter(p, '{');
  if (p->skip_at)
    return 1;
  if (p->depth == 1)
    return 1;  /* the top object */
  if (p->depth == 2 && p->top_key_other && !p->in_other) {
    p->in_other = p->depth;  /* "otherData": its keys are settings */
    p->top_key_other = 0;
    return 1;
  }
  if (p->field == F_OTHER)
    p->field = F_NONE;  /* a setting gantty does not write: skipped */
  if (p->events_at && p->depth == p->events_at + 1) {
    memset(&p->cur, 0, sizeof(p->cur));
    memset(&p->cur_meta, 0, sizeof(p->cur_meta));
    p->cur_pid = p->cur_tid = 0;
    p->cur_own = own_none;
    p->cur_meta.sort_index = INT64_MIN;
    p->cur_meta.start_ns = p->cur_meta.end_ns = -1;  /* none */
    p->in_event = p->depth;
    p->between = 0;
    p->bad = 0;
    p->keys = 0;
    return 1;
  }
  if (p->in_event && p->in_args == -1 && p->depth == p->in_event + 1) {
    p->in_args = p->depth;
    return 1;
  }
  return wrong_container(p, "an object");
}

/* A well-mixed hash of (pid, tid): ids are small and dense, so every bit
 * of the result must depend on all of theirs, and it is keyed (gt_hash64)
 * so that a file cannot name threads that all land in one slot.  The pid
 * is hashed on its own first: pid * K + tid would let pairs collide
 * whatever the seed. */
static uint64_t
thread_hash(int64_t pid, int64_t tid)
{
  return gt_hash64(gt_hash64((uint64_t)pid) ^ (uint64_t)tid);
}

/* The free slot, or the slot of (pid, tid), in a table of cap slots. */
static size_t
id_slot(struct parse *p, const uint32_t *table, size_t cap, int64_t pid,
    int64_t tid)
{
  size_t slot;

  for (slot = (size_t)(thread_hash(pid, tid) & (cap - 1));
      table[slot] != NO_MORE; slot = (slot + 1) & (cap - 1)) {
    p->probes++;
    if (p->ids[table[slot]].pid == pid && p->ids[table[slot]].tid == tid)
      break;
  }
  return slot;
}

/* The thread table's index of (pid, tid), added if new; the last event's
 * thread is looked at first, as files often give a thread's events in a
 * row. */
static uint32_t
thread_index(struct parse *p, int64_t pid, int64_t tid)
{
  size_t slot, i;

  if (p->n > 0 && p->ids[p->recs[p->n - 1].thread].pid == pid
      && p->ids[p->recs[p->n - 1].thread].tid == tid)
    return p->recs[p->n - 1].thread;
  if ((p->nids + 1) * 2 > p->idcap) {  /* grow, and hash again */
    size_t cap = p->idcap ? p->idcap * 2 : 64;
    uint32_t *t = gt_xmalloc(cap * sizeof(*t));

    for (i = 0; i < cap; i++)
      t[i] = NO_MORE;
    for (i = 0; i < p->nids; i++)
      t[id_slot(p, t, cap, p->ids[i].pid, p->ids[i].tid)] = (uint32_t)i;
    free(p->idtable);
    p->idtable = t;
    p->idcap = cap;
    p->ids = gt_xrealloc(p->ids, (cap / 2) * sizeof(*p->ids));
  }
  slot = id_slot(p, p->idtable, p->idcap, pid, tid);
  if (p->idtable[slot] == NO_MORE) {
    p->ids[p->nids].pid = pid;
    p->ids[p->nids].tid = tid;
    p->idtable[slot] = (uint32_t)p->nids++;
  }
  return p->idtable[slot];
}

/* Keep the event just read, or count it as skipped. */
static int
keep_event(struct parse *p)
{
  struct rec *r = &p->cur;
  uint64_t off = p->base + yajl_get_bytes_consumed(p->h);

  if (p->bad) {
    note(p->rep, p->bad - 1, off, "%s", p->bad_what);
    return 1;
  }
  if (r->ph == 0 && p->keys == 0) {
    note(p->rep, GT_SKIP_EMPTY, off, "an empty event");
    return 1;
  }
  if (r->ph == 0) {
    note(p->rep, GT_SKIP_NO_PH, off, "an event without \"ph\"");
    return 1;
  }
  if (strchr("XBEiI", (int)r->ph) != NULL && !(r->has & HAS_TS)) {
    note(p->rep, GT_SKIP_NO_TS, off, "an event of phase \"%c\" without "
        "\"ts\"", (char)r->ph);
    return 1;
  }
  if (r->ph == 'X' && !(r->has & HAS_DUR) && p->open_x++ == 0)
    p->open_x_off = off;  /* drawn to the end of the trace */
  p->count[r->ph & 127]++;
  if (strchr("XBEiIM", (int)r->ph) == NULL)
    return 1;  /* counted, skipped */
  if (r->ph == 'M') {
    p->metas = gt_xrealloc(p->metas, (p->nmetas + 1) * sizeof(*p->metas));
    p->metas[p->nmetas] = p->cur_meta;
    r->more = (uint32_t)p->nmetas++;
  } else if (memcmp(&p->cur_own, &own_none, sizeof(own_none)) != 0) {
    if (p->nowns == p->owncap) {
      p->owncap = p->owncap ? p->owncap * 2 : 1024;
      p->owns = gt_xrealloc(p->owns, p->owncap * sizeof(*p->owns));
    }
    p->owns[p->nowns] = p->cur_own;
    r->more = (uint32_t)p->nowns++;
  } else {
    r->more = NO_MORE;
  }
  r->thread = thread_index(p, p->cur_pid, p->cur_tid);
  if (p->n == p->cap) {
    p->cap = p->cap ? p->cap * 2 : 4096;
    p->recs = gt_xrealloc(p->recs, p->cap * sizeof(*p->recs));
  }
  r->off = off < MAX_OFF ? off : MAX_OFF;
  p->recs[p->n++] = *r;
  return 1;
}

/* An object ends. */
static int
cb_end_map(void *ctx)
{
  struct parse *p = ctx;
  int ok = 1;

  if (p->skip_at == p->depth)
    p->skip_at = 0;
  else if (!p->skip_at && p->in_other == p->depth)
    p->in_other = 0;
  else if (!p->skip_at && p->in_args == p->depth)
    p->in_args = 0;
  else if (!p->skip_at && p->in_event == p->depth) {
    ok = keep_event(p);
    p->in_event = 0;
    p->in_args = 0;
    p->between = 1;
  }
  p->depth--;
  p->field = F_NONE;
  return ok;
}

/* A later "traceEvents" array replaces an earlier one (JSON.parse and
 * Python keep a key's last value): what the first held is dropped. */
static void
drop_events(struct parse *p)
{
  struct gt_import_report *rep = p->rep;

  rep->dropped += p->n;
  p->n = 0;
  p->nmetas = 0;
  p->nowns = 0;
  memset(p->count, 0, sizeof(p->count));
  memset(rep->bad, 0, sizeof(rep->bad));
  rep->nnotes = 0;
  p->own_err[0] = '\0';
  p->open_x = 0;
}

/* An array begins. */
static int
cb_start_array(void *ctx)
{
  struct parse *p = ctx;

  if (p->mute)
    return 1;
  enter(p, '[');
  if (p->skip_at)
    return 1;
  if ((p->depth == 1 && p->events_at == 0)
      || (p->depth == 2 && p->top_key_events)) {
    if (p->events_at != 0)
      drop_events(p);
    p->events_at = p->depth;
    p->top_key_events = 0;
    p->between = 1;
    return 1;
  }
  if (p->field == F_OTHER)
    p->field = F_NONE;  /* a setting gantty does not write: skipped */
  if (p->in_args == -1)
    p->in_args = 0;
  return wrong_container(p, "an array");
}

/* An array ends. */
static int
cb_end_array(void *ctx)
{
  struct parse *p = ctx;

  if (p->skip_at == p->depth)
    p->skip_at = 0;
  else if (!p->skip_at && p->events_at == p->depth)
    p->between = 0;  /* closed properly */
  p->depth--;
  return 1;
}

static const yajl_callbacks callbacks = {
  .yajl_null = cb_null,
  .yajl_boolean = cb_boolean,
  .yajl_number = cb_number,
  .yajl_string = cb_string,
  .yajl_start_map = cb_start_map,
  .yajl_map_key = cb_key,
  .yajl_end_map = cb_end_map,
  .yajl_start_array = cb_start_array,
  .yajl_end_array = cb_end_array,
};

/* Parse n bytes at buf, the file's bytes from off on: a UTF-8 byte-order
 * mark at the start is skipped, and a trailing comma (",]" or ",}", which
 * yajl refuses) is passed over: a new parser is given the brackets open
 * there, with the callbacks muted, and goes on from the closing one.
 * Returns yajl's status; on an error p->err_at is the byte it is at. */
static yajl_status
feed(struct parse *p, const unsigned char *buf, size_t n, uint64_t off)
{
  size_t at = 0, used, k;
  yajl_status st;
  unsigned char prev, close;
  int d;

  if (off == 0 && n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
    at = 3;
  for (;;) {
    p->base = off + at;
    st = yajl_parse(p->h, buf + at, n - at);
    used = at + yajl_get_bytes_consumed(p->h);
    if (st != yajl_status_error)
      break;
    p->err_at = off + used;
    /* the token refused is a ']' or '}' closing what is open here, after
     * a comma */
    if (used <= at || p->depth < 1 || p->depth > MAX_KIND)
      return st;  /* (a token refused is always consumed: used > at) */
    close = buf[used - 1];
    if (!((close == ']' && p->kind[p->depth] == '[')
        || (close == '}' && p->kind[p->depth] == '{')))
      return st;
    for (k = used - 1; k > 0 && memchr(" \t\r\n", buf[k - 1], 4) != NULL; k--)
      ;
    prev = k > 0 ? buf[k - 1] : p->last_text;
    if (prev != ',')
      return st;
    yajl_free(p->h);
    p->h = yajl_alloc(&callbacks, NULL, p);
    yajl_config(p->h, yajl_allow_partial_values, 1);
    yajl_config(p->h, yajl_allow_comments, 1);
    yajl_config(p->h, yajl_allow_trailing_garbage, 1);
    p->mute = 1;
    st = yajl_status_ok;
    for (d = 1; d <= p->depth && st != yajl_status_error; d++) {
      int inner = d == p->depth;
      const char *open = p->kind[d] == '[' ? "[" : inner ? "{" : "{\"\":";

      st = yajl_parse(p->h, (const unsigned char *)open, strlen(open));
    }
    p->mute = 0;
    if (st == yajl_status_error)
      return st;  /* cannot happen: the brackets are well formed */
    p->rep->commas++;
    at = used - 1;  /* from the closing bracket on */
  }
  for (k = n; k > at && memchr(" \t\r\n", buf[k - 1], 4) != NULL; k--)
    ;
  if (k > at)
    p->last_text = buf[k - 1];
  return st;
}

/* ---- Long tokens ---- */

/* yajl keeps a token that spans chunks (a string, a key, a number, a
 * comment) whole and lexes it again from its start with every chunk: a
 * token of n bytes costs time in n * n / CHUNK and memory in n, and a
 * small gzip file of one long string took hours.  Nothing past MAX_STRING
 * bytes of a string is used (a longer one is skipped or ignored, by its
 * length alone), so guard_scan() follows the text's tokens and keeps the
 * bytes of a string past that (or of a comment past that) from yajl,
 * counting a string's decoded bytes, so that what yajl sees of it is still
 * too long and its message says its length.  A number past MAX_NUMBER
 * bytes cuts the file there. */
enum { G_OUT, G_STR, G_ESC, G_HEX, G_SLASH, G_LINE, G_BLOCK, G_STAR,
  G_NUM };

/* The bytes guard_scan() stops at: 1 in a string ('"', '\\', a control
 * character), 2 between tokens ('"', '/', '-', a digit); 4: of a number
 * (a digit, '.', 'e', 'E', '+', '-'). */
static const unsigned char guard_stop[256] = {
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 6, 4, 2,
  6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
  0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Scan buf[0, n): *keep bytes are given to yajl, then *skip bytes are
 * not (0: none up to n).  Returns 1 when a number is too long: the file
 * is cut after the *keep bytes. */
static int
guard_scan(struct guard *g, const unsigned char *buf, size_t n, size_t *keep,
    size_t *skip)
{
  /* the state in locals: buf's bytes may alias *g, so the compiler would
   * reload every field of it after each byte read */
  struct guard l = *g;
  size_t i, from = 0;
  unsigned char c;
  int stop = 0;

  for (i = 0; i < n; i++) {
    if (l.state == G_STR && !l.dropping) {  /* a run of plain bytes */
      size_t j = i, room = l.len < MAX_STRING ? MAX_STRING - (size_t)l.len
          : 0;

      size_t end = n - i < room ? n : i + room;

      while (j < end && !(guard_stop[buf[j]] & 1))
        j++;
      if (j > i) {
        l.len += j - i;
        l.high = 0;
        i = j;
        if (i == n)
          break;
      }
    } else if (l.state == G_NUM) {  /* its digits */
      while (i < n && (guard_stop[buf[i]] & 4) && l.len < MAX_NUMBER)
        i++, l.len++;
      if (i == n)
        break;
    } else if (l.state == G_OUT) {  /* spaces and punctuation */
      while (i < n && !(guard_stop[buf[i]] & 2))
        i++;
      if (i == n)
        break;
    }
    c = buf[i];
    switch (l.state) {
    case G_OUT:
      l.len = 0;
      if (c == '"')
        l.state = G_STR, l.high = 0;
      else if (c == '/')
        l.state = G_SLASH;
      else if (c == '-' || (c >= '0' && c <= '9'))
        l.state = G_NUM, l.len = 1;
      break;
    case G_NUM:
      if ((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E'
          || c == '+' || c == '-') {
        if (++l.len > MAX_NUMBER) {
          stop = 1;
          goto done;
        }
      } else {
        l.state = G_OUT;
        i--;  /* this byte begins what comes next */
      }
      break;
    case G_STR:
      if (c == '"' || c < 0x20) {  /* its end, or what yajl must refuse */
        if (l.dropping)  /* kept from here: scanned again */
          goto done;
        l.state = G_OUT;
        break;
      }
      if (c == '\\') {
        l.state = G_ESC;
        break;
      }
      if (!l.dropping && l.len > MAX_STRING && (c & 0xc0) != 0x80) {
        l.dropping = 1;  /* at a whole character */
        l.drop_str = 1;
        l.len_kept = l.len;
        from = i;
      }
      l.len++;
      l.high = 0;
      break;
    case G_ESC:
      if (c == 'u') {
        l.state = G_HEX;
        l.hex = l.nhex = 0;
        break;
      }
      l.state = G_STR;
      l.len++;
      l.high = 0;
      break;
    case G_HEX:
      l.hex = l.hex << 4 | (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a'
          + 10);
      if (++l.nhex < 4)
        break;
      l.state = G_STR;
      if (l.hex >= 0xdc00 && l.hex < 0xe000 && l.high) {
        l.len += 1;  /* with the high one before: four bytes */
        l.high = 0;
        break;
      }
      l.high = l.hex >= 0xd800 && l.hex < 0xdc00;
      l.len += l.hex < 0x80 ? 1 : l.hex < 0x800 ? 2 : 3;
      break;
    case G_SLASH:
      l.state = c == '/' ? G_LINE : c == '*' ? G_BLOCK : G_OUT;
      break;
    case G_LINE:   /* kept from its '\n' on */
    case G_BLOCK:  /* kept from a '*' on */
    case G_STAR:   /* kept from its '/' on: the '*' before is kept */
      if ((l.state == G_LINE && c == '\n') || (l.state == G_BLOCK
          && c == '*') || (l.state == G_STAR && c == '/')) {
        if (l.dropping)  /* kept from here: scanned again */
          goto done;
        l.state = c == '*' ? G_STAR : G_OUT;
        break;
      }
      if (l.state == G_STAR && c != '*')
        l.state = G_BLOCK;
      if (!l.dropping && ++l.len > MAX_STRING) {
        l.dropping = 1;
        l.drop_str = 0;
        from = i;
      }
      break;
    }
  }
done:
  if (stop) {
    *keep = i;
    *skip = 0;
  } else if (l.dropping) {  /* to i: the end, or where the text is kept */
    if (i < n)
      l.dropping = 0;
    *keep = from;
    *skip = i - from;
  } else {
    *keep = n;
    *skip = 0;
  }
  *g = l;
  return stop;
}

/* Parse n bytes at buf, the file's bytes from off on, through feed(),
 * without the long tokens' bytes guard_scan() keeps from yajl. */
static yajl_status
feed_guarded(struct parse *p, const unsigned char *buf, size_t n,
    uint64_t off)
{
  size_t at = 0, keep, skip;
  yajl_status st = yajl_status_ok;
  int stop;

  while (at < n) {
    stop = guard_scan(&p->g, buf + at, n - at, &keep, &skip);
    if (keep > 0 && (st = feed(p, buf + at, keep, off + at))
        != yajl_status_ok)
      return st;
    if (stop) {
      p->too_long = 1;
      p->err_at = off + at + keep;
      return yajl_status_error;
    }
    if (p->g.drop_str && skip > 0)  /* decoded, as yajl would have */
      p->str_dropped = p->g.len - p->g.len_kept;
    at += keep + skip;
  }
  return st;
}

/* ---- From records to events ---- */

/* One (pid, tid) of the file: a task of a run. */
struct thread {
  int64_t  pid, tid;
  int64_t  sort_index;
  uint32_t name;
  size_t   first, n;      /* its records, in recs_by_thread order */
  uint32_t task;
};

/* One pid: a run. */
struct process {
  int64_t  pid;
  int64_t  sort_index;
  uint32_t name;
  struct meta *info;      /* its process_name arguments, for gantty's */
  uint64_t info_off;      /* the byte after that process_name event */
  uint16_t run;
  uint32_t ntasks;
  uint64_t first_ns, last_ns;
  int      skip;          /* 1: not drawn (metadata only, or past the
                             1000th) */
};

struct build {
  struct parse   *p;
  struct gt_recorder *rec;
  struct process *procs;
  size_t          nprocs;
  size_t         *ptable;  /* pid -> index in procs, SIZE_MAX: none */
  size_t          pcap;
  struct thread  *threads;
  size_t          nthreads;
  uint32_t       *order;  /* record indexes grouped by thread, by time */
  struct {                /* each thread's (of p->ids) first time and */
    uint64_t first, last; /* last end, of events other than "M" */
  } *span;
  int             ours;   /* a gantty trace */
  uint32_t        cat_queued, cat_running, cat_waiting, cat_finish;
  uint32_t        cat_ready;  /* a wait for no core or a busy loop */
  uint32_t        reason_id[GT_R_COUNT];  /* the names' string ids */
  uint64_t        t0;     /* added to every time */
  struct gt_import_report *rep;
  uint64_t        err_off;  /* the byte offset of the event an error is
                               about; UINT64_MAX: none (a whole-file one) */
  uint64_t        first;  /* another tool's first time: its origin */
};

/* The "gantty" marker of gantty's own file: an M event of that name on pid
 * 0, tid 0, with args.t0_ns and args.format (an M event of another tool
 * named "gantty" is not enough). */
static int
is_marker(const struct parse *p, const struct rec *r)
{
  const struct meta *m;

  if (r->ph != 'M' || p->ids[r->thread].pid != 0
      || p->ids[r->thread].tid != 0
      || strcmp(gt_recorder_string(p->rec, r->name), "gantty") != 0)
    return 0;
  m = &p->metas[r->more];
  return m->has_t0 && m->has_format;
}

/* A pid's or tid's text: its number, or the string it was. */
static const char *
ident(const struct build *b, int64_t v, char *buf, size_t size)
{
  if (v >= TEXT_ID)
    return gt_recorder_string(b->rec, (uint32_t)(v - TEXT_ID));
  snprintf(buf, size, "%lld", (long long)v);
  return buf;
}

/* Another tool's times: an event whose end is past the clock's range is
 * skipped (counted and said); the first time is the origin (b->first);
 * an X without dur ends at the last instant of the trace. */
static void
foreign_times(struct build *b)
{
  struct parse *p = b->p;
  size_t i, n = 0;
  uint64_t first = UINT64_MAX, end = 0;

  for (i = 0; i < p->n; i++) {
    struct rec *r = &p->recs[i];

    if (r->ph != 'M') {
      if (r->ts_ns + r->dur_ns > (uint64_t)INT64_MAX) {
        note(b->rep, GT_SKIP_TIME, r->off, "ts plus dur is beyond the "
            "clock's range (%llu ns from the origin at most)",
            (unsigned long long)INT64_MAX);
        continue;
      }
      if (r->ts_ns < first)
        first = r->ts_ns;
      if (r->ts_ns + r->dur_ns > end)
        end = r->ts_ns + r->dur_ns;
    }
    if (n != i)
      p->recs[n] = *r;
    n++;
  }
  p->n = n;
  b->first = first == UINT64_MAX ? 0 : first;
  if (p->open_x == 0)
    return;
  for (i = 0; i < p->n; i++)
    if (p->recs[i].ph == 'X' && !(p->recs[i].has & HAS_DUR)) {
      p->recs[i].dur_ns = end - p->recs[i].ts_ns;  /* open when it stopped */
      b->rep->unfinished++;
    }
}

/* Which of another tool's processes are drawn, and their names: a process
 * with no thread to draw (only metadata or counters) is none, nor one past
 * the 1000th; one without a name is named after its pid ("pid 9", or the
 * text a pid was), and processes that share a name get their pids after it
 * ("python (pid 9)").  A thread without a name is named "pid 9 / tid 3"
 * (or after its text: "PyTorch Profiler"). */
static void
choose_runs(struct build *b)
{
  size_t i, j, kept = 0;
  char buf[64], buf2[64];
  unsigned char dup[MAX_RUNS] = { 0 };
  size_t drawn[MAX_RUNS];
  struct process *pr;

  for (i = 0; i < b->nprocs; i++) {
    pr = &b->procs[i];
    if (pr->ntasks == 0) {
      pr->skip = 1;
      continue;
    }
    if (kept == MAX_RUNS) {
      pr->skip = 1;
      b->rep->runs_dropped++;
      continue;
    }
    kept++;
    if (pr->name == 0) {
      char *n = pr->pid >= TEXT_ID ? gt_xstrdup(ident(b, pr->pid, buf,
          sizeof(buf))) : gt_xasprintf("pid %lld", (long long)pr->pid);

      pr->name = gt_recorder_intern(b->rec, n);
      free(n);
    }
  }
  /* the drawn ones (1000 at most) compared pairwise, not all of them */
  for (i = 0, j = 0; i < b->nprocs; i++)
    if (!b->procs[i].skip)
      drawn[j++] = i;
  for (i = 0; i < kept; i++)
    for (j = i + 1; j < kept; j++)
      if (b->procs[drawn[j]].name == b->procs[drawn[i]].name)
        dup[i] = dup[j] = 1;
  for (i = 0; i < kept; i++)
    if (dup[i]) {
      char *n;

      pr = &b->procs[drawn[i]];
      n = gt_xasprintf("%s (pid %s)", gt_recorder_string(b->rec, pr->name),
          ident(b, pr->pid, buf, sizeof(buf)));
      pr->name = gt_recorder_intern(b->rec, n);
      free(n);
    }
  for (j = 0; j < b->nthreads; j++) {
    struct thread *t = &b->threads[j];
    char *n;

    if (t->name != 0)
      continue;
    if (t->tid >= TEXT_ID)
      n = gt_xstrdup(ident(b, t->tid, buf, sizeof(buf)));
    else if (t->pid >= TEXT_ID)
      n = gt_xasprintf("%s / tid %lld", ident(b, t->pid, buf, sizeof(buf)),
          (long long)t->tid);
    else
      n = gt_xasprintf("pid %s / tid %s", ident(b, t->pid, buf,
          sizeof(buf)), ident(b, t->tid, buf2, sizeof(buf2)));
    t->name = gt_recorder_intern(b->rec, n);
    free(n);
  }
}

/* Fail the build with a message about the event ending at byte off of the
 * file (UINT64_MAX: about no one event), which the caller turns into a line
 * and a byte.  Returns GT_EPARSE. */
static int __attribute__((format(printf, 4, 5)))
build_fail(struct build *b, uint64_t off, char **cause, const char *fmt,
    ...)
{
  va_list ap;
  char *msg;

  va_start(ap, fmt);
  msg = gt_xvasprintf(fmt, ap);
  va_end(ap);
  b->err_off = off;  /* the build stops at its first error */
  gt_set_cause(cause, "%s", msg);
  free(msg);
  return GT_EPARSE;
}

/* A record's place in a thread being sorted: its time, then its index
 * (file order, for equal times: B before E as written). */
struct key {
  uint64_t ts_ns;
  uint32_t i;
};

static int
cmp_key(const void *a, const void *b)
{
  const struct key *x = a, *y = b;

  if (x->ts_ns != y->ts_ns)
    return x->ts_ns < y->ts_ns ? -1 : 1;
  return x->i < y->i ? -1 : x->i > y->i;
}

static const struct thread_id *group_ctx;

/* Threads by (pid, tid). */
static int
cmp_group(const void *a, const void *b)
{
  const struct thread_id *x = &group_ctx[*(const uint32_t *)a];
  const struct thread_id *y = &group_ctx[*(const uint32_t *)b];

  if (x->pid != y->pid)
    return x->pid < y->pid ? -1 : 1;
  return x->tid < y->tid ? -1 : x->tid > y->tid;
}

/* Sort a thread's records o[0 .. n-1] (indexes, in file order) by time,
 * then index, by insertion, when that moves each record a few places
 * only: a tool that writes each slice as it completes writes children
 * before their parents, each parent a few places late.  Returns 1 when
 * sorted, 0 when it gave up (o is then still a permutation of what it
 * was, to be sorted another way). */
static int
nearly_sorted(const struct parse *p, uint32_t *o, size_t n)
{
  size_t i, j, moves = 0, limit = 8 * n + 64;

  for (i = 1; i < n; i++) {
    uint32_t v = o[i];
    uint64_t ts = p->recs[v].ts_ns;

    for (j = i; j > 0 && p->recs[o[j - 1]].ts_ns > ts; j--) {
      o[j] = o[j - 1];
      if (++moves > limit) {
        o[j - 1] = v;
        return 0;
      }
    }
    o[j] = v;
  }
  return 1;
}

/* Probes the thread table made on the last import: a test's window on it
 * (a flood shows as probes far above the records). */
size_t gt_import_group_probes;

/* Put the records' indexes in b->order grouped by thread (pid, tid
 * ascending), each group in time order: a counting pass over the threads
 * the parse numbered keeps file order inside a group, and a group is
 * sorted only when its times go backwards (a tool's own output is usually
 * in order), by a copy of its times, so that the sort reads memory in
 * order.  Each thread's first time and last end (of events other than
 * "M") are kept in b->span. */
static void
group_records(struct build *b)
{
  struct parse *p = b->p;
  size_t ng = p->nids, i, g, at;
  struct group {
    size_t   count, start, fill;
    int      sorted;
    uint64_t last;
  } *grp = gt_xcalloc(ng ? ng : 1, sizeof(*grp));
  uint32_t *rank = gt_xmalloc((ng ? ng : 1) * sizeof(*rank));
  struct key *keys = NULL;
  size_t nkeys = 0;

  gt_import_group_probes = p->probes;
  b->span = gt_xmalloc((ng ? ng : 1) * sizeof(*b->span));
  for (g = 0; g < ng; g++) {
    grp[g].sorted = 1;
    b->span[g].first = UINT64_MAX;
    b->span[g].last = 0;
  }
  for (i = 0; i < p->n; i++) {
    const struct rec *r = &p->recs[i];
    struct group *gr = &grp[r->thread];

    gr->count++;
    if (r->ts_ns < gr->last)
      gr->sorted = 0;
    gr->last = r->ts_ns;
    if (r->ph != 'M') {
      if (r->ts_ns < b->span[r->thread].first)
        b->span[r->thread].first = r->ts_ns;
      if (r->ts_ns + r->dur_ns > b->span[r->thread].last)
        b->span[r->thread].last = r->ts_ns + r->dur_ns;
    }
  }
  /* groups in (pid, tid) order, then each one's records in file order */
  for (g = 0; g < ng; g++)
    rank[g] = (uint32_t)g;
  group_ctx = p->ids;
  if (ng > 1)
    qsort(rank, ng, sizeof(*rank), cmp_group);
  group_ctx = NULL;
  for (at = 0, g = 0; g < ng; g++) {
    grp[rank[g]].start = grp[rank[g]].fill = at;
    at += grp[rank[g]].count;
  }
  b->order = gt_xmalloc((p->n ? p->n : 1) * sizeof(*b->order));
  for (i = 0; i < p->n; i++)
    b->order[grp[p->recs[i].thread].fill++] = (uint32_t)i;
  for (g = 0; g < ng; g++) {
    uint32_t *o = b->order + grp[g].start;

    if (grp[g].sorted || nearly_sorted(p, o, grp[g].count))
      continue;
    if (grp[g].count > nkeys) {
      nkeys = grp[g].count;
      free(keys);
      keys = gt_xmalloc(nkeys * sizeof(*keys));
    }
    for (i = 0; i < grp[g].count; i++) {
      keys[i].ts_ns = p->recs[o[i]].ts_ns;
      keys[i].i = o[i];
    }
    qsort(keys, grp[g].count, sizeof(*keys), cmp_key);
    for (i = 0; i < grp[g].count; i++)
      o[i] = keys[i].i;
  }
  free(keys);
  free(rank);
  free(grp);
}

/* By sort index (none last), then id. */
static int
cmp_proc(const void *a, const void *b)
{
  const struct process *x = a, *y = b;

  if (x->sort_index != y->sort_index)
    return x->sort_index < y->sort_index ? -1 : 1;
  return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static int
cmp_thread(const void *a, const void *b)
{
  const struct thread *x = a, *y = b;

  if (x->pid != y->pid)
    return x->pid < y->pid ? -1 : 1;
  if (x->sort_index != y->sort_index)
    return x->sort_index < y->sort_index ? -1 : 1;
  return x->tid < y->tid ? -1 : x->tid > y->tid;
}

/* The slot of pid in the pid table: its own, or the empty one it would
 * take. */
static size_t
proc_slot(const struct build *b, int64_t pid)
{
  uint64_t h = gt_hash64((uint64_t)pid);  /* keyed: see thread_hash */
  size_t slot;

  for (slot = (size_t)h & (b->pcap - 1);
      b->ptable[slot] != SIZE_MAX && b->procs[b->ptable[slot]].pid != pid;
      slot = (slot + 1) & (b->pcap - 1))
    ;
  return slot;
}

/* The pid table again, cap slots, for the processes as they are now. */
static void
proc_rehash(struct build *b, size_t cap)
{
  size_t i;

  free(b->ptable);
  b->pcap = cap;
  b->ptable = gt_xmalloc(cap * sizeof(*b->ptable));
  for (i = 0; i < cap; i++)
    b->ptable[i] = SIZE_MAX;
  for (i = 0; i < b->nprocs; i++)
    b->ptable[proc_slot(b, b->procs[i].pid)] = i;
}

/* The process of pid, or NULL when no record named it: every lookup after
 * the process pass goes through here, so a pid that pass did not take is an
 * error and never an index. */
static struct process *
proc_find(const struct build *b, int64_t pid)
{
  size_t slot = proc_slot(b, pid);

  return b->ptable[slot] != SIZE_MAX ? &b->procs[b->ptable[slot]] : NULL;
}

/* The process entry of pid (made if new). */
static struct process *
proc_of(struct build *b, int64_t pid)
{
  size_t slot = proc_slot(b, pid);

  if (b->ptable[slot] != SIZE_MAX)
    return &b->procs[b->ptable[slot]];
  if ((b->nprocs + 1) * 2 > b->pcap) {
    proc_rehash(b, b->pcap * 2);
    slot = proc_slot(b, pid);
  }
  b->procs = gt_xrealloc(b->procs, (b->nprocs + 1) * sizeof(*b->procs));
  memset(&b->procs[b->nprocs], 0, sizeof(*b->procs));
  b->procs[b->nprocs].pid = pid;
  b->procs[b->nprocs].sort_index = INT64_MAX;
  b->ptable[slot] = b->nprocs;
  return &b->procs[b->nprocs++];
}

/* Append one event. */
static void
put(struct build *b, uint16_t run, uint32_t task, uint64_t ts, int kind,
    int reason, uint32_t label, int32_t worker, int32_t status)
{
  struct gt_event ev = {
    .ts_ns = b->t0 + ts, .task = task, .label = label, .worker = worker,
    .status = status, .run = run, .kind = (uint8_t)kind,
    .reason = (uint8_t)reason,
  };

  gt_recorder_append(b->rec, &ev);
}

/* A record's own args (none for "M"). */
static const struct own *
own_of(const struct parse *p, const struct rec *r)
{
  return r->ph != 'M' && r->more != NO_MORE ? &p->owns[r->more] : &own_none;
}

/* The reason of a gantty "waiting" or "ready" slice (lock, or for ready
 * no core, when it names none this build knows). */
static int
reason_of(const struct build *b, const struct rec *r)
{
  int reason;

  uint32_t id = own_of(b->p, r)->reason;

  for (reason = GT_R_NET; reason < GT_R_COUNT
      && b->reason_id[reason] != id; reason++)
    ;
  if (reason < GT_R_COUNT)
    return reason;
  return r->cat == b->cat_ready ? GT_R_CORE : GT_R_LOCK;
}

/* A gantty record's exact start and end in ns: its microseconds plus the
 * ns past them (format 2; 0 in format 1, whose times have three
 * decimals). */
static uint64_t
start_of(const struct parse *p, const struct rec *r)
{
  return r->ts_ns + own_of(p, r)->ts_sub;
}

static uint64_t
end_of(const struct parse *p, const struct rec *r)
{
  return r->ts_ns + r->dur_ns + own_of(p, r)->end_sub;
}

/* A gantty thread: its state slices and its finish back into events.  A
 * state slice is an X, or (format 2) an "i" of a state's cat where the
 * state began and ended inside one microsecond. */
static void
thread_ours(struct build *b, const struct thread *t, uint16_t run)
{
  const struct rec *r;
  int started = 0;
  size_t i;

  const struct rec *last = NULL;
  int finished = 0;

  /* the name first, at the first time: a queued slice may have had no
   * length, and the lane takes its name from its QUEUE */
  for (i = 0; i < t->n; i++) {
    r = &b->p->recs[b->order[t->first + i]];
    if (r->ph != 'M') {
      if (t->name != 0)
        put(b, run, t->task, start_of(b->p, r), GT_EV_QUEUE, GT_R_NONE,
            t->name, -1, 0);
      break;
    }
  }
  for (i = 0; i < t->n; i++) {
    int state;

    r = &b->p->recs[b->order[t->first + i]];
    state = r->ph == 'X' || (r->ph == 'i' && (r->cat == b->cat_queued
        || r->cat == b->cat_running || r->cat == b->cat_waiting
        || r->cat == b->cat_ready));
    if (state)
      last = r;
    if (state && r->cat == b->cat_queued) {
      put(b, run, t->task, start_of(b->p, r), GT_EV_QUEUE, GT_R_NONE,
          r->name, -1, 0);
    } else if (state && r->cat == b->cat_running) {
      put(b, run, t->task, start_of(b->p, r),
          started ? GT_EV_RESUME : GT_EV_START, GT_R_NONE, r->name,
          own_of(b->p, r)->worker, 0);
      started = 1;
    } else if (state && (r->cat == b->cat_waiting
        || r->cat == b->cat_ready)) {
      put(b, run, t->task, start_of(b->p, r), GT_EV_WAIT, reason_of(b, r),
          r->name, own_of(b->p, r)->worker, 0);
      started = 1;
    } else if (r->ph == 'i' && r->cat == b->cat_finish) {
      put(b, run, t->task, start_of(b->p, r), GT_EV_FINISH, GT_R_NONE,
          own_of(b->p, r)->status != 0 ? own_of(b->p, r)->error : 0, -1,
          own_of(b->p, r)->status);
      finished = 1;
    } else if (r->ph != 'M') {
      b->rep->skipped++;
    }
  }
  /* An unfinished task's last slice ran to the end of the session (the
   * time of its last event): put an event back where the slice ends, in
   * the slice's own state, so the task is still queued, running or waiting
   * there.  (Only the task whose change was the session's very last event
   * is read wrong: that change had no length, so it is not in the file.) */
  if (!finished && last != NULL) {
    uint64_t end = end_of(b->p, last);

    if (last->cat == b->cat_queued)
      put(b, run, t->task, end, GT_EV_QUEUE, GT_R_NONE, last->name, -1, 0);
    else if (last->cat == b->cat_waiting || last->cat == b->cat_ready)
      put(b, run, t->task, end, GT_EV_WAIT, reason_of(b, last), last->name,
          own_of(b->p, last)->worker, 0);
    else
      put(b, run, t->task, end, GT_EV_RESUME, GT_R_NONE, last->name,
          own_of(b->p, last)->worker, 0);
  }
}

/* Another tool's thread: slices are running time, gaps are idle.
 *
 * The events go out in the order they mean, since the timeline orders
 * equal times by arrival (trace/timeline.h): where a slice ends at the
 * same instant as its parent, the parent's RESUME comes before the idle
 * QUEUE that follows it, so the thread is idle after, and a zero-length
 * slice is a START then a QUEUE at one instant, no running time.  Slices
 * that open at one instant nest by length, the longer outside, whatever
 * order the file wrote them in. */
static int
thread_foreign(struct build *b, const struct thread *t, uint16_t run,
    char **cause)
{
  enum { MAX_STACK = 256 };
  uint64_t end_at[MAX_STACK];   /* X: its end; B: UINT64_MAX until its E */
  uint64_t start_at[MAX_STACK];
  uint32_t label[MAX_STACK];
  const struct rec *r;
  size_t i, top = 0, pos;
  uint64_t now, end, last = 0;
  int started = 0;
  size_t deep = 0;        /* B events skipped for depth, not yet ended */
  int open_x = 0;         /* 1: an X without dur: open when it stopped */
  char buf[64], buf2[64];
  int32_t worker = t->tid >= TEXT_ID ? -1 : (int32_t)t->tid;

  (void)cause;  /* what is wrong is skipped, counted and said */
  /* close every X slice that ended by time t, innermost first */
#define CLOSE_UNTIL(until) \
  while (top > 0 && end_at[top - 1] != UINT64_MAX \
      && end_at[top - 1] <= (until)) { \
    now = end_at[--top] > last ? end_at[top] : last; \
    if (top > 0) \
      put(b, run, t->task, now, GT_EV_RESUME, GT_R_NONE, label[top - 1], \
          worker, 0); \
    else \
      put(b, run, t->task, now, GT_EV_QUEUE, GT_R_NONE, t->name, -1, 0); \
    last = now; \
  }

  for (i = 0; i < t->n; i++)  /* idle from its first slice on */
    if (strchr("XBE", b->p->recs[b->order[t->first + i]].ph) != NULL) {
      put(b, run, t->task, b->p->recs[b->order[t->first + i]].ts_ns,
          GT_EV_QUEUE, GT_R_NONE, t->name, -1, 0);
      break;
    }
  for (i = 0; i < t->n; i++) {
    r = &b->p->recs[b->order[t->first + i]];
    if (r->ph != 'X' && r->ph != 'B' && r->ph != 'E') {
      b->rep->skipped += r->ph != 'M';  /* names are read; instants not */
      continue;
    }
    CLOSE_UNTIL(r->ts_ns);
    if (r->ph == 'E') {
      /* the innermost open B ends (X slices inside it end first) */
      while (top > 0 && end_at[top - 1] != UINT64_MAX)
        top--;
      if (deep > 0) {  /* the E of a B too deep to draw */
        deep--;
        continue;
      }
      if (top == 0) {  /* its B was before the trace began: skipped */
        note(b->rep, GT_SKIP_NO_B, r->off, "an \"E\" event of pid %s, tid "
            "%s has no \"B\" before it", ident(b, t->pid, buf, sizeof(buf)),
            ident(b, t->tid, buf2, sizeof(buf2)));
        continue;
      }
      top--;
      if (top > 0)
        put(b, run, t->task, r->ts_ns, GT_EV_RESUME, GT_R_NONE,
            label[top - 1], worker, 0);
      else
        put(b, run, t->task, r->ts_ns, GT_EV_QUEUE, GT_R_NONE, t->name, -1,
            0);
      if (r->ts_ns > last)
        last = r->ts_ns;
      continue;
    }
    if (top == MAX_STACK) {  /* too deep to draw: skipped */
      note(b->rep, GT_SKIP_DEEP, r->off, "slices nested deeper than %d on "
          "pid %s, tid %s", MAX_STACK, ident(b, t->pid, buf, sizeof(buf)),
          ident(b, t->tid, buf2, sizeof(buf2)));
      deep += r->ph == 'B';
      continue;
    }
    /* A slice opened at this instant and shorter than this one (an X
     * ending before it) was written first but is its child: this one goes
     * beneath it, and the innermost slice, the one running, is the same. */
    end = r->ph == 'X' ? r->ts_ns + r->dur_ns : UINT64_MAX;
    for (pos = top; pos > 0 && start_at[pos - 1] == r->ts_ns
        && end_at[pos - 1] != UINT64_MAX && end_at[pos - 1] < end; pos--)
      ;
    memmove(end_at + pos + 1, end_at + pos, (top - pos) * sizeof(*end_at));
    memmove(start_at + pos + 1, start_at + pos,
        (top - pos) * sizeof(*start_at));
    memmove(label + pos + 1, label + pos, (top - pos) * sizeof(*label));
    end_at[pos] = end;
    start_at[pos] = r->ts_ns;
    label[pos] = r->name;
    open_x |= r->ph == 'X' && !(r->has & HAS_DUR);
    if (pos == top++) {
      put(b, run, t->task, r->ts_ns, started ? GT_EV_RESUME : GT_EV_START,
          GT_R_NONE, r->name, worker, 0);
      started = 1;
    }
    if (r->ts_ns > last)
      last = r->ts_ns;
  }
  CLOSE_UNTIL(UINT64_MAX - 1);
  if (top > 0)
    b->rep->unclosed += top;  /* B without E: runs to the end */
  /* a thread with a slice still open when the trace stopped (a B without
   * its E, an X without dur) did not end: no FINISH, as catapult shows
   * it unfinished */
  if (started && top == 0 && !open_x)
    put(b, run, t->task, last, GT_EV_FINISH, GT_R_NONE, 0, -1, 0);
#undef CLOSE_UNTIL
  return 0;
}

/* Group the records by thread, find the runs, and append the events. */
static int
build(struct parse *p, struct gt_import_report *rep, uint64_t *err_off,
    char **cause)
{
  struct build b = { .p = p, .rec = p->rec, .rep = rep,
      .err_off = UINT64_MAX };
  struct process *pr;
  struct gt_run_info info;
  size_t i, j, k;
  uint64_t t0 = UINT64_MAX;
  uint32_t workload = 0;
  uint64_t marker_off = 0;
  int rc = 0;

  for (i = 0; i < p->n; i++)
    if (is_marker(p, &p->recs[i]))
      b.ours = 1, t0 = p->metas[p->recs[i].more].t0_ns,
      workload = p->metas[p->recs[i].more].workload,
      marker_off = p->recs[i].off;
  /* gantty's own file is read strictly: what another tool's would skip
   * refuses it */
  if (b.ours) {
    uint64_t first = UINT64_MAX;
    const char *what = NULL;

    if (rep->nnotes > 0)
      first = rep->note[0].byte, what = rep->note[0].what;
    if (p->own_err[0] != '\0' && p->own_err_off < first)
      first = p->own_err_off, what = p->own_err;
    if (p->open_x > 0 && p->open_x_off < first)
      first = p->open_x_off, what = "an \"X\" event without \"dur\"";
    if (what != NULL) {
      rc = build_fail(&b, first, cause, "%s", what);
      goto out;
    }
  } else {
    foreign_times(&b);
  }
  if (b.ours && workload != 0)
    gt_recorder_set_workload(p->rec, gt_recorder_string(p->rec, workload));
  if (b.ours)  /* another tool's otherData is not gantty's settings */
    gt_recorder_set_settings(p->rec, &p->settings);
  proc_rehash(&b, 64);
  b.cat_queued = gt_recorder_intern(p->rec, "queued");
  b.cat_running = gt_recorder_intern(p->rec, "running");
  b.cat_waiting = gt_recorder_intern(p->rec, "waiting");
  b.cat_ready = gt_recorder_intern(p->rec, "ready");
  b.cat_finish = gt_recorder_intern(p->rec, "finish");
  for (i = GT_R_NET; i < GT_R_COUNT; i++)
    b.reason_id[i] = gt_recorder_intern(p->rec, gt_reason_name((int)i));
  /* gantty's clock: later times are added to it, and must stay in range */
  if (b.ours && t0 > (uint64_t)INT64_MAX) {
    rc = build_fail(&b, marker_off, cause, "args.t0_ns of the \"gantty\" "
        "event is %llu, beyond the clock's range", (unsigned long long)t0);
    goto out;
  }
  /* processes and their names: every record but the "gantty" marker names
   * one, so each thread's pid and each record's is found later */
  for (i = 0, pr = NULL; i < p->n; i++) {
    struct rec *r = &p->recs[i];
    const char *what = r->ph == 'M' ? gt_recorder_string(p->rec, r->name)
        : "";
    int64_t pid = p->ids[r->thread].pid;

    if (b.ours && is_marker(p, r))
      continue;  /* the session's marker, not a process */
    if (b.ours && (pid < 1 || pid > (int64_t)MAX_RUNS)) {
      rc = build_fail(&b, r->off, cause, "pid %lld in a gantty trace: runs "
          "are numbered 1 to %u", (long long)pid, MAX_RUNS);
      goto out;
    }
    if (b.ours && r->ph != 'M'
        && r->ts_ns + r->dur_ns > (uint64_t)INT64_MAX - t0) {
      rc = build_fail(&b, r->off, cause, "ts plus dur is beyond the clock's "
          "range (%llu ns from the origin at most)",
          (unsigned long long)((uint64_t)INT64_MAX - t0));
      goto out;
    }
    if (pr == NULL || pr->pid != pid)  /* most are the last one's */
      pr = proc_of(&b, pid);
    if (strcmp(what, "process_name") == 0) {
      pr->name = p->metas[r->more].arg_name;
      pr->info = &p->metas[r->more];
      pr->info_off = r->off;
    } else if (strcmp(what, "process_sort_index") == 0
        && p->metas[r->more].sort_index != INT64_MIN) {
      pr->sort_index = p->metas[r->more].sort_index;
    }
  }
  if (b.nprocs > 0)
    qsort(b.procs, b.nprocs, sizeof(*b.procs), cmp_proc);
  proc_rehash(&b, b.pcap);  /* the indexes moved */
  /* threads: the records of each, in time order */
  group_records(&b);
  for (i = 0; i < p->n; i = j) {
    const struct rec *r = &p->recs[b.order[i]];
    const struct thread_id *id = &p->ids[r->thread];
    struct thread *t;

    for (j = i; j < p->n && p->recs[b.order[j]].thread == r->thread; j++)
      ;
    if (b.ours && id->tid == 0)
      continue;  /* a process's own metadata */
    for (k = i; k < j; k++) {  /* a thread has slices (or, in gantty's
                                  own file, a name) */
      const struct rec *m = &p->recs[b.order[k]];

      if ((m->ph == 'X' || m->ph == 'B' || (b.ours && m->ph == 'E'))
          || (b.ours && m->ph == 'M' && strcmp(gt_recorder_string(p->rec,
              m->name), "thread_name") == 0))
        break;
    }
    if (k == j) {  /* a process's metadata or counters: not a lane */
      for (k = i; k < j; k++) {
        const struct rec *m = &p->recs[b.order[k]];
        char buf[64], buf2[64];

        if (m->ph == 'E')  /* no B on its thread at all */
          note(rep, GT_SKIP_NO_B, m->off, "an \"E\" event of pid %s, tid "
              "%s has no \"B\" before it", ident(&b, id->pid, buf,
              sizeof(buf)), ident(&b, id->tid, buf2, sizeof(buf2)));
        else
          rep->skipped += m->ph != 'M';
      }
      continue;
    }
    b.threads = gt_xrealloc(b.threads, (b.nthreads + 1) * sizeof(*b.threads));
    t = &b.threads[b.nthreads++];
    memset(t, 0, sizeof(*t));
    t->pid = id->pid;
    t->tid = id->tid;
    t->sort_index = INT64_MAX;
    t->first = i;
    t->n = j - i;
    for (k = i; k < j; k++) {
      const struct rec *m = &p->recs[b.order[k]];
      const char *what;

      if (m->ph != 'M')
        continue;  /* names only of metadata: looked up for those */
      what = gt_recorder_string(p->rec, m->name);
      if (strcmp(what, "thread_name") == 0)
        t->name = p->metas[m->more].arg_name;
      else if (strcmp(what, "thread_sort_index") == 0
          && p->metas[m->more].sort_index != INT64_MIN)
        t->sort_index = p->metas[m->more].sort_index;
    }
  }
  if (b.nthreads > 0)
    qsort(b.threads, b.nthreads, sizeof(*b.threads), cmp_thread);
  /* gantty numbers a run's tasks 1.. as its tids: a tid far beyond is not
   * a task of a run it wrote */
  for (j = 0; b.ours && j < b.nthreads; j++)
    if (b.threads[j].tid < 1 || b.threads[j].tid > (int64_t)MAX_TID) {
      rc = build_fail(&b, p->recs[b.order[b.threads[j].first]].off, cause,
          "tid %lld in a gantty trace: tasks are numbered 1 to %u",
          (long long)b.threads[j].tid, MAX_TID);
      goto out;
    }
  /* the session's origin: gantty's own, or the first time in the file */
  if (!b.ours) {
    t0 = b.first;
    b.t0 = gt_now_ns();  /* a foreign file's times start now */
    for (i = 0; i < p->n; i++)
      p->recs[i].ts_ns -= p->recs[i].ph != 'M' ? t0 : 0;
    gt_recorder_set_t0(p->rec, b.t0);
  } else {
    b.t0 = t0;
    gt_recorder_set_t0(p->rec, t0);
  }
  /* each thread a task of its process's run, in order */
  for (j = 0; j < b.nthreads; j++) {
    pr = proc_find(&b, b.threads[j].pid);
    if (pr == NULL) {
      rc = build_fail(&b, p->recs[b.order[b.threads[j].first]].off, cause,
          "pid %lld names no process", (long long)b.threads[j].pid);
      goto out;
    }
    b.threads[j].task = b.ours ? (uint32_t)(b.threads[j].tid - 1)
        : pr->ntasks;
    pr->ntasks++;
  }
  if (!b.ours)
    choose_runs(&b);
  /* runs, in order */
  for (i = 0; i < b.nprocs; i++) {
    pr = &b.procs[i];
    if (pr->skip)
      continue;
    rep->runs++;
    memset(&info, 0, sizeof(info));
    if (pr->name != 0) {
      info.name = pr->name;
    } else {
      char *n = gt_xasprintf("pid %lld", (long long)pr->pid);

      info.name = gt_recorder_intern(p->rec, n);
      free(n);
    }
    if (b.ours && pr->info != NULL && (pr->info->workers < 0
        || pr->info->workers > INT32_MAX || pr->info->tasks < 0
        || pr->info->tasks > UINT32_MAX || pr->info->limit < 0
        || pr->info->limit > UINT32_MAX || pr->info->cores < 0
        || pr->info->cores > UINT32_MAX || pr->info->others_pm < 0
        || pr->info->others_pm > 1000
        || pr->info->foreign < 0 || pr->info->foreign > 1
        || pr->info->start_ns > (int64_t)((uint64_t)INT64_MAX - t0)
        || pr->info->end_ns > (int64_t)((uint64_t)INT64_MAX - t0))) {
      rc = build_fail(&b, pr->info_off, cause, "pid %lld: args.workers, "
          "tasks, limit and cores must be whole numbers from 0 to %u, "
          "others_pm from 0 to 1000, foreign 0 or 1, and start_us and "
          "end_us within the clock's range", (long long)pr->pid, UINT32_MAX);
      goto out;
    }
    if (b.ours && pr->info != NULL) {
      info.workers = (int32_t)pr->info->workers;
      info.tasks = (uint32_t)pr->info->tasks;
      info.limit = (uint32_t)pr->info->limit;
      info.cores = (uint32_t)pr->info->cores;
      if (pr->info->has_others) {
        info.others_pm = (uint32_t)pr->info->others_pm;
        info.flags |= GT_RUN_CONTENTION;
      }
      info.traits = pr->info->has_traits
          ? gt_mode_traits_parse(gt_recorder_string(p->rec, pr->info->traits))
          : old_traits(gt_recorder_string(p->rec, info.name));
    } else {
      info.workers = (int32_t)pr->ntasks;
      info.tasks = pr->ntasks;
    }
    /* another tool's run (or one gantty wrote from it): no ideal, no
     * verdict by traits, its words */
    if (!b.ours || (pr->info != NULL && pr->info->foreign == 1))
      info.flags |= GT_RUN_FOREIGN;
    pr->run = gt_recorder_run_add(p->rec, &info);
    if (b.ours && pr->info != NULL) {
      if (pr->info->start_ns >= 0)
        gt_recorder_run_start(p->rec, pr->run,
            t0 + (uint64_t)pr->info->start_ns);
      if (pr->info->end_ns >= 0)
        gt_recorder_run_end(p->rec, pr->run, t0 + (uint64_t)pr->info->end_ns);
    }
  }
  for (j = 0; j < b.nthreads && rc == 0; j++) {
    const struct thread *t = &b.threads[j];
    uint16_t run;

    pr = proc_find(&b, t->pid);  /* found above */
    if (pr->skip) {  /* past the 1000th process */
      char buf[64];

      note(rep, GT_SKIP_PROCESS, p->recs[b.order[t->first]].off, "pid %s: "
          "more than %u processes to draw", ident(&b, t->pid, buf,
          sizeof(buf)), MAX_RUNS);
      rep->bad[GT_SKIP_PROCESS] += t->n - 1;
      continue;
    }
    run = pr->run;
    rep->tasks++;
    if (b.ours)
      thread_ours(&b, t, run);
    else
      rc = thread_foreign(&b, t, run, cause);
  }
  /* a foreign run starts at its first event and ends at its last */
  if (!b.ours && rc == 0) {
    for (i = 0; i < b.nprocs; i++) {
      b.procs[i].first_ns = UINT64_MAX;
      b.procs[i].last_ns = 0;
    }
    for (j = 0; j < p->nids; j++) {  /* each thread's span, found by
                                        group_records() */
      if (b.span[j].first == UINT64_MAX
          || (pr = proc_find(&b, p->ids[j].pid)) == NULL || pr->skip)
        continue;
      if (b.span[j].first - t0 < pr->first_ns)
        pr->first_ns = b.span[j].first - t0;
      if (b.span[j].last - t0 > pr->last_ns)
        pr->last_ns = b.span[j].last - t0;
    }
    for (i = 0; i < b.nprocs; i++)
      if (b.procs[i].first_ns != UINT64_MAX) {
        gt_recorder_run_start(p->rec, b.procs[i].run,
            b.t0 + b.procs[i].first_ns);
        gt_recorder_run_end(p->rec, b.procs[i].run,
            b.t0 + b.procs[i].last_ns);
      }
  }
  rep->gantty = b.ours;
out:
  *err_off = b.err_off;
  free(b.order);
  free(b.span);
  free(b.threads);
  free(b.procs);
  free(b.ptable);
  return rc;
}

/* The line of byte offset off of the text of f: counted only for a
 * message, so that reading pays nothing for it. */
static uint64_t
line_of(struct gt_input *f, uint64_t off)
{
  return gt_input_line(f, off);
}

/* Import path into rec. */
int
gt_chrome_import(struct gt_recorder *rec, const char *path,
    struct gt_import_report *rep,
    int (*progress)(uint64_t done, uint64_t total, void *arg), void *arg,
    char **cause)
{
  struct parse p = { .rec = rec };
  struct gt_import_report dummy;
  uint64_t off = 0, at;
  char *why = NULL;
  unsigned char *buf = NULL;
  yajl_status st = yajl_status_ok;
  uint64_t total = 0;
  size_t n = 0;
  ssize_t got;
  struct gt_input *f;
  int rc = 0, i;

  if (rep == NULL)
    rep = &dummy;
  memset(rep, 0, sizeof(*rep));
  p.rep = rep;
  rc = gt_input_open(&f, path, cause);  /* plain or gzip (input.h) */
  if (rc != 0)  /* missing, no permission: not a parse */
    return rc;
  total = gt_input_size(f);
  p.h = yajl_alloc(&callbacks, NULL, &p);
  yajl_config(p.h, yajl_allow_partial_values, 1);
  yajl_config(p.h, yajl_allow_comments, 1);
  yajl_config(p.h, yajl_allow_trailing_garbage, 1);
  buf = gt_xmalloc(CHUNK);
  for (;;) {
    got = gt_input_read(f, buf, CHUNK, cause);
    if (got < 0) {  /* a folder (EISDIR), a corrupt gzip stream */
      rc = (int)got;
      goto out;
    }
    if (got == 0)
      break;
    n = (size_t)got;
    st = feed_guarded(&p, buf, n, off);  /* BOM, trailing commas: feed();
                                            long tokens: guard_scan() */
    if (st != yajl_status_ok)
      break;
    off += n;
    if (progress != NULL  /* the file's bytes: compressed ones for gzip */
        && progress(gt_input_consumed(f), total, arg) != 0) {
      gt_set_cause(cause, "%s: the reading was stopped", path);
      rc = -ECANCELED;  /* its caller no longer wants it */
      goto out;
    }
  }
  if (st == yajl_status_ok) {
    st = yajl_complete_parse(p.h);
    p.err_at = off;
  }
  if (st != yajl_status_ok && p.too_long) {
    off += n;
    rep->cut = 1;
    rep->cut_byte = p.err_at;
    snprintf(rep->cut_why, sizeof(rep->cut_why), "a number of more than %u "
        "bytes", MAX_NUMBER);
  } else if (st != yajl_status_ok) {
    unsigned char *e = yajl_get_error(p.h, 0, NULL, 0);
    char *msg = (char *)e, *nl;

    /* yajl says "parse error: ..." and more lines: keep the first */
    if (strncmp(msg, "parse error: ", 13) == 0)
      msg += 13;
    if ((nl = strchr(msg, '\n')) != NULL)
      *nl = '\0';
    /* what came before is read, as for a file cut there; a file with no
     * event read before is not a trace */
    off += n;  /* the chunk it stopped in was read too */
    rep->cut = 1;
    rep->cut_byte = p.err_at;
    snprintf(rep->cut_why, sizeof(rep->cut_why), "not valid JSON: %s", msg);
    yajl_free_error(p.h, e);
  } else if (p.events_at == 0) {  /* the end of the file */
    gt_set_cause(cause, "%s: byte %llu%s: no trace events: expected a JSON "
        "array of events, or an object with \"traceEvents\"", path,
        (unsigned long long)off, gt_input_of(f));
    rc = GT_EPARSE;
    goto out;
  } else if (p.depth > 0 && p.in_other) {
    gt_settings_clear(&p.settings);  /* cut inside: not all of them */
    rep->truncated = 1;
  } else if (p.depth > 0 && p.in_event) {
    rep->cut = 1;  /* the events before are read */
    rep->cut_byte = off;
    snprintf(rep->cut_why, sizeof(rep->cut_why), "the file ends inside an "
        "event");
  } else if (p.depth > 0) {
    rep->truncated = 1;  /* the closing brackets are missing: read anyway */
  }
  rep->gzip = gt_input_gzip(f);
  rep->gzip_cut = gt_input_cut(f);
  rep->gzip_cut_at = gt_input_cut_at(f);
  if (rep->cut)
    rep->cut_line = line_of(f, rep->cut_byte);
  if (rep->cut && p.n == 0) {  /* nothing before the cut */
    gt_set_cause(cause, "%s: line %llu, byte %llu%s: %s", path,
        (unsigned long long)rep->cut_line,
        (unsigned long long)rep->cut_byte, gt_input_of(f), rep->cut_why);
    rc = GT_EPARSE;
    goto out;
  }
  for (i = 0; i < 128; i++)
    rep->by_phase[i] = p.count[i];
  rep->bytes = off;
  rep->events = p.n;
  rc = build(&p, rep, &at, cause != NULL && *cause == NULL ? &why : NULL);
  for (i = 0; i < (int)rep->nnotes; i++)  /* the lines of the few said */
    rep->note[i].line = line_of(f, rep->note[i].byte);
  if (rc == 0 && !rep->gantty && rep->tasks == 0) {  /* nothing to draw */
    rc = GT_EPARSE;
    if (rep->cut)
      gt_set_cause(cause, "%s: line %llu, byte %llu%s: %s", path,
          (unsigned long long)rep->cut_line,
          (unsigned long long)rep->cut_byte, gt_input_of(f), rep->cut_why);
    else if (rep->nnotes > 0)  /* why the events were skipped */
      gt_set_cause(cause, "%s: line %llu, byte %llu%s: %s; no trace events "
          "to draw", path, (unsigned long long)rep->note[0].line,
          (unsigned long long)rep->note[0].byte, gt_input_of(f),
          rep->note[0].what);
    else
      gt_set_cause(cause, "%s: byte %llu%s: no trace events to draw: no "
          "\"X\", \"B\" or \"E\" slice on any thread", path,
          (unsigned long long)off, gt_input_of(f));
  }
  if (rc != 0 && why != NULL) {
    /* the event's line and byte, as for a parse error */
    if (at != UINT64_MAX)
      gt_set_cause(cause, "%s: line %llu, byte %llu%s: %s", path,
          (unsigned long long)line_of(f, at), (unsigned long long)at,
          gt_input_of(f), why);
    else
      gt_set_cause(cause, "%s: %s", path, why);
    free(why);
  }
out:
  if (rc == 0)
    for (i = 0; i < 128; i++)
      if (strchr("XBEiIM", i) == NULL || i == 0)
        rep->skipped += p.count[i];
  yajl_free(p.h);
  gt_input_close(f);
  free(buf);
  free(p.recs);
  free(p.metas);
  free(p.owns);
  free(p.ids);
  free(p.idtable);
  gt_settings_clear(&p.settings);
  return rc;
}

/* A few words for a cause of enum gt_import_skip. */
const char *
gt_import_skip_name(int cause)
{
  static const char *const names[GT_SKIP_COUNT] = {
    [GT_SKIP_EMPTY] = "empty ({})",
    [GT_SKIP_NO_PH] = "without \"ph\"",
    [GT_SKIP_NO_TS] = "without \"ts\"",
    [GT_SKIP_TYPE] = "with a field of the wrong type",
    [GT_SKIP_TIME] = "with a time out of range",
    [GT_SKIP_STRING] = "with a name too long",
    [GT_SKIP_NO_B] = "\"E\" without its \"B\"",
    [GT_SKIP_DEEP] = "nested deeper than 256",
    [GT_SKIP_PROCESS] = "of processes past the 1000th",
  };

  return cause >= 0 && cause < GT_SKIP_COUNT ? names[cause] : "?";
}
