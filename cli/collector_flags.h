// Flag values of the collector subcommands (`pinbake reports summary
// --since`). Internal to cli/.

#ifndef PINBAKE_CLI_COLLECTOR_FLAGS_H_
#define PINBAKE_CLI_COLLECTOR_FLAGS_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "cli/command_line.h"
#include "collector/current_list.h"

namespace pinbake {
namespace cli {

// "90m", "24h", "7d", "2d12h" (absl::ParseDuration plus a "d" for days);
// nullopt unless positive.
std::optional<absl::Duration> ParseSinceDuration(const std::string& text);

// The list reports are judged against, from `--list L.json` or
// `--table T.pinb` (collector::LoadCurrentList); nullptr when neither flag
// is given.
absl::StatusOr<std::unique_ptr<collector::CurrentList>> CurrentListFromFlags(
    const ParsedArgs& parsed);

}  // namespace cli
}  // namespace pinbake

#endif  // PINBAKE_CLI_COLLECTOR_FLAGS_H_
