/*
 * trace/event.c: the names of the wait reasons, from GT_REASONS.
 */
#include "event.h"

static const char *const reason_names[GT_R_COUNT] = {
  [GT_R_NONE] = "",
#define GT_REASON_NAME(id, name, utf8, ascii, ansi, rgb, what) \
  [GT_R_##id] = name,
  GT_REASONS(GT_REASON_NAME)
#undef GT_REASON_NAME
};

/* The name of a wait reason. */
const char *
gt_reason_name(int reason)
{
  if (reason < 0 || reason >= GT_R_COUNT)
    return "";
  return reason_names[reason];
}

/* 1 for the reasons that are the state ready, not a wait. */
int
gt_reason_ready(int reason)
{
  return reason == GT_R_CORE || reason == GT_R_LOOP;
}
