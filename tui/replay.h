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

#include "chrome.h"
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

/* A playback of the Chrome JSON trace at path (borrowed: it must outlive
 * the replay), read by a thread of its own so that a view can draw at
 * once: until the file is read the view's recorder is empty, actions do
 * nothing (a pause key says whether it will play once read), and the
 * replay is paused at the start then.  The view finds the read session
 * as a replaced recorder (gt_replay_recorder) after any gt_replay_clock.
 * Not thread-safe: the view's thread calls every function. */
struct gt_replay *gt_replay_open(const char *path);

/* Call fn(r, arg) on the view's thread when gt_replay_open()'s file has
 * been read and the playback built (not when it failed). */
void gt_replay_on_load(struct gt_replay *r,
    void (*fn)(struct gt_replay *r, void *arg), void *arg);

/* 1 while gt_replay_open()'s file is being read, with the bytes read and
 * the file's size so far; 0 once read (or failed). */
int gt_replay_loading(struct gt_replay *r, uint64_t *done,
    uint64_t *total);

/* Stop reading gt_replay_open()'s file at its next chunk, if it is still
 * being read (a view closed before it was): gt_replay_loaded() then
 * returns -ECANCELED. */
void gt_replay_stop(struct gt_replay *r);

/* 1 when gt_replay_open()'s file could not be read (the view has nothing
 * to show); gt_replay_loaded() says why. */
int gt_replay_failed(struct gt_replay *r);

/* Wait until gt_replay_open()'s file is read; returns what
 * gt_chrome_import() returned, with its report into *rep (may be NULL)
 * and, on failure, its message into *cause (malloc'd; the caller frees
 * it).  For gt_replay_new(): 0. */
int gt_replay_loaded(struct gt_replay *r, struct gt_import_report *rep,
    char **cause);

/* The whole session played back (waits for gt_replay_open()'s file);
 * borrowed until gt_replay_free(). */
struct gt_recorder *gt_replay_source(struct gt_replay *r);

/* Free the playback and give its whole session back (waits for
 * gt_replay_open()'s file, which the caller then frees with
 * gt_recorder_free(); gt_replay_new()'s stays the caller's as it was):
 * what is read after the view, without the view's copies held. */
struct gt_recorder *gt_replay_release(struct gt_replay *r);

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
