// Key names for review output: the names people think in
// ("ShopIntermediate") for the hashes of a compiled list, which the table
// itself does not carry. `pinbake diff`, `lint`, `check` and `connect`
// print them beside each sha256/ pin.
//
//   KeyNames names = KeyNamesOfList(json_text, compiled.model);
//   PinWithName(hash, names)  // "sha256/... (ShopIntermediate)"

#ifndef PINBAKE_RELEASE_KEY_NAMES_H_
#define PINBAKE_RELEASE_KEY_NAMES_H_

#include <map>
#include <string>

#include "absl/strings/string_view.h"
#include "compiler/pin_list_model.h"
#include "format/spki_hash.h"

namespace pinbake {

// Key name by hash. Empty for a table (names are not compiled in).
using KeyNames = std::map<SpkiHash, std::string>;

// The key names of the JSON list `json_text` whose checked model is
// `model` (CompileOutput::model): each pinset's named pins ("keys" names,
// pem_file keys and .pins file names alike) paired with the model's
// resolved hashes of the same pinset, position by position, and every
// "keys" entry given as a sha256/ literal. A pinset whose pin count
// differs from the model's (a duplicate dropped) is skipped; text that is
// not a JSON object gives no names. Never fails.
KeyNames KeyNamesOfList(absl::string_view json_text, const PinListModel& model);

// Names of `from` added to `*to` where `*to` has none for the hash.
void MergeKeyNames(const KeyNames& from, KeyNames* to);

// "sha256/... (NAME)", or just "sha256/..." when `hash` has no name.
std::string PinWithName(const SpkiHash& hash, const KeyNames& names);

}  // namespace pinbake

#endif  // PINBAKE_RELEASE_KEY_NAMES_H_
