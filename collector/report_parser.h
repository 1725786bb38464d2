// Strict parsing of one RFC 7469 violation report (the JSON body a client
// POSTs to a pinset's report_uri, as Chrome, TrustKit and
// runtime/pkp_report.h write it) into a ValidatedReport.
//
//   absl::StatusOr<ValidatedReport> report = ParseReport(body);
//   if (!report.ok()) return Refuse(400, report.status().message());
//   std::string key = ReportDedupKey(*report, request_path);
//
// Every field is checked: its JSON type, dates (RFC 3339), host names (the
// runtime's canonicaliser, format/host_name.h), port range, PEM chains
// (parsed with OpenSSL; their SPKI hashes and subjects computed) and
// known-pins (pin-sha256="<base64 of 32 bytes>"). Unknown fields are
// ignored, as RFC 7469 section 3 asks, but the whole body must be JSON that
// every parser reads alike (no repeated member names, see ParseReport).
// Safe on any bytes; never throws.

#ifndef PINBAKE_COLLECTOR_REPORT_PARSER_H_
#define PINBAKE_COLLECTOR_REPORT_PARSER_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "format/spki_hash.h"

namespace pinbake {
namespace collector {

// Largest number of certificates accepted in one chain.
inline constexpr size_t kMaxChainLength = 16;
// Largest number of known-pins accepted.
inline constexpr size_t kMaxKnownPins = 64;
// Deepest nesting of JSON objects and arrays accepted (a report itself
// needs 2: the report object and its chain arrays).
inline constexpr size_t kMaxJsonDepth = 32;

// One certificate of a report's chain.
struct ReportCertificate {
  std::string pem;        // The PEM block as re-encoded from its DER.
  SpkiHash spki_hash;     // SHA-256 of its SubjectPublicKeyInfo.
  std::string subject;    // One-line RFC 2253 subject, e.g. "CN=a,O=b".
};

// A report whose every field passed validation.
struct ValidatedReport {
  absl::Time date_time;
  std::string hostname;        // Canonical (lowercase, no trailing dot).
  int port = 0;                // 1..65535.
  absl::Time effective_expiration_date;
  bool include_subdomains = false;
  std::string noted_hostname;  // Canonical.
  std::vector<ReportCertificate> served_chain;     // May be empty.
  std::vector<ReportCertificate> validated_chain;  // At least one.
  std::vector<SpkiHash> known_pins;                // May be empty.
};

// Parses and validates `body`. InvalidArgument with a short reason, one of
//   `malformed JSON (at byte N)`: not JSON (syntax, invalid UTF-8, lone
//       surrogates, numbers out of range such as 1e999, trailing bytes);
//   `ambiguous JSON: ...`: JSON that two parsers may read differently: a
//       member name repeated in one object at any depth (`ambiguous JSON:
//       duplicate member "hostname"`), a NUL (\u0000) in a string or name,
//       nesting deeper than kMaxJsonDepth;
//   a field's reason, e.g. `"port": must be an integer 1..65535`.
absl::StatusOr<ValidatedReport> ParseReport(absl::string_view body);

// The duplicate key of `report` sent to `report_uri` (the request path):
// SHA-256 (hex) over every field except date-time and
// effective-expiration-date, and the URI. Reports that differ only in their
// dates share a key.
std::string ReportDedupKey(const ValidatedReport& report,
                           absl::string_view report_uri);

// "sha256/A sha256/B ..." for the chain's SPKI hashes, leaf first: the
// chain's identity in storage and summaries.
std::string ChainSpkiText(const std::vector<ReportCertificate>& chain);

}  // namespace collector
}  // namespace pinbake

#endif  // PINBAKE_COLLECTOR_REPORT_PARSER_H_
