// pinbake's chain check inside an OpenSSL 3 client handshake.
//
// Install a PinVerifier into an SSL_CTX (or a single SSL). After OpenSSL
// has validated the server's chain (trust, signatures, dates, host name,
// name constraints, ...), the verifier checks the *verified* chain that
// OpenSSL built (X509_STORE_CTX_get0_chain, leaf to trust anchor) -- never
// the chain the server sent -- with CheckChain (runtime/chain_checker.h):
//
//   - violation or invalid host: the handshake fails, whatever the verify
//     mode (a refusal turns SSL_VERIFY_PEER back on, so SSL_VERIFY_NONE set
//     after the install cannot make OpenSSL ignore it); the verify result
//     is X509_V_ERR_APPLICATION_VERIFICATION and GetPinCheckRecord(ssl)
//     says why (host, pinset, its pins, the chain's hashes);
//   - bypassed, stale, report-only failures: the handshake proceeds; the
//     record is handed to PinVerifierOptions::on_result and stays readable
//     with GetPinCheckRecord;
//   - violations and report-only failures of a pinset with a report_uri
//     produce an RFC 7469 report (runtime/pkp_report.h) for the reporter,
//     except one that would go over HTTPS to the failing host itself or to
//     a host under the same failing pins (ShouldSuppressPkpReport).
//
// Roots. CheckChain needs to know whether the chain ends at a root whose
// pins are enforced or at one a user or administrator installed locally
// (pins bypassed by default, as in Chrome, for proxies and debugging). The
// verifier decides from the verified chain's last certificate, the trust
// anchor: if its SubjectPublicKeyInfo equals that of one of
// PinVerifierOptions::local_roots, the chain is *not* issued by a known
// root; any other anchor -- the system store, PinVerifierOptions::app_roots
// (roots the application ships), anything else in the SSL_CTX's store --
// counts as a known root and pins are enforced.
//
// Host names. The check runs for every name of the connection: the SNI
// name (SSL_set_tlsext_host_name) and every name given to OpenSSL's own
// name check (SSL_set1_host / SSL_add1_host); each must pass. When both
// SNI and SSL_set1_host names are set and the SNI name is not one the
// certificate was verified for, a connection where any of those names is
// pinned is refused (pins are looked up for the name that was
// authenticated, never only for SNI). With SNI only (no SSL_set1_host
// name) OpenSSL checks no name at all: the verifier then checks a pinned
// SNI name against the leaf itself (X509_check_host) and refuses the
// connection when the leaf is not for that name (an unpinned SNI-only name
// is left as OpenSSL leaves it). Without any name the check sees an
// empty host, which is invalid: the handshake fails (pins cannot be checked
// without a name; the same holds for IP literals, see docs/lookup.md).
//
// Verification errors. Every error OpenSSL reports while verifying the
// chain is remembered, also when an application verify callback overrides
// it: a pinned host whose chain had any verification error is a violation.
//
// Resumption. Every session a check let through keeps what the check needs
// (SSL_SESSION ex_data: the names and port it was for, the verified chain
// (DER and SPKI hashes), verification errors). When a session is offered
// for resumption, the check runs again against the *current* list, the
// current names and port and the *current* verifier's roots (whether the
// anchor is a local root, and which names the kept leaf matches, are
// decided again, not taken from the session: a session bypassed at a root
// that the verifier now enforces is refused), before the
// ClientHello is sent; a session for another host or port, a session
// without that data (made without the verifier, or deserialised), for a
// pinned host, or one whose check fails now, makes the handshake fail with
// a record (PinCheckRecord::resumed). A per-SSL install cannot refuse at
// that point: it drops such a session instead (a full, checked handshake
// follows).
//
// Lists. A verifier reads either fixed table bytes (Create) or, for each
// handshake, a snapshot of a PinListUpdater (CreateFollowing), held for
// the whole check, so signed updates apply to the next handshake while
// others run.
//
// See docs/openssl.md for a complete example.

#ifndef PINBAKE_RUNTIME_OPENSSL_PIN_VERIFIER_H_
#define PINBAKE_RUNTIME_OPENSSL_PIN_VERIFIER_H_

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdint>
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
#include "format/entry_settings.h"
#include "runtime/pkp_report.h"
#include "format/spki_hash.h"
#include "runtime/update/updater.h"

