// SpkiHash: the SHA-256 digest of a DER-encoded SubjectPublicKeyInfo, the
// unit of every pin in pinbake, and its text form "sha256/<base64>".

#ifndef PINBAKE_FORMAT_SPKI_HASH_H_
#define PINBAKE_FORMAT_SPKI_HASH_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pinbake {

// SHA-256 of a DER SubjectPublicKeyInfo. Plain value type; ordered and
// hashable by its bytes so that the compiler can sort keys canonically.
struct SpkiHash {
  static constexpr size_t kSize = 32;
  std::array<uint8_t, kSize> bytes{};

  friend bool operator==(const SpkiHash& a, const SpkiHash& b) {
    return a.bytes == b.bytes;
  }
  friend bool operator!=(const SpkiHash& a, const SpkiHash& b) {
    return a.bytes != b.bytes;
  }
  friend bool operator<(const SpkiHash& a, const SpkiHash& b) {
    return a.bytes < b.bytes;
  }
  template <typename H>
  friend H AbslHashValue(H h, const SpkiHash& s) {
    return H::combine(std::move(h), s.bytes);
  }
};

// The prefix of the text form of an SpkiHash.
inline constexpr absl::string_view kSpkiHashPrefix = "sha256/";

// Returns "sha256/" followed by the standard (padded) base64 of `hash`.
std::string SpkiHashToString(const SpkiHash& hash);

// Parses "sha256/<base64>" where the base64 (standard alphabet, padded, no
// whitespace) decodes to exactly 32 bytes. Returns InvalidArgument naming
// the problem (missing prefix, bad base64, wrong length) otherwise.
absl::StatusOr<SpkiHash> ParseSpkiHash(absl::string_view text);

// Returns the SHA-256 of `der_spki` (any bytes; no parsing is done).
SpkiHash HashSpkiDer(absl::string_view der_spki);

}  // namespace pinbake

#endif  // PINBAKE_FORMAT_SPKI_HASH_H_
