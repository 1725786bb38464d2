#include "format/name_key.h"

#include <cstring>

#include "absl/base/optimization.h"

namespace pinbake {
namespace name_key {
namespace {

// SymbolOf for every byte, -1 as 0xFF.
struct SymbolTable {
  uint8_t symbol[256];
  constexpr SymbolTable() : symbol() {
    for (int c = 0; c < 256; ++c) {
      const int s = SymbolOf(static_cast<unsigned char>(c));
      symbol[c] = s < 0 ? 0xFF : static_cast<uint8_t>(s);
    }
  }
};
constexpr SymbolTable kSymbols;

}  // namespace

size_t KeyOf(absl::string_view name, uint8_t* out, uint16_t* label_start,
             int* labels) {
  const size_t size = name.size();
  if (size == 0 || size > kMaxKeyLength) return 0;
  // One pass over the bytes: their symbols, in name order, and where the
  // dots are; then the labels are copied in reverse order in 16-byte steps
  // (the buffers have room for the overshoot, which a later label or the
  // final copy leaves out). No data-dependent branch per byte.
  uint8_t symbols[kMaxKeyLength + 16];
  uint16_t dots[kMaxKeyLength];
  size_t dot_count = 0;
  uint8_t bad = 0;
  for (size_t i = 0; i < size; ++i) {
    const uint8_t s = kSymbols.symbol[static_cast<unsigned char>(name[i])];
    symbols[i] = s;
    dots[dot_count] = static_cast<uint16_t>(i);
    dot_count += s == kSymSeparator ? 1 : 0;
    bad |= s == 0xFF ? 1 : 0;
  }
  if (bad != 0) return 0;
  const size_t count = dot_count + 1;
  if (count > static_cast<size_t>(kMaxKeyLabels)) return 0;
  uint8_t key[kMaxKeyLength + 16];
  size_t pos = 0;
  size_t end = size;
  for (size_t k = 0; k < count; ++k) {
    const size_t begin = k < dot_count ? dots[dot_count - 1 - k] + 1u : 0u;
    if (label_start != nullptr) label_start[k] = static_cast<uint16_t>(begin);
    const size_t label = end - begin;
    for (size_t off = 0; off < label; off += 16) {
      std::memcpy(key + pos + off, symbols + begin + off, 16);
    }
    pos += label;
    if (begin > 0) {
      key[pos++] = kSymSeparator;
      end = begin - 1;
    }
  }
  std::memcpy(out, key, size);
  if (labels != nullptr) *labels = static_cast<int>(count);
  return size;
}

void KeyOfLabels(const char* name, size_t size, const uint16_t* label_start,
                 int labels, uint8_t* out) {
  if (size > kMaxKeyLength) size = kMaxKeyLength;
  uint8_t symbols[kMaxKeyLength + 16];
  for (size_t i = 0; i < size; ++i) {
    symbols[i] = kSymbols.symbol[static_cast<unsigned char>(name[i])];
  }
  size_t pos = 0;
  size_t end = size;
  for (int k = 0; k < labels; ++k) {
    const size_t begin = label_start[k] < end ? label_start[k] : end;
    const size_t label = end - begin;
    // Most labels fit one 16-byte step (no loop-exit branch to mispredict).
    std::memcpy(out + pos, symbols + begin, 16);
    if (ABSL_PREDICT_FALSE(label > 16)) {
      for (size_t off = 16; off < label; off += 16) {
        std::memcpy(out + pos + off, symbols + begin + off, 16);
      }
    }
    pos += label;
    if (begin == 0) break;
    out[pos++] = kSymSeparator;
    end = begin - 1;
  }
}

std::string NameOf(const uint8_t* key, size_t length) {
  std::string name;
  name.reserve(length);
  size_t end = length;
  while (true) {
    size_t begin = end;
    while (begin > 0 && key[begin - 1] != kSymSeparator) --begin;
    for (size_t i = begin; i < end; ++i) name += ByteOf(key[i]);
    if (begin == 0) break;
    name += '.';
    end = begin - 1;
  }
  return name;
}

}  // namespace name_key
}  // namespace pinbake
