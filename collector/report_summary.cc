#include "collector/report_summary.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace pinbake {
namespace collector {

std::string TimeText(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

namespace {

std::string ChainKey(const std::vector<SpkiHash>& spki) {
  std::vector<std::string> parts;
  for (const SpkiHash& h : spki) parts.push_back(SpkiHashToString(h));
  return absl::StrJoin(parts, " ");
}

}  // namespace

ReportSummarizer::ReportSummarizer(const CurrentList* list) : list_(list) {}

const ChainSummary& ReportSummarizer::Add(const StoredReport& r) {
  reports_ += r.count;
  HostState& state = hosts_[r.noted_hostname];
  HostSummary& host = state.host;
  if (host.reports == 0) {
    host.noted_hostname = r.noted_hostname;
    host.first_seen = r.first_received;
    host.last_seen = r.last_received;
  }
  host.reports += r.count;
  host.first_seen = std::min(host.first_seen, r.first_received);
  host.last_seen = std::max(host.last_seen, r.last_received);
  ChainSummary& chain = state.chains[ChainKey(r.validated_spki)];
  if (chain.reports == 0) {
    chain.spki = r.validated_spki;
    chain.subjects = r.validated_subjects;
    chain.first_seen = r.first_received;
    chain.last_seen = r.last_received;
    if (list_ != nullptr) {
      ReportVerdict v = JudgeReport(*list_, r);
      chain.judged = true;
      chain.would_fail = v.would_fail;
      chain.why = v.why;
    }
  }
  chain.reports += r.count;
  chain.first_seen = std::min(chain.first_seen, r.first_received);
  chain.last_seen = std::max(chain.last_seen, r.last_received);
  return chain;
}

ReportSummary ReportSummarizer::Finish() && {
  ReportSummary summary;
  summary.judged = list_ != nullptr;
  summary.reports = reports_;
  for (auto& [name, state] : hosts_) {
    HostSummary& host = state.host;
    for (auto& [key, chain] : state.chains) {
      if (chain.would_fail) {
        ++host.would_fail_chains;
        host.would_fail_reports += chain.reports;
      }
      host.chains.push_back(std::move(chain));
    }
    std::stable_sort(host.chains.begin(), host.chains.end(),
                     [](const ChainSummary& a, const ChainSummary& b) {
                       return a.reports > b.reports;
                     });
    summary.hosts.push_back(std::move(host));
  }
  hosts_.clear();
  return summary;
}

ReportSummary SummarizeReports(const std::vector<StoredReport>& reports,
                               const CurrentList* list) {
  ReportSummarizer summarizer(list);
  for (const StoredReport& r : reports) summarizer.Add(r);
  return std::move(summarizer).Finish();
}

nlohmann::ordered_json SummaryJson(const ReportSummary& summary) {
  using Json = nlohmann::ordered_json;
  Json out;
  out["judged_against_list"] = summary.judged;
  out["reports"] = summary.reports;
  Json hosts = Json::array();
  for (const HostSummary& h : summary.hosts) {
    Json host;
    host["noted_hostname"] = h.noted_hostname;
    host["reports"] = h.reports;
    host["first_seen"] = TimeText(h.first_seen);
    host["last_seen"] = TimeText(h.last_seen);
    host["distinct_chains"] = h.chains.size();
    if (summary.judged) {
      host["would_fail_chains"] = h.would_fail_chains;
      host["would_fail_reports"] = h.would_fail_reports;
    }
    Json chains = Json::array();
    for (const ChainSummary& c : h.chains) {
      Json chain;
      Json spki = Json::array();
      for (const SpkiHash& s : c.spki) spki.push_back(SpkiHashToString(s));
      chain["spki"] = std::move(spki);
      chain["subjects"] = c.subjects;
      chain["reports"] = c.reports;
      chain["first_seen"] = TimeText(c.first_seen);
      chain["last_seen"] = TimeText(c.last_seen);
      if (c.judged) {
        chain["would_fail"] = c.would_fail;
        chain["why"] = c.why;
      }
      chains.push_back(std::move(chain));
    }
    host["chains"] = std::move(chains);
    hosts.push_back(std::move(host));
  }
  out["hosts"] = std::move(hosts);
  return out;
}

std::string SummaryText(const ReportSummary& summary) {
  std::string out = absl::StrCat(summary.reports, " reports, ",
                                 summary.hosts.size(), " hosts\n");
  for (const HostSummary& h : summary.hosts) {
    absl::StrAppend(&out, "\n", h.noted_hostname, ": ", h.reports,
                    " reports, ", h.chains.size(), " distinct chains, ",
                    TimeText(h.first_seen), " .. ", TimeText(h.last_seen));
    if (summary.judged) {
      absl::StrAppend(&out, ", ", h.would_fail_chains,
                      " would fail the current list");
    }
    out += "\n";
    for (const ChainSummary& c : h.chains) {
      absl::StrAppend(&out, "  chain (", c.reports, " reports)");
      if (c.judged) {
        absl::StrAppend(&out, c.would_fail ? ": WOULD FAIL: " : ": passes: ",
                        c.why);
      }
      out += "\n";
      for (size_t i = 0; i < c.spki.size(); ++i) {
        absl::StrAppend(&out, "    ", SpkiHashToString(c.spki[i]), "  ",
                        i < c.subjects.size() ? c.subjects[i] : "", "\n");
      }
    }
  }
  return out;
}

}  // namespace collector
}  // namespace pinbake
