#include "export/okhttp.h"

#include <string>

#include "export/exporter.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pinbake {
namespace {

using ::testing::HasSubstr;

SpkiHash Hash(uint8_t b) {
  SpkiHash h;
  h.bytes.fill(b);
  return h;
}

PinListModel TwoPinModel() {
  PinListModel model;
  model.list.timestamp = 1502841600;
  model.pinsets.push_back({"main", {Hash(1), Hash(2)}, {}, "", "pinsets[0]"});
  return model;
}

HostEntry Entry(std::string name, std::string location, bool subdomains) {
  HostEntry e;
  e.name = std::move(name);
  e.location = std::move(location);
  e.include_subdomains = subdomains;
  e.pinset = "main";
  return e;
}

TEST(OkHttpTest, PatternRules) {
  EXPECT_TRUE(OkHttpPatternMatches("example.com", "example.com"));
  EXPECT_FALSE(OkHttpPatternMatches("example.com", "a.example.com"));
  EXPECT_TRUE(OkHttpPatternMatches("*.example.com", "a.example.com"));
  EXPECT_FALSE(OkHttpPatternMatches("*.example.com", "example.com"));
  EXPECT_FALSE(OkHttpPatternMatches("*.example.com", "a.b.example.com"));
  EXPECT_FALSE(OkHttpPatternMatches("*.example.com", "xexample.com"));
  EXPECT_TRUE(OkHttpPatternMatches("**.example.com", "example.com"));
  EXPECT_TRUE(OkHttpPatternMatches("**.example.com", "a.b.example.com"));
  EXPECT_FALSE(OkHttpPatternMatches("**.example.com", "xexample.com"));
}

TEST(OkHttpTest, UnionOfEveryMatchingPattern) {
  OkHttpConfig config;
  config.patterns.push_back({"**.example.com", {Hash(1)}, "example.com"});
  config.patterns.push_back({"a.example.com", {Hash(2)}, "a.example.com"});
  config.patterns.push_back({"*.example.com", {Hash(3)}, "*.example.com"});
  config.Index();
  const PlatformAnswer a = OkHttpAnswer(config, "a.example.com");
  EXPECT_TRUE(a.pinned);
  EXPECT_EQ(a.good.size(), 3u);
  EXPECT_EQ(OkHttpAnswer(config, "b.a.example.com").good.size(), 1u);
  EXPECT_FALSE(OkHttpAnswer(config, "example.org").pinned);
}

TEST(OkHttpTest, IncludeSubdomainsIsDoubleStarInVersion4) {
  PinListModel model = TwoPinModel();
  model.entries.push_back(Entry("example.com", "entries[0]", true));
  ExportOptions options;
  absl::StatusOr<ExportResult> result = ExportPinList(model, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->findings.empty()) << result->findings[0].Text();
  ASSERT_EQ(result->files.size(), 1u);
  EXPECT_THAT(result->files[0].contents,
              HasSubstr(".add(\"**.example.com\", \"sha256/"));
  EXPECT_THAT(result->files[0].contents,
              HasSubstr("EXPIRES_AT_UNIX_SECONDS = 1508889600L"));
}

TEST(OkHttpTest, Version3LosesDeepSubdomains) {
  PinListModel model = TwoPinModel();
  model.entries.push_back(Entry("example.com", "entries[0]", true));
  ExportOptions options;
  options.okhttp_version = 3;
  absl::StatusOr<ExportResult> result = ExportPinList(model, options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->findings.size(), 1u);
  EXPECT_EQ(result->findings[0].entry, "example.com");
  EXPECT_THAT(result->findings[0].message,
              HasSubstr("for a.pinbake-sample.example.com okhttp-java would "
                        "not pin it (pinbake: enforces 2 pin(s)"));
  EXPECT_TRUE(result->files.empty());
}

TEST(OkHttpTest, ExclusionUnderIncludeSubdomainsIsRefusedOrLossy) {
  PinListModel model = TwoPinModel();
  model.entries.push_back(Entry("example.com", "entries[0]", true));
  HostEntry excluded = Entry("staging.example.com", "entries[1]", false);
  excluded.pinset.clear();
  excluded.exclude = true;
  model.entries.push_back(excluded);
  ExportOptions options;
  absl::StatusOr<ExportResult> result = ExportPinList(model, options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->findings.size(), 1u);
  EXPECT_EQ(result->findings[0].entry, "staging.example.com");
  EXPECT_EQ(result->findings[0].location, "entries[1]");
  EXPECT_THAT(result->findings[0].message,
              HasSubstr("for staging.example.com okhttp-java would pin it to "
                        "2 key(s) (sha256/AQEBAQEBAQEB..., "
                        "sha256/AgICAgICAgIC...) by example.com (pinbake: not "
                        "pinned (by staging.example.com))"));
  EXPECT_TRUE(result->files.empty());

  options.lossy = true;
  result = ExportPinList(model, options);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->files.size(), 1u);
  EXPECT_THAT(result->files[0].contents,
              HasSubstr("// lossy: entries[1] staging.example.com: "));
}

TEST(OkHttpTest, BlockedPinIsRefused) {
  PinListModel model = TwoPinModel();
  model.pinsets[0].bad.push_back(Hash(3));
  model.entries.push_back(Entry("example.com", "entries[0]", false));
  absl::StatusOr<ExportResult> result = ExportPinList(model, {});
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->findings.size(), 1u);
  EXPECT_EQ(result->findings[0].entry, "example.com");
  EXPECT_THAT(result->findings[0].message,
              HasSubstr("okhttp-java would not block sha256/AwMDAwMDAwMD... "
                        "(pinbake: enforces 2 pin(s)"));
  EXPECT_THAT(result->findings[0].message, HasSubstr("blocks 1 key(s)"));
}

TEST(OkHttpTest, BadOptionsAreErrors) {
  PinListModel model = TwoPinModel();
  ExportOptions options;
  options.package_name = "a;b";
  EXPECT_FALSE(ExportPinList(model, options).ok());
  options = {};
  options.class_name = "class";
  EXPECT_FALSE(ExportPinList(model, options).ok());
  options = {};
  options.okhttp_version = 5;
  EXPECT_FALSE(ExportPinList(model, options).ok());
}

}  // namespace
}  // namespace pinbake
