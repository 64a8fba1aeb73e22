/*
 * tests/test_demo_server.c: the demo HTTP server over real loopback TCP.
 *
 * libcurl easy handles check routes, latency, the connect cost and
 * keep-alive; raw non-blocking sockets check thousands of connections at
 * once and stopping with requests still waiting.  Timing asserts are lower
 * bounds plus loose upper bounds, so a noisy machine does not fail them.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "demo_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "support/clock.h"

#define SEED UINT64_C(0x5eed)
#define MANY_WANTED 5000
#define MANY_DEADLINE_MS 25000

/* One answer as a curl easy handle saw it. */
struct reply {
  long status;
  char body[256];
  size_t body_len;
  char content_type[64];
  long connect_ms;          /* X-Gantty-Connect-Ms; -1 when missing */
  long num_connects;        /* new connections curl made for it */
  double elapsed_ms;
  CURLcode rc;
};

/* Start a server with the given timing, failing the test if it cannot. */
static struct gt_demo_server *
start_server(unsigned latency_ms, unsigned jitter_ms, unsigned connect_ms)
{
  struct gt_demo_config cfg = { .seed = SEED, .latency_ms = latency_ms,
      .jitter_ms = jitter_ms, .connect_ms = connect_ms };
  struct gt_demo_server *s = NULL;
  char *cause = NULL;
  int rc;

  rc = gt_demo_server_start(&cfg, &s, &cause);
  if (rc != 0)
    fail_msg("gt_demo_server_start: %d %s", rc, cause ? cause : "");
  assert_non_null(s);
  assert_null(cause);
  return s;
}

/* curl write callback: keep the start of the body. */
static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
  struct reply *r = arg;
  size_t len = size * n, room = sizeof r->body - 1 - r->body_len;

  if (len < room)
    room = len;
  memcpy(r->body + r->body_len, data, room);
  r->body_len += room;
  r->body[r->body_len] = '\0';
  return len;
}

/* Copy a header's value (after "name:") into out, trimmed. */
static void
header_value(const char *line, size_t len, size_t skip, char *out,
    size_t outsz)
{
  size_t i = skip, n = 0;

  while (i < len && (line[i] == ' ' || line[i] == '\t'))
    i++;
  while (i < len && line[i] != '\r' && line[i] != '\n' && n + 1 < outsz)
    out[n++] = line[i++];
  out[n] = '\0';
}

/* curl header callback: pick out the headers the tests check. */
static size_t
on_header(char *line, size_t size, size_t n, void *arg)
{
  static const char xc[] = "X-Gantty-Connect-Ms:";
  static const char ct[] = "Content-Type:";
  struct reply *r = arg;
  size_t len = size * n;
  char v[64];

  if (len > sizeof xc - 1 && strncasecmp(line, xc, sizeof xc - 1) == 0) {
    header_value(line, len, sizeof xc - 1, v, sizeof v);
    r->connect_ms = strtol(v, NULL, 10);
  } else if (len > sizeof ct - 1 &&
      strncasecmp(line, ct, sizeof ct - 1) == 0)
    header_value(line, len, sizeof ct - 1, r->content_type,
        sizeof r->content_type);
  return len;
}

/* GET base+path on handle h (reused across calls, so keep-alive applies). */
static void
get(CURL *h, const char *base, const char *path, bool post, struct reply *r)
{
  char url[256];
  double t0;

  memset(r, 0, sizeof *r);
  r->connect_ms = -1;
  snprintf(url, sizeof url, "%s%s", base, path);
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 15000L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
  if (post)
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, "x=1");
  else
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  t0 = gt_test_now_ms();
  r->rc = curl_easy_perform(h);
  r->elapsed_ms = gt_test_now_ms() - t0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
  curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &r->num_connects);
}

