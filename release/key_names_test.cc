#include "release/key_names.h"

#include "gtest/gtest.h"

namespace pinbake {
namespace {

SpkiHash HashOf(uint8_t fill) {
  SpkiHash h;
  h.bytes.fill(fill);
  return h;
}

TEST(KeyNamesTest, PairsNamedPinsWithTheModelsHashes) {
  PinListModel model;
  model.pinsets.push_back({"shop", {HashOf(1), HashOf(2)}, {HashOf(3)}, "", ""});
  model.pinsets.push_back({"dup", {HashOf(4)}, {}, "", ""});
  const std::string literal = SpkiHashToString(HashOf(5));
  const std::string json = R"({
    // Comments are allowed, as in the compiler.
    "keys": {"ShopIntermediate": {"pem_file": "k.pem"}, "Lit": ")" +
                           literal + R"("},
    "pinsets": [
      {"name": "shop", "static_spki_hashes": ["ShopIntermediate", ")" +
                           SpkiHashToString(HashOf(2)) + R"("],
       "bad_static_spki_hashes": ["OldKey"]},
      {"name": "dup", "static_spki_hashes": ["A", "A"]}
    ],
    "entries": []})";
  const KeyNames names = KeyNamesOfList(json, model);
  EXPECT_EQ(names.size(), 3u);
  EXPECT_EQ(names.at(HashOf(1)), "ShopIntermediate");
  EXPECT_EQ(names.at(HashOf(3)), "OldKey");
  EXPECT_EQ(names.at(HashOf(5)), "Lit");
  EXPECT_EQ(names.count(HashOf(2)), 0u);  // A literal has no name.
  EXPECT_EQ(names.count(HashOf(4)), 0u);  // Counts differ: skipped.
  EXPECT_EQ(PinWithName(HashOf(1), names),
            SpkiHashToString(HashOf(1)) + " (ShopIntermediate)");
  EXPECT_EQ(PinWithName(HashOf(2), names), SpkiHashToString(HashOf(2)));
  EXPECT_TRUE(KeyNamesOfList("not json", model).empty());
}

TEST(KeyNamesTest, MergeKeepsExistingNames) {
  KeyNames to = {{HashOf(1), "New"}};
  MergeKeyNames({{HashOf(1), "Old"}, {HashOf(2), "Other"}}, &to);
  EXPECT_EQ(to.at(HashOf(1)), "New");
  EXPECT_EQ(to.at(HashOf(2)), "Other");
}

}  // namespace
}  // namespace pinbake
