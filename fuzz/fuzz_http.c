/*
 * fuzz/fuzz_http.c: the embedded demo server's handling of a request.
 *
 * One server is started (on 127.0.0.1, an ephemeral port, with a little
 * jitter so that answers are suspended and resumed too, and a share of
 * --errors), and each input is sent as the raw bytes of a connection: the
 * input is written, the sending side is shut, and the answer is read until
 * the server closes or sends nothing more for a few milliseconds (a server
 * that waits for the rest of a request holds the connection open: the
 * harness does not wait for its 120 s idle timeout).  An answer must be
 * HTTP.  The
 * server's own code runs in its threads, as it does under gantty.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE  /* MSG_NOSIGNAL with the socket calls */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base.h"
#include "demo_server.h"
#include "fuzz.h"

#define ANSWER_MS 2000   /* the most an input may take */
#define QUIET_MS  5      /* no byte for this long: the answer is all there
                            (an answer takes 0-2 ms; one cut short under
                            load costs a check, never a false crash) */

static struct gt_demo_server *server;
static uint16_t port;

static void
stop_server(void)
{
  gt_demo_server_stop(server);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
  struct gt_demo_config cfg = { .seed = 42, .jitter_ms = 1,
      .errors_pct = 5 };
  char *cause = NULL;

  (void)argc, (void)argv;
  signal(SIGPIPE, SIG_IGN);
  if (gt_demo_server_start(&cfg, &server, &cause) != 0) {
    fprintf(stderr, "fuzz_http: %s\n", cause);
    abort();
  }
  port = gt_demo_server_port(server);
  atexit(stop_server);
  return 0;
}

/* Milliseconds left until deadline (CLOCK_MONOTONIC ns), at least 0. */
static int
ms_left(uint64_t deadline)
{
  uint64_t now = gt_now_ns();

  return now >= deadline ? 0 : (int)((deadline - now) / 1000000u) + 1;
}

/* A connect() a signal interrupted goes on in the background: wait for
 * it; 1 once connected. */
static int
connected(struct pollfd *pfd, uint64_t deadline)
{
  socklen_t len = sizeof(int);
  int err = 0, n;

  pfd->events = POLLOUT;
  do
    n = poll(pfd, 1, ms_left(deadline));
  while (n < 0 && errno == EINTR);
  if (n <= 0 || getsockopt(pfd->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
    return 0;
  errno = err;
  return err == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct sockaddr_in sa = { .sin_family = AF_INET };
  uint64_t deadline = gt_now_ns() + ANSWER_MS * 1000000ull;
  struct pollfd pfd;
  char head[8], buf[65536];
  size_t off = 0, got = 0;
  ssize_t n;
  int fd;

  fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    abort();
  sa.sin_port = htons(port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  pfd.fd = fd;
  if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0
      && !(errno == EINTR && connected(&pfd, deadline))) {
    perror("fuzz_http: connect");
    abort();  /* the server is gone: it crashed, or stopped listening */
  }
  while (off < size) {
    pfd.events = POLLOUT;
    pfd.revents = 0;
    if (poll(&pfd, 1, ms_left(deadline)) < 0 && errno == EINTR)
      continue;  /* libFuzzer's timer: a signal every second or so */
    if (!(pfd.revents & (POLLOUT | POLLERR | POLLHUP)))
      break;
    n = send(fd, data + off, size - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;  /* it closed on us: a refusal */
    off += (size_t)n;
  }
  shutdown(fd, SHUT_WR);
  for (;;) {
    int left = ms_left(deadline);

    pfd.events = POLLIN;
    n = poll(&pfd, 1, left < QUIET_MS ? left : QUIET_MS);
    if (n < 0 && errno == EINTR && left > 0)
      continue;
    if (n <= 0)
      break;
    n = recv(fd, buf, sizeof(buf), 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    if (got < sizeof(head))
      memcpy(head + got, buf, (size_t)n < sizeof(head) - got ? (size_t)n
          : sizeof(head) - got);
    got += (size_t)n;
  }
  close(fd);
  if (got > 0 && memcmp(head, "HTTP/1.", got < 7 ? got : 7) != 0) {
    fprintf(stderr, "fuzz_http: an answer that is not HTTP: %.*s\n",
        (int)(got < sizeof(head) ? got : sizeof(head)), head);
    abort();
  }
  return 0;
}