/* /genre answers the seeded genre as a JSON string, the same every time. */
static void
test_genre_body(void **state)
{
  struct gt_demo_server *s = start_server(0, 0, 0);
  CURL *h = curl_easy_init();
  struct reply r1, r2;
  char want[64];

  (void)state;
  assert_non_null(h);
  snprintf(want, sizeof want, "\"%s\"", gt_demo_genre(SEED, 3));

  get(h, gt_demo_server_url(s), "/genre?i=3", false, &r1);
  assert_int_equal(r1.rc, CURLE_OK);
  assert_int_equal(r1.status, 200);
  assert_string_equal(r1.body, want);
  assert_string_equal(r1.content_type, "application/json");
  assert_int_equal(r1.connect_ms, 0);

  get(h, gt_demo_server_url(s), "/genre?i=3", false, &r2);
  assert_int_equal(r2.status, 200);
  assert_string_equal(r2.body, r1.body);

  /* Without ?i= the server's counter stands in, from 0. */
  snprintf(want, sizeof want, "\"%s\"", gt_demo_genre(SEED, 0));
  get(h, gt_demo_server_url(s), "/genre", false, &r1);
  assert_string_equal(r1.body, want);
  snprintf(want, sizeof want, "\"%s\"", gt_demo_genre(SEED, 1));
  get(h, gt_demo_server_url(s), "/genre", false, &r1);
  assert_string_equal(r1.body, want);

  get(h, gt_demo_server_url(s), "/health", false, &r1);
  assert_int_equal(r1.status, 200);
  assert_string_equal(r1.body, "ok");

  get(h, gt_demo_server_url(s), "/genre?i=x", false, &r1);
  assert_int_equal(r1.status, 400);

  /* The genre is a function of (seed, n) and the list has variety. */
  assert_string_equal(gt_demo_genre(SEED, 7), gt_demo_genre(SEED, 7));
  {
    int i, differ = 0;

    for (i = 1; i < 50; i++)
      differ += strcmp(gt_demo_genre(SEED, 0), gt_demo_genre(SEED, i)) != 0;
    assert_true(differ > 0);
  }

  curl_easy_cleanup(h);
  gt_demo_server_stop(s);
}

/* A request waits at least latency_ms, and not wildly longer. */
static void
test_latency(void **state)
{
  struct gt_demo_server *s = start_server(300, 0, 0);
  CURL *h = curl_easy_init();
  struct reply r;

  (void)state;
  get(h, gt_demo_server_url(s), "/genre?i=1", false, &r);
  assert_int_equal(r.rc, CURLE_OK);
  assert_int_equal(r.status, 200);
  assert_true(r.elapsed_ms >= 300.0);
  assert_true(r.elapsed_ms < 300.0 + 2000.0);

  /* /health is never delayed (the bound is loose: just well under 300). */
  get(h, gt_demo_server_url(s), "/health", false, &r);
  assert_int_equal(r.status, 200);
  assert_true(r.elapsed_ms < 250.0);

  curl_easy_cleanup(h);
  gt_demo_server_stop(s);
}

/* Jitter stays within 0..jitter_ms on top of the latency. */
static void
test_jitter(void **state)
{
  struct gt_demo_server *s = start_server(100, 300, 0);
  CURL *h = curl_easy_init();
  struct reply r;
  char path[32];
  int i;

  (void)state;
  for (i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "/genre?i=%d", i);
    get(h, gt_demo_server_url(s), path, false, &r);
    assert_int_equal(r.status, 200);
    assert_true(r.elapsed_ms >= 100.0);
    assert_true(r.elapsed_ms < 100.0 + 300.0 + 2000.0);
  }
  curl_easy_cleanup(h);
  gt_demo_server_stop(s);
}

/* Only a connection's first request pays connect_ms; keep-alive reuses. */
static void
test_connect_cost(void **state)
{
  struct gt_demo_server *s = start_server(0, 0, 200);
  CURL *h = curl_easy_init();
  struct reply r;

  (void)state;
  get(h, gt_demo_server_url(s), "/genre?i=1", false, &r);
  assert_int_equal(r.rc, CURLE_OK);
  assert_int_equal(r.status, 200);
  assert_int_equal(r.num_connects, 1);
  assert_true(r.elapsed_ms >= 200.0);
  assert_true(r.elapsed_ms < 200.0 + 2000.0);
  assert_int_equal(r.connect_ms, 200);

  get(h, gt_demo_server_url(s), "/genre?i=2", false, &r);
  assert_int_equal(r.rc, CURLE_OK);
  assert_int_equal(r.status, 200);
  assert_int_equal(r.num_connects, 0);  /* the same connection */
  assert_int_equal(r.connect_ms, 0);
  curl_easy_cleanup(h);

  /* A new handle is a new connection and pays again. */
  h = curl_easy_init();
  get(h, gt_demo_server_url(s), "/nope", false, &r);
  assert_int_equal(r.status, 404);
  assert_int_equal(r.connect_ms, 200);
  assert_true(r.elapsed_ms >= 200.0);
  curl_easy_cleanup(h);
  gt_demo_server_stop(s);
}

