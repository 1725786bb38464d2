// Tests of PinListUpdater (runtime/update/updater.h): each acceptance rule, that a
// refusal keeps the current list, that snapshots outlive swaps, and
// concurrent lookups during updates (designed to be ThreadSanitizer-clean:
// only std::atomic_load/store of shared_ptr and std::mutex synchronise).

#include "runtime/update/updater.h"

#include <algorithm>
#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include "absl/strings/str_cat.h"
#include "compiler/pin_list_model.h"
#include "compiler/table_writer.h"
#include "runtime/update/signed_blob.h"

namespace pinbake {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kBaseTime = 1800000000;  // 2027-01-15.
const absl::Time kNow = absl::FromUnixSeconds(kBaseTime + 86400);

// A key that identifies list version `v` (so readers can tell which list a
// lookup came from).
SpkiHash KeyFor(uint64_t v, uint8_t tag) {
  SpkiHash h;
  for (int i = 0; i < 8; ++i) h.bytes[i] = static_cast<uint8_t>(v >> (8 * i));
  h.bytes[31] = tag;
  return h;
}

std::string VersionHost(uint64_t v) { return absl::StrCat("v", v, ".example.org"); }

// List version `v`: example.com (and subdomains) pinned to {KeyFor(v, 1),
// KeyFor(v, 2)}, and an HSTS entry "v<v>.example.org".
std::string TableFor(uint64_t v, int64_t timestamp, int32_t max_age_days = 70,
                     std::string list_id = "") {
  PinListModel m;
  m.list.version = v;
  m.list.list_id = std::move(list_id);
  m.list.timestamp = timestamp;
  m.list.max_age_days = max_age_days;
  m.pinsets.push_back(
      {"p", {KeyFor(v, 1), KeyFor(v, 2)}, {}, "", "pinsets[0]"});
  HostEntry pinned;
  pinned.name = "example.com";
  pinned.include_subdomains = true;
  pinned.pinset = "p";
  m.entries.push_back(pinned);
  HostEntry hsts;
  hsts.name = VersionHost(v);
  hsts.force_https = true;
  m.entries.push_back(hsts);
  absl::StatusOr<std::string> table = WriteTable(m);
  EXPECT_TRUE(table.ok()) << table.status();
  return table.ok() ? *table : std::string();
}

int64_t TimeFor(uint64_t v) { return kBaseTime + static_cast<int64_t>(v) * 60; }

constexpr absl::string_view kListId = "example-app";

// The policy of this product: updates must be signed for kListId.
UpdatePolicy Policy() {
  UpdatePolicy policy;
  policy.expected_list_id = std::string(kListId);
  return policy;
}

class UpdaterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_a_ = *UpdatePrivateKey::Generate();
    key_b_ = *UpdatePrivateKey::Generate();
    absl::StatusOr<std::unique_ptr<PinListUpdater>> u =
        PinListUpdater::Create(TableFor(1, TimeFor(1)), {key_a_.public_key()}, Policy());
    ASSERT_TRUE(u.ok()) << u.status();
    updater_ = *std::move(u);
  }

  std::string Signed(uint64_t v, int64_t timestamp,
                     const UpdatePrivateKey* key = nullptr,
                     int32_t max_age_days = 70) {
    absl::StatusOr<std::string> blob =
        SignTable(TableFor(v, timestamp, max_age_days), kListId,
                  key ? *key : key_a_);
    EXPECT_TRUE(blob.ok()) << blob.status();
    return blob.ok() ? *blob : std::string();
  }
  std::string Signed(uint64_t v) { return Signed(v, TimeFor(v)); }

  uint64_t CurrentVersion() const {
    return updater_->Snapshot()->table().list_version();
  }

  // Offers `blob` and checks it is refused for `want`, keeping the list.
  void ExpectRefused(std::string blob, UpdateError want) {
    const std::shared_ptr<const LoadedList> before = updater_->Snapshot();
    absl::Status s = updater_->Offer(std::move(blob), kNow);
    EXPECT_EQ(GetUpdateError(s), want) << s;
    EXPECT_EQ(updater_->Snapshot(), before) << "a refused offer changed the list";
  }

  UpdatePrivateKey key_a_;
  UpdatePrivateKey key_b_;
  std::unique_ptr<PinListUpdater> updater_;
};

