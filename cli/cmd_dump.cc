// `pinbake dump`: a table as canonical pinbake JSON (compiles back to the
// same bytes).

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli_common.h"
#include "cli/command_line.h"
#include "cli/subcommand.h"
#include "compiler/list_dump.h"

namespace pinbake {
namespace cli {
namespace {

constexpr char kDumpHelp[] =
    R"(pinbake dump TABLE.pinb [-o OUT.json]

Prints the table as canonical pinbake JSON, pins as sha256/ literals.
Compiling the dump gives a byte-identical table.

Exit codes: 0 written, 2 bad table, usage or I/O error.
)";

int RunDump(const ParsedArgs& parsed) {
  LoadedTable table;
  if (!LoadTable(parsed.positional[0], &table)) return kExitError;
  absl::StatusOr<std::string> json = DumpTableAsJson(table.list->table());
  if (!json.ok()) {
    std::cerr << "pinbake: " << parsed.positional[0] << ": "
              << json.status().message() << "\n";
    return kExitError;
  }
  return Emit(parsed.Value("-o").value_or(""), *json) ? kExitOk : kExitError;
}

}  // namespace

const Subcommand kDumpCommand = {
    "dump",
    "pinbake dump TABLE.pinb [-o OUT.json]",
    kDumpHelp,
    {{}, {"-o"}},
    1,
    1,
    {},
    "dump needs one TABLE",
    RunDump,
};

}  // namespace cli
}  // namespace pinbake