/* Unknown paths get 404 and other methods 405, each with the header. */
static void
test_not_found(void **state)
{
  struct gt_demo_server *s = start_server(0, 0, 0);
  CURL *h = curl_easy_init();
  struct reply r;

  (void)state;
  get(h, gt_demo_server_url(s), "/nothing/here", false, &r);
  assert_int_equal(r.rc, CURLE_OK);
  assert_int_equal(r.status, 404);
  assert_true(r.body_len > 0);
  assert_int_equal(r.connect_ms, 0);

  get(h, gt_demo_server_url(s), "/genre/", false, &r);
  assert_int_equal(r.status, 404);

  get(h, gt_demo_server_url(s), "/genre", true, &r);
  assert_int_equal(r.rc, CURLE_OK);
  assert_int_equal(r.status, 405);
  assert_int_equal(r.connect_ms, 0);

  curl_easy_cleanup(h);
  gt_demo_server_stop(s);
}

/* Send req on a new connection to 127.0.0.1:port and read until the
 * server closes it (or 10 s pass: a server that never answers); returns
 * what came back, malloc'd and NUL-terminated. */
static char *
raw_exchange_n(uint16_t port, const char *req, size_t req_len)
{
  struct sockaddr_in sa;
  size_t len = 0, cap = 65536;
  char *buf = malloc(cap);
  double until = gt_test_now_ms() + 10000;
  struct pollfd p;
  ssize_t n;
  int fd;

  assert_non_null(buf);
  fd = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(fd >= 0);
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
  assert_int_equal(send(fd, req, req_len, MSG_NOSIGNAL), (ssize_t)req_len);
  p.fd = fd;
  p.events = POLLIN;
  for (;;) {
    if (gt_test_now_ms() > until)
      fail_msg("no end of the answer to %.40s... within 10 s; got: %.*s",
          req, (int)len, buf);
    if (poll(&p, 1, 100) <= 0)
      continue;
    n = recv(fd, buf + len, cap - len - 1, 0);
    if (n <= 0)
      break;  /* closed (or reset after the answer) */
    len += (size_t)n;
    assert_true(len < cap - 1);
  }
  close(fd);
  buf[len] = '\0';
  return buf;
}

/* raw_exchange_n() of a request without NUL bytes. */
static char *
raw_exchange(uint16_t port, const char *req)
{
  return raw_exchange_n(port, req, strlen(req));
}

/* The value of header name in a raw answer, or -1. */
static long
raw_header_num(const char *answer, const char *name)
{
  const char *end = strstr(answer, "\r\n\r\n"), *h = answer;
  size_t n = strlen(name);

  while ((h = strstr(h, "\r\n")) != NULL && h < end) {
    h += 2;
    if (strncasecmp(h, name, n) == 0 && h[n] == ':')
      return strtol(h + n + 1, NULL, 10);
  }
  return -1;
}

/* HEAD is GET without the body (RFC 9110 section 9.3.2): the same status
 * and Content-Length, no body bytes. */
static void
test_head(void **state)
{
  struct gt_demo_server *s = start_server(0, 0, 0);
  uint16_t port = gt_demo_server_port(s);
  static const char *const paths[] = { "/genre?i=3", "/page/3", "/nothing" };
  char req[128], *get_a, *head_a;
  size_t i;

  (void)state;
  for (i = 0; i < 3; i++) {
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: x\r\n"
        "Connection: close\r\n\r\n", paths[i]);
    get_a = raw_exchange(port, req);
    snprintf(req, sizeof req, "HEAD %s HTTP/1.1\r\nHost: x\r\n"
        "Connection: close\r\n\r\n", paths[i]);
    head_a = raw_exchange(port, req);
    print_message("HEAD %s: %.*s\n", paths[i],
        (int)strcspn(head_a, "\r"), head_a);
    assert_int_equal(strncmp(head_a, get_a, 12), 0);  /* HTTP/1.1 NNN */
    assert_true(raw_header_num(get_a, "Content-Length") > 0);
    assert_int_equal(raw_header_num(head_a, "Content-Length"),
        raw_header_num(get_a, "Content-Length"));
    assert_non_null(strstr(head_a, "\r\n\r\n"));
    assert_string_equal(strstr(head_a, "\r\n\r\n"), "\r\n\r\n");
    free(get_a);
    free(head_a);
  }
  gt_demo_server_stop(s);
}

/* A body whose length two readers could read differently gets 400 and the
 * connection closed, never a guess nor a silent close (RFC 9112 section
 * 6): two different Content-Length headers, a transfer coding other than
 * chunked.  Two equal lengths and chunked alone are served. */
