/*
 * tui/main.c: gantty's front door: the worker-mode entry, the locale,
 * the command found by its name (each command is a file of its own,
 * cmd_*.c, with its option table; cli.c parses argv against them), the
 * libraries' set-up and tear-down around it, and the exit status.
 *
 * Exit status: 0 the session ran (tasks may have failed: that is data);
 * 2 a usage error, with a message naming the bad word; 1 an error that
 * stopped the session (cannot bind, cannot write a file); 128 + the signal
 * when SIGINT, SIGTERM or SIGHUP (the terminal closed) stopped it (what was
 * recorded is still reported and written).
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "executor.h"

/* The commands; the first is the one a bare `gantty` or `gantty WORKLOAD`
 * runs. */
static const struct cli_command *const commands[] = {
  &cmd_run_entry,
  &cmd_list_entry,
  &cmd_serve_entry,
  &cmd_replay_entry,
  &cmd_convert_entry,
};

int
main(int argc, char **argv)
{
  const struct cli_command *cmd;
  /* static: the options hold strings for the whole process (argv's, and
   * --like's copies of a file's), reachable until exit */
  static struct opts o;
  int status;

  if (argc == 2 && strcmp(argv[1], GT_WORKER_ARG) == 0)
    return gt_worker_main();  /* a process mode's worker (exec_procs.c) */
  setlocale(LC_ALL, "");
  setlocale(LC_NUMERIC, "C");
  cmd = cli_parse(argc, argv, commands,
      sizeof(commands) / sizeof(commands[0]), &o);
  if (!cmd->scheduler)
    return cmd->exec(&o);
  if (gt_scheduler_init() != 0) {
    fputs("gantty: cannot initialise libcurl\n", stderr);
    return 1;
  }
  status = cmd->exec(&o);
  gt_scheduler_done();
  return status;
}
