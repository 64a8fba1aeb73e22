/*
 * scheduler/wire.h: what crosses the pipes between a process-mode run
 * (exec_procs.c) and its worker processes (worker.c).
 *
 * Both directions carry records: a header of two little-endian-as-the-host
 * u32 (type, payload length) and the payload.  Parent and child are the same
 * executable on the same machine, so events cross as the raw struct.
 *
 *   parent -> child   SETUP  the run: child mode, URL, folder, timeout, tasks
 *                     TASK   u32 task index: run it
 *                     CANCEL stop what runs, start nothing more
 *                     CLOSE  no more tasks: finish and exit
 *   child -> parent   STR    u32 id, text: a label, before its first use
 *                     EVS    struct gt_event, one or more, labels child ids
 *                     ERR    text: why the child cannot go on (then it exits)
 *                     NORES  text: it could not start its threads (the
 *                            process limit, memory); it ran nothing and
 *                            exits, and its tasks can go to another
 *
 * A worker writes its batches PIPE_BUF bytes at most, each write atomic.
 * Only its sender thread writes there, so atomicity is not what matters;
 * 64 KiB writes were measured too and crossed events no faster
 * (bench_procs transport: 32-49 ns an event with either).
 */
#ifndef GT_SCHEDULER_WIRE_H
#define GT_SCHEDULER_WIRE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "workload.h"

enum gt_wire_type {
  GT_W_SETUP = 1,
  GT_W_TASK,
  GT_W_CANCEL,
  GT_W_CLOSE,
  GT_W_STR,
  GT_W_EVS,
  GT_W_ERR,
  GT_W_NORES,
};

#define GT_WIRE_HEADER 8u           /* type, length */
#define GT_WIRE_MAX    (64u << 20)  /* a longer record is a broken stream */
#define GT_WIRE_BATCH  PIPE_BUF     /* bytes a worker writes at once */

/* A growable byte buffer to encode into. */
struct gt_wbuf {
  char  *p;
  size_t len, cap;
};

/* A buffer being decoded: a failed read sets bad and returns zero. */
struct gt_rbuf {
  const char *p;
  size_t      len, off;
  int         bad;
};

void gt_wbuf_put(struct gt_wbuf *b, const void *data, size_t len);
void gt_wbuf_u32(struct gt_wbuf *b, uint32_t v);
void gt_wbuf_u64(struct gt_wbuf *b, uint64_t v);
void gt_wbuf_str(struct gt_wbuf *b, const char *s);  /* NULL crosses too */
/* Append a whole record. */
void gt_wbuf_record(struct gt_wbuf *b, uint32_t type, const void *payload,
    size_t len);

uint32_t gt_rbuf_u32(struct gt_rbuf *r);
uint64_t gt_rbuf_u64(struct gt_rbuf *r);
char *gt_rbuf_str(struct gt_rbuf *r);  /* malloc'd; NULL for a NULL */

/* What SETUP carries. */
struct gt_wire_setup {
  char           *mode;       /* the child's own mode: threads or async */
  char           *base_url;
  char           *out_dir;
  int64_t         timeout_ms;
  uint32_t        limit;
  uint32_t        fresh;      /* a new connection per request */
  uint32_t        direct;     /* base_url is reached without a proxy */
  uint64_t        body_max;   /* bytes one answer may have */
  uint64_t        body_held;  /* bytes this worker's answers may hold */
  struct gt_task *tasks;
  size_t          ntasks;
};

/* Encode a SETUP record (header included) into b.  Returns 0, or with
 * *cause GT_ENOFUNC when a CPU step's function has no name
 * (gt_cpu_register), -EMSGSIZE when the record would pass GT_WIRE_MAX. */
int gt_wire_setup_encode(struct gt_wbuf *b, const char *mode,
    const char *base_url, const char *out_dir, long timeout_ms,
    unsigned limit, int fresh, int direct, size_t body_max,
    size_t body_held, const struct gt_task *tasks, size_t ntasks,
    char **cause);

/* Decode a SETUP payload.  Returns 0, or with *cause GT_ENOFUNC when a CPU
 * step names a function this executable has not registered, GT_EPARSE for
 * a payload that is not a set-up of this version. */
int gt_wire_setup_decode(const char *payload, size_t len,
    struct gt_wire_setup *out, char **cause);
void gt_wire_setup_free(struct gt_wire_setup *s);

#endif
