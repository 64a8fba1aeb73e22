/*
 * scheduler/session.h: a session, the runs started together and shown
 * together (DESIGN.md, "session").
 *
 * A session runs one set of tasks under each mode of a list, one after
 * another or all at once (--together), each mode writing into its own
 * folder inside the output folder.  It owns the policy that keeps a
 * session within what the machine allows (the open-file limit, shared by
 * the modes that run at once; a mode that does not fit is narrowed and the
 * user told), the runs in progress, their cancellation, and for a headless
 * session the thread that takes SIGINT, SIGTERM and SIGHUP.
 *
 * The caller (gantty's `run`) wires it: gt_session_new() with the settings,
 * gt_session_catch_signals() before any other thread exists when headless,
 * gt_session_set_tasks() once the tasks and the server are known, then
 * either gt_session_run() (headless: blocks) or gt_session_start() and
 * gt_session_join() for each start of the live view.
 */
#ifndef GT_SESSION_H
#define GT_SESSION_H

#include <stddef.h>

#include "recorder.h"
#include "workload.h"

#define GT_SESSION_MAX_MODES 16
#define GT_SESSION_MAX_REPEAT 20         /* --repeat N, at most */
#define GT_SESSION_MAX_RUNS  64          /* modes x repeats, at most */
#define GT_MODE_LEN   32               /* a mode's name, with its NUL */
#define GT_FOLDER_LEN (GT_MODE_LEN + 8)  /* a mode's folder: NAME or NAME-N */

/* What stays the same for every start of a session; strings are
 * borrowed and must outlive it. */
struct gt_session_config {
  const char *modes;        /* comma-separated, checked; NULL: every mode */
  int         together;     /* 1: the modes run at once */
  unsigned    repeat;       /* --repeat: every mode this many times,
                               interleaved (sync, threads, sync,
                               threads ...); 0 or 1: once */
  unsigned    workers;      /* --workers; 0: each mode's default */
  unsigned    limit;        /* --limit; 0: all */
  const char *out_dir;      /* exists; each mode writes in OUT/FOLDER */
  long        timeout_ms;   /* per request; 0: the executor's default */
  int         gil;          /* --gil */
  unsigned    cores;        /* --cores: the workers run on K CPUs (the
                               first K this process may use); 0: all */
  unsigned    switch_ms;    /* the GIL's switch interval; 0: default */
  int         fresh;        /* a new connection for every request */
  unsigned    pool;         /* --pool: libuv's thread pool, the loop modes'
                               writes (1..GT_POOL_MAX); 0: as the
                               environment says, else libuv's 4.  Set by
                               gt_session_new(), which must then run
                               before any thread that reads the
                               environment (gt_scheduler_init()'s sampler
                               does not) */
  int         quiet;        /* no progress lines (errors still told) */
  /* Lines for the user (unescaped: they may name anything), one a call,
   * without "gantty: " or a newline: progress, a narrowed mode, why a mode
   * failed.  Called on the session's threads; NULL: none. */
  void      (*tell)(void *arg, const char *line);
  void       *tell_arg;
};

struct gt_session;

/* The modes list names (NULL: every mode, in the order gt_mode_names()
 * gives), at most GT_SESSION_MAX_MODES, into mode[], and the folder each
 * writes into inside the output folder: the mode's name, then NAME-2,
 * NAME-3 ... for its repeats, so that no two runs share a folder.
 * Returns the count. */
size_t gt_session_modes(const char *list, char mode[][GT_MODE_LEN],
    char folder[][GT_FOLDER_LEN]);

/* The runs of a session that runs the modes list names repeat times
 * (0: once), interleaved: round after round, each round the modes in
 * order; into mode[] and folder[] (as gt_session_modes() names them: a
 * repeat writes into NAME-2, NAME-3 ...), at most GT_SESSION_MAX_RUNS.
 * Returns the count. */
size_t gt_session_runs(const char *list, unsigned repeat,
    char mode[][GT_MODE_LEN], char folder[][GT_FOLDER_LEN]);

/* A session with cfg (copied; its strings borrowed).  Raises the soft
 * open-file limit to the hard one; never NULL. */
struct gt_session *gt_session_new(const struct gt_session_config *cfg);

/* Headless: block SIGINT, SIGTERM and SIGHUP in this thread (call it
 * before any other thread starts, so that every thread inherits the mask)
 * and take them on a thread of the session's with sigwait(): the first
 * stops the runs (what ran is still reported), a second exits at once
 * with 128 + its number.  Returns 0, or a negative errno when the
 * thread could not start (the signals then stay blocked). */
int gt_session_catch_signals(struct gt_session *s);

/* The signal that stopped the session, or 0. */
int gt_session_stop_signal(const struct gt_session *s);

/* The tasks every mode runs (borrowed, to outlive the session), and the
 * URL that paths in them are added to (NULL: none; copied).  server_here:
 * it is the embedded demo server, whose both ends of a request are ours
 * and which is reached directly, never through a proxy. */
void gt_session_set_tasks(struct gt_session *s, const struct gt_task *tasks,
    size_t ntasks, const char *base_url, int server_here);

/* Live: the view is up, so no progress lines, and a mode's failure waits
 * in gt_session_first_error() until it closes instead of going to
 * stderr.  0 when the view is down again. */
void gt_session_set_live(struct gt_session *s, int live);

/* Run every mode into rec and return when all have ended (or stopped). */
void gt_session_run(struct gt_session *s, struct gt_recorder *rec);

/* The live view's start: run every mode into rec on a thread of the
 * session's, with the view's settings (workers 0: --workers or the mode's
 * default; gil), ringing done(done_arg) when they have ended.  Returns 0,
 * or a negative errno when the thread could not start (also kept as
 * the first error, and the session counts as failed). */
int gt_session_start(struct gt_session *s, struct gt_recorder *rec,
    unsigned workers, int gil, void (*done)(void *), void *done_arg);

/* The view's cores for the next gt_session_start() (0: --cores, or every
 * CPU): the `{` and `}` keys. */
void gt_session_set_cores(struct gt_session *s, unsigned cores);

/* Wait for the thread gt_session_start() started, if any. */
void gt_session_join(struct gt_session *s);

/* 1 while the thread gt_session_start() started runs modes. */
int gt_session_running(const struct gt_session *s);

/* Stop every run in progress and keep later ones from starting, until the
 * next gt_session_start().  Any thread. */
void gt_session_cancel(struct gt_session *s);

/* 1 when a mode could not run (its folder, its workers). */
int gt_session_failed(const struct gt_session *s);

/* Why the first mode failed while live (unescaped), or NULL; borrowed
 * until gt_session_free(). */
const char *gt_session_first_error(const struct gt_session *s);

/* End the signal thread, if any, and free s; NULL is a no-op. */
void gt_session_free(struct gt_session *s);

#endif
