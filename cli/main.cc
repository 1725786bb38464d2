// pinbake: the command-line tool. Dispatch only: the subcommands are data
// (cli/subcommand.h) listed in kSubcommands, each defined in its own
// cli/cmd_<name>.cc; `pinbake help` is generated from their synopses, and
// --help, usage errors and argument counts are handled once, in
// RunSubcommand. The build tool of bazel/pinbake.bzl is the compile-only
// cli/compile_main.cc.
//
// Exit codes (cli/cli_common.h): 0 success; 1 refused (a check refused the
// chain or an invalid host, verify rejected, diff found changes, lint
// errors); 2 bad input, bad usage or any other error.

#include <iostream>
#include <string>
#include <vector>

#include "cli/cli_common.h"
#include "compiler/nearest_name.h"
#include "cli/subcommand.h"

namespace pinbake {
namespace cli {
namespace {

const Subcommand* const kSubcommands[] = {
    &kCompileCommand, &kLookupCommand, &kCheckCommand,  &kDumpCommand,
    &kSpkiCommand,    &kConnectCommand, &kKeygenCommand, &kSignCommand,
    &kVerifyCommand,  &kDiffCommand,   &kLintCommand,   &kBenchCommand,
    &kInitCommand,
    &kExportCommand,  &kImportCommand,
    &kCollectCommand, &kReportsCommand, &kRolloutCommand,
};

std::string MainHelp() {
  std::string help =
      "pinbake: compile TLS public-key pin lists into compact tables, and "
      "check\nhosts and certificate chains against them.\n\nUsage:\n";
  for (const Subcommand* sub : kSubcommands) {
    help += "  ";
    help += sub->synopsis;
    help += "\n";
  }
  help +=
      "\nRun `pinbake SUBCOMMAND --help` for details. Output: human-readable"
      "\ntext, or one JSON document with --json (JSON lines for streams)."
      "\nExit codes: 0 success; 1 refused (a check refused the chain, verify"
      "\nrejected, diff found changes, lint errors); 2 bad input or usage.\n";
  return help;
}

int Main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << MainHelp();
    return kExitError;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  for (const Subcommand* sub : kSubcommands) {
    if (command == sub->name) return RunSubcommand(*sub, args);
  }
  if (command == "help" || command == "--help" || command == "-h") {
    std::cout << MainHelp();
    return kExitOk;
  }
  std::vector<std::string> names = {"help"};
  for (const Subcommand* sub : kSubcommands) names.push_back(sub->name);
  std::cerr << "pinbake: unknown subcommand " << command
            << DidYouMean(command, names) << "\nsee pinbake help\n";
  return kExitError;
}

}  // namespace
}  // namespace cli
}  // namespace pinbake

int main(int argc, char** argv) { return pinbake::cli::Main(argc, argv); }
