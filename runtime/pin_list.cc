#include "runtime/pin_list.h"

#include <cstring>

namespace pinbake {

absl::StatusOr<PinList> PinList::FromBytes(absl::string_view bytes) {
  absl::StatusOr<TableReader> table = TableReader::Open(bytes);
  if (!table.ok()) return table.status();
  return PinList(*table);
}

LookupResult PinList::Lookup(absl::string_view host) const {
  LookupResult result;
  result.error = CanonicalizeHost(host, &result.canonical);
  if (!result.valid()) return result;
  const absl::string_view name = result.canonical.view();

  // 1. The exact entry always covers.
  if (std::optional<HostRule> exact = table_.FindEntry(name)) {
    result.pin_rule = exact;
    result.hsts_rule = exact;
    return result;
  }

  const size_t first_dot = name.find('.');
  if (first_dot == absl::string_view::npos) return result;  // A TLD itself.
  const absl::string_view parent = name.substr(first_dot + 1);

  // 2. "*.parent" always covers. Built in a stack buffer: no allocation.
  char wildcard[kMaxHostNameLength + 2];
  wildcard[0] = '*';
  wildcard[1] = '.';
  std::memcpy(wildcard + 2, parent.data(), parent.size());
  if (std::optional<HostRule> rule = table_.FindEntry(
          absl::string_view(wildcard, parent.size() + 2))) {
    result.pin_rule = rule;
    result.hsts_rule = rule;
    return result;
  }

  // 3. Proper ancestors, nearest first; each decides what it covers.
  absl::string_view ancestor = parent;
  while (!result.pin_rule.has_value() || !result.hsts_rule.has_value()) {
    if (std::optional<HostRule> rule = table_.FindEntry(ancestor)) {
      if (!result.pin_rule && rule->covers_subdomains_for_pins()) {
        result.pin_rule = rule;
      }
      if (!result.hsts_rule && rule->covers_subdomains_for_hsts()) {
        result.hsts_rule = rule;
      }
    }
    const size_t dot = ancestor.find('.');
    if (dot == absl::string_view::npos) break;
    ancestor.remove_prefix(dot + 1);
  }
  return result;
}

}  // namespace pinbake
