// Parser of Chromium's .pins file (transport_security_state_static.pins):
// named SPKI entries, each a PEM certificate, a PEM public key or a
// "sha256/<base64>" literal, plus an optional "PinsListTimestamp" line
// followed by a line of unix seconds. See docs/list-format.md.

#ifndef PINBAKE_COMPILER_PINS_FILE_PARSER_H_
#define PINBAKE_COMPILER_PINS_FILE_PARSER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "compiler/diagnostics.h"
#include "format/spki_hash.h"

namespace pinbake {

// A named key of a .pins file.
struct PinsFileKey {
  SpkiHash hash;
  int line = 0;  // 1-based line of the name.
};

struct PinsFile {
  std::map<std::string, PinsFileKey> keys;  // By name.
  std::optional<int64_t> timestamp;         // PinsListTimestamp, if given.
};

// Parses `contents` (named `file_name` in messages). Every problem is added
// to `diags` as "file_name:LINE:COL: ..."; parsing continues after an error
// where it can, so all problems are reported. Rejects CRLF line endings,
// names that are not identifiers ([A-Za-z0-9_]+), duplicate names, blocks
// without their END line, undecodable PEM and unknown block labels.
// Tolerates '#' comment lines, blank lines between entries and PEM base64
// lines of any length OpenSSL accepts.
PinsFile ParsePinsFile(absl::string_view contents, absl::string_view file_name,
                       Diagnostics* diags);

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_PINS_FILE_PARSER_H_
