#include "runtime/openssl/pin_verifier.h"

#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>

#include <atomic>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/cert_util.h"
#include "format/host_name.h"

namespace pinbake {

struct PinVerifier::Anchor {
  X509* x509 = nullptr;  // Owned.
  SpkiHash spki;
  bool local = false;  // false: a root the application ships.
};

namespace {

// A TLS extension type that OpenSSL does not implement, registered as a
// ClientHello custom extension only for its add callback (our hook at the
// start of every ClientHello). The callback never adds it: it is never on
// the wire, and a server that sends it back is refused by OpenSSL as an
// unsolicited extension.
constexpr unsigned int kClientHelloHookExtension = 0xfd7b;

// What a check that let a connection through keeps with its SSL_SESSION,
// so that a resumption can be checked again (SSL_SESSION ex_data).
struct SessionPinData {
  std::vector<std::string> names;  // Canonical (or as given).
  int port = 443;
  // SPKI hashes of the verified chain, leaf to anchor. Neither whether the
  // anchor is a local root nor which names the leaf matched is kept: a
  // resumption check decides both again, with the checking verifier's
  // local roots and the connection's current names (validated_chain_der).
  std::vector<SpkiHash> chain;
  int verify_error_count = 0;
  int first_verify_error = X509_V_OK;
  int first_verify_error_depth = -1;
  std::vector<std::string> validated_chain_der;
};

// Per-connection state kept in SSL ex_data.
struct SslState {
  // Set by InstallPinVerifier(SSL*); null when the SSL_CTX's verifier runs.
  std::shared_ptr<const PinVerifier> verifier;
  // The verify and info callbacks that were set before ours (per-SSL
  // install).
  SSL_verify_cb previous_callback = nullptr;
  void (*previous_info_callback)(const SSL*, int, int) = nullptr;
  std::unique_ptr<PinCheckRecord> record;
  // Verification errors seen in the current handshake.
  int verify_error_count = 0;
  int first_verify_error = X509_V_OK;
  int first_verify_error_depth = -1;

