// Reader of the binary pin table. The layout is documented in
// docs/format.md; constants are in format/table_format.h.

#include "runtime/table_reader.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstring>

#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "format/bit_array.h"
#include "format/host_name.h"
#include "format/little_endian.h"
#include "format/table_format.h"
#include "runtime/group_filter.h"

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
  if (IsWildcardName(host)) host.remove_prefix(2);
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
  if (key_count_ == 0) return hash;
  // Clamped: the ref was checked at Open, but the bytes may have changed.
  const size_t key = std::min<size_t>(
      Load<uint16_t>(refs_ + ref_index * tf::kKeyRefSize), key_count_ - 1);
  std::memcpy(hash.bytes.data(), keys_ + key * tf::kKeySize, tf::kKeySize);
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

struct TableReader::Codes {
  HuffmanDecoder name[tf::kNameContexts];
  HuffmanDecoder lcp;
  HuffmanDecoder kind;
  // Per block, the first 20 symbols of its head, 10 per word (6 bits each,
  // first highest, 0-padded): decoded once at Open so that the binary
  // search compares integers and decodes a head only when 20 symbols tie.
  // Reader memory, not part of the format.
  std::vector<uint64_t> head_words;
  // Per entry, in stream order: where its suffix starts, its lcp, length,
  // kind and nearest ancestor entry, as decoded and checked at Open
  // (docs/format.md, "Reader accelerators"). Reader memory.
  // Packed (PackEntry): 8 bytes each, each followed by the entry's anchor
  // (its key's first 10 symbols, KeyWord) when there is a name index
  // (stride 2), so that EntryIs finds both in one cache line.
  std::vector<uint64_t> entries;
  size_t stride = 1;
  // (entry, ancestor) of the entries whose ancestor is too far back for
  // the packed delta, in entry order.
  std::vector<std::pair<uint32_t, uint32_t>> far_ancestors;
  // The entries' top labels and two-top-label groups (Lookup's "not here"
  // when there is no name index; emptied when there is one).
  GroupFilter groups;
  // Entry name -> entry number, keyed per Open (docs/format.md, "Reader
  // accelerators"); disabled if it could not be built.
  NameHasher hasher;
  NameIndex index;
  // Bit n: some entry has n labels.
  uint64_t label_counts[2] = {0, 0};
  int label_count_kinds = 0;
  // KindRule of every kind (at least one entry, a default rule).
  std::vector<HostRule> kind_rules;
};

const NameHasher TableReader::kUnseededHasher;
const HostRule TableReader::kNoRule;
constexpr uint64_t TableReader::kNoLabelCounts[2];

namespace {

// The head prefix of a key: its first kHeadPrefixSymbols symbols, 6 bits
// each, first symbol highest, padded with kSymEnd (0).
// Symbols [from, from + 10) of a key, 6 bits each, first highest, padded
// with kSymEnd (0). Order-preserving like HeadPrefix.
uint64_t KeyWord(const uint8_t* key, size_t length, size_t from) {
  uint64_t word = 0;
  for (size_t k = from; k < from + 10; ++k) {
    word = (word << 6) | (k < length ? key[k] : 0);
  }
  return word;
}

uint64_t HeadPrefix(const uint8_t* key, size_t length) {
  uint64_t prefix = 0;
  for (int k = 0; k < tf::kHeadPrefixSymbols; ++k) {
    prefix = (prefix << 6) | (static_cast<size_t>(k) < length ? key[k] : 0);
  }
  return prefix;
}

int BitsFor(uint64_t max) {
  int bits = 1;
  while (bits < 64 && (max >> bits) != 0) ++bits;
  return bits;
}

// -1, 0, 1 as a <, =, > b (bytewise, a prefix first).
int CompareKeys(const uint8_t* a, size_t a_len, const uint8_t* b,
                size_t b_len) {
  const size_t n = std::min(a_len, b_len);
  const int c = n == 0 ? 0 : std::memcmp(a, b, n);
  if (c != 0) return c < 0 ? -1 : 1;
  return a_len < b_len ? -1 : (a_len > b_len ? 1 : 0);
}

// An entry's reader info in 64 bits: suffix bits (18; a block is at most
// 64 entries of at most 258 codes of at most 15 bits, 247,680 bits), kind
// (12), lcp (8), length (8), ancestor delta (18: 0 none, kFarAncestor: in
// Codes::far_ancestors).
constexpr int kSuffixBits = 18;
constexpr uint64_t kFarAncestor = (uint64_t{1} << 18) - 1;
static_assert(tf::kMaxKinds <= 4096, "kind must fit 12 bits");

uint64_t PackEntry(uint64_t suffix_bits, uint64_t kind, uint64_t lcp,
                   uint64_t length, uint64_t ancestor_delta) {
  return suffix_bits | kind << 18 | lcp << 30 | length << 38 |
         ancestor_delta << 46;
}

}  // namespace

