// Encoder from the compiler's model to the binary pin table described in
// docs/format.md (read by runtime/table_reader.h).

#ifndef PINBAKE_COMPILER_TABLE_WRITER_H_
#define PINBAKE_COMPILER_TABLE_WRITER_H_

#include <string>

#include "absl/status/statusor.h"
#include "compiler/pin_list_model.h"
#include "runtime/table_format.h"

namespace pinbake {

// Choices the encoder leaves to the caller.
struct TableOptions {
  // Bits of each entry's fingerprint: a host not in the list falsely
  // matches one probed name with probability 2^-bits (docs/format.md,
  // "False matches"). 16..48.
  int fingerprint_bits = table_format::kDefaultFingerprintBits;
  // Whether to carry the entry names (zlib-compressed) for tools such as
  // dump and diff. Lookups never read them; a table baked into a binary can
  // leave them out.
  bool include_names = true;
};

// Encodes `model`, which must have passed the checks (compiler/checks.h),
// into table bytes. Deterministic: the output depends only on the model's
// content and `options`, not on the order of its entries, pinsets or keys.
// The encoder also verifies, by reading the table back, that every entry
// is found with its settings and that no ancestor or wildcard name of an
// entry falsely matches (changing the hash seed until none does). Returns
// InvalidArgument if the model exceeds a format limit (65,535 pinsets,
// 65,536 keys, 256 distinct entry settings) or names a pinset it does not
// define.
absl::StatusOr<std::string> WriteTable(const PinListModel& model,
                                       const TableOptions& options = {});

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_TABLE_WRITER_H_
