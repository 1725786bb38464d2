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

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "compiler/compile.h"
#include "runtime/update/signed_blob.h"
#include "runtime/update/update_key.h"
#include "runtime/update/updater.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/test_tls_server.h"
#include "testing/test_pki.h"

namespace pinbake {
namespace {

// The list id the tests' signed updates are made for.
constexpr char kTestListId[] = "pin-verifier-test";

UpdatePolicy TestUpdatePolicy() {
  UpdatePolicy policy;
  policy.expected_list_id = kTestListId;
  return policy;
}

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
    for (const char* host : {"loop.example", "alias.example"}) {
      p.leaves.emplace(host, MakeLeaf(p.a.intermediate, host));
    }
    {
      TestCertOptions multi;
      multi.common_name = "free.example";
      multi.dns_names = {"free.example", "wrong.example"};
      p.leaves.emplace("multi", MakeCert(multi, &p.a.intermediate));
    }
    list_time_ = absl::ToUnixSeconds(absl::Now());
    table_ = new std::string(CompileList(ListJson(1, "main")));
  }

  // The test list, version `version`, with pinned.example (and its
  // subdomains) pinned to `pinned_pinset`.
  static std::string ListJson(int version, const std::string& pinned_pinset) {
    const Pki& p = *pki_;
    return absl::StrReplaceAll(
        R"json({
  "list": {"version": LIST_VERSION, "timestamp": LIST_TIME, "max_age_days": 70},
  "pinsets": [
    {"name": "main", "static_spki_hashes": ["INTERMEDIATE"],
     "report_uri": "https://reports.example/main"},
    {"name": "wrong", "static_spki_hashes": ["UNRELATED"],
     "report_uri": "https://reports.example/wrong"},
    {"name": "blocking", "static_spki_hashes": ["ROOT"],
     "bad_static_spki_hashes": ["BLOCKED_LEAF"]},
    {"name": "self", "static_spki_hashes": ["UNRELATED"],
     "report_uri": "https://loop.example/pkp"}
  ],
  "entries": [
    {"name": "pinned.example", "include_subdomains": true, "pins": "PINNED"},
    {"name": "wrong.example", "pins": "wrong"},
    {"name": "blocked.example", "pins": "blocking"},
    {"name": "report.example", "pins": "wrong", "pin_mode": "report-only"},
    {"name": "loop.example", "pins": "self"},
    {"name": "alias.example", "pins": "self"}
  ]
})json",
        {{"LIST_VERSION", absl::StrCat(version)},
         {"LIST_TIME", absl::StrCat(list_time_ + version - 1)},
         {"PINNED", pinned_pinset},
         {"INTERMEDIATE", SpkiHashToString(p.a.intermediate.spki_hash)},
         {"UNRELATED", SpkiHashToString(p.unrelated.spki_hash)},
         {"ROOT", SpkiHashToString(p.a.root.spki_hash)},
         {"BLOCKED_LEAF",
          SpkiHashToString(p.leaves.at("blocked.example").spki_hash)}});
  }

  static std::string CompileList(const std::string& list) {
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
    EXPECT_FALSE(out.table.empty());
    return out.table;
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
  // Fail-closed keeps enforcing a stale list: a chain the pins refuse fails
  // (a matching chain would pass, docs/lookup.md).
  auto server = ServeA("wrong.example");
  PinVerifierOptions options = BaseOptions();
  const absl::Time later = absl::Now() + absl::Hours(24 * 100);
  options.clock = [later] { return later; };
  options.policy.fail_closed_when_stale = true;
  SSL_CTX* ctx = ClientCtx(Verifier(std::move(options)));
  const Outcome o = Connect(ctx, server->port(), "wrong.example");
  EXPECT_FALSE(o.connected);
  EXPECT_EQ(o.verify_result, X509_V_ERR_APPLICATION_VERIFICATION);
  ASSERT_TRUE(o.record.has_value());
  EXPECT_EQ(o.record->outcome, CheckOutcome::kViolation);
  EXPECT_FALSE(o.record->allowed);
  EXPECT_TRUE(o.record->would_fail);
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

// ---------------------------------------------------------------------------
// Regression tests of issue 10, items 1-7: resumption, the verified name,
// overridden verification errors, verify-mode independence, the root
// model, following signed updates, per-handshake records and report loops.

// How one client handshake is set up.
struct ClientSetup {
  std::string sni;                 // "" : no SNI.
  std::vector<std::string> hosts;  // SSL_set1_host, then SSL_add1_host.
  std::shared_ptr<const PinVerifier> per_ssl;
  SSL_SESSION* session = nullptr;  // Offered for resumption (not owned).
  bool verify_none = false;  // SSL_set_verify(ssl, SSL_VERIFY_NONE, null).
};

ClientSetup Named(const std::string& host) {
  ClientSetup setup;
  setup.sni = host;
  setup.hosts = {host};
  return setup;
}

struct HandshakeResult {
  bool connected = false;
  bool reused = false;
  long verify_result = X509_V_OK;
  std::optional<PinCheckRecord> record;
  // The session after the handshake (TLS 1.3 tickets read), or null.
  std::shared_ptr<SSL_SESSION> session;
};

int ConnectLoopback(int port) {
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
    close(fd);
    return -1;
  }
  return fd;
}

