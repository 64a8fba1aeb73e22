/*
 * trace/input.c: a trace file's text, plain or gzip (input.h).
 *
 * The file is read with read(2) into a buffer of its own bytes.  The first
 * bytes decide: gzip's magic and the buffer feeds zlib's inflate, whose
 * output is the text; anything else and the buffer is the text's start, the
 * rest read straight into the caller's buffer.  After a gzip member ends,
 * the next bytes are another member (inflate starts again) or zeros (the
 * padding some tapes and tools leave, skipped as gunzip does); anything
 * else is refused, where it is.
 */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "base.h"

#define IN_CHUNK (128u << 10)  /* bytes of the file read at a time */

enum gz_state {
  GZ_MEMBER,   /* inside a member: inflate */
  GZ_BETWEEN,  /* a member ended: another, zeros, or the end */
  GZ_END       /* the text is over */
};

struct gt_input {
  char *path;
  int fd;
  int gz;                 /* 1: gzip */
  int cut;                /* 1: the last member has no end */
  int z_ready;            /* 1: z is initialised (inflateInit2 done) */
  enum gz_state state;
  z_stream z;             /* its next_in/avail_in are the buffer's rest */
  unsigned char *buf;     /* the file's bytes, IN_CHUNK */
  size_t pos, len;        /* plain: the buffer's bytes not yet given */
  uint64_t consumed;      /* the file's bytes read into buf */
  uint64_t size;          /* a regular file's size, else 0 */
  uint64_t cut_at;
};

/* zlib could not have the memory it asked for: gantty does not recover
 * from that (base.h's allocators abort as well). */
static void
out_of_memory(size_t size)
{
  fprintf(stderr, "gantty: out of memory (zlib, %zu bytes)\n", size);
  abort();
}

/* Read the file's next bytes into the buffer.  Returns their count, 0 at
 * the end of the file, or a negative errno. */
static ssize_t
fill(struct gt_input *in)
{
  ssize_t n;

  do
    n = read(in->fd, in->buf, IN_CHUNK);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return -errno;
  in->consumed += (uint64_t)n;
  return n;
}

/* Start the text from the file's first byte: its first bytes read into the
 * buffer, and the choice of plain or gzip made by them.  Returns 0 or a
 * negative errno. */
static int
start(struct gt_input *in)
{
  ssize_t n;

  in->consumed = 0;
  in->pos = in->len = 0;
  in->cut = 0;
  in->cut_at = 0;
  /* a pipe may give one byte first: the magic needs two */
  while (in->len < 2) {
    do
      n = read(in->fd, in->buf + in->len, IN_CHUNK - in->len);
    while (n < 0 && errno == EINTR);
    if (n < 0)
      return -errno;
    if (n == 0)
      break;
    in->len += (size_t)n;
    in->consumed += (uint64_t)n;
  }
  in->gz = in->len >= 2 && in->buf[0] == 0x1f && in->buf[1] == 0x8b;
  if (!in->gz)
    return 0;
  in->state = GZ_MEMBER;
  in->z.next_in = in->buf;
  in->z.avail_in = (uInt)in->len;
  in->len = 0;
  /* 16 + MAX_WBITS: a gzip header and trailer, no zlib or raw stream */
  if (!in->z_ready ? inflateInit2(&in->z, 16 + MAX_WBITS) != Z_OK
      : inflateReset(&in->z) != Z_OK)
    out_of_memory(sizeof(in->z));
  in->z_ready = 1;
  return 0;
}

int
gt_input_open(struct gt_input **inp, const char *path, char **cause)
{
  struct gt_input *in;
  struct stat st;
  int fd, rc;

  *inp = NULL;
  do
    fd = open(path, O_RDONLY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) {  /* missing, no permission: not a parse */
    rc = -errno;
    gt_set_cause(cause, "%s: cannot read: %s", path, strerror(-rc));
    return rc;
  }
  in = gt_xcalloc(1, sizeof(*in));
  in->fd = fd;
  in->path = gt_xstrdup(path);
  in->buf = gt_xmalloc(IN_CHUNK);
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
    in->size = (uint64_t)st.st_size;
  rc = start(in);
  if (rc != 0 && rc != -EISDIR) {  /* a folder: its read says so */
    gt_set_cause(cause, "%s: cannot read: %s", path, strerror(-rc));
    gt_input_close(in);
    return rc;
  }
  if (rc == -EISDIR)
    in->len = 0, in->gz = 0;
  *inp = in;
  return 0;
}

