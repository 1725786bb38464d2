#include "runtime/pin_list.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "format/name_key.h"
#include "format/table_format.h"

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
  Resolve(host, &result);
  if (result.pinned()) {
    result.pinset =
        table_.pinset(static_cast<size_t>(result.pin_rule->pinset_index));
  }
  return result;
}

void PinList::Resolve(absl::string_view host, LookupResult* out) const {
  LookupResult& result = *out;
  result.error = CanonicalizeHost(host, &result.canonical);
  if (!result.valid()) return;
  const absl::string_view name = result.canonical.view();

  // The host's key; label_start[j] is where the host's (j+1)-th label from
  // the right starts, so the key of its last j+1 labels is the first
  // name.size() - label_start[j] symbols of the key.
  uint8_t key[name_key::kMaxKeyLength];
  uint16_t label_start[name_key::kMaxKeyLabels];
  int labels = 0;
  const size_t length = name_key::KeyOf(name, key, label_start, &labels);
  if (length == 0) return;  // Not reached for a canonical host.

  // No entry for the host's top label or first two labels: nothing can
  // decide it (a filter that is exact when it says so).
  if (!table_.MayDecide(key, name.size() - label_start[0],
                        labels >= 2 ? name.size() - label_start[1] : 0)) {
    return;
  }
  KeyMatch match;
  table_.Find(key, length, &match);
  if (!match.found) return;  // Every entry is above the host.

  // 1. The exact entry always covers.
  if (match.exact) {
    const HostRule rule = table_.KindRule(table_.entry_info(match.entry).kind);
    result.pin_rule = rule;
    result.hsts_rule = rule;
    return;
  }

  // 2. "*.parent" always covers. Its key is the parent's key, a separator
  // and kSymStar (below every label symbol), so it lies between the
  // host's key and every key that does not start with the parent's key and
  // a separator: if it is an entry, the predecessor shares at least
  // parent_length + 1 symbols with the host's key. Only then is it
  // searched for.
  if (labels >= 2 && table_.wildcard_count() > 0) {
    const size_t parent_length = name.size() - label_start[labels - 2];
    const size_t wildcard_length = parent_length + 2;
    if (match.common > parent_length &&
        wildcard_length <= name_key::kMaxKeyLength) {
      uint8_t wildcard[name_key::kMaxKeyLength];
      std::memcpy(wildcard, key, parent_length);
      wildcard[parent_length] = name_key::kSymSeparator;
      wildcard[parent_length + 1] = name_key::kSymStar;
      KeyMatch other;
      table_.Find(wildcard, wildcard_length, &other);
      if (other.exact) {
        const HostRule rule =
            table_.KindRule(table_.entry_info(other.entry).kind);
        const RuleNamePosition at{label_start[labels - 2], /*wildcard=*/true};
        result.pin_rule = rule;
        result.hsts_rule = rule;
        result.pin_rule_at = at;
        result.hsts_rule_at = at;
        return;
      }
    }
  }

  // 3. Proper ancestors, nearest first; each decides what it covers. Every
  // entry that is an ancestor of the host lies between it and the
  // predecessor in key order, so it starts the predecessor's key at a
  // label boundary: it is the predecessor or one of its ancestors (the
  // chain recorded at Open). Of those, the ancestors of the host are the
  // ones whose key is a prefix of the host's that the predecessor shares
  // (length <= common) and that ends where a host label does (a separator
  // follows in the host's key); that label starts name.size() - length
  // bytes into the name.
  uint32_t entry = match.entry;
  // Each step moves to an entry of fewer labels: at most kMaxKeyLabels.
  for (int step = 0; step <= name_key::kMaxKeyLabels; ++step) {
    const TableReader::EntryInfo info = table_.entry_info(entry);
    const size_t entry_length = info.length;
    if (entry_length < length && entry_length <= match.common &&
        key[entry_length] == name_key::kSymSeparator) {
      const HostRule rule = table_.KindRule(info.kind);
      const RuleNamePosition at{
          static_cast<uint16_t>(name.size() - entry_length), false};
      if (!result.pin_rule && rule.covers_subdomains_for_pins()) {
        result.pin_rule = rule;
        result.pin_rule_at = at;
      }
      if (!result.hsts_rule && rule.covers_subdomains_for_hsts()) {
        result.hsts_rule = rule;
        result.hsts_rule_at = at;
      }
      if (result.pin_rule && result.hsts_rule) break;
    }
    if (info.ancestor == 0 || info.ancestor > entry) break;
    entry = info.ancestor - 1;
  }
}

}  // namespace pinbake
