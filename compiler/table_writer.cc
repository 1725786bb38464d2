// Writer of the binary pin table; the layout is documented in
// docs/format.md and its constants are in runtime/table_format.h.

#include "compiler/table_writer.h"

#include <openssl/sha.h>
#include <zlib.h>

#include <algorithm>
#include <map>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "compiler/perfect_hash_builder.h"
#include "runtime/bit_array.h"
#include "runtime/host_hash.h"
#include "runtime/little_endian.h"
#include "runtime/table_reader.h"

namespace pinbake {
namespace {

namespace tf = table_format;
using little_endian::Append;

// Sorted, de-duplicated copy of `hashes`.
std::vector<SpkiHash> SortedUnique(std::vector<SpkiHash> hashes) {
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  return hashes;
}

// Appends `text` to the string pool and returns its offset.
uint32_t AddString(absl::string_view text, std::string* pool) {
  const uint32_t offset = static_cast<uint32_t>(pool->size());
  pool->append(text.data(), text.size());
  return offset;
}

uint8_t EntryFlags(const HostEntry& entry) {
  uint8_t flags = 0;
  if (entry.include_subdomains) flags |= tf::kFlagIncludeSubdomains;
  if (entry.include_subdomains_for_pinning) {
    flags |= tf::kFlagIncludeSubdomainsForPinning;
  }
  if (entry.force_https) flags |= tf::kFlagForceHttps;
  if (entry.has_pins() && entry.pin_mode == PinMode::kReportOnly) {
    flags |= tf::kFlagReportOnly;
  }
  if (entry.public_suffix_policy) flags |= tf::kFlagPublicSuffixPolicy;
  if (entry.is_wildcard()) flags |= tf::kFlagWildcard;
  return flags;
}

// The entries ordered by name. Sorted on (first 8 bytes as a big-endian
// number, index) first, so most comparisons need no pointer chase; equal
// prefixes fall back to comparing the whole names.
std::vector<const HostEntry*> SortedByName(const std::vector<HostEntry>& all) {
  struct Key {
    uint64_t prefix;
    const HostEntry* entry;
  };
  std::vector<Key> keys;
  keys.reserve(all.size());
  for (const HostEntry& e : all) {
    uint64_t prefix = 0;
    for (size_t i = 0; i < 8; ++i) {
      prefix = (prefix << 8) |
               (i < e.name.size() ? static_cast<unsigned char>(e.name[i]) : 0);
    }
    keys.push_back({prefix, &e});
  }
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    return a.entry->name < b.entry->name;
  });
  std::vector<const HostEntry*> sorted;
  sorted.reserve(keys.size());
  for (const Key& k : keys) sorted.push_back(k.entry);
  return sorted;
}

int LabelCount(absl::string_view name) {
  return static_cast<int>(std::count(name.begin(), name.end(), '.')) + 1;
}

// Bits needed to index `count` values (at least 1 value: 0 bits).
int BitsFor(uint64_t count) {
  int bits = 0;
  while ((uint64_t{1} << bits) < count) ++bits;
  return bits;
}

// The names section: u64 inflated size, then zlib of the names, each
// followed by '\n'. Level 9 (smallest) for lists of up to about 200,000
// names (4 MiB of text); level 1 above that, where level 9 would cost
// seconds of compile time for a section that lookups never read.
absl::StatusOr<std::string> CompressNames(
    const std::vector<const HostEntry*>& entries) {
  std::string text;
  for (const HostEntry* e : entries) {
    text += e->name;
    text += '\n';
  }
  const int level = text.size() <= (size_t{4} << 20) ? 9 : 1;
  uLongf size = compressBound(static_cast<uLong>(text.size()));
  std::string out(8 + size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data() + 8), &size,
                reinterpret_cast<const Bytef*>(text.data()),
                static_cast<uLong>(text.size()), level) != Z_OK) {
    return absl::InternalError("zlib failed to compress the names");
  }
  out.resize(8 + size);
  std::string header;
  Append<uint64_t>(text.size(), &header);
  out.replace(0, 8, header);
  return out;
}

// Everything of the table but the hash layout, in canonical order.
struct Sections {
  std::vector<SpkiHash> keys;
  std::string key_refs;
  uint32_t key_ref_count = 0;
  std::string pinset_records;
  std::string pool;
  std::vector<std::pair<uint8_t, uint16_t>> classes;  // (flags, pinset).
  std::vector<uint32_t> class_of_entry;               // Per sorted entry.
  int max_labels = 0;
};

