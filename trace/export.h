/*
 * trace/export.h: the session as CSV (one row per state interval) and as
 * SVG (the chart as a picture), and the choice of format by a file's
 * extension.  Chrome JSON is in chrome.h.
 */
#ifndef GT_EXPORT_H
#define GT_EXPORT_H

#include <stdio.h>

#include "lanes.h"
#include "recorder.h"

/* Write rec's session to path as CSV or SVG, under a temporary name renamed
 * into place.  Returns 0, or a negative errno with *cause (malloc'd) naming
 * the path; on failure path is left as it was. */
int gt_csv_export(struct gt_recorder *rec, const char *path, char **cause);
int gt_svg_export(struct gt_recorder *rec, const char *path, char **cause);

/* Write lanes (built from rec) to f.  Returns 0, or -EIO when f has an
 * error. */
int gt_csv_write(struct gt_recorder *rec, const struct gt_lanes *lanes,
    FILE *f);
int gt_svg_write(struct gt_recorder *rec, const struct gt_lanes *lanes,
    FILE *f);

#endif
