#include "release/list_diff.h"

#include <nlohmann/json.hpp>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include "compiler/pin_list_model.h"
#include "compiler/table_writer.h"
#include "runtime/table_reader.h"

namespace pinbake {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

SpkiHash HashOf(uint8_t fill) {
  SpkiHash h;
  h.bytes.fill(fill);
  return h;
}

HostEntry Entry(std::string name, std::string pinset = "",
                bool include_subdomains = false, bool force_https = false) {
  HostEntry e;
  e.name = std::move(name);
  e.pinset = std::move(pinset);
  e.include_subdomains = include_subdomains;
  e.force_https = force_https;
  return e;
}

PinListModel Base() {
  PinListModel m;
  m.list.version = 1;
  m.list.timestamp = 1800000000;
  m.list.max_age_days = 70;
  m.pinsets.push_back({"main", {HashOf(1), HashOf(2)}, {HashOf(9)},
                       "https://r.example/", "pinsets[0]"});
  m.pinsets.push_back({"cdn", {HashOf(3), HashOf(4)}, {}, "", "pinsets[1]"});
  m.entries.push_back(Entry("example.com", "main", true, true));
  m.entries.push_back(Entry("*.cdn.example.net", "cdn"));
  m.entries.push_back(Entry("www.example.org", "", false, true));
  return m;
}

// Tables must outlive their readers: kept in the fixture.
class ListDiffTest : public ::testing::Test {
 protected:
  ListDiff Diff(const PinListModel& old_model, const PinListModel& new_model) {
    absl::StatusOr<std::string> a = WriteTable(old_model);
    absl::StatusOr<std::string> b = WriteTable(new_model);
    EXPECT_TRUE(a.ok()) << a.status();
    EXPECT_TRUE(b.ok()) << b.status();
    old_bytes_ = *a;
    new_bytes_ = *b;
    absl::StatusOr<TableReader> ra = TableReader::Open(old_bytes_);
    absl::StatusOr<TableReader> rb = TableReader::Open(new_bytes_);
    EXPECT_TRUE(ra.ok() && rb.ok());
    absl::StatusOr<ListDiff> diff = DiffTables(*ra, *rb);
    EXPECT_TRUE(diff.ok()) << diff.status();
    return *diff;
  }
  std::string old_bytes_, new_bytes_;
};

TEST_F(ListDiffTest, SameListIsIdentical) {
  ListDiff d = Diff(Base(), Base());
  EXPECT_TRUE(d.identical());
  EXPECT_EQ(FormatDiffText(d), "identical\n");
  nlohmann::json j = nlohmann::json::parse(FormatDiffJson(d));
  EXPECT_TRUE(j["identical"].get<bool>());
  EXPECT_TRUE(j["entries"]["changed"].empty());
}

TEST_F(ListDiffTest, OrderOfEntriesPinsetsAndHashesDoesNotMatter) {
  PinListModel shuffled = Base();
  std::swap(shuffled.entries[0], shuffled.entries[2]);
  std::swap(shuffled.pinsets[0], shuffled.pinsets[1]);
  std::swap(shuffled.pinsets[1].good[0], shuffled.pinsets[1].good[1]);
  EXPECT_TRUE(Diff(Base(), shuffled).identical());
}

TEST_F(ListDiffTest, ListMetadataChanges) {
  PinListModel next = Base();
  next.list.version = 2;
  next.list.timestamp = 1800086400;
  ListDiff d = Diff(Base(), next);
  ASSERT_EQ(d.list.size(), 2u);
  EXPECT_EQ(d.list[0].field, "version");
  EXPECT_EQ(d.list[0].old_value, "1");
  EXPECT_EQ(d.list[0].new_value, "2");
  EXPECT_EQ(d.list[1].field, "timestamp");
  // RFC 3339 only (issue 14; was "2027-01-15T08:00:00Z (1800000000)").
  EXPECT_EQ(d.list[1].old_value, "2027-01-15T08:00:00Z");
  EXPECT_EQ(d.list[1].new_value, "2027-01-16T08:00:00Z");
  EXPECT_THAT(FormatDiffText(d), HasSubstr("~ list.version: 1 -> 2\n"));
  EXPECT_FALSE(d.identical());
}

TEST_F(ListDiffTest, HostsAddedRemovedAndChanged) {
  PinListModel next = Base();
  next.entries.erase(next.entries.begin() + 2);       // www.example.org
  next.entries.push_back(Entry("new.example.com", "cdn"));
  next.entries[0].include_subdomains = false;         // example.com
  next.entries[0].include_subdomains_for_pinning = true;
  next.entries[0].force_https = false;
  next.entries[1].pin_mode = PinMode::kReportOnly;    // *.cdn.example.net
  ListDiff d = Diff(Base(), next);
  ASSERT_EQ(d.entries_removed.size(), 1u);
  EXPECT_EQ(d.entries_removed[0].name, "www.example.org");
  ASSERT_EQ(d.entries_added.size(), 1u);
  EXPECT_EQ(d.entries_added[0].name, "new.example.com");
  EXPECT_EQ(d.entries_added[0].pinset, "cdn");
  ASSERT_EQ(d.entries_changed.size(), 2u);
  // Sorted by name: "*.cdn.example.net" < "example.com".
  EXPECT_EQ(d.entries_changed[0].name, "*.cdn.example.net");
  ASSERT_EQ(d.entries_changed[0].fields.size(), 1u);
  EXPECT_EQ(d.entries_changed[0].fields[0].field, "pin_mode");
  EXPECT_EQ(d.entries_changed[0].fields[0].new_value, "report-only");
  EXPECT_EQ(d.entries_changed[1].name, "example.com");
  std::vector<std::string> fields;
  for (const FieldChange& f : d.entries_changed[1].fields) fields.push_back(f.field);
  EXPECT_THAT(fields, ElementsAre("include_subdomains",
                                  "include_subdomains_for_pinning",
                                  "force_https"));
  const std::string text = FormatDiffText(d);
  EXPECT_THAT(text, HasSubstr("- host www.example.org (force-https)\n"));
  EXPECT_THAT(text, HasSubstr("+ host new.example.com (pins cdn (enforce))\n"));
  EXPECT_THAT(text, HasSubstr("~ host example.com: include_subdomains true -> "
                              "false; include_subdomains_for_pinning false -> "
                              "true; force_https true -> false\n"));
  EXPECT_THAT(text, HasSubstr("hosts: 1 added, 1 removed, 2 changed"));
}

TEST_F(ListDiffTest, PinsetContentChangesAreSetDifferences) {
  PinListModel next = Base();
  next.pinsets[0].good = {HashOf(2), HashOf(5)};  // -1 +5
  next.pinsets[0].bad = {};                       // -9
  next.pinsets[0].report_uri = "https://r2.example/";
  ListDiff d = Diff(Base(), next);
  ASSERT_EQ(d.pinsets_changed.size(), 1u);
  const PinsetChange& c = d.pinsets_changed[0];
  EXPECT_EQ(c.name, "main");
  EXPECT_THAT(c.good_added, ElementsAre(HashOf(5)));
  EXPECT_THAT(c.good_removed, ElementsAre(HashOf(1)));
  EXPECT_TRUE(c.bad_added.empty());
  EXPECT_THAT(c.bad_removed, ElementsAre(HashOf(9)));
  ASSERT_EQ(c.fields.size(), 1u);
  EXPECT_EQ(c.fields[0].field, "report_uri");
  EXPECT_THAT(c.used_by, ElementsAre("example.com"));
  // The entries themselves did not change.
  EXPECT_TRUE(d.entries_changed.empty());
  const std::string text = FormatDiffText(d);
  EXPECT_THAT(text, HasSubstr("~ pinset main (used by example.com):\n"));
  EXPECT_THAT(text, HasSubstr("    + good " + SpkiHashToString(HashOf(5))));
  EXPECT_THAT(text, HasSubstr("    - good " + SpkiHashToString(HashOf(1))));
  EXPECT_THAT(text, HasSubstr("    - bad " + SpkiHashToString(HashOf(9))));

  nlohmann::json j = nlohmann::json::parse(FormatDiffJson(d));
  EXPECT_FALSE(j["identical"].get<bool>());
  EXPECT_EQ(j["pinsets"]["changed"][0]["good_added"][0],
            SpkiHashToString(HashOf(5)));
  EXPECT_EQ(j["pinsets"]["changed"][0]["used_by"][0], "example.com");

  // Issue 14: key names beside the hashes, in text and JSON.
  const KeyNames names = {{HashOf(1), "ShopIntermediate"}, {HashOf(5), "NewCa"}};
  const std::string named = FormatDiffText(d, names);
  EXPECT_THAT(named, HasSubstr("    - good " + SpkiHashToString(HashOf(1)) +
                               " (ShopIntermediate)\n"));
  EXPECT_THAT(named, HasSubstr("    + good " + SpkiHashToString(HashOf(5)) +
                               " (NewCa)\n"));
  nlohmann::json jn = nlohmann::json::parse(FormatDiffJson(d, names));
  EXPECT_EQ(jn["key_names"][SpkiHashToString(HashOf(1))], "ShopIntermediate");
  EXPECT_EQ(jn["key_names"].size(), 2u);
}

TEST_F(ListDiffTest, PinsetRenameWithSamePinsIsFlaggedAsSamePins) {
  PinListModel next = Base();
  next.pinsets[1].name = "cdn2";
  next.entries[1].pinset = "cdn2";
  ListDiff d = Diff(Base(), next);
  ASSERT_EQ(d.pinsets_added.size(), 1u);
  ASSERT_EQ(d.pinsets_removed.size(), 1u);
  ASSERT_EQ(d.entries_changed.size(), 1u);
  EXPECT_FALSE(d.entries_changed[0].pins_changed);
  EXPECT_THAT(FormatDiffText(d),
              HasSubstr("~ host *.cdn.example.net: pinset cdn -> cdn2 (same pins)"));
}

TEST_F(ListDiffTest, SwitchingToAnotherPinsetChangesPins) {
  PinListModel next = Base();
  next.entries[1].pinset = "main";
  ListDiff d = Diff(Base(), next);
  ASSERT_EQ(d.entries_changed.size(), 1u);
  EXPECT_TRUE(d.entries_changed[0].pins_changed);
  EXPECT_THAT(FormatDiffText(d), HasSubstr("pinset cdn -> main (pins differ)"));
  // Losing pins altogether.
  next = Base();
  next.entries[1].pinset = "";
  next.entries[1].force_https = true;
  d = Diff(Base(), next);
  ASSERT_EQ(d.entries_changed.size(), 1u);
  EXPECT_TRUE(d.entries_changed[0].pins_changed);
  EXPECT_EQ(d.entries_changed[0].fields.back().new_value, "(none)");
  nlohmann::json j = nlohmann::json::parse(FormatDiffJson(d));
  EXPECT_TRUE(j["entries"]["changed"][0]["pins_changed"].get<bool>());
}

}  // namespace
}  // namespace pinbake
