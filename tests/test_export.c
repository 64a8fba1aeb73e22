/*
 * tests/test_export.c: the CSV and SVG exports.  The CSV is read back with
 * a small RFC 4180 reader and checked row by row; the SVG is checked by
 * xmllint for well-formed XML, then for its lanes, escapes and failure
 * marks; both must fail cleanly on a path they cannot write.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "category.h"
#include "chrome.h"
#include "export.h"
#include "lanes.h"
#include "recorder.h"
#include "support/session.h"

#define US 1000ull
#define CSV_HEADER "mode,task,label,state,reason,start_us,end_us,worker,status"
#define NAME_QUOTE "say \"hi\", <&> now"
#define NAME_BAD_UTF8 "bad \xff byte"

/* A session of two runs.  sync: task 0 waits on the network and ends
 * well, task 1 (named with a comma, quotes and <&>) fails while
 * connecting, task 2 (a name that is not UTF-8) never leaves the queue.
 * threads: task 0 (a name with a line break) writes a file whose name
 * holds a comma; task 1 sleeps and resumes at a time with nanoseconds. */
static struct gt_recorder *
sample(void)
{
  struct gt_recorder *rec = gt_recorder_new();
  struct gt_event ev = {0};

  gt_test_run(rec, "sync", 1, 3, 0, 20000);
  gt_test_run(rec, "threads", 2, 2, 25000, 40000);

  gt_test_queue(rec, 0, 0, 0, "genre 0");
  gt_test_queue(rec, 0, 1, 0, NAME_QUOTE);
  gt_test_queue(rec, 0, 2, 0, NAME_BAD_UTF8);
  gt_test_start(rec, 0, 0, 1000, 0);
  gt_test_wait_on(rec, 0, 0, 2000, GT_R_NET, 0);
  gt_test_resume(rec, 0, 0, 10000, 0);
  gt_test_finish(rec, 0, 0, 13000, 0, 0);
  gt_test_start(rec, 0, 1, 13000, 0);
  gt_test_wait_on(rec, 0, 1, 13500, GT_R_CONNECT, 0);
  gt_test_finish(rec, 0, 1, 20000, 0, GT_EHTTP);

  gt_test_queue(rec, 1, 0, 25000, "line\nbreak");
  gt_test_queue(rec, 1, 1, 25000, "genre 1");
  gt_test_start(rec, 1, 0, 26000, 1);
  gt_test_put(rec, 1, 0, GT_EV_WAIT, 30000, GT_R_DISK, 1, "write a,b.txt",
      0);
  gt_test_resume(rec, 1, 0, 35000, 1);
  gt_test_finish(rec, 1, 0, 40000, 1, 0);
  gt_test_start(rec, 1, 1, 25500, 0);
  gt_test_wait_on(rec, 1, 1, 26000, GT_R_TIMER, 0);
  ev.ts_ns = gt_recorder_t0(rec) + 39000123;
  ev.task = 1;
  ev.run = 1;
  ev.label = gt_recorder_intern(rec, "parse genre");
  ev.worker = 0;
  ev.kind = GT_EV_RESUME;
  gt_recorder_append(rec, &ev);
  gt_test_finish(rec, 1, 1, 39500, 0, 0);
  return rec;
}

/* The sample's intervals: 4 + 3 + 1 in sync, 4 + 4 in threads. */
#define SAMPLE_ROWS 16

/* A CSV file read back: rows of fields. */
struct csv_row {
  char  **f;
  size_t  n;
};

struct csv {
  struct csv_row *row;
  size_t n;
};

/* Append byte c to the growing string *s of length *len. */
static void
add_char(char **s, size_t *len, char c)
{
  *s = realloc(*s, *len + 2);
  assert_non_null(*s);
  (*s)[(*len)++] = c;
  (*s)[*len] = '\0';
}

/* Read text as RFC 4180 CSV: fields split by commas, records by CRLF or
 * LF, a quoted field may hold commas, line breaks and doubled quotes, and
 * an unquoted field holds no quote. */
static void
csv_parse(const char *p, struct csv *out)
{
  struct csv_row *r;
  char *field;
  size_t len;

  memset(out, 0, sizeof(*out));
  while (*p != '\0') {
    out->row = realloc(out->row, (out->n + 1) * sizeof(*out->row));
    assert_non_null(out->row);
    r = &out->row[out->n++];
    memset(r, 0, sizeof(*r));
    for (;;) {
      field = calloc(1, 1);
      assert_non_null(field);
      len = 0;
      if (*p == '"') {
        for (p++;; p++) {
          if (*p == '\0')
            fail_msg("CSV: a quoted field is not closed");
          if (*p == '"') {
            if (p[1] != '"')
              break;
            p++;
          }
          add_char(&field, &len, *p);
        }
        p++;
        if (*p != ',' && *p != '\n' && *p != '\r' && *p != '\0')
          fail_msg("CSV: text after a closing quote");
      } else {
        for (; *p != ',' && *p != '\n' && *p != '\r' && *p != '\0'; p++) {
          if (*p == '"')
            fail_msg("CSV: a quote in an unquoted field");
          add_char(&field, &len, *p);
        }
      }
      r->f = realloc(r->f, (r->n + 1) * sizeof(*r->f));
      assert_non_null(r->f);
      r->f[r->n++] = field;
      if (*p == ',') {
        p++;
        continue;
      }
      if (*p == '\r')
        p++;
      if (*p == '\n')
        p++;
      break;
    }
  }
}

