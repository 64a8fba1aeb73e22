/*
 * tui/cmd_replay.c: `gantty replay FILE`: a trace file (gantty's own or
 * another tool's Chrome JSON) played back in the live view, or with
 * --headless the report; --trace and --summary write what it holds.
 */
#define _GNU_SOURCE
#include "cli.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "replay.h"
#include "tui.h"

static const struct cli_option replay_options[] = {
  { OPT_HEADLESS, "headless", NULL,
    "print the report instead of opening the live view" },
  { OPT_TRACE, "trace", "FILE",
    "write the session by its extension: .json (Chrome trace),\n"
    ".csv or .svg; .json.gz and the like gzip'd (repeatable)" },
  { OPT_SUMMARY, "summary", "FILE", "write per-run figures as JSON" },
  { OPT_ASCII, "ascii", NULL,
    "ASCII glyphs only (also in a locale that is not UTF-8)" },
  { OPT_NO_COLOR, "no-color", NULL,
    "no colours (also when NO_COLOR is set)" },
  { OPT_NO_MOUSE, "no-mouse", NULL, "leave the mouse to the terminal" },
  { OPT_WIDTH, "width", "N",
    "columns of the report (default: the terminal's or 100)" },
  { OPT_QUIET, "quiet", NULL, "no progress lines on stderr" },
  { 0, NULL, NULL, NULL },
};

/* replay takes one word, the file; its outputs must be writable. */
static void
replay_check(struct opts *o, char **words, size_t nwords)
{
  if (nwords == 0)
    usage_error("replay: which trace file? (gantty replay FILE)");
  if (nwords > 1)
    usage_error("unexpected word '%s'", words[1]);
  if (words[0][0] == '\0')
    usage_error("replay: the trace file: an empty name; give a file name");
  o->file = words[0];
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
  struct gt_recorder *rec;
  char *note, *cause = NULL, title[256];
  const char *nc = getenv("NO_COLOR");
  struct gt_tui_config cfg = {
    .ascii = o->ascii || strcmp(nl_langinfo(CODESET), "UTF-8") != 0,
    .color = !o->no_color && !(nc != NULL && nc[0] != '\0'),
    .mouse = !o->no_mouse,
    .title = title,
  };
  int status;

  check_outputs(o, 0, "--trace");
  rec = load_trace(o, &rep);
  note = import_note(o->file, &rep);
  cfg.message = note;
  if (o->headless) {
    size_t i;

    if (note != NULL && !o->quiet)
      say("%s", note);
    /* the note says the first event skipped; the next few here */
    for (i = 1; i < rep.nnotes && !o->quiet; i++)
      say("%s: line %llu, byte %llu%s: skipped: %s", o->file,
          (unsigned long long)rep.note[i].line,
          (unsigned long long)rep.note[i].byte,
          rep.gzip ? " of the decompressed text" : "", rep.note[i].what);
    status = finish_session(o, rec, 0, 0);
  } else {
    struct gt_replay *play = gt_replay_new(rec);
    size_t lanes = drawn_lanes(rec);
    char start[64];

    snprintf(title, sizeof(title), "%s, %zu lane%s", o->file, lanes,
        lanes == 1 ? "" : "s");

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

const struct cli_command cmd_replay_entry = {
  .name = "replay",
  .words = "FILE",
  .summary = "a trace file in the view or report",
  .options = replay_options,
  .check = replay_check,
  .exec = cmd_replay,
};