  void StartHandshake() {
    record.reset();
    verify_error_count = 0;
    first_verify_error = X509_V_OK;
    first_verify_error_depth = -1;
  }
  void NoteError(int error, int depth) {
    if (verify_error_count++ == 0) {
      first_verify_error = error;
      first_verify_error_depth = depth;
    }
  }
};

// The verifier of an SSL_CTX. Read with std::atomic_load and replaced with
// std::atomic_store, so that InstallPinVerifier may run while handshakes
// hold the previous verifier.
struct CtxSlot {
  std::shared_ptr<const PinVerifier> verifier;
};

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
  copy->previous_info_callback = from->previous_info_callback;
  if (from->record) copy->record = std::make_unique<PinCheckRecord>(*from->record);
  *from_d = copy;
  return 1;
}

void FreeSessionData(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<SessionPinData*>(ptr);
}

// Sessions are copied for TLS 1.3 tickets (ssl_session_dup): so is the data.
int DupSessionData(CRYPTO_EX_DATA*, const CRYPTO_EX_DATA*, void** from_d, int,
                   long, void*) {
  const auto* from = static_cast<const SessionPinData*>(*from_d);
  if (from != nullptr) *from_d = new SessionPinData(*from);
  return 1;
}

void FreeCtxSlot(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<CtxSlot*>(ptr);
}

int SslStateIndex() {
  static const int index =
      SSL_get_ex_new_index(0, nullptr, nullptr, DupSslState, FreeSslState);
  return index;
}

int SessionDataIndex() {
  static const int index = SSL_SESSION_get_ex_new_index(
      0, nullptr, nullptr, DupSessionData, FreeSessionData);
  return index;
}

int CtxSlotIndex() {
  static const int index =
      SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, FreeCtxSlot);
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

const SessionPinData* GetSessionData(const SSL_SESSION* session) {
  return static_cast<const SessionPinData*>(
      SSL_SESSION_get_ex_data(session, SessionDataIndex()));
}

void SetSessionData(SSL_SESSION* session, SessionPinData data) {
  auto* copy = new SessionPinData(std::move(data));
  auto* old = static_cast<SessionPinData*>(
      SSL_SESSION_get_ex_data(session, SessionDataIndex()));
  if (SSL_SESSION_set_ex_data(session, SessionDataIndex(), copy) != 1) {
    delete copy;  // The session keeps no data: its resumption is refused.
    return;
  }
  delete old;
}

std::shared_ptr<const PinVerifier> CtxVerifier(const SSL_CTX* ctx) {
  auto* slot = static_cast<CtxSlot*>(SSL_CTX_get_ex_data(ctx, CtxSlotIndex()));
  return slot != nullptr ? std::atomic_load(&slot->verifier) : nullptr;
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

// The names of a connection: SNI and the names for OpenSSL's host check.
struct ConnectionNames {
  std::string sni;
  std::vector<std::string> configured;  // SSL_set1_host / SSL_add1_host.
};

ConnectionNames NamesOf(SSL* ssl, const X509_VERIFY_PARAM* param) {
  ConnectionNames names;
  const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (sni != nullptr) names.sni = sni;
  if (param != nullptr) {
    for (int i = 0;; ++i) {
      const char* host =
          X509_VERIFY_PARAM_get0_host(const_cast<X509_VERIFY_PARAM*>(param), i);
      if (host == nullptr) break;
      names.configured.push_back(host);
    }
  }
  return names;
}

// The canonical form of `name`, or `name` itself when it is not valid.
std::string CanonicalOrAsIs(absl::string_view name) {
  CanonicalHost host;
  if (CanonicalizeHost(name, &host) != HostError::kNone) {
    return std::string(name);
  }
  return std::string(host.view());
}

// The names to check, in order and without repeats (by canonical form):
// SNI, then every configured name; [""] when there is none.
std::vector<std::string> NamesToCheck(const ConnectionNames& names) {
  std::vector<std::string> out;
  std::vector<std::string> seen;
  auto add = [&](const std::string& name) {
    if (name.empty()) return;
    const std::string canonical = CanonicalOrAsIs(name);
    for (const std::string& s : seen) {
      if (s == canonical) return;
    }
    seen.push_back(canonical);
    out.push_back(name);
  };
  add(names.sni);
  for (const std::string& name : names.configured) add(name);
  if (out.empty()) out.push_back("");
  return out;
}

std::vector<std::string> CanonicalNames(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const std::string& name : names) out.push_back(CanonicalOrAsIs(name));
  return out;
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
  if (record.outcome == CheckOutcome::kNotPinned && record.allowed) {
    return false;
  }
  return !(record.outcome == CheckOutcome::kOk && !record.would_fail &&
           record.allowed);
}

std::string JoinPins(const std::vector<SpkiHash>& pins) {
  return absl::StrJoin(pins, ", ", [](std::string* out, const SpkiHash& h) {
    out->append(SpkiHashToString(h));
  });
}

// What a check is made on, from a verified chain or from a session.
struct ChainFacts {
  std::vector<SpkiHash> chain;
  bool is_issued_by_known_root = true;
  std::vector<std::string> validated_chain_der;
  std::vector<std::string> served_chain_der;
  int verify_error_count = 0;
  int first_verify_error = X509_V_OK;
  int first_verify_error_depth = -1;
  // Whether SSL_set1_host names were given, and which the leaf matched.
  bool has_configured_names = false;
  std::vector<std::string> verified_names;
  // Without SSL_set1_host names (OpenSSL checked no name): whether the leaf
  // matches the SNI name (X509_check_host).
  bool sni_matches_leaf = false;
  std::string error;  // A chain certificate could not be read.
};

struct CheckOutput {
  PinCheckRecord record;
  std::optional<PkpReport> report;
  bool report_suppressed = false;
  bool any_pinned = false;
};

// Refuses `record` for `why` (a reason beyond the pins themselves).
void Refuse(PinCheckRecord* record, std::string why) {
  record->outcome = CheckOutcome::kViolation;
  record->allowed = false;
  if (record->error.empty()) {
    record->error = std::move(why);
  } else {
    record->error = absl::StrCat(why, "; ", record->error);
  }
}

// The check proper, shared by full handshakes, resumptions and
// PinVerifier::Check: CheckChain for every name in `names` on `facts`,
// against the verifier's current list.
CheckOutput CheckNames(const PinVerifier& verifier,
                       const std::vector<std::string>& names,
                       const std::string& sni, int port,
                       const ChainFacts& facts) {
  CheckOutput out;
  PinCheckRecord& record = out.record;
  record.names = names;
  record.verified_names = facts.verified_names;
  record.port = port;
  record.chain = facts.chain;
  record.is_issued_by_known_root = facts.is_issued_by_known_root;
  record.validated_chain_der = facts.validated_chain_der;
  record.served_chain_der = facts.served_chain_der;
  record.verify_error_count = facts.verify_error_count;
  record.first_verify_error = facts.first_verify_error;
  record.first_verify_error_depth = facts.first_verify_error_depth;
  if (!facts.error.empty()) {
    // Cannot happen for a chain OpenSSL verified; refuse to be safe.
    record.host = names.empty() ? "" : names[0];
    Refuse(&record, facts.error);
    return out;
  }
  // Held for the whole check: the list cannot go away under it.
  const std::shared_ptr<const LoadedList> list = verifier.CurrentList();
  record.list_version = list->table().list_version();
  const absl::Time now =
      verifier.options().clock ? verifier.options().clock() : absl::Now();

  std::vector<ChainCheckResult> results;
  results.reserve(names.size());
  size_t decisive = names.size();
  size_t first_pinned = names.size();
  for (size_t i = 0; i < names.size(); ++i) {
    results.push_back(CheckChain(list->list(), names[i], record.chain,
                                 record.is_issued_by_known_root, now,
                                 verifier.options().policy));
    if (!results[i].allowed && decisive == names.size()) decisive = i;
    if (results[i].lookup.pinned() && first_pinned == names.size()) {
      first_pinned = i;
    }
  }
  out.any_pinned = first_pinned != names.size();
  if (decisive == names.size()) decisive = out.any_pinned ? first_pinned : 0;
  const ChainCheckResult& r = results[decisive];
  const std::string& host = names[decisive];

  record.host = host;
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
  if (r.lookup.pinset.has_value()) {
    record.pinset = std::string(r.lookup.pinset->name());
    record.report_uri = std::string(r.lookup.pinset->report_uri());
    for (size_t i = 0; i < r.lookup.pinset->good_count(); ++i) {
      record.good_pins.push_back(r.lookup.pinset->good(i));
    }
    for (size_t i = 0; i < r.lookup.pinset->bad_count(); ++i) {
      record.bad_pins.push_back(r.lookup.pinset->bad(i));
    }
  }
  if (r.would_fail) {
    std::optional<PkpReport> built =
        MakePkpReport(r, list->list(), port, now, record.served_chain_der,
                      record.validated_chain_der);
    if (built.has_value()) {
      record.report_json = PkpReportToJson(*built);
      out.report = std::move(built);
      out.report_suppressed =
          ShouldSuppressPkpReport(list->list(), r, record.report_uri);
    }
  }

  // Pinned names need a clean chain and an authenticated name.
  if (record.allowed && out.any_pinned) {
    if (facts.verify_error_count > 0) {
      Refuse(&record,
             absl::StrCat(
                 "the chain had ", facts.verify_error_count,
                 " verification error(s) (first: ",
                 X509_verify_cert_error_string(facts.first_verify_error),
                 ", at depth ", facts.first_verify_error_depth,
                 ") that a verify callback or SSL_VERIFY_NONE let through; "
                 "a pinned host needs a chain without errors"));
    } else if (!sni.empty() && facts.has_configured_names) {
      const std::string sni_canonical = CanonicalOrAsIs(sni);
      bool verified = false;
      for (const std::string& name : facts.verified_names) {
        if (CanonicalOrAsIs(name) == sni_canonical) verified = true;
      }
      if (!verified) {
        Refuse(&record,
               absl::StrCat("SNI name \"", sni,
                            "\" is not a name the certificate was verified "
                            "for (",
                            absl::StrJoin(facts.verified_names, ", "),
                            "): pins are checked for the authenticated name"));
      }
    } else if (!sni.empty() && !facts.has_configured_names &&
               !facts.sni_matches_leaf) {
      Refuse(&record,
             absl::StrCat("SNI name \"", sni,
                          "\" is not a name of the certificate: without "
                          "SSL_set1_host OpenSSL checks no name, so a pinned "
                          "SNI name is checked against the leaf "
                          "(X509_check_host); set SSL_set1_host to the same "
                          "name"));
    }
  }
  return out;
}

// Keeps `out.record` on the connection, delivers the report and the
// on_result call. Returns whether the connection may proceed.
bool Deliver(SSL* ssl, SslState* state, const PinVerifier& verifier,
             CheckOutput out) {
  auto record = std::make_unique<PinCheckRecord>(std::move(out.record));
  const bool reportable =
      record->outcome == CheckOutcome::kViolation ||
      (record->outcome == CheckOutcome::kOk && record->would_fail);
  if (reportable && record->would_fail && out.report.has_value() &&
      !out.report_suppressed && !record->report_uri.empty() &&
      verifier.options().reporter != nullptr) {
    record->report_sent =
        verifier.options().reporter->Report(record->report_uri, *out.report);
  }
  state->record = std::move(record);
  const PinCheckRecord& kept = *state->record;
  if (verifier.options().on_result && IsNotable(kept)) {
    verifier.options().on_result(ssl, kept);
  }
  return kept.allowed;
}

// Makes OpenSSL act on a refusal whatever verify mode the application set:
// with SSL_VERIFY_NONE it would ignore a failed verification.
void ForcePeerVerification(SSL* ssl) {
  SSL_set_verify(ssl, SSL_get_verify_mode(ssl) | SSL_VERIFY_PEER,
                 SSL_get_verify_callback(ssl));
}

// Whether `leaf` is a certificate for `name` (X509_check_host with
// `flags`); false for a null leaf or an empty name.
bool LeafMatches(X509* leaf, const std::string& name, unsigned int flags) {
  return leaf != nullptr && !name.empty() &&
         X509_check_host(leaf, name.data(), name.size(), flags, nullptr) == 1;
}

// Which of the connection's names `leaf` is a certificate for, with the
// host flags of `param`: the SSL_set1_host names it matches (what OpenSSL
// authenticated) and whether it matches the SNI name.
void AddNameFacts(X509* leaf, const ConnectionNames& names,
                  const X509_VERIFY_PARAM* param, ChainFacts* facts) {
  const unsigned int flags =
      param != nullptr ? X509_VERIFY_PARAM_get_hostflags(param) : 0;
  facts->has_configured_names = !names.configured.empty();
  for (const std::string& name : names.configured) {
    if (LeafMatches(leaf, name, flags)) facts->verified_names.push_back(name);
  }
  facts->sni_matches_leaf = LeafMatches(leaf, names.sni, flags);
}

// Facts of the chain `store_ctx` verified for `ssl`.
ChainFacts FactsOfStoreCtx(const PinVerifier& verifier, const SslState& state,
                           X509_STORE_CTX* store_ctx,
                           const ConnectionNames& names) {
  ChainFacts facts;
  STACK_OF(X509)* verified = X509_STORE_CTX_get0_chain(store_ctx);
  facts.validated_chain_der = DersOf(verified);
  facts.served_chain_der = DersOf(X509_STORE_CTX_get0_untrusted(store_ctx));
  for (size_t i = 0; i < facts.validated_chain_der.size(); ++i) {
    absl::StatusOr<SpkiHash> hash =
        SpkiHashOfDerCertificate(facts.validated_chain_der[i]);
    if (!hash.ok()) {
      facts.error = absl::StrCat("verified chain certificate ", i, ": ",
                                 hash.status().message());
      return facts;
    }
    facts.chain.push_back(*hash);
  }
  const int n = verified != nullptr ? sk_X509_num(verified) : 0;
  facts.is_issued_by_known_root =
      n == 0 || verifier.IsKnownRoot(sk_X509_value(verified, n - 1));
  facts.verify_error_count = state.verify_error_count;
  facts.first_verify_error = state.first_verify_error;
  facts.first_verify_error_depth = state.first_verify_error_depth;
  AddNameFacts(n > 0 ? sk_X509_value(verified, 0) : nullptr, names,
               X509_STORE_CTX_get0_param(store_ctx), &facts);
  return facts;
}

// The pin check of a full handshake on the chain of `store_ctx`. Keeps
// the record and, when the connection may proceed, what a resumption of
// its session needs. Returns whether it may proceed.
bool RunPinCheck(SSL* ssl, SslState* state, const PinVerifier& verifier,
                 X509_STORE_CTX* store_ctx) {
  const ConnectionNames names =
      NamesOf(ssl, X509_STORE_CTX_get0_param(store_ctx));
  const std::vector<std::string> to_check = NamesToCheck(names);
  const int port = PeerPort(ssl);
  const ChainFacts facts = FactsOfStoreCtx(verifier, *state, store_ctx, names);
  CheckOutput out = CheckNames(verifier, to_check, names.sni, port, facts);
  const bool allowed = Deliver(ssl, state, verifier, std::move(out));
  SSL_SESSION* session = SSL_get_session(ssl);
  if (allowed && session != nullptr) {
    SessionPinData data;
    data.names = CanonicalNames(to_check);
    data.port = port;
    data.chain = facts.chain;
    data.verify_error_count = facts.verify_error_count;
    data.first_verify_error = facts.first_verify_error;
    data.first_verify_error_depth = facts.first_verify_error_depth;
    data.validated_chain_der = facts.validated_chain_der;
    SetSessionData(session, std::move(data));
  }
  return allowed;
}

// The pin check of a session offered for resumption, against the current
// list and the connection's current names and port. Keeps the record.
// Returns whether the session may be resumed.
bool RunResumptionCheck(SSL* ssl, SslState* state, const PinVerifier& verifier,
                        const SSL_SESSION* session) {
  const ConnectionNames names = NamesOf(ssl, SSL_get0_param(ssl));
  const std::vector<std::string> to_check = NamesToCheck(names);
  const int port = PeerPort(ssl);
  const SessionPinData* data = GetSessionData(session);
  ChainFacts facts;
  if (data != nullptr) {
    facts.chain = data->chain;
    // Decided now, by this verifier: the root that bypassed pins when the
    // session was made may be enforced today (or the session may come
    // from another context's verifier).
    facts.is_issued_by_known_root =
        data->chain.empty() || verifier.IsKnownRootKey(data->chain.back());
    facts.validated_chain_der = data->validated_chain_der;
    facts.verify_error_count = data->verify_error_count;
    facts.first_verify_error = data->first_verify_error;
    facts.first_verify_error_depth = data->first_verify_error_depth;
    X509* leaf = nullptr;
    if (!data->validated_chain_der.empty()) {
      const std::string& der = data->validated_chain_der.front();
      const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
      leaf = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
    }
    // A leaf that does not parse matches no name: refused if pinned.
    AddNameFacts(leaf, names, SSL_get0_param(ssl), &facts);
    X509_free(leaf);
  }
  CheckOutput out = CheckNames(verifier, to_check, names.sni, port, facts);
  out.record.resumed = true;
  if (data == nullptr) {
    // Nothing says what this session was verified for: not for pins.
    out.report.reset();
    if (out.any_pinned) {
      Refuse(&out.record,
             "the session offered for resumption was not checked by this "
             "verifier (made without it, or deserialised): a pinned host "
             "needs a full handshake");
    }
  } else if (data->names != CanonicalNames(to_check) || data->port != port) {
    out.report.reset();
    Refuse(&out.record,
           absl::StrCat("the session offered for resumption was verified "
                        "for ",
                        absl::StrJoin(data->names, ", "), " port ", data->port,
                        ", not for ", absl::StrJoin(CanonicalNames(to_check), ", "),
                        " port ", port));
  }
  return Deliver(ssl, state, verifier, std::move(out));
}

// Records every error OpenSSL reports during X509_verify_cert, then asks
// the SSL's own verify callback (if any), as OpenSSL would have.
int TrackingVerifyCallback(int preverify_ok, X509_STORE_CTX* store_ctx) {
  SSL* ssl = SslOfStoreCtx(store_ctx);
  if (ssl == nullptr) return preverify_ok;
  SslState* state = GetSslState(ssl);
  if (!preverify_ok && state != nullptr) {
    state->NoteError(X509_STORE_CTX_get_error(store_ctx),
                     X509_STORE_CTX_get_error_depth(store_ctx));
  }
  const SSL_verify_cb app = SSL_get_verify_callback(ssl);
  return app != nullptr ? app(preverify_ok, store_ctx) : preverify_ok;
}

// SSL_CTX hook: OpenSSL's whole verification first, then the pins.
int CertVerifyCallback(X509_STORE_CTX* store_ctx, void* /*arg*/) {
  SSL* ssl = SslOfStoreCtx(store_ctx);
  if (ssl == nullptr) return X509_verify_cert(store_ctx);
  SslState* state = MutableSslState(ssl);
  if (state == nullptr) {
    X509_STORE_CTX_set_error(store_ctx, X509_V_ERR_OUT_OF_MEM);
    return 0;
  }
  // A verifier installed into the SSL itself runs from its verify callback.
  if (state->verifier) return X509_verify_cert(store_ctx);
  state->StartHandshake();
  X509_STORE_CTX_set_verify_cb(store_ctx, TrackingVerifyCallback);
  const int ok = X509_verify_cert(store_ctx);
  // Held for the whole check, even if InstallPinVerifier replaces it.
  const std::shared_ptr<const PinVerifier> verifier =
      CtxVerifier(SSL_get_SSL_CTX(ssl));
  if (verifier == nullptr) return ok;
  if (ok <= 0) {
    // OpenSSL refuses, and acts on it unless the verify mode is NONE.
    if (SSL_get_verify_mode(ssl) & SSL_VERIFY_PEER) return ok;
    if (state->verify_error_count == 0) {
      state->NoteError(X509_STORE_CTX_get_error(store_ctx),
                       X509_STORE_CTX_get_error_depth(store_ctx));
    }
  }
  if (!RunPinCheck(ssl, state, *verifier, store_ctx)) {
    X509_STORE_CTX_set_error(store_ctx, X509_V_ERR_APPLICATION_VERIFICATION);
    ForcePeerVerification(ssl);
    return 0;
  }
  return ok;
}

// SSL_CTX hook at the start of every ClientHello: forgets the previous
// handshake's record and checks a session offered for resumption.
int ClientHelloHook(SSL* ssl, unsigned int, unsigned int,
                    const unsigned char**, size_t*, X509*, size_t, int* alert,
                    void*) {
  SslState* state = MutableSslState(ssl);
  if (state == nullptr) {
    *alert = SSL_AD_INTERNAL_ERROR;
    return -1;
  }
  if (state->verifier) return 0;  // The per-SSL install's info callback.
  state->StartHandshake();
  const std::shared_ptr<const PinVerifier> verifier =
      CtxVerifier(SSL_get_SSL_CTX(ssl));
  if (verifier == nullptr) return 0;
  const SSL_SESSION* session = SSL_get_session(ssl);
  if (session == nullptr || !SSL_SESSION_is_resumable(session)) return 0;
  if (!RunResumptionCheck(ssl, state, *verifier, session)) {
    *alert = SSL_AD_HANDSHAKE_FAILURE;
    return -1;
  }
  return 0;  // Never add the extension.
}

// SSL hook: the previous verify callback decides first; the pins are
// checked when OpenSSL signals the whole chain valid at depth 0, and again
// whenever the previous callback overrides an error.
int SslVerifyCallback(int preverify_ok, X509_STORE_CTX* store_ctx) {
  SSL* ssl = SslOfStoreCtx(store_ctx);
  SslState* state = ssl != nullptr ? GetSslState(ssl) : nullptr;
  if (state == nullptr || !state->verifier) return preverify_ok;
  const int depth = X509_STORE_CTX_get_error_depth(store_ctx);
  if (!preverify_ok) {
    state->NoteError(X509_STORE_CTX_get_error(store_ctx), depth);
  }
  const int ok = state->previous_callback != nullptr
                     ? state->previous_callback(preverify_ok, store_ctx)
                     : preverify_ok;
  if (!ok && (SSL_get_verify_mode(ssl) & SSL_VERIFY_PEER)) return 0;
  if (ok && preverify_ok && depth != 0) return ok;
  // Depth 0 of a valid chain, an overridden error, or a refusal that
  // SSL_VERIFY_NONE would ignore.
  const std::shared_ptr<const PinVerifier> verifier = state->verifier;
  if (!RunPinCheck(ssl, state, *verifier, store_ctx)) {
    X509_STORE_CTX_set_error(store_ctx, X509_V_ERR_APPLICATION_VERIFICATION);
    ForcePeerVerification(ssl);
    return 0;
  }
  return ok;
}

// SSL info hook of a per-SSL install: at handshake start, forgets the
// previous record and drops a session that may not be resumed.
void SslInfoCallback(const SSL* const_ssl, int where, int ret) {
  SSL* ssl = const_cast<SSL*>(const_ssl);
  SslState* state = GetSslState(ssl);
  if (state != nullptr && state->verifier &&
      (where & SSL_CB_HANDSHAKE_START) != 0) {
    state->StartHandshake();
    const SSL_SESSION* session = SSL_get_session(ssl);
    if (session != nullptr && SSL_SESSION_is_resumable(session)) {
      const std::shared_ptr<const PinVerifier> verifier = state->verifier;
      if (!RunResumptionCheck(ssl, state, *verifier, session)) {
        state->record->error += "; session dropped, a full handshake follows";
        SSL_set_session(ssl, nullptr);
      }
    }
  }
  void (*previous)(const SSL*, int, int) =
      state != nullptr ? state->previous_info_callback : nullptr;
  if (previous == nullptr) {
    previous = SSL_CTX_get_info_callback(SSL_get_SSL_CTX(ssl));
  }
  if (previous != nullptr && previous != SslInfoCallback) {
    previous(const_ssl, where, ret);
  }
}

// Sets the context's certificate verify callback to ours (replacing any
// other; OpenSSL has no getter to tell whether it still is ours) and turns
// on SSL_VERIFY_PEER, keeping the verify callback. The verify mode is
// written only when SSL_VERIFY_PEER is off, so a re-install on a context
// whose mode is intact only rewrites the callback pointer.
void SetCtxHooks(SSL_CTX* ctx) {
  SSL_CTX_set_cert_verify_callback(ctx, CertVerifyCallback, nullptr);
  const int mode = SSL_CTX_get_verify_mode(ctx);
  if ((mode & SSL_VERIFY_PEER) == 0) {
    SSL_CTX_set_verify(ctx, mode | SSL_VERIFY_PEER,
                       SSL_CTX_get_verify_callback(ctx));
  }
}

}  // namespace

