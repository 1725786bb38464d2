// pinbake import: a team's existing pinning configuration (Network
// Security Config XML, TrustKit plist) read into pinbake's JSON list, to
// migrate once and then export back (export/nsc.h, export/trustkit.h).

#include <iostream>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cli/cli_common.h"
#include "cli/command_line.h"
#include "cli/subcommand.h"
#include "compiler/file_util.h"
#include "export/list_json.h"
#include "export/nsc.h"
#include "export/trustkit.h"

namespace pinbake {
namespace cli {
namespace {

constexpr char kImportHelp[] =
    R"(pinbake import --from nsc|trustkit-plist FILE [-o LIST.json] [--timestamp T]

Reads another platform's pinning configuration into a pinbake JSON list
(docs/export.md), to be reviewed, compiled (`pinbake compile`) and
exported back to every platform (`pinbake export`):
  nsc             Android Network Security Config XML (libxml2): each
                  <domain> an entry with the pins and
                  cleartextTrafficPermitted its domain-config has or
                  inherits; cleartextTrafficPermitted="false" is
                  force-https; a domain with neither is an exclusion.
  trustkit-plist  TrustKit configuration plist, XML or binary (libplist):
                  the kTSKPinnedDomains dictionary (or an Info.plist with
                  TSKConfiguration); kTSKEnforcePinning false is
                  report-only, kTSKExcludeSubdomainFromParentPolicy an
                  exclusion, kTSKReportUris the first report URI.
Equal pin sets become one pinset. The list's timestamp is T (default:
now) and max_age_days the whole days until the earliest pin expiration
(70 if the file has none: a warning).

  --timestamp T   RFC 3339, unix seconds or "now" (default).
  -o LIST.json    Output (atomically; default: stdout).

Exit codes: 0 written, 2 unreadable or invalid input, usage or I/O error.
)";

int RunImport(const ParsedArgs& parsed) {
  const std::string from = *parsed.Value("--from");
  if (from != "nsc" && from != "trustkit-plist") {
    return UsageError(absl::StrCat("--from ", from, ": nsc or trustkit-plist"),
                      kImportHelp);
  }
  absl::Time timestamp = absl::Now();
  if (std::optional<std::string> t = parsed.Value("--timestamp")) {
    std::optional<absl::Time> time = ParseTimeArgument(*t);
    if (!time) return UsageError("--timestamp: not a time", kImportHelp);
    timestamp = *time;
  }
  const std::string& path = parsed.positional[0];
  absl::StatusOr<std::string> bytes = ReadRegularFile(path, size_t{16} << 20);
  if (!bytes.ok()) return InputError(bytes.status().message());
  absl::StatusOr<ImportedList> imported =
      from == "nsc"
          ? ImportNsc(*bytes, path, absl::ToUnixSeconds(timestamp))
          : ImportTrustKitPlist(*bytes, path, absl::ToUnixSeconds(timestamp));
  if (!imported.ok()) return InputError(imported.status().message());
  for (const std::string& warning : imported->warnings) {
    std::cerr << "pinbake: warning: " << warning << "\n";
  }
  const std::string text = ModelToListJson(
      imported->model,
      {absl::StrCat("Imported by `pinbake import --from ", from, "` from ",
                    path, "; review, then `pinbake compile` / `export`.")});
  if (!Emit(parsed.Value("-o").value_or(""), text)) return kExitError;
  std::cerr << "pinbake: imported " << imported->model.entries.size()
            << " entries, " << imported->model.pinsets.size()
            << " pinsets, " << imported->warnings.size() << " warning(s)\n";
  return kExitOk;
}

}  // namespace

const Subcommand kImportCommand = {
    "import",
    R"(pinbake import --from nsc|trustkit-plist FILE [-o LIST.json] [--timestamp T])",
    kImportHelp,
    {{}, {"--from", "-o", "--timestamp"}},
    1,
    1,
    {"--from"},
    "import needs --from and one FILE",
    RunImport,
};

}  // namespace cli
}  // namespace pinbake
