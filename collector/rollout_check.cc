#include "collector/rollout_check.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "collector/report_summary.h"

namespace pinbake {
namespace collector {

const char* RolloutStateName(RolloutState state) {
  switch (state) {
    case RolloutState::kReady:
      return "ready";
    case RolloutState::kBlocked:
      return "blocked";
    case RolloutState::kNoData:
      return "no-data";
    case RolloutState::kFailing:
      return "failing";
  }
  return "?";
}

RolloutTally::RolloutTally(const CurrentList& list,
                           const RolloutOptions& options)
    : list_(list), options_(options), judge_(list) {}

void RolloutTally::Add(const StoredReport& r) {
  const ReportVerdict& v = judge_.Judge(r);
  if (!v.pinned) return;
  EntryTally& t = by_entry_[v.entry];
  t.reports += r.count;
  if (!v.would_fail || r.last_received < options_.now - options_.quiet) {
    return;
  }
  t.recent_would_fail += r.count;
  std::string key;
  for (const SpkiHash& h : r.validated_spki) {
    absl::StrAppend(&key, SpkiHashToString(h), " ");
  }
  FailingChain& chain = t.failing[key];
  if (chain.reports == 0) {
    chain.spki = r.validated_spki;
    chain.subjects = r.validated_subjects;
    chain.why = v.why;
    chain.last_seen = r.last_received;
  }
  chain.reports += r.count;
  chain.last_seen = std::max(chain.last_seen, r.last_received);
}

RolloutResult RolloutTally::Finish() const {
  RolloutResult result;
  for (const HostEntry& e : list_.model.entries) {
    if (!e.has_pins() || e.exclude) continue;
    auto it = by_entry_.find(e.name);
    const EntryTally empty;
    const EntryTally& t = it == by_entry_.end() ? empty : it->second;
    RolloutEntry entry;
    entry.name = e.name;
    entry.mode = e.pin_mode;
    entry.reports = t.reports;
    entry.recent_would_fail = t.recent_would_fail;
    for (const auto& [key, chain] : t.failing) {
      entry.failing_chains.push_back(chain);
    }
    if (e.pin_mode == PinMode::kReportOnly) {
      if (t.recent_would_fail > 0) {
        entry.state = RolloutState::kBlocked;
      } else if (t.reports >= options_.min_reports) {
        entry.state = RolloutState::kReady;
      } else {
        entry.state = RolloutState::kNoData;
      }
    } else {
      if (t.recent_would_fail == 0) continue;  // Enforced and quiet.
      entry.state = RolloutState::kFailing;
    }
    if (entry.state != RolloutState::kReady) result.all_ready = false;
    result.entries.push_back(std::move(entry));
  }
  return result;
}

RolloutResult CheckRollout(const CurrentList& list,
                           const std::vector<StoredReport>& reports,
                           const RolloutOptions& options) {
  RolloutTally tally(list, options);
  for (const StoredReport& r : reports) tally.Add(r);
  return tally.Finish();
}

void NoteLostReports(const std::vector<LostReports>& lost,
                     const RolloutOptions& options, RolloutResult* result) {
  const LostTally tally =
      TallyLostReports(lost, options.now - options.quiet);
  for (const auto& [reason, count] : tally.by_reason) {
    result->lost[reason] += count;
  }
  if (result->lost.empty()) return;
  result->lost_accepted = options.accept_lost;
  if (!options.accept_lost) result->all_ready = false;
}

nlohmann::ordered_json RolloutJson(const RolloutResult& result) {
  using Json = nlohmann::ordered_json;
  Json out;
  out["all_ready"] = result.all_ready;
  Json entries = Json::array();
  for (const RolloutEntry& e : result.entries) {
    Json entry;
    entry["name"] = e.name;
    entry["pin_mode"] = PinModeName(e.mode);
    entry["state"] = RolloutStateName(e.state);
    entry["reports"] = e.reports;
    entry["recent_would_fail_reports"] = e.recent_would_fail;
    Json chains = Json::array();
    for (const FailingChain& c : e.failing_chains) {
      Json chain;
      Json spki = Json::array();
      for (const SpkiHash& s : c.spki) spki.push_back(SpkiHashToString(s));
      chain["spki"] = std::move(spki);
      chain["subjects"] = c.subjects;
      chain["reports"] = c.reports;
      chain["why"] = c.why;
      chain["last_seen"] = TimeText(c.last_seen);
      chains.push_back(std::move(chain));
    }
    entry["failing_chains"] = std::move(chains);
    entries.push_back(std::move(entry));
  }
  out["entries"] = std::move(entries);
  Json lost = Json::object();
  for (const auto& [reason, count] : result.lost) lost[reason] = count;
  out["lost_reports"] = std::move(lost);
  out["lost_reports_accepted"] = result.lost_accepted;
  return out;
}

std::string RolloutText(const RolloutResult& result) {
  std::string out;
  for (const RolloutEntry& e : result.entries) {
    absl::StrAppend(&out, RolloutStateName(e.state), "  ", e.name, " (",
                    PinModeName(e.mode), ", ", e.reports, " reports, ",
                    e.recent_would_fail, " would fail recently)\n");
    for (const FailingChain& c : e.failing_chains) {
      absl::StrAppend(&out, "    chain (", c.reports, " reports, last ",
                      TimeText(c.last_seen), "): ", c.why, "\n");
      for (size_t i = 0; i < c.spki.size(); ++i) {
        absl::StrAppend(&out, "      ", SpkiHashToString(c.spki[i]), "  ",
                        i < c.subjects.size() ? c.subjects[i] : "", "\n");
      }
    }
  }
  if (!result.lost.empty()) {
    int64_t total = 0;
    for (const auto& [reason, count] : result.lost) total += count;
    absl::StrAppend(
        &out, "lost: the collector refused ", total,
        " possible reports in the quiet period (",
        LostReasonsText(result.lost), "); ",
        result.lost_accepted
            ? "accepted with --accept-lost\n"
            : "a would-fail report may be among them, so no entry counts "
              "as ready: find out why (pinbake_collector_refused_total on "
              "/metrics), then pass --accept-lost\n");
  }
  absl::StrAppend(&out, result.all_ready ? "all entries ready\n"
                                         : "not every entry is ready\n");
  return out;
}

}  // namespace collector
}  // namespace pinbake
