#include "runtime/name_key.h"

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
  if (name.empty() || name.size() > kMaxKeyLength) return 0;
  size_t pos = 0;
  int count = 0;
  size_t end = name.size();
  while (true) {
    size_t begin = end;
    while (begin > 0 && name[begin - 1] != '.') --begin;
    if (count >= kMaxKeyLabels) return 0;
    if (label_start != nullptr) label_start[count] = static_cast<uint16_t>(begin);
    ++count;
    if (count > 1) out[pos++] = kSymSeparator;
    // A label symbol is 2..40 (kSymStar up); checked once per label.
    uint8_t bad = 0;
    for (size_t i = begin; i < end; ++i) {
      const uint8_t s = kSymbols.symbol[static_cast<unsigned char>(name[i])];
      bad |= static_cast<uint8_t>(static_cast<uint8_t>(s - 2) > 38);
      out[pos++] = s;
    }
    if (bad != 0) return 0;
    if (begin == 0) break;
    end = begin - 1;
  }
  if (labels != nullptr) *labels = count;
  return pos;
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
