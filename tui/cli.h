/*
 * tui/cli.h: what gantty's commands share: the options as parsed, the
 * command and option tables, the parser and the usage text made from those
 * tables (so help and parsing cannot disagree), the messages and exit
 * codes, and the files a command reads or writes (cli.c: the command line;
 * files.c: the files).
 *
 * Each command is a file of its own (cmd_run.c, cmd_list.c, cmd_serve.c,
 * cmd_replay.c, cmd_convert.c, as tmux's cmd-*.c): its table says which
 * options it takes, with their argument and help; an option it does not
 * take is refused, exit 2, naming the option and the command.  main.c
 * dispatches by the command's name.
 */
#ifndef GT_CLI_H
#define GT_CLI_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "recorder.h"
#include "chrome.h"
#include "report.h"

#define EXIT_USAGE 2
#define MAX_TRACES 8

struct gt_run_figures;
struct gt_timeline;
struct gt_demo_config;

/* Every option any command takes; a command's table picks its own. */
enum cli_opt {
  OPT_MODES = 256, OPT_TASKS, OPT_WORKERS, OPT_LIMIT, OPT_LATENCY,
  OPT_JITTER, OPT_CONNECT, OPT_SEED, OPT_URL, OPT_TIMEOUT, OPT_OUT,
  OPT_TRACE, OPT_SUMMARY, OPT_HEADLESS, OPT_ASCII, OPT_WIDTH, OPT_QUIET,
  OPT_NO_COLOR, OPT_NO_MOUSE, OPT_TOGETHER, OPT_GIL, OPT_SWITCH, OPT_SCALE,
  OPT_ERRORS, OPT_STALL, OPT_CONNECTIONS, OPT_SPEC, OPT_REPEAT, OPT_LIKE,
  OPT_POOL, OPT_CORES,
  OPT_END                       /* one past the last */
};

#define OPT_COUNT (OPT_END - OPT_MODES)

/* The options as given (and their defaults). */
struct opts {
  const char *cmd;            /* the command's name */
  const char *file;           /* replay FILE, convert IN */
  const char *file_out;       /* convert IN OUT */
  const char *workload;
  char       *modes;          /* comma-separated, as given */
  unsigned    tasks;
  unsigned    workers;
  unsigned    cores;          /* --cores; 0: every CPU */
  unsigned    limit;
  unsigned    pool;           /* --pool: libuv's threads; 0: its default */
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
  unsigned    repeat;         /* --repeat N; 0: once */
  int         gil;
  unsigned    switch_ms;
  unsigned    scale;
  unsigned    errors_pct;
  unsigned    stall_pct;
  int         fresh;          /* --connections fresh */
  const char *spec;           /* --spec FILE: the user's own tasks */
  const char *like;           /* --like FILE: re-run its settings */
  unsigned char given[OPT_COUNT];  /* 1: the option was on the line */
};

/* 1 when option id was given. */
#define OPT_GIVEN(o, id) ((o)->given[(id) - OPT_MODES])

/* One row of a command's option table: an option, or (name NULL, id 0) a
 * heading.  The table ends with a row of all zeros. */
struct cli_option {
  int         id;       /* enum cli_opt */
  const char *name;     /* "trace", without the dashes */
  const char *arg;      /* "FILE"; NULL: it takes no value */
  const char *help;     /* its text; '\n' starts another line */
};

/* A command: its name, its words, its options, what it does. */
struct cli_command {
  const char *name;       /* "replay" */
  const char *words;      /* what follows the name: "FILE" */
  const char *summary;    /* one line for the usage text */
  const struct cli_option *options;
  /* Take the words after the command's name (nwords of them) and check
   * what the options say together; exit 2 naming the word on a usage
   * error.  NULL: the command takes no word. */
  void (*check)(struct opts *o, char **words, size_t nwords);
  int  (*exec)(const struct opts *o);  /* returns the exit status */
  int  scheduler;         /* 1: needs gt_scheduler_init() */
};

/* Parse argv for one of cmds (the first is the default, as `gantty genre`
 * is `gantty run genre`) into o; prints the usage and exits 0 for --help,
 * the version for --version, and exits 2 with a message naming the word
 * on a usage error.  Returns the command. */
const struct cli_command *cli_parse(int argc, char **argv,
    const struct cli_command *const *cmds, size_t ncmds, struct opts *o);

/* Print the usage of every command (cmd NULL) or of one to f. */
void cli_usage(FILE *f, const struct cli_command *const *cmds, size_t ncmds,
    const struct cli_command *cmd);

/* "gantty: " and a message on stderr, escaped, then a newline: every line
 * of ours that carries a name, a path or a cause goes through here. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The message fmt makes, escaped for the terminal, malloc'd. */
