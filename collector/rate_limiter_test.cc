#include "collector/rate_limiter.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace pinbake {
namespace collector {
namespace {

TEST(RateLimiterTest, BurstThenRefill) {
  RateLimiter limiter(/*per_second=*/2, /*burst=*/3);
  const absl::Time t0 = absl::FromUnixSeconds(1000);
  EXPECT_TRUE(limiter.Allow("1.2.3.4", t0));
  EXPECT_TRUE(limiter.Allow("1.2.3.4", t0));
  EXPECT_TRUE(limiter.Allow("1.2.3.4", t0));
  EXPECT_FALSE(limiter.Allow("1.2.3.4", t0));
  EXPECT_TRUE(limiter.Allow("5.6.7.8", t0));  // Per address.
  EXPECT_TRUE(limiter.Allow("1.2.3.4", t0 + absl::Milliseconds(500)));
  EXPECT_FALSE(limiter.Allow("1.2.3.4", t0 + absl::Milliseconds(500)));
  // A clock going backwards gives no tokens.
  EXPECT_FALSE(limiter.Allow("1.2.3.4", t0 - absl::Hours(1)));
}

TEST(RateLimiterTest, OffWhenRateNotPositive) {
  RateLimiter limiter(0, 1);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_TRUE(limiter.Allow("a", absl::FromUnixSeconds(1)));
  }
}

TEST(RateLimiterTest, ManyAddressesStayBounded) {
  RateLimiter limiter(1, 1);
  const absl::Time t0 = absl::FromUnixSeconds(1000);
  for (size_t i = 0; i < RateLimiter::kMaxAddresses + 10; ++i) {
    EXPECT_TRUE(limiter.Allow(absl::StrCat("10.0.", i), t0));
  }
}

}  // namespace
}  // namespace collector
}  // namespace pinbake
