/*
 * trace/base/base.c: allocation that aborts, malloc'd causes, and files written
 * under a temporary name and renamed into place.
 */
#define _GNU_SOURCE
#include "base.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

/* Running out of memory is not an error gantty recovers from (htop, tmux). */
static void
out_of_memory(size_t size)
{
  fprintf(stderr, "gantty: out of memory (%zu bytes)\n", size);
  abort();
}

/* malloc that aborts on failure. */
void *
gt_xmalloc(size_t size)
{
  void *p = malloc(size ? size : 1);

  if (p == NULL)
    out_of_memory(size);
  return p;
}

/* calloc that aborts on failure. */
void *
gt_xcalloc(size_t n, size_t size)
{
  void *p = calloc(n ? n : 1, size ? size : 1);

  if (p == NULL)
    out_of_memory(n * size);
  return p;
}

/* realloc that aborts on failure. */
void *
gt_xrealloc(void *p, size_t size)
{
  p = realloc(p, size ? size : 1);
  if (p == NULL)
    out_of_memory(size);
  return p;
}

/* strdup that aborts on failure. */
char *
gt_xstrdup(const char *s)
{
  size_t n = strlen(s) + 1;

  return memcpy(gt_xmalloc(n), s, n);
}

/* madvise(MADV_HUGEPAGE) on the aligned interior of a range. */
void
gt_advise_huge(void *p, size_t len)
{
  const uintptr_t huge = (uintptr_t)2 << 20;
  uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1);
  uintptr_t b = ((uintptr_t)p + len) & ~(huge - 1);

  if (b > a)
    madvise((void *)a, b - a, MADV_HUGEPAGE);
}

/* Raise the open-file limit to the hard limit. */
unsigned long
gt_raise_nofile(void)
{
  struct rlimit rl;

  if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
    return 1024;
  if (rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
  }
  return (unsigned long)rl.rlim_cur;
}

/* vasprintf that aborts on failure. */
static char *
xvasprintf(const char *fmt, va_list ap)
{
  char *s;

  if (vasprintf(&s, fmt, ap) < 0)
    out_of_memory(strlen(fmt));
  return s;
}

/* A malloc'd printf. */
char *
gt_xasprintf(const char *fmt, ...)
{
  va_list ap;
  char *s;

  va_start(ap, fmt);
  s = xvasprintf(fmt, ap);
  va_end(ap);
  return s;
}

/* Set *cause once; the first cause set is the root and is kept. */
void
gt_set_cause(char **cause, const char *fmt, ...)
{
  va_list ap;

  if (cause == NULL || *cause != NULL)
    return;
  va_start(ap, fmt);
  *cause = xvasprintf(fmt, ap);
  va_end(ap);
}

/* Open "<path>.tmp.<pid>" for writing. */
int
gt_outfile_open(struct gt_outfile *of, const char *path, char **cause)
{
  int rc;

  memset(of, 0, sizeof(*of));
  of->path = gt_xstrdup(path);
  of->tmp = gt_xasprintf("%s.tmp.%ld", path, (long)getpid());
  of->f = fopen(of->tmp, "w");
  if (of->f == NULL) {
    rc = -errno;
    gt_set_cause(cause, "cannot write %s: %s", path, strerror(errno));
    free(of->path);
    free(of->tmp);
    memset(of, 0, sizeof(*of));
    return rc;
  }
  return 0;
}

/* Release what of holds without touching the disk. */
static void
outfile_clear(struct gt_outfile *of)
{
  free(of->path);
  free(of->tmp);
  memset(of, 0, sizeof(*of));
}

/* Close the temporary file and rename it over the final path. */
int
gt_outfile_commit(struct gt_outfile *of, char **cause)
{
  int rc = 0;
  int failed_write = ferror(of->f);

  if (fclose(of->f) != 0 && rc == 0)
    rc = -errno;
  of->f = NULL;
  if (rc == 0 && failed_write)
    rc = -EIO;
  if (rc != 0) {
    gt_set_cause(cause, "cannot write %s: %s", of->path, strerror(-rc));
    unlink(of->tmp);
  } else if (rename(of->tmp, of->path) != 0) {
    rc = -errno;
    gt_set_cause(cause, "cannot rename %s to %s: %s", of->tmp, of->path,
        strerror(errno));
    unlink(of->tmp);
  }
  outfile_clear(of);
  return rc;
}

/* Drop the temporary file. */
void
gt_outfile_abort(struct gt_outfile *of)
{
  if (of->f != NULL) {
    fclose(of->f);
    unlink(of->tmp);
  }
  outfile_clear(of);
}

/* A short description of code. */
const char *
gt_strerror(int code)
{
  switch (code) {
  case 0:            return "ok";
  case GT_EPARSE:    return "cannot parse";
  case GT_EHTTP:     return "HTTP error";
  case GT_ENET:      return "network error";
  case GT_ETIMEOUT:  return "timed out";
  case GT_ECANCELED: return "cancelled";
  case GT_EWORKER:   return "worker died";
  case GT_EUSAGE:    return "usage error";
  }
  if (code < 0 && code > GT_EBASE)
    return strerror(-code);
  return "unknown error";
}

/* Now, CLOCK_MONOTONIC in ns. */
uint64_t
gt_now_ns(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
