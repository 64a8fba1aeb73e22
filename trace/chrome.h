/*
 * trace/chrome.h: Chrome Trace Event JSON, the format Perfetto,
 * chrome://tracing and speedscope open.  docs/trace-format.md describes the
 * file gantty writes.
 */
#ifndef GT_CHROME_H
#define GT_CHROME_H

#include <stdio.h>

#include "lanes.h"
#include "recorder.h"

/* Write rec's session to path as Chrome JSON, under a temporary name renamed
 * into place.  Returns 0, or a negative errno with *cause (malloc'd) naming
 * the path; on failure path is left as it was. */
int gt_chrome_export(struct gt_recorder *rec, const char *path, char **cause);

/* Write lanes (built from rec) to f as Chrome JSON.  Returns 0, or -1 when f
 * has an error. */
int gt_chrome_write(struct gt_recorder *rec, const struct gt_lanes *lanes,
    FILE *f);

#endif
