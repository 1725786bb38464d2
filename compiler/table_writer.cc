// Writer of the binary pin table; the layout is documented in
// docs/format.md and its constants are in format/table_format.h.

#include "compiler/table_writer.h"

#include <openssl/sha.h>

#include <algorithm>
#include <map>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "compiler/huffman_builder.h"
#include "format/huffman_code.h"
#include "format/bit_array.h"
#include "format/name_key.h"
#include "format/little_endian.h"
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

// Bits needed to write values 0..max (at least 1).
int BitsFor(uint64_t max) {
  int bits = 1;
  while (bits < 64 && (max >> bits) != 0) ++bits;
  return bits;
}

// Everything of the table but the names, in canonical order.
struct Sections {
  std::vector<SpkiHash> keys;
  std::string key_refs;
  uint32_t key_ref_count = 0;
  std::string pinset_records;
  std::string pool;
  std::vector<std::pair<uint8_t, uint16_t>> classes;  // (flags, pinset).
  std::vector<uint32_t> class_of_entry;               // Per sorted entry.
  int max_labels = 0;
  uint32_t list_id_offset = 0;
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

  if (model.list.list_id.size() > tf::kMaxListIdLength) {
    return absl::InvalidArgumentError(absl::StrCat(
        "list id longer than ", tf::kMaxListIdLength, " bytes"));
  }
  s.list_id_offset = AddString(model.list.list_id, &s.pool);

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
    entry_class[i] = {EntryFlags(entry, entry.is_wildcard(), entry.has_pins()), pinset};
    class_index.emplace(entry_class[i], 0);
    s.max_labels = std::max(s.max_labels, LabelCount(entry.name));
  }
  if (class_index.size() > tf::kMaxClasses) {
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

// One entry in key order.
struct KeyedEntry {
  std::string key;  // Symbols (format/name_key.h), one per char.
  const HostEntry* entry = nullptr;
  uint32_t class_index = 0;
  int labels = 0;
  int ancestor_labels = 0;  // Labels of the nearest ancestor entry; 0: none.
  uint32_t kind = 0;
};

// The name stream and what indexes it.
struct NameStream {
  std::vector<std::pair<uint32_t, int>> kinds;  // (class, ancestor labels).
  std::vector<uint8_t> name_lengths;   // kNameContexts x kNameSymbols.
  std::vector<uint8_t> lcp_lengths;    // kLcpSymbols.
  std::vector<uint8_t> kind_lengths;   // kinds.size().
  std::vector<uint64_t> block_offsets;
  std::vector<uint64_t> head_prefixes;
  uint64_t bits = 0;
  std::string bytes;  // Padded.
  uint32_t wildcards = 0;
};

// Keys of `entries` (sorted by name, classes from `s`), sorted by key, with
// each entry's nearest ancestor entry.
absl::StatusOr<std::vector<KeyedEntry>> KeyedEntries(
    const std::vector<const HostEntry*>& entries, const Sections& s) {
  std::vector<KeyedEntry> keyed(entries.size());
  uint8_t buffer[name_key::kMaxKeyLength];
  for (size_t i = 0; i < entries.size(); ++i) {
    int labels = 0;
    const size_t length =
        name_key::KeyOf(entries[i]->name, buffer, nullptr, &labels);
    if (length == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("entry name is not canonical: ", entries[i]->name));
    }
    keyed[i].key.assign(reinterpret_cast<const char*>(buffer), length);
    keyed[i].entry = entries[i];
    keyed[i].class_index = s.class_of_entry[i];
    keyed[i].labels = labels;
  }
  std::sort(keyed.begin(), keyed.end(),
            [](const KeyedEntry& a, const KeyedEntry& b) { return a.key < b.key; });
  // The entries that are label-boundary prefixes of the current one.
  std::vector<size_t> chain;
  for (size_t i = 0; i < keyed.size(); ++i) {
    const std::string& key = keyed[i].key;
    while (!chain.empty()) {
      const std::string& top = keyed[chain.back()].key;
      if (top.size() < key.size() && key.compare(0, top.size(), top) == 0 &&
          static_cast<uint8_t>(key[top.size()]) == name_key::kSymSeparator) {
        break;
      }
      chain.pop_back();
    }
    keyed[i].ancestor_labels = chain.empty() ? 0 : keyed[chain.back()].labels;
    chain.push_back(i);
  }
  return keyed;
}

size_t CommonPrefix(const std::string& a, const std::string& b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return n;
}

