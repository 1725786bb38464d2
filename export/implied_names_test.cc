#include "export/implied_names.h"

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pinbake {
namespace {

// An entry with default settings (HostEntry derives from EntrySettings, so
// it is not brace-initialised by name and location).
HostEntry Entry(std::string name, std::string location) {
  HostEntry e;
  e.name = std::move(name);
  e.location = std::move(location);
  return e;
}

using ::testing::ElementsAre;

std::vector<std::string> Hosts(const PinListModel& model) {
  std::vector<std::string> hosts;
  for (const ImpliedName& n : ImpliedNames(model)) hosts.push_back(n.host);
  return hosts;
}

TEST(ImpliedNamesTest, EntryAncestorsAndSamples) {
  PinListModel model;
  model.entries.push_back(Entry("a.example.com", "entries[0]"));
  EXPECT_THAT(Hosts(model),
              ElementsAre("a.example.com", "a.pinbake-sample.a.example.com",
                          "com", "example.com",
                          "pinbake-sample.a.example.com"));
}

TEST(ImpliedNamesTest, WildcardStandsForItsParentAndKeepsFirstEntry) {
  PinListModel model;
  model.entries.push_back(Entry("*.cdn.example.net", "entries[0]"));
  model.entries.push_back(Entry("cdn.example.net", "entries[1]"));
  const std::vector<ImpliedName> names = ImpliedNames(model);
  ASSERT_EQ(names.size(), 5u);
  EXPECT_EQ(names[0].host, "a.pinbake-sample.cdn.example.net");
  EXPECT_EQ(names[1].host, "cdn.example.net");
  EXPECT_EQ(names[1].entry, 0u);  // Implied first by the wildcard.
  EXPECT_EQ(names[2].host, "example.net");
  EXPECT_EQ(names[3].host, "net");
  EXPECT_EQ(names[4].host, "pinbake-sample.cdn.example.net");
}

TEST(ImpliedNamesTest, InvalidOrTooLongNamesAreLeftOut) {
  PinListModel model;
  std::string long_name;
  for (int i = 0; i < 3; ++i) long_name += std::string(63, 'a') + ".";
  long_name += std::string(40, 'b') + ".com";  // 236 bytes.
  model.entries.push_back(Entry(long_name, "entries[0]"));
  model.entries.push_back(Entry("Bad Name", "entries[1]"));
  for (const ImpliedName& n : ImpliedNames(model)) {
    EXPECT_LE(n.host.size(), 253u);
    EXPECT_NE(n.host, "Bad Name");
  }
}

}  // namespace
}  // namespace pinbake
