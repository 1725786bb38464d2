// Semantic difference between two pin lists, for release review
// (`pinbake diff`, docs/release.md). Both sides are compared as validated
// tables read back into the compiler's model (compiler/model_from_table.h), so a JSON list and its compiled table, or a list using named keys
// and its `pinbake dump` with sha256/ literals, compare identical.
//
// What is compared:
//   - list metadata: version, timestamp, max_age_days;
//   - pinsets, matched by name: good and bad hashes as sets (order and key
//     names do not matter), and report_uri;
//   - host entries, matched by name: include_subdomains,
//     include_subdomains_for_pinning, force_https (mode), public-suffix
//     policy, pinset name and pin_mode; for a changed pinset name, whether
//     the hash sets behind the two names differ too.
// A pinset renamed with the same hashes is still a difference (one pinset
// removed, one added, entries' pinset changed, with "same pins").

#ifndef PINBAKE_RELEASE_LIST_DIFF_H_
#define PINBAKE_RELEASE_LIST_DIFF_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compiler/pin_list_model.h"
#include "format/entry_settings.h"
#include "format/spki_hash.h"
#include "release/key_names.h"
#include "runtime/table_reader.h"

namespace pinbake {

// One changed scalar, as text: field name, old and new value.
struct FieldChange {
  std::string field;
  std::string old_value;
  std::string new_value;
};

struct PinsetChange {
  std::string name;
  std::vector<SpkiHash> good_added, good_removed;
  std::vector<SpkiHash> bad_added, bad_removed;
  std::vector<FieldChange> fields;  // report_uri.
  // Entries of the new list that use this pinset, sorted.
  std::vector<std::string> used_by;
};

struct EntryChange {
  std::string name;
  // Fields that differ, in this order: include_subdomains,
  // include_subdomains_for_pinning, force_https, public_suffix_policy,
  // pinset, pin_mode.
  std::vector<FieldChange> fields;
  // Whether the hash sets the entry enforces differ (through a pinset
  // change of name, added or removed pins). A same-name pinset whose
  // content changed is reported under pinsets_changed, not here.
  bool pins_changed = false;
};

// Added and removed pinsets and entries are the compiler's model types
// (compiler/pin_list_model.h) as read back by ModelFromTable; a pinset's
// good and bad hashes are sorted.
struct ListDiff {
  std::vector<FieldChange> list;  // version, timestamp, max_age_days.
  std::vector<Pinset> pinsets_added;
  std::vector<Pinset> pinsets_removed;
  std::vector<PinsetChange> pinsets_changed;
  std::vector<HostEntry> entries_added;
  std::vector<HostEntry> entries_removed;
  std::vector<EntryChange> entries_changed;

  bool identical() const {
    return list.empty() && pinsets_added.empty() && pinsets_removed.empty() &&
           pinsets_changed.empty() && entries_added.empty() &&
           entries_removed.empty() && entries_changed.empty();
  }
};

// Compares `old_table` with `new_table`, each read back with
// ModelFromTable. Every vector of the result is sorted by name. An error
// only if a table does not carry its entry names (TableReader::Entries).
absl::StatusOr<ListDiff> DiffTables(const TableReader& old_table,
                                    const TableReader& new_table);

// Human-readable report: one line per change ("+ host ...", "- pinset ...",
// "~ host a.example.com: force_https false -> true",
// "    - good sha256/... (ShopIntermediate)"), ending with a summary line;
// "identical" when there is no difference. A hash with a name in
// `key_names` (release/key_names.h) is followed by it.
std::string FormatDiffText(const ListDiff& diff,
                           const KeyNames& key_names = {});

// The same as JSON (2-space indented, trailing newline): {"identical",
// "list": [{field, old, new}], "pinsets": {"added", "removed", "changed"},
// "entries": {"added", "removed", "changed"}, "key_names": {"sha256/...":
// NAME}}. Hashes are sha256/ strings; key_names has the named hashes that
// occur in the pinset changes.
std::string FormatDiffJson(const ListDiff& diff,
                           const KeyNames& key_names = {});

}  // namespace pinbake

#endif  // PINBAKE_RELEASE_LIST_DIFF_H_