absl::StatusOr<TableReader> TableReader::Open(absl::string_view bytes) {
  return Open(bytes, OpenOptions());
}

absl::StatusOr<TableReader> TableReader::Open(absl::string_view bytes,
                                              const OpenOptions& options) {
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
  r.kind_count_ = Load<uint32_t>(data + tf::kOffKindCount);
  r.block_count_ = Load<uint32_t>(data + tf::kOffBlockCount);
  r.block_size_ = data[tf::kOffBlockSize];
  r.max_entry_labels_ = data[tf::kOffMaxEntryLabels];
  r.offset_bits_ = data[tf::kOffOffsetBits];
  r.wildcard_count_ = Load<uint32_t>(data + tf::kOffWildcardCount);
  r.pool_size_ = Load<uint32_t>(data + tf::kOffStringPoolSize);
  const uint32_t list_id_offset = Load<uint32_t>(data + tf::kOffListIdOffset);
  const uint32_t list_id_length = Load<uint32_t>(data + tf::kOffListIdLength);
  r.stream_bits_ = Load<uint64_t>(data + tf::kOffStreamBits);
  if (data[tf::kOffReserved8] != 0 ||
      Load<uint32_t>(data + tf::kOffReserved32) != 0) {
    return Invalid("reserved header field is not zero");
  }
  if (r.pinset_count_ > tf::kMaxPinsets) return Invalid("too many pinsets");
  if (r.key_count_ > tf::kMaxKeys) return Invalid("too many keys");
  if (r.class_count_ > tf::kMaxClasses ||
      (r.entry_count_ > 0 && r.class_count_ == 0)) {
    return Invalid("class count out of range");
  }
  if (r.kind_count_ > tf::kMaxKinds ||
      (r.entry_count_ > 0 && r.kind_count_ == 0)) {
    return Invalid("kind count out of range");
  }
  if (r.block_size_ < tf::kMinBlockSize || r.block_size_ > tf::kMaxBlockSize) {
    return Invalid("block size out of range");
  }
  if (r.block_count_ !=
      (uint64_t{r.entry_count_} + r.block_size_ - 1) / r.block_size_) {
    return Invalid("block count does not match the entry count");
  }
  if (r.max_entry_labels_ > tf::kMaxLabels) {
    return Invalid("max entry labels out of range");
  }
  if (r.stream_bits_ > (uint64_t{1} << 40) ||
      r.offset_bits_ != BitsFor(r.stream_bits_)) {
    return Invalid("name stream size or offset width out of range");
  }
  if (r.wildcard_count_ > r.entry_count_) {
    return Invalid("wildcard count over the entry count");
  }
  if (!InRange(list_id_offset, list_id_length, r.pool_size_) ||
      list_id_length > tf::kMaxListIdLength) {
    return Invalid("list id outside the string pool or too long");
  }

  // Section sizes in 64 bits: each count is < 2^32, so nothing overflows.
  // The kind code has at least two symbols (a table of one kind codes a
  // second, unused one).
  const uint64_t kind_symbols =
      r.kind_count_ == 0 ? 0 : std::max<uint64_t>(r.kind_count_, 2);
  const uint64_t length_nibbles =
      uint64_t{tf::kNameContexts} * tf::kNameSymbols + tf::kLcpSymbols +
      kind_symbols;
  const uint64_t keys_size = uint64_t{r.key_count_} * tf::kKeySize;
  const uint64_t refs_size = uint64_t{r.key_ref_count_} * tf::kKeyRefSize;
  const uint64_t pinsets_size =
      uint64_t{r.pinset_count_} * tf::kPinsetRecordSize;
  const uint64_t classes_size = uint64_t{r.class_count_} * tf::kClassRecordSize;
  const uint64_t kinds_size = uint64_t{r.kind_count_} * tf::kKindRecordSize;
  const uint64_t lengths_size = (length_nibbles + 1) / 2;
  const uint64_t offsets_size = PackedArrayBytes(r.block_count_, r.offset_bits_);
  const uint64_t prefixes_size =
      PackedArrayBytes(r.block_count_, tf::kHeadPrefixBits);
  const uint64_t stream_size = (r.stream_bits_ + 7) / 8 + kPackedPadding;
  const uint64_t expected = tf::kHeaderSize + keys_size + refs_size +
                            pinsets_size + classes_size + kinds_size +
                            lengths_size + offsets_size + prefixes_size +
                            stream_size + r.pool_size_ + tf::kChecksumSize;
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
  r.kinds_ = p;
  p += kinds_size;
  const uint8_t* lengths = p;
  p += lengths_size;
  r.offsets_ = p;
  p += offsets_size;
  r.prefixes_ = p;
  p += prefixes_size;
  r.stream_ = p;
  p += stream_size;
  r.pool_ = reinterpret_cast<const char*>(p);
  r.list_id_ = absl::string_view(r.pool_ + list_id_offset, list_id_length);

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

  uint32_t previous_class = 0;
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
    const uint32_t order = (uint32_t{flags} << 16) | pinset;
    if (i > 0 && order <= previous_class) {
      return Invalid(absl::StrCat("class ", i, " not in (flags, pinset) order"));
    }
    previous_class = order;
  }
  uint32_t previous_kind = 0;
  for (size_t i = 0; i < r.kind_count_; ++i) {
    const uint8_t cls = r.kinds_[i * tf::kKindRecordSize];
    const uint8_t ancestor = r.kinds_[i * tf::kKindRecordSize + 1];
    if (cls >= r.class_count_ || ancestor >= tf::kMaxLabels) {
      return Invalid(absl::StrCat("kind ", i, " class or ancestor out of range"));
    }
    const uint32_t order = (uint32_t{cls} << 8) | ancestor;
    if (i > 0 && order <= previous_kind) {
      return Invalid(absl::StrCat("kind ", i, " not in (class, ancestor) order"));
    }
    previous_kind = order;
  }

  // Codes.
  std::vector<uint8_t> nibbles(length_nibbles);
  for (uint64_t i = 0; i < length_nibbles; ++i) {
    nibbles[i] = (lengths[i / 2] >> (4 * (i % 2))) & 0xF;
  }
  if (length_nibbles % 2 == 1 && (lengths[length_nibbles / 2] >> 4) != 0) {
    return Invalid("code length padding is not zero");
  }
  auto codes = std::make_shared<Codes>();
  codes->head_words.reserve(2 * r.block_count_);
  for (int c = 0; c < tf::kNameContexts; ++c) {
    if (absl::Status st = HuffmanDecoder::Build(
            nibbles.data() + c * tf::kNameSymbols, tf::kNameSymbols,
            &codes->name[c]);
        !st.ok()) {
      return Invalid(absl::StrCat("name code of context ", c, ": ", st.message()));
    }
  }
  const uint8_t* lcp_lengths =
      nibbles.data() + tf::kNameContexts * tf::kNameSymbols;
  if (absl::Status st =
          HuffmanDecoder::Build(lcp_lengths, tf::kLcpSymbols, &codes->lcp);
      !st.ok()) {
    return Invalid(absl::StrCat("lcp code: ", st.message()));
  }
  if (absl::Status st = HuffmanDecoder::Build(
          lcp_lengths + tf::kLcpSymbols, kind_symbols, &codes->kind);
      !st.ok()) {
    return Invalid(absl::StrCat("kind code: ", st.message()));
  }
  r.codes_ = codes;

  // The name stream: every entry decoded once, in order.
  const uint64_t stream_bytes = (r.stream_bits_ + 7) / 8;
  for (uint64_t i = stream_bytes; i < stream_size; ++i) {
    if (r.stream_[i] != 0) return Invalid("name stream padding is not zero");
  }
  if (r.stream_bits_ % 8 != 0 &&
      (r.stream_[stream_bytes - 1] & (0xFF >> (r.stream_bits_ % 8))) != 0) {
    return Invalid("name stream padding is not zero");
  }
  BitCursor cursor(r.stream_, r.stream_bits_, 0);
  uint8_t keys[2][name_key::kMaxKeyLength + 1];
  size_t previous_length = 0;
  int cur = 0;
  // Entries that are label-boundary prefixes of the previous entry.
  struct Link {
    size_t length;
    int labels;
    size_t index;
  };
  std::vector<Link> chain;
  codes->groups = GroupFilter(r.entry_count_);
  bool indexed = options.name_index && codes->hasher.Seed();
  if (indexed) {
    codes->index = NameIndex(r.entry_count_);
    indexed = codes->index.enabled();
    if (indexed) codes->stride = 2;
  }
  codes->entries.reserve(r.entry_count_ * codes->stride);
  uint64_t block_start = 0;
  size_t wildcards = 0;
  int most_labels = 0;
  for (size_t i = 0; i < r.entry_count_; ++i) {
    const std::string where = absl::StrCat("entry ", i, ": ");
    const bool head = i % r.block_size_ == 0;
    uint8_t* key = keys[cur];
    const uint8_t* previous = keys[1 - cur];
    size_t lcp = 0;
    if (head) {
      const uint64_t block = i / r.block_size_;
      if (ReadPacked(r.offsets_, block, r.offset_bits_) != cursor.position()) {
        return Invalid(absl::StrCat(where, "block ", block,
                                    " offset does not match the stream"));
      }
      block_start = cursor.position();
    } else {
      if (codes->lcp.empty()) return Invalid(where + "the lcp code is unused");
      lcp = codes->lcp.Decode(&cursor);
      if (lcp > previous_length) {
        return Invalid(where + "shares more symbols than the previous name has");
      }
    }
    std::memcpy(key, previous, lcp);
    const uint64_t suffix_bits = cursor.position() - block_start;
    size_t length = lcp;
    uint8_t context = lcp == 0 ? 0 : key[lcp - 1];
    while (true) {
      if (codes->name[context].empty()) {
        return Invalid(absl::StrCat(where, "name code of context ", context,
                                    " is unused"));
      }
      const uint8_t symbol =
          static_cast<uint8_t>(codes->name[context].Decode(&cursor));
      if (symbol == name_key::kSymEnd) break;
      if (length == name_key::kMaxKeyLength) return Invalid(where + "name too long");
      key[length++] = symbol;
      context = symbol;
    }
    if (codes->kind.empty()) return Invalid(where + "the kind code is unused");
    const uint32_t kind = codes->kind.Decode(&cursor);
    if (kind >= r.kind_count_) return Invalid(where + "kind out of range");
    if (cursor.position() > r.stream_bits_) {
      return Invalid(where + "runs past the end of the name stream");
    }
    if (length == lcp) return Invalid(where + "has an empty suffix");
    if (i > 0) {
      if (!head && lcp < previous_length && key[lcp] == previous[lcp]) {
        return Invalid(where + "shared prefix length is not the longest");
      }
      if (CompareKeys(previous, previous_length, key, length) >= 0) {
        return Invalid(where + "names not strictly ascending");
      }
    }
    if (head) {
      codes->head_words.push_back(KeyWord(key, length, 0));
      codes->head_words.push_back(KeyWord(key, length, 10));
    }
    if (head && HeadPrefix(key, length) !=
                    ReadPacked(r.prefixes_, i / r.block_size_,
                               tf::kHeadPrefixBits)) {
      return Invalid(where + "block head prefix does not match the name");
    }
    const std::string name = name_key::NameOf(key, length);
    int labels = 0;
    uint8_t again[name_key::kMaxKeyLength];
    if (!IsCanonicalEntryName(name) ||
        name_key::KeyOf(name, again, nullptr, &labels) != length ||
        std::memcmp(again, key, length) != 0) {
      return Invalid(where + "name is not canonical");
    }
    const HostRule rule = r.KindRule(kind);
    const bool wildcard = IsWildcardName(name);
    if (rule.is_wildcard != wildcard) {
      return Invalid(where + "wildcard flag does not match the name");
    }
    wildcards += wildcard ? 1 : 0;
    if (indexed) {
      // A slot farther than NameIndex::kMaxDisplacement from its home
      // (not expected at half load unless the seed is broken): no index,
      // lookups search the names instead. Exact either way.
      indexed = codes->index.Insert(
          codes->hasher.HashName(name.data(), name.size()),
          static_cast<uint32_t>(i));
    }
    {
      // Tag 1: a one-label entry, or the label of "*." + one label (both
      // decide hosts of that top label alone). Tag 2: the first two
      // labels of the key (every other entry that decides a host shares
      // them with it).
      size_t separators[2] = {length, length};
      int seen = 0;
      for (size_t k = 0; k < length && seen < 2; ++k) {
        if (key[k] == name_key::kSymSeparator) separators[seen++] = k;
      }
      if (labels == 1) codes->groups.Add(1, key, length);
      if (labels == 2 && wildcard) codes->groups.Add(1, key, separators[0]);
      if (labels >= 2) codes->groups.Add(2, key, separators[1]);
    }
    most_labels = std::max(most_labels, labels);
    if (labels > 0 && labels < 128) {
      codes->label_counts[labels / 64] |= uint64_t{1} << (labels % 64);
    }
    // The longest common prefix with the previous name (for a non-head
    // entry, the lcp just checked to be exact).
    size_t shared = lcp;
    if (head) {
      while (shared < previous_length && shared < length &&
             previous[shared] == key[shared]) {
        ++shared;
      }
    }
    while (!chain.empty()) {
      const Link& top = chain.back();
      if (top.length < shared ||
          (top.length == shared && shared < length &&
           key[shared] == name_key::kSymSeparator)) {
        break;
      }
      chain.pop_back();
    }
    if (r.KindAncestorLabels(kind) != (chain.empty() ? 0 : chain.back().labels)) {
      return Invalid(where + "ancestor depth does not match the names");
    }
    if (suffix_bits >= (uint64_t{1} << kSuffixBits)) {
      return Invalid(where + "block longer than a block can be");
    }
    uint64_t delta = 0;
    if (!chain.empty()) {
      delta = i - chain.back().index;
      if (delta >= kFarAncestor) {
        codes->far_ancestors.emplace_back(static_cast<uint32_t>(i),
                                          static_cast<uint32_t>(chain.back().index));
        delta = kFarAncestor;
      }
    }
    codes->entries.push_back(PackEntry(suffix_bits, kind, lcp, length, delta));
    if (codes->stride == 2) codes->entries.push_back(KeyWord(key, length, 0));
    chain.push_back({length, labels, i});
    previous_length = length;
    cur = 1 - cur;
  }
  if (cursor.position() != r.stream_bits_) {
    return Invalid("name stream has bits after the last entry");
  }
  if (wildcards != r.wildcard_count_) {
    return Invalid("wildcard count does not match the names");
  }
  if (most_labels != r.max_entry_labels_) {
    return Invalid("max entry labels does not match the names");
  }
  for (int n = 1; n < 128; ++n) {
    codes->label_count_kinds += (codes->label_counts[n / 64] >> (n % 64)) & 1;
  }
  for (size_t k = 0; k < r.kind_count_; ++k) {
    codes->kind_rules.push_back(r.KindRule(static_cast<uint32_t>(k)));
  }
  if (codes->kind_rules.empty()) codes->kind_rules.push_back(HostRule());
  if (indexed) {
    codes->groups = GroupFilter();  // Not used with the index.
  } else {
    codes->index = NameIndex();
    if (codes->stride == 2) {  // No anchors without the index.
      for (size_t i = 0; i < r.entry_count_; ++i) {
        codes->entries[i] = codes->entries[2 * i];
      }
      codes->entries.resize(r.entry_count_);
      codes->entries.shrink_to_fit();
      codes->stride = 1;
    }
  }
  r.name_index_ = codes->index.enabled() ? &codes->index : nullptr;
  r.name_hasher_ = &codes->hasher;
  r.label_counts_ = codes->label_counts;
  r.label_count_kinds_ = codes->label_count_kinds;
  r.entry_words_ = codes->entries.data();
  r.entry_stride_ = codes->stride;
  r.kind_rules_ = codes->kind_rules.data();
  r.kind_rule_count_ = codes->kind_rules.size();
  return r;
}

