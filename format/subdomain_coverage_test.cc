#include "format/subdomain_coverage.h"

#include <gtest/gtest.h>

namespace pinbake {
namespace {

TEST(SubdomainCoverageTest, PinsReachSubdomainsWithEitherFlag) {
  EXPECT_FALSE(CoversSubdomainsForPins(false, false));
  EXPECT_TRUE(CoversSubdomainsForPins(true, false));
  EXPECT_TRUE(CoversSubdomainsForPins(false, true));
  EXPECT_TRUE(CoversSubdomainsForPins(true, true));
}

TEST(SubdomainCoverageTest, HstsReachesSubdomainsOnlyWithIncludeSubdomains) {
  EXPECT_FALSE(CoversSubdomainsForHsts(false));
  EXPECT_TRUE(CoversSubdomainsForHsts(true));
}

}  // namespace
}  // namespace pinbake
