// TableReader: zero-copy, validated view of a binary pin table
// (docs/format.md). Open() checks the checksum, every offset, length, count,
// index and code, and decodes every stored name once; afterwards the
// accessors index only validated ranges (and clamp every index they read
// from the table, so bytes changed after Open cannot make them read
// outside it), never allocate (except EntryNames / Entries) and never fail.
// Safe for concurrent readers.

#ifndef PINBAKE_RUNTIME_TABLE_READER_H_
#define PINBAKE_RUNTIME_TABLE_READER_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "format/entry_settings.h"
#include "format/huffman_code.h"
#include "format/name_key.h"
#include "format/spki_hash.h"
#include "format/subdomain_coverage.h"
#include "runtime/name_index.h"

namespace pinbake {

// One host entry of the table, by value: its settings (EntrySettings,
// format/entry_settings.h: include_subdomains, force_https, pin_mode, ...),
// whether it is a wildcard and its pinset. The entry's name is not part of
// it: lookups know the name they asked for (see LookupResult::PinRuleName),
// and tools list names with TableReader::Entries().
struct HostRule : EntrySettings {
  bool is_wildcard = false;  // The entry's name is "*." + a host name.
  // Index of the pinset in the table, or -1 if the entry has no pins.
  int pinset_index = -1;

  bool has_pins() const { return pinset_index >= 0; }
};

// A pinset of the table: its good and bad SPKI hashes, each run sorted.
class PinsetView {
 public:
  PinsetView() = default;
  absl::string_view name() const { return name_; }
  absl::string_view report_uri() const { return report_uri_; }
  size_t good_count() const { return good_count_; }
  size_t bad_count() const { return bad_count_; }
  // The i-th good / bad hash; requires i < good_count() / bad_count().
  SpkiHash good(size_t i) const;
  SpkiHash bad(size_t i) const;
  // Whether `hash` is among the good / bad hashes.
  bool HasGood(const SpkiHash& hash) const;
  bool HasBad(const SpkiHash& hash) const;

 private:
  friend class TableReader;
  SpkiHash KeyAt(size_t ref_index) const;
  absl::string_view name_;
  absl::string_view report_uri_;
  const uint8_t* keys_ = nullptr;  // Table's key section.
  size_t key_count_ = 0;
  const uint8_t* refs_ = nullptr;  // First ref of this pinset.
  size_t good_count_ = 0;
  size_t bad_count_ = 0;
};

// The result of TableReader::Find: the predecessor of a key (the largest
// entry key <= it), confirmed against the stored name. No allocation.
struct KeyMatch {
  // Whether some entry is <= the key; nothing below is set otherwise.
  bool found = false;
  // Whether the predecessor's name is the key itself (compared symbol by
  // symbol with the decoded name).
  bool exact = false;
  // The predecessor's index in name order (TableReader::entry_info).
  uint32_t entry = 0;
  // Length of the longest common prefix of the predecessor and the key.
  size_t common = 0;
};

class TableReader {
 public:
  // Validates `bytes` as a table (docs/format.md, "What the reader checks")
  // and returns a reader over them. `bytes` must outlive the reader and
  // every view it returns, and must not change while the reader is in use
  // (a lookup over changed bytes stays inside them and inside the reader's
  // own arrays, but its answer is then meaningless). InvalidArgument /
  // FailedPrecondition (unsupported version) with the reason otherwise.
  static absl::StatusOr<TableReader> Open(absl::string_view bytes);

  // What Open builds beside the table (reader memory); the checks are the
  // same either way.
  struct OpenOptions {
    // Build the per-process keyed name index (NameIndex) that lookups use
    // instead of the predecessor search. If false (or if it cannot be
    // built), lookups search the sorted names (Find) with the group filter.
    bool name_index = true;
  };
  static absl::StatusOr<TableReader> Open(absl::string_view bytes,
                                          const OpenOptions& options);

  TableReader() = default;

