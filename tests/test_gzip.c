/*
 * tests/test_gzip.c: gzip traces (issue 14, item 7).  A trace is gzip by
 * its first bytes, whatever its name: it reads as its decompressed text
 * does (gantty's own and another tool's), members one after another are
 * one text, a cut stream reads what it holds, a corrupt one is refused
 * naming the compressed byte, and messages about the text say it is the
 * decompressed text.  A .gz name writes the same file gzip'd.
 *
 * The gzip files read here are made with zlib's own deflate, and the files
 * gantty writes are read back with zlib's gzread: neither side of gantty's
 * gzip code is the oracle of the other.
 */
#define _GNU_SOURCE  /* mkdtemp */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "base.h"
#include "chrome.h"
#include "export.h"
#include "input.h"
#include "recorder.h"
#include "support/session.h"

static char dir[64];

/* A scratch folder of the test's own. */
static int
setup(void **state)
{
  (void)state;
  snprintf(dir, sizeof(dir), "/tmp/gt_gzip_XXXXXX");
  return mkdtemp(dir) == NULL ? -1 : 0;
}

/* The scratch folder, removed. */
static int
teardown(void **state)
{
  char *cmd = gt_xasprintf("rm -rf '%s'", dir);
  int rc = system(cmd);

  (void)state;
  free(cmd);
  return rc == 0 ? 0 : -1;
}

/* name in the scratch folder (malloc'd). */
static char *
at(const char *name)
{
  return gt_xasprintf("%s/%s", dir, name);
}

/* Write len bytes to path. */
static void
put(const char *path, const void *data, size_t len)
{
  FILE *f = fopen(path, "wb");

  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
}

/* The whole file (malloc'd, NUL after it), its length in *len. */
static char *
slurp(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  char *buf;
  long n;

  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  rewind(f);
  buf = gt_xmalloc((size_t)n + 1);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  buf[n] = '\0';
  fclose(f);
  *len = (size_t)n;
  return buf;
}

/* A gzip member of text made by zlib, appended to out (malloc'd, grown),
 * *olen its length.  When sync_at is not NULL, the text before *sync_at
 * bytes is flushed to a byte boundary (Z_SYNC_FLUSH) and *sync_at becomes
 * the compressed length there: a file cut at it inflates to exactly that
 * text. */
static unsigned char *
gzip_of(unsigned char *out, size_t *olen, const char *text, size_t len,
    size_t *sync_at)
{
  z_stream z;
  size_t cap = *olen + len + 1024, first = sync_at ? *sync_at : len;

  memset(&z, 0, sizeof(z));
  out = gt_xrealloc(out, cap);
  assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8,
      Z_DEFAULT_STRATEGY), Z_OK);
  z.next_out = out + *olen;
  z.avail_out = (uInt)(cap - *olen);
  z.next_in = (unsigned char *)(uintptr_t)text;
  z.avail_in = (uInt)first;
  if (sync_at != NULL) {
    assert_int_equal(deflate(&z, Z_SYNC_FLUSH), Z_OK);
    *sync_at = cap - *olen - z.avail_out;
    z.avail_in = (uInt)(len - first);
  }
  assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
  *olen = cap - z.avail_out;
  deflateEnd(&z);
  return out;
}

/* The decompressed text of the gzip file at path, by zlib's gzread
 * (malloc'd), its length in *len. */
static char *
gunzip(const char *path, size_t *len)
{
  gzFile g = gzopen(path, "rb");
  size_t cap = 1 << 16;
  char *buf = gt_xmalloc(cap);
  int n;

  assert_non_null(g);
  *len = 0;
  while ((n = gzread(g, buf + *len, (unsigned)(cap - *len))) > 0) {
    *len += (size_t)n;
    if (*len == cap)
      buf = gt_xrealloc(buf, cap *= 2);
  }
  assert_true(n == 0);
  assert_int_equal(gzclose(g), Z_OK);
  return buf;
}

/* A session of gantty's own: two runs, waits, a failure, an unfinished
 * task. */
