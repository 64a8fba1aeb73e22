/*
 * tui/cli.c: the command line every command shares: one parser over the
 * commands' option tables, the usage text made from the same tables, the
 * messages and the checks more than one command makes.
 *
 * Parsing is two passes over argv.  getopt_long() first reads every
 * option any command takes (options may come before or after the words)
 * and the words; the first word names the command (none, or a workload:
 * the first command, run).  Then each option given is looked up in that
 * command's table: one it does not take is refused, exit 2, naming the
 * option and the command, before any value is read.
 */
#define _GNU_SOURCE
#include "cli.h"

#include <assert.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base.h"
#include "demo_server.h"
#include "session.h"

#define MAX_MS 86400000ull  /* a day */
#define HELP_COL 21         /* where an option's help starts */

/* The message fmt makes, escaped for the terminal (it names words, paths
 * and files' contents, which may hold anything), malloc'd. */
char *
escaped_vmsg(const char *fmt, va_list ap)
{
  char *raw = gt_xvasprintf(fmt, ap), *esc = gt_xescape(raw);

  free(raw);
  return esc;
}

/* "gantty: ", kind, the message escaped, a newline, then after (one or
 * more whole lines, or ""), on stderr: every message of the front door. */
static void
vtell(const char *kind, const char *after, const char *fmt, va_list ap)
{
  char *msg = escaped_vmsg(fmt, ap);

  fprintf(stderr, "gantty: %s%s\n%s", kind, msg, after);
  free(msg);
}

/* "gantty: " and a message on stderr, escaped, then a newline. */
void
say(const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  vtell("", "", fmt, ap);
  va_end(ap);
}

/* "gantty: warning: " and a message on stderr, escaped. */
void
cli_warn(const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  vtell("warning: ", "", fmt, ap);
  va_end(ap);
}

