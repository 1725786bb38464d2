// GoogleTest helpers for asserting on compiler Diagnostics: that a run
// reported an error or warning at an exact place with a message containing
// some text, and a readable dump of everything it reported otherwise.

#ifndef PINBAKE_TESTING_DIAGNOSTICS_MATCHERS_H_
#define PINBAKE_TESTING_DIAGNOSTICS_MATCHERS_H_

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "compiler/diagnostics.h"
#include "gtest/gtest.h"

namespace pinbake {

// Every diagnostic's ToString(), one per line.
inline std::string Dump(const Diagnostics& diags) {
  std::string out;
  for (const Diagnostic& d : diags.all()) {
    absl::StrAppend(&out, d.ToString(), "\n");
  }
  return out;
}

// Success if `diags` holds a diagnostic of `severity` at exactly `where`
// (its field path, or its "LINE:COL" if it has no field path; "" for the
// whole file) whose message contains `substring`; otherwise a failure
// listing them all.
inline testing::AssertionResult Has(const Diagnostics& diags,
                                    Severity severity, absl::string_view where,
                                    absl::string_view substring) {
  for (const Diagnostic& d : diags.all()) {
    const std::string at = d.location.field.empty()
                               ? d.location.position.ToString()
                               : d.location.field;
    if (d.severity == severity && at == where &&
        absl::StrContains(d.message, substring)) {
      return testing::AssertionSuccess();
    }
  }
  return testing::AssertionFailure()
         << "no " << (severity == Severity::kError ? "error" : "warning")
         << " at \"" << where << "\" containing \"" << substring
         << "\"; got:\n"
         << Dump(diags);
}

inline testing::AssertionResult HasError(const Diagnostics& diags,
                                         absl::string_view where,
                                         absl::string_view substring) {
  return Has(diags, Severity::kError, where, substring);
}

inline testing::AssertionResult HasWarning(const Diagnostics& diags,
                                           absl::string_view where,
                                           absl::string_view substring) {
  return Has(diags, Severity::kWarning, where, substring);
}

}  // namespace pinbake

#endif  // PINBAKE_TESTING_DIAGNOSTICS_MATCHERS_H_
