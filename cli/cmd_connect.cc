// `pinbake connect`: a real TLS handshake with the pin verifier installed
// (runtime/openssl/pin_verifier.h), printing the check (text, or JSON with
// --json) with the expected pins and the chain's pins and subjects.

#include <arpa/inet.h>
#include <netdb.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cli/check_result_json.h"
#include "cli/cli_common.h"
#include "runtime/idn_host.h"
#include "cli/command_line.h"
#include "cli/live_chain.h"
#include "cli/pin_report.h"
#include "cli/release_inputs.h"
#include "cli/subcommand.h"
#include "compiler/file_util.h"
#include "runtime/cert_util.h"
#include "runtime/openssl/pin_verifier.h"
#include "runtime/openssl_error.h"

namespace pinbake {
namespace cli {
namespace {


constexpr char kConnectHelp[] =
    R"(pinbake connect HOST:PORT --table TABLE.pinb [options] [--json]

Connects to HOST:PORT over TCP, makes a TLS handshake with OpenSSL's
certificate verification and then pinbake's pin check on the verified chain
(docs/openssl.md), and prints the handshake, the result (not-pinned, ok,
violation, bypassed, stale, invalid-host), the pinned keys of the host's
pinset and, for each certificate of the verified chain, its pin and
subject (as OkHttp's pinning failure message does; see pinbake check).
With --json, one JSON object: address, servername, handshake, tls_version,
verify_result (OpenSSL's code and message), host, canonical, result,
allowed, would_fail, bad_pin_found, known_root, rule, pin_mode, pinset,
report_uri, pins, bad_pins, chain (the verified chain's sha256/ pins, leaf
first), served_chain, summary, expected_pins, blocked_pins,
chain_certificates, error.

Exit codes: 0 the handshake succeeded; 1 pinning refused it; 2 any other
error (connection, certificate verification, bad arguments).

  --table FILE              The pin table (required).
  --ca FILE.pem             Also trust these roots, as roots the application
                            ships: pins are enforced on chains to them, as on
                            the system's default roots (always trusted).
  --local-ca FILE.pem       Also trust these roots, as roots a user or
                            administrator installed locally (a TLS proxy, a
                            debugging tool): a pin mismatch on a chain to one
                            of them is "bypassed" unless --no-bypass.
  --servername NAME         Name for SNI, certificate host check and pins
                            (default: HOST, unless it is an IP address).
  --no-bypass               Enforce pins on chains to --local-ca roots too.
  --report                  Add "report": the RFC 7469 report (null when
                            the chain passes its pinset).
  --now T                   Time for the list's staleness (RFC 3339 or unix
                            seconds); OpenSSL's own checks use the clock.
  --fail-closed-when-stale  Keep enforcing a stale list as if fresh.
  --save-chain FILE         Write the chain the server presented (PEM, leaf
                            first; the verified chain, leaf to root, when
                            OpenSSL verified it) to FILE atomically, for
                            pinbake lint --chain HOST=FILE.
  --names LIST.json         Name the pins with the key names of the JSON
                            list the table was compiled from ("keys",
                            pem_file keys; --names-pins FILE for its .pins).
  --json                    One JSON object instead of text.
)";


Json StringOrNull(const std::string& s) {
  return s.empty() ? Json(nullptr) : Json(s);
}

std::optional<std::string> NonEmpty(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

// The shared check keys of the verifier's record (known_root included).
CheckResultView CheckResultViewOf(const PinCheckRecord& record) {
  CheckResultView view;
  view.host = record.host;
  view.canonical = NonEmpty(record.canonical);
  view.outcome = record.outcome;
  view.allowed = record.allowed;
  view.would_fail = record.would_fail;
  view.bad_pin_found = record.bad_pin_found;
  view.known_root = record.is_issued_by_known_root;
  view.pin_entry = NonEmpty(record.rule);
  if (record.pinned) view.pin_mode = record.pin_mode;
  view.pinset = NonEmpty(record.pinset);
  view.report_uri = NonEmpty(record.report_uri);
  return view;
}

struct SslDeleter {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};

// What the command line asks for: where to connect and how to check.
struct ConnectRequest {
  std::string host;
  int port = 0;
  std::string servername;  // Empty: none (HOST is an IP address).
  std::string table_path;
  PinVerifierOptions options;
};

// Reads connect's arguments and the --ca/--local-ca files. kExitOk, or the
// exit code after printing why.
int ParseConnectRequest(const ParsedArgs& parsed, ConnectRequest* request) {
  if (!SplitHostPort(parsed.positional[0], &request->host, &request->port)) {
    return UsageError(absl::StrCat("not HOST:PORT: ", parsed.positional[0]),
                      kConnectHelp);
  }
  request->host = HostForLookup(request->host);  // U-labels: SNI, lookup.
  request->table_path = *parsed.Value("--table");
  request->servername = HostForLookup(  // U-labels: SNI, lookup.
      parsed.Value("--servername")
          .value_or(IsIpLiteral(request->host) ? std::string()
                                               : request->host));
  PinVerifierOptions& options = request->options;
  options.policy.allow_local_root_bypass = !parsed.Has("--no-bypass");
  options.policy.fail_closed_when_stale =
      parsed.Has("--fail-closed-when-stale");
  if (std::optional<std::string> t = parsed.Value("--now")) {
    std::optional<absl::Time> now = ParseTimeArgument(*t);
    if (!now) return UsageError("--now: not a time", kConnectHelp);
    options.clock = [now = *now] { return now; };
  }
  for (const char* flag : {"--ca", "--local-ca"}) {
    std::optional<std::string> ca = parsed.Value(flag);
    if (!ca) continue;
    absl::StatusOr<std::string> pem = ReadFileToString(*ca);
    if (!pem.ok()) {
      std::cerr << "pinbake: " << flag << ": " << pem.status().message()
                << "\n";
      return kExitError;
    }
    absl::StatusOr<std::vector<std::string>> ders =
        ParsePemCertificateChain(*pem);
    if (!ders.ok()) {
      std::cerr << "pinbake: " << flag << " " << *ca << ": "
                << ders.status().message() << "\n";
      return kExitError;
    }
    (std::string(flag) == "--ca" ? options.app_roots : options.local_roots) =
        *std::move(ders);
  }
  return kExitOk;
}

// The handshake's outcome as printed: TLS keys around the pin check.
Json ConnectResultJson(SSL* ssl, bool connected, const std::string& address,
                       const std::string& servername,
                       const std::string& tls_error, long verify_result,
                       const PinCheckRecord* record, bool with_report) {
  Json out;
  out["address"] = address;
  out["servername"] = StringOrNull(servername);
  out["handshake"] = connected ? "ok" : "failed";
  out["tls_version"] = connected ? Json(SSL_get_version(ssl)) : Json(nullptr);
  out["verify_result"] = {
      {"code", verify_result},
      {"message", X509_verify_cert_error_string(verify_result)}};
  if (record != nullptr) {
    AppendCheckResultJson(CheckResultViewOf(*record), &out);
    out["pins"] = PinArrayJson(record->good_pins);
    out["bad_pins"] = PinArrayJson(record->bad_pins);
    out["chain"] = PinArrayJson(record->chain);
    std::vector<SpkiHash> served;
    for (const std::string& der : record->served_chain_der) {
      absl::StatusOr<SpkiHash> h = SpkiHashOfDerCertificate(der);
      if (h.ok()) served.push_back(*h);
    }
    out["served_chain"] = PinArrayJson(served);
    out["summary"] = record->Summary();
  } else {
    out["host"] = StringOrNull(servername);
    out["result"] = nullptr;
    out["allowed"] = false;
  }
  out["error"] = record != nullptr && !record->error.empty()
                     ? Json(record->error)
                     : StringOrNull(tls_error);
  if (with_report) {
    out["report"] = record != nullptr && !record->report_json.empty()
                        ? Json::parse(record->report_json)
                        : Json(nullptr);
  }
  return out;
}

// Writes the record's verified chain (else the served one) to `path` as
// PEM. kExitOk, or kExitError after printing why.
int SaveChain(const std::string& path, const PinCheckRecord* record) {
  if (record == nullptr || (record->validated_chain_der.empty() &&
                            record->served_chain_der.empty())) {
    return InputError("--save-chain: the server presented no chain");
  }
  absl::StatusOr<std::string> pem =
      CertificatesToPem(record->validated_chain_der.empty()
                            ? record->served_chain_der
                            : record->validated_chain_der);
  if (!pem.ok()) return InputError(absl::StrCat("--save-chain: ", pem.status().message()));
  absl::Status written = WriteFileAtomically(path, *pem);
  if (!written.ok()) return InputError(written.message());
  return kExitOk;
}

int RunConnect(const ParsedArgs& parsed) {
  ConnectRequest request;
  if (int code = ParseConnectRequest(parsed, &request); code != kExitOk) {
    return code;
  }
  const std::string& host = request.host;
  const std::string& servername = request.servername;
  absl::StatusOr<std::string> table = ReadFileToString(request.table_path);
  if (!table.ok()) return InputError(table.status().message());
  absl::StatusOr<std::shared_ptr<const PinVerifier>> verifier =
      PinVerifier::Create(*std::move(table), std::move(request.options));
  if (!verifier.ok()) {
    std::cerr << "pinbake: " << request.table_path << ": "
              << verifier.status().message() << "\n";
    return kExitError;
  }

  signal(SIGPIPE, SIG_IGN);  // A peer may close while we write.
  std::unique_ptr<SSL_CTX, SslDeleter> ctx(SSL_CTX_new(TLS_client_method()));
  if (ctx == nullptr || SSL_CTX_set_default_verify_paths(ctx.get()) != 1) {
    std::cerr << "pinbake: OpenSSL setup failed: " << DrainOpenSslErrors() << "\n";
    return kExitError;
  }
  absl::Status installed = InstallPinVerifier(ctx.get(), *verifier);
  if (!installed.ok()) {
    std::cerr << "pinbake: " << installed.message() << "\n";
    return kExitError;
  }

  std::string address;
  std::string error;
  const int fd = ConnectTcp(host, request.port, &address, &error);
  if (fd < 0) {
    std::cerr << "pinbake: " << error << "\n";
    return kExitError;
  }
  std::unique_ptr<SSL, SslDeleter> ssl(SSL_new(ctx.get()));
  bool setup_ok = ssl != nullptr && SSL_set_fd(ssl.get(), fd) == 1;
  if (setup_ok && !servername.empty()) {
    setup_ok = SSL_set_tlsext_host_name(ssl.get(), servername.c_str()) == 1 &&
               SSL_set1_host(ssl.get(), servername.c_str()) == 1;
  } else if (setup_ok) {
    setup_ok = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl.get()),
                                             host.c_str()) == 1;
  }
  if (!setup_ok) {
    std::cerr << "pinbake: OpenSSL setup failed: " << DrainOpenSslErrors() << "\n";
    close(fd);
    return kExitError;
  }
  const bool connected = SSL_connect(ssl.get()) == 1;
  const std::string tls_error = connected ? "" : DrainOpenSslErrors();
  const long verify_result = SSL_get_verify_result(ssl.get());
  const PinCheckRecord* record = GetPinCheckRecord(ssl.get());