/* Free what csv_parse() made. */
static void
csv_free(struct csv *c)
{
  size_t i, j;

  for (i = 0; i < c->n; i++) {
    for (j = 0; j < c->row[i].n; j++)
      free(c->row[i].f[j]);
    free(c->row[i].f);
  }
  free(c->row);
}

/* The row of (mode, task) whose state and start are these; fails when
 * there is none. */
static const struct csv_row *
csv_find(const struct csv *c, const char *mode, const char *task,
    const char *state, const char *start_us)
{
  size_t i;

  for (i = 1; i < c->n; i++) {
    const struct csv_row *r = &c->row[i];

    if (strcmp(r->f[0], mode) == 0 && strcmp(r->f[1], task) == 0
        && strcmp(r->f[3], state) == 0 && strcmp(r->f[5], start_us) == 0)
      return r;
  }
  fail_msg("no CSV row %s,%s,...,%s,,%s", mode, task, state, start_us);
  return NULL;
}

/* Check a row's fields from label on. */
static void
check_row(const struct csv_row *r, const char *label, const char *reason,
    const char *end_us, const char *worker, const char *status)
{
  assert_string_equal(r->f[2], label);
  assert_string_equal(r->f[4], reason);
  assert_string_equal(r->f[6], end_us);
  assert_string_equal(r->f[7], worker);
  assert_string_equal(r->f[8], status);
}

/* All of a stream, from its start. */
static char *
slurp_stream(FILE *f)
{
  char *buf;
  long n;

  assert_int_equal(fseek(f, 0, SEEK_END), 0);
  n = ftell(f);
  assert_true(n >= 0);
  rewind(f);
  buf = malloc((size_t)n + 1);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  buf[n] = '\0';
  return buf;
}

/* A whole file. */
static char *
slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  char *buf;

  assert_non_null(f);
  buf = slurp_stream(f);
  fclose(f);
  return buf;
}

/* gt_csv_write() or gt_svg_write() of rec into a string. */
static char *
write_to_string(struct gt_recorder *rec, gt_writer_fn *writer)
{
  struct gt_timeline *tl = gt_timeline_of(rec);
  FILE *f = tmpfile();
  char *text;

  assert_non_null(f);
  assert_int_equal(writer(tl, f), 0);
  gt_timeline_free(tl);
  text = slurp_stream(f);
  fclose(f);
  return text;
}

/* How many times needle occurs in hay.  A plain loop: under ASan each
 * strstr() call measures all of hay first, which makes a count over a big
 * file quadratic. */
static size_t
count_str(const char *hay, const char *needle)
{
  size_t n = 0, len = strlen(needle);

  while (*hay != '\0') {
    if (*hay == needle[0] && strncmp(hay, needle, len) == 0) {
      n++;
      hay += len;
    } else {
      hay++;
    }
  }
  return n;
}

/* The entries of folder dir, . and .. aside. */
static int
dir_entries(const char *dir)
{
  DIR *d = opendir(dir);
  struct dirent *e;
  int n = 0;

  assert_non_null(d);
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      n++;
  closedir(d);
  return n;
}

/* Fail unless xmllint finds path well-formed XML.  xmllint comes with
 * libxml2-utils, which scripts/setup.sh installs; without it the test
 * fails, since it could not check anything. */
static void
assert_xml_ok(const char *path)
{
  char cmd[512];
  int rc;

  if (system("command -v xmllint >/dev/null 2>&1") != 0)
    fail_msg("xmllint is not installed (apt-get install libxml2-utils; "
        "scripts/setup.sh does): cannot check the SVG");
  snprintf(cmd, sizeof(cmd), "xmllint --noout '%s'", path);
  rc = system(cmd);
  if (rc != 0)
    fail_msg("xmllint rejects %s (status %d)", path, rc);
}

/* CSV: the header, a row per interval, and the values of the rows that
 * hold the hard cases. */
static void
test_csv_rows(void **state)
{
  struct gt_recorder *rec = sample();
  struct csv c;
  char *text;
  size_t i;

  (void)state;
  /* A locale with a decimal comma must not change the numbers. */
  setlocale(LC_NUMERIC, "de_DE.UTF-8");
  text = write_to_string(rec, gt_csv_write);
  setlocale(LC_NUMERIC, "C");
  csv_parse(text, &c);
  assert_int_equal(c.n, 1 + SAMPLE_ROWS);
  assert_int_equal(c.row[0].n, 9);
  assert_int_equal(strncmp(text, CSV_HEADER "\n", strlen(CSV_HEADER) + 1),
      0);
  for (i = 0; i < c.n; i++)
    assert_int_equal(c.row[i].n, 9);

  /* sync, task 0: every state, times in us from t0 */
  check_row(csv_find(&c, "sync", "0", "queued", "0.000"), "genre 0", "",
      "1000.000", "-1", "0");
  check_row(csv_find(&c, "sync", "0", "running", "1000.000"), "GET /genre",
      "", "2000.000", "0", "0");
  check_row(csv_find(&c, "sync", "0", "waiting", "2000.000"), "GET /genre",
      "net", "10000.000", "0", "0");
  check_row(csv_find(&c, "sync", "0", "running", "10000.000"),
      "parse genre", "", "13000.000", "0", "0");
  /* sync, task 1: a comma, quotes and <&> in its name; it failed, and
   * every row of it says so */
  check_row(csv_find(&c, "sync", "1", "queued", "0.000"), NAME_QUOTE, "",
      "13000.000", "-1", "-10002");
  check_row(csv_find(&c, "sync", "1", "waiting", "13500.000"), "GET /genre",
      "connect", "20000.000", "0", "-10002");
  assert_non_null(strstr(text, ",\"say \"\"hi\"\", <&> now\","));
  /* sync, task 2: not UTF-8 in, U+FFFD out; never finished, so no status,
   * and its queue lasts to the session's last event */
  check_row(csv_find(&c, "sync", "2", "queued", "0.000"),
      "bad \xef\xbf\xbd byte", "", "40000.000", "-1", "");
  /* threads, task 0: a line break and a comma round-trip */
  check_row(csv_find(&c, "threads", "0", "queued", "25000.000"),
      "line\nbreak", "", "26000.000", "-1", "0");
  check_row(csv_find(&c, "threads", "0", "waiting", "30000.000"),
      "write a,b.txt", "disk", "35000.000", "1", "0");
  /* threads, task 1: nanoseconds are kept */
  check_row(csv_find(&c, "threads", "1", "waiting", "26000.000"),
      "GET /genre", "timer", "39000.123", "0", "0");
  check_row(csv_find(&c, "threads", "1", "running", "39000.123"),
      "parse genre", "", "39500.000", "0", "0");
  csv_free(&c);
  free(text);
  gt_recorder_free(rec);
}

