// The text columns both databases share for a report's lists (SPKI hashes,
// subjects, PEM chains, pins), so that SQLite and PostgreSQL rows read back
// alike.

#ifndef PINBAKE_COLLECTOR_STORED_REPORT_CODEC_H_
#define PINBAKE_COLLECTOR_STORED_REPORT_CODEC_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collector/report_parser.h"
#include "format/spki_hash.h"

namespace pinbake {
namespace collector {

// The text columns of one report.
struct ReportColumns {
  std::string validated_spki;      // ChainSpkiText of the validated chain.
  std::string validated_subjects;  // JSON array of subject strings.
  std::string validated_chain;     // PEM blocks, concatenated.
  std::string served_chain;        // PEM blocks, concatenated.
  std::string known_pins;          // "sha256/A sha256/B".
};

// Encodes `report`'s lists.
ReportColumns EncodeReportColumns(const ValidatedReport& report);

// Decodes a space-separated list of "sha256/..." (as written above).
// InvalidArgument on a malformed element (a damaged row).
absl::StatusOr<std::vector<SpkiHash>> DecodeSpkiList(absl::string_view text);

// Decodes a JSON array of strings; InvalidArgument otherwise.
absl::StatusOr<std::vector<std::string>> DecodeStringArray(
    absl::string_view text);

}  // namespace collector
}  // namespace pinbake

#endif  // PINBAKE_COLLECTOR_STORED_REPORT_CODEC_H_
