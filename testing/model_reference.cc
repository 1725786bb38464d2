#include "testing/model_reference.h"

#include <string>

#include "absl/container/flat_hash_map.h"

namespace pinbake {

HashMapResolver ReferenceFromModel(const PinListModel& model,
                                   const TableReader& table) {
  absl::flat_hash_map<std::string, int> pinset_index;
  for (size_t i = 0; i < table.pinset_count(); ++i) {
    pinset_index[std::string(table.pinset(i).name())] = static_cast<int>(i);
  }
  HashMapResolver resolver;
  for (const HostEntry& e : model.entries) {
    HostRule rule;
    rule.settings() = e.settings();
    rule.is_wildcard = e.is_wildcard();
    rule.pinset_index = e.has_pins() ? pinset_index.at(e.pinset) : -1;
    resolver.Add(e.name, rule);
  }
  return resolver;
}

}  // namespace pinbake
