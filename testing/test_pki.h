// Test-only PKI: fresh EC P-256 keys and X.509 certificates made with the
// OpenSSL C API at test time, so tests never depend on checked-in or
// expiring certificates.
//
// Typical use:
//   TestChain chain = MakeChain("www.example.com");
//   chain.leaf.pem, chain.intermediate.spki_hash, chain.ChainPem(), ...
//
// Every function aborts the process with a message on an OpenSSL failure
// (a broken test environment, not a test outcome).

#ifndef PINBAKE_TESTING_TEST_PKI_H_
#define PINBAKE_TESTING_TEST_PKI_H_

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "format/spki_hash.h"

namespace pinbake {

// One certificate and its key pair. Cheap to copy: the OpenSSL objects are
// shared and immutable after creation.
struct TestCert {
  std::string der;         // DER certificate.
  std::string pem;         // "-----BEGIN CERTIFICATE-----" block.
  std::string pubkey_pem;  // "-----BEGIN PUBLIC KEY-----" block of its key.
  std::string spki_der;    // DER SubjectPublicKeyInfo of its key.
  // SHA-256 of spki_der, computed directly with OpenSSL (i2d_X509_PUBKEY of
  // X509_get_X509_PUBKEY, then SHA256), independent of runtime/ code.
  SpkiHash spki_hash;
  std::shared_ptr<X509> x509;     // The certificate.
  std::shared_ptr<EVP_PKEY> key;  // Its private key (signs children).
};

// What to put in a certificate. Times are offsets in seconds from now.
struct TestCertOptions {
  std::string common_name = "pinbake test";
  std::vector<std::string> dns_names;  // subjectAltName dNSName entries.
  bool is_ca = false;  // basicConstraints CA:TRUE + keyCertSign usage.
  int64_t not_before_offset = -3600;           // One hour ago.
  int64_t not_after_offset = 30 * 24 * 3600;   // In 30 days.
  // The key pair the certificate is for; null: a fresh EC P-256 key. Set
  // it to forge a certificate that carries another certificate's public
  // key (attack tests).
  std::shared_ptr<EVP_PKEY> subject_key;
};

// Makes a certificate for a fresh EC P-256 key, signed (ECDSA-SHA256) by
// `issuer`'s key with `issuer`'s subject as issuer name, or self-signed when
// `issuer` is null. Serial numbers are random.
TestCert MakeCert(const TestCertOptions& options, const TestCert* issuer);

// A self-signed CA certificate named `common_name`.
TestCert MakeRootCa(absl::string_view common_name = "pinbake test root");

// A CA certificate named `common_name`, signed by `issuer`.
TestCert MakeIntermediateCa(
    const TestCert& issuer,
    absl::string_view common_name = "pinbake test intermediate");

// A leaf certificate for `dns_name` (CN and subjectAltName), signed by
// `issuer`.
TestCert MakeLeaf(const TestCert& issuer, absl::string_view dns_name);

// root -> intermediate -> leaf(host).
struct TestChain {
  TestCert root;
  TestCert intermediate;
  TestCert leaf;

  // leaf.pem + intermediate.pem: what a server sends.
  std::string ChainPem() const;
  // {leaf.der, intermediate.der, root.der}.
  std::vector<std::string> DerChainWithRoot() const;
};

// A fresh chain whose leaf is for `host`.
TestChain MakeChain(absl::string_view host);

}  // namespace pinbake

#endif  // PINBAKE_TESTING_TEST_PKI_H_
