// pinbake keygen: a new Ed25519 signing key for pin-list updates.

#include <sys/stat.h>
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/command_line.h"
#include "compiler/file_util.h"
#include "cli/cli_common.h"
#include "cli/subcommand.h"
#include "runtime/update/update_key.h"

namespace pinbake {
namespace cli {
namespace {

constexpr char kKeygenHelp[] =
    R"(pinbake keygen -o KEY [--json]

Generates an Ed25519 key for signing pin-list updates (pinbake sign) and
writes two files, each atomically:
  KEY      the private key, unencrypted PEM (PKCS#8), mode 0600
  KEY.pub  the public key, PEM, mode 0644: give it to clients and to
           pinbake verify --pubkey
Refuses (exit 2) if KEY or KEY.pub already exists. Prints the key id (hex
SHA-256 of the raw public key, as recorded in signed blobs) on stdout;
with --json, {"key_id", "private_key", "public_key"} (the two paths).
Keep KEY offline; see docs/release.md for key rotation.

Exit codes: 0 written, 2 existing file, usage or I/O error.
)";

int RunKeygen(const ParsedArgs& parsed) {
  const std::string key_path = *parsed.Value("-o");
  const std::string pub_path = key_path + ".pub";
  // Refuse before generating anything; WriteFileAtomically (must_not_exist) checks again
  // atomically (link(2) never replaces).
  struct stat st;
  for (const std::string& path : {key_path, pub_path}) {
    if (lstat(path.c_str(), &st) == 0) {
      return InputError(
          absl::StrCat(path, ": already exists; refusing to overwrite"));
    }
  }
  absl::StatusOr<UpdatePrivateKey> key = UpdatePrivateKey::Generate();
  if (!key.ok()) return InputError(key.status().message());
  absl::StatusOr<std::string> private_pem = key->ToPem();
  absl::StatusOr<std::string> public_pem = key->public_key().ToPem();
  if (!private_pem.ok()) return InputError(private_pem.status().message());
  if (!public_pem.ok()) return InputError(public_pem.status().message());

  WriteFileOptions new_file;
  new_file.must_not_exist = true;
  new_file.mode = 0600;
  absl::Status written = WriteFileAtomically(key_path, *private_pem, new_file);
  if (!written.ok()) return InputError(written.message());
  new_file.mode = 0644;
  written = WriteFileAtomically(pub_path, *public_pem, new_file);
  if (!written.ok()) {
    // Leave no half pair behind: KEY was created by us just now.
    unlink(key_path.c_str());
    return InputError(absl::StrCat(written.message(), " (", key_path,
                                   " removed again)"));
  }
  const std::string key_id = KeyIdToHex(key->public_key().key_id());
  if (parsed.Has("--json")) {
    Json out;
    out["key_id"] = key_id;
    out["private_key"] = key_path;
    out["public_key"] = pub_path;
    std::cout << DumpPretty(out) << "\n";
  } else {
    std::cout << key_id << "\n";
  }
  std::cerr << "pinbake: wrote " << key_path << " (private, mode 0600) and "
            << pub_path << "; key id " << key_id << "\n";
  return kExitOk;
}

}  // namespace

const Subcommand kKeygenCommand = {
    "keygen",
    "pinbake keygen -o KEY [--json]",
    kKeygenHelp,
    {{"--json"}, {"-o"}},
    0,
    0,
    {"-o"},
    "keygen needs -o KEY and nothing else",
    RunKeygen,
};

}  // namespace cli
}  // namespace pinbake
