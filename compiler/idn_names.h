// `pinbake compile --idn`: entry names written with U-labels (Unicode)
// converted to the A-labels the table holds, as browsers convert them
// (runtime/idn_host.h: IDNA2008, UTS #46 non-transitional), each
// conversion reported as a note that shows the A-label. Without --idn such
// names are refused by the checks (compiler/checks.h), with the A-label as
// the fix.

#ifndef PINBAKE_COMPILER_IDN_NAMES_H_
#define PINBAKE_COMPILER_IDN_NAMES_H_

#include <string>

#include "compiler/diagnostics.h"
#include "compiler/pin_list_model.h"

namespace pinbake {

// Replaces the name of every entry of `model` that has bytes outside ASCII
// and is a valid IDN ("*." kept in front of a wildcard's host) by its
// A-label form, with a note at the entry's "name" field of `list_path`.
// Names that are not valid IDNs are left as written, for the checks to
// refuse with libidn2's reason.
void ConvertIdnNames(const std::string& list_path, PinListModel* model,
                     Diagnostics* diags);

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_IDN_NAMES_H_
