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

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_escape_table),
    cmocka_unit_test(test_escape_cut),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
