/*
 * tests/test_base.c: gt_base's helpers, from their definitions in base.h:
 * gt_escape() shows control characters as cat -v does, bytes that are not
 * UTF-8 as \xNN, keeps valid UTF-8, and cuts only between whole escapes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base.h"
#include "support/splitmix.h"

/* Each input and what gt_escape() shows for it. */
static void
test_escape_table(void **state)
{
  static const struct { const char *in, *want; } cases[] = {
    { "", "" },
    { "genre 0, GET /genre?i=1", "genre 0, GET /genre?i=1" },
    { "\x1b]0;TITLE\x07\x1b[2J", "^[]0;TITLE^G^[[2J" },
    { "a\nb\tc\rd", "a^Jb^Ic^Md" },
    { "\x01\x1f", "^A^_" },
    { "\x7f", "^?" },
    { "\xc2\x9b" "1m", "M-^[1m" },        /* U+009B, CSI */
    { "\xc2\x80\xc2\x9f", "M-^@M-^_" },    /* the ends of C1 */
    { "\xc2\xa0", "\xc2\xa0" },            /* U+00A0 is text */
    { "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80",
      "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80" },
    { "\xff", "\\xff" },
    { "\x9b", "\\x9b" },                   /* a lone C1 byte */
    { "\xc0\x80", "\\xc0\\x80" },          /* overlong */
    { "\xe2\x9c", "\\xe2\\x9c" },          /* cut short */
    { "\xed\xa0\x80", "\\xed\\xa0\\x80" }, /* a surrogate */
    { "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80" },  /* past U+10FFFF */
  };
  char buf[64], *x;
  size_t i;

  (void)state;
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    assert_int_equal(gt_escape(buf, sizeof(buf), cases[i].in),
        strlen(cases[i].want));
    if (strcmp(buf, cases[i].want) != 0)
      fail_msg("case %zu: got \"%s\", want \"%s\"", i, buf, cases[i].want);
    x = gt_xescape(cases[i].in);
    assert_string_equal(x, cases[i].want);
    free(x);
  }
}

/* Like snprintf: the length of the whole, and a cut between escapes and
 * characters, never inside one. */
static void
test_escape_cut(void **state)
{
  char buf[8];

  (void)state;
  assert_int_equal(gt_escape(NULL, 0, "\x1b"), 2);
  assert_int_equal(gt_escape(buf, 4, "\x1b\x1b\x1b"), 6);
  assert_string_equal(buf, "^[");
  assert_int_equal(gt_escape(buf, 3, "\xc3\xa9\xc3\xa9"), 4);
  assert_string_equal(buf, "\xc3\xa9");
  assert_int_equal(gt_escape(buf, 2, "\xc3\xa9"), 2);
  assert_string_equal(buf, "");
  assert_int_equal(gt_escape(buf, 5, "ab\xff"), 6);
  assert_string_equal(buf, "ab");
  assert_int_equal(gt_escape(buf, 1, "x"), 1);
  assert_string_equal(buf, "");
}

