/*
 * trace/recorder.c: the session's append-only event log.
 *
 * Design.  Each appending thread owns a producer: a linked list of chunks it
 * alone writes, and a published count it stores with release order.  No lock
 * and no shared cache line is touched on that path, which is what keeps an
 * append close to the cost of the clock read before it (see bench/ and
 * docs/PERFORMANCE.md).  Readers share one global index: under read_lock a
 * reader gathers what producers published since the last gather and records
 * it as segments (a run of consecutive events in one chunk) appended to a
 * table.  Event i is found by binary search over the segments' start
 * indexes; since segments are only appended, an index never changes meaning.
 * Chunks never move and are freed only with the recorder.
 *
 * Two costs dominate an append once locks are gone, and both are designed
 * out (bench/bench_recorder.c, docs/PERFORMANCE.md):
 * - Page faults.  A fresh 4 KiB page costs ~1.5 us to fault in on our VMs,
 *   12 ns per event.  A thread's first chunks are small (malloc); once it
 *   has written a few thousand events its chunks are 2 MiB regions aligned
 *   for a transparent huge page, one fault per 65 535 events.
 * - The wake protocol.  Publish-then-check against the reader's
 *   clear-then-gather is a store-load pattern that needs a full fence on
 *   one side.  The appender's side only gets a compiler barrier; the reader,
 *   which gathers ~30 times a second, pays with membarrier(2), which puts a
 *   full fence on every running thread of the process (liburcu's scheme).
 *   Where membarrier is missing, both sides are sequentially consistent.
 *
 * Threads: any thread may append, read, intern or look strings up.  The wake
 * callback runs on the appending thread after its event is published.
 */
#define _GNU_SOURCE
#include "recorder.h"

#include <errno.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "base.h"

#define CHUNK_MIN    64u         /* a thread's first chunk, in events */
#define CHUNK_MALLOC 2048u       /* malloc'd chunks double up to this */
#define HUGE_BYTES   (2u << 20)  /* then chunks are one huge page each */
#define STR_SHIFT    10u         /* strings per string-table block: 1024 */
#define STR_BLOCKS   4096u       /* so at most 4 M distinct strings */
_Static_assert((STR_BLOCKS << STR_SHIFT) == GT_RECORDER_MAX_STRINGS,
    "recorder.h says how many strings fit");
#define MAX_RUNS     1024u

struct chunk {
  struct chunk *_Atomic next;    /* set by the writer before it publishes */
  uint32_t              cap;     /* events this chunk holds */
  uint32_t              mapped;  /* 1: a HUGE_BYTES mmap, else malloc'd */
  struct gt_event       ev[];
};

struct producer {
  /* Writer side: only the owning thread touches these. */
  struct chunk   *tail;          /* chunk being filled */
  uint32_t        tail_used;     /* events in tail */
  size_t          written;       /* events written, ever */
  _Atomic size_t  published;     /* = written, stored with release */

  /* Reader side: under rec->read_lock. */
  struct chunk   *rchunk;        /* where the next gather starts */
  uint32_t        rpos;          /* index in rchunk */
  size_t          gathered;      /* events already in the index */

  struct chunk   *head;          /* first chunk, for freeing */
  const void     *owner;         /* the owning thread's token */
  struct producer *next;         /* list of producers, newest first */
};

struct segment {
  size_t           start;        /* global index of ev[0] */
  struct gt_event *ev;           /* first event; points into a chunk */
  size_t           len;          /* events in this segment */
};

struct gt_recorder {
  uint64_t         id;           /* unique per recorder, for thread caches */
  uint64_t         t0_ns;
  uint32_t         workload;     /* string id of the workload's name; 0:
                                    none (set before readers start) */
  struct gt_settings settings;   /* what made the session (set before
                                    readers start) */

  gt_wake_fn       wake;
  void            *wake_arg;
  atomic_int       wake_pending; /* 1: a wake was sent and not yet read */
  int              asym_fence;   /* 1: the reader's membarrier fences */

  pthread_mutex_t  prod_lock;    /* adding producers */
  struct producer *_Atomic producers;

  pthread_mutex_t  read_lock;    /* the segment index */
  struct segment  *seg;
  size_t           nseg, seg_cap;
  size_t           count;        /* events in the index */
  size_t           chunk_bytes;  /* memory held by chunks, for the budget */

