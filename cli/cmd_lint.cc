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
#include "cli/live_chain.h"
#include "cli/pin_report.h"
#include "runtime/cert_util.h"
#include "runtime/list_time_bounds.h"
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
             [--connect HOST[:PORT][@ADDRESS] ... [--ca FILE.pem]]
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
  no-live-chain   (warning) an enforced pinned entry for which no live
                  chain was given: "would brick" was not checked for it
Report-only hosts get warnings where enforced ones get errors. The report
starts with what was checked ("checked: ..." lines) and ends with the
counts.

  --pins FILE           .pins file of LIST.
  --chain HOST=FILE     The chain HOST serves now (PEM, leaf first; include
                        the root if pins may be on it). Repeatable.
  --connect HOST[:PORT][@ADDRESS]
                        Capture the chain HOST presents now with a TLS
                        handshake (port 443 by default; to ADDRESS instead
                        of HOST's address, e.g. a staging server) and check
                        it as --chain does: the verified chain (leaf to
                        root) when it verifies, else the served chain.
                        Repeatable.
  --ca FILE.pem         Also trust these roots when verifying --connect
                        chains (the system's roots are always trusted).
  --previous OLD        The list in use now (JSON list or table).
  --previous-pins FILE  .pins file of OLD.
  --pem-root DIR        Read the lists' "pem_file" keys only inside DIR
                        (as pinbake compile --pem-root).
  --now T               RFC 3339 or unix seconds (default: now).
  --werror              Warnings fail too.
  --json                JSON output: {"checked", "errors", "warnings",
                        "findings"}.
  -o OUT                Write the report to OUT (atomically).

Exit codes: 0 no errors, 1 lint errors (or warnings with --werror),
2 bad input, usage or I/O error.
)";

// The --connect chains, captured now. kExitOk, or kExitError after
// printing why.
int CaptureLiveChains(const ParsedArgs& parsed, std::vector<LiveChain>* out) {
  auto it = parsed.values.find("--connect");
  if (it == parsed.values.end()) return kExitOk;
  absl::StatusOr<std::vector<std::string>> roots = CaRootsFromFlag(parsed);
  if (!roots.ok()) return InputError(roots.status().message());
  for (const std::string& arg : it->second) {
    absl::StatusOr<LiveServer> server = ParseLiveServer(arg);
    if (!server.ok()) {
      return UsageError(absl::StrCat("--connect: ", server.status().message()),
                        kLintHelp);
    }
    absl::StatusOr<CapturedChain> captured = CaptureChain(*server, *roots);
    if (!captured.ok()) {
      return InputError(absl::StrCat("--connect ", arg, ": ",
                                     captured.status().message()));
    }
    LiveChain live;
    live.host = server->host;
    live.source = absl::StrCat(
        "connect ", captured->address,
        captured->verified.empty()
            ? absl::StrCat(", not verified: ", captured->verify_message)
            : std::string(", verified"));
    for (const std::string& der : captured->best()) {
      absl::StatusOr<SpkiHash> h = SpkiHashOfDerCertificate(der);
      if (!h.ok()) {
        return InputError(absl::StrCat("--connect ", arg, ": ",
                                       h.status().message()));
      }
      live.chain.push_back(*h);
      absl::StatusOr<std::string> subject = CertificateSubject(der);
      live.subjects.push_back(subject.ok() ? *subject : "");
    }
    out->push_back(std::move(live));
  }
  return kExitOk;
}

// What lint looked at, as "checked: ..." lines and as JSON.
struct LintCoverage {
  std::vector<std::string> lines;
  Json json;
};

LintCoverage CoverageOf(const PinList& list, const LintOptions& options,
                        const std::vector<LintFinding>& findings,
                        const std::optional<std::string>& previous_path) {
  LintCoverage c;
  const TableReader& table = list.table();
  const std::string now = UtcTimeText(options.now);
  c.lines.push_back(absl::StrCat(
      "checked: list version ", table.list_version(), ", timestamp ",
      table.timestamp() == 0 ? "none" : ListTimeText(table.timestamp()),
      ", max_age_days ", table.max_age_days(), " at ", now));
  c.lines.push_back(absl::StrCat("checked: ", table.pinset_count(),
                                 " pinset(s) for a backup pin (RFC 7469)"));
  Json chains = Json::array();
  for (const LiveChain& live : options.live_chains) {
    c.lines.push_back(absl::StrCat("checked: the live chain of ", live.host,
                                   " (", live.source, ", ", live.chain.size(),
                                   " certificate(s))"));
    chains.push_back({{"host", live.host},
                      {"source", live.source},
                      {"certificates", live.chain.size()}});
  }
  size_t unchecked = 0;
  for (const LintFinding& f : findings) unchecked += f.check == "no-live-chain";
  if (unchecked > 0) {
    c.lines.push_back(absl::StrCat(
        "not checked: ", unchecked,
        " enforced pinned entr", unchecked == 1 ? "y" : "ies",
        " without a live chain (see no-live-chain below)"));
  }
  if (previous_path) {
    c.lines.push_back(absl::StrCat("checked: the change from the previous list ",
                                   *previous_path, " (version ",
                                   options.previous->table().list_version(),
                                   ")"));
  }
  c.json = {{"now", now},
            {"list_version", table.list_version()},
            {"pinsets", table.pinset_count()},
            {"live_chains", chains},
            {"entries_without_live_chain", unchecked},
            {"previous", previous_path ? Json(*previous_path) : Json(nullptr)}};
  return c;
}

int RunLint(const ParsedArgs& parsed) {
  if (parsed.Value("--previous-pins") && !parsed.Value("--previous")) {
    return UsageError("--previous-pins needs --previous", kLintHelp);
  }
  if (parsed.Value("--ca") && !parsed.Value("--connect")) {
    return UsageError("--ca needs --connect", kLintHelp);
  }
  LintOptions options;
  options.now = absl::Now();
  options.warn_without_live_chain = true;
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
  KeyNames key_names;  // LIST's names first, then the previous list's.
  options.key_names = &key_names;
  absl::StatusOr<std::shared_ptr<const LoadedList>> list = LoadListOrTable(
      parsed.positional[0], parsed.Value("--pins").value_or(""), &diags,
      parsed.Value("--pem-root").value_or(""), &key_names);
  std::optional<absl::StatusOr<std::shared_ptr<const LoadedList>>> previous;
  if (std::optional<std::string> path = parsed.Value("--previous")) {
    previous = LoadListOrTable(
        *path, parsed.Value("--previous-pins").value_or(""), &diags,
        parsed.Value("--pem-root").value_or(""), &key_names);
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
  if (int code = CaptureLiveChains(parsed, &options.live_chains);
      code != kExitOk) {
    return code;
  }

  // Subjects name the chains' keys the lists leave unnamed.
  for (const LiveChain& live : options.live_chains) {
    for (size_t i = 0; i < live.chain.size() && i < live.subjects.size(); ++i) {
      if (!live.subjects[i].empty()) key_names.emplace(live.chain[i], live.subjects[i]);
    }
  }
  absl::StatusOr<std::vector<LintFinding>> findings =
      LintPinList((*list)->list(), options);
  if (!findings.ok()) return InputError(findings.status().message());
  const size_t errors = CountLintErrors(*findings);
  const size_t warnings = CountLintWarnings(*findings);
  const LintCoverage coverage = CoverageOf((*list)->list(), options, *findings,
                                           parsed.Value("--previous"));

  std::string report;
  if (parsed.Has("--json")) {
    Json out;
    out["checked"] = coverage.json;
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
    report = DumpPretty(out) + "\n";
  } else {
    for (const std::string& line : coverage.lines) {
      absl::StrAppend(&report, line, "\n");
    }
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
               [--connect HOST[:PORT][@ADDRESS] ...] [--previous OLD] [--now T] [--json])",
    kLintHelp,
    {{"--json", "--werror"},
     {"--pins", "--pem-root", "--chain", "--connect", "--ca", "--previous",
      "--previous-pins", "--now", "-o"}},
    1,
    1,
    {},
    "lint needs one LIST",
    RunLint,
};

}  // namespace cli
}  // namespace pinbake