static struct gt_recorder *
session(void)
{
  struct gt_recorder *rec = gt_recorder_new();
  uint16_t a = gt_test_run(rec, "threads", 2, 2, 0, 9000);
  uint16_t b = gt_test_run(rec, "async", 1, 2, 10000, -1);

  gt_test_queue(rec, a, 0, 0, "genre 0");
  gt_test_start(rec, a, 0, 100, 0);
  gt_test_wait_on(rec, a, 0, 200, GT_R_NET, 0);
  gt_test_resume(rec, a, 0, 3000, 0);
  gt_test_finish(rec, a, 0, 3500, 0, 0);
  gt_test_queue(rec, a, 1, 0, "genre 1");
  gt_test_start(rec, a, 1, 150, 1);
  gt_test_finish(rec, a, 1, 900, 1, GT_EHTTP);
  gt_test_queue(rec, b, 0, 10000, "sleep 0");
  gt_test_start(rec, b, 0, 10000, 0);
  gt_test_wait_on(rec, b, 0, 10001, GT_R_TIMER, 0);
  gt_test_queue(rec, b, 1, 10000, "sleep 1");
  gt_test_start(rec, b, 1, 10002, 0);
  return rec;
}

/* Another tool's trace: 40 X slices on 4 threads of 2 processes, one a
 * line. */
static char *
foreign(size_t *len)
{
  char *text = gt_xstrdup("[\n"), *next;
  int i;

  for (i = 0; i < 40; i++) {
    next = gt_xasprintf("%s{\"ph\":\"X\",\"name\":\"s%d\",\"ts\":%d,"
        "\"dur\":5,\"pid\":%d,\"tid\":%d},\n", text, i, 10 * i, 1 + i % 2,
        1 + i % 4);
    free(text);
    text = next;
  }
  *len = strlen(text);
  return text;
}

/* Import path: the import's return, with its report and cause. */
static int
import(const char *path, struct gt_recorder **rec,
    struct gt_import_report *rep, char **cause)
{
  *rec = gt_recorder_new();
  *cause = NULL;
  return gt_chrome_import(*rec, path, rep, NULL, NULL, cause);
}

/* What rec exports as plain JSON (malloc'd): a file's lanes, names and
 * times, to compare two imports by.  The digits of "t0_ns" become 0s: an
 * import of another tool's trace takes the clock's time when it was read
 * as its origin. */
static char *
exported(struct gt_recorder *rec, const char *name)
{
  char *path = at(name), *text, *t0;
  size_t len;

  assert_int_equal(gt_chrome_export(rec, path, NULL), 0);
  text = slurp(path, &len);
  unlink(path);
  free(path);
  if ((t0 = strstr(text, "\"t0_ns\":")) != NULL)
    for (t0 += 8; *t0 >= '0' && *t0 <= '9'; t0++)
      *t0 = '0';
  return text;
}

/* plain and gz (a gzip file of the same text) import alike: the same
 * report and the same export. */
static void
expect_same_import(const char *plain, const char *gz)
{
  struct gt_recorder *a, *b;
  struct gt_import_report ra, rb;
  char *ca, *cb, *ta, *tb;

  assert_int_equal(import(plain, &a, &ra, &ca), 0);
  if (import(gz, &b, &rb, &cb) != 0)
    fail_msg("%s: %s", gz, cb);
  assert_int_equal(ra.events, rb.events);
  assert_int_equal(ra.bytes, rb.bytes);  /* of the text, both */
  assert_int_equal(ra.tasks, rb.tasks);
  assert_int_equal(ra.runs, rb.runs);
  assert_int_equal(ra.gantty, rb.gantty);
  assert_int_equal(ra.truncated, rb.truncated);
  ta = exported(a, "a.out.json");
  tb = exported(b, "b.out.json");
  assert_string_equal(ta, tb);
  free(ta);
  free(tb);
  gt_recorder_free(a);
  gt_recorder_free(b);
}

/* A gzip trace, named .json.gz or .json, reads as its text: gantty's own
 * exactly (export, gzip, import, export gives the first file), another
 * tool's to the same lanes. */
