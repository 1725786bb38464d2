// Deterministic generators of host names for benchmarks and tests:
// synthetic pin lists with a realistic label and TLD mix, and query sets
// over a list (exact names, deeper subdomains, near misses, unrelated
// names, worst-case shapes). Same seed, same output, on every platform.

#ifndef PINBAKE_TOOLS_HOST_GENERATOR_H_
#define PINBAKE_TOOLS_HOST_GENERATOR_H_

#include <cstdint>
#include <string>
#include <vector>

namespace pinbake {

// A 64-bit generator with a fixed algorithm (splitmix64), so outputs do
// not depend on the standard library's distributions.
class DeterministicRandom {
 public:
  explicit DeterministicRandom(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  // Uniform in [0, n); n > 0.
  uint64_t Below(uint64_t n);
  // True with probability percent/100.
  bool Percent(int percent) { return Below(100) < static_cast<uint64_t>(percent); }

 private:
  uint64_t state_;
};

// Returns the JSON text of a pinbake list with `count` distinct entries:
// registrable names under a weighted TLD mix (com, org, net, de, co.uk, ...),
// some with subdomains, about 1% wildcards, about 1.5% pinned (to a few
// pinsets), most with force-https and include_subdomains.
std::string GenerateListJson(uint64_t count, uint64_t seed);

// Returns `count` query hosts over `names` (entry names of a list, "*."
// wildcards allowed): about 30% exact names, 25% subdomains 1-3 labels
// deeper, 20% near misses (one character changed, or a label dropped), 20%
// unrelated names, 5% odd shapes (uppercase, trailing dot, invalid, long
// names up to 253 bytes, many one-letter labels).
std::vector<std::string> GenerateQueries(const std::vector<std::string>& names,
                                         uint64_t count, uint64_t seed);

// Query shapes that are the slowest for label-walking resolvers: 253-byte
// names and names of 127 one-letter labels, ending in listed suffixes.
std::vector<std::string> WorstCaseQueries(const std::vector<std::string>& names);

}  // namespace pinbake

#endif  // PINBAKE_TOOLS_HOST_GENERATOR_H_
