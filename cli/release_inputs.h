// Inputs shared by the release subcommands (sign, verify, diff, lint; see
// docs/release.md): a pin list given either as a JSON list or as a compiled
// table, a time argument, and a live chain argument "HOST=CHAIN.pem".

#ifndef PINBAKE_CLI_RELEASE_INPUTS_H_
#define PINBAKE_CLI_RELEASE_INPUTS_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cli/command_line.h"
#include "compiler/diagnostics.h"
#include "release/key_names.h"
#include "release/lint.h"
#include "runtime/update/updater.h"

namespace pinbake {

// Whether `bytes` start with the table magic "PINBAKE\0".
bool LooksLikeTable(absl::string_view bytes);

// Loads the pin list at `path`: a table (detected by LooksLikeTable) is
// validated with TableReader::Open; anything else is compiled as a JSON
// list with the optional .pins file `pins_path` (CompilePinList), its
// diagnostics (warnings too) going to `diags`. Errors: the file cannot be
// read (NotFound / PermissionDenied / Internal, "PATH: reason"); --pins
// given with a table, or a table that does not open (InvalidArgument /
// FailedPrecondition, "PATH: reason"); a list with compile errors
// (InvalidArgument "PATH: N compile error(s)", details in `diags`).
// `pem_root` is CompileOptions::pem_root (--pem-root; empty: the list's
// directory). When `key_names` is not null, the names of a JSON list's
// keys are added to it (release/key_names.h; none for a table).
absl::StatusOr<std::shared_ptr<const LoadedList>> LoadListOrTable(
    const std::string& path, const std::string& pins_path,
    Diagnostics* diags, const std::string& pem_root = "",
    KeyNames* key_names = nullptr);

// The key names of the JSON list at `path` (with its .pins file
// `pins_path`, may be empty), for --names of check and connect: the list
// is compiled (diagnostics to stderr) and its names read as
// LoadListOrTable does. Errors as LoadListOrTable's, prefixed "--names: ".
absl::StatusOr<KeyNames> LoadKeyNames(const std::string& path,
                                      const std::string& pins_path);

// Parses "HOST=CHAIN.pem": reads the PEM certificates (leaf first) and
// hashes their public keys. InvalidArgument for a missing "=", an empty
// host or path, or a file that is not a PEM certificate chain (the message
// names the file and the certificate); the read error for an unreadable
// file.
absl::StatusOr<LiveChain> ParseLiveChainArgument(const std::string& arg);

}  // namespace pinbake

#endif  // PINBAKE_CLI_RELEASE_INPUTS_H_
