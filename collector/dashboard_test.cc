#include "collector/dashboard.h"

#include <cstdio>
#include <cstdlib>

#include "collector/collector_test_list.h"
#include "collector/report_parser.h"
#include "collector/report_test_util.h"
#include "collector/sqlite_store.h"
#include "gtest/gtest.h"

namespace pinbake {
namespace collector {
namespace {

TEST(DashboardTest, EscapesReportTextAndChartsWouldFailPerHour) {
  TestList t = MakeTestList();
  const absl::Time now = absl::FromUnixSeconds(1800000000 + 1800);
  StoredReport failing =
      StoredReportFor("new.test", t.other_chain, now - absl::Minutes(10), 4);
  failing.validated_subjects[0] = "CN=<script>alert(1)</script>";
  const std::vector<StoredReport> reports = {
      failing,
      // Passes the list: not in the chart.
      StoredReportFor("new.test", t.good_chain, now - absl::Minutes(5), 7),
  };
  const ReportSummary s = SummarizeReports(reports, t.list.get());
  const std::string html = RenderDashboard(s, reports, t.list.get(), now, 24);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("CN=&lt;script&gt;alert(1)&lt;/script&gt;"),
            std::string::npos);
  EXPECT_NE(html.find("class=\"bar\" data-count=\"4\""), std::string::npos);
  EXPECT_EQ(html.find("data-count=\"7\""), std::string::npos);
  EXPECT_NE(html.find("4 would-fail reports in the last 24 hours"),
            std::string::npos);
  EXPECT_EQ(html.find("http"), html.find("http://www.w3.org/2000/svg"))
      << "no external assets";
}

TEST(DashboardTest, FromStoreInOnePassMatchesTheVectorPage) {
  TestList t = MakeTestList();
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path = std::string(dir ? dir : "/tmp") + "/dash.db";
  std::remove(path.c_str());
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  const absl::Time now = absl::FromUnixSeconds(1800000000 + 1800);
  std::vector<IncomingReport> batch;
  for (int i = 0; i < 6; ++i) {
    IncomingReport in;
    in.uri = "/pkp";
    absl::StatusOr<ValidatedReport> parsed = ParseReport(TestReportJson(
        "new.test", i % 3 ? t.other_chain : t.good_chain, 443 + i));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    in.report = *std::move(parsed);
    in.dedup_key = ReportDedupKey(in.report, in.uri);
    batch.push_back(std::move(in));
  }
  ASSERT_TRUE((*store)->InsertBatch(batch, now - absl::Minutes(30)).ok());
  absl::StatusOr<std::string> html =
      DashboardFromStore(**store, t.list.get(), now, 24);
  ASSERT_TRUE(html.ok()) << html.status();
  // 4 of the 6 reports carry the chain that fails the list.
  EXPECT_NE(html->find("4 would-fail reports in the last 24 hours"),
            std::string::npos);
  EXPECT_NE(html->find("6 reports, 1 hosts"), std::string::npos);
  auto reports = (*store)->ListReports(now - absl::Hours(24 * 31));
  ASSERT_TRUE(reports.ok());
  EXPECT_EQ(*html, RenderDashboard(SummarizeReports(*reports, t.list.get()),
                                   *reports, t.list.get(), now, 24));
}

TEST(DashboardTest, ShowsLostReportsOfTheChartsHours) {
  TestList t = MakeTestList();
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path = std::string(dir ? dir : "/tmp") + "/lost.db";
  std::remove(path.c_str());
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  const absl::Time now = absl::FromUnixSeconds(1800000000 + 1800);
  absl::StatusOr<std::string> quiet =
      DashboardFromStore(**store, t.list.get(), now, 24);
  ASSERT_TRUE(quiet.ok()) << quiet.status();
  EXPECT_EQ(quiet->find("id=\"lost\""), std::string::npos);
  ASSERT_TRUE((*store)
                  ->AddLostReports({{now - absl::Hours(2), "rate-limited", 5},
                                    {now, "store-full", 1},
                                    // Before the chart's 24 hours: not shown.
                                    {now - absl::Hours(30), "store-full", 9}})
                  .ok());
  absl::StatusOr<std::string> html =
      DashboardFromStore(**store, t.list.get(), now, 24);
  ASSERT_TRUE(html.ok()) << html.status();
  EXPECT_NE(html->find("The collector refused 6 possible reports in the last "
                       "24 h before storing them (rate-limited 5, "
                       "store-full 1)"),
            std::string::npos)
      << *html;
}

TEST(DashboardTest, HtmlEscape) {
  EXPECT_EQ(HtmlEscape("a&b<c>\"d'"), "a&amp;b&lt;c&gt;&quot;d&#39;");
}

}  // namespace
}  // namespace collector
}  // namespace pinbake
