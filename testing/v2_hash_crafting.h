// Crafting helpers for the format 2 name hash (testing/v2_host_hash.h):
// names that collide with another name, or that all fall into one bucket of
// the v2 perfect hash. Regression tests use them to show that the v3 table
// is immune to the attacks that broke v2.

#ifndef PINBAKE_TESTING_V2_HASH_CRAFTING_H_
#define PINBAKE_TESTING_V2_HASH_CRAFTING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace pinbake {
namespace v2_crafting {

// Whether `a` and `b` have the same v2 hash (both hash words) at `seed`.
bool SameV2Hash(absl::string_view a, absl::string_view b, uint64_t seed);

// The v2 bucket of `name` in a table of `entries` names (the v2 compiler
// used ceil(entries / 4) buckets).
uint64_t V2Bucket(absl::string_view name, uint64_t seed, size_t entries);

// `count` distinct names "<16 random chars>.<parent>" that all fall into
// v2 bucket 0 of a table of `count` names at `seed` (found by search:
// about 1 in 25 random labels does). Deterministic.
std::vector<std::string> NamesInOneV2Bucket(size_t count, uint64_t seed,
                                            absl::string_view parent);

// Whether every name falls into the same v2 bucket (table of names.size()).
bool AllInOneV2Bucket(const std::vector<std::string>& names, uint64_t seed);

}  // namespace v2_crafting
}  // namespace pinbake

#endif  // PINBAKE_TESTING_V2_HASH_CRAFTING_H_