HostRule TableReader::ClassRule(size_t class_index) const {
  HostRule rule;
  if (class_count_ == 0) return rule;
  class_index = std::min(class_index, class_count_ - 1);
  const uint8_t* rec = classes_ + class_index * tf::kClassRecordSize;
  const uint8_t flags = rec[0];
  const uint16_t pinset = Load<uint16_t>(rec + 2);
  // Bounds-safe even over bytes changed after Open: a pinset index past
  // the pinsets reads as "no pins", and report-only needs pins.
  rule.pinset_index = pinset < pinset_count_ ? pinset : -1;
  rule.settings() = EntrySettingsFromFlags(flags, rule.has_pins());
  rule.is_wildcard = FlagsMarkWildcard(flags);
  return rule;
}

HostRule TableReader::KindRule(uint32_t kind) const {
  if (kind_count_ == 0) return HostRule();
  const size_t k = std::min<size_t>(kind, kind_count_ - 1);
  return ClassRule(kinds_[k * tf::kKindRecordSize]);
}

int TableReader::KindAncestorLabels(uint32_t kind) const {
  if (kind_count_ == 0) return 0;
  const size_t k = std::min<size_t>(kind, kind_count_ - 1);
  return kinds_[k * tf::kKindRecordSize + 1];
}

PinsetView TableReader::pinset(size_t i) const {
  PinsetView view;
  if (pinset_count_ == 0) return view;
  i = std::min(i, pinset_count_ - 1);
  const uint8_t* rec = pinsets_ + i * tf::kPinsetRecordSize;
  // Every offset and length clamped to its section: checked at Open, but
  // the bytes may have changed since.
  auto pool_string = [this](uint32_t offset, uint32_t length) {
    const size_t off = std::min<size_t>(offset, pool_size_);
    return absl::string_view(pool_ + off,
                             std::min<size_t>(length, pool_size_ - off));
  };
  view.name_ = pool_string(Load<uint32_t>(rec), Load<uint32_t>(rec + 4));
  view.report_uri_ =
      pool_string(Load<uint32_t>(rec + 8), Load<uint32_t>(rec + 12));
  const size_t first = std::min<size_t>(Load<uint32_t>(rec + 16), key_ref_count_);
  const size_t room = key_ref_count_ - first;
  view.keys_ = keys_;
  view.key_count_ = key_count_;
  view.refs_ = key_refs_ + first * tf::kKeyRefSize;
  view.good_count_ = std::min<size_t>(Load<uint16_t>(rec + 20), room);
  view.bad_count_ =
      std::min<size_t>(Load<uint16_t>(rec + 22), room - view.good_count_);
  return view;
}

