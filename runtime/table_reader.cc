// Reader of the binary pin table. The layout is documented in
// docs/format.md; constants are in runtime/table_format.h.

#include "runtime/table_reader.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <cstring>

#include <zlib.h>

#include "absl/strings/str_cat.h"
#include "runtime/bit_array.h"
#include "runtime/host_name.h"
#include "runtime/little_endian.h"
#include "runtime/table_format.h"

namespace pinbake {
namespace {

namespace tf = table_format;
using little_endian::Load;

absl::Status Invalid(absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat("invalid pin table: ", reason));
}

// Whether [offset, offset+length) lies inside a region of `size` bytes.
bool InRange(uint64_t offset, uint64_t length, uint64_t size) {
  return offset <= size && length <= size - offset;
}

// Whether `name` is a canonical host name, or "*." and one.
bool IsCanonicalEntryName(absl::string_view name) {
  absl::string_view host = name;
  if (host.size() > 2 && host[0] == '*' && host[1] == '.') host.remove_prefix(2);
  CanonicalHost canonical;
  return CanonicalizeHost(host, &canonical) == HostError::kNone &&
         canonical.view() == host;
}

// Whether the `count` refs starting at `refs` are strictly ascending.
bool RefsAscending(const uint8_t* refs, size_t count) {
  for (size_t i = 1; i < count; ++i) {
    if (Load<uint16_t>(refs + (i - 1) * tf::kKeyRefSize) >=
        Load<uint16_t>(refs + i * tf::kKeyRefSize)) {
      return false;
    }
  }
  return true;
}

}  // namespace

SpkiHash PinsetView::KeyAt(size_t ref_index) const {
  SpkiHash hash;
  const uint16_t key = Load<uint16_t>(refs_ + ref_index * tf::kKeyRefSize);
  std::memcpy(hash.bytes.data(), keys_ + size_t{key} * tf::kKeySize,
              tf::kKeySize);
  return hash;
}

SpkiHash PinsetView::good(size_t i) const { return KeyAt(i); }

SpkiHash PinsetView::bad(size_t i) const { return KeyAt(good_count_ + i); }

bool PinsetView::HasGood(const SpkiHash& hash) const {
  for (size_t i = 0; i < good_count_; ++i) {
    if (KeyAt(i) == hash) return true;
  }
  return false;
}

bool PinsetView::HasBad(const SpkiHash& hash) const {
  for (size_t i = 0; i < bad_count_; ++i) {
    if (KeyAt(good_count_ + i) == hash) return true;
  }
  return false;
}

