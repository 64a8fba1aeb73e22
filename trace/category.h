/*
 * trace/category.h: what a stretch of a lane is, for every reader that
 * draws or counts it: nothing, queued, running, or waiting on a reason.
 *
 * The waiting categories are derived from enum gt_reason (event.h): one
 * per reason, in the reason's order, so a new reason is a new category.
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

/* The category of a wait on reason (an unknown reason: the first). */
#define GT_CAT_OF_REASON(r) ((r) >= 1 && (r) < GT_R_COUNT \
    ? GT_CAT_WAIT + (r) - 1 : GT_CAT_WAIT)

#endif
