// Fuzzes the .pins file parser (compiler/pins_file_parser.h): any text must
// give diagnostics, never a crash, a hang or undefined behaviour; a parse
// without errors must give keys with names that are identifiers.

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "compiler/diagnostics.h"
#include "compiler/pins_file_parser.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view contents(reinterpret_cast<const char*>(data), size);
  pinbake::Diagnostics diags;
  pinbake::PinsFile pins =
      pinbake::ParsePinsFile(contents, "fuzz.pins", &diags);
  for (const pinbake::Diagnostic& d : diags.all()) {
    FUZZ_CHECK(!d.ToString().empty());
  }
  if (!diags.has_errors()) {
    for (const auto& [name, key] : pins.keys) {
      FUZZ_CHECK(!name.empty());
      for (char c : name) {
        FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   (c >= '0' && c <= '9') || c == '_');
      }
      FUZZ_CHECK(key.line >= 1);
    }
  }
  return 0;
}