  pthread_mutex_t  str_lock;     /* interning */
  char *_Atomic   *_Atomic str_block[STR_BLOCKS];
  _Atomic uint32_t nstr;
  uint32_t        *hash;         /* open addressing: string id, 0 = empty */
  uint32_t         hash_cap;     /* a power of two */

  pthread_mutex_t  run_lock;
  struct gt_run_info runs[MAX_RUNS];
  uint16_t         nruns;
};

static atomic_uint_fast64_t next_recorder_id = 1;

/* Each thread remembers its producer for the recorder it used last. */
static _Thread_local struct {
  uint64_t         rec_id;
  struct producer *p;
} tls_cache;
static _Thread_local char tls_token;

/* A HUGE_BYTES region aligned to HUGE_BYTES, advised to be one huge page;
 * NULL when the system has no such memory to give. */
static void *
huge_region(void)
{
  size_t len = 2 * (size_t)HUGE_BYTES;
  uint8_t *p, *a;

  p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
      -1, 0);
  if (p == MAP_FAILED)
    return NULL;
  a = (uint8_t *)(((uintptr_t)p + HUGE_BYTES - 1)
      & ~(uintptr_t)(HUGE_BYTES - 1));
  if (a > p)
    munmap(p, (size_t)(a - p));
  if (a + HUGE_BYTES < p + len)
    munmap(a + HUGE_BYTES, (size_t)(p + len - (a + HUGE_BYTES)));
  madvise(a, HUGE_BYTES, MADV_HUGEPAGE);  /* a hint: fine if refused */
  return a;
}

/* The chunk that follows one of prev_cap events (0: a thread's first). */
static struct chunk *
chunk_new(uint32_t prev_cap)
{
  struct chunk *c = NULL;
  uint32_t cap;

  if (prev_cap >= CHUNK_MALLOC) {
    c = huge_region();
    if (c != NULL) {
      c->cap = (HUGE_BYTES - sizeof(*c)) / sizeof(c->ev[0]);
      c->mapped = 1;
    }
  }
  if (c == NULL) {
    cap = prev_cap == 0 ? CHUNK_MIN
        : prev_cap < CHUNK_MALLOC ? prev_cap * 2 : CHUNK_MALLOC;
    c = gt_xmalloc(sizeof(*c) + (size_t)cap * sizeof(c->ev[0]));
    c->cap = cap;
    c->mapped = 0;
  }
  atomic_init(&c->next, NULL);
  return c;
}

/* Free a chunk however it was made. */
static void
chunk_free(struct chunk *c)
{
  if (c->mapped)
    munmap(c, HUGE_BYTES);
  else
    free(c);
}

/* The bytes a chunk holds. */
static size_t
chunk_bytes(const struct chunk *c)
{
  if (c->mapped)
    return HUGE_BYTES;
  return sizeof(*c) + (size_t)c->cap * sizeof(c->ev[0]);
}

static pthread_once_t membarrier_once = PTHREAD_ONCE_INIT;
static int membarrier_ok;

