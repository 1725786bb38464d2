// Diagnostics: errors and warnings as values, each naming the file and the
// place in it, collected for a whole run so that every problem is reported,
// not only the first one.

#ifndef PINBAKE_COMPILER_DIAGNOSTICS_H_
#define PINBAKE_COMPILER_DIAGNOSTICS_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace pinbake {

enum class Severity { kWarning, kError };

// One message. `where` is either a text position "LINE:COL" (1-based) or a
// field path such as "entries[12].name"; empty when the whole file is meant.
struct Diagnostic {
  Severity severity = Severity::kError;
  std::string file;
  std::string where;
  std::string message;
  // For a field path: "LINE:COL" of that field in the file when known
  // (the compile pipeline fills it in, see SetFieldPositions); else empty.
  std::string position;

  // "file:12:5: error: message" for text positions,
  // "file:3:7: entries[12].name: error: message" for field paths with a
  // known position, "file: entries[12].name: error: message" without one,
  // "file: error: message" when `where` is empty.
  std::string ToString() const;
};

// Collects the diagnostics of a run in the order they were found.
class Diagnostics {
 public:
  void Error(absl::string_view file, absl::string_view where,
             absl::string_view message);
  void Warning(absl::string_view file, absl::string_view where,
               absl::string_view message);

  // Returns "LINE:COL" for the 1-based line and column of byte `offset` in
  // `text` (offsets past the end point just after the last byte).
  static std::string TextPosition(absl::string_view text, size_t offset);

  bool has_errors() const { return error_count_ > 0; }
  size_t error_count() const { return error_count_; }
  size_t warning_count() const { return all_.size() - error_count_; }
  const std::vector<Diagnostic>& all() const { return all_; }

  // Adds a copy of `d` (for instance from another run's Diagnostics).
  void Add(const Diagnostic& d);

  // The distinct field paths (`where` that is neither empty nor a text
  // position) of the diagnostics of `file` that have no position yet.
  std::vector<std::string> FieldPathsWithoutPosition(
      absl::string_view file) const;

  // Sets the position of each diagnostic of `file` whose field path is a
  // key of `positions` ("LINE:COL" values).
  void SetFieldPositions(
      absl::string_view file,
      const absl::flat_hash_map<std::string, std::string>& positions);

  // Turns every warning into an error (for --werror).
  void PromoteWarningsToErrors();

  // OkStatus if there are no errors; otherwise InvalidArgument whose message
  // is every error's ToString(), one per line.
  absl::Status ToStatus() const;

 private:
  std::vector<Diagnostic> all_;
  size_t error_count_ = 0;
};

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_DIAGNOSTICS_H_