/* CSV: gt_csv_export() writes what gt_csv_write() does, and leaves no
 * temporary file beside it. */
static void
test_csv_export_file(void **state)
{
  struct gt_recorder *rec = sample();
  char dir[] = "/tmp/gt_export_XXXXXX", path[64];
  char *want, *got, *cause = NULL;

  (void)state;
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof(path), "%s/t.csv", dir);
  assert_int_equal(gt_csv_export(rec, path, &cause), 0);
  assert_null(cause);
  want = write_to_string(rec, gt_csv_write);
  got = slurp(path);
  assert_string_equal(got, want);
  assert_int_equal(dir_entries(dir), 1);
  free(want);
  free(got);
  unlink(path);
  rmdir(dir);
  gt_recorder_free(rec);
}

/* SVG: well-formed, one group per lane, text escaped, the failure marked,
 * the header, ruler and legend there. */
static void
test_svg(void **state)
{
  struct gt_recorder *rec = sample();
  char dir[] = "/tmp/gt_export_XXXXXX", path[64];
  char *text, *cause = NULL;

  (void)state;
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof(path), "%s/t.svg", dir);
  setlocale(LC_NUMERIC, "de_DE.UTF-8");
  assert_int_equal(gt_svg_export(rec, path, &cause), 0);
  setlocale(LC_NUMERIC, "C");
  assert_null(cause);
  assert_xml_ok(path);
  text = slurp(path);

  assert_non_null(strstr(text, "xmlns=\"http://www.w3.org/2000/svg\""));
  assert_non_null(strstr(text, "<title>gantty: sync, threads</title>"));
  assert_int_equal(count_str(text, "<g class=\"run\""), 2);
  assert_int_equal(count_str(text, "<g class=\"lane\""), 5);
  assert_int_equal(count_str(text,
      "<g class=\"lane\" data-run=\"0\" data-task=\"1\">"), 1);
  /* escapes: the name with <&> and quotes, a line break, bad UTF-8 */
  assert_non_null(strstr(text, "say &quot;hi&quot;, &lt;&amp;&gt; now"));
  assert_null(strstr(text, "<&>"));
  assert_non_null(strstr(text, "<title>line break</title>"));
  assert_non_null(strstr(text, "bad \xef\xbf\xbd byte"));
  /* the failed task: one cross, its error as the cross's title */
  assert_int_equal(count_str(text, "class=\"fail\""), 1);
  assert_non_null(strstr(text, "<title>HTTP 500 from /genre</title>"
      "\xe2\x9c\x97</text>"));
  /* headers, ruler (40 ms in all: a tick every 5 ms), legend */
  assert_non_null(strstr(text, "sync \xc2\xb7 1 worker \xc2\xb7 wall 20.0 ms"
      " \xc2\xb7 3 tasks, 1 failed, 1 unfinished</text>"));
  assert_non_null(strstr(text, "threads \xc2\xb7 2 workers \xc2\xb7 "
      "wall 15.0 ms \xc2\xb7 2 tasks</text>"));
  assert_non_null(strstr(text, ">5 ms</text>"));
  assert_non_null(strstr(text, ">40 ms</text>"));
  assert_non_null(strstr(text, ">queued</text>"));
  assert_non_null(strstr(text, ">running</text>"));
  assert_non_null(strstr(text, ">net</text>"));
  assert_non_null(strstr(text, ">connect</text>"));
  assert_non_null(strstr(text, ">disk</text>"));
  assert_non_null(strstr(text, ">timer</text>"));
  assert_null(strstr(text, ">pool</text>"));
  assert_non_null(strstr(text, ">failed</text>"));
  /* coordinates in the C locale */
  assert_null(strstr(text, "x=\"-"));
  free(text);
  assert_int_equal(dir_entries(dir), 1);
  unlink(path);
  rmdir(dir);
  gt_recorder_free(rec);
}

/* The category table: a category per reason that names it, every name
 * and glyph its own, and colours as the terminal shows them. */
