/*
 * workloads/demo_server.h: the embedded demo HTTP server.
 *
 * A real HTTP/1.1 server (libmicrohttpd) bound to 127.0.0.1 on an ephemeral
 * port, run by its own thread.  It answers after a seeded latency and jitter,
 * adds a connection set-up cost to the first request of each connection, and
 * answers 404 for paths it does not know.  Delayed answers suspend the
 * connection and a timer thread resumes it, so thousands of requests can wait
 * at once without a thread each.
 *
 * Routes (GET or HEAD):
 *   GET /genre[?i=N]   a JSON string naming a music genre.  The genre and the
 *                      jitter are a function of (seed, N), so the same
 *                      request gets the same answer every run; without ?i=
 *                      a per-server counter stands in for N.
 *   GET /page/N        an HTML page of about 25 KB: one <h1> holding its
 *                      title (gt_demo_page_title()) and paragraphs of
 *                      seeded words, the same for (seed, N) every run.
 *   GET /health        "ok", no latency (for readiness checks).
 * Faults on request (genre and page): --errors PCT answers that share with
 * 429 (Retry-After: 1) or 500, --stall PCT never answers that share (an
 * hour, in fact: the client's timeout ends it); which requests is a
 * function of (seed, route, N), so a class sees the same failures twice.
 * HEAD is answered as GET without the body; other methods get 405.
 * A request MHD cannot parse gets 400, and so does one whose body's length
 * is ambiguous (two different Content-Length headers, a transfer coding
 * other than chunked), answered at once and the connection closed.
 * Every answer carries "X-Gantty-Connect-Ms: C" where C is the set-up cost
 * charged to it (0 on a reused connection), and "X-Gantty-Sent-Ns: T"
 * where T is when the answer was made and handed to MHD to send
 * (CLOCK_MONOTONIC nanoseconds, the machine's clock): a client on this
 * machine learns when its answer arrived, however late it reads it.
 */
#ifndef GT_DEMO_SERVER_H
#define GT_DEMO_SERVER_H

#include <stddef.h>
#include <stdint.h>

struct gt_demo_config {
  uint64_t seed;            /* picks genres and jitter */
  unsigned latency_ms;      /* added to every answer */
  unsigned jitter_ms;       /* plus a seeded 0..jitter_ms */
  unsigned connect_ms;      /* plus this on a connection's first request */
  unsigned max_connections; /* 0: 10000 */
  unsigned errors_pct;      /* answer this share with 429 or 500 */
  unsigned stall_pct;       /* never answer this share */
};

struct gt_demo_stats {
  uint64_t requests;        /* answered */
  uint64_t connections;     /* accepted, ever */
  unsigned open_now;        /* connections open now */
  unsigned open_peak;       /* most connections open at once */
};

struct gt_demo_server;

/* Start a server; on success *out is set and the server accepts requests
 * before this returns.  Returns 0, or a negative errno with *cause set
 * (malloc'd) when it cannot bind or start. */
int gt_demo_server_start(const struct gt_demo_config *cfg,
    struct gt_demo_server **out, char **cause);

/* "http://127.0.0.1:PORT", borrowed until gt_demo_server_stop(). */
const char *gt_demo_server_url(const struct gt_demo_server *s);

/* The bound port. */
uint16_t gt_demo_server_port(const struct gt_demo_server *s);

/* A snapshot of the counters; thread-safe. */
void gt_demo_server_stats(struct gt_demo_server *s,
    struct gt_demo_stats *out);

/* Stop the server, drop waiting requests and free it; NULL is a no-op. */
void gt_demo_server_stop(struct gt_demo_server *s);

/* The genre answered for request number n under seed (for tests). */
const char *gt_demo_genre(uint64_t seed, uint64_t n);

/* Page n's title, and the whole page (its length in *len); malloc'd. */
char *gt_demo_page_title(uint64_t seed, uint64_t n);
char *gt_demo_page(uint64_t seed, uint64_t n, size_t *len);

#endif
