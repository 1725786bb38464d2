// `pinbake compile`: a pin list (+ .pins file) -> the binary table and, with
// --cc-*, the table as C++ source. Also the whole of pinbake_compile, the
// build tool of bazel/pinbake.bzl (cli/compile_main.cc).

#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "cli/cli_common.h"
#include "cli/command_line.h"
#include "cli/progress_line.h"
#include "cli/subcommand.h"
#include "compiler/cc_emitter.h"
#include "compiler/compile.h"
#include "compiler/file_util.h"
#include "format/table_format.h"

namespace pinbake {
namespace cli {
namespace {

constexpr char kCompileHelp[] =
    R"(pinbake compile LIST.json [--pins FILE.pins] [--werror] [--timestamp T] -o OUT.pinb
       [--now T] [--allow-stale] [--pem-root DIR] [--block-size N] [--timing]
       [--cc-out FILE.cc --cc-header FILE.h --cc-namespace NS [--cc-name NAME]
        [--cc-include PATH]]

Reads a pin list (pinbake's JSON format or Chromium's
transport_security_state_static.json, see docs/list-format.md), checks it,
and writes the binary table (docs/format.md) to OUT atomically. With
--cc-out/--cc-header it also (or, without -o, only) writes the table as C++
source: a header declaring NS::NAME() (a ready pinbake::PinList) and
NS::NAME_table() (the raw bytes), see docs/baking.md.

