#include "cli/subcommand.h"

#include <iostream>

#include "absl/status/statusor.h"
#include "cli/cli_common.h"

namespace pinbake {
namespace cli {

int RunSubcommand(const Subcommand& command,
                  const std::vector<std::string>& args) {
  FlagSpec flags = command.flags;
  flags.switches.insert("--help");
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(args, flags);
  if (!parsed.ok()) return UsageError(parsed.status().message(), command.help);
  if (parsed->Has("--help")) {
    std::cout << command.help;
    return kExitOk;
  }
  const int count = static_cast<int>(parsed->positional.size());
  bool usable = count >= command.min_args &&
                (command.max_args < 0 || count <= command.max_args);
  for (const std::string& flag : command.required) {
    if (!parsed->Value(flag)) usable = false;
  }
  if (!usable) return UsageError(command.args_error, command.help);
  return command.run(*parsed);
}

}  // namespace cli
}  // namespace pinbake
