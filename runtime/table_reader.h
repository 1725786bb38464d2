// TableReader: zero-copy, validated view of a binary pin table
// (docs/format.md). Open() checks the checksum and every offset, length,
// count and index once; afterwards the accessors index only validated
// ranges, never allocate (except EntryNames) and never fail. Safe for
// concurrent readers.

#ifndef PINBAKE_RUNTIME_TABLE_READER_H_
#define PINBAKE_RUNTIME_TABLE_READER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "runtime/host_hash.h"
#include "runtime/pin_mode.h"
#include "runtime/spki_hash.h"

namespace pinbake {

// The settings of one host entry of the table, by value. The entry's name is
// not part of it: lookups know the name they asked for (see
// LookupResult::PinRuleName), and tools list names with
// TableReader::EntryNames().
struct HostRule {
  bool is_wildcard = false;  // The entry's name is "*." + a host name.
  bool include_subdomains = false;
  bool include_subdomains_for_pinning = false;
  bool force_https = false;
  bool public_suffix_policy = false;
  PinMode pin_mode = PinMode::kEnforce;
  // Index of the pinset in the table, or -1 if the entry has no pins.
  int pinset_index = -1;

  bool has_pins() const { return pinset_index >= 0; }
  // Whether, as an ancestor, this entry decides pins for its subdomains.
  bool covers_subdomains_for_pins() const {
    return include_subdomains || include_subdomains_for_pinning;
  }
  // Whether, as an ancestor, this entry decides HSTS for its subdomains.
  bool covers_subdomains_for_hsts() const { return include_subdomains; }
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
  const uint8_t* refs_ = nullptr;  // First ref of this pinset.
  size_t good_count_ = 0;
  size_t bad_count_ = 0;
};

class TableReader {
 public:
  // Validates `bytes` as a table (docs/format.md, "What the reader checks")
  // and returns a reader over them. `bytes` must outlive the reader and
  // every view it returns. InvalidArgument / FailedPrecondition (unsupported
  // version) with the reason otherwise.
  static absl::StatusOr<TableReader> Open(absl::string_view bytes);

  TableReader() = default;

  uint32_t format_version() const { return format_version_; }
  uint64_t list_version() const { return list_version_; }
  int64_t timestamp() const { return timestamp_; }
  uint32_t max_age_days() const { return max_age_days_; }
  size_t entry_count() const { return entry_count_; }
  size_t pinset_count() const { return pinset_count_; }
  size_t key_count() const { return key_count_; }
  // Most labels of any entry name ("*" counts as a label). Lookups skip
  // candidates with more labels: they cannot be in the table.
  int max_entry_labels() const { return max_entry_labels_; }
  uint64_t hash_seed() const { return hash_seed_; }
  // Whether the table carries its entry names (for EntryNames()).
  bool has_names() const { return !names_.empty(); }
  // The whole table.
  absl::string_view bytes() const { return bytes_; }

  // The i-th pinset in name order; requires i < pinset_count().
  PinsetView pinset(size_t i) const;
  // The i-th distinct key in hash order; requires i < key_count().
  SpkiHash key(size_t i) const;

  // The entry named exactly `name` (a canonical host or "*." + one), if
  // any. No allocation. A name that is not in the list is reported absent
  // except for a chance fingerprint collision (docs/format.md, "False
  // matches").
  std::optional<HostRule> FindEntry(absl::string_view name) const;

  // Like FindEntry, for a name whose hash the caller computed with
  // host_hash (see PinList::Lookup), and whose wildcard-ness it knows.
  std::optional<HostRule> FindByHash(const host_hash::NameHash& hash,
                                     bool wildcard) const;

  // Every entry name (canonical host or "*." + one), in name order.
  // Allocates; for tools (dump, diff), not for lookups. An error if the
  // table carries no names (compiled with --strip-names) or they are
  // corrupt.
  absl::StatusOr<std::vector<std::string>> EntryNames() const;

 private:
  HostRule ClassRule(size_t class_index) const;

  absl::string_view bytes_;
  uint32_t format_version_ = 0;
  uint64_t list_version_ = 0;
  int64_t timestamp_ = 0;
  uint32_t max_age_days_ = 0;
  size_t entry_count_ = 0;
  size_t pinset_count_ = 0;
  size_t key_count_ = 0;
  size_t key_ref_count_ = 0;
  size_t class_count_ = 0;
  uint64_t hash_seed_ = 0;
  uint64_t slot_count_ = 0;
  uint64_t bucket_count_ = 0;
  int fingerprint_bits_ = 0;
  int class_bits_ = 0;
  int slot_bits_ = 0;
  int pilot_bits_ = 0;
  int max_entry_labels_ = 0;
  const uint8_t* keys_ = nullptr;
  const uint8_t* key_refs_ = nullptr;
  const uint8_t* pinsets_ = nullptr;
  const uint8_t* classes_ = nullptr;
  const uint8_t* pilots_ = nullptr;
  const uint8_t* slots_ = nullptr;
  const char* pool_ = nullptr;
  size_t pool_size_ = 0;
  absl::string_view names_;
};

}  // namespace pinbake

#endif  // PINBAKE_RUNTIME_TABLE_READER_H_
