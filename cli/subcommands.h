// Subcommands of the pinbake CLI that live in their own files. Each takes
// the arguments after the subcommand name and returns the process exit code
// (0 success, 1 refused / different, 2 bad input or usage), printing its
// own --help. Register new ones in kSubcommands in cli/main.cc.

#ifndef PINBAKE_CLI_SUBCOMMANDS_H_
#define PINBAKE_CLI_SUBCOMMANDS_H_

#include <string>
#include <vector>

namespace pinbake {

// (compile, lookup, check, dump and spki are in cli/main.cc.)

// `pinbake connect HOST:PORT --table TABLE.pinb ...`: TLS handshake with the
// OpenSSL pin verifier, prints the check as JSON (cli/cmd_connect.cc).
// Exit 0 allowed, 1 refused by pinning, 2 any other error.
int RunConnect(const std::vector<std::string>& args);

// Release tooling (docs/release.md): signed updates, diff and lint.
// `pinbake keygen -o KEY` (cli/cmd_keygen.cc): Ed25519 key pair.
int RunKeygen(const std::vector<std::string>& args);
// `pinbake sign TABLE --key KEY -o OUT` (cli/cmd_sign.cc).
int RunSign(const std::vector<std::string>& args);
// `pinbake verify BLOB --pubkey PUB...` (cli/cmd_verify.cc): exit 0
// if a client's updater would accept BLOB, 1 with the reason if not.
int RunVerify(const std::vector<std::string>& args);
// `pinbake diff OLD NEW` (cli/cmd_diff.cc): exit 0 identical, 1 not.
int RunDiff(const std::vector<std::string>& args);
// `pinbake lint LIST ...` (cli/cmd_lint.cc): exit 1 on lint errors.
int RunLint(const std::vector<std::string>& args);

// `pinbake bench TABLE QUERIES` (cli/cmd_bench.cc): lookup speed and
// size against an absl::flat_hash_map baseline; exit 2 if answers differ.
int RunBench(const std::vector<std::string>& args);

}  // namespace pinbake

#endif  // PINBAKE_CLI_SUBCOMMANDS_H_
