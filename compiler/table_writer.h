// Encoder from the compiler's model to the binary pin table described in
// docs/format.md (read by runtime/table_reader.h).

#ifndef PINBAKE_COMPILER_TABLE_WRITER_H_
#define PINBAKE_COMPILER_TABLE_WRITER_H_

#include <string>

#include "absl/status/statusor.h"
#include "compiler/pin_list_model.h"
#include "format/table_format.h"

namespace pinbake {

// Choices the encoder leaves to the caller. None of them affects which
// answer a lookup gives: every table is exact (docs/format.md).
struct TableOptions {
  // Entries per block of the front-coded name stream, 1..64: larger blocks
  // make the table smaller (fewer names stored whole, a smaller block
  // index) and lookups slower (more names decoded per lookup).
  int block_size = table_format::kDefaultBlockSize;
};

// Encodes `model`, which must have passed the checks (compiler/checks.h),
// into table bytes. Deterministic: the output depends only on the model's
// content and `options`, not on the order of its entries, pinsets or keys.
// The encoder reads the table back and checks that every entry is found
// with its settings. Returns InvalidArgument if the model exceeds a format
// limit (65,535 pinsets, 65,536 keys, 256 distinct entry settings, 4,096
// distinct (settings, ancestor depth) pairs, a list id over 64 bytes), has a
// name that is not canonical, or names a pinset it does not define.
absl::StatusOr<std::string> WriteTable(const PinListModel& model,
                                       const TableOptions& options = {});

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_TABLE_WRITER_H_
