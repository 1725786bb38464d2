// Helpers shared by the release subcommands' files (cmd_keygen.cc,
// cmd_sign.cc, cmd_verify.cc, cmd_diff.cc, cmd_lint.cc): exit codes, usage
// errors, printing diagnostics. Internal to those files.

#ifndef PINBAKE_CLI_RELEASE_CLI_COMMON_H_
#define PINBAKE_CLI_RELEASE_CLI_COMMON_H_

#include <iostream>
#include <string>

#include "absl/strings/string_view.h"
#include "compiler/diagnostics.h"
#include "compiler/file_util.h"

namespace pinbake {
namespace release_cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRefused = 1;  // Rejected / different / lint errors.
inline constexpr int kExitError = 2;    // Bad input, usage or I/O.

// Prints "pinbake: MESSAGE", a blank line and `help` to stderr; returns 2.
inline int UsageError(absl::string_view message, absl::string_view help) {
  std::cerr << "pinbake: " << message << "\n\n" << help;
  return kExitError;
}

// Prints "pinbake: MESSAGE" to stderr; returns 2.
inline int InputError(absl::string_view message) {
  std::cerr << "pinbake: " << message << "\n";
  return kExitError;
}

// Prints every diagnostic to stderr, one per line.
inline void PrintDiagnostics(const Diagnostics& diags) {
  for (const Diagnostic& d : diags.all()) std::cerr << d.ToString() << "\n";
}

// Writes `text` to `out_path` atomically, or to stdout when `out_path` is
// empty. false (after printing why) on a write error.
inline bool Emit(const std::string& out_path, const std::string& text) {
  if (out_path.empty()) {
    std::cout << text;
    return true;
  }
  absl::Status written = WriteFileAtomically(out_path, text);
  if (!written.ok()) {
    std::cerr << "pinbake: " << written.message() << "\n";
    return false;
  }
  return true;
}

}  // namespace release_cli
}  // namespace pinbake

#endif  // PINBAKE_CLI_RELEASE_CLI_COMMON_H_
