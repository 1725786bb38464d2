// The collector's dashboard (GET /): one self-contained HTML page, no
// scripts and no external assets (clients may be offline): the summary per
// noted host and an inline SVG bar chart of would-fail reports per hour
// over the last `hours` hours. Every text from reports is HTML-escaped.
//
//   absl::StatusOr<std::string> html =
//       DashboardFromStore(*store, list.get(), absl::Now());  // One pass.

#ifndef PINBAKE_COLLECTOR_DASHBOARD_H_
#define PINBAKE_COLLECTOR_DASHBOARD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collector/current_list.h"
#include "collector/report_store.h"
#include "collector/report_summary.h"

namespace pinbake {
namespace collector {

// Would-fail reports per hour (by first_received) over the `hours` hours
// (1..744) that end at `now` rounded up to the hour, counted from reports
// given one at a time: its memory is one counter per hour.
class WouldFailChart {
 public:
  WouldFailChart(absl::Time now, int hours);

  // Counts `report` if `would_fail` and it falls in the chart's hours.
  void Add(const StoredReport& report, bool would_fail);

  int hours() const { return static_cast<int>(buckets_.size()); }
  absl::Time start() const { return start_; }
  absl::Time end() const { return end_; }
  const std::vector<int64_t>& buckets() const { return buckets_; }  // Oldest first.
  int64_t total() const { return total_; }

 private:
  absl::Time start_;
  absl::Time end_;
  std::vector<int64_t> buckets_;
  int64_t total_ = 0;
};

// The page for `summary` and `chart`, generated at `now`. `lost` (may be
// empty): the reports the collector refused before storing them
// (LostReports) in the chart's hours, shown as a warning with their count
// by reason: they are in neither the summary nor the chart.
std::string RenderDashboard(const ReportSummary& summary,
                            const WouldFailChart& chart, absl::Time now,
                            const std::vector<LostReports>& lost = {});

// The page over `reports` (tests): `summary` is of `reports`. Without a
// current list (summary.judged false) every report counts as would-fail
// (clients send reports only for chains that fail their list); with one,
// only reports whose chain fails it (JudgeReport).
std::string RenderDashboard(const ReportSummary& summary,
                            const std::vector<StoredReport>& reports,
                            const CurrentList* list, absl::Time now,
                            int hours = 48);

// The page over the reports `store` received in the last 31 days, read in
// one streaming pass (ReportStore::ForEachReport) into the summary and the
// chart (`hours`), and the lost reports of the chart's hours: memory grows
// with the distinct hosts and chains, not with the reports. The store's
// error if it cannot be read.
absl::StatusOr<std::string> DashboardFromStore(ReportStore& store,
                                               const CurrentList* list,
                                               absl::Time now, int hours = 48);

// `text` with & < > " ' escaped for HTML text and attribute values.
std::string HtmlEscape(absl::string_view text);

}  // namespace collector
}  // namespace pinbake

#endif  // PINBAKE_COLLECTOR_DASHBOARD_H_
