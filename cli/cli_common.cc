#include "cli/cli_common.h"

#include <iostream>
#include <utility>

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "compiler/file_util.h"

namespace pinbake {
namespace cli {

std::string HelpCommandOf(absl::string_view help) {
  // "pinbake NAME ..." -> "pinbake NAME --help".
  std::vector<absl::string_view> words =
      absl::StrSplit(help.substr(0, help.find('\n')), ' ', absl::SkipEmpty());
  if (words.size() < 2) return "pinbake help";
  return absl::StrCat(words[0], " ", words[1], " --help");
}

int UsageError(absl::string_view message, absl::string_view help) {
  std::cerr << "pinbake: " << message << "\n"
            << "see " << HelpCommandOf(help) << "\n";
  return kExitError;
}

int InputError(absl::string_view message) {
  std::cerr << "pinbake: " << message << "\n";
  return kExitError;
}

void PrintDiagnostics(const Diagnostics& diags) {
  for (const Diagnostic& d : diags.all()) std::cerr << d.ToString() << "\n";
}

bool Emit(const std::string& out_path, const std::string& text) {
  if (out_path.empty()) {
    std::cout << text;
    return true;
  }
  absl::Status written = WriteFileAtomically(out_path, text);
  if (!written.ok()) {
    std::cerr << "pinbake: " << written.message() << "\n";
    return false;
  }
  return true;
}

std::string DumpLine(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string DumpPretty(const Json& value) {
  return value.dump(2, ' ', false, Json::error_handler_t::replace);
}

bool LoadTable(const std::string& path, LoadedTable* out) {
  absl::StatusOr<std::string> bytes = ReadFileToString(path);
  if (!bytes.ok()) {
    std::cerr << "pinbake: " << bytes.status().message() << "\n";
    return false;
  }
  out->bytes = *std::move(bytes);
  absl::StatusOr<PinList> list = PinList::FromBytes(out->bytes);
  if (!list.ok()) {
    std::cerr << "pinbake: " << path << ": " << list.status().message()
              << "\n";
    return false;
  }
  out->list.emplace(*list);
  return true;
}

}  // namespace cli
}  // namespace pinbake
