/*
 * workloads/demo_server.c: the embedded demo HTTP server (libmicrohttpd).
 *
 * One MHD daemon with its own epoll thread answers on 127.0.0.1.  A request
 * that must wait (latency, seeded jitter, and connect_ms on a connection's
 * first delayed request) is suspended; a timer thread keeps a min-heap of due
 * times on CLOCK_MONOTONIC and resumes each connection when its time comes,
 * and the handler, called again, queues the answer.  So waiting requests cost
 * a heap slot, not a thread.  Threads: the MHD thread runs every callback;
 * the timer thread only calls MHD_resume_connection(); any thread may read
 * the stats (atomics).  s->lock guards the heap and the stopping flag.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "demo_server.h"

#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "base.h"

#define DEFAULT_MAX_CONNECTIONS 10000
#define CONNECTION_TIMEOUT_S 120    /* idle keep-alive connections live this */
#define CONNECTION_MEMORY_BYTES (16 * 1024) /* requests here are tiny */
#define LISTEN_BACKLOG 8192         /* the kernel caps it at somaxconn */

#define SALT_GENRE UINT64_C(0x67656e7265)   /* "genre" */
#define SALT_JITTER UINT64_C(0x6a6974746572) /* "jitter" */
#define SALT_FAULT UINT64_C(0x6661756c74)    /* "fault" */
#define SALT_PAGE UINT64_C(0x70616765)       /* "page" */
#define PAGE_BYTES 25000                     /* a page's size, about */
#define STALL_MS (3600u * 1000u)             /* a stalled answer's wait */

static const char *const adjectives[] = {
  "Quiet", "Golden", "Hidden", "Northern", "Silver", "Broken", "Early",
  "Distant", "Patient", "Restless", "Open", "Narrow", "Bright", "Wandering",
  "Steady", "Lost",
};
static const char *const nouns[] = {
  "Harbour", "Garden", "Engine", "Library", "River", "Lantern", "Orchard",
  "Station", "Bridge", "Market", "Tower", "Valley", "Archive", "Kitchen",
  "Compass", "Meadow",
};
static const char *const words[] = {
  "the", "a", "thread", "loop", "process", "waits", "for", "an", "answer",
  "while", "another", "runs", "on", "core", "request", "queue", "lock",
  "socket", "timer", "task", "and", "then", "of", "every", "page", "server",
  "client", "event", "lane", "time",
};
#define NWORDS (sizeof words / sizeof words[0])

static const char *const genres[] = {
  "Rock", "Jazz", "Blues", "Hip-Hop", "Classical", "Country", "Electronic",
  "Folk", "Reggae", "Metal", "Punk", "Soul", "Funk", "Disco", "Techno",
  "House", "Ambient", "Gospel", "Latin", "Indie",
};
#define NGENRES (sizeof genres / sizeof genres[0])

/* What a request is answered with. */
enum route {
  ROUTE_GENRE,
  ROUTE_PAGE,
  ROUTE_HEALTH,
  ROUTE_NOT_FOUND,
  ROUTE_BAD_ARG,
  ROUTE_BAD_METHOD,
  ROUTE_BAD_FRAMING,        /* a body whose length is ambiguous: 400 */
};

/* One connection (the MHD socket_context); touched by the MHD thread only.
 * MHD 0.9 handles one request at a time per connection, so the current
 * request's state lives here too. */
enum fault {
  FAULT_NONE,
  FAULT_429,                /* Too Many Requests, with Retry-After */
  FAULT_500,
  FAULT_STALL,              /* never answered (in practice: after an hour) */
};

struct conn {
  bool setup_paid;          /* a request has been charged connect_ms */
  enum route route;         /* current request */
  enum fault fault;         /* what --errors or --stall made of it */
  uint64_t n;               /* current request's genre number */
  unsigned charge_ms;       /* connect cost charged to the current request */
  uint64_t due_ns;          /* CLOCK_MONOTONIC time to answer at */
  bool suspended;           /* current request was suspended (and resumed) */
  const char *bad_framing;  /* why its body's length is ambiguous, or NULL */
  bool early;               /* answered before its body, then closed */
};

/* A suspended connection waiting for its due time. */
struct timer_entry {
  uint64_t due_ns;          /* CLOCK_MONOTONIC */
  struct MHD_Connection *mc;
};

struct gt_demo_server {
  struct gt_demo_config cfg;  /* copied; max_connections resolved */
  struct MHD_Daemon *daemon;
  uint16_t port;
  char *url;                  /* "http://127.0.0.1:PORT" */

