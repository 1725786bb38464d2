// pinbake bench TABLE.pinb QUERIES.txt: lookup speed and size of the
// compact table against an absl::flat_hash_map resolver built from the same
// table in the same process (testing/hash_map_resolver.h). Prints one JSON
// object. Fails (exit 2) if the two resolvers disagree on any query.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/command_line.h"
#include "compiler/file_util.h"
#include "testing/hash_map_resolver.h"
#include "cli/cli_common.h"
#include "cli/subcommand.h"
#include "format/little_endian.h"
#include "runtime/pin_list.h"
#include "format/table_format.h"

namespace pinbake {
namespace cli {
namespace {

constexpr char kBenchHelp[] =
    R"(pinbake bench TABLE.pinb QUERIES.txt [--passes N] [--json]

Times lookups of every host in QUERIES.txt (one per line) in the table and
in an absl::flat_hash_map resolver with the same semantics built from the
same table, and prints, one "key: value" line each (with --json, one JSON
object):
  entries, table_bytes, bits_per_entry (table_bytes * 8 / entries),
  baseline_bytes (rough heap size of the hash map),
  reader_accelerator_bytes (heap the table reader builds at Open beside
  the table: decoders, block head words, per-entry infos and anchors, the
  name index; budget: at most half of baseline_bytes),
  queries,
  ns_per_lookup and baseline_ns_per_lookup (median over passes),
  ratio (ns_per_lookup / baseline_ns_per_lookup), worst_ns and
  baseline_worst_ns (slowest single query, re-timed), worst_query.

Exit codes: 0 measured (every answer agreed), 2 an answer differs, bad
usage or I/O error.

