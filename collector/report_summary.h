// `pinbake reports summary` and the dashboard: reports grouped per noted
// host, with the distinct validated chains seen (SPKI hashes, subjects),
// first/last seen, and, given the current list, which chains would fail it
// and why.
//
//   ReportSummary s = SummarizeReports(reports, list.get());  // list may be null
//   std::cout << SummaryText(s);   or   SummaryJson(s).dump(2)

#ifndef PINBAKE_COLLECTOR_REPORT_SUMMARY_H_
#define PINBAKE_COLLECTOR_REPORT_SUMMARY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "collector/current_list.h"
#include "collector/report_store.h"
#include "nlohmann/json.hpp"

namespace pinbake {
namespace collector {

// One distinct validated chain of a host.
struct ChainSummary {
  std::vector<SpkiHash> spki;         // Leaf first.
  std::vector<std::string> subjects;  // Same order.
  int64_t reports = 0;                // Including duplicates.
  absl::Time first_seen;
  absl::Time last_seen;
  // Set only when a current list was given.
  bool judged = false;
  bool would_fail = false;
  std::string why;
};

struct HostSummary {
  std::string noted_hostname;
  int64_t reports = 0;
  absl::Time first_seen;
  absl::Time last_seen;
  std::vector<ChainSummary> chains;  // Most reported first.
  int64_t would_fail_chains = 0;     // With a current list.
  int64_t would_fail_reports = 0;
};

struct ReportSummary {
  bool judged = false;  // A current list was given.
  int64_t reports = 0;
  std::vector<HostSummary> hosts;  // By name.
};

// Groups `reports`; `list` (null: none) judges each chain (JudgeReport of
// the chain's first report: the host and chain decide the verdict).
ReportSummary SummarizeReports(const std::vector<StoredReport>& reports,
                               const CurrentList* list);

// The summary as JSON (times RFC 3339 UTC) and as text for people.
nlohmann::ordered_json SummaryJson(const ReportSummary& summary);
std::string SummaryText(const ReportSummary& summary);

// RFC 3339 UTC to the second.
std::string TimeText(absl::Time t);

}  // namespace collector
}  // namespace pinbake

#endif  // PINBAKE_COLLECTOR_REPORT_SUMMARY_H_
