// The rollout gate (`pinbake rollout check`): may the list's report-only
// entries be switched to enforce? Each report-only entry is
//   ready    - no report in the last `quiet` period has a chain that would
//              fail the list, and the entry has at least `min_reports`;
//   blocked  - some recent report's chain would fail (the chains listed);
//   no-data  - fewer than `min_reports` reports.
// Each enforced entry with would-fail reports in the period is listed as
// failing. Reports are attributed to entries by the current list's lookup
// of their host.
//
// The gate also needs the reports it never saw: if the collector refused
// possible reports in the quiet period (LostReports: rate-limited,
// store-full, ...), a would-fail report may be among them, so nothing is
// ready until someone looked and passes accept_lost.
//
//   RolloutTally tally(list, options);
//   absl::Status read = store->ForEachReport(absl::InfinitePast(),
//       [&](const StoredReport& r) { tally.Add(r); return absl::OkStatus(); });
//   RolloutResult r = tally.Finish();
//   NoteLostReports(*store->ListLostReports(options.now - options.quiet),
//                   options, &r);
//   return r.all_ready ? 0 : 1;

#ifndef PINBAKE_COLLECTOR_ROLLOUT_CHECK_H_
#define PINBAKE_COLLECTOR_ROLLOUT_CHECK_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "collector/current_list.h"
#include "collector/report_store.h"
#include "format/entry_settings.h"
#include "nlohmann/json.hpp"

namespace pinbake {
namespace collector {

enum class RolloutState { kReady, kBlocked, kNoData, kFailing };

// "ready", "blocked", "no-data", "failing".
const char* RolloutStateName(RolloutState state);

struct RolloutOptions {
  int64_t min_reports = 1;
  absl::Duration quiet = absl::Hours(24 * 7);
  absl::Time now;
  // Lost reports in the quiet period do not keep the gate closed.
  bool accept_lost = false;
};

// A chain that would fail, with its count in the quiet period.
struct FailingChain {
  std::vector<SpkiHash> spki;
  std::vector<std::string> subjects;
  int64_t reports = 0;
  std::string why;
  absl::Time last_seen;
};

struct RolloutEntry {
  std::string name;
  PinMode mode = PinMode::kEnforce;
  RolloutState state = RolloutState::kNoData;
  int64_t reports = 0;             // All reports attributed to the entry.
  int64_t recent_would_fail = 0;   // Would-fail reports in the period.
  std::vector<FailingChain> failing_chains;
};

struct RolloutResult {
  std::vector<RolloutEntry> entries;  // In list order.
  bool all_ready = true;
  // Reports the collector lost in the quiet period, by reason.
  std::map<std::string, int64_t> lost;
  bool lost_accepted = false;
};

// Attributes reports given one at a time (as ReportStore::ForEachReport
// reads them) to the list's entries: memory grows with the entries and
// the distinct (host, chain) pairs, not with the reports. `list` must
// outlive it.
class RolloutTally {
 public:
  RolloutTally(const CurrentList& list, const RolloutOptions& options);
  RolloutTally(const RolloutTally&) = delete;
  RolloutTally& operator=(const RolloutTally&) = delete;

  void Add(const StoredReport& report);
  // Each entry's state, in list order.
  RolloutResult Finish() const;

 private:
  struct EntryTally {
    int64_t reports = 0;
    int64_t recent_would_fail = 0;
    std::map<std::string, FailingChain> failing;  // By chain text.
  };
  const CurrentList& list_;
  RolloutOptions options_;
  CachedJudge judge_;
  std::map<std::string, EntryTally> by_entry_;
};

// RolloutTally over `reports`.
RolloutResult CheckRollout(const CurrentList& list,
                           const std::vector<StoredReport>& reports,
                           const RolloutOptions& options);

// Adds to `result` the reports lost in the quiet period (options.now -
// options.quiet .. now: every hour that ends inside it); any of them
// makes result->all_ready false unless options.accept_lost.
void NoteLostReports(const std::vector<LostReports>& lost,
                     const RolloutOptions& options, RolloutResult* result);

nlohmann::ordered_json RolloutJson(const RolloutResult& result);
std::string RolloutText(const RolloutResult& result);

}  // namespace collector
}  // namespace pinbake

#endif  // PINBAKE_COLLECTOR_ROLLOUT_CHECK_H_
