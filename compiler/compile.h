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
  // Where "pem_file" keys are read (--pem-root); empty: the list's
  // directory. See PemFileOptions in compiler/list_parser.h.
  std::string pem_root;
  // Treat warnings as errors.
  bool werror = false;
  // Entry names with U-labels are converted to A-labels (with a note
  // each, compiler/idn_names.h) instead of refused (--idn).
  bool idn = false;
  // Unix seconds to use as the list timestamp when the input gives none
  // (like Chrome's build time). An input timestamp that differs is an error.
  std::optional<int64_t> timestamp;
  // The time the list's own times are checked against; nullopt: the time
  // CompilePinList runs. A list timestamp more than kMaxListTimestampSkew
  // (1 day, runtime/list_time_bounds.h) after it is always an error.
  std::optional<absl::Time> now;
  // Whether a list without a timestamp, or already stale at `now`, is an
  // error ("list.timestamp"). `pinbake compile` sets it unless
  // --allow-stale. false (the library default, for tests and tools that
  // compile fixed old lists): a missing timestamp is only a warning and an
  // expired list is accepted.
  bool require_fresh = false;
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
// check, encoding limit, failed read-back) goes to `diags`, in one pass: a
// syntax error ends the run, but structural, reference and semantic errors
// are all reported together (minus those that only follow from an earlier
// one, Diagnostics::DropFollowUps), located (line:col) and sorted by
// position. The output's table is non-empty exactly when `diags` has no
// errors at the end.
CompileOutput CompilePinList(const CompileOptions& options, Diagnostics* diags);

// Parses and checks a list without encoding it (for lint-like callers).
// Same diagnostics as CompilePinList up to the encoding step.
PinListModel LoadAndCheckPinList(const CompileOptions& options,
                                 Diagnostics* diags);

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_COMPILE_H_
