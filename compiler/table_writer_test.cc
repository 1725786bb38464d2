#include "compiler/table_writer.h"

#include <openssl/sha.h>

#include <algorithm>
#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "format/little_endian.h"
#include "format/table_format.h"
#include "runtime/table_reader.h"

namespace pinbake {
namespace {

namespace tf = table_format;
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

PinListModel SmallModel() {
  PinListModel m;
  m.list.version = 7;
  m.list.timestamp = 1700000000;
  m.list.max_age_days = 30;
  m.pinsets.push_back({"b-set", {HashOf(3), HashOf(1)}, {HashOf(9)},
                       "https://r.example/", "pinsets[0]"});
  m.pinsets.push_back({"a-set", {HashOf(2)}, {}, "", "pinsets[1]"});
  m.entries.push_back(Entry("example.com", "b-set", true, true));
  m.entries.push_back(Entry("*.cdn.example.net", "a-set"));
  m.entries.push_back(Entry("www.example.org", "", false, true));
  HostEntry report_only = Entry("beta.example.org", "a-set");
  report_only.pin_mode = PinMode::kReportOnly;
  report_only.include_subdomains_for_pinning = true;
  m.entries.push_back(report_only);
  return m;
}

// Recomputes the trailing checksum after a deliberate edit, so that the
// reader's structural checks (not the checksum) are what is tested.
void Reseal(std::string* table) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  const size_t body = table->size() - tf::kChecksumSize;
  SHA256(reinterpret_cast<const unsigned char*>(table->data()), body, digest);
  table->replace(body, tf::kChecksumSize, reinterpret_cast<char*>(digest),
                 sizeof(digest));
}

TEST(TableWriterTest, RoundTripsEveryField) {
  absl::StatusOr<std::string> bytes = WriteTable(SmallModel());
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<TableReader> r = TableReader::Open(*bytes);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->list_version(), 7u);
  EXPECT_EQ(r->timestamp(), 1700000000);
  EXPECT_EQ(r->max_age_days(), 30u);
  EXPECT_EQ(r->entry_count(), 4u);
  EXPECT_EQ(r->pinset_count(), 2u);
  EXPECT_EQ(r->key_count(), 4u);  // 1, 2, 3, 9.

  std::optional<HostRule> com = r->FindEntry("example.com");
  ASSERT_TRUE(com.has_value());
  EXPECT_TRUE(com->include_subdomains);
  EXPECT_TRUE(com->force_https);
  EXPECT_FALSE(com->include_subdomains_for_pinning);
  ASSERT_TRUE(com->has_pins());
  PinsetView set = r->pinset(com->pinset_index);
  EXPECT_EQ(set.name(), "b-set");
  EXPECT_EQ(set.report_uri(), "https://r.example/");
  ASSERT_EQ(set.good_count(), 2u);
  EXPECT_EQ(set.good(0), HashOf(1));  // Sorted.
  EXPECT_EQ(set.good(1), HashOf(3));
  ASSERT_EQ(set.bad_count(), 1u);
  EXPECT_EQ(set.bad(0), HashOf(9));
  EXPECT_TRUE(set.HasGood(HashOf(3)));
  EXPECT_FALSE(set.HasGood(HashOf(9)));
  EXPECT_TRUE(set.HasBad(HashOf(9)));

  std::optional<HostRule> wild = r->FindEntry("*.cdn.example.net");
  ASSERT_TRUE(wild.has_value());
  EXPECT_TRUE(wild->is_wildcard);
  EXPECT_EQ(r->pinset(wild->pinset_index).name(), "a-set");

  std::optional<HostRule> beta = r->FindEntry("beta.example.org");
  ASSERT_TRUE(beta.has_value());
  EXPECT_EQ(beta->pin_mode, PinMode::kReportOnly);
  EXPECT_TRUE(beta->include_subdomains_for_pinning);

  std::optional<HostRule> www = r->FindEntry("www.example.org");
  ASSERT_TRUE(www.has_value());
  EXPECT_FALSE(www->has_pins());
  EXPECT_TRUE(www->force_https);

  EXPECT_FALSE(r->FindEntry("example.org").has_value());
  EXPECT_FALSE(r->FindEntry("").has_value());
  EXPECT_FALSE(r->FindEntry("zzz").has_value());
}

TEST(TableWriterTest, OutputDoesNotDependOnInputOrder) {
  PinListModel a = SmallModel();
  PinListModel b = SmallModel();
  std::reverse(b.entries.begin(), b.entries.end());
  std::reverse(b.pinsets.begin(), b.pinsets.end());
  for (Pinset& p : b.pinsets) std::reverse(p.good.begin(), p.good.end());
  b.pinsets[0].location = "elsewhere";  // Locations are not encoded.
  EXPECT_EQ(*WriteTable(a), *WriteTable(b));
}

TEST(TableWriterTest, RejectsUnknownPinsetAndDuplicateNames) {
  PinListModel m = SmallModel();
  m.entries.push_back(Entry("x.example", "nope"));
  EXPECT_THAT(WriteTable(m).status().message(), HasSubstr("unknown pinset"));
  m = SmallModel();
  m.entries.push_back(Entry("example.com"));
  EXPECT_THAT(WriteTable(m).status().message(), HasSubstr("duplicate entry"));
}

TEST(TableReaderTest, RejectsEveryTruncation) {
  const std::string bytes = *WriteTable(SmallModel());
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(TableReader::Open(bytes.substr(0, n)).ok()) << n;
  }
  EXPECT_FALSE(TableReader::Open(bytes + '\0').ok());
}

