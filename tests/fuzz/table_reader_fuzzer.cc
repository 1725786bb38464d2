// Fuzzes the table reader through its public API: TableReader::Open on any
// bytes, then every accessor a tool or a lookup uses. Whatever the bytes,
// Open must either refuse them or return a reader whose accessors stay in
// bounds (ASan/UBSan check that), and lookups must agree with FindEntry.
//
// Most mutations of a real table break its trailing SHA-256 checksum, which
// Open checks first, so each input is also tried with the last 32 bytes
// replaced by the SHA-256 of the bytes before them: that lets the fuzzer
// reach the structural checks behind the checksum. (If the format stops
// ending in a SHA-256, this second try is merely redundant.)

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <openssl/sha.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "format/host_name.h"
#include "runtime/pin_list.h"
#include "format/spki_hash.h"
#include "runtime/table_reader.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

// Hosts looked up in every table that opens: plain, nested, wildcard-ish,
// excluded, invalid and edge-of-limit names.
const char* const kHosts[] = {
    "example.com",         "www.example.com",      "staging.example.com",
    "a.staging.example.com", "accounts.example.org", "x.accounts.example.org",
    "beta.example.org",    "a.cdn.example.net",     "cdn.example.net",
    "a.b.cdn.example.net", "old.example.net",       "www.example.edu",
    "com",                 "a.b.c.d.e.f.g.example.com", "EXAMPLE.COM.",
    "",                    ".",                     "a..b",
    "10.0.0.1",            "*.example.com",         "xn--bcher-kva.example",
    "a.wild.example.com",  "a.b.wild.example.com",  "wild.example.com",
};

void Touch(const pinbake::PinsetView& p) {
  volatile size_t sink = p.name().size() + p.report_uri().size();
  for (size_t g = 0; g < p.good_count(); ++g) {
    pinbake::SpkiHash h = p.good(g);
    FUZZ_CHECK(p.HasGood(h));
    sink += h.bytes[0];
  }
  for (size_t b = 0; b < p.bad_count(); ++b) {
    pinbake::SpkiHash h = p.bad(b);
    FUZZ_CHECK(p.HasBad(h));
    sink += h.bytes[31];
  }
  pinbake::SpkiHash zero;
  sink += p.HasGood(zero) + p.HasBad(zero);
  (void)sink;
}

void Walk(absl::string_view bytes) {
  absl::StatusOr<pinbake::TableReader> table =
      pinbake::TableReader::Open(bytes);
  if (!table.ok()) return;

  volatile uint64_t sink = table->format_version() + table->list_version() +
                           static_cast<uint64_t>(table->timestamp()) +
                           table->max_age_days() + table->bytes().size();
  for (size_t i = 0; i < table->key_count(); ++i) sink += table->key(i).bytes[0];
  for (size_t i = 0; i < table->pinset_count(); ++i) Touch(table->pinset(i));
  (void)sink;

  // Format 3 always carries the names; each must be found.
  absl::StatusOr<std::vector<std::string>> names = table->EntryNames();
  FUZZ_CHECK(names.ok());
  if (names.ok()) {
    FUZZ_CHECK(names->size() == table->entry_count());
    for (const std::string& name : *names) {
      std::optional<pinbake::HostRule> rule = table->FindEntry(name);
      FUZZ_CHECK(rule.has_value());
      if (rule->has_pins()) {
        FUZZ_CHECK(static_cast<size_t>(rule->pinset_index) <
                   table->pinset_count());
      }
    }
  }

  const pinbake::PinList list(*table);
  for (const char* host : kHosts) {
    pinbake::LookupResult r = list.Lookup(host);
    if (r.pinned()) Touch(*r.pinset);
    sink += r.PinRuleName().size() + r.HstsRuleName().size() + r.force_https();
  }
  if (names.ok()) {
    // Look up (a bounded number of) the table's own names and a child of
    // each: these reach the exact, wildcard and ancestor paths.
    size_t n = 0;
    for (const std::string& name : *names) {
      if (++n > 64) break;
      pinbake::LookupResult r = list.Lookup(name);
      if (r.pinned()) Touch(*r.pinset);
      std::string child = name.size() > 2 && name[0] == '*' ? "x" + name.substr(1)
                                                           : "x." + name;
      r = list.Lookup(child);
      if (r.pinned()) Touch(*r.pinset);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  Walk(bytes);

  constexpr size_t kDigest = SHA256_DIGEST_LENGTH;
  if (size > kDigest) {
    std::string fixed(bytes.substr(0, size - kDigest));
    uint8_t digest[kDigest];
    SHA256(reinterpret_cast<const uint8_t*>(fixed.data()), fixed.size(),
           digest);
    fixed.append(reinterpret_cast<const char*>(digest), kDigest);
    if (fixed != bytes) Walk(fixed);
  }
  return 0;
}