absl::StatusOr<Sections> BuildSections(
    const PinListModel& model, const std::vector<const HostEntry*>& entries) {
  Sections s;
  std::vector<const Pinset*> pinsets;
  std::vector<SpkiHash> all_keys;
  for (const Pinset& pinset : model.pinsets) {
    pinsets.push_back(&pinset);
    all_keys.insert(all_keys.end(), pinset.good.begin(), pinset.good.end());
    all_keys.insert(all_keys.end(), pinset.bad.begin(), pinset.bad.end());
  }
  std::sort(pinsets.begin(), pinsets.end(),
            [](const Pinset* a, const Pinset* b) { return a->name < b->name; });
  s.keys = SortedUnique(std::move(all_keys));
  if (pinsets.size() > tf::kMaxPinsets) {
    return absl::InvalidArgumentError(
        absl::StrCat("too many pinsets: ", pinsets.size()));
  }
  if (s.keys.size() > tf::kMaxKeys) {
    return absl::InvalidArgumentError(
        absl::StrCat("too many distinct keys: ", s.keys.size()));
  }
  absl::flat_hash_map<SpkiHash, uint16_t> key_index;
  for (size_t i = 0; i < s.keys.size(); ++i) {
    key_index[s.keys[i]] = static_cast<uint16_t>(i);
  }
  absl::flat_hash_map<std::string, uint16_t> pinset_index;
  for (size_t i = 0; i < pinsets.size(); ++i) {
    if (!pinset_index.emplace(pinsets[i]->name, static_cast<uint16_t>(i))
             .second) {
      return absl::InvalidArgumentError(
          absl::StrCat("duplicate pinset name: ", pinsets[i]->name));
    }
  }

  for (const Pinset* pinset : pinsets) {
    std::vector<uint16_t> good;
    std::vector<uint16_t> bad;
    for (const SpkiHash& h : SortedUnique(pinset->good)) {
      good.push_back(key_index[h]);
    }
    for (const SpkiHash& h : SortedUnique(pinset->bad)) {
      bad.push_back(key_index[h]);
    }
    if (good.size() > 0xFFFF || bad.size() > 0xFFFF) {
      return absl::InvalidArgumentError(
          absl::StrCat("pinset ", pinset->name, " has too many keys"));
    }
    Append<uint32_t>(AddString(pinset->name, &s.pool), &s.pinset_records);
    Append<uint32_t>(static_cast<uint32_t>(pinset->name.size()),
                     &s.pinset_records);
    Append<uint32_t>(AddString(pinset->report_uri, &s.pool),
                     &s.pinset_records);
    Append<uint32_t>(static_cast<uint32_t>(pinset->report_uri.size()),
                     &s.pinset_records);
    Append<uint32_t>(s.key_ref_count, &s.pinset_records);
    Append<uint16_t>(static_cast<uint16_t>(good.size()), &s.pinset_records);
    Append<uint16_t>(static_cast<uint16_t>(bad.size()), &s.pinset_records);
    for (uint16_t ref : good) Append<uint16_t>(ref, &s.key_refs);
    for (uint16_t ref : bad) Append<uint16_t>(ref, &s.key_refs);
    s.key_ref_count += static_cast<uint32_t>(good.size() + bad.size());
  }

  // Entry settings are shared through classes, ordered by (flags, pinset).
  std::map<std::pair<uint8_t, uint16_t>, uint32_t> class_index;
  std::vector<std::pair<uint8_t, uint16_t>> entry_class(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    const HostEntry& entry = *entries[i];
    if (i > 0 && entries[i - 1]->name == entry.name) {
      return absl::InvalidArgumentError(
          absl::StrCat("duplicate entry name: ", entry.name));
    }
    uint16_t pinset = tf::kNoPinset;
    if (entry.has_pins()) {
      auto it = pinset_index.find(entry.pinset);
      if (it == pinset_index.end()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "entry ", entry.name, " names unknown pinset ", entry.pinset));
      }
      pinset = it->second;
    }
    entry_class[i] = {EntryFlags(entry), pinset};
    class_index.emplace(entry_class[i], 0);
    s.max_labels = std::max(s.max_labels, LabelCount(entry.name));
  }
  if (class_index.size() > (size_t{1} << tf::kMaxClassBits)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "too many distinct entry settings: ", class_index.size()));
  }
  for (auto& [settings, index] : class_index) {
    index = static_cast<uint32_t>(s.classes.size());
    s.classes.push_back(settings);
  }
  for (const auto& settings : entry_class) {
    s.class_of_entry.push_back(class_index[settings]);
  }
  return s;
}

