#include "export/chromium.h"

#include <string>

#include "export/exporter.h"
#include "export/round_trip_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pinbake {
namespace {

using ::testing::HasSubstr;

ExportOptions Chromium() {
  ExportOptions options;
  options.format = ExportFormat::kChromium;
  return options;
}

TEST(ChromiumTest, DeepestAncestorEntryDecides) {
  ChromiumConfig config;
  config.pinsets.push_back({"p", {TestHash(1), TestHash(2)}, {}, "", ""});
  config.entries.push_back({"example.com", true, "p"});
  config.entries.push_back({"a.example.com", false, ""});
  config.Index();
  EXPECT_TRUE(ChromiumAnswer(config, "example.com").pinned);
  EXPECT_TRUE(ChromiumAnswer(config, "b.example.com").pinned);
  EXPECT_FALSE(ChromiumAnswer(config, "a.example.com").pinned);
  // a.example.com has no include_subdomains but hides example.com.
  EXPECT_FALSE(ChromiumAnswer(config, "x.a.example.com").pinned);
  EXPECT_FALSE(ChromiumAnswer(config, "example.org").pinned);
}

TEST(ChromiumTest, RoundTripThroughPinbakeCompile) {
  PinListModel model = LosslessModel();
  model.pinsets[0].bad.push_back(TestHash(9));  // Chromium blocks keys too.
  HostEntry staging;
  staging.name = "staging.example.com";
  staging.location = "entries[2]";
  staging.include_subdomains = true;
  staging.exclude = true;
  model.entries.push_back(staging);
  absl::StatusOr<ExportResult> result = ExportPinList(model, Chromium());
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_TRUE(result->findings.empty()) << result->findings[0].Text();
  ASSERT_EQ(result->files.size(), 2u);
  EXPECT_EQ(result->files[1].suffix, ".pins");
  EXPECT_THAT(result->files[1].contents,
              HasSubstr("PinsListTimestamp\n1764547200\n"));
  const std::string json =
      WriteTestFile("chromium_pins.json", result->files[0].contents);
  const std::string pins =
      WriteTestFile("chromium_pins.pins", result->files[1].contents);
  const std::string table = CompileListFile(json, pins);
  ASSERT_FALSE(table.empty());
  ExpectSameAnswers(model, table, kChromiumAspects);
}

TEST(ChromiumTest, ReportOnlyAndWildcardsAreRefused) {
  PinListModel model = LosslessModel();
  model.entries[1].pin_mode = PinMode::kReportOnly;
  HostEntry wildcard;
  wildcard.name = "*.cdn.example.net";
  wildcard.location = "entries[2]";
  wildcard.pinset = "main";
  model.entries.push_back(wildcard);
  absl::StatusOr<ExportResult> result = ExportPinList(model, Chromium());
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->findings.size(), 2u);
  EXPECT_EQ(result->findings[0].entry, "accounts.example.org");
  EXPECT_EQ(result->findings[1].entry, "*.cdn.example.net");
  EXPECT_THAT(result->findings[1].message,
              HasSubstr("chromium would not pin it"));
  EXPECT_TRUE(result->files.empty());
}

TEST(ChromiumTest, HiddenAncestorIsADifference) {
  PinListModel model = LosslessModel();
  HostEntry hsts_only;
  hsts_only.name = "www.example.com";
  hsts_only.location = "entries[2]";
  hsts_only.force_https = true;
  model.entries.push_back(hsts_only);
  absl::StatusOr<ExportResult> result = ExportPinList(model, Chromium());
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_FALSE(result->findings.empty());
  // pinbake: a.www.example.com gets example.com's pins; Chromium stops at
  // www.example.com.
  EXPECT_THAT(result->findings[0].message,
              HasSubstr("chromium would not pin it (decided by www.example.com)"));
}

TEST(ChromiumTest, MaxAgeOtherThan70IsAFinding) {
  PinListModel model = LosslessModel();
  model.list.max_age_days = 30;
  absl::StatusOr<ExportResult> result = ExportPinList(model, Chromium());
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->findings.size(), 1u);
  EXPECT_EQ(result->findings[0].location, "list.max_age_days");
}

}  // namespace
}  // namespace pinbake
