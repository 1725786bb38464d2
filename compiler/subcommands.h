// Subcommands of the pinbake CLI that live in their own files. Each takes
// the arguments after the subcommand name and returns the process exit code
// (0 success, 1 refused / different, 2 bad input or usage), printing its
// own --help. Register new ones in kSubcommands in pinbake_main.cc.

#ifndef PINBAKE_COMPILER_SUBCOMMANDS_H_
#define PINBAKE_COMPILER_SUBCOMMANDS_H_

#include <string>
#include <vector>

namespace pinbake {

// (None yet: compile, lookup, check, dump and spki are in pinbake_main.cc.)

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_SUBCOMMANDS_H_
