// Why a signed update was refused: one enum shared by the signed-blob parser
// (runtime/update/signed_blob.h) and the updater (runtime/update/updater.h), so that
// callers and tests can branch on the precise reason rather than on message
// text. docs/format.md ("Signed update blob") and docs/release.md list the
// reasons and the order in which they are checked.

#ifndef PINBAKE_RUNTIME_UPDATE_UPDATE_ERROR_H_
#define PINBAKE_RUNTIME_UPDATE_UPDATE_ERROR_H_

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace pinbake {

// Each reason, with the absl::StatusCode its status carries.
enum class UpdateError {
  // The blob parser (ParseAndVerifySignedBlob):
  kTruncated,                // InvalidArgument: fewer bytes than the layout needs.
  kBadMagic,                 // InvalidArgument: not "PINBSIG\0".
  kUnsupportedBlobVersion,   // FailedPrecondition: blob format version unknown.
  kTrailingBytes,            // InvalidArgument: bytes after the signature.
  kUnknownKey,               // PermissionDenied: key id of no trusted key.
  kBadSignature,             // Unauthenticated: signature does not verify.
  kUnsupportedTableVersion,  // FailedPrecondition: table format version unknown.
  kBadTable,                 // InvalidArgument: signed table fails TableReader::Open.
  kWrongList,                // PermissionDenied: list id is not the expected one.
  // The updater's acceptance rules (CheckUpdate / PinListUpdater::Offer):
  kFutureTimestamp,          // FailedPrecondition: timestamp > now + 1 day.
  kMaxAgeTooLong,            // FailedPrecondition: max_age_days > 365.
  kRollback,                 // FailedPrecondition: list version < current
                             // (or < the persisted minimum).
  kReplay,                   // AlreadyExists: list version == current.
  kOlderTimestamp,           // FailedPrecondition: timestamp < current's
                             // (or < the persisted minimum).
  kStale,                    // FailedPrecondition: list already stale at `now`.
};

// Stable short name of `error`, used as the first word of the status
// message and in CLI output: "truncated", "bad-magic",
// "unsupported-blob-version", "trailing-bytes", "unknown-key",
// "bad-signature", "unsupported-table-version", "bad-table", "wrong-list",
// "future-timestamp", "max-age-too-long", "rollback", "replay",
// "older-timestamp", "stale". Never null.
const char* UpdateErrorName(UpdateError error);

// The status code that UpdateErrorStatus uses for `error` (listed above).
absl::StatusCode UpdateErrorCode(UpdateError error);

// A status with UpdateErrorCode(error), the message
// "<UpdateErrorName(error)>: <detail>", and a payload recording `error` so
// that GetUpdateError can recover it.
absl::Status UpdateErrorStatus(UpdateError error, absl::string_view detail);

// The UpdateError recorded in `status` by UpdateErrorStatus; nullopt for OK
// and for statuses made any other way.
std::optional<UpdateError> GetUpdateError(const absl::Status& status);

}  // namespace pinbake

#endif  // PINBAKE_RUNTIME_UPDATE_UPDATE_ERROR_H_