  PinReport pins;
  if (record != nullptr) {
    pins.result = CheckResultViewOf(*record);
    pins.good_pins = record->good_pins;
    pins.bad_pins = record->bad_pins;
    absl::StatusOr<std::vector<ChainCertificate>> certificates =
        DescribeChain(record->validated_chain_der.empty()
                          ? record->served_chain_der
                          : record->validated_chain_der);
    if (certificates.ok()) pins.chain = *std::move(certificates);
  }
  KeyNames key_names;
  if (std::optional<std::string> names = parsed.Value("--names")) {
    absl::StatusOr<KeyNames> loaded =
        LoadKeyNames(*names, parsed.Value("--names-pins").value_or(""));
    if (!loaded.ok()) return InputError(loaded.status().message());
    key_names = *std::move(loaded);
    pins.key_names = &key_names;
  }
  if (parsed.Has("--json")) {
    Json out = ConnectResultJson(ssl.get(), connected, address, servername,
                                 tls_error, verify_result, record,
                                 parsed.Has("--report"));
    if (record != nullptr) AppendPinReportJson(pins, &out);
    std::cout << DumpPretty(out) << "\n";
  } else {
    std::cout << "connected to " << address << ": TLS handshake "
              << (connected ? absl::StrCat("ok (", SSL_get_version(ssl.get()), ")")
                            : std::string("failed"))
              << ", certificate verification: "
              << X509_verify_cert_error_string(verify_result) << "\n";
    if (record != nullptr) std::cout << PinReportText(pins);
  }
  if (std::optional<std::string> path = parsed.Value("--save-chain")) {
    if (int code = SaveChain(*path, record); code != kExitOk) return code;
  }

