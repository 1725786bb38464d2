// Support for pin lists baked into a binary as C++ source
// (`pinbake compile --cc-out`, compiler/cc_emitter.h, docs/baking.md).
//
// The generated .cc holds only constant data and calls this function from a
// function-local static, so that it needs no header that brings static
// initializers along (absl/status/status.h includes <iostream>, whose
// std::ios_base::Init object is a static initializer in every file that
// includes it). Keep this header free of such includes.

#ifndef PINBAKE_RUNTIME_BAKED_PIN_LIST_H_
#define PINBAKE_RUNTIME_BAKED_PIN_LIST_H_

#include "absl/strings/string_view.h"

namespace pinbake {

class PinList;

// Opens `table` (TableReader::Open, through PinList::FromBytes) and returns
// a new PinList over it that is never deleted. `table` must have static
// storage duration. If the table does not validate, prints a message naming
// `name` (the generated accessor, e.g. "my_app::pins") and the reason to
// stderr and aborts: a baked table was verified when it was compiled, so
// this happens only if the runtime linked in cannot read the format the
// compiler wrote.
const PinList* NewBakedPinListOrDie(absl::string_view table,
                                    const char* name);

}  // namespace pinbake

#endif  // PINBAKE_RUNTIME_BAKED_PIN_LIST_H_
