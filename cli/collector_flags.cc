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

absl::StatusOr<std::unique_ptr<collector::CurrentList>> CurrentListFromFlags(
    const ParsedArgs& parsed) {
  const std::string list_path = parsed.Value("--list").value_or("");
  const std::string table_path = parsed.Value("--table").value_or("");
  if (list_path.empty() && table_path.empty()) {
    return std::unique_ptr<collector::CurrentList>();
  }
  return collector::LoadCurrentList(list_path, table_path);
}

}  // namespace cli
}  // namespace pinbake
