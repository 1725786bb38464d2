#include "runtime/update/updater.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "runtime/chain_checker.h"
#include "runtime/list_id.h"
#include "runtime/list_time_bounds.h"

namespace pinbake {
namespace {

std::string TimeText(int64_t unix_seconds) {
  if (unix_seconds == 0) return "0 (none)";
  return ListTimeText(unix_seconds);
}

}  // namespace

absl::StatusOr<std::shared_ptr<const LoadedList>> LoadedList::FromTable(
    std::string table) {
  std::shared_ptr<LoadedList> loaded(new LoadedList(std::move(table)));
  absl::StatusOr<PinList> list = PinList::FromBytes(loaded->storage_);
  if (!list.ok()) return list.status();
  loaded->list_ = *list;
  return std::shared_ptr<const LoadedList>(std::move(loaded));
}

absl::StatusOr<std::shared_ptr<const LoadedList>> LoadedList::FromSignedBlob(
    std::string blob, absl::Span<const UpdatePublicKey> trusted_keys,
    absl::string_view expected_list_id) {
  std::shared_ptr<LoadedList> loaded(new LoadedList(std::move(blob)));
  absl::StatusOr<VerifiedBlob> verified = ParseAndVerifySignedBlob(
      loaded->storage_, trusted_keys, expected_list_id);
  if (!verified.ok()) return verified.status();
  loaded->list_id_ = verified->list_id;
  loaded->list_ = PinList(verified->reader);
  loaded->signer_ = verified->key_id;
  return std::shared_ptr<const LoadedList>(std::move(loaded));
}

absl::StatusOr<std::shared_ptr<const LoadedList>> CheckUpdate(
    std::string signed_blob, absl::Span<const UpdatePublicKey> trusted_keys,
    const LoadedList* current, absl::Time now, const UpdatePolicy& policy) {
  absl::StatusOr<std::shared_ptr<const LoadedList>> offered =
      LoadedList::FromSignedBlob(std::move(signed_blob), trusted_keys,
                                 policy.expected_list_id);
  if (!offered.ok()) return offered.status();
  const TableReader& next = (*offered)->table();
  if (IsTimestampTooFarAhead(next.timestamp(), now)) {
    return UpdateErrorStatus(UpdateError::kFutureTimestamp,
                             TooFarAheadMessage(next.timestamp(), now));
  }
  if (IsMaxAgeTooLong(next.max_age_days())) {
    return UpdateErrorStatus(UpdateError::kMaxAgeTooLong,
                             MaxAgeTooLongMessage(next.max_age_days()));
  }
  if (next.list_version() < policy.min_list_version) {
    return UpdateErrorStatus(
        UpdateError::kRollback,
        absl::StrCat("list version ", next.list_version(),
                     " is older than the persisted minimum version ",
                     policy.min_list_version));
  }
  if (current != nullptr) {
    const TableReader& cur = current->table();
    if (next.list_version() < cur.list_version()) {
      return UpdateErrorStatus(
          UpdateError::kRollback,
          absl::StrCat("list version ", next.list_version(),
                       " is older than the current version ",
                       cur.list_version()));
    }
    if (next.list_version() == cur.list_version()) {
      return UpdateErrorStatus(
          UpdateError::kReplay,
          absl::StrCat("list version ", next.list_version(),
                       " is the current version; a new list needs a greater "
                       "version"));
    }
    // A current timestamp beyond now + the skew cannot be right (a list
    // compiled before the time bounds, or with a wrong --now): it would
    // block every correct release, so it does not count here. Rollback is
    // still refused by the version rules above.
    if (next.timestamp() < cur.timestamp() &&
        !IsTimestampTooFarAhead(cur.timestamp(), now)) {
      return UpdateErrorStatus(
          UpdateError::kOlderTimestamp,
          absl::StrCat("list timestamp ", TimeText(next.timestamp()),
                       " is older than the current list's ",
                       TimeText(cur.timestamp())));
    }
  }
  if (next.timestamp() < policy.min_timestamp &&
      !IsTimestampTooFarAhead(policy.min_timestamp, now)) {
    return UpdateErrorStatus(
        UpdateError::kOlderTimestamp,
        absl::StrCat("list timestamp ", TimeText(next.timestamp()),
                     " is older than the persisted minimum timestamp ",
                     TimeText(policy.min_timestamp)));
  }
  if (policy.reject_stale &&
      IsListStale(next.timestamp(), next.max_age_days(), now)) {
    if (next.timestamp() == 0) {
      return UpdateErrorStatus(
          UpdateError::kStale,
          "the list has no timestamp, so it is never enforced");
    }
    return UpdateErrorStatus(
        UpdateError::kStale,
        absl::StrCat("the list (timestamp ", TimeText(next.timestamp()),
                     ", max_age_days ", next.max_age_days(),
                     ") expired before ",
                     UtcTimeText(now)));
  }
  return offered;
}

absl::StatusOr<std::unique_ptr<PinListUpdater>> PinListUpdater::Create(
    std::string builtin_table, std::vector<UpdatePublicKey> trusted_keys,
    UpdatePolicy policy) {
  if (trusted_keys.empty()) {
    return absl::InvalidArgumentError(
        "an updater needs at least one trusted public key");
  }
  if (!IsValidListId(policy.expected_list_id)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "an updater needs the list id its updates are signed for "
        "(UpdatePolicy::expected_list_id, the list's list.id); \"",
        policy.expected_list_id, "\" is not one: ", kListIdRules));
  }
  absl::StatusOr<std::shared_ptr<const LoadedList>> initial =
      LoadedList::FromTable(std::move(builtin_table));
  if (!initial.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "built-in table: ", initial.status().message()));
  }
  // The built-in list, if it names itself, must be the list updates are for.
  const absl::string_view builtin_id = (*initial)->table().list_id();
  if (!builtin_id.empty() && builtin_id != policy.expected_list_id) {
    return absl::InvalidArgumentError(absl::StrCat(
        "built-in table is list \"", builtin_id,
        "\", but updates are expected for list \"", policy.expected_list_id,
        "\""));
  }
  return std::unique_ptr<PinListUpdater>(new PinListUpdater(
      *std::move(initial), std::move(trusted_keys), policy));
}

std::shared_ptr<const LoadedList> PinListUpdater::Snapshot() const {
  return std::atomic_load(&current_);
}

absl::Status PinListUpdater::Offer(std::string signed_blob, absl::Time now) {
  std::lock_guard<std::mutex> offer_lock(offer_mu_);
  // Only Offer changes current_, and Offers are serialised, so this
  // snapshot stays the current list until the swap below.
  const std::shared_ptr<const LoadedList> current = Snapshot();
  absl::StatusOr<std::shared_ptr<const LoadedList>> next = CheckUpdate(
      std::move(signed_blob), trusted_keys_, current.get(), now, policy_);
  if (!next.ok()) return next.status();
  std::atomic_store(&current_, *std::move(next));
  accepted_.fetch_add(1, std::memory_order_relaxed);
  return absl::OkStatus();
}

RollbackState PinListUpdater::rollback_state() const {
  const std::shared_ptr<const LoadedList> current = Snapshot();
  RollbackState state;
  state.list_version =
      std::max(policy_.min_list_version, current->table().list_version());
  state.timestamp =
      std::max(policy_.min_timestamp, current->table().timestamp());
  return state;
}

uint64_t PinListUpdater::accepted_count() const {
  return accepted_.load(std::memory_order_relaxed);
}

}  // namespace pinbake