  --pins FILE     Chromium .pins file naming the keys the list refers to.
  --pem-root DIR  Read "pem_file" keys only inside DIR: each must be a
                  relative path under DIR, with no ".." above it and no
                  symlink below it. Default: relative to the list's
                  directory. Either way only regular files up to 1 MiB.
  --werror        Treat warnings as errors.
  --idn           Accept entry names with U-labels (Unicode, such as
                  "bücher.example"), converting them to A-labels
                  ("xn--bcher-kva.example") as browsers do (IDNA2008, UTS
                  #46 non-transitional) and printing each A-label as a
                  note. Without it such names are errors whose fix names
                  the A-label.
  --timestamp T   List timestamp (RFC 3339, unix seconds, or "now" for the
                  build time, like Chrome's) when the input gives none.
  --now T         Time the list's timestamp is checked against (default:
                  the current time). A timestamp more than 1 day after it
                  is an error; so, unless --allow-stale, is a list without
                  a timestamp or already stale (timestamp + max_age_days
                  before it): the runtime would never enforce its pins.
  --allow-stale   Compile a list without a timestamp or already stale
                  anyway (for tests and old reference lists).
  -o OUT          Output table. Not created or changed on any error.
  --timing        Print the time of each phase (parse, check, encode,
                  verify) to standard error.
  --block-size N  Names per block of the table's name stream, 1..64
                  (default 16): larger is smaller and slower. Every setting
                  gives the same, exact answers (docs/format.md).
  --cc-out F.cc   Generated C++ source (needs --cc-header and --cc-namespace).
  --cc-header F.h Generated C++ header.
  --cc-namespace NS  Namespace of the declarations: a C++ identifier or
                  several joined by "::" (not std or pinbake).
  --cc-name NAME  Accessor name (default pin_list); NAME_table() too.
  --cc-include P  How F.cc includes F.h (default: the basename of F.h).

When standard error is a terminal, a progress line shows the phase
(reading, parsing and checking; encoding counts; writing) and is erased
before results; otherwise (a pipe, a log, a Bazel action) nothing is
shown.

Errors are printed as FILE:LINE:COL: error: ... (syntax) or
FILE:LINE:COL: entries[N].field: error: ... (meaning; the LINE:COL of the
field, left out for a field not in the text), each followed by a line
"  fix: ..." where a fix is known; all of them in one run (a syntax error
stops the run; every other error is reported together), sorted by
position, then exit 2.

Exit codes: 0 written (warnings allowed unless --werror), 2 errors in the
list, bad usage or I/O error (nothing written).
)";

// Options of the --cc-* flags of compile, checked before any work is done.
struct CcOutput {
  std::string cc_path;
  std::string header_path;
  CcEmitterOptions options;
};

// Reads the --cc-* flags: nullopt in `*out` if none is given; an error
// message if they are incomplete or invalid.
absl::Status ParseCcFlags(const ParsedArgs& parsed,
                          const std::string& list_path,
                          std::optional<CcOutput>* out) {
  std::optional<std::string> cc = parsed.Value("--cc-out");
  std::optional<std::string> header = parsed.Value("--cc-header");
  std::optional<std::string> ns = parsed.Value("--cc-namespace");
  if (!cc && !header) {
    for (const char* flag : {"--cc-namespace", "--cc-name", "--cc-include"}) {
      if (parsed.Value(flag)) {
        return absl::InvalidArgumentError(
            absl::StrCat(flag, " needs --cc-out and --cc-header"));
      }
    }
    return absl::OkStatus();
  }
  if (!cc || !header || !ns) {
    return absl::InvalidArgumentError(
        "--cc-out, --cc-header and --cc-namespace go together");
  }
  CcOutput result;
  result.cc_path = *cc;
  result.header_path = *header;
  result.options.cc_namespace = *ns;
  result.options.name =
      parsed.Value("--cc-name").value_or(std::string(kDefaultCcName));
  const size_t slash = header->rfind('/');
  result.options.include_path = parsed.Value("--cc-include").value_or(
      slash == std::string::npos ? *header : header->substr(slash + 1));
  result.options.source_description = list_path;
  absl::Status status =
      ValidateCcNamespace(result.options.cc_namespace, "--cc-namespace");
  if (status.ok()) status = ValidateCcName(result.options.name, "--cc-name");
  if (!status.ok()) return status;
  // Catches a bad --cc-include (or list path) before compiling.
  absl::StatusOr<CcSources> probe = EmitCcSources("x", result.options);
  if (!probe.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        parsed.Value("--cc-include") ? "--cc-include: " : "--cc-header: ",
        probe.status().message()));
  }
  *out = std::move(result);
  return absl::OkStatus();
}
// Reads compile's flags into `*options` and `*cc_output`; a usage error
// message on a bad value.
absl::Status ParseCompileFlags(const ParsedArgs& parsed,
                               CompileOptions* options,
                               std::optional<CcOutput>* cc_output) {
  if (!(parsed.Value("-o") || parsed.Value("--cc-out") ||
        parsed.Value("--cc-header"))) {
    return absl::InvalidArgumentError(kCompileCommand.args_error);
  }
  if (absl::Status status =
          ParseCcFlags(parsed, parsed.positional[0], cc_output);
      !status.ok()) {
    return status;
  }
  options->list_path = parsed.positional[0];
  options->pins_path = parsed.Value("--pins").value_or("");
  options->pem_root = parsed.Value("--pem-root").value_or("");
  options->werror = parsed.Has("--werror");
  options->idn = parsed.Has("--idn");
  if (std::optional<std::string> t = parsed.Value("--timestamp")) {
    std::optional<absl::Time> time = ParseTimeArgument(*t);
    if (!time) return absl::InvalidArgumentError("--timestamp: not a time");
    options->timestamp = absl::ToUnixSeconds(*time);
  }
  if (std::optional<std::string> t = parsed.Value("--now")) {
    std::optional<absl::Time> time = ParseTimeArgument(*t);
    if (!time) return absl::InvalidArgumentError("--now: not a time");
    options->now = *time;
  }
  options->require_fresh = !parsed.Has("--allow-stale");
  if (std::optional<std::string> size = parsed.Value("--block-size")) {
    if (!absl::SimpleAtoi(*size, &options->table.block_size) ||
        options->table.block_size < table_format::kMinBlockSize ||
        options->table.block_size > table_format::kMaxBlockSize) {
      return absl::InvalidArgumentError(
          "--block-size: an integer from 1 to 64");
    }
  }
  return absl::OkStatus();
}

// Generates every output before the first is written, then replaces each
// file atomically: the table first, then the header, then the source.
// Returns the written paths, or false after printing why.
bool WriteOutputs(const ParsedArgs& parsed, const std::string& table,
                  const std::optional<CcOutput>& cc_output,
                  std::string* written_paths) {
  std::vector<std::pair<std::string, std::string>> files;  // Path, contents.
  if (std::optional<std::string> out_path = parsed.Value("-o")) {
    files.emplace_back(*out_path, table);
  }
  if (cc_output) {
    absl::StatusOr<CcSources> sources =
        EmitCcSources(table, cc_output->options);
    if (!sources.ok()) {
      InputError(sources.status().message());
      return false;
    }
    files.emplace_back(cc_output->header_path, sources->header);
    files.emplace_back(cc_output->cc_path, sources->source);
  }
  for (const auto& [path, contents] : files) {
    absl::Status written = WriteFileAtomically(path, contents);
    if (!written.ok()) {
      InputError(written.message());
      return false;
    }
  }
  for (const auto& file : files) {
    absl::StrAppend(written_paths, written_paths->empty() ? "" : ", ",
                    file.first);
  }
  return true;
}

int RunCompile(const ParsedArgs& parsed) {
  CompileOptions options;
  std::optional<CcOutput> cc_output;
  if (absl::Status status = ParseCompileFlags(parsed, &options, &cc_output);
      !status.ok()) {
    return UsageError(status.message(), kCompileHelp);
  }
  std::vector<std::pair<std::string, absl::Duration>> phase_times;
  if (parsed.Has("--timing")) options.phase_times = &phase_times;
  ProgressLine progress(std::cerr, ProgressLine::StderrIsTerminal());
  progress.Show(absl::StrCat("pinbake: compile: reading, parsing and checking ",
                             options.list_path, " ..."));
  Diagnostics diags;
  CompileOutput out = CompilePinList(options, &diags);
  progress.Clear();
  PrintDiagnostics(diags);
  for (const auto& [phase, duration] : phase_times) {
    std::cerr << "pinbake: " << phase << " "
              << absl::ToDoubleSeconds(duration) << " s\n";
  }
  if (diags.has_errors()) {
    std::cerr << "pinbake: " << diags.error_count() << " error(s), "
              << diags.warning_count() << " warning(s); nothing written\n";
    return kExitError;
  }
  progress.Show(absl::StrCat("pinbake: compile: ", out.model.entries.size(),
                             " entries, ", out.model.pinsets.size(),
                             " pinsets encoded in ", out.table.size(),
                             " bytes; writing", cc_output ? " table and C++" : "",
                             " ..."));
  std::string written_paths;
  const bool wrote = WriteOutputs(parsed, out.table, cc_output, &written_paths);
  progress.Clear();
  if (!wrote) return kExitError;
  std::cerr << "pinbake: wrote " << written_paths << ": " << out.table.size()
            << " bytes, " << out.model.entries.size() << " entries, "
            << out.model.pinsets.size() << " pinsets, "
            << diags.warning_count() << " warning(s)\n";
  return kExitOk;
}

}  // namespace

const Subcommand kCompileCommand = {
    "compile",
    R"(pinbake compile LIST.json [--pins FILE.pins] [--werror] [--timestamp T|now] -o OUT.pinb
                  [--now T] [--allow-stale] [--pem-root DIR] [--timing] [--idn]
                  [--cc-out FILE.cc --cc-header FILE.h --cc-namespace NS ...])",
    kCompileHelp,
    {{"--werror", "--timing", "--allow-stale", "--idn"},
     {"--pins", "--pem-root", "--timestamp", "--now", "-o", "--cc-out",
      "--cc-header", "--block-size", "--cc-namespace", "--cc-name",
      "--cc-include"}},
    1,
    1,
    {},
    "compile needs one LIST.json and -o OUT (or --cc-out)",
    RunCompile,
};

}  // namespace cli
}  // namespace pinbake