  pthread_mutex_t lock;       /* guards heap, nheap, cap, stopping */
  pthread_cond_t cond;        /* CLOCK_MONOTONIC; wakes the timer thread */
  struct timer_entry *heap;   /* min-heap on due_ns */
  size_t nheap;
  size_t cap;
  bool stopping;              /* no more suspending; timer thread exits */
  pthread_t timer;

  atomic_uint_fast64_t counter;     /* N for /genre without ?i= */
  atomic_uint_fast64_t requests;    /* answered */
  atomic_uint_fast64_t connections; /* accepted, ever */
  atomic_uint open_now;
  atomic_uint open_peak;

  pthread_mutex_t log_lock;   /* guards start_error */
  atomic_bool starting;       /* MHD messages are kept only while starting */
  char start_error[256];      /* first MHD message while starting */
};

/* A splitmix64-style hash of (seed, n, salt). */
static uint64_t
mix(uint64_t seed, uint64_t n, uint64_t salt)
{
  uint64_t z = seed ^ salt;

  z += UINT64_C(0x9e3779b97f4a7c15) * (n + 1);
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* A page's title: "Page N: Adjective Noun", malloc'd. */
char *
gt_demo_page_title(uint64_t seed, uint64_t n)
{
  uint64_t h = mix(seed, n, SALT_PAGE);

  return gt_xasprintf("Page %" PRIu64 ": %s %s", n,
      adjectives[h % (sizeof adjectives / sizeof adjectives[0])],
      nouns[(h >> 16) % (sizeof nouns / sizeof nouns[0])]);
}

/* Page n: an HTML document of about PAGE_BYTES with one <h1>, the title,
 * and paragraphs of seeded words; malloc'd, its length in *len. */
char *
gt_demo_page(uint64_t seed, uint64_t n, size_t *len)
{
  char *title = gt_demo_page_title(seed, n);
  size_t cap = PAGE_BYTES + 1024, off, k = 0;
  char *p = gt_xmalloc(cap);
  uint64_t h;
  int i;

  off = (size_t)snprintf(p, cap, "<!DOCTYPE html>\n<html><head><meta "
      "charset=\"utf-8\"><title>%s</title></head>\n<body>\n<h1>%s</h1>\n",
      title, title);
  while (off < PAGE_BYTES) {
    off += (size_t)snprintf(p + off, cap - off, "<p>");
    for (i = 0; i < 60; i++) {
      h = mix(seed, n * 4096 + k++, SALT_PAGE);
      off += (size_t)snprintf(p + off, cap - off, "%s%s", i ? " " : "",
          words[h % NWORDS]);
    }
    off += (size_t)snprintf(p + off, cap - off, ".</p>\n");
  }
  off += (size_t)snprintf(p + off, cap - off, "</body></html>\n");
  free(title);
  *len = off;
  return p;
}

/* What the fault shares make of request n of a route: the same every run
 * under the same seed. */
static enum fault
fault_of(const struct gt_demo_server *s, enum route r, uint64_t n)
{
  uint64_t h = mix(s->cfg.seed, n, SALT_FAULT + (uint64_t)r);
  unsigned hundredths = (unsigned)(h % 10000);

  if (hundredths < s->cfg.errors_pct * 100)
    return (h >> 32) & 1 ? FAULT_429 : FAULT_500;
  if (hundredths < (s->cfg.errors_pct + s->cfg.stall_pct) * 100)
    return FAULT_STALL;
  return FAULT_NONE;
}

/* The genre answered for request number n under seed. */
const char *
gt_demo_genre(uint64_t seed, uint64_t n)
{
  return genres[mix(seed, n, SALT_GENRE) % NGENRES];
}

/* Swap heap slots a and b. */
static void
heap_swap(struct timer_entry *h, size_t a, size_t b)
{
  struct timer_entry t = h[a];

  h[a] = h[b];
  h[b] = t;
}

/* Add an entry to the timer heap; the caller holds s->lock. */
static void
heap_push(struct gt_demo_server *s, uint64_t due_ns, struct MHD_Connection *mc)
{
  size_t i, parent;

  if (s->nheap == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 64;
    s->heap = gt_xrealloc(s->heap, s->cap * sizeof *s->heap);
  }
  i = s->nheap++;
  s->heap[i].due_ns = due_ns;
  s->heap[i].mc = mc;
  while (i > 0) {
    parent = (i - 1) / 2;
    if (s->heap[parent].due_ns <= s->heap[i].due_ns)
      break;
    heap_swap(s->heap, parent, i);
    i = parent;
  }
}

/* Remove and return the earliest entry; the caller holds s->lock and the
 * heap is not empty. */
static struct timer_entry
heap_pop(struct gt_demo_server *s)
{
  struct timer_entry top = s->heap[0];
  size_t i = 0, l, r, m;

  s->heap[0] = s->heap[--s->nheap];
  for (;;) {
    l = 2 * i + 1;
    r = l + 1;
    m = i;
    if (l < s->nheap && s->heap[l].due_ns < s->heap[m].due_ns)
      m = l;
    if (r < s->nheap && s->heap[r].due_ns < s->heap[m].due_ns)
      m = r;
    if (m == i)
      break;
    heap_swap(s->heap, i, m);
    i = m;
  }
  return top;
}

/* The timer thread: resume each suspended connection at its due time. */
static void *
timer_main(void *arg)
{
  struct gt_demo_server *s = arg;
  struct timer_entry e;
  struct timespec ts;
  uint64_t now;

  pthread_mutex_lock(&s->lock);
  while (!s->stopping) {
    if (s->nheap == 0) {
      pthread_cond_wait(&s->cond, &s->lock);
      continue;
    }
    now = gt_now_ns();
    if (s->heap[0].due_ns > now) {
      ts.tv_sec = (time_t)(s->heap[0].due_ns / 1000000000u);
      ts.tv_nsec = (long)(s->heap[0].due_ns % 1000000000u);
      pthread_cond_timedwait(&s->cond, &s->lock, &ts);
      continue;
    }
    /* Popped entries are ours alone, so resume outside the lock: MHD takes
     * its own mutex in there and the handler takes s->lock around
     * MHD_suspend_connection(). */
    e = heap_pop(s);
    pthread_mutex_unlock(&s->lock);
    MHD_resume_connection(e.mc);
    pthread_mutex_lock(&s->lock);
  }
  pthread_mutex_unlock(&s->lock);
  return NULL;
}

/* MHD's connection notifier: keep the per-connection state and counters. */
static void
notify_connection(void *cls, struct MHD_Connection *mc, void **socket_context,
    enum MHD_ConnectionNotificationCode toe)
{
  struct gt_demo_server *s = cls;
  unsigned open, peak;

  (void)mc;
  if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
    *socket_context = gt_xcalloc(1, sizeof(struct conn));
    atomic_fetch_add(&s->connections, 1);
    open = atomic_fetch_add(&s->open_now, 1) + 1;
    peak = atomic_load(&s->open_peak);
    while (open > peak &&
        !atomic_compare_exchange_weak(&s->open_peak, &peak, open))
      ;
  } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
    free(*socket_context);
    *socket_context = NULL;
    atomic_fetch_sub(&s->open_now, 1);
  }
}

