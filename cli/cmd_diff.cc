// pinbake diff: semantic difference of two pin lists or tables.

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/command_line.h"
#include "release/list_diff.h"
#include "cli/cli_common.h"
#include "cli/release_inputs.h"
#include "cli/subcommand.h"

namespace pinbake {
namespace cli {
namespace {

constexpr char kDiffHelp[] =
    R"(pinbake diff OLD NEW [--old-pins FILE] [--new-pins FILE] [--pem-root DIR]
                     [--json] [-o OUT]

Compares two pin lists semantically. OLD and NEW are each a JSON list
(compiled first; --old-pins / --new-pins name its .pins file) or a
compiled table (recognised by its "PINBAKE\0" magic). Reports list
version, timestamp and max_age_days changes; pinsets added, removed or
changed (good and bad pins compared as sets, report_uri); hosts added,
removed or changed (include_subdomains, include_subdomains_for_pinning,
force_https, public-suffix policy, pinset, pin_mode). Key names and order
do not matter: a list and its compiled table are identical. Each pin is
followed by its key name where a JSON list (or its .pins file) names it:
  ~ pinset example (used by example.com):
      - good sha256/...= (DemoIntermediate)

  --json      Print JSON instead of text.
  --pem-root DIR  Read the lists' "pem_file" keys only inside DIR (as
              pinbake compile --pem-root).
  -o OUT      Write the report to OUT (atomically) instead of stdout.

Exit codes: 0 identical, 1 different, 2 bad input, usage or I/O error.
)";

int RunDiff(const ParsedArgs& parsed) {
  Diagnostics diags;
  KeyNames key_names;  // The new list's names first, then the old one's.
  absl::StatusOr<std::shared_ptr<const LoadedList>> new_list = LoadListOrTable(
      parsed.positional[1], parsed.Value("--new-pins").value_or(""), &diags,
      parsed.Value("--pem-root").value_or(""), &key_names);
  absl::StatusOr<std::shared_ptr<const LoadedList>> old_list = LoadListOrTable(
      parsed.positional[0], parsed.Value("--old-pins").value_or(""), &diags,
      parsed.Value("--pem-root").value_or(""), &key_names);
  PrintDiagnostics(diags);
  if (!old_list.ok()) return InputError(old_list.status().message());
  if (!new_list.ok()) return InputError(new_list.status().message());

  absl::StatusOr<ListDiff> diff =
      DiffTables((*old_list)->table(), (*new_list)->table());
  if (!diff.ok()) return InputError(diff.status().message());
  const std::string report =
      parsed.Has("--json") ? FormatDiffJson(*diff, key_names)
                           : FormatDiffText(*diff, key_names);
  if (!Emit(parsed.Value("-o").value_or(""), report)) return kExitError;
  return diff->identical() ? kExitOk : kExitRefused;
}

}  // namespace

const Subcommand kDiffCommand = {
    "diff",
    "pinbake diff OLD NEW [--old-pins F] [--new-pins F] [--pem-root DIR] [--json]",
    kDiffHelp,
    {{"--json"}, {"--old-pins", "--new-pins", "--pem-root", "-o"}},
    2,
    2,
    {},
    "diff needs OLD and NEW",
    RunDiff,
};

}  // namespace cli
}  // namespace pinbake
