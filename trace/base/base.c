/*
 * trace/base/base.c: allocation that aborts, malloc'd causes, and files written
 * under a temporary name and renamed into place.
 */
#define _GNU_SOURCE
#include "base.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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

/* The seed of gt_hash64(): drawn once, at first use; never 0 once drawn. */
static _Atomic uint64_t hash_seed;

static uint64_t
hash_seed_get(void)
{
  uint64_t s = atomic_load_explicit(&hash_seed, memory_order_relaxed), zero;

  if (s != 0)
    return s;
  if (getrandom(&s, sizeof(s), GRND_NONBLOCK) != (ssize_t)sizeof(s))
    s = gt_now_ns() ^ (uint64_t)getpid() << 40 ^ (uint64_t)(uintptr_t)&s;
  s |= 1;
  zero = 0;
  if (!atomic_compare_exchange_strong(&hash_seed, &zero, s))
    s = zero;  /* another thread drew first: keep its seed */
  return s;
}

/* splitmix64's finaliser of x mixed with the process's seed. */
uint64_t
gt_hash64(uint64_t x)
{
  uint64_t z = x ^ hash_seed_get();

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* Where id would sit in m's table (cap > 0): linear probing from a seeded
 * hash, for ids are often small and consecutive, and a file's ids must not
 * be able to pile into one slot. */
static size_t
idmap_find(const struct gt_idmap *m, uint64_t id)
{
  size_t i = (size_t)gt_hash64(id) & (m->cap - 1);

  while (m->keys[i] != 0 && m->keys[i] != id + 1)
    i = (i + 1) & (m->cap - 1);
  return i;
}

size_t *
gt_idmap_slot(struct gt_idmap *m, uint64_t id, size_t none)
{
  size_t i, j;

  if ((m->n + 1) * 2 > m->cap) {  /* at most half full */
    struct gt_idmap old = *m;

    m->cap = old.cap ? old.cap * 2 : 64;
    m->keys = gt_xcalloc(m->cap, sizeof(*m->keys));
    m->vals = gt_xmalloc(m->cap * sizeof(*m->vals));
    for (j = 0; j < old.cap; j++)
      if (old.keys[j] != 0) {
        i = idmap_find(m, old.keys[j] - 1);
        m->keys[i] = old.keys[j];
        m->vals[i] = old.vals[j];
      }
    free(old.keys);
    free(old.vals);
  }
  i = idmap_find(m, id);
  if (m->keys[i] == 0) {
    m->keys[i] = id + 1;
    m->vals[i] = none;
    m->n++;
  }
  return &m->vals[i];
}

size_t
gt_idmap_get(const struct gt_idmap *m, uint64_t id, size_t none)
{
  size_t i;

  if (m->cap == 0)
    return none;
  i = idmap_find(m, id);
  return m->keys[i] != 0 ? m->vals[i] : none;
}

void
gt_idmap_free(struct gt_idmap *m)
{
  free(m->keys);
  free(m->vals);
  memset(m, 0, sizeof(*m));
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
char *
gt_xvasprintf(const char *fmt, va_list ap)
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
  s = gt_xvasprintf(fmt, ap);
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
  *cause = gt_xvasprintf(fmt, ap);
  va_end(ap);
}

/* Release what of holds without touching the disk. */
static void
outfile_clear(struct gt_outfile *of)
{
  free(of->path);
  free(of->tmp);
  free(of->sink);
  memset(of, 0, sizeof(*of));
}

/* What the FILE of a gt_outfile writes through: the descriptor, and the
 * errno of the first write or close that failed.  stdio keeps only an
 * error flag, and errno by the time of fclose() may be anything (EIO, or
 * nothing at all), so the real cause (ENOSPC, EFBIG) is caught here, at
 * the failing call. */
struct outfile_sink {
  int fd;
  int err;                /* first errno, 0 while all is well */
};

/* fopencookie's write: all of buf, or -1 with the errno kept. */
static ssize_t
sink_write(void *arg, const char *buf, size_t size)
{
  struct outfile_sink *s = arg;
  size_t off = 0;
  ssize_t n;

  while (off < size) {
    n = write(s->fd, buf + off, size - off);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      if (s->err == 0)
        s->err = n < 0 ? errno : EIO;
      errno = s->err;
      return -1;
    }
    off += (size_t)n;
  }
  return (ssize_t)size;
}

