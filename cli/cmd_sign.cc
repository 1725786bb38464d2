// pinbake sign: wrap a table into a signed update blob.

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cli/command_line.h"
#include "compiler/file_util.h"
#include "cli/cli_common.h"
#include "cli/lint_summary.h"
#include "cli/subcommand.h"
#include "runtime/chain_checker.h"
#include "runtime/list_id.h"
#include "runtime/list_time_bounds.h"
#include "runtime/pin_list.h"
#include "runtime/update/signed_blob.h"
#include "runtime/update/update_key.h"

namespace pinbake {
namespace cli {
namespace {

constexpr char kSignHelp[] =
    R"(pinbake sign TABLE.pinb --key KEY --list-id ID -o TABLE.signed
             [--now T] [--allow-stale] [--require-clean-lint] [--json]

Signs a compiled table with an Ed25519 private key (from pinbake keygen)
for the list ID and writes the signed update blob (docs/format.md, "Signed
update blob") to TABLE.signed atomically. Refuses a table the runtime would
not open, a table whose timestamp is more than 1 day after T or whose
max_age_days is over 365, and, unless --allow-stale, a table without a
timestamp or already stale at T. The blob is verified with the key's
public key before it is written. It also runs pinbake lint's checks that
need no live chain and prints their summary ("lint: N error(s), N
warning(s); N enforced pinned entries not checked against a live
chain ...") on standard error; with --require-clean-lint a lint error
refuses the signing. Signing never sees the servers: run `pinbake lint
--connect HOST` (or --chain) in the pipeline before it.

  --key KEY      Private key PEM (unencrypted PKCS#8 Ed25519).
  --list-id ID   The list's identity (its list.id: 1-32 of a-z 0-9 . _ -);
                 clients (verify --list-id, UpdatePolicy::expected_list_id)
                 accept only blobs signed for their own list. A table
                 compiled from a list with list.id must be signed for
                 that id.
  -o OUT         Output blob. Not created or changed on any error.
  --now T        Time of the checks (RFC 3339, unix seconds or "now", the
                 default).
  --allow-stale  Sign a table without a timestamp or already stale (for
                 tests; clients refuse or never enforce it).
  --require-clean-lint  Refuse to sign when lint finds an error.
  --json         Print one JSON object on stdout when written: {"written",
                 "bytes", "list_id", "list_version", "key_id", "lint":
                 {"errors", "warnings", "entries_without_live_chain"}}.

Exit codes: 0 written, 2 bad input, usage or I/O error.
)";

// The time rules of docs/release.md ("Time bounds") for a table about to
// be signed: an error message, or empty if it may be signed.
std::string TimeProblem(const TableReader& table, absl::Time now,
                        bool allow_stale) {
  if (IsTimestampTooFarAhead(table.timestamp(), now)) {
    return TooFarAheadMessage(table.timestamp(), now);
  }
  if (IsMaxAgeTooLong(table.max_age_days())) {
    return MaxAgeTooLongMessage(table.max_age_days());
  }
  if (allow_stale) return "";
  if (table.timestamp() == 0) {
    return "the table has no timestamp, so clients would never enforce it; "
           "compile it with list.timestamp or --timestamp (or sign with "
           "--allow-stale for tests)";
  }
  if (IsListStale(table.timestamp(), table.max_age_days(), now)) {
    return absl::StrCat(
        "the table (timestamp ", ListTimeText(table.timestamp()),
        ", max_age_days ", table.max_age_days(), ") is already stale at ",
        UtcTimeText(now),
        ", so clients would refuse it; recompile it with a current timestamp "
        "(or sign with --allow-stale for tests)");
  }
  return "";
}

int RunSign(const ParsedArgs& parsed) {
  const std::string list_id = *parsed.Value("--list-id");
  if (!IsValidListId(list_id)) {
    return UsageError(absl::StrCat("--list-id: \"", list_id,
                                   "\" is not a valid list id (", kListIdRules,
                                   ")"),
                      kSignHelp);
  }
  absl::Time now = absl::Now();
  if (std::optional<std::string> t = parsed.Value("--now")) {
    std::optional<absl::Time> time = ParseTimeArgument(*t);
    if (!time) return UsageError("--now: not a time", kSignHelp);
    now = *time;
  }
  const std::string& table_path = parsed.positional[0];
  const std::string key_path = *parsed.Value("--key");
  const std::string out_path = *parsed.Value("-o");

  absl::StatusOr<std::string> table = ReadFileToString(table_path);
  if (!table.ok()) return InputError(table.status().message());
  absl::StatusOr<std::string> key_pem = ReadFileToString(key_path);
  if (!key_pem.ok()) return InputError(key_pem.status().message());
  absl::StatusOr<UpdatePrivateKey> key = UpdatePrivateKey::FromPem(*key_pem);
  if (!key.ok()) {
    return InputError(absl::StrCat(key_path, ": ", key.status().message()));
  }
  absl::StatusOr<std::string> blob = SignTable(*table, list_id, *key);
  if (!blob.ok()) {
    return InputError(absl::StrCat(table_path, ": ", blob.status().message()));
  }
  // Never ship a blob that does not verify.
  const std::vector<UpdatePublicKey> own = {key->public_key()};
  absl::StatusOr<VerifiedBlob> check =
      ParseAndVerifySignedBlob(*blob, own, list_id);
  if (!check.ok()) {
    return InputError(absl::StrCat("internal error: the signed blob does not "
                                   "verify: ",
                                   check.status().message()));
  }
  const std::string time_problem =
      TimeProblem(check->reader, now, parsed.Has("--allow-stale"));
  if (!time_problem.empty()) {
    return InputError(absl::StrCat(table_path, ": refusing to sign: ",
                                   time_problem));
  }
  absl::StatusOr<PinList> list = PinList::FromBytes(check->reader.bytes());
  if (!list.ok()) return InputError(absl::StrCat(table_path, ": ", list.status().message()));
  absl::StatusOr<LintSummary> lint = SummarizeLint(*list, now);
  if (!lint.ok()) {
    return InputError(absl::StrCat(table_path, ": lint: ", lint.status().message()));
  }
  std::cerr << "pinbake: " << lint->line << "\n";
  if (parsed.Has("--require-clean-lint") && lint->errors > 0) {
    return InputError(absl::StrCat(table_path, ": refusing to sign (",
                                   "--require-clean-lint): lint found ",
                                   lint->errors, " error(s); first: ",
                                   lint->first_error));
  }
  absl::Status written = WriteFileAtomically(out_path, *blob);
  if (!written.ok()) return InputError(written.message());
  if (parsed.Has("--json")) {
    Json out;
    out["written"] = out_path;
    out["bytes"] = blob->size();
    out["list_id"] = list_id;
    out["list_version"] = check->reader.list_version();
    out["key_id"] = KeyIdToHex(check->key_id);
    out["lint"] = {{"errors", lint->errors},
                   {"warnings", lint->warnings},
                   {"entries_without_live_chain",
                    lint->entries_without_live_chain}};
    std::cout << DumpPretty(out) << "\n";
  }
  std::cerr << "pinbake: wrote " << out_path << ": " << blob->size()
            << " bytes, list " << list_id << " version "
            << check->reader.list_version() << ", key id " << KeyIdToHex(check->key_id) << "\n";
  return kExitOk;
}

}  // namespace

const Subcommand kSignCommand = {
    "sign",
    "pinbake sign TABLE.pinb --key KEY --list-id ID -o TABLE.signed [--now T] [--allow-stale]\n"
    "               [--require-clean-lint] [--json]",
    kSignHelp,
    {{"--allow-stale", "--require-clean-lint", "--json"},
     {"--key", "-o", "--list-id", "--now"}},
    1,
    1,
    {"--key", "-o", "--list-id"},
    "sign needs TABLE, --key KEY, --list-id ID and -o OUT",
    RunSign,
};

}  // namespace cli
}  // namespace pinbake
