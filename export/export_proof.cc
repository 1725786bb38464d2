#include "export/export_proof.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "export/implied_names.h"

namespace pinbake {

std::string ExportFinding::Text() const {
  if (entry.empty()) return absl::StrCat(location, ": ", message);
  return absl::StrCat(location, " ", entry, ": ", message);
}

std::string EntryLocation(const PinListModel& model, absl::string_view name) {
  for (const HostEntry& entry : model.entries) {
    if (entry.name == name) return entry.location;
  }
  return "entries";
}

namespace {

size_t EntryIndex(const PinListModel& model, absl::string_view name,
                  size_t fallback) {
  for (size_t i = 0; i < model.entries.size(); ++i) {
    if (model.entries[i].name == name) return i;
  }
  return fallback;
}

struct Difference {
  std::string host;
  std::string what;
  std::string ours;
  size_t more = 0;
};

}  // namespace

std::vector<ExportFinding> ProveExport(const PinListModel& model,
                                       const PinList& list,
                                       absl::string_view platform_name,
                                       const AnswerAspects& aspects,
                                       const PlatformResolver& platform) {
  std::map<size_t, Difference> by_entry;
  for (const ImpliedName& name : ImpliedNames(model)) {
    const PlatformAnswer ours = PinbakeAnswer(list, name.host);
    const PlatformAnswer theirs = platform(name.host);
    if (SameAnswer(ours, theirs, aspects)) continue;
    size_t entry = name.entry;
    if (!ours.decided_by.empty()) {
      entry = EntryIndex(model, ours.decided_by, entry);
    } else if (!theirs.decided_by.empty()) {
      entry = EntryIndex(model, theirs.decided_by, entry);
    }
    auto [it, inserted] = by_entry.try_emplace(entry);
    if (!inserted) {
      ++it->second.more;
      continue;
    }
    it->second.host = name.host;
    it->second.what = DescribeDifference(ours, theirs, aspects);
    it->second.ours = DescribeAnswer(ours, aspects);
  }
  std::vector<ExportFinding> findings;
  for (const auto& [index, diff] : by_entry) {
    const HostEntry& entry = model.entries[index];
    std::string message =
        absl::StrCat("for ", diff.host, " ", platform_name, " would ",
                     diff.what, " (pinbake: ", diff.ours, ")");
    if (diff.more > 0) {
      absl::StrAppend(&message, "; ", diff.more,
                      " more name(s) of this entry differ");
    }
    findings.push_back({entry.name, entry.location, std::move(message)});
  }
  return findings;
}

}  // namespace pinbake
