// Tests of `pinbake connect` (kConnectCommand, run as main.cc runs it) against a TLS server on
// 127.0.0.1 in a thread of this process. Test roots are not in the system
// store, so they are given with --ca (roots the application ships: pins
// enforced) or --local-ca (locally installed roots: pins bypassed unless
// --no-bypass).

#include <netinet/in.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>
#include <unistd.h>

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
#include "absl/time/time.h"
#include "compiler/compile.h"
#include "cli/subcommand.h"
#include "gtest/gtest.h"
#include "testing/test_tls_server.h"
#include "testing/test_pki.h"

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

struct RunResult {
  int exit_code = -1;
  nlohmann::json json;  // Null when nothing (or no JSON) was printed.
  std::string text;     // What was printed.
};

class ConnectTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    chain_ = new TestChain(MakeChain("www.pinned.example"));
    wrong_leaf_ = new TestCert(MakeLeaf(chain_->intermediate, "wrong.example"));
    free_leaf_ = new TestCert(MakeLeaf(chain_->intermediate, "free.example"));
    idn_leaf_ = new TestCert(
        MakeLeaf(chain_->intermediate, "xn--bcher-kva.pinned.example"));
    const TestCert unrelated = MakeRootCa("unrelated");
    const std::string dir = TempDir();
    const std::string list = absl::StrReplaceAll(
        R"json({
  "list": {"version": 1, "timestamp": LIST_TIME, "max_age_days": 70},
  "pinsets": [
    {"name": "main", "static_spki_hashes": ["INTERMEDIATE"]},
    {"name": "wrong", "static_spki_hashes": ["UNRELATED"],
     "report_uri": "https://report.example/wrong"}
  ],
  "entries": [
    {"name": "pinned.example", "include_subdomains": true, "pins": "main"},
    {"name": "wrong.example", "pins": "wrong"}
  ]
})json",
        {{"LIST_TIME", absl::StrCat(absl::ToUnixSeconds(absl::Now()))},
         {"INTERMEDIATE", SpkiHashToString(chain_->intermediate.spki_hash)},
         {"UNRELATED", SpkiHashToString(unrelated.spki_hash)}});
    WriteFile(dir + "/connect_list.json", list);
    CompileOptions options;
    options.list_path = dir + "/connect_list.json";
    Diagnostics diags;
    CompileOutput out = CompilePinList(options, &diags);
    ASSERT_FALSE(out.table.empty());
    WriteFile(dir + "/connect.pinb", out.table);
    WriteFile(dir + "/root.pem", chain_->root.pem);
  }

  static void TearDownTestSuite() {
    delete chain_;
    delete wrong_leaf_;
    delete free_leaf_;
    delete idn_leaf_;
  }

  static RunResult Connect(std::vector<std::string> args) {
    std::ostringstream captured;
    std::streambuf* old = std::cout.rdbuf(captured.rdbuf());
    RunResult run;
    run.exit_code = cli::RunSubcommand(cli::kConnectCommand, args);
    std::cout.rdbuf(old);
    run.text = captured.str();
    if (!captured.str().empty() && captured.str()[0] == '{') {
      run.json = nlohmann::json::parse(captured.str());
    }
    return run;
  }

  // Args for connecting to the server as `host`, trusting the test root
  // with `ca_flag`: by default as a locally installed root.
  static std::vector<std::string> Args(const TestTlsServer& server,
                                       const std::string& host,
                                       const std::string& ca_flag =
                                           "--local-ca") {
    return {absl::StrCat("127.0.0.1:", server.port()),
            "--json",
            "--table",
            TempDir() + "/connect.pinb",
            ca_flag,
            TempDir() + "/root.pem",
            "--servername",
            host};
  }

  static std::unique_ptr<TestTlsServer> Serve(const TestCert& leaf) {
    return TestTlsServer::Start(leaf, {chain_->intermediate});
  }

  static TestChain* chain_;
  static TestCert* wrong_leaf_;
  static TestCert* free_leaf_;
  static TestCert* idn_leaf_;
};

TestChain* ConnectTest::chain_ = nullptr;
TestCert* ConnectTest::wrong_leaf_ = nullptr;
TestCert* ConnectTest::free_leaf_ = nullptr;
TestCert* ConnectTest::idn_leaf_ = nullptr;