void ApplySetup(SSL* ssl, const ClientSetup& setup) {
  if (!setup.sni.empty()) SSL_set_tlsext_host_name(ssl, setup.sni.c_str());
  for (size_t i = 0; i < setup.hosts.size(); ++i) {
    if (i == 0) {
      SSL_set1_host(ssl, setup.hosts[i].c_str());
    } else {
      SSL_add1_host(ssl, setup.hosts[i].c_str());
    }
  }
  if (setup.per_ssl != nullptr) {
    EXPECT_TRUE(InstallPinVerifier(ssl, setup.per_ssl).ok());
  }
  if (setup.session != nullptr) SSL_set_session(ssl, setup.session);
  if (setup.verify_none) SSL_set_verify(ssl, SSL_VERIFY_NONE, nullptr);
}

// SSL_connect on `ssl` (already set up) over a new connection to `port`;
// on success sends a byte and reads to the end, so that TLS 1.3 session
// tickets are processed, and keeps the session.
HandshakeResult DriveHandshake(SSL* ssl, int port) {
  HandshakeResult result;
  const int fd = ConnectLoopback(port);
  if (fd < 0) {
    ADD_FAILURE() << "connect failed";
    return result;
  }
  SSL_set_fd(ssl, fd);
  result.connected = SSL_connect(ssl) == 1;
  result.verify_result = SSL_get_verify_result(ssl);
  result.reused = SSL_session_reused(ssl) == 1;
  if (const PinCheckRecord* r = GetPinCheckRecord(ssl)) result.record = *r;
  if (result.connected) {
    SSL_write(ssl, "x", 1);
    char buf[256];
    while (SSL_read(ssl, buf, sizeof(buf)) > 0) {
    }
    SSL_SESSION* session = SSL_get1_session(ssl);
    if (session != nullptr) {
      result.session = std::shared_ptr<SSL_SESSION>(session, SSL_SESSION_free);
    }
    SSL_shutdown(ssl);
  }
  ERR_clear_error();
  close(fd);
  return result;
}

HandshakeResult Handshake(SSL_CTX* ctx, int port, const ClientSetup& setup) {
  SSL* ssl = SSL_new(ctx);
  ApplySetup(ssl, setup);
  HandshakeResult result = DriveHandshake(ssl, port);
  SSL_free(ssl);
  return result;
}

int AcceptAnything(int, X509_STORE_CTX*) { return 1; }

// Item 1, resumption, for TLS 1.2 and TLS 1.3.
class ResumptionTest : public PinVerifierTest,
                       public ::testing::WithParamInterface<int> {
 protected:
  SSL_CTX* VersionCtx(std::shared_ptr<const PinVerifier> verifier) {
    SSL_CTX* ctx = ClientCtx(std::move(verifier));
    SSL_CTX_set_min_proto_version(ctx, GetParam());
    SSL_CTX_set_max_proto_version(ctx, GetParam());
    return ctx;
  }
};

INSTANTIATE_TEST_SUITE_P(Tls, ResumptionTest,
                         ::testing::Values(TLS1_2_VERSION, TLS1_3_VERSION),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return info.param == TLS1_2_VERSION
                                      ? std::string("Tls12")
                                      : std::string("Tls13");
                         });

TEST_P(ResumptionTest, LegitResumptionWorksAndIsChecked) {
  auto server = ServeA("www.pinned.example");
  SSL_CTX* ctx = VersionCtx(Verifier(BaseOptions()));
  const HandshakeResult first =
      Handshake(ctx, server->port(), Named("www.pinned.example"));
  ASSERT_TRUE(first.connected);
  ASSERT_NE(first.session, nullptr);
  ClientSetup again = Named("www.pinned.example");
  again.session = first.session.get();
  const HandshakeResult second = Handshake(ctx, server->port(), again);
  EXPECT_TRUE(second.connected);
  EXPECT_TRUE(second.reused);
  ASSERT_TRUE(second.record.has_value()) << "no check on the resumption";
  EXPECT_TRUE(second.record->resumed);
  EXPECT_EQ(second.record->outcome, CheckOutcome::kOk);
  EXPECT_TRUE(second.record->pinned);
  EXPECT_EQ(second.record->chain, ChainAHashes(pki_->a.leaf));
  EXPECT_EQ(server->WaitForHandshakes(2), 2);
}

TEST_P(ResumptionTest, SessionOfUnpinnedHostIsRefusedForPinnedHost) {
  // One certificate for both names: free.example is not pinned,
  // wrong.example is pinned to a key that is not in the chain.
  auto server = TestTlsServer::Start(pki_->leaves.at("multi"),
                                     {pki_->a.intermediate});
  SSL_CTX* ctx = VersionCtx(Verifier(BaseOptions()));
  const HandshakeResult first =
      Handshake(ctx, server->port(), Named("free.example"));
  ASSERT_TRUE(first.connected);
  ASSERT_TRUE(first.record.has_value());
  EXPECT_EQ(first.record->outcome, CheckOutcome::kNotPinned);
  ASSERT_NE(first.session, nullptr);

  ClientSetup other = Named("wrong.example");
  other.session = first.session.get();
  const HandshakeResult second = Handshake(ctx, server->port(), other);
  EXPECT_FALSE(second.connected);
  EXPECT_FALSE(second.reused);
  ASSERT_TRUE(second.record.has_value());
  EXPECT_TRUE(second.record->resumed);
  EXPECT_EQ(second.record->outcome, CheckOutcome::kViolation);
  EXPECT_FALSE(second.record->allowed);
  EXPECT_THAT(second.record->error, HasSubstr("verified for free.example"));
  EXPECT_EQ(server->WaitForHandshakes(1), 1);
  ASSERT_FALSE(notified_.empty());
  EXPECT_EQ(notified_.back().outcome, CheckOutcome::kViolation);
}

