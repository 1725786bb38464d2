// `pinbake spki`: the sha256/ pin of each certificate or key in a PEM file.

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli_common.h"
#include "cli/pin_report.h"
#include "cli/command_line.h"
#include "cli/subcommand.h"
#include "compiler/file_util.h"
#include "runtime/cert_util.h"

namespace pinbake {
namespace cli {
namespace {

constexpr char kSpkiHelp[] =
    R"(pinbake spki FILE.pem [--json]

Prints sha256/<base64> of the SubjectPublicKeyInfo of each certificate or
public key in FILE.pem, one per line, as "LABEL sha256/...". With
--json, one JSON array: [{"label", "pin", "subject"}] (subject null for a
PUBLIC KEY block).

Exit codes: 0 printed, 2 unreadable file, no key or usage error.
)";

int RunSpki(const ParsedArgs& parsed) {
  const std::string& path = parsed.positional[0];
  absl::StatusOr<std::string> pem = ReadFileToString(path);
  if (!pem.ok()) return InputError(pem.status().message());
  absl::StatusOr<std::vector<PemKeyObject>> objects = ParsePemKeyObjects(*pem);
  if (!objects.ok()) {
    std::cerr << "pinbake: " << path << ": " << objects.status().message()
              << "\n";
    return kExitError;
  }
  if (parsed.Has("--json")) {
    Json out = Json::array();
    for (const PemKeyObject& object : *objects) {
      absl::StatusOr<std::string> subject =
          object.label == "CERTIFICATE" ? CertificateSubject(object.der)
                                        : absl::StatusOr<std::string>(
                                              absl::NotFoundError("key"));
      out.push_back({{"label", object.label},
                     {"pin", SpkiHashToString(object.spki_hash)},
                     {"subject", subject.ok() ? Json(*subject) : Json(nullptr)}});
    }
    std::cout << DumpPretty(out) << "\n";
    return kExitOk;
  }
  for (const PemKeyObject& object : *objects) {
    std::cout << object.label << " " << SpkiHashToString(object.spki_hash)
              << "\n";
  }
  return kExitOk;
}

}  // namespace

const Subcommand kSpkiCommand = {
    "spki",
    "pinbake spki FILE.pem [--json]",
    kSpkiHelp,
    {{"--json"}, {}},
    1,
    1,
    {},
    "spki needs one FILE.pem",
    RunSpki,
};

}  // namespace cli
}  // namespace pinbake
