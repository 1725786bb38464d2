#include "runtime/idn_host.h"

#include <idn2.h>

#include <cstdlib>
#include <memory>

#include "absl/strings/str_cat.h"

namespace pinbake {

bool HasNonAsciiByte(absl::string_view host) {
  for (char c : host) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

absl::StatusOr<std::string> HostToALabels(absl::string_view host) {
  if (!HasNonAsciiByte(host)) return std::string(host);
  // libidn2 reads a NUL-terminated string: a NUL inside would cut it.
  if (host.find('\0') != absl::string_view::npos) {
    return absl::InvalidArgumentError("the host name contains a NUL byte");
  }
  const std::string input(host);
  char* output = nullptr;
  const int rc = idn2_to_ascii_8z(input.c_str(), &output,
                                  IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
  std::unique_ptr<char, decltype(&idn2_free)> owned(output, &idn2_free);
  if (rc != IDN2_OK || output == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a valid internationalised host name (IDNA2008, "
                     "UTS #46): ",
                     idn2_strerror(rc)));
  }
  return std::string(output);
}

std::string HostForLookup(absl::string_view host) {
  absl::StatusOr<std::string> a_labels = HostToALabels(host);
  return a_labels.ok() ? *std::move(a_labels) : std::string(host);
}

}  // namespace pinbake