/* fopencookie's close: the descriptor goes, its error is kept. */
static int
sink_close(void *arg)
{
  struct outfile_sink *s = arg;

  if (close(s->fd) != 0 && s->err == 0)
    s->err = errno;
  s->fd = -1;
  return s->err != 0 ? -1 : 0;
}

/* Create a temporary file beside path, under a name no one can predict
 * (.gantty-XXXXXX.tmp in path's folder, random: its length does not
 * depend on the final name's, which may be NAME_MAX long) and that is
 * never a link followed: O_EXCL
 * with O_CREAT fails on anything already there, a planted symlink too.
 * Mode 0666 less the umask, as fopen() gives.  Returns the descriptor, or
 * -errno. */
static int
create_tmp(char *tmp, size_t suffix_at)
{
  static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  unsigned char rnd[6];
  int fd, tries, i;

  for (tries = 0; tries < 100; tries++) {
    if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
      uint64_t x = gt_now_ns() ^ ((uint64_t)getpid() << 32)
          ^ (uint64_t)tries * 0x9e3779b97f4a7c15ull;

      for (i = 0; i < (int)sizeof(rnd); i++, x >>= 8)
        rnd[i] = (unsigned char)x;
    }
    for (i = 0; i < (int)sizeof(rnd); i++)
      tmp[suffix_at + (size_t)i] = digits[rnd[i] % (sizeof(digits) - 1)];
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
        0666);
    if (fd >= 0 || errno != EEXIST)
      return fd >= 0 ? fd : -errno;
  }
  return -EEXIST;
}

/* The descriptor path names: 1 for /dev/stdout, 2 for /dev/stderr, N for
 * /dev/fd/N or /proc/self/fd/N; else -1. */
int
gt_fd_name(const char *path)
{
  const char *num = NULL;
  char *end;
  long n;

  if (strcmp(path, "/dev/stdout") == 0)
    return 1;
  if (strcmp(path, "/dev/stderr") == 0)
    return 2;
  if (strncmp(path, "/dev/fd/", 8) == 0)
    num = path + 8;
  else if (strncmp(path, "/proc/self/fd/", 14) == 0)
    num = path + 14;
  if (num == NULL || *num < '0' || *num > '9')
    return -1;
  errno = 0;
  n = strtol(num, &end, 10);
  if (*end != '\0' || errno != 0 || n > INT_MAX)
    return -1;
  return (int)n;
}

/* Open path for writing in place when it exists and, links followed, is
 * not a regular file: a FIFO, a character device, a socket (/dev/stdout,
 * a shell's >(cmd) as /dev/fd/N).  No O_CREAT, no O_TRUNC; O_NONBLOCK
 * for the open only (a FIFO with no reader is ENXIO, not a wait).
 * Returns the descriptor, 0 when path is a regular file or absent (the
 * temporary file is for it), or -errno: -EISDIR, -ENOTBLK for a block
 * device (never written in place), -ENXIO with no reader. */
static int
open_special(const char *path)
{
  struct stat st;
  int fd, fl, n = gt_fd_name(path);

  if (n >= 0) {  /* the descriptor itself, at its offset: never renamed */
    fflush(NULL);  /* what stdio holds for it goes first */
    fl = fcntl(n, F_GETFL);
    if (fl < 0 || (fl & O_ACCMODE) == O_RDONLY)
      return -EBADF;
    fd = fcntl(n, F_DUPFD_CLOEXEC, 3);
    return fd >= 0 ? fd : -errno;
  }
  if (stat(path, &st) != 0 || S_ISREG(st.st_mode))
    return 0;
  if (S_ISDIR(st.st_mode))
    return -EISDIR;
  if (S_ISBLK(st.st_mode))
    return -ENOTBLK;
  fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    return errno == ENOENT ? 0 : -errno;  /* gone meanwhile: a new name */
  if (fd == 0) {  /* stdin was closed: 0 means "no descriptor" here */
    fd = fcntl(0, F_DUPFD_CLOEXEC, 3);
    close(0);
    if (fd < 0)
      return -errno;
  }
  if (fstat(fd, &st) != 0 || S_ISREG(st.st_mode)) {
    close(fd);  /* a regular file put there meanwhile: the temporary */
    return 0;
  }
  if ((fl = fcntl(fd, F_GETFL)) < 0
      || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
    fl = -errno;
    close(fd);
    return fl;
  }
  return fd;
}

