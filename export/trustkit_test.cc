#include "export/trustkit.h"

#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "export/exporter.h"
#include "export/list_json.h"
#include "export/round_trip_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pinbake {
namespace {

using ::testing::HasSubstr;

ExportOptions TrustKit(ExportFormat format = ExportFormat::kTrustKitPlist) {
  ExportOptions options;
  options.format = format;
  return options;
}

// Runs `command`; returns its exit status and sets *output.
int RunCommand(const std::string& command, std::string* output) {
  FILE* pipe = popen(absl::StrCat("timeout 60 ", command, " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output->append(buffer, n);
  const int raw = pclose(pipe);
  return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

PinListModel ModelWithExclusionAndReportOnly() {
  PinListModel model = LosslessModel();
  model.entries[1].pin_mode = PinMode::kReportOnly;  // TrustKit has it.
  HostEntry staging;
  staging.name = "staging.example.com";
  staging.location = "entries[2]";
  staging.exclude = true;  // Exact: TrustKit's exclusion is exact too.
  model.entries.push_back(staging);
  return model;
}

TEST(TrustKitTest, NestedIncludeSubdomainsIsAmbiguous) {
  TrustKitConfig config;
  config.domains.push_back({"example.com", true, true, false, {TestHash(1), TestHash(2)}, "", "a"});
  config.domains.push_back({"x.example.com", true, true, false, {TestHash(3), TestHash(4)}, "", "b"});
  config.Index();
  EXPECT_TRUE(TrustKitAnswer(config, "x.example.com").pinned);  // Exact.
  EXPECT_TRUE(TrustKitAnswer(config, "y.x.example.com").ambiguous);
  EXPECT_EQ(TrustKitAnswer(config, "y.example.com").good.size(), 2u);
  EXPECT_FALSE(TrustKitAnswer(config, "example.org").pinned);
}

TEST(TrustKitTest, PlistIsReadBackByPlistutilAndRoundTrips) {
  const PinListModel model = ModelWithExclusionAndReportOnly();
  absl::StatusOr<ExportResult> result = ExportPinList(model, TrustKit());
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_TRUE(result->findings.empty()) << result->findings[0].Text();
  const std::string& plist = result->files[0].contents;
  EXPECT_THAT(plist, HasSubstr("<key>kTSKExcludeSubdomainFromParentPolicy</key>"));
  EXPECT_THAT(plist, HasSubstr("<key>kTSKExpirationDate</key>\n\t\t\t\t<string>2026-02-09</string>"));
  const std::string path = WriteTestFile("trustkit.plist", plist);
  // plistutil (libplist's tool) converts it to binary and back.
  std::string out;
  ASSERT_EQ(RunCommand(absl::StrCat("plistutil -i ", path, " -o ", path, ".bin -f bin"), &out), 0) << out;
  out.clear();
  ASSERT_EQ(RunCommand(absl::StrCat("plistutil -i ", path, ".bin -o -"), &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("<key>kTSKPinnedDomains</key>"));

  absl::StatusOr<ImportedList> imported =
      ImportTrustKitPlist(plist, "trustkit.plist", model.list.timestamp);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->model.list.max_age_days, 70);
  const std::string list = WriteTestFile(
      "trustkit_import.json", ModelToListJson(imported->model, {}));
  const std::string table = CompileListFile(list, "");
  ASSERT_FALSE(table.empty());
  ExpectSameAnswers(model, table, kTrustKitAspects);
}

TEST(TrustKitTest, SwiftDictionary) {
  absl::StatusOr<ExportResult> result = ExportPinList(
      ModelWithExclusionAndReportOnly(), TrustKit(ExportFormat::kTrustKitSwift));
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->files.size(), 1u);
  const std::string& swift = result->files[0].contents;
  EXPECT_THAT(swift, HasSubstr("enum PinbakePins {"));
  EXPECT_THAT(swift, HasSubstr("      \"accounts.example.org\": [\n"
                               "        kTSKEnforcePinning: false,\n"));
  EXPECT_THAT(swift, HasSubstr("kTSKReportUris: [\"https://reports.example.com/pkp\"]"));
}

TEST(TrustKitTest, Refusals) {
  PinListModel model = LosslessModel();
  model.pinsets[1].good.pop_back();  // accounts: a single pin.
  model.pinsets[0].bad.push_back(TestHash(9));  // example.com: blocked key.
  HostEntry wildcard;
  wildcard.name = "*.cdn.example.net";
  wildcard.location = "entries[2]";
  wildcard.pinset = "main";
  model.entries.push_back(wildcard);
  absl::StatusOr<ExportResult> result = ExportPinList(model, TrustKit());
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->findings.size(), 3u);
  EXPECT_EQ(result->findings[0].entry, "accounts.example.org");
  EXPECT_THAT(result->findings[0].message, HasSubstr("fewer than two"));
  EXPECT_EQ(result->findings[1].entry, "example.com");
  EXPECT_THAT(result->findings[1].message, HasSubstr("blocks 1 key(s)"));
  EXPECT_EQ(result->findings[2].entry, "*.cdn.example.net");
  EXPECT_THAT(result->findings[2].message,
              HasSubstr("trustkit-plist would not pin it"));
  EXPECT_TRUE(result->files.empty());

  ExportOptions lossy = TrustKit();
  lossy.lossy = true;
  result = ExportPinList(model, lossy);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->files.size(), 1u);
  EXPECT_THAT(result->files[0].contents,
              HasSubstr("<!-- lossy: entries[1] accounts.example.org: pinset "
                        "accounts has 1 pin(s)"));
  EXPECT_THAT(result->files[0].contents, ::testing::Not(HasSubstr("accounts.example.org</key>")));
}

TEST(TrustKitTest, PublicSuffixIncludeSubdomainsIsRefused) {
  PinListModel model = LosslessModel();
  model.entries[0].name = "appspot.com";
  model.entries[0].public_suffix_policy = true;
  absl::StatusOr<ExportResult> result = ExportPinList(model, TrustKit());
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_FALSE(result->findings.empty());
  EXPECT_EQ(result->findings[0].entry, "appspot.com");
  EXPECT_THAT(result->findings[0].message, HasSubstr("public suffix"));
  // Also without the policy (the compiler only warns then): libpsl knows.
  model.entries[0].name = "co.uk";
  model.entries[0].public_suffix_policy = false;
  result = ExportPinList(model, TrustKit());
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_FALSE(result->findings.empty());
  EXPECT_EQ(result->findings[0].entry, "co.uk");
  EXPECT_THAT(result->findings[0].message, HasSubstr("public suffix"));
}

TEST(TrustKitTest, ImportRefusesWrongInput) {
  EXPECT_FALSE(ImportTrustKitPlist("not a plist", "x.plist", 1).ok());
  const std::string bad_hash =
      "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict>"
      "<key>kTSKPinnedDomains</key><dict><key>a.com</key><dict>"
      "<key>kTSKPublicKeyHashes</key><array><string>AAAA</string></array>"
      "</dict></dict></dict></plist>";
  absl::StatusOr<ImportedList> imported = ImportTrustKitPlist(bad_hash, "x.plist", 1);
  ASSERT_FALSE(imported.ok());
  EXPECT_THAT(std::string(imported.status().message()),
              HasSubstr("x.plist: kTSKPinnedDomains.a.com.kTSKPublicKeyHashes[0]"));
  const std::string wildcard =
      "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict>"
      "<key>kTSKPinnedDomains</key><dict><key>*.a.com</key><dict>"
      "</dict></dict></dict></plist>";
  imported = ImportTrustKitPlist(wildcard, "x.plist", 1);
  ASSERT_FALSE(imported.ok());
  EXPECT_THAT(std::string(imported.status().message()), HasSubstr("not a host name"));
}

}  // namespace
}  // namespace pinbake
