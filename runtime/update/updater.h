// Client-side pin-list updates: PinListUpdater holds the pin list in use
// (starting from a built-in table) and replaces it with a signed update
// (runtime/update/signed_blob.h) only when every acceptance rule holds. The rules,
// checked in this order (each refusal names its UpdateError,
// runtime/update/update_error.h; docs/release.md explains them):
//
//   1-8. the blob parses, its key id is trusted, its Ed25519 signature
//        verifies, it was signed for UpdatePolicy::expected_list_id (else
//        kWrongList), its blob and table format versions are supported and
//        the table opens (ParseAndVerifySignedBlob);
//   9.   timestamp <= now + 1 day (kMaxListTimestampSkew,
//        runtime/list_time_bounds.h)                  else kFutureTimestamp
//   10.  max_age_days <= 365                          else kMaxAgeTooLong
//   11.  list_version >= current list_version, and
//        >= UpdatePolicy::min_list_version            else kRollback
//   12.  list_version != current list_version      else kReplay
//   13.  timestamp >= current timestamp, and
//        >= UpdatePolicy::min_timestamp               else kOlderTimestamp
//   14.  the new list is not stale at `now`        else kStale
//        (IsListStale, runtime/chain_checker.h: now > timestamp +
//        max_age_days, or no timestamp). A stale list would not be enforced
//        anyway (the chain checker fails open on it), so installing it could
//        only lose nothing or lose protection; refusing it keeps the current
//        list and makes a broken release pipeline visible. Set
//        UpdatePolicy::reject_stale = false to turn this rule off.
//
// Anti-rollback across restarts: the version and timestamp rules compare
// with the current list, which after a restart is the built-in one again.
// An application that persists PinListUpdater::rollback_state() after each
// accepted update and passes it back as min_list_version / min_timestamp
// when it starts keeps refusing what it refused before the restart
// (docs/release.md, "Persisting anti-rollback state").
//
// On any refusal the current list stays in place.
//
// Threads: any number of threads may call Snapshot() and look hosts up in
// the snapshot while other threads call Offer(). Snapshot() is
// std::atomic_load of a shared_ptr (C++17): it copies the pointer and
// increments its reference count, and allocates nothing; the lookup itself
// (PinList::Lookup, CheckChain) never allocates. A snapshot keeps its table
// bytes alive after the updater has moved on; the old list is freed by
// whichever holder drops it last. Offers are serialised by a mutex;
// verification runs without blocking readers, and the new list is
// published with one std::atomic_store. Only standard-library
// synchronisation is used, so ThreadSanitizer understands all of it.

#ifndef PINBAKE_RUNTIME_UPDATE_UPDATER_H_
#define PINBAKE_RUNTIME_UPDATE_UPDATER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "runtime/pin_list.h"
#include "runtime/update/signed_blob.h"
#include "runtime/update/update_error.h"
#include "runtime/update/update_key.h"

namespace pinbake {

// What the application expects of updates, and its choices where the
// acceptance rules are a policy.
struct UpdatePolicy {
  // The list id (runtime/list_id.h) every accepted blob must be signed for
  // (rule 8): the `list.id` of this product's list. Required:
  // PinListUpdater::Create refuses an invalid or empty id, and CheckUpdate
  // refuses every blob (kWrongList) when it is not set.
  std::string expected_list_id;
  // Persisted anti-rollback floor (rules 11 and 13): the list_version and
  // timestamp of the last list accepted before a restart, as returned by
  // PinListUpdater::rollback_state(). 0: none.
  uint64_t min_list_version = 0;
  int64_t min_timestamp = 0;
  // Refuse a list that is already stale at the time of the offer (rule 14).
  bool reject_stale = true;
};

// The anti-rollback state to persist: an offered list needs a list_version
// >= list_version (and a different one from the current list's) and a
// timestamp >= timestamp.
struct RollbackState {
  uint64_t list_version = 0;
  int64_t timestamp = 0;
};

// An immutable pin list together with the bytes it reads from. Always held
// by std::shared_ptr<const LoadedList>; not copyable or movable, since the
// PinList points into the object's own storage.
class LoadedList {
 public:
  // Validates `table` (TableReader::Open) and takes ownership of it. For the
  // built-in table, which is trusted without a signature.
  static absl::StatusOr<std::shared_ptr<const LoadedList>> FromTable(
      std::string table);

