// pinbake's chain check inside an OpenSSL 3 client handshake.
//
// Install a PinVerifier into an SSL_CTX (or a single SSL). After OpenSSL
// has validated the server's chain (trust, signatures, dates, host name,
// name constraints, ...), the verifier checks the *verified* chain that
// OpenSSL built (X509_STORE_CTX_get0_chain, leaf to trust anchor) -- never
// the chain the server sent -- with CheckChain (runtime/chain_checker.h):
//
//   - violation or invalid host: the handshake fails; the verify result is
//     X509_V_ERR_APPLICATION_VERIFICATION and GetPinCheckRecord(ssl) says
//     why (host, pinset, its pins, the chain's hashes);
//   - bypassed, stale, report-only failures: the handshake proceeds; the
//     record is handed to PinVerifierOptions::on_result and stays readable
//     with GetPinCheckRecord;
//   - violations and report-only failures of a pinset with a report_uri
//     produce an RFC 7469 report (runtime/pkp_report.h) for the reporter.
//
// Known roots. CheckChain needs to know whether the chain ends at a
// publicly trusted root (pins enforced) or at a locally added one (pins
// bypassed by default, as in Chrome, for proxies and debugging). The
// verifier decides from the verified chain's last certificate, the trust
// anchor: if its SubjectPublicKeyInfo equals that of one of
// PinVerifierOptions::application_anchors, the chain is *not* issued by a
// known root; any other anchor (the system store, public_roots, anything
// else in the SSL_CTX's store) counts as a known root. So roots the
// application adds must be given to the verifier as application_anchors
// (InstallPinVerifier on an SSL_CTX also adds them to its store), or they
// are enforced like public roots -- the strict side.
//
// Host. The host checked is, in order: the SNI name
// (SSL_set_tlsext_host_name), else the first host name given with
// SSL_set1_host. Without either the check sees an empty host, which is
// invalid: the handshake fails (pins cannot be checked without a name;
// the same holds for IP literals, see docs/lookup.md).
//
// See docs/openssl.md for a complete example.

#ifndef PINBAKE_RUNTIME_OPENSSL_PIN_VERIFIER_H_
#define PINBAKE_RUNTIME_OPENSSL_PIN_VERIFIER_H_

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "runtime/chain_checker.h"
#include "runtime/pin_list.h"
#include "runtime/pin_mode.h"
#include "runtime/pkp_report.h"
#include "runtime/spki_hash.h"

namespace pinbake {

// Everything about one pin check made during a handshake. Plain value.
struct PinCheckRecord {
  std::string host;       // The name checked (SNI, else SSL_set1_host).
  std::string canonical;  // Canonical form; "" if the host is invalid.
  int port = 443;         // The peer's port (getpeername), else 443.
  CheckOutcome outcome = CheckOutcome::kNotPinned;
  bool allowed = true;        // Whether the handshake was let through.
  bool would_fail = false;    // The chain fails the pinset.
  bool bad_pin_found = false; // A blocked key is in the chain.
  // Whether the anchor was treated as a publicly trusted root.
  bool is_issued_by_known_root = true;
  bool pinned = false;
  std::string rule;        // The entry that decided pins ("" if none).
  PinMode pin_mode = PinMode::kEnforce;
  std::string pinset;      // The pinset's name ("" if not pinned).
  std::string report_uri;  // The pinset's report URI ("" if none).
  std::vector<SpkiHash> good_pins;  // The pinset's good pins.
  std::vector<SpkiHash> bad_pins;   // The pinset's bad pins.
  // SPKI hashes of the verified chain, leaf to anchor.
  std::vector<SpkiHash> chain;
  // The verified chain and the chain the server sent, DER, leaf first.
  std::vector<std::string> validated_chain_der;
  std::vector<std::string> served_chain_der;
  // The RFC 7469 report (JSON), set whenever a pinned chain fails its
  // pinset (would_fail), whether or not it was sent.
  std::string report_json;
  // Whether the report went to the reporter's sink (report_uri set, outcome
  // violation or report-only failure, not a repeat within the hour).
  bool report_sent = false;
  // Why the host is invalid or the chain could not be read; "" otherwise.
  std::string error;