static void
test_bad_framing(void **state)
{
  static const struct {
    const char *req;
    int status;
  } cases[] = {
    { "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
      "Content-Length: 5\r\n\r\nabcde", 400 },
    { "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
      "content-length: 3\r\n\r\nabc", 400 },
    { "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n"
      "\r\n3\r\nabc\r\n0\r\n\r\n", 400 },
    { "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, "
      "chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400 },
    { "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
      "Content-Length: 3\r\nConnection: close\r\n\r\nabc", 200 },
    { "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
      "Connection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 200 },
    /* A field name that is not a token (RFC 9112 section 5.1). */
    { "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\nContent-Length : 5\r\n"
      "\r\nabcde", 400 },
    { "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\nX\tY: 5\r\n\r\n", 400 },
    { "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\nX\001Y: 5\r\n\r\n", 400 },
    /* Both lengths (section 6.1); every Transfer-Encoding line counts. */
    { "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400 },
    { "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
      "Transfer-Encoding: identity\r\n\r\n0\r\n\r\n", 400 },
    /* obs-fold (section 5.2), in the middle and at the end. */
    { "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: x\r\n"
      " chunked\r\nConnection: close\r\n\r\n0\r\n\r\n", 400 },
    { "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\nX-A: x\r\n\tb\r\n\r\n", 400 },
    /* HTTP/1.1 wants one Host (section 3.2); 1.0 may leave it out. */
    { "GET /genre?i=1 HTTP/1.1\r\nConnection: close\r\n\r\n", 400 },
    { "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400 },
    { "GET /genre?i=1 HTTP/1.0\r\n\r\n", 200 },
    /* Trailing white space and bare LF line ends are not faults. */
    { "GET /genre?i=1 HTTP/1.1\r\nHost: x  \r\nX-A: a \t \r\n"
      "Connection: close  \r\n\r\n", 200 },
    { "GET /genre?i=1 HTTP/1.1\nHost: x\nX-A: a\nConnection: close\n\n",
      200 },
    /* A line with an empty field name must not end the header (what
     * follows it would be served as a second request). */
    { "GET /genre?i=1 HTTP/1.1\r\nHost: a\r\n: b\r\nGET /page/7 HTTP/1.1\r\n"
      "Host: x\r\nConnection: close\r\n\r\n", 400 },
    { "GET /genre?i=1 HTTP/1.1\r\nHost: a\r\n:\r\nGET /page/7 HTTP/1.1\r\n"
      "Host: x\r\nConnection: close\r\n\r\n", 400 },
    { "GET /genre?i=1 HTTP/1.1\nHost: a\n:\nGET /page/7 HTTP/1.1\n"
      "Host: x\nConnection: close\n\n", 400 },
    { "GET /genre?i=1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n"
      ":\r\n\r\n", 400 },
    /* White space around a value is not part of it (RFC 9110 5.5). */
    { "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked \r\n"
      "Connection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 200 },
    { "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\tchunked\t"
      "\r\nConnection: close\r\n\r\n0\r\n\r\n", 200 },
    /* Control characters in a value (section 5.5), a bare CR among them;
     * obs-text (0x80 and up) is fine, and so is an empty line before the
     * request line (RFC 9112 section 2.2). */
    { "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\nX-A: a\rX-B: b\r\n"
      "Connection: close\r\n\r\n", 400 },
    { "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\nX-A: a\001b\r\n"
      "Connection: close\r\n\r\n", 400 },
    { "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\nX-A: a\033b\r\n"
      "Connection: close\r\n\r\n", 400 },
    { "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\nX-A: a\177\r\n"
      "Connection: close\r\n\r\n", 400 },
    { "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\nX-A: caf\303\251\tb\r\n"
      "Connection: close\r\n\r\n", 200 },
    { "\r\nGET /genre?i=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      200 },
  };
  /* A NUL in a field value, in the middle and on the last line. */
  static const char nul_mid[] = "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\n"
      "X-A: a\0b\r\nConnection: close\r\n\r\n";
  static const char nul_last[] = "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\n"
      "Connection: close\r\nX-A: a\0b\r\n\r\n";
  /* A NUL that ends a value, in the middle and on the last line. */
  static const char nul_end_mid[] = "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\n"
      "X-A: a\0\r\nConnection: close\r\n\r\n";
  static const char nul_end_last[] = "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\n"
      "Connection: close\0\r\n\r\n";
  struct gt_demo_server *s = start_server(0, 0, 0);
  char want[16], *a;
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    a = raw_exchange(gt_demo_server_port(s), cases[i].req);
    print_message("case %zu: %.*s\n", i, (int)strcspn(a, "\r"), a);
    snprintf(want, sizeof want, "HTTP/1.1 %d", cases[i].status);
    assert_int_equal(strncmp(a, want, strlen(want)), 0);
    if (cases[i].status == 400) {
      assert_non_null(strstr(a, "bad request: "));
      assert_null(strstr(a + 1, "HTTP/1.1 "));  /* one answer, then close */
    }
    free(a);
  }
  a = raw_exchange_n(gt_demo_server_port(s), nul_mid, sizeof nul_mid - 1);
  assert_int_equal(strncmp(a, "HTTP/1.1 400", 12), 0);
  free(a);
  a = raw_exchange_n(gt_demo_server_port(s), nul_last, sizeof nul_last - 1);
  assert_int_equal(strncmp(a, "HTTP/1.1 400", 12), 0);
  free(a);
  a = raw_exchange_n(gt_demo_server_port(s), nul_end_mid,
      sizeof nul_end_mid - 1);
  assert_int_equal(strncmp(a, "HTTP/1.1 400", 12), 0);
  free(a);
  a = raw_exchange_n(gt_demo_server_port(s), nul_end_last,
      sizeof nul_end_last - 1);
  assert_int_equal(strncmp(a, "HTTP/1.1 400", 12), 0);
  free(a);
  /* Pipelined requests (CR LF, bare LF) each get their answer. */
  for (i = 0; i < 2; i++) {
    a = raw_exchange(gt_demo_server_port(s), i == 0
        ? "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\n\r\nHEAD /page/7 HTTP/1.1"
          "\r\nHost: x\r\n\r\nGET /page/7 HTTP/1.0\r\nHost: x\r\n\r\n"
        : "GET /genre?i=1 HTTP/1.1\nHost: x\n\nHEAD /page/7 HTTP/1.1\n"
          "Host: x\n\nGET /page/7 HTTP/1.0\nHost: x\n\n");
    assert_int_equal(strncmp(a, "HTTP/1.1 200", 12), 0);
    assert_non_null(strstr(a + 1, "HTTP/1.1 200"));
    assert_non_null(strstr(strstr(a + 1, "HTTP/1.1 200") + 1,
        "HTTP/1.1 200"));
    free(a);
  }
  gt_demo_server_stop(s);

  /* "chunked " is served when due (a delayed answer too), its body moot:
   * MHD 0.9.75 cannot delimit it, so the answer closes the connection
   * (raw_exchange() returns only then). */
  s = start_server(100, 0, 0);
  a = raw_exchange(gt_demo_server_port(s), "GET /genre?i=1 HTTP/1.1\r\n"
      "Host: x\r\nTransfer-Encoding: chunked \r\n\r\n0\r\n\r\n");
  assert_int_equal(strncmp(a, "HTTP/1.1 200", 12), 0);
  assert_null(strstr(a + 1, "HTTP/1.1 "));
  free(a);
  gt_demo_server_stop(s);
}

/* An absolute-form target (RFC 9112 section 3.2.2) is served as its path:
 * the same answer as the origin form. */
static void
test_absolute_form(void **state)
{
  struct gt_demo_server *s = start_server(0, 0, 0);
  char req[160], *a, *b;

  (void)state;
  snprintf(req, sizeof req, "GET http://127.0.0.1:%u/genre?i=2 HTTP/1.1\r\n"
      "Host: 127.0.0.1\r\nConnection: close\r\n\r\n",
      (unsigned)gt_demo_server_port(s));
  a = raw_exchange(gt_demo_server_port(s), req);
  b = raw_exchange(gt_demo_server_port(s), "GET /genre?i=2 HTTP/1.1\r\n"
      "Host: 127.0.0.1\r\nConnection: close\r\n\r\n");
  assert_int_equal(strncmp(a, "HTTP/1.1 200", 12), 0);
  assert_non_null(strstr(a, "\r\n\r\n"));
  assert_string_equal(strstr(a, "\r\n\r\n"), strstr(b, "\r\n\r\n"));
  free(a);
  free(b);
  gt_demo_server_stop(s);
}

/* Whether /proc/net/tcp lists a listener on port at an address other than
 * 127.0.0.1 (*other) and at 127.0.0.1 (*loop); false if it cannot tell. */
static bool
proc_listeners(uint16_t port, bool *loop, bool *other)
{
  FILE *f = fopen("/proc/net/tcp", "r");
  char line[512];
  unsigned addr, lport, st;

  *loop = *other = false;
  if (f == NULL)
    return false;
  while (fgets(line, sizeof line, f) != NULL) {
    if (sscanf(line, " %*u: %8X:%4X %*8X:%*4X %2X", &addr, &lport, &st) != 3)
      continue;
    if (lport != port || st != 0x0A)   /* TCP_LISTEN */
      continue;
    if (addr == htonl(INADDR_LOOPBACK))
      *loop = true;
    else
      *other = true;
  }
  fclose(f);
  return true;
}

/* Try a TCP connection to addr:port for up to timeout_ms; true if made. */
static bool
try_connect(struct in_addr addr, uint16_t port, int timeout_ms)
{
  struct sockaddr_in sa;
  struct pollfd p;
  int fd, err = 0;
  socklen_t len = sizeof err;
  bool ok = false;

  fd = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(fd >= 0);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  sa.sin_addr = addr;
  if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
    ok = true;
  else if (errno == EINPROGRESS) {
    p.fd = fd;
    p.events = POLLOUT;
    if (poll(&p, 1, timeout_ms) == 1 &&
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0)
      ok = true;
  }
  close(fd);
  return ok;
}

/* The server listens on 127.0.0.1 only. */
static void
test_loopback_only(void **state)
{
  struct gt_demo_server *s = start_server(0, 0, 0);
  uint16_t port = gt_demo_server_port(s);
  struct ifaddrs *ifs = NULL, *i;
  struct in_addr lo, ext;
  char want[64];
  bool loop, other, found = false;

  (void)state;
  assert_true(port != 0);
  snprintf(want, sizeof want, "http://127.0.0.1:%u", (unsigned)port);
  assert_string_equal(gt_demo_server_url(s), want);

  lo.s_addr = htonl(INADDR_LOOPBACK);
  assert_true(try_connect(lo, port, 2000));

  if (proc_listeners(port, &loop, &other)) {
    assert_true(loop);
    assert_false(other);
  }

  if (getifaddrs(&ifs) == 0) {
    for (i = ifs; i != NULL; i = i->ifa_next) {
      if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET)
        continue;
      ext = ((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr;
      if ((ntohl(ext.s_addr) >> 24) == 127)
        continue;
      found = true;
      break;
    }
  }
  if (found)
    assert_false(try_connect(ext, port, 2000));
  else
    print_message("no non-loopback IPv4 address: skipping that check\n");
  if (ifs != NULL)
    freeifaddrs(ifs);
  gt_demo_server_stop(s);
}

/* A raw client connection in the many-connections test. */
struct raw {
  int fd;
  int phase;                /* 0 connecting, 1 sent, 2 answered, 3 failed */
  size_t sent;
  char req[64];
  size_t req_len;
  char buf[512];
  size_t len;
};

/* Whether buf holds a whole HTTP response (headers and Content-Length). */
static bool
response_complete(const char *buf, size_t len)
{
  const char *end = strstr(buf, "\r\n\r\n"), *cl;
  long body;

  if (end == NULL)
    return false;
  cl = strstr(buf, "Content-Length:");
  if (cl == NULL)
    cl = strstr(buf, "content-length:");
  if (cl == NULL || cl > end)
    return true;
  body = strtol(cl + 15, NULL, 10);
  return (size_t)(end + 4 - buf) + (size_t)body <= len;
}

/* Open a non-blocking socket and start connecting it to 127.0.0.1:port. */
static int
raw_connect(uint16_t port)
{
  struct sockaddr_in sa;
  int fd;

  fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return -1;
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 &&
      errno != EINPROGRESS) {
    close(fd);
    return -1;
  }
  return fd;
}

/* Advance one raw client after poll() reported revents for it. */
static void
raw_step(struct raw *c, short revents)
{
  ssize_t n;
  int err = 0;
  socklen_t elen = sizeof err;

  if (c->phase == 0 && (revents & (POLLOUT | POLLERR | POLLHUP))) {
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0 ||
        err != 0) {
      c->phase = 3;
      return;
    }
    n = send(c->fd, c->req + c->sent, c->req_len - c->sent, MSG_NOSIGNAL);
    if (n > 0)
      c->sent += (size_t)n;
    else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
      c->phase = 3;
    if (c->sent == c->req_len)
      c->phase = 1;
  } else if (c->phase == 1 && (revents & (POLLIN | POLLERR | POLLHUP))) {
    n = recv(c->fd, c->buf + c->len, sizeof c->buf - 1 - c->len, 0);
    if (n > 0) {
      c->len += (size_t)n;
      c->buf[c->len] = '\0';
      if (response_complete(c->buf, c->len) || c->len == sizeof c->buf - 1)
        c->phase = 2;
    } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
      c->phase = 3;
  }
}

/* Raise the open-file soft limit to the hard one; returns the hard one. */
static rlim_t
raise_nofile(void)
{
  struct rlimit rl;

  if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
    return 1024;
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  getrlimit(RLIMIT_NOFILE, &rl);
  return rl.rlim_cur;
}

/* Thousands of connections wait at once and all get answered. */
static void
test_many_concurrent(void **state)
{
  struct gt_demo_server *s;
  struct gt_demo_stats st;
  struct raw *cs;
  struct pollfd *pfd;
  size_t *idx;
  rlim_t lim = raise_nofile();
  size_t count = MANY_WANTED, i, np, ok = 0, failed = 0, pending;
  double t0, elapsed;

  (void)state;
  if (lim != RLIM_INFINITY && lim < 2 * MANY_WANTED + 100) {
    count = lim > 300 ? (size_t)(lim - 100) / 2 : 100;
    print_message("RLIMIT_NOFILE hard limit %llu: using %zu connections\n",
        (unsigned long long)lim, count);
  }
  s = start_server(500, 0, 0);
  cs = calloc(count, sizeof *cs);
  pfd = calloc(count, sizeof *pfd);
  idx = calloc(count, sizeof *idx);
  assert_non_null(cs);
  assert_non_null(pfd);
  assert_non_null(idx);

  t0 = gt_test_now_ms();
  for (i = 0; i < count; i++) {
    cs[i].req_len = (size_t)snprintf(cs[i].req, sizeof cs[i].req,
        "GET /genre?i=%zu HTTP/1.1\r\nHost: x\r\n\r\n", i);
    cs[i].fd = raw_connect(gt_demo_server_port(s));
    if (cs[i].fd < 0)
      cs[i].phase = 3;
  }
  for (;;) {
    np = 0;
    for (i = 0; i < count; i++) {
      if (cs[i].phase >= 2)
        continue;
      pfd[np].fd = cs[i].fd;
      pfd[np].events = cs[i].phase == 0 ? POLLOUT : POLLIN;
      pfd[np].revents = 0;
      idx[np++] = i;
    }
    if (np == 0 || gt_test_now_ms() - t0 > MANY_DEADLINE_MS)
      break;
    if (poll(pfd, np, 200) < 0 && errno != EINTR)
      break;
    for (i = 0; i < np; i++)
      if (pfd[i].revents != 0)
        raw_step(&cs[idx[i]], pfd[i].revents);
  }
  elapsed = gt_test_now_ms() - t0;

  gt_demo_server_stats(s, &st);
  pending = 0;
  for (i = 0; i < count; i++) {
    if (cs[i].phase == 2 && strncmp(cs[i].buf, "HTTP/1.1 200", 12) == 0)
      ok++;
    else if (cs[i].phase == 3)
      failed++;
    else if (cs[i].phase < 2)
      pending++;
    if (cs[i].fd >= 0)
      close(cs[i].fd);
  }
  print_message("%zu connections: %zu answered 200, %zu failed, %zu pending "
      "in %.0f ms; peak open %u\n", count, ok, failed, pending, elapsed,
      st.open_peak);
  assert_int_equal(ok, count);
  assert_true(st.open_peak >= count);
  assert_true(st.requests >= count);
  assert_true(elapsed >= 500.0);
  free(idx);
  free(pfd);
  free(cs);
  gt_demo_server_stop(s);
}

/* A curl request run on another thread; it ends when the server drops it. */
struct bg_get {
  const char *url;
  struct reply r;
};

/* Thread body: one GET on a fresh handle. */
static void *
bg_get_main(void *arg)
{
  struct bg_get *g = arg;
  CURL *h = curl_easy_init();

  get(h, g->url, "/genre?i=9", false, &g->r);
  curl_easy_cleanup(h);
  return NULL;
}

/* Stopping with requests still suspended returns promptly and drops them.
 * No clock decides it: a stop that waited for the 5 s answers would have
 * answered them (recv > 0, CURLE_OK), and the client's 15 s timeout would
 * be CURLE_OPERATION_TIMEDOUT; dropped, each connection ends unanswered. */
static void
test_stop_with_waiting(void **state)
{
  enum { NRAW = 4 };
  struct gt_demo_server *s = start_server(5000, 0, 0);
  struct gt_demo_stats st;
  struct bg_get g = { gt_demo_server_url(s), { 0 } };
  pthread_t th;
  int fds[NRAW], i;
  char req[] = "GET /genre?i=1 HTTP/1.1\r\nHost: x\r\n\r\n", buf[256];
  struct pollfd p;
  ssize_t n;
  double t0, t_stop;

  (void)state;
  assert_int_equal(pthread_create(&th, NULL, bg_get_main, &g), 0);
  for (i = 0; i < NRAW; i++) {
    fds[i] = raw_connect(gt_demo_server_port(s));
    assert_true(fds[i] >= 0);
    p.fd = fds[i];
    p.events = POLLOUT;
    assert_int_equal(poll(&p, 1, 5000), 1);
    assert_int_equal(send(fds[i], req, sizeof req - 1, MSG_NOSIGNAL),
        (ssize_t)(sizeof req - 1));
  }
  t0 = gt_test_now_ms();
  do {
    gt_test_sleep_ms(20);
    gt_demo_server_stats(s, &st);
  } while (st.open_now < NRAW + 1 && gt_test_now_ms() - t0 < 5000);
  assert_int_equal(st.open_now, NRAW + 1);
  gt_test_sleep_ms(300);          /* let the requests reach the handler */

  t0 = gt_test_now_ms();
  gt_demo_server_stop(s);
  t_stop = gt_test_now_ms() - t0;
  print_message("stop with %d waiting requests took %.0f ms\n", NRAW + 1,
      t_stop);

  for (i = 0; i < NRAW; i++) {
    p.fd = fds[i];
    p.events = POLLIN;
    assert_int_equal(poll(&p, 1, 20000), 1);  /* closed by the stop */
    n = recv(fds[i], buf, sizeof buf - 1, 0);
    assert_true(n <= 0);            /* closed, never answered */
    close(fds[i]);
  }
  pthread_join(th, NULL);
  assert_int_not_equal(g.r.rc, CURLE_OK);  /* dropped, not answered */
  assert_int_not_equal(g.r.rc, CURLE_OPERATION_TIMEDOUT);  /* nor left */
}

/* stats.requests counts answered requests; open_now follows connections. */
static void
test_stats(void **state)
{
  struct gt_demo_server *s = start_server(0, 0, 0);
  struct gt_demo_stats st;
  CURL *h = curl_easy_init();
  struct reply r;
  double t0;

  (void)state;
  gt_demo_server_stats(s, &st);
  assert_int_equal(st.requests, 0);
  assert_int_equal(st.connections, 0);
  assert_int_equal(st.open_now, 0);

  get(h, gt_demo_server_url(s), "/health", false, &r);
  get(h, gt_demo_server_url(s), "/genre?i=1", false, &r);
  get(h, gt_demo_server_url(s), "/genre", false, &r);
  get(h, gt_demo_server_url(s), "/genre?i=2", false, &r);
  get(h, gt_demo_server_url(s), "/missing", false, &r);
  assert_int_equal(r.status, 404);
  gt_demo_server_stats(s, &st);
  assert_int_equal(st.requests, 5);
  assert_int_equal(st.connections, 1);
  assert_int_equal(st.open_now, 1);
  assert_int_equal(st.open_peak, 1);

  curl_easy_cleanup(h);
  t0 = gt_test_now_ms();
  do {
    gt_test_sleep_ms(10);
    gt_demo_server_stats(s, &st);
  } while (st.open_now != 0 && gt_test_now_ms() - t0 < 3000);
  assert_int_equal(st.open_now, 0);
  assert_int_equal(st.requests, 5);
  gt_demo_server_stop(s);
}

/* Starting without file descriptors left fails with a cause. */
static void
test_start_failure(void **state)
{
  struct gt_demo_config cfg = { .seed = SEED };
  struct gt_demo_server *s = NULL;
  struct rlimit old, low;
  char *cause = NULL;
  int rc, next;

  (void)state;
  next = dup(0);
  if (next < 0)
    skip();
  close(next);
  assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
  low = old;
  low.rlim_cur = (rlim_t)next;      /* every new descriptor fails */
  assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
  rc = gt_demo_server_start(&cfg, &s, &cause);
  assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);

  assert_true(rc < 0);
  assert_null(s);
  assert_non_null(cause);
  assert_non_null(strstr(cause, "127.0.0.1"));
  print_message("start failure: %d %s\n", rc, cause);
  free(cause);
}

/* Stopping NULL does nothing. */
static void
test_stop_null(void **state)
{
  (void)state;
  gt_demo_server_stop(NULL);
}

/* Run every test with libcurl initialised once, before any thread. */
int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_stop_null),
    cmocka_unit_test(test_genre_body),
    cmocka_unit_test(test_latency),
    cmocka_unit_test(test_jitter),
    cmocka_unit_test(test_connect_cost),
    cmocka_unit_test(test_not_found),
    cmocka_unit_test(test_head),
    cmocka_unit_test(test_bad_framing),
    cmocka_unit_test(test_absolute_form),
    cmocka_unit_test(test_loopback_only),
    cmocka_unit_test(test_stats),
    cmocka_unit_test(test_start_failure),
    cmocka_unit_test(test_stop_with_waiting),
    cmocka_unit_test(test_many_concurrent),
  };
  int rc;

  curl_global_init(CURL_GLOBAL_DEFAULT);
  rc = cmocka_run_group_tests(tests, NULL, NULL);
  curl_global_cleanup();
  return rc;
}
