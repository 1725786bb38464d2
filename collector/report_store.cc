#include "collector/report_store.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace pinbake {
namespace collector {

LostTally TallyLostReports(absl::Span<const LostReports> lost,
                           absl::Time since) {
  LostTally tally;
  for (const LostReports& l : lost) {
    if (l.hour + absl::Hours(1) <= since || l.count <= 0) continue;
    tally.by_reason[l.reason] += l.count;
    tally.total += l.count;
  }
  return tally;
}

std::string LostReasonsText(const std::map<std::string, int64_t>& by_reason) {
  std::string text;
  for (const auto& [reason, count] : by_reason) {
    absl::StrAppend(&text, text.empty() ? "" : ", ", reason, " ", count);
  }
  return text;
}

absl::StatusOr<std::vector<StoredReport>> ReportStore::ListReports(
    absl::Time since) {
  std::vector<StoredReport> reports;
  absl::Status status = ForEachReport(since, [&](const StoredReport& r) {
    reports.push_back(r);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return reports;
}

}  // namespace collector
}  // namespace pinbake