static void
test_gzip_reads_as_text(void **state)
{
  struct gt_recorder *rec = session(), *back;
  struct gt_import_report rep;
  char *plain = at("t.json"), *gz = at("t.json.gz"), *gzj = at("g.json");
  char *text, *again, *cause;
  unsigned char *z = NULL;
  size_t len, zlen = 0;

  (void)state;
  assert_int_equal(gt_chrome_export(rec, plain, NULL), 0);
  gt_recorder_free(rec);
  text = slurp(plain, &len);
  z = gzip_of(z, &zlen, text, len, NULL);
  put(gz, z, zlen);
  put(gzj, z, zlen);  /* gzip, named .json: by its bytes */
  expect_same_import(plain, gz);
  expect_same_import(plain, gzj);
  assert_int_equal(import(gz, &back, &rep, &cause), 0);
  assert_int_equal(rep.gantty, 1);
  assert_int_equal(rep.bytes, len);
  {
    char *path = at("again.json");

    assert_int_equal(gt_chrome_export(back, path, NULL), 0);
    again = slurp(path, &len);
    assert_string_equal(again, text);  /* byte-exact round trip */
    free(again);
    free(path);
  }
  gt_recorder_free(back);
  free(text);

  text = foreign(&len);
  put(plain, text, len);
  zlen = 0;
  z = gzip_of(z, &zlen, text, len, NULL);
  put(gz, z, zlen);
  expect_same_import(plain, gz);
  assert_int_equal(import(gz, &back, &rep, &cause), 0);
  assert_int_equal(rep.runs, 2);   /* pids 1 and 2 */
  assert_int_equal(rep.tasks, 4);  /* tids 1 and 3 in pid 1, 2 and 4 in 2 */
  assert_int_equal(rep.truncated, 1);  /* no closing bracket */
  gt_recorder_free(back);
  free(text);
  free(z);
  free(plain);
  free(gz);
  free(gzj);
}

/* A plain trace named .gz is plain: the name decides nothing. */
static void
test_plain_named_gz(void **state)
{
  char *plain = at("p.json"), *gz = at("p.json.gz"), *text;
  size_t len;

  (void)state;
  text = foreign(&len);
  put(plain, text, len);
  put(gz, text, len);
  expect_same_import(plain, gz);
  free(text);
  free(plain);
  free(gz);
}

/* gzip members one after another (gzip -c a >> b) are one text, as
 * gunzip reads them; zeros after the last member are padding; anything
 * else after it is refused where it starts. */
static void
test_concatenated_members(void **state)
{
  char *plain = at("c.json"), *gz = at("c.json.gz"), *text, *cause;
  unsigned char *z = NULL;
  size_t len, zlen = 0, half, one;
  struct gt_recorder *rec;
  struct gt_import_report rep;

  (void)state;
  text = foreign(&len);
  put(plain, text, len);
  half = len / 2;  /* in the middle of an event: the text is one */
  z = gzip_of(z, &zlen, text, half, NULL);
  z = gzip_of(z, &zlen, text + half, len - half, NULL);
  put(gz, z, zlen);
  expect_same_import(plain, gz);

  /* three members, the middle one empty, and zeros after them */
  zlen = 0;
  z = gzip_of(z, &zlen, text, 10, NULL);
  z = gzip_of(z, &zlen, "", 0, NULL);
  z = gzip_of(z, &zlen, text + 10, len - 10, NULL);
  z = gt_xrealloc(z, zlen + 512);
  memset(z + zlen, 0, 512);
  put(gz, z, zlen + 512);
  expect_same_import(plain, gz);

  /* not gzip after a member: refused at its first byte */
  zlen = 0;
  z = gzip_of(z, &zlen, text, len, NULL);
  one = zlen;
  z = gt_xrealloc(z, zlen + 4);
  memcpy(z + zlen, "junk", 4);
  put(gz, z, zlen + 4);
  assert_int_equal(import(gz, &rec, &rep, &cause), GT_EPARSE);
  {
    char *want = gt_xasprintf("%s: compressed byte %zu: not gzip after the "
        "end of a gzip member", gz, one);

    assert_string_equal(cause, want);
    free(want);
  }
  free(cause);
  gt_recorder_free(rec);
  free(z);
  free(text);
  free(plain);
  free(gz);
}

/* A corrupt stream: refused, naming the file and the compressed byte,
 * exit 2's code (GT_EPARSE), never read as a trace. */
