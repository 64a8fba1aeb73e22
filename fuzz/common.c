/*
 * fuzz/common.c: the scratch folder a harness writes its files into.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE  /* mkdtemp */
#endif
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[4096];

/* Remove the folder's files, then the folder (it holds no folders). */
static void
remove_dir(void)
{
  DIR *d = opendir(dir);
  struct dirent *e;
  char path[4096 + 256];

  if (d != NULL) {
    while ((e = readdir(d)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
        continue;
      snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
      unlink(path);
    }
    closedir(d);
  }
  rmdir(dir);
}

const char *
gt_fuzz_dir(void)
{
  const char *tmp = getenv("TMPDIR");

  if (dir[0] != '\0')
    return dir;
  snprintf(dir, sizeof(dir), "%s/gantty-fuzz.XXXXXX",
      tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
  if (mkdtemp(dir) == NULL) {
    perror("gantty fuzz: mkdtemp");
    abort();
  }
  atexit(remove_dir);
  return dir;
}
