/*
 * trace/recorder.h: the session's append-only event log, its string table
 * and its runs.
 *
 * Every function may be called from any thread unless it says otherwise.
 * Create the recorder before any executor and free it after all of them.
 * Appending is lock-free for the appending thread (each thread writes its own
 * chunked buffer); readers see events by a stable index in arrival order.
 */
#ifndef GT_RECORDER_H
#define GT_RECORDER_H

#include <stddef.h>
#include <stdint.h>

#include "base.h"
#include "event.h"
#include "settings.h"

struct gt_recorder;

/* Called after events were appended.  Calls coalesce: a reader drains by
 * index and never counts calls.  It runs on the appending thread, outside
 * any lock of the recorder, so it must be cheap and thread-safe (the TUI's
 * wraps uv_async_send). */
typedef void (*gt_wake_fn)(void *arg);

/* A run's mode's traits, one line each: X(ID, bit, "name in files",
 * meaning).  The executors set them from their ops table (trace/ cannot
 * include the scheduler's headers, so the bits are defined here); readers
 * decide by them, never by a mode's name.  A foreign trace's runs have
 * none, so nothing in one is ever "a loop" or "the baseline" by accident. */
#define GT_MODE_TRAITS(X) \
  X(BASELINE,         0, "baseline", \
    "the run the others' speedups are against (sync)") \
  X(WORKERS,          1, "workers", \
    "a pool of threads or of processes runs the tasks") \
  X(LOOP,             2, "loop", \
    "an event loop keeps many tasks in flight (--limit caps them)") \
  X(LIMIT_PER_WORKER, 3, "limit-per-worker", \
    "each worker has its own loop, and --limit is each one's") \
  X(GIL,              4, "gil", \
    "CPU steps can share one global lock (--gil)")

enum {
#define GT_MODE_TRAIT_BIT(id, bit, name, what) GT_MODE_##id = 1u << (bit),
  GT_MODE_TRAITS(GT_MODE_TRAIT_BIT)
#undef GT_MODE_TRAIT_BIT
};

/* Write traits as the names of its bits joined by commas ("workers,gil";
 * "" for none) into buf of len bytes (always terminated).  Returns the
 * length the whole text needs, as snprintf. */
size_t gt_mode_traits_format(uint32_t traits, char *buf, size_t len);

/* The traits named in s, names joined by commas; a name this build does
 * not know (a newer gantty's) is skipped. */
uint32_t gt_mode_traits_parse(const char *s);

/* What the recorder keeps of one run (one workload under one mode). */
struct gt_run_info {
  uint32_t name;        /* label id of the mode name ("sync", ...) */
  int32_t  workers;     /* pool width, 0 when not known */
  uint32_t limit;       /* tasks in flight at most (async), 0: none */
  uint32_t tasks;       /* tasks in the run */
  uint32_t traits;      /* GT_MODE_* bits of its mode; 0: none known */
  uint32_t cores;       /* the CPUs its workers ran on; 0: not known */
  uint64_t start_ns;    /* when the run started; 0 before */
  uint64_t end_ns;      /* when it ended; 0 while it runs */
  uint32_t flags;       /* GT_RUN_* below */
  uint32_t others_pm;   /* with GT_RUN_CONTENTION: the share of the CPU
                           the run could use (its cores x its wall) that
                           other programs took during it, per mille */
};

/* What a run's info says about where it came from and what was measured. */
enum {
  GT_RUN_FOREIGN    = 1u << 0,  /* another tool's trace: not gantty's run
                                   (no ideal, no traits) */
  GT_RUN_CONTENTION = 1u << 1   /* others_pm was measured */
};

/* Other programs took more than this share of the CPU a run could use
 * (per mille): its CPU figures are off, and every reader says so. */
#define GT_CONTENTION_WARN_PM 100u

/* A new, empty recorder whose time origin is now. */
struct gt_recorder *gt_recorder_new(void);

/* Free rec and everything it owns; NULL is a no-op.  No thread may use rec
 * any more. */
void gt_recorder_free(struct gt_recorder *rec);

