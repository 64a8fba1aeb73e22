/*
 * fuzz/driver.c: a harness without libFuzzer, for the ordinary test suite.
 *
 *   fuzz_NAME_regress PATH...
 *
 * feeds every file named, and every file in every folder named (sorted by
 * name, dot files skipped), to LLVMFuzzerTestOneInput once.  A crash or a
 * sanitizer's report is the failure, as under libFuzzer; a file that cannot
 * be read is one too (exit 1).
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE  /* scandir, alphasort */
#endif
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* LLVMFuzzerInitialize is optional: a weak reference is NULL without it. */
#pragma weak LLVMFuzzerInitialize

static size_t inputs;

/* Feed the file at path; 0, or -1 when it cannot be read. */
static int
run_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  unsigned char *buf = NULL;
  size_t len = 0, cap = 0, n;

  if (f == NULL) {
    fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
    return -1;
  }
  for (;;) {
    if (cap - len < 65536) {
      cap = cap ? cap * 2 : 65536;
      buf = realloc(buf, cap);
      if (buf == NULL) {
        fprintf(stderr, "%s: out of memory\n", path);
        fclose(f);
        return -1;
      }
    }
    n = fread(buf + len, 1, cap - len, f);
    if (n == 0)
      break;
    len += n;
  }
  if (ferror(f)) {
    fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
    fclose(f);
    free(buf);
    return -1;
  }
  fclose(f);
  /* a copy of exactly len bytes, so a read past the end is caught */
  {
    unsigned char *exact = malloc(len ? len : 1);

    if (exact == NULL) {
      free(buf);
      return -1;
    }
    if (len > 0)
      memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
  }
  inputs++;
  return 0;
}

/* Skip dot files (and . and ..). */
static int
visible(const struct dirent *e)
{
  return e->d_name[0] != '.';
}

/* Feed path: a file, or every file of a folder. */
static int
run_path(const char *path)
{
  struct dirent **names;
  struct stat sb;
  char sub[8192];
  int n, i, rc = 0;

  if (stat(path, &sb) != 0) {
    fprintf(stderr, "%s: %s\n", path, strerror(errno));
    return -1;
  }
  if (!S_ISDIR(sb.st_mode))
    return run_file(path);
  n = scandir(path, &names, visible, alphasort);
  if (n < 0) {
    fprintf(stderr, "%s: cannot list: %s\n", path, strerror(errno));
    return -1;
  }
  for (i = 0; i < n; i++) {
    snprintf(sub, sizeof(sub), "%s/%s", path, names[i]->d_name);
    if (stat(sub, &sb) == 0 && S_ISREG(sb.st_mode) && run_file(sub) != 0)
      rc = -1;
    free(names[i]);
  }
  free(names);
  return rc;
}

int
main(int argc, char **argv)
{
  int i, rc = 0;

  if (LLVMFuzzerInitialize != NULL)
    LLVMFuzzerInitialize(&argc, &argv);
  for (i = 1; i < argc; i++)
    if (run_path(argv[i]) != 0)
      rc = 1;
  printf("%s: %zu inputs, no crash\n", argv[0], inputs);
  return rc;
}
