// Handshake tests of the OpenSSL pin verifier: a real TLS server on
// 127.0.0.1 (a thread of this process) serves chains made at test time,
// and a client with the verifier installed connects to it. The pin table
// is compiled from a JSON list with the compiler library (test-only).

#include "runtime/openssl/pin_verifier.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "compiler/compile.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/openssl/test_tls_server.h"
#include "tests/testing/test_pki.h"

namespace pinbake {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string TempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

// Collects what the verifier hands to the application.
class RecordingSink : public PkpReportSink {
 public:
  void Send(absl::string_view uri, absl::string_view json) override {
    std::lock_guard<std::mutex> lock(mu);
    reports.emplace_back(std::string(uri), std::string(json));
  }
  std::mutex mu;
  std::vector<std::pair<std::string, std::string>> reports;
};

struct Outcome {
  bool connected = false;
  long verify_result = X509_V_OK;
  std::optional<PinCheckRecord> record;
};

// How the client names the server.
enum class HostVia { kSniAndSet1Host, kSet1HostOnly, kNothing };

class PinVerifierTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new Pki;
    Pki& p = *pki_;
    p.a = MakeChain("www.pinned.example");
    for (const char* host : {"wrong.example", "blocked.example",
                             "report.example", "free.example"}) {
      p.leaves.emplace(host, MakeLeaf(p.a.intermediate, host));
    }
    p.local = MakeChain("www.pinned.example");
    p.unrelated = MakeRootCa("unrelated root");
    list_time_ = absl::ToUnixSeconds(absl::Now());
    const std::string list = absl::StrReplaceAll(
        R"json({
  "list": {"version": 1, "timestamp": LIST_TIME, "max_age_days": 70},
  "pinsets": [
    {"name": "main", "static_spki_hashes": ["INTERMEDIATE"],
     "report_uri": "https://reports.example/main"},
    {"name": "wrong", "static_spki_hashes": ["UNRELATED"],
     "report_uri": "https://reports.example/wrong"},
    {"name": "blocking", "static_spki_hashes": ["ROOT"],
     "bad_static_spki_hashes": ["BLOCKED_LEAF"]}
  ],
  "entries": [
    {"name": "pinned.example", "include_subdomains": true, "pins": "main"},
    {"name": "wrong.example", "pins": "wrong"},
    {"name": "blocked.example", "pins": "blocking"},
    {"name": "report.example", "pins": "wrong", "pin_mode": "report-only"}
  ]
})json",
        {{"LIST_TIME", absl::StrCat(list_time_)},
         {"INTERMEDIATE", SpkiHashToString(p.a.intermediate.spki_hash)},
         {"UNRELATED", SpkiHashToString(p.unrelated.spki_hash)},
         {"ROOT", SpkiHashToString(p.a.root.spki_hash)},
         {"BLOCKED_LEAF",
          SpkiHashToString(p.leaves.at("blocked.example").spki_hash)}});
    const std::string path = TempDir() + "/verifier_list.json";
    {
      std::ofstream out(path, std::ios::binary);
      out << list;
    }
    CompileOptions options;
    options.list_path = path;
    Diagnostics diags;
    CompileOutput out = CompilePinList(options, &diags);
    // Single-pin pinsets draw "no backup pin" warnings; nothing else.
    for (const Diagnostic& d : diags.all()) {
      EXPECT_EQ(d.severity, Severity::kWarning) << d.ToString();
    }
    table_ = new std::string(out.table);
  }

  static void TearDownTestSuite() {
    delete pki_;
    delete table_;
  }

  void TearDown() override {
    for (SSL_CTX* ctx : ctxs_) SSL_CTX_free(ctx);
  }

  // Options with chain A's root as an app root (enforced) and the local
  // chain's root as a locally installed root; reports go to sink_.
  PinVerifierOptions BaseOptions() {
    PinVerifierOptions options;
    options.app_roots = {pki_->a.root.der};
    options.local_roots = {pki_->local.root.der};
    options.reporter = &reporter_;
    options.on_result = [this](const SSL* ssl, const PinCheckRecord& r) {
      EXPECT_NE(ssl, nullptr);
      notified_.push_back(r);
    };
    return options;
  }

  std::shared_ptr<const PinVerifier> Verifier(PinVerifierOptions options) {
    absl::StatusOr<std::shared_ptr<const PinVerifier>> v =
        PinVerifier::Create(*table_, std::move(options));
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? *v : nullptr;
  }

  // A client context with `verifier` installed (anchors in its store).
  SSL_CTX* ClientCtx(std::shared_ptr<const PinVerifier> verifier) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    ctxs_.push_back(ctx);
    if (verifier != nullptr) {
      EXPECT_TRUE(InstallPinVerifier(ctx, verifier).ok());
    }
    return ctx;
  }

  // Connects to `port` as `host`. `per_ssl`: installed into the SSL.
  Outcome Connect(SSL_CTX* ctx, int port, const std::string& host,
                  HostVia via = HostVia::kSniAndSet1Host,
                  std::shared_ptr<const PinVerifier> per_ssl = nullptr) {
    Outcome result;
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{};
    tv.tv_sec = 10;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      ADD_FAILURE() << "connect failed";
      close(fd);
      return result;
    }
    SSL* ssl = SSL_new(ctx);
    if (via == HostVia::kSniAndSet1Host) {
      SSL_set_tlsext_host_name(ssl, host.c_str());
    }
    if (via != HostVia::kNothing) SSL_set1_host(ssl, host.c_str());
    if (per_ssl != nullptr) {
      EXPECT_TRUE(InstallPinVerifier(ssl, per_ssl).ok());
    }
    SSL_set_fd(ssl, fd);
    result.connected = SSL_connect(ssl) == 1;
    result.verify_result = SSL_get_verify_result(ssl);
    if (const PinCheckRecord* r = GetPinCheckRecord(ssl)) result.record = *r;
    if (result.connected) SSL_shutdown(ssl);
    SSL_free(ssl);
    ERR_clear_error();
    close(fd);
    return result;
  }

  // Serves a leaf of chain A for `host` (with A's intermediate).
  std::unique_ptr<TestTlsServer> ServeA(const std::string& host) {
    const TestCert& leaf =
        host == "www.pinned.example" ? pki_->a.leaf : pki_->leaves.at(host);
    return TestTlsServer::Start(leaf, {pki_->a.intermediate});
  }

  std::vector<SpkiHash> ChainAHashes(const TestCert& leaf) {
    return {leaf.spki_hash, pki_->a.intermediate.spki_hash,
            pki_->a.root.spki_hash};
  }

  struct Pki {
    TestChain a;      // Root A is an app root (pins enforced).
    std::map<std::string, TestCert> leaves;  // More leaves under A.
    TestChain local;  // Its root is a locally installed root.
    TestCert unrelated;
  };
  static Pki* pki_;
  static std::string* table_;
  static int64_t list_time_;

  RecordingSink sink_;
  PkpReporter reporter_{&sink_};
  std::vector<PinCheckRecord> notified_;
  std::vector<SSL_CTX*> ctxs_;
};