/* Set the wake callback (NULL for none).  Call before appending starts. */
void gt_recorder_set_wake(struct gt_recorder *rec, gt_wake_fn wake,
    void *arg);

/* The session's time origin, CLOCK_MONOTONIC ns, and a way to set it (the
 * importer sets it to the file's origin) before any reader starts. */
uint64_t gt_recorder_t0(const struct gt_recorder *rec);
void gt_recorder_set_t0(struct gt_recorder *rec, uint64_t t0_ns);

/* The session's workload name (copied; NULL or "" for none), set before
 * any reader starts, and the name: NULL when none was set, as for another
 * tool's trace or an older gantty file.  Borrowed until gt_recorder_free(). */
void gt_recorder_set_workload(struct gt_recorder *rec, const char *name);
const char *gt_recorder_workload(struct gt_recorder *rec);

/* The settings that made the session (copied), set before any reader
 * starts, and the list: empty for another tool's trace or an older
 * gantty's file.  Borrowed until gt_recorder_free(). */
void gt_recorder_set_settings(struct gt_recorder *rec,
    const struct gt_settings *s);
const struct gt_settings *gt_recorder_settings(const struct gt_recorder *rec);

/* gt_now_ns(), the clock of every event, is in base.h. */

/* The id of string s (copied), the same id for the same text; 0 is "". */
uint32_t gt_recorder_intern(struct gt_recorder *rec, const char *s);

/* How many distinct strings rec holds, and the most it can: past that,
 * interning is a bug of the caller (an importer checks first). */
#define GT_RECORDER_MAX_STRINGS (4096u * 1024u)

/* For tests: the slots gt_recorder_intern() has looked at past the first,
 * over the process (a measure of how its table clusters). */
extern size_t gt_recorder_intern_probes;
uint32_t gt_recorder_string_count(struct gt_recorder *rec);

/* The text of id; borrowed until gt_recorder_free(); "" for an unknown id. */
const char *gt_recorder_string(struct gt_recorder *rec, uint32_t id);

/* Add a run; returns its id (0, 1, ...).  The info is copied. */
uint16_t gt_recorder_run_add(struct gt_recorder *rec,
    const struct gt_run_info *info);

/* Mark run's start or end at ts_ns. */
void gt_recorder_run_start(struct gt_recorder *rec, uint16_t run,
    uint64_t ts_ns);
void gt_recorder_run_end(struct gt_recorder *rec, uint16_t run,
    uint64_t ts_ns);

/* Set run's width: the one it could start, when narrower than asked. */
void gt_recorder_run_set_workers(struct gt_recorder *rec, uint16_t run,
    int32_t workers);

/* Record what other programs took of run's CPU (others_pm, per mille
 * of its cores x its wall; see struct gt_run_info); sets
 * GT_RUN_CONTENTION. */
void gt_recorder_run_set_contention(struct gt_recorder *rec, uint16_t run,
    uint32_t others_pm);

/* Copy run's info into *out; returns 0, or -ENOENT when there is no such
 * run. */
int gt_recorder_run_get(struct gt_recorder *rec, uint16_t run,
    struct gt_run_info *out);

/* How many runs there are. */
uint16_t gt_recorder_runs(struct gt_recorder *rec);

/* Append a copy of ev.  Cheap enough for every state change: no lock on the
 * appending thread's path except the first time a thread appends. */
void gt_recorder_append(struct gt_recorder *rec, const struct gt_event *ev);

/* Append many events at once (a batch from a child process). */
void gt_recorder_append_many(struct gt_recorder *rec,
    const struct gt_event *ev, size_t n);

/* Copy up to max events, starting at index from, into out; returns how many.
 * Indexes are stable: event i is the same event for every reader, for the
 * life of rec.  Events appended before the call began are seen by it. */
size_t gt_recorder_read(struct gt_recorder *rec, size_t from,
    struct gt_event *out, size_t max);

/* How many events can be read now. */
size_t gt_recorder_count(struct gt_recorder *rec);

/* Bytes the recorder holds for its events (for the memory budget). */
size_t gt_recorder_event_bytes(struct gt_recorder *rec);

#endif
