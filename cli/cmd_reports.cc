// `pinbake reports summary`: what the collector received, per noted host
// (collector/report_summary.h); `pinbake reports prune`: delete old ones.

#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cli/cli_common.h"
#include "cli/collector_flags.h"
#include "cli/command_line.h"
#include "cli/subcommand.h"
#include "collector/current_list.h"
#include "collector/open_store.h"
#include "collector/report_summary.h"
#include "nlohmann/json.hpp"

namespace pinbake {
namespace cli {
namespace {

constexpr char kReportsHelp[] =
    R"(pinbake reports summary --db PATH_OR_URL [options]
pinbake reports prune --db PATH_OR_URL --older-than DURATION

Summarises the reports in the collector's database, per noted host: the
number of reports (duplicates included), the distinct validated chains with
their SPKI hashes and subjects, first and last seen and, given the current
list, how many chains would fail it and why.

  --db PATH_OR_URL   SQLite file or postgresql://... URI.
  --since DURATION   Only reports received in the last DURATION (90m, 24h,
                     7d, ...); default: all.
  --list L.json      Judge each chain against this list ...
  --table T.pinb     ... or this compiled table.
  --json             JSON instead of text.

prune deletes, in one transaction, every report last received longer than
DURATION ago (e.g. 90d) and prints how many went and how many are left.
)";

int RunPrune(const ParsedArgs& parsed) {
  std::optional<std::string> text = parsed.Value("--older-than");
  if (!text) {
    return UsageError("reports prune needs --older-than DURATION (e.g. 90d)",
                      kReportsHelp);
  }
  std::optional<absl::Duration> age = ParseSinceDuration(*text);
  if (!age || *age <= absl::ZeroDuration()) {
    return UsageError("--older-than: a duration like 90d or 720h",
                      kReportsHelp);
  }
  absl::StatusOr<std::unique_ptr<collector::ReportStore>> store =
      collector::OpenReportStore(*parsed.Value("--db"));
  if (!store.ok()) return InputError(store.status().message());
  absl::StatusOr<int64_t> deleted =
      (*store)->DeleteReportsBefore(absl::Now() - *age);
  if (!deleted.ok()) return InputError(deleted.status().message());
  absl::StatusOr<int64_t> left = (*store)->CountReports();
  if (!left.ok()) return InputError(left.status().message());
  std::cout << "pruned " << *deleted << " reports last received before "
            << *text << " ago; " << *left << " left\n";
  return kExitOk;
}

int RunReports(const ParsedArgs& parsed) {
  if (parsed.positional[0] == "prune") return RunPrune(parsed);
  if (parsed.positional[0] != "summary") {
    return UsageError("reports: the actions are `summary` and `prune`",
                      kReportsHelp);
  }
  absl::Time since = absl::InfinitePast();
  if (std::optional<std::string> text = parsed.Value("--since")) {
    std::optional<absl::Duration> d = ParseSinceDuration(*text);
    if (!d) return UsageError("--since: a duration like 24h or 7d", kReportsHelp);
    since = absl::Now() - *d;
  }
  absl::StatusOr<std::unique_ptr<collector::CurrentList>> loaded =
      CurrentListFromFlags(parsed);
  if (!loaded.ok()) return InputError(loaded.status().message());
  std::unique_ptr<collector::CurrentList> list = *std::move(loaded);
  absl::StatusOr<std::unique_ptr<collector::ReportStore>> store =
      collector::OpenReportStore(*parsed.Value("--db"));
  if (!store.ok()) return InputError(store.status().message());
  // One streaming pass: memory grows with the hosts and chains, not with
  // the reports.
  collector::ReportSummarizer summarizer(list.get());
  absl::Status read = (*store)->ForEachReport(
      since, [&](const collector::StoredReport& r) {
        summarizer.Add(r);
        return absl::OkStatus();
      });
  if (!read.ok()) return InputError(read.message());
  const collector::ReportSummary summary = std::move(summarizer).Finish();
  // What the collector refused before storing it is in no row: say so.
  absl::StatusOr<std::vector<collector::LostReports>> lost =
      (*store)->ListLostReports(since);
  if (!lost.ok()) return InputError(lost.status().message());
  const collector::LostTally lost_tally =
      collector::TallyLostReports(*lost, since);
  if (parsed.Has("--json")) {
    nlohmann::ordered_json out = collector::SummaryJson(summary);
    nlohmann::ordered_json by_reason = nlohmann::ordered_json::object();
    for (const auto& [reason, count] : lost_tally.by_reason) {
      by_reason[reason] = count;
    }
    out["lost_reports"] = std::move(by_reason);
    std::cout << DumpPretty(out) << "\n";
  } else {
    std::cout << collector::SummaryText(summary);
    if (lost_tally.total > 0) {
      std::cout << "lost: the collector refused " << lost_tally.total
                << " possible reports before storing them ("
                << collector::LostReasonsText(lost_tally.by_reason)
                << "); they are not counted above\n";
    }
  }
  return kExitOk;
}

}  // namespace

const Subcommand kReportsCommand = {
    "reports",
    R"(pinbake reports summary --db PATH_OR_URL [--since DURATION] [--json]
                [--list L | --table T]
       pinbake reports prune --db PATH_OR_URL --older-than DURATION)",
    kReportsHelp,
    {{"--json"}, {"--db", "--since", "--list", "--table", "--older-than"}},
    1,
    1,
    {"--db"},
    "reports needs `summary` or `prune`, and --db PATH_OR_URL",
    RunReports,
};

}  // namespace cli
}  // namespace pinbake
