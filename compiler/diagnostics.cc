#include "compiler/diagnostics.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace pinbake {

std::string TextPosition::ToString() const {
  if (!known()) return "";
  return absl::StrCat(line, ":", column);
}

TextPosition TextPosition::OfOffset(absl::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {static_cast<uint32_t>(line),
          static_cast<uint32_t>(offset - line_start + 1)};
}

std::string Diagnostic::ToString() const {
  const char* kind = severity == Severity::kError     ? "error"
                     : severity == Severity::kWarning ? "warning"
                                                      : "note";
  const SourceLocation& at = location;
  std::string out = at.file;
  if (at.position.known()) absl::StrAppend(&out, ":", at.position.ToString());
  absl::StrAppend(&out, ": ");
  if (!at.field.empty()) absl::StrAppend(&out, at.field, ": ");
  absl::StrAppend(&out, kind, ": ", message);
  if (!fix.empty()) absl::StrAppend(&out, "\n  fix: ", fix);
  return out;
}

void Diagnostics::Report(Severity severity, SourceLocation location,
                         absl::string_view message, absl::string_view fix) {
  all_.push_back({severity, std::move(location), std::string(message),
                  std::string(fix)});
  Count(severity, 1);
}

void Diagnostics::Count(Severity severity, int delta) {
  if (severity == Severity::kError) error_count_ += delta;
  if (severity == Severity::kWarning) warning_count_ += delta;
}

void Diagnostics::Note(absl::string_view file, absl::string_view field,
                       absl::string_view message) {
  Report(Severity::kNote, {std::string(file), {}, std::string(field)},
         message);
}

void Diagnostics::Error(absl::string_view file, absl::string_view field,
                        absl::string_view message, absl::string_view fix) {
  Report(Severity::kError, {std::string(file), {}, std::string(field)},
         message, fix);
}

void Diagnostics::Warning(absl::string_view file, absl::string_view field,
                          absl::string_view message, absl::string_view fix) {
  Report(Severity::kWarning, {std::string(file), {}, std::string(field)},
         message, fix);
}

void Diagnostics::ErrorAt(absl::string_view file, TextPosition position,
                          absl::string_view message, absl::string_view fix) {
  Report(Severity::kError, {std::string(file), position, ""}, message, fix);
}

void Diagnostics::Add(const Diagnostic& d) {
  all_.push_back(d);
  Count(d.severity, 1);
}

std::vector<std::string> Diagnostics::FieldPathsWithoutPosition(
    absl::string_view file, bool errors_only) const {
  absl::flat_hash_set<absl::string_view> seen;
  std::vector<std::string> paths;
  for (const Diagnostic& d : all_) {
    const SourceLocation& at = d.location;
    if (at.file != file || at.field.empty() || at.position.known()) continue;
    if (errors_only && d.severity != Severity::kError) continue;
    if (seen.insert(at.field).second) paths.push_back(at.field);
  }
  return paths;
}

void Diagnostics::SetFieldPositions(
    absl::string_view file,
    const absl::flat_hash_map<std::string, TextPosition>& positions) {
  for (Diagnostic& d : all_) {
    SourceLocation& at = d.location;
    if (at.file != file || at.field.empty() || at.position.known()) continue;
    auto it = positions.find(at.field);
    if (it != positions.end()) at.position = it->second;
  }
}

namespace {

// `path` and each of its ancestors ("a.b[2].c" -> "a.b[2].c", "a.b[2]",
// "a.b", "a"), passed to `visit`.
template <typename Visit>
void ForSelfAndAncestors(absl::string_view path, Visit visit) {
  visit(path);
  for (size_t i = path.size(); i > 0; --i) {
    const char c = path[i - 1];
    if (c == '.' || c == '[') visit(path.substr(0, i - 1));
  }
}

}  // namespace

void Diagnostics::DropFollowUps(size_t first) {
  first = std::min(first, all_.size());
  // Per file: the fields of earlier errors, and all their ancestors.
  absl::flat_hash_set<std::pair<std::string, std::string>> errors;
  absl::flat_hash_set<std::pair<std::string, std::string>> under_errors;
  for (size_t i = 0; i < first; ++i) {
    const Diagnostic& d = all_[i];
    if (d.severity != Severity::kError || d.location.field.empty()) continue;
    errors.emplace(d.location.file, d.location.field);
    ForSelfAndAncestors(d.location.field, [&](absl::string_view p) {
      under_errors.emplace(d.location.file, std::string(p));
    });
  }
  if (errors.empty()) return;
  auto follows = [&](const Diagnostic& d) {
    if (d.location.field.empty()) return false;
    // Its field is an earlier error's field or one of their ancestors...
    if (under_errors.contains(std::make_pair(d.location.file,
                                             d.location.field))) {
      return true;
    }
    // ... or lies under an earlier error's field.
    bool below = false;
    ForSelfAndAncestors(d.location.field, [&](absl::string_view p) {
      below = below || errors.contains(
                           std::make_pair(d.location.file, std::string(p)));
    });
    return below;
  };
  std::vector<Diagnostic> kept(all_.begin(), all_.begin() + first);
  for (size_t i = first; i < all_.size(); ++i) {
    if (follows(all_[i])) {
      Count(all_[i].severity, -1);
    } else {
      kept.push_back(std::move(all_[i]));
    }
  }
  all_ = std::move(kept);
}

void Diagnostics::SortByLocation() {
  // Keyed by copies: sorting moves the diagnostics' strings.
  absl::flat_hash_map<std::string, size_t> file_rank;
  for (const Diagnostic& d : all_) {
    file_rank.try_emplace(d.location.file, file_rank.size());
  }
  auto key = [&](const Diagnostic& d) {
    const TextPosition& p = d.location.position;
    return std::make_tuple(file_rank.at(d.location.file), !p.known(), p.line,
                           p.column);
  };
  std::stable_sort(all_.begin(), all_.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) {
                     return key(a) < key(b);
                   });
}

void Diagnostics::PromoteWarningsToErrors() {
  for (Diagnostic& d : all_) {
    if (d.severity != Severity::kWarning) continue;
    d.severity = Severity::kError;
    Count(Severity::kWarning, -1);
    Count(Severity::kError, 1);
  }
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
