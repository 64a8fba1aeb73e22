/*
 * trace/chrome.h: Chrome Trace Event JSON, the format Perfetto,
 * chrome://tracing and speedscope open.  docs/trace-format.md describes the
 * file gantty writes.
 */
#ifndef GT_CHROME_H
#define GT_CHROME_H

#include <stdio.h>

#include "recorder.h"
#include "timeline.h"

/* Write rec's session to path as Chrome JSON, under a temporary name renamed
 * into place.  Returns 0, or a negative errno with *cause (malloc'd) naming
 * the path; on failure path is left as it was. */
int gt_chrome_export(struct gt_recorder *rec, const char *path, char **cause);

/* Write tl to f as Chrome JSON.  Returns 0, or -EIO when f has an
 * error. */
int gt_chrome_write(const struct gt_timeline *tl, FILE *f);

/* What an import found and what it left out. */
struct gt_import_report {
  uint64_t bytes;           /* read */
  uint64_t events;          /* events gantty used (X, B, E, i, I, M) */
  uint64_t by_phase[128];   /* events in the file, by their "ph" */
  uint64_t skipped;         /* events of phases gantty does not draw (and
                               instants of other tools) */
  uint64_t unclosed;        /* B events never ended: they run to the end */
  size_t   runs, tasks;     /* processes and threads, as runs and lanes */
  int      gantty;          /* 1: a trace gantty wrote (read exactly) */
  int      truncated;       /* 1: the file stops after a whole event */
};

/* Read the Chrome JSON trace at path into rec, which must be new: a trace
 * gantty wrote comes back exactly (its export is the same file); another
 * tool's becomes one run per process and one lane per thread.  progress, if
 * not NULL, is called after every chunk with the bytes read and the file's
 * size.  Returns 0; a negative errno when the file cannot be read (missing,
 * a folder, no permission), with *cause "path: cannot read: reason"; or
 * GT_EPARSE when it is not a trace gantty can read, with *cause "path: line
 * L, byte B: what" (or "path: what" when no one event is at fault).  rep
 * (may be NULL) says what was read and skipped. */
int gt_chrome_import(struct gt_recorder *rec, const char *path,
    struct gt_import_report *rep,
    void (*progress)(uint64_t done, uint64_t total, void *arg), void *arg,
    char **cause);

/* For tests: the probes the last import's thread table made (a table a
 * file floods with colliding threads shows probes far above its records). */
extern size_t gt_import_group_probes;

#endif
