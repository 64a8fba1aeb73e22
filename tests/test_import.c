/* tests/test_import.c: to be written (Chrome JSON import). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

static void
test_placeholder(void **state)
{
  (void)state;
  fail_msg("test_import is not written yet");
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_placeholder),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
