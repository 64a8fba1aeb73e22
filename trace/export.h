/*
 * trace/export.h: the session written out: the choice of a writer, the
 * temporary file renamed into place, and the CSV (one row per state
 * interval) and SVG (the chart as a picture) writers.  Chrome JSON's writer
 * is in chrome.h.  Every writer reads the timeline (timeline.h).
 */
#ifndef GT_EXPORT_H
#define GT_EXPORT_H

#include <stdio.h>

#include "recorder.h"
#include "timeline.h"

/* A writer: tl to f.  Returns 0, or -EIO when f has an error. */
typedef int gt_writer_fn(const struct gt_timeline *tl, FILE *f);

/* Fold rec into a timeline of all it holds and write it to path with
 * write, under a temporary name renamed into place (what
 * gt_chrome_export, gt_csv_export and gt_svg_export do); a path ending in
 * ".gz" gets the same bytes gzip-compressed (gzout.h).  Returns 0, or a
 * negative errno with *cause (malloc'd) naming the path; on failure path
 * is left as it was. */
int gt_export_with(struct gt_recorder *rec, const char *path,
    gt_writer_fn *write, char **cause);

/* Write rec's session to path as CSV or SVG (as gt_export_with). */
int gt_csv_export(struct gt_recorder *rec, const char *path, char **cause);
int gt_svg_export(struct gt_recorder *rec, const char *path, char **cause);

/* Write tl to f as CSV or SVG.  Return 0, or -EIO when f has an error. */
gt_writer_fn gt_csv_write;
gt_writer_fn gt_svg_write;

#endif
