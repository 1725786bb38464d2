// The release lint (release/lint.h) as `pinbake sign` and `pinbake verify`
// report it, so that neither calls a list clean silently:
//
//   LintSummary lint = SummarizeLint(list, now);
//   std::cerr << "pinbake: " << lint.line << "\n";
//   // "lint: 0 error(s), 3 warning(s); 3 enforced pinned entries not
//   //  checked against a live chain (run pinbake lint --connect HOST)"

#ifndef PINBAKE_CLI_LINT_SUMMARY_H_
#define PINBAKE_CLI_LINT_SUMMARY_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "runtime/pin_list.h"

namespace pinbake {
namespace cli {

struct LintSummary {
  size_t errors = 0;
  size_t warnings = 0;
  // Enforced pinned entries without a live chain (no-live-chain findings).
  size_t entries_without_live_chain = 0;
  std::string first_error;  // "check: message" of the first error, or "".
  std::string line;         // The one-line summary (see the file comment).
};

// Runs every lint check that needs no live chain or previous list on
// `list` at `now` (with warn_without_live_chain). An error only if the
// table does not carry its entry names (LintPinList).
absl::StatusOr<LintSummary> SummarizeLint(const PinList& list, absl::Time now);

}  // namespace cli
}  // namespace pinbake

#endif  // PINBAKE_CLI_LINT_SUMMARY_H_
