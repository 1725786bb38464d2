#include "compiler/model_from_table.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace pinbake {

absl::StatusOr<PinListModel> ModelFromTable(const TableReader& table) {
  absl::StatusOr<std::vector<std::pair<std::string, HostRule>>> entries =
      table.Entries();
  if (!entries.ok()) return entries.status();

  PinListModel model;
  model.list.version = table.list_version();
  model.list.timestamp = table.timestamp();
  model.list.max_age_days = static_cast<int32_t>(table.max_age_days());
  model.list.list_id = std::string(table.list_id());

  model.pinsets.reserve(table.pinset_count());
  for (size_t i = 0; i < table.pinset_count(); ++i) {
    const PinsetView view = table.pinset(i);
    Pinset p;
    p.name = std::string(view.name());
    p.good.reserve(view.good_count());
    for (size_t j = 0; j < view.good_count(); ++j) p.good.push_back(view.good(j));
    p.bad.reserve(view.bad_count());
    for (size_t j = 0; j < view.bad_count(); ++j) p.bad.push_back(view.bad(j));
    p.report_uri = std::string(view.report_uri());
    p.location = absl::StrCat("pinsets[", i, "]");
    model.pinsets.push_back(std::move(p));
  }

  model.entries.reserve(entries->size());
  for (size_t i = 0; i < entries->size(); ++i) {
    auto& [name, rule] = (*entries)[i];
    HostEntry e;
    e.name = std::move(name);
    e.location = absl::StrCat("entries[", i, "]");
    e.settings() = rule.settings();
    if (rule.has_pins()) {
      e.pinset = std::string(
          table.pinset(static_cast<size_t>(rule.pinset_index)).name());
    }
    e.exclude = !e.force_https && !e.has_pins();
    model.entries.push_back(std::move(e));
  }
  return model;
}

}  // namespace pinbake