/* Report a usage error naming the bad word and exit 2. */
void
usage_error(const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  vtell("", "(see gantty --help)\n", fmt, ap);
  va_end(ap);
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
int
ends_with(const char *s, const char *suffix)
{
  size_t a = strlen(s), b = strlen(suffix);

  return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* 1 when path, its .gz taken off, ends with ext. */
int
trace_is(const char *path, const char *ext)
{
  size_t a = strlen(path), b = strlen(ext);

  if (ends_with(path, ".gz"))
    a -= 3;
  return a >= b && strncmp(path + a - b, ext, b) == 0;
}

/* 1 when path names a trace gantty writes. */
int
trace_named(const char *path)
{
  return trace_is(path, ".json") || trace_is(path, ".csv")
      || trace_is(path, ".svg");
}

/* The demo server settings from the options. */
void
cli_demo_config(const struct opts *o, struct gt_demo_config *cfg)
{
  memset(cfg, 0, sizeof(*cfg));
  cfg->seed = o->seed;
  cfg->latency_ms = o->latency_ms;
  cfg->jitter_ms = o->jitter_ms;
  cfg->connect_ms = o->connect_ms;
  cfg->errors_pct = o->errors_pct;
  cfg->stall_pct = o->stall_pct;
}

/* Errors and stalls share the requests. */
void
cli_check_faults(const struct opts *o)
{
  if (o->errors_pct + o->stall_pct > 100)
    usage_error("--errors %u and --stall %u: more than 100%% together",
        o->errors_pct, o->stall_pct);
}

/* 1 for the row that ends a table (all zeros; a heading has its help). */
static int
row_end(const struct cli_option *row)
{
  return row->id == 0 && row->name == NULL && row->help == NULL;
}

/* The row of cmd's table for option id, or NULL when it does not take
 * it. */
static const struct cli_option *
find_option(const struct cli_command *cmd, int id)
{
  const struct cli_option *row;

  for (row = cmd->options; row != NULL && !row_end(row); row++)
    if (row->id == id && row->name != NULL)
      return row;
  return NULL;
}

/* Every option any command takes, once, for getopt_long(); then --help and
 * --version; then the end.  Two tables that name one id name it alike. */
static void
all_options(const struct cli_command *const *cmds, size_t ncmds,
    struct option *out)
{
  const struct cli_option *row;
  size_t n = 0, i, k;

  for (i = 0; i < ncmds; i++)
    for (row = cmds[i]->options; row != NULL && !row_end(row); row++) {
      if (row->name == NULL)
        continue;
      for (k = 0; k < n && out[k].val != row->id; k++)
        ;
      if (k < n) {  /* a programmer's error: caught by any run */
        assert(strcmp(out[k].name, row->name) == 0);
        assert(out[k].has_arg == (row->arg ? required_argument
            : no_argument));
        continue;
      }
      assert(n < OPT_COUNT);
      out[n++] = (struct option){ row->name, row->arg ? required_argument
          : no_argument, NULL, row->id };
    }
  out[n++] = (struct option){ "help", no_argument, NULL, 'h' };
  out[n++] = (struct option){ "version", no_argument, NULL, 'V' };
  out[n] = (struct option){ NULL, 0, NULL, 0 };
}

/* The usage error for an option getopt did not take: a flag given a
 * value ("--headless=yes"; getopt then sets optopt to the flag's id, which
 * is no letter), an unknown short option (optopt names it, even inside a
 * cluster such as -xh), an abbreviation of several long options, or an
 * unknown long option. */
static void __attribute__((noreturn))
bad_option(const struct option *long_opts, const char *word)
{
  char list[512] = "";
  size_t len, n = 0, i, hit = 0;

  if (strncmp(word, "--", 2) == 0) {
    len = strcspn(word + 2, "=");
    for (i = 0; long_opts[i].name != NULL; i++) {
      if (strncmp(long_opts[i].name, word + 2, len) != 0)
        continue;
      if (long_opts[i].name[len] == '\0') {  /* the whole name: it */
        n = 1;
        hit = i;
        break;
      }
      snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s--%s",
          n++ ? ", " : "", long_opts[i].name);
      hit = i;
    }
    if (n > 1)
      usage_error("option '%.*s' is ambiguous (%s)", (int)len + 2, word,
          list);
    if (n == 1 && word[2 + len] == '=' && long_opts[hit].has_arg
        == no_argument)
      usage_error("option '--%s' takes no value (given '%s')",
          long_opts[hit].name, word);
  } else if (optopt != 0) {
    usage_error("unknown option '-%c'", optopt);
  }
  usage_error("unknown option '%s'", word);
}

/* A file option's value that starts with "--" is an option the user typed
 * where the name should be ("--summary --quiet"): refused rather than
 * taken as a file of that name (which "./--quiet" still names). */
static void
check_file_value(const char *flag, const char *arg)
{
  if (strncmp(arg, "--", 2) == 0)
    usage_error("%s: '%s' looks like an option, not a file name (did you "
        "leave the name out? ./%s names a file so called)", flag, arg, arg);
}

/* Set what option id says in o. */
static void
apply(struct opts *o, int id, const char *name, char *arg)
{
  char flag[64];

  snprintf(flag, sizeof(flag), "--%s", name);
  switch (id) {
  case OPT_MODES:    o->modes = arg; break;
  case OPT_URL:      o->url = arg; break;
  case OPT_OUT:
    check_file_value(flag, arg);
    o->out_dir = arg;
    break;
  case OPT_SPEC:
    check_file_value(flag, arg);
    o->spec = arg;
    break;
  case OPT_LIKE:
    if (arg[0] == '\0')
      usage_error("--like: an empty name; give a file name");
    check_file_value(flag, arg);
    o->like = arg;
    break;
  case OPT_HEADLESS: o->headless = 1; break;
  case OPT_ASCII:    o->ascii = 1; break;
  case OPT_QUIET:    o->quiet = 1; break;
  case OPT_NO_COLOR: o->no_color = 1; break;
  case OPT_NO_MOUSE: o->no_mouse = 1; break;
  case OPT_TOGETHER: o->together = 1; break;
  case OPT_GIL:      o->gil = 1; break;
  case OPT_SUMMARY:
    if (arg[0] == '\0')
      usage_error("--summary: an empty name; give a file name");
    check_file_value(flag, arg);
    o->summary = arg;
    break;
  case OPT_SWITCH:  o->switch_ms = parse_num(flag, arg, 1, 10000); break;
  case OPT_SCALE:   o->scale = parse_num(flag, arg, 1, 1000000); break;
  case OPT_ERRORS:  o->errors_pct = parse_num(flag, arg, 0, 100); break;
  case OPT_STALL:   o->stall_pct = parse_num(flag, arg, 0, 100); break;
  case OPT_TASKS:   o->tasks = parse_num(flag, arg, 1, 1000000); break;
  case OPT_REPEAT:
    o->repeat = parse_num(flag, arg, 1, GT_SESSION_MAX_REPEAT);
    break;
  case OPT_WORKERS: o->workers = parse_num(flag, arg, 1, 100000); break;
  case OPT_CORES: {  /* at most the CPUs online */
    long online = sysconf(_SC_NPROCESSORS_ONLN);

    o->cores = parse_num(flag, arg, 0, 100000);
    if (o->cores == 0 || o->cores > (online > 0 ? (unsigned long)online
        : 1ul))
      usage_error("%s: '%s': from 1 to the CPUs online (%ld here)", flag,
          arg, online > 0 ? online : 1l);
    break;
  }
  case OPT_LIMIT:   o->limit = parse_num(flag, arg, 1, 1000000); break;
  case OPT_POOL:    /* 1..libuv's cap (GT_POOL_MAX, executor.h) */
    o->pool = parse_num(flag, arg, 1, 1024);
    break;
  case OPT_LATENCY: o->latency_ms = parse_num(flag, arg, 0, MAX_MS); break;
  case OPT_JITTER:  o->jitter_ms = parse_num(flag, arg, 0, MAX_MS); break;
  case OPT_CONNECT: o->connect_ms = parse_num(flag, arg, 0, MAX_MS); break;
  case OPT_SEED:    o->seed = parse_num(flag, arg, 0, UINT64_MAX); break;
  case OPT_WIDTH:   o->width = parse_num(flag, arg, 40, 10000); break;
  case OPT_TIMEOUT:
    o->timeout_ms = (long)parse_num(flag, arg, 1, MAX_MS);
    break;
  case OPT_CONNECTIONS:
    if (strcmp(arg, "fresh") != 0 && strcmp(arg, "reuse") != 0)
      usage_error("--connections: '%s' is neither 'reuse' nor 'fresh'",
          arg);
    o->fresh = strcmp(arg, "fresh") == 0;
    break;
  case OPT_TRACE:
    if (arg[0] == '\0')
      usage_error("--trace: an empty name; give a file name");
    check_file_value(flag, arg);
    if (!trace_named(arg))
      usage_error("--trace: '%s': the file name must end in " TRACE_NAMES,
          arg);
    if (o->ntraces == MAX_TRACES)
      usage_error("--trace: at most %d files", MAX_TRACES);
    o->traces[o->ntraces++] = arg;
    break;
  }
  o->given[id - OPT_MODES] = 1;
}

/* Parse argv: every option, the command, then each option checked
 * against the command's table and applied, then the command's words. */
const struct cli_command *
cli_parse(int argc, char **argv, const struct cli_command *const *cmds,
    size_t ncmds, struct opts *o)
{
  struct option long_opts[OPT_COUNT + 3];
  const struct cli_command *cmd = cmds[0];
  const struct cli_option *row;
  struct { int id; char *arg; } *given;
  size_t ngiven = 0, i;
  int c, help = 0, version = 0, named = 0;

  all_options(cmds, ncmds, long_opts);
  memset(o, 0, sizeof(*o));
  o->latency_ms = 200;
  o->seed = 1;
  o->out_dir = "gantty-out";
  /* The live view needs a terminal to draw on and to read keys from. */
  o->headless = !isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO);
  given = gt_xcalloc((size_t)argc + 1, sizeof(*given));
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":hV", long_opts, NULL)) != -1) {
    switch (c) {
    case 'h':
      help = 1;
      break;
    case 'V':
      version = 1;
      break;
    case ':':
      usage_error("option '%s' needs a value", argv[optind - 1]);
    case '?':
      bad_option(long_opts, argv[optind - 1]);
    default:
      given[ngiven].id = c;
      given[ngiven++].arg = optarg;
    }
  }
  for (i = 0; optind < argc && i < ncmds; i++)
    if (strcmp(argv[optind], cmds[i]->name) == 0) {
      cmd = cmds[i];
      named = 1;
    }
  if (help) {
    cli_usage(stdout, cmds, ncmds, named ? cmd : NULL);
    exit(0);
  }
  if (version) {
    printf("gantty %s\n", GT_VERSION);
    exit(0);
  }
  o->cmd = cmd->name;
  for (i = 0; i < ngiven; i++) {  /* refused before any value is read */
    if (find_option(cmd, given[i].id) != NULL)
      continue;
    for (c = 0; long_opts[c].val != given[i].id; c++)
      ;
    say("'gantty %s' does not take --%s", cmd->name, long_opts[c].name);
    fprintf(stderr, "(see gantty %s --help)\n", cmd->name);
    exit(EXIT_USAGE);
  }
  for (i = 0; i < ngiven; i++) {
    row = find_option(cmd, given[i].id);
    apply(o, row->id, row->name, given[i].arg);
  }
  free(given);
  argv += optind + named;  /* the words after the command's name */
  argc -= optind + named;
  if (!named && argc > 1) {
    char list[128] = "";

    for (i = 0; i < ncmds; i++)
      snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
          i ? ", " : "", cmds[i]->name);
    usage_error("unknown command '%s' (commands: %s)", argv[0], list);
  }
  if (cmd->check != NULL)
    cmd->check(o, argv, (size_t)argc);
  else if (argc > 0)
    usage_error("unexpected word '%s'", argv[0]);
  return cmd;
}