TEST_F(UpdaterTest, StartsFromTheBuiltInTable) {
  std::shared_ptr<const LoadedList> snap = updater_->Snapshot();
  ASSERT_NE(snap, nullptr);
  EXPECT_EQ(snap->table().list_version(), 1u);
  EXPECT_FALSE(snap->signer().has_value());
  EXPECT_EQ(updater_->accepted_count(), 0u);
  EXPECT_TRUE(snap->list().Lookup("www.example.com").pinned());
}

TEST_F(UpdaterTest, AcceptsANewerSignedList) {
  ASSERT_TRUE(updater_->Offer(Signed(2), kNow).ok());
  std::shared_ptr<const LoadedList> snap = updater_->Snapshot();
  EXPECT_EQ(snap->table().list_version(), 2u);
  EXPECT_EQ(snap->signer(), key_a_.public_key().key_id());
  EXPECT_EQ(updater_->accepted_count(), 1u);
  EXPECT_TRUE(snap->list().Lookup(VersionHost(2)).force_https());
  EXPECT_FALSE(snap->list().Lookup(VersionHost(1)).force_https());
  // Versions may skip.
  ASSERT_TRUE(updater_->Offer(Signed(10), kNow).ok());
  EXPECT_EQ(CurrentVersion(), 10u);
}

TEST_F(UpdaterTest, RefusesRollbackToAnOlderVersion) {
  const std::string v2 = Signed(2);
  ASSERT_TRUE(updater_->Offer(Signed(3), kNow).ok());
  ExpectRefused(v2, UpdateError::kRollback);
  absl::Status s = updater_->Offer(v2, kNow);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("list version 2 is older than the current version 3"));
  EXPECT_EQ(CurrentVersion(), 3u);
}

TEST_F(UpdaterTest, RefusesReplayOfTheSameVersion) {
  const std::string v2 = Signed(2);
  ASSERT_TRUE(updater_->Offer(v2, kNow).ok());
  ExpectRefused(v2, UpdateError::kReplay);
  // Same version, different content (and later timestamp): still a replay.
  ExpectRefused(Signed(2, TimeFor(5)), UpdateError::kReplay);
  EXPECT_EQ(updater_->accepted_count(), 1u);
  // The built-in version itself cannot be re-offered either.
  absl::StatusOr<std::unique_ptr<PinListUpdater>> fresh =
      PinListUpdater::Create(TableFor(1, TimeFor(1)), {key_a_.public_key()}, Policy());
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(GetUpdateError((*fresh)->Offer(Signed(1), kNow)),
            UpdateError::kReplay);
}

TEST_F(UpdaterTest, RefusesAnOlderTimestamp) {
  ExpectRefused(Signed(2, TimeFor(1) - 1), UpdateError::kOlderTimestamp);
  // The same timestamp is fine.
  EXPECT_TRUE(updater_->Offer(Signed(2, TimeFor(1)), kNow).ok());
}

TEST_F(UpdaterTest, RefusesAStaleList) {
  // Made 71 days before now with max_age_days 70.
  const int64_t old_time = absl::ToUnixSeconds(kNow - absl::Hours(24 * 71));
  absl::StatusOr<std::unique_ptr<PinListUpdater>> u = PinListUpdater::Create(
      TableFor(1, old_time - 60), {key_a_.public_key()}, Policy());
  ASSERT_TRUE(u.ok());
  absl::Status s = (*u)->Offer(Signed(2, old_time), kNow);
  EXPECT_EQ(GetUpdateError(s), UpdateError::kStale) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("expired before"));
  // Just inside max_age_days: accepted.
  const int64_t recent = absl::ToUnixSeconds(kNow - absl::Hours(24 * 69));
  EXPECT_TRUE((*u)->Offer(Signed(3, recent), kNow).ok());
}