PinVerifierTest::Pki* PinVerifierTest::pki_ = nullptr;
std::string* PinVerifierTest::table_ = nullptr;
int64_t PinVerifierTest::list_time_ = 0;

TEST_F(PinVerifierTest, PinnedAndMatchingSucceeds) {
  auto server = ServeA("www.pinned.example");
  SSL_CTX* ctx = ClientCtx(Verifier(BaseOptions()));
  const Outcome o = Connect(ctx, server->port(), "www.pinned.example");
  EXPECT_TRUE(o.connected);
  EXPECT_EQ(o.verify_result, X509_V_OK);
  ASSERT_TRUE(o.record.has_value());
  const PinCheckRecord& r = *o.record;
  EXPECT_EQ(r.outcome, CheckOutcome::kOk);
  EXPECT_TRUE(r.allowed);
  EXPECT_FALSE(r.would_fail);
  EXPECT_TRUE(r.pinned);
  EXPECT_TRUE(r.is_issued_by_known_root);
  EXPECT_EQ(r.host, "www.pinned.example");
  EXPECT_EQ(r.rule, "pinned.example");
  EXPECT_EQ(r.pinset, "main");
  EXPECT_EQ(r.port, server->port());
  // The verified chain (with the root), not the served one (without it).
  EXPECT_EQ(r.chain, ChainAHashes(pki_->a.leaf));
  EXPECT_EQ(r.validated_chain_der.size(), 3u);
  EXPECT_EQ(r.served_chain_der.size(), 2u);
  EXPECT_TRUE(r.report_json.empty());
  EXPECT_TRUE(notified_.empty());
  EXPECT_TRUE(sink_.reports.empty());
}