static void
test_category_table(void **state)
{
  /* The eight ANSI colours as GNOME Terminal's default (Tango) palette
   * shows them, by number; black is unused.  Dim white: bright black. */
  static const char *const tango[8] = { NULL, "#cc0000", "#4e9a06",
    "#c4a000", "#3465a4", "#75507b", "#06989a", "#d3d7cf" };
  int r, k, j;

  (void)state;
  assert_int_equal(GT_CAT_COUNT, 3 + GT_R_COUNT - 1);
  for (r = GT_R_NONE + 1; r < GT_R_COUNT; r++) {
    k = GT_CAT_OF_REASON(r);
    assert_true(k >= GT_CAT_WAIT && k < GT_CAT_COUNT);
    assert_int_equal(GT_CAT_REASON(k), r);
    assert_true(gt_reason_name(r)[0] != '\0');
    assert_string_equal(gt_cat_info(k)->name, gt_reason_name(r));
  }
  assert_string_equal(gt_cat_info(GT_CAT_QUEUED)->name, "queued");
  assert_string_equal(gt_cat_info(GT_CAT_RUNNING)->name, "running");
  assert_int_equal(gt_cat_info(GT_CAT_NONE)->ansi, GT_ANSI_DEFAULT);
  assert_ptr_equal(gt_cat_info(-1), gt_cat_info(GT_CAT_NONE));
  assert_ptr_equal(gt_cat_info(GT_CAT_COUNT), gt_cat_info(GT_CAT_NONE));
  for (k = GT_CAT_NONE + 1; k < GT_CAT_COUNT; k++) {
    const struct gt_cat_info *c = gt_cat_info(k);

    assert_true(c->name[0] != '\0');
    assert_int_equal(strlen(c->ascii), 1);
    assert_true(c->ascii[0] > ' ' && c->ascii[0] < 127);
    assert_true(c->ansi > GT_ANSI_BLACK && c->ansi <= GT_ANSI_WHITE);
    /* the SVG's colour is the terminal's */
    assert_string_equal(c->rgb, c->dim ? "#888a85" : tango[c->ansi]);
    for (j = GT_CAT_NONE + 1; j < k; j++) {
      const struct gt_cat_info *d = gt_cat_info(j);

      assert_string_not_equal(c->name, d->name);
      assert_string_not_equal(c->utf8, d->utf8);  /* monochrome */
      assert_string_not_equal(c->ascii, d->ascii);
      /* Eleven categories, seven colours: the two locks share one (the
       * GIL is a lock); the two ready states share running's (they
       * could run; their glyphs say they do not); queued and pool share
       * white, queued dim.  No other two share a colour. */
      if (k == GT_CAT_OF_REASON(GT_R_LOCK))
        assert_true(j == GT_CAT_OF_REASON(GT_R_GIL)
            || strcmp(c->rgb, d->rgb) != 0);
      else if (gt_reason_ready(GT_CAT_REASON(k)))
        assert_true(j == GT_CAT_RUNNING || gt_reason_ready(GT_CAT_REASON(j))
            || strcmp(c->rgb, d->rgb) != 0);
      else
        assert_string_not_equal(c->rgb, d->rgb);
      if (gt_reason_ready(GT_CAT_REASON(k))
          && (j == GT_CAT_RUNNING || gt_reason_ready(GT_CAT_REASON(j))))
        assert_string_equal(c->rgb, d->rgb);
    }
  }
}

/* The fill the legend's swatch for name has in svg, into buf. */
static void
legend_fill(const char *svg, const char *name, char *buf, size_t len)
{
  char needle[64];
  const char *at, *f;

  snprintf(needle, sizeof(needle), ">%s</text>", name);
  at = strstr(svg, needle);
  assert_non_null(at);
  for (f = at; f > svg && strncmp(f, " fill=\"", 7) != 0; f--)
    ;
  assert_true(f > svg);
  f += 7;
  assert_true((size_t)(strchr(f, '"') - f) < len);
  snprintf(buf, len, "%.*s", (int)(strchr(f, '"') - f), f);
}

/* An SVG that draws every category: each is drawn, and named in the
 * legend in the table's order, in the table's colour (queued: dots of
 * its colour). */
static void
test_svg_category_colours(void **state)
{
  struct gt_recorder *rec = gt_recorder_new();
  uint16_t run = gt_test_run(rec, "threads", 1, GT_R_COUNT, 0, 1000);
  char fill[64], want[96];
  const char *last = NULL, *at;
  char *text;
  uint32_t t;
  int k;

  (void)state;
  for (t = 0; t < GT_R_COUNT; t++) {  /* task t waits on reason t */
    gt_test_queue(rec, run, t, 0, "t");
    gt_test_start(rec, run, t, 100, 0);
    if (t > GT_R_NONE)
      gt_test_wait_on(rec, run, t, 200, (int)t, 0);
    gt_test_finish(rec, run, t, 900, 0, 0);
  }
  text = write_to_string(rec, gt_svg_write);
  for (k = GT_CAT_NONE + 1; k < GT_CAT_COUNT; k++) {
    const struct gt_cat_info *c = gt_cat_info(k);
    char name[64];

    legend_fill(text, c->name, fill, sizeof(fill));
    if (c->dim) {  /* a pattern of dots in the colour */
      snprintf(want, sizeof(want), "url(#gt-%s)", c->name);
      assert_string_equal(fill, want);
      snprintf(want, sizeof(want), "<pattern id=\"gt-%s\"", c->name);
      at = strstr(text, want);
      assert_non_null(at);
      snprintf(want, sizeof(want), "fill=\"%s\"/></pattern>", c->rgb);
      assert_non_null(strstr(at, want));
    } else {
      assert_string_equal(fill, c->rgb);
    }
    /* drawn in a lane, not only in the legend */
    snprintf(want, sizeof(want), "fill=\"%s\"", fill);
    assert_true(count_str(text, want) >= 2);
    snprintf(name, sizeof(name), ">%s</text>", c->name);
    at = strstr(text, name);
    assert_true(last == NULL || at > last);  /* the table's order */
    last = at;
  }
  free(text);
  gt_recorder_free(rec);
}

