// Diagnostics: errors and warnings as values, each naming the file and the
// place in it (a typed SourceLocation: text position and/or field path),
// collected for a whole run so that every problem is reported, not only
// the first one.
//
//   Diagnostics diags;
//   diags.ErrorAt("list.json", {3, 14}, "syntax error");        // text
//   diags.Error("list.json", "entries[2].name", "bad name",     // field
//               "write it in lowercase");                       // fix
//   diags.SetFieldPositions("list.json", LocateFieldPaths(text, paths));
//   diags.SortByLocation();
//   // diags.all()[1].ToString() ==
//   //   "list.json:7:5: entries[2].name: error: bad name\n"
//   //   "  fix: write it in lowercase"

#ifndef PINBAKE_COMPILER_DIAGNOSTICS_H_
#define PINBAKE_COMPILER_DIAGNOSTICS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace pinbake {

// kNote: information that is not a problem (such as the A-label --idn
// converted a name to); never counted as a warning, never promoted.
enum class Severity { kWarning, kError, kNote };

// A 1-based line and column (in bytes) of a text; {0, 0} when unknown.
struct TextPosition {
  uint32_t line = 0;
  uint32_t column = 0;

  bool known() const { return line > 0; }
  // "LINE:COL"; empty when unknown.
  std::string ToString() const;
  // The position of byte `offset` of `text` (offsets past the end point
  // just after the last byte).
  static TextPosition OfOffset(absl::string_view text, size_t offset);

  friend bool operator==(const TextPosition& a, const TextPosition& b) {
    return a.line == b.line && a.column == b.column;
  }
  friend bool operator!=(const TextPosition& a, const TextPosition& b) {
    return !(a == b);
  }
};

// Where a diagnostic points: a file and, in it, a text position, a field
// path, both (a list's semantic error: the field and where it is written),
// or neither (the whole file).
struct SourceLocation {
  std::string file;
  TextPosition position;  // Unknown: not located (yet).
  // Field path such as "entries[12].name" (compiler/list_parser.cc names
  // fields); empty if the diagnostic is not about a field.
  std::string field;
};

// One message, with an optional one-line fix ("did you mean ...").
struct Diagnostic {
  Severity severity = Severity::kError;
  SourceLocation location;
  std::string message;
  std::string fix;  // Empty if no fix is known.

  // "file:12:5: error: message" (a text position only),
  // "file:3:7: entries[12].name: error: message" (a located field),
  // "file: entries[12].name: error: message" (a field not located),
  // "file: error: message" (the whole file); "warning" or "note" in place
  // of "error" for the other severities; then, if there is a fix,
  // a second line "  fix: FIX".
  std::string ToString() const;
};

// Collects the diagnostics of a run in the order they were found.
class Diagnostics {
 public:
  // A diagnostic about the field `field` of `file` (its position is added
  // later, SetFieldPositions), or about the whole file if `field` is empty.
  void Error(absl::string_view file, absl::string_view field,
             absl::string_view message, absl::string_view fix = "");
  void Warning(absl::string_view file, absl::string_view field,
               absl::string_view message, absl::string_view fix = "");
  void Note(absl::string_view file, absl::string_view field,
            absl::string_view message);
  // A diagnostic at a text position of `file` (a syntax error, a line of a
  // .pins file).
  void ErrorAt(absl::string_view file, TextPosition position,
               absl::string_view message, absl::string_view fix = "");
  // Any diagnostic.
  void Report(Severity severity, SourceLocation location,
              absl::string_view message, absl::string_view fix = "");

  bool has_errors() const { return error_count_ > 0; }
  size_t error_count() const { return error_count_; }
  size_t warning_count() const { return warning_count_; }
  const std::vector<Diagnostic>& all() const { return all_; }

  // Adds a copy of `d` (for instance from another run's Diagnostics).
  void Add(const Diagnostic& d);

  // The distinct field paths of the diagnostics of `file` that have a
  // field and no position yet; only those of errors if `errors_only`.
  std::vector<std::string> FieldPathsWithoutPosition(
      absl::string_view file, bool errors_only = false) const;

  // Sets the position of each diagnostic of `file` whose field path is a
  // key of `positions` and that has no position yet.
  void SetFieldPositions(
      absl::string_view file,
      const absl::flat_hash_map<std::string, TextPosition>& positions);

  // Removes the diagnostics from index `first` on that follow from an
  // error before `first` (one of the same file whose field path is the
  // same as theirs, or an ancestor or descendant of it: "entries[3]" and
  // "entries[3].pins"), so that a run that goes on after errors does not
  // report their consequences as more problems. Diagnostics without a
  // field path are kept.
  void DropFollowUps(size_t first);

  // Orders the diagnostics of each file by position (stable: equal
  // positions keep the order they were found in). Diagnostics without a
  // position come after the located ones of their file; files keep the
  // order of their first diagnostic.
  void SortByLocation();

  // Turns every warning into an error (for --werror); notes stay notes.
  void PromoteWarningsToErrors();

  // OkStatus if there are no errors; otherwise InvalidArgument whose message
  // is every error's ToString(), one per line.
  absl::Status ToStatus() const;

 private:
  void Count(Severity severity, int delta);

  std::vector<Diagnostic> all_;
  size_t error_count_ = 0;
  size_t warning_count_ = 0;
};

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_DIAGNOSTICS_H_
