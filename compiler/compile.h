// The compile pipeline shared by `pinbake compile` and tests: read the list
// (and .pins file), parse, check, encode, and verify the encoded table by
// reading it back with the runtime.

#ifndef PINBAKE_COMPILER_COMPILE_H_
#define PINBAKE_COMPILER_COMPILE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"

#include "compiler/diagnostics.h"
#include "compiler/pin_list_model.h"
#include "compiler/table_writer.h"

namespace pinbake {

struct CompileOptions {
  std::string list_path;
  std::string pins_path;  // Empty: no .pins file.
  // Treat warnings as errors.
  bool werror = false;
  // Unix seconds to use as the list timestamp when the input gives none
  // (like Chrome's build time). An input timestamp that differs is an error.
  std::optional<int64_t> timestamp;
  // Encoding choices (block size; none changes an answer).
  TableOptions table;
  // If set, receives the wall time of each phase ("parse", "check",
  // "encode", "verify"), in order.
  std::vector<std::pair<std::string, absl::Duration>>* phase_times = nullptr;
};

struct CompileOutput {
  PinListModel model;  // The checked model.
  std::string table;   // The encoded table; empty if there were errors.
};

// Runs the whole pipeline. Every problem (unreadable file, syntax, semantic
// check, encoding limit, failed read-back) goes to `diags`; the output's
// table is non-empty exactly when `diags` has no errors at the end.
CompileOutput CompilePinList(const CompileOptions& options, Diagnostics* diags);

// Parses and checks a list without encoding it (for lint-like callers).
// Same diagnostics as CompilePinList up to the encoding step.
PinListModel LoadAndCheckPinList(const CompileOptions& options,
                                 Diagnostics* diags);

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_COMPILE_H_
