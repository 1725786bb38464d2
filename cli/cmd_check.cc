// `pinbake check`: a host and a verified chain against a table, the way
// Chrome checks static pins; prints the check as JSON.

#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cli/check_result_json.h"
#include "cli/cli_common.h"
#include "runtime/idn_host.h"
#include "cli/command_line.h"
#include "cli/subcommand.h"
#include "compiler/file_util.h"
#include "runtime/cert_util.h"
#include "runtime/chain_checker.h"
#include "runtime/pin_list.h"
#include "runtime/pkp_report.h"

namespace pinbake {
namespace cli {
namespace {

constexpr char kCheckHelp[] =
    R"(pinbake check TABLE.pinb HOST CHAIN.pem [options]

Checks the verified chain in CHAIN.pem (PEM certificates, leaf first) for
HOST, the way Chrome checks static pins, and prints a JSON object with
result (not-pinned, ok, violation, bypassed, stale, invalid-host), allowed,
would_fail, the deciding rule, the pinset, its report_uri and the chain's
sha256/ pins. Exit 1 when the result is violation or invalid-host or the
chain is otherwise refused, 0 when allowed, 2 on errors.

  --not-known-root          The chain ends at a locally installed root.
  --now T                   Time of the check (RFC 3339 or unix seconds).
  --no-bypass               Do not bypass pins for locally installed roots.
  --fail-closed-when-stale  Keep enforcing a stale list as if fresh.
  --report                  Add "report": the RFC 7469 violation report
                            (port 443; CHAIN.pem as served and validated
                            chain), null when the chain passes its pinset.
)";

int RunCheck(const ParsedArgs& parsed) {
  absl::Time now = absl::Now();
  if (std::optional<std::string> t = parsed.Value("--now")) {
    std::optional<absl::Time> time = ParseTimeArgument(*t);
    if (!time) return UsageError("--now: not a time", kCheckHelp);
    now = *time;
  }
  LoadedTable table;
  if (!LoadTable(parsed.positional[0], &table)) return kExitError;
  const std::string& chain_path = parsed.positional[2];
  absl::StatusOr<std::string> pem = ReadFileToString(chain_path);
  if (!pem.ok()) {
    std::cerr << "pinbake: " << pem.status().message() << "\n";
    return kExitError;
  }
  absl::StatusOr<std::vector<std::string>> ders =
      ParsePemCertificateChain(*pem);
  if (!ders.ok()) {
    std::cerr << "pinbake: " << chain_path << ": " << ders.status().message()
              << "\n";
    return kExitError;
  }
  std::vector<SpkiHash> hashes;
  for (size_t i = 0; i < ders->size(); ++i) {
    absl::StatusOr<SpkiHash> h = SpkiHashOfDerCertificate((*ders)[i]);
    if (!h.ok()) {
      std::cerr << "pinbake: " << chain_path << ": certificate " << i + 1
                << ": " << h.status().message() << "\n";
      return kExitError;
    }
    hashes.push_back(*h);
  }
  CheckPolicy policy;
  policy.allow_local_root_bypass = !parsed.Has("--no-bypass");
  policy.fail_closed_when_stale = parsed.Has("--fail-closed-when-stale");
  const std::string& host = parsed.positional[1];
  const ChainCheckResult r =
      CheckChain(*table.list, HostForLookup(host), hashes,  // U-labels too.
                 !parsed.Has("--not-known-root"),
                 now, policy);
  Json out;
  AppendCheckResultJson(CheckResultViewOf(host, r), &out);
  out["list_timestamp"] = table.list->table().timestamp();
  out["list_stale"] = r.list_stale;
  out["error"] = r.lookup.valid() ? Json(nullptr)
                                  : Json(HostErrorName(r.lookup.error));
  out["chain"] = PinArrayJson(hashes);
  if (parsed.Has("--report")) {
    std::optional<PkpReport> report =
        r.would_fail ? MakePkpReport(r, *table.list, 443, now, *ders, *ders)
                     : std::nullopt;
    out["report"] =
        report ? Json::parse(PkpReportToJson(*report)) : Json(nullptr);
  }
  std::cout << DumpPretty(out) << "\n";
  return r.allowed ? kExitOk : kExitRefused;
}

}  // namespace

const Subcommand kCheckCommand = {
    "check",
    R"(pinbake check TABLE.pinb HOST CHAIN.pem [--not-known-root] [--now T]
                [--no-bypass] [--fail-closed-when-stale] [--report])",
    kCheckHelp,
    {{"--not-known-root", "--no-bypass", "--fail-closed-when-stale",
      "--report"},
     {"--now"}},
    3,
    3,
    {},
    "check needs TABLE HOST CHAIN.pem",
    RunCheck,
};

}  // namespace cli
}  // namespace pinbake
