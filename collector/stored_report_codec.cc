#include "collector/stored_report_codec.h"

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"

namespace pinbake {
namespace collector {

ReportColumns EncodeReportColumns(const ValidatedReport& report) {
  ReportColumns columns;
  columns.validated_spki = ChainSpkiText(report.validated_chain);
  nlohmann::json subjects = nlohmann::json::array();
  for (const ReportCertificate& c : report.validated_chain) {
    subjects.push_back(c.subject);
    columns.validated_chain += c.pem;
  }
  columns.validated_subjects =
      subjects.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  for (const ReportCertificate& c : report.served_chain) {
    columns.served_chain += c.pem;
  }
  std::vector<std::string> pins;
  for (const SpkiHash& pin : report.known_pins) {
    pins.push_back(SpkiHashToString(pin));
  }
  columns.known_pins = absl::StrJoin(pins, " ");
  return columns;
}

absl::StatusOr<std::vector<SpkiHash>> DecodeSpkiList(absl::string_view text) {
  std::vector<SpkiHash> hashes;
  for (absl::string_view part : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    absl::StatusOr<SpkiHash> hash = ParseSpkiHash(part);
    if (!hash.ok()) return hash.status();
    hashes.push_back(*hash);
  }
  return hashes;
}

absl::StatusOr<std::vector<std::string>> DecodeStringArray(
    absl::string_view text) {
  nlohmann::json json = nlohmann::json::parse(text.begin(), text.end(),
                                              nullptr, false);
  if (!json.is_array()) {
    return absl::InvalidArgumentError("stored subjects: not a JSON array");
  }
  std::vector<std::string> out;
  for (const nlohmann::json& item : json) {
    if (!item.is_string()) {
      return absl::InvalidArgumentError("stored subjects: not a string");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace collector
}  // namespace pinbake
