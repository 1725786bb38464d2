#include "testing/test_pki.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace pinbake {
namespace {

// Aborts with `what` and OpenSSL's error queue.
[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "test_pki: %s failed\n", what);
  ERR_print_errors_fp(stderr);
  std::abort();
}

void Check(bool ok, const char* what) {
  if (!ok) Die(what);
}

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509ExtensionDeleter {
  void operator()(X509_EXTENSION* ext) const { X509_EXTENSION_free(ext); }
};

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  Check(len >= 0 && (len == 0 || data != nullptr), "BIO_get_mem_data");
  return std::string(data, static_cast<size_t>(len));
}

std::shared_ptr<EVP_PKEY> MakeP256Key() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  Check(key != nullptr, "EVP_PKEY_Q_keygen(EC, P-256)");
  return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, X509ExtensionDeleter> ext(
      X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  Check(ext != nullptr, "X509V3_EXT_conf_nid");
  Check(X509_add_ext(cert, ext.get(), -1) == 1, "X509_add_ext");
}

void SetRandomSerial(X509* cert) {
  unsigned char bytes[16];
  Check(RAND_bytes(bytes, sizeof(bytes)) == 1, "RAND_bytes");
  bytes[0] &= 0x7f;  // Positive.
  bytes[0] |= 0x01;  // Nonzero, full length.
  BIGNUM* bn = BN_bin2bn(bytes, sizeof(bytes), nullptr);
  Check(bn != nullptr, "BN_bin2bn");
  ASN1_INTEGER* serial = BN_to_ASN1_INTEGER(bn, nullptr);
  BN_free(bn);
  Check(serial != nullptr, "BN_to_ASN1_INTEGER");
  int ok = X509_set_serialNumber(cert, serial);
  ASN1_INTEGER_free(serial);
  Check(ok == 1, "X509_set_serialNumber");
}

// Fills every encoding of `out` from out->x509 and out->key.
void FillEncodings(TestCert* out) {
  X509* cert = out->x509.get();

  unsigned char* der = nullptr;
  int der_len = i2d_X509(cert, &der);
  Check(der_len > 0 && der != nullptr, "i2d_X509");
  out->der.assign(reinterpret_cast<char*>(der), static_cast<size_t>(der_len));
  OPENSSL_free(der);

  std::unique_ptr<BIO, BioDeleter> pem_bio(BIO_new(BIO_s_mem()));
  Check(pem_bio != nullptr, "BIO_new");
  Check(PEM_write_bio_X509(pem_bio.get(), cert) == 1, "PEM_write_bio_X509");
  out->pem = BioContents(pem_bio.get());

  std::unique_ptr<BIO, BioDeleter> key_bio(BIO_new(BIO_s_mem()));
  Check(key_bio != nullptr, "BIO_new");
  Check(PEM_write_bio_PUBKEY(key_bio.get(), out->key.get()) == 1,
        "PEM_write_bio_PUBKEY");
  out->pubkey_pem = BioContents(key_bio.get());

  unsigned char* spki = nullptr;
  int spki_len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &spki);
  Check(spki_len > 0 && spki != nullptr, "i2d_X509_PUBKEY");
  out->spki_der.assign(reinterpret_cast<char*>(spki),
                       static_cast<size_t>(spki_len));
  Check(SHA256(spki, static_cast<size_t>(spki_len),
               out->spki_hash.bytes.data()) != nullptr,
        "SHA256");
  OPENSSL_free(spki);
}

}  // namespace

TestCert MakeCert(const TestCertOptions& options, const TestCert* issuer) {
  ERR_clear_error();
  TestCert out;
  out.key = options.subject_key != nullptr ? options.subject_key : MakeP256Key();
  X509* raw = X509_new();
  Check(raw != nullptr, "X509_new");
  out.x509 = std::shared_ptr<X509>(raw, X509_free);
  X509* cert = raw;

  Check(X509_set_version(cert, X509_VERSION_3) == 1, "X509_set_version");
  SetRandomSerial(cert);
  Check(X509_gmtime_adj(X509_getm_notBefore(cert),
                        static_cast<long>(options.not_before_offset)) !=
            nullptr,
        "X509_gmtime_adj(notBefore)");
  Check(X509_gmtime_adj(X509_getm_notAfter(cert),
                        static_cast<long>(options.not_after_offset)) != nullptr,
        "X509_gmtime_adj(notAfter)");
  Check(X509_set_pubkey(cert, out.key.get()) == 1, "X509_set_pubkey");

  X509_NAME* name = X509_get_subject_name(cert);
  Check(X509_NAME_add_entry_by_txt(
            name, "CN", MBSTRING_UTF8,
            reinterpret_cast<const unsigned char*>(options.common_name.c_str()),
            -1, -1, 0) == 1,
        "X509_NAME_add_entry_by_txt(CN)");
  X509* issuer_cert = issuer != nullptr ? issuer->x509.get() : cert;
  EVP_PKEY* signing_key =
      issuer != nullptr ? issuer->key.get() : out.key.get();
  Check(X509_set_issuer_name(cert, X509_get_subject_name(issuer_cert)) == 1,
        "X509_set_issuer_name");

  if (options.is_ca) {
    AddExtension(cert, issuer_cert, NID_basic_constraints, "critical,CA:TRUE");
    AddExtension(cert, issuer_cert, NID_key_usage,
                 "critical,keyCertSign,cRLSign,digitalSignature");
  } else {
    AddExtension(cert, issuer_cert, NID_basic_constraints, "critical,CA:FALSE");
    AddExtension(cert, issuer_cert, NID_key_usage,
                 "critical,digitalSignature");
    AddExtension(cert, issuer_cert, NID_ext_key_usage, "serverAuth");
  }
  AddExtension(cert, issuer_cert, NID_subject_key_identifier, "hash");
  if (issuer != nullptr) {
    AddExtension(cert, issuer_cert, NID_authority_key_identifier, "keyid");
  }
  if (!options.dns_names.empty()) {
    std::string san;
    for (const std::string& dns : options.dns_names) {
      absl::StrAppend(&san, san.empty() ? "" : ",", "DNS:", dns);
    }
    AddExtension(cert, issuer_cert, NID_subject_alt_name, san.c_str());
  }

  Check(X509_sign(cert, signing_key, EVP_sha256()) > 0, "X509_sign");
  FillEncodings(&out);
  return out;
}

TestCert MakeRootCa(absl::string_view common_name) {
  TestCertOptions options;
  options.common_name = std::string(common_name);
  options.is_ca = true;
  return MakeCert(options, nullptr);
}

TestCert MakeIntermediateCa(const TestCert& issuer,
                            absl::string_view common_name) {
  TestCertOptions options;
  options.common_name = std::string(common_name);
  options.is_ca = true;
  return MakeCert(options, &issuer);
}

TestCert MakeLeaf(const TestCert& issuer, absl::string_view dns_name) {
  TestCertOptions options;
  options.common_name = std::string(dns_name);
  options.dns_names.push_back(std::string(dns_name));
  return MakeCert(options, &issuer);
}

std::string TestChain::ChainPem() const {
  return absl::StrCat(leaf.pem, intermediate.pem);
}

std::vector<std::string> TestChain::DerChainWithRoot() const {
  return {leaf.der, intermediate.der, root.der};
}

TestChain MakeChain(absl::string_view host) {
  TestChain chain;
  chain.root = MakeRootCa();
  chain.intermediate = MakeIntermediateCa(chain.root);
  chain.leaf = MakeLeaf(chain.intermediate, host);
  return chain;
}

}  // namespace pinbake
