/*
 * trace/event.c: names of kinds, reasons and error codes.
 */
#include "event.h"

#include <string.h>

static const char *const reason_names[GT_R_COUNT] = {
  [GT_R_NONE] = "",
  [GT_R_NET] = "net",
  [GT_R_CONNECT] = "connect",
  [GT_R_DISK] = "disk",
  [GT_R_TIMER] = "timer",
  [GT_R_GIL] = "gil",
  [GT_R_LOCK] = "lock",
  [GT_R_POOL] = "pool",
};

/* The name of a wait reason. */
const char *
gt_reason_name(int reason)
{
  if (reason < 0 || reason >= GT_R_COUNT)
    return "";
  return reason_names[reason];
}

/* The reason called name, or -1. */
int
gt_reason_from_name(const char *name)
{
  int i;

  for (i = 1; i < GT_R_COUNT; i++)
    if (strcmp(reason_names[i], name) == 0)
      return i;
  return -1;
}

/* The name of an event kind. */
const char *
gt_kind_name(int kind)
{
  switch (kind) {
  case GT_EV_QUEUE:  return "queue";
  case GT_EV_START:  return "start";
  case GT_EV_WAIT:   return "wait";
  case GT_EV_RESUME: return "resume";
  case GT_EV_FINISH: return "finish";
  }
  return "?";
}
