#include "runtime/pin_list.h"

#include <cstring>

#include "absl/strings/str_cat.h"

namespace pinbake {

std::string LookupResult::RuleName(const std::optional<HostRule>& rule,
                                   RuleNamePosition at) const {
  if (!rule.has_value()) return "";
  const absl::string_view suffix = canonical.view().substr(at.suffix_offset);
  return at.wildcard ? absl::StrCat("*.", suffix) : std::string(suffix);
}

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
  const RuleNamePosition parent_at{static_cast<uint16_t>(first_dot + 1),
                                   /*wildcard=*/true};

  // 2. "*.parent" always covers. Built in a stack buffer: no allocation.
  char wildcard[kMaxHostNameLength + 2];
  wildcard[0] = '*';
  wildcard[1] = '.';
  std::memcpy(wildcard + 2, parent.data(), parent.size());
  if (std::optional<HostRule> rule = table_.FindEntry(
          absl::string_view(wildcard, parent.size() + 2))) {
    result.pin_rule = rule;
    result.hsts_rule = rule;
    result.pin_rule_at = parent_at;
    result.hsts_rule_at = parent_at;
    return result;
  }

  // 3. Proper ancestors, nearest first; each decides what it covers.
  size_t offset = first_dot + 1;
  while (!result.pin_rule.has_value() || !result.hsts_rule.has_value()) {
    const absl::string_view ancestor = name.substr(offset);
    const RuleNamePosition at{static_cast<uint16_t>(offset), false};
    if (std::optional<HostRule> rule = table_.FindEntry(ancestor)) {
      if (!result.pin_rule && rule->covers_subdomains_for_pins()) {
        result.pin_rule = rule;
        result.pin_rule_at = at;
      }
      if (!result.hsts_rule && rule->covers_subdomains_for_hsts()) {
        result.hsts_rule = rule;
        result.hsts_rule_at = at;
      }
    }
    const size_t dot = ancestor.find('.');
    if (dot == absl::string_view::npos) break;
    offset += dot + 1;
  }
  return result;
}

}  // namespace pinbake
