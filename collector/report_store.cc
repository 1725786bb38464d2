#include "collector/report_store.h"

#include <utility>

namespace pinbake {
namespace collector {

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