namespace pinbake {

// Everything about one pin check made during a handshake. Plain value.
struct PinCheckRecord {
  // The name the record is about: the first name checked that refused the
  // connection, else the first pinned one, else the SNI name (else the
  // first SSL_set1_host name).
  std::string host;
  std::string canonical;  // Canonical form; "" if the host is invalid.
  // Every name checked, in order: SNI, then each SSL_set1_host name.
  std::vector<std::string> names;
  // The SSL_set1_host names the leaf certificate matched (what OpenSSL
  // authenticated); empty when no SSL_set1_host name was given.
  std::vector<std::string> verified_names;
  int port = 443;         // The peer's port (getpeername), else 443.
  CheckOutcome outcome = CheckOutcome::kNotPinned;
  bool allowed = true;        // Whether the handshake was let through.
  bool would_fail = false;    // The chain fails the pinset.
  bool bad_pin_found = false; // A blocked key is in the chain.
  // Whether the anchor was treated as a root whose pins are enforced (not
  // one of PinVerifierOptions::local_roots of the verifier that made this
  // check; for a resumption, too, the checking verifier's).
  bool is_issued_by_known_root = true;
  bool pinned = false;
  // The check was for a session offered for resumption: it ran on the
  // hashes kept with the session, against the list current at the time.
  bool resumed = false;
  // Verification errors OpenSSL reported for the chain (overridden by a
  // verify callback, or ignored under SSL_VERIFY_NONE), and the first one
  // (X509_V_OK and -1 when none).
  int verify_error_count = 0;
  int first_verify_error = X509_V_OK;
  int first_verify_error_depth = -1;
  // The list_version of the list the check used.
  uint64_t list_version = 0;
  std::string rule;        // The entry that decided pins ("" if none).
  PinMode pin_mode = PinMode::kEnforce;
  std::string pinset;      // The pinset's name ("" if not pinned).
  std::string report_uri;  // The pinset's report URI ("" if none).
  std::vector<SpkiHash> good_pins;  // The pinset's good pins.
  std::vector<SpkiHash> bad_pins;   // The pinset's bad pins.
  // SPKI hashes of the verified chain, leaf to anchor.
  std::vector<SpkiHash> chain;
  // The verified chain and the chain the server sent, DER, leaf first
  // (for a resumed session: as kept with it; the served chain is empty).
  std::vector<std::string> validated_chain_der;
  std::vector<std::string> served_chain_der;
  // The RFC 7469 report (JSON), set whenever a pinned chain fails its
  // pinset (would_fail), whether or not it was sent.
  std::string report_json;
  // Whether the report went to the reporter's sink (report_uri set, outcome
  // violation or report-only failure, not a repeat within the hour, not a
  // report to the failing host itself: ShouldSuppressPkpReport).
  bool report_sent = false;
  // Why the connection was refused when the pins alone do not say it (an
  // invalid host, names that disagree, a pinned SNI-only name the leaf is
  // not for, verification errors, a session that may not be resumed), or
  // why the chain could not be read; "" otherwise.
  std::string error;

  // One line for logs: "pin violation for www.example.com: pinset main
  // (sha256/..., ...) not in chain (sha256/..., ...)", or the outcome.
  std::string Summary() const;
};

// What the application chooses. Roots are DER certificates. Which roots
// enforce pins (docs/openssl.md, "Roots"):
//   - the system store (SSL_CTX_set_default_verify_paths) and app_roots:
//     enforced;
//   - local_roots: a pin failure on a chain to one of them is `bypassed`
//     (while policy.allow_local_root_bypass).
struct PinVerifierOptions {
  // Chrome's policy knobs: local-root bypass, fail-closed when stale.
  CheckPolicy policy;
  // Roots a user or an administrator installed locally on this machine (an
  // enterprise TLS proxy, a debugging tool), and only those: a chain
  // anchored at one of them is not issued by a known root, so a pin
  // failure is `bypassed`. InstallPinVerifier(SSL_CTX*) adds them to the
  // store.
  std::vector<std::string> local_roots;
  // Roots the application ships or adds itself (its own root store, a
  // private CA for its own servers, test roots): trusted and enforced like
  // the system's public roots. InstallPinVerifier(SSL_CTX*) adds them to
  // the store. A key both here and in local_roots is an error.
  std::vector<std::string> app_roots;
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

// A pin list source plus the options above, shared by every connection it
// is installed into. Immutable and thread-safe after Create.
class PinVerifier {
 public:
  // Takes a copy of the table bytes, validates them (PinList::FromBytes),
  // and parses the roots. InvalidArgument on a bad table, a certificate
  // that does not parse, or a key given as both kinds of root.
  static absl::StatusOr<std::shared_ptr<const PinVerifier>> Create(
      std::string table_bytes, PinVerifierOptions options);

  // Like Create, but every check uses the list `updater` holds at that
  // moment (PinListUpdater::Snapshot, kept for the whole check), so
  // accepted updates apply to the next handshake and to resumptions.
  // InvalidArgument on a null updater or bad roots.
  static absl::StatusOr<std::shared_ptr<const PinVerifier>> CreateFollowing(
      std::shared_ptr<const PinListUpdater> updater,
      PinVerifierOptions options);

