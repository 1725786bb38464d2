#include "testing/v2_hash_crafting.h"

#include <random>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "testing/v2_host_hash.h"

namespace pinbake {
namespace v2_crafting {

bool SameV2Hash(absl::string_view a, absl::string_view b, uint64_t seed) {
  const v2_host_hash::NameHash ha = v2_host_hash::HashName(a, seed);
  const v2_host_hash::NameHash hb = v2_host_hash::HashName(b, seed);
  return ha.bucket_word == hb.bucket_word &&
         ha.position_word == hb.position_word;
}

uint64_t V2Bucket(absl::string_view name, uint64_t seed, size_t entries) {
  const uint64_t buckets = (entries + 3) / 4;
  return v2_host_hash::BucketOf(v2_host_hash::HashName(name, seed), buckets);
}

std::vector<std::string> NamesInOneV2Bucket(size_t count, uint64_t seed,
                                            absl::string_view parent) {
  std::mt19937_64 rng(seed + 300);
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::vector<std::string> names;
  absl::flat_hash_set<std::string> seen;
  // Bounded: 1 in ~25 labels qualifies; give up after 10^7 tries.
  for (int tries = 0; names.size() < count && tries < 10000000; ++tries) {
    std::string label;
    for (int i = 0; i < 16; ++i) label += kChars[rng() % 36];
    std::string name = absl::StrCat(label, ".", parent);
    if (V2Bucket(name, seed, count) == 0 && seen.insert(name).second) {
      names.push_back(std::move(name));
    }
  }
  return names;
}

bool AllInOneV2Bucket(const std::vector<std::string>& names, uint64_t seed) {
  if (names.empty()) return true;
  const uint64_t first = V2Bucket(names[0], seed, names.size());
  for (const std::string& n : names) {
    if (V2Bucket(n, seed, names.size()) != first) return false;
  }
  return true;
}

}  // namespace v2_crafting
}  // namespace pinbake
