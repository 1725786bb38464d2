// Builder of the canonical Huffman codes of the v3 table (docs/format.md,
// "Codes"; decoded by format/huffman_code.h) and of its MSB-first bit
// stream.

#ifndef PINBAKE_COMPILER_HUFFMAN_BUILDER_H_
#define PINBAKE_COMPILER_HUFFMAN_BUILDER_H_

#include <cstdint>
#include <string>
#include <vector>

namespace pinbake {

// Code lengths (1..max_length, 0 for symbols of frequency 0) of a Huffman
// code for `frequencies`. The code is complete: if exactly one symbol is
// used, another symbol gets a code too, so both have length 1. All zero if
// no symbol is used. Deterministic (ties broken by symbol). Requires
// max_length >= 2 and 2^max_length >= the number of symbols.
std::vector<uint8_t> HuffmanLengths(const std::vector<uint64_t>& frequencies,
                                    int max_length);

// The canonical codes of `lengths`: codes assigned in (length, symbol)
// order, each `lengths[s]` bits long.
std::vector<uint32_t> CanonicalCodes(const std::vector<uint8_t>& lengths);

// Appends bits most significant first.
class BitWriter {
 public:
  // Appends the low `length` bits of `code`, highest first.
  void Append(uint32_t code, int length);
  uint64_t bit_size() const { return bit_size_; }
  // The bytes, the last one zero-padded, plus 8 zero bytes.
  std::string PaddedBytes() const;

 private:
  std::string bytes_;
  uint64_t bit_size_ = 0;
};

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_HUFFMAN_BUILDER_H_
