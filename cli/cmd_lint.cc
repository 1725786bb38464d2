// pinbake lint: release checks of a pin list (release/lint.h).

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cli/command_line.h"
#include "release/lint.h"
#include "cli/cli_common.h"
#include "cli/release_inputs.h"
#include "cli/subcommand.h"

namespace pinbake {
namespace cli {
namespace {

using Json = nlohmann::ordered_json;

constexpr char kLintHelp[] =
    R"(pinbake lint LIST [--pins FILE] [--pem-root DIR] [--chain HOST=CHAIN.pem ...]
             [--previous OLD [--previous-pins FILE]] [--now T]
             [--werror] [--json] [-o OUT]

Checks that a pin list (JSON list, compiled first, or a table) is safe to
ship (docs/release.md):
  single-pin      an enforced pinset has fewer than two pins (no backup;
                  RFC 7469 section 4.3)
  chain-mismatch  "would brick HOST": the live chain matches no pin
  blocked-pin     "would brick HOST": the live chain has a blocked pin
  no-backup       every pin of the host's pinset is in its live chain
  would-brick     (with --previous) the change removes every pin the live
                  chain matched in the previous list
  no-pin-overlap  (with --previous, warning) an entry's new pins share
                  nothing with its previous pins
  no-timestamp, expired, expires-soon (warning: within 30 days of T)
  invalid-host, not-pinned (warning) for --chain hosts
Report-only hosts get warnings where enforced ones get errors.

  --pins FILE           .pins file of LIST.
  --chain HOST=FILE     The chain HOST serves now (PEM, leaf first; include
                        the root if pins may be on it). Repeatable.
  --previous OLD        The list in use now (JSON list or table).
  --previous-pins FILE  .pins file of OLD.
  --pem-root DIR        Read the lists' "pem_file" keys only inside DIR
                        (as pinbake compile --pem-root).
  --now T               RFC 3339 or unix seconds (default: now).
  --werror              Warnings fail too.
  --json                JSON output: {"errors", "warnings", "findings"}.
  -o OUT                Write the report to OUT (atomically).

Exit codes: 0 no errors, 1 lint errors (or warnings with --werror),
2 bad input, usage or I/O error.
)";

int RunLint(const ParsedArgs& parsed) {
  if (parsed.Value("--previous-pins") && !parsed.Value("--previous")) {
    return UsageError("--previous-pins needs --previous", kLintHelp);
  }
  LintOptions options;
  options.now = absl::Now();
  if (std::optional<std::string> t = parsed.Value("--now")) {
    std::optional<absl::Time> time = ParseTimeArgument(*t);
    if (!time) return UsageError("--now: not a time", kLintHelp);
    options.now = *time;
  }
  if (auto it = parsed.values.find("--chain"); it != parsed.values.end()) {
    for (const std::string& arg : it->second) {
      absl::StatusOr<LiveChain> live = ParseLiveChainArgument(arg);
      if (!live.ok()) return InputError(live.status().message());
      options.live_chains.push_back(*std::move(live));
    }
  }
  Diagnostics diags;
  absl::StatusOr<std::shared_ptr<const LoadedList>> list = LoadListOrTable(
      parsed.positional[0], parsed.Value("--pins").value_or(""), &diags,
      parsed.Value("--pem-root").value_or(""));
  std::optional<absl::StatusOr<std::shared_ptr<const LoadedList>>> previous;
  if (std::optional<std::string> path = parsed.Value("--previous")) {
    previous = LoadListOrTable(
        *path, parsed.Value("--previous-pins").value_or(""), &diags,
        parsed.Value("--pem-root").value_or(""));
  }
  PrintDiagnostics(diags);
  if (!list.ok()) return InputError(list.status().message());
  if (previous.has_value()) {
    if (!previous->ok()) {
      return InputError(
          absl::StrCat("--previous: ", previous->status().message()));
    }
    options.previous = &(**previous)->list();
  }

  absl::StatusOr<std::vector<LintFinding>> findings =
      LintPinList((*list)->list(), options);
  if (!findings.ok()) return InputError(findings.status().message());
  const size_t errors = CountLintErrors(*findings);
  const size_t warnings = CountLintWarnings(*findings);

  std::string report;
  if (parsed.Has("--json")) {
    Json out;
    out["errors"] = errors;
    out["warnings"] = warnings;
    out["findings"] = Json::array();
    for (const LintFinding& f : *findings) {
      out["findings"].push_back(
          {{"severity", f.severity == Severity::kError ? "error" : "warning"},
           {"check", f.check},
           {"subject", f.subject},
           {"message", f.message}});
    }
    report = out.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  } else {
    for (const LintFinding& f : *findings) {
      absl::StrAppend(&report,
                      f.severity == Severity::kError ? "error" : "warning",
                      ": ", f.check, ": ", f.message, "\n");
    }
    absl::StrAppend(&report, errors, " error(s), ", warnings, " warning(s)\n");
  }
  if (!Emit(parsed.Value("-o").value_or(""), report)) return kExitError;
  const bool failed = errors > 0 || (parsed.Has("--werror") && warnings > 0);
  return failed ? kExitRefused : kExitOk;
}

}  // namespace

const Subcommand kLintCommand = {
    "lint",
    R"(pinbake lint LIST [--pins F] [--pem-root DIR] [--chain HOST=CHAIN.pem ...]
               [--previous OLD] [--now T] [--json])",
    kLintHelp,
    {{"--json", "--werror"},
     {"--pins", "--pem-root", "--chain", "--previous", "--previous-pins",
      "--now", "-o"}},
    1,
    1,
    {},
    "lint needs one LIST",
    RunLint,
};

}  // namespace cli
}  // namespace pinbake