// Serialises the sections and a hash layout into a complete table.
std::string Serialize(const PinListModel& model, const Sections& s,
                      uint64_t entry_count, uint64_t seed,
                      const PerfectHash& ph, int fingerprint_bits,
                      int class_bits, const std::string& slots,
                      const std::string& pilots, const std::string& names) {
  std::string out;
  out.append(tf::kMagic.data(), tf::kMagic.size());
  Append<uint32_t>(tf::kFormatVersion, &out);
  Append<uint32_t>(tf::kHeaderSize, &out);
  Append<uint64_t>(model.list.version, &out);
  Append<uint64_t>(static_cast<uint64_t>(model.list.timestamp), &out);
  Append<uint32_t>(static_cast<uint32_t>(model.list.max_age_days), &out);
  Append<uint32_t>(static_cast<uint32_t>(entry_count), &out);
  Append<uint32_t>(static_cast<uint32_t>(s.pinset_records.size() /
                                         tf::kPinsetRecordSize),
                   &out);
  Append<uint32_t>(static_cast<uint32_t>(s.keys.size()), &out);
  Append<uint32_t>(s.key_ref_count, &out);
  Append<uint32_t>(static_cast<uint32_t>(s.classes.size()), &out);
  Append<uint64_t>(seed, &out);
  Append<uint32_t>(static_cast<uint32_t>(ph.slot_count), &out);
  Append<uint32_t>(static_cast<uint32_t>(ph.bucket_count), &out);
  Append<uint8_t>(static_cast<uint8_t>(fingerprint_bits), &out);
  Append<uint8_t>(static_cast<uint8_t>(class_bits), &out);
  Append<uint8_t>(static_cast<uint8_t>(ph.pilot_bits), &out);
  Append<uint8_t>(static_cast<uint8_t>(s.max_labels), &out);
  Append<uint32_t>(static_cast<uint32_t>(s.pool.size()), &out);
  Append<uint32_t>(static_cast<uint32_t>(names.size()), &out);
  Append<uint32_t>(0, &out);  // Reserved.
  const uint64_t total = tf::kHeaderSize + s.keys.size() * tf::kKeySize +
                         s.key_refs.size() + s.pinset_records.size() +
                         s.classes.size() * tf::kClassRecordSize +
                         pilots.size() + slots.size() + s.pool.size() +
                         names.size() + tf::kChecksumSize;
  Append<uint64_t>(total, &out);
  for (const SpkiHash& key : s.keys) {
    out.append(reinterpret_cast<const char*>(key.bytes.data()), key.kSize);
  }
  out += s.key_refs;
  out += s.pinset_records;
  for (const auto& [flags, pinset] : s.classes) {
    Append<uint8_t>(flags, &out);
    Append<uint8_t>(0, &out);
    Append<uint16_t>(pinset, &out);
  }
  out += pilots;
  out += slots;
  out += s.pool;
  out += names;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(out.data()), out.size(),
         digest);
  out.append(reinterpret_cast<const char*>(digest), sizeof(digest));
  return out;
}

