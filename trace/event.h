/*
 * trace/event.h: the event value, wait reasons and gantty's error codes.
 *
 * An event is a fixed-size value with no pointers: it crosses threads, pipes
 * and files unchanged.  A task's state at time t is fixed by its latest event
 * at or before t.  Logs are in arrival order, never assumed sorted by time.
 */
#ifndef GT_EVENT_H
#define GT_EVENT_H

#include <stdint.h>

#include "base.h"  /* GT_E* codes, gt_strerror() */

enum gt_event_kind {
  GT_EV_QUEUE = 1,  /* waits for a worker; label = the task's name */
  GT_EV_START,      /* a worker took it; label = the step now running */
  GT_EV_WAIT,       /* blocked on reason; label = what it waits for */
  GT_EV_RESUME,     /* running again; label = the step now running */
  GT_EV_FINISH      /* status 0 or a GT_E* code; label = error text */
};

/* Colours as the terminal numbers them (the eight ANSI colours, which are
 * curses' COLOR_* values); trace/ has no curses, so it names them here. */
enum gt_ansi {
  GT_ANSI_DEFAULT = -1, GT_ANSI_BLACK, GT_ANSI_RED, GT_ANSI_GREEN,
  GT_ANSI_YELLOW, GT_ANSI_BLUE, GT_ANSI_MAGENTA, GT_ANSI_CYAN, GT_ANSI_WHITE
};

/* The wait reasons, one line each, in the order the legend shows them.
 * Adding a reason is one line here: the enum, its name, its lane category
 * (category.h) and that category's look (category.c) follow from it.
 *   X(ID, "name", UTF-8 glyph, ASCII glyph, ANSI colour, RGB colour,
 *     what it means)
 * The last two are not waits but the state *ready* (gt_reason_ready()):
 * the task could run and does not, for want of a core or of its loop.
 * They have running's colour (it could run) and a shaded glyph (it
 * does not).
 * The RGB colour is the ANSI colour as GNOME Terminal's default (Tango)
 * palette shows it: the SVG draws with it, so the picture looks like the
 * terminal.  Two reasons may share a colour (the terminal has only seven
 * to give); their glyphs and names still tell them apart. */
#define GT_REASONS(X) \
  X(NET,     "net",     "░", "-", GT_ANSI_BLUE,    "#3465a4", \
    "waiting for a response") \
  X(CONNECT, "connect", "c", "c", GT_ANSI_CYAN,    "#06989a", \
    "setting a connection up") \
  X(DISK,    "disk",    "d", "d", GT_ANSI_YELLOW,  "#c4a000", \
    "a file write") \
  X(TIMER,   "timer",   "t", "t", GT_ANSI_MAGENTA, "#75507b", \
    "a sleep") \
  X(GIL,     "gil",     "g", "g", GT_ANSI_RED,     "#cc0000", \
    "wanting the global interpreter lock") \
  X(LOCK,    "lock",    "l", "l", GT_ANSI_RED,     "#cc0000", \
    "any other lock") \
  X(POOL,    "pool",    "p", "p", GT_ANSI_WHITE,   "#d3d7cf", \
    "waiting for a slot in a pool") \
  X(CORE,    "no core", "▒", "=", GT_ANSI_GREEN,   "#4e9a06", \
    "ready: runnable, but no core was free") \
  X(LOOP,    "loop busy", "≈", "~", GT_ANSI_GREEN, "#4e9a06", \
    "ready: its I/O is done, its loop runs another task")

/* How far a gantty run's running and ready (no core) edges can be off:
 * the tick of the sampler that measures them (scheduler/cpuwatch.h). */
#define GT_RUNNING_RESOLUTION_NS 2000000ull

enum gt_reason {
  GT_R_NONE = 0,
#define GT_REASON_ENUM(id, name, utf8, ascii, ansi, rgb, what) GT_R_##id,
  GT_REASONS(GT_REASON_ENUM)
#undef GT_REASON_ENUM
  GT_R_COUNT
};

struct gt_event {
  uint64_t ts_ns;   /* CLOCK_MONOTONIC when it happened, emitting process */
  uint32_t task;    /* task index inside its run, 0..N-1 */
  uint32_t label;   /* id from gt_recorder_intern(); 0 is the empty string */
  int32_t  worker;  /* thread index (from 0) or process id; -1 when none */
  int32_t  status;  /* GT_EV_FINISH only: 0 or a negative GT_E* code */
  uint16_t run;     /* run id from gt_recorder_run_add() */
  uint8_t  kind;    /* enum gt_event_kind */
  uint8_t  reason;  /* enum gt_reason, GT_EV_WAIT only */
};

/* The short name of a reason ("net", "disk", ...); "" for GT_R_NONE. */
const char *gt_reason_name(int reason);

/* 1 when reason is one of the state ready's (no core, loop busy): the
 * task could run and does not; 0 for a wait. */
int gt_reason_ready(int reason);

#endif