TEST_P(ResumptionTest, SessionFromBeforeAnUpdateIsCheckedAgainstTheNewList) {
  absl::StatusOr<UpdatePrivateKey> key = UpdatePrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  absl::StatusOr<std::unique_ptr<PinListUpdater>> updater =
      PinListUpdater::Create(*table_, {key->public_key()}, TestUpdatePolicy());
  ASSERT_TRUE(updater.ok()) << updater.status();
  std::shared_ptr<PinListUpdater> shared = *std::move(updater);
  absl::StatusOr<std::shared_ptr<const PinVerifier>> verifier =
      PinVerifier::CreateFollowing(shared, BaseOptions());
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  auto server = ServeA("www.pinned.example");
  SSL_CTX* ctx = VersionCtx(*verifier);
  const HandshakeResult first =
      Handshake(ctx, server->port(), Named("www.pinned.example"));
  ASSERT_TRUE(first.connected);
  ASSERT_TRUE(first.record.has_value());
  EXPECT_EQ(first.record->list_version, 1u);
  ASSERT_NE(first.session, nullptr);

  // Version 2 pins pinned.example to a key that is not in chain A.
  absl::StatusOr<std::string> blob =
      SignTable(CompileList(ListJson(2, "wrong")), kTestListId, *key);
  ASSERT_TRUE(blob.ok()) << blob.status();
  ASSERT_TRUE(shared->Offer(*blob, absl::Now()).ok());

  ClientSetup again = Named("www.pinned.example");
  again.session = first.session.get();
  const HandshakeResult second = Handshake(ctx, server->port(), again);
  EXPECT_FALSE(second.connected);
  ASSERT_TRUE(second.record.has_value());
  EXPECT_TRUE(second.record->resumed);
  EXPECT_EQ(second.record->list_version, 2u);
  EXPECT_EQ(second.record->outcome, CheckOutcome::kViolation);
  EXPECT_EQ(second.record->pinset, "wrong");
  EXPECT_EQ(server->WaitForHandshakes(1), 1);
}

TEST_P(ResumptionTest, SessionFromAnotherPortIsRefused) {
  auto one = ServeA("free.example");
  auto two = ServeA("free.example");
  SSL_CTX* ctx = VersionCtx(Verifier(BaseOptions()));
  const HandshakeResult first = Handshake(ctx, one->port(), Named("free.example"));
  ASSERT_TRUE(first.connected);
  ASSERT_NE(first.session, nullptr);
  ClientSetup again = Named("free.example");
  again.session = first.session.get();
  const HandshakeResult second = Handshake(ctx, two->port(), again);
  EXPECT_FALSE(second.connected);
  ASSERT_TRUE(second.record.has_value());
  EXPECT_TRUE(second.record->resumed);
  EXPECT_THAT(second.record->error, HasSubstr("port"));
}

TEST_P(ResumptionTest, SessionMadeWithoutTheVerifierIsRefusedForAPinnedHost) {
  auto server = ServeA("www.pinned.example");
  // A context that verifies (trusts root A) but has no pin verifier.
  SSL_CTX* plain = VersionCtx(nullptr);
  X509_STORE_add_cert(SSL_CTX_get_cert_store(plain), pki_->a.root.x509.get());
  SSL_CTX_set_verify(plain, SSL_VERIFY_PEER, nullptr);
  const HandshakeResult first =
      Handshake(plain, server->port(), Named("www.pinned.example"));
  ASSERT_TRUE(first.connected);
  ASSERT_NE(first.session, nullptr);
  SSL_CTX* ctx = VersionCtx(Verifier(BaseOptions()));
  ClientSetup again = Named("www.pinned.example");
  again.session = first.session.get();
  const HandshakeResult second = Handshake(ctx, server->port(), again);
  EXPECT_FALSE(second.connected);
  ASSERT_TRUE(second.record.has_value());
  EXPECT_TRUE(second.record->resumed);
  EXPECT_EQ(second.record->outcome, CheckOutcome::kViolation);
  EXPECT_THAT(second.record->error, HasSubstr("not checked by this verifier"));
}

TEST_P(ResumptionTest, PerSslInstallDropsABadSessionForAFullHandshake) {
  auto server = TestTlsServer::Start(pki_->leaves.at("multi"),
                                     {pki_->a.intermediate});
  std::shared_ptr<const PinVerifier> verifier = Verifier(BaseOptions());
  SSL_CTX* ctx = VersionCtx(nullptr);
  ASSERT_TRUE(verifier->AddAnchorsToStore(SSL_CTX_get_cert_store(ctx)).ok());
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  ClientSetup first_setup = Named("free.example");
  first_setup.per_ssl = verifier;
  const HandshakeResult first = Handshake(ctx, server->port(), first_setup);
  ASSERT_TRUE(first.connected);
  ASSERT_NE(first.session, nullptr);
  ClientSetup other = Named("wrong.example");
  other.per_ssl = verifier;
  other.session = first.session.get();
  const HandshakeResult second = Handshake(ctx, server->port(), other);
  // Not resumed: the full handshake's check refuses the chain.
  EXPECT_FALSE(second.connected);
  EXPECT_FALSE(second.reused);
  ASSERT_TRUE(second.record.has_value());
  EXPECT_FALSE(second.record->resumed);
  EXPECT_EQ(second.record->outcome, CheckOutcome::kViolation);
  EXPECT_EQ(second.record->pinset, "wrong");

  // A good session is resumed, and checked.
  ClientSetup same = Named("free.example");
  same.per_ssl = verifier;
  same.session = first.session.get();
  const HandshakeResult third = Handshake(ctx, server->port(), same);
  EXPECT_TRUE(third.connected);
  EXPECT_TRUE(third.reused);
  ASSERT_TRUE(third.record.has_value());
  EXPECT_TRUE(third.record->resumed);
  EXPECT_EQ(third.record->outcome, CheckOutcome::kNotPinned);
}