TEST_F(PinVerifierTest, WrongPinsFailWithViolationRecordAndReport) {
  auto server = ServeA("wrong.example");
  SSL_CTX* ctx = ClientCtx(Verifier(BaseOptions()));
  const Outcome o = Connect(ctx, server->port(), "wrong.example");
  EXPECT_FALSE(o.connected);
  EXPECT_EQ(o.verify_result, X509_V_ERR_APPLICATION_VERIFICATION);
  EXPECT_EQ(server->handshakes(), 0);
  ASSERT_TRUE(o.record.has_value());
  const PinCheckRecord& r = *o.record;
  EXPECT_EQ(r.outcome, CheckOutcome::kViolation);
  EXPECT_FALSE(r.allowed);
  EXPECT_TRUE(r.would_fail);
  EXPECT_FALSE(r.bad_pin_found);
  EXPECT_EQ(r.pinset, "wrong");
  EXPECT_THAT(r.good_pins, ElementsAre(pki_->unrelated.spki_hash));
  EXPECT_EQ(r.chain, ChainAHashes(pki_->leaves.at("wrong.example")));
  EXPECT_THAT(r.Summary(), HasSubstr("pin violation for wrong.example"));
  EXPECT_THAT(r.Summary(),
              HasSubstr(SpkiHashToString(pki_->unrelated.spki_hash)));
  ASSERT_EQ(notified_.size(), 1u);
  EXPECT_EQ(notified_[0].outcome, CheckOutcome::kViolation);

  EXPECT_TRUE(r.report_sent);
  ASSERT_EQ(sink_.reports.size(), 1u);
  EXPECT_EQ(sink_.reports[0].first, "https://reports.example/wrong");
  EXPECT_EQ(sink_.reports[0].second, r.report_json);
  const nlohmann::json report = nlohmann::json::parse(r.report_json);
  EXPECT_EQ(report["hostname"], "wrong.example");
  EXPECT_EQ(report["port"], server->port());
  EXPECT_EQ(report["noted-hostname"], "wrong.example");
  EXPECT_EQ(report["include-subdomains"], false);
  EXPECT_EQ(report["served-certificate-chain"].size(), 2u);
  EXPECT_EQ(report["validated-certificate-chain"].size(), 3u);
  EXPECT_EQ(report["validated-certificate-chain"][2],
            DerToPemCertificate(pki_->a.root.der));
  ASSERT_EQ(report["known-pins"].size(), 1u);
  const std::string pin = SpkiHashToString(pki_->unrelated.spki_hash);
  EXPECT_EQ(report["known-pins"][0], absl::StrCat("pin-sha256=\"",
                                                  pin.substr(7), "\""));
  EXPECT_EQ(report["effective-expiration-date"],
            absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ",
                             absl::FromUnixSeconds(list_time_) +
                                 absl::Hours(24 * 70),
                             absl::UTCTimeZone()));
}

