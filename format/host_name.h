// Host canonicalisation: the one definition of which query strings name a
// host and what the canonical spelling is. Used by the runtime lookup and by
// the compiler's name checks, so both sides agree byte for byte.
//
// Rules (docs/lookup.md): ASCII-lowercase; at most one trailing dot removed;
// then invalid if empty, has an empty label, a label over 63 bytes, a name
// over 253 bytes, any byte outside [a-z0-9_-] besides the dots, or a last
// label made of digits only (an IPv4 literal or similar).

#ifndef PINBAKE_FORMAT_HOST_NAME_H_
#define PINBAKE_FORMAT_HOST_NAME_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace pinbake {

// Longest canonical host name, in bytes.
inline constexpr size_t kMaxHostNameLength = 253;
// Longest label, in bytes.
inline constexpr size_t kMaxLabelLength = 63;

// Why a query is not a host name. kNone means it is valid.
enum class HostError {
  kNone = 0,
  kEmpty,            // "" or ".".
  kEmptyLabel,       // "a..b", ".a", "a.." .
  kLabelTooLong,     // A label over 63 bytes.
  kNameTooLong,      // Over 253 bytes after removing one trailing dot.
  kInvalidCharacter, // A byte outside [a-z0-9_-] after lowercasing.
  kIpLiteral,        // Last label all digits.
};

// Short stable name of `error` for messages and JSON ("empty",
// "empty-label", ...). Never null.
const char* HostErrorName(HostError error);

// A canonical host name in a fixed buffer: no allocation.
class CanonicalHost {
 public:
  CanonicalHost() = default;
  absl::string_view view() const { return absl::string_view(data_, size_); }

 private:
  friend HostError CanonicalizeHost(absl::string_view, CanonicalHost*);
  // Only the first size_ bytes are meaningful; the rest is never read, so
  // it is left uninitialised (a lookup does not pay for clearing it).
  char data_[kMaxHostNameLength + 1];
  size_t size_ = 0;
};

// Canonicalises `input` into `*out` (which must not be null). Returns kNone
// on success; otherwise the first problem found, and `*out` is left empty.
// Order of checks: kEmpty, kNameTooLong, then kInvalidCharacter /
// kEmptyLabel / kLabelTooLong for the first offending byte from the left,
// then kIpLiteral. Never allocates; reads only `input`'s bytes.
HostError CanonicalizeHost(absl::string_view input, CanonicalHost* out);

// Whether an entry name is a wildcard: "*." followed by at least one byte
// ("*.example.com"; not "*." alone). The one wildcard test of the model,
// the checks and the table reader. Constant time, no allocation.
inline bool IsWildcardName(absl::string_view name) {
  return name.size() > 2 && name[0] == '*' && name[1] == '.';
}

}  // namespace pinbake

#endif  // PINBAKE_FORMAT_HOST_NAME_H_
