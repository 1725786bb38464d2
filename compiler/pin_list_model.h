// The compiler's one model of a pin list, whatever front end produced it:
// list metadata, pinsets of SPKI hashes, and host entries. Checks, the table
// writer and the JSON dumper all work on this.

#ifndef PINBAKE_COMPILER_PIN_LIST_MODEL_H_
#define PINBAKE_COMPILER_PIN_LIST_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "format/host_name.h"
#include "format/entry_settings.h"
#include "format/spki_hash.h"

namespace pinbake {

// Default `max_age_days`: Chrome stops enforcing static pins 70 days after
// the build.
inline constexpr int32_t kDefaultMaxAgeDays = 70;

// Top-level "list" object (or the .pins PinsListTimestamp).
struct ListInfo {
  uint64_t version = 0;
  // Unix seconds when the list was made; 0 if the input gave none.
  int64_t timestamp = 0;
  // 1 to kMaxListMaxAgeDays (365, runtime/list_time_bounds.h).
  int32_t max_age_days = kDefaultMaxAgeDays;
  // `list.id`: the list's identity (runtime/list_id.h), a short name chosen
  // in the list; signed blobs are bound to it and the table stores it
  // (TableReader::list_id). Empty if the input gave none.
  std::string list_id;
};

// A named set of acceptable (`good`) and forbidden (`bad`) SPKI hashes.
struct Pinset {
  std::string name;
  std::vector<SpkiHash> good;   // static_spki_hashes, resolved.
  std::vector<SpkiHash> bad;    // bad_static_spki_hashes, resolved.
  std::string report_uri;       // Empty if none.
  std::string location;         // Field path, e.g. "pinsets[3]".
};

// One "entries" element: its settings (EntrySettings,
// format/entry_settings.h: include_subdomains, force_https, pin_mode, ...)
// and what only the model has. `name` is as written in the input (checks
// decide whether it is canonical); a wildcard entry's name starts with "*.".
struct HostEntry : EntrySettings {
  std::string name;
  std::string location;  // Field path, e.g. "entries[12]".
  std::string pinset;    // Pinset name; empty if no pins.
  bool exclude = false;  // "exclude": true was written.

  bool is_wildcard() const { return IsWildcardName(name); }
  bool has_pins() const { return !pinset.empty(); }
};

struct PinListModel {
  ListInfo list;
  std::vector<Pinset> pinsets;
  std::vector<HostEntry> entries;
};

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_PIN_LIST_MODEL_H_
