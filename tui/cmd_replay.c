/*
 * tui/cmd_replay.c: `gantty replay FILE`: a trace file (gantty's own or
 * another tool's Chrome JSON) played back in the live view, or with
 * --headless the report; --trace and --summary write what it holds.
 */
#define _GNU_SOURCE
#include "cli.h"

#include <errno.h>
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

/* What the live view shows of the file once it is read: its title and
 * the import's note. */
struct replay_words {
  const struct opts *o;
  char *title;
  size_t title_len;
  char *note;           /* malloc'd; NULL: none */
  const char *playing;  /* the message when there is no note */
  const char **message; /* the view's message: the note or playing */
};

/* The file is read (on the view's thread): say what it holds. */
static void
replay_loaded(struct gt_replay *play, void *arg)
{
  struct replay_words *w = arg;
  struct gt_import_report rep;
  size_t lanes;

  gt_replay_loaded(play, &rep, NULL);
  lanes = drawn_lanes(gt_replay_source(play));  /* lanes with an event */
  snprintf(w->title, w->title_len, "%s, %zu lane%s", w->o->file, lanes,
      lanes == 1 ? "" : "s");
  w->note = import_note(w->o->file, &rep);
  *w->message = w->note != NULL ? w->note : w->playing;
}

/* `gantty replay FILE`: the report, or the view of the whole session.
 * The view opens at once and reads the file on a thread of its own
 * (issue 14: the first frame of a big file); the report reads it first. */
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
  if (o->headless) {
    size_t i;

    rec = load_trace(o, &rep);
    note = import_note(o->file, &rep);
    if (note != NULL && !o->quiet)
      say("%s", note);
    /* the note says the first event skipped; the next few here */
    for (i = 1; i < rep.nnotes && !o->quiet; i++)
      say("%s: line %llu, byte %llu%s: skipped: %s", o->file,
          (unsigned long long)rep.note[i].line,
          (unsigned long long)rep.note[i].byte,
          rep.gzip ? " of the decompressed text" : "", rep.note[i].what);
    status = finish_session(o, rec, 0, 0);
    free(note);
    gt_recorder_free(rec);
  } else {
    struct gt_replay *play = gt_replay_open(o->file);
    struct replay_words w = { .o = o, .title = title,
        .title_len = sizeof(title), .message = &cfg.message,
        .playing = "playing: space pauses, [ ] speed, left/right step, "
            "Home/End" };
    char start[64];
    uint64_t done = 0, all = 0;  /* the file's bytes read, of all */
    int loaded;

    snprintf(title, sizeof(title), "%s, reading", o->file);
    cfg.replay = play;
    gt_replay_on_load(play, replay_loaded, &w);
    gt_replay_act(play, GT_REPLAY_PAUSE, gt_now_ns(), start, sizeof(start));
    status = gt_tui_run(&cfg, &ops, play, &cause);
    if (gt_replay_loading(play, &done, &all) && o->ntraces == 0
        && o->summary == NULL)
      gt_replay_stop(play);  /* closed while reading, and nothing to write:
                                the rest is not wanted */
    loaded = gt_replay_loaded(play, &rep, &note);
    if (loaded == -ECANCELED) {
      say("%s: the view was closed before the file was read: %llu bytes "
          "of it read", o->file, (unsigned long long)done);
      free(note);
      free(cause);
      gt_replay_free(play);
      free(w.note);
      return status;
    }
    if (loaded != 0) {
      say("%s", note);  /* as load_trace() says it, after the view */
      free(note);
      free(cause);
      gt_replay_free(play);
      free(w.note);
      return EXIT_USAGE;
    }
    if (cause != NULL)
      say("%s", cause);
    rec = gt_replay_release(play);  /* the view's copies freed first */
    if (finish_session(o, rec, 0, 1) != 0 && status == 0)
      status = 1;
    gt_recorder_free(rec);
    free(w.note);
  }
  free(cause);
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
