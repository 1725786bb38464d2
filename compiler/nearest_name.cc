#include "compiler/nearest_name.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace pinbake {

int EditDistance(absl::string_view a, absl::string_view b) {
  const size_t n = a.size(), m = b.size();
  // d[i][j]: distance of a[0,i) and b[0,j).
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
  for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

std::optional<std::string> NearestName(
    absl::string_view word, const std::vector<std::string>& candidates) {
  constexpr int kMaxDistance = 2;
  std::optional<std::string> best;
  if (word.size() > kMaxSuggestedNameLength) return best;
  int best_distance = kMaxDistance + 1;
  for (const std::string& candidate : candidates) {
    if (candidate == word) return std::nullopt;
  }
  for (const std::string& candidate : candidates) {
    const size_t longer = std::max(candidate.size(), word.size());
    const size_t shorter = std::min(candidate.size(), word.size());
    if (longer - shorter > static_cast<size_t>(kMaxDistance) ||
        longer > kMaxSuggestedNameLength) {
      continue;
    }
    const int distance = EditDistance(word, candidate);
    if (distance < best_distance &&
        2 * distance < static_cast<int>(word.size())) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string DidYouMean(absl::string_view word,
                       const std::vector<std::string>& candidates) {
  std::optional<std::string> nearest = NearestName(word, candidates);
  return nearest ? absl::StrCat(" (did you mean ", *nearest, "?)") : "";
}

}  // namespace pinbake
