// pinbake export: one pin list to OkHttp, Network Security Config,
// TrustKit or Chromium, proven to pin the same hosts (export/exporter.h).

#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "cli/cli_common.h"
#include "cli/command_line.h"
#include "cli/release_inputs.h"
#include "cli/subcommand.h"
#include "compiler/compile.h"
#include "compiler/file_util.h"
#include "compiler/model_from_table.h"
#include "export/exporter.h"
#include "runtime/table_reader.h"

namespace pinbake {
namespace cli {
namespace {

constexpr char kExportHelp[] =
    R"(pinbake export LIST.json|TABLE.pinb --format FORMAT [-o OUT]
               [--pins FILE] [--pem-root DIR] [--timestamp T]
               [--package NAME] [--class NAME] [--okhttp-version 3|4] [--lossy]

Writes the pin list as another platform's pinning configuration, after
checking, for every name the list implies (each entry, each ancestor, the
"*." level and a deeper sample subdomain of each), that the platform's
matching rules give pinbake's answer. Any difference is an error naming
the entry and saying what the platform would do; nothing is written.
With --lossy the output is written anyway, each difference a warning and
a comment in the output. docs/export.md has the full feature table.

FORMAT and mapping:
  okhttp-java, okhttp-kotlin
      CertificatePinner source (class/object --class in --package).
      NAME -> "NAME"; include_subdomains -> "**.NAME" (--okhttp-version 4,
      the default) or "NAME" + "*.NAME" (3: deeper names are refused);
      "*.P" -> "*.P". OkHttp unions every matching pattern: an exclusion or
      a child with other pins under a covering parent is refused. No
      blocked pins, no report-only. Expiry (timestamp + max_age_days) is in
      the code: then certificatePinner() returns CertificatePinner.DEFAULT.
  nsc
      Android Network Security Config XML: one <domain-config> per entry,
      includeSubdomains, <pin-set expiration="DATE"> (the UTC day pinbake's
      list expires, rounded down), force-https -> cleartextTrafficPermitted
      ="false". No wildcards, no blocked pins, no report-only.
  trustkit-plist, trustkit-swift
      TrustKit kTSKPinnedDomains (Info.plist XML / a Swift dictionary):
      kTSKIncludeSubdomains, kTSKPublicKeyHashes (TrustKit needs two),
      kTSKEnforcePinning (false: report-only), kTSKReportUris,
      kTSKExpirationDate, kTSKExcludeSubdomainFromParentPolicy for
      exclusions. No wildcards, no blocked pins, no includeSubdomains on a
      public suffix, no nested include_subdomains domains (TrustKit picks
      one in dictionary order).
  chromium
      transport_security_state_static_pins.json (-o OUT) and OUT's .pins
      (OUT without .json, plus .pins) with sha256/ keys and
      PinsListTimestamp; compiles back with `pinbake compile`. Chromium's
      lookup stops at the deepest ancestor entry. No wildcards, no
      report-only, max_age_days 70 only; HSTS is not part of the pins file.

