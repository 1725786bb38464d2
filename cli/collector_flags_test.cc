#include "cli/collector_flags.h"

#include "gtest/gtest.h"

namespace pinbake {
namespace cli {
namespace {

TEST(ParseSinceDurationTest, DaysHoursMinutes) {
  EXPECT_EQ(ParseSinceDuration("7d"), absl::Hours(24 * 7));
  EXPECT_EQ(ParseSinceDuration("24h"), absl::Hours(24));
  EXPECT_EQ(ParseSinceDuration("90m"), absl::Minutes(90));
  EXPECT_EQ(ParseSinceDuration("2d12h"), absl::Hours(60));
}

TEST(ParseSinceDurationTest, RefusesJunkZeroAndNegative) {
  for (const char* bad : {"", "d", "x", "-1h", "0h", "0d", "1dd", "inf",
                          "99999999999d", "3 days"}) {
    EXPECT_EQ(ParseSinceDuration(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace cli
}  // namespace pinbake
