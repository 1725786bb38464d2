#include "export/exporter.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "compiler/table_writer.h"
#include "export/chromium.h"
#include "export/code_text.h"
#include "export/nsc.h"
#include "export/okhttp.h"
#include "export/trustkit.h"
#include "runtime/pin_list.h"

namespace pinbake {
namespace {

struct FormatName {
  ExportFormat format;
  const char* name;
};

constexpr FormatName kFormatNames[] = {
    {ExportFormat::kOkHttpJava, "okhttp-java"},
    {ExportFormat::kOkHttpKotlin, "okhttp-kotlin"},
    {ExportFormat::kNsc, "nsc"},
    {ExportFormat::kTrustKitPlist, "trustkit-plist"},
    {ExportFormat::kTrustKitSwift, "trustkit-swift"},
    {ExportFormat::kChromium, "chromium"},
};

// Comment lines for the output of a lossy export.
std::vector<std::string> LossComments(
    const std::vector<ExportFinding>& findings) {
  std::vector<std::string> lines;
  for (const ExportFinding& f : findings) {
    lines.push_back(absl::StrCat("lossy: ", f.Text()));
  }
  return lines;
}

}  // namespace

std::optional<ExportFormat> ParseExportFormat(absl::string_view name) {
  for (const FormatName& f : kFormatNames) {
    if (name == f.name) return f.format;
  }
  return std::nullopt;
}

const char* ExportFormatName(ExportFormat format) {
  for (const FormatName& f : kFormatNames) {
    if (f.format == format) return f.name;
  }
  return "?";
}

absl::StatusOr<ExportResult> ExportPinList(const PinListModel& model,
                                           const ExportOptions& options) {
  if (!IsPackageName(options.package_name)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--package \"", CommentSafe(options.package_name),
        "\": not a package name (identifiers separated by dots)"));
  }
  if (!IsSourceIdentifier(options.class_name)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--class \"", CommentSafe(options.class_name),
        "\": not an identifier (letters, digits, _; not a keyword)"));
  }
  if (options.okhttp_version != 3 && options.okhttp_version != 4) {
    return absl::InvalidArgumentError("--okhttp-version: 3 or 4");
  }
  absl::StatusOr<std::string> table = WriteTable(model);
  if (!table.ok()) return table.status();
  absl::StatusOr<PinList> list = PinList::FromBytes(*table);
  if (!list.ok()) return list.status();

  ExportResult result;
  if (model.list.timestamp == 0) {
    result.findings.push_back(
        {"", "list",
         "the list has no timestamp, so pinbake never enforces it (nor would "
         "the export); give it one (list.timestamp or --timestamp)"});
  }
  const char* name = ExportFormatName(options.format);
  auto finish = [&](auto write) {
    if (!result.findings.empty() && !options.lossy) return;
    result.files.push_back({"", write(LossComments(result.findings))});
  };
  switch (options.format) {
    case ExportFormat::kOkHttpJava:
    case ExportFormat::kOkHttpKotlin: {
      const OkHttpConfig config =
          OkHttpConfigFromModel(model, options.okhttp_version);
      std::vector<ExportFinding> proof =
          ProveExport(model, *list, name, kOkHttpAspects,
                      [&](absl::string_view host) {
                        return OkHttpAnswer(config, host);
                      });
      for (ExportFinding& f : proof) result.findings.push_back(std::move(f));
      const OkHttpSourceOptions source{options.package_name,
                                       options.class_name};
      finish([&](const std::vector<std::string>& comments) {
        return options.format == ExportFormat::kOkHttpJava
                   ? WriteOkHttpJava(config, source, comments)
                   : WriteOkHttpKotlin(config, source, comments);
      });
      break;
    }
    case ExportFormat::kChromium: {
      const ChromiumConfig config =
          ChromiumConfigFromModel(model, &result.findings);
      std::vector<ExportFinding> proof =
          ProveExport(model, *list, name, kChromiumAspects,
                      [&](absl::string_view host) {
                        return ChromiumAnswer(config, host);
                      });
      for (ExportFinding& f : proof) result.findings.push_back(std::move(f));
      if (!result.findings.empty() && !options.lossy) break;
      result.files.push_back(
          {"", WriteChromiumJson(config, LossComments(result.findings))});
      result.files.push_back({".pins", WriteChromiumPins(config)});
      break;
    }
    case ExportFormat::kNsc: {
      const NscConfig config = NscConfigFromModel(model);
      std::vector<ExportFinding> proof =
          ProveExport(model, *list, name, kNscAspects,
                      [&](absl::string_view host) {
                        return NscAnswer(config, host);
                      });
      for (ExportFinding& f : proof) result.findings.push_back(std::move(f));
      if (!result.findings.empty() && !options.lossy) break;
      absl::StatusOr<std::string> xml =
          WriteNscXml(config, LossComments(result.findings));
      if (!xml.ok()) return xml.status();
      result.files.push_back({"", *std::move(xml)});
      break;
    }
    case ExportFormat::kTrustKitPlist:
    case ExportFormat::kTrustKitSwift: {
      const TrustKitConfig config =
          TrustKitConfigFromModel(model, &result.findings);
      std::vector<ExportFinding> proof =
          ProveExport(model, *list, name, kTrustKitAspects,
                      [&](absl::string_view host) {
                        return TrustKitAnswer(config, host);
                      });
      // An entry TrustKit refuses outright is reported once.
      for (ExportFinding& f : proof) {
        bool known = false;
        for (const ExportFinding& g : result.findings) {
          known = known || (!f.entry.empty() && g.entry == f.entry);
        }
        if (!known) result.findings.push_back(std::move(f));
      }
      if (!result.findings.empty() && !options.lossy) break;
      const std::vector<std::string> comments = LossComments(result.findings);
      if (options.format == ExportFormat::kTrustKitSwift) {
        result.files.push_back(
            {"", WriteTrustKitSwift(config, options.class_name, comments)});
      } else {
        absl::StatusOr<std::string> plist = WriteTrustKitPlist(config, comments);
        if (!plist.ok()) return plist.status();
        result.files.push_back({"", *std::move(plist)});
      }
      break;
    }
  }
  return result;
}

}  // namespace pinbake