/* The SVG legend says "ready:" once, before the state ready's reasons
 * (no core, loop busy) and after every other name, as the live view and
 * the report do; a picture with no ready time does not say it. */
static void
test_svg_legend_ready(void **state)
{
  int with;

  (void)state;
  for (with = 0; with < 2; with++) {
    struct gt_recorder *rec = gt_recorder_new();
    uint16_t run = gt_test_run(rec, "async", 1, 3, 0, 1000);
    const char *legend, *ready;
    char *text, name[64];
    uint32_t t;
    int k;

    for (t = 0; t < 3; t++) {
      gt_test_queue(rec, run, t, 0, "t");
      gt_test_start(rec, run, t, 100, 0);
    }
    gt_test_wait_on(rec, run, 0, 200, GT_R_NET, 0);
    gt_test_wait_on(rec, run, 1, 200, GT_R_TIMER, 0);
    if (with) {
      gt_test_wait_on(rec, run, 0, 400, GT_R_LOOP, 0);
      gt_test_wait_on(rec, run, 2, 400, GT_R_CORE, 0);
    }
    for (t = 0; t < 3; t++)
      gt_test_finish(rec, run, t, 900, 0, 0);
    text = write_to_string(rec, gt_svg_write);
    legend = strstr(text, "<g class=\"legend\">");
    assert_non_null(legend);
    ready = strstr(text, ">ready:</text>");
    if (!with) {
      assert_null(ready);
    } else {
      assert_int_equal(count_str(text, ">ready:</text>"), 1);
      assert_true(ready > legend);
      for (k = GT_CAT_NONE + 1; k < GT_CAT_COUNT; k++) {
        const char *at;

        snprintf(name, sizeof(name), ">%s</text>", gt_cat_info(k)->name);
        at = strstr(legend, name);
        if (at == NULL)
          continue;  /* not drawn */
        if (gt_reason_ready(GT_CAT_REASON(k)))
          assert_true(at > ready);
        else
          assert_true(at < ready);
      }
      assert_non_null(strstr(legend, ">no core</text>"));
      assert_non_null(strstr(legend, ">loop busy</text>"));
      assert_non_null(strstr(legend, ">net</text>"));
    }
    free(text);
    gt_recorder_free(rec);
  }
}

/* The SVG of another tool's trace in its words (issue 14 item 9), as
 * the view draws it: a process "Renderer" with two threads over 1000 us,
 * one busy 0-400 and 600-1000 us, one 100-300 us: its header gives its
 * threads and span, the legend busy and idle; no worker, wall or task.
 * gantty's own run keeps its words (test_svg_legend_ready, test_svg). */
static void
test_svg_foreign_words(void **state)
{
  struct gt_recorder *rec = gt_recorder_new();
  struct gt_run_info ri = { .workers = 2, .tasks = 2,
    .flags = GT_RUN_FOREIGN };
  const char *header, *legend;
  uint16_t r;
  char *text, *line;

  (void)state;
  ri.name = gt_recorder_intern(rec, "Renderer");
  r = gt_recorder_run_add(rec, &ri);
  gt_recorder_run_start(rec, r, gt_recorder_t0(rec));
  gt_recorder_run_end(rec, r, gt_recorder_t0(rec) + 1000000);
  gt_test_put(rec, r, 0, GT_EV_QUEUE, 0, 0, -1, "Main", 0);
  gt_test_put(rec, r, 0, GT_EV_START, 0, 0, 3, "Layout", 0);
  gt_test_put(rec, r, 0, GT_EV_QUEUE, 400, 0, -1, "Main", 0);
  gt_test_put(rec, r, 0, GT_EV_RESUME, 600, 0, 3, "Paint", 0);
  gt_test_put(rec, r, 0, GT_EV_QUEUE, 1000, 0, -1, "Main", 0);
  gt_test_put(rec, r, 0, GT_EV_FINISH, 1000, 0, -1, "", 0);
  gt_test_put(rec, r, 1, GT_EV_QUEUE, 100, 0, -1, "Raster", 0);
  gt_test_put(rec, r, 1, GT_EV_START, 100, 0, 4, "Raster", 0);
  gt_test_put(rec, r, 1, GT_EV_QUEUE, 300, 0, -1, "Raster", 0);
  gt_test_put(rec, r, 1, GT_EV_FINISH, 300, 0, -1, "", 0);
  text = write_to_string(rec, gt_svg_write);
  header = strstr(text, "class=\"header\"");
  assert_non_null(header);
  assert_non_null(strstr(header, ">Renderer \xc2\xb7 2 threads \xc2\xb7 "
      "span 1.0 ms</text>"));
  legend = strstr(text, "<g class=\"legend\">");
  assert_non_null(legend);
  assert_non_null(strstr(legend, ">idle</text>"));
  assert_non_null(strstr(legend, ">busy (in a slice)</text>"));
  assert_null(strstr(legend, ">queued</text>"));
  assert_null(strstr(legend, ">running</text>"));
  line = strndup(header, (size_t)(strstr(header, "</text>") - header));
  assert_null(strstr(line, "worker"));
  assert_null(strstr(line, "wall"));
  assert_null(strstr(line, "task"));
  free(line);
  free(text);
  gt_recorder_free(rec);
}

/* SVG of an empty session, and of runs with no events yet: still a
 * picture. */
