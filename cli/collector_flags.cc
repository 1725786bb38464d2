#include "cli/collector_flags.h"

#include "absl/strings/numbers.h"

namespace pinbake {
namespace cli {

std::optional<absl::Duration> ParseSinceDuration(const std::string& text) {
  absl::Duration total = absl::ZeroDuration();
  std::string rest = text;
  const size_t d = rest.find('d');
  if (d != std::string::npos) {
    int64_t days = 0;
    if (!absl::SimpleAtoi(rest.substr(0, d), &days) || days < 0 ||
        days > 100000) {
      return std::nullopt;
    }
    total += absl::Hours(24 * days);
    rest = rest.substr(d + 1);
  }
  if (!rest.empty()) {
    absl::Duration part;
    if (!absl::ParseDuration(rest, &part)) return std::nullopt;
    total += part;
  }
  if (total <= absl::ZeroDuration() || total == absl::InfiniteDuration()) {
    return std::nullopt;
  }
  return total;
}

}  // namespace cli
}  // namespace pinbake