/* Open a new temporary file beside path for writing, or path itself when
 * it is a FIFO, a character device or a socket (open_special). */
int
gt_outfile_open(struct gt_outfile *of, const char *path, char **cause)
{
  static const cookie_io_functions_t io = { .write = sink_write,
      .close = sink_close };
  struct outfile_sink *s;
  int fd;

  memset(of, 0, sizeof(*of));
  of->path = gt_xstrdup(path);
  fd = open_special(path);
  if (fd < 0) {
    gt_set_cause(cause, "cannot write %s: %s", path, fd == -ENOTBLK
        ? "a block device; give a file name" : fd == -ENXIO
        ? "no reader (a FIFO or socket no one reads)" : strerror(-fd));
    outfile_clear(of);
    return fd;
  }
  if (fd > 0)
    goto opened;
  {
    const char *slash = strrchr(path, '/');
    int dirlen = slash != NULL ? (int)(slash - path) + 1 : 0;

    of->tmp = gt_xasprintf("%.*s.gantty-XXXXXX.tmp", dirlen, path);
  }
  fd = create_tmp(of->tmp, strlen(of->tmp) - 10);
  if (fd < 0) {
    gt_set_cause(cause, "cannot write %s: %s", path, strerror(-fd));
    outfile_clear(of);
    return fd;
  }
opened:
  s = gt_xcalloc(1, sizeof(*s));
  s->fd = fd;
  of->f = fopencookie(s, "w", io);
  if (of->f == NULL) {
    close(fd);
    if (of->tmp != NULL)
      unlink(of->tmp);
    free(s);
    outfile_clear(of);
    out_of_memory(sizeof(FILE));
  }
  setvbuf(of->f, NULL, _IOFBF, 64 << 10);
  of->sink = s;
  return 0;
}

/* Close the temporary file and rename it over the final path.  The cause
 * is the errno of the call that failed, not stdio's flag. */
int
gt_outfile_commit(struct gt_outfile *of, char **cause)
{
  int rc = 0;

  if (fclose(of->f) != 0 || of->sink->err != 0)
    rc = of->sink->err != 0 ? -of->sink->err : -EIO;
  of->f = NULL;
  if (rc != 0) {
    gt_set_cause(cause, "cannot write %s: %s", of->path, strerror(-rc));
    if (of->tmp != NULL)
      unlink(of->tmp);
  } else if (of->tmp != NULL && rename(of->tmp, of->path) != 0) {
    rc = -errno;
    gt_set_cause(cause, "cannot rename %s to %s: %s", of->tmp, of->path,
        strerror(errno));
    unlink(of->tmp);
  }
  outfile_clear(of);
  return rc;
}

/* The length of the valid UTF-8 sequence at s (2 to 4), or 0 when the
 * bytes there are not one (overlong, surrogate, truncated, > U+10FFFF). */
int
gt_utf8_len(const unsigned char *s)
{
  unsigned char c = s[0];

  if (c >= 0xc2 && c <= 0xdf)
    return (s[1] & 0xc0) == 0x80 ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
      return 0;
    if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f))
      return 0;
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80
        || (s[3] & 0xc0) != 0x80)
      return 0;
    if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
      return 0;
    return 4;
  }
  return 0;
}

/* The format characters (Cf) a terminal may act on or hide: soft hyphen,
 * bidi marks, embeddings, overrides and isolates, zero-width characters,
 * invisible operators, the BOM, interlinear annotations, the tags; and the
 * line and paragraph separators (U+2028, U+2029). */