std::string PinCheckRecord::Summary() const {
  const std::string who = canonical.empty() ? host : canonical;
  switch (outcome) {
    case CheckOutcome::kViolation:
      if (!error.empty()) return absl::StrCat("pin check failed: ", error);
      return absl::StrCat(
          "pin violation for ", who, ":", port, resumed ? " (resumed)" : "",
          ": pinset ", pinset, " (", JoinPins(good_pins), ")",
          bad_pin_found ? " has a blocked key in" : " not in",
          " verified chain (", JoinPins(chain), ")");
    case CheckOutcome::kInvalidHost:
      return absl::StrCat("pin check refused host \"", host, "\": ", error);
    default:
      return absl::StrCat("pin check for ", who, ":", port,
                          resumed ? " (resumed)" : "", ": ",
                          CheckOutcomeName(outcome),
                          would_fail ? " (chain fails pinset " : "",
                          would_fail ? pinset : "", would_fail ? ")" : "");
  }
}

PinVerifier::~PinVerifier() {
  for (Anchor& a : anchors_) X509_free(a.x509);
}

absl::Status PinVerifier::AddRoots(const PinVerifierOptions& options) {
  auto add = [&](const std::vector<std::string>& ders, bool local,
                 const char* what) -> absl::Status {
    for (size_t i = 0; i < ders.size(); ++i) {
      absl::StatusOr<SpkiHash> hash = SpkiHashOfDerCertificate(ders[i]);
      if (!hash.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(what, "[", i, "]: ", hash.status().message()));
      }
      for (const Anchor& a : anchors_) {
        if (a.spki == *hash && a.local != local) {
          return absl::InvalidArgumentError(absl::StrCat(
              what, "[", i, "]: key ", SpkiHashToString(*hash),
              " is both a local root and an app root; a root is either "
              "installed locally (pins bypassed) or shipped by the "
              "application (pins enforced)"));
        }
      }
      const unsigned char* p =
          reinterpret_cast<const unsigned char*>(ders[i].data());
      X509* x509 = d2i_X509(nullptr, &p, static_cast<long>(ders[i].size()));
      if (x509 == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat(what, "[", i, "]: not a certificate"));
      }
      // Fill OpenSSL's lazily computed extension cache (key identifiers,
      // flags) now, while this thread owns the certificate: once it is in a
      // shared X509_STORE, concurrent handshakes would otherwise race to
      // fill it on first use (seen by TSan in CI as ASN1_STRING_set vs
      // ASN1_STRING_cmp on the root's subject key identifier).
      X509_check_purpose(x509, -1, 0);
      anchors_.push_back(Anchor{x509, *hash, local});
    }
    return absl::OkStatus();
  };
  absl::Status s = add(options.local_roots, true, "local_roots");
  if (s.ok()) s = add(options.app_roots, false, "app_roots");
  return s;
}