SpkiHash TableReader::key(size_t i) const {
  SpkiHash hash;
  if (key_count_ == 0) return hash;
  i = std::min(i, key_count_ - 1);
  std::memcpy(hash.bytes.data(), keys_ + i * tf::kKeySize, tf::kKeySize);
  return hash;
}

size_t TableReader::DecodeSuffix(BitCursor* cursor, uint8_t* key,
                                 size_t lcp) const {
  size_t length = lcp;
  uint8_t context = lcp == 0 ? 0 : key[lcp - 1];
  // Bounded by the longest key even over changed bytes.
  while (length < name_key::kMaxKeyLength) {
    const uint32_t symbol = codes_->name[context].Decode(cursor);
    if (symbol == name_key::kSymEnd) break;
    key[length++] = static_cast<uint8_t>(symbol);
    context = static_cast<uint8_t>(symbol);
  }
  return length;
}

bool TableReader::HeadAtMost(uint64_t block, const uint8_t* key, size_t length,
                             uint64_t prefix) const {
  const uint64_t head_prefix =
      ReadPacked(prefixes_, block, tf::kHeadPrefixBits);
  if (head_prefix != prefix) return head_prefix < prefix;
  // Same prefix: decode the head only as far as it agrees with key.
  BitCursor cursor(stream_, stream_bits_,
                   ReadPacked(offsets_, block, offset_bits_));
  uint8_t context = 0;
  for (size_t n = 0; n < name_key::kMaxKeyLength; ++n) {
    const uint32_t symbol = codes_->name[context].Decode(&cursor);
    if (symbol == name_key::kSymEnd) return true;  // A prefix of key.
    if (n >= length) return false;                  // key is a prefix.
    if (symbol != key[n]) return symbol < key[n];
    context = static_cast<uint8_t>(symbol);
  }
  return true;
}

