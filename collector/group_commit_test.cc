#include "collector/group_commit.h"

#include <atomic>
#include <iostream>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "collector/report_parser.h"
#include "collector/report_test_util.h"
#include "collector/sqlite_store.h"
#include "gtest/gtest.h"

namespace pinbake {
namespace collector {
namespace {

// A store that fails every batch: nothing may be acknowledged. It keeps
// the lost reports it is told of (`lost`, shared with the test).
class FailingStore : public ReportStore {
 public:
  explicit FailingStore(std::shared_ptr<std::map<std::string, int64_t>> lost)
      : lost_(std::move(lost)) {}
  absl::StatusOr<std::vector<InsertOutcome>> InsertBatch(
      absl::Span<const IncomingReport>, absl::Time) override {
    return absl::UnavailableError("disk full");
  }
  absl::Status ForEachReport(
      absl::Time,
      absl::FunctionRef<absl::Status(const StoredReport&)>) override {
    return absl::OkStatus();
  }
  int SchemaVersion() override { return 0; }
  absl::StatusOr<int64_t> CountReports() override { return 0; }
  absl::StatusOr<int64_t> DeleteReportsBefore(absl::Time) override {
    return 0;
  }
  absl::Status AddLostReports(absl::Span<const LostReports> lost) override {
    for (const LostReports& l : lost) (*lost_)[l.reason] += l.count;
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<LostReports>> ListLostReports(
      absl::Time) override {
    return std::vector<LostReports>();
  }

 private:
  std::shared_ptr<std::map<std::string, int64_t>> lost_;
};

IncomingReport Incoming(const std::string& host, const TestChain& chain) {
  IncomingReport in;
  in.uri = "/pkp";
  in.report = *ParseReport(TestReportJson(host, chain));
  in.dedup_key = ReportDedupKey(in.report, in.uri);
  return in;
}

// A clock the test moves.
class TestClock {
 public:
  explicit TestClock(absl::Time t) : now_(t) {}
  absl::Time Now() const {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += d;
  }

 private:
  mutable std::mutex mu_;
  absl::Time now_;
};

// Polls `done` for up to 10 s.
bool Eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 1000; ++i) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return done();
}

TEST(GroupCommitTest, ConcurrentSubmitsShareBatchesAndAllLand) {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path = std::string(dir ? dir : "/tmp") + "/group.db";
  std::remove(path.c_str());
  TestChain chain = MakeChain("a.test");
  constexpr int kThreads = 16;
  constexpr int kPerThread = 40;
  {
    auto store = SqliteStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status();
    GroupCommitter committer(*std::move(store));
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          IncomingReport in;
          in.uri = "/pkp";
          in.report = *ParseReport(
              TestReportJson(absl::StrCat("h", t, "-", i, ".test"), chain));
          in.dedup_key = ReportDedupKey(in.report, in.uri);
          if (committer.Submit(std::move(in)).ok()) ok.fetch_add(1);
        }
      });
    }
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(ok.load(), kThreads * kPerThread);
    EXPECT_EQ(committer.committed(), kThreads * kPerThread);
    std::cout << "group commit: " << committer.committed() << " reports in "
              << committer.batches() << " transactions\n";
    // Group commit: fewer transactions than reports.
    EXPECT_LT(committer.batches(), kThreads * kPerThread);
  }
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->ListReports(absl::InfinitePast())->size(),
            static_cast<size_t>(kThreads * kPerThread));
}

