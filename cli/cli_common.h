// What every pinbake subcommand shares: exit codes, usage and input errors,
// output (stdout or an atomically written file, one-line JSON), and loading
// a table for the subcommands that read one. Internal to cli/.

#ifndef PINBAKE_CLI_CLI_COMMON_H_
#define PINBAKE_CLI_CLI_COMMON_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "compiler/diagnostics.h"
#include "runtime/pin_list.h"

namespace pinbake {
namespace cli {

using Json = nlohmann::ordered_json;

// Process exit codes of every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRefused = 1;  // Refused chain / different / lint errors.
inline constexpr int kExitError = 2;    // Bad input, usage or I/O.

// Prints the two-line usage hint to stderr and returns kExitError:
//   pinbake: MESSAGE
//   see pinbake NAME --help
// NAME is the second word of `help` (every --help text starts with
// "pinbake NAME"); the whole help is not printed.
int UsageError(absl::string_view message, absl::string_view help);

// "pinbake NAME --help" for a --help text starting with "pinbake NAME".
std::string HelpCommandOf(absl::string_view help);

// Prints "pinbake: MESSAGE" to stderr; returns kExitError.
int InputError(absl::string_view message);

// Prints every diagnostic to stderr, one per line.
void PrintDiagnostics(const Diagnostics& diags);

// Writes `text` to `out_path` atomically, or to stdout when `out_path` is
// empty. false (after printing why) on a write error.
bool Emit(const std::string& out_path, const std::string& text);

// One JSON text on one line. Bytes of user input that are not valid UTF-8
// (a host read from stdin or argv) are written as U+FFFD instead of making
// nlohmann's dump throw, so the output is always valid JSON.
std::string DumpLine(const Json& value);

// `value` pretty-printed with 2-space indents (invalid UTF-8 as U+FFFD).
std::string DumpPretty(const Json& value);

// A table's bytes and the list read from them (the list views the bytes:
// keep the holder alive and do not move it after loading).
struct LoadedTable {
  std::string bytes;
  std::optional<PinList> list;
};

// Reads and validates the table at `path` into `*out`; prints the reason
// ("pinbake: PATH: ...") and returns false on failure.
bool LoadTable(const std::string& path, LoadedTable* out);

}  // namespace cli
}  // namespace pinbake

#endif  // PINBAKE_CLI_CLI_COMMON_H_