TEST_F(UpdaterTest, RefusesAListWithoutTimestampAsStale) {
  absl::StatusOr<std::unique_ptr<PinListUpdater>> u =
      PinListUpdater::Create(TableFor(1, 0), {key_a_.public_key()}, Policy());
  ASSERT_TRUE(u.ok());
  absl::Status s = (*u)->Offer(Signed(2, 0), kNow);
  EXPECT_EQ(GetUpdateError(s), UpdateError::kStale);
  EXPECT_THAT(std::string(s.message()), HasSubstr("no timestamp"));
}

TEST_F(UpdaterTest, StaleRuleCanBeTurnedOff) {
  UpdatePolicy policy = Policy();
  policy.reject_stale = false;
  absl::StatusOr<std::unique_ptr<PinListUpdater>> u = PinListUpdater::Create(
      TableFor(1, TimeFor(1)), {key_a_.public_key()}, policy);
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE((*u)->Offer(Signed(2), kNow + absl::Hours(24 * 400)).ok());
}

TEST_F(UpdaterTest, RefusesUnknownKeysAndBrokenBlobs) {
  ExpectRefused(Signed(2, TimeFor(2), &key_b_), UpdateError::kUnknownKey);
  std::string flipped = Signed(2);
  flipped[flipped.size() / 2] ^= 0x10;
  ExpectRefused(flipped, UpdateError::kBadSignature);
  ExpectRefused(Signed(2).substr(0, 20), UpdateError::kTruncated);
  ExpectRefused(TableFor(2, TimeFor(2)), UpdateError::kBadMagic);  // Unsigned.
  ExpectRefused(*SignTableUnchecked(TableFor(2, TimeFor(2)), kListId, key_a_, 3),
                UpdateError::kUnsupportedBlobVersion);
  EXPECT_EQ(CurrentVersion(), 1u);
}

TEST_F(UpdaterTest, KeyRotation) {
  absl::StatusOr<std::unique_ptr<PinListUpdater>> u = PinListUpdater::Create(
      TableFor(1, TimeFor(1)), {key_a_.public_key(), key_b_.public_key()}, Policy());
  ASSERT_TRUE(u.ok());
  ASSERT_TRUE((*u)->Offer(Signed(2, TimeFor(2), &key_a_), kNow).ok());
  ASSERT_TRUE((*u)->Offer(Signed(3, TimeFor(3), &key_b_), kNow).ok());
  EXPECT_EQ((*u)->Snapshot()->signer(), key_b_.public_key().key_id());
  EXPECT_EQ((*u)->Snapshot()->table().list_version(), 3u);
}

TEST_F(UpdaterTest, RuleOrderRollbackBeforeTimestampAndStaleness) {
  ASSERT_TRUE(updater_->Offer(Signed(5), kNow).ok());
  // Older version, older timestamp and stale: reported as rollback.
  ExpectRefused(Signed(4, TimeFor(1) - 200 * 86400), UpdateError::kRollback);
}

TEST_F(UpdaterTest, SnapshotKeepsItsListAliveAcrossUpdates) {
  std::shared_ptr<const LoadedList> old = updater_->Snapshot();
  const char* old_bytes = old->table_bytes().data();
  ASSERT_TRUE(updater_->Offer(Signed(2), kNow).ok());
  ASSERT_TRUE(updater_->Offer(Signed(3), kNow).ok());
  EXPECT_EQ(old->table_bytes().data(), old_bytes);
  EXPECT_EQ(old->table().list_version(), 1u);
  EXPECT_TRUE(old->list().Lookup(VersionHost(1)).force_https());
  LookupResult r = old->list().Lookup("a.example.com");
  ASSERT_TRUE(r.pinned());
  EXPECT_TRUE(r.pinset->HasGood(KeyFor(1, 1)));
}

TEST_F(UpdaterTest, CreateRejectsBadInput) {
  absl::StatusOr<std::unique_ptr<PinListUpdater>> u =
      PinListUpdater::Create(TableFor(1, TimeFor(1)), {});
  ASSERT_FALSE(u.ok());
  EXPECT_THAT(std::string(u.status().message()), HasSubstr("trusted public key"));
  u = PinListUpdater::Create("not a table", {key_a_.public_key()}, Policy());
  ASSERT_FALSE(u.ok());
  EXPECT_THAT(std::string(u.status().message()), HasSubstr("built-in table"));
}

