#include "runtime/openssl/pin_verifier.h"

#include <openssl/err.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/cert_util.h"

namespace pinbake {

struct PinVerifier::Anchor {
  X509* x509 = nullptr;  // Owned.
  SpkiHash spki;
  bool application = false;  // false: a public root.
};

namespace {

// Per-connection state kept in SSL ex_data.
struct SslState {
  // Set by InstallPinVerifier(SSL*); null when the SSL_CTX's verifier runs.
  std::shared_ptr<const PinVerifier> verifier;
  // The verify callback that was set before ours (per-SSL install).
  SSL_verify_cb previous_callback = nullptr;
  std::unique_ptr<PinCheckRecord> record;
};

using VerifierRef = std::shared_ptr<const PinVerifier>;

void FreeSslState(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<SslState*>(ptr);
}

// SSL_dup copies ex_data pointers; give the copy its own state.
int DupSslState(CRYPTO_EX_DATA*, const CRYPTO_EX_DATA*, void** from_d, int,
                long, void*) {
  const SslState* from = static_cast<const SslState*>(*from_d);
  if (from == nullptr) return 1;
  auto* copy = new SslState;
  copy->verifier = from->verifier;
  copy->previous_callback = from->previous_callback;
  if (from->record) copy->record = std::make_unique<PinCheckRecord>(*from->record);
  *from_d = copy;
  return 1;
}

void FreeCtxVerifier(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<VerifierRef*>(ptr);
}

int SslStateIndex() {
  static const int index =
      SSL_get_ex_new_index(0, nullptr, nullptr, DupSslState, FreeSslState);
  return index;
}

int CtxVerifierIndex() {
  static const int index =
      SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, FreeCtxVerifier);
  return index;
}

SslState* GetSslState(const SSL* ssl) {
  return static_cast<SslState*>(SSL_get_ex_data(ssl, SslStateIndex()));
}

SslState* MutableSslState(SSL* ssl) {
  SslState* state = GetSslState(ssl);
  if (state != nullptr) return state;
  state = new SslState;
  if (SSL_set_ex_data(ssl, SslStateIndex(), state) != 1) {
    delete state;
    return nullptr;
  }
  return state;
}

const PinVerifier* CtxVerifier(const SSL_CTX* ctx) {
  auto* ref =
      static_cast<VerifierRef*>(SSL_CTX_get_ex_data(ctx, CtxVerifierIndex()));
  return ref != nullptr ? ref->get() : nullptr;
}

SSL* SslOfStoreCtx(X509_STORE_CTX* store_ctx) {
  return static_cast<SSL*>(X509_STORE_CTX_get_ex_data(
      store_ctx, SSL_get_ex_data_X509_STORE_CTX_idx()));
}

std::string DerOf(X509* cert) {
  unsigned char* buf = nullptr;
  const int len = i2d_X509(cert, &buf);
  if (len <= 0) return "";
  std::string der(reinterpret_cast<const char*>(buf), static_cast<size_t>(len));
  OPENSSL_free(buf);
  return der;
}

std::vector<std::string> DersOf(STACK_OF(X509) * certs) {
  std::vector<std::string> out;
  if (certs == nullptr) return out;
  for (int i = 0; i < sk_X509_num(certs); ++i) {
    out.push_back(DerOf(sk_X509_value(certs, i)));
  }
  return out;
}

// SNI, else the first host given with SSL_set1_host, else "".
std::string HostOf(SSL* ssl) {
  const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (sni != nullptr && *sni != '\0') return sni;
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  const char* host =
      param != nullptr ? X509_VERIFY_PARAM_get0_host(param, 0) : nullptr;
  return host != nullptr ? host : "";
}

// The peer's TCP port, or 443 when the SSL is not on a socket.
int PeerPort(SSL* ssl) {
  const int fd = SSL_get_fd(ssl);
  if (fd < 0) return 443;
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return 443;
  }
  if (addr.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  }
  if (addr.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
  }
  return 443;
}

// Whether the application should hear about `record` through on_result.
bool IsNotable(const PinCheckRecord& record) {
  if (record.outcome == CheckOutcome::kNotPinned) return false;
  return !(record.outcome == CheckOutcome::kOk && !record.would_fail);
}