// Review of issue 10, item 1: whether a resumed session's chain ends at a
// local root is decided by the current verifier, not kept with the session.
TEST_P(ResumptionTest, SessionAtAFormerlyLocalRootIsEnforcedByTheNewVerifier) {
  auto server = TestTlsServer::Start(pki_->local.leaf,
                                     {pki_->local.intermediate});
  SSL_CTX* ctx = VersionCtx(Verifier(BaseOptions()));
  const HandshakeResult first =
      Handshake(ctx, server->port(), Named("www.pinned.example"));
  ASSERT_TRUE(first.connected);
  ASSERT_TRUE(first.record.has_value());
  ASSERT_EQ(first.record->outcome, CheckOutcome::kBypassed);
  ASSERT_NE(first.session, nullptr);
  PinVerifierOptions enforcing = BaseOptions();
  enforcing.local_roots.clear();
  enforcing.app_roots.push_back(pki_->local.root.der);
  ASSERT_TRUE(InstallPinVerifier(ctx, Verifier(std::move(enforcing))).ok());
  const HandshakeResult full =
      Handshake(ctx, server->port(), Named("www.pinned.example"));
  ASSERT_FALSE(full.connected);
  ASSERT_TRUE(full.record.has_value());
  ASSERT_EQ(full.record->outcome, CheckOutcome::kViolation);
  ClientSetup again = Named("www.pinned.example");
  again.session = first.session.get();
  const HandshakeResult second = Handshake(ctx, server->port(), again);
  ASSERT_TRUE(second.record.has_value());
  EXPECT_TRUE(second.record->is_issued_by_known_root)
      << second.record->Summary();
  EXPECT_EQ(second.record->outcome, CheckOutcome::kViolation);
  EXPECT_FALSE(second.connected) << "resumed as " << second.record->Summary();
}

TEST_P(ResumptionTest, SessionAtALocalRootIsEnforcedByAnotherContextsVerifier) {
  auto server = TestTlsServer::Start(pki_->local.leaf,
                                     {pki_->local.intermediate});
  SSL_CTX* bypassing = VersionCtx(Verifier(BaseOptions()));
  const HandshakeResult first =
      Handshake(bypassing, server->port(), Named("www.pinned.example"));
  ASSERT_TRUE(first.connected);
  ASSERT_TRUE(first.record.has_value());
  ASSERT_EQ(first.record->outcome, CheckOutcome::kBypassed);
  ASSERT_NE(first.session, nullptr);
  PinVerifierOptions enforcing = BaseOptions();
  enforcing.local_roots.clear();
  enforcing.app_roots.push_back(pki_->local.root.der);
  SSL_CTX* ctx = VersionCtx(Verifier(std::move(enforcing)));
  ClientSetup again = Named("www.pinned.example");
  again.session = first.session.get();
  const HandshakeResult second = Handshake(ctx, server->port(), again);
  EXPECT_FALSE(second.connected);
  ASSERT_TRUE(second.record.has_value());
  EXPECT_TRUE(second.record->resumed);
  EXPECT_TRUE(second.record->is_issued_by_known_root);
  EXPECT_EQ(second.record->outcome, CheckOutcome::kViolation);
  EXPECT_EQ(server->WaitForHandshakes(1), 1);

  // The other way round: a session the enforcing verifier let through (a
  // matching chain, ending at root A) is still `ok` under a verifier that
  // treats root A as local.
  auto a_server = ServeA("www.pinned.example");
  const HandshakeResult at_a =
      Handshake(ctx, a_server->port(), Named("www.pinned.example"));
  ASSERT_TRUE(at_a.connected);
  ASSERT_NE(at_a.session, nullptr);
  PinVerifierOptions a_local = BaseOptions();
  a_local.app_roots.clear();
  a_local.local_roots = {pki_->a.root.der};
  SSL_CTX* a_local_ctx = VersionCtx(Verifier(std::move(a_local)));
  ClientSetup resume_a = Named("www.pinned.example");
  resume_a.session = at_a.session.get();
  const HandshakeResult resumed_a =
      Handshake(a_local_ctx, a_server->port(), resume_a);
  EXPECT_TRUE(resumed_a.connected);
  ASSERT_TRUE(resumed_a.record.has_value());
  EXPECT_TRUE(resumed_a.record->resumed);
  EXPECT_FALSE(resumed_a.record->is_issued_by_known_root);
}

TEST_P(ResumptionTest, PerSslInstallDropsASessionAtAFormerlyLocalRoot) {
  auto server = TestTlsServer::Start(pki_->local.leaf,
                                     {pki_->local.intermediate});
  std::shared_ptr<const PinVerifier> bypassing = Verifier(BaseOptions());
  PinVerifierOptions enforcing_options = BaseOptions();
  enforcing_options.local_roots.clear();
  enforcing_options.app_roots.push_back(pki_->local.root.der);
  std::shared_ptr<const PinVerifier> enforcing =
      Verifier(std::move(enforcing_options));
  SSL_CTX* ctx = VersionCtx(nullptr);
  ASSERT_TRUE(bypassing->AddAnchorsToStore(SSL_CTX_get_cert_store(ctx)).ok());
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  ClientSetup first_setup = Named("www.pinned.example");
  first_setup.per_ssl = bypassing;
  const HandshakeResult first = Handshake(ctx, server->port(), first_setup);
  ASSERT_TRUE(first.connected);
  ASSERT_TRUE(first.record.has_value());
  ASSERT_EQ(first.record->outcome, CheckOutcome::kBypassed);
  ASSERT_NE(first.session, nullptr);
  ClientSetup again = Named("www.pinned.example");
  again.per_ssl = enforcing;
  again.session = first.session.get();
  const HandshakeResult second = Handshake(ctx, server->port(), again);
  // Dropped: the full handshake's check refuses the chain.
  EXPECT_FALSE(second.connected);
  EXPECT_FALSE(second.reused);
  ASSERT_TRUE(second.record.has_value());
  EXPECT_FALSE(second.record->resumed);
  EXPECT_TRUE(second.record->is_issued_by_known_root);
  EXPECT_EQ(second.record->outcome, CheckOutcome::kViolation);
}

