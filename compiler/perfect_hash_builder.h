// Builder of the table's perfect hash (docs/format.md, "Perfect hash"): a
// PTHash-style "hash and displace" scheme. Names are split into buckets by
// their bucket word; buckets are placed largest first, each with the
// smallest pilot that sends all its names to free, distinct slots.

#ifndef PINBAKE_COMPILER_PERFECT_HASH_BUILDER_H_
#define PINBAKE_COMPILER_PERFECT_HASH_BUILDER_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/host_hash.h"

namespace pinbake {

struct PerfectHashParams {
  // Slots per name is 1 / load_factor; names per bucket on average is
  // bucket_size.
  double load_factor = 0.99;
  double bucket_size = 4.0;
};

struct PerfectHash {
  uint64_t slot_count = 0;
  uint64_t bucket_count = 0;
  int pilot_bits = 1;             // Width of the widest pilot.
  std::vector<uint64_t> pilots;   // Per bucket.
  std::vector<uint64_t> slot_of;  // Per input name, its slot.
};

// Builds a perfect hash for `hashes` (computed with `seed`). Deterministic.
// FailedPrecondition if two names share both hash words (the caller then
// retries with another seed); ResourceExhausted if a bucket finds no pilot
// below 2^32.
absl::StatusOr<PerfectHash> BuildPerfectHash(
    const std::vector<host_hash::NameHash>& hashes, uint64_t seed,
    const PerfectHashParams& params = PerfectHashParams());

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_PERFECT_HASH_BUILDER_H_
