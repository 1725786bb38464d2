// Every validation rule of TableReader::Open (docs/format.md, "What the
// reader checks") broken on its own: a small table is assembled here from
// its parts by an independent encoder (so that a rule inside the name
// stream can be broken exactly), one part is changed, the checksum is
// re-sealed, and Open must refuse the table with that rule's reason.

#include <openssl/sha.h>

#include <functional>
#include <string>
#include <vector>

#include "compiler/huffman_builder.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "format/bit_array.h"
#include "format/little_endian.h"
#include "format/name_key.h"
#include "runtime/pin_list.h"
#include "format/table_format.h"
#include "runtime/table_reader.h"

namespace pinbake {
namespace {

namespace tf = table_format;
using little_endian::Append;
using ::testing::HasSubstr;

// One stored entry: lcp (ignored for a block head), the suffix symbols and
// the kind.
struct RawEntry {
  size_t lcp;
  std::vector<uint8_t> suffix;
  uint32_t kind;
};

// The parts of a table, and how to serialise them.
struct Parts {
  uint64_t list_version = 5;
  int64_t timestamp = 1800000000;
  uint32_t max_age_days = 60;
  std::string list_id = "test-list";
  std::vector<SpkiHash> keys;
  std::vector<uint16_t> refs;
  struct PinsetRecord {
    std::string name;
    std::string report_uri;
    uint32_t first_ref;
    uint16_t good;
    uint16_t bad;
  };
  std::vector<PinsetRecord> pinsets;
  std::vector<std::pair<uint8_t, uint16_t>> classes;  // (flags, pinset)
  std::vector<std::pair<uint8_t, uint8_t>> kinds;     // (class, ancestor)
  std::vector<uint8_t> name_lengths;  // 41 x 41
  std::vector<uint8_t> lcp_lengths;   // 256
  std::vector<uint8_t> kind_lengths;  // max(kinds, 2)
  std::vector<RawEntry> entries;
  int block_size = 2;
  int max_labels = 3;
  uint32_t wildcards = 1;
  // Applied to the stream bits after encoding (e.g. extra bits).
  std::function<void(BitWriter*)> extra_bits;
  // Applied to the finished bytes before sealing.
  std::function<void(std::string*)> edit;
};

SpkiHash HashOf(uint8_t fill) {
  SpkiHash h;
  h.bytes.fill(fill);
  return h;
}

std::vector<uint8_t> Symbols(absl::string_view name_key_text) {
  // Key text as bytes: '.' separator, other bytes as name_key symbols.
  std::vector<uint8_t> out;
  for (char c : name_key_text) {
    out.push_back(static_cast<uint8_t>(name_key::SymbolOf(c)));
  }
  return out;
}

// A complete code for 41 symbols: 23 of length 5, 18 of length 6.
std::vector<uint8_t> NameContextLengths() {
  std::vector<uint8_t> l(tf::kNameSymbols);
  for (int s = 0; s < tf::kNameSymbols; ++s) l[s] = s < 23 ? 5 : 6;
  return l;
}

// The valid baseline: keys in name_key order (labels reversed).
//   com.example            example.com     pins, include_subdomains
//   com.example.a          a.example.com   HSTS, ancestor example.com
//   com.example.b          b.example.com   HSTS, ancestor example.com
//   org.w.*                *.w.org         wildcard HSTS
Parts Baseline() {
  Parts p;
  p.keys = {HashOf(1), HashOf(2), HashOf(3)};
  p.refs = {0, 2, 1};
  p.pinsets = {{"a-pins", "https://r.example/", 0, 2, 0},
               {"b-pins", "", 2, 1, 0}};
  p.classes = {{tf::kFlagIncludeSubdomains, 0},
               {tf::kFlagForceHttps, tf::kNoPinset},
               {tf::kFlagForceHttps | tf::kFlagWildcard, tf::kNoPinset}};
  p.kinds = {{0, 0}, {1, 2}, {2, 0}, {2, 1}};
  for (int c = 0; c < tf::kNameContexts; ++c) {
    std::vector<uint8_t> l = NameContextLengths();
    p.name_lengths.insert(p.name_lengths.end(), l.begin(), l.end());
  }
  p.lcp_lengths.assign(tf::kLcpSymbols, 8);
  p.kind_lengths = {2, 2, 2, 2};
  p.entries = {{0, Symbols("com.example"), 0},
               {11, Symbols(".a"), 1},
               {0, Symbols("com.example.b"), 1},
               {0, Symbols("org.w.*"), 2}};
  return p;
}

std::string Nibbles(const Parts& p) {
  std::vector<uint8_t> all = p.name_lengths;
  all.insert(all.end(), p.lcp_lengths.begin(), p.lcp_lengths.end());
  all.insert(all.end(), p.kind_lengths.begin(), p.kind_lengths.end());
  std::string out((all.size() + 1) / 2, '\0');
  for (size_t i = 0; i < all.size(); ++i) {
    out[i / 2] = static_cast<char>(static_cast<uint8_t>(out[i / 2]) |
                                   ((all[i] & 0xF) << (4 * (i % 2))));
  }
  return out;
}

void Seal(std::string* table) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  const size_t body = table->size() - tf::kChecksumSize;
  SHA256(reinterpret_cast<const unsigned char*>(table->data()), body, digest);
  table->replace(body, tf::kChecksumSize, reinterpret_cast<char*>(digest),
                 sizeof(digest));
}

int BitsFor(uint64_t max) {
  int bits = 1;
  while (bits < 64 && (max >> bits) != 0) ++bits;
  return bits;
}

std::string Build(const Parts& p) {
  // The stream.
  std::vector<uint32_t> name_codes;
  for (int c = 0; c < tf::kNameContexts; ++c) {
    std::vector<uint8_t> l(p.name_lengths.begin() + c * tf::kNameSymbols,
                           p.name_lengths.begin() + (c + 1) * tf::kNameSymbols);
    std::vector<uint32_t> codes = CanonicalCodes(l);
    name_codes.insert(name_codes.end(), codes.begin(), codes.end());
  }
  const std::vector<uint32_t> lcp_codes = CanonicalCodes(p.lcp_lengths);
  const std::vector<uint32_t> kind_codes = CanonicalCodes(p.kind_lengths);
  BitWriter w;
  std::vector<uint64_t> offsets, prefixes;
  std::vector<uint8_t> key;
  for (size_t i = 0; i < p.entries.size(); ++i) {
    const RawEntry& e = p.entries[i];
    const bool head = i % p.block_size == 0;
    size_t lcp = 0;
    if (head) {
      offsets.push_back(w.bit_size());
    } else {
      lcp = e.lcp;
      w.Append(lcp_codes[lcp], p.lcp_lengths[lcp]);
    }
    key.resize(std::min(lcp, key.size()));
    // (An lcp past the previous key, a broken case, uses context 0.)
    uint8_t context = lcp == 0 || lcp > key.size() ? 0 : key[lcp - 1];
    std::vector<uint8_t> symbols = e.suffix;
    symbols.push_back(name_key::kSymEnd);
    for (uint8_t s : symbols) {
      const size_t slot = size_t{context} * tf::kNameSymbols + s;
      w.Append(name_codes[slot], p.name_lengths[slot]);
      if (s != name_key::kSymEnd) key.push_back(s);
      context = s;
    }
    w.Append(kind_codes[e.kind], p.kind_lengths[e.kind]);
    if (head) {
      uint64_t prefix = 0;
      for (int k = 0; k < tf::kHeadPrefixSymbols; ++k) {
        prefix = (prefix << 6) | (static_cast<size_t>(k) < key.size() ? key[k] : 0);
      }
      prefixes.push_back(prefix);
    }
  }
  if (p.extra_bits) p.extra_bits(&w);
  const uint64_t blocks = offsets.size();
  const int offset_bits = BitsFor(w.bit_size());
  PackedArrayWriter offset_array(blocks, offset_bits);
  PackedArrayWriter prefix_array(blocks, tf::kHeadPrefixBits);
  for (uint64_t b = 0; b < blocks; ++b) {
    offset_array.Set(b, offsets[b]);
    prefix_array.Set(b, prefixes[b]);
  }
  // The string pool: pinset strings, then the list id.
  std::string pool, pinset_records;
  for (const Parts::PinsetRecord& r : p.pinsets) {
    Append<uint32_t>(static_cast<uint32_t>(pool.size()), &pinset_records);
    Append<uint32_t>(static_cast<uint32_t>(r.name.size()), &pinset_records);
    pool += r.name;
    Append<uint32_t>(static_cast<uint32_t>(pool.size()), &pinset_records);
    Append<uint32_t>(static_cast<uint32_t>(r.report_uri.size()), &pinset_records);
    pool += r.report_uri;
    Append<uint32_t>(r.first_ref, &pinset_records);
    Append<uint16_t>(r.good, &pinset_records);
    Append<uint16_t>(r.bad, &pinset_records);
  }
  const uint32_t list_id_offset = static_cast<uint32_t>(pool.size());
  pool += p.list_id;

  std::string body;
  for (const SpkiHash& k : p.keys) {
    body.append(reinterpret_cast<const char*>(k.bytes.data()), k.kSize);
  }
  for (uint16_t r : p.refs) Append<uint16_t>(r, &body);
  body += pinset_records;
  for (const auto& [flags, pinset] : p.classes) {
    Append<uint8_t>(flags, &body);
    Append<uint8_t>(0, &body);
    Append<uint16_t>(pinset, &body);
  }
  for (const auto& [cls, anc] : p.kinds) {
    Append<uint8_t>(cls, &body);
    Append<uint8_t>(anc, &body);
  }
  body += Nibbles(p);
  body += offset_array.bytes();
  body += prefix_array.bytes();
  body += w.PaddedBytes();
  body += pool;

  std::string out;
  out.append(tf::kMagic.data(), tf::kMagic.size());
  Append<uint32_t>(tf::kFormatVersion, &out);
  Append<uint32_t>(tf::kHeaderSize, &out);
  Append<uint64_t>(p.list_version, &out);
  Append<uint64_t>(static_cast<uint64_t>(p.timestamp), &out);
  Append<uint32_t>(p.max_age_days, &out);
  Append<uint32_t>(static_cast<uint32_t>(p.entries.size()), &out);
  Append<uint32_t>(static_cast<uint32_t>(p.pinsets.size()), &out);
  Append<uint32_t>(static_cast<uint32_t>(p.keys.size()), &out);
  Append<uint32_t>(static_cast<uint32_t>(p.refs.size()), &out);
  Append<uint32_t>(static_cast<uint32_t>(p.classes.size()), &out);
  Append<uint32_t>(static_cast<uint32_t>(p.kinds.size()), &out);
  Append<uint32_t>(static_cast<uint32_t>(blocks), &out);
  Append<uint8_t>(static_cast<uint8_t>(p.block_size), &out);
  Append<uint8_t>(static_cast<uint8_t>(p.max_labels), &out);
  Append<uint8_t>(static_cast<uint8_t>(offset_bits), &out);
  Append<uint8_t>(0, &out);
  Append<uint32_t>(p.wildcards, &out);
  Append<uint32_t>(static_cast<uint32_t>(pool.size()), &out);
  Append<uint32_t>(list_id_offset, &out);
  Append<uint32_t>(static_cast<uint32_t>(p.list_id.size()), &out);
  Append<uint32_t>(0, &out);
  Append<uint64_t>(w.bit_size(), &out);
  Append<uint64_t>(tf::kHeaderSize + body.size() + tf::kChecksumSize, &out);
  out += body;
  out.append(tf::kChecksumSize, '\0');
  if (p.edit) p.edit(&out);
  Seal(&out);
  return out;
}

// Offsets of the baseline's sections.
constexpr size_t kKeys = tf::kHeaderSize;
constexpr size_t kRefs = kKeys + 3 * tf::kKeySize;
constexpr size_t kPinsets = kRefs + 3 * tf::kKeyRefSize;
constexpr size_t kClasses = kPinsets + 2 * tf::kPinsetRecordSize;
constexpr size_t kKinds = kClasses + 3 * tf::kClassRecordSize;
constexpr size_t kLengths = kKinds + 4 * tf::kKindRecordSize;

void Put32(std::string* t, size_t at, uint32_t v) {
  std::string bytes;
  Append<uint32_t>(v, &bytes);
  t->replace(at, 4, bytes);
}

TEST(TableValidationTest, BaselineIsValidAndLooksUpExactly) {
  const std::string table = Build(Baseline());
  absl::StatusOr<PinList> list = PinList::FromBytes(table);
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->table().list_id(), "test-list");
  const LookupResult a = list->Lookup("x.a.example.com");
  ASSERT_TRUE(a.pinned());
  EXPECT_EQ(a.PinRuleName(), "example.com");
  EXPECT_FALSE(a.force_https());  // a.example.com does not include subdomains.
  EXPECT_TRUE(list->Lookup("a.example.com").force_https());
  EXPECT_TRUE(list->Lookup("q.w.org").force_https());
  EXPECT_EQ(list->Lookup("q.w.org").HstsRuleName(), "*.w.org");
  EXPECT_FALSE(list->Lookup("w.org").force_https());
  EXPECT_FALSE(list->Lookup("a.q.w.org").force_https());
  EXPECT_FALSE(list->Lookup("example.org").pin_rule.has_value());
}