static void
test_corrupt(void **state)
{
  char *gz = at("bad.json.gz"), *text, *cause, *want;
  unsigned char *z = NULL;
  size_t len, zlen = 0, i;
  struct gt_recorder *rec;
  struct gt_import_report rep;

  (void)state;
  text = foreign(&len);
  z = gzip_of(z, &zlen, text, len, NULL);
  /* the CRC32 of the trailer (the 8 bytes before the size): data check */
  for (i = zlen - 8; i < zlen - 4; i++)
    z[i] ^= 0xff;
  put(gz, z, zlen);
  assert_int_equal(import(gz, &rec, &rep, &cause), GT_EPARSE);
  want = gt_xasprintf("%s: compressed byte %zu: not valid gzip: incorrect "
      "data check", gz, zlen - 4);
  assert_string_equal(cause, want);
  free(want);
  free(cause);
  gt_recorder_free(rec);

  /* the magic and then no gzip header (method 0): refused at once */
  put(gz, "\x1f\x8b\x00\x00" "abcdefghij", 14);
  assert_int_equal(import(gz, &rec, &rep, &cause), GT_EPARSE);
  assert_non_null(strstr(cause, "bad.json.gz: compressed byte "));
  assert_non_null(strstr(cause, ": not valid gzip: "));
  free(cause);
  gt_recorder_free(rec);

  /* the magic alone: a stream cut before its header, no text: no events */
  put(gz, "\x1f\x8b", 2);
  assert_int_equal(import(gz, &rec, &rep, &cause), GT_EPARSE);
  assert_non_null(strstr(cause, "of the decompressed text: no trace "
      "events"));
  free(cause);
  gt_recorder_free(rec);
  free(z);
  free(text);
  free(gz);
}

/* A cut stream whose text stops between two events reads the events
 * before the cut, as the same text plain does; gt_input says it was cut,
 * and where. */
static void
test_cut(void **state)
{
  char *plain = at("cut.json"), *gz = at("cut.json.gz"), *text, *cause;
  unsigned char *z = NULL;
  unsigned char buf[4096];
  size_t len, zlen = 0, sync, got = 0;
  const char *mid;
  struct gt_input *in;
  ssize_t n;

  (void)state;
  text = foreign(&len);
  mid = strstr(text, "\"s20\"");
  assert_non_null(mid);
  while (mid[-1] != '\n')  /* the start of event 20's line */
    mid--;
  sync = (size_t)(mid - text);
  put(plain, text, sync);
  z = gzip_of(z, &zlen, text, len, &sync);
  put(gz, z, sync);  /* cut where the first 20 events end */
  expect_same_import(plain, gz);

  assert_int_equal(gt_input_open(&in, gz, &cause), 0);
  assert_int_equal(gt_input_gzip(in), 1);
  while ((n = gt_input_read(in, buf, 7, &cause)) > 0) {  /* small reads */
    assert_memory_equal(buf, text + got, (size_t)n);
    got += (size_t)n;
  }
  assert_int_equal(n, 0);
  assert_int_equal(got, (size_t)(mid - text));
  assert_int_equal(gt_input_cut(in), 1);
  assert_int_equal(gt_input_cut_at(in), sync);
  assert_int_equal(gt_input_consumed(in), sync);
  gt_input_close(in);

  /* the whole stream is not cut */
  put(gz, z, zlen);
  assert_int_equal(gt_input_open(&in, gz, &cause), 0);
  while (gt_input_read(in, buf, sizeof(buf), &cause) > 0)
    continue;
  assert_int_equal(gt_input_cut(in), 0);
  gt_input_close(in);
  free(z);
  free(text);
  free(plain);
  free(gz);
}

/* A message about the text of a gzip file gives the line and byte of the
 * decompressed text, and says so; a plain file's does not.  (The JSON
 * goes wrong before any whole event: after one, what came before would be
 * read.) */
static void
test_messages_name_the_text(void **state)
{
  static const char bad[] = "[\n\n{\"ph\":\"X\",,}]\n";
  char *plain = at("m.json"), *gz = at("m.json.gz"), *cause, *want;
  unsigned char *z = NULL;
  size_t zlen = 0;
  struct gt_recorder *rec;
  struct gt_import_report rep;

  (void)state;
  put(plain, bad, sizeof(bad) - 1);
  z = gzip_of(z, &zlen, bad, sizeof(bad) - 1, NULL);
  put(gz, z, zlen);
  assert_int_equal(import(plain, &rec, &rep, &cause), GT_EPARSE);
  gt_recorder_free(rec);
  /* "path: line 3, byte N: not valid JSON: ..." */
  want = gt_xasprintf("%s: line 3, byte ", plain);
  assert_true(strncmp(cause, want, strlen(want)) == 0);
  assert_null(strstr(cause, "decompressed"));
  {
    const char *rest = cause + strlen(want), *colon = strchr(rest, ':');
    char *gzwant, *gzcause;

    assert_non_null(colon);
    assert_int_equal(import(gz, &rec, &rep, &gzcause), GT_EPARSE);
    gt_recorder_free(rec);
    /* the same line and byte, of the decompressed text, the same why */
    gzwant = gt_xasprintf("%s: line 3, byte %.*s of the decompressed "
        "text%s", gz, (int)(colon - rest), rest, colon);
    assert_string_equal(gzcause, gzwant);
    free(gzwant);
    free(gzcause);
    free(want);
  }
  free(cause);
  free(z);
  free(plain);
  free(gz);
}