/* Keep the first message MHD logs while the daemon starts, for *cause. */
static void
log_message(void *cls, const char *fmt, va_list ap)
{
  struct gt_demo_server *s = cls;
  size_t len;

  if (!atomic_load(&s->starting))
    return;
  pthread_mutex_lock(&s->log_lock);
  if (s->start_error[0] == '\0') {
    vsnprintf(s->start_error, sizeof s->start_error, fmt, ap);
    len = strlen(s->start_error);
    while (len > 0 && (s->start_error[len - 1] == '\n' ||
        s->start_error[len - 1] == '.'))
      s->start_error[--len] = '\0';
  }
  pthread_mutex_unlock(&s->log_lock);
}

/* Parse ?i=N into *n; false when it is there but not a number. */
static bool
parse_index(struct MHD_Connection *mc, struct gt_demo_server *s, uint64_t *n)
{
  const char *v;
  char *end;
  unsigned long long x;

  v = MHD_lookup_connection_value(mc, MHD_GET_ARGUMENT_KIND, "i");
  if (v == NULL) {
    *n = atomic_fetch_add(&s->counter, 1);
    return true;
  }
  if (*v < '0' || *v > '9')
    return false;
  errno = 0;
  x = strtoull(v, &end, 10);
  if (errno != 0 || *end != '\0')
    return false;
  *n = x;
  return true;
}

/* "N" of /page/N: digits only; false otherwise. */
static bool
parse_page(const char *s, uint64_t *n)
{
  char *end;
  unsigned long long x;

  if (*s < '0' || *s > '9')
    return false;
  errno = 0;
  x = strtoull(s, &end, 10);
  if (errno != 0 || *end != '\0')
    return false;
  *n = x;
  return true;
}

