// Tests of the subcommands that capture the chain a live server presents:
// `pinbake lint --connect` and `pinbake init` (run as main.cc runs them),
// against a TLS server on 127.0.0.1 in a thread of this process, with the
// project's test PKI. The test root is not in the system store, so it is
// given with --ca.

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "cli/subcommand.h"
#include "compiler/compile.h"
#include "gtest/gtest.h"
#include "testing/test_pki.h"
#include "testing/test_tls_server.h"

namespace pinbake {
namespace {

std::string TempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary);
  out << contents;
  ASSERT_TRUE(out.good()) << path;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

RunResult RunCommand(const cli::Subcommand& command, std::vector<std::string> args) {
  std::ostringstream out, err;
  std::streambuf* old_out = std::cout.rdbuf(out.rdbuf());
  std::streambuf* old_err = std::cerr.rdbuf(err.rdbuf());
  RunResult run;
  run.exit_code = cli::RunSubcommand(command, args);
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

constexpr char kHost[] = "www.shop.test";

// A list pinning www.shop.test to PINS (a JSON array text).
std::string ListWithPins(const std::string& pins) {
  return absl::StrReplaceAll(R"json({
  "list": {"version": VERSION, "timestamp": "now", "max_age_days": 70},
  "pinsets": [{"name": "shop", "static_spki_hashes": PINS}],
  "entries": [{"name": "shop.test", "include_subdomains": true, "pins": "shop"}]
})json",
                             {{"PINS", pins}});
}

// The lists' timestamp: an hour ago (lint compiles a list against the
// clock, like pinbake compile).
int64_t Stamp() { return absl::ToUnixSeconds(absl::Now()) - 3600; }
constexpr char kNow[] = "now";

class LiveServerCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    chain_ = MakeChain(kHost);
    backup_ = MakeRootCa("shop backup");
    other_ = MakeRootCa("new provider");
    server_ = TestTlsServer::Start(chain_.leaf, {chain_.intermediate});
    WriteFile(Path("root.pem"), chain_.root.pem);
    WriteFile(Path("backup.pub.pem"), backup_.pubkey_pem);
  }

  static std::string Path(const std::string& name) {
    return TempDir() + "/" + name;
  }
  std::string Server() const {
    return absl::StrCat(kHost, ":", server_->port(), "@127.0.0.1");
  }
  // Writes a JSON list with the given pins and version.
  static std::string WriteList(const std::string& name,
                               const std::vector<SpkiHash>& pins,
                               int version) {
    std::string array = "[";
    for (const SpkiHash& p : pins) {
      if (array.size() > 1) array += ", ";
      absl::StrAppend(&array, "\"", SpkiHashToString(p), "\"");
    }
    array += "]";
    std::string list = absl::StrReplaceAll(ListWithPins(array),
                                           {{"VERSION", absl::StrCat(version)},
                                            {"\"now\"", absl::StrCat(Stamp())}});
    WriteFile(Path(name), list);
    return Path(name);
  }

  TestChain chain_;
  TestCert backup_;
  TestCert other_;
  std::unique_ptr<TestTlsServer> server_;
};


// Must show (issue 14): a list change that removes the live server's key
// is caught by lint --connect against a loopback TLS server.
TEST_F(LiveServerCommandsTest, LintConnectCatchesAChangeThatRemovesTheLiveKey) {
  const std::string v1 = WriteList(
      "v1.json", {chain_.intermediate.spki_hash, backup_.spki_hash}, 1);
  const std::string v2 =
      WriteList("v2.json", {other_.spki_hash, backup_.spki_hash}, 2);

  RunResult run = RunCommand(cli::kLintCommand, {v1, "--now", kNow, "--connect",
                                          Server(), "--ca", Path("root.pem")});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find(absl::StrCat(
                "checked: the live chain of www.shop.test (connect 127.0.0.1:",
                server_->port(), ", verified, 3 certificate(s))")),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("0 error(s), 0 warning(s)"), std::string::npos)
      << run.out;

  run = RunCommand(cli::kLintCommand, {v2, "--now", kNow, "--connect", Server(),
                                "--ca", Path("root.pem")});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("error: chain-mismatch: would brick www.shop.test: "
                         "its live chain (connect 127.0.0.1:"),
            std::string::npos)
      << run.out;

  run = RunCommand(cli::kLintCommand,
            {v2, "--now", kNow, "--previous", v1, "--connect", Server(),
             "--ca", Path("root.pem")});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("error: would-brick: would brick www.shop.test: this "
                         "change removes every pin its live chain"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find(SpkiHashToString(chain_.intermediate.spki_hash)),
            std::string::npos);
  EXPECT_GE(server_->WaitForHandshakes(3), 3);
}

// The two-step pipeline: capture with connect --save-chain, then lint
// --chain HOST=FILE; the same brick is caught.
TEST_F(LiveServerCommandsTest, SavedChainFeedsLintChain) {
  const std::string v1 = WriteList(
      "v1.json", {chain_.intermediate.spki_hash, backup_.spki_hash}, 1);
  const std::string v2 =
      WriteList("v2.json", {other_.spki_hash, backup_.spki_hash}, 2);
  Diagnostics diags;
  CompileOptions options;
  options.list_path = v1;
  const std::string table = CompilePinList(options, &diags).table;
  ASSERT_FALSE(table.empty());
  WriteFile(Path("v1.pinb"), table);
  const std::string saved = Path("live.pem");
  RunResult run = RunCommand(
      cli::kConnectCommand,
      {absl::StrCat("127.0.0.1:", server_->port()), "--table", Path("v1.pinb"),
       "--ca", Path("root.pem"), "--servername", kHost, "--save-chain", saved});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  run = RunCommand(cli::kLintCommand,
                   {v2, "--previous", v1, "--chain",
                    absl::StrCat(kHost, "=", saved)});
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_NE(run.out.find("error: would-brick: would brick www.shop.test"),
            std::string::npos)
      << run.out;
  // The saved chain ends at the root: its subject names that key.
  EXPECT_NE(run.out.find("3 certificate(s)"), std::string::npos) << run.out;
}

