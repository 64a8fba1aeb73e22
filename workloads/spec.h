/*
 * workloads/spec.h: the user's own tasks, from a spec file
 * (docs/spec-format.md).
 *
 *   # three fetches, then a CPU step and a file each
 *   3 x task page {i}
 *     get /page/{i}
 *     cpu 20ms
 *     append pages.txt
 *   task nap
 *     sleep 250ms
 *
 * A mistake names the file, the line and the column and says what was
 * expected; the caller exits with status 2 (base.h: the convention).
 */
#ifndef GT_SPEC_H
#define GT_SPEC_H

#include <stddef.h>

#include "workload.h"

/* Parse text (named name in messages) into tasks (free with
 * gt_tasks_free()).  *needs_server is 1 when a get names a path, which the
 * embedded demo server answers.  Returns 0, or with *cause
 * "NAME:LINE:COL: ..." (malloc'd) GT_ENOFUNC for a cpu step naming a
 * function nobody registered (gt_cpu_register()), GT_EPARSE for any other
 * mistake. */
int gt_spec_parse(const char *name, const char *text, struct gt_task **tasks,
    size_t *ntasks, int *needs_server, char **cause);

/* The same for the file at path.  A file that cannot be read (missing, a
 * folder, no permission) is not a parse error: a negative errno, with
 * *cause "PATH: cannot read: reason". */
int gt_spec_load(const char *path, struct gt_task **tasks, size_t *ntasks,
    int *needs_server, char **cause);

#endif
