// Encoder from the compiler's model to the binary pin table described in
// docs/format.md (read by runtime/table_reader.h).

#ifndef PINBAKE_COMPILER_TABLE_WRITER_H_
#define PINBAKE_COMPILER_TABLE_WRITER_H_

#include <string>

#include "absl/status/statusor.h"
#include "compiler/pin_list_model.h"

namespace pinbake {

// Encodes `model`, which must have passed the checks (compiler/checks.h),
// into table bytes. Deterministic: the output depends only on the model's
// content, not on the order of its entries, pinsets or keys. Returns
// InvalidArgument if the model exceeds a format limit (65,535 pinsets or
// 65,536 keys, a name over 255 bytes) or names a pinset it does not define.
absl::StatusOr<std::string> WriteTable(const PinListModel& model);

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_TABLE_WRITER_H_