/* cp as UTF-8 into buf, NUL-terminated. */
static void
utf8_of(unsigned cp, char *buf)
{
  if (cp < 0x800) {
    buf[0] = (char)(0xc0 | cp >> 6);
    buf[1] = (char)(0x80 | (cp & 0x3f));
    buf[2] = '\0';
  } else if (cp < 0x10000) {
    buf[0] = (char)(0xe0 | cp >> 12);
    buf[1] = (char)(0x80 | (cp >> 6 & 0x3f));
    buf[2] = (char)(0x80 | (cp & 0x3f));
    buf[3] = '\0';
  } else {
    buf[0] = (char)(0xf0 | cp >> 18);
    buf[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    buf[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    buf[3] = (char)(0x80 | (cp & 0x3f));
    buf[4] = '\0';
  }
}

/* The format characters that reorder or hide text (base.h: Unicode's Cf
 * a terminal acts on or hides, the tags among them, and the line and
 * paragraph separators) are shown as <U+XXXX>, each range's neighbours
 * kept; characters above U+FFFF are decoded as themselves; and escaping
 * escaped text changes nothing. */
static void
test_escape_format_chars(void **state)
{
  static const unsigned ranges[][2] = {
    { 0x00ad, 0x00ad }, { 0x061c, 0x061c }, { 0x180e, 0x180e },
    { 0x200b, 0x200f }, { 0x2028, 0x2029 }, { 0x202a, 0x202e },
    { 0x2060, 0x2064 }, { 0x2066, 0x206f }, { 0xfeff, 0xfeff },
    { 0xfff9, 0xfffb }, { 0xe0001, 0xe0001 }, { 0xe0020, 0xe007f },
  };
  static const unsigned kept[] = { 0x00ac, 0x00ae, 0x061b, 0x061d,
    0x180d, 0x180f, 0x200a, 0x2010, 0x2027, 0x202f, 0x205f, 0x2065,
    0x2070, 0xfefe, 0xff00, 0xfff8, 0xfffc, 0xe0000, 0xe0002, 0xe001f,
    0xe0080, 0x00e9, 0x1f600, 0x10000, 0x10ffff };
  char in[16], want[16], *x, *y;
  size_t i;
  unsigned cp;

  (void)state;
  for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
    for (cp = ranges[i][0]; cp <= ranges[i][1]; cp++) {
      utf8_of(cp, in);
      snprintf(want, sizeof(want), "<U+%04X>", cp);
      assert_true(gt_format_char(cp));
      x = gt_xescape(in);
      if (strcmp(x, want) != 0)
        fail_msg("U+%04X: got \"%s\", want \"%s\"", cp, x, want);
      y = gt_xescape(x);
      assert_string_equal(y, x);
      free(x);
      free(y);
    }
  for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
    utf8_of(kept[i], in);
    x = gt_xescape(in);
    if (strcmp(x, in) != 0)
      fail_msg("U+%04X: got \"%s\", want it kept", kept[i], x);
    free(x);
  }
  for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
    assert_false(gt_format_char(kept[i]));
  /* "hi" with an instruction hidden in tags, as "ASCII smuggling" does */
  x = gt_xescape("hi\xf3\xa0\x80\x81\xf3\xa0\x81\xa9\xf3\xa0\x81\xbf");
  assert_string_equal(x, "hi<U+E0001><U+E0069><U+E007F>");
  y = gt_xescape(x);
  assert_string_equal(y, x);
  free(x);
  free(y);
  x = gt_xescape("a\xe2\x80\xae" "b\x1b[2J\xff\xef\xbb\xbf");
  assert_string_equal(x, "a<U+202E>b^[[2J\\xff<U+FEFF>");
  y = gt_xescape(x);
  assert_string_equal(y, x);
  free(x);
  free(y);
}

/* The longest run of full slots in m: what a lookup may probe. */
static size_t
longest_run(const struct gt_idmap *m)
{
  size_t i, run = 0, most = 0;

  for (i = 0; i < 2 * m->cap; i++) {  /* twice round: runs wrap */
    run = m->keys[i & (m->cap - 1)] != 0 ? run + 1 : 0;
    if (run > most)
      most = run;
  }
  return most;
}

/* Ids a file chose to land in one slot under a fixed hash (the old
 * (id + 1) * K folded, or splitmix64's finaliser unseeded) spread like
 * any others: the map's hash is keyed by a seed the file cannot know. */
static void
test_idmap_flood(void **state)
{
  const size_t n = 4000;
  struct gt_idmap m;
  size_t i, set, runs[3];
  uint64_t id;

  (void)state;
  assert_int_equal(fin_inv(fin(12345)), 12345);
  for (set = 0; set < 3; set++) {
    memset(&m, 0, sizeof(m));
    for (i = 0; i < n; i++) {
      if (set == 0)
        id = i;
      else if (set == 1)  /* z = (id + 1) * K with z >> 29 low bits 0 */
        id = ((uint64_t)(i + 1) << 45) * inv_mul(0x9e3779b97f4a7c15ull) - 1;
      else
        id = fin_inv((uint64_t)(i + 1) << 20);
      *gt_idmap_slot(&m, id, SIZE_MAX) = i;
    }
    for (i = 0; i < n; i++) {
      id = set == 0 ? i : set == 1 ? ((uint64_t)(i + 1) << 45)
          * inv_mul(0x9e3779b97f4a7c15ull) - 1
          : fin_inv((uint64_t)(i + 1) << 20);
      assert_int_equal(gt_idmap_get(&m, id, SIZE_MAX), i);
    }
    runs[set] = longest_run(&m);
    gt_idmap_free(&m);
  }
  /* a flood is one run of all n; half full, a run of 100 is unheard of */
  if (runs[0] > n / 8 || runs[1] > n / 8 || runs[2] > n / 8)
    fail_msg("longest runs: sequential %zu, flood on the old hash %zu, on "
        "the unseeded finaliser %zu, of %zu ids", runs[0], runs[1],
        runs[2], n);
}

/* gt_url_shown() hides the password of a URL's user information, and
 * only it. */
static void
test_url_shown(void **state)
{
  static const struct { const char *in, *want; } cases[] = {
    { "http://bob:pw@h:1/x", "http://bob:***@h:1/x" },
    { "http://bob:p@w@h/x?a@b", "http://bob:***@h/x?a@b" },
    { "http://bob@h/x", "http://bob@h/x" },
    { "http://h/x:y@z", "http://h/x:y@z" },
    { "/genre", "/genre" },
  };
  size_t i;
  char *x;

  (void)state;
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    x = gt_url_shown(cases[i].in);
    assert_string_equal(x, cases[i].want);
    free(x);
  }
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_escape_table),
    cmocka_unit_test(test_escape_format_chars),
    cmocka_unit_test(test_escape_cut),
    cmocka_unit_test(test_idmap_flood),
    cmocka_unit_test(test_url_shown),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