static void
test_svg_empty(void **state)
{
  struct gt_recorder *rec = gt_recorder_new();
  char dir[] = "/tmp/gt_export_XXXXXX", path[64];
  char *text;

  (void)state;
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof(path), "%s/e.svg", dir);
  assert_int_equal(gt_svg_export(rec, path, NULL), 0);
  assert_xml_ok(path);
  text = slurp(path);
  assert_int_equal(count_str(text, "<g class=\"lane\""), 0);
  free(text);
  gt_test_run(rec, "a&b", 4, 0, -1, -1);
  assert_int_equal(gt_svg_export(rec, path, NULL), 0);
  assert_xml_ok(path);
  text = slurp(path);
  assert_int_equal(count_str(text, "<g class=\"run\""), 1);
  assert_non_null(strstr(text, "<title>gantty: a&amp;b</title>"));
  free(text);
  unlink(path);
  rmdir(dir);
  gt_recorder_free(rec);
}

/* 200 000 events: the CSV has a row per interval, the SVG stays bounded
 * (narrow intervals are drawn a pixel at a time) and well-formed. */
static void
test_big_session(void **state)
{
  /* 2 000 events a lane, more than its 1 200 pixels: enough to show that
   * the picture grows with pixels, not events (timing is bench_export's) */
  enum { TASKS = 100, PER_TASK = 2000 };
  struct gt_recorder *rec = gt_recorder_new();
  char dir[] = "/tmp/gt_export_XXXXXX", csv[64], svg[64];
  struct gt_event *ev = malloc(PER_TASK * sizeof(*ev));
  uint64_t t0 = gt_recorder_t0(rec);
  uint32_t name, step;
  struct stat sb;
  size_t rows;
  char *text;
  int i, j;

  (void)state;
  assert_non_null(ev);
  gt_test_run(rec, "async", 1, TASKS, 0, -1);
  step = gt_recorder_intern(rec, "GET /page");
  for (i = 0; i < TASKS; i++) {
    char buf[32];

    snprintf(buf, sizeof(buf), "page %d", i);
    name = gt_recorder_intern(rec, buf);
    memset(ev, 0, PER_TASK * sizeof(*ev));
    for (j = 0; j < PER_TASK; j++) {
      /* queue, then start and wait on the net by turns, 7 us apart,
       * then finish; every 10th task fails */
      ev[j].ts_ns = t0 + (uint64_t)i * 1000 + (uint64_t)j * 7 * US;
      ev[j].task = (uint32_t)i;
      ev[j].label = j == 0 ? name : step;
      ev[j].worker = j == 0 ? -1 : 0;
      ev[j].kind = j == 0 ? GT_EV_QUEUE : j == PER_TASK - 1 ? GT_EV_FINISH
          : j % 2 ? GT_EV_START : GT_EV_WAIT;
      ev[j].reason = ev[j].kind == GT_EV_WAIT ? GT_R_NET : 0;
      if (j == PER_TASK - 1 && i % 10 == 0) {
        ev[j].status = GT_ENET;
        ev[j].label = gt_recorder_intern(rec, "reset");
      }
    }
    gt_recorder_append_many(rec, ev, PER_TASK);
  }
  free(ev);
  assert_non_null(mkdtemp(dir));
  snprintf(csv, sizeof(csv), "%s/big.csv", dir);
  snprintf(svg, sizeof(svg), "%s/big.svg", dir);

  assert_int_equal(gt_csv_export(rec, csv, NULL), 0);
  assert_int_equal(gt_svg_export(rec, svg, NULL), 0);

  /* every event but the finish opens an interval */
  text = slurp(csv);
  rows = count_str(text, "\n");
  assert_int_equal(rows, 1 + (size_t)TASKS * (PER_TASK - 1));
  free(text);
  assert_int_equal(stat(svg, &sb), 0);
  assert_true(sb.st_size < 16 * 1024 * 1024);
  assert_xml_ok(svg);
  text = slurp(svg);
  assert_int_equal(count_str(text, "<g class=\"lane\""), TASKS);
  assert_int_equal(count_str(text, "class=\"fail\""), TASKS / 10);
  /* at most about a rect per pixel of chart per lane */
  assert_true(count_str(text, "<rect") < (size_t)TASKS * 1200);
  free(text);
  unlink(csv);
  unlink(svg);
  rmdir(dir);
  gt_recorder_free(rec);
}

/* Export to path must fail with a cause naming it and leave no file. */
static void
check_unwritable(struct gt_recorder *rec,
    int (*export_fn)(struct gt_recorder *, const char *, char **),
    const char *path)
{
  char *cause = NULL;
  struct stat sb;
  int rc;

  rc = export_fn(rec, path, &cause);
  assert_true(rc < 0);
  assert_true(rc > GT_EBASE);  /* a negative errno */
  assert_non_null(cause);
  assert_non_null(strstr(cause, path));
  assert_int_not_equal(stat(path, &sb), 0);
  free(cause);
}

/* Unwritable paths: a missing folder, and a path that is a folder (which
 * must stay one, with nothing left beside it). */
static void
test_export_unwritable(void **state)
{
  struct gt_recorder *rec = sample();
  char dir[] = "/tmp/gt_export_XXXXXX", sub[64];
  char *cause = NULL;
  struct stat sb;

  (void)state;
  check_unwritable(rec, gt_csv_export, "/nonexistent-dir/x/t.csv");
  check_unwritable(rec, gt_svg_export, "/nonexistent-dir/x/t.svg");

  assert_non_null(mkdtemp(dir));
  snprintf(sub, sizeof(sub), "%s/folder", dir);
  assert_int_equal(mkdir(sub, 0700), 0);
  assert_true(gt_csv_export(rec, sub, &cause) < 0);
  assert_non_null(cause);
  assert_non_null(strstr(cause, sub));
  free(cause);
  cause = NULL;
  assert_true(gt_svg_export(rec, sub, &cause) < 0);
  assert_non_null(cause);
  assert_non_null(strstr(cause, sub));
  free(cause);
  assert_int_equal(stat(sub, &sb), 0);
  assert_true(S_ISDIR(sb.st_mode));
  assert_int_equal(dir_entries(dir), 1);
  rmdir(sub);
  rmdir(dir);
  gt_recorder_free(rec);
}

