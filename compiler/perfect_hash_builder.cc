#include "compiler/perfect_hash_builder.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"

namespace pinbake {

absl::StatusOr<PerfectHash> BuildPerfectHash(
    const std::vector<host_hash::NameHash>& hashes, uint64_t seed,
    const PerfectHashParams& params) {
  const uint64_t n = hashes.size();
  PerfectHash out;
  out.slot_count = std::max<uint64_t>(
      1, static_cast<uint64_t>(std::ceil(n / params.load_factor)));
  out.bucket_count = std::max<uint64_t>(
      1, static_cast<uint64_t>(std::ceil(n / params.bucket_size)));
  out.pilots.assign(out.bucket_count, 0);
  out.slot_of.assign(n, 0);

  // Names grouped by bucket: (bucket, name index), sorted.
  std::vector<std::pair<uint64_t, uint32_t>> by_bucket(n);
  for (uint64_t i = 0; i < n; ++i) {
    by_bucket[i] = {host_hash::BucketOf(hashes[i], out.bucket_count),
                    static_cast<uint32_t>(i)};
  }
  std::sort(by_bucket.begin(), by_bucket.end());

  // Two names of one bucket with the same position word can never be
  // separated by any pilot.
  for (uint64_t i = 1; i < n; ++i) {
    if (by_bucket[i - 1].first == by_bucket[i].first &&
        hashes[by_bucket[i - 1].second].position_word ==
            hashes[by_bucket[i].second].position_word) {
      return absl::FailedPreconditionError("two names share a hash");
    }
  }

  // Bucket runs [begin, end) in by_bucket, largest first, ties by bucket.
  struct Run {
    uint64_t begin, end;
  };
  std::vector<Run> runs;
  for (uint64_t i = 0; i < n;) {
    uint64_t j = i;
    while (j < n && by_bucket[j].first == by_bucket[i].first) ++j;
    runs.push_back({i, j});
    i = j;
  }
  std::stable_sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) {
    return a.end - a.begin > b.end - b.begin;
  });

  std::vector<uint8_t> taken(out.slot_count, 0);
  std::vector<uint64_t> positions;
  uint64_t max_pilot = 0;
  for (const Run& run : runs) {
    const uint64_t bucket = by_bucket[run.begin].first;
    bool placed = false;
    for (uint64_t pilot = 0; pilot < (uint64_t{1} << 32); ++pilot) {
      positions.clear();
      bool ok = true;
      const uint64_t pilot_hash = host_hash::PilotHash(pilot, seed);
      for (uint64_t k = run.begin; k < run.end && ok; ++k) {
        const uint64_t slot = host_hash::SlotOfPilotHash(
            hashes[by_bucket[k].second].position_word, pilot_hash,
            out.slot_count);
        if (taken[slot] != 0 ||
            std::find(positions.begin(), positions.end(), slot) !=
                positions.end()) {
          ok = false;
        } else {
          positions.push_back(slot);
        }
      }
      if (!ok) continue;
      for (uint64_t k = run.begin; k < run.end; ++k) {
        const uint64_t slot = positions[k - run.begin];
        taken[slot] = 1;
        out.slot_of[by_bucket[k].second] = slot;
      }
      out.pilots[bucket] = pilot;
      max_pilot = std::max(max_pilot, pilot);
      placed = true;
      break;
    }
    if (!placed) {
      return absl::ResourceExhaustedError(
          absl::StrCat("no pilot places bucket ", bucket));
    }
  }
  out.pilot_bits = 1;
  while (out.pilot_bits < 64 && (max_pilot >> out.pilot_bits) != 0) {
    ++out.pilot_bits;
  }
  return out;
}

}  // namespace pinbake