absl::StatusOr<std::shared_ptr<const PinVerifier>> PinVerifier::Create(
    std::string table_bytes, PinVerifierOptions options) {
  std::shared_ptr<PinVerifier> v(new PinVerifier);
  absl::StatusOr<std::shared_ptr<const LoadedList>> list =
      LoadedList::FromTable(std::move(table_bytes));
  if (!list.ok()) return list.status();
  v->fixed_ = *std::move(list);
  absl::Status s = v->AddRoots(options);
  if (!s.ok()) return s;
  v->options_ = std::move(options);
  return std::shared_ptr<const PinVerifier>(std::move(v));
}

absl::StatusOr<std::shared_ptr<const PinVerifier>> PinVerifier::CreateFollowing(
    std::shared_ptr<const PinListUpdater> updater, PinVerifierOptions options) {
  if (updater == nullptr) return absl::InvalidArgumentError("null updater");
  std::shared_ptr<PinVerifier> v(new PinVerifier);
  v->updater_ = std::move(updater);
  absl::Status s = v->AddRoots(options);
  if (!s.ok()) return s;
  v->options_ = std::move(options);
  return std::shared_ptr<const PinVerifier>(std::move(v));
}

std::shared_ptr<const LoadedList> PinVerifier::CurrentList() const {
  return fixed_ != nullptr ? fixed_ : updater_->Snapshot();
}