// A U-label host is converted to its A-label (runtime/idn_host.h) for SNI,
// name verification and the pin lookup: the certificate names the A-label.
TEST_F(ConnectTest, ULabelHostIsConnectedAsItsALabel) {
  auto server = Serve(*idn_leaf_);
  std::vector<std::string> args = Args(*server, "bücher.pinned.example");
  args.push_back("--no-bypass");
  const RunResult run = Connect(args);
  EXPECT_EQ(run.exit_code, 0) << run.json.dump();
  EXPECT_EQ(run.json["handshake"], "ok");
  EXPECT_EQ(run.json["result"], "ok");
  EXPECT_EQ(run.json["canonical"], "xn--bcher-kva.pinned.example");
  EXPECT_EQ(run.json["pin_entry"], "pinned.example");
}

TEST_F(ConnectTest, MatchingPinsWithoutBypassAreOk) {
  auto server = Serve(chain_->leaf);
  std::vector<std::string> args = Args(*server, "www.pinned.example");
  args.push_back("--no-bypass");
  const RunResult run = Connect(args);
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.json["handshake"], "ok");
  EXPECT_EQ(run.json["result"], "ok");
  EXPECT_EQ(run.json["allowed"], true);
  EXPECT_EQ(run.json["known_root"], false);
  EXPECT_EQ(run.json["host"], "www.pinned.example");
  EXPECT_EQ(run.json["pin_entry"], "pinned.example");
  EXPECT_EQ(run.json["pinset"], "main");
  EXPECT_EQ(run.json["verify_result"]["code"], 0);
  ASSERT_EQ(run.json["chain"].size(), 3u);
  EXPECT_EQ(run.json["chain"][2], SpkiHashToString(chain_->root.spki_hash));
  EXPECT_EQ(run.json["served_chain"].size(), 2u);
  EXPECT_EQ(run.json["pins"][0],
            SpkiHashToString(chain_->intermediate.spki_hash));
}

// Regression (issue 10 item 5): --ca roots used to be application anchors
// whose pin failures were "bypassed" unless --no-bypass.
TEST_F(ConnectTest, CaRootIsEnforcedByDefault) {
  auto server = Serve(*wrong_leaf_);
  const RunResult run = Connect(Args(*server, "wrong.example", "--ca"));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.json["handshake"], "failed");
  EXPECT_EQ(run.json["result"], "violation");
  EXPECT_EQ(run.json["known_root"], true);
  EXPECT_EQ(run.json["verify_result"]["code"],
            X509_V_ERR_APPLICATION_VERIFICATION);
}

TEST_F(ConnectTest, CaRootMatchingPinsAreOk) {
  auto server = Serve(chain_->leaf);
  const RunResult run = Connect(Args(*server, "www.pinned.example", "--ca"));
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.json["result"], "ok");
  EXPECT_EQ(run.json["known_root"], true);
}

TEST_F(ConnectTest, LocalCaRootMismatchIsBypassed) {
  auto server = Serve(*wrong_leaf_);
  const RunResult run = Connect(Args(*server, "wrong.example"));
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.json["result"], "bypassed");
  EXPECT_EQ(run.json["would_fail"], true);
}

TEST_F(ConnectTest, NoBypassMismatchIsRefusedWithReport) {
  auto server = Serve(*wrong_leaf_);
  std::vector<std::string> args = Args(*server, "wrong.example");
  args.push_back("--no-bypass");
  args.push_back("--report");
  const RunResult run = Connect(args);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.json["handshake"], "failed");
  EXPECT_EQ(run.json["result"], "violation");
  EXPECT_EQ(run.json["allowed"], false);
  EXPECT_EQ(run.json["verify_result"]["code"],
            X509_V_ERR_APPLICATION_VERIFICATION);
  EXPECT_EQ(run.json["report_uri"], "https://report.example/wrong");
  ASSERT_TRUE(run.json["report"].is_object());
  EXPECT_EQ(run.json["report"]["hostname"], "wrong.example");
  EXPECT_EQ(run.json["report"]["port"], server->port());
  EXPECT_EQ(run.json["report"]["validated-certificate-chain"].size(), 3u);
}

