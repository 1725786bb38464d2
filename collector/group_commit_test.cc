#include "collector/group_commit.h"

#include <atomic>
#include <iostream>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collector/report_parser.h"
#include "collector/report_test_util.h"
#include "collector/sqlite_store.h"
#include "gtest/gtest.h"

namespace pinbake {
namespace collector {
namespace {

// A store that fails every batch: nothing may be acknowledged.
class FailingStore : public ReportStore {
 public:
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
};

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

TEST(GroupCommitTest, StoreErrorReachesEveryRequest) {
  GroupCommitter committer(std::make_unique<FailingStore>());
  TestChain chain = MakeChain("a.test");
  IncomingReport in;
  in.report = *ParseReport(TestReportJson("a.test", chain));
  absl::StatusOr<InsertOutcome> outcome = committer.Submit(std::move(in));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.status().message(), "disk full");
  EXPECT_EQ(committer.committed(), 0);
}

}  // namespace
}  // namespace collector
}  // namespace pinbake