absl::StatusOr<TableReader> TableReader::Open(absl::string_view bytes) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  if (bytes.size() < tf::kHeaderSize + tf::kChecksumSize) {
    return Invalid(absl::StrCat("truncated: ", bytes.size(),
                                " bytes is less than a header and checksum"));
  }
  if (bytes.substr(tf::kOffMagic, tf::kMagic.size()) != tf::kMagic) {
    return Invalid("bad magic (not a pinbake table)");
  }
  TableReader r;
  r.bytes_ = bytes;
  r.format_version_ = Load<uint32_t>(data + tf::kOffFormatVersion);
  if (r.format_version_ != tf::kFormatVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("unsupported pin table format version ",
                     r.format_version_, " (this reader supports ",
                     tf::kFormatVersion, ")"));
  }
  if (Load<uint32_t>(data + tf::kOffHeaderSize) != tf::kHeaderSize) {
    return Invalid("bad header size");
  }
  const uint64_t total_size = Load<uint64_t>(data + tf::kOffTotalSize);
  if (total_size != bytes.size()) {
    return Invalid(absl::StrCat("truncated or padded: header says ",
                                total_size, " bytes, got ", bytes.size()));
  }
  // Checksum first: nothing below is trusted before it matches.
  unsigned char digest[SHA256_DIGEST_LENGTH];
  const size_t body_size = bytes.size() - tf::kChecksumSize;
  SHA256(data, body_size, digest);
  if (CRYPTO_memcmp(digest, data + body_size, tf::kChecksumSize) != 0) {
    return Invalid("checksum mismatch (corrupted table)");
  }

  r.list_version_ = Load<uint64_t>(data + tf::kOffListVersion);
  r.timestamp_ = static_cast<int64_t>(Load<uint64_t>(data + tf::kOffTimestamp));
  r.max_age_days_ = Load<uint32_t>(data + tf::kOffMaxAgeDays);
  r.entry_count_ = Load<uint32_t>(data + tf::kOffEntryCount);
  r.pinset_count_ = Load<uint32_t>(data + tf::kOffPinsetCount);
  r.key_count_ = Load<uint32_t>(data + tf::kOffKeyCount);
  r.key_ref_count_ = Load<uint32_t>(data + tf::kOffKeyRefCount);
  r.class_count_ = Load<uint32_t>(data + tf::kOffClassCount);
  r.hash_seed_ = Load<uint64_t>(data + tf::kOffHashSeed);
  r.slot_count_ = Load<uint32_t>(data + tf::kOffSlotCount);
  r.bucket_count_ = Load<uint32_t>(data + tf::kOffBucketCount);
  r.fingerprint_bits_ = data[tf::kOffFingerprintBits];
  r.class_bits_ = data[tf::kOffClassBits];
  r.pilot_bits_ = data[tf::kOffPilotBits];
  r.max_entry_labels_ = data[tf::kOffMaxEntryLabels];
  r.pool_size_ = Load<uint32_t>(data + tf::kOffStringPoolSize);
  const uint64_t names_size = Load<uint32_t>(data + tf::kOffNamesSize);
  r.slot_bits_ = r.fingerprint_bits_ + r.class_bits_;
  if (Load<uint32_t>(data + tf::kOffReserved) != 0) {
    return Invalid("reserved header field is not zero");
  }
  if (r.pinset_count_ > tf::kMaxPinsets) return Invalid("too many pinsets");
  if (r.key_count_ > tf::kMaxKeys) return Invalid("too many keys");
  if (r.fingerprint_bits_ < tf::kMinFingerprintBits ||
      r.fingerprint_bits_ > tf::kMaxFingerprintBits ||
      r.class_bits_ > tf::kMaxClassBits || r.pilot_bits_ < 1 ||
      r.pilot_bits_ > tf::kMaxPilotBits || r.slot_bits_ > kMaxPackedWidth) {
    return Invalid("field widths out of range");
  }
  if (r.slot_count_ < r.entry_count_ || r.slot_count_ == 0 ||
      r.bucket_count_ == 0) {
    return Invalid("slot or bucket count out of range");
  }
  if (r.class_count_ > (size_t{1} << r.class_bits_) ||
      (r.entry_count_ > 0 && r.class_count_ == 0)) {
    return Invalid("class count does not fit its width");
  }
  if (r.max_entry_labels_ > tf::kMaxLabels) {
    return Invalid("max entry labels out of range");
  }

  // Section sizes in 64 bits: each count is < 2^32, so nothing overflows.
  const uint64_t keys_size = uint64_t{r.key_count_} * tf::kKeySize;
  const uint64_t refs_size = uint64_t{r.key_ref_count_} * tf::kKeyRefSize;
  const uint64_t pinsets_size =
      uint64_t{r.pinset_count_} * tf::kPinsetRecordSize;
  const uint64_t classes_size = uint64_t{r.class_count_} * tf::kClassRecordSize;
  const uint64_t pilots_size = PackedArrayBytes(r.bucket_count_, r.pilot_bits_);
  const uint64_t slots_size = PackedArrayBytes(r.slot_count_, r.slot_bits_);
  const uint64_t expected = tf::kHeaderSize + keys_size + refs_size +
                            pinsets_size + classes_size + pilots_size +
                            slots_size + r.pool_size_ + names_size +
                            tf::kChecksumSize;
  if (expected != total_size) {
    return Invalid(absl::StrCat("section sizes add up to ", expected,
                                " bytes, table has ", total_size));
  }
  const uint8_t* p = data + tf::kHeaderSize;
  r.keys_ = p;
  p += keys_size;
  r.key_refs_ = p;
  p += refs_size;
  r.pinsets_ = p;
  p += pinsets_size;
  r.classes_ = p;
  p += classes_size;
  r.pilots_ = p;
  p += pilots_size;
  r.slots_ = p;
  p += slots_size;
  r.pool_ = reinterpret_cast<const char*>(p);
  p += r.pool_size_;
  r.names_ = absl::string_view(reinterpret_cast<const char*>(p), names_size);

  for (size_t i = 1; i < r.key_count_; ++i) {
    if (std::memcmp(r.keys_ + (i - 1) * tf::kKeySize,
                    r.keys_ + i * tf::kKeySize, tf::kKeySize) >= 0) {
      return Invalid(absl::StrCat("keys not strictly ascending at key ", i));
    }
  }
  for (size_t i = 0; i < r.key_ref_count_; ++i) {
    if (Load<uint16_t>(r.key_refs_ + i * tf::kKeyRefSize) >= r.key_count_) {
      return Invalid(absl::StrCat("key ref ", i, " points past the keys"));
    }
  }

  absl::string_view previous_name;
  for (size_t i = 0; i < r.pinset_count_; ++i) {
    const uint8_t* rec = r.pinsets_ + i * tf::kPinsetRecordSize;
    const uint32_t name_off = Load<uint32_t>(rec);
    const uint32_t name_len = Load<uint32_t>(rec + 4);
    const uint32_t uri_off = Load<uint32_t>(rec + 8);
    const uint32_t uri_len = Load<uint32_t>(rec + 12);
    const uint32_t first_ref = Load<uint32_t>(rec + 16);
    const uint16_t good = Load<uint16_t>(rec + 20);
    const uint16_t bad = Load<uint16_t>(rec + 22);
    if (!InRange(name_off, name_len, r.pool_size_) ||
        !InRange(uri_off, uri_len, r.pool_size_)) {
      return Invalid(absl::StrCat("pinset ", i, " string outside the pool"));
    }
    if (!InRange(first_ref, uint64_t{good} + bad, r.key_ref_count_)) {
      return Invalid(absl::StrCat("pinset ", i, " refs outside the key refs"));
    }
    const uint8_t* refs = r.key_refs_ + size_t{first_ref} * tf::kKeyRefSize;
    if (!RefsAscending(refs, good) ||
        !RefsAscending(refs + size_t{good} * tf::kKeyRefSize, bad)) {
      return Invalid(absl::StrCat("pinset ", i, " keys not ascending"));
    }
    absl::string_view name(r.pool_ + name_off, name_len);
    if (name.empty() || (i > 0 && !(previous_name < name))) {
      return Invalid(absl::StrCat("pinset ", i, " name empty or out of order"));
    }
    previous_name = name;
  }

  for (size_t i = 0; i < r.class_count_; ++i) {
    const uint8_t* rec = r.classes_ + i * tf::kClassRecordSize;
    const uint8_t flags = rec[0];
    const uint16_t pinset = Load<uint16_t>(rec + 2);
    if ((flags & ~tf::kKnownFlags) != 0 || rec[1] != 0) {
      return Invalid(absl::StrCat("class ", i, " has unknown flags"));
    }
    if (pinset != tf::kNoPinset && pinset >= r.pinset_count_) {
      return Invalid(absl::StrCat("class ", i, " pinset out of range"));
    }
    if (pinset == tf::kNoPinset && (flags & tf::kFlagReportOnly) != 0) {
      return Invalid(absl::StrCat("class ", i, " is report-only with no pins"));
    }
  }

  // Every used slot names a class; the used slots are the entries.
  const uint64_t fp_mask = (uint64_t{1} << r.fingerprint_bits_) - 1;
  uint64_t used = 0;
  for (uint64_t i = 0; i < r.slot_count_; ++i) {
    const uint64_t slot = ReadPacked(r.slots_, i, r.slot_bits_);
    if ((slot & fp_mask) == 0) {
      if (slot != 0) return Invalid(absl::StrCat("empty slot ", i, " has a class"));
      continue;
    }
    if ((slot >> r.fingerprint_bits_) >= r.class_count_) {
      return Invalid(absl::StrCat("slot ", i, " class out of range"));
    }
    ++used;
  }
  if (used != r.entry_count_) {
    return Invalid(absl::StrCat(used, " used slots for ", r.entry_count_,
                                " entries"));
  }
  return r;
}

