// GroupFilter: a "not here" filter over the entries' top-level label and
// two-top-label groups, built once at TableReader::Open and keyed per
// process (a random seed from the OS), so no list or host can be chosen to
// collide on purpose. It answers only "no entry can decide this host"
// (exactly) or "maybe" (then the exact search runs); a false "maybe" costs
// one search, never a wrong answer. docs/format.md, "Reader accelerators".

#ifndef PINBAKE_RUNTIME_GROUP_FILTER_H_
#define PINBAKE_RUNTIME_GROUP_FILTER_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pinbake {

class GroupFilter {
 public:
  // Empty: MayMatch says "maybe" for everything.
  GroupFilter() = default;

  // Starts a filter for about `groups` insertions, seeded from the OS
  // (falls back to "maybe" for everything if no seed can be had).
  explicit GroupFilter(size_t groups);

  // Records the key prefix `prefix` (name_key symbols) under `tag`.
  void Add(int tag, const uint8_t* prefix, size_t length);

  // False only if no Add(tag, prefix, length) was made. No allocation.
  bool MayContain(int tag, const uint8_t* prefix, size_t length) const {
    if (mask_ == 0) return true;
    const uint64_t h = Hash(tag, prefix, length);
    return (bits_[(h & mask_) >> 6] >> (h & 63)) & 1;
  }

  // Heap bytes of the bit array.
  size_t bytes() const { return bits_.capacity() * sizeof(uint64_t); }

 private:
  uint64_t Hash(int tag, const uint8_t* prefix, size_t length) const;
  uint64_t seed_[2] = {0, 0};
  uint64_t mask_ = 0;  // Bit count - 1; 0: empty filter.
  std::vector<uint64_t> bits_;
};

}  // namespace pinbake

#endif  // PINBAKE_RUNTIME_GROUP_FILTER_H_