void TableReader::Find(const uint8_t* key, size_t length,
                       KeyMatch* out) const {
  *out = KeyMatch();
  if (block_count_ == 0 || length == 0) return;
  const uint64_t prefix = HeadPrefix(key, length);
  const uint64_t word0 = KeyWord(key, length, 0);
  const uint64_t word1 = KeyWord(key, length, 10);
  const uint64_t* heads = codes_->head_words.data();
  // Whether block b's head is <= key: integers first, and the head decoded
  // only when its first 20 symbols are key's.
  auto at_most = [&](uint64_t b) {
    const uint64_t h0 = heads[2 * b];
    const uint64_t h1 = heads[2 * b + 1];
    if (ABSL_PREDICT_FALSE(h0 == word0 && h1 == word1)) {
      return HeadAtMost(b, key, length, prefix);
    }
    return static_cast<bool>((h0 < word0) | ((h0 == word0) & (h1 < word1)));
  };
  // The last block whose head is <= key (heads ascend), halving the range
  // with a conditional move rather than a branch.
  uint64_t block = 0;
  for (uint64_t n = block_count_; n > 1;) {
    const uint64_t half = n / 2;
    block = at_most(block + half) ? block + half : block;
    n -= half;
  }
  if (!at_most(block)) return;
  const uint64_t first = block * static_cast<uint64_t>(block_size_);
  const uint64_t end =
      first + std::min<uint64_t>(block_size_, entry_count_ - first);
  const uint64_t block_bits = ReadPacked(offsets_, block, offset_bits_);
  const Codes& codes = *codes_;
  const uint64_t* entries = codes.entries.data();
  const size_t stride = codes.stride;
  // Invariant: entry i-1 (if accepted) is <= key and shares exactly
  // `common` symbols with it. Entry i shares lcp symbols with entry
  // i-1 (the longest common prefix, checked at Open), so: lcp > common
  // means entry i equals entry i-1 at `common`, below key's symbol there
  // (or entry i-1 ended there, impossible as entry i is longer than lcp):
  // entry i < key with the same `common`, no decoding needed. lcp < common
  // means entry i is above entry i-1 at lcp, where entry i-1 equals key:
  // entry i > key, stop. lcp == common: decode entry i's suffix only as
  // far as it agrees with key.
  size_t common = 0;
  bool exact = false;
  uint64_t accepted = end;  // None yet.
  uint64_t i = first;
  {
    // The head is <= key (the binary search's invariant). Its first 20
    // symbols are the head words (decoded from the stored name at Open):
    // where they differ from key's, that is the common prefix, and the
    // head need not be decoded. 0-padded, so a head shorter than 20
    // symbols that agrees with key everywhere is key itself.
    const uint64_t x0 = heads[2 * block] ^ word0;
    const uint64_t x1 = heads[2 * block + 1] ^ word1;
    if (x0 != 0 || x1 != 0) {
      accepted = i;
      common = x0 != 0 ? (__builtin_clzll(x0) - 4) / 6
                       : 10 + (__builtin_clzll(x1) - 4) / 6;
      ++i;
    } else if (length < 20) {
      accepted = i;
      common = length;
      exact = true;
      ++i;
    }
  }
  for (; i < end; ++i) {
    const uint64_t packed = entries[i * stride];
    const size_t lcp = (packed >> 30) & 0xFF;
    if (i > first) {
      if (lcp < common) break;
      if (lcp > common) {
        accepted = i;
        exact = false;
        continue;
      }
    }
    BitCursor cursor(stream_, stream_bits_,
                     block_bits + (packed & ((uint64_t{1} << kSuffixBits) - 1)));
    const HuffmanDecoder* name = codes.name;
    size_t n = i > first ? lcp : 0;
    uint8_t context = n == 0 ? 0 : key[n - 1];
    bool greater = false;
    bool ended = false;
    // At most length + 1 symbols: each agrees with key or ends the loop.
    while (true) {
      const uint32_t symbol = name[context].Decode(&cursor);
      if (symbol == name_key::kSymEnd) {
        ended = true;  // The entry is key's first n symbols.
        break;
      }
      if (n >= length || symbol > key[n]) {
        greater = true;
        break;
      }
      if (symbol < key[n]) break;  // Below key, sharing n symbols.
      context = static_cast<uint8_t>(symbol);
      ++n;
    }
    if (greater) break;
    accepted = i;
    common = n;
    exact = ended && n == length;
  }
  if (accepted == end) return;  // Only over bytes changed after Open.
  out->found = true;
  out->exact = exact;
  out->entry = static_cast<uint32_t>(accepted);
  out->common = common;
}

