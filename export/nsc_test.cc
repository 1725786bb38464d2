#include "export/nsc.h"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
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

ExportOptions Nsc() {
  ExportOptions options;
  options.format = ExportFormat::kNsc;
  return options;
}

// `xmllint --noout --schema export/nsc.xsd PATH`: its exit status and output.
int XmlLint(const std::string& path, std::string* output) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const std::string xsd = absl::StrCat(srcdir ? srcdir : ".", "/pinbake/export/nsc.xsd");
  const std::string command = absl::StrCat(
      "timeout 60 xmllint --noout --schema ", xsd, " ", path, " 2>&1");
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output->append(buffer, n);
  const int raw = pclose(pipe);
  return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

PinListModel ModelWithExclusion() {
  PinListModel model = LosslessModel();
  model.entries[0].force_https = true;
  HostEntry staging;
  staging.name = "staging.example.com";
  staging.location = "entries[2]";
  staging.include_subdomains = true;
  staging.exclude = true;
  model.entries.push_back(staging);
  return model;
}

TEST(NscTest, MostSpecificDomainDecides) {
  NscConfig config;
  config.domain_configs.push_back({"example.com", true, false, {TestHash(1)}, "a"});
  config.domain_configs.push_back({"x.example.com", false, true, {}, "b"});
  config.Index();
  EXPECT_TRUE(NscAnswer(config, "example.com").pinned);
  EXPECT_TRUE(NscAnswer(config, "a.b.example.com").pinned);
  const PlatformAnswer x = NscAnswer(config, "x.example.com");
  EXPECT_FALSE(x.pinned);
  EXPECT_TRUE(x.force_https);
  // x.example.com does not include subdomains: example.com decides.
  EXPECT_TRUE(NscAnswer(config, "y.x.example.com").pinned);
  EXPECT_FALSE(NscAnswer(config, "example.org").pinned);
}

TEST(NscTest, ExportValidatesAgainstTheSchemaAndRoundTrips) {
  const PinListModel model = ModelWithExclusion();
  absl::StatusOr<ExportResult> result = ExportPinList(model, Nsc());
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_TRUE(result->findings.empty()) << result->findings[0].Text();
  ASSERT_EQ(result->files.size(), 1u);
  const std::string& xml = result->files[0].contents;
  EXPECT_THAT(xml, HasSubstr("<domain-config cleartextTrafficPermitted=\"false\">"));
  EXPECT_THAT(xml, HasSubstr("<pin-set expiration=\"2026-02-09\">"));
  EXPECT_THAT(xml, HasSubstr("<domain includeSubdomains=\"true\">staging.example.com</domain>"));
  const std::string path = WriteTestFile("nsc.xml", xml);
  std::string lint;
  EXPECT_EQ(XmlLint(path, &lint), 0) << lint;
  EXPECT_THAT(lint, HasSubstr("validates"));

  absl::StatusOr<ImportedList> imported =
      ImportNsc(xml, "nsc.xml", model.list.timestamp);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->model.list.max_age_days, 70);
  const std::string list =
      WriteTestFile("nsc_import.json", ModelToListJson(imported->model, {}));
  const std::string table = CompileListFile(list, "");
  ASSERT_FALSE(table.empty());
  ExpectSameAnswers(model, table, kNscAspects);
}

TEST(NscTest, SchemaRejectsAWildcardDomain) {
  const std::string path = WriteTestFile(
      "bad_nsc.xml",
      "<network-security-config><domain-config>"
      "<domain>*.example.com</domain></domain-config>"
      "</network-security-config>");
  std::string lint;
  EXPECT_NE(XmlLint(path, &lint), 0) << lint;
}

