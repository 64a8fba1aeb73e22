/*
 * trace/gzout.c: a FILE over zlib's deflate (gzout.h).
 *
 * fopencookie(3) rather than zlib's gzdopen() on the output's descriptor:
 * the writers take a FILE, and the output under it stays gantty's outfile
 * (base.h), which writes a temporary file renamed into place, never follows
 * a symlink, writes /dev/stdout and FIFOs in place, and keeps the errno of
 * a failed write.  gzdopen would write the descriptor past all that, and
 * its gzclose would close a descriptor the outfile owns.
 */
#define _GNU_SOURCE
#include "gzout.h"

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <zlib.h>

#include "base.h"

#define OUT_CHUNK (64u << 10)  /* compressed bytes handed to the stream */

struct gzout {
  FILE *to;
  z_stream z;
  unsigned char out[OUT_CHUNK];
};

/* Deflate z's input with flush and write what comes out to g->to.
 * Returns 0, or -1 when a write failed. */
static int
pump(struct gzout *g, int flush)
{
  int ret;
  size_t have;

  do {
    g->z.next_out = g->out;
    g->z.avail_out = OUT_CHUNK;
    ret = deflate(&g->z, flush);
    if (ret == Z_STREAM_ERROR)  /* a state zlib never leaves here */
      abort();
    have = OUT_CHUNK - g->z.avail_out;
    if (have > 0 && fwrite(g->out, 1, have, g->to) != have)
      return -1;
  } while (g->z.avail_out == 0 || (flush == Z_FINISH && ret != Z_STREAM_END));
  return 0;
}

/* The cookie's write: every byte is taken, or -1 (stdio's error). */
static ssize_t
gz_write(void *cookie, const char *buf, size_t n)
{
  struct gzout *g = cookie;
  size_t done = 0, k;

  while (done < n) {  /* avail_in is an unsigned int */
    k = n - done > (1u << 30) ? (1u << 30) : n - done;
    g->z.next_in = (unsigned char *)(uintptr_t)(buf + done);
    g->z.avail_in = (uInt)k;
    if (pump(g, Z_NO_FLUSH) != 0)
      return -1;
    done += k;
  }
  return (ssize_t)n;
}

/* The cookie's close: the member's end (its last block, CRC and size). */
static int
gz_close(void *cookie)
{
  struct gzout *g = cookie;
  int rc;

  g->z.next_in = NULL;
  g->z.avail_in = 0;
  rc = pump(g, Z_FINISH);
  deflateEnd(&g->z);
  free(g);
  return rc;
}

FILE *
gt_gzout_open(FILE *to)
{
  static const cookie_io_functions_t io = { .write = gz_write,
      .close = gz_close };
  struct gzout *g = gt_xcalloc(1, sizeof(*g));
  FILE *f;

  g->to = to;
  /* level 6 (gzip's own default), 16 + MAX_WBITS: a gzip wrapper */
  if (deflateInit2(&g->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS,
      8, Z_DEFAULT_STRATEGY) != Z_OK) {
    fprintf(stderr, "gantty: out of memory (zlib)\n");
    abort();
  }
  f = fopencookie(g, "w", io);
  if (f == NULL) {
    fprintf(stderr, "gantty: out of memory (a FILE)\n");
    abort();
  }
  setvbuf(f, NULL, _IOFBF, 64 << 10);
  return f;
}

int
gt_gzout_named(const char *path)
{
  size_t n = strlen(path);

  return n >= 3 && strcmp(path + n - 3, ".gz") == 0;
}
