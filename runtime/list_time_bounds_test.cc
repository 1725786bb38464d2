#include "runtime/list_time_bounds.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pinbake {
namespace {

using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1795000000);  // 2026-11-18.

TEST(ListTimeBoundsTest, TimestampUpToOneDayAheadIsAccepted) {
  const int64_t now = absl::ToUnixSeconds(kNow);
  EXPECT_FALSE(IsTimestampTooFarAhead(now, kNow));
  EXPECT_FALSE(IsTimestampTooFarAhead(now - 86400 * 1000, kNow));
  EXPECT_FALSE(IsTimestampTooFarAhead(now + 86400, kNow));
  EXPECT_TRUE(IsTimestampTooFarAhead(now + 86401, kNow));
  EXPECT_FALSE(IsTimestampTooFarAhead(0, kNow));  // No timestamp.
}

TEST(ListTimeBoundsTest, MillisecondsMistakeIsRefusedAndExplained) {
  const int64_t millis = absl::ToUnixMillis(kNow);  // Year 58850-ish.
  EXPECT_TRUE(IsTimestampTooFarAhead(millis, kNow));
  // The 59009 of issue 10.
  const int64_t year_59009 = 1800000000000;
  EXPECT_TRUE(IsTimestampTooFarAhead(year_59009, kNow));
  const std::string message = TooFarAheadMessage(year_59009, kNow);
  EXPECT_THAT(message, HasSubstr("59009-"));
  EXPECT_THAT(message, HasSubstr("not milliseconds"));
  EXPECT_THAT(message, HasSubstr("24h"));
}

TEST(ListTimeBoundsTest, MaxAgeCappedAt365Days) {
  EXPECT_FALSE(IsMaxAgeTooLong(1));
  EXPECT_FALSE(IsMaxAgeTooLong(365));
  EXPECT_TRUE(IsMaxAgeTooLong(366));
  EXPECT_TRUE(IsMaxAgeTooLong(0xffffffffu));
  EXPECT_THAT(MaxAgeTooLongMessage(400), HasSubstr("max_age_days 400"));
}

TEST(ListTimeBoundsTest, ExpiryIsTimestampPlusMaxAgeDays) {
  EXPECT_EQ(ListExpiry(1796083200, 70),
            absl::FromUnixSeconds(1796083200) + absl::Hours(24 * 70));
  EXPECT_EQ(ListExpiry(1796083200, 0), absl::FromUnixSeconds(1796083200));
  // The largest max_age_days does not overflow.
  EXPECT_EQ(ListExpiry(0, 0xffffffffu),
            absl::FromUnixSeconds(0) + absl::Hours(24) * 0xffffffffu);
}

TEST(ListTimeBoundsTest, TimeTextIsRfc3339UtcSeconds) {
  EXPECT_EQ(UtcTimeText(absl::FromUnixSeconds(1796083200)),
            "2026-12-01T00:00:00Z");
  EXPECT_EQ(UtcTimeText(absl::FromUnixMillis(1796083200999)),
            "2026-12-01T00:00:00Z");  // Seconds only, truncated.
  EXPECT_EQ(ListTimeText(1796083200), "2026-12-01T00:00:00Z");
  EXPECT_EQ(ListTimeText(0), "1970-01-01T00:00:00Z");
}

}  // namespace
}  // namespace pinbake
