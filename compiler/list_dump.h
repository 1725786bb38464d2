// Dumps a table back to pinbake's JSON list format (docs/list-format.md),
// with every pin as a sha256/ literal. Compiling the dump reproduces the
// table byte for byte (docs/format.md, "Determinism"). Reads the table
// through ModelFromTable (compiler/model_from_table.h).

#ifndef PINBAKE_COMPILER_LIST_DUMP_H_
#define PINBAKE_COMPILER_LIST_DUMP_H_

#include <string>

#include "absl/status/statusor.h"
#include "runtime/table_reader.h"

namespace pinbake {

// Returns the canonical JSON text (2-space indented, trailing newline) of
// the list in `table`: "list", "pinsets" and "entries" in table order.
// An error if the table does not carry its entry names.
absl::StatusOr<std::string> DumpTableAsJson(const TableReader& table);

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_LIST_DUMP_H_
