#include "format/host_name.h"

namespace pinbake {
namespace {

constexpr char ToLowerAscii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// True for the bytes a canonical label may hold (after lowercasing).
constexpr bool IsLabelByte(char c) {
  return (c >= 'a' && c <= 'z') || IsDigit(c) || c == '-' || c == '_';
}

// For each byte: its canonical form (lowercased) if it may appear in a
// canonical host, '.' for the dot, and 0 for any other byte.
struct CanonicalByteTable {
  char map[256] = {};
  constexpr CanonicalByteTable() {
    for (int b = 0; b < 256; ++b) {
      const char c = ToLowerAscii(static_cast<char>(b));
      map[b] = (IsLabelByte(c) || c == '.') ? c : '\0';
    }
  }
};

}  // namespace

const char* HostErrorName(HostError error) {
  switch (error) {
    case HostError::kNone:
      return "none";
    case HostError::kEmpty:
      return "empty";
    case HostError::kEmptyLabel:
      return "empty-label";
    case HostError::kLabelTooLong:
      return "label-too-long";
    case HostError::kNameTooLong:
      return "name-too-long";
    case HostError::kInvalidCharacter:
      return "invalid-character";
    case HostError::kIpLiteral:
      return "ip-literal";
  }
  return "unknown";
}

HostError CanonicalizeHost(absl::string_view input, CanonicalHost* out) {
  out->size_ = 0;
  out->data_[0] = '\0';

  size_t size = input.size();
  if (size > 0 && input[size - 1] == '.') --size;  // At most one dot.
  if (size == 0) return HostError::kEmpty;
  if (size > kMaxHostNameLength) return HostError::kNameTooLong;

  // One pass, left to right: the first problem by position wins. `size` is
  // at most kMaxHostNameLength, so every write below is inside data_.
  // kCanonicalByte does the lowercasing and the character check in one
  // table lookup per byte.
  static constexpr CanonicalByteTable kCanonicalByte;
  size_t label_start = 0;
  for (size_t i = 0; i < size; ++i) {
    const char c = kCanonicalByte.map[static_cast<unsigned char>(input[i])];
    if (c == '.') {
      if (i == label_start) return HostError::kEmptyLabel;
      label_start = i + 1;
    } else {
      if (c == '\0') return HostError::kInvalidCharacter;
      if (i - label_start + 1 > kMaxLabelLength) {
        return HostError::kLabelTooLong;
      }
    }
    out->data_[i] = c;
  }
  // A trailing '.' left after removing one dot ("a..") is an empty label.
  if (label_start == size) {
    out->data_[0] = '\0';
    return HostError::kEmptyLabel;
  }
  bool last_label_all_digits = true;
  for (size_t i = label_start; i < size; ++i) {
    last_label_all_digits = last_label_all_digits && IsDigit(out->data_[i]);
  }
  if (last_label_all_digits) {
    out->data_[0] = '\0';
    return HostError::kIpLiteral;
  }
  out->data_[size] = '\0';
  out->size_ = size;
  return HostError::kNone;
}

}  // namespace pinbake
