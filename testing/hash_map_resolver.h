// HashMapResolver: the plain resolver that pinbake's compact table is
// measured and checked against. Entry names live in an
// absl::flat_hash_map<std::string, HostRule>; a lookup walks the same
// candidates as PinList::Lookup (docs/lookup.md) with ordinary string
// operations. Used as the benchmark baseline (`pinbake bench`) and as the
// reference in the differential test (tests/differential_test.cc).

#ifndef PINBAKE_TESTING_HASH_MAP_RESOLVER_H_
#define PINBAKE_TESTING_HASH_MAP_RESOLVER_H_

#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "format/host_name.h"
#include "runtime/table_reader.h"

namespace pinbake {

// One resolver answer. Names point into the resolver's map or are empty.
struct ReferenceAnswer {
  HostError error = HostError::kNone;
  std::string canonical;
  absl::string_view pin_rule_name;  // Empty: no entry decided pins.
  absl::string_view hsts_rule_name;
  std::optional<HostRule> pin_rule;
  std::optional<HostRule> hsts_rule;
};

class HashMapResolver {
 public:
  // Adds entry `name` (canonical host or "*." + one) with `rule`. A name
  // added twice keeps its first rule.
  void Add(absl::string_view name, const HostRule& rule);

  // Builds a resolver holding every entry of `table`; the table must carry
  // its names.
  static absl::StatusOr<HashMapResolver> FromTable(const TableReader& table);

  // Resolves `host` by the rules of docs/lookup.md.
  ReferenceAnswer Lookup(absl::string_view host) const;

  size_t size() const { return rules_.size(); }
  // Rough heap bytes of the map: slots, control bytes and long names.
  size_t ApproximateBytes() const;

 private:
  // The map's own key for `name`, or nullptr.
  const std::pair<const std::string, HostRule>* Find(
      absl::string_view name) const;

  absl::flat_hash_map<std::string, HostRule> rules_;
};

}  // namespace pinbake

#endif  // PINBAKE_TESTING_HASH_MAP_RESOLVER_H_
