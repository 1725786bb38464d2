// EntrySettings: the settings of one host entry, the one type shared by the
// compiler's model (HostEntry, compiler/pin_list_model.h) and the runtime's
// answer (HostRule, runtime/table_reader.h), with the one conversion to and
// from the flag byte of a table's class record (docs/format.md) and the one
// JSON spelling of each setting (docs/list-format.md).
//
//   EntrySettings s;
//   s.include_subdomains = true;
//   uint8_t flags = EntryFlags(s, /*is_wildcard=*/false, /*has_pins=*/true);
//   EntrySettings back = EntrySettingsFromFlags(flags, /*has_pins=*/true);
//   // back.SameSettingsAs(s)
//
// Adding a setting: a field here, its bit in format/table_format.h, its
// lines in EntryFlags / EntrySettingsFromFlags, its key below; the list
// parser (compiler/list_parser.cc) reads the key.

#ifndef PINBAKE_FORMAT_ENTRY_SETTINGS_H_
#define PINBAKE_FORMAT_ENTRY_SETTINGS_H_

#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"
#include "format/subdomain_coverage.h"
#include "format/table_format.h"

namespace pinbake {

// kEnforce: a chain that fails the pinset is refused.
// kReportOnly: it is allowed, and the result says what would have failed.
enum class PinMode { kEnforce, kReportOnly };

// "enforce" or "report-only", the spelling used in lists and JSON output.
inline const char* PinModeName(PinMode mode) {
  return mode == PinMode::kReportOnly ? "report-only" : "enforce";
}

// The PinMode spelled `name` (PinModeName's inverse); nullopt otherwise.
inline std::optional<PinMode> PinModeFromName(absl::string_view name) {
  if (name == "enforce") return PinMode::kEnforce;
  if (name == "report-only") return PinMode::kReportOnly;
  return std::nullopt;
}

// The settings of a host entry, apart from its name and its pinset (which
// the model holds by name and the table by index). Defaults: nothing set,
// pins (if any) enforced.
struct EntrySettings {
  // The entry also decides pins and HSTS for its subdomains.
  bool include_subdomains = false;
  // The entry also decides pins (only) for its subdomains.
  bool include_subdomains_for_pinning = false;
  bool force_https = false;           // HSTS: "mode": "force-https".
  bool public_suffix_policy = false;  // "policy": "public-suffix".
  // Meaningful only for an entry with pins.
  PinMode pin_mode = PinMode::kEnforce;

  // Whether, as an ancestor, this entry decides pins / HSTS for its
  // subdomains (format/subdomain_coverage.h).
  bool covers_subdomains_for_pins() const {
    return CoversSubdomainsForPins(include_subdomains,
                                   include_subdomains_for_pinning);
  }
  bool covers_subdomains_for_hsts() const {
    return CoversSubdomainsForHsts(include_subdomains);
  }

  // The settings alone, to copy or compare them between a HostEntry and
  // a HostRule: `entry.settings() = rule.settings();`.
  const EntrySettings& settings() const { return *this; }
  EntrySettings& settings() { return *this; }

  // Whether every setting equals `other`'s. (A named function, not
  // operator==, so that comparing two HostEntry values never silently
  // compares only their settings.)
  bool SameSettingsAs(const EntrySettings& other) const {
    return include_subdomains == other.include_subdomains &&
           include_subdomains_for_pinning ==
               other.include_subdomains_for_pinning &&
           force_https == other.force_https &&
           public_suffix_policy == other.public_suffix_policy &&
           pin_mode == other.pin_mode;
  }
};

// The flag byte of a class record for an entry with `settings`: the
// settings' bits, kFlagWildcard if `is_wildcard`, and kFlagReportOnly only
// if the entry `has_pins` (a table never stores report-only without pins).
inline uint8_t EntryFlags(const EntrySettings& settings, bool is_wildcard,
                          bool has_pins) {
  namespace tf = table_format;
  uint8_t flags = 0;
  if (settings.include_subdomains) flags |= tf::kFlagIncludeSubdomains;
  if (settings.include_subdomains_for_pinning) {
    flags |= tf::kFlagIncludeSubdomainsForPinning;
  }
  if (settings.force_https) flags |= tf::kFlagForceHttps;
  if (has_pins && settings.pin_mode == PinMode::kReportOnly) {
    flags |= tf::kFlagReportOnly;
  }
  if (settings.public_suffix_policy) flags |= tf::kFlagPublicSuffixPolicy;
  if (is_wildcard) flags |= tf::kFlagWildcard;
  return flags;
}

// The settings stored in `flags` (EntryFlags' inverse). pin_mode is
// kReportOnly only if the entry `has_pins`, whatever the bits say.
inline EntrySettings EntrySettingsFromFlags(uint8_t flags, bool has_pins) {
  namespace tf = table_format;
  EntrySettings s;
  s.include_subdomains = (flags & tf::kFlagIncludeSubdomains) != 0;
  s.include_subdomains_for_pinning =
      (flags & tf::kFlagIncludeSubdomainsForPinning) != 0;
  s.force_https = (flags & tf::kFlagForceHttps) != 0;
  s.public_suffix_policy = (flags & tf::kFlagPublicSuffixPolicy) != 0;
  s.pin_mode = has_pins && (flags & tf::kFlagReportOnly) != 0
                   ? PinMode::kReportOnly
                   : PinMode::kEnforce;
  return s;
}

// Whether `flags` mark a wildcard ("*." + host) entry.
inline bool FlagsMarkWildcard(uint8_t flags) {
  return (flags & table_format::kFlagWildcard) != 0;
}

// The JSON spelling of the settings in a list (docs/list-format.md), used
// by the list parser, the list dumper and the tools' JSON output. A setting
// at its default is left out of a list.
namespace entry_settings_json {
inline constexpr absl::string_view kIncludeSubdomains = "include_subdomains";
inline constexpr absl::string_view kIncludeSubdomainsForPinning =
    "include_subdomains_for_pinning";
// "mode": "force-https" sets force_https (the only mode).
inline constexpr absl::string_view kMode = "mode";
inline constexpr absl::string_view kForceHttpsMode = "force-https";
// "policy": "public-suffix" sets public_suffix_policy; Chromium's other
// policies are accepted and mean nothing here.
inline constexpr absl::string_view kPolicy = "policy";
inline constexpr absl::string_view kPublicSuffixPolicy = "public-suffix";
// "pin_mode": PinModeName(pin_mode), only beside "pins".
inline constexpr absl::string_view kPinMode = "pin_mode";
}  // namespace entry_settings_json

}  // namespace pinbake

#endif  // PINBAKE_FORMAT_ENTRY_SETTINGS_H_
