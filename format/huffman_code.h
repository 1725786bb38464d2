// Canonical Huffman codes as the v3 table stores them (docs/format.md,
// "Codes"): an alphabet's code is given by one code length (0..15) per
// symbol, 0 meaning "not used"; codes are assigned in order of (length,
// symbol) and read most significant bit first. HuffmanDecoder is built once
// at TableReader::Open from validated lengths; decoding never fails and
// never reads outside the bit stream (BitCursor returns zero bits past its
// end), so a lookup stays in bounds even over bytes changed after Open.

#ifndef PINBAKE_FORMAT_HUFFMAN_CODE_H_
#define PINBAKE_FORMAT_HUFFMAN_CODE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/status/status.h"

namespace pinbake {

inline constexpr int kMaxCodeLength = 15;
// Codes up to this length decode with one table lookup.
inline constexpr int kFastCodeBits = 8;
// Largest alphabet.
inline constexpr size_t kMaxCodeSymbols = 4096;

// A read position in a bit stream of `bit_size` bits stored most
// significant bit first in `data`, which must have 8 readable bytes past
// ceil(bit_size / 8). Reads zero bits past the end of the stream, so no
// read leaves the buffer whatever is decoded.
class BitCursor {
 public:
  BitCursor(const uint8_t* data, uint64_t bit_size, uint64_t position)
      : data_(data), bytes_((bit_size + 7) / 8) {
    if (position > bit_size) position = bit_size;
    next_ = position >> 3;
    Refill();
    const int skip = static_cast<int>(position & 7);
    buffer_ <<= skip;
    count_ -= skip;
  }

  // The next 16 or more bits, most significant first (zeros past the end).
  ABSL_ATTRIBUTE_ALWAYS_INLINE uint64_t Peek() const { return buffer_; }
  // Consumes `bits` (1..16) bits.
  ABSL_ATTRIBUTE_ALWAYS_INLINE void Skip(int bits) {
    buffer_ <<= bits;
    count_ -= bits;
    if (count_ < 16) Refill();
  }
  // Bits consumed from the start of the stream.
  uint64_t position() const { return next_ * 8 - static_cast<uint64_t>(count_); }

 private:
  // Tops the buffer up to at least 56 bits with the next whole bytes.
  void Refill() {
    uint64_t word = 0;
    if (next_ < bytes_) {
      std::memcpy(&word, data_ + next_, 8);
      word = __builtin_bswap64(word);
    }
    buffer_ |= word >> count_;
    next_ += static_cast<uint64_t>(63 - count_) >> 3;
    count_ |= 56;
  }

  const uint8_t* data_;
  uint64_t bytes_;
  uint64_t next_ = 0;     // Next byte to load.
  uint64_t buffer_ = 0;   // Unconsumed bits, top aligned.
  int count_ = 0;         // Valid bits in buffer_.
};

// Decoder of one canonical code.
class HuffmanDecoder {
 public:
  // Builds the decoder of `lengths` (one per symbol, at most 4,096).
  // InvalidArgument unless the lengths are all 0 (an unused code) or form
  // a complete prefix code (Kraft sum exactly 1).
  static absl::Status Build(const uint8_t* lengths, size_t symbol_count,
                            HuffmanDecoder* out);

  // Whether no symbol has a code (the alphabet is not used).
  bool empty() const { return empty_; }

  // Decodes one symbol at `cursor` and advances it. An empty code decodes
  // every input as symbol 0 of length 1 (only reachable over bytes changed
  // after validation; Open rejects it). Never reads outside the stream.
  ABSL_ATTRIBUTE_ALWAYS_INLINE uint32_t Decode(BitCursor* cursor) const {
    const uint64_t window = cursor->Peek();
    const uint32_t fast = fast_[window >> (64 - kFastCodeBits)];
    if (fast != 0) {
      cursor->Skip(static_cast<int>(fast & 0xF));
      return fast >> 4;
    }
    for (int len = kFastCodeBits + 1; len <= kMaxCodeLength; ++len) {
      const uint32_t code = static_cast<uint32_t>(window >> (64 - len));
      const uint32_t rank = code - first_code_[len];
      if (rank < count_[len]) {
        cursor->Skip(len);
        return symbols_[first_index_[len] + rank];
      }
    }
    cursor->Skip(1);
    return 0;
  }

 private:
  bool empty_ = true;
  // (symbol << 4) | length for codes of up to kFastCodeBits bits, indexed
  // by the next kFastCodeBits bits; 0 for longer codes.
  uint16_t fast_[1 << kFastCodeBits] = {};
  uint32_t first_code_[kMaxCodeLength + 1] = {};
  uint32_t count_[kMaxCodeLength + 1] = {};
  uint32_t first_index_[kMaxCodeLength + 1] = {};
  std::vector<uint16_t> symbols_;  // In code order.
};

}  // namespace pinbake

#endif  // PINBAKE_FORMAT_HUFFMAN_CODE_H_
