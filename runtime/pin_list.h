// PinList: host lookup over a validated pin table. This is where a host is
// resolved to the entry that decides its pins and the entry that decides its
// HSTS (force-https), following docs/lookup.md:
//
//   1. Canonicalise the host (format/host_name.h); invalid -> error.
//   2. Try candidates from the most specific: the exact entry; then
//      "*.parent" for the immediate parent; then each proper ancestor,
//      nearest first.
//   3. For pins and for HSTS separately, the first candidate that covers the
//      host decides, even if it has no pins (or no force-https). An exact or
//      wildcard entry always covers; an ancestor covers only if it includes
//      subdomains for that purpose; an ancestor that does not cover is
//      skipped (unlike Chromium's trie decoder, where it hides the rest).
//
// Lookup never allocates, never throws, and may be called concurrently.

#ifndef PINBAKE_RUNTIME_PIN_LIST_H_
#define PINBAKE_RUNTIME_PIN_LIST_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "format/host_name.h"
#include "runtime/table_reader.h"

namespace pinbake {

// Where a deciding entry's name lies relative to the canonical host: the
// name is host[suffix_offset:], or "*." + that for a wildcard entry.
struct RuleNamePosition {
  uint16_t suffix_offset = 0;
  bool wildcard = false;
};

// The answer for one host. A plain value: copying it is safe.
struct LookupResult {
  // kNone if the host is a valid name; otherwise why not (then nothing
  // below is set).
  HostError error = HostError::kNone;
  CanonicalHost canonical;
  // The entry that decided pins / HSTS, if any covered the host.
  std::optional<HostRule> pin_rule;
  std::optional<HostRule> hsts_rule;
  // The pinset of pin_rule, set by PinList::Lookup exactly when the host is
  // pinned (pinned()). A view into the list's bytes: valid as long as the
  // PinList's bytes are.
  std::optional<PinsetView> pinset;

  bool valid() const { return error == HostError::kNone; }
  // Whether the host is pinned: the deciding entry has a pinset.
  bool pinned() const { return pin_rule.has_value() && pin_rule->has_pins(); }
  // Whether connections to the host must use HTTPS.
  bool force_https() const {
    return hsts_rule.has_value() && hsts_rule->force_https;
  }

  // The name of the entry that decided pins / HSTS ("" if none). These
  // allocate; they are for output and reports, not the check path.
  std::string PinRuleName() const { return RuleName(pin_rule, pin_rule_at); }
  std::string HstsRuleName() const {
    return RuleName(hsts_rule, hsts_rule_at);
  }

  // Set by PinList::Lookup alongside pin_rule / hsts_rule.
  RuleNamePosition pin_rule_at;
  RuleNamePosition hsts_rule_at;

 private:
  std::string RuleName(const std::optional<HostRule>& rule,
                       RuleNamePosition at) const;
};

class PinList {
 public:
  // Validates `bytes` (TableReader::Open) and returns a list over them.
  // `bytes` must outlive the PinList and every result it returns.
  static absl::StatusOr<PinList> FromBytes(absl::string_view bytes);

  explicit PinList(TableReader table) : table_(table) {}

  // Resolves `host` as described at the top of this file; when the host is
  // pinned the result carries the deciding entry's pinset.
  LookupResult Lookup(absl::string_view host) const;

  const TableReader& table() const { return table_; }

 private:
  // Lookup without the pinset: sets error, canonical and the rules.
  void Resolve(absl::string_view host, LookupResult* result) const;

  TableReader table_;
};

}  // namespace pinbake

#endif  // PINBAKE_RUNTIME_PIN_LIST_H_