absl::StatusOr<NameStream> EncodeNames(std::vector<KeyedEntry>* keyed,
                                       const Sections& s, int block_size) {
  NameStream out;
  std::map<std::pair<uint32_t, int>, uint32_t> kind_index;
  for (const KeyedEntry& e : *keyed) kind_index.emplace(std::make_pair(e.class_index, e.ancestor_labels), 0);
  if (kind_index.size() > tf::kMaxKinds) {
    return absl::InvalidArgumentError(absl::StrCat(
        "too many distinct (entry settings, ancestor depth) pairs: ",
        kind_index.size(), " (at most ", tf::kMaxKinds, ")"));
  }
  for (auto& [kind, index] : kind_index) {
    index = static_cast<uint32_t>(out.kinds.size());
    out.kinds.push_back(kind);
  }
  for (KeyedEntry& e : *keyed) {
    e.kind = kind_index[{e.class_index, e.ancestor_labels}];
    if (FlagsMarkWildcard(s.classes[e.class_index].first)) {
      ++out.wildcards;
    }
  }

  // Pass 1 counts symbols, pass 2 writes them.
  std::vector<uint64_t> name_freq(tf::kNameContexts * tf::kNameSymbols, 0);
  std::vector<uint64_t> lcp_freq(tf::kLcpSymbols, 0);
  // A code needs two symbols: a table of one kind codes two.
  std::vector<uint64_t> kind_freq(
      out.kinds.empty() ? 0 : std::max<size_t>(out.kinds.size(), 2), 0);
  std::vector<uint32_t> name_codes, lcp_codes, kind_codes;
  BitWriter writer;
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i < keyed->size(); ++i) {
      const KeyedEntry& e = (*keyed)[i];
      const bool head = i % block_size == 0;
      size_t lcp = 0;
      if (head) {
        if (pass == 1) {
          out.block_offsets.push_back(writer.bit_size());
          uint64_t prefix = 0;
          for (int k = 0; k < tf::kHeadPrefixSymbols; ++k) {
            prefix = (prefix << 6) |
                     (k < static_cast<int>(e.key.size())
                          ? static_cast<uint8_t>(e.key[k])
                          : 0);
          }
          out.head_prefixes.push_back(prefix);
        }
      } else {
        lcp = CommonPrefix((*keyed)[i - 1].key, e.key);
        if (pass == 0) ++lcp_freq[lcp];
        else writer.Append(lcp_codes[lcp], out.lcp_lengths[lcp]);
      }
      uint8_t context = lcp == 0 ? 0 : static_cast<uint8_t>(e.key[lcp - 1]);
      for (size_t k = lcp; k <= e.key.size(); ++k) {
        const uint8_t symbol =
            k == e.key.size() ? name_key::kSymEnd : static_cast<uint8_t>(e.key[k]);
        const size_t slot = size_t{context} * tf::kNameSymbols + symbol;
        if (pass == 0) ++name_freq[slot];
        else writer.Append(name_codes[slot] , out.name_lengths[slot]);
        context = symbol;
      }
      if (pass == 0) ++kind_freq[e.kind];
      else writer.Append(kind_codes[e.kind], out.kind_lengths[e.kind]);
    }
    if (pass == 0) {
      out.name_lengths.clear();
      for (int c = 0; c < tf::kNameContexts; ++c) {
        std::vector<uint64_t> f(name_freq.begin() + c * tf::kNameSymbols,
                                name_freq.begin() + (c + 1) * tf::kNameSymbols);
        std::vector<uint8_t> l = HuffmanLengths(f, kMaxCodeLength);
        out.name_lengths.insert(out.name_lengths.end(), l.begin(), l.end());
        std::vector<uint32_t> codes = CanonicalCodes(l);
        name_codes.insert(name_codes.end(), codes.begin(), codes.end());
      }
      out.lcp_lengths = HuffmanLengths(lcp_freq, kMaxCodeLength);
      lcp_codes = CanonicalCodes(out.lcp_lengths);
      out.kind_lengths = HuffmanLengths(kind_freq, kMaxCodeLength);
      kind_codes = CanonicalCodes(out.kind_lengths);
    }
  }
  out.bits = writer.bit_size();
  out.bytes = writer.PaddedBytes();
  return out;
}

// Code lengths as 4-bit fields, low nibble first.
std::string Nibbles(const NameStream& n) {
  std::vector<uint8_t> all = n.name_lengths;
  all.insert(all.end(), n.lcp_lengths.begin(), n.lcp_lengths.end());
  all.insert(all.end(), n.kind_lengths.begin(), n.kind_lengths.end());
  std::string out((all.size() + 1) / 2, '\0');
  for (size_t i = 0; i < all.size(); ++i) {
    out[i / 2] = static_cast<char>(static_cast<uint8_t>(out[i / 2]) |
                                   (all[i] << (4 * (i % 2))));
  }
  return out;
}

