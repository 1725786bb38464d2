#include "collector/report_summary.h"

#include "absl/time/clock.h"
#include "collector/collector_test_list.h"
#include "gtest/gtest.h"

namespace pinbake {
namespace collector {
namespace {

TEST(ReportSummaryTest, GroupsHostsAndChainsAndJudges) {
  TestList t = MakeTestList();
  const absl::Time t0 = absl::FromUnixSeconds(1800000000);
  const std::vector<StoredReport> reports = {
      StoredReportFor("new.test", t.good_chain, t0, 5),
      StoredReportFor("new.test", t.other_chain, t0 + absl::Hours(1)),
      StoredReportFor("new.test", t.other_chain, t0 + absl::Hours(2), 2),
      StoredReportFor("good.test", t.good_chain, t0),
  };
  const ReportSummary s = SummarizeReports(reports, t.list.get());
  EXPECT_EQ(s.reports, 9);
  ASSERT_EQ(s.hosts.size(), 2u);
  const HostSummary& h = s.hosts[1];
  EXPECT_EQ(h.noted_hostname, "new.test");
  EXPECT_EQ(h.reports, 8);
  EXPECT_EQ(h.first_seen, t0);
  EXPECT_EQ(h.last_seen, t0 + absl::Hours(2));
  ASSERT_EQ(h.chains.size(), 2u);
  EXPECT_EQ(h.chains[0].reports, 5);  // Most reported first.
  EXPECT_FALSE(h.chains[0].would_fail);
  EXPECT_TRUE(h.chains[1].would_fail);
  EXPECT_EQ(h.chains[1].why, "no pin of the chain is in pinset p");
  EXPECT_EQ(h.would_fail_chains, 1);
  EXPECT_EQ(h.would_fail_reports, 3);
  EXPECT_EQ(SummaryJson(s)["hosts"][1]["would_fail_chains"], 1);
  EXPECT_NE(SummaryText(s).find("new.test: 8 reports, 2 distinct chains"),
            std::string::npos);
}

TEST(ReportSummaryTest, StreamingSummarizerKeepsOneStatePerChain) {
  TestList t = MakeTestList();
  const absl::Time t0 = absl::FromUnixSeconds(1800000000);
  ReportSummarizer summarizer(t.list.get());
  for (int i = 0; i < 1000; ++i) {
    const ChainSummary& chain = summarizer.Add(StoredReportFor(
        i % 2 ? "new.test" : "good.test",
        i % 4 < 2 ? t.good_chain : t.other_chain, t0 + absl::Seconds(i)));
    EXPECT_TRUE(chain.judged);
    EXPECT_EQ(chain.would_fail, i % 4 >= 2) << i;
  }
  const ReportSummary s = std::move(summarizer).Finish();
  EXPECT_EQ(s.reports, 1000);
  ASSERT_EQ(s.hosts.size(), 2u);
  for (const HostSummary& h : s.hosts) {
    EXPECT_EQ(h.reports, 500);
    ASSERT_EQ(h.chains.size(), 2u);
    EXPECT_EQ(h.chains[0].reports + h.chains[1].reports, 500);
    EXPECT_EQ(h.would_fail_chains, 1);
    EXPECT_EQ(h.would_fail_reports, 250);
  }
  EXPECT_EQ(s.hosts[0].first_seen, t0);
  EXPECT_EQ(s.hosts[1].last_seen, t0 + absl::Seconds(999));
}

TEST(ReportSummaryTest, WithoutListNothingJudged) {
  TestList t = MakeTestList();
  const ReportSummary s = SummarizeReports(
      {StoredReportFor("new.test", t.other_chain, absl::Now())}, nullptr);
  EXPECT_FALSE(s.judged);
  EXPECT_FALSE(s.hosts[0].chains[0].judged);
  EXPECT_FALSE(SummaryJson(s)["hosts"][0].contains("would_fail_chains"));
}

}  // namespace
}  // namespace collector
}  // namespace pinbake