TEST_F(PinVerifierTest, RepeatedViolationIsReportedOnce) {
  auto server = ServeA("wrong.example");
  SSL_CTX* ctx = ClientCtx(Verifier(BaseOptions()));
  const Outcome first = Connect(ctx, server->port(), "wrong.example");
  const Outcome second = Connect(ctx, server->port(), "wrong.example");
  EXPECT_FALSE(first.connected);
  EXPECT_FALSE(second.connected);
  ASSERT_TRUE(first.record && second.record);
  EXPECT_TRUE(first.record->report_sent);
  EXPECT_FALSE(second.record->report_sent);
  EXPECT_FALSE(second.record->report_json.empty());
  EXPECT_EQ(sink_.reports.size(), 1u);
}

TEST_F(PinVerifierTest, BadPinInChainFails) {
  auto server = ServeA("blocked.example");
  SSL_CTX* ctx = ClientCtx(Verifier(BaseOptions()));
  const Outcome o = Connect(ctx, server->port(), "blocked.example");
  EXPECT_FALSE(o.connected);
  EXPECT_EQ(o.verify_result, X509_V_ERR_APPLICATION_VERIFICATION);
  ASSERT_TRUE(o.record.has_value());
  EXPECT_EQ(o.record->outcome, CheckOutcome::kViolation);
  EXPECT_TRUE(o.record->bad_pin_found);
  EXPECT_THAT(o.record->bad_pins,
              ElementsAre(pki_->leaves.at("blocked.example").spki_hash));
  EXPECT_THAT(o.record->Summary(), HasSubstr("blocked key"));
  EXPECT_FALSE(o.record->report_sent);  // The pinset has no report_uri.
  EXPECT_FALSE(o.record->report_json.empty());
  EXPECT_TRUE(sink_.reports.empty());
}

TEST_F(PinVerifierTest, PinnedKeyOnlyInServedChainDoesNotCount) {
  // The server also sends the unrelated root, whose key is wrong.example's
  // pin. OpenSSL's verified chain does not contain it, so pins fail.
  auto server = TestTlsServer::Start(
      pki_->leaves.at("wrong.example"),
      {pki_->a.intermediate, pki_->unrelated});
  SSL_CTX* ctx = ClientCtx(Verifier(BaseOptions()));
  const Outcome o = Connect(ctx, server->port(), "wrong.example");
  EXPECT_FALSE(o.connected);
  ASSERT_TRUE(o.record.has_value());
  EXPECT_EQ(o.record->outcome, CheckOutcome::kViolation);
  EXPECT_EQ(o.record->served_chain_der.size(), 3u);
  EXPECT_EQ(o.record->served_chain_der[2], pki_->unrelated.der);
  EXPECT_EQ(o.record->chain, ChainAHashes(pki_->leaves.at("wrong.example")));
}

TEST_F(PinVerifierTest, LocalRootIsBypassed) {
  auto server = TestTlsServer::Start(pki_->local.leaf,
                                     {pki_->local.intermediate});
  SSL_CTX* ctx = ClientCtx(Verifier(BaseOptions()));
  const Outcome o = Connect(ctx, server->port(), "www.pinned.example");
  EXPECT_TRUE(o.connected);
  EXPECT_EQ(o.verify_result, X509_V_OK);
  ASSERT_TRUE(o.record.has_value());
  EXPECT_EQ(o.record->outcome, CheckOutcome::kBypassed);
  EXPECT_TRUE(o.record->allowed);
  EXPECT_TRUE(o.record->would_fail);
  EXPECT_FALSE(o.record->is_issued_by_known_root);
  ASSERT_EQ(notified_.size(), 1u);
  EXPECT_EQ(notified_[0].outcome, CheckOutcome::kBypassed);
  EXPECT_FALSE(o.record->report_sent);  // Bypassed chains are not reported.
  EXPECT_TRUE(sink_.reports.empty());
}