/* A symlink planted at the old, predictable temporary name (path.tmp.PID)
 * and one at the final name point at a file outside: neither is written
 * through; the final name becomes a whole file of its own. */
static void
test_export_planted_symlinks(void **state)
{
  struct gt_recorder *rec = sample();
  char dir[] = "/tmp/gt_export_XXXXXX", victim[64], path[64], tmp[96];
  char target[64];
  struct stat sb;
  ssize_t n;
  char *text;
  FILE *f;

  (void)state;
  assert_non_null(mkdtemp(dir));
  snprintf(victim, sizeof(victim), "%s/victim", dir);
  snprintf(path, sizeof(path), "%s/t.csv", dir);
  snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
  f = fopen(victim, "w");
  assert_non_null(f);
  fputs("precious\n", f);
  fclose(f);
  assert_int_equal(symlink(victim, tmp), 0);
  assert_int_equal(gt_csv_export(rec, path, NULL), 0);
  text = slurp(victim);
  assert_string_equal(text, "precious\n");
  free(text);
  assert_int_equal(lstat(tmp, &sb), 0);   /* the planted link is left be */
  assert_true(S_ISLNK(sb.st_mode));
  n = readlink(tmp, target, sizeof(target) - 1);
  assert_true(n > 0);
  target[n] = '\0';
  assert_string_equal(target, victim);
  assert_int_equal(lstat(path, &sb), 0);
  assert_true(S_ISREG(sb.st_mode));
  text = slurp(path);
  assert_non_null(strstr(text, CSV_HEADER));
  assert_int_equal(text[strlen(text) - 1], '\n');
  free(text);

  /* a link at the final name is replaced, not written through */
  assert_int_equal(unlink(path), 0);
  assert_int_equal(symlink(victim, path), 0);
  assert_int_equal(gt_csv_export(rec, path, NULL), 0);
  text = slurp(victim);
  assert_string_equal(text, "precious\n");
  free(text);
  assert_int_equal(lstat(path, &sb), 0);
  assert_true(S_ISREG(sb.st_mode));
  assert_int_equal(dir_entries(dir), 3);  /* victim, the link, t.csv */
  unlink(path);
  unlink(tmp);
  unlink(victim);
  rmdir(dir);
  gt_recorder_free(rec);
}

/* In a child: export a big session to path and exit 0 when it failed with
 * a cause that holds want. */
static void
export_fails_with(int (*export_fn)(struct gt_recorder *, const char *,
    char **), const char *path, const char *want, rlim_t fsize)
{
  struct gt_recorder *rec;
  struct rlimit rl = { fsize, fsize };
  char *cause = NULL;
  int ok, i, wstatus;
  pid_t pid;

  fflush(NULL);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    signal(SIGXFSZ, SIG_IGN);  /* EFBIG, not the signal */
    if (fsize != RLIM_INFINITY && setrlimit(RLIMIT_FSIZE, &rl) != 0)
      _exit(3);
    rec = gt_recorder_new();
    gt_test_run(rec, "threads", 1, 4000, 0, -1);
    for (i = 0; i < 4000; i++) {  /* far more than 64 KiB of CSV */
      gt_test_queue(rec, 0, (uint32_t)i, 0, "a name long enough to fill "
          "the disk, a name long enough to fill the disk");
      gt_test_start(rec, 0, (uint32_t)i, 10, 0);
      gt_test_finish(rec, 0, (uint32_t)i, 20, 0, 0);
    }
    ok = export_fn(rec, path, &cause) < 0 && cause != NULL
        && strstr(cause, want) != NULL && strstr(cause, path) != NULL;
    if (!ok)
      fprintf(stderr, "export to %s: %s (expected \"%s\")\n", path,
          cause ? cause : "no error", want);
    _exit(ok ? 0 : 1);
  }
  assert_int_equal(waitpid(pid, &wstatus, 0), pid);
  assert_true(WIFEXITED(wstatus));
  assert_int_equal(WEXITSTATUS(wstatus), 0);
}

/* 1 in a ThreadSanitizer build (gcc says so with __SANITIZE_THREAD__,
 * clang with __has_feature). */
#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif
#ifndef UNDER_TSAN
#define UNDER_TSAN 0
#endif

/* A write that fails says why (the errno of the failing write), not
 * stdio's "Input/output error": "File too large" under RLIMIT_FSIZE, and
 * "No space left on device" on a full 64 KiB tmpfs (mounted when this
 * runs as root; skipped with a message otherwise). */
