#include "runtime/name_index.h"

#include <openssl/rand.h>

namespace pinbake {

bool NameHasher::Seed() {
  for (int attempt = 0; attempt < 8; ++attempt) {
    uint64_t random[2];
    if (RAND_bytes(reinterpret_cast<unsigned char*>(random), sizeof(random)) !=
        1) {
      return false;
    }
    const uint64_t point = random[0] & kPrime;
    // A point far from 0 and 1 (a small point would make short names
    // collide more often than the bound says; any of the others is fine).
    if (point < (uint64_t{1} << 32) || point == kPrime) continue;
    point_ = point;
    init_ = random[1] & kPrime;
    return true;
  }
  return false;
}

uint64_t NameHasher::HashName(const char* name, size_t size) const {
  // 8 bytes before the name for ExtendLabel's loads (only those and the
  // name's own bytes are read).
  uint8_t padded[8 + 256];
  std::memset(padded, 0, 8);
  if (size > 256) size = 256;
  std::memcpy(padded + 8, name, size);
  const uint8_t* data = padded + 8;
  uint64_t h = Empty();
  size_t end = size;
  for (size_t i = size; i > 0; --i) {
    if (data[i - 1] == '.') {
      if (i < end) h = ExtendLabel(h, data, i, end);
      end = i - 1;
    }
  }
  if (end > 0) h = ExtendLabel(h, data, 0, end);
  return h;
}

NameIndex::NameIndex(size_t count) {
  int entry_bits = 1;
  while (entry_bits < 32 && (count >> entry_bits) != 0) ++entry_bits;
  if (entry_bits > 24) return;  // Disabled: fewer than 8 tag bits left.
  uint64_t slots = 64;
  int log2 = 6;
  while (slots < 2 * count) {
    slots <<= 1;
    ++log2;
  }
  slots_.assign(slots, 0);
  mask_ = slots - 1;
  shift_ = 64 - log2;
  entry_bits_ = entry_bits;
  entry_mask_ = (uint32_t{1} << entry_bits) - 1;
  tag_mask_ = entry_bits == 32 ? 0 : (uint32_t{1} << (32 - entry_bits)) - 1;
}

bool NameIndex::Insert(uint64_t hash, uint32_t entry) {
  if (!enabled()) return false;
  uint64_t pos = Home(hash);
  for (uint32_t d = 0; d <= kMaxDisplacement; ++d) {
    if (slots_[pos] == 0) {
      slots_[pos] = (Tag(hash) << entry_bits_) | (entry + 1);
      if (d > max_displacement_) max_displacement_ = d;
      return true;
    }
    pos = (pos + 1) & mask_;
  }
  return false;
}

}  // namespace pinbake
