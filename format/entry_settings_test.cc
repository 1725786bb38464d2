#include "format/entry_settings.h"

#include "gtest/gtest.h"

namespace pinbake {
namespace {

namespace tf = table_format;

TEST(EntrySettingsTest, EveryCombinationRoundTripsThroughFlags) {
  for (int bits = 0; bits < 32; ++bits) {
    EntrySettings s;
    s.include_subdomains = (bits & 1) != 0;
    s.include_subdomains_for_pinning = (bits & 2) != 0;
    s.force_https = (bits & 4) != 0;
    s.public_suffix_policy = (bits & 8) != 0;
    s.pin_mode = (bits & 16) != 0 ? PinMode::kReportOnly : PinMode::kEnforce;
    for (bool wildcard : {false, true}) {
      const uint8_t flags = EntryFlags(s, wildcard, /*has_pins=*/true);
      EXPECT_EQ(flags & ~tf::kKnownFlags, 0);
      EXPECT_TRUE(EntrySettingsFromFlags(flags, true).SameSettingsAs(s)) << bits;
      EXPECT_EQ(FlagsMarkWildcard(flags), wildcard);
    }
  }
}

TEST(EntrySettingsTest, FlagBitsAreTheFormatsBits) {
  EntrySettings s;
  s.include_subdomains = true;
  EXPECT_EQ(EntryFlags(s, false, false), tf::kFlagIncludeSubdomains);
  s = EntrySettings();
  s.include_subdomains_for_pinning = true;
  EXPECT_EQ(EntryFlags(s, false, false), tf::kFlagIncludeSubdomainsForPinning);
  s = EntrySettings();
  s.force_https = true;
  EXPECT_EQ(EntryFlags(s, false, false), tf::kFlagForceHttps);
  s = EntrySettings();
  s.public_suffix_policy = true;
  EXPECT_EQ(EntryFlags(s, false, false), tf::kFlagPublicSuffixPolicy);
  s = EntrySettings();
  s.pin_mode = PinMode::kReportOnly;
  EXPECT_EQ(EntryFlags(s, false, true), tf::kFlagReportOnly);
  EXPECT_EQ(EntryFlags(EntrySettings(), true, false), tf::kFlagWildcard);
}

TEST(EntrySettingsTest, ReportOnlyNeedsPins) {
  EntrySettings s;
  s.pin_mode = PinMode::kReportOnly;
  EXPECT_EQ(EntryFlags(s, false, /*has_pins=*/false), 0);
  EXPECT_EQ(EntrySettingsFromFlags(tf::kFlagReportOnly, /*has_pins=*/false).pin_mode,
            PinMode::kEnforce);
}

TEST(EntrySettingsTest, PinModeNamesRoundTrip) {
  for (PinMode m : {PinMode::kEnforce, PinMode::kReportOnly}) {
    EXPECT_EQ(PinModeFromName(PinModeName(m)), m);
  }
  EXPECT_EQ(PinModeFromName("Enforce"), std::nullopt);
  EXPECT_EQ(PinModeFromName(""), std::nullopt);
}

TEST(EntrySettingsTest, CoverageFollowsTheRuntimeRule) {
  EntrySettings s;
  EXPECT_FALSE(s.covers_subdomains_for_pins());
  s.include_subdomains_for_pinning = true;
  EXPECT_TRUE(s.covers_subdomains_for_pins());
  EXPECT_FALSE(s.covers_subdomains_for_hsts());
  s = EntrySettings();
  s.include_subdomains = true;
  EXPECT_TRUE(s.covers_subdomains_for_pins());
  EXPECT_TRUE(s.covers_subdomains_for_hsts());
}

}  // namespace
}  // namespace pinbake