/* What scan_header() gathers over a request's header lines. */
struct header_scan {
  const char *bad;          /* the first fault found, or NULL */
  const char *length;       /* the first Content-Length */
  unsigned nhost, nte;      /* Host and Transfer-Encoding lines */
  bool two_lengths;         /* a second, different Content-Length */
  bool te_chunked;          /* the (one) Transfer-Encoding is "chunked" */
  bool te_padded;           /* ... with white space after it */
  const char *prev_end;     /* where the previous line's value ended */
  size_t eol;               /* the request line's line end: 1 or 2 NULs */
};

/* Whether c may be in a field name (RFC 9110 section 5.6.2: a token). */
static bool
tchar(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
      || (c >= '0' && c <= '9') || (c != '\0' && strchr("!#$%&'*+-.^_`|~",
      c) != NULL);
}

/* Whether the value's bytes are all allowed in a field value (RFC 9110
 * section 5.5): no control character but HTAB, obs-text allowed. */
static bool
value_ok(const char *value, size_t size)
{
  size_t i;
  unsigned char c;

  for (i = 0; i < size; i++) {
    c = (unsigned char)value[i];
    if ((c < 0x20 && c != '\t') || c == 0x7f)
      return false;
  }
  return true;
}

#if MHD_VERSION <= 0x00097500
/* Whether the bytes from p up to (not including) end are all in set or
 * NUL, with at least min of them; false if end is before p or too far. */
static bool
gap_is(const char *p, const char *end, const char *set, size_t min)
{
  uintptr_t a = (uintptr_t)p, b = (uintptr_t)end;

  if (b < a + min || b - a > CONNECTION_MEMORY_BYTES)
    return false;
  for (; a < b; a++, p++)
    if (*p != '\0' && strchr(set, *p) == NULL)
      return false;
  return true;
}

/* The number of NULs that the bytes from p up to end are made of (what
 * MHD left of line ends: CR LF is two, a lone LF or CR one), 0 if any
 * other byte is among them or end is before p or too far. */
static size_t
nuls_in(const char *p, const char *end)
{
  uintptr_t a = (uintptr_t)p, b = (uintptr_t)end;
  size_t i;

  if (b < a || b - a > CONNECTION_MEMORY_BYTES)
    return 0;
  for (i = 0; i < b - a; i++)
    if (p[i] != '\0')
      return 0;
  return i;
}
#endif

#if MHD_VERSION <= 0x00097500
/* Whether the line end between the previous line (the request line for
 * the first) and the line that starts at key is one, of the width of the
 * request line's, which the first sets: white space, then 1 NUL for LF,
 * 2 for CR LF (MHD leaves a lone CR in the value, for value_ok()).
 * Another width is a NUL at the end of the value (MHD's value ends
 * there) or a client that mixes line ends, refused too; a NUL then LF in
 * a CR LF request stays unseen: MHD leaves two NULs either way.  h->eol
 * 0 until the request line's end is found. */
static bool
line_end_ok(struct header_scan *h, const char *key)
{
  const char *p = h->prev_end;
  size_t n;

  if (p == NULL)
    return false;
  while (*p == ' ' || *p == '\t')
    p++;
  n = nuls_in(p, key);
  if (h->eol == 0 && (n == 1 || n == 2))
    h->eol = n;
  return n != 0 && n == h->eol;
}
#endif

/* MHD's header iterator for bad_framing(): check one header line.
 *
 * libmicrohttpd 0.9.75 parses the header in place: each line is
 * "name\0OWS value\0" in its read buffer, lines one after another, and
 * what it makes of two shapes is invisible through its API but for that
 * layout.  An obs-fold continuation (a line that starts with SP or HTAB)
 * is appended to the field's *name* (a copy elsewhere in its pool), and a
 * NUL in a value cuts the value short with the rest of the line left
 * behind.  So each line is checked to sit where the previous one ended,
 * its value right after its name's colon and optional white space, and
 * nothing but line ends (NULs now) or white space after its value. */
