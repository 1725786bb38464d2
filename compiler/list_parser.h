// Front end for JSON pin lists: Chromium's transport_security_state_static
// JSON (2016/2017 combined HSTS + pins, 2022+ split pins-only) and pinbake's
// own extension of it ("keys", "list", wildcards, "exclude", "pin_mode").
// Produces a PinListModel with every pin resolved to an SpkiHash.
// The format is documented in docs/list-format.md.

#ifndef PINBAKE_COMPILER_LIST_PARSER_H_
#define PINBAKE_COMPILER_LIST_PARSER_H_

#include <string>

#include "absl/strings/string_view.h"
#include "compiler/diagnostics.h"
#include "compiler/pin_list_model.h"
#include "compiler/pins_file_parser.h"

namespace pinbake {

// Where the "pem_file" keys of a list are read from (docs/list-format.md,
// "keys"). Either way only regular files of at most kMaxPemFileBytes
// (compiler/file_util.h) are read.
struct PemFileOptions {
  // Empty: a relative pem_file is resolved against the list's directory,
  // an absolute one is used as is (symlinks followed). Otherwise (the
  // --pem-root flag) every pem_file must be a relative path that stays
  // inside this directory: no absolute path, no ".." above it, no symlink
  // below it (ReadRegularFileUnder).
  std::string root;
};

// Parses the JSON text `contents` of the list at `list_path` (used in
// messages and to resolve "pem_file" paths, see PemFileOptions).
// `pins_file` is the parsed .pins file or null. JSON errors (syntax,
// duplicate keys, nesting deeper than kMaxJsonDepth; compiler/
// json_document.h) are reported as "list_path:LINE:COL: ..." and end the
// parse; semantic ones with a field path, "list_path: entries[12].name:
// ..." (LocateFieldPaths can add their LINE:COL, as the compile pipeline
// does). Unknown keys are errors (with the nearest valid key as the fix).
// Parsing goes on after structural and reference errors so that all are
// reported; the returned model is meaningful only if `diags` has no
// errors. `*document_read` (if given) is set to whether the JSON document
// was read and structured at all (false after a syntax error or a
// non-object root): only then may the checks run on the model.
//
// This parses and structures only: types, unknown keys, unknown pinset or
// key names, hash and PEM syntax, "pin_mode" without "pins", the list's
// timestamp against the .pins file's, and the two checks made while
// resolving a pin array, at the pin's array index: duplicate pins (warned
// and dropped) and a pin both good and bad. Every other check (names,
// duplicates of hosts and pinsets, exclusions, policy) is in
// compiler/checks.h.
PinListModel ParsePinListJson(absl::string_view contents,
                              const std::string& list_path,
                              const PinsFile* pins_file, Diagnostics* diags,
                              const PemFileOptions& pem_files = {},
                              bool* document_read = nullptr);

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_LIST_PARSER_H_
