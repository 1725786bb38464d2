#include "collector/current_list.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "compiler/compile.h"
#include "compiler/diagnostics.h"
#include "compiler/file_util.h"
#include "compiler/model_from_table.h"
#include "runtime/chain_checker.h"

namespace pinbake {
namespace collector {

absl::StatusOr<std::unique_ptr<CurrentList>> LoadCurrentList(
    const std::string& list_path, const std::string& table_path) {
  if (list_path.empty() == table_path.empty()) {
    return absl::InvalidArgumentError("give exactly one of --list or --table");
  }
  auto current = std::make_unique<CurrentList>();
  if (!list_path.empty()) {
    CompileOptions options;
    options.list_path = list_path;
    // A list without a timestamp is judged as if made now; staleness does
    // not matter here (JudgeReport enforces a stale list too).
    options.timestamp = absl::ToUnixSeconds(absl::Now());
    Diagnostics diags;
    CompileOutput out = CompilePinList(options, &diags);
    if (absl::Status s = diags.ToStatus(); !s.ok()) return s;
    current->table = std::move(out.table);
    current->model = std::move(out.model);
  } else {
    absl::StatusOr<std::string> bytes = ReadFileToString(table_path);
    if (!bytes.ok()) return bytes.status();
    current->table = *std::move(bytes);
  }
  absl::StatusOr<PinList> list = PinList::FromBytes(current->table);
  if (!list.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        list_path.empty() ? table_path : list_path, ": ",
        list.status().message()));
  }
  current->list.emplace(*list);
  if (list_path.empty()) {
    absl::StatusOr<PinListModel> model = ModelFromTable(current->list->table());
    if (!model.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(table_path, ": ", model.status().message()));
    }
    current->model = *std::move(model);
  }
  return current;
}

ReportVerdict JudgeReport(const CurrentList& list, const StoredReport& report) {
  ReportVerdict verdict;
  CheckPolicy policy;
  policy.allow_local_root_bypass = false;
  policy.fail_closed_when_stale = true;
  const ChainCheckResult r =
      CheckChain(*list.list, report.hostname, report.validated_spki,
                 /*is_issued_by_known_root=*/true, absl::Now(), policy);
  verdict.pinned = r.lookup.valid() && r.lookup.pinned();
  if (!verdict.pinned) {
    verdict.why = "not pinned by the current list";
    return verdict;
  }
  verdict.entry = r.lookup.PinRuleName();
  verdict.would_fail = r.would_fail;
  const std::string pinset =
      r.lookup.pinset ? std::string(r.lookup.pinset->name()) : std::string("?");
  if (!r.would_fail) {
    verdict.why = "ok";
  } else if (r.bad_pin_found) {
    verdict.why = absl::StrCat("a blocked pin of pinset ", pinset,
                               " is in the chain");
  } else {
    verdict.why = absl::StrCat("no pin of the chain is in pinset ", pinset);
  }
  return verdict;
}

const ReportVerdict& CachedJudge::Judge(const StoredReport& report) {
  // <length>:<hostname> then 32 bytes per hash: no two inputs share a key.
  std::string key = absl::StrCat(report.hostname.size(), ":", report.hostname);
  for (const SpkiHash& h : report.validated_spki) {
    key.append(reinterpret_cast<const char*>(h.bytes.data()), h.bytes.size());
  }
  auto it = verdicts_.find(key);
  if (it == verdicts_.end()) {
    it = verdicts_.emplace(std::move(key), JudgeReport(list_, report)).first;
  }
  return it->second;
}

}  // namespace collector
}  // namespace pinbake
