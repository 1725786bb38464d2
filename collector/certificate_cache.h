// What the collector needs of one DER certificate (its SPKI hash and
// subject), remembered by exact DER bytes: reports repeat the same few
// chains, and decoding an X.509 certificate costs OpenSSL 3 ~0.2 ms (most
// of it building the public key object), so the cache is what lets one
// collector validate thousands of reports per second.
//
//   absl::StatusOr<CertificateFacts> facts = CertificateCache::Shared().Get(der);

#ifndef PINBAKE_COLLECTOR_CERTIFICATE_CACHE_H_
#define PINBAKE_COLLECTOR_CERTIFICATE_CACHE_H_

#include <cstddef>
#include <mutex>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "format/spki_hash.h"

namespace pinbake {
namespace collector {

struct CertificateFacts {
  SpkiHash spki_hash;   // SHA-256 of the SubjectPublicKeyInfo DER.
  std::string subject;  // RFC 2253 one-line subject.
};

// Decodes `der` with OpenSSL (exactly one certificate, no trailing bytes)
// and returns its facts; InvalidArgument otherwise. No cache.
absl::StatusOr<CertificateFacts> DecodeCertificateFacts(absl::string_view der);

class CertificateCache {
 public:
  // Most certificates remembered; when full the cache starts over.
  static constexpr size_t kMaxEntries = 4096;
  // Largest DER remembered (bigger ones are decoded every time).
  static constexpr size_t kMaxDerSize = 16 * 1024;

  // The process-wide cache ParseReport uses.
  static CertificateCache& Shared();

  // DecodeCertificateFacts(der), remembered (failures too). Thread-safe.
  absl::StatusOr<CertificateFacts> Get(absl::string_view der);

 private:
  // std::mutex, not absl::Mutex: ThreadSanitizer sees it (tools/test.sh).
  std::mutex mu_;
  absl::flat_hash_map<std::string, absl::StatusOr<CertificateFacts>> facts_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace collector
}  // namespace pinbake

#endif  // PINBAKE_COLLECTOR_CERTIFICATE_CACHE_H_