TEST_F(PinVerifierTest, LocalRootWithoutBypassFails) {
  auto server = TestTlsServer::Start(pki_->local.leaf,
                                     {pki_->local.intermediate});
  PinVerifierOptions options = BaseOptions();
  options.policy.allow_local_root_bypass = false;
  SSL_CTX* ctx = ClientCtx(Verifier(std::move(options)));
  const Outcome o = Connect(ctx, server->port(), "www.pinned.example");
  EXPECT_FALSE(o.connected);
  EXPECT_EQ(o.verify_result, X509_V_ERR_APPLICATION_VERIFICATION);
  ASSERT_TRUE(o.record.has_value());
  EXPECT_EQ(o.record->outcome, CheckOutcome::kViolation);
  EXPECT_FALSE(o.record->is_issued_by_known_root);
  EXPECT_TRUE(o.record->report_sent);
  ASSERT_EQ(sink_.reports.size(), 1u);
  EXPECT_EQ(sink_.reports[0].first, "https://reports.example/main");
}

TEST_F(PinVerifierTest, ReportOnlySucceedsAndReports) {
  auto server = ServeA("report.example");
  SSL_CTX* ctx = ClientCtx(Verifier(BaseOptions()));
  const Outcome o = Connect(ctx, server->port(), "report.example");
  EXPECT_TRUE(o.connected);
  ASSERT_TRUE(o.record.has_value());
  EXPECT_EQ(o.record->outcome, CheckOutcome::kOk);
  EXPECT_TRUE(o.record->would_fail);
  EXPECT_EQ(o.record->pin_mode, PinMode::kReportOnly);
  ASSERT_EQ(notified_.size(), 1u);
  EXPECT_TRUE(notified_[0].would_fail);
  EXPECT_TRUE(o.record->report_sent);
  ASSERT_EQ(sink_.reports.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(sink_.reports[0].second)["hostname"],
            "report.example");
}

TEST_F(PinVerifierTest, StaleListSucceedsAsStale) {
  auto server = ServeA("wrong.example");
  PinVerifierOptions options = BaseOptions();
  const absl::Time later = absl::Now() + absl::Hours(24 * 100);
  options.clock = [later] { return later; };
  SSL_CTX* ctx = ClientCtx(Verifier(std::move(options)));
  const Outcome o = Connect(ctx, server->port(), "wrong.example");
  EXPECT_TRUE(o.connected);
  ASSERT_TRUE(o.record.has_value());
  EXPECT_EQ(o.record->outcome, CheckOutcome::kStale);
  EXPECT_TRUE(o.record->would_fail);
  ASSERT_EQ(notified_.size(), 1u);
  EXPECT_EQ(notified_[0].outcome, CheckOutcome::kStale);
  EXPECT_TRUE(sink_.reports.empty());
}

TEST_F(PinVerifierTest, StaleListFailsWhenFailClosed) {
  auto server = ServeA("www.pinned.example");
  PinVerifierOptions options = BaseOptions();
  const absl::Time later = absl::Now() + absl::Hours(24 * 100);
  options.clock = [later] { return later; };
  options.policy.fail_closed_when_stale = true;
  SSL_CTX* ctx = ClientCtx(Verifier(std::move(options)));
  const Outcome o = Connect(ctx, server->port(), "www.pinned.example");
  EXPECT_FALSE(o.connected);
  EXPECT_EQ(o.verify_result, X509_V_ERR_APPLICATION_VERIFICATION);
  ASSERT_TRUE(o.record.has_value());
  EXPECT_EQ(o.record->outcome, CheckOutcome::kStale);
  EXPECT_FALSE(o.record->allowed);
  EXPECT_FALSE(o.record->would_fail);
}