char *escaped_vmsg(const char *fmt, va_list ap);

/* Report a usage error naming the bad word and exit 2. */
void usage_error(const char *fmt, ...)
    __attribute__((noreturn, format(printf, 1, 2)));

/* "gantty: warning: " and a message on stderr, escaped: an option that
 * does nothing in this combination. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* 1 when s ends with suffix. */
int ends_with(const char *s, const char *suffix);

/* The names a trace is written to, as a message says them. */
#define TRACE_NAMES ".json, .csv or .svg, or one of those and .gz (gzip'd)"

/* 1 when path names a trace gantty writes: .json, .csv or .svg, or one of
 * them followed by .gz (the same file gzip-compressed). */
int trace_named(const char *path);

/* 1 when path, its .gz taken off, ends with ext. */
int trace_is(const char *path, const char *ext);

/* The demo server settings from the options. */
void cli_demo_config(const struct opts *o, struct gt_demo_config *cfg);

/* Exit 2 unless errors and stalls together are at most 100%. */
void cli_check_faults(const struct opts *o);

/* files.c: outputs checked before any run: every output can be made
 * (--out too when out_too), no two --trace/--summary name one file, and
 * none names the input (o->file, o->spec); else exit 2 naming it (a trace
 * by trace_opt: "--trace", or convert's OUT). */
void check_outputs(const struct opts *o, int out_too, const char *trace_opt);

/* mkdir -p; 0, or a negative errno with *cause. */
int make_dirs(const char *path, char **cause);

/* Write rec to path in the format its extension names. */
int export_any(struct gt_recorder *rec, const char *path, char **cause);

/* Figures for every run of rec (malloc'd, one per run) into *st. */
size_t stats_all(const struct gt_timeline *tl, struct gt_run_figures **st);

/* Write --summary, if given (ntasks 0: the most lanes one run has);
 * returns 0, or 1 when it could not be written. */
int write_summary(const struct opts *o, struct gt_recorder *rec,
    size_t ntasks, const struct gt_run_figures *st, size_t nst,
    const struct gt_report_verdict *rv);

/* Report (after the live view, only its table), summary and traces from
 * what the recorder holds.  Returns 0, or 1 when a file could not be
 * written. */
int finish_session(const struct opts *o, struct gt_recorder *rec,
    size_t ntasks, int table_only);

/* Read o->file for replay or convert into a new recorder; exits 2 on bad
 * input. */
struct gt_recorder *load_trace(const struct opts *o,
    struct gt_import_report *rep);

/* The lanes the view draws of rec: its (run, task) pairs that have an
 * event (a thread of another tool's trace with only metadata has none). */
size_t drawn_lanes(struct gt_recorder *rec);

/* What an import skipped, in one line (malloc'd), or NULL when nothing. */
char *import_note(const char *path, const struct gt_import_report *r);

/* settings.c: what a session's settings are made from besides the
 * options (the live view's keys change workers and gil). */
struct settings_ctx {
  size_t      ntasks;     /* tasks in the session */
  unsigned    workers;    /* 0: each mode's default */
  int         gil;
  unsigned    cores;      /* --cores, or the view's; 0: every CPU */
  int         has_cpu;    /* some task has a CPU step */
  unsigned    cpu_kinds;  /* bit k: some CPU step is of enum gt_gil_kind k */
  const char *url_shown;  /* --url as shown (no password); NULL: the
                             embedded demo server */
};

struct gt_settings;

/* The settings of a session run with o and c, into s (its old ones
 * freed): one table (settings.c) says what every file carries. */
void settings_of(const struct opts *o, const struct settings_ctx *c,
    struct gt_settings *s);

/* Read the settings of path, a trace or summary gantty wrote, into out
 * (its old ones freed); 0, or -1 with *cause ("--like PATH: why") when it
 * cannot be read or has none. */
int settings_load(const char *path, struct gt_settings *out, char **cause);

/* Apply settings s (read from path) to o where the line did not give
 * them (word: the workload the line named, or NULL), each checked as its
 * option would be; 0, or -1 with *cause naming path and the setting. */
int settings_apply(struct opts *o, const struct gt_settings *s,
    const char *path, const char *word, char **cause);

/* --like: read o->like (a trace or summary gantty wrote) and apply each
 * of its settings whose option the line did not give (word: the workload
 * the line named, or NULL); exit 2 naming the file and the setting when
 * one is bad or the file has none. */
void settings_like(struct opts *o, const char *word);

/* The commands (cmd_*.c). */
extern const struct cli_command cmd_run_entry;
extern const struct cli_command cmd_list_entry;
extern const struct cli_command cmd_serve_entry;
extern const struct cli_command cmd_replay_entry;
extern const struct cli_command cmd_convert_entry;

#endif