TEST(NscTest, WildcardAndBlockedPinAreRefusedOrLossy) {
  PinListModel model = LosslessModel();
  model.pinsets[1].bad.push_back(TestHash(9));
  HostEntry wildcard;
  wildcard.name = "*.cdn.example.net";
  wildcard.location = "entries[2]";
  wildcard.pinset = "main";
  model.entries.push_back(wildcard);
  absl::StatusOr<ExportResult> result = ExportPinList(model, Nsc());
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->findings.size(), 2u);
  EXPECT_EQ(result->findings[0].entry, "accounts.example.org");
  EXPECT_THAT(result->findings[0].message, HasSubstr("blocks 1 key(s)"));
  EXPECT_EQ(result->findings[1].entry, "*.cdn.example.net");
  EXPECT_THAT(result->findings[1].message, HasSubstr("nsc would not pin it"));
  EXPECT_TRUE(result->files.empty());

  ExportOptions lossy = Nsc();
  lossy.lossy = true;
  result = ExportPinList(model, lossy);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->files.size(), 1u);
  EXPECT_THAT(result->files[0].contents,
              HasSubstr("<!-- lossy: entries[2] *.cdn.example.net: "));
  std::string lint;
  EXPECT_EQ(XmlLint(WriteTestFile("lossy_nsc.xml", result->files[0].contents),
                    &lint),
            0)
      << lint;
}

TEST(NscTest, ImportInheritsFromEnclosingDomainConfig) {
  const std::string pin = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
  const std::string xml = absl::StrCat(
      "<?xml version=\"1.0\"?>\n<network-security-config>\n"
      "  <domain-config cleartextTrafficPermitted=\"false\">\n"
      "    <domain includeSubdomains=\"true\">Example.com</domain>\n"
      "    <pin-set expiration=\"2026-01-31\"><pin digest=\"SHA-256\">", pin,
      "</pin></pin-set>\n"
      "    <domain-config><domain>www.example.com</domain></domain-config>\n"
      "  </domain-config>\n</network-security-config>\n");
  absl::StatusOr<ImportedList> imported =
      ImportNsc(xml, "in.xml", 1764547200);  // 2025-12-01
  ASSERT_TRUE(imported.ok()) << imported.status();
  const PinListModel& m = imported->model;
  ASSERT_EQ(m.entries.size(), 2u);
  EXPECT_EQ(m.entries[0].name, "example.com");
  EXPECT_TRUE(m.entries[1].force_https);
  EXPECT_EQ(m.entries[1].pinset, m.entries[0].pinset);  // Inherited, shared.
  EXPECT_EQ(m.pinsets.size(), 1u);
  EXPECT_EQ(m.list.max_age_days, 61);
}

TEST(NscTest, ImportRefusesHostileOrWrongInput) {
  const std::string pin = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
  struct Case {
    std::string xml;
    std::string error;
  } cases[] = {
      {"<network-security-config>", "not XML"},
      {"<!DOCTYPE x [<!ENTITY e \"example.com\">]><network-security-config>"
       "<domain-config><domain>&e;</domain></domain-config>"
       "</network-security-config>",
       "DOCTYPE"},
      {"<other/>", "root element"},
      {"<network-security-config><domain-config><domain>a b</domain>"
       "</domain-config></network-security-config>",
       "in.xml:1: domain \"a b\": not a host name"},
      {"<network-security-config><domain-config><domain>a.com</domain>"
       "</domain-config><domain-config><domain>a.com</domain>"
       "</domain-config></network-security-config>",
       "appears twice"},
      {"<network-security-config><domain-config><domain>a.com</domain>"
       "<pin-set><pin digest=\"SHA-1\">" + pin + "</pin></pin-set>"
       "</domain-config></network-security-config>",
       "digest=\"SHA-256\""},
      {"<network-security-config><domain-config><domain>a.com</domain>"
       "<pin-set><pin digest=\"SHA-256\">AAAA</pin></pin-set>"
       "</domain-config></network-security-config>",
       "pin \"AAAA\""},
      {"<network-security-config><domain-config><domain>a.com</domain>"
       "<pin-set expiration=\"soon\"><pin digest=\"SHA-256\">" + pin +
       "</pin></pin-set></domain-config></network-security-config>",
       "not a yyyy-MM-dd date"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<ImportedList> imported = ImportNsc(c.xml, "in.xml", 1);
    ASSERT_FALSE(imported.ok()) << c.xml;
    EXPECT_THAT(std::string(imported.status().message()), HasSubstr(c.error))
        << c.xml;
  }
}

}  // namespace
}  // namespace pinbake
