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

/* Why an event was skipped (struct gt_import_report's bad[]). */
enum gt_import_skip {
  GT_SKIP_EMPTY,      /* {}: an element with nothing in it */
  GT_SKIP_NO_PH,      /* an event without "ph" */
  GT_SKIP_NO_TS,      /* an X, B, E, i or I without "ts" */
  GT_SKIP_TYPE,       /* ph, name, cat, ts, dur, pid or tid of a wrong type */
  GT_SKIP_TIME,       /* a time negative, not finite or beyond the clock */
  GT_SKIP_STRING,     /* a name over 1 MiB, or names past the recorder's */
  GT_SKIP_NO_B,       /* an E whose B is not in the file */
  GT_SKIP_DEEP,       /* a slice nested deeper than 256 */
  GT_SKIP_PROCESS,    /* an event of a process past the 1000th drawn */
  GT_SKIP_COUNT
};

/* The first few events skipped, said where they are. */
#define GT_IMPORT_NOTES 5

struct gt_import_note {
  int      cause;           /* enum gt_import_skip */
  uint64_t line, byte;      /* where the event ends in the file */
  char     what[112];       /* what was wrong with it */
};

/* What an import found and what it left out. */
struct gt_import_report {
  uint64_t bytes;           /* read */
  uint64_t events;          /* events gantty used (X, B, E, i, I, M) */
  uint64_t by_phase[128];   /* events in the file, by their "ph" */
  uint64_t skipped;         /* events of phases gantty does not draw (and
                               instants of other tools) */
  uint64_t unclosed;        /* B events never ended: they run to the end */
  uint64_t unfinished;      /* X events without dur (or dur null): drawn
                               to the end of the trace */
  size_t   runs, tasks;     /* processes and threads drawn: runs and lanes */
  size_t   runs_dropped;    /* processes past the 1000th: not drawn */
  int      gantty;          /* 1: a trace gantty wrote (read exactly) */
  int      truncated;       /* 1: the file stops after a whole event */
  uint64_t bad[GT_SKIP_COUNT];  /* events skipped, by cause */
  struct gt_import_note note[GT_IMPORT_NOTES];  /* the first of them */
  size_t   nnotes;
  uint64_t commas;          /* trailing commas passed over (",]", ",}") */
  uint64_t dropped;         /* events of an earlier "traceEvents" array: a
                               later one replaces it, as JSON.parse does */
  int      system;          /* 1: "systemTraceEvents" was there, skipped */
  int      cut;             /* 1: the file is cut (or stops being JSON)
                               inside an event: what came before is read */
  uint64_t cut_line, cut_byte;  /* where */
  char     cut_why[112];    /* "the file ends inside an event", or the
                               JSON parser's complaint */
  int      gzip;            /* 1: the file is gzip: lines and bytes above
                               are of its decompressed text */
  int      gzip_cut;        /* 1: its gzip stream stops short ... */
  uint64_t gzip_cut_at;     /* ... at this byte of the file */
};

/* A few words for a cause of enum gt_import_skip ("without \"ph\""). */
const char *gt_import_skip_name(int cause);

/* Read the Chrome JSON trace at path into rec, which must be new: a trace
 * gantty wrote comes back exactly (its export is the same file); another
 * tool's becomes one run per process and one lane per thread, its bad
 * events skipped and counted in rep.  progress, if not NULL, is called
 * after every chunk with the bytes read and the file's size; when it
 * returns nonzero the import stops there and returns -ECANCELED (a view
 * closed while its file is read).  Returns 0; a
 * negative errno when the file cannot be read (missing, a folder, no
 * permission), with *cause "path: cannot read: reason"; or GT_EPARSE when
 * it is not a trace gantty can read (not JSON, no events, nothing to draw,
 * or gantty's own file with something wrong in it), with *cause "path:
 * line L, byte B: what" (or "path: byte B: what" when no one event is at
 * fault).  rep (may be NULL) says what was read and skipped. */
int gt_chrome_import(struct gt_recorder *rec, const char *path,
    struct gt_import_report *rep,
    int (*progress)(uint64_t done, uint64_t total, void *arg), void *arg,
    char **cause);

/* For tests: the probes the last import's thread table made (a table a
 * file floods with colliding threads shows probes far above its records). */
extern size_t gt_import_group_probes;

#endif
