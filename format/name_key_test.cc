#include "format/name_key.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace pinbake {
namespace name_key {
namespace {

std::string KeyText(absl::string_view name) {
  uint8_t key[kMaxKeyLength];
  const size_t n = KeyOf(name, key, nullptr, nullptr);
  std::string out;
  for (size_t i = 0; i < n; ++i) out += key[i] == kSymSeparator ? '|' : ByteOf(key[i]);
  return out;
}

TEST(NameKeyTest, ReversesLabelsAndRoundTrips) {
  EXPECT_EQ(KeyText("www.example.com"), "com|example|www");
  EXPECT_EQ(KeyText("*.cdn.example.net"), "net|example|cdn|*");
  EXPECT_EQ(KeyText("com"), "com");
  uint8_t key[kMaxKeyLength];
  uint16_t starts[kMaxKeyLabels];
  int labels = 0;
  const size_t n = KeyOf("a.bc.d", key, starts, &labels);
  EXPECT_EQ(labels, 3);
  EXPECT_EQ(starts[0], 5);  // "d"
  EXPECT_EQ(starts[1], 2);  // "bc"
  EXPECT_EQ(starts[2], 0);  // "a"
  EXPECT_EQ(NameOf(key, n), "a.bc.d");
}

TEST(NameKeyTest, OrderKeepsAncestorsFirstAndBytesInOrder) {
  // The separator is below every label symbol; symbols follow byte order.
  for (const char* chars : {"*-0123456789_abcdefghijklmnopqrstuvwxyz"}) {
    for (size_t i = 1; chars[i] != '\0'; ++i) {
      EXPECT_LT(SymbolOf(chars[i - 1]), SymbolOf(chars[i]));
      EXPECT_GT(SymbolOf(chars[i]), kSymSeparator);
    }
  }
  EXPECT_LT(KeyText("example.com"), KeyText("a.example.com"));
  EXPECT_LT(KeyText("a.example.com"), KeyText("a-b.example.com"));
}

TEST(NameKeyTest, RefusesWhatNoEntryCanContain) {
  uint8_t key[kMaxKeyLength];
  EXPECT_EQ(KeyOf("", key, nullptr, nullptr), 0u);
  EXPECT_EQ(KeyOf("A.com", key, nullptr, nullptr), 0u);
  EXPECT_EQ(KeyOf("a b.com", key, nullptr, nullptr), 0u);
  EXPECT_EQ(KeyOf(std::string(256, 'a'), key, nullptr, nullptr), 0u);
  EXPECT_EQ(KeyOf(std::string("a\0b", 3), key, nullptr, nullptr), 0u);
}

TEST(NameKeyTest, KeyOfLabelsIsKeyOf) {
  std::vector<std::string> names = {"com", "example.com", "*.cdn.example.net",
                                    "a.b.c.d.e", std::string(63, 'x') + ".y"};
  std::string many;
  for (int i = 0; i < 127; ++i) many += i == 0 ? "q" : ".q";
  names.push_back(many);
  names.push_back(std::string(60, 'a') + "." + std::string(60, 'b') + "." +
                  std::string(60, 'c') + "." + std::string(63, 'd'));
  for (const std::string& name : names) {
    uint8_t expected[kMaxKeyLength];
    uint16_t starts[kMaxKeyLabels];
    int labels = 0;
    const size_t length = KeyOf(name, expected, starts, &labels);
    ASSERT_EQ(length, name.size()) << name;
    uint8_t key[kMaxKeyLength + 16];
    KeyOfLabels(name.data(), name.size(), starts, labels, key);
    EXPECT_EQ(std::string(key, key + length),
              std::string(expected, expected + length))
        << name;
  }
}

}  // namespace
}  // namespace name_key
}  // namespace pinbake