int
gt_format_char(uint32_t cp)
{
  if (cp < 0x2000)
    return cp == 0x00ad || cp == 0x061c || cp == 0x180e;
  if (cp < 0x3000)
    return (cp >= 0x200b && cp <= 0x200f) || cp == 0x2028 || cp == 0x2029
        || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064)
        || (cp >= 0x2066 && cp <= 0x206f);
  return cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb) || cp == 0xe0001
      || (cp >= 0xe0020 && cp <= 0xe007f);
}

/* How one character of s is shown: its text into buf (at most 10 bytes),
 * returning its length, and in *n how many bytes of s it took. */
static size_t
escape_one(const unsigned char *s, char *buf, size_t *n)
{
  static const char hex[] = "0123456789abcdef", HEX[] = "0123456789ABCDEF";
  unsigned cp;
  int k;
  size_t at;

  *n = 1;
  if (s[0] < 0x20 || s[0] == 0x7f) {  /* C0 and DEL, as cat -v */
    buf[0] = '^';
    buf[1] = (char)(s[0] ^ 0x40);
    return 2;
  }
  if (s[0] < 0x80) {
    buf[0] = (char)s[0];
    return 1;
  }
  k = gt_utf8_len(s);
  if (k == 0) {  /* not UTF-8: the byte */
    buf[0] = '\\';
    buf[1] = 'x';
    buf[2] = hex[s[0] >> 4];
    buf[3] = hex[s[0] & 15];
    return 4;
  }
  *n = (size_t)k;
  if (k == 2)
    cp = (unsigned)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
  else if (k == 3)
    cp = (unsigned)(s[0] & 0x0f) << 12 | (unsigned)(s[1] & 0x3f) << 6
        | (s[2] & 0x3f);
  else
    cp = (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3f) << 12
        | (unsigned)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
  if (gt_format_char(cp)) {  /* as <U+202E>: printable, escaped once */
    buf[0] = '<';
    buf[1] = 'U';
    buf[2] = '+';
    at = 3;
    if (cp > 0xffff)  /* <U+E0041>: five digits (the format ones) */
      buf[at++] = HEX[cp >> 16 & 15];
    buf[at++] = HEX[cp >> 12 & 15];
    buf[at++] = HEX[cp >> 8 & 15];
    buf[at++] = HEX[cp >> 4 & 15];
    buf[at++] = HEX[cp & 15];
    buf[at++] = '>';
    return at;
  }
  if (cp >= 0x80 && cp < 0xa0) {  /* C1, as cat -v shows its byte */
    buf[0] = 'M';
    buf[1] = '-';
    buf[2] = '^';
    buf[3] = (char)((cp & 0x7f) ^ 0x40);
    return 4;
  }
  memcpy(buf, s, (size_t)k);
  return (size_t)k;
}

/* Escape s for a terminal into out. */
size_t
gt_escape(char *out, size_t len, const char *s)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t total = 0, at = 0, k, n;
  int full = 0;         /* once one did not fit, none after it goes in */
  char buf[10];

  while (*p != '\0') {
    k = escape_one(p, buf, &n);
    if (!full && at + k < len) {  /* whole, with room for the NUL */
      memcpy(out + at, buf, k);
      at += k;
    } else {
      full = 1;
    }
    total += k;
    p += n;
  }
  if (len > 0)
    out[at] = '\0';
  return total;
}

/* url with the password of its user information, if any, replaced by
 * "***": the text between "SCHEME://" and the host's '@', after the first
 * ':'. */
char *
gt_url_shown(const char *url)
{
  const char *auth = strstr(url, "://"), *end, *at, *colon;

  if (auth == NULL)
    return gt_xstrdup(url);
  auth += 3;
  end = auth + strcspn(auth, "/?#");
  at = NULL;
  for (const char *p = auth; p < end; p++)
    if (*p == '@')
      at = p;  /* the last one: a password may hold an '@' unencoded */
  if (at == NULL)
    return gt_xstrdup(url);
  colon = memchr(auth, ':', (size_t)(at - auth));
  if (colon == NULL)
    return gt_xstrdup(url);  /* a user name alone */
  return gt_xasprintf("%.*s***%s", (int)(colon + 1 - url), url, at);
}