  --passes N   Timed passes over the queries (default 9).
  --json       One JSON object (tools/bench.sh reads it).
)";

using Clock = std::chrono::steady_clock;

// A digest of an answer, so that the timed loops cannot be optimised away.
uint64_t Digest(const LookupResult& r) {
  return (r.pinned() ? 1 : 0) + (r.force_https() ? 2 : 0) +
         static_cast<uint64_t>(r.pin_rule_at.suffix_offset) * 4;
}
uint64_t Digest(const ReferenceAnswer& r) {
  return (r.pin_rule && r.pin_rule->has_pins() ? 1 : 0) +
         (r.hsts_rule && r.hsts_rule->force_https ? 2 : 0) +
         r.pin_rule_name.size() * 4;
}

// Nanoseconds per lookup of one pass over `queries`.
template <typename Resolver>
double TimePass(const Resolver& resolver,
                const std::vector<std::string>& queries, uint64_t* sink) {
  const auto start = Clock::now();
  uint64_t digest = 0;
  for (const std::string& q : queries) digest += Digest(resolver.Lookup(q));
  const auto end = Clock::now();
  *sink += digest;
  return std::chrono::duration<double, std::nano>(end - start).count() /
         static_cast<double>(queries.size());
}

// Nanoseconds of one lookup of `query`: the fastest of `rounds` timings of
// `reps` back-to-back lookups.
template <typename Resolver>
double TimeOne(const Resolver& resolver, const std::string& query, int reps,
               int rounds, uint64_t* sink) {
  double best = 1e18;
  for (int r = 0; r < rounds; ++r) {
    const auto start = Clock::now();
    uint64_t digest = 0;
    for (int i = 0; i < reps; ++i) digest += Digest(resolver.Lookup(query));
    const auto end = Clock::now();
    *sink += digest;
    best = std::min(best,
                    std::chrono::duration<double, std::nano>(end - start)
                            .count() / reps);
  }
  return best;
}

// The slowest query: each timed briefly, then the 32 slowest re-timed
// carefully. Returns (ns, query).
template <typename Resolver>
std::pair<double, std::string> Worst(const Resolver& resolver,
                                     const std::vector<std::string>& queries,
                                     uint64_t* sink) {
  std::vector<std::pair<double, size_t>> quick;
  quick.reserve(queries.size());
  for (size_t i = 0; i < queries.size(); ++i) {
    quick.emplace_back(TimeOne(resolver, queries[i], 4, 2, sink), i);
  }
  const size_t top = std::min<size_t>(32, quick.size());
  std::partial_sort(quick.begin(), quick.begin() + top, quick.end(),
                    std::greater<>());
  std::pair<double, std::string> worst{0, ""};
  for (size_t i = 0; i < top; ++i) {
    const std::string& q = queries[quick[i].second];
    const double ns = TimeOne(resolver, q, 200, 5, sink);
    if (ns > worst.first) worst = {ns, q};
  }
  return worst;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Whether the two answers agree field by field; `why` says how not.
bool SameAnswer(const PinList& list, const LookupResult& a,
                const ReferenceAnswer& b, std::string* why) {
  if (a.error != b.error) {
    *why = "error";
    return false;
  }
  if (!a.valid()) return true;
  if (a.canonical.view() != b.canonical) *why = "canonical";
  else if (a.pin_rule.has_value() != b.pin_rule.has_value()) *why = "pin rule presence";
  else if (a.pin_rule && a.PinRuleName() != b.pin_rule_name) *why = "pin rule";
  else if (a.pin_rule && a.pin_rule->pinset_index != b.pin_rule->pinset_index) *why = "pinset";
  else if (a.pin_rule && a.pin_rule->pin_mode != b.pin_rule->pin_mode) *why = "pin mode";
  else if (a.hsts_rule.has_value() != b.hsts_rule.has_value()) *why = "hsts rule presence";
  else if (a.hsts_rule && a.HstsRuleName() != b.hsts_rule_name) *why = "hsts rule";
  else if (a.force_https() != (b.hsts_rule && b.hsts_rule->force_https)) *why = "force_https";
  else return true;
  (void)list;
  return false;
}

int RunBench(const ParsedArgs& parsed) {
  int passes = 9;
  if (std::optional<std::string> p = parsed.Value("--passes")) {
    if (!absl::SimpleAtoi(*p, &passes) || passes < 1 || passes > 1000) {
      std::cerr << "pinbake: --passes: an integer from 1 to 1000\n";
      return kExitError;
    }
  }
  LoadedTable loaded;
  if (!LoadTable(parsed.positional[0], &loaded)) return kExitError;
  const PinList* list = &*loaded.list;
  const std::string* bytes = &loaded.bytes;
  absl::StatusOr<HashMapResolver> baseline =
      HashMapResolver::FromTable(list->table());
  if (!baseline.ok()) {
    std::cerr << "pinbake: " << parsed.positional[0] << ": "
              << baseline.status().message() << "\n";
    return kExitError;
  }
  std::ifstream in(parsed.positional[1]);
  if (!in) {
    std::cerr << "pinbake: " << parsed.positional[1] << ": cannot read\n";
    return kExitError;
  }
  std::vector<std::string> queries;
  for (std::string line; std::getline(in, line);) queries.push_back(line);
  if (queries.empty()) {
    std::cerr << "pinbake: " << parsed.positional[1] << ": no queries\n";
    return kExitError;
  }

  // Same answers first: a fast wrong resolver is no benchmark.
  for (const std::string& q : queries) {
    std::string why;
    if (!SameAnswer(*list, list->Lookup(q), baseline->Lookup(q), &why)) {
      std::cerr << "pinbake: answers differ for \"" << q << "\": " << why
                << "\n";
      return kExitError;
    }
  }

  uint64_t sink = 0;
  std::vector<double> table_ns;
  std::vector<double> baseline_ns;
  TimePass(*list, queries, &sink);  // Warm up both.
  TimePass(*baseline, queries, &sink);
  for (int p = 0; p < passes; ++p) {
    table_ns.push_back(TimePass(*list, queries, &sink));
    baseline_ns.push_back(TimePass(*baseline, queries, &sink));
  }
  const auto [worst_ns, worst_query] = Worst(*list, queries, &sink);
  const auto [baseline_worst_ns, baseline_worst_query] =
      Worst(*baseline, queries, &sink);

  const TableReader& table = list->table();
  const uint64_t lookup_bytes = bytes->size();
  nlohmann::ordered_json out;
  out["entries"] = table.entry_count();
  out["table_bytes"] = bytes->size();
  out["bits_per_entry"] =
      table.entry_count() == 0
          ? 0.0
          : static_cast<double>(lookup_bytes) * 8 / table.entry_count();
  out["queries"] = queries.size();
  out["passes"] = passes;
  out["ns_per_lookup"] = Median(table_ns);
  out["baseline_ns_per_lookup"] = Median(baseline_ns);
  out["ratio"] = Median(table_ns) / Median(baseline_ns);
  out["worst_ns"] = worst_ns;
  out["worst_query_bytes"] = worst_query.size();
  out["worst_query"] = worst_query;
  out["baseline_worst_ns"] = baseline_worst_ns;
  out["baseline_worst_query_bytes"] = baseline_worst_query.size();
  out["baseline_bytes"] = baseline->ApproximateBytes();
  out["reader_accelerator_bytes"] = table.accelerator_bytes();
  out["checksum"] = sink % 1000;  // Keeps the timed work observable.
  if (parsed.Has("--json")) {
    std::cout << DumpPretty(out) << "\n";
  } else {
    for (const auto& [key, value] : out.items()) {
      std::cout << key << ": " << DumpLine(value) << "\n";
    }
  }
  return kExitOk;
}

}  // namespace

const Subcommand kBenchCommand = {
    "bench",
    "pinbake bench TABLE.pinb QUERIES.txt [--passes N] [--json]",
    kBenchHelp,
    {{"--json"}, {"--passes"}},
    2,
    2,
    {},
    "bench needs TABLE.pinb and QUERIES.txt",
    RunBench,
};

}  // namespace cli
}  // namespace pinbake
