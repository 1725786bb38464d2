// pinbake's subcommands described as data: what the dispatcher needs to
// print --help, reject bad usage and check the arguments once, before the
// subcommand's `run` is called. Each cli/cmd_<name>.cc defines one
// Subcommand; cli/main.cc lists them in kSubcommands (pinbake), and
// cli/compile_main.cc runs only kCompileCommand (pinbake_compile).

#ifndef PINBAKE_CLI_SUBCOMMAND_H_
#define PINBAKE_CLI_SUBCOMMAND_H_

#include <string>
#include <vector>

#include "cli/command_line.h"

namespace pinbake {
namespace cli {

// One pinbake subcommand. `run` is called only after the arguments parsed
// against `flags`, --help was handled, the positional count is within
// [min_args, max_args] and every flag of `required` was given; otherwise
// the dispatcher prints `args_error` (or the parser's message) and `help`
// and exits 2. `run` returns the process exit code (cli/cli_common.h).
struct Subcommand {
  const char* name;      // "compile"
  const char* synopsis;  // Usage lines for `pinbake help`, "pinbake compile ..."
  const char* help;      // Full --help text; starts with "pinbake NAME".
  FlagSpec flags;        // Switches and valued flags; --help is implied.
  int min_args;          // Positional arguments, at least ...
  int max_args;          // ... and at most (-1: no limit).
  std::vector<std::string> required;  // Valued flags that must be given.
  const char* args_error;  // Message when the count or `required` is wrong.
  int (*run)(const ParsedArgs& args);
};

// Parses `args` (after the subcommand name) for `command`, handles
// --help and usage errors, then returns command.run(parsed).
int RunSubcommand(const Subcommand& command,
                  const std::vector<std::string>& args);

// The subcommands (each in cli/cmd_<name>.cc).
extern const Subcommand kCompileCommand;  // Pin list -> table (+ C++).
extern const Subcommand kLookupCommand;   // Host -> the table's answer.
extern const Subcommand kCheckCommand;    // Host + chain -> pin check.
extern const Subcommand kDumpCommand;     // Table -> canonical JSON.
extern const Subcommand kSpkiCommand;     // PEM -> sha256/ pins.
extern const Subcommand kConnectCommand;  // TLS handshake with pin check.
extern const Subcommand kKeygenCommand;   // Release: Ed25519 key pair.
extern const Subcommand kSignCommand;     // Release: signed update blob.
extern const Subcommand kVerifyCommand;   // Release: would a client accept.
extern const Subcommand kDiffCommand;     // Release: two lists' changes.
extern const Subcommand kLintCommand;     // Release: risky changes.
extern const Subcommand kBenchCommand;    // Lookup speed vs a hash map.
extern const Subcommand kInitCommand;     // A first list from live servers.
extern const Subcommand kExportCommand;   // List -> other platforms' pins.
extern const Subcommand kImportCommand;   // NSC / TrustKit -> JSON list.
extern const Subcommand kCollectCommand;  // Report collector service.
extern const Subcommand kReportsCommand;  // Collected reports summary.
extern const Subcommand kRolloutCommand;  // Report-only -> enforce gate.

}  // namespace cli
}  // namespace pinbake

#endif  // PINBAKE_CLI_SUBCOMMAND_H_