static enum MHD_Result
scan_header(void *cls, enum MHD_ValueKind kind, const char *key,
    size_t key_size, const char *value, size_t value_size)
{
  struct header_scan *h = cls;
  size_t i;

  (void)kind;
  if (key_size == 0)
    h->bad = "an empty header field name";
  for (i = 0; i < key_size && h->bad == NULL; i++)
    if (!tchar((unsigned char)key[i]))
      h->bad = "a header field name with a space or control character";
  if (h->bad == NULL && value != NULL && !value_ok(value, value_size))
    h->bad = "a control character in a header field value";
#if MHD_VERSION <= 0x00097500
  if (h->bad == NULL && (value == NULL
      || !gap_is(key + key_size + 1, value, " \t", 0)
      || key[key_size] != '\0'
      || !line_end_ok(h, key)))
    h->bad = "a header line folded onto the next (obs-fold), a NUL in it, "
        "or mixed line ends";
  h->prev_end = value != NULL ? value + value_size : NULL;
#endif  /* later versions unfold obs-fold into the value (RFC 9112 5.2) */
  if (h->bad != NULL)
    return MHD_NO;
  if (strcasecmp(key, MHD_HTTP_HEADER_HOST) == 0)
    h->nhost++;
  else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
    h->nte++;
    /* Less the trailing white space (MHD drops only the leading). */
    while (value_size > 0 && (value[value_size - 1] == ' '
        || value[value_size - 1] == '\t'))
      value_size--;
    h->te_chunked = value_size == 7 && strncasecmp(value, "chunked", 7) == 0;
    h->te_padded = h->te_chunked && value[7] != '\0';
  } else if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
    if (h->length == NULL)
      h->length = value;
    else if (strcmp(h->length, value) != 0)
      h->two_lengths = true;
  }
  return MHD_YES;
}

/* NULL when the request's header is one that every reader parses alike
 * (RFC 9112), or why not, for a 400 that closes the connection: a field
 * name that is not a token (e.g. "Content-Length :"), a folded line or a
 * NUL, an HTTP/1.1 request without exactly one Host (section 3.2), two
 * different Content-Length headers, Content-Length with Transfer-Encoding
 * (section 6.1), or a transfer coding other than one "chunked".
 * libmicrohttpd 0.9.75 takes the first of each and, for an unknown coding,
 * waits for a body it cannot delimit without answering, so all are checked
 * here, before it reads the body. */
static const char *
bad_framing(struct MHD_Connection *mc, const char *method,
    const char *version, bool *early)
{
  struct header_scan h;
#if MHD_VERSION <= 0x00097500
  const union MHD_ConnectionInfo *info;
  const char *p;
  size_t n;
#endif

  memset(&h, 0, sizeof h);
#if MHD_VERSION <= 0x00097500
  h.prev_end = version + strlen(version);
#endif
  MHD_get_connection_values_n(mc, MHD_HEADER_KIND, scan_header, &h);
#if MHD_VERSION <= 0x00097500
  /* After the last line (or the request line): its line end, then the
   * blank line's, up to the header's end, nothing else.  A line with an
   * empty field name (": x") ends MHD's header as a blank line would
   * (its colon made a NUL), and MHD never hands that line over, so what
   * is left of it shows only here.  Unseen still: a bare ":" between an
   * LF and a CR LF in a CR LF request (four NULs, as CR LF CR LF). */
  info = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
  if (h.bad == NULL && (h.prev_end == NULL || info == NULL))
    h.bad = "a header line folded onto the next (obs-fold)";
  else if (h.bad == NULL) {
    for (p = h.prev_end; *p == ' ' || *p == '\t'; p++)
      ;
    n = nuls_in(p, method + info->header_size);
    if (h.eol != 0 ? n != 2 * h.eol : n != 2 && n != 4)
      h.bad = "a header line with an empty field name, a NUL at its end, "
          "or mixed line ends";
  }
#endif
  if (h.bad != NULL)
    return h.bad;
  if (strcmp(version, MHD_HTTP_VERSION_1_1) == 0 && h.nhost != 1)
    return h.nhost == 0 ? "no Host header" : "two Host headers";
  if (h.nhost > 1)
    return "two Host headers";
  if (h.two_lengths)
    return "two different Content-Length headers";
  if (h.nte > 0 && h.length != NULL)
    return "both Content-Length and Transfer-Encoding";
  if (h.nte > 1)
    return "two Transfer-Encoding headers";
  if (h.nte == 1 && !h.te_chunked)
    return "a transfer coding other than chunked";
  *early = h.te_padded;
  return NULL;
}

/* The path of an absolute-form target "http://host[:port]/path" (RFC
 * 9112 section 3.2.2), url itself otherwise. */
