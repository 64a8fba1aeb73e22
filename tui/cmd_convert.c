/*
 * tui/cmd_convert.c: `gantty convert IN OUT`: a trace file read as replay
 * reads it and written by OUT's extension (.json, .csv or .svg, gzip'd
 * when it ends in .gz);
 * --summary writes its figures.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>

#include "base.h"
#include "lanes.h"
#include "timeline.h"

static const struct cli_option convert_options[] = {
  { OPT_SUMMARY, "summary", "FILE", "write per-run figures as JSON" },
  { OPT_QUIET, "quiet", NULL, "no progress lines on stderr" },
  { 0, NULL, NULL, NULL },
};

/* convert takes two words, IN and OUT; OUT is named as a trace. */
static void
convert_check(struct opts *o, char **words, size_t nwords)
{
  const char *out = nwords > 1 ? words[1] : NULL;

  if (nwords == 0)
    usage_error("convert: which trace file? (gantty convert FILE OUT)");
  if (nwords > 2)
    usage_error("unexpected word '%s'", words[2]);
  if (words[0][0] == '\0')
    usage_error("convert: the trace file: an empty name; give a file name");
  if (out != NULL && out[0] == '\0')
    usage_error("convert: the output file: an empty name; give a file "
        "name");
  if (out == NULL || !trace_named(out))
    usage_error("convert: the output file%s%s%s must end in " TRACE_NAMES,
        out ? " '" : "", out ? out : "", out ? "'" : "");
  o->file = words[0];
  o->file_out = out;
}

/* `gantty convert IN OUT`. */
static int
cmd_convert(const struct opts *o)
{
  struct opts c = *o;  /* OUT is checked as a --trace would be */
  struct gt_import_report rep;
  struct gt_recorder *rec;
  char *note, *cause = NULL;
  int status = 0;

  c.traces[0] = o->file_out;
  c.ntraces = 1;
  check_outputs(&c, 0, "convert: OUT");
  rec = load_trace(o, &rep);
  note = import_note(o->file, &rep);
  if (note != NULL && !o->quiet)
    say("%s", note);
  if (export_any(rec, o->file_out, &cause) != 0) {
    say("convert: %s", cause);
    status = 1;
  } else if (!o->quiet) {
    size_t lanes = drawn_lanes(rec);

    /* another tool's trace: processes and the threads drawn (issue 14) */
    say("wrote %s (%zu %s%s, %zu %s%s)", o->file_out, rep.runs,
        rep.gantty ? "run" : "process", rep.runs == 1 ? ""
        : rep.gantty ? "s" : "es", lanes, rep.gantty ? "lane" : "thread",
        lanes == 1 ? "" : "s");
  }
  if (o->summary != NULL) {
    struct gt_run_figures *st;
    struct gt_timeline *tl = gt_timeline_of(rec);
    struct gt_report_verdict rv;
    size_t nst;

    nst = stats_all(tl, &st);
    gt_report_verdict_of(tl, o->ascii, &rv);
    gt_timeline_free(tl);
    if (write_summary(o, rec, 0, st, nst, &rv) != 0)
      status = 1;
    gt_report_verdict_done(&rv);
    free(st);
  }
  free(cause);
  free(note);
  gt_recorder_free(rec);
  return status;
}

const struct cli_command cmd_convert_entry = {
  .name = "convert",
  .words = "IN OUT",
  .summary = "a trace as .json, .csv or .svg (.gz: gzip'd)",
  .options = convert_options,
  .check = convert_check,
  .exec = cmd_convert,
};
