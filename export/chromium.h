// Chromium's static pins: the lookup rules as a model, the configuration
// exported from a pin list, and the writer of
// transport_security_state_static_pins.json (the 2022+ split format, pins
// only; HSTS lives in Chromium's separate preload list) with its .pins
// file of sha256/ keys and the PinsListTimestamp.
//
// Chromium's rules (net/http/transport_security_state_static.json and
// net/tools/transport_security_state_generator/, the comments at the top
// of the JSON file; https://source.chromium.org/chromium/chromium/src/+/main:net/http/transport_security_state_static_pins.json):
//   - pinsets: name, static_spki_hashes (names of keys in the .pins file),
//     bad_static_spki_hashes, report_uri; a chain must hold one good key
//     and no bad key.
//   - entries: name, pins (a pinset name), include_subdomains (for pins).
//     No wildcards, no report-only.
//   - Lookup (the preloaded trie): the exact entry decides; otherwise the
//     deepest ancestor that has an entry decides, and only if it has
//     include_subdomains: an ancestor entry without it hides shallower
//     ones (pinbake skips it, docs/lookup.md "Differences from Chromium").
//   - Pins are enforced for 70 days after the build (PinsListTimestamp).
//
// Mapping: every entry that is not a wildcard, with its pins unless it is
// report-only (then without), include_subdomains = its coverage for pins;
// an entry without pins only if a pinned entry lies above it.
// The output compiles with `pinbake compile` (the .pins via --pins).

#ifndef PINBAKE_EXPORT_CHROMIUM_H_
#define PINBAKE_EXPORT_CHROMIUM_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "compiler/pin_list_model.h"
#include "export/export_proof.h"
#include "export/platform_answer.h"

namespace pinbake {

// What Chromium's pins file expresses: pins, blocked keys, report URIs.
inline constexpr AnswerAspects kChromiumAspects = {true, true, true, false};

// Chromium's fixed pin lifetime.
inline constexpr int kChromiumMaxAgeDays = 70;

struct ChromiumEntry {
  std::string name;
  bool include_subdomains = false;
  std::string pinset;  // "" no pins.
};

struct ChromiumConfig {
  int64_t timestamp = 0;
  std::vector<Pinset> pinsets;         // Used pinsets, sorted by name.
  std::vector<ChromiumEntry> entries;  // Sorted by name.
  // Name -> index into `entries` / `pinsets`, for ChromiumAnswer. Rebuild
  // with Index() after changing them (ChromiumConfigFromModel does).
  absl::flat_hash_map<std::string, size_t> entry_by_name;
  absl::flat_hash_map<std::string, size_t> pinset_by_name;
  void Index();
};

// The configuration of `model`; findings for what cannot be expressed
// outside host answers (max_age_days other than 70) go to `findings`.
ChromiumConfig ChromiumConfigFromModel(const PinListModel& model,
                                       std::vector<ExportFinding>* findings);

// Chromium's answer for the canonical `host` (rules above).
PlatformAnswer ChromiumAnswer(const ChromiumConfig& config,
                              absl::string_view host);

// The .pins key name of `hash`: "PinbakeKey_" + the first 12 bytes in hex.
std::string ChromiumKeyName(const SpkiHash& hash);

// The JSON text (2-space indents, `comments` as leading "// " lines).
std::string WriteChromiumJson(const ChromiumConfig& config,
                              const std::vector<std::string>& comments);

// The .pins text: "PinsListTimestamp", then each key of the pinsets once
// (sorted by hash) as its name line and sha256/ line.
std::string WriteChromiumPins(const ChromiumConfig& config);

}  // namespace pinbake

#endif  // PINBAKE_EXPORT_CHROMIUM_H_
