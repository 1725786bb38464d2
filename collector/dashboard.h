// The collector's dashboard (GET /): one self-contained HTML page, no
// scripts and no external assets (clients may be offline): the summary per
// noted host and an inline SVG bar chart of would-fail reports per hour
// over the last `hours` hours. Every text from reports is HTML-escaped.
//
//   std::string html = RenderDashboard(summary, reports, absl::Now(), 48);

#ifndef PINBAKE_COLLECTOR_DASHBOARD_H_
#define PINBAKE_COLLECTOR_DASHBOARD_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collector/current_list.h"
#include "collector/report_store.h"
#include "collector/report_summary.h"

namespace pinbake {
namespace collector {

// `summary` is of `reports`. Without a current list (summary.judged false)
// every report counts as would-fail (clients send reports only for chains
// that fail their list); with one, only reports whose chain fails it.
std::string RenderDashboard(const ReportSummary& summary,
                            const std::vector<StoredReport>& reports,
                            const CurrentList* list, absl::Time now,
                            int hours = 48);

// `text` with & < > " ' escaped for HTML text and attribute values.
std::string HtmlEscape(absl::string_view text);

}  // namespace collector
}  // namespace pinbake

#endif  // PINBAKE_COLLECTOR_DASHBOARD_H_
