// Fuzzes the JSON list front end and the checks behind it:
// ParsePinListJson (compiler/list_parser.h), then CheckPinList
// (compiler/checks.h) on what it returns, and LocateFieldPaths
// (compiler/json_document.h) on the field paths of the diagnostics, as
// `pinbake compile` does. Any text must give diagnostics, never a crash, a
// hang or undefined behaviour.
//
// "pem_file" names a file to read. The list is given a path in a fresh
// temporary directory holding keys/root.pem (a certificate) and
// keys/key.pem (a public key), so that relative names reach the PEM code.
// Every input is parsed with that directory as --pem-root
// (PemFileOptions::root), which confines pem_file to it by construction;
// inputs with no string that starts with '/' or contains ".." are also
// parsed the default way (relative to the list's directory), so that no
// input makes the fuzzer read files outside its directory.
// Every string of the JSON is seen (duplicated keys included) through
// nlohmann's parse callback, the same JSON library the parser uses.

#include <stdlib.h>
#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "compiler/checks.h"
#include "compiler/diagnostics.h"
#include "compiler/json_document.h"
#include "compiler/list_parser.h"
#include "compiler/pin_list_model.h"
#include "compiler/pins_file_parser.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

// data/keys/demo-root.pem and data/keys/demo-backup-key.pem.
constexpr char kRootPem[] = R"(-----BEGIN CERTIFICATE-----
MIIBojCCAUmgAwIBAgIUKkpMaFW9COnKSxouZkOHr6/Tj/0wCgYIKoZIzj0EAwIw
HzEdMBsGA1UEAwwUcGluYmFrZSBEZW1vIFJvb3QgQ0EwHhcNMjYxMTI4MDM0NDA1
WhcNNDYxMTIzMDM0NDA1WjAfMR0wGwYDVQQDDBRwaW5iYWtlIERlbW8gUm9vdCBD
QTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABFoIgbUkwT7d/U4hVlLNo6KA2x1e
LYpOkBpKqX6y8I6vApP247+4Sm9DwAF8oe1pb2tr2+pMbJex3wZIP/Bjzd+jYzBh
MB0GA1UdDgQWBBT7bn5QSnKnJCFeJO2uQxczMvPwDDAfBgNVHSMEGDAWgBT7bn5Q
SnKnJCFeJO2uQxczMvPwDDAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIB
BjAKBggqhkjOPQQDAgNHADBEAiAQPDABHFVrfb/c7o9LODbZjl3z/5s7GrofCeD0
DB+2KAIgQhHVveTEpJrSHgoyoqu6oZK5ksIqvPQERFmydoNfvE8=
-----END CERTIFICATE-----
)";
constexpr char kKeyPem[] = R"(-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEFO7c2d/iiiURg7wFFby4XRsdGNwd
xZU0GjPY7w+spFM9dRlWBXlDejolN+ovXwGsT0Pg/z/acF3NdzU0h37ZCg==
-----END PUBLIC KEY-----
)";

std::string* list_path = nullptr;
pinbake::PinsFile* pins_file = nullptr;

bool SafeString(const std::string& s) {
  return !(absl::StartsWith(s, "/") || absl::StrContains(s, ".."));
}

// Whether every string in `contents` is safe as a pem_file path. Text that
// is not JSON is safe: the parser stops at the syntax error before reading
// any file.
bool SafeToParse(absl::string_view contents) {
  bool safe = true;
  nlohmann::json::parser_callback_t callback =
      [&safe](int /*depth*/, nlohmann::json::parse_event_t event,
              nlohmann::json& parsed) {
        if ((event == nlohmann::json::parse_event_t::key ||
             event == nlohmann::json::parse_event_t::value) &&
            parsed.is_string() && !SafeString(parsed.get<std::string>())) {
          safe = false;
        }
        return true;
      };
  const nlohmann::json parsed =
      nlohmann::json::parse(contents.begin(), contents.end(), callback,
                            /*allow_exceptions=*/false,
                            /*ignore_comments=*/true);
  (void)parsed;
  return safe;
}

void WriteFile(const std::string& path, const char* text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  FUZZ_CHECK(out.good());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  const char* tmp = getenv("TMPDIR");
  std::string dir = std::string(tmp != nullptr && *tmp ? tmp : "/tmp") +
                    "/pinbake_list_fuzz.XXXXXX";
  FUZZ_CHECK(mkdtemp(dir.data()) != nullptr);
  FUZZ_CHECK(mkdir((dir + "/keys").c_str(), 0700) == 0);
  WriteFile(dir + "/keys/root.pem", kRootPem);
  WriteFile(dir + "/keys/key.pem", kKeyPem);
  list_path = new std::string(dir + "/list.json");

  // A .pins file naming two keys, so that names can resolve through it too.
  pinbake::Diagnostics diags;
  pins_file = new pinbake::PinsFile(pinbake::ParsePinsFile(
      "PinsListTimestamp\n1502841600\n\nPinsRoot\n" + std::string(kRootPem) +
          "\nPinsHash\nsha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
      "init.pins", &diags));
  FUZZ_CHECK(!diags.has_errors());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (list_path == nullptr) LLVMFuzzerInitialize(nullptr, nullptr);
  const absl::string_view contents(reinterpret_cast<const char*>(data), size);
  const bool safe = SafeToParse(contents);
  pinbake::PemFileOptions confined;
  confined.root = list_path->substr(0, list_path->rfind('/'));
  const pinbake::PemFileOptions by_list_directory;

  // Without and with a .pins file, so that timestamps and names from the
  // .pins file are fuzzed too.
  const pinbake::PinsFile* const choices[] = {nullptr, pins_file};
  for (const pinbake::PinsFile* pins : choices) {
    pinbake::Diagnostics diags;
    pinbake::PinListModel model = pinbake::ParsePinListJson(
        contents, *list_path, pins, &diags,
        safe && pins == nullptr ? by_list_directory : confined);
    if (!diags.has_errors()) {
      pinbake::CheckPinList(*list_path, &model, &diags);
    }
    // The compile pipeline's positions for field paths: every one found
    // is a known LINE:COL inside the text.
    const std::vector<std::string> paths =
        diags.FieldPathsWithoutPosition(*list_path);
    for (const auto& [path, position] :
         pinbake::LocateFieldPaths(contents, paths)) {
      FUZZ_CHECK(position.known() && position.column >= 1 &&
                 position.line <= contents.size() + 1);
    }
    for (const pinbake::Diagnostic& d : diags.all()) {
      FUZZ_CHECK(!d.ToString().empty());
    }
  }
  return 0;
}
