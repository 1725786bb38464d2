// OpenSSL's thread-local error queue, read and cleared in one place for
// runtime/ (cert_util, update/update_key), runtime/openssl/ and cli/.
// Internal: not part of pinbake's API.

#ifndef PINBAKE_RUNTIME_OPENSSL_ERROR_H_
#define PINBAKE_RUNTIME_OPENSSL_ERROR_H_

#include <string>

#include "absl/strings/string_view.h"

namespace pinbake {

// Clears the calling thread's OpenSSL error queue on entry and on exit, so
// that no error of ours leaks into unrelated later OpenSSL calls (and no
// earlier error is mistaken for ours).
class OpenSslErrorScope {
 public:
  OpenSslErrorScope();
  ~OpenSslErrorScope();
  OpenSslErrorScope(const OpenSslErrorScope&) = delete;
  OpenSslErrorScope& operator=(const OpenSslErrorScope&) = delete;
};

// The reason text of the most recent error in the queue (left in the
// queue), or `fallback` when there is none or it has no reason text.
std::string LastOpenSslErrorReason(absl::string_view fallback);

// Every queued error, oldest first, as OpenSSL's one-line texts joined by
// "; " ("" if none); the queue is empty afterwards.
std::string DrainOpenSslErrors();

}  // namespace pinbake

#endif  // PINBAKE_RUNTIME_OPENSSL_ERROR_H_
