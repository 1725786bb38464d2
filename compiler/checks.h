// Semantic checks of a parsed pin list: host-name syntax (including
// U-labels, with the A-label as the fix), wildcards, duplicate hosts and
// pinsets, exclusions, public suffixes, pinset sanity, the list's times,
// and places where pinbake's lookup differs from Chromium's. Each check is
// a small named function in checks.cc; this is the entry point that runs
// them all. (The parser, compiler/list_parser.h, checks only structure,
// types and references, plus the two pin-array checks made while
// resolving pins: duplicate pins and a pin both good and bad.)

#ifndef PINBAKE_COMPILER_CHECKS_H_
#define PINBAKE_COMPILER_CHECKS_H_

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "compiler/diagnostics.h"
#include "compiler/pin_list_model.h"

namespace pinbake {

// How the list's own times are checked (docs/release.md, "Time bounds"):
// a timestamp more than a day after `now` is always an error; a missing
// timestamp (with pinsets) is an error with `require_fresh`, else a
// warning; with `require_fresh` a list already stale at `now` is an error.
struct ListTimeCheck {
  absl::Time now;
  bool require_fresh = false;
};

// Runs every check over `model`, reporting to `diags` with `list_path` as
// the file and the entry's field path (e.g. "entries[12].name"); the
// list's times only if `times` is given. May edit `model` where a fix is
// unambiguous and warned about: an uppercase name whose lowercase twin is
// listed with identical settings is dropped.
void CheckPinList(const std::string& list_path, PinListModel* model,
                  Diagnostics* diags,
                  const std::optional<ListTimeCheck>& times = std::nullopt);

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_CHECKS_H_
