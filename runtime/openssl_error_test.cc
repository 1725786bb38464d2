#include "runtime/openssl_error.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include "gtest/gtest.h"

namespace pinbake {
namespace {

void PushTwoErrors() {
  ERR_raise(ERR_LIB_PEM, PEM_R_BAD_BASE64_DECODE);
  ERR_raise(ERR_LIB_PEM, PEM_R_NO_START_LINE);
}

TEST(OpenSslErrorTest, LastReasonPeeksTheNewestError) {
  ERR_clear_error();
  EXPECT_EQ(LastOpenSslErrorReason("none"), "none");
  PushTwoErrors();
  EXPECT_EQ(LastOpenSslErrorReason("none"), "no start line");
  EXPECT_NE(ERR_peek_error(), 0u);  // Still queued.
  ERR_clear_error();
}

TEST(OpenSslErrorTest, DrainJoinsOldestFirstAndEmptiesTheQueue) {
  ERR_clear_error();
  EXPECT_EQ(DrainOpenSslErrors(), "");
  PushTwoErrors();
  const std::string text = DrainOpenSslErrors();
  const size_t bad_base64 = text.find("bad base64 decode");
  const size_t no_start = text.find("no start line");
  ASSERT_NE(bad_base64, std::string::npos) << text;
  ASSERT_NE(no_start, std::string::npos) << text;
  EXPECT_LT(bad_base64, no_start);
  EXPECT_NE(text.find("; "), std::string::npos) << text;
  EXPECT_EQ(ERR_peek_error(), 0u);
}

TEST(OpenSslErrorTest, ScopeClearsOnEntryAndExit) {
  PushTwoErrors();
  {
    OpenSslErrorScope scope;
    EXPECT_EQ(ERR_peek_error(), 0u);  // An earlier error is not ours.
    PushTwoErrors();
  }
  EXPECT_EQ(ERR_peek_error(), 0u);  // Ours does not leak.
}

}  // namespace
}  // namespace pinbake
