/*
 * scheduler/wire.c: encoding and decoding of the records of wire.h.
 */
#include "wire.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

#define NO_STRING UINT32_MAX   /* the length that marks a NULL string */
#define SETUP_VERSION 4u  /* 4: a step's kind of GIL use */

/* Append len bytes. */
void
gt_wbuf_put(struct gt_wbuf *b, const void *data, size_t len)
{
  if (b->len + len > b->cap) {
    b->cap = b->cap ? b->cap : 256;
    while (b->cap < b->len + len)
      b->cap *= 2;
    b->p = gt_xrealloc(b->p, b->cap);
  }
  if (len > 0)
    memcpy(b->p + b->len, data, len);
  b->len += len;
}

void
gt_wbuf_u32(struct gt_wbuf *b, uint32_t v)
{
  gt_wbuf_put(b, &v, sizeof(v));
}

void
gt_wbuf_u64(struct gt_wbuf *b, uint64_t v)
{
  gt_wbuf_put(b, &v, sizeof(v));
}

/* A length, then the bytes; NULL is a length of NO_STRING. */
void
gt_wbuf_str(struct gt_wbuf *b, const char *s)
{
  size_t n = s != NULL ? strlen(s) : 0;

  gt_wbuf_u32(b, s != NULL ? (uint32_t)n : NO_STRING);
  gt_wbuf_put(b, s, n);
}

/* Header and payload. */
void
gt_wbuf_record(struct gt_wbuf *b, uint32_t type, const void *payload,
    size_t len)
{
  gt_wbuf_u32(b, type);
  gt_wbuf_u32(b, (uint32_t)len);
  gt_wbuf_put(b, payload, len);
}

/* The next n bytes, or NULL (and bad) when fewer are left. */
static const char *
take(struct gt_rbuf *r, size_t n)
{
  const char *p;

  if (r->bad || r->len - r->off < n) {
    r->bad = 1;
    return NULL;
  }
  p = r->p + r->off;
  r->off += n;
  return p;
}

uint32_t
gt_rbuf_u32(struct gt_rbuf *r)
{
  const char *p = take(r, sizeof(uint32_t));
  uint32_t v = 0;

  if (p != NULL)
    memcpy(&v, p, sizeof(v));
  return v;
}

uint64_t
gt_rbuf_u64(struct gt_rbuf *r)
{
  const char *p = take(r, sizeof(uint64_t));
  uint64_t v = 0;

  if (p != NULL)
    memcpy(&v, p, sizeof(v));
  return v;
}

char *
gt_rbuf_str(struct gt_rbuf *r)
{
  uint32_t n = gt_rbuf_u32(r);
  const char *p;
  char *s;

  if (r->bad || n == NO_STRING)
    return NULL;
  p = take(r, n);
  if (p == NULL)
    return NULL;
  s = gt_xmalloc((size_t)n + 1);
  memcpy(s, p, n);
  s[n] = '\0';
  return s;
}

/* SETUP: version, the run's settings, then every task and its steps; a CPU
 * step crosses as its function's name, with its kind of GIL use (a worker
 * runs no GIL, but the kind is the step's, and stays with it). */
int
gt_wire_setup_encode(struct gt_wbuf *b, const char *mode,
    const char *base_url, const char *out_dir, long timeout_ms,
    unsigned limit, int fresh, int direct, size_t body_max,
    size_t body_held, const struct gt_task *tasks, size_t ntasks,
    char **cause)
{
  size_t start = b->len, i, j;

  gt_wbuf_u32(b, GT_W_SETUP);
  gt_wbuf_u32(b, 0);  /* the length, filled in below */
  gt_wbuf_u32(b, SETUP_VERSION);
  gt_wbuf_str(b, mode);
  gt_wbuf_str(b, base_url);
  gt_wbuf_str(b, out_dir);
  gt_wbuf_u64(b, (uint64_t)(int64_t)timeout_ms);
  gt_wbuf_u32(b, limit);
  gt_wbuf_u32(b, fresh ? 1 : 0);
  gt_wbuf_u32(b, direct ? 1 : 0);
  gt_wbuf_u64(b, body_max);
  gt_wbuf_u64(b, body_held);
  gt_wbuf_u64(b, ntasks);
  for (i = 0; i < ntasks; i++) {
    gt_wbuf_str(b, tasks[i].name);
    gt_wbuf_u64(b, tasks[i].nsteps);
    for (j = 0; j < tasks[i].nsteps; j++) {
      const struct gt_step *s = &tasks[i].steps[j];
      const char *fn = NULL;

      if (s->kind == GT_STEP_CPU) {
        fn = gt_cpu_name(s->cpu);
        if (fn == NULL) {
          gt_set_cause(cause, "task '%s', step '%s': its CPU function has no "
              "name, so a worker process cannot find it (gt_cpu_register)",
              tasks[i].name, s->label);
          b->len = start;
          return GT_ENOFUNC;
        }
      }
      gt_wbuf_u32(b, (uint32_t)s->kind);
      gt_wbuf_str(b, s->label);
      gt_wbuf_str(b, s->target);
      gt_wbuf_u64(b, s->arg);
      gt_wbuf_str(b, fn);
      gt_wbuf_u32(b, (uint32_t)s->gil);
    }
  }
  if (b->len - start - GT_WIRE_HEADER > GT_WIRE_MAX) {
    gt_set_cause(cause, "%zu tasks make a set-up of %zu bytes for the worker "
        "processes; at most %u", ntasks, b->len - start - GT_WIRE_HEADER,
        GT_WIRE_MAX);
    b->len = start;
    return -EMSGSIZE;
  }
  {
    uint32_t len = (uint32_t)(b->len - start - GT_WIRE_HEADER);

    memcpy(b->p + start + sizeof(uint32_t), &len, sizeof(len));
  }
  return 0;
}