  uint32_t format_version() const { return format_version_; }
  uint64_t list_version() const { return list_version_; }
  int64_t timestamp() const { return timestamp_; }
  uint32_t max_age_days() const { return max_age_days_; }
  // The list's id (`list.id`); empty if the list has none.
  absl::string_view list_id() const { return list_id_; }
  size_t entry_count() const { return entry_count_; }
  size_t pinset_count() const { return pinset_count_; }
  size_t key_count() const { return key_count_; }
  // Number of wildcard ("*." + host) entries.
  size_t wildcard_count() const { return wildcard_count_; }
  // Entries per block of the name stream.
  int block_size() const { return block_size_; }
  // Most labels of any entry name ("*" counts as a label).
  int max_entry_labels() const { return max_entry_labels_; }
  // The whole table.
  absl::string_view bytes() const { return bytes_; }

  // The i-th pinset in name order; requires i < pinset_count() (an index
  // past the end gives the last pinset; an empty view if there is none).
  PinsetView pinset(size_t i) const;
  // The i-th distinct key in hash order; requires i < key_count().
  SpkiHash key(size_t i) const;

  // The entry named exactly `name` (a canonical host or "*." + one), if
  // any. Exact: names are compared whole. No allocation.
  std::optional<HostRule> FindEntry(absl::string_view name) const;

  // What the reader keeps per entry (built at Open from the decoded,
  // checked names; reader memory, not part of the format).
  struct EntryInfo {
    uint32_t suffix_bits = 0;  // Suffix start, in bits from the block's.
    uint32_t ancestor = 0;     // Nearest ancestor entry's index + 1; 0: none.
    uint16_t kind = 0;         // The entry's kind (KindRule).
    uint8_t lcp = 0;           // Symbols shared with the previous entry.
    uint8_t length = 0;        // Key length of the entry.
  };

  // Finds the predecessor of `key` (name_key symbols, `length` <=
  // name_key::kMaxKeyLength): one binary search over block heads, then a
  // scan of one block that decodes only the symbols agreeing with `key`.
  // No allocation.
  void Find(const uint8_t* key, size_t length, KeyMatch* out) const;

  // The name index built at Open, or nullptr (OpenOptions::name_index
  // false, no randomness from the OS, or a table of more than 2^24
  // entries). Its hash is name_hasher()'s.
  const NameIndex* name_index() const { return name_index_; }
  const NameHasher& name_hasher() const { return *name_hasher_; }

  // Whether some entry has exactly `labels` labels ("*" counts), for
  // 1 <= labels <= 127; from the names decoded at Open. Bit n % 64 of word
  // n / 64 of label_counts() is that fact for n labels.
  bool HasEntryOfLabels(int labels) const {
    return labels > 0 && labels < 128 &&
           ((label_counts_[labels / 64] >> (labels % 64)) & 1) != 0;
  }
  const uint64_t* label_counts() const { return label_counts_; }
  // How many distinct label counts the entries have.
  int label_count_kinds() const { return label_count_kinds_; }

  // Whether entry `entry`'s key is exactly `key` (`length` symbols),
  // compared symbol by symbol with the name as stored in the table: the
  // symbols it shares with earlier entries of its block are compared
  // against theirs (decoded from the stream, or the head words kept at
  // Open), its own suffix decoded. Decodes at most `length` symbols. False
  // for an entry past the end, and always false without a name index (it
  // uses the per-entry anchors built with it). No allocation.
  bool EntryIs(uint32_t entry, const uint8_t* key, size_t length) const;

  // The settings of entry `entry` (clamped like entry_info).
  HostRule EntryRule(uint32_t entry) const {
    if (entry_count_ == 0) return HostRule();
    const uint64_t packed =
        entry_words_[(entry < entry_count_ ? entry : entry_count_ - 1) *
                     entry_stride_];
    return kind_rules_[std::min<size_t>((packed >> 18) & 0xFFF,
                                        kind_rule_count_ - 1)];
  }

