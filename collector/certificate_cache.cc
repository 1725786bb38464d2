#include "collector/certificate_cache.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include <memory>

namespace pinbake {
namespace collector {

absl::StatusOr<CertificateFacts> DecodeCertificateFacts(absl::string_view der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* const end = p + der.size();
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      d2i_X509(nullptr, &p, static_cast<long>(der.size())), X509_free);
  ERR_clear_error();
  if (!cert) return absl::InvalidArgumentError("not a DER X.509 certificate");
  if (p != end) {
    return absl::InvalidArgumentError("trailing bytes after the certificate");
  }
  unsigned char* spki = nullptr;
  const int spki_size =
      i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert.get()), &spki);
  if (spki_size <= 0 || spki == nullptr) {
    ERR_clear_error();
    return absl::InvalidArgumentError("certificate has no usable public key");
  }
  CertificateFacts facts;
  facts.spki_hash = HashSpkiDer(absl::string_view(
      reinterpret_cast<const char*>(spki), static_cast<size_t>(spki_size)));
  OPENSSL_free(spki);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()),
                                                BIO_free);
  if (bio && X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert.get()),
                                0, XN_FLAG_RFC2253) >= 0) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    if (size > 0 && data != nullptr) {
      facts.subject.assign(data, static_cast<size_t>(size));
    }
  }
  ERR_clear_error();
  return facts;
}

CertificateCache& CertificateCache::Shared() {
  static CertificateCache* cache = new CertificateCache();
  return *cache;
}

absl::StatusOr<CertificateFacts> CertificateCache::Get(absl::string_view der) {
  if (der.size() > kMaxDerSize) return DecodeCertificateFacts(der);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = facts_.find(der);
    if (it != facts_.end()) return it->second;
  }
  absl::StatusOr<CertificateFacts> facts = DecodeCertificateFacts(der);
  std::lock_guard<std::mutex> lock(mu_);
  if (facts_.size() >= kMaxEntries) facts_.clear();
  facts_.emplace(std::string(der), facts);
  return facts;
}

}  // namespace collector
}  // namespace pinbake