TEST_F(PinVerifierTest, HostNotInListSucceeds) {
  auto server = ServeA("free.example");
  SSL_CTX* ctx = ClientCtx(Verifier(BaseOptions()));
  const Outcome o = Connect(ctx, server->port(), "free.example");
  EXPECT_TRUE(o.connected);
  ASSERT_TRUE(o.record.has_value());
  EXPECT_EQ(o.record->outcome, CheckOutcome::kNotPinned);
  EXPECT_FALSE(o.record->pinned);
  EXPECT_EQ(o.record->chain.size(), 3u);
  EXPECT_TRUE(notified_.empty());
}

TEST_F(PinVerifierTest, OpenSslFailureComesFirst) {
  // Chain A's root is not trusted: OpenSSL refuses, pins never run.
  auto server = ServeA("www.pinned.example");
  PinVerifierOptions options = BaseOptions();
  options.app_roots.clear();
  SSL_CTX* ctx = ClientCtx(Verifier(std::move(options)));
  const Outcome o = Connect(ctx, server->port(), "www.pinned.example");
  EXPECT_FALSE(o.connected);
  EXPECT_NE(o.verify_result, X509_V_OK);
  EXPECT_NE(o.verify_result, X509_V_ERR_APPLICATION_VERIFICATION);
  EXPECT_FALSE(o.record.has_value());
}

TEST_F(PinVerifierTest, HostNameMismatchIsOpenSslsError) {
  auto server = ServeA("free.example");
  SSL_CTX* ctx = ClientCtx(Verifier(BaseOptions()));
  const Outcome o = Connect(ctx, server->port(), "www.pinned.example");
  EXPECT_FALSE(o.connected);
  EXPECT_EQ(o.verify_result, X509_V_ERR_HOSTNAME_MISMATCH);
  EXPECT_FALSE(o.record.has_value());
}

TEST_F(PinVerifierTest, HostFromSet1HostWithoutSni) {
  auto server = ServeA("wrong.example");
  SSL_CTX* ctx = ClientCtx(Verifier(BaseOptions()));
  const Outcome o =
      Connect(ctx, server->port(), "wrong.example", HostVia::kSet1HostOnly);
  EXPECT_FALSE(o.connected);
  ASSERT_TRUE(o.record.has_value());
  EXPECT_EQ(o.record->host, "wrong.example");
  EXPECT_EQ(o.record->outcome, CheckOutcome::kViolation);
}

TEST_F(PinVerifierTest, NoHostNameFailsClosed) {
  auto server = ServeA("free.example");
  SSL_CTX* ctx = ClientCtx(Verifier(BaseOptions()));
  const Outcome o =
      Connect(ctx, server->port(), "free.example", HostVia::kNothing);
  EXPECT_FALSE(o.connected);
  EXPECT_EQ(o.verify_result, X509_V_ERR_APPLICATION_VERIFICATION);
  ASSERT_TRUE(o.record.has_value());
  EXPECT_EQ(o.record->outcome, CheckOutcome::kInvalidHost);
  EXPECT_THAT(o.record->error, HasSubstr("SNI"));
}

TEST_F(PinVerifierTest, PerSslInstall) {
  auto good = ServeA("www.pinned.example");
  auto wrong = ServeA("wrong.example");
  std::shared_ptr<const PinVerifier> verifier = Verifier(BaseOptions());
  SSL_CTX* ctx = ClientCtx(nullptr);
  ASSERT_TRUE(verifier->AddAnchorsToStore(SSL_CTX_get_cert_store(ctx)).ok());
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);

  const Outcome ok = Connect(ctx, good->port(), "www.pinned.example",
                             HostVia::kSniAndSet1Host, verifier);
  EXPECT_TRUE(ok.connected);
  ASSERT_TRUE(ok.record.has_value());
  EXPECT_EQ(ok.record->outcome, CheckOutcome::kOk);
  EXPECT_EQ(ok.record->chain.size(), 3u);

  const Outcome bad = Connect(ctx, wrong->port(), "wrong.example",
                              HostVia::kSniAndSet1Host, verifier);
  EXPECT_FALSE(bad.connected);
  EXPECT_EQ(bad.verify_result, X509_V_ERR_APPLICATION_VERIFICATION);
  ASSERT_TRUE(bad.record.has_value());
  EXPECT_EQ(bad.record->outcome, CheckOutcome::kViolation);

  // Without the verifier the same connection succeeds.
  const Outcome plain = Connect(ctx, wrong->port(), "wrong.example");
  EXPECT_TRUE(plain.connected);
  EXPECT_FALSE(plain.record.has_value());
}