  // The record lives in the SSL's ex_data: read what is needed before the
  // SSL is freed.
  const bool have_record = record != nullptr;
  const bool record_allowed = have_record && record->allowed;
  const std::string record_summary = have_record ? record->Summary() : "";
  record = nullptr;
  if (connected) SSL_shutdown(ssl.get());
  ssl.reset();
  close(fd);

  if (connected && have_record && record_allowed) return kExitOk;
  if (!connected && have_record && !record_allowed) {
    std::cerr << "pinbake: " << record_summary << "\n";
    return kExitRefused;
  }
  if (!connected) {
    std::cerr << "pinbake: TLS handshake with " << address << " failed: "
              << (verify_result != X509_V_OK
                      ? X509_verify_cert_error_string(verify_result)
                      : tls_error.c_str())
              << "\n";
  } else {
    std::cerr << "pinbake: the pin check did not run\n";
  }
  return kExitError;
}

}  // namespace

const Subcommand kConnectCommand = {
    "connect",
    R"(pinbake connect HOST:PORT --table TABLE.pinb [--ca FILE.pem] [--local-ca FILE.pem]
                [--servername NAME] [--no-bypass] [--report] [--now T]
                [--fail-closed-when-stale] [--save-chain FILE]
                [--names LIST.json [--names-pins F]] [--json])",
    kConnectHelp,
    {{"--no-bypass", "--report", "--fail-closed-when-stale", "--json"},
     {"--table", "--ca", "--local-ca", "--servername", "--now",
      "--save-chain", "--names", "--names-pins"}},
    1,
    1,
    {"--table"},
    "connect needs one HOST:PORT and --table TABLE.pinb",
    RunConnect,
};

}  // namespace cli
}  // namespace pinbake
