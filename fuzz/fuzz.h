/*
 * fuzz/fuzz.h: what every harness shares.
 *
 * A harness defines LLVMFuzzerTestOneInput (and may define
 * LLVMFuzzerInitialize).  With -DGT_FUZZ=ON (clang) it is linked with
 * libFuzzer; in every other build the same file is linked with driver.c,
 * which feeds it the committed corpus and regression inputs once each, as
 * a ctest (fuzz/CMakeLists.txt).
 */
#ifndef GT_FUZZ_H
#define GT_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A scratch folder of this process's own (made once, under $TMPDIR or
 * /tmp, removed at exit); aborts when it cannot be made. */
const char *gt_fuzz_dir(void);

#endif
