// A small, strict command-line parser for pinbake's subcommands: each
// subcommand declares its flags; anything else is a usage error.

#ifndef PINBAKE_CLI_COMMAND_LINE_H_
#define PINBAKE_CLI_COMMAND_LINE_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace pinbake {

// Flags a subcommand accepts: boolean switches and flags taking a value
// ("--pins FILE" or "--pins=FILE"). "-o" is an ordinary valued flag.
struct FlagSpec {
  std::set<std::string> switches;
  std::set<std::string> valued;
};

struct ParsedArgs {
  std::vector<std::string> positional;
  std::set<std::string> switches;                    // Switches present.
  std::map<std::string, std::vector<std::string>> values;  // Flag -> values.

  bool Has(const std::string& flag) const { return switches.count(flag) > 0; }
  // The last value given for `flag`, if any.
  std::optional<std::string> Value(const std::string& flag) const;
};

// Parses `args` (without the program and subcommand names) against `spec`.
// A lone "-" is positional (stdin); "--" ends flags. InvalidArgument on an
// unknown flag ("unknown flag --wrror (did you mean --werror?)" when a
// known flag is close, cli/nearest_name.h) or a valued flag without a value.
absl::StatusOr<ParsedArgs> ParseArgs(const std::vector<std::string>& args,
                                     const FlagSpec& spec);

// Parses a time given as RFC 3339 ("2026-12-01T00:00:00Z"), as decimal
// unix seconds, or as "now" (the current time, absl::Now()); nullopt for
// anything else. For --now, --timestamp and such.
std::optional<absl::Time> ParseTimeArgument(const std::string& text);

}  // namespace pinbake

#endif  // PINBAKE_CLI_COMMAND_LINE_H_
