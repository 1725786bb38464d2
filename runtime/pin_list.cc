#include "runtime/pin_list.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "runtime/host_hash.h"
#include "runtime/table_format.h"

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
  const uint64_t seed = table_.hash_seed();
  const int max_labels = table_.max_entry_labels();

  // One pass from the last label to the first hashes every suffix that
  // starts a label: suffix_state[k] is the hash state of the suffix made of
  // the last k+1 labels, which starts at byte suffix_start[k]. No entry has
  // more than max_labels labels, so the pass stops there: longer suffixes
  // cannot be in the table. Fixed arrays on the stack (at most 127 labels).
  uint64_t suffix_state[table_format::kMaxLabels];
  size_t suffix_start[table_format::kMaxLabels];
  int labels = 0;
  bool whole_name = false;  // Whether every label of the host was hashed.
  uint64_t state = host_hash::Start(seed);
  for (size_t end = name.size(); labels < max_labels;) {
    const void* dot = end == 0 ? nullptr : memrchr(name.data(), '.', end);
    const size_t begin =
        dot == nullptr ? 0 : static_cast<const char*>(dot) - name.data() + 1;
    state = host_hash::PushLabel(state, name.substr(begin, end - begin));
    suffix_state[labels] = state;
    suffix_start[labels] = begin;
    ++labels;
    if (begin == 0) {
      whole_name = true;
      break;
    }
    end = begin - 1;
  }
  // The hash of the suffix of the last k+1 labels.
  auto suffix_hash = [&](int k) {
    return host_hash::Finish(suffix_state[k], name.size() - suffix_start[k]);
  };

  // The exact and wildcard names have as many labels as the host: they can
  // only be in the table if the whole name was hashed.
  if (whole_name) {
    // 1. The exact entry always covers.
    if (std::optional<HostRule> exact =
            table_.FindByHash(suffix_hash(labels - 1), /*wildcard=*/false)) {
      result.pin_rule = exact;
      result.hsts_rule = exact;
      return result;
    }
    if (labels < 2) return result;  // A TLD has no parent.
    // 2. "*.parent" always covers: the parent's state with the label "*".
    const int parent = labels - 2;
    const uint64_t wildcard_state =
        host_hash::PushLabel(suffix_state[parent], "*");
    const size_t wildcard_length = name.size() - suffix_start[parent] + 2;
    if (std::optional<HostRule> rule = table_.FindByHash(
            host_hash::Finish(wildcard_state, wildcard_length),
            /*wildcard=*/true)) {
      const RuleNamePosition at{static_cast<uint16_t>(suffix_start[parent]),
                                /*wildcard=*/true};
      result.pin_rule = rule;
      result.hsts_rule = rule;
      result.pin_rule_at = at;
      result.hsts_rule_at = at;
      return result;
    }
  }

  // 3. Proper ancestors, nearest first; each decides what it covers.
  for (int k = whole_name ? labels - 2 : labels - 1; k >= 0; --k) {
    if (result.pin_rule.has_value() && result.hsts_rule.has_value()) break;
    std::optional<HostRule> rule =
        table_.FindByHash(suffix_hash(k), /*wildcard=*/false);
    if (!rule.has_value()) continue;
    const RuleNamePosition at{static_cast<uint16_t>(suffix_start[k]), false};
    if (!result.pin_rule && rule->covers_subdomains_for_pins()) {
      result.pin_rule = rule;
      result.pin_rule_at = at;
    }
    if (!result.hsts_rule && rule->covers_subdomains_for_hsts()) {
      result.hsts_rule = rule;
      result.hsts_rule_at = at;
    }
  }
  return result;
}

}  // namespace pinbake
