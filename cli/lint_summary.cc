#include "cli/lint_summary.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "release/lint.h"

namespace pinbake {
namespace cli {

absl::StatusOr<LintSummary> SummarizeLint(const PinList& list, absl::Time now) {
  LintOptions options;
  options.now = now;
  options.warn_without_live_chain = true;
  absl::StatusOr<std::vector<LintFinding>> findings =
      LintPinList(list, options);
  if (!findings.ok()) return findings.status();
  LintSummary s;
  s.errors = CountLintErrors(*findings);
  s.warnings = CountLintWarnings(*findings);
  for (const LintFinding& f : *findings) {
    s.entries_without_live_chain += f.check == "no-live-chain";
    if (s.first_error.empty() && f.severity == Severity::kError) {
      s.first_error = absl::StrCat(f.check, ": ", f.message);
    }
  }
  s.line = absl::StrCat("lint: ", s.errors, " error(s), ", s.warnings,
                        " warning(s)");
  if (s.entries_without_live_chain > 0) {
    absl::StrAppend(&s.line, "; ", s.entries_without_live_chain,
                    " enforced pinned entr",
                    s.entries_without_live_chain == 1 ? "y" : "ies",
                    " not checked against a live chain (run pinbake lint "
                    "--connect HOST)");
  }
  if (!s.first_error.empty()) absl::StrAppend(&s.line, "; first: ", s.first_error);
  return s;
}

}  // namespace cli
}  // namespace pinbake
