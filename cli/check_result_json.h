// The pin check's outcome as `pinbake check` and `pinbake connect` print
// it: the keys both share, written once and in one order.

#ifndef PINBAKE_CLI_CHECK_RESULT_JSON_H_
#define PINBAKE_CLI_CHECK_RESULT_JSON_H_

#include <optional>
#include <string>
#include <vector>

#include "cli/cli_common.h"
#include "format/entry_settings.h"
#include "format/spki_hash.h"
#include "runtime/chain_checker.h"

namespace pinbake {
namespace cli {

// One pin check, from a ChainCheckResult (check) or a PinVerifier's
// PinCheckRecord (connect). An empty optional is printed as null.
struct CheckResultView {
  std::string host;
  std::optional<std::string> canonical;  // nullopt: invalid host.
  CheckOutcome outcome = CheckOutcome::kNotPinned;
  bool allowed = false;
  bool would_fail = false;
  bool bad_pin_found = false;
  std::optional<bool> known_root;  // Printed only when set (connect).
  std::optional<std::string> pin_entry;  // Name of the entry that decided pins.
  std::optional<PinMode> pin_mode;       // nullopt: not pinned.
  std::optional<std::string> pinset;
  std::optional<std::string> report_uri;
};

// The view of CheckChain's answer for `host`.
CheckResultView CheckResultViewOf(const std::string& host,
                                  const ChainCheckResult& result);

// Appends, in this order, host, canonical, result, allowed, would_fail,
// bad_pin_found, known_root (if set), pin_entry, pin_mode, pinset, report_uri
// to the object `*out`; the caller adds its own keys before and after.
void AppendCheckResultJson(const CheckResultView& view, Json* out);

// ["sha256/...", ...] in the order of `pins`.
Json PinArrayJson(const std::vector<SpkiHash>& pins);

}  // namespace cli
}  // namespace pinbake

#endif  // PINBAKE_CLI_CHECK_RESULT_JSON_H_