std::string JoinPins(const std::vector<SpkiHash>& pins) {
  return absl::StrJoin(pins, ", ", [](std::string* out, const SpkiHash& h) {
    out->append(SpkiHashToString(h));
  });
}

// The check proper, shared by both hooks and PinVerifier::Check. Returns
// the record and, when the chain fails a pinned host's pinset, the report
// content.
PinCheckRecord CheckWithReport(const PinVerifier& verifier,
                               absl::string_view host, int port,
                               STACK_OF(X509) * verified,
                               STACK_OF(X509) * served,
                               std::optional<PkpReport>* report) {
  PinCheckRecord record;
  record.host = std::string(host);
  record.port = port;
  record.validated_chain_der = DersOf(verified);
  record.served_chain_der = DersOf(served);
  for (size_t i = 0; i < record.validated_chain_der.size(); ++i) {
    absl::StatusOr<SpkiHash> hash =
        SpkiHashOfDerCertificate(record.validated_chain_der[i]);
    if (!hash.ok()) {
      // Cannot happen for a chain OpenSSL verified; refuse to be safe.
      record.outcome = CheckOutcome::kViolation;
      record.allowed = false;
      record.error = absl::StrCat("verified chain certificate ", i, ": ",
                                  hash.status().message());
      return record;
    }
    record.chain.push_back(*hash);
  }
  const int n = verified != nullptr ? sk_X509_num(verified) : 0;
  record.is_issued_by_known_root =
      n == 0 || verifier.IsKnownRoot(sk_X509_value(verified, n - 1));
  const absl::Time now =
      verifier.options().clock ? verifier.options().clock() : absl::Now();
  const ChainCheckResult r =
      CheckChain(verifier.list(), host, record.chain,
                 record.is_issued_by_known_root, now, verifier.options().policy);
  record.outcome = r.outcome;
  record.allowed = r.allowed;
  record.would_fail = r.would_fail;
  record.bad_pin_found = r.bad_pin_found;
  record.pinned = r.lookup.pinned();
  if (r.lookup.valid()) {
    record.canonical = std::string(r.lookup.canonical.view());
  } else {
    record.error = host.empty()
                       ? "no host name: set SNI (SSL_set_tlsext_host_name) or "
                         "SSL_set1_host"
                       : absl::StrCat("invalid host: ",
                                      HostErrorName(r.lookup.error));
  }
  if (r.lookup.pin_rule.has_value()) {
    record.rule = r.lookup.PinRuleName();
    record.pin_mode = r.lookup.pin_rule->pin_mode;
  }
  if (r.pinset.has_value()) {
    record.pinset = std::string(r.pinset->name());
    record.report_uri = std::string(r.pinset->report_uri());
    for (size_t i = 0; i < r.pinset->good_count(); ++i) {
      record.good_pins.push_back(r.pinset->good(i));
    }
    for (size_t i = 0; i < r.pinset->bad_count(); ++i) {
      record.bad_pins.push_back(r.pinset->bad(i));
    }
  }
  if (r.would_fail) {
    std::optional<PkpReport> built =
        MakePkpReport(r, verifier.list(), port, now, record.served_chain_der,
                      record.validated_chain_der);
    if (built.has_value()) {
      record.report_json = PkpReportToJson(*built);
      if (report != nullptr) *report = std::move(built);
    }
  }
  return record;
}

// Runs the check for the connection `ssl` on the verified chain of
// `store_ctx`, keeps the record, delivers report and callback. Returns 1 to
// let the handshake continue, 0 to fail it.
int RunPinCheck(SSL* ssl, const PinVerifier& verifier,
                X509_STORE_CTX* store_ctx) {
  SslState* state = MutableSslState(ssl);
  if (state == nullptr) {
    X509_STORE_CTX_set_error(store_ctx, X509_V_ERR_OUT_OF_MEM);
    return 0;
  }
  std::optional<PkpReport> report;
  auto record = std::make_unique<PinCheckRecord>(CheckWithReport(
      verifier, HostOf(ssl), PeerPort(ssl), X509_STORE_CTX_get0_chain(store_ctx),
      X509_STORE_CTX_get0_untrusted(store_ctx), &report));
  const bool reportable =
      record->outcome == CheckOutcome::kViolation ||
      (record->outcome == CheckOutcome::kOk && record->would_fail);
  if (reportable && report.has_value() && !record->report_uri.empty() &&
      verifier.options().reporter != nullptr) {
    record->report_sent =
        verifier.options().reporter->Report(record->report_uri, *report);
  }
  state->record = std::move(record);
  const PinCheckRecord& kept = *state->record;
  if (verifier.options().on_result && IsNotable(kept)) {
    verifier.options().on_result(ssl, kept);
  }
  if (!kept.allowed) {
    X509_STORE_CTX_set_error(store_ctx, X509_V_ERR_APPLICATION_VERIFICATION);
    return 0;
  }
  return 1;
}

