#include "runtime/group_filter.h"

#include <cstdint>
#include <string>

#include "gtest/gtest.h"

namespace pinbake {
namespace {

const uint8_t* Bytes(const std::string& s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

TEST(GroupFilterTest, EmptyFilterSaysMaybe) {
  GroupFilter filter;
  EXPECT_TRUE(filter.MayContain(1, Bytes("abc"), 3));
  EXPECT_EQ(filter.bytes(), 0u);
}

TEST(GroupFilterTest, NeverForgetsWhatWasAdded) {
  GroupFilter filter(2000);
  for (int i = 0; i < 2000; ++i) {
    const std::string s = "group" + std::to_string(i) + "-and-some-length";
    filter.Add(i % 2 + 1, Bytes(s), s.size());
  }
  for (int i = 0; i < 2000; ++i) {
    const std::string s = "group" + std::to_string(i) + "-and-some-length";
    EXPECT_TRUE(filter.MayContain(i % 2 + 1, Bytes(s), s.size())) << s;
  }
}

TEST(GroupFilterTest, MostAbsentGroupsAreNotHere) {
  GroupFilter filter(1000);
  for (int i = 0; i < 1000; ++i) {
    const std::string s = "in" + std::to_string(i);
    filter.Add(2, Bytes(s), s.size());
  }
  int maybe = 0;
  for (int i = 0; i < 10000; ++i) {
    const std::string s = "out" + std::to_string(i);
    maybe += filter.MayContain(2, Bytes(s), s.size()) ? 1 : 0;
  }
  // About 1 in 16 expected; a broken hash or size gives far more.
  EXPECT_LT(maybe, 1500);
  // The tag separates groups: the same bytes under another tag are
  // mostly absent too.
  int other = 0;
  for (int i = 0; i < 1000; ++i) {
    const std::string s = "in" + std::to_string(i);
    other += filter.MayContain(1, Bytes(s), s.size()) ? 1 : 0;
  }
  EXPECT_LT(other, 200);
}

}  // namespace
}  // namespace pinbake
