// List identity: a short name chosen in the list (`list.id`,
// docs/list-format.md) that a signed update blob carries in its signed
// header (docs/format.md, "Signed update blob"), so that a blob made for one
// product is refused by another that trusts the same signing key
// (UpdateError kWrongList).
//
// A valid list id is 1 to kMaxListIdLength (32) bytes of lowercase ASCII
// letters, digits, '.', '_' and '-', starting with a letter or a digit,
// e.g. "example-app" or "acme.tls.v2".

#ifndef PINBAKE_RUNTIME_LIST_ID_H_
#define PINBAKE_RUNTIME_LIST_ID_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace pinbake {

inline constexpr size_t kMaxListIdLength = 32;

// Whether `id` is a valid list id (rules above). Never allocates.
bool IsValidListId(absl::string_view id);

// A sentence saying what a valid list id is, for error messages.
inline constexpr absl::string_view kListIdRules =
    "a list id is 1 to 32 characters of a-z, 0-9, '.', '_' and '-', "
    "starting with a letter or a digit";

}  // namespace pinbake

#endif  // PINBAKE_RUNTIME_LIST_ID_H_