/* Register for private expedited membarrier, once per process. */
static void
membarrier_init(void)
{
  membarrier_ok = syscall(__NR_membarrier,
      MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
}

/* 64-bit FNV-1a from a seeded basis, then the seeded finaliser: the
 * labels of an imported trace are chosen by whoever wrote it, and a fixed
 * hash lets strings that differ only in high bits (FNV's low bits depend
 * only on the bytes' low bits) pile into one run of slots. */
static uint32_t
hash_str(const char *s)
{
  uint64_t h = 14695981039346656037ull ^ gt_hash64(0);

  for (; *s != '\0'; s++)
    h = (h ^ (uint8_t)*s) * 1099511628211ull;
  return (uint32_t)gt_hash64(h);
}

size_t gt_recorder_intern_probes;

/* A new recorder whose time origin is now. */
struct gt_recorder *
gt_recorder_new(void)
{
  struct gt_recorder *rec = gt_xcalloc(1, sizeof(*rec));

  rec->id = atomic_fetch_add(&next_recorder_id, 1);
  rec->t0_ns = gt_now_ns();
  pthread_mutex_init(&rec->prod_lock, NULL);
  pthread_mutex_init(&rec->read_lock, NULL);
  pthread_mutex_init(&rec->str_lock, NULL);
  pthread_mutex_init(&rec->run_lock, NULL);
  rec->hash_cap = 256;
  rec->hash = gt_xcalloc(rec->hash_cap, sizeof(rec->hash[0]));
  gt_recorder_intern(rec, "");   /* id 0 */
  return rec;
}

/* Free rec and all its chunks, strings and producers. */
void
gt_recorder_free(struct gt_recorder *rec)
{
  struct producer *p, *pn;
  struct chunk *c, *cn;
  uint32_t i, n;

  if (rec == NULL)
    return;
  for (p = atomic_load(&rec->producers); p != NULL; p = pn) {
    pn = p->next;
    for (c = p->head; c != NULL; c = cn) {
      cn = atomic_load(&c->next);
      chunk_free(c);
    }
    free(p);
  }
  n = atomic_load(&rec->nstr);
  for (i = 0; i < n; i++)
    free((char *)gt_recorder_string(rec, i));
  for (i = 0; i < STR_BLOCKS && rec->str_block[i] != NULL; i++)
    free(rec->str_block[i]);
  free(rec->hash);
  gt_settings_clear(&rec->settings);
  free(rec->seg);
  pthread_mutex_destroy(&rec->prod_lock);
  pthread_mutex_destroy(&rec->read_lock);
  pthread_mutex_destroy(&rec->str_lock);
  pthread_mutex_destroy(&rec->run_lock);
  if (tls_cache.rec_id == rec->id)
    tls_cache.rec_id = 0;
  free(rec);
}

/* Set the wake callback. */
void
gt_recorder_set_wake(struct gt_recorder *rec, gt_wake_fn wake, void *arg)
{
  rec->wake = wake;
  rec->wake_arg = arg;
  pthread_once(&membarrier_once, membarrier_init);
  rec->asym_fence = membarrier_ok;
}

/* The time origin. */
uint64_t
gt_recorder_t0(const struct gt_recorder *rec)
{
  return rec->t0_ns;
}

/* Move the time origin. */
void
gt_recorder_set_t0(struct gt_recorder *rec, uint64_t t0_ns)
{
  rec->t0_ns = t0_ns;
}

/* Name the session's workload. */
void
gt_recorder_set_workload(struct gt_recorder *rec, const char *name)
{
  rec->workload = name != NULL ? gt_recorder_intern(rec, name) : 0;
}

/* The session's workload name, or NULL. */
const char *
gt_recorder_workload(struct gt_recorder *rec)
{
  return rec->workload != 0 ? gt_recorder_string(rec, rec->workload) : NULL;
}

/* Keep a copy of the settings that made the session. */
void
gt_recorder_set_settings(struct gt_recorder *rec,
    const struct gt_settings *s)
{
  gt_settings_copy(&rec->settings, s);
}

/* The session's settings; empty when none were set. */
const struct gt_settings *
gt_recorder_settings(const struct gt_recorder *rec)
{
  return &rec->settings;
}

/* The string with id, lock-free: blocks and slots never move. */
const char *
gt_recorder_string(struct gt_recorder *rec, uint32_t id)
{
  char *_Atomic *block;
  const char *s;

  if (id >= atomic_load_explicit(&rec->nstr, memory_order_acquire))
    return "";
  block = atomic_load_explicit(&rec->str_block[id >> STR_SHIFT],
      memory_order_acquire);
  s = atomic_load_explicit(&block[id & ((1u << STR_SHIFT) - 1)],
      memory_order_acquire);
  return s != NULL ? s : "";
}

/* Double the hash table; str_lock held. */
static void
hash_grow(struct gt_recorder *rec)
{
  uint32_t cap = rec->hash_cap * 2, i, j, n = atomic_load(&rec->nstr);
  uint32_t *h = gt_xcalloc(cap, sizeof(*h));

  for (i = 1; i < n; i++) {
    j = hash_str(gt_recorder_string(rec, i)) & (cap - 1);
    while (h[j] != 0)
      j = (j + 1) & (cap - 1);
    h[j] = i;
  }
  free(rec->hash);
  rec->hash = h;
  rec->hash_cap = cap;
}

/* How many strings there are. */
uint32_t
gt_recorder_string_count(struct gt_recorder *rec)
{
  return atomic_load(&rec->nstr);
}

/* The id of s, adding a copy the first time it is seen. */
uint32_t
gt_recorder_intern(struct gt_recorder *rec, const char *s)
{
  uint32_t id, j, n;
  char *_Atomic *block;

  if (s == NULL)
    s = "";
  pthread_mutex_lock(&rec->str_lock);
  n = atomic_load(&rec->nstr);
  if (n > 0 && s[0] == '\0') {
    id = 0;
    goto out;
  }
  j = hash_str(s) & (rec->hash_cap - 1);
  while ((id = rec->hash[j]) != 0) {
    gt_recorder_intern_probes++;  /* under str_lock */
    if (strcmp(gt_recorder_string(rec, id), s) == 0)
      goto out;
    j = (j + 1) & (rec->hash_cap - 1);
  }
  id = n;
  if ((id >> STR_SHIFT) >= STR_BLOCKS)
    abort();  /* 4 M distinct labels: a runaway caller, not a workload */
  block = atomic_load(&rec->str_block[id >> STR_SHIFT]);
  if (block == NULL) {
    block = gt_xcalloc(1u << STR_SHIFT, sizeof(*block));
    atomic_store_explicit(&rec->str_block[id >> STR_SHIFT], block,
        memory_order_release);
  }
  atomic_store_explicit(&block[id & ((1u << STR_SHIFT) - 1)], gt_xstrdup(s),
      memory_order_release);
  atomic_store_explicit(&rec->nstr, n + 1, memory_order_release);
  if (id != 0) {
    rec->hash[j] = id;
    if ((n + 1) * 2 > rec->hash_cap)
      hash_grow(rec);
  }
out:
  pthread_mutex_unlock(&rec->str_lock);
  return id;
}

/* Add a run. */
uint16_t
gt_recorder_run_add(struct gt_recorder *rec, const struct gt_run_info *info)
{
  uint16_t id;

  pthread_mutex_lock(&rec->run_lock);
  if (rec->nruns >= MAX_RUNS)
    abort();  /* a session never has this many runs */
  id = rec->nruns++;
  rec->runs[id] = *info;
  pthread_mutex_unlock(&rec->run_lock);
  return id;
}

/* Stamp a run's start. */
void
gt_recorder_run_start(struct gt_recorder *rec, uint16_t run, uint64_t ts_ns)
{
  pthread_mutex_lock(&rec->run_lock);
  if (run < rec->nruns)
    rec->runs[run].start_ns = ts_ns;
  pthread_mutex_unlock(&rec->run_lock);
}

/* Stamp a run's end. */
void
gt_recorder_run_end(struct gt_recorder *rec, uint16_t run, uint64_t ts_ns)
{
  pthread_mutex_lock(&rec->run_lock);
  if (run < rec->nruns)
    rec->runs[run].end_ns = ts_ns;
  pthread_mutex_unlock(&rec->run_lock);
}

/* Set a run's width. */
void
gt_recorder_run_set_workers(struct gt_recorder *rec, uint16_t run,
    int32_t workers)
{
  pthread_mutex_lock(&rec->run_lock);
  if (run < rec->nruns)
    rec->runs[run].workers = workers;
  pthread_mutex_unlock(&rec->run_lock);
}

/* Record a run's contention. */
void
gt_recorder_run_set_contention(struct gt_recorder *rec, uint16_t run,
    uint32_t others_pm)
{
  pthread_mutex_lock(&rec->run_lock);
  if (run < rec->nruns) {
    rec->runs[run].others_pm = others_pm;
    rec->runs[run].flags |= GT_RUN_CONTENTION;
  }
  pthread_mutex_unlock(&rec->run_lock);
}

/* The names of the traits' bits, by bit. */
static const char *const trait_names[] = {
#define GT_MODE_TRAIT_NAME(id, bit, name, what) [bit] = name,
  GT_MODE_TRAITS(GT_MODE_TRAIT_NAME)
#undef GT_MODE_TRAIT_NAME
};

#define NTRAITS (sizeof(trait_names) / sizeof(trait_names[0]))

/* Append the w bytes of s at buf's offset *n, as much as fits in len
 * (one byte kept for the terminator); *n counts them all. */
static void
put_bytes(char *buf, size_t len, size_t *n, const char *s, size_t w)
{
  size_t i;

  for (i = 0; i < w; i++, (*n)++)
    if (*n + 1 < len)
      buf[*n] = s[i];
}

/* Traits as names joined by commas. */
size_t
gt_mode_traits_format(uint32_t traits, char *buf, size_t len)
{
  size_t n = 0, k;

  for (k = 0; k < NTRAITS; k++) {
    if (!(traits & 1u << k) || trait_names[k] == NULL)
      continue;
    if (n > 0)
      put_bytes(buf, len, &n, ",", 1);
    put_bytes(buf, len, &n, trait_names[k], strlen(trait_names[k]));
  }
  if (len > 0)
    buf[n < len ? n : len - 1] = '\0';
  return n;
}

/* The traits named in a comma-separated list. */
uint32_t
gt_mode_traits_parse(const char *s)
{
  uint32_t traits = 0;
  size_t k, w;

  while (*s != '\0') {
    w = strcspn(s, ",");
    for (k = 0; k < NTRAITS; k++)
      if (trait_names[k] != NULL && strlen(trait_names[k]) == w
          && memcmp(trait_names[k], s, w) == 0)
        traits |= 1u << k;
    s += w;
    if (*s == ',')
      s++;
  }
  return traits;
}

/* Copy a run's info out. */
int
gt_recorder_run_get(struct gt_recorder *rec, uint16_t run,
    struct gt_run_info *out)
{
  int rc = -ENOENT;

  pthread_mutex_lock(&rec->run_lock);
  if (run < rec->nruns) {
    *out = rec->runs[run];
    rc = 0;
  }
  pthread_mutex_unlock(&rec->run_lock);
  return rc;
}

/* How many runs. */
uint16_t
gt_recorder_runs(struct gt_recorder *rec)
{
  uint16_t n;

  pthread_mutex_lock(&rec->run_lock);
  n = rec->nruns;
  pthread_mutex_unlock(&rec->run_lock);
  return n;
}

/* The calling thread's producer, made the first time this thread appends.
 * A thread is known by the address of a thread-local variable, which a new
 * thread may reuse after an old one ended: it then takes over the dead
 * thread's producer, which is safe because a dead thread writes nothing. */
static struct producer *
producer_slow(struct gt_recorder *rec)
{
  struct producer *p;

  pthread_mutex_lock(&rec->prod_lock);
  for (p = atomic_load(&rec->producers); p != NULL; p = p->next)
    if (p->owner == &tls_token)
      break;
  if (p == NULL) {
    p = gt_xcalloc(1, sizeof(*p));
    p->head = p->tail = p->rchunk = chunk_new(0);
    p->owner = &tls_token;
    p->next = atomic_load(&rec->producers);
    atomic_store_explicit(&rec->producers, p, memory_order_release);
  }
  pthread_mutex_unlock(&rec->prod_lock);
  tls_cache.rec_id = rec->id;
  tls_cache.p = p;
  return p;
}

/* Write one event into p's tail chunk, opening a new chunk when full. */
static inline void
producer_put(struct producer *p, const struct gt_event *ev)
{
  struct chunk *c;

  if (p->tail_used == p->tail->cap) {
    c = chunk_new(p->tail->cap);
    atomic_store_explicit(&p->tail->next, c, memory_order_release);
    p->tail = c;
    p->tail_used = 0;
  }
  p->tail->ev[p->tail_used++] = *ev;
  p->written++;
}

/* Publish what p wrote, then ring the wake callback once per read. */
static inline void
producer_publish(struct gt_recorder *rec, struct producer *p)
{
  if (rec->wake == NULL) {
    atomic_store_explicit(&p->published, p->written, memory_order_release);
    return;
  }
  /* Store published, then load wake_pending, against the reader's store
   * wake_pending, then load published: without a full fence between each
   * pair a wake could be lost.  The reader's membarrier() is that fence for
   * us when we have it; the compiler must still keep our order.  Without
   * it, both sides are sequentially consistent. */
  if (rec->asym_fence) {
    atomic_store_explicit(&p->published, p->written, memory_order_release);
    atomic_signal_fence(memory_order_seq_cst);
    if (atomic_load_explicit(&rec->wake_pending, memory_order_relaxed) != 0)
      return;
  } else {
    atomic_store(&p->published, p->written);
    if (atomic_load(&rec->wake_pending) != 0)
      return;
  }
  if (atomic_exchange(&rec->wake_pending, 1) == 0)
    rec->wake(rec->wake_arg);
}

/* Append one event. */
void
gt_recorder_append(struct gt_recorder *rec, const struct gt_event *ev)
{
  struct producer *p = tls_cache.p;

  if (tls_cache.rec_id != rec->id)
    p = producer_slow(rec);
  producer_put(p, ev);
  producer_publish(rec, p);
}

/* Append n events and publish them together. */
void
gt_recorder_append_many(struct gt_recorder *rec, const struct gt_event *ev,
    size_t n)
{
  struct producer *p = tls_cache.p;
  size_t i;

  if (n == 0)
    return;
  if (tls_cache.rec_id != rec->id)
    p = producer_slow(rec);
  for (i = 0; i < n; i++)
    producer_put(p, &ev[i]);
  producer_publish(rec, p);
}

/* Add a segment to the index, merging with the last when contiguous;
 * read_lock held. */
static void
index_add(struct gt_recorder *rec, struct gt_event *ev, size_t len)
{
  struct segment *last = rec->nseg ? &rec->seg[rec->nseg - 1] : NULL;

  if (last != NULL && last->ev + last->len == ev) {
    last->len += len;
  } else {
    if (rec->nseg == rec->seg_cap) {
      rec->seg_cap = rec->seg_cap ? rec->seg_cap * 2 : 64;
      rec->seg = gt_xrealloc(rec->seg, rec->seg_cap * sizeof(*rec->seg));
    }
    rec->seg[rec->nseg].start = rec->count;
    rec->seg[rec->nseg].ev = ev;
    rec->seg[rec->nseg].len = len;
    rec->nseg++;
  }
  rec->count += len;
}

/* Move everything producers published into the index; read_lock held. */
static void
gather(struct gt_recorder *rec)
{
  struct producer *p;
  struct chunk *c;
  size_t pub, len;

  /* Re-arm the wake before looking: see producer_publish(). */
  if (rec->wake != NULL && atomic_load(&rec->wake_pending) != 0) {
    atomic_store(&rec->wake_pending, 0);
    if (rec->asym_fence && syscall(__NR_membarrier,
        MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) != 0)
      abort();  /* registered, so it cannot fail; a lost wake must not be */
  }
  p = atomic_load_explicit(&rec->producers, memory_order_acquire);
  for (; p != NULL; p = p->next) {
    pub = atomic_load(&p->published);  /* seq_cst: see producer_publish */
    while (p->gathered < pub) {
      if (p->rpos == p->rchunk->cap) {
        /* The writer links a new chunk before it publishes into it. */
        c = atomic_load_explicit(&p->rchunk->next, memory_order_acquire);
        p->rchunk = c;
        p->rpos = 0;
        rec->chunk_bytes += chunk_bytes(c);
      }
      len = pub - p->gathered;
      if (len > p->rchunk->cap - p->rpos)
        len = p->rchunk->cap - p->rpos;
      index_add(rec, &p->rchunk->ev[p->rpos], len);
      p->rpos += (uint32_t)len;
      p->gathered += len;
    }
  }
}

/* The segment holding global index i; read_lock held, i < count. */
static size_t
seg_find(const struct gt_recorder *rec, size_t i)
{
  size_t lo = 0, hi = rec->nseg, mid;

  while (hi - lo > 1) {
    mid = lo + (hi - lo) / 2;
    if (rec->seg[mid].start <= i)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

/* Copy events [from, from+max) that exist into out. */
size_t
gt_recorder_read(struct gt_recorder *rec, size_t from, struct gt_event *out,
    size_t max)
{
  size_t done = 0, s, off, len;

  pthread_mutex_lock(&rec->read_lock);
  gather(rec);
  if (from < rec->count && max > 0) {
    s = seg_find(rec, from);
    off = from - rec->seg[s].start;
    while (done < max && s < rec->nseg) {
      len = rec->seg[s].len - off;
      if (len > max - done)
        len = max - done;
      memcpy(out + done, rec->seg[s].ev + off, len * sizeof(*out));
      done += len;
      off = 0;
      s++;
    }
  }
  pthread_mutex_unlock(&rec->read_lock);
  return done;
}

/* How many events are readable now. */
size_t
gt_recorder_count(struct gt_recorder *rec)
{
  size_t n;

  pthread_mutex_lock(&rec->read_lock);
  gather(rec);
  n = rec->count;
  pthread_mutex_unlock(&rec->read_lock);
  return n;
}

/* Bytes held for events: chunks reached by readers plus the index. */
size_t
gt_recorder_event_bytes(struct gt_recorder *rec)
{
  struct producer *p;
  size_t n;

  pthread_mutex_lock(&rec->read_lock);
  gather(rec);
  n = rec->seg_cap * sizeof(*rec->seg);
  for (p = atomic_load(&rec->producers); p != NULL; p = p->next)
    n += sizeof(*p) + chunk_bytes(p->head);
  n += rec->chunk_bytes;
  pthread_mutex_unlock(&rec->read_lock);
  return n;
}