/* Print text from column col, each '\n' starting a new line there. */
static void
print_help(FILE *f, const char *text, int col)
{
  const char *nl;

  while ((nl = strchr(text, '\n')) != NULL) {
    fprintf(f, "%.*s\n%*s", (int)(nl - text), text, col, "");
    text = nl + 1;
  }
  fprintf(f, "%s\n", text);
}

/* One option's line(s): "  --name ARG" and its help. */
static void
print_option(FILE *f, const struct cli_option *row)
{
  int n = fprintf(f, "  --%s%s%s", row->name, row->arg ? " " : "",
      row->arg ? row->arg : "");

  if (n >= HELP_COL - 1)
    fprintf(f, "\n%*s", HELP_COL, "");
  else
    fprintf(f, "%*s", HELP_COL - n, "");
  print_help(f, row->help, HELP_COL);
}

/* 1 when an earlier command's table has row as it is (name and help). */
static int
shown_before(const struct cli_command *const *cmds, size_t k,
    const struct cli_option *row)
{
  const struct cli_option *o;
  size_t i;

  for (i = 0; i < k; i++)
    if ((o = find_option(cmds[i], row->id)) != NULL
        && strcmp(o->help, row->help) == 0)
      return 1;
  return 0;
}

/* One command's options: every row (all 1), or (all 0) only the rows no
 * earlier command showed alike, the others named on one line. */