// Whether `table` finds every entry with exactly its settings, and finds no
// ancestor or wildcard name of an entry that is not itself an entry. Such a
// false match would change how hosts under a listed name resolve. This is
// the compiler's read-back check: it never ships a table it cannot read.
bool ReadsBackExactly(const std::string& table,
                      const std::vector<const HostEntry*>& entries,
                      const Sections& s) {
  absl::StatusOr<TableReader> reader = TableReader::Open(table);
  if (!reader.ok() || reader->entry_count() != entries.size()) return false;
  // Whether `name` is an entry (entries are sorted by name). Only asked
  // when the table finds a name, which for ancestors is rare.
  auto listed = [&entries](absl::string_view name) {
    auto it = std::lower_bound(
        entries.begin(), entries.end(), name,
        [](const HostEntry* e, absl::string_view n) { return e->name < n; });
    return it != entries.end() && (*it)->name == name;
  };
  std::string wildcard;
  for (size_t i = 0; i < entries.size(); ++i) {
    const absl::string_view name = entries[i]->name;
    std::optional<HostRule> rule = reader->FindEntry(name);
    if (!rule.has_value()) return false;
    const auto& [flags, pinset] = s.classes[s.class_of_entry[i]];
    const bool same =
        rule->pinset_index == (pinset == tf::kNoPinset ? -1 : pinset) &&
        rule->is_wildcard == ((flags & tf::kFlagWildcard) != 0) &&
        rule->include_subdomains ==
            ((flags & tf::kFlagIncludeSubdomains) != 0) &&
        rule->include_subdomains_for_pinning ==
            ((flags & tf::kFlagIncludeSubdomainsForPinning) != 0) &&
        rule->force_https == ((flags & tf::kFlagForceHttps) != 0) &&
        rule->public_suffix_policy ==
            ((flags & tf::kFlagPublicSuffixPolicy) != 0) &&
        (rule->pin_mode == PinMode::kReportOnly) ==
            ((flags & tf::kFlagReportOnly) != 0);
    if (!same) return false;
    // Proper ancestors of the name and their "*." forms.
    absl::string_view rest = name;
    for (size_t dot = rest.find('.'); dot != absl::string_view::npos;
         dot = rest.find('.')) {
      rest.remove_prefix(dot + 1);
      if (reader->FindEntry(rest).has_value() && !listed(rest)) {
        return false;
      }
      wildcard.assign("*.");
      wildcard.append(rest.data(), rest.size());
      if (reader->FindEntry(wildcard).has_value() && !listed(wildcard)) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

absl::StatusOr<std::string> WriteTable(const PinListModel& model,
                                       const TableOptions& options) {
  if (options.fingerprint_bits < tf::kMinFingerprintBits ||
      options.fingerprint_bits > tf::kMaxFingerprintBits) {
    return absl::InvalidArgumentError("fingerprint bits out of range");
  }
  const std::vector<const HostEntry*> entries = SortedByName(model.entries);
  absl::StatusOr<Sections> sections = BuildSections(model, entries);
  if (!sections.ok()) return sections.status();
  const Sections& s = *sections;
  if (s.max_labels > tf::kMaxLabels) {
    return absl::InvalidArgumentError("an entry name has too many labels");
  }
  std::string names;
  if (options.include_names) {
    absl::StatusOr<std::string> compressed = CompressNames(entries);
    if (!compressed.ok()) return compressed.status();
    names = *std::move(compressed);
  }
  const int class_bits = BitsFor(s.classes.size());

  // Seeds are tried in order, so the output is deterministic.
  for (uint64_t seed = 0; seed < 64; ++seed) {
    std::vector<host_hash::NameHash> hashes;
    hashes.reserve(entries.size());
    for (const HostEntry* e : entries) {
      hashes.push_back(host_hash::HashName(e->name, seed));
    }
    absl::StatusOr<PerfectHash> ph = BuildPerfectHash(hashes, seed);
    if (absl::IsFailedPrecondition(ph.status())) continue;
    if (!ph.ok()) return ph.status();
    if (ph->pilot_bits > tf::kMaxPilotBits) continue;
    PackedArrayWriter pilots(ph->bucket_count, ph->pilot_bits);
    for (uint64_t b = 0; b < ph->bucket_count; ++b) {
      pilots.Set(b, ph->pilots[b]);
    }
    PackedArrayWriter slots(ph->slot_count,
                            options.fingerprint_bits + class_bits);
    for (size_t i = 0; i < entries.size(); ++i) {
      const uint64_t fp = host_hash::FingerprintOf(hashes[i], options.fingerprint_bits);
      slots.Set(ph->slot_of[i],
                fp | (uint64_t{s.class_of_entry[i]} << options.fingerprint_bits));
    }
    std::string table =
        Serialize(model, s, entries.size(), seed, *ph, options.fingerprint_bits,
                  class_bits, slots.bytes(), pilots.bytes(), names);
    if (ReadsBackExactly(table, entries, s)) return table;
  }
  return absl::InternalError("no hash seed gives a table without collisions");
}

}  // namespace pinbake
