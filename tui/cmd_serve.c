/*
 * tui/cmd_serve.c: `gantty serve`: the embedded demo HTTP server alone,
 * until SIGINT, SIGTERM or SIGHUP.  It takes the demo server's options.
 */
#define _GNU_SOURCE
#include "cli.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "base.h"
#include "demo_server.h"

static const struct cli_option serve_options[] = {
  { OPT_LATENCY, "latency", "MS", "added to every answer (default 200)" },
  { OPT_JITTER, "jitter", "MS", "plus a seeded 0..MS (default 0)" },
  { OPT_CONNECT, "connect-ms", "MS",
    "plus MS on a connection's first request (default 0)" },
  { OPT_SEED, "seed", "N", "seed for answers, jitter and faults (default 1)" },
  { OPT_ERRORS, "errors", "PCT",
    "answer PCT% of requests with 429 or 500 (default 0)" },
  { OPT_STALL, "stall", "PCT", "never answer PCT% of requests (default 0)" },
  { 0, NULL, NULL, NULL },
};

/* serve takes no word; its faults share the requests. */
static void
serve_check(struct opts *o, char **words, size_t nwords)
{
  if (nwords > 0)
    usage_error("unexpected word '%s'", words[0]);
  cli_check_faults(o);
}

/* `gantty serve`: the demo server until SIGINT, SIGTERM or SIGHUP. */
static int
cmd_serve(const struct opts *o)
{
  struct gt_demo_config cfg;
  struct gt_demo_server *srv = NULL;
  char *cause = NULL;
  sigset_t set;
  int sig;

  cli_demo_config(o, &cfg);
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, NULL);  /* before the server's threads */
  gt_raise_nofile();
  if (gt_demo_server_start(&cfg, &srv, &cause) != 0) {
    say("demo server: %s", cause);
    free(cause);
    return 1;
  }
  printf("%s\n", gt_demo_server_url(srv));
  fflush(stdout);
  fprintf(stderr, "gantty: demo server at %s (latency %u ms, jitter %u ms, "
      "connect %u ms, errors %u%%, stall %u%%, seed %llu); Ctrl-C stops it\n",
      gt_demo_server_url(srv), o->latency_ms, o->jitter_ms, o->connect_ms,
      o->errors_pct, o->stall_pct, (unsigned long long)o->seed);
  sigwait(&set, &sig);
  gt_demo_server_stop(srv);
  return 0;
}

const struct cli_command cmd_serve_entry = {
  .name = "serve",
  .words = "",
  .summary = "the demo HTTP server alone",
  .options = serve_options,
  .check = serve_check,
  .exec = cmd_serve,
  .scheduler = 1,
};
