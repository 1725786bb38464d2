#include "compiler/model_from_table.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include "compiler/pin_list_model.h"
#include "compiler/table_writer.h"
#include "runtime/table_reader.h"

namespace pinbake {
namespace {

SpkiHash HashOf(uint8_t fill) {
  SpkiHash h;
  h.bytes.fill(fill);
  return h;
}

PinListModel Sample() {
  PinListModel m;
  m.list.version = 7;
  m.list.timestamp = 1800000000;
  m.list.max_age_days = 30;
  m.list.list_id = "model-test";
  m.pinsets.push_back({"main", {HashOf(1), HashOf(2)}, {HashOf(9)},
                       "https://r.example/", "pinsets[0]"});
  m.pinsets.push_back({"cdn", {HashOf(3), HashOf(4)}, {}, "", "pinsets[1]"});
  HostEntry a;
  a.name = "example.com";
  a.include_subdomains = true;
  a.force_https = true;
  a.pinset = "main";
  HostEntry w;
  w.name = "*.cdn.example.net";
  w.pinset = "cdn";
  w.pin_mode = PinMode::kReportOnly;
  w.include_subdomains_for_pinning = true;
  HostEntry x;
  x.name = "plain.example.org";
  x.exclude = true;
  x.public_suffix_policy = true;
  m.entries = {a, w, x};
  return m;
}

TEST(ModelFromTableTest, ReadsBackWhatWasWritten) {
  absl::StatusOr<std::string> bytes = WriteTable(Sample());
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<TableReader> table = TableReader::Open(*bytes);
  ASSERT_TRUE(table.ok()) << table.status();
  absl::StatusOr<PinListModel> m = ModelFromTable(*table);
  ASSERT_TRUE(m.ok()) << m.status();

  EXPECT_EQ(m->list.version, 7u);
  EXPECT_EQ(m->list.timestamp, 1800000000);
  EXPECT_EQ(m->list.max_age_days, 30);
  EXPECT_EQ(m->list.list_id, "model-test");

  // Pinsets in name order, each with its location in the read-back model.
  ASSERT_EQ(m->pinsets.size(), 2u);
  EXPECT_EQ(m->pinsets[0].name, "cdn");
  EXPECT_EQ(m->pinsets[0].location, "pinsets[0]");
  EXPECT_THAT(m->pinsets[0].good, ::testing::ElementsAre(HashOf(3), HashOf(4)));
  EXPECT_TRUE(m->pinsets[0].bad.empty());
  EXPECT_EQ(m->pinsets[0].report_uri, "");
  EXPECT_EQ(m->pinsets[1].name, "main");
  EXPECT_THAT(m->pinsets[1].good, ::testing::ElementsAre(HashOf(1), HashOf(2)));
  EXPECT_THAT(m->pinsets[1].bad, ::testing::ElementsAre(HashOf(9)));
  EXPECT_EQ(m->pinsets[1].report_uri, "https://r.example/");

  // Entries in name order, settings as written.
  ASSERT_EQ(m->entries.size(), 3u);
  const HostEntry& w = m->entries[0];
  EXPECT_EQ(w.name, "*.cdn.example.net");
  EXPECT_EQ(w.location, "entries[0]");
  EXPECT_TRUE(w.is_wildcard());
  EXPECT_EQ(w.pinset, "cdn");
  EXPECT_EQ(w.pin_mode, PinMode::kReportOnly);
  EXPECT_TRUE(w.include_subdomains_for_pinning);
  EXPECT_FALSE(w.include_subdomains);
  EXPECT_FALSE(w.exclude);
  const HostEntry& a = m->entries[1];
  EXPECT_EQ(a.name, "example.com");
  EXPECT_EQ(a.pinset, "main");
  EXPECT_EQ(a.pin_mode, PinMode::kEnforce);
  EXPECT_TRUE(a.include_subdomains);
  EXPECT_TRUE(a.force_https);
  EXPECT_FALSE(a.exclude);
  const HostEntry& x = m->entries[2];
  EXPECT_EQ(x.name, "plain.example.org");
  EXPECT_FALSE(x.has_pins());
  EXPECT_FALSE(x.force_https);
  EXPECT_TRUE(x.exclude);
  EXPECT_TRUE(x.public_suffix_policy);
}

TEST(ModelFromTableTest, WritingTheReadBackModelGivesTheSameTable) {
  absl::StatusOr<std::string> bytes = WriteTable(Sample());
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<TableReader> table = TableReader::Open(*bytes);
  ASSERT_TRUE(table.ok()) << table.status();
  absl::StatusOr<PinListModel> m = ModelFromTable(*table);
  ASSERT_TRUE(m.ok()) << m.status();
  absl::StatusOr<std::string> again = WriteTable(*m);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, *bytes);
}

}  // namespace
}  // namespace pinbake
