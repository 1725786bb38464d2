#include "export/list_json.h"

#include "export/round_trip_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pinbake {
namespace {

using ::testing::HasSubstr;

TEST(ListJsonTest, CompilesToTheSameAnswers) {
  PinListModel model = LosslessModel();
  model.entries[1].pin_mode = PinMode::kReportOnly;
  model.entries[1].include_subdomains_for_pinning = true;
  model.entries[0].force_https = true;
  const std::string text = ModelToListJson(model, {"a comment"});
  EXPECT_THAT(text, HasSubstr("// a comment\n{"));
  EXPECT_THAT(text, HasSubstr("\"pin_mode\": \"report-only\""));
  const std::string table =
      CompileListFile(WriteTestFile("list_json.json", text), "");
  ASSERT_FALSE(table.empty());
  ExpectSameAnswers(model, table, {true, true, true, true});
}

TEST(ListJsonTest, ImportedLifetime) {
  ImportedList imported;
  SetImportedLifetime(1000, 1000 + 30 * 86400 + 5, &imported);
  EXPECT_EQ(imported.model.list.timestamp, 1000);
  EXPECT_EQ(imported.model.list.max_age_days, 30);
  EXPECT_TRUE(imported.warnings.empty());
  SetImportedLifetime(1000, 1000 + 900 * 86400, &imported);
  EXPECT_EQ(imported.model.list.max_age_days, 365);
  SetImportedLifetime(1000, std::nullopt, &imported);
  EXPECT_EQ(imported.model.list.max_age_days, 70);
  EXPECT_EQ(imported.warnings.size(), 2u);
}

TEST(ListJsonTest, SharedPinsetIsReused) {
  ImportedList imported;
  const std::vector<SpkiHash> a = {TestHash(1), TestHash(2)};
  EXPECT_EQ(SharedPinset(a, "", "nsc", &imported), "nsc-1");
  EXPECT_EQ(SharedPinset({TestHash(3), TestHash(4)}, "", "nsc", &imported),
            "nsc-2");
  EXPECT_EQ(SharedPinset(a, "", "nsc", &imported), "nsc-1");
  EXPECT_EQ(SharedPinset(a, "https://r.example/", "nsc", &imported), "nsc-3");
  EXPECT_EQ(imported.model.pinsets.size(), 3u);
  EXPECT_EQ(imported.model.pinsets[2].report_uri, "https://r.example/");
}

}  // namespace
}  // namespace pinbake
