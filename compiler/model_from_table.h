// The read side of the one model: a validated table read back into the
// compiler's PinListModel (compiler/pin_list_model.h), so that tools that
// read tables (dump, diff, ...) see an entry's settings as the same
// HostEntry the front ends produce and the writer encodes.

#ifndef PINBAKE_COMPILER_MODEL_FROM_TABLE_H_
#define PINBAKE_COMPILER_MODEL_FROM_TABLE_H_

#include "absl/status/statusor.h"
#include "compiler/pin_list_model.h"
#include "runtime/table_reader.h"

namespace pinbake {

// The list in `table` as a model:
//   - list: version, timestamp, max_age_days and id from the header;
//   - pinsets in table (name) order, good and bad hashes in stored order,
//     location "pinsets[i]";
//   - entries from TableReader::Entries() (name order), location
//     "entries[i]", the pinset by name (empty: no pins), and `exclude` set
//     for an entry with neither pins nor force-https (how the JSON front
//     end writes one).
// Compiling the model again reproduces the table (docs/format.md,
// "Determinism"). An error only if the table does not carry its entry
// names (TableReader::Entries).
absl::StatusOr<PinListModel> ModelFromTable(const TableReader& table);

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_MODEL_FROM_TABLE_H_
