// NameKey: the label-reversed, symbol-coded form of an entry name or host
// that the v3 table sorts and stores (docs/format.md, "Name keys").
//
// A name's labels are written from the last to the first, separated by
// kSymSeparator; each byte becomes a symbol 1..40 whose order is the byte
// order, and the separator is below every label symbol. So an ancestor's
// key is a prefix of its descendants' keys, and every entry that is the host
// or an ancestor of it is a prefix of the host's key at a label boundary.

#ifndef PINBAKE_FORMAT_NAME_KEY_H_
#define PINBAKE_FORMAT_NAME_KEY_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace pinbake {
namespace name_key {

// Symbols. kSymEnd ends a stored name (it is never part of a key).
inline constexpr uint8_t kSymEnd = 0;
inline constexpr uint8_t kSymSeparator = 1;
inline constexpr uint8_t kSymStar = 2;
inline constexpr int kSymbolCount = 41;
// Longest key: "*." + a 253-byte host.
inline constexpr size_t kMaxKeyLength = 255;
// Most labels of a key ("*" counts).
inline constexpr int kMaxKeyLabels = 128;

// The symbol of byte `c`, or -1 if `c` cannot appear in a canonical entry
// name ('*', '-', '0'-'9', '_', 'a'-'z'; the dot is the separator).
inline constexpr int SymbolOf(unsigned char c) {
  if (c == '.') return kSymSeparator;
  if (c == '*') return kSymStar;
  if (c == '-') return 3;
  if (c >= '0' && c <= '9') return 4 + (c - '0');
  if (c == '_') return 14;
  if (c >= 'a' && c <= 'z') return 15 + (c - 'a');
  return -1;
}

// The byte of symbol `s` (1..40); '.' for the separator.
inline char ByteOf(uint8_t s) {
  static constexpr char kBytes[kSymbolCount + 1] =
      "\0.*-0123456789_abcdefghijklmnopqrstuvwxyz";
  return s < kSymbolCount ? kBytes[s] : '?';
}

// Writes the key of `name` (labels reversed) to `out`, which has room for
// kMaxKeyLength symbols, and returns its length; 0 if `name` is empty,
// longer than kMaxKeyLength or has a byte without a symbol. Optionally
// records, for each label of the key (0 = the name's last label), the
// offset in `name` where that label starts (`label_start`, kMaxKeyLabels
// entries) and the number of labels (`labels`). No allocation.
size_t KeyOf(absl::string_view name, uint8_t* out, uint16_t* label_start,
             int* labels);

// The key of the canonical name `name` (`size` bytes, at most
// kMaxKeyLength) whose labels, from the last one, start at
// label_start[0 .. labels) (so label_start[labels - 1] is 0), as KeyOf
// writes it: for a caller that has found the labels already. `out` has
// room for kMaxKeyLength + 16 symbols (labels are copied in 16-byte
// steps). Every byte must have a symbol (a canonical host's do). No
// allocation.
void KeyOfLabels(const char* name, size_t size, const uint16_t* label_start,
                 int labels, uint8_t* out);

// The name of a key (labels reversed back, separators as dots).
std::string NameOf(const uint8_t* key, size_t length);

}  // namespace name_key
}  // namespace pinbake

#endif  // PINBAKE_FORMAT_NAME_KEY_H_
