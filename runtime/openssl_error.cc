#include "runtime/openssl_error.h"

#include <openssl/err.h>

namespace pinbake {

OpenSslErrorScope::OpenSslErrorScope() { ERR_clear_error(); }

OpenSslErrorScope::~OpenSslErrorScope() { ERR_clear_error(); }

std::string LastOpenSslErrorReason(absl::string_view fallback) {
  const unsigned long err = ERR_peek_last_error();
  const char* reason = err == 0 ? nullptr : ERR_reason_error_string(err);
  return reason == nullptr ? std::string(fallback) : std::string(reason);
}

std::string DrainOpenSslErrors() {
  std::string out;
  while (const unsigned long err = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(err, buf, sizeof(buf));
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

}  // namespace pinbake
