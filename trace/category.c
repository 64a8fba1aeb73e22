/*
 * trace/category.c: the look of every lane category, in one table.  The
 * waiting categories' rows come from GT_REASONS (event.h), so a reason
 * added there is drawn everywhere without a line here.
 */
#include "category.h"

/* The table: none, queued, running, then one row per reason.  Queued is
 * the terminal's dim white dots; on white paper the SVG draws them in
 * Tango's bright black. */
const struct gt_cat_info gt_cat_table[GT_CAT_COUNT] = {
  [GT_CAT_NONE] = { "", "no task", " ", " ", GT_ANSI_DEFAULT, 0, "" },
  [GT_CAT_QUEUED] = { "queued", "waiting for a worker", "·", ".",
    GT_ANSI_WHITE, 1, "#888a85" },
  [GT_CAT_RUNNING] = { "running", "on a CPU", "█", "#", GT_ANSI_GREEN, 0,
    "#4e9a06" },
#define GT_REASON_CAT(id, name, utf8, ascii, ansi, rgb, what) \
  [GT_CAT_WAIT + GT_R_##id - 1] = { name, what, utf8, ascii, ansi, 0, rgb },
  GT_REASONS(GT_REASON_CAT)
#undef GT_REASON_CAT
};

/* The entry of category c. */
const struct gt_cat_info *
gt_cat_info(int c)
{
  if (c < 0 || c >= GT_CAT_COUNT)
    c = GT_CAT_NONE;
  return &gt_cat_table[c];
}