struct Case {
  const char* reason;
  std::function<void(Parts*)> change;
};

TEST(TableValidationTest, EveryRuleIsCheckedWithItsReason) {
  using E = std::string*;
  const std::vector<Case> cases = {
      // Header.
      {"bad header size", [](Parts* p) { p->edit = [](E t) { Put32(t, tf::kOffHeaderSize, 96); }; }},
      {"truncated or padded", [](Parts* p) { p->edit = [](E t) { t->push_back('\0'); Put32(t, tf::kOffTotalSize, static_cast<uint32_t>(t->size() - 1)); }; }},
      {"reserved header field", [](Parts* p) { p->edit = [](E t) { (*t)[tf::kOffReserved8] = 1; }; }},
      {"reserved header field", [](Parts* p) { p->edit = [](E t) { Put32(t, tf::kOffReserved32, 1); }; }},
      {"too many pinsets", [](Parts* p) { p->edit = [](E t) { Put32(t, tf::kOffPinsetCount, 0x10000); }; }},
      {"too many keys", [](Parts* p) { p->edit = [](E t) { Put32(t, tf::kOffKeyCount, 0x10001); }; }},
      {"class count out of range", [](Parts* p) { p->edit = [](E t) { Put32(t, tf::kOffClassCount, 257); }; }},
      {"class count out of range", [](Parts* p) { p->edit = [](E t) { Put32(t, tf::kOffClassCount, 0); }; }},
      {"kind count out of range", [](Parts* p) { p->edit = [](E t) { Put32(t, tf::kOffKindCount, 4097); }; }},
      {"kind count out of range", [](Parts* p) { p->edit = [](E t) { Put32(t, tf::kOffKindCount, 0); }; }},
      {"block size out of range", [](Parts* p) { p->edit = [](E t) { (*t)[tf::kOffBlockSize] = 0; }; }},
      {"block size out of range", [](Parts* p) { p->edit = [](E t) { (*t)[tf::kOffBlockSize] = 65; }; }},
      {"block count does not match", [](Parts* p) { p->edit = [](E t) { Put32(t, tf::kOffBlockCount, 3); }; }},
      {"max entry labels out of range", [](Parts* p) { p->edit = [](E t) { (*t)[tf::kOffMaxEntryLabels] = static_cast<char>(128); }; }},
      {"offset width", [](Parts* p) { p->edit = [](E t) { (*t)[tf::kOffOffsetBits] = static_cast<char>((*t)[tf::kOffOffsetBits] + 1); }; }},
      {"wildcard count over", [](Parts* p) { p->edit = [](E t) { Put32(t, tf::kOffWildcardCount, 5); }; }},
      {"list id outside", [](Parts* p) { p->edit = [](E t) { Put32(t, tf::kOffListIdLength, 100); }; }},
      {"list id outside", [](Parts* p) { p->list_id = std::string(65, 'x'); }},
      {"section sizes add up", [](Parts* p) { p->edit = [](E t) { Put32(t, tf::kOffKeyRefCount, 4); }; }},
      // Keys, refs, pinsets.
      {"keys not strictly ascending", [](Parts* p) { p->keys[1] = HashOf(1); }},
      {"points past the keys", [](Parts* p) { p->refs[2] = 3; }},
      {"string outside the pool", [](Parts* p) { p->edit = [](E t) { Put32(t, kPinsets + 12, 4000); }; }},
      {"refs outside the key refs", [](Parts* p) { p->pinsets[1].good = 2; }},
      {"keys not ascending", [](Parts* p) { p->refs = {2, 0, 1}; }},
      {"name empty or out of order", [](Parts* p) { std::swap(p->pinsets[0].name, p->pinsets[1].name); }},
      {"name empty or out of order", [](Parts* p) { p->pinsets[0].name = ""; }},
      // Classes and kinds.
      {"unknown flags", [](Parts* p) { p->classes[0].first |= 0x40; }},
      {"unknown flags", [](Parts* p) { p->edit = [](E t) { (*t)[kClasses + 1] = 1; }; }},
      {"pinset out of range", [](Parts* p) { p->classes[0].second = 2; }},
      {"report-only with no pins", [](Parts* p) { p->classes[1].first |= tf::kFlagReportOnly; }},
      {"not in (flags, pinset) order", [](Parts* p) { std::swap(p->classes[0], p->classes[1]); }},
      {"class or ancestor out of range", [](Parts* p) { p->kinds[3].first = 3; }},
      {"class or ancestor out of range", [](Parts* p) { p->kinds[3].second = 127; }},
      {"not in (class, ancestor) order", [](Parts* p) { std::swap(p->kinds[0], p->kinds[1]); }},
      // Codes.
      {"name code of context 0: code lengths do not form", [](Parts* p) { p->name_lengths[0] = 4; }},
      {"lcp code: code lengths do not form", [](Parts* p) { p->lcp_lengths[0] = 7; }},
      {"kind code: code lengths do not form", [](Parts* p) { p->kind_lengths[0] = 1; }},
      {"code length", [](Parts* p) { p->edit = [](E t) { (*t)[kLengths] = static_cast<char>(0xF5); }; }},
      {"code length padding is not zero", [](Parts* p) { p->edit = [](E t) {
         // 41 * 41 + 256 + 4 lengths: an odd number of nibbles.
         (*t)[kLengths + 970] = static_cast<char>((*t)[kLengths + 970] | 0x10);
       }; }},
      // The name stream.
      {"name stream padding is not zero", [](Parts* p) { p->edit = [](E t) {
         // The last padding byte of the stream, before the 39-byte pool.
         (*t)[t->size() - tf::kChecksumSize - 39 - 1] = 1;
       }; }},
      {"bits after the last entry", [](Parts* p) { p->extra_bits = [](BitWriter* w) { w->Append(0, 3); }; }},
      {"offset does not match the stream", [](Parts* p) { p->edit = [](E t) {
         // Block 1's offset: field 1 of the packed array after the lengths.
         const int offset_bits = (*t)[tf::kOffOffsetBits];
         const size_t at = kLengths + 971 + offset_bits / 8;
         (*t)[at] = static_cast<char>((*t)[at] ^ (1 << (offset_bits % 8)));
       }; }},
      {"runs past the end of the name stream", [](Parts* p) {
         p->entries[3].kind = 0;  // Code 00: the last two bits are zero.
         p->edit = [](E t) {
           const uint64_t bits = little_endian::Load<uint64_t>(
               reinterpret_cast<const uint8_t*>(t->data()) + tf::kOffStreamBits);
           std::string b;
           Append<uint64_t>(bits - 2, &b);
           t->replace(tf::kOffStreamBits, 8, b);
         };
       }},
      {"lcp code is unused", [](Parts* p) { p->lcp_lengths.assign(256, 0); }},
      {"name code of context 15 is unused", [](Parts* p) { std::fill(p->name_lengths.begin() + 15 * 41, p->name_lengths.begin() + 16 * 41, 0); }},
      {"kind code is unused", [](Parts* p) { p->kind_lengths = {0, 0, 0, 0}; }},
      {"kind out of range", [](Parts* p) {
         // One kind: the code has a second symbol, which no entry may use.
         p->kinds = {{0, 0}};
         p->kind_lengths = {1, 1};
         for (RawEntry& e : p->entries) e.kind = 0;
         p->entries[0].kind = 1;
       }},
      {"shares more symbols than the previous name has", [](Parts* p) { p->entries[1].lcp = 12; }},
      {"name too long", [](Parts* p) { p->entries[3].suffix.assign(256, name_key::SymbolOf('a')); }},
      {"has an empty suffix", [](Parts* p) { p->entries[1].suffix.clear(); }},
      {"shared prefix length is not the longest", [](Parts* p) { p->entries[1].lcp = 10; p->entries[1].suffix = Symbols("e.a"); }},
      {"names not strictly ascending", [](Parts* p) { p->entries[2].suffix = Symbols("com.example.a"); }},
      {"names not strictly ascending", [](Parts* p) { p->entries[1].lcp = 4; p->entries[1].suffix = Symbols("a"); }},
      {"block head prefix does not match", [](Parts* p) { p->edit = [](E t) {
         // The prefix array follows the offsets (2 blocks of offset_bits,
         // rounded up, + 8 bytes of padding).
         const int offset_bits = (*t)[tf::kOffOffsetBits];
         const size_t offsets_size = (2 * offset_bits + 7) / 8 + 8;
         const size_t at = kLengths + (41 * 41 + 256 + 4 + 1) / 2 + offsets_size;
         (*t)[at] ^= 1;
       }; }},
      {"name is not canonical", [](Parts* p) { p->entries[3].suffix = Symbols("org.*.w"); }},
      {"name is not canonical", [](Parts* p) { p->entries[3].suffix = Symbols("org..w"); }},
      {"name is not canonical", [](Parts* p) { p->entries[0].suffix = Symbols("123.example"); }},
      {"wildcard flag does not match", [](Parts* p) { p->entries[3].kind = 1; p->kinds[1].second = 0; p->entries[1].kind = 3; p->entries[2].kind = 3; p->kinds[3] = {1, 2}; std::swap(p->kinds[2], p->kinds[3]); p->entries[1].kind = 2; p->entries[2].kind = 2; p->entries[3].kind = 1; p->kinds[1] = {1, 0}; p->kinds[3] = {2, 1}; }},
      {"ancestor depth does not match", [](Parts* p) { p->entries[1].kind = 0; }},
      {"ancestor depth does not match", [](Parts* p) { p->entries[3].kind = 3; }},
      {"wildcard count does not match", [](Parts* p) { p->wildcards = 0; }},
      {"max entry labels does not match", [](Parts* p) { p->max_labels = 4; }},
  };
  for (const Case& c : cases) {
    Parts parts = Baseline();
    c.change(&parts);
    const std::string table = Build(parts);
    absl::Status status = TableReader::Open(table).status();
    EXPECT_FALSE(status.ok()) << c.reason;
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.reason)) << c.reason;
  }
}

}  // namespace
}  // namespace pinbake