static const char *
origin_path(const char *url)
{
  const char *p;

  if (strncasecmp(url, "http://", 7) == 0)
    p = url + 7;
  else if (strncasecmp(url, "https://", 8) == 0)
    p = url + 8;
  else
    return url;
  p += strcspn(p, "/");
  return *p != '\0' ? p : "/";
}

/* Classify a new request and work out when to answer it. */
static void
begin_request(struct gt_demo_server *s, struct conn *c,
    struct MHD_Connection *mc, const char *url, const char *method,
    const char *version)
{
  uint64_t delay_ms = 0;

  c->suspended = false;
  c->charge_ms = 0;
  c->n = 0;
  c->fault = FAULT_NONE;
  c->bad_framing = NULL;
  c->early = false;
  url = origin_path(url);
  if ((c->bad_framing = bad_framing(mc, method, version, &c->early))
      != NULL)
    c->route = ROUTE_BAD_FRAMING;  /* whatever the method */
  else if (strcmp(method, MHD_HTTP_METHOD_GET) != 0
      && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
    c->route = ROUTE_BAD_METHOD;  /* HEAD is GET without the body (MHD) */
  else if (strcmp(url, "/health") == 0)
    c->route = ROUTE_HEALTH;
  else if (strcmp(url, "/genre") == 0)
    c->route = parse_index(mc, s, &c->n) ? ROUTE_GENRE : ROUTE_BAD_ARG;
  else if (strncmp(url, "/page/", 6) == 0)
    c->route = parse_page(url + 6, &c->n) ? ROUTE_PAGE : ROUTE_NOT_FOUND;
  else
    c->route = ROUTE_NOT_FOUND;
  if (c->route == ROUTE_GENRE || c->route == ROUTE_PAGE)
    c->fault = fault_of(s, c->route, c->n);

  /* /health is for readiness checks: never delayed, and it leaves the
   * connection's set-up cost to the first real request. */
  if (c->route != ROUTE_HEALTH && c->route != ROUTE_BAD_FRAMING) {
    if (!c->setup_paid) {
      c->setup_paid = true;
      c->charge_ms = s->cfg.connect_ms;
    }
    delay_ms = (uint64_t)s->cfg.latency_ms + c->charge_ms;
    if ((c->route == ROUTE_GENRE || c->route == ROUTE_PAGE)
        && s->cfg.jitter_ms > 0)
      delay_ms += mix(s->cfg.seed, c->n, SALT_JITTER) %
          ((uint64_t)s->cfg.jitter_ms + 1);
    if (c->fault == FAULT_STALL)
      delay_ms = STALL_MS;
  }
  c->due_ns = delay_ms ? gt_now_ns() + delay_ms * 1000000u : 0;
}

/* Build and queue the answer for the connection's current request. */
static enum MHD_Result
answer(struct gt_demo_server *s, struct conn *c, struct MHD_Connection *mc)
{
  struct MHD_Response *resp;
  unsigned status;
  const char *type = "text/plain";
  char body[128], charge[16], sent[24], *page = NULL;
  size_t page_len = 0;
  enum MHD_Result ret;

  switch (c->fault == FAULT_429 || c->fault == FAULT_500 ? ROUTE_NOT_FOUND
      : c->route) {
  case ROUTE_PAGE:
    status = MHD_HTTP_OK;
    type = "text/html; charset=utf-8";
    page = gt_demo_page(s->cfg.seed, c->n, &page_len);
    body[0] = '\0';
    break;
  case ROUTE_GENRE:
    status = MHD_HTTP_OK;
    type = "application/json";
    snprintf(body, sizeof body, "\"%s\"", gt_demo_genre(s->cfg.seed, c->n));
    break;
  case ROUTE_HEALTH:
    status = MHD_HTTP_OK;
    snprintf(body, sizeof body, "ok");
    break;
  case ROUTE_BAD_ARG:
    status = MHD_HTTP_BAD_REQUEST;
    snprintf(body, sizeof body, "bad request: i must be a number\n");
    break;
  case ROUTE_BAD_METHOD:
    status = MHD_HTTP_METHOD_NOT_ALLOWED;
    snprintf(body, sizeof body, "method not allowed\n");
    break;
  case ROUTE_BAD_FRAMING:
    status = MHD_HTTP_BAD_REQUEST;
    snprintf(body, sizeof body, "bad request: %s\n", c->bad_framing);
    break;
  case ROUTE_NOT_FOUND:
  default:
    status = MHD_HTTP_NOT_FOUND;
    snprintf(body, sizeof body, "not found\n");
    if (c->fault == FAULT_429) {
      status = MHD_HTTP_TOO_MANY_REQUESTS;
      snprintf(body, sizeof body, "too many requests (--errors)\n");
    } else if (c->fault == FAULT_500) {
      status = MHD_HTTP_INTERNAL_SERVER_ERROR;
      snprintf(body, sizeof body, "internal server error (--errors)\n");
    }
    break;
  }
  resp = page != NULL
      ? MHD_create_response_from_buffer(page_len, page, MHD_RESPMEM_MUST_FREE)
      : MHD_create_response_from_buffer(strlen(body), body,
          MHD_RESPMEM_MUST_COPY);
  if (resp == NULL) {
    free(page);
    return MHD_NO;
  }
  snprintf(charge, sizeof charge, "%u", c->charge_ms);
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
  MHD_add_response_header(resp, "X-Gantty-Connect-Ms", charge);
  /* last, once the answer is made: MHD sends it from here on */
  snprintf(sent, sizeof sent, "%" PRIu64, gt_now_ns());
  MHD_add_response_header(resp, "X-Gantty-Sent-Ns", sent);
  if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
  if (c->route == ROUTE_BAD_FRAMING || c->early)  /* where it ends is moot */
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
  if (status == MHD_HTTP_TOO_MANY_REQUESTS)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "1");
  ret = MHD_queue_response(mc, status, resp);
  MHD_destroy_response(resp);
  if (ret == MHD_YES)
    atomic_fetch_add(&s->requests, 1);
  return ret;
}

