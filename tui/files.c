/*
 * tui/files.c: the files a command reads and writes: its outputs checked
 * before anything runs (each can be made, no two name one file, none lies
 * in a mode's folder), the trace replay and convert read, and what a
 * session leaves: the report, the summary and the traces.
 */
#define _GNU_SOURCE
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base.h"
#include "chrome.h"
#include "export.h"
#include "lanes.h"
#include "recorder.h"
#include "report.h"
#include "session.h"
#include "timeline.h"

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
 * and its repeats' OUT/MODE-2 ..., --repeat's too) is absent or a real
 * folder (not a file, not a link), and no --trace or --summary of
 * files[n] lies inside one of them (a trace would replace a task's
 * file). */
static void
check_mode_dirs(const struct opts *o, const char *const *files,
    const char *const *opt, size_t n)
{
  char mode[GT_SESSION_MAX_RUNS][GT_MODE_LEN];
  char folder[GT_SESSION_MAX_RUNS][GT_FOLDER_LEN];
  char *out_real = realpath(o->out_dir, NULL), *p, *in, *dir, *real;
  size_t nm = gt_session_runs(o->modes, o->repeat, mode, folder), i, k, len;
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

/* Before any run: every output can be made (--out too when out_too), no
 * two --trace/--summary name one file, and none names the input (replay's
 * FILE, convert's IN, run's --spec or --like: it would be replaced by what is
 * written, a summary over a trace); else exit 2 naming it (a trace by
 * trace_opt: "--trace", or convert's OUT). */
void
check_outputs(const struct opts *o, int out_too, const char *trace_opt)
{
  const char *files[MAX_TRACES + 1], *opt[MAX_TRACES + 1];
  const char *in[3] = { o->file, o->spec, o->like };
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
  for (i = 0; i < n; i++)
    for (j = 0; j < 3; j++)
      if (in[j] != NULL && same_file(files[i], in[j])) {
        say("%s %s names the input, %s: writing it would replace what is "
            "read; write it elsewhere", opt[i], files[i], in[j]);
        exit(EXIT_USAGE);
      }
}

/* mkdir -p. */
int
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

/* Write rec to path in the format its extension names (before a .gz,
 * which gt_export_with writes gzip-compressed). */
int
export_any(struct gt_recorder *rec, const char *path, char **cause)
{
  if (trace_is(path, ".csv"))
    return gt_csv_export(rec, path, cause);
  if (trace_is(path, ".svg"))
    return gt_svg_export(rec, path, cause);
  return gt_chrome_export(rec, path, cause);
}

/* Figures for every run of tl, peaks too (malloc'd, one per run), into
 * *st: the timeline's, as the live view's header shows them. */
size_t
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
int
write_summary(const struct opts *o, struct gt_recorder *rec, size_t ntasks,
    const struct gt_run_figures *st, size_t nst,
    const struct gt_report_verdict *rv)
{
  char *cause = NULL;
  size_t i;

  if (o->summary == NULL)
    return 0;
  for (i = 0; ntasks == 0 && i < nst; i++)
    if (st[i].tasks > ntasks)
      ntasks = st[i].tasks;
  if (gt_summary_write(o->summary, gt_recorder_workload(rec), ntasks,
      gt_recorder_settings(rec), st, nst, rv, &cause) == 0)
    return 0;
  say("--summary: %s", cause);
  free(cause);
  return 1;
}

/* Report (after the live view, only its table), summary and traces from
 * what the recorder holds (ntasks as write_summary takes it).  Returns 0 or
 * 1 when a file could not be written. */
int
finish_session(const struct opts *o, struct gt_recorder *rec, size_t ntasks,
    int table_only)
{
  /* a file read (replay) is reported with the settings it carries */
  struct gt_report_opts ro = { .ascii = o->ascii, .width = report_width(o),
      .table_only = table_only, .settings = o->file != NULL };
  struct gt_report_verdict rv;
  struct gt_run_figures *st;
  struct gt_timeline *tl = gt_timeline_of(rec);
  struct gt_lanes lanes;
  char *cause = NULL;
  size_t nst, i;
  int status = 0;

  /* the figures first; then the lanes, taken from the timeline lane by
   * lane, so that a big trace is not held twice over (issue 14) */
  nst = stats_all(tl, &st);
  gt_report_verdict_of(tl, o->ascii, &rv);
  gt_lanes_take(tl, &lanes);
  gt_timeline_free(tl);
  ro.verdict = &rv;
  gt_report_print(stdout, rec, &lanes, st, nst, &ro);
  fflush(stdout);
  gt_lanes_done(&lanes);
  status = write_summary(o, rec, ntasks, st, nst, &rv);
  gt_report_verdict_done(&rv);
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

/* 1 once load_progress() has drawn a line that a newline must end. */
static int progress_shown;

/* The load's progress on stderr, when it is a terminal and the file is
 * big enough to wait for (total and done are the file's bytes: compressed
 * ones for a gzip trace).  Returns 0: the import goes on. */
static int
load_progress(uint64_t done, uint64_t total, void *arg)
{
  const char *path = arg;
  char *esc;

  if (total >= (16u << 20) && isatty(STDERR_FILENO)) {
    progress_shown = 1;
    esc = gt_xescape(path);
    fprintf(stderr, "\rgantty: reading %s: %3u%%", esc,
        (unsigned)(done * 100 / total));
    free(esc);
  }
  return 0;  /* read on */
}

/* Append to note (size bytes, *len used) what fmt says; what does not fit
 * is cut. */
static void __attribute__((format(printf, 4, 5)))
note_add(char *note, size_t size, size_t *len, const char *fmt, ...)
{
  va_list ap;
  int n;

  if (*len >= size - 1)
    return;
  va_start(ap, fmt);
  n = vsnprintf(note + *len, size - *len, fmt, ap);
  va_end(ap);
  if (n > 0)
    *len = *len + (size_t)n < size ? *len + (size_t)n : size - 1;
}

/* What an import skipped, in one line (malloc'd), or NULL when nothing:
 * phases not drawn, B never ended, X without dur, events skipped by cause
 * and the first of them with its line and byte, where a cut file stops,
 * and what was passed over (trailing commas, an earlier "traceEvents",
 * "systemTraceEvents", processes past the 1000th). */
char *
import_note(const char *path, const struct gt_import_report *r)
{
  char note[1024];
  size_t len = 0, n = 0;
  int i;
  const char *of = r->gzip ? " of the decompressed text" : "";

  note[0] = '\0';
  for (i = 1; i < 128; i++)
    if (r->by_phase[i] > 0 && strchr("XBEM", i) == NULL
        && !(r->gantty && i == 'i'))
      note_add(note, sizeof(note), &len, "%s%llu \"%c\"", n++ ? ", "
          : " skipped ", (unsigned long long)r->by_phase[i], i);
  if (n > 0)
    note_add(note, sizeof(note), &len, " events");
  if (r->unclosed > 0)
    note_add(note, sizeof(note), &len, "%s%llu \"B\" never ended",
        len ? "; " : " ", (unsigned long long)r->unclosed);
  if (r->unfinished > 0)
    note_add(note, sizeof(note), &len, "%s%llu \"X\" without \"dur\" "
        "drawn to the end", len ? "; " : " ",
        (unsigned long long)r->unfinished);
  for (i = 0, n = 0; i < GT_SKIP_COUNT; i++)
    if (r->bad[i] > 0)
      note_add(note, sizeof(note), &len, "%s%llu %s", n++ ? ", "
          : len ? "; skipped events: " : " skipped events: ",
          (unsigned long long)r->bad[i], gt_import_skip_name(i));
  if (r->nnotes > 0)
    note_add(note, sizeof(note), &len, " (the first: line %llu, byte "
        "%llu%s: %s)", (unsigned long long)r->note[0].line,
        (unsigned long long)r->note[0].byte, of, r->note[0].what);
  if (r->runs_dropped > 0)
    note_add(note, sizeof(note), &len, "%s%zu process%s past the 1000th "
        "not drawn", len ? "; " : " ", r->runs_dropped,
        r->runs_dropped == 1 ? "" : "es");
  if (r->cut)
    note_add(note, sizeof(note), &len, "%sthe file is cut at line %llu, "
        "byte %llu%s (%s): what came before is read", len ? "; " : " ",
        (unsigned long long)r->cut_line, (unsigned long long)r->cut_byte,
        of, r->cut_why);
  if (r->gzip_cut)
    note_add(note, sizeof(note), &len, "%sthe gzip stream stops short at "
        "byte %llu of the file", len ? "; " : " ",
        (unsigned long long)r->gzip_cut_at);
  if (r->truncated)
    note_add(note, sizeof(note), &len, "%s the file "
        "ends without its closing brackets", len ? ";" : "");
  if (r->dropped > 0)
    note_add(note, sizeof(note), &len, "%sa later \"traceEvents\" "
        "replaced %llu event%s of an earlier one", len ? "; " : " ",
        (unsigned long long)r->dropped, r->dropped == 1 ? "" : "s");
  if (r->system)
    note_add(note, sizeof(note), &len, "%s\"systemTraceEvents\" "
        "skipped", len ? "; " : " ");
  if (r->commas > 0)
    note_add(note, sizeof(note), &len, "%s%llu trailing comma%s passed "
        "over", len ? "; " : " ", (unsigned long long)r->commas,
        r->commas == 1 ? "" : "s");
  if (len == 0)
    return NULL;
  return gt_xasprintf("%s:%s", path, note);
}

/* A slot for key in a table of mask + 1 slots: splitmix64's finaliser, so
 * that the run (the high half) moves every bit. */
static size_t
lane_slot(uint64_t key, size_t mask)
{
  key ^= key >> 30;
  key *= 0xbf58476d1ce4e5b9ull;
  key ^= key >> 27;
  key *= 0x94d049bb133111ebull;
  key ^= key >> 31;
  return (size_t)key & mask;
}

/* The lanes the view will draw: the (run, task) pairs that have an event.
 * A thread of another tool's trace that had only metadata (a name, a
 * sort index) is a task of its run with none, and draws nothing, so it is
 * not counted.  One read of the events into a set of the pairs seen (open
 * addressing, as big as the lanes, not the tasks: a gantty file's task
 * ids may be sparse up to 2^24 in each of 1000 runs). */
size_t
drawn_lanes(struct gt_recorder *rec)
{
  struct gt_event ev[4096];
  uint64_t *set, *old, key;
  size_t cap = 1024, lanes = 0, at = 0, n, i, k, j;

  set = gt_xcalloc(cap, sizeof(*set));  /* 0: empty; a key is pair + 1 */
  while ((n = gt_recorder_read(rec, at, ev, 4096)) > 0) {
    for (i = 0; i < n; i++) {
      key = ((uint64_t)ev[i].run << 32 | ev[i].task) + 1;
      for (k = lane_slot(key, cap - 1); set[k] != 0 && set[k] != key;
          k = (k + 1) & (cap - 1))
        ;
      if (set[k] == key)
        continue;
      set[k] = key;
      if (++lanes * 2 <= cap)
        continue;
      old = set;  /* half full: twice the room, every key placed again */
      set = gt_xcalloc(cap * 2, sizeof(*set));
      for (j = 0; j < cap; j++) {
        if (old[j] == 0)
          continue;
        for (k = lane_slot(old[j], cap * 2 - 1); set[k] != 0;
            k = (k + 1) & (cap * 2 - 1))
          ;
        set[k] = old[j];
      }
      free(old);
      cap *= 2;
    }
    at += n;
  }
  free(set);
  return lanes;
}

/* Read a trace for replay or convert; exits 2 on bad input. */
struct gt_recorder *
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
  /* the text read (rep->bytes) is not the file's size when it was gzip */
  if (progress_shown)
    fputc('\n', stderr);
  return rec;
}

