// NameIndex: a per-process keyed hash index from an entry name to its entry
// number, built by TableReader::Open from the names it has just decoded and
// checked (docs/format.md, "Reader accelerators"). Reader memory, never
// written to a table.
//
//   NameHasher hasher = ...;                 // Seeded from the OS.
//   uint64_t h = hasher.Empty();
//   for each label of the name, right to left:
//     h = hasher.ExtendLabel(h, padded, label_begin, label_end);
//   index.Insert(h, entry);                  // At Open.
//   ...
//   index.Find(h, [&](uint32_t e) { return table.EntryIs(e, key, n); });
//
// The index only narrows the search: every hit is confirmed by the caller
// against the name as stored in the table (exact comparison), and a miss is
// "not here" exactly, because every entry was inserted under the hash of
// its own name and the probe visits every slot where it could be.

#ifndef PINBAKE_RUNTIME_NAME_INDEX_H_
#define PINBAKE_RUNTIME_NAME_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"

namespace pinbake {

// Keyed hash of a host name's label suffixes: a polynomial over
// GF(2^61 - 1) at a secret random point, evaluated right to left, so that
// the hash of every suffix "label_j. ... .label_0" comes out of one pass.
// Each label contributes its bytes in 7-byte digits (from its end) and a
// separator digit (2^60, above any 7-byte digit), so distinct suffixes give
// distinct digit strings; two distinct names of at most 255 bytes collide
// with probability at most 2^-52 over the seed, whatever they are.
class NameHasher {
 public:
  // Unseeded: Seed() must succeed before use.
  NameHasher() = default;

  // Draws the point and the start value from the OS (OpenSSL RAND_bytes).
  // False if no randomness can be had.
  bool Seed();

  // The hash of the empty suffix.
  uint64_t Empty() const { return init_; }

  // The hash of label bytes [begin, end) of `data` followed by the suffix
  // whose hash is `h`. Reads data[begin - 7 .. end): the caller keeps 7
  // readable bytes before the name (their values do not matter). Requires
  // begin < end. No allocation, no branch on the bytes' values.
  ABSL_ATTRIBUTE_ALWAYS_INLINE uint64_t ExtendLabel(uint64_t h,
                                                    const uint8_t* data,
                                                    size_t begin,
                                                    size_t end) const {
    // Digits from the label's end: bytes [e - r, e) with r = min(7, e -
    // begin), loaded as the top r bytes of the 8 bytes ending at e.
    for (size_t e = end; e > begin;) {
      const size_t r = e - begin < 7 ? e - begin : 7;
      uint64_t word;
      std::memcpy(&word, data + e - 8, 8);
      h = Step(h, word >> (8 * (8 - r)));
      e -= r;
    }
    return Step(h, kSeparatorDigit);
  }

  // The hash of the whole name `name` (size bytes, at most 255): labels
  // right to left, as ExtendLabel. For building the index; no padding
  // needed.
  uint64_t HashName(const char* name, size_t size) const;

 private:
  static constexpr uint64_t kPrime = (uint64_t{1} << 61) - 1;
  static constexpr uint64_t kSeparatorDigit = uint64_t{1} << 60;

  // h * point + digit, reduced to below 2^61 + 8 (not fully: a
  // deterministic representative of the residue is all a hash needs).
  ABSL_ATTRIBUTE_ALWAYS_INLINE uint64_t Step(uint64_t h, uint64_t digit) const {
    const unsigned __int128 t =
        static_cast<unsigned __int128>(h) * point_;
    uint64_t r = (static_cast<uint64_t>(t) & kPrime) +
                 static_cast<uint64_t>(t >> 61) + digit;
    return (r & kPrime) + (r >> 61);
  }

  uint64_t point_ = 0;
  uint64_t init_ = 0;
};

// Open-addressing table (linear probing, at most half full) of 32-bit
// slots: entry number + 1 in the low bits, a tag of the hash above them;
// 0 is an empty slot.
class NameIndex {
 public:
  // An unusable index (enabled() is false).
  NameIndex() = default;

  // An index for `count` entries; disabled if count needs more than 24
  // bits.
  explicit NameIndex(size_t count);

  bool enabled() const { return mask_ != 0; }

  // Records entry `entry` (< count) under `hash`. Returns false (and the
  // index should be dropped or rebuilt with a new seed) if its slot is more
  // than kMaxDisplacement away from where the probe starts.
  bool Insert(uint64_t hash, uint32_t entry);

  // Where a probe for `hash` starts; prefetching it hides the cache miss.
  ABSL_ATTRIBUTE_ALWAYS_INLINE void Prefetch(uint64_t hash) const {
    __builtin_prefetch(&slots_[Home(hash)]);
  }

  // The entry under `hash` that `confirm(entry)` accepts, or -1. Visits
  // every slot from the hash's home up to the first empty slot (at most
  // the largest displacement any Insert made), and calls `confirm` only
  // for slots whose tag matches. Exact whenever `confirm` is. No
  // allocation.
  template <typename Confirm>
  ABSL_ATTRIBUTE_ALWAYS_INLINE int64_t Find(uint64_t hash,
                                            Confirm&& confirm) const {
    const uint32_t tag = Tag(hash);
    uint64_t pos = Home(hash);
    for (uint32_t d = 0; d <= max_displacement_; ++d) {
      const uint32_t slot = slots_[pos];
      if (slot == 0) return -1;
      if ((slot >> entry_bits_) == tag) {
        const uint32_t entry = (slot & entry_mask_) - 1;
        if (ABSL_PREDICT_TRUE(confirm(entry))) return entry;
      }
      pos = (pos + 1) & mask_;
    }
    return -1;
  }

  // Heap bytes of the slots.
  size_t bytes() const { return slots_.capacity() * sizeof(uint32_t); }

  // Farthest any entry sits from its probe's start.
  static constexpr uint32_t kMaxDisplacement = 64;

 private:
  ABSL_ATTRIBUTE_ALWAYS_INLINE uint64_t Mixed(uint64_t hash) const {
    return (hash ^ (hash >> 31)) * 0x9E3779B97F4A7C15ULL;
  }
  ABSL_ATTRIBUTE_ALWAYS_INLINE uint64_t Home(uint64_t hash) const {
    return Mixed(hash) >> shift_;
  }
  ABSL_ATTRIBUTE_ALWAYS_INLINE uint32_t Tag(uint64_t hash) const {
    return static_cast<uint32_t>(Mixed(hash) >> 8) & tag_mask_;
  }

  std::vector<uint32_t> slots_;
  uint64_t mask_ = 0;  // Slot count - 1; 0: disabled.
  int shift_ = 64;     // 64 - log2(slot count).
  int entry_bits_ = 0;
  uint32_t entry_mask_ = 0;
  uint32_t tag_mask_ = 0;
  uint32_t max_displacement_ = 0;
};

}  // namespace pinbake

#endif  // PINBAKE_RUNTIME_NAME_INDEX_H_
