#include "compiler/diagnostics.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace pinbake {
namespace {

// A text position "LINE:COL" is glued to the file name with ':'; a field
// path is separated by ": ".
bool IsTextPosition(absl::string_view where) {
  return !where.empty() && absl::ascii_isdigit(where[0]);
}

}  // namespace

std::string Diagnostic::ToString() const {
  const char* kind = severity == Severity::kError ? "error" : "warning";
  if (where.empty()) return absl::StrCat(file, ": ", kind, ": ", message);
  if (IsTextPosition(where)) {
    return absl::StrCat(file, ":", where, ": ", kind, ": ", message);
  }
  if (!position.empty()) {
    return absl::StrCat(file, ":", position, ": ", where, ": ", kind, ": ",
                        message);
  }
  return absl::StrCat(file, ": ", where, ": ", kind, ": ", message);
}

void Diagnostics::Error(absl::string_view file, absl::string_view where,
                        absl::string_view message) {
  all_.push_back({Severity::kError, std::string(file), std::string(where),
                  std::string(message), /*position=*/""});
  ++error_count_;
}

void Diagnostics::Warning(absl::string_view file, absl::string_view where,
                          absl::string_view message) {
  all_.push_back({Severity::kWarning, std::string(file), std::string(where),
                  std::string(message), /*position=*/""});
}

std::string Diagnostics::TextPosition(absl::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return absl::StrCat(line, ":", offset - line_start + 1);
}

void Diagnostics::Add(const Diagnostic& d) {
  all_.push_back(d);
  if (d.severity == Severity::kError) ++error_count_;
}

std::vector<std::string> Diagnostics::FieldPathsWithoutPosition(
    absl::string_view file) const {
  absl::flat_hash_set<absl::string_view> seen;
  std::vector<std::string> paths;
  for (const Diagnostic& d : all_) {
    if (d.file != file || d.where.empty() || IsTextPosition(d.where) ||
        !d.position.empty()) {
      continue;
    }
    if (seen.insert(d.where).second) paths.push_back(d.where);
  }
  return paths;
}

void Diagnostics::SetFieldPositions(
    absl::string_view file,
    const absl::flat_hash_map<std::string, std::string>& positions) {
  for (Diagnostic& d : all_) {
    if (d.file != file || IsTextPosition(d.where)) continue;
    auto it = positions.find(d.where);
    if (it != positions.end()) d.position = it->second;
  }
}

void Diagnostics::PromoteWarningsToErrors() {
  for (Diagnostic& d : all_) d.severity = Severity::kError;
  error_count_ = all_.size();
}

absl::Status Diagnostics::ToStatus() const {
  if (!has_errors()) return absl::OkStatus();
  std::vector<std::string> lines;
  for (const Diagnostic& d : all_) {
    if (d.severity == Severity::kError) lines.push_back(d.ToString());
  }
  return absl::InvalidArgumentError(absl::StrJoin(lines, "\n"));
}

}  // namespace pinbake
