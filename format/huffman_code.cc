#include "format/huffman_code.h"

#include "absl/strings/str_cat.h"

namespace pinbake {

absl::Status HuffmanDecoder::Build(const uint8_t* lengths, size_t symbol_count,
                                   HuffmanDecoder* out) {
  *out = HuffmanDecoder();
  if (symbol_count > kMaxCodeSymbols) {
    return absl::InvalidArgumentError("code alphabet too large");
  }
  uint32_t count[kMaxCodeLength + 1] = {};
  for (size_t s = 0; s < symbol_count; ++s) {
    if (lengths[s] > kMaxCodeLength) {
      return absl::InvalidArgumentError(
          absl::StrCat("code length ", lengths[s], " over ", kMaxCodeLength));
    }
    ++count[lengths[s]];
  }
  count[0] = 0;
  uint64_t kraft = 0;  // In units of 2^-kMaxCodeLength.
  for (int len = 1; len <= kMaxCodeLength; ++len) {
    kraft += uint64_t{count[len]} << (kMaxCodeLength - len);
  }
  if (kraft == 0) return absl::OkStatus();  // Unused alphabet.
  if (kraft != (uint64_t{1} << kMaxCodeLength)) {
    return absl::InvalidArgumentError(
        "code lengths do not form a complete prefix code");
  }
  out->empty_ = false;
  uint32_t code = 0;
  uint32_t index = 0;
  for (int len = 1; len <= kMaxCodeLength; ++len) {
    code = (code + (len > 1 ? count[len - 1] : 0)) << (len > 1 ? 1 : 0);
    out->first_code_[len] = code;
    out->count_[len] = count[len];
    out->first_index_[len] = index;
    index += count[len];
  }
  out->symbols_.resize(index);
  uint32_t next[kMaxCodeLength + 1];
  for (int len = 1; len <= kMaxCodeLength; ++len) next[len] = out->first_index_[len];
  for (size_t s = 0; s < symbol_count; ++s) {
    const int len = lengths[s];
    if (len == 0) continue;
    const uint32_t rank = next[len] - out->first_index_[len];
    out->symbols_[next[len]++] = static_cast<uint16_t>(s);
    if (len <= kFastCodeBits) {
      const uint32_t c = out->first_code_[len] + rank;
      const int spare = kFastCodeBits - len;
      for (uint32_t fill = 0; fill < (1u << spare); ++fill) {
        out->fast_[(c << spare) | fill] =
            static_cast<uint16_t>((s << 4) | static_cast<size_t>(len));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace pinbake