// Review of issue 10, item 2: SNI only (no SSL_set1_host name) -- OpenSSL
// checks no name, so the verifier checks a pinned SNI name against the
// leaf itself.
TEST_P(ResumptionTest, SniOnlySessionOfAPinnedNameResumes) {
  auto server = ServeA("www.pinned.example");
  SSL_CTX* ctx = VersionCtx(Verifier(BaseOptions()));
  ClientSetup setup;
  setup.sni = "www.pinned.example";
  const HandshakeResult first = Handshake(ctx, server->port(), setup);
  ASSERT_TRUE(first.connected);
  ASSERT_TRUE(first.record.has_value());
  EXPECT_EQ(first.record->outcome, CheckOutcome::kOk);
  ASSERT_NE(first.session, nullptr);
  setup.session = first.session.get();
  const HandshakeResult second = Handshake(ctx, server->port(), setup);
  EXPECT_TRUE(second.connected);
  EXPECT_TRUE(second.reused);
  ASSERT_TRUE(second.record.has_value());
  EXPECT_TRUE(second.record->resumed);
  EXPECT_EQ(second.record->outcome, CheckOutcome::kOk);
}

// Item 2: pins are checked for every name OpenSSL verified, not only SNI.
TEST_F(PinVerifierTest, Set1HostNameIsCheckedNotOnlySni) {
  auto server = ServeA("wrong.example");
  SSL_CTX* ctx = ClientCtx(Verifier(BaseOptions()));
  ClientSetup setup;
  setup.sni = "free.example";
  setup.hosts = {"wrong.example"};
  const HandshakeResult h = Handshake(ctx, server->port(), setup);
  EXPECT_FALSE(h.connected);
  EXPECT_EQ(h.verify_result, X509_V_ERR_APPLICATION_VERIFICATION);
  ASSERT_TRUE(h.record.has_value());
  EXPECT_EQ(h.record->outcome, CheckOutcome::kViolation);
  EXPECT_EQ(h.record->host, "wrong.example");
  EXPECT_THAT(h.record->names, ElementsAre("free.example", "wrong.example"));
  EXPECT_THAT(h.record->verified_names, ElementsAre("wrong.example"));
}

TEST_F(PinVerifierTest, SniThatIsNotTheVerifiedPinnedNameIsRefused) {
  // The chain passes www.pinned.example's pins, but SNI names another host.
  auto server = ServeA("www.pinned.example");
  SSL_CTX* ctx = ClientCtx(Verifier(BaseOptions()));
  ClientSetup setup;
  setup.sni = "free.example";
  setup.hosts = {"www.pinned.example"};
  const HandshakeResult h = Handshake(ctx, server->port(), setup);
  EXPECT_FALSE(h.connected);
  ASSERT_TRUE(h.record.has_value());
  EXPECT_EQ(h.record->outcome, CheckOutcome::kViolation);
  EXPECT_THAT(h.record->error, HasSubstr("SNI name \"free.example\""));
}

TEST_F(PinVerifierTest, EveryConfiguredNameIsChecked) {
  auto server = ServeA("free.example");
  SSL_CTX* ctx = ClientCtx(Verifier(BaseOptions()));
  ClientSetup setup;
  setup.sni = "free.example";
  setup.hosts = {"free.example", "wrong.example"};
  const HandshakeResult h = Handshake(ctx, server->port(), setup);
  EXPECT_FALSE(h.connected);
  ASSERT_TRUE(h.record.has_value());
  EXPECT_EQ(h.record->host, "wrong.example");
  EXPECT_EQ(h.record->outcome, CheckOutcome::kViolation);
}

// Review of issue 10, item 2: with SNI only, OpenSSL verifies no name; a
// pinned SNI name must be a name of the leaf.
TEST_F(PinVerifierTest, PinnedSniOnlyNameMustBeTheLeafsName) {
  // A certificate for free.example, under the pinned intermediate: the
  // pins of www.pinned.example would pass.
  auto server = ServeA("free.example");
  SSL_CTX* ctx = ClientCtx(Verifier(BaseOptions()));
  ClientSetup setup;
  setup.sni = "www.pinned.example";
  const HandshakeResult h = Handshake(ctx, server->port(), setup);
  EXPECT_FALSE(h.connected) << (h.record ? h.record->Summary() : "no record");
  EXPECT_EQ(h.verify_result, X509_V_ERR_APPLICATION_VERIFICATION);
  ASSERT_TRUE(h.record.has_value());
  EXPECT_EQ(h.record->outcome, CheckOutcome::kViolation);
  EXPECT_FALSE(h.record->allowed);
  EXPECT_FALSE(h.record->would_fail);  // The pins alone would pass.
  EXPECT_EQ(h.record->host, "www.pinned.example");
  EXPECT_THAT(h.record->error,
              HasSubstr("SNI name \"www.pinned.example\" is not a name of "
                        "the certificate"));
  EXPECT_THAT(h.record->error, HasSubstr("SSL_set1_host"));
  EXPECT_EQ(server->handshakes(), 0);

  // The leaf for the name passes; an unpinned SNI-only name is left to the
  // application (OpenSSL's own behaviour).
  auto pinned = ServeA("www.pinned.example");
  const HandshakeResult good = Handshake(ctx, pinned->port(), setup);
  EXPECT_TRUE(good.connected);
  ASSERT_TRUE(good.record.has_value());
  EXPECT_EQ(good.record->outcome, CheckOutcome::kOk);
  ClientSetup unpinned;
  unpinned.sni = "unpinned.example";
  const HandshakeResult other = Handshake(ctx, server->port(), unpinned);
  EXPECT_TRUE(other.connected);
  ASSERT_TRUE(other.record.has_value());
  EXPECT_EQ(other.record->outcome, CheckOutcome::kNotPinned);
}