/* The progress of a gzip import counts the file's bytes (compressed) up
 * to its size. */
static int
progress(uint64_t done, uint64_t total, void *arg)
{
  uint64_t *last = arg;

  assert_true(done >= last[0]);
  assert_true(done <= total);
  last[0] = done;
  last[1] = total;
  return 0;
}

static void
test_progress(void **state)
{
  char *gz = at("pr.json.gz"), *text;
  unsigned char *z = NULL;
  size_t len, zlen = 0;
  uint64_t last[2] = { 0, 0 };
  struct gt_recorder *rec = gt_recorder_new();

  (void)state;
  text = foreign(&len);
  z = gzip_of(z, &zlen, text, len, NULL);
  put(gz, z, zlen);
  assert_int_equal(gt_chrome_import(rec, gz, NULL, progress, last, NULL), 0);
  assert_int_equal(last[0], zlen);
  assert_int_equal(last[1], zlen);
  gt_recorder_free(rec);
  free(z);
  free(text);
  free(gz);
}

/* A .gz name writes the same bytes gzip'd, for every format: gunzip of
 * x.json.gz is x.json, and it imports back to the same session. */
static void
test_write_gz(void **state)
{
  static const char *const names[][2] = { { "w.json", "w.json.gz" },
    { "w.csv", "w.csv.gz" }, { "w.svg", "w.svg.gz" } };
  struct gt_recorder *rec = session(), *back;
  struct gt_import_report rep;
  char *plain, *gz, *a, *b, *cause;
  size_t i, la, lb;

  (void)state;
  for (i = 0; i < 3; i++) {
    plain = at(names[i][0]);
    gz = at(names[i][1]);
    switch (i) {
    case 0:
      assert_int_equal(gt_chrome_export(rec, plain, NULL), 0);
      assert_int_equal(gt_chrome_export(rec, gz, NULL), 0);
      break;
    case 1:
      assert_int_equal(gt_csv_export(rec, plain, NULL), 0);
      assert_int_equal(gt_csv_export(rec, gz, NULL), 0);
      break;
    default:
      assert_int_equal(gt_svg_export(rec, plain, NULL), 0);
      assert_int_equal(gt_svg_export(rec, gz, NULL), 0);
      break;
    }
    a = slurp(plain, &la);
    b = slurp(gz, &lb);
    assert_true(lb >= 2 && (unsigned char)b[0] == 0x1f
        && (unsigned char)b[1] == 0x8b);
    free(b);
    b = gunzip(gz, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    free(a);
    free(b);
    if (i == 0) {  /* and back: gantty's own file, byte for byte */
      char *again = at("back.json");

      assert_int_equal(import(gz, &back, &rep, &cause), 0);
      assert_int_equal(gt_chrome_export(back, again, NULL), 0);
      a = slurp(plain, &la);
      b = slurp(again, &lb);
      assert_string_equal(a, b);
      free(a);
      free(b);
      free(again);
      gt_recorder_free(back);
    }
    free(plain);
    free(gz);
  }
  gt_recorder_free(rec);
}

/* Write n bytes of c to g, a MiB at a time. */
static void
gz_fill(gzFile g, int c, size_t n)
{
  static char block[1 << 20];
  size_t k;

  memset(block, c, sizeof(block));
  for (; n > 0; n -= k) {
    k = n < sizeof(block) ? n : sizeof(block);
    assert_int_equal(gzwrite(g, block, (unsigned)k), (int)k);
  }
}

/* A gzip bomb of long tokens (a few MiB on disk): a 256 MiB string in args,
 * a 64 MiB key, a 64 MiB comment and a 64 MiB name between good events.
 * yajl keeps a token that spans chunks whole and lexes it again from its
 * start with every chunk, so each one cost time in the square of its
 * length and memory in its length: the file took hours.  Nothing past 1
 * MiB of a string is used; the import reads every event after them, says
 * the name's true length, and its peak memory stays bounded (a child's
 * peak, by wait4). */
static void
test_long_tokens(void **state)
{
  char *path = at("long.json.gz");
  gzFile g = gzopen(path, "wb1");
  struct rusage ru;
  int status;
  pid_t pid;

  (void)state;
  assert_non_null(g);
  gzputs(g, "{\"traceEvents\":[\n{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,"
      "\"tid\":1,\"ts\":0,\"dur\":5},\n{\"ph\":\"X\",\"name\":\"b\","
      "\"pid\":1,\"tid\":1,\"ts\":10,\"dur\":5,\"args\":{\"x\":\"");
  gz_fill(g, 'A', (size_t)256 << 20);
  gzputs(g, "\\u00e9\",\"");
  gz_fill(g, 'k', (size_t)64 << 20);
  gzputs(g, "\":1}},\n/*");
  gz_fill(g, '*', (size_t)64 << 20);
  gzputs(g, "*/{\"ph\":\"X\",\"pid\":1,\"tid\":2,\"ts\":0,\"dur\":1,"
      "\"name\":\"");
  gz_fill(g, 'n', (size_t)64 << 20);
  gzputs(g, "\\n\"},\n{\"ph\":\"X\",\"name\":\"c\",\"pid\":1,\"tid\":1,"
      "\"ts\":20,\"dur\":5}]}\n");
  assert_int_equal(gzclose(g), Z_OK);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    struct gt_recorder *rec;
    struct gt_import_report rep;
    char *cause;
    int rc = import(path, &rec, &rep, &cause);

    /* a, b and c on tid 1; the long name's event skipped, said whole */
    _exit(rc != 0 ? 10 : rep.events != 3 ? 11
        : rep.bad[GT_SKIP_STRING] != 1 ? 12 : rep.nnotes != 1 ? 13
        : strstr(rep.note[0].what, "a string of 67108865 bytes") == NULL
        ? 14 : rep.note[0].line != 4 ? 15 : rep.cut || rep.truncated ? 16
        : 0);
  }
  assert_int_equal(wait4(pid, &status, 0, &ru), pid);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);
  assert_true(ru.ru_maxrss < 64 * 1024);  /* KiB: well under the 64 MiB
                                             tokens */
  free(path);
}