TEST(GroupCommitTest, FullDatabaseRefusesUntilRetentionFreesRows) {
  const std::string path = FreshTestDbPath("limit.db");
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  TestChain chain = MakeChain("a.test");
  TestClock clock(absl::FromUnixSeconds(1800000000));
  StorageLimits limits;
  limits.max_reports = 2;
  limits.retain = absl::Hours(24);
  limits.prune_every = absl::Milliseconds(20);
  GroupCommitter committer(
      *std::move(store), [&clock] { return clock.Now(); }, limits);
  ASSERT_TRUE(Eventually([&] { return committer.rows() == 0; }));
  ASSERT_TRUE(committer.Submit(Incoming("a.test", chain)).ok());
  ASSERT_TRUE(committer.Submit(Incoming("b.test", chain)).ok());
  EXPECT_EQ(committer.rows(), 2);
  // Full: a new report and a duplicate are both refused, nothing stored.
  absl::StatusOr<InsertOutcome> refused =
      committer.Submit(Incoming("c.test", chain));
  EXPECT_TRUE(absl::IsResourceExhausted(refused.status())) << refused.status();
  EXPECT_TRUE(absl::IsResourceExhausted(
      committer.Submit(Incoming("a.test", chain)).status()));
  EXPECT_EQ(committer.refused_full(), 2);
  EXPECT_EQ(committer.committed(), 2);
  // A day later both rows are past retention: the writer deletes them at
  // its next prune (it wakes by itself) and takes reports again.
  clock.Advance(absl::Hours(25));
  ASSERT_TRUE(Eventually([&] { return committer.pruned() == 2; }));
  EXPECT_EQ(committer.rows(), 0);
  absl::StatusOr<InsertOutcome> again =
      committer.Submit(Incoming("c.test", chain));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->duplicate);
}

TEST(GroupCommitTest, LimitCountsRowsAlreadyInTheDatabase) {
  const std::string path = FreshTestDbPath("limit-restart.db");
  TestChain chain = MakeChain("a.test");
  {
    auto store = SqliteStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status();
    GroupCommitter committer(*std::move(store));
    ASSERT_TRUE(committer.Submit(Incoming("a.test", chain)).ok());
    ASSERT_TRUE(committer.Submit(Incoming("b.test", chain)).ok());
    EXPECT_EQ(committer.rows(), -1);  // No limit: never counted.
  }
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  StorageLimits limits;
  limits.max_reports = 2;
  GroupCommitter committer(*std::move(store), nullptr, limits);
  EXPECT_TRUE(absl::IsResourceExhausted(
      committer.Submit(Incoming("c.test", chain)).status()));
  EXPECT_EQ(committer.rows(), 2);
}

TEST(GroupCommitTest, StoreErrorReachesEveryRequest) {
  auto lost = std::make_shared<std::map<std::string, int64_t>>();
  {
    GroupCommitter committer(std::make_unique<FailingStore>(lost));
    TestChain chain = MakeChain("a.test");
    IncomingReport in;
    in.report = *ParseReport(TestReportJson("a.test", chain));
    absl::StatusOr<InsertOutcome> outcome = committer.Submit(std::move(in));
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.status().message(), "disk full");
    EXPECT_EQ(committer.committed(), 0);
    committer.NoteLost("rate-limited", 3);
  }
  // Written on stop at the latest: the failed batch and what was noted.
  EXPECT_EQ((*lost)[kLostStoreUnavailable], 1);
  EXPECT_EQ((*lost)["rate-limited"], 3);
}

TEST(GroupCommitTest, NotedLostReportsReachTheStoreWithinSeconds) {
  const std::string path = FreshTestDbPath("lost.db");
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  GroupCommitter committer(*std::move(store));
  committer.NoteLost("rate-limited", 2);
  committer.NoteLost("rate-limited", 1);
  committer.NoteLost("body-too-large", 1);
  // A reader of its own sees them while the committer runs.
  auto reader = SqliteStore::Open(path);
  ASSERT_TRUE(reader.ok());
  std::map<std::string, int64_t> seen;
  ASSERT_TRUE(Eventually([&] {
    seen.clear();
    auto lost = (*reader)->ListLostReports(absl::InfinitePast());
    if (!lost.ok()) return false;
    for (const LostReports& l : *lost) seen[l.reason] += l.count;
    return seen["rate-limited"] == 3 && seen["body-too-large"] == 1;
  }));
}

}  // namespace
}  // namespace collector
}  // namespace pinbake