static void
print_options(FILE *f, const struct cli_command *const *cmds, size_t k,
    int all)
{
  const struct cli_command *cmd = cmds[k];
  const struct cli_option *row;
  int col = 0, n;

  if (cmd->options == NULL || row_end(cmd->options)) {
    fprintf(f, "\n%s takes no options.\n", cmd->name);
    return;
  }
  fprintf(f, "\n%s options:\n", cmd->name);
  for (row = cmd->options; !row_end(row); row++) {
    if (row->name == NULL) {
      fprintf(f, " %s\n", row->help);
      continue;
    }
    if (all || !shown_before(cmds, k, row))
      print_option(f, row);
  }
  for (row = cmd->options; !all && !row_end(row); row++) {
    if (row->name == NULL || !shown_before(cmds, k, row))
      continue;
    if (col == 0)
      col = fprintf(f, "  and, as above:");
    if (col + (int)strlen(row->name) + 3 > 78)
      col = fprintf(f, "\n   ") - 1;
    n = fprintf(f, " --%s", row->name);
    col += n;
  }
  if (col != 0)
    fputc('\n', f);
}

/* The usage text, from the tables. */
void
cli_usage(FILE *f, const struct cli_command *const *cmds, size_t ncmds,
    const struct cli_command *cmd)
{
  char line[96];
  size_t i;
  int n;

  for (i = 0; i < ncmds; i++) {
    if (cmd != NULL && cmds[i] != cmd)
      continue;
    n = snprintf(line, sizeof(line), "gantty %s%s%s%s%s%s",
        i == 0 ? "[" : "", cmds[i]->name, i == 0 ? "]" : "",
        cmds[i]->words[0] ? " " : "", cmds[i]->words,
        cmds[i]->options && !row_end(cmds[i]->options) ? " [options]"
        : "");
    fprintf(f, "%s%-*s %s\n", i == 0 || cmd != NULL ? "usage: "
        : "       ", n < 34 ? 34 : n, line, cmds[i]->summary);
  }
  for (i = 0; i < ncmds; i++)
    if (cmd == NULL || cmds[i] == cmd)
      print_options(f, cmds, i, cmd != NULL);
  fputs("\nEvery command:\n"
      "  -h, --help         this text (gantty COMMAND --help: that "
      "command's)\n"
      "  -V, --version      the version\n", f);
}
