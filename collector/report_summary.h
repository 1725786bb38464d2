// `pinbake reports summary` and the dashboard: reports grouped per noted
// host, with the distinct validated chains seen (SPKI hashes, subjects),
// first/last seen, and, given the current list, which chains would fail it
// and why.
//
//   ReportSummarizer summarizer(list.get());  // list may be null
//   absl::Status read = store->ForEachReport(since, [&](const StoredReport& r) {
//     summarizer.Add(r);
//     return absl::OkStatus();
//   });
//   ReportSummary s = std::move(summarizer).Finish();
//   std::cout << SummaryText(s);   or   SummaryJson(s).dump(2)

#ifndef PINBAKE_COLLECTOR_REPORT_SUMMARY_H_
#define PINBAKE_COLLECTOR_REPORT_SUMMARY_H_

#include <cstdint>
#include <map>
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

// Builds a ReportSummary from reports given one at a time (as
// ReportStore::ForEachReport reads them): its memory grows with the
// distinct noted hosts and chains, not with the reports. `list` (null:
// none) judges each chain once (JudgeReport of the chain's first report:
// the host and chain decide the verdict); it must outlive the summarizer.
class ReportSummarizer {
 public:
  explicit ReportSummarizer(const CurrentList* list);
  ReportSummarizer(const ReportSummarizer&) = delete;
  ReportSummarizer& operator=(const ReportSummarizer&) = delete;

  // Counts `report` on its noted host and chain; returns that chain's
  // summary so far (its verdict set when a list was given). The reference
  // is valid until Finish.
  const ChainSummary& Add(const StoredReport& report);
  // The summary: hosts by name, chains most reported first.
  ReportSummary Finish() &&;

 private:
  struct HostState {
    HostSummary host;
    std::map<std::string, ChainSummary> chains;  // By ChainSpkiText.
  };
  const CurrentList* list_;
  int64_t reports_ = 0;
  std::map<std::string, HostState> hosts_;  // By noted host name.
};

// ReportSummarizer over `reports`.
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
