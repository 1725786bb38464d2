// Writer of the binary pin table; the layout is documented in
// docs/format.md and its constants are in runtime/table_format.h.

#include "compiler/table_writer.h"

#include <openssl/sha.h>

#include <algorithm>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "runtime/little_endian.h"
#include "runtime/table_format.h"

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
  return flags;
}

}  // namespace

absl::StatusOr<std::string> WriteTable(const PinListModel& model) {
  // Canonical order of everything, independent of input order.
  std::vector<const Pinset*> pinsets;
  std::vector<SpkiHash> all_keys;
  for (const Pinset& pinset : model.pinsets) {
    pinsets.push_back(&pinset);
    all_keys.insert(all_keys.end(), pinset.good.begin(), pinset.good.end());
    all_keys.insert(all_keys.end(), pinset.bad.begin(), pinset.bad.end());
  }
  std::sort(pinsets.begin(), pinsets.end(),
            [](const Pinset* a, const Pinset* b) { return a->name < b->name; });
  const std::vector<SpkiHash> keys = SortedUnique(std::move(all_keys));
  std::vector<const HostEntry*> entries;
  entries.reserve(model.entries.size());
  for (const HostEntry& entry : model.entries) entries.push_back(&entry);
  std::sort(entries.begin(), entries.end(),
            [](const HostEntry* a, const HostEntry* b) {
              return a->name < b->name;
            });

  if (pinsets.size() > tf::kMaxPinsets) {
    return absl::InvalidArgumentError(
        absl::StrCat("too many pinsets: ", pinsets.size()));
  }
  if (keys.size() > tf::kMaxKeys) {
    return absl::InvalidArgumentError(
        absl::StrCat("too many distinct keys: ", keys.size()));
  }

  absl::flat_hash_map<SpkiHash, uint16_t> key_index;
  for (size_t i = 0; i < keys.size(); ++i) {
    key_index[keys[i]] = static_cast<uint16_t>(i);
  }
  absl::flat_hash_map<std::string, uint16_t> pinset_index;
  for (size_t i = 0; i < pinsets.size(); ++i) {
    if (!pinset_index.emplace(pinsets[i]->name, static_cast<uint16_t>(i))
             .second) {
      return absl::InvalidArgumentError(
          absl::StrCat("duplicate pinset name: ", pinsets[i]->name));
    }
  }

  std::string pool;
  std::string entry_records;
  for (size_t i = 0; i < entries.size(); ++i) {
    const HostEntry& entry = *entries[i];
    if (entry.name.size() > 255) {
      return absl::InvalidArgumentError(
          absl::StrCat("name too long for the table: ", entry.name));
    }
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
    Append<uint32_t>(AddString(entry.name, &pool), &entry_records);
    Append<uint8_t>(static_cast<uint8_t>(entry.name.size()), &entry_records);
    Append<uint8_t>(EntryFlags(entry), &entry_records);
    Append<uint16_t>(pinset, &entry_records);
  }

  std::string key_refs;
  std::string pinset_records;
  uint32_t ref_count = 0;
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
    Append<uint32_t>(AddString(pinset->name, &pool), &pinset_records);
    Append<uint32_t>(static_cast<uint32_t>(pinset->name.size()),
                     &pinset_records);
    Append<uint32_t>(AddString(pinset->report_uri, &pool), &pinset_records);
    Append<uint32_t>(static_cast<uint32_t>(pinset->report_uri.size()),
                     &pinset_records);
    Append<uint32_t>(ref_count, &pinset_records);
    Append<uint16_t>(static_cast<uint16_t>(good.size()), &pinset_records);
    Append<uint16_t>(static_cast<uint16_t>(bad.size()), &pinset_records);
    for (uint16_t ref : good) Append<uint16_t>(ref, &key_refs);
    for (uint16_t ref : bad) Append<uint16_t>(ref, &key_refs);
    ref_count += static_cast<uint32_t>(good.size() + bad.size());
  }
  if (pool.size() > 0xFFFFFFFFu) {
    return absl::InvalidArgumentError("string pool over 4 GiB");
  }

  std::string out;
  out.append(tf::kMagic.data(), tf::kMagic.size());
  Append<uint32_t>(tf::kFormatVersion, &out);
  Append<uint32_t>(tf::kHeaderSize, &out);
  Append<uint64_t>(model.list.version, &out);
  Append<uint64_t>(static_cast<uint64_t>(model.list.timestamp), &out);
  Append<uint32_t>(static_cast<uint32_t>(model.list.max_age_days), &out);
  Append<uint32_t>(static_cast<uint32_t>(entries.size()), &out);
  Append<uint32_t>(static_cast<uint32_t>(pinsets.size()), &out);
  Append<uint32_t>(static_cast<uint32_t>(keys.size()), &out);
  Append<uint32_t>(ref_count, &out);
  Append<uint32_t>(static_cast<uint32_t>(pool.size()), &out);
  const uint64_t total = tf::kHeaderSize + keys.size() * tf::kKeySize +
                         key_refs.size() + pinset_records.size() +
                         entry_records.size() + pool.size() + tf::kChecksumSize;
  Append<uint64_t>(total, &out);
  for (const SpkiHash& key : keys) {
    out.append(reinterpret_cast<const char*>(key.bytes.data()), key.kSize);
  }
  out += key_refs;
  out += pinset_records;
  out += entry_records;
  out += pool;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(out.data()), out.size(),
         digest);
  out.append(reinterpret_cast<const char*>(digest), sizeof(digest));
  return out;
}

}  // namespace pinbake