  // One line for logs: "pin violation for www.example.com: pinset main
  // (sha256/..., ...) not in chain (sha256/..., ...)", or the outcome.
  std::string Summary() const;
};

// What the application chooses. Anchors are DER certificates.
struct PinVerifierOptions {
  // Chrome's policy knobs: local-root bypass, fail-closed when stale.
  CheckPolicy policy;
  // Roots the application added to the trust store itself (an enterprise
  // or test CA, a --ca file). A chain anchored at one of them is not issued
  // by a known root. InstallPinVerifier(SSL_CTX*) adds them to the store.
  std::vector<std::string> application_anchors;
  // Roots trusted as if they came from the system store: for tests (whose
  // roots are not in the system store) and for applications that ship
  // their own public root store. A chain anchored at one of them is issued
  // by a known root. InstallPinVerifier(SSL_CTX*) adds them to the store.
  // A key both here and in application_anchors is an error.
  std::vector<std::string> public_roots;
  // The time used for staleness (not for OpenSSL's own validity checks).
  // Null: absl::Now.
  std::function<absl::Time()> clock;
  // Called (on the handshake thread, during verification) for every check
  // that is neither not-pinned nor a clean ok: violation, invalid host,
  // bypassed, stale, and report-only failures. Must not block for long.
  std::function<void(const SSL* ssl, const PinCheckRecord& record)> on_result;
  // Receives violation reports (see top of file). Not owned; must outlive
  // the verifier. Null: reports are only built into PinCheckRecord.
  PkpReporter* reporter = nullptr;
};

// A pin list plus the options above, shared by every connection it is
// installed into. Immutable and thread-safe after Create.
class PinVerifier {
 public:
  // Takes a copy of the table bytes, validates them (PinList::FromBytes),
  // and parses the anchors. InvalidArgument on a bad table, a certificate
  // that does not parse, or a key given as both kinds of root.
  static absl::StatusOr<std::shared_ptr<const PinVerifier>> Create(
      std::string table_bytes, PinVerifierOptions options);

  ~PinVerifier();
  PinVerifier(const PinVerifier&) = delete;
  PinVerifier& operator=(const PinVerifier&) = delete;

  const PinList& list() const { return *list_; }
  const PinVerifierOptions& options() const { return options_; }

  // Whether a chain anchored at `anchor` is issued by a known root: false
  // exactly when its SPKI matches one of the application anchors.
  bool IsKnownRoot(X509* anchor) const;

  // Runs the check for `host` on a chain OpenSSL has verified (leaf first,
  // anchor last) and returns the record, without the on_result call or
  // report delivery (the handshake hook does those). `served` may be null.
  PinCheckRecord Check(absl::string_view host, int port,
                       STACK_OF(X509) * verified,
                       STACK_OF(X509) * served) const;

  // Adds the application anchors and public roots to `store` (duplicates
  // are fine). Internal on an OpenSSL failure.
  absl::Status AddAnchorsToStore(X509_STORE* store) const;

 private:
  struct Anchor;
  PinVerifier() = default;

  std::string bytes_;
  std::optional<PinList> list_;
  PinVerifierOptions options_;
  std::vector<Anchor> anchors_;
};

// Installs `verifier` into every connection made from `ctx` from now on:
// sets a certificate verify callback (SSL_CTX_set_cert_verify_callback,
// replacing any other) that runs X509_verify_cert and then the pin check;
// turns on SSL_VERIFY_PEER (keeping the existing verify callback); and adds
// the verifier's anchors to the context's X509_STORE. The context keeps a
// reference to the verifier. Call before creating connections; installing
// again replaces the verifier, which is not safe while handshakes run.
absl::Status InstallPinVerifier(SSL_CTX* ctx,
                                std::shared_ptr<const PinVerifier> verifier);

// Installs `verifier` into one connection (takes precedence over one
// installed into its SSL_CTX): sets SSL_VERIFY_PEER with a verify callback
// that calls the previous one and, at depth 0 when OpenSSL reports the
// chain valid, runs the pin check on X509_STORE_CTX_get0_chain. Does not
// touch any trust store: put the anchors in the store yourself (e.g.
// verifier->AddAnchorsToStore). Call before SSL_connect.
absl::Status InstallPinVerifier(SSL* ssl,
                                std::shared_ptr<const PinVerifier> verifier);

// The record of the last pin check on `ssl`, or null if none ran (no
// verifier installed, or OpenSSL refused the chain before pins were
// checked). Valid until the next handshake on `ssl` or SSL_free.
const PinCheckRecord* GetPinCheckRecord(const SSL* ssl);

}  // namespace pinbake

#endif  // PINBAKE_RUNTIME_OPENSSL_PIN_VERIFIER_H_
