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

namespace {

// The length of the key prefix made of the first `labels` labels of `key`
// (a key of more labels than that).
size_t PrefixOfLabels(const uint8_t* key, size_t length, int labels) {
  int seen = 0;
  for (size_t i = 0; i < length; ++i) {
    if (key[i] == name_key::kSymSeparator && ++seen == labels) return i;
  }
  return length;
}

}  // namespace

LookupResult PinList::Lookup(absl::string_view host) const {
  LookupResult result;
  result.error = CanonicalizeHost(host, &result.canonical);
  if (!result.valid()) return result;
  const absl::string_view name = result.canonical.view();

  // The host's key; label_start[j] is where the host's (j+1)-th label from
  // the right starts, so the key of its last j+1 labels is the first
  // name.size() - label_start[j] symbols of the key.
  uint8_t key[name_key::kMaxKeyLength];
  uint16_t label_start[name_key::kMaxKeyLabels];
  int labels = 0;
  const size_t length = name_key::KeyOf(name, key, label_start, &labels);
  if (length == 0) return result;  // Not reached for a canonical host.

  KeySearch search;
  table_.Search(key, length, &search);

  // 1. The exact entry always covers.
  if (search.found && search.length() == length && search.common == length) {
    const HostRule rule =
        table_.KindRule(search.chain[search.chain_size - 1].kind);
    result.pin_rule = rule;
    result.hsts_rule = rule;
    return result;
  }

  KeySearch other;
  // 2. "*.parent" always covers. Only tables with wildcard entries pay for
  // the second search.
  if (labels >= 2 && table_.wildcard_count() > 0) {
    const size_t parent_length = name.size() - label_start[labels - 2];
    uint8_t wildcard[name_key::kMaxKeyLength + 2];
    std::memcpy(wildcard, key, parent_length);
    wildcard[parent_length] = name_key::kSymSeparator;
    wildcard[parent_length + 1] = name_key::kSymStar;
    const size_t wildcard_length = parent_length + 2;
    if (wildcard_length <= name_key::kMaxKeyLength) {
      table_.Search(wildcard, wildcard_length, &other);
      if (other.found && other.length() == wildcard_length &&
          other.common == wildcard_length) {
        const HostRule rule =
            table_.KindRule(other.chain[other.chain_size - 1].kind);
        const RuleNamePosition at{label_start[labels - 2], /*wildcard=*/true};
        result.pin_rule = rule;
        result.hsts_rule = rule;
        result.pin_rule_at = at;
        result.hsts_rule_at = at;
        return result;
      }
    }
  }
  if (!search.found) return result;

  // 3. Proper ancestors, nearest first; each decides what it covers. Every
  // entry that is an ancestor of the host is a label-boundary prefix of the
  // host's key, hence of the predecessor's: it is on the predecessor's
  // chain, which its block's decode gave up to the first entry whose own
  // nearest ancestor lies in an earlier block; that one is searched for.
  uint8_t predecessor[name_key::kMaxKeyLength];
  const size_t predecessor_length = search.length();
  std::memcpy(predecessor, search.key(), predecessor_length);
  const size_t common = search.common;
  const KeySearch* chain = &search;
  int index = search.chain_size - 1;
  int ancestor_labels = 0;
  int previous_labels = name_key::kMaxKeyLabels + 1;
  // Each step moves to an entry with fewer labels, so at most 128 steps.
  while (!(result.pin_rule.has_value() && result.hsts_rule.has_value())) {
    if (index < 0) {
      if (ancestor_labels == 0) break;
      const size_t ancestor_length =
          PrefixOfLabels(predecessor, predecessor_length, ancestor_labels);
      table_.Search(predecessor, ancestor_length, &other);
      if (!other.found || other.length() != ancestor_length ||
          other.common != ancestor_length) {
        break;  // Only over bytes changed after Open.
      }
      chain = &other;
      index = other.chain_size - 1;
    }
    const KeySearch::Link link = chain->chain[index];
    if (link.labels >= previous_labels || link.labels == 0) break;
    previous_labels = link.labels;
    if (link.length < length && link.length <= common &&
        key[link.length] == name_key::kSymSeparator) {
      const HostRule rule = table_.KindRule(link.kind);
      const RuleNamePosition at{label_start[link.labels - 1], false};
      if (!result.pin_rule && rule.covers_subdomains_for_pins()) {
        result.pin_rule = rule;
        result.pin_rule_at = at;
      }
      if (!result.hsts_rule && rule.covers_subdomains_for_hsts()) {
        result.hsts_rule = rule;
        result.hsts_rule_at = at;
      }
    }
    ancestor_labels = table_.KindAncestorLabels(link.kind);
    if (ancestor_labels == 0) break;
    --index;
  }
  return result;
}

}  // namespace pinbake