  // Verifies `blob` with ParseAndVerifySignedBlob (its errors unchanged,
  // kWrongList unless it was signed for `expected_list_id`) and keeps the
  // blob, reading the table in place.
  static absl::StatusOr<std::shared_ptr<const LoadedList>> FromSignedBlob(
      std::string blob, absl::Span<const UpdatePublicKey> trusted_keys,
      absl::string_view expected_list_id);

  LoadedList(const LoadedList&) = delete;
  LoadedList& operator=(const LoadedList&) = delete;

  const PinList& list() const { return list_; }
  const TableReader& table() const { return list_.table(); }
  // The table's bytes (inside a signed blob for FromSignedBlob).
  absl::string_view table_bytes() const { return list_.table().bytes(); }
  // The key that signed it; nullopt for a list made by FromTable.
  const std::optional<KeyId>& signer() const { return signer_; }
  // The list id of the signed header; empty for a list made by FromTable.
  absl::string_view list_id() const { return list_id_; }

 private:
  explicit LoadedList(std::string storage) : storage_(std::move(storage)) {}

  const std::string storage_;
  PinList list_{TableReader()};
  std::optional<KeyId> signer_;
  absl::string_view list_id_;  // Points into storage_.
};

// Applies rules 1-14 above to `signed_blob` against `current` and `policy`
// (no comparison with a current list when `current` is null; the policy's
// minimums still apply) without installing anything. Returns the
// verified list, or the first rule's refusal. Used by PinListUpdater::Offer
// and by `pinbake verify`.
absl::StatusOr<std::shared_ptr<const LoadedList>> CheckUpdate(
    std::string signed_blob, absl::Span<const UpdatePublicKey> trusted_keys,
    const LoadedList* current, absl::Time now,
    const UpdatePolicy& policy = UpdatePolicy());

class PinListUpdater {
 public:
  // Starts from `builtin_table` (e.g. the table baked into the binary),
  // trusting updates signed by any of `trusted_keys` (several keys allow
  // rotation: ship the next key before signing with it), for the list
  // policy.expected_list_id, with the persisted floor in policy's
  // min_list_version / min_timestamp. InvalidArgument if the table does
  // not open (its reason), no key is given, or expected_list_id is not a
  // valid list id.
  static absl::StatusOr<std::unique_ptr<PinListUpdater>> Create(
      std::string builtin_table, std::vector<UpdatePublicKey> trusted_keys,
      UpdatePolicy policy = UpdatePolicy());

  PinListUpdater(const PinListUpdater&) = delete;
  PinListUpdater& operator=(const PinListUpdater&) = delete;

  // The list in use now. Never null. Cheap: see the top of this file.
  std::shared_ptr<const LoadedList> Snapshot() const;

  // Verifies `signed_blob` (CheckUpdate against the current list) and, if
  // every rule holds, makes it the current list and returns OK. Otherwise
  // returns the refusal (GetUpdateError tells which rule) and keeps the
  // current list. Safe to call from several threads; offers are applied one
  // at a time.
  absl::Status Offer(std::string signed_blob, absl::Time now);

  // How many offers were accepted since creation.
  uint64_t accepted_count() const;

  // The state to persist (e.g. next to the persisted blob) after each
  // accepted offer and to pass back as UpdatePolicy::min_list_version /
  // min_timestamp at the next start: the greater of the seeded minimums
  // and the current list's version and timestamp. Thread-safe.
  RollbackState rollback_state() const;

 private:
  PinListUpdater(std::shared_ptr<const LoadedList> initial,
                 std::vector<UpdatePublicKey> trusted_keys,
                 UpdatePolicy policy)
      : trusted_keys_(std::move(trusted_keys)),
        policy_(policy),
        current_(std::move(initial)) {}

  const std::vector<UpdatePublicKey> trusted_keys_;
  const UpdatePolicy policy_;
  // Held for a whole Offer, so that check-then-install is atomic with
  // respect to other offers. Readers never take it.
  std::mutex offer_mu_;
  // Read only with std::atomic_load, written only with std::atomic_store
  // (while holding offer_mu_). Never null.
  std::shared_ptr<const LoadedList> current_;
  std::atomic<uint64_t> accepted_{0};
};

}  // namespace pinbake

#endif  // PINBAKE_RUNTIME_UPDATE_UPDATER_H_