// Item 3: a verify callback that overrides errors does not make a forged
// chain pass a pinned host's pins.
struct ForgedChain {
  TestCert attacker_root;
  TestCert fake_intermediate;  // Carries the pinned intermediate's key.
  TestCert leaf;               // Names it as issuer; signed by the attacker.
};

ForgedChain Forge(const TestCert& pinned_intermediate, const std::string& host) {
  ForgedChain f;
  f.attacker_root = MakeRootCa("attacker root");
  TestCertOptions fake;
  fake.common_name = "fake intermediate";
  fake.is_ca = true;
  fake.subject_key = pinned_intermediate.key;
  f.fake_intermediate = MakeCert(fake, &f.attacker_root);
  TestCert signer = f.fake_intermediate;
  signer.key = f.attacker_root.key;  // The attacker lacks the real key.
  f.leaf = MakeLeaf(signer, host);
  return f;
}

TEST_F(PinVerifierTest, OverriddenVerificationErrorsAreAViolation) {
  const ForgedChain f = Forge(pki_->a.intermediate, "www.pinned.example");
  EXPECT_EQ(f.fake_intermediate.spki_hash, pki_->a.intermediate.spki_hash);
  auto server = TestTlsServer::Start(f.leaf, {f.fake_intermediate,
                                              f.attacker_root});
  SSL_CTX* ctx = ClientCtx(Verifier(BaseOptions()));
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, AcceptAnything);
  const HandshakeResult h =
      Handshake(ctx, server->port(), Named("www.pinned.example"));
  EXPECT_FALSE(h.connected);
  ASSERT_TRUE(h.record.has_value());
  EXPECT_EQ(h.record->outcome, CheckOutcome::kViolation);
  EXPECT_FALSE(h.record->would_fail);  // The pinned key is in the chain...
  EXPECT_GT(h.record->verify_error_count, 0);  // ...of a chain that failed.
  EXPECT_THAT(h.record->error, HasSubstr("verification error"));

  // The same through a per-SSL install.
  SSL_CTX* plain = ClientCtx(nullptr);
  std::shared_ptr<const PinVerifier> verifier = Verifier(BaseOptions());
  ASSERT_TRUE(verifier->AddAnchorsToStore(SSL_CTX_get_cert_store(plain)).ok());
  SSL_CTX_set_verify(plain, SSL_VERIFY_PEER, AcceptAnything);
  ClientSetup setup = Named("www.pinned.example");
  setup.per_ssl = verifier;
  const HandshakeResult per_ssl = Handshake(plain, server->port(), setup);
  EXPECT_FALSE(per_ssl.connected);
  ASSERT_TRUE(per_ssl.record.has_value());
  EXPECT_EQ(per_ssl.record->outcome, CheckOutcome::kViolation);
  EXPECT_GT(per_ssl.record->verify_error_count, 0);
}

TEST_F(PinVerifierTest, OverriddenErrorsOnAnUnpinnedHostAreTheAppsChoice) {
  const ForgedChain f = Forge(pki_->a.intermediate, "free.example");
  auto server = TestTlsServer::Start(f.leaf, {f.fake_intermediate});
  SSL_CTX* ctx = ClientCtx(Verifier(BaseOptions()));
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, AcceptAnything);
  const HandshakeResult h =
      Handshake(ctx, server->port(), Named("free.example"));
  EXPECT_TRUE(h.connected);
  ASSERT_TRUE(h.record.has_value());
  EXPECT_EQ(h.record->outcome, CheckOutcome::kNotPinned);
  EXPECT_GT(h.record->verify_error_count, 0);
}

// Item 4: SSL_VERIFY_NONE after the install does not make OpenSSL ignore a
// refusal.
TEST_F(PinVerifierTest, VerifyNoneOnTheContextStillRefuses) {
  auto server = ServeA("wrong.example");
  for (const int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    SCOPED_TRACE(version);
    SSL_CTX* ctx = ClientCtx(Verifier(BaseOptions()));
    SSL_CTX_set_max_proto_version(ctx, version);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    const HandshakeResult h =
        Handshake(ctx, server->port(), Named("wrong.example"));
    EXPECT_FALSE(h.connected);
    EXPECT_EQ(h.verify_result, X509_V_ERR_APPLICATION_VERIFICATION);
    ASSERT_TRUE(h.record.has_value());
    EXPECT_EQ(h.record->outcome, CheckOutcome::kViolation);
  }
  EXPECT_EQ(server->handshakes(), 0);
}

TEST_F(PinVerifierTest, VerifyNoneOnTheConnectionStillRefuses) {
  auto server = ServeA("wrong.example");
  SSL_CTX* ctx = ClientCtx(Verifier(BaseOptions()));
  ClientSetup setup = Named("wrong.example");
  setup.verify_none = true;
  const HandshakeResult h = Handshake(ctx, server->port(), setup);
  EXPECT_FALSE(h.connected);
  ASSERT_TRUE(h.record.has_value());
  EXPECT_EQ(h.record->outcome, CheckOutcome::kViolation);
}

