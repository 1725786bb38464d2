// ReferenceFromModel: the oracle of the differential and exactness tests.
// Every entry of a compiled model goes into a HashMapResolver, with the
// pinset index that `table` gives the entry's pinset name (the only table
// fact it uses), so table lookups can be compared with it field by field.

#ifndef PINBAKE_TESTING_MODEL_REFERENCE_H_
#define PINBAKE_TESTING_MODEL_REFERENCE_H_

#include "compiler/pin_list_model.h"
#include "runtime/table_reader.h"
#include "testing/hash_map_resolver.h"

namespace pinbake {

// A resolver over `model.entries`; requires every entry's pinset to be a
// pinset of `table`.
HashMapResolver ReferenceFromModel(const PinListModel& model,
                                   const TableReader& table);

}  // namespace pinbake

#endif  // PINBAKE_TESTING_MODEL_REFERENCE_H_