TEST(TableReaderTest, RejectsEverySingleBitFlip) {
  const std::string bytes = *WriteTable(SmallModel());
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string copy = bytes;
      copy[i] = static_cast<char>(copy[i] ^ (1 << bit));
      ASSERT_FALSE(TableReader::Open(copy).ok()) << i << ":" << bit;
    }
  }
}

TEST(TableReaderTest, ReasonsNameTheProblem) {
  const std::string bytes = *WriteTable(SmallModel());
  std::string bad_magic = bytes;
  bad_magic[0] = 'X';
  EXPECT_THAT(TableReader::Open(bad_magic).status().message(),
              HasSubstr("magic"));

  std::string future = bytes;
  future[tf::kOffFormatVersion] = 4;
  Reseal(&future);
  absl::Status s = TableReader::Open(future).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("unsupported pin table format version 4"));

  std::string v2 = bytes;  // Readers of format 2 were dropped.
  v2[tf::kOffFormatVersion] = 2;
  Reseal(&v2);
  EXPECT_THAT(TableReader::Open(v2).status().message(),
              HasSubstr("unsupported pin table format version 2"));

  std::string corrupt = bytes;
  corrupt[tf::kHeaderSize + 5] ^= 1;  // Inside the keys, checksum not fixed.
  EXPECT_THAT(TableReader::Open(corrupt).status().message(),
              HasSubstr("checksum"));

  EXPECT_THAT(TableReader::Open(bytes.substr(0, 40)).status().message(),
              HasSubstr("truncated"));
}

TEST(TableReaderTest, NamesAreAlwaysThere) {
  const std::string bytes = *WriteTable(SmallModel());
  absl::StatusOr<TableReader> f = TableReader::Open(bytes);
  ASSERT_TRUE(f.ok());
  EXPECT_THAT(*f->EntryNames(),
              ::testing::ElementsAre("*.cdn.example.net", "beta.example.org",
                                     "example.com", "www.example.org"));
}

TEST(TableWriterTest, BlockSizeIsHonouredAndNeverChangesAnswers) {
  for (int size : {1, 2, 3, 16, 64}) {
    TableOptions options;
    options.block_size = size;
    absl::StatusOr<std::string> bytes = WriteTable(SmallModel(), options);
    ASSERT_TRUE(bytes.ok()) << size;
    EXPECT_EQ(static_cast<uint8_t>((*bytes)[tf::kOffBlockSize]), size);
    absl::StatusOr<TableReader> r = TableReader::Open(*bytes);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_TRUE(r->FindEntry("beta.example.org").has_value());
    EXPECT_TRUE(r->FindEntry("*.cdn.example.net").has_value());
    EXPECT_FALSE(r->FindEntry("cdn.example.net").has_value());
    EXPECT_FALSE(r->FindEntry("a.example.com").has_value());
  }
  for (int bad_size : {0, 65}) {
    TableOptions bad;
    bad.block_size = bad_size;
    EXPECT_FALSE(WriteTable(SmallModel(), bad).ok());
  }
}

TEST(TableWriterTest, StoresTheListId) {
  PinListModel m = SmallModel();
  m.list.list_id = "example-product";
  const std::string with_id = *WriteTable(m);
  absl::StatusOr<TableReader> r = TableReader::Open(with_id);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->list_id(), "example-product");
  const std::string without_id = *WriteTable(SmallModel());
  absl::StatusOr<TableReader> none = TableReader::Open(without_id);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->list_id(), "");
  m.list.list_id = std::string(65, 'x');
  EXPECT_THAT(WriteTable(m).status().message(), HasSubstr("list id"));
}

TEST(TableReaderTest, SurvivesRandomBytesWithValidChecksum) {
  std::mt19937 rng(42);
  const std::string base = *WriteTable(SmallModel());
  for (int round = 0; round < 20000; ++round) {
    std::string copy = base;
    const int edits = 1 + rng() % 4;
    for (int e = 0; e < edits; ++e) {
      copy[tf::kHeaderSize + rng() % (copy.size() - tf::kHeaderSize -
                                      tf::kChecksumSize)] =
          static_cast<char>(rng());
    }
    Reseal(&copy);
    absl::StatusOr<TableReader> r = TableReader::Open(copy);
    if (!r.ok()) continue;
    // Whatever was accepted must be safe to walk completely.
    // Lookups of any name are safe; the names section may be corrupt, which
    // EntryNames() must report rather than trip over.
    for (const char* host : {"example.com", "a.example.com", "x.y.z",
                             "www.example.org", "q.cdn.example.net"}) {
      r->FindEntry(host);
    }
    absl::StatusOr<std::vector<std::string>> names = r->EntryNames();
    if (!names.ok()) continue;
    for (const std::string& name : *names) {
      std::optional<HostRule> found = r->FindEntry(name);
      ASSERT_TRUE(found.has_value()) << name;
      const HostRule rule = *found;
      if (rule.has_pins()) {
        PinsetView p = r->pinset(rule.pinset_index);
        for (size_t k = 0; k < p.good_count(); ++k) p.HasBad(p.good(k));
      }
    }
  }
}

TEST(TableWriterTest, EmptyListIsAValidTable) {
  absl::StatusOr<std::string> bytes = WriteTable(PinListModel());
  ASSERT_TRUE(bytes.ok());
  absl::StatusOr<TableReader> r = TableReader::Open(*bytes);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->entry_count(), 0u);
  EXPECT_FALSE(r->FindEntry("example.com").has_value());
}

}  // namespace
}  // namespace pinbake