  ~PinVerifier();
  PinVerifier(const PinVerifier&) = delete;
  PinVerifier& operator=(const PinVerifier&) = delete;

  // The list checks use now: the fixed list, or the updater's snapshot.
  // Never null.
  std::shared_ptr<const LoadedList> CurrentList() const;
  const PinVerifierOptions& options() const { return options_; }

  // Whether a chain anchored at `anchor` is issued by a known root (pins
  // enforced): false exactly when its SPKI matches one of the local roots.
  bool IsKnownRoot(X509* anchor) const;
  // The same for an anchor given by its SPKI hash (how a resumption check
  // decides it for the chain kept with the session).
  bool IsKnownRootKey(const SpkiHash& anchor_spki) const;

  // Runs the check for `host` on a chain OpenSSL has verified (leaf first,
  // anchor last) and returns the record, without the on_result call or
  // report delivery (the handshake hook does those). `host` is treated as
  // an SNI-only name: if it is pinned, the leaf must be a certificate for
  // it (X509_check_host), else the record is a violation. `served` may be
  // null.
  PinCheckRecord Check(absl::string_view host, int port,
                       STACK_OF(X509) * verified,
                       STACK_OF(X509) * served) const;

  // Adds the local and app roots to `store` (duplicates are fine).
  // Internal on an OpenSSL failure.
  absl::Status AddAnchorsToStore(X509_STORE* store) const;

 private:
  struct Anchor;
  PinVerifier() = default;
  absl::Status AddRoots(const PinVerifierOptions& options);

  std::shared_ptr<const LoadedList> fixed_;        // Set by Create.
  std::shared_ptr<const PinListUpdater> updater_;  // Set by CreateFollowing.
  PinVerifierOptions options_;
  std::vector<Anchor> anchors_;
};

// Installs `verifier` into every connection made from `ctx` from now on:
// sets a certificate verify callback (SSL_CTX_set_cert_verify_callback,
// replacing any other) that runs X509_verify_cert and then the pin check;
// registers a ClientHello hook (a custom extension that is never sent)
// that checks a session offered for resumption; turns on SSL_VERIFY_PEER
// (keeping the existing verify callback); and adds the verifier's roots to
// the context's X509_STORE. The context keeps a reference to the verifier.
// Installing again replaces the verifier and sets the certificate verify
// callback (and SSL_VERIFY_PEER, if it was turned off) again; handshakes
// that run keep a reference to the verifier they started with. OpenSSL's
// SSL_CTX setters take no lock: the re-install stores the callback pointer
// (the same value while ours is in place) unsynchronised with SSL_new and
// handshakes on other threads. To follow list updates while handshakes
// run, prefer CreateFollowing, which needs no re-install.
//
// Limit: OpenSSL keeps one certificate verify callback per context. An
// application that calls SSL_CTX_set_cert_verify_callback after this
// replaces ours: full handshakes are then not pin-checked (resumptions
// still are) until InstallPinVerifier(ctx, ...) is called again, which
// replaces the application's callback in turn. An application callback
// that never calls X509_verify_cert disables both OpenSSL's verification
// and pinning. Put application logic in a verify callback
// (SSL_CTX_set_verify) instead: ours calls it.
absl::Status InstallPinVerifier(SSL_CTX* ctx,
                                std::shared_ptr<const PinVerifier> verifier);

// Installs `verifier` into one connection (takes precedence over one
// installed into its SSL_CTX): sets SSL_VERIFY_PEER with a verify callback
// that calls the previous one and runs the pin check when OpenSSL signals
// the whole chain valid at depth 0 (and again on any error a previous
// callback overrides), and an info callback (calling the previous one)
// that, at handshake start, resets the record and drops a session offered
// for resumption that fails the check. Does not touch any trust store: put
// the roots in the store yourself (e.g. verifier->AddAnchorsToStore). Call
// before SSL_connect, and do not replace the SSL's verify or info callback
// afterwards.
absl::Status InstallPinVerifier(SSL* ssl,
                                std::shared_ptr<const PinVerifier> verifier);

// The record of the last pin check on `ssl`, or null if none ran in the
// current handshake (no verifier installed, or OpenSSL refused the chain
// before pins were checked). Reset when a handshake starts (also after
// SSL_clear). Valid until the next handshake on `ssl` or SSL_free.
const PinCheckRecord* GetPinCheckRecord(const SSL* ssl);

}  // namespace pinbake

#endif  // PINBAKE_RUNTIME_OPENSSL_PIN_VERIFIER_H_