TEST_F(PinVerifierTest, VerifyNoneDoesNotLetAnUnverifiedChainReachAPinnedHost) {
  // Chain A's root is not trusted: OpenSSL's failure, which
  // SSL_VERIFY_NONE would ignore.
  auto server = ServeA("www.pinned.example");
  PinVerifierOptions options = BaseOptions();
  options.app_roots.clear();
  SSL_CTX* ctx = ClientCtx(Verifier(std::move(options)));
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  const HandshakeResult pinned =
      Handshake(ctx, server->port(), Named("www.pinned.example"));
  EXPECT_FALSE(pinned.connected);
  ASSERT_TRUE(pinned.record.has_value());
  EXPECT_EQ(pinned.record->outcome, CheckOutcome::kViolation);
  EXPECT_THAT(pinned.record->error, HasSubstr("verification error"));
}

// Review of issue 10, item 3: an application that replaces the context's
// certificate verify callback after the install removes the pin check;
// installing again puts it back.
int AppCertVerifyCallback(X509_STORE_CTX* store_ctx, void*) {
  return X509_verify_cert(store_ctx);
}

TEST_F(PinVerifierTest, InstallingAgainRestoresAReplacedCertVerifyCallback) {
  auto server = ServeA("wrong.example");
  std::shared_ptr<const PinVerifier> verifier = Verifier(BaseOptions());
  SSL_CTX* ctx = ClientCtx(verifier);
  SSL_CTX_set_cert_verify_callback(ctx, AppCertVerifyCallback, nullptr);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  // The documented limit: with the hook replaced, no full-handshake check.
  const HandshakeResult replaced =
      Handshake(ctx, server->port(), Named("wrong.example"));
  EXPECT_TRUE(replaced.connected);
  EXPECT_FALSE(replaced.record.has_value());

  ASSERT_TRUE(InstallPinVerifier(ctx, verifier).ok());
  EXPECT_EQ(SSL_CTX_get_verify_mode(ctx) & SSL_VERIFY_PEER, SSL_VERIFY_PEER);
  const HandshakeResult again =
      Handshake(ctx, server->port(), Named("wrong.example"));
  EXPECT_FALSE(again.connected);
  EXPECT_EQ(again.verify_result, X509_V_ERR_APPLICATION_VERIFICATION);
  ASSERT_TRUE(again.record.has_value());
  EXPECT_EQ(again.record->outcome, CheckOutcome::kViolation);
  EXPECT_EQ(again.record->pinset, "wrong");
  EXPECT_EQ(server->WaitForHandshakes(1), 1);  // Only the unchecked one.
}

// Item 5: roots the application ships are enforced; only local roots
// bypass.
TEST_F(PinVerifierTest, AppRootsAreEnforcedOnlyLocalRootsBypass) {
  auto server = TestTlsServer::Start(pki_->local.leaf,
                                     {pki_->local.intermediate});
  PinVerifierOptions options = BaseOptions();
  options.app_roots.push_back(pki_->local.root.der);
  options.local_roots.clear();
  SSL_CTX* ctx = ClientCtx(Verifier(std::move(options)));
  const Outcome o = Connect(ctx, server->port(), "www.pinned.example");
  EXPECT_FALSE(o.connected);
  ASSERT_TRUE(o.record.has_value());
  EXPECT_EQ(o.record->outcome, CheckOutcome::kViolation);
  EXPECT_TRUE(o.record->is_issued_by_known_root);
}