TEST_F(UpdaterTest, CheckUpdateWithoutCurrentSkipsVersionRules) {
  const std::vector<UpdatePublicKey> keys = {key_a_.public_key()};
  absl::StatusOr<std::shared_ptr<const LoadedList>> r =
      CheckUpdate(Signed(1), keys, nullptr, kNow, Policy());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)->table().list_version(), 1u);
  // With a current list, the same blob is a replay.
  r = CheckUpdate(Signed(1), keys, updater_->Snapshot().get(), kNow,
                  Policy());
  EXPECT_EQ(GetUpdateError(r.status()), UpdateError::kReplay);
}

TEST_F(UpdaterTest, RefusesAnotherProductsBlobSignedWithTheSameKey) {
  absl::StatusOr<std::string> other =
      SignTable(TableFor(2, TimeFor(2)), "other-app", key_a_);
  ASSERT_TRUE(other.ok()) << other.status();
  ExpectRefused(*other, UpdateError::kWrongList);
  absl::Status s = updater_->Offer(*other, kNow);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(s.message()), HasSubstr("\"other-app\""));
  // The same table signed for this product is accepted, and says so.
  ASSERT_TRUE(updater_->Offer(Signed(2), kNow).ok());
  EXPECT_EQ(updater_->Snapshot()->list_id(), kListId);
}

TEST_F(UpdaterTest, CreateRequiresTheExpectedListId) {
  for (const char* id : {"", "Not Valid"}) {
    UpdatePolicy policy;
    policy.expected_list_id = id;
    absl::StatusOr<std::unique_ptr<PinListUpdater>> u = PinListUpdater::Create(
        TableFor(1, TimeFor(1)), {key_a_.public_key()}, policy);
    ASSERT_FALSE(u.ok()) << id;
    EXPECT_EQ(u.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(u.status().message()),
                HasSubstr("expected_list_id"));
  }
  // CheckUpdate without an expected id refuses everything.
  const std::vector<UpdatePublicKey> keys = {key_a_.public_key()};
  EXPECT_EQ(GetUpdateError(
                CheckUpdate(Signed(2), keys, nullptr, kNow, UpdatePolicy())
                    .status()),
            UpdateError::kWrongList);
}

TEST_F(UpdaterTest, CreateRefusesABuiltInTableOfAnotherList) {
  absl::StatusOr<std::unique_ptr<PinListUpdater>> u = PinListUpdater::Create(
      TableFor(1, TimeFor(1), 70, "other-app"), {key_a_.public_key()},
      Policy());
  ASSERT_FALSE(u.ok());
  EXPECT_THAT(std::string(u.status().message()),
              HasSubstr("built-in table is list \"other-app\""));
  // Its own list id is accepted, as is a table that names no list.
  EXPECT_TRUE(PinListUpdater::Create(TableFor(1, TimeFor(1), 70, "example-app"),
                                     {key_a_.public_key()}, Policy())
                  .ok());
}

// Review of issue 10 item 10: a built-in table (or a persisted minimum)
// with a far-future timestamp (milliseconds as seconds) made every correct
// later release fail as older-timestamp. Such a timestamp no longer counts;
// the version rules still refuse rollback.
TEST_F(UpdaterTest, FarFutureCurrentTimestampDoesNotBlockReleases) {
  const int64_t millis = kBaseTime * 1000;  // Year 59009.
  absl::StatusOr<std::unique_ptr<PinListUpdater>> u = PinListUpdater::Create(
      TableFor(3, millis), {key_a_.public_key()}, Policy());
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_TRUE((*u)->Offer(Signed(4), kNow).ok());
  EXPECT_EQ((*u)->Snapshot()->table().list_version(), 4u);
  EXPECT_EQ(GetUpdateError((*u)->Offer(Signed(2), kNow)),
            UpdateError::kRollback);
  UpdatePolicy seeded = Policy();
  seeded.min_timestamp = millis;
  absl::StatusOr<std::unique_ptr<PinListUpdater>> s = PinListUpdater::Create(
      TableFor(1, TimeFor(1)), {key_a_.public_key()}, seeded);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_TRUE((*s)->Offer(Signed(2), kNow).ok());
}