  --pins FILE          .pins file of LIST.json.
  --pem-root DIR       Read "pem_file" keys only inside DIR.
  --timestamp T        List timestamp if LIST.json has none (RFC 3339,
                       unix seconds or "now").
  --package NAME       Java/Kotlin package (default pinbake.generated).
  --class NAME         Class, object or Swift enum (default PinbakePins).
  --okhttp-version V   3 or 4 (default 4).
  --lossy              Write despite differences (warnings + comments).
  -o OUT               Output file (default: stdout; chromium needs -o).

Exit codes: 0 written, 1 refused (differences without --lossy),
2 bad input, usage or I/O error.
)";

// The list at `path` as the compiler's model: a JSON list's checked model,
// or a table's ModelFromTable.
std::optional<PinListModel> LoadModel(const ParsedArgs& parsed) {
  const std::string& path = parsed.positional[0];
  absl::StatusOr<std::string> bytes = ReadFileToString(path);
  if (!bytes.ok()) {
    InputError(bytes.status().message());
    return std::nullopt;
  }
  std::string table;
  if (LooksLikeTable(*bytes)) {
    if (parsed.Value("--pins") || parsed.Value("--timestamp")) {
      InputError(absl::StrCat(path, ": a table takes no --pins or --timestamp"));
      return std::nullopt;
    }
    table = *std::move(bytes);
  } else {
    CompileOptions options;
    options.list_path = path;
    options.pins_path = parsed.Value("--pins").value_or("");
    options.pem_root = parsed.Value("--pem-root").value_or("");
    if (std::optional<std::string> t = parsed.Value("--timestamp")) {
      std::optional<absl::Time> time = ParseTimeArgument(*t);
      if (!time) {
        UsageError("--timestamp: not a time", kExportHelp);
        return std::nullopt;
      }
      options.timestamp = absl::ToUnixSeconds(*time);
    }
    Diagnostics diags;
    CompileOutput out = CompilePinList(options, &diags);
    PrintDiagnostics(diags);
    if (diags.has_errors()) {
      InputError(absl::StrCat(path, ": ", diags.error_count(),
                              " compile error(s); nothing written"));
      return std::nullopt;
    }
    // The checked model keeps the list's own field paths (entries[i] of
    // the JSON file) for the messages; it is what the table encodes.
    return std::move(out.model);
  }
  absl::StatusOr<TableReader> reader = TableReader::Open(table);
  if (!reader.ok()) {
    InputError(absl::StrCat(path, ": ", reader.status().message()));
    return std::nullopt;
  }
  absl::StatusOr<PinListModel> model = ModelFromTable(*reader);
  if (!model.ok()) {
    InputError(absl::StrCat(path, ": ", model.status().message()));
    return std::nullopt;
  }
  return *std::move(model);
}

// Where a file with `suffix` goes for `-o out`.
std::string OutputPath(const std::string& out, const std::string& suffix) {
  if (suffix.empty()) return out;
  std::string base = out;
  if (absl::EndsWith(base, ".json")) base.resize(base.size() - 5);
  return base + suffix;
}

int RunExport(const ParsedArgs& parsed) {
  ExportOptions options;
  std::optional<ExportFormat> format =
      ParseExportFormat(*parsed.Value("--format"));
  if (!format) {
    return UsageError(absl::StrCat("--format ", *parsed.Value("--format"),
                                   ": not a format"),
                      kExportHelp);
  }
  options.format = *format;
  options.lossy = parsed.Has("--lossy");
  if (auto v = parsed.Value("--package")) options.package_name = *v;
  if (auto v = parsed.Value("--class")) options.class_name = *v;
  if (auto v = parsed.Value("--okhttp-version")) {
    if (!absl::SimpleAtoi(*v, &options.okhttp_version)) {
      return UsageError("--okhttp-version: 3 or 4", kExportHelp);
    }
  }
  std::optional<PinListModel> model = LoadModel(parsed);
  if (!model) return kExitError;
  absl::StatusOr<ExportResult> result = ExportPinList(*model, options);
  if (!result.ok()) return InputError(result.status().message());
  const char* severity = options.lossy ? "warning" : "error";
  for (const ExportFinding& f : result->findings) {
    std::cerr << "pinbake: " << severity << ": " << f.Text() << "\n";
  }
  if (result->files.empty()) {
    std::cerr << "pinbake: " << result->findings.size() << " difference(s) "
              << "from " << ExportFormatName(options.format)
              << "; nothing written (--lossy writes anyway)\n";
    return kExitRefused;
  }
  const std::string out = parsed.Value("-o").value_or("");
  if (out.empty()) {
    if (result->files.size() > 1) {
      return UsageError(absl::StrCat("--format ",
                                     ExportFormatName(options.format),
                                     " writes several files: give -o OUT"),
                        kExportHelp);
    }
    std::cout << result->files[0].contents;
    return kExitOk;
  }
  for (const ExportedFile& file : result->files) {
    absl::Status written =
        WriteFileAtomically(OutputPath(out, file.suffix), file.contents);
    if (!written.ok()) return InputError(written.message());
  }
  std::cerr << "pinbake: wrote " << out;
  for (const ExportedFile& file : result->files) {
    if (!file.suffix.empty()) std::cerr << ", " << OutputPath(out, file.suffix);
  }
  std::cerr << " (" << ExportFormatName(options.format) << ", "
            << model->entries.size() << " entries, "
            << result->findings.size() << " lossy difference(s))\n";
  return kExitOk;
}

}  // namespace

const Subcommand kExportCommand = {
    "export",
    R"(pinbake export LIST|TABLE --format okhttp-java|okhttp-kotlin|nsc|trustkit-plist|trustkit-swift|chromium
               [-o OUT] [--package N] [--class N] [--okhttp-version 3|4] [--lossy])",
    kExportHelp,
    {{"--lossy"},
     {"--format", "-o", "--pins", "--pem-root", "--timestamp", "--package",
      "--class", "--okhttp-version"}},
    1,
    1,
    {"--format"},
    "export needs one LIST and --format",
    RunExport,
};

}  // namespace cli
}  // namespace pinbake
