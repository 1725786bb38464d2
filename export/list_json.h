// A model as pinbake's JSON list (docs/list-format.md), for the importers
// (`pinbake import`): every pin a sha256/ literal, entries and pinsets in
// model order. `pinbake compile` then checks it like any list.

#ifndef PINBAKE_EXPORT_LIST_JSON_H_
#define PINBAKE_EXPORT_LIST_JSON_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/pin_list_model.h"

namespace pinbake {

// What `pinbake import` makes of a file: the list and what was dropped.
struct ImportedList {
  PinListModel model;
  std::vector<std::string> warnings;
  // (good keys, report URI) -> pinset name, for SharedPinset.
  std::map<std::pair<std::vector<SpkiHash>, std::string>, std::string>
      pinset_by_content;
};

// Sets imported->model.list: timestamp `timestamp`, max_age_days the
// whole days from it to `expires_at` (clamped to 1..365, with a warning
// when clamped), or 70 with a warning when the platform gave no
// expiration (it would pin forever).
void SetImportedLifetime(int64_t timestamp, std::optional<int64_t> expires_at,
                         ImportedList* imported);

// The name of the pinset of `imported` with exactly `good` (sorted) and
// `report_uri`, adding one named PREFIX-N (N = 1, 2, ...) if there is
// none. Logarithmic in the number of pinsets.
std::string SharedPinset(const std::vector<SpkiHash>& good,
                         const std::string& report_uri,
                         const std::string& prefix, ImportedList* imported);

// The JSON text (2-space indents, trailing newline) of `model`, with
// `comments` as leading "// " lines (pinbake's JSON reader skips them).
std::string ModelToListJson(const PinListModel& model,
                            const std::vector<std::string>& comments);

}  // namespace pinbake

#endif  // PINBAKE_EXPORT_LIST_JSON_H_
