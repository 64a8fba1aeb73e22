/*
 * trace/category.h: what a stretch of a lane is, for every reader that
 * draws or counts it: nothing, queued, running, or waiting on a reason.
 *
 * The waiting categories are derived from enum gt_reason (event.h): one
 * per reason, in the reason's order, so a new reason is a new category.
 * Every category's look lives in one table (category.c), which the
 * terminal view, the headless report and the SVG all draw with: its name,
 * its glyph in UTF-8 and in ASCII, its terminal colour and the RGB colour
 * the SVG uses for it.  Legends list categories in the enum's order
 * (queued, running, then the reasons in GT_REASONS' order).
 */
#ifndef GT_CATEGORY_H
#define GT_CATEGORY_H

#include "event.h"

enum gt_cat {
  GT_CAT_NONE = 0,    /* before the task exists, or after it finished */
  GT_CAT_QUEUED,
  GT_CAT_RUNNING,
  GT_CAT_WAIT,        /* GT_CAT_WAIT + (reason - 1), reasons net..pool */
  GT_CAT_COUNT = GT_CAT_WAIT + GT_R_COUNT - 1
};

/* Readers keep the categories they saw as bits of an unsigned. */
_Static_assert(GT_CAT_COUNT <= 32, "a category for each bit of an unsigned");

/* The category of a wait on reason (an unknown reason: the first). */
#define GT_CAT_OF_REASON(r) ((r) >= 1 && (r) < GT_R_COUNT \
    ? GT_CAT_WAIT + (r) - 1 : GT_CAT_WAIT)

/* The reason of a waiting category; GT_R_NONE for the others. */
#define GT_CAT_REASON(c) ((c) >= GT_CAT_WAIT && (c) < GT_CAT_COUNT \
    ? (c) - GT_CAT_WAIT + 1 : GT_R_NONE)

/* How a category looks and what it is called. */
struct gt_cat_info {
  const char *name;     /* "queued", "running", a reason's name; "" */
  const char *what;     /* what it means, in a few words */
  const char *utf8;     /* glyph, one column wide */
  const char *ascii;    /* glyph in plain ASCII */
  int         ansi;     /* enum gt_ansi; GT_ANSI_DEFAULT: not coloured */
  int         dim;      /* 1: drawn faint (queued: dim dots) */
  const char *rgb;      /* "#rrggbb" as the SVG draws it; "" for none */
};

/* The table, indexed by enum gt_cat. */
extern const struct gt_cat_info gt_cat_table[GT_CAT_COUNT];

/* The entry of category c (an out-of-range c: GT_CAT_NONE's). */
const struct gt_cat_info *gt_cat_info(int c);

#endif