// SSL_CTX hook: OpenSSL's whole verification first, then the pins.
int CertVerifyCallback(X509_STORE_CTX* store_ctx, void* /*arg*/) {
  SSL* ssl = SslOfStoreCtx(store_ctx);
  SslState* state = ssl != nullptr ? GetSslState(ssl) : nullptr;
  if (state != nullptr && !state->verifier) state->record.reset();
  const int ok = X509_verify_cert(store_ctx);
  if (ok <= 0 || ssl == nullptr) return ok;
  // A verifier installed into the SSL itself runs from its verify callback.
  if (state != nullptr && state->verifier) return ok;
  const PinVerifier* verifier = CtxVerifier(SSL_get_SSL_CTX(ssl));
  if (verifier == nullptr) return ok;
  return RunPinCheck(ssl, *verifier, store_ctx);
}

// SSL hook: the previous verify callback decides first; the pins are
// checked when OpenSSL signals the whole chain valid at depth 0.
int SslVerifyCallback(int preverify_ok, X509_STORE_CTX* store_ctx) {
  SSL* ssl = SslOfStoreCtx(store_ctx);
  SslState* state = ssl != nullptr ? GetSslState(ssl) : nullptr;
  if (state == nullptr || !state->verifier) return preverify_ok;
  const int ok = state->previous_callback != nullptr
                     ? state->previous_callback(preverify_ok, store_ctx)
                     : preverify_ok;
  if (!ok || !preverify_ok || X509_STORE_CTX_get_error_depth(store_ctx) != 0) {
    return ok;
  }
  return RunPinCheck(ssl, *state->verifier, store_ctx);
}

}  // namespace

std::string PinCheckRecord::Summary() const {
  const std::string who = canonical.empty() ? host : canonical;
  switch (outcome) {
    case CheckOutcome::kViolation:
      if (!error.empty()) return absl::StrCat("pin check failed: ", error);
      return absl::StrCat(
          "pin violation for ", who, ":", port, ": pinset ", pinset, " (",
          JoinPins(good_pins), ")",
          bad_pin_found ? " has a blocked key in" : " not in",
          " verified chain (", JoinPins(chain), ")");
    case CheckOutcome::kInvalidHost:
      return absl::StrCat("pin check refused host \"", host, "\": ", error);
    default:
      return absl::StrCat("pin check for ", who, ":", port, ": ",
                          CheckOutcomeName(outcome),
                          would_fail ? " (chain fails pinset " : "",
                          would_fail ? pinset : "", would_fail ? ")" : "");
  }
}

PinVerifier::~PinVerifier() {
  for (Anchor& a : anchors_) X509_free(a.x509);
}

