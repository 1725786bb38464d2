// FUZZ_CHECK: an invariant check for fuzz targets that stays on in every
// build mode (assert() is compiled out with NDEBUG) and aborts, which
// libFuzzer reports as a crash with the input that caused it.

#ifndef PINBAKE_TESTS_FUZZ_FUZZ_CHECK_H_
#define PINBAKE_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                 \
  do {                                                                   \
    if (!(cond)) {                                                       \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__,   \
                   __LINE__, #cond);                                     \
      std::abort();                                                      \
    }                                                                    \
  } while (0)

#endif  // PINBAKE_TESTS_FUZZ_FUZZ_CHECK_H_