/* Escape s for a terminal, malloc'd. */
char *
gt_xescape(const char *s)
{
  size_t len = gt_escape(NULL, 0, s) + 1;
  char *out = gt_xmalloc(len);

  gt_escape(out, len, s);
  return out;
}

/* -errno of an openat() of name in dirfd that failed; a link that
 * O_DIRECTORY | O_NOFOLLOW called "not a folder" is -ELOOP, as openat2
 * says. */
static int
walk_error(int dirfd, const char *name)
{
  int err = errno;
  struct stat st;

  if (err == ENOTDIR && fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0
      && S_ISLNK(st.st_mode))
    err = ELOOP;
  return -err;
}

/* Open rel beneath dirfd by walking it a component at a time, each one
 * opened with O_NOFOLLOW: the fallback where openat2(2) is missing. */
static int
open_beneath_walk(int dirfd, const char *rel, int flags, unsigned mode)
{
  char *copy = gt_xstrdup(rel), *comp = copy, *slash;
  int cur = dirfd, next, rc;

  for (;;) {
    slash = strchr(comp, '/');
    if (slash != NULL)
      *slash = '\0';
    if (strcmp(comp, "..") == 0) {  /* RESOLVE_BENEATH's answer */
      rc = -EXDEV;
      break;
    }
    if (slash == NULL) {  /* the file itself */
      const char *name = comp[0] != '\0' ? comp : ".";

      rc = openat(cur, name, flags | O_NOFOLLOW | O_CLOEXEC, mode);
      if (rc < 0)
        rc = walk_error(cur, name);
      break;
    }
    if (comp[0] == '\0' || strcmp(comp, ".") == 0) {
      comp = slash + 1;
      continue;
    }
    next = openat(cur, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW
        | O_CLOEXEC);
    if (next < 0) {
      rc = walk_error(cur, comp);
      break;
    }
    if (cur != dirfd)
      close(cur);
    cur = next;
    comp = slash + 1;
  }
  if (cur != dirfd)
    close(cur);
  free(copy);
  return rc;
}

/* Open rel beneath dirfd: openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS),
 * or the walk where the kernel has no openat2 (before Linux 5.6). */
int
gt_open_beneath(int dirfd, const char *rel, int flags, unsigned mode,
    int walk)
{
  static atomic_int no_openat2;
  struct open_how how;
  long fd;
  int tries = 0;

  if (rel[0] == '/')
    return -EXDEV;
  if (!walk && !atomic_load_explicit(&no_openat2, memory_order_relaxed)) {
    memset(&how, 0, sizeof(how));
    how.flags = (uint64_t)(flags | O_NOFOLLOW | O_CLOEXEC);
    how.mode = flags & O_CREAT ? mode : 0;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS;
    /* EAGAIN is openat2's RESOLVE race (a rename or mount meanwhile),
     * retried a few times; it is also an O_NONBLOCK open of a leased
     * file, which retrying would spin on: the walk then tells which. */
    do
      fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
    while (fd < 0 && (errno == EINTR || (errno == EAGAIN && ++tries < 8)));
    if (fd >= 0)
      return (int)fd;
    if (errno == EAGAIN)
      return open_beneath_walk(dirfd, rel, flags, mode);
    if (errno != ENOSYS && errno != ENOTDIR)
      return -errno;
    if (errno == ENOTDIR)  /* a link under O_DIRECTORY, or a file: the */
      return open_beneath_walk(dirfd, rel, flags, mode);  /* walk tells */
    atomic_store_explicit(&no_openat2, 1, memory_order_relaxed);
  }
  return open_beneath_walk(dirfd, rel, flags, mode);
}

/* Why an open beneath a folder failed, for a message. */
const char *
gt_beneath_strerror(int rc)
{
  if (rc == -ELOOP)
    return "a symbolic link is in the way (links under the output folder "
        "are not followed)";
  if (rc == -EXDEV)
    return "the name leads outside the output folder";
  return gt_strerror(rc);
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
  case GT_ENOFUNC:   return "no such CPU function";
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
