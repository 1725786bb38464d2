#include "export/code_text.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"

namespace pinbake {

std::string QuotedString(absl::string_view text, SourceLanguage language) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\' || (c == '$' && language == SourceLanguage::kKotlin)) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else if (language == SourceLanguage::kSwift) {
      absl::StrAppendFormat(&out, "\\u{%x}", c);
    } else if (language == SourceLanguage::kJava) {
      // Octal, not \u: javac turns \u escapes into characters before it
      // reads the literal, so "\u0022" would end it.
      absl::StrAppendFormat(&out, "\\%03o", c);
    } else {
      absl::StrAppendFormat(&out, "\\u%04x", c);
    }
  }
  out += '"';
  return out;
}

namespace {

std::string SafeComment(absl::string_view text, bool xml) {
  std::string out;
  for (unsigned char c : text) {
    // No backslash either: javac reads "\u000a" as a line break even in a
    // comment.
    const char safe =
        (c >= 0x20 && c < 0x7f && c != '\\') ? static_cast<char>(c) : '?';
    if ((xml && safe == '-' && !out.empty() && out.back() == '-') ||
        (safe == '/' && !out.empty() && out.back() == '*')) {
      out += ' ';
    }
    out += safe;
  }
  if (xml && !out.empty() && out.back() == '-') out += ' ';
  return out;
}

}  // namespace

std::string CommentSafe(absl::string_view text) {
  return SafeComment(text, false);
}

std::string XmlCommentSafe(absl::string_view text) {
  return SafeComment(text, true);
}

bool IsSourceIdentifier(absl::string_view name) {
  static const std::set<absl::string_view>* const kKeywords =
      new std::set<absl::string_view>{
          "abstract", "assert", "boolean", "break", "byte", "case", "catch",
          "char", "class", "const", "continue", "default", "do", "double",
          "else", "enum", "extends", "false", "final", "finally", "float",
          "for", "fun", "goto", "if", "implements", "import", "in",
          "instanceof", "int", "interface", "is", "let", "long", "native",
          "new", "null", "object", "package", "private", "protected",
          "public", "return", "short", "static", "strictfp", "struct",
          "super", "switch", "synchronized", "this", "throw", "throws",
          "transient", "true", "try", "typealias", "val", "var", "void",
          "volatile", "when", "while"};
  if (name.empty() || name.size() > 100) return false;
  if (absl::ascii_isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (unsigned char c : name) {
    if (!absl::ascii_isalnum(c) && c != '_') return false;
  }
  return kKeywords->count(name) == 0;
}

bool IsPackageName(absl::string_view name) {
  if (name.empty() || name.size() > 200) return false;
  for (absl::string_view part : absl::StrSplit(name, '.')) {
    if (!IsSourceIdentifier(part)) return false;
  }
  return true;
}

int64_t ListExpiresAt(const ListInfo& list) {
  if (list.timestamp == 0) return 0;
  return list.timestamp + int64_t{list.max_age_days} * 86400;
}

std::string UtcDate(int64_t t) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(t),
                          absl::UTCTimeZone());
}

}  // namespace pinbake
