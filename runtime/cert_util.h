// Certificate and public-key helpers over OpenSSL: from DER or PEM to the
// SpkiHash of the subject public key.

#ifndef PINBAKE_RUNTIME_CERT_UTIL_H_
#define PINBAKE_RUNTIME_CERT_UTIL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "format/spki_hash.h"

namespace pinbake {

// Returns the SpkiHash of the subject public key of a DER X.509 certificate.
// InvalidArgument if `der` is not exactly one well-formed certificate (no
// trailing bytes). Safe on any bytes.
absl::StatusOr<SpkiHash> SpkiHashOfDerCertificate(absl::string_view der);

// One object found in a PEM text.
struct PemKeyObject {
  std::string label;        // "CERTIFICATE" or "PUBLIC KEY".
  std::string der;          // The decoded DER of the block.
  SpkiHash spki_hash;       // SHA-256 of the object's SubjectPublicKeyInfo.
};

// Parses every PEM block in `pem` with OpenSSL. Accepts CERTIFICATE (hashes
// the certificate's SPKI) and PUBLIC KEY (hashes the key re-encoded as DER
// SPKI) blocks; any other block label, a malformed block, or a text with no
// block at all is InvalidArgument naming the block (1-based) and problem.
absl::StatusOr<std::vector<PemKeyObject>> ParsePemKeyObjects(
    absl::string_view pem);

// Parses a PEM text holding one or more CERTIFICATE blocks (a chain, leaf
// first by convention) into DER. InvalidArgument on any other block or on
// no certificate at all.
absl::StatusOr<std::vector<std::string>> ParsePemCertificateChain(
    absl::string_view pem);

}  // namespace pinbake

#endif  // PINBAKE_RUNTIME_CERT_UTIL_H_
