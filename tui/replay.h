/*
 * tui/replay.h: playing a recorded session back.
 *
 * The session read from a file stays as it is; the view reads a second
 * recorder that this fills as the playback clock passes each event's time,
 * so the view shows a replay exactly as it showed the run live (the same
 * code path: DESIGN.md).  Going back (a step back, Home) fills a new
 * recorder up to the earlier time, and the view is built again on it.
 * No curses here: the live view maps its keys to the actions below.
 */
#ifndef GT_REPLAY_H
#define GT_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "recorder.h"

enum gt_replay_action {
  GT_REPLAY_PAUSE = 1,   /* pause, or play on (from the start at the end) */
  GT_REPLAY_SLOWER,      /* half the speed, down to 0.125x */
  GT_REPLAY_FASTER,      /* twice the speed, up to 64x */
  GT_REPLAY_PREV,        /* paused: back to the previous event */
  GT_REPLAY_NEXT,        /* paused: on to the next event */
  GT_REPLAY_HOME,        /* back to the start, paused */
  GT_REPLAY_END          /* to the end, paused */
};

struct gt_replay;

/* A playback of src (a whole session, which must outlive it), paused at
 * its start, at speed 1x. */
struct gt_replay *gt_replay_new(struct gt_recorder *src);
void gt_replay_free(struct gt_replay *r);

/* The recorder the view reads; another one after an action that went
 * back (the previous one stays valid until the next such action). */
struct gt_recorder *gt_replay_recorder(struct gt_replay *r);

/* Advance the clock to wall time wall_ns (CLOCK_MONOTONIC) when playing,
 * filling the recorder; returns the session time shown, absolute ns. */
uint64_t gt_replay_clock(struct gt_replay *r, uint64_t wall_ns);

/* Do an action at wall time wall_ns; msg (len bytes) says what happened.
 * Returns 1 when the recorder was replaced (build the view again), 0
 * otherwise. */
int gt_replay_act(struct gt_replay *r, int action, uint64_t wall_ns,
    char *msg, size_t len);

/* Playing (1) or paused (0), and the speed. */
int gt_replay_playing(const struct gt_replay *r);
double gt_replay_speed(const struct gt_replay *r);

/* Events given to the view so far, and in all. */
size_t gt_replay_shown(const struct gt_replay *r);
size_t gt_replay_total(const struct gt_replay *r);

#endif