HostRule TableReader::ClassRule(size_t class_index) const {
  const uint8_t* rec = classes_ + class_index * tf::kClassRecordSize;
  const uint8_t flags = rec[0];
  const uint16_t pinset = Load<uint16_t>(rec + 2);
  HostRule rule;
  rule.is_wildcard = (flags & tf::kFlagWildcard) != 0;
  rule.include_subdomains = (flags & tf::kFlagIncludeSubdomains) != 0;
  rule.include_subdomains_for_pinning =
      (flags & tf::kFlagIncludeSubdomainsForPinning) != 0;
  rule.force_https = (flags & tf::kFlagForceHttps) != 0;
  rule.public_suffix_policy = (flags & tf::kFlagPublicSuffixPolicy) != 0;
  rule.pin_mode = (flags & tf::kFlagReportOnly) != 0 ? PinMode::kReportOnly
                                                      : PinMode::kEnforce;
  rule.pinset_index = pinset == tf::kNoPinset ? -1 : pinset;
  return rule;
}

PinsetView TableReader::pinset(size_t i) const {
  const uint8_t* rec = pinsets_ + i * tf::kPinsetRecordSize;
  PinsetView view;
  view.name_ = absl::string_view(pool_ + Load<uint32_t>(rec),
                                 Load<uint32_t>(rec + 4));
  view.report_uri_ = absl::string_view(pool_ + Load<uint32_t>(rec + 8),
                                       Load<uint32_t>(rec + 12));
  view.keys_ = keys_;
  view.refs_ = key_refs_ + size_t{Load<uint32_t>(rec + 16)} * tf::kKeyRefSize;
  view.good_count_ = Load<uint16_t>(rec + 20);
  view.bad_count_ = Load<uint16_t>(rec + 22);
  return view;
}

