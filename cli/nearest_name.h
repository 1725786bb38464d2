// "Did you mean ...?" for usage errors: the known name nearest to a
// misspelled one (a subcommand, a flag, a JSON key).
//
//   NearestName("complie", {"compile", "check"})  -> "compile"
//   NearestName("--wrror", {"--werror", "--json"}) -> "--werror"
//   DidYouMean("--wrror", flags) -> " (did you mean --werror?)" or ""

#ifndef PINBAKE_CLI_NEAREST_NAME_H_
#define PINBAKE_CLI_NEAREST_NAME_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace pinbake {

// Edit distance of `a` and `b`: insertions, deletions, substitutions and
// transpositions of adjacent characters, each costing 1 (optimal string
// alignment). Bytes are compared, so it is exact for ASCII names.
int EditDistance(absl::string_view a, absl::string_view b);

// The candidate nearest to `word` if it is close enough to be a likely
// misspelling: distance at most 2, and less than half of `word`'s length
// (so "x" suggests nothing). Ties go to the first candidate in order;
// nullopt when none is close or `word` is itself a candidate.
std::optional<std::string> NearestName(
    absl::string_view word, const std::vector<std::string>& candidates);

// " (did you mean NAME?)" for NearestName's answer, "" when there is none.
std::string DidYouMean(absl::string_view word,
                       const std::vector<std::string>& candidates);

}  // namespace pinbake

#endif  // PINBAKE_CLI_NEAREST_NAME_H_