TEST_F(LiveServerCommandsTest, LintConnectWithoutTheRootUsesTheServedChain) {
  const std::string v1 = WriteList(
      "v1.json", {chain_.intermediate.spki_hash, backup_.spki_hash}, 1);
  RunResult run =
      RunCommand(cli::kLintCommand, {v1, "--now", kNow, "--connect", Server()});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find(", not verified: "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("2 certificate(s))"), std::string::npos) << run.out;
}

TEST_F(LiveServerCommandsTest, LintConnectToNothingIsAnError) {
  const std::string v1 = WriteList(
      "v1.json", {chain_.intermediate.spki_hash, backup_.spki_hash}, 1);
  const int port = server_->port();
  server_.reset();  // Nobody listens there now.
  RunResult run = RunCommand(cli::kLintCommand,
                      {v1, "--now", kNow, "--connect",
                       absl::StrCat(kHost, ":", port, "@127.0.0.1")});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--connect www.shop.test:"), std::string::npos)
      << run.err;
}

// `pinbake init` pins the chain's CA keys plus the backup, and what it
// writes compiles and lints clean against the same server.
TEST_F(LiveServerCommandsTest, InitStartsAListFromALiveServer) {
  const std::string list = Path("init.json");
  RunResult run = RunCommand(cli::kInitCommand,
                      {Server(), "--backup", Path("backup.pub.pem"), "--ca",
                       Path("root.pem"), "--timestamp", absl::StrCat(Stamp()), "-o",
                       list});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find(absl::StrCat(
                "www.shop.test: pinset www.shop.test: PinbakeTestIntermediate ",
                SpkiHashToString(chain_.intermediate.spki_hash),
                ", PinbakeTestRoot ", SpkiHashToString(chain_.root.spki_hash),
                ", BackupKey ", SpkiHashToString(backup_.spki_hash),
                " (backup)\n")),
            std::string::npos)
      << run.out;
  const nlohmann::json written = nlohmann::json::parse(ReadFile(list));
  EXPECT_EQ(written["keys"]["PinbakeTestIntermediate"],
            SpkiHashToString(chain_.intermediate.spki_hash));
  EXPECT_EQ(written["keys"]["BackupKey"], SpkiHashToString(backup_.spki_hash));
  EXPECT_EQ(written["entries"][0]["name"], kHost);
  EXPECT_EQ(written["pinsets"][0]["static_spki_hashes"].size(), 3u);
  EXPECT_EQ(written.dump().find(SpkiHashToString(chain_.leaf.spki_hash)),
            std::string::npos);  // Never the leaf.

  CompileOptions options;
  options.list_path = list;
  Diagnostics diags;
  EXPECT_FALSE(CompilePinList(options, &diags).table.empty())
      << diags.all().front().ToString();

  run = RunCommand(cli::kLintCommand, {list, "--now", kNow, "--connect", Server(),
                                "--ca", Path("root.pem")});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("0 error(s), 0 warning(s)"), std::string::npos)
      << run.out;

  run = RunCommand(cli::kInitCommand, {Server(), "--backup", Path("backup.pub.pem"),
                                "--ca", Path("root.pem"), "--json", "-o",
                                Path("init2.json")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json report = nlohmann::json::parse(run.out);
  EXPECT_EQ(report["hosts"][0]["verified"], true);
  EXPECT_EQ(report["hosts"][0]["keys"][0]["subject"],
            "CN=pinbake test intermediate");
  EXPECT_EQ(report["hosts"][0]["keys"][2]["backup"], true);
}

TEST_F(LiveServerCommandsTest, InitRefusesAPinsetWithoutABackup) {
  const std::string list = Path("nobackup.json");
  WriteFile(list, "keep");
  // No --backup at all: a usage error.
  RunResult run = RunCommand(cli::kInitCommand, {Server(), "-o", list});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("init needs HOST..., --backup KEY.pem and -o "
                         "LIST.json"),
            std::string::npos)
      << run.err;
  // A "backup" the server already uses is no backup.
  WriteFile(Path("int.pub.pem"), chain_.intermediate.pubkey_pem);
  run = RunCommand(cli::kInitCommand, {Server(), "--backup", Path("int.pub.pem"),
                                "--ca", Path("root.pem"), "-o", list});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("refusing a pinset without a backup: the --backup "
                         "key is in the chain www.shop.test:"),
            std::string::npos)
      << run.err;
  // A private key is refused with the command that makes its public key.
  WriteFile(Path("private.pem"), "-----BEGIN PRIVATE KEY-----\nAA==\n"
                                 "-----END PRIVATE KEY-----\n");
  run = RunCommand(cli::kInitCommand,
            {Server(), "--backup", Path("private.pem"), "-o", list});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("holds a private key; give its public key (openssl "
                         "pkey -in "),
            std::string::npos)
      << run.err;
  EXPECT_EQ(ReadFile(list), "keep");
}

}  // namespace
}  // namespace pinbake