SpkiHash TableReader::key(size_t i) const {
  SpkiHash hash;
  std::memcpy(hash.bytes.data(), keys_ + i * tf::kKeySize, tf::kKeySize);
  return hash;
}

std::optional<HostRule> TableReader::FindByHash(
    const host_hash::NameHash& hash, bool wildcard) const {
  if (entry_count_ == 0) return std::nullopt;
  const uint64_t bucket = host_hash::BucketOf(hash, bucket_count_);
  const uint64_t pilot = ReadPacked(pilots_, bucket, pilot_bits_);
  const uint64_t index =
      host_hash::SlotOf(hash.position_word, pilot, hash_seed_, slot_count_);
  const uint64_t slot = ReadPacked(slots_, index, slot_bits_);
  const uint64_t fp_mask = (uint64_t{1} << fingerprint_bits_) - 1;
  if ((slot & fp_mask) !=
      host_hash::FingerprintOf(hash, fingerprint_bits_)) {
    return std::nullopt;
  }
  HostRule rule = ClassRule(slot >> fingerprint_bits_);
  // The wildcard flag is one more check bit: a wildcard name matching a
  // host entry (or the reverse) is a collision, not a match.
  if (rule.is_wildcard != wildcard) return std::nullopt;
  return rule;
}

std::optional<HostRule> TableReader::FindEntry(absl::string_view name) const {
  const bool wildcard = name.size() > 2 && name[0] == '*' && name[1] == '.';
  return FindByHash(host_hash::HashName(name, hash_seed_), wildcard);
}

absl::StatusOr<std::vector<std::string>> TableReader::EntryNames() const {
  if (names_.empty()) {
    if (entry_count_ == 0) return std::vector<std::string>();
    return absl::FailedPreconditionError(
        "the table carries no entry names (compiled with --strip-names)");
  }
  // Section: u64 inflated size, then a zlib stream of the names, each
  // followed by '\n'.
  if (names_.size() < 8) return Invalid("names section truncated");
  const uint64_t inflated_size =
      Load<uint64_t>(reinterpret_cast<const uint8_t*>(names_.data()));
  if (inflated_size > tf::kMaxNamesBytes ||
      inflated_size > uint64_t{entry_count_} * 256) {
    return Invalid("names section too large");
  }
  std::string text(inflated_size, '\0');
  uLongf out_len = static_cast<uLongf>(inflated_size);
  const int rc = uncompress(reinterpret_cast<Bytef*>(text.data()), &out_len,
                            reinterpret_cast<const Bytef*>(names_.data() + 8),
                            static_cast<uLong>(names_.size() - 8));
  if (rc != Z_OK || out_len != inflated_size) {
    return Invalid("names section does not inflate");
  }
  std::vector<std::string> names;
  names.reserve(entry_count_);
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    if (end == std::string::npos) return Invalid("names section unterminated");
    names.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  if (names.size() != entry_count_) {
    return Invalid(absl::StrCat("names section has ", names.size(),
                                " names for ", entry_count_, " entries"));
  }
  for (size_t i = 0; i < names.size(); ++i) {
    if (!IsCanonicalEntryName(names[i]) ||
        (i > 0 && !(names[i - 1] < names[i])) ||
        !FindEntry(names[i]).has_value()) {
      return Invalid(absl::StrCat("names section entry ", i,
                                  " is not a name of this table"));
    }
  }
  return names;
}

}  // namespace pinbake
