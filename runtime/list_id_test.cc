#include "runtime/list_id.h"

#include <string>

#include "gtest/gtest.h"

namespace pinbake {
namespace {

TEST(ListIdTest, AcceptsShortLowercaseNames) {
  for (const char* id : {"a", "0", "example-app", "acme.tls.v2", "a_b",
                         "abcdefghijklmnopqrstuvwxyz012345"}) {
    EXPECT_TRUE(IsValidListId(id)) << id;
  }
}

TEST(ListIdTest, RefusesEverythingElse) {
  for (const char* id : {"", "-a", ".a", "_a", "A", "Example", "a b", "a/b",
                         "a\xc3\xa9", "abcdefghijklmnopqrstuvwxyz0123456"}) {
    EXPECT_FALSE(IsValidListId(id)) << id;
  }
  EXPECT_FALSE(IsValidListId(std::string("a\0b", 3)));
}

}  // namespace
}  // namespace pinbake