// Item 6: a verifier that follows a PinListUpdater, with handshakes in
// threads while updates install and the verifier is installed again
// (run under --config=tsan by tools/test.sh).
TEST_F(PinVerifierTest, FollowsSignedUpdatesWhileHandshakesRun) {
  absl::StatusOr<UpdatePrivateKey> key = UpdatePrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  absl::StatusOr<std::unique_ptr<PinListUpdater>> created =
      PinListUpdater::Create(*table_, {key->public_key()}, TestUpdatePolicy());
  ASSERT_TRUE(created.ok()) << created.status();
  std::shared_ptr<PinListUpdater> updater = *std::move(created);
  // Odd versions pin pinned.example to chain A's intermediate (pass), even
  // ones to an unrelated key (violation).
  constexpr int kLastVersion = 6;
  std::vector<std::string> blobs;
  for (int v = 2; v <= kLastVersion; ++v) {
    absl::StatusOr<std::string> blob = SignTable(
        CompileList(ListJson(v, v % 2 == 1 ? "main" : "wrong")), kTestListId,
        *key);
    ASSERT_TRUE(blob.ok()) << blob.status();
    blobs.push_back(*blob);
  }
  PinVerifierOptions options;  // No callbacks: threads share nothing else.
  options.app_roots = {pki_->a.root.der};
  absl::StatusOr<std::shared_ptr<const PinVerifier>> verifier =
      PinVerifier::CreateFollowing(updater, options);
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  SSL_CTX* ctx = ClientCtx(*verifier);

  constexpr int kThreads = 3;
  constexpr int kHandshakes = 4;
  constexpr int kMaxHandshakes = 400;
  std::atomic<bool> stop{false};
  std::vector<std::unique_ptr<TestTlsServer>> servers;
  for (int t = 0; t < kThreads; ++t) servers.push_back(ServeA("www.pinned.example"));
  struct Seen {
    uint64_t version = 0;
    bool connected = false;
    bool has_record = false;
    CheckOutcome outcome = CheckOutcome::kNotPinned;
  };
  std::vector<std::vector<Seen>> seen(kThreads);
  std::atomic<int> done{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Until the updates are done (and at least kHandshakes, at most
      // kMaxHandshakes, so the test is bounded).
      for (int i = 0; i < kMaxHandshakes && (i < kHandshakes || !stop.load());
           ++i) {
        const HandshakeResult h = Handshake(ctx, servers[t]->port(),
                                            Named("www.pinned.example"));
        Seen s;
        s.connected = h.connected;
        s.has_record = h.record.has_value();
        if (h.record) {
          s.version = h.record->list_version;
          s.outcome = h.record->outcome;
        }
        seen[t].push_back(s);
      }
      done.fetch_add(1);
    });
  }
  for (size_t i = 0; i < blobs.size(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_TRUE(updater->Offer(blobs[i], absl::Now()).ok());
    if (i == 1) {
      // Installing again while handshakes run is safe.
      absl::StatusOr<std::shared_ptr<const PinVerifier>> again =
          PinVerifier::CreateFollowing(updater, options);
      ASSERT_TRUE(again.ok());
      EXPECT_TRUE(InstallPinVerifier(ctx, *again).ok());
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  stop.store(true);
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(done.load(), kThreads);
  EXPECT_EQ(updater->Snapshot()->table().list_version(),
            static_cast<uint64_t>(kLastVersion));
  std::map<uint64_t, int> versions_seen;
  for (const auto& per_thread : seen) {
    for (const Seen& s : per_thread) ++versions_seen[s.version];
  }
  std::string figures;
  for (const auto& [version, count] : versions_seen) {
    absl::StrAppend(&figures, " v", version, ":", count);
  }
  std::cout << "handshakes per list version:" << figures << "\n";
  for (int t = 0; t < kThreads; ++t) {
    uint64_t last = 0;
    for (const Seen& s : seen[t]) {
      ASSERT_TRUE(s.has_record);
      EXPECT_GE(s.version, last) << "a handshake used an older list";
      last = s.version;
      const bool passes = s.version % 2 == 1;
      EXPECT_EQ(s.connected, passes) << "version " << s.version;
      EXPECT_EQ(s.outcome,
                passes ? CheckOutcome::kOk : CheckOutcome::kViolation);
    }
  }
  // After the last update, a new handshake uses the last list.
  const HandshakeResult after =
      Handshake(ctx, servers[0]->port(), Named("www.pinned.example"));
  ASSERT_TRUE(after.record.has_value());
  EXPECT_EQ(after.record->list_version, static_cast<uint64_t>(kLastVersion));
  EXPECT_FALSE(after.connected);
}

// Item 7: records do not leak into the next handshake on a reused SSL.
TEST_F(PinVerifierTest, RecordDoesNotLeakIntoTheNextHandshakeAfterSslClear) {
  auto wrong = ServeA("wrong.example");
  const TestChain untrusted = MakeChain("www.pinned.example");
  auto refused_by_openssl =
      TestTlsServer::Start(untrusted.leaf, {untrusted.intermediate});
  std::shared_ptr<const PinVerifier> verifier = Verifier(BaseOptions());
  SSL_CTX* ctx = ClientCtx(nullptr);
  ASSERT_TRUE(verifier->AddAnchorsToStore(SSL_CTX_get_cert_store(ctx)).ok());
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  SSL* ssl = SSL_new(ctx);
  ClientSetup setup = Named("wrong.example");
  setup.per_ssl = verifier;
  ApplySetup(ssl, setup);
  const HandshakeResult first = DriveHandshake(ssl, wrong->port());
  EXPECT_FALSE(first.connected);
  ASSERT_TRUE(first.record.has_value());
  EXPECT_EQ(first.record->outcome, CheckOutcome::kViolation);

  ASSERT_EQ(SSL_clear(ssl), 1);
  SSL_set_tlsext_host_name(ssl, "www.pinned.example");
  SSL_set1_host(ssl, "www.pinned.example");
  const HandshakeResult second = DriveHandshake(ssl, refused_by_openssl->port());
  EXPECT_FALSE(second.connected);
  EXPECT_NE(second.verify_result, X509_V_ERR_APPLICATION_VERIFICATION);
  EXPECT_FALSE(second.record.has_value())
      << "the first handshake's record leaked: " << second.record->Summary();
  SSL_free(ssl);
}

// Item 7: no report over HTTPS to the host that fails its pins, nor to a
// host under the same failing pins (Chrome drops those to avoid loops).
TEST_F(PinVerifierTest, ReportsAreNotSentToTheFailingHostItself) {
  auto loop = ServeA("loop.example");
  auto alias = ServeA("alias.example");
  SSL_CTX* ctx = ClientCtx(Verifier(BaseOptions()));
  const Outcome self = Connect(ctx, loop->port(), "loop.example");
  EXPECT_FALSE(self.connected);
  ASSERT_TRUE(self.record.has_value());
  EXPECT_EQ(self.record->outcome, CheckOutcome::kViolation);
  EXPECT_EQ(self.record->report_uri, "https://loop.example/pkp");
  EXPECT_FALSE(self.record->report_json.empty());
  EXPECT_FALSE(self.record->report_sent);
  const Outcome same_pins = Connect(ctx, alias->port(), "alias.example");
  EXPECT_FALSE(same_pins.connected);
  ASSERT_TRUE(same_pins.record.has_value());
  EXPECT_FALSE(same_pins.record->report_sent);
  EXPECT_TRUE(sink_.reports.empty());
}

}  // namespace
}  // namespace pinbake