int g_previous_callback_calls = 0;
int CountingCallback(int preverify_ok, X509_STORE_CTX*) {
  ++g_previous_callback_calls;
  return preverify_ok;
}

TEST_F(PinVerifierTest, PerSslInstallKeepsPreviousCallback) {
  auto wrong = ServeA("wrong.example");
  std::shared_ptr<const PinVerifier> verifier = Verifier(BaseOptions());
  SSL_CTX* ctx = ClientCtx(nullptr);
  ASSERT_TRUE(verifier->AddAnchorsToStore(SSL_CTX_get_cert_store(ctx)).ok());
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, CountingCallback);
  g_previous_callback_calls = 0;
  const Outcome o = Connect(ctx, wrong->port(), "wrong.example",
                            HostVia::kSniAndSet1Host, verifier);
  EXPECT_FALSE(o.connected);
  EXPECT_GE(g_previous_callback_calls, 3);  // Once per chain depth.
  ASSERT_TRUE(o.record.has_value());
  EXPECT_EQ(o.record->outcome, CheckOutcome::kViolation);
}

TEST_F(PinVerifierTest, CtxInstallTurnsOnPeerVerification) {
  SSL_CTX* ctx = ClientCtx(nullptr);
  EXPECT_EQ(SSL_CTX_get_verify_mode(ctx), SSL_VERIFY_NONE);
  ASSERT_TRUE(InstallPinVerifier(ctx, Verifier(BaseOptions())).ok());
  EXPECT_EQ(SSL_CTX_get_verify_mode(ctx) & SSL_VERIFY_PEER, SSL_VERIFY_PEER);
}

TEST_F(PinVerifierTest, CheckWithoutHandshake) {
  std::shared_ptr<const PinVerifier> verifier = Verifier(BaseOptions());
  STACK_OF(X509)* chain = sk_X509_new_null();
  sk_X509_push(chain, pki_->leaves.at("wrong.example").x509.get());
  sk_X509_push(chain, pki_->a.intermediate.x509.get());
  sk_X509_push(chain, pki_->a.root.x509.get());
  const PinCheckRecord r = verifier->Check("wrong.example", 8443, chain, nullptr);
  sk_X509_free(chain);
  EXPECT_EQ(r.outcome, CheckOutcome::kViolation);
  EXPECT_TRUE(r.served_chain_der.empty());
  EXPECT_FALSE(r.report_sent);
  EXPECT_EQ(nlohmann::json::parse(r.report_json)["port"], 8443);
  EXPECT_TRUE(sink_.reports.empty());
  EXPECT_TRUE(verifier->IsKnownRoot(pki_->a.root.x509.get()));
  EXPECT_FALSE(verifier->IsKnownRoot(pki_->local.root.x509.get()));
}

TEST_F(PinVerifierTest, CreateRejectsBadInput) {
  EXPECT_FALSE(PinVerifier::Create("not a table", {}).ok());
  PinVerifierOptions bad_anchor;
  bad_anchor.local_roots = {"junk"};
  absl::StatusOr<std::shared_ptr<const PinVerifier>> v =
      PinVerifier::Create(*table_, bad_anchor);
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(std::string(v.status().message()),
              HasSubstr("local_roots[0]"));
  PinVerifierOptions both;
  both.local_roots = {pki_->a.root.der};
  both.app_roots = {pki_->a.root.der};
  v = PinVerifier::Create(*table_, both);
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(std::string(v.status().message()), HasSubstr("both"));
}

}  // namespace
}  // namespace pinbake
