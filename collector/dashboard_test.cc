#include "collector/dashboard.h"

#include "collector/collector_test_list.h"
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

TEST(DashboardTest, HtmlEscape) {
  EXPECT_EQ(HtmlEscape("a&b<c>\"d'"), "a&amp;b&lt;c&gt;&quot;d&#39;");
}

}  // namespace
}  // namespace collector
}  // namespace pinbake