/* A number of more than 1 MiB of digits is no number any reader keeps:
 * the file is cut there (yajl would lex it again with every chunk), what
 * came before is read, and the note says why and where. */
static void
test_long_number(void **state)
{
  static const char head[] = "[{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,"
      "\"tid\":1,\"ts\":0,\"dur\":5},\n{\"ph\":\"X\",\"name\":\"b\",\"pid\":1,"
      "\"tid\":1,\"ts\":1,\"dur\":1,\"args\":{\"n\":1";
  size_t digits = (size_t)2 << 20, len = sizeof(head) - 1 + digits + 4;
  char *path = at("number.json"), *text = gt_xmalloc(len), *cause;
  struct gt_recorder *rec;
  struct gt_import_report rep;

  (void)state;
  memcpy(text, head, sizeof(head) - 1);
  memset(text + sizeof(head) - 1, '0', digits);
  memcpy(text + len - 4, "}}]\n", 4);
  put(path, text, len);
  assert_int_equal(import(path, &rec, &rep, &cause), 0);
  assert_int_equal(rep.events, 1);  /* a */
  assert_true(rep.cut);
  assert_int_equal(rep.cut_line, 2);
  /* the digit past the first MiB of the number ("1" and 2^20 - 1 0s) */
  assert_int_equal(rep.cut_byte, sizeof(head) - 2 + ((size_t)1 << 20));
  assert_non_null(strstr(rep.cut_why, "a number of more than 1048576 "
      "bytes"));
  gt_recorder_free(rec);
  free(text);
  free(path);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_gzip_reads_as_text, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_plain_named_gz, setup, teardown),
    cmocka_unit_test_setup_teardown(test_concatenated_members, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
    cmocka_unit_test_setup_teardown(test_cut, setup, teardown),
    cmocka_unit_test_setup_teardown(test_messages_name_the_text, setup,
        teardown),
    cmocka_unit_test_setup_teardown(test_progress, setup, teardown),
    cmocka_unit_test_setup_teardown(test_write_gz, setup, teardown),
    cmocka_unit_test_setup_teardown(test_long_tokens, setup, teardown),
    cmocka_unit_test_setup_teardown(test_long_number, setup, teardown),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
