#include "runtime/update/update_error.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace pinbake {
namespace {

// Type URL of the payload that carries the UpdateError name.
constexpr absl::string_view kPayloadUrl = "pinbake/update-error";

constexpr UpdateError kAllErrors[] = {
    UpdateError::kTruncated,       UpdateError::kBadMagic,
    UpdateError::kUnsupportedBlobVersion,
    UpdateError::kTrailingBytes,   UpdateError::kUnknownKey,
    UpdateError::kBadSignature,    UpdateError::kUnsupportedTableVersion,
    UpdateError::kBadTable,        UpdateError::kWrongList,
    UpdateError::kFutureTimestamp, UpdateError::kMaxAgeTooLong,
    UpdateError::kRollback,
    UpdateError::kReplay,          UpdateError::kOlderTimestamp,
    UpdateError::kStale,
};

}  // namespace

const char* UpdateErrorName(UpdateError error) {
  switch (error) {
    case UpdateError::kTruncated: return "truncated";
    case UpdateError::kBadMagic: return "bad-magic";
    case UpdateError::kUnsupportedBlobVersion: return "unsupported-blob-version";
    case UpdateError::kTrailingBytes: return "trailing-bytes";
    case UpdateError::kUnknownKey: return "unknown-key";
    case UpdateError::kBadSignature: return "bad-signature";
    case UpdateError::kUnsupportedTableVersion: return "unsupported-table-version";
    case UpdateError::kBadTable: return "bad-table";
    case UpdateError::kWrongList: return "wrong-list";
    case UpdateError::kFutureTimestamp: return "future-timestamp";
    case UpdateError::kMaxAgeTooLong: return "max-age-too-long";
    case UpdateError::kRollback: return "rollback";
    case UpdateError::kReplay: return "replay";
    case UpdateError::kOlderTimestamp: return "older-timestamp";
    case UpdateError::kStale: return "stale";
  }
  return "unknown";
}

absl::StatusCode UpdateErrorCode(UpdateError error) {
  switch (error) {
    case UpdateError::kTruncated:
    case UpdateError::kBadMagic:
    case UpdateError::kTrailingBytes:
    case UpdateError::kBadTable:
      return absl::StatusCode::kInvalidArgument;
    case UpdateError::kUnsupportedBlobVersion:
    case UpdateError::kUnsupportedTableVersion:
    case UpdateError::kFutureTimestamp:
    case UpdateError::kMaxAgeTooLong:
    case UpdateError::kRollback:
    case UpdateError::kOlderTimestamp:
    case UpdateError::kStale:
      return absl::StatusCode::kFailedPrecondition;
    case UpdateError::kUnknownKey:
    case UpdateError::kWrongList:
      return absl::StatusCode::kPermissionDenied;
    case UpdateError::kBadSignature:
      return absl::StatusCode::kUnauthenticated;
    case UpdateError::kReplay:
      return absl::StatusCode::kAlreadyExists;
  }
  return absl::StatusCode::kUnknown;
}

absl::Status UpdateErrorStatus(UpdateError error, absl::string_view detail) {
  absl::Status status(UpdateErrorCode(error),
                      absl::StrCat(UpdateErrorName(error), ": ", detail));
  status.SetPayload(kPayloadUrl, absl::Cord(UpdateErrorName(error)));
  return status;
}

std::optional<UpdateError> GetUpdateError(const absl::Status& status) {
  if (status.ok()) return std::nullopt;
  const auto payload = status.GetPayload(kPayloadUrl);  // absl::optional.
  if (!payload.has_value()) return std::nullopt;
  for (UpdateError error : kAllErrors) {
    if (*payload == UpdateErrorName(error)) return error;
  }
  return std::nullopt;
}

}  // namespace pinbake
