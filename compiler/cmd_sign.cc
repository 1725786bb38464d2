// pinbake sign: wrap a table into a signed update blob.

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "compiler/command_line.h"
#include "compiler/file_util.h"
#include "compiler/release_cli_common.h"
#include "compiler/subcommands.h"
#include "runtime/signed_blob.h"
#include "runtime/update_key.h"

namespace pinbake {
namespace {

using namespace release_cli;  // NOLINT: exit codes and helpers.

constexpr char kSignHelp[] =
    R"(pinbake sign TABLE.pinb --key KEY -o TABLE.signed

Signs a compiled table with an Ed25519 private key (from pinbake keygen)
and writes the signed update blob (docs/format.md, "Signed update blob")
to TABLE.signed atomically. Refuses a table the runtime would not open.
The blob is verified with the key's public key before it is written.

  --key KEY   Private key PEM (unencrypted PKCS#8 Ed25519).
  -o OUT      Output blob. Not created or changed on any error.

Exit codes: 0 written, 2 bad input, usage or I/O error.
)";

}  // namespace

int RunSign(const std::vector<std::string>& args) {
  absl::StatusOr<ParsedArgs> parsed =
      ParseArgs(args, {{"--help"}, {"--key", "-o"}});
  if (!parsed.ok()) return UsageError(parsed.status().message(), kSignHelp);
  if (parsed->Has("--help")) {
    std::cout << kSignHelp;
    return kExitOk;
  }
  if (parsed->positional.size() != 1 || !parsed->Value("--key") ||
      !parsed->Value("-o")) {
    return UsageError("sign needs TABLE, --key KEY and -o OUT", kSignHelp);
  }
  const std::string& table_path = parsed->positional[0];
  const std::string key_path = *parsed->Value("--key");
  const std::string out_path = *parsed->Value("-o");

  absl::StatusOr<std::string> table = ReadFileToString(table_path);
  if (!table.ok()) return InputError(table.status().message());
  absl::StatusOr<std::string> key_pem = ReadFileToString(key_path);
  if (!key_pem.ok()) return InputError(key_pem.status().message());
  absl::StatusOr<UpdatePrivateKey> key = UpdatePrivateKey::FromPem(*key_pem);
  if (!key.ok()) {
    return InputError(absl::StrCat(key_path, ": ", key.status().message()));
  }
  absl::StatusOr<std::string> blob = SignTable(*table, *key);
  if (!blob.ok()) {
    return InputError(absl::StrCat(table_path, ": ", blob.status().message()));
  }
  // Never ship a blob that does not verify.
  const std::vector<UpdatePublicKey> own = {key->public_key()};
  absl::StatusOr<VerifiedBlob> check = ParseAndVerifySignedBlob(*blob, own);
  if (!check.ok()) {
    return InputError(absl::StrCat("internal error: the signed blob does not "
                                   "verify: ",
                                   check.status().message()));
  }
  absl::Status written = WriteFileAtomically(out_path, *blob);
  if (!written.ok()) return InputError(written.message());
  std::cerr << "pinbake: wrote " << out_path << ": " << blob->size()
            << " bytes, list version " << check->reader.list_version()
            << ", key id " << KeyIdToHex(check->key_id) << "\n";
  return kExitOk;
}

}  // namespace pinbake