/* MHD's access handler: classify on the first call, swallow any body, then
 * suspend until the due time or answer. */
static enum MHD_Result
handle_request(void *cls, struct MHD_Connection *mc, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **req_cls)
{
  struct gt_demo_server *s = cls;
  const union MHD_ConnectionInfo *info;
  struct conn *c;
  bool stopping;

  (void)upload_data;
  if (*req_cls == NULL) {
    info = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    if (info == NULL || info->socket_context == NULL)
      return MHD_NO;
    c = info->socket_context;
    begin_request(s, c, mc, url, method, version);
    *req_cls = c;
    /* Answered before MHD reads a body it cannot delimit (it would wait
     * for it without end); the answer closes the connection.  MHD 0.9.75
     * takes "chunked " (white space after it, RFC 9110 section 5.5) for
     * an unknown coding: that request is served so, its body unread (no
     * route reads one), suspended first if it is due later (MHD calls
     * back again on resume, the body still unread). */
    if (c->route == ROUTE_BAD_FRAMING)
      return answer(s, c, mc);
    if (!c->early)
      return MHD_YES;
  }
  c = *req_cls;
  if (*upload_data_size != 0) {
    *upload_data_size = 0;            /* no route reads a body */
    return MHD_YES;
  }

  if (!c->suspended && c->due_ns > gt_now_ns()) {
    /* Suspend and push under one lock, so the timer never resumes a
     * connection that is not suspended yet and stop() sees every one. */
    pthread_mutex_lock(&s->lock);
    stopping = s->stopping;
    if (!stopping) {
      MHD_suspend_connection(mc);
      c->suspended = true;
      heap_push(s, c->due_ns, mc);
      if (s->heap[0].mc == mc)
        pthread_cond_signal(&s->cond);
    }
    pthread_mutex_unlock(&s->lock);
    return stopping ? MHD_NO : MHD_YES;
  }
  if (c->suspended) {
    pthread_mutex_lock(&s->lock);
    stopping = s->stopping;
    pthread_mutex_unlock(&s->lock);
    if (stopping)
      return MHD_NO;                  /* dropped: close the connection */
  }
  return answer(s, c, mc);
}

/* Start a server; on success *out is set and it accepts requests. */
int
gt_demo_server_start(const struct gt_demo_config *cfg,
    struct gt_demo_server **out, char **cause)
{
  struct gt_demo_server *s;
  struct sockaddr_in sa;
  pthread_condattr_t ca;
  const union MHD_DaemonInfo *info;
  unsigned flags;
  int rc = 0, err;

  *out = NULL;
  s = gt_xcalloc(1, sizeof *s);
  s->cfg = *cfg;
  if (s->cfg.max_connections == 0)
    s->cfg.max_connections = DEFAULT_MAX_CONNECTIONS;
  atomic_init(&s->counter, 0);
  atomic_init(&s->requests, 0);
  atomic_init(&s->connections, 0);
  atomic_init(&s->open_now, 0);
  atomic_init(&s->open_peak, 0);
  atomic_init(&s->starting, true);

