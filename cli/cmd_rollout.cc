// `pinbake rollout check`: the gate from report-only to enforce
// (collector/rollout_check.h, docs/release.md).

#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "cli/cli_common.h"
#include "cli/command_line.h"
#include "cli/subcommand.h"
#include "collector/current_list.h"
#include "collector/open_store.h"
#include "collector/rollout_check.h"

namespace pinbake {
namespace cli {
namespace {

constexpr char kRolloutHelp[] =
    R"(pinbake rollout check LIST.json --db PATH_OR_URL [options]

Decides whether LIST.json's report-only entries may be enforced, from the
reports in the collector's database (each judged against LIST.json):
  ready    no report in the last D days has a chain that would fail the
           list, and the entry has at least N reports;
  blocked  some recent report's chain would fail (the chains are listed);
  no-data  fewer than N reports.
Enforced entries with would-fail reports in the last D days are listed as
failing. If the collector refused possible reports in the last D days
(rate-limited, store-full, store-unavailable, body-too-large), a would-fail
report may be among them: nothing is ready until --accept-lost. Exit 0
when every listed entry is ready, 1 otherwise, 2 on errors.

  --db PATH_OR_URL   SQLite file or postgresql://... URI.
  --min-reports N    Reports an entry needs to be ready (default 1).
  --quiet-days D     Days without would-fail reports (default 7).
  --accept-lost      Reports the collector lost in those days do not
                     close the gate (after finding out why they were lost).
  --json             JSON instead of text.
)";

int RunRollout(const ParsedArgs& parsed) {
  if (parsed.positional[0] != "check") {
    return UsageError("rollout: the only action is `check`", kRolloutHelp);
  }
  collector::RolloutOptions options;
  options.now = absl::Now();
  options.accept_lost = parsed.Has("--accept-lost");
  if (std::optional<std::string> text = parsed.Value("--min-reports")) {
    if (!absl::SimpleAtoi(*text, &options.min_reports) ||
        options.min_reports < 0) {
      return UsageError("--min-reports: a number >= 0", kRolloutHelp);
    }
  }
  if (std::optional<std::string> text = parsed.Value("--quiet-days")) {
    int64_t days = 0;
    if (!absl::SimpleAtoi(*text, &days) || days < 0 || days > 3650) {
      return UsageError("--quiet-days: days, 0..3650", kRolloutHelp);
    }
    options.quiet = absl::Hours(24 * days);
  }
  absl::StatusOr<std::unique_ptr<collector::CurrentList>> list =
      collector::LoadCurrentList(parsed.positional[1], "");
  if (!list.ok()) return InputError(list.status().message());
  absl::StatusOr<std::unique_ptr<collector::ReportStore>> store =
      collector::OpenReportStore(*parsed.Value("--db"));
  if (!store.ok()) return InputError(store.status().message());
  // One streaming pass: memory grows with the entries and chains, not
  // with the reports.
  collector::RolloutTally tally(**list, options);
  absl::Status read = (*store)->ForEachReport(
      absl::InfinitePast(), [&](const collector::StoredReport& r) {
        tally.Add(r);
        return absl::OkStatus();
      });
  if (!read.ok()) return InputError(read.message());
  absl::StatusOr<std::vector<collector::LostReports>> lost =
      (*store)->ListLostReports(options.now - options.quiet);
  if (!lost.ok()) return InputError(lost.status().message());
  collector::RolloutResult result = tally.Finish();
  collector::NoteLostReports(*lost, options, &result);
  if (parsed.Has("--json")) {
    std::cout << DumpPretty(collector::RolloutJson(result)) << "\n";
  } else {
    std::cout << collector::RolloutText(result);
  }
  return result.all_ready ? kExitOk : kExitRefused;
}

}  // namespace

const Subcommand kRolloutCommand = {
    "rollout",
    R"(pinbake rollout check LIST.json --db PATH_OR_URL [--min-reports N]
                [--quiet-days D] [--accept-lost] [--json])",
    kRolloutHelp,
    {{"--json", "--accept-lost"}, {"--db", "--min-reports", "--quiet-days"}},
    2,
    2,
    {"--db"},
    "rollout needs `check LIST.json` and --db PATH_OR_URL",
    RunRollout,
};

}  // namespace cli
}  // namespace pinbake
