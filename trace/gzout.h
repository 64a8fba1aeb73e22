/*
 * trace/gzout.h: a stdio stream whose bytes are written gzip-compressed
 * into another stream, so that every writer (gt_writer_fn) writes a .gz
 * file unchanged.
 */
#ifndef GT_GZOUT_H
#define GT_GZOUT_H

#include <stdio.h>

/* A FILE that deflates what is written to it into to, as one gzip member
 * (what `gzip -c` writes).  fclose() of it writes the member's end and
 * returns EOF when a write to to failed; it does not close to, whose own
 * error flag (and gantty's outfile's errno) holds the write error.  Aborts
 * when memory runs out. */
FILE *gt_gzout_open(FILE *to);

/* 1 when path names a gzip file (ends in ".gz"). */
int gt_gzout_named(const char *path);

#endif
