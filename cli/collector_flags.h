// Flag values of the collector subcommands (`pinbake reports summary
// --since`). Internal to cli/.

#ifndef PINBAKE_CLI_COLLECTOR_FLAGS_H_
#define PINBAKE_CLI_COLLECTOR_FLAGS_H_

#include <optional>
#include <string>

#include "absl/time/time.h"

namespace pinbake {
namespace cli {

// "90m", "24h", "7d", "2d12h" (absl::ParseDuration plus a "d" for days);
// nullopt unless positive.
std::optional<absl::Duration> ParseSinceDuration(const std::string& text);

}  // namespace cli
}  // namespace pinbake

#endif  // PINBAKE_CLI_COLLECTOR_FLAGS_H_
