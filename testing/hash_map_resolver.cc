#include "testing/hash_map_resolver.h"

#include "absl/strings/str_cat.h"

namespace pinbake {

void HashMapResolver::Add(absl::string_view name, const HostRule& rule) {
  rules_.emplace(std::string(name), rule);
}

absl::StatusOr<HashMapResolver> HashMapResolver::FromTable(
    const TableReader& table) {
  absl::StatusOr<std::vector<std::pair<std::string, HostRule>>> entries =
      table.Entries();
  if (!entries.ok()) return entries.status();
  HashMapResolver resolver;
  for (const auto& [name, rule] : *entries) resolver.Add(name, rule);
  return resolver;
}

const std::pair<const std::string, HostRule>* HashMapResolver::Find(
    absl::string_view name) const {
  auto it = rules_.find(name);
  return it == rules_.end() ? nullptr : &*it;
}

ReferenceAnswer HashMapResolver::Lookup(absl::string_view host) const {
  ReferenceAnswer answer;
  CanonicalHost canonical;
  answer.error = CanonicalizeHost(host, &canonical);
  if (answer.error != HostError::kNone) return answer;
  const absl::string_view name = canonical.view();
  answer.canonical = std::string(name);

  auto decide_both = [&answer](const std::pair<const std::string, HostRule>* e) {
    answer.pin_rule = answer.hsts_rule = e->second;
    answer.pin_rule_name = answer.hsts_rule_name = e->first;
  };
  // 1. Exact entry.
  if (const auto* exact = Find(name)) {
    decide_both(exact);
    return answer;
  }
  const size_t dot = name.find('.');
  if (dot == absl::string_view::npos) return answer;
  // 2. "*.parent".
  char wildcard[kMaxHostNameLength + 2] = {'*', '.'};
  const absl::string_view parent = name.substr(dot + 1);
  parent.copy(wildcard + 2, parent.size());
  if (const auto* w = Find(absl::string_view(wildcard, parent.size() + 2))) {
    decide_both(w);
    return answer;
  }
  // 3. Ancestors, nearest first.
  for (absl::string_view ancestor = parent;;) {
    if (const auto* e = Find(ancestor)) {
      if (!answer.pin_rule && e->second.covers_subdomains_for_pins()) {
        answer.pin_rule = e->second;
        answer.pin_rule_name = e->first;
      }
      if (!answer.hsts_rule && e->second.covers_subdomains_for_hsts()) {
        answer.hsts_rule = e->second;
        answer.hsts_rule_name = e->first;
      }
    }
    const size_t next = ancestor.find('.');
    if (next == absl::string_view::npos) break;
    ancestor.remove_prefix(next + 1);
  }
  return answer;
}

size_t HashMapResolver::ApproximateBytes() const {
  const size_t slots = rules_.capacity();
  size_t bytes = slots * (sizeof(std::pair<const std::string, HostRule>) + 1);
  for (const auto& [name, rule] : rules_) {
    if (name.capacity() > 15) bytes += name.capacity() + 1;  // Beyond SSO.
  }
  return bytes;
}

}  // namespace pinbake