TableReader::EntryInfo TableReader::entry_info(uint32_t i) const {
  EntryInfo info;
  const std::vector<uint64_t>& entries = codes_->entries;
  const size_t stride = codes_->stride;
  if (entries.empty()) return info;
  i = static_cast<uint32_t>(std::min<size_t>(i, entries.size() / stride - 1));
  const uint64_t packed = entries[i * stride];
  info.suffix_bits =
      static_cast<uint32_t>(packed & ((uint64_t{1} << kSuffixBits) - 1));
  info.kind = static_cast<uint16_t>((packed >> 18) & 0xFFF);
  info.lcp = static_cast<uint8_t>(packed >> 30);
  info.length = static_cast<uint8_t>(packed >> 38);
  const uint64_t delta = packed >> 46;
  if (delta == kFarAncestor) {
    const auto& far = codes_->far_ancestors;
    const auto it = std::lower_bound(
        far.begin(), far.end(), std::make_pair(i, uint32_t{0}));
    if (it != far.end() && it->first == i) info.ancestor = it->second + 1;
  } else if (delta != 0) {
    info.ancestor = i - static_cast<uint32_t>(delta) + 1;
  }
  return info;
}

size_t TableReader::accelerator_bytes() const {
  if (codes_ == nullptr) return 0;
  return sizeof(Codes) + codes_->head_words.capacity() * sizeof(uint64_t) +
         codes_->entries.capacity() * sizeof(uint64_t) +
         codes_->far_ancestors.capacity() * sizeof(std::pair<uint32_t, uint32_t>) +
         codes_->groups.bytes() + codes_->index.bytes() +
         codes_->kind_rules.capacity() * sizeof(HostRule);
}

