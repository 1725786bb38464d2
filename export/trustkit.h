// TrustKit (iOS/macOS): its matching rules as a model, the configuration
// exported from a pin list, the plist (libplist) and Swift writers, and
// the importer (`pinbake import --from trustkit-plist`).
//
// TrustKit's rules (https://github.com/datatheorem/TrustKit,
// docs/getting-started.md and TrustKit/TSKTrustKitConfig.h;
// https://datatheorem.github.io/TrustKit/documentation/):
//   - kTSKPinnedDomains maps a domain to its policy: kTSKPublicKeyHashes
//     (base64 SHA-256 of SPKIs; TrustKit refuses fewer than two, one being
//     the backup), kTSKIncludeSubdomains, kTSKEnforcePinning (default YES;
//     NO: report only), kTSKReportUris, kTSKExpirationDate ("yyyy-MM-dd":
//     not enforced after it), kTSKExcludeSubdomainFromParentPolicy (the
//     domain is left out of a parent's includeSubdomains policy).
//   - A host uses its own domain's policy if it has one; otherwise the
//     policy of a configured ancestor with kTSKIncludeSubdomains
//     (configuration_utils.m getPinningConfigurationKeyForDomain takes the
//     first such ancestor in NSDictionary order: with two nested ones the
//     answer is not determined; the model says "ambiguous").
//   - No wildcards, no blocked keys; includeSubdomains on a public suffix
//     is refused at initialisation.
//
// Mapping: each pinned entry that is not a wildcard becomes a domain
// (includeSubdomains = its coverage for pins; report-only =
// kTSKEnforcePinning NO; the report URI; expiration = the UTC date of
// timestamp + max_age_days, rounded down); an entry without pins under a
// pinned entry becomes kTSKExcludeSubdomainFromParentPolicy (for that name
// only: TrustKit's exclusion does not reach subdomains). Refused outside
// the proof: a pinset with fewer than two pins, include_subdomains on a
// public suffix (libpsl, or an entry with "policy": "public-suffix").

#ifndef PINBAKE_EXPORT_TRUSTKIT_H_
#define PINBAKE_EXPORT_TRUSTKIT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "compiler/pin_list_model.h"
#include "export/export_proof.h"
#include "export/list_json.h"
#include "export/platform_answer.h"

namespace pinbake {

// What TrustKit expresses: pins, report-only, report URIs; no bad keys.
inline constexpr AnswerAspects kTrustKitAspects = {true, true, true, false};

struct TrustKitDomain {
  std::string domain;
  bool include_subdomains = false;
  bool enforce = true;
  bool exclude_from_parent = false;  // Then nothing else is written.
  std::vector<SpkiHash> pins;        // Sorted.
  std::string report_uri;            // "" none.
  std::string entry;                 // The list entry it came from.
};

struct TrustKitConfig {
  std::vector<TrustKitDomain> domains;  // Sorted by domain.
  std::string expiration;               // "yyyy-MM-dd"; "" none.
  // Domain -> index into `domains`, for TrustKitAnswer. Rebuild with
  // Index() after changing `domains` (TrustKitConfigFromModel does).
  absl::flat_hash_map<std::string, size_t> by_domain;
  void Index();
};

// The configuration of `model`; what TrustKit would refuse goes to
// `findings` (and is left out).
TrustKitConfig TrustKitConfigFromModel(const PinListModel& model,
                                       std::vector<ExportFinding>* findings);

// TrustKit's answer for the canonical `host` (rules above).
PlatformAnswer TrustKitAnswer(const TrustKitConfig& config,
                              absl::string_view host);

// An XML plist (libplist) whose root dict holds "TSKConfiguration" (for an
// Info.plist) with kTSKSwizzleNetworkDelegates NO and kTSKPinnedDomains;
// each of `comments` as an XML comment after the header.
absl::StatusOr<std::string> WriteTrustKitPlist(
    const TrustKitConfig& config, const std::vector<std::string>& comments);

// Swift source: `enum CLASS { static let configuration: [String: Any] }`
// for TrustKit.initSharedInstance(withConfiguration:).
std::string WriteTrustKitSwift(const TrustKitConfig& config,
                               const std::string& class_name,
                               const std::vector<std::string>& comments);

// Reads a TrustKit plist (XML or binary, libplist): a dict with
// "TSKConfiguration" (an Info.plist) or with kTSKPinnedDomains itself.
// Each domain an entry: kTSKPublicKeyHashes a pinset (equal sets shared,
// "trustkit-1", ...), kTSKEnforcePinning NO report-only, the first of
// kTSKReportUris the report URI (more: a warning), kTSKExcludeSubdomain...
// an exclusion. list.timestamp = `timestamp`, max_age_days until the
// earliest kTSKExpirationDate (SetImportedLifetime). Errors
// (InvalidArgument "PATH: KEY: ..."): not a plist, a missing or mistyped
// key, a domain that is not a canonical host name, a hash that is not
// base64 of 32 bytes, a bad date.
absl::StatusOr<ImportedList> ImportTrustKitPlist(absl::string_view bytes,
                                                 absl::string_view path,
                                                 int64_t timestamp);

}  // namespace pinbake

#endif  // PINBAKE_EXPORT_TRUSTKIT_H_
