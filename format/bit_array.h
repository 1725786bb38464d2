// Fixed-width unsigned fields packed back to back in a byte array, least
// significant bit first (docs/format.md, "Packed arrays").
//
// A packed array of `count` fields of `width` bits occupies
// PackedArrayBytes(count, width) bytes: the bits rounded up to whole bytes
// plus 8 bytes of zero padding, so that every field can be read with one
// unaligned 8-byte load that stays inside the array.

#ifndef PINBAKE_FORMAT_BIT_ARRAY_H_
#define PINBAKE_FORMAT_BIT_ARRAY_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace pinbake {

// Widest field a packed array may hold (so that shift + width <= 64).
inline constexpr int kMaxPackedWidth = 56;
inline constexpr size_t kPackedPadding = 8;

// Bytes of a packed array of `count` fields of `width` bits, padding
// included.
inline uint64_t PackedArrayBytes(uint64_t count, int width) {
  return (count * static_cast<uint64_t>(width) + 7) / 8 + kPackedPadding;
}

// Reads field `index` of `width` bits from the packed array at `data`.
// Requires index < count of a validated array and 0 < width <= 56.
inline uint64_t ReadPacked(const uint8_t* data, uint64_t index, int width) {
  const uint64_t bit = index * static_cast<uint64_t>(width);
  uint64_t word;
  std::memcpy(&word, data + bit / 8, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  word = __builtin_bswap64(word);
#endif
  return (word >> (bit % 8)) & ((uint64_t{1} << width) - 1);
}

// Builds a packed array.
class PackedArrayWriter {
 public:
  PackedArrayWriter(uint64_t count, int width)
      : width_(width), bytes_(PackedArrayBytes(count, width), '\0') {}

  // Sets field `index`, which must still be zero, to the low `width` bits
  // of `value`.
  void Set(uint64_t index, uint64_t value) {
    const uint64_t bit = index * static_cast<uint64_t>(width_);
    // width <= 56, so the field spans at most 8 bytes from bit / 8.
    const uint64_t shifted = (value & ((uint64_t{1} << width_) - 1))
                             << (bit % 8);
    for (int i = 0; i < 8; ++i) {
      bytes_[bit / 8 + i] = static_cast<char>(
          static_cast<uint8_t>(bytes_[bit / 8 + i]) | ((shifted >> (8 * i)) & 0xFF));
    }
  }

  const std::string& bytes() const { return bytes_; }

 private:
  int width_;
  std::string bytes_;
};

}  // namespace pinbake

#endif  // PINBAKE_FORMAT_BIT_ARRAY_H_
