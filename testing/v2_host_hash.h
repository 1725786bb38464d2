// A private copy of the name hash of table format 2 (the v2 runtime's
// format/host_hash.h, removed with format 3), kept only so that tests can
// craft the inputs that broke v2 tables and show that v3 is immune.
//
// HostHash: the hash of entry names used by the v2 table. A name is hashed label by label from its last label to its
// first, so one pass over a host yields the hash of the host, of each
// ancestor (a suffix of it) and of its "*.parent" wildcard name. The compiler and the runtime share
// this code, so both agree bit for bit.
//
// Not a cryptographic hash: the table's fingerprints guard against chance
// collisions only (docs/format.md, "False matches").

#ifndef PINBAKE_TESTING_V2_HOST_HASH_H_
#define PINBAKE_TESTING_V2_HOST_HASH_H_

#include <cstddef>
#include <algorithm>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace pinbake {
namespace v2_host_hash {

// The 64-bit finaliser of MurmurHash3: a bijection that mixes every input
// bit into every output bit.
inline uint64_t Mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// The running state after some labels of a name have been consumed, last
// label first. Start() is the state of the empty suffix; PushLabel() puts
// one more label in front. A label is hashed 8 bytes at a time, read as
// little-endian words (so tables are the same on every machine), each
// folded in with a multiply; the label's word is mixed once at the end.
inline uint64_t Start(uint64_t seed) {
  return Mix64(seed ^ 0x9e3779b97f4a7c15ULL);
}
inline uint64_t PushLabel(uint64_t state, absl::string_view label) {
  uint64_t word = Mix64(label.size() ^ 0x632be59bd9b4e019ULL);
  for (size_t i = 0; i < label.size(); i += 8) {
    const size_t n = label.size() - i < 8 ? label.size() - i : 8;
    uint64_t chunk = 0;
    for (size_t b = 0; b < n; ++b) {
      chunk |= uint64_t{static_cast<unsigned char>(label[i + b])} << (8 * b);
    }
    word = (word ^ chunk) * 0x9fb21c651e98df25ULL;
  }
  return Mix64(state ^ Mix64(word) ^ 0xa0761d6478bd642fULL);
}

// The two hash words of a name whose `length` bytes led to `state`.
struct NameHash {
  uint64_t bucket_word;    // High bits: bucket; low bits: fingerprint.
  uint64_t position_word;  // With the bucket's pilot: the slot.
};
inline NameHash Finish(uint64_t state, size_t length) {
  const uint64_t h = Mix64(state ^ (uint64_t{length} << 56) ^ length);
  return {h, Mix64(h ^ 0xd6e8feb86659fd93ULL)};
}

// The hash of a whole name (used by the compiler and by FindEntry): its
// labels pushed from the last to the first. "*.parent" is the parent's
// state with the label "*" pushed.
inline NameHash HashName(absl::string_view name, uint64_t seed) {
  uint64_t state = Start(seed);
  size_t end = name.size();
  while (true) {
    size_t begin = end;
    while (begin > 0 && name[begin - 1] != '.') --begin;
    state = PushLabel(state, name.substr(begin, end - begin));
    if (begin == 0) break;
    end = begin - 1;
  }
  return Finish(state, name.size());
}

// floor(x * n / 2^64): maps a uniform 64-bit word onto [0, n).
inline uint64_t ScaleTo(uint64_t x, uint64_t n) {
  return static_cast<uint64_t>((static_cast<unsigned __int128>(x) * n) >> 64);
}

// The bucket of a name, for `bucket_count` buckets. As in PTHash, the
// buckets are skewed: 60% of names go to the first 30% of buckets, so that
// big buckets are placed while the table is still empty and the pilots stay
// small. Uses the top 28 bits of the bucket word; the fingerprint uses the
// low bits.
inline uint64_t BucketOf(const NameHash& hash, uint64_t bucket_count) {
  const uint64_t top = hash.bucket_word >> 36;          // Uniform in [0, 2^28).
  const uint64_t dense_top = (uint64_t{1} << 28) * 6 / 10;
  const uint64_t dense_buckets = (bucket_count * 3 + 9) / 10;  // >= 1.
  if (top < dense_top || dense_buckets >= bucket_count) {
    return std::min(top, dense_top - 1) * dense_buckets / dense_top;
  }
  return dense_buckets + (top - dense_top) * (bucket_count - dense_buckets) /
                             ((uint64_t{1} << 28) - dense_top);
}

// The slot of a name in the table, given its bucket's pilot. The XOR with
// the pilot's hash is mixed again, so that two names of one bucket land on
// unrelated slots for each pilot.
inline uint64_t PilotHash(uint64_t pilot, uint64_t seed) {
  return Mix64(pilot + seed);
}
inline uint64_t SlotOfPilotHash(uint64_t position_word, uint64_t pilot_hash,
                                uint64_t slot_count) {
  return ScaleTo(Mix64(position_word ^ pilot_hash), slot_count);
}
inline uint64_t SlotOf(uint64_t position_word, uint64_t pilot, uint64_t seed,
                       uint64_t slot_count) {
  return SlotOfPilotHash(position_word, PilotHash(pilot, seed), slot_count);
}

// The fingerprint of a name: the low `bits` bits of its bucket word (the
// bucket uses the high bits), never 0 (0 marks an empty slot).
inline uint64_t FingerprintOf(const NameHash& hash, int bits) {
  const uint64_t mask = bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  const uint64_t fp = hash.bucket_word & mask;
  return fp == 0 ? 1 : fp;
}

}  // namespace v2_host_hash
}  // namespace pinbake

#endif  // PINBAKE_TESTING_V2_HOST_HASH_H_
