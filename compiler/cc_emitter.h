// Emits a compiled pin table as C++ source ("baking"), so that a program can
// link its pin list instead of reading a .pinb file at run time. Used by
// `pinbake compile --cc-out/--cc-header` and the Bazel macro
// pin_list_cc_library (bazel/pinbake.bzl); see docs/baking.md.
//
// The generated header declares, in the chosen namespace NS:
//
//   const ::pinbake::PinList& NAME();      // The list, ready for lookups.
//   ::absl::string_view NAME_table();      // The raw table bytes.
//
// The header only forward-declares pinbake::PinList: callers include
// "runtime/pin_list.h" to use it. The generated .cc holds the table as an
// `alignas(8) constexpr unsigned char` array (constant data) and includes
// only headers without static initializers, so its object file has none.
// NAME() builds its PinList on first use in a function-local static
// (thread-safe, never destroyed) with pinbake::NewBakedPinListOrDie
// (runtime/baked_pin_list.h, which generated code must be linked with), and
// aborts with a message if the table does not validate, which cannot happen
// for a table CompilePinList produced and verified, as long as the runtime
// linked in reads the format the compiler wrote.
//
// The table is treated as opaque bytes here: this file does not depend on
// the table format.

#ifndef PINBAKE_COMPILER_CC_EMITTER_H_
#define PINBAKE_COMPILER_CC_EMITTER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pinbake {

// Default function name when none is given.
inline constexpr absl::string_view kDefaultCcName = "pin_list";

struct CcEmitterOptions {
  // C++ namespace for the generated declarations: one identifier or
  // several joined by "::" ("pinbake_generated", "my::app::pins"); no
  // leading or trailing "::". Required.
  std::string cc_namespace;
  // Name of the accessor function; the raw table accessor is NAME + "_table".
  std::string name = std::string(kDefaultCcName);
  // How the generated .cc includes the generated header, e.g.
  // "examples/app/example_pins.h". Required; must not contain '"', '\\',
  // a newline or a NUL.
  std::string include_path;
  // Written into a comment at the top of both files to say where the list
  // came from (e.g. the list's path). Optional. Bytes outside printable
  // ASCII, '\\' and '?' are written as '_' (so the comment stays one line).
  std::string source_description;
};

// The two generated files' contents.
struct CcSources {
  std::string header;  // The .h file.
  std::string source;  // The .cc file.
};

// OK if `name` can be used as a C++ identifier for a generated declaration:
// [A-Za-z_][A-Za-z0-9_]*, not a C++ keyword or alternative token (C++20
// keywords included), and not reserved for the implementation (starts with
// "_" followed by an uppercase letter, or contains "__"). Otherwise
// InvalidArgument whose message starts with `what` (e.g. "--cc-name") and
// says why.
absl::Status ValidateCcIdentifier(absl::string_view name,
                                  absl::string_view what);

// OK if `ns` is a valid namespace name for the generated code: identifiers
// (as ValidateCcIdentifier) joined by "::", with no empty component, no
// leading "::" and no whitespace. The top-level namespaces "std" and
// "pinbake" are refused so generated code never adds to them. Otherwise
// InvalidArgument whose message starts with `what` and says why.
absl::Status ValidateCcNamespace(absl::string_view ns, absl::string_view what);

// OK if `name` can be used as the accessor name: ValidateCcIdentifier, and
// NAME + "_table" must be valid too (so NAME must not end in "_").
absl::Status ValidateCcName(absl::string_view name, absl::string_view what);

// Generates the header and source for `table` (the bytes WriteTable or
// CompilePinList produced) under `options`. The output depends only on its
// inputs (deterministic: no dates, no absolute paths beyond what `options`
// holds). InvalidArgument, naming the option, if a name, the namespace or
// the include path is invalid, or if `table` is empty.
absl::StatusOr<CcSources> EmitCcSources(absl::string_view table,
                                        const CcEmitterOptions& options);

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_CC_EMITTER_H_