bool PinVerifier::IsKnownRoot(X509* anchor) const {
  if (anchor == nullptr) return true;
  absl::StatusOr<SpkiHash> hash = SpkiHashOfDerCertificate(DerOf(anchor));
  if (!hash.ok()) return true;  // Enforce: the strict side.
  return IsKnownRootKey(*hash);
}

bool PinVerifier::IsKnownRootKey(const SpkiHash& anchor_spki) const {
  for (const Anchor& a : anchors_) {
    if (a.local && a.spki == anchor_spki) return false;
  }
  return true;
}

PinCheckRecord PinVerifier::Check(absl::string_view host, int port,
                                  STACK_OF(X509) * verified,
                                  STACK_OF(X509) * served) const {
  ChainFacts facts;
  facts.validated_chain_der = DersOf(verified);
  facts.served_chain_der = DersOf(served);
  for (size_t i = 0; i < facts.validated_chain_der.size(); ++i) {
    absl::StatusOr<SpkiHash> hash =
        SpkiHashOfDerCertificate(facts.validated_chain_der[i]);
    if (!hash.ok()) {
      facts.error = absl::StrCat("verified chain certificate ", i, ": ",
                                 hash.status().message());
      break;
    }
    facts.chain.push_back(*hash);
  }
  const int n = verified != nullptr ? sk_X509_num(verified) : 0;
  facts.is_issued_by_known_root =
      n == 0 || IsKnownRoot(sk_X509_value(verified, n - 1));
  facts.sni_matches_leaf =
      LeafMatches(n > 0 ? sk_X509_value(verified, 0) : nullptr,
                  std::string(host), 0);
  return CheckNames(*this, {std::string(host)}, std::string(host), port, facts)
      .record;
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
  auto* slot = static_cast<CtxSlot*>(SSL_CTX_get_ex_data(ctx, CtxSlotIndex()));
  if (slot != nullptr) {
    // Already installed: the ClientHello hook stays registered (OpenSSL
    // cannot remove it); handshakes that run keep the verifier they loaded.
    std::atomic_store(&slot->verifier, std::move(verifier));
    SetCtxHooks(ctx);  // The application may have replaced them.
    return absl::OkStatus();
  }
  if (SSL_CTX_add_custom_ext(ctx, kClientHelloHookExtension,
                             SSL_EXT_CLIENT_HELLO, ClientHelloHook, nullptr,
                             nullptr, nullptr, nullptr) != 1) {
    return absl::InternalError(
        "SSL_CTX_add_custom_ext failed (extension type 0xfd7b already "
        "registered on this context?)");
  }
  slot = new CtxSlot{std::move(verifier)};
  if (SSL_CTX_set_ex_data(ctx, CtxSlotIndex(), slot) != 1) {
    delete slot;
    return absl::InternalError("SSL_CTX_set_ex_data failed");
  }
  SetCtxHooks(ctx);
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
  void (*info)(const SSL*, int, int) = SSL_get_info_callback(ssl);
  if (info != SslInfoCallback) state->previous_info_callback = info;
  state->verifier = std::move(verifier);
  SSL_set_verify(ssl, SSL_get_verify_mode(ssl) | SSL_VERIFY_PEER,
                 SslVerifyCallback);
  SSL_set_info_callback(ssl, SslInfoCallback);
  return absl::OkStatus();
}

const PinCheckRecord* GetPinCheckRecord(const SSL* ssl) {
  if (ssl == nullptr) return nullptr;
  const SslState* state = GetSslState(ssl);
  return state != nullptr ? state->record.get() : nullptr;
}

}  // namespace pinbake
