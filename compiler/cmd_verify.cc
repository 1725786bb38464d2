// pinbake verify: would a client's updater accept this signed blob?

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "compiler/command_line.h"
#include "compiler/file_util.h"
#include "compiler/release_cli_common.h"
#include "compiler/release_inputs.h"
#include "compiler/subcommands.h"
#include "runtime/signed_blob.h"
#include "runtime/update_key.h"
#include "runtime/updater.h"

namespace pinbake {
namespace {

using namespace release_cli;  // NOLINT: exit codes and helpers.

constexpr char kVerifyHelp[] =
    R"(pinbake verify TABLE.signed --pubkey PUB [--pubkey PUB2 ...]
               [--current TABLE] [--now T]

Applies the client updater's acceptance rules (runtime/updater.h,
docs/release.md) to a signed update blob: format, trusted key id, Ed25519
signature, supported blob and table format versions, and, against the
current list, anti-rollback (version strictly greater), timestamp not
older, and not stale at T. Prints "accepted: ..." or "rejected: REASON:
detail" on stdout, REASON being one of truncated, bad-magic,
unsupported-blob-version, trailing-bytes, unknown-key, bad-signature,
unsupported-table-version, bad-table, rollback, replay, older-timestamp,
stale.

  --pubkey PUB     Trusted public key PEM (from pinbake keygen); repeat for
                   several (key rotation).
  --current TABLE  The list clients have now: a table (.pinb) or a signed
                   blob (verified with the same keys). Without it, the
                   version and timestamp rules are skipped.
  --now T          Time of the check (RFC 3339 or unix seconds; default:
                   the current time).

Exit codes: 0 accepted, 1 rejected, 2 usage or I/O error (unreadable
file, bad key, bad --current).
)";

// Loads --current: a table, or a signed blob verified with `keys`.
absl::StatusOr<std::shared_ptr<const LoadedList>> LoadCurrent(
    const std::string& path, const std::vector<UpdatePublicKey>& keys) {
  absl::StatusOr<std::string> bytes = ReadFileToString(path);
  if (!bytes.ok()) return bytes.status();
  absl::StatusOr<std::shared_ptr<const LoadedList>> loaded =
      absl::string_view(*bytes).substr(0, signed_blob_format::kMagic.size()) ==
              signed_blob_format::kMagic
          ? LoadedList::FromSignedBlob(*std::move(bytes), keys)
          : LoadedList::FromTable(*std::move(bytes));
  if (!loaded.ok()) {
    return absl::Status(loaded.status().code(),
                        absl::StrCat(path, ": ", loaded.status().message()));
  }
  return loaded;
}

std::string TimeText(int64_t seconds) {
  if (seconds == 0) return "none";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(seconds),
                          absl::UTCTimeZone());
}

}  // namespace

int RunVerify(const std::vector<std::string>& args) {
  absl::StatusOr<ParsedArgs> parsed =
      ParseArgs(args, {{"--help"}, {"--pubkey", "--current", "--now"}});
  if (!parsed.ok()) return UsageError(parsed.status().message(), kVerifyHelp);
  if (parsed->Has("--help")) {
    std::cout << kVerifyHelp;
    return kExitOk;
  }
  auto pubkey_paths = parsed->values.find("--pubkey");
  if (parsed->positional.size() != 1 || pubkey_paths == parsed->values.end()) {
    return UsageError("verify needs one TABLE.signed and at least one --pubkey",
                      kVerifyHelp);
  }
  absl::Time now = absl::Now();
  if (std::optional<std::string> t = parsed->Value("--now")) {
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
  if (std::optional<std::string> path = parsed->Value("--current")) {
    absl::StatusOr<std::shared_ptr<const LoadedList>> loaded =
        LoadCurrent(*path, keys);
    if (!loaded.ok()) {
      return InputError(absl::StrCat("--current: ", loaded.status().message()));
    }
    current = *std::move(loaded);
  }
  const std::string& blob_path = parsed->positional[0];
  absl::StatusOr<std::string> blob = ReadFileToString(blob_path);
  if (!blob.ok()) return InputError(blob.status().message());

  absl::StatusOr<std::shared_ptr<const LoadedList>> accepted =
      CheckUpdate(*std::move(blob), keys, current.get(), now);
  if (!accepted.ok()) {
    std::cout << "rejected: " << accepted.status().message() << "\n";
    return kExitRefused;
  }
  const TableReader& table = (*accepted)->table();
  std::cout << "accepted: list version " << table.list_version()
            << ", timestamp " << TimeText(table.timestamp())
            << ", max_age_days " << table.max_age_days() << ", "
            << table.entry_count() << " entries, signed by key id "
            << KeyIdToHex(*(*accepted)->signer());
  if (current != nullptr) {
    std::cout << " (current version " << current->table().list_version()
              << ")";
  }
  std::cout << "\n";
  return kExitOk;
}

}  // namespace pinbake
