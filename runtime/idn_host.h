// IDN host names for applications: converts a host that may contain
// U-labels (Unicode, as apps and URLs carry them) to the A-label form the
// pin table holds, the way browsers do: IDNA2008 with UTS #46
// non-transitional processing (libidn2, IDN2_NONTRANSITIONAL). Call it
// before PinList::Lookup / CheckChain; it allocates, so it is not part of
// the no-allocation lookup path (runtime/pin_list.h).
//
//   absl::StatusOr<std::string> ascii = HostToALabels("bücher.shop.test");
//   // *ascii == "xn--bcher-kva.shop.test"
//   if (ascii.ok()) result = list.Lookup(*ascii);
//
// `pinbake lookup`, `check` and `connect` convert their host argument with
// it, and `pinbake compile --idn` converts list entries with it.

#ifndef PINBAKE_RUNTIME_IDN_HOST_H_
#define PINBAKE_RUNTIME_IDN_HOST_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pinbake {

// Whether `host` has a byte outside ASCII (so it may hold U-labels).
bool HasNonAsciiByte(absl::string_view host);

// `host` with every U-label converted to its A-label ("xn--..."), in UTF-8.
// An all-ASCII `host` is returned unchanged (lookups lower-case it and
// drop a trailing dot themselves; A-labels pass through as written), so
// converting is always safe. Otherwise libidn2 maps the name (UTS #46:
// case folding, NFC, full stops such as U+3002 become '.') and checks it
// (IDNA2008); InvalidArgument naming libidn2's reason if it is not a valid
// IDN (invalid UTF-8, a disallowed code point, a label over 63 bytes, ...).
absl::StatusOr<std::string> HostToALabels(absl::string_view host);

// For a host a user typed (what `pinbake lookup`, `check` and `connect`
// do with their argument): HostToALabels(host) when it succeeds, else
// `host` unchanged, so that the lookup reports why it is invalid
// (HostError::kInvalidCharacter for a name that is not a valid IDN).
std::string HostForLookup(absl::string_view host);

}  // namespace pinbake

#endif  // PINBAKE_RUNTIME_IDN_HOST_H_
