#include <gtest/gtest.h>
#include "absl/strings/str_cat.h"
#include <openssl/sha.h>
#include <re2/re2.h>
#include <libpsl.h>
#include <nlohmann/json.hpp>
TEST(Smoke, Works) { EXPECT_EQ(absl::StrCat("a", 1), "a1"); EXPECT_TRUE(RE2::FullMatch("ab", "a.")); 
 const psl_ctx_t* p = psl_latest(nullptr); ASSERT_NE(p, nullptr); EXPECT_TRUE(psl_is_public_suffix(p, "co.uk")); EXPECT_TRUE(psl_is_public_suffix(p, "appspot.com")); }