TEST_F(UpdaterTest, RefusesAFarFutureTimestamp) {
  // One day of clock skew is allowed.
  EXPECT_TRUE(CheckUpdate(Signed(2, absl::ToUnixSeconds(kNow) + 86400),
                          {key_a_.public_key()}, nullptr, kNow, Policy())
                  .ok());
  ExpectRefused(Signed(2, absl::ToUnixSeconds(kNow) + 86401),
                UpdateError::kFutureTimestamp);
  // Milliseconds written as seconds: year 59009. Accepting it would keep
  // the list fresh forever and refuse every later correct release.
  const int64_t millis = kBaseTime * 1000;
  ExpectRefused(Signed(2, millis), UpdateError::kFutureTimestamp);
  absl::Status s = updater_->Offer(Signed(2, millis), kNow);
  EXPECT_THAT(std::string(s.message()), HasSubstr("59009-"));
  EXPECT_EQ(CurrentVersion(), 1u);
  EXPECT_TRUE(updater_->Offer(Signed(2), kNow).ok());
}

TEST_F(UpdaterTest, RefusesMaxAgeOverAYear) {
  ExpectRefused(Signed(2, TimeFor(2), nullptr, 366),
                UpdateError::kMaxAgeTooLong);
  EXPECT_TRUE(updater_->Offer(Signed(2, TimeFor(2), nullptr, 365), kNow).ok());
}

TEST_F(UpdaterTest, RestartedUpdaterSeededWithPersistedStateRefusesRollback) {
  // Before the restart: v3 is accepted; the application persists the blob
  // and the rollback state.
  const std::string v2 = Signed(2);
  const std::string v3 = Signed(3);
  ASSERT_TRUE(updater_->Offer(v3, kNow).ok());
  const RollbackState persisted = updater_->rollback_state();
  EXPECT_EQ(persisted.list_version, 3u);
  EXPECT_EQ(persisted.timestamp, TimeFor(3));

  // After the restart: the built-in table is v1 again.
  UpdatePolicy policy = Policy();
  policy.min_list_version = persisted.list_version;
  policy.min_timestamp = persisted.timestamp;
  absl::StatusOr<std::unique_ptr<PinListUpdater>> restarted =
      PinListUpdater::Create(TableFor(1, TimeFor(1)), {key_a_.public_key()},
                             policy);
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  EXPECT_EQ((*restarted)->rollback_state().list_version, 3u);
  absl::Status s = (*restarted)->Offer(v2, kNow);
  EXPECT_EQ(GetUpdateError(s), UpdateError::kRollback) << s;
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("older than the persisted minimum version 3"));
  EXPECT_EQ((*restarted)->Snapshot()->table().list_version(), 1u);
  // A v4 with a timestamp before the persisted one is refused too.
  s = (*restarted)->Offer(Signed(4, TimeFor(3) - 1), kNow);
  EXPECT_EQ(GetUpdateError(s), UpdateError::kOlderTimestamp) << s;
  // The persisted v3 blob itself is accepted again (it is the floor).
  EXPECT_TRUE((*restarted)->Offer(v3, kNow).ok());
  EXPECT_TRUE((*restarted)->Offer(Signed(4), kNow).ok());
  EXPECT_EQ((*restarted)->rollback_state().list_version, 4u);
  EXPECT_EQ((*restarted)->rollback_state().timestamp, TimeFor(4));

  // Without the seed, a restarted updater would have taken v2.
  absl::StatusOr<std::unique_ptr<PinListUpdater>> unseeded =
      PinListUpdater::Create(TableFor(1, TimeFor(1)), {key_a_.public_key()},
                             Policy());
  ASSERT_TRUE(unseeded.ok());
  EXPECT_TRUE((*unseeded)->Offer(v2, kNow).ok());
}

// Checks that a snapshot is internally consistent: the pins and the HSTS
// entry both belong to the snapshot's own list version.
bool SnapshotConsistent(const LoadedList& snap, uint64_t version,
                        const std::vector<std::string>& version_hosts) {
  const LookupResult pinned = snap.list().Lookup("www.example.com");
  if (!pinned.pinned()) return false;
  const PinsetView pinset = *pinned.pinset;
  if (!pinset.HasGood(KeyFor(version, 1)) || !pinset.HasGood(KeyFor(version, 2)))
    return false;
  if (version >= version_hosts.size()) return false;
  return snap.list().Lookup(version_hosts[version]).force_https();
}