bool TableReader::EntryIs(uint32_t entry, const uint8_t* key,
                          size_t length) const {
  if (codes_ == nullptr) return false;
  const Codes& codes = *codes_;
  const uint64_t* entries = codes.entries.data();
  if (codes.stride != 2 || entry >= codes.entries.size() / 2) return false;
  const uint64_t packed = entries[2 * entry];
  if (((packed >> 38) & 0xFF) != length) return false;
  // Symbols [0, 10): the entry's anchor (its first 10 symbols, decoded at
  // Open), 0-padded like the key's word; same length, so equal words mean
  // equal symbols there.
  if (entries[2 * entry + 1] != KeyWord(key, length, 0)) return false;
  if (length <= 10) return true;
  const uint64_t block = entry / static_cast<uint64_t>(block_size_);
  const uint64_t first = block * static_cast<uint64_t>(block_size_);
  const uint64_t block_bits = ReadPacked(offsets_, block, offset_bits_);
  // Symbols [10, end) remain to be compared. Entry j's symbols at
  // [lcp_j, ...) are its own suffix; those below lcp_j are entry j-1's
  // (lcp checked at Open). So walk back from `entry`, comparing at each
  // entry the part of [10, end) that its suffix holds.
  size_t end = length;
  for (uint64_t j = entry;; --j) {
    if (j == first && end <= 20) {
      // The head's symbols [10, 20), decoded at Open.
      const uint64_t word = codes.head_words[2 * block + 1];
      for (size_t k = 10; k < end; ++k) {
        const uint64_t symbol = (word >> (6 * (19 - k))) & 63;
        if (symbol != key[k]) return false;
      }
      return true;
    }
    const uint64_t info = j == entry ? packed : entries[2 * j];
    const size_t from = j == first ? 0 : (info >> 30) & 0xFF;
    if (from < end) {
      BitCursor cursor(stream_, stream_bits_,
                       block_bits + (info & ((uint64_t{1} << kSuffixBits) - 1)));
      // The context is the symbol before `from`: key's, which the anchor
      // or the walk further back compares (a mismatch there fails the
      // whole test).
      uint8_t context = from == 0 ? 0 : key[from - 1];
      for (size_t k = from; k < end; ++k) {
        const uint32_t symbol = codes.name[context].Decode(&cursor);
        if (symbol != key[k]) return false;
        context = static_cast<uint8_t>(symbol);
      }
      end = from;
    }
    if (end <= 10 || j == first) return true;
  }
}