  pthread_mutex_init(&s->lock, NULL);
  pthread_mutex_init(&s->log_lock, NULL);
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&s->cond, &ca);
  pthread_condattr_destroy(&ca);

  err = pthread_create(&s->timer, NULL, timer_main, s);
  if (err != 0) {
    rc = -err;
    gt_set_cause(cause, "demo server: cannot start timer thread: %s",
        strerror(err));
    goto fail_timer;
  }

  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons(0);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  /* Epoll, not select: thousands of connections exceed FD_SETSIZE. */
  flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
      MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
  errno = 0;
  s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, handle_request, s,
      MHD_OPTION_EXTERNAL_LOGGER, log_message, s,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
      MHD_OPTION_CONNECTION_LIMIT, s->cfg.max_connections,
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT_S,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY_BYTES,
      MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)LISTEN_BACKLOG,
      MHD_OPTION_NOTIFY_CONNECTION, notify_connection, s,
      MHD_OPTION_END);
  err = errno;
  atomic_store(&s->starting, false);
  if (s->daemon == NULL) {
    rc = err != 0 ? -err : -EIO;
    pthread_mutex_lock(&s->log_lock);
    gt_set_cause(cause, "demo server: cannot start on 127.0.0.1: %s",
        s->start_error[0] != '\0' ? s->start_error :
        err != 0 ? strerror(err) : "libmicrohttpd failed");
    pthread_mutex_unlock(&s->log_lock);
    goto fail_daemon;
  }

  info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
  if (info == NULL || info->port == 0) {
    rc = -EADDRNOTAVAIL;
    gt_set_cause(cause, "demo server: cannot read the bound port");
    goto fail_port;
  }
  s->port = info->port;
  s->url = gt_xasprintf("http://127.0.0.1:%u", (unsigned)s->port);
  *out = s;
  return 0;

fail_port:
  MHD_stop_daemon(s->daemon);
fail_daemon:
  pthread_mutex_lock(&s->lock);
  s->stopping = true;
  pthread_cond_signal(&s->cond);
  pthread_mutex_unlock(&s->lock);
  pthread_join(s->timer, NULL);
fail_timer:
  pthread_cond_destroy(&s->cond);
  pthread_mutex_destroy(&s->log_lock);
  pthread_mutex_destroy(&s->lock);
  free(s);
  return rc;
}

/* The server's URL, borrowed until gt_demo_server_stop(). */
const char *
gt_demo_server_url(const struct gt_demo_server *s)
{
  return s->url;
}

/* The bound port. */
uint16_t
gt_demo_server_port(const struct gt_demo_server *s)
{
  return s->port;
}

/* Copy the counters; each is read atomically, the set is not a snapshot. */
void
gt_demo_server_stats(struct gt_demo_server *s, struct gt_demo_stats *out)
{
  out->requests = atomic_load(&s->requests);
  out->connections = atomic_load(&s->connections);
  out->open_now = atomic_load(&s->open_now);
  out->open_peak = atomic_load(&s->open_peak);
}

/* Stop accepting, resume and drop every waiting request, stop the daemon and
 * the timer thread, and free the server. */
void
gt_demo_server_stop(struct gt_demo_server *s)
{
  MHD_socket listen_fd;
  struct timer_entry *heap;
  size_t i, nheap;

  if (s == NULL)
    return;
  listen_fd = MHD_quiesce_daemon(s->daemon);

  pthread_mutex_lock(&s->lock);
  s->stopping = true;
  pthread_cond_signal(&s->cond);
  pthread_mutex_unlock(&s->lock);
  pthread_join(s->timer, NULL);

  /* MHD_stop_daemon() panics on a connection still suspended, so resume
   * them all; with stopping set the handler drops them (and suspends no
   * more), and MHD_stop_daemon() closes those it has not reached yet. */
  pthread_mutex_lock(&s->lock);
  heap = s->heap;
  nheap = s->nheap;
  s->heap = NULL;
  s->nheap = s->cap = 0;
  pthread_mutex_unlock(&s->lock);
  for (i = 0; i < nheap; i++)
    MHD_resume_connection(heap[i].mc);
  free(heap);

  MHD_stop_daemon(s->daemon);
  if (listen_fd != MHD_INVALID_SOCKET)
    close(listen_fd);

  pthread_cond_destroy(&s->cond);
  pthread_mutex_destroy(&s->log_lock);
  pthread_mutex_destroy(&s->lock);
  free(s->url);
  free(s);
}
