#include "export/implied_names.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "format/host_name.h"

namespace pinbake {

std::vector<ImpliedName> ImpliedNames(const PinListModel& model) {
  std::map<std::string, size_t> first_entry;
  auto add = [&](const std::string& host, size_t entry) {
    CanonicalHost canonical;
    if (CanonicalizeHost(host, &canonical) != HostError::kNone) return;
    if (canonical.view() != host) return;
    first_entry.emplace(host, entry);
  };
  for (size_t i = 0; i < model.entries.size(); ++i) {
    absl::string_view name = model.entries[i].name;
    if (IsWildcardName(name)) name.remove_prefix(2);
    const std::string base(name);
    add(base, i);
    add(absl::StrCat(kSampleLabel, ".", base), i);
    add(absl::StrCat("a.", kSampleLabel, ".", base), i);
    for (size_t dot = base.find('.'); dot != std::string::npos;
         dot = base.find('.', dot + 1)) {
      add(base.substr(dot + 1), i);
    }
  }
  std::vector<ImpliedName> names;
  names.reserve(first_entry.size());
  for (const auto& [host, entry] : first_entry) names.push_back({host, entry});
  return names;
}

}  // namespace pinbake