constexpr uint64_t kLastVersion = 40;
constexpr int kReaders = 3;

class UpdaterConcurrencyTest : public UpdaterTest {
 protected:
  void SetUp() override {
    UpdaterTest::SetUp();
    for (uint64_t v = 0; v <= kLastVersion; ++v) {
      version_hosts_.push_back(VersionHost(v));
    }
    for (uint64_t v = 2; v <= kLastVersion; ++v) blobs_.push_back(Signed(v));
  }

  // Runs `kReaders` reader threads while `write` runs on this thread, then
  // checks what the readers saw.
  template <typename Write>
  void RunWithReaders(Write write) {
    std::atomic<bool> done{false};
    std::atomic<int> inconsistent{0};
    std::atomic<int> went_back{0};
    std::atomic<uint64_t> lookups{0};
    std::vector<std::thread> readers;
    for (int i = 0; i < kReaders; ++i) {
      readers.emplace_back([&] {
        uint64_t last = 0;
        uint64_t n = 0;
        // At least some lookups even if the writer finishes first.
        while (!done.load(std::memory_order_acquire) || n < 200) {
          std::shared_ptr<const LoadedList> snap = updater_->Snapshot();
          const uint64_t v = snap->table().list_version();
          if (v < last) went_back.fetch_add(1);
          last = v;
          if (!SnapshotConsistent(*snap, v, version_hosts_)) {
            inconsistent.fetch_add(1);
          }
          ++n;
        }
        lookups.fetch_add(n);
      });
    }
    write();
    done.store(true, std::memory_order_release);
    for (std::thread& t : readers) t.join();
    EXPECT_EQ(inconsistent.load(), 0);
    EXPECT_EQ(went_back.load(), 0) << "a reader saw the version go back";
    EXPECT_GE(lookups.load(), uint64_t{kReaders} * 200);
    EXPECT_EQ(CurrentVersion(), kLastVersion);
  }

  std::vector<std::string> version_hosts_;
  std::vector<std::string> blobs_;  // Versions 2..kLastVersion, in order.
};

TEST_F(UpdaterConcurrencyTest, ReadersLookUpWhileOneWriterUpdates) {
  RunWithReaders([&] {
    for (size_t i = 0; i < blobs_.size(); ++i) {
      EXPECT_TRUE(updater_->Offer(blobs_[i], kNow).ok());
      EXPECT_EQ(GetUpdateError(updater_->Offer(blobs_[i], kNow)),
                UpdateError::kReplay);
      if (i > 0) {
        EXPECT_EQ(GetUpdateError(updater_->Offer(blobs_[i - 1], kNow)),
                  UpdateError::kRollback);
      }
      std::this_thread::yield();
    }
  });
  EXPECT_EQ(updater_->accepted_count(), blobs_.size());
}

TEST_F(UpdaterConcurrencyTest, ConcurrentWritersEndAtTheNewestList) {
  RunWithReaders([&] {
    std::vector<std::thread> writers;
    std::atomic<int> unexpected{0};
    for (int w = 0; w < 3; ++w) {
      writers.emplace_back([&, w] {
        std::vector<std::string> order = blobs_;
        std::mt19937 rng(static_cast<uint32_t>(w + 1));
        std::shuffle(order.begin(), order.end(), rng);
        for (const std::string& blob : order) {
          absl::Status s = updater_->Offer(blob, kNow);
          std::optional<UpdateError> e = GetUpdateError(s);
          if (!s.ok() && e != UpdateError::kRollback &&
              e != UpdateError::kReplay) {
            unexpected.fetch_add(1);
          }
        }
      });
    }
    for (std::thread& t : writers) t.join();
    EXPECT_EQ(unexpected.load(), 0);
  });
  EXPECT_GE(updater_->accepted_count(), 1u);
  EXPECT_LE(updater_->accepted_count(), blobs_.size());
}

}  // namespace
}  // namespace pinbake
