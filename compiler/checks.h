// Semantic checks of a parsed pin list: host-name syntax, wildcards,
// duplicates, public suffixes, pinset sanity, and places where pinbake's
// lookup differs from Chromium's. Each check is a small named function in
// checks.cc; this is the entry point that runs them all.

#ifndef PINBAKE_COMPILER_CHECKS_H_
#define PINBAKE_COMPILER_CHECKS_H_

#include <string>

#include "compiler/diagnostics.h"
#include "compiler/pin_list_model.h"

namespace pinbake {

// Runs every check over `model`, reporting to `diags` with `list_path` as
// the file and the entry's field path (e.g. "entries[12].name"). May edit
// `model` where a fix is unambiguous and warned about: an uppercase name
// whose lowercase twin is listed with identical settings is dropped.
void CheckPinList(const std::string& list_path, PinListModel* model,
                  Diagnostics* diags);

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_CHECKS_H_