absl::StatusOr<std::shared_ptr<const PinVerifier>> PinVerifier::Create(
    std::string table_bytes, PinVerifierOptions options) {
  std::shared_ptr<PinVerifier> v(new PinVerifier);
  v->bytes_ = std::move(table_bytes);
  absl::StatusOr<PinList> list = PinList::FromBytes(v->bytes_);
  if (!list.ok()) return list.status();
  v->list_.emplace(*list);
  auto add = [&](const std::vector<std::string>& ders, bool application,
                 const char* what) -> absl::Status {
    for (size_t i = 0; i < ders.size(); ++i) {
      absl::StatusOr<SpkiHash> hash = SpkiHashOfDerCertificate(ders[i]);
      if (!hash.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(what, "[", i, "]: ", hash.status().message()));
      }
      for (const Anchor& a : v->anchors_) {
        if (a.spki == *hash && a.application != application) {
          return absl::InvalidArgumentError(absl::StrCat(
              what, "[", i, "]: key ", SpkiHashToString(*hash),
              " is both an application anchor and a public root"));
        }
      }
      const unsigned char* p =
          reinterpret_cast<const unsigned char*>(ders[i].data());
      X509* x509 = d2i_X509(nullptr, &p, static_cast<long>(ders[i].size()));
      if (x509 == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat(what, "[", i, "]: not a certificate"));
      }
      v->anchors_.push_back(Anchor{x509, *hash, application});
    }
    return absl::OkStatus();
  };
  absl::Status s =
      add(options.application_anchors, true, "application_anchors");
  if (s.ok()) s = add(options.public_roots, false, "public_roots");
  if (!s.ok()) return s;
  v->options_ = std::move(options);
  return std::shared_ptr<const PinVerifier>(std::move(v));
}

bool PinVerifier::IsKnownRoot(X509* anchor) const {
  if (anchor == nullptr) return true;
  absl::StatusOr<SpkiHash> hash = SpkiHashOfDerCertificate(DerOf(anchor));
  if (!hash.ok()) return true;  // Enforce: the strict side.
  for (const Anchor& a : anchors_) {
    if (a.application && a.spki == *hash) return false;
  }
  return true;
}

PinCheckRecord PinVerifier::Check(absl::string_view host, int port,
                                  STACK_OF(X509) * verified,
                                  STACK_OF(X509) * served) const {
  return CheckWithReport(*this, host, port, verified, served, nullptr);
}

absl::Status PinVerifier::AddAnchorsToStore(X509_STORE* store) const {
  for (const Anchor& a : anchors_) {
    if (X509_STORE_add_cert(store, a.x509) != 1) {
      const unsigned long err = ERR_get_error();
      char buf[256];
      ERR_error_string_n(err, buf, sizeof(buf));
      return absl::InternalError(
          absl::StrCat("X509_STORE_add_cert failed: ", buf));
    }
  }
  return absl::OkStatus();
}

absl::Status InstallPinVerifier(SSL_CTX* ctx,
                                std::shared_ptr<const PinVerifier> verifier) {
  if (ctx == nullptr || verifier == nullptr) {
    return absl::InvalidArgumentError("null SSL_CTX or verifier");
  }
  absl::Status added = verifier->AddAnchorsToStore(SSL_CTX_get_cert_store(ctx));
  if (!added.ok()) return added;
  auto* ref = new VerifierRef(std::move(verifier));
  auto* old =
      static_cast<VerifierRef*>(SSL_CTX_get_ex_data(ctx, CtxVerifierIndex()));
  if (SSL_CTX_set_ex_data(ctx, CtxVerifierIndex(), ref) != 1) {
    delete ref;
    return absl::InternalError("SSL_CTX_set_ex_data failed");
  }
  delete old;
  SSL_CTX_set_cert_verify_callback(ctx, CertVerifyCallback, nullptr);
  SSL_CTX_set_verify(ctx, SSL_CTX_get_verify_mode(ctx) | SSL_VERIFY_PEER,
                     SSL_CTX_get_verify_callback(ctx));
  return absl::OkStatus();
}

absl::Status InstallPinVerifier(SSL* ssl,
                                std::shared_ptr<const PinVerifier> verifier) {
  if (ssl == nullptr || verifier == nullptr) {
    return absl::InvalidArgumentError("null SSL or verifier");
  }
  SslState* state = MutableSslState(ssl);
  if (state == nullptr) return absl::InternalError("SSL_set_ex_data failed");
  const SSL_verify_cb current = SSL_get_verify_callback(ssl);
  if (current != SslVerifyCallback) state->previous_callback = current;
  state->verifier = std::move(verifier);
  SSL_set_verify(ssl, SSL_get_verify_mode(ssl) | SSL_VERIFY_PEER,
                 SslVerifyCallback);
  return absl::OkStatus();
}

const PinCheckRecord* GetPinCheckRecord(const SSL* ssl) {
  if (ssl == nullptr) return nullptr;
  const SslState* state = GetSslState(ssl);
  return state != nullptr ? state->record.get() : nullptr;
}

}  // namespace pinbake
