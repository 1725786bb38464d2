// Fuzzes CanonicalizeHost (format/host_name.h) and checks its contract on
// every input:
//   - success gives a canonical name: 1..253 bytes, only [a-z0-9_-] and
//     dots, no empty label, labels of at most 63 bytes, last label not all
//     digits; it is the input lowercased with at most one trailing dot
//     removed; canonicalising it again gives it back unchanged (idempotent);
//   - failure leaves the output empty;
//   - ASCII case and one trailing dot never change the answer.

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "format/host_name.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using pinbake::CanonicalHost;
using pinbake::CanonicalizeHost;
using pinbake::HostError;

void CheckCanonical(absl::string_view name) {
  FUZZ_CHECK(!name.empty());
  FUZZ_CHECK(name.size() <= pinbake::kMaxHostNameLength);
  size_t label_start = 0;
  bool last_label_all_digits = true;
  for (size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '.') {
      const size_t label_length = i - label_start;
      FUZZ_CHECK(label_length >= 1);
      FUZZ_CHECK(label_length <= pinbake::kMaxLabelLength);
      last_label_all_digits = true;
      for (size_t j = label_start; j < i; ++j) {
        if (!absl::ascii_isdigit(static_cast<unsigned char>(name[j]))) {
          last_label_all_digits = false;
        }
      }
      label_start = i + 1;
      continue;
    }
    const unsigned char c = static_cast<unsigned char>(name[i]);
    FUZZ_CHECK(!absl::ascii_isupper(c));
    FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
               c == '-');
  }
  FUZZ_CHECK(!last_label_all_digits);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);

  CanonicalHost out;
  const HostError error = CanonicalizeHost(input, &out);
  FUZZ_CHECK(pinbake::HostErrorName(error) != nullptr);

  if (error != HostError::kNone) {
    FUZZ_CHECK(out.view().empty());
  } else {
    const std::string canonical(out.view());
    CheckCanonical(canonical);

    // Exactly the input, lowercased, with at most one trailing dot removed.
    std::string expected = absl::AsciiStrToLower(input);
    if (!expected.empty() && expected.back() == '.') expected.pop_back();
    FUZZ_CHECK(canonical == expected);

    // Idempotent.
    CanonicalHost again;
    FUZZ_CHECK(CanonicalizeHost(canonical, &again) == HostError::kNone);
    FUZZ_CHECK(again.view() == canonical);
  }

  // ASCII case does not matter.
  {
    const std::string upper = absl::AsciiStrToUpper(input);
    CanonicalHost out_upper;
    FUZZ_CHECK(CanonicalizeHost(upper, &out_upper) == error);
    FUZZ_CHECK(out_upper.view() == out.view());
  }
  // One trailing dot does not matter (two make an empty label).
  if (input.empty() || input.back() != '.') {
    const std::string dotted = std::string(input) + ".";
    CanonicalHost out_dotted;
    const HostError dotted_error = CanonicalizeHost(dotted, &out_dotted);
    if (!input.empty()) {
      FUZZ_CHECK(dotted_error == error);
      FUZZ_CHECK(out_dotted.view() == out.view());
    } else {
      FUZZ_CHECK(dotted_error != HostError::kNone);  // "." is empty.
    }
  }
  return 0;
}
