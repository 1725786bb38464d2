#include "cli/release_inputs.h"

#include <iostream>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "compiler/compile.h"
#include "cli/pin_report.h"
#include "compiler/file_util.h"
#include "runtime/cert_util.h"

namespace pinbake {

bool LooksLikeTable(absl::string_view bytes) {
  constexpr absl::string_view kTableMagic("PINBAKE\0", 8);
  return bytes.substr(0, kTableMagic.size()) == kTableMagic;
}

absl::StatusOr<std::shared_ptr<const LoadedList>> LoadListOrTable(
    const std::string& path, const std::string& pins_path,
    Diagnostics* diags, const std::string& pem_root, KeyNames* key_names) {
  absl::StatusOr<std::string> bytes = ReadFileToString(path);
  if (!bytes.ok()) return bytes.status();
  if (LooksLikeTable(*bytes)) {
    if (!pins_path.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": a .pins file applies only to a JSON list, not a table"));
    }
    absl::StatusOr<std::shared_ptr<const LoadedList>> loaded =
        LoadedList::FromTable(*std::move(bytes));
    if (!loaded.ok()) {
      return absl::Status(loaded.status().code(),
                          absl::StrCat(path, ": ", loaded.status().message()));
    }
    return loaded;
  }
  CompileOptions options;
  options.list_path = path;
  options.pins_path = pins_path;
  options.pem_root = pem_root;
  Diagnostics local;
  CompileOutput out = CompilePinList(options, &local);
  for (const Diagnostic& d : local.all()) diags->Add(d);
  if (local.has_errors()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", local.error_count(), " compile error(s)"));
  }
  if (key_names != nullptr) {
    MergeKeyNames(KeyNamesOfList(*bytes, out.model), key_names);
  }
  absl::StatusOr<std::shared_ptr<const LoadedList>> loaded =
      LoadedList::FromTable(std::move(out.table));
  if (!loaded.ok()) {
    return absl::InternalError(absl::StrCat(
        path, ": the compiled table does not open: ", loaded.status().message()));
  }
  return loaded;
}

absl::StatusOr<KeyNames> LoadKeyNames(const std::string& path,
                                      const std::string& pins_path) {
  Diagnostics diags;
  KeyNames names;
  absl::StatusOr<std::shared_ptr<const LoadedList>> list =
      LoadListOrTable(path, pins_path, &diags, "", &names);
  for (const Diagnostic& d : diags.all()) {
    if (d.severity == Severity::kError) std::cerr << d.ToString() << "\n";
  }
  if (!list.ok()) {
    return absl::Status(list.status().code(),
                        absl::StrCat("--names: ", list.status().message()));
  }
  return names;
}

absl::StatusOr<LiveChain> ParseLiveChainArgument(const std::string& arg) {
  const size_t eq = arg.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == arg.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--chain wants HOST=CHAIN.pem, got \"", arg, "\""));
  }
  LiveChain live;
  live.host = arg.substr(0, eq);
  live.source = arg.substr(eq + 1);
  absl::StatusOr<std::string> pem = ReadFileToString(live.source);
  if (!pem.ok()) return pem.status();
  absl::StatusOr<std::vector<std::string>> ders = ParsePemCertificateChain(*pem);
  if (!ders.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(live.source, ": ", ders.status().message()));
  }
  for (size_t i = 0; i < ders->size(); ++i) {
    absl::StatusOr<SpkiHash> h = SpkiHashOfDerCertificate((*ders)[i]);
    if (!h.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          live.source, ": certificate ", i + 1, ": ", h.status().message()));
    }
    live.chain.push_back(*h);
    absl::StatusOr<std::string> subject = cli::CertificateSubject((*ders)[i]);
    live.subjects.push_back(subject.ok() ? *subject : "");
  }
  return live;
}

}  // namespace pinbake
