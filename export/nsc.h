// Android's Network Security Config: its matching rules as a model, the
// configuration exported from a pin list, the XML writer (libxml2), and
// the importer (`pinbake import --from nsc`).
//
// Android's rules (https://developer.android.com/privacy-and-security/security-config,
// "Configuration file format" and "Certificate pinning"):
//   - <domain-config> holds one or more <domain includeSubdomains="...">
//     names and optionally <pin-set expiration="yyyy-MM-dd"> of
//     <pin digest="SHA-256">base64</pin>, cleartextTrafficPermitted,
//     <trust-anchors> and nested <domain-config>s.
//   - For a host, the most specific matching <domain> decides: an exact
//     name, else the longest includeSubdomains="true" ancestor. Values a
//     domain-config does not set are inherited from the enclosing
//     domain-config, else from <base-config>, else the platform default.
//   - No wildcards; no blocked keys; no report-only. Pins are not
//     enforced from the expiration date on (fail open, like pinbake's
//     stale list). cleartextTrafficPermitted="false" refuses plain HTTP.
//   - overridePins="true" on <certificates> of <trust-anchors> lets chains
//     to those anchors bypass pins (pinbake's local-root bypass).
//
// Mapping: one top-level <domain-config> per entry that is not a wildcard
// (so nothing is inherited): includeSubdomains = the entry's coverage for
// pins (include_subdomains or include_subdomains_for_pinning); its pins as
// a <pin-set> unless it is report-only; force-https as
// cleartextTrafficPermitted="false" (never written "true": the platform
// default applies). expiration = the UTC date of timestamp + max_age_days,
// rounded down (NSC may stop pinning up to a day before pinbake). No
// <trust-anchors> are written: apps trust system CAs only (API 24+), so
// there are no local roots to bypass for.

#ifndef PINBAKE_EXPORT_NSC_H_
#define PINBAKE_EXPORT_NSC_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "compiler/pin_list_model.h"
#include "export/list_json.h"
#include "export/platform_answer.h"

namespace pinbake {

// What NSC expresses: pins and cleartext refusal; no bad keys, no
// report-only.
inline constexpr AnswerAspects kNscAspects = {true, true, false, true};

struct NscDomainConfig {
  std::string domain;
  bool include_subdomains = false;
  bool cleartext_forbidden = false;  // cleartextTrafficPermitted="false".
  std::vector<SpkiHash> pins;        // Sorted; empty: no <pin-set>.
  std::string entry;                 // The list entry it came from.
};

struct NscConfig {
  std::vector<NscDomainConfig> domain_configs;  // Sorted by domain.
  std::string expiration;  // "yyyy-MM-dd"; "" none.
  // Domain -> index into `domain_configs`, for NscAnswer. Rebuild with
  // Index() after changing `domain_configs` (NscConfigFromModel does).
  absl::flat_hash_map<std::string, size_t> by_domain;
  void Index();
};

// The configuration of `model`.
NscConfig NscConfigFromModel(const PinListModel& model);

// NSC's answer for the canonical `host` (rules above), looking up the host
// and each ancestor, most specific first.
PlatformAnswer NscAnswer(const NscConfig& config, absl::string_view host);

// The XML text (written with libxml2's xmlTextWriter, UTF-8, 2-space
// indents), each of `comments` as an XML comment after the header.
absl::StatusOr<std::string> WriteNscXml(const NscConfig& config,
                                        const std::vector<std::string>& comments);

// Reads a Network Security Config (`xml`, named `path` in messages) with
// libxml2 (no network, no DTD, no entities) into a list: each <domain> an
// entry with the values its domain-config has or inherits from enclosing
// ones (<base-config> pins are not allowed by Android and refused), equal
// pin-sets shared as one pinset ("nsc-1", ...), cleartextTrafficPermitted
// ="false" as force-https, a domain with neither as an exclusion.
// list.timestamp = `timestamp`; max_age_days = whole days from it to the
// earliest pin-set expiration (1..365; 70 without one: a warning, NSC
// would pin forever). Errors (InvalidArgument "PATH:LINE: ..."): not XML,
// a DOCTYPE, another root element, a domain that is not a canonical host
// name, a duplicate domain, a pin that is not SHA-256 base64 of 32 bytes,
// an expiration that is not a date. <trust-anchors>, <debug-overrides> and
// <base-config> are ignored with a warning.
absl::StatusOr<ImportedList> ImportNsc(absl::string_view xml,
                                       absl::string_view path,
                                       int64_t timestamp);

}  // namespace pinbake

#endif  // PINBAKE_EXPORT_NSC_H_