  // What the reader keeps for the i-th entry in name order (an index past
  // the end gives the last entry's; all zero if there is none).
  EntryInfo entry_info(uint32_t i) const;

  // False only if no entry can decide a host whose key is `key`: no
  // one-label entry or "*." + one label is its top label (the first
  // `top_length` symbols), and no entry's first two labels are its first
  // `group_length` symbols (0: the host has one label). Exact when false
  // (a per-process keyed filter built at Open); true may be a false
  // "maybe". No allocation.
  bool MayDecide(const uint8_t* key, size_t top_length,
                 size_t group_length) const;

  // Heap bytes of what Open builds beside the table (decoders, block head
  // words, per-entry infos, the name index or the group filter).
  size_t accelerator_bytes() const;

  // The settings of entry kind `kind`, and the labels of the nearest
  // ancestor entry of an entry of that kind (0: none). Indices out of range
  // are clamped (never read outside the table).
  HostRule KindRule(uint32_t kind) const;
  int KindAncestorLabels(uint32_t kind) const;

  // Every entry name (canonical host or "*." + one), in bytewise order, and
  // its settings. Allocates; for tools (dump, diff), not for lookups.
  absl::StatusOr<std::vector<std::string>> EntryNames() const;
  absl::StatusOr<std::vector<std::pair<std::string, HostRule>>> Entries()
      const;

 private:
  struct Codes;
  HostRule ClassRule(size_t class_index) const;
  // Decodes one entry's suffix from `lcp` into `key`; returns its length.
  size_t DecodeSuffix(BitCursor* cursor, uint8_t* key, size_t lcp) const;
  // Whether block `block`'s head is <= `key`.
  bool HeadAtMost(uint64_t block, const uint8_t* key, size_t length,
                  uint64_t prefix) const;

  absl::string_view bytes_;
  uint32_t format_version_ = 0;
  uint64_t list_version_ = 0;
  int64_t timestamp_ = 0;
  uint32_t max_age_days_ = 0;
  absl::string_view list_id_;
  size_t entry_count_ = 0;
  size_t pinset_count_ = 0;
  size_t key_count_ = 0;
  size_t key_ref_count_ = 0;
  size_t class_count_ = 0;
  size_t kind_count_ = 0;
  size_t wildcard_count_ = 0;
  uint64_t block_count_ = 0;
  int block_size_ = 0;
  int max_entry_labels_ = 0;
  int offset_bits_ = 0;
  uint64_t stream_bits_ = 0;
  const uint8_t* keys_ = nullptr;
  const uint8_t* key_refs_ = nullptr;
  const uint8_t* pinsets_ = nullptr;
  const uint8_t* classes_ = nullptr;
  const uint8_t* kinds_ = nullptr;
  const uint8_t* offsets_ = nullptr;
  const uint8_t* prefixes_ = nullptr;
  const uint8_t* stream_ = nullptr;
  const char* pool_ = nullptr;
  size_t pool_size_ = 0;
  // Decoders built at Open, shared by copies of the reader.
  std::shared_ptr<const Codes> codes_;
  // Views into *codes_ for the inline accessors (set by Open; a default
  // reader points at empty statics).
  const NameIndex* name_index_ = nullptr;
  const NameHasher* name_hasher_ = &kUnseededHasher;
  const uint64_t* label_counts_ = kNoLabelCounts;
  int label_count_kinds_ = 0;
  const uint64_t* entry_words_ = nullptr;  // Per-entry infos (packed).
  size_t entry_stride_ = 1;  // Words per entry in entry_words_.
  const HostRule* kind_rules_ = &kNoRule;  // KindRule of every kind.
  size_t kind_rule_count_ = 1;
  static const NameHasher kUnseededHasher;
  static constexpr uint64_t kNoLabelCounts[2] = {0, 0};
  static const HostRule kNoRule;
};

}  // namespace pinbake

#endif  // PINBAKE_RUNTIME_TABLE_READER_H_