bool TableReader::MayDecide(const uint8_t* key, size_t top_length,
                            size_t group_length) const {
  if (codes_ == nullptr) return false;
  const GroupFilter& groups = codes_->groups;
  return groups.MayContain(1, key, top_length) ||
         (group_length > 0 && groups.MayContain(2, key, group_length));
}

std::optional<HostRule> TableReader::FindEntry(absl::string_view name) const {
  uint8_t key[name_key::kMaxKeyLength];
  const size_t length = name_key::KeyOf(name, key, nullptr, nullptr);
  if (length == 0) return std::nullopt;
  KeyMatch match;
  Find(key, length, &match);
  if (!match.exact) return std::nullopt;
  return KindRule(entry_info(match.entry).kind);
}

absl::StatusOr<std::vector<std::pair<std::string, HostRule>>>
TableReader::Entries() const {
  std::vector<std::pair<std::string, HostRule>> entries;
  entries.reserve(entry_count_);
  if (entry_count_ == 0) return entries;
  BitCursor cursor(stream_, stream_bits_, 0);
  uint8_t key[name_key::kMaxKeyLength + 1];
  size_t length = 0;
  for (size_t i = 0; i < entry_count_; ++i) {
    const size_t lcp =
        i % block_size_ == 0
            ? 0
            : std::min<size_t>(codes_->lcp.Decode(&cursor), length);
    length = DecodeSuffix(&cursor, key, lcp);
    const uint32_t kind = codes_->kind.Decode(&cursor);
    entries.emplace_back(name_key::NameOf(key, length), KindRule(kind));
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return entries;
}

absl::StatusOr<std::vector<std::string>> TableReader::EntryNames() const {
  absl::StatusOr<std::vector<std::pair<std::string, HostRule>>> entries =
      Entries();
  if (!entries.ok()) return entries.status();
  std::vector<std::string> names;
  names.reserve(entries->size());
  for (auto& [name, rule] : *entries) names.push_back(std::move(name));
  return names;
}

}  // namespace pinbake