TEST_F(ConnectTest, ReportIsNullWhenPinsMatch) {
  auto server = Serve(chain_->leaf);
  std::vector<std::string> args = Args(*server, "www.pinned.example");
  args.push_back("--report");
  const RunResult run = Connect(args);
  EXPECT_EQ(run.exit_code, 0);
  // A matching chain is ok whatever its root (docs/lookup.md).
  EXPECT_EQ(run.json["result"], "ok");
  EXPECT_TRUE(run.json["report"].is_null());
}

TEST_F(ConnectTest, StaleListAllowsUnlessFailClosed) {
  auto server = Serve(*wrong_leaf_);
  std::vector<std::string> args = Args(*server, "wrong.example");
  args.push_back("--no-bypass");
  args.push_back("--now");
  args.push_back(absl::StrCat(absl::ToUnixSeconds(absl::Now()) + 100 * 86400));
  RunResult run = Connect(args);
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.json["result"], "stale");
  // Fail-closed keeps enforcing the stale list: the pins refuse this chain.
  args.push_back("--fail-closed-when-stale");
  run = Connect(args);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.json["result"], "violation");
}

TEST_F(ConnectTest, HostNotInListIsNotPinned) {
  auto server = Serve(*free_leaf_);
  const RunResult run = Connect(Args(*server, "free.example"));
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.json["result"], "not-pinned");
  EXPECT_TRUE(run.json["pinset"].is_null());
}

TEST_F(ConnectTest, UntrustedRootIsAnError) {
  auto server = Serve(chain_->leaf);
  const RunResult run = Connect({absl::StrCat("127.0.0.1:", server->port()),
                           "--json", "--table", TempDir() + "/connect.pinb",
                           "--servername", "www.pinned.example"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.json["handshake"], "failed");
  EXPECT_TRUE(run.json["result"].is_null());
  EXPECT_NE(run.json["verify_result"]["code"], 0);
}

// Issue 14: the human form names the pinned keys and every chain
// certificate's pin and subject; --save-chain writes what was presented.
TEST_F(ConnectTest, TextShowsPinnedKeysChainSubjectsAndSavesTheChain) {
  auto server = Serve(*wrong_leaf_);
  std::vector<std::string> args = Args(*server, "wrong.example", "--ca");
  args.erase(args.begin() + 1);  // No --json.
  const std::string saved = TempDir() + "/saved-chain.pem";
  args.push_back("--save-chain");
  args.push_back(saved);
  const RunResult run = Connect(args);
  EXPECT_EQ(run.exit_code, 1) << run.text;
  EXPECT_NE(run.text.find("wrong.example: violation: the chain matches no pin "
                          "of pinset wrong; the connection is refused"),
            std::string::npos)
      << run.text;
  EXPECT_NE(run.text.find("  pinned keys of pinset wrong:\n"),
            std::string::npos);
  EXPECT_NE(run.text.find(absl::StrCat(
                SpkiHashToString(chain_->intermediate.spki_hash),
                ": CN=pinbake test intermediate\n")),
            std::string::npos)
      << run.text;
  EXPECT_NE(run.text.find(": CN=wrong.example\n"), std::string::npos);
  std::ifstream in(saved);
  std::stringstream pem;
  pem << in.rdbuf();
  EXPECT_NE(pem.str().find("-----BEGIN CERTIFICATE-----"), std::string::npos);
  // Leaf, intermediate and root (the verified chain).
  size_t blocks = 0;
  for (size_t at = 0; (at = pem.str().find("BEGIN CERT", at)) != std::string::npos; ++at) {
    ++blocks;
  }
  EXPECT_EQ(blocks, 3u);
}

TEST_F(ConnectTest, ConnectionRefusedIsAnError) {
  // A port that was free a moment ago.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  close(fd);
  const RunResult run = Connect({absl::StrCat("127.0.0.1:", ntohs(addr.sin_port)),
                           "--table", TempDir() + "/connect.pinb"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(run.json.is_null());
}

TEST_F(ConnectTest, UsageErrors) {
  EXPECT_EQ(Connect({"127.0.0.1:443"}).exit_code, 2);  // No --table.
  EXPECT_EQ(Connect({"no-port", "--table", "x"}).exit_code, 2);
  EXPECT_EQ(Connect({"h:99999", "--table", "x"}).exit_code, 2);
  EXPECT_EQ(Connect({"h:443", "--table", TempDir() + "/missing"}).exit_code,
            2);
  EXPECT_EQ(Connect({"--help"}).exit_code, 0);
}

}  // namespace
}  // namespace pinbake
