// `pinbake check`: a host and a verified chain against a table, the way
// Chrome checks static pins; prints the check (text, or JSON with --json)
// with the expected pins and the chain's pins and subjects (cli/pin_report.h).

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
#include "cli/pin_report.h"
#include "cli/release_inputs.h"
#include "cli/subcommand.h"
#include "compiler/file_util.h"
#include "runtime/cert_util.h"
#include "runtime/chain_checker.h"
#include "runtime/list_time_bounds.h"
#include "runtime/pin_list.h"
#include "runtime/pkp_report.h"

namespace pinbake {
namespace cli {
namespace {

constexpr char kCheckHelp[] =
    R"(pinbake check TABLE.pinb HOST CHAIN.pem [options] [--json]

Checks the verified chain in CHAIN.pem (PEM certificates, leaf first) for
HOST, the way Chrome checks static pins, and prints the result (not-pinned,
ok, violation, bypassed, stale, invalid-host), the pinned keys of the
host's pinset and, for each chain certificate, its pin and subject (as
OkHttp's pinning failure message does):
  www.example.com: ok: the chain matches a pin of pinset example; allowed (enforce; entry example.com)
    pinned keys of pinset example:
      sha256/...= (in the chain)
      sha256/...=
    peer certificate chain:
      sha256/...=: CN=www.example.com
      sha256/...=: CN=Demo Intermediate (pinned)
With --json, one JSON object: host, canonical, result, allowed, would_fail,
bad_pin_found, rule, pin_mode, pinset, report_uri, list_timestamp (RFC
3339, null for none), list_stale, error, chain (the chain's sha256/ pins),
expected_pins and blocked_pins ([{pin, name, in_chain}]),
chain_certificates ([{pin, subject, match}]), and report with --report.

Exit codes: 0 allowed; 1 refused (violation, invalid-host); 2 bad input,
usage or I/O error.

  --not-known-root          The chain ends at a locally installed root.
  --now T                   Time of the check (RFC 3339 or unix seconds).
  --no-bypass               Do not bypass pins for locally installed roots.
  --fail-closed-when-stale  Keep enforcing a stale list as if fresh.
  --report                  Add "report": the RFC 7469 violation report
                            (port 443; CHAIN.pem as served and validated
                            chain), null when the chain passes its pinset.
  --names LIST.json         Name the pins with the key names of the JSON
                            list the table was compiled from ("keys",
                            pem_file keys; --names-pins FILE for its .pins).
  --json                    One JSON object instead of text.
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
  absl::StatusOr<std::vector<ChainCertificate>> certificates =
      DescribeChain(*ders);
  if (!certificates.ok()) {
    std::cerr << "pinbake: " << chain_path << ": "
              << certificates.status().message() << "\n";
    return kExitError;
  }
  std::vector<SpkiHash> hashes;
  for (const ChainCertificate& c : *certificates) hashes.push_back(c.pin);
  CheckPolicy policy;
  policy.allow_local_root_bypass = !parsed.Has("--no-bypass");
  policy.fail_closed_when_stale = parsed.Has("--fail-closed-when-stale");
  const std::string& host = parsed.positional[1];
  const ChainCheckResult r =
      CheckChain(*table.list, HostForLookup(host), hashes,  // U-labels too.
                 !parsed.Has("--not-known-root"),
                 now, policy);
  PinReport pins;
  pins.result = CheckResultViewOf(host, r);
  if (r.lookup.pinset) {
    for (size_t i = 0; i < r.lookup.pinset->good_count(); ++i) {
      pins.good_pins.push_back(r.lookup.pinset->good(i));
    }
    for (size_t i = 0; i < r.lookup.pinset->bad_count(); ++i) {
      pins.bad_pins.push_back(r.lookup.pinset->bad(i));
    }
  }
  pins.chain = *certificates;
  KeyNames key_names;
  if (std::optional<std::string> names = parsed.Value("--names")) {
    absl::StatusOr<KeyNames> loaded =
        LoadKeyNames(*names, parsed.Value("--names-pins").value_or(""));
    if (!loaded.ok()) return InputError(loaded.status().message());
    key_names = *std::move(loaded);
    pins.key_names = &key_names;
  }
  const int64_t timestamp = table.list->table().timestamp();
  if (!parsed.Has("--json")) {
    std::cout << PinReportText(pins) << "  list: timestamp "
              << (timestamp == 0 ? "none" : ListTimeText(timestamp))
              << (r.list_stale ? ", stale" : "") << "\n";
    return r.allowed ? kExitOk : kExitRefused;
  }
  Json out;
  AppendCheckResultJson(pins.result, &out);
  out["list_timestamp"] =
      timestamp == 0 ? Json(nullptr) : Json(ListTimeText(timestamp));
  out["list_stale"] = r.list_stale;
  out["error"] = r.lookup.valid() ? Json(nullptr)
                                  : Json(HostErrorName(r.lookup.error));
  out["chain"] = PinArrayJson(hashes);
  AppendPinReportJson(pins, &out);
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
                [--no-bypass] [--fail-closed-when-stale] [--report]
                [--names LIST.json [--names-pins F]] [--json])",
    kCheckHelp,
    {{"--not-known-root", "--no-bypass", "--fail-closed-when-stale",
      "--report", "--json"},
     {"--now", "--names", "--names-pins"}},
    3,
    3,
    {},
    "check needs TABLE HOST CHAIN.pem",
    RunCheck,
};

}  // namespace cli
}  // namespace pinbake