/* The gzip text: inflate into buf until it is full or the text is over.
 * Returns the bytes given or a negative code with *cause. */
static ssize_t
read_gz(struct gt_input *in, unsigned char *buf, size_t n, char **cause)
{
  z_stream *z = &in->z;
  ssize_t got;
  int ret;

  z->next_out = buf;
  z->avail_out = n > UINT_MAX ? UINT_MAX : (uInt)n;
  n = z->avail_out;
  while (z->avail_out > 0 && in->state != GZ_END) {
    if (z->avail_in == 0) {
      got = fill(in);
      if (got < 0) {
        gt_set_cause(cause, "%s: cannot read: %s", in->path,
            strerror((int)-got));
        return got;
      }
      if (got == 0) {  /* the file ends: between members, or cut */
        if (in->state == GZ_MEMBER) {
          in->cut = 1;
          in->cut_at = in->consumed;
        }
        in->state = GZ_END;
        break;
      }
      z->next_in = in->buf;
      z->avail_in = (uInt)got;
    }
    if (in->state == GZ_BETWEEN) {
      while (z->avail_in > 0 && *z->next_in == 0)  /* padding */
        z->next_in++, z->avail_in--;
      if (z->avail_in == 0)
        continue;
      if (*z->next_in != 0x1f) {
        gt_set_cause(cause, "%s: compressed byte %llu: not gzip after the "
            "end of a gzip member", in->path,
            (unsigned long long)(in->consumed - z->avail_in));
        return GT_EPARSE;
      }
      if (inflateReset(z) != Z_OK)
        out_of_memory(sizeof(*z));
      in->state = GZ_MEMBER;
    }
    ret = inflate(z, Z_NO_FLUSH);
    if (ret == Z_STREAM_END) {
      in->state = GZ_BETWEEN;
    } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
      /* Z_BUF_ERROR: no progress until more input comes; the rest are
       * a corrupt stream (or no memory) */
      if (ret == Z_MEM_ERROR)
        out_of_memory(1u << 15);
      gt_set_cause(cause, "%s: compressed byte %llu: not valid gzip: %s",
          in->path, (unsigned long long)(in->consumed - z->avail_in),
          z->msg != NULL ? z->msg : "corrupt data");
      return GT_EPARSE;
    }
  }
  return (ssize_t)(n - z->avail_out);
}

ssize_t
gt_input_read(struct gt_input *in, void *buf, size_t n, char **cause)
{
  ssize_t got;
  size_t k;

  if (in->gz)
    return read_gz(in, buf, n, cause);
  if (in->pos < in->len) {  /* the first bytes, read to look at them */
    k = in->len - in->pos < n ? in->len - in->pos : n;
    memcpy(buf, in->buf + in->pos, k);
    in->pos += k;
    return (ssize_t)k;
  }
  do
    got = read(in->fd, buf, n);
  while (got < 0 && errno == EINTR);
  if (got < 0) {  /* a folder: EISDIR */
    got = -errno;
    gt_set_cause(cause, "%s: cannot read: %s", in->path,
        strerror((int)-got));
    return got;
  }
  in->consumed += (uint64_t)got;
  return got;
}

int
gt_input_gzip(const struct gt_input *in)
{
  return in->gz;
}

int
gt_input_cut(const struct gt_input *in)
{
  return in->cut;
}

uint64_t
gt_input_cut_at(const struct gt_input *in)
{
  return in->cut_at;
}

uint64_t
gt_input_consumed(const struct gt_input *in)
{
  return in->consumed;
}

uint64_t
gt_input_size(const struct gt_input *in)
{
  return in->size;
}

uint64_t
gt_input_line(struct gt_input *in, uint64_t off)
{
  unsigned char buf[65536];
  uint64_t line = 1, done = 0;
  ssize_t n;
  size_t i, k;

  if (lseek(in->fd, 0, SEEK_SET) != 0 || start(in) != 0)
    return 0;
  while (done < off && (n = gt_input_read(in, buf, sizeof(buf), NULL)) > 0) {
    k = (uint64_t)n > off - done ? (size_t)(off - done) : (size_t)n;
    for (i = 0; i < k; i++)
      line += buf[i] == '\n';
    done += k;
  }
  return line;
}

const char *
gt_input_of(const struct gt_input *in)
{
  return in->gz ? " of the decompressed text" : "";
}

void
gt_input_close(struct gt_input *in)
{
  if (in == NULL)
    return;
  if (in->z_ready)
    inflateEnd(&in->z);
  close(in->fd);
  free(in->buf);
  free(in->path);
  free(in);
}
