#include "runtime/name_index.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace pinbake {
namespace {

// The hashes of a name's label suffixes as a lookup computes them: one
// pass from the right over the name with 8 bytes before it.
std::vector<uint64_t> SuffixHashes(const NameHasher& hasher,
                                   const std::string& name) {
  std::string padded(8, '\x7f');
  padded += name;
  const auto* data = reinterpret_cast<const uint8_t*>(padded.data()) + 8;
  std::vector<uint64_t> out;
  uint64_t h = hasher.Empty();
  size_t end = name.size();
  for (size_t i = name.size(); i > 0; --i) {
    if (name[i - 1] != '.') continue;
    h = hasher.ExtendLabel(h, data, i, end);
    out.push_back(h);
    end = i - 1;
  }
  out.push_back(hasher.ExtendLabel(h, data, 0, end));
  return out;
}

TEST(NameHasherTest, SuffixHashesAreTheHashesOfTheSuffixes) {
  NameHasher hasher;
  ASSERT_TRUE(hasher.Seed());
  for (const std::string& name : std::vector<std::string>{"com", "google.com", "a.b.c", "accounts.google.com",
        "a-very-long-label-of-more-than-seven-bytes.example.co.uk",
        std::string(63, 'x') + "." + std::string(63, 'y')}) {
    const std::vector<uint64_t> hashes = SuffixHashes(hasher, name);
    std::vector<std::string> suffixes;
    for (size_t i = name.size(); i > 0; --i) {
      if (name[i - 1] == '.') suffixes.push_back(name.substr(i));
    }
    suffixes.push_back(name);
    ASSERT_EQ(hashes.size(), suffixes.size()) << name;
    for (size_t j = 0; j < hashes.size(); ++j) {
      EXPECT_EQ(hashes[j],
                hasher.HashName(suffixes[j].data(), suffixes[j].size()))
          << suffixes[j];
    }
  }
}

TEST(NameHasherTest, WildcardIsTheParentExtendedByAStarLabel) {
  NameHasher hasher;
  ASSERT_TRUE(hasher.Seed());
  static constexpr uint8_t kStar[9] = {0, 0, 0, 0, 0, 0, 0, 0, '*'};
  const std::string parent = "cdn.example.net";
  EXPECT_EQ(hasher.ExtendLabel(hasher.HashName(parent.data(), parent.size()),
                               kStar + 8, 0, 1),
            hasher.HashName("*.cdn.example.net", 17));
}

// Names that differ only in where the label boundaries or the 7-byte
// digits fall, or by a trailing byte, hash apart (the digit string is
// injective; a collision would have probability 2^-52).
TEST(NameHasherTest, NearNamesHashApart) {
  NameHasher hasher;
  ASSERT_TRUE(hasher.Seed());
  std::vector<std::string> names = {"ab.c", "a.bc", "abc", "a.b.c",
                                    "abcdefg", "abcdefgh", "abcdefg.h",
                                    "a.bcdefgh", "aaaaaaa", "aaaaaaaa"};
  for (int i = 0; i < 200000; ++i) {
    names.push_back(absl::StrCat("h", i, ".example.com"));
    names.push_back(absl::StrCat("example", i, ".com"));
  }
  absl::flat_hash_set<uint64_t> seen;
  for (const std::string& n : names) {
    EXPECT_TRUE(seen.insert(hasher.HashName(n.data(), n.size())).second) << n;
  }
}

TEST(NameHasherTest, EachSeedGivesOtherHashes) {
  NameHasher a, b;
  ASSERT_TRUE(a.Seed());
  ASSERT_TRUE(b.Seed());
  EXPECT_NE(a.HashName("google.com", 10), b.HashName("google.com", 10));
}

TEST(NameIndexTest, FindsEveryEntryAndNothingElse) {
  NameHasher hasher;
  ASSERT_TRUE(hasher.Seed());
  std::vector<std::string> names;
  for (int i = 0; i < 50000; ++i) names.push_back(absl::StrCat("n", i, ".org"));
  NameIndex index(names.size());
  ASSERT_TRUE(index.enabled());
  for (uint32_t e = 0; e < names.size(); ++e) {
    ASSERT_TRUE(
        index.Insert(hasher.HashName(names[e].data(), names[e].size()), e));
  }
  EXPECT_LE(index.bytes(), 4 * 2 * 65536u);
  for (uint32_t e = 0; e < names.size(); ++e) {
    const std::string& n = names[e];
    int calls = 0;
    const int64_t found =
        index.Find(hasher.HashName(n.data(), n.size()), [&](uint32_t c) {
          ++calls;
          return names[c] == n;
        });
    ASSERT_EQ(found, e);
    EXPECT_LE(calls, 2);  // Another entry only on a tag collision.
  }
  int confirmations = 0;
  for (int i = 0; i < 50000; ++i) {
    const std::string n = absl::StrCat("m", i, ".org");
    EXPECT_EQ(index.Find(hasher.HashName(n.data(), n.size()),
                         [&](uint32_t c) {
                           ++confirmations;
                           return names[c] == n;
                         }),
              -1);
  }
  // A miss is decided by the slots alone except on a tag collision (1 in
  // 2^16 per occupied slot probed here).
  EXPECT_LT(confirmations, 50);
}

// The index trusts only `confirm`: a hit it rejects is not returned.
TEST(NameIndexTest, OnlyConfirmedHitsAreReturned) {
  NameIndex index(10);
  ASSERT_TRUE(index.Insert(42, 3));
  EXPECT_EQ(index.Find(42, [](uint32_t) { return false; }), -1);
  EXPECT_EQ(index.Find(42, [](uint32_t e) { return e == 3; }), 3);
}

TEST(NameIndexTest, DefaultIndexIsDisabled) {
  NameIndex index;
  EXPECT_FALSE(index.enabled());
  EXPECT_FALSE(index.Insert(1, 0));
  EXPECT_EQ(index.bytes(), 0u);
}

}  // namespace
}  // namespace pinbake
