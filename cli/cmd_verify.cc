// pinbake verify: would a client's updater accept this signed blob?

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cli/command_line.h"
#include "compiler/file_util.h"
#include "cli/cli_common.h"
#include "cli/lint_summary.h"
#include "cli/release_inputs.h"
#include "cli/subcommand.h"
#include "runtime/list_id.h"
#include "runtime/list_time_bounds.h"
#include "runtime/update/signed_blob.h"
#include "runtime/update/update_key.h"
#include "runtime/update/updater.h"

namespace pinbake {
namespace cli {
namespace {

constexpr char kVerifyHelp[] =
    R"(pinbake verify TABLE.signed --pubkey PUB [--pubkey PUB2 ...] --list-id ID
               [--current TABLE] [--min-version N] [--min-timestamp T]
               [--now T] [--json]

Applies the client updater's acceptance rules (runtime/update/updater.h,
docs/release.md) to a signed update blob: format, trusted key id, Ed25519
signature, signed for list ID, supported blob and table format versions,
timestamp at most 1 day after T, max_age_days at most 365, and, against the
current list and the persisted minimums, anti-rollback (version strictly
greater than the current one, not below --min-version), timestamp not
older (than the current list's and --min-timestamp), and not stale at T.
Prints "accepted: ..." or "rejected: REASON: detail" on stdout, REASON
being one of truncated, bad-magic, unsupported-blob-version,
trailing-bytes, unknown-key, bad-signature, wrong-list,
unsupported-table-version, bad-table, future-timestamp, max-age-too-long,
rollback, replay, older-timestamp, stale. An accepted list is also run
through pinbake lint's checks that need no live chain, and their summary
is printed on the next line ("lint: N error(s), N warning(s); N enforced
pinned entries not checked against a live chain ..."): acceptance says a
client would take the list, not that it is safe (run pinbake lint
--connect HOST for that). With --json, one JSON object: accepted, reason
and detail (null when accepted), list_id, list_version, timestamp (RFC
3339), max_age_days, entries, key_id, current_version, lint {errors,
warnings, entries_without_live_chain, first_error}.

  --pubkey PUB       Trusted public key PEM (from pinbake keygen); repeat
                     for several (key rotation).
  --list-id ID       The list id clients expect (their
                     UpdatePolicy::expected_list_id); a blob signed for
                     another list is rejected as wrong-list.
  --current TABLE    The list clients have now: a table (.pinb) or a signed
                     blob (verified with the same keys and list id).
                     Without it, the comparison with a current list is
                     skipped.
  --min-version N    Persisted minimum list version (the version of the
                     last list a client accepted, kept across restarts).
  --min-timestamp T  Persisted minimum timestamp (RFC 3339 or unix seconds).
  --now T            Time of the check (RFC 3339, unix seconds or "now", the
                     default).
  --json             One JSON object instead of text.

Exit codes: 0 accepted, 1 rejected, 2 usage or I/O error (unreadable
file, bad key, bad --current, bad --list-id).
)";

// Loads --current: a table, or a signed blob verified with `keys`.
absl::StatusOr<std::shared_ptr<const LoadedList>> LoadCurrent(
    const std::string& path, const std::vector<UpdatePublicKey>& keys,
    const std::string& list_id) {
  absl::StatusOr<std::string> bytes = ReadFileToString(path);
  if (!bytes.ok()) return bytes.status();
  absl::StatusOr<std::shared_ptr<const LoadedList>> loaded =
      absl::string_view(*bytes).substr(0, signed_blob_format::kMagic.size()) ==
              signed_blob_format::kMagic
          ? LoadedList::FromSignedBlob(*std::move(bytes), keys, list_id)
          : LoadedList::FromTable(*std::move(bytes));
  if (!loaded.ok()) {
    return absl::Status(loaded.status().code(),
                        absl::StrCat(path, ": ", loaded.status().message()));
  }
  return loaded;
}

std::string TimeText(int64_t seconds) {
  if (seconds == 0) return "none";
  return ListTimeText(seconds);
}

int RunVerify(const ParsedArgs& parsed) {
  auto pubkey_paths = parsed.values.find("--pubkey");
  UpdatePolicy policy;
  policy.expected_list_id = *parsed.Value("--list-id");
  if (!IsValidListId(policy.expected_list_id)) {
    return UsageError(absl::StrCat("--list-id: \"", policy.expected_list_id,
                                   "\" is not a valid list id (", kListIdRules,
                                   ")"),
                      kVerifyHelp);
  }
  if (std::optional<std::string> n = parsed.Value("--min-version")) {
    if (!absl::SimpleAtoi(*n, &policy.min_list_version)) {
      return UsageError("--min-version: not a list version (a non-negative "
                        "integer)",
                        kVerifyHelp);
    }
  }
  if (std::optional<std::string> t = parsed.Value("--min-timestamp")) {
    std::optional<absl::Time> time = ParseTimeArgument(*t);
    if (!time) return UsageError("--min-timestamp: not a time", kVerifyHelp);
    policy.min_timestamp = absl::ToUnixSeconds(*time);
  }
  absl::Time now = absl::Now();
  if (std::optional<std::string> t = parsed.Value("--now")) {
    std::optional<absl::Time> time = ParseTimeArgument(*t);
    if (!time) return UsageError("--now: not a time", kVerifyHelp);
    now = *time;
  }
  std::vector<UpdatePublicKey> keys;
  for (const std::string& path : pubkey_paths->second) {
    absl::StatusOr<std::string> pem = ReadFileToString(path);
    if (!pem.ok()) return InputError(pem.status().message());
    absl::StatusOr<UpdatePublicKey> key = UpdatePublicKey::FromPem(*pem);
    if (!key.ok()) {
      return InputError(absl::StrCat(path, ": ", key.status().message()));
    }
    keys.push_back(*std::move(key));
  }
  std::shared_ptr<const LoadedList> current;
  if (std::optional<std::string> path = parsed.Value("--current")) {
    absl::StatusOr<std::shared_ptr<const LoadedList>> loaded =
        LoadCurrent(*path, keys, policy.expected_list_id);
    if (!loaded.ok()) {
      return InputError(absl::StrCat("--current: ", loaded.status().message()));
    }
    current = *std::move(loaded);
  }
  const std::string& blob_path = parsed.positional[0];
  absl::StatusOr<std::string> blob = ReadFileToString(blob_path);
  if (!blob.ok()) return InputError(blob.status().message());

  absl::StatusOr<std::shared_ptr<const LoadedList>> accepted =
      CheckUpdate(*std::move(blob), keys, current.get(), now, policy);
  const bool json = parsed.Has("--json");
  if (!accepted.ok()) {
    const std::string message(accepted.status().message());
    if (json) {
      const size_t colon = message.find(": ");
      Json out;
      out["accepted"] = false;
      out["reason"] = message.substr(0, colon);
      out["detail"] =
          colon == std::string::npos ? "" : message.substr(colon + 2);
      std::cout << DumpPretty(out) << "\n";
    } else {
      std::cout << "rejected: " << message << "\n";
    }
    return kExitRefused;
  }
  const TableReader& table = (*accepted)->table();
  absl::StatusOr<LintSummary> lint = SummarizeLint((*accepted)->list(), now);
  if (!lint.ok()) return InputError(lint.status().message());
  if (json) {
    Json out;
    out["accepted"] = true;
    out["reason"] = nullptr;
    out["detail"] = nullptr;
    out["list_id"] = std::string((*accepted)->list_id());
    out["list_version"] = table.list_version();
    out["timestamp"] = table.timestamp() == 0
                           ? Json(nullptr)
                           : Json(ListTimeText(table.timestamp()));
    out["max_age_days"] = table.max_age_days();
    out["entries"] = table.entry_count();
    out["key_id"] = KeyIdToHex(*(*accepted)->signer());
    out["current_version"] = current != nullptr
                                 ? Json(current->table().list_version())
                                 : Json(nullptr);
    out["lint"] = {{"errors", lint->errors},
                   {"warnings", lint->warnings},
                   {"entries_without_live_chain",
                    lint->entries_without_live_chain},
                   {"first_error", lint->first_error.empty()
                                       ? Json(nullptr)
                                       : Json(lint->first_error)}};
    std::cout << DumpPretty(out) << "\n";
    return kExitOk;
  }
  std::cout << "accepted: list " << (*accepted)->list_id() << " version "
            << table.list_version()
            << ", timestamp " << TimeText(table.timestamp())
            << ", max_age_days " << table.max_age_days() << ", "
            << table.entry_count() << " entries, signed by key id "
            << KeyIdToHex(*(*accepted)->signer());
  if (current != nullptr) {
    std::cout << " (current version " << current->table().list_version()
              << ")";
  }
  std::cout << "\n" << lint->line << "\n";
  return kExitOk;
}

}  // namespace

const Subcommand kVerifyCommand = {
    "verify",
    R"(pinbake verify TABLE.signed --pubkey PUB [--pubkey PUB2 ...] --list-id ID [--current TABLE]
                [--min-version N] [--min-timestamp T] [--now T] [--json])",
    kVerifyHelp,
    {{"--json"},
     {"--pubkey", "--current", "--now", "--list-id", "--min-version",
      "--min-timestamp"}},
    1,
    1,
    {"--pubkey", "--list-id"},
    "verify needs one TABLE.signed, at least one --pubkey and --list-id",
    RunVerify,
};

}  // namespace cli
}  // namespace pinbake
