#include "runtime/pin_list.h"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

namespace {

// Resolves the canonical host `name` with the table's name index: one
// probe per candidate (the host, "*.parent", each proper ancestor), as a
// hash map resolver does; every hit confirmed against the stored name
// (TableReader::EntryIs), every miss exact (NameIndex::Find). Candidates
// with a label count that no entry has are not probed (no entry can be
// them). Returns false, having changed nothing, if that leaves more than
// kMaxProbes probes (a list with entries of many label counts and a host
// of many labels): the caller then searches the sorted names, whose cost
// does not grow with the labels.
constexpr int kMaxProbes = 12;

bool ResolveIndexed(const TableReader& table, const NameIndex& index,
                    absl::string_view name, LookupResult* out) {
  LookupResult& result = *out;
  const size_t size = name.size();  // At most kMaxHostNameLength.
  // The name with 8 bytes before it (NameHasher::ExtendLabel's loads) and
  // 16 zero bytes after it (the dot search's loads).
  uint8_t padded[8 + kMaxHostNameLength + 16];
  std::memset(padded, 0, 8);
  std::memcpy(padded + 8, name.data(), size);
  std::memset(padded + 8 + size, 0, 16);
  const uint8_t* data = padded + 8;
  // Where the dots are: bit i of dots[i / 64] for byte i.
  uint64_t dots[4] = {0, 0, 0, 0};
#if defined(__SSE2__)
  const __m128i dot = _mm_set1_epi8('.');
  for (size_t off = 0; off < size; off += 16) {
    const __m128i bytes =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + off));
    const uint64_t mask = static_cast<uint32_t>(
        _mm_movemask_epi8(_mm_cmpeq_epi8(bytes, dot)));
    dots[off / 64] |= mask << (off % 64);
  }
#else
  for (size_t i = 0; i < size; ++i) {
    dots[i / 64] |= static_cast<uint64_t>(data[i] == '.') << (i % 64);
  }
#endif
  // The candidates: the host itself and "*.parent" (both of the host's
  // label count) and its proper ancestors (j + 1 labels for j below it).
  // Only label counts that some entry has need a probe, so only the last
  // max_entry_labels labels need a hash.
  const uint64_t* counts = table.label_counts();
  auto has_count = [counts](int n) {
    return ((counts[n / 64] >> (n % 64)) & 1) != 0;
  };
  const int most = table.max_entry_labels();

  // hashes[j]: the hash of the host's last j+1 labels, which start at
  // starts[j]; one pass from the right, a dot at a time, as far as needed.
  const NameHasher& hasher = table.name_hasher();
  uint64_t hashes[name_key::kMaxKeyLabels];
  uint16_t starts[name_key::kMaxKeyLabels];
  uint64_t h = hasher.Empty();
  size_t end = size;
  int hashed = 0;
  bool whole = false;  // Whether every label of the host was hashed.
  for (int w = static_cast<int>((size - 1) / 64); hashed < most;) {
    while (w >= 0 && dots[w] == 0) --w;
    size_t begin = 0;
    if (w >= 0) {
      const size_t at = static_cast<size_t>(w) * 64 + 63 -
                        static_cast<size_t>(__builtin_clzll(dots[w]));
      dots[w] &= ~(uint64_t{1} << (at % 64));
      begin = at + 1;
    }
    if (begin >= end) return true;  // An empty label: not canonical.
    h = hasher.ExtendLabel(h, data, begin, end);
    if (has_count(hashed + 1)) index.Prefetch(h);
    starts[hashed] = static_cast<uint16_t>(begin);
    hashes[hashed++] = h;
    if (begin == 0) {
      whole = true;
      break;
    }
    end = begin - 1;
  }
  // The host's label count if whole; otherwise it has more labels than
  // any entry, and neither it nor "*.parent" can be an entry.
  const int labels = hashed;
  const bool host_probes = whole && has_count(labels);
  if (table.label_count_kinds() >= kMaxProbes) {
    // Entries of many label counts: bound the probes of this host.
    int probes = host_probes ? 2 : 0;
    for (int n = 1; n < labels || (!whole && n == labels); ++n) {
      probes += has_count(n) ? 1 : 0;
    }
    if (probes > kMaxProbes) return false;
  }

  // The host's key, made only when a probe needs to confirm a hit; the key
  // of its last j+1 labels is its first size - starts[j] symbols.
  uint8_t key[name_key::kMaxKeyLength + 16];
  bool keyed = false;
  auto host_key = [&]() -> const uint8_t* {
    if (!keyed) {
      // The key of the hashed suffix (the first size - starts[hashed-1]
      // symbols of the host's key: all that any probe compares).
      const size_t suffix = starts[hashed - 1];
      uint16_t relative[name_key::kMaxKeyLabels];
      for (int j = 0; j < hashed; ++j) relative[j] = starts[j] - suffix;
      name_key::KeyOfLabels(name.data() + suffix, size - suffix, relative,
                            hashed, key);
      keyed = true;
    }
    return key;
  };

  // 1. The exact entry always covers.
  if (host_probes) {
    const int64_t exact = index.Find(hashes[labels - 1], [&](uint32_t e) {
      return table.EntryIs(e, host_key(), size);
    });
    if (exact >= 0) {
      const HostRule rule = table.EntryRule(static_cast<uint32_t>(exact));
      result.pin_rule = rule;
      result.hsts_rule = rule;
      return true;
    }
  }
  // 2. "*.parent" always covers.
  if (labels >= 2 && host_probes && table.wildcard_count() > 0) {
    static constexpr uint8_t kStar[9] = {0, 0, 0, 0, 0, 0, 0, 0, '*'};
    const uint64_t wildcard_hash =
        hasher.ExtendLabel(hashes[labels - 2], kStar + 8, 0, 1);
    const size_t parent_length = size - starts[labels - 2];
    const int64_t wildcard = index.Find(wildcard_hash, [&](uint32_t e) {
      uint8_t wildcard_key[name_key::kMaxKeyLength];
      std::memcpy(wildcard_key, host_key(), parent_length);
      wildcard_key[parent_length] = name_key::kSymSeparator;
      wildcard_key[parent_length + 1] = name_key::kSymStar;
      return table.EntryIs(e, wildcard_key, parent_length + 2);
    });
    if (wildcard >= 0) {
      const HostRule rule = table.EntryRule(static_cast<uint32_t>(wildcard));
      const RuleNamePosition at{starts[labels - 2], /*wildcard=*/true};
      result.pin_rule = rule;
      result.hsts_rule = rule;
      result.pin_rule_at = at;
      result.hsts_rule_at = at;
      return true;
    }
  }
  // 3. Proper ancestors, nearest first; each decides what it covers.
  for (int j = whole ? labels - 2 : labels - 1; j >= 0; --j) {
    if (!has_count(j + 1)) continue;
    const size_t length = size - starts[j];
    const int64_t entry = index.Find(hashes[j], [&](uint32_t e) {
      return table.EntryIs(e, host_key(), length);
    });
    if (entry < 0) continue;
    const HostRule rule = table.EntryRule(static_cast<uint32_t>(entry));
    const RuleNamePosition at{starts[j], false};
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
  return true;
}

}  // namespace

void PinList::Resolve(absl::string_view host, LookupResult* out) const {
  LookupResult& result = *out;
  result.error = CanonicalizeHost(host, &result.canonical);
  if (!result.valid()) return;
  const absl::string_view name = result.canonical.view();
  if (const NameIndex* index = table_.name_index()) {
    if (ResolveIndexed(table_, *index, name, out)) return;
  }

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
