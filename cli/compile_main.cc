// pinbake_compile: only `pinbake compile` (same flags, output and exit
// codes), for bazel/pinbake.bzl's pin_list_cc_library. It links the
// compiler and libcrypto only: no libssl, no socket code, no updater.
//
//   pinbake_compile LIST.json [--pins F] ... -o OUT.pinb [--cc-out ...]

#include <string>
#include <vector>

#include "cli/subcommand.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return pinbake::cli::RunSubcommand(pinbake::cli::kCompileCommand, args);
}
