/*
 * tui/cmd_list.c: `gantty list`: the workloads and the modes.  It takes no
 * option and no word.
 */
#include "cli.h"

#include <stdio.h>

#include "executor.h"
#include "workload.h"

static const struct cli_option list_options[] = {
  { 0, NULL, NULL, NULL },
};

/* `gantty list`. */
static int
cmd_list(const struct opts *o)
{
  const struct gt_workload *const *w;
  const char *const *m;
  size_t n, i;

  (void)o;
  w = gt_workload_list(&n);
  puts("Workloads:");
  for (i = 0; i < n; i++)
    printf("  %-8s %s (default %u tasks)\n", w[i]->name, w[i]->summary,
        w[i]->default_tasks);
  m = gt_mode_names(&n);
  puts("Modes (run in this order):");
  for (i = 0; i < n; i++)
    printf("  %-8s default width %u for 5 tasks\n", m[i],
        gt_mode_width(m[i], 0, 5));
  return 0;
}

const struct cli_command cmd_list_entry = {
  .name = "list",
  .words = "",
  .summary = "workloads and modes",
  .options = list_options,
  .exec = cmd_list,
};
