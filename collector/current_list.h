// The pin list reports are judged against ("would this chain fail the
// current list?"): a list JSON compiled in memory (compiler/compile.h), or
// a compiled table; either way the runtime's PinList (for CheckChain) and
// the compiler's model (for the entries and their pin_mode).
//
//   absl::StatusOr<std::unique_ptr<CurrentList>> list =
//       LoadCurrentList("pins.json", "");  // or ("", "pins.pinb")
//   ReportVerdict v = JudgeReport(**list, stored_report);

#ifndef PINBAKE_COLLECTOR_CURRENT_LIST_H_
#define PINBAKE_COLLECTOR_CURRENT_LIST_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/container/node_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "collector/report_store.h"
#include "compiler/pin_list_model.h"
#include "runtime/pin_list.h"

namespace pinbake {
namespace collector {

struct CurrentList {
  std::string table;          // The table bytes `list` reads.
  std::optional<PinList> list;
  PinListModel model;
};

// Loads exactly one of `list_path` (a list JSON; its "pem_file" keys are
// read next to it) or `table_path` (a .pinb table). Errors carry the
// compiler's diagnostics or the table's problem.
absl::StatusOr<std::unique_ptr<CurrentList>> LoadCurrentList(
    const std::string& list_path, const std::string& table_path);

// How a stored report's validated chain fares under the current list.
struct ReportVerdict {
  bool pinned = false;      // The current list pins the report's host.
  bool would_fail = false;  // The chain fails that host's pinset.
  std::string entry;        // The deciding entry's name ("" if none).
  std::string why;          // One line: "no pin of the chain is in
                            // pinset cdn", "blocked pin ... in the chain",
                            // "not pinned by the current list", "ok".
};

// Checks `report`'s validated chain for its host with CheckChain (as if
// issued by a known root, the list enforced even when stale).
ReportVerdict JudgeReport(const CurrentList& list, const StoredReport& report);

// JudgeReport with each verdict kept per (hostname, validated chain), the
// two inputs that decide it: for passes over many reports of few chains
// (rollout check, the dashboard's chart). Memory grows with the distinct
// pairs, not with the reports. `list` must outlive it; one thread.
class CachedJudge {
 public:
  explicit CachedJudge(const CurrentList& list) : list_(list) {}
  // JudgeReport(list, report), computed once per pair. The reference is
  // valid for the judge's lifetime.
  const ReportVerdict& Judge(const StoredReport& report);

 private:
  const CurrentList& list_;
  absl::node_hash_map<std::string, ReportVerdict> verdicts_;
};

}  // namespace collector
}  // namespace pinbake

#endif  // PINBAKE_COLLECTOR_CURRENT_LIST_H_
