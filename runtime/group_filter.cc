#include "runtime/group_filter.h"

#include <openssl/rand.h>

#include <cstring>

namespace pinbake {
namespace {

uint64_t Mix(uint64_t x) {
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ULL;
  x ^= x >> 32;
  return x;
}

}  // namespace

GroupFilter::GroupFilter(size_t groups) {
  if (RAND_bytes(reinterpret_cast<unsigned char*>(seed_), sizeof(seed_)) != 1) {
    return;  // Unseeded: stays empty ("maybe" for everything).
  }
  // About 16 bits per group: a false "maybe" for about 1 in 16 absent
  // groups.
  uint64_t bits = 1024;
  while (bits < groups * 16 && bits < (uint64_t{1} << 30)) bits <<= 1;
  bits_.assign(bits / 64, 0);
  mask_ = bits - 1;
}

void GroupFilter::Add(int tag, const uint8_t* prefix, size_t length) {
  if (mask_ == 0) return;
  const uint64_t h = Hash(tag, prefix, length);
  bits_[(h & mask_) >> 6] |= uint64_t{1} << (h & 63);
}

uint64_t GroupFilter::Hash(int tag, const uint8_t* prefix,
                           size_t length) const {
  // Multiply-xor over 8-byte words, keyed by the seed; the filter only
  // needs collisions to be unpredictable, not impossible (a collision
  // costs one exact search).
  constexpr uint64_t kOdd = 0x9E3779B97F4A7C15ULL;
  uint64_t h = seed_[0] ^ (static_cast<uint64_t>(tag) << 56) ^ length;
  size_t i = 0;
  for (; i + 8 <= length; i += 8) {
    uint64_t word;
    std::memcpy(&word, prefix + i, 8);
    h = (h ^ word ^ seed_[1]) * kOdd;
    h ^= h >> 29;
  }
  if (i < length) {
    uint64_t word = 0;
    std::memcpy(&word, prefix + i, length - i);
    h = (h ^ word ^ seed_[1]) * kOdd;
  }
  return Mix(h);
}

}  // namespace pinbake