/* Decode SETUP; every string is the child's own copy. */
int
gt_wire_setup_decode(const char *payload, size_t len,
    struct gt_wire_setup *out, char **cause)
{
  struct gt_rbuf r = { payload, len, 0, 0 };
  uint64_t ntasks, nsteps, i, j;
  uint32_t version;
  int rc = GT_EPARSE;

  memset(out, 0, sizeof(*out));
  version = gt_rbuf_u32(&r);
  if (!r.bad && version != SETUP_VERSION) {
    gt_set_cause(cause, "set-up version %u, expected %u", version,
        SETUP_VERSION);
    return GT_EPARSE;
  }
  out->mode = gt_rbuf_str(&r);
  out->base_url = gt_rbuf_str(&r);
  out->out_dir = gt_rbuf_str(&r);
  out->timeout_ms = (int64_t)gt_rbuf_u64(&r);
  out->limit = gt_rbuf_u32(&r);
  out->fresh = gt_rbuf_u32(&r);
  out->direct = gt_rbuf_u32(&r);
  out->body_max = gt_rbuf_u64(&r);
  out->body_held = gt_rbuf_u64(&r);
  ntasks = gt_rbuf_u64(&r);
  /* every task takes at least 12 bytes: a bound before allocating */
  if (r.bad || out->mode == NULL || ntasks > (len - r.off) / 12) {
    gt_set_cause(cause, "set-up cut short at byte %zu of %zu", r.off, len);
    goto fail;
  }
  out->tasks = gt_xcalloc(ntasks ? ntasks : 1, sizeof(*out->tasks));
  out->ntasks = ntasks;
  for (i = 0; i < ntasks; i++) {
    struct gt_task *t = &out->tasks[i];

    t->name = gt_rbuf_str(&r);
    nsteps = gt_rbuf_u64(&r);
    if (r.bad || t->name == NULL || nsteps > (len - r.off) / 28) {
      gt_set_cause(cause, "set-up of task %llu cut short at byte %zu of %zu",
          (unsigned long long)i, r.off, len);
      goto fail;
    }
    t->steps = gt_xcalloc(nsteps ? nsteps : 1, sizeof(*t->steps));
    t->nsteps = nsteps;
    for (j = 0; j < nsteps; j++) {
      struct gt_step *s = &t->steps[j];
      char *fn;

      s->kind = (int)gt_rbuf_u32(&r);
      s->label = gt_rbuf_str(&r);
      s->target = gt_rbuf_str(&r);
      s->arg = gt_rbuf_u64(&r);
      fn = gt_rbuf_str(&r);
      s->gil = (int)gt_rbuf_u32(&r);
      if (r.bad || s->label == NULL || s->kind < GT_STEP_CPU
          || s->kind > GT_STEP_UNLOCK || gt_gil_kind_name(s->gil) == NULL
          || ((s->kind == GT_STEP_LOCK || s->kind == GT_STEP_UNLOCK)
              && s->arg >= GT_LOCKS_MAX)
          || (s->kind != GT_STEP_CPU && s->kind != GT_STEP_SLEEP
              && s->target == NULL)) {
        free(fn);
        gt_set_cause(cause, "set-up of task '%s', step %llu: bad step at "
            "byte %zu of %zu", t->name, (unsigned long long)j, r.off, len);
        goto fail;
      }
      if (s->kind == GT_STEP_CPU) {
        s->cpu = fn != NULL ? gt_cpu_find(fn) : NULL;
        if (s->cpu == NULL) {
          gt_set_cause(cause, "task '%s', step '%s': no CPU function called "
              "'%s' in this executable", t->name, s->label, fn ? fn : "");
          free(fn);
          rc = GT_ENOFUNC;
          goto fail;
        }
      }
      free(fn);
    }
  }
  if (r.off != len) {
    gt_set_cause(cause, "set-up has %zu bytes after its last task",
        len - r.off);
    goto fail;
  }
  return 0;

fail:
  gt_wire_setup_free(out);
  return rc;
}

/* Free what a decode made. */
void
gt_wire_setup_free(struct gt_wire_setup *s)
{
  free(s->mode);
  free(s->base_url);
  free(s->out_dir);
  gt_tasks_free(s->tasks, s->ntasks);
  memset(s, 0, sizeof(*s));
}
