/*
 * tui/report.h: what a headless run prints and writes: a table of the runs,
 * a plain-text Gantt chart of every lane, and the summary JSON.  Reads
 * the timeline's lanes and figures only (trace/timeline.h), so a replayed
 * trace reports the same way and the live view's header agrees.
 */
#ifndef GT_REPORT_H
#define GT_REPORT_H

#include <stdio.h>

#include "lanes.h"
#include "recorder.h"
#include "timeline.h"

/* What the session concluded, for the report and the summary: the
 * verdict and each mode's runs folded (trace/timeline.h's rules). */
struct gt_report_verdict {
  struct gt_verdict       verdict;
  struct gt_mode_figures *modes;    /* malloc'd, one per mode */
  size_t                  nmodes;
};

/* The conclusion of tl as of its last update (ascii: "~" for "≈");
 * free it with gt_report_verdict_done(). */
void gt_report_verdict_of(const struct gt_timeline *tl, int ascii,
    struct gt_report_verdict *out);
void gt_report_verdict_done(struct gt_report_verdict *rv);

struct gt_report_opts {
  const struct gt_report_verdict *verdict;  /* NULL: no verdict, no
                                               modes' table */
  int      ascii;       /* 1: ASCII glyphs only */
  unsigned width;       /* columns for the whole line; 0: 100 */
  int      table_only;  /* 1: the table of runs, no chart */
  int      settings;    /* 1: the session's settings under the table */
};

/* Print the table of runs, the verdict and the contention warning (and
 * when a mode ran more than once, the table of modes: runs, median,
 * spread, speedup), then the chart of every run, to out.
 *
 * Another tool's trace (its runs carry GT_RUN_FOREIGN; a file's runs all
 * do or none) is reported in a trace's words: a table of processes
 * (threads, span, busy, idle, most busy: the most threads in a slice at
 * once), no verdict, each process's threads charted, and a legend of
 * busy (in a slice) and idle. */
void gt_report_print(FILE *out, struct gt_recorder *rec,
    const struct gt_lanes *lanes, const struct gt_run_figures *st, size_t nst,
    const struct gt_report_opts *o);

/* The name the legends give category cat: the category table's, except
 * that in another tool's trace (foreign) a lane's running is "busy (in a
 * slice)" and its queued gap "idle". */
const char *gt_report_cat_name(int cat, int foreign);

/* Write the summary JSON to path (temporary name, then renamed; nothing is
 * left behind on failure).  workload may be NULL (or ""): the summary then
 * says null, as for a trace that does not name its workload.  settings
 * (NULL or empty: none, as for another tool's trace) go in its "settings"
 * object.  rv (NULL: none) adds the verdict, the contention warning and
 * the modes.  For another tool's trace (st's runs are foreign) it holds
 * the processes instead of runs, modes and a verdict (README, "--summary"):
 * {"workload":null,"foreign":true,"threads":N,"processes":[{"process":
 * name,"threads":n,"span_ms":..,"busy_ms":..,"idle_ms":..,"most_busy":n,
 * "open":n}]}; ntasks and rv are then not used.  Returns 0 or a negative
 * errno with *cause naming the path. */
int gt_summary_write(const char *path, const char *workload, size_t ntasks,
    const struct gt_settings *settings, const struct gt_run_figures *st,
    size_t nst, const struct gt_report_verdict *rv, char **cause);

/* The settings as lines of "key value" pairs, packed into lines of at
 * most width columns (a pair longer than that alone on its line, cut by
 * the caller's drawing): *lines malloc'd, each malloc'd; returns how
 * many.  Escaped for the terminal. */
size_t gt_settings_lines(const struct gt_settings *s, unsigned width,
    char ***lines);

#endif