std::string Serialize(const PinListModel& model, const Sections& s,
                      uint64_t entry_count, int block_size,
                      const NameStream& n) {
  const uint64_t blocks = n.block_offsets.size();
  const int offset_bits = BitsFor(n.bits);
  PackedArrayWriter offsets(blocks, offset_bits);
  PackedArrayWriter prefixes(blocks, tf::kHeadPrefixBits);
  for (uint64_t b = 0; b < blocks; ++b) {
    offsets.Set(b, n.block_offsets[b]);
    prefixes.Set(b, n.head_prefixes[b]);
  }
  std::string kinds;
  for (const auto& [cls, anc] : n.kinds) {
    Append<uint8_t>(static_cast<uint8_t>(cls), &kinds);
    Append<uint8_t>(static_cast<uint8_t>(anc), &kinds);
  }
  const std::string lengths = Nibbles(n);

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
  Append<uint32_t>(static_cast<uint32_t>(n.kinds.size()), &out);
  Append<uint32_t>(static_cast<uint32_t>(blocks), &out);
  Append<uint8_t>(static_cast<uint8_t>(block_size), &out);
  Append<uint8_t>(static_cast<uint8_t>(s.max_labels), &out);
  Append<uint8_t>(static_cast<uint8_t>(offset_bits), &out);
  Append<uint8_t>(0, &out);  // Reserved.
  Append<uint32_t>(n.wildcards, &out);
  Append<uint32_t>(static_cast<uint32_t>(s.pool.size()), &out);
  Append<uint32_t>(s.list_id_offset, &out);
  Append<uint32_t>(static_cast<uint32_t>(model.list.list_id.size()), &out);
  Append<uint32_t>(0, &out);  // Reserved.
  Append<uint64_t>(n.bits, &out);
  const uint64_t total = tf::kHeaderSize + s.keys.size() * tf::kKeySize +
                         s.key_refs.size() + s.pinset_records.size() +
                         s.classes.size() * tf::kClassRecordSize +
                         kinds.size() + lengths.size() +
                         offsets.bytes().size() + prefixes.bytes().size() +
                         n.bytes.size() + s.pool.size() + tf::kChecksumSize;
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
  out += kinds;
  out += lengths;
  out += offsets.bytes();
  out += prefixes.bytes();
  out += n.bytes;
  out += s.pool;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(out.data()), out.size(),
         digest);
  out.append(reinterpret_cast<const char*>(digest), sizeof(digest));
  return out;
}

// Whether `rule` is exactly the settings of class (flags, pinset).
bool SameSettings(const HostRule& rule, uint8_t flags, uint16_t pinset) {
  const bool has_pins = pinset != tf::kNoPinset;
  return rule.pinset_index == (has_pins ? pinset : -1) &&
         rule.is_wildcard == FlagsMarkWildcard(flags) &&
         rule.SameSettingsAs(EntrySettingsFromFlags(flags, has_pins));
}

// Whether `table` opens and holds exactly the entries, each with its
// settings: all of them decoded in one pass (Entries), and a sample found
// through the lookup path (FindEntry). The compiler's read-back check: it
// never ships a table it cannot read. (Names that are not entries cannot
// match: lookups compare whole names, docs/format.md.)
bool ReadsBackExactly(const std::string& table,
                      const std::vector<const HostEntry*>& entries,
                      const Sections& s) {
  absl::StatusOr<TableReader> reader = TableReader::Open(table);
  if (!reader.ok() || reader->entry_count() != entries.size()) return false;
  absl::StatusOr<std::vector<std::pair<std::string, HostRule>>> stored =
      reader->Entries();
  if (!stored.ok() || stored->size() != entries.size()) return false;
  // Both in name order.
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& [flags, pinset] = s.classes[s.class_of_entry[i]];
    if ((*stored)[i].first != entries[i]->name ||
        !SameSettings((*stored)[i].second, flags, pinset)) {
      return false;
    }
  }
  const size_t step = std::max<size_t>(1, entries.size() / 4096);
  for (size_t i = 0; i < entries.size(); i += step) {
    std::optional<HostRule> rule = reader->FindEntry(entries[i]->name);
    const auto& [flags, pinset] = s.classes[s.class_of_entry[i]];
    if (!rule.has_value() || !SameSettings(*rule, flags, pinset)) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::string> WriteTable(const PinListModel& model,
                                       const TableOptions& options) {
  if (options.block_size < tf::kMinBlockSize ||
      options.block_size > tf::kMaxBlockSize) {
    return absl::InvalidArgumentError("block size out of range");
  }
  const std::vector<const HostEntry*> entries = SortedByName(model.entries);
  absl::StatusOr<Sections> sections = BuildSections(model, entries);
  if (!sections.ok()) return sections.status();
  const Sections& s = *sections;
  if (s.max_labels > tf::kMaxLabels) {
    return absl::InvalidArgumentError("an entry name has too many labels");
  }
  absl::StatusOr<std::vector<KeyedEntry>> keyed = KeyedEntries(entries, s);
  if (!keyed.ok()) return keyed.status();
  absl::StatusOr<NameStream> names =
      EncodeNames(&*keyed, s, options.block_size);
  if (!names.ok()) return names.status();
  std::string table =
      Serialize(model, s, entries.size(), options.block_size, *names);
  if (!ReadsBackExactly(table, entries, s)) {
    return absl::InternalError("the encoded table does not read back");
  }
  return table;
}

}  // namespace pinbake