static void
test_export_real_errno(void **state)
{
  char dir[] = "/tmp/gt_export_XXXXXX", path[64];

  (void)state;
  if (UNDER_TSAN) {
    /* In the forked child of a TSan build, glibc's stdio faults inside
     * fwrite to the cookie stream (at _IO_default_xsputn's call through
     * the stream's jump table) once a write has failed; which builds it
     * hits moves with the binary's layout, and no other build or
     * sanitizer sees it (ASan and UBSan run this test).  A race detector
     * has nothing to find in a one-thread child, so TSan skips it. */
    print_message("skipped under TSan: see the comment above\n");
    return;
  }
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof(path), "%s/big.csv", dir);
  export_fails_with(gt_csv_export, path, "File too large", 16 << 10);
  assert_int_equal(dir_entries(dir), 0);  /* no temporary file stays */
  snprintf(path, sizeof(path), "%s/big.json", dir);
  export_fails_with(gt_chrome_export, path, "File too large", 16 << 10);
  assert_int_equal(dir_entries(dir), 0);
  if (mount("tmpfs", dir, "tmpfs", 0, "size=64k") != 0) {
    print_message("skipped the disk-full half: cannot mount a tmpfs "
        "(%s; needs root)\n", strerror(errno));
  } else {
    export_fails_with(gt_chrome_export, path, "No space left on device",
        RLIM_INFINITY);
    assert_int_equal(dir_entries(dir), 0);
    snprintf(path, sizeof(path), "%s/big.csv", dir);
    export_fails_with(gt_csv_export, path, "No space left on device",
        RLIM_INFINITY);
    assert_int_equal(dir_entries(dir), 0);
    assert_int_equal(umount(dir), 0);
  }
  rmdir(dir);
}

/* The settings go before the CSV's header as "# key=value" lines, in
 * order; a control character or a byte that is not UTF-8 in one becomes
 * U+FFFD, so a value cannot break its line or start a row.  Then a line
 * per run: its mode and, when measured, other programs' share of its
 * CPU (issue 13: the contention measured is in every file).  Without
 * settings the header is the first line (test_csv_rows). */
static void
test_csv_settings(void **state)
{
  struct gt_recorder *rec = sample();
  struct gt_settings set = {0};
  char *text;

  (void)state;
  assert_int_equal(gt_settings_set(&set, "seed", "7", GT_SET_NUM), 0);
  assert_int_equal(gt_settings_set(&set, "spec", "a\nsync,0,x\xff.spec",
      GT_SET_STR), 0);
  gt_recorder_set_settings(rec, &set);
  gt_recorder_run_set_contention(rec, 1, 380);
  text = write_to_string(rec, gt_csv_write);
  if (strncmp(text, "# seed=7\n# spec=a\xef\xbf\xbdsync,0,x\xef\xbf\xbd"
      ".spec\n# run.1=mode sync\n# run.2=mode threads others_pm 380\n"
      CSV_HEADER "\n", strlen("# seed=7\n# spec=a\xef\xbf\xbd"
      "sync,0,x\xef\xbf\xbd.spec\n# run.1=mode sync\n# run.2=mode threads "
      "others_pm 380\n" CSV_HEADER "\n")) != 0)
    fail_msg("the CSV does not start with the settings, then the header:"
        "\n%.300s", text);
  free(text);
  gt_settings_clear(&set);
  gt_recorder_free(rec);
}

/* Another tool's trace, written as gantty's JSON (convert, e, --trace),
 * stays another tool's when read back: its runs carry GT_RUN_FOREIGN (the
 * view and report speak of threads and slices, never of ok, failed or in
 * flight), and that file exported again is the same bytes. */
static void
test_foreign_round_trip(void **state)
{
  char dir[] = "/tmp/gt_export_XXXXXX";
  char *in, *out1, *out2, *a, *b, *cause = NULL;
  struct gt_recorder *rec = gt_recorder_new(), *back = gt_recorder_new();
  struct gt_run_info ri;
  FILE *f;

  (void)state;
  assert_non_null(mkdtemp(dir));
  in = gt_xasprintf("%s/in.json", dir);
  out1 = gt_xasprintf("%s/out1.json", dir);
  out2 = gt_xasprintf("%s/out2.json", dir);
  f = fopen(in, "w");
  assert_non_null(f);
  fputs("[{\"ph\":\"X\",\"name\":\"a\",\"pid\":9,\"tid\":3,\"ts\":0,"
      "\"dur\":5},{\"ph\":\"X\",\"name\":\"b\",\"pid\":9,\"tid\":3,"
      "\"ts\":10,\"dur\":5}]\n", f);
  assert_int_equal(fclose(f), 0);
  assert_int_equal(gt_chrome_import(rec, in, NULL, NULL, NULL, &cause), 0);
  gt_recorder_run_get(rec, 0, &ri);
  assert_true(ri.flags & GT_RUN_FOREIGN);
  assert_int_equal(gt_chrome_export(rec, out1, &cause), 0);
  assert_int_equal(gt_chrome_import(back, out1, NULL, NULL, NULL, &cause),
      0);
  assert_int_equal(gt_recorder_runs(back), 1);
  gt_recorder_run_get(back, 0, &ri);
  assert_true(ri.flags & GT_RUN_FOREIGN);  /* still another tool's */
  assert_int_equal(gt_chrome_export(back, out2, &cause), 0);
  a = slurp(out1);
  b = slurp(out2);
  assert_string_equal(a, b);
  free(a);
  free(b);
  gt_recorder_free(rec);
  gt_recorder_free(back);
  unlink(in);
  unlink(out1);
  unlink(out2);
  rmdir(dir);
  free(in);
  free(out1);
  free(out2);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_csv_rows),
    cmocka_unit_test(test_foreign_round_trip),
    cmocka_unit_test(test_csv_settings),
    cmocka_unit_test(test_csv_export_file),
    cmocka_unit_test(test_svg),
    cmocka_unit_test(test_svg_empty),
    cmocka_unit_test(test_category_table),
    cmocka_unit_test(test_svg_category_colours),
    cmocka_unit_test(test_svg_legend_ready),
    cmocka_unit_test(test_svg_foreign_words),
    cmocka_unit_test(test_big_session),
    cmocka_unit_test(test_export_unwritable),
    cmocka_unit_test(test_export_planted_symlinks),
    cmocka_unit_test(test_export_real_errno),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
