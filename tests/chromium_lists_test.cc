// Chromium's own preloaded lists (../shared/data) through the whole
// pipeline: they compile, the output is deterministic, the dump round trip
// is byte-identical, and the 198 expectations from Chromium's unit tests
// about the 2016 list hold.

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_split.h"
#include "compiler/compile.h"
#include "compiler/file_util.h"
#include "compiler/list_dump.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/pin_list.h"
#include "testing/shared_data.h"

namespace pinbake {
namespace {

struct ListCase {
  const char* dir;
  size_t entries;  // After checks (2016 drops the 0xAA55.me duplicate).
  size_t pinsets;
};

const ListCase kLists[] = {
    {"chromium-2016", 13398, 10},
    {"chromium-2017", 33067, 11},
};

CompileOptions OptionsFor(const ListCase& c) {
  CompileOptions options;
  options.list_path =
      SharedDataPath(std::string(c.dir) + "/transport_security_state_static.json");
  options.pins_path =
      SharedDataPath(std::string(c.dir) + "/transport_security_state_static.pins");
  return options;
}

std::string Compile(const CompileOptions& options) {
  Diagnostics diags;
  CompileOutput out = CompilePinList(options, &diags);
  EXPECT_FALSE(diags.has_errors()) << diags.ToStatus();
  return out.table;
}

class ChromiumListTest : public ::testing::TestWithParam<ListCase> {};

TEST_P(ChromiumListTest, CompilesDeterministicallyAndRoundTrips) {
  const ListCase& c = GetParam();
  const std::string table = Compile(OptionsFor(c));
  ASSERT_FALSE(table.empty());
  EXPECT_EQ(table, Compile(OptionsFor(c))) << "not deterministic";

  absl::StatusOr<PinList> list = PinList::FromBytes(table);
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->table().entry_count(), c.entries);
  EXPECT_EQ(list->table().pinset_count(), c.pinsets);

  // dump -> compile gives the same bytes.
  const std::string dump_path =
      std::string(std::getenv("TEST_TMPDIR")) + "/" + c.dir + ".dump.json";
  ASSERT_TRUE(WriteFileAtomically(dump_path, *DumpTableAsJson(list->table())).ok());
  CompileOptions again;
  again.list_path = dump_path;
  const std::string recompiled = Compile(again);
  EXPECT_EQ(recompiled.size(), table.size());
  EXPECT_TRUE(recompiled == table) << "dump round trip differs";
}

INSTANTIATE_TEST_SUITE_P(Lists, ChromiumListTest, ::testing::ValuesIn(kLists),
                         [](const auto& info) {
                           std::string name = info.param.dir;
                           name.erase(std::remove(name.begin(), name.end(), '-'),
                                      name.end());
                           return name;
                         });

class Chromium2016Test : public ::testing::Test {
 protected:
  void SetUp() override {
    table_ = Compile(OptionsFor(kLists[0]));
    absl::StatusOr<PinList> list = PinList::FromBytes(table_);
    ASSERT_TRUE(list.ok()) << list.status();
    list_.emplace(*list);
  }
  std::string table_;
  std::optional<PinList> list_;
};

// Chromium's net/http/transport_security_state_unittest.cc expectations:
// StaticShouldRedirect = force-https applies; HasStaticPublicKeyPins =
// pinned; OnlyPinningInStaticState = pinned and not force-https.
TEST_F(Chromium2016Test, MatchesChromiumUnitTestExpectations) {
  std::ifstream in(SharedDataPath("chromium-2016/unittest_expectations.tsv"));
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> f = absl::StrSplit(line, '\t');
    ASSERT_EQ(f.size(), 3u) << line;
    const LookupResult r = list_->Lookup(f[1]);
    const bool expected = f[2] == "1";
    bool actual;
    if (f[0] == "StaticShouldRedirect") {
      actual = r.force_https();
    } else if (f[0] == "HasStaticPublicKeyPins") {
      actual = r.pinned();
    } else if (f[0] == "OnlyPinningInStaticState") {
      actual = r.pinned() && !r.force_https();
    } else {
      FAIL() << "unknown function " << f[0];
    }
    EXPECT_EQ(actual, expected) << line;
    ++checked;
  }
  EXPECT_EQ(checked, 198);
}

// The one documented difference from Chromium's trie decoder: an ancestor
// without include_subdomains does not hide a shallower one that has it.
TEST_F(Chromium2016Test, NonCoveringAncestorDoesNotHideAppspotPins) {
  const LookupResult r = list_->Lookup("x.aladdinschools.appspot.com");
  ASSERT_TRUE(r.pinned());
  EXPECT_EQ(r.PinRuleName(), "appspot.com");
  EXPECT_EQ(r.pinset->name(), "google");
  // The exact entry itself still decides for itself.
  const LookupResult exact = list_->Lookup("aladdinschools.appspot.com");
  EXPECT_EQ(exact.PinRuleName(), "aladdinschools.appspot.com");
}

TEST_F(Chromium2016Test, UppercaseTwinWasDroppedAndLowercaseKept) {
  EXPECT_TRUE(list_->table().FindEntry("0xaa55.me").has_value());
  EXPECT_TRUE(list_->Lookup("0xAA55.me").force_https());
}

}  // namespace
}  // namespace pinbake
