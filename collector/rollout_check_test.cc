#include "collector/rollout_check.h"

#include "absl/time/clock.h"
#include "collector/collector_test_list.h"
#include "gtest/gtest.h"

namespace pinbake {
namespace collector {
namespace {

TEST(RolloutCheckTest, ReadyBlockedNoDataFailing) {
  TestList t = MakeTestList();
  const absl::Time now = absl::Now();
  RolloutOptions options;
  options.now = now;
  options.min_reports = 2;
  options.quiet = absl::Hours(24);
  std::vector<StoredReport> reports = {
      // new.test: two passing reports -> ready.
      StoredReportFor("new.test", t.good_chain, now - absl::Hours(1), 2),
      // good.test (enforced): a failing chain today -> failing.
      StoredReportFor("good.test", t.other_chain, now - absl::Hours(2)),
      // An unpinned host is ignored.
      StoredReportFor("unpinned.test", t.other_chain, now),
  };
  RolloutResult r = CheckRollout(*t.list, reports, options);
  ASSERT_EQ(r.entries.size(), 3u);
  EXPECT_EQ(r.entries[0].name, "good.test");
  EXPECT_EQ(r.entries[0].state, RolloutState::kFailing);
  EXPECT_EQ(r.entries[1].name, "new.test");
  EXPECT_EQ(r.entries[1].state, RolloutState::kReady);
  EXPECT_EQ(r.entries[1].reports, 2);
  EXPECT_EQ(r.entries[2].name, "quiet.test");
  EXPECT_EQ(r.entries[2].state, RolloutState::kNoData);
  EXPECT_FALSE(r.all_ready);

  // A failing chain for new.test inside the quiet period blocks it, with
  // the chain; the same report older than the period does not.
  reports.push_back(
      StoredReportFor("new.test", t.other_chain, now - absl::Hours(3)));
  r = CheckRollout(*t.list, reports, options);
  EXPECT_EQ(r.entries[1].state, RolloutState::kBlocked);
  ASSERT_EQ(r.entries[1].failing_chains.size(), 1u);
  EXPECT_EQ(r.entries[1].failing_chains[0].spki[0],
            t.other_chain.leaf.spki_hash);
  EXPECT_EQ(r.entries[1].failing_chains[0].why,
            "no pin of the chain is in pinset p");
  reports.back().last_received = now - absl::Hours(48);
  r = CheckRollout(*t.list, reports, options);
  EXPECT_EQ(r.entries[1].state, RolloutState::kReady);
  EXPECT_EQ(RolloutJson(r)["entries"][1]["state"], "ready");
}

TEST(RolloutCheckTest, AllReadyWhenOnlyReadyEntries) {
  TestList t = MakeTestList();
  RolloutOptions options;
  options.now = absl::Now();
  options.min_reports = 0;  // No reports needed: quiet.test is ready too.
  RolloutResult r = CheckRollout(*t.list, {}, options);
  ASSERT_EQ(r.entries.size(), 2u);  // Quiet enforced entries not listed.
  EXPECT_TRUE(r.all_ready);
  EXPECT_NE(RolloutText(r).find("all entries ready"), std::string::npos);
}

TEST(RolloutCheckTest, LostReportsInTheQuietPeriodCloseTheGate) {
  TestList t = MakeTestList();
  const absl::Time now = absl::FromUnixSeconds(1800000000 + 1800);  // hh:30
  RolloutOptions options;
  options.now = now;
  options.min_reports = 0;
  options.quiet = absl::Hours(24);
  const RolloutResult ready = CheckRollout(*t.list, {}, options);
  ASSERT_TRUE(ready.all_ready);
  // Lost before the quiet period: the hour ended before it began.
  std::vector<LostReports> lost = {
      {HourStart(now - absl::Hours(25)), "rate-limited", 7}};
  RolloutResult r = ready;
  NoteLostReports(lost, options, &r);
  EXPECT_TRUE(r.all_ready);
  EXPECT_TRUE(r.lost.empty());
  // The hour the quiet period starts in counts (it ends inside it).
  lost.push_back({HourStart(now - absl::Hours(24)), "store-full", 2});
  lost.push_back({HourStart(now), "store-full", 1});
  r = ready;
  NoteLostReports(lost, options, &r);
  EXPECT_FALSE(r.all_ready);
  EXPECT_EQ(r.lost.size(), 1u);
  EXPECT_EQ(r.lost["store-full"], 3);
  EXPECT_NE(RolloutText(r).find("the collector refused 3 possible reports in "
                                "the quiet period (store-full 3)"),
            std::string::npos)
      << RolloutText(r);
  EXPECT_EQ(RolloutJson(r)["lost_reports"]["store-full"], 3);
  EXPECT_EQ(RolloutJson(r)["lost_reports_accepted"], false);
  // After a look, --accept-lost opens it again (and says so).
  options.accept_lost = true;
  r = ready;
  NoteLostReports(lost, options, &r);
  EXPECT_TRUE(r.all_ready);
  EXPECT_NE(RolloutText(r).find("accepted with --accept-lost"),
            std::string::npos);
}

}  // namespace
}  // namespace collector
}  // namespace pinbake
