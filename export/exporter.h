// One pin list, every platform: exports a compiled list to OkHttp,
// Android's Network Security Config, TrustKit or Chromium, after proving
// that the platform would pin exactly as pinbake does
// (export/export_proof.h).
//
//   ExportOptions options;
//   options.format = ExportFormat::kOkHttpJava;
//   absl::StatusOr<ExportResult> result = ExportPinList(model, options);
//   if (result.ok() && !result->files.empty()) ... write result->files ...
//   for (const ExportFinding& f : result->findings) ... errors / warnings
//
// Each platform's rules, mapping and writer: export/okhttp.h, nsc.h,
// trustkit.h, chromium.h; the feature table: docs/export.md.

#ifndef PINBAKE_EXPORT_EXPORTER_H_
#define PINBAKE_EXPORT_EXPORTER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "compiler/pin_list_model.h"
#include "export/export_proof.h"

namespace pinbake {

enum class ExportFormat {
  kOkHttpJava,
  kOkHttpKotlin,
  kNsc,
  kTrustKitPlist,
  kTrustKitSwift,
  kChromium,
};

// "okhttp-java" etc. <-> ExportFormat; nullopt for an unknown name.
std::optional<ExportFormat> ParseExportFormat(absl::string_view name);
const char* ExportFormatName(ExportFormat format);

struct ExportOptions {
  ExportFormat format = ExportFormat::kOkHttpJava;
  // Java/Kotlin package (okhttp-*), Swift has none.
  std::string package_name = "pinbake.generated";
  // Class / object (okhttp-*) or Swift enum (trustkit-swift) name.
  std::string class_name = "PinbakePins";
  int okhttp_version = 4;  // 3 or 4.
  // Write even when the platform answers differently: findings become
  // warnings and are written into the output as comments.
  bool lossy = false;
};

// One output file: `suffix` "" is the main output (-o OUT); others are
// written beside it (chromium: ".pins").
struct ExportedFile {
  std::string suffix;
  std::string contents;
};

struct ExportResult {
  // Every difference between the platform and pinbake (and what the
  // platform cannot express), in entry order.
  std::vector<ExportFinding> findings;
  // The outputs: empty when there are findings and not `lossy`.
  std::vector<ExportedFile> files;
};

// Exports `model` (a checked, compiled list, e.g. from ModelFromTable) as
// `options` say. Errors (InvalidArgument): options out of range (a package
// or class name that is not an identifier, an OkHttp version other than 3
// or 4) or a model that does not compile (WriteTable). Differences are
// findings, not errors. Deterministic: the files depend on the list's
// content, not on the order of its entries or pinsets.
absl::StatusOr<ExportResult> ExportPinList(const PinListModel& model,
                                           const ExportOptions& options);

}  // namespace pinbake

#endif  // PINBAKE_EXPORT_EXPORTER_H_
