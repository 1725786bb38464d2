#include "cli/command_line.h"

#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace pinbake {
namespace {

TEST(ParseTimeArgumentTest, Rfc3339AndUnixSeconds) {
  EXPECT_EQ(ParseTimeArgument("2026-12-01T00:00:00Z"),
            absl::FromUnixSeconds(1796083200));
  EXPECT_EQ(ParseTimeArgument("1796083200"), absl::FromUnixSeconds(1796083200));
  EXPECT_EQ(ParseTimeArgument("yesterday"), std::nullopt);
  EXPECT_EQ(ParseTimeArgument(""), std::nullopt);
}

TEST(ParseTimeArgumentTest, NowIsTheCurrentTime) {
  const absl::Time before = absl::Now();
  const std::optional<absl::Time> now = ParseTimeArgument("now");
  const absl::Time after = absl::Now();
  ASSERT_TRUE(now.has_value());
  EXPECT_LE(before, *now);
  EXPECT_LE(*now, after);
  EXPECT_EQ(ParseTimeArgument("Now"), std::nullopt);
}

}  // namespace
}  // namespace pinbake
