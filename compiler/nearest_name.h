// "Did you mean ...?" for list errors and usage errors: the known name
// nearest to a misspelled one (a JSON key of a pin list, a subcommand, a
// flag).
//
//   NearestName("include_subdomain", {"name", "include_subdomains"})
//     -> "include_subdomains"
//   NearestName("complie", {"compile", "check"})  -> "compile"
//   DidYouMean("--wrror", flags) -> " (did you mean --werror?)" or ""
//

#ifndef PINBAKE_COMPILER_NEAREST_NAME_H_
#define PINBAKE_COMPILER_NEAREST_NAME_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace pinbake {

// Edit distance of `a` and `b`: insertions, deletions, substitutions and
// transpositions of adjacent characters, each costing 1 (optimal string
// alignment). Bytes are compared, so it is exact for ASCII names.
// O(|a| * |b|) time and memory: bound the inputs (NearestName does).
int EditDistance(absl::string_view a, absl::string_view b);

// The candidate nearest to `word` if it is close enough to be a likely
// misspelling: distance at most 2, and less than half of `word`'s length
// (so "x" suggests nothing). Ties go to the first candidate in order;
// nullopt when none is close or `word` is itself a candidate. Names longer
// than kMaxSuggestedNameLength, and candidates whose length differs from
// `word`'s by more than 2, are skipped without computing a distance, so a
// call costs at most O(candidates * 64 * 64), whatever the input.
inline constexpr size_t kMaxSuggestedNameLength = 64;
std::optional<std::string> NearestName(
    absl::string_view word, const std::vector<std::string>& candidates);

// " (did you mean NAME?)" for NearestName's answer, "" when there is none.
std::string DidYouMean(absl::string_view word,
                       const std::vector<std::string>& candidates);

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_NEAREST_NAME_H_
