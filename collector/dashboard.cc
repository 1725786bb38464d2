#include "collector/dashboard.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"

namespace pinbake {
namespace collector {

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

WouldFailChart::WouldFailChart(absl::Time now, int hours) {
  hours = std::max(1, std::min(hours, 24 * 31));
  buckets_.assign(static_cast<size_t>(hours), 0);
  end_ = absl::FromUnixSeconds((absl::ToUnixSeconds(now) / 3600 + 1) * 3600);
  start_ = end_ - absl::Hours(hours);
}

void WouldFailChart::Add(const StoredReport& r, bool would_fail) {
  if (!would_fail) return;
  if (r.first_received < start_ || r.first_received >= end_) return;
  const int64_t i =
      (absl::ToUnixSeconds(r.first_received) - absl::ToUnixSeconds(start_)) /
      3600;
  if (i >= 0 && i < hours()) {
    buckets_[static_cast<size_t>(i)] += r.count;
    total_ += r.count;
  }
}

std::string RenderDashboard(const ReportSummary& summary,
                            const std::vector<StoredReport>& reports,
                            const CurrentList* list, absl::Time now,
                            int hours) {
  WouldFailChart chart(now, hours);
  for (const StoredReport& r : reports) {
    chart.Add(r, list == nullptr || JudgeReport(*list, r).would_fail);
  }
  return RenderDashboard(summary, chart, now);
}

absl::StatusOr<std::string> DashboardFromStore(ReportStore& store,
                                               const CurrentList* list,
                                               absl::Time now, int hours) {
  ReportSummarizer summarizer(list);
  WouldFailChart chart(now, hours);
  std::optional<CachedJudge> judge;
  if (list != nullptr) judge.emplace(*list);
  absl::Status read = store.ForEachReport(
      now - absl::Hours(24 * 31), [&](const StoredReport& r) {
        summarizer.Add(r);
        chart.Add(r, !judge || judge->Judge(r).would_fail);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  absl::StatusOr<std::vector<LostReports>> lost =
      store.ListLostReports(chart.start());
  if (!lost.ok()) return lost.status();
  return RenderDashboard(std::move(summarizer).Finish(), chart, now, *lost);
}

std::string RenderDashboard(const ReportSummary& summary,
                            const WouldFailChart& chart, absl::Time now,
                            const std::vector<LostReports>& lost) {
  const int hours = chart.hours();
  const std::vector<int64_t>& buckets = chart.buckets();
  const absl::Time start = chart.start();
  const absl::Time end = chart.end();
  const int64_t total_would_fail = chart.total();
  const int64_t peak = std::max<int64_t>(
      1, *std::max_element(buckets.begin(), buckets.end()));
  constexpr int kWidth = 720, kHeight = 200, kPad = 30;
  const double bar = static_cast<double>(kWidth - 2 * kPad) / hours;

  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>pinbake collector</title><style>"
      "body{font-family:sans-serif;margin:2em;color:#222}"
      "table{border-collapse:collapse;margin:1em 0}"
      "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;"
      "vertical-align:top}code{font-size:85%}"
      ".fail{color:#b00020;font-weight:bold}.pass{color:#1b5e20}"
      "</style></head><body>\n<h1>pinbake collector</h1>\n";
  absl::StrAppend(&html, "<p id=\"totals\">", summary.reports, " reports, ",
                  summary.hosts.size(), " hosts; generated ",
                  TimeText(now), "; ",
                  summary.judged ? "judged against the current list"
                                 : "no current list given (every report "
                                   "counts as would-fail)",
                  "</p>\n");
  const LostTally lost_tally = TallyLostReports(lost, chart.start());
  if (lost_tally.total > 0) {
    absl::StrAppend(&html, "<p id=\"lost\" class=\"fail\">The collector "
                    "refused ", lost_tally.total,
                    " possible reports in the last ", hours,
                    " h before storing them (",
                    HtmlEscape(LostReasonsText(lost_tally.by_reason)),
                    "): they are not on this page, and `pinbake rollout "
                    "check` calls nothing ready while they are in its quiet "
                    "period.</p>\n");
  }
  absl::StrAppend(&html, "<h2>Would-fail reports per hour (last ", hours,
                  " h)</h2>\n<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
                  "width=\"", kWidth, "\" height=\"", kHeight,
                  "\" role=\"img\" aria-label=\"", total_would_fail,
                  " would-fail reports in the last ", hours, " hours\">"
                  "<rect x=\"0\" y=\"0\" width=\"", kWidth, "\" height=\"",
                  kHeight, "\" fill=\"#fafafa\"/>");
  for (int i = 0; i < hours; ++i) {
    const int64_t n = buckets[static_cast<size_t>(i)];
    const double h = static_cast<double>(kHeight - 2 * kPad) * n / peak;
    absl::StrAppend(
        &html, "<rect class=\"bar\" data-count=\"", n, "\" x=\"",
        kPad + i * bar, "\" y=\"", kHeight - kPad - h, "\" width=\"",
        std::max(1.0, bar - 1), "\" height=\"", h, "\" fill=\"#b00020\">"
        "<title>", TimeText(start + absl::Hours(i)), ": ", n,
        "</title></rect>");
  }
  absl::StrAppend(&html, "<text x=\"", kPad, "\" y=\"", kHeight - 8,
                  "\" font-size=\"11\">", TimeText(start), "</text>",
                  "<text x=\"", kWidth - kPad, "\" y=\"", kHeight - 8,
                  "\" font-size=\"11\" text-anchor=\"end\">", TimeText(end),
                  "</text><text x=\"", kPad, "\" y=\"", kPad - 8,
                  "\" font-size=\"11\">peak ", peak, "/h</text></svg>\n");

  html += "<h2>Hosts</h2>\n<table id=\"hosts\"><tr><th>noted host</th>"
          "<th>reports</th><th>first seen</th><th>last seen</th>"
          "<th>chains</th></tr>\n";
  for (const HostSummary& h : summary.hosts) {
    absl::StrAppend(&html, "<tr class=\"host\" data-host=\"",
                    HtmlEscape(h.noted_hostname), "\"><td>",
                    HtmlEscape(h.noted_hostname), "</td><td>", h.reports,
                    "</td><td>", TimeText(h.first_seen), "</td><td>",
                    TimeText(h.last_seen), "</td><td>");
    for (const ChainSummary& c : h.chains) {
      html += "<div class=\"chain\">";
      if (c.judged) {
        absl::StrAppend(&html, "<span class=\"",
                        c.would_fail ? "fail\">would fail: "
                                     : "pass\">passes: ",
                        HtmlEscape(c.why), "</span> ");
      }
      absl::StrAppend(&html, "(", c.reports, " reports)<br>");
      for (size_t i = 0; i < c.spki.size(); ++i) {
        absl::StrAppend(&html, "<code>", SpkiHashToString(c.spki[i]),
                        "</code> ",
                        HtmlEscape(i < c.subjects.size() ? c.subjects[i] : ""),
                        "<br>");
      }
      html += "</div>";
    }
    html += "</td></tr>\n";
  }
  html += "</table>\n</body></html>\n";
  return html;
}

}  // namespace collector
}  // namespace pinbake
